"""Order statistics and covariances of NumPy on Tensors: quantile, percentile, nanquantile, nanpercentile, cov and
corrcoef.

Compositions: a quantile sorts (picking the elements at argsort's stable order, so each gradient goes back to the
element moved there) and blends the two neighbours of its virtual index with NumPy's own lerp, so its values are
NumPy's to the bit; q may itself require grad. cov and corrcoef are NumPy's formulas written with recorded
operations.
"""
import itertools
import warnings

import numpy as np

from .._arguments import InvalidArgumentError, RuntimeTypeError, is_int, reduction_from_torch
from ..primitive import as_operand
from ..tensor import Tensor, as_value
from .elementwise import clip, sqrt, where
from .indexing import take_along_axis
from .rearrange import atleast_2d
from .reductions import sum as _sum
from .selection import sort
from .shape import concatenate, reshape, squeeze, transpose
from .statistics import _moved_last, average, refuse_torch_median

_METHODS = ("linear", "lower", "higher", "midpoint", "nearest")


class QuantileError(InvalidArgumentError):
    """quantile's bad method, q or empty input: NumPy's ValueError, and the RuntimeError PyTorch raises."""


def _lerp(a, b, t, weak):
    """NumPy's _lerp: a + (b - a) t, written from b's end for t >= 0.5 (so t = 1 gives b exactly). weak: t is
    NumPy's Python float, rounded to a float input's dtype after 1 - t is formed in float64, as NumPy's."""
    d = b - a
    mask = np.asarray(t.data if isinstance(t, Tensor) else t) >= 0.5
    if weak and d.dtype.kind == "f":
        one_minus = 1 - (t.astype(np.float64) if isinstance(t, Tensor) else np.asarray(t, np.float64))
        t, one_minus = t.astype(d.dtype), one_minus.astype(d.dtype)
    else:
        one_minus = 1 - t
    return where(mask, b - d * one_minus, a + d * t)


