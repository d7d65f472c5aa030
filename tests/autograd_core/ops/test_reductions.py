"""Reductions (autograd_core/ops/reductions.py): sum, mean, max, min, var, std, logsumexp with axis/keepdims."""
import math
import warnings

import numpy as np
import pytest
from hypothesis import strategies as st

import autograd_core as ag
from autograd_core.testing import gradcheck
from autograd_core.testing.strategies import axes
from optable import Op, generated_tests, spaced


def _axis_keepdims(shapes):
    (shape,) = shapes
    return st.fixed_dictionaries({"axis": axes(len(shape)), "keepdims": st.booleans()})


def _reduced_count(shape, axis):
    if axis is None:
        return int(np.prod(shape))
    axis = (axis,) if isinstance(axis, int) else axis
    return int(np.prod([shape[a] for a in axis]))


@st.composite
def _var_kwargs(draw, shapes):
    kwargs = draw(_axis_keepdims(shapes))
    count = _reduced_count(shapes[0], kwargs["axis"])
    kwargs["ddof"] = draw(st.sampled_from([0, 1] if count > 1 else [0]))
    return kwargs


def _spread_out(x, axis=None, keepdims=False, ddof=0):
    return bool(np.all(np.var(x, axis=axis, ddof=ddof) > 0.05))


def _one_axis(shapes):
    """None or one int axis; a 0-d input takes 0 and -1 too, as np.cumsum runs over it as over one element."""
    n = max(len(shapes[0]), 1)
    return st.fixed_dictionaries({"axis": st.one_of(st.none(), st.integers(-n, n - 1))})


def _scipy_free_logsumexp(x, axis=None, keepdims=False):
    return np.log(np.sum(np.exp(x), axis=axis, keepdims=keepdims))


REDUCTIONS = [
    Op("sum", ag.sum, np.sum, kwargs=_axis_keepdims),
    Op("sum_method", lambda x, **kw: x.sum(**kw), np.sum, kwargs=_axis_keepdims),
    Op("mean", ag.mean, np.mean, kwargs=_axis_keepdims),
    # max/min: unique values on a 0.1 grid, so there is no tie for finite differences to straddle.
    Op("max", ag.max, np.max, kwargs=_axis_keepdims, elements=spaced(), unique=True),
    Op("min", ag.min, np.min, kwargs=_axis_keepdims, elements=spaced(), unique=True),
    Op("max_method", lambda x, **kw: x.max(**kw), np.max, kwargs=_axis_keepdims, elements=spaced(), unique=True),
    Op("var", ag.var, np.var, kwargs=_var_kwargs),
    Op("var_method", lambda x, **kw: x.var(**kw), np.var, kwargs=_var_kwargs),
    # std: sqrt has an infinite slope at 0, so slices of (nearly) equal values are not drawn.
    Op("std", ag.std, np.std, kwargs=_var_kwargs, valid=_spread_out),
    Op("std_method", lambda x, **kw: x.std(**kw), np.std, kwargs=_var_kwargs, valid=_spread_out),
    Op("logsumexp", ag.logsumexp, _scipy_free_logsumexp, kwargs=_axis_keepdims),
    Op("cumsum", ag.cumsum, np.cumsum, kwargs=_one_axis),
]

globals().update(generated_tests(REDUCTIONS))


@pytest.mark.parametrize("reduce", [ag.max, ag.min])
def test_ties_split_the_gradient_equally(reduce):
    x = ag.tensor([[3.0, 1.0, 3.0], [1.0, 1.0, 2.0]], requires_grad=True)
    reduce(x).backward()
    expected = [[0.5, 0, 0.5], [0, 0, 0]] if reduce is ag.max else [[0, 1 / 3, 0], [1 / 3, 1 / 3, 0]]
    np.testing.assert_allclose(x.grad.data, expected)


def test_ties_split_per_reduced_slice():
    x = ag.tensor([[2.0, 2.0], [1.0, 5.0]], requires_grad=True)
    ag.max(x, axis=1).sum().backward()
    np.testing.assert_allclose(x.grad.data, [[0.5, 0.5], [0.0, 1.0]])


def test_logsumexp_is_stable_for_large_inputs():
    x = ag.tensor([[1000.0, 1000.0], [-1000.0, -1001.0]], requires_grad=True)
    out = ag.logsumexp(x, axis=1)
    np.testing.assert_allclose(out.data, [1000 + np.log(2), -1000 + np.log1p(np.exp(-1))])
    out.sum().backward()
    assert np.all(np.isfinite(x.grad.data))
    np.testing.assert_allclose(x.grad.data.sum(axis=1), [1.0, 1.0])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_std_of_a_slice_without_spread_has_gradient_zero_as_pytorch(dtype):
    """PyTorch's std_backward masks std == 0 to gradient 0 (sqrt's rule alone gives 0 * inf = NaN); one element
    per slice has no spread either. Second derivatives there are 0 too."""
    values = np.array([[1.0, 1.0, 1.0], [1.0, 2.0, 3.0]], dtype)
    x = ag.tensor(values, requires_grad=True)
    ag.std(x, axis=1).sum().backward()
    np.testing.assert_allclose(x.grad.data, [[0, 0, 0], [-1 / np.sqrt(6), 0, 1 / np.sqrt(6)]], rtol=1e-6)
    assert x.grad.dtype == dtype
    one = ag.tensor(values, requires_grad=True)
    ag.std(one, axis=0, keepdims=True)[:, :1].sum().backward()  # slices of 2, the first without spread
    np.testing.assert_array_equal(one.grad.data, 0)
    hessian = ag.hessian(lambda u: ag.std(u, axis=1).sum())(values.astype(np.float64)).data
    assert np.all(hessian[0, :, 0, :] == 0) and np.all(np.isfinite(hessian))
    torch = pytest.importorskip("torch")
    t = torch.tensor(values, requires_grad=True)
    t.std(dim=1, correction=0).sum().backward()
    np.testing.assert_allclose(x.grad.data, t.grad.numpy(), rtol=1e-6)


