"""PyTorch's torch.autograd names, for code ported from it: `ag.autograd.Function` (ag.Function),
`ag.autograd.backward(tensors, ...)`, Tensor.backward for several outputs at once,
`ag.autograd.grad(outputs, inputs, ...)`, the gradients of outputs with respect to inputs, returned rather than
accumulated into `.grad` (the engine's pass that the transforms use), `ag.autograd.gradcheck(func, inputs)` and
`gradgradcheck` with PyTorch's signatures (autograd_gradcheck.py, over ag.testing's checks),
`autograd_core.autograd.function` (function.py: Function, FunctionCtx, once_differentiable, as
torch.autograd.function), the deprecated `Variable` of older code, and the switches torch.autograd also gives
(`no_grad`, `enable_grad`, `set_grad_enabled`, `inference_mode`, `detect_anomaly`, `set_detect_anomaly`: ag's own).
The transforms themselves (ag.grad, ag.vjp, ...) are JAX's and torch.func's; `ag.autograd.functional`
(autograd_functional.py) gives them torch.autograd.functional's signatures, `ag.autograd.forward_ad`
(forward_ad.py) PyTorch's dual Tensors for forward mode, and `ag.autograd.graph` (autograd_graph.py) the pieces of
torch.autograd.graph that fit the engine (register_multi_grad_hook, increment_version, Node, GradientEdge).
"""
import numbers
import sys
import warnings

import numpy as np

from . import autograd_functional as functional
from . import autograd_graph as graph
from . import autograd_gradcheck as _gradcheck_module
from . import forward_ad
from . import function
from ._arguments import InvalidArgumentError, as_flag
from .autograd_gradcheck import gradcheck, gradgradcheck
from .autograd_graph import GradientEdge, edge_tensor
from .backprop import backward as _backward
from .backprop import gradients_to
from .creation import zeros_like
from .function import Function
from .grad_mode import detect_anomaly, enable_grad, inference_mode, no_grad, set_detect_anomaly, set_grad_enabled
from .ops import stack
from .tensor import Tensor
from .torch_functions import from_numpy

__all__ = ["Function", "Variable", "backward", "detect_anomaly", "enable_grad", "grad", "gradcheck", "gradgradcheck",
           "inference_mode", "no_grad", "set_detect_anomaly", "set_grad_enabled"]

# `from autograd_core.autograd.functional import jacobian` as from torch.autograd.functional (this module is no
# package: the name is registered as os.path is)
sys.modules[f"{__name__}.functional"] = functional
sys.modules[f"{__name__}.function"] = function  # (torch.autograd.function.once_differentiable)
sys.modules[f"{__name__}.forward_ad"] = forward_ad  # (import torch.autograd.forward_ad as fwAD)
sys.modules[f"{__name__}.graph"] = graph  # (from torch.autograd.graph import register_multi_grad_hook)
sys.modules[f"{__name__}.gradcheck"] = _gradcheck_module  # (torch.autograd.gradcheck.GradcheckError)


def Variable(data, requires_grad=False, volatile=False):  # noqa: N802 (PyTorch's name)
    """PyTorch's deprecated torch.autograd.Variable, which older code (tutorials before PyTorch 0.4) wraps Tensors
    in: as PyTorch's today, data itself cut from its graph (data.detach(), sharing its memory), a leaf that requires
    grad when requires_grad is True. A Tensor is what a Variable was: the wrapper can be dropped. volatile=True
    (old test loops' Variable(images, volatile=True)) has no effect, with PyTorch's warning: `with ag.no_grad():`
    is what it was. An ndarray is taken as the Tensor sharing its memory: a Tensor's .data is one here, so
    PyTorch's Variable(p.data) (EWC's saved means, a zeroed copy of p.data) is that of p's values.

    >>> import numpy as np, autograd_core as ag
    >>> x = ag.autograd.Variable(ag.ones(2), requires_grad=True)
    >>> x.requires_grad, x.is_leaf
    (True, True)
    >>> bool(np.shares_memory(ag.autograd.Variable(x.data).data, x.data))
    True
    """
    if isinstance(data, np.ndarray):
        data = from_numpy(data)
    if not isinstance(data, Tensor):
        raise TypeError(f"autograd.Variable: data must be a Tensor, got {type(data).__name__} (as PyTorch's; an "
                        f"ndarray, what a Tensor's .data is here, is taken too); make one with ag.tensor(data)")
    requires_grad = as_flag(requires_grad, "autograd.Variable", "requires_grad")
    if as_flag(volatile, "autograd.Variable", "volatile"):
        if requires_grad:
            raise ValueError("autograd.Variable: volatile=True and requires_grad=True exclude each other (as in "
                             "PyTorch): volatile marked values that never require grad")
        warnings.warn("autograd.Variable: volatile was removed (PyTorch 0.4) and has no effect; use `with "
                      "ag.no_grad():` instead", UserWarning, stacklevel=2)
    leaf = data.detach()
    return leaf.requires_grad_(True) if requires_grad else leaf


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False, grad_variables=None, inputs=None):
    """PyTorch's torch.autograd.backward: Tensor.backward for several outputs at once, in one pass over their
    graphs: each leaf's .grad receives the sum of their gradients (each output weighted by its grad_tensors entry,
    required for an output that is not a scalar, None for a scalar). retain_graph defaults to create_graph; inputs,
    as Tensor.backward's, limits the .grad filled to theirs. grad_variables is PyTorch's deprecated name for
    grad_tensors (it warns, as there).

    >>> import autograd_core as ag
    >>> x = ag.tensor([1.0, 2.0], requires_grad=True)
    >>> ag.autograd.backward([(x ** 2).sum(), 3 * x], [None, ag.tensor([1.0, -1.0])])
    >>> x.grad
    Tensor([5., 1.])
    """
    if grad_variables is not None:
        warnings.warn("autograd.backward: `grad_variables` is deprecated. Use `grad_tensors` instead (PyTorch's "
                      "warning).", FutureWarning, stacklevel=2)
        if grad_tensors is not None:
            raise InvalidArgumentError("autograd.backward: `grad_tensors` and `grad_variables` (deprecated) arguments "
                                       "both passed; only use `grad_tensors`")
        grad_tensors = grad_variables
    tensors, grad_tensors = _outputs_and_gradients(tensors, grad_tensors, "autograd.backward", "grad_tensors")
    create_graph = as_flag(create_graph, "autograd.backward", "create_graph")
    retain_graph = create_graph if retain_graph is None else as_flag(retain_graph, "autograd.backward", "retain_graph")
    _backward(tensors, grad_tensors, retain_graph, create_graph, inputs, where="autograd.backward")


