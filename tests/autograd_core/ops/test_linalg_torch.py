"""ag.linalg against torch.linalg (values and gradients of sign-free losses, float64 and float32, batched and not),
the degenerate cases where the convention is torch's (the 2-norm at 0, repeated eigenvalues, full_matrices), the
result types, the NumPy dispatch, and the errors. The torch comparisons skip without torch; the rest runs."""
import zlib

import numpy as np
import pytest

import autograd_core as ag
from autograd_core.testing import gradcheck

L = ag.linalg


def _torch():
    return pytest.importorskip("torch")


def _t(x):
    return np.swapaxes(x, -1, -2)


def _square(rng, shape, dtype):
    n = shape[-1]
    return (rng.uniform(-1, 1, shape) + (n + 1) * np.eye(n)).astype(dtype)


def _spd(rng, shape, dtype):
    a = rng.uniform(-1, 1, shape)
    return (a @ _t(a) + shape[-1] * np.eye(shape[-1])).astype(dtype)


def _sym(rng, shape, dtype):
    a = rng.uniform(-1, 1, shape)
    return (a + _t(a)).astype(dtype)


def _weights(rng, x):
    return rng.uniform(0.5, 1.5, np.shape(x))


def _weighted(results, weights, mod):
    """sum(w * r) for the plain results, sum(w * r * r) for the sign-arbitrary ones (flagged by a tuple)."""
    total = 0
    for r, w in zip(results, weights):
        if isinstance(r, tuple):
            (r,) = r
            total = total + (r * r * mod.asarray(w)).sum()
        else:
            total = total + (r * mod.asarray(w)).sum()
    return total


