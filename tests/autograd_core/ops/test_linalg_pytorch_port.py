"""What porting PyTorch's test_linalg.py found in np.linalg on Tensors and PyTorch's linear-algebra names
(autograd_core/ops/linalg.py and its helpers, torch_linalg.py, torch_products.py): errors that are PyTorch's
RuntimeError as well as NumPy's class, UPLO in either case, Cholesky failures that say where, and the older names
torch.cholesky and torch.addr. Checked against NumPy, written-out values, and PyTorch where it is installed."""
import sys
from pathlib import Path

import numpy as np
import pytest

import autograd_core as ag
from autograd_core.testing import gradcheck

sys.path.append(str(Path(__file__).resolve().parents[2]))  # conftest's helpers
from conftest import assert_function_matches_torch  # noqa: E402

L = ag.linalg
RNG = np.random.default_rng(38)


def _spd(n, *batch):
    a = RNG.standard_normal((*batch, n, n))
    return a @ np.swapaxes(a, -1, -2) + n * np.eye(n)


# ---- errors: NumPy's class and PyTorch's RuntimeError ----
@pytest.mark.parametrize("call", [L.det, L.slogdet, ag.det, ag.slogdet, ag.logdet, L.cond, L.inv_ex,
                                  L.cholesky_ex, L.lu_factor, L.matrix_norm, ag.cholesky_inverse])
@pytest.mark.parametrize("shape", [(3,), (2, 3)])
def test_non_matrix_input_is_a_linalg_error_and_a_runtime_error(call, shape):
    if shape == (2, 3) and call in (L.cond, L.matrix_norm, L.lu_factor):
        return  # (they take rectangular matrices)
    with pytest.raises(RuntimeError) as caught:
        call(ag.ones(shape))
    assert isinstance(caught.value, ValueError)  # (NumPy's LinAlgError is one)
    assert str(shape) in str(caught.value)


@pytest.mark.parametrize("function", [L.eigh, L.eigvalsh])
def test_uplo_is_read_in_either_case_as_numpy_and_torch(function):
    a = RNG.standard_normal((2, 3, 3))  # (not symmetric: the triangle read matters)
    for uplo in ("u", "l"):
        got = function(ag.tensor(a), UPLO=uplo)
        want = np.linalg.eigvalsh(a, UPLO=uplo.upper())
        np.testing.assert_allclose((got[0] if function is L.eigh else got).data, want, rtol=1e-12, atol=1e-12)
    torch = pytest.importorskip("torch")
    np.testing.assert_allclose(L.eigvalsh(ag.tensor(a), UPLO="u").data,
                               torch.linalg.eigvalsh(torch.tensor(a), UPLO="u").numpy(), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("function", [L.eigh, L.eigvalsh])
@pytest.mark.parametrize("uplo", ["a", "wrong", None])
def test_a_bad_uplo_is_a_value_error_and_a_runtime_error(function, uplo):
    with pytest.raises(ValueError, match=r"UPLO must be 'L' or 'U'") as caught:
        function(ag.eye(3), UPLO=uplo)
    assert isinstance(caught.value, RuntimeError)


def test_cholesky_of_a_matrix_not_positive_definite_names_the_minor_as_torch():
    a = np.eye(3)
    a[-1, -1] = 0
    with pytest.raises(L.LinAlgError, match=r"leading minor of order 3 is not positive-definite"):
        L.cholesky(ag.tensor(a))
    stack = np.tile(np.eye(3), (5, 1, 1))
    stack[3, -2, -2] = 0
    for call in (lambda: L.cholesky(ag.tensor(stack)), lambda: L.cholesky_ex(ag.tensor(stack), check_errors=True)):
        with pytest.raises(RuntimeError, match=r"\(batch element 3\).*leading minor of order 2"):
            call()
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError, match=r"minor of order 2"):
        torch.linalg.cholesky(torch.tensor(stack))


