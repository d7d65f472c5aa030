"""Edge cases of np.linalg on Tensors (autograd_core/ops/linalg.py, _linalg_norms.py, _linalg_extras.py): empty
stacks and matrices, singular matrices and inputs holding inf or NaN, NumPy's dtypes and rcond in lstsq, the second
derivative of det at singular matrices, and the gradients of eigenvalues or singular values alone at repeated values.
Each is checked against NumPy, finite differences or a written-out value, so it runs without torch."""
import warnings

import numpy as np
import pytest

import autograd_core as ag
from autograd_core.testing import gradcheck, gradgradcheck

L = ag.linalg
NAN, INF = np.nan, np.inf


# ---- empty stacks and matrices, singular matrices, NumPy's dtypes and rcond ----
@pytest.mark.parametrize("shape", [(0, 2, 3), (0, 3, 2), (2, 0, 3, 3)])
def test_svd_and_qr_of_an_empty_stack(shape):
    # an empty batch: NumPy gives empty factors; the packing reshape(batch + (-1,)) could not infer -1
    x = ag.tensor(np.zeros(shape), requires_grad=True)
    for full in (True, False):
        got = L.svd(x, full_matrices=full)
        assert [a.shape for a in got] == [a.shape for a in np.linalg.svd(np.zeros(shape), full_matrices=full)]
        (got[0].sum() + got[1].sum() + got[2].sum()).backward()
        assert x.grad.shape == shape
    for mode in ("reduced", "complete"):
        q, r = L.qr(x, mode=mode)
        nq, nr = np.linalg.qr(np.zeros(shape), mode=mode)
        assert (q.shape, r.shape) == (nq.shape, nr.shape)
    assert L.qr(x, mode="r").shape == np.linalg.qr(np.zeros(shape), mode="r").shape
    assert L.svdvals(x).shape == np.linalg.svdvals(np.zeros(shape)).shape


@pytest.mark.parametrize("shape", [(0, 0), (3, 0), (0, 3), (2, 3, 0), (2, 0, 3)])
@pytest.mark.parametrize("ord", [1, 2, np.inf, "nuc", "fro"])
def test_matrix_norms_of_empty_matrices_are_zero(shape, ord):
    # NumPy (and torch.linalg.matrix_norm) give 0; the max over no column sums or singular values raised
    x = ag.tensor(np.zeros(shape), requires_grad=True)
    got = L.norm(x, ord, axis=(-2, -1))
    want = np.linalg.norm(np.zeros(shape), ord, axis=(-2, -1))
    assert got.shape == want.shape and np.array_equal(got.data, want)
    got.sum().backward()
    assert x.grad.shape == shape
    assert np.array_equal(L.matrix_norm(x, ord=ord).data, np.linalg.matrix_norm(np.zeros(shape), ord=ord))


@pytest.mark.parametrize("shape, axis", [((0,), None), ((2, 0), 1), ((2, 0), (0, 1)), ((0, 2), 0)])
def test_inf_vector_norm_of_empty_vectors_is_zero(shape, axis):
    got = L.vector_norm(ag.zeros(shape), ord=np.inf, axis=axis)
    want = np.linalg.vector_norm(np.zeros(shape), ord=np.inf, axis=axis)
    assert got.shape == want.shape and np.array_equal(got.data, want)


def test_zero_norm_counts_nan_entries():
    # the count of nonzero entries: NaN is nonzero (NumPy's and torch's 4); abs(sign(nan)) gave NaN
    x = ag.tensor([[np.nan, 1.0], [0.0, np.inf]], requires_grad=True)
    got = L.vector_norm(x, ord=0)
    assert float(got) == 3.0 == np.linalg.vector_norm(x.data, ord=0)
    assert np.array_equal(L.norm(x, 0, axis=1).data, np.linalg.norm(x.data, 0, axis=1))
    got.backward()
    assert np.array_equal(x.grad.data, np.zeros((2, 2)))


@pytest.mark.parametrize("p", [None, 2, -2, 1, -1, np.inf, -np.inf, "fro", "nuc"])
def test_cond_of_singular_matrices(p):
    # NumPy's: a NaN result becomes inf (0 / 0 of a zero matrix), and so does a matrix inv cannot invert; the engine
    # gave nan or raised LinAlgError from inv
    stack = np.array([[[0.0, 0.0], [0.0, 0.0]], [[1.0, 2.0], [2.0, 4.0]], [[2.0, 1.0], [1.0, 3.0]]])
    x = ag.tensor(stack, requires_grad=True)
    got = L.cond(x, p)
    assert np.isinf(got.data[0])
    if p != "nuc":  # (NumPy's nuc norm of inv's NaN matrix raises: SVD did not converge)
        want = np.linalg.cond(stack, p)
        assert np.allclose(got.data, want, rtol=1e-6)
    got[2].backward()  # the regular matrix keeps its gradient
    assert np.all(np.isfinite(x.grad.data)) and np.any(x.grad.data[2] != 0)