# name: (input maker, ours(x) -> results, torch's(x) -> results); a result in a 1-tuple is sign-arbitrary
CASES = {
    "inv": (_square, lambda x: [L.inv(x)], lambda T, x: [T.linalg.inv(x)]),
    "det": (_square, lambda x: [L.det(x)], lambda T, x: [T.linalg.det(x)]),
    "slogdet": (_square, lambda x: list(L.slogdet(x)), lambda T, x: list(T.linalg.slogdet(x))),
    "solve_vector": (_square, lambda x: [L.solve(x, np.arange(1.0, x.shape[-1] + 1, dtype=x.dtype))],
                     lambda T, x: [T.linalg.solve(x, T.arange(1.0, x.shape[-1] + 1, dtype=x.dtype))]),
    "solve_matrix": (_square, lambda x: [L.solve(x, x[..., :2] * 2 + 1)],
                     lambda T, x: [T.linalg.solve(x, x[..., :2] * 2 + 1)]),
    "cholesky": (_spd, lambda x: [L.cholesky(x)], lambda T, x: [T.linalg.cholesky(x)]),
    "cholesky_upper": (_spd, lambda x: [L.cholesky(x, upper=True)], lambda T, x: [T.linalg.cholesky(x, upper=True)]),
    "eigh": (_sym, lambda x: (lambda w, v: [w, (v,)])(*L.eigh(x)),
             lambda T, x: (lambda w, v: [w, (v,)])(*T.linalg.eigh(x))),
    "eigh_upper": (_sym, lambda x: (lambda w, v: [w, (v,)])(*L.eigh(x, UPLO="U")),
                   lambda T, x: (lambda w, v: [w, (v,)])(*T.linalg.eigh(x, UPLO="U"))),
    "eigvalsh": (_sym, lambda x: [L.eigvalsh(x)], lambda T, x: [T.linalg.eigvalsh(x)]),
    "svd": (_square, lambda x: (lambda u, s, vh: [(u,), s, (vh,)])(*L.svd(x, full_matrices=False)),
            lambda T, x: (lambda u, s, vh: [(u,), s, (vh,)])(*T.linalg.svd(x, full_matrices=False))),
    "svdvals": (_square, lambda x: [L.svdvals(x)], lambda T, x: [T.linalg.svdvals(x)]),
    "qr": (_square, lambda x: (lambda q, r: [(q,), (r,)])(*L.qr(x)),
           lambda T, x: (lambda q, r: [(q,), (r,)])(*T.linalg.qr(x))),
    "pinv": (_square, lambda x: [L.pinv(x)], lambda T, x: [T.linalg.pinv(x)]),
    "matrix_power_-2": (_square, lambda x: [L.matrix_power(x, -2)], lambda T, x: [T.linalg.matrix_power(x, -2)]),
    "matrix_power_3": (_square, lambda x: [L.matrix_power(x, 3)], lambda T, x: [T.linalg.matrix_power(x, 3)]),
    "norm_fro": (_sym, lambda x: [L.norm(x, axis=(-2, -1))], lambda T, x: [T.linalg.norm(x, dim=(-2, -1))]),
    "norm_nuc": (_square, lambda x: [L.norm(x, "nuc", axis=(-2, -1))],
                 lambda T, x: [T.linalg.norm(x, "nuc", dim=(-2, -1))]),
    "matrix_norm_2": (_square, lambda x: [L.matrix_norm(x, ord=2)], lambda T, x: [T.linalg.matrix_norm(x, ord=2)]),
    "matrix_norm_-1": (_square, lambda x: [L.matrix_norm(x, ord=-1, keepdims=True)],
                       lambda T, x: [T.linalg.matrix_norm(x, ord=-1, keepdim=True)]),
    "matrix_norm_inf": (_square, lambda x: [L.matrix_norm(x, ord=np.inf)],
                        lambda T, x: [T.linalg.matrix_norm(x, ord=float("inf"))]),
    "vector_norm_3": (_sym, lambda x: [L.vector_norm(x, ord=3, axis=-1)],
                      lambda T, x: [T.linalg.vector_norm(x, ord=3, dim=-1)]),
    "vector_norm_0.5": (_square, lambda x: [L.vector_norm(x, ord=0.5, axis=(-2, -1), keepdims=True)],
                        lambda T, x: [T.linalg.vector_norm(x, ord=0.5, dim=(-2, -1), keepdim=True)]),
    "diagonal": (_square, lambda x: [L.diagonal(x, offset=1)], lambda T, x: [T.diagonal(x, 1, -2, -1)]),
    "trace": (_square, lambda x: [L.trace(x)], lambda T, x: [T.diagonal(x, 0, -2, -1).sum(-1)]),
    "cond": (_square, lambda x: [L.cond(x)], lambda T, x: [T.linalg.cond(x)]),
    "vecdot": (_square, lambda x: [L.vecdot(x, x[..., ::-1, :])], lambda T, x: [T.linalg.vecdot(x, x.flip(-2))]),
    "cross": (_square, lambda x: [L.cross(x[..., :3], x[..., ::-1, :3])],
              lambda T, x: [T.linalg.cross(x[..., :3], x.flip(-2)[..., :3])]),
    "tensorinv": (_square, lambda x: [L.tensorinv(x.reshape((-1, 3)), ind=1) if x.shape[-1] == 3 else L.inv(x)],
                  lambda T, x: [T.linalg.tensorinv(x.reshape((-1, 3)), ind=1) if x.shape[-1] == 3
                                else T.linalg.inv(x)]),
}


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("shape", [(3, 3), (2, 2, 4, 4)], ids=["matrix", "stack"])
@pytest.mark.parametrize("name", list(CASES))
def test_values_and_gradients_match_torch(name, shape, dtype):
    torch = _torch()
    rng = np.random.default_rng(zlib.crc32(repr((name, shape)).encode()))  # (hash() of a str changes per process)
    make, ours, theirs = CASES[name]
    x = make(rng, shape, dtype)
    leaf = ag.tensor(x, requires_grad=True)
    results = ours(leaf)
    weights = [_weights(rng, r[0] if isinstance(r, tuple) else r) for r in results]
    tx = torch.tensor(x, requires_grad=True)
    expected = theirs(torch, tx)
    tol = dict(rtol=1e-9, atol=1e-10) if dtype == np.float64 else dict(rtol=2e-4, atol=2e-4)
    for r, e in zip(results, expected):
        r, e = (r[0], e[0]) if isinstance(r, tuple) else (r, e)
        assert r.dtype == dtype and r.shape == tuple(e.shape), name
    for r, e in zip(results, expected):
        if not isinstance(r, tuple):  # (the sign-arbitrary ones enter through the loss)
            np.testing.assert_allclose(r.data, e.detach().numpy(), **tol, err_msg=name)
    _weighted(results, weights, np).backward()
    _weighted(expected, [torch.tensor(w, dtype=tx.dtype) for w in weights], torch).backward()
    assert leaf.grad.dtype == dtype
    np.testing.assert_allclose(leaf.grad.data, tx.grad.numpy(), **tol, err_msg=name)


