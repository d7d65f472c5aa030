"""Module, Parameter, Sequential, ModuleList and ModuleDict: registration, traversal, modes, state dicts, repr."""
import re
from collections import OrderedDict

import numpy as np
import pytest

import autograd_core as ag
import nn


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(3, 4, rng=0)
        self.act = nn.Tanh()
        self.scale = nn.Parameter(np.ones(4))
        self.heads = [nn.Linear(4, 2, rng=1), nn.Linear(4, 1, rng=2)]  # a plain list is registered too
        self.note = "not a parameter"

    def forward(self, x):
        h = self.act(self.fc(x)) * self.scale
        return [head(h) for head in self.heads]


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.block = Block()
        self.out = nn.Sequential(nn.Linear(2, 2, rng=3), nn.Dropout(0.5, rng=0))


def test_a_dict_of_layers_is_registered_as_a_list_is_under_its_keys():
    class Heads(nn.Module):
        def __init__(self):
            super().__init__()
            self.heads = {"left": nn.Linear(2, 1, rng=0), "right": nn.Linear(2, 1, rng=1)}
            self.scales = {"gain": nn.Parameter(np.ones(1)), "note": "not a parameter"}

    net = Heads()
    assert [name for name, _ in net.named_parameters()] == [
        "scales.gain", "heads.left.weight", "heads.left.bias", "heads.right.weight", "heads.right.bias"]
    assert [name for name, _ in net.named_children()] == ["heads.left", "heads.right"]
    copy = Heads()
    copy.load_state_dict(net.state_dict())
    np.testing.assert_array_equal(copy.heads["right"].weight.data, net.heads["right"].weight.data)


class Holder(nn.Module):
    """A module holding whatever it is given as `heads`."""

    def __init__(self, heads):
        super().__init__()
        self.heads = heads


@pytest.mark.parametrize("key", [1, "a.b", "", (1, 2)])
def test_a_dict_of_layers_needs_keys_that_are_names(key):
    # {1: .., "1": ..} would both be "heads.1" in the state dict, and one layer would be neither saved nor loaded.
    with pytest.raises(KeyError, match=rf"heads: a dict holding modules or parameters needs keys that are non-empty "
                                       rf"strings without '.', got {re.escape(repr(key))}"):
        Holder({"ok": nn.ReLU(), key: nn.Linear(2, 2)})
    assert [name for name, _ in Holder({"ok": nn.Linear(2, 1), key: "not a layer"}).named_parameters()] == [
        "heads.ok.weight", "heads.ok.bias"]


def test_parameter_is_a_leaf_tensor_that_requires_grad():
    p = nn.Parameter(np.zeros((2, 3), dtype=np.float32))
    assert isinstance(p, ag.Tensor) and p.requires_grad and p.is_leaf
    assert p.dtype == np.float32 and p.shape == (2, 3)
    assert not nn.Parameter([1.0], requires_grad=False).requires_grad
    assert repr(p).startswith("Parameter containing:\nTensor(")


def test_named_parameters_are_dotted_paths_own_parameters_first_as_in_pytorch():
    names = [name for name, _ in Net().named_parameters()]
    assert names == ["block.scale", "block.fc.weight", "block.fc.bias", "block.heads.0.weight", "block.heads.0.bias",
                     "block.heads.1.weight", "block.heads.1.bias", "out.0.weight", "out.0.bias"]
    assert len(list(Net().parameters())) == 9


def test_parameters_reassigned_or_removed_follow_the_attributes():
    m = Block()
    m.scale = None
    del m.heads
    assert [name for name, _ in m.named_parameters()] == ["fc.weight", "fc.bias"]
    m.scale = nn.Parameter(np.ones(4))
    assert [name for name, _ in m.named_parameters()] == ["scale", "fc.weight", "fc.bias"]


def test_shared_parameters_are_listed_once():
    a = nn.Linear(2, 2, rng=0)
    net = nn.Sequential(a, nn.ReLU(), a)
    assert [name for name, _ in net.named_parameters()] == ["0.weight", "0.bias"]
    assert list(net.state_dict()) == ["0.weight", "0.bias", "2.weight", "2.bias"]


def test_modules_children_and_named_modules():
    net = Net()
    assert [name for name, _ in net.named_modules()] == [
        "", "block", "block.fc", "block.act", "block.heads.0", "block.heads.1", "out", "out.0", "out.1"]
    assert [type(m).__name__ for m in net.children()] == ["Block", "Sequential"]
    assert len(list(net.modules())) == 9


