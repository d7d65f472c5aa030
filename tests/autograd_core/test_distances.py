"""ag.cdist (autograd_core/distances.py), torch.cdist's pairwise distances: values against a NumPy loop, gradients
against finite differences and, where installed, torch's values and gradients; the zero-distance subgradient (K(X, X)
of an RBF kernel), batch broadcasting, and the errors."""
import math

import numpy as np
import pytest

import autograd_core as ag
from autograd_core.testing import gradcheck, gradgradcheck

P_VALUES = [2.0, 1.0, 0.5, 3.0, math.inf, 0.0]


def _reference(a, b, p):
    """The distances by a NumPy loop over the pairs (batches broadcast)."""
    batch = np.broadcast_shapes(a.shape[:-2], b.shape[:-2])
    a, b = np.broadcast_to(a, batch + a.shape[-2:]), np.broadcast_to(b, batch + b.shape[-2:])
    out = np.empty(batch + (a.shape[-2], b.shape[-2]))
    for index in np.ndindex(*batch, a.shape[-2], b.shape[-2]):
        d = np.abs(a[index[:-1]] - b[index[:-2] + index[-1:]])
        out[index] = np.count_nonzero(d) if p == 0 else d.max() if p == math.inf else (d ** p).sum() ** (1 / p)
    return out


@pytest.mark.parametrize("p", P_VALUES)
def test_values_are_the_p_norms_of_the_differences_with_batches_broadcast(p):
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=(2, 1, 4, 3)), rng.normal(size=(5, 6, 3))
    np.testing.assert_allclose(ag.cdist(ag.tensor(a), ag.tensor(b), p=p).data, _reference(a, b, p), rtol=1e-13,
                               atol=1e-14)


@pytest.mark.parametrize("p", [2.0, 1.0, 3.0, math.inf])
def test_gradients_match_finite_differences(p):
    rng = np.random.default_rng(1)
    a, b = rng.normal(size=(3, 2)), rng.normal(size=(4, 2))
    assert gradcheck(lambda x, y: ag.cdist(x, y, p=p), ag.tensor(a, requires_grad=True),
                     ag.tensor(b, requires_grad=True))
    if p == 2.0:
        assert gradgradcheck(lambda x, y: ag.cdist(x, y), ag.tensor(a, requires_grad=True),
                             ag.tensor(b, requires_grad=True))


def test_equal_points_get_gradient_zero_so_an_rbf_kernel_of_x_with_itself_is_differentiable():
    x = ag.tensor([[0.0, 1.0], [2.0, 3.0]], requires_grad=True)
    kernel = ag.exp(-ag.cdist(x, x) ** 2)
    kernel.sum().backward()
    # d/dx_i of sum_jk exp(-|x_j - x_k|^2): only the off-diagonal pair, 2 * 2 * exp(-8) * (x_j - x_i), finite
    expected = 4 * np.exp(-8.0) * np.array([[2.0, 2.0], [-2.0, -2.0]])
    np.testing.assert_allclose(x.grad.data, expected, rtol=1e-14)
    d = ag.tensor([[1.0, 1.0]], requires_grad=True)
    ag.cdist(d, ag.tensor([[1.0, 1.0]])).sum().backward()
    np.testing.assert_array_equal(d.grad.data, [[0.0, 0.0]])  # torch's subgradient at a zero distance


def test_float32_stays_float32():
    x = ag.ones((2, 3), dtype=np.float32)
    assert ag.cdist(x, x).dtype == np.float32


@pytest.mark.parametrize("p", P_VALUES)
def test_against_torch(p):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(2)
    a, b = rng.normal(size=(2, 1, 4, 3)), rng.normal(size=(5, 6, 3))
    b[0, 0] = a[0, 0, 0]  # one zero distance
    x, y = ag.tensor(a, requires_grad=True), ag.tensor(b, requires_grad=True)
    tx, ty = torch.tensor(a, requires_grad=True), torch.tensor(b, requires_grad=True)
    out, expected = ag.cdist(x, y, p=p), torch.cdist(tx, ty, p=p)
    np.testing.assert_allclose(out.data, expected.detach().numpy(), rtol=1e-13, atol=1e-14)
    weights = rng.normal(size=out.shape)
    (out * weights).sum().backward()
    (expected * torch.tensor(weights)).sum().backward()
    np.testing.assert_allclose(x.grad.data, tx.grad.numpy(), rtol=1e-12, atol=1e-13)
    np.testing.assert_allclose(y.grad.data, ty.grad.numpy(), rtol=1e-12, atol=1e-13)


@pytest.mark.parametrize("call, kind, message", [
    (lambda: ag.cdist(ag.ones((2, 3)), ag.ones((2, 4))), ValueError,
     r"cdist: x1 and x2 must have the same number of coordinates \(last axis\), got shapes \(2, 3\) and \(2, 4\)"),
    (lambda: ag.cdist(ag.ones(3), ag.ones((2, 3))), ValueError, r"cdist: x1 must have at least 2 dimensions"),
    (lambda: ag.cdist(ag.ones((2, 3), dtype=np.int64), ag.ones((2, 3))), TypeError,
     r"cdist: x1 must be a floating-point Tensor, got dtype int64"),
    (lambda: ag.cdist(ag.ones((2, 3)), ag.ones((2, 3)), p=-1), ValueError, r"cdist: p must be a number >= 0"),
    (lambda: ag.cdist(ag.ones((2, 3)), ag.ones((2, 3)), compute_mode="fast"), ValueError,
     r"cdist: compute_mode must be one of"),
])
def test_errors_name_cdist_and_what_is_valid(call, kind, message):
    with pytest.raises(kind, match=message):
        call()