@pytest.mark.parametrize("shape", [(4, 2), (2, 4), (2, 3, 2)])
def test_rectangular_svd_qr_pinv_match_torch(shape):
    torch = _torch()
    rng = np.random.default_rng(len(shape) * 10 + shape[-1])
    x = rng.uniform(-1, 1, shape)
    for full in (False, True):  # full_matrices: the extra columns get no gradient, as in torch
        leaf, tx = ag.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
        u, s, vh = L.svd(leaf, full_matrices=full)
        tu, ts, tvh = torch.linalg.svd(tx, full_matrices=full)
        assert u.shape == tuple(tu.shape) and vh.shape == tuple(tvh.shape)
        cu, cv = rng.uniform(0.5, 1.5, u.shape), rng.uniform(0.5, 1.5, vh.shape)
        ((u * u * cu).sum() + (vh * vh * cv).sum() + (s * s).sum()).backward()
        ((tu * tu * torch.tensor(cu)).sum() + (tvh * tvh * torch.tensor(cv)).sum() + (ts * ts).sum()).backward()
        np.testing.assert_allclose(leaf.grad.data, tx.grad.numpy(), rtol=1e-8, atol=1e-10)
    leaf, tx = ag.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    q, r = L.qr(leaf)
    tq, tr = torch.linalg.qr(tx)
    np.testing.assert_allclose(abs(r.data), abs(tr.detach().numpy()), rtol=1e-10, atol=1e-12)
    cq, cr = rng.uniform(0.5, 1.5, q.shape), rng.uniform(0.5, 1.5, r.shape)
    ((q * q * cq).sum() + (r * r * cr).sum()).backward()
    ((tq * tq * torch.tensor(cq)).sum() + (tr * tr * torch.tensor(cr)).sum()).backward()
    np.testing.assert_allclose(leaf.grad.data, tx.grad.numpy(), rtol=1e-8, atol=1e-10)
    leaf, tx = ag.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    c = rng.uniform(0.5, 1.5, x.shape[:-2] + x.shape[-2:][::-1])
    (L.pinv(leaf) * c).sum().backward()
    (torch.linalg.pinv(tx) * torch.tensor(c)).sum().backward()
    np.testing.assert_allclose(leaf.grad.data, tx.grad.numpy(), rtol=1e-8, atol=1e-10)


# ---- degenerate points: torch's conventions, checked without torch too ----------------------------------------------

@pytest.mark.parametrize("ord_", [None, 2, 3, 1.5, 1, np.inf])
def test_a_zero_vector_has_gradient_zero_as_torch(ord_):
    x = ag.zeros(3, requires_grad=True)
    L.norm(x, ord_).backward()
    np.testing.assert_array_equal(x.grad.data, np.zeros(3))
    v = ag.tensor([[0.0, 0.0], [3.0, 4.0]], requires_grad=True)
    L.vector_norm(v, axis=1, ord=2).sum().backward()
    np.testing.assert_allclose(v.grad.data, [[0, 0], [0.6, 0.8]])


def test_zero_vector_and_ties_gradients_match_torch():
    torch = _torch()
    for ord_, values in [(2, [0.0, 0.0, 0.0]), (3, [0.0, 0.0]), (0.5, [0.0, 1.0]), (np.inf, [2.0, -2.0, 1.0]),
                         (-np.inf, [1.0, -1.0, 3.0]), (1, [0.0, 2.0]), (0, [0.0, 2.0])]:
        x = ag.tensor(values, requires_grad=True)
        tx = torch.tensor(values, dtype=torch.float64, requires_grad=True)
        L.vector_norm(x, ord=ord_).backward()
        torch.linalg.vector_norm(tx, ord=ord_).backward()
        expected = np.zeros(len(values)) if tx.grad is None else tx.grad.numpy()  # (ord=0: torch leaves no grad)
        np.testing.assert_allclose(x.grad.data, expected, err_msg=f"ord={ord_}")


def test_repeated_eigenvalues_give_torchs_nonfinite_gradient():
    # eigh of the identity: the eigenvectors' gradient divides by the zero gaps (inf/nan), as torch's formula does
    x = ag.tensor(np.eye(3), requires_grad=True)
    w, v = L.eigh(x)
    with np.errstate(all="ignore"):
        (v * v * np.arange(9.0).reshape(3, 3)).sum().backward()
    assert not np.all(np.isfinite(x.grad.data))
    x = ag.tensor(np.eye(3), requires_grad=True)  # the eigenvalues alone are fine, as torch's eigvalsh
    L.eigvalsh(x).sum().backward()
    np.testing.assert_allclose(x.grad.data, np.eye(3))
    x = ag.tensor(2 * np.eye(3), requires_grad=True)  # so are the singular values alone
    L.svdvals(x).sum().backward()
    np.testing.assert_allclose(x.grad.data, np.eye(3))


def test_second_derivatives_of_each_factorisation():
    rng = np.random.default_rng(5)
    a = rng.uniform(-1, 1, (3, 3)) + 4 * np.eye(3)
    from autograd_core.testing import gradgradcheck
    for f in [lambda x: L.inv(x), lambda x: L.det(x), lambda x: L.cholesky(x @ x.mT),
              lambda x: L.eigh(x + x.mT).eigenvalues, lambda x: L.svd(x).S, lambda x: L.qr(x).R.sum(),
              lambda x: L.pinv(x), lambda x: L.norm(x, "nuc")]:
        assert gradgradcheck(lambda x: ag.sin(f(x)), a, atol=1e-5, rtol=1e-4)


