"""ag.autograd.graph (autograd_graph.py): register_multi_grad_hook, increment_version, Node, GradientEdge and
get_gradient_edge, and the grad_fn's pre-hooks (grad_fn.py), as PyTorch's torch.autograd.graph (cases from its
test_autograd.py)."""
import numpy as np
import pytest

import autograd_core as ag
from autograd_core.autograd.graph import GradientEdge, Node, get_gradient_edge, increment_version, \
    register_multi_grad_hook


def _reached(lib, backward):
    """Which of (a, b, c, d) the multi-grad hook (mode 'all') saw a gradient of, per pass, in lib."""
    a = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
    b = lib.tensor([4.0, 5.0, 6.0], requires_grad=True)
    c, d = a * b, a * b
    seen = []
    graph = ag.autograd.graph if lib is ag else lib.autograd.graph
    handle = graph.register_multi_grad_hook((a, b, c, d), lambda grads: seen.append([g is not None for g in grads]))
    backward(c, a)
    handle.remove()
    backward(c, a)
    return seen


@pytest.mark.parametrize("backward", [
    lambda c, a: c.sum().backward(retain_graph=True),
    lambda c, a: c.sum().backward(inputs=(a,), retain_graph=True),
], ids=["backward", "backward-inputs"])
def test_multi_grad_hook_all_is_called_once_with_the_reached_gradients_as_pytorchs(backward):
    torch = pytest.importorskip("torch")
    assert _reached(ag, backward) == _reached(torch, backward)


def test_multi_grad_hook_all_in_autograd_grad():
    # (PyTorch 2.14 refuses a leaf among the Tensors in autograd.grad; here it is counted as in backward)
    assert _reached(ag, lambda c, a: ag.autograd.grad(c.sum(), a, retain_graph=True)) == [[True, False, True, False]]


def test_multi_grad_hook_all_ignores_inputs_outside_the_graph():
    # (a pass toward inputs the outputs do not depend on must not wait for them: the hook is called)
    t1, t2, t3 = (ag.rand(2, requires_grad=True) * 1 for _ in range(3))
    calls = []
    register_multi_grad_hook((t1, t2, t3), lambda grads: calls.append([g is not None for g in grads]))
    out = t2 * t3
    out.sum().backward(inputs=(t1, t2), retain_graph=True)
    out.sum().backward(inputs=(t1,), retain_graph=True)  # nothing reached: no call
    assert calls == [[False, True, False]]


def test_multi_grad_hook_any_is_called_once_per_pass_with_the_first_gradient():
    t1, t2 = ag.tensor([1.0, 2.0], requires_grad=True), ag.tensor([3.0, 4.0], requires_grad=True)
    grads = []
    handle = register_multi_grad_hook((t1, t2), grads.append, mode="any")
    out = (t1 * t2).sum() * 2
    out.backward(retain_graph=True)
    ag.autograd.grad(out, (t1, t2))
    assert len(grads) == 2
    np.testing.assert_array_equal(grads[0].data, grads[1].data)
    handle.remove()
    (t1 * t2).sum().backward()
    assert len(grads) == 2


def test_multi_grad_hook_counts_each_pass_apart_when_a_hook_starts_one():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    y, z = x * 2, x * 3
    calls = []
    register_multi_grad_hook((y, z), lambda grads: calls.append([g is not None for g in grads]))

    def inner_pass(grad):
        with ag.enable_grad():
            w = ag.tensor([1.0], requires_grad=True)
            (w * w).sum().backward()
    y.register_hook(inner_pass)
    (y + z).sum().backward()
    assert calls == [[True, True]]


def test_multi_grad_hook_refuses_an_unknown_mode():
    t = ag.tensor([1.0], requires_grad=True)
    with pytest.raises(ValueError, match="Expects mode to be one of"):
        register_multi_grad_hook((t,), print, mode="abc")


def test_increment_version_bumps_it_and_backward_then_refuses_as_pytorchs():
    torch = pytest.importorskip("torch")
    for lib, graph in ((ag, ag.autograd.graph), (torch, torch.autograd.graph)):
        a = lib.tensor([1.0, 2.0], requires_grad=True)
        b = lib.tensor([3.0, 4.0], requires_grad=True)
        out = (a * b).sum()
        version = a._version
        graph.increment_version([a, b])
        assert a._version == version + 1
        with pytest.raises(RuntimeError):
            out.backward()
    n = ag.zeros(3, dtype=ag.int32)
    increment_version(n)
    assert n._version == 1
    with pytest.raises(TypeError, match="increment_version"):
        increment_version([n, 3])


