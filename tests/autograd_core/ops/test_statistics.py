"""NumPy's cumprod, ptp, average and median on Tensors (autograd_core/ops/statistics.py). One declaration each drives
the generated tests; then zeros in cumprod (its gradient vs finite differences and torch.cumprod, to second order),
median's ties, even counts and NaNs, weights, dtypes and the errors."""
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd_core as ag
from autograd_core.testing import gradcheck, gradgradcheck
from autograd_core.testing.strategies import shapes
from checks import INF, NAN, gradient_at
from optable import Op, axis_of, generated_tests, one_input, spaced


def _axes_of(shape):
    """None, an int, or a tuple of distinct axes."""
    n = len(shape)
    tuples = st.lists(st.integers(0, n - 1), unique=True, min_size=1, max_size=n).map(tuple) if n else st.none()
    return st.none() | (axis_of(shape) if n else st.none()) | tuples


def _reduction_kwargs(shape):
    return st.fixed_dictionaries({"axis": _axes_of(shape), "keepdims": st.booleans()})


def _cumprod_kwargs(shape):
    return st.fixed_dictionaries({"axis": st.none() | axis_of(shape) if shape else st.none()})


@st.composite
def _weighted(draw):
    """(x's shape, weights' shape), {axis}: weights of x's shape, or 1-D along one axis."""
    shape = draw(shapes(min_dims=1, max_dims=3, min_side=1, max_side=3))
    if draw(st.booleans()):
        return (shape, shape), {"axis": draw(_axes_of(shape))}
    axis = draw(axis_of(shape))
    return (shape, (shape[axis],)), {"axis": axis}


# The second-derivative check consumes the products with square (a polynomial of degree 2 in each entry, whose
# central differences are exact), not the default sin, which a product of 18 entries near 2 (about 2**18) turns
# faster than the finite differences' step can follow; entries within 1.5 keep the values moderate besides.
def _cumprod_with_zeros():
    # exact zeros, often several, among other values: the gradient there is the point of the rule
    return st.one_of(st.just(0.0), st.floats(-1.5, 1.5))


STATISTICS = [
    Op("cumprod", ag.cumprod, np.cumprod, case=one_input(_cumprod_kwargs), elements=_cumprod_with_zeros(),
       downstream=ag.square),
    Op("np.cumprod", np.cumprod, np.cumprod, case=one_input(_cumprod_kwargs), elements=(-1.5, 1.5),
       downstream=ag.square),
    # ptp and median pick entries: unique values keep the finite differences away from ties
    Op("ptp", ag.ptp, np.ptp, case=one_input(_reduction_kwargs), elements=spaced(), unique=True),
    Op("median", ag.median, np.median, case=one_input(_reduction_kwargs), elements=spaced(), unique=True),
    Op("np.median", np.median, np.median, case=one_input(_reduction_kwargs), elements=spaced(), unique=True),
    Op("average", lambda x, w, axis: ag.average(x, axis=axis, weights=w),
       lambda x, w, axis: np.average(x, axis=axis, weights=w), arity=2, case=_weighted(),
       elements=[(-3.0, 3.0), (0.5, 2.0)]),
    Op("np.average", lambda x, w, axis: np.average(x, axis=axis, weights=w),
       lambda x, w, axis: np.average(x, axis=axis, weights=w), arity=2, case=_weighted(),
       elements=[(-3.0, 3.0), (0.5, 2.0)]),
    Op("average_unweighted", ag.average, np.average, case=one_input(lambda s: st.fixed_dictionaries(
        {"axis": _axes_of(s), "keepdims": st.booleans()}))),
]

globals().update(generated_tests(STATISTICS))


# ---- cumprod: zeros --------------------------------------------------------------------------------------------------
ZEROS = [np.array([2.0, 0.0, 3.0, 4.0]), np.array([0.0, 2.0, 0.0, 5.0, 0.5]), np.array([0.0, 0.0, 0.0]),
         np.array([1.5, -2.0, 0.0]), np.array([[0.0, 2.0, 3.0], [4.0, 0.0, 0.0]])]


