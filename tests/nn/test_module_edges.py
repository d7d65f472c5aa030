"""Module's edges (nn/module.py; test_module.py has the rest): a plain list, tuple or dict assigned over a child
module, the repr's layout of a multi-line extra_repr and of children set to None, named_parameters / named_buffers /
named_modules(remove_duplicate=False), flags that refuse text, the _modules dict, and load_state_dict of plain
containers of Parameters and of values NumPy cannot read as arrays; the references are PyTorch 2.13's."""
import numpy as np
import pytest

import autograd_core as ag
import nn
from nn.module import StateDictError


# ---- a plain list, tuple or dict of Modules or Parameters assigned over a child module -------------------------------
# It replaces the child (or fills a place kept by None), as the ModuleList / ModuleDict / ParameterList it stands for
# (README: such containers are registered as PyTorch's) does in PyTorch.
def test_a_list_of_modules_replaces_a_child_module():
    model = nn.Module()
    model.head = nn.Linear(1, 1)
    model.head = [nn.Linear(1, 2)]  # torch: model.head = nn.ModuleList([...]) is accepted
    assert list(model.state_dict()) == ["head.0.weight", "head.0.bias"]


def test_a_dict_of_modules_or_a_tuple_of_parameters_fills_a_place_kept_by_none():
    model = nn.Module()
    model.add_module("head", None)
    model.head = {"a": nn.Linear(1, 2)}
    assert list(model.state_dict()) == ["head.a.weight", "head.a.bias"]
    model.add_module("scales", None)
    model.scales = (nn.Parameter(np.zeros(1)),)
    assert "scales.0" in model.state_dict()


def test_a_plain_value_over_a_child_module_is_still_refused():
    model = nn.Module()
    model.head = nn.Linear(1, 1)
    for value in ([], 5, {"a": 1}):
        with pytest.raises(TypeError, match="child module 'head'"):
            model.head = value


# ---- repr: a multi-line extra_repr and a child set to None, laid out as PyTorch's ------------------------------------
# Each line of extra_repr on a line of its own, indented, when it has several lines or the module has children; a
# child module registered as None shows as "(name): None" (PyTorch 2.13's Module.__repr__, written out).
class _TwoLines(nn.Module):
    def extra_repr(self):
        return "x=1\ny=2"


def test_multi_line_extra_repr_of_a_leaf_gets_a_line_each():
    assert repr(_TwoLines()) == "_TwoLines(\n  x=1\n  y=2\n)"


def test_multi_line_extra_repr_with_a_child_is_indented_line_by_line():
    outer = _TwoLines()
    outer.inner = _TwoLines()
    assert repr(outer) == "_TwoLines(\n  x=1\n  y=2\n  (inner): _TwoLines(\n    x=1\n    y=2\n  )\n)"


def test_one_line_extra_repr_stays_inline():
    assert repr(nn.Linear(2, 3)) == "Linear(in_features=2, out_features=3, bias=True)"
    net = nn.Sequential(nn.Linear(2, 3))
    assert repr(net) == "Sequential(\n  (0): Linear(in_features=2, out_features=3, bias=True)\n)"


def test_a_child_set_to_none_is_shown_where_it_stands():
    net = nn.Sequential(nn.Linear(1, 1))
    net.add_module("skip", None)
    net.act = nn.ReLU()
    assert repr(net) == ("Sequential(\n  (0): Linear(in_features=1, out_features=1, bias=True)\n  (skip): None\n"
                         "  (act): ReLU()\n)")
    empty = nn.Module()
    empty.add_module("x", None)
    assert repr(empty) == "Module(\n  (x): None\n)"
    later = nn.Module()
    later.head = nn.ReLU()
    later.head = None  # a child unset to None keeps its place, as PyTorch's None entry
    assert repr(later) == "Module(\n  (head): None\n)"