def test_grad_fn_is_a_node():
    a = ag.tensor([1.0, 2.0], requires_grad=True)
    assert isinstance(a.exp().grad_fn, Node) and issubclass(type(a.exp().grad_fn), Node)
    assert not isinstance(Node, Node)
    assert ag.autograd.graph.Node is Node


def _prehook_program(lib, grad):
    """The log of which hooks ran (1: b's Tensor hook, 2: b.grad_fn's pre-hooks) and the gradients."""
    log = []

    def tensor_hook(g):
        log.append(1)
        return g * 3

    def prehook(gs):
        log.append(2)
        return tuple(g * 2 for g in gs)
    a = lib.tensor(1.0, requires_grad=True)
    b = a * 1
    b.grad_fn.register_prehook(prehook)
    b.register_hook(tensor_hook)
    b.grad_fn.register_prehook(prehook)
    b.retain_grad()
    if grad:
        result = lib.autograd.grad(b * 5, (a,))[0]
    else:
        (b * 5).backward()
        result = a.grad
    return log, float(result), None if grad else float(b.grad)


@pytest.mark.parametrize("grad", [False, True], ids=["backward", "grad"])
def test_grad_fn_prehooks_run_after_the_tensor_hooks_and_a_retained_grad_skips_them_as_pytorchs(grad):
    torch = pytest.importorskip("torch")
    assert _prehook_program(ag, grad) == _prehook_program(torch, grad)


def test_grad_fn_prehooks_do_not_run_when_grad_stops_at_the_tensor_as_pytorchs():
    a = ag.tensor(1.0, requires_grad=True)
    b = a * 2
    c = b * 2
    counts = {"tensor": 0, "pre": 0}
    b.register_hook(lambda g: counts.__setitem__("tensor", counts["tensor"] + 1))
    handle = b.grad_fn.register_prehook(lambda gs: counts.__setitem__("pre", counts["pre"] + 1))
    ag.autograd.grad(c, b, retain_graph=True)
    assert counts == {"tensor": 1, "pre": 0}
    ag.autograd.grad(c, (a, b), retain_graph=True)
    assert counts == {"tensor": 2, "pre": 1}
    c.backward(inputs=(b,), retain_graph=True)  # (backward toward b runs them, as PyTorch's)
    assert counts == {"tensor": 3, "pre": 2}
    handle.remove()
    c.backward()
    assert counts == {"tensor": 4, "pre": 2}


def test_grad_fn_prehook_must_return_one_gradient_per_output():
    a = ag.tensor([1.0], requires_grad=True)
    b = a * 2
    b.grad_fn.register_prehook(lambda gs: (gs[0], gs[0]))
    with pytest.raises(TypeError, match="prehook"):
        b.sum().backward()


def test_grad_fn_metadata_is_kept_with_the_node():
    b = ag.tensor([1.0], requires_grad=True) * 2
    b.grad_fn.metadata["k"] = 1
    assert b.grad_fn.metadata == {"k": 1}


def test_gradient_edge_stands_for_its_tensor_in_grad_and_backward():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    y = x.clone()
    out = (y * y).sum()
    edge = get_gradient_edge(y)
    assert edge == GradientEdge(y.grad_fn, y.output_nr) and edge.output_nr == 0
    ref = ag.autograd.grad(out, y, retain_graph=True)[0]
    np.testing.assert_array_equal(ag.autograd.grad(out, edge, retain_graph=True)[0].data, ref.data)
    np.testing.assert_array_equal(ag.autograd.grad(out, get_gradient_edge(x), retain_graph=True)[0].data,
                                  ref.data)
    ag.autograd.backward(out, inputs=(get_gradient_edge(x),))
    np.testing.assert_array_equal(x.grad.data, ref.data)
    with pytest.raises(RuntimeError, match="does not require gradients"):
        get_gradient_edge(ag.tensor([1.0]))


def test_gradient_edge_as_an_output_as_pytorchs():
    torch = pytest.importorskip("torch")
    results = []
    for lib in (ag, torch):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        tmp = x.sin().cos().sum()
        out = tmp.exp().sin()
        edge = lib.autograd.graph.get_gradient_edge(tmp)
        (tmp_grad,) = lib.autograd.grad(out, (edge,))
        (x_grad,) = lib.autograd.grad(edge, (x,), grad_outputs=(tmp_grad,))
        results.append(x_grad.detach().numpy() if lib is torch else x_grad.data)
    np.testing.assert_allclose(results[0], results[1], rtol=1e-6)


