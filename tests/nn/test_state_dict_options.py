"""Module.state_dict's PyTorch options (prefix, destination and keep_vars) and load_state_dict's assign, against
torch.nn where installed."""
from collections import OrderedDict

import numpy as np
import pytest

import nn
from nn.module import StateDictError


def _model():
    return nn.Sequential(nn.Linear(3, 4, rng=0), nn.BatchNorm1d(4), nn.Linear(4, 2, rng=1))


def test_prefix_goes_before_every_name_and_the_values_are_copies():
    model = _model()
    plain, prefixed = model.state_dict(), model.state_dict(prefix="net.")
    assert list(prefixed) == ["net." + name for name in plain]
    for name, value in plain.items():
        assert np.array_equal(prefixed["net." + name], value)
    prefixed["net.0.weight"][...] = 7.0  # a copy: the model is unchanged
    assert not (model[0].weight.data == 7.0).any()


def test_destination_receives_the_entries_and_is_returned():
    model, destination = _model(), OrderedDict(first=np.zeros(1))
    result = model.state_dict(destination=destination, prefix="m.")
    assert result is destination
    assert list(result) == ["first"] + ["m." + name for name in model.state_dict()]


def test_keep_vars_gives_the_parameters_and_buffers_themselves():
    model = _model()
    kept = model.state_dict(keep_vars=True)
    assert kept["0.weight"] is model[0].weight and kept["1.running_mean"] is model[1].running_mean
    assert list(kept) == list(model.state_dict())


@pytest.mark.parametrize("call, error, message", [
    (lambda m: m.state_dict(prefix=1), TypeError, "Sequential.state_dict: prefix must be a string"),
    (lambda m: m.state_dict(destination=[]), TypeError, "destination must be a dict to receive the entries"),
    (lambda m: m.state_dict(keep_vars="yes"), TypeError, "keep_vars"),
])
def test_bad_options_are_refused(call, error, message):
    with pytest.raises(error, match=message):
        call(_model())


def test_the_options_give_torchs_keys():
    torch = pytest.importorskip("torch")
    ours = _model()
    theirs = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.BatchNorm1d(4), torch.nn.Linear(4, 2))
    assert list(ours.state_dict(prefix="p.")) == list(theirs.state_dict(prefix="p."))
    assert list(ours.state_dict(keep_vars=True)) == list(theirs.state_dict(keep_vars=True))


@pytest.mark.parametrize("make", [lambda: nn.BatchNorm1d(4), lambda: nn.BatchNorm2d(4),
                                  lambda: nn.InstanceNorm1d(4, track_running_stats=True)])
def test_a_checkpoint_without_num_batches_tracked_loads_and_keeps_the_count(make):
    # PyTorch's BatchNorm before its version 2 saved no num_batches_tracked; loading such a dict keeps the count
    layer = make()
    layer.num_batches_tracked.data[...] = 5
    old = {k: v + 1 for k, v in layer.state_dict().items() if k != "num_batches_tracked"}
    assert layer.load_state_dict(old) == ([], [])
    assert int(layer.num_batches_tracked.data) == 5
    assert np.array_equal(layer.running_mean.data, old["running_mean"])
    model = nn.Sequential(nn.Linear(4, 4, rng=0), make())
    state = {k: v for k, v in model.state_dict().items() if not k.endswith("num_batches_tracked")}
    assert model.load_state_dict(state) == ([], [])
    state.pop("1.running_mean")  # any other entry is still missing
    with pytest.raises(ValueError, match=r"missing keys .*'1.running_mean'"):
        model.load_state_dict(state)