def test_a_parameter_or_plain_value_set_to_none_is_not_shown():
    layer = nn.Linear(2, 2)
    layer.bias = None
    layer.note = None
    assert "(bias)" not in repr(layer) and "(note)" not in repr(layer) and "\n" not in repr(layer)


# ---- named_parameters, named_buffers and named_modules take PyTorch's remove_duplicate= ------------------------------
# remove_duplicate=False lists a shared module, parameter or buffer under each of its names (what tied-weight detection
# relies on). Reference: the names PyTorch 2.13 gives for the same model, written out.
def _tied():
    layer = nn.Linear(2, 2)
    net = nn.Sequential(layer, nn.ReLU(), layer, nn.Sequential(layer, nn.Tanh()))
    shared = nn.Parameter(np.zeros(2))
    net.extra, net.extra2 = shared, shared
    net.register_buffer("b1", np.zeros(1))
    layer.register_buffer("bb", np.zeros(1))
    return net


def test_named_parameters_remove_duplicate_false_lists_each_name():
    net = _tied()
    assert [n for n, _ in net.named_parameters()] == ["extra", "0.weight", "0.bias"]
    names = [n for n, _ in net.named_parameters(remove_duplicate=False)]
    assert names == ["extra", "extra2", "0.weight", "0.bias", "2.weight", "2.bias", "3.0.weight", "3.0.bias"]
    assert [n for n, _ in net.named_parameters(prefix="p", recurse=False, remove_duplicate=False)] == [
        "p.extra", "p.extra2"]
    pairs = dict(net.named_parameters(remove_duplicate=False))
    assert pairs["2.weight"] is pairs["0.weight"] is pairs["3.0.weight"]


def test_named_modules_remove_duplicate_false_lists_each_path():
    net = _tied()
    assert [n for n, _ in net.named_modules()] == ["", "0", "1", "3", "3.1"]
    assert [n for n, _ in net.named_modules(remove_duplicate=False)] == ["", "0", "1", "2", "3", "3.0", "3.1"]
    assert [n for n, _ in net.named_modules(prefix="m", remove_duplicate=False)][:3] == ["m", "m.0", "m.1"]


def test_named_modules_memo_passes_by_the_modules_in_it_and_fills_it_as_torchs():
    # found by porting PyTorch's test_nn.py: named_modules(memo=...) was refused (a TypeError)
    torch = pytest.importorskip("torch")
    ours = nn.Sequential(nn.Linear(2, 2), nn.Sequential(nn.ReLU(), nn.Tanh()), nn.ELU())
    theirs = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.Sequential(torch.nn.ReLU(), torch.nn.Tanh()),
                                 torch.nn.ELU())
    for net in (ours, theirs):
        memo = set()
        assert [n for n, _ in net.named_modules(memo)] == ["", "0", "1", "1.0", "1.1", "2"]
        assert len(memo) == 6 and [n for n, _ in net.named_modules(memo)] == []  # filled: a second walk lists none
        memo = {net[1]}  # a module in memo is passed by, with the modules below it
        assert [n for n, _ in net.named_modules(memo, "m")] == ["m", "m.0", "m.2"]
        memo = {net[1]}
        assert [n for n, _ in net.named_modules(memo, remove_duplicate=False)] == ["", "0", "2"]
        assert len(memo) == 1  # remove_duplicate=False adds nothing
    with pytest.raises(TypeError, match="Sequential.named_modules: memo must be a set"):
        list(ours.named_modules([]))


def test_named_buffers_remove_duplicate_false_lists_each_name():
    net = _tied()
    assert [n for n, _ in net.named_buffers()] == ["b1", "0.bb"]
    assert [n for n, _ in net.named_buffers(remove_duplicate=False)] == ["b1", "0.bb", "2.bb", "3.0.bb"]


def test_remove_duplicate_must_be_a_flag():
    net = _tied()
    for method in (net.named_parameters, net.named_buffers, net.named_modules):
        with pytest.raises(TypeError, match="remove_duplicate"):
            list(method(remove_duplicate="no"))


