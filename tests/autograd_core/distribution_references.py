"""What the distribution tests share: NumPy's missing special functions (no SciPy here), the case record, and the
checks of a case's values against its NumPy formulas and against torch."""
import math
from collections import namedtuple

import numpy as np

import autograd_core as ag

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



TORCH_QUANTITIES = ("log_prob", "entropy", "mean", "mode", "variance", "stddev", "cdf", "icdf")


def check_matches_torch(torch, case, skip=(), gradients=True, rtol=1e-9, atol=1e-12):
    """case's distribution has torch's batch and event shapes, quantities (but those in skip, and those either side
    does not define; icdf at 0.3) and sample shapes; with gradients, log_prob(value).sum() has torch's gradient in
    every parameter torch differentiates. Returns the two distributions."""
    params = case.params()
    value = case.values(params)
    ours, theirs = case.ours(*params), case.theirs(torch, *(torch.tensor(p) for p in params))
    assert (ours.batch_shape, ours.event_shape) == (tuple(theirs.batch_shape), tuple(theirs.event_shape))
    for quantity in TORCH_QUANTITIES:
        if quantity in skip:
            continue
        try:
            expected = (theirs.icdf(torch.full(theirs.batch_shape, 0.3, dtype=torch.float64)) if quantity == "icdf"
                        else quantity_of(theirs, quantity, torch.tensor(value)))
            got = (ours.icdf(np.full(ours.batch_shape, 0.3)) if quantity == "icdf"
                   else quantity_of(ours, quantity, value))
        except NotImplementedError:  # (where PyTorch has none, or ours has none)
            continue
        assert got.shape == tuple(expected.shape), (case.name, quantity)
        np.testing.assert_allclose(got.data, expected.detach().numpy(), rtol=rtol, atol=atol,
                                   err_msg=f"{case.name}.{quantity}")
    for sample_shape in [(), (5,), (2, 1)]:
        assert ours.sample(sample_shape).shape == tuple(theirs.sample(sample_shape).shape)
    if not gradients:
        return ours, theirs
    ours_params = [ag.tensor(p, requires_grad=True) for p in params]
    theirs_params = [torch.tensor(p, requires_grad=True) for p in params]
    case.ours(*ours_params).log_prob(value).sum().backward()
    case.theirs(torch, *theirs_params).log_prob(torch.tensor(value)).sum().backward()
    for a, b in zip(ours_params, theirs_params):
        if b.grad is not None:
            np.testing.assert_allclose(a.grad.data, b.grad.numpy(), rtol=1e-8, atol=1e-10, err_msg=case.name)
    return ours, theirs
