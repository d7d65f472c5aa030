"""PyTorch's module path torch.nn.parameter, for code that imports from it (`from torch.nn.parameter import
Parameter`, as dlrm's QREmbeddingBag does, or `isinstance(w, torch.nn.parameter.Parameter)`, as DeepCTR-Torch's
add_regularization_weight does): the same classes and function as nn's own, not copies.

>>> import nn
>>> from nn.parameter import Parameter
>>> Parameter is nn.Parameter, isinstance(nn.Linear(2, 3).weight, nn.parameter.Parameter)
(True, True)
"""
from ._uninitialized import UninitializedBuffer, UninitializedParameter, UninitializedTensorMixin, is_lazy
from .module import Buffer, Parameter

__all__ = ["Parameter", "Buffer", "UninitializedParameter", "UninitializedBuffer", "UninitializedTensorMixin",
           "is_lazy"]
