"""Backward hooks on Modules (Module.register_full_backward_hook and register_full_backward_pre_hook, nn/hooks.py,
built on autograd_core.identity_with_grad_hook): what grad_input and grad_output hold, replacing them, when hooks
are called, errors, state, and the same calls in PyTorch (2.14's behaviour, where installed); PyTorch's deprecated
register_backward_hook (a full hook here, with a warning)."""
import collections
import copy
import pickle
import warnings

import numpy as np
import pytest

import autograd_core as ag
import nn

try:
    import torch
except ImportError:  # the hand-derived checks run without it
    torch = None

needs_torch = pytest.mark.skipif(torch is None, reason="compares with PyTorch")
RNG = np.random.default_rng(0)
W, B, X = RNG.standard_normal((2, 3)), RNG.standard_normal(2), RNG.standard_normal((4, 3))


def _linear(lib=nn):
    """Linear(3, 2) in float64 with the weights W, B, from nn or torch.nn."""
    if lib is nn:
        layer = nn.Linear(3, 2, dtype=np.float64)
        layer.weight.data[...], layer.bias.data[...] = W, B
        return layer
    layer = torch.nn.Linear(3, 2, dtype=torch.float64)
    with torch.no_grad():
        layer.weight.copy_(torch.tensor(W)), layer.bias.copy_(torch.tensor(B))
    return layer


def _tensor(lib, value, requires_grad=False):
    if lib is nn:
        return ag.tensor(value, requires_grad=requires_grad)
    return torch.tensor(value, dtype=torch.float64, requires_grad=requires_grad)


def _numbers(grads):
    """A hook's tuple as nested lists (None kept), to compare across libraries."""
    return [None if g is None else np.asarray(g.detach().numpy()).tolist() for g in grads]


def _libraries():
    return (nn,) if torch is None else (nn, torch.nn)


# ---- what the hooks receive ------------------------------------------------------------------------------------------
def test_grad_input_and_grad_output_of_a_linear_layer_by_hand_and_as_pytorchs():
    # y = x W^T + b, loss = sum(y * G): grad_output = G, grad_input = G W
    G = RNG.standard_normal((4, 2))
    results = []
    for lib in _libraries():
        layer, seen = _linear(lib), []
        layer.register_full_backward_hook(lambda m, gi, go, seen=seen: seen.append((m, _numbers(gi), _numbers(go))))
        x = _tensor(lib, X, requires_grad=True)
        (layer(x) * _tensor(lib, G)).sum().backward()
        ((module, grad_input, grad_output),) = seen
        assert module is layer
        np.testing.assert_allclose(grad_input[0], G @ W)
        np.testing.assert_allclose(grad_output[0], G)
        np.testing.assert_allclose(x.grad.numpy(), G @ W)
        results.append((grad_input, grad_output))
    if torch is not None:
        np.testing.assert_allclose(results[0][0], results[1][0])


class _Mixed(nn.Module):
    """forward(a, b, c, d=None) = a * b * 5 (+ d): a Tensor argument requiring grad, one that does not, a number,
    and a keyword one."""

    def forward(self, a, b, c, d=None):
        return a * b * 5 if d is None else a * b * 5 + d


def _torch_mixed():
    class Mixed(torch.nn.Module):
        forward = _Mixed.forward
    return Mixed()


def test_grad_input_has_one_entry_per_positional_argument_as_pytorchs():
    # None for a number, zeros for a Tensor that does not require grad (PyTorch's), keyword arguments left out
    results = []
    for lib in _libraries():
        module, seen = (_Mixed() if lib is nn else _torch_mixed()), []
        module.register_full_backward_hook(lambda m, gi, go, seen=seen: seen.append((_numbers(gi), _numbers(go))))
        a, b, d = _tensor(lib, [1.0, 1.0], True), _tensor(lib, [2.0, 2.0]), _tensor(lib, [1.0, 1.0], True)
        module(a, b, 3.0, d=d).sum().backward()
        assert seen == [([[10.0, 10.0], [0.0, 0.0], None], [[1.0, 1.0]])]
        assert d.grad.numpy().tolist() == [1.0, 1.0]  # a keyword argument's gradient flows as without hooks
        results.append(seen)
    m, seen = _Mixed(), []
    m.register_full_backward_hook(lambda m, gi, go: seen.append(_numbers(gi)))
    m(ag.tensor([1.0], requires_grad=True), np.array([2.0]), 3.0).sum().backward()
    assert seen == [[[10.0], None, None]]  # an ndarray is no Tensor: None


