"""Global module hooks (nn/module_global_hooks.py, as torch.nn.modules.module's register_module_forward_hook and
kin): run by every module's call, before the module's own hooks; gone, they leave Module.__call__'s fast path as it
was. Ported from PyTorch's test_module_hooks.py (TestModuleGlobalHooks), with checks of our own against torch."""
import math
import warnings

import numpy as np
import pytest

import autograd_core as ag
import nn
from nn.hooks import GLOBAL_ALWAYS, GLOBAL_DEPRECATED, GLOBAL_HOOKS, GLOBAL_WITH_KWARGS, REGISTRATION_HOOKS
from nn.modules.module import (register_module_backward_hook, register_module_buffer_registration_hook,
                               register_module_forward_hook, register_module_forward_pre_hook,
                               register_module_full_backward_hook, register_module_full_backward_pre_hook,
                               register_module_module_registration_hook, register_module_parameter_registration_hook)

SIGMOID_OF_1 = 1 / (1 + 1 / math.e)


@pytest.fixture(autouse=True)
def _no_global_hooks_left():
    yield
    leftover = {kind: list(hooks) for kind, hooks in {**GLOBAL_HOOKS, **REGISTRATION_HOOKS}.items() if hooks}
    for hooks in (*GLOBAL_HOOKS.values(), *REGISTRATION_HOOKS.values(), GLOBAL_WITH_KWARGS, GLOBAL_ALWAYS,
                  GLOBAL_DEPRECATED):
        hooks.clear()
    nn.Module._forward_hooks = None
    assert not leftover, f"a test left global hooks registered: {leftover}"


def _deprecated_backward(hook):
    with pytest.warns(FutureWarning, match="register_module_backward_hook is deprecated"):
        return register_module_backward_hook(hook)


def test_global_hooks_count_every_modules_calls_and_backward_passes_until_removed():
    # PyTorch's test_module_global_hooks, step for step: three Sigmoids, hooks added and removed between the calls
    modules = [nn.Sigmoid() for _ in range(3)]
    x = ag.ones((5, 5), requires_grad=True)
    counter = {"forwards": 0, "backwards": 0}

    def fw_hook(inc, module, args, output):
        assert isinstance(args, tuple) and isinstance(module, nn.Sigmoid)
        np.testing.assert_array_equal(args[0].data, np.ones((5, 5)))
        np.testing.assert_allclose(output.data, np.full((5, 5), SIGMOID_OF_1))
        counter["forwards"] += inc

    def bw_hook(inc, module, grad_input, grad_output):
        assert isinstance(grad_input, tuple) and isinstance(grad_output, tuple) and isinstance(module, nn.Sigmoid)
        np.testing.assert_array_equal(grad_output[0].data, np.full((5, 5), 2.0))
        counter["backwards"] += inc

    test_fwd = register_module_forward_hook(lambda *args: fw_hook(1, *args))
    for module in modules:
        module(x)
    assert counter == {"forwards": 3, "backwards": 0}
    test_bwd = _deprecated_backward(lambda *args: bw_hook(1, *args))
    outputs = [module(x) for module in modules]
    assert counter == {"forwards": 6, "backwards": 0}
    for output, retain in zip(outputs, (True, False, False)):
        output.backward(np.full((5, 5), 2.0), retain_graph=retain)
    assert counter == {"forwards": 6, "backwards": 3}
    outputs[0].backward(np.full((5, 5), 2.0), retain_graph=True)
    assert counter == {"forwards": 6, "backwards": 4}
    test2_fwd = register_module_forward_hook(lambda *args: fw_hook(2, *args))
    for module in modules:
        module(x)
    assert counter == {"forwards": 15, "backwards": 4}
    test2_bwd = _deprecated_backward(lambda *args: bw_hook(2, *args))
    modules[0](x).backward(np.full((5, 5), 2.0))
    assert counter == {"forwards": 18, "backwards": 7}
    test2_bwd.remove()
    modules[1](x).backward(np.full((5, 5), 2.0))
    assert counter == {"forwards": 21, "backwards": 8}
    test2_fwd.remove()
    modules[2](x).backward(np.full((5, 5), 2.0))
    assert counter == {"forwards": 22, "backwards": 9}
    test_fwd.remove()
    test_bwd.remove()
    assert nn.Module._forward_hooks is None  # none left: Module.__call__ skips the hooks again


