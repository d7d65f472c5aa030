"""Module's registration by name and lookup by dotted name (nn/module.py): add_module, register_module,
register_parameter, get_submodule, get_parameter and get_buffer, against PyTorch's."""

import numpy as np
import pytest

import autograd_core as ag
import nn


# ---- add_module, register_module, register_parameter --------------------------------------------------------
def _registered(lib, parameter, linear):
    """A module built with add_module, register_module and register_parameter (None places kept, a child
    replaced), and what it lists: own parameters, children, state dict keys."""
    m = lib.Module()
    m.add_module("a", linear())
    m.register_parameter("p", None)  # a place kept: filled later, it comes before q
    m.register_module("b", None)
    m.register_parameter("q", parameter())
    m.add_module("c", linear())
    m.register_parameter("p", parameter())
    m.register_module("b", linear())
    m.add_module("a", linear())  # a child replaced keeps its place
    return ([name for name, _ in m.named_parameters(recurse=False)], [name for name, _ in m.named_children()],
            list(m.state_dict()))


def test_add_module_register_module_and_register_parameter_register_as_assignment_does_in_torchs_order():
    ours = _registered(nn, lambda: nn.Parameter(np.ones(2)), lambda: nn.Linear(2, 2))
    assert ours == (["p", "q"], ["a", "b", "c"],
                    ["p", "q", "a.weight", "a.bias", "b.weight", "b.bias", "c.weight", "c.bias"])
    m = nn.Module()
    layer = nn.Linear(2, 2)
    assert m.add_module("fc", layer) is None and m.fc is layer  # (torch's return None too)
    torch = pytest.importorskip("torch")
    assert ours == _registered(torch.nn, lambda: torch.nn.Parameter(torch.ones(2)), lambda: torch.nn.Linear(2, 2))


def test_a_place_registered_as_none_refuses_a_value_of_another_kind_as_torch():
    m = nn.Module()
    m.register_module("child", None)
    m.register_parameter("weight", None)
    assert m.child is None and m.weight is None and list(m.parameters()) == [] and list(m.children()) == []
    with pytest.raises(TypeError, match="cannot assign 'int' as child module 'child'"):
        m.child = 3
    with pytest.raises(TypeError, match="cannot assign 'int' as parameter 'weight'"):
        m.weight = 3
    with pytest.raises(KeyError, match="register_parameter: attribute 'child' already exists and is no parameter"):
        m.register_parameter("child", None)
    torch = pytest.importorskip("torch")
    theirs = torch.nn.Module()
    theirs.register_module("child", None)
    theirs.register_parameter("weight", None)
    with pytest.raises(TypeError):
        theirs.child = 3
    with pytest.raises(TypeError):
        theirs.weight = 3
    with pytest.raises(KeyError):
        theirs.register_parameter("child", None)


def _with_every_kind(lib, parameter, linear, buffer):
    """A module with a parameter w, a child c, a buffer b and a plain attribute note."""
    m = lib.Module()
    m.w, m.c, m.note = parameter(), linear(), 3
    m.register_buffer("b", buffer())
    return m


# (method, name, value, error, message): value is "module", "parameter" or a plain value
REGISTRATION_ERRORS = [
    ("add_module", 1, "module", TypeError, r"Module.add_module: the module name must be a string, got 1 of type int"),
    ("add_module", "a.b", "module", KeyError, r"Module.add_module: the module name must be a non-empty string "
                                              r"without '.', got 'a.b'"),
    ("register_module", "", "module", KeyError, r"Module.register_module: the module name must be a non-empty"),
    ("add_module", "w", "module", KeyError, r"Module.add_module: attribute 'w' already exists and is no module"),
    ("add_module", "b", "module", KeyError, r"attribute 'b' already exists and is no module"),
    ("add_module", "note", "module", KeyError, r"attribute 'note' already exists and is no module"),
    ("add_module", "forward", "module", KeyError, r"attribute 'forward' already exists and is no module"),
    ("add_module", "training", "module", KeyError, r"attribute 'training' already exists and is no module"),
    ("add_module", "new", 3, TypeError, r"Module.add_module: int is not a Module subclass \(an nn.Module or None "
                                        r"expected for 'new'\)"),
    ("add_module", 1, 3, TypeError, r"int is not a Module subclass"),  # (the value's type is checked first, as torch)
    ("register_parameter", 1, "parameter", TypeError, r"Module.register_parameter: the parameter name must be a "
                                                      r"string, got 1 of type int"),
    ("register_parameter", "a.b", "parameter", KeyError, r"the parameter name must be a non-empty string without"),
    ("register_parameter", "", None, KeyError, r"the parameter name must be a non-empty string without '.', got ''"),
    ("register_parameter", "c", "parameter", KeyError, r"Module.register_parameter: attribute 'c' already exists "
                                                       r"and is no parameter"),
    ("register_parameter", "b", None, KeyError, r"attribute 'b' already exists and is no parameter"),
    ("register_parameter", "note", None, KeyError, r"attribute 'note' already exists and is no parameter"),
    ("register_parameter", "forward", None, KeyError, r"attribute 'forward' already exists and is no parameter"),
    ("register_parameter", "r", "tensor", TypeError, r"Module.register_parameter: cannot assign 'Tensor' object to "
                                                     r"parameter 'r' \(nn.Parameter or None expected\)"),
    ("register_parameter", "r", "module", TypeError, r"cannot assign 'Linear' object to parameter 'r'"),
]


