"""The finding and counting functions (ops/counting.py) against NumPy, the np.* routing of every function added with
them (ops/numpy_more.py, quantiles.py, spacing.py), their errors, and comparisons with PyTorch where it has the
function (skipped without torch)."""
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd_core as ag
from autograd_core.testing import gradcheck
from autograd_core.testing.strategies import shapes

SOME = settings(max_examples=20, deadline=None)
INTS = hnp.arrays(np.int64, shapes(min_dims=1, max_dims=3, max_side=4), elements=st.integers(-2, 2))
FLOATS = hnp.arrays(np.float64, shapes(min_dims=1, max_dims=3, max_side=4),
                    elements=st.sampled_from([0.0, -1.5, 2.0, 3.0]))


def _same(out, expected):
    assert isinstance(out, ag.Tensor) and not out.requires_grad
    assert out.dtype == np.asarray(expected).dtype and out.shape == np.shape(expected)
    np.testing.assert_array_equal(out.data, expected)


# ---- finding and counting: integer Tensors outside the graph, NumPy's values ----

@SOME
@given(x=st.one_of(INTS, FLOATS))
def test_nonzero_argwhere_flatnonzero_match_numpy(x):
    t = ag.tensor(x, requires_grad=x.dtype.kind == "f")
    for out, expected in zip(np.nonzero(t), np.nonzero(x)):
        _same(out, expected)
    for out, expected in zip(t.nonzero(), np.nonzero(x)):
        _same(out, expected)
    _same(np.argwhere(t), np.argwhere(x))
    _same(np.flatnonzero(t), np.flatnonzero(x))
    if x.dtype.kind == "f":  # the indices pick the values, differentiably
        picked = t[ag.nonzero(t)]
        picked.sum().backward()
        np.testing.assert_array_equal(t.grad.data, (x != 0).astype(float))


@SOME
@given(x=st.one_of(INTS, FLOATS), data=st.data())
def test_count_nonzero_matches_numpy(x, data):
    axis = data.draw(st.one_of(st.none(), st.integers(-x.ndim, x.ndim - 1), st.just(tuple(range(x.ndim)))))
    keepdims = data.draw(st.booleans())
    _same(np.count_nonzero(ag.tensor(x), axis=axis, keepdims=keepdims),
          np.asarray(np.count_nonzero(x, axis=axis, keepdims=keepdims)))


@SOME
@given(a=hnp.arrays(np.float64, st.integers(0, 6), elements=st.integers(-3, 3).map(float)),
       v=hnp.arrays(np.float64, shapes(min_dims=0, max_dims=2, max_side=3), elements=st.integers(-4, 4).map(float)),
       side=st.sampled_from(["left", "right"]), use_sorter=st.booleans())
def test_searchsorted_matches_numpy(a, v, side, use_sorter):
    sorter = np.argsort(a, kind="stable") if use_sorter else None
    a = a if use_sorter else np.sort(a)
    _same(np.searchsorted(ag.tensor(a), ag.tensor(v), side=side, sorter=sorter),
          np.asarray(np.searchsorted(a, v, side=side, sorter=sorter)))
    _same(ag.tensor(a).searchsorted(v, side, sorter), np.asarray(np.searchsorted(a, v, side, sorter)))


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
        _same(o, e)
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
    _same(np.bincount(ag.tensor(x), minlength=minlength), np.bincount(x, minlength=minlength))
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


# ---- np.* routed to the new operations: a Tensor, in the graph, never an ndarray ----

ROUTED = [
    (np.kron, ([[1.0, 2.0]], [[1.0], [3.0]]), {}), (np.cross, ([1.0, 2.0, 3.0], [0.0, 1.0, 5.0]), {}),
    (np.diag, ([1.0, 2.0],), {"k": 1}), (np.diagflat, ([[1.0, 2.0]],), {"k": -1}),
    (np.nan_to_num, ([np.nan, 1.0, -np.inf],), {"neginf": -3.0}), (np.trapezoid, ([1.0, 4.0, 2.0],), {"dx": 0.5}),
    (np.convolve, ([1.0, 2.0, 3.0], [1.0, -1.0]), {"mode": "same"}), (np.correlate, ([1.0, 2.0], [3.0, 1.0]), {}),
    (np.interp, ([0.25, 5.0], [0.0, 1.0], [2.0, 4.0]), {"right": -1.0}),
    (np.quantile, ([3.0, 1.0, 2.0], [0.2, 0.9]), {}), (np.percentile, ([3.0, 1.0, 2.0], 40), {}),
    (np.nanquantile, ([3.0, np.nan, 2.0], 0.3), {}), (np.nanpercentile, ([3.0, np.nan, 2.0], 30), {}),
    (np.cov, ([[1.0, 2.0, 4.0], [1.0, 0.0, 2.0]],), {"bias": True}),
    (np.corrcoef, ([[1.0, 2.0, 4.0], [1.0, 0.0, 2.0]],), {}),
    (np.linspace, (0.0, [1.0, 2.0], 4), {"axis": 1}), (np.logspace, (0.0, [1.0, 2.0], 3), {"base": 2.0}),
]


