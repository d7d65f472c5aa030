"""ag.special, PyTorch's torch.special (autograd_core/special.py): its names are the engine's functions, and ndtr
matches torch.special.ndtr (and is accurate deep in the lower tail, where torch's float32 loses digits). Found
missing by porting PyTorch's test_unary_ufuncs (torch.special.expit, ndtr, ...)."""
import math

import numpy as np
import pytest

import autograd_core as ag


@pytest.mark.parametrize("name, engine", [("expit", "sigmoid"), ("logit", "logit"), ("gammaln", "lgamma"),
                                          ("psi", "digamma"), ("digamma", "digamma"), ("multigammaln", "mvlgamma"),
                                          ("erf", "erf"), ("erfc", "erfc"), ("erfinv", "erfinv"), ("sinc", "sinc"),
                                          ("expm1", "expm1"), ("exp2", "exp2"), ("log1p", "log1p"),
                                          ("polygamma", "polygamma"), ("round", "round"), ("softmax", "softmax"),
                                          ("log_softmax", "log_softmax"), ("logsumexp", "logsumexp")])
def test_special_names_are_the_engines_functions_with_torchs_values(name, engine):
    assert getattr(ag.special, name) is getattr(ag, engine)
    torch = pytest.importorskip("torch")
    x = np.array([0.1, 0.4, 0.9])
    args = {"multigammaln": (2,), "softmax": (0,), "log_softmax": (0,), "logsumexp": (0,)}.get(name, ())
    if name == "polygamma":
        ours, theirs = ag.special.polygamma(1, ag.tensor(x + 1)), torch.special.polygamma(1, torch.from_numpy(x + 1))
    else:
        value = x + 1 if name == "multigammaln" else x
        ours = getattr(ag.special, name)(ag.tensor(value), *args)
        theirs = getattr(torch.special, name)(torch.from_numpy(value), *args)
    # (torch's trigamma is within 5e-10 of the true value: 1.4332991507927588 at 1.1, where it gives ...90074)
    np.testing.assert_allclose(ours.data, theirs.numpy(), rtol=1e-9 if name == "polygamma" else 1e-12)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_ndtr_matches_torch_and_keeps_the_lower_tail(dtype):
    torch = pytest.importorskip("torch")
    x = np.array([-30.0, -5.0, -1.0, 0.0, 1.0, 5.0, 40.0, np.inf, -np.inf, np.nan], dtype)
    if dtype == np.float64:
        info = np.finfo(dtype)
        x = np.concatenate([x, [info.min, info.max, info.eps, info.tiny]]).astype(dtype)
    expected = torch.special.ndtr(torch.from_numpy(x)).numpy()
    got = ag.special.ndtr(ag.tensor(x))
    assert got.dtype == dtype
    # torch's lower tail loses digits (2.98e-7 at -5 in float32, 2.86651571868e-7 in float64, where the value is
    # 2.86651571879e-7) or underflows (0 at -30)
    keep = x > -4
    np.testing.assert_allclose(got.data[keep], expected[keep], rtol=1e-6 if dtype == np.float32 else 1e-14)
    for value in (-5.0, -30.0):
        exact = 0.5 * math.erfc(-value / math.sqrt(2))  # 2.8665e-7, 4.9067e-198
        np.testing.assert_allclose(ag.special.ndtr(ag.tensor(np.array([value]))).data, [exact], rtol=1e-14)
    np.testing.assert_allclose(ag.special.ndtr(ag.tensor(np.array([-5.0], dtype))).data, [2.8665157e-7], rtol=1e-6)
    t = ag.tensor([-3.0, 0.5], requires_grad=True)
    assert ag.autograd.gradgradcheck(ag.special.ndtr, (t,))


