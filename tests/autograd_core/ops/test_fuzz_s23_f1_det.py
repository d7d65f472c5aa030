"""Regression found by fuzzing second derivatives of linalg.det against PyTorch (session 23, F1)."""
import numpy as np
import pytest

import autograd_core as ag


def _cofactor(m):
    n = m.shape[-1]
    c = np.zeros_like(m)
    for i in range(n):
        for j in range(n):
            c[i, j] = (-1) ** (i + j) * np.linalg.det(np.delete(np.delete(m, i, 0), j, 1))
    return c


def _hvp_by_differences(a, v, eps=1e-6):
    """d/dt <cofactor(a + t e_ij), v>: the exact gradient of det is the cofactor matrix, a polynomial."""
    out = np.zeros_like(a)
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            d = np.zeros_like(a)
            d[i, j] = eps
            out[i, j] = ((_cofactor(a + d) - _cofactor(a - d)) * v).sum() / (2 * eps)
    return out


@pytest.mark.parametrize("case", ["rank2", "near-singular", "regular", "identity"])
def test_second_derivative_of_det(case):
    # at a numerically singular matrix that inv does not refuse (rank n - 1 from a product), the rule det(A) A^-T
    # was differentiated: its terms of size |det| cond(A)^2 cancel, and the Hessian came out wrong by O(10)
    rng = np.random.default_rng(3)
    a = {"rank2": rng.standard_normal((3, 2)) @ rng.standard_normal((2, 3)),
         "near-singular": np.diag([2.0, 1.0, 1e-7]) + 0.1 * rng.standard_normal((3, 3)) * [[1], [1], [0]],
         "regular": rng.standard_normal((3, 3)),
         "identity": np.eye(3)}[case]
    v = rng.standard_normal((3, 3))
    first = ag.grad(lambda x: ag.linalg.det(x))
    assert np.allclose(first(ag.tensor(a)).data, _cofactor(a), atol=1e-10)
    hvp = ag.grad(lambda x: (first(x) * ag.tensor(v)).sum())(ag.tensor(a))
    assert np.allclose(hvp.data, _hvp_by_differences(a, v), atol=1e-6)


def test_second_derivative_of_det_in_a_mixed_stack():
    rng = np.random.default_rng(4)
    stack = np.stack([rng.standard_normal((3, 2)) @ rng.standard_normal((2, 3)), np.eye(3),
                      rng.standard_normal((3, 3))])
    v = rng.standard_normal((3, 3, 3))
    w = rng.standard_normal(3)
    first = ag.grad(lambda x: (ag.linalg.det(x) * ag.tensor(w)).sum())
    hvp = ag.grad(lambda x: (first(x) * ag.tensor(v)).sum())(ag.tensor(stack)).data
    for k in range(3):
        assert np.allclose(hvp[k], w[k] * _hvp_by_differences(stack[k], v[k]), atol=1e-6)
    got32 = ag.grad(lambda x: (first(x) * ag.tensor(v.astype(np.float32))).sum())(ag.tensor(stack.astype(np.float32)))
    assert got32.dtype == np.float32 and np.allclose(got32.data, hvp, atol=1e-2)