@pytest.mark.parametrize("method, name, value, error, message", REGISTRATION_ERRORS)
def test_registration_refuses_what_torch_refuses_with_the_same_exception(method, name, value, error, message):
    def make(lib, tensor):
        return {"module": lambda: lib.Linear(1, 1), "parameter": lambda: lib.Parameter(tensor(1)),
                "tensor": lambda: tensor(1)}.get(value, lambda: value)()

    ours = _with_every_kind(nn, lambda: nn.Parameter(np.ones(1)), lambda: nn.Linear(1, 1), lambda: np.zeros(1))
    before = (list(ours.state_dict()), ours.note)
    with pytest.raises(error, match=message):
        getattr(ours, method)(name, make(nn, ag.ones))
    assert (list(ours.state_dict()), ours.note) == before  # nothing registered
    torch = pytest.importorskip("torch")
    theirs = _with_every_kind(torch.nn, lambda: torch.nn.Parameter(torch.ones(1)), lambda: torch.nn.Linear(1, 1),
                              lambda: torch.zeros(1))
    with pytest.raises(error):
        getattr(theirs, method)(name, make(torch.nn, torch.ones))


@pytest.mark.parametrize("method, value", [("add_module", nn.Linear(1, 1)), ("register_parameter", None)])
def test_registration_before_module_init_is_refused_at_once(method, value):
    class Forgetful(nn.Module):
        def __init__(self):
            getattr(self, method)("inner", value)

    kind = "module" if method == "add_module" else "parameter"
    with pytest.raises(AttributeError, match=rf"Forgetful.{method}: cannot register {kind} 'inner' before "
                                             r"Module.__init__\(\) call"):
        Forgetful()


def test_add_module_replaces_a_list_of_modules_as_torchs_module_list():
    holder = nn.Module()
    holder.heads = [nn.Linear(2, 2), nn.Linear(2, 2)]
    holder.add_module("heads", nn.Linear(2, 1))
    assert [name for name, _ in holder.named_parameters()] == ["heads.weight", "heads.bias"]


def _layers_model(module, layers):
    """fast.ai course22p2 04's Model: the layers kept in a plain list, each also registered by add_module."""
    model = module()
    model.layers = layers
    for i, layer in enumerate(model.layers):
        model.add_module(f"layer_{i}", layer)
    return model


def test_a_plain_list_of_modules_also_added_by_name_is_listed_under_those_names_only():
    # (each layer appeared twice in the state dict, as "layers.0.weight" and "layer_0.weight"; PyTorch registers
    # no plain list)
    model = _layers_model(nn.Module, [nn.Linear(3, 4, rng=0), nn.ReLU(), nn.Linear(4, 2, rng=1)])
    expected = ["layer_0.weight", "layer_0.bias", "layer_2.weight", "layer_2.bias"]
    assert list(model.state_dict()) == expected == [name for name, _ in model.named_parameters()]
    assert [name for name, _ in model.named_children()] == ["layer_0", "layer_1", "layer_2"]
    reloaded = _layers_model(nn.Module, [nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2)])
    reloaded.load_state_dict(model.state_dict())  # (strict: every key found, none missing)
    np.testing.assert_array_equal(reloaded.layer_2.weight.data, model.layers[2].weight.data)
    kept = nn.Module()  # a plain list whose modules are not added by name stays registered
    kept.layers = [nn.Linear(3, 4)]
    assert list(kept.state_dict()) == ["layers.0.weight", "layers.0.bias"]
    torch = pytest.importorskip("torch")
    theirs = _layers_model(torch.nn.Module, [torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 2)])
    assert list(theirs.state_dict()) == expected