def _quantile(name, x, q, axis, method, keepdims, ignore_nan, scale=1):
    x = as_operand(x, name)
    if x.dtype.kind not in "iufb":
        raise TypeError(f"{name}: a must be an array of real numbers, got dtype {x.dtype}")
    if method not in _METHODS:
        raise QuantileError(f"{name} on Tensors: method={method!r} is not supported; the supported methods are "
                            f"{', '.join(map(repr, _METHODS))} (interpolation must be one of linear, lower, higher, "
                            f"midpoint or nearest, but got {method})")
    weak = type(q) in (int, float)  # NumPy's weak promotion: a Python number keeps a float32 input float32
    given_q = q.data if isinstance(q, Tensor) else q
    q = as_operand(q, name)
    if scale != 1:  # (NumPy's true_divide(q, 100): float64 for a Python or an integer q)
        q = q / scale
    if q.dtype.kind not in "biuf" or not np.all((q.data >= 0) & (q.data <= 1)):
        what = "Percentiles" if scale != 1 else "Quantiles"
        raise QuantileError(f"{name}: {what} must be in the range [0, {scale}], got {q.data * scale!r} (q values "
                            f"must be in the range [0, {scale}])")
    try:
        rows, kept_shape = _moved_last(name, x, axis)  # rows: (..., count)
    except np.exceptions.AxisError as err:
        raise np.exceptions.AxisError(f"{name}: {err} (input shape {x.shape}, axis={axis!r})") from None
    count = rows.shape[-1]
    if ignore_nan and not x.size:  # (NumPy's nanquantile of an empty input is its nanmean: NaN, no q axes)
        from .nan_reductions import nanmean
        return nanmean(x, axis=axis, keepdims=keepdims)
    if not count:
        raise QuantileError(f"{name}: the reduced axes of input shape {x.shape} (axis={axis!r}) are empty; they "
                            f"have no quantiles (input tensor must be non-empty)")
    if x.dtype.kind == "b" and (method == "midpoint" or (method == "linear" and q.dtype.kind == "f")):
        raise TypeError(f"{name}: a must be an array of real numbers for method={method!r}, which blends booleans "
                        f"(NumPy's b - a raises); cast it (x.astype(np.float64)) or pick with method 'lower', "
                        f"'higher' or 'nearest'")
    ordered = sort(rows, axis=-1)  # NaNs last
    nan_rows = np.isnan(rows.data).any(axis=-1) if rows.dtype.kind == "f" else np.zeros(rows.shape[:-1], bool)
    valid = (count - np.isnan(rows.data).sum(axis=-1)) if ignore_nan and rows.dtype.kind == "f" else \
        np.full(rows.shape[:-1], count)
    qs = reshape(q, (-1,))
    last = np.maximum(valid - 1, 0)[..., None]  # (..., 1)
    virtual = (np.asarray(last, dtype=q.dtype if q.dtype.kind == "f" else np.int64)) * qs  # (..., nq), in q's dtype
    v = virtual.data
    if method in ("lower", "higher", "nearest") or (method == "linear" and q.dtype.kind in "iu"):
        pick = {"lower": np.floor, "higher": np.ceil, "nearest": np.around}.get(method, np.asarray)(v)
        pick, = _zeros_as_numpys(name, x, given_q, axis, method, ordered.data, (np.minimum(pick.astype(np.intp), last),),
                                 lambda a: a)
        out = take_along_axis(ordered, pick, axis=-1)
    else:
        below = np.floor(v)
        lo = np.minimum(below.astype(np.intp), last)
        hi = np.minimum(lo + 1, last)
        if method == "midpoint":
            gamma = np.where(v % 1 == 0, 0.0, 0.5).astype(v.dtype)
        else:
            # (differentiable in q when q requires grad; at the last index NumPy's previous index is -1, so its
            # gamma is virtual + 1 and the blend takes b's end: a -0.0 stays -0.0)
            gamma = virtual - np.where(v >= last, -1, below).astype(v.dtype)
        if ordered.dtype.kind != "f":  # (integers blend in float64, or in q's float dtype with them, as NumPy's)
            ordered = ordered.astype(np.float64 if weak or q.dtype.kind != "f" else
                                     np.result_type(ordered.dtype, q.dtype))
        t = gamma.data if isinstance(gamma, Tensor) else gamma
        lo, hi = _zeros_as_numpys(name, x, given_q, axis, method, ordered.data, (lo, hi), lambda a, b: _lerp(
            Tensor._constant(a), Tensor._constant(b), t, weak).data)
        out = _lerp(take_along_axis(ordered, lo, axis=-1), take_along_axis(ordered, hi, axis=-1), gamma, weak)
    if out.dtype.kind == "f":
        empty = (valid == 0) if ignore_nan else nan_rows
        if empty.any():
            if ignore_nan:
                warnings.warn("All-NaN slice encountered", RuntimeWarning, stacklevel=3)
            # (that slice's NaN, as median's and PyTorch's before 2.14: its gradient to the last NaN, NaNs sorting
            # last, or for a nan variant's slice of NaNs alone to its first; PyTorch 2.14 selects instead of sorting
            # and gives it to whichever NaN the selection leaves there, a tie having no one right entry)
            nan = take_along_axis(ordered, np.full(out.shape, 0 if ignore_nan else count - 1), axis=-1)
            out = where(empty[..., None], nan if nan.dtype == out.dtype else nan.astype(out.dtype), out)
    if out.dtype != x.dtype and x.dtype.kind == "f" and (
            (ignore_nan and (axis is None or x.ndim == 1) and not valid.any()) or
            (not ignore_nan and not q.ndim and not nan_rows.ndim and nan_rows.any())):
        # (NumPy's all-NaN input reduced whole by a nan variant, or a single quantile of a slice holding a NaN, is
        # that NaN, in the input's dtype)
        out = out.astype(x.dtype)
    # (..., nq) -> q's shape + the kept shape
    out = reshape(out, rows.shape[:-1] + q.shape)
    nk = len(rows.shape) - 1
    if q.ndim and nk:
        out = transpose(out, tuple(range(nk, nk + q.ndim)) + tuple(range(nk)))
    if keepdims:
        out = reshape(out, q.shape + kept_shape)
    return out