# ---- torch.cholesky, torch.addr ----
@pytest.mark.parametrize("upper", [False, True])
def test_older_cholesky_takes_upper_by_position_as_torch(upper):
    a = _spd(4, 2, 3)
    got = ag.cholesky(ag.tensor(a), upper)
    assert np.allclose(got.data, ag.tensor(a).cholesky(upper=upper).data)
    factor = np.linalg.cholesky(a)
    np.testing.assert_allclose(got.data, np.swapaxes(factor, -1, -2) if upper else factor, rtol=1e-12)
    torch = pytest.importorskip("torch")
    assert_function_matches_torch(lambda x: ag.cholesky(x @ x.mT + 4 * ag.eye(4), upper),
                                  lambda x: torch.linalg.cholesky(x @ x.mT + 4 * torch.eye(4, dtype=x.dtype),
                                                                  upper=upper),
                                  [RNG.standard_normal((4, 4))], np.float64)


def test_older_cholesky_of_an_empty_matrix():
    assert ag.cholesky(ag.empty((0, 0)), True).shape == (0, 0)


@pytest.mark.parametrize("beta, alpha", [(1, 1), (0.5, 2), (0, -1.5)])
def test_addr_matches_numpy_and_torch(beta, alpha):
    m, a, b = RNG.standard_normal((5, 4)), RNG.standard_normal(5), RNG.standard_normal(4)
    np.testing.assert_allclose(ag.addr(ag.tensor(m), a, b, beta=beta, alpha=alpha).data,
                               beta * m + alpha * np.outer(a, b), rtol=1e-12)
    assert_function_matches_torch(lambda m, a, b: ag.addr(m, a, b, beta=beta, alpha=alpha),
                                  lambda m, a, b: pytest.importorskip("torch").addr(m, a, b, beta=beta, alpha=alpha),
                                  [m, a, b], np.float64)


def test_addr_with_beta_zero_ignores_nan_and_inf_of_input_and_is_a_method():
    m = np.ones((3, 2))
    m[0, 0], m[1, 1] = np.inf, np.nan
    a, b = np.arange(3.0), np.array([1.0, -1.0])
    np.testing.assert_array_equal(ag.tensor(m).addr(a, b, beta=0, alpha=2).data, 2 * np.outer(a, b))
    assert ag.addr(ag.ones(2), ag.ones(3), ag.ones(2)).shape == (3, 2)  # (input broadcast)


def test_addr_refuses_operands_that_are_not_vectors():
    with pytest.raises(ValueError, match=r"addr: vec1 and vec2 must be vectors \(1-D\), got shapes \(5,\) and \(\)"):
        ag.addr(ag.ones((5, 6)), ag.ones(5), ag.tensor(6.0))


# ---- the norms: torch's positional arguments, dtype=, and errors that are RuntimeErrors too ----
def test_vector_norm_takes_ord_dim_keepdim_by_position_and_dtype_as_torch():
    x = RNG.standard_normal((3, 4, 5))
    got = L.vector_norm(ag.tensor(x), 3, (0, 2), True, dtype=np.float32)
    assert got.dtype == np.float32 and got.shape == (1, 4, 1)
    np.testing.assert_allclose(got.data, np.linalg.vector_norm(x.astype(np.float32), ord=3, axis=(0, 2),
                                                               keepdims=True), rtol=1e-6)
    torch = pytest.importorskip("torch")
    assert_function_matches_torch(lambda t: L.vector_norm(t, 3, [0, -1], True),
                                  lambda t: torch.linalg.vector_norm(t, 3, [0, -1], True), [x], np.float64)
    ours = ag.tensor(x, dtype=np.float32, requires_grad=True)
    theirs = torch.tensor(x, dtype=torch.float32, requires_grad=True)
    got, want = L.vector_norm(ours, 1.5, dtype=np.float64), torch.linalg.vector_norm(theirs, 1.5, dtype=torch.float64)
    assert got.dtype == np.float64
    np.testing.assert_allclose(got.data, want.detach().numpy(), rtol=1e-12)
    got.backward()
    want.backward()
    assert ours.grad.dtype == np.float32
    np.testing.assert_allclose(ours.grad.data, theirs.grad.numpy(), rtol=1e-6)


@pytest.mark.parametrize("ord_", ["fro", "nuc", 1, -1, 2, -2, np.inf, -np.inf])
def test_matrix_norm_takes_ord_dim_keepdim_by_position_as_torch(ord_):
    x = RNG.standard_normal((3, 4, 5, 2))
    for dim in [(2, 0), (-1, -3), [0, 1]]:
        got = L.matrix_norm(ag.tensor(x), ord_, dim, True)
        np.testing.assert_allclose(got.data, np.linalg.norm(x, ord_, tuple(dim), True), rtol=1e-12)
    torch = pytest.importorskip("torch")
    assert_function_matches_torch(lambda t: L.matrix_norm(t, ord_, (2, 0), keepdim=True),
                                  lambda t: torch.linalg.matrix_norm(t, ord_, (2, 0), keepdim=True), [x], np.float64)