# ---- register_buffer(persistent=) and recurse= refuse text: a flag is True or False ----------------------------------
# (NumPy's bools too; anything else is a TypeError naming the argument, where "no" was read as True, as in PyTorch.)
def test_register_buffer_persistent_refuses_text():
    module = nn.Module()
    with pytest.raises(TypeError, match="persistent"):
        module.register_buffer("b", np.zeros(2), persistent="no")
    assert list(module.named_buffers()) == []  # nothing registered
    module.register_buffer("b", np.zeros(2), persistent=np.False_)
    assert list(module.state_dict()) == [] and [name for name, _ in module.named_buffers()] == ["b"]


@pytest.mark.parametrize("method", ["named_parameters", "named_buffers", "parameters", "buffers"])
def test_recurse_refuses_text(method):
    net = nn.Sequential(nn.Linear(2, 2), nn.BatchNorm1d(2))
    with pytest.raises(TypeError, match="recurse"):
        list(getattr(net, method)(recurse="no"))
    assert list(getattr(net, method)(recurse=np.False_)) == []
    assert len(list(getattr(net, method)(recurse=True))) > 0


# ---- load_state_dict: an absent entry of a plain list, tuple or dict of Parameters -----------------------------------
# Reported as a missing key, as PyTorch's ParameterList / ParameterDict (which README says such containers stand for)
# report it, not an AttributeError from looking the list up as a module.
def test_absent_entry_of_a_plain_list_of_parameters_is_missing():
    model = nn.Module()
    model.ps = [nn.Parameter(np.zeros(2)), nn.Parameter(np.zeros(3))]
    result = model.load_state_dict({"ps.0": np.ones(2)}, strict=False)
    assert result.missing_keys == ["ps.1"] and result.unexpected_keys == []
    np.testing.assert_array_equal(model.ps[0].data, np.ones(2))
    with pytest.raises(StateDictError, match=r"missing keys .*'ps\.1'"):
        model.load_state_dict({"ps.0": np.ones(2)})


def test_absent_entries_of_a_dict_and_a_nested_tuple_are_missing():
    model = nn.Module()
    model.pd = {"a": nn.Parameter(np.zeros(2))}
    model.sub = nn.Module()
    model.sub.ps = (nn.Parameter(np.zeros(1)),)
    assert list(model.state_dict()) == ["pd.a", "sub.ps.0"]
    assert model.load_state_dict({}, strict=False).missing_keys == ["pd.a", "sub.ps.0"]


def test_a_batch_norm_in_a_plain_list_still_keeps_num_batches_tracked_when_absent():
    model = nn.Module()
    model.heads = [nn.BatchNorm1d(2)]
    state = dict(model.state_dict())  # (no _metadata: an old checkpoint, from before BatchNorm's version 2)
    del state["heads.0.num_batches_tracked"]
    assert model.load_state_dict(state) == ([], [])
    model.norm = nn.BatchNorm1d(2)
    state = dict(model.state_dict())
    del state["norm.num_batches_tracked"]
    assert model.load_state_dict(state) == ([], [])


def test_the_same_keys_as_pytorchs_containers():
    torch = pytest.importorskip("torch")
    ours = nn.Module()
    ours.ps = [nn.Parameter(np.zeros(2)), nn.Parameter(np.zeros(3))]
    theirs = torch.nn.Module()
    theirs.ps = torch.nn.ParameterList([torch.nn.Parameter(torch.zeros(2)), torch.nn.Parameter(torch.zeros(3))])
    expected = theirs.load_state_dict({"ps.1": torch.ones(3), "ps.7": torch.ones(1)}, strict=False)
    got = ours.load_state_dict({"ps.1": np.ones(3), "ps.7": np.ones(1)}, strict=False)
    assert (got.missing_keys, got.unexpected_keys) == (expected.missing_keys, expected.unexpected_keys)


