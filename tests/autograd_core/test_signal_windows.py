"""ag.signal.windows (autograd_core/signal_windows.py), PyTorch's torch.signal.windows: every window against
torch's for both sym settings, several lengths and both float dtypes; the trivial lengths, the dtype and
requires_grad keywords and the errors. Found missing by a differential run over PyTorch's OpInfo database
(signal.windows.*)."""
import numpy as np
import pytest

import autograd_core as ag

WINDOWS = [("bartlett", {}), ("blackman", {}), ("cosine", {}), ("exponential", {"tau": 0.7}),
           ("gaussian", {"std": 2.5}), ("general_cosine", {"a": [0.46, 0.23, 0.31]}),
           ("general_hamming", {"alpha": 0.6}), ("hamming", {}), ("hann", {}), ("kaiser", {"beta": 7.5}),
           ("nuttall", {})]


@pytest.mark.parametrize("name, params", WINDOWS)
@pytest.mark.parametrize("sym", [True, False])
def test_windows_match_torchs(name, params, sym):
    torch = pytest.importorskip("torch")
    for M in (0, 1, 2, 5, 16, 31):
        ours = getattr(ag.signal.windows, name)(M, sym=sym, dtype=ag.float64, **params)
        theirs = getattr(torch.signal.windows, name)(M, sym=sym, dtype=torch.float64, **params)
        assert ours.dtype == np.float64 and ours.shape == (M,)
        np.testing.assert_allclose(ours.data, theirs.numpy(), rtol=1e-13, atol=1e-15)
        ours32 = getattr(ag.signal.windows, name)(M, sym=sym, **params)  # (the default dtype, float32)
        assert ours32.dtype == np.float32
        np.testing.assert_allclose(ours32.data, theirs.numpy(), rtol=2e-7, atol=1e-7)


def test_exponential_center_for_periodic_windows():
    torch = pytest.importorskip("torch")
    ours = ag.signal.windows.exponential(6, center=1.5, tau=2.0, sym=False, dtype=ag.float64)
    theirs = torch.signal.windows.exponential(6, center=1.5, tau=2.0, sym=False, dtype=torch.float64)
    np.testing.assert_allclose(ours.data, theirs.numpy(), rtol=1e-15)


def test_requires_grad_makes_a_leaf():
    w = ag.signal.windows.hann(4, requires_grad=True, dtype=ag.float64)
    assert w.requires_grad and w.grad_fn is None
    (w * w).sum().backward()
    np.testing.assert_array_equal(w.grad.data, 2 * w.data)


NUMPYS = [("bartlett", {}, np.bartlett), ("blackman", {}, np.blackman), ("hamming", {}, np.hamming),
          ("hann", {}, np.hanning), ("kaiser", {"beta": 7.5}, lambda M: np.kaiser(M, 7.5))]


@pytest.mark.parametrize("name, params, numpys", NUMPYS)
def test_windows_match_numpys_symmetric_and_periodic(name, params, numpys):
    # (NumPy's windows are symmetric; the periodic window of M is the symmetric one of M + 1 without its last)
    window = getattr(ag.signal.windows, name)
    for M in (1, 2, 5, 16, 31):
        np.testing.assert_allclose(window(M, dtype=ag.float64, **params).data, numpys(M), rtol=1e-13, atol=1e-15)
        np.testing.assert_allclose(window(M, sym=False, dtype=ag.float64, **params).data,
                                   numpys(M + 1)[:-1] if M > 1 else [1.0], rtol=1e-13, atol=1e-15)
        np.testing.assert_allclose(window(M, **params).data, numpys(M), rtol=2e-7, atol=1e-7)


def test_kaiser_with_a_large_beta_is_one_at_the_centre():
    # (I0(800) overflows: I0(arg) / I0(beta) was inf / inf, NaN, at the centre)
    for dtype in (ag.float64, ag.float32):
        w = ag.signal.windows.kaiser(5, beta=800.0, dtype=dtype).data
        assert w[2] == 1.0 and np.all(np.isfinite(w)) and np.all(w[[0, 1, 3, 4]] < 1e-40)
    np.testing.assert_allclose(ag.signal.windows.kaiser(7, beta=700.0, dtype=ag.float64).data,
                               np.kaiser(7, 700.0), rtol=1e-12, atol=1e-300)


@pytest.mark.parametrize("call, error, match", [
    (lambda: ag.signal.windows.hann(-1), ValueError, "^hann requires non-negative window length"),
    (lambda: ag.signal.windows.hamming(-1), ValueError, "^hamming requires non-negative window length"),
    (lambda: ag.signal.windows.blackman(-1), ValueError, "^blackman requires non-negative window length"),
    (lambda: ag.signal.windows.nuttall(-1), ValueError, "^nuttall requires non-negative window length"),
    (lambda: ag.signal.windows.general_hamming(-1), ValueError, "^general_hamming requires non-negative"),
    (lambda: ag.signal.windows.general_cosine(-1, a=[1.0]), ValueError, "^general_cosine requires non-negative"),
    (lambda: ag.signal.windows.bartlett(-1), ValueError, "^bartlett requires non-negative window length"),
    (lambda: ag.signal.windows.hann(3, dtype=ag.int64), ValueError, "^hann expects float32 or float64"),
    (lambda: ag.signal.windows.hann(3, device="cuda"), ValueError, "hann.*not available"),
    (lambda: ag.signal.windows.hann(2.5), TypeError, "^hann: the window length M must be an int"),
    (lambda: ag.signal.windows.exponential(3, tau=0.0), ValueError, "^exponential: tau must be positive"),
    (lambda: ag.signal.windows.exponential(3, center=1.0), ValueError, "^exponential: center must be None"),
    (lambda: ag.signal.windows.gaussian(3, std=-1.0), ValueError, "^gaussian: the standard deviation std must be"),
    (lambda: ag.signal.windows.kaiser(3, beta=-1.0), ValueError, "^kaiser: beta must be non-negative"),
    (lambda: ag.signal.windows.general_cosine(3, a=[]), ValueError, "^general_cosine: the coefficients a cannot"),
    (lambda: ag.signal.windows.general_cosine(3, a=0.5), TypeError, "^general_cosine: the coefficients a must")])
def test_errors_name_the_window_and_what_is_valid(call, error, match):
    with pytest.raises(error, match=match):
        call()


@pytest.mark.parametrize("call", [lambda: ag.signal.windows.hann(-1), lambda: ag.signal.windows.kaiser(3, beta=-1.0),
                                  lambda: ag.signal.windows.hann(3, dtype=ag.int64)])
def test_bad_values_raise_pytorchs_runtime_error_too(call):
    with pytest.raises(RuntimeError):  # (torch's windows raise ValueError; the project's errors are both)
        call()


def test_star_import_leaves_pythons_signal_module_alone():
    namespace = {}
    exec("import signal\nfrom autograd_core import *", namespace)
    assert hasattr(namespace["signal"], "SIGINT")
    assert ag.signal.windows.hann is ag.signal_windows.hann