@pytest.mark.parametrize("x", ZEROS, ids=["one", "two", "all", "last", "rows"])
def test_cumprod_gradient_with_zeros_matches_finite_differences_to_second_order(x):
    assert gradcheck(lambda t: ag.cumprod(t, axis=-1), x)
    assert gradgradcheck(lambda t: ag.sin(ag.cumprod(t, axis=-1)), x)
    assert gradgradcheck(lambda t: ag.sin(ag.cumprod(t)), x)  # (flattened)


@pytest.mark.parametrize("x", ZEROS, ids=["one", "two", "all", "last", "rows"])
def test_cumprod_gradient_with_zeros_matches_torch_to_second_order(x):
    torch = pytest.importorskip("torch")
    weights = np.random.default_rng(0).normal(size=x.shape)
    leaf, reference = ag.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    ours, = ag.grad(lambda t: (ag.sin(ag.cumprod(t, axis=-1)) * weights).sum(), argnums=(0,))(leaf)
    theirs, = torch.autograd.grad((torch.sin(torch.cumprod(reference, -1)) * torch.tensor(weights)).sum(), reference,
                                  create_graph=True)
    np.testing.assert_allclose(ours.data, theirs.detach().numpy(), rtol=1e-12, atol=1e-14)
    second_ours = ag.grad(lambda t: (ag.grad(lambda u: (ag.sin(ag.cumprod(u, axis=-1)) * weights).sum())(t)
                                     ** 2).sum())(leaf)
    second_theirs, = torch.autograd.grad((theirs ** 2).sum(), reference)
    np.testing.assert_allclose(second_ours.data, second_theirs.numpy(), rtol=1e-10, atol=1e-12)


def test_cumprod_dtypes_are_numpys_and_a_long_axis_is_accurate():
    for dtype in (np.bool_, np.int8, np.uint16, np.int64, np.float32):
        x = (np.arange(6).reshape(2, 3) % 3 + 1).astype(dtype)
        for axis in (None, 0, 1):
            expected = np.cumprod(x, axis=axis)
            for out in (ag.cumprod(ag.tensor(x), axis), np.cumprod(ag.tensor(x), axis=axis)):
                assert out.dtype == expected.dtype
                np.testing.assert_array_equal(out.data, expected)
    x = np.random.default_rng(0).uniform(0.9, 1.1, 300)
    assert gradcheck(ag.cumprod, x)
    assert np.cumprod(ag.tensor(x, dtype=np.float32), dtype=np.float64).dtype == np.float64


# ---- median ----------------------------------------------------------------------------------------------------------
def test_median_of_an_even_count_splits_the_gradient_between_the_two_middles():
    x = ag.tensor([[4.0, 1.0, 3.0, 2.0], [5.0, 5.0, 5.0, 1.0]], requires_grad=True)
    out = ag.median(x, axis=1)
    np.testing.assert_array_equal(out.data, [2.5, 5.0])
    out.sum().backward()
    np.testing.assert_array_equal(x.grad.data, [[0.0, 0.0, 0.5, 0.5], [0.5, 0.5, 0.0, 0.0]])


def test_median_of_an_odd_count_with_ties_gives_one_element_the_gradient_as_torch():
    torch = pytest.importorskip("torch")
    x0 = np.array([[2.0, 1.0, 2.0, 2.0, 0.0], [3.0, 3.0, 1.0, 1.0, 1.0]])
    x, reference = ag.tensor(x0, requires_grad=True), torch.tensor(x0, requires_grad=True)
    out, expected = ag.median(x, axis=1), torch.median(reference, dim=1).values
    np.testing.assert_array_equal(out.data, expected.detach().numpy())
    out.sum().backward()
    expected.sum().backward()
    np.testing.assert_array_equal(x.grad.data.sum(axis=1), [1.0, 1.0])  # one element each
    assert set(np.flatnonzero(x.grad.data[0])) <= {0, 2, 3} and set(np.flatnonzero(x.grad.data[1])) <= {2, 3, 4}
    assert set(np.flatnonzero(reference.grad.numpy()[0])) <= {0, 2, 3}


