"""Module.state_dict and load_state_dict (nn/module_state.py): float copies out, values copied in place and cast to
the parameter's dtype, missing and unexpected keys in PyTorch's order, shapes and dtypes checked before anything is
loaded (all or nothing), and a load between forward and backward caught by the graph."""
from collections import OrderedDict

import numpy as np
import pytest

import autograd_core as ag
import nn
from test_module import Net


def test_state_dict_holds_float_copies():
    net = Net()
    state = net.state_dict()
    assert isinstance(state, OrderedDict) and list(state) == [name for name, _ in net.named_parameters()]
    assert all(isinstance(v, np.ndarray) and v.dtype.kind == "f" for v in state.values())
    state["block.fc.weight"][...] = 42.0
    assert not np.any(net.block.fc.weight.data == 42.0)


def test_load_state_dict_round_trip_copies_values_in_place():
    source, target = Net(), Net()
    nn.init.normal_(source.block.scale, rng=5)
    array_before = target.block.scale.data
    result = target.load_state_dict(source.state_dict())
    assert result.missing_keys == [] and result.unexpected_keys == []
    assert target.block.scale.data is array_before  # same array: optimizers holding it stay valid
    for (name, a), (_, b) in zip(source.state_dict().items(), target.state_dict().items()):
        np.testing.assert_array_equal(a, b, err_msg=name)


def test_load_state_dict_casts_to_the_parameter_dtype():
    layer = nn.Linear(2, 2)
    layer.load_state_dict({"weight": np.ones((2, 2)), "bias": np.zeros(2)})  # float64 values
    assert layer.weight.dtype == np.float32 and np.all(layer.weight.data == 1)


def test_load_state_dict_wrong_shape_names_the_key_and_both_shapes():
    layer = nn.Linear(3, 2)
    state = layer.state_dict()
    state["weight"] = np.zeros((4, 3))
    with pytest.raises(RuntimeError, match=r"'weight'.*state dict has shape \(4, 3\).*parameter has shape \(2, 3\)"):
        layer.load_state_dict(state)
    with pytest.raises(ValueError, match=r"'weight'"):  # also strict=False, and catchable as ValueError
        layer.load_state_dict(state, strict=False)


def test_load_state_dict_missing_and_unexpected_keys():
    layer = nn.Linear(3, 2)
    state = layer.state_dict()
    del state["bias"]
    state["extra"] = np.zeros(1)
    with pytest.raises(KeyError, match=r"missing keys.*\['bias'\].*unexpected keys.*\['extra'\]"):
        layer.load_state_dict(state)
    result = layer.load_state_dict(state, strict=False)
    assert result.missing_keys == ["bias"] and result.unexpected_keys == ["extra"]


def test_unexpected_keys_are_listed_module_by_module_in_torchs_order():
    # torch 2.13 gives these lists: each module's own unexpected keys (in the dict's order), then its children's,
    # depth first; a key goes with the deepest module its path runs through ('a' names no module: the root's).
    net = nn.Sequential(nn.Linear(2, 2), nn.Sequential(nn.Linear(2, 2)))
    extra = ["extra", "0.extra", "0.weight.x", "a.b.c", "1.0.zz", "1.q", "zzz.w", "1.0.bias.y"]
    expected = ["extra", "a.b.c", "zzz.w", "0.extra", "0.weight.x", "1.q", "1.0.zz", "1.0.bias.y"]
    for keys, want in [(extra, expected), (extra[::-1], ["zzz.w", "a.b.c", "extra", "0.weight.x", "0.extra", "1.q",
                                                         "1.0.bias.y", "1.0.zz"])]:
        state = {**{key: np.zeros(1) for key in keys}, **net.state_dict()}
        assert net.load_state_dict(state, strict=False) == ([], want)
    a = nn.Linear(2, 2)
    shared = nn.Sequential(a, nn.ReLU(), a)  # walked under each name, as torch's load does
    state = {"2.x": np.zeros(1), "0.x": np.zeros(1), "1.y": np.zeros(1), **shared.state_dict()}
    assert shared.load_state_dict(state, strict=False).unexpected_keys == ["0.x", "1.y", "2.x"]


