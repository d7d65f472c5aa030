"""np.convolve and np.correlate on Tensors: NumPy's result dtype for integer and boolean inputs (the products' sum
was widened to int64, and booleans counted), a 0-d input to convolve (NumPy takes it as one sample), and
correlate's message for a 0-d input."""
import numpy as np
import pytest

import autograd_core as ag


@pytest.mark.parametrize("dtype", [np.int8, np.uint8, np.int16, np.int32, np.bool_, np.float16])
@pytest.mark.parametrize("mode", ["full", "same", "valid"])
@pytest.mark.parametrize("name", ["convolve", "correlate"])
def test_integer_and_boolean_dtypes_are_numpys(dtype, mode, name):
    a, v = np.array([1, 0, 3, 120], dtype), np.array([1, 1, 100], dtype)
    expected = getattr(np, name)(a, v, mode)
    for got in (getattr(ag, name)(ag.tensor(a), v, mode), getattr(np, name)(a, ag.tensor(v), mode)):
        assert got.dtype == expected.dtype
        np.testing.assert_array_equal(got.data, expected)


def test_mixed_integer_dtypes_promote_as_numpy():
    a, v = np.array([1, 2, 3], np.int32), np.array([7, 9], np.uint8)
    got = ag.convolve(ag.tensor(a), ag.tensor(v))
    assert got.dtype == np.int32
    np.testing.assert_array_equal(got.data, np.convolve(a, v))


@pytest.mark.parametrize("mode", ["full", "same", "valid"])
def test_convolve_takes_a_0d_input_as_one_sample(mode):
    a = ag.tensor(2.0, requires_grad=True)
    v = ag.tensor([1.0, 2.0, 3.0], requires_grad=True)
    for first, second in ((a, v), (v, a)):
        out = ag.convolve(first, second, mode)
        np.testing.assert_array_equal(out.data, np.convolve(first.data, second.data, mode))
    out = np.convolve(a, v, mode)
    out.sum().backward()
    assert a.grad.shape == () and float(a.grad) == 6.0


def test_correlate_refuses_a_0d_input_naming_too_small_depth():
    with pytest.raises(ValueError, match="correlate: object of too small depth"):
        ag.correlate(ag.tensor([1.0, 2.0]), 2.0)
    with pytest.raises(ValueError, match="correlate: object too deep"):
        ag.correlate(ag.ones((2, 2)), ag.ones(2))
