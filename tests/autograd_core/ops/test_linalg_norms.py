"""torch.cdist (ag.cdist, in autograd_core/ops/_linalg_norms.py): the p-norm distances between rows, as an RBF
kernel computes them; values against NumPy's norms of the differences, gradients against finite differences and
torch's (its exact mode: the matrix-product shortcut rounds otherwise)."""
import numpy as np
import pytest

import autograd_core as ag
from autograd_core.testing import gradcheck


@pytest.mark.parametrize("p", [2.0, 1.0, 3, np.inf, 0])
def test_cdist_is_the_norm_of_each_pair_of_rows_differences_with_torchs_gradient(p):
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal((2, 5, 3)), rng.standard_normal((4, 3))
    b[1] = a[0, 2]  # a pair at distance 0: gradient 0 there, as torch's
    weights = np.arange(40.0).reshape(2, 5, 4) / 10
    x, y = ag.tensor(a, requires_grad=True), ag.tensor(b, requires_grad=True)
    d = ag.cdist(x, y, p=p)
    expected = np.linalg.norm(a[..., :, None, :] - b[None, None, :, :], ord=p, axis=-1)
    np.testing.assert_allclose(d.data, expected, rtol=1e-14, atol=1e-15)
    (d * weights).sum().backward()
    if p >= 1:
        assert gradcheck(lambda u, v: ag.cdist(u, v, p=p), a + 0.01 * np.eye(3)[:, 0], b)  # (away from the tie)
    torch = pytest.importorskip("torch")
    tx, ty = torch.tensor(a, requires_grad=True), torch.tensor(b, requires_grad=True)
    (torch.cdist(tx, ty, p=p, compute_mode="donot_use_mm_for_euclid_dist") * torch.tensor(weights)).sum().backward()
    np.testing.assert_allclose(x.grad.data, tx.grad.numpy(), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(y.grad.data, ty.grad.numpy(), rtol=1e-12, atol=1e-14)


def test_cdist_names_what_does_not_fit():
    with pytest.raises(ValueError, match=r"cdist: x1 of shape \(3, 2\) and x2 of shape \(4, 3\)"):
        ag.cdist(ag.ones((3, 2)), ag.ones((4, 3)))
    with pytest.raises(ValueError, match="cdist: p must be a number >= 0"):
        ag.cdist(ag.ones((3, 2)), ag.ones((4, 2)), p=-1)
    with pytest.raises(ValueError, match="cdist: compute_mode must be one of"):
        ag.cdist(ag.ones((3, 2)), ag.ones((4, 2)), compute_mode="fast")