def test_gradient_batched_solve_broadcasts_the_batch_axes():
    rng = np.random.default_rng(2)
    a = rng.uniform(-1, 1, (2, 1, 3, 3)) + 4 * np.eye(3)
    b = rng.uniform(-1, 1, (4, 3, 2))
    x = L.solve(ag.tensor(a), ag.tensor(b))
    assert x.shape == (2, 4, 3, 2)
    np.testing.assert_allclose(x.data, np.linalg.solve(a, b))
    assert gradcheck(L.solve, a, b, atol=1e-6, rtol=1e-5)
    assert gradcheck(L.solve, a, b[0, :, 0], atol=1e-6, rtol=1e-5)  # b a vector: NumPy 2's rule


# ---- result types, dtypes, dispatch ----------------------------------------------------------------------------------

def test_results_are_named_as_numpys():
    a = ag.tensor([[2.0, 1.0], [1.0, 3.0]])
    assert L.eigh(a)._fields == np.linalg.eigh(a.data)._fields
    assert L.svd(a)._fields == np.linalg.svd(a.data)._fields
    assert L.slogdet(a)._fields == np.linalg.slogdet(a.data)._fields
    assert L.qr(a)._fields == np.linalg.qr(a.data)._fields
    sign, logabsdet = L.slogdet(ag.tensor([[-2.0, 0.0], [0.0, 1.0]], requires_grad=True))
    assert not sign.requires_grad and logabsdet.requires_grad and float(sign) == -1.0


def test_every_function_dispatches_from_numpy():
    import autograd_core.numpy_dispatch as dispatch
    for name in L.__all__:
        if hasattr(np.linalg, name) and name != "LinAlgError":  # (solve_triangular, lu...: PyTorch's alone)
            assert dispatch.FUNCTIONS[getattr(np.linalg, name)] is getattr(L, name), name
    a = ag.tensor([[2.0, 1.0], [1.0, 3.0]], requires_grad=True)
    out = np.linalg.det(np.linalg.inv(a))
    assert isinstance(out, ag.Tensor) and out.requires_grad
    np.testing.assert_allclose(out.data, 0.2)
    assert isinstance(np.linalg.matmul(a, a), ag.Tensor)


def test_integer_inputs_compute_in_float64_as_numpy():
    a = np.array([[2, 1], [1, 3]])
    for name in ["inv", "det", "pinv", "eigvalsh", "svdvals", "norm", "cholesky"]:
        out = getattr(L, name)(ag.tensor(a))
        expected = getattr(np.linalg, name)(a)
        assert out.dtype == expected.dtype == np.float64, name
        np.testing.assert_allclose(out.data, expected)
    assert L.trace(ag.tensor(a.astype(np.int32))).dtype == np.linalg.trace(a.astype(np.int32)).dtype
    for dtype in (np.int32, np.float32):
        out = L.trace(ag.tensor([[1.5, 2.0], [3.0, 2.5]]), dtype=dtype)
        expected = np.linalg.trace(np.array([[1.5, 2.0], [3.0, 2.5]]), dtype=dtype)
        assert out.dtype == expected.dtype and out.item() == expected


def test_multi_dot_and_matrix_power_match_numpy():
    rng = np.random.default_rng(3)
    xs = [rng.normal(size=3), rng.normal(size=(3, 4)), rng.normal(size=(4, 2)), rng.normal(size=2)]
    np.testing.assert_allclose(L.multi_dot([ag.tensor(x) for x in xs]).data, np.linalg.multi_dot(xs))
    a = rng.normal(size=(2, 3, 3)) + 3 * np.eye(3)
    for n in range(-3, 5):
        np.testing.assert_allclose(L.matrix_power(ag.tensor(a), n).data, np.linalg.matrix_power(a, n), rtol=1e-10)
    x = ag.tensor(a, requires_grad=True)
    L.matrix_power(x, 0).sum().backward()
    np.testing.assert_array_equal(x.grad.data, 0)


# ---- errors ---------------------------------------------------------------------------------------------------------

