"""Convolutions and poolings of an input with an empty spatial axis (found by fuzzing against PyTorch, session 25):
padded, such an input gave a result made of no input (the bias, -inf, 0) where PyTorch raises; an empty batch or
channel axis still gives the empty result."""
import numpy as np
import pytest

import nn
import nn.functional as F

EMPTY_SPATIAL = [
    (lambda: F.conv1d(np.zeros((2, 3, 0)), np.zeros((4, 3, 2)), padding=1), "conv1d"),
    (lambda: F.conv1d(np.zeros((3, 0)), np.zeros((4, 3, 1)), padding=1), "conv1d"),
    (lambda: F.conv2d(np.zeros((1, 3, 0, 4)), np.zeros((4, 3, 1, 1)), padding=1), "conv2d"),
    (lambda: F.conv3d(np.zeros((1, 2, 2, 0, 2)), np.zeros((1, 2, 1, 1, 1)), padding=(0, 1, 0)), "conv3d"),
    (lambda: nn.Conv1d(3, 4, 3, padding="same")(np.zeros((2, 3, 0))), "conv1d"),
    (lambda: nn.Conv2d(3, 4, 1, padding=1)(np.zeros((1, 3, 0, 4))), "conv2d"),
    (lambda: F.max_pool1d(np.zeros((1, 3, 0)), 2, padding=1), "max_pool1d"),
    (lambda: F.max_pool2d(np.zeros((1, 3, 0, 2)), 2, padding=1), "max_pool2d"),
    (lambda: F.max_pool3d(np.zeros((1, 3, 2, 0, 2)), 2, padding=1), "max_pool3d"),
    (lambda: F.avg_pool1d(np.zeros((3, 0)), 2, padding=1), "avg_pool1d"),
    (lambda: F.avg_pool2d(np.zeros((1, 3, 0, 2)), 2, padding=1), "avg_pool2d"),
    (lambda: nn.MaxPool1d(2, padding=1)(np.zeros((1, 3, 0))), "max_pool1d"),
]


@pytest.mark.parametrize("call, where", EMPTY_SPATIAL, ids=[f"{w}-{i}" for i, (_, w) in enumerate(EMPTY_SPATIAL)])
def test_an_empty_spatial_axis_is_refused_naming_the_function(call, where):
    with pytest.raises(ValueError, match=rf"{where}: the input \(shape .*\) has an empty spatial axis; each spatial "
                                         rf"size must be at least 1 \(only the batch or channel axis may be empty\)"):
        call()


def test_an_empty_batch_or_channel_axis_still_gives_the_empty_result_as_pytorchs():
    assert F.conv2d(np.zeros((0, 3, 0, 4)), np.zeros((4, 3, 1, 1)), padding=1).shape == (0, 4, 2, 6)
    assert F.max_pool2d(np.zeros((0, 3, 0, 2)), 2, padding=1).shape == (0, 3, 1, 2)
    assert F.avg_pool1d(np.zeros((0, 0)), 2, padding=1).shape == (0, 1)
