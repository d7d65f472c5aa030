"""Fractional max pooling (nn/_fractional_pooling_functions.py, nn/fractional_pooling.py): values and indices
against NumPy loops written from PyTorch's interval formula (no torch needed); the random samples drawn from rng
as the dropouts draw; gradients by finite differences to second order; the layers, an unbatched empty input and the
errors; values, indices
and gradients against PyTorch's for given samples."""
import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd_core as ag
import nn
import nn.functional as F
from autograd_core.testing import gradcheck, gradgradcheck


# ---- NumPy references, from the formula --------------------------------------------------------------------
def reference_starts(u, n, m, k, dtype):
    """PyTorch's generate_intervals, one window at a time, in the input's dtype."""
    p = np.dtype(dtype).type
    if m == 0:
        return []
    if m == 1:
        return [n - k]
    alpha = p(n - k) / p(m - 1)
    return [int((p(i) + p(u)) * alpha) - int(p(u) * alpha) for i in range(m - 1)] + [n - k]


def reference_pool(x, kernel, sizes, samples):
    """(out, indices) of a batched input, one window at a time: the first maximum, or the last NaN (PyTorch's
    loop keeps a value greater than the maximum so far, or NaN)."""
    dims = len(kernel)
    spatial = x.shape[2:]
    order = (1, 0) if dims == 2 else (0, 1, 2)  # which sample each axis uses
    out = np.empty(x.shape[:2] + tuple(sizes), x.dtype)
    index = np.empty(out.shape, np.int64)
    for b, c in itertools.product(*map(range, x.shape[:2])):
        starts = [reference_starts(samples[b, c, s], n, m, k, x.dtype)
                  for s, n, m, k in zip(order, spatial, sizes, kernel)]
        for o in itertools.product(*map(range, sizes)):
            best, where = -np.inf, None
            for offset in itertools.product(*map(range, kernel)):
                position = tuple(s[i] + j for s, i, j in zip(starts, o, offset))
                value = x[(b, c) + position]
                if where is None:
                    where = position
                if value > best or np.isnan(value):
                    best, where = value, position
            out[(b, c) + o] = best
            index[(b, c) + o] = np.ravel_multi_index(where, spatial)
    return out, index


@st.composite
def pool_case(draw):
    dims = draw(st.sampled_from((2, 3)))
    spatial = tuple(draw(st.integers(1, 7)) for _ in range(dims))
    strict = dims == 3  # (PyTorch's 3-D check: output + kernel - 1 < input; 2-D: <=)
    kernel = tuple(draw(st.integers(1, max(1, n - strict))) for n in spatial)
    sizes = tuple(draw(st.integers(0, n - k + 1 - strict)) for n, k in zip(spatial, kernel))
    return dims, (draw(st.integers(1, 2)), draw(st.integers(1, 2))) + spatial, kernel, sizes, \
        draw(st.sampled_from((np.float64, np.float32, np.float16)))


@settings(max_examples=60, deadline=None)
@given(case=pool_case(), seed=st.integers(0, 2 ** 16), ties=st.booleans())
def test_matches_numpy_loops(case, seed, ties):
    dims, shape, kernel, sizes, dtype = case
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape)
    x = (np.round(x) if ties else x).astype(dtype)
    if ties and x.size > 2:
        x.flat[rng.integers(x.size)] = np.nan
    samples = rng.random(shape[:2] + (dims,)).astype(dtype)
    pool = getattr(F, f"fractional_max_pool{dims}d")
    out, index = pool(x, kernel, output_size=sizes, return_indices=True, _random_samples=samples)
    want, want_index = reference_pool(x, kernel, sizes, samples)
    assert out.dtype == dtype and index.dtype == np.int64
    np.testing.assert_array_equal(out.data, want)
    np.testing.assert_array_equal(index.data, want_index)
    # unbatched: the first sample
    single, single_index = pool(x[0], kernel, output_size=sizes, return_indices=True, _random_samples=samples)
    np.testing.assert_array_equal(single.data, want[0])
    np.testing.assert_array_equal(single_index.data, want_index[0])


