"""Fuzzer G4 (session 24): np.repeat of a Tensor refuses nested repeats, as NumPy's (it flattened them)."""
import numpy as np
import pytest

import autograd_core as ag


@pytest.mark.parametrize("repeats", [[[1, 1]], np.array([[2]]), np.array([[1], [1]]), ag.tensor([[1, 1]])])
def test_repeat_refuses_nested_repeats_as_numpy(repeats):
    x = ag.tensor(np.arange(6.0).reshape(2, 3), requires_grad=True)
    with pytest.raises(ValueError):
        np.repeat(np.arange(6.0).reshape(2, 3), np.asarray(getattr(repeats, "data", repeats)), axis=0)
    with pytest.raises(ValueError, match="repeat: repeats must be an int or a 1-D sequence"):
        np.repeat(x, repeats, axis=0)
    with pytest.raises(ValueError, match="input shape \\(2, 3\\)"):
        ag.repeat(x, repeats, axis=0)


@pytest.mark.parametrize("repeats", [2, np.array(2), [1, 2], np.array([1, 2]), ag.tensor([1, 2])])
def test_repeat_still_takes_a_count_or_one_per_element(repeats):
    x = np.arange(6.0).reshape(2, 3)
    out = np.repeat(ag.tensor(x), repeats, axis=0)
    np.testing.assert_array_equal(out.data, np.repeat(x, np.asarray(getattr(repeats, "data", repeats)), axis=0))