def test_log_ndtr_matches_torch_and_keeps_both_tails_and_its_gradient():
    # found by porting PyTorch's test_unary_ufuncs (test_special_log_ndtr_vs_scipy): torch.special.log_ndtr was
    # missing; below -37, where erfc underflows, the asymptotic series takes over, accurate to rounding
    torch = pytest.importorskip("torch")
    x = np.array([-1e5, -300.0, -40.0, -37.0, -36.9, -20.0, -5.0, -1.0, 0.0, 1.0, 5.0, 10.0, 30.0, 40.0, np.inf,
                  -np.inf, np.nan])
    t = ag.tensor(x, requires_grad=True)
    y = ag.special.log_ndtr(t)
    y.backward(ag.ones_like(y))
    tx = torch.tensor(x, requires_grad=True)
    expected = torch.special.log_ndtr(tx)
    expected.backward(torch.ones_like(tx))
    np.testing.assert_allclose(y.data, expected.detach().numpy(), rtol=1e-12)
    # torch's gradient below -37 loses digits (100000.074 at -1e5, where the true value is 100000.00001) and is NaN
    # at -inf, where the limit is inf
    keep = x > -37.5
    np.testing.assert_allclose(t.grad.data[keep], tx.grad.numpy()[keep], rtol=1e-12)
    np.testing.assert_allclose(t.grad.data[:3], [100000.00001, 300.0033332592634, 40.02496884720726], rtol=1e-12)
    assert t.grad.data[-2] == np.inf
    assert ag.autograd.gradgradcheck(ag.special.log_ndtr, (ag.tensor([-50.0, -3.0, 0.5, 4.0], requires_grad=True),))
    small = ag.special.log_ndtr(ag.tensor([-5.0, 0.0, 3.0], dtype=np.float32))
    assert small.dtype == np.float32
    np.testing.assert_allclose(small.data, torch.special.log_ndtr(torch.tensor([-5.0, 0.0, 3.0])).numpy(), rtol=1e-6)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_entr_matches_torch_with_its_gradient_at_0_and_below(dtype):
    # found by porting PyTorch's test_unary_ufuncs (special.entr among its reference ops): it was missing
    torch = pytest.importorskip("torch")
    x = np.array([0.0, -0.0, 0.5, 1.0, 2.0, -1.0, np.inf, -np.inf, np.nan, 1e-30], dtype)
    t = ag.tensor(x, requires_grad=True)
    y = ag.special.entr(t)
    y.backward(ag.ones_like(y))
    tx = torch.tensor(x, requires_grad=True)
    expected = torch.special.entr(tx)
    expected.backward(torch.ones_like(tx))
    assert y.dtype == dtype
    np.testing.assert_array_equal(y.data, expected.detach().numpy())
    np.testing.assert_allclose(t.grad.data, tx.grad.numpy(), rtol=1e-6)
    assert ag.autograd.gradgradcheck(ag.special.entr, (ag.tensor([0.3, 2.0], requires_grad=True),))


def test_entr_of_bools_and_integers_is_torch_s_in_numpys_float():
    # found by porting PyTorch's OpInfo entries (special.entr, bool): NumPy's "boolean negative is not supported"
    # came out; bools are computed in float16, NumPy's float for them, integers in float64
    cases = {(True, False): np.array([-0.0, 0.0], np.float16),  # (-1 * log(1) is -0.0; 0 at 0)
             (0, 1, 2, -3): np.array([0.0, -0.0, -2 * np.log(2.0), -np.inf])}  # (-x log x; -inf below 0)
    for values, expected in cases.items():
        out = ag.special.entr(ag.tensor(values))
        assert out.dtype == expected.dtype == np.result_type(np.asarray(values), np.float16)
        np.testing.assert_array_equal(out.data, expected)
        np.testing.assert_array_equal(np.signbit(out.data), np.signbit(expected))
    flags = np.array([[True, False, False], [True, True, False]])
    np.testing.assert_array_equal(ag.special.entr(ag.tensor(flags)).data,
                                  ag.special.entr(ag.tensor(flags.astype(np.float16))).data)
    torch = pytest.importorskip("torch")
    for values in cases:
        out, theirs = ag.special.entr(ag.tensor(values)).data, torch.special.entr(torch.tensor(values)).numpy()
        np.testing.assert_allclose(out, theirs, rtol=1e-3)
        np.testing.assert_array_equal(np.signbit(out), np.signbit(theirs))