def test_worked_example():
    x = np.arange(25.0).reshape(1, 1, 5, 5)
    # alpha = (5 - 2) / (3 - 1) = 1.5: with u = 0.5 the starts are 0, int(1.5 * 1.5) - int(0.75) = 2, and 3
    out, index = F.fractional_max_pool2d(x, 2, output_size=3, return_indices=True,
                                         _random_samples=np.full((1, 1, 2), 0.5))
    assert out.tolist() == [[[[6.0, 8.0, 9.0], [16.0, 18.0, 19.0], [21.0, 23.0, 24.0]]]]
    assert index.tolist() == out.tolist()  # (x holds its own flat indices)
    # the samples are (W, H): with u_W = 0 the columns start at 0, 1, 3; u_H = 0.5 rows at 0, 2, 3
    out = F.fractional_max_pool2d(x, 2, output_size=3, _random_samples=np.array([[[0.0, 0.5]]]))
    assert out.tolist() == [[[[6.0, 7.0, 9.0], [16.0, 17.0, 19.0], [21.0, 22.0, 24.0]]]]
    # output_ratio: int(n * ratio) per axis
    assert F.fractional_max_pool2d(np.zeros((2, 10, 7)), 2, output_ratio=(0.5, 0.75), rng=0).shape == (2, 5, 5)
    assert F.fractional_max_pool3d(np.zeros((1, 1, 9, 8, 7)), (2, 3, 1), output_ratio=0.5, rng=0).shape == \
        (1, 1, 4, 4, 3)
    assert F.fractional_max_pool2d(x, 2, output_size=(0, 2), rng=0).shape == (1, 1, 0, 2)
    assert F.fractional_max_pool2d(x[:0], 2, output_size=2, rng=0).shape == (0, 1, 2, 2)


def test_random_samples_come_from_rng():
    x = np.random.default_rng(0).standard_normal((3, 2, 9, 8))
    drawn = np.random.default_rng(5).random((3, 2, 2))
    given = F.fractional_max_pool2d(x, 2, output_size=4, _random_samples=drawn)
    np.testing.assert_array_equal(F.fractional_max_pool2d(x, 2, output_size=4, rng=5).data, given.data)
    generator = np.random.default_rng(5)
    np.testing.assert_array_equal(F.fractional_max_pool2d(x, 2, output_size=4, rng=generator).data, given.data)
    assert not np.array_equal(F.fractional_max_pool2d(x, 2, output_size=4, rng=generator).data, given.data)
    # a float32 input's samples are drawn in float64 and rounded, as the dropouts' masks are drawn in float64
    x32 = x.astype(np.float32)
    np.testing.assert_array_equal(
        F.fractional_max_pool2d(x32, 2, output_size=4, rng=5).data,
        F.fractional_max_pool2d(x32, 2, output_size=4, _random_samples=drawn.astype(np.float32)).data)
    # the layer draws afresh at each call from its own generator
    pool = nn.FractionalMaxPool2d(2, output_size=4, rng=5)
    np.testing.assert_array_equal(pool(x).data, given.data)
    later = np.random.default_rng(5).random((2, 3, 2, 2))[1]  # (the next draws of the same generator)
    np.testing.assert_array_equal(pool(x).data, F.fractional_max_pool2d(x, 2, 4, _random_samples=later).data)
    # unbatched: one sample row, the first of a batch's
    x3 = x[0, :, :4, :4, None].repeat(4, -1)
    np.testing.assert_array_equal(F.fractional_max_pool3d(x3, 2, output_size=2, rng=1).data,
                                  F.fractional_max_pool3d(x3[None], 2, output_size=2, rng=1).data[0])


