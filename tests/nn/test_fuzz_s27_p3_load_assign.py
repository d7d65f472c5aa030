"""Session 27 (P3): load_state_dict takes PyTorch's assign= (it raised TypeError "unexpected keyword argument"):
assign=True gives each Parameter and buffer the state dict entry's dtype, and no .grad, as PyTorch's (whose new
Parameter has none); here the same objects take a copy of the values, so an optimizer built before keeps them.
Shapes are checked as without it; an integer entry for a Parameter that requires grad is refused (PyTorch raises too).
"""
import numpy as np
import pytest

import nn
from nn.module import StateDictError


def _float64_state(model):
    return {k: v.astype(np.float64) if v.dtype == np.float32 else v for k, v in model.state_dict().items()}


def test_assign_takes_the_entries_dtypes_and_keeps_the_objects():
    model = nn.Sequential(nn.Linear(2, 2), nn.BatchNorm1d(2))
    weight = model[0].weight
    result = model.load_state_dict(_float64_state(model), assign=True)
    assert result == ([], [])
    assert [p.dtype for p in model.parameters()] == [np.float64] * 4
    assert [b.dtype.name for b in model.buffers()] == ["float64", "float64", "int64"]
    assert model[0].weight is weight and weight.requires_grad
    assert model(np.ones((3, 2))).dtype == np.float64


def test_assign_false_casts_as_before():
    model = nn.Linear(2, 2)
    model.load_state_dict(_float64_state(model), assign=False)
    assert model.weight.dtype == np.float32


def test_assign_drops_the_old_gradient_as_pytorchs_new_parameter():
    model = nn.Linear(2, 2)
    model(np.ones(2, np.float32)).sum().backward()
    model.load_state_dict(_float64_state(model), assign=True)
    assert model.weight.grad is None
    model(np.ones(2)).sum().backward()
    np.testing.assert_array_equal(model.weight.grad.data, np.ones((2, 2)))  # this pass's gradient alone
    assert model.weight.grad.dtype == np.float64


def test_assign_checks_shapes_and_refuses_integers_for_a_parameter_that_requires_grad():
    model = nn.Linear(2, 2)
    with pytest.raises(StateDictError, match="size mismatch for 'weight'"):
        model.load_state_dict({"weight": np.ones((3, 2))}, strict=False, assign=True)
    with pytest.raises(StateDictError, match="only a float parameter can require grad"):
        model.load_state_dict({"weight": np.ones((2, 2), np.int64), "bias": np.ones(2)}, assign=True)
    assert model.weight.dtype == np.float32  # nothing changed
    frozen = nn.Linear(2, 2).requires_grad_(False)
    frozen.load_state_dict({k: v.astype(np.float16) for k, v in frozen.state_dict().items()}, assign=True)
    assert frozen.weight.dtype == np.float16
    with pytest.raises(TypeError, match="assign"):
        model.load_state_dict(model.state_dict(), assign="yes")


def test_the_same_dtypes_as_pytorch():
    torch = pytest.importorskip("torch")
    theirs = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.BatchNorm1d(2))
    theirs.load_state_dict({k: v.double() if v.dtype == torch.float32 else v for k, v in theirs.state_dict().items()},
                           assign=True)
    ours = nn.Sequential(nn.Linear(2, 2), nn.BatchNorm1d(2))
    ours.load_state_dict(_float64_state(ours), assign=True)
    assert [str(v.dtype) for v in ours.state_dict().values()] == [
        str(v.dtype).replace("torch.", "") for v in theirs.state_dict().values()]