# ---- load_state_dict: a value NumPy cannot read as an array ----------------------------------------------------------
# A ragged list, a torch tensor that requires grad, a bfloat16 torch tensor: refused with a StateDictError naming the
# key and what to give, before anything is copied (not NumPy's or torch's bare error, naming no key).
def test_a_ragged_list_names_its_key_and_nothing_is_copied():
    layer = nn.Linear(1, 2)
    before = layer.bias.data.copy()
    with pytest.raises(StateDictError, match=r"'weight' cannot be read as an array \(list: "):
        layer.load_state_dict({"weight": [[1.0], [2.0, 3.0]], "bias": [5.0, 5.0]})
    np.testing.assert_array_equal(layer.bias.data, before)  # no half-loaded model


def test_torch_tensors_numpy_cannot_read_name_their_key():
    torch = pytest.importorskip("torch")
    layer = nn.Linear(1, 2)
    with pytest.raises(StateDictError, match=r"'weight' cannot be read as an array \(Tensor: .*detach"):
        layer.load_state_dict({"weight": torch.ones((2, 1), requires_grad=True), "bias": torch.zeros(2)})
    with pytest.raises(StateDictError, match=r"'weight' cannot be read as an array"):
        layer.load_state_dict({"weight": torch.ones((2, 1), dtype=torch.bfloat16), "bias": torch.zeros(2)})
    layer.load_state_dict({"weight": torch.ones((2, 1)), "bias": torch.zeros(2)})  # plain ones still load
    np.testing.assert_array_equal(layer.weight.data, np.ones((2, 1)))


# ---- _parameters, PyTorch's private dict of a module's own Parameters, which d2l.ai's init_seq2seq reads:
# `nn.init.xavier_uniform_(module._parameters[name])` -------------------------------------------------------------
def test_private_parameters_dict_holds_the_modules_own_parameters_in_order():
    layer = nn.Linear(2, 3)
    assert list(layer._parameters) == ["weight", "bias"] and layer._parameters["weight"] is layer.weight
    net = nn.Sequential(layer, nn.ReLU())
    assert dict(net._parameters) == {}  # a child's are its own, not the container's
    shared = nn.Module()
    shared.a = shared.b = nn.Parameter(np.zeros(2))
    assert list(shared._parameters) == ["a", "b"]  # one Parameter under both names, as PyTorch's dict


def test_private_parameters_dict_follows_the_module():
    layer = nn.Linear(2, 3)
    nn.init.zeros_(layer._parameters["weight"])  # in place: the layer's own weight
    assert not layer.weight.data.any()
    layer.extra = nn.Parameter(np.ones(1))
    assert list(layer._parameters) == ["weight", "bias", "extra"]


def _cosgrove_spectral_norm_params(parameter, ones, module):
    """christiancosgrove's SpectralNorm._make_params: the weight deleted from module._parameters, then registered
    again as weight_bar beside the power iteration's u and v."""
    w = module.weight
    del module._parameters["weight"]
    module.register_parameter("weight_u", parameter(ones(w.shape[0]), requires_grad=False))
    module.register_parameter("weight_bar", parameter(w.detach()))
    return module


def test_private_parameters_dict_deletes_and_registers_as_pytorchs():
    ours = _cosgrove_spectral_norm_params(nn.Parameter, ag.ones, nn.Linear(2, 3, dtype=np.float64))
    assert not hasattr(ours, "weight") and list(ours._parameters) == ["bias", "weight_u", "weight_bar"]
    assert list(ours.state_dict()) == ["bias", "weight_u", "weight_bar"]
    ours._parameters["scale"] = nn.Parameter(np.ones(3))  # register_parameter's
    assert ours.scale is ours._parameters["scale"] and len(ours._parameters) == 4
    with pytest.raises(TypeError, match="register_parameter"):  # its checks too
        ours._parameters["plain"] = ag.ones(3)
    with pytest.raises(KeyError, match="Linear has no registered entry 'weight' to delete"):
        del ours._parameters["weight"]
    torch = pytest.importorskip("torch")
    theirs = _cosgrove_spectral_norm_params(torch.nn.Parameter, torch.ones, torch.nn.Linear(2, 3))
    assert list(theirs._parameters) == ["bias", "weight_u", "weight_bar"] == list(theirs.state_dict())[:3]


