"""PyTorch's LU factorisation (autograd_core/ops/_linalg_lu.py): torch.linalg.lu_factor and lu, torch.lu_unpack and
torch.lu (t.lu()). The factors rebuild the input and the pivots are LAPACK's; gradients (and second derivatives)
against finite differences, and everything against PyTorch where it is installed."""
import numpy as np
import pytest

import autograd_core as ag
from autograd_core.testing import gradcheck

RNG = np.random.default_rng(0)


@pytest.mark.parametrize("shape", [(1, 1), (4, 4), (2, 3, 3)])
def test_lu_rebuilds_the_input_with_unit_lower_and_upper_factors(shape):
    a = RNG.standard_normal(shape)
    P, L, U = ag.linalg.lu(ag.tensor(a))
    np.testing.assert_allclose(P.data @ L.data @ U.data, a, atol=1e-12)
    np.testing.assert_array_equal(np.diagonal(L.data, axis1=-2, axis2=-1), 1.0)
    np.testing.assert_array_equal(np.triu(L.data, 1), 0.0)
    np.testing.assert_array_equal(np.tril(U.data, -1), 0.0)
    # partial pivoting: every multiplier is at most 1 in magnitude
    assert np.all(np.abs(L.data) <= 1.0)


def test_lu_factor_packs_the_factors_with_lapacks_pivots():
    LU, pivots = ag.linalg.lu_factor(ag.tensor([[1.0, 2.0], [3.0, 4.0]]))
    # rows swapped (pivot 2 at step 1), multiplier 1/3, U = [[3, 4], [0, 2 - 4/3]]
    np.testing.assert_allclose(LU.data, [[3.0, 4.0], [1.0 / 3.0, 2.0 - 4.0 / 3.0]], atol=1e-15)
    np.testing.assert_array_equal(pivots.data, [2, 2])
    assert pivots.dtype == np.int32
    P, L, U = ag.lu_unpack(LU, pivots)
    np.testing.assert_array_equal(P.data, [[0.0, 1.0], [1.0, 0.0]])


def test_lu_unpack_gives_empty_parts_not_asked_for():
    P, L, U = ag.lu_unpack(*ag.linalg.lu_factor(ag.eye(3)), unpack_data=False)
    assert L.shape == U.shape == (0,)
    np.testing.assert_array_equal(P.data, np.eye(3))


def test_tensor_lu_is_torch_lu_with_infos_at_a_zero_pivot():
    LU, pivots, infos = ag.tensor([[1.0, 2.0], [2.0, 4.0]]).lu(get_infos=True)
    np.testing.assert_allclose(LU.data, [[2.0, 4.0], [0.5, 0.0]])
    assert infos.item() == 2
    LU2, pivots2 = ag.lu(ag.tensor([[1.0, 2.0], [2.0, 4.0]]))
    np.testing.assert_array_equal(LU2.data, LU.data)


@pytest.mark.parametrize("shape", [(3, 3), (2, 2, 2)])
def test_lu_factor_gradient_matches_finite_differences(shape):
    a = RNG.standard_normal(shape) + 3 * np.eye(shape[-1])
    assert gradcheck(lambda x: ag.linalg.lu_factor(x).LU, ag.tensor(a, requires_grad=True))
    assert gradcheck(lambda x: ag.linalg.lu(x).L.sum() + (ag.linalg.lu(x).U ** 2).sum(),
                     ag.tensor(a, requires_grad=True))


def test_lu_factor_second_derivative_matches_finite_differences_of_the_gradient():
    a = RNG.standard_normal((3, 3)) + 3 * np.eye(3)
    weights = ag.tensor(RNG.standard_normal((3, 3)))

    def gradient(x):
        (g,) = ag.autograd.grad((ag.linalg.lu_factor(x).LU ** 2 * weights).sum(), x, create_graph=True)
        return g

    assert gradcheck(gradient, ag.tensor(a, requires_grad=True))


