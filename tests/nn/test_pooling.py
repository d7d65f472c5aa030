"""Unpooling and adaptive pooling (nn/_pooling_functions.py, nn/pooling.py): max_unpool1d/2d/3d and
adaptive_avg_pool1d/2d/3d, adaptive_max_pool1d/2d/3d, values, gradients and indices as PyTorch's over
Hypothesis-drawn shapes and sizes; the same against NumPy loops that follow PyTorch's kernels (these run without
torch); finite differences to second order; the layers' repr; sizes given as arrays; the errors."""
import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd_core as ag
import nn
import nn.functional as F
from autograd_core.testing import gradcheck, gradgradcheck


def _backward(out, leaves, cotangent):
    out.backward(cotangent)
    return [leaf.grad.data if isinstance(leaf, ag.Tensor) else leaf.grad.numpy() for leaf in leaves]


# ---- NumPy references ----------------------------------------------------------------------------------
def reference_unpool(x, indices, size):
    """PyTorch's loop: zeros, each plane's values written at their indices in order (the last write wins)."""
    dims = len(size)
    lead = x.shape[:-dims]
    out = np.zeros((math.prod(lead), math.prod(size)), x.dtype)
    for plane, (values, where) in enumerate(zip(x.reshape(len(out), -1), indices.reshape(len(out), -1))):
        for value, index in zip(values, where) if out.size else ():  # (an empty output: nothing written)
            out[plane, index] = value
    return out.reshape(lead + tuple(size))


