"""The NumPy functions added in ops/numpy_more.py, quantiles.py, spacing.py and the differentiable parts of
counting.py, one table declaration each: value and dtype against NumPy, gradients and second derivatives against
finite differences, float32 kept, inputs not mutated and the graph freed (optable's generated tests). Then, for all
of them, np.* on Tensors, the errors and torch's values and gradients; and the edge cases of numpy_more.py's own
(convolve, correlate, nan_to_num, interp, trapezoid, cross) as NumPy's. The edge cases of the others are in
test_counting.py, test_quantiles.py and test_spacing.py."""
import warnings

import numpy as np
import pytest
from hypothesis import strategies as st

import autograd_core as ag
from autograd_core.testing import gradcheck, gradgradcheck
from autograd_core.testing.strategies import broadcastable_shapes, elements, shapes
from checks import assert_same_constant
from optable import SMALL, Op, generated_tests, spaced

TWO_SHAPES = st.tuples(shapes(**SMALL), shapes(**SMALL))


@st.composite
def _cross_case(draw):
    batch_a, batch_b = draw(broadcastable_shapes(2, min_dims=0, max_dims=2, min_side=1, max_side=2))
    na, nb = draw(st.sampled_from([(3, 3), (2, 3), (3, 2)]))
    ia, ib = draw(st.integers(0, len(batch_a))), draw(st.integers(0, len(batch_b)))
    out_ndim = max(len(batch_a), len(batch_b)) + 1
    kwargs = {"axisa": ia - len(batch_a) - 1 if draw(st.booleans()) else ia, "axisb": ib,
              "axisc": draw(st.integers(-out_ndim, out_ndim - 1))}
    return (batch_a[:ia] + (na,) + batch_a[ia:], batch_b[:ib] + (nb,) + batch_b[ib:]), kwargs


@st.composite
def _diag_case(draw, ndim, max_side=4):
    shape = draw(shapes(min_dims=ndim, max_dims=ndim, min_side=1, max_side=max_side))
    return (shape,), {"k": draw(st.integers(-max_side, max_side))}


@st.composite
def _meshgrid_case(draw):
    count = draw(st.integers(1, 3))
    return tuple(draw(shapes(min_dims=0, max_dims=2, max_side=3)) for _ in range(count)), {
        "indexing": draw(st.sampled_from(["xy", "ij"])), "sparse": draw(st.booleans())}


def _grids_summed(module):
    """The grids of meshgrid joined into one array (each scaled differently, so a swapped grid shows)."""
    def f(*xs, **kwargs):
        grids = module.meshgrid(*xs, **kwargs)
        return sum((k + 1.0) * g for k, g in enumerate(grids))
    return f


@st.composite
def _trapezoid_case(draw):
    shape = draw(shapes(min_dims=1, max_dims=3, max_side=4))
    axis = draw(st.integers(-len(shape), len(shape) - 1))
    kind = draw(st.sampled_from(["dx", "x1", "xfull"]))
    if kind == "dx":
        return (shape,), {"dx": draw(st.sampled_from([1.0, 0.5, -2.0])), "axis": axis}
    return (shape, (shape[axis],) if kind == "x1" else shape), {"axis": axis}


@st.composite
def _sequences(draw):
    return (draw(st.integers(1, 5)),), (draw(st.integers(1, 5)),)


@st.composite
def _convolve_case(draw):
    return draw(_sequences()), {"mode": draw(st.sampled_from(["full", "same", "valid"]))}


def _knots(raw):
    """Increasing sample points from unconstrained values: a smooth map, so xp's gradient is checked too."""
    if isinstance(raw, ag.Tensor):
        return ag.cumsum(ag.exp(raw)) - 2.0
    return np.cumsum(np.exp(raw)) - 2.0


@st.composite
def _interp_case(draw):
    n = draw(st.integers(2, 4))  # (one sample point: tested below, x has no gradient there)
    kwargs = draw(st.sampled_from([{}, {"left": -7.0}, {"right": 9.0}, {"left": -1.0, "right": 1.5}]))
    return (draw(shapes(min_dims=0, max_dims=2, max_side=4)), (n,), (n,)), kwargs


def _off_knots(x, raw, fp, **_):
    return bool(np.all(np.abs(x.reshape(-1, 1) - _knots(raw)[None, :]) > 1e-3))


