"""interp at an infinite x: the value is fp[0]/fp[-1] (or left/right), and so are the gradients: those of a large
finite x, not NaN (the line through the segment was evaluated at the infinite x and its gradient multiplied 0 by
inf for xp and fp)."""
import numpy as np
import pytest

import autograd_core as ag
from autograd_core.testing import gradcheck, gradgradcheck


def _gradients(x, **kwargs):
    xt = ag.tensor(x, requires_grad=True)
    xp = ag.tensor([0.0, 1.0, 2.0], requires_grad=True)
    fp = ag.tensor([1.0, 3.0, 2.0], requires_grad=True)
    extra = {k: ag.tensor(v, requires_grad=True) for k, v in kwargs.items()}
    out = ag.interp(xt, xp, fp, **extra)
    np.testing.assert_array_equal(out.data, np.interp(x, xp.data, fp.data, **kwargs))
    (out * ag.tensor(np.arange(1.0, len(x) + 1))).sum().backward()
    return [t.grad.data for t in (xt, xp, fp, *extra.values())]


@pytest.mark.parametrize("kwargs", [{}, {"left": -4.0, "right": 6.0}])
def test_infinite_x_has_the_gradients_of_a_large_finite_x(kwargs):
    got = _gradients(np.array([np.inf, 0.5, -np.inf, 1.5]), **kwargs)
    expected = _gradients(np.array([1e300, 0.5, -1e300, 1.5]), **kwargs)
    for g, e in zip(got, expected):
        assert np.isfinite(g).all()
        np.testing.assert_array_equal(g, e)


def test_a_nan_x_gives_nan_and_no_gradient_to_the_samples():
    grads = _gradients(np.array([np.nan, 0.5]))
    np.testing.assert_array_equal(grads[2], [1.0, 1.0, 0.0])  # (0.5 weighted by 2)


def test_second_derivatives_with_infinite_x_in_the_batch():
    x = np.array([np.inf, 0.3, 1.7, -np.inf])
    xp = ag.tensor([0.0, 1.0, 2.0], requires_grad=True)
    fp = ag.tensor([1.0, 3.0, 2.0], requires_grad=True)
    assert gradcheck(lambda xp, fp: ag.interp(x, xp, fp), xp, fp)
    assert gradgradcheck(lambda xp, fp: ag.sin(ag.interp(x, xp, fp)), xp, fp)