@pytest.mark.parametrize("version", [1, None])
def test_an_older_versions_checkpoint_without_num_batches_tracked_keeps_the_count(version):
    # PyTorch's test_load_state_dict_BC: metadata naming version 1, or no version, stands for a checkpoint from
    # before BatchNorm's version 2, whose missing num_batches_tracked keeps the module's (int64) count
    layer = nn.BatchNorm2d(3)
    state = layer.state_dict()
    del state["num_batches_tracked"]
    state._metadata[""]["version"] = version
    if version is None:
        del state._metadata[""]["version"]
    assert layer.load_state_dict(state) == ([], [])
    assert layer.num_batches_tracked.dtype == np.int64 and layer.num_batches_tracked.item() == 0


def test_a_version_2_checkpoint_without_num_batches_tracked_misses_it():
    # BatchNorm saves version 2, as PyTorch's: a checkpoint saying so lacks num_batches_tracked only by mistake
    model = nn.Sequential(nn.Linear(2, 3, rng=0), nn.BatchNorm1d(3))
    state = model.state_dict()
    assert state._metadata["1"] == {"version": 2}
    del state["1.num_batches_tracked"]
    with pytest.raises(StateDictError, match=r"missing keys .*\['1.num_batches_tracked'\]"):
        model.load_state_dict(state)
    assert model.load_state_dict(state, strict=False).missing_keys == ["1.num_batches_tracked"]
    torch = pytest.importorskip("torch")
    theirs = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.BatchNorm1d(3))
    their_state = theirs.state_dict()
    del their_state["1.num_batches_tracked"]
    assert their_state._metadata["1"] == {"version": 2}
    assert theirs.load_state_dict(their_state, strict=False).missing_keys == ["1.num_batches_tracked"]


def test_torch_loads_the_same_old_checkpoint():
    torch = pytest.importorskip("torch")
    theirs = torch.nn.BatchNorm1d(4)
    old = {k: v for k, v in theirs.state_dict().items() if k != "num_batches_tracked"}
    assert theirs.load_state_dict(old).missing_keys == []


# ---- load_state_dict(assign=True), PyTorch's option ------------------------------------------------------------------
# Each Parameter and buffer takes the state dict entry's dtype, and no .grad, as PyTorch's (whose new Parameter has
# none); here the same objects take a copy of the values, so an optimizer built before keeps them. Shapes are checked
# as without it; an integer entry for a Parameter that requires grad is refused (PyTorch raises too).
def _float64_state(model):
    return {k: v.astype(np.float64) if v.dtype == np.float32 else v for k, v in model.state_dict().items()}


def test_assign_takes_the_entries_dtypes_and_keeps_the_objects():
    model = nn.Sequential(nn.Linear(2, 2), nn.BatchNorm1d(2))
    weight = model[0].weight
    result = model.load_state_dict(_float64_state(model), assign=True)
    assert result == ([], [])
    assert [p.dtype for p in model.parameters()] == [np.float64] * 4
    assert [b.dtype.name for b in model.buffers()] == ["float64", "float64", "int64"]
    assert model[0].weight is weight and weight.requires_grad
    assert model(np.ones((3, 2))).dtype == np.float64


def test_assign_false_casts_as_before():
    model = nn.Linear(2, 2)
    model.load_state_dict(_float64_state(model), assign=False)
    assert model.weight.dtype == np.float32


def test_assign_drops_the_old_gradient_as_pytorchs_new_parameter():
    model = nn.Linear(2, 2)
    model(np.ones(2, np.float32)).sum().backward()
    model.load_state_dict(_float64_state(model), assign=True)
    assert model.weight.grad is None
    model(np.ones(2)).sum().backward()
    np.testing.assert_array_equal(model.weight.grad.data, np.ones((2, 2)))  # this pass's gradient alone
    assert model.weight.grad.dtype == np.float64


