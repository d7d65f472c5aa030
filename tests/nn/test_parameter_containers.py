"""nn.ParameterList and nn.ParameterDict (nn/parameter_containers.py): registration, indexing, editing, state_dict
keys and reprs as torch's, training through them, and the errors."""
import copy
from collections import OrderedDict

import numpy as np
import pytest

import autograd_core as ag
import nn


def _model():
    net = nn.Module()
    net.scales = nn.ParameterList([nn.Parameter(np.ones((2, 3), dtype=np.float32)), np.zeros(3)])
    net.heads = nn.ParameterDict({"b": np.ones(2), "a": ag.tensor([1.0])})
    return net


def test_registration_and_state_dict_keys_are_torchs():
    net = _model()
    assert list(net.state_dict()) == ["scales.0", "scales.1", "heads.a", "heads.b"]  # a plain dict sorted, as torch
    assert [name for name, _ in net.named_parameters()] == list(net.state_dict())
    assert all(isinstance(p, nn.Parameter) and p.requires_grad for p in net.parameters())
    assert [name for name, _ in net.named_children()] == ["scales", "heads"]


def test_repr_is_torchs_with_numpy_dtype_names():
    assert repr(_model()) == (
        "Module(\n"
        "  (scales): ParameterList(\n"
        "      (0): Parameter containing: [float32 of size 2x3]\n"
        "      (1): Parameter containing: [float64 of size 3]\n"
        "  )\n"
        "  (heads): ParameterDict(\n"
        "      (a): Parameter containing: [float64 of size 1]\n"
        "      (b): Parameter containing: [float64 of size 2]\n"
        "  )\n"
        ")")
    assert repr(nn.ParameterList()) == "ParameterList()" and repr(nn.ParameterDict()) == "ParameterDict()"
    assert "(0): Object of type: str" in repr(nn.ParameterList(["text"]))


def test_repr_of_one_entry_is_one_line_as_torchs():
    # found by porting PyTorch's test_nn.py (test_ParameterList_meta's expected repr): one entry was laid out on
    # lines of its own
    torch = pytest.importorskip("torch")
    assert repr(nn.ParameterList([nn.Parameter(np.zeros(1, np.float32))])) == repr(
        torch.nn.ParameterList([torch.nn.Parameter(torch.zeros(1))])).replace("torch.", "") == (
        "ParameterList(  (0): Parameter containing: [float32 of size 1])")
    assert repr(nn.ParameterDict({"a": "text"})) == repr(torch.nn.ParameterDict({"a": "text"})) == (
        "ParameterDict(  (a): Object of type: str)")
    net = nn.Module()
    net.scales = nn.ParameterList(["text"])
    assert repr(net) == "Module(\n  (scales): ParameterList(  (0): Object of type: str)\n)"


def test_parameter_list_indexing_and_editing():
    params = nn.ParameterList()
    w = nn.Parameter(np.ones(2))
    assert params.append(w) is params and params[0] is w and params[-1] is w and len(params) == 1
    params.extend([np.zeros(1), ag.tensor([2.0, 3.0])])
    params += [np.ones((1, 1))]
    assert len(params) == 4 and [p.shape for p in params] == [(2,), (1,), (2,), (1, 1)]
    sliced = params[1:3]
    assert isinstance(sliced, nn.ParameterList) and sliced[0] is params[1] and sliced[1] is params[2]
    params[1] = np.full(4, 5.0)
    assert isinstance(params[1], nn.Parameter) and params[1].data.tolist() == [5.0] * 4
    assert list(params.state_dict()) == ["0", "1", "2", "3"]
    with pytest.raises(IndexError, match="ParameterList: index 4 is out of range for 4 entries"):
        params[4]
    with pytest.raises(TypeError, match="indices must be integers or slices, not str"):
        params["0"]
    with pytest.raises(TypeError, match="ParameterList.extend should be called with an iterable"):
        params.extend(3)
    with pytest.raises(RuntimeError, match="ParameterList should not be called"):
        params(1)


