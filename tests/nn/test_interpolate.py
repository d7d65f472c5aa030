"""F.interpolate and the Upsample layers (nn/_resampling_functions.py, nn/resampling.py): every mode against NumPy
loops written from PyTorch's formulas (no torch needed), and values and input gradients against PyTorch's over
Hypothesis-drawn shapes, sizes, scale factors, align_corners and recompute_scale_factor; finite differences to
second order; the layers' repr; the errors (uint8 refused by the interpolating modes)."""
import itertools
import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd_core as ag
import nn
import nn.functional as F
from autograd_core.testing import gradcheck, gradgradcheck

_DIMS = {"linear": 1, "bilinear": 2, "bicubic": 2, "trilinear": 3}
_INTERPOLATING = tuple(_DIMS)
_MODES = ("nearest", "nearest-exact", "area") + _INTERPOLATING
_FACTORS = (0.5, 0.6, 0.9, 1.0, 1.1, 1.3333, 1.7, 2.0, 2.1, 2.5, 3.0)


def _floor32(value):
    """floor of value rounded to float32 (PyTorch's kernels floor a coordinate with C's floorf)."""
    return math.floor(float(np.float32(value)))


# ---- NumPy references, from the formulas -------------------------------------------------------------------
def reference_taps(n, m, scale, mode, align_corners, planar):
    """For each output entry of an axis of n entries resampled to m: [(input index, weight)], computed in Python
    floats (float64) one entry at a time."""
    if align_corners:
        ratio = (n - 1) / (m - 1) if m > 1 else 0.0
    else:
        ratio = 1.0 / scale if scale else n / m
    taps = []
    for i in range(m):
        if mode == "nearest":
            index = i if planar and m == n else i // 2 if planar and m == 2 * n else min(_floor32(ratio * i), n - 1)
            taps.append([(index, 1.0)])
            continue
        # (rounded once, exactly, as PyTorch's kernels' fused multiply-add)
        coordinate = ratio * i if align_corners else float(Fraction(ratio) * (i + Fraction(1, 2)) - Fraction(1, 2))
        if mode == "nearest-exact":
            taps.append([(min(_floor32(max(coordinate, 0.0) + 0.5), n - 1), 1.0)])
        elif mode == "bicubic":
            first = _floor32(coordinate)
            t, a = coordinate - first, -0.75
            weights = [a * (t + 1) ** 3 - 5 * a * (t + 1) ** 2 + 8 * a * (t + 1) - 4 * a,
                       (a + 2) * t ** 3 - (a + 3) * t ** 2 + 1,
                       (a + 2) * (1 - t) ** 3 - (a + 3) * (1 - t) ** 2 + 1,
                       a * (2 - t) ** 3 - 5 * a * (2 - t) ** 2 + 8 * a * (2 - t) - 4 * a]
            taps.append([(min(max(first - 1 + j, 0), n - 1), w) for j, w in enumerate(weights)])
        elif m == n:  # linear: a kept size is copied
            taps.append([(i, 1.0)])
        else:
            coordinate = max(coordinate, 0.0)
            first = min(_floor32(coordinate), n - 1)
            t = min(max(coordinate - first, 0.0), 1.0)
            taps.append([(first, 1 - t), (min(first + 1, n - 1), t)])
    return taps


