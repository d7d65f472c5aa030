"""Sequential, ModuleList and ModuleDict (nn/containers.py): names, indexing, registration, errors, as in torch."""
import copy
import re
from collections import OrderedDict

import numpy as np
import pytest

import autograd_core as ag
import nn
from conftest import calls_made
from nn.utils import parametrize


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
    with pytest.raises(ValueError, match=r"Sequential.append: the module contains this Sequential, which would then "
                                         r"contain itself \(a cycle\)"):
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
    with pytest.raises(TypeError, match=r"indices must be integers or slices \(or a one-entry integer Tensor\), "
                                        r"not str$"):
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


def _kinds(container):
    return [type(m).__name__ for m in container]


def _names(container):
    return [name for name, _ in container.named_children()]


def test_insert_at_the_end_of_a_named_sequential_keeps_its_names_as_torchs():
    # found by porting PyTorch's test_nn.py: insert(len(seq), m) renumbered an OrderedDict-built Sequential's
    # modules "0", "1", ..., renaming its state dict's keys; PyTorch's keeps the names and adds the next number
    torch = pytest.importorskip("torch")
    for lib in (nn, torch.nn):
        seq = lib.Sequential(OrderedDict([("fc", lib.Linear(1, 1)), ("act", lib.Tanh())]))
        seq.insert(2, lib.ReLU()).insert(3, lib.ELU())
        assert [name for name, _ in seq.named_children()] == ["fc", "act", "2", "3"]
        assert [type(m).__name__ for m in seq] == ["Linear", "Tanh", "ReLU", "ELU"]
        assert list(seq.state_dict()) == ["fc.weight", "fc.bias"]


@pytest.mark.parametrize("kind", ["Sequential", "ModuleList"])
def test_sequential_and_module_list_are_edited_as_lists_and_renumbered_as_torch(kind):
    make = (lambda *ms: nn.Sequential(*ms)) if kind == "Sequential" else (lambda *ms: nn.ModuleList(ms))
    box = make(nn.ReLU(), nn.Tanh(), nn.Sigmoid(), nn.ELU())
    del box[1]
    assert _kinds(box) == ["ReLU", "Sigmoid", "ELU"] and _names(box) == ["0", "1", "2"]
    del box[-2:]
    assert _kinds(box) == ["ReLU"] and _names(box) == ["0"]
    box.insert(0, nn.Tanh()).insert(-1, nn.Sigmoid()).insert(3, nn.ELU())  # as list.insert, within -len..len
    assert _kinds(box) == ["Tanh", "Sigmoid", "ReLU", "ELU"] and _names(box) == ["0", "1", "2", "3"]
    assert type(box.pop()).__name__ == "ELU" and type(box.pop(0)).__name__ == "Tanh"
    assert _kinds(box) == ["Sigmoid", "ReLU"] and _names(box) == ["0", "1"]
    with pytest.raises(IndexError, match=f"{kind}: index 3 is out of range for 2 modules"):
        box.insert(3, nn.ReLU())
    with pytest.raises(TypeError, match=f"{kind}.insert: expected an nn.Module, got int"):
        box.insert(0, 1)
    with pytest.raises(AssertionError, match=f"{kind}.insert: expected an nn.Module, got list"):
        box.insert(1, [nn.Linear(6, 7)])  # PyTorch's Sequential.insert asserts (found by porting its test_nn.py)
    torch = pytest.importorskip("torch")
    theirs = getattr(torch.nn, kind)(*([torch.nn.ReLU(), torch.nn.Tanh(), torch.nn.Sigmoid(), torch.nn.ELU()],)
                                    if kind == "ModuleList" else (torch.nn.ReLU(), torch.nn.Tanh(), torch.nn.Sigmoid(),
                                                                  torch.nn.ELU()))
    ours = make(nn.ReLU(), nn.Tanh(), nn.Sigmoid(), nn.ELU())
    for edit in (lambda c: c.__delitem__(1), lambda c: c.insert(1, c[0]), lambda c: c.pop(-1)):
        edit(ours)
        edit(theirs)
        assert _kinds(ours) == _kinds(theirs) and _names(ours) == _names(theirs)