def test_assign_checks_shapes_and_refuses_integers_for_a_parameter_that_requires_grad():
    model = nn.Linear(2, 2)
    with pytest.raises(StateDictError, match="size mismatch for 'weight'"):
        model.load_state_dict({"weight": np.ones((3, 2))}, strict=False, assign=True)
    with pytest.raises(StateDictError, match="only a float parameter can require grad"):
        model.load_state_dict({"weight": np.ones((2, 2), np.int64), "bias": np.ones(2)}, assign=True)
    assert model.weight.dtype == np.float32  # nothing changed
    frozen = nn.Linear(2, 2).requires_grad_(False)
    frozen.load_state_dict({k: v.astype(np.float16) for k, v in frozen.state_dict().items()}, assign=True)
    assert frozen.weight.dtype == np.float16
    with pytest.raises(TypeError, match="assign"):
        model.load_state_dict(model.state_dict(), assign="yes")


def test_the_same_dtypes_as_pytorch():
    torch = pytest.importorskip("torch")
    theirs = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.BatchNorm1d(2))
    theirs.load_state_dict({k: v.double() if v.dtype == torch.float32 else v for k, v in theirs.state_dict().items()},
                           assign=True)
    ours = nn.Sequential(nn.Linear(2, 2), nn.BatchNorm1d(2))
    ours.load_state_dict(_float64_state(ours), assign=True)
    assert [str(v.dtype) for v in ours.state_dict().values()] == [
        str(v.dtype).replace("torch.", "") for v in theirs.state_dict().values()]


# ---- register_load_state_dict_post_hook (PyTorch's, used to forgive keys a warm start leaves out) ----
def _warm_start_pair():
    """A source net's state dict and a target whose head has other names (the warmstarting recipe)."""
    source = nn.Sequential(nn.Linear(3, 4, rng=0), nn.Linear(4, 2, rng=1))
    target = nn.Sequential(nn.Linear(3, 4, rng=2))
    target.head = nn.Linear(4, 2, rng=3)
    return source.state_dict(), target


def test_post_hook_sees_the_incompatible_keys_after_the_values_are_loaded():
    state, target = _warm_start_pair()
    seen = []
    target.register_load_state_dict_post_hook(
        lambda module, keys: seen.append((module, list(keys.missing_keys), list(keys.unexpected_keys),
                                          module[0].weight.data.copy())))
    result = target.load_state_dict(state, strict=False)
    assert result == (["head.weight", "head.bias"], ["1.weight", "1.bias"])
    assert len(seen) == 1 and seen[0][0] is target
    assert seen[0][1:3] == (["head.weight", "head.bias"], ["1.weight", "1.bias"])
    np.testing.assert_array_equal(seen[0][3], state["0.weight"])  # loaded before the hook runs


def test_post_hook_clearing_the_keys_lets_a_strict_load_pass_and_adding_one_fails_it():
    state, target = _warm_start_pair()
    handle = target.register_load_state_dict_post_hook(
        lambda module, keys: (keys.missing_keys.clear(), keys.unexpected_keys.clear()) and None)
    assert repr(target.load_state_dict(state, strict=True)) == "<All keys matched successfully>"
    handle.remove()
    with pytest.raises(StateDictError, match="missing keys"):
        target.load_state_dict(state, strict=True)
    complete = target.state_dict()
    target.register_load_state_dict_post_hook(lambda module, keys: keys.unexpected_keys.append("extra"))
    with pytest.raises(StateDictError, match=r"unexpected keys \(in the state dict, not in the model\): \['extra'\]"):
        target.load_state_dict(complete, strict=True)


def test_post_hooks_run_children_first_and_must_return_none():
    state, target = _warm_start_pair()
    order = []
    target.register_load_state_dict_post_hook(lambda module, keys: order.append("root"))
    target.head.register_load_state_dict_post_hook(lambda module, keys: order.append("head"))
    target.load_state_dict(state, strict=False)
    assert order == ["head", "root"]
    target.register_load_state_dict_post_hook(lambda module, keys: keys)
    with pytest.raises(TypeError, match="post hook must return None"):
        target.load_state_dict(state, strict=False)
    with pytest.raises(TypeError, match="the hook must be callable, got int"):
        target.register_load_state_dict_post_hook(3)