def _bounds(n, m):
    return [(i * n // m, -(-(i + 1) * n // m)) for i in range(m)]


def reference_adaptive(x, sizes, kind):
    """PyTorch's windows [floor(i n / m), ceil((i + 1) n / m)) along each axis; the mean, or the first maximum (the
    last NaN) in row-major order and its flat index in the plane."""
    dims = len(sizes)
    shape = x.shape[-dims:]
    planes = x.reshape(-1, *shape)
    out, where = np.empty((len(planes), *sizes), x.dtype), np.empty((len(planes), *sizes), np.int64)
    for plane, window in itertools.product(range(len(planes)), np.ndindex(*sizes)):
        box = [_bounds(n, m)[o] for n, m, o in zip(shape, sizes, window)]
        if kind == "avg":
            out[(plane,) + window] = planes[plane][tuple(slice(a, b) for a, b in box)].mean()
            continue
        best, index = -np.inf, None
        for position in itertools.product(*(range(a, b) for a, b in box)):
            value = planes[plane][position]
            if index is None or value > best or np.isnan(value):
                best, index = value, int(np.ravel_multi_index(position, shape))
        out[(plane,) + window], where[(plane,) + window] = best, index
    out, where = out.reshape(x.shape[:-dims] + tuple(sizes)), where.reshape(x.shape[:-dims] + tuple(sizes))
    return out if kind == "avg" else (out, where)


def test_reference_adaptive_windows_are_torch_s():  # (printed by torch: windows of 5 entries pooled to 3 overlap)
    assert _bounds(5, 3) == [(0, 2), (1, 4), (3, 5)]
    out, where = reference_adaptive(np.array([[1.0, 5.0, 3.0, 2.0, 4.0]]), (3,), "max")
    assert out.tolist() == [[5.0, 5.0, 4.0]] and where.tolist() == [[1, 1, 4]]


@st.composite
def adaptive_case(draw, max_dims=3):
    """dims, the input's shape (batched or not; spatial sizes 1 to 7) and output_size (an int, or a tuple with
    Nones), sizes from 1 to 8, so windows both uniform (a divisor) and not, and more windows than entries."""
    dims = draw(st.integers(1, max_dims))
    spatial = tuple(draw(st.integers(1, 7 if dims < 3 else 5)) for _ in range(dims))
    shape = draw(st.sampled_from([(2,), (2, 1), (1, 3)])) + spatial
    sizes = tuple(draw(st.sampled_from([None, 1, 2, 3, n, max(1, n // 2), 8 if dims < 3 else 4])) for n in spatial)
    output_size = sizes[0] if len(set(sizes)) == 1 and sizes[0] is not None and draw(st.booleans()) else sizes
    return dims, shape, output_size, tuple(n if m is None else m for n, m in zip(spatial, sizes))


# ---- against the NumPy references (no torch needed) ----------------------------------------------------
@settings(max_examples=25, deadline=None)
@given(case=adaptive_case(), seed=st.integers(0, 2 ** 16), ties=st.booleans())
def test_adaptive_pooling_matches_numpy_loops(case, seed, ties):
    dims, shape, output_size, sizes = case
    rng = np.random.default_rng(seed)
    x = rng.integers(-2, 3, shape).astype(float) if ties else rng.standard_normal(shape)
    if ties:
        x[rng.random(shape) < 0.1] = np.nan
    avg = getattr(F, f"adaptive_avg_pool{dims}d")(x, output_size)
    np.testing.assert_allclose(avg.data, reference_adaptive(x, sizes, "avg"), rtol=1e-12, atol=1e-14)
    out, indices = getattr(F, f"adaptive_max_pool{dims}d")(x, output_size, return_indices=True)
    want, want_indices = reference_adaptive(x, sizes, "max")
    np.testing.assert_array_equal(out.data, want)
    np.testing.assert_array_equal(indices.data, want_indices)
    assert indices.dtype == np.int64 and avg.shape == out.shape == shape[:-dims] + sizes


@settings(max_examples=25, deadline=None)
@given(case=adaptive_case(), seed=st.integers(0, 2 ** 16))
def test_adaptive_max_pool_sends_each_gradient_to_its_index(case, seed):
    dims, shape, output_size, _ = case
    rng = np.random.default_rng(seed)
    x = ag.tensor(rng.integers(-2, 3, shape).astype(float), requires_grad=True)  # ties: the first maximum's
    out, indices = getattr(F, f"adaptive_max_pool{dims}d")(x, output_size, return_indices=True)
    cotangent = rng.standard_normal(out.shape)
    plane = math.prod(shape[-dims:])
    starts = np.arange(math.prod(shape[:-dims])).reshape(shape[:-dims] + (1,) * dims) * plane
    want = np.zeros(x.size)
    np.add.at(want, (starts + indices.data).ravel(), cotangent.ravel())
    np.testing.assert_allclose(_backward(out, [x], cotangent)[0], want.reshape(shape), rtol=1e-12, atol=1e-12)


@st.composite
def unpool_case(draw):
    """dims, the pooled input's shape and the pooling settings (kernel, stride, padding), and an output_size or
    None: the input's own size (within a stride of the default), or the whole shape."""
    dims = draw(st.integers(1, 3))
    kernel = tuple(draw(st.integers(1, 3)) for _ in range(dims))
    stride = tuple(draw(st.integers(1, 3)) for _ in range(dims))
    padding = tuple(draw(st.integers(0, k // 2)) for k in kernel)
    spatial = tuple(max(1, k - 2 * p) + draw(st.integers(0, 3)) for k, p in zip(kernel, padding))
    shape = draw(st.sampled_from([(2,), (1, 2)])) + spatial
    return dims, shape, kernel, stride, padding, draw(st.sampled_from(["none", "spatial", "whole"]))


def _unpool_size(pooled, kernel, stride, padding):
    return tuple((n - 1) * s - 2 * p + k for n, k, s, p in zip(pooled, kernel, stride, padding))


def _pool_and_sizes(x, dims, kernel, stride, padding, which):
    out, indices = getattr(F, f"max_pool{dims}d")(x, kernel, stride, padding, return_indices=True)
    default = _unpool_size(out.shape[-dims:], kernel, stride, padding)
    fits = all(d - s < n < d + s for n, d, s in zip(x.shape[-dims:], default, stride))
    if which == "none" or not fits:
        return out, indices, None, default
    return out, indices, (x.shape[-dims:] if which == "spatial" else (1, 1) + x.shape[-dims:]), x.shape[-dims:]


@settings(max_examples=25, deadline=None)
@given(case=unpool_case(), seed=st.integers(0, 2 ** 16))
def test_max_unpool_matches_a_numpy_loop_and_its_gradient_picks_at_the_indices(case, seed):
    dims, shape, kernel, stride, padding, which = case
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape)
    out, indices, output_size, size = _pool_and_sizes(x, dims, kernel, stride, padding, which)
    values = ag.tensor(out.data, requires_grad=True)
    if 0 < math.prod(size) <= indices.data.max():  # (the default size may be smaller than the input: PyTorch raises)
        with pytest.raises(ValueError, match=f"max_unpool{dims}d: Found an invalid max index"):
            getattr(F, f"max_unpool{dims}d")(values, indices, kernel, stride, padding, output_size)
        return
    unpooled = getattr(F, f"max_unpool{dims}d")(values, indices, kernel, stride, padding, output_size)
    np.testing.assert_array_equal(unpooled.data, reference_unpool(out.data, indices.data, size))
    if not unpooled.size:
        return
    # Its gradient: g at each value's index, where that value is the one written there (the last of equal indices)
    cotangent = rng.standard_normal(unpooled.shape)
    kept = _kept(indices.data, size)
    flat = cotangent.reshape(-1, math.prod(size))
    picked = np.take_along_axis(flat, indices.data.reshape(len(flat), -1), axis=1).reshape(out.shape)
    np.testing.assert_allclose(_backward(unpooled, [values], cotangent)[0], np.where(kept, picked, 0), rtol=1e-12)


def _kept(indices, size):
    """Where the value is the one its index keeps (the last of those sharing it): the entries that get a gradient."""
    ids = np.arange(1, indices.size + 1).reshape(indices.shape)  # (0: no value written there)
    return np.isin(ids, reference_unpool(ids, indices, size))


def test_max_unpool_keeps_the_last_of_equal_indices_and_only_it_gets_a_gradient():
    values = ag.tensor([[[1.0, 2.0, 3.0]]], requires_grad=True)
    out = F.max_unpool1d(values, np.array([[[1, 1, 0]]]), 2)
    np.testing.assert_array_equal(out.data, [[[3.0, 2.0, 0.0, 0.0, 0.0, 0.0]]])  # as PyTorch's
    out.backward(np.arange(10.0, 16.0).reshape(1, 1, 6))
    np.testing.assert_array_equal(values.grad.data, [[[0.0, 11.0, 10.0]]])  # (PyTorch's: [11, 11, 10])


def test_unpooling_and_adaptive_pooling_second_derivatives_match_finite_differences():
    rng = np.random.default_rng(0)
    x = rng.permutation(2 * 5 * 7).reshape(2, 5, 7) / 10.0 - 3.0  # distinct: no tie at the kinks
    _, indices = F.max_pool2d(x, 2, stride=(1, 2), padding=1, return_indices=True)

    def unpool(v):
        return ag.sin(F.max_unpool2d(v, indices, 2, stride=(1, 2), padding=1, output_size=(5, 7)) * 3)

    assert gradcheck(unpool, rng.standard_normal(indices.shape), atol=1e-7, rtol=1e-6)
    assert gradgradcheck(unpool, rng.standard_normal(indices.shape), atol=1e-7, rtol=1e-6)
    for size in [(3, 4), (5, 7), (1, 7), (4, None)]:  # general windows, one per entry, uniform ones, None kept

        def adaptive(x):
            return ag.sin(F.adaptive_avg_pool2d(x, size) * F.adaptive_max_pool2d(x, size))

        assert gradcheck(adaptive, x, atol=1e-7, rtol=1e-6)
        assert gradgradcheck(adaptive, x, atol=1e-7, rtol=1e-6)


def test_float32_stays_float32_and_integers_pool_as_max_pool():
    x = ag.tensor(np.arange(30.0).reshape(1, 5, 6), dtype=np.float32, requires_grad=True)
    results = [F.adaptive_avg_pool2d(x, (2, 4)), F.adaptive_avg_pool2d(x, 1), F.adaptive_max_pool2d(x, (3, 4)),
               F.max_unpool2d(*F.max_pool2d(x, 2, return_indices=True), 2)]
    assert all(y.dtype == np.float32 for y in results)
    sum(y.sum() for y in results).backward()
    assert x.grad.dtype == np.float32
    out, indices = F.adaptive_max_pool1d(np.array([[3, 9, 1, 4, 4]], dtype=np.uint8), 3, return_indices=True)
    assert out.dtype == np.uint8 and out.tolist() == [[9, 9, 4]] and indices.tolist() == [[1, 1, 3]]


def test_empty_output_sizes_give_empty_outputs_as_torch():
    out, indices = F.max_pool1d(np.ones((2, 1)), 2, 2, 1, return_indices=True)
    assert F.max_unpool1d(out, indices, 2, 2, 1).shape == (2, 0)  # (no index is checked: none is written)
    x = np.ones((2, 3, 4))
    assert F.adaptive_avg_pool2d(x, (0, 2)).shape == (2, 0, 2)
    out, indices = F.adaptive_max_pool2d(x, (3, 0), return_indices=True)
    assert out.shape == indices.shape == (2, 3, 0)


# ---- against PyTorch -----------------------------------------------------------------------------------
@settings(max_examples=30, deadline=None)
@given(case=adaptive_case(), seed=st.integers(0, 2 ** 16))
def test_adaptive_pooling_matches_torch_values_indices_and_gradients(case, seed):
    torch = pytest.importorskip("torch")
    dims, shape, output_size, sizes = case
    rng = np.random.default_rng(seed)
    values = rng.standard_normal(shape)
    theirs_size = sizes if dims == 1 else output_size  # (PyTorch's 1-D functions take no None)
    for kind in ("avg", "max"):
        ours, theirs = ag.tensor(values, requires_grad=True), torch.tensor(values, requires_grad=True)
        name = f"adaptive_{kind}_pool{dims}d"
        if kind == "max":
            (out, indices), (want, want_indices) = (getattr(F, name)(ours, output_size, True),
                                                    getattr(torch.nn.functional, name)(theirs, theirs_size, True))
            np.testing.assert_array_equal(indices.data, want_indices.numpy())
        else:
            out, want = getattr(F, name)(ours, output_size), getattr(torch.nn.functional, name)(theirs, theirs_size)
        np.testing.assert_allclose(out.data, want.detach().numpy(), rtol=1e-12, atol=1e-14)
        cotangent = rng.standard_normal(out.shape)
        np.testing.assert_allclose(_backward(out, [ours], cotangent)[0],
                                   _backward(want, [theirs], torch.tensor(cotangent))[0], rtol=1e-12, atol=1e-14)


@settings(max_examples=30, deadline=None)
@given(case=unpool_case(), seed=st.integers(0, 2 ** 16))
def test_max_unpool_matches_torch_values_and_gradients(case, seed):
    torch = pytest.importorskip("torch")
    dims, shape, kernel, stride, padding, which = case
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape)
    out, indices, output_size, size = _pool_and_sizes(x, dims, kernel, stride, padding, which)
    ours, theirs = ag.tensor(out.data, requires_grad=True), torch.tensor(out.data, requires_grad=True)
    name = f"max_unpool{dims}d"
    try:
        want = getattr(torch.nn.functional, name)(theirs, torch.tensor(indices.data), kernel, stride, padding,
                                                  output_size)
    except RuntimeError:  # an index past the default size
        with pytest.raises(ValueError, match=f"{name}: Found an invalid max index"):
            getattr(F, name)(ours, indices, kernel, stride, padding, output_size)
        return
    got = getattr(F, name)(ours, indices, kernel, stride, padding, output_size)
    np.testing.assert_array_equal(got.data, want.detach().numpy())
    cotangent = rng.standard_normal(got.shape)
    if not got.size:  # (an empty output: PyTorch's backward raises, gathering at the indices from nothing)
        np.testing.assert_array_equal(_backward(got, [ours], cotangent)[0], np.zeros(out.shape))
        return
    # (Overlapping windows may share a maximum, so an index: PyTorch's gradient then goes to each of them, ours
    # to the one whose value was kept, the last)
    theirs_grad = _backward(want, [theirs], torch.tensor(cotangent))[0]
    np.testing.assert_array_equal(_backward(got, [ours], cotangent)[0], np.where(_kept(indices.data, size),
                                                                                 theirs_grad, 0))


@pytest.mark.parametrize("name, args, kwargs, shape", [
    ("MaxUnpool1d", (2,), {}, (2, 3, 8)),
    ("MaxUnpool1d", (3,), {"stride": 2, "padding": 1}, (3, 9)),
    ("MaxUnpool2d", ((2, 3),), {"stride": 1}, (2, 3, 6, 7)),
    ("MaxUnpool3d", (2,), {"padding": 1}, (2, 2, 4, 4, 6)),
    ("AdaptiveAvgPool1d", (3,), {}, (2, 3, 8)),
    ("AdaptiveAvgPool2d", ((None, 3),), {}, (2, 3, 5, 7)),
    ("AdaptiveAvgPool2d", (4,), {}, (3, 5, 8)),
    ("AdaptiveAvgPool3d", ((2, 1, 3),), {}, (2, 2, 4, 5, 7)),
    ("AdaptiveMaxPool1d", (3,), {"return_indices": True}, (2, 3, 8)),
    ("AdaptiveMaxPool2d", ((3, None),), {}, (2, 3, 5, 7)),
    ("AdaptiveMaxPool3d", (2,), {"return_indices": True}, (2, 5, 4, 3)),
])
def test_layers_repr_and_outputs_are_torchs(name, args, kwargs, shape):
    torch = pytest.importorskip("torch")
    ours, theirs = getattr(nn, name)(*args, **kwargs), getattr(torch.nn, name)(*args, **kwargs)
    assert repr(ours) == repr(theirs)
    x = np.random.default_rng(0).standard_normal(shape)
    if name.startswith("MaxUnpool"):
        dims = int(name[-2])
        pooled, indices = torch.nn.functional.__dict__[f"max_pool{dims}d"](
            torch.tensor(x), *args, **kwargs, return_indices=True)
        got, want = ours(pooled.numpy(), indices.numpy()), theirs(pooled, indices)
        got_sized = ours(pooled.numpy(), indices.numpy(), output_size=x.shape[-dims:])
        np.testing.assert_array_equal(got_sized.data, theirs(pooled, indices, output_size=x.shape[-dims:]).numpy())
    else:
        got, want = ours(x), theirs(torch.tensor(x))
    if kwargs.get("return_indices"):
        np.testing.assert_array_equal(got[1].data, want[1].numpy())
        got, want = got[0], want[0]
    np.testing.assert_allclose(got.data, want.numpy(), rtol=1e-12, atol=1e-14)


def test_a_network_with_adaptive_pooling_takes_any_input_size():
    model = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1, rng=0), nn.ReLU(), nn.AdaptiveAvgPool2d((2, 2)),
                          nn.Flatten(), nn.Linear(16, 3, rng=0))
    for size in [(5, 7), (8, 8), (3, 11)]:
        x = np.random.default_rng(0).standard_normal((2, 1) + size).astype(np.float32)
        loss = model(x).sum()
        loss.backward()
        assert model[0].weight.grad.shape == (4, 1, 3, 3)


# ---- settings given as arrays, as PyTorch takes them -----------------------------------------------------------
@pytest.mark.parametrize("kind", ["avg", "max"])
@pytest.mark.parametrize("dims", [1, 2, 3])
def test_output_size_may_be_an_array_of_sizes(kind, dims):
    """An array of sizes (np.array(x.shape[-2:]) // 2, say) is taken as the tuple it holds, as PyTorch takes it (it
    was refused as no int)."""
    x = ag.tensor(np.random.default_rng(0).random((1, 2) + (6,) * dims))
    sizes = np.array([3, 2, 4][:dims])
    function = getattr(F, f"adaptive_{kind}_pool{dims}d")
    expected = function(x, tuple(int(n) for n in sizes))
    assert np.array_equal(function(x, sizes).data, expected.data)
    layer = getattr(nn, f"Adaptive{kind.capitalize()}Pool{dims}d")(sizes)
    assert np.array_equal(layer(x).data, expected.data)


def test_an_array_with_none_keeps_that_axis():
    x = ag.tensor(np.ones((1, 2, 7, 5)))
    assert F.adaptive_avg_pool2d(x, np.array([3, None], dtype=object)).shape == (1, 2, 3, 5)


@pytest.mark.parametrize("output_size, error", [(np.array([3]), ValueError), (np.array([[3, 3]]), TypeError),
                                                (np.array([3.0, 3.0]), TypeError)])
def test_arrays_of_the_wrong_length_or_kind_are_still_refused(output_size, error):
    with pytest.raises(error, match="adaptive_avg_pool2d: output_size must be an int or a tuple of 2"):
        F.adaptive_avg_pool2d(ag.tensor(np.ones((1, 2, 7, 5))), output_size)


def test_adaptive_max_pool_output_size_array_as_torch():
    torch = pytest.importorskip("torch")
    x = np.random.default_rng(1).random((1, 2, 7, 5))
    expected = torch.nn.functional.adaptive_max_pool2d(torch.tensor(x), np.array([3, 2])).numpy()
    assert np.array_equal(F.adaptive_max_pool2d(ag.tensor(x), np.array([3, 2])).data, expected)


def test_unpooling_layers_take_arrays_of_sizes():
    # (as PyTorch's layers, whose _ntuple iterates the array)
    unpool = nn.MaxUnpool2d(np.array([2, 2]), stride=np.array([2, 1]), padding=np.array([0, 1]))
    assert (unpool.kernel_size, unpool.stride, unpool.padding) == ((2, 2), (2, 1), (0, 1))
    out, indices = F.max_pool2d(np.arange(16.0).reshape(1, 4, 4), 2, return_indices=True)
    assert nn.MaxUnpool2d(np.array([2, 2]))(out, indices).shape == (1, 4, 4)


# ---- errors --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("call, error, message", [
    (lambda: F.max_unpool2d(np.ones((1, 1, 2, 2)), np.full((1, 1, 2, 2), 16), 2), ValueError,
     r"max_unpool2d: Found an invalid max index: 16 \(output volumes are of size 4x4\), so an index must be in "
     r"\[0, 16\)"),
    (lambda: F.max_unpool1d(np.ones((1, 2)), np.array([[0, -1]]), 2), ValueError,
     r"max_unpool1d: Found an invalid max index: -1"),
    (lambda: F.max_unpool2d(np.ones((1, 1, 2, 2)), np.zeros((1, 1, 2, 2)), 2), TypeError,
     r"max_unpool2d: indices must be integers \(as max_pool2d\(..., return_indices=True\) gives\), got dtype "
     r"float64"),
    (lambda: F.max_unpool2d(np.ones((1, 1, 2, 2)), np.zeros((1, 1, 2, 1), int), 2), ValueError,
     r"max_unpool2d: indices \(shape \(1, 1, 2, 1\)\) must have the input's shape \(1, 1, 2, 2\)"),
    (lambda: F.max_unpool2d(np.ones((1, 1, 2, 2)), np.zeros((1, 1, 2, 2), int), 2, output_size=(6, 6)), ValueError,
     r"max_unpool2d: output_size \(6, 6\) is invalid: along spatial axis 0 it must be between 2 and 6, exclusive "
     r"\(within a stride of the default 4\)"),
    (lambda: F.max_unpool2d(np.ones((1, 1, 2, 2)), np.zeros((1, 1, 2, 2), int), 2, output_size=(3, 2)), ValueError,
     r"max_unpool2d: output_size \(3, 2\) is invalid: along spatial axis 1 it must be between 2 and 6, exclusive"),
    (lambda: F.max_unpool2d(np.ones((1, 1, 2, 2)), np.zeros((1, 1, 2, 2), int), 2, output_size=(1, 4, 4)),
     ValueError, r"max_unpool2d: output_size must hold 2 or 4 sizes \(the spatial ones, or the whole shape\), got "
                 r"\(1, 4, 4\)"),
    (lambda: F.max_unpool2d(np.ones((1, 1, 2, 2)), np.zeros((1, 1, 2, 2), int), 2, output_size=4), TypeError,
     "max_unpool2d: output_size must be a sequence of 2 or 4 ints, got 4"),
    (lambda: F.max_unpool2d(np.ones((2, 2)), np.zeros((2, 2), int), 2), ValueError,
     r"max_unpool2d: expected a 3-D or 4-D input, \(N, C, H, W\) or \(C, H, W\), got shape \(2, 2\)"),
    (lambda: F.max_unpool3d(np.ones((1, 1, 1, 1)), np.zeros((1, 1, 1, 1), int), (2, 2)), ValueError,
     r"max_unpool3d: kernel_size must be an int or a tuple of 3 ints, got \(2, 2\)"),
    (lambda: F.adaptive_avg_pool2d(np.ones((1, 4, 4)), (2, 3, 4)), ValueError,
     r"adaptive_avg_pool2d: output_size must be an int or a tuple of 2 \(each an int or None\), got \(2, 3, 4\)"),
    (lambda: F.adaptive_max_pool2d(np.ones((1, 4, 4)), (-1, 2)), ValueError,
     r"adaptive_max_pool2d: the sizes in output_size must be at least 0, got \(-1, 2\)"),
    (lambda: F.adaptive_avg_pool1d(np.ones((1, 4)), 1.5), TypeError,
     r"adaptive_avg_pool1d: output_size must be an int or a tuple of 1 \(each an int or None\), got 1.5"),
    (lambda: F.adaptive_avg_pool1d(np.ones((1, 4)), True), TypeError, "adaptive_avg_pool1d: output_size must be"),
    (lambda: F.adaptive_avg_pool2d(np.ones((1, 0, 3)), 2), ValueError,
     r"adaptive_avg_pool2d: the input \(shape \(1, 0, 3\)\) is empty along a spatial axis"),
    (lambda: F.adaptive_avg_pool2d(np.ones((3, 3)), 2), ValueError,
     r"adaptive_avg_pool2d: expected a 3-D or 4-D input, \(N, C, H, W\) or \(C, H, W\), got shape \(3, 3\)"),
    (lambda: F.adaptive_avg_pool1d(np.ones((1, 4), int), 3), TypeError,
     "adaptive_avg_pool1d: expected a float input, got int64"),
    (lambda: F.adaptive_max_pool1d(np.ones((1, 4), bool), 3), TypeError,
     "adaptive_max_pool1d: expected an input of a float or integer dtype, got bool"),
    (lambda: F.adaptive_max_pool1d(np.ones((1, 4)), 3, return_indices="yes"), TypeError,
     "adaptive_max_pool1d: return_indices must be True or False, got 'yes'"),
    (lambda: nn.AdaptiveAvgPool2d((1, 2, 3)), ValueError, "AdaptiveAvgPool2d: output_size must be an int or a tuple"),
    (lambda: nn.AdaptiveMaxPool1d(2, return_indices=2), TypeError, "AdaptiveMaxPool1d: return_indices must be"),
    (lambda: nn.MaxUnpool2d(0), ValueError, "MaxUnpool2d: kernel_size must be"),
    (lambda: nn.MaxUnpool1d(2, padding=-1), ValueError, "MaxUnpool1d: padding must be"),
])
def test_errors_name_the_operation_and_the_numbers(call, error, message):
    with pytest.raises(error, match=message):
        call()
