"""Shape operations (autograd_core/ops/shape.py) and indexing (autograd_core/ops/indexing.py); take_along_axis's own
tests are in test_take_along_axis.py."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd_core as ag
from autograd_core.testing import gradgradcheck
from autograd_core.tensor import as_value
from autograd_core.testing.strategies import axes, shapes
from optable import SMALL, Op, generated_tests, join_case, new_axis, squeeze_axis

ONE = shapes(**SMALL).map(lambda s: (s,))
AT_LEAST_1D = shapes(min_dims=1, max_dims=3, max_side=3).map(lambda s: (s,))
AT_LEAST_2D = shapes(min_dims=2, max_dims=3, max_side=3).map(lambda s: (s,))


def _prime_factors(n):
    factors, p = [], 2
    while n > 1:
        while n % p == 0:
            factors.append(p)
            n //= p
        p += 1
    return factors


@st.composite
def _reshape_kwargs(draw, shapes_):
    """A new shape of the same size, built by dealing the size's prime factors (and 1s) into up to 3 axes."""
    (shape,) = shapes_
    factors = _prime_factors(int(np.prod(shape)))
    ndim = draw(st.integers(1 if factors else 0, 3))
    new = [1] * ndim
    for f in factors:
        new[draw(st.integers(0, ndim - 1))] *= f
    new = tuple(new)
    if new and draw(st.booleans()):  # one axis may be -1
        k = draw(st.integers(0, len(new) - 1))
        new = new[:k] + (-1,) + new[k + 1:]
    return {"shape": new}


@st.composite
def _permutation(draw, shapes_):
    (shape,) = shapes_
    ndim = len(shape)
    negative = draw(st.lists(st.booleans(), min_size=ndim, max_size=ndim))  # -1 means the last axis, and so on
    return {"axes": tuple(a - ndim if neg else a for a, neg in zip(draw(st.permutations(range(ndim))), negative))}


@st.composite
def _broadcast_target(draw, shapes_):
    (shape,) = shapes_
    target = draw(hnp.broadcastable_shapes(shape, min_dims=len(shape), max_dims=4, max_side=3))
    return {"shape": np.broadcast_shapes(shape, target)}


@st.composite
def _index(draw, shapes_):
    """Basic indices (slices, ints, None, ...), integer arrays with repeats, and boolean masks."""
    (shape,) = shapes_
    kind = draw(st.sampled_from(["basic", "int_array", "repeat", "sequence", "mask", "mask_axis0"] if shape
                                else ["basic", "mask"]))
    if kind == "basic":
        index = draw(hnp.basic_indices(shape, allow_newaxis=True))
    elif kind == "int_array":
        index = draw(hnp.integer_array_indices(shape, result_shape=hnp.array_shapes(min_dims=1, max_dims=2,
                                                                                     max_side=4)))
    elif kind == "repeat":  # the same row picked several times: its gradient must accumulate
        n = shape[0]
        rows = draw(st.lists(st.integers(-n, n - 1), min_size=2, max_size=6))
        index = np.array(rows + [rows[0]])
    elif kind == "sequence":  # a tuple, list or range inside the index tuple: NumPy reads it as an integer array
        axis = draw(st.integers(0, len(shape) - 1))
        n = shape[axis]
        picks = draw(st.lists(st.integers(-n, n - 1), min_size=1, max_size=5))
        sequence = draw(st.sampled_from([tuple(picks), picks, range(n)]))
        index = (slice(None),) * axis + (sequence,)
    elif kind == "mask":
        index = draw(hnp.arrays(bool, shape))
    else:
        index = draw(hnp.arrays(bool, shape[:1]))
    return {"index": index}


@st.composite
def _along_axis_case(draw):
    """x's shape and take_along_axis's indices and axis: indices with as many dimensions as x (1-D for axis=None), each
    size off axis x's or 1 (or any, where x's is 1: both broadcast), of an integer dtype, repeats and negatives
    included."""
    shape = draw(shapes(min_dims=1, max_dims=3, max_side=3))
    axis = draw(st.one_of(st.none(), st.integers(-len(shape), len(shape) - 1)))
    if axis is None:
        n, index_shape = int(np.prod(shape)), (draw(st.integers(1, 5)),)
    else:
        n = shape[axis]
        index_shape = tuple(draw(st.integers(1, 4)) if d == axis % len(shape) else
                            draw(st.sampled_from([size, 1] if size > 1 else [1, 2, 3])) for d, size in enumerate(shape))
    dtype = draw(st.sampled_from([np.int64, np.int32, np.int8]))
    indices = draw(hnp.arrays(dtype, index_shape, elements=st.integers(-n, n - 1)))
    return (shape,), {"indices": indices, "axis": axis}


