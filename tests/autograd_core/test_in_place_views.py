"""In-place changes through views of a recorded result (autograd_core/in_place_record.py, _take_through_views), as
PyTorch's CopySlices: Barlow Twins' `torch.diagonal(c).add_(-1)`, EfficientNet's in-place dropout on a flattened
activation, `v = h[1:]; v[0] = w`. The base takes the record of itself with the view's new values written in, every
view of it the record of that view of the new base: each name sees the change, and gradients are PyTorch's. Checked
against central finite differences (first and second order) and, where installed, PyTorch itself."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import autograd_core as ag
from autograd_core.testing import gradcheck, gradgradcheck

try:
    import torch
except ImportError:  # (the finite-difference checks stand alone)
    torch = None


def _lib(x):
    return torch if torch is not None and isinstance(x, torch.Tensor) else ag


def _diagonal_add(a, b):  # Barlow Twins: c = z1.T @ z2; on_diag = torch.diagonal(c).add_(-1).pow_(2).sum()
    c = a.T @ b
    _lib(a).diagonal(c).add_(-1)
    return (c * c).sum()


def _flatten_then_scale(x):  # EfficientNet: x = torch.flatten(x, 1); x = dropout(x, inplace=True) (a fixed mask)
    feat = x * 2
    flat = feat.reshape(feat.shape[0], -1)
    flat.mul_(3)
    return (flat.sum(1) * flat.sum(1)).sum() + (feat * feat).sum()


def _base_relu_with_a_view(x):
    h = x * 2
    row = h[0]
    h.relu_()
    return (row * row).sum() + h.sum()


def _view_of_a_view(x):
    h = x * 2
    column = h.reshape(2, 3)[:, 1]
    column.mul_(5)
    return (h * h).sum() + column.sum()


def _use_before_the_change(x):
    h = x * 2
    before = h * 10  # recorded before the change: its gradient is at the value it used
    tail = h[1:]
    tail.add_(1)
    return before.sum() + (h * h).sum()


def _assignment_into_a_view(x, y):
    h = x * 1
    tail = h[1:]
    tail[0] = y[0] * 7
    return (h * h).sum()


def _transposed_view(x):
    h = x + 0
    h.T.mul_(x[0].reshape(3, 1))
    return (h ** 2).sum()


def _overlapping_views(x):
    h = x * 3
    row, column = h[0], h[:, 1]
    row.add_(1.5)
    column.mul_(2)
    return (column * column).sum() + (h * 2).sum() + row.sum()


def _several_changes(x):
    h = x * 1
    row = h[1]
    row.mul_(2)
    row.add_(h[0])
    h.exp_()
    return (h * row.reshape(1, -1)).sum()


def _change_by_a_view_of_itself(x):
    h = x * 2
    head = h[0]
    h.mul_(head)  # the product uses head's old value; afterwards head is the new h's first row (PyTorch refuses:
    return (head * head).sum() + h.sum()  # "some elements ... refer to a single memory location")


CASES = [
    (_diagonal_add, [(5, 3), (5, 3)]),
    (_flatten_then_scale, [(2, 3, 2)]),
    (_base_relu_with_a_view, [(3, 4)]),
    (_view_of_a_view, [(6,)]),
    (_use_before_the_change, [(4,)]),
    (_assignment_into_a_view, [(4,), (2,)]),
    (_transposed_view, [(2, 3)]),
    (_overlapping_views, [(3, 3)]),
    (_several_changes, [(2, 3)]),
    (_change_by_a_view_of_itself, [(2, 3)]),
]
IDS = [f.__name__.strip("_") for f, _ in CASES]
TORCH_CASES = [(f, shapes) for f, shapes in CASES if f is not _change_by_a_view_of_itself]


def _inputs(shapes, seed=0):
    rng = np.random.default_rng(seed)
    return [rng.uniform(0.5, 1.5, shape) * rng.choice([-1, 1], shape) for shape in shapes]  # away from relu's kink


@pytest.mark.parametrize("f, shapes", CASES, ids=IDS)
def test_gradients_through_a_changed_view_match_finite_differences(f, shapes):
    arrays = _inputs(shapes)
    assert gradcheck(f, *[ag.tensor(a, requires_grad=True) for a in arrays])


@pytest.mark.parametrize("f, shapes", CASES, ids=IDS)
def test_second_derivatives_through_a_changed_view_match_finite_differences(f, shapes):
    arrays = _inputs(shapes, seed=1)
    assert gradgradcheck(f, *[ag.tensor(a, requires_grad=True) for a in arrays])


@pytest.mark.skipif(torch is None, reason="PyTorch is not installed")
@pytest.mark.parametrize("f, shapes", TORCH_CASES, ids=[f.__name__.strip("_") for f, _ in TORCH_CASES])
def test_values_and_gradients_are_pytorchs(f, shapes):
    arrays = _inputs(shapes, seed=2)
    ours = [ag.tensor(a, requires_grad=True) for a in arrays]
    theirs = [torch.tensor(a, requires_grad=True) for a in arrays]
    loss, expected = f(*ours), f(*theirs)
    loss.backward()
    expected.backward()
    np.testing.assert_allclose(loss.data, expected.detach().numpy(), rtol=1e-13)
    for mine, torchs in zip(ours, theirs):
        np.testing.assert_allclose(mine.grad.data, torchs.grad.numpy(), rtol=1e-13, atol=1e-14)


def test_every_name_sees_the_change_and_the_old_values_stay_with_the_old_records():
    x = ag.tensor([1.0, -2.0, 3.0, -4.0], requires_grad=True)
    h = x * 2
    alias, head, tail = h, h[:2], h[1:]
    tail.mul_(10)
    np.testing.assert_array_equal(h.data, [2.0, -40.0, 60.0, -80.0])  # NumPy: the view's memory is the base's
    assert alias is h and head.tolist() == [2.0, -40.0] and tail.tolist() == [-40.0, 60.0, -80.0]
    assert np.shares_memory(h.data, tail.data) and np.shares_memory(h.data, head.data)
    tail.add_(1)  # the views share the base's new memory: a second change goes through as well
    assert h.tolist() == [2.0, -39.0, 61.0, -79.0] and head.tolist() == [2.0, -39.0]
    (head.sum() + h.sum()).backward()
    np.testing.assert_array_equal(x.grad.data, [4.0, 40.0, 20.0, 20.0])  # d/dx: 2 (h) + 2 (head) on x0, 10 * 2 (tail)


def test_a_detached_copy_or_a_view_taken_under_no_grad_is_still_refused():
    x = ag.tensor([1.0, 2.0, 3.0], requires_grad=True)
    h = x * 2
    detached = h.detach()  # shares h's memory, as PyTorch's; it is no recorded view to rebase
    with pytest.raises(RuntimeError, match=r"^mul_: the input \(shape \(3,\)\) shares its memory with another Tensor "
                                           r"that is not a recorded view of the same result"):
        h.mul_(2)
    assert detached.tolist() == h.tolist() == [2.0, 4.0, 6.0]
    g = x * 2
    with ag.no_grad():
        unrecorded = g[1:]
    with pytest.raises(RuntimeError, match=r"not a recorded view of the same result"):
        g[:2].add_(1)
    assert unrecorded.tolist() == [4.0, 6.0]


def test_a_view_retaining_its_gradient_gets_none_when_its_base_changes_as_pytorch():
    """The view's new record is a view of the changed base, which the loss below does not use: no gradient reaches
    it, as PyTorch's (whose CopySlices goes by the view's node too); the base's own gradient is unchanged."""
    def run(lib, new):
        x = new([-1.0, 2.0, 3.0])
        h = x * 2
        tail = h[1:]
        tail.retain_grad()
        h.relu_()
        (h * h).sum().backward()
        return tail.grad, x.grad

    tail_grad, x_grad = run(ag, lambda v: ag.tensor(v, requires_grad=True))
    assert tail_grad is None and x_grad.tolist() == [0.0, 16.0, 24.0]  # d/dx (2 relu(x))^2 = 8 relu(x)
    if torch is not None:
        torch_tail_grad, torch_x_grad = run(torch, lambda v: torch.tensor(v, dtype=torch.float64, requires_grad=True))
        assert torch_tail_grad is None and torch_x_grad.tolist() == x_grad.tolist()