@pytest.mark.parametrize("ord_", [None, "fro", "nuc", 2, -np.inf, 0.5])
def test_norm_dtype_casts_the_input_first_as_torch(ord_):
    x = RNG.standard_normal((4, 4)) if isinstance(ord_, str) or ord_ in (None, 2) else RNG.standard_normal(6)
    got = L.norm(ag.tensor(x, dtype=np.float32), ord_, dtype=np.float64)
    assert got.dtype == np.float64
    np.testing.assert_allclose(got.data, np.linalg.norm(x.astype(np.float32).astype(np.float64), ord_), rtol=1e-12)
    assert L.matrix_norm(ag.ones((2, 2), dtype=np.float32), dtype=np.float64).dtype == np.float64
    with pytest.raises(TypeError, match=r"dtype=.* must be a floating dtype"):
        L.vector_norm(ag.ones(3), dtype=np.int64)


def test_matrix_norm_refuses_a_dim_that_is_no_pair_and_orders_it_has_not():
    a = ag.ones((2, 2, 2))
    with pytest.raises(RuntimeError, match=r"matrix_norm: dim=\(0,\) must be a 2-tuple"):
        L.matrix_norm(a, dim=(0,))
    for ord_ in (0, 3.0):
        with pytest.raises(RuntimeError, match=r"invalid norm order"):
            L.matrix_norm(a, ord=ord_)


@pytest.mark.parametrize("call", [
    lambda: L.norm(ag.ones(10), "fro"), lambda: L.norm(ag.ones((10, 10)), 3.5), lambda: L.norm(ag.ones((10, 10)), 0),
    lambda: L.norm(ag.ones((10, 10)), "nuc", 0), lambda: L.norm(ag.ones((10, 10)), "fro", (0, 0)),
    lambda: L.norm(ag.ones((3, 3, 3)), 1, (0, 1, 2)), lambda: L.norm(ag.ones((3, 3, 3)), 1),
    lambda: L.norm(ag.ones((10, 10)), "garbage", (0, 1)), lambda: L.vector_norm(ag.ones((4, 3)), dim=(0, -2)),
    lambda: L.vector_norm(ag.ones(3), ord="fro"), lambda: L.cond(ag.ones((3, 3)), "wrong_norm"),
    lambda: L.cond(ag.ones((3, 3)), 5), lambda: L.norm(ag.zeros(0), -np.inf)])
def test_norm_errors_are_value_errors_and_runtime_errors_as_numpys_and_torchs(call):
    with pytest.raises(ValueError) as caught:
        call()
    assert isinstance(caught.value, RuntimeError)


# ---- tensorsolve, tensorinv, matrix_rank, pinv, multi_dot: torch's arguments and errors ----
@pytest.mark.parametrize("a_shape, dims", [((2, 3, 6), (0, 2)), ((3, 4, 4, 3), (0, 2)), ((2, 3, 6), None)])
def test_tensorsolve_needs_only_as_many_entries_as_b_as_numpy_and_torch(a_shape, dims):
    a, b = RNG.standard_normal(a_shape), RNG.standard_normal(a_shape[:2])
    np.testing.assert_allclose(L.tensorsolve(ag.tensor(a), ag.tensor(b), axes=dims).data,
                               np.linalg.tensorsolve(a, b, axes=dims), rtol=1e-8, atol=1e-10)
    torch = pytest.importorskip("torch")
    assert_function_matches_torch(lambda a, b: L.tensorsolve(a, b, dims=dims),
                                  lambda a, b: torch.linalg.tensorsolve(a, b, dims=dims), [a, b], np.float64,
                                  tol_factor=2 ** 16)


def test_tensorsolve_refuses_sizes_that_do_not_match_and_axes_with_dims():
    with pytest.raises(RuntimeError, match=r"tensorsolve: a of shape \(6, 4, 2, 3, 4\)"):
        L.tensorsolve(ag.tensor(np.eye(24).reshape(6, 4, 2, 3, 4)), ag.ones((8, 4)))
    with pytest.raises(TypeError, match=r"axes= or dims="):
        L.tensorsolve(ag.ones((2, 2, 4)), ag.ones((2, 2)), axes=(0,), dims=(0,))