def _along_axis_ref(x, indices, axis):
    return np.take_along_axis(x, indices, axis)


SHAPE = [
    Op("reshape", lambda x, shape: x.reshape(shape), lambda x, shape: x.reshape(shape), kwargs=_reshape_kwargs),
    Op("reshape_varargs", lambda x, shape: ag.reshape(x, *shape), lambda x, shape: np.reshape(x, shape),
       kwargs=_reshape_kwargs),
    # (the axes as one sequence: a matrix's identity given apart, transpose(0, 1), warns; see test_shape_edges.py)
    Op("transpose", lambda x, axes: x.transpose(axes), lambda x, axes: np.transpose(x, axes), kwargs=_permutation),
    Op("transpose_reversed", ag.transpose, np.transpose),
    Op("T", lambda x: x.T, lambda x: x.T),
    Op("swapaxes", lambda x: ag.swapaxes(x, 0, -1), lambda x: np.swapaxes(x, 0, -1), shapes=AT_LEAST_1D),
    Op("swapaxes_any", lambda x, axes: x.swapaxes(*axes), lambda x, axes: np.swapaxes(x, *axes), shapes=AT_LEAST_1D,
       kwargs=lambda shapes_: st.fixed_dictionaries({"axes": st.tuples(*[st.integers(-len(shapes_[0]),
                                                                                   len(shapes_[0]) - 1)] * 2)})),
    Op("mT", lambda x: x.mT, lambda x: np.swapaxes(x, -1, -2), shapes=AT_LEAST_2D),
    Op("expand_dims", ag.expand_dims, np.expand_dims, kwargs=new_axis("axis")),
    Op("squeeze", ag.squeeze, np.squeeze, kwargs=squeeze_axis),
    Op("flatten", lambda x: x.flatten(), lambda x: x.flatten()),
    Op("broadcast_to", ag.broadcast_to, np.broadcast_to, kwargs=_broadcast_target),
    Op("getitem", lambda x, index: x[index], lambda x, index: x[index], kwargs=_index),
    Op("flip", ag.flip, np.flip, kwargs=lambda shapes_: st.fixed_dictionaries({"axis": axes(len(shapes_[0]))})),
    # 1-D inputs included: NumPy broadcasts them to the rows of a square matrix
    Op("tril", ag.tril, np.tril, shapes=AT_LEAST_1D, kwargs=lambda _: st.fixed_dictionaries({"k": st.integers(-3, 3)})),
    Op("triu", ag.triu, np.triu, shapes=AT_LEAST_1D, kwargs=lambda _: st.fixed_dictionaries({"k": st.integers(-3, 3)})),
    Op("take_along_axis", ag.take_along_axis, _along_axis_ref, case=_along_axis_case()),
    Op("take_along_axis_tensor_indices", lambda x, indices, axis: ag.take_along_axis(x, ag.tensor(indices), axis),
       _along_axis_ref, case=_along_axis_case()),
]


def _join_declaration(name, join, ref, stack):
    return Op(name, lambda *ts, axis: join(list(ts), axis=axis), lambda *xs, axis: ref(xs, axis=axis),
              case=join_case(stack).map(lambda c: (c[0], {"axis": c[1]})))


SHAPE += [
    _join_declaration("concatenate", ag.concatenate, np.concatenate, stack=False),
    _join_declaration("stack", ag.stack, np.stack, stack=True),
    Op("concatenate_flattened", lambda *ts: ag.concatenate(list(ts), axis=None),
       lambda *xs: np.concatenate(xs, axis=None), case=join_case().map(lambda c: (c[0], {}))),
]

globals().update(generated_tests(SHAPE))


# ---- indexing behaviour, spelled out -----------------------------------------------------------
def test_repeated_integer_indices_accumulate():
    x = ag.tensor([10.0, 20.0, 30.0], requires_grad=True)
    x[np.array([0, 0, 2, 0])].sum().backward()
    np.testing.assert_array_equal(x.grad.data, [3.0, 0.0, 1.0])