def test_cond_keeps_nan_of_a_nan_matrix_and_refuses_empty_ones():
    assert np.isnan(L.cond(ag.tensor([[np.nan, 1.0], [1.0, 3.0]]), 1).data)
    assert np.isinf(L.cond(ag.tensor([[np.inf, 1.0], [1.0, 3.0]]), 1).data)
    for shape in [(0, 0), (3, 0), (2, 0, 0)]:
        with pytest.raises(np.linalg.LinAlgError, match="empty"):
            L.cond(ag.zeros(shape))
    with pytest.raises(np.linalg.LinAlgError, match="square"):
        L.cond(ag.ones((3, 2)), 1)


@pytest.mark.parametrize("dtype", [np.int8, np.int32, np.uint16, np.bool_, np.float16, np.float32])
def test_vecdot_keeps_numpys_dtype(dtype):
    a = (np.arange(6).reshape(2, 3) % 2).astype(dtype)
    got = L.vecdot(ag.tensor(a), ag.tensor(a))
    want = np.linalg.vecdot(a, a)
    assert got.dtype == want.dtype and np.array_equal(got.data, want)


def test_dimension_errors_are_linalg_errors_as_numpys():
    with pytest.raises(np.linalg.LinAlgError):
        L.multi_dot([ag.ones(2), ag.ones(2), ag.ones(2)])
    with pytest.raises(np.linalg.LinAlgError):
        L.tensorinv(ag.ones((2, 3)), 1)


def test_cond_of_a_zero_rectangular_matrix():
    x = ag.tensor(np.zeros((2, 3, 2)), requires_grad=True)
    got = L.cond(x)
    assert np.array_equal(got.data, np.linalg.cond(np.zeros((2, 3, 2))))  # inf, inf
    got.sum().backward()
    assert np.array_equal(x.grad.data, np.zeros((2, 3, 2)))


@pytest.mark.parametrize("rcond", [None, -1, 0, 1e-10, 0.5, 1, 1.5, 10])
@pytest.mark.parametrize("a", [np.arange(12.0).reshape(3, 4), np.arange(12.0).reshape(4, 3),
                               np.random.default_rng(0).standard_normal((4, 3))],
                         ids=["wide-rank2", "tall-rank2", "tall"])
def test_lstsq_rcond_as_numpys(a, rcond):
    # LAPACK's gelsd (NumPy's lstsq) takes its machine precision for rcond <= 0 or >= 1: the engine dropped every
    # singular value for rcond >= 1 and kept the rounding noise of a rank-deficient matrix for rcond <= 0
    b = np.ones(a.shape[0])
    want = np.linalg.lstsq(a, b, rcond=rcond)
    got = L.lstsq(ag.tensor(a), b, rcond=rcond)
    assert int(got.rank) == want[2]
    assert np.allclose(got.x.data, want[0], atol=1e-10)
    assert np.allclose(got.residuals.data, want[1])


# ---- lstsq's dtypes as NumPy's (float32 only when a and b both are, rank int32) ----
LSTSQ_A = np.random.default_rng(2).standard_normal((5, 3))
LSTSQ_B = np.random.default_rng(3).standard_normal((5, 2))


@pytest.mark.parametrize("a_dtype", [np.float32, np.float64, np.int64])
@pytest.mark.parametrize("b_dtype", [np.float32, np.float64, np.int64, np.bool_])
@pytest.mark.parametrize("b_columns", [None, 2])
def test_lstsq_promotes_as_numpy(a_dtype, b_dtype, b_columns):
    a = (LSTSQ_A * 3).astype(a_dtype)
    b = (LSTSQ_B[:, 0] if b_columns is None else LSTSQ_B).astype(b_dtype)
    expected = np.linalg.lstsq(a, b)
    ours = ag.linalg.lstsq(ag.tensor(a), ag.tensor(b))
    single = expected[0].dtype == np.float32
    for mine, theirs in zip(ours, expected):
        theirs = np.asarray(theirs)
        assert mine.dtype == theirs.dtype and mine.shape == theirs.shape
        np.testing.assert_allclose(mine.data, theirs, rtol=1e-4 if single else 1e-10, atol=1e-5 if single else 1e-12)