def test_sequential_and_module_list_concatenate_as_torch():
    both = nn.Sequential(nn.ReLU()) + nn.Sequential(nn.Tanh())
    assert isinstance(both, nn.Sequential) and _kinds(both) == ["ReLU", "Tanh"] and _names(both) == ["0", "1"]
    both += nn.Sequential(nn.ELU())
    assert _kinds(both) == ["ReLU", "Tanh", "ELU"]
    with pytest.raises(TypeError):
        nn.Sequential(nn.ReLU()) + nn.ModuleList([nn.Tanh()])  # torch's Sequential adds only Sequentials
    blocks = nn.ModuleList([nn.ReLU()]) + [nn.Tanh()]
    assert isinstance(blocks, nn.ModuleList) and _kinds(blocks) == ["ReLU", "Tanh"]
    blocks += (nn.ELU(),)
    assert _kinds(blocks) == ["ReLU", "Tanh", "ELU"] and _names(blocks) == ["0", "1", "2"]
    assert not isinstance(nn.ModuleList(), nn.Sequential)  # as in torch: a ModuleList has no forward


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


def test_editing_a_subclass_touches_only_its_entries_not_a_list_it_keeps():
    class WithExtras(nn.Sequential):
        def __init__(self, *modules):
            super().__init__(*modules)
            self.extras = [nn.Tanh()]  # registered (its parameters count) but no step of the sequence

    seq = WithExtras(nn.ReLU(), nn.Sigmoid())
    assert len(seq) == 2 and _kinds(seq) == ["ReLU", "Sigmoid"]
    del seq[0]
    assert _kinds(seq) == ["Sigmoid"] and isinstance(seq.extras[0], nn.Tanh)
    assert [name for name, _ in seq.named_children()] == ["extras.0", "0"]


def test_plus_equals_extends_the_same_sequential():
    net = nn.Sequential(nn.ReLU())
    alias = net
    net += nn.Sequential(nn.Tanh())
    assert net is alias and len(alias) == 2


def test_item_assignment_keeps_an_ordereddict_name():
    net = nn.Sequential(OrderedDict(fc=nn.Linear(2, 2), act=nn.ReLU()))
    net[1] = nn.Tanh()
    assert [name for name, _ in net.named_children()] == ["fc", "act"]
    assert isinstance(net.act, nn.Tanh) and len(net) == 2


@pytest.mark.parametrize("other", [[nn.Tanh()], (nn.Tanh(),), nn.ModuleList([nn.Tanh()])], ids=["list", "tuple",
                                                                                                   "ModuleList"])
def test_sequential_plus_adds_only_another_sequential(other):
    """Sequential + Sequential and += extend by a Sequential (as PyTorch: both Sequentials); anything else is
    refused, and += leaves the Sequential as it was."""
    net = nn.Sequential(nn.ReLU())
    with pytest.raises(TypeError):
        net + other
    with pytest.raises(TypeError):
        net += other
    assert [type(m).__name__ for m in net] == ["ReLU"]
    assert [type(m).__name__ for m in net + nn.Sequential(nn.Tanh())] == ["ReLU", "Tanh"]


def test_sequential_indexing_sees_every_change_made_through_attributes():
    """Indexing keeps the entries' names between calls; any attribute set or deleted makes it look again."""
    net = nn.Sequential(nn.ReLU(), nn.Tanh())
    assert isinstance(net[1], nn.Tanh) and len(net) == 2
    net.extra = nn.Sigmoid()  # a new Module attribute is a new entry, as in PyTorch
    assert isinstance(net[-1], nn.Sigmoid) and len(net) == 3
    setattr(net, "0", nn.ELU())
    assert isinstance(net[0], nn.ELU)
    del net.extra
    assert len(net) == 2 and isinstance(net[-1], nn.Tanh)
    net.eval()  # a non-Module attribute changes nothing
    assert _kinds(net) == ["ELU", "Tanh"] and _kinds(net[::-1]) == ["Tanh", "ELU"]


def test_sequential_indexing_in_a_loop_scans_the_attributes_once(monkeypatch):
    """The names are kept between calls: indexing each of n entries is O(n), not O(n**2)."""
    import nn.containers as containers
    scans = []
    real = containers._module_attributes
    monkeypatch.setattr(containers, "_module_attributes", lambda module: scans.append(module) or real(module))
    net = nn.Sequential(*[nn.ReLU() for _ in range(50)])
    scans.clear()
    assert all(isinstance(net[i], nn.ReLU) for i in range(len(net))) and len(scans) == 1