@pytest.mark.parametrize("ind", [0, -1])
def test_tensorinv_bad_ind_is_a_value_error_and_a_runtime_error(ind):
    with pytest.raises(ValueError, match="ind must be a positive integer") as caught:
        L.tensorinv(ag.ones((12, 3, 4)), ind=ind)
    assert isinstance(caught.value, RuntimeError)


def test_matrix_rank_takes_torchs_atol_and_rtol():
    u, _, vh = np.linalg.svd(RNG.standard_normal((9, 9)))
    a = (u * np.array([1 + (-1) ** i / (i + 2) for i in range(9)])) @ vh  # singular values in [2/3, 3/2]
    for tol in (0.81, ag.tensor(0.81)):
        assert int(L.matrix_rank(ag.tensor(a), rtol=tol)) == 2  # above 1.5 * 0.81
        assert int(L.matrix_rank(ag.tensor(a), atol=tol)) == 7  # above 0.81
        assert int(L.matrix_rank(ag.tensor(a), atol=tol, rtol=tol)) == 2  # the larger
        assert int(L.matrix_rank(ag.tensor(a @ a.T), atol=tol, rtol=tol, hermitian=True)) == \
            int(np.linalg.matrix_rank(a @ a.T, tol=max(0.81, 0.81 * 1.5 ** 2), hermitian=True))
    stack = RNG.standard_normal((3, 5, 3, 13))
    torch = pytest.importorskip("torch")
    for atol in (0.7, RNG.random((3, 5)) * 4, RNG.random(5) * 4):
        want = torch.linalg.matrix_rank(torch.tensor(stack), atol=torch.tensor(atol), rtol=torch.tensor(0.3)).numpy()
        np.testing.assert_array_equal(L.matrix_rank(ag.tensor(stack), atol=atol, rtol=0.3).data, want)
        np.testing.assert_array_equal(L.matrix_rank(ag.tensor(stack), atol=atol).data,
                                      np.linalg.matrix_rank(stack, tol=atol))


@pytest.mark.parametrize("atol, rtol", [(0.5, None), (0.5, 0.1), (0.01, 0.6), (np.array([0.3, 2.0]), None)])
def test_pinv_takes_torchs_atol(atol, rtol):
    torch = pytest.importorskip("torch")
    a = RNG.standard_normal((2, 4, 3))
    kwargs = {} if rtol is None else {"rtol": rtol}
    assert_function_matches_torch(lambda x: L.pinv(x, atol=atol, **kwargs),
                                  lambda x: torch.linalg.pinv(x, atol=torch.tensor(atol), **kwargs), [a], np.float64,
                                  tol_factor=2 ** 10)


@pytest.mark.parametrize("call", [
    lambda: L.multi_dot([]), lambda: L.multi_dot([ag.ones(2)]), lambda: L.multi_dot([ag.ones(2), ag.ones(3)]),
    lambda: L.multi_dot([ag.ones(2), ag.ones((3, 2)), ag.ones(2)]), lambda: ag.chain_matmul(),
    lambda: ag.chain_matmul(ag.ones(1), ag.ones(1)),
    lambda: L.solve(ag.ones((2, 3, 3, 3)), ag.ones((2, 3, 2, 1)))])
def test_product_and_solve_errors_are_value_errors_and_runtime_errors(call):
    with pytest.warns(UserWarning) if "chain_matmul" in str(call.__code__.co_names) else _no_warning():
        with pytest.raises(ValueError) as caught:
            call()
    assert isinstance(caught.value, RuntimeError)


def _no_warning():
    import contextlib
    return contextlib.nullcontext()


