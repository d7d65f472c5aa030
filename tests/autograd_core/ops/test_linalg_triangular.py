"""PyTorch's triangular solves and logdet (autograd_core/ops/_linalg_triangular.py): ag.linalg.solve_triangular,
ag.cholesky_solve, ag.cholesky_inverse, ag.logdet and the older ag.triangular_solve, as a Gaussian process's
log-marginal likelihood and posterior call them. Values against NumPy (np.linalg.solve of the triangle, of L @ L.T),
gradients against finite differences, and against torch where it is installed."""
import numpy as np
import pytest

import autograd_core as ag
from autograd_core.testing import gradcheck, gradgradcheck


def _full(rng, n, batch=()):
    return rng.uniform(-1, 1, (*batch, n, n)) + (n + 1) * np.eye(n)  # full: the solve must read one triangle only


def _kept(a, upper, unitriangular):
    k = 1 if unitriangular else 0
    kept = np.triu(a, k) if upper else np.tril(a, -k)
    return kept + np.eye(a.shape[-1]) if unitriangular else kept


@pytest.mark.parametrize("upper", [False, True])
@pytest.mark.parametrize("left", [True, False])
@pytest.mark.parametrize("unitriangular", [False, True])
def test_solve_triangular_reads_one_triangle_and_masks_its_gradient_as_torch(upper, left, unitriangular):
    rng = np.random.default_rng(0)
    a = _full(rng, 4, batch=(2,))
    b = rng.standard_normal((2, 4, 3) if left else (2, 3, 4))
    kept = _kept(a, upper, unitriangular)
    expected = np.linalg.solve(kept, b) if left else np.swapaxes(
        np.linalg.solve(np.swapaxes(kept, -1, -2), np.swapaxes(b, -1, -2)), -1, -2)
    A, B = ag.tensor(a, requires_grad=True), ag.tensor(b, requires_grad=True)
    x = ag.linalg.solve_triangular(A, B, upper=upper, left=left, unitriangular=unitriangular)
    np.testing.assert_allclose(x.data, expected, rtol=1e-13, atol=1e-14)
    (x ** 2).sum().backward()
    outside = np.tril(np.ones((4, 4)), -1 if not unitriangular else 0) if upper else \
        np.triu(np.ones((4, 4)), 1 if not unitriangular else 0)
    assert np.all(A.grad.data[..., outside == 1] == 0)  # the triangle not read gets no gradient (nor the unit diagonal)
    assert gradcheck(lambda a_, b_: ag.linalg.solve_triangular(a_, b_, upper=upper, left=left,
                                                               unitriangular=unitriangular), a, b)
    torch = pytest.importorskip("torch")
    ta, tb = torch.tensor(a, requires_grad=True), torch.tensor(b, requires_grad=True)
    tx = torch.linalg.solve_triangular(ta, tb, upper=upper, left=left, unitriangular=unitriangular)
    (tx ** 2).sum().backward()
    np.testing.assert_allclose(x.data, tx.detach().numpy(), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(A.grad.data, ta.grad.numpy(), rtol=1e-11, atol=1e-13)
    np.testing.assert_allclose(B.grad.data, tb.grad.numpy(), rtol=1e-11, atol=1e-13)


@pytest.mark.parametrize("upper", [False, True])
def test_cholesky_solve_equals_the_solve_by_l_l_t_with_torchs_full_gradient_of_l(upper):
    rng = np.random.default_rng(1)
    s = rng.uniform(-1, 1, (3, 3))
    lower = np.linalg.cholesky(s @ s.T + 3 * np.eye(3))
    factor = lower.T if upper else lower
    garbage = np.tril(rng.standard_normal((3, 3)), -1) if upper else np.triu(rng.standard_normal((3, 3)), 1)
    l, b = factor + garbage, rng.standard_normal((3, 2))  # the other triangle is not read
    L, B = ag.tensor(l, requires_grad=True), ag.tensor(b, requires_grad=True)
    x = ag.cholesky_solve(B, L, upper=upper)
    np.testing.assert_allclose(x.data, np.linalg.solve(lower @ lower.T, b), rtol=1e-13)
    (x ** 3).sum().backward()
    gb = np.linalg.solve(lower @ lower.T, 3 * x.data ** 2)  # torch's rule by hand: gL = -(gB X^T + X gB^T) L
    common = gb @ x.data.T + x.data @ gb.T
    np.testing.assert_allclose(L.grad.data, -(l @ common) if upper else -(common @ l), rtol=1e-12)
    np.testing.assert_allclose(B.grad.data, gb, rtol=1e-12)
    # finite differences see the triangle read only (torch's gradient of L is not masked): check through tril/triu
    tri = np.triu if upper else np.tril
    assert gradcheck(lambda b_: ag.cholesky_solve(b_, ag.tensor(factor), upper=upper), b)
    assert gradgradcheck(lambda b_, m_: ag.cholesky_solve(b_, tri(m_), upper=upper), b, factor)
    torch = pytest.importorskip("torch")
    tl, tb = torch.tensor(l, requires_grad=True), torch.tensor(b, requires_grad=True)
    (torch.cholesky_solve(tb, tl, upper=upper) ** 3).sum().backward()
    np.testing.assert_allclose(L.grad.data, tl.grad.numpy(), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(B.grad.data, tb.grad.numpy(), rtol=1e-12, atol=1e-14)


def test_logdet_is_nan_for_a_negative_determinant_and_minus_inf_for_zero_as_torch():
    rng = np.random.default_rng(2)
    s = rng.uniform(-1, 1, (3, 3))
    spd = s @ s.T + 3 * np.eye(3)
    values = [ag.logdet(ag.tensor(m)).item() for m in (spd, -spd, np.zeros((2, 2)))]
    assert values[0] == pytest.approx(np.log(np.linalg.det(spd)), rel=1e-14)
    assert np.isnan(values[1]) and values[2] == -np.inf
    a = ag.tensor(spd, requires_grad=True)
    ag.logdet(a).backward()
    np.testing.assert_allclose(a.grad.data, np.linalg.inv(spd).T, rtol=1e-13)
    torch = pytest.importorskip("torch")
    assert np.isnan(torch.logdet(torch.tensor(-spd)).item()) and torch.logdet(torch.zeros(2, 2)).item() == -np.inf


def test_triangular_solves_name_the_shapes_that_do_not_fit():
    with pytest.raises(ValueError, match=r"solve_triangular: B of shape \(3,\) does not fit A of shape \(3, 3\)"):
        ag.linalg.solve_triangular(ag.eye(3), ag.ones(3), upper=False)
    with pytest.raises(TypeError, match=r"solve_triangular: upper \(keyword-only, .*\) must be True or False"):
        ag.linalg.solve_triangular(ag.eye(3), ag.ones((3, 1)), upper=None)
    with pytest.raises(ValueError, match=r"cholesky_solve: L must be a square matrix .* got shape \(3, 2\)"):
        ag.cholesky_solve(ag.ones((3, 1)), ag.ones((3, 2)))


@pytest.mark.parametrize("call", [lambda m: ag.linalg.cholesky(m), lambda m: ag.linalg.inv(m - m),
                                  lambda m: ag.linalg.solve(m - m, ag.ones((2, 1))),
                                  lambda m: ag.cholesky_solve(ag.ones((2, 1)), m - m)],
                         ids=["cholesky", "inv", "solve", "cholesky_solve"])
def test_a_failed_factorisation_is_a_runtime_error_as_torchs_and_numpys_linalg_error(call):
    # a GP's jitter loop written for PyTorch: try: L = torch.linalg.cholesky(K) except RuntimeError: K += jitter
    not_definite = ag.tensor([[1.0, 2.0], [2.0, 1.0]])
    with pytest.raises(RuntimeError) as caught:
        call(not_definite)
    assert isinstance(caught.value, np.linalg.LinAlgError) and isinstance(caught.value, ag.linalg.LinAlgError)
    assert str(caught.value).startswith(("linalg.", "cholesky_solve"))  # the message names the operation
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        torch.linalg.cholesky(torch.tensor([[1.0, 2.0], [2.0, 1.0]]))


def test_a_singular_matrix_in_a_gradient_rule_is_still_refused_with_numpys_error_caught():
    # the rules catch np.linalg.LinAlgError from np.linalg.inv on arrays; slogdet's names itself
    a = ag.tensor([[1.0, 2.0], [2.0, 4.0]], requires_grad=True)
    with pytest.raises(ag.linalg.LinAlgError, match="no gradient at a singular matrix"):
        ag.linalg.slogdet(a).logabsdet.backward()
    b = ag.tensor([[1.0, 2.0], [2.0, 4.0]], requires_grad=True)
    ag.linalg.det(b).backward()  # det's rule falls back to the SVD at a singular matrix: the cofactor matrix
    np.testing.assert_allclose(b.grad.data, [[4.0, -2.0], [-2.0, 1.0]], atol=1e-12)


def test_cholesky_ex_gives_lapacks_info_and_the_factor_where_it_succeeds_as_torch():
    rng = np.random.default_rng(3)
    s = rng.uniform(-1, 1, (3, 3))
    spd = s @ s.T + 3 * np.eye(3)
    not_at_2 = np.array([[1.0, 2.0, 0.0], [2.0, 1.0, 0.0], [0.0, 0.0, 1.0]])  # the order-2 minor is -3
    not_at_3 = np.diag([1.0, 2.0, -1.0])
    stack = ag.tensor(np.stack([spd, not_at_2, not_at_3]), requires_grad=True)
    L, info = ag.linalg.cholesky_ex(stack)
    assert info.dtype == np.int32 and info.tolist() == [0, 2, 3]
    np.testing.assert_allclose(L.data[0], np.linalg.cholesky(spd), rtol=1e-14)
    assert np.isnan(L.data[1:]).all()
    L[0].sum().backward()  # the gradient reaches the matrix that factored, and only it
    expected = ag.tensor(spd, requires_grad=True)
    ag.linalg.cholesky(expected).sum().backward()
    np.testing.assert_allclose(stack.grad.data[0], expected.grad.data, rtol=1e-13)
    assert not stack.grad.data[1:].any()
    with pytest.raises(RuntimeError, match="not positive definite"):
        ag.linalg.cholesky_ex(stack, check_errors=True)
    torch = pytest.importorskip("torch")
    t_L, t_info = torch.linalg.cholesky_ex(torch.tensor(np.stack([spd, not_at_2, not_at_3])))
    assert t_info.dtype == torch.int32 and t_info.tolist() == info.tolist()
    np.testing.assert_allclose(L.data[0], t_L[0].numpy(), rtol=1e-14)


@pytest.mark.parametrize("upper", [False, True])
def test_cholesky_inverse_is_the_inverse_of_l_lt_with_torchs_gradient(upper):
    # a GP's posterior covariance from the factor: torch.cholesky_inverse(L)
    rng = np.random.default_rng(3)
    a = _full(rng, 3, batch=(2,))
    spd = a @ np.swapaxes(a, -1, -2)
    factor = np.linalg.cholesky(spd)
    if upper:
        factor = np.swapaxes(factor, -1, -2)
    np.testing.assert_allclose(ag.cholesky_inverse(ag.tensor(factor), upper=upper).data, np.linalg.inv(spd),
                               rtol=1e-12, atol=1e-14)
    # torch's gradient of L is a full matrix (the triangle not read gets one too): through tril/triu, it is the
    # derivative finite differences see
    triangle = ag.triu if upper else ag.tril
    assert gradcheck(lambda f: ag.cholesky_inverse(triangle(f), upper=upper), factor)
    assert gradgradcheck(lambda f: ag.cholesky_inverse(triangle(f), upper=upper), factor[0])
    torch = pytest.importorskip("torch")
    weights = rng.standard_normal((2, 3, 3))
    ours = ag.tensor(factor, requires_grad=True)
    (ag.cholesky_inverse(ours, upper=upper) * weights).sum().backward()
    theirs = torch.tensor(factor, requires_grad=True)
    (torch.cholesky_inverse(theirs, upper=upper) * torch.tensor(weights)).sum().backward()
    np.testing.assert_allclose(ours.grad.data, theirs.grad.numpy(), rtol=1e-12, atol=1e-13)
    with pytest.raises(ValueError, match=r"cholesky_inverse: L must be a square matrix .* got shape \(2, 3\)"):
        ag.cholesky_inverse(ag.ones((2, 3)))


@pytest.mark.parametrize("upper", [True, False])
@pytest.mark.parametrize("transpose", [False, True])
def test_triangular_solve_is_torchs_older_solve_with_its_warning(upper, transpose):
    # older GP code: alpha = torch.triangular_solve(y, L, upper=False).solution
    rng = np.random.default_rng(4)
    a, b = _full(rng, 3), rng.standard_normal((3, 2))
    kept = np.triu(a) if upper else np.tril(a)
    with pytest.warns(UserWarning, match="triangular_solve is deprecated .* ag.linalg.solve_triangular"):
        solution, coefficient = ag.triangular_solve(ag.tensor(b), ag.tensor(a), upper=upper, transpose=transpose)
    np.testing.assert_allclose(solution.data, np.linalg.solve(kept.T if transpose else kept, b), rtol=1e-13)
    np.testing.assert_array_equal(coefficient.data, a)
    with pytest.warns(UserWarning):
        assert gradcheck(lambda a_, b_: ag.triangular_solve(b_, a_, upper=upper, transpose=transpose).solution, a, b)
    torch = pytest.importorskip("torch")
    ours, theirs = ag.tensor(a, requires_grad=True), torch.tensor(a, requires_grad=True)
    with pytest.warns(UserWarning):
        (ag.triangular_solve(ag.tensor(b), ours, upper=upper, transpose=transpose).solution ** 2).sum().backward()
        theirs_x = torch.triangular_solve(torch.tensor(b), theirs, upper=upper, transpose=transpose).solution
        (theirs_x ** 2).sum().backward()
    np.testing.assert_allclose(ours.grad.data, theirs.grad.numpy(), rtol=1e-12, atol=1e-14)