def _zeros_as_numpys(name, x, given_q, axis, method, ordered, picks, blend):
    """picks (index arrays (..., nq) into the sorted rows, blended by blend into the quantiles) re-pointed, where a
    quantile is a zero of the other sign than NumPy's, to a zero of the sign NumPy's introselect placed there: -0.0
    and 0.0 compare equal, so which of them a partition leaves at an index is its own, and only NumPy can say (its
    value, computed again, is read; the quantiles and gradients are otherwise the same)."""
    data = x.data
    if data.dtype.kind != "f":
        return picks
    zero, negative = data == 0, np.signbit(data)
    if not ((zero & negative).any() and (zero & ~negative).any()):
        return picks
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            expected = np.asarray(getattr(np, name)(data, given_q, axis=axis, method=method))
    except Exception:  # (NumPy's own failures are not ours to copy here)
        return picks
    lead, q_shape = ordered.shape[:-1], np.shape(given_q)
    if expected.shape != q_shape + lead:
        return picks
    expected = np.moveaxis(expected.reshape((-1,) + lead), 0, -1)  # (..., nq), as picks
    values = [np.take_along_axis(ordered, p, axis=-1) for p in picks]
    ours = blend(*values)
    wrong = (ours == 0) & (expected == 0) & (np.signbit(ours) != np.signbit(expected))
    if not wrong.any():
        return picks
    zeros = ordered == 0
    signed = [(zeros & np.signbit(ordered), zeros & ~np.signbit(ordered))]
    first = [(np.argmax(m, axis=-1)[..., None], m.any(axis=-1)[..., None]) for m in signed[0]]  # (-0.0, 0.0)
    picks = list(picks)
    for choice in itertools.product(first, repeat=len(picks)):
        tried = [np.where(wrong & (v == 0) & has, at, p) for p, v, (at, has) in zip(picks, values, choice)]
        result = blend(*(np.take_along_axis(ordered, p, axis=-1) for p in tried))
        right = wrong & (result == expected) & (np.signbit(result) == np.signbit(expected))
        picks = [np.where(right, t, p) for t, p in zip(tried, picks)]
        wrong = wrong & ~right
        if not wrong.any():
            break
    return tuple(picks)


def quantile(a, q, axis=None, out=None, overwrite_input=False, method="linear", keepdims=False, *, weights=None,
             interpolation=None, dim=None, keepdim=None):
    """The q-th quantiles (q in [0, 1], a number or an array) of a over axis, as np.quantile: the result's shape is
    q's followed by the reduced one. method 'linear' (default) blends the two neighbours of the virtual index
    (n - 1) q; 'lower', 'higher', 'nearest' and 'midpoint' are NumPy's too. A slice holding a NaN gives NaN.
    Differentiable in a (and in q). PyTorch's dim=, keepdim= and interpolation= (the same five names) are axis=,
    keepdims= and method= (by keyword: the third positional argument is NumPy's out; t.quantile(q, dim, keepdim) is
    PyTorch's method, positional as its).

    >>> import autograd_core as ag
    >>> ag.quantile(ag.tensor([1.0, 2.0, 3.0, 4.0]), 0.5)
    Tensor(2.5)
    >>> ag.quantile(ag.tensor([[1.0, 2.0, 4.0], [3.0, 5.0, 6.0]]), 0.5, dim=1, keepdim=True, interpolation="lower")
    Tensor([[2.],
            [5.]])
    """
    axis, keepdims, method = _torch_names("quantile", a, axis, keepdims, method, dim, keepdim, interpolation)
    _unsupported("quantile", out, weights)
    return _quantile("quantile", a, q, axis, method, keepdims, False)


def percentile(a, q, axis=None, out=None, overwrite_input=False, method="linear", keepdims=False, *, weights=None,
               interpolation=None):
    """The q-th percentiles (q in [0, 100]), as np.percentile: quantile(a, q / 100).

    >>> import autograd_core as ag
    >>> ag.percentile(ag.tensor([1.0, 2.0, 3.0, 4.0]), 25)
    Tensor(1.75)
    """
    _unsupported("percentile", out, weights, interpolation)
    return _quantile("percentile", a, q, axis, method, keepdims, False, scale=100)


