"""Session 27 (P3): fusing a batch norm whose feature count is not the layer's output channel count raises a
ValueError naming both (NumPy's "operands could not be broadcast together with shapes (2,1,1,1) (3,1,1,1)" before;
PyTorch: RuntimeError), and a convolution without bias fused with a one-feature batch norm gets one bias entry per
output channel, so the fused layer runs (PyTorch's gets one entry, and its forward then raises).
"""
import numpy as np
import pytest

import nn


def test_fuse_conv_bn_eval_refuses_another_channel_count():
    conv, bn = nn.Conv2d(1, 2, 1).eval(), nn.BatchNorm2d(3).eval()
    with pytest.raises(ValueError, match=r"fuse_conv_bn_eval: .*2 output channels.*3 features"):
        nn.utils.fuse_conv_bn_eval(conv, bn)
    transposed = nn.ConvTranspose2d(3, 2, 1).eval()  # weight (3, 2, 1, 1): output channels on axis 1
    with pytest.raises(ValueError, match="2 output channels"):
        nn.utils.fuse_conv_bn_eval(transposed, bn, transpose=True)


def test_fuse_weights_refuse_mismatched_terms():
    with pytest.raises(ValueError, match=r"fuse_conv_bn_weights: the batch norm's running_mean has shape \(3,\)"):
        nn.utils.fuse_conv_bn_weights(np.ones((2, 1, 3)), None, np.zeros(3), np.ones(3), 1e-5, None, None)
    with pytest.raises(ValueError, match=r"fuse_linear_bn_weights: the batch norm's weight has shape \(4,\)"):
        nn.utils.fuse_linear_bn_weights(np.ones((2, 3)), None, np.zeros(2), np.ones(2), 1e-5, np.ones(4), None)
    with pytest.raises(ValueError, match=r"fuse_linear_bn_weights: the layer's bias has shape \(3,\)"):
        nn.utils.fuse_linear_bn_weights(np.ones((2, 3)), np.zeros(3), np.zeros(2), np.ones(2), 1e-5, None, None)


def test_a_one_feature_batch_norm_fuses_into_every_channel():
    rng = np.random.default_rng(0)
    conv, bn = nn.Conv2d(1, 2, 1, bias=False, rng=0).double().eval(), nn.BatchNorm2d(1).double().eval()
    bn.running_mean.data[...] = 0.5
    bn.running_var.data[...] = 2.0
    fused = nn.utils.fuse_conv_bn_eval(conv, bn)
    assert fused.bias.shape == (2,)
    x = rng.standard_normal((1, 1, 3, 3))
    y = conv(x).data
    expected = (y - 0.5) / np.sqrt(2.0 + bn.eps)  # the same statistics for every channel
    np.testing.assert_allclose(fused(x).data, expected, rtol=1e-12, atol=1e-12)


def test_matching_layers_still_fuse_as_before():
    conv, bn = nn.Conv2d(2, 3, 3, rng=0).eval(), nn.BatchNorm2d(3).eval()
    x = np.random.default_rng(1).standard_normal((1, 2, 5, 5)).astype(np.float32)
    np.testing.assert_allclose(nn.utils.fuse_conv_bn_eval(conv, bn)(x).data, bn(conv(x)).data, atol=1e-5)
    linear, bn1 = nn.Linear(2, 3, rng=0).eval(), nn.BatchNorm1d(1).eval()
    assert nn.utils.fuse_linear_bn_eval(linear, bn1)(np.ones((4, 2), np.float32)).shape == (4, 3)