def reference_interpolate(x, sizes, scales, mode, align_corners=False):
    """out[b, c, o] = sum over one tap per axis of the product of the weights times x at the taps' indices
    ('area': the mean of PyTorch's adaptive windows)."""
    dims = len(sizes)
    shape = x.shape[2:]
    out = np.zeros(x.shape[:2] + tuple(sizes))
    if mode == "area":
        for o in np.ndindex(*sizes):
            box = tuple(slice(i * n // m, -(-(i + 1) * n // m)) for i, n, m in zip(o, shape, sizes))
            out[(Ellipsis,) + o] = x[(Ellipsis,) + box].mean(axis=tuple(range(2, 2 + dims)))
        return out
    taps = [reference_taps(n, m, s, mode, align_corners, dims == 2) for n, m, s in zip(shape, sizes, scales)]
    for o in np.ndindex(*sizes):
        for combination in itertools.product(*(taps[axis][i] for axis, i in enumerate(o))):
            weight = math.prod(w for _, w in combination)
            out[(Ellipsis,) + o] += weight * x[(Ellipsis,) + tuple(index for index, _ in combination)]
    return out


def test_reference_taps_known_values():  # (printed by torch 2.13: F.interpolate of arange, each mode)
    assert [t[0][0] for t in reference_taps(4, 4, 1.1, "nearest", False, False)] == [0, 0, 1, 2]
    assert [t[0][0] for t in reference_taps(4, 4, 1.1, "nearest", False, True)] == [0, 1, 2, 3]
    assert [t[0][0] for t in reference_taps(5, 10, 2.1, "nearest", False, False)] == [0, 0, 0, 1, 1, 2, 2, 3, 3, 4]
    assert [t[0][0] for t in reference_taps(3, 5, None, "nearest-exact", False, False)] == [0, 0, 1, 2, 2]
    x = np.array([[[1.0, 2.0, 4.0]]])
    np.testing.assert_allclose(reference_interpolate(x, (5,), (None,), "linear"), [[[1.0, 1.4, 2.0, 3.2, 4.0]]])
    np.testing.assert_allclose(reference_interpolate(x, (4,), (None,), "linear", True), [[[1, 5 / 3, 8 / 3, 4]]])


@st.composite
def interpolate_case(draw, modes=_MODES):
    """mode, the input shape, and the keyword arguments of interpolate: a size (an int or one per axis) or a
    scale factor (a number or one per axis, integer and fractional, up and down), align_corners for the
    interpolating modes, and recompute_scale_factor with a scale factor."""
    mode = draw(st.sampled_from(modes))
    dims = _DIMS.get(mode) or draw(st.integers(1, 3))
    shape = (draw(st.integers(1, 2)), draw(st.integers(1, 2))) + tuple(draw(st.integers(1, 5)) for _ in range(dims))
    kwargs = {"mode": mode}
    if draw(st.booleans()):
        sizes = tuple(draw(st.integers(1, 9)) for _ in range(dims))
        kwargs["size"] = sizes if dims > 1 or draw(st.booleans()) else sizes[0]
    else:
        factors = tuple(draw(st.sampled_from(_FACTORS)) for _ in range(dims))
        factors = tuple(f if int(n * f) > 0 else 1.0 for n, f in zip(shape[2:], factors))
        kwargs["scale_factor"] = factors if dims > 1 or draw(st.booleans()) else factors[0]
        recompute = draw(st.sampled_from([None, False, True]))
        if recompute is not None:
            kwargs["recompute_scale_factor"] = recompute
    if mode in _INTERPOLATING:
        kwargs["align_corners"] = draw(st.booleans())
    return shape, kwargs


def _sizes_and_scales(shape, kwargs):
    """The output sizes and the scales the coordinates use, as interpolate reads its arguments."""
    dims = len(shape) - 2
    size, factor = kwargs.get("size"), kwargs.get("scale_factor")
    if size is not None:
        return (tuple(size) if isinstance(size, tuple) else (size,) * dims), (None,) * dims
    factors = factor if isinstance(factor, tuple) else (factor,) * dims
    sizes = tuple(int(n * f) for n, f in zip(shape[2:], factors))
    keep = not kwargs.get("recompute_scale_factor") and kwargs["mode"] != "area"
    return sizes, (factors if keep else (None,) * dims)


@settings(max_examples=60, deadline=None)
@given(case=interpolate_case(), seed=st.integers(0, 2 ** 16))
def test_interpolate_matches_numpy_loops(case, seed):
    shape, kwargs = case
    x = np.random.default_rng(seed).standard_normal(shape)
    sizes, scales = _sizes_and_scales(shape, kwargs)
    out = F.interpolate(x, **kwargs)
    want = reference_interpolate(x, sizes, scales, kwargs["mode"], kwargs.get("align_corners", False))
    assert out.shape == shape[:2] + sizes and out.dtype == np.float64
    np.testing.assert_allclose(out.data, want, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("mode", _MODES)
def test_interpolate_matches_numpy_loops_over_a_grid(mode):
    """Every input size 1 to 5 along one axis, each scale factor of _FACTORS (given, and recomputed) and each output
    size 1 to 7, the other axes (if any) scaled by 1.1 (a kept size) and 2.1 (a doubled one)."""
    dims = _DIMS.get(mode, 2)
    rng = np.random.default_rng(5)
    for n, align_corners in itertools.product(range(1, 6), (False, True) if mode in _INTERPOLATING else (None,)):
        x = rng.standard_normal((1, 1, n) + (3, 4)[:dims - 1])
        calls = [{"scale_factor": (f,) + (1.1, 2.1)[:dims - 1], "recompute_scale_factor": recompute}
                 for f in _FACTORS if int(n * f) for recompute in (False, True)]
        calls += [{"size": (m,) + (3, 8)[:dims - 1]} for m in range(1, 8)]
        for kwargs in calls:
            kwargs = dict(kwargs, mode=mode, **({} if align_corners is None else {"align_corners": align_corners}))
            sizes, scales = _sizes_and_scales(x.shape, kwargs)
            want = reference_interpolate(x, sizes, scales, mode, bool(align_corners))
            np.testing.assert_allclose(F.interpolate(x, **kwargs).data, want, rtol=1e-12, atol=1e-12,
                                       err_msg=f"{kwargs} for n = {n}")


@settings(max_examples=40, deadline=None)
@given(case=interpolate_case(), seed=st.integers(0, 2 ** 16))
def test_interpolate_gradient_is_the_adjoint_of_the_map(case, seed):
    """interpolate is linear in x: <grad at cotangent g, v> = <g, interpolate(v)> for every v."""
    shape, kwargs = case
    rng = np.random.default_rng(seed)
    x = ag.tensor(rng.standard_normal(shape), requires_grad=True)
    out = F.interpolate(x, **kwargs)
    g, v = rng.standard_normal(out.shape), rng.standard_normal(shape)
    out.backward(g)
    np.testing.assert_allclose(np.sum(x.grad.data * v), np.sum(g * F.interpolate(v, **kwargs).data), rtol=1e-10,
                               atol=1e-10)


@pytest.mark.parametrize("mode", _MODES)
def test_gradients_to_second_order(mode):
    dims = _DIMS.get(mode, 2)
    rng = np.random.default_rng(3)
    x = rng.standard_normal((1, 2) + (3,) * dims)
    for kwargs in ({"size": (5,) * dims}, {"scale_factor": 0.7}):
        if mode in _INTERPOLATING:
            kwargs["align_corners"] = "size" in kwargs

        def f(x, kwargs=kwargs):
            return F.interpolate(x, mode=mode, **kwargs) ** 2  # (squared: a second derivative that is not zero)
        assert gradcheck(f, x, atol=1e-7, rtol=1e-6)
        assert gradgradcheck(f, x, atol=1e-7, rtol=1e-6)


def test_worked_examples():
    x = ag.tensor([[[1.0, 2.0, 4.0]]])
    assert F.interpolate(x, scale_factor=2).tolist() == [[[1.0, 1.0, 2.0, 2.0, 4.0, 4.0]]]
    assert F.interpolate(x, size=2, mode="area").tolist() == [[[1.5, 3.0]]]
    np.testing.assert_allclose(F.interpolate(x, size=6, mode="linear").data, [[[1, 1.25, 1.75, 2.5, 3.5, 4]]])
    np.testing.assert_allclose(F.interpolate(x, size=5, mode="linear", align_corners=True).data,
                               [[[1, 1.5, 2, 3, 4]]])
    # a scale factor given, not recomputed: the coordinates use 1 / 1.5, not 3 / 4
    np.testing.assert_allclose(F.interpolate(x, scale_factor=1.5, mode="linear").data,
                               [[[1, 1.5, 2 + 1 / 3, 3 + 2 / 3]]])
    np.testing.assert_allclose(F.interpolate(x, scale_factor=1.5, mode="linear", recompute_scale_factor=True).data,
                               [[[1, 1.625, 2.75, 4]]])
    assert F.interpolate(np.ones((1, 1, 2, 2)), size=(3, 3), mode="bicubic").data.sum() == pytest.approx(9.0)


@pytest.mark.parametrize("dtype", [np.float32, np.float16])
def test_dtype_kept(dtype):
    x = np.random.default_rng(0).standard_normal((1, 2, 3, 4)).astype(dtype)
    for mode in ("nearest", "nearest-exact", "bilinear", "bicubic", "area"):
        out = F.interpolate(x, scale_factor=1.7, mode=mode)
        assert out.dtype == dtype and out.shape == (1, 2, 5, 6)
        want = F.interpolate(x.astype(np.float64), scale_factor=1.7, mode=mode).data
        np.testing.assert_allclose(out.data, want, rtol=1e-2 if dtype == np.float16 else 1e-5, atol=1e-2)
    assert F.interpolate(np.arange(6, dtype=np.int64).reshape(1, 1, 6), size=3).data.tolist() == [[[0, 2, 4]]]


@pytest.mark.parametrize("call, error, match", [
    (lambda x: F.interpolate(x, size=2, scale_factor=2), ValueError, "only one of size and scale_factor"),
    (lambda x: F.interpolate(x), ValueError, "either size or scale_factor"),
    (lambda x: F.interpolate(x, size=2, align_corners=True), ValueError, "align_corners can only be set"),
    (lambda x: F.interpolate(x, size=2, mode="area", align_corners=False), ValueError, "not with mode='area'"),
    (lambda x: F.interpolate(x, size=2, mode="bilinear"), NotImplementedError, "'bilinear' needs a 4-D input"),
    (lambda x: F.interpolate(x, size=2, mode="bicubic"), NotImplementedError, "'bicubic' needs a 4-D input"),
    (lambda x: F.interpolate(x, size=2, mode="trilinear"), NotImplementedError, "'trilinear' needs a 5-D input"),
    (lambda x: F.interpolate(x[0], size=2), NotImplementedError, r"3-D, 4-D or 5-D input .* got shape \(2, 4\)"),
    (lambda x: F.interpolate(x, size=2, mode="cubic"), NotImplementedError, "mode must be one of .* got 'cubic'"),
    (lambda x: F.interpolate(x, size=2, mode="lanczos"), NotImplementedError, "lanczos .*antialias"),
    (lambda x: F.interpolate(x, size=(2, 2)), ValueError, r"one entry per spatial axis .* 1 for the spatial"),
    (lambda x: F.interpolate(x, scale_factor=(2, 2)), ValueError, "scale_factor must have one entry"),
    (lambda x: F.interpolate(x, size=2.0), TypeError, "size must be an int or a tuple of 1 ints"),
    (lambda x: F.interpolate(x, scale_factor="2"), TypeError, "scale_factor must be a number"),
    (lambda x: F.interpolate(x, scale_factor=math.inf), ValueError, "scale_factor must be finite"),
    (lambda x: F.interpolate(x, scale_factor=-1.0), ValueError, "negative output size"),
    (lambda x: F.interpolate(x, size=0), ValueError, "sizes must be greater than 0"),
    (lambda x: F.interpolate(x, scale_factor=0.2), ValueError, r"the output.s spatial sizes \(0,\) must be at least 1"),
    (lambda x: F.interpolate(x, size=-2), ValueError, "output sizes must be greater than 0"),
    (lambda x: F.interpolate(x, size=3, recompute_scale_factor=True), ValueError, "not meaningful with an explicit"),
    (lambda x: F.interpolate(x, size=3, antialias=True), ValueError, "antialias=True is restricted"),
    (lambda x: F.interpolate(x, size=3, mode="linear", align_corners="yes"), TypeError, "align_corners"),
    (lambda x: F.interpolate(x.astype(np.int64), size=3, mode="linear"), TypeError, "needs a float input"),
])
def test_errors(call, error, match):
    with pytest.raises(error, match=match):
        call(ag.tensor(np.ones((2, 2, 4))))


def test_antialias_refused_for_bilinear_and_bicubic():
    with pytest.raises(NotImplementedError, match="antialias=True is not supported"):
        F.interpolate(np.ones((1, 1, 4, 4)), size=2, mode="bilinear", antialias=True)


def test_layers_repr_settings_and_outputs():
    x = np.random.default_rng(1).standard_normal((1, 2, 3, 4))
    assert repr(nn.Upsample(scale_factor=2)) == "Upsample(scale_factor=2.0, mode='nearest')"
    assert repr(nn.Upsample(size=(4, 5), mode="bicubic")) == "Upsample(size=(4, 5), mode='bicubic')"
    assert repr(nn.Upsample(scale_factor=(2, 1.5))) == "Upsample(scale_factor=(2.0, 1.5), mode='nearest')"
    assert repr(nn.UpsamplingNearest2d(scale_factor=3)) == "UpsamplingNearest2d(scale_factor=3.0, mode='nearest')"
    layer = nn.UpsamplingBilinear2d(size=(5, 7))
    assert repr(layer) == "UpsamplingBilinear2d(size=(5, 7), mode='bilinear')" and layer.align_corners is True
    np.testing.assert_array_equal(layer(x).data, F.interpolate(x, (5, 7), mode="bilinear", align_corners=True).data)
    np.testing.assert_array_equal(nn.Upsample(scale_factor=1.5, mode="bilinear", recompute_scale_factor=True)(x).data,
                                  F.interpolate(x, scale_factor=1.5, mode="bilinear", recompute_scale_factor=True).data)
    assert nn.Upsample(scale_factor=0).scale_factor is None  # (0 is no scale factor, as PyTorch's)
    with pytest.raises(ValueError, match="either size or scale_factor"):
        nn.Upsample()(x)
    with pytest.raises(TypeError, match="Upsample: scale_factor must be a number"):
        nn.Upsample(scale_factor="2")


@pytest.mark.parametrize("mode", ["bilinear", "bicubic"])
def test_interpolate_refuses_uint8_for_interpolating_modes(mode):
    x = ag.tensor(np.zeros((1, 1, 2, 2), np.uint8))
    with pytest.raises(TypeError, match=rf"interpolate: mode '{mode}' needs a float input, got uint8 \(shape "
                                        r"\(1, 1, 2, 2\)\); cast it with \.astype\(np\.float32\)"):
        F.interpolate(x, scale_factor=2, mode=mode)
    assert F.interpolate(x, scale_factor=2, mode="nearest").dtype == np.uint8  # (a copy of entries: as torch's)


# ---- against PyTorch --------------------------------------------------------------------------------------------
def _torch_backward_is_its_forward_s(shape, kwargs):
    """PyTorch's backward of 'nearest' for 3-D and 5-D inputs copies an axis whose size is kept (or takes i // 2 where
    it is doubled) whatever the scale factor, where its forward computes the indices from the scale factor; and its
    backward of 'bicubic' copies when both sizes are kept, where its forward may not. There its gradient is not its
    forward's (ours is: test_interpolate_gradient_is_the_adjoint_of_the_map)."""
    sizes, scales = _sizes_and_scales(shape, kwargs)
    if kwargs["mode"] == "nearest" and len(shape) != 4:
        return all(s is None or m not in (n, 2 * n) for n, m, s in zip(shape[2:], sizes, scales))
    if kwargs["mode"] == "bicubic":
        return sizes != shape[2:] or not kwargs.get("scale_factor") or kwargs.get("recompute_scale_factor")
    return True


@settings(max_examples=50, deadline=None)
@given(case=interpolate_case(), seed=st.integers(0, 2 ** 16), single=st.booleans())
def test_interpolate_matches_torch_values_and_gradients(case, seed, single):
    torch = pytest.importorskip("torch")
    shape, kwargs = case
    rng = np.random.default_rng(seed)
    dtype = np.float32 if single else np.float64
    x = rng.standard_normal(shape).astype(dtype)
    ours, theirs = ag.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    out, want = F.interpolate(ours, **kwargs), torch.nn.functional.interpolate(theirs, **kwargs)
    tolerance = {"rtol": 1e-5, "atol": 1e-5} if single else {"rtol": 1e-12, "atol": 1e-13}
    assert out.shape == tuple(want.shape) and out.dtype == dtype
    np.testing.assert_allclose(out.data, want.detach().numpy(), **tolerance)
    cotangent = rng.standard_normal(out.shape).astype(dtype)
    out.backward(cotangent)
    want.backward(torch.tensor(cotangent))
    if _torch_backward_is_its_forward_s(shape, kwargs):
        np.testing.assert_allclose(ours.grad.data, theirs.grad.numpy(), **tolerance)
    else:  # ours is the adjoint of PyTorch's forward
        v = rng.standard_normal(shape)
        pushed = torch.nn.functional.interpolate(torch.tensor(v), **kwargs).numpy()
        assert np.sum(ours.grad.data * v) == pytest.approx(np.sum(cotangent * pushed), rel=1e-4, abs=1e-4)


def test_coordinates_rounded_once():  # (printed by torch 2.13: its kernels use a fused multiply-add)
    x = np.zeros((1, 1, 2))
    x[0, 0, 1] = 1e20  # the coordinate of entry 2 of 10 is 2.8e-17 rounded once, 0 when the product is rounded first
    assert F.interpolate(x, size=10, mode="linear").data[0, 0, 2] == pytest.approx(2775.5575615628914, rel=1e-12)
    x = np.zeros((1, 1, 2), np.float32)
    x[0, 0, 1] = 1e8
    assert F.interpolate(x, size=6, mode="linear").data[0, 0, 1] == pytest.approx(1.4901161, rel=1e-6)


def test_nearest_gradient_is_its_forward_s():  # (the gradient of what the forward computes, not PyTorch's)
    x = ag.tensor(np.arange(4.0).reshape(1, 1, 4), requires_grad=True)
    out = F.interpolate(x, scale_factor=1.1)
    assert out.tolist() == [[[0.0, 0.0, 1.0, 2.0]]]  # PyTorch's forward
    out.sum().backward()
    assert x.grad.tolist() == [[[2.0, 1.0, 1.0, 0.0]]]  # PyTorch's backward gives [[[1, 1, 1, 1]]]


@pytest.mark.parametrize("args, kwargs", [((), {"scale_factor": 2}), ((), {"size": (5, 3), "mode": "bilinear"}),
                                          ((), {"scale_factor": (1.5, 2), "mode": "bicubic", "align_corners": True}),
                                          ((3,), {"mode": "nearest-exact"})])
def test_upsample_layers_match_torch(args, kwargs):
    torch = pytest.importorskip("torch")
    x = np.random.default_rng(2).standard_normal((2, 3, 4, 5))
    ours, theirs = nn.Upsample(*args, **kwargs), torch.nn.Upsample(*args, **kwargs)
    assert repr(ours) == repr(theirs)
    np.testing.assert_allclose(ours(x).data, theirs(torch.tensor(x)).numpy(), rtol=1e-12, atol=1e-13)
    for name in ("UpsamplingNearest2d", "UpsamplingBilinear2d"):
        ours, theirs = getattr(nn, name)(size=(7, 3)), getattr(torch.nn, name)(size=(7, 3))
        assert repr(ours) == repr(theirs)
        np.testing.assert_allclose(ours(x).data, theirs(torch.tensor(x)).numpy(), rtol=1e-12, atol=1e-13)


@pytest.mark.parametrize("call", [  # (found by porting PyTorch's test_nn: plain ValueErrors, or NumPy's for 1e20)
    lambda F, t: F.interpolate(t(np.ones((1, 1, 16, 16))), scale_factor=-1e20, mode="bilinear"),
    lambda F, t: F.interpolate(t(np.ones((1, 1, 16, 16))), scale_factor=1e20, mode="bilinear"),
    lambda F, t: F.interpolate(t(np.ones((1, 1, 4))), scale_factor=float("inf")),
    lambda F, t: F.interpolate(t(np.ones((1, 1, 4))), size=-1),
    lambda F, t: F.interpolate(t(np.ones((1, 1, 4))), size=0),
    lambda F, t: F.interpolate(t(np.ones((1, 1, 4))), scale_factor=0.1, mode="linear"),
    lambda F, t: F.interpolate(t(np.ones((1, 1, 0))), size=2),
])
def test_size_errors_are_runtime_errors_as_torch_s(call):
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        call(torch.nn.functional, torch.tensor)
    with pytest.raises(RuntimeError, match="interpolate: ") as raised:
        call(F, ag.tensor)
    assert isinstance(raised.value, ValueError)


@pytest.mark.parametrize("mode", ["linear", "bilinear", "bicubic", "trilinear"])
@pytest.mark.parametrize("dtype", [np.int8, np.int32, np.int64])
def test_integer_input_to_an_interpolating_mode_is_a_runtime_error_as_torch_s(mode, dtype):
    # (found by porting PyTorch's test_nn test_upsamplingBiMode2d_nonsupported_dtypes: a plain TypeError was raised)
    torch = pytest.importorskip("torch")
    shape = (1, 2) + (4,) * _DIMS[mode]
    with pytest.raises(RuntimeError, match="not implemented for"):
        torch.nn.functional.interpolate(torch.ones(shape, dtype=getattr(torch, np.dtype(dtype).name)), 3, mode=mode)
    with pytest.raises(RuntimeError, match=f"interpolate: mode '{mode}' needs a float input") as raised:
        F.interpolate(ag.tensor(np.ones(shape, dtype)), 3, mode=mode)
    assert isinstance(raised.value, TypeError)
