"""take_along_axis (autograd_core/ops/indexing.py; torch.gather's picks): repeated and negative indices, axis=None,
broadcasting, dtypes and second derivatives, the graph freed, an index tensor changed in place, empty picks, and the
errors. Its generated value and gradient checks, and its comparison with torch.gather, are in test_shape.py."""
import gc
import weakref

import numpy as np
import pytest

import autograd_core as ag


def test_take_along_axis_repeated_indices_accumulate():
    x = ag.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
    indices = np.array([[0, 0, 2, 0], [1, -2, 1, 2]])  # -2 is 1 again
    out = ag.take_along_axis(x, indices, axis=1)
    np.testing.assert_array_equal(out.data, [[1, 1, 3, 1], [5, 5, 5, 6]])
    out.backward(ag.tensor([[1.0, 10.0, 100.0, 1000.0], [1.0, 10.0, 100.0, 1000.0]]))
    np.testing.assert_array_equal(x.grad.data, [[1011, 0, 100], [0, 111, 1000]])


def test_take_along_axis_along_a_negative_axis_is_the_same_as_the_positive_one():
    values = np.arange(24.0).reshape(2, 3, 4)
    indices = np.array([[[2, 0, 0, 1]], [[1, 1, 1, 1]]])  # (2, 1, 4): one pick along axis 1 for each (batch, column)
    grads = []
    for axis in (-2, 1):
        x = ag.tensor(values, requires_grad=True)
        out = ag.take_along_axis(x, indices, axis=axis)
        np.testing.assert_array_equal(out.data, np.take_along_axis(values, indices, 1))
        out.backward(np.ones(out.shape))
        grads.append(x.grad.data)
    np.testing.assert_array_equal(grads[0], grads[1])
    expected = np.zeros((2, 3, 4))
    expected[0, 2, 0] = expected[0, 0, 1] = expected[0, 0, 2] = expected[0, 1, 3] = 1
    expected[1, 1, :] = 1
    np.testing.assert_array_equal(grads[0], expected)


def test_take_along_axis_with_axis_none_picks_from_the_flattened_values():
    x = ag.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    out = ag.take_along_axis(x, [3, 3, 0], axis=None)  # a list of indices, as the other operations take lists
    np.testing.assert_array_equal(out.data, [4.0, 4.0, 1.0])
    out.backward(ag.tensor([1.0, 2.0, 5.0]))
    np.testing.assert_array_equal(x.grad.data, [[5.0, 0.0], [0.0, 3.0]])


def test_take_along_axis_broadcasts_indices_and_x_as_numpy():
    # x's size-1 axis 0 against 3 rows of indices: the one row is picked from three times, its gradient summed
    x = ag.tensor([[1.0, 2.0, 3.0]], requires_grad=True)
    indices = np.array([[0], [2], [2]])
    out = ag.take_along_axis(x, indices, axis=1)
    np.testing.assert_array_equal(out.data, np.take_along_axis(x.data, indices, 1))
    out.sum().backward()
    np.testing.assert_array_equal(x.grad.data, [[1.0, 0.0, 2.0]])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_take_along_axis_keeps_the_dtype_forward_first_and_second_derivatives(dtype):
    x = ag.tensor(np.arange(6.0).reshape(2, 3).astype(dtype), requires_grad=True)
    out = ag.take_along_axis(x, np.array([[2, 2], [0, 1]], np.int32), axis=1)
    assert out.dtype == dtype
    first = ag.backprop((out ** 2).sum(), create_graph=True)[x]
    np.testing.assert_array_equal(first.data, [[0, 0, 8], [6, 8, 0]])  # 2 * x, twice where picked twice
    second = ag.backprop((first * ag.tensor(np.arange(6.0).reshape(2, 3).astype(dtype))).sum())[x]
    np.testing.assert_array_equal(second.data, [[0, 0, 4 * 2], [2 * 3, 2 * 4, 0]])
    assert first.dtype == second.dtype == dtype


def test_take_along_axis_frees_its_graph_and_its_index_tensor():
    x = ag.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    indices = ag.tensor([[1], [0]])
    out = ag.take_along_axis(x * 2, indices, axis=1).sum()
    held = weakref.ref(indices)
    del indices
    intermediates = [weakref.ref(n) for n in ag.topological_order(out) if not n.is_leaf and n is not out]
    assert held() is not None  # the node keeps it for its rule (and to see a change in place)
    was_enabled = gc.isenabled()
    gc.disable()  # freed by reference counting alone
    try:
        out.backward()
        assert held() is None
        assert not [r().op_name for r in intermediates if r() is not None]
    finally:
        if was_enabled:
            gc.enable()
    np.testing.assert_array_equal(x.grad.data, [[0.0, 2.0], [2.0, 0.0]])


