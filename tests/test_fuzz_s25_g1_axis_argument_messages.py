"""Fuzzer G1 (session 25): a diagonal's or trace's offset that is no integer raised Python's bare "'float' object
cannot be interpreted as an integer", and transpose with a 0-d array or Tensor of axes tried to iterate it ("iteration
over a 0-d array"); both now name the operation (a 0-d axes value is one axis, as NumPy reads it)."""
import numpy as np
import pytest

import autograd_core as ag


@pytest.mark.parametrize("call, name", [(lambda x: ag.diagonal(x, 1.0), "diagonal"), (lambda x: ag.trace(x, 1.0), "trace"),
                                        (lambda x: np.trace(x, [1]), "trace"), (lambda x: x.diagonal(None), "diagonal")])
def test_an_offset_that_is_no_int_is_refused_with_the_operation_named(call, name):
    with pytest.raises(TypeError, match=f"^{name}: offset must be an int, got"):
        call(ag.zeros((3, 3)))


def test_integer_offsets_still_select():
    x = ag.tensor(np.arange(9.0).reshape(3, 3))
    for offset in (1, np.int8(-1), True, np.array(2)):
        np.testing.assert_array_equal(ag.diagonal(x, offset).data, np.diagonal(x.data, offset))
        np.testing.assert_array_equal(ag.trace(x, offset).data, np.trace(x.data, offset))


@pytest.mark.parametrize("axes", [np.array(1), ag.tensor(1)])
def test_transpose_reads_a_0d_axes_value_as_one_axis(axes):
    with pytest.raises(ValueError, match="^transpose: .*axes don't match array"):
        ag.transpose(ag.zeros((3, 3)), axes)
    with pytest.raises(ValueError):  # as NumPy
        np.transpose(np.zeros((3, 3)), np.array(1))
    assert ag.transpose(ag.zeros(3), np.array(0) if isinstance(axes, np.ndarray) else ag.tensor(0)).shape == (3,)
    assert ag.zeros((2, 3, 4)).transpose(ag.tensor([2, 0, 1])).shape == (4, 2, 3)