@pytest.mark.parametrize("returned, count", [(lambda grad_input: grad_input[:-1], 0),
                                             (lambda grad_input: grad_input + (ag.zeros((2, 2)),), 2)])
def test_a_global_backward_hook_returning_the_wrong_number_of_gradients_is_refused(returned, count):
    # PyTorch's test_module_global_hook_invalid_outputs (its words: "got 0, but expected 1"; ours name the counts)
    with register_module_full_backward_hook(lambda module, grad_input, grad_output: returned(grad_input)):
        with pytest.raises(RuntimeError, match=f"returned {count} gradient\\(s\\) as grad_input, but the module has 1"):
            nn.Sigmoid()(ag.tensor(np.random.default_rng(0).normal(size=(5, 5)), requires_grad=True)).sum().backward()


def test_a_global_backward_hook_may_replace_grad_input():
    # PyTorch's test_module_backward_global_hook_writeable
    x = ag.tensor(np.random.default_rng(1).normal(size=(5, 5)), requires_grad=True)
    sig = 1 / (1 + np.exp(-x.data))

    def doubled(module, grad_input, grad_output):
        assert all(isinstance(g, ag.Tensor) for g in grad_input + grad_output)
        return tuple(g * 2 for g in grad_input)

    with register_module_full_backward_hook(doubled):
        nn.Sigmoid()(x).backward(np.ones((5, 5)))
    np.testing.assert_allclose(x.grad.data, sig * (1 - sig) * 2, rtol=1e-12)


def test_global_forward_pre_hook_and_forward_hook_may_replace_input_and_output():
    # PyTorch's test_module_global_forward_preforward_hook_writeable
    x = ag.tensor(np.random.default_rng(2).normal(size=(5, 5)), requires_grad=True)
    sig = 1 / (1 + np.exp(-x.data))
    with register_module_forward_pre_hook(lambda module, args: nn.functional.relu(args[0])), \
            register_module_forward_hook(lambda module, args, output: -output):
        output = nn.Sigmoid()(x)
    np.testing.assert_allclose(output.data, -1 / (1 + np.exp(-np.maximum(x.data, 0))), rtol=1e-12)
    output.backward(np.full((5, 5), 2.0))
    np.testing.assert_allclose(x.grad.data, -sig * (1 - sig) * 2 * (x.data > 0), rtol=1e-12)


def test_global_hooks_run_before_the_modules_own():
    # PyTorch's test_global_and_local_hooks_order, with the backward pre-hooks too
    calls = []

    def recorder(name, returned):
        return lambda *args: calls.append(name) or returned(args)

    sigmoid = nn.Sigmoid()
    handles = [register_module_forward_pre_hook(recorder("global pre", lambda a: None)),
               register_module_forward_hook(recorder("global forward", lambda a: None)),
               register_module_full_backward_pre_hook(recorder("global backward pre", lambda a: None)),
               register_module_full_backward_hook(recorder("global backward", lambda a: a[1]))]
    sigmoid.register_forward_pre_hook(recorder("pre", lambda a: None))
    sigmoid.register_forward_hook(recorder("forward", lambda a: None))
    sigmoid.register_full_backward_pre_hook(recorder("backward pre", lambda a: None))
    sigmoid.register_full_backward_hook(recorder("backward", lambda a: a[1]))
    output = sigmoid(ag.ones((5, 5), requires_grad=True))
    assert calls == ["global pre", "pre", "global forward", "forward"]
    output.backward(np.ones((5, 5)))
    assert calls[4:] == ["global backward pre", "backward pre", "global backward", "backward"]
    for handle in handles:
        handle.remove()