def test_repeated_indices_in_a_list_and_a_tuple_of_arrays_accumulate():
    x = ag.tensor(np.zeros((2, 3)), requires_grad=True)
    weights = ag.tensor([1.0, 2.0, 4.0])
    (x[[1, 1, 0], [2, 2, 2]] * weights).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [[0, 0, 4.0], [0, 0, 3.0]])


@pytest.mark.parametrize("index", [(slice(None), (1, 1, 2)), ((0, 0), slice(None)), ((0, 0),), ((1, 1), range(1, 2))],
                         ids=["tuple", "tuple first", "tuple alone", "tuple and range"])
def test_repeated_indices_in_a_nested_tuple_or_range_accumulate(index):
    x = ag.tensor(np.arange(6.0).reshape(2, 3), requires_grad=True)
    x[index].sum().backward()
    expected = np.zeros((2, 3))
    np.add.at(expected, tuple(np.asarray(i) if isinstance(i, (tuple, list, range)) else i for i in index), 1.0)
    np.testing.assert_array_equal(x.grad.data, expected)
    assert expected.max() == 2  # the index does repeat an element


def test_boolean_mask_and_slice_gradients_scatter_back():
    x = ag.tensor(np.arange(6.0).reshape(2, 3), requires_grad=True)
    (x[x.data > 2].sum() + 10 * x[:, 1:].sum() + 100 * x[1, 0]).backward()
    np.testing.assert_array_equal(x.grad.data, [[0, 10, 10], [101, 11, 11]])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("index_shape, index_dtype", [((1100,), np.int64), ((400, 3), np.int64), ((1100,), np.uint8),
                                                      ((1024,), np.int32), ((1023,), np.int64)])
def test_rows_picked_many_times_accumulate_as_np_add_at(dtype, index_shape, index_dtype):
    # An embedding's lookup: many repeated (and negative) rows of a table; a gradient of 8,192+ elements takes a
    # sorted sum.
    rng = np.random.default_rng(0)
    low = 0 if np.dtype(index_dtype).kind == "u" else -27
    rows = rng.integers(low, 27, index_shape).astype(index_dtype)
    table = ag.tensor(rng.standard_normal((27, 4, 2)).astype(dtype), requires_grad=True)
    upstream = rng.standard_normal(index_shape + (4, 2)).astype(dtype)
    (table[rows] * upstream).sum().backward()
    expected = np.zeros((27, 4, 2), dtype)
    np.add.at(expected, rows, upstream)
    assert table.grad.dtype == dtype
    np.testing.assert_allclose(table.grad.data, expected, rtol=1e-5 if dtype == np.float32 else 1e-12, atol=1e-5)
    assert np.abs(expected).max() > np.abs(upstream).max()  # some rows do accumulate


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_rows_picked_on_one_later_axis_accumulate_as_np_add_at(data):
    # x[..., rows] or x[:, rows]: a gradient of 8,192+ elements sums runs of repeated rows without np.add.at, by
    # passes over each run's k-th entry where rows repeat a few times (an interpolation's, sorted), else by a sum
    # per run
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    others = data.draw(st.lists(st.integers(4, 6), min_size=1, max_size=3))  # (each row of 4+ elements)
    axis = data.draw(st.integers(1, len(others)))
    count = 8192 // int(np.prod(others)) + 1
    pattern = data.draw(st.sampled_from(["few repeats", "many repeats", "each twice", "each once"]))
    if pattern.startswith("each"):
        size = count if pattern == "each once" else (count + 1) // 2
        shift = data.draw(st.sampled_from([0, size]))  # (negative rows count from the end)
        rows = np.arange(size).repeat(1 if pattern == "each once" else 2)[:count] - shift
    else:
        size = count if pattern == "few repeats" else 7
        rows = rng.integers(-size, size, count)
        if data.draw(st.booleans()):
            rows = np.sort(rows % size)
    shape = tuple(others[:axis]) + (size,) + tuple(others[axis:])
    index = data.draw(st.sampled_from([(Ellipsis, rows) + (slice(None),) * (len(shape) - 1 - axis),
                                       (slice(None),) * axis + (rows,)]))
    dtype = data.draw(st.sampled_from([np.float32, np.float64]))
    x = ag.tensor(np.zeros(shape, dtype), requires_grad=True)
    upstream = rng.standard_normal(np.zeros(shape)[index].shape).astype(dtype)
    (x[index] * upstream).sum().backward()
    expected, scale = np.zeros(shape), np.zeros(shape)  # (in float64: a float32 sum of thousands of terms
    np.add.at(expected, index, upstream.astype(np.float64))  # depends on its order)
    np.add.at(scale, index, np.abs(upstream.astype(np.float64)))
    assert x.grad.dtype == dtype
    assert np.all(np.abs(x.grad.data - expected) <= (1e-4 if dtype == np.float32 else 1e-13) * scale)


