"""An optimizer takes (name, Tensor) pairs, as model.named_parameters() gives, as PyTorch's does (it raised "parameters
must be Tensors, got tuple"): the names are kept in each group's "param_names" and in the state dict; all groups are
named or none, and a group mixing pairs and Tensors is refused, as in PyTorch."""
import numpy as np
import pytest

import autograd_core as ag
import nn
from nn import optim


def _model():
    return nn.Sequential(nn.Linear(3, 4, rng=np.random.default_rng(0)), nn.Tanh(), nn.Linear(4, 2, rng=np.random.default_rng(1)))


def _train(model, opt, steps=5):
    x = np.linspace(-1, 1, 12).reshape(4, 3)
    for _ in range(steps):
        opt.zero_grad()
        (model(x) ** 2).mean().backward()
        opt.step()


@pytest.mark.parametrize("name", ["SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "NAdam", "Rprop", "Adafactor"])
def test_named_parameters_train_as_the_parameters_do(name):
    named, plain = _model(), _model()
    opt_named = getattr(optim, name)(named.named_parameters(), lr=0.01)
    opt_plain = getattr(optim, name)(plain.parameters(), lr=0.01)
    assert opt_named.param_groups[0]["param_names"] == [n for n, _ in named.named_parameters()]
    _train(named, opt_named)
    _train(plain, opt_plain)
    for a, b in zip(named.parameters(), plain.parameters()):
        assert np.array_equal(a.data, b.data)
    saved = opt_named.state_dict()
    assert saved["param_groups"][0]["param_names"] == ["0.weight", "0.bias", "2.weight", "2.bias"]
    saved["param_groups"][0]["param_names"].append("changed")  # a copy, as the arrays are
    assert len(opt_named.param_groups[0]["param_names"]) == 4


def test_named_groups_and_their_state_dict_round_trip():
    model = _model()
    groups = [{"params": model[0].named_parameters()}, {"params": list(model[2].named_parameters()), "lr": 0.5}]
    opt = optim.Adam(groups, lr=0.1)
    assert [g["param_names"] for g in opt.param_groups] == [["weight", "bias"], ["weight", "bias"]]
    _train(model, opt, 2)
    again = optim.Adam([{"params": model[0].named_parameters()}, {"params": model[2].named_parameters()}], lr=0.1)
    again.load_state_dict(opt.state_dict())
    assert again.param_groups[1]["lr"] == 0.5 and again.param_groups[1]["param_names"] == ["weight", "bias"]


def test_named_and_unnamed_do_not_mix():
    model = _model()
    w = ag.tensor(np.ones(2), requires_grad=True)
    with pytest.raises(ValueError, match=r"^Adam: a parameter group's params must all be Tensors or all \(name, "
                                         r"Tensor\) pairs"):
        optim.Adam([("w", w), model[0].weight])
    with pytest.raises(ValueError, match=r"all \(name, Tensor\) pairs"):
        optim.Adam([(1, w)])
    opt = optim.Adam(model.named_parameters())
    with pytest.raises(ValueError, match=r"^Adam: all parameter groups must be given with names or all without .* "
                                         r"can't add a group without names to an optimizer whose groups have them"):
        opt.add_param_group({"params": [w]})
    opt = optim.Adam(model.parameters())
    with pytest.raises(ValueError, match=r"can't add a group with names to an optimizer whose groups have none"):
        opt.add_param_group({"params": [("w", w)]})
    assert len(opt.param_groups) == 1


def test_muon_checks_the_tensor_of_a_named_pair():
    model = _model()
    opt = optim.Muon([("w", model[0].weight)], lr=0.01)
    assert opt.param_groups[0]["param_names"] == ["w"]
    with pytest.raises(ValueError, match=r"^Muon only supports 2D parameters .* size: \(4,\)"):
        optim.Muon([("b", model[0].bias)])


def test_matches_torch_param_groups():
    torch = pytest.importorskip("torch")
    tmodel = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Tanh(), torch.nn.Linear(4, 2))
    topt = torch.optim.SGD(tmodel.named_parameters(), lr=0.1)
    opt = optim.SGD(_model().named_parameters(), lr=0.1)
    assert opt.param_groups[0]["param_names"] == topt.param_groups[0]["param_names"]
    assert opt.state_dict()["param_groups"][0]["param_names"] == topt.state_dict()["param_groups"][0]["param_names"]
