"""Fuzzer G4 (session 24): the Fold and Unfold layers' integer-array settings, as PyTorch's layers."""
import numpy as np
import pytest

import autograd_core as ag
import nn
import nn.functional as F


@pytest.mark.parametrize("size", [np.array([4, 4]), np.array([4, 4], np.int32), ag.tensor([4, 4])])
def test_fold_layer_takes_an_integer_array_output_size_as_f_fold(size):
    cols = np.random.default_rng(0).standard_normal((1, 4, 9))
    layer = nn.Fold(size, 2)
    assert layer.output_size == (4, 4)
    np.testing.assert_array_equal(layer(cols).data, F.fold(ag.tensor(cols), (4, 4), 2).data)


def test_fold_and_unfold_layers_take_integer_array_settings_as_pytorch_layers():
    x = np.random.default_rng(1).standard_normal((1, 2, 5, 5))
    layer = nn.Unfold(np.array([2, 2]), dilation=np.array([1, 2]), padding=np.array([1, 0]), stride=np.array([2, 1]))
    expected = F.unfold(ag.tensor(x), (2, 2), dilation=(1, 2), padding=(1, 0), stride=(2, 1))
    np.testing.assert_array_equal(layer(x).data, expected.data)
    assert "kernel_size=(2, 2)" in repr(layer)
    with pytest.raises(TypeError, match="Fold: output_size"):
        nn.Fold(np.array([4.0, 4.0]), 2)  # floats stay refused, as PyTorch's