def test_post_hook_strict_behaviour_matches_torch():
    """A strict warm start fails, in torch and here, unless a post hook clears the keys."""
    torch = pytest.importorskip("torch")
    for clear in (False, True):
        source, target = torch.nn.Sequential(torch.nn.Linear(3, 4)), torch.nn.Sequential(torch.nn.Linear(3, 4))
        target.head = torch.nn.Linear(4, 2)
        ours_state, ours = _warm_start_pair()
        for model, state in ((target, source.state_dict()), (ours, ours_state)):
            if clear:
                model.register_load_state_dict_post_hook(
                    lambda module, keys: (keys.missing_keys.clear(), keys.unexpected_keys.clear()) and None)
        torch_result = ours_result = None
        try:
            torch_result = target.load_state_dict(source.state_dict(), strict=True)
        except RuntimeError:
            pass
        try:
            ours_result = ours.load_state_dict(ours_state, strict=True)
        except StateDictError:
            pass
        assert (torch_result is None) == (ours_result is None) == (not clear)


# ---- PyTorch's _metadata and extra state (test_nn.py's test_state_dict and test_extra_state) --------------------------
def _net(lib):
    linear, block, net = lib.Linear(5, 5), lib.Module(), lib.Module()
    block.conv = lib.Conv2d(3, 3, 3, bias=False)
    net.linear1, net.linear2, net.bn, net.block = linear, linear, lib.BatchNorm2d(2), block
    net.add_module("empty", None)
    return net


def test_a_state_dict_carries_each_modules_version_in_metadata():
    state = _net(nn).state_dict()
    expected = {"": 1, "linear1": 1, "linear2": 1, "bn": 2, "block": 1, "block.conv": 1}  # (BatchNorm's is 2)
    assert {key: entry["version"] for key, entry in state._metadata.items()} == expected
    assert list(nn.Linear(2, 2).state_dict(prefix="head.")._metadata) == ["head"]
    assert not hasattr(nn.Linear(2, 2).state_dict(destination={}), "_metadata")  # a given dict gets none, as torch's
    torch = pytest.importorskip("torch")
    assert _net(torch.nn).state_dict()._metadata == state._metadata


class _Counter(nn.Module):
    def __init__(self, calls):
        super().__init__()
        self.scale = nn.Parameter(np.ones(1))
        self.inner = nn.Linear(1, 1)
        self.calls = calls

    def get_extra_state(self):
        return {"calls": self.calls}

    def set_extra_state(self, state):
        self.calls = state["calls"]