def test_a_mask_with_integer_rows_still_accumulates():
    x = ag.tensor(np.arange(6.0).reshape(3, 2), requires_grad=True)
    x[np.array([2, 2, 0]), np.array([True, False])].sum().backward()
    np.testing.assert_array_equal(x.grad.data, [[1, 0], [0, 0], [2, 0]])


def test_index_by_integer_tensor():
    x = ag.tensor([1.0, 2.0, 3.0], requires_grad=True)
    i = ag.tensor([2, 2])
    x[i].sum().backward()
    np.testing.assert_array_equal(x.grad.data, [0.0, 0.0, 2.0])


def test_an_empty_list_index_selects_nothing_as_in_numpy():
    value = np.arange(6.0).reshape(2, 3)
    x = ag.tensor(value, requires_grad=True)
    for index in ([], (slice(None), []), [[]]):
        assert x[index].shape == value[index].shape
    (x[[]].sum() + x[[1]].sum()).backward()
    np.testing.assert_array_equal(x.grad.data, [[0, 0, 0], [1, 1, 1]])


def test_indexing_second_derivative_through_scatter():
    # The gradient of indexing is itself differentiable (scatter_add is recorded under create_graph).
    index = np.array([0, 2, 2])
    assert gradgradcheck(lambda x: (x[index] ** 3).sum(), np.array([0.5, -1.0, 1.5]))


def test_out_of_range_index_is_a_clear_error():
    with pytest.raises(IndexError, match=r"getitem.*\(3,\).*indices must be"):
        ag.ones(3, requires_grad=True)[5]


def test_item_assignment_while_recording_is_recorded_as_torchs_index_put():
    w = ag.ones(3, requires_grad=True)
    h = w * 2
    alias = h
    h[0] = 5.0
    assert alias is h and h.tolist() == [5.0, 2.0, 2.0]
    (h * ag.tensor([1.0, 2.0, 3.0])).sum().backward()
    assert w.grad.tolist() == [0.0, 4.0, 6.0]  # the written position passes nothing back


# ---- shape errors ----------------------------------------------------------------------------
@pytest.mark.parametrize("shape", [("x",), ((2, "a"),), (2.5, 2), (True, 6)])
def test_reshape_to_sizes_that_are_no_ints_names_reshape_as_numpy_refuses_them(shape):
    with pytest.raises(TypeError, match=r"^reshape: the new shape must be ints \(one of them may be -1\), got"):
        ag.ones(6).reshape(*shape)
    with pytest.raises(TypeError):
        np.ones(6).reshape(*shape)


def test_stack_along_an_axis_out_of_range_names_stack():
    with pytest.raises(np.exceptions.AxisError, match=r"^stack: axis 4 is out of range for inputs of shape \(2, 3\)"
                                                      r"; the new axis must be an int in \[-3, 2\]"):
        ag.stack([ag.ones((2, 3))] * 2, axis=4)
    with pytest.raises(TypeError, match=r"^stack: axis must be an int, got 'a'"):
        ag.stack([ag.ones((2, 3))] * 2, axis="a")


def test_reshape_to_a_wrong_size_names_the_shapes():
    with pytest.raises(ValueError, match=r"reshape.*\(2, 3\).*'shape': \(4, 2\).*same number of elements"):
        ag.ones((2, 3)).reshape(4, 2)


def test_concatenate_and_stack_mismatches_are_clear_errors():
    with pytest.raises(ValueError, match="concatenate.*except along axis"):
        ag.concatenate([ag.ones((2, 3)), ag.ones((2, 4))], axis=0)
    with pytest.raises(ValueError, match="stack: all inputs must have the same shape"):
        ag.stack([ag.ones(2), ag.ones(3)])
    with pytest.raises(ValueError, match="zero-dimensional.*ag.stack"):
        ag.concatenate([ag.tensor(1.0), ag.tensor(2.0)])