def test_an_input_no_gradient_reaches_gets_zeros_which_reach_its_grad_as_in_pytorch():
    class SecondOnly(nn.Module):
        def forward(self, a, b):
            return b * 2

    seen = []
    module = SecondOnly()
    module.register_full_backward_hook(lambda m, gi, go: seen.append(_numbers(gi)))
    a, b = ag.tensor([1.0, 1.0], requires_grad=True), ag.tensor([1.0, 1.0], requires_grad=True)
    module(a, b).sum().backward()
    assert seen == [[[0.0, 0.0], [2.0, 2.0]]]
    assert a.grad.numpy().tolist() == [0.0, 0.0]  # (without the hook it would stay None)
    if torch is not None:
        class TorchSecondOnly(torch.nn.Module):
            forward = SecondOnly.forward
        module, ta = TorchSecondOnly(), torch.ones(2, dtype=torch.float64, requires_grad=True)
        module.register_full_backward_hook(lambda m, gi, go: seen.append(_numbers(gi)))
        module(ta, torch.ones(2, dtype=torch.float64, requires_grad=True)).sum().backward()
        assert seen[1] == seen[0] and ta.grad.numpy().tolist() == [0.0, 0.0]


def test_when_no_input_requires_grad_the_hook_gets_none_at_the_outputs_with_a_warning():
    for lib in _libraries():
        layer, seen = _linear(lib), []
        layer.register_full_backward_hook(lambda m, gi, go, seen=seen: seen.append((gi, _numbers(go))))
        with pytest.warns(UserWarning, match="no .*inputs? requires? grad"):
            layer(_tensor(lib, X)).sum().backward()
        ((grad_input, grad_output),) = seen
        assert grad_input == (None,) and grad_output == [np.ones((4, 2)).tolist()]
        np.testing.assert_allclose(layer.weight.grad.numpy(), np.ones((2, 4)) @ X)

    class KeywordOnly(nn.Module):  # no positional input at all: grad_input is (), as PyTorch's
        def forward(self, *, a):
            return a * 2

    module, seen = KeywordOnly(), []
    module.register_full_backward_hook(lambda m, gi, go: seen.append((gi, _numbers(go))))
    a = ag.tensor([1.0], requires_grad=True)
    with pytest.warns(UserWarning, match="KeywordOnly: a full backward hook is called"):
        module(a=a).sum().backward()
    assert seen == [((), [[1.0]])] and float(a.grad) == 2.0
    layer = _linear()
    layer.register_full_backward_hook(lambda m, gi, go: (ag.ones((4, 3)),))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(RuntimeError, match="Linear: a full backward hook .* none of whose positional inputs "
                                               "requires grad must return None"):
            layer(X).sum().backward()


class _Three(nn.Module):
    """(2a, argmax(a), 3a, 5): Tensors requiring grad, an integer Tensor, a number."""

    def forward(self, a):
        return a * 2, ag.argmax(a), a * 3, 5