def test_private_buffers_dict_holds_the_modules_own_buffers_as_a_live_view():
    # PyTorch's test_parametrization tells spectral_norm's buffers by `"_u" in module._buffers`
    norm = nn.BatchNorm1d(3)
    assert list(norm._buffers) == ["running_mean", "running_var", "num_batches_tracked"]
    assert norm._buffers["running_mean"] is norm.running_mean and "weight" not in norm._buffers
    assert dict(nn.Sequential(norm)._buffers) == {} and dict(nn.Linear(2, 3)._buffers) == {}
    norm._buffers["scale"] = ag.ones(2)  # register_buffer's
    assert norm.scale is norm._buffers["scale"] and "scale" in norm.state_dict()
    del norm._buffers["scale"]
    assert not hasattr(norm, "scale") and "scale" not in norm.state_dict()
    torch = pytest.importorskip("torch")
    assert list(norm._buffers) == list(torch.nn.BatchNorm1d(3)._buffers)


def test_a_buffer_set_through_the_private_dict_keeps_its_persistence_as_torchs():
    ours = nn.Module()
    ours.register_buffer("kept_out", ag.zeros(1), persistent=False)
    ours._buffers["kept_out"] = ag.ones(1)  # a new value, the same flag
    ours._buffers["fresh"] = ag.ones(1)  # a new name: persistent
    assert list(ours.state_dict()) == ["fresh"] and ours.kept_out.tolist() == [1.0]
    torch = pytest.importorskip("torch")
    theirs = torch.nn.Module()
    theirs.register_buffer("kept_out", torch.zeros(1), persistent=False)
    theirs._buffers["kept_out"] = torch.ones(1)
    theirs._buffers["fresh"] = torch.ones(1)
    assert list(theirs.state_dict()) == ["fresh"]


def test_private_parameters_dict_matches_torch():
    torch = pytest.importorskip("torch")
    ours, theirs = nn.GRU(3, 4, num_layers=2), torch.nn.GRU(3, 4, num_layers=2)
    assert list(ours._parameters) == list(theirs._parameters)
    theirs = torch.nn.Linear(2, 3, bias=False)._parameters  # ('bias': None there: a place kept for a parameter)
    assert list(nn.Linear(2, 3, bias=False)._parameters) == [name for name, p in theirs.items() if p is not None]



# ---- _modules, PyTorch's private dict of children, which Sequential subclasses walk -------------------------------
class _ScaledSequential(nn.Sequential):
    """torchmeta's MetaSequential's walk: each child's name picks its extra input."""

    def forward(self, x, scales):
        for name, module in self._modules.items():
            x = module(x) * scales.get(name, 1.0)
        return x


def test_modules_dict_lists_the_direct_children_by_name_for_a_sequential_subclass_to_walk():
    model = _ScaledSequential(nn.Linear(2, 3, dtype=np.float64), nn.Tanh(), nn.Linear(3, 1, dtype=np.float64))
    assert list(model._modules) == ["0", "1", "2"] and model._modules["2"] is model[2]
    x = np.array([[0.5, -1.0]])
    hidden = np.tanh((x @ model[0].weight.data.T + model[0].bias.data)) * 2.0
    np.testing.assert_allclose(model(x, {"1": 2.0, "2": 3.0}).data,
                               (hidden @ model[2].weight.data.T + model[2].bias.data) * 3.0, rtol=1e-15)
    model._modules["3"] = nn.ReLU()  # add_module's, as PyTorch's dict: a head swapped or appended
    del model._modules["1"]
    assert list(model._modules) == ["0", "2", "3"] and isinstance(model._modules["3"], nn.ReLU)
    holder = nn.Module()
    holder.first = holder.second = nn.Linear(1, 1)  # a child under two names: both listed, as in PyTorch's dict
    assert list(holder._modules) == ["first", "second"] and list(nn.Linear(2, 3)._modules) == []