def test_zero_grad_sets_every_grad_to_none():
    net = Block()
    outs = net(np.ones((5, 3)))
    (outs[0].sum() + outs[1].sum()).backward()
    assert all(p.grad is not None for p in net.parameters())
    net.zero_grad()
    assert all(p.grad is None for p in net.parameters())


def test_zero_grad_set_to_none_false_zeroes_in_place():
    net = Block()
    outs = net(np.ones((5, 3)))
    (outs[0].sum() + outs[1].sum()).backward()
    grads = {id(p): p.grad for p in net.parameters()}
    net.zero_grad(set_to_none=False)
    for p in net.parameters():
        assert p.grad is grads[id(p)] and not np.any(p.grad.data)  # the same Tensors, now zero
    w = nn.Linear(2, 1, dtype=np.float64)
    (w(np.ones(2)) ** 2).sum().backward(create_graph=True)  # a gradient that is part of a graph
    recorded = w.weight.grad
    value = recorded.data.copy()
    w.zero_grad(set_to_none=False)
    assert w.weight.grad.is_leaf and not np.any(w.weight.grad.data)
    np.testing.assert_array_equal(recorded.data, value)  # that graph's values are left alone


def test_assigning_a_plain_tensor_over_a_parameter_is_refused_as_in_torch():
    layer = nn.Linear(2, 3)
    with pytest.raises(TypeError, match=r"cannot assign 'Tensor' as parameter 'weight' \(nn.Parameter or None"):
        layer.weight = ag.tensor(np.ones((3, 2)), requires_grad=True)
    with pytest.raises(TypeError, match="cannot assign 'ndarray' as parameter 'bias'"):
        layer.bias = np.zeros(3)
    assert [name for name, _ in layer.named_parameters()] == ["weight", "bias"]  # both still registered
    layer.weight = nn.Parameter(np.ones((3, 2), dtype=np.float32))  # a Parameter or None is fine
    layer.bias = None
    assert [name for name, _ in layer.named_parameters()] == ["weight"]
    layer.note = ag.tensor([1.0])  # a Tensor under a name that holds no Parameter is a plain attribute
    assert [name for name, _ in layer.named_parameters()] == ["weight"]


def test_assigning_a_layer_before_module_init_is_refused_at_once_as_in_torch():
    class Forgetful(nn.Module):
        def __init__(self, value):
            self.inner = value  # super().__init__() forgotten
            super().__init__()

    for value, kind in ((nn.Linear(2, 2), "module"), (nn.Parameter(np.ones(2)), "parameter")):
        with pytest.raises(AttributeError, match=rf"cannot assign {kind} 'inner' before Module.__init__\(\) call: "
                                                 r"call super\(\).__init__\(\) first in Forgetful.__init__"):
            Forgetful(value)
    assert Forgetful(3).inner == 3  # plain values may come first


def test_assigning_a_non_module_over_a_child_module_is_refused_as_in_torch():
    seq = nn.Sequential(nn.Linear(2, 2), nn.ReLU())
    with pytest.raises(TypeError, match=r"cannot assign 'ndarray' as child module '0' \(nn.Module or None expected\)"):
        setattr(seq, "0", np.zeros(3))
    assert len(seq) == 2 and len(list(seq.parameters())) == 2
    seq[1] = nn.Tanh()  # another Module is fine, under the same name
    assert isinstance(seq[1], nn.Tanh) and [name for name, _ in seq.named_children()] == ["0", "1"]
    with pytest.raises(TypeError, match=r"cannot assign 'ndarray' as child module '0'"):
        seq[0] = np.zeros(3)
    with pytest.raises(IndexError, match="index 2 is out of range for 2 modules"):
        seq[2] = nn.ReLU()
    with pytest.raises(TypeError, match="integer index, not a slice"):
        seq[0:1] = nn.ReLU()


@pytest.mark.parametrize("mode", ["no", 0, None])
def test_train_mode_must_be_a_bool(mode):
    with pytest.raises(ValueError, match=rf"Linear.train: mode must be True or False, got {mode!r}"):
        nn.Linear(2, 2).train(mode)


