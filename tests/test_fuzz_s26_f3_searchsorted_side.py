"""Fuzzer F3 (session 26): searchsorted's side as NumPy's: bytes are read as text, and a side that is not a string
(None, a number) raises TypeError, as NumPy's (it raised ValueError)."""
import numpy as np
import pytest

import autograd_core as ag


def test_side_as_bytes():
    a = np.array([1.0, 2.0, 3.0])
    for side in (b"left", b"right"):
        assert int(ag.searchsorted(a, 2.0, side=side)) == np.searchsorted(a, 2.0, side=side)


@pytest.mark.parametrize("side", [None, 0, 1.5])
def test_side_not_a_string_is_a_type_error(side):
    a = np.array([1.0, 2.0, 3.0])
    with pytest.raises(TypeError):
        np.searchsorted(a, 2.0, side=side)
    with pytest.raises(TypeError, match="^searchsorted: side must be a str"):
        ag.searchsorted(a, 2.0, side=side)
    with pytest.raises(ValueError, match="^searchsorted: side must be 'left' or 'right'"):
        ag.tensor(a).searchsorted(2.0, side="L")
