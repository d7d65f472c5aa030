"""prod (autograd_core/ops/reductions.py): values and dtypes as np.prod, and a gradient right where slices hold zeros
(the product of the others, never prod / x), to second order."""
import numpy as np
import pytest
from hypothesis import strategies as st

import autograd_core as ag
from autograd_core.testing import gradcheck, gradgradcheck
from autograd_core.testing.strategies import axes, shapes
from optable import Op, generated_tests


def _axis_keepdims(shapes_):
    (shape,) = shapes_
    return st.fixed_dictionaries({"axis": axes(len(shape)), "keepdims": st.booleans()})


# Zeros drawn often (one, two or more in a slice), beside values of either sign. Products are polynomials in each
# entry, so central differences are exact there up to rounding: no point needs avoiding. The second-derivative check
# consumes the product with square (still a polynomial, of degree 2 in each entry: its central differences stay
# exact), not the default sin: sin of a product of 18 entries near 2 (about 2.6e5) curves within a step, and its
# finite differences missed by 0.3%.
WITH_ZEROS = st.one_of(st.just(0.0), st.just(0.0), st.floats(-2.0, 2.0))
LONGER = shapes(min_dims=1, max_dims=2, min_side=1, max_side=6).map(lambda s: (s,))  # slices of up to 6: many zeros

PROD = [
    Op("prod", ag.prod, np.prod, kwargs=_axis_keepdims, elements=(-2.0, 2.0), downstream=ag.square),
    Op("prod_with_zeros", ag.prod, np.prod, kwargs=_axis_keepdims, elements=WITH_ZEROS, downstream=ag.square),
    Op("prod_long_slices_with_zeros", ag.prod, np.prod, kwargs=_axis_keepdims, elements=WITH_ZEROS, shapes=LONGER,
       downstream=ag.square),
    Op("prod_method", lambda x, **kw: x.prod(**kw), np.prod, kwargs=_axis_keepdims, elements=WITH_ZEROS,
       downstream=ag.square),
    Op("np.prod", np.prod, np.prod, kwargs=_axis_keepdims, elements=WITH_ZEROS, downstream=ag.square),
]

globals().update(generated_tests(PROD))


def _others(values):
    """The product of the other entries, for each entry of a 1-D array: the exact gradient, computed the slow way."""
    return np.array([np.prod(np.delete(values, i)) for i in range(len(values))])


@pytest.mark.parametrize("values", [[2.0, 0.0, 3.0, 4.0], [0.0, 5.0, 0.0, 2.0], [0.0, 0.0, 0.0], [1.5, -2.0, 0.5]])
def test_gradient_is_the_product_of_the_others_with_zeros(values):
    x = ag.tensor(values, requires_grad=True)
    x.prod().backward()
    np.testing.assert_array_equal(x.grad.data, _others(np.array(values)))
    assert np.all(np.isfinite(x.grad.data))  # (prod / x would give nan at a zero)


def test_one_zero_gets_the_product_of_the_rest_and_two_zeros_give_zero():
    x = ag.tensor([[2.0, 0.0, 3.0], [0.0, 0.0, 7.0]], requires_grad=True)
    ag.prod(x, axis=1).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [[0.0, 6.0, 0.0], [0.0, 0.0, 0.0]])


@pytest.mark.parametrize("values", [
    [2.0, 0.0, 3.0, -1.0, 4.0, 0.5, 1.5],   # one zero
    [0.0, 2.0, 0.0, 3.0, 1.0, -2.0, 5.0],   # two: the Hessian's entry between them is the product of the rest
    [0.0, 0.0, 0.0, 3.0, 2.0],              # three: the Hessian is 0
    [1.0, -2.0, 3.0, 0.5, 2.0, 1.5, -1.0, 0.25, 2.0, 3.0, 1.0, 2.0, 0.5],  # none, 13 entries (the scan's odd steps)
])
def test_hessian_with_zeros_is_the_product_of_all_but_two(values):
    values = np.array(values)
    n = len(values)
    expected = np.array([[0.0 if i == j else np.prod(np.delete(values, [i, j])) for j in range(n)] for i in range(n)])
    np.testing.assert_allclose(ag.hessian(ag.prod)(values).data, expected, rtol=1e-12, atol=0)


def test_third_derivative_across_three_zeros_is_the_product_of_the_rest():
    values = np.array([0.0, 0.0, 2.0, 0.0, 3.0])
    third = ag.jacobian(ag.hessian(ag.prod))(values).data
    assert third[0, 1, 3] == 6.0 and third[3, 0, 1] == 6.0 and third[0, 1, 2] == 0.0


def test_second_derivative_with_zeros_over_several_axes_matches_finite_differences():
    x = np.array([[[0.0, 1.5], [2.0, 0.0]], [[0.0, -1.0], [0.5, 2.0]], [[1.0, 0.0], [0.0, 0.0]]])
    for axis in [None, (0, 2), 1, (1, 2)]:
        f = lambda t: ag.sin(ag.prod(t, axis=axis, keepdims=True))
        assert gradcheck(f, x, atol=1e-8, rtol=1e-7) and gradgradcheck(f, x, atol=1e-8, rtol=1e-7)


@pytest.mark.parametrize("dtype, expected", [(np.int32, np.int64), (np.int64, np.int64), (np.bool_, np.int64),
                                             (np.uint8, np.uint64), (np.float32, np.float32), (np.float16, np.float16)])
def test_dtypes_follow_numpy(dtype, expected):
    values = np.array([[1, 2], [3, 1]], dtype)
    out = ag.prod(ag.tensor(values), axis=0)
    assert out.dtype == expected == np.prod(values, axis=0).dtype
    np.testing.assert_array_equal(out.data, np.prod(values, axis=0))
    assert not out.requires_grad


