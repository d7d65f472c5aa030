"""The NumPy functions added in ops/numpy_more.py, quantiles.py, spacing.py and the differentiable parts of
counting.py, one table declaration each: value and dtype against NumPy, gradients and second derivatives against
finite differences, float32 kept, inputs not mutated and the graph freed (optable's generated tests)."""
import numpy as np
import pytest
from hypothesis import strategies as st

import autograd_core as ag
from autograd_core.testing.strategies import broadcastable_shapes, elements, shapes
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
    n = draw(st.integers(2, 4))  # (one sample point: tested in test_counting_s25, x has no gradient there)
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
