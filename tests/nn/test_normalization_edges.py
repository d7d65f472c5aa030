"""Edge cases of the normalisations (nn/_normalization_functions.py, nn/normalization.py), each as PyTorch's: an empty
spatial axis (group_norm and instance_norm normalise it to an empty result, running statistics unchanged, weight and
bias gradients zeros), float16 (computed in float32 and rounded once, with finite gradients at small variances),
and eps=0 (a constant instance normalises to 0 in instance_norm; NaN in layer_norm and group_norm)."""
import warnings

import numpy as np
import pytest

import autograd_core as ag
import nn
import nn.functional as F
from autograd_core.testing import gradgradcheck
from conftest import torch_older_than
from numeric_helpers import torch_value_and_grads, value_and_grads


def _torch():
    return pytest.importorskip("torch")


# ---- an empty spatial axis ---------------------------------------------------------------------------------------
# (F.group_norm warned about NumPy's 0 / 0 and F.instance_norm refused them)
@pytest.mark.parametrize("shape", [(2, 4, 0), (2, 4, 3, 0), (0, 4, 3), (1, 4, 0, 0)])
def test_group_norm_of_empty_groups_is_empty_without_warnings(shape):
    x = ag.tensor(np.zeros(shape, dtype=np.float32), requires_grad=True)
    weight, bias = (ag.tensor(np.full(4, v, dtype=np.float32), requires_grad=True) for v in (2.0, 1.0))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = F.group_norm(x, 2, weight, bias)
        out.sum().backward()
    assert out.shape == shape and out.dtype == np.float32 and out is not x
    assert x.grad.shape == shape
    np.testing.assert_array_equal(weight.grad.data, np.zeros(4))
    np.testing.assert_array_equal(bias.grad.data, np.zeros(4))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert nn.GroupNorm(2, 4)(np.zeros(shape)).shape == shape
        assert F.group_norm(np.zeros(shape), 4).shape == shape  # no weights: a new Tensor all the same


@pytest.mark.parametrize("shape", [(2, 4, 0), (2, 4, 0, 3), (3, 4, 0, 2, 2)])
def test_instance_norm_of_an_empty_spatial_axis_is_empty_and_keeps_the_running_statistics(shape):
    mean, var = np.full(4, 0.5), np.full(4, 2.0)
    x = ag.tensor(np.zeros(shape), requires_grad=True)
    weight = ag.tensor(np.ones(4), requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = F.instance_norm(x, mean, var, weight, momentum=0.5)
        out.sum().backward()
    assert out.shape == shape and out is not x
    np.testing.assert_array_equal(mean, np.full(4, 0.5))
    np.testing.assert_array_equal(var, np.full(4, 2.0))
    np.testing.assert_array_equal(weight.grad.data, np.zeros(4))
    assert x.grad.shape == shape


@pytest.mark.parametrize("cls, shape", [(nn.InstanceNorm1d, (2, 4, 0)), (nn.InstanceNorm1d, (4, 0)),
                                        (nn.InstanceNorm2d, (4, 3, 0)), (nn.InstanceNorm3d, (2, 4, 0, 1, 1))])
def test_instance_norm_layers_take_an_empty_spatial_axis(cls, shape):
    norm = cls(4, affine=True, track_running_stats=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert norm(np.zeros(shape)).shape == shape
    np.testing.assert_array_equal(norm.running_mean.data, np.zeros(4))
    np.testing.assert_array_equal(norm.running_var.data, np.ones(4))
    assert int(norm.num_batches_tracked.data) == 0


def test_one_spatial_element_is_still_refused():
    with pytest.raises(ValueError, match=r"instance_norm: expected more than 1 spatial element .* \(0, 4, 1\)"):
        F.instance_norm(np.zeros((0, 4, 1)))  # as PyTorch's, which checks the size before the batch


def test_empty_inputs_against_torch():
    torch = pytest.importorskip("torch")
    x = np.zeros((2, 4, 0))
    mean, var = np.zeros(4), np.ones(4)
    tmean, tvar = torch.zeros(4, dtype=torch.float64), torch.ones(4, dtype=torch.float64)
    ours, theirs = F.instance_norm(x, mean, var), torch.nn.functional.instance_norm(torch.tensor(x), tmean, tvar)
    assert ours.shape == tuple(theirs.shape)
    np.testing.assert_array_equal(mean, tmean.numpy())
    np.testing.assert_array_equal(var, tvar.numpy())
    assert F.group_norm(x, 2).shape == (2, 4, 0)
    if torch_older_than(torch, "2.14"):
        assert tuple(torch.nn.functional.group_norm(torch.tensor(x), 2).shape) == (2, 4, 0)
    else:  # (PyTorch 2.14 refuses no spatial entries, a guard for its kernel; the empty result kept here, as 2.13's)
        with pytest.raises(RuntimeError, match="HxW to be greater than 0"):
            torch.nn.functional.group_norm(torch.tensor(x), 2)


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.float16])
def test_batch_norm_of_an_empty_1d_input_in_evaluation_is_empty(dtype):
    # PyTorch returns an empty 1-D input (it was refused: no channel axis); read as (0, C), C the running statistics'
    # length, so they, weight and bias are checked as for (0, C); weight and bias get zero gradients, as torch's
    x, weight, bias = (ag.tensor(np.zeros(n, dtype), requires_grad=True) for n in (0, 3, 3))
    mean, var = np.zeros(3, np.float32), np.ones(3, np.float32)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = F.batch_norm(x, mean, var, weight, bias)
        out.sum().backward()
    assert out.shape == (0,) and out.dtype == dtype
    assert x.grad.shape == (0,)
    np.testing.assert_array_equal(weight.grad.data, np.zeros(3))
    np.testing.assert_array_equal(bias.grad.data, np.zeros(3))
    np.testing.assert_array_equal(mean, np.zeros(3))
    with pytest.raises(RuntimeError, match=r"weight must have shape \(3,\)"):
        F.batch_norm(np.zeros(0), mean, var, np.ones(2))


