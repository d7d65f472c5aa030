"""PyTorch's functions that bring several Tensors to one layout: block_diag (the blocks along a diagonal),
broadcast_tensors (each Tensor as a view of the shape they broadcast to together), cartesian_prod and combinations
(the rows of itertools.product and itertools.combinations of 1-D Tensors' entries).

Compositions of the engine's recorded operations (pad, concatenate, broadcast_to), so gradients, to any order, come
from them.
"""
import itertools
import operator

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


def broadcast_shapes(*shapes):
    """The shape that shapes (tuples, or ints for 1-D shapes) broadcast to, as torch.broadcast_shapes and
    np.broadcast_shapes: a tuple of ints (no Tensor is made).

    >>> import autograd_core as ag
    >>> ag.broadcast_shapes((2, 1), (3,), 1)
    (2, 3)
    """
    try:
        return np.broadcast_shapes(*shapes)
    except ValueError as err:
        raise ShapeError(f"broadcast_shapes: the shapes {list(shapes)} do not broadcast together ({err}; each axis, "
                         f"counted from the end, must have one size or 1, and no size be negative)") from None
    except TypeError:
        raise TypeError(f"broadcast_shapes: each shape must be a tuple of ints or an int, got {list(shapes)}") from None


def _vector(owner, t):
    t = as_operand(t, owner)
    if t.ndim != 1:
        raise ShapeError(f"{owner}: expects 1-D Tensors, got shape {t.shape}")
    return t


def cartesian_prod(*tensors):
    """PyTorch's cartesian_prod: one row per choice of an entry from each 1-D Tensor, in itertools.product's order
    (the last Tensor's entry varying fastest); one Tensor alone is returned as it is. Differentiable in each.

    >>> import autograd_core as ag
    >>> ag.cartesian_prod(ag.tensor([1, 2]), ag.tensor([3, 4])).tolist()
    [[1, 3], [1, 4], [2, 3], [2, 4]]
    """
    vectors = [_vector("cartesian_prod", t) for t in tensors]
    if not vectors:
        raise ShapeError("cartesian_prod: needs at least one 1-D Tensor")
    if len(vectors) == 1:
        return vectors[0]
    return ops.stack([ops.reshape(grid, (-1,)) for grid in ops.meshgrid(*vectors, indexing="ij")], axis=1)


def combinations(input, r=2, with_replacement=False):  # noqa: A002 (PyTorch's name)
    """PyTorch's combinations: the r-entry combinations of a 1-D Tensor's entries, one per row, in
    itertools.combinations' order (combinations_with_replacement's with with_replacement=True); r=0 gives an empty
    1-D Tensor, and r longer than the input (without replacement) no rows. Differentiable: each entry's gradient
    sums those of its copies.

    >>> import autograd_core as ag
    >>> ag.combinations(ag.tensor([1, 2, 3])).tolist()
    [[1, 2], [1, 3], [2, 3]]
    """
    x = _vector("combinations", input)
    if isinstance(r, (bool, np.bool_)):
        raise TypeError(f"combinations: r must be an int, got {r!r}")
    r = operator.index(r)
    if r < 0:
        raise ShapeError(f"combinations: r must be >= 0 (the entries in each combination), got {r}")
    if r == 0:
        return x[:0]
    choose = itertools.combinations_with_replacement if with_replacement else itertools.combinations
    index = np.fromiter(itertools.chain.from_iterable(choose(range(x.shape[0]), r)), dtype=np.int64)
    return x[index.reshape(-1, r)]
