"""Fuzzer G1 (session 25): an in-place operator or item assignment whose Python int does not fit the Tensor's integer
dtype (`u8 += 300`, `u8[0] = -1`, as NumPy 2 refuses them) raised NumPy's bare OverflowError, naming neither the
operation nor the Tensor, where `u8 + 300` names both. The fix is in Tensor._in_place (tensor.py, a hot path): see
the session's hotpath.patch; until it is applied these tests are expected to fail."""
import numpy as np
import pytest

import autograd_core as ag

pytestmark = pytest.mark.xfail(strict=True, reason="needs hotpath.patch (Tensor._in_place names OverflowError)")


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
