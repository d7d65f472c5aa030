"""F1's fuzzing of the fill values of masked_fill, fill_, new_full and scatter(value=) against PyTorch: a value the
dtype cannot hold (NaN or inf into an integer Tensor, 300 into int8, 1e39 into float32) is refused with an
OverflowError naming the operation, as PyTorch refuses it, where it silently became INT64_MIN, 44 or inf (fill_
raised a message about shapes); and new_full takes a 0-d Tensor fill value, as PyTorch's."""
import numpy as np
import pytest

import autograd_core as ag

torch = pytest.importorskip("torch")

CASES = [  # (dtype, value) that PyTorch refuses
    (np.int64, float("nan")), (np.int64, float("inf")), (np.int32, 3e9), (np.int8, 300), (np.int8, -129),
    (np.int8, 127.9), (np.uint8, 256), (np.float32, 1e39), (np.float16, 1e6), (np.float16, 65519.0)]


def _refuses(call, owner):
    with pytest.raises(OverflowError, match=f"{owner}: the value .* cannot be converted to dtype"):
        call()


@pytest.mark.parametrize("dtype, value", CASES)
def test_a_value_the_dtype_cannot_hold_is_refused_as_by_torch(dtype, value):
    t = torch.tensor(np.array([1, 2], dtype))
    with pytest.raises(RuntimeError, match="cannot be converted"):
        t.masked_fill(torch.tensor([True, False]), value)
    x = ag.tensor(np.array([1, 2], dtype))
    _refuses(lambda: x.masked_fill(ag.tensor([True, False]), value), "masked_fill")
    _refuses(lambda: x.new_full((2,), value), "new_full")
    _refuses(lambda: ag.scatter(x, 0, ag.tensor([0]), value=value), "scatter")
    _refuses(lambda: ag.tensor(np.array([1, 2], dtype)).fill_(value), "fill_")
    assert x.tolist() == [1, 2]


@pytest.mark.parametrize("dtype, value", [(np.uint8, -1), (np.int8, 127), (np.int8, 2.7), (np.float16, 65504.0),
                                          (np.float32, float("-inf")), (np.float16, float("nan")), (np.bool_, 2)])
def test_values_torch_takes_are_taken(dtype, value):
    mask = np.array([True, False])
    expected = torch.tensor(np.array([1, 0], dtype)).masked_fill(torch.tensor(mask), value).numpy()
    got = ag.tensor(np.array([1, 0], dtype)).masked_fill(ag.tensor(mask), value)
    assert got.dtype == expected.dtype
    np.testing.assert_array_equal(got.data, expected)
    np.testing.assert_array_equal(ag.tensor(np.array([1, 0], dtype)).new_full((2,), value).data,
                                  torch.tensor(np.array([1, 0], dtype)).new_full((2,), value).numpy())


def test_a_zero_d_tensor_value():
    assert ag.tensor([1.0]).new_full((2,), ag.tensor(3.0)).tolist() == [3.0, 3.0]  # (a TypeError from np.copyto)
    assert ag.tensor([1]).new_full((2,), ag.tensor(2.7)).tolist() == [2, 2]
    _refuses(lambda: ag.tensor([1, 2]).masked_fill(ag.tensor([True, False]), ag.tensor(np.nan)), "masked_fill")
    with pytest.raises(ValueError, match="new_full: fill_value must be a number or a 0-d Tensor"):
        ag.tensor([1.0]).new_full((2,), ag.tensor([3.0]))
    w = ag.tensor(2.0, requires_grad=True)  # (a 0-d value keeps its gradient)
    ag.tensor([1.0, 2.0, 3.0]).masked_fill(ag.tensor([True, False, True]), w).sum().backward()
    assert w.grad.item() == 2.0


def test_fill_with_a_value_that_requires_grad_is_refused_while_recording():
    # (PyTorch's fill_ is differentiable in the value; here it silently cut the value from the graph, where item
    # assignment refuses the same change)
    t, w = ag.zeros(3), ag.tensor(2.0, requires_grad=True)
    with pytest.raises(TypeError, match="fill_: the value requires grad"):
        t.fill_(w)
    assert t.tolist() == [0.0, 0.0, 0.0]
    with ag.no_grad():
        t.fill_(w)
    assert t.tolist() == [2.0, 2.0, 2.0]
    assert t.fill_(ag.tensor(3.0)).tolist() == [3.0, 3.0, 3.0]


def test_a_complex_value_is_refused():
    # (new_full dropped the imaginary part with NumPy's ComplexWarning; PyTorch refuses each)
    t = ag.zeros(2)
    for owner, call in (("fill_", lambda: t.fill_(1 + 2j)), ("new_full", lambda: t.new_full((2,), 1 + 2j)),
                        ("masked_fill", lambda: t.masked_fill(ag.tensor([True, False]), 1 + 2j))):
        with pytest.raises(TypeError, match=f"{owner}: the value must be a real number"):
            call()
