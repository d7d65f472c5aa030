"""PyTorch's functions that bring several Tensors to one layout: block_diag (the blocks along a diagonal) and
broadcast_tensors (each Tensor as a view of the shape they broadcast to together).

Compositions of the engine's recorded operations (pad, concatenate, broadcast_to), so gradients, to any order, come
from them.
"""
import numpy as np

from . import ops
from .creation import zeros
from .ops.shape import ShapeError
from .primitive import as_operand


def block_diag(*tensors):
    """PyTorch's block_diag: the Tensors (each 0-, 1- or 2-D; a 0-d one is a 1 x 1 block, a 1-D one a row) along the
    diagonal of one matrix, zeros elsewhere, the dtypes promoted as PyTorch's; no Tensor gives a 1 x 0 matrix, as
    torch.block_diag(). Differentiable in each block.

    >>> import autograd_core as ag
    >>> ag.block_diag(ag.tensor([[1.0, 2.0]]), ag.tensor(3.0))
    Tensor([[1., 2., 0.],
            [0., 0., 3.]])
    """
    blocks = [as_operand(t, "block_diag") for t in tensors]
    for i, block in enumerate(blocks):
        if block.ndim > 2:
            raise ShapeError(f"block_diag: each Tensor must have 0, 1 or 2 dimensions, got shape {block.shape} for "
                             f"Tensor {i}")
    if not blocks:
        return zeros((1, 0))
    blocks = [ops.reshape(b, (1, -1) if b.ndim == 1 else (1, 1)) if b.ndim < 2 else b for b in blocks]
    dtype = np.result_type(*(b.dtype for b in blocks))
    width = sum(b.shape[1] for b in blocks)
    rows, before = [], 0
    for block in blocks:
        after = width - before - block.shape[1]
        rows.append(ops.pad(block if block.dtype == dtype else ops.astype(block, dtype), ((0, 0), (before, after))))
        before += block.shape[1]
    return ops.concatenate(rows, axis=0)


def broadcast_tensors(*tensors):
    """PyTorch's broadcast_tensors: the Tensors broadcast to one shape, each a view (sharing its memory, as
    torch's), in a tuple; gradients flow back summed over the broadcast axes.

    >>> import autograd_core as ag
    >>> a, b = ag.broadcast_tensors(ag.tensor([[1.0], [2.0]]), ag.tensor([10.0, 20.0, 30.0]))
    >>> a.shape, b.shape
    ((2, 3), (2, 3))
    """
    operands = [as_operand(t, "broadcast_tensors") for t in tensors]
    try:
        shape = np.broadcast_shapes(*(t.shape for t in operands))
    except ValueError:
        raise ShapeError(f"broadcast_tensors: the shapes {[t.shape for t in operands]} do not broadcast together "
                         f"(each axis, counted from the end, must have one size or 1)") from None
    return tuple(ops.broadcast_to(t, shape) for t in operands)