# ---- torch.qr, torch.addmv, cross's dim=, mv's errors ----
@pytest.mark.parametrize("shape", [(5, 3), (3, 5), (2, 5, 5), (2, 1, 0, 5)])
@pytest.mark.parametrize("some", [True, False])
def test_older_qr_gives_reduced_or_complete_factors_as_torch(shape, some):
    a = RNG.standard_normal(shape)
    Q, R = ag.qr(ag.tensor(a), some=some)
    m, n = shape[-2:]
    k = m if not some and m > n else min(m, n)
    assert Q.shape == shape[:-2] + (m, k) and R.shape == shape[:-2] + (k, n)
    np.testing.assert_allclose((Q @ R).data, a, atol=1e-12)
    torch = pytest.importorskip("torch")
    tQ, tR = torch.linalg.qr(torch.tensor(a), mode="reduced" if some else "complete")
    np.testing.assert_allclose(abs(R.data), abs(tR.numpy()), atol=1e-12)
    assert ag.tensor(a).qr(some)[1].shape == R.shape


@pytest.mark.parametrize("beta, alpha", [(1, 1), (0.5, -2)])
def test_addmv_matches_torch(beta, alpha):
    torch = pytest.importorskip("torch")
    arrays = [RNG.standard_normal(s) for s in ((4,), (4, 3), (3,))]
    assert_function_matches_torch(lambda v, m, x: ag.addmv(v, m, x, beta=beta, alpha=alpha),
                                  lambda v, m, x: torch.addmv(v, m, x, beta=beta, alpha=alpha), arrays, np.float64)
    nan_input = ag.tensor([np.nan, np.inf])
    np.testing.assert_array_equal(nan_input.addmv(ag.eye(2), ag.tensor([1.0, 2.0]), beta=0).data, [1.0, 2.0])


def test_mv_and_addmv_refuse_a_scalar_vector_with_a_runtime_error_as_torch():
    for call in (lambda: ag.mv(ag.ones((5, 5)), ag.tensor(7.0)),
                 lambda: ag.addmv(ag.ones(5), ag.ones((5, 5)), ag.tensor(7.0))):
        with pytest.raises(ValueError, match=r"expects a matrix \(2-D\) and a vector \(1-D\)") as caught:
            call()
        assert isinstance(caught.value, RuntimeError)


def test_cross_takes_torchs_dim():
    x, y = RNG.random((4, 3, 5)), RNG.random((4, 3, 5))
    want = np.cross(x, y, axis=1)
    np.testing.assert_allclose(ag.cross(ag.tensor(x), ag.tensor(y), dim=1).data, want, rtol=1e-12)
    np.testing.assert_allclose(L.cross(ag.tensor(x), ag.tensor(y), dim=1).data, want, rtol=1e-12)
    np.testing.assert_allclose(L.cross(ag.tensor(x[:1, :, :2]), ag.tensor(y[:, :, :1]), dim=1).data,
                               np.cross(x[:1, :, :2], y[:, :, :1], axis=1), rtol=1e-12)
    with pytest.raises(TypeError, match="axis"):
        L.cross(ag.tensor(x), ag.tensor(y), axis=1, dim=1)
    torch = pytest.importorskip("torch")
    assert_function_matches_torch(lambda a, b: L.cross(a, b, dim=1), lambda a, b: torch.linalg.cross(a, b, dim=1),
                                  [x, y], np.float64)


def test_linalg_cross_of_vectors_not_3_long_is_a_runtime_error_too():
    for a, b, dim in (((5, 3, 4), (5, 3, 4), -1), ((5, 4, 3), (5, 4, 3), 0)):
        with pytest.raises(ValueError, match="3-vectors along axis") as caught:
            L.cross(ag.ones(a), ag.ones(b), dim=dim)
        assert isinstance(caught.value, RuntimeError)


# ---- lu_factor_ex, addbmm, renorm ----
def test_lu_factor_ex_gives_lu_factors_and_torchs_info():
    a = np.tile(np.eye(3), (4, 1, 1))
    a[2, 1, 1] = 0
    LU, pivots, info = L.lu_factor_ex(ag.tensor(a))
    np.testing.assert_array_equal(info.data, [0, 0, 2, 0])
    assert info.dtype == np.int32
    factor = ag.tensor(a).lu()  # (the older torch.lu: linalg.lu_factor refuses a zero pivot, as torch's)
    np.testing.assert_array_equal(LU.data, factor[0].data)
    np.testing.assert_array_equal(pivots.data, factor[1].data)
    with pytest.raises(RuntimeError, match=r"\(batch element 2\) U\[2, 2\] is zero"):
        L.lu_factor_ex(ag.tensor(a), check_errors=True)


