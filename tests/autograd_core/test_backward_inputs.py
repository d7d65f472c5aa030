"""Tensor.backward(inputs=...), as PyTorch's: only the given Tensors' .grad is filled (leaves or not), through a pass
toward them. The values are derived by hand (x = [1, 2], w = 3 throughout) and, where torch is installed, compared
with its own."""
import numpy as np
import pytest

import autograd_core as ag
from autograd_core.testing import numerical_grad


def _leaves(lib):
    """x = [1, 2] and w = 3, requiring grad, in ag or torch (float64 both)."""
    return (lib.tensor(np.array([1.0, 2.0]), requires_grad=True), lib.tensor(np.array(3.0), requires_grad=True))


def _assert_same_grads(ours, theirs):
    for a, b in zip(ours, theirs):
        assert (a.grad is None) == (b.grad is None)
        if a.grad is not None:
            np.testing.assert_allclose(a.grad.data, b.grad.detach().numpy(), rtol=1e-15)


def test_inputs_fill_only_their_grad():
    x, w = _leaves(ag)
    (x * w).sum().backward(inputs=[x])
    np.testing.assert_array_equal(x.grad.data, [3.0, 3.0])  # d/dx sum(x w) = w
    assert w.grad is None
    (x * w).sum().backward(inputs=w)  # a Tensor alone, as PyTorch's
    assert w.grad.item() == 3.0  # sum(x)
    np.testing.assert_array_equal(x.grad.data, [3.0, 3.0])


def test_leaves_outside_inputs_keep_their_grad_unchanged():
    x, w = _leaves(ag)
    w.grad = ag.tensor(7.0)
    before = w.grad
    (x * w).sum().backward(inputs=(x,))
    assert w.grad is before and w.grad.item() == 7.0


def _non_leaf_inputs(lib):
    x, w = _leaves(lib)
    h = x * w
    (h * h).sum().backward(inputs=[h], retain_graph=True)
    first = (h.grad.data if lib is ag else h.grad.numpy()).copy(), x.grad, w.grad, h.retains_grad
    h.sum().backward()  # h now retains its grad, as after retain_grad()
    return first, (x, w, h)


def test_a_non_leaf_inputs_grad_is_filled_and_it_retains_grad_after():
    (h_grad, x_grad, w_grad, retains), (x, w, h) = _non_leaf_inputs(ag)
    np.testing.assert_array_equal(h_grad, [6.0, 12.0])  # 2 h, h = [3, 6]
    assert x_grad is None and w_grad is None and retains
    np.testing.assert_array_equal(h.grad.data, [7.0, 13.0])
    np.testing.assert_array_equal(x.grad.data, [3.0, 3.0])
    assert w.grad.item() == 3.0


def test_a_non_leaf_input_matches_torch():
    torch = pytest.importorskip("torch")
    ours, theirs = _non_leaf_inputs(ag), _non_leaf_inputs(torch)
    np.testing.assert_array_equal(ours[0][0], theirs[0][0])
    assert ours[0][1:] == theirs[0][1:] == (None, None, True)
    _assert_same_grads(ours[1], theirs[1])


def _chain_of_inputs(lib):
    x, _ = _leaves(lib)
    a = x * 2
    b = a * 3
    (b * b).sum().backward(inputs=[a, b, x])
    return a, b, x


def test_inputs_behind_a_non_leaf_input_are_reached_through_it():
    a, b, x = _chain_of_inputs(ag)
    np.testing.assert_array_equal(b.grad.data, [12.0, 24.0])  # 2 b, b = 6 x
    np.testing.assert_array_equal(a.grad.data, [36.0, 72.0])  # 3 * that
    np.testing.assert_array_equal(x.grad.data, [72.0, 144.0])  # 2 * that


def test_a_chain_of_inputs_matches_torch():
    torch = pytest.importorskip("torch")
    _assert_same_grads(_chain_of_inputs(ag), _chain_of_inputs(torch))


def test_the_output_itself_as_input_gets_the_seed():
    x, _ = _leaves(ag)
    y = (x * 2).sum()
    y.backward(inputs=[y])
    assert y.grad.item() == 1.0 and x.grad is None


def _input_given_twice(lib):
    x, w = _leaves(lib)
    (x * w).sum().backward(inputs=[x, x, w])
    return x, w


