"""ag.Function: user-defined primitives with a hand-written forward and backward (PyTorch style)."""
import numpy as np

from .grad_mode import no_grad
from .primitive import PerInput, Primitive, apply
from .tensor import Tensor, as_value


class FunctionCtx:
    """Carries values from forward to backward: ctx.save_for_backward(...), ctx.saved_tensors."""

    def __init__(self, last_input=None):
        self.saved_tensors = ()
        self._grads_for = None  # (grad_output, validated gradients) of the current backward call
        self._last_input = last_input  # the last input backprop asks a gradient for: then the pass is done

    def save_for_backward(self, *values):
        self.saved_tensors = values


class Function:
    """Subclass with static forward(ctx, *inputs) and backward(ctx, grad_output); call apply.

    forward receives ndarrays and returns an ndarray; backward returns one gradient per
    input (None where there is none), each of that input's shape. Under
    create_graph=True, saved inputs and outputs reach backward as Tensors, so a
    backward written with NumPy operators and functions is differentiable again.

    >>> import numpy as np, autograd_core as ag
    >>> class Cube(ag.Function):
    ...     @staticmethod
    ...     def forward(ctx, x):
    ...         ctx.save_for_backward(x)
    ...         return x ** 3
    ...     @staticmethod
    ...     def backward(ctx, grad_output):
    ...         (x,) = ctx.saved_tensors
    ...         return 3 * x ** 2 * grad_output
    >>> x = ag.tensor(2.0, requires_grad=True)
    >>> Cube.apply(x).backward()
    >>> float(x.grad)
    12.0
    """

    @staticmethod
    def forward(ctx, *inputs):
        raise NotImplementedError("Function subclasses must define a static forward(ctx, *inputs)")

    @staticmethod
    def backward(ctx, grad_output):
        raise NotImplementedError("Function subclasses must define a static backward(ctx, grad_output)")

    @classmethod
    def apply(cls, *inputs):
        primitive = cls.__dict__.get("_primitive")
        if primitive is None:
            primitive = Primitive(cls.__name__, _forward_of(cls), PerInput(_vjp_of(cls)))
            cls._primitive = primitive
        last_input = max((k for k, x in enumerate(inputs) if isinstance(x, Tensor) and x._requires_grad), default=None)
        return apply(primitive, inputs, {"ctx": FunctionCtx(last_input)})


def _forward_of(cls):
    def forward(*values, ctx):
        with no_grad():
            out = cls.forward(ctx, *values)
        out = out._data if isinstance(out, Tensor) else out  # as_value would turn any object into an array
        if not isinstance(out, (np.ndarray, np.generic, float, int)) or np.result_type(out).kind not in "biuf":
            raise TypeError(f"{cls.__name__}.forward must return an ndarray, got {type(out).__name__}")
        # The very object forward returned (NumPy scalars included): backward may find it among the saved values.
        return out if isinstance(out, (np.ndarray, np.generic)) else np.asarray(out)
    return forward


def _vjp_of(cls):
    def vjp(i, g, ans, *inputs, ctx):
        # backward runs once per backward pass; each input's slot reads its own gradient.
        if ctx._grads_for is None or ctx._grads_for[0] is not g:
            ctx._grads_for = (g, _checked_grads(cls, _recorded_backward(cls, ctx, g, ans, inputs), inputs))
        grads = ctx._grads_for[1]
        if i == ctx._last_input:  # forget them: a later pass (retain_graph) may bring the same, changed array
            ctx._grads_for = None  # (and recorded grads kept in ctx would make a reference cycle)
        return grads[i]
    return vjp


def _recorded_backward(cls, ctx, g, ans, inputs):
    """cls.backward; under create_graph (ans is the output node, inputs the input nodes) the saved
    inputs and output are swapped for their nodes, so backward is recorded and differentiable again."""
    if not isinstance(ans, Tensor):
        return cls.backward(ctx, g)
    nodes = {id(t._data): t for t in (*inputs, ans) if isinstance(t, Tensor)}
    saved = ctx.saved_tensors
    ctx.saved_tensors = tuple(nodes.get(id(v), v) for v in saved)
    try:
        return cls.backward(ctx, g)
    finally:
        ctx.saved_tensors = saved


def _checked_grads(cls, grads, inputs):
    if not isinstance(grads, tuple):
        grads = (grads,)
    if len(grads) != len(inputs):
        raise RuntimeError(
            f"{cls.__name__}.backward returned {len(grads)} gradient(s) but forward took {len(inputs)} input(s); "
            f"return one per input (None for an input without gradient)"
        )
    checked = []
    for k, (grad, x) in enumerate(zip(grads, inputs)):
        if grad is not None:
            if not isinstance(grad, Tensor):
                grad = np.asarray(grad)
            if np.shape(as_value(grad)) != np.shape(as_value(x)):
                raise RuntimeError(
                    f"{cls.__name__}.backward returned a gradient of shape {np.shape(as_value(grad))} for input {k}, "
                    f"which has shape {np.shape(as_value(x))}; they must be equal"
                )
        checked.append(grad)
    return checked
