"""ag.rand in float16 and float32 stays in [0, 1), as its docstring and torch.rand say: float64 samples just below 1
must not round up to 1 in the cast. And a dtype NumPy does not know is refused naming rand."""
import numpy as np
import pytest

import autograd_core as ag


def test_float16_samples_stay_below_one():
    x = ag.rand(100_000, dtype=np.float16, rng=0).data  # about 24 of these round to 1.0 in a plain cast
    assert x.dtype == np.float16 and x.min() >= 0 and x.max() < 1
    assert x.max() == np.nextafter(np.float16(1), np.float16(0))


def test_streams_unchanged_elsewhere():
    expected = np.random.default_rng(3).random((4, 5))
    np.testing.assert_array_equal(ag.rand(4, 5, rng=3).data, expected)
    np.testing.assert_array_equal(ag.rand(4, 5, dtype=np.float32, rng=3).data, expected.astype(np.float32))


def test_unknown_dtype_named():
    with pytest.raises(TypeError, match="rand: dtype 'foo' is not a NumPy dtype"):
        ag.rand(2, dtype="foo", rng=0)
    with pytest.raises(TypeError, match="randn: dtype 'foo' is not a NumPy dtype"):
        ag.randn(2, dtype="foo", rng=0)
