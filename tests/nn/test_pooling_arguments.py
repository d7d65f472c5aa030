"""Average pooling's arguments as PyTorch's OpInfo entries (test_ops.py) give them: divisor_override may be any int
but 0, a negative one too (each window's sum divided by it, so the averages negated and scaled), in the functions
and the layers; 0 is refused as PyTorch refuses it (a ValueError and PyTorch's RuntimeError), a float or a bool
with a TypeError."""
import numpy as np
import pytest

import autograd_core as ag
import nn
import nn.functional as F
from autograd_core.testing import gradcheck
from conftest import assert_function_matches_torch
from nn._convolution_functions import SlidingWindowError


NEGATIVE_DIVISORS = [(2, (2, 2), -2), (2, (3, 2), -1), (3, (2, 2, 3), -2), (3, 2, -7)]


@pytest.mark.parametrize("dims, kernel, divisor", NEGATIVE_DIVISORS)
def test_a_negative_divisor_override_divides_each_windows_sum(dims, kernel, divisor):
    x = np.random.default_rng(dims).standard_normal((1, 2) + (4, 5, 4)[:dims])
    kernel = (kernel,) * dims if isinstance(kernel, int) else kernel
    axes = tuple(range(2, 2 + dims))
    windows = np.lib.stride_tricks.sliding_window_view(x, kernel, axis=axes)  # (stride = kernel: every k-th)
    windows = windows[(Ellipsis,) + tuple(slice(None, None, k) for k in kernel) + (slice(None),) * dims]
    expected = windows.sum(axis=tuple(range(-dims, 0))) / divisor
    pool = getattr(F, f"avg_pool{dims}d")
    np.testing.assert_allclose(pool(ag.tensor(x), kernel, divisor_override=divisor).data, expected, rtol=1e-14)
    assert gradcheck(lambda t: pool(t, kernel, divisor_override=divisor), ag.tensor(x, requires_grad=True))


@pytest.mark.parametrize("dims, kernel, divisor", NEGATIVE_DIVISORS)
def test_a_negative_divisor_override_divides_as_pytorchs(dims, kernel, divisor):
    tf = pytest.importorskip("torch").nn.functional
    x = np.random.default_rng(dims).standard_normal((1, 2) + (4, 5, 4)[:dims])
    ours, theirs = getattr(F, f"avg_pool{dims}d"), getattr(tf, f"avg_pool{dims}d")
    assert_function_matches_torch(lambda x: ours(x, kernel, divisor_override=divisor),
                                  lambda x: theirs(x, kernel, divisor_override=divisor), [x], np.float64)


def test_a_negative_divisor_override_is_the_sum_over_it():
    x = np.arange(16.0).reshape(1, 1, 4, 4)
    np.testing.assert_array_equal(F.avg_pool2d(ag.tensor(x), 2, divisor_override=-2).data,
                                  [[[[-5.0, -9.0], [-21.0, -25.0]]]])
    layer = nn.AvgPool3d(2, divisor_override=-4)
    assert layer.divisor_override == -4
    np.testing.assert_array_equal(layer(ag.ones((1, 1, 2, 2, 2))).data, [[[[[-2.0]]]]])
    np.testing.assert_array_equal(nn.AvgPool2d(2, divisor_override=-1)(ag.tensor(x)).data,
                                  -F.avg_pool2d(ag.tensor(x), 2, divisor_override=1).data)


@pytest.mark.parametrize("make", [lambda d: F.avg_pool2d(ag.ones((1, 4, 4)), 2, divisor_override=d),
                                  lambda d: F.avg_pool3d(ag.ones((1, 2, 2, 2)), 2, divisor_override=d),
                                  lambda d: nn.AvgPool2d(2, divisor_override=d),
                                  lambda d: nn.AvgPool3d(2, divisor_override=d)])
def test_divisor_override_zero_and_no_int_are_refused(make):
    with pytest.raises(SlidingWindowError, match="divisor_override must be an int other than 0.*got 0") as caught:
        make(0)
    assert isinstance(caught.value, ValueError) and isinstance(caught.value, RuntimeError)
    for value in (1.5, True):
        with pytest.raises(TypeError, match="divisor_override must be an int other than 0"):
            make(value)
