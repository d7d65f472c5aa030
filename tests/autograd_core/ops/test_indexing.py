"""Indexing (autograd_core/ops/indexing.py): the memory layout of a pick. Values and gradients against NumPy-hand
references, and against torch where it is installed."""
import numpy as np
import pytest

import autograd_core as ag
from autograd_core.testing import gradcheck


@pytest.mark.parametrize("index", [
    (slice(None), [3, 1, 2], slice(None)),  # NumPy walks the integer array's axis first: strides (8, 32, 8)
    (slice(None), [[0, 2], [1, 1]]),
    (Ellipsis, [0, 0]),
    (slice(1, 3), [4, 0], 0),
])
def test_a_pick_mixing_slices_and_integer_arrays_is_c_ordered_as_torchs(index):
    # EmilienDupont's neural processes: x[:, locations, :] then x.view(batch_size * num_points, x_dim)
    values = np.arange(4 * 5 * 2.0).reshape(4, 5, 2)
    x = ag.tensor(values, requires_grad=True)
    picked = x[index]
    np.testing.assert_array_equal(picked.data, values[index])
    assert picked.data.flags.c_contiguous
    flat = picked.view(-1)
    (flat * np.arange(flat.shape[0])).sum().backward()
    expected = np.zeros(values.shape)
    np.add.at(expected, index, np.arange(flat.shape[0], dtype=float).reshape(picked.shape))
    np.testing.assert_array_equal(x.grad.data, expected)
    assert gradcheck(lambda t: t[index].view(-1) ** 2, values)
    torch = pytest.importorskip("torch")
    theirs = torch.tensor(values)[tuple(torch.tensor(i) if isinstance(i, list) else i for i in index)]
    np.testing.assert_array_equal(picked.view(-1).data, theirs.view(-1).numpy())


def test_basic_indexing_stays_a_view_with_its_strides():
    x = ag.tensor(np.arange(24.0).reshape(4, 6))
    every_other = x[1:, ::2]
    assert np.shares_memory(every_other.data, x.data) and not every_other.data.flags.c_contiguous
    x.T[:, 1:][0, 0] = -1.0  # a view of a view writes through to x
    assert x.data[1, 0] == -1.0


# ---- one element taken by integers is a 0-d view of the base's memory, as PyTorch's (NumPy's scalar is a copy) ----
def _torch_index(torch, index):
    """index with an integer Tensor, as ours, made torch's."""
    if isinstance(index, ag.Tensor):
        return torch.tensor(index.item())
    return tuple(_torch_index(torch, i) for i in index) if isinstance(index, tuple) else index


_CHANGES = {  # the change through the element e, and what it writes there
    "fill_": (lambda e: e.fill_(1.5), lambda old: 1.5),
    "+=": (lambda e: e.__iadd__(1.0), lambda old: old + 1.0),
    "copy_": (lambda e: e.copy_(e * 0 + 7.0), lambda old: 7.0),
    "zero_": (lambda e: e.zero_(), lambda old: 0.0),
    "relu_": (lambda e: e.relu_(), lambda old: max(old, 0.0)),
}
_ELEMENT_INDICES = [0, -1, np.int64(2), np.int32(-3), (1, 2), (-1, np.int64(0)), "tensor"]


@pytest.mark.parametrize("change", sorted(_CHANGES))
@pytest.mark.parametrize("at", range(len(_ELEMENT_INDICES)))
def test_an_element_changed_in_place_under_no_grad_changes_its_leaf_as_pytorchs(change, at):
    # ported code's `bias[0].fill_(1.0)`, `t[i].zero_()`, `x[i] += 1` under no_grad on a parameter
    index = _ELEMENT_INDICES[at]
    values = np.array([[-1.0, 2.0, -3.0], [4.0, -5.0, 6.0]]) if type(index) is tuple else np.array([-1.0, 2.0, -3.0])
    index = ag.tensor(1) if isinstance(index, str) else index
    leaf = ag.tensor(values, requires_grad=True)
    apply, written = _CHANGES[change]
    position = index.item() if isinstance(index, ag.Tensor) else index
    expected = values.copy()
    expected[position] = written(values[position])
    with ag.no_grad():
        element = leaf[index]
        apply(element)
    np.testing.assert_array_equal(leaf.data, expected)
    assert element.item() == expected[position] and element.shape == ()
    assert leaf._version == element._version == 1  # one version count, shared
    torch = pytest.importorskip("torch")
    theirs = torch.tensor(values, requires_grad=True)
    with torch.no_grad():
        apply(theirs[_torch_index(torch, index)])
    np.testing.assert_array_equal(leaf.data, theirs.detach().numpy())
    assert theirs._version == leaf._version


def test_an_augmented_assignment_to_an_element_under_no_grad_counts_as_pytorchs():
    # `b[0] += 1` is Python's `e = b[0]; e += 1; b[0] = e`: the change through the view, then a copy onto itself
    def change(b, no_grad):
        with no_grad():
            b[0] += 1
            b[-1] *= 4
        return b

    b = change(ag.tensor([1.0, 2.0, 3.0], requires_grad=True), ag.no_grad)
    np.testing.assert_array_equal(b.data, [2.0, 2.0, 12.0])
    assert b._version == 4
    torch = pytest.importorskip("torch")
    theirs = change(torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64, requires_grad=True), torch.no_grad)
    np.testing.assert_array_equal(b.data, theirs.detach().numpy())
    assert theirs._version == b._version