def test_grad_output_has_one_entry_per_output_none_without_gradient_as_pytorchs():
    log = []
    module = _Three()
    module.register_full_backward_pre_hook(lambda m, go: log.append(("pre", _numbers(go))))
    module.register_full_backward_hook(lambda m, gi, go: log.append(("full", _numbers(gi), _numbers(go))))
    a = ag.tensor([1.0, 2.0], requires_grad=True)
    doubled, index, tripled, five = module(a)
    assert five == 5 and not index.requires_grad
    doubled.sum().backward()  # tripled unused: no gradient
    grad_output = [[1.0, 1.0], None, None, None]
    assert log == [("pre", grad_output), ("full", [[2.0, 2.0]], grad_output)]
    if torch is not None:
        class TorchThree(torch.nn.Module):
            def forward(self, a):
                return a * 2, a.argmax(), a * 3, 5
        torch_log, module = [], TorchThree()
        module.register_full_backward_pre_hook(lambda m, go: torch_log.append(("pre", _numbers(go))))
        module.register_full_backward_hook(lambda m, gi, go: torch_log.append(("full", _numbers(gi), _numbers(go))))
        module(torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True))[0].sum().backward()
        assert torch_log == log


def test_a_named_tuple_output_keeps_its_type_and_other_outputs_get_a_warning_and_no_hook():
    Pair = collections.namedtuple("Pair", "first second")

    class Named(nn.Module):
        def forward(self, a):
            return Pair(a * 2, a * 3)

    class Listed(nn.Module):
        def forward(self, a):
            return [a * 2]

    seen = []
    named, listed = Named(), Listed()
    for module in (named, listed):
        module.register_full_backward_hook(lambda m, gi, go: seen.append(type(m).__name__))
    a = ag.tensor([1.0], requires_grad=True)
    out = named(a)
    assert isinstance(out, Pair)
    (out.first + out.second).sum().backward()
    with pytest.warns(UserWarning, match="Listed: for backward hooks to be called, the module's output must be a "
                                         "Tensor or a tuple of Tensors, but it is a list"):
        (out,) = listed(a)
    out.sum().backward()
    assert seen == ["Named"]
    assert float(a.grad.sum()) == 5.0 + 2.0  # the list's gradient flowed, without the hook


# ---- replacing gradients -----------------------------------------------------------------------------------------
def test_hooks_run_in_order_prepend_first_each_seeing_the_last_replacement_as_pytorchs():
    results = []
    for lib in _libraries():
        layer, calls = _linear(lib), []
        layer.register_full_backward_hook(lambda m, gi, go, c=calls: c.append(("h1", _numbers(gi))) or (gi[0] * 10,))
        layer.register_full_backward_hook(lambda m, gi, go, c=calls: c.append(("h2", _numbers(gi))))
        layer.register_full_backward_hook(lambda m, gi, go, c=calls: c.append(("h0", _numbers(gi))), prepend=True)
        x = _tensor(lib, X, requires_grad=True)
        layer(x).sum().backward()
        assert [name for name, _ in calls] == ["h0", "h1", "h2"]
        grad = np.ones((4, 2)) @ W
        np.testing.assert_allclose(calls[0][1][0], grad)
        np.testing.assert_allclose(calls[2][1][0], 10 * grad)
        np.testing.assert_allclose(x.grad.numpy(), 10 * grad)  # the replacement reaches x
        np.testing.assert_allclose(layer.weight.grad.numpy(), np.ones((2, 4)) @ X)  # the parameters' do not change
        results.append(x.grad.numpy())
    if torch is not None:
        np.testing.assert_allclose(results[0], results[1])


def test_a_replacement_of_none_stops_the_gradient_and_a_list_is_taken():
    layer, x = _linear(), ag.tensor(X, requires_grad=True)
    with layer.register_full_backward_hook(lambda m, gi, go: (None,)):
        layer(x).sum().backward()
    assert x.grad is None
    with layer.register_full_backward_hook(lambda m, gi, go: [gi[0] * 0 + 1]):
        layer(x).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), np.ones((4, 3)))


