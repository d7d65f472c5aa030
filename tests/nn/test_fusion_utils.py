"""nn.utils fusion (conv/linear + batch norm), get_total_norm, clip_grads_with_norm_, skip_init."""
import math

import numpy as np
import pytest

import autograd_core as ag
import nn


def _torch():
    torch = pytest.importorskip("torch")
    return torch


def _trained_bn(bn, channels_shape, rng):
    """bn with non-trivial running statistics and affine parameters, in eval mode."""
    bn.train()
    for _ in range(3):
        bn(rng.standard_normal(channels_shape).astype(bn.running_mean.dtype) * 2 + 1)
    if bn.weight is not None:
        bn.weight.data = rng.uniform(0.5, 2.0, bn.weight.shape).astype(bn.weight.dtype)
        bn.bias.data = rng.standard_normal(bn.bias.shape).astype(bn.bias.dtype)
    return bn.eval()


@pytest.mark.parametrize("make_conv, make_bn, x_shape, transpose", [
    (lambda: nn.Conv1d(2, 3, 3, rng=0), lambda: nn.BatchNorm1d(3), (2, 2, 7), False),
    (lambda: nn.Conv2d(2, 4, 3, bias=False, rng=0), lambda: nn.BatchNorm2d(4), (2, 2, 5, 5), False),
    (lambda: nn.Conv2d(2, 4, 3, rng=0), lambda: nn.BatchNorm2d(4, affine=False), (1, 2, 5, 5), False),
    (lambda: nn.ConvTranspose2d(2, 3, 3, rng=0), lambda: nn.BatchNorm2d(3), (1, 2, 4, 4), True),
])
def test_fuse_conv_bn_eval_equals_conv_then_bn(make_conv, make_bn, x_shape, transpose):
    rng = np.random.default_rng(0)
    conv = make_conv().eval()
    bn = _trained_bn(make_bn(), (8, *conv(np.zeros(x_shape, np.float32)).shape[1:]), rng)
    fused = nn.utils.fuse_conv_bn_eval(conv, bn, transpose=transpose)
    assert fused is not conv and type(fused) is type(conv)
    x = rng.standard_normal(x_shape).astype(np.float32)
    np.testing.assert_allclose(fused(x).data, bn(conv(x)).data, rtol=1e-5, atol=1e-5)
    assert fused.bias.requires_grad == (conv.bias is not None)  # as PyTorch: a bias made from none is frozen
    assert fused.weight.dtype == np.float32 and fused.bias.dtype == np.float32


@pytest.mark.parametrize("num_features", [3, 1])
def test_fuse_linear_bn_eval_equals_linear_then_bn(num_features):
    rng = np.random.default_rng(1)
    linear = nn.Linear(4, 3, rng=0).eval()
    bn = _trained_bn(nn.BatchNorm1d(num_features), (8, num_features), rng)
    fused = nn.utils.fuse_linear_bn_eval(linear, bn)
    x = rng.standard_normal((5, 4)).astype(np.float32)
    expected = bn(linear(x)) if num_features == 3 else bn(linear(x).reshape(5, 1, 3)).reshape(5, 3)
    np.testing.assert_allclose(fused(x).data, expected.data, rtol=1e-5, atol=1e-5)
    assert fused.weight.shape == (3, 4) and fused.bias.shape == (3,)


def test_fuse_weights_numpy_reference():
    rng = np.random.default_rng(2)
    w, b = rng.standard_normal((3, 2, 2)), rng.standard_normal(3)
    mean, var, gamma, beta = rng.standard_normal(3), rng.uniform(0.5, 2, 3), rng.standard_normal(3), \
        rng.standard_normal(3)
    fw, fb = nn.utils.fuse_conv_bn_weights(nn.Parameter(w), nn.Parameter(b), mean, var, 1e-3, gamma, beta)
    scale = gamma / np.sqrt(var + 1e-3)
    np.testing.assert_allclose(fw.data, w * scale[:, None, None])
    np.testing.assert_allclose(fb.data, (b - mean) * scale + beta)
    assert isinstance(fw, nn.Parameter) and fw.requires_grad and fb.requires_grad
    fw, fb = nn.utils.fuse_linear_bn_weights(nn.Parameter(w[:, :, 0]), None, mean, var, 1e-3, gamma, beta)
    np.testing.assert_allclose(fw.data, w[:, :, 0] * scale[:, None])
    np.testing.assert_allclose(fb.data, -mean * scale + beta)
    assert not fb.requires_grad


