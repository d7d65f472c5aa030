"""nn.BatchNorm2d, BatchNorm3d (BatchNorm1d's shared code), InstanceNorm1d/2d/3d, GroupNorm and F.group_norm,
F.instance_norm (F.batch_norm on images): values against NumPy formulas, gradients and second derivatives against
central differences (the declaration tables' generated tests, and the modules with their parameters), running
statistics over several steps in train and eval mode, the module protocol (state dicts, checkpoints, reprs) and the
errors; then, in the torch section (skipped without torch), outputs, gradients, running statistics and state dicts
over several steps, Hypothesis drawing shapes and settings, against PyTorch's."""
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd_core as ag
import nn
import nn.functional as F
from autograd_core.testing import gradcheck, gradgradcheck

sys.path.append(str(Path(__file__).resolve().parents[1] / "autograd_core" / "ops"))  # the engine's declaration tables
from optable import Op, generated_tests, spaced  # noqa: E402
from conftest import assert_steps_match_torch, copy_to_torch  # noqa: E402
from normalization_references import batch_norm_ref, batch_running_ref, channel_affine, normalized_ref  # noqa: E402

DISTINCT = spaced(-3.0, 3.0, 0.1)  # distinct entries: every group of two or more has a variance well above 0
TOL = {"atol": 1e-6, "rtol": 1e-5}


# ---- NumPy references ---------------------------------------------------------------------------------------------
def _group_norm_ref(x, weight=None, bias=None, num_groups=1, eps=1e-5):
    n, c = x.shape[:2]
    grouped = x.reshape(n, num_groups, -1)
    return channel_affine(normalized_ref(grouped, (2,), eps).reshape(x.shape), weight, bias)


def _instance_norm_ref(x, weight=None, bias=None, use_input_stats=True, running_mean=None, running_var=None):
    if use_input_stats:
        out = normalized_ref(x, tuple(range(2, x.ndim)))
    else:
        shape = (1, x.shape[1]) + (1,) * (x.ndim - 2)
        out = (x - running_mean.reshape(shape)) / np.sqrt(running_var.reshape(shape) + 1e-5)
    return channel_affine(out, weight, bias)


def _instance_running_ref(batches, momentum):
    """PyTorch's running statistics of an instance norm: the batch's mean over N of each instance's mean and
    unbiased variance, averaged in with momentum (None: 0, nothing changes)."""
    mean, var = np.zeros(batches[0].shape[1]), np.ones(batches[0].shape[1])
    factor = 0.0 if momentum is None else momentum
    for x in batches:
        axes = tuple(range(2, x.ndim))
        mean = (1 - factor) * mean + factor * x.mean(axis=axes).mean(axis=0)
        var = (1 - factor) * var + factor * x.var(axis=axes, ddof=1).mean(axis=0)
    return mean, var


# ---- the declaration tables ---------------------------------------------------------------------------------------
@st.composite
def _group_norm_case(draw, affine=True):
    n, groups, per_group = draw(st.integers(1, 3)), draw(st.integers(1, 3)), draw(st.integers(1, 2))
    channels = groups * per_group
    x_shape = (n, channels) + draw(st.sampled_from([(), (1,), (2,), (2, 2)]))
    if n * per_group * int(np.prod(x_shape[2:])) == 1:
        x_shape = (n + 1,) + x_shape[1:]  # PyTorch refuses one value in the whole batch per group
    return (x_shape,) + (((channels,), (channels,)) if affine else ()), {"num_groups": groups}


@st.composite
def _instance_norm_case(draw, use_input_stats=True):
    n, c = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    x_shape = (n, c) + draw(st.sampled_from([(2,), (3,), (2, 2), (1, 2, 2)]))
    kwargs = {"use_input_stats": use_input_stats}
    if not use_input_stats:
        kwargs["running_mean"] = draw(hnp.arrays(np.float64, (c,), elements=st.floats(-1.0, 1.0)))
        kwargs["running_var"] = draw(hnp.arrays(np.float64, (c,), elements=st.floats(0.1, 2.0)))
    return (x_shape, (c,), (c,)), kwargs


@st.composite
def _batch_norm_image_case(draw):
    n, c = draw(st.integers(1, 2)), draw(st.integers(1, 3))
    return ((n, c) + draw(st.sampled_from([(2, 2), (1, 3), (2, 1, 2)])), (c,), (c,)), {"training": True}


def _instance_norm_fn(x, weight, bias, use_input_stats, running_mean=None, running_var=None):
    return F.instance_norm(x, running_mean, running_var, weight, bias, use_input_stats=use_input_stats)


