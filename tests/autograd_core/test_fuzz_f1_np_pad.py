"""np.pad on a Tensor, found by fuzzing against NumPy (session 22, helper F1)."""
import numpy as np
import pytest

import autograd_core as ag


@pytest.mark.parametrize("mode", ["edge", "reflect", "symmetric", "wrap"])
@pytest.mark.parametrize("value", [0, 0.0, (0, 0), 1.0])
def test_constant_values_with_a_copying_mode_is_refused_as_numpy(mode, value):
    """NumPy refuses constant_values= in a mode that copies entries, whatever its value; np.pad on a Tensor took 0
    and ignored it."""
    with pytest.raises(ValueError, match="unsupported keyword arguments"):
        np.pad(np.zeros(3), 1, mode=mode, constant_values=value)
    with pytest.raises(ValueError, match=rf"pad: constant_values=.* belongs to mode='constant'; mode='{mode}' fills "
                                         r"the padding with entries of x"):
        np.pad(ag.zeros(3), 1, mode=mode, constant_values=value)


def test_constant_values_of_zero_is_still_taken_where_it_belongs():
    assert np.pad(ag.ones(2), 1, constant_values=0).tolist() == [0.0, 1.0, 1.0, 0.0]
    assert ag.pad(ag.ones(2), 1, "edge", constant_values=0).tolist() == [1.0, 1.0, 1.0, 1.0]  # (ag.pad's own default)