def test_fusion_errors():
    with pytest.raises(ValueError, match="fusion only for eval.*training=True"):
        nn.utils.fuse_conv_bn_eval(nn.Conv1d(1, 2, 1), nn.BatchNorm1d(2).eval())
    with pytest.raises(ValueError, match="no running statistics"):
        nn.utils.fuse_linear_bn_eval(nn.Linear(2, 2).eval(), nn.BatchNorm1d(2, track_running_stats=False).eval())
    with pytest.raises(ValueError, match=r"linear.out_features \(2\) must equal bn.num_features \(3\)"):
        nn.utils.fuse_linear_bn_eval(nn.Linear(2, 2).eval(), nn.BatchNorm1d(3).eval())


def test_fusion_matches_torch():
    torch = _torch()
    rng = np.random.default_rng(3)
    conv, bn = nn.Conv2d(2, 3, 3, rng=0).eval(), _trained_bn(nn.BatchNorm2d(3), (8, 3, 4, 4), rng)
    tconv, tbn = torch.nn.Conv2d(2, 3, 3).eval(), torch.nn.BatchNorm2d(3).eval()
    tconv.load_state_dict({k: torch.tensor(v) for k, v in conv.state_dict().items()})
    tbn.load_state_dict({k: torch.tensor(v) for k, v in bn.state_dict().items()})
    ours, theirs = nn.utils.fuse_conv_bn_eval(conv, bn), torch.nn.utils.fuse_conv_bn_eval(tconv, tbn)
    np.testing.assert_allclose(ours.weight.data, theirs.weight.detach().numpy(), rtol=1e-6)
    np.testing.assert_allclose(ours.bias.data, theirs.bias.detach().numpy(), rtol=1e-6, atol=1e-7)
    linear, bn1 = nn.Linear(4, 3, rng=0).eval(), _trained_bn(nn.BatchNorm1d(3), (8, 3), rng)
    tlinear, tbn1 = torch.nn.Linear(4, 3).eval(), torch.nn.BatchNorm1d(3).eval()
    tlinear.load_state_dict({k: torch.tensor(v) for k, v in linear.state_dict().items()})
    tbn1.load_state_dict({k: torch.tensor(v) for k, v in bn1.state_dict().items()})
    ours, theirs = nn.utils.fuse_linear_bn_eval(linear, bn1), torch.nn.utils.fuse_linear_bn_eval(tlinear, tbn1)
    np.testing.assert_allclose(ours.weight.data, theirs.weight.detach().numpy(), rtol=1e-6)
    np.testing.assert_allclose(ours.bias.data, theirs.bias.detach().numpy(), rtol=1e-6, atol=1e-7)


