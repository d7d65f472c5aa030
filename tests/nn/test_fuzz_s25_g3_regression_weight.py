"""mse_loss, l1_loss and huber_loss take PyTorch's weight= (found comparing signatures with PyTorch 2.13, session 25):
a call with weight raised TypeError (unexpected keyword). As PyTorch's, the weight has the input's shape and
multiplies each element's loss; the mean divides by the weights' sum for mse_loss and l1_loss, by the count for
huber_loss; a weight that requires grad is differentiated."""
import numpy as np
import pytest
try:
    import torch
except ImportError:  # (CI has no torch: the checks against the NumPy reference still run)
    torch = None

import autograd_core as ag
import nn.functional as F
from autograd_core.testing import gradcheck

X = np.array([[0.5, -2.0, 1.5], [3.0, 0.25, -1.0]])
Y = np.array([[0.0, 0.0, 1.0], [1.0, 1.0, 1.0]])
W = np.array([[1.0, 0.5, 2.0], [0.0, 3.0, 1.0]])
CASES = [(F.mse_loss, "mse_loss", {}), (F.l1_loss, "l1_loss", {}), (F.huber_loss, "huber_loss", {"delta": 0.6})]


def _reference(name, x, y, w, reduction, delta=1.0):
    """PyTorch's documented formulas: each element's loss times its weight; the mean over the weights' sum for
    mse_loss and l1_loss, over the count for huber_loss."""
    d = np.abs(x - y)
    huber = np.where(d < delta, 0.5 * d ** 2, delta * (d - 0.5 * delta))
    weighted = {"mse_loss": d ** 2, "l1_loss": d, "huber_loss": huber}[name] * w
    if reduction == "none":
        return weighted
    if reduction == "sum":
        return weighted.sum()
    return weighted.sum() / (weighted.size if name == "huber_loss" else w.sum())


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("ours, name, kwargs", CASES, ids=["mse", "l1", "huber"])
def test_weighted_regression_losses_follow_the_formula_and_differentiate(ours, name, kwargs, reduction):
    np.testing.assert_allclose(ours(X, Y, reduction=reduction, weight=W, **kwargs).data,
                               _reference(name, X, Y, W, reduction, **kwargs), rtol=1e-13)
    assert gradcheck(lambda x, w: ours(x, Y, reduction=reduction, weight=w, **kwargs), X, W)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("ours, name, kwargs", CASES, ids=["mse", "l1", "huber"])
def test_weighted_regression_losses_and_their_gradients_equal_pytorchs(ours, name, kwargs, reduction):
    if torch is None:
        pytest.skip("compares with torch")
    theirs = getattr(torch.nn.functional, name)
    x, w = ag.tensor(X, requires_grad=True), ag.tensor(W, requires_grad=True)
    tx, tw = torch.tensor(X, requires_grad=True), torch.tensor(W, requires_grad=True)
    value = ours(x, Y, reduction=reduction, weight=w, **kwargs)
    expected = theirs(tx, torch.tensor(Y), reduction=reduction, weight=tw, **kwargs)
    np.testing.assert_allclose(value.data, expected.detach().numpy(), rtol=1e-13, atol=1e-15)
    cotangent = np.linspace(0.5, 1.5, expected.numel()).reshape(expected.shape)
    value.backward(ag.tensor(cotangent))
    expected.backward(torch.tensor(cotangent))
    np.testing.assert_allclose(x.grad.data, tx.grad.numpy(), rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(w.grad.data, tw.grad.numpy(), rtol=1e-13, atol=1e-15)
    constant = ours(X.astype(np.float32), Y, reduction=reduction, weight=W, **kwargs)  # a constant weight
    assert constant.dtype == np.float32  # (the input's dtype, as the other losses' weights keep it)
    np.testing.assert_allclose(constant.data, expected.detach().numpy(), rtol=1e-6)


@pytest.mark.parametrize("ours", [F.mse_loss, F.l1_loss, F.huber_loss], ids=["mse", "l1", "huber"])
def test_a_weight_of_another_shape_is_refused_as_pytorchs(ours):
    where = ours.__name__
    with pytest.raises(ValueError, match=rf"{where}: weight of shape \(3,\) must have the input's shape \(2, 3\)"):
        ours(X, Y, weight=W[0])
    with pytest.raises(TypeError, match=rf"{where}: weight must hold numbers"):
        ours(X, Y, weight=np.array([["a"] * 3] * 2))
    with pytest.raises(ValueError, match=rf"{where}: reduction must be one of"):
        ours(X, Y, reduction="batchmean", weight=W)


def test_weights_summing_to_zero_give_nan_as_pytorchs_zero_by_zero():
    assert np.isnan(F.mse_loss(X, Y, weight=np.zeros_like(W)).item())
    assert F.mse_loss(X, Y, weight=np.zeros_like(W), reduction="sum").item() == 0