def test_squeeze_of_a_non_unit_axis_is_a_clear_error():
    with pytest.raises(ValueError, match=r"squeeze.*\(2, 1\).*axis=0"):
        ag.squeeze(ag.ones((2, 1)), axis=0)


def test_broadcast_to_incompatible_shape_is_a_clear_error():
    with pytest.raises(ValueError, match=r"broadcast_to.*\(3,\).*trailing axes"):
        ag.broadcast_to(ag.ones(3), (2, 4))


def test_concatenate_mixed_with_arrays_and_numbers_of_gradients():
    a = ag.tensor([1.0, 2.0], requires_grad=True)
    out = ag.concatenate([np.zeros(1), a, a * 3], axis=0)
    np.testing.assert_array_equal(out.data, [0, 1, 2, 3, 6])
    (out * ag.tensor([1.0, 2.0, 3.0, 4.0, 5.0])).sum().backward()
    np.testing.assert_array_equal(a.grad.data, [2 + 12, 3 + 15])


def test_concatenate_with_axis_none_flattens_as_numpy():
    a, b = ag.tensor(np.arange(4.0).reshape(2, 2), requires_grad=True), ag.tensor([7.0, 8.0, 9.0])
    out = ag.concatenate([a, b], axis=None)
    np.testing.assert_array_equal(out.data, np.concatenate([a.data, b.data], axis=None))
    (out * np.arange(7.0)).sum().backward()
    np.testing.assert_array_equal(a.grad.data, [[0.0, 1.0], [2.0, 3.0]])


def test_concatenate_with_axis_none_takes_python_numbers_at_the_others_dtype_as_numpy():
    # NEP 50: np.concatenate([0.5, float32 array], axis=None) is float32; the number was made float64 first
    t32, i32 = ag.tensor(np.array([1.0, 2.0], np.float32), requires_grad=True), ag.tensor(np.array(-5, np.int32))
    u8 = ag.tensor(np.array([4], np.uint8))
    for seq in ([0.5, t32], [t32, True], [i32, -3], [i32, 1.5], [u8, -5], [i32, 2**40]):  # (the last two wrap around)
        expected = np.concatenate([as_value(x) for x in seq], axis=None)
        for out in (ag.concatenate(seq, axis=None), np.concatenate(seq, axis=None)):
            assert isinstance(out, ag.Tensor) and out.dtype == expected.dtype
            np.testing.assert_array_equal(out.data, expected)
    assert ag.concatenate([1, 2.5], axis=None).dtype == np.float64
    ag.concatenate([0.5, t32], axis=None).sum().backward()
    assert t32.grad.dtype == np.float32


def test_expand_dims_and_swapaxes_out_of_range_name_the_operation():
    with pytest.raises(np.exceptions.AxisError, match=r"expand_dims: .*input shape \(2, 3\)"):
        ag.zeros((2, 3)).expand_dims(5)
    with pytest.raises(np.exceptions.AxisError, match=r"swapaxes: axis 5 .*input shape \(2, 3\).*\[-2, 2\)"):
        ag.zeros((2, 3)).swapaxes(0, 5)


def test_flatten_copies_as_numpys_does_where_reshape_gives_a_view():
    t = ag.tensor(np.arange(4.0))
    flat = t.flatten()
    flat[0] = 99.0
    np.testing.assert_array_equal(t.data, [0.0, 1.0, 2.0, 3.0])
    view = t.reshape(-1)
    view[0] = 99.0
    assert t.data[0] == 99.0


def test_flatten_reads_only_the_shape_so_an_in_place_change_after_recording_is_allowed():
    w = ag.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    loss = w.flatten().sum()
    with ag.no_grad():
        w -= 1
    loss.backward()  # as with w.reshape(-1), and in PyTorch
    np.testing.assert_array_equal(w.grad.data, np.ones((2, 2)))


