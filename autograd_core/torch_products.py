"""PyTorch's scaled matrix products for code ported from it: mv, addmm, addmv, baddbmm, addbmm and addr (mm and bmm
are in torch_functions.py, with the checked product they all share: PyTorch's strict shapes and one dtype, no
broadcasting), and the older names ger (outer) and chain_matmul (linalg.multi_dot). Compositions of the engine's
recorded operations, so gradients, to any order, come from them; t.mv, t.ger, t.addmm, t.addmv, t.addbmm, t.baddbmm
and t.addr are set on Tensor, and the in-place t.addmm_, t.addmv_, t.addbmm_, t.baddbmm_ and t.addr_ (the result
written into t).
"""
import warnings

import numpy as np

from . import ops
from ._arguments import InvalidArgumentError, broadcasts_to
from .primitive import as_operand
from .tensor import Tensor, as_value
from .torch_functions import _product


def addmm(input, mat1, mat2, *, beta=1, alpha=1):  # noqa: A002
    """PyTorch's addmm: beta * input + alpha * (mat1 @ mat2), mat1 and mat2 matrices (as ag.mm), input broadcast to
    the product's shape. With beta=0 input is ignored (its NaN and inf too), as in PyTorch; alpha=0 likewise ignores
    the product.

    >>> import autograd_core as ag
    >>> ag.addmm(ag.ones(2), ag.ones((3, 4)), ag.ones((4, 2)), beta=0.5)
    Tensor([[4.5, 4.5],
            [4.5, 4.5],
            [4.5, 4.5]])
    """
    product = _product("addmm", mat1, mat2, (2, 2), "mat1 and mat2 matrices (2-D)", "input is added to their product",
                       "mat1's columns must equal mat2's rows")
    return _scaled_sum("addmm", input, product, beta, alpha)


def baddbmm(input, batch1, batch2, *, beta=1, alpha=1):  # noqa: A002
    """PyTorch's baddbmm: beta * input + alpha * bmm(batch1, batch2), batches of matrices (b, n, m) and (b, m, p)
    (as ag.bmm), input broadcast to (b, n, p). With beta=0 input is ignored (its NaN and inf too: HF's GPT-2 passes
    torch.empty), as in PyTorch; alpha=0 likewise ignores the product.

    >>> import autograd_core as ag
    >>> ag.baddbmm(ag.empty((2, 1, 1)), ag.ones((2, 1, 3)), ag.ones((2, 3, 1)), beta=0, alpha=0.5)
    Tensor([[[1.5]],
    <BLANKLINE>
            [[1.5]]])
    """
    product = _product("baddbmm", batch1, batch2, (3, 3), "batch1 and batch2 batches of matrices (3-D)",
                       "input is added to their products", "the same batch size, and batch2's rows equal to "
                       "batch1's columns")
    return _scaled_sum("baddbmm", input, product, beta, alpha)


def addmv(input, mat, vec, *, beta=1, alpha=1):  # noqa: A002
    """PyTorch's addmv: beta * input + alpha * mv(mat, vec), a matrix (n, m) and a vector (m,) (as ag.mv), input
    broadcast to (n,). With beta=0 input is ignored (its NaN and inf too), as in PyTorch.

    >>> import autograd_core as ag
    >>> ag.addmv(ag.ones(2), ag.tensor([[1.0, 2.0], [3.0, 4.0]]), ag.tensor([1.0, -1.0]), beta=0.5)
    Tensor([-0.5, -0.5])
    """
    product = _product("addmv", mat, vec, (2, 1), "a matrix (2-D) and a vector (1-D)", "input is added to their "
                       "product", "the vector's length must equal the matrix's columns")
    return _scaled_sum("addmv", input, product, beta, alpha)


def addr(input, vec1, vec2, *, beta=1, alpha=1):  # noqa: A002
    """PyTorch's addr: beta * input + alpha * ger(vec1, vec2), two vectors (n,) and (m,) (as ag.ger), input
    broadcast to (n, m). With beta=0 input is ignored (its NaN and inf too), as in PyTorch.

    >>> import autograd_core as ag
    >>> ag.addr(ag.ones((2, 2)), ag.tensor([1.0, 2.0]), ag.tensor([1.0, -1.0]), alpha=2)
    Tensor([[ 3., -1.],
            [ 5., -3.]])
    """
    a, b = as_operand(vec1, "addr"), as_operand(vec2, "addr")
    if (a.ndim, b.ndim) != (1, 1):
        raise InvalidArgumentError(f"addr: vec1 and vec2 must be vectors (1-D), got shapes {a.shape} and {b.shape}")
    return _scaled_sum("addr", input, ops.outer(a, b), beta, alpha)


def addbmm(input, batch1, batch2, *, beta=1, alpha=1):  # noqa: A002
    """PyTorch's addbmm: beta * input + alpha * the sum over the batch of bmm(batch1, batch2), batches (b, n, m) and
    (b, m, p) (as ag.bmm), input broadcast to (n, p). With beta=0 input is ignored (its NaN and inf too).

    >>> import autograd_core as ag
    >>> ag.addbmm(ag.zeros((1, 1)), ag.ones((3, 1, 2)), ag.ones((3, 2, 1)))
    Tensor([[6.]])
    """
    product = _product("addbmm", batch1, batch2, (3, 3), "batch1 and batch2 batches of matrices (3-D)",
                       "input is added to the sum of their products", "the same batch size, and batch2's rows equal "
                       "to batch1's columns")
    return _scaled_sum("addbmm", input, ops.sum(product, axis=0), beta, alpha)