def test_modules_dict_names_match_torch():
    torch = pytest.importorskip("torch")
    ours, theirs = nn.Module(), torch.nn.Module()
    for model, lib in ((ours, nn), (theirs, torch.nn)):
        model.encoder = lib.Sequential(lib.Linear(2, 2), lib.ReLU())
        model.head = lib.Linear(2, 1)
        model.alias = model.head
    assert list(ours._modules) == list(theirs._modules) == ["encoder", "head", "alias"]
    assert list(ours.encoder._modules) == list(theirs.encoder._modules) == ["0", "1"]


def test_parameter_of_an_integer_tensor_names_pytorchs_legacy_sizes_constructor():
    # PyTorch's nn.Parameter(torch.Tensor(14)) is 14 uninitialised floats; ag.Tensor(14) is the number 14
    with pytest.raises(TypeError, match=r"nn.Parameter: got the integer Tensor\(14\).*"
                                        r"write nn.Parameter\(ag.empty\(14\)\)"):
        nn.Parameter(ag.Tensor(14))
    assert nn.Parameter(ag.empty(14)).shape == (14,)
    assert nn.Parameter(ag.Tensor(14), requires_grad=False).item() == 14


# ---- PyTorch's test_nn.py module API: Parameter(), call_super_init, dir() and set_submodule ----------------------------
def test_a_parameter_without_data_is_an_empty_float32_parameter():
    p = nn.Parameter()
    assert (p.shape, p.dtype, p.requires_grad) == ((0,), np.float32, True)
    torch = pytest.importorskip("torch")
    assert tuple(torch.nn.Parameter().shape) == p.shape and torch.nn.Parameter().dtype == torch.float32


def test_call_super_init_lets_a_mixin_after_module_initialise():
    class Mixin:
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.mixin_init = True

    class After(nn.Module, Mixin):
        pass

    assert not hasattr(After(), "mixin_init")  # Module.__init__ stops the chain by default, as PyTorch's
    After.call_super_init = True
    assert After().mixin_init and After().training
    with pytest.raises(TypeError, match="unexpected keyword argument 'size'"):
        nn.Module(size=3)  # as torch.nn.Module(size=3)


def test_dir_leaves_out_a_containers_numbered_children_and_keeps_registered_names():
    model = nn.Sequential(nn.Linear(2, 2))
    model.extra = nn.Parameter(np.zeros(1))
    keys = dir(model)
    assert "0" not in keys and "extra" in keys and all(hasattr(model, key) for key in keys)
    torch = pytest.importorskip("torch")
    assert "0" not in dir(torch.nn.Sequential(torch.nn.Linear(2, 2)))


def test_set_submodule_replaces_and_adds_as_pytorchs():
    net = nn.Module()
    net.t = nn.Module()
    net.t.l = nn.Linear(1, 2)
    replacement = nn.Linear(2, 1)
    net.set_submodule("t.l", replacement)
    assert net.get_submodule("t.l") is replacement and list(net.state_dict()) == ["t.l.weight", "t.l.bias"]
    net.set_submodule("t.new", nn.ReLU())  # a new name, strict=False
    assert isinstance(net.t.new, nn.ReLU)
    with pytest.raises(AttributeError, match="no attribute `other`"):
        net.set_submodule("t.other", nn.ReLU(), strict=True)
    with pytest.raises(AttributeError, match="no attribute `a`"):
        net.set_submodule("a.l", nn.ReLU())  # the parent must exist
    net.foo = "bar"
    with pytest.raises(AttributeError, match="`foo` is not an nn.Module"):
        net.set_submodule("foo", nn.ReLU())
    with pytest.raises(ValueError, match="target name"):
        net.set_submodule("", nn.ReLU())
    with pytest.raises(ValueError, match="must be an nn.Module"):
        net.set_submodule("t.l", "bazz")