def _outputs_and_gradients(outputs, gradients, where, gradients_name):
    """outputs (a Tensor or a sequence) and their gradients (one per output; a single one, a Tensor, an array or a
    number, for a single output; None, a scalar output's) as tuples of equal length, checked."""
    outputs = (outputs,) if isinstance(outputs, (Tensor, GradientEdge)) else tuple(outputs)
    if GradientEdge in map(type, outputs):  # (a GradientEdge stands for its Tensor)
        outputs = tuple(map(edge_tensor, outputs))
    if gradients is None:
        gradients = (None,) * len(outputs)
    elif isinstance(gradients, (Tensor, np.ndarray, numbers.Number)):
        gradients = (gradients,)
    gradients = tuple(gradients)
    if len(gradients) != len(outputs):
        raise InvalidArgumentError(f"{where}: {gradients_name} has {len(gradients)} entries for {len(outputs)} "
                                   f"outputs; give one per output (None for a scalar output)")  # (PyTorch's Runtime)
    for index, (output, gradient) in enumerate(zip(outputs, gradients)):
        if gradient is None and isinstance(output, Tensor) and output._data.size != 1:
            raise RuntimeError(f"{where}: output {index} has shape {output.shape}: give its {gradients_name} entry "
                               f"(a gradient of that shape), as for a non-scalar backward")
    return outputs, gradients


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False, allow_unused=None,
         materialize_grads=False, only_inputs=True, is_grads_batched=False):
    """PyTorch's torch.autograd.grad: a tuple, one gradient per input, of the sum of outputs (each weighted by its
    grad_outputs entry, required for an output that is not a scalar). retain_graph defaults to create_graph. An input
    the outputs do not depend on is refused unless allow_unused (its gradient None) or materialize_grads (zeros).
    only_inputs, deprecated in PyTorch, is ignored as there (False warns); it comes last here, so that the
    positional order of the others stays, and is meant to be given by name (as WGAN-GP code does), as is
    is_grads_batched: each grad_outputs entry then has a leading batch dimension, and each gradient one too, the
    gradients for each of its slices stacked (PyTorch's vmap over them: rows of a Jacobian at once).

    >>> import autograd_core as ag
    >>> x = ag.tensor([1.0, 2.0], requires_grad=True)
    >>> ag.autograd.grad((x ** 2).sum(), x)
    (Tensor([2., 4.]),)
    >>> ag.autograd.grad(x ** 2, x, ag.eye(2), is_grads_batched=True)  # the Jacobian's rows
    (Tensor([[2., 0.],
            [0., 4.]]),)
    """
    if as_flag(is_grads_batched, "autograd.grad", "is_grads_batched"):
        return _batched_grad(outputs, inputs, grad_outputs, retain_graph, create_graph, allow_unused,
                             materialize_grads)
    outputs, grad_outputs = _outputs_and_gradients(outputs, grad_outputs, "autograd.grad", "grad_outputs")
    inputs = (inputs,) if isinstance(inputs, (Tensor, GradientEdge)) else tuple(inputs)
    edges = None  # (a GradientEdge stands for its Tensor; edges, whether each input was one, only if some was)
    if GradientEdge in map(type, inputs):
        edges = [isinstance(x, GradientEdge) for x in inputs]
        inputs = tuple(map(edge_tensor, inputs))
    if not inputs:  # (PyTorch 2.14 raises RuntimeError, its newer versions ValueError: both classes)
        raise InvalidArgumentError("autograd.grad: inputs is empty (grad requires non-empty inputs, as PyTorch's); "
                                   "give the Tensors to differentiate with respect to (a Tensor or a sequence)")
    create_graph = as_flag(create_graph, "autograd.grad", "create_graph")
    if not as_flag(only_inputs, "autograd.grad", "only_inputs"):
        warnings.warn("autograd.grad: only_inputs argument is deprecated and is ignored now (defaults to True), as "
                      "PyTorch's. To accumulate gradient for other parts of the graph, use autograd.backward.",
                      FutureWarning, stacklevel=2)
    retain_graph = create_graph if retain_graph is None else as_flag(retain_graph, "autograd.grad", "retain_graph")
    if materialize_grads and allow_unused is False:
        raise ValueError("autograd.grad: materialize_grads=True needs allow_unused None or True, as PyTorch's")
    for index, x in enumerate(inputs):
        if not isinstance(x, Tensor) or not x.requires_grad:
            raise RuntimeError(f"autograd.grad: input {index} does not require grad, so it has no gradient; give "
                               f"Tensors with requires_grad=True or results computed from them")
    grads = gradients_to(outputs, list(inputs), grad_outputs, retain_graph=retain_graph, create_graph=create_graph,
                         where="autograd.grad", fill_retained=True)  # (one pass from all the outputs, as
    # autograd.backward's; the Tensors retaining grad on the way get their .grad, as PyTorch's)
    result = []
    for index, (x, g) in enumerate(zip(inputs, grads)):
        if g is None:
            if materialize_grads and edges and edges[index]:  # (as PyTorch's, which has no shape for the zeros there)
                raise RuntimeError(f"autograd.grad: input {index}: materialize_grads cannot be used when the given "
                                   f"input is a GradientEdge (its gradient is None here); pass the Tensor itself, "
                                   f"or leave materialize_grads False")
            if materialize_grads:  # (with create_graph a leaf that requires grad, as PyTorch's: differentiable again)
                g = zeros_like(x, requires_grad=create_graph)
            elif not allow_unused:
                raise RuntimeError(f"autograd.grad: input {index} (shape {x.shape}) was not used to compute the "
                                   f"outputs; pass allow_unused=True to get None for it")
        result.append(g)
    return tuple(result)


