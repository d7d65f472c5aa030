"""In-place changes through views of a recorded result (autograd_core/in_place_record.py, _take_through_views), as
PyTorch's CopySlices: Barlow Twins' `torch.diagonal(c).add_(-1)`, EfficientNet's in-place dropout on a flattened
activation, `v = h[1:]; v[0] = w`. The base takes the record of itself with the view's new values written in, every
view of it the record of that view of the new base: each name sees the change, and gradients are PyTorch's. Checked
against central finite differences (first and second order) and, where installed, PyTorch itself."""
import numpy as np
import pytest
from hypothesis import example, given, settings, strategies as st

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
    "row": lambda t: t[1] if t.ndim == 2 and t.shape[0] > 1 else t,  # ("tail" may leave one row)
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
@example(seed=128616)  # ("tail" then "row" indexed a one-row matrix)
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


# ---- a view taken under no_grad of a Tensor that requires grad: PyTorch's CreationMeta.NO_GRAD_MODE -----------------
_NO_GRAD_VIEWS = {
    "row": lambda w: w[0],
    "transpose": lambda w: w.T,
    "view": lambda w: w.view(4),
    "narrow": lambda w: w.narrow(0, 0, 1),
    "slice": lambda w: w[:1],
}
_NUMPY_INDEX = {"row": 0, "transpose": Ellipsis, "view": Ellipsis, "narrow": slice(0, 1), "slice": slice(0, 1)}
# each change while recording, and the values it gives w (float64, [[1, -2], [3, 4]]) where it is allowed
_NO_GRAD_VIEW_CHANGES = {
    "mul_(y)": lambda v, y: v.mul_(y),
    "+= y": lambda v, y: v.__iadd__(y),
    "copy_(y)": lambda v, y: v.copy_(y),
    "v[0] = y": lambda v, y: v.__setitem__(0, y),
    "mul_(2)": lambda v, y: v.mul_(2.0),
    "v[0] = 2": lambda v, y: v.__setitem__(0, 2.0),
    "relu_": lambda v, y: v.relu_(),
    "zero_": lambda v, y: v.zero_(),
}


def _weights(lib, leaf):
    """w, [[1, -2], [3, 4]] as float64: a leaf that requires grad, or a recorded result (p * 1)."""
    start = lib.tensor([[1.0, -2.0], [3.0, 4.0]], dtype=lib.float64, requires_grad=True)
    return start if leaf else start * 1


@pytest.mark.parametrize("view", sorted(_NO_GRAD_VIEWS))
@pytest.mark.parametrize("change", sorted(_NO_GRAD_VIEW_CHANGES))
@pytest.mark.parametrize("leaf", [True, False], ids=["leaf", "recorded"])
@pytest.mark.parametrize("value_requires_grad", [True, False], ids=["y_requires_grad", "y_constant"])
def test_a_view_taken_under_no_grad_changed_in_place_while_recording_is_refused_as_pytorch(
        view, change, leaf, value_requires_grad):
    """`with no_grad(): v = w[0]` then `v.mul_(y)` while recording: PyTorch refuses it, whatever the value (its view
    requires grad, as w does), and so does autograd_core, leaving w as it was (it used to be written into w)."""
    def attempt(lib):
        w = _weights(lib, leaf)
        with lib.no_grad():
            v = _NO_GRAD_VIEWS[view](w)
        y = lib.tensor(0.5, dtype=lib.float64, requires_grad=value_requires_grad)
        with pytest.raises(RuntimeError) as refusal:
            _NO_GRAD_VIEW_CHANGES[change](v, y)
        assert w.tolist() == [[1.0, -2.0], [3.0, 4.0]]
        return str(refusal.value)

    message = attempt(ag)
    base = "a leaf Tensor that requires grad" if leaf else "a Tensor that requires grad"
    assert f"is a view of {base} taken under ag.no_grad() (or a view of such a view), and is being changed in " \
           f"place while gradients are recorded" in message
    assert message.startswith(("mul_: ", "+=: ", "copy_: ", "item assignment at index 0: ", "relu_: ", "zero_: "))
    assert "make the change under `with ag.no_grad():` too" in message
    assert ("take the view outside no_grad" in message) is not leaf
    if torch is not None:
        assert "created in no_grad mode" in attempt(torch)


@pytest.mark.parametrize("view", sorted(_NO_GRAD_VIEWS))
@pytest.mark.parametrize("leaf", [True, False], ids=["leaf", "recorded"])
def test_a_view_taken_under_no_grad_changed_under_no_grad_writes_into_its_base_as_pytorch(view, leaf):
    def run(lib):
        w = _weights(lib, leaf)
        with lib.no_grad():
            v = _NO_GRAD_VIEWS[view](w)
            v.mul_(lib.tensor(0.5, dtype=lib.float64, requires_grad=True))
            v += 1
        return w.detach().numpy()

    expected = np.array([[1.0, -2.0], [3.0, 4.0]])
    picked = expected[_NUMPY_INDEX[view]]  # NumPy's view of the same elements
    picked *= 0.5
    picked += 1
    np.testing.assert_array_equal(run(ag), expected)
    if torch is not None:
        np.testing.assert_array_equal(run(torch), expected)


