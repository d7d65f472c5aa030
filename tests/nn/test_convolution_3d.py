"""3-D convolution and pooling (conv3d, max_pool3d, avg_pool3d and their layers) and max pooling's return_indices in
1, 2 and 3 dimensions: values, gradients and indices as PyTorch's over Hypothesis-drawn shapes and settings; the same
against NumPy loops that follow PyTorch's CPU kernels (these run without torch); finite differences to second order;
the layers' parameters, repr and state dict; the errors."""
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

pytestmark = pytest.mark.filterwarnings("ignore:Using padding='same':UserWarning")


def _backward(out, leaves, cotangent):
    out.backward(cotangent)
    return [leaf.grad.data if isinstance(leaf, ag.Tensor) else leaf.grad.numpy() for leaf in leaves]


# ---- NumPy references: loops as PyTorch's CPU kernels run them --------------------------------------
def _pool_counts(shape, kernel, stride, padding, dilation, ceil_mode):
    counts = []
    for n, k, s, p, d in zip(shape, kernel, stride, padding, dilation):
        room = n + 2 * p - d * (k - 1) - 1
        count = (-(-room // s) if ceil_mode else room // s) + 1
        counts.append(count - 1 if ceil_mode and (count - 1) * s >= n + p else count)
    return counts


def reference_max_pool(x, kernel, stride, padding, dilation, ceil_mode=False):
    """PyTorch's loop: from the window's first position in the input (its default index), keep an entry greater
    than the maximum so far (starting at -inf, or the integers' lowest), or NaN."""
    dims = len(kernel)
    shape = x.shape[-dims:]
    counts = _pool_counts(shape, kernel, stride, padding, dilation, ceil_mode)
    lowest = -np.inf if x.dtype.kind == "f" else np.iinfo(x.dtype).min
    planes = x.reshape(-1, *shape)
    values, indices = np.empty((len(planes), *counts), x.dtype), np.empty((len(planes), *counts), np.int64)
    for plane, window in itertools.product(range(len(planes)), np.ndindex(*counts)):
        starts = [o * s - p for o, s, p in zip(window, stride, padding)]
        firsts = [st % d if st < 0 else st for st, d in zip(starts, dilation)]
        axes = [[st + j * d for j in range(k) if 0 <= st + j * d < n]
                for st, k, d, n in zip(starts, kernel, dilation, shape)]
        best, where = lowest, sum(f * math.prod(shape[a + 1:]) for a, f in enumerate(firsts))  # (past an end too)
        for position in itertools.product(*axes):
            value = planes[plane][position]
            if value > best or np.isnan(value):
                best, where = value, int(np.ravel_multi_index(position, shape))
        values[(plane,) + window], indices[(plane,) + window] = best, where
    return values.reshape(x.shape[:-dims] + tuple(counts)), indices.reshape(x.shape[:-dims] + tuple(counts))


def reference_avg_pool(x, kernel, stride, padding, ceil_mode, count_include_pad, divisor_override=None):
    """PyTorch's loop: the window clipped to the padded input (its size the count with count_include_pad), then to
    the input (its size the count without)."""
    dims = len(kernel)
    shape = x.shape[-dims:]
    counts = _pool_counts(shape, kernel, stride, padding, (1,) * dims, ceil_mode)
    planes = x.reshape(-1, *shape)
    out = np.empty((len(planes), *counts))
    for plane, window in itertools.product(range(len(planes)), np.ndindex(*counts)):
        starts = [o * s - p for o, s, p in zip(window, stride, padding)]
        ends = [min(st + k, n + p) for st, k, n, p in zip(starts, kernel, shape, padding)]
        padded_size = math.prod(e - st for st, e in zip(starts, ends))
        inside = tuple(slice(max(st, 0), min(e, n)) for st, e, n in zip(starts, ends, shape))
        total = planes[plane][inside].sum()
        divisor = divisor_override or (padded_size if count_include_pad else planes[plane][inside].size)
        out[(plane,) + window] = total / divisor
    return out.reshape(x.shape[:-dims] + tuple(counts))


def reference_conv(x, w, b, stride, padding, dilation, groups):
    """A loop over the output's entries: the dot product of each (dilated) window of the zero-padded input with the
    weight of its group."""
    dims = w.ndim - 2
    x = np.pad(x, ((0, 0), (0, 0)) + tuple((p, p) for p in padding))
    per_group, out_per_group = w.shape[1], w.shape[0] // groups
    counts = [(n - d * (k - 1) - 1) // s + 1 for n, k, s, d in zip(x.shape[2:], w.shape[2:], stride, dilation)]
    out = np.zeros((x.shape[0], w.shape[0], *counts))
    for n, f, window in itertools.product(range(x.shape[0]), range(w.shape[0]), np.ndindex(*counts)):
        g = f // out_per_group
        patch = x[(n, slice(g * per_group, (g + 1) * per_group))
                  + tuple(slice(o * s, o * s + d * (k - 1) + 1, d)
                          for o, s, d, k in zip(window, stride, dilation, w.shape[2:]))]
        out[(n, f) + window] = (patch * w[f]).sum() + (b[f] if b is not None else 0)
    return out


def test_reference_max_pool_is_torch_s_on_a_known_case():  # (what the references stand on, checked once by hand)
    x = np.array([[[-np.inf, -np.inf, 1.0]]])
    values, indices = reference_max_pool(x, (3,), (1,), (1,), (1,))
    assert values.tolist() == [[[-np.inf, 1.0, 1.0]]] and indices.tolist() == [[[0, 2, 2]]]  # torch's, printed


# ---- against the NumPy references (no torch needed) ----------------------------------------------------
@st.composite
def pool3d_case(draw, kind):
    kernel = tuple(draw(st.integers(1, 3)) for _ in range(3))
    stride = tuple(draw(st.integers(1, 2)) for _ in range(3))
    padding = tuple(draw(st.integers(0, k // 2)) for k in kernel)
    dilation = tuple(draw(st.integers(1, 2)) for _ in range(3)) if kind == "max" else (1, 1, 1)
    spans = [d * (k - 1) + 1 for k, d in zip(kernel, dilation)]
    size = tuple(max(1, span - 2 * p) + draw(st.integers(0, 2)) for span, p in zip(spans, padding))
    shape = draw(st.sampled_from([(2,), (1, 2)])) + size
    return shape, kernel, stride, padding, dilation, draw(st.booleans())


def _distinct_values(rng, shape):
    """Distinct values, most negative (below the -inf padding of max pooling, not its 0): no window holds a tie."""
    size = math.prod(shape)
    return (rng.permutation(size).reshape(shape) - 0.8 * size) / 7.0


@settings(max_examples=15, deadline=None)
@given(case=pool3d_case("max"), seed=st.integers(0, 2 ** 16))
def test_max_pool3d_values_indices_and_gradient_match_a_numpy_loop(case, seed):
    shape, kernel, stride, padding, dilation, ceil_mode = case
    rng = np.random.default_rng(seed)
    x = ag.tensor(_distinct_values(rng, shape), requires_grad=True)
    if not all(c >= 1 for c in _pool_counts(shape[-3:], kernel, stride, padding, dilation, ceil_mode)):
        return
    out, indices = F.max_pool3d(x, kernel, stride, padding, dilation, ceil_mode, return_indices=True)
    values, expected = reference_max_pool(x.data, kernel, stride, padding, dilation, ceil_mode)
    np.testing.assert_array_equal(out.data, values)
    np.testing.assert_array_equal(indices.data, expected)
    assert indices.dtype == np.int64 and not indices.requires_grad
    if np.isfinite(values).all():  # each window's gradient goes to its maximum, at its index
        cotangent = rng.standard_normal(out.shape)
        want = np.zeros(math.prod(shape[:-3]) * math.prod(shape[-3:]))
        planes = np.arange(math.prod(shape[:-3])).reshape(shape[:-3] + (1, 1, 1)) * math.prod(shape[-3:])
        np.add.at(want, (planes + expected).ravel(), cotangent.ravel())
        np.testing.assert_allclose(_backward(out, [x], cotangent)[0], want.reshape(shape), rtol=1e-12, atol=1e-12)


@settings(max_examples=15, deadline=None)
@given(case=pool3d_case("avg"), count_include_pad=st.booleans(), divisor=st.sampled_from([None, 3]),
       seed=st.integers(0, 2 ** 16))
def test_avg_pool3d_matches_a_numpy_loop(case, count_include_pad, divisor, seed):
    shape, kernel, stride, padding, _, ceil_mode = case
    x = np.random.default_rng(seed).standard_normal(shape)
    if any(n < k for n, k in zip(shape[-3:], kernel)):  # (PyTorch's avg_pool3d refuses it, padding or not)
        with pytest.raises(ValueError, match="avg_pool3d: the input's spatial size"):
            F.avg_pool3d(x, kernel, stride, padding, ceil_mode, count_include_pad, divisor)
        return
    if not all(c >= 1 for c in _pool_counts(shape[-3:], kernel, stride, padding, (1, 1, 1), ceil_mode)):
        return
    out = F.avg_pool3d(x, kernel, stride, padding, ceil_mode, count_include_pad, divisor)
    np.testing.assert_allclose(out.data, reference_avg_pool(x, kernel, stride, padding, ceil_mode, count_include_pad,
                                                            divisor), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("dims", [1, 2])
@settings(max_examples=15, deadline=None)
@given(data=st.data())
def test_max_pool_indices_match_a_numpy_loop_at_ties_nans_and_minus_inf(dims, data):
    shape = (2, 2) + tuple(data.draw(st.integers(1, 6)) for _ in range(dims))
    kernel = tuple(data.draw(st.integers(1, 3)) for _ in range(dims))
    padding = tuple(data.draw(st.integers(0, k // 2)) for k in kernel)
    dilation = tuple(data.draw(st.integers(1, 2)) for _ in range(dims))
    stride = tuple(data.draw(st.integers(1, 3)) for _ in range(dims))
    ceil_mode = data.draw(st.booleans())
    if not all(c >= 1 for c in _pool_counts(shape[2:], kernel, stride, padding, dilation, ceil_mode)):
        return
    rng = np.random.default_rng(data.draw(st.integers(0, 2 ** 16)))
    x = rng.choice(np.array([-np.inf, -1.0, 0.0, 2.0, np.nan]), shape, p=[0.3, 0.2, 0.2, 0.2, 0.1])
    out, indices = getattr(F, f"max_pool{dims}d")(x, kernel, stride, padding, dilation, ceil_mode, True)
    values, expected = reference_max_pool(x, kernel, stride, padding, dilation, ceil_mode)
    np.testing.assert_array_equal(out.data, values)
    np.testing.assert_array_equal(indices.data, expected)


def test_max_pool_index_of_a_window_of_minus_inf_starts_past_a_wide_padding_as_torch():
    # A window starting two entries into the padding: PyTorch's loop steps past it by the dilation, to index 0
    out, indices = F.max_pool1d(np.full((1, 1, 3), -np.inf), 5, stride=1, padding=2, return_indices=True)
    assert indices.tolist() == [[[0, 0, 0]]]  # (printed by torch)
    out, indices = F.max_pool2d(np.full((1, 1, 2, 3), -np.inf), (4, 5), stride=(1, 3), padding=2, ceil_mode=True,
                                return_indices=True)
    assert indices.tolist() == [[[[0, 1], [0, 1], [0, 1]]]]  # (printed by torch)
    x = np.full((2, 3, 4), -np.inf)
    x[0, 1, 2] = np.nan
    for settings_ in [((4, 5), (1, 2), (2, 2), (1, 1)), ((3, 4), (2, 3), (1, 2), (2, 1)), ((5, 3), 1, (2, 1), (1, 2))]:
        kernel, stride, padding, dilation = (tuple(v) if isinstance(v, tuple) else (v, v) for v in settings_)
        _, indices = F.max_pool2d(x, kernel, stride, padding, dilation, return_indices=True)
        np.testing.assert_array_equal(indices.data, reference_max_pool(x, kernel, stride, padding, dilation)[1])


@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.uint8])
def test_max_pool_indices_of_integers_match_the_loop(dtype):
    info = np.iinfo(dtype)
    x = np.array([[[info.min, info.min, 5, info.min, info.max, 3, info.min]]], dtype=dtype)
    for kernel, stride, padding, dilation, ceil_mode in [(2, 1, 1, 1, False), (3, 3, 1, 1, True), (2, 2, 1, 2, False)]:
        out, indices = F.max_pool1d(x, kernel, stride, padding, dilation, ceil_mode, return_indices=True)
        values, expected = reference_max_pool(x, (kernel,), (stride,), (padding,), (dilation,), ceil_mode)
        assert out.dtype == dtype
        np.testing.assert_array_equal(out.data, values)
        np.testing.assert_array_equal(indices.data, expected)


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 2 ** 16), groups=st.integers(1, 2), padding=st.integers(0, 1), stride=st.integers(1, 2),
       dilation=st.integers(1, 2), with_bias=st.booleans())
def test_conv3d_matches_a_numpy_loop(seed, groups, padding, stride, dilation, with_bias):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((2, 2 * groups, 4, 5, 4))
    w = rng.standard_normal((2 * groups, 2, 2, 1, 2))
    b = rng.standard_normal(2 * groups) if with_bias else None
    out = F.conv3d(x, w, b, stride, padding, dilation, groups)
    np.testing.assert_allclose(out.data, reference_conv(x, w, b, (stride,) * 3, (padding,) * 3, (dilation,) * 3,
                                                        groups), rtol=1e-12, atol=1e-12)


def test_conv3d_and_pool3d_gradients_and_second_derivatives_match_finite_differences():
    rng = np.random.default_rng(0)
    x, w, b = rng.standard_normal((1, 4, 3, 4, 3)), rng.standard_normal((2, 2, 2, 2, 1)), rng.standard_normal(2)

    def conv(x, w, b):  # a nonlinearity after: its cotangent depends on the inputs
        return ag.sin(F.conv3d(x, w, b, stride=(1, 2, 1), padding=(1, 0, 1), dilation=(2, 1, 1), groups=2))

    assert gradcheck(conv, x, w, b, atol=1e-7, rtol=1e-6)
    assert gradgradcheck(conv, x, w, b, atol=1e-7, rtol=1e-6)
    values = _distinct_values(rng, (2, 3, 4, 4))

    def pool(x):
        return ag.sin(F.max_pool3d(x, 2, stride=1, padding=1) * F.avg_pool3d(x, 2, stride=1, padding=1))

    assert gradgradcheck(pool, values, atol=1e-7, rtol=1e-6)


# ---- against PyTorch -----------------------------------------------------------------------------------
@st.composite
def conv3d_case(draw):
    groups = draw(st.integers(1, 2))
    in_per_group, out_per_group = draw(st.integers(1, 2)), draw(st.integers(1, 2))
    kernel = tuple(draw(st.integers(1, 3)) for _ in range(3))
    dilation = tuple(draw(st.integers(1, 2)) for _ in range(3))
    stride = tuple(draw(st.integers(1, 2)) for _ in range(3))
    padding = draw(st.one_of(st.integers(0, 1), st.tuples(*[st.integers(0, 2)] * 3), st.just("valid"),
                             st.just("same")))
    if padding == "same":
        stride = (1, 1, 1)
    pads = (0,) * 3 if isinstance(padding, str) else (padding,) * 3 if isinstance(padding, int) else padding
    spans = [d * (k - 1) + 1 for k, d in zip(kernel, dilation)]
    size = tuple(max(1, span - 2 * p) + draw(st.integers(0, 2)) for span, p in zip(spans, pads))
    batch = draw(st.sampled_from([(), (2,)]))
    return (batch + (in_per_group * groups,) + size, (out_per_group * groups, in_per_group) + kernel,
            draw(st.booleans()), {"stride": stride, "padding": padding, "dilation": dilation, "groups": groups})


@settings(max_examples=20, deadline=None)
@given(case=conv3d_case(), seed=st.integers(0, 2 ** 16))
def test_conv3d_matches_torch_values_and_gradients(case, seed):
    torch = pytest.importorskip("torch")
    x_shape, w_shape, with_bias, settings_ = case
    rng = np.random.default_rng(seed)
    arrays = [rng.standard_normal(x_shape), rng.standard_normal(w_shape)] + (
        [rng.standard_normal(w_shape[0])] if with_bias else [])
    ours = [ag.tensor(a, requires_grad=True) for a in arrays]
    theirs = [torch.tensor(a, requires_grad=True) for a in arrays]
    out = F.conv3d(ours[0], ours[1], ours[2] if with_bias else None, **settings_)
    expected = torch.nn.functional.conv3d(theirs[0], theirs[1], theirs[2] if with_bias else None, **settings_)
    np.testing.assert_allclose(out.data, expected.detach().numpy(), rtol=1e-10, atol=1e-12)
    cotangent = rng.standard_normal(out.shape)
    for got, want in zip(_backward(out, ours, cotangent), _backward(expected, theirs, torch.tensor(cotangent))):
        np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("dims", [1, 2, 3])
@settings(max_examples=15, deadline=None)
@given(data=st.data())
def test_max_pool_return_indices_match_torch(dims, data):
    torch = pytest.importorskip("torch")
    kernel = tuple(data.draw(st.integers(1, 3)) for _ in range(dims))
    stride = tuple(data.draw(st.integers(1, 3)) for _ in range(dims))
    padding = tuple(data.draw(st.integers(0, k // 2)) for k in kernel)
    dilation = tuple(data.draw(st.integers(1, 2)) for _ in range(dims))
    spans = [d * (k - 1) + 1 for k, d in zip(kernel, dilation)]
    shape = data.draw(st.sampled_from([(2,), (1, 2)])) + tuple(
        max(1, span - 2 * p) + data.draw(st.integers(0, 3)) for span, p in zip(spans, padding))
    settings_ = {"kernel_size": kernel, "stride": stride, "padding": padding, "dilation": dilation,
                 "ceil_mode": data.draw(st.booleans())}
    rng = np.random.default_rng(data.draw(st.integers(0, 2 ** 16)))
    x = rng.choice(np.array([-np.inf, -1.0, 0.0, 2.0, np.nan]), shape, p=[0.2, 0.3, 0.2, 0.2, 0.1])
    if data.draw(st.booleans()):
        x = rng.standard_normal(shape)
    name = f"max_pool{dims}d"
    try:
        want, want_indices = getattr(torch.nn.functional, name)(torch.tensor(x), return_indices=True, **settings_)
    except RuntimeError:  # (a ceil_mode window past the input may leave none: PyTorch's verdict)
        with pytest.raises(ValueError):
            getattr(F, name)(x, return_indices=True, **settings_)
        return
    out, indices = getattr(F, name)(x, return_indices=True, **settings_)
    np.testing.assert_array_equal(out.data, want.numpy())
    np.testing.assert_array_equal(indices.data, want_indices.numpy())


@pytest.mark.parametrize("kind", ["max", "avg"])
@settings(max_examples=15, deadline=None)
@given(data=st.data())
def test_pool3d_matches_torch_values_and_gradients(kind, data):
    torch = pytest.importorskip("torch")
    shape, kernel, stride, padding, dilation, ceil_mode = data.draw(pool3d_case(kind))
    settings_ = {"kernel_size": kernel, "stride": data.draw(st.sampled_from([None, stride])), "padding": padding,
                 "ceil_mode": ceil_mode}
    if kind == "max":
        settings_["dilation"] = dilation
    else:
        settings_["count_include_pad"] = data.draw(st.booleans())
        settings_["divisor_override"] = data.draw(st.sampled_from([None, 2]))
    rng = np.random.default_rng(data.draw(st.integers(0, 2 ** 16)))
    values = _distinct_values(rng, shape)
    name = f"{kind}_pool3d"
    theirs = torch.tensor(values, requires_grad=True)
    try:
        expected = getattr(torch.nn.functional, name)(theirs, **settings_)
    except RuntimeError:
        with pytest.raises(ValueError):
            getattr(F, name)(values, **settings_)
        return
    ours = ag.tensor(values, requires_grad=True)
    out = getattr(F, name)(ours, **settings_)
    np.testing.assert_allclose(out.data, expected.detach().numpy(), rtol=1e-12, atol=1e-12)
    if not np.isfinite(out.data).all():  # (a dilated window wholly in the padding: README's departure)
        return
    cotangent = rng.standard_normal(out.shape)
    np.testing.assert_allclose(_backward(out, [ours], cotangent)[0],
                               _backward(expected, [theirs], torch.tensor(cotangent))[0], rtol=1e-12, atol=1e-12)


# ---- the layers ----------------------------------------------------------------------------------------
def test_conv3d_parameters_and_initialisation_are_torchs():
    conv = nn.Conv3d(4, 6, (3, 2, 1), groups=2, rng=0)
    assert conv.weight.shape == (6, 2, 3, 2, 1) and conv.bias.shape == (6,) and conv.weight.dtype == np.float32
    bound = 1 / math.sqrt(2 * 3 * 2 * 1)  # kaiming_uniform_(a=sqrt(5)) and the bias's bound: 1 / sqrt(fan_in)
    big = nn.Conv3d(4, 400, (3, 2, 1), groups=2, rng=0)
    for p in (big.weight, big.bias):
        assert bound * 0.9 < np.abs(p.data).max() <= bound
    assert nn.Conv3d(1, 1, 2, bias=False, rng=0).bias is None
    conv = nn.Conv3d(2, 4, (2, 1, 2), stride=(1, 2, 1), padding=(1, 0, 2), dilation=(2, 1, 1), groups=2,
                     dtype=np.float64, rng=0)
    x = np.random.default_rng(1).standard_normal((2, 2, 4, 5, 3))
    np.testing.assert_allclose(conv(x).data, reference_conv(x, conv.weight.data, conv.bias.data, (1, 2, 1), (1, 0, 2),
                                                            (2, 1, 1), 2), rtol=1e-12, atol=1e-12)
    x = ag.tensor(np.ones((1, 1, 3, 3, 3)), requires_grad=True)  # float64, cast to the layer's float32
    y = nn.Conv3d(1, 2, 2, rng=0)(x)
    assert y.dtype == np.float32 and y.shape == (1, 2, 2, 2, 2)
    y.sum().backward()
    assert x.grad.dtype == np.float64


@pytest.mark.parametrize("name, args, kwargs", [
    ("Conv3d", (2, 4, 3), {"padding": "same"}),
    ("Conv3d", (2, 4, (1, 2, 3)), {"stride": (2, 1, 1), "padding": (0, 1, 1), "dilation": 2, "bias": False}),
    ("Conv3d", (4, 2, 2), {"groups": 2, "padding": "valid"}),
    ("MaxPool3d", (2,), {}),
    ("MaxPool3d", ((2, 1, 3),), {"stride": 1, "padding": (1, 0, 1), "dilation": 2, "ceil_mode": True}),
    ("AvgPool3d", (3, 2, 1), {}),
    ("AvgPool3d", ((2, 3, 1),), {"ceil_mode": True, "count_include_pad": False, "divisor_override": 2}),
])
def test_3d_layers_repr_and_outputs_are_torchs(name, args, kwargs):
    torch = pytest.importorskip("torch")
    theirs = getattr(torch.nn, name)(*args, **kwargs).double()
    if name == "Conv3d":
        ours = nn.Conv3d(*args, **kwargs, dtype=np.float64)
        ours.load_state_dict({key: value.detach().numpy() for key, value in theirs.state_dict().items()})
        channels = args[0]
    else:
        ours, channels = getattr(nn, name)(*args, **kwargs), 3
    assert repr(ours) == repr(theirs)
    x = np.random.default_rng(0).standard_normal((2, channels, 6, 7, 6))
    np.testing.assert_allclose(ours(x).data, theirs(torch.tensor(x)).detach().numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(ours(x[0]).data, theirs(torch.tensor(x[0])).detach().numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("dims", [1, 2, 3])
def test_max_pool_layers_return_indices(dims):
    layer = getattr(nn, f"MaxPool{dims}d")(2, return_indices=True)
    x = np.arange(4.0 ** dims).reshape((1, 1) + (4,) * dims)
    out, indices = layer(x)
    expected_out, expected = reference_max_pool(x, (2,) * dims, (2,) * dims, (0,) * dims, (1,) * dims)
    np.testing.assert_array_equal(out.data, expected_out)
    np.testing.assert_array_equal(indices.data, expected)
    assert repr(layer).endswith("ceil_mode=False)")  # (PyTorch's repr does not show return_indices)


# ---- errors --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("call, error, message", [
    (lambda: F.conv3d(np.ones((1, 4, 4)), np.ones((1, 1, 2, 2, 2))), ValueError,
     r"conv3d: Expected 4D \(unbatched\) or 5D \(batched\) input to conv3d, but got input of size: \[1, 4, 4\] "
     r"\(the layout is \(N, C, D, H, W\) or without N\)"),
    (lambda: F.conv3d(np.ones((1, 1, 4, 4, 4)), np.ones((1, 1, 2, 2))), ValueError,
     r"conv3d: expected a 5-D weight \(out_channels, in_channels / groups, kD, kH, kW\), got shape \(1, 1, 2, 2\)"),
    (lambda: F.conv3d(np.ones((1, 1, 2, 2, 2)), np.ones((1, 1, 3, 1, 1))), ValueError,
     r"conv3d: Calculated padded input size per channel: \(2 x 2 x 2\). Kernel size: \(3 x 1 x 1\). Kernel size "
     r"can't be greater than actual input size"),
    (lambda: F.conv3d(np.ones((1, 1, 4, 4, 4)), np.ones((1, 1, 2, 2, 2)), stride=(1, 1)), ValueError,
     r"conv3d: stride must be an int or a tuple of 3 ints, got \(1, 1\)"),
    (lambda: F.max_pool3d(np.ones((4, 4, 4)), 2), ValueError,
     r"max_pool3d: expected a 4-D or 5-D input, \(N, C, D, H, W\) or \(C, D, H, W\), got shape \(4, 4, 4\)"),
    (lambda: F.max_pool1d(np.ones((4,)), 2), ValueError,
     r"max_pool1d: expected a 2-D or 3-D input, \(N, C, L\) or \(C, L\), got shape \(4,\)"),
    (lambda: F.avg_pool3d(np.ones((1, 4, 4, 4)), 2, padding=(0, 2, 0)), ValueError,
     r"avg_pool3d: padding \(0, 2, 0\) must be at most half the kernel size \(2, 2, 2\)"),
    (lambda: F.avg_pool3d(np.ones((1, 4, 1, 4)), 2, padding=1), ValueError,
     r"avg_pool3d: the input's spatial size \(4, 1, 4\) is smaller than the kernel \(2, 2, 2\) along an axis"),
    (lambda: F.max_pool3d(np.ones((1, 4, 4, 4)), 2, return_indices="yes"), TypeError,
     "max_pool3d: return_indices must be True or False, got 'yes'"),
    (lambda: nn.MaxPool3d(2, return_indices=None), TypeError, "MaxPool3d: return_indices must be True or False"),
    (lambda: nn.Conv3d(3, 4, 3, groups=2), ValueError, "Conv3d: in_channels=3 must be divisible by groups=2"),
    (lambda: nn.Conv3d(1, 1, (3, 3)), ValueError, r"Conv3d: kernel_size must be an int or a tuple of 3 ints"),
    (lambda: nn.AvgPool3d(2, divisor_override=0), ValueError, "AvgPool3d: divisor_override must be"),
    (lambda: nn.Conv3d(2, 2, 3, rng=0)(np.ones((1, 3, 5, 5, 5))), ValueError,
     r"conv3d: Given groups=1, weight of size \[2, 2, 3, 3, 3\], expected input\[1, 3, 5, 5, 5\] to have 2 channels"),
])
def test_errors_name_the_operation_and_the_numbers(call, error, message):
    with pytest.raises(error, match=message):
        call()
