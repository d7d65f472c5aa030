"""PyTorch's torch.autograd.graph pieces that fit this engine, as `ag.autograd.graph`: `register_multi_grad_hook`
(one hook over several Tensors' gradients in a pass, over Tensor.register_hook), `increment_version` (a change
in place as far as saved values are concerned), `Node` (the type of t.grad_fn), `GradientEdge` and
`get_gradient_edge` (what autograd.grad and autograd.backward take in place of a Tensor). The grad_fn's own hooks,
grad_fn.register_prehook, are grad_fn.py's. Not here: saved_tensors_hooks, save_on_cpu and the other hooks on
saved values (the engine saves arrays, not Tensors it could hand to a hook).
"""
import threading
from typing import NamedTuple

from .backprop import MULTI_GRAD_HOOKS, current_pass
from .grad_fn import GradFn, Node
from .tensor import Tensor

__all__ = ["GradientEdge", "Node", "get_gradient_edge", "increment_version", "register_multi_grad_hook"]


class GradientEdge(NamedTuple):
    """PyTorch's GradientEdge: where the gradient of a Tensor is computed, (node, output_nr), as
    get_gradient_edge gives it; autograd.grad and autograd.backward take one wherever they take a Tensor (an
    output or an input). node is the Tensor's grad_fn (for a leaf, a Node standing for PyTorch's AccumulateGrad,
    named so); output_nr is 0 (every node here has one output).

    >>> import autograd_core as ag
    >>> x = ag.tensor([1.0, 2.0], requires_grad=True)
    >>> edge = ag.autograd.graph.get_gradient_edge(x)
    >>> edge.node.name(), edge.output_nr
    ('AccumulateGrad', 0)
    """

    node: Node
    output_nr: int


def get_gradient_edge(tensor):
    """PyTorch's torch.autograd.graph.get_gradient_edge: the GradientEdge of tensor, which autograd.grad takes
    in place of tensor (`ag.autograd.grad(loss, get_gradient_edge(x))` is `ag.autograd.grad(loss, x)`). tensor
    must require grad.

    >>> import autograd_core as ag
    >>> x = ag.tensor([1.0, 2.0], requires_grad=True)
    >>> y = x * x
    >>> ag.autograd.grad(y.sum(), ag.autograd.graph.get_gradient_edge(y))
    (Tensor([1., 1.]),)
    """
    if not isinstance(tensor, Tensor):
        raise TypeError(f"get_gradient_edge: expected a Tensor, got {type(tensor).__name__}")
    if not tensor.requires_grad:
        raise RuntimeError(f"get_gradient_edge: It is not possible to get the gradient edge for a Tensor that does "
                           f"not require gradients (this one, shape {tensor.shape}); give a Tensor with "
                           f"requires_grad=True or a result computed from one")
    return GradientEdge(GradFn(tensor), 0)


def edge_tensor(value):
    """value itself, or, when it is a GradientEdge, the Tensor holding its node's record (the edge's Tensor, or its
    old value's after an in-place change: the edge stays with the node it was taken at, as PyTorch's)."""
    if not isinstance(value, GradientEdge):
        return value
    if not isinstance(value.node, GradFn):
        raise TypeError(f"GradientEdge: node must be a Tensor's grad_fn (or get_gradient_edge's), got "
                        f"{type(value.node).__name__}")
    tensor = value.node._record_holder()
    if tensor is None:
        raise RuntimeError("GradientEdge: the graph holding this edge's node was freed (its Tensor was changed in "
                           "place and no graph uses its old value any more)")
    return tensor


def increment_version(tensor):
    """PyTorch's torch.autograd.graph.increment_version: count a change in place of tensor (or of each Tensor of
    an iterable), and of the Tensors sharing its memory, as an in-place operation would, without changing it: a
    graph that saved its value refuses to backpropagate through it (for code that changed its array behind the
    engine's back, through .data or NumPy).

    >>> import autograd_core as ag
    >>> x = ag.tensor([1.0, 2.0], requires_grad=True)
    >>> y = x * x  # saves x for its gradient
    >>> version = x._version
    >>> ag.autograd.graph.increment_version(x)
    >>> x._version == version + 1
    True
    >>> try:
    ...     y.sum().backward()
    ... except RuntimeError as error:
    ...     print("refused")
    refused
    """
    tensors = (tensor,) if isinstance(tensor, Tensor) else tuple(tensor)
    for index, t in enumerate(tensors):
        if not isinstance(t, Tensor):
            raise TypeError(f"increment_version: expected a Tensor or an iterable of Tensors, got "
                            f"{type(t).__name__}{'' if t is tensor else f' at index {index}'}")
    for t in tensors:
        t._count_change()


