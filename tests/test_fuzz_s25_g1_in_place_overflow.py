"""Fuzzer G1 (session 25): an in-place operator or item assignment whose Python int does not fit the Tensor's integer
dtype (`u8 += 300`, `u8[0] = -1`, as NumPy 2 refuses them) raised NumPy's bare OverflowError, naming neither the
operation nor the Tensor, where `u8 + 300` names both. Tensor._in_place now names and refuses these."""
import numpy as np
import pytest

import autograd_core as ag


@pytest.mark.parametrize("change, symbol", [
    (lambda t: t.__iadd__(300), r"\+="),
    (lambda t: t.__imul__(1000), r"\*="),
    (lambda t: t.__setitem__(0, -1), "item assignment at index 0"),
    (lambda t: t.__setitem__(1, 2 ** 70), "item assignment at index 1"),
])
def test_an_int_beyond_the_dtype_is_refused_with_the_operation_named(change, symbol):
    t = ag.zeros(3, dtype=np.uint8)
    with pytest.raises(OverflowError, match=f"{symbol}: cannot update a Tensor of shape .3,. and dtype uint8 in place"):
        change(t)
    assert t._version == 0 and not t.data.any()
