"""Corner cases closed in session 25 (helper H1), each pinned to PyTorch 2.13's values (written out, so the tests run
without torch) and compared with torch itself when it is installed.

ctc_loss with non-finite log-probabilities: PyTorch's kernel computes every state of the sample from the second frame
on (an unreachable one as -inf + log_probs, NaN for NaN or +inf) and its logsumexp of a +inf is NaN; a NaN or +inf in
the first frame off the alignments, or on a state from which the end cannot be reached, changes nothing."""
import numpy as np
import pytest

import autograd_core as ag
import nn
import nn.functional as F


# ---- grid_sample where the input holds inf or NaN ----------------------------------------------------------------
# PyTorch multiplies a clipped coordinate's gradient by 0, so an infinite or NaN incoming gradient gives NaN there
# ('border', 'reflection'); ag.clip's gradient is 0 there. The rows: (input value at [1, 2], padding, align_corners,
# grid point (x, y)) -> PyTorch 2.13's grid gradient.
GRID_CASES = [
    (np.inf, "border", True, (0.11342497781009953, 1.1311883018481976), [np.inf, np.nan]),  # y clipped
    (np.nan, "border", True, (0.11342497781009953, 1.1311883018481976), [np.nan, np.nan]),
    (np.inf, "border", True, (0.5, 0.0), [np.inf, np.inf]),  # nothing clipped
    (np.inf, "border", False, (1.2, 0.9), [np.nan, np.nan]),  # both clipped
    (-np.inf, "reflection", False, (1.2, 0.9), [np.nan, np.nan]),
    (np.inf, "zeros", False, (1.2, 0.9), [-np.inf, -np.inf]),  # not clipped
    (np.inf, "border", True, (-0.5, -0.5), [1.0, 1.5]),  # the inf is not read
]


def _grid_input(value, dtype=np.float64):
    x = np.arange(6.0).reshape(1, 1, 2, 3)
    x[0, 0, 1, 2] = value
    return x.astype(dtype)


@pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")  # (inf * 0, as PyTorch silently)
@pytest.mark.parametrize("value, padding, align_corners, point, expected", GRID_CASES)
@pytest.mark.parametrize("dims", [2, 3])
def test_grid_sample_clipped_coordinate_gradient_is_nan_where_the_incoming_gradient_is_not_finite(
        value, padding, align_corners, point, expected, dims):
    for dtype in (np.float64, np.float32):
        x, grid = _grid_input(value, dtype), np.array([[[point]]], dtype)
        if dims == 3:  # the same samples from a 3-D input of depth 1, at z = 0 (the 3-D kernel gives the same)
            x, grid = x[:, :, None], np.concatenate([grid, np.zeros_like(grid[..., :1])], axis=-1)[:, None]
        g = ag.tensor(grid, requires_grad=True)
        F.grid_sample(ag.tensor(x), g, padding_mode=padding, align_corners=align_corners).sum().backward()
        np.testing.assert_array_equal(g.grad.data.reshape(-1)[:2], expected)


@pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")  # (inf * 0, as PyTorch silently)
def test_grid_sample_clipped_coordinates_match_torch():
    torch = pytest.importorskip("torch")
    for value, padding, align_corners, point, _ in GRID_CASES:
        for mode in ("bilinear", "nearest"):
            x, grid = _grid_input(value), np.array([[[point, (0.3, -0.2)]]])
            g, tg = ag.tensor(grid, requires_grad=True), torch.tensor(grid, requires_grad=True)
            x_ours, x_torch = ag.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
            out = F.grid_sample(x_ours, g, mode=mode, padding_mode=padding, align_corners=align_corners)
            theirs = torch.nn.functional.grid_sample(x_torch, tg, mode=mode, padding_mode=padding,
                                                     align_corners=align_corners)
            np.testing.assert_array_equal(out.data, theirs.detach().numpy())
            out.sum().backward()
            theirs.sum().backward()
            np.testing.assert_array_equal(0 if g.grad is None else g.grad.data, tg.grad.numpy())
            np.testing.assert_array_equal(x_ours.grad.data, x_torch.grad.numpy())


def test_grid_sample_clip_gradient_keeps_finite_derivatives_to_second_order():
    from autograd_core.testing import gradcheck, gradgradcheck

    x = np.random.default_rng(6).standard_normal((1, 2, 3, 4))
    grid = np.array([[[[0.2, -0.3], [1.4, 0.5]], [[-1.2, -1.3], [0.7, 0.95]]]])  # inside and clipped points
    for padding in ("border", "reflection"):
        def f(x, grid):
            return F.grid_sample(x, grid, padding_mode=padding, align_corners=False)
        assert gradcheck(f, x, grid)
        assert gradgradcheck(f, x, grid)


@pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")  # (inf * 0, as PyTorch silently)
def test_grid_sample_bicubic_grid_gradient_at_an_infinite_input_departs_from_torch():
    # Kept: NaN where PyTorch's is -inf (each term of Keys' polynomial passes its share of the infinite cotangent)
    x = np.arange(9.0).reshape(1, 1, 3, 3)
    x[0, 0, 1, 1] = np.inf
    g = ag.tensor(np.array([[[[0.3, 0.2]]]]), requires_grad=True)
    out = F.grid_sample(ag.tensor(x), g, mode="bicubic", align_corners=True)
    assert out.item() == np.inf  # (PyTorch's value too)
    out.sum().backward()
    assert np.isnan(g.grad.data).all()  # PyTorch 2.13: [-inf, -inf]