def test_the_kept_names_are_no_entry_parameter_or_state():
    net = nn.Sequential(nn.Linear(2, 2, rng=0), nn.ReLU())
    net[0], len(net)
    clone = copy.deepcopy(net)
    assert [name for name, _ in net.named_children()] == ["0", "1"] and list(net.state_dict()) == ["0.weight", "0.bias"]
    assert "entry_names" not in repr(net) and isinstance(clone[0], nn.Linear) and clone[0] is not net[0]
    clone.append(nn.Tanh())
    assert len(clone) == 3 and len(net) == 2


def test_a_sequential_keeps_an_entry_named_like_its_private_cache():
    # torch.nn.Sequential(OrderedDict(_entry_names=ReLU(), b=Tanh())) has two entries. Here the entry is set by
    # setattr and then popped by _ModuleSequence.__setattr__'s cache invalidation: it silently vanishes.
    net = nn.Sequential(OrderedDict([("_entry_names", nn.ReLU()), ("b", nn.Tanh())]))
    assert [name for name, _ in net.named_children()] == ["_entry_names", "b"]
    assert len(net) == 2 and isinstance(net[0], nn.ReLU)


def test_a_module_dict_refuses_an_unhashable_key_as_torch():
    # torch.nn.ModuleDict: ['x'] in d and d[['x']] raise TypeError (unhashable type: 'list'), as before de062a1..;
    # now `in` answers False and d[['x']] is a KeyError.
    heads = nn.ModuleDict({"a": nn.ReLU()})
    with pytest.raises(TypeError):
        ["x"] in heads
    with pytest.raises(TypeError):
        heads[["x"]]


def test_module_list_names_itself_for_modules_that_are_no_iterable():
    with pytest.raises(TypeError, match="ModuleList: expected an iterable of modules, got int"):
        nn.ModuleList(5)


def _appending(kind, modules):
    def build():
        container = kind()
        for module in modules:
            container.append(module)
        return container
    return build


@pytest.mark.parametrize("kind", [nn.ModuleList, nn.Sequential])
def test_appending_n_modules_one_by_one_is_linear_in_n(kind):
    # torch.nn.ModuleList.append is O(1) (it names the module str(len(self)) from its _modules dict), so a list of
    # 4n modules built by append costs 4 times a list of n. Linear growth gives a ratio of about 4; a scan of every
    # entry on each append gives about 16.
    small, large = 150, 600
    modules = [nn.ReLU() for _ in range(large)]
    ratio = calls_made(_appending(kind, modules)) / calls_made(_appending(kind, modules[:small]))
    assert len(_appending(kind, modules)()) == large
    assert ratio < 6, f"{kind.__name__}.append x{large} made {ratio:.1f} times the calls of x{small} (linear: 4)"


def test_extend_and_in_place_add_of_a_module_list_are_linear_in_n():
    small, large = 150, 600
    modules = [nn.ReLU() for _ in range(large)]

    def extend(k):
        return lambda: nn.ModuleList().extend(modules[:k])

    def add_in_place(k):
        def run():
            blocks = nn.ModuleList()
            blocks += modules[:k]
        return run

    for make in (extend, add_in_place):
        ratio = calls_made(make(large)) / calls_made(make(small))
        assert ratio < 6, f"{make.__name__}: {ratio:.1f} times the calls for 4 times the modules (linear: 4)"


def test_len_of_a_module_dict_does_not_grow_with_its_size():
    # torch.nn.ModuleDict.__len__ is len(self._modules): O(1). A loop asking len() (while len(d): ...) is then
    # linear in the entries, not quadratic.
    small = nn.ModuleDict({f"k{i}": nn.ReLU() for i in range(100)})
    large = nn.ModuleDict({f"k{i}": nn.ReLU() for i in range(1600)})
    assert (len(small), len(large)) == (100, 1600)
    ratio = calls_made(lambda: [len(large) for _ in range(50)]) / calls_made(lambda: [len(small) for _ in range(50)])
    assert ratio < 2, f"len() of a 1600-entry ModuleDict made {ratio:.1f} times the calls of a 100-entry one"


class _Key(str):
    """A str whose == is a Python call, so that calls_made counts each key comparison (a scan of the entries)."""
    __hash__ = str.__hash__

    def __eq__(self, other):
        return str.__eq__(self, other)


def _deleting_every_entry(n):
    keys = [_Key(f"k{i}") for i in range(n)]
    heads = nn.ModuleDict({key: nn.ReLU() for key in keys})
    assert len(heads) == n  # (len, iteration or keys() keep the entries' names)

    def run():
        for key in reversed(keys):  # as pop() of the last entry in a loop
            del heads[key]
    return run


