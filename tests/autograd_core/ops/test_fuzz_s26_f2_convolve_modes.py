"""convolve and correlate take NumPy's integer modes 0 ('valid'), 1 ('same') and 2 ('full') (they were refused), and
a mode that is neither a str nor an int (None, a float, a bool, bytes) raises TypeError as NumPy's (it was a
ValueError)."""
import numpy as np
import pytest

import autograd_core as ag

A, V = np.array([1.0, 2.0, 3.0, -1.0]), np.array([0.5, 1.0])


@pytest.mark.parametrize("name", ["convolve", "correlate"])
@pytest.mark.parametrize("mode", [0, 1, 2, np.int64(1)])
def test_integer_modes(name, mode):
    expected = getattr(np, name)(A, V, mode)
    np.testing.assert_array_equal(getattr(ag, name)(ag.tensor(A), V, mode).data, expected)
    np.testing.assert_array_equal(getattr(np, name)(A, ag.tensor(V), mode=mode).data, expected)


@pytest.mark.parametrize("name", ["convolve", "correlate"])
@pytest.mark.parametrize("mode, error", [(None, TypeError), (1.0, TypeError), (True, TypeError), (b"same", TypeError),
                                         (3, ValueError), (-1, ValueError), ("FULL", ValueError)])
def test_invalid_modes_raise_numpys_error(name, mode, error):
    with pytest.raises(error):
        getattr(np, name)(A, V, mode)
    with pytest.raises(error, match=f"^{name}: "):
        getattr(ag, name)(ag.tensor(A), V, mode)
