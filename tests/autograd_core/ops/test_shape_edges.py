"""Edge cases of transpose and reshape (autograd_core/ops/shape.py, and the Tensor methods transpose, permute, reshape
and view): an empty axes sequence, a 0-d array or Tensor as the axes or as the size, each read as NumPy and PyTorch
read them, with errors naming the operation; and two axes given apart, PyTorch's transpose(dim0, dim1) where NumPy
would refuse them."""
import warnings

import numpy as np
import pytest

import autograd_core as ag


# ---- transpose with an explicitly empty axes sequence names no axis, as NumPy's and PyTorch's read it: valid for a
# 0-d input only ----
@pytest.mark.parametrize("call", [lambda t: ag.transpose(t, ()), lambda t: t.transpose(()), lambda t: t.transpose([]),
                                  lambda t: t.permute(()), lambda t: t.permute([]), lambda t: np.transpose(t, ())])
@pytest.mark.parametrize("shape", [(2,), (2, 3), (2, 3, 4)])
def test_an_empty_axes_sequence_is_refused_for_an_input_with_axes(call, shape):
    with pytest.raises(ValueError, match="transpose|permute"):
        call(ag.zeros(shape))
    with pytest.raises(ValueError):  # as NumPy
        np.transpose(np.zeros(shape), ())


def test_an_empty_axes_sequence_fits_a_0d_input_and_no_argument_still_reverses():
    t = ag.tensor(2.0, requires_grad=True)
    out = ag.transpose(t, ())
    assert out.shape == () and float(out) == 2.0
    out.backward()
    assert float(t.grad) == 1.0
    x = ag.tensor(np.arange(24.0).reshape(2, 3, 4))
    for reversed_ in (x.transpose(), x.transpose(None), ag.transpose(x), np.transpose(x), x.T):
        np.testing.assert_array_equal(reversed_.data, np.arange(24.0).reshape(2, 3, 4).T)
    np.testing.assert_array_equal(x.transpose([1, 0, 2]).data, np.transpose(x.data, (1, 0, 2)))
    np.testing.assert_array_equal(x.permute(2, 0, 1).data, np.transpose(x.data, (2, 0, 1)))


# ---- transpose with a 0-d array or Tensor of axes reads it as one axis, as NumPy does ----
@pytest.mark.parametrize("axes", [np.array(1), ag.tensor(1)])
def test_transpose_reads_a_0d_axes_value_as_one_axis(axes):
    with pytest.raises(ValueError, match="^transpose: .*axes don't match array"):
        ag.transpose(ag.zeros((3, 3)), axes)
    with pytest.raises(ValueError):  # as NumPy
        np.transpose(np.zeros((3, 3)), np.array(1))
    assert ag.transpose(ag.zeros(3), np.array(0) if isinstance(axes, np.ndarray) else ag.tensor(0)).shape == (3,)
    assert ag.zeros((2, 3, 4)).transpose(ag.tensor([2, 0, 1])).shape == (4, 2, 3)


# ---- reshape and view take one 0-d integer array or Tensor as the size (x.view(torch.tensor(6)) in PyTorch,
# x.reshape(np.array(6)) in NumPy) ----
@pytest.mark.parametrize("call", [lambda x, s: x.reshape(s), lambda x, s: x.view(s), lambda x, s: ag.reshape(x, s),
                                  lambda x, s: np.reshape(x, s)])
@pytest.mark.parametrize("size", [np.array(6), np.int64(6), ag.tensor(6), ag.tensor(-1)])
def test_a_0d_integer_array_or_tensor_is_one_size(call, size):
    x = ag.tensor(np.arange(6.0).reshape(2, 3), requires_grad=True)
    out = call(x, size)
    assert out.shape == (6,)
    (out * ag.arange(6.0)).sum().backward()
    np.testing.assert_array_equal(x.grad.data, np.arange(6.0).reshape(2, 3))


def test_sizes_that_are_no_ints_stay_refused():
    x = ag.zeros((2, 3))
    assert x.reshape(ag.tensor(2), 3).shape == (2, 3) and x.reshape(ag.tensor([3, 2])).shape == (3, 2)
    for size in (np.array(6.0), ag.tensor(True), 6.0):
        with pytest.raises(TypeError, match="reshape: the new shape must be ints"):
            x.reshape(size)


# ---- ag.flatten(x, start_dim, end_dim) is torch.flatten, as the method t.flatten(start_dim, end_dim) (the
# "Training a classifier" tutorial writes torch.flatten(x, 1)); without them NumPy's flatten, a 1-D copy ----
def test_flatten_takes_pytorchs_start_and_end_dims():
    x = ag.tensor(np.arange(24.0).reshape(2, 3, 4), requires_grad=True)
    assert ag.flatten(x, 1).shape == (2, 12)
    assert ag.flatten(x, 0, 1).shape == (6, 4)
    assert ag.flatten(x, start_dim=1, end_dim=1).shape == (2, 3, 4)
    assert ag.flatten(np.zeros((2, 3, 4)), -2).shape == (2, 12)
    np.testing.assert_array_equal(ag.flatten(x, 1).data, np.arange(24.0).reshape(2, 12))
    (ag.flatten(x, 1) * np.arange(24.0).reshape(2, 12)).sum().backward()
    np.testing.assert_array_equal(x.grad, np.arange(24.0).reshape(2, 3, 4))
    assert ag.flatten(x).shape == (24,)
    with pytest.raises(ValueError, match="flatten: start_dim=2 comes after end_dim=1"):
        ag.flatten(x, 2, 1)
    with pytest.raises(IndexError, match=r"flatten: .* must be in \[-3, 3\)"):
        ag.flatten(x, 3)


