"""What t.grad_fn gives, PyTorch's backward node as a read-only view of the operation that produced t (set on
Tensor by torch_names.py)."""


class GradFn:
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

    __slots__ = ("_tensor",)

    def __init__(self, tensor):
        self._tensor = tensor

    def name(self):
        return self._tensor.op_name

    @property
    def next_functions(self):
        return tuple((parent.grad_fn, 0) for parent in self._tensor._parents)

    def __eq__(self, other):
        return isinstance(other, GradFn) and other._tensor is self._tensor

    def __hash__(self):
        return id(self._tensor)

    def __repr__(self):
        return f"<grad_fn {self.name()}>"