NORMALIZATION_2D = [
    Op("F.group_norm", lambda x, w, b, num_groups: F.group_norm(x, num_groups, w, b), _group_norm_ref,
       case=_group_norm_case(), elements=DISTINCT, unique=True, grad_tol=TOL),
    Op("F.group_norm_without_affine", lambda x, num_groups: F.group_norm(x, num_groups),
       lambda x, num_groups: _group_norm_ref(x, num_groups=num_groups), case=_group_norm_case(affine=False),
       elements=DISTINCT, unique=True, grad_tol=TOL),
    Op("F.instance_norm", _instance_norm_fn, _instance_norm_ref, case=_instance_norm_case(), elements=DISTINCT,
       unique=True, grad_tol=TOL),
    Op("F.instance_norm_running_stats", _instance_norm_fn, _instance_norm_ref,
       case=_instance_norm_case(use_input_stats=False), grad_tol=TOL),
    Op("F.batch_norm_images", lambda x, w, b, training: F.batch_norm(x, None, None, w, b, training=training),
       batch_norm_ref, case=_batch_norm_image_case(), elements=DISTINCT, unique=True, grad_tol=TOL),
]

globals().update(generated_tests(NORMALIZATION_2D))


# ---- the modules: gradients and second derivatives of input and parameters ----------------------------------------
def _with_random_parameters(module, seed=0):
    rng = np.random.default_rng(seed)
    for p in module.parameters():
        p.data = rng.normal(size=p.shape).astype(p.dtype)
    return module


MODULE_CASES = {
    "BatchNorm2d": (lambda: nn.BatchNorm2d(2, dtype=np.float64), (3, 2, 2, 2)),
    "BatchNorm2d_eval": (lambda: nn.BatchNorm2d(2, dtype=np.float64).eval(), (2, 2, 2, 1)),
    "BatchNorm3d": (lambda: nn.BatchNorm3d(2, dtype=np.float64), (2, 2, 2, 1, 2)),
    "InstanceNorm1d": (lambda: nn.InstanceNorm1d(3, affine=True, dtype=np.float64), (2, 3, 3)),
    "InstanceNorm1d_unbatched": (lambda: nn.InstanceNorm1d(3, affine=True, dtype=np.float64), (3, 4)),
    "InstanceNorm2d_tracked_eval": (
        lambda: nn.InstanceNorm2d(2, affine=True, track_running_stats=True, dtype=np.float64).eval(), (2, 2, 2, 2)),
    "InstanceNorm3d": (lambda: nn.InstanceNorm3d(2, affine=True, dtype=np.float64), (1, 2, 2, 2, 1)),
    "GroupNorm": (lambda: nn.GroupNorm(2, 4, dtype=np.float64), (2, 4, 3)),
    "GroupNorm_one_group": (lambda: nn.GroupNorm(1, 2, dtype=np.float64), (2, 2, 2, 2)),
}


@pytest.mark.parametrize("name", list(MODULE_CASES))
def test_modules_gradients_and_second_derivatives_match_finite_differences(name):
    make, shape = MODULE_CASES[name]
    module = _with_random_parameters(make())
    x = np.random.default_rng(1).normal(size=shape)
    params = list(module.parameters())
    assert len(params) == 2

    def f(x, weight, bias):  # the module with its parameters replaced by the checked inputs
        object.__setattr__(module, "weight", weight)
        object.__setattr__(module, "bias", bias)
        try:
            return ag.sin(module(x))
        finally:
            module.weight, module.bias = params
    assert gradcheck(f, x, *(p.data for p in params), atol=1e-6, rtol=1e-5)
    assert gradgradcheck(f, x, *(p.data for p in params), atol=1e-6, rtol=1e-5)


@pytest.mark.parametrize("make, shape, axes", [
    (lambda: nn.BatchNorm2d(3, affine=False, dtype=np.float64), (4, 3, 2, 5), (0, 2, 3)),
    (lambda: nn.BatchNorm3d(3, affine=False, dtype=np.float64), (2, 3, 2, 3, 2), (0, 2, 3, 4)),
    (lambda: nn.InstanceNorm2d(3), (2, 3, 4, 5), (2, 3)),
    (lambda: nn.InstanceNorm3d(3), (2, 3, 2, 3, 2), (2, 3, 4)),
    (lambda: nn.InstanceNorm1d(3), (2, 3, 4), (2,)),
])
def test_normalized_axes_have_mean_zero_and_variance_one(make, shape, axes):
    x = np.random.default_rng(0).normal(3.0, 2.0, size=shape)
    out = make()(x).data
    assert out.dtype == np.float64
    np.testing.assert_allclose(out, normalized_ref(x, axes), rtol=1e-10, atol=1e-12)