def test_an_input_given_twice_is_filled_once():
    x, w = _input_given_twice(ag)
    np.testing.assert_array_equal(x.grad.data, [3.0, 3.0])
    assert w.grad.item() == 3.0


def test_an_input_given_twice_matches_torch():
    torch = pytest.importorskip("torch")
    _assert_same_grads(_input_given_twice(ag), _input_given_twice(torch))


def _unused_input(lib):
    x, w = _leaves(lib)
    unused = lib.tensor(1.0, requires_grad=True)
    (x * w).sum().backward(inputs=[unused])
    untouched = unused.grad is None and x.grad is None and w.grad is None
    (x * w).sum().backward(inputs=[unused, x])
    return untouched, (x, w, unused)


def test_an_input_the_output_does_not_depend_on_is_left_alone():
    # PyTorch neither refuses it nor fills its .grad (torch.autograd.grad would refuse it: allow_unused).
    untouched, (x, w, unused) = _unused_input(ag)
    assert untouched
    assert unused.grad is None and w.grad is None
    np.testing.assert_array_equal(x.grad.data, [3.0, 3.0])


def test_an_input_the_output_does_not_depend_on_matches_torch():
    torch = pytest.importorskip("torch")
    (ours_untouched, ours), (theirs_untouched, theirs) = _unused_input(ag), _unused_input(torch)
    assert ours_untouched and theirs_untouched
    _assert_same_grads(ours, theirs)


def test_bad_inputs_are_refused_naming_backward_and_what_is_valid():
    x, w = _leaves(ag)
    y = (x * w).sum()
    with pytest.raises(RuntimeError, match=r"backward: inputs\[1\] \(shape \(2,\)\) does not require grad.*"
                                           r"requires_grad=True"):
        y.backward(inputs=[x, ag.tensor([5.0, 6.0])], retain_graph=True)
    with pytest.raises(TypeError, match=r"backward: inputs\[0\] is of type int, not a Tensor; inputs must be Tensors"):
        y.backward(inputs=[3], retain_graph=True)
    for empty in ([], (), iter([])):
        with pytest.raises(RuntimeError, match="backward: inputs is empty.*inputs=None"):
            y.backward(inputs=empty, retain_graph=True)
    assert x.grad is None and w.grad is None  # refused before any pass


def test_bad_inputs_are_refused_by_torch_too():
    torch = pytest.importorskip("torch")
    tx, tw = _leaves(torch)
    y = (tx * tw).sum()
    for bad in ([tx, torch.tensor([5.0, 6.0])], [], [3]):
        with pytest.raises(RuntimeError):
            y.backward(inputs=bad, retain_graph=True)


def _create_graph_with_inputs(lib):
    x, w = _leaves(lib)
    (x ** 3 * w).sum().backward(inputs=[x], create_graph=True)
    first = (x.grad.data if lib is ag else x.grad.detach().numpy()).copy(), w.grad
    x.grad.sum().backward(inputs=[w])
    return first, (x, w)


def test_create_graph_with_inputs_gives_a_differentiable_grad():
    (x_grad, w_grad), (x, w) = _create_graph_with_inputs(ag)
    np.testing.assert_array_equal(x_grad, [9.0, 36.0])  # 3 x^2 w
    assert w_grad is None
    assert w.grad.item() == 15.0  # d/dw sum(3 x^2 w) = 3 (1 + 4)
    np.testing.assert_array_equal(x.grad.data, [9.0, 36.0])  # the second pass wanted only w
    assert x.grad.requires_grad


@pytest.mark.filterwarnings("ignore:Using backward\\(\\) with create_graph=True")  # torch's, on its reference cycle
def test_create_graph_with_inputs_matches_torch():
    torch = pytest.importorskip("torch")
    ours, theirs = _create_graph_with_inputs(ag), _create_graph_with_inputs(torch)
    np.testing.assert_array_equal(ours[0][0], theirs[0][0])
    assert ours[0][1] is None and theirs[0][1] is None
    _assert_same_grads(ours[1], theirs[1])


