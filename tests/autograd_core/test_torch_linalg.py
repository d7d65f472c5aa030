"""PyTorch's top-level linear-algebra names (autograd_core/torch_linalg.py): torch.svd's (U, S, V) with V, not
Vh, and its compute_uv=False zero factors; inverse, det, slogdet, pinverse and matrix_power as functions and
methods. Checked against NumPy, finite differences, and PyTorch where it is installed."""
import warnings

import numpy as np
import pytest

import autograd_core as ag
from autograd_core.testing import gradcheck

RNG = np.random.default_rng(0)


@pytest.mark.parametrize("shape, some", [((4, 3), True), ((3, 5), True), ((4, 3), False), ((2, 3, 3), True)])
def test_svd_gives_v_that_rebuilds_the_input_as_pytorchs(shape, some):
    a = RNG.standard_normal(shape)
    U, S, V = ag.svd(ag.tensor(a), some=some)
    k = min(shape[-2:])
    assert U.shape == shape[:-2] + ((shape[-2], k) if some else (shape[-2], shape[-2]))
    assert V.shape == shape[:-2] + ((shape[-1], k) if some else (shape[-1], shape[-1]))
    rebuilt = U.data[..., :k] * S.data[..., None, :] @ np.swapaxes(V.data[..., :k], -1, -2)
    np.testing.assert_allclose(rebuilt, a, atol=1e-12)
    np.testing.assert_allclose(S.data, np.linalg.svd(a, compute_uv=False), atol=1e-12)
    torch = pytest.importorskip("torch")
    tU, tS, tV = torch.svd(torch.tensor(a), some=some)
    np.testing.assert_allclose(S.data, tS.numpy(), atol=1e-12)
    # singular vectors agree up to each pair's sign
    signs = np.sign(np.sum(U.data[..., :k] * tU.numpy()[..., :k], axis=-2, keepdims=True))
    np.testing.assert_allclose(V.data[..., :k] * signs, tV.numpy()[..., :k], atol=1e-10)


def test_svd_is_a_tensor_method_and_unpacks_by_field():
    a = ag.tensor([[3.0, 0.0], [0.0, -4.0]])
    result = a.svd()
    assert type(result).__name__ == "svd" and result._fields == ("U", "S", "V")
    np.testing.assert_array_equal(result.S.data, [4.0, 3.0])


def test_svd_without_uv_gives_zero_factors_as_pytorch():
    a = RNG.standard_normal((4, 3))
    U, S, V = ag.svd(ag.tensor(a), compute_uv=False)
    np.testing.assert_array_equal(U.data, np.zeros((4, 4)))
    np.testing.assert_array_equal(V.data, np.zeros((3, 3)))
    np.testing.assert_allclose(S.data, np.linalg.svd(a, compute_uv=False), atol=1e-12)
    assert gradcheck(lambda x: ag.svd(x, compute_uv=False).S.sum(), a)
    torch = pytest.importorskip("torch")
    t = torch.tensor(a, requires_grad=True)
    tU, tS, tV = torch.svd(t, compute_uv=False)
    assert U.shape == tuple(tU.shape) and V.shape == tuple(tV.shape) and U.dtype == tU.numpy().dtype
    x = ag.tensor(a, requires_grad=True)
    ag.svd(x, compute_uv=False).S.sum().backward()
    tS.sum().backward()
    np.testing.assert_allclose(x.grad.data, t.grad.numpy(), atol=1e-12)


def test_svd_singular_values_and_a_sign_free_loss_differentiate():
    a = RNG.standard_normal((4, 3))
    assert gradcheck(lambda x: ag.svd(x).S.sum(), a)
    assert gradcheck(lambda x: (lambda usv: (usv.U * usv.S[None, :]) @ usv.V.T)(ag.svd(x)).sum(), a)
    torch = pytest.importorskip("torch")
    x = ag.tensor(a, requires_grad=True)
    (ag.svd(x).S ** 2).sum().backward()
    t = torch.tensor(a, requires_grad=True)
    (torch.svd(t).S ** 2).sum().backward()
    np.testing.assert_allclose(x.grad.data, t.grad.numpy(), atol=1e-12)
    np.testing.assert_allclose(x.grad.data, 2 * a, atol=1e-12)  # d sum(S^2) = d ||A||_F^2