@pytest.mark.parametrize("values, ddof", [([1.0], 1), ([1.0, 2.0], 2), ([1.0, 2.0], 3), ([], 0)])
def test_var_without_degrees_of_freedom_is_inf_or_nan_with_a_warning_as_numpy(values, ddof):
    with pytest.warns(RuntimeWarning):
        expected = np.var(np.array(values), ddof=ddof)
    with pytest.warns(RuntimeWarning):
        got = ag.var(ag.tensor(values), ddof=ddof)
    np.testing.assert_array_equal(got.data, expected)


@pytest.mark.filterwarnings("ignore:divide by zero:RuntimeWarning", "ignore:invalid value:RuntimeWarning",
                            "ignore:var\\(\\):UserWarning")  # (torch's: "var(): degrees of freedom is <= 0")
def test_var_gradient_without_degrees_of_freedom_is_inf_or_nan_as_pytorch():
    # 2 (x - mean) / 0: an infinity of the sign of x - mean, NaN where x is its mean (0 / 0); the composition of mean,
    # subtract, square, sum and divide gave NaN everywhere.
    values = np.array([[1.0, 2.0], [3.0, 3.0]])
    x = ag.tensor(values, requires_grad=True)
    ag.var(x, axis=1, ddof=2).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [[-np.inf, np.inf], [np.nan, np.nan]])
    torch = pytest.importorskip("torch")
    t = torch.tensor(values, requires_grad=True)
    t.var(dim=1, correction=2).sum().backward()
    np.testing.assert_array_equal(x.grad.data, t.grad.numpy())


@pytest.mark.parametrize("shape, axis", [((0,), None), ((3, 0), 1), ((0, 2), 0), ((0, 2), 1)])
def test_mean_over_zero_elements_is_nan_with_a_warning_as_numpy(shape, axis):
    with warnings.catch_warnings(record=True) as numpy_warned:
        warnings.simplefilter("always")
        expected = np.mean(np.zeros(shape), axis=axis)
    x = ag.zeros(shape, requires_grad=True)
    with warnings.catch_warnings(record=True) as warned:
        warnings.simplefilter("always")
        got = ag.mean(x, axis=axis)
    assert got.shape == expected.shape and bool(warned) == bool(numpy_warned)
    np.testing.assert_array_equal(got.data, expected)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the gradient of an empty input is empty: nothing to warn about
        got.sum().backward()
    assert x.grad.shape == shape


@pytest.mark.filterwarnings("ignore:divide by zero:RuntimeWarning")  # log(0), as np.log
@pytest.mark.parametrize("values, expected", [([-np.inf, -np.inf], -np.inf), ([np.inf, 1.0], np.inf),
                                              ([-np.inf, 0.0], 0.0)])
def test_logsumexp_of_infinite_slices_as_pytorch(values, expected):
    # The shift by the max must skip infinite maxima: -inf - (-inf) would make these nan.
    assert ag.logsumexp(ag.tensor(values)).item() == expected
    masked = ag.log_softmax(ag.tensor([[-np.inf, 0.0, 0.0]]), axis=1).data  # a masked entry, as in attention
    np.testing.assert_array_equal(masked, [[-np.inf, -np.log(2), -np.log(2)]])


@pytest.mark.parametrize("shape, axis", [((0,), None), ((2, 0), 1), ((0, 3), 1), ((2, 0, 3), (1, 2))])
def test_logsumexp_softmax_and_log_softmax_over_an_empty_axis_as_pytorch(shape, axis):
    # An empty slice sums to 0: logsumexp is -inf (torch.logsumexp), and the softmaxes are empty.
    x = ag.zeros(shape, requires_grad=True)
    expected_shape = np.add.reduce(np.zeros(shape), axis=axis).shape
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        lse = ag.logsumexp(x, axis=axis)
        assert lse.shape == expected_shape and np.all(lse.data == -np.inf)
        lse.sum().backward()
        assert x.grad.shape == shape
        if isinstance(axis, int):
            assert ag.softmax(x, axis=axis).shape == ag.log_softmax(x, axis=axis).shape == shape


