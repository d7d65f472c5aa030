"""PyTorch's tensor_split, hsplit, vsplit, dsplit and swapdims (autograd_core/torch_splits.py), found missing by a port
of PyTorch's test/test_view_ops.py: each piece is a view of the input (a write through it is seen by the input, and
the other way), its gradient g in its place; values against np.array_split/np.hsplit/... and torch where installed."""
import numpy as np
import pytest

import autograd_core as ag

try:
    import torch
except ImportError:
    torch = None


@pytest.mark.parametrize("sections", [7, 3, [2, 9, 30], []])
@pytest.mark.parametrize("dim", [0, 1, -1])
def test_tensor_split_is_np_array_split_along_dim(sections, dim):
    a = ag.randn(40, 30)
    pieces = ag.tensor_split(a, sections, dim)
    expected = np.array_split(a.data, sections, axis=dim)
    assert isinstance(pieces, tuple) and len(pieces) == len(expected)
    for piece, reference in zip(pieces, expected):
        np.testing.assert_array_equal(piece.data, reference)
        assert np.shares_memory(piece.data, a.data) or piece.size == 0
    if torch is not None:
        expected_torch = torch.from_numpy(a.data).tensor_split(sections, dim)
        for piece, reference in zip(a.tensor_split(sections, dim), expected_torch):
            np.testing.assert_array_equal(piece.data, reference.numpy())


def test_tensor_split_takes_a_tensor_as_torchs():
    a = ag.arange(7)
    assert [p.tolist() for p in ag.tensor_split(a, ag.tensor(3))] == [[0, 1, 2], [3, 4], [5, 6]]
    assert [p.tolist() for p in ag.tensor_split(a, ag.tensor([1, 5]))] == [[0], [1, 2, 3, 4], [5, 6]]
    with pytest.raises(TypeError, match="tensor_split: a Tensor as indices_or_sections must be a 0-d or 1-D integer"):
        ag.tensor_split(a, ag.tensor([1.0]))
    with pytest.raises(ValueError, match="tensor_split: input is 0-d"):
        ag.tensor_split(ag.tensor(1.0), 2)


@pytest.mark.parametrize("name,shape,where,index", [("hsplit", (4, 4, 4), (2, 2, 2), (2, 0, 2)),
                                                    ("vsplit", (4, 4, 4), (2, 2, 2), (0, 2, 2)),
                                                    ("dsplit", (4, 4, 4), (2, 2, 2), (2, 2, 0)),
                                                    ("hsplit", (4,), (2,), (0,))])
def test_hsplit_vsplit_dsplit_are_views_as_numpys(name, shape, where, index):
    t = ag.randn(*shape)
    pieces = getattr(ag, name)(t, 2)
    for piece, reference in zip(pieces, getattr(np, name)(t.data, 2)):
        np.testing.assert_array_equal(piece.data, reference)
        assert np.shares_memory(piece.data, t.data)
    t[where] = 7.0  # the input changed: its piece sees it (test_view_ops' t[2, 2, 2] = 7)
    assert float(pieces[1][index]) == 7.0
    assert [p.shape for p in getattr(t, name)([1])] == [r.shape for r in getattr(np, name)(t.data, [1])]


@pytest.mark.parametrize("name,shape,message", [("hsplit", (), "at least 1"), ("vsplit", (4,), "at least 2"),
                                                ("dsplit", (4, 4), "at least 3"), ("hsplit", (2, 3), "equal sections")])
def test_hsplit_vsplit_dsplit_refuse_as_numpy(name, shape, message):
    with pytest.raises(ValueError, match=f"{name}: .*{message}"):
        getattr(ag, name)(ag.zeros(shape), 2)


def test_a_change_through_a_piece_is_recorded_as_torchs():
    a0, w0 = np.random.default_rng(0).standard_normal((6, 4)), np.random.default_rng(1).standard_normal((6, 4))
    a = ag.tensor(a0, requires_grad=True)
    b = a * 1.0
    b.tensor_split(3, 1)[1].mul_(3.0)
    ag.hsplit(b, 2)[0].add_(1.0)
    ((b * ag.tensor(w0)).sum() + (b ** 2).sum()).backward()
    scale = np.ones((6, 4))
    scale[:, 2] = 3.0  # tensor_split(3, 1)[1] of 4 columns is column 2
    b_expected = a0 * scale + np.pad(np.ones((6, 2)), ((0, 0), (0, 2)))
    np.testing.assert_allclose(b.data, b_expected)
    np.testing.assert_allclose(a.grad.data, (w0 + 2 * b_expected) * scale)
    if torch is not None:
        at = torch.tensor(a0, requires_grad=True)
        bt = at * 1.0
        bt.tensor_split(3, 1)[1].mul_(3.0)
        torch.hsplit(bt, 2)[0].add_(1.0)
        ((bt * torch.tensor(w0)).sum() + (bt ** 2).sum()).backward()
        np.testing.assert_allclose(a.grad.data, at.grad.numpy())


def test_swapdims_is_swapaxes_a_view():
    t = ag.ones((5, 5))
    for v in (ag.swapdims(t, 0, 1), t.swapdims(0, 1)):
        assert np.shares_memory(v.data, t.data)
        v[0, 1] = 0.0
        assert float(t[1, 0]) == 0.0
    x = ag.randn(2, 3, 4)
    np.testing.assert_array_equal(ag.swapdims(x, 0, -1).data, np.swapaxes(x.data, 0, -1))
    with pytest.raises(IndexError):
        ag.swapdims(x, 3, 0)