def test_train_and_eval_reach_every_submodule_and_return_self():
    net = Net()
    assert net.eval() is net
    assert all(not m.training for m in net.modules())
    assert net.train() is net
    assert all(m.training for m in net.modules())


def test_apply_visits_every_module_children_first_as_in_torch_and_returns_self():
    net = Net()
    visited = []
    assert net.apply(visited.append) is net
    expected = ["Linear", "Tanh", "Linear", "Linear", "Block", "Linear", "Dropout", "Sequential", "Net"]
    assert [type(m).__name__ for m in visited] == expected
    torch = pytest.importorskip("torch")
    theirs = []
    torch.nn.Sequential(torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.Tanh()), torch.nn.ReLU()).apply(
        lambda m: theirs.append(type(m).__name__))
    ours = []
    nn.Sequential(nn.Sequential(nn.Linear(2, 2), nn.Tanh()), nn.ReLU()).apply(lambda m: ours.append(type(m).__name__))
    assert ours == theirs


def test_apply_visits_a_child_held_twice_once_as_in_torch():
    layer = nn.Linear(2, 2)
    visited = []
    nn.Sequential(layer, nn.ReLU(), layer).apply(visited.append)
    assert [type(m).__name__ for m in visited] == ["Linear", "ReLU", "Sequential"]


def test_apply_initialises_layers_by_type():
    def init(module):
        if isinstance(module, nn.Linear):
            nn.init.ones_(module.weight)
            nn.init.zeros_(module.bias)

    net = nn.MLP([3, 4, 2]).apply(init)
    out = net(np.ones((1, 3), dtype=np.float32))
    np.testing.assert_array_equal(out.data, [[12.0, 12.0]])  # relu(3) in each of 4 units, summed


def test_requires_grad_false_freezes_a_submodule_and_the_optimizer_skips_it():
    net = nn.Sequential(nn.Linear(2, 3, rng=0), nn.ReLU(), nn.Linear(3, 1, rng=1))
    assert net[0].requires_grad_(False) is net[0]
    frozen = net[0].weight.data.copy()
    optimizer = nn.optim.SGD(net.parameters(), lr=0.1)
    net(np.ones((4, 2), dtype=np.float32)).sum().backward()
    optimizer.step()
    assert net[0].weight.grad is None and net[2].weight.grad is not None
    np.testing.assert_array_equal(net[0].weight.data, frozen)
    assert all(p.requires_grad for p in net.requires_grad_().parameters())
    with pytest.raises(TypeError, match="Sequential.requires_grad_: expected True or False, got 'no'"):
        net.requires_grad_("no")


def test_call_runs_forward_and_missing_forward_is_explained():
    assert Block()(np.ones((1, 3)))[1].shape == (1, 1)
    with pytest.raises(NotImplementedError, match="Module.forward is not written"):
        nn.Module()(1.0)


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


def test_sequential_indexing_len_iteration_and_forward():
    a, b = nn.Linear(2, 3, rng=0), nn.Linear(3, 1, rng=1)
    seq = nn.Sequential(a, nn.ReLU(), b)
    assert len(seq) == 3 and seq[0] is a and seq[-1] is b and list(seq)[2] is b
    assert isinstance(seq[:2], nn.Sequential) and len(seq[:2]) == 2
    x = np.ones((4, 2), dtype=np.float32)
    np.testing.assert_array_equal(seq(x).data, b(ag.relu(a(x))).data)
    with pytest.raises(TypeError, match="argument 1 is a ufunc, not an nn.Module"):
        nn.Sequential(a, np.tanh)


def test_sequential_append_names_by_position_and_refuses_non_modules_and_taken_names():
    net = nn.Sequential(nn.Linear(2, 3, rng=0))
    assert net.append(nn.ReLU()) is net
    assert [name for name, _ in net.named_children()] == ["0", "1"] and len(net) == 2
    assert net(np.ones((1, 2))).shape == (1, 3)
    with pytest.raises(TypeError, match="Sequential.append: expected an nn.Module, got function"):
        net.append(lambda x: x)
    with pytest.raises(ValueError, match="appending it would make a cycle"):
        net.append(nn.Sequential(net))
    named = nn.Sequential(OrderedDict([("1", nn.ReLU())]))  # position 1 is next, but "1" is taken
    with pytest.raises(KeyError, match="the name '1' is already taken"):
        named.append(nn.Tanh())


