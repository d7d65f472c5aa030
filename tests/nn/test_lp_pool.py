"""Power-average pooling (nn/_pooling_more_functions.py, nn/lp_pooling.py): lp_pool1d, 2d and 3d declared once for
the suite's generated tests (value against a NumPy loop over the windows, gradient and second derivative against
central differences, float32 kept, the graph freed), then against torch (values and gradients, float32 and
float64, ceil_mode, p = inf and -inf, all-zero windows), the layers' settings and reprs, and the errors."""
import itertools
import math
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import strategies as st

import autograd_core as ag
import nn
import nn.functional as F
from autograd_core.testing import gradcheck

sys.path.append(str(Path(__file__).resolve().parents[1] / "autograd_core" / "ops"))  # the engine's declaration tables
from optable import Op, generated_tests  # noqa: E402
from conftest import assert_function_matches_torch  # noqa: E402


def _lp_ref(x, p, kernel_size, stride=None, ceil_mode=False):
    """The definition, window by window: (sum of x ** p over the window) ** (1 / p), a last partial window (ceil_mode,
    one that starts inside the input) scaled by kernel / covered, as PyTorch's avg_pool-based formula gives."""
    dims = len(kernel_size)
    stride = stride or kernel_size
    spatial = x.shape[-dims:]
    counts = []
    for n, k, s in zip(spatial, kernel_size, stride):
        count = (-(-(n - k) // s) if ceil_mode else (n - k) // s) + 1
        if ceil_mode and (count - 1) * s >= n:
            count -= 1
        counts.append(count)
    out = np.empty(x.shape[:-dims] + tuple(counts))
    for index in itertools.product(*map(range, counts)):
        window = tuple(slice(i * s, i * s + k) for i, s, k in zip(index, stride, kernel_size))
        part = x[(Ellipsis,) + window]
        covered = math.prod(part.shape[-dims:])
        total = (part ** p).sum(axis=tuple(range(-dims, 0))) * math.prod(kernel_size) / covered
        out[(Ellipsis,) + index] = total ** (1 / p)
    return out


@st.composite
def _lp_case(draw, dims):
    kernel = tuple(draw(st.integers(1, 3)) for _ in range(dims))
    stride = draw(st.one_of(st.none(), st.tuples(*[st.integers(1, 3)] * dims)))
    ceil_mode = draw(st.booleans())
    spatial = tuple(draw(st.integers(k, k + 3)) for k in kernel)
    lead = draw(st.sampled_from([(2,), (1, 2)]))
    p = draw(st.sampled_from([1, 2, 3, 1.5]))
    return (lead + spatial,), {"p": p, "kernel_size": kernel, "stride": stride, "ceil_mode": ceil_mode}


def _lp_op(dims):
    fn = getattr(F, f"lp_pool{dims}d")
    return Op(f"lp_pool{dims}d", lambda x, p, kernel_size, stride, ceil_mode: fn(x, p, kernel_size, stride, ceil_mode),
              _lp_ref, case=_lp_case(dims), elements=(0.2, 3.0))


LP = [_lp_op(1), _lp_op(2), _lp_op(3)]

globals().update(generated_tests(LP))


def test_lp_pool_reference_by_hand():
    x = ag.tensor([[3.0, 4.0, 1.0, 1.0, 2.0]])
    assert F.lp_pool1d(x, 2, 2).tolist() == [[5.0, math.sqrt(2)]]
    # ceil_mode: the last window covers one entry, its power-sum scaled by kernel / covered = 2
    np.testing.assert_allclose(F.lp_pool1d(x, 2, 2, ceil_mode=True).data, [[5.0, math.sqrt(2), math.sqrt(8)]])
    assert F.lp_pool1d(x, 1, 5).tolist() == [[11.0]]
    assert F.lp_pool1d(x, math.inf, 2).tolist() == [[4.0, 1.0]]
    assert F.lp_pool2d(ag.tensor(np.ones((1, 2, 4))), 2, (2, 2), stride=(1, 2)).tolist() == [[[2.0, 2.0]]]


def test_lp_pool_gradient_is_zero_at_a_zero_window_without_warnings():
    x = ag.tensor([[0.0, 0.0, 1.0, -2.0]], requires_grad=True)
    with np.errstate(all="raise"):
        y = F.lp_pool1d(x, 2, 2)
        y.backward(np.ones(y.shape))
    assert y.tolist() == [[0.0, math.sqrt(5)]]
    np.testing.assert_allclose(x.grad.data, [[0.0, 0.0, 1 / math.sqrt(5), -2 / math.sqrt(5)]])
    assert gradcheck(lambda t: F.lp_pool1d(t, 2, 2), np.array([[0.0, 0.0, 1.0, -2.0]]))
    image = np.zeros((1, 2, 4))
    image[0, :, 2:] = [[1.0, 2.0], [3.0, 4.0]]
    np.testing.assert_allclose(F.lp_pool2d(image, 2, 2).data, [[[0.0, math.sqrt(30)]]])
    np.testing.assert_allclose(F.lp_pool3d(image[None], 3, (1, 2, 2)).data, [[[[0.0, 100 ** (1 / 3)]]]])


# ---- against PyTorch ------------------------------------------------------------------------------------------
def _torch():
    return pytest.importorskip("torch")


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("dims, shape, p, kernel, stride, ceil_mode", [
    (1, (2, 3, 7), 2, 3, 2, True), (1, (3, 8), 1, 2, None, False), (1, (2, 3, 7), 3.5, 3, 1, False),
    (1, (1, 2, 6), math.inf, 2, 3, True), (1, (2, 5), -math.inf, 2, None, False), (1, (2, 2, 7), -1, 2, 2, True),
    (2, (2, 2, 5, 6), 2, (2, 3), (2, 2), True), (2, (3, 4, 4), 1.5, 2, None, False), (2, (1, 1, 5, 5), 2, 3, 1, True),
    (3, (1, 2, 4, 5, 3), 2, 2, None, True), (3, (2, 3, 3, 4), 3, (1, 2, 2), (1, 1, 2), False),
])
def test_lp_pool_matches_torch(dims, shape, p, kernel, stride, ceil_mode, dtype):
    torch = _torch()
    rng = np.random.default_rng(dims)
    x = rng.normal(size=shape).astype(dtype)
    if p not in (1, 2, math.inf, -math.inf, -1):  # a fractional power of a negative sum is NaN: keep it positive
        x = np.abs(x) + 0.1
    if p > 0:
        x.flat[:4] = 0  # (a zero window: its gradient is 0)
    ours, theirs = getattr(F, f"lp_pool{dims}d"), getattr(torch.nn.functional, f"lp_pool{dims}d")
    assert_function_matches_torch(lambda v: ours(v, p, kernel, stride, ceil_mode),
                                  lambda v: theirs(v, p, kernel, stride, ceil_mode), [x], dtype, tol_factor=64)


def test_lp_pool_layers_match_torch_and_show_their_settings():
    torch = _torch()
    x = np.abs(np.random.default_rng(3).normal(size=(2, 3, 6, 6, 6)))
    for dims in (1, 2, 3):
        ours = getattr(nn, f"LPPool{dims}d")(2, 3, 2, ceil_mode=True)
        theirs = getattr(torch.nn, f"LPPool{dims}d")(2, 3, 2, ceil_mode=True)
        data = x[(0,) * (3 - dims)]
        np.testing.assert_allclose(ours(data).data, theirs(torch.tensor(data)).numpy(), rtol=1e-12)
        assert repr(ours) == repr(theirs)
    assert repr(nn.LPPool2d(1.5, (2, 3))) == "LPPool2d(norm_type=1.5, kernel_size=(2, 3), stride=None, ceil_mode=False)"


def test_lp_pool_layers_without_torch():
    layer = nn.LPPool1d(2, 2)
    assert repr(layer) == "LPPool1d(norm_type=2, kernel_size=2, stride=None, ceil_mode=False)"
    assert layer(np.array([[3.0, 4.0]])).tolist() == [[5.0]]
    assert list(layer.parameters()) == []


# ---- errors ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("call, error, words", [
    (lambda: F.lp_pool1d(np.ones((1, 4)), 0, 2), ValueError, "lp_pool1d: norm_type must not be 0"),
    (lambda: F.lp_pool1d(np.ones((1, 4)), "2", 2), TypeError, "lp_pool1d: norm_type must be a number"),
    (lambda: F.lp_pool2d(np.ones((1, 4)), 2, 2), ValueError, "lp_pool2d: expected a 3-D or 4-D input"),
    (lambda: F.lp_pool1d(np.ones((1, 4)), 2, 5), ValueError, "lp_pool1d: the input's spatial size (4,)"),
    (lambda: F.lp_pool1d(np.ones((1, 4)), 2, 0), ValueError, "lp_pool1d: kernel_size"),
    (lambda: F.lp_pool3d(np.ones((1, 2, 2, 2)), 2, (2, 2)), ValueError, "lp_pool3d: kernel_size"),
    (lambda: F.lp_pool3d(np.ones((1, 2, 4, 2)), 2, 3, ceil_mode=True), ValueError,
     "lp_pool3d: the input's spatial size (2, 4, 2) is smaller than the kernel (3, 3, 3)"),
    (lambda: nn.LPPool1d(0, 2), ValueError, "LPPool1d: norm_type must be a nonzero number"),
    (lambda: nn.LPPool2d(None, 2), TypeError, "LPPool2d: norm_type must be a nonzero number"),
    (lambda: nn.LPPool2d(2, (2, 2, 2)), ValueError, "LPPool2d: kernel_size"),
    (lambda: nn.LPPool1d(2, 2, stride=0), ValueError, "LPPool1d: stride"),
    (lambda: nn.LPPool3d(2, 2, ceil_mode="yes"), TypeError, "LPPool3d: ceil_mode"),
])
def test_lp_pool_errors(call, error, words):
    with pytest.raises(error, match=words.replace("(", r"\(").replace(")", r"\)")):
        call()
