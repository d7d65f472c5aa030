"""Module's state dict hooks (nn/hooks.py, nn/module.py), as PyTorch's: register_state_dict_pre_hook and
register_state_dict_post_hook (and the private _register_state_dict_hook) around state_dict, and
register_load_state_dict_pre_hook (and the private _register_load_state_dict_pre_hook) before load_state_dict, and a
subclass's override of the private _load_from_state_dict (torchvision's FrozenBatchNorm2d, its FPN): the
order and arguments of the calls, in-place edits of the dicts (an old checkpoint's keys renamed), the handles, and
the refusals; against hand-written expectations, and against torch.nn where it is installed."""
import numpy as np
import pytest

import nn
from nn.module import StateDictError


def _nested(lib):
    """Sequential(Linear, Sequential(Linear, ReLU)) of nn or torch.nn, its weights 1..n in order."""
    model = lib.Sequential(lib.Linear(2, 2), lib.Sequential(lib.Linear(2, 2), lib.ReLU()))
    for count, parameter in enumerate(model.parameters(), 1):
        parameter.data[...] = count
    return model


def _traced_state_dict(model):
    """(the hooks' calls, the state dict's keys) of model.state_dict(prefix="top.") with a pre and a post hook on
    every module, each noting its module's dotted name, its arguments, and the keys the post hook sees."""
    events = []
    for name, module in model.named_modules():
        module.register_state_dict_pre_hook(
            lambda m, prefix, keep_vars, name=name: events.append(("pre", name, prefix, keep_vars)))
        module.register_state_dict_post_hook(
            lambda m, state, prefix, metadata, name=name: events.append(("post", name, prefix, list(state),
                                                                          dict(metadata))))
    return events, list(model.state_dict(prefix="top."))


# ---- state_dict hooks ---------------------------------------------------------------------------------------------
def test_state_dict_hooks_are_called_module_by_module_in_pytorchs_order():
    events, keys = _traced_state_dict(_nested(nn))
    first, second = ["top.0.weight", "top.0.bias"], ["top.1.0.weight", "top.1.0.bias"]
    assert keys == first + second
    assert events == [
        ("pre", "", "top.", False), ("pre", "0", "top.0.", False), ("post", "0", "top.0.", first, {"version": 1}),
        ("pre", "1", "top.1.", False), ("pre", "1.0", "top.1.0.", False),
        ("post", "1.0", "top.1.0.", first + second, {"version": 1}),
        ("pre", "1.1", "top.1.1.", False), ("post", "1.1", "top.1.1.", first + second, {"version": 1}),
        ("post", "1", "top.1.", first + second, {"version": 1}), ("post", "", "top.", first + second, {"version": 1})]


def test_state_dict_hooks_match_torch():
    torch = pytest.importorskip("torch")
    assert _traced_state_dict(_nested(nn)) == _traced_state_dict(_nested(torch.nn))


def test_a_pre_hook_runs_before_its_modules_entries_are_read_and_gets_keep_vars():
    model = _nested(nn)
    seen = []

    def prepare(module, prefix, keep_vars):
        seen.append(keep_vars)
        module.weight.data[...] = 7.0
    model[1][0].register_state_dict_pre_hook(prepare)
    np.testing.assert_array_equal(model.state_dict()["1.0.weight"], np.full((2, 2), 7.0))
    assert model.state_dict(keep_vars=True)["1.0.weight"] is model[1][0].weight
    assert seen == [False, True]


def _edit(module, state, prefix, metadata):
    """A post hook that renames prefix + "weight" to prefix + "kernel" and drops prefix + "bias"."""
    state[prefix + "kernel"] = state.pop(prefix + "weight")
    del state[prefix + "bias"]


def test_a_post_hook_edits_the_state_dict_in_place_where_pytorch_puts_the_keys():
    model = _nested(nn)
    model[0].register_state_dict_post_hook(_edit)
    state = model.state_dict()
    assert list(state) == ["0.kernel", "1.0.weight", "1.0.bias"]
    np.testing.assert_array_equal(state["0.kernel"], np.full((2, 2), 1.0))
    torch = pytest.importorskip("torch")
    theirs = _nested(torch.nn)
    theirs[0].register_state_dict_post_hook(_edit)
    assert list(theirs.state_dict()) == list(state)