# ---- get_submodule, get_parameter, get_buffer ---------------------------------------------------------------
class _Tree(nn.Module):
    """Modules and parameters at every kind of place: a Sequential, a ModuleList, a ModuleDict, a plain list and
    dict of modules, a plain list and dict of Parameters, buffers (one None) and a plain value."""

    def __init__(self):
        super().__init__()
        self.seq = nn.Sequential(nn.Linear(2, 3, rng=0), nn.Sequential(nn.BatchNorm1d(3), nn.ReLU()))
        self.blocks = nn.ModuleList([nn.Linear(3, 3, rng=1), nn.LayerNorm(3)])
        self.heads = {"left": nn.Linear(3, 1, rng=2), "right": nn.ModuleDict({"deep": nn.Linear(3, 2, rng=3)})}
        self.towers = [nn.Sequential(nn.Linear(3, 3, rng=4)), nn.Embedding(4, 3, rng=5)]
        self.ps = [nn.Parameter(np.ones(1)), nn.Parameter(np.zeros(2))]
        self.named = {"gain": nn.Parameter(np.ones(3))}
        self.register_buffer("steps", np.zeros(()))
        self.register_buffer("empty", None)
        self.note = "not a module"


def _torch_tree(torch):
    """_Tree in torch: its containers where _Tree holds plain lists and dicts."""
    tree = torch.nn.Module()
    tree.seq = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.Sequential(torch.nn.BatchNorm1d(3),
                                                                              torch.nn.ReLU()))
    tree.blocks = torch.nn.ModuleList([torch.nn.Linear(3, 3), torch.nn.LayerNorm(3)])
    tree.heads = torch.nn.ModuleDict({"left": torch.nn.Linear(3, 1),
                                      "right": torch.nn.ModuleDict({"deep": torch.nn.Linear(3, 2)})})
    tree.towers = torch.nn.ModuleList([torch.nn.Sequential(torch.nn.Linear(3, 3)), torch.nn.Embedding(4, 3)])
    tree.ps = torch.nn.ParameterList([torch.nn.Parameter(torch.ones(1)), torch.nn.Parameter(torch.zeros(2))])
    tree.named = torch.nn.ParameterDict({"gain": torch.nn.Parameter(torch.ones(3))})
    tree.register_buffer("steps", torch.zeros(()))
    tree.register_buffer("empty", None)
    tree.note = "not a module"
    return tree


def test_get_submodule_parameter_and_buffer_follow_dotted_names_through_every_container():
    tree = _Tree()
    assert tree.get_submodule("") is tree
    assert tree.get_submodule("seq.1.0") is tree.seq[1][0]
    assert tree.get_submodule("blocks.1") is tree.blocks[1]
    assert tree.get_submodule("heads.right.deep") is tree.heads["right"]["deep"]  # a plain dict, then a ModuleDict
    assert tree.get_submodule("towers.0.0") is tree.towers[0][0]  # a plain list, then a Sequential
    assert tree.get_parameter("towers.1.weight") is tree.towers[1].weight
    assert tree.get_parameter("ps.1") is tree.ps[1] and tree.get_parameter("named.gain") is tree.named["gain"]
    assert tree.get_buffer("seq.1.0.running_var") is tree.seq[1][0].running_var
    assert tree.get_buffer("seq.1.0.num_batches_tracked").dtype == np.int64
    assert tree.get_buffer("steps") is tree.steps and tree.get_buffer("empty") is None
    # every name the module lists finds what it lists
    assert all(tree.get_submodule(name) is module for name, module in tree.named_modules())
    assert all(tree.get_parameter(name) is param for name, param in tree.named_parameters())
    assert all(tree.get_buffer(name) is buffer for name, buffer in tree.named_buffers())


