"""NumPy's rearranging functions on Tensors (autograd_core/ops/rearrange.py): tile, repeat, roll, moveaxis, rollaxis,
ravel, the stacks, atleast_nd, rot90, fliplr, flipud, resize. One declaration each drives the generated tests (value,
dtype and shape vs NumPy, gradients vs central differences to second order, float32); then the NumPy dispatch,
dtypes of integer inputs, torch's gradients and the errors."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd_core as ag
from autograd_core.testing import gradcheck
from autograd_core.testing.strategies import shapes
from optable import Op, axis_of, generated_tests, one_input
from conftest import assert_function_matches_torch


def _tile_kwargs(shape):
    return st.fixed_dictionaries({"reps": st.one_of(st.integers(0, 3),
                                                    st.lists(st.integers(0, 2), min_size=1, max_size=4).map(tuple))})


def _repeat_kwargs(shape):
    if not shape:
        return st.fixed_dictionaries({"repeats": st.integers(0, 3), "axis": st.none()})
    return st.one_of(
        st.fixed_dictionaries({"repeats": st.integers(0, 3), "axis": st.none() | axis_of(shape)}),
        axis_of(shape).flatmap(lambda a: st.fixed_dictionaries({
            "repeats": st.lists(st.integers(0, 3), min_size=shape[a], max_size=shape[a]), "axis": st.just(a)})))


def _roll_kwargs(shape):
    if not shape:
        return st.fixed_dictionaries({"shift": st.integers(-4, 4), "axis": st.none()})
    return st.one_of(
        st.fixed_dictionaries({"shift": st.integers(-4, 4), "axis": st.none() | axis_of(shape)}),
        st.integers(1, 3).flatmap(lambda k: st.fixed_dictionaries({
            "shift": st.lists(st.integers(-4, 4), min_size=k, max_size=k).map(tuple),
            "axis": st.lists(axis_of(shape), min_size=k, max_size=k).map(tuple)})))


def _moveaxis_kwargs(shape):
    n = len(shape)
    return st.permutations(range(n)).flatmap(lambda p: st.integers(0, n).map(
        lambda k: {"source": tuple(p[:k]), "destination": tuple(range(n))[:k][::-1]}))


def _rollaxis_kwargs(shape):
    return st.fixed_dictionaries({"axis": axis_of(shape), "start": st.integers(-len(shape), len(shape))})


def _rot90_kwargs(shape):
    n = len(shape)
    return st.fixed_dictionaries({"k": st.integers(-5, 5), "axes": st.permutations(range(n)).map(lambda p: tuple(
        p[:2]))})


def _resize_kwargs(shape):
    return st.fixed_dictionaries({"new_shape": st.lists(st.integers(1, 4), min_size=1, max_size=3).map(tuple)})


@st.composite
def _joined(draw, ndim_max=2):
    """Shapes for vstack/hstack/dstack/column_stack: 1 to 3 inputs of one shape (the joins need equal shapes but for
    the joined axis, so one shape is always valid)."""
    shape = draw(shapes(min_dims=0, max_dims=ndim_max, min_side=1, max_side=3))
    return tuple([shape] * draw(st.integers(1, 3))), {}


def _stacked(name):
    return lambda *xs: getattr(np, name)(list(xs))


def _nary(name):
    return lambda *xs: getattr(ag, name)(list(xs))


REARRANGE = [
    Op("tile", ag.tile, np.tile, case=one_input(_tile_kwargs)),
    Op("repeat", ag.repeat, np.repeat, case=one_input(_repeat_kwargs)),
    Op("roll", ag.roll, np.roll, case=one_input(_roll_kwargs)),
    Op("moveaxis", ag.moveaxis, np.moveaxis, case=one_input(_moveaxis_kwargs)),
    Op("rollaxis", ag.rollaxis, np.rollaxis, case=one_input(_rollaxis_kwargs, min_dims=1)),
    Op("ravel", ag.ravel, np.ravel, case=one_input(lambda s: st.fixed_dictionaries({"order": st.sampled_from("CF")}))),
    # (copied: an input with enough axes comes back as it is, as NumPy's, and the graph checks need a node)
    Op("atleast_1d", lambda x: ag.copy(ag.atleast_1d(x)), np.atleast_1d),
    Op("atleast_2d", lambda x: ag.copy(ag.atleast_2d(x)), np.atleast_2d),
    Op("atleast_3d", lambda x: ag.copy(ag.atleast_3d(x)), np.atleast_3d),
    Op("vstack", _nary("vstack"), _stacked("vstack"), case=_joined()),
    Op("hstack", _nary("hstack"), _stacked("hstack"), case=_joined()),
    Op("dstack", _nary("dstack"), _stacked("dstack"), case=_joined(3)),
    Op("column_stack", _nary("column_stack"), _stacked("column_stack"), case=_joined()),
    Op("rot90", ag.rot90, np.rot90, case=one_input(_rot90_kwargs, min_dims=2)),
    Op("fliplr", ag.fliplr, np.fliplr, case=one_input(lambda s: st.just({}), min_dims=2)),
    Op("flipud", ag.flipud, np.flipud, case=one_input(lambda s: st.just({}), min_dims=1)),
    Op("resize", ag.resize, np.resize, case=one_input(_resize_kwargs)),
    # through NumPy's own functions
    Op("np.tile", np.tile, np.tile, case=one_input(_tile_kwargs)),
    Op("np.roll", np.roll, np.roll, case=one_input(_roll_kwargs)),
    Op("np.repeat", np.repeat, np.repeat, case=one_input(_repeat_kwargs)),
]

globals().update(generated_tests(REARRANGE))


# ---- integer dtypes, as NumPy ---------------------------------------------------------------------------------------
CALLS = {
    "tile": lambda f, x: f.tile(x, (2, 1)), "repeat": lambda f, x: f.repeat(x, 2, axis=0),
    "roll": lambda f, x: f.roll(x, -1), "moveaxis": lambda f, x: f.moveaxis(x, 0, 1),
    "rollaxis": lambda f, x: f.rollaxis(x, 1), "ravel": lambda f, x: f.ravel(x),
    "vstack": lambda f, x: f.vstack([x, x]), "hstack": lambda f, x: f.hstack([x, x]),
    "dstack": lambda f, x: f.dstack([x, x]), "column_stack": lambda f, x: f.column_stack([x, x]),
    "rot90": lambda f, x: f.rot90(x, 3), "fliplr": lambda f, x: f.fliplr(x), "flipud": lambda f, x: f.flipud(x),
    "resize": lambda f, x: f.resize(x, (3, 3)), "atleast_3d": lambda f, x: f.atleast_3d(x),
}


@pytest.mark.parametrize("dtype", [np.bool_, np.int8, np.int64, np.uint16, np.float32])
@pytest.mark.parametrize("name", sorted(CALLS))
def test_every_dtype_is_kept_as_numpy_keeps_it(name, dtype):
    x = (np.arange(6).reshape(2, 3) % 3).astype(dtype)
    expected = CALLS[name](np, x)
    for out in (CALLS[name](ag, ag.tensor(x)), CALLS[name](np, ag.tensor(x))):
        assert isinstance(out, ag.Tensor) and out.dtype == expected.dtype and out.shape == expected.shape
        np.testing.assert_array_equal(out.data, expected)


def test_atleast_nd_gives_an_input_with_enough_axes_back_as_it_is_as_numpy():
    x = ag.zeros((2, 3))
    assert ag.atleast_1d(x) is x and ag.atleast_2d(x) is x and ag.atleast_3d(x).shape == (2, 3, 1)


def test_atleast_nd_with_several_inputs_gives_a_tuple_as_numpy():
    a, b = ag.tensor(1.0), ag.zeros((2, 3))
    outs = ag.atleast_3d(a, b)
    assert isinstance(outs, tuple) and [o.shape for o in outs] == [(1, 1, 1), (2, 3, 1)]
    assert [o.shape for o in np.atleast_2d(a, b)] == [(1, 1), (2, 3)]


def test_a_copied_element_gets_the_sum_of_its_copies_gradients():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    weights = np.arange(1.0, 7.0)
    (ag.repeat(x, [2, 4]) * weights).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [1 + 2, 3 + 4 + 5 + 6])
    x.grad = None
    (ag.tile(x, 3) * weights).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [1 + 3 + 5, 2 + 4 + 6])
    x.grad = None
    (ag.resize(x, 5) * weights[:5]).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [1 + 3 + 5, 2 + 4])


@pytest.mark.parametrize("shape, reps", [((1,), 3), ((1, 1), (2, 1, 3)), ((2, 2), (1, 1)), ((2, 2), (2, 3))])
def test_tile_returns_memory_of_its_own_as_numpys(shape, reps):
    # shirgur/PointerNet fills `runner = self.runner.repeat(n)` by `runner.data[i] = i`: NumPy's tile (and PyTorch's
    # repeat) give a new writable array, where a reshape of the broadcast would be a read-only view of x
    x = ag.zeros(shape)
    tiled = ag.tile(x, reps)
    expected = np.tile(np.zeros(shape), reps)
    assert tiled.data.flags.writeable and not np.shares_memory(tiled.data, x.data)
    tiled.data[(0,) * tiled.ndim] = 7.0
    expected[(0,) * expected.ndim] = 7.0
    np.testing.assert_array_equal(tiled.data, expected)
    np.testing.assert_array_equal(x.data, np.zeros(shape))


def test_item_assignment_into_a_tiled_recorded_result_keeps_the_other_copies_gradients():
    w = ag.tensor([[1.0, 2.0]], requires_grad=True)
    tiled = ag.tile(w, (3, 1))
    tiled[0, 0] = 5.0
    (tiled * tiled).sum().backward()
    np.testing.assert_array_equal(w.grad.data, [[2 * 1.0 * 2, 2 * 2.0 * 3]])  # entry (0, 0) replaced: two copies left
    torch = pytest.importorskip("torch")
    tw = torch.tensor([[1.0, 2.0]], dtype=torch.float64, requires_grad=True)
    tt = tw.repeat(3, 1)
    tt[0, 0] = 5.0
    (tt * tt).sum().backward()
    np.testing.assert_array_equal(w.grad.data, tw.grad.numpy())


@settings(max_examples=15)
@given(shape=shapes(min_dims=1, max_dims=3, max_side=3), data=st.data())
def test_gradients_match_torch(shape, data):
    torch = pytest.importorskip("torch")
    x = np.random.default_rng(0).normal(size=shape)
    axis = data.draw(axis_of(shape))
    shift, reps = data.draw(st.integers(-3, 3)), data.draw(st.integers(1, 3))
    pairs = [
        (lambda t: ag.roll(t, shift, axis), lambda t: torch.roll(t, shift, axis)),
        (lambda t: ag.repeat(t, reps, axis), lambda t: torch.repeat_interleave(t, reps, axis)),
        (lambda t: ag.tile(t, (reps, 1)), lambda t: torch.tile(t, (reps, 1))),
        (lambda t: ag.moveaxis(t, axis, 0), lambda t: torch.movedim(t, axis, 0)),
        (lambda t: ag.ravel(t), lambda t: torch.ravel(t)),
    ]
    if len(shape) >= 2:
        pairs.append((lambda t: ag.rot90(t, shift), lambda t: torch.rot90(t, shift)))
    for ours, theirs in pairs:
        assert_function_matches_torch(ours, theirs, [x], x.dtype)


def test_repeat_per_element_gradients_match_finite_differences():
    assert gradcheck(lambda t: ag.repeat(t, [0, 3, 1], axis=1) ** 2, np.random.default_rng(2).normal(size=(2, 3)))


@pytest.mark.parametrize("call, numpy_call, shape", [
    # a repeated axis of length 1 (a stride-0 broadcast), counts of 1 (x itself, reshaped), one count on a 1-row axis
    (lambda t: ag.tile(t, (4, 1, 1, 1)), lambda a: np.tile(a, (4, 1, 1, 1)), (1, 2, 3, 3)),
    (lambda t: t.tile((1, 1)), lambda a: np.tile(a, (1, 1)), (2, 3)),
    (lambda t: ag.repeat(t, 3, axis=0), lambda a: np.repeat(a, 3, axis=0), (1, 4)),
])
def test_tile_and_repeat_results_own_c_ordered_memory_as_numpy(call, numpy_call, shape):
    # StyleGAN2's ConstantInput: self.input.repeat(batch, 1, 1, 1) (here tile), then out.view(1, batch * c, h, w)
    # in its grouped modulated convolution; NumPy's tile and repeat return new C-ordered arrays
    values = np.arange(float(np.prod(shape))).reshape(shape)
    x = ag.tensor(values, requires_grad=True)
    out = call(x)
    np.testing.assert_array_equal(out.data, numpy_call(values))
    assert out.data.flags.c_contiguous and not np.may_share_memory(out.data, x.data)
    flat = out.view(-1)
    (flat * np.arange(flat.shape[0])).sum().backward()
    weights = np.arange(flat.shape[0], dtype=float).reshape(out.shape)
    expected = np.zeros(shape)
    np.add.at(expected.reshape(-1), numpy_call(np.arange(values.size).reshape(shape)).reshape(-1), weights.ravel())
    np.testing.assert_array_equal(x.grad.data, expected)
    assert gradcheck(lambda t: call(t).view(-1) ** 2, values)
    constant = ag.tensor(values)
    call(constant)[...] = 0.0  # a write to the result leaves the input as it was
    np.testing.assert_array_equal(constant.data, values)
    torch = pytest.importorskip("torch")
    if shape == (1, 2, 3, 3):
        t = torch.tensor(values, requires_grad=True)
        flat_t = t.repeat(4, 1, 1, 1).view(-1)
        (flat_t * torch.arange(flat_t.shape[0], dtype=t.dtype)).sum().backward()
        np.testing.assert_array_equal(x.grad.data, t.grad.numpy())


def test_roll_takes_torch_keyword_names():
    # torch.roll(img, shifts=1, dims=1), as the UvA autoencoder tutorial writes it
    x = np.arange(12.0).reshape(2, 2, 3)
    for ours, expected in ((ag.roll(ag.tensor(x), shifts=1, dims=1), np.roll(x, 1, 1)),
                           (ag.roll(ag.tensor(x), shifts=(1, -1), dims=(1, 2)), np.roll(x, (1, -1), (1, 2))),
                           (ag.tensor(x).roll(shifts=2), np.roll(x, 2))):
        np.testing.assert_array_equal(ours.data, expected)
    assert gradcheck(lambda t: ag.roll(t, shifts=1, dims=2) * np.arange(3.0), x)
    torch = pytest.importorskip("torch")
    np.testing.assert_array_equal(ag.roll(ag.tensor(x), shifts=(1, -1), dims=(1, 2)).data,
                                  torch.roll(torch.tensor(x), shifts=(1, -1), dims=(1, 2)).numpy())
    with pytest.raises(TypeError, match=r"roll: got both shift=1 and shifts=2 \(PyTorch's name for shift\)"):
        ag.roll(ag.tensor(x), 1, shifts=2)
    with pytest.raises(TypeError, match=r"roll: missing the argument shift \(or PyTorch's name for it, shifts=\)"):
        ag.roll(ag.tensor(x))


# ---- errors ---------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("call, kind, message", [
    (lambda x: ag.tile(x, -1), ValueError, r"tile: reps \(-1,\) holds a negative count"),
    (lambda x: ag.tile(x, 1.5), TypeError, r"tile: reps must be an int or a sequence of ints, got 1.5"),
    (lambda x: ag.repeat(x, [1, 2], axis=1), ValueError,
     r"repeat: 2 repeats for an axis of length 3 \(input shape \(2, 3\), axis 1\); give one count, or one per"),
    (lambda x: ag.repeat(x, -1), ValueError, r"repeat: repeats -1 holds a negative count"),
    (lambda x: ag.repeat(x, 2, axis=2), np.exceptions.AxisError,
     r"repeat: axis 2 is out of range for input shape \(2, 3\); valid axes are ints in \[-2, 2\)"),
    (lambda x: ag.roll(x, (1, 2, 3), (0, 1)), ValueError, r"roll: shift \(1, 2, 3\) and axis \(0, 1\) must have"),
    (lambda x: ag.roll(x, 1, 5), np.exceptions.AxisError, r"roll: axis 5 is out of range for input shape \(2, 3\)"),
    (lambda x: ag.moveaxis(x, (0, 1), 0), ValueError, r"moveaxis: source \(0, 1\) and destination \(0,\) must name"),
    (lambda x: ag.moveaxis(x, 0, 3), np.exceptions.AxisError, r"moveaxis: .*destination.*\(input shape \(2, 3\)\)"),
    (lambda x: ag.rollaxis(x, 0, 4), np.exceptions.AxisError, r"rollaxis: start 4 is out of range for input shape"),
    (lambda x: ag.ravel(x, order="X"), ValueError, r"ravel: order must be one of 'C', 'F', 'A', 'K', got 'X'"),
    (lambda x: ag.vstack([]), ValueError, r"vstack: need at least one array"),
    (lambda x: ag.hstack([x, ag.zeros((3, 3))]), ValueError,
     r"hstack: the inputs' shapes \(2, 3\), \(3, 3\) \(after hstack's reshaping to at least 2 dimensions\) must be "
     r"equal except along axis 1"),
    (lambda x: ag.column_stack([x, ag.zeros(3)]), ValueError, r"column_stack: the inputs' shapes \(2, 3\), \(3, 1\)"),
    (lambda x: ag.vstack([x], dtype=np.float32), TypeError, r"vstack on Tensors: dtype= and casting="),
    (lambda x: ag.fliplr(ag.zeros(3)), ValueError, r"fliplr: the input must have at least 2 dimensions, got shape"),
    (lambda x: ag.flipud(ag.tensor(1.0)), ValueError, r"flipud: the input must have at least 1 dimension"),
    (lambda x: ag.rot90(x, axes=(0, 0)), ValueError, r"rot90: axes \(0, 0\) must be two different axes"),
    (lambda x: ag.rot90(x, axes=(0, 1, 2)), ValueError, r"rot90: axes must name 2 axes"),
    (lambda x: ag.rot90(x, axes=(0, 2)), ValueError, r"rot90: axes \(0, 2\) are out of range for input shape"),
    (lambda x: ag.resize(x, (-1, 2)), ValueError, r"resize: new_shape \(-1, 2\) holds a negative size"),
])
def test_bad_arguments_raise_clear_errors(call, kind, message):
    with pytest.raises(kind, match=message):
        call(ag.zeros((2, 3)))


def test_numpy_raises_too_where_we_raise():
    x = np.zeros((2, 3))
    for call in (lambda: np.tile(x, -1), lambda: np.repeat(x, [1, 2], axis=1), lambda: np.fliplr(np.zeros(3)),
                 lambda: np.rot90(x, axes=(0, 0)), lambda: np.moveaxis(x, 0, 3), lambda: np.roll(x, 1, 5)):
        with pytest.raises((ValueError, np.exceptions.AxisError)):
            call()


# ---- repeat: nested repeats refused, as NumPy's; a 0-d input along axis 0 or -1, as NumPy's ----
@pytest.mark.parametrize("repeats", [[[1, 1]], np.array([[2]]), np.array([[1], [1]]), ag.tensor([[1, 1]])])
def test_repeat_refuses_nested_repeats_as_numpy(repeats):
    x = ag.tensor(np.arange(6.0).reshape(2, 3), requires_grad=True)
    with pytest.raises(ValueError):
        np.repeat(np.arange(6.0).reshape(2, 3), np.asarray(getattr(repeats, "data", repeats)), axis=0)
    with pytest.raises(ValueError, match="repeat: repeats must be an int or a 1-D sequence"):
        np.repeat(x, repeats, axis=0)
    with pytest.raises(ValueError, match="input shape \\(2, 3\\)"):
        ag.repeat(x, repeats, axis=0)


@pytest.mark.parametrize("repeats", [2, np.array(2), [1, 2], np.array([1, 2]), ag.tensor([1, 2])])
def test_repeat_still_takes_a_count_or_one_per_element(repeats):
    x = np.arange(6.0).reshape(2, 3)
    out = np.repeat(ag.tensor(x), repeats, axis=0)
    np.testing.assert_array_equal(out.data, np.repeat(x, np.asarray(getattr(repeats, "data", repeats)), axis=0))


@pytest.mark.parametrize("axis", [0, -1, np.int64(0)])
def test_repeat_of_a_0d_input_along_axis_0_as_numpy(axis):
    for repeats in (3, [3], np.array(2)):
        t = ag.tensor(2.0, requires_grad=True)
        out = np.repeat(t, repeats, axis=axis)
        expected = np.repeat(np.array(2.0), repeats, axis=axis)
        assert out.shape == expected.shape
        np.testing.assert_array_equal(out.data, expected)
        out.sum().backward()
        assert float(t.grad) == expected.size


def test_other_axes_of_a_0d_input_stay_refused():
    for axis in (1, -2):
        with pytest.raises(np.exceptions.AxisError, match="repeat"):
            np.repeat(ag.tensor(2.0), 2, axis=axis)
        with pytest.raises(np.exceptions.AxisError, match="take"):
            np.take(ag.tensor(2.0), 0, axis=axis)


# ---- resize from or to no entries: NumPy's zeros, recorded from the input as resize's other results are ----
@pytest.mark.parametrize("shape, new_shape, dtype", [((0,), (2, 2), np.float64), ((2, 0), (3,), np.float32),
                                                     ((3,), (0, 2), np.float64), ((2,), 0, np.float16),
                                                     ((0,), (3,), np.int8), ((0,), (2,), np.bool_)])
def test_resize_with_no_entries(shape, new_shape, dtype):
    value = np.ones(shape, dtype)
    t = ag.tensor(value, requires_grad=value.dtype.kind == "f")
    out = ag.resize(t, new_shape)
    expected = np.resize(value, new_shape)
    assert out.shape == expected.shape and out.dtype == expected.dtype
    np.testing.assert_array_equal(out.data, expected)
    if t.requires_grad:
        assert out.requires_grad
        out.sum().backward()
        assert t.grad.shape == shape and t.grad.dtype == dtype and not t.grad.data.any()


# ---- ravel of strided views reads in NumPy's memory order for each order= ----
_BASE = np.arange(48.0).reshape(2, 3, 8)


@pytest.mark.parametrize("view", [
    _BASE.transpose(1, 0, 2),  # neither C- nor F-contiguous: NumPy's "K" reads in memory order
    _BASE.transpose(2, 0, 1),
    _BASE[:, ::-1, ::2].transpose(0, 2, 1),
    np.broadcast_to(_BASE[:1], (4, 3, 8)),
    _BASE.T,
    _BASE[:, ::-1],
], ids=["swap01", "perm201", "flip-strided-perm", "broadcast", "F", "flipped"])
@pytest.mark.parametrize("order", ["C", "F", "A", "K"])
def test_ravel_follows_numpy_memory_order(view, order):
    x = ag.tensor(view, requires_grad=True)
    data = np.asarray(x.data)
    want = np.ravel(data, order=order)
    got = ag.ravel(x, order=order)
    assert np.array_equal(got.data, want)
    assert np.array_equal(np.ravel(x, order).data, want) and np.array_equal(x.ravel(order).data, want)
    weights = np.arange(1.0, want.size + 1)
    (got * weights).sum().backward()
    # each weight goes back to the element at its position: summed per distinct value of the input
    per_value = {}
    for value, weight in zip(want, weights):
        per_value[value] = per_value.get(value, 0.0) + weight
    copies = {value: np.count_nonzero(data == value) for value in per_value}
    expected = np.vectorize(lambda value: per_value[value] / copies[value])(data)
    grad = x.grad.data
    for value in per_value:  # (copies of one broadcast value share its gradient: compare the sums)
        assert np.isclose(grad[data == value].sum(), expected[data == value].sum())


# ---- unusual arguments are refused with an error naming the function, not a bare Python or NumPy message ----
@pytest.mark.parametrize("call, error, words", [
    (lambda t: ag.linalg.vector_norm(t, axis=1.5), TypeError, "vector_norm: invalid axis=1.5"),
    (lambda t: ag.linalg.vector_norm(t, axis=[1, -1]), ValueError, "vector_norm: invalid axis"),
    (lambda t: ag.linalg.vector_norm(t, ord=(1, 2)), ValueError, "invalid norm order"),
    (lambda t: ag.linalg.norm(t[0], ord=[1]), ValueError, "invalid norm order"),
    (lambda t: ag.rot90(t, 1.5), TypeError, "rot90: k must be an int"),
    (lambda t: ag.rot90(t, np.array([1, 2])), TypeError, "rot90: k must be an int"),
    (lambda t: ag.diff(t, np.array([1, 2])), TypeError, "diff: the order n must be an int"),
    (lambda t: ag.diff(t, 1.0), TypeError, "diff: the order n must be an int"),
    (lambda t: ag.rollaxis(t, 0, np.array([1, 2])), TypeError, "rollaxis: start must be an int"),
])
def test_bad_arguments_name_the_function(call, error, words):
    with pytest.raises(error, match=words.replace("(", r"\(").replace("[", r"\[")):
        call(ag.ones((3, 4)))


def test_numpy_integers_still_taken():
    t = ag.ones((3, 4))
    assert ag.rot90(t, np.int64(3)).shape == (4, 3)
    assert ag.diff(t, np.array(1)).shape == (3, 3)
    assert ag.rollaxis(t, 1, np.int32(0)).shape == (4, 3)
    assert float(ag.linalg.vector_norm(t, ord=np.array(3.0))) == pytest.approx(12 ** (1 / 3))


# ---- error classes: an axis that is no int raises TypeError, out of range AxisError, as NumPy's ----
_X = np.arange(24.0).reshape(2, 3, 4)
_BAD_AXES = [1.0, "1", (0, 0), [0], (1.5,), slice(1), 5, -4, np.int64(7)]
_CALLS = {
    "diff": lambda m, a, ax: m.diff(a, axis=ax),
    "repeat": lambda m, a, ax: m.repeat(a, 2, axis=ax),
    "take": lambda m, a, ax: m.take(a, [0], axis=ax),
    "rollaxis": lambda m, a, ax: m.rollaxis(a, ax),
    "squeeze": lambda m, a, ax: m.squeeze(a[:1], axis=ax),
}


def _error_class(call):
    try:
        call()
    except Exception as err:  # noqa: BLE001 (the class is what is compared)
        return type(err), str(err)
    return None, ""


@pytest.mark.parametrize("name", sorted(_CALLS))
@pytest.mark.parametrize("axis", _BAD_AXES, ids=repr)
def test_bad_axis_raises_numpys_error_class(name, axis):
    call = _CALLS[name]
    numpy_class, _ = _error_class(lambda: call(np, _X, axis))
    ours_np, message = _error_class(lambda: call(np, ag.tensor(_X), axis))
    ours_ag, _ = _error_class(lambda: call(ag, ag.tensor(_X), axis))
    if numpy_class is None:  # NumPy accepts it (squeeze of the size-1 axis 0 given as [0]): we must too
        assert ours_np is None and ours_ag is None
        return
    assert ours_np is not None and issubclass(ours_np, numpy_class), (ours_np, numpy_class)
    assert ours_ag is ours_np
    assert name in message


def test_bad_axis_messages():
    with pytest.raises(TypeError, match=r"diff: axis must be an int, got 1\.0 \(input shape \(2, 3, 4\); valid axes "
                                        r"are ints in \[-3, 3\)\)"):
        ag.diff(ag.tensor(_X), axis=1.0)
    with pytest.raises(TypeError, match=r"repeat: axis must be an int, got True"):
        ag.repeat(ag.tensor(_X), 2, axis=True)
    with pytest.raises(np.exceptions.AxisError, match=r"take: axis 5 is out of range for input shape \(2, 3, 4\)"):
        ag.take(ag.tensor(_X), [0], axis=5)
    with pytest.raises(np.exceptions.AxisError, match=r"squeeze: .*out of bounds.*shape \(1, 3, 4\), axis=5"):
        ag.squeeze(ag.tensor(_X[:1]), axis=5)
    with pytest.raises(ValueError, match=r"squeeze: cannot select an axis to squeeze out which has size not equal"):
        ag.squeeze(ag.tensor(_X), axis=1)  # (a size other than 1: NumPy's plain ValueError)


def test_roll_takes_torchs_shifts_and_dims():
    # torch.roll(input, shifts, dims): UvA's SimCLR finds each positive pair with self_mask.roll(shifts=n // 2, dims=0)
    x = np.arange(6.0).reshape(2, 3)
    np.testing.assert_array_equal(ag.tensor(x).roll(shifts=1, dims=1).data, np.roll(x, 1, axis=1))
    np.testing.assert_array_equal(ag.roll(ag.tensor(x), shifts=(1, 1), dims=(0, 1)).data, np.roll(x, (1, 1), (0, 1)))
    np.testing.assert_array_equal(ag.roll(ag.tensor(x), shifts=2).data, np.roll(x, 2))  # (flattened, as torch's)
    mask = ag.eye(4, dtype=bool).roll(shifts=2, dims=0)
    np.testing.assert_array_equal(mask.data, np.roll(np.eye(4, dtype=bool), 2, axis=0))
    t = ag.tensor(x, requires_grad=True)
    (ag.roll(t, shifts=1, dims=1) * ag.tensor([[1.0, 2.0, 3.0]])).sum().backward()
    np.testing.assert_array_equal(t.grad.data, [[2.0, 3.0, 1.0]] * 2)
    with pytest.raises(TypeError, match="roll: got both shift=1 and shifts=2"):
        ag.roll(ag.tensor(x), 1, shifts=2)
    with pytest.raises(TypeError, match=r"roll: missing the argument shift \(or PyTorch's name for it, shifts=\)"):
        ag.roll(ag.tensor(x))
    torch = pytest.importorskip("torch")
    for shifts, dims in [(1, 0), ((1, -1), (0, 1)), (4, None)]:
        np.testing.assert_array_equal(ag.roll(ag.tensor(x), shifts=shifts, dims=dims).data,
                                      torch.roll(torch.tensor(x), shifts=shifts, dims=dims).numpy())


def test_row_stack_is_vstack_as_torchs():
    # found by porting PyTorch's test_tensor_creation_ops (test_vstack_row_stack): torch.row_stack was missing
    torch = pytest.importorskip("torch")
    a, b = np.arange(3.0), np.arange(6.0).reshape(2, 3)
    ours = ag.row_stack([ag.tensor(a), ag.tensor(b)])
    np.testing.assert_array_equal(ours.data, torch.row_stack([torch.tensor(a), torch.tensor(b)]).numpy())
    assert ag.row_stack is ag.vstack


def test_rot90_takes_torchs_dims_and_is_a_method_as_torchs():
    # found by porting PyTorch's test_shape_ops (test_rot90): data.rot90(k, [0, 1]) and torch.rot90(x, k=, dims=)
    torch = pytest.importorskip("torch")
    x = np.arange(1.0, 9.0).reshape(2, 2, 2)
    for k, dims in [(1, [1, 2]), (1, [1, -1]), (3, [0, 1]), (-5, [2, 0]), (0, [0, 1])]:
        expected = torch.tensor(x).rot90(k, dims).numpy()
        np.testing.assert_array_equal(ag.tensor(x).rot90(k, dims).data, expected)
        np.testing.assert_array_equal(ag.rot90(ag.tensor(x), k=k, dims=dims).data, expected)
        assert_function_matches_torch(lambda t: ag.rot90(t, k, dims=dims), lambda t: torch.rot90(t, k, dims), [x],
                                      x.dtype)
    np.testing.assert_array_equal(ag.tensor(x[0]).fliplr().data, torch.tensor(x[0]).fliplr().numpy())
    np.testing.assert_array_equal(ag.tensor(x[0]).flipud().data, torch.tensor(x[0]).flipud().numpy())
    with pytest.raises(TypeError, match=r"rot90: got both axes=\(1, 2\) and dims=\(0, 1\)"):
        ag.rot90(ag.tensor(x), 1, (1, 2), dims=(0, 1))


@pytest.mark.parametrize("call, words", [
    (lambda m, t: m.rot90(t, 1, [1, 1]), r"rot90: axes \(1, 1\) must be two different axes"),
    (lambda m, t: m.rot90(t, 1, [0, 1, 2]), r"rot90: axes must name 2 axes, got \(0, 1, 2\)"),
    (lambda m, t: m.rot90(t, 1, [0]), r"rot90: axes must name 2 axes, got \(0,\)"),
    (lambda m, t: m.rot90(t[0, 0]), r"rot90: the input must have at least 2 dimensions, got shape \(2,\)"),
    (lambda m, t: m.fliplr(t[0, 0]), r"fliplr: the input must have at least 2 dimensions, got shape \(2,\)"),
    (lambda m, t: m.flipud(t[0, 0, 0]), r"flipud: the input must have at least 1 dimension, got a 0-d one"),
    (lambda m, t: m.movedim(t, (1, 0), (0,)), r"moveaxis: source \(1, 0\) and destination \(0,\) must name as many"),
    (lambda m, t: m.movedim(t, (0, 1, 0), (0, 1, 2)), r"moveaxis: repeated axis in `source` argument"),
    (lambda m, t: m.moveaxis(t, (0, 1), (1, 1)), r"moveaxis: repeated axis in `destination` argument"),
])
def test_bad_dims_raise_numpys_value_error_and_torchs_runtime_error(call, words):
    # found by porting PyTorch's test_shape_ops: PyTorch raises RuntimeError for each (NumPy ValueError), and the
    # port's assertRaises(RuntimeError) failed on our ValueError
    torch = pytest.importorskip("torch")
    x = np.arange(8.0).reshape(2, 2, 2)
    with pytest.raises(RuntimeError):
        call(torch, torch.tensor(x))
    with pytest.raises(ValueError, match=words) as caught:
        call(ag, ag.tensor(x))
    assert isinstance(caught.value, RuntimeError)


@pytest.mark.parametrize("axes", [[0, 3], [0, -4]])
def test_rot90_axes_out_of_range_raise_numpys_value_error_and_torchs_index_error(axes):
    torch = pytest.importorskip("torch")
    x = np.arange(8.0).reshape(2, 2, 2)
    with pytest.raises(IndexError):
        torch.tensor(x).rot90(1, axes)
    with pytest.raises(ValueError):
        np.rot90(x, 1, axes)
    with pytest.raises(np.exceptions.AxisError, match=r"rot90: axes \(0, -?\d\) are out of range for input shape "
                                                      r"\(2, 2, 2\); each must be in \[-3, 3\)"):
        ag.tensor(x).rot90(1, axes)
