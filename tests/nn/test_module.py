"""Module and Parameter (nn/module.py): registration, traversal, modes, repr (state dicts:
test_module_state_dict.py)."""
import re

import numpy as np
import pytest

import autograd_core as ag
import nn
from conftest import calls_made


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
    assert [name for name, _ in net.named_parameters()] == [  # in assignment order, as ModuleDict, ParameterDict
        "heads.left.weight", "heads.left.bias", "heads.right.weight", "heads.right.bias", "scales.gain"]
    assert [name for name, _ in net.named_children()] == ["heads.left", "heads.right"]
    copy = Heads()
    copy.load_state_dict(net.state_dict())
    np.testing.assert_array_equal(copy.heads["right"].weight.data, net.heads["right"].weight.data)


class WithParameterContainers(nn.Module):
    """Parameters in a list and a dict, between layers: torch's twin below holds a ParameterList and Dict there."""

    def __init__(self):
        super().__init__()
        self.a = nn.Linear(1, 1, rng=0)
        self.ps = [nn.Parameter(np.ones(1))]
        self.b = nn.Linear(1, 1, rng=0)
        self.named = {"k": nn.Parameter(np.ones(1))}
        self.own = nn.Parameter(np.ones(1))  # a module's own Parameters come first


def torch_twin_with_parameter_containers(torch):
    twin = torch.nn.Module()
    twin.a, twin.ps = torch.nn.Linear(1, 1), torch.nn.ParameterList([torch.nn.Parameter(torch.ones(1))])
    twin.b, twin.named = torch.nn.Linear(1, 1), torch.nn.ParameterDict({"k": torch.nn.Parameter(torch.ones(1))})
    twin.own = torch.nn.Parameter(torch.ones(1))
    return twin


def test_a_list_or_dict_of_parameters_is_a_child_in_assignment_order_as_torchs_parameterlist():
    ours = WithParameterContainers()
    order = ["own", "a.weight", "a.bias", "ps.0", "b.weight", "b.bias", "named.k"]
    assert [name for name, _ in ours.named_parameters()] == list(ours.state_dict()) == order
    assert [name for name, _ in ours.named_parameters(recurse=False)] == ["own"]  # as the containers are children
    theirs = torch_twin_with_parameter_containers(pytest.importorskip("torch"))
    assert [name for name, _ in theirs.named_parameters()] == list(theirs.state_dict()) == order
    assert [name for name, _ in theirs.named_parameters(recurse=False)] == ["own"]


def test_unexpected_keys_under_a_list_of_parameters_come_in_torchs_order():
    extra = ["b.extra", "ps.1", "named.x", "extra", "a.extra"]
    ours = WithParameterContainers()
    state = {**ours.state_dict(), **{key: np.ones(1) for key in extra}}
    unexpected = ours.load_state_dict(state, strict=False).unexpected_keys
    assert unexpected == ["extra", "a.extra", "ps.1", "b.extra", "named.x"]  # module by module, as torch's load
    torch = pytest.importorskip("torch")
    theirs = torch_twin_with_parameter_containers(torch)
    state_torch = {**theirs.state_dict(), **{key: torch.ones(1) for key in extra}}
    assert theirs.load_state_dict(state_torch, strict=False).unexpected_keys == unexpected


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


def test_a_parameter_may_replace_a_child_module_as_in_torch():
    model = nn.Module()
    model.head = nn.Linear(2, 2)
    model.head = nn.Parameter(np.ones(2))
    assert [name for name, _ in model.named_parameters()] == ["head"] and list(model.children()) == []
    torch = pytest.importorskip("torch")
    theirs = torch.nn.Module()
    theirs.head = torch.nn.Linear(2, 2)
    theirs.head = torch.nn.Parameter(torch.ones(2))
    assert [name for name, _ in theirs.named_parameters()] == ["head"]


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


def test_apply_visits_a_module_held_in_two_places_once_and_a_deep_nesting_without_recursion():
    shared = nn.Linear(2, 2)
    visited = []
    nn.Sequential(nn.Sequential(shared), nn.Sequential(shared)).apply(visited.append)
    assert [type(m).__name__ for m in visited] == ["Linear", "Sequential", "Sequential", "Sequential"]
    deep = nn.Linear(2, 2)
    for _ in range(1100):  # past Python's recursion limit (1000)
        deep = nn.Sequential(deep)
    count = []
    assert deep.apply(count.append) is deep and len(count) == 1101


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


def test_repr_shows_the_tree_and_settings():
    text = repr(Net())
    assert text.startswith("Net(\n  (block): Block(\n    (fc): Linear(in_features=3, out_features=4, bias=True)")
    assert "(heads.1): Linear(in_features=4, out_features=1, bias=True)" in text
    assert "(1): Dropout(p=0.5, inplace=False)" in text
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