def _hooks_with_inputs(lib, wanted):
    """Hooks on x (times 10), on w (records only) and on h = x w (plus 1); the calls each made, in order."""
    x, w = _leaves(lib)
    calls = []

    def recorder(name, change):
        def hook(grad):
            calls.append((name, np.array(grad.detach().numpy() if lib is not ag else grad.data)))
            return change(grad)
        return hook

    x.register_hook(recorder("x", lambda g: g * 10))
    w.register_hook(recorder("w", lambda g: None))
    h = x * w
    h.register_hook(recorder("h", lambda g: g + 1))
    (h * h).sum().backward(inputs=[{"x": x, "h": h}[wanted]])
    return calls, (x, w, h) if wanted == "h" else (x, w)


def test_hooks_run_on_the_path_to_inputs_only():
    calls, (x, w) = _hooks_with_inputs(ag, "x")
    assert [name for name, _ in calls] == ["h", "x"]  # not w's: no gradient goes to w
    np.testing.assert_array_equal(calls[0][1], [6.0, 12.0])  # 2 h
    np.testing.assert_array_equal(calls[1][1], [21.0, 39.0])  # (2 h + 1) w
    np.testing.assert_array_equal(x.grad.data, [210.0, 390.0])  # what x's hook returned
    assert w.grad is None


def test_a_non_leaf_inputs_hook_runs_and_its_grad_is_what_the_hook_returned():
    calls, (x, w, h) = _hooks_with_inputs(ag, "h")
    assert [name for name, _ in calls] == ["h"]
    np.testing.assert_array_equal(h.grad.data, [7.0, 13.0])
    assert x.grad is None and w.grad is None


@pytest.mark.parametrize("wanted", ["x", "h"])
def test_hooks_with_inputs_match_torch(wanted):
    torch = pytest.importorskip("torch")
    (ours, ours_tensors), (theirs, their_tensors) = _hooks_with_inputs(ag, wanted), _hooks_with_inputs(torch, wanted)
    assert [name for name, _ in ours] == [name for name, _ in theirs]
    for (_, a), (_, b) in zip(ours, theirs):
        np.testing.assert_array_equal(a, b)
    _assert_same_grads(ours_tensors, their_tensors)


def _retained_with_inputs(lib):
    """Tensors retaining grad: h and k between the output and the input x, a behind the input b (a = 2 v, with v
    not an input), c off the path."""
    x, w = _leaves(lib)
    v = lib.tensor(np.array([1.0, 2.0]), requires_grad=True)
    h = x * w
    k = h * h
    c = w * 2
    a = v * 2
    b = a * 3
    for t in (h, k, c, a):
        t.retain_grad()
    (k.sum() + (b * b).sum() + c).backward(inputs=[x, b])
    return h, k, c, a, b, x, w, v


def test_retained_grads_are_filled_between_the_output_and_the_inputs_only():
    h, k, c, a, b, x, w, v = _retained_with_inputs(ag)
    np.testing.assert_array_equal(k.grad.data, [1.0, 1.0])
    np.testing.assert_array_equal(h.grad.data, [6.0, 12.0])  # 2 h
    np.testing.assert_array_equal(b.grad.data, [12.0, 24.0])  # 2 b
    assert c.grad is None  # off the path: w is not an input
    assert a.grad is None  # behind b, whose node passes nothing on (no input behind it)
    np.testing.assert_array_equal(x.grad.data, [18.0, 36.0])  # 2 h w
    assert w.grad is None and v.grad is None


def test_retained_grads_with_inputs_match_torch():
    torch = pytest.importorskip("torch")
    _assert_same_grads(_retained_with_inputs(ag), _retained_with_inputs(torch))


def test_backward_with_inputs_frees_the_graph_unless_retained():
    x, w = _leaves(ag)
    y = (x * x * w).sum()
    y.backward(inputs=[x], retain_graph=True)
    y.backward(inputs=[x])
    np.testing.assert_array_equal(x.grad.data, [12.0, 24.0])  # twice 2 x w
    with pytest.raises(RuntimeError, match="second time"):
        y.backward(inputs=[x])


def test_inputs_gradients_match_finite_differences():
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=(3, 2)), rng.normal(size=2)

    def f(a, b):
        return (ag.tanh(a @ b) * ag.exp(b).sum()).sum()

    x, z = ag.tensor(a, requires_grad=True), ag.tensor(b, requires_grad=True)
    f(x, z).backward(inputs=[z])
    assert x.grad is None
    np.testing.assert_allclose(z.grad.data, numerical_grad(f, a, b)[1], rtol=1e-6, atol=1e-8)
