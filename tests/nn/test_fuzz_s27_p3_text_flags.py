"""Session 27 (P3): the Module machinery's remaining flags refuse text, as every other flag here does.

register_buffer(persistent="no") and nn.Buffer(persistent="no") kept the buffer in the state dict, named_parameters
/ named_buffers(recurse="no") recursed, register_parametrization(unsafe="no") skipped the shape and dtype checks,
remove_parametrizations(leave_parametrized="no") left the parametrized value, and clip_grad_norm_(
error_if_nonfinite="no") raised on a non-finite norm: each read the text as True (as PyTorch's do). The README's
rule: a flag is True or False (NumPy's bools too), anything else a TypeError naming the argument.
"""
import numpy as np
import pytest

import autograd_core as ag
import nn
from nn.utils import parametrize


class _Rows(nn.Module):
    def forward(self, x):
        return x[:1]  # changes the shape: refused unless unsafe=True


def test_register_buffer_persistent_refuses_text():
    module = nn.Module()
    with pytest.raises(TypeError, match="persistent"):
        module.register_buffer("b", np.zeros(2), persistent="no")
    assert list(module.named_buffers()) == []  # nothing registered
    module.register_buffer("b", np.zeros(2), persistent=np.False_)
    assert list(module.state_dict()) == [] and [name for name, _ in module.named_buffers()] == ["b"]


def test_buffer_persistent_refuses_text():
    with pytest.raises(TypeError, match="persistent"):
        nn.Buffer(np.zeros(2), persistent="no")
    module = nn.Module()
    module.b = nn.Buffer(np.zeros(2), persistent=False)
    assert list(module.state_dict()) == []


@pytest.mark.parametrize("method", ["named_parameters", "named_buffers", "parameters", "buffers"])
def test_recurse_refuses_text(method):
    net = nn.Sequential(nn.Linear(2, 2), nn.BatchNorm1d(2))
    with pytest.raises(TypeError, match="recurse"):
        list(getattr(net, method)(recurse="no"))
    assert list(getattr(net, method)(recurse=np.False_)) == []
    assert len(list(getattr(net, method)(recurse=True))) > 0


def test_register_parametrization_unsafe_refuses_text():
    layer = nn.Linear(3, 3)
    with pytest.raises(TypeError, match="unsafe"):
        parametrize.register_parametrization(layer, "weight", _Rows(), unsafe="no")
    assert not parametrize.is_parametrized(layer)
    with pytest.raises(ValueError, match="shape"):
        parametrize.register_parametrization(layer, "weight", _Rows(), unsafe=False)
    parametrize.register_parametrization(layer, "weight", _Rows(), unsafe=True)
    assert layer.weight.shape == (1, 3)


def test_remove_parametrizations_leave_parametrized_refuses_text():
    layer = parametrize.register_parametrization(nn.Linear(2, 2), "weight", nn.Tanh())
    with pytest.raises(TypeError, match="leave_parametrized"):
        parametrize.remove_parametrizations(layer, "weight", leave_parametrized="no")
    assert parametrize.is_parametrized(layer, "weight")  # nothing removed
    original = layer.parametrizations.weight.original.data.copy()
    parametrize.remove_parametrizations(layer, "weight", leave_parametrized=False)
    np.testing.assert_array_equal(layer.weight.data, original)