def test_median_with_nan_is_nan_as_numpy_and_its_gradient_goes_to_a_nan():
    x = ag.tensor([[1.0, np.nan, 3.0], [1.0, 2.0, 3.0]], requires_grad=True)
    out = ag.median(x, axis=1)
    np.testing.assert_array_equal(out.data, np.median(x.data, axis=1))
    out.sum().backward()
    np.testing.assert_array_equal(x.grad.data, [[0.0, 1.0, 0.0], [0.0, 1.0, 0.0]])


def test_median_dtypes_and_empty_input_are_numpys():
    for dtype in (np.int8, np.int64, np.bool_, np.float32):
        x = (np.arange(6).reshape(2, 3) % 4).astype(dtype)
        for axis in (None, 0, 1):
            expected = np.median(x, axis=axis)
            out = np.median(ag.tensor(x), axis=axis)
            assert out.dtype == expected.dtype and out.shape == expected.shape
            np.testing.assert_array_equal(out.data, expected)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        assert np.isnan(ag.median(ag.zeros(0)).item())


# ---- ptp, average ----------------------------------------------------------------------------------------------------
def test_ptp_ties_split_the_gradient_as_max_and_min():
    x = ag.tensor([1.0, 3.0, 3.0, 1.0, 2.0], requires_grad=True)
    ag.ptp(x).backward()
    np.testing.assert_array_equal(x.grad.data, [-0.5, 0.5, 0.5, -0.5, 0.0])
    assert np.ptp(ag.tensor(np.array([1, 5], np.int8))).dtype == np.int8


def test_average_differentiates_the_weights_and_returns_their_sum():
    x0, w0 = np.array([[1.0, 2.0, 4.0], [3.0, 0.0, 1.0]]), np.array([1.0, 2.0, 0.5])
    assert gradcheck(lambda x, w: ag.average(x, axis=1, weights=w), x0, w0)
    avg, total = ag.average(ag.tensor(x0), axis=1, weights=w0, returned=True)
    expected_avg, expected_total = np.average(x0, axis=1, weights=w0, returned=True)
    np.testing.assert_allclose(avg.data, expected_avg)
    np.testing.assert_array_equal(total.data, expected_total)
    avg, total = ag.average(ag.tensor(x0), returned=True)
    assert total.item() == np.average(x0, returned=True)[1]
    assert ag.average(ag.tensor(np.array([1, 2], np.int32)), weights=[1, 3]).dtype == np.float64
    assert ag.average(ag.tensor(x0, dtype=np.float32), axis=0, weights=np.ones(2, np.float32)).dtype == np.float32


