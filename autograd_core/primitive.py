"""Primitives: a forward on raw NumPy values plus one vector-Jacobian product per input.

A gradient rule has the signature `vjp(g, ans, *inputs, **params)`. It is written
with NumPy calls and operators, so the same rule runs on raw arrays when backprop
only needs numbers and on Tensors (recorded through `__array_ufunc__` and
`__array_function__`) when `create_graph=True` asks for higher derivatives.
"""
import functools

import numpy as np

from .grad_mode import STATE
from .tensor import Tensor, as_value

_PY_SCALARS = (int, float, bool)


class Primitive:
    """An operation the engine differentiates directly.

    >>> import numpy as np
    >>> square = Primitive("square", np.square, (lambda g, ans, x: 2 * g * x,))
    >>> square(Tensor(3.0))
    Tensor(9.)
    """

    def __init__(self, name, forward, vjps, hint="", doc=None):
        self.__doc__ = doc or f"The {name} operation (differentiable)."
        self.name = name
        self.forward = forward
        self.vjps = vjps  # vjps[i] is the rule for input i (None: not differentiable there)
        self.hint = hint  # what valid input looks like, quoted in error messages

    def __call__(self, *args, **params):
        return apply(self, args, params)

    def traced(self, *args, **params):
        """For use inside gradient rules: raw in, raw out; a Tensor in, a recorded Tensor out."""
        for a in args:
            if isinstance(a, Tensor):
                return apply(self, args, params)
        return self.forward(*args, **params)

    def __repr__(self):
        return f"<primitive {self.name}>"


class PerInput:
    """vjps for an operation with any number of inputs: rule(i, g, ans, *inputs, **params)."""

    __slots__ = ("rule",)

    def __init__(self, rule):
        self.rule = rule

    def __getitem__(self, i):
        return functools.partial(self.rule, i)


def apply(prim, args, params):
    """Run prim on the values of args and return a Tensor recording it when a gradient can flow."""
    values = []
    parents = []
    slots = []
    for i, a in enumerate(args):
        if isinstance(a, Tensor):
            values.append(a._data)
            if a._requires_grad:
                parents.append(a)
                slots.append(i)
        elif type(a) in _PY_SCALARS or isinstance(a, (np.ndarray, np.generic)):
            values.append(a)
        else:
            values.append(as_value(a))
    try:
        out = prim.forward(*values, **params)
    except (ValueError, TypeError, IndexError, np.exceptions.AxisError) as err:
        raise describe_error(prim, values, params, err) from None
    if STATE.anomaly:
        check_finite(out, prim.name, "forward")
    if parents and STATE.grad_enabled:
        return Tensor._from_op(out, (prim, values, parents, slots, params))
    return Tensor._from_op(out, None)


def describe_error(prim, values, params, err):
    """The error for bad input: the operation, the shapes and dtypes, and what is valid."""
    described = ", ".join(f"{np.shape(v)} {np.result_type(v)}" for v in values)
    extra = f" with {params}" if params else ""
    hint = f"; {prim.hint}" if prim.hint else ""
    return type(err)(f"{prim.name}: invalid input of shapes/dtypes [{described}]{extra}: {err}{hint}")


def check_finite(value, name, phase):
    """detect_anomaly's check: raise naming the operation when value holds NaN or Inf."""
    value = as_value(value)
    if np.result_type(value).kind in "fc" and not np.all(np.isfinite(value)):
        raise FloatingPointError(f"{name} ({phase}) produced NaN/Inf values (shape {np.shape(value)})")


def unbroadcast(g, shape):
    """Sum g down to shape: the adjoint of NumPy broadcasting, applied once per edge by backprop."""
    lead = g.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(
        lead + i for i, n in enumerate(shape) if n == 1 and g.shape[lead + i] != 1
    )
    if axes:
        g = g.sum(axis=axes, keepdims=True)
    return g.reshape(shape) if g.shape != shape else g