def _batched_grad(outputs, inputs, grad_outputs, retain_graph, create_graph, allow_unused, materialize_grads):
    """grad(..., is_grads_batched=True): one pass per slice of the grad_outputs' leading (batch) dimension, the
    gradients stacked along a new first dimension (None for an input no slice reached, with allow_unused; zeros of
    its shape with materialize_grads, as PyTorch's)."""
    outputs = (outputs,) if isinstance(outputs, (Tensor, GradientEdge)) else tuple(outputs)
    if grad_outputs is None or isinstance(grad_outputs, (Tensor, np.ndarray)):
        grad_outputs = (grad_outputs,)
    grad_outputs = tuple(grad_outputs)
    if len(grad_outputs) != len(outputs):
        raise InvalidArgumentError(f"autograd.grad: grad_outputs has {len(grad_outputs)} entries for {len(outputs)} "
                                   f"outputs; give one per output")
    batch = set()
    for index, (output, g) in enumerate(zip(outputs, grad_outputs)):
        if g is None:
            raise InvalidArgumentError(f"autograd.grad: with is_grads_batched=True each output needs a grad_output "
                                       f"with a leading batch dimension; grad_outputs[{index}] is None")
        output = edge_tensor(output) if isinstance(output, GradientEdge) else output
        shape = np.shape(g)
        if len(shape) != np.ndim(output) + 1 or tuple(shape[1:]) != tuple(np.shape(output)):
            raise InvalidArgumentError(
                f"autograd.grad: with is_grads_batched=True the first dimension of each grad_output is the batch "
                f"dimension and the others must be the output's; grad_outputs[{index}] has shape {shape} for "
                f"output {index} of shape {tuple(np.shape(output))}")
        batch.add(shape[0])
    if len(batch) != 1:
        raise InvalidArgumentError(f"autograd.grad: with is_grads_batched=True every grad_output needs the same batch "
                                   f"size (first dimension), got {sorted(batch)}")
    (size,) = batch
    inputs = (inputs,) if isinstance(inputs, (Tensor, GradientEdge)) else tuple(inputs)
    keep = create_graph if retain_graph is None else retain_graph
    if materialize_grads and allow_unused is False:
        raise ValueError("autograd.grad: materialize_grads=True needs allow_unused None or True, as PyTorch's")
    rows = [grad(outputs, inputs, [g[b] for g in grad_outputs], retain_graph=keep or b < size - 1,
                 create_graph=create_graph, allow_unused=allow_unused or materialize_grads) for b in range(size)]
    result = []
    for i, x in enumerate(inputs):
        column = [row[i] for row in rows]
        if not column:  # a batch of none
            result.append(zeros_like(x)[None][:0])
        elif any(g is None for g in column):  # (allow_unused: unreached by every slice, as each pass is alike)
            result.append(zeros_like(x, requires_grad=create_graph) if materialize_grads else None)
        else:
            result.append(stack(column))
    return tuple(result)
