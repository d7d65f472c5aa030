"""eigh's eigenvalues alone and svd's singular values alone have finite gradients at repeated values (and svd's at
zero singular values of a rectangular matrix), as torch's: the unused eigenvectors / singular vectors receive a zero
cotangent, which must not add 0 / 0 (it gave NaN everywhere)."""
import warnings

import numpy as np
import pytest

import autograd_core as ag
from autograd_core.testing import gradgradcheck


def _grad(f, x):
    x = ag.tensor(x, requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # (no 0 / 0 in the rule)
        f(x).sum().backward()
    return x.grad.data


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_eigh_eigenvalues_alone_at_a_repeated_eigenvalue(dtype):
    a = np.stack([np.eye(3), np.diag([1.0, 1.0, 2.0]), [[2.0, 1.0, 0.0], [1.0, 3.0, 0.0], [0.0, 0.0, 1.0]]]).astype(dtype)
    got = _grad(lambda x: ag.linalg.eigh(x)[0] * np.array([1.0, 2.0, 3.0], dtype), a)
    expected = _grad(lambda x: ag.linalg.eigvalsh(x) * np.array([1.0, 2.0, 3.0], dtype), a)
    assert got.dtype == dtype
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(got[0], np.diag([1.0, 2.0, 3.0]), atol=1e-6)  # (torch's: V diag(g) V^T with V = I)


@pytest.mark.parametrize("shape", [(3, 3), (3, 2), (2, 3), (2, 4, 2)])
@pytest.mark.parametrize("full_matrices", [False, True])
def test_svd_singular_values_alone_at_repeated_and_zero_values(shape, full_matrices):
    k = min(shape[-2:])
    for a in (np.zeros(shape), np.broadcast_to(np.eye(*shape[-2:]), shape).copy()):
        got = _grad(lambda x: ag.linalg.svd(x, full_matrices=full_matrices)[1], a)
        expected = _grad(ag.linalg.svdvals, a)
        np.testing.assert_allclose(got, expected, atol=1e-12)
        np.testing.assert_allclose(got, np.broadcast_to(np.eye(*shape[-2:]), shape), atol=1e-12)  # (torch's value)
        assert np.isfinite(got).all() and k


def test_vectors_used_at_a_repeated_value_still_inf_or_nan():
    # a nonzero cotangent of the eigenvectors at a repeated eigenvalue divides by the gap 0, as torch's
    x = ag.tensor(np.eye(2), requires_grad=True)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        (ag.linalg.eigh(x)[1] * np.array([[1.0, 2.0], [3.0, 4.0]])).sum().backward()
    assert not np.isfinite(x.grad.data).all()


def test_second_derivatives_at_distinct_values_unchanged():
    rng = np.random.default_rng(0)
    a = rng.standard_normal((3, 3))
    assert gradgradcheck(lambda x: ag.linalg.eigh(x + x.mT)[0], a)
    assert gradgradcheck(lambda x: ag.linalg.svd(x)[1], rng.standard_normal((3, 2)))
    assert gradgradcheck(lambda x: (lambda u, s, vh: (u * u, s, vh * vh))(*ag.linalg.svd(x, full_matrices=False)),
                         rng.standard_normal((2, 3)))