@st.composite
def _quantile_case(draw, scale=1.0):
    shape = draw(shapes(min_dims=1, max_dims=3, max_side=4))
    axis = draw(st.one_of(st.none(), st.integers(-len(shape), len(shape) - 1),
                          st.just(tuple(range(len(shape))))))
    q = draw(st.one_of(st.floats(0, 1), st.lists(st.floats(0, 1), min_size=1, max_size=3).map(np.array)))
    method = draw(st.sampled_from(["linear", "linear", "lower", "higher", "nearest", "midpoint"]))
    q = q * scale if scale != 1.0 else q
    return (shape,), {"q": q, "axis": axis, "keepdims": draw(st.booleans()), "method": method}


@st.composite
def _quantile_in_q_case(draw):
    shape = draw(shapes(min_dims=1, max_dims=2, min_side=2, max_side=3))
    return (shape, draw(shapes(min_dims=0, max_dims=1, max_side=2))), {"axis": -1}


def _q_off_integers(x, q, axis):
    v = (x.shape[axis] - 1) * q
    return bool(np.all(np.abs(v - np.round(v)) > 1e-3))


@st.composite
def _cov_case(draw):
    variables, observations = draw(st.integers(1, 3)), draw(st.integers(3, 5))
    rowvar = draw(st.booleans())
    shape = (variables, observations) if rowvar else (observations, variables)
    if variables == 1 and draw(st.booleans()):
        shape = (observations,)
    kwargs = {"rowvar": rowvar, "bias": draw(st.booleans())}
    if draw(st.booleans()):
        kwargs["ddof"] = draw(st.integers(0, 2))
    if draw(st.booleans()):
        kwargs["fweights"] = np.array(draw(st.lists(st.integers(1, 3), min_size=observations,
                                                    max_size=observations)))
    return (shape,), kwargs


@st.composite
def _cov_weighted_case(draw):
    variables, observations = draw(st.integers(1, 3)), draw(st.integers(3, 5))
    return ((variables, observations), (observations,)), {"ddof": draw(st.integers(0, 1))}


def _correlations_inside(x, **kwargs):
    with np.errstate(divide="ignore", invalid="ignore"):
        c = np.corrcoef(x, rowvar=kwargs.get("rowvar", True))
    return bool(np.all(np.var(x, axis=-1 if kwargs.get("rowvar", True) else 0) > 0.05)) and bool(
        np.all(np.abs(c - np.eye(c.shape[0]) if c.ndim else 0) < 0.98))


@st.composite
def _linspace_case(draw):
    a, b = draw(broadcastable_shapes(2, min_dims=0, max_dims=2, max_side=3))
    ndim = len(np.broadcast_shapes(a, b)) + 1
    return (a, b), {"num": draw(st.integers(0, 5)), "endpoint": draw(st.booleans()),
                    "axis": draw(st.integers(-ndim, ndim - 1))}


@st.composite
def _bincount_case(draw):
    n = draw(st.integers(1, 6))  # (no x at all: an int64 constant, as NumPy's)
    bins = np.array(draw(st.lists(st.integers(0, 4), min_size=n, max_size=n)), dtype=np.int64)
    return ((n,),), {"bins": bins, "minlength": draw(st.integers(0, 7))}


@st.composite
def _histogram_weighted_case(draw):
    n = draw(st.integers(1, 6))
    values = np.array(draw(st.lists(spaced(-3, 3, 0.25, 0.1), min_size=n, max_size=n)))
    kwargs = {"values": values, "bins": draw(st.sampled_from([1, 3, 5, [-2.0, 0.0, 0.5, 2.0]])),
              "density": draw(st.booleans())}
    if draw(st.booleans()):
        kwargs["range"] = (-1.0, 2.0)
    return ((n,),), kwargs


def _some_inside(w, values, bins, range=None, **_):
    low, high = range if range is not None else (values.min(), values.max()) if isinstance(bins, int) else bins[::len(
        bins) - 1]
    return bool(np.any((values >= low) & (values <= high)))


def _unique_case(draw_axis):
    @st.composite
    def case(draw):
        shape = draw(shapes(min_dims=1, max_dims=3, max_side=3))
        return (shape,), ({"axis": draw(st.integers(-len(shape), len(shape) - 1))} if draw_axis else {})
    return case()