@pytest.mark.parametrize("running", [True, False])
def test_batch_norm_of_an_empty_1d_input_is_refused_where_an_empty_2d_one_is(running):
    # training: an empty batch (README: refused on purpose, PyTorch returns it); evaluation with no running
    # statistics: refused (PyTorch returns an empty input before checking them)
    mean, var = (np.zeros(3), np.ones(3)) if running else (None, None)
    for shape in ((0,), (0, 3)):
        with pytest.raises(ValueError, match=rf"batch_norm: expected more than 1 value per channel when training, "
                                             rf"got input of shape \({shape[0]},"):
            F.batch_norm(np.zeros(shape), mean, var, training=True)
    if not running:
        for shape in ((0,), (0, 3)):
            with pytest.raises(RuntimeError, match="running_mean and running_var are needed in evaluation mode"):
                F.batch_norm(np.zeros(shape), None, None)
    with pytest.raises(RuntimeError, match=r"expected an input of shape \(N, C\)"):
        F.batch_norm(np.zeros(3), np.zeros(3), np.ones(3))  # (a 1-D input with entries: still refused, as torch's)


def test_batch_norm_of_an_empty_1d_input_against_torch():
    torch = _torch()
    theirs = torch.nn.functional.batch_norm(torch.zeros(0, dtype=torch.float64), torch.zeros(3, dtype=torch.float64),
                                            torch.ones(3, dtype=torch.float64), torch.ones(3, dtype=torch.float64))
    ours = F.batch_norm(ag.zeros(0), np.zeros(3), np.ones(3), ag.ones(3))
    assert ours.shape == tuple(theirs.shape) and ours.dtype == np.float64

# ---- float16: computed in float32 and rounded once, as PyTorch's ----------------------------------------------------
def _reference(x, axes, weight, bias, g, eps=1e-5):
    """The normalisation's output and its input gradient for the cotangent g, in float64."""
    mean = x.mean(axis=axes, keepdims=True)
    centred = x - mean
    inv = 1 / np.sqrt((centred ** 2).mean(axis=axes, keepdims=True) + eps)
    shape = (1, -1) + (1,) * (x.ndim - 2)
    normalized = centred * inv
    gn = g * weight.reshape(shape)
    count = np.prod([x.shape[a] for a in axes])
    grad = inv * (gn - gn.sum(axis=axes, keepdims=True) / count
                  - normalized * (gn * normalized).sum(axis=axes, keepdims=True) / count)
    return normalized * weight.reshape(shape) + bias.reshape(shape), grad