def test_a_view_of_a_view_taken_under_no_grad_is_refused_and_a_detached_copy_is_changed_as_pytorch():
    def run(lib):
        w = _weights(lib, leaf=True)
        with lib.no_grad():
            v = w[0]
        inner = v[1:]  # taken while recording: a view of a view taken under no_grad, refused as that one
        with pytest.raises(RuntimeError):
            inner.mul_(2.0)
        v.detach().mul_(2.0)  # a detached copy (of it, or of w, or a view of one) is changed, as in PyTorch
        w.detach()[1].add_(1.0)
        with lib.no_grad():
            d = w.detach()[:, 0]
        d.sub_(1.0)
        return w.detach().numpy()

    expected = [[1.0, -4.0], [3.0, 5.0]]  # row 0 doubled, row 1 plus 1, then column 0 minus 1
    np.testing.assert_array_equal(run(ag), expected)
    if torch is not None:
        np.testing.assert_array_equal(run(torch), expected)
    w = _weights(ag, leaf=True)
    with ag.no_grad():
        v = w[0]
    with pytest.raises(RuntimeError, match=r"^mul_: this Tensor \(shape \(1,\)\) is a view of a leaf Tensor that "
                                           r"requires grad taken under ag.no_grad\(\) \(or a view of such a view\)"):
        v[1:].mul_(2.0)


@pytest.mark.parametrize("leaf", [True, False], ids=["leaf", "recorded"])
def test_a_view_taken_under_no_grad_is_refused_a_change_while_recording_after_its_base_is_gone(leaf):
    # the mark is the view's own: with w collected, a value that requires grad was written in and recorded
    import gc

    def view(lib):
        w = _weights(lib, leaf)
        with lib.no_grad():
            return w[0]
    for lib in (ag,) if torch is None else (ag, torch):
        v = view(lib)
        gc.collect()
        with pytest.raises(RuntimeError):
            v.mul_(2.0)
        with pytest.raises(RuntimeError):
            v.mul_(lib.tensor([3.0, 3.0], dtype=lib.float64, requires_grad=True))
        assert v.tolist() == [1.0, -2.0]


def test_a_view_of_a_constant_taken_under_no_grad_is_changed_by_a_constant_while_recording_as_pytorch():
    def run(lib):
        c = lib.tensor([[1.0, -2.0], [3.0, 4.0]], dtype=lib.float64)
        with lib.no_grad():
            v = c[0]
        v.mul_(3.0)  # nothing requires grad: PyTorch's check does not apply
        v[1] = 7.0
        return c.numpy()

    np.testing.assert_array_equal(run(ag), [[3.0, 7.0], [3.0, 4.0]])
    if torch is not None:
        np.testing.assert_array_equal(run(torch), [[3.0, 7.0], [3.0, 4.0]])


# ---- hooks on a view changed through itself: they stay with the old grad_fn, which CopySlices passes by -----------
def _hooked_view_run(lib, used_before, change="mul"):
    """h = 2x; v = h[1:] with a hook; v changed through itself; loss = h . [1, 10, 100] (+ 3v . [1000, 10000], a use
    of v recorded before the change). Returns x.grad and what the hook saw."""
    x = lib.tensor([1.0, 2.0, 3.0], dtype=lib.float64, requires_grad=True)
    h = x * 2
    v = h[1:]
    seen = []
    earlier = v * 3 if used_before else None
    v.register_hook(lambda g: seen.append(g.tolist()))
    if change == "mul":
        v.mul_(2)
    elif change == "item":
        v[0] = lib.tensor(5.0, dtype=lib.float64, requires_grad=True)
    else:
        v += lib.tensor([1.0, 1.0], dtype=lib.float64, requires_grad=True)
    loss = (h * lib.tensor([1.0, 10.0, 100.0], dtype=lib.float64)).sum()
    if used_before:
        loss = loss + (earlier * lib.tensor([1000.0, 10000.0], dtype=lib.float64)).sum()
    loss.backward()
    return x.grad.tolist(), seen


@pytest.mark.parametrize("used_before, change, x_grad, seen", [
    (False, "mul", [2.0, 40.0, 400.0], []),  # d/dx of 2x0 + 10 (4 x1) + 100 (4 x2); the hook never fires
    (True, "mul", [2.0, 6040.0, 60400.0], [[3000.0, 30000.0]]),  # + 1000 (6 x1) + 10000 (6 x2): the earlier use's
    (False, "item", [2.0, 0.0, 200.0], []),  # v[0] = 5 overwrites h[1]
    (False, "add", [2.0, 20.0, 200.0], []),
])
def test_a_hook_on_a_view_changed_through_itself_gets_only_earlier_uses_gradient_as_pytorch(
        used_before, change, x_grad, seen):
    """PyTorch's hook stays with the view's old grad_fn, which the change's CopySlices passes by (it sends the
    gradient to the base's old grad_fn directly): it fires only for uses of the view recorded before the change."""
    assert _hooked_view_run(ag, used_before, change) == (x_grad, seen)
    if torch is not None:
        assert _hooked_view_run(torch, used_before, change) == (x_grad, seen)


def test_hooks_on_a_view_between_the_changed_view_and_its_base_never_fire_and_the_base_hook_does_as_pytorch():
    def run(lib):
        x = lib.tensor([1.0, 2.0, 3.0, 4.0], dtype=lib.float64, requires_grad=True)
        h = x * 2
        v = h[1:]
        inner = v[1:]
        seen = []
        h.register_hook(lambda g: seen.append(("h", g.tolist())))
        v.register_hook(lambda g: seen.append(("v", g.tolist())))
        inner.register_hook(lambda g: seen.append(("inner", g.tolist())))
        inner.mul_(3)
        inner.mul_(2)  # twice: the hooks of the first change's record are passed by as well
        (h * lib.tensor([1.0, 10.0, 100.0, 1000.0], dtype=lib.float64)).sum().backward()
        return x.grad.tolist(), seen

    expected = ([2.0, 20.0, 1200.0, 12000.0], [("h", [1.0, 10.0, 600.0, 6000.0])])
    assert run(ag) == expected
    if torch is not None:
        assert run(torch) == expected
