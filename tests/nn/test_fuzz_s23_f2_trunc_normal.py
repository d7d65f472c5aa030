"""Fuzzing (s23, F2) of nn.init against torch.nn.init: trunc_normal_ takes an infinite bound (a = -inf or b = inf: that
side unbounded, so a=-inf, b=0 gives a half-normal), as PyTorch's, where it raised; the moments are the truncated
normal's, also for a far one-sided tail; a = inf, b = -inf, NaN bounds and a > b still raise."""
import math

import numpy as np
import pytest

import nn


def _draw(*args, n=40000, dtype=np.float64):
    return nn.init.trunc_normal_(nn.Parameter(np.empty(n, dtype=dtype)), *args, rng=0).numpy()


def test_unbounded_is_the_normal():
    t = _draw(1.0, 2.0, -math.inf, math.inf)
    assert np.isfinite(t).all() and abs(t.mean() - 1.0) < 0.05 and abs(t.std() - 2.0) < 0.05


def test_one_sided_bounds_give_the_half_normal_and_tails():
    low = _draw(0.0, 1.0, -math.inf, 0.0)
    assert low.max() <= 0 and abs(low.mean() + math.sqrt(2 / math.pi)) < 0.02
    assert abs(low.std() - math.sqrt(1 - 2 / math.pi)) < 0.02
    tail = _draw(0.0, 1.0, 6.0, math.inf)  # (the far-tail path: under 1% of the normal is inside)
    assert np.isfinite(tail).all() and tail.min() >= 6.0 and abs(tail.mean() - 6.1579) < 0.01
    left = _draw(0.0, 1.0, -math.inf, -7.0)
    assert np.isfinite(left).all() and left.max() <= -7.0 and abs(left.mean() + 7.1397) < 0.01


def test_float32_and_zero_std_with_infinite_bounds():
    t = _draw(0.5, 0.1, -np.inf, np.float32(np.inf), dtype=np.float32)
    assert t.dtype == np.float32 and np.isfinite(t).all()
    assert (_draw(0.25, 0.0, -math.inf, math.inf, n=3) == 0.25).all()


@pytest.mark.parametrize("a,b", [(math.inf, math.inf), (-math.inf, -math.inf), (math.nan, 1.0), (0.0, math.nan),
                                 (1.0, -1.0), (math.inf, -math.inf)])
def test_invalid_bounds_still_raise(a, b):
    with pytest.raises(ValueError, match="trunc_normal_"):
        nn.init.trunc_normal_(nn.Parameter(np.empty(3)), 0.0, 1.0, a, b)