def test_parameter_dict_mapping_methods():
    d = nn.ParameterDict(OrderedDict([("z", np.ones(1)), ("y", np.ones(2))]))  # an OrderedDict keeps its order
    assert list(d) == ["z", "y"] and d.keys() == ["z", "y"]
    d["x"] = nn.Parameter(np.zeros(3))
    d.update([("w", np.ones(4)), ("z", np.zeros(1))])  # an existing key keeps its place
    assert list(d) == ["z", "y", "x", "w"] and d["z"].data.tolist() == [0.0]
    assert "x" in d and "q" not in d and len(d) == 4 and d.get("q") is None and d.get("x") is d["x"]
    assert [k for k, _ in d.items()] == list(d) and d.values()[2] is d["x"]
    assert list(reversed(d)) == ["w", "x", "y", "z"]
    popped = d.pop("y")
    assert popped.shape == (2,) and list(d) == ["z", "x", "w"] and list(d.state_dict()) == ["z", "x", "w"]
    assert d.popitem()[0] == "w" and d.setdefault("v", np.ones(1)).shape == (1,)
    assert d.setdefault("v", np.ones(7)).shape == (1,)
    twin = d.copy()
    assert list(twin) == list(d) and twin["x"] is d["x"]
    assert list(d.fromkeys(["p", "q"], np.ones(1))) == ["p", "q"]
    del d["x"]
    assert "x" not in d and not hasattr(d, "x")
    d.clear()
    assert len(d) == 0 and list(d.state_dict()) == []


@pytest.mark.parametrize("call, error, match", [
    (lambda d: d.__setitem__(1, np.ones(1)), TypeError, "ParameterDict: keys must be strings, got 1"),
    (lambda d: d.__setitem__("a.b", np.ones(1)), KeyError, "key 'a.b' is invalid"),
    (lambda d: d.__setitem__("", np.ones(1)), KeyError, "key '' is invalid"),
    (lambda d: d.__setitem__("training", np.ones(1)), KeyError, "'training' is already an attribute"),
    (lambda d: d.__setitem__("_keys", np.ones(1)), KeyError, "'_keys' is already an attribute"),
    (lambda d: d["missing"], KeyError, "ParameterDict has no key 'missing'"),
    (lambda d: d["missing"], AttributeError, "no key"),  # torch raises an AttributeError
    (lambda d: d.update(5), TypeError, "ParameterDict.update: expected a mapping"),
    (lambda d: d.update([("a", np.ones(1), 3)]), ValueError, "element 0 has length 3; 2 is required"),
    (lambda d: d.update([5]), TypeError, "element 0 is a int"),
    (lambda d: nn.ParameterDict().popitem(), KeyError, "empty"),
])
def test_parameter_dict_errors(call, error, match):
    with pytest.raises(error, match=match):
        call(nn.ParameterDict({"a": np.ones(1)}))


def test_training_through_the_containers_and_load_state_dict():
    net = _model()
    opt = nn.optim.SGD(net.parameters(), lr=0.5)
    x = ag.tensor(np.arange(3.0))
    loss = (net.scales[0].astype(np.float64) @ x).sum() + (net.scales[1] * x).sum() + net.heads["a"].sum() * \
        net.heads["b"].sum()
    loss.backward()
    np.testing.assert_array_equal(net.scales[0].grad.data, np.tile(np.arange(3.0), (2, 1)))
    np.testing.assert_array_equal(net.heads["a"].grad.data, [2.0])
    opt.step()
    np.testing.assert_array_equal(net.heads["b"].data, [0.5, 0.5])
    other = _model()
    other.load_state_dict(net.state_dict())
    np.testing.assert_array_equal(other.heads["b"].data, net.heads["b"].data)
    twin = copy.deepcopy(net)
    assert list(twin.state_dict()) == list(net.state_dict()) and twin.heads["a"] is not net.heads["a"]
    assert net.double().scales[0].dtype == np.float64


def test_against_torch_state_dict_keys_and_values():
    torch = pytest.importorskip("torch")
    theirs = torch.nn.Module()
    theirs.scales = torch.nn.ParameterList([torch.nn.Parameter(torch.ones(2, 3)), torch.nn.Parameter(torch.zeros(3))])
    theirs.heads = torch.nn.ParameterDict({"b": torch.nn.Parameter(torch.ones(2)), "a": torch.nn.Parameter(
        torch.ones(1))})
    ours = _model()
    assert list(ours.state_dict()) == list(theirs.state_dict())
    ours.load_state_dict({k: v.detach().numpy() for k, v in theirs.state_dict().items()})
    for key, value in theirs.state_dict().items():
        np.testing.assert_array_equal(ours.state_dict()[key].data, value.numpy())