def test_a_pre_hook_replaces_grad_output_for_the_parameters_the_inputs_and_the_full_hooks_as_pytorchs():
    results = []
    for lib in _libraries():
        layer, seen = _linear(lib), []
        layer.register_full_backward_pre_hook(lambda m, go: (go[0] * 3,))
        layer.register_full_backward_hook(lambda m, gi, go, seen=seen: seen.append(_numbers(go)))
        x = _tensor(lib, X, requires_grad=True)
        layer(x).sum().backward()
        assert seen == [[np.full((4, 2), 3.0).tolist()]]
        np.testing.assert_allclose(layer.bias.grad.numpy(), [12.0, 12.0])  # 3 * 4 rows
        np.testing.assert_allclose(x.grad.numpy(), np.full((4, 2), 3.0) @ W)
        results.append((layer.weight.grad.numpy(), x.grad.numpy()))
    if torch is not None:
        for ours, theirs in zip(*results):
            np.testing.assert_allclose(ours, theirs)


def test_a_pre_hook_also_runs_when_no_input_requires_grad():
    layer = _linear()
    layer.register_full_backward_pre_hook(lambda m, go: (go[0] * 2,))
    layer(X).sum().backward()
    np.testing.assert_allclose(layer.bias.grad.numpy(), [8.0, 8.0])


@pytest.mark.parametrize("register, hook, error, message", [
    ("register_full_backward_hook", lambda m, gi, go: (gi[0], gi[0]), RuntimeError,
     r"Linear: a full backward hook returned 2 gradient\(s\) as grad_input, but the module has 1 positional input"),
    ("register_full_backward_hook", lambda m, gi, go: gi[0], TypeError,
     r"Linear: a full backward hook must return None or a tuple of 1 gradient\(s\).*got a Tensor"),
    ("register_full_backward_hook", lambda m, gi, go: (ag.ones(3),), ValueError,
     r"Linear: a full backward hook returned, for entry 0, a gradient of shape \(3,\) for a Tensor of shape \(4, 3\)"),
    ("register_full_backward_pre_hook", lambda m, go: (go[0], go[0]), RuntimeError,
     r"Linear: a full backward pre-hook returned 2 gradient\(s\) as grad_output, but the module has 1 output"),
    ("register_full_backward_pre_hook", lambda m, go: (ag.ones(2),), ValueError,
     r"Linear: a full backward pre-hook returned, for entry 0, a gradient of shape \(2,\)"),
])
def test_bad_replacements_are_refused_naming_the_module_and_the_hook(register, hook, error, message):
    layer = _linear()
    getattr(layer, register)(hook)
    with pytest.raises(error, match=message):
        layer(ag.tensor(X, requires_grad=True)).sum().backward()


def test_bad_registrations_are_refused_naming_the_method():
    with pytest.raises(TypeError, match="ReLU.register_full_backward_hook: the hook must be callable, got str"):
        nn.ReLU().register_full_backward_hook("print")
    with pytest.raises(TypeError, match="ReLU.register_full_backward_pre_hook: prepend must be"):
        nn.ReLU().register_full_backward_pre_hook(print, prepend="yes")


# ---- when hooks are called ----------------------------------------------------------------------------------------
def _counting(lib):
    layer, log = _linear(lib), []
    layer.register_full_backward_hook(lambda m, gi, go: log.append("full"))
    layer.register_full_backward_pre_hook(lambda m, go: log.append("pre"))
    return layer, log


@pytest.mark.parametrize("case", ["twice in one forward", "retain_graph", "gradient of the output only",
                                  "gradient of the weight only", "registered after the forward",
                                  "removed after the forward", "forward under no_grad", "double backward"])