def test_inverse_det_slogdet_pinverse_matrix_power_follow_numpy_and_pytorch():
    a = RNG.standard_normal((3, 3)) + 3 * np.eye(3)
    t = ag.tensor(a)
    np.testing.assert_allclose(ag.inverse(t).data, np.linalg.inv(a), atol=1e-12)
    np.testing.assert_allclose(t.inverse().data, np.linalg.inv(a), atol=1e-12)
    np.testing.assert_allclose(ag.det(t).data, np.linalg.det(a), atol=1e-12)
    np.testing.assert_allclose(t.det().data, np.linalg.det(a), atol=1e-12)
    assert float(ag.slogdet(t).logabsdet) == pytest.approx(np.linalg.slogdet(a)[1], abs=1e-12)
    np.testing.assert_allclose(t.pinverse().data, np.linalg.pinv(a), atol=1e-12)
    np.testing.assert_allclose(t.matrix_power(3).data, np.linalg.matrix_power(a, 3), atol=1e-10)
    assert gradcheck(lambda x: ag.det(x), a)
    assert gradcheck(lambda x: ag.inverse(x).sum(), a)
    torch = pytest.importorskip("torch")
    ta = torch.tensor(a)
    np.testing.assert_allclose(ag.det(t).data, torch.det(ta).numpy(), atol=1e-12)
    np.testing.assert_allclose(ag.pinverse(t).data, torch.pinverse(ta).numpy(), atol=1e-12)
    np.testing.assert_allclose(ag.matrix_power(t, 3).data, torch.matrix_power(ta, 3).numpy(), atol=1e-10)


def test_svd_of_a_vector_is_refused_naming_the_shape():
    with pytest.raises(Exception, match=r"svd.*\(3,\)"):
        ag.svd(ag.tensor([1.0, 2.0, 3.0]))


# ---- matrix_exp: torch.matrix_exp, torch.linalg.matrix_exp and t.matrix_exp() (the parametrizations tutorial's
# MatrixExponential) ------------------------------------------------------------------------------------------------
def _expm_reference(a):
    """exp(a) by its Taylor series summed to convergence after scaling by 2**-8, then 8 squarings (NumPy only)."""
    a = a / 256.0
    term = result = np.broadcast_to(np.eye(a.shape[-1]), a.shape).copy()
    for k in range(1, 40):
        term = term @ a / k
        result = result + term
    for _ in range(8):
        result = result @ result
    return result


@pytest.mark.parametrize("scale", [0.1, 1.0, 7.0])
def test_matrix_exp_matches_a_series_reference_and_torch(scale):
    a = RNG.standard_normal((2, 3, 3)) * scale
    expected = _expm_reference(a)
    for result in (ag.matrix_exp(ag.tensor(a)), ag.linalg.matrix_exp(ag.tensor(a)), ag.tensor(a).matrix_exp()):
        np.testing.assert_allclose(result.data, expected, rtol=1e-12, atol=1e-12 * np.abs(expected).max())
    skew = a[0] - a[0].T  # exp of a skew-symmetric matrix is orthogonal (the tutorial's check)
    q = ag.matrix_exp(ag.tensor(skew)).data
    np.testing.assert_allclose(q.T @ q, np.eye(3), atol=1e-13)
    torch = pytest.importorskip("torch")
    np.testing.assert_allclose(ag.matrix_exp(ag.tensor(a)).data, torch.matrix_exp(torch.tensor(a)).numpy(),
                               rtol=1e-12, atol=1e-12 * np.abs(expected).max())