@pytest.mark.parametrize("walk", [lambda m: m.state_dict(), lambda m: list(m.parameters()),
                                  lambda m: list(m.named_modules()), lambda m: m.train(),
                                  lambda m: m.apply(lambda module: None), repr])  # (those two hit RecursionError)
def test_a_module_containing_itself_is_refused_not_walked_forever(walk):
    looped = nn.Sequential(nn.Linear(2, 2))
    looped.loop = looped
    with pytest.raises(ValueError, match=r"Module: 'loop' is the root module again, a cycle"):
        walk(looped)
    heads = nn.ModuleDict({"a": nn.Sequential(nn.Linear(2, 2))})
    heads["a"].back = heads["a"]
    with pytest.raises(ValueError, match=r"Module: 'a.back' is 'a' again, a cycle"):
        walk(heads)


def test_a_copied_or_pickled_parameter_holds_its_value_not_its_grad_as_in_pytorch():
    import copy
    import pickle
    model = nn.Linear(2, 1, rng=0)
    model(np.ones((1, 2), np.float32)).sum().backward()
    for twin in (copy.deepcopy(model), pickle.loads(pickle.dumps(model))):
        assert type(twin.weight) is nn.Parameter and twin.weight.grad is None and twin.weight.requires_grad
        np.testing.assert_array_equal(twin.weight.data, model.weight.data)
        assert not np.shares_memory(twin.weight.data, model.weight.data)
    assert model.weight.grad is not None  # the original keeps its own


def test_a_parameter_subclass_keeps_its_attributes_through_copies_and_pickles():
    import copy
    import pickle
    twin = copy.deepcopy(_TaggedParameter(np.ones(2), tag="keep"))
    assert type(twin) is _TaggedParameter and twin.tag == "keep" and twin.grad is None
    assert pickle.loads(pickle.dumps(_TaggedParameter(np.ones(2), tag="keep"))).tag == "keep"


class _TaggedParameter(nn.Parameter):  # (module level: pickle finds it by name)
    def __init__(self, data, tag="default"):
        super().__init__(data)
        self.tag = tag


def test_zero_grad_without_set_to_none_skips_parameters_without_a_grad():
    layer = nn.Linear(2, 1)
    layer.zero_grad(set_to_none=False)
    assert layer.weight.grad is None


def _doubled(depth):
    """Sequential(m, m) wrapped depth times around one Linear: depth + 1 distinct modules, two parameters."""
    model = nn.Linear(2, 2, rng=0)
    for _ in range(depth):
        model = nn.Sequential(model, model)
    return model


@pytest.mark.parametrize("method", ["modules", "parameters", "named_parameters", "named_modules", "zero_grad",
                                    "train"])
def test_traversal_of_shared_modules_grows_with_the_distinct_modules_not_the_paths(method):
    # torch.nn.Module.named_modules(remove_duplicate=True), behind modules(), parameters(), zero_grad() and train(),
    # keeps a memo and does not descend into a module it has seen: the work is linear in distinct modules (here
    # depth + 1). From depth 8 to depth 12 that is 9 -> 13 modules; the paths grow 256 -> 4096.
    shallow, deep = _doubled(8), _doubled(12)
    assert len(list(deep.modules())) == 13 and len(list(deep.parameters())) == 2

    def run(model):
        result = getattr(model, method)()
        return list(result) if method not in ("zero_grad", "train") else result

    ratio = calls_made(lambda: run(deep)) / calls_made(lambda: run(shallow))
    assert ratio < 3, f"{method}() of 13 distinct modules made {ratio:.1f} times the calls of 9 (paths: x16)"


