"""PyTorch's torch.autograd names, for code ported from it: `ag.autograd.Function` (ag.Function) and
`ag.autograd.grad(outputs, inputs, ...)`, the gradients of outputs with respect to inputs, returned rather than
accumulated into `.grad` (the engine's pass that the transforms use). The transforms themselves (ag.grad, ag.vjp,
...) are JAX's and torch.func's; `ag.autograd.functional` (autograd_functional.py) gives them
torch.autograd.functional's signatures.
"""
import sys

from . import autograd_functional as functional
from ._arguments import as_flag
from .backprop import gradients_to
from .creation import zeros_like
from .function import Function
from .tensor import Tensor

__all__ = ["Function", "grad"]

# `from autograd_core.autograd.functional import jacobian` as from torch.autograd.functional (this module is no
# package: the name is registered as os.path is)
sys.modules[f"{__name__}.functional"] = functional


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False, allow_unused=None,
         materialize_grads=False):
    """PyTorch's torch.autograd.grad: a tuple, one gradient per input, of the sum of outputs (each weighted by its
    grad_outputs entry, required for an output that is not a scalar). retain_graph defaults to create_graph. An input
    the outputs do not depend on is refused unless allow_unused (its gradient None) or materialize_grads (zeros).

    >>> import autograd_core as ag
    >>> x = ag.tensor([1.0, 2.0], requires_grad=True)
    >>> ag.autograd.grad((x ** 2).sum(), x)
    (Tensor([2., 4.]),)
    """
    outputs = (outputs,) if isinstance(outputs, Tensor) else tuple(outputs)
    inputs = (inputs,) if isinstance(inputs, Tensor) else tuple(inputs)
    if grad_outputs is None or isinstance(grad_outputs, Tensor):
        grad_outputs = (grad_outputs,) * len(outputs) if grad_outputs is None else (grad_outputs,)
    grad_outputs = tuple(grad_outputs)
    if len(grad_outputs) != len(outputs):
        raise ValueError(f"autograd.grad: grad_outputs has {len(grad_outputs)} entries for {len(outputs)} outputs; "
                         f"give one per output (None for a scalar output)")
    create_graph = as_flag(create_graph, "autograd.grad", "create_graph")
    retain_graph = create_graph if retain_graph is None else as_flag(retain_graph, "autograd.grad", "retain_graph")
    if materialize_grads and allow_unused is False:
        raise ValueError("autograd.grad: materialize_grads=True needs allow_unused None or True, as PyTorch's")
    for index, x in enumerate(inputs):
        if not isinstance(x, Tensor) or not x.requires_grad:
            raise RuntimeError(f"autograd.grad: input {index} does not require grad, so it has no gradient; give "
                               f"Tensors with requires_grad=True or results computed from them")
    if len(outputs) == 1:
        output, gradient = outputs[0], grad_outputs[0]
    else:  # one pass over the weighted sum: each input's gradient is the sum of the outputs' vector-Jacobian products
        for index, (out, g) in enumerate(zip(outputs, grad_outputs)):
            if g is None and out.size != 1:
                raise RuntimeError(f"autograd.grad: output {index} has shape {out.shape}: give its grad_outputs entry "
                                   f"(a gradient of that shape), as for a non-scalar backward")
        output = sum((out * g).sum() if g is not None else out.sum() for out, g in zip(outputs, grad_outputs))
        gradient = None
    grads = gradients_to(output, list(inputs), gradient, retain_graph=retain_graph, create_graph=create_graph,
                         where="autograd.grad")
    result = []
    for index, (x, g) in enumerate(zip(inputs, grads)):
        if g is None:
            if materialize_grads:
                g = zeros_like(x)
            elif not allow_unused:
                raise RuntimeError(f"autograd.grad: input {index} (shape {x.shape}) was not used to compute the "
                                   f"outputs; pass allow_unused=True to get None for it")
        result.append(g)
    return tuple(result)