def test_state_dict_hooks_with_destination_and_prefix():
    model, destination = _nested(nn), {"step": 3}
    model[1].register_state_dict_post_hook(lambda m, state, prefix, metadata: state.update({prefix + "extra": 1}))
    result = model.state_dict(destination=destination, prefix="net.")
    assert result is destination
    assert list(result) == ["step", "net.0.weight", "net.0.bias", "net.1.0.weight", "net.1.0.bias", "net.1.extra"]


def test_a_public_post_hook_must_return_none_as_pytorchs():
    model = _nested(nn)
    model[0].register_state_dict_post_hook(lambda m, state, prefix, metadata: {})
    with pytest.raises(RuntimeError, match=r"Linear.state_dict: a state_dict post hook registered with "
                                           r"register_state_dict_post_hook must return None .* got dict"):
        model.state_dict()


def test_the_private_post_hook_may_return_a_new_dict_which_counts_on_the_root_alone():
    model = _nested(nn)
    replacement = {"only": 0}
    model[0]._register_state_dict_hook(lambda m, state, prefix, metadata: {"dropped": 0})  # ignored, as PyTorch's
    model._register_state_dict_hook(lambda m, state, prefix, metadata: replacement)
    seen = []
    model._register_state_dict_hook(lambda m, state, prefix, metadata: seen.append(state))
    assert model.state_dict() is replacement
    assert seen == [replacement]  # the hooks after it get the new dict
    torch = pytest.importorskip("torch")
    theirs = _nested(torch.nn)
    theirs[0]._register_state_dict_hook(lambda m, state, prefix, metadata: {"dropped": 0})
    theirs._register_state_dict_hook(lambda m, state, prefix, metadata: replacement)
    assert theirs.state_dict() is replacement


def test_removed_hooks_are_not_called_and_the_state_dict_is_as_without_hooks():
    model, calls = _nested(nn), []
    plain = model.state_dict()
    handles = [model[1].register_state_dict_pre_hook(lambda *args: calls.append("pre")),
               model[1].register_state_dict_post_hook(lambda *args: calls.append("post"))]
    model.state_dict()
    for handle in handles:
        handle.remove()
    after = model.state_dict()
    assert calls == ["pre", "post"]
    assert list(after) == list(plain) and all(np.array_equal(after[k], plain[k]) for k in plain)


def test_a_shared_module_gets_its_hooks_called_under_each_name_as_pytorchs():
    shared = nn.Linear(2, 2)
    model, prefixes = nn.Sequential(shared, shared), []
    shared.register_state_dict_pre_hook(lambda m, prefix, keep_vars: prefixes.append(prefix))
    assert list(model.state_dict()) == ["0.weight", "0.bias", "1.weight", "1.bias"]
    assert prefixes == ["0.", "1."]


def test_a_list_of_parameters_keeps_its_place_among_the_entries_with_hooks():
    class Holder(nn.Module):
        def __init__(self):
            super().__init__()
            self.first = nn.Linear(1, 1)
            self.scales = [nn.Parameter(np.ones(1)), nn.Parameter(np.zeros(1))]
            self.last = nn.Linear(1, 1)
    model = Holder()
    plain = list(model.state_dict())
    model.last.register_state_dict_post_hook(lambda m, state, prefix, metadata: None)
    assert list(model.state_dict()) == plain == ["first.weight", "first.bias", "scales.0", "scales.1", "last.weight",
                                                 "last.bias"]


# ---- load_state_dict pre-hooks ------------------------------------------------------------------------------------
def _renaming(module, state, prefix, local_metadata, strict, missing_keys, unexpected_keys, error_msgs):
    """A load pre-hook for an old checkpoint that called a Linear's weight "w"."""
    if prefix + "w" in state:
        state[prefix + "weight"] = state.pop(prefix + "w")


