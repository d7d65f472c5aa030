"""The ctx of an ag.Function (PyTorch's FunctionCtx): what forward hands to backward (save_for_backward, saved_tensors,
save_for_forward) and the marks forward sets on its outputs (mark_non_differentiable, set_materialize_grads)."""
import numpy as np

from ._arguments import as_flag
from .tensor import Tensor


class FunctionCtx:
    """Carries values from forward to backward: ctx.save_for_backward(...), ctx.saved_tensors."""

    def __init__(self, needs_input_grad=(), passed=()):
        self.saved_tensors = ()
        self.needs_input_grad = needs_input_grad  # per input: does it require grad? (as PyTorch's ctx)
        self._passed = passed  # positions of the inputs handed to forward as they are (None, strings...)
        self._grads_for = None  # (grad_output, validated gradients) of the current backward call
        self._value_ids = ()  # ids of the input and output values forward saw (see _recorded_backward)
        self._reads = None  # (input positions, output?) whose memory the saved values share (see _FunctionPrimitive)
        self._non_differentiable = ()  # what forward passed to mark_non_differentiable
        self._output_marked = False  # whether that was the output
        self._layout = None  # several outputs: per output, where it lies in the node's flat value (see _packed)
        self._materialize_grads = True
        self._reached = None  # without materialize_grads: the outputs (of several) a gradient reached this pass
        self._saved_for_forward = None
        # The last input backprop asks a gradient for: then the pass is done.
        operands = [needed for k, needed in enumerate(needs_input_grad) if k not in passed]
        self._last_input = max((k for k, needed in enumerate(operands) if needed), default=None)

    def save_for_backward(self, *values):
        """Keep values (the inputs or outputs backward needs) as ctx.saved_tensors, in order.

        >>> from autograd_core.function import FunctionCtx
        >>> ctx = FunctionCtx()
        >>> ctx.save_for_backward(1.0, 2.0); ctx.saved_tensors
        (1.0, 2.0)
        """
        self.saved_tensors = values

    def save_for_forward(self, *values):
        """Keep values for jvp, which reads them as ctx.saved_tensors, as PyTorch's (see Function.jvp).

        >>> from autograd_core.function import FunctionCtx
        >>> ctx = FunctionCtx()
        >>> ctx.save_for_forward(3.0); ctx._saved_for_forward
        (3.0,)
        """
        self._saved_for_forward = values

    def mark_non_differentiable(self, *outputs):
        """Called in forward with an array forward returns (an output): that result then carries no gradient
        (requires_grad False, as an integer result), as PyTorch's. Values that are not outputs are ignored, as
        there.

        >>> import numpy as np, autograd_core as ag
        >>> class Rounded(ag.Function):
        ...     @staticmethod
        ...     def forward(ctx, x):
        ...         out = np.round(x)
        ...         ctx.mark_non_differentiable(out)
        ...         return out
        >>> Rounded.apply(ag.tensor([0.4, 1.6], requires_grad=True))
        Tensor([0., 2.])
        """
        for k, value in enumerate(outputs):
            if not isinstance(value, (np.ndarray, np.generic, Tensor)):
                raise TypeError(f"mark_non_differentiable: argument {k} is a {type(value).__name__}; pass the array "
                                f"forward returns")
        self._non_differentiable += outputs

    def set_materialize_grads(self, value):
        """Called in forward, as PyTorch's: with False, backward receives None (not zeros) as the gradient of an
        output that got none (of several, one the loss did not use, or an integer or non-differentiable one).

        >>> import numpy as np, autograd_core as ag
        >>> class Pair(ag.Function):
        ...     @staticmethod
        ...     def forward(ctx, x):
        ...         ctx.set_materialize_grads(False)
        ...         return 2 * x, 3 * x
        ...     @staticmethod
        ...     def backward(ctx, g2, g3):
        ...         print(g2, g3)
        ...         return 2 * g2 + (0 if g3 is None else 3 * g3)
        >>> x = ag.tensor([1.0], requires_grad=True)
        >>> Pair.apply(x)[0].sum().backward()
        [1.] None
        """
        self._materialize_grads = as_flag(value, "set_materialize_grads", "value")

    def mark_dirty(self, *args):
        """PyTorch's way to change an input in place in forward; here forward's inputs are read-only, so this
        raises: return a new array instead."""
        raise RuntimeError("mark_dirty: an ag.Function's forward cannot change its inputs in place (they are read-only "
                           "while it runs); compute and return a new array (a = a + 1, not a += 1)")