@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.int16, np.uint8, np.bool_])
def test_logsumexp_and_softmax_of_integers_are_floats_of_numpys_promotion(dtype):
    values = np.array([[1, 2, 3], [3, 0, 1]]).astype(dtype)
    wide = values.astype(np.float64)
    expected_dtype = np.exp(values).dtype  # float64, float32 or float16, as np.exp gives
    lse = ag.logsumexp(ag.tensor(values), axis=1)
    assert lse.dtype == expected_dtype == ag.softmax(ag.tensor(values), axis=1).dtype
    tolerance = 1e-3 if expected_dtype == np.float16 else 1e-6
    np.testing.assert_allclose(lse.data, np.log(np.exp(wide).sum(axis=1)), rtol=tolerance)
    np.testing.assert_allclose(ag.log_softmax(ag.tensor(values), axis=1).data,
                               wide - np.log(np.exp(wide).sum(axis=1, keepdims=True)), rtol=tolerance, atol=tolerance)


def test_float16_softmax_and_logsumexp_sum_in_float32_as_pytorch():
    # 100,000 terms of 1 overflow float16 (its largest value is 65,504).
    x = np.zeros(100_000, dtype=np.float16)
    assert ag.logsumexp(x).dtype == np.float16 and float(ag.logsumexp(x)) == pytest.approx(np.log(1e5), rel=1e-3)
    np.testing.assert_allclose(ag.softmax(x).data.astype(np.float64), 1e-5, rtol=1e-2)


def test_max_of_empty_is_a_clear_error():
    with pytest.raises(ValueError, match="max.*empty"):
        ag.max(ag.zeros((0, 3)))
    with pytest.raises(ValueError, match="min.*empty"):
        ag.min(ag.zeros((0, 3)), axis=0)


def test_max_along_a_non_empty_axis_of_an_empty_tensor_is_empty_as_numpy():
    assert ag.max(ag.zeros((0, 3)), axis=1).shape == (0,)
    assert ag.min(ag.zeros((2, 0, 3)), axis=(0, 2)).shape == (0,)


def test_argmax_bad_axis_names_the_operation():
    with pytest.raises(np.exceptions.AxisError, match=r"argmax: .*input shape \(2, 3\), axis=3"):
        ag.argmax(ag.ones((2, 3)), axis=3)
    with pytest.raises(ValueError, match=r"argmin: .*empty"):
        ag.argmin(ag.zeros((0,)))


_REDUCTIONS = ["sum", "mean", "var", "std", "max", "min", "logsumexp"]
_NUMPY_NAMES = {"sum": np.sum, "mean": np.mean, "var": np.var, "std": np.std, "max": np.max, "min": np.min}  # (no np.logsumexp)
_BAD_AXIS_CALLS = (
    [(name, lambda x, axis, name=name: getattr(ag, name)(x, axis=axis)) for name in _REDUCTIONS]
    + [(name, lambda x, axis, name=name: getattr(x, name)(axis=axis)) for name in _REDUCTIONS]
    + [(name, lambda x, axis, f=f: f(x, axis=axis)) for name, f in _NUMPY_NAMES.items()]
)


@pytest.mark.parametrize("axis", [2, -3, (0, 2)])
@pytest.mark.parametrize("name, call", _BAD_AXIS_CALLS)
def test_bad_axis_names_the_operation_and_the_shape(name, call, axis):
    with pytest.raises(np.exceptions.AxisError, match=rf"^{name}: .*\(2, 3\)"):
        call(ag.ones((2, 3)), axis)


@pytest.mark.parametrize("arg_extremum", [ag.argmax, ag.argmin])
def test_argmax_with_a_tuple_axis_names_the_operation(arg_extremum):
    with pytest.raises(TypeError, match=rf"^{arg_extremum.__name__}: .*axis=\(0, 1\).*one int"):
        arg_extremum(ag.ones((2, 3)), axis=(0, 1))


def test_argmax_argmin_are_not_differentiable():
    x = ag.tensor([[1.0, 3.0], [4.0, 2.0]], requires_grad=True)
    np.testing.assert_array_equal(ag.argmax(x, axis=1).data, [1, 0])
    np.testing.assert_array_equal(x.argmin(axis=0).data, [0, 1])
    assert not ag.argmax(x).requires_grad


def test_var_is_one_node_whose_gradient_is_2_centred_over_the_degrees_of_freedom():
    # One node: the composition's backward (mean, subtract, square, sum, divide) did about three times the work.
    values = np.random.default_rng(5).standard_normal((3, 4, 5))
    seed = np.random.default_rng(6).standard_normal((1, 4, 1))
    x = ag.tensor(values, requires_grad=True)
    out = ag.var(x, axis=(0, -1), keepdims=True, ddof=1)
    assert [n.op_name for n in ag.topological_order(out) if not n.is_leaf] == ["var"]
    out.backward(seed)
    expected = seed * 2 * (values - values.mean(axis=(0, 2), keepdims=True)) / (15 - 1)
    np.testing.assert_allclose(x.grad.data, expected, rtol=1e-14, atol=1e-15)
    torch = pytest.importorskip("torch")
    t = torch.tensor(values, requires_grad=True)
    t.var(dim=(0, 2), keepdim=True, correction=1).backward(torch.tensor(seed))
    np.testing.assert_allclose(x.grad.data, t.grad.numpy(), rtol=1e-14, atol=1e-15)


