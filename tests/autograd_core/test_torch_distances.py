"""torch.cdist and torch.pdist (autograd_core/torch_distances.py): values against a NumPy reference and torch,
gradients against central differences and torch (0 at two equal rows, as PyTorch's), the errors."""
import math

import numpy as np
import pytest

import autograd_core as ag
from autograd_core.testing import gradcheck, gradgradcheck


def _reference(x1, x2, p):
    differences = np.abs(x1[..., :, None, :] - x2[..., None, :, :])
    if p == 0:
        return np.count_nonzero(differences, axis=-1).astype(float)
    if p == math.inf:
        return differences.max(axis=-1)
    return (differences ** p).sum(axis=-1) ** (1 / p)


def _inputs():
    rng = np.random.default_rng(0)
    x1, x2 = rng.normal(size=(2, 4, 3)), rng.normal(size=(5, 3))
    x2[1] = x1[0, 1]  # two equal rows: distance 0
    return x1, x2


@pytest.mark.parametrize("p", [0, 0.5, 1, 2, 3, math.inf])
def test_cdist_values_match_numpy_and_torch(p):
    x1, x2 = _inputs()
    result = ag.cdist(ag.tensor(x1), ag.tensor(x2), p=p)
    assert result.shape == (2, 4, 5)
    np.testing.assert_allclose(result.data, _reference(x1, x2, p), rtol=1e-13, atol=0)
    assert result.data[0, 1, 1] == 0
    torch = pytest.importorskip("torch")
    np.testing.assert_allclose(result.data, torch.cdist(torch.tensor(x1), torch.tensor(x2), p=p).numpy(),
                               rtol=1e-13, atol=1e-15)


@pytest.mark.parametrize("p", [1, 2, 3, math.inf])
def test_cdist_gradients_match_finite_differences(p):
    rng = np.random.default_rng(1)
    x1, x2 = rng.normal(size=(3, 2)), rng.normal(size=(4, 2))
    assert gradcheck(lambda a, b: ag.cdist(a, b, p=p), x1, x2)