def test_a_pre_hook_renames_an_old_checkpoints_keys_and_leaves_the_callers_dict_alone():
    source, target = _nested(nn), nn.Sequential(nn.Linear(2, 2), nn.Sequential(nn.Linear(2, 2), nn.ReLU()))
    old = {key.replace("1.0.weight", "1.0.w"): value for key, value in source.state_dict().items()}
    with pytest.raises(StateDictError, match=r"missing keys .*\['1.0.weight'\].*unexpected keys .*\['1.0.w'\]"):
        target.load_state_dict(old)
    target[1][0].register_load_state_dict_pre_hook(_renaming)
    assert repr(target.load_state_dict(old)) == "<All keys matched successfully>"
    np.testing.assert_array_equal(target[1][0].weight.data, np.full((2, 2), 3.0))
    assert "1.0.w" in old and "1.0.weight" not in old


def test_a_pre_hook_on_the_root_sees_every_entry_and_may_rename_any():
    source, target = _nested(nn), nn.Sequential(nn.Linear(2, 2), nn.Sequential(nn.Linear(2, 2), nn.ReLU()))
    old = {"legacy." + key: value for key, value in source.state_dict().items()}
    seen = []

    def strip(module, state, prefix, *rest):
        seen.append(sorted(state))
        for key in list(state):
            state[key[len("legacy."):]] = state.pop(key)
    target.register_load_state_dict_pre_hook(strip)
    assert repr(target.load_state_dict(old)) == "<All keys matched successfully>"
    assert seen == [sorted(old)]
    np.testing.assert_array_equal(target[0].bias.data, np.full(2, 2.0))


def test_a_pre_hook_gets_its_entries_alone_and_what_it_puts_outside_its_prefix_is_ignored():
    model, seen = _nested(nn), []

    def look(module, state, prefix, *rest):
        seen.append((prefix, sorted(state)))
        state["0.weight"] = np.zeros((2, 2))  # not under "1.": ignored, as in PyTorch
    model[1].register_load_state_dict_pre_hook(look)
    state = _nested(nn).state_dict()
    model.load_state_dict(state)
    assert seen == [("1.", ["1.0.bias", "1.0.weight"])]
    np.testing.assert_array_equal(model[0].weight.data, np.full((2, 2), 1.0))


def test_pre_hook_arguments_as_pytorchs():
    model, calls = _nested(nn), []
    model[1].register_load_state_dict_pre_hook(
        lambda module, state, prefix, metadata, strict, missing, unexpected, errors: calls.append(
            (module, prefix, dict(metadata), strict, list(missing), list(unexpected), list(errors))))
    state = model.state_dict()
    model.load_state_dict(state, strict=False)
    model.load_state_dict(state, assign=True)
    # the state dict's _metadata gives each module's version, as PyTorch's; strict is True whatever
    # load_state_dict's, as 2.x's
    assert calls == [(model[1], "1.", {"version": 1}, True, [], [], []),
                     (model[1], "1.", {"version": 1, "assign_to_params_buffers": True}, True, [], [], [])]


def test_pre_hook_arguments_match_torch():
    torch = pytest.importorskip("torch")
    calls = {}
    for name, lib in (("ours", nn), ("torch", torch.nn)):
        model, calls[name] = _nested(lib), []
        model[1].register_load_state_dict_pre_hook(
            lambda module, state, prefix, metadata, strict, missing, unexpected, errors, seen=calls[name]: seen.append(
                (sorted(state), prefix, {k: v for k, v in metadata.items() if k != "version"}, strict)))
        state = {key: np.asarray(value) if lib is nn else value for key, value in model.state_dict().items()}
        model.load_state_dict(state, strict=False)
        model.load_state_dict(state, assign=True)
    assert calls["ours"] == calls["torch"]