@pytest.mark.parametrize("call, message", [
    (lambda a: a.transpose("a", "b"), r"transpose: each axis must be an int, got 'a'"),
    (lambda a: a.expand_dims("x"), r"expand_dims: axis must be an int or a tuple of ints, got 'x'"),
    (lambda a: a.squeeze("x"), r"squeeze: axis must be None, an int or a tuple of ints, got 'x'"),
    (lambda a: a.broadcast_to("x"), r"broadcast_to: each size of shape must be an int, got"),
    (lambda a: ag.concatenate([a, a], axis="x"), r"concatenate: axis must be an int, got 'x'"),
    (lambda a: a.astype("foo"), r"astype: data type 'foo' not understood"),
], ids=["transpose", "expand_dims", "squeeze", "broadcast_to", "concatenate", "astype"])
def test_shape_arguments_of_the_wrong_type_are_type_errors_naming_the_operation(call, message):
    # They were NumPy's or Python's own messages, some of them ValueErrors ("invalid literal for int()").
    with pytest.raises(TypeError, match=rf"^{message}"):
        call(ag.ones((2, 3)))


def test_concatenate_gradients_reach_each_of_many_inputs_of_different_sizes():
    xs = [ag.tensor(np.full((2, k % 3 + 1), float(k)), requires_grad=True) for k in range(50)]
    weights = np.arange(sum(x.shape[1] for x in xs), dtype=float)
    (ag.concatenate(xs, axis=-1) * weights).sum().backward()
    start = 0
    for x in xs:
        np.testing.assert_array_equal(x.grad.data, np.broadcast_to(weights[start:start + x.shape[1]], x.shape))
        start += x.shape[1]


def test_concatenates_internal_offsets_stay_out_of_messages_and_drawings():
    from autograd_core.viz import draw_graph

    with pytest.raises(ValueError, match=r"with \{'axis': 0\}: all the input array dimensions") as info:
        ag.concatenate([ag.ones((2, 3)), ag.ones((2, 4))])
    assert "_starts" not in str(info.value)
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    source = draw_graph(ag.concatenate([x, x])).source
    assert "axis=0" in source and "starts" not in source


def test_transpose_refuses_bool_axes_as_numpy():
    with pytest.raises(TypeError):
        np.transpose(np.zeros((2, 3)), (True, False))
    with pytest.raises(TypeError, match="transpose"):
        ag.transpose(ag.zeros((2, 3)), True, False)


def test_stack_takes_any_iterable_of_tensors():
    arrays = [np.arange(3.0), np.ones(3)]
    out = ag.stack(ag.tensor(a) for a in arrays)
    np.testing.assert_array_equal(out.data, np.stack(arrays))


@pytest.mark.parametrize("call, name", [
    (lambda: ag.swapaxes(ag.ones((2, 3)), 0, "a"), "swapaxes"),
    (lambda: ag.expand_dims(ag.ones((2, 3)), (0, 0)), "expand_dims"),
    (lambda: ag.concatenate(None), "concatenate"),
    (lambda: ag.stack(None), "stack"),
    (lambda: ag.concatenate([ag.ones(2), "abc"]), r"concatenate: unsupported input of dtype <U3"),
    (lambda: ag.stack([ag.ones(2), None]), r"stack: unsupported input of dtype object"),
    (lambda: ag.ones((2, 3)).reshape(None), "reshape"),
])
def test_a_bad_argument_to_a_shape_operation_is_named(call, name):
    # (NumPy's or Python's bare "'NoneType' object is not iterable" or "repeated axis" before)
    with pytest.raises((TypeError, ValueError), match=name):
        call()


@pytest.mark.parametrize("index_dtype, rows", [(np.int8, 200), (np.int16, 40_000)])
def test_negative_rows_of_a_narrow_integer_dtype_accumulate_into_a_longer_table_as_np_add_at(index_dtype, rows):
    # NumPy indexes a table of more rows than the index dtype can count (negative rows from the end); the
    # gradient of 8,192+ elements in rows of 4+ takes the sorted sum, which must agree with np.add.at.
    rng = np.random.default_rng(0)
    index = rng.integers(-120, 120, 1000).astype(index_dtype)
    table = ag.tensor(np.zeros((rows, 16)), requires_grad=True)
    upstream = rng.standard_normal((1000, 16))
    picked = table[index]
    np.testing.assert_array_equal(picked.data, table.data[index])  # the forward is NumPy's
    (picked * upstream).sum().backward()
    expected = np.zeros((rows, 16))
    np.add.at(expected, index, upstream)
    np.testing.assert_allclose(table.grad.data, expected, rtol=1e-12, atol=1e-12)


