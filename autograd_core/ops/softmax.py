"""The softmax family. log_softmax is a primitive (one fused, stable rule); softmax composes it."""
import numpy as np
from numpy.lib.array_utils import normalize_axis_tuple

from ..primitive import Primitive, add_reduce, as_operand
from .elementwise import exp
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


def log_softmax(x, axis=-1):
    """log(softmax(x)) = x - logsumexp(x) along axis: finite even for logits of 1e4.

    >>> import autograd_core as ag
    >>> ag.log_softmax(ag.tensor([0.0, 0.0])).data.round(4)
    array([-0.6931, -0.6931])
    """
    return _log_softmax_primitive(x, axis=axis)


def softmax(x, axis=-1):
    """exp(x) / sum(exp(x)) along axis, computed as exp(log_softmax(x)).

    >>> import autograd_core as ag
    >>> ag.softmax(ag.tensor([1.0, 1.0]))
    Tensor([0.5, 0.5])
    """
    x = as_operand(x, "softmax")  # checked here, like axis, so that errors name softmax
    n = max(x.ndim, 1)
    if axis is not None:  # checked here, so that errors name softmax rather than the log_softmax it runs
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
    return exp(log_softmax(x, axis=axis))