def _scaled_sum(owner, input, product, beta, alpha):  # noqa: A002
    """beta * input + alpha * product for addmm, addmv, baddbmm, addbmm and addr, input broadcast to the product's
    shape."""
    if not broadcasts_to(np.shape(as_value(input)), product.shape):
        raise ValueError(f"{owner}: input of shape {np.shape(as_value(input))} does not broadcast to the product's "
                         f"shape {product.shape}")
    # (as PyTorch's, a term whose factor is 0 is left out, so NaN and inf in it do not spread: 0 * inf is NaN; it
    # stays in the graph with gradient 0)
    product = product if alpha == 1 else ops.where(False, product, 0) if alpha == 0 else alpha * product
    if beta == 0:
        return product + (ops.where(False, input, 0) if isinstance(input, (Tensor, np.ndarray)) else 0)
    return product + (input if beta == 1 else beta * input)


def mv(input, vec):  # noqa: A002
    """PyTorch's mv: the product of a matrix (n, m) and a vector (m,), a vector (n,); of one dtype, no broadcasting,
    as torch's (d2l's get_similar_tokens: torch.mv(W, x), the dot products of each embedding with one).

    >>> import autograd_core as ag
    >>> ag.mv(ag.tensor([[1.0, 2.0], [3.0, 4.0]]), ag.tensor([1.0, -1.0]))
    Tensor([-1., -1.])
    """
    return _product("mv", input, vec, (2, 1), "a matrix (2-D) and a vector (1-D)", "use mm for two matrices, matmul "
                    "(@) to broadcast", "the vector's length must equal the matrix's columns")


def ger(input, vec2):  # noqa: A002
    """PyTorch's ger, its older name for outer, which older ports still call (pytorch-ntm's memory write,
    torch.ger(w[b], e[b])): the outer product of two vectors (n,) and (m,), a matrix (n, m), dtypes promoted as
    NumPy's. Operands of other dimensions are refused, as torch's; ag.outer is NumPy's, which flattens them.

    >>> import autograd_core as ag
    >>> ag.ger(ag.tensor([1.0, 2.0]), ag.tensor([3.0, 0.5, -1.0]))
    Tensor([[ 3. ,  0.5, -1. ],
            [ 6. ,  1. , -2. ]])
    """
    a, b = as_operand(input, "ger"), as_operand(vec2, "ger")
    if (a.ndim, b.ndim) != (1, 1):
        raise ValueError(f"ger: expects two vectors (1-D), got shapes {a.shape} and {b.shape}; ag.outer flattens "
                         f"n-D operands, as NumPy's")
    return ops.outer(a, b)


def chain_matmul(*matrices):
    """PyTorch's deprecated chain_matmul: the product of the matrices (each 2-D), in the order of fewest scalar
    products (ag.linalg.multi_dot's); one matrix gives a copy of it (torch's clone). Warns once, as torch's, naming
    ag.linalg.multi_dot, which takes a list.

    >>> import autograd_core as ag, warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     ag.chain_matmul(ag.ones((2, 3)), ag.ones((3, 4)), ag.ones((4, 1)))
    Tensor([[12.],
            [12.]])
    """
    warnings.warn("chain_matmul is deprecated and will be removed in a future release, as torch.chain_matmul; use "
                  "ag.linalg.multi_dot, which accepts a list of two or more Tensors rather than multiple arguments",
                  UserWarning, stacklevel=2)
    operands = [as_operand(m, "chain_matmul") for m in matrices]
    if not operands:
        raise InvalidArgumentError("chain_matmul: expected one or more matrices, got none")
    if any(m.ndim != 2 for m in operands):
        shapes = [m.shape for m in operands]
        raise InvalidArgumentError(f"chain_matmul: each Tensor must be a matrix (2-D), got shapes {shapes}")
    if len(operands) == 1:
        return ops.copy(operands[0])
    return ops.linalg.multi_dot(operands)


Tensor.mv = mv
Tensor.ger = ger
Tensor.addr = addr
Tensor.addmm = addmm
Tensor.addmv = addmv
Tensor.addbmm = addbmm
Tensor.baddbmm = baddbmm


def _written_into_self(function):
    """t.<function>_(*operands, beta=1, alpha=1): function(t, *operands, beta=beta, alpha=alpha) written into t, which
    is returned, as PyTorch's in-place products (recorded as add_'s; refused where t's shape or dtype would change)."""
    def in_place(self, *operands, beta=1, alpha=1):
        from .torch_in_place import _written_in_place  # (torch_in_place imports torch_names, which needs this module)
        return _written_in_place(self, function.__name__,
                                 lambda: function(self, *operands, beta=beta, alpha=alpha))
    in_place.__name__ = in_place.__qualname__ = f"{function.__name__}_"
    in_place.__doc__ = (f"PyTorch's {function.__name__}_: ag.{function.__name__}(self, ...) written into self, which "
                        f"is returned.")
    return in_place


for _function in (addmm, addmv, addbmm, baddbmm, addr):
    setattr(Tensor, f"{_function.__name__}_", _written_into_self(_function))
del _function
