"""sliding_windows and fold_windows (autograd_core/ops/windows.py): windows over 1 to 3 trailing axes with random
window shapes, strides and dilations against NumPy's sliding_window_view (and a fold written window by window), and
that function itself on Tensors (its axes anywhere); gradients to second order by finite differences (the generated
tests), PyTorch's unfold and fold, the view and the errors."""
import itertools

import numpy as np
import pytest
from hypothesis import strategies as st

import autograd_core as ag
from conftest import backward_refused
from optable import Op, generated_tests


@st.composite
def window_case(draw, folded=False):
    """(shape,) and {window_shape, stride, dilation}: 0 to 2 leading axes, then k = 1 to 3 windowed ones, each long
    enough for its dilated window. folded: the input is the windows' shape and "shape" the folded one."""
    k = draw(st.integers(1, 3))
    lead = tuple(draw(st.lists(st.integers(1, 2), max_size=3 - k if k > 1 else 2)))
    window, stride, dilation, sizes = [], [], [], []
    for _ in range(k):
        w, s, d = draw(st.integers(1, 3)), draw(st.integers(1, 3)), draw(st.integers(1, 2))
        window.append(w), stride.append(s), dilation.append(d)
        sizes.append(d * (w - 1) + 1 + draw(st.integers(0, 3)))
    settings = {"window_shape": tuple(window), "stride": _maybe_one(draw, stride),
                "dilation": _maybe_one(draw, dilation)}
    shape = lead + tuple(sizes)
    if not folded:
        return (shape,), settings
    counts = tuple((n - d * (w - 1) - 1) // s + 1 for n, w, s, d in zip(sizes, window, stride, dilation))
    del settings["window_shape"]
    return (lead + counts + tuple(window),), {"shape": shape, **settings}


def _maybe_one(draw, values):
    """values as a tuple, or as one int when they are all equal and the draw says so (an int means every axis)."""
    return values[0] if len(set(values)) == 1 and draw(st.booleans()) else tuple(values)


def _per_axis(value, k):
    return (value,) * k if isinstance(value, int) else tuple(value)


def numpy_windows(x, window_shape, stride, dilation):
    """NumPy's sliding_window_view of the dilated window's span, then every stride-th window and every dilation-th
    entry of each."""
    k = len(window_shape)
    stride, dilation = _per_axis(stride, k), _per_axis(dilation, k)
    spans = tuple(d * (w - 1) + 1 for w, d in zip(window_shape, dilation))
    view = np.lib.stride_tricks.sliding_window_view(x, spans, axis=tuple(range(x.ndim - k, x.ndim)))
    lead = (slice(None),) * (x.ndim - k)
    return view[lead + tuple(slice(None, None, s) for s in stride) + tuple(slice(None, None, d) for d in dilation)]


def numpy_fold(windows, shape, stride, dilation):
    """Each window added into zeros of shape at its place, one window at a time."""
    k = windows.ndim - len(shape)
    stride, dilation = _per_axis(stride, k), _per_axis(dilation, k)
    window_shape, counts = windows.shape[-k:], windows.shape[-2 * k:-k]
    out = np.zeros(shape, dtype=windows.dtype)
    for position in itertools.product(*map(range, counts)):
        for offset in itertools.product(*map(range, window_shape)):
            place = tuple(p * s + o * d for p, o, s, d in zip(position, offset, stride, dilation))
            out[(Ellipsis,) + place] += windows[(Ellipsis,) + position + offset]
    return out


@st.composite
def numpy_window_case(draw):
    """(shape,) and {window_shape, axis} for NumPy's sliding_window_view: axis None (every axis) or some of them in
    any order, each window at most its axis's length."""
    shape = draw(st.lists(st.integers(1, 4), min_size=1, max_size=3).map(tuple))
    axes = draw(st.one_of(st.none(), st.permutations(range(len(shape))).flatmap(
        lambda order: st.integers(1, len(order)).map(lambda k: tuple(order[:k])))))
    named = range(len(shape)) if axes is None else axes
    window_shape = tuple(draw(st.integers(1, shape[d])) for d in named)
    axis = axes[0] - len(shape) if axes is not None and len(axes) == 1 and draw(st.booleans()) else axes
    return (shape,), {"window_shape": window_shape, "axis": axis}


def _numpy_view(x, window_shape, axis):
    return np.lib.stride_tricks.sliding_window_view(x, window_shape, axis=axis)


def _weighted_fold(windows, fold, x, window_shape, stride, dilation):
    weights = np.arange(1, 1 + np.prod(window_shape)).reshape(window_shape).astype(x.dtype)
    return fold(windows(x, window_shape, stride, dilation) * weights, x.shape, stride, dilation)


WINDOWS = [
    Op("sliding_windows", ag.sliding_windows, numpy_windows, case=window_case()),
    Op("fold_windows", ag.fold_windows, numpy_fold, case=window_case(folded=True)),
    # NumPy's own function on Tensors, its axes anywhere (ops.sliding_windows over them, moved last and back)
    Op("np.sliding_window_view", _numpy_view, _numpy_view, case=numpy_window_case()),
    # the two composed: each window's entries weighted by their place in it, then added back
    Op("fold_of_windows", lambda x, **settings: _weighted_fold(ag.sliding_windows, ag.fold_windows, x, **settings),
       lambda x, **settings: _weighted_fold(numpy_windows, numpy_fold, x, **settings), case=window_case()),
]

globals().update(generated_tests(WINDOWS))


def test_windows_are_a_read_only_view_of_the_input():
    x = ag.tensor(np.arange(12.0).reshape(3, 4))
    windows = ag.sliding_windows(x, (2, 2))
    assert windows.shape == (2, 3, 2, 2)
    assert np.shares_memory(windows.data, x.data) and not windows.data.flags.writeable
    with pytest.raises(ValueError, match="read-only"):
        windows.data[0, 0, 0, 0] = 1.0


def test_a_change_in_place_to_the_input_is_seen_by_the_windows_consumers():
    x = ag.tensor(np.arange(5.0))
    w = ag.tensor(np.ones(2), requires_grad=True)
    y = (ag.sliding_windows(x, 2) * w).sum()  # multiply's rule for w reads the windows
    x += 1
    assert backward_refused(y)


def test_overlapping_windows_accumulate_their_gradients():
    x = ag.tensor(np.zeros((4, 4)), requires_grad=True)
    ag.sliding_windows(x, (3, 3)).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [[1, 2, 2, 1], [2, 4, 4, 2], [2, 4, 4, 2], [1, 2, 2, 1]])


