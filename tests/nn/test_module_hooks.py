"""Forward hooks on Modules (nn/hooks.py; the file is named apart from tests/autograd_core/test_hooks.py, the
Tensor hooks, since pytest imports test files by name): watching and changing what goes in and out, order, removal,
gradients, and the same calls in PyTorch."""
import copy
import warnings

import numpy as np
import pytest

import autograd_core as ag
import nn

X = np.random.default_rng(0).standard_normal((4, 3))


def test_a_forward_hook_sees_each_hidden_layers_activations():
    net = nn.MLP([3, 5, 2], rng=0, dtype=np.float64)
    seen = []
    handle = net.layers[1].register_forward_hook(lambda module, args, output: seen.append((module, output)))
    out = net(X)
    ((module, hidden),) = seen
    assert module is net.layers[1]
    np.testing.assert_array_equal(hidden.numpy(), np.maximum(X @ net.layers[0].weight.numpy().T
                                                             + net.layers[0].bias.numpy(), 0))
    np.testing.assert_array_equal(out.numpy(), net.layers[2](hidden).numpy())
    handle.remove()
    net(X)
    assert len(seen) == 1


def test_a_pre_hook_may_replace_the_input_as_a_tuple_or_one_value():
    layer = nn.Linear(3, 2, rng=0, dtype=np.float64)
    expected = layer(2 * X).numpy()
    with layer.register_forward_pre_hook(lambda module, args: (2 * args[0],)):
        np.testing.assert_array_equal(layer(X).numpy(), expected)
    with layer.register_forward_pre_hook(lambda module, args: 2 * args[0]):
        np.testing.assert_array_equal(layer(X).numpy(), expected)
    with layer.register_forward_pre_hook(lambda module, args: None):
        np.testing.assert_array_equal(layer(X).numpy(), layer.forward(X).numpy())


def test_a_hooks_replacement_output_carries_gradients():
    layer = nn.Linear(3, 2, rng=0, dtype=np.float64)
    layer(X).sum().backward()
    plain = layer.weight.grad.numpy().copy()
    layer.zero_grad()
    layer.register_forward_hook(lambda module, args, output: 3 * output)
    layer(X).sum().backward()
    np.testing.assert_allclose(layer.weight.grad.numpy(), 3 * plain, rtol=1e-15)


def test_hooks_run_in_order_prepend_first_and_each_sees_the_last_result():
    layer, calls = nn.Identity(), []
    layer.register_forward_hook(lambda m, a, out: calls.append("second") or out + 1)
    layer.register_forward_hook(lambda m, a, out: calls.append("third") or out * 10)
    layer.register_forward_hook(lambda m, a, out: calls.append("first") or out, prepend=True)
    layer.register_forward_pre_hook(lambda m, a: calls.append("pre") or None)
    out = layer(ag.tensor([1.0]))
    assert calls == ["pre", "first", "second", "third"]
    np.testing.assert_array_equal(out.numpy(), [20.0])


def test_with_kwargs_passes_and_replaces_keyword_arguments():
    class Scale(nn.Module):
        def forward(self, x, factor=1.0):
            return ag.tensor(x) * factor

    module, seen = Scale(), []
    module.register_forward_pre_hook(lambda m, args, kwargs: (args, {**kwargs, "factor": 5.0}), with_kwargs=True)
    module.register_forward_hook(lambda m, args, kwargs, out: seen.append(kwargs), with_kwargs=True)
    np.testing.assert_array_equal(module(np.array([2.0]), factor=2.0).numpy(), [10.0])
    assert seen == [{"factor": 5.0}]


def test_a_hook_may_remove_itself_and_removing_twice_does_nothing():
    layer, calls = nn.ReLU(), []

    def once(module, args, output):
        calls.append(1)
        handle.remove()

    handle = layer.register_forward_hook(once)
    layer(X)
    layer(X)
    handle.remove()
    assert calls == [1]