def test_singular_and_non_square_inputs_name_the_function_and_shape():
    with pytest.raises(np.linalg.LinAlgError, match=r"linalg.inv: .*\(2, 2\) float64.*Singular matrix.*none singular"):
        L.inv(ag.tensor([[1.0, 2.0], [2.0, 4.0]]))
    with pytest.raises(np.linalg.LinAlgError, match=r"linalg.det: .*\(2, 3\) float64.*square"):
        np.linalg.det(ag.tensor(np.ones((2, 3))))
    with pytest.raises(np.linalg.LinAlgError, match=r"linalg.cholesky: .*not positive definite.*positive definite"):
        L.cholesky(ag.tensor([[1.0, 2.0], [2.0, 1.0]]))
    with pytest.raises(ValueError, match=r"linalg.solve: .*\(3, 3\) float64, \(2,\) float64.*mismatch"):
        L.solve(ag.eye(3), ag.ones(2))
    with pytest.raises(np.linalg.LinAlgError, match=r"matrix_power: input of shape \(2, 3\) is not a stack of square"):
        L.matrix_power(ag.ones((2, 3)), 2)
    with pytest.raises(np.linalg.LinAlgError, match=r"svd: input of shape \(3,\) has 1 dimension"):
        L.svd(ag.ones(3))
    with pytest.raises(np.linalg.LinAlgError, match=r"qr: input of shape \(3,\)"):
        L.qr(ag.ones(3))
    with pytest.raises(np.linalg.LinAlgError, match=r"pinv: input of shape \(\)"):
        L.pinv(ag.tensor(1.0))


def test_bad_settings_are_refused_clearly():
    x = ag.ones((2, 2))
    with pytest.raises(ValueError, match="eigh: UPLO must be 'L' or 'U', got 'X'"):
        L.eigh(x, UPLO="X")
    with pytest.raises(ValueError, match="qr: mode='raw' is not supported"):
        L.qr(x, mode="raw")
    with pytest.raises(ValueError, match="norm: invalid norm order 'nuc' for vectors"):
        L.norm(ag.ones(3), "nuc")
    with pytest.raises(ValueError, match="norm: invalid norm order 3 for matrices"):
        L.norm(x, 3)
    with pytest.raises(ValueError, match=r"norm: improper number of dimensions.*\(2, 2, 2\) with ord=1"):
        L.norm(ag.ones((2, 2, 2)), 1)
    with pytest.raises(ValueError, match=r"norm: improper number of dimensions to norm: axis=\(0, 1, 2\) names 3"):
        L.norm(ag.ones((2, 2, 2)), axis=(0, 1, 2))
    with pytest.raises(np.exceptions.AxisError, match=r"norm: .*input shape \(2, 2\), axis=5"):
        L.norm(x, axis=5)
    with pytest.raises(ValueError, match="vector_norm: invalid norm order 'fro'"):
        L.vector_norm(x, ord="fro")
    with pytest.raises(TypeError, match="matrix_power: the exponent must be an integer, got 1.5"):
        L.matrix_power(x, 1.5)
    with pytest.raises(ValueError, match=r"multi_dot: arrays of \[2, 1, 2\] dimensions"):
        L.multi_dot([x, ag.ones(2), x])
    with pytest.raises(ValueError, match=r"multi_dot: shapes \[\(2, 2\), \(3, 2\)\] are not aligned"):
        L.multi_dot([x, ag.ones((3, 2))])
    with pytest.raises(ValueError, match="multi_dot: expecting at least two arrays, got 1"):
        L.multi_dot([x])
    with pytest.raises(ValueError, match=r"outer: input arrays must be one-dimensional, got shapes \(2, 2\) and"):
        np.linalg.outer(x, ag.ones(2))
    for name in ["matrix_transpose", "trace", "diagonal", "matrix_norm"]:
        with pytest.raises(ValueError, match=fr"{name}: input of shape \(2,\) has fewer than 2 dimensions"):
            getattr(np.linalg, name)(ag.ones(2))
    with pytest.raises(TypeError, match="diagonal: offset must be an integer, got 1.5"):
        L.diagonal(x, offset=1.5)
    with pytest.raises(np.linalg.LinAlgError, match=r"linalg.svd: .*SVD did not converge.*of finite values"):
        L.svd(ag.tensor(np.full((2, 2), np.nan)))
    with pytest.raises(ValueError, match=r"cross: both inputs must be \(arrays of\) 3-vectors along axis -1"):
        np.linalg.cross(ag.ones(2), ag.ones(2))
    with pytest.raises(ValueError, match=r"vecdot: the vectors along axis -1 differ in length: shapes \(2, 2\)"):
        L.vecdot(x, ag.ones(3))
    with pytest.raises(ValueError, match=r"tensorinv: shape \(2, 2\) with ind=1 gives a 2 x 2 matrix|ind must"):
        L.tensorinv(x, ind=0)
    with pytest.raises(np.linalg.LinAlgError, match=r"tensorsolve: a of shape \(2, 2\) .*b of shape \(3,\)"):
        L.tensorsolve(x, ag.ones(3))
    with pytest.raises(np.linalg.LinAlgError, match=r"cond: input of shape \(2,\) has 1 dimension"):
        L.cond(ag.ones(2))
    with pytest.raises(ValueError, match="pinv: give rcond= or rtol=, not both"):
        L.pinv(x, 0.1, rtol=0.1)


