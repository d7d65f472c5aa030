"""Tensor.register_hook: functions backward calls with a Tensor's gradient, which may replace it (PyTorch's)."""
import numpy as np
import pytest

import autograd_core as ag
from autograd_core.registries import HOOKED, RETAINING_GRAD


def _program(lib, hook_on, hook):
    """x -> h = x * x -> out = (h * w).sum(), with a hook on x, h or out; returns the leaves' grads and h's."""
    dtype = np.float64 if lib is ag else lib.float64
    x = lib.tensor([1.0, -2.0, 0.5], dtype=dtype, requires_grad=True)
    w = lib.tensor([0.5, 1.5, -1.0], dtype=dtype, requires_grad=True)
    h = x * x
    h.retain_grad()
    out = (h * w).sum()
    {"x": x, "h": h, "out": out}[hook_on].register_hook(hook)
    out.backward()
    return [t.grad.detach().numpy() if lib is not ag else t.grad.data for t in (x, w, h)]


@pytest.mark.parametrize("hook_on", ["x", "h", "out"])
@pytest.mark.parametrize("hook", [lambda g: 3 * g, lambda g: None, lambda g: g + 1.0],
                         ids=["scaled", "observer", "shifted"])
def test_hooks_change_the_gradient_exactly_as_pytorchs(hook_on, hook):
    torch = pytest.importorskip("torch")
    ours, theirs = _program(ag, hook_on, hook), _program(torch, hook_on, hook)
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a, b, rtol=1e-12)


def test_a_hook_on_an_intermediate_sees_its_final_gradient_and_its_result_flows_on():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    h = x * x
    seen = []
    h.register_hook(lambda g: seen.append(g.data.copy()) or 10 * g)
    (h + h).sum().backward()  # two consumers: the hook sees their sum, once
    np.testing.assert_array_equal(seen, [[2.0, 2.0]])
    np.testing.assert_array_equal(x.grad.data, 10 * 2 * 2 * np.array([1.0, 2.0]))


def test_hooks_run_in_the_order_registered_and_remove_unregisters():
    x = ag.tensor(2.0, requires_grad=True)
    calls = []
    first = x.register_hook(lambda g: calls.append("first") or g + 1)
    x.register_hook(lambda g: calls.append(("second", float(g))) or None)
    (x * 3).backward()
    assert calls == ["first", ("second", 4.0)] and float(x.grad) == 4.0
    first.remove()
    first.remove()  # a second call does nothing
    calls.clear()
    x.grad = None
    (x * 3).backward()
    assert calls == [("second", 3.0)] and float(x.grad) == 3.0


def test_hooks_change_what_flows_on_in_backprops_grad_table_but_not_the_hooked_nodes_own_entry_as_torch():
    # grad_table[h] is d(output)/dh (API.md), as torch.autograd.grad gives it; what flows on to x is the hook's.
    x = ag.tensor(1.5, requires_grad=True)
    h = x * 2
    h.register_hook(lambda g: -g)
    table = ag.backprop(h * h)
    assert float(table[h]) == 6.0 and float(table[x]) == -12.0
    torch = pytest.importorskip("torch")
    tx = torch.tensor(1.5, requires_grad=True)
    th = tx * 2
    th.register_hook(lambda g: -g)
    assert [float(v) for v in torch.autograd.grad(th * th, [th, tx])] == [float(table[h]), float(table[x])]


def test_with_create_graph_a_hook_receives_a_recorded_gradient_and_its_result_is_differentiable():
    x = ag.tensor(1.5, requires_grad=True)
    h = x * x
    h.register_hook(lambda g: g * h)  # d(out)/dh becomes 1 * h
    gx = ag.backprop(h, create_graph=True)[x]
    assert gx.requires_grad
    np.testing.assert_allclose(float(gx), 2 * 1.5 * 1.5 ** 2)  # h * 2x = 2 x^3
    # The hook stays registered, so it runs in this second pass too (at h, whose gradient there is 2x):
    # d/dx of 2x * h(x) is 2h + 2x * (2x, times h by the hook) = 2 x^2 + 4 x^4. PyTorch gives the same.
    ggx = ag.backprop(gx)[x]
    np.testing.assert_allclose(float(ggx), 2 * 1.5 ** 2 + 4 * 1.5 ** 4)


def test_second_derivatives_through_a_hook_are_pytorchs():
    torch = pytest.importorskip("torch")
    results = []
    for lib, dtype in ((ag, np.float64), (torch, torch.float64)):
        x = lib.tensor(1.5, dtype=dtype, requires_grad=True)
        h = lib.sin(x) * x
        h.register_hook(lambda g, h=h: g * h)
        (gx,) = [ag.backprop(h, create_graph=True)[x]] if lib is ag else torch.autograd.grad(h, x, create_graph=True)
        (ggx,) = [ag.backprop(gx)[x]] if lib is ag else torch.autograd.grad(gx, x)
        results.append((float(gx.detach()), float(ggx)))
    np.testing.assert_allclose(results[0], results[1], rtol=1e-12)