def nanquantile(a, q, axis=None, out=None, overwrite_input=False, method="linear", keepdims=False, *, weights=None,
                interpolation=None, dim=None, keepdim=None):
    """quantile ignoring NaNs, as np.nanquantile: an all-NaN slice gives NaN (with a RuntimeWarning). PyTorch's
    names as quantile's.

    >>> import autograd_core as ag
    >>> ag.nanquantile(ag.tensor([1.0, float("nan"), 3.0]), 0.5)
    Tensor(2.)
    """
    axis, keepdims, method = _torch_names("nanquantile", a, axis, keepdims, method, dim, keepdim, interpolation)
    _unsupported("nanquantile", out, weights)
    return _quantile("nanquantile", a, q, axis, method, keepdims, True)


def nanmedian(a, axis=None, out=None, overwrite_input=False, keepdims=False, *, dim=None, keepdim=None):
    """The median ignoring NaNs, as np.nanmedian (nanquantile at 0.5): the mean of the two middle values for an even
    count, an all-NaN slice NaN (with a RuntimeWarning). Differentiable, as median. PyTorch's dim= and keepdim= are
    refused as median's: torch.nanmedian(x, dim=) returns (values, indices), the lower middle value.

    >>> import autograd_core as ag
    >>> ag.nanmedian(ag.tensor([4.0, float("nan"), 1.0, 3.0, 2.0]))
    Tensor(2.5)
    """
    if dim is not None or keepdim is not None:
        raise refuse_torch_median("nanmedian", dim, keepdim)
    _unsupported("nanmedian", out, None)
    a = as_operand(a, "nanmedian")
    if a.dtype.kind == "b":  # (no NaN among them: NumPy's median, the mean of the middle values, in float64)
        a = a.astype(np.float64)
    return _quantile("nanmedian", a, 0.5, axis, "linear", keepdims, True)


def nanpercentile(a, q, axis=None, out=None, overwrite_input=False, method="linear", keepdims=False, *,
                  weights=None, interpolation=None):
    """percentile ignoring NaNs, as np.nanpercentile.

    >>> import autograd_core as ag
    >>> ag.nanpercentile(ag.tensor([1.0, float("nan"), 3.0]), 50)
    Tensor(2.)
    """
    _unsupported("nanpercentile", out, weights, interpolation)
    return _quantile("nanpercentile", a, q, axis, method, keepdims, True, scale=100)


def _torch_names(name, a, axis, keepdims, method, dim, keepdim, interpolation):
    """(axis, keepdims, method) for quantile or nanquantile of a given PyTorch's dim=, keepdim= or interpolation=."""
    if dim is not None or keepdim is not None:
        axis, keepdims = reduction_from_torch(name, axis, keepdims, dim, keepdim, ndim=np.ndim(as_value(a)))
    if interpolation is not None:
        if method != "linear":
            raise TypeError(f"{name}: got both method={method!r} and interpolation={interpolation!r}, which name the "
                            f"same thing (interpolation= is PyTorch's name); give one")
        method = interpolation
    return axis, keepdims, method


def _unsupported(name, out, weights, interpolation=None):
    if out is not None:
        raise TypeError(f"{name} on Tensors: out= is not supported; use the result")
    if weights is not None:
        raise TypeError(f"{name} on Tensors: weights= (NumPy's inverted_cdf method) is not supported")
    if interpolation is not None:
        raise TypeError(f"{name} on Tensors: interpolation= is deprecated in NumPy; give method= instead")


