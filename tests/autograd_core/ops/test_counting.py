"""The finding and counting functions (autograd_core/ops/counting.py): nonzero, argwhere, flatnonzero, count_nonzero,
searchsorted (and PyTorch's bucketize, against torch), unique (and PyTorch's unique_consecutive), bincount and
histogram against NumPy (integer results outside the graph; bincount's weights, histogram's weights and edges
differentiable), NumPy's bits for weighted counts, range edges and signed zeros and NaNs in unique, and the arguments
NumPy takes (0-d integer arrays as counts, bytes as side) or refuses."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd_core as ag
from autograd_core.testing import gradcheck, gradgradcheck
from autograd_core.testing.strategies import shapes
from checks import assert_same_constant

SOME = settings(max_examples=20, deadline=None)
INTS = hnp.arrays(np.int64, shapes(min_dims=1, max_dims=3, max_side=4), elements=st.integers(-2, 2))
FLOATS = hnp.arrays(np.float64, shapes(min_dims=1, max_dims=3, max_side=4),
                    elements=st.sampled_from([0.0, -1.5, 2.0, 3.0]))


# ---- finding and counting: integer Tensors outside the graph, NumPy's values ----
@SOME
@given(x=st.one_of(INTS, FLOATS))
def test_nonzero_argwhere_flatnonzero_match_numpy(x):
    t = ag.tensor(x, requires_grad=x.dtype.kind == "f")
    for out, expected in zip(np.nonzero(t), np.nonzero(x)):
        assert_same_constant(out, expected)
    for out, expected in zip(t.nonzero(), np.nonzero(x)):
        assert_same_constant(out, expected)
    assert_same_constant(np.argwhere(t), np.argwhere(x))
    assert_same_constant(np.flatnonzero(t), np.flatnonzero(x))
    if x.dtype.kind == "f":  # the indices pick the values, differentiably
        picked = t[ag.nonzero(t)]
        picked.sum().backward()
        np.testing.assert_array_equal(t.grad.data, (x != 0).astype(float))


@SOME
@given(x=st.one_of(INTS, FLOATS, st.sampled_from([np.array(0.0), np.array(5)])))
def test_nonzero_takes_pytorchs_as_tuple(x):
    # torch.nonzero(x) is one row per nonzero entry (np.argwhere), as_tuple=True NumPy's tuple (a 0-d x read as 1-D);
    # without as_tuple, ag.nonzero stays np.nonzero
    t = ag.tensor(x)
    assert_same_constant(ag.nonzero(t, as_tuple=False), np.argwhere(x))
    assert_same_constant(t.nonzero(as_tuple=False), np.argwhere(x))
    for out, expected in zip(ag.nonzero(t, as_tuple=True), np.nonzero(np.atleast_1d(x)), strict=True):
        assert_same_constant(out, expected)
    try:
        import torch
    except ImportError:
        return
    assert_same_constant(ag.nonzero(t, as_tuple=False), torch.nonzero(torch.tensor(x)).numpy())
    for out, expected in zip(t.nonzero(as_tuple=True), torch.tensor(x).nonzero(as_tuple=True), strict=True):
        assert_same_constant(out, expected.numpy())


def test_nonzero_as_tuple_must_be_a_bool():
    with pytest.raises(TypeError, match=r"nonzero: as_tuple must be True or False \(PyTorch's\), got 1"):
        ag.nonzero(ag.tensor([1.0]), as_tuple=1)


@SOME
@given(x=st.one_of(INTS, FLOATS), data=st.data())
def test_count_nonzero_matches_numpy(x, data):
    axis = data.draw(st.one_of(st.none(), st.integers(-x.ndim, x.ndim - 1), st.just(tuple(range(x.ndim)))))
    keepdims = data.draw(st.booleans())
    assert_same_constant(np.count_nonzero(ag.tensor(x), axis=axis, keepdims=keepdims),
          np.asarray(np.count_nonzero(x, axis=axis, keepdims=keepdims)))


def test_count_nonzero_takes_pytorchs_dim_and_is_a_method():
    # torch.count_nonzero(x, dim=None) and t.count_nonzero(dim) (a list read as dims), found missing by porting
    # PyTorch's test_dropout (result[b, c].count_nonzero())
    x = np.array([[[0.0, 2.0], [3.0, 4.0]], [[0.0, 0.0], [5.0, 0.0]]])
    t = ag.tensor(x)
    assert t.count_nonzero().tolist() == 4 and t.count_nonzero(dim=(0, 2)).tolist() == [1, 3]
    for dim in (None, 1, -1, (0, 2), [0]):
        expected = np.count_nonzero(x, axis=tuple(dim) if type(dim) is list else dim)
        assert_same_constant(t.count_nonzero(dim), np.asarray(expected))
        assert_same_constant(ag.count_nonzero(t, dim=dim), np.asarray(expected))
        try:
            import torch
        except ImportError:
            continue
        theirs = torch.tensor(x).count_nonzero() if dim is None else torch.tensor(x).count_nonzero(dim)
        assert t.count_nonzero(dim).tolist() == theirs.tolist()
    with pytest.raises(TypeError, match="count_nonzero"):
        ag.count_nonzero(t, axis=1, dim=1)


@SOME
@given(a=hnp.arrays(np.float64, st.integers(0, 6), elements=st.integers(-3, 3).map(float)),
       v=hnp.arrays(np.float64, shapes(min_dims=0, max_dims=2, max_side=3), elements=st.integers(-4, 4).map(float)),
       side=st.sampled_from(["left", "right"]), use_sorter=st.booleans())
def test_searchsorted_matches_numpy(a, v, side, use_sorter):
    sorter = np.argsort(a, kind="stable") if use_sorter else None
    a = a if use_sorter else np.sort(a)
    assert_same_constant(np.searchsorted(ag.tensor(a), ag.tensor(v), side=side, sorter=sorter),
          np.asarray(np.searchsorted(a, v, side=side, sorter=sorter)))
    assert_same_constant(ag.tensor(a).searchsorted(v, side, sorter), np.asarray(np.searchsorted(a, v, side, sorter)))



@pytest.mark.parametrize("right", [False, True])
@pytest.mark.parametrize("out_int32", [False, True])
def test_bucketize_counts_boundaries_below_as_pytorch(right, out_int32):
    # The book's model-year buckets: an entry equal to a boundary goes below it (right=False) or above it (right=True).
    years = np.array([[70, 73, 75], [76, 79, 82]])
    boundaries = np.array([73, 76, 79])
    hand = {False: [[0, 0, 1], [1, 2, 3]], True: [[0, 1, 1], [2, 3, 3]]}[right]
    out = ag.bucketize(ag.tensor(years), ag.tensor(boundaries), out_int32=out_int32, right=right)
    assert_same_constant(out, np.array(hand, dtype=np.int32 if out_int32 else np.int64))
    torch = pytest.importorskip("torch")
    expected = torch.bucketize(torch.tensor(years), torch.tensor(boundaries), out_int32=out_int32, right=right)
    assert_same_constant(out, expected.numpy())



# ---- PyTorch's searchsorted form: right=, out_int32=, and one sorted row per row of values (NeRF's sample_pdf) ----
@pytest.mark.parametrize("right", [False, True])
@pytest.mark.parametrize("out_int32", [False, True])
def test_searchsorted_searches_each_row_of_an_nd_sequence_as_pytorch(right, out_int32):
    cdf = np.array([[[0.0, 0.25, 0.5, 1.0], [0.0, 0.1, 0.1, 1.0]],
                    [[0.0, 0.5, 0.75, 1.0], [0.0, 0.0, 0.9, 1.0]]])
    u = np.array([[[0.25, 0.6, 1.0], [0.1, 0.0, 0.95]],
                  [[0.5, 0.1, 0.0], [0.0, 0.9, 0.3]]])
    side = "right" if right else "left"
    hand = np.array([[[np.searchsorted(row, q, side=side) for q in queries] for row, queries in zip(rows, qs)]
                     for rows, qs in zip(cdf, u)], dtype=np.int32 if out_int32 else np.int64)
    out = ag.searchsorted(ag.tensor(cdf), ag.tensor(u), right=right, out_int32=out_int32)
    assert_same_constant(out, hand)
    assert out.data[0, 1].tolist() == ([3, 1, 3] if right else [1, 0, 3])  # the tied 0.1s: after them, or before
    torch = pytest.importorskip("torch")
    expected = torch.searchsorted(torch.tensor(cdf), torch.tensor(u), right=right, out_int32=out_int32)
    assert_same_constant(out, expected.numpy())


def test_searchsorted_of_rows_takes_a_sorter_per_row_as_pytorch():
    unsorted = np.array([[3.0, 1.0, 2.0], [0.5, 0.7, 0.1]])
    sorter = np.argsort(unsorted, axis=-1)
    values = np.array([[2.5], [0.6]])
    out = ag.searchsorted(unsorted, values, sorter=sorter)
    assert_same_constant(out, np.array([[2], [2]]))  # 2.5 after 1, 2 in [1, 2, 3]; 0.6 after 0.1, 0.5
    torch = pytest.importorskip("torch")
    expected = torch.searchsorted(torch.tensor(unsorted), torch.tensor(values), sorter=torch.tensor(sorter))
    assert_same_constant(out, expected.numpy())


def test_searchsorted_of_rows_refuses_values_of_other_leading_dimensions():
    with pytest.raises(ValueError, match=r"searchsorted: a must be 1-D, got shape \(2, 3\), or N-D with v of the "
                                         r"same leading dimensions .* got v of shape \(3, 1\)"):
        ag.searchsorted(np.zeros((2, 3)), np.zeros((3, 1)))
    with pytest.raises(TypeError, match="searchsorted: right and out_int32 must be True or False"):
        ag.searchsorted([1.0, 2.0], 1.5, right="yes")


def test_bucketize_still_takes_1d_boundaries_only_as_pytorch():
    with pytest.raises(ValueError, match=r"bucketize: boundaries must be 1-D, got shape \(2, 2\)"):
        ag.bucketize(np.zeros((2, 1)), np.zeros((2, 2)))

def test_bucketize_of_a_float_scalar_is_a_0d_index():
    out = ag.bucketize(ag.tensor(76.0, requires_grad=True), ag.tensor([73.0, 76.0, 79.0]))
    assert_same_constant(out, np.asarray(1))

@SOME
@given(x=st.one_of(INTS, FLOATS), data=st.data())
def test_unique_matches_numpy_and_gathers_differentiably(x, data):
    axis = data.draw(st.one_of(st.none(), st.integers(-x.ndim, x.ndim - 1)))
    flags = dict(return_index=data.draw(st.booleans()), return_inverse=data.draw(st.booleans()),
                 return_counts=data.draw(st.booleans()))
    out = np.unique(ag.tensor(x), axis=axis, **flags)
    expected = np.unique(x, axis=axis, **flags)
    out, expected = (out, expected) if isinstance(out, tuple) else ((out,), (expected,))
    assert len(out) == len(expected)
    np.testing.assert_array_equal(out[0].data, expected[0])
    assert out[0].dtype == expected[0].dtype
    for o, e in zip(out[1:], expected[1:]):
        assert_same_constant(o, e)
    if x.dtype.kind == "f":  # each unique value gets the gradient of its first occurrence
        t = ag.tensor(x, requires_grad=True)
        values, index = ag.unique(t, return_index=True, axis=axis)
        values.sum().backward()
        expected_grad = np.zeros(x.size if axis is None else x.shape[axis])
        expected_grad[index.data] = 1
        if axis is not None:
            expected_grad = np.broadcast_to(np.expand_dims(expected_grad, tuple(
                a for a in range(x.ndim) if a != axis % x.ndim)), x.shape)
        np.testing.assert_array_equal(t.grad.data, expected_grad.reshape(x.shape))


@SOME
@given(x=hnp.arrays(np.int64, st.integers(0, 8), elements=st.integers(0, 5)), minlength=st.integers(0, 8))
def test_bincount_matches_numpy(x, minlength):
    assert_same_constant(np.bincount(ag.tensor(x), minlength=minlength), np.bincount(x, minlength=minlength))
    w = np.linspace(-1, 2, x.size)
    out = np.bincount(ag.tensor(x), weights=ag.tensor(w), minlength=minlength)
    expected = np.bincount(x, weights=w, minlength=minlength)
    assert out.dtype == expected.dtype and out.shape == expected.shape
    np.testing.assert_allclose(out.data, expected, atol=1e-12)


@SOME
@given(x=hnp.arrays(np.float64, shapes(min_dims=1, max_dims=2, max_side=5), elements=st.integers(-6, 6).map(float)),
       bins=st.one_of(st.integers(1, 6), st.just([-3.0, -1.0, 0.0, 2.5])),
       range_=st.one_of(st.none(), st.just((-2.0, 3.0))), density=st.booleans(), dtype=st.sampled_from(["f4", "f8"]))
def test_histogram_matches_numpy(x, bins, range_, density, dtype):
    x = x.astype(dtype)
    with np.errstate(invalid="ignore", divide="ignore"):
        counts, edges = np.histogram(ag.tensor(x), bins=bins, range=range_, density=density)
        expected_counts, expected_edges = np.histogram(x, bins=bins, range=range_, density=density)
    for out, expected in ((counts, expected_counts), (edges, expected_edges)):
        assert out.dtype == expected.dtype and out.shape == expected.shape
        np.testing.assert_allclose(out.data, expected, rtol=1e-6)


def test_histogram_edges_follow_the_inputs_min_and_max():
    x = ag.tensor([0.5, 3.0, 1.0, 2.0], requires_grad=True)
    _, edges = ag.histogram(x, bins=4)
    edges.sum().backward()  # edges = min + (max - min) * k / 4, k = 0..4: d/dmin = 5 - 2.5, d/dmax = 2.5
    np.testing.assert_allclose(x.grad.data, [2.5, 2.5, 0.0, 0.0])
    assert gradcheck(lambda t: ag.histogram(t, bins=3, density=True)[1], np.array([0.5, 3.0, 1.0, 2.0]))


# ---- searchsorted's side as NumPy's: bytes are read as text, a side that is no string raises TypeError ----
def test_side_as_bytes():
    a = np.array([1.0, 2.0, 3.0])
    for side in (b"left", b"right"):
        assert int(ag.searchsorted(a, 2.0, side=side)) == np.searchsorted(a, 2.0, side=side)


@pytest.mark.parametrize("side", [None, 0, 1.5])
def test_side_not_a_string_is_a_type_error(side):
    a = np.array([1.0, 2.0, 3.0])
    with pytest.raises(TypeError):
        np.searchsorted(a, 2.0, side=side)
    with pytest.raises(TypeError, match="^searchsorted: side must be a str"):
        ag.searchsorted(a, 2.0, side=side)
    with pytest.raises(ValueError, match="^searchsorted: side must be 'left' or 'right'"):
        ag.tensor(a).searchsorted(2.0, side="L")


# ---- unique without return_index is NumPy's to the bit: NumPy sorts unstably, so which of the equal -0.0 and 0.0
# its values hold, and the order in which equal_nan=False lists the NaNs (so return_inverse), are its own; each
# value's gradient still goes to an entry that its inverse sends there ----
def test_the_fuzzed_cases():
    x = np.array([-0.0, -1.0, np.nan, -1.0, np.nan, -0.0, 0.0, 1.0, -0.0, 0.0, np.nan], np.float32)
    for flags in ({}, {"return_counts": True}, {"return_inverse": True}):
        for equal_nan in (True, False):
            expected = np.unique(x, equal_nan=equal_nan, **flags)
            out = ag.unique(x, equal_nan=equal_nan, **flags)
            expected, out = (expected, out) if flags else ((expected,), (out,))
            for a, b in zip(expected, out):
                assert a.dtype == b.dtype and a.tobytes() == b.data.tobytes(), (flags, equal_nan, a, b)


@pytest.mark.parametrize("equal_nan", [True, False])
def test_random_zeros_and_nans_match_numpys_and_gradients_follow_the_inverse(equal_nan):
    rng = np.random.default_rng(5)
    for _ in range(300):
        x = rng.choice([0.0, -0.0, 1.0, -1.0, np.nan], size=int(rng.integers(1, 30)))
        x = x.astype(rng.choice([np.float32, np.float64]))
        flags = {"return_inverse": bool(rng.random() < 0.5), "return_counts": bool(rng.random() < 0.5)}
        expected = np.unique(x, equal_nan=equal_nan, **flags)
        t = ag.tensor(x, requires_grad=True)
        out = ag.unique(t, equal_nan=equal_nan, **flags)
        expected, out = (expected, out) if isinstance(expected, tuple) else ((expected,), (out,))
        for a, b in zip(expected, out):
            assert a.dtype == b.dtype and a.tobytes() == b.data.tobytes()
        out[0].sum().backward()
        if flags["return_inverse"]:
            inverse, grad = out[1].data.ravel(), t.grad.data
            for k in range(out[0].shape[0]):
                assert grad[inverse == k].sum() == 1


# ---- bincount of an empty float input raises, as NumPy's (it cannot cast float64 to int64 safely), whether or not
# it holds labels; an empty list stays accepted, as np.bincount([]) is. minlength may be a 0-d integer array or
# Tensor (operator.index) ----
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.float16])
@pytest.mark.parametrize("wrap", [np.asarray, ag.tensor])
def test_an_empty_float_input_is_refused(dtype, wrap):
    with pytest.raises(TypeError):
        np.bincount(np.zeros(0, dtype))
    with pytest.raises(TypeError, match=r"^bincount: x must hold non-negative integers, got dtype float"):
        ag.bincount(wrap(np.zeros(0, dtype)))
    with pytest.raises(TypeError, match=r"^bincount: x must hold non-negative integers"):
        ag.bincount(wrap(np.zeros(0, dtype)), weights=np.zeros(0), minlength=3)


def test_an_empty_list_or_integer_array_is_accepted():
    for x in ([], (), np.zeros(0, np.int64), ag.tensor(np.zeros(0, np.uint8)), np.zeros(0, bool)):
        out = ag.bincount(x, minlength=2)
        expected = np.bincount(x if not isinstance(x, ag.Tensor) else x.data, minlength=2)
        assert out.dtype == expected.dtype and np.array_equal(out.data, expected)


@pytest.mark.parametrize("minlength", [np.array(3), ag.tensor(3), np.array(4, np.uint8)])
def test_bincount_minlength_as_a_0d_integer(minlength):
    x = np.array([0, 1, 1])
    expected = np.bincount(x, minlength=minlength.data if isinstance(minlength, ag.Tensor) else minlength)
    out = ag.bincount(x, minlength=minlength)
    assert out.dtype == expected.dtype and np.array_equal(out.data, expected)
    with pytest.raises(TypeError, match="^bincount: minlength must be an int"):
        ag.bincount(x, minlength=np.array(3.0))


# ---- histogram's arguments: a range holding a Tensor that requires grad is refused, naming what keeps the gradient
# (edges from ag.linspace); a 0-d integer bins is a count, as NumPy's (operator.index), and a float count raises
# TypeError, as NumPy's ----
def test_histogram_refuses_a_range_that_requires_grad():
    x = np.array([0.1, 0.5, -0.2])
    lo = ag.tensor(-1.0, requires_grad=True)
    with pytest.raises(TypeError, match="^histogram: range holds a Tensor that requires grad"):
        ag.histogram(x, bins=2, range=(lo, 1.0))
    counts, edges = ag.histogram(x, bins=2, range=(ag.tensor(-1.0), 1.0))
    expected, expected_edges = np.histogram(x, bins=2, range=(-1.0, 1.0))
    assert np.array_equal(counts.data, expected) and np.array_equal(edges.data, expected_edges)
    hi = ag.tensor(1.0, requires_grad=True)
    assert gradcheck(lambda a, b: ag.histogram(x, bins=ag.linspace(a, b, 3), density=True)[0], lo, hi)


@pytest.mark.parametrize("bins", [np.array(3), np.int32(3), np.array(2, np.uint8), ag.tensor(4)])
@pytest.mark.parametrize("kw", [{}, {"range": (0, 1)}, {"weights": np.ones(5)}, {"density": True}])
def test_a_0d_integer_bins_is_a_count(bins, kw):
    x = np.array([0.1, 0.4, 0.5, 0.9, 2.0])
    counts, edges = ag.histogram(ag.tensor(x), bins=bins, **kw)
    expected, expected_edges = np.histogram(x, bins=bins.data if isinstance(bins, ag.Tensor) else bins, **kw)
    assert counts.dtype == expected.dtype and np.array_equal(counts.data, expected)
    assert edges.dtype == expected_edges.dtype and np.array_equal(edges.data, expected_edges)


@pytest.mark.parametrize("bins", [3.0, np.float64(3), np.array(2.5), ag.tensor(2.0)])
def test_a_float_count_raises_type_error(bins):
    x = np.array([0.1, 0.4, 0.5])
    with pytest.raises(TypeError):
        np.histogram(x, bins=bins.data if isinstance(bins, ag.Tensor) else bins)
    with pytest.raises(TypeError, match=r"^histogram: `bins` must be an integer"):
        ag.histogram(ag.tensor(x), bins=bins)


# ---- histogram's weighted counts and range edges are NumPy's to the bit: with equal bins NumPy sums each block of
# 65,536 weights in float64 (np.bincount) and rounds to the weights' dtype; with given edges it differences running
# sums of the weights in x's sorted order; its range edges are linspace in result_type(*range, x), from the given
# numbers (a Python float range keeps float32 x's edges float32, computed in float64 first; an np.float64 range makes
# them float64) ----
def _bits_equal(ours, theirs):
    assert ours.shape == theirs.shape and ours.dtype == theirs.dtype, (ours.dtype, theirs.dtype)
    assert ours.data.tobytes() == theirs.tobytes(), (ours.data, theirs)


@pytest.mark.parametrize("n", [7, 40, 70_000])
@pytest.mark.parametrize("edges", [False, True])
@pytest.mark.parametrize("density", [False, True])
@pytest.mark.parametrize("dtype", [np.float32, np.float16, np.float64])
def test_weighted_counts_equal_numpys(n, edges, density, dtype):
    rng = np.random.default_rng(n)
    x, w = rng.normal(size=n).astype(np.float32), rng.normal(size=n).astype(dtype)
    bins = np.sort(rng.normal(size=6)) if edges else 7
    counts, bin_edges = ag.histogram(x, bins=bins, weights=ag.tensor(w, requires_grad=True), density=density)
    expected, expected_edges = np.histogram(x, bins=bins, weights=w, density=density)
    _bits_equal(counts, expected)
    np.testing.assert_array_equal(bin_edges.data, expected_edges)


def test_the_fuzzed_float32_case():
    x = np.ones(12)
    w = np.array([-0.03058761, -0.6056436, -1.5508912, -0.60334194, 0.3784757, -1.405083, -0.17024693, -1.434867,
                  0.22444971, -1.7433741, 0.7362951, 0.68516254], np.float32)
    _bits_equal(ag.histogram(x, bins=1, weights=w)[0], np.histogram(x, bins=1, weights=w)[0])


@pytest.mark.parametrize("range_", [(0.0363694, 1.7849101), (-2.1065611872332948, 0.01368401932219881),
                                    (np.float64(0.1), np.float64(0.9)), (0, 1), (np.float32(0.1), np.float32(0.7)),
                                    (0.5, 0.5)])
@pytest.mark.parametrize("dtype", [np.float32, np.float16, np.float64, np.int32])
def test_range_edges_equal_numpys(range_, dtype):
    x = np.array([0.1, 0.5, 0.9, 0.3]).astype(dtype)
    w = np.array([1.0, 2.0, 0.5, 0.25], np.float32)
    for weights in (None, w):
        counts, edges = ag.histogram(ag.tensor(x), bins=4, range=range_, weights=weights)
        expected, expected_edges = np.histogram(x, bins=4, range=range_, weights=weights)
        _bits_equal(edges, expected_edges)
        _bits_equal(counts, expected)


def test_gradients_of_the_weights_hold():
    rng = np.random.default_rng(3)
    x, w = rng.normal(size=6), rng.normal(size=6)
    for bins in (3, np.array([-3.0, -0.5, 0.2, 3.0])):
        for density in (False, True):
            def f(ww):
                return ag.histogram(x, bins=bins, weights=ww, density=density)[0]
            assert gradcheck(f, ag.tensor(w, requires_grad=True))
            assert gradgradcheck(lambda ww: f(ww) ** 2, ag.tensor(w, requires_grad=True))
    w32 = ag.tensor(w.astype(np.float32), requires_grad=True)
    ag.histogram(x, bins=3, weights=w32)[0].sum().backward()
    assert w32.grad.dtype == np.float32 and np.all(w32.grad.data == 1)


# ---- isin: NumPy's and PyTorch's ----------------------------------------------------------------------------------
@pytest.mark.parametrize("invert", [False, True])
def test_isin_matches_numpy_and_torch(invert):
    elements, tests = np.array([[3, 1, 4], [1, 5, 9]]), np.array([1, 9, 2])
    ours = ag.isin(ag.tensor(elements), ag.tensor(tests), invert=invert)
    assert ours.dtype == np.bool_ and not ours.requires_grad
    np.testing.assert_array_equal(ours.data, np.isin(elements, tests, invert=invert))
    np.testing.assert_array_equal(np.isin(ag.tensor(elements), tests, invert=invert).data, ours.data)
    np.testing.assert_array_equal(ag.isin(ag.tensor(elements), 3).data, elements == 3)
    try:
        import torch
    except ImportError:
        return
    theirs = torch.isin(torch.tensor(elements), torch.tensor(tests), invert=invert)
    np.testing.assert_array_equal(ours.data, theirs.numpy())



def test_isin_is_a_method_as_pytorchs():
    # found by porting PyTorch's test_sort_and_select: t.isin(test_elements) had no method
    elements = ag.tensor([[3, 1, 4], [1, 5, 9]])
    np.testing.assert_array_equal(elements.isin(ag.tensor([1, 9]), invert=True).data,
                                  [[True, False, True], [False, True, False]])


@pytest.mark.parametrize("dtype", [np.float64, np.int64, np.uint8, np.bool_])
def test_unique_takes_pytorchs_dim(dtype):
    # found by porting PyTorch's test_sort_and_select (test_unique_dim): torch.unique(x, dim=d) raised TypeError
    torch = pytest.importorskip("torch")
    x = np.array([[[1, 1], [0, 1], [2, 1], [0, 1]], [[1, 1], [0, 1], [2, 1], [0, 1]]], dtype=dtype)
    for d in range(-3, 3):
        ours = ag.unique(ag.tensor(x), return_inverse=True, return_counts=True, dim=d)
        theirs = torch.unique(torch.tensor(x), return_inverse=True, return_counts=True, dim=d)
        for got, expected in zip(ours, theirs):
            np.testing.assert_array_equal(got.data, expected.numpy())
        np.testing.assert_array_equal(ag.tensor(x).unique(dim=d).data, torch.tensor(x).unique(dim=d).numpy())
    with pytest.raises(TypeError, match="unique: got both axis=0 and dim=1"):
        ag.unique(ag.tensor(x), axis=0, dim=1)
    w = ag.tensor([[[1.0, 1.0], [0.0, 1.0], [2.0, 1.0], [0.0, 1.0]]] * 2, requires_grad=True)  # (picks differentiate)
    ag.unique(w, dim=1).sum().backward()
    np.testing.assert_array_equal(w.grad.data, [[[1, 1], [1, 1], [1, 1], [0, 0]]] * 2)

def test_isin_masks_seen_items_from_differentiable_scores():
    # a recommender's evaluation: scores of the items a user has seen set to -inf before the top-k
    scores = ag.tensor([0.3, 0.9, 0.1, 0.7], requires_grad=True)
    unseen = ag.isin(ag.arange(4), ag.tensor([1]), invert=True)
    masked = ag.where(unseen, scores, -np.inf)
    assert masked.tolist() == [0.3, -np.inf, 0.1, 0.7]
    masked[unseen].sum().backward()
    assert scores.grad.tolist() == [1.0, 0.0, 1.0, 1.0]


@pytest.mark.parametrize("data, dim", [([0, 3, 3, 0, 0, 5, 3], None), ([[1, 1], [1, 1]], None),
                                       ([[1, 1], [2, 2], [2, 2], [1, 1]], 0), ([[1, 2, 2, 3], [1, 2, 2, 4]], 1),
                                       ([[1, 2, 2, 3], [1, 2, 2, 4]], -1), ([], None), (7, None)])
def test_unique_consecutive_keeps_each_run_once_as_pytorch(data, dim):
    values, inverse, counts = ag.unique_consecutive(ag.tensor(data), return_inverse=True, return_counts=True,
                                                    dim=dim)
    array = np.asarray(data)
    rows = array.reshape(-1, 1) if dim is None else np.moveaxis(array, dim, 0).reshape(array.shape[dim], -1)
    runs = [[0]] if len(rows) else []  # by hand: the positions of each run of equal rows
    for k in range(1, len(rows)):
        (runs[-1].append(k) if np.array_equal(rows[k], rows[k - 1]) else runs.append([k]))
    firsts = [run[0] for run in runs]
    expected = array.reshape(-1)[firsts] if dim is None else np.take(array, firsts, axis=dim)
    np.testing.assert_array_equal(values.data, expected)
    np.testing.assert_array_equal(counts.data, [len(run) for run in runs])
    np.testing.assert_array_equal(inverse.data.reshape(-1), [r for r, run in enumerate(runs) for _ in run])
    assert inverse.shape == (array.shape if dim is None else (array.shape[dim],))
    assert inverse.dtype == counts.dtype == np.int64
    torch = pytest.importorskip("torch")
    theirs = torch.unique_consecutive(torch.tensor(data), return_inverse=True, return_counts=True, dim=dim)
    for ours, their in zip((values, inverse, counts), theirs):
        assert ours.shape == tuple(their.shape)
        np.testing.assert_array_equal(ours.data, their.numpy())


def test_unique_consecutive_collapses_a_greedy_ctc_path_and_is_differentiable():
    # torchaudio's GreedyCTCDecoder: argmax per frame, unique_consecutive, then the blanks (0) dropped
    emission = ag.tensor(np.log([[0.6, 0.3, 0.1], [0.2, 0.7, 0.1], [0.1, 0.8, 0.1], [0.9, 0.05, 0.05],
                                 [0.1, 0.1, 0.8], [0.2, 0.1, 0.7]]))
    indices = ag.unique_consecutive(ag.argmax(emission, axis=-1), dim=-1)
    assert [int(i) for i in indices if i != 0] == [1, 2]
    assert ag.tensor([2, 2, 0, 2]).unique_consecutive().tolist() == [2, 0, 2]
    x = ag.tensor([1.0, 1.0, 2.0, 1.0], requires_grad=True)
    (ag.unique_consecutive(x) * ag.tensor([10.0, 20.0, 30.0])).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [10.0, 0.0, 20.0, 30.0])  # each run's first entry
    with pytest.raises(np.exceptions.AxisError, match="unique_consecutive"):
        ag.unique_consecutive(ag.ones((2, 2)), dim=2)


def test_unravel_index_is_torchs_with_negative_positions_from_the_end_and_refuses_bad_input():
    # added for PyTorch's test_indexing.py (test_unravel_index_errors), in PyTorch's words
    torch = pytest.importorskip("torch")
    for positions, shape in [([5, -1, 0], (2, 3)), ([[7, 3], [-24, 11]], (2, 3, 4)), (3, 6), (0, ())]:
        ours = ag.unravel_index(ag.tensor(positions), shape)
        theirs = torch.unravel_index(torch.tensor(positions), shape)
        assert len(ours) == len(theirs)
        for o, t in zip(ours, theirs):
            assert o.dtype == np.int64 and not o.requires_grad
            np.testing.assert_array_equal(o.data, t.numpy())
    with pytest.raises(TypeError, match=r"expected 'indices' to be integer dtype"):
        ag.unravel_index(ag.tensor(0.5), (2, 2))
    with pytest.raises(TypeError, match=r"expected 'shape' to be int or sequence"):
        ag.unravel_index(ag.tensor([1]), ag.tensor([1, 2, 3]))
    with pytest.raises(TypeError, match=r"expected 'shape' sequence to only contain ints"):
        ag.unravel_index(ag.tensor([1]), (1, 2, 2.0))
    with pytest.raises(ValueError, match=r"'shape' cannot have negative values, but got \(2, -3\)"):
        ag.unravel_index(ag.tensor(0), (2, -3))
    with pytest.raises(ValueError, match=r"position 6 is out of bounds for shape \(2, 3\)"):  # (PyTorch wraps it)
        ag.unravel_index(ag.tensor(6), (2, 3))


@pytest.mark.parametrize("shape, dim", [((0,), 0), ((2, 0, 3), 1), ((0, 3), 0), ((0, 3), -2)])
def test_unique_consecutive_along_an_empty_dim_gives_empty_results_as_pytorch(shape, dim):
    # found by porting PyTorch's test_sort_and_select: along a dim of size 0 the rows were reshaped with -1, which
    # NumPy cannot infer from no rows: a ValueError instead of torch's empty values, inverse and counts
    torch = pytest.importorskip("torch")
    x = np.zeros(shape)
    ours = ag.unique_consecutive(ag.tensor(x), return_inverse=True, return_counts=True, dim=dim)
    theirs = torch.unique_consecutive(torch.tensor(x), return_inverse=True, return_counts=True, dim=dim)
    for got, expected in zip(ours, theirs):
        assert got.shape == tuple(expected.shape) and got.dtype == expected.numpy().dtype


def test_unique_consecutive_takes_pytorchs_input_keyword():
    # found by porting PyTorch's test_sort_and_select: torch.unique_consecutive(input=t) raised TypeError (the
    # parameter was named x)
    got = ag.unique_consecutive(input=ag.tensor([1, 1, 2]), return_counts=True)
    assert [t.tolist() for t in got] == [[1, 2], [2, 1]]


def test_searchsorted_refuses_side_left_with_right_true_as_pytorch():
    # found by porting PyTorch's test_sort_and_select (searchsorted beside it): side='left' with right=True
    # silently searched from the right; torch refuses the contradiction with a RuntimeError
    torch = pytest.importorskip("torch")
    a, v = [1.0, 3.0, 5.0], [3.0]
    with pytest.raises(RuntimeError):
        torch.searchsorted(torch.tensor(a), torch.tensor(v), side="left", right=True)
    with pytest.raises(ValueError, match="searchsorted: side='left' and right=True ask for opposite sides") as raised:
        ag.searchsorted(ag.tensor(a), ag.tensor(v), side="left", right=True)
    assert isinstance(raised.value, RuntimeError)
    for side, right in [(None, True), ("right", True), ("right", False), (None, False), ("left", False)]:
        kwargs = {} if side is None else {"side": side}
        expected = torch.searchsorted(torch.tensor(a), torch.tensor(v), right=right, **kwargs).numpy()
        np.testing.assert_array_equal(ag.searchsorted(ag.tensor(a), ag.tensor(v), right=right, **kwargs).data,
                                      expected)
    np.testing.assert_array_equal(np.searchsorted(ag.tensor(a), v).data, [1])  # (NumPy's default side, 'left')


# ---- torch.nonzero's out=, found by porting PyTorch's test_shape_ops (test_nonzero, test_nonzero_astuple_out) ----
@pytest.mark.parametrize("dtype", [np.uint8, np.int64, np.float16, np.float32, np.bool_])
def test_nonzero_writes_its_rows_into_out_as_torchs(dtype):
    torch = pytest.importorskip("torch")
    values = (np.arange(24).reshape(2, 3, 4) % 3 == 0).astype(dtype)
    expected = torch.nonzero(torch.tensor(values)).numpy()
    out = ag.empty(0, dtype=np.int64)  # (empty: resized, as PyTorch's)
    assert ag.nonzero(ag.tensor(values), out=out) is out
    np.testing.assert_array_equal(out.data, expected)
    same = ag.zeros(expected.shape, dtype=np.int64)
    np.testing.assert_array_equal(ag.nonzero(ag.tensor(values), as_tuple=False, out=same).data, expected)


@pytest.mark.parametrize("call, torch_call, words", [
    (lambda t: ag.nonzero(t, as_tuple=True, out=ag.empty(0, dtype=np.int64)),
     lambda torch, t: torch.nonzero(t, as_tuple=True, out=torch.empty(0, dtype=torch.long)), "out= takes the rows"),
    (lambda t: ag.nonzero(t, out=ag.empty(0, dtype=np.float32)),
     lambda torch, t: torch.nonzero(t, out=torch.empty(0)), r"out= must be an int64 .*Long.*float32"),
])
def test_nonzero_refuses_an_out_it_cannot_fill_with_torchs_runtime_error(call, torch_call, words):
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        torch_call(torch, torch.ones((2, 2)))
    with pytest.raises(RuntimeError, match=f"^nonzero: {words}"):
        call(ag.ones((2, 2)))


@pytest.mark.parametrize("sorted_shape, values_shape", [((0, 0), (0, 0)), ((3, 0), (3, 2)), ((0, 4), (0, 2)),
                                                        ((2, 3), (2, 0)), ((2, 0, 3), (2, 0, 1))])
@pytest.mark.parametrize("with_sorter", [False, True])
def test_searchsorted_by_rows_with_an_empty_axis_is_pytorchs(sorted_shape, values_shape, with_sorter):
    # (found by porting PyTorch's OpInfo entries for searchsorted: an N-D sorted sequence with an empty axis raised
    # NumPy's "cannot reshape array of size 0"; torch returns the empty indices, or 0s for empty rows)
    kwargs = {"sorter": np.zeros(sorted_shape, np.int64)} if with_sorter else {}
    result = ag.searchsorted(ag.zeros(sorted_shape), ag.zeros(values_shape), **kwargs)
    assert result.shape == values_shape and result.dtype == np.int64  # (an empty row: index 0 for each value)
    np.testing.assert_array_equal(result.numpy(), np.zeros(values_shape, np.int64))
    torch = pytest.importorskip("torch")
    expected = torch.searchsorted(torch.zeros(sorted_shape), torch.zeros(values_shape),
                                  **{k: torch.tensor(v) for k, v in kwargs.items()})
    assert result.shape == tuple(expected.shape)
    np.testing.assert_array_equal(result.numpy(), expected.numpy())