def test_global_forward_hook_with_kwargs_and_always_call_as_torchs():
    class Biased(nn.Module):
        def forward(self, x, bias=None):
            if bias == "raise":
                raise ValueError("forward failed")
            return x + bias

    seen = []
    with register_module_forward_hook(lambda module, args, kwargs, output: output * kwargs["bias"], with_kwargs=True):
        np.testing.assert_array_equal(Biased()(ag.ones(2), bias=3.0).data, [12.0, 12.0])  # (1 + 3) * 3
    with register_module_forward_hook(lambda module, args, output: seen.append(output), always_call=True):
        with pytest.raises(ValueError, match="forward failed"):
            Biased()(ag.ones(2), bias="raise")
    assert seen == [None]  # called with no output, then the error went on
    assert not GLOBAL_WITH_KWARGS and not GLOBAL_ALWAYS  # the handles took their flags off too


def test_global_hooks_match_torchs_calls_on_a_model():
    torch = pytest.importorskip("torch")
    ours = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
    theirs = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 2))
    theirs.load_state_dict({k: torch.tensor(v) for k, v in ours.state_dict().items()})
    x = np.random.default_rng(3).normal(size=(5, 3)).astype(np.float32)
    logs = []
    for library, model, make in ((nn.modules.module, ours, lambda a: ag.tensor(a, requires_grad=True)),
                                 (torch.nn.modules.module, theirs, lambda a: torch.tensor(a, requires_grad=True))):
        log = []
        handles = [library.register_module_forward_pre_hook(lambda m, a: log.append(("pre", type(m).__name__))),
                   library.register_module_forward_hook(lambda m, a, o: log.append(("fwd", tuple(o.shape)))),
                   library.register_module_full_backward_hook(
                       lambda m, gi, go: log.append(("bwd", type(m).__name__, np.asarray(go[0].detach()).sum())))]
        model(make(x)).sum().backward()
        for handle in handles:
            handle.remove()
        logs.append(log)
    assert [entry[:2] for entry in logs[0]] == [entry[:2] for entry in logs[1]]
    np.testing.assert_allclose([e[2] for e in logs[0] if e[0] == "bwd"], [e[2] for e in logs[1] if e[0] == "bwd"],
                               rtol=1e-5)


def test_no_global_hook_leaves_a_modules_call_on_its_fast_path():
    layer = nn.Linear(2, 2)
    assert nn.Module._forward_hooks is None and "_forward_hooks" not in vars(layer)
    handle = register_module_forward_pre_hook(lambda module, args: None)
    assert nn.Module._forward_hooks == {} and "_forward_hooks" not in vars(layer)  # every call takes the hooks
    handle.remove()
    handle.remove()  # (a second remove does nothing)
    assert nn.Module._forward_hooks is None
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        layer(np.ones((1, 2), np.float32))


def test_a_global_hook_that_is_not_callable_is_refused():
    with pytest.raises(TypeError, match="register_module_forward_hook: the hook must be callable, got int"):
        register_module_forward_hook(3)
    assert nn.Module._forward_hooks is None


def _registrations(library):
    """[(kind, module class, name)] of the registration hooks' calls while a small model is built and changed."""
    log = []
    registers = [(kind, getattr(library.modules.module, f"register_module_{kind}_registration_hook"))
                 for kind in ("parameter", "buffer", "module")]
    handles = [register(lambda module, name, value, kind=kind: log.append((kind, type(module).__name__, name)))
               for kind, register in registers]
    model = library.Sequential(library.Linear(2, 3), library.BatchNorm1d(3))
    model.add_module("act", library.ReLU())
    model[1].running_mean = model[1].running_mean * 0  # a Tensor assigned to a buffer's name
    model[0].weight = type(model[0].weight)(model[0].weight.detach() * 1)  # a Parameter assigned
    model.register_buffer("steps", None)
    model.act = None
    for handle in handles:
        handle.remove()
    return log


def test_registration_hooks_see_what_torchs_see():
    ours = _registrations(nn)
    built = [("parameter", "Linear", "weight"), ("parameter", "Linear", "bias"), ("parameter", "BatchNorm1d", "weight"),
             ("parameter", "BatchNorm1d", "bias"), ("buffer", "BatchNorm1d", "running_mean"),
             ("buffer", "BatchNorm1d", "running_var"), ("buffer", "BatchNorm1d", "num_batches_tracked"),
             ("module", "Sequential", "0"), ("module", "Sequential", "1"), ("module", "Sequential", "act")]
    changed = [("buffer", "BatchNorm1d", "running_mean"), ("parameter", "Linear", "weight"),
               ("buffer", "Sequential", "steps"), ("module", "Sequential", "act")]  # (None in a child's place too)
    assert ours == built + changed
    torch = pytest.importorskip("torch")
    assert ours == _registrations(torch.nn)