def test_a_pytorch_state_dicts_metadata_reaches_the_pre_hook():
    from collections import OrderedDict
    model, seen = _nested(nn), []
    model[1].register_load_state_dict_pre_hook(lambda module, state, prefix, metadata, *rest: seen.append(metadata))
    state = OrderedDict(model.state_dict())
    state._metadata = {"": {"version": 1}, "1": {"version": 2}}
    model.load_state_dict(state)
    assert seen == [{"version": 2}]


def test_the_pre_hooks_lists_are_the_loads_and_an_error_message_fails_it_before_anything_is_loaded():
    model = _nested(nn)
    before = model[0].weight.data.copy()
    model.register_load_state_dict_pre_hook(lambda module, state, prefix, metadata, strict, missing, unexpected,
                                            errors: errors.append("the checkpoint is from version 0"))
    state = {key: value * 0 for key, value in model.state_dict().items()}
    with pytest.raises(StateDictError, match="Sequential.load_state_dict: the checkpoint is from version 0"):
        model.load_state_dict(state, strict=False)
    np.testing.assert_array_equal(model[0].weight.data, before)
    other = _nested(nn)
    other.register_load_state_dict_pre_hook(lambda module, state, prefix, metadata, strict, missing, unexpected,
                                            errors: unexpected.append("noted"))
    assert other.load_state_dict(state, strict=False).unexpected_keys == ["noted"]


def test_the_private_pre_hook_is_called_without_the_module_unless_asked():
    model, calls = _nested(nn), []
    model[0]._register_load_state_dict_pre_hook(lambda state, prefix, *rest: calls.append(("plain", prefix)))
    model[0]._register_load_state_dict_pre_hook(lambda module, state, prefix, *rest: calls.append((module, prefix)),
                                                with_module=True)
    model.load_state_dict(model.state_dict())
    assert calls == [("plain", "0."), (model[0], "0.")]


def test_pre_hooks_run_parents_first_and_a_removed_one_is_not_called():
    model, order = _nested(nn), []
    model[1][0].register_load_state_dict_pre_hook(lambda module, state, prefix, *rest: order.append(prefix))
    handle = model.register_load_state_dict_pre_hook(lambda module, state, prefix, *rest: order.append("root"))
    model.register_load_state_dict_post_hook(lambda module, keys: order.append("post"))
    model.load_state_dict(model.state_dict())
    handle.remove()
    model.load_state_dict(model.state_dict())
    assert order == ["root", "1.0.", "post", "1.0.", "post"]


def test_a_parents_pre_hook_can_name_the_entries_a_lazy_layer_takes_its_shape_from():
    model = nn.Sequential(nn.LazyLinear(3))
    model.register_load_state_dict_pre_hook(
        lambda module, state, prefix, *rest: state.update({k.replace("fc.", "0."): state.pop(k) for k in list(state)}))
    model.load_state_dict({"fc.weight": np.ones((3, 5)), "fc.bias": np.zeros(3)})
    assert model[0].weight.shape == (3, 5)


# ---- registration -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("method", ["register_state_dict_pre_hook", "register_state_dict_post_hook",
                                    "_register_state_dict_hook", "register_load_state_dict_pre_hook",
                                    "_register_load_state_dict_pre_hook", "register_load_state_dict_post_hook"])
def test_a_hook_must_be_callable_and_a_module_as_hook_is_no_child(method):
    model = nn.Linear(2, 2)
    with pytest.raises(TypeError, match=rf"Linear.{method}: the hook must be callable, got int"):
        getattr(model, method)(3)

    class Watcher(nn.Module):  # a callable Module as the hook: not taken for a child module
        def __init__(self):
            super().__init__()
            self.scale = nn.Parameter(np.ones(1))

        def forward(self, *args):
            return None
    handle = getattr(model, method)(Watcher())
    assert list(model.state_dict()) == ["weight", "bias"] and len(list(model.parameters())) == 2
    model.load_state_dict(model.state_dict())
    handle.remove()


