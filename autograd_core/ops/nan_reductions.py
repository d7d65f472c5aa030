"""Reductions that ignore NaN, as NumPy's: nansum, nanmean, nanmax, nanmin.

Compositions: the NaNs are replaced by a constant that changes nothing (0 for a sum, -inf for a max) through where,
whose gradient at the replaced places is 0, then the ordinary reduction runs. So a NaN entry gets gradient 0, as
torch.nansum's and torch.nanmean's; nanmax and nanmin split the gradient among ties as max and min do, among the
entries that are not NaN only (a NaN beside a -inf maximum takes no share: torch.amax of the NaNs filled with -inf
would give it one). A slice of NaNs alone gives NaN with NumPy's RuntimeWarning (nansum: 0), and its entries
gradient 0 (torch.nanmean's: NaN).
"""
import warnings

import numpy as np

from .._arguments import reduction_from_torch
from ..primitive import as_operand
from ..tensor import Tensor
from .elementwise import where
from .rearrange import _flattened
from .reductions import _check_keepdims, _into, _named_count, max as _max, mean as _mean, min as _min, sum as _sum


def _checked(name, x, axis, keepdims, dim=None, keepdim=None):
    """x as an operand, axis and keepdims, checked (dim and keepdim are PyTorch's names for the last two); axis 0
    or -1 of a 0-d x as None, as NumPy's nan-functions (and torch's nansum and nanmean) take it."""
    if dim is not None or keepdim is not None or type(axis) is list:  # PyTorch's names, a list of dims (see _arguments)
        axis, keepdims = reduction_from_torch(name, axis, keepdims, dim, keepdim, ndim=np.ndim(x))
    x = as_operand(x, name)
    if _flattened(x, axis):
        axis = None
    _named_count(name, x, axis)
    _check_keepdims(name, keepdims)
    return x, axis, keepdims


def _without_nan(x, fill):
    """x with its NaNs replaced by fill (through where: no gradient there), and the NaN mask."""
    nan = np.isnan(x.data)
    return where(nan, fill, x), nan


def nansum(x, axis=None, keepdims=False, *, dtype=None, dim=None, keepdim=None, out=None):
    """The sum over axis, NaNs counted as 0, as np.nansum; a NaN entry gets gradient 0. dim and keepdim are
    PyTorch's names for axis and keepdims; dtype and out as sum's (the NaNs are dropped before the cast).

    >>> import autograd_core as ag
    >>> ag.nansum(ag.tensor([1.0, float("nan"), 2.0]))
    Tensor(3.)
    """
    x, axis, keepdims = _checked("nansum", x, axis, keepdims, dim, keepdim)
    if x.dtype.kind == "f":
        x = _without_nan(x, 0)[0]
    return _sum(x, axis=axis, keepdims=keepdims, dtype=dtype, out=out)


def nanmean(x, axis=None, keepdims=False, *, dim=None, keepdim=None, out=None):
    """The mean over axis of the entries that are not NaN, as np.nanmean: NaN, with NumPy's RuntimeWarning, for a
    slice of NaNs alone. A NaN entry gets gradient 0, the others 1 / their count. dim and keepdim are PyTorch's
    names for axis and keepdims, out as sum's.

    >>> import autograd_core as ag
    >>> ag.nanmean(ag.tensor([1.0, float("nan"), 2.0]))
    Tensor(1.5)
    """
    if out is not None:
        return _into(out, nanmean(x, axis, keepdims, dim=dim, keepdim=keepdim), "nanmean")
    x, axis, keepdims = _checked("nanmean", x, axis, keepdims, dim, keepdim)
    if x.dtype.kind != "f":
        return _mean(x, axis=axis, keepdims=keepdims)
    filled, nan = _without_nan(x, 0)
    count = np.sum(~nan, axis=axis, keepdims=keepdims).astype(x.dtype)
    empty = count == 0
    if not np.any(empty):
        return _sum(filled, axis=axis, keepdims=keepdims) / count
    # a slice of NaNs alone: NaN, with NumPy's warning (and no division by its count 0, forward or backward)
    warnings.warn("Mean of empty slice", RuntimeWarning, stacklevel=2)
    mean = _sum(filled, axis=axis, keepdims=keepdims) / np.where(empty, 1, count)
    return where(empty, Tensor(np.asarray(np.nan, x.dtype)), mean)


def _nan_extremum(name, reduce, fill, x, axis, keepdims):
    x, axis, keepdims = _checked(name, x, axis, keepdims)
    if not _named_count(name, x, axis):
        raise ValueError(f"{name}: the reduced axes of input shape {x.shape} (axis={axis}) are empty; a {name[3:]} of "
                         f"no elements has no value")
    if x.dtype.kind != "f":
        return reduce(x, axis=axis, keepdims=keepdims)
    filled, nan = _without_nan(x, fill)
    out = reduce(filled, axis=axis, keepdims=keepdims)
    all_nan = np.all(nan, axis=axis, keepdims=keepdims) if x.size else np.zeros(out.shape, bool)
    # where the extremum is the fill itself (a slice of -inf and NaN for nanmax), the filled NaNs would tie with
    # it and take a share of the gradient: there the value's entries that are not NaN split it among themselves
    extremum = (np.max if fill < 0 else np.min)(filled.data, axis=axis, keepdims=True)
    tied = np.any(nan, axis=axis, keepdims=True) & (extremum == fill)
    if np.any(tied):
        real = ~nan & tied
        count = np.sum(real, axis=axis, keepdims=keepdims)
        split = _sum(where(real, x, 0), axis=axis, keepdims=keepdims) / np.maximum(count, 1).astype(x.dtype)
        out = where(np.any(real, axis=axis, keepdims=keepdims), split, out)
    if np.any(all_nan):
        warnings.warn("All-NaN slice encountered", RuntimeWarning, stacklevel=3)
        out = where(all_nan, Tensor(np.asarray(np.nan, x.dtype)), out)
    return out


def nanmax(x, axis=None, keepdims=False):
    """The maximum over axis, NaNs ignored, as np.nanmax: NaN, with NumPy's RuntimeWarning, for a slice of NaNs
    alone. Ties split the gradient, as max's; NaN entries get 0 (and no share of a tie at -inf).

    >>> import autograd_core as ag
    >>> ag.nanmax(ag.tensor([1.0, float("nan"), 2.0]))
    Tensor(2.)
    """
    return _nan_extremum("nanmax", _max, -np.inf, x, axis, keepdims)


def nanmin(x, axis=None, keepdims=False):
    """The minimum over axis, NaNs ignored, as np.nanmin: NaN, with NumPy's RuntimeWarning, for a slice of NaNs
    alone. Ties split the gradient, as min's; NaN entries get 0 (and no share of a tie at inf).

    >>> import autograd_core as ag
    >>> ag.nanmin(ag.tensor([1.0, float("nan"), 2.0]))
    Tensor(1.)
    """
    return _nan_extremum("nanmin", _min, np.inf, x, axis, keepdims)