def test_the_hooks_are_called_once_per_pass_through_each_call_as_pytorchs(case):
    counts = []
    for lib in _libraries():
        grad = ag.autograd.grad if lib is nn else torch.autograd.grad
        no_grad = ag.no_grad if lib is nn else torch.no_grad
        layer, log = _counting(lib)
        x = _tensor(lib, X, requires_grad=True)
        if case == "twice in one forward":
            square = _tensor(lib, RNG.standard_normal((2, 3)))
            layer(layer(x) @ square).sum().backward()
        elif case == "retain_graph":
            y = layer(x).sum()
            y.backward(retain_graph=True)
            y.backward()
        elif case == "gradient of the output only":
            out = layer(x)
            grad(out.sum(), out)
        elif case == "gradient of the weight only":
            grad(layer(x).sum(), layer.weight)
        elif case == "registered after the forward":
            y = layer(x).sum()
            layer.register_full_backward_hook(lambda m, gi, go: log.append("late"))
            y.backward()
        elif case == "removed after the forward":
            fresh, fresh_log = _linear(lib), log
            handle = fresh.register_full_backward_hook(lambda m, gi, go: fresh_log.append("removed"))
            y = fresh(x).sum()
            handle.remove()
            y.backward()
        elif case == "forward under no_grad":
            with no_grad():
                assert not layer(x).requires_grad
        else:  # the second pass goes back through the forward graph (the cube's derivative reads the output)
            out = (layer(x) ** 3).sum()
            (gx,) = grad(out, x, create_graph=True)
            gx.sum().backward()
        counts.append(log)
    if torch is not None:
        assert counts[0] == counts[1]
    expected = {"twice in one forward": ["pre", "full", "pre", "full"], "retain_graph": ["pre", "full"] * 2,
                "gradient of the output only": [], "gradient of the weight only": ["pre"],
                "registered after the forward": ["pre", "full"], "removed after the forward": ["removed"],
                "forward under no_grad": [], "double backward": ["pre", "full"] * 2}
    assert counts[0] == expected[case]


def test_under_create_graph_the_hooks_get_recorded_tensors_and_their_replacement_is_differentiated():
    # loss = sum((x W^T + b)^2); the hook doubles grad_input = 2 y W, so x's gradient is 4 y W. Its derivative
    # (of the sum), 4 * 1 W^T W per row, goes back through the forward graph (y), and so through the layer's hook
    # again, which doubles it too (as PyTorch's does).
    results = []
    for lib in _libraries():
        grad = ag.autograd.grad if lib is nn else torch.autograd.grad
        layer, x, seen = _linear(lib), _tensor(lib, X, requires_grad=True), []
        layer.register_full_backward_hook(lambda m, gi, go, seen=seen: seen.append(
            (gi[0].requires_grad, go[0].requires_grad)) or (2 * gi[0],))
        (gx,) = grad((layer(x) ** 2).sum(), x, create_graph=True)
        assert seen == [(True, True)]
        np.testing.assert_allclose(gx.detach().numpy(), 2 * (2 * (X @ W.T + B) @ W))
        (ggx,) = grad(gx.sum(), x)
        np.testing.assert_allclose(ggx.numpy(), np.tile(2 * 4 * (np.ones(3) @ W.T @ W), (4, 1)))
        results.append(ggx.numpy())
    if torch is not None:
        np.testing.assert_allclose(results[0], results[1])


def test_handles_remove_and_work_as_context_managers():
    layer, x, log = _linear(), ag.tensor(X, requires_grad=True), []
    with layer.register_full_backward_hook(lambda m, gi, go: log.append("full")):
        layer(x).sum().backward()
    handle = layer.register_full_backward_pre_hook(lambda m, go: log.append("pre"))
    handle.remove()
    handle.remove()
    layer(x).sum().backward()
    assert log == ["full"]


def test_the_order_of_forward_and_backward_hooks_and_through_a_sequential_as_pytorchs():
    logs = []
    for lib in _libraries():
        log, net = [], lib.Sequential(_linear(lib), lib.Tanh())
        for name, module in (("linear", net[0]), ("tanh", net[1])):
            module.register_forward_pre_hook(lambda m, args, name=name: log.append(f"{name} forward pre"))
            module.register_forward_hook(lambda m, args, out, name=name: log.append(f"{name} forward"))
            module.register_full_backward_pre_hook(lambda m, go, name=name: log.append(f"{name} backward pre"))
            module.register_full_backward_hook(lambda m, gi, go, name=name: log.append(f"{name} backward"))
        net(_tensor(lib, X, requires_grad=True)).sum().backward()
        logs.append(log)
    assert logs[0] == ["linear forward pre", "linear forward", "tanh forward pre", "tanh forward",
                       "tanh backward pre", "tanh backward", "linear backward pre", "linear backward"]
    if torch is not None:
        assert logs[0] == logs[1]


