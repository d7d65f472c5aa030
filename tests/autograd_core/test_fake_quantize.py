"""PyTorch's fake quantisation (autograd_core/fake_quantize.py): fake_quantize_per_tensor_affine and
fake_quantize_per_channel_affine, values against a NumPy reference and bit for bit against torch (float16, float32,
float64; integer and floating zero points), the straight-through gradient (1 inside the range, 0 where clamped),
and the errors."""
import numpy as np
import pytest

import autograd_core as ag

RNG = np.random.default_rng(0)


def _reference(x, scale, zero_point, low, high):
    """The grid value of each entry, on exactly representable scales (powers of two): no rounding question."""
    return (np.clip(np.rint(x / scale) + zero_point, low, high) - zero_point) * scale


def test_per_tensor_values_and_straight_through_gradient_match_a_numpy_reference():
    x = ag.tensor([-3.0, -0.3, 0.1, 0.125, 0.375, 0.9, 2.0], requires_grad=True)
    y = ag.fake_quantize_per_tensor_affine(x, 0.25, 1, -4, 3)
    np.testing.assert_array_equal(y.data, _reference(x.data, 0.25, 1, -4, 3))
    np.testing.assert_array_equal(y.data, [-1.25, -0.25, 0.0, 0.0, 0.5, 0.5, 0.5])  # (0.125 and 0.375: halves to even)
    (y * ag.tensor(np.arange(1.0, 8.0))).sum().backward()
    levels = np.rint(x.data / 0.25) + 1
    np.testing.assert_array_equal(x.grad.data, np.arange(1.0, 8.0) * ((levels >= -4) & (levels <= 3)))
    (gradient,) = ag.autograd.grad(ag.fake_quantize_per_tensor_affine(x, 0.25, 1, -4, 3).sum(), x, create_graph=True)
    np.testing.assert_array_equal(gradient.data, [0, 1, 1, 1, 1, 0, 0])


def test_per_channel_values_and_gradient_match_a_numpy_reference():
    w = RNG.standard_normal((3, 2, 4))
    scale, zero_point = np.array([0.5, 0.125, 0.25]), np.array([0, -1, 2])
    x = ag.tensor(w, requires_grad=True)
    y = ag.fake_quantize_per_channel_affine(x, ag.tensor(scale), ag.tensor(zero_point), 0, -8, 7)
    expected = _reference(w, scale[:, None, None], zero_point[:, None, None], -8, 7)
    np.testing.assert_array_equal(y.data, expected)
    y.sum().backward()
    levels = np.rint(w / scale[:, None, None]) + zero_point[:, None, None]
    np.testing.assert_array_equal(x.grad.data, ((levels >= -8) & (levels <= 7)).astype(float))
    last = ag.fake_quantize_per_channel_affine(ag.tensor(np.moveaxis(w, 0, -1)), scale, zero_point, -1, -8, 7)
    np.testing.assert_array_equal(last.data, np.moveaxis(expected, 0, -1))  # axis=-1: the same channels, last


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_values_and_gradients_equal_torchs_bit_for_bit(dtype):
    torch = pytest.importorskip("torch")
    x = (RNG.standard_normal((300, 5)) * 2).astype(dtype)
    g = RNG.standard_normal(x.shape).astype(dtype)
    scale, zero_points = (np.abs(RNG.standard_normal(5)) + 0.05).astype(np.float32), RNG.integers(-3, 3, 5)
    floating_zero_points = RNG.uniform(-3, 3, 5).astype(np.float32)
    cases = [(lambda lib, t, s, z: lib.fake_quantize_per_tensor_affine(t, s, z, -8, 7), value, zero_point, zero_point)
             for value, zero_point in ((0.1, 0), (0.37, 3), (1 / 3, -2))]
    cases += [(lambda lib, t, s, z: lib.fake_quantize_per_channel_affine(t, s, z, 1, -8, 7), scale, zp, torch_zp)
              for zp, torch_zp in ((zero_points, torch.tensor(zero_points, dtype=torch.int32)),
                                   (floating_zero_points, torch.tensor(floating_zero_points)))]
    for quantize, s, zp, torch_zp in cases:
        ours, theirs = ag.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
        y = quantize(ag, ours, s, zp)
        ty = quantize(torch, theirs, torch.tensor(s) if isinstance(s, np.ndarray) else s, torch_zp)
        (y * g).sum().backward()
        (ty * torch.tensor(g)).sum().backward()
        assert y.dtype == dtype
        np.testing.assert_array_equal(y.data, ty.detach().numpy())
        np.testing.assert_array_equal(ours.grad.data, theirs.grad.numpy())


def test_bad_arguments_raise_errors_naming_the_function_and_the_valid_values():
    x = ag.ones((2, 3))
    with pytest.raises(ValueError, match="fake_quantize_per_tensor_affine: quant_min and quant_max must be ints"):
        ag.fake_quantize_per_tensor_affine(x, 0.1, 0, 5, -5)
    with pytest.raises(ValueError, match=r"zero_point must be numbers between quant_min \(-8\) and quant_max \(7\)"):
        ag.fake_quantize_per_tensor_affine(x, 0.1, 9, -8, 7)
    with pytest.raises(ValueError, match="scale must be one positive number and zero_point one int"):
        ag.fake_quantize_per_tensor_affine(x, ag.tensor([0.1, 0.2]), 0, -8, 7)
    with pytest.raises(ValueError, match="scale must be one positive number"):
        ag.fake_quantize_per_tensor_affine(x, 0.0, 0, -8, 7)
    with pytest.raises(TypeError, match="input must be a floating-point Tensor.*got dtype int64"):
        ag.fake_quantize_per_tensor_affine(ag.tensor([1, 2]), 0.1, 0, -8, 7)
    with pytest.raises(ValueError, match=r"scale \(2,\) and zero_point \(2,\) must be 1-D with one entry per channel: "
                                         r"input \(2, 3\) has 3 along axis 1"):
        ag.fake_quantize_per_channel_affine(x, [0.1, 0.2], [0, 0], 1, -8, 7)
    with pytest.raises(IndexError, match=r"axis must be an int in \[-2, 2\) for input of shape \(2, 3\), got 2"):
        ag.fake_quantize_per_channel_affine(x, [0.1, 0.2], [0, 0], 2, -8, 7)
    with pytest.raises(ValueError, match="scale must hold positive numbers"):
        ag.fake_quantize_per_channel_affine(x, [0.1, -0.2], [0, 0], 0, -8, 7)