def test_windows_match_torch_unfold_and_fold():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 3, 7, 8))
    window, stride, dilation = (2, 3), (2, 1), (3, 2)
    ours = ag.sliding_windows(x, window, stride, dilation)  # (N, C, oh, ow, kh, kw)
    theirs = torch.nn.functional.unfold(torch.tensor(x), window, dilation=dilation, stride=stride)  # (N, C*kh*kw, L)
    n, c, oh, ow, kh, kw = ours.shape
    np.testing.assert_array_equal(ours.data.transpose(0, 1, 4, 5, 2, 3).reshape(n, c * kh * kw, oh * ow),
                                  theirs.numpy())
    folded = torch.nn.functional.fold(theirs, (7, 8), window, dilation=dilation, stride=stride)
    np.testing.assert_allclose(ag.fold_windows(ours, x.shape, stride, dilation).data, folded.numpy(), rtol=1e-12)
    one_axis = torch.tensor(x).unfold(-1, 3, 2)  # Tensor.unfold(dimension, size, step): one axis
    np.testing.assert_array_equal(ag.sliding_windows(x, 3, stride=2).data, one_axis.numpy())


def test_fold_of_float32_windows_stays_float32():
    windows = ag.ones((3, 2), dtype=np.float32)
    assert ag.fold_windows(windows, (4,)).dtype == np.float32


@pytest.mark.parametrize("call, error, message", [
    (lambda: ag.sliding_windows(ag.zeros(4), 5), ValueError,
     r"sliding_windows: the window \(5,\) with dilation \(1,\) spans \(5,\), more than the last 1 axes of the input "
     r"\(shape \(4,\)\) hold"),
    (lambda: ag.sliding_windows(ag.zeros(4), 2, dilation=4), ValueError, r"spans \(5,\)"),
    (lambda: ag.sliding_windows(ag.zeros(4), (2, 2)), ValueError,
     r"sliding_windows: a window over 2 axes needs an input of at least 2 dimensions, got shape \(4,\)"),
    (lambda: ag.sliding_windows(ag.zeros(4), ()), ValueError, "sliding_windows: window_shape is empty"),
    (lambda: ag.sliding_windows(ag.zeros(4), 2.0), TypeError, "sliding_windows: window_shape must be an int or a"),
    (lambda: ag.sliding_windows(ag.zeros((4, 4)), (2, 2), stride=(1, 1, 1)), TypeError,
     r"sliding_windows: stride must be an int or a tuple of 2 ints \(one per windowed axis\), got \(1, 1, 1\)"),
    (lambda: ag.sliding_windows(ag.zeros(4), 2, stride=0), ValueError,
     "sliding_windows: stride must be at least 1 along every axis, got 0"),
    (lambda: ag.sliding_windows(ag.zeros(4), 0), ValueError, "sliding_windows: window_shape must be at least 1"),
    (lambda: ag.sliding_windows(ag.zeros(4), 2, dilation=True), TypeError, "sliding_windows: dilation must be"),
    (lambda: ag.fold_windows(ag.zeros((3, 2)), (5,)), ValueError,
     r"fold_windows: windows of shape \(3, 2\) are not those of an input of shape \(5,\) with stride \(1,\) and "
     r"dilation \(1,\); sliding_windows would give shape \(4, 2\)"),
    (lambda: ag.fold_windows(ag.zeros((3, 2)), (3, 2)), ValueError,
     r"fold_windows: windows of shape \(3, 2\) do not fit shape \(3, 2\)"),
    (lambda: ag.fold_windows(ag.zeros((3, 7)), (5,)), ValueError, "the window does not fit"),
    (lambda: ag.fold_windows(ag.zeros((3, 2)), 5), TypeError, "fold_windows: shape must be a tuple of ints, got 5"),
    (lambda: _numpy_view(ag.zeros((3, 4)), (2, 2), (0, 0)), ValueError,
     r"sliding_window_view on Tensors: window_shape \(2, 2\) and axis \(0, 0\) must name each axis once"),
    (lambda: _numpy_view(ag.zeros((3, 4)), 2, 2), np.exceptions.AxisError, "sliding_window_view: axis 2 is out of "),
    (lambda: np.lib.stride_tricks.sliding_window_view(ag.zeros(3), 2, writeable=True), TypeError,
     "writeable=True not supported"),
])
def test_errors_name_the_operation(call, error, message):
    with pytest.raises(error, match=message):
        call()
