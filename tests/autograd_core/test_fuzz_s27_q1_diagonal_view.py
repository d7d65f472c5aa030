"""Found by fuzzing views against PyTorch (session 27, Q1): t.diagonal() was a copy (an advanced index), so a write
through it, PyTorch's idiom `w.diagonal().fill_(1)` under no_grad, silently left w as it was. It is a view now, as
torch.diagonal's, sharing w's version count; ag.diag of a matrix stays a copy, as torch.diag's."""
import numpy as np
import pytest

import autograd_core as ag
from autograd_core.testing import gradgradcheck

try:  # (optional: CI has no PyTorch; a writable NumPy diagonal stands in for torch's view without it)
    import torch
except ImportError:
    torch = None


def _writable_diagonal(a, offset=0, axis1=0, axis2=1):
    """NumPy's diagonal view of a, made writable: torch.diagonal's meaning, written out with NumPy."""
    view = np.diagonal(a, offset, axis1, axis2)
    view.flags.writeable = True
    return view


@pytest.mark.parametrize("offset, axis1, axis2", [(0, 0, 1), (1, 0, 1), (-1, 1, 0), (1, 2, 0), (0, -1, -3)])
def test_a_write_through_diagonal_reaches_the_tensor_as_in_pytorch(offset, axis1, axis2):
    x = np.arange(24.0).reshape(2, 3, 4)
    ours = ag.tensor(x)
    d = ours.diagonal(offset, axis1, axis2)
    d += 1.5
    d.fill_(-2.0)[..., :1] = 7.0
    expected = x.copy()
    view = _writable_diagonal(expected, offset, axis1, axis2)
    view[...] = -2.0
    view[..., :1] = 7.0
    np.testing.assert_array_equal(ours.data, expected)
    np.testing.assert_array_equal(d.data, view)
    if torch is not None:
        theirs = torch.tensor(x)
        dt = theirs.diagonal(offset, axis1, axis2)
        dt += 1.5
        dt.fill_(-2.0)[..., :1] = 7.0
        np.testing.assert_array_equal(ours.data, theirs.numpy())


def test_fill_diagonal_of_a_leaf_under_no_grad_is_counted():
    w = ag.tensor(np.ones((3, 3)), requires_grad=True)
    loss = (w * w).sum()
    with ag.no_grad():
        w.diagonal().fill_(0.0)
    np.testing.assert_array_equal(w.data, 1 - np.eye(3))
    with pytest.raises(RuntimeError, match="changed in place"):
        loss.backward()


def test_a_constant_saved_by_a_node_refuses_after_a_write_through_its_diagonal():
    w = ag.tensor(np.ones((2, 2)), requires_grad=True)
    c = ag.tensor(np.arange(4.0).reshape(2, 2))
    loss = (w * c).sum()
    c.diagonal()[:] = 9.0
    with pytest.raises(RuntimeError, match="changed in place"):
        loss.backward()


def test_diagonal_values_and_gradients_as_pytorchs_to_second_order():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((3, 2, 4))
    ours = ag.tensor(x, requires_grad=True)
    g = rng.standard_normal((2, 2))
    (ours.diagonal(1, 2, 0) * ag.tensor(g)).sum().backward()
    expected = np.zeros_like(x)  # g back on the diagonal, zeros elsewhere
    _writable_diagonal(expected, 1, 2, 0)[...] = g
    np.testing.assert_array_equal(ours.grad.data, expected)
    if torch is not None:
        theirs = torch.tensor(x, requires_grad=True)
        (theirs.diagonal(1, 2, 0) * torch.tensor(g)).sum().backward()
        np.testing.assert_array_equal(ours.grad.data, theirs.grad.numpy())
    assert gradgradcheck(lambda v: (ag.diagonal(v, -1, 0, 2) ** 2).sum() + ag.trace(v, 1, 1, 2).sum(), [x])


def test_diag_of_a_matrix_stays_a_copy_as_torch_diag():
    c = ag.tensor(np.arange(4.0).reshape(2, 2))
    d = ag.diag(c)
    d += 1
    np.testing.assert_array_equal(c.data, np.arange(4.0).reshape(2, 2))


def test_diagonal_takes_pytorchs_dim1_and_dim2():
    x = np.arange(24.0).reshape(2, 3, 4)
    np.testing.assert_array_equal(ag.tensor(x).diagonal(1, dim1=2, dim2=0).data, np.diagonal(x, 1, 2, 0))
    np.testing.assert_array_equal(ag.tensor(x).diagonal(dim1=1, dim2=2).data, np.diagonal(x, 0, 1, 2))
    if torch is not None:
        np.testing.assert_array_equal(ag.tensor(x).diagonal(1, dim1=2, dim2=0).data,
                                      torch.tensor(x).diagonal(1, dim1=2, dim2=0).numpy())
    with pytest.raises(TypeError, match="give one of them"):
        ag.tensor(x).diagonal(0, 2, dim1=1)