@pytest.mark.parametrize("func, args, kwargs", ROUTED, ids=[f.__name__ for f, _, _ in ROUTED])
def test_numpy_functions_on_tensors_give_differentiable_tensors(func, args, kwargs):
    expected = func(*(np.asarray(a) for a in args), **kwargs)
    leaves = [ag.tensor(a, requires_grad=True) if np.asarray(a).dtype.kind == "f" else a for a in args]
    out = func(*leaves, **kwargs)
    assert isinstance(out, ag.Tensor) and out.requires_grad
    assert out.dtype == expected.dtype
    np.testing.assert_allclose(out.data, expected, rtol=1e-12)
    ag.nan_to_num(out).sum().backward()
    assert all(leaf.grad is not None for leaf in leaves if isinstance(leaf, ag.Tensor))


def test_numpy_like_functions_and_meshgrid_on_tensors():
    t = ag.tensor([[1, 2], [3, 4]])
    for func, args, kwargs in ((np.full_like, (7.5,), {}), (np.full_like, (7.5,), {"dtype": np.float32, "shape": 3}),
                               (np.zeros_like, (), {"shape": (2, 3)}), (np.ones_like, (), {"dtype": bool}),
                               (np.empty_like, (), {"shape": (1, 2), "dtype": np.float32})):
        out, expected = func(t, *args, **kwargs), func(t.data, *args, **kwargs)
        assert isinstance(out, ag.Tensor) and out.dtype == expected.dtype and out.shape == expected.shape
        if func is not np.empty_like:
            np.testing.assert_array_equal(out.data, expected)
    _same(ag.zeros_like(t, shape=(2, 3)), np.zeros((2, 3), np.int64))
    _same(ag.ones_like(t, np.float32, shape=4), np.ones(4, np.float32))
    x, y = ag.tensor([1.0, 2.0, 3.0], requires_grad=True), ag.tensor([4.0, 5.0], requires_grad=True)
    grids = np.meshgrid(x, y, indexing="ij", sparse=True)
    assert isinstance(grids, tuple) and [g.shape for g in grids] == [(3, 1), (1, 2)]
    (grids[0] * grids[1]).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [9.0, 9.0, 9.0])
    w = ag.tensor(2.0, requires_grad=True)
    ag.full_like(np.zeros(3), w).sum().backward()
    assert float(w.grad) == 3.0


# ---- conventions beside the table: NumPy's edge cases ----

def test_interp_one_point_periodic_and_outside():
    x = np.array([-2.0, 0.0, 0.5, 3.0, 7.5])
    np.testing.assert_array_equal(ag.interp(x, [1.0], [4.0], left=-1.0).data, np.interp(x, [1.0], [4.0], left=-1.0))
    xp, fp = np.array([0.0, 1.0, 3.0]), np.array([1.0, -2.0, 5.0])
    np.testing.assert_allclose(ag.interp(x, xp, fp, period=4.0).data, np.interp(x, xp, fp, period=4.0))
    assert ag.interp(2.5, [1, 2, 3], [3, 2, 0]).dtype == np.float64  # float64 always, as NumPy's
    assert gradcheck(lambda f: ag.interp(x, xp + 0.1, f, period=4.0), fp)
    t = ag.tensor(x, requires_grad=True)
    ag.interp(t, xp, fp).sum().backward()  # outside [0, 3] the value is a constant: gradient 0
    np.testing.assert_array_equal(t.grad.data, [0.0, -3.0, -3.0, 0.0, 0.0])