def test_extra_state_is_saved_after_the_modules_own_entries_and_loaded_back():
    source, target = _Counter(3), _Counter(0)
    state = source.state_dict()
    assert list(state) == ["scale", "_extra_state", "inner.weight", "inner.bias"]  # torch's order
    assert state["_extra_state"] == {"calls": 3}
    assert repr(target.load_state_dict(state)) == "<All keys matched successfully>" and target.calls == 3
    wrapped = nn.Sequential(_Counter(5))
    assert "0._extra_state" in wrapped.state_dict()
    torch = pytest.importorskip("torch")

    class TorchCounter(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.scale, self.inner = torch.nn.Parameter(torch.ones(1)), torch.nn.Linear(1, 1)

        def get_extra_state(self):
            return {"calls": 3}

    assert list(TorchCounter().state_dict()) == list(state)


def test_extra_state_missing_or_unwanted_is_reported_as_pytorchs():
    class OnlyGet(nn.Module):
        def get_extra_state(self):
            return 5

    class OnlySet(nn.Module):
        def set_extra_state(self, state):
            pass

    with pytest.raises(StateDictError, match=r"unexpected keys .*\['_extra_state'\]"):
        OnlyGet().load_state_dict(OnlyGet().state_dict())
    with pytest.raises(StateDictError, match=r"missing keys .*\['_extra_state'\]"):
        OnlySet().load_state_dict(OnlySet().state_dict())
    assert OnlySet().load_state_dict({}, strict=False).missing_keys == []  # reported only when strict, as torch's
    with pytest.raises(RuntimeError, match="never called"):
        nn.Module().get_extra_state()


def test_an_edited_entry_of_a_shared_module_is_loaded_as_pytorchs():
    # PyTorch's state_dict() entries are the Tensors themselves: after loading 'a.weight', the untouched 'b.weight'
    # (the same Tensor) holds the new value too. Here entries are copies; the stale one must not undo the edit.
    layer = nn.Linear(2, 2)
    net = nn.Module()
    net.a, net.b = layer, layer
    state = net.state_dict()
    state["a.weight"] = np.ones((2, 2))
    net.load_state_dict(state)
    np.testing.assert_array_equal(layer.weight.data, np.ones((2, 2)))
    state = net.state_dict()
    state["a.weight"], state["b.weight"] = np.full((2, 2), 2.0), np.full((2, 2), 3.0)
    net.load_state_dict(state)  # both changed: the last wins, as PyTorch's copies in order
    np.testing.assert_array_equal(layer.weight.data, np.full((2, 2), 3.0))
    torch = pytest.importorskip("torch")
    shared = torch.nn.Linear(2, 2)
    reference = torch.nn.Module()
    reference.a, reference.b = shared, shared
    state = reference.state_dict()
    state["a.weight"] = torch.ones(2, 2)
    reference.load_state_dict(state)
    assert shared.weight.detach().numpy().tolist() == [[1.0, 1.0], [1.0, 1.0]]
    state = reference.state_dict()
    state["a.weight"], state["b.weight"] = torch.full((2, 2), 2.0), torch.full((2, 2), 3.0)
    reference.load_state_dict(state)
    assert shared.weight.detach().numpy().tolist() == [[3.0, 3.0], [3.0, 3.0]]


def test_positional_destination_prefix_and_keep_vars_are_torchs_deprecated_form():
    # found by porting PyTorch's test_nn.py: state_dict(destination, prefix, keep_vars), PyTorch's deprecated form
    # (custom state_dict overrides of older code pass them), raised a TypeError
    torch = pytest.importorskip("torch")
    ours, theirs = _model(), torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.BatchNorm1d(3))
    for model in (ours, theirs):
        with pytest.warns(FutureWarning):
            got = model.state_dict(None, "p.")
        assert list(got) == ["p." + key for key in model.state_dict()]
        destination = OrderedDict()
        with pytest.warns(FutureWarning):
            assert model.state_dict(destination, "", True) is destination
        assert destination["0.weight"] is model[0].weight  # keep_vars: the Parameter itself
    with pytest.raises(TypeError, match="at most 3 positional arguments"):
        ours.state_dict(None, "", False, 1)


@pytest.mark.parametrize("lib", ["nn", "torch"])
def test_state_dict_calls_the_state_dict_override_of_a_module_below_as_torchs(lib):
    # found while porting PyTorch's test_nn.py: a module's state_dict override (adding or dropping its entries in
    # destination) ran when called on it, but not when its parent's state_dict was, which collected every entry itself
    lib = nn if lib == "nn" else pytest.importorskip("torch").nn

    class Noted(lib.Module):
        def __init__(self):
            super().__init__()
            self.lin = lib.Linear(1, 1)

        def state_dict(self, *args, destination=None, prefix="", keep_vars=False):
            state = super().state_dict(*args, destination=destination, prefix=prefix, keep_vars=keep_vars)
            state[prefix + "note"] = 7
            state.pop(prefix + "lin.bias")
            return state

    net = lib.Sequential(lib.Linear(1, 1), lib.Sequential(Noted()), lib.Linear(1, 1))
    assert list(net.state_dict()) == ["0.weight", "0.bias", "1.0.lin.weight", "1.0.note", "2.weight", "2.bias"]
    assert list(net.state_dict(prefix="m.", keep_vars=True))[2:4] == ["m.1.0.lin.weight", "m.1.0.note"]
    assert list(Noted().state_dict()) == ["lin.weight", "note"]