# ---- two axes given apart: PyTorch's transpose(dim0, dim1) where NumPy would need exactly two axes (d2l.ai's
# attention: keys.transpose(1, 2)); a matrix keeps NumPy's permutation ----
@pytest.mark.parametrize("axes", [(1, 2), (0, 2), (2, 0), (-1, -2), (1, 1)])
def test_two_axes_of_a_3d_input_are_exchanged_as_pytorch(axes):
    x = np.arange(24.0).reshape(2, 3, 4)
    expected = np.swapaxes(x, *axes)
    t = ag.tensor(x, requires_grad=True)
    out = t.transpose(*axes)
    np.testing.assert_array_equal(out.data, expected)
    np.testing.assert_array_equal(ag.transpose(t, *axes).data, expected)
    out.backward(ag.tensor(np.arange(24.0).reshape(expected.shape)))
    np.testing.assert_array_equal(t.grad.data, np.swapaxes(np.arange(24.0).reshape(expected.shape), *axes))


def test_two_axes_match_torch():
    torch = pytest.importorskip("torch")
    for shape in [(4,), (2, 3, 4), (2, 3, 4, 5)]:
        x = np.arange(float(np.prod(shape))).reshape(shape)
        for a, b in [(0, -1), (-1, 0), (0, 0)]:
            np.testing.assert_array_equal(ag.tensor(x).transpose(a, b).data, torch.tensor(x).transpose(a, b).numpy())


def test_one_axis_twice_leaves_a_matrix_as_it_is_as_pytorchs():
    # entmax's _make_ix_like writes rho.view(-1, 1).transpose(0, dim), which for dim=0 is PyTorch's identity; NumPy
    # refuses the repeated axis
    column = ag.tensor([[1.0], [2.0], [3.0]], requires_grad=True)
    for axes in [(0, 0), (1, 1), (-1, 1), (-2, 0)]:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            same = column.transpose(*axes)
        np.testing.assert_array_equal(same.data, [[1.0], [2.0], [3.0]])
    (same * ag.tensor([[1.0], [2.0], [4.0]])).sum().backward()
    np.testing.assert_array_equal(column.grad.data, [[1.0], [2.0], [4.0]])
    with pytest.raises(ValueError, match="transpose"):
        column.transpose(0, 2)  # (out of range still refused)
    torch = pytest.importorskip("torch")
    for axes in [(0, 0), (1, 1), (-1, 1)]:
        np.testing.assert_array_equal(ag.ones((3, 1)).transpose(*axes).shape, torch.ones(3, 1).transpose(*axes).shape)


def test_a_matrix_and_a_sequence_of_axes_keep_numpys_meaning():
    m = ag.tensor([[1.0, 2.0, 3.0]])
    with pytest.warns(UserWarning, match=r"transpose\(0, 1\) of a matrix keeps it as it is"):
        assert m.transpose(0, 1).shape == (1, 3)  # np.transpose(m, (0, 1))
    assert m.transpose(1, 0).shape == (3, 1)
    with pytest.raises(ValueError, match="transpose"):
        ag.zeros((2, 3, 4)).transpose((1, 2))  # one sequence: a permutation, as np.transpose(x, (1, 2))
    with pytest.raises(TypeError, match="transpose: each axis must be an int"):
        ag.zeros((2, 3, 4)).transpose(True, 2)
    with pytest.raises(np.exceptions.AxisError, match=r"axis 3 is out of bounds .* \(2, 3, 4\)"):
        ag.zeros((2, 3, 4)).transpose(1, 3)


@pytest.mark.parametrize("axes", [(0, 1), (-2, -1), (0, -1), (-2, 1)])
def test_a_matrixs_identity_transpose_warns_where_pytorch_would_swap(axes):
    # PyTorch's causal mask, (triu(ones) == 1).transpose(0, 1), would silently come out the other way round here
    upper = ag.triu(ag.ones((3, 3))) == 1
    with pytest.warns(UserWarning, match=r"write t\.T .* to swap them") as caught:
        kept = upper.transpose(*axes)
    assert caught[0].filename == __file__  # the warning points at the caller's line
    np.testing.assert_array_equal(kept.data, upper.data)
    with pytest.warns(UserWarning, match="keeps it as it is") as caught:
        ag.transpose(upper, *axes)
    assert caught[0].filename == __file__
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the swaps, a sequence of axes and more axes stay silent
        np.testing.assert_array_equal(upper.transpose(1, 0).data, upper.data.T)
        upper.transpose((0, 1)), upper.T, ag.zeros((2, 3, 4)).transpose(0, 1)