def _frozen_norm_class(lib, as_value, events):
    """torchvision.ops.misc.FrozenBatchNorm2d's load: its _load_from_state_dict drops a BatchNorm checkpoint's
    num_batches_tracked before calling the base's; each call noted in events."""
    class FrozenNorm(lib.Module):
        def __init__(self):
            super().__init__()
            self.register_buffer("weight", as_value(np.ones(2)))
            self.register_buffer("running_var", as_value(np.ones(2)))

        def _load_from_state_dict(self, state_dict, prefix, local_metadata, strict, missing_keys, unexpected_keys,
                                  error_msgs):
            events.append(("override", prefix, sorted(state_dict), strict))
            state_dict.pop(prefix + "num_batches_tracked", None)
            super()._load_from_state_dict(state_dict, prefix, local_metadata, strict, missing_keys, unexpected_keys,
                                          error_msgs)
    return FrozenNorm


def _batch_norm_checkpoint():
    return {"0.weight": np.array([2.0, 3.0]), "0.running_var": np.array([4.0, 5.0]),
            "0.num_batches_tracked": np.array(7), "1.weight": np.full((1, 2), 0.5), "1.bias": np.array([0.25])}


def _override_events(lib, as_value):
    events = []
    model = lib.Sequential(_frozen_norm_class(lib, as_value, events)(), lib.Linear(2, 1))
    model[0].register_load_state_dict_pre_hook(lambda module, state, prefix, *rest: events.append(("hook", prefix)))
    keys = model.load_state_dict({k: as_value(v) for k, v in _batch_norm_checkpoint().items()})
    return events, keys, model


def test_an_overridden_load_from_state_dict_drops_an_entry_before_the_load_as_torchvisions_frozen_batch_norm():
    events, keys, model = _override_events(nn, lambda v: v)
    assert keys == ([], [])  # num_batches_tracked is neither loaded nor unexpected, even with strict=True
    # the override first, with this module's entries alone, then the module's pre-hooks (PyTorch's base calls them)
    assert events == [("override", "0.", ["0.num_batches_tracked", "0.running_var", "0.weight"], True),
                      ("hook", "0.")]
    np.testing.assert_array_equal(model[0].weight.data, [2.0, 3.0])
    np.testing.assert_array_equal(model[0].running_var.data, [4.0, 5.0])
    np.testing.assert_array_equal(model[1].weight.data, [[0.5, 0.5]])
    with pytest.raises(StateDictError, match="unexpected keys.*'0.num_batches_tracked'"):  # without the override
        nn.Sequential(_plain_norm(), nn.Linear(2, 1)).load_state_dict(_batch_norm_checkpoint())


def _plain_norm():
    norm = nn.Module()
    norm.register_buffer("weight", np.ones(2))
    norm.register_buffer("running_var", np.ones(2))
    return norm


def test_an_overridden_load_from_state_dict_matches_torch():
    torch = pytest.importorskip("torch")
    ours, our_keys, _ = _override_events(nn, lambda v: v)
    theirs, their_keys, model = _override_events(torch.nn, torch.tensor)
    assert ours == theirs and tuple(our_keys) == tuple(their_keys)
    np.testing.assert_array_equal(model[0].weight.numpy(), [2.0, 3.0])


def test_an_overridden_load_from_state_dict_renames_old_keys_and_may_fail_the_load():
    # torchvision's FeaturePyramidNetwork moves version-1 keys, inner_blocks.0.weight to inner_blocks.0.0.weight
    class Renaming(nn.Module):
        def __init__(self):
            super().__init__()
            self.inner_blocks = nn.ModuleList([nn.Sequential(nn.Linear(2, 2))])

        def _load_from_state_dict(self, state_dict, prefix, local_metadata, *rest):
            if local_metadata.get("version", None) is None:
                for kind in ("weight", "bias"):
                    old_key = f"{prefix}inner_blocks.0.{kind}"
                    if old_key in state_dict:
                        state_dict[f"{prefix}inner_blocks.0.0.{kind}"] = state_dict.pop(old_key)
            super()._load_from_state_dict(state_dict, prefix, local_metadata, *rest)

    model = nn.Sequential(Renaming())
    checkpoint = {"0.inner_blocks.0.weight": np.eye(2), "0.inner_blocks.0.bias": np.array([1.0, 2.0])}
    assert model.load_state_dict(checkpoint) == ([], [])
    assert list(checkpoint) == ["0.inner_blocks.0.weight", "0.inner_blocks.0.bias"]  # the caller's dict as it was
    np.testing.assert_array_equal(model[0].inner_blocks[0][0].weight.data, np.eye(2))

    class Refusing(nn.Linear):
        def _load_from_state_dict(self, state_dict, prefix, local_metadata, strict, missing, unexpected, errors):
            errors.append("this checkpoint is too old")
    refusing = Refusing(2, 2)
    before = refusing.weight.data.copy()
    with pytest.raises(StateDictError, match="this checkpoint is too old"):
        refusing.load_state_dict({"weight": np.zeros((2, 2)), "bias": np.zeros(2)})
    np.testing.assert_array_equal(refusing.weight.data, before)  # nothing loaded