def test_a_view_the_change_used_sees_the_change_afterwards():
    x = ag.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    h = x * 1
    head = h[0]
    h.mul_(head)
    assert h.tolist() == [[1.0, 4.0], [3.0, 8.0]] and head.tolist() == [1.0, 4.0]


# ---- random programs: chains of views, changes through them, uses before and after --------------------------------
_VIEWS = {
    "row": lambda t: t[1] if t.ndim == 2 else t,  # (a 0-d element is NumPy's copy here, not a view: left out)
    "columns": lambda t: t[:, 1:] if t.ndim == 2 else t,
    "transpose": lambda t: t.T if t.ndim == 2 else t,
    "flat": lambda t: t.reshape(-1) if t.ndim == 2 else t,  # (a copy when t is not contiguous, in both engines)
    "diagonal": lambda t: _lib(t).diagonal(t) if t.ndim == 2 else t,
    "tail": lambda t: t[1:] if t.ndim and t.shape[0] > 1 else t,
}
_CHANGES = {"add": lambda t: t.add_(0.5), "mul": lambda t: t.mul_(1.5), "relu": lambda t: t.relu_()}


def _random_program(seed):
    """A program of 2 to 4 changes, each through a chain of up to three views of h (or to h itself), with uses of the
    views before and after; the sum of all of them, as a function of x."""
    import random

    def program(x):
        rng = random.Random(seed)
        h = x * 1.5 + 0.1

        def some_view():
            view = h
            for _ in range(rng.randint(1, 3)):
                view = _VIEWS[rng.choice(sorted(_VIEWS))](view)
            return view
        total, kept = 0, []
        for _ in range(rng.randint(2, 4)):
            view = some_view()
            if rng.random() < 0.5:
                total = total + (view * 2).sum()  # a use before a later change
            if rng.random() < 0.5:
                kept.append(some_view())
            _CHANGES[rng.choice(["add", "mul", "add", "mul", "relu"])](view if rng.random() < 0.8 else h)
            kept.append(view)
        total = total + (h * _lib(x).arange(12.0, dtype=x.dtype).reshape(3, 4)).sum()
        for view in kept:
            total = total + (view * view).sum()
        return total
    return program


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2 ** 32 - 1))
def test_random_programs_of_changes_through_views_match_finite_differences_and_pytorch(seed):
    program = _random_program(seed)
    x = np.random.default_rng(seed % 1000).uniform(0.5, 1.5, (3, 4)) * np.array([1, -1, 1, -1])  # off relu's kink
    assert gradcheck(program, ag.tensor(x, requires_grad=True))
    if torch is None:
        return
    theirs = torch.tensor(x, requires_grad=True)
    try:
        expected = program(theirs)
        expected.backward()
    except RuntimeError:  # PyTorch refuses a change to a value a recorded use saved (relu_ after a product)
        return
    ours = ag.tensor(x, requires_grad=True)
    loss = program(ours)
    loss.backward()
    np.testing.assert_allclose(loss.data, expected.detach().numpy(), rtol=1e-13)
    np.testing.assert_allclose(ours.grad.data, theirs.grad.numpy(), rtol=1e-13, atol=1e-13)