def test_gradient_edge_stays_with_the_node_after_an_in_place_change_as_pytorchs():
    x = ag.tensor([1.0, 2.0], requires_grad=True).clone()
    x_edge = get_gradient_edge(x)
    x *= 2
    g_old, g_new = ag.autograd.grad(x.sum(), (x_edge, x))
    np.testing.assert_array_equal(g_old.data, [2.0, 2.0])
    np.testing.assert_array_equal(g_new.data, [1.0, 1.0])


def test_grad_refuses_materialize_grads_for_an_unused_gradient_edge_as_pytorchs():
    x = ag.tensor([1.0, 2.0], requires_grad=True).clone()
    y = ag.tensor([1.0, 2.0], requires_grad=True).clone()
    out = x.clone().sum()
    ag.autograd.grad(out, (get_gradient_edge(x), y), allow_unused=True, materialize_grads=True, retain_graph=True)
    with pytest.raises(RuntimeError, match="materialize_grads cannot be used when the given input is a GradientEdge"):
        ag.autograd.grad(out, (x, get_gradient_edge(y)), allow_unused=True, materialize_grads=True)


def test_the_pass_hooks_see_is_gone_after_it_even_when_it_raised():
    from autograd_core.backprop import current_pass
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    seen = []
    register_multi_grad_hook((x, y), lambda grads: None)  # (the pass is known to hooks while one is registered)
    y.register_hook(lambda g: seen.append(current_pass()))
    (y * y).sum().backward(retain_graph=True)
    assert seen[0] is not None and current_pass() is None

    def failing(g):
        raise KeyError("boom")
    y.register_hook(failing)
    with pytest.raises(KeyError):
        (y * y).sum().backward()
    assert current_pass() is None


def _multi_grad_hook_with_a_none_gradient(lib, leaf):
    class F(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x, y):
            return x * y

        @staticmethod
        def backward(ctx, g):
            return g, None

    a = lib.tensor([1.0, 2.0], requires_grad=True)
    b = lib.tensor([1.0, 2.0], requires_grad=True)
    b = b if leaf else b * 1
    seen = []
    handle = lib.autograd.graph.register_multi_grad_hook(
        (a, b), lambda grads: seen.append([g is not None for g in grads]))
    F.apply(a, b).sum().backward()
    handle.remove()
    return seen


@pytest.mark.parametrize("leaf", [False, True])
def test_multi_grad_hook_all_is_called_with_none_for_a_tensor_the_pass_reaches_with_no_gradient_as_pytorchs(leaf):
    # (review: it was never called, backprop running hooks only for a gradient that is not None)
    torch = pytest.importorskip("torch")
    assert _multi_grad_hook_with_a_none_gradient(ag, leaf) == _multi_grad_hook_with_a_none_gradient(torch, leaf) \
        == [[True, False]]


def test_no_backward_pass_is_known_to_hooks_while_no_multi_grad_hook_is_registered():
    from autograd_core.backprop import MULTI_GRAD_HOOKS, current_pass
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    left = set(MULTI_GRAD_HOOKS)  # (other tests' hooks left registered)
    MULTI_GRAD_HOOKS.clear()
    try:
        handle = register_multi_grad_hook((x,), lambda grads: None)
        handle.remove()
        seen = []
        x.register_hook(lambda g: seen.append(current_pass()))
        (x * x).sum().backward()
        assert seen == [None]
    finally:
        MULTI_GRAD_HOOKS.update(left)


def test_tensor_backward_takes_gradient_edges_as_inputs_as_pytorchs():
    # (review: Tensor.backward refused them, autograd.backward converted them)
    torch = pytest.importorskip("torch")
    for lib in (ag, torch):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        y = x * 2
        (y * y).sum().backward(inputs=[lib.autograd.graph.get_gradient_edge(x)], retain_graph=True)
        np.testing.assert_array_equal(np.asarray(x.grad.tolist()), [8.0, 16.0])
        x.grad = None
        (y * y).sum().backward(inputs=lib.autograd.graph.get_gradient_edge(x), retain_graph=True)  # (one edge)
        np.testing.assert_array_equal(np.asarray(x.grad.tolist()), [8.0, 16.0])
        x.grad = None
        with pytest.warns(UserWarning, match="not a leaf"):  # a non-leaf's edge: no .grad filled, no retain_grad
            (y * y).sum().backward(inputs=[lib.autograd.graph.get_gradient_edge(y)])
            assert y.grad is None and x.grad is None
