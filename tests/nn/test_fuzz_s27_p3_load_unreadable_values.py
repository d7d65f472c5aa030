"""Session 27 (P3): load_state_dict refuses a value NumPy cannot read as an array (a ragged list, a torch tensor that
requires grad, a bfloat16 torch tensor) with its StateDictError naming the key and what to give, before anything is
copied; NumPy's "setting an array element with a sequence" or torch's "Can't call numpy() on Tensor that requires
grad" escaped bare, naming no key.
"""
import numpy as np
import pytest

import nn
from nn.module import StateDictError


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