def test_sequential_from_an_ordered_dict_uses_its_names():
    fc, out = nn.Linear(2, 3, rng=0), nn.Linear(3, 1, rng=1)
    seq = nn.Sequential(OrderedDict([("fc", fc), ("act", nn.ReLU()), ("out", out)]))
    assert [name for name, _ in seq.named_children()] == ["fc", "act", "out"]
    assert list(seq.state_dict()) == ["fc.weight", "fc.bias", "out.weight", "out.bias"]
    assert seq.fc is fc and seq[2] is out and len(seq) == 3
    x = np.ones((4, 2), dtype=np.float32)
    np.testing.assert_array_equal(seq(x).data, out(ag.relu(fc(x))).data)
    assert "(act): ReLU()" in repr(seq)
    with pytest.raises(TypeError, match="Sequential: entry 'act' is a ufunc, not an nn.Module"):
        nn.Sequential(OrderedDict([("fc", fc), ("act", np.tanh)]))
    for bad in ("training", "a.b", ""):  # would overwrite an attribute, or break dotted names
        with pytest.raises(KeyError, match="invalid module name"):
            nn.Sequential(OrderedDict([(bad, fc)]))


def test_sequential_slices_keep_names_and_bad_indices_are_explained():
    seq = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
    assert list(seq[1:].state_dict()) == ["2.weight", "2.bias"]  # PyTorch's names: '2', not '1'
    assert seq[1:][1] is seq[2] and list(seq[::2].state_dict()) == ["0.weight", "0.bias", "2.weight", "2.bias"]
    assert seq[-3] is seq[0] and seq[np.int64(1)] is seq[1]
    with pytest.raises(IndexError, match="Sequential: index 5 is out of range for 3 modules"):
        seq[5]
    with pytest.raises(IndexError, match="index -4 is out of range for 3 modules"):
        seq[-4]
    with pytest.raises(TypeError, match="indices must be integers or slices, not str"):
        seq["0"]
    assert list(seq[2:0:-1].state_dict()) == ["2.weight", "2.bias"]  # a negative step keeps the names too
    named = nn.Sequential(OrderedDict([("a", nn.Linear(2, 2)), ("b", nn.Linear(2, 2))]))
    assert list(named[1:].state_dict()) == ["b.weight", "b.bias"]


def test_sequential_slice_names_equal_torch():
    torch = pytest.importorskip("torch")
    ours = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1), nn.Tanh())
    theirs = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU(), torch.nn.Linear(3, 1), torch.nn.Tanh())
    for index in (slice(1, None), slice(None, None, 2), slice(-2, None), slice(2, 0, -1)):
        assert list(ours[index].state_dict()) == list(theirs[index].state_dict()), index
    named = OrderedDict([("a", nn.Linear(2, 2)), ("b", nn.Linear(2, 2))])
    tnamed = OrderedDict([("a", torch.nn.Linear(2, 2)), ("b", torch.nn.Linear(2, 2))])
    assert list(nn.Sequential(named)[1:].state_dict()) == list(torch.nn.Sequential(tnamed)[1:].state_dict())


def test_repr_shows_the_tree_and_settings():
    text = repr(Net())
    assert text.startswith("Net(\n  (block): Block(\n    (fc): Linear(in_features=3, out_features=4, bias=True)")
    assert "(heads.1): Linear(in_features=4, out_features=1, bias=True)" in text
    assert "(1): Dropout(p=0.5)" in text
    assert repr(nn.LeakyReLU(-1)) == "LeakyReLU(negative_slope=-1)"
    assert repr(nn.CrossEntropyLoss()) == "CrossEntropyLoss(reduction='mean')"


def test_tuples_of_modules_and_parameters_are_registered_like_lists():
    m = nn.Module()
    m.pair = (nn.Linear(2, 2, rng=0), nn.Parameter(np.zeros(3)))
    assert [name for name, _ in m.named_parameters()] == ["pair.1", "pair.0.weight", "pair.0.bias"]
    assert [name for name, _ in m.named_children()] == ["pair.0"]


def test_shared_modules_are_listed_once_as_in_torch():
    a = nn.Linear(2, 2, rng=0)
    net = nn.Sequential(a, nn.ReLU(), a)
    assert [name for name, _ in net.named_modules()] == ["", "0", "1"]
    assert len(list(net.modules())) == 3
    torch = pytest.importorskip("torch")
    ta = torch.nn.Linear(2, 2)
    assert [name for name, _ in torch.nn.Sequential(ta, torch.nn.ReLU(), ta).named_modules()] == ["", "0", "1"]


