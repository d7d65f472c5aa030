"""The in-place operators (`y += w`, `*=`, `-=`, `/=`, `**=`, `%=`, `//=`, the bitwise ones) on a recorded result while
recording (tensor.py's _in_place through in_place_record.take_record): the Tensor itself changes, as PyTorch's, so
its aliases, views and base see it, with the gradients of the out-of-place program (finite differences, a hand
reference, and PyTorch's where it is installed). `@=` makes a new Tensor, as PyTorch's (torch.Tensor has no
__imatmul__: Python rebinds the name)."""
import gc
import weakref

import numpy as np
import pytest

import autograd_core as ag
from autograd_core.testing import gradcheck, gradgradcheck

try:  # (optional: the comparisons with PyTorch skip without it)
    import torch
except ImportError:
    torch = None

X = [0.3, -0.6, 0.9]
W = [0.7, 1.3, -0.4]
WEIGHTS = np.array([1.0, 2.0, 3.0])  # (a weighted sum: each element's gradient differs)


def _new(lib, values, grad=False):
    if lib is ag:
        return ag.tensor(values, requires_grad=grad)
    return torch.tensor(values, dtype=torch.float64, requires_grad=grad)


def _values(t):
    return None if t is None else np.asarray(t.detach().numpy() if torch is not None and isinstance(t, torch.Tensor)
                                            else t.data)


def _run_both(program):
    """program(lib) run with ag, and with torch where installed: the ag results, checked equal to torch's."""
    mine = [_values(t) for t in program(ag)]
    if torch is not None:
        theirs = [_values(t) for t in program(torch)]
        for a, b in zip(mine, theirs):
            if a is None or b is None:
                assert a is None and b is None
            else:
                np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)
    return mine


def test_a_result_plus_a_leaf_changes_the_result_itself_seen_by_its_aliases():
    def program(lib):
        x, w = _new(lib, X, True), _new(lib, W, True)
        y = x * 3
        alias, held = y, [y]
        y += w
        assert y is alias is held[0] and not y.is_leaf
        (held[0] * held[0] * _new(lib, WEIGHTS.tolist())).sum().backward()
        return alias, x.grad, w.grad

    y, x_grad, w_grad = _run_both(program)
    value = 3 * np.array(X) + np.array(W)
    np.testing.assert_allclose(y, value)
    np.testing.assert_allclose(x_grad, 6 * WEIGHTS * value)  # d/dx sum(weights (3x + w)^2)
    np.testing.assert_allclose(w_grad, 2 * WEIGHTS * value)


def test_a_constant_plus_a_leaf_becomes_a_result_requiring_grad_as_pytorch():
    def program(lib):
        w = _new(lib, W, True)
        c = _new(lib, [0.0, 5.0, 1.0])
        alias = c
        c += w
        assert c is alias and not c.is_leaf and c.requires_grad
        (c * c).sum().backward()
        return c, w.grad

    c, w_grad = _run_both(program)
    np.testing.assert_allclose(w_grad, 2 * (np.array([0.0, 5.0, 1.0]) + np.array(W)))


def test_a_view_of_a_result_changed_by_an_operator_changes_its_base_as_copyslices():
    def program(lib):
        x = _new(lib, X, True)
        y = x * 2
        tail = y[1:]
        tail *= 3
        (y * y * _new(lib, WEIGHTS.tolist())).sum().backward()
        return y, tail, x.grad

    y, tail, x_grad = _run_both(program)
    scale = np.array([2.0, 6.0, 6.0])
    np.testing.assert_allclose(y, scale * np.array(X))
    np.testing.assert_allclose(tail, y[1:])
    np.testing.assert_allclose(x_grad, 2 * WEIGHTS * scale ** 2 * np.array(X))


def test_a_change_to_the_base_is_seen_by_its_view():
    def program(lib):
        x = _new(lib, X, True)
        y = x * 2
        tail = y[1:]
        y -= 1
        (tail * tail).sum().backward()
        return tail, x.grad

    tail, x_grad = _run_both(program)
    np.testing.assert_allclose(tail, 2 * np.array(X[1:]) - 1)
    np.testing.assert_allclose(x_grad, [0.0, *(4 * (2 * np.array(X[1:]) - 1))])


def test_an_item_augmented_assignment_writes_into_the_result():
    def program(lib):  # Python runs `y[1:] += w` as getitem, iadd (through the view), setitem
        x, w = _new(lib, X, True), _new(lib, W[:2], True)
        y = x * 2
        alias = y
        y[1:] += w
        assert y is alias
        (y * y).sum().backward()
        return y, x.grad, w.grad

    y, x_grad, w_grad = _run_both(program)
    expected = 2 * np.array(X) + np.array([0.0, *W[:2]])
    np.testing.assert_allclose(y, expected)
    np.testing.assert_allclose(x_grad, 4 * expected)
    np.testing.assert_allclose(w_grad, 2 * expected[1:])


def _chain(lib, x, w):
    y = x * 1.5 + 2.0  # (positive: the power and the quotient stay smooth)
    y += w
    y *= x
    y -= 0.5 * w
    y /= w * w + 1.0
    y **= 2
    y %= 7.0
    return y


def test_a_chain_of_operators_matches_finite_differences_second_derivatives_and_pytorch():
    xs, ws = np.array([0.4, 1.1, 0.7]), np.array([0.2, -0.3, 0.5])
    assert gradcheck(lambda x, w: _chain(ag, x, w), xs, ws)
    assert gradgradcheck(lambda x, w: _chain(ag, x, w), xs, ws)

    def program(lib):
        x, w = _new(lib, xs.tolist(), True), _new(lib, ws.tolist(), True)
        y = _chain(lib, x, w)
        y.sum().backward()
        return y, x.grad, w.grad

    y, _, _ = _run_both(program)
    reference = ((xs * 1.5 + 2.0 + ws) * xs - 0.5 * ws) / (ws * ws + 1.0)
    np.testing.assert_allclose(y, np.mod(reference ** 2, 7.0))