# ---- flip, tril, triu ------------------------------------------------------------------------
@pytest.mark.parametrize("axis, numpy_axis", [(None, (0, 1)), (-1, 1), ((0, -1), (0, 1)), ([0], 0), ((), ())])
def test_flip_reverses_along_the_axes_named_and_its_gradient_flips_back(axis, numpy_axis):
    values = np.arange(6.0).reshape(2, 3)
    x = ag.tensor(values, requires_grad=True)
    out = ag.flip(x, axis=axis)
    np.testing.assert_array_equal(out.data, np.flip(values, numpy_axis))
    cotangent = np.arange(6.0).reshape(2, 3) * 10
    out.backward(cotangent)
    np.testing.assert_array_equal(x.grad.data, np.flip(cotangent, numpy_axis))


def test_flip_of_a_0d_and_of_an_empty_tensor_as_numpy():
    x = ag.tensor(2.0, requires_grad=True)
    out = ag.flip(x)
    assert out.shape == () and out.item() == 2.0
    out.backward()
    assert x.grad.item() == 1.0
    empty = ag.zeros((0, 2), requires_grad=True)
    out = ag.flip(empty, axis=0)
    assert out.shape == (0, 2)
    out.backward(np.ones((0, 2)))
    assert empty.grad.shape == (0, 2)


def test_flip_is_a_view_as_numpys():
    t = ag.tensor([1.0, 2.0, 3.0])
    flipped = ag.flip(t)
    flipped[0] = 9.0
    np.testing.assert_array_equal(t.data, [1.0, 2.0, 9.0])


@pytest.mark.parametrize("triangle", [ag.tril, ag.triu])
@pytest.mark.parametrize("k", [-1, 0, 2])
def test_tril_and_triu_mask_the_gradient_as_the_values(triangle, k):
    values = np.arange(1.0, 25.0).reshape(2, 3, 4)  # a batch of two 3x4 matrices
    x = ag.tensor(values, requires_grad=True)
    out = triangle(x, k=k)
    reference = np.tril if triangle is ag.tril else np.triu
    np.testing.assert_array_equal(out.data, reference(values, k))
    cotangent = np.random.default_rng(0).standard_normal((2, 3, 4))
    out.backward(cotangent)
    np.testing.assert_array_equal(x.grad.data, reference(cotangent, k))


@pytest.mark.parametrize("triangle, expected", [(ag.tril, [3.0, 2.0, 1.0]), (ag.triu, [1.0, 2.0, 3.0])])
def test_tril_and_triu_of_a_1d_tensor_broadcast_as_numpy_and_sum_the_gradient_over_the_rows(triangle, expected):
    x = ag.tensor([1.0, 2.0, 3.0], requires_grad=True)
    out = triangle(x)
    reference = np.tril if triangle is ag.tril else np.triu
    np.testing.assert_array_equal(out.data, reference(np.array([1.0, 2.0, 3.0])))
    assert out.shape == (3, 3)
    out.sum().backward()
    np.testing.assert_array_equal(x.grad.data, expected)  # element j is kept in 3 - j rows (tril), j + 1 (triu)


def test_tril_zeroes_a_nan_outside_the_triangle_and_passes_it_no_gradient():
    x = ag.tensor([[1.0, np.nan], [2.0, 3.0]], requires_grad=True)
    out = ag.tril(x)
    np.testing.assert_array_equal(out.data, [[1.0, 0.0], [2.0, 3.0]])  # a selection, as np.tril: not NaN * 0
    out.backward(np.array([[1.0, np.nan], [1.0, 1.0]]))
    np.testing.assert_array_equal(x.grad.data, [[1.0, 0.0], [1.0, 1.0]])


@pytest.mark.parametrize("shape", [(0, 3), (3, 0), (0,), (2, 0, 0)])
def test_tril_and_triu_of_empty_matrices_as_numpy(shape):
    for triangle, reference in ((ag.tril, np.tril), (ag.triu, np.triu)):
        x = ag.zeros(shape, requires_grad=True)
        out = triangle(x)
        assert out.shape == reference(np.zeros(shape)).shape
        out.backward(np.ones(out.shape))
        assert x.grad.shape == shape