def test_swapdims_and_swapdims__take_pytorchs_keywords_dim0_and_dim1():
    values = np.arange(6.0).reshape(2, 3)
    for swapped in (ag.swapdims(ag.tensor(values), dim0=0, dim1=1), ag.tensor(values).swapdims(dim0=1, dim1=0),
                    ag.tensor(values).swapdims_(dim0=0, dim1=1)):
        np.testing.assert_array_equal(swapped.data, values.T)
    torch = pytest.importorskip("torch")
    np.testing.assert_array_equal(torch.tensor(values).swapdims_(dim0=0, dim1=1).numpy(), values.T)
    np.testing.assert_array_equal(torch.swapdims(torch.tensor(values), dim0=0, dim1=1).numpy(), values.T)


SCALAR_DIMS = [(0, 0), (-1, 0), (0, -1), (-1, -1)]


@pytest.mark.parametrize("dims", SCALAR_DIMS)
def test_swapdims_and_transpose__of_a_0d_tensor_take_its_dims_0_and_minus_1(dims):
    # found by porting PyTorch's OpInfo entries for transpose under its aliases swapdims and swapaxes: torch reads a
    # scalar's dims as [-1, 0], so x.swapdims(0, 0) and x.transpose_(0, 0) of a 0-d x return it; ours raised AxisError
    x = ag.tensor(2.5, requires_grad=True)
    y = x.swapdims(*dims)
    assert y.shape == () and float(y) == 2.5
    (3 * ag.swapdims(x, *dims) + y).backward()
    assert float(x.grad) == 4.0
    for name in ("transpose_", "swapdims_", "swapaxes_"):
        t = ag.tensor(1.5)
        assert getattr(t, name)(*dims) is t and t.shape == () and float(t) == 1.5
    with pytest.raises(IndexError, match=r"^swapdims: a 0-d input's only axes are 0 and -1 .*, got 1 and 0$"):
        x.swapdims(1, 0)  # (review R2: it said "swapaxes: axis 1 is out of bounds ... must be in [0, 0)")
    with pytest.raises(IndexError, match=r"^transpose_: a 0-d input's only axes are 0 and -1 .*, got 1 and 0$"):
        ag.tensor(1.0).transpose_(1, 0)  # (review R3: worded as swapaxes's, by one helper)


@pytest.mark.parametrize("dims", SCALAR_DIMS)
def test_swapdims_and_transpose__of_a_0d_tensor_take_its_dims_0_and_minus_1_as_torch(dims):
    torch = pytest.importorskip("torch")
    assert float(ag.tensor(2.5).swapdims(*dims)) == float(torch.tensor(2.5).swapdims(*dims))
    for lib in (ag, torch):  # (ours as torch's: the same 0-d Tensor back, and an IndexError past its dims)
        t = lib.tensor(1.5)
        assert t.transpose_(*dims) is t and tuple(t.shape) == () and float(t) == 1.5
        with pytest.raises(IndexError):
            lib.tensor(1.0).transpose_(1, 0)


@pytest.mark.parametrize("dims", SCALAR_DIMS)
def test_swapaxes_of_a_0d_tensor_takes_its_dims_0_and_minus_1_as_its_in_place_form(dims):
    # review R2 (B3): x.swapaxes_(0, -1) of a 0-d x worked while x.swapaxes(0, -1) and ag.swapaxes raised AxisError;
    # torch's Tensor.swapaxes returns the scalar (ag.swapaxes takes it too, as ag.transpose and ag.swapdims do)
    x = ag.tensor(2.5, requires_grad=True)
    for y in (x.swapaxes(*dims), ag.swapaxes(x, *dims)):
        assert y.shape == () and float(y) == 2.5
    (3 * x.swapaxes(*dims)).backward()
    assert float(x.grad) == 3.0
    with pytest.raises(IndexError, match=r"^swapaxes: a 0-d input's only axes are 0 and -1 .*, got 0 and 1$"):
        x.swapaxes(0, 1)


@pytest.mark.parametrize("dims", SCALAR_DIMS)
def test_swapaxes_of_a_0d_tensor_as_torchs(dims):
    torch = pytest.importorskip("torch")
    assert tuple(torch.tensor(2.5).swapaxes(*dims).shape) == () and float(torch.tensor(2.5).swapaxes(*dims)) == 2.5
    with pytest.raises(IndexError):
        torch.tensor(2.5).swapaxes(0, 1)


@pytest.mark.parametrize("shape, axis", [((), 0.0), ((), True), ((), "0"), ((), None), ((2, 3), 0.0),
                                         ((2, 3), "0"), ((2, 3), None)])  # (a bool on 2-d: NumPy's int, kept)
def test_swapaxes_of_a_0d_tensor_refuses_a_non_int_axis_with_a_type_error_as_on_2d(shape, axis):
    # review R3: a 0-d input said AxisError ("only axes are 0 and -1 ..., got 0.0 and 0"), a 2-d one TypeError, and
    # torch TypeError for both
    for call in (lambda: ag.zeros(shape).swapaxes(axis, 0), lambda: ag.swapdims(ag.zeros(shape), 0, axis)):
        with pytest.raises(TypeError, match=r"^(swapaxes|swapdims): each axis must be an int"):
            call()
