"""The softmax family: softmax and log_softmax, each a primitive with one fused, stable rule."""
import numpy as np
from numpy.lib.array_utils import normalize_axis_tuple

from .._arguments import UNGIVEN, Default, axis_from_dim
from ..primitive import Primitive, add_reduce, apply, as_operand
from .reductions import _log_sum_exp_shifted, _shifted


def _log_softmax(x, axis=-1):
    # (x - max) - log(sum(exp(x - max))): subtracting the shift first keeps full precision even
    # when the logits are huge (x - (logsumexp x) would round logsumexp at x's magnitude).
    shifted, _ = _shifted(x, axis, plus_inf_to_zero=False)
    return shifted - _log_sum_exp_shifted(shifted, axis)


# d log_softmax(x)_i / dx_j = delta_ij - softmax(x)_j, so the VJP is g - softmax * sum(g).
_log_softmax_primitive = Primitive(
    "log_softmax", _log_softmax,
    (lambda g, ans, x, axis=-1: g - np.exp(ans) * add_reduce(g, axis=axis, keepdims=True),),
    reads_values=(("ans",),),  # the result only, as PyTorch saves it: x may change in place after the call
)


def _cast(x, dtype, where):
    """x cast to dtype first, PyTorch's dtype= of the softmax family (a float dtype; the cast is recorded, so the
    gradient comes back in x's dtype)."""
    if dtype is None:
        return x
    try:
        dtype = np.dtype(dtype)
    except TypeError:  # (not a dtype, "float33": the message shows it as given)
        pass
    if not isinstance(dtype, np.dtype) or dtype.kind != "f":
        raise TypeError(f"{where}: dtype must be a float dtype (float16, float32 or float64), got {dtype!r}")
    x = as_operand(x, where)
    return x if x.dtype == dtype else x.astype(dtype)


def log_softmax(x, axis=Default(-1), *, dim=None, dtype=None):
    """log(softmax(x)) = x - logsumexp(x) along axis (dim: PyTorch's name for it): finite even for logits of 1e4.
    dtype= casts x to that float dtype first, as torch.log_softmax's.

    >>> import autograd_core as ag
    >>> ag.log_softmax(ag.tensor([0.0, 0.0])).data.round(4)
    array([-0.6931, -0.6931])
    >>> ag.log_softmax(ag.tensor([0.0, 0.0], dtype=ag.float32), dim=0, dtype=ag.float64).dtype
    dtype('float64')
    """
    axis = axis_from_dim("log_softmax", axis, dim, UNGIVEN)  # (a Default made a plain int: add_reduce tests int)
    x = _cast(x, dtype, "log_softmax")
    return apply(_log_softmax_primitive, (x,), {"axis": axis})  # (at once: one input, as Primitive.__call__ checks)


def _softmax(x, axis=-1):
    # exp(x - max) / sum(exp(x - max)): no overflow, and one exp pass (exp(log_softmax(x)) took three, with the
    # rules). A slice holding +inf is NaN (inf - inf), as PyTorch's softmax and log_softmax.
    shifted, _ = _shifted(x, axis, plus_inf_to_zero=False)
    if type(shifted) is not np.ndarray:  # (a 0-d input's difference is a NumPy scalar, which cannot be written to)
        shifted = np.array(shifted)
    e = np.exp(shifted, out=shifted)  # in place: shifted is a new array
    total = add_reduce(e, axis=axis, keepdims=True, dtype=np.promote_types(e.dtype, np.float32))  # float16: float32
    return np.divide(e, total, out=e)


# d softmax(x)_i / dx_j = s_i (delta_ij - s_j), so the VJP is s (g - sum(g s)): the result only, no exp.
_softmax_primitive = Primitive(
    "softmax", _softmax,
    (lambda g, ans, x, axis=-1: ans * (g - add_reduce(g * ans, axis=axis, keepdims=True)),),
    reads_values=(("ans",),),  # the result only, as PyTorch saves it
)


def softmax(x, axis=Default(-1), *, dim=None, dtype=None):
    """exp(x) / sum(exp(x)) along axis (dim: PyTorch's name for it), with x shifted by its maximum first: finite
    even for logits of 1e4. dtype= casts x to that float dtype first, as torch.softmax's (Tensor.softmax(dim,
    dtype=torch.float32) of float16 logits).

    >>> import autograd_core as ag
    >>> ag.softmax(ag.tensor([[1.0, 1.0], [2.0, 2.0]]), dim=0)
    Tensor([[0.26894142, 0.26894142],
            [0.73105858, 0.73105858]])
    """
    axis = axis_from_dim("softmax", axis, dim, UNGIVEN)  # (a Default made a plain int: add_reduce tests int)
    x = as_operand(_cast(x, dtype, "softmax"), "softmax")  # (checked here, like axis: errors name softmax)
    n = max(x.ndim, 1)
    if axis is not None:  # checked here, so that errors name softmax rather than the reductions it runs
        try:
            if isinstance(axis, bool) or isinstance(axis, tuple) and any(isinstance(a, bool) for a in axis):
                raise TypeError  # (NumPy's reductions refuse a bool axis too)
            normalize_axis_tuple(axis, n)
        except np.exceptions.AxisError:
            raise np.exceptions.AxisError(f"softmax: axis {axis} is out of range for an input of shape "
                                          f"{x.shape}; valid axes are {-n}..{n - 1}") from None
        except TypeError:
            raise TypeError(f"softmax: axis must be an int, a tuple of ints or None, got {axis!r}") from None
        except ValueError:  # an axis given twice
            raise ValueError(f"softmax: axis {axis} names an axis twice") from None
    return _softmax_primitive(x, axis=axis)
