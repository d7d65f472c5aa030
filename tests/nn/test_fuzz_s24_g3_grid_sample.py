"""Fuzzer G3 (session 24) regressions for grid_sample/affine_grid and fractional max pooling, each against
PyTorch's behaviour: a 3-D grid_sample with 'zeros' padding at a non-finite source coordinate (0, no gradient, not
NaN), affine_grid's size refusing non-integers (not truncating them), fractional max pooling of an unbatched input
without channels (accepted, as PyTorch's)."""
import numpy as np
import pytest

import autograd_core as ag
import nn.functional as F
from autograd_core.testing import gradgradcheck


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf, 1e308])
def test_grid_sample_3d_zeros_non_finite_coordinate_gives_zero(dtype, bad):
    # PyTorch's 3-D kernel adds only the corners inside the input: such a point gives 0 and passes no gradient
    x = ag.tensor(np.arange(1.0, 9.0, dtype=dtype).reshape(1, 1, 2, 2, 2), requires_grad=True)
    with np.errstate(over="ignore"):
        g = np.array([[[[[bad, 0.0, 0.1], [0.3, 0.2, 0.1], [0.1, bad, 0.2]]]]]).astype(dtype)
    grid = ag.tensor(g, requires_grad=True)
    out = F.grid_sample(x, grid, padding_mode="zeros", align_corners=False)
    out.sum().backward()
    assert out.dtype == dtype
    np.testing.assert_allclose(out.data.ravel(), [0.0, 5.6, 0.0], rtol=1e-6)  # (PyTorch: [0, 5.6, 0])
    np.testing.assert_allclose(grid.grad.data.ravel(), [0, 0, 0, 1, 2, 4, 0, 0, 0], rtol=1e-6)
    np.testing.assert_allclose(x.grad.data.ravel(), [0.024, 0.096, 0.056, 0.224, 0.036, 0.144, 0.084, 0.336],
                               rtol=1e-5)


def test_grid_sample_3d_zeros_non_finite_second_derivatives_hold():
    rng = np.random.default_rng(0)
    g = rng.uniform(-1, 1, size=(1, 2, 1, 2, 3))
    g[0, 0, 0, 0, 1] = np.nan
    x = rng.normal(size=(1, 2, 3, 2, 3))
    out = F.grid_sample(ag.tensor(x), ag.tensor(g), padding_mode="zeros", align_corners=True)
    assert np.isfinite(out.data).all() and (out.data[:, :, 0, 0, 0] == 0).all()
    finite = np.where(np.isnan(g), 0.3, g)  # (second derivatives at the finite points, the NaN one kept NaN)

    def f(x_, g_):
        return F.grid_sample(x_, ag.where(np.isnan(g), ag.tensor(g), g_), padding_mode="zeros", align_corners=True)
    assert gradgradcheck(f, ag.tensor(x, requires_grad=True), ag.tensor(finite, requires_grad=True))


@pytest.mark.parametrize("padding_mode", ["border", "reflection"])
def test_grid_sample_3d_other_paddings_keep_their_documented_nan(padding_mode):
    x = ag.tensor(np.arange(1.0, 9.0).reshape(1, 1, 2, 2, 2))
    out = F.grid_sample(x, ag.tensor(np.array([[[[[np.nan, 0.0, 0.1]]]]])), padding_mode=padding_mode,
                        align_corners=False)
    assert np.isnan(out.data).all()  # (README: a non-finite coordinate with border/reflection gives NaN)


@pytest.mark.parametrize("size", [(1, 1, 2.5, 2), (1, 1, 2.0, 2), (1, 1, np.float64(2), 2)])
def test_affine_grid_refuses_non_integer_sizes(size):
    # PyTorch: TypeError; we used to truncate 2.5 to 2 silently
    with pytest.raises(TypeError, match="affine_grid: size must be a sequence of 4 or 5 ints"):
        F.affine_grid(ag.tensor(np.zeros((1, 2, 3))), size, align_corners=False)


def test_affine_grid_takes_integer_like_sizes():
    theta = ag.tensor(np.eye(2, 3)[None])
    assert F.affine_grid(theta, (1, 1, np.int64(2), 3), align_corners=False).shape == (1, 2, 3, 2)


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
