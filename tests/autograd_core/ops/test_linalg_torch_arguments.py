"""torch.linalg's argument forms that ag.linalg takes besides NumPy's (found by porting PyTorch's OpInfo entries):
linalg.diagonal's dim1/dim2, linalg.vecdot's dim, the vector norms of a 0-d input along dim 0 or -1, and vander of a
0-d input. Values and gradients are compared with torch's."""
import numpy as np
import pytest

import autograd_core as ag

L = ag.linalg


def _torch():
    return pytest.importorskip("torch")


def _both(array):
    torch = _torch()
    return ag.tensor(array, requires_grad=True), torch.tensor(array, requires_grad=True)


def _assert_same_with_grads(ours, theirs, x, tx):
    torch = _torch()
    assert ours.shape == tuple(theirs.shape)
    np.testing.assert_allclose(ours.numpy(), theirs.detach().numpy(), rtol=1e-12, atol=1e-12)
    cotangent = np.random.default_rng(0).standard_normal(ours.shape)
    (g,) = ag.autograd.grad(ours, x, ag.tensor(cotangent), allow_unused=True)
    (tg,) = torch.autograd.grad(theirs, tx, torch.tensor(cotangent), allow_unused=True)  # (None: ord=0's)
    np.testing.assert_allclose(0 if g is None else g.numpy(), 0 if tg is None else tg.numpy(), rtol=1e-12,
                               atol=1e-12)


@pytest.mark.parametrize("kwargs", [dict(offset=1, dim1=1, dim2=2), dict(offset=2, dim1=0, dim2=1),
                                    dict(offset=-2, dim1=2, dim2=0), dict(dim1=1, dim2=-3)])
def test_diagonal_takes_torchs_dim1_and_dim2(kwargs):
    # torch.linalg.diagonal(A, offset=, dim1=, dim2=): the diagonal of the axes dim1 (rows) and dim2 (columns), last
    torch = _torch()
    x, tx = _both(np.random.default_rng(1).standard_normal((3, 4, 5)))
    _assert_same_with_grads(L.diagonal(x, **kwargs), torch.linalg.diagonal(tx, **kwargs), x, tx)


def test_diagonal_refuses_one_axis_twice_or_out_of_range():
    x = ag.ones((3, 4, 5))
    with pytest.raises(RuntimeError, match="same axis"):
        L.diagonal(x, dim1=1, dim2=-2)
    with pytest.raises(IndexError, match="dim1=3"):
        L.diagonal(x, dim1=3)


@pytest.mark.parametrize("shapes, dim", [(((3, 4), (3, 4)), 0), (((3, 4), (4,)), -1), (((2, 3, 4), (3, 1)), 1),
                                         (((5,), (5,)), 0), (((0, 0), (0, 0)), 1),
                                         # broadcast along dim: an input lacking that axis, or of size 1 there
                                         (((2, 3), (3,)), 0), (((2, 3), (2, 1)), 1), (((2, 1), (2, 3)), 1),
                                         (((3,), (2, 3)), 0), (((1, 3), (2, 1, 3)), -3)])
def test_vecdot_takes_torchs_dim_counted_in_the_broadcast_shape(shapes, dim):
    torch = _torch()
    rng = np.random.default_rng(2)
    a, b = (rng.standard_normal(s) for s in shapes)
    x, tx = _both(a)
    y = ag.tensor(b)
    _assert_same_with_grads(L.vecdot(x, y, dim=dim), torch.linalg.vecdot(tx, torch.tensor(b), dim=dim), x, tx)


def test_vecdot_refuses_both_axis_and_dim():
    with pytest.raises(TypeError, match="axis"):
        L.vecdot(ag.ones(3), ag.ones(3), axis=0, dim=0)
    with pytest.raises(TypeError, match="got both axis=-1 and dim=0"):  # (axis given equal to its default)
        L.vecdot(ag.ones(3), ag.ones(3), axis=-1, dim=0)


def test_vecdot_dim_out_of_the_broadcast_shape_names_dim():
    with pytest.raises(IndexError, match=r"vecdot: dim=2 is out of range for the broadcast shape \(2, 3\)"):
        L.vecdot(ag.ones((2, 3)), ag.ones(3), dim=2)
    with pytest.raises(ValueError, match=r"vecdot: inputs of shapes \(2, 3\) and \(2,\) do not broadcast"):
        L.vecdot(ag.ones((2, 3)), ag.ones(2), dim=0)