def test_take_along_axis_refuses_to_backpropagate_after_its_index_tensor_changed_in_place():
    x = ag.tensor([1.0, 2.0, 3.0], requires_grad=True)
    indices = ag.tensor([0, 0])
    out = ag.take_along_axis(x, indices, axis=0)
    indices[0] = 2  # the gradient would scatter to 2, where the forward never picked
    with pytest.raises(RuntimeError, match=r"'take_along_axis' node saved for its gradient, an input that does not "
                                           r"require grad \(shape \(2,\)\), was changed in place"):
        out.sum().backward()


def test_take_along_axis_of_empty_indices_is_empty_with_a_zero_gradient():
    x = ag.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    out = ag.take_along_axis(x, np.zeros((2, 0), np.int64), axis=1)
    assert out.shape == (2, 0)
    out.sum().backward()
    np.testing.assert_array_equal(x.grad.data, np.zeros((2, 2)))
    assert ag.take_along_axis(x, [], axis=None).shape == (0,)  # an empty list: no positions, as integers


def test_take_along_axis_passes_no_gradient_to_a_nan_it_does_not_pick():
    x = ag.tensor([np.nan, 1.0, 2.0], requires_grad=True)
    out = ag.take_along_axis(x, [2, 1], axis=0)
    np.testing.assert_array_equal(out.data, [2.0, 1.0])
    out.sum().backward()
    np.testing.assert_array_equal(x.grad.data, [0.0, 1.0, 1.0])


def test_np_take_along_axis_on_a_tensor_runs_the_engine():
    x = ag.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    out = np.take_along_axis(x, np.array([[1], [1]]), axis=1)
    assert isinstance(out, ag.Tensor) and out.requires_grad
    out.sum().backward()
    np.testing.assert_array_equal(x.grad.data, [[0.0, 1.0], [0.0, 1.0]])


_TAKE_HINT = (r"; indices must be an integer array with as many dimensions as x \(1-D for axis=None\), each of its "
              r"sizes off axis equal to x's or 1, and values in \[-n, n\) for x's size n along axis$")


@pytest.mark.parametrize("indices, axis, error, message", [
    (np.array([[0.0]]), 1, IndexError,
     r"^take_along_axis: indices must be an integer array or Tensor \(torch.gather's index\), got dtype float64 "
     r"\(shape \(1, 1\)\); cast it, e.g. with .astype\(np.int64\)$"),
    (ag.tensor([[True]]), 1, IndexError,
     r"^take_along_axis: indices must be an integer array or Tensor .*got dtype bool"),
    (np.array([0, 1]), 1, ValueError,
     r"^take_along_axis: invalid input of shapes/dtypes \[\(2, 3\) float64, \(2,\) int64\] with \{'axis': 1\}: "
     r"`indices` and `arr` must have the same number of dimensions" + _TAKE_HINT),
    (np.array([[0], [3]]), 1, IndexError,
     r"^take_along_axis: invalid input of shapes/dtypes \[\(2, 3\) float64, \(2, 1\) int64\] with \{'axis': 1\}: "
     r"index 3 is out of bounds for axis 1 with size 3" + _TAKE_HINT),
    (np.array([[0], [-4]]), 1, IndexError, r"^take_along_axis: .*index -4 is out of bounds for axis 1 with size 3"),
    (np.zeros((3, 1), np.int64), 1, IndexError,
     r"^take_along_axis: invalid input of shapes/dtypes \[\(2, 3\) float64, \(3, 1\) int64\] with \{'axis': 1\}: "
     r"shape mismatch: indexing arrays could not be broadcast together" + r".*" + _TAKE_HINT),
    (np.zeros((2, 1), np.int64), 2, np.exceptions.AxisError,
     r"^take_along_axis: invalid input of shapes/dtypes \[\(2, 3\) float64, \(2, 1\) int64\] with \{'axis': 2\}: "
     r"axis 2 is out of bounds for array of dimension 2; valid axes are -2..1$"),
    (np.zeros((2, 1), np.int64), None, ValueError,
     r"^take_along_axis: invalid input of shapes/dtypes \[\(2, 3\) float64, \(2, 1\) int64\] with \{'axis': None\}: "
     r"when axis=None, `indices` must have a single dimension" + r".*" + _TAKE_HINT),
], ids=["float", "bool-tensor", "fewer-dimensions", "past-the-end", "before-the-start", "no-broadcast",
        "axis-out-of-range", "axis-none-2d"])
def test_take_along_axis_with_bad_indices_names_the_operation_the_shapes_and_what_is_valid(indices, axis, error,
                                                                                           message):
    with pytest.raises(error, match=message):
        ag.take_along_axis(ag.ones((2, 3), requires_grad=True), indices, axis=axis)