def test_named_children_skips_a_repeated_module_but_sequential_and_repr_list_every_entry():
    # torch's Sequential(a, ReLU(), a): children '0', '1'; len 3, three items, repr and state_dict under '2' too.
    a = nn.Linear(2, 2, rng=0)
    net = nn.Sequential(a, nn.ReLU(), a)
    assert [name for name, _ in net.named_children()] == ["0", "1"] and len(list(net.children())) == 2
    assert len(net) == 3 and [type(m).__name__ for m in net] == ["Linear", "ReLU", "Linear"] and net[2] is a
    assert "(1): ReLU()\n  (2): Linear(in_features=2, out_features=2, bias=True)\n)" in repr(net)
    assert [name for name, _ in net[1:].named_children()] == ["1", "2"]
    assert list(net.state_dict()) == ["0.weight", "0.bias", "2.weight", "2.bias"]
    assert [name for name, _ in net.named_parameters()] == ["0.weight", "0.bias"]
    net[2] = nn.Tanh()  # replaces the entry at position 2, not the first listing of a
    assert [type(m).__name__ for m in net] == ["Linear", "ReLU", "Tanh"]
    m = nn.Module()
    m.first, m.second = a, a
    assert [name for name, _ in m.named_children()] == ["first"]
    assert "(first): Linear" in repr(m) and "(second): Linear" in repr(m)


def test_named_parameters_prefix_and_recurse_as_in_torch():
    block = Block()
    assert [name for name, _ in block.named_parameters(recurse=False)] == ["scale"]  # its own, not its children's
    assert list(block.parameters(recurse=False)) == [block.scale]
    seq = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
    assert list(seq.parameters(recurse=False)) == []
    assert [name for name, _ in seq.named_parameters(prefix="net")] == ["net.0.weight", "net.0.bias", "net.2.weight",
                                                                       "net.2.bias"]
    torch = pytest.importorskip("torch")
    theirs = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU(), torch.nn.Linear(3, 1))
    assert [name for name, _ in seq.named_parameters(prefix="net")] == [
        name for name, _ in theirs.named_parameters(prefix="net")]
    assert list(theirs.parameters(recurse=False)) == []


@pytest.mark.parametrize("spoil", ["unexpected", "missing", "shape"])
def test_a_refused_load_state_dict_changes_no_parameter(spoil):
    layer = nn.Linear(3, 2, rng=0)
    before = layer.state_dict()
    state = nn.Linear(3, 2, rng=1).state_dict()
    if spoil == "unexpected":
        state["extra"] = np.zeros(1)
    elif spoil == "missing":
        del state["bias"]
    else:
        state["bias"] = np.zeros(5)
    with pytest.raises(RuntimeError, match="Linear.load_state_dict"):
        layer.load_state_dict(state)
    for name, value in layer.state_dict().items():
        np.testing.assert_array_equal(value, before[name], err_msg=name)  # all or nothing: weight untouched too


def test_state_dict_error_message_is_plain_text_not_a_quoted_key():
    layer = nn.Linear(3, 2)
    with pytest.raises(KeyError) as info:
        layer.load_state_dict({})
    assert str(info.value).startswith("Linear.load_state_dict: missing keys")


def test_call_passes_keyword_arguments_to_forward():
    class Scale(nn.Module):
        def forward(self, x, factor=1.0):
            return x * factor

    assert Scale()(2.0, factor=3.0) == 6.0