def test_gradients_to_second_order():
    rng = np.random.default_rng(3)
    for dims, shape, kernel, sizes in ((2, (1, 2, 5, 6), (2, 3), (3, 2)), (3, (2, 1, 4, 5, 4), 2, (2, 3, 2))):
        x = rng.permutation(np.prod(shape)).reshape(shape) / 7.0 + 0.5  # distinct values: no ties
        samples = rng.random(shape[:2] + (dims,))
        pool = getattr(F, f"fractional_max_pool{dims}d")

        def f(x):
            return pool(x, kernel, output_size=sizes, _random_samples=samples) ** 2

        assert gradcheck(f, x) and gradgradcheck(f, x)


def test_layers():
    pool = nn.FractionalMaxPool2d((2, 3), output_ratio=(0.5, 0.25), return_indices=True, rng=0)
    assert pool.kernel_size == (2, 3) and pool.output_ratio == (0.5, 0.25) and pool.output_size is None
    out, index = pool(np.random.default_rng(0).standard_normal((2, 8, 12)))
    assert out.shape == index.shape == (2, 4, 3)
    samples = np.random.default_rng(1).random((1, 1, 3))
    pool = nn.FractionalMaxPool3d(2, output_size=(2, 3, 2), _random_samples=samples)
    assert list(pool.state_dict()) == ["_random_samples"] and list(pool.parameters()) == []
    x = np.random.default_rng(2).standard_normal((1, 1, 5, 6, 5))
    np.testing.assert_array_equal(pool(x).data, pool(x).data)
    np.testing.assert_array_equal(pool(x).data, F.fractional_max_pool3d(x, 2, (2, 3, 2), _random_samples=samples).data)


def test_errors():
    x = np.zeros((2, 3, 7, 9))
    pool2, pool3 = F.fractional_max_pool2d, F.fractional_max_pool3d
    s = np.zeros((2, 3, 2))
    cases = [
        (lambda: pool2(x, 2), ValueError, "either an output_size or an output_ratio"),
        (lambda: pool2(x, 4, output_size=5, _random_samples=s), ValueError, "pool height 4 too large relative to "
                                                                            "input height 7"),
        (lambda: pool2(x, 4, output_size=(4, 7), _random_samples=s), ValueError, "pool width 4 too large"),
        (lambda: pool3(np.zeros((1, 5, 6, 7)), 2, output_size=(4, 2, 2), rng=0), ValueError,
         "pool time 2 too large relative to input time 5"),
        (lambda: pool2(x, 2, output_size=4, _random_samples=s[:1]), ValueError, "at least the input's batch"),
        (lambda: pool2(x, 2, output_size=4, _random_samples=s[:, :2]), ValueError, "3 channels"),
        (lambda: pool2(x, 2, output_size=4, _random_samples=s[..., :1]), ValueError, r"shape\[2\] to be 2"),
        (lambda: pool2(x, 2, output_size=4, _random_samples=s[0]), ValueError, "3 dimensions"),
        (lambda: pool2(x, 2, output_size=4, _random_samples=s.astype(np.float32)), TypeError, "input's dtype"),
        (lambda: pool2(x, 2, output_size=4, _random_samples=s, rng=0), ValueError, "not both"),
        (lambda: pool2(x[0, 0], 2, output_size=4), ValueError, "3-D or 4-D input"),
        (lambda: pool2(x.astype(int), 2, output_size=4), TypeError, "float input"),
        (lambda: pool2(x[:, :0], 2, output_size=4), ValueError, "non-zero sizes"),
        (lambda: pool2(x[:, :, :0], 2, output_size=4), ValueError, "non-zero sizes"),
        (lambda: pool2(x, 0, output_size=4), ValueError, "kernel_size"),
        (lambda: pool2(x, (2, 2, 2), output_size=4), ValueError, "kernel_size"),
        (lambda: pool2(x, 2, output_size=(4, 4, 4)), ValueError, "output_size"),
        (lambda: pool2(x, 2, output_size=-1), ValueError, "output_size"),
        (lambda: pool2(x, 2, output_ratio=(0.5, 0.5, 0.5)), ValueError, "output_ratio"),
        (lambda: pool2(x, 2, output_ratio=-0.5), ValueError, "output_ratio"),
        (lambda: pool2(x, 2, output_size=4, return_indices="yes"), TypeError, "return_indices"),
        (lambda: nn.FractionalMaxPool2d(2), ValueError, "either an output size, or a pooling ratio"),
        (lambda: nn.FractionalMaxPool2d(2, output_size=3, output_ratio=0.5), ValueError, "only one of"),
        (lambda: nn.FractionalMaxPool2d(2, output_ratio=1.0), ValueError, "between 0 and 1"),
        (lambda: nn.FractionalMaxPool3d(2, output_ratio=(0.5, 0.0, 0.5)), ValueError, "between 0 and 1"),
        (lambda: nn.FractionalMaxPool2d(2, output_size=3, rng="x"), TypeError, "rng"),
        # the layers' sizes refused in the functions' (PyTorch's) words
        (lambda: nn.FractionalMaxPool2d((2, 2, 2), output_size=3), ValueError,
         r"FractionalMaxPool2d: kernel_size must either be a single int or a tuple of 2 ints, got \(2, 2, 2\)"),
        (lambda: nn.FractionalMaxPool3d(2, output_size=(3, 3)), ValueError,
         r"FractionalMaxPool3d: output_size must either be a single int or a tuple of 3 ints"),
    ]
    for call, kind, text in cases:
        with pytest.raises(kind, match=text):
            call()


