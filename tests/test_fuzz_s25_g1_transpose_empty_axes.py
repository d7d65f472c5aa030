"""Fuzzer G1 (session 25): transpose with an explicitly empty axes sequence names no axis, as NumPy's and PyTorch's
read it (valid for a 0-d input only); it reversed the axes of any other input silently."""
import numpy as np
import pytest

import autograd_core as ag


@pytest.mark.parametrize("call", [lambda t: ag.transpose(t, ()), lambda t: t.transpose(()), lambda t: t.transpose([]),
                                  lambda t: t.permute(()), lambda t: t.permute([]), lambda t: np.transpose(t, ())])
@pytest.mark.parametrize("shape", [(2,), (2, 3), (2, 3, 4)])
def test_an_empty_axes_sequence_is_refused_for_an_input_with_axes(call, shape):
    with pytest.raises(ValueError, match="transpose"):
        call(ag.zeros(shape))
    with pytest.raises(ValueError):  # as NumPy
        np.transpose(np.zeros(shape), ())


def test_an_empty_axes_sequence_fits_a_0d_input_and_no_argument_still_reverses():
    t = ag.tensor(2.0, requires_grad=True)
    out = ag.transpose(t, ())
    assert out.shape == () and float(out) == 2.0
    out.backward()
    assert float(t.grad) == 1.0
    x = ag.tensor(np.arange(24.0).reshape(2, 3, 4))
    for reversed_ in (x.transpose(), x.transpose(None), ag.transpose(x), np.transpose(x), x.T):
        np.testing.assert_array_equal(reversed_.data, np.arange(24.0).reshape(2, 3, 4).T)
    np.testing.assert_array_equal(x.transpose([1, 0, 2]).data, np.transpose(x.data, (1, 0, 2)))
    np.testing.assert_array_equal(x.permute(2, 0, 1).data, np.transpose(x.data, (2, 0, 1)))
