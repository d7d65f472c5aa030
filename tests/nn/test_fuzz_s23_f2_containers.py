"""Fuzzing (s23, F2) of nn.ParameterList/ParameterDict against torch.nn's: ParameterDict's | and |= (PyTorch's
__or__, __ror__ and __ior__), and a slice assigned to a ParameterList refused with a message that says so."""
import numpy as np
import pytest

import nn


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