def test_second_derivatives_through_a_view_changed_in_place():
    def changed(x):
        y = x * x
        tail = y[1:]
        tail *= x[:2]
        return y

    assert gradgradcheck(changed, np.array([0.5, -1.2, 0.8]))


def test_a_use_recorded_before_the_change_gets_its_gradient_at_the_value_it_used():
    # PyTorch refuses this backward (exp saved the value the change overwrote); here the old value is kept, as for
    # the in-place methods (test_torch_in_place_recorded.py)
    x = ag.tensor(X, requires_grad=True)
    y = x.exp()
    before = y * 2
    y += 1
    (before.sum() + (y * y).sum()).backward()
    np.testing.assert_allclose(x.grad.data, 2 * np.exp(X) + 2 * (np.exp(X) + 1) * np.exp(X))


def test_hooks_stay_with_the_old_value_and_a_retained_gradient_with_the_tensor_as_pytorch():
    def program(lib):
        x = _new(lib, X, True)
        hooked, retained = x * 3, x * 3
        seen = []
        hooked.register_hook(seen.append)
        retained.retain_grad()
        hooked *= 5
        retained *= 5
        (hooked * hooked + retained * retained).sum().backward()
        assert retained.retains_grad and len(seen) == 1
        return seen[0], retained.grad, x.grad

    seen, retained_grad, x_grad = _run_both(program)
    np.testing.assert_allclose(seen, 2 * 15 * np.array(X) * 5)  # the gradient at the old value, 3x
    np.testing.assert_allclose(retained_grad, 2 * 15 * np.array(X))  # at the new value, 15x
    np.testing.assert_allclose(x_grad, 2 * 2 * 15 * 15 * np.array(X))


def test_a_hook_handle_removes_its_hook_after_the_change_moved_it_to_the_old_value():
    def program(lib):
        x = _new(lib, X, True)
        y = x * 3
        seen = []
        handle = y.register_hook(seen.append)
        y *= 5
        handle.remove()
        handle.remove()  # (a second call does nothing)
        y.sum().backward()
        assert seen == []
        return (x.grad,)

    (x_grad,) = _run_both(program)
    np.testing.assert_allclose(x_grad, [15.0] * 3)
    from autograd_core.registries import HOOKED
    assert not any(ref() is not None and not ref()._hooks for ref in list(HOOKED.values()))  # none left empty


def test_matmul_in_place_makes_a_new_tensor_as_pytorch_and_refuses_a_new_shape():
    x = ag.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    y = x * 1
    alias = y
    y @= ag.tensor([[2.0, 0.0], [1.0, 1.0]])
    assert y is not alias and alias.tolist() == [[1.0, 2.0], [3.0, 4.0]] and y.tolist() == [[4.0, 2.0], [10.0, 4.0]]
    with pytest.raises(ValueError, match=r"^@=: cannot update a Tensor of shape \(2, 2\)"):
        y @= ag.ones((2, 1))


def test_a_value_that_does_not_cast_and_a_leaf_are_refused():
    counts = ag.tensor([1, 2])
    with pytest.raises(TypeError, match=r"^\+=: cannot update a Tensor of shape \(2,\) and dtype int64"):
        counts += ag.tensor([1.0, 2.0], requires_grad=True)
    assert counts.tolist() == [1, 2] and not counts.requires_grad
    leaf = ag.tensor(X, requires_grad=True)
    with pytest.raises(RuntimeError, match=r"^\*=: a leaf Tensor that requires grad"):
        leaf *= 2


def test_the_bitwise_and_integer_operators_without_gradients_write_the_array():
    flags = ag.tensor([True, False, True])
    array, alias = flags.data, flags
    flags &= ag.tensor([True, True, False])
    flags |= ag.tensor([False, True, False])
    flags ^= ag.tensor([True, False, False])
    assert flags is alias and flags.data is array and flags.tolist() == [False, True, False]
    counts = ag.tensor([6, 3])
    counts //= 2
    counts %= 2
    assert counts.tolist() == [1, 1] and counts.grad_fn is None


def test_under_no_grad_the_result_is_written_and_counted():
    x = ag.tensor(X, requires_grad=True)
    y = x * 3
    array = y.data
    with ag.no_grad():
        y += 1  # as PyTorch's: the record stays, the gradient passes by the change
    assert y.data is array and y._version == 1 and y.op_name == "multiply"
    y.sum().backward()
    assert x.grad.tolist() == [3.0, 3.0, 3.0]
    squared = x.exp()
    with ag.no_grad():
        squared += 1  # exp's rule reads its result: the backward refuses, as PyTorch's
    with pytest.raises(RuntimeError, match="modified by an inplace operation|changed in place"):
        squared.sum().backward()


def test_the_old_value_is_freed_with_the_graph_when_the_result_lives_on():
    x = ag.tensor(X, requires_grad=True)
    was_enabled = gc.isenabled()
    gc.disable()  # freed by reference counting alone
    try:
        out = x * 2
        product = weakref.ref(out)
        out += 1  # out's old record (the product) moves behind it
        old = [weakref.ref(n) for n in ag.topological_order(out) if not n.is_leaf and n is not out]
        out.sum().backward()
        assert product() is out and [r() for r in old] == [None]
    finally:
        if was_enabled:
            gc.enable()