def test_lu_factor_ex_gives_lu_factors_and_torchs_info_as_torch():
    torch = pytest.importorskip("torch")
    a = np.tile(np.eye(3), (4, 1, 1))
    a[2, 1, 1] = 0
    np.testing.assert_array_equal(L.lu_factor_ex(ag.tensor(a)).info.data,
                                  torch.linalg.lu_factor_ex(torch.tensor(a)).info.numpy())
    x = RNG.standard_normal((2, 4, 4))
    assert_function_matches_torch(lambda t: L.lu_factor_ex(t).LU, lambda t: torch.linalg.lu_factor_ex(t).LU, [x],
                                  np.float64, tol_factor=2 ** 8)


@pytest.mark.parametrize("beta, alpha", [(1, 1), (0.5, -2)])
def test_addbmm_matches_torch(beta, alpha):
    torch = pytest.importorskip("torch")
    arrays = [RNG.standard_normal(s) for s in ((5, 6), (3, 5, 4), (3, 4, 6))]
    assert_function_matches_torch(lambda t, a, b: ag.addbmm(t, a, b, beta=beta, alpha=alpha),
                                  lambda t, a, b: torch.addbmm(t, a, b, beta=beta, alpha=alpha), arrays, np.float64)


def test_addbmm_with_beta_zero_ignores_input_and_sums_empty_batches_to_zero():
    nan_input = ag.full((2, 3), np.nan)
    np.testing.assert_array_equal(nan_input.addbmm(ag.ones((0, 2, 4)), ag.ones((0, 4, 3)), beta=0).data,
                                  np.zeros((2, 3)))
    with pytest.raises(RuntimeError, match="addbmm: expects batch1 and batch2 batches of matrices"):
        ag.addbmm(ag.ones((2, 2)), ag.ones((2, 2)), ag.ones((2, 2)))


@pytest.mark.parametrize("p", [1, 2, 3, 4, np.inf])
@pytest.mark.parametrize("shape, dim", [((5, 5), 1), ((3, 4, 5), 1), ((3, 4, 5), -1)])
def test_renorm_matches_torch(p, shape, dim):
    torch = pytest.importorskip("torch")
    x = RNG.standard_normal(shape)
    maxnorm = 1.0
    assert_function_matches_torch(lambda t: ag.renorm(t, p, dim, maxnorm), lambda t: t.renorm(p, dim, maxnorm), [x],
                                  np.float64)
    np.testing.assert_allclose(ag.tensor(x).renorm(p, dim, maxnorm).data,
                               torch.tensor(x).renorm(p, dim, maxnorm).numpy(), rtol=1e-12)


def test_renorm_refuses_bad_settings():
    for call in (lambda: ag.renorm(ag.tensor(1.0), 2, 0, 1.0), lambda: ag.renorm(ag.ones(3), 0, 0, 1.0),
                 lambda: ag.renorm(ag.ones(3), 2, 0, -1.0)):
        with pytest.raises(RuntimeError, match="renorm"):
            call()


# ---- lu_solve, nuclear_norm, t.logdet, tensordot's errors ----
@pytest.mark.parametrize("left, adjoint", [(True, False), (True, True), (False, False), (False, True)])
def test_linalg_lu_solve_matches_torch(left, adjoint):
    torch = pytest.importorskip("torch")
    a = RNG.standard_normal((2, 4, 4)) + 4 * np.eye(4)
    b = RNG.standard_normal((2, 4, 3) if left else (2, 3, 4))
    LU, pivots = L.lu_factor(ag.tensor(a))
    got = L.lu_solve(LU, pivots, ag.tensor(b), left=left, adjoint=adjoint)
    system = np.swapaxes(a, -1, -2) if adjoint else a
    want = np.linalg.solve(system, b) if left else np.swapaxes(np.linalg.solve(np.swapaxes(system, -1, -2),
                                                                               np.swapaxes(b, -1, -2)), -1, -2)
    np.testing.assert_allclose(got.data, want, rtol=1e-10, atol=1e-12)
    assert_function_matches_torch(
        lambda x, y: L.lu_solve(*L.lu_factor(x), y, left=left, adjoint=adjoint),
        lambda x, y: torch.linalg.lu_solve(*torch.linalg.lu_factor(x), y, left=left, adjoint=adjoint), [a, b],
        np.float64, tol_factor=2 ** 10)