# ---- get_total_norm, clip_grads_with_norm_ ----------------------------------------------------
@pytest.mark.parametrize("norm_type", [2.0, 1.0, 3.5, math.inf])
def test_get_total_norm_and_clip_grads_with_norm(norm_type):
    rng = np.random.default_rng(4)
    params = [ag.tensor(rng.standard_normal(s), requires_grad=True) for s in ((3,), (2, 2))]
    for p in params:
        p.grad = ag.tensor(rng.standard_normal(p.shape) * 3)
    flat = np.concatenate([p.grad.data.ravel() for p in params])
    expected = np.abs(flat).max() if norm_type == math.inf else (np.abs(flat) ** norm_type).sum() ** (1 / norm_type)
    total = nn.utils.get_total_norm([p.grad for p in params], norm_type)
    np.testing.assert_allclose(total.data, expected)
    before = [p.grad.data.copy() for p in params]
    assert nn.utils.clip_grads_with_norm_(params, 1.0, total) is None
    for p, g in zip(params, before):
        np.testing.assert_allclose(p.grad.data, g * min(1.0, 1.0 / (expected + 1e-6)))
    # clip_grad_norm_ is the two together
    for p, g in zip(params, before):
        p.grad = ag.tensor(g)
    np.testing.assert_allclose(nn.utils.clip_grad_norm_(params, 1.0, norm_type).data, expected)
    np.testing.assert_allclose(params[0].grad.data, before[0] * min(1.0, 1.0 / (expected + 1e-6)))


def test_total_norm_edges_and_errors():
    assert float(nn.utils.get_total_norm([])) == 0.0
    assert float(nn.utils.get_total_norm(ag.tensor([3.0, 4.0]))) == 5.0
    with pytest.raises(RuntimeError, match=r"get_total_norm: The total norm of order 2.0 for gradients .* is inf\)"):
        nn.utils.get_total_norm([ag.tensor([np.inf])], error_if_nonfinite=True)
    with pytest.raises(RuntimeError, match=r"infinity norm of an empty tensor \(shape \(0, 2\)\)"):
        nn.utils.get_total_norm([ag.tensor([1.0]), ag.zeros((0, 2))], math.inf)
    with pytest.raises(TypeError, match="get_total_norm: tensors must be Tensors"):
        nn.utils.get_total_norm([np.ones(2)])
    w = ag.tensor([1.0], requires_grad=True)
    w.grad = ag.tensor([4.0])
    nn.utils.clip_grads_with_norm_(w, 2.0, 4.0)  # a float norm, a single Tensor
    np.testing.assert_allclose(w.grad.data, 4.0 * 2.0 / (4.0 + 1e-6))
    with pytest.raises(TypeError, match="total_norm must be a number or a one-element Tensor"):
        nn.utils.clip_grads_with_norm_(w, 2.0, np.ones(3))
    with pytest.raises(ValueError, match="max_norm"):
        nn.utils.clip_grads_with_norm_(w, -1.0, 1.0)


def test_total_norm_matches_torch():
    torch = _torch()
    rng = np.random.default_rng(5)
    grads = [rng.standard_normal(s).astype(np.float32) for s in ((3,), (4, 2), (1,))]
    for norm_type in (2.0, 1.0, 0.5, math.inf):
        ours = nn.utils.get_total_norm([ag.tensor(g) for g in grads], norm_type)
        theirs = torch.nn.utils.get_total_norm([torch.tensor(g) for g in grads], norm_type)
        np.testing.assert_allclose(ours.data, theirs.numpy(), rtol=1e-6)
        assert ours.dtype == np.float32


def test_skip_init():
    layer = nn.utils.skip_init(nn.Linear, 3, 2, dtype=np.float64)
    assert type(layer) is nn.Linear and layer.weight.shape == (2, 3) and layer.weight.dtype == np.float64
    assert nn.utils.skip_init(nn.Linear, 3, 2, device="cpu").bias.shape == (2,)
    with pytest.raises(RuntimeError, match="expected an nn.Module class"):
        nn.utils.skip_init(nn.Linear(2, 2))
    with pytest.raises(RuntimeError, match="skip_init: device 'cuda' is not available"):
        nn.utils.skip_init(nn.Linear, 2, 2, device="cuda")


# ---- a batch norm whose feature count is not the layer's output channel count ----------------------------------------
# Refused with a ValueError naming both (not NumPy's "operands could not be broadcast together"; PyTorch: RuntimeError).
# A convolution without bias fused with a one-feature batch norm gets one bias entry per output channel, so the fused
# layer runs (PyTorch's gets one entry, and its forward then raises).
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