def test_a_forward_hooks_replacement_output_is_what_the_backward_hooks_see():
    layer, seen = _linear(), []
    layer.register_forward_hook(lambda m, args, out: out * 2)
    layer.register_full_backward_hook(lambda m, gi, go: seen.append(_numbers(gi)))
    layer(ag.tensor(X, requires_grad=True)).sum().backward()
    np.testing.assert_allclose(seen[0][0], 2 * np.ones((4, 2)) @ W)


def test_a_change_in_place_of_a_hooked_leaf_input_inside_forward_is_refused_as_pytorch():
    # The hooked input is a view of x (identity_with_grad_hook): `a += 1` would change a alone and leave x as it was,
    # so it is refused, as PyTorch refuses a change in place to a hooked input (BackwardHookFunctionBackward's view).
    class AddOneInPlace(nn.Module):
        def forward(self, a):
            a += 1
            return a * a

    module, seen = AddOneInPlace(), []
    module.register_full_backward_hook(lambda m, gi, go: seen.append(_numbers(gi)))
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match=r"\+=: this Tensor \(shape \(2,\)\) is a view of a leaf Tensor that "
                                           r"requires grad"):
        module(x)
    assert seen == [] and x.numpy().tolist() == [1.0, 2.0]
    if torch is not None:
        reference = torch.nn.Module()
        reference.forward = lambda a: (a.add_(1), a * a)[1]
        reference.register_full_backward_hook(lambda m, gi, go: None)
        with pytest.raises(RuntimeError, match="is a view and is being modified inplace"):
            reference(torch.tensor([1.0, 2.0], requires_grad=True))
    y = (x * 1.0)  # a recorded result behind the view: refused too, as PyTorch's (`a += 1` changes a itself)
    with pytest.raises(RuntimeError, match=r"\+=: the input \(shape \(2,\)\) shares its memory with another Tensor"):
        module(y)
    assert seen == [] and y.numpy().tolist() == [1.0, 2.0]
    if torch is not None:
        with pytest.raises(RuntimeError, match="is a view and is being modified inplace"):
            reference(torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True) * 1.0)


# ---- state ----------------------------------------------------------------------------------------------------------
def _record_module(m, gi, go):  # a module-level function: picklable
    m.seen = getattr(m, "seen", 0) + 1


def test_backward_hooks_are_no_parameters_children_or_state_and_copies_keep_them():
    layer = _linear()
    layer.register_full_backward_hook(_record_module)
    layer.register_full_backward_pre_hook(nn.Identity())  # a Module as a hook is not taken for a child
    assert list(layer.state_dict()) == ["weight", "bias"] and list(layer.children()) == []
    assert [name for name, _ in layer.named_parameters()] == ["weight", "bias"]
    assert len(layer._backward_hooks) == len(layer._backward_pre_hooks) == 1
    for twin in (copy.deepcopy(layer), pickle.loads(pickle.dumps(layer))):
        twin._backward_pre_hooks.clear()
        twin(ag.tensor(X, requires_grad=True)).sum().backward()
        assert twin.seen == 1 and not hasattr(layer, "seen")


def test_a_module_without_hooks_records_no_identities():
    layer = _linear()
    assert layer._backward_hooks is None and "_backward_hooks" not in vars(layer)
    out = layer(ag.tensor(X, requires_grad=True))
    assert out.op_name != "grad_hook_identity"
    layer.register_full_backward_pre_hook(lambda m, go: None)
    assert vars(layer)["_forward_hooks"] == {}  # what sends Module.__call__ to the hooks
    assert layer(ag.tensor(X, requires_grad=True)).op_name == "grad_hook_identity"


