"""What t.grad_fn gives, PyTorch's backward node as a read-only view of the operation that produced t (set on
Tensor by torch_names.py), with its pre-hooks (grad_fn.register_prehook)."""
from .registries import TensorWeakDict

# node metadata dicts (grad_fn.metadata), by the node's Tensor: a registry, as a GradFn is made at each t.grad_fn
_METADATA = TensorWeakDict()


class Node:
    """PyTorch's torch.autograd.graph.Node, the type of t.grad_fn (isinstance(t.grad_fn, Node) holds): GradFn's
    base, as ag.autograd.graph.Node."""

    __slots__ = ()


class _Prehook:
    """A grad_fn pre-hook, fn(grad_outputs) -> grad_outputs or None, kept among the Tensor's hooks and run after
    the Tensor's own (backprop._run_hooks)."""

    __slots__ = ("fn",)
    registered = False  # whether any was, in the process (backprop._run_hooks looks for them only then)

    def __init__(self, fn):
        self.fn = fn

    def __call__(self, grad):
        result = self.fn((grad,))
        if result is None:
            return None
        if not isinstance(result, (tuple, list)) or len(result) != 1:
            raise TypeError(f"grad_fn prehook: the hook {getattr(self.fn, '__name__', self.fn)!r} must return None or "
                            f"a tuple of one gradient per output of the node (here 1), got {type(result).__name__}"
                            f"{f' of length {len(result)}' if isinstance(result, (tuple, list)) else ''}")
        return result[0]


class GradFn(Node):
    """What t.grad_fn gives (PyTorch's backward node, read-only): the operation that produced t, named by name(),
    and next_functions, one (grad_fn, 0) pair per input that requires grad (PyTorch's also lists (None, 0) for each
    other input; a leaf's grad_fn is None, where PyTorch shows an AccumulateGrad node). After a backward pass freed
    the graph, next_functions is empty.

    >>> import autograd_core as ag
    >>> a = ag.tensor([2.0, 3.0], requires_grad=True)
    >>> q = 3 * a ** 3
    >>> q.grad_fn, q.grad_fn.name()
    (<grad_fn multiply>, 'multiply')
    >>> q.grad_fn.next_functions
    ((<grad_fn power>, 0),)
    >>> a.grad_fn is None
    True
    """

    __slots__ = ("_tensor", "_seq")

    def __init__(self, tensor):
        self._tensor, self._seq = tensor, tensor._seq

    def _record_holder(self):
        """The Tensor holding this node's record now: its Tensor, or, after an in-place change moved the record
        (in_place_record._rebase), the Tensor it moved to (None once no graph holds it)."""
        tensor = self._tensor
        if tensor._seq == self._seq:
            return tensor
        from .in_place_record import REBASED
        for seq, held in REBASED.value(tensor, ()):
            if seq == self._seq:
                return held()
        return None

    def name(self):
        """The operation's name ('AccumulateGrad' for a leaf's node, which get_gradient_edge gives)."""
        return "AccumulateGrad" if self._tensor._op is None else self._tensor.op_name

    @property
    def metadata(self):
        """A dict for the user's data, kept with the node (PyTorch's node.metadata)."""
        metadata = _METADATA.value(self._tensor)
        if metadata is None:
            metadata = {}
            _METADATA.put(self._tensor, metadata)
        return metadata

    def register_prehook(self, fn):
        """PyTorch's Node.register_prehook: have backward call fn(grad_outputs), grad_outputs the tuple of the
        node's output gradient, before the node's rule runs; fn may return a replacement tuple, or None. Pre-hooks
        run after the Tensor's own hooks (register_hook), in the order registered; autograd.grad stopping at the
        node's Tensor (one of its inputs) does not run them, as PyTorch's. Returns a handle whose remove()
        unregisters the hook.

        >>> import autograd_core as ag
        >>> a = ag.tensor([0.0, 0.0, 0.0], requires_grad=True)
        >>> b = a * 1
        >>> handle = b.grad_fn.register_prehook(lambda grad_outputs: (grad_outputs[0] * 2,))
        >>> b.sum().backward()
        >>> a.grad
        Tensor([2., 2., 2.])
        >>> handle.remove()
        """
        if not callable(fn):
            raise TypeError(f"register_prehook: the hook must be callable, got {type(fn).__name__}")
        if self._tensor._op is None:
            raise RuntimeError("register_prehook: this node stands for a leaf's gradient accumulation, which has no "
                               "rule to run hooks before; register a hook on the leaf itself (register_hook)")
        _Prehook.registered = True
        return self._tensor.register_hook(_Prehook(fn))

    @property
    def next_functions(self):
        return tuple((parent.grad_fn, 0) for parent in self._tensor._parents)

    def __eq__(self, other):
        return isinstance(other, GradFn) and other._tensor is self._tensor

    def __hash__(self):
        return id(self._tensor)

    def __repr__(self):
        return f"<grad_fn {self.name()}>"
