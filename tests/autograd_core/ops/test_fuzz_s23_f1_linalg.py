"""Regressions found by fuzzing ag.linalg against NumPy and PyTorch (session 23, F1)."""
import numpy as np
import pytest

import autograd_core as ag

L = ag.linalg


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