def test_registering_on_a_tensor_that_does_not_require_grad_is_a_clear_error():
    with pytest.raises(RuntimeError, match=r"register_hook: this Tensor \(shape \(2,\)\) does not require grad"):
        ag.tensor([1.0, 2.0]).register_hook(lambda g: g)
    with pytest.raises(TypeError, match="register_hook: the hook must be callable, got int"):
        ag.tensor(1.0, requires_grad=True).register_hook(3)


def test_a_hook_returning_another_shape_is_refused_naming_it():
    x = ag.tensor([1.0, 2.0], requires_grad=True)

    def widen(g):
        return ag.concatenate([g, g])

    x.register_hook(widen)
    with pytest.raises(ValueError, match=r"register_hook: the hook 'widen' returned a gradient of shape \(4,\) for a "
                                         r"Tensor of shape \(2,\)"):
        (x * x).sum().backward()


def test_an_in_place_operator_on_a_result_runs_its_hooks_once_as_pytorch():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    h = x * 1.0
    h.register_hook(lambda g: 2 * g)
    h += 1.0  # h takes the record of h + 1; the hook stays with its old value's, which the gradient passes once
    h.sum().backward()
    np.testing.assert_array_equal(x.grad.data, [2.0, 2.0])


def test_an_array_a_hook_returns_is_copied_not_made_the_grad():
    fixed = np.array([1.0, 1.0])
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    x.register_hook(lambda g: fixed)
    (x * 3).sum().backward()
    (x * 3).sum().backward()  # accumulates into x.grad in place
    np.testing.assert_array_equal(fixed, [1.0, 1.0])
    np.testing.assert_array_equal(x.grad.data, [2.0, 2.0])


def test_a_hook_returning_none_does_not_stop_the_next_hook():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    x.register_hook(lambda g: None)
    x.register_hook(lambda g: 10 * g)
    x.sum().backward()
    assert x.grad.tolist() == [10.0, 10.0]


def test_a_hooks_result_is_cast_to_the_tensors_dtype():
    x = ag.tensor(np.ones(2, np.float32), requires_grad=True)
    x.register_hook(lambda g: g.astype(np.float64) * 2)
    (x * 3).sum().backward()
    assert x.grad.dtype == np.float32


@pytest.mark.parametrize("others_registered", [False, True])
def test_retain_grad_and_hooks_added_during_backward_count_whatever_else_is_registered(others_registered):
    # As PyTorch: a registration made by a hook, before its node is reached, applies to this pass; and whether
    # it does must not depend on unrelated Tensors elsewhere in the process.
    other = ag.tensor([1.0], requires_grad=True) * 1
    if others_registered:
        other.retain_grad()
        other.register_hook(lambda g: g)
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    h = x * 3
    y = h * h

    def register(g):
        h.retain_grad()
        h.register_hook(lambda g: 2 * g)

    y.register_hook(register)
    y.sum().backward()
    assert h.grad.tolist() == [12.0, 24.0] and x.grad.tolist() == [36.0, 72.0]


def test_the_hook_and_retain_grad_registries_forget_tensors_once_they_die():
    # TensorWeakSet: "A Tensor's entry goes when it dies": no entry of a dead Tensor piles up per temporary.
    x = ag.tensor(1.0, requires_grad=True)
    for _ in range(20):
        h = x * 2.0
        h.retain_grad()
        h.register_hook(lambda grad: grad)
        h.backward()
    del h
    for registry in (RETAINING_GRAD, HOOKED):
        assert all(ref() is not None for ref in list(registry.values()))


# A gradient a hook was handed keeps its value: PyTorch's AccumulateGrad clones a gradient someone else holds
# before a later pass adds into .grad.
def test_a_gradient_a_leafs_hook_kept_is_not_changed_by_the_next_backward_as_in_pytorch():
    def first_seen(tensor):
        x = tensor([1.0, 2.0], requires_grad=True)
        seen = []
        x.register_hook(lambda g: seen.append(g))  # an observer: returns None
        (3 * x).sum().backward()
        (3 * x).sum().backward()
        return np.array(seen[0].tolist())

    np.testing.assert_array_equal(first_seen(ag.tensor), [3.0, 3.0])  # the first pass's gradient, d(3x)/dx
    torch = pytest.importorskip("torch")
    np.testing.assert_array_equal(first_seen(lambda d, **kw: torch.tensor(d, dtype=torch.float64, **kw)), [3.0, 3.0])