@pytest.mark.parametrize("p", [0.5, 1, 2, math.inf])
def test_cdist_gradients_match_torch_also_at_equal_rows(p):
    torch = pytest.importorskip("torch")
    x1, x2 = _inputs()
    weights = np.random.default_rng(2).normal(size=(2, 4, 5))
    a, b = ag.tensor(x1, requires_grad=True), ag.tensor(x2, requires_grad=True)
    (ag.cdist(a, b, p=p) * weights).sum().backward()
    ta, tb = torch.tensor(x1, requires_grad=True), torch.tensor(x2, requires_grad=True)
    (torch.cdist(ta, tb, p=p) * torch.tensor(weights)).sum().backward()
    np.testing.assert_allclose(a.grad.data, ta.grad.numpy(), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(b.grad.data, tb.grad.numpy(), rtol=1e-12, atol=1e-14)


def test_cdist_gradient_at_equal_rows_is_zero():
    x = ag.tensor([[1.0, 2.0]], requires_grad=True)
    ag.cdist(x, ag.tensor([[1.0, 2.0]])).sum().backward()
    assert x.grad.tolist() == [[0.0, 0.0]]  # (torch's subgradient at a zero distance)


@pytest.mark.parametrize("call, kind, message", [
    (lambda: ag.cdist(ag.zeros(3), ag.zeros((2, 3))), TypeError, r"cdist: x1 must be a floating-point Tensor of at "
                                                                  r"least 2 dimensions .* got shape \(3,\)"),
    (lambda: ag.cdist(ag.zeros((2, 3)), ag.zeros((2, 3), dtype=np.int64)), TypeError, r"cdist: x2 .* dtype int64"),
    (lambda: ag.cdist(ag.zeros((2, 3)), ag.zeros((2, 4))), ValueError, r"same number of features"),
    (lambda: ag.cdist(ag.zeros((2, 2, 3)), ag.zeros((3, 2, 3))), ValueError, r"batch axes .* must broadcast"),
    (lambda: ag.cdist(ag.zeros((2, 3)), ag.zeros((2, 3)), p=-1), ValueError, r"p must be a number >= 0"),
    (lambda: ag.cdist(ag.zeros((2, 3)), ag.zeros((2, 3)), compute_mode="mm"), ValueError, r"compute_mode must be"),
])
def test_cdist_bad_arguments_raise_clear_errors(call, kind, message):
    with pytest.raises(kind, match=message):
        call()


def test_equal_points_get_gradient_zero_so_an_rbf_kernel_of_x_with_itself_is_differentiable():
    x = ag.tensor([[0.0, 1.0], [2.0, 3.0]], requires_grad=True)
    kernel = ag.exp(-ag.cdist(x, x) ** 2)
    kernel.sum().backward()
    # d/dx_i of sum_jk exp(-|x_j - x_k|^2): only the off-diagonal pair, 2 * 2 * exp(-8) * (x_j - x_i), finite
    expected = 4 * np.exp(-8.0) * np.array([[2.0, 2.0], [-2.0, -2.0]])
    np.testing.assert_allclose(x.grad.data, expected, rtol=1e-14)


def test_float32_stays_float32():
    x = ag.ones((2, 3), dtype=np.float32)
    assert ag.cdist(x, x).dtype == np.float32


def test_cdist_second_derivatives_match_finite_differences():
    rng = np.random.default_rng(1)
    a, b = rng.normal(size=(3, 2)), rng.normal(size=(4, 2))
    assert gradgradcheck(lambda x, y: ag.cdist(x, y), ag.tensor(a, requires_grad=True), ag.tensor(b, requires_grad=True))


# ---- torch.dist (the parametrizations tutorial's `torch.dist(X.T @ X, torch.eye(3))`) -------------------------------
@pytest.mark.parametrize("p", [0, 0.5, 1, 2, 3, math.inf, -math.inf])
def test_dist_is_the_p_norm_of_the_difference_as_numpy_and_torch(p):
    rng = np.random.default_rng(1)
    a, b = rng.normal(size=(3, 4)), rng.normal(size=(4,))
    difference = np.abs(a - b).ravel()
    expected = {0: np.count_nonzero(difference), math.inf: difference.max(), -math.inf: difference.min()}.get(
        p, (difference ** p).sum() ** (1 / p) if p else None)
    for result in (ag.dist(ag.tensor(a), ag.tensor(b), p), ag.tensor(a).dist(ag.tensor(b), p=p)):
        assert result.shape == () and result.item() == pytest.approx(expected, rel=1e-14)
    torch = pytest.importorskip("torch")
    assert ag.dist(a, b, p).item() == pytest.approx(torch.dist(torch.tensor(a), torch.tensor(b), p).item(), rel=1e-14)


def test_dist_gradients_match_finite_differences_and_are_zero_at_equal_tensors():
    rng = np.random.default_rng(2)
    a, b = rng.normal(size=(2, 3)), rng.normal(size=(2, 3))
    assert gradcheck(lambda x, y: ag.dist(x, y, 3), a, b) and gradcheck(lambda x, y: ag.dist(x, y), a, b)
    x = ag.tensor(a, requires_grad=True)
    ag.dist(x, ag.tensor(a)).backward()
    np.testing.assert_array_equal(x.grad.data, np.zeros((2, 3)))  # PyTorch's: 0 at a zero difference


def test_dist_refuses_shapes_that_do_not_broadcast_and_a_bad_p():
    with pytest.raises(ValueError, match=r"dist: the shapes of input \(2, 3\) and other \(4,\) must broadcast"):
        ag.dist(ag.ones((2, 3)), ag.ones(4))
    for p in (-1, "fro", float("nan"), True):
        with pytest.raises(ValueError, match="dist: p must be a number >= 0, inf or -inf"):
            ag.dist(ag.ones(2), ag.zeros(2), p)


def _pdist_reference(x, p):
    first, second = np.triu_indices(len(x), 1)
    return _reference(x[first][:, None, :], x[second][:, None, :], p)[:, 0, 0]


@pytest.mark.parametrize("p", [0, 0.5, 1, 2, 3, math.inf])
def test_pdist_is_the_upper_triangle_of_cdist(p):
    x = np.random.default_rng(2).normal(size=(5, 3))
    x[3] = x[1]  # two equal rows: distance 0
    out = ag.pdist(ag.tensor(x), p)
    np.testing.assert_allclose(out.data, _pdist_reference(x, p), rtol=1e-12, atol=1e-15)
    first, second = np.triu_indices(5, 1)
    np.testing.assert_allclose(out.data, ag.cdist(ag.tensor(x), ag.tensor(x), p).data[first, second], rtol=1e-12)
    assert ag.pdist(ag.tensor([[0.0, 0.0], [3.0, 4.0]])).tolist() == [5.0]
    assert ag.pdist(ag.ones((1, 3))).shape == (0,)


@pytest.mark.parametrize("p", [0.5, 1, 2, 3, math.inf])
def test_pdist_gradient_is_zero_at_equal_rows_as_torch(p):
    x = np.array([[0.3, -1.0], [0.3, -1.0], [1.0, 2.0], [-0.5, 0.25]])
    t = ag.tensor(x, requires_grad=True)
    ag.pdist(t, p).sum().backward()
    # rows 0 and 1 are equal: their pair adds nothing, so their gradients are those of the other pairs alone
    alone = ag.tensor(x, requires_grad=True)
    pairs = ag.pdist(alone, p)
    (pairs * ag.tensor([0.0, 1, 1, 1, 1, 1])).sum().backward()
    np.testing.assert_allclose(t.grad.data, alone.grad.data, rtol=1e-12)
    torch = pytest.importorskip("torch")
    reference = torch.tensor(x, requires_grad=True)
    torch.pdist(reference, p).sum().backward()
    np.testing.assert_allclose(t.grad.data, reference.grad.numpy(), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(ag.pdist(ag.tensor(x), p).data, torch.pdist(torch.tensor(x), p).numpy(), rtol=1e-12)


@pytest.mark.parametrize("p", [1, 1.5, 2, 3])
def test_pdist_first_and_second_derivatives(p):
    x = ag.tensor(np.random.default_rng(3).normal(size=(4, 3)), requires_grad=True)
    assert gradcheck(lambda x: ag.pdist(x, p), x)
    assert gradgradcheck(lambda x: ag.pdist(x, p), x)


@pytest.mark.parametrize("call, error, message", [
    (lambda: ag.pdist(ag.ones((2, 2, 2))), ValueError, r"pdist: expected a 2-D input \(N, M\)"),
    (lambda: ag.pdist(ag.ones((2, 2)), -1), ValueError, "pdist: p must be a number >= 0"),
    (lambda: ag.pdist(ag.ones((2, 2)), "2"), TypeError, "pdist: p must be a number >= 0"),
    (lambda: ag.pdist(ag.tensor([[1, 2], [3, 4]])), TypeError, "pdist: expected an input of a float dtype"),
])
def test_pdist_errors(call, error, message):
    with pytest.raises(error, match=message):
        call()
