"""np.linalg on Tensors (autograd_core/ops/linalg.py, _linalg_norms.py): one declaration per function drives the
generated tests (value vs NumPy, gradient vs central differences, second derivatives, float32, graph freed).

Inputs are made well-conditioned inside each declaration (the same transform on both sides): a + n I for
diagonally dominant matrices (entries in [-1, 1]), a a^T + n I for positive definite ones, a + a^T for symmetric
ones; `valid` keeps eigenvalues and singular values apart (their gradients divide by the gaps) and away from 0.
Eigenvectors and singular vectors are compared through sign-free quantities (v * v, U diag(S) Vh).
Torch comparisons, edge cases and errors are in test_linalg_torch.py; empty, singular and non-finite inputs, lstsq's
dtypes and gradients at repeated eigenvalues in test_linalg_edges.py.
"""
import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd_core as ag
from optable import Op, generated_tests, unnamed

L = ag.linalg
TOL = {"atol": 1e-6, "rtol": 1e-5}
UNIT = (-1.0, 1.0)


def _t(x):
    return np.swapaxes(x, -1, -2)


def _eye_like(a):
    return (a.shape[-1] + 1) * np.eye(a.shape[-1], dtype=a.dtype)


def _dominant(a):
    return a + _eye_like(a)


def _spd(a):
    return a @ _t(a) + _eye_like(a)


def _sym(a):
    return a + _t(a)


_BATCH = hnp.array_shapes(min_dims=0, max_dims=2, min_side=1, max_side=2)
SQUARE = st.tuples(_BATCH, st.integers(1, 3)).map(lambda bn: (bn[0] + (bn[1], bn[1]),))
MATRIX = st.tuples(_BATCH, st.integers(1, 3), st.integers(1, 3)).map(lambda bmn: (bmn[0] + bmn[1:],))


def _gaps(values, at_least):
    """Are the sorted values (along the last axis) at least at_least apart, and from 0 when zero is given?"""
    values = np.sort(values, axis=-1)
    return values.shape[-1] < 2 or bool(np.all(np.diff(values, axis=-1) > at_least))


def _distinct_eigenvalues(a, **kwargs):
    return _gaps(np.linalg.eigvalsh(_sym(a)), 0.2)


def _singular_values_apart(a, **kwargs):
    s = np.linalg.svd(a, compute_uv=False)
    return _gaps(s, 0.2) and bool(np.all(s > 0.2))


def _full_rank(a, **kwargs):
    return bool(np.all(np.linalg.svd(a, compute_uv=False) > 0.2))


def _qr_regular(a, **kwargs):
    k = min(a.shape[-2:])
    return _full_rank(a[..., :, :k])


def _flat(batch, *parts):
    """The parts flattened after their batch axes and joined (one Tensor or array for the table's checks)."""
    join = ag.concatenate if isinstance(parts[0], ag.Tensor) else np.concatenate
    return join([p.reshape(batch + (-1,)) for p in parts], axis=-1)


def _eigh_summary(eigh, a, UPLO="L"):
    w, v = eigh(_sym(a), UPLO=UPLO)
    return _flat(a.shape[:-2], w, v * v * np.arange(1, v.shape[-1] + 1, dtype=a.dtype))


def _svd_summary(svd, a, full_matrices=False):
    u, s, vh = svd(a, full_matrices=full_matrices)
    k = s.shape[-1]
    u, vh = u[..., :, :k], vh[..., :k, :]  # (full_matrices: the rest has no gradient, as in torch)
    return _flat(a.shape[:-2], s, u * u, vh * vh, (u * np.expand_dims(s, -2)) @ vh)


def _positive_rows(r):
    """R's rows times the signs of its diagonal (a constant)."""
    return r * np.expand_dims(np.sign(np.diagonal(ag.Tensor(r).data, axis1=-2, axis2=-1)), -1)


def _qr_summary(qr, a, mode="reduced"):
    q, r = qr(a, mode=mode)
    # the factors with diag(R) > 0: unique, continuous (LAPACK's signs jump where a diagonal entry crosses 0)
    signs = np.sign(np.diagonal(ag.Tensor(r).data, axis1=-2, axis2=-1))
    return _flat(a.shape[:-2], q * np.expand_dims(signs, -2), r * np.expand_dims(signs, -1))


