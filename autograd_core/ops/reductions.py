"""Reductions over axes (NumPy's `axis=None, keepdims=False`): sum, mean, max, min, var, logsumexp.

sum, mean, max/min and logsumexp are primitives (mean is one node rather than sum and divide:
every loss ends in it); var is a composition of them.
"""
import math

import numpy as np
from numpy.lib.array_utils import normalize_axis_tuple

from ..primitive import Primitive
from ..tensor import Tensor, as_value


def _normalize_axis(axis, ndim):
    """axis as a sorted tuple of non-negative ints (all axes for None)."""
    if axis is None:
        return tuple(range(ndim))
    return tuple(sorted(normalize_axis_tuple(axis, ndim)))


def _restore(g, x, axis, keepdims):
    """g reshaped so it broadcasts against x again (the reduced axes put back as size 1). A full
    reduction's g is 0-d and broadcasts as it is."""
    if keepdims or axis is None or not x.ndim:
        return g
    shape = list(x.shape)
    for a in _normalize_axis(axis, x.ndim):
        shape[a] = 1
    return g.reshape(tuple(shape))


def _count(x, axis):
    """How many elements a reduction over axis combines."""
    shape = x.shape if isinstance(x, (np.ndarray, Tensor)) else np.shape(as_value(x))
    if axis is None:
        return math.prod(shape)
    return math.prod(shape[a] for a in _normalize_axis(axis, len(shape)))


def _sum_vjp(g, ans, x, axis=None, keepdims=False):
    # Spread g back over the summed axes: adding zeros broadcasts, and np.zeros is a C call
    # (np.broadcast_to and np.ones_like are Python wrappers costing more on small arrays).
    return _restore(g, x, axis, keepdims) + np.zeros(x.shape, x.dtype)


# np.add.reduce is what np.sum runs, without np.sum's Python wrapper (microseconds on small arrays).
_sum = Primitive("sum", lambda x, axis=None, keepdims=False: np.add.reduce(x, axis=axis, keepdims=keepdims), (_sum_vjp,))


def _mean(x, axis=None, keepdims=False):
    return np.add.reduce(x, axis=axis, keepdims=keepdims) / _count(x, axis)


_mean_primitive = Primitive("mean", _mean, (
    lambda g, ans, x, axis=None, keepdims=False: _sum_vjp(g / _count(x, axis), ans, x, axis, keepdims),
))


def _extremum_vjp(g, ans, x, axis=None, keepdims=False):
    # Ties share the gradient equally among the entries that attain the extremum. A NaN entry
    # makes the result NaN and is the one that attains it (x != x only there), as in PyTorch.
    winners = (x == _restore(ans, x, axis, keepdims)) | (x != x)
    count = np.sum(winners, axis=axis, keepdims=True)
    return _restore(g, x, axis, keepdims) * (winners / count)


def _checked(reduce):
    def forward(x, axis=None, keepdims=False):
        if np.size(x) == 0:
            raise ValueError("cannot take the max/min of an empty Tensor (zero-size reduction)")
        return reduce(x, axis=axis, keepdims=keepdims)
    return forward


_max = Primitive("max", _checked(np.max), (_extremum_vjp,))
_min = Primitive("min", _checked(np.min), (_extremum_vjp,))


def _logsumexp(x, axis=None, keepdims=False):
    # Shift by the max so exp never overflows; an all -inf slice keeps shift 0 (result -inf).
    shift = np.maximum.reduce(x, axis=axis, keepdims=True)
    shift = np.where(np.isfinite(shift), shift, 0)
    out = np.log(np.add.reduce(np.exp(x - shift), axis=axis, keepdims=True)) + shift
    return out if keepdims else out.squeeze(axis=axis)


def _logsumexp_vjp(g, ans, x, axis=None, keepdims=False):
    return _restore(g, x, axis, keepdims) * np.exp(x - _restore(ans, x, axis, keepdims))


_logsumexp_primitive = Primitive("logsumexp", _logsumexp, (_logsumexp_vjp,))


def sum(x, axis=None, keepdims=False):
    """Sum over axis (all axes for None).

    >>> import autograd_core as ag
    >>> ag.sum(ag.tensor([[1.0, 2.0], [3.0, 4.0]]), axis=0)
    Tensor([4., 6.])
    """
    return _sum(x, axis=axis, keepdims=keepdims)


def mean(x, axis=None, keepdims=False):
    """Arithmetic mean over axis.

    >>> import autograd_core as ag
    >>> ag.mean(ag.tensor([1.0, 2.0, 3.0]))
    Tensor(2.)
    """
    count = _count(x, axis)
    if count == 0:
        raise ValueError(f"mean: cannot average over zero elements (shape {x.shape}, axis={axis})")
    return _mean_primitive(x, axis=axis, keepdims=keepdims)


def max(x, axis=None, keepdims=False):
    """Maximum over axis; ties split the gradient equally.

    >>> import autograd_core as ag
    >>> ag.max(ag.tensor([1.0, 5.0, 3.0]))
    Tensor(5.)
    """
    return _max(x, axis=axis, keepdims=keepdims)


def min(x, axis=None, keepdims=False):
    """Minimum over axis; ties split the gradient equally.

    >>> import autograd_core as ag
    >>> ag.min(ag.tensor([1.0, 5.0, 3.0]))
    Tensor(1.)
    """
    return _min(x, axis=axis, keepdims=keepdims)


def var(x, axis=None, keepdims=False, ddof=0):
    """Variance over axis with NumPy's ddof (0: population variance).

    >>> import autograd_core as ag
    >>> ag.var(ag.tensor([1.0, 2.0, 3.0, 4.0]))
    Tensor(1.25)
    """
    x = x if isinstance(x, Tensor) else Tensor(x)
    count = _count(x, axis)
    if count - ddof <= 0:
        raise ValueError(f"var: {count} elements with ddof={ddof} leave no degrees of freedom (shape {x.shape})")
    centred = x - mean(x, axis=axis, keepdims=True)
    return _sum(centred * centred, axis=axis, keepdims=keepdims) / (count - ddof)


def logsumexp(x, axis=None, keepdims=False):
    """log(sum(exp(x))) over axis, stable for large inputs.

    >>> import autograd_core as ag
    >>> float(ag.logsumexp(ag.tensor([1000.0, 1000.0])))  # doctest: +ELLIPSIS
    1000.693...
    """
    return _logsumexp_primitive(x, axis=axis, keepdims=keepdims)


def argmax(x, axis=None, keepdims=False):
    """Index of the maximum (not differentiable): an int64 Tensor."""
    return Tensor(np.argmax(as_value(x), axis=axis, keepdims=keepdims))


def argmin(x, axis=None, keepdims=False):
    """Index of the minimum (not differentiable): an int64 Tensor."""
    return Tensor(np.argmin(as_value(x), axis=axis, keepdims=keepdims))