def cov(m, y=None, rowvar=True, bias=False, ddof=None, fweights=None, aweights=None, *, dtype=None, correction=None):
    """The covariance matrix of the variables in m's rows (columns with rowvar=False; y: more variables), as
    np.cov: normalized by N - 1 (N with bias=True, N - ddof given ddof), with frequency and analytic weights.
    float64 unless dtype says otherwise, as NumPy's. Differentiable in m, y and the weights. correction= is
    torch.cov's (keyword only): the call is then PyTorch's, dividing by N - correction and keeping a float m's
    dtype, as t.cov(correction=).

    >>> import autograd_core as ag
    >>> ag.cov(ag.tensor([[0.0, 1.0, 2.0], [2.0, 1.0, 0.0]]))
    Tensor([[ 1., -1.],
            [-1.,  1.]])
    >>> ag.cov(ag.tensor([0.0, 2.0], dtype=ag.float32), correction=0)
    Tensor(1., dtype=float32)
    """
    if correction is not None:
        return _torch_cov(m, y, rowvar, bias, ddof, fweights, aweights, dtype, correction)
    m = as_operand(m, "cov")
    if m.ndim > 2:
        raise InvalidArgumentError(f"cov: m has more than 2 dimensions (shape {m.shape}); give one variable (1-D) or "
                                   f"rows of variables (2-D)")
    if ddof is not None and ddof != int(ddof):
        raise ValueError(f"cov: ddof must be integer, got {ddof!r}")
    if y is not None:
        y = as_operand(y, "cov")
        if y.ndim > 2:
            raise InvalidArgumentError(f"cov: y has more than 2 dimensions (shape {y.shape}); give one variable (1-D) "
                                       f"or rows of variables (2-D)")
    if dtype is None:
        dtype = np.result_type(m.dtype, *((y.dtype,) if y is not None else ()), np.float64)
    dtype = np.dtype(dtype)
    if dtype.kind != "f":
        raise TypeError(f"cov on Tensors: dtype={dtype} is not supported; give a float dtype")
    X = atleast_2d(m).astype(dtype) if m.dtype != dtype else atleast_2d(m)
    if not rowvar and m.ndim != 1:  # (NumPy's test: a (1, n) m is n variables observed once, as y's is not)
        X = X.T
    if X.shape[0] == 0:
        return Tensor(np.array([]).reshape(0, 0))  # (float64 whatever dtype says, as NumPy's)
    if y is not None:
        y = atleast_2d(y).astype(dtype) if y.dtype != dtype else atleast_2d(y)
        if not rowvar and y.shape[0] != 1:
            y = y.T
        if y.shape[1] != X.shape[1]:
            raise ValueError(f"cov: y (shape {y.shape} as rows of variables) must have m's {X.shape[1]} observations "
                             f"(m shape {m.shape}, rowvar={rowvar!r})")
        X = concatenate((X, y), axis=0)
    if ddof is None:
        ddof = 0 if bias else 1
    w = None
    if fweights is not None:
        fweights = as_operand(fweights, "cov")
        if fweights.dtype.kind not in "iub" and not np.all(fweights.data == np.around(fweights.data)):
            raise RuntimeTypeError(f"cov: fweights must be integer (frequency counts), got dtype {fweights.dtype}")
        if fweights.ndim != 1 or fweights.shape[0] != X.shape[1]:
            raise RuntimeError(f"cov: fweights must be 1-D of length {X.shape[1]} (the observations), got shape "
                               f"{fweights.shape}")
        if np.any(fweights.data < 0):
            raise InvalidArgumentError("cov: fweights cannot be negative")
        w = fweights.astype(np.float64)  # (NumPy's weights are float64 whatever dtype says)
    if aweights is not None:
        aweights = as_operand(aweights, "cov")
        if aweights.ndim != 1 or aweights.shape[0] != X.shape[1]:
            raise RuntimeError(f"cov: aweights must be 1-D of length {X.shape[1]} (the observations), got shape "
                               f"{aweights.shape}")
        if np.any(aweights.data < 0):
            raise InvalidArgumentError("cov: aweights cannot be negative")
        aweights = aweights.astype(np.float64) if aweights.dtype != np.float64 else aweights
        w = aweights if w is None else w * aweights
    try:
        avg, w_sum = average(X, axis=1, weights=w, returned=True)
    except ZeroDivisionError:
        raise ZeroDivisionError("cov: the weights sum to zero, so the average cannot be normalized") from None
    w_sum = w_sum[0]
    if w is None:
        fact = X.shape[1] - ddof
    elif ddof == 0:
        fact = w_sum
    elif aweights is None:
        fact = w_sum - ddof
    else:
        fact = w_sum - ddof * _sum(w * aweights) / w_sum
    if float(np.asarray(fact.data if isinstance(fact, Tensor) else fact)) <= 0:
        warnings.warn("Degrees of freedom <= 0 for slice", RuntimeWarning, stacklevel=2)
        fact = 0.0
    X = X - reshape(avg, (-1, 1))
    if X.dtype != dtype:  # (NumPy centres in place, X -= avg: float64 weights' average is rounded to dtype)
        X = X.astype(dtype)
    X_T = X.T if w is None else (X * w).T
    c = X @ X_T
    with np.errstate(divide="ignore", invalid="ignore"):  # (no degrees of freedom: inf or nan, as NumPy's)
        if isinstance(fact, Tensor):
            c = c * (1 / fact)
        elif c.dtype == np.float64:
            c = c * float(np.true_divide(1, fact))
        else:  # (NumPy's c *= np.float64(1 / fact) multiplies in float64 and rounds once to c's dtype)
            c = (c.astype(np.float64) * float(np.true_divide(1, fact))).astype(c.dtype)
    return squeeze(c)