@pytest.mark.parametrize("which", ["batch_norm", "instance_norm", "group_norm", "layer_norm"])
@pytest.mark.parametrize("scale", [0.003, 1.0, 300.0])
def test_float16_normalisations_keep_finite_accurate_gradients(which, scale):
    rng = np.random.default_rng(0)
    shape = {"batch_norm": (64, 4), "instance_norm": (2, 4, 64), "group_norm": (2, 4, 32), "layer_norm": (64, 4)}[which]
    xv = (rng.normal(size=shape) * scale).astype(np.float16)
    g = rng.normal(size=shape).astype(np.float16)
    wv, bv = rng.normal(size=4).astype(np.float16), rng.normal(size=4).astype(np.float16)
    x, w, b = (ag.tensor(v, requires_grad=True) for v in (xv, wv, bv))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # (the float16 steps overflowed to inf: "overflow encountered in divide")
        if which == "batch_norm":
            out = F.batch_norm(x, None, None, w, b, training=True)
        elif which == "layer_norm":
            out = F.layer_norm(x, (4,), w, b)
        elif which == "instance_norm":
            out = F.instance_norm(x, weight=w, bias=b)
        else:
            out = F.group_norm(x, 2, w, b)
        out.backward(g)
    assert out.dtype == np.float16 and x.grad.dtype == np.float16 and w.grad.dtype == np.float16
    x64, g64 = xv.astype(np.float64), g.astype(np.float64)
    if which == "group_norm":  # groups of two channels: as an instance norm of (N, 2, 2 * L), per channel weights
        grouped, grouped_g = x64.reshape(2, 2, 64), (g64 * wv.astype(np.float64)[None, :, None]).reshape(2, 2, 64)
        normalized, grad = _reference(grouped, (2,), np.ones(2), np.zeros(2), grouped_g)
        shape1 = (1, 4, 1)
        expected = normalized.reshape(shape) * wv.astype(np.float64).reshape(shape1) + bv.astype(np.float64).reshape(
            shape1)
        grad = grad.reshape(shape)
    else:
        axes = {"batch_norm": (0,), "layer_norm": (1,), "instance_norm": (2,)}[which]
        expected, grad = _reference(x64, axes, wv.astype(np.float64), bv.astype(np.float64), g64)
    assert np.isfinite(x.grad.data).all()
    np.testing.assert_allclose(out.data.astype(np.float64), expected, rtol=2e-3, atol=2e-3 * np.abs(expected).max())
    np.testing.assert_allclose(x.grad.data.astype(np.float64), grad, rtol=3e-3, atol=3e-3 * np.abs(grad).max())