def test_get_submodule_parameter_and_buffer_find_what_torchs_find():
    torch = pytest.importorskip("torch")
    ours, theirs = _Tree(), _torch_tree(torch)
    modules = [name for name, _ in theirs.named_modules() if name not in ("heads", "towers", "ps", "named")]
    assert modules == [name for name, _ in ours.named_modules()]  # torch's containers of plain lists are not ours
    assert [type(ours.get_submodule(name)).__name__ for name in modules[1:]] == [
        type(theirs.get_submodule(name)).__name__ for name in modules[1:]]  # ("" is the root: _Tree, Module)
    names = [name for name, _ in theirs.named_parameters()]
    assert names == [name for name, _ in ours.named_parameters()]
    assert [ours.get_parameter(name).shape for name in names] == [tuple(theirs.get_parameter(name).shape)
                                                                  for name in names]
    buffers = [name for name, _ in theirs.named_buffers()]
    assert buffers == [name for name, _ in ours.named_buffers()]
    assert [ours.get_buffer(name).shape for name in buffers] == [tuple(theirs.get_buffer(name).shape)
                                                                 for name in buffers]


# (method, target, message): each an AttributeError, in torch too, naming the part that is missing or wrong
LOOKUP_ERRORS = [
    ("get_submodule", "nope", r"_Tree.get_submodule\('nope'\): _Tree has no attribute `nope`"),
    ("get_submodule", "seq.5", r"_Tree.get_submodule\('seq.5'\): Sequential has no attribute `5`"),
    ("get_submodule", "seq.0.weight", r"`weight` is not an nn.Module \(it is of type Parameter\)"),
    ("get_submodule", "seq.0.weight.x", r"`weight` is not an nn.Module \(it is of type Parameter\)"),
    ("get_submodule", "note", r"`note` is not an nn.Module \(it is of type str\)"),
    ("get_submodule", "blocks.2", r"ModuleList has no attribute `2`"),
    ("get_submodule", "heads.right.nope", r"ModuleDict has no attribute `nope`"),
    ("get_submodule", "ps.0", r"`0` is not an nn.Module \(it is of type Parameter\)"),
    ("get_parameter", "seq.0", r"_Tree.get_parameter\('seq.0'\): `0` is not an nn.Parameter \(it is of type "
                               r"Linear\)"),
    ("get_parameter", "seq.0.nope", r"Linear has no attribute `nope`"),
    ("get_parameter", "nope.weight", r"_Tree has no attribute `nope`"),
    ("get_parameter", "steps", r"`steps` is not an nn.Parameter \(it is of type Tensor\)"),
    ("get_parameter", "", r"_Tree has no attribute ``"),
    ("get_parameter", "named", r"`named` is not an nn.Parameter"),
    ("get_buffer", "seq.0.weight", r"_Tree.get_buffer\('seq.0.weight'\): `weight` is not a buffer \(it is of type "
                                   r"Parameter\)"),
    ("get_buffer", "note", r"`note` is not a buffer \(it is of type str\)"),
    ("get_buffer", "seq.1.0.nope", r"BatchNorm1d has no attribute `nope`"),
    ("get_buffer", "ps.0", r"`0` is not a buffer \(it is of type Parameter\)"),
]


@pytest.mark.parametrize("method, target, message", LOOKUP_ERRORS)
def test_a_dotted_name_that_finds_nothing_of_its_kind_raises_attribute_error_as_torch(method, target, message):
    with pytest.raises(AttributeError, match=message):
        getattr(_Tree(), method)(target)
    torch = pytest.importorskip("torch")
    with pytest.raises(AttributeError):
        getattr(_torch_tree(torch), method)(target)


@pytest.mark.parametrize("target, message", [
    ("heads", r"`heads` is not an nn.Module \(it is of type dict\)"),
    ("towers.2", r"the list `towers` of _Tree has no module or parameter `2`; its entries are \['0', '1'\]"),
    ("heads.up.weight", r"the dict `heads` of _Tree has no module or parameter `up`; its entries are "
                        r"\['left', 'right'\]"),
])
def test_a_plain_list_or_dict_is_no_module_but_its_entries_are_found(target, message):
    # (torch's ModuleList and ModuleDict are modules: get_submodule("heads") finds one there)
    with pytest.raises(AttributeError, match=message):
        _Tree().get_submodule(target)


def test_a_target_that_is_no_string_is_a_type_error():
    with pytest.raises(TypeError, match=r"Linear.get_parameter: target must be a dotted name \(a string\), got 1 "
                                        r"of type int"):
        nn.Linear(1, 1).get_parameter(1)