@st.composite
def _solve_case(draw, matrix):
    batch, n = draw(_BATCH), draw(st.integers(1, 3))
    if not matrix:
        return (batch + (n, n), (n,)), {}
    other = draw(st.sampled_from([batch, batch[1:], (1,) * len(batch), ()]))
    return (batch + (n, n), other + (n, draw(st.integers(1, 2)))), {}


@st.composite
def _chain(draw):
    sizes = draw(st.lists(st.integers(1, 3), min_size=4, max_size=4))
    shapes = [(sizes[0], sizes[1]), (sizes[1], sizes[2]), (sizes[2], sizes[3])]
    if draw(st.booleans()):
        shapes[0] = shapes[0][1:]
    if draw(st.booleans()):
        shapes[-1] = shapes[-1][:1]
    return tuple(shapes), {}


@st.composite
def _vector_norm_case(draw):
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=3, max_side=3))
    axis = draw(st.sampled_from([None] + list(range(-len(shape), len(shape)))))
    ord_ = draw(st.sampled_from([None, 2, 1, 3, 0.5, 1.5, -1, 0] if axis is not None or len(shape) == 1 else [None]))
    return (shape,), {"ord": ord_, "axis": axis, "keepdims": draw(st.booleans())}


@st.composite
def _matrix_norm_case(draw):
    shape = draw(hnp.array_shapes(min_dims=2, max_dims=3, min_side=1, max_side=3))
    axes = draw(st.permutations(range(len(shape))))[:2]
    ord_ = draw(st.sampled_from([None, "fro", "nuc", 2, -2, 1, -1, np.inf, -np.inf]))
    return (shape,), {"ord": ord_, "axis": tuple(axes), "keepdims": draw(st.booleans())}


def _norm_kinks_apart(x, ord, axis, keepdims):
    """No kink of the matrix norm near x: the maximized/minimized quantity has one clear extremum."""
    moved = np.moveaxis(x, axis, (-2, -1))
    if ord in ("nuc", 2, -2):
        return _singular_values_apart(moved)
    if ord in (1, -1):
        return _gaps(np.abs(moved).sum(-2), 0.1)
    if ord in (np.inf, -np.inf):
        return _gaps(np.abs(moved).sum(-1), 0.1)
    return True


@st.composite
def _vector_norm_api_case(draw):
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=3, max_side=3))
    axis = draw(st.one_of(st.none(), st.integers(-len(shape), len(shape) - 1),
                          st.permutations(range(len(shape))).map(lambda p: tuple(p[:2]))))
    return (shape,), {"ord": draw(st.sampled_from([2, 1, 3, -2, np.inf, -np.inf])), "axis": axis,
                      "keepdims": draw(st.booleans())}


def _abs_apart(x, ord, **kwargs):
    return ord not in (np.inf, -np.inf) or len(np.unique(np.round(np.abs(x), 6))) == x.size


_OFF_ZERO = dict(elements=(-2.0, 2.0), avoid=(0.0,), margin=0.1)