@pytest.mark.parametrize("axis, keepdims, ddof", [((0, 2), True, 1), ((-1, 0), False, 0), ((1,), True, 0),
                                                  (None, True, 1)])
def test_second_derivative_of_var_over_axis_tuples_matches_finite_differences_and_pytorch(axis, keepdims, ddof):
    # sin after var: the cotangent var's rule receives depends on x, so a rule whose mean or centring left the
    # recorded graph would give a wrong Hessian.
    from autograd_core.testing import gradgradcheck

    values = np.random.default_rng(7).standard_normal((2, 3, 4))
    assert gradgradcheck(lambda t: ag.sin(ag.var(t, axis=axis, keepdims=keepdims, ddof=ddof)), values)
    hessian = ag.hessian(lambda t: ag.sin(ag.var(t, axis=axis, keepdims=keepdims, ddof=ddof)).sum())(values).data
    torch = pytest.importorskip("torch")
    dim = axis if axis is not None else (0, 1, 2)
    expected = torch.autograd.functional.hessian(
        lambda t: torch.sin(t.var(dim=dim, keepdim=keepdims, correction=ddof)).sum(), torch.tensor(values))
    np.testing.assert_allclose(hessian, expected.numpy(), rtol=1e-10, atol=1e-12)


def test_third_derivative_of_var_and_logsumexp():
    x = np.array([0.3, -0.2, 0.9])
    # The gradient of var is 2(x - mean)/n: linear in x, so every third derivative vanishes...
    d2_var = ag.hessian(lambda t: ag.var(t))(x).data
    n = len(x)
    np.testing.assert_allclose(d2_var, 2 / n * (np.eye(n) - 1 / n), atol=1e-14)
    # ... and logsumexp's third derivatives are checked against finite differences of its Hessian.
    from autograd_core.testing import gradgradcheck

    assert gradgradcheck(lambda t: ag.grad(ag.logsumexp)(t), x)
    assert gradcheck(lambda t: ag.hessian(ag.logsumexp)(t), x)