def test_lstsq_float32_a_with_float64_b_is_computed_in_float64():
    a = LSTSQ_A.astype(np.float32)
    x = ag.linalg.lstsq(ag.tensor(a, requires_grad=True), ag.tensor(LSTSQ_B)).x
    # the float64 solution of the float32 matrix's values, not a float32 pseudo-inverse's (which is off by ~1e-7)
    np.testing.assert_allclose(x.data, np.linalg.lstsq(a.astype(np.float64), LSTSQ_B)[0], rtol=1e-12, atol=1e-13)
    assert gradcheck(lambda a, b: ag.linalg.lstsq(a, b)[0].sum(), LSTSQ_A, LSTSQ_B)


def test_lstsq_float32_a_float64_b_gradient_reaches_a_in_float32():
    a = ag.tensor(LSTSQ_A.astype(np.float32), requires_grad=True)
    b = ag.tensor(LSTSQ_B, requires_grad=True)
    ag.linalg.lstsq(a, b)[0].sum().backward()
    assert a.grad.dtype == np.float32 and b.grad.dtype == np.float64


def test_lstsq_refuses_float16_as_numpy():
    with pytest.raises(TypeError, match=r"^linalg.lstsq: array type float16 is unsupported in linalg \(a float64, b "
                                        r"float16\); give float32 or float64 \(bools and integers are computed in "
                                        r"float64\), as NumPy's$"):
        ag.linalg.lstsq(np.eye(2), np.ones(2, np.float16))
    with pytest.raises(TypeError):
        np.linalg.lstsq(np.eye(2), np.ones(2, np.float16))


# ---- lstsq on inf / NaN: NumPy's LinAlgError for a; b's NaN propagates ----
@pytest.mark.parametrize("bad", [INF, -INF, NAN])
def test_lstsq_refuses_a_holding_inf_or_nan_as_numpy(bad):
    a = np.array([[1.0, 2.0], [3.0, bad], [5.0, 6.0]])
    b = np.array([1.0, 2.0, 3.0])
    # (np.linalg.lstsq(a, b) raises LinAlgError "SVD did not converge in Linear Least Squares" for this a; not
    # called here: NumPy's LAPACK call can hang on some inputs holding inf or NaN)
    with pytest.raises(np.linalg.LinAlgError, match=r"lstsq: SVD did not converge in Linear Least Squares: a of shape "
                                                    r"\(3, 2\) holds inf or NaN"):
        ag.linalg.lstsq(ag.tensor(a), ag.tensor(b))
    with pytest.raises(np.linalg.LinAlgError, match="lstsq"):
        np.linalg.lstsq(ag.tensor(a), b, rcond=None)


def test_lstsq_nan_in_b_gives_nan_as_numpy():
    a = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    b = np.array([1.0, NAN, 3.0])
    x = ag.linalg.lstsq(ag.tensor(a), ag.tensor(b))[0]
    np.testing.assert_array_equal(x.data, np.linalg.lstsq(a, b, rcond=None)[0])  # NaN, NaN


def test_lstsq_finite_unchanged():
    a = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 7.0]])
    b = np.array([1.0, 2.0, 3.5])
    np.testing.assert_allclose(ag.linalg.lstsq(ag.tensor(a), ag.tensor(b))[0].data,
                               np.linalg.lstsq(a, b, rcond=None)[0], rtol=1e-12, atol=1e-12)


# ---- the second derivative of det, at singular matrices too (checked against finite differences of the cofactor
# matrix, det's exact gradient) ----
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


# ---- eigh's eigenvalues alone and svd's singular values alone have finite gradients at repeated values (and svd's
# at zero singular values of a rectangular matrix), as torch's: the unused vectors' zero cotangent adds no 0 / 0 ----
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


# ---- norms that take a smallest value (vector ord=-inf, matrix ord=-2, -1, -inf) of nothing raise ValueError naming
# the norm, as NumPy's and torch's refuse them; the empty cases NumPy accepts keep their values ----
@pytest.mark.parametrize("ord_, shape", [(-np.inf, (0,)), (-np.inf, (2, 0))])
def test_vector_norm_smallest_of_nothing(ord_, shape):
    with pytest.raises(ValueError, match="zero-size array to reduction operation minimum"):
        np.linalg.norm(np.zeros(shape), ord_, axis=-1)
    for call in (lambda x: ag.linalg.norm(x, ord_, axis=-1), lambda x: ag.linalg.vector_norm(x, ord=ord_, axis=-1),
                 lambda x: np.linalg.norm(x, ord_, axis=-1)):
        with pytest.raises(ValueError, match=r"^norm: ord=-inf .*shape " + repr(shape).replace("(", r"\(")
                                             .replace(")", r"\)")):
            call(ag.zeros(shape))