def test_deleting_n_entries_of_a_module_dict_is_linear_in_n():
    # torch.nn.ModuleDict.__delitem__ is `del self._modules[key]`: O(1), so deleting 4n entries costs 4 times n.
    # A scan of the kept names on each deletion gives about 16 (n**2 / 2 comparisons).
    small, large = 100, 400
    ratio = calls_made(_deleting_every_entry(large)) / calls_made(_deleting_every_entry(small))
    assert ratio < 6, f"deleting {large} entries made {ratio:.1f} times the calls of {small} (linear: 4)"


def test_deleting_a_plain_attribute_of_a_sequential_keeps_its_entries_as_torch():
    torch = pytest.importorskip("torch")
    ts = torch.nn.Sequential(torch.nn.Linear(2, 2))
    ts.note = 1
    del ts.note
    s = nn.Sequential(nn.Linear(2, 2))
    s.note = 1
    assert len(s) == 1  # the names are kept from here
    del s.note
    assert len(s) == len(ts) == 1
    assert [type(m).__name__ for m in s] == ["Linear"]


def test_a_plain_attribute_replaced_by_a_module_becomes_an_entry_as_torch():
    torch = pytest.importorskip("torch")
    ts = torch.nn.Sequential()
    ts.extra = 1
    ts.extra = torch.nn.Linear(2, 2)
    s = nn.Sequential()
    s.extra = 1
    assert len(s) == 0  # the names are kept from here
    s.extra = nn.Linear(2, 2)
    assert len(s) == len(ts) == 1
    assert [name for name, _ in s.named_children()] == [name for name, _ in ts.named_children()] == ["extra"]


def test_sequential_times_an_int_repeats_the_same_modules_as_torch():
    block = nn.Sequential(nn.Linear(2, 2, rng=0), nn.Tanh())
    for twice in (block * 2, 2 * block, np.int64(2) * block, block * np.int64(2)):
        assert isinstance(twice, nn.Sequential) and twice is not block and len(block) == 2
        assert _kinds(twice) == ["Linear", "Tanh", "Linear", "Tanh"] and twice[0] is twice[2] is block[0]
        assert list(twice.parameters()) == list(block.parameters())  # shared: each Parameter once
    x = np.ones((3, 2), np.float32)
    np.testing.assert_array_equal((block * 3)(x).data, block(block(block(x))).data)
    alias = block
    block *= 3
    assert block is alias and _kinds(block) == ["Linear", "Tanh"] * 3 and block[4] is block[0]
    named = nn.Sequential(OrderedDict(fc=nn.Linear(2, 2), act=nn.ReLU()))
    named *= 2  # (torch's *= looks its modules up as "0", "1": a KeyError for these names)
    assert _names(named) == ["fc", "act"] and list(named.state_dict()) == ["fc.weight", "fc.bias", "2.weight",
                                                                            "2.bias"]
    torch = pytest.importorskip("torch")
    theirs = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.Tanh())
    assert list((block[:2] * 2).state_dict()) == list((theirs * 2).state_dict())
    assert list((2 * block[:2]).state_dict()) == list((2 * theirs).state_dict())
    theirs *= 3
    assert list(block.state_dict()) == list(theirs.state_dict())


@pytest.mark.parametrize("times, error, message", [
    (0, ValueError, r"Sequential \*: the number of repeats must be at least 1, got 0"),
    (-1, ValueError, r"Sequential \*: the number of repeats must be at least 1, got -1"),
    (2.0, TypeError, r"Sequential \*: the number of repeats must be an int, got 2.0"),
    (True, TypeError, r"Sequential \*: the number of repeats must be an int, got True"),  # (torch's reads 1)
])
def test_sequential_times_anything_but_a_positive_int_is_refused(times, error, message):
    block = nn.Sequential(nn.ReLU())
    with pytest.raises(error, match=message):
        block * times
    with pytest.raises(error, match=message.replace(r"\*", r"\*=")):
        block *= times
    assert len(block) == 1
    torch = pytest.importorskip("torch")
    if times is not True:
        with pytest.raises(error):
            torch.nn.Sequential(torch.nn.ReLU()) * times