def test_a_registration_hook_may_replace_what_is_registered():
    frozen = []

    def freeze(module, name, param):
        frozen.append(name)
        return nn.Parameter(param.detach(), requires_grad=False)

    with register_module_parameter_registration_hook(freeze):
        layer = nn.Linear(2, 3)
    assert frozen == ["weight", "bias"] and not any(p.requires_grad for p in layer.parameters())
    assert [name for name, _ in layer.named_parameters()] == ["weight", "bias"]
    with register_module_module_registration_hook(lambda module, name, child: nn.Identity()):
        model = nn.Sequential(nn.ReLU())
    assert isinstance(model[0], nn.Identity)
    class Counted(nn.Module):
        def __init__(self):
            super().__init__()
            self.register_buffer("count", ag.zeros(2))
            self.scale = nn.Parameter(ag.ones(1))
            self.total = nn.Buffer(ag.zeros(1))

    with register_module_buffer_registration_hook(lambda module, name, buffer: buffer + 1):
        counted = Counted()
    np.testing.assert_array_equal(counted.count.data, [1.0, 1.0])
    np.testing.assert_array_equal(counted.total.data, [1.0])
    assert list(counted.state_dict()) == ["scale", "count", "total"]  # (still buffers, in PyTorch's order)
    nn.Linear(2, 3)  # the handles removed: nothing is changed
    assert frozen == ["weight", "bias"]


def test_a_deprecated_global_backward_hook_is_called_at_a_dict_outputs_first_tensor_as_torchs():
    # as Module.register_backward_hook's, checked against torch in tests/nn/test_module_backward_hooks.py (torch's
    # global one cannot be checked in this process: torch refuses it once a global full hook was registered)
    class Net(nn.Module):
        def forward(self, x):
            return {"label": "y", "output": (x * 2).sum()}

    seen = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        handle = register_module_backward_hook(lambda m, grad_input, grad_output: seen.append(type(m).__name__))
        Net()(ag.tensor(np.ones(3), requires_grad=True))["output"].backward()
    handle.remove()
    assert seen == ["Net"] and not GLOBAL_DEPRECATED
    with register_module_full_backward_hook(lambda m, grad_input, grad_output: seen.append(type(m).__name__)):
        with pytest.warns(UserWarning, match="the module's output must be a Tensor or a tuple of Tensors"):
            out = Net()(ag.tensor(np.ones(3), requires_grad=True))
        out["output"].backward()
    assert seen == ["Net"]  # the full hook is not called, as PyTorch's


def test_a_dict_output_calls_the_deprecated_hooks_alone_and_a_module_takes_one_kind_of_backward_hook():
    # found by review: a global register_module_backward_hook made a module's full hook run at a dict output's first
    # Tensor too (PyTorch calls the deprecated ones alone there); and a module took both kinds, which PyTorch refuses
    class Net(nn.Module):
        def forward(self, x):
            return {"o": (x * 2).sum()}

    net, calls = Net(), []
    net.register_full_backward_hook(lambda m, grad_input, grad_output: calls.append("own full"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        handle = register_module_backward_hook(lambda m, grad_input, grad_output: calls.append("global deprecated"))
        net(ag.tensor(np.ones(3), requires_grad=True))["o"].backward()
        handle.remove()
        with pytest.raises(RuntimeError, match="cannot use both regular backward hooks .* and full backward hooks"):
            net.register_backward_hook(lambda m, grad_input, grad_output: None)
        other = nn.ReLU()
        other.register_backward_hook(lambda m, grad_input, grad_output: None)
        with pytest.raises(RuntimeError, match="cannot use both regular backward hooks"):
            other.register_full_backward_hook(lambda m, grad_input, grad_output: None)
    assert calls == ["global deprecated"]