# ---- shapes that do not join or split: a ValueError (NumPy's) and a RuntimeError (PyTorch's) at once --------------
@pytest.mark.parametrize("call", [
    lambda m: m.cat([m.zeros((2, 1)), m.zeros((2, 1, 1))]), lambda m: m.cat([m.zeros((2, 1, 2)), m.zeros((2, 2, 1))],
                                                                           dim=1),
    lambda m: m.cat([m.tensor(0.0), m.tensor(1.0)]), lambda m: m.stack([m.zeros(2), m.zeros(3)]),
    lambda m: m.stack([]), lambda m: m.hstack([m.zeros((2, 1)), m.zeros((3, 1))]),
    lambda m: m.vstack([m.zeros(2), m.zeros(3)]), lambda m: m.dstack([m.zeros((1, 2)), m.zeros((1, 3))]),
    lambda m: m.column_stack([m.zeros(2), m.zeros(3)]), lambda m: m.hsplit(m.zeros(()), 3),
    lambda m: m.vsplit(m.zeros(6), 2), lambda m: m.dsplit(m.zeros((6, 6)), 3), lambda m: m.hsplit(m.zeros((3, 8)), 5),
    lambda m: m.block_diag(m.zeros((1, 1, 1))), lambda m: m.broadcast_tensors(m.zeros(2), m.zeros(3)),
    lambda m: m.tensor_split(m.zeros(()), 2),
])
def test_shapes_that_do_not_fit_raise_runtime_errors_as_torchs(call):
    # found by porting PyTorch's test_tensor_creation_ops (test_cat_empty, test_cat_bad_input_sizes, test_cat_scalars,
    # test_hsplit/vsplit/dsplit, test_hstack_column_stack, test_block_diag): NumPy's ValueError alone escaped
    # PyTorch's `except RuntimeError`
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        call(torch)
    with pytest.raises(ag.ops.shape.ShapeError) as caught:
        call(ag)
    assert isinstance(caught.value, ValueError) and isinstance(caught.value, RuntimeError)


def test_an_axis_out_of_range_stays_numpys_axis_error():
    with pytest.raises(np.exceptions.AxisError, match="concatenate"):
        ag.concatenate([ag.zeros(2), ag.zeros(2)], axis=1)


def test_cat_of_empty_vectors_alone_is_empty_along_any_dim_as_torchs():
    # found by porting PyTorch's test_cat_empty_legacy: torch.cat([empty, empty], dim=1) skips both
    torch = pytest.importorskip("torch")
    empty = ag.zeros(0, dtype=np.float32)
    for dim in (0, 1, -2):
        ours, theirs = ag.cat([empty, empty], dim=dim), torch.cat([torch.zeros(0), torch.zeros(0)], dim=dim)
        assert ours.shape == tuple(theirs.shape) == (0,) and ours.dtype == np.float32


@pytest.mark.parametrize("dim", [0, 1, 2, 3, -1, -4])
def test_stack_writes_into_out_as_torchs_and_numpys(dim):
    # found by porting PyTorch's test_tensor_creation_ops (test_stack_out): stack had no out=
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    x, y, z = (rng.integers(-100, 100, (2, 3, 4)).astype(np.int32) for _ in range(3))
    expected = torch.stack([torch.tensor(a) for a in (x, y, z)], dim).numpy()
    out = ag.empty(expected.shape, dtype=np.int32)
    assert ag.stack([ag.tensor(a) for a in (x, y, z)], dim=dim, out=out) is out
    np.testing.assert_array_equal(out.data, expected)
    out = ag.empty(expected.shape, dtype=np.int32)
    np.stack([ag.tensor(a) for a in (x, y, z)], axis=dim, out=out)
    np.testing.assert_array_equal(out.data, np.stack([x, y, z], axis=dim))
    with pytest.raises(ValueError, match="stack: out= has shape"):
        ag.stack([ag.tensor(x)], out=ag.empty((2, 3), dtype=np.int32))


@pytest.mark.parametrize("dims", [(0, 0), (0, -1), (-1, 0), (-1, -1)])
def test_a_0d_tensors_transpose_by_dims_0_and_minus_1_is_itself_as_torchs(dims):
    # (found by porting PyTorch's test_vmap.py, test_transpose's scalar case: a 0-d Tensor takes dims 0 and -1)
    torch = pytest.importorskip("torch")
    x = ag.tensor(2.0, requires_grad=True)
    y = x.transpose(*dims)
    assert y.shape == () and float(y) == 2.0 and torch.tensor(2.0).transpose(*dims).shape == ()
    assert ag.transpose(x, *dims).shape == ()
    y.backward()
    assert float(x.grad) == 1.0
    with pytest.raises(np.exceptions.AxisError, match=r"^transpose: a 0-d input's only axes are 0 and -1 .*got 0 and 1$"):
        x.transpose(0, 1)