NUMPY_MORE = [
    Op("kron", ag.kron, np.kron, arity=2, shapes=TWO_SHAPES),
    Op("cross", ag.cross, np.cross, arity=2, case=_cross_case()),
    Op("diag_of_vector", ag.diag, np.diag, case=_diag_case(1)),
    Op("diag_of_matrix", ag.diag, np.diag, case=_diag_case(2)),
    Op("diagflat", ag.diagflat, np.diagflat, case=_diag_case(2, max_side=2)),
    Op("meshgrid", _grids_summed(ag), _grids_summed(np), case=_meshgrid_case()),
    Op("nan_to_num", ag.nan_to_num, np.nan_to_num,
       elements=st.one_of(elements(-3.0, 3.0), st.sampled_from([np.nan, np.inf, -np.inf])),
       kwargs=lambda s: st.sampled_from([{}, {"nan": 2.5, "posinf": 7.0}, {"neginf": -4.0}])),
    Op("trapezoid", ag.trapezoid, np.trapezoid, case=_trapezoid_case()),
    Op("convolve", ag.convolve, np.convolve, arity=2, case=_convolve_case()),
    Op("correlate", ag.correlate, np.correlate, arity=2, case=_convolve_case()),
    Op("interp", lambda x, raw, fp, **k: ag.interp(x, _knots(raw), fp, **k),
       lambda x, raw, fp, **k: np.interp(x, _knots(raw), fp, **k), arity=3, case=_interp_case(),
       elements=[(-1.0, 4.0), (-1.5, 0.5), (-3.0, 3.0)], valid=_off_knots, float32=False),
    Op("quantile", lambda x, **k: ag.quantile(x, **k), lambda x, **k: np.quantile(x, **k),
       case=_quantile_case(), elements=spaced(), unique=True, float32=False),
    Op("percentile", lambda x, **k: ag.percentile(x, **k), lambda x, **k: np.percentile(x, **k),
       case=_quantile_case(100.0), elements=spaced(), unique=True, float32=False),
    Op("nanquantile", lambda x, **k: ag.nanquantile(x, **k), lambda x, **k: np.nanquantile(x, **k),
       case=_quantile_case(), elements=spaced(), unique=True, float32=False),
    Op("quantile_in_q", lambda x, q, axis: ag.quantile(x, q, axis=axis), lambda x, q, axis: np.quantile(x, q, axis),
       arity=2, case=_quantile_in_q_case(), elements=[spaced(), (0.0, 1.0)], unique=True, valid=_q_off_integers),
    Op("quantile_python_q_float32", lambda x: ag.quantile(x, 0.3, axis=-1), lambda x: np.quantile(x, 0.3, axis=-1),
       shapes=shapes(min_dims=1, max_dims=2, max_side=4).map(lambda s: (s,)), elements=spaced(), unique=True),
    Op("cov", ag.cov, np.cov, case=_cov_case(), float32=False),
    Op("cov_of_two", lambda x, y: ag.cov(x, y), lambda x, y: np.cov(x, y), arity=2,
       shapes=st.integers(3, 5).map(lambda n: ((2, n), (n,))), float32=False),
    Op("cov_aweights", lambda x, w, ddof: ag.cov(x, aweights=w, ddof=ddof),
       lambda x, w, ddof: np.cov(x, aweights=w, ddof=ddof), arity=2, case=_cov_weighted_case(),
       elements=[(-3.0, 3.0), (0.5, 2.0)], float32=False),
    Op("corrcoef", ag.corrcoef, np.corrcoef, case=_cov_case().map(lambda c: (c[0], {"rowvar": c[1]["rowvar"]})),
       valid=_correlations_inside, float32=False),
    Op("linspace", ag.linspace, np.linspace, arity=2, case=_linspace_case()),
    Op("linspace_retstep", lambda a, b, **k: ag.linspace(a, b, retstep=True, **k)[1] * 1.0,
       lambda a, b, **k: np.linspace(a, b, retstep=True, **k)[1] * 1.0, arity=2,
       case=_linspace_case().filter(lambda c: c[1]["num"] > int(c[1]["endpoint"]))),
    Op("logspace", ag.logspace, np.logspace, arity=2, case=_linspace_case(), elements=(-1.0, 1.0)),
    Op("logspace_base", lambda a, base: ag.logspace(a, 1.5, 4, base=base), lambda a, base: np.logspace(a, 1.5, 4,
       base=base), arity=2, shapes=st.just(((), ())), elements=[(-1.0, 1.0), (0.5, 3.0)]),
    Op("bincount_weights", lambda w, bins, minlength: ag.bincount(bins, w, minlength),
       lambda w, bins, minlength: np.bincount(bins, w, minlength), case=_bincount_case(), float32=False),
    # (float32=False: density=True gives float64 for float32 weights, as NumPy's)
    Op("histogram_weights", lambda w, values, **k: ag.histogram(values, weights=w, **k)[0],
       lambda w, values, **k: np.histogram(values, weights=w, **k)[0], case=_histogram_weighted_case(),
       elements=(0.5, 2.0), float32=False, valid=_some_inside),
    Op("histogram_edges", lambda x, bins: ag.histogram(x, bins)[1], lambda x, bins: np.histogram(x, bins)[1],
       case=shapes(min_dims=1, max_dims=2, max_side=4).flatmap(
           lambda s: st.integers(1, 5).map(lambda b: ((s,), {"bins": b}))), elements=spaced(), unique=True),
    Op("unique", ag.unique, np.unique, case=_unique_case(False), elements=spaced(), unique=True),
    Op("unique_axis", ag.unique, np.unique, case=_unique_case(True), elements=spaced(), unique=True),
]