def test_group_norm_module_equals_the_numpy_formula():
    norm = _with_random_parameters(nn.GroupNorm(3, 6, eps=0.1, dtype=np.float64))
    x = np.random.default_rng(0).normal(size=(2, 6, 4, 3))
    np.testing.assert_allclose(norm(x).data, _group_norm_ref(x, norm.weight.data, norm.bias.data, 3, eps=0.1),
                               rtol=1e-12, atol=1e-12)
    # one group is a layer norm over (C, *); as many groups as channels an instance norm
    np.testing.assert_allclose(F.group_norm(x, 1).data, F.layer_norm(x, x.shape[1:]).data, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(F.group_norm(x, 6).data, F.instance_norm(x).data, rtol=1e-12, atol=1e-12)


def test_unbatched_instance_norm_equals_a_batch_of_one():
    x = np.random.default_rng(0).normal(size=(3, 4, 5))
    norm = _with_random_parameters(nn.InstanceNorm2d(3, affine=True, track_running_stats=True, dtype=np.float64))
    out = norm(x)
    assert out.shape == (3, 4, 5)
    other = _with_random_parameters(nn.InstanceNorm2d(3, affine=True, track_running_stats=True, dtype=np.float64))
    np.testing.assert_allclose(out.data, other(x[None]).data[0], rtol=1e-14)
    np.testing.assert_allclose(norm.running_var.data, other.running_var.data, rtol=1e-14)


# ---- running statistics, train and eval ---------------------------------------------------------------------------
@pytest.mark.parametrize("momentum", [0.1, None, 0.0, 1.0])
@pytest.mark.parametrize("make, shape", [(nn.BatchNorm2d, (3, 3, 2, 4)), (nn.BatchNorm3d, (2, 3, 2, 2, 3))])
def test_batch_norm_running_statistics_over_several_steps(make, shape, momentum):
    rng = np.random.default_rng(0)
    bn = make(3, momentum=momentum, dtype=np.float64)
    batches = [rng.normal(2.0, 3.0, size=shape) for _ in range(4)]
    axes = (0,) + tuple(range(2, len(shape)))
    for x in batches:
        np.testing.assert_allclose(bn(x).data, normalized_ref(x, axes), rtol=1e-10, atol=1e-12)
    mean, var = batch_running_ref(batches, momentum)
    np.testing.assert_allclose(bn.running_mean.data, mean, rtol=1e-12)
    np.testing.assert_allclose(bn.running_var.data, var, rtol=1e-12)
    assert bn.num_batches_tracked.item() == 4
    x = rng.normal(size=shape)
    expected = (x - mean.reshape(1, 3, *[1] * (len(shape) - 2))) / np.sqrt(
        var.reshape(1, 3, *[1] * (len(shape) - 2)) + 1e-5)
    np.testing.assert_allclose(bn.eval()(x).data, expected, rtol=1e-12)
    assert bn.num_batches_tracked.item() == 4 and np.array_equal(bn.running_mean.data, mean)


@pytest.mark.parametrize("momentum", [0.1, 0.5, None])
@pytest.mark.parametrize("make, shape", [(nn.InstanceNorm1d, (3, 2, 5)), (nn.InstanceNorm2d, (2, 2, 3, 3)),
                                         (nn.InstanceNorm3d, (2, 2, 2, 2, 2))])
def test_instance_norm_running_statistics_over_several_steps(make, shape, momentum):
    rng = np.random.default_rng(0)
    norm = make(2, momentum=momentum, track_running_stats=True, dtype=np.float64)
    batches = [rng.normal(2.0, 3.0, size=shape) for _ in range(3)]
    for x in batches:  # training: each instance's own statistics normalise
        np.testing.assert_allclose(norm(x).data, normalized_ref(x, tuple(range(2, len(shape)))), rtol=1e-10,
                                   atol=1e-12)
    mean, var = _instance_running_ref(batches, momentum)
    np.testing.assert_allclose(norm.running_mean.data, mean, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(norm.running_var.data, var, rtol=1e-12)
    assert norm.num_batches_tracked.item() == 0  # as PyTorch's: an instance norm counts no batch
    x = rng.normal(size=shape)
    np.testing.assert_allclose(norm.eval()(x).data, _instance_norm_ref(x, use_input_stats=False, running_mean=mean,
                                                                       running_var=var), rtol=1e-12)


def test_without_running_statistics_the_batchs_normalise_in_eval_mode_too():
    x = np.random.default_rng(0).normal(size=(3, 2, 2, 2))
    bn = nn.BatchNorm2d(2, track_running_stats=False, dtype=np.float64).eval()
    assert bn.running_mean is None and list(bn.state_dict()) == ["weight", "bias"]
    np.testing.assert_allclose(bn(x).data, normalized_ref(x, (0, 2, 3)), rtol=1e-12, atol=1e-12)
    inorm = nn.InstanceNorm2d(2).eval()
    assert list(inorm.state_dict()) == [] and list(inorm.parameters()) == []
    np.testing.assert_allclose(inorm(x).data, normalized_ref(x, (2, 3)), rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(nn.GroupNorm(1, 2).eval()(x).data, nn.GroupNorm(1, 2)(x).data)


def test_batch_norm_2d_refuses_one_value_per_channel_in_training_without_counting_it():
    bn = nn.BatchNorm2d(3)
    with pytest.raises(ValueError, match=r"BatchNorm2d: expected more than 1 value per channel when training, got "
                                         r"input of shape \(1, 3, 1, 1\)"):
        bn(np.ones((1, 3, 1, 1)))
    assert bn.num_batches_tracked.item() == 0 and bn.running_mean.data.tolist() == [0.0] * 3
    assert bn(np.ones((1, 3, 1, 2))).shape == (1, 3, 1, 2)  # two values per channel
    assert bn.eval()(np.ones((1, 3, 1, 1))).shape == (1, 3, 1, 1)


def test_functional_instance_norm_updates_arrays_and_tensors_in_place():
    x = np.array([[[1.0, 3.0], [0.0, 4.0]], [[5.0, 5.0], [2.0, 0.0]]])  # (N=2, C=2, L=2)
    mean, var = np.zeros(2), ag.ones(2)
    F.instance_norm(x, mean, var, momentum=0.5)
    np.testing.assert_allclose(mean, 0.5 * np.array([(2.0 + 5.0) / 2, (2.0 + 1.0) / 2]))
    np.testing.assert_allclose(var.data, 0.5 + 0.5 * np.array([(2.0 + 0.0) / 2, (8.0 + 2.0) / 2]))
    before = mean.copy()
    F.instance_norm(x, mean, var, use_input_stats=False)
    np.testing.assert_array_equal(mean, before)


# ---- the module protocol ------------------------------------------------------------------------------------------
def test_parameters_buffers_and_state_dict_keys():
    bn = nn.BatchNorm2d(4)
    assert list(bn.state_dict()) == ["weight", "bias", "running_mean", "running_var", "num_batches_tracked"]
    assert bn.weight.data.tolist() == [1.0] * 4 and bn.running_var.dtype == np.float32
    assert [n for n, _ in nn.BatchNorm3d(4, bias=False).named_parameters()] == ["weight"]
    assert list(nn.InstanceNorm2d(4).state_dict()) == []
    assert list(nn.InstanceNorm1d(4, affine=True, track_running_stats=True).state_dict()) == [
        "weight", "bias", "running_mean", "running_var", "num_batches_tracked"]
    assert list(nn.GroupNorm(2, 4).state_dict()) == ["weight", "bias"]
    assert list(nn.GroupNorm(2, 4, affine=False).state_dict()) == []
    assert nn.GroupNorm(2, 4, dtype=np.float64).weight.dtype == np.float64
    assert nn.GroupNorm(2, 4, bias=False).bias is None


def test_inputs_are_cast_to_the_parameters_dtype_and_without_parameters_keep_theirs():
    x = np.ones((2, 4, 3, 3))
    assert nn.BatchNorm2d(4)(x).dtype == np.float32 and nn.GroupNorm(2, 4)(x).dtype == np.float32
    assert nn.InstanceNorm2d(4)(x).dtype == np.float64
    assert nn.InstanceNorm2d(4)(np.ones((2, 4, 3, 3), dtype=int)).dtype == np.float32
    assert nn.GroupNorm(2, 4).double()(x.astype(np.float32)).dtype == np.float64


def _conv_net(seed):
    return nn.Sequential(nn.Conv2d(2, 4, 3, rng=seed), nn.BatchNorm2d(4), nn.ReLU(), nn.GroupNorm(2, 4),
                         nn.InstanceNorm2d(4, affine=True, track_running_stats=True))


def test_state_dict_round_trip_and_checkpoint(tmp_path):
    model = _conv_net(0)
    for p in model.parameters():
        p.data = p.data + 0.25
    rng = np.random.default_rng(0)
    for _ in range(3):
        model(rng.normal(size=(3, 2, 5, 5)))
    nn.save(model.state_dict(), tmp_path / "norms.npz")
    other = _conv_net(1)
    other.load_state_dict(nn.load(tmp_path / "norms.npz"))
    for (k, v), (k2, v2) in zip(model.state_dict().items(), other.state_dict().items()):
        assert k == k2 and v.dtype == v2.dtype
        np.testing.assert_array_equal(v, v2)
    assert other[1].num_batches_tracked.item() == 3
    x = rng.normal(size=(2, 2, 5, 5))
    np.testing.assert_array_equal(model.eval()(x).data, other.eval()(x).data)
    again = _conv_net(2)
    again.load_state_dict(model.state_dict())
    np.testing.assert_array_equal(again.eval()(x).data, model(x).data)


def test_reprs():
    assert repr(nn.BatchNorm2d(3)) == ("BatchNorm2d(3, eps=1e-05, momentum=0.1, affine=True, bias=True, "
                                       "track_running_stats=True)")
    assert repr(nn.BatchNorm3d(2, momentum=None)).startswith("BatchNorm3d(2, eps=1e-05, momentum=None")
    assert repr(nn.InstanceNorm3d(3)) == ("InstanceNorm3d(3, eps=1e-05, momentum=0.1, affine=False, bias=False, "
                                          "track_running_stats=False)")
    assert repr(nn.GroupNorm(2, 4, affine=False)) == "GroupNorm(2, 4, eps=1e-05, affine=False, bias=False)"


# ---- errors -------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("make, error, message", [
    (lambda: nn.BatchNorm2d(-3), ValueError, "BatchNorm2d: num_features must be an int >= 0, got -3"),
    (lambda: nn.BatchNorm3d(2, momentum=2), ValueError, r"BatchNorm3d: momentum must be None or a number in \[0, 1\]"),
    (lambda: nn.BatchNorm2d(2, eps=-1), ValueError, "BatchNorm2d: eps must be a finite number >= 0, got -1"),
    (lambda: nn.InstanceNorm2d(2.5), TypeError, "InstanceNorm2d: num_features must be an int >= 0"),
    (lambda: nn.InstanceNorm1d(2, affine="no"), TypeError, "InstanceNorm1d: affine"),
    (lambda: nn.InstanceNorm3d(2, dtype=np.int32), TypeError, "InstanceNorm3d: dtype must be a float dtype"),
    (lambda: nn.GroupNorm(2, 5), ValueError, r"GroupNorm: num_channels \(5\) must be divisible by num_groups \(2\)"),
    (lambda: nn.GroupNorm(0, 4), ValueError, "GroupNorm: num_groups must be a positive int, got 0"),
    (lambda: nn.GroupNorm(2, 4.0), TypeError, "GroupNorm: num_channels must be an int >= 0"),
    (lambda: nn.GroupNorm(2, -2), ValueError, "GroupNorm: num_channels must be an int >= 0, got -2"),
    (lambda: nn.GroupNorm(2, 4, eps=float("inf")), ValueError, "GroupNorm: eps must be a finite number >= 0"),
    (lambda: nn.GroupNorm(2, 4, affine=None), TypeError, "GroupNorm: affine"),
])
def test_module_settings_are_refused_naming_the_module(make, error, message):
    with pytest.raises(error, match=message):
        make()


@pytest.mark.parametrize("call, error, message", [
    (lambda: nn.BatchNorm2d(3)(np.ones((2, 3, 4))), ValueError,
     r"BatchNorm2d: expected 4D input, \(N, C, H, W\), got 3D input of shape \(2, 3, 4\)"),
    (lambda: nn.BatchNorm3d(3)(np.ones((2, 3, 4, 4))), ValueError,
     r"BatchNorm3d: expected 5D input, \(N, C, D, H, W\), got 4D input of shape \(2, 3, 4, 4\)"),
    (lambda: nn.BatchNorm2d(3)(np.ones((2, 4, 2, 2))), ValueError,
     r"BatchNorm2d: expected input with 3 channels \(num_features\) on axis 1, got input of shape \(2, 4, 2, 2\)"),
    (lambda: nn.InstanceNorm1d(3)(np.ones((2, 3, 4, 5))), ValueError,
     r"InstanceNorm1d: expected 2D or 3D input, \(C, L\) or \(N, C, L\), got 4D input of shape \(2, 3, 4, 5\)"),
    (lambda: nn.InstanceNorm2d(3)(np.ones((3, 4))), ValueError,
     r"InstanceNorm2d: expected 3D or 4D input, \(C, H, W\) or \(N, C, H, W\), got 2D input"),
    (lambda: nn.InstanceNorm3d(3)(np.ones((3, 4, 4))), ValueError, "InstanceNorm3d: expected 4D or 5D input"),
    (lambda: nn.InstanceNorm1d(3, affine=True)(np.ones((2, 4, 5))), ValueError,
     r"InstanceNorm1d: expected input with 3 channels \(num_features\) on axis 1, got input of shape \(2, 4, 5\)"),
    (lambda: nn.InstanceNorm2d(3, track_running_stats=True)(np.ones((4, 2, 2))), ValueError,
     r"InstanceNorm2d: expected input with 3 channels \(num_features\) on axis 0, got input of shape \(4, 2, 2\)"),
    (lambda: nn.InstanceNorm1d(3)(np.ones((2, 3, 1))), ValueError,
     r"InstanceNorm1d: expected more than 1 spatial element per channel when using the input's statistics "
     r"\(training\), got input of shape \(2, 3, 1\)"),
    (lambda: nn.InstanceNorm1d(3).eval()(np.ones((3, 1))), ValueError,
     r"InstanceNorm1d: expected more than 1 spatial element .* got input of shape \(1, 3, 1\)"),
    (lambda: nn.GroupNorm(2, 4)(np.ones((2, 6, 3))), ValueError,
     r"GroupNorm: expected an input \(N, C, \*\) with 4 channels \(num_channels\) on axis 1, got input of shape "
     r"\(2, 6, 3\)"),
    (lambda: nn.GroupNorm(2, 4)(np.ones(4)), ValueError, r"GroupNorm: expected an input \(N, C, \*\) with 4"),
    (lambda: nn.GroupNorm(2, 2)(np.ones((1, 2))), ValueError,
     r"GroupNorm: expected more than 1 value per group in the batch, got input of shape \(1, 2\) with num_groups=2"),
    (lambda: F.group_norm(np.ones((2, 4)), 3), ValueError,
     r"group_norm: the input's 4 channels \(axis 1 of shape \(2, 4\)\) cannot be split into num_groups=3 groups"),
    (lambda: F.group_norm(np.ones(4), 1), ValueError,
     r"group_norm: expected an input of shape \(N, C, \*\) with the channels C on axis 1, got input of shape "
     r"\(4,\)"),
    (lambda: F.group_norm(np.ones((2, 4)), 0), ValueError, "group_norm: num_groups must be a positive int, got 0"),
    (lambda: F.group_norm(np.ones((2, 4)), 2.0), TypeError, "group_norm: num_groups must be a positive int"),
    (lambda: F.group_norm(np.ones((2, 4, 3)), 2, np.ones(3)), ValueError,
     r"group_norm: weight must have shape \(4,\) \(one value per normalised entry\), got shape \(3,\)"),
    (lambda: F.group_norm(np.ones((2, 4), dtype=int), 2), TypeError,
     r"group_norm: expected an input of a float dtype \(float32, float64\), got int64"),
    (lambda: F.group_norm(np.ones((2, 4)), 2, eps=-0.1), ValueError, "group_norm: eps must be a finite number"),
    (lambda: F.instance_norm(np.ones((2, 3))), ValueError,
     r"instance_norm: expected more than 1 spatial element per channel .* got input of shape \(2, 3\)"),
    (lambda: F.instance_norm(np.ones(3), use_input_stats=False), ValueError,
     r"instance_norm: expected an input of shape \(N, C, \*\) with the channels C on axis 1, got input of shape"),
    (lambda: F.instance_norm(np.ones((2, 3, 4)), use_input_stats=False), ValueError,
     r"instance_norm: running_mean and running_var are needed when use_input_stats=False"),
    (lambda: F.instance_norm(np.ones((2, 3, 4)), np.zeros(3)), ValueError,
     "instance_norm: pass both running_mean and running_var, or neither"),
    (lambda: F.instance_norm(np.ones((2, 3, 4)), np.zeros(2), np.ones(2)), ValueError,
     r"instance_norm: running_mean must be a float array of shape \(3,\), one value per channel of the input, got "
     r"float64 of shape \(2,\)"),
    (lambda: F.instance_norm(np.ones((2, 3, 4)), momentum=None), TypeError,
     r"instance_norm: momentum must be a number in \[0, 1\], got None"),
    (lambda: F.instance_norm(np.ones((2, 3, 4)), use_input_stats="yes"), TypeError,
     "instance_norm: use_input_stats"),
    (lambda: F.instance_norm(np.ones((2, 3, 4)), None, None, None, np.ones(2)), ValueError,
     r"instance_norm: bias must have shape \(3,\)"),
    (lambda: F.batch_norm(np.ones((1, 3, 1, 1)), None, None, training=True), ValueError,
     r"batch_norm: expected more than 1 value per channel when training, got input of shape \(1, 3, 1, 1\)"),
])
def test_bad_inputs_are_refused_naming_the_operation_and_the_shapes(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_instance_norm_without_weights_normalises_other_channel_counts_with_a_warning():
    norm = nn.InstanceNorm1d(3)
    x = np.random.default_rng(0).normal(size=(2, 4, 5))
    with pytest.warns(UserWarning, match=r"InstanceNorm1d: expected input with 3 channels \(num_features\) on axis "
                                         r"1, got input of shape \(2, 4, 5\); num_features is not used"):
        out = norm(x)
    np.testing.assert_allclose(out.data, normalized_ref(x, (2,)), rtol=1e-10, atol=1e-12)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        norm(x[:, :3])  # the right channel count: no warning


def test_group_norm_of_one_value_per_group_is_zero_with_finite_gradients():
    x = ag.tensor([[1.0, -2.0, 3.0], [0.5, 4.0, 2.0]], requires_grad=True)  # 3 groups of one channel
    out = F.group_norm(x, 3)
    out.backward(np.ones((2, 3)))
    assert out.data.tolist() == [[0.0] * 3] * 2 and np.isfinite(x.grad.data).all()


def test_group_norm_of_an_empty_batch_is_empty():
    out = nn.GroupNorm(2, 4)(np.ones((0, 4, 3)))
    assert out.shape == (0, 4, 3)


# ---- against PyTorch ----------------------------------------------------------------------------------------------
@pytest.fixture
def torch():
    return pytest.importorskip("torch")


_SETTINGS = st.fixed_dictionaries({}, optional={
    "momentum": st.sampled_from([0.1, 0.5, None, 1.0]), "affine": st.booleans(), "track_running_stats": st.booleans(),
    "eps": st.sampled_from([1e-5, 0.1]), "bias": st.booleans()})
_DTYPES = st.sampled_from([(np.float64, 1e-10), (np.float32, 5e-5)])


@settings(max_examples=15)
@given(rank=st.sampled_from([2, 3]), kwargs=_SETTINGS, dtype_tol=_DTYPES, data=st.data())
def test_batch_norm_matches_torch_over_several_steps(rank, kwargs, dtype_tol, data):
    torch = pytest.importorskip("torch")  # (in the test: Hypothesis reuses a function-scoped fixture)
    dtype, tol = dtype_tol
    c = data.draw(st.integers(1, 3), label="channels")
    spatial = data.draw(st.lists(st.integers(1, 3), min_size=rank, max_size=rank), label="spatial")
    n = data.draw(st.integers(2, 3), label="batch")
    ours = _with_random_parameters(getattr(nn, f"BatchNorm{rank}d")(c, dtype=dtype, **kwargs))
    theirs = getattr(torch.nn, f"BatchNorm{rank}d")(c, dtype=getattr(torch, np.dtype(dtype).name), **kwargs)
    last = (1 if kwargs.get("track_running_stats", True) else n, c, *spatial)  # eval: a batch of one when tracked
    assert_steps_match_torch(torch, ours, theirs, [(n, c, *spatial)] * 3 + [last], dtype, tol, np.random.default_rng(0))


@settings(max_examples=15)
@given(rank=st.sampled_from([1, 2, 3]), kwargs=_SETTINGS, dtype_tol=_DTYPES, unbatched=st.booleans(), data=st.data())
def test_instance_norm_matches_torch_over_several_steps(rank, kwargs, dtype_tol, unbatched, data):
    torch = pytest.importorskip("torch")
    dtype, tol = dtype_tol
    c = data.draw(st.integers(1, 3), label="channels")
    spatial = data.draw(st.lists(st.integers(1, 3), min_size=rank, max_size=rank).filter(
        lambda s: np.prod(s) > 1), label="spatial")
    batch = () if unbatched else (data.draw(st.integers(1, 3), label="batch"),)
    ours = _with_random_parameters(getattr(nn, f"InstanceNorm{rank}d")(c, dtype=dtype, **kwargs))
    theirs = getattr(torch.nn, f"InstanceNorm{rank}d")(c, dtype=getattr(torch, np.dtype(dtype).name), **kwargs)
    assert_steps_match_torch(torch, ours, theirs, [(*batch, c, *spatial)] * 4, dtype, tol, np.random.default_rng(0))


@settings(max_examples=15)
@given(groups=st.integers(1, 3), per_group=st.integers(1, 3), spatial=st.lists(st.integers(1, 3), max_size=2),
       kwargs=st.fixed_dictionaries({}, optional={"affine": st.booleans(), "bias": st.booleans(),
                                                  "eps": st.sampled_from([1e-5, 0.1])}), dtype_tol=_DTYPES)
def test_group_norm_matches_torch(groups, per_group, spatial, kwargs, dtype_tol):
    torch = pytest.importorskip("torch")
    # (A group of one value normalises to 0 here; PyTorch's float32 kernel gives its rounding error / sqrt(eps).)
    assume(per_group * np.prod(spatial) > 1)
    dtype, tol = dtype_tol
    c = groups * per_group
    ours = _with_random_parameters(nn.GroupNorm(groups, c, dtype=dtype, **kwargs))
    theirs = torch.nn.GroupNorm(groups, c, dtype=getattr(torch, np.dtype(dtype).name), **kwargs)
    assert_steps_match_torch(torch, ours, theirs, [(2, c, *spatial)] * 2, dtype, tol, np.random.default_rng(0))


def test_functionals_match_torch_and_update_the_same_statistics(torch):
    rng = np.random.default_rng(0)
    x, w, b = rng.normal(size=(3, 4, 2, 3)), rng.normal(size=4), rng.normal(size=4)
    tF = torch.nn.functional
    for groups in (1, 2, 4):
        np.testing.assert_allclose(F.group_norm(x, groups, w, b, eps=1e-3).data,
                                   tF.group_norm(torch.tensor(x), groups, torch.tensor(w), torch.tensor(b),
                                                 eps=1e-3).numpy(), rtol=1e-12, atol=1e-12)
    mean, var = rng.normal(size=4), rng.uniform(0.5, 2, size=4)
    tmean, tvar = torch.tensor(mean), torch.tensor(var)
    for use_input_stats in (True, False, True):
        out = F.instance_norm(x, mean, var, w, b, use_input_stats=use_input_stats, momentum=0.3, eps=1e-3)
        expected = tF.instance_norm(torch.tensor(x), tmean, tvar, torch.tensor(w), torch.tensor(b),
                                    use_input_stats=use_input_stats, momentum=0.3, eps=1e-3)
        np.testing.assert_allclose(out.data, expected.numpy(), rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(mean, tmean.numpy(), rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(var, tvar.numpy(), rtol=1e-12)
    bmean, bvar = np.zeros(4), np.ones(4)
    tbmean, tbvar = torch.zeros(4, dtype=torch.float64), torch.ones(4, dtype=torch.float64)
    out = F.batch_norm(x, bmean, bvar, w, b, training=True, momentum=0.2)
    expected = tF.batch_norm(torch.tensor(x), tbmean, tbvar, torch.tensor(w), torch.tensor(b), training=True,
                             momentum=0.2)
    np.testing.assert_allclose(out.data, expected.numpy(), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(bvar, tbvar.numpy(), rtol=1e-12)


def test_module_reprs_and_errors_agree_with_torchs(torch):
    for make in (lambda m: m.BatchNorm2d(3, momentum=None, bias=False), lambda m: m.BatchNorm3d(2, affine=False),
                 lambda m: m.InstanceNorm1d(3, affine=True, bias=False), lambda m: m.InstanceNorm2d(2),
                 lambda m: m.InstanceNorm3d(4, track_running_stats=True, eps=0.1),
                 lambda m: m.GroupNorm(3, 6, affine=False), lambda m: m.GroupNorm(1, 2, eps=0.5, bias=False)):
        assert repr(make(nn)) == repr(make(torch.nn))
    for make, shape in [(lambda m: m.BatchNorm2d(3), (2, 3, 4)), (lambda m: m.BatchNorm3d(3), (1, 3, 2, 2)),
                        (lambda m: m.BatchNorm2d(3), (1, 3, 1, 1)), (lambda m: m.InstanceNorm1d(3), (2, 3, 1)),
                        (lambda m: m.InstanceNorm2d(3), (3, 4)), (lambda m: m.GroupNorm(2, 2), (1, 2))]:
        with pytest.raises(ValueError):
            make(nn)(np.ones(shape))
        with pytest.raises((ValueError, RuntimeError)):
            make(torch.nn)(torch.ones(shape))


def test_a_convolutional_net_with_normalizations_trains_like_torchs(torch):
    """Three SGD steps of Conv2d -> BatchNorm2d -> ReLU -> GroupNorm -> InstanceNorm2d -> mean -> Linear, float64:
    the same losses, weights and running statistics."""
    def build(m, **kw):
        return [m.Conv2d(2, 4, 3, **kw), m.BatchNorm2d(4, **kw), m.ReLU(), m.GroupNorm(2, 4, **kw),
                m.InstanceNorm2d(4, affine=True, track_running_stats=True, **kw)]
    ours = nn.Sequential(*build(nn, dtype=np.float64))
    theirs = torch.nn.Sequential(*build(torch.nn, dtype=torch.float64))
    head, thead = nn.Linear(4, 3, dtype=np.float64, rng=0), torch.nn.Linear(4, 3, dtype=torch.float64)
    for p in ours.parameters():
        p.data = p.data + 0.1
    copy_to_torch(torch, ours, theirs)
    copy_to_torch(torch, head, thead)
    params = list(ours.parameters()) + list(head.parameters())
    opt = nn.optim.SGD(params, lr=0.1)
    topt = torch.optim.SGD(list(theirs.parameters()) + list(thead.parameters()), lr=0.1)
    rng = np.random.default_rng(0)
    for _ in range(3):
        x, y = rng.normal(size=(4, 2, 5, 5)), rng.integers(0, 3, size=4)
        opt.zero_grad()
        topt.zero_grad()
        loss = F.cross_entropy(head(ours(x).mean(axis=(2, 3))), y)
        tloss = torch.nn.functional.cross_entropy(thead(theirs(torch.tensor(x)).mean(dim=(2, 3))), torch.tensor(y))
        loss.backward()
        tloss.backward()
        opt.step()
        topt.step()
        assert loss.item() == pytest.approx(tloss.item(), rel=1e-10)
    for key, value in theirs.state_dict().items():
        np.testing.assert_allclose(ours.state_dict()[key], value.numpy(), rtol=1e-9, atol=1e-12, err_msg=key)