@pytest.mark.parametrize("dims", [2, 3])
def test_fractional_max_pool_unbatched_without_channels(dims):
    # PyTorch checks all axes but the first: (0, H, W) is accepted and gives (0, *output_size)
    pool = getattr(F, f"fractional_max_pool{dims}d")
    x = ag.tensor(np.zeros((0,) + (4,) * dims), requires_grad=True)
    out, index = pool(x, 2, output_size=2, return_indices=True, _random_samples=np.zeros((1, 0, dims)))
    assert out.shape == index.shape == (0,) + (2,) * dims
    out.sum().backward()
    assert x.grad.shape == x.shape
    with pytest.raises(ValueError, match="non-zero sizes"):
        pool(np.zeros((1, 0) + (4,) * dims), 2, output_size=2, rng=0)  # (a batched input needs channels)


# ---- against PyTorch ---------------------------------------------------------------------------------------
def test_matches_torch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(21)
    for _ in range(80):
        dims = int(rng.choice([2, 3]))
        dtype = rng.choice([np.float64, np.float32, np.float16])
        spatial = tuple(int(v) for v in rng.integers(2, 8, size=dims))
        kernel = tuple(int(rng.integers(1, n)) for n in spatial)
        sizes = tuple(int(rng.integers(0, n - k + 1)) for n, k in zip(spatial, kernel))
        batched = bool(rng.integers(2))
        x = rng.standard_normal((2, 2) + spatial if batched else (2,) + spatial)
        x = (np.round(x) if rng.random() < 0.3 else x).astype(dtype)  # ties
        samples = rng.random((2 + int(rng.integers(2)) if batched else 1, 2, dims)).astype(dtype)
        setting = f"{x.shape} {x.dtype} kernel {kernel} sizes {sizes}"
        xt = torch.tensor(x, requires_grad=dtype != np.float16)
        pool = getattr(torch.nn.functional, f"fractional_max_pool{dims}d")
        want, want_index = pool(xt, kernel, sizes, return_indices=True, _random_samples=torch.tensor(samples))
        xa = ag.tensor(x, requires_grad=dtype != np.float16)
        out, index = getattr(F, f"fractional_max_pool{dims}d_with_indices")(xa, kernel, sizes,
                                                                            _random_samples=samples)
        np.testing.assert_array_equal(out.data, want.detach().numpy(), err_msg=setting)
        np.testing.assert_array_equal(index.data, want_index.numpy(), err_msg=setting)
        if dtype != np.float16 and out.size:
            g = rng.standard_normal(out.shape).astype(dtype)
            out.backward(g)
            want.backward(torch.tensor(g))
            np.testing.assert_array_equal(xa.grad.data, xt.grad.numpy(), err_msg=setting)