def test_deprecated_backward_hook_gets_the_output_gradients_with_a_warning():
    # K-FAC registers module.register_backward_hook(save_grad_output) and reads grad_output[0]
    layer, seen = _linear(), []
    with pytest.warns(FutureWarning, match=r"Linear.register_backward_hook is deprecated .*grad_input holds the "
                                           r"gradients with respect to the module's inputs"):
        handle = layer.register_backward_hook(lambda m, grad_input, grad_output: seen.append(grad_output[0]))
    layer(ag.tensor(X, requires_grad=True)).sum().backward()
    np.testing.assert_array_equal(seen[0].data, np.ones((4, 2)))  # d sum / d output, by hand
    handle.remove()
    layer(ag.tensor(X, requires_grad=True)).sum().backward()
    assert len(seen) == 1
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(TypeError, match="Linear.register_backward_hook: the hook must be callable"):
            layer.register_backward_hook(3)


class _DictOutput:
    """A module (of nn or torch.nn) whose forward returns a dict, as PyTorch's test_nn.py's
    test_call_supports_python_dict_output."""

    @staticmethod
    def make(lib):
        class Net(lib.Module):
            def __init__(self):
                super().__init__()
                self.l1 = _linear(lib)

            def forward(self, x):
                return {"label": "y", "output": self.l1(x).sum(), "rest": [self.l1(x)]}
        return Net()


@pytest.mark.parametrize("lib", ["nn", "torch"])
def test_deprecated_backward_hook_of_a_dict_output_is_called_at_its_first_tensor_as_torchs(lib):
    # found by porting PyTorch's test_nn.py: a module returning a dict never called its register_backward_hook hook
    # (a warning said the output must be a Tensor or a tuple); PyTorch's hooks the dict's first Tensor value
    lib = nn if lib == "nn" else pytest.importorskip("torch").nn
    net, seen = _DictOutput.make(lib), []
    x = _tensor(lib, X, requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        net.register_backward_hook(lambda m, grad_input, grad_output: seen.append(np.asarray(grad_output[0])))
        out = net(x)
        assert out["label"] == "y" and len(out) == 3
        out["output"].backward()
    assert len(seen) == 1
    np.testing.assert_array_equal(seen[0], 1.0)  # d output / d output, by hand
    np.testing.assert_allclose(np.asarray(x.grad), np.tile(W.sum(0), (4, 1)))  # the gradient unchanged


def test_full_backward_hook_of_a_dict_output_is_not_called_with_a_warning_as_torchs():
    net, seen = _DictOutput.make(nn), []
    net.register_full_backward_hook(lambda m, grad_input, grad_output: seen.append(grad_output))
    with pytest.warns(UserWarning, match="the module's output must be a Tensor or a tuple of Tensors"):
        out = net(ag.tensor(X, requires_grad=True))
    out["output"].backward()
    assert seen == []


def test_deprecated_backward_hook_on_a_relu_replaces_grad_input_as_torchs():
    # guided backpropagation: hooks on the ReLUs pass only positive gradients back
    values = RNG.standard_normal((3, 4))
    upstream = RNG.standard_normal((3, 4))
    expected = np.clip(upstream * (values > 0), 0, None)  # the hand rule

    def guided(module, grad_input, grad_output):
        return (grad_input[0].clamp(min=0.0),)

    x = ag.tensor(values, requires_grad=True)
    relu = nn.ReLU()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        relu.register_backward_hook(guided)
    relu(x).backward(ag.tensor(upstream))
    np.testing.assert_array_equal(x.grad.data, expected)
    if torch is not None:
        tx = torch.tensor(values, requires_grad=True)
        trelu = torch.nn.ReLU()
        trelu.register_backward_hook(guided)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)  # (torch's own deprecation warning)
            trelu(tx).backward(torch.tensor(upstream))
        np.testing.assert_array_equal(x.grad.data, tx.grad.numpy())
