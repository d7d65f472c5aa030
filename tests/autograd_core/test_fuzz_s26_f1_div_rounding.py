"""F1's fuzzing of t.div(rounding_mode=) against PyTorch: of integers, "trunc" gives integers computed exactly (it
went through a float64 quotient: a float result, wrong beyond 2**53), and both modes refuse a zero divisor as
PyTorch does (NumPy gives 0 with a warning)."""
import numpy as np
import pytest

import autograd_core as ag

torch = pytest.importorskip("torch")


@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.int8, np.uint8])
@pytest.mark.parametrize("mode", ["trunc", "floor"])
def test_integer_rounding_division_matches_torch(dtype, mode):
    rng = np.random.default_rng(0)
    info = np.iinfo(dtype)
    a = rng.integers(info.min, info.max, (4, 5), endpoint=True).astype(dtype)
    b = rng.integers(1 if info.min == 0 else -9, 10, (4, 5)).astype(dtype)
    b[b == 0] = 3
    for other, their_other in ((ag.tensor(b), torch.tensor(b)), (7, 7), (-3 if info.min else 3, -3 if info.min else 3)):
        expected = torch.tensor(a).div(their_other, rounding_mode=mode).numpy()
        got = ag.tensor(a).div(other, rounding_mode=mode)
        assert got.dtype == expected.dtype
        np.testing.assert_array_equal(got.data, expected)


def test_trunc_of_large_int64_is_exact():
    big = -2 ** 62 - 1
    got = ag.tensor([big, 7, -7, -128]).div(3, rounding_mode="trunc")
    assert got.dtype == np.int64
    assert got.tolist() == [-1537228672809129301, 2, -2, -42]
    with np.errstate(over="ignore"):  # (wraps, as torch's)
        assert ag.tensor(np.array([-128], np.int8)).div(-1, rounding_mode="trunc").tolist() == [-128]


@pytest.mark.parametrize("mode", ["trunc", "floor"])
def test_integer_division_by_zero_is_refused(mode):
    with pytest.raises(ZeroDivisionError, match="div: integer division by zero"):
        ag.tensor([1, 2]).div(0, rounding_mode=mode)
    with pytest.raises(ZeroDivisionError, match="div: integer division by zero"):
        ag.tensor([1, 2]).div(ag.tensor([1, 0]), rounding_mode=mode)
    assert ag.tensor(np.zeros(0, np.int64)).div(0, rounding_mode=mode).shape == (0,)  # (no element divided)


def test_float_rounding_division_is_unchanged():
    x = ag.tensor([-3.5, 3.5, -0.0], requires_grad=True)
    np.testing.assert_array_equal(x.div(2, rounding_mode="trunc").data, [-1.0, 1.0, -0.0])
    np.testing.assert_array_equal(ag.tensor([7]).div(2.0, rounding_mode="trunc").data, [3.0])
    with np.errstate(divide="ignore"):
        np.testing.assert_array_equal(ag.tensor([1.0]).div(0, rounding_mode="floor").data, [np.inf])


@pytest.mark.parametrize("mode", ["trunc", "floor"])
def test_a_python_int_beyond_the_dtype_is_named(mode):
    # (floor_divide let NumPy's bare "Python integer -2 out of bounds for uint8" through, as // does)
    with pytest.raises(OverflowError, match="floor_divide: .*a Python int must fit the Tensor's integer dtype"):
        ag.tensor(np.array([4], np.uint8)).div(-2, rounding_mode=mode)
    with pytest.raises(OverflowError, match="floor_divide: "):
        ag.tensor(np.array([4], np.int8)) // 300


@pytest.mark.parametrize("mode", ["trunc", "floor"])
def test_float16_by_a_python_number_rounds_the_float32_quotient_once(mode):
    # (the quotient was rounded to float16 first: 98.94 / -0.925 is -106.96, which became -107.0, truncated to -107
    # where PyTorch gives -106)
    rng = np.random.default_rng(0)
    a = (rng.standard_normal(2000) * 50).astype(np.float16)
    for divisor in (-0.925018182156823, 0.4040521866845826, 3.0, -7):
        expected = torch.tensor(a).div(divisor, rounding_mode=mode).numpy()
        got = ag.tensor(a).div(divisor, rounding_mode=mode)
        assert got.dtype == np.float16
        np.testing.assert_array_equal(got.data, expected)
