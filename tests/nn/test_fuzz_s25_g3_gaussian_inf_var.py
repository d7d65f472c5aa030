"""gaussian_nll_loss with a variance Tensor that requires grad, holding inf beside an entry below eps (found by
fuzzing against PyTorch with non-finite values, session 25): the straight-through clamp max(var, eps) was computed
as (var - values) + max(values, eps) over every entry, so an infinite variance gave inf - inf = NaN where PyTorch's
loss is inf (log inf), with gradient 0."""
import warnings

import numpy as np
import pytest
try:
    import torch
except ImportError:  # (CI has no torch: the checks against NumPy references still run)
    torch = None

import autograd_core as ag
import nn.functional as F


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_an_infinite_variance_beside_a_clamped_one_gives_pytorchs_inf_and_gradients(dtype):
    x, y, v = np.array([0.5, 1.0, -2.0], dtype), np.zeros(3, dtype), np.array([np.inf, 0.0, 1e-9], dtype)
    var, input = ag.tensor(v, requires_grad=True), ag.tensor(x, requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # (no inf - inf warning either)
        loss = F.gaussian_nll_loss(input, y, var, reduction="none")
        loss.sum().backward()
    assert loss.dtype == dtype and loss.data[0] == np.inf
    clamped = np.maximum(v.astype(float), 1e-6)  # (eps; the clamp passes var's gradient straight through)
    with np.errstate(invalid="ignore", divide="ignore"):
        reference = 0.5 * (np.log(clamped) + (x - y).astype(float) ** 2 / clamped)
        var_grad = 0.5 * (1 / clamped - (x - y).astype(float) ** 2 / clamped ** 2)
    np.testing.assert_allclose(loss.data, reference, rtol=1e-6)
    np.testing.assert_allclose(var.grad.data, var_grad, rtol=1e-6)
    np.testing.assert_allclose(input.grad.data, (x - y) / clamped, rtol=1e-6)
    if torch is None:
        return
    tvar, tinput = torch.tensor(v, requires_grad=True), torch.tensor(x, requires_grad=True)
    expected = torch.nn.functional.gaussian_nll_loss(tinput, torch.tensor(y), tvar, reduction="none")
    expected.sum().backward()
    np.testing.assert_allclose(loss.data, expected.detach().numpy(), rtol=1e-6)
    np.testing.assert_allclose(var.grad.data, tvar.grad.numpy(), rtol=1e-6)
    np.testing.assert_allclose(input.grad.data, tinput.grad.numpy(), rtol=1e-6)