@pytest.mark.parametrize("reduce", [ag.max, ag.min])
def test_nan_entry_takes_the_whole_gradient(reduce):
    x = ag.tensor([[1.0, np.nan, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
    out = reduce(x, axis=1)
    assert np.isnan(out.data[0]) and out.data[1] == (6.0 if reduce is ag.max else 4.0)
    out.sum().backward()
    expected = [[0, 1, 0], [0, 0, 1]] if reduce is ag.max else [[0, 1, 0], [1, 0, 0]]
    np.testing.assert_array_equal(x.grad.data, expected)


@pytest.mark.parametrize("kwargs, error, message", [
    ({"axis": "x"}, TypeError, r"var: invalid axis='x' for input shape \(2, 3\)"),
    ({"axis": 1.0}, TypeError, r"var: invalid axis=1.0"),
    ({"axis": (0, 0)}, ValueError, r"var: invalid axis=\(0, 0\) .*repeated axis.*distinct ints"),
    ({"ddof": "x"}, TypeError, r"var: ddof must be a number"),
    ({"keepdims": "x"}, TypeError, r"var: keepdims must be True or False, got 'x'"),
], ids=["str axis", "float axis", "repeated axis", "str ddof", "str keepdims"])
def test_var_names_itself_for_bad_arguments(kwargs, error, message):
    # The errors named sum or mean (var is built from them), or none at all.
    with pytest.raises(error, match=rf"^{message}"):
        ag.var(ag.ones((2, 3)), **kwargs)


@pytest.mark.parametrize("ddof", [np.int64(1), np.float64(1.0), np.float32(1.0)])
@pytest.mark.parametrize("name", ["var", "std"])
def test_float32_var_and_std_with_a_numpy_scalar_ddof_stay_float32_as_numpy(name, ddof):
    values = np.arange(6, dtype=np.float32).reshape(2, 3)
    expected = getattr(np, name)(values, axis=1, ddof=ddof)
    x = ag.tensor(values, requires_grad=True)
    out = getattr(ag, name)(x, axis=1, ddof=ddof)
    assert out.dtype == expected.dtype == np.float32
    np.testing.assert_allclose(out.data, expected, rtol=1e-6)
    out.sum().backward()
    assert x.grad.dtype == np.float32


@pytest.mark.parametrize("shape,axis", [((70000,), None), ((2, 3000), 1)], ids=["count-over-65504", "sum-over-65504"])
def test_mean_of_float16_sums_and_divides_in_float32_as_numpy(shape, axis):
    # float16 holds at most 65,504: NumPy (and PyTorch) accumulate its mean in float32 and return float16
    values = (np.random.default_rng(0).uniform(0.5, 1.5, shape) * (30.0 if axis else 0.001)).astype(np.float16)
    x = ag.tensor(values, requires_grad=True)
    out = ag.mean(x, axis=axis)
    expected = np.mean(values, axis=axis)
    assert out.dtype == expected.dtype == np.float16
    np.testing.assert_array_equal(out.data, expected)
    out.sum().backward()
    count = values.size // np.size(expected)
    np.testing.assert_array_equal(x.grad.data, np.full(shape, 1 / count, dtype=np.float16))


@pytest.mark.parametrize("ddof", [0, 1])
def test_var_of_float16_is_computed_in_float32_as_numpy(ddof):
    # 70,000 values: a count over float16's 65,504 (as a float16 divisor it is inf, and the variance 0)
    values = np.random.default_rng(1).uniform(0, 1, 70000).astype(np.float16)
    x = ag.tensor(values, requires_grad=True)
    out = ag.var(x, ddof=ddof)
    expected = np.var(values, ddof=ddof)
    assert out.dtype == expected.dtype == np.float16
    np.testing.assert_allclose(out.data, expected, rtol=1e-3)
    out.backward()  # d var / dx = 2 (x - mean) / (n - ddof), in float32, rounded to float16
    wide = values.astype(np.float32)
    reference = (2 * (wide - wide.mean()) / (wide.size - ddof)).astype(np.float16)
    np.testing.assert_allclose(x.grad.data.astype(np.float32), reference.astype(np.float32), rtol=1e-2, atol=1e-7)
    assert x.grad.dtype == np.float16


@pytest.mark.parametrize("name", ["sum", "mean", "max", "min", "logsumexp"])
def test_an_axis_out_of_range_names_the_valid_axes(name):
    x = ag.tensor(np.ones((2, 3)), requires_grad=True)
    with pytest.raises(np.exceptions.AxisError, match=rf"^{name}: invalid input of shapes/dtypes \[\(2, 3\) float64\] "
                                                      r".*axis 5 is out of bounds.*; valid axes are -2\.\.1$"):
        getattr(ag, name)(x, axis=5)


# ---- integers: mean, var and std accumulate in float64, as NumPy's do ------------------------------
# int64 nanosecond timestamps (2023-11-14): their sum overflows int64, their mean does not
_TIMESTAMPS = np.array([1_700_000_000_000_000_000 + 100 * i for i in range(6)], dtype=np.int64)
_NEAR_MAX = np.array([np.iinfo(np.uint64).max - 1, np.iinfo(np.uint64).max - 3], dtype=np.uint64)


@pytest.mark.parametrize("values", [_TIMESTAMPS, _NEAR_MAX], ids=["int64", "uint64"])
@pytest.mark.parametrize("name", ["mean", "var", "std"])
@pytest.mark.parametrize("form", ["method", "ag", "np"])
def test_integer_mean_var_std_accumulate_in_float64_as_numpy(values, name, form):
    t = ag.tensor(values)
    if form == "method":
        out = getattr(t, name)()
    elif form == "ag":
        out = getattr(ag, name)(t)
    else:
        out = getattr(np, name)(t)
    expected = getattr(np, name)(values)  # NumPy sums integers in float64 for these: no wrap-around
    assert out.dtype == expected.dtype == np.float64
    np.testing.assert_allclose(out.data, expected, rtol=1e-12)


def test_integer_mean_along_an_axis_matches_numpy():
    values = np.stack([_TIMESTAMPS, _TIMESTAMPS + 7])
    np.testing.assert_allclose(ag.tensor(values).mean(axis=1).data, values.mean(axis=1), rtol=1e-12)


_SETTINGS_X = np.arange(6.0).reshape(2, 3)


@pytest.mark.parametrize("keepdims", ["yes", None])
def test_logsumexp_refuses_a_keepdims_that_is_not_a_bool_as_sum_does(keepdims):
    with pytest.raises(TypeError):  # NumPy's reductions refuse it
        np.add.reduce(_SETTINGS_X, keepdims=keepdims)
    with pytest.raises(TypeError, match="logsumexp"):
        ag.logsumexp(ag.tensor(_SETTINGS_X), keepdims=keepdims)


@pytest.mark.parametrize("name", ["var", "std"])
@pytest.mark.parametrize("axis", [[0, 1], True], ids=["list", "bool"])
def test_var_and_std_name_themselves_in_an_axis_error(name, axis):
    with pytest.raises(TypeError):
        getattr(np, name)(_SETTINGS_X, axis=axis) if axis is not True else np.add.reduce(_SETTINGS_X, axis=axis)
    with pytest.raises(TypeError, match=rf"^{name}\b"):
        getattr(ag, name)(ag.tensor(_SETTINGS_X), axis=axis)


@pytest.mark.parametrize("keepdims", [0, 1])
def test_logsumexp_takes_keepdims_0_and_1_as_numpy_reductions_do(keepdims):
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    expected = np.log(np.sum(np.exp(x), axis=0, keepdims=keepdims))
    out = ag.logsumexp(ag.tensor(x), axis=0, keepdims=keepdims)
    assert out.shape == expected.shape
    np.testing.assert_allclose(out.data, expected, rtol=1e-12)


def test_logsumexp_keepdims_accepts_what_sum_accepts():
    x = ag.tensor([[1.0, 2.0], [3.0, 4.0]])
    assert ag.logsumexp(x, axis=1, keepdims=1).shape == ag.sum(x, axis=1, keepdims=1).shape == (2, 1)


def _ulps(got, exact, dtype):
    exact = np.asarray(exact, dtype=np.float64)
    spacing = np.spacing(np.abs(exact).astype(dtype)).astype(np.float64)
    return np.abs(np.asarray(got, dtype=np.float64) - exact) / spacing


def _exact_column_sums(x):
    """Correctly rounded column sums (math.fsum), in float64."""
    x = np.asarray(x, dtype=np.float64)
    return np.array([math.fsum(x[:, j]) for j in range(x.shape[1])])


@pytest.mark.parametrize("dtype, centre", [(np.float32, 1e3), (np.float64, 1e8)])
def test_sum_along_a_long_leading_axis_is_accurate_to_a_few_ulp_as_pytorch(dtype, centre):
    x = (centre + np.random.default_rng(0).standard_normal((2**17, 2))).astype(dtype)
    ulps = _ulps(ag.sum(ag.tensor(x), axis=0).data, _exact_column_sums(x), dtype)
    assert ulps.max() <= 8, ulps  # PyTorch: under 1 ulp; NumPy's sum down the rows: tens of ulp


@pytest.mark.parametrize("dtype, centre", [(np.float32, 1e3), (np.float64, 1e8)])
def test_mean_along_a_long_leading_axis_is_accurate_to_a_few_ulp_as_pytorch(dtype, centre):
    x = (centre + np.random.default_rng(1).standard_normal((2**17, 2))).astype(dtype)
    ulps = _ulps(ag.mean(ag.tensor(x), axis=0).data, _exact_column_sums(x) / x.shape[0], dtype)
    assert ulps.max() <= 8, ulps


def test_float32_var_along_a_long_leading_axis_of_data_with_a_large_mean_is_accurate_as_pytorch():
    # Data 1e4 + N(0, 1): the variance is 1. A mean off by 12 (a sequential float32 sum of 250,000 values near 1e4)
    # makes the centred squares 1 + 12**2: NumPy's order gave about 159, PyTorch 1.0019 (float64 reference 1.0019).
    x = (1e4 + np.random.default_rng(2).standard_normal((2**18, 2))).astype(np.float32)
    exact = x.astype(np.float64).var(axis=0)
    ulps = _ulps(ag.var(ag.tensor(x), axis=0).data, exact, np.float32)
    assert ulps.max() <= 16, (ag.var(ag.tensor(x), axis=0).data, exact)


def test_float32_mean_along_axis_0_agrees_with_torch_to_a_few_ulp():
    torch = pytest.importorskip("torch")
    x = (1 + np.random.default_rng(3).random((2**18, 4))).astype(np.float32)
    exact = _exact_column_sums(x) / x.shape[0]
    theirs = _ulps(torch.tensor(x).mean(0).numpy(), exact, np.float32).max()
    ours = _ulps(ag.mean(ag.tensor(x), axis=0).data, exact, np.float32).max()
    assert ours <= max(4 * theirs, 8), (ours, theirs)


@pytest.mark.parametrize("n, scale", [(50_000, 37.0), (100_000, 1000.0), (20_000, 1000.0)])
def test_float16_mean_gradient_is_the_correctly_rounded_scale_over_count(n, scale):
    # d(scale * mean(x))/dx_i = scale / n, rounded once to float16 (as PyTorch computes it). 1/n is a float16
    # subnormal for n > 16,384, so multiplying by the rounded 1/n is off by an ulp or two.
    x = ag.tensor(np.ones(n, np.float16), requires_grad=True)
    (ag.mean(x) * scale).backward()
    assert x.grad.dtype == np.float16
    assert x.grad.data[0] == np.float16(scale / n)


def test_float16_mean_gradient_matches_torch():
    torch = pytest.importorskip("torch")
    n = 50_000
    xt = torch.ones(n, dtype=torch.float16, requires_grad=True)
    (xt.mean() * 37.0).backward()
    x = ag.tensor(np.ones(n, np.float16), requires_grad=True)
    (ag.mean(x) * 37.0).backward()
    np.testing.assert_array_equal(x.grad.data, xt.grad.numpy())


# ---- found by mutation testing (session 17) -----------------------------------------------------------------
def test_var_refuses_a_backward_after_its_input_changed_in_place_as_torch():
    x = ag.tensor([1.0, 2.0, 4.0], requires_grad=True)
    v = ag.var(x)
    with ag.no_grad():
        x[...] = 0.0  # a leaf changed under no_grad: var's rule reads x
    with pytest.raises(RuntimeError):
        v.backward()
    torch = pytest.importorskip("torch")
    tx = torch.tensor([1.0, 2.0, 4.0], requires_grad=True)
    tv = torch.var(tx, unbiased=False)
    with torch.no_grad():
        tx[...] = 0.0
    with pytest.raises(RuntimeError):  # the reference refuses too
        tv.backward()


# ---- cumsum ----------------------------------------------------------------------------------
def test_cumsum_gradient_sums_the_cotangent_from_each_position_to_the_end():
    x = ag.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
    out = ag.cumsum(x, axis=1)
    np.testing.assert_array_equal(out.data, [[1, 3, 6], [4, 9, 15]])
    out.backward(ag.tensor([[1.0, 10.0, 100.0], [2.0, 20.0, 200.0]]))
    np.testing.assert_array_equal(x.grad.data, [[111, 110, 100], [222, 220, 200]])


def test_cumsum_along_a_negative_axis_is_the_same_as_the_positive_one():
    values = np.arange(24.0).reshape(2, 3, 4)
    cotangent = np.random.default_rng(0).standard_normal((2, 3, 4))
    grads = []
    for axis in (-2, 1):
        x = ag.tensor(values, requires_grad=True)
        out = ag.cumsum(x, axis=axis)
        np.testing.assert_array_equal(out.data, np.cumsum(values, axis=1))
        out.backward(cotangent)
        grads.append(x.grad.data)
    np.testing.assert_array_equal(grads[0], grads[1])
    np.testing.assert_allclose(grads[0], np.flip(np.cumsum(np.flip(cotangent, 1), 1), 1), rtol=1e-12)


def test_cumsum_with_axis_none_runs_over_the_flattened_values_and_the_gradient_keeps_the_shape():
    x = ag.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    out = x.cumsum()  # the method, as ndarray.cumsum
    np.testing.assert_array_equal(out.data, [1, 3, 6, 10])
    out.backward(ag.tensor([1.0, 10.0, 100.0, 1000.0]))
    np.testing.assert_array_equal(x.grad.data, [[1111, 1110], [1100, 1000]])


@pytest.mark.parametrize("axis", [None, 0, -1])
def test_cumsum_of_a_0d_tensor_is_1d_as_numpy_and_its_gradient_0d(axis):
    x = ag.tensor(2.5, requires_grad=True)
    out = ag.cumsum(x, axis=axis)
    assert out.shape == np.cumsum(np.float64(2.5), axis=axis).shape == (1,)
    out.backward(ag.tensor([3.0]))
    assert x.grad.shape == () and x.grad.item() == 3.0


@pytest.mark.parametrize("shape, axis", [((0,), None), ((2, 0), 1), ((0, 3), 0), ((0, 3), None)])
def test_cumsum_of_an_empty_tensor_is_empty_with_an_empty_gradient(shape, axis):
    x = ag.zeros(shape, requires_grad=True)
    out = ag.cumsum(x, axis=axis)
    assert out.shape == np.cumsum(np.zeros(shape), axis=axis).shape
    out.backward(np.ones(out.shape))
    assert x.grad.shape == shape


def test_cumsum_of_a_nan_makes_the_later_sums_nan_while_the_gradient_stays_finite():
    x = ag.tensor([1.0, np.nan, 2.0], requires_grad=True)
    out = ag.cumsum(x)
    np.testing.assert_array_equal(out.data, [1.0, np.nan, np.nan])
    out.backward(np.ones(3))
    np.testing.assert_array_equal(x.grad.data, [3.0, 2.0, 1.0])  # the Jacobian does not depend on x


@pytest.mark.parametrize("axis", [None, 0, 1])
def test_cumsum_keeps_float32_forward_first_and_second_derivatives(axis):
    x = ag.tensor(np.arange(6.0).reshape(2, 3).astype(np.float32), requires_grad=True)
    out = ag.cumsum(x, axis=axis)
    assert out.dtype == np.float32
    first = ag.backprop((out ** 2).sum(), create_graph=True)[x]
    second = ag.backprop((first ** 2).sum())[x]
    assert first.dtype == second.dtype == np.float32
    np.testing.assert_allclose(first.data, 2 * np.cumsum(np.cumsum(x.data, axis=axis)[::-1])[::-1].reshape(2, 3)
                               if axis is None else 2 * np.flip(np.cumsum(np.flip(out.data, axis), axis), axis),
                               rtol=1e-6)


def test_cumsum_of_integers_and_bools_sums_in_numpys_integer_type():
    for values in (np.array([1, 2, 3], np.int8), np.array([True, True, False])):
        out = ag.cumsum(ag.tensor(values))
        assert out.dtype == np.cumsum(values).dtype
        np.testing.assert_array_equal(out.data, np.cumsum(values))


def test_cumsum_frees_its_graph_and_reads_only_the_shape():
    x = ag.tensor([1.0, 2.0, 3.0], requires_grad=True)
    out = ag.cumsum(x)
    with ag.no_grad():
        x += 1  # the rule reads x's shape only: still backpropagates, as torch.cumsum
    out.backward(np.ones(3))
    np.testing.assert_array_equal(x.grad.data, [3.0, 2.0, 1.0])
    with pytest.raises(RuntimeError, match="second time"):
        out.backward(np.ones(3))


def test_np_cumsum_on_a_tensor_runs_the_engine_dtype_casting_first():
    x = ag.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    out = np.cumsum(x, axis=0, dtype=np.float32)
    assert isinstance(out, ag.Tensor) and out.dtype == np.float32
    np.testing.assert_array_equal(out.data, [[1, 2], [4, 6]])
    out.sum().backward()
    np.testing.assert_array_equal(x.grad.data, [[2, 2], [1, 1]])
    with pytest.raises(TypeError, match=r"^np\.cumsum on Tensors: out=.* is not supported"):
        np.cumsum(x, out=np.empty(4))


@pytest.mark.parametrize("axis, error, message", [
    (2, np.exceptions.AxisError, r"^cumsum: invalid input of shapes/dtypes \[\(2, 3\) float64\] with \{'axis': 2\}: "
                                 r"axis 2 is out of bounds for array of dimension 2; valid axes are -2..1$"),
    (-3, np.exceptions.AxisError, r"^cumsum: .*\(2, 3\).*axis -3 is out of bounds.*valid axes are -2..1$"),
    ((0, 1), TypeError, r"^cumsum: invalid input of shapes/dtypes \[\(2, 3\) float64\] with \{'axis': \(0, 1\)\}: .*; "
                        r"axis must be None \(x flattened\) or one int in \[-ndim, ndim\)$"),
    (True, TypeError, r"^cumsum: .*\{'axis': True\}: an integer is required for the axis; axis must be None"),
])
def test_cumsum_with_a_bad_axis_names_itself_the_shape_and_the_valid_axes(axis, error, message):
    with pytest.raises(error, match=message):
        ag.cumsum(ag.ones((2, 3), requires_grad=True), axis=axis)


@pytest.mark.parametrize("axis", [0, 1, -1, None])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_cumsum_against_pytorch(axis, dtype):
    rng = np.random.default_rng(1)
    values, cotangent = rng.standard_normal((3, 4)).astype(dtype), rng.standard_normal(12).astype(dtype)
    cotangent = cotangent if axis is None else cotangent.reshape(3, 4)
    x = ag.tensor(values, requires_grad=True)
    out = ag.cumsum(x, axis=axis)
    out.backward(cotangent)
    tol = {"rtol": 1e-5, "atol": 1e-6} if dtype == np.float32 else {"rtol": 1e-12, "atol": 1e-12}
    np.testing.assert_allclose(out.data, np.cumsum(values, axis=axis), **tol)
    torch = pytest.importorskip("torch")
    t = torch.tensor(values, requires_grad=True)
    t_out = torch.cumsum(t.reshape(-1), 0) if axis is None else torch.cumsum(t, axis)
    t_out.backward(torch.tensor(cotangent))
    np.testing.assert_allclose(out.data, t_out.detach().numpy(), **tol)
    np.testing.assert_allclose(x.grad.data, t.grad.numpy(), **tol)


def test_logsumexp_of_a_slice_of_minus_inf_alone_is_minus_inf_without_warnings():
    # as PyTorch's: the value -inf, the gradient NaN there (exp(-inf - -inf)), the other slices untouched; no NumPy
    # warning (log 0, inf - inf), also when the pass is recorded
    x = np.array([[-np.inf, -np.inf], [0.0, 1.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        leaf = ag.tensor(x, requires_grad=True)
        out = ag.logsumexp(leaf, axis=1)
        assert out.data[0] == -np.inf and out.data[1] == np.log(np.exp(0.0) + np.exp(1.0))
        grad = ag.grad(lambda t: ag.logsumexp(t, axis=1).sum())(leaf)
        assert np.isnan(grad.data[0]).all()
        np.testing.assert_allclose(grad.data[1], np.exp([0.0, 1.0]) / np.exp([0.0, 1.0]).sum())
        first = ag.backprop(ag.logsumexp(leaf, axis=1).sum(), create_graph=True)[leaf]
        assert np.isnan(first.data[0]).all()


# ---- torch.max(input, other): a Tensor where the axis goes is the elementwise form (d2l's relu from scratch,
# torch.max(X, torch.zeros_like(X))); an integer Tensor of one element stays an axis ----
@pytest.mark.parametrize("reduce, elementwise", [(ag.max, np.maximum), (ag.min, np.minimum)])
def test_max_min_with_a_tensor_other_is_elementwise(reduce, elementwise):
    x = ag.tensor([[-1.0, 2.0, 0.5], [3.0, -4.0, 0.0]], requires_grad=True)
    other = ag.tensor([0.0, 1.0, 0.5])
    out = reduce(x, other)
    np.testing.assert_array_equal(out.data, elementwise(x.data, other.data))
    np.testing.assert_array_equal(getattr(x, reduce.__name__)(np.asarray(other.data)).data, out.data)
    assert gradcheck(lambda t: reduce(t, ag.tensor([0.1, 1.0, 0.4])), x)
    out.sum().backward()  # a tie (0.5 and 0.5) splits the gradient in half, as torch's
    assert x.grad.data[0, 2] == 0.5
    np.testing.assert_array_equal(reduce(ag.ones((2, 3)), ag.tensor(1)).data, np.ones(2))  # still axis 1
    with pytest.raises(TypeError, match=rf"{reduce.__name__}: keepdims is for a reduction over axes"):
        reduce(x, other, keepdims=True)


def test_max_with_a_tensor_other_matches_torch():
    torch = pytest.importorskip("torch")
    values = np.array([-1.0, 2.0, 0.0, 3.0])
    x, t = ag.tensor(values, requires_grad=True), torch.tensor(values, requires_grad=True)
    ag.max(x, ag.zeros_like(x)).sum().backward()
    torch.max(t, torch.zeros_like(t)).sum().backward()
    np.testing.assert_array_equal(x.grad.data, t.grad.numpy())
    np.testing.assert_array_equal(ag.min(x, ag.ones(4)).data, torch.min(t, torch.ones(4)).detach().numpy())