def _torch_cov(m, y, rowvar, bias, ddof, fweights, aweights, dtype, correction):
    """torch.cov(m, correction=, fweights=, aweights=): np.cov with ddof=correction, in m's float dtype."""
    if ddof is not None or bias:  # (bias=0 is NumPy's default False)
        raise TypeError(f"cov: correction= (PyTorch's) and ddof= or bias= (NumPy's) name the same divisor; give one "
                        f"of them, got correction={correction!r}, ddof={ddof!r}, bias={bias!r}")
    if not is_int(correction):
        raise TypeError(f"cov: correction must be an int (the divisor is N - correction), got {correction!r}")
    m = as_operand(m, "cov")
    # torch's dtype: m's promoted with float aweights' (an integer m takes theirs), float64 for integers alone
    weights = () if aweights is None else (np.asarray(as_value(aweights)).dtype,)
    floats = [d for d in (m.dtype, *weights) if d.kind == "f"]
    kept = np.dtype(dtype) if dtype is not None else np.result_type(*floats) if floats else np.dtype(np.float64)
    out = cov(m, y, rowvar, ddof=int(correction), fweights=fweights, aweights=aweights, dtype=kept)
    return out if out.dtype == kept else out.astype(kept)  # (NumPy's float64 weights promote)


def corrcoef(x, y=None, rowvar=True, *, dtype=None, bias=np._NoValue, ddof=np._NoValue):
    """The Pearson correlation coefficients of the variables in x's rows (columns with rowvar=False; y: more), as
    np.corrcoef: cov divided by the outer product of the standard deviations, clipped to [-1, 1].
    Differentiable in x and y.

    >>> import autograd_core as ag
    >>> ag.corrcoef(ag.tensor([[0.0, 1.0, 2.0], [2.0, 1.0, 0.5]])).shape
    (2, 2)
    """
    if bias is not np._NoValue or ddof is not np._NoValue:
        raise TypeError("corrcoef: bias= and ddof= are not arguments of NumPy 2.4's corrcoef (they had no effect, and "
                        "were removed); drop them")
    try:
        c = cov(x, y, rowvar, dtype=dtype)
    except (ValueError, TypeError, RuntimeError, ZeroDivisionError) as err:  # (cov's checks, named for corrcoef)
        raise type(err)(f"corrcoef: {str(err).removeprefix('cov: ')}") from None
    if c.ndim == 0:
        return c / c
    d = sqrt(c[np.arange(c.shape[0]), np.arange(c.shape[0])])
    c = c / reshape(d, (-1, 1))
    c = c / reshape(d, (1, -1))
    return clip(c, -1, 1)