@pytest.mark.parametrize("make, shape", [
    (lambda: nn.BatchNorm1d(4), (64, 4)),
    (lambda: nn.BatchNorm2d(4), (16, 4, 2, 2)),
    (lambda: nn.InstanceNorm1d(4, affine=True, track_running_stats=True), (2, 4, 64)),
    (lambda: nn.GroupNorm(2, 4), (2, 4, 32)),
    (lambda: nn.LayerNorm(4), (64, 4)),
])
def test_float16_layers_train_with_small_variances(make, shape):
    layer = make().half()
    x = ag.tensor((np.random.default_rng(1).normal(size=shape) * 0.003).astype(np.float16), requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = layer(x)
        (out * np.random.default_rng(2).normal(size=shape).astype(np.float16)).sum().backward()
    assert out.dtype == np.float16 and np.isfinite(x.grad.data).all()
    for name, value in layer.state_dict().items():
        if name != "num_batches_tracked":
            assert value.dtype == np.float16 and np.isfinite(value).all(), name
    if getattr(layer, "running_mean", None) is not None:  # 0.9 * 0 + 0.1 * the batch's mean, near 0
        assert np.abs(layer.running_mean.data.astype(np.float64)).max() < 1e-3


def test_float16_input_beside_wider_parameters_keeps_numpy_promotion():
    x = np.random.default_rng(3).normal(size=(4, 2)).astype(np.float16)
    assert F.batch_norm(x, None, None, np.ones(2), np.zeros(2), training=True).dtype == np.float64
    assert F.group_norm(x, 1, np.ones(2, dtype=np.float32)).dtype == np.float32
    assert F.batch_norm(x, None, None, training=True).dtype == np.float16


def test_float16_normalisations_against_torch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(4)
    xv = (rng.normal(size=(64, 4, 3)) * 0.003).astype(np.float16)
    g = rng.normal(size=xv.shape).astype(np.float16)
    for ours, theirs in ((lambda x: F.batch_norm(x, None, None, training=True),
                          lambda x: torch.nn.functional.batch_norm(x, None, None, training=True)),
                         (lambda x: F.instance_norm(x), torch.nn.functional.instance_norm),
                         (lambda x: F.group_norm(x, 2), lambda x: torch.nn.functional.group_norm(x, 2))):
        x = ag.tensor(xv, requires_grad=True)
        ours(x).backward(g)
        tx = torch.tensor(xv, requires_grad=True)
        theirs(tx).backward(torch.tensor(g))
        expected = tx.grad.numpy().astype(np.float64)
        np.testing.assert_allclose(x.grad.data.astype(np.float64), expected, rtol=1e-2,
                                   atol=1e-2 * np.abs(expected).max())


# ---- instance_norm with eps=0: a constant instance normalises to 0, as PyTorch's ------------------------------------
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.float16])
@pytest.mark.parametrize("value", [5.0, 0.1, 0.7])  # (0.1's mean rounds: its variance was 2e-34, giving +-1)
def test_instance_norm_eps_0_of_a_constant_instance_is_0(dtype, value):
    rng = np.random.default_rng(0)
    xv = rng.normal(size=(2, 3, 4)).astype(dtype)
    xv[0, 1] = value
    x = ag.tensor(xv, requires_grad=True)
    weight = ag.tensor(np.full(3, 2.0, dtype=dtype), requires_grad=True)
    mean, var = np.zeros(3, dtype=dtype), np.ones(3, dtype=dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = F.instance_norm(x, mean, var, weight, eps=0.0)
        out.backward(rng.normal(size=xv.shape).astype(dtype))
    np.testing.assert_array_equal(out.data[0, 1], np.zeros(4))
    np.testing.assert_array_equal(x.grad.data[0, 1], np.zeros(4))
    assert np.isfinite(out.data).all() and np.isfinite(x.grad.data).all() and np.isfinite(weight.grad.data).all()
    others = np.delete(xv.astype(np.float64).reshape(6, 4), 1, axis=0)  # the other instances: normalised as ever
    expected = (others - others.mean(axis=1, keepdims=True)) / others.std(axis=1, keepdims=True)
    np.testing.assert_allclose(np.delete(out.data.astype(np.float64).reshape(6, 4), 1, axis=0) / 2, expected,
                               rtol=1e-2 if dtype == np.float16 else 1e-5, atol=1e-2 if dtype == np.float16 else 1e-5)
    assert np.isfinite(mean).all() and np.isfinite(var).all()


def test_instance_norm_layer_eps_0_of_a_blank_channel():
    norm = nn.InstanceNorm2d(2, eps=0.0, affine=True)
    x = np.zeros((1, 2, 3, 3), dtype=np.float32)
    x[0, 1] = np.arange(9).reshape(3, 3)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = norm(x)
        out.sum().backward()
    np.testing.assert_array_equal(out.data[0, 0], np.zeros((3, 3)))
    assert np.isfinite(norm.weight.grad.data).all()


def test_instance_norm_eps_0_second_derivatives_off_constants():
    x = np.random.default_rng(1).normal(size=(2, 2, 3))
    assert gradgradcheck(lambda x: F.instance_norm(x, eps=0.0), x)


def test_instance_norm_eps_0_of_constants_against_torch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(2)
    xv = rng.normal(size=(3, 4, 5))
    xv[0, 0], xv[2, 3] = 0.1, -7.0
    g = rng.normal(size=xv.shape)
    x = ag.tensor(xv, requires_grad=True)
    F.instance_norm(x, eps=0.0).backward(g)
    tx = torch.tensor(xv, requires_grad=True)
    out = torch.nn.functional.instance_norm(tx, eps=0.0)
    out.backward(torch.tensor(g))
    np.testing.assert_allclose(F.instance_norm(xv, eps=0.0).data, out.detach().numpy(), atol=1e-12)
    np.testing.assert_allclose(x.grad.data, tx.grad.numpy(), atol=1e-10)


# ---- layer and group norms with eps=0 on constant input: NaN, as torch's -----------------------------------------
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("norm", [lambda t: F.layer_norm(t, (3,), eps=0.0), lambda t: F.group_norm(t, 2, eps=0.0),
                                  lambda t: F.layer_norm(t, (3,), weight=ag.ones(3), bias=ag.zeros(3), eps=0.0)],
                         ids=["layer_norm", "group_norm", "layer_norm_affine"])
def test_norms_eps_zero_constant_input_give_nan(norm, dtype):
    x = ag.tensor(np.full((2, 4, 3), 5.0, dtype), requires_grad=True)  # (a mean computed exactly)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # (0 / 0)
        y = norm(x)
        y.sum().backward()
    assert np.isnan(y.data).all() and np.isnan(x.grad.data).all()


def test_norms_eps_zero_constant_input_whose_mean_rounds():
    # kept: our mean of 0.1 three times is sum / 3, one unit above 0.1, so x - mean is that unit and var its square:
    # the result is -1 (+1), where PyTorch's running mean stays exactly 0.1 and gives 0 / 0 = NaN
    x = np.full((2, 4, 3), 0.1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        y = F.layer_norm(ag.tensor(x), (3,), eps=0.0)
    assert np.isfinite(y.data).all() and np.all(np.abs(y.data) == 1)
    np.testing.assert_allclose(F.layer_norm(ag.tensor(x), (3,)).data, 0.0, atol=1e-5)  # the default eps: ~0


def test_norms_eps_zero_constant_input_match_torch():
    torch = _torch()
    x = np.full((2, 4, 3), 5.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        for ours, theirs in ((lambda t: F.layer_norm(t, (3,), eps=0.0),
                              lambda t: torch.nn.functional.layer_norm(t, (3,), eps=0.0)),
                             (lambda t: F.group_norm(t, 2, eps=0.0),
                              lambda t: torch.nn.functional.group_norm(t, 2, eps=0.0))):
            a, b = value_and_grads(ours, x), torch_value_and_grads(theirs, x)
            np.testing.assert_array_equal(np.isnan(a[0]), np.isnan(b[0]))
            np.testing.assert_array_equal(np.isnan(a[1][0]), np.isnan(b[1][0]))


# ---- shapes the normalisations cannot use: a ValueError and, as PyTorch's, a RuntimeError -------------------------
# (F.batch_norm with a running_mean, running_var, weight or bias of 9 or 11 entries for 10 channels, LayerNorm of an
# input not ending in normalized_shape, ... raised a plain ValueError: PyTorch's test_nn.py expects RuntimeError)
_BAD_SHAPES = {
    "batch_norm running_mean": lambda m, F, t: F.batch_norm(t((2, 10)), t((9,)), t((10,))),
    "batch_norm running_var": lambda m, F, t: F.batch_norm(t((2, 10)), t((10,)), t((11,))),
    "batch_norm weight": lambda m, F, t: F.batch_norm(t((2, 10)), t((10,)), t((10,)), weight=t((9,))),
    "batch_norm bias": lambda m, F, t: F.batch_norm(t((2, 10)), t((10,)), t((10,)), bias=t((11,))),
    "BatchNorm1d channels": lambda m, F, t: m.BatchNorm1d(3)(t((4, 5))),
    "InstanceNorm1d channels, running stats": lambda m, F, t: m.InstanceNorm1d(3, track_running_stats=True)(
        t((2, 4, 5))),
    "instance_norm running_mean": lambda m, F, t: F.instance_norm(t((2, 3, 4)), t((4,)), t((4,))),
    "instance_norm weight": lambda m, F, t: F.instance_norm(t((2, 3, 4)), weight=t((4,))),
    "GroupNorm channels": lambda m, F, t: m.GroupNorm(2, 4)(t((2, 6, 3))),
    "group_norm groups": lambda m, F, t: F.group_norm(t((2, 6, 3)), 4),
    "group_norm weight": lambda m, F, t: F.group_norm(t((2, 6, 3)), 3, t((5,))),
    "LayerNorm shape": lambda m, F, t: m.LayerNorm(3)(t((2, 4))),
    "LayerNorm longer shape": lambda m, F, t: m.LayerNorm((2,))(t((1, 2, 3))),
    "LayerNorm of ()": lambda m, F, t: m.LayerNorm(())(t(())),
    "layer_norm weight": lambda m, F, t: F.layer_norm(t((2, 4)), (4,), t((3,))),
    "rms_norm shape": lambda m, F, t: F.rms_norm(t((2, 4)), (3,)),
    "rms_norm weight": lambda m, F, t: F.rms_norm(t((2, 4)), (4,), t((3,))),
}


@pytest.mark.filterwarnings("ignore:input.s size at dim=1")  # (PyTorch's, beside its error)
@pytest.mark.parametrize("case", sorted(_BAD_SHAPES))
def test_unusable_shapes_raise_runtime_error_as_torchs_and_value_error(case):
    torch = _torch()
    with pytest.raises(RuntimeError):
        _BAD_SHAPES[case](torch.nn, torch.nn.functional, lambda shape: torch.rand(shape))
    with pytest.raises(RuntimeError) as error:
        _BAD_SHAPES[case](nn, F, lambda shape: np.random.default_rng(0).random(shape))
    assert isinstance(error.value, ValueError)  # (what it was: code catching ValueError still does)
    assert "shape" in str(error.value) or "channels" in str(error.value)


# ---- eps=0 with the batch's statistics: refused, as PyTorch 2.14's batch_norm ------------------------------------
# (it was accepted: a channel whose batch values are all equal normalised to 0 / 0, NaN, and so did its gradient)
def test_batch_norm_refuses_eps_0_in_training_as_torchs():
    torch = _torch()
    x = np.ones((4, 3))
    with pytest.raises(ValueError, match="eps must be positive"):
        torch.nn.functional.batch_norm(torch.from_numpy(x), None, None, training=True, eps=0.0)
    with pytest.raises(ValueError, match="batch_norm: eps must be positive"):
        F.batch_norm(x, None, None, training=True, eps=0.0)
    mean, var = np.zeros(3), np.full(3, 4.0)  # evaluation with running statistics: eps=0 is fine in both
    ours = F.batch_norm(x, mean, var, training=False, eps=0.0)
    theirs = torch.nn.functional.batch_norm(torch.from_numpy(x), torch.zeros(3, dtype=torch.float64),
                                            torch.full((3,), 4.0, dtype=torch.float64), training=False, eps=0.0)
    np.testing.assert_array_equal(ours.data, theirs.numpy())


@pytest.mark.parametrize("track_running_stats", [True, False])
def test_batch_norm_layer_with_eps_0_refuses_batch_statistics_before_counting(track_running_stats):
    torch = _torch()
    layer = nn.BatchNorm1d(3, eps=0.0, track_running_stats=track_running_stats)  # (made, as PyTorch's)
    theirs = torch.nn.BatchNorm1d(3, eps=0.0, track_running_stats=track_running_stats)
    with pytest.raises(ValueError, match="eps must be positive"):
        theirs(torch.ones(4, 3))
    with pytest.raises(ValueError, match="BatchNorm1d: eps must be positive"):
        layer(np.ones((4, 3)))
    if track_running_stats:  # nothing counted nor moved by the refused batch
        assert layer.num_batches_tracked.item() == 0
        np.testing.assert_array_equal(layer.running_mean.data, np.zeros(3))
        layer.eval()  # the running statistics normalise: eps=0 is fine
        np.testing.assert_array_equal(layer(np.full((2, 3), 2.0)).data, np.full((2, 3), 2.0))
    else:
        layer.eval()  # no running statistics: the batch's still normalise, and eps=0 is refused, as PyTorch's
        theirs.eval()
        with pytest.raises(ValueError, match="eps must be positive"):
            theirs(torch.ones(4, 3))
        with pytest.raises(ValueError, match="eps must be positive"):
            layer(np.ones((4, 3)))