def test_np_tril_triu_and_flip_on_tensors_run_the_engine():
    x = ag.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    out = np.tril(x) + 10 * np.triu(x, 1) + 100 * np.flip(x, axis=0)
    assert isinstance(out, ag.Tensor) and out.requires_grad
    out.sum().backward()
    np.testing.assert_array_equal(x.grad.data, [[101, 110], [101, 101]])


@pytest.mark.parametrize("name", ["tril", "triu"])
def test_tril_and_triu_of_a_0d_input_name_the_operation(name):
    # NumPy's own error is "tri() missing 1 required positional argument: 'N'"
    with pytest.raises(ValueError, match=rf"^{name}: a 0-d input has no matrix; give an array of at least 1 dimension"):
        getattr(ag, name)(ag.tensor(1.0, requires_grad=True))


@pytest.mark.parametrize("call, error, message", [
    (lambda x: ag.flip(x, 2), np.exceptions.AxisError,
     r"^flip: invalid input of shapes/dtypes \[\(2, 3\) float64\] with \{'axis': 2\}: axis 2 is out of bounds for "
     r"array of dimension 2; valid axes are -2..1$"),
    (lambda x: ag.flip(x, (0, -2)), ValueError,
     r"^flip: dims \(0, -2\) name an axis more than once \(input shape \(2, 3\)\); give each axis once$"),
    (lambda x: ag.flip(x, 1.0), TypeError, r"^flip: .*\{'axis': 1.0\}: .*; axis must be None \(every axis\), an int"),
    (lambda x: ag.tril(x, "a"), TypeError,
     r"^tril: invalid input of shapes/dtypes \[\(2, 3\) float64\] with \{'k': 'a'\}: .*; k is the diagonal \(0 the "
     r"main one, k > 0 above it, k < 0 below it\)$"),
], ids=["flip-axis-out-of-range", "flip-repeated-axis", "flip-float-axis", "tril-text-k"])
def test_flip_and_tril_with_bad_arguments_name_the_operation_the_shape_and_what_is_valid(call, error, message):
    with pytest.raises(error, match=message):
        call(ag.ones((2, 3), requires_grad=True))


# ---- against PyTorch: torch.flip, torch.tril/triu, torch.gather ---------------------------------
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("case", ["flip", "tril", "triu", "gather"])
def test_flip_tril_triu_and_take_along_axis_against_pytorch(case, dtype):
    rng = np.random.default_rng(2)
    values = rng.standard_normal((2, 3, 4)).astype(dtype)
    index = rng.integers(0, 3, (2, 5, 4))  # repeats guaranteed (5 picks from 3); torch.gather takes no negatives
    ours = {"flip": lambda x: ag.flip(x, axis=(0, 2)), "tril": lambda x: ag.tril(x, k=-1),
            "triu": lambda x: ag.triu(x, k=1), "gather": lambda x: ag.take_along_axis(x, index, axis=1)}[case]
    numpy_reference = {"flip": lambda v: np.flip(v, (0, 2)), "tril": lambda v: np.tril(v, -1),
                       "triu": lambda v: np.triu(v, 1), "gather": lambda v: np.take_along_axis(v, index, 1)}[case]
    x = ag.tensor(values, requires_grad=True)
    out = ours(x)
    np.testing.assert_array_equal(out.data, numpy_reference(values))
    cotangent = rng.standard_normal(out.shape).astype(dtype)
    out.backward(cotangent)
    assert x.grad.dtype == dtype
    torch = pytest.importorskip("torch")
    theirs = {"flip": lambda t: torch.flip(t, dims=(0, 2)), "tril": lambda t: torch.tril(t, diagonal=-1),
              "triu": lambda t: torch.triu(t, diagonal=1),
              "gather": lambda t: torch.gather(t, 1, torch.from_numpy(index))}[case]
    t = torch.tensor(values, requires_grad=True)
    t_out = theirs(t)
    t_out.backward(torch.from_numpy(cotangent))
    tol = {"rtol": 1e-6, "atol": 1e-6} if dtype == np.float32 else {"rtol": 1e-12, "atol": 1e-12}
    np.testing.assert_allclose(out.data, t_out.detach().numpy(), **tol)
    np.testing.assert_allclose(x.grad.data, t.grad.numpy(), **tol)
