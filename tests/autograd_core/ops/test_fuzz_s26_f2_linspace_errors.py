"""linspace and logspace on Tensors: an axis out of range, a non-integer axis, and start, stop (and base) that do
not broadcast raise errors naming the function called (they named moveaxis' destination, subtract, or linspace
inside logspace); NumPy's valid axes still work."""
import numpy as np
import pytest

import autograd_core as ag


@pytest.mark.parametrize("name", ["linspace", "logspace"])
@pytest.mark.parametrize("axis", [2, -3])
def test_axis_out_of_range_names_the_function(name, axis):
    with pytest.raises(np.exceptions.AxisError):
        getattr(np, name)(np.ones(2), 3.0, 4, axis=axis)
    with pytest.raises(np.exceptions.AxisError, match=f"^{name}: axis {axis} is out of range"):
        getattr(ag, name)(ag.ones(2), 3.0, 4, axis=axis)


def test_non_integer_axis_names_linspace():
    with pytest.raises(TypeError, match="linspace: axis must be an int"):
        ag.linspace(ag.ones(2), 3.0, 4, axis=1.5)


@pytest.mark.parametrize("name", ["linspace", "logspace"])
def test_start_and_stop_that_do_not_broadcast(name):
    with pytest.raises(ValueError):
        getattr(np, name)(np.ones(2), np.ones(3), 4)
    with pytest.raises(ValueError, match=f"^{name}: start and stop must broadcast together"):
        getattr(ag, name)(ag.ones(2), np.ones(3), 4)


def test_logspace_base_that_does_not_broadcast():
    with pytest.raises(ValueError, match="^logspace: start, stop and base must broadcast together"):
        ag.logspace(ag.ones(2), 3.0, 4, base=np.ones(3))


@pytest.mark.parametrize("axis", [0, 1, -1, -2, True, np.int64(1)])
def test_valid_axes_are_numpys(axis):
    start = np.array([0.0, 1.0])
    np.testing.assert_allclose(ag.linspace(ag.tensor(start), 3.0, 4, axis=axis).data,
                               np.linspace(start, 3.0, 4, axis=axis))
    np.testing.assert_allclose(ag.logspace(ag.tensor(start), 3.0, 4, base=np.array([2.0, 3.0]), axis=axis).data,
                               np.logspace(start, 3.0, 4, base=np.array([2.0, 3.0]), axis=axis))


@pytest.mark.parametrize("base", [None, "ab", 1j])
def test_logspace_base_of_another_kind_names_logspace(base):
    with pytest.raises(TypeError, match="^logspace: "):  # (it named power)
        ag.logspace(ag.tensor(0.0), 1.0, 3, base=base)