# ---- a child named as one of Module's iteration methods -------------------------------------------------------
def _nbeats_like(lib):
    """N-BEATS' pattern (philipperemy/n-beats): a plain list named `parameters` filled with Parameters, then
    replaced by a ParameterList of them; and a child named `modules`."""
    class Net(lib.Module):
        def __init__(self):
            super().__init__()
            self.parameters = []
            self.parameters.extend(lib.Linear(2, 3).parameters())
            self.parameters = lib.ParameterList(self.parameters)
            self.modules = lib.Linear(3, 1)
    return Net()


def test_a_child_named_parameters_or_modules_leaves_the_methods_callable_as_pytorch():
    net = _nbeats_like(nn)
    assert [p.shape for p in net.parameters()] == [(3, 2), (3,), (1, 3), (1,)]
    assert list(net.state_dict()) == ["parameters.0", "parameters.1", "modules.weight", "modules.bias"]
    assert [name for name, _ in net.named_children()] == ["parameters", "modules"]
    assert len(list(net.modules())) == 3  # the net, the ParameterList, the Linear
    torch = pytest.importorskip("torch")
    theirs = _nbeats_like(torch.nn)
    assert [tuple(p.shape) for p in theirs.parameters()] == [p.shape for p in net.parameters()]
    assert list(theirs.state_dict()) == list(net.state_dict())
    assert len(list(theirs.modules())) == len(list(net.modules()))


def test_a_plain_value_named_as_an_iteration_method_hides_it_until_deleted_as_pytorch():
    net = nn.Module()
    net.children = [1, 2]
    assert net.children == [1, 2]  # PyTorch's __dict__ entry: the plain value
    del net.children
    assert list(net.children()) == []
    with pytest.raises(AttributeError, match="children"):
        del net.children
    torch = pytest.importorskip("torch")
    theirs = torch.nn.Module()
    theirs.children = [1, 2]
    assert theirs.children == [1, 2]
    del theirs.children
    assert list(theirs.children()) == []


# ---- _non_persistent_buffers_set, _get_name ---------------------------------------------------------------------
@pytest.mark.parametrize("lib", ["nn", "torch"])
def test_non_persistent_buffers_set_is_a_live_view_of_the_buffers_persistence_as_torchs(lib):
    # found by porting PyTorch's test_nn.py: module._non_persistent_buffers_set (read and changed by libraries that
    # walk a model's tensors) was missing, an AttributeError
    lib = nn if lib == "nn" else pytest.importorskip("torch").nn
    norm = lib.BatchNorm1d(2)
    norm.register_buffer("scratch", ag.zeros(2) if lib is nn else None, persistent=False)
    assert set(norm._non_persistent_buffers_set) == {"scratch"} and "scratch" in norm._non_persistent_buffers_set
    norm._non_persistent_buffers_set.add("num_batches_tracked")
    assert list(norm.state_dict()) == ["weight", "bias", "running_mean", "running_var"]
    norm._non_persistent_buffers_set.discard("num_batches_tracked")
    norm._non_persistent_buffers_set.discard("absent")  # (nothing to do)
    assert list(norm.state_dict())[-1] == "num_batches_tracked" and len(norm._non_persistent_buffers_set) == 1
    assert len(lib.Linear(1, 1)._non_persistent_buffers_set) == 0