@settings(max_examples=10)
# (no subnormals: torch's cumprod backward divides the running product by x where x holds no zero, so at x = [1.5,
# 5e-324] it gives 2.0 for the exact 1.5, the product 1.5 * 5e-324 having rounded to 1e-323)
@given(x=hnp.arrays(np.float64, st.integers(1, 6), elements=st.floats(-3, 3, allow_subnormal=False)))
def test_average_and_cumprod_gradients_match_torch(x):
    torch = pytest.importorskip("torch")
    w = np.linspace(0.5, 2.0, x.size)
    for ours, theirs in ((lambda t: ag.average(t, weights=w), lambda t: (t * torch.tensor(w)).sum() / w.sum()),
                         (lambda t: ag.cumprod(t).sum(), lambda t: torch.cumprod(t, 0).sum())):
        leaf, reference = ag.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
        ours(leaf).backward()
        theirs(reference).backward()
        np.testing.assert_allclose(leaf.grad.data, reference.grad.numpy(), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("call, kind, message", [
    (lambda x: ag.cumprod(x, axis=1.0), TypeError, r"cumprod: axis must be None or an int, got 1.0"),
    (lambda x: ag.cumprod(x, axis=2), np.exceptions.AxisError, r"cumprod: invalid input of shapes/dtypes"),
    (lambda x: ag.ptp(x, axis=3), np.exceptions.AxisError, r"ptp: .*\(input shape \(2, 3\), axis=3\)"),
    (lambda x: ag.ptp(ag.tensor([True])), TypeError, r"ptp: a bool input has no range"),
    (lambda x: ag.ptp(ag.zeros((2, 0)), axis=1), ValueError,
     r"ptp: the reduced axes of input shape \(2, 0\) \(axis=1\) are empty"),
    (lambda x: ag.trace(ag.zeros(3)), ValueError, r"trace: the input must have at least 2 dimensions"),
    (lambda x: ag.median(x, axis=(0, 0)), ValueError, r"median: invalid axis=\(0, 0\) for input shape \(2, 3\)"),
    (lambda x: ag.average(x, weights=[1.0, 2.0, 3.0]), TypeError,
     r"average: weights of shape \(3,\) differ from the input's \(2, 3\); give axis="),
    (lambda x: ag.average(x, axis=1, weights=[1.0, 2.0]), ValueError,
     r"average: weights of shape \(2,\) fit neither the input's shape \(2, 3\) nor the shape \(3,\) of axis=1"),
    (lambda x: ag.average(x, axis=1, weights=[1.0, -1.0, 0.0]), ZeroDivisionError, r"average: the weights sum to"),
    (lambda x: np.median(x, out=np.zeros(3)), TypeError, r"np.median on Tensors: out= is not supported"),
])
def test_bad_arguments_raise_clear_errors(call, kind, message):
    with pytest.raises(kind, match=message):
        call(ag.zeros((2, 3)))


# ---- cumprod with inf or NaN: the gradient is the exact product of the other entries (torch's division rule gives
# NaN there) ----
def _cumprod_grad_reference(x):
    """d sum(cumprod(x)) / d x_i = prod(x_j, j < i) * (1 + x_{i+1} (1 + x_{i+2} (1 + ...))): the products of the
    other entries, the later ones in Horner's form (no division), in plain Python floats."""
    n = len(x)
    grad = []
    with np.errstate(invalid="ignore"):
        for i in range(n):
            before = np.prod(x[:i]) if i else 1.0
            after = 1.0
            for j in range(n - 1, i, -1):
                after = 1.0 + x[j] * after
            grad.append(before * after)
    return np.array(grad)


@pytest.mark.parametrize("values", [[2.0, INF, 3.0], [1.0, 2.0, INF], [INF, 0.0, 3.0], [-INF, 2.0, 0.0, 3.0],
                                    [1.0, NAN, 3.0], [0.5, INF, 2.0, 4.0, INF, 1.0]])
def test_cumprod_gradient_with_inf_is_the_product_of_the_others(values):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # (np.cumprod's own inf * 0 in the forward)
        x = ag.tensor(values, requires_grad=True)
        loss = ag.cumprod(x).sum()
    genuine = np.isinf(values).any() and not np.all(values)  # an inf times a 0 among the products: NaN, warned
    with warnings.catch_warnings():
        # the backward warns of nothing it does not compute (its scan's ignored first entry once gave 0 * inf)
        warnings.simplefilter("ignore" if genuine else "error", RuntimeWarning)
        loss.backward()
    np.testing.assert_array_equal(x.grad.data, _cumprod_grad_reference(values))


def test_cumprod_infinities_of_both_signs_may_give_nan():
    # a known limit, kept: the backward's log2(n)-step scan adds partial products of its own, which can meet as
    # inf + -inf where the sequential Horner form gives -inf (torch's rule gives NaN for all of them)
    values = [0.5, INF, 2.0, -INF, 1.0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        grad = gradient_at(ag.cumprod, values)
    assert np.isnan(grad[0]) and _cumprod_grad_reference(values)[0] == -INF
    np.testing.assert_array_equal(grad[1:], _cumprod_grad_reference(values)[1:])


def test_cumprod_with_inf_departs_from_torch_where_torch_gives_nan():
    torch = pytest.importorskip("torch")
    values = [2.0, INF, 3.0]
    t = torch.tensor(values, dtype=torch.float64, requires_grad=True)
    torch.cumprod(t, 0).sum().backward()
    assert np.isnan(t.grad.numpy()[1])  # torch: inf / inf
    assert gradient_at(ag.cumprod, values)[1] == 8.0  # ours: 2 + 2 * 3, the products of the others


# ---- a 0-d input along its only axis (0 or -1), as NumPy's: cumprod gives shape (1,) and is differentiable; ptp's
# value is 0 ----
@pytest.mark.parametrize("axis", [0, -1, np.int64(0), None])
def test_cumprod_of_a_0d_input_along_its_only_axis(axis):
    t = ag.tensor(2.5, requires_grad=True)
    out = ag.cumprod(t, axis=axis)
    expected = np.cumprod(np.array(2.5), axis=axis)
    assert out.shape == expected.shape == (1,)
    np.testing.assert_array_equal(out.data, expected)
    out.backward(ag.tensor([3.0]))
    assert t.grad.shape == () and float(t.grad) == 3.0
    assert gradgradcheck(lambda x: ag.cumprod(x, axis=axis) ** 2, np.array(1.5))
    np.cumprod(t, axis=axis).sum().backward()  # (through NumPy's function too)


def test_other_axes_of_a_0d_input_stay_refused():
    for axis in (1, -2):
        with pytest.raises(np.exceptions.AxisError, match="cumprod"):
            ag.cumprod(ag.tensor(2.0), axis=axis)


def test_cumprod_of_a_0d_tensor_along_its_only_axis_is_numpys_1d_result_with_its_gradient():
    # (its backward must not swap axes a 0-d array lacks); 1-D, as np.cumprod and ag.cumsum give
    x = ag.tensor(3.0, requires_grad=True)
    y = ag.cumprod(x, axis=0)
    np.testing.assert_array_equal(y.data, np.cumprod(np.array(3.0), axis=0))
    assert y.shape == ag.cumsum(x, axis=0).shape == (1,)
    assert gradcheck(lambda t: ag.cumprod(t, axis=0).sum(), np.array(3.0))
    assert gradgradcheck(lambda t: (ag.cumprod(t, axis=0) ** 2).sum(), np.array(3.0))
    # PyTorch's dim= keeps torch's 0-d result (found by porting PyTorch's OpInfo entries for cumsum and cumprod)
    assert x.cumprod(dim=-1).shape == ag.cumsum(x, dim=0).shape == ()
    assert gradgradcheck(lambda t: ag.cumprod(t, dim=0) ** 2, np.array(3.0))


@pytest.mark.parametrize("axis", [0, -1])
def test_ptp_of_a_0d_input_along_its_only_axis(axis):
    t = ag.tensor(2.5, requires_grad=True)
    out = ag.ptp(t, axis=axis)
    assert out.shape == np.shape(np.ptp(np.array(2.5), axis=axis)) and float(out) == 0.0
    out.backward()
    assert float(t.grad) == 0.0


# ---- cumprod's axis: a 0-d integer array is an int, as NumPy's operator.index reads it ----
def test_cumprod_takes_a_0d_integer_array_as_axis():
    x = np.arange(1.0, 7.0).reshape(2, 3)
    for axis in (np.array(1), np.int32(-1), 1):
        assert np.array_equal(ag.cumprod(ag.tensor(x), axis=axis).data, np.cumprod(x, axis=axis))
    for bad in (True, 1.0, np.array([1])):
        with pytest.raises(TypeError, match="cumprod: axis must be None or an int"):
            ag.cumprod(ag.tensor(x), axis=bad)


@pytest.mark.parametrize("kwargs", [{"dim": 1}, {"dim": 0, "keepdim": True}, {"keepdim": False}])
def test_median_refuses_pytorchs_dim_naming_what_to_write(kwargs):
    # (found by porting PyTorch's OpInfo entries for median: torch.median(x, dim=) returns (values, indices), the
    # lower middle element; ours raised Python's bare "unexpected keyword argument 'dim'")
    x = ag.tensor([[3.0, 1.0, 4.0, 2.0], [0.0, 5.0, 6.0, 7.0]])
    with pytest.raises(TypeError, match=r"^median: (dim=|keepdim=).* is not accepted: PyTorch's torch.median"):
        ag.median(x, **kwargs)
    # the advice's torch values: quantile's 'lower' method gives torch.median's lower middle element
    np.testing.assert_array_equal(ag.quantile(x, 0.5, axis=1, method="lower").numpy(), [2.0, 5.0])