def test_matrix_exp_gradients_match_finite_differences_and_torch():
    a = RNG.standard_normal((3, 3))
    assert gradcheck(ag.matrix_exp, a)
    weights = RNG.standard_normal((3, 3))
    x = ag.tensor(a, requires_grad=True)
    (ag.matrix_exp(x) * weights).sum().backward()
    torch = pytest.importorskip("torch")
    tx = torch.tensor(a, requires_grad=True)
    (torch.matrix_exp(tx) * torch.tensor(weights)).sum().backward()
    np.testing.assert_allclose(x.grad.data, tx.grad.numpy(), rtol=1e-11, atol=1e-12)


def test_matrix_exp_of_float32_is_the_float64_result_rounded_once():
    # the squarings multiplied float32's rounding errors: 20 ulps off at entries near 1e5 (OpInfo's sample of norm
    # about 12); computed in float64 and rounded, it is within an ulp, closer than torch's float32 kernel
    # (the reference is the Taylor series above in float64, independent of matrix_exp's code: review R2 found the
    # test compared with matrix_exp itself run in float64, which could not fail)
    a = np.random.default_rng(5).uniform(-9, 9, (5, 5)).astype(np.float32)  # (entries of exp(a) up to 2e4)
    exact = _expm_reference(a.astype(np.float64))
    x = ag.tensor(a, requires_grad=True)
    result = ag.matrix_exp(x)
    assert result.dtype == np.float32 and np.abs(exact).max() > 1e4
    np.testing.assert_array_max_ulp(result.data, exact.astype(np.float32), maxulp=1)
    result.sum().backward()
    assert x.grad.dtype == np.float32


def test_matrix_exp_keeps_float32_and_refuses_a_non_square_input():
    assert ag.matrix_exp(ag.tensor(np.eye(2, dtype=np.float32))).dtype == np.float32
    with pytest.raises(np.linalg.LinAlgError, match=r"linalg.matrix_exp: input of shape \(2, 3\).*square matrix"):
        ag.matrix_exp(ag.tensor(np.ones((2, 3))))
    with pytest.raises(RuntimeError, match="matrix_exp"):  # (torch's error type too)
        ag.matrix_exp(ag.tensor(np.ones(3)))