def test_complete_qr_of_a_tall_matrix_has_no_gradient_as_torch():
    x = ag.tensor(np.arange(6.0).reshape(3, 2) + np.eye(3, 2), requires_grad=True)
    q, r = L.qr(x, mode="complete")
    assert q.shape == (3, 3) and r.shape == (3, 2)
    with pytest.raises(RuntimeError, match=r"qr: .*not differentiable when mode='complete'.*\(3, 2\)"):
        (q.sum() + r.sum()).backward()


def test_det_gradient_at_a_singular_matrix_is_the_cofactor_matrix():
    a = np.array([[[1.0, 2.0], [2.0, 4.0]], [[2.0, 1.0], [1.0, 3.0]]])  # singular, then not
    x = ag.tensor(a, requires_grad=True)
    L.det(x).sum().backward()
    np.testing.assert_allclose(x.grad.data, [[[4.0, -2.0], [-2.0, 1.0]], [[3.0, -1.0], [-1.0, 2.0]]], atol=1e-12)
    b = np.array([[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [0.0, 1.0, 5.0]])  # rank 2: cofactors of a 3 x 3
    x = ag.tensor(b, requires_grad=True)
    L.det(x).backward()
    cofactors = [[np.linalg.det(np.delete(np.delete(b, i, 0), j, 1)) * (-1) ** (i + j) for j in range(3)]
                 for i in range(3)]
    np.testing.assert_allclose(x.grad.data, cofactors, atol=1e-12)
    assert gradcheck(L.det, b, atol=1e-6, rtol=1e-5)  # det is a polynomial: central differences are exact there
    # (a departure: torch 2.13's det gives 0 at an exactly singular matrix, which is not the derivative for rank n-1)


def test_gradients_refused_at_singular_points_name_the_function():
    x = ag.tensor([[1.0, 2.0], [2.0, 4.0]], requires_grad=True)
    with pytest.raises(np.linalg.LinAlgError, match=r"linalg.slogdet: no gradient at a singular matrix \(shape \(2, 2"):
        L.slogdet(x).logabsdet.backward()
    y = ag.tensor([[0.0, 1.0, 2.0], [0.0, 3.0, 1.0]], requires_grad=True)
    with pytest.raises(np.linalg.LinAlgError, match=r"qr: no gradient where R has a zero on its diagonal"):
        L.qr(y).R.sum().backward()


def test_hermitian_and_tolerance_settings_follow_numpy():
    rng = np.random.default_rng(7)
    a = rng.normal(size=(3, 3))
    s = a + a.T
    u, sv, vh = L.svd(ag.tensor(s), hermitian=True)
    np.testing.assert_allclose(sv.data, np.linalg.svd(s, hermitian=True).S)
    np.testing.assert_allclose((u.data * sv.data) @ vh.data, s, atol=1e-12)
    x = ag.tensor(s, requires_grad=True)
    L.svdvals(x).sum().backward()  # (the gradient of the nuclear norm: U Vh)
    u, _, vh = np.linalg.svd(s)
    np.testing.assert_allclose(x.grad.data, u @ vh, atol=1e-10)
    low_rank = np.outer([1.0, 2.0, 3.0], [1.0, 0.0, 1.0]) + 1e-9 * np.eye(3)
    for kwargs in [{}, {"rcond": 1e-6}, {"rtol": 1e-6}, {"rtol": None}, {"hermitian": False}]:
        np.testing.assert_allclose(L.pinv(ag.tensor(low_rank), **kwargs).data, np.linalg.pinv(low_rank, **kwargs))


def test_matrix_rank_is_numpys_constant():
    a = np.array([[[1.0, 2.0], [2.0, 4.0]], [[1.0, 0.0], [0.0, 1.0]]])
    rank = np.linalg.matrix_rank(ag.tensor(a, requires_grad=True))
    assert isinstance(rank, ag.Tensor) and not rank.requires_grad
    np.testing.assert_array_equal(rank.data, np.linalg.matrix_rank(a))
    assert L.matrix_rank(ag.tensor(a), tol=10.0).tolist() == [0, 0]


def test_vecdot_and_cross_along_another_axis():
    rng = np.random.default_rng(11)
    a, b = rng.normal(size=(3, 2, 3)), rng.normal(size=(3, 1, 3))
    for axis in (0, -3, 2, -1):
        np.testing.assert_allclose(L.vecdot(ag.tensor(a), ag.tensor(b), axis=axis).data,
                                   np.linalg.vecdot(a, b, axis=axis))
    np.testing.assert_allclose(L.cross(ag.tensor(a), ag.tensor(b), axis=0).data, np.linalg.cross(a, b, axis=0))
    assert gradcheck(lambda x, y: L.vecdot(x, y, axis=0), a, b, atol=1e-7, rtol=1e-6)
    assert gradcheck(lambda x, y: L.cross(x, y, axis=0), a, b, atol=1e-7, rtol=1e-6)


@pytest.mark.parametrize("shape, b_shape", [((4, 2), (4,)), ((4, 2), (4, 3)), ((2, 4), (2,)), ((3, 3), (3, 2))])
def test_lstsq_matches_numpy_and_its_gradient(shape, b_shape):
    rng = np.random.default_rng(sum(shape) + len(b_shape))
    a, b = rng.normal(size=shape), rng.normal(size=b_shape)
    x, residuals, rank, s = L.lstsq(ag.tensor(a), ag.tensor(b))
    ex, eres, erank, es = np.linalg.lstsq(a, b)
    np.testing.assert_allclose(x.data, ex, rtol=1e-10, atol=1e-12)
    assert residuals.shape == eres.shape and int(rank) == erank
    np.testing.assert_allclose(residuals.data, eres, rtol=1e-9)
    np.testing.assert_allclose(s.data, es, rtol=1e-12)
    assert gradcheck(lambda p, q: L.lstsq(p, q)[0], a, b, atol=1e-6, rtol=1e-5)
    if residuals.size:
        assert gradcheck(lambda p, q: L.lstsq(p, q)[1], a, b, atol=1e-6, rtol=1e-5)
    a32 = ag.tensor(a, dtype=np.float32)
    assert L.lstsq(a32, b.astype(np.float32))[0].dtype == np.linalg.lstsq(a.astype(np.float32),
                                                                            b.astype(np.float32))[0].dtype


def test_lstsq_gradient_matches_torch():
    torch = _torch()
    rng = np.random.default_rng(4)
    a, b = rng.normal(size=(5, 3)), rng.normal(size=(5, 2))
    xa, xb = ag.tensor(a, requires_grad=True), ag.tensor(b, requires_grad=True)
    ta, tb = torch.tensor(a, requires_grad=True), torch.tensor(b, requires_grad=True)
    w = rng.uniform(0.5, 1.5, (3, 2))
    (L.lstsq(xa, xb)[0] * w).sum().backward()
    (torch.linalg.lstsq(ta, tb).solution * torch.tensor(w)).sum().backward()
    np.testing.assert_allclose(xa.grad.data, ta.grad.numpy(), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(xb.grad.data, tb.grad.numpy(), rtol=1e-9, atol=1e-12)
    with pytest.raises(np.linalg.LinAlgError, match=r"lstsq: a of shape \(5, 3\) and b of shape \(4,\)"):
        L.lstsq(xa, ag.ones(4))


# ---- lstsq as torch.linalg.lstsq: stacks, one vector per matrix, .solution, driver= ----
@pytest.mark.parametrize("a_shape, b_shape", [((3, 6, 4), (3, 6, 2)), ((3, 6, 4), (3, 6)), ((2, 1, 5, 3), (2, 4, 5, 2)),
                                              ((1, 5, 3), (4, 5, 2)), ((3, 4, 6), (3, 4, 2))],
                         ids=["stack", "vectors", "broadcast", "broadcast-a", "wide"])
def test_lstsq_of_a_stack_solves_each_matrix(a_shape, b_shape):
    # efficient-kan's curve2coeff: torch.linalg.lstsq(A, B).solution with A (in, batch, coeff), B (in, batch, out);
    # the NumPy-only lstsq refused anything but a 2-D a
    rng = np.random.default_rng(5)
    a, b = rng.normal(size=a_shape), rng.normal(size=b_shape)
    one_vector = len(b_shape) == len(a_shape) - 1
    b_columns = b[..., None] if one_vector else b
    batch = np.broadcast_shapes(a_shape[:-2], b_columns.shape[:-2])
    a_all, b_all = np.broadcast_to(a, batch + a_shape[-2:]), np.broadcast_to(b_columns, batch + b_columns.shape[-2:])
    expected = np.stack([np.linalg.lstsq(m, r, rcond=None)[0] for m, r in zip(a_all.reshape((-1,) + a_shape[-2:]),
                                                                              b_all.reshape((-1,) + b_all.shape[-2:]))])
    expected = expected.reshape(batch + expected.shape[-2:])
    expected = expected[..., 0] if one_vector else expected
    got = L.lstsq(ag.tensor(a), ag.tensor(b))
    assert got.solution is got.x and got.singular_values is got.s
    np.testing.assert_allclose(got.solution.data, expected, rtol=1e-10, atol=1e-12)
    # rank and singular values are a's own, not broadcast to b's stack (as torch's)
    np.testing.assert_array_equal(got.rank.data, np.full(a_shape[:-2], min(a_shape[-2:]), np.int32))
    np.testing.assert_allclose(got.singular_values.data, np.linalg.svd(a, compute_uv=False), rtol=1e-12)
    assert gradcheck(lambda p, q: L.lstsq(p, q).solution, a, b)
    torch = _torch()
    ta, tb = torch.tensor(a, requires_grad=True), torch.tensor(b, requires_grad=True)
    xa, xb = ag.tensor(a, requires_grad=True), ag.tensor(b, requires_grad=True)
    for driver in (None, "gelsy", "gelsd", "gelss"):
        torch_result = torch.linalg.lstsq(ta, tb, driver=driver)
        ours = L.lstsq(xa, xb, driver=driver)
        np.testing.assert_allclose(ours.solution.data, torch_result.solution.detach().numpy(), rtol=1e-10, atol=1e-12)
        if driver in ("gelsd", "gelss") and a_shape[-2] > a_shape[-1]:  # (torch's residuals: these drivers, m > n)
            np.testing.assert_allclose(ours.residuals.data, torch_result.residuals.detach().numpy(), rtol=1e-10)
            np.testing.assert_array_equal(ours.rank.data, torch_result.rank.numpy())
            np.testing.assert_allclose(ours.singular_values.data, torch_result.singular_values.detach().numpy(),
                                       rtol=1e-12)
    w = np.random.default_rng(6).uniform(0.5, 1.5, got.solution.shape)
    (L.lstsq(xa, xb).solution * w).sum().backward()
    (torch.linalg.lstsq(ta, tb).solution * torch.tensor(w)).sum().backward()
    np.testing.assert_allclose(xa.grad.data, ta.grad.numpy(), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(xb.grad.data, tb.grad.numpy(), rtol=1e-9, atol=1e-12)


def test_lstsq_of_a_float32_stack_stays_float32():
    rng = np.random.default_rng(7)
    a, b = rng.normal(size=(3, 8, 5)).astype(np.float32), rng.normal(size=(3, 8, 2)).astype(np.float32)
    got = L.lstsq(ag.tensor(a), ag.tensor(b)).solution
    assert got.dtype == np.float32
    expected = np.stack([np.linalg.lstsq(m.astype(np.float64), r.astype(np.float64))[0] for m, r in zip(a, b)])
    np.testing.assert_allclose(got.data, expected, rtol=1e-4, atol=1e-5)


def test_lstsq_rank_deficient_stack_gives_the_minimum_norm_solution():
    # a zero column (a spline basis no sample reaches, in pykan's curve2coef): gelsy's minimum-norm solution puts
    # 0 there
    a = np.array([[[1.0, 0.0], [1.0, 0.0], [1.0, 0.0]], [[1.0, 2.0], [0.0, 1.0], [1.0, 1.0]]])
    b = np.array([[1.0, 2.0, 3.0], [1.0, 1.0, 2.0]])
    got = L.lstsq(ag.tensor(a), ag.tensor(b))
    np.testing.assert_allclose(got.solution.data, [[2.0, 0.0], np.linalg.lstsq(a[1], b[1])[0]], atol=1e-14)
    np.testing.assert_array_equal(got.rank.data, [1, 2])
    assert got.residuals.shape == (0,)  # (one matrix of the stack lacks full rank: none given, as torch's)


def test_lstsq_errors_name_the_shapes_and_the_drivers():
    with pytest.raises(np.linalg.LinAlgError, match=r"^lstsq: a of shape \(3, 6, 4\) and b of shape \(3, 5, 2\); a "
                                                    r"must be a matrix \(\.\.\., m, n\) and b \(\.\.\., m, k\) or "
                                                    r"\(\.\.\., m\), with as many rows as a$"):
        L.lstsq(ag.ones((3, 6, 4)), ag.ones((3, 5, 2)))
    with pytest.raises(np.linalg.LinAlgError, match=r"a of shape \(4,\)"):
        L.lstsq(ag.ones(4), ag.ones(4))
    with pytest.raises(ValueError, match=r"^linalg.lstsq: driver='gelsx'; give None or one of 'gels', 'gelsy', "
                                         r"'gelsd', 'gelss', as torch.linalg.lstsq's on the CPU$"):
        L.lstsq(ag.eye(2), ag.ones(2), driver="gelsx")