def test_hooks_are_no_parameters_children_or_state_and_a_deep_copy_keeps_them():
    layer, seen = nn.Linear(3, 2, rng=0), []
    layer.register_forward_hook(lambda m, a, out: seen.append(m))
    assert list(layer.state_dict()) == ["weight", "bias"] and list(layer.children()) == []
    assert [name for name, _ in layer.named_parameters()] == ["weight", "bias"]
    twin = copy.deepcopy(layer)
    twin(X.astype(np.float32))
    assert seen == [twin]


def test_the_hook_dicts_hold_the_hooks_themselves_as_pytorchs():
    # PyTorch's pruning tutorial finds its hook so: for hook in module._forward_pre_hooks.values(): hook._tensor_name
    layer = nn.ReLU()
    pre = layer.register_forward_pre_hook(print)
    kw = layer.register_forward_pre_hook(lambda m, args, kwargs: None, with_kwargs=True)
    layer.register_forward_hook(len)
    assert list(layer._forward_pre_hooks) == [pre.id, kw.id] and layer._forward_pre_hooks[pre.id] is print
    assert layer._forward_pre_hooks_with_kwargs == {kw.id: True} and list(layer._forward_hooks.values()) == [len]
    kw.remove()
    assert layer._forward_pre_hooks_with_kwargs == {} and list(layer._forward_pre_hooks) == [pre.id]
    torch = pytest.importorskip("torch")
    twin = torch.nn.ReLU()
    handle = twin.register_forward_pre_hook(print)
    assert twin._forward_pre_hooks[handle.id] is print  # (PyTorch's layout)


def test_a_module_used_as_a_forward_hook_is_no_child():
    layer, doubler = nn.Linear(2, 2, rng=0), nn.Module()
    doubler.forward = lambda module, args, output: output * 2  # (a Module's call gives forward these arguments)
    layer.register_forward_hook(doubler)
    assert list(layer.children()) == [] and list(layer.state_dict()) == ["weight", "bias"]
    x = np.ones((1, 2), np.float32)
    np.testing.assert_allclose(layer(x).data, 2 * (x @ layer.weight.data.T + layer.bias.data), rtol=1e-6)


@pytest.mark.parametrize("call, error, message", [
    (lambda m: m.register_forward_hook("print"), TypeError, "ReLU.register_forward_hook: the hook must be callable"),
    (lambda m: m.register_forward_pre_hook(print, prepend="yes"), TypeError, "prepend must be"),
    (lambda m: m.register_forward_pre_hook(lambda m, a, k: a, with_kwargs=True) and m(X), TypeError,
     "a forward pre-hook with with_kwargs=True must return None or a pair"),
])
def test_bad_hooks_are_refused_naming_the_method(call, error, message):
    with pytest.raises(error, match=message):
        call(nn.ReLU())


def test_hooks_match_pytorchs_order_and_results():
    torch = pytest.importorskip("torch")
    results = []
    for lib, tensor in ((nn, np.array), (torch.nn, lambda v: torch.tensor(v, dtype=torch.float64))):
        layer, calls = lib.ReLU(), []
        layer.register_forward_pre_hook(lambda m, a, calls=calls: calls.append("pre") or (a[0] - 1,))
        layer.register_forward_hook(lambda m, a, out, calls=calls: calls.append("post") or out * 2)
        layer.register_forward_hook(lambda m, a, out, calls=calls: calls.append("first"), prepend=True)
        out = layer(tensor([0.5, 2.0, 3.0]))
        results.append((calls, np.asarray(out.detach().numpy())))
    assert results[0][0] == results[1][0] == ["pre", "first", "post"]
    np.testing.assert_array_equal(results[0][1], results[1][1])


# ---- register_forward_hook(always_call=True), as PyTorch's -----------------------------------------------------------
# Such a hook also runs when a pre-hook, the forward or an earlier hook raises, with the output so far (None when the
# forward did not return); an error of its own becomes a warning, and the original error goes on. The expected logs
# are PyTorch 2.13's for the same module and hooks.
class _Doubler(nn.Module):
    def __init__(self, fail=False):
        super().__init__()
        self.fail = fail

    def forward(self, x, scale=1.0):
        if self.fail:
            raise ValueError("forward failed")
        return x * 2 * scale