def test_older_lu_solve_takes_b_first_and_broadcasts():
    a, b = RNG.standard_normal((1, 3, 1, 4, 4)) + 4 * np.eye(4), RNG.standard_normal((2, 1, 3, 4, 5))
    LU, pivots = ag.lu(ag.tensor(a))
    np.testing.assert_allclose(ag.lu_solve(ag.tensor(b), LU, pivots).data, np.linalg.solve(a, b), rtol=1e-10)
    np.testing.assert_allclose(ag.tensor(b).lu_solve(LU, pivots).data, np.linalg.solve(a, b), rtol=1e-10)
    empty = ag.lu_solve(ag.zeros((3, 0, 3)), *ag.lu(ag.zeros((3, 0, 0))))
    assert empty.shape == (3, 0, 3)


@pytest.mark.parametrize("shape, dim", [((5, 5), None), ((5, 4), (1, 0)), ((3, 5, 4), (2, 0))])
@pytest.mark.parametrize("keepdim", [False, True])
def test_nuclear_norm_matches_torch(shape, dim, keepdim):
    torch = pytest.importorskip("torch")
    kwargs = {"keepdim": keepdim} if dim is None else {"dim": dim, "keepdim": keepdim}
    assert_function_matches_torch(lambda t: ag.nuclear_norm(t, **kwargs), lambda t: torch.nuclear_norm(t, **kwargs),
                                  [RNG.standard_normal(shape)], np.float64, tol_factor=2 ** 8)
    with pytest.raises(RuntimeError, match="nuclear_norm: input of shape \\(3, 5, 4\\) must be a matrix"):
        ag.nuclear_norm(ag.ones((3, 5, 4)))


def test_logdet_is_a_tensor_method_and_tensordot_refuses_negative_dims_as_torch():
    a = np.array([[2.0, 0.0], [0.0, 3.0]])
    assert ag.tensor(a).logdet().item() == pytest.approx(np.log(6.0))
    assert np.isnan(ag.tensor(-a[:1, :1]).logdet().item())
    with pytest.raises(ValueError, match=r"tensordot: axes=-1 must be in \[0, 4\]") as caught:
        ag.tensordot(ag.ones((2, 3, 4, 5)), ag.ones((4, 5, 6, 7)), dims=-1)
    assert isinstance(caught.value, RuntimeError)


@pytest.mark.parametrize("shape", [(3, 0, 0), (2, 1, 0, 0)])
def test_lu_of_a_stack_of_empty_matrices_as_torch(shape):
    # (the factorisation reshaped the stack with -1, which a stack of 0 x 0 matrices cannot infer)
    LU, pivots = ag.lu(ag.zeros(shape))
    assert LU.shape == shape and pivots.shape == shape[:-1]
    P, lower, upper = L.lu(ag.zeros(shape))
    assert P.shape == lower.shape == upper.shape == shape


# ---- vander ----
@pytest.mark.parametrize("shape, N", [((4,), None), ((2, 3), 5), ((3,), 2)])
def test_linalg_vander_matches_torch_with_a_finite_gradient_at_zero(shape, N):
    torch = pytest.importorskip("torch")
    x = RNG.standard_normal(shape)
    x.flat[0] = 0.0  # (x ** 0's gradient, 0 * x ** -1, would be NaN there)
    assert_function_matches_torch(lambda t: L.vander(t, N=N), lambda t: torch.linalg.vander(t, N=N), [x], np.float64)


@pytest.mark.parametrize("N, increasing", [(None, False), (2, True), (0, False), (1, True), (5, False)])
def test_vander_matches_numpy_and_torch(N, increasing):
    x = np.array([0.0, 2.0, -1.5])
    np.testing.assert_array_equal(ag.vander(ag.tensor(x), N, increasing).data, np.vander(x, N, increasing))
    np.testing.assert_array_equal(np.vander(ag.tensor(x), N, increasing).data, np.vander(x, N, increasing))
    if N != 0:  # (torch.vander's own backward fails, an in-place write: finite differences instead)
        assert gradcheck(lambda t: ag.vander(t, N, increasing), x)
    torch = pytest.importorskip("torch")
    np.testing.assert_array_equal(ag.vander(ag.tensor(x), N, increasing).data,
                                  torch.vander(torch.tensor(x), N, increasing).numpy())