def test_an_identity_hooks_argument_keeps_its_value_after_the_next_backward():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    seen = []
    x.register_hook(lambda g: seen.append(g) or g)  # returns the very Tensor it was handed
    (3 * x).sum().backward()
    (3 * x).sum().backward()
    np.testing.assert_array_equal(seen[0].data, [3.0, 3.0])


def test_a_gradient_handed_to_an_intermediates_hook_keeps_its_value_when_its_retained_grad_accumulates():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    h = x * 1.0
    h.retain_grad()
    seen = []
    h.register_hook(lambda g: seen.append(g))
    out = (3 * h).sum()
    out.backward(retain_graph=True)
    out.backward()
    np.testing.assert_array_equal(h.grad.data, [6.0, 6.0])
    np.testing.assert_array_equal(seen[0].data, [3.0, 3.0])


def test_an_observing_hook_after_a_replacing_one_keeps_what_it_was_shown():
    # The second hook sees the first one's result; a later pass that adds into x.grad must not change it
    # (PyTorch: the accumulated .grad is never the tensor a hook holds).
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    seen = []
    x.register_hook(lambda g: g * 2)
    x.register_hook(seen.append)
    y = (x * 3).sum()
    y.backward(retain_graph=True)
    y.backward()
    np.testing.assert_array_equal(seen[0].data, [6.0, 6.0])  # 2 * d(3x)/dx, from the first pass
    np.testing.assert_array_equal(x.grad.data, [12.0, 12.0])



def _grad_after_hook_returning(lib):
    """A leaf hook that returns a Tensor the caller holds (requiring grad), under create_graph; then that Tensor is
    zeroed in place under no_grad. Returns whether .grad is that Tensor, and the .grad's values."""
    no_grad = ag.no_grad if lib is ag else lib.no_grad
    x = lib.tensor([1.0, -2.0], requires_grad=True)
    replacement = lib.tensor([3.0, 4.0], requires_grad=True)
    x.register_hook(lambda grad: replacement)
    (x * x).sum().backward(create_graph=True)
    same = x.grad is replacement
    with no_grad():
        replacement.zero_()
    return same, x.grad.detach().numpy().copy() if lib is not ag else x.grad.data.copy()


@pytest.mark.filterwarnings("ignore:Using backward\\(\\) with create_graph=True")  # torch's, on its reference cycle
def test_a_hook_returned_tensor_becomes_a_copy_in_grad_under_create_graph_as_in_pytorch():
    torch = pytest.importorskip("torch")
    torch_same, torch_values = _grad_after_hook_returning(torch)
    assert not torch_same
    np.testing.assert_array_equal(torch_values, [3.0, 4.0])
    same, values = _grad_after_hook_returning(ag)
    assert not same
    np.testing.assert_array_equal(values, [3.0, 4.0])


# A hook's handle, as PyTorch's (and as nn's module-hook handles): a context manager removing the hook on the way
# out, with an id.

def test_a_hook_handle_is_a_context_manager_removing_the_hook_on_exit():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    with x.register_hook(lambda g: g * 10) as handle:
        (x * 1).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [10.0, 10.0])
    (x * 1).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [11.0, 11.0])
    handle.remove()  # again: nothing


def test_the_hook_is_removed_when_the_block_raises():
    x = ag.tensor([1.0], requires_grad=True)
    with pytest.raises(ZeroDivisionError):
        with x.register_hook(lambda g: g * 10):
            1 / 0
    (x * 1).sum().backward()
    assert float(x.grad) == 1.0


def test_handles_have_distinct_ids():
    x = ag.tensor([1.0], requires_grad=True)
    a, b = x.register_hook(lambda g: None), x.register_hook(lambda g: None)
    assert isinstance(a.id, int) and a.id != b.id


def test_the_same_program_in_torch():
    torch = pytest.importorskip("torch")
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    with x.register_hook(lambda g: g * 10):
        (x * 1).sum().backward()
    (x * 1).sum().backward()
    assert x.grad.tolist() == [11.0, 11.0]


def test_a_hook_may_differentiate_through_its_own_tensors_graph_during_backward():
    # locuslab/deq's backward hook: autograd.grad(new_z, z, grad, retain_graph=True) inside new_z's own hook, during
    # a backward without retain_graph; PyTorch runs a tensor's hooks before its node's record is released
    values = np.array([0.5, -1.0, 2.0])

    def run(lib, tensor):
        x = tensor(values, requires_grad=True)
        z = x * 1.0
        new_z = lib.tanh(z)

        def hook(grad):
            handle.remove()  # (as MDEQ's: the pass below starts at new_z and would call it again)
            (vjp,) = lib.autograd.grad(new_z, z, grad, retain_graph=True)
            return grad + vjp
        handle = new_z.register_hook(hook)
        new_z.sum().backward()
        return x.grad

    slope = 1 - np.tanh(values) ** 2
    np.testing.assert_allclose(run(ag, ag.tensor).data, (1 + slope) * slope, rtol=1e-14)
    torch = pytest.importorskip("torch")
    np.testing.assert_allclose(run(ag, ag.tensor).data, run(torch, torch.tensor).numpy(), rtol=1e-14)