def test_lu_refuses_what_it_cannot_factor():
    with pytest.raises(ValueError, match=r"lu_factor: A must be a matrix.*\(3,\)"):
        ag.linalg.lu_factor(ag.zeros(3))
    with pytest.raises(RuntimeError, match=r"lu_solve: LU must be a square matrix.*\(2, 3\)"):
        ag.linalg.lu_solve(*ag.linalg.lu_factor(ag.eye(2, 3)), ag.ones((2, 1)))
    with pytest.raises(NotImplementedError, match="lu: pivot=False"):
        ag.linalg.lu(ag.eye(2), pivot=False)
    with pytest.raises(ValueError, match="lu_unpack: LU_pivots must be integers of shape"):
        ag.lu_unpack(ag.eye(2), ag.tensor([1.0, 2.0]))


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_lu_matches_pytorch_values_pivots_and_gradients(dtype):
    torch = pytest.importorskip("torch")
    a = RNG.standard_normal((2, 4, 4)).astype(dtype)
    weights = RNG.standard_normal((2, 4, 4)).astype(dtype)
    x = ag.tensor(a, requires_grad=True)
    LU, pivots = ag.linalg.lu_factor(x)
    (LU * ag.tensor(weights)).sum().backward()
    tx = torch.tensor(a, requires_grad=True)
    tLU, tpivots = torch.linalg.lu_factor(tx)
    (tLU * torch.tensor(weights)).sum().backward()
    tol = 1e-12 if dtype == np.float64 else 1e-5
    assert LU.dtype == dtype and x.grad.dtype == dtype
    np.testing.assert_array_equal(pivots.data, tpivots.numpy())
    np.testing.assert_allclose(LU.data, tLU.detach().numpy(), atol=tol)
    np.testing.assert_allclose(x.grad.data, tx.grad.numpy(), atol=tol * 10)
    for ours, theirs in zip(ag.lu_unpack(LU, pivots), torch.lu_unpack(tLU, tpivots)):
        np.testing.assert_allclose(ours.data, theirs.detach().numpy(), atol=tol)


RECTANGULAR = [(3, 5), (5, 3), (2, 3, 5), (2, 6, 4), (1, 4), (4, 1), (0, 3), (2, 3, 0)]


@pytest.mark.parametrize("shape", RECTANGULAR)
def test_lu_of_rectangular_matrices(shape):
    # m x n: min(m, n) pivots, L m x k (unit lower triangular), U k x n (upper triangular), P L U = A (it raised
    # "must be a square matrix"); gradients through the packed factor and through L, U against finite differences
    a = np.random.default_rng(sum(shape)).standard_normal(shape)
    *batch, m, n = shape
    k = min(m, n)
    x = ag.tensor(a, requires_grad=True)
    LU, pivots = ag.linalg.lu_factor(x)
    assert LU.shape == shape and pivots.shape == (*batch, k) and pivots.dtype == np.int32
    assert np.all((pivots.data >= np.arange(1, k + 1)) & (pivots.data <= m))  # (1-based rows, from the pivot on)
    P, L, U = ag.linalg.lu(x)
    assert P.shape == (*batch, m, m) and L.shape == (*batch, m, k) and U.shape == (*batch, k, n)
    np.testing.assert_array_equal(np.tril(L.data, -1) + np.eye(m, k), L.data)
    assert np.all(np.abs(L.data) <= 1)  # (partial pivoting)
    np.testing.assert_array_equal(np.triu(U.data), U.data)
    assert np.isin(P.data, [0.0, 1.0]).all()  # (a permutation matrix)
    np.testing.assert_array_equal(P.data.sum(axis=-1), np.ones((*batch, m)))
    np.testing.assert_array_equal(P.data.sum(axis=-2), np.ones((*batch, m)))
    np.testing.assert_allclose((P @ L @ U).data, a, atol=1e-14)
    for ours, expected in zip(ag.lu_unpack(LU, pivots), (P, L, U)):
        np.testing.assert_array_equal(ours.data, expected.data)
    if a.size:
        weights = [ag.tensor(np.random.default_rng(k).standard_normal(o.shape)) for o in (LU, L, U)]
        assert gradcheck(lambda x: ag.linalg.lu_factor(x).LU * weights[0], x)
        assert gradcheck(lambda x: ag.stack([(t * w).sum() for t, w in zip(ag.linalg.lu(x)[1:], weights[1:])]), x)
    else:
        (LU.sum() + L.sum() + U.sum()).backward()
        assert x.grad.shape == shape


