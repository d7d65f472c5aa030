"""PyTorch's addcmul and addcdiv, input + value * t1 * t2 and input + value * t1 / t2, as functions, methods and the
in-place t.addcmul_/t.addcdiv_ that optimizers written against torch.optim use (Adam's second moment,
`exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)`; its step, `p.addcdiv_(exp_avg, denom, value=-lr)`).

Compositions of recorded operations in PyTorch's order, (value * t1) * t2 then the sum, so the values round as
torch's scalar kernels do (its vectorised ones may fuse the last multiply-add: one rounding apart) and the gradients
(of every order) are the engine's. The in-place forms also take PyTorch's
deprecated order addcmul_(value, t1, t2), with its warning (LAMB's and older optimizers' code).
"""
import numbers

from .tensor import Tensor
from .torch_in_place import _written_in_place, deprecated_scalar_first


def _scaled(value, t1):
    """value * t1, value kept out when it is 1 (so an integer t1 stays integer, as PyTorch's)."""
    return t1 if isinstance(value, numbers.Number) and value == 1 else value * t1


def addcmul(input, tensor1, tensor2, *, value=1):  # noqa: A002 (PyTorch's names)
    """PyTorch's addcmul: input + value * tensor1 * tensor2, the three broadcast together.

    >>> import autograd_core as ag
    >>> ag.addcmul(ag.ones(2), ag.tensor([1.0, 2.0]), ag.tensor([3.0, 4.0]), value=0.5)
    Tensor([2.5, 5. ])
    """
    return input + _scaled(value, tensor1) * tensor2


def addcdiv(input, tensor1, tensor2, *, value=1):  # noqa: A002
    """PyTorch's addcdiv: input + value * tensor1 / tensor2, the three broadcast together.

    >>> import autograd_core as ag
    >>> ag.addcdiv(ag.ones(2), ag.tensor([1.0, 2.0]), ag.tensor([4.0, 8.0]), value=2)
    Tensor([1.5, 1.5])
    """
    return input + _scaled(value, tensor1) / tensor2


def _addcmul_(self, *args, value=1):
    """PyTorch's addcmul_: self + value * tensor1 * tensor2 written into self, which is returned; recorded as add_'s
    (a recorded result takes the record of the out-of-place form); refused where the operands would change self's
    shape or dtype.

    >>> import autograd_core as ag
    >>> ag.zeros(2).addcmul_(ag.tensor([1.0, 2.0]), ag.tensor([1.0, 2.0]), value=0.5)
    Tensor([0.5, 2. ])
    """
    (tensor1, tensor2), value = (args, value) if len(args) == 2 else deprecated_scalar_first(
        "addcmul_", "tensor1, tensor2", "value", args, value)
    return _written_in_place(self, "addcmul", lambda: addcmul(self, tensor1, tensor2, value=value))


def _addcdiv_(self, *args, value=1):
    """PyTorch's addcdiv_: self + value * tensor1 / tensor2 written into self, which is returned; recorded as add_'s
    (a recorded result takes the record of the out-of-place form); refused where the operands would change self's
    shape or dtype.

    >>> import autograd_core as ag
    >>> ag.ones(2).addcdiv_(ag.tensor([1.0, 2.0]), ag.tensor([2.0, 2.0]), value=-1)
    Tensor([0.5, 0. ])
    """
    (tensor1, tensor2), value = (args, value) if len(args) == 2 else deprecated_scalar_first(
        "addcdiv_", "tensor1, tensor2", "value", args, value)
    return _written_in_place(self, "addcdiv", lambda: addcdiv(self, tensor1, tensor2, value=value))


for _name, _method in (("addcmul", addcmul), ("addcdiv", addcdiv), ("addcmul_", _addcmul_),
                       ("addcdiv_", _addcdiv_)):
    if _name.endswith("_"):
        _method.__name__, _method.__qualname__ = _name, f"Tensor.{_name}"
    setattr(Tensor, _name, _method)
del _name, _method
