"""Fuzzing (s23, F2) of the transposed convolutions against torch's with empty inputs: an input with an empty spatial
axis (whose output size formula still gives a positive size) is refused naming the operation and the input's shape,
as PyTorch refuses it, where an internal fold_windows error escaped; an empty batch still gives an empty output."""
import numpy as np
import pytest

import autograd_core as ag
import nn
import nn.functional as F


@pytest.mark.parametrize("dims,shape", [(1, (1, 2, 0)), (1, (2, 0)), (2, (1, 2, 0, 3)), (2, (2, 3, 0)),
                                        (3, (1, 2, 2, 0, 2)), (3, (2, 0, 1, 1))])
def test_empty_spatial_axis_refused_naming_the_operation(dims, shape):
    fn = getattr(F, f"conv_transpose{dims}d")
    weight = ag.tensor(np.ones((2, 1) + (2,) * dims))
    with pytest.raises(ValueError, match=rf"conv_transpose{dims}d: the input \(shape .*\) has an empty spatial axis"):
        fn(ag.tensor(np.ones(shape)), weight)
    layer = getattr(nn, f"ConvTranspose{dims}d")(2, 1, 2)
    with pytest.raises(ValueError, match="empty spatial axis"):
        layer(np.ones(shape, dtype=np.float32))


def test_empty_batch_still_gives_an_empty_output():
    x = ag.tensor(np.ones((0, 2, 3)), requires_grad=True)
    w = ag.tensor(np.ones((2, 1, 2)), requires_grad=True)
    y = F.conv_transpose1d(x, w, stride=2)
    assert y.shape == (0, 1, 6)
    y.sum().backward()
    assert x.grad.shape == (0, 2, 3) and w.grad.numpy().tolist() == [[[0.0, 0.0]], [[0.0, 0.0]]]
