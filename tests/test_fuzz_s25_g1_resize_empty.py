"""Fuzzer G1 (session 25): resize from or to no entries gives NumPy's zeros recorded from its input, as its other
results are: it returned a constant, so a backward through it alone raised that nothing requires grad."""
import numpy as np
import pytest

import autograd_core as ag


@pytest.mark.parametrize("shape, new_shape, dtype", [((0,), (2, 2), np.float64), ((2, 0), (3,), np.float32),
                                                     ((3,), (0, 2), np.float64), ((2,), 0, np.float16),
                                                     ((0,), (3,), np.int8), ((0,), (2,), np.bool_)])
def test_resize_with_no_entries(shape, new_shape, dtype):
    value = np.ones(shape, dtype)
    t = ag.tensor(value, requires_grad=value.dtype.kind == "f")
    out = ag.resize(t, new_shape)
    expected = np.resize(value, new_shape)
    assert out.shape == expected.shape and out.dtype == expected.dtype
    np.testing.assert_array_equal(out.data, expected)
    if t.requires_grad:
        assert out.requires_grad
        out.sum().backward()
        assert t.grad.shape == shape and t.grad.dtype == dtype and not t.grad.data.any()
