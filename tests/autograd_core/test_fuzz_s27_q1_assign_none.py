"""Found by fuzzing in-place operations against PyTorch (session 27, Q1): `t[0] = None` silently wrote NaN (NumPy's
cast of None), where torch refuses it, and where ag.tensor refuses None in its data and `t += None` is refused."""
import numpy as np
import pytest

import autograd_core as ag

@pytest.mark.parametrize("index, value", [(0, None), (slice(None), [1.0, None, 3.0])])
def test_item_assignment_of_none_is_refused(index, value):
    t = ag.tensor([1.0, 2.0, 3.0])
    with pytest.raises(TypeError, match="None"):
        t[index] = value
    np.testing.assert_array_equal(t.data, [1.0, 2.0, 3.0])


def test_item_assignment_of_numbers_still_works():
    t = ag.tensor([1.0, 2.0, 3.0])
    t[0] = float("nan")
    t[1:] = np.array([4, 5], dtype=object)
    np.testing.assert_array_equal(t.data, [np.nan, 4.0, 5.0])
