"""Fuzzing ag.Function against torch.autograd.Function (session 26, F4)."""
import numpy as np
import pytest

import autograd_core as ag


class Shifted(ag.Function):
    @staticmethod
    def forward(ctx, x, scale=2.0, shift=None):
        return x * scale + (0.0 if shift is None else shift)

    @staticmethod
    def backward(ctx, g):
        return (g * 2.0,) + (None,) * (len(ctx.needs_input_grad) - 1)


def test_keyword_input_after_a_skipped_default_names_the_skipped_parameter():
    # shift is positional: the error said it "can only be given by keyword" and to make it positional; the cause
    # is scale, left to its default before it (PyTorch refuses the call too: forward() missing argument 'scale')
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(TypeError, match=r"Shifted.apply: 'shift' given by keyword but 'scale' before it not given"
                                        r".*pass scale too"):
        Shifted.apply(x, shift=x)
    y = Shifted.apply(x, scale=2.0, shift=x)  # all given: fine
    np.testing.assert_array_equal(y.data, [3.0, 6.0])