globals().update(generated_tests(NUMPY_MORE))
pytestmark = pytest.mark.filterwarnings("ignore:Arrays of 2-dimensional vectors:DeprecationWarning")


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


# ---- errors: clear, naming the function, where NumPy raises ----
ERRORS = [
    (lambda: ag.cross([1.0, 2.0, 3.0, 4.0], [1.0, 2.0, 3.0]), ValueError, "cross: incompatible dimensions"),
    (lambda: ag.cross(1.0, [1.0, 2.0, 3.0]), ValueError, "cross: the inputs must hold vectors"),
    (lambda: ag.cross([[1.0, 2.0, 3.0]] * 2, [[1.0, 2.0, 3.0]] * 3), ValueError, r"cross: the shapes \(2,\) and"),
    (lambda: ag.diag(np.zeros((2, 2, 2))), ValueError, r"diag: input must be 1- or 2-d, got shape \(2, 2, 2\)"),
    (lambda: ag.diag([1.0], k=0.5), TypeError, "diag: the diagonal k must be an int"),
    (lambda: ag.diag([1.0], 1, diagonal=1), TypeError, r"diag: got the diagonal twice, k=1 and diagonal=1"),
    (lambda: ag.meshgrid([1.0], indexing="yx"), ValueError, "meshgrid: indexing must be 'xy' or 'ij'"),
    (lambda: ag.meshgrid([ag.arange(2.0), ag.arange(3.0)]), TypeError,  # torch.meshgrid's list form
     r"meshgrid: got one list of 2 Tensors; .* meshgrid\(x, y, indexing='ij'\) gives torch.meshgrid\(\[x, y\]\)"),
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


def test_meshgrid_of_one_list_of_arrays_stays_numpys():
    # only a list holding Tensors (torch.meshgrid([x, y])) is refused; NumPy flattens a list of arrays into one vector
    vectors = [np.arange(2.0), np.arange(2.0) + 5]
    (grid,) = ag.meshgrid(vectors)
    (expected,) = np.meshgrid(vectors)
    np.testing.assert_array_equal(grid.numpy(), expected)


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
    both(lambda x: x.diag(), lambda x: x.diag(), a @ a.T)  # PyTorch's method, as RBF kernels' XX.diag()
    both(lambda x: ag.diag(x, diagonal=-1), lambda x: torch.diag(x, diagonal=-1), a)
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


# ---- conventions beside the table: NumPy's edge cases, non-finite values and degenerate inputs ----
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
    assert_same_constant(ag.nan_to_num(ag.tensor([1, 2])), np.array([1, 2]))
    assert ag.nan_to_num(ag.tensor([np.inf], dtype=np.float32)).data[0] == np.finfo(np.float32).max


def test_convolve_correlate_integers_and_lengths():
    for n in range(1, 5):
        for k in range(1, 5):
            a, v = np.arange(1, n + 1), np.arange(2, k + 2) * (-1) ** np.arange(k)
            for mode in ("full", "same", "valid"):
                assert_same_constant(ag.convolve(a, v, mode), np.convolve(a, v, mode))
                assert_same_constant(ag.correlate(a, v, mode), np.correlate(a, v, mode))


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


# ---- convolve and correlate: NumPy's result dtype for integer and boolean inputs (no widening to int64, booleans
# not counted), a 0-d input to convolve as one sample, correlate's message for a 0-d input, NumPy's integer modes 0
# ('valid'), 1 ('same') and 2 ('full'), and TypeError, as NumPy's, for a mode that is neither a str nor an int ----
@pytest.mark.parametrize("dtype", [np.int8, np.uint8, np.int16, np.int32, np.bool_, np.float16])
@pytest.mark.parametrize("mode", ["full", "same", "valid"])
@pytest.mark.parametrize("name", ["convolve", "correlate"])
def test_integer_and_boolean_dtypes_are_numpys(dtype, mode, name):
    a, v = np.array([1, 0, 3, 120], dtype), np.array([1, 1, 100], dtype)
    expected = getattr(np, name)(a, v, mode)
    for got in (getattr(ag, name)(ag.tensor(a), v, mode), getattr(np, name)(a, ag.tensor(v), mode)):
        assert got.dtype == expected.dtype
        np.testing.assert_array_equal(got.data, expected)


def test_mixed_integer_dtypes_promote_as_numpy():
    a, v = np.array([1, 2, 3], np.int32), np.array([7, 9], np.uint8)
    got = ag.convolve(ag.tensor(a), ag.tensor(v))
    assert got.dtype == np.int32
    np.testing.assert_array_equal(got.data, np.convolve(a, v))


@pytest.mark.parametrize("mode", ["full", "same", "valid"])
def test_convolve_takes_a_0d_input_as_one_sample(mode):
    a = ag.tensor(2.0, requires_grad=True)
    v = ag.tensor([1.0, 2.0, 3.0], requires_grad=True)
    for first, second in ((a, v), (v, a)):
        out = ag.convolve(first, second, mode)
        np.testing.assert_array_equal(out.data, np.convolve(first.data, second.data, mode))
    out = np.convolve(a, v, mode)
    out.sum().backward()
    assert a.grad.shape == () and float(a.grad) == 6.0


def test_correlate_refuses_a_0d_input_naming_too_small_depth():
    with pytest.raises(ValueError, match="correlate: object of too small depth"):
        ag.correlate(ag.tensor([1.0, 2.0]), 2.0)
    with pytest.raises(ValueError, match="correlate: object too deep"):
        ag.correlate(ag.ones((2, 2)), ag.ones(2))


A, V = np.array([1.0, 2.0, 3.0, -1.0]), np.array([0.5, 1.0])


@pytest.mark.parametrize("name", ["convolve", "correlate"])
@pytest.mark.parametrize("mode", [0, 1, 2, np.int64(1)])
def test_integer_modes(name, mode):
    expected = getattr(np, name)(A, V, mode)
    np.testing.assert_array_equal(getattr(ag, name)(ag.tensor(A), V, mode).data, expected)
    np.testing.assert_array_equal(getattr(np, name)(A, ag.tensor(V), mode=mode).data, expected)


@pytest.mark.parametrize("name", ["convolve", "correlate"])
@pytest.mark.parametrize("mode, error", [(None, TypeError), (1.0, TypeError), (True, TypeError), (b"same", TypeError),
                                         (3, ValueError), (-1, ValueError), ("FULL", ValueError)])
def test_invalid_modes_raise_numpys_error(name, mode, error):
    with pytest.raises(error):
        getattr(np, name)(A, V, mode)
    with pytest.raises(error, match=f"^{name}: "):
        getattr(ag, name)(ag.tensor(A), V, mode)


# ---- the fill arguments of nan_to_num and interp, checked as NumPy's: nan_to_num's nan/posinf/neginf of another
# kind (None, a string, a complex) or of a shape that does not broadcast to the input are refused, and a fill that
# requires grad stays in the graph; interp's left/right must be single numbers, and a period of shape (1,) is taken
# ----
X = np.array([np.nan, 1.0, np.inf, -np.inf])


@pytest.mark.parametrize("name, fill", [("nan", None), ("nan", "a"), ("nan", 1j), ("posinf", "a"), ("posinf", 1j),
                                        ("neginf", "a"), ("neginf", 1j)])  # (posinf=None is the default)
def test_nan_to_num_refuses_a_fill_of_another_kind(name, fill):
    with pytest.raises(TypeError):
        np.nan_to_num(X.copy(), **{name: fill})
    with pytest.raises(TypeError, match=f"nan_to_num: {name}="):
        ag.nan_to_num(ag.tensor(X), **{name: fill})


@pytest.mark.parametrize("shape", [(3, 4), (2,), (4, 1)])
def test_nan_to_num_refuses_a_fill_that_does_not_broadcast_to_the_input(shape):
    with pytest.raises(ValueError):
        np.nan_to_num(X.copy(), nan=np.ones(shape))
    with pytest.raises(ValueError, match=f"nan_to_num: nan of shape \\({shape[0]},"):
        ag.nan_to_num(ag.tensor(X), nan=np.ones(shape))


@pytest.mark.parametrize("fill", [np.arange(4.0), np.arange(4.0).reshape(1, 1, 4), True, np.int8(3), np.float16(2)])
def test_nan_to_num_fills_numpy_takes(fill):
    expected = np.nan_to_num(X.copy(), nan=fill, posinf=fill)
    got = ag.nan_to_num(ag.tensor(X), nan=fill, posinf=fill)
    assert got.shape == expected.shape and got.dtype == expected.dtype
    np.testing.assert_array_equal(got.data, expected)


def test_nan_to_num_fill_that_requires_grad_stays_in_the_graph():
    w = ag.tensor([[2.0, 3.0, 4.0, 5.0]], requires_grad=True)
    out = ag.nan_to_num(ag.tensor(X), nan=w, neginf=-w)
    np.testing.assert_array_equal(out.data, [2.0, 1.0, np.finfo(np.float64).max, -5.0])
    out.sum().backward()
    np.testing.assert_array_equal(w.grad.data, [[1.0, 0.0, 0.0, -1.0]])
    z = ag.tensor(X.reshape(2, 2), requires_grad=True)
    v = ag.tensor([0.5, -1.5], requires_grad=True)
    assert gradcheck(lambda v, z: ag.nan_to_num(z, nan=v, posinf=v * v), v, z)
    assert gradgradcheck(lambda v, z: ag.sin(ag.nan_to_num(z, nan=v * v, neginf=v)), v, z)


@pytest.mark.parametrize("name", ["left", "right"])
@pytest.mark.parametrize("shape", [(1,), (2,)])
def test_interp_refuses_left_and_right_that_are_not_numbers(name, shape):
    x, xp, fp = np.array([-1.0, 0.5, 2.0]), [0.0, 1.0], [1.0, 2.0]
    with pytest.raises(TypeError):
        np.interp(x, xp, fp, **{name: np.ones(shape)})
    with pytest.raises(TypeError, match=f"interp: {name} must be a single number"):
        ag.interp(ag.tensor(x), xp, fp, **{name: np.ones(shape)})
    np.testing.assert_array_equal(ag.interp(ag.tensor(x), xp, fp, period=3.0, **{name: np.ones(shape)}).data,
                                  np.interp(x, xp, fp, period=3.0, **{name: np.ones(shape)}))  # (a period drops them)


def test_interp_period_of_one_element():
    x, xp, fp = np.array([-1.0, 0.5, 2.5]), [0.0, 1.0], [1.0, 2.0]
    for period in (np.array([3.0]), ag.tensor([3.0])):
        np.testing.assert_array_equal(ag.interp(ag.tensor(x), xp, fp, period=period).data,
                                      np.interp(x, xp, fp, period=np.array([3.0])))
    with pytest.raises(ValueError):
        np.interp(x, xp, fp, period=np.array([3.0, 4.0]))
    with pytest.raises(ValueError, match="interp: period must be a single number"):
        ag.interp(ag.tensor(x), xp, fp, period=np.array([3.0, 4.0]))


# ---- interp at an infinite x: the value is fp[0] or fp[-1] (or left/right), and so are the gradients, those of a
# large finite x (not NaN from 0 * inf); with a period and tied sample points, the points are sorted as np.interp
# sorts them (NumPy's default argsort, not a stable one) ----
def _gradients(x, **kwargs):
    xt = ag.tensor(x, requires_grad=True)
    xp = ag.tensor([0.0, 1.0, 2.0], requires_grad=True)
    fp = ag.tensor([1.0, 3.0, 2.0], requires_grad=True)
    extra = {k: ag.tensor(v, requires_grad=True) for k, v in kwargs.items()}
    out = ag.interp(xt, xp, fp, **extra)
    np.testing.assert_array_equal(out.data, np.interp(x, xp.data, fp.data, **kwargs))
    (out * ag.tensor(np.arange(1.0, len(x) + 1))).sum().backward()
    return [t.grad.data for t in (xt, xp, fp, *extra.values())]


@pytest.mark.parametrize("kwargs", [{}, {"left": -4.0, "right": 6.0}])
def test_infinite_x_has_the_gradients_of_a_large_finite_x(kwargs):
    got = _gradients(np.array([np.inf, 0.5, -np.inf, 1.5]), **kwargs)
    expected = _gradients(np.array([1e300, 0.5, -1e300, 1.5]), **kwargs)
    for g, e in zip(got, expected):
        assert np.isfinite(g).all()
        np.testing.assert_array_equal(g, e)


def test_a_nan_x_gives_nan_and_no_gradient_to_the_samples():
    grads = _gradients(np.array([np.nan, 0.5]))
    np.testing.assert_array_equal(grads[2], [1.0, 1.0, 0.0])  # (0.5 weighted by 2)


def test_second_derivatives_with_infinite_x_in_the_batch():
    x = np.array([np.inf, 0.3, 1.7, -np.inf])
    xp = ag.tensor([0.0, 1.0, 2.0], requires_grad=True)
    fp = ag.tensor([1.0, 3.0, 2.0], requires_grad=True)
    assert gradcheck(lambda xp, fp: ag.interp(x, xp, fp), xp, fp)
    assert gradgradcheck(lambda xp, fp: ag.sin(ag.interp(x, xp, fp)), xp, fp)


def test_tied_points_with_a_period_give_numpys_values():
    x = np.array([-0.6, -3.1, 6.5, 5.8, -2.8, -1.3, 2.0])
    xp = np.array([-2.3, -1.3, -1.3, -0.1, 2.0])
    fp = np.array([-1.9, -0.3, 1.2, -2.2, -1.5])
    expected = np.interp(x, xp, fp, period=5.5)
    np.testing.assert_allclose(ag.interp(ag.tensor(x), xp, fp, period=5.5).data, expected, rtol=1e-13)
    np.testing.assert_allclose(np.interp(x, ag.tensor(xp), ag.tensor(fp), period=5.5).data, expected, rtol=1e-13)


# ---- trapezoid's sample points x as NumPy reads them: boolean x differenced as not_equal, an x of more axes than y
# summed along the axis as given, an x of fewer axes with a non-negative axis differenced along that axis of its own,
# and errors naming trapezoid; np.cross of two boolean arrays refused naming cross ----
def _agree(y, x, **kwargs):
    expected = np.trapezoid(y, x, **kwargs)
    for got in (ag.trapezoid(ag.tensor(y), x, **kwargs), np.trapezoid(y, ag.tensor(x), **kwargs)):
        assert got.shape == np.shape(expected) and got.dtype == np.asarray(expected).dtype
        np.testing.assert_allclose(got.data, expected)


def test_boolean_x_is_differenced_as_not_equal():
    _agree(np.array([1.0, 2.0, 4.0]), np.array([False, True, True]))
    _agree(np.array([[1.0, 2.0, 4.0], [3.0, 0.5, 1.0]]), np.array([[True, False, True], [False, False, True]]))
    _agree(np.array([True, False, True]), np.array([False, True, True]))


def test_x_with_more_axes_than_y_sums_along_the_axis_as_given():
    y = np.array([1.0, 2.0, 4.0])
    _agree(y, np.array([[0.0, 1.0, 3.0]]))
    _agree(y, np.array([[0.0, 1.0, 3.0], [0.0, 2.0, 2.5]]), axis=-1)
    _agree(np.ones((3, 2)), np.arange(12.0).reshape(2, 3, 2) ** 2, axis=-2)


def test_x_with_fewer_axes_and_a_non_negative_axis_is_numpys():
    y = np.arange(12.0).reshape(3, 2, 2)
    x = np.array([[0.0], [1.0], [3.0]])
    _agree(y, x, axis=0)
    yt = ag.tensor(y, requires_grad=True)
    assert gradcheck(lambda y: ag.trapezoid(y, x, axis=0), yt)
    with pytest.raises(ValueError, match="trapezoid: the spacings of x of shape \\(3, 3\\)"):
        ag.trapezoid(ag.ones((2, 3, 4)), np.ones((3, 4)), axis=1)  # NumPy raises too (x differenced along its axis 1)


def test_errors_name_trapezoid():
    with pytest.raises(ValueError, match="trapezoid: the sample points x must be at least 1-D"):
        ag.trapezoid(ag.ones((2, 3)), ag.tensor(1.0))
    with pytest.raises(ValueError, match="trapezoid: There must be one `x` value for each sample point: x has 5, y "
                                         "has 3"):
        ag.trapezoid(ag.ones((2, 3)), np.ones(5))
    with pytest.raises(ValueError, match="trapezoid: the spacings dx of shape \\(3,\\) .*; dx must broadcast"):
        ag.trapezoid(ag.ones((2, 3)), dx=np.ones(3))
    with pytest.raises(np.exceptions.AxisError, match="trapezoid: axis 2"):
        ag.trapezoid(ag.ones((2, 3)), np.ones((2, 3, 4)), axis=2)


def test_cross_of_booleans_is_refused_naming_cross():
    a = np.array([True, False, True])
    with pytest.raises(TypeError):
        np.cross(a, a)
    with pytest.raises(TypeError, match="cross: boolean inputs"):
        ag.cross(ag.tensor(a), a)
    with pytest.raises(ValueError, match="cross: incompatible dimensions"):  # the shapes are checked first, as NumPy's
        ag.cross(ag.tensor(a), np.ones(4, bool))
    np.testing.assert_array_equal(ag.cross(ag.tensor(a), a.astype(np.int8)).data, np.cross(a, a.astype(np.int8)))


def test_diag_takes_torchs_diagonal_keyword_and_is_a_method():
    m = ag.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
    np.testing.assert_array_equal(m.diag().data, [1.0, 5.0])
    np.testing.assert_array_equal(m.diag(1).data, [2.0, 6.0])
    np.testing.assert_array_equal(ag.diag(m, diagonal=-1).data, [4.0])
    np.testing.assert_array_equal(ag.tensor([1.0, 2.0]).diag(diagonal=1).data, np.diag([1.0, 2.0], 1))
    m.diag(1).sum().backward()
    np.testing.assert_array_equal(m.grad.data, [[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])


def test_meshgrid_without_indexing_warns_as_torchs_and_np_meshgrid_stays_silent():
    # torch.meshgrid's default is 'ij', NumPy's 'xy': a port of torch.meshgrid(x, y) would get its grids turned
    # around (Neuromatch's decision maps), so ag.meshgrid asks, as torch.meshgrid itself warns without indexing=
    x, y = ag.tensor([1.0, 2.0, 3.0]), ag.tensor([4.0, 5.0])
    with pytest.warns(UserWarning, match=r"meshgrid without indexing= gives NumPy's 'xy' grids .* torch\.meshgrid's "
                                         r"default is 'ij'") as caught:
        X, Y = ag.meshgrid(x, y)
    assert caught[0].filename == __file__  # (it points at the caller's line)
    np.testing.assert_array_equal(X.data, np.meshgrid(x.data, y.data)[0])  # still NumPy's 'xy'
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert np.meshgrid(x, y)[0].shape == (2, 3)  # NumPy's own call: its default, silently
        assert np.meshgrid(x, y, indexing="ij")[0].shape == (3, 2)
        assert ag.meshgrid(x, y, indexing="ij")[0].shape == (3, 2)
        assert ag.meshgrid(x)[0].shape == (3,)  # one vector: no axes to swap
