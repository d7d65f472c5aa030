"""What the distribution tests share: NumPy's missing special functions (no SciPy here), the case record, and the
check of a case's values against its NumPy formulas."""
import math
from collections import namedtuple

import numpy as np

lgamma = np.vectorize(math.lgamma)
erf = np.vectorize(math.erf)


def digamma(x):
    """digamma by a central difference of lgamma (accurate to ~1e-9 here)."""
    h = 1e-5
    return (lgamma(x + h) - lgamma(x - h)) / (2 * h)


# ours(*params) and theirs(torch, *params) build the distribution from ndarrays; params() draws parameters;
# values(params) draws points of the support; reference maps a quantity to its NumPy formula of (params, value) or
# (params); rsample: whether PyTorch's has rsample and ours is meant to match it.
Case = namedtuple("Case", "name ours theirs params values reference rsample", defaults=(True,))

POINTWISE = ("log_prob", "cdf")  # the quantities that take a value


def quantity_of(dist, quantity, value=None):
    """dist's log_prob(value) or cdf(value), entropy(), or the property named quantity."""
    if quantity in POINTWISE:
        return getattr(dist, quantity)(value)
    return dist.entropy() if quantity == "entropy" else getattr(dist, quantity)


def check_numpy_formulas(case):
    """Each quantity of case's reference equals its NumPy formula, broadcast to the result's shape."""
    params = case.params()
    value = case.values(params)
    dist = case.ours(*params)
    for quantity, formula in case.reference.items():
        args = (params, value) if quantity in POINTWISE else (params,)
        got = quantity_of(dist, quantity, value)
        np.testing.assert_allclose(got.data, np.broadcast_to(formula(*args), got.shape), rtol=1e-7, atol=1e-9,
                                   err_msg=f"{case.name}.{quantity}")
