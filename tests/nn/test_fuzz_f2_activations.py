"""Regression tests from fuzzing the activations against PyTorch at ±inf: prelu's slope gradient, the sum of g x
over x <= 0, is -inf or +inf from an x of -inf, as PyTorch's, where an x of +inf made it NaN (0 * inf, with NumPy's
warning)."""
import warnings

import numpy as np
import pytest

import autograd_core as ag
import nn
import nn.functional as F
from autograd_core.testing import gradgradcheck


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.float16])
def test_prelu_slope_gradient_at_infinities(dtype):
    x = ag.tensor(np.array([[np.inf, -np.inf, 2.0], [np.inf, 1.0, -3.0]], dtype=dtype), requires_grad=True)
    weight = ag.tensor(np.array([0.25], dtype=dtype), requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = F.prelu(x, weight)
        out.backward(np.ones(x.shape, dtype=dtype))
    np.testing.assert_array_equal(out.data, np.array([[np.inf, -np.inf, 2.0], [np.inf, 1.0, -0.75]], dtype=dtype))
    np.testing.assert_array_equal(weight.grad.data, [-np.inf])  # -inf + -3, the +inf entries adding nothing
    np.testing.assert_array_equal(x.grad.data, [[1.0, 0.25, 1.0], [1.0, 1.0, 0.25]])


def test_prelu_per_channel_slopes_at_infinities_and_nan():
    x = ag.tensor(np.array([[np.inf, np.inf, np.nan], [np.inf, -2.0, -1.0]]), requires_grad=True)
    weight = ag.tensor(np.array([0.1, 0.2, 0.3]), requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        F.prelu(x, weight).backward(np.ones((2, 3)))
    np.testing.assert_array_equal(weight.grad.data, [0.0, -2.0, np.nan])  # a NaN x gives NaN, as PyTorch's
    np.testing.assert_array_equal(x.grad.data, [[1.0, 1.0, 0.3], [1.0, 0.2, 0.3]])


def test_prelu_layer_at_infinities():
    layer = nn.PReLU(2, dtype=np.float64)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        layer(np.array([[np.inf, -1.0], [1.0, np.inf]])).sum().backward()
    np.testing.assert_array_equal(layer.weight.grad.data, [0.0, -1.0])


def test_prelu_second_derivatives():
    rng = np.random.default_rng(0)
    assert gradgradcheck(lambda x, w: F.prelu(x, w), rng.normal(size=(2, 3, 2)), rng.normal(size=3))


def test_prelu_against_torch_at_infinities():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(1)
    for dtype, tdtype in ((np.float64, torch.float64), (np.float32, torch.float32), (np.float16, torch.float16)):
        xv = rng.normal(size=(3, 4, 5)).astype(dtype)
        xv[0, :, 0], xv[1, :, 1], xv[2, 0, 2] = np.inf, -np.inf, np.nan
        for wv in (rng.normal(size=1).astype(dtype), rng.normal(size=4).astype(dtype)):
            g = (np.abs(rng.normal(size=xv.shape)) + 0.1).astype(dtype)  # (mixed signs would add inf and -inf)
            x, w = ag.tensor(xv, requires_grad=True), ag.tensor(wv, requires_grad=True)
            F.prelu(x, w).backward(g)
            tx, tw = torch.tensor(xv, requires_grad=True), torch.tensor(wv, requires_grad=True)
            torch.nn.functional.prelu(tx, tw).backward(torch.tensor(g))
            np.testing.assert_array_equal(x.grad.data, tx.grad.numpy())
            np.testing.assert_allclose(w.grad.data.astype(np.float64), tw.grad.numpy().astype(np.float64),
                                       rtol=1e-2 if dtype == np.float16 else 1e-5)
