"""The softmax family (autograd_core/ops/softmax.py): softmax and log_softmax along an axis."""
import warnings

import numpy as np
import pytest
from hypothesis import strategies as st

import autograd_core as ag
from autograd_core.testing.strategies import shapes
from optable import Op, generated_tests

AT_LEAST_1D = shapes(min_dims=1, max_dims=3, max_side=3).map(lambda s: (s,))


def _axis(shapes_):
    ndim = len(shapes_[0])
    return st.fixed_dictionaries({"axis": st.integers(-ndim, ndim - 1)})


def _softmax(x, axis=-1):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _log_softmax(x, axis=-1):
    return np.log(_softmax(x, axis))


SOFTMAX = [
    Op("softmax", ag.softmax, _softmax, shapes=AT_LEAST_1D, kwargs=_axis),
    Op("softmax_default_axis", ag.softmax, _softmax, shapes=AT_LEAST_1D),
    Op("softmax_method", lambda x, axis: x.softmax(axis=axis), _softmax, shapes=AT_LEAST_1D, kwargs=_axis),
    Op("log_softmax", ag.log_softmax, _log_softmax, shapes=AT_LEAST_1D, kwargs=_axis),
    Op("log_softmax_method", lambda x, axis: x.log_softmax(axis), _log_softmax, shapes=AT_LEAST_1D, kwargs=_axis),
    # A 0-d input is a softmax over one entry (as PyTorch): 1, and log_softmax 0, with zero gradient.
    Op("softmax_0d", ag.softmax, np.ones_like, shapes=st.just(((),))),
    Op("log_softmax_0d", ag.log_softmax, np.zeros_like, shapes=st.just(((),))),
]

globals().update(generated_tests(SOFTMAX))


@pytest.mark.parametrize("scale", [1e2, 1e4, 1e6])
def test_log_softmax_and_softmax_are_stable_for_large_logits(scale):
    logits = np.array([[1.0, 0.0, -1.0], [-3.0, 2.0, 2.0]]) * scale
    x = ag.tensor(logits, requires_grad=True)
    out = ag.log_softmax(x, axis=1)
    assert np.all(np.isfinite(out.data))
    np.testing.assert_allclose(out.data, logits - logits.max(axis=1, keepdims=True)
                               - np.log(np.sum(np.exp(logits - logits.max(axis=1, keepdims=True)), axis=1,
                                               keepdims=True)))
    (out[:, 0]).sum().backward()
    assert np.all(np.isfinite(x.grad.data))
    s = ag.softmax(ag.tensor(logits), axis=1).data
    np.testing.assert_allclose(s.sum(axis=1), 1.0)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("axis", [-1, 0, None, (0, 1)])
def test_softmax_is_one_node_whose_first_and_second_derivatives_match_torch(axis, dtype):
    rng = np.random.default_rng(3)
    logits, v, w = (rng.normal(scale=2, size=(3, 4)).astype(dtype) for _ in range(3))
    x = ag.tensor(logits, requires_grad=True)
    s = ag.softmax(x, axis=axis)
    assert [n.op_name for n in ag.topological_order(s) if not n.is_leaf] == ["softmax"]
    dx = ag.backprop((s * v).sum(), create_graph=True)[x]
    d2 = ag.backprop((dx * w).sum())[x]
    assert s.dtype == dx.dtype == d2.dtype == dtype
    torch = pytest.importorskip("torch")
    tx = torch.tensor(logits, requires_grad=True)
    ts = torch.softmax(tx, dim=axis) if isinstance(axis, int) else torch.softmax(tx.reshape(-1), 0).reshape(3, 4)
    (tdx,) = torch.autograd.grad((ts * torch.tensor(v)).sum(), tx, create_graph=True)
    (tdx * torch.tensor(w)).sum().backward()
    tol = {"rtol": 1e-5, "atol": 1e-6} if dtype == np.float32 else {"rtol": 1e-12, "atol": 1e-14}
    np.testing.assert_allclose(s.data, ts.detach().numpy(), **tol)
    np.testing.assert_allclose(dx.data, tdx.detach().numpy(), **tol)
    np.testing.assert_allclose(d2.data, tx.grad.numpy(), **tol)


def test_softmax_rows_sum_to_one_and_gradient_of_the_sum_vanishes():
    x = ag.tensor(np.random.default_rng(0).standard_normal((4, 5)), requires_grad=True)
    ag.softmax(x, axis=1).sum().backward()
    np.testing.assert_allclose(x.grad.data, 0.0, atol=1e-12)


def test_log_softmax_third_derivative_by_finite_differences():
    from autograd_core.testing import gradgradcheck

    v = np.array([0.3, -1.0, 0.5])
    d1 = lambda x: ag.grad(lambda t: (ag.log_softmax(t) * v).sum())(x)
    assert gradgradcheck(d1, np.array([0.2, -0.4, 1.1]))