@pytest.mark.parametrize("lib", ["nn", "torch"])
def test_train_calls_the_train_override_of_a_module_below_as_torchs(lib):
    # found while porting PyTorch's test_nn.py: net.train() set every module's flag itself, so a submodule whose
    # train() keeps its batch norm in eval mode (detection code's frozen norms) had it put in training mode
    lib = nn if lib == "nn" else pytest.importorskip("torch").nn
    calls = []

    class FrozenNorm(lib.Module):
        def __init__(self):
            super().__init__()
            self.norm = lib.BatchNorm1d(2)
            self.inner = lib.Sequential(lib.Dropout())

        def train(self, mode=True):
            calls.append(mode)
            super().train(mode)
            self.norm.eval()
            return self

    frozen = FrozenNorm()
    net = lib.Sequential(lib.Linear(2, 2), lib.Sequential(frozen), frozen)  # held twice: torch calls it per path
    assert net.train() is net
    assert [m.training for m in net.modules()] == [True, True, True, True, False, True, True]
    assert net.eval() is net and not any(m.training for m in net.modules())
    assert calls[0] is True and calls[-1] is False and set(calls) == {True, False}


@pytest.mark.parametrize("lib", ["nn", "torch"])
def test_apply_calls_the_apply_override_of_a_module_below_as_torchs(lib):
    # found while porting PyTorch's test_nn.py: apply called fn on every module itself, passing by a submodule's
    # apply override (one that keeps an initialisation from reaching its pretrained layers, say)
    lib = nn if lib == "nn" else pytest.importorskip("torch").nn

    class Pretrained(lib.Module):
        def __init__(self):
            super().__init__()
            self.body = lib.Linear(1, 1)

        def apply(self, fn):
            return self  # its layers keep their weights

    seen = []
    net = lib.Sequential(lib.Linear(1, 1), Pretrained(), lib.Sequential(lib.Tanh()))
    assert net.apply(lambda m: seen.append(type(m).__name__)) is net
    assert seen == ["Linear", "Tanh", "Sequential", "Sequential"]


@pytest.mark.parametrize("lib", ["nn", "torch"])
@pytest.mark.parametrize("method", ["apply", "train", "_apply"])
def test_a_module_shared_with_an_override_is_still_reached_by_its_other_path_as_torchs(lib, method):
    # found by review: apply, train and the casts passed by every module below an override, also one held outside
    # it too (a tied layer was never initialised, set to training or cast); PyTorch's recursion reaches it by the
    # other path
    lib = nn if lib == "nn" else pytest.importorskip("torch").nn
    shared = lib.BatchNorm1d(2)

    class Over(lib.Module):  # an override that leaves the modules below it alone
        def __init__(self):
            super().__init__()
            self.inner = shared

        def apply(self, fn):
            return self

        def train(self, mode=True):
            self.training = mode
            return self

        def _apply(self, fn, recurse=True):
            return super()._apply(fn, recurse=False)

    class Parent(lib.Module):
        def __init__(self):
            super().__init__()
            self.a, self.b = Over(), shared

    parent = Parent()
    if method == "apply":
        seen = []
        parent.apply(lambda m: seen.append(type(m).__name__))
        assert seen == ["BatchNorm1d", "Parent"]  # (Over's apply calls fn on nothing)
    elif method == "train":
        parent.eval().train()
        assert shared.training and parent.a.training
    else:
        parent.double()
        assert np.dtype(str(shared.weight.dtype).replace("torch.", "")) == np.float64