@pytest.mark.parametrize("lib", ["nn", "torch"])
def test_non_persistent_buffers_set_keeps_a_name_of_no_buffer_as_torchs(lib):
    # R1 review: `m._non_persistent_buffers_set = {"foo"}` (and add("foo")) with no buffer foo raised KeyError;
    # PyTorch's plain set keeps it, and a buffer put under it later is left out of the state dict by `_buffers[name]
    # = t`, kept in it by register_buffer (persistent by default) or nn.Buffer; a Parameter assigned drops the name
    torch = pytest.importorskip("torch") if lib == "torch" else None
    lib, zeros = (nn, ag.zeros) if torch is None else (torch.nn, torch.zeros)
    seen = []
    for register in ("dict", "register_buffer", "Buffer", "register_buffer_non_persistent", "Parameter", "add"):
        m = lib.Module()
        m.register_buffer("a", zeros(1))
        if register == "add":
            m._non_persistent_buffers_set.add("foo")
        else:
            m._non_persistent_buffers_set = {"foo"}
        seen.append((sorted(m._non_persistent_buffers_set), "foo" in m._non_persistent_buffers_set))
        if register in ("dict", "add"):
            m._buffers["foo"] = zeros(1)
        elif register == "register_buffer":
            m.register_buffer("foo", zeros(1))
        elif register == "Buffer":
            m.foo = lib.Buffer(zeros(1))
        elif register == "Parameter":
            m.foo = lib.Parameter(zeros(1))
        else:
            m.register_buffer("foo", zeros(1), persistent=False)
        seen.append((register, list(m.state_dict()), sorted(m._non_persistent_buffers_set)))
    assert seen[1::2] == [("dict", ["a"], ["foo"]), ("register_buffer", ["a", "foo"], []),
                          ("Buffer", ["a", "foo"], []), ("register_buffer_non_persistent", ["a"], ["foo"]),
                          ("Parameter", ["foo", "a"], []), ("add", ["a"], ["foo"])]
    assert seen[0::2] == [(["foo"], True)] * 6
    m = lib.Module()
    m.register_buffer("b", zeros(1))
    m._non_persistent_buffers_set = {"b", "later"}
    m._non_persistent_buffers_set.discard("later")
    assert sorted(m._non_persistent_buffers_set) == ["b"] and len(m._non_persistent_buffers_set) == 1


@pytest.mark.parametrize("lib", ["nn", "torch"])
def test_non_persistent_buffers_set_can_be_assigned_as_torchs(lib):
    # found in review: `m._non_persistent_buffers_set = set()` (YOLOv5's export and fuse, for every module) raised
    # AttributeError (a property without a setter); PyTorch's is a plain attribute
    zeros = ag.zeros if lib == "nn" else pytest.importorskip("torch").zeros
    lib = nn if lib == "nn" else pytest.importorskip("torch").nn
    net = lib.Sequential(lib.BatchNorm1d(2))
    net[0].register_buffer("scratch", zeros(2), persistent=False)
    net[0].register_buffer("extra", zeros(1), persistent=False)
    for module in net.modules():
        module._non_persistent_buffers_set = set()
    assert list(net.state_dict())[-3:] == ["0.num_batches_tracked", "0.scratch", "0.extra"]
    net[0]._non_persistent_buffers_set = {"running_var", "scratch"}
    assert list(net.state_dict()) == ["0.weight", "0.bias", "0.running_mean", "0.num_batches_tracked", "0.extra"]
    assert set(net[0]._non_persistent_buffers_set) == {"running_var", "scratch"}
    net[0]._non_persistent_buffers_set = net[0]._non_persistent_buffers_set  # (its own view: unchanged)
    assert set(net[0]._non_persistent_buffers_set) == {"running_var", "scratch"}


def test_non_persistent_buffers_set_assignment_refuses_what_is_no_set_of_buffer_names_and_changes_nothing():
    norm = nn.BatchNorm1d(2)  # (the errors name the assignment, not the add() the user never called)
    with pytest.raises(TypeError, match=r"^BatchNorm1d._non_persistent_buffers_set = \.\.\.: expected a set of buffer "
                                        r"names, got str"):
        norm._non_persistent_buffers_set = "running_mean"
    with pytest.raises(TypeError, match=r"^BatchNorm1d._non_persistent_buffers_set = \.\.\.: buffer names are strings, "
                                        r"got 1 of type int"):
        norm._non_persistent_buffers_set = {"running_mean", 1}
    with pytest.raises(TypeError, match=r"^BatchNorm1d._non_persistent_buffers_set.add: buffer names are strings"):
        norm._non_persistent_buffers_set.add(None)
    assert len(norm._non_persistent_buffers_set) == 0 and len(norm.state_dict()) == 5


@pytest.mark.parametrize("lib", ["nn", "torch"])
def test_get_name_is_the_class_name_and_names_the_repr_as_torchs(lib):
    # found by porting PyTorch's test_nn.py: Module._get_name, which modules' own __repr__ call, was missing
    lib = nn if lib == "nn" else pytest.importorskip("torch").nn

    class Renamed(lib.Module):
        def _get_name(self):
            return "Shown"

    assert lib.Linear(1, 1)._get_name() == "Linear"
    assert repr(lib.Sequential(Renamed())) == "Sequential(\n  (0): Shown()\n)"