# ---- a module that saves and loads its own entries itself (PyTorch's test_load_state_dict_custom) --------------------
def _custom_state_class(lib, as_value, no_grad):
    """A module whose _save_to_state_dict writes its parameter plus one as "serialized", and whose
    _load_from_state_dict takes it back without calling the base (so its own entries are its own business)."""
    class CustomState(lib.Module):
        def __init__(self):
            super().__init__()
            self.param = lib.Parameter(as_value(np.ones(1)))
            self.sub = lib.Linear(2, 2)

        def _save_to_state_dict(self, destination, prefix, keep_vars):
            destination[prefix + "serialized"] = self.param.detach() + 1

        def _load_from_state_dict(self, state_dict, prefix, local_metadata, strict, missing_keys, unexpected_keys,
                                  error_msgs):
            with no_grad():
                self.param.copy_(as_value(state_dict[prefix + "serialized"]) - 1)
    return CustomState


def _custom_state_round_trip(lib, as_value, no_grad, as_array):
    CustomState = _custom_state_class(lib, as_value, no_grad)
    saved = lib.Sequential(CustomState())
    with no_grad():
        saved[0].param.copy_(as_value(np.array([10.0])))
        saved[0].sub.weight.copy_(as_value(np.array([[555.0, 1.0], [2.0, 3.0]])))
    state = saved.state_dict()
    fresh = lib.Sequential(CustomState())
    keys = fresh.load_state_dict(state)
    state["0.extra"] = as_value(np.zeros(1))  # under a module that loads itself: not reported
    state.pop("0.serialized")
    with pytest.raises(KeyError):  # (the override reads it unchecked, as the PyTorch test's does)
        lib.Sequential(CustomState()).load_state_dict(state)
    return list(state_dict_keys(saved)), tuple(keys), as_array(fresh[0].param), as_array(fresh[0].sub.weight)


def state_dict_keys(model):
    return model.state_dict().keys()


def test_a_modules_own_save_to_state_dict_and_load_from_state_dict_round_trip():
    import autograd_core as ag
    keys, incompatible, param, weight = _custom_state_round_trip(nn, ag.as_tensor, ag.no_grad, lambda t: t.data)
    # its own entry replaces its parameter's; the entries below it are still saved, by their modules
    assert keys == ["0.serialized", "0.sub.weight", "0.sub.bias"]
    assert incompatible == ([], [])  # "0.param" is not missing nor "0.serialized" unexpected: the module's own
    np.testing.assert_array_equal(param, [10.0])
    np.testing.assert_array_equal(weight, [[555.0, 1.0], [2.0, 3.0]])
    torch = pytest.importorskip("torch")
    theirs = _custom_state_round_trip(torch.nn, lambda v: torch.as_tensor(v, dtype=torch.float32), torch.no_grad,
                                      lambda t: t.detach().numpy())
    assert theirs[:2] == (keys, incompatible)
    np.testing.assert_array_equal(theirs[2], param)
    np.testing.assert_array_equal(theirs[3], weight)


