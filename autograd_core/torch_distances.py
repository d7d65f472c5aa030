"""PyTorch's torch.cdist: the p-norm distance between each row of one batch of row vectors and each row of another;
torch.pdist, those between the rows of one matrix, each pair once; and torch.dist, the p-norm of the difference of
two Tensors.

A composition of recorded operations (the rows' differences broadcast against each other, then
linalg.vector_norm over the last axis), so its gradients and second derivatives are the engine's; at two equal rows
the gradient is 0, as PyTorch's (vector_norm's at a zero vector).
"""
import math

import numpy as np

from .ops import linalg
from .primitive import as_operand
from .tensor import Tensor

_COMPUTE_MODES = (None, "use_mm_for_euclid_dist_if_necessary", "use_mm_for_euclid_dist", "donot_use_mm_for_euclid_dist")


def cdist(x1, x2, p=2.0, compute_mode="use_mm_for_euclid_dist_if_necessary"):
    """The p-norm distances between the rows of x1 (..., P, M) and those of x2 (..., R, M): shape (..., P, R), the
    leading axes broadcast, as torch.cdist. p >= 0 (0 counts the entries that differ, inf takes the largest
    difference). compute_mode is checked and changes nothing: the differences are always taken directly (PyTorch's
    matrix-product shortcut for p=2 trades accuracy for speed).

    >>> import autograd_core as ag
    >>> ag.cdist(ag.tensor([[0.0, 0.0], [1.0, 1.0]]), ag.tensor([[3.0, 4.0], [1.0, 1.0], [0.0, 1.0]]))
    Tensor([[5.        , 1.41421356, 1.        ],
            [3.60555128, 0.        , 1.        ]])
    """
    x1, x2 = as_operand(x1, "cdist"), as_operand(x2, "cdist")
    for name, x in (("x1", x1), ("x2", x2)):
        if x.ndim < 2 or not np.issubdtype(x.dtype, np.floating):
            raise TypeError(f"cdist: {name} must be a floating-point Tensor of at least 2 dimensions (..., rows, "
                            f"features), got shape {x.shape} and dtype {x.dtype}")
    if x1.shape[-1] != x2.shape[-1]:
        raise ValueError(f"cdist: x1 {x1.shape} and x2 {x2.shape} must have the same number of features (last axis)")
    try:
        np.broadcast_shapes(x1.shape[:-2], x2.shape[:-2])
    except ValueError:
        raise ValueError(f"cdist: the batch axes of x1 {x1.shape} and x2 {x2.shape} (all but the last two) must "
                         f"broadcast") from None
    if isinstance(p, bool) or not isinstance(p, (int, float, np.integer, np.floating)) or not p >= 0:
        raise ValueError(f"cdist: p must be a number >= 0 (0, 1, 2, any p, or inf), got {p!r}")
    if compute_mode not in _COMPUTE_MODES:
        raise ValueError(f"cdist: compute_mode must be one of {', '.join(map(repr, _COMPUTE_MODES))}, got "
                         f"{compute_mode!r}")
    differences = x1[..., :, None, :] - x2[..., None, :, :]
    return linalg.vector_norm(differences, ord=math.inf if p == math.inf else float(p), axis=-1)


def pdist(input, p=2):  # noqa: A002 (PyTorch's names)
    """The p-norm distances between the rows of input (N, M), each pair i < j once in row-major order (the upper
    triangle of cdist's matrix, flattened): N (N - 1) / 2 values, as torch.pdist and torch.nn.functional.pdist.
    p >= 0 (0 counts the entries that differ, inf takes the largest difference). At two equal rows the gradient is
    0, as PyTorch's.

    >>> import autograd_core as ag
    >>> ag.pdist(ag.tensor([[0.0, 0.0], [3.0, 4.0], [0.0, 1.0]]))
    Tensor([5.        , 1.        , 4.24264069])
    """
    x = as_operand(input, "pdist")
    if x.ndim != 2:
        raise ValueError(f"pdist: expected a 2-D input (N, M), rows whose distances are taken, got shape {x.shape}")
    if not np.issubdtype(x.dtype, np.floating):
        raise TypeError(f"pdist: expected an input of a float dtype, got {x.dtype}; write t.float() or t.double()")
    _check_p("pdist", p)
    first, second = np.triu_indices(x.shape[0], 1)
    return linalg.vector_norm(x[first] - x[second], ord=math.inf if p == math.inf else float(p), axis=-1)


def _check_p(owner, p):
    """p checked to be a number >= 0 (inf too), as cdist's and pdist's."""
    if isinstance(p, bool) or not isinstance(p, (int, float, np.integer, np.floating)):
        raise TypeError(f"{owner}: p must be a number >= 0 (0, 1, 2, any p, or inf), got {p!r}")
    if not p >= 0:  # (NaN too)
        raise ValueError(f"{owner}: p must be a number >= 0 (0, 1, 2, any p, or inf), got {p!r}")


def dist(input, other, p=2):  # noqa: A002 (PyTorch's names)
    """The p-norm of input - other (broadcast) over all entries, as torch.dist (also t.dist(other, p)): p >= 0, inf,
    or -inf; at equal Tensors the gradient is 0 (p >= 1), as PyTorch's.

    >>> import autograd_core as ag
    >>> ag.dist(ag.tensor([3.0, 4.0]), ag.tensor([0.0, 0.0]))
    Tensor(5.)
    """
    input, other = as_operand(input, "dist"), as_operand(other, "dist")
    try:
        np.broadcast_shapes(input.shape, other.shape)
    except ValueError:
        raise ValueError(f"dist: the shapes of input {input.shape} and other {other.shape} must broadcast") from None
    if isinstance(p, bool) or not isinstance(p, (int, float, np.integer, np.floating)) or np.isnan(p) or p < 0 and \
            p != -math.inf:
        raise ValueError(f"dist: p must be a number >= 0, inf or -inf, got {p!r}")
    return linalg.vector_norm(input - other, ord=float(p))


Tensor.dist = dist
