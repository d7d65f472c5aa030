"""Loss primitives: elementwise losses whose gradients need a rule of their own near the edges.

binary_cross_entropy is a primitive, not a composition of log, so that its gradient is PyTorch's
at p = 0 and p = 1 (finite, from a clamped denominator) instead of the derivative of the clamped
logarithms (0 where the clamp acts, inf in float32 for subnormal p).
"""
import numpy as np

from ..primitive import Primitive

_LOG_FLOOR = -100.0  # PyTorch clamps both logarithms at -100, so the loss is at most 100
_EPS = float(np.float32(1e-12))  # PyTorch's floor for p (1 - p) in the input gradient: a float32 1e-12


def _binary_cross_entropy(p, y):
    # min(0, p) >= 0 and max(1, p) <= 1 hold for every p in [0, 1] (an empty p too), never for NaN.
    if not (np.min(p, initial=0.0) >= 0 and np.max(p, initial=1.0) <= 1):
        raise ValueError(f"input probabilities must lie in [0, 1], got values in [{np.min(p)}, {np.max(p)}]")
    with np.errstate(divide="ignore"):  # log(0) = -inf, then clamped
        return -(y * np.maximum(np.log(p), _LOG_FLOOR) + (1 - y) * np.maximum(np.log1p(-p), _LOG_FLOOR))


def _target_vjp(g, ans, p, y):
    # PyTorch's rule: -logit(p) = log(1 - p) - log(p), not clamped (+inf at p = 0, -inf at p = 1).
    with np.errstate(divide="ignore"):
        return g * (np.log1p(-p) - np.log(p))


# d/dp = (p - y) / (p (1 - p)), its denominator floored at 1e-12 as in PyTorch: finite at p = 0 and 1,
# and not the derivative of the clamped logarithms there (that would be 0, or inf in float32).
_binary_cross_entropy_primitive = Primitive(
    "binary_cross_entropy", _binary_cross_entropy,
    (lambda g, ans, p, y: g * (p - y) / np.maximum(p * (1 - p), _EPS), _target_vjp),
    "input and target must have NumPy-broadcastable shapes, with input probabilities in [0, 1]",
)


def binary_cross_entropy(input, target):
    """-(y log p + (1 - y) log(1 - p)) elementwise (no reduction), for probabilities p = input and
    targets y, each logarithm clamped at -100 as in PyTorch. The gradient in p is
    (p - y) / max(p (1 - p), 1e-12), finite at p = 0 and p = 1; the gradient in y is log(1 - p) - log(p).

    >>> import autograd_core as ag
    >>> p = ag.tensor([0.5, 0.0], requires_grad=True)
    >>> loss = ag.binary_cross_entropy(p, [1.0, 1.0])
    >>> loss.data.round(4)
    array([  0.6931, 100.    ])
    >>> loss.sum().backward()
    >>> p.grad
    Tensor([-2.e+00, -1.e+12])
    """
    return _binary_cross_entropy_primitive(input, target)
