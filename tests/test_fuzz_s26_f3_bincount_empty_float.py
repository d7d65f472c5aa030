"""Fuzzer F3 (session 26): bincount of an empty float array or Tensor raises, as NumPy's (which cannot cast float64 to
int64 safely); it returned zeros, silently accepting labels of the wrong dtype because there happened to be none. An
empty list stays accepted, as NumPy's np.bincount([]) is."""
import numpy as np
import pytest

import autograd_core as ag


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.float16])
@pytest.mark.parametrize("wrap", [np.asarray, ag.tensor])
def test_an_empty_float_input_is_refused(dtype, wrap):
    with pytest.raises(TypeError):
        np.bincount(np.zeros(0, dtype))
    with pytest.raises(TypeError, match=r"^bincount: x must hold non-negative integers, got dtype float"):
        ag.bincount(wrap(np.zeros(0, dtype)))
    with pytest.raises(TypeError, match=r"^bincount: x must hold non-negative integers"):
        ag.bincount(wrap(np.zeros(0, dtype)), weights=np.zeros(0), minlength=3)


def test_an_empty_list_or_integer_array_is_accepted():
    for x in ([], (), np.zeros(0, np.int64), ag.tensor(np.zeros(0, np.uint8)), np.zeros(0, bool)):
        out = ag.bincount(x, minlength=2)
        expected = np.bincount(x if not isinstance(x, ag.Tensor) else x.data, minlength=2)
        assert out.dtype == expected.dtype and np.array_equal(out.data, expected)