class _MultiHandle:
    """What register_multi_grad_hook returns: remove() unregisters the hook from every Tensor (a second call does
    nothing); a context manager, as PyTorch's handles."""

    __slots__ = ("handles", "key")

    def __init__(self, handles, key):
        self.handles, self.key = handles, key
        MULTI_GRAD_HOOKS.add(key)  # (backward passes are known to the hooks only while some are registered)

    def remove(self):
        for handle in self.handles:
            handle.remove()
        MULTI_GRAD_HOOKS.discard(self.key)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.remove()


def register_multi_grad_hook(tensors, fn, *, mode="all"):
    """PyTorch's torch.autograd.graph.register_multi_grad_hook: a hook over the gradients of several Tensors in
    each backward pass (Tensor.backward, autograd.backward, autograd.grad). With mode="all", fn(grads) is called
    once the gradients of all the Tensors the pass reaches have been computed, grads holding one per Tensor (None
    for a Tensor the pass does not reach: outside its graph, or on no path to the inputs it was given; None too
    for one it reaches with no gradient, an autograd.Function's backward having returned None for it); with
    mode="any", fn(grad) is called with the first of them to be computed. fn should not change its arguments and
    its result is ignored. Returns a handle whose remove() unregisters the hook.

    >>> import autograd_core as ag
    >>> a = ag.tensor([1.0, 2.0], requires_grad=True)
    >>> b = ag.tensor([3.0, 4.0], requires_grad=True)
    >>> c, d = a * b, a * b
    >>> handle = ag.autograd.graph.register_multi_grad_hook(
    ...     (a, b, c, d), lambda grads: print([g is not None for g in grads]))
    >>> c.sum().backward(retain_graph=True)
    [True, True, True, False]
    >>> c.sum().backward(inputs=(a,))
    [True, False, True, False]
    >>> handle.remove()
    """
    if mode not in ("all", "any"):
        raise ValueError(f"register_multi_grad_hook: Expects mode to be one of ('all', 'any') but got {mode!r}")
    if isinstance(tensors, Tensor):
        raise TypeError("register_multi_grad_hook: tensors must be a sequence of Tensors (one Tensor: its "
                        "register_hook does this)")
    tensors = tuple(tensors)
    for index, t in enumerate(tensors):
        if not isinstance(t, Tensor):
            raise TypeError(f"register_multi_grad_hook: tensors[{index}] is a {type(t).__name__}, not a Tensor")
    if not callable(fn):
        raise TypeError(f"register_multi_grad_hook: fn must be callable, got {type(fn).__name__}")
    lock = threading.Lock()
    key = object()  # this hook's entry in each pass's scratch
    if mode == "any":
        def any_hook(grad):
            scratch = {} if (entry := current_pass()) is None else entry.scratch
            with lock:
                if key in scratch:
                    return
                scratch[key] = True
            fn(grad)

        return _MultiHandle(tuple(t.register_hook(any_hook) for t in tensors if t.requires_grad), key)

    def all_hook_for(index):
        def all_hook(grad):  # as PyTorch's: how many of the Tensors the pass reaches, counted at the first one
            entry = current_pass()
            with lock:
                state = None if entry is None else entry.scratch.get(key)
                if state is None:
                    expected = 1 if entry is None else sum(entry.reaches(t) for t in tensors)
                    state = [expected, 0, [None] * len(tensors)]
                    if entry is not None:
                        entry.scratch[key] = state
                state[2][index] = grad
                state[1] += 1
                done = state[1] == state[0]
            if done:
                fn(state[2])
        all_hook.none_too = True  # called with None where the pass reaches the Tensor with no gradient (backprop)
        return all_hook

    return _MultiHandle(tuple(t.register_hook(all_hook_for(i)) for i, t in enumerate(tensors)), key)