# ---- extend given one module (or another non-iterable) ---------------------------------------------------------------
# ModuleList.extend and Sequential.extend raise a TypeError naming the method and suggesting append, as PyTorch's
# ModuleList.extend names itself, rather than Python's bare "'ReLU' object is not iterable".
@pytest.mark.parametrize("container", [nn.ModuleList([nn.ReLU()]), nn.Sequential(nn.ReLU())])
def test_extend_refuses_a_single_module_with_a_hint(container):
    with pytest.raises(TypeError, match=r"\.extend: expected an iterable of modules, got Tanh; to add one module, "
                                        r"use append"):
        container.extend(nn.Tanh())
    with pytest.raises(TypeError, match=r"\.extend: expected an iterable of modules, got int$"):
        container.extend(5)
    assert len(container) == 1


def test_extend_still_takes_iterables_and_itself():
    blocks = nn.ModuleList([nn.ReLU()])
    blocks.extend(nn.Sequential(nn.Tanh(), nn.Sigmoid()))
    blocks.extend(blocks)
    assert [type(m).__name__ for m in blocks] == ["ReLU", "Tanh", "Sigmoid"] * 2


# ---- ModuleList's repr: a run of equal entries on one line -----------------------------------------------------------
# "(0-2): 3 x Layer(...)", as PyTorch's ModuleList.__repr__ (what a Transformer's stack of equal layers prints). The
# references are PyTorch 2.13's output, written out.
def test_runs_of_equal_entries_are_one_line():
    blocks = nn.ModuleList([nn.Linear(2, 2), nn.Linear(2, 2), nn.Linear(2, 3), nn.ReLU(), nn.ReLU(), nn.ReLU()])
    assert repr(blocks) == ("ModuleList(\n"
                            "  (0-1): 2 x Linear(in_features=2, out_features=2, bias=True)\n"
                            "  (2): Linear(in_features=2, out_features=3, bias=True)\n"
                            "  (3-5): 3 x ReLU()\n"
                            ")")


def test_a_run_of_nested_modules_is_indented_once():
    net = nn.Sequential(nn.ModuleList([nn.Sequential(nn.Tanh()), nn.Sequential(nn.Tanh()), nn.Tanh()]))
    assert repr(net) == ("Sequential(\n"
                         "  (0): ModuleList(\n"
                         "    (0-1): 2 x Sequential(\n"
                         "      (0): Tanh()\n"
                         "    )\n"
                         "    (2): Tanh()\n"
                         "  )\n"
                         ")")


def test_empty_single_and_sequential_are_unchanged():
    assert repr(nn.ModuleList()) == "ModuleList()"
    assert repr(nn.ModuleList([nn.ReLU()])) == "ModuleList(\n  (0): ReLU()\n)"
    assert repr(nn.Sequential(nn.ReLU(), nn.ReLU())) == "Sequential(\n  (0): ReLU()\n  (1): ReLU()\n)"


def test_a_parametrization_list_shows_runs_as_pytorchs():
    layer = nn.Linear(2, 2)
    for parametrization in (nn.Tanh(), nn.Tanh(), nn.ReLU()):
        parametrize.register_parametrization(layer, "weight", parametrization)
    assert repr(layer) == ("ParametrizedLinear(\n"
                           "  in_features=2, out_features=2, bias=True\n"
                           "  (parametrizations): ModuleDict(\n"
                           "    (weight): ParametrizationList(\n"
                           "      (0-1): 2 x Tanh()\n"
                           "      (2): ReLU()\n"
                           "    )\n"
                           "  )\n"
                           ")")


def test_module_list_takes_a_one_entry_integer_tensor_as_an_index_and_names_the_shape_of_another():
    # Mixtral's sparse MoE block: `for expert_idx in mask.nonzero(): self.experts[expert_idx]` (rows of shape (1,))
    experts = nn.ModuleList([nn.Linear(2, 2) for _ in range(3)])
    assert experts[ag.tensor([2])] is experts[2] and experts[ag.tensor(1)] is experts[1]
    with pytest.raises(TypeError, match=r"^ModuleList: indices must be integers or slices \(or a one-entry integer "
                                        r"Tensor\), not Tensor of shape \(2,\)$"):
        experts[ag.tensor([0, 2])]  # (NumPy's nonzero tuple iterated: all the positions at once)
    with pytest.raises(TypeError, match=r"not Tensor of shape \(1,\)$"):
        experts[ag.tensor([1.0])]
    torch = pytest.importorskip("torch")
    theirs = torch.nn.ModuleList([torch.nn.Linear(2, 2) for _ in range(3)])
    assert theirs[torch.tensor([2])] is theirs[2] and theirs[torch.tensor(1)] is theirs[1]
    with pytest.raises(TypeError):
        theirs[torch.tensor([0, 2])]
