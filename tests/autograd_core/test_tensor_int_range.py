"""ag.tensor(list, dtype=...) of Python ints that the integer dtype cannot hold: NumPy 2 raises OverflowError
(np.array([300], dtype=np.int8)), where the Tensor silently wrapped them (300 became 44; found by fuzzer F1 in
session 26). An array is cast as NumPy casts it (wrapping), and floats truncate, as np.array does."""
import numpy as np
import pytest

import autograd_core as ag


@pytest.mark.parametrize("data, dtype", [([300], np.int8), ([-1], np.uint8), ((1, 70000), np.int16),
                                         ([[1, 2], [3, 2 ** 40]], np.int32)])
def test_python_ints_out_of_the_dtypes_range_are_refused_as_numpy_refuses(data, dtype):
    with pytest.raises(OverflowError):
        np.array(data, dtype=dtype)
    with pytest.raises(OverflowError, match=f"Tensor: the data's integers .* do not all fit {np.dtype(dtype)}"):
        ag.tensor(data, dtype=dtype)


@pytest.mark.parametrize("data, dtype", [([127, -128], np.int8), ([255, True], np.uint8), ([1.9, -2.5], np.int8),
                                         (np.array([300]), np.int8), ([2 ** 63 + 5], np.uint64)])
def test_what_numpy_takes_is_taken_with_numpys_values(data, dtype):
    with np.errstate(over="ignore"):
        expected = np.array(data, dtype=dtype)
    np.testing.assert_array_equal(ag.tensor(data, dtype=dtype).data, expected)
    assert ag.tensor(data, dtype=dtype).dtype == expected.dtype