# ---- register_post_accumulate_grad_hook (missing; found by porting PyTorch's TestAutograd test_post_accumulate_*) ---
def test_post_accumulate_grad_hooks_run_in_order_after_the_sum_and_may_change_the_leaf():
    def hook1(t):
        t.sub_(t.grad)

    def hook2(t):
        t.mul_(4.0)

    values = np.array([0.25, 0.5, 0.75])
    w = ag.tensor(values, requires_grad=True)
    w.register_post_accumulate_grad_hook(hook1)
    w.register_post_accumulate_grad_hook(hook2)
    w.sum().backward()
    np.testing.assert_allclose(w.data, 4.0 * (values - 1.0))  # both ran, in order, under no_grad
    torch = pytest.importorskip("torch")
    tw = torch.tensor(values, requires_grad=True)
    tw.register_post_accumulate_grad_hook(hook1)
    tw.register_post_accumulate_grad_hook(hook2)
    tw.sum().backward()
    np.testing.assert_allclose(w.data, tw.detach().numpy())


def test_post_accumulate_grad_hook_sees_the_gradient_after_tensor_hooks_and_accumulation():
    seen = []
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    w.grad = ag.tensor([10.0, 10.0])  # accumulated into first
    w.register_hook(lambda g: g - 2.0)
    w.register_post_accumulate_grad_hook(lambda t: seen.append(t.grad.data.copy()))
    (w * 3).sum().backward()
    np.testing.assert_array_equal(seen[0], [11.0, 11.0])  # 10 + (3 - 2), as PyTorch's
    ag.autograd.grad((w * 3).sum(), w)  # autograd.grad fills no .grad: the hook does not run, as PyTorch's
    assert len(seen) == 1


def test_post_accumulate_grad_hook_is_refused_on_a_non_leaf_and_must_return_none():
    leaf = ag.rand(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="cannot be registered on non-leaf tensors"):
        (2.0 * leaf).register_post_accumulate_grad_hook(lambda t: None)
    with pytest.raises(RuntimeError, match="does not require grad"):
        ag.rand(3).register_post_accumulate_grad_hook(lambda t: None)
    with pytest.raises(TypeError, match="must be callable"):
        leaf.register_post_accumulate_grad_hook(3)
    leaf.register_post_accumulate_grad_hook(lambda t: t.grad)
    with pytest.raises(RuntimeError, match="hooks should return None"):
        leaf.sum().backward()


def test_post_accumulate_grad_hook_steps_an_optimizer_in_backward_and_its_handle_removes_it():
    import copy

    import nn
    model = nn.Linear(3, 2, rng=0)
    reference = copy.deepcopy(model)
    optims = {p: nn.optim.Adam([p]) for p in model.parameters()}

    def step(p):
        optims[p].step()
        optims[p].zero_grad()

    handles = [p.register_post_accumulate_grad_hook(step) for p in model.parameters()]
    reference_optim = nn.optim.Adam(reference.parameters())
    x = ag.rand(2, 3)
    for _ in range(3):
        model(x).sum().backward()
        reference(x).sum().backward()
        reference_optim.step()
        reference_optim.zero_grad()
    for p, q in zip(model.parameters(), reference.parameters()):
        np.testing.assert_allclose(p.data, q.data)
    frozen = [p.data.copy() for p in model.parameters()]
    for handle in handles:
        handle.remove()
    handles[0].remove()  # a second remove does nothing
    model(x).sum().backward()
    for p, before in zip(model.parameters(), frozen):
        np.testing.assert_array_equal(p.data, before)
    with model.weight.register_post_accumulate_grad_hook(step):  # on inside the block only
        model(x).sum().backward()
    assert not np.array_equal(model.weight.data, frozen[0])


def test_a_hook_changing_the_gradients_shape_is_a_runtime_error_too_as_torch():
    # found by porting PyTorch's test_autograd.py (hooks): a plain ValueError, where PyTorch raises RuntimeError
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    h = x * 2
    h.register_hook(lambda g: g.sum())
    with pytest.raises(RuntimeError, match=r"returned a gradient of shape \(\) for a Tensor of shape \(2,\)") as caught:
        h.sum().backward()
    assert isinstance(caught.value, ValueError)
