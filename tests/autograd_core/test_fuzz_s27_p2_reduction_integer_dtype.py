"""np.sum, np.mean, np.cumsum... of a constant Tensor with an integer or bool dtype= give NumPy's result: dtype=
equal to an integer input's own was ignored (np.mean(t, dtype=np.int64) of [1, 2] gave 1.5, not NumPy's 1;
np.sum(int8 t, dtype=np.int8) gave int64 200, not NumPy's wrapped int8 -56), and another integer dtype was refused
with advice to give a float one (np.sum(mask, dtype=np.int32), which torch.sum takes too)."""
import numpy as np
import pytest

import autograd_core as ag

CASES = [
    (lambda m: np.mean(m(np.array([1, 2])), dtype=np.int64)),
    (lambda m: np.mean(m(np.array([1, 2])), 0, np.int64)),
    (lambda m: np.sum(m(np.array([100, 100], np.int8)), dtype=np.int8)),
    (lambda m: np.cumsum(m(np.array([100, 100], np.int8)), dtype=np.int8)),
    (lambda m: np.sum(m(np.array([True, False, True])), dtype=np.int32)),
    (lambda m: np.sum(m(np.array([[True], [True]])), 0, np.int8, None, True)),
    (lambda m: np.prod(m(np.array([True, False])), dtype=bool)),
    (lambda m: np.nansum(m(np.array([1, 2], np.int16)), dtype=np.int16)),
    (lambda m: np.var(m(np.array([1, 2, 4])), dtype=np.int64)),
    (lambda m: np.sum(m(np.array([1.7, 2.6])), dtype=np.int64)),  # a float constant: truncated first, as NumPy
    (lambda m: np.cumprod(m(np.array([3, 4], np.uint8)), dtype=np.uint8)),
    (lambda m: np.trace(m(np.array([[100, 0], [0, 100]], np.int8)), dtype=np.int8)),
    (lambda m: np.trace(m(np.array([[1.5, 0], [0, 2.5]])), 0, 0, 1, np.int64)),
    (lambda m: np.trace(m(np.array([[True, False], [False, True]])), dtype=bool)),
]


@pytest.mark.parametrize("call", CASES)
def test_integer_dtype_of_a_constant_is_numpys(call):
    expected = np.asarray(call(np.asarray))
    got = call(ag.tensor)
    assert isinstance(got, ag.Tensor) and not got.requires_grad
    assert got.dtype == expected.dtype and got.shape == expected.shape
    np.testing.assert_array_equal(got.data, expected)


def test_recorded_input_still_refuses_an_integer_dtype_and_casts_to_a_float_one():
    w = ag.tensor([1.5, 2.5], requires_grad=True)
    with pytest.raises(TypeError, match=r"sum: dtype=int64 would cut a Tensor that requires grad from the graph"):
        np.sum(w, dtype=np.int64)
    y = np.sum(w, dtype=np.float32)
    assert y.dtype == np.float32 and y.requires_grad
    with pytest.raises(TypeError, match=r"sum: dtype='foo' names no NumPy dtype"):
        np.sum(w, dtype="foo")
