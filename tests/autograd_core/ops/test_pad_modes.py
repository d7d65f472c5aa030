"""pad's index-mapping modes, 'edge', 'reflect', 'symmetric' and 'wrap' (autograd_core/ops/padding.py): the values as
np.pad's (widths beyond the axis too, where reflect, symmetric and wrap repeat), gradients to second order by finite
differences, the gradient as an independent scatter-add of the copies, PyTorch's F.pad where it overlaps, and the
errors."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd_core as ag
from autograd_core.testing import gradgradcheck
from optable import Op, generated_tests

MODES = ("edge", "reflect", "symmetric", "wrap")


@st.composite
def _pad_mode_case(draw, max_width=4):
    """A shape (0-d to 3-d, sides 1 to 3), a mode, and pad_width in one of NumPy's forms, its widths up to max_width:
    often wider than the axis."""
    shape = draw(hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=3))
    ndim = len(shape)
    width = st.integers(0, max_width)
    pad_width = draw(st.one_of(
        width,                                                            # N on every side
        st.tuples(width, width),                                          # (before, after) on every axis
        st.tuples(*[st.tuples(width, width)] * ndim) if ndim else width,  # one pair per axis
        st.lists(st.lists(width, min_size=2, max_size=2), min_size=ndim, max_size=ndim) if ndim else width,
    ))
    return (shape,), {"pad_width": pad_width, "mode": draw(st.sampled_from(MODES))}


PAD_MODES = [
    Op("pad_modes", ag.pad, lambda x, pad_width, mode: np.pad(x, pad_width, mode), case=_pad_mode_case()),
    Op("np.pad_modes", lambda x, pad_width, mode: np.pad(x, pad_width, mode=mode),
       lambda x, pad_width, mode: np.pad(x, pad_width, mode), case=_pad_mode_case(max_width=2)),
]

globals().update(generated_tests(PAD_MODES))


def _copied_entries(shape, pad_width, mode):
    """For each axis, the entry of x each entry of the padded axis copies, written out from each mode's definition
    (not with np.pad): the reference the gradient is checked against."""
    maps = []
    for n, (before, after) in zip(shape, np.broadcast_to(pad_width, (len(shape), 2))):
        positions = np.arange(-before, n + after)
        if mode == "edge":
            maps.append(np.clip(positions, 0, n - 1))
        elif mode == "wrap":
            maps.append(positions % n)
        else:  # a mirror: reflect's period is 2n - 2 (the edge not repeated), symmetric's 2n
            period = max(2 * n - 2, 1) if mode == "reflect" else 2 * n
            folded = positions % period
            maps.append(np.where(folded < n, folded, period - folded - (mode == "symmetric")))
    return maps


@settings(max_examples=60)
@given(case=_pad_mode_case(max_width=9), data=st.data())
def test_values_and_gradient_are_the_copies_written_out(case, data):
    """Independent of np.pad: the result is x gathered at each mode's positions, and the gradient scatter-adds the
    cotangent back (np.add.at over the same positions), so an entry copied k times gets k contributions."""
    (shape,), kwargs = case
    x = data.draw(hnp.arrays(np.float64, shape, elements=st.floats(-3, 3)))
    maps = _copied_entries(shape, kwargs["pad_width"], kwargs["mode"])
    expected = x[np.ix_(*maps)] if shape else x
    leaf = ag.tensor(x, requires_grad=True)
    out = ag.pad(leaf, **kwargs)
    np.testing.assert_array_equal(out.data, expected)
    cotangent = data.draw(hnp.arrays(np.float64, out.shape, elements=st.floats(-3, 3)))
    out.backward(cotangent)
    grad = np.zeros(shape)
    if shape:
        np.add.at(grad, np.ix_(*maps), cotangent)
    else:
        grad = cotangent
    np.testing.assert_allclose(leaf.grad.data, grad, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("mode", MODES)
def test_a_single_entry_is_copied_everywhere(mode):
    """An axis of one entry: every mode repeats it (reflect too, as NumPy), and its gradient is the sum of all."""
    x = ag.tensor([[2.0]], requires_grad=True)
    out = ag.pad(x, ((2, 3), (1, 0)), mode)
    np.testing.assert_array_equal(out.data, np.full((6, 2), 2.0))
    out.backward(np.arange(12.0).reshape(6, 2))
    assert x.grad.tolist() == [[66.0]]


@pytest.mark.parametrize("widths", [(1, 0), (20, 7)])  # few padded entries are added one by one, many by np.add.at
@pytest.mark.parametrize("mode", MODES)
def test_gradient_of_few_and_many_padded_entries(mode, widths):
    x = ag.tensor(np.arange(6.0).reshape(2, 3), requires_grad=True)
    out = ag.pad(x, ((0, 0), widths), mode)
    cotangent = np.random.default_rng(0).standard_normal(out.shape)
    out.backward(cotangent)
    (copied,) = _copied_entries((3,), widths, mode)
    expected = np.zeros((2, 3))
    np.add.at(expected, (slice(None), copied), cotangent)
    np.testing.assert_allclose(x.grad.data, expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("mode", MODES)
def test_third_derivative(mode):
    """The rules are each other, traced, so every order holds: the second derivative of the gradient."""
    x = np.array([0.3, -1.2, 0.7])
    weights = np.arange(1.0, 12.0)
    f = lambda t: (ag.sin(ag.pad(t, (5, 3), mode)) * weights).sum()  # noqa: E731
    assert gradgradcheck(lambda t: ag.grad(f)(t), x, atol=1e-7, rtol=1e-6)


@pytest.mark.parametrize("dtype", [np.float32, np.int64, np.bool_, np.uint8])
@pytest.mark.parametrize("mode", MODES)
def test_dtype_is_kept_as_numpy(dtype, mode):
    x = (np.arange(6) % 3).reshape(2, 3).astype(dtype)
    out = ag.pad(x, ((1, 2), (4, 0)), mode)
    assert out.dtype == dtype
    np.testing.assert_array_equal(out.data, np.pad(x, ((1, 2), (4, 0)), mode))


def test_float32_gradient_stays_float32():
    x = ag.tensor(np.arange(4.0, dtype=np.float32), requires_grad=True)
    ag.pad(x, 6, "reflect").sum().backward()  # 3 2 1 0 1 2 [0 1 2 3] 2 1 0 1 2 3: the ends copied 3 times
    assert x.grad.dtype == np.float32 and x.grad.tolist() == [3.0, 5.0, 5.0, 3.0]


def test_an_empty_axis_without_padding_is_padded_elsewhere():
    out = ag.pad(ag.zeros((2, 0)), ((1, 2), (0, 0)), "wrap")
    assert out.shape == (5, 0) and np.pad(np.zeros((2, 0)), ((1, 2), (0, 0)), "wrap").shape == (5, 0)


def test_np_pad_takes_reflect_type_even():
    x = ag.tensor([1.0, 2.0, 4.0], requires_grad=True)
    out = np.pad(x, (2, 1), mode="symmetric", reflect_type="even")
    assert out.tolist() == [2.0, 1.0, 1.0, 2.0, 4.0, 4.0]
    out.backward(np.arange(6.0))
    assert x.grad.tolist() == [1.0 + 2.0, 0.0 + 3.0, 4.0 + 5.0]


def test_the_record_is_one_pad_node_with_its_mode():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    out = ag.pad(x, 1, "edge")
    assert out.op_name == "pad"
    out.backward(np.ones(4), create_graph=True)
    assert x.grad.tolist() == [2.0, 2.0]


@pytest.mark.parametrize("mode, torch_mode", [("reflect", "reflect"), ("edge", "replicate"), ("wrap", "circular")])
def test_values_and_gradients_match_torch(mode, torch_mode):
    """PyTorch's F.pad modes are NumPy's under other names (within PyTorch's limits on the widths)."""
    torch = pytest.importorskip("torch")
    values = np.random.default_rng(1).standard_normal((2, 3, 4, 5))
    widths = ((0, 0), (0, 0), (3, 1), (2, 4))
    x, t = ag.tensor(values, requires_grad=True), torch.tensor(values, requires_grad=True)
    out = ag.pad(x, widths, mode)
    expected = torch.nn.functional.pad(t, (2, 4, 3, 1), mode=torch_mode)  # (the last axis first)
    np.testing.assert_array_equal(out.data, expected.detach().numpy())
    weights = np.random.default_rng(2).standard_normal(out.shape)
    (out * weights).sum().backward()
    (expected * torch.tensor(weights)).sum().backward()
    np.testing.assert_allclose(x.grad.data, t.grad.numpy(), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("call, error, message", [
    (lambda: ag.pad(ag.zeros(3), 1, mode="mean"), ValueError,
     "pad: mode='mean' is not supported; valid modes are 'constant' and those that copy entries of x, 'edge', "
     "'reflect', 'symmetric', 'wrap'"),
    (lambda: ag.pad(ag.zeros(3), 1, mode="Reflect"), ValueError, "pad: mode='Reflect' is not supported"),
    (lambda: ag.pad(ag.zeros(3), 1, mode=None), ValueError, "pad: mode=None is not supported"),
    (lambda: ag.pad(ag.zeros(3), 1, mode=lambda *a: None), ValueError, r"a function are not offered"),
    (lambda: np.pad(ag.zeros(3), 1, mode="maximum"), ValueError, "pad: mode='maximum' is not supported"),
    (lambda: np.pad(ag.zeros(3), 1, mode="mean", stat_length=2), TypeError,
     r"np.pad on Tensors: stat_length=2 not supported with mode='mean'; only constant_values= \(mode='constant'\) "
     r"and reflect_type='even'"),
    (lambda: np.pad(ag.zeros(3), 1, mode="reflect", reflect_type="odd"), TypeError,
     "np.pad on Tensors: reflect_type='odd' not supported with mode='reflect'"),
    (lambda: np.pad(ag.zeros(3), 1, mode="wrap", reflect_type="even"), TypeError,
     "np.pad on Tensors: reflect_type='even' not supported with mode='wrap'"),
    (lambda: np.pad(ag.zeros(3), 1, mode="edge", constant_values=1.0), ValueError,
     "pad: constant_values=1.0 belongs to mode='constant'; mode='edge' fills the padding with entries of x"),
    (lambda: ag.pad(ag.zeros((2, 0)), 1, "reflect"), ValueError,
     r"pad: mode='reflect' copies entries of x, and axis 1 of shape \(2, 0\) has none; give it no padding there, or "
     r"use mode='constant'"),
    (lambda: ag.pad(ag.zeros(3), (1, -1), "wrap"), ValueError,
     r"pad: pad_width \(1, -1\) holds a negative width; widths must be at least 0"),
    (lambda: ag.pad(ag.zeros((2, 3)), ((1, 1),) * 3, "symmetric"), ValueError,
     r"pad: pad_width .* does not fit shape \(2, 3\); give an int, a \(before, after\) pair, or one pair per axis"),
    (lambda: ag.pad(ag.zeros(3), 1.5, "edge"), ValueError, "pad: pad_width 1.5 does not fit shape"),
])
def test_errors_name_the_operation(call, error, message):
    with pytest.raises(error, match=message):
        call()


# ---- constant_values= belongs to mode='constant': np.pad refuses it in a copying mode whatever its value ----
@pytest.mark.parametrize("mode", ["edge", "reflect", "symmetric", "wrap"])
@pytest.mark.parametrize("value", [0, 0.0, (0, 0), 1.0])
def test_constant_values_with_a_copying_mode_is_refused_as_numpy(mode, value):
    """NumPy refuses constant_values= in a mode that copies entries, whatever its value; np.pad on a Tensor took 0
    and ignored it."""
    with pytest.raises(ValueError, match="unsupported keyword arguments"):
        np.pad(np.zeros(3), 1, mode=mode, constant_values=value)
    with pytest.raises(ValueError, match=rf"pad: constant_values=.* belongs to mode='constant'; mode='{mode}' fills "
                                         r"the padding with entries of x"):
        np.pad(ag.zeros(3), 1, mode=mode, constant_values=value)


def test_constant_values_of_zero_is_still_taken_where_it_belongs():
    assert np.pad(ag.ones(2), 1, constant_values=0).tolist() == [0.0, 1.0, 1.0, 0.0]
    assert ag.pad(ag.ones(2), 1, "edge", constant_values=0).tolist() == [1.0, 1.0, 1.0, 1.0]  # (ag.pad's own default)