def test_vander_refuses_what_torch_and_numpy_refuse():
    with pytest.raises(RuntimeError, match="N must be an integer greater than 1"):
        L.vander(ag.ones(3), N=1)
    with pytest.raises(RuntimeError, match="greater than 1"):  # (a 0-d x is a vector of one entry, as torch's)
        L.vander(ag.tensor(2.0))
    with pytest.raises(ValueError, match=r"vander: x must be a one-dimensional Tensor, got shape \(2, 2\)"):
        ag.vander(ag.ones((2, 2)))


# ---- householder_product ----
@pytest.mark.parametrize("shape", [(5, 5), (5, 3), (2, 5, 3), (2, 1, 4, 4), (0, 5, 3), (5, 0)])
def test_householder_product_rebuilds_qr_as_torch(shape):
    torch = pytest.importorskip("torch")
    reflectors, tau = (t.numpy() for t in torch.geqrf(torch.tensor(RNG.standard_normal(shape))))
    got = L.householder_product(ag.tensor(reflectors), ag.tensor(tau))
    want = torch.linalg.householder_product(torch.tensor(reflectors), torch.tensor(tau))
    assert got.shape == tuple(want.shape)
    np.testing.assert_allclose(got.data, want.numpy(), atol=1e-12)
    if reflectors.size:
        assert_function_matches_torch(L.householder_product, torch.linalg.householder_product, [reflectors, tau],
                                      np.float64, tol_factor=2 ** 8)


def test_householder_product_of_no_reflectors_is_the_identitys_columns_and_refuses_bad_shapes():
    np.testing.assert_array_equal(L.householder_product(ag.ones((4, 3)), ag.zeros(0)).data, np.eye(4, 3))
    for a, tau in (((10,), (2,)), ((10, 6), (20,)), ((6, 10), (5,)), ((1, 2, 2), (2, 2))):
        with pytest.raises(RuntimeError, match="householder_product"):
            L.householder_product(ag.ones(a), ag.ones(tau))


# ---- the in-place products ----
@pytest.mark.parametrize("name, shapes", [("addmm", ((4, 3), (4, 2), (2, 3))), ("addmv", ((4,), (4, 2), (2,))),
                                          ("addbmm", ((4, 3), (2, 4, 5), (2, 5, 3))),
                                          ("baddbmm", ((2, 4, 3), (2, 4, 5), (2, 5, 3))),
                                          ("addr", ((4, 3), (4,), (3,)))])
def test_in_place_products_write_into_self_and_record_as_torchs(name, shapes):
    torch = pytest.importorskip("torch")
    arrays = [RNG.standard_normal(s) for s in shapes]
    ours = [ag.tensor(a, requires_grad=True) for a in arrays]
    theirs = [torch.tensor(a, requires_grad=True) for a in arrays]
    target, expected = ours[0] * 1, theirs[0] * 1
    assert getattr(target, f"{name}_")(*ours[1:], beta=0.5, alpha=-2) is target
    getattr(expected, f"{name}_")(*theirs[1:], beta=0.5, alpha=-2)
    np.testing.assert_allclose(target.data, expected.detach().numpy(), rtol=1e-12)
    (target * target).sum().backward()
    (expected * expected).sum().backward()
    for x, t in zip(ours, theirs):
        np.testing.assert_allclose(x.grad.data, t.grad.numpy(), rtol=1e-10, atol=1e-12)
    nan_input = ag.full(shapes[0], np.nan)
    getattr(nan_input, f"{name}_")(*[ag.tensor(a) for a in arrays[1:]], beta=0)  # (beta=0 ignores NaN)
    assert not np.isnan(nan_input.data).any()


def test_householder_product_of_no_reflections_is_still_a_result_of_its_input():
    # found by review: with an empty tau the identity's columns came back as a constant, which does not require grad
    # (backward failed); PyTorch's result requires grad, with a zero gradient
    A = ag.tensor(RNG.standard_normal((2, 4, 3)), requires_grad=True)
    Q = L.householder_product(A, ag.zeros((2, 0)))
    np.testing.assert_array_equal(Q.data, np.broadcast_to(np.eye(4)[:, :3], (2, 4, 3)))
    assert Q.requires_grad
    Q.sum().backward()
    np.testing.assert_array_equal(A.grad.data, np.zeros((2, 4, 3)))