def _total(output):
    return None if output is None else float(output.data.sum())


def _log_hooks(module, log):
    module.register_forward_hook(lambda m, args, out: log.append(("always", _total(out))), always_call=True)
    module.register_forward_hook(lambda m, args, out: log.append(("plain", _total(out))))
    module.register_forward_hook(lambda m, args, kwargs, out: log.append(("always_kw", _total(out), sorted(kwargs))),
                                 with_kwargs=True, always_call=True)


def test_without_an_error_every_hook_runs_once_in_order():
    module, log = _Doubler(), []
    _log_hooks(module, log)
    assert float(module(ag.tensor([1.0, 2.0]), scale=1.0).data.sum()) == 6.0
    assert log == [("always", 6.0), ("plain", 6.0), ("always_kw", 6.0, ["scale"])]


def test_a_failing_forward_still_calls_the_always_called_hooks_then_raises():
    module, log = _Doubler(fail=True), []
    _log_hooks(module, log)
    with pytest.raises(ValueError, match="forward failed"):
        module(ag.tensor([1.0]), scale=3.0)
    assert log == [("always", None), ("always_kw", None, ["scale"])]


def test_a_failing_hook_calls_the_always_called_hooks_not_run_yet_with_the_output_so_far():
    module, log = _Doubler(), []
    module.register_forward_hook(lambda m, args, out: log.append(("first", _total(out))) or out + 1, always_call=True)
    module.register_forward_hook(lambda m, args, out: 1 / 0)
    module.register_forward_hook(lambda m, args, out: log.append(("after", _total(out))), always_call=True)
    module.register_forward_hook(lambda m, args, out: log.append(("plain", _total(out))))
    with pytest.raises(ZeroDivisionError):
        module(ag.tensor([1.0]))
    assert log == [("first", 2.0), ("after", 3.0)]


def test_an_error_in_an_always_called_hook_is_a_warning_and_removal_works():
    module, log = _Doubler(fail=True), []
    module.register_forward_hook(lambda m, args, out: 1 / 0, always_call=True)
    handle = module.register_forward_hook(lambda m, args, out: log.append("ran"), always_call=True)
    with pytest.warns(UserWarning, match="always_call=True raised"), pytest.raises(ValueError, match="forward"):
        module(ag.tensor([1.0]))
    assert log == ["ran"]
    handle.remove()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(ValueError):
            module(ag.tensor([1.0]))
    assert log == ["ran"]


def test_a_failing_pre_hook_also_calls_them_and_always_call_must_be_a_flag():
    module, log = _Doubler(), []
    module.register_forward_pre_hook(lambda m, args: [][0])
    module.register_forward_hook(lambda m, args, out: log.append(_total(out)), always_call=True)
    with pytest.raises(IndexError):
        module(ag.tensor(np.ones(2)))
    assert log == [None]
    with pytest.raises(TypeError, match="always_call"):
        module.register_forward_hook(lambda m, args, out: None, always_call="yes")


def test_hooks_dict_ref_gives_the_dict_the_hook_was_in_as_pytorchs():
    # (PyTorch's test_module_forward_preforward_hook_removable: hooks that remove themselves while called)
    def check(library, example):
        module = library.Sigmoid()
        handles = []
        handles.append(module.register_forward_pre_hook(lambda m, args: handles[0].remove()))
        handles.append(module.register_forward_hook(lambda m, args, output: handles[1].remove()))
        handles.append(module.register_forward_hook(lambda m, args, output: handles[2].remove()))
        sizes = [len(handle.hooks_dict_ref()) for handle in handles]
        module(example)
        present = [handle.id in handle.hooks_dict_ref() for handle in handles]
        return sizes, present, [len(handle.hooks_dict_ref()) for handle in handles]

    expected = ([1, 2, 2], [False, False, False], [0, 0, 0])
    assert check(nn, np.ones((2, 2))) == expected
    torch = pytest.importorskip("torch")
    assert check(torch.nn, torch.ones(2, 2)) == expected
