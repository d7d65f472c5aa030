"""Session 27 (P3): load_state_dict of a model holding a plain list, tuple or dict of Parameters, with one of
their entries absent from the state dict, reports it as a missing key (as PyTorch's ParameterList/ParameterDict,
which README says such containers stand for), where it raised an AttributeError from get_submodule (a list is no
module) while checking whether the absent entry was a buffer kept when absent.
"""
import numpy as np
import pytest

import nn
from nn.module import StateDictError


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
    state = model.state_dict()
    del state["heads.0.num_batches_tracked"]
    assert model.load_state_dict(state) == ([], [])
    model.norm = nn.BatchNorm1d(2)
    state = model.state_dict()
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
