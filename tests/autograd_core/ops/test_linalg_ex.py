"""PyTorch's info-returning linear algebra (autograd_core/ops/_linalg_ex.py): ag.linalg.inv_ex and solve_ex, as a
Lagrangian network inverts or solves with a batch of mass matrices. Values against NumPy, info against LAPACK's
rule (the first exactly zero pivot of LU), gradients against ag.linalg.inv/solve and finite differences, and
against torch where it is installed."""
import numpy as np
import pytest

import autograd_core as ag
from autograd_core.testing import gradcheck


def _batch():
    rng = np.random.default_rng(0)
    s = rng.uniform(-1, 1, (3, 3))
    invertible = s @ s.T + 3 * np.eye(3)
    zero_at_2 = np.array([[1.0, 2.0, 0.0], [2.0, 4.0, 0.0], [0.0, 0.0, 1.0]])  # rank 2: U's second pivot is 0
    zero_at_3 = np.array([[2.0, 0.0, 0.0], [0.0, 3.0, 0.0], [1.0, 1.0, 0.0]])
    return np.stack([invertible, zero_at_2, zero_at_3])


def test_inv_ex_gives_the_inverse_and_lapacks_info_and_nan_where_singular_as_torch():
    a = _batch()
    A = ag.tensor(a, requires_grad=True)
    inverse, info = ag.linalg.inv_ex(A)
    assert info.dtype == np.int32 and info.tolist() == [0, 2, 3] and not info.requires_grad
    np.testing.assert_allclose(inverse.data[0], np.linalg.inv(a[0]), rtol=1e-14)
    assert np.isnan(inverse.data[1:]).all()
    inverse[0].sum().backward()  # the invertible matrix's gradient is inv's; the singular ones get none
    expected = ag.tensor(a[0], requires_grad=True)
    ag.linalg.inv(expected).sum().backward()
    np.testing.assert_allclose(A.grad.data[0], expected.grad.data, rtol=1e-14)
    assert not A.grad.data[1:].any()
    assert gradcheck(lambda x: ag.linalg.inv_ex(x).inverse, a[0])
    assert ag.linalg.inv_ex(a[0].astype(np.float32)).inverse.dtype == np.float32
    with pytest.raises(RuntimeError, match=r"inv_ex: \(Batch element 1\).*singular.*element 2"):
        ag.linalg.inv_ex(A, check_errors=True)
    with pytest.raises(np.linalg.LinAlgError, match="singular"):  # one matrix: no batch element named
        ag.linalg.inv_ex(a[1], check_errors=True)
    torch = pytest.importorskip("torch")
    t_inverse, t_info = torch.linalg.inv_ex(torch.tensor(a))
    assert t_info.dtype == torch.int32 and t_info.tolist() == info.tolist()
    np.testing.assert_allclose(inverse.data[0], t_inverse[0].numpy(), rtol=1e-14)


def test_solve_ex_takes_torchs_vector_rule_left_and_info():
    a = _batch()
    rng = np.random.default_rng(1)
    vectors = rng.standard_normal((3, 3))  # the shape A.shape[:-1]: one vector per matrix (NumPy: a matrix)
    x, info = ag.linalg.solve_ex(a, vectors)
    assert x.shape == (3, 3) and info.tolist() == [0, 2, 3]
    np.testing.assert_allclose(x.data[0], np.linalg.solve(a[0], vectors[0]), rtol=1e-14)
    assert np.isnan(x.data[1:]).all()
    b = rng.standard_normal((3, 2))
    np.testing.assert_allclose(ag.linalg.solve_ex(a[0], b).result.data, np.linalg.solve(a[0], b), rtol=1e-14)
    np.testing.assert_allclose(ag.linalg.solve_ex(a[0], b[:, 0]).result.data, np.linalg.solve(a[0], b[:, 0]),
                               rtol=1e-14)
    right = ag.linalg.solve_ex(a[0], b.T, left=False).result  # X @ A = B
    np.testing.assert_allclose(right.data @ a[0], b.T, atol=1e-14)
    assert gradcheck(lambda m, v: ag.linalg.solve_ex(m, v).result, a[0], vectors[0])
    assert gradcheck(lambda m, v: ag.linalg.solve_ex(m, v, left=False).result, a[0], b.T)
    with pytest.raises(ValueError, match="solve_ex: B of shape \\(3,\\) .* left=True"):
        ag.linalg.solve_ex(a[0], b[:, 0], left=False)
    with pytest.raises(ValueError, match="solve_ex"):
        ag.linalg.solve_ex(a[0], np.ones((4, 2)))
    with pytest.raises(RuntimeError, match="solve_ex: \\(Batch element 1\\).*singular"):
        ag.linalg.solve_ex(a, vectors, check_errors=True)
    torch = pytest.importorskip("torch")
    t_x, t_info = torch.linalg.solve_ex(torch.tensor(a), torch.tensor(vectors))
    assert t_info.tolist() == info.tolist() and tuple(t_x.shape) == x.shape
    np.testing.assert_allclose(x.data[0], t_x[0].numpy(), rtol=1e-14)
    t_right = torch.linalg.solve_ex(torch.tensor(a[0]), torch.tensor(b.T), left=False).result
    np.testing.assert_allclose(right.data, t_right.numpy(), rtol=1e-13)