def _scaled_class(lib):
    """A Linear of lib whose _save_to_state_dict adds a "scale" entry after the base's, with extra state."""
    class Scaled(lib.Linear):
        def _save_to_state_dict(self, destination, prefix, keep_vars):
            super()._save_to_state_dict(destination, prefix, keep_vars)
            destination[prefix + "scale"] = np.array(2.0)

        def get_extra_state(self):
            return {"note": 1}

        def set_extra_state(self, state):
            self.note = state["note"]
    return Scaled


def test_the_base_save_to_state_dict_writes_the_modules_own_entries_and_extra_state():
    model = nn.Sequential(_scaled_class(nn)(2, 3, rng=0))
    state = model.state_dict()
    assert list(state) == ["0.weight", "0.bias", "0._extra_state", "0.scale"]  # the base's order, as torch's
    np.testing.assert_array_equal(state["0.weight"], model[0].weight.data)
    assert state["0.weight"] is not model[0].weight.data  # copies, as state_dict's
    assert model.state_dict(keep_vars=True)["0.weight"] is model[0].weight
    with pytest.raises(StateDictError, match=r"unexpected keys .*\['0.scale'\]"):  # its load is the base's
        model.load_state_dict(state)
    torch = pytest.importorskip("torch")
    assert list(torch.nn.Sequential(_scaled_class(torch.nn)(2, 3)).state_dict()) == list(state)


def test_an_override_that_calls_the_base_still_has_its_entries_checked():
    class Calling(nn.Linear):
        def _load_from_state_dict(self, state_dict, prefix, *rest):
            super()._load_from_state_dict(state_dict, prefix, *rest)

    model = nn.Sequential(Calling(2, 2, rng=0))
    with pytest.raises(StateDictError, match=r"missing keys .*\['0.bias'\].*unexpected keys .*\['0.other'\]"):
        model.load_state_dict({"0.weight": np.eye(2), "0.other": np.zeros(1)})


def _hook_order_around_override(lib, as_value):
    """The calls, in order, of a module's load pre-hook and of its _load_from_state_dict override (noting before and
    after its call of the base, or that it skips the base)."""
    events = []

    class Around(lib.Linear):
        def __init__(self, calls_base):
            super().__init__(1, 1)
            self.calls_base = calls_base

        def _load_from_state_dict(self, state_dict, prefix, *rest):
            events.append(("before", self.calls_base))
            if self.calls_base:
                super()._load_from_state_dict(state_dict, prefix, *rest)
            events.append(("after", self.calls_base))

    for calls_base in (True, False):
        module = Around(calls_base)
        module.register_load_state_dict_pre_hook(lambda m, *args: events.append(("hook", m.calls_base)))
        lib.Sequential(module).load_state_dict({"0.weight": as_value(np.ones((1, 1))), "0.bias": as_value(np.ones(1))})
    return events


def test_the_load_pre_hooks_run_inside_the_base_load_from_state_dict():
    # PyTorch's base _load_from_state_dict runs the module's pre-hooks: within an override's call of it, and not at
    # all when the override skips it
    events = _hook_order_around_override(nn, np.asarray)
    assert events == [("before", True), ("hook", True), ("after", True), ("before", False), ("after", False)]
    torch = pytest.importorskip("torch")
    assert _hook_order_around_override(torch.nn, lambda v: torch.as_tensor(v, dtype=torch.float32)) == events


def test_a_state_dict_post_hook_writes_into_the_state_dicts_own_metadata_as_torch():
    # found by porting PyTorch's test_nn.py test_spectral_norm_load_state_dict (spectral_norm's hook records its
    # version there): the hooks got a new dict, so what they wrote was lost
    model = nn.Sequential(nn.Linear(2, 2))

    def hook(module, state_dict, prefix, local_metadata):
        local_metadata["mine"] = prefix

    model[0]._register_state_dict_hook(hook)
    model.register_state_dict_post_hook(hook)
    metadata = model.state_dict(prefix="top.")._metadata
    assert metadata["top"] == {"version": 1, "mine": "top."}
    assert metadata["top.0"] == {"version": 1, "mine": "top.0."}