# ---- ParameterDict's | and |= (PyTorch's __or__, __ror__ and __ior__); a slice assigned to a ParameterList ------
def test_parameter_dict_or_and_ior_are_torchs():
    a = nn.ParameterDict({"a": nn.Parameter(np.ones(1)), "c": nn.Parameter(np.ones(1))})
    b = nn.ParameterDict({"c": nn.Parameter(np.zeros(1)), "b": nn.Parameter(np.ones(2))})
    merged = a | b
    assert isinstance(merged, nn.ParameterDict) and list(merged) == ["a", "c", "b"]
    assert merged["a"] is a["a"] and merged["c"] is b["c"] and list(a) == ["a", "c"]  # a unchanged, entries shared
    assert list(merged.state_dict()) == ["a", "c", "b"]
    assert list({"z": np.ones(1)} | a) == ["z", "a", "c"]
    same = a
    a |= {"z": np.ones(2), "y": np.ones(1)}  # a plain dict's keys sorted, as update's
    assert a is same and list(a) == ["a", "c", "y", "z"] and a["y"].requires_grad


def test_parameter_dict_or_with_no_pairs_raises_type_error():
    with pytest.raises(TypeError, match="ParameterDict.update"):
        nn.ParameterDict({"a": nn.Parameter(np.ones(1))}) | 3


def test_parameter_list_slice_assignment_refused_clearly():
    params = nn.ParameterList([nn.Parameter(np.ones(1)), nn.Parameter(np.ones(1))])
    with pytest.raises(TypeError, match="cannot assign to a slice"):
        params[0:1] = [nn.Parameter(np.zeros(1))]
    assert params[0].numpy().tolist() == [1.0]


def test_update_with_a_parameter_is_refused_as_rows_of_the_wrong_length():
    # PyTorch's update iterates the Parameter: each row is a "pair" of length 10, a ValueError
    params = nn.ParameterDict()
    with pytest.raises(ValueError, match="length 10"):
        params.update(nn.Parameter(np.zeros((10, 10))))
    with pytest.raises(TypeError):
        params.update([1])
    assert len(params) == 0
    torch = pytest.importorskip("torch")
    with pytest.raises(ValueError):
        torch.nn.ParameterDict().update(torch.nn.Parameter(torch.zeros(10, 10)))


@pytest.mark.parametrize("lib", ["nn", "torch"])
def test_a_parameter_dict_entry_set_to_none_keeps_its_place_and_a_plain_value_over_one_is_refused(lib):
    # found by a differential fuzz while porting PyTorch's test_nn.py: d[key] = None over a Parameter removed its
    # place, so the Parameter set again came last in named_parameters() and the state dict (not in the keys' order),
    # and d[key] = "text" over a Parameter replaced it where PyTorch (and Module's setattr) refuse it
    torch = pytest.importorskip("torch") if lib == "torch" else None
    lib = torch.nn if torch else nn
    zeros = (lambda n: torch.zeros(n)) if torch else (lambda n: np.zeros(n))
    d = lib.ParameterDict({"a": lib.Parameter(zeros(1)), "b": lib.Parameter(zeros(2))})
    d["a"] = None
    assert [k for k, _ in d.named_parameters()] == ["b"] and d["a"] is None and list(d.keys()) == ["a", "b"]
    d["a"] = lib.Parameter(zeros(3))
    assert [k for k, _ in d.named_parameters()] == ["a", "b"] == list(d.state_dict())
    with pytest.raises(TypeError, match="cannot assign 'str' as parameter 'b'"):
        d["b"] = "text"
    assert isinstance(d["b"], lib.Parameter) and [k for k, _ in d.named_parameters()] == ["a", "b"]


def test_a_parameter_containers_repr_uses_get_name_as_modules_do():
    # found by review: Module's repr reads _get_name(), ParameterList's and ParameterDict's took the class name
    class Renamed(nn.ParameterList):
        def _get_name(self):
            return "Custom"

    assert repr(Renamed([nn.Parameter(np.ones(2))])).startswith("Custom(  (0): Parameter containing")
    torch = pytest.importorskip("torch")

    class TorchRenamed(torch.nn.ParameterList):
        def _get_name(self):
            return "Custom"

    assert repr(TorchRenamed([torch.nn.Parameter(torch.ones(2))])).startswith("Custom(  (0): Parameter containing")