@pytest.mark.parametrize("shape", RECTANGULAR)
def test_lu_of_rectangular_matrices_matches_pytorch(shape):
    # the gradient is torch's linalg_lu_backward for wide and tall matrices, through the packed factor and P, L, U
    torch = pytest.importorskip("torch")
    a = RNG.standard_normal(shape)
    x, tx = ag.tensor(a, requires_grad=True), torch.tensor(a, requires_grad=True)
    LU, pivots = ag.linalg.lu_factor(x)
    tLU, tpivots = torch.linalg.lu_factor(tx)
    np.testing.assert_array_equal(pivots.data, tpivots.numpy())
    np.testing.assert_allclose(LU.data, tLU.detach().numpy(), atol=1e-13)
    P, L, U = ag.linalg.lu(x)
    tP, tL, tU = torch.linalg.lu(tx)
    for ours, theirs in zip((P, L, U), (tP, tL, tU)):
        assert ours.shape == tuple(theirs.shape)
        np.testing.assert_allclose(ours.data, theirs.detach().numpy(), atol=1e-13)
    for outs, touts in (((LU,), (tLU,)), ((L, U), (tL, tU))):
        cotangents = [RNG.standard_normal(o.shape) for o in outs]
        (g,) = ag.autograd.grad(list(outs), [x], [ag.tensor(c) for c in cotangents])
        (tg,) = torch.autograd.grad(list(touts), [tx], [torch.tensor(c) for c in cotangents])
        np.testing.assert_allclose(g.data, tg.numpy(), atol=1e-12)
    for ours, theirs in zip(ag.lu_unpack(LU, pivots), torch.lu_unpack(tLU, tpivots)):
        np.testing.assert_allclose(ours.data, theirs.detach().numpy(), atol=1e-13)


@pytest.mark.parametrize("shape", [(3, 5), (5, 3)])
def test_lu_of_rectangular_matrices_second_derivative_matches_finite_differences(shape):
    a = RNG.standard_normal(shape)
    weights = ag.tensor(RNG.standard_normal(shape))

    def gradient(x):
        (g,) = ag.autograd.grad((ag.linalg.lu_factor(x).LU ** 2 * weights).sum(), x, create_graph=True)
        return g

    assert gradcheck(gradient, ag.tensor(a, requires_grad=True))


SINGULAR = np.stack([np.eye(3), [[1.0, 2.0, 0.0], [2.0, 4.0, 0.0], [0.0, 0.0, 1.0]]])


def test_lu_factor_refuses_an_exactly_singular_matrix():
    # torch.linalg.lu_factor raises where U has a zero pivot (lu_factor_ex and lu factor it); it returned the factor
    with pytest.raises(RuntimeError,
                       match=r"lu_factor: \(batch element 1\) U\[2, 2\] is zero \(A of shape \(2, 3, 3\)\)"):
        ag.linalg.lu_factor(ag.tensor(SINGULAR))
    with pytest.raises(RuntimeError, match=r"U\[2, 2\] is zero"):
        ag.linalg.lu_factor(ag.ones((2, 3)))
    assert ag.linalg.lu_factor_ex(ag.tensor(SINGULAR)).info.tolist() == [0, 2]
    P, L, U = ag.linalg.lu(ag.tensor(SINGULAR))
    np.testing.assert_allclose((P @ L @ U).data, SINGULAR, atol=1e-15)


def test_lu_factor_refuses_an_exactly_singular_matrix_as_torch():
    torch = pytest.importorskip("torch")
    for lib in (ag, torch):  # (ours as torch's: lu_factor raises RuntimeError, lu_factor_ex's info the same)
        with pytest.raises(RuntimeError):
            lib.linalg.lu_factor(lib.tensor(SINGULAR))
    assert (ag.linalg.lu_factor_ex(ag.tensor(SINGULAR)).info.tolist()
            == torch.linalg.lu_factor_ex(torch.tensor(SINGULAR)).info.tolist() == [0, 2])
