"""PyTorch's pairwise distances between two sets of points: torch.cdist.

A composition of the engine's recorded operations (the differences, then linalg.vector_norm along the last axis), so
gradients of every order are the engine's; at two equal points the gradient is 0, as torch.cdist's (vector_norm's
subgradient at a zero vector), which keeps an RBF kernel's K(X, X) differentiable on its diagonal.
"""
import math
import numbers

import numpy as np

from .ops import linalg
from .primitive import as_operand

_COMPUTE_MODES = ("use_mm_for_euclid_dist_if_necessary", "use_mm_for_euclid_dist", "donot_use_mm_for_euclid_dist")


def cdist(x1, x2, p=2.0, compute_mode="use_mm_for_euclid_dist_if_necessary"):
    """The p-norm distance between each row of x1 (..., P, M) and each row of x2 (..., R, M): shape (..., P, R), the
    leading (batch) axes broadcast, as torch.cdist. p >= 0 (0 counts the coordinates that differ, inf takes the
    largest difference). compute_mode is taken and changes nothing: the differences are always formed directly (more
    exact than PyTorch's matrix-product shortcut for the Euclidean distance).

    >>> import autograd_core as ag
    >>> ag.cdist(ag.tensor([[0.0, 0.0], [1.0, 1.0]]), ag.tensor([[3.0, 4.0]]))
    Tensor([[5.        ],
            [3.60555128]])
    >>> ag.cdist(ag.tensor([[0.0, 0.0], [1.0, 1.0]]), ag.tensor([[3.0, 4.0]]), p=1)
    Tensor([[7.],
            [5.]])
    """
    x1, x2 = as_operand(x1, "cdist"), as_operand(x2, "cdist")
    for name, x in (("x1", x1), ("x2", x2)):
        if x.ndim < 2:
            raise ValueError(f"cdist: {name} must have at least 2 dimensions (..., points, coordinates), got shape "
                             f"{x.shape}")
        if not np.issubdtype(x.dtype, np.floating):
            raise TypeError(f"cdist: {name} must be a floating-point Tensor, got dtype {x.dtype} (cast with "
                            f".double() or .float())")
    if x1.shape[-1] != x2.shape[-1]:
        raise ValueError(f"cdist: x1 and x2 must have the same number of coordinates (last axis), got shapes "
                         f"{x1.shape} and {x2.shape}")
    if isinstance(p, bool) or not isinstance(p, numbers.Real) or not p >= 0:  # (NaN too)
        raise ValueError(f"cdist: p must be a number >= 0 (inf: the largest difference), got {p!r}")
    if compute_mode not in _COMPUTE_MODES:
        raise ValueError(f"cdist: compute_mode must be one of {', '.join(map(repr, _COMPUTE_MODES))}, got "
                         f"{compute_mode!r}")
    differences = x1[..., :, None, :] - x2[..., None, :, :]
    return linalg.vector_norm(differences, ord=math.inf if p == math.inf else float(p), axis=-1)
