"""ag.arange refuses an array as start, stop or step by name (NumPy's "truth value of an array ... is ambiguous" came
out of its step == 0 check, naming nothing), and ag.full with a fill value that requires grad names itself for a
dtype NumPy does not know (the message named astype)."""
import numpy as np
import pytest

import autograd_core as ag


@pytest.mark.parametrize("call, name", [
    (lambda: ag.arange(0, 3, np.array([1, 2])), "step"),
    (lambda: ag.arange(0, 3, ag.tensor([1.0, 2.0])), "step"),
    (lambda: ag.arange(np.array([1, 2])), "stop"),
    (lambda: ag.arange(np.zeros((1, 1)), 3), "start"),
])
def test_arange_bounds_must_be_numbers(call, name):
    with pytest.raises(TypeError, match=rf"arange: {name} must be a number, got shape"):
        call()


def test_arange_takes_0d_arrays_and_tensors():
    assert ag.arange(ag.tensor(3)).data.tolist() == [0, 1, 2]
    assert ag.arange(1, np.float32(3), ag.tensor(0.5)).data.tolist() == [1.0, 1.5, 2.0, 2.5]
    assert ag.arange(np.array(2.5)).data.tolist() == [0.0, 1.0, 2.0]


def test_full_with_a_recorded_fill_names_an_unknown_dtype():
    w = ag.tensor(1.0, requires_grad=True)
    with pytest.raises(TypeError, match="^full: data type 'foo' not understood"):
        ag.full(2, w, dtype="foo")
    y = ag.full(2, w, dtype="float32")
    assert y.dtype == np.float32 and y.requires_grad