def test_minus_infinity_masks_get_zero_probability_and_finite_gradients():
    logits = np.array([[0.5, -np.inf, 1.0], [-np.inf, 2.0, -np.inf]])
    x = ag.tensor(logits, requires_grad=True)
    s = ag.softmax(x, axis=1)
    np.testing.assert_allclose(s.data, [[_softmax(np.array([0.5, 1.0]))[0], 0.0, _softmax(np.array([0.5, 1.0]))[1]],
                                        [0.0, 1.0, 0.0]])
    (s * np.array([1.0, 2.0, 3.0])).sum().backward()
    assert np.all(np.isfinite(x.grad.data)) and np.all(x.grad.data[np.isinf(logits)] == 0)
    x.grad = None
    ag.log_softmax(x, axis=1)[:, 1:].max().backward()  # picks the finite entry of row 2 (0 > -inf)
    assert np.all(np.isfinite(x.grad.data))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_a_plus_infinite_logit_makes_its_row_nan_as_pytorch_while_logsumexp_stays_inf(dtype):
    # (inf - inf is NaN: a partly finite row, or a finite loss beside it, would hide an overflow.)
    logits = np.array([[np.inf, 0.0, 1.0], [0.0, 1.0, 2.0]], dtype)
    x = ag.tensor(logits, requires_grad=True)
    with np.errstate(invalid="ignore"):
        out = ag.log_softmax(x, axis=1)
        (out * np.array([1.0, 2.0, 3.0], dtype)).sum().backward()
        assert np.isnan(out.data[0]).all() and np.isnan(ag.softmax(x, axis=1).data[0]).all()
        assert np.isnan(x.grad.data[0]).all() and np.isfinite(x.grad.data[1]).all()
        np.testing.assert_allclose(out.data[1], logits[1] - np.log(np.exp(logits[1]).sum()), rtol=1e-6)
        assert ag.logsumexp(x, axis=1).data[0] == np.inf  # as np.logaddexp and torch.logsumexp
        assert out.dtype == dtype


def test_huge_equal_logits_keep_full_precision_in_float32_and_float64():
    # x - logsumexp(x) would round logsumexp at 3e6 (float32 spacing 0.25 there): shift first.
    np.testing.assert_allclose(ag.log_softmax(ag.tensor([3e6, 3e6], dtype=np.float32)).data, -np.log(2), rtol=1e-6)
    np.testing.assert_allclose(ag.softmax(ag.tensor([3e6, 3e6], dtype=np.float32)).data, 0.5, rtol=1e-6)
    np.testing.assert_allclose(ag.softmax(ag.tensor([1e20, 1e20])).data, 0.5)
    near = ag.softmax(ag.tensor([1e4, 1e4 + 1, 1e4 - 1], dtype=np.float32)).data
    np.testing.assert_allclose(near, np.exp([0.0, 1.0, -1.0]) / np.exp([0.0, 1.0, -1.0]).sum(), rtol=1e-6)


def test_softmax_bad_axis_names_softmax():
    with pytest.raises(np.exceptions.AxisError, match=r"^softmax: axis 3 .* shape \(2, 3\); valid axes are -2..1"):
        ag.softmax(ag.ones((2, 3)), axis=3)
    for axis in ("a", True, (0, False)):
        with pytest.raises(TypeError, match=r"^softmax: axis must be an int, a tuple of ints or None, got"):
            ag.softmax(ag.ones((2, 3)), axis=axis)
    with pytest.raises(ValueError, match=r"^softmax: axis \(0, 0\) names an axis twice"):
        ag.softmax(ag.ones((2, 3)), axis=(0, 0))


@pytest.mark.parametrize("axis", [None, (0, 1), (-1,)])
def test_softmax_takes_the_axes_log_softmax_takes(axis):
    x = np.arange(6.0).reshape(2, 3)
    np.testing.assert_allclose(ag.softmax(ag.tensor(x), axis=axis).data,
                               np.exp(ag.log_softmax(ag.tensor(x), axis=axis).data), rtol=1e-12)
    np.testing.assert_allclose(ag.softmax(ag.tensor(x), axis=axis).data.sum(axis=axis), 1.0, rtol=1e-12)


@pytest.mark.parametrize("fn", [ag.log_softmax, ag.softmax, lambda x, axis: ag.logsumexp(x, axis=axis)])
def test_large_finite_float16_logits_raise_no_overflow_warning(fn):
    # 300 rows whose maxima are 300 sum past float16's 65504: the finiteness test must not warn (an error under
    # -W error) where every logit is finite.
    x = ag.tensor(np.full((300, 4), 300.0, np.float16))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = fn(x, axis=1)
    assert np.all(np.isfinite(out.data))


def test_softmax_of_a_list_matches_the_formula():
    values = [1.0, 2.0, 4.0]
    expected = np.exp(values) / np.exp(values).sum()
    np.testing.assert_allclose(ag.softmax(values).data, expected, rtol=1e-12)


