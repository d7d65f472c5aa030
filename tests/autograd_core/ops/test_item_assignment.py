"""t[index] = value while gradients are recorded: the assign operation (autograd_core/ops/indexing.py, PyTorch's
index_put_) that the Tensor takes the record of, checked against central differences and for second derivatives
over NumPy's kinds of index, against NumPy's values, and against PyTorch's gradients."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd_core as ag
from autograd_core.testing import gradcheck, gradgradcheck

_ELEMENTS = st.floats(-2.0, 2.0, allow_nan=False)


@st.composite
def _assignments(draw):
    """(x, index, value): x of 1 to 3 axes, an index of one of NumPy's kinds selecting each position once, and a value
    of x[index]'s shape or of a shape broadcasting to it."""
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4))
    x = draw(hnp.arrays(np.float64, shape, elements=_ELEMENTS))
    kind = draw(st.sampled_from(["int", "slice", "mask", "array", "pair"]))
    if kind == "int":
        index = draw(st.integers(-shape[0], shape[0] - 1))
    elif kind == "slice":
        index = slice(draw(st.integers(0, shape[0] - 1)), None, draw(st.integers(1, 2)))
    elif kind == "mask":
        index = draw(hnp.arrays(bool, shape))
    elif kind == "array":
        index = np.array(draw(st.lists(st.integers(0, shape[0] - 1), min_size=1, max_size=shape[0], unique=True)))
    else:
        index = (slice(None),) + (draw(st.integers(0, shape[1] - 1)),) if len(shape) > 1 else Ellipsis
    target = x[index].shape
    value_shape = draw(st.sampled_from([target, target[1:], ()])) if target else ()
    value = draw(hnp.arrays(np.float64, value_shape, elements=_ELEMENTS))
    return x, index, value


def _assigned(index):
    def f(x, value):
        y = x * x  # a recorded result, which the assignment changes in place
        y[index] = value * value
        return y * (y + 1)
    return f


@settings(max_examples=60, deadline=None)
@given(_assignments())
def test_assignment_matches_numpy_and_finite_differences(case):
    x, index, value = case
    ours = ag.tensor(x) * 1.0
    ours[index] = value
    expected = x.copy()
    expected[index] = value
    np.testing.assert_array_equal(ours.data, expected)
    assert gradcheck(_assigned(index), x, value)


@settings(max_examples=30, deadline=None)
@given(_assignments())
def test_assignment_second_derivatives(case):
    x, index, value = case
    assert gradgradcheck(_assigned(index), x, value)


def test_a_buffer_filled_row_by_row_is_the_stacked_rows_with_torchs_gradients():
    # SIREN's hessian/jacobian and the normalizing flows' `z[:, i] = ...`: writes into zeros of recorded rows
    rng = np.random.default_rng(0)
    w_values, x_values = rng.normal(size=(3, 3)), rng.normal(size=3)

    def run(lib):
        w, x = lib.tensor(w_values, requires_grad=True), lib.tensor(x_values, requires_grad=True)
        out = lib.zeros((3, 3), dtype=lib.float64)
        for i in range(3):
            out[i] = lib.tanh(w[i] * x)
        (out ** 2).sum().backward()
        return out, w.grad, x.grad

    out, w_grad, x_grad = run(ag)
    stacked_w, stacked_x = ag.tensor(w_values, requires_grad=True), ag.tensor(x_values, requires_grad=True)
    stacked = ag.stack([ag.tanh(stacked_w[i] * stacked_x) for i in range(3)])
    (stacked ** 2).sum().backward()
    np.testing.assert_allclose(out.data, stacked.data, rtol=1e-15)
    np.testing.assert_allclose(w_grad.data, stacked_w.grad.data, rtol=1e-15)
    np.testing.assert_allclose(x_grad.data, stacked_x.grad.data, rtol=1e-15)
    torch = pytest.importorskip("torch")
    theirs = run(torch)
    np.testing.assert_allclose(w_grad.data, theirs[1].numpy(), rtol=1e-14)
    np.testing.assert_allclose(x_grad.data, theirs[2].numpy(), rtol=1e-14)


def test_assignment_to_a_leaf_that_requires_grad_is_refused_and_through_a_view_writes_into_the_base():
    w = ag.tensor([1.0, 2.0, 3.0], requires_grad=True)
    with pytest.raises(RuntimeError, match=r"a leaf Tensor that requires grad \(shape \(3,\)\) cannot be updated"):
        w[0] = 5.0
    h = w * 2
    view = h[1:]
    view[0] = 5.0  # as PyTorch's: h sees it (test_in_place_views.py)
    np.testing.assert_array_equal(h.data, [2.0, 5.0, 6.0])
    h.sum().backward()
    np.testing.assert_array_equal(w.grad.data, [2.0, 0.0, 2.0])


@pytest.mark.parametrize("recorded", [False, True])
@pytest.mark.parametrize("index, value_shape", [
    ("mask", (3,)), (slice(None), (5,)), ((Ellipsis, [0, 1]), (6, 2)),
])
def test_a_value_that_does_not_broadcast_is_a_shape_mismatch_both_valueerror_and_runtimeerror(recorded, index,
                                                                                               value_shape):
    # found by porting PyTorch's test_indexing.py (test_boolean_assignment_value_mismatch, test_index_put_deterministic
    # _with_optional_tensors): PyTorch raises RuntimeError "shape mismatch", NumPy ValueError
    x = ag.arange(4.0)
    value = ag.ones(value_shape, requires_grad=recorded)
    index = x > -1 if isinstance(index, str) else index
    with pytest.raises(ag.ops.indexing.IndexShapeError, match=r"shape mismatch: a value of shape .* cannot be "
                                                              r"broadcast to the indexing result's shape") as caught:
        x[index] = value
    assert isinstance(caught.value, ValueError) and isinstance(caught.value, RuntimeError)
    np.testing.assert_array_equal(x.data, np.arange(4.0))


@pytest.mark.parametrize("recorded", [False, True])
def test_a_value_with_leading_one_axes_is_written_under_a_mask_of_a_0d_tensor_as_torchs(recorded):
    # found by porting PyTorch's test_indexing.py (test_index_setitem_bools_slices): NumPy refuses a 2-D value for a
    # boolean index of a 0-d array; PyTorch drops the leading 1-axes, as NumPy does for every other index
    torch = pytest.importorskip("torch")
    w = ag.tensor(2.0, requires_grad=True)
    ours = ag.tensor(3.0) * (w if recorded else 1.0)
    value = ag.full((1, 1), -4.0, requires_grad=True)
    ours[True] = value
    tw = torch.tensor(2.0, requires_grad=True)
    theirs = torch.tensor(3.0) * (tw if recorded else 1.0)
    tvalue = torch.full((1, 1), -4.0, requires_grad=True)
    theirs[True] = tvalue
    np.testing.assert_array_equal(ours.data, theirs.detach().numpy())
    if recorded:
        (ours * 3).backward()
        (theirs * 3).backward()
        np.testing.assert_array_equal(value.grad.data, tvalue.grad.numpy())
        np.testing.assert_array_equal(w.grad.data, tw.grad.numpy())
    ints = ag.tensor(3)
    ints[True] = ag.full((1, 1), -1)
    assert ints.item() == -1
