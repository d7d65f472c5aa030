"""Session 27 (P3): a plain list, tuple or dict of Modules or Parameters assigned over a child module (or over a
child's place kept by None) should replace it, as the ModuleList / ModuleDict / ParameterList it stands for
(README: such containers are registered as PyTorch's) does in PyTorch; Module.__setattr__ refused it with "cannot
assign 'list' as child module".
"""
import numpy as np
import pytest

import nn

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