def test_softmax_of_a_nested_list_over_axis_0_matches_the_formula():
    values = np.array([[1.0, 2.0], [3.0, 5.0]])
    expected = np.exp(values) / np.exp(values).sum(axis=0, keepdims=True)
    np.testing.assert_allclose(ag.softmax(values.tolist(), axis=0).data, expected, rtol=1e-12)


def test_softmax_of_text_is_a_type_error_naming_softmax():
    with pytest.raises(TypeError, match="softmax"):
        ag.softmax("abc")


# ---- found by mutation testing (session 17) -----------------------------------------------------------------
def test_softmax_of_float16_sums_in_float32_past_float16s_range():
    # 70,000 equal logits: each e**0 = 1, whose float16 sum would overflow to inf (65,504 at most).
    x = ag.tensor(np.zeros(70000, np.float16), requires_grad=True)
    out = ag.softmax(x)
    assert out.dtype == np.float16
    np.testing.assert_array_equal(out.data, np.float16(1 / 70000))
    torch = pytest.importorskip("torch")
    np.testing.assert_array_equal(out.data, torch.softmax(torch.zeros(70000, dtype=torch.float16), -1).numpy())


@pytest.mark.parametrize("axis", [-1, 0, None])
def test_softmax_of_float16_is_float16_with_a_float16_gradient(axis):
    x = ag.tensor(np.linspace(-2.0, 2.0, 12).reshape(3, 4).astype(np.float16), requires_grad=True)
    out = ag.softmax(x, axis=axis)
    assert out.dtype == np.float16
    out.backward(ag.tensor(np.arange(12.0).reshape(3, 4).astype(np.float16)))
    assert x.grad.dtype == np.float16


# ---- softmax of a range that overflows: right values; the subtraction's overflow warning kept (NumPy's) ----
INF = np.inf


@pytest.mark.parametrize("dtype, big", [(np.float64, 1e308), (np.float32, 3e38)])
def test_softmax_overflowing_range(dtype, big):
    x = np.array([big, -big], dtype)
    with pytest.warns(RuntimeWarning, match="overflow"):
        expected = np.exp(x - x.max())  # NumPy's own composition warns the same way
    with pytest.warns(RuntimeWarning, match="overflow"):
        y = ag.softmax(ag.tensor(x))
    np.testing.assert_array_equal(y.data, expected / expected.sum())
    assert y.dtype == dtype
    with pytest.warns(RuntimeWarning, match="overflow"):
        np.testing.assert_array_equal(ag.log_softmax(ag.tensor(x)).data, [0.0, -INF])


def test_softmax_overflowing_range_matches_torch():
    torch = pytest.importorskip("torch")
    x = np.array([1e308, -1e308, 0.0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        ours = ag.softmax(ag.tensor(x)).data
    np.testing.assert_array_equal(ours, torch.softmax(torch.tensor(x), 0).numpy())


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dtype_casts_first_and_the_gradient_comes_back_in_the_input_dtype_as_torch(name, dtype):
    # found by porting PyTorch's test_nn.py (test_softmax_results: fn(input, dtype=torch.float, dim=dim)):
    # ag.softmax, ag.log_softmax and the methods took no dtype=
    torch = pytest.importorskip("torch")
    a = np.linspace(-3.0, 2.0, 12).reshape(3, 4).astype(np.float16)
    cotangent = np.linspace(-1.0, 1.0, 12).reshape(3, 4)
    x, t = ag.tensor(a, requires_grad=True), torch.tensor(a, requires_grad=True)
    y = getattr(x, name)(1, dtype=dtype)
    expected = getattr(t, name)(1, dtype=getattr(torch, np.dtype(dtype).name))
    assert y.dtype == dtype
    np.testing.assert_allclose(y.data, expected.detach().numpy(), rtol=1e-6)
    y.backward(cotangent.astype(dtype))
    expected.backward(torch.tensor(cotangent.astype(dtype)))
    assert x.grad.dtype == np.float16
    np.testing.assert_array_equal(x.grad.data, t.grad.numpy())
    np.testing.assert_allclose(getattr(ag, name)(a, dim=0, dtype=dtype).data,
                               getattr(torch, name)(torch.tensor(a), 0, dtype=expected.dtype).numpy(), rtol=1e-6)


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
def test_dtype_must_be_a_float_dtype(name):
    with pytest.raises(TypeError, match=rf"^{name}: dtype must be a float dtype \(float16, float32 or float64\), "
                                        r"got dtype\('int64'\)"):
        getattr(ag, name)(ag.tensor([1.0, 2.0]), dtype=np.int64)
    with pytest.raises(TypeError, match=rf"^{name}: dtype must be a float dtype .*, got 'float33'$"):
        getattr(ag, name)(ag.tensor([1.0, 2.0]), dtype="float33")  # (found in review: it said "got None")
