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


@pytest.mark.parametrize("call, error, match", [
    (lambda: ag.signal.windows.hann(-1), ValueError, "non-negative window length"),
    (lambda: ag.signal.windows.hann(3, dtype=ag.int64), ValueError, "float32 or float64"),
    (lambda: ag.signal.windows.hann(3, device="cuda"), ValueError, "not available"),
    (lambda: ag.signal.windows.hann(2.5), TypeError, "must be an int"),
    (lambda: ag.signal.windows.exponential(3, tau=0.0), ValueError, "tau must be positive"),
    (lambda: ag.signal.windows.exponential(3, center=1.0), ValueError, "center must be None"),
    (lambda: ag.signal.windows.gaussian(3, std=-1.0), ValueError, "must be positive"),
    (lambda: ag.signal.windows.kaiser(3, beta=-1.0), ValueError, "non-negative"),
    (lambda: ag.signal.windows.general_cosine(3, a=[]), ValueError, "cannot be empty"),
    (lambda: ag.signal.windows.general_cosine(3, a=0.5), TypeError, "list or tuple")])
def test_errors_name_the_window_and_what_is_valid(call, error, match):
    with pytest.raises(error, match=match):
        call()
    with pytest.raises((error, RuntimeError)):  # (PyTorch's ValueError, and the project's RuntimeError too)
        call()


def test_star_import_leaves_pythons_signal_module_alone():
    namespace = {}
    exec("import signal\nfrom autograd_core import *", namespace)
    assert hasattr(namespace["signal"], "SIGINT")
    assert ag.signal.windows.hann is ag.signal_windows.hann
