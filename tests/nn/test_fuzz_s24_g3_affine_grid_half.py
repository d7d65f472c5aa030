"""Fuzzer G3 (session 24): affine_grid in float16 equals PyTorch's to the last bit, as the README promises for
grid sampling. PyTorch's float16 linspace rounds each product and sum (c10::Half's operators, no fused
multiply-add: linspace(-1, 1, 7) has 0 at its centre, not 2.44e-4), and its float16 bmm sums in float32,
rounding once. The expected values are PyTorch 2.13's (CPU)."""
import numpy as np
import pytest

import autograd_core as ag
import nn.functional as F
from nn._grid_sample_functions import _base_axis


@pytest.mark.parametrize("align_corners", [True, False])
def test_base_axis_float16_centre_is_zero(align_corners):
    axis = _base_axis(7, align_corners, np.float16)
    assert axis.dtype == np.float16
    expected = [-1.0, -0.667, -0.3335, 0.0, 0.3335, 0.667, 1.0] if align_corners else \
        [-0.857, -0.5713, -0.2856, 0.0, 0.2856, 0.5713, 0.857]
    assert axis.tolist() == np.array(expected, dtype=np.float16).tolist()


def test_affine_grid_float16_sums_in_float32():
    # theta's products summed in float32 and rounded once (each rounded to float16 before, 1 ulp off here)
    theta = np.array([[[0.1257, -0.1322, 0.6406], [0.1050, -0.5366, 0.3618]]], dtype=np.float16)
    grid = F.affine_grid(ag.tensor(theta), (1, 1, 2, 3), align_corners=False)
    assert grid.dtype == np.float16
    base_x = np.array([-2 / 3, 0, 2 / 3]).astype(np.float16).astype(np.float32)
    base_y = np.array([-0.5, 0.5], dtype=np.float32)
    t = theta.astype(np.float32)
    expected = np.stack([(base_x[None, :] * t[0, i, 0] + base_y[:, None] * t[0, i, 1]) + t[0, i, 2]
                         for i in range(2)], -1).astype(np.float16)
    assert np.array_equal(grid.data[0], expected)


def test_affine_grid_float16_gradient_keeps_dtype():
    theta = ag.tensor(np.eye(2, 3, dtype=np.float16)[None], requires_grad=True)
    F.affine_grid(theta, (1, 1, 7, 5), align_corners=True).sum().backward()
    assert theta.grad.dtype == np.float16
    assert theta.grad.data.tolist() == [[[0.0, 0.0, 35.0], [0.0, 0.0, 35.0]]]


def test_affine_grid_float16_against_torch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    for k in range(40):
        dims = 2 + k % 2
        size = (2, 1) + tuple(int(n) for n in rng.integers(2, 14, size=dims))
        theta = rng.normal(size=(2, dims, dims + 1)).astype(np.float16)
        ours = F.affine_grid(ag.tensor(theta), size, align_corners=bool(k % 4 < 2)).data
        theirs = torch.nn.functional.affine_grid(torch.tensor(theta), size, align_corners=bool(k % 4 < 2)).numpy()
        assert np.array_equal(ours, theirs), (size, k)