@pytest.mark.parametrize("ord", [2, 1, 0, 0.5, 4, np.inf])
@pytest.mark.parametrize("dim", [0, -1, (0,)])
@pytest.mark.parametrize("keepdim", [False, True])
def test_vector_norms_of_a_0d_input_along_dim_0_or_minus_1(ord, dim, keepdim):
    # torch takes a 0-d input as one vector of one entry along dim 0 or -1, giving a 0-d norm (keepdim or not)
    torch = _torch()
    x, tx = _both(np.array(-3.0))
    ours = L.vector_norm(x, ord, dim, keepdim)
    _assert_same_with_grads(ours, torch.linalg.vector_norm(tx, ord, dim, keepdim), x, tx)
    if not isinstance(dim, tuple):
        _assert_same_with_grads(L.norm(x, ord, dim=dim, keepdim=keepdim),
                                torch.linalg.norm(tx, ord, dim=dim, keepdim=keepdim), x, tx)


def test_vector_norm_of_a_0d_input_still_refuses_other_axes():
    with pytest.raises(IndexError, match="out of bounds"):
        L.vector_norm(ag.tensor(3.0), dim=1)
    with pytest.raises(RuntimeError, match="repeated axis"):
        L.vector_norm(ag.tensor(3.0), dim=(0, -1))


def test_vander_of_a_0d_input_is_that_of_a_one_entry_vector():
    torch = _torch()
    x, tx = _both(np.array(3.0))
    _assert_same_with_grads(L.vander(x, N=3), torch.linalg.vander(tx, N=3), x, tx)
    with pytest.raises(RuntimeError, match=r"greater than 1, got 1 \(x of shape \(\)\)"):  # (it said "(1,)")
        L.vander(x)


@pytest.mark.parametrize("shapes", [((3, 3), (2, 3)), ((2, 3, 3), (2, 4, 3)), ((2, 3, 3), (4, 3)),
                                    ((3, 3), (5, 1, 2, 3))])
def test_solve_takes_torchs_left_false_for_x_a_equals_b(shapes):
    # torch.linalg.solve(A, B, left=False) solves X @ A = B (it raised TypeError); the stacks broadcast
    torch = _torch()
    rng = np.random.default_rng(4)
    a, b = rng.standard_normal(shapes[0]) + 3 * np.eye(3), rng.standard_normal(shapes[1])
    x, tx = _both(b)
    _assert_same_with_grads(L.solve(ag.tensor(a), x, left=False), torch.linalg.solve(torch.tensor(a), tx, left=False),
                            x, tx)
    y, ty = _both(a)
    _assert_same_with_grads(L.solve(y, ag.tensor(b), left=False), torch.linalg.solve(ty, torch.tensor(b), left=False),
                            y, ty)
    with pytest.raises(RuntimeError, match=r"left=False .* got shapes a \(3, 3\) and b \(3,\)"):
        L.solve(ag.eye(3), ag.ones(3), left=False)


def test_svd_and_svdvals_take_torchs_driver_none_and_refuse_the_cuda_drivers():
    a = np.random.default_rng(6).standard_normal((4, 3))
    np.testing.assert_allclose(L.svd(ag.tensor(a), full_matrices=False, driver=None).S.data,
                               np.linalg.svdvals(a), rtol=1e-14)
    np.testing.assert_allclose(L.svdvals(ag.tensor(a), driver=None).data, np.linalg.svdvals(a), rtol=1e-14)
    for call in (L.svd, L.svdvals):
        with pytest.raises(RuntimeError, match="driver='gesvd' is only supported on CUDA"):
            call(ag.tensor(a), driver="gesvd")


def test_solve_left_false_and_pinv_of_float16_errors_name_what_was_given():
    # review R2: solve(left=False) of shapes that do not fit reported the transposed shapes "(4, 3)" in NumPy's gufunc
    # words; pinv(float16) listed 'rtol': None among the given arguments and did not say float16 is the problem
    with pytest.raises(RuntimeError, match=r"^linalg.solve: with left=False, x @ a = b needs b \(\.\.\., k, 3\) for a "
                                           r"of shape \(3, 3\), got b of shape \(3, 4\)$"):
        L.solve(ag.eye(3), ag.ones((3, 4)), left=False)
    with pytest.raises(np.linalg.LinAlgError):
        L.solve(ag.eye(3), ag.ones((3, 4)), left=False)
    with pytest.raises(RuntimeError, match=r"^linalg.pinv: a float16 input \(shape \(2, 2\)\) is not supported.*"
                                           r"float32"):
        L.pinv(ag.ones((2, 2), dtype=np.float16))
    with pytest.raises(TypeError, match="float16"):
        L.pinv(ag.ones((2, 2), dtype=np.float16))
