"""PyTorch's questions about a Tensor's dtype, shape and value, next to is_floating_point (torch_extras.py):
t.is_signed(), t.is_complex() (always False: complex data is refused), t.is_same_size(other), t.is_nonzero() and
torch.is_nonzero/is_complex, and the sizes in bytes t.itemsize and t.nbytes (NumPy's and PyTorch's names). None is
recorded: the answers are Python values. Set on Tensor when torch_names is imported (found missing by porting
PyTorch's test_torch.py).
"""
from ._arguments import InvalidArgumentError
from .primitive import as_operand
from .tensor import Tensor


class _TorchQueries:
    """The methods set on Tensor below."""

    def is_signed(self):
        """PyTorch's is_signed: whether the dtype holds negative values (signed integers and floats; not bool or
        unsigned integers).

        >>> import autograd_core as ag
        >>> ag.tensor([1]).is_signed(), ag.tensor([1], dtype=ag.uint8).is_signed(), ag.tensor([True]).is_signed()
        (True, False, False)
        """
        return self.dtype.kind in "if"

    def is_complex(self):
        """PyTorch's is_complex: False, as complex data is refused here.

        >>> import autograd_core as ag
        >>> ag.tensor([1.0]).is_complex()
        False
        """
        return self.dtype.kind == "c"

    def is_same_size(self, other):
        """PyTorch's is_same_size: whether other (a Tensor) has this Tensor's shape.

        >>> import autograd_core as ag
        >>> ag.zeros((2, 3)).is_same_size(ag.ones((2, 3))), ag.zeros((2, 3)).is_same_size(ag.ones(6))
        (True, False)
        """
        return self.shape == as_operand(other, "is_same_size").shape

    def is_nonzero(self):
        """PyTorch's is_nonzero: whether the one value is not 0 (bool(t)); a Tensor of another number of elements
        raises, as PyTorch's (both a ValueError and its RuntimeError).

        >>> import autograd_core as ag
        >>> ag.tensor([[0.5]]).is_nonzero(), ag.tensor(0).is_nonzero()
        (True, False)
        """
        if self._data.size != 1:
            kind = "an empty Tensor" if self._data.size == 0 else f"a Tensor of shape {self.shape}"
            raise InvalidArgumentError(f"is_nonzero: {kind} has no single value to test; it needs one element "
                                       f"(use t.any() or t.all() for several)")
        return bool(self._data.reshape(()))

    @property
    def itemsize(self):
        """The bytes one element takes, NumPy's and PyTorch's name (t.element_size()).

        >>> import autograd_core as ag
        >>> ag.zeros(3, dtype=ag.float32).itemsize
        4
        """
        return self._data.itemsize

    @property
    def nbytes(self):
        """The bytes the elements take, NumPy's and PyTorch's name (t.numel() * t.itemsize).

        >>> import autograd_core as ag
        >>> ag.zeros(3, dtype=ag.float32).nbytes
        12
        """
        return self._data.nbytes


for _name, _member in list(vars(_TorchQueries).items()):
    if not _name.startswith("__"):
        if not isinstance(_member, property):
            _member.__qualname__ = f"Tensor.{_name}"
        setattr(Tensor, _name, _member)
del _name, _member


def is_nonzero(input):  # noqa: A002 (PyTorch's name)
    """PyTorch's torch.is_nonzero(input): input.is_nonzero().

    >>> import autograd_core as ag
    >>> ag.is_nonzero(ag.tensor([1.0]))
    True
    """
    return as_operand(input, "is_nonzero").is_nonzero()


def is_complex(input):  # noqa: A002 (PyTorch's name)
    """PyTorch's torch.is_complex(input): input.is_complex(), False here.

    >>> import autograd_core as ag
    >>> ag.is_complex(ag.tensor([1.0]))
    False
    """
    return as_operand(input, "is_complex").is_complex()
