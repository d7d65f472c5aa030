"""PyTorch's pointwise multiply-adds: addcmul, input + value * tensor1 * tensor2, and addcdiv, input + value * tensor1
/ tensor2, as functions, methods and in-place methods (`exp_avg_sq.mul_(beta2).addcmul_(g, g, value=1 - beta2)` and
`p.addcdiv_(g, denom, value=-lr)` in optimizers written by hand: pSGLD, Adam from scratch). Compositions of recorded
operations in torch's order ((value * tensor1) * tensor2 or / tensor2, then the sum), so the gradients are the
engine's; addcdiv's values are torch's to the last bit, addcmul's to one rounding (torch's CPU kernel fuses its last
multiply-add, which NumPy cannot). PyTorch's deprecated overload with the value first, `addcmul_(value,
tensor1, tensor2)`, is taken with its warning, as torch takes it.
"""
import numbers
import warnings

from .tensor import Tensor
from .torch_in_place import _written_in_place


def _current_order(name, tensor1, tensor2, legacy, value):
    """(tensor1, tensor2, value) of a call in either overload: PyTorch's deprecated one gives the value first
    (name(value, tensor1, tensor2)), with its warning."""
    if not legacy:
        return tensor1, tensor2, value
    if len(legacy) != 1 or not isinstance(tensor1, numbers.Number) or value != 1:
        raise TypeError(f"{name}: takes (tensor1, tensor2, *, value=1), or PyTorch's deprecated (value, tensor1, "
                        f"tensor2) with a number first; got {1 + len(legacy)} positional operands after the input"
                        f"{' and value=' + repr(value) if value != 1 else ''}")
    warnings.warn(f"This overload of {name} is deprecated:\n\t{name}(Number value, Tensor tensor1, Tensor tensor2)\n"
                  f"Consider using one of the following signatures instead:\n\t{name}(Tensor tensor1, Tensor tensor2, "
                  f"*, Number value = 1)", UserWarning, stacklevel=3)
    return tensor2, legacy[0], tensor1


def addcmul(input, tensor1, tensor2, *legacy, value=1):  # noqa: A002 (PyTorch's name)
    """input + value * tensor1 * tensor2, broadcast, as torch.addcmul (and t.addcmul, t.addcmul_ in place).

    >>> import autograd_core as ag
    >>> ag.addcmul(ag.tensor([1.0, 1.0]), ag.tensor([2.0, 3.0]), ag.tensor([4.0, 5.0]), value=0.5)
    Tensor([5. , 8.5])
    >>> ag.zeros(2).addcmul_(ag.tensor([1.0, 2.0]), ag.tensor([1.0, 2.0]), value=0.1)
    Tensor([0.1, 0.4])
    """
    tensor1, tensor2, value = _current_order("addcmul", tensor1, tensor2, legacy, value)
    return input + value * tensor1 * tensor2


def addcdiv(input, tensor1, tensor2, *legacy, value=1):  # noqa: A002 (PyTorch's name)
    """input + value * tensor1 / tensor2, broadcast, as torch.addcdiv (and t.addcdiv, t.addcdiv_ in place).

    >>> import autograd_core as ag
    >>> ag.addcdiv(ag.tensor([1.0, 1.0]), ag.tensor([2.0, 3.0]), ag.tensor([4.0, 5.0]), value=-2)
    Tensor([ 0. , -0.2])
    """
    tensor1, tensor2, value = _current_order("addcdiv", tensor1, tensor2, legacy, value)
    return input + value * tensor1 / tensor2


def _addcmul_(self, tensor1, tensor2, *legacy, value=1):
    """PyTorch's addcmul_: addcmul(self, ...) written into self, which is returned; refused as add_ is while
    recording (write x = x.addcmul(...))."""
    tensor1, tensor2, value = _current_order("addcmul_", tensor1, tensor2, legacy, value)
    return _written_in_place(self, "addcmul", lambda: addcmul(self, tensor1, tensor2, value=value), (tensor1, tensor2))


def _addcdiv_(self, tensor1, tensor2, *legacy, value=1):
    """PyTorch's addcdiv_: addcdiv(self, ...) written into self, which is returned; refused as add_ is while
    recording (write x = x.addcdiv(...))."""
    tensor1, tensor2, value = _current_order("addcdiv_", tensor1, tensor2, legacy, value)
    return _written_in_place(self, "addcdiv", lambda: addcdiv(self, tensor1, tensor2, value=value), (tensor1, tensor2))


_addcmul_.__name__, _addcdiv_.__name__ = "addcmul_", "addcdiv_"
for _method in (addcmul, addcdiv, _addcmul_, _addcdiv_):
    setattr(Tensor, _method.__name__, _method)
del _method