def test_nan_to_num_gradient_is_one_where_kept_zero_where_replaced():
    x = ag.tensor([np.nan, 2.0, np.inf, -np.inf, -1.0], requires_grad=True)
    out = ag.nan_to_num(x, nan=1.0)
    np.testing.assert_array_equal(out.data, np.nan_to_num(x.data, nan=1.0))
    out.sum().backward()
    np.testing.assert_array_equal(x.grad.data, [0.0, 1.0, 0.0, 0.0, 1.0])
    _same(ag.nan_to_num(ag.tensor([1, 2])), np.array([1, 2]))
    assert ag.nan_to_num(ag.tensor([np.inf], dtype=np.float32)).data[0] == np.finfo(np.float32).max


def test_quantiles_of_nan_slices_and_integers():
    x = np.array([[1.0, np.nan, 3.0], [np.nan, np.nan, np.nan], [4.0, 2.0, 0.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        np.testing.assert_array_equal(ag.nanquantile(x, [0.5, 0.1], axis=1).data,
                                      np.nanquantile(x, [0.5, 0.1], axis=1))
    np.testing.assert_array_equal(ag.quantile(x, 0.5, axis=1).data, np.quantile(x, 0.5, axis=1))
    for q, method in ((0.5, "linear"), (1, "linear"), (0.4, "lower"), (0.4, "nearest"), ([0.5], "midpoint")):
        ints = np.array([5, 1, 4, 2])
        out, expected = ag.quantile(ints, q, method=method), np.quantile(ints, q, method=method)
        assert out.dtype == expected.dtype and out.data.tolist() == expected.tolist()
    for q in (0.3, np.array(0.3)):  # a Python q keeps float32, an array q gives float64, as NumPy's
        assert ag.quantile(np.float32([1, 2, 4]), q).dtype == np.quantile(np.float32([1, 2, 4]), q).dtype


def test_cov_and_corrcoef_match_numpy_with_weights_and_y():
    rng = np.random.default_rng(0)
    m, y = rng.normal(size=(3, 6)), rng.normal(size=(6,))
    f, a = np.array([1, 2, 1, 3, 1, 1]), rng.uniform(0.5, 2.0, 6)
    for kwargs in ({}, {"y": y}, {"fweights": f}, {"aweights": a}, {"fweights": f, "aweights": a, "ddof": 2},
                   {"rowvar": False}, {"bias": True, "aweights": a}, {"dtype": np.float32}):
        out, expected = ag.cov(m.T if kwargs.get("rowvar") is False else m, **kwargs), \
            np.cov(m.T if kwargs.get("rowvar") is False else m, **kwargs)
        assert out.dtype == expected.dtype
        np.testing.assert_allclose(out.data, expected, rtol=1e-5 if kwargs.get("dtype") else 1e-12)
    np.testing.assert_allclose(ag.corrcoef(m, y).data, np.corrcoef(m, y), rtol=1e-12)
    assert gradcheck(lambda t, w: ag.cov(t, aweights=w, fweights=f), m, a)
    assert ag.cov(np.float32([1, 2, 4])).dtype == np.float64  # NumPy computes in float64 at least


def test_convolve_correlate_integers_and_lengths():
    for n in range(1, 5):
        for k in range(1, 5):
            a, v = np.arange(1, n + 1), np.arange(2, k + 2) * (-1) ** np.arange(k)
            for mode in ("full", "same", "valid"):
                _same(ag.convolve(a, v, mode), np.convolve(a, v, mode))
                _same(ag.correlate(a, v, mode), np.correlate(a, v, mode))


def test_linspace_and_logspace_conventions():
    for num, endpoint in ((0, True), (1, True), (1, False), (5, False)):
        out, step = ag.linspace(ag.tensor(1.0), 2.0, num, endpoint=endpoint, retstep=True)
        expected, expected_step = np.linspace(1.0, 2.0, num, endpoint=endpoint, retstep=True)
        np.testing.assert_array_equal(out.data, expected)
        np.testing.assert_array_equal(step.data, expected_step)
    _same(ag.linspace(0, 10, 4, dtype=np.int64), np.linspace(0, 10, 4, dtype=np.int64))
    start = ag.tensor([0.0, 1.0], requires_grad=True)
    ag.linspace(start, 3.0, 4).sum().backward()  # the last sample is stop itself: start's gradient 1 + 2/3 + 1/3
    np.testing.assert_allclose(start.grad.data, [2.0, 2.0])
    base = np.array([2.0, 3.0])
    np.testing.assert_allclose(ag.logspace(0.0, ag.tensor([1.0, 2.0]), 3, base=base, axis=-1).data,
                               np.logspace(0.0, np.array([1.0, 2.0]), 3, base=base, axis=-1))


# ---- errors: clear, naming the function, where NumPy raises ----

ERRORS = [
    (lambda: ag.cross([1.0, 2.0, 3.0, 4.0], [1.0, 2.0, 3.0]), ValueError, "cross: incompatible dimensions"),
    (lambda: ag.cross(1.0, [1.0, 2.0, 3.0]), ValueError, "cross: the inputs must hold vectors"),
    (lambda: ag.cross([[1.0, 2.0, 3.0]] * 2, [[1.0, 2.0, 3.0]] * 3), ValueError, r"cross: the shapes \(2,\) and"),
    (lambda: ag.diag(np.zeros((2, 2, 2))), ValueError, r"diag: input must be 1- or 2-d, got shape \(2, 2, 2\)"),
    (lambda: ag.diag([1.0], k=0.5), TypeError, "diag: the diagonal k must be an int"),
    (lambda: ag.meshgrid([1.0], indexing="yx"), ValueError, "meshgrid: indexing must be 'xy' or 'ij'"),
    (lambda: ag.convolve([], [1.0]), ValueError, "convolve: a cannot be empty"),
    (lambda: ag.convolve([1.0], []), ValueError, "convolve: v cannot be empty"),
    (lambda: ag.convolve([[1.0]], [1.0]), ValueError, "convolve: .* must be 1-D"),
    (lambda: ag.correlate([1.0], [1.0], mode="wide"), ValueError, "correlate: mode must be one of"),
    (lambda: ag.interp([1.0], [0.0, 1.0], [1.0]), ValueError, "interp: xp and fp must be 1-D sequences of the same"),
    (lambda: ag.interp([1.0], [], []), ValueError, r"interp: array of sample points \(xp\) is empty"),
    (lambda: ag.interp([1.0], [0.0, 1.0], [1.0, 2.0], period=0), ValueError, "interp: period must be a non-zero"),
    (lambda: ag.trapezoid(ag.tensor(1.0)), np.exceptions.AxisError, "trapezoid: axis -1 is out of range"),
    (lambda: ag.quantile([1.0, 2.0], 1.5), ValueError, r"quantile: Quantiles must be in the range \[0, 1\]"),
    (lambda: ag.percentile([1.0, 2.0], -1), ValueError, r"percentile: Percentiles must be in the range \[0, 100\]"),
    (lambda: ag.quantile([1.0, 2.0], 0.5, method="hazen"), ValueError,
     "quantile on Tensors: method='hazen' is not supported; the supported methods are 'linear', 'lower'"),
    (lambda: ag.quantile([True, False], 0.5), TypeError, "quantile: a must be an array of real numbers"),
    (lambda: ag.quantile([1.0], 0.5, weights=[1.0]), TypeError, "quantile on Tensors: weights="),
    (lambda: ag.cov(np.zeros((2, 2, 2))), ValueError, "cov: m has more than 2 dimensions"),
    (lambda: ag.cov([[1.0, 2.0]], fweights=[1.5, 1.0]), TypeError, "cov: fweights must be integer"),
    (lambda: ag.cov([[1.0, 2.0]], aweights=[-1.0, 1.0]), ValueError, "cov: aweights cannot be negative"),
    (lambda: ag.nonzero(ag.tensor(1.0)), ValueError, "nonzero: calling nonzero on 0d arrays is not allowed"),
    (lambda: ag.searchsorted(np.zeros((2, 2)), 1.0), ValueError, r"searchsorted: a must be 1-D, got shape \(2, 2\)"),
    (lambda: ag.searchsorted([1.0], 1.0, side="middle"), ValueError, "searchsorted: side must be 'left' or 'right'"),
    (lambda: ag.count_nonzero(np.zeros(2), axis=3), np.exceptions.AxisError, "count_nonzero: "),
    (lambda: ag.unique([1.0], sorted=False), ValueError, "unique on Tensors: sorted=False is not supported"),
    (lambda: ag.bincount([1.5]), TypeError, "bincount: x must hold non-negative integers, got dtype float64"),
    (lambda: ag.bincount([-1]), ValueError, "bincount: x must hold non-negative integers, got -1"),
    (lambda: ag.bincount([1], minlength=-1), ValueError, "bincount: minlength must be non-negative"),
    (lambda: ag.bincount([1, 2], weights=[1.0]), ValueError, r"bincount: weights of shape \(1,\) must have x's"),
    (lambda: ag.histogram([1.0], bins=0), ValueError, "histogram: `bins` must be positive"),
    (lambda: ag.histogram([1.0], bins="auto"), ValueError, "histogram on Tensors: bins='auto'"),
    (lambda: ag.histogram([1.0], range=(2.0, 1.0)), ValueError, "histogram: max must be larger than min"),
    (lambda: ag.histogram([1.0, np.inf]), ValueError, "histogram: autodetected range of"),
    (lambda: ag.histogram([1.0], bins=[1.0, 0.0]), ValueError, "histogram: bins must be a positive int or a 1-D"),
    (lambda: ag.linspace(0.0, 1.0, -1), ValueError, "linspace: Number of samples, -1, must be non-negative"),
    (lambda: ag.linspace(0.0, 1.0, 2.5), TypeError, "linspace: num must be an int"),
]


@pytest.mark.parametrize("call, error, message", ERRORS, ids=[m.split(":")[0] + str(k) for k, (_, _, m) in
                                                              enumerate(ERRORS)])
def test_errors_name_the_function_and_what_is_valid(call, error, message):
    with pytest.raises(error, match=message):
        call()


# ---- PyTorch, where it has the function: values and gradients ----

def test_against_torch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(1)
    a, b = rng.normal(size=(2, 3)), rng.normal(size=(3, 2))

    def both(ag_fn, torch_fn, *arrays):
        leaves = [ag.tensor(x, requires_grad=True) for x in arrays]
        twins = [torch.tensor(x, requires_grad=True) for x in arrays]
        out, expected = ag_fn(*leaves), torch_fn(*twins)
        np.testing.assert_allclose(out.data, expected.detach().numpy(), rtol=1e-10, atol=1e-12)
        weights = rng.normal(size=out.shape)
        (out * weights).sum().backward()
        (expected * torch.tensor(weights)).sum().backward()
        for leaf, twin in zip(leaves, twins):
            np.testing.assert_allclose(leaf.grad.data, twin.grad.numpy(), rtol=1e-10, atol=1e-12)

    both(ag.kron, torch.kron, a, b)
    both(lambda x, y: ag.cross(x, y, axis=0), lambda x, y: torch.linalg.cross(x, y, dim=0), a.T, b)
    both(lambda x: ag.diag(x, 1), lambda x: torch.diag(x, 1), a)
    both(lambda x: ag.diag(x, -2), lambda x: torch.diag(x, -2), a[0])
    both(lambda x, y: ag.stack(ag.meshgrid(x, y, indexing="ij")),
         lambda x, y: torch.stack(torch.meshgrid(x, y, indexing="ij")), a[0], b[0])
    both(lambda x: ag.trapezoid(x, dx=0.5, axis=0), lambda x: torch.trapezoid(x, dx=0.5, dim=0), a)
    both(lambda x, y: ag.trapezoid(x, y[0]), lambda x, y: torch.trapezoid(x, y[0]), a, np.sort(a, axis=1))
    both(lambda x: ag.quantile(x, [0.25, 0.8], axis=1), lambda x: torch.quantile(x, torch.tensor([0.25, 0.8],
         dtype=torch.float64), dim=1), a)
    both(lambda x: ag.cov(x), torch.cov, a)
    both(lambda x: ag.corrcoef(x), torch.corrcoef, b.T)
    both(lambda s, e: ag.linspace(s, e, 5), lambda s, e: s + (e - s) * torch.linspace(0, 1, 5, dtype=torch.float64),
         np.array(0.5), np.array(2.0))
    nan = np.array([np.nan, 1.0, np.inf, -np.inf])
    both(lambda x: ag.nan_to_num(x, posinf=3.0, neginf=-2.0), lambda x: torch.nan_to_num(x, posinf=3.0, neginf=-2.0),
         nan)
    x = np.array([0, 3, 3, 1])
    w = rng.normal(size=4)
    np.testing.assert_allclose(ag.bincount(x, w, minlength=6).data,  # (torch has no gradient for bincount)
                               torch.bincount(torch.tensor(x), torch.tensor(w), minlength=6).numpy(), rtol=1e-12)
    np.testing.assert_array_equal(ag.count_nonzero(a > 0, axis=1).data, torch.count_nonzero(torch.tensor(a > 0),
                                                                                            dim=1).numpy())
    sorted_ = np.sort(a[0])
    np.testing.assert_array_equal(ag.searchsorted(sorted_, b, side="right").data,
                                  torch.searchsorted(torch.tensor(sorted_), torch.tensor(b), right=True).numpy())


# ---- what the fuzzing against NumPy and torch found: non-finite values and degenerate inputs as NumPy's ----

def test_non_finite_values_and_degenerate_inputs_as_numpy():
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        a, v = np.array([-0.8, 0.3, np.inf, -0.7]), np.array([1.1, np.nan])
        for mode in ("full", "same", "valid"):  # an inf or a NaN reaches only the sums that hold it
            np.testing.assert_array_equal(ag.convolve(a, v, mode).data, np.convolve(a, v, mode))
            np.testing.assert_array_equal(ag.correlate(a, v, mode).data, np.correlate(a, v, mode))
        xp, fp = np.array([-1.2, -0.3, 1.2]), np.array([-np.inf, -1.0, 0.5])
        x = np.array([-1.0, -0.3, np.nan, 0.0])  # NumPy's fallbacks for an infinite slope, and NaN for a NaN x
        np.testing.assert_array_equal(ag.interp(x, xp, fp).data, np.interp(x, xp, fp))
        np.testing.assert_array_equal(ag.interp(x, xp, fp, period=3.0).data, np.interp(x, xp, fp, period=3.0))
        np.testing.assert_array_equal(ag.interp(np.nan, [0.0], [1.0]).data, np.interp(np.nan, [0.0], [1.0]))
        counts, _ = ag.histogram(np.float32([0.1, 0.5]), weights=np.float32([1.0, 2.0]), density=True)
        assert counts.dtype == np.float64  # the widths are float64 in NumPy's density
        q = np.array([0.5, 0.2])
        out, expected = ag.nanquantile(np.float32([np.nan, np.nan]), q), np.nanquantile(np.float32([np.nan] * 2), q)
        assert out.dtype == expected.dtype and np.isnan(out.data).all()
        np.testing.assert_array_equal(ag.cov([[1.0], [2.0]]).data, np.cov([[1.0], [2.0]]))


@settings(max_examples=40, deadline=None)
@given(x=hnp.arrays(np.float32, st.integers(1, 8), elements=st.floats(-3, 3, width=32)),
       q=st.floats(0, 1), method=st.sampled_from(["linear", "lower", "higher", "nearest", "midpoint"]),
       kind=st.sampled_from(["python", "float64", "float32"]), percent=st.booleans())
def test_quantile_values_equal_numpys_to_the_bit(x, q, method, kind, percent):
    q = q * 100 if percent else q
    q = {"python": q, "float64": np.array([q, q / 2]), "float32": np.float32([q, q / 3])}[kind]
    func = "percentile" if percent else "quantile"
    out, expected = getattr(ag, func)(x, q, method=method), np.asarray(getattr(np, func)(x, q, method=method))
    assert out.dtype == expected.dtype and out.data.tobytes() == expected.tobytes()


def test_convolve_of_long_sequences_sums_shifted_slices(monkeypatch):
    from autograd_core.ops import numpy_more
    monkeypatch.setattr(numpy_more, "_WINDOWED", 0)  # every call takes the path of long sequences
    rng = np.random.default_rng(3)
    for n, m in ((1, 1), (5, 2), (2, 5), (4, 4), (6, 3)):
        a, v = rng.normal(size=n), rng.normal(size=m)
        for mode in ("full", "same", "valid"):
            np.testing.assert_allclose(ag.convolve(a, v, mode).data, np.convolve(a, v, mode), rtol=1e-12)
            np.testing.assert_allclose(ag.correlate(a, v, mode).data, np.correlate(a, v, mode), rtol=1e-12)
        assert gradcheck(lambda x, y: ag.correlate(x, y, "same"), a, v)
    with np.errstate(all="ignore"):
        a, v = np.array([-0.8, 0.3, np.inf, -0.7]), np.array([1.1, np.nan])
        np.testing.assert_array_equal(ag.convolve(a, v).data, np.convolve(a, v))


@settings(max_examples=40, deadline=None)
@given(start=st.floats(-1e3, 1e3), stop=st.floats(-1e3, 1e3), num=st.integers(0, 9), endpoint=st.booleans(),
       dtype=st.sampled_from([np.float32, np.float64]))
def test_linspace_values_equal_numpys_to_the_bit(start, stop, num, endpoint, dtype):
    start, stop = np.asarray(start, dtype), np.asarray(stop, dtype)
    out, expected = ag.linspace(start, stop, num, endpoint), np.linspace(start, stop, num, endpoint)
    assert out.dtype == expected.dtype and out.data.tobytes() == expected.tobytes()
    assert ag.linspace(0.1, 0.7, 7).data[-1] == 0.7  # the last sample is stop itself, as NumPy's