LINALG = [
    Op("inv", lambda a: L.inv(_dominant(a)), lambda a: np.linalg.inv(_dominant(a)), shapes=SQUARE, elements=UNIT,
       grad_tol=TOL, value_rtol=1e-10),
    Op("det", lambda a: L.det(_dominant(a)), lambda a: np.linalg.det(_dominant(a)), shapes=SQUARE, elements=UNIT,
       grad_tol=TOL, value_rtol=1e-10, downstream=lambda y: ag.sin(0.1 * y)),
    Op("slogdet", lambda a: L.slogdet(a - _dominant(a) * 0.5).logabsdet,
       lambda a: np.linalg.slogdet(a - _dominant(a) * 0.5).logabsdet, shapes=SQUARE, elements=(-0.4, 0.4),
       grad_tol=TOL, value_rtol=1e-10),
    Op("solve_vector", lambda a, b: L.solve(_dominant(a), b), lambda a, b: np.linalg.solve(_dominant(a), b), arity=2,
       case=_solve_case(False), elements=UNIT, grad_tol=TOL, value_rtol=1e-10),
    Op("solve_matrices", lambda a, b: np.linalg.solve(_dominant(a), b), lambda a, b: np.linalg.solve(_dominant(a), b),
       arity=2, case=_solve_case(True), elements=UNIT, grad_tol=TOL, value_rtol=1e-10),
    Op("cholesky", lambda a: L.cholesky(_spd(a)), lambda a: np.linalg.cholesky(_spd(a)), shapes=SQUARE,
       elements=UNIT, grad_tol=TOL, value_rtol=1e-10),
    Op("cholesky_upper", lambda a: np.linalg.cholesky(_spd(a), upper=True),
       lambda a: np.linalg.cholesky(_spd(a), upper=True), shapes=SQUARE, elements=UNIT, grad_tol=TOL,
       value_rtol=1e-10),
    Op("eigh", lambda a: _eigh_summary(L.eigh, a), lambda a: _eigh_summary(np.linalg.eigh, a), shapes=SQUARE,
       elements=UNIT, valid=_distinct_eigenvalues, grad_tol=TOL, value_rtol=1e-8),
    Op("np.linalg.eigh_upper", lambda a: _eigh_summary(np.linalg.eigh, a, "U"),
       lambda a: _eigh_summary(np.linalg.eigh, a, "U"), shapes=SQUARE, elements=UNIT, valid=_distinct_eigenvalues,
       grad_tol=TOL, value_rtol=1e-8),
    Op("eigvalsh", lambda a: L.eigvalsh(_sym(a)), lambda a: np.linalg.eigvalsh(_sym(a)), shapes=SQUARE,
       elements=UNIT, valid=_distinct_eigenvalues, grad_tol=TOL, value_rtol=1e-10),
    Op("svd", lambda a: _svd_summary(L.svd, a), lambda a: _svd_summary(np.linalg.svd, a), shapes=MATRIX,
       elements=UNIT, valid=_singular_values_apart, grad_tol=TOL, value_rtol=1e-8),
    Op("svd_full_matrices", lambda a: _svd_summary(np.linalg.svd, a, True),
       lambda a: _svd_summary(np.linalg.svd, a, True), shapes=MATRIX, elements=UNIT, valid=_singular_values_apart,
       grad_tol=TOL, value_rtol=1e-8),
    Op("svdvals", lambda a: L.svdvals(a), lambda a: np.linalg.svdvals(a), shapes=MATRIX, elements=UNIT,
       valid=_singular_values_apart, grad_tol=TOL, value_rtol=1e-10),
    Op("qr", lambda a: _qr_summary(L.qr, a), lambda a: _qr_summary(np.linalg.qr, a), shapes=MATRIX, elements=UNIT,
       valid=_qr_regular, grad_tol=TOL, value_rtol=1e-10),
    Op("qr_r", lambda a: _positive_rows(np.linalg.qr(a, mode="r")), lambda a: _positive_rows(np.linalg.qr(a, mode="r")),
       shapes=MATRIX,
       elements=UNIT, valid=_qr_regular, grad_tol=TOL, value_rtol=1e-10),
    Op("pinv", lambda a: L.pinv(a), lambda a: np.linalg.pinv(a), shapes=MATRIX, elements=UNIT, valid=_full_rank,
       grad_tol=TOL, value_rtol=1e-8),
    Op("matrix_power", lambda a, n: L.matrix_power(_dominant(a), n),
       lambda a, n: np.linalg.matrix_power(_dominant(a), n), shapes=SQUARE, elements=UNIT,
       kwargs=lambda shapes: st.fixed_dictionaries({"n": st.integers(-3, 4)}), grad_tol=TOL, value_rtol=1e-9,
       downstream=lambda y: ag.sin(0.1 * y)),
    Op("multi_dot", lambda *xs: L.multi_dot(xs), lambda *xs: np.linalg.multi_dot(xs), arity=3, case=_chain(),
       elements=UNIT, grad_tol=TOL, value_rtol=1e-10),
    Op("norm_vector", L.norm, np.linalg.norm, case=_vector_norm_case(), **_OFF_ZERO, grad_tol=TOL, value_rtol=1e-10),
    Op("norm_matrix", np.linalg.norm, np.linalg.norm, case=_matrix_norm_case(), **_OFF_ZERO,
       valid=_norm_kinks_apart, grad_tol=TOL, value_rtol=1e-10),
    Op("vector_norm", lambda x, **k: L.vector_norm(x, **k), lambda x, **k: np.linalg.vector_norm(x, **k),
       case=_vector_norm_api_case(), **_OFF_ZERO, valid=_abs_apart, grad_tol=TOL, value_rtol=1e-10),
    Op("matrix_norm", lambda x, ord: np.linalg.matrix_norm(x, ord=ord, keepdims=True),
       lambda x, ord: np.linalg.matrix_norm(x, ord=ord, keepdims=True), shapes=MATRIX, **_OFF_ZERO,
       kwargs=lambda shapes: st.fixed_dictionaries({"ord": st.sampled_from(["fro", "nuc", 2, 1, -np.inf])}),
       valid=lambda x, ord: _norm_kinks_apart(x, ord, (-2, -1), True), grad_tol=TOL, value_rtol=1e-10),
    Op("trace", lambda x, offset: np.linalg.trace(x, offset=offset),
       lambda x, offset: np.linalg.trace(x, offset=offset), shapes=MATRIX,
       kwargs=lambda shapes: st.fixed_dictionaries({"offset": st.integers(-3, 3)})),
    Op("diagonal", lambda x, offset: L.diagonal(x, offset=offset), lambda x, offset: np.linalg.diagonal(x,
       offset=offset), shapes=MATRIX, kwargs=lambda shapes: st.fixed_dictionaries({"offset": st.integers(-2, 2)})),
    Op("outer", np.linalg.outer, np.linalg.outer, arity=2,
       shapes=st.tuples(st.integers(1, 3), st.integers(1, 3)).map(lambda mn: ((mn[0],), (mn[1],)))),
    Op("matrix_transpose", np.linalg.matrix_transpose, np.linalg.matrix_transpose, shapes=MATRIX),
    Op("matmul", np.linalg.matmul, np.linalg.matmul, arity=2,  # (NumPy 2's and torch.linalg's name for matmul)
       shapes=st.tuples(_BATCH, st.integers(1, 3), st.integers(1, 3), st.integers(1, 3)).map(
           lambda s: (s[0] + (s[1], s[2]), (s[2], s[3])))),
    Op("cond", lambda a, p: L.cond(_dominant(a), p), lambda a, p: np.linalg.cond(_dominant(a), p), shapes=SQUARE,
       elements=UNIT, kwargs=lambda shapes: st.fixed_dictionaries({"p": st.sampled_from([None, -2, "fro", "nuc"])}),
       valid=lambda a, p: p in ("fro",) or _singular_values_apart(_dominant(a)), grad_tol=TOL, value_rtol=1e-9),
    Op("vecdot", np.linalg.vecdot, np.linalg.vecdot, arity=2,
       shapes=st.tuples(_BATCH, _BATCH, st.integers(1, 3)).map(lambda s: (s[0] + (s[2],), s[1][-1:] + (s[2],)))),
    Op("cross", np.linalg.cross, np.linalg.cross, arity=2,
       shapes=st.tuples(_BATCH, _BATCH).map(lambda s: (s[0] + (3,), s[1][:1] + (3,)))),
    Op("tensorinv", lambda a: L.tensorinv(_dominant(a).reshape(2, 2, 4), ind=2),
       lambda a: np.linalg.tensorinv(_dominant(a).reshape(2, 2, 4), ind=2), shapes=st.just(((4, 4),)),
       elements=UNIT, grad_tol=TOL, value_rtol=1e-10),
    Op("tensorsolve", lambda a, b: np.linalg.tensorsolve(_dominant(a).reshape(4, 2, 2), b, axes=(0,)),
       lambda a, b: np.linalg.tensorsolve(_dominant(a).reshape(4, 2, 2), b, axes=(0,)), arity=2,
       shapes=st.just(((4, 4), (2, 2))), elements=UNIT, grad_tol=TOL, value_rtol=1e-10),
]

globals().update(generated_tests(LINALG))


# Not declared above: lstsq (its values, dtypes and gradients are in test_linalg_edges.py) and matrix_rank (an
# integer, without a gradient).
_DECLARED_ELSEWHERE = {"lstsq", "matrix_rank"}


def test_every_np_linalg_function_of_ag_linalg_is_declared():
    functions = {name for name in dir(L) if hasattr(np.linalg, name) and callable(getattr(L, name))
                 and not isinstance(getattr(L, name), type)}
    declared = [op.name.removeprefix("np.linalg.") for op in LINALG]
    undeclared = {name for name in functions - _DECLARED_ELSEWHERE
                  if not any(d == name or d.startswith(name + "_") for d in declared)}
    assert "inv" in functions and undeclared == set()
    assert unnamed(LINALG, L, prefix="np.linalg.") == []