def test_integer_input_cannot_require_grad():
    with pytest.raises((TypeError, RuntimeError, ValueError)):
        ag.tensor([1, 2], requires_grad=True)


def test_empty_slice_has_product_one_and_an_empty_gradient():
    x = ag.tensor(np.zeros((0, 3)), requires_grad=True)
    out = ag.prod(x, axis=0)
    np.testing.assert_array_equal(out.data, [1.0, 1.0, 1.0])
    out.sum().backward()
    assert x.grad.shape == (0, 3)


@pytest.mark.parametrize("shape, axis", [((0, 3), 1), ((0,), ()), ((2, 0, 3), (0, 2)), ((0, 2), None)])
def test_no_slice_to_multiply_gives_an_empty_gradient(shape, axis):
    # the slices are nonempty but there are none (NumPy cannot reshape (0, 3) to (0, -1)): backward used to raise
    x = ag.tensor(np.zeros(shape), requires_grad=True)
    ag.prod(x, axis=axis).sum().backward(create_graph=True)
    assert x.grad.shape == shape


def test_errors_name_prod_and_the_axis():
    x = ag.ones((2, 3))
    with pytest.raises(np.exceptions.AxisError, match="prod"):
        ag.prod(x, axis=2)
    with pytest.raises(TypeError, match="prod: got both axis=0 and dim=1"):
        ag.prod(x, 0, dim=1)
    with pytest.raises(TypeError, match="prod: keepdims must be True or False"):
        ag.prod(x, keepdims="no")
    with pytest.raises(TypeError, match="np.prod on Tensors: .*initial"):
        np.prod(x, initial=2.0)


@pytest.mark.parametrize("spell, axis_form", [
    (lambda x: x.prod(dim=1, keepdim=True), lambda x: ag.prod(x, axis=1, keepdims=True)),
    (lambda x: ag.prod(x, dim=(0, 2)), lambda x: ag.prod(x, axis=(0, 2))),
    (lambda x: np.multiply.reduce(x, axis=1, keepdims=True), lambda x: ag.prod(x, axis=1, keepdims=True)),
    (lambda x: np.multiply.reduce(x), lambda x: ag.prod(x, axis=0)),  # (ufunc.reduce's default axis is 0)
])
def test_other_spellings_give_the_axis_form(spell, axis_form):
    values = np.array([[[0.0, 2.0], [3.0, -1.0]], [[0.5, 0.0], [0.0, 2.0]]])
    x, y = ag.tensor(values, requires_grad=True), ag.tensor(values, requires_grad=True)
    out = spell(x)
    expected = axis_form(y)
    np.testing.assert_array_equal(out.data, expected.data)
    out.sum().backward()
    expected.sum().backward()
    np.testing.assert_array_equal(x.grad.data, y.grad.data)


def test_np_prod_casts_to_dtype_first():
    x = ag.tensor([1.0, 2.0, 3.0], dtype=np.float32, requires_grad=True)
    out = np.prod(x, dtype=np.float64)
    assert out.dtype == np.float64 and out.requires_grad and float(out) == 6.0


@pytest.mark.parametrize("values", [[2.0, 0.0, 3.0, 4.0], [0.0, 5.0, 0.0, 2.0], [0.0, 0.0, 0.0], [1.5, -2.0, 0.5]])
def test_first_and_second_derivatives_match_torch_with_zeros(values):
    torch = pytest.importorskip("torch")
    rows = np.array([values, values[::-1]])
    weights = np.array([0.7, -1.3])
    t = torch.tensor(rows, requires_grad=True)
    (first,) = torch.autograd.grad((torch.sin(t.prod(dim=1)) * torch.tensor(weights)).sum(), t, create_graph=True)
    (second,) = torch.autograd.grad((first * first).sum(), t)
    x = ag.tensor(rows, requires_grad=True)
    (ag.sin(x.prod(dim=1)) * weights).sum().backward(create_graph=True)
    ours_first = x.grad
    x.grad = None
    (ours_first * ours_first).sum().backward()
    np.testing.assert_allclose(ours_first.data, first.detach().numpy(), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(x.grad.data, second.numpy(), rtol=1e-12, atol=1e-15)


def test_dtypes_match_torch():
    torch = pytest.importorskip("torch")
    for dtype, torch_dtype in [(np.int32, torch.int32), (np.bool_, torch.bool), (np.float32, torch.float32)]:
        values = np.array([[1, 2], [3, 1]], dtype)
        assert str(ag.prod(ag.tensor(values)).dtype) == str(torch.tensor(values).prod().dtype).removeprefix("torch.")


# ---- a 0-d input along its only axis (0 or -1), as NumPy's prod reduces it (and sum, max, min here) ----
@pytest.mark.parametrize("axis", [0, -1, np.int64(0)])
@pytest.mark.parametrize("keepdims", [False, True])
def test_prod_of_a_0d_input_along_its_only_axis(axis, keepdims):
    t = ag.tensor(2.5, requires_grad=True)
    out = ag.prod(t, axis=axis, keepdims=keepdims)
    expected = np.prod(np.array(2.5), axis=axis, keepdims=keepdims)
    assert out.shape == np.shape(expected) and float(out) == float(expected)
    out.backward()
    assert t.grad.shape == () and float(t.grad) == 1.0
    assert gradgradcheck(lambda x: ag.prod(x, axis=axis) ** 3, np.array(1.5))


def test_other_axes_of_a_0d_input_stay_refused():
    for call in (lambda t: ag.ptp(t, axis=1), lambda t: ag.ptp(t, axis=(0,)), lambda t: ag.prod(t, axis=1),
                 lambda t: ag.ptp(t, axis=True)):
        with pytest.raises((np.exceptions.AxisError, TypeError), match="ptp|prod"):
            call(ag.tensor(2.0))
