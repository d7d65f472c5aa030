"""ag.full and ag.full_like (and np.full_like on a Tensor) with a fill value that is a constant Tensor and a dtype
given (full_like always gives one): NumPy's np.full handed the Tensor to np.copyto, which the engine refuses."""
import numpy as np
import pytest

import autograd_core as ag


@pytest.mark.parametrize("dtype", [np.float32, np.float16, np.int64, np.float64])
def test_a_constant_tensor_fills_as_its_value(dtype):
    out = ag.full((2, 3), ag.tensor(2.5), dtype=dtype)
    assert out.dtype == dtype and not out.requires_grad
    np.testing.assert_array_equal(out.data, np.full((2, 3), 2.5, dtype=dtype))


def test_full_like_takes_a_constant_tensor_fill_value():
    x = np.arange(3, dtype=np.uint8)
    for out in (ag.full_like(x, ag.tensor(np.uint8(3))), ag.full_like(ag.tensor(x), ag.tensor([1.5, 2.5, 3.5])),
                np.full_like(ag.tensor(x), ag.tensor(7.0), dtype=np.float32)):
        assert isinstance(out, ag.Tensor)
    np.testing.assert_array_equal(ag.full_like(x, ag.tensor(np.uint8(3)), dtype=np.float32).data,
                                  np.full_like(x, 3, dtype=np.float32))
    leaf = ag.full_like(x, ag.tensor(2.0), dtype=np.float64, requires_grad=True)
    assert leaf.requires_grad and leaf.dtype == np.float64


def test_a_fill_value_that_requires_grad_stays_in_the_graph():
    w = ag.tensor(2.0, requires_grad=True)
    out = ag.full_like(np.zeros(3), w, dtype=np.float32)
    assert out.requires_grad and out.dtype == np.float32
    out.sum().backward()
    assert float(w.grad) == 3.0
