"""The regularised lower incomplete gamma function P(a, x) (PyTorch's torch.special.gammainc), the cdf of a Gamma
(and so of a Chi2): by its power series where x < a + 1 and by the continued fraction of its complement Q = 1 - P
beyond (Lentz's method; Numerical Recipes, section 6.2), in float64, elementwise. Its gradient in x is the Gamma
density x^(a - 1) e^-x / Gamma(a), in the engine's operations (so differentiable again); its gradient in a is not
implemented, as PyTorch's.

>>> import autograd_core as ag
>>> from autograd_core.distributions.incomplete_gamma import gammainc
>>> gammainc(ag.tensor([1.0, 0.5]), ag.tensor([1.0, 2.0]))  # 1 - e^-1; erf(sqrt(2))
Tensor([0.63212056, 0.95449974])
"""

import numpy as np

from ..ops import exp, lgamma, log
from ..ops.special import _in_float64_of
from ..primitive import Primitive

__all__ = ["gammainc"]

_ITERATIONS = 1000  # (the series' terms shrink like x / (a + n), the fraction converges in O(sqrt(a)) steps)
_lgamma = lgamma.forward  # (the NumPy function under ag.lgamma, for the float64 arrays of the iterations)


def _series(a, x):
    """P(a, x) = x^a e^-x / Gamma(a + 1) * sum_n x^n / ((a + 1) ... (a + n)): for x < a + 1."""
    term = np.ones_like(x)
    total = np.ones_like(x)
    for n in range(1, _ITERATIONS):
        term = term * x / (a + n)
        total = total + term
        if np.all(np.abs(term) <= 1e-17 * np.abs(total)):
            break
    return np.exp(a * np.log(x) - x - _lgamma(a + 1)) * total


def _continued_fraction(a, x):
    """Q(a, x) = x^a e^-x / Gamma(a) * 1 / (x + 1 - a - 1 (1 - a) / (x + 3 - a - ...)): for x >= a + 1."""
    tiny = np.finfo(np.float64).tiny / np.finfo(np.float64).eps
    b = x + 1 - a
    c = np.full_like(x, 1 / tiny)
    d = 1 / b
    fraction = d
    for i in range(1, _ITERATIONS):
        step = -i * (i - a)
        b = b + 2
        d = step * d + b
        d = np.where(np.abs(d) < tiny, tiny, d)
        c = b + step / c
        c = np.where(np.abs(c) < tiny, tiny, c)
        d = 1 / d
        fraction = fraction * d * c
        if np.all(np.abs(d * c - 1) <= 1e-16):
            break
    return np.exp(a * np.log(x) - x - _lgamma(a)) * fraction


def _gammainc_float64(a, x):
    result = np.zeros(a.shape)
    valid = a > 0  # (each branch is computed only where it applies)
    near = valid & (x > 0) & (x < a + 1)
    far = valid & (x >= a + 1) & np.isfinite(x)
    result[near] = _series(a[near], x[near])
    result[far] = 1 - _continued_fraction(a[far], x[far])
    result[(x == np.inf) | (a == 0) & (x > 0)] = 1.0  # (P(0, x) is 1 in the limit, as torch.special.gammainc's)
    result[~(a >= 0) | ~(x >= 0)] = np.nan
    return result


def _gammainc(a, x):
    return _in_float64_of(_gammainc_float64, a, x)


def _no_gradient_in_a(g, ans, a, x):
    raise NotImplementedError("gammainc: the derivative in a (the Gamma's concentration) is not implemented, as "
                              "PyTorch's (torch.special.gammainc): Gamma.cdf and Chi2.cdf are differentiable in the "
                              "rate and the value only")


# d/dx P(a, x) = x^(a - 1) e^-x / Gamma(a), the Gamma(a, 1) density
gammainc = Primitive("gammainc", _gammainc,
                     (_no_gradient_in_a, lambda g, ans, a, x: g * exp((a - 1) * log(x) - x - lgamma(a))),
                     reads_values=((), (0, 1)), doc="""The regularised lower incomplete gamma function P(a, x)
    (PyTorch's torch.special.gammainc), elementwise for a >= 0 and x >= 0 (NaN elsewhere); differentiable in x only.

    >>> import autograd_core as ag
    >>> from autograd_core.distributions.incomplete_gamma import gammainc
    >>> x = ag.tensor(2.0, requires_grad=True)
    >>> gammainc(ag.tensor(1.0), x).backward(); x.grad  # the exponential density e^-2
    Tensor(0.13533528)
    """)
