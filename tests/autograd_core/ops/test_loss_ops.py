"""Loss primitives (autograd_core/ops/losses.py): binary_cross_entropy, its value and PyTorch's gradients."""
import warnings

import numpy as np
import pytest

import autograd_core as ag
from optable import Op, generated_tests

EPS = float(np.float32(1e-12))  # PyTorch's floor for p (1 - p), a float32 1e-12


def _bce(p, y):
    with np.errstate(divide="ignore"):
        return -(y * np.maximum(np.log(p), -100) + (1 - y) * np.maximum(np.log1p(-p), -100))


LOSSES = [
    # Probabilities kept away from 0 and 1, where the gradient's floor and the log clamp act (tested below).
    Op("binary_cross_entropy", ag.binary_cross_entropy, _bce, arity=2, elements=[(0.05, 0.95), (0.0, 1.0)]),
    Op("binary_cross_entropy_soft_targets", ag.binary_cross_entropy, _bce, arity=2,
       elements=[(0.05, 0.95), (-0.5, 1.5)]),
]

globals().update(generated_tests(LOSSES))


# ---- the edges: p = 0, p = 1 and subnormal p ------------------------------------------------------
EDGES = [  # (p, y, dtype)
    ([0.0, 1.0, 0.0, 1.0, 0.5], [1.0, 0.0, 0.5, 0.25, 1.0], np.float64),
    ([1e-39, 0.5, 0.0, 1.0], [1.0, 1.0, 1.0, 0.0], np.float32),  # 1e-39 is subnormal in float32
    ([1e-43, 1e-43, 1e-50, 1 - 1e-17], [1.0, 0.0, 0.25, 0.5], np.float64),
    ([1e-43, 1e-43, 0.0], [1.0, 0.0, 0.5], np.float32),
    ([1e-13, 1 - 1e-13, 3e-12], [1.0, 0.0, 1.0], np.float64),  # p (1 - p) near the floor: max, not a sum
]


def _engine(p, y, dtype, upstream=None):
    """loss, d loss/dp and d loss/dy for an elementwise upstream gradient (default ones)."""
    p = ag.tensor(np.array(p, dtype=dtype), requires_grad=True)
    y = ag.tensor(np.array(y, dtype=dtype), requires_grad=True)
    loss = ag.binary_cross_entropy(p, y)
    loss.backward(np.ones(loss.shape, dtype) if upstream is None else upstream)
    return loss, p.grad, y.grad


@pytest.mark.parametrize("p, y, dtype", EDGES)
def test_gradients_at_the_edges_follow_pytorchs_formulas(p, y, dtype):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no division-by-zero or overflow warnings at the edges
        loss, dp, dy = _engine(p, y, dtype)
    p, y = np.array(p, dtype), np.array(y, dtype)
    assert loss.dtype == dp.dtype == dy.dtype == dtype
    np.testing.assert_allclose(loss.data, _bce(p, y), rtol=1e-6)
    assert np.all(loss.data <= 100)
    # d/dp: (p - y) / max(p (1 - p), 1e-12), finite everywhere; d/dy: log(1 - p) - log(p), not clamped.
    expected = (p - y) / np.maximum(p * (1 - p), dtype(EPS))
    assert np.all(np.isfinite(dp.data))
    np.testing.assert_allclose(dp.data, expected, rtol=1e-6)
    with np.errstate(divide="ignore"):
        np.testing.assert_allclose(dy.data, np.log1p(-p) - np.log(p), rtol=1e-6)


def test_gradient_at_zero_and_one_is_the_floored_slope_not_zero_or_inf():
    _, dp, _ = _engine([0.0, 1.0, 1e-39], [1.0, 0.0, 1.0], np.float32)
    np.testing.assert_allclose(dp.data, [-1 / EPS, 1 / EPS, -1 / EPS], rtol=1e-6)


def test_second_derivative_is_recorded_and_finite_at_the_edges():
    p = ag.tensor([0.0, 1.0, 0.3], requires_grad=True)
    y = np.array([1.0, 0.0, 0.6])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        dp = ag.backprop(ag.binary_cross_entropy(p, y).sum(), create_graph=True)[p]
        assert dp.requires_grad
        d2 = ag.backprop(dp.sum())[p]
    # Inside (0, 1): d/dp (p - y) / (p (1 - p)) = 1 / (p (1 - p)) - (p - y)(1 - 2p) / (p (1 - p))**2.
    q = 0.3 * 0.7
    np.testing.assert_allclose(d2.data[2], 1 / q - (0.3 - 0.6) * (1 - 0.6) / q ** 2)
    assert np.all(np.isfinite(d2.data))


@pytest.mark.parametrize("bad", [np.nan, 1.5, -0.25])
def test_input_outside_0_1_or_nan_is_rejected(bad):
    with pytest.raises(ValueError, match=r"binary_cross_entropy: .*input probabilities must lie in \[0, 1\]"):
        ag.binary_cross_entropy(ag.tensor([0.5, bad]), [1.0, 1.0])


def test_shapes_that_do_not_broadcast_are_named_with_what_is_valid():
    with pytest.raises(ValueError, match=r"binary_cross_entropy: .*\(2, 3\).*\(4,\).*broadcastable shapes"):
        ag.binary_cross_entropy(ag.full((2, 3), 0.5), np.ones(4))


def test_numbers_and_empty_arrays():
    assert np.isclose(ag.binary_cross_entropy(0.25, 1.0).item(), -np.log(0.25))
    assert ag.binary_cross_entropy(np.zeros((0, 2)), np.zeros((0, 2))).shape == (0, 2)


@pytest.mark.parametrize("p, y, dtype", EDGES)
def test_matches_torch_value_and_gradients_at_the_edges(p, y, dtype):
    torch = pytest.importorskip("torch")
    upstream = np.linspace(0.5, 2.0, len(p)).astype(dtype)
    loss, dp, dy = _engine(p, y, dtype, upstream)
    tp = torch.tensor(np.array(p, dtype), requires_grad=True)
    ty = torch.tensor(np.array(y, dtype), requires_grad=True)
    tloss = torch.nn.functional.binary_cross_entropy(tp, ty, reduction="none")
    tloss.backward(torch.tensor(upstream))
    np.testing.assert_allclose(loss.data, tloss.detach().numpy(), rtol=1e-6)
    np.testing.assert_allclose(dp.data, tp.grad.numpy(), rtol=1e-6)
    np.testing.assert_allclose(dy.data, ty.grad.numpy(), rtol=1e-6)