def test_an_element_sees_a_later_change_to_its_base_and_converts_prints_and_compares_as_before():
    t = ag.tensor([1.0, 2.0, 3.0])
    element, corner = t[1], ag.tensor([[1.0, 2.0], [3.0, 4.0]])[1][0]  # an element of a row view: a view too
    t.add_(1)
    assert float(element) == element.item() == 3.0 and type(element.item()) is float
    assert repr(element) == "Tensor(3.)" and f"{element:.1f}" == "3.0" and bool(element == 3.0) and element < 4
    assert corner.item() == 3.0 and np.shares_memory(element.data, t.data)
    assert type(t.data[0]) is np.float64  # an ndarray's own element stays NumPy's scalar, a copy
    d = t.data[0]
    d += 5
    assert t.data[0] == 2.0
    for e in t:  # iteration gives the elements as views
        e.relu_() if e < 3 else e.mul_(-1)
    np.testing.assert_array_equal(t.data, [2.0, -3.0, -4.0])


def _scaled_element(w):
    h = w * 2
    h[0].mul_(3)  # recorded: PyTorch's CopySlices writes the change into h
    return h * h


def test_a_recorded_element_changed_in_place_changes_its_base_with_pytorchs_gradient():
    values = np.array([1.0, 2.0, 3.0])
    w = ag.tensor(values, requires_grad=True)
    h = _scaled_element(w)
    np.testing.assert_array_equal(h.data, [36.0, 16.0, 36.0])
    h.sum().backward()
    np.testing.assert_array_equal(w.grad.data, [72.0, 16.0, 24.0])  # d(6w0)^2 = 72 w0, d(2w)^2 = 8 w
    assert gradcheck(_scaled_element, values)
    torch = pytest.importorskip("torch")
    theirs = torch.tensor(values, requires_grad=True)
    _scaled_element(theirs).sum().backward()
    np.testing.assert_array_equal(w.grad.data, theirs.grad.numpy())


def test_an_element_taken_before_its_recorded_base_changes_sees_the_change_with_pytorchs_gradient():
    def element_after_add(w):
        h = w * 2
        element = h[1]
        h.add_(1)
        return element * element

    values = np.array([1.0, 2.0, 3.0])
    w = ag.tensor(values, requires_grad=True)
    out = element_after_add(w)
    assert out.item() == 25.0
    out.backward()
    np.testing.assert_array_equal(w.grad.data, [0.0, 20.0, 0.0])  # 2 (2 w1 + 1) * 2
    torch = pytest.importorskip("torch")
    theirs = torch.tensor(values, requires_grad=True)
    element_after_add(theirs).backward()
    np.testing.assert_array_equal(w.grad.data, theirs.grad.numpy())


def test_a_graph_that_saved_an_element_refuses_backward_after_its_base_changed_under_no_grad_as_pytorch():
    w = ag.tensor([1.0, 2.0, 3.0], requires_grad=True)
    element = w[1]
    square = element * element  # saved the element's value, which the change overwrites
    with ag.no_grad():
        w.add_(1)
    assert element.item() == 3.0
    with pytest.raises(RuntimeError, match="changed"):
        square.backward()


def test_a_constant_with_a_live_element_refuses_a_recorded_change_rather_than_leaving_the_element_stale():
    # PyTorch records the element anew as a view of the changed constant (e is then 1.0); here, as for any view of a
    # constant, the change is refused while the view lives, never leaving e at its old value unseen
    w = ag.tensor([1.0, 2.0, 3.0], requires_grad=True)
    c = ag.zeros(3)
    element = c[0]
    with pytest.raises(RuntimeError, match="shares its memory with a view"):
        c += w
    del element
    c += w  # no view left: c takes the record
    c.sum().backward()
    np.testing.assert_array_equal(w.grad.data, [1.0, 1.0, 1.0])


@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.int16])
def test_a_0d_integer_tensor_index_is_an_integer_so_picks_a_view_as_torchs(dtype):
    # found by porting PyTorch's test_indexing.py (test_getitem_scalars: "indexing by a scalar should slice (not
    # copy)"); NumPy's 0-d integer array is an advanced index, a copy
    torch = pytest.importorskip("torch")
    values = np.arange(6.0).reshape(2, 3)
    x, i = ag.tensor(values), ag.tensor(1, dtype=dtype)
    row = x[i]
    assert np.shares_memory(row.data, x.data)
    row.fill_(-1.0)  # changes x, as PyTorch's
    theirs = torch.tensor(values)
    theirs[torch.tensor(1, dtype=getattr(torch, np.dtype(dtype).name))].fill_(-1.0)
    np.testing.assert_array_equal(x.data, theirs.numpy())
    w = ag.tensor(values, requires_grad=True)
    (w[i, ag.tensor([0, 2])] * ag.tensor([2.0, 3.0])).sum().backward()  # beside an integer array, as x[1, [0, 2]]
    np.testing.assert_array_equal(w.grad.data, [[0, 0, 0], [2, 0, 3]])