@pytest.mark.parametrize("ord_, shape", [(-2, (0, 0)), (-2, (3, 0)), (-2, (2, 0, 3)), (-1, (3, 0)),
                                         (-np.inf, (0, 3))])
def test_matrix_norm_smallest_of_nothing(ord_, shape):
    with pytest.raises(ValueError):
        np.linalg.norm(np.zeros(shape), ord_, axis=(-2, -1))
    for call in (lambda x: ag.linalg.norm(x, ord_, axis=(-2, -1)), lambda x: ag.linalg.matrix_norm(x, ord=ord_)):
        with pytest.raises(ValueError, match=f"^norm: ord={ord_!r} takes the smallest of no values"):
            call(ag.zeros(shape, requires_grad=True))


@pytest.mark.parametrize("ord_, shape", [(-1, (0, 3)), (-np.inf, (3, 0)), (2, (0, 0)), (-2, (1, 1)), (-np.inf, (0, 2, 2))])
def test_accepted_empty_cases_keep_numpys_values(ord_, shape):
    x = ag.zeros(shape, requires_grad=True)
    axis = (-2, -1) if len(shape) == 2 or ord_ == -2 else -1
    result = ag.linalg.norm(x, ord_, axis=axis)
    np.testing.assert_array_equal(result.data, np.linalg.norm(np.zeros(shape), ord_, axis=axis))
    result.sum().backward()
    assert x.grad.shape == shape


@pytest.mark.parametrize("p", [2.0, 3.0, 4.0, 1.0, 0.5])
def test_float16_p_norms_sum_in_float32_and_round_once(p):
    # (found by porting PyTorch's OpInfo entries for dist: dist of float16 Tensors with p=4 gave inf where torch's
    # gives 30.95: NumPy sums |x|**p in float16, which overflows at 65504; torch accumulates in float32)
    x = np.array([[300.0, -300.0, 2.0], [9.0, -8.0, 7.5]], np.float16)
    t = ag.tensor(x, requires_grad=True)
    norm = L.vector_norm(t, ord=p, axis=1)
    exact = np.linalg.vector_norm(x.astype(np.float64), ord=p, axis=1)
    assert norm.dtype == np.float16
    np.testing.assert_allclose(norm.data, exact, rtol=1e-3)  # (float16 rounding of the exact norm)
    norm.sum().backward()
    wide = ag.tensor(x.astype(np.float64), requires_grad=True)
    L.vector_norm(wide, ord=p, axis=1).sum().backward()
    assert t.grad.dtype == np.float16 and np.all(np.isfinite(t.grad.data))
    np.testing.assert_allclose(t.grad.data, wide.grad.data, rtol=2e-3, atol=1e-4)
    assert float(ag.dist(ag.tensor(x[1] * 4), ag.tensor(-x[1] * 4), 4)) == pytest.approx(
        np.linalg.vector_norm(x[1].astype(np.float64) * 8, ord=4), rel=1e-3)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # (past float16's range: inf, without NumPy's overflow warning)
        assert L.vector_norm(ag.tensor(np.full(4, 60000.0, np.float16)), ord=p) == np.inf


def test_pinv_of_a_singular_float32_matrix_drops_its_rounding_noise_by_default():
    # NumPy's default cutoff 1e-15 kept float32's noise singular values (about 1e-9 here) and gave entries near 1e9;
    # in float32 the default is max(m, n) * eps (NumPy's rtol=None, torch.linalg.pinv's); float64 keeps NumPy's 1e-15
    a = np.outer([-0.46, -0.07, -0.88], [0.51, -1.2, 0.3]).astype(np.float32)
    x = ag.tensor(a, requires_grad=True)
    got = L.pinv(x)
    assert got.dtype == np.float32
    exact = np.linalg.pinv(a.astype(np.float64), rtol=3 * np.finfo(np.float32).eps)  # (the rank-1 pseudo-inverse)
    np.testing.assert_allclose(got.data, exact, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(got.data, np.linalg.pinv(a, rtol=None), rtol=1e-6, atol=1e-7)
    got.sum().backward()
    assert np.all(np.isfinite(x.grad.data)) and np.abs(x.grad.data).max() < 10
    b = a.astype(np.float64)
    np.testing.assert_array_equal(L.pinv(ag.tensor(b)).data, np.linalg.pinv(b))