@pytest.mark.parametrize("spoil", ["unexpected", "missing", "shape", "dtype"])
def test_a_refused_load_state_dict_changes_no_parameter(spoil):
    layer = nn.Linear(3, 2, rng=0)
    before = layer.state_dict()
    state = nn.Linear(3, 2, rng=1).state_dict()
    if spoil == "unexpected":
        state["extra"] = np.zeros(1)
    elif spoil == "missing":
        del state["bias"]
    elif spoil == "shape":
        state["bias"] = np.zeros(5)
    else:  # the weight would be copied before the bias failed to convert
        state["bias"] = np.array(["a", "b"])
    with pytest.raises(RuntimeError, match="Linear.load_state_dict"):
        layer.load_state_dict(state)
    for name, value in layer.state_dict().items():
        np.testing.assert_array_equal(value, before[name], err_msg=name)  # all or nothing: weight untouched too


def test_load_state_dict_names_values_of_no_numeric_dtype_and_refuses_what_is_no_dict():
    layer = nn.Linear(3, 2, rng=0)
    state = layer.state_dict()
    state["bias"] = np.array(["a", "b"])
    with pytest.raises(RuntimeError, match=r"'bias' has dtype <U1; a parameter takes bool, int or float values"):
        layer.load_state_dict(state)
    for not_a_dict in (nn.Linear(3, 2), list(layer.state_dict().items())):
        with pytest.raises(TypeError, match=r"Linear.load_state_dict: expected a dict of names to arrays"):
            layer.load_state_dict(not_a_dict)


def test_state_dict_error_message_is_plain_text_not_a_quoted_key():
    layer = nn.Linear(3, 2)
    with pytest.raises(KeyError) as info:
        layer.load_state_dict({})
    assert str(info.value).startswith("Linear.load_state_dict: missing keys")


def test_load_state_dict_between_forward_and_backward_is_caught_by_the_graph():
    # As PyTorch's copy_: the loaded values go into the same arrays, and a graph that saved the old ones refuses.
    layer = nn.Linear(2, 1, rng=0)
    out = layer(ag.tensor(np.ones((1, 2)), requires_grad=True)).sum()
    weight = layer.weight.data
    layer.load_state_dict(nn.Linear(2, 1, rng=1).state_dict())
    assert layer.weight.data is weight
    with pytest.raises(RuntimeError, match=r"the 'linear' node saved for its gradient, an input .* was changed"):
        out.backward()


@pytest.mark.parametrize("shape", [(1, 3), (3, 1)])
def test_a_value_of_the_same_size_but_another_shape_is_refused_and_nothing_is_loaded(shape):
    layer = nn.Linear(2, 3, rng=0)
    state = layer.state_dict()
    before = {k: v.copy() for k, v in state.items()}
    state["weight"] = np.ones_like(state["weight"])
    state["bias"] = np.zeros(shape, np.float32)  # 3 values, but not of shape (3,)
    with pytest.raises(nn.module.StateDictError, match="size mismatch for 'bias'"):
        layer.load_state_dict(state)
    for k, v in layer.state_dict().items():
        np.testing.assert_array_equal(v, before[k])  # no half-loaded model


def test_a_boolean_state_dict_value_loads_as_the_message_promises():
    layer = nn.Linear(2, 1, bias=False)
    layer.load_state_dict({"weight": np.array([[True, False]])})
    assert layer.weight.data.tolist() == [[1.0, 0.0]]


def test_an_unexpected_key_naming_a_module_is_the_parents_as_in_torch():
    """A key that names a module ("1") runs through no module: it is listed with its parent's keys, as torch's
    load_state_dict lists it, not with the module's own."""
    torch = pytest.importorskip("torch")
    keys = ["1", "0.bogus", "extra", "1.0"]
    net = nn.Sequential(nn.Linear(2, 2, rng=0), nn.Linear(2, 2, rng=0))
    tnet = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.Linear(2, 2))
    ours = net.load_state_dict({**net.state_dict(), **{key: np.zeros(1) for key in keys}}, strict=False)
    theirs = tnet.load_state_dict({**tnet.state_dict(), **{key: torch.zeros(1) for key in keys}}, strict=False)
    assert ours.missing_keys == list(theirs.missing_keys) == []
    assert ours.unexpected_keys == list(theirs.unexpected_keys)
