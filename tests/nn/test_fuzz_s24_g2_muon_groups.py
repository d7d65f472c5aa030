"""Muon refuses a parameter that is not 2-D when its group's params come as a generator (model.parameters()), as
it does for a list: the check read the generator's parameters before the group was built, so a 1-D parameter got
through and step() failed with a bare IndexError."""
import numpy as np
import pytest

import autograd_core as ag
from nn import optim


def _params():
    return ag.tensor(np.ones((2, 2)), requires_grad=True), ag.tensor(np.ones(3), requires_grad=True)


def test_muon_refuses_a_1d_parameter_in_a_group_given_as_a_generator():
    w, b = _params()
    with pytest.raises(ValueError, match=r"Muon only supports 2D parameters.*\(3,\)"):
        optim.Muon([{"params": (p for p in [w, b])}])


def test_muon_add_param_group_refuses_a_1d_parameter_given_as_a_generator():
    w, b = _params()
    opt = optim.Muon([w])
    with pytest.raises(ValueError, match=r"Muon only supports 2D parameters.*\(3,\)"):
        opt.add_param_group({"params": (p for p in [b])})
    assert len(opt.param_groups) == 1


def test_muon_group_given_as_a_generator_of_2d_parameters_still_works():
    w, _ = _params()
    v = ag.tensor(np.eye(2), requires_grad=True)
    opt = optim.Muon([{"params": (p for p in [w]), "lr": 0.1}])
    opt.add_param_group({"params": iter([v])})
    assert [len(g["params"]) for g in opt.param_groups] == [1, 1]
    assert opt.param_groups[0]["params"][0] is w and opt.param_groups[1]["params"][0] is v
    w.grad, v.grad = ag.tensor(np.ones((2, 2))), ag.tensor(np.ones((2, 2)))
    before = (w.data.copy(), v.data.copy())
    opt.step()
    assert not np.array_equal(w.data, before[0]) and not np.array_equal(v.data, before[1])