@pytest.mark.parametrize("p, dim, maxnorm", [(2, 0, 1.0), (1, 1, 2.0), (np.inf, 0, 0.5), (3, -1, 0.7)])
def test_renorm_matches_torch_in_values_and_gradients(p, dim, maxnorm):
    # found by porting PyTorch's test_torch.py (test_renorm, test_renorm_ps)
    torch = pytest.importorskip("torch")
    a = np.random.default_rng(0).standard_normal((5, 4))
    x, t = ag.tensor(a, requires_grad=True), torch.tensor(a, requires_grad=True)
    weights = np.linspace(-1.0, 2.0, a.size).reshape(a.shape)
    y, expected = ag.renorm(x, p, dim, maxnorm), torch.renorm(t, p, dim, maxnorm)
    np.testing.assert_allclose(y.data, expected.detach().numpy(), rtol=1e-12)
    (y * weights).sum().backward()
    (expected * torch.tensor(weights)).sum().backward()
    np.testing.assert_allclose(x.grad.data, t.grad.numpy(), rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("call, kind, message", [
    (lambda: ag.renorm(ag.tensor([[1, 2]]), 2, 0, 1), TypeError, "renorm: expects a floating-point input, got dtype"),
    (lambda: ag.renorm(ag.ones((3, 3)), 2, 5, 1), IndexError, "renorm: dim 5 is out of range"),
    (lambda: ag.renorm(ag.ones((3, 3)), 0, 1, 1), ValueError, "renorm: p must be a positive number"),
])
def test_renorm_refuses_integers_and_a_dim_out_of_range_as_torch(call, kind, message):
    # found by porting PyTorch's test_torch.py (test_renorm): an integer input gave zeros (torch refuses it) and
    # dim=5 of a matrix was read as dim 1 (torch raises IndexError)
    with pytest.raises(kind, match=message):
        call()


def test_renorm_refuses_a_vector_as_torch():
    # found by porting PyTorch's test_torch.py (test_renorm): a vector's entries were clipped one by one; torch refuses
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        torch.renorm(torch.tensor([3.0, 4.0]), 2, 0, 1.0)
    for value in ([3.0, 4.0], 3.0):
        with pytest.raises(RuntimeError, match=r"renorm: input needs at least 2 dimensions") as info:
            ag.renorm(ag.tensor(value), 2, 0, 1.0)
        assert isinstance(info.value, ValueError)


def test_orgqr_is_householder_product_as_torch():
    # torch.orgqr(input, tau) and t.orgqr(tau) are torch.linalg.householder_product (ag had no orgqr)
    torch = pytest.importorskip("torch")
    a, tau = RNG.standard_normal((2, 4, 3)), RNG.uniform(0.5, 1.5, (2, 3))
    x = ag.tensor(a, requires_grad=True)
    result = ag.orgqr(x, ag.tensor(tau))
    np.testing.assert_array_equal(result.data, ag.tensor(a).orgqr(ag.tensor(tau)).data)
    tx = torch.tensor(a, requires_grad=True)
    expected = torch.orgqr(tx, torch.tensor(tau))
    np.testing.assert_allclose(result.data, expected.detach().numpy(), rtol=1e-12, atol=1e-12)
    weights = RNG.standard_normal(result.shape)
    (result * weights).sum().backward()
    (expected * torch.tensor(weights)).sum().backward()
    np.testing.assert_allclose(x.grad.data, tx.grad.numpy(), rtol=1e-11, atol=1e-12)


def test_torchs_product_and_solve_methods_and_linalg_matmul_match_torch():
    # t.addmm, t.baddbmm, t.cholesky_solve, t.cholesky_inverse, t.triangular_solve, t.kron, t.vdot and
    # ag.linalg.matmul (torch.linalg.matmul, NumPy 2's np.linalg.matmul) were missing; gradients as the functions'
    torch = pytest.importorskip("torch")
    a = RNG.standard_normal((3, 3))
    spd, b, upper = a @ a.T + 3 * np.eye(3), RNG.standard_normal((3, 2)), np.triu(a) + 3 * np.eye(3)
    chol = np.linalg.cholesky(spd)
    cases = [(lambda x, m: x.addmm(m.tensor(a), m.tensor(b), beta=0.5, alpha=2), b),
             (lambda x, m: x.baddbmm(m.tensor(np.ones((2, 3, 4))), m.tensor(np.ones((2, 4, 2))), alpha=2),
              RNG.standard_normal((2, 3, 2))),
             (lambda x, m: x.cholesky_solve(m.tensor(chol)), b),
             (lambda x, m: x.cholesky_inverse(), chol),
             (lambda x, m: x.triangular_solve(m.tensor(upper)).solution, b),
             (lambda x, m: x.kron(m.tensor(b)), a),
             (lambda x, m: x.vdot(m.tensor(a[1])), a[0]),
             (lambda x, m: m.linalg.matmul(x, m.tensor(b)), a)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (triangular_solve's deprecation, in both)
        for call, value in cases:
            x, tx = ag.tensor(value, requires_grad=True), torch.tensor(value, requires_grad=True)
            ours, theirs = call(x, ag), call(tx, torch)
            np.testing.assert_allclose(ours.data, theirs.detach().numpy(), rtol=1e-12, atol=1e-12)
            (ours * ag.tensor(np.arange(ours.size).reshape(ours.shape))).sum().backward()
            (theirs * torch.arange(theirs.numel()).reshape(theirs.shape)).sum().backward()
            np.testing.assert_allclose(x.grad.data, tx.grad.numpy(), rtol=1e-11, atol=1e-11)
    np.testing.assert_array_equal(np.linalg.matmul(ag.tensor(a), ag.tensor(b)).data, a @ b)
