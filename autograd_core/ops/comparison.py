"""Comparisons and logic: boolean Tensors, never recorded (they have no gradient)."""
import numpy as np

from ..tensor import Tensor, as_value


def _constant(name, ufunc):
    def compare(*args):
        try:
            return Tensor._constant(ufunc(*(as_value(a) for a in args)))
        except (ValueError, TypeError) as err:
            shapes = ", ".join(str(np.shape(as_value(a))) for a in args)
            raise type(err)(f"{name}: cannot compare shapes {shapes}: {err}") from None
    compare.__name__ = name
    compare.__doc__ = f"Elementwise np.{ufunc.__name__}, as a boolean Tensor (not differentiable)."
    return compare


less = _constant("less", np.less)
less_equal = _constant("less_equal", np.less_equal)
greater = _constant("greater", np.greater)
greater_equal = _constant("greater_equal", np.greater_equal)
equal = _constant("equal", np.equal)
not_equal = _constant("not_equal", np.not_equal)
logical_and = _constant("logical_and", np.logical_and)
logical_or = _constant("logical_or", np.logical_or)
logical_not = _constant("logical_not", np.logical_not)
sign = _constant("sign", np.sign)
isfinite = _constant("isfinite", np.isfinite)
isnan = _constant("isnan", np.isnan)