def _ours_and_torchs(torch):
    """The same tree in both libraries: enc = Sequential(shared), mid = Linear(2, 1), dec = shared."""
    shared, tshared = nn.Linear(2, 2, rng=0), torch.nn.Linear(2, 2)

    class Ours(nn.Module):
        def __init__(self):
            super().__init__()
            self.enc, self.mid, self.dec = nn.Sequential(shared), nn.Linear(2, 1, rng=0), shared

    class Theirs(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.enc, self.mid, self.dec = torch.nn.Sequential(tshared), torch.nn.Linear(2, 1), tshared

    return Ours(), Theirs()


def test_a_module_shared_at_two_depths_is_named_at_its_first_place_depth_first_as_torch():
    torch = pytest.importorskip("torch")
    ours, theirs = _ours_and_torchs(torch)
    assert [name for name, _ in ours.named_modules()] == [name for name, _ in theirs.named_modules()]
    assert [name for name, _ in ours.named_parameters()] == [name for name, _ in theirs.named_parameters()]


def test_parameters_of_a_module_shared_at_two_depths_come_in_torchs_order():
    # the order an optimizer (and its state_dict's indices) sees: enc.0's weight and bias, then mid's
    torch = pytest.importorskip("torch")
    ours, theirs = _ours_and_torchs(torch)
    assert [p.shape for p in ours.parameters()] == [tuple(p.shape) for p in theirs.parameters()]
    assert next(iter(ours.parameters())) is ours.enc[0].weight


def test_text_for_strict_or_set_to_none_is_refused():
    # README: text where a flag belongs is refused (strict="no" would be strict).
    layer = nn.Linear(2, 3)
    with pytest.raises(TypeError, match=r"Linear.load_state_dict: strict must be True or False, got 'no'"):
        layer.load_state_dict({}, strict="no")
    assert layer.load_state_dict({}, strict=np.False_).missing_keys == ["weight", "bias"]
    with pytest.raises(TypeError, match=r"Linear.zero_grad: set_to_none must be True or False, got 'False'"):
        layer.zero_grad(set_to_none="False")


# ---- found by mutation testing (session 17) -----------------------------------------------------------------
class _Holder(nn.Module):
    def __init__(self):
        super().__init__()
        self.w = nn.Parameter(np.ones(2))
        self.ps = [nn.Parameter(np.zeros(1)), nn.Parameter(np.zeros(2))]
        self.lin = nn.Linear(2, 2)


def test_a_list_of_parameters_is_not_one_of_the_modules_nor_given_to_apply():
    model = _Holder()
    assert all(isinstance(m, nn.Module) for m in model.modules())
    assert [name for name, _ in model.named_modules()] == ["", "lin"]
    seen = []
    model.apply(seen.append)
    assert all(isinstance(m, nn.Module) for m in seen) and len(seen) == 2
    assert [name for name, _ in model.named_parameters()] == ["w", "ps.0", "ps.1", "lin.weight", "lin.bias"]
    torch = pytest.importorskip("torch")  # the reference's parameter order (its ParameterList is a child)

    class Holder(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.w = torch.nn.Parameter(torch.ones(2))
            self.ps = torch.nn.ParameterList([torch.nn.Parameter(torch.zeros(1)), torch.nn.Parameter(torch.zeros(2))])
            self.lin = torch.nn.Linear(2, 2)

    assert [name for name, _ in model.named_parameters()] == [name for name, _ in Holder().named_parameters()]


# A name re-bound to a Parameter or Module of another kind than it held goes last among them, as PyTorch's
# separate dicts append it; one of the same kind (a None it was unset to included) keeps its place.
def _rebound(lib, parameter, linear, before, after):
    m = lib.Module()
    if before == "buffer":
        m.register_buffer("x", np.ones(2) if lib is nn else parameter().detach())
    elif before == "plain":
        m.x = 5
    elif before == "unset parameter":
        m.x = parameter()
        m.x = None
    else:  # a child module
        m.x = linear()
    m.a, m.b = parameter(), linear()
    m.x = parameter() if after == "parameter" else linear()
    return ([name for name, _ in m.named_parameters(recurse=False)], [name for name, _ in m.named_children()],
            list(m.state_dict()))


REBINDINGS = [("plain", "parameter", ["a", "x"]), ("buffer", "parameter", ["a", "x"]),
              ("module", "parameter", ["a", "x"]), ("unset parameter", "parameter", ["x", "a"]),
              ("plain", "module", ["a"]), ("buffer", "module", ["a"]), ("module", "module", ["a"])]


@pytest.mark.parametrize("before, after, own", REBINDINGS)
def test_a_name_rebound_to_another_kind_goes_last_as_in_pytorch(before, after, own):
    ours = _rebound(nn, lambda: nn.Parameter(np.ones(2)), lambda: nn.Linear(2, 2), before, after)
    children = ["x", "b"] if (before, after) == ("module", "module") else ["b", "x"] if after == "module" else ["b"]
    assert ours[:2] == (own, children)
    torch = pytest.importorskip("torch")
    theirs = _rebound(torch.nn, lambda: torch.nn.Parameter(torch.ones(2)), lambda: torch.nn.Linear(2, 2), before,
                      after)
    assert ours == theirs


def test_a_parameter_unset_to_none_refuses_a_plain_value_as_pytorch():
    m = nn.Module()
    m.w = nn.Parameter(np.ones(2))
    m.w = None
    with pytest.raises(TypeError, match="cannot assign 'int' as parameter 'w'"):
        m.w = 3
    m.c = nn.Linear(2, 2)
    m.c = None
    with pytest.raises(TypeError, match="cannot assign 'int' as child module 'c'"):
        m.c = 3
    del m.c
    m.c = 3  # deleted, the name is free
    assert m.c == 3