def test_repr_shows_extra_repr_above_the_children_as_in_torch():
    class Scaled(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(2, 2)

        def extra_repr(self):
            return "factor=2"

    assert repr(Scaled()) == "Scaled(\n  factor=2\n  (fc): Linear(in_features=2, out_features=2, bias=True)\n)"


def test_sequential_refuses_a_plain_dict_as_torch():
    with pytest.raises(TypeError, match="Sequential: argument 0 is a dict, not an nn.Module"):
        nn.Sequential({"fc": nn.Linear(2, 2)})
    torch = pytest.importorskip("torch")
    with pytest.raises(TypeError):
        torch.nn.Sequential({"fc": torch.nn.Linear(2, 2)})


def test_module_list_registers_indexes_and_extends_as_pytorch():
    class Stack(nn.Module):
        def __init__(self):
            super().__init__()
            self.blocks = nn.ModuleList(nn.Linear(2, 2, rng=k) for k in range(3))

        def forward(self, x):
            for block in self.blocks:
                x = block(x)
            return x

    net = Stack()
    assert [name for name, _ in net.named_parameters()][:3] == ["blocks.0.weight", "blocks.0.bias", "blocks.1.weight"]
    x = np.ones((4, 2), dtype=np.float32)
    expected = net.blocks[2](net.blocks[1](net.blocks[0](x)))
    np.testing.assert_array_equal(net(x).data, expected.data)
    tail = net.blocks[1:]  # renumbered from 0, as torch's ModuleList slices are
    assert isinstance(tail, nn.ModuleList) and [name for name, _ in tail.named_children()] == ["0", "1"]
    assert tail[0] is net.blocks[1]
    assert len(nn.ModuleList()) == len(nn.ModuleList(None)) == 0
    blocks = nn.ModuleList().append(nn.ReLU()).extend([nn.Tanh(), nn.Sigmoid()])
    assert [type(m).__name__ for m in blocks] == ["ReLU", "Tanh", "Sigmoid"] and len(blocks) == 3
    with pytest.raises(NotImplementedError, match="ModuleList has no forward: call its modules"):
        blocks(x)
    with pytest.raises(IndexError, match="ModuleList: index 3 is out of range for 3 modules"):
        blocks[3]
    with pytest.raises(TypeError, match="ModuleList.append: expected an nn.Module, got int"):
        blocks.extend([1])


def test_load_state_dict_between_forward_and_backward_is_caught_by_the_graph():
    # As PyTorch's copy_: the loaded values go into the same arrays, and a graph that saved the old ones refuses.
    layer = nn.Linear(2, 1, rng=0)
    out = layer(ag.tensor(np.ones((1, 2)), requires_grad=True)).sum()
    weight = layer.weight.data
    layer.load_state_dict(nn.Linear(2, 1, rng=1).state_dict())
    assert layer.weight.data is weight
    with pytest.raises(RuntimeError, match=r"the 'linear' node saved for its gradient, an input .* was changed"):
        out.backward()


def test_sequential_refuses_a_name_that_is_no_string_with_a_type_error_as_torch():
    with pytest.raises(TypeError, match="Sequential: module names must be strings, got 1 of type int"):
        nn.Sequential(OrderedDict([(1, nn.ReLU())]))
    torch = pytest.importorskip("torch")
    with pytest.raises(TypeError):
        torch.nn.Sequential(OrderedDict([(1, torch.nn.ReLU())]))


def routers(lib, make_heads):
    """A model with a trunk, a ModuleDict of heads and a Parameter, in lib (nn or torch.nn); make_heads turns a
    list of (key, module) pairs into what the ModuleDict is built from."""
    class Router(lib.Module):
        def __init__(self):
            super().__init__()
            self.trunk = lib.Linear(3, 4)
            self.heads = lib.ModuleDict(make_heads([("b", lib.Sequential(lib.Linear(4, 4), lib.Tanh())),
                                                    ("a", lib.Linear(4, 1))]))
            self.scale = lib.Parameter(lib.Linear(1, 1).weight.data[0])

    return Router()


@pytest.mark.parametrize("make_heads", [dict, list, iter, OrderedDict], ids=["dict", "pairs", "iterator", "ordered"])
def test_module_dict_registers_its_modules_under_their_keys_in_order_as_torch(make_heads):
    torch = pytest.importorskip("torch")
    ours, theirs = routers(nn, make_heads), routers(torch.nn, make_heads)
    assert [name for name, _ in ours.named_parameters()] == [name for name, _ in theirs.named_parameters()] == [
        "scale", "trunk.weight", "trunk.bias", "heads.b.0.weight", "heads.b.0.bias", "heads.a.weight", "heads.a.bias"]
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert [name for name, _ in ours.named_modules()] == [name for name, _ in theirs.named_modules()]
    assert [name for name, _ in ours.heads.named_children()] == list(ours.heads) == list(theirs.heads) == ["b", "a"]
    assert len(list(ours.parameters())) == 7 and all(m in list(ours.modules()) for m in ours.heads.values())
    assert repr(ours.heads) == repr(theirs.heads) and repr(nn.ModuleDict()) == repr(torch.nn.ModuleDict())


def test_module_dict_is_indexed_changed_and_iterated_like_torchs():
    torch = pytest.importorskip("torch")
    for lib in (nn, torch.nn):
        a, b, c, d = lib.Linear(2, 2), lib.ReLU(), lib.Tanh(), lib.Sigmoid()
        heads = lib.ModuleDict({"a": a, "b": b})
        assert heads["a"] is a and len(heads) == 2 and "b" in heads and "c" not in heads and "training" not in heads
        heads["c"] = c  # a new key goes last, a replaced one keeps its place
        heads["a"] = d
        assert list(heads) == list(heads.keys()) == ["a", "b", "c"] and list(heads.values()) == [d, b, c]
        assert list(heads.items()) == [("a", d), ("b", b), ("c", c)]
        del heads["b"]
        assert heads.pop("a") is d and list(heads) == ["c"] and not hasattr(heads, "a")
        heads.update([("x", a), ["y", b]])
        heads.update({"c": d, "z": c})
        heads.update(lib.ModuleDict({"w": a}))
        assert list(heads.items()) == [("c", d), ("x", a), ("y", b), ("z", c), ("w", a)], lib
        assert [name for name, _ in heads.named_children()] == ["c", "x", "y", "z"]  # a held twice listed once
        assert list(heads.state_dict()) == ["x.weight", "x.bias", "w.weight", "w.bias"]
        heads.clear()
        assert len(heads) == 0 and list(heads.parameters()) == [] and heads.training
    assert len(nn.ModuleDict()) == len(nn.ModuleDict(None)) == 0


@pytest.mark.parametrize("key, error", [("training", KeyError), ("forward", KeyError), ("keys", KeyError),
                                        ("a.b", KeyError), ("", KeyError), (1, TypeError)])
def test_module_dict_refuses_keys_that_are_no_names_or_would_shadow_an_attribute_as_torch(key, error):
    heads = nn.ModuleDict({"ok": nn.ReLU()})
    message = (f"ModuleDict: invalid module name {re.escape(repr(key))}: names must be non-empty strings without "
               f"'.' that are not already attributes of a ModuleDict" if error is KeyError else
               "ModuleDict: module names must be strings, got 1 of type int")
    with pytest.raises(error, match=message):
        heads[key] = nn.Linear(2, 2)
    with pytest.raises(error, match=message):
        nn.ModuleDict([("ok", nn.ReLU()), (key, nn.Tanh())])
    assert list(heads) == ["ok"] and heads.training is True and callable(heads.keys)
    torch = pytest.importorskip("torch")
    with pytest.raises(error):
        torch.nn.ModuleDict({"ok": torch.nn.ReLU()})[key] = torch.nn.Linear(2, 2)


def test_module_dict_refuses_values_that_are_no_modules_naming_the_key_and_type_as_torch():
    with pytest.raises(TypeError, match="ModuleDict: the value for key 'act' is a ufunc, not an nn.Module"):
        nn.ModuleDict({"fc": nn.Linear(2, 2), "act": np.tanh})
    heads = nn.ModuleDict({"fc": nn.Linear(2, 2)})
    with pytest.raises(TypeError, match="ModuleDict: the value for key 'fc' is a int, not an nn.Module"):
        heads["fc"] = 3
    assert isinstance(heads["fc"], nn.Linear)
    with pytest.raises(TypeError, match="ModuleDict.update: expected a dict or an iterable of .key, module. pairs, "
                                        "got int"):
        heads.update(3)
    with pytest.raises(TypeError, match="ModuleDict.update: element 0 is a int, not a .key, module. pair"):
        heads.update([3])
    with pytest.raises(ValueError, match=r"ModuleDict.update: element 1 has 3 items, not 2 \(a key and a module\)"):
        heads.update([("a", nn.ReLU()), ("b", nn.ReLU(), 1)])
    torch = pytest.importorskip("torch")
    for bad, error in ((np.tanh, TypeError), (3, TypeError)):
        with pytest.raises(error):
            torch.nn.ModuleDict({"act": bad})
    with pytest.raises(TypeError):
        torch.nn.ModuleDict().update(3)
    with pytest.raises(TypeError):
        torch.nn.ModuleDict().update([3])
    with pytest.raises(ValueError):
        torch.nn.ModuleDict().update([("a", torch.nn.ReLU()), ("b", torch.nn.ReLU(), 1)])


def test_module_dict_lookup_and_deletion_see_only_its_entries_as_torch():
    heads = nn.ModuleDict({"fc": nn.Linear(2, 2)})
    for name in ("training", "keys", "missing"):
        with pytest.raises(KeyError, match=rf"ModuleDict has no key '{name}'; its keys are \['fc'\]"):
            heads[name]
        with pytest.raises(KeyError, match=f"no key '{name}'"):
            del heads[name]
        with pytest.raises(KeyError, match=f"no key '{name}'"):
            heads.pop(name)
    assert heads.training is True and list(heads) == ["fc"]
    torch = pytest.importorskip("torch")
    theirs = torch.nn.ModuleDict({"fc": torch.nn.Linear(2, 2)})
    for name in ("training", "keys", "missing"):
        with pytest.raises(KeyError):
            theirs[name]
        with pytest.raises(KeyError):
            del theirs[name]


def test_module_dict_has_no_forward_as_torch():
    with pytest.raises(NotImplementedError, match=r"ModuleDict has no forward: call its modules by key"):
        nn.ModuleDict({"fc": nn.Linear(2, 2)})(np.ones(2))
    torch = pytest.importorskip("torch")
    with pytest.raises(NotImplementedError):
        torch.nn.ModuleDict({"fc": torch.nn.Linear(2, 2)})(torch.ones(2))


def test_module_dict_state_dict_round_trips_and_train_eval_zero_grad_reach_its_modules():
    source, target = routers(nn, dict), routers(nn, list)
    assert target.load_state_dict(source.state_dict()) == ([], [])
    for (name, a), (_, b) in zip(source.state_dict().items(), target.state_dict().items()):
        np.testing.assert_array_equal(a, b, err_msg=name)
    assert target.heads["a"].weight.data is not source.heads["a"].weight.data
    target.heads["b"] = nn.Dropout(0.5)
    assert target.eval() is target and not target.heads["b"].training and not target.heads.training
    assert all(m.training for m in target.train().modules())
    target.heads["a"](np.ones((2, 4), dtype=np.float32)).sum().backward()
    assert target.heads["a"].weight.grad is not None
    target.zero_grad()
    assert all(p.grad is None for p in target.parameters())


def test_an_optimizer_over_a_module_dict_model_trains_every_head():
    class TwoHeads(nn.Module):
        def __init__(self):
            super().__init__()
            self.trunk = nn.Linear(2, 8, rng=0)
            self.heads = nn.ModuleDict({"sum": nn.Linear(8, 1, rng=1), "diff": nn.Linear(8, 1, rng=2)})

        def forward(self, x, head):
            return self.heads[head](ag.tanh(self.trunk(x)))

    rng = np.random.default_rng(0)
    x = rng.normal(size=(32, 2)).astype(np.float32)
    targets = {"sum": x[:, :1] + x[:, 1:], "diff": x[:, :1] - x[:, 1:]}
    net = TwoHeads()
    optimizer = nn.optim.Adam(net.parameters(), lr=0.05)
    assert len(optimizer.param_groups[0]["params"]) == 6
    losses = {key: [] for key in targets}
    for _ in range(100):
        optimizer.zero_grad()
        loss = {key: nn.MSELoss()(net(x, key), y) for key, y in targets.items()}
        (loss["sum"] + loss["diff"]).backward()
        optimizer.step()
        for key in targets:
            losses[key].append(float(loss[key].data))
    assert all(losses[key][-1] < 0.05 * losses[key][0] for key in targets), {k: v[::20] for k, v in losses.items()}


@pytest.mark.parametrize("walk", [lambda m: m.state_dict(), lambda m: list(m.parameters()),
                                  lambda m: list(m.named_modules()), lambda m: m.train()])
def test_a_module_containing_itself_is_refused_not_walked_forever(walk):
    looped = nn.Sequential(nn.Linear(2, 2))
    looped.loop = looped
    with pytest.raises(ValueError, match=r"Module: 'loop' is the root module again, a cycle"):
        walk(looped)
    heads = nn.ModuleDict({"a": nn.Sequential(nn.Linear(2, 2))})
    heads["a"].back = heads["a"]
    with pytest.raises(ValueError, match=r"Module: 'a.back' is 'a' again, a cycle"):
        walk(heads)
