"""Standard Gamma samples that carry a gradient with respect to their concentration, as PyTorch's
torch._standard_gamma: the implicit reparameterisation (Figurnov, Mohamed and Mnih, "Implicit Reparameterization
Gradients", 2018) behind the rsample of Gamma, Beta, Dirichlet and StudentT.

A sample x of Gamma(alpha, 1) is F^-1(u; alpha) for u uniform, F the Gamma CDF. Holding u fixed, F(x(alpha); alpha) = u
gives dx/dalpha = -(dF/dalpha) / (dF/dx), dF/dx being the density. standard_gamma_grad computes it as PyTorch's
standard_gamma_grad_one (ATen/native/Distributions.h), in float64: a Taylor series of the lower incomplete gamma
function for x < 0.8, Rice's saddle-point expansion for alpha > 8, and a bivariate rational approximation in
log(x / alpha) and log(alpha) between them (relative error below 3e-4 for alpha in [0.1, 100]; see
tests/autograd_core/test_distributions_rsample.py). One difference: the small-x series is written with the common
factor x**alpha cancelled, so it stays finite where x**alpha underflows (PyTorch's gives 0 there).

The gradient is differentiable once: the derivative of standard_gamma_grad is not implemented (as PyTorch's), and
differentiating it raises.

>>> import autograd_core as ag
>>> from autograd_core.distributions.reparameterised_gamma import standard_gamma
>>> alpha = ag.tensor([0.5, 2.0, 50.0], requires_grad=True)
>>> x = standard_gamma(alpha, rng=0)
>>> x.sum().backward()
>>> bool((alpha.grad > 0).all())  # a larger concentration moves every sample up
True
"""
import numpy as np

from .._arguments import generator_of
from ..ops import digamma
from ..ops.special import _in_float64_of
from ..primitive import Primitive, as_operand
from ..tensor import Tensor

__all__ = ["floored", "standard_gamma", "standard_gamma_grad"]

# PyTorch's coefficients of the rational approximation: row k multiplies log(x / alpha)**k; in each row the first
# four are the numerator's coefficients of log(alpha)**0..3, the last four the denominator's.
_RATIONAL = np.array([
    [0.16009398, -0.094634809, 0.025146376, -0.0030648343, 1, 0.32668115, 0.10406089, 0.0014179084],
    [0.53487893, 0.1298071, 0.065735949, -0.0015649758, 0.16639465, 0.020070113, -0.0035938915, -0.00058392623],
    [0.040121004, -0.0065914022, -0.0026286047, -0.0013441777, 0.017050642, -0.0021309326, 0.00085092367,
     -1.5247877e-07]])


def _small_x(alpha, x):
    """dx/dalpha for x < 0.8, from six terms of the series gamma(alpha, x) = x**alpha sum (-x)**n / (n! (alpha + n))
    and of its derivative in alpha; x**alpha / Gamma(alpha), common to dF/dalpha and the density, cancelled."""
    term, denominator = np.ones_like(x), alpha
    series, series_alpha = 1 / alpha, 1 / alpha ** 2  # (the second: minus the derivative of the first in alpha)
    for n in range(1, 6):
        term = term * -x / n
        denominator = denominator + 1
        series = series + term / denominator
        series_alpha = series_alpha + term / denominator ** 2
    grad = -x * np.exp(x) * ((np.log(x) - digamma.forward(alpha)) * series - series_alpha)
    return np.where(np.isnan(grad), 0.0, grad)  # (PyTorch's: 0 where it is undefined, x = 0 say)


def _large_alpha(alpha, x):
    """dx/dalpha for alpha > 8: Rice's saddle-point expansion, a polynomial near the mode (x within 10% of alpha)."""
    near = (1 + 24 * alpha * (1 + 12 * alpha)) * (
        1440 * alpha ** 2 + 6 * x * (53 - 120 * x) - 65 * x ** 2 / alpha + alpha * (107 + 3600 * x)) / (
        1244160 * alpha ** 4)
    denominator = np.sqrt(8 * alpha)
    term2 = denominator / (alpha - x)
    term3 = (x - alpha - alpha * np.log(x / alpha)) ** -1.5
    term23 = np.where(x < alpha, term2 - term3, term2 + term3)
    term1 = np.log(x / alpha) * term23 - np.sqrt(2 / alpha) * (alpha + x) / (alpha - x) ** 2
    stirling = 1 + 1 / (12 * alpha) * (1 + 1 / (24 * alpha))
    far = -stirling * x * term1 / denominator
    return np.where((0.9 * alpha <= x) & (x <= 1.1 * alpha), near, far)


def _rational(alpha, x):
    """dx/dalpha elsewhere: exp(p / q), p and q cubic in log(alpha), their coefficients quadratic in log(x / alpha)."""
    u, v = np.log(x / alpha)[..., None], np.log(alpha)
    coefficients = _RATIONAL[0] + u * (_RATIONAL[1] + u * _RATIONAL[2])
    p = coefficients[..., 0] + v * (coefficients[..., 1] + v * (coefficients[..., 2] + v * coefficients[..., 3]))
    q = coefficients[..., 4] + v * (coefficients[..., 5] + v * (coefficients[..., 6] + v * coefficients[..., 7]))
    return np.exp(p / q)


def _standard_gamma_grad_float64(alpha, x):
    # (each branch is computed everywhere, its warnings silenced, and kept only where it applies)
    return np.where(x < 0.8, _small_x(alpha, x), np.where(alpha > 8, _large_alpha(alpha, x), _rational(alpha, x)))


def _standard_gamma_grad(alpha, x):
    return _in_float64_of(_standard_gamma_grad_float64, alpha, x)


def _not_twice_differentiable(g, ans, alpha, x):
    raise RuntimeError("standard_gamma_grad: the derivative of the implicit reparameterisation gradient of a Gamma "
                       "sample is not implemented (as PyTorch's _standard_gamma_grad): the samples of standard_gamma, "
                       "and Gamma, Beta, Dirichlet and StudentT rsample, are differentiable once in their "
                       "concentration (and df); higher derivatives in the rate, loc or scale alone need no such term")


standard_gamma_grad = Primitive(
    "standard_gamma_grad", _standard_gamma_grad, (_not_twice_differentiable, _not_twice_differentiable),
    reads_values=False, doc="""dx/dalpha of a sample x of Gamma(alpha, 1) at fixed CDF value (PyTorch's
    torch._standard_gamma_grad(alpha, x)), elementwise; not differentiable again.

    >>> import autograd_core as ag
    >>> from autograd_core.distributions.reparameterised_gamma import standard_gamma_grad
    >>> standard_gamma_grad(ag.tensor([1.0, 20.0]), ag.tensor([1.0, 20.0]))
    Tensor([1.17362116, 1.00835941])
    """)


def _draw(alpha, rng):
    # (PyTorch's floor: a sample is never 0, where log_prob would be -inf and the gradient undefined)
    dtype = alpha.dtype
    return np.maximum(np.asarray(rng.standard_gamma(alpha), dtype=dtype), np.finfo(dtype).tiny)


# dx/dalpha at the drawn x (ans) as if x were F^-1(u; alpha) for a u held fixed: NumPy draws x otherwise, by
# rejection, but with the same distribution, so the expectations' gradients are the same
_standard_gamma = Primitive("standard_gamma", _draw,
                            (lambda g, ans, alpha, rng: g * standard_gamma_grad.traced(alpha, ans),),
                            reads_values=(("ans", 0),))


def standard_gamma(concentration, rng=None, *, generator=None):
    """A sample of Gamma(concentration, 1) of concentration's shape, from the NumPy Generator rng (the default one,
    which ag.manual_seed seeds, if None; a seed also), differentiable in concentration by implicit
    reparameterisation (PyTorch's torch._standard_gamma). Samples are floored at the dtype's smallest normal number.

    >>> import autograd_core as ag
    >>> from autograd_core.distributions.reparameterised_gamma import standard_gamma
    >>> standard_gamma(ag.full((2,), 3.0), rng=0).shape
    (2,)
    """
    concentration = as_operand(concentration, "standard_gamma")
    if concentration.dtype.kind != "f":  # (an int or bool concentration, which requires no grad: as NumPy's float64)
        concentration = Tensor(concentration.data.astype(np.float64))
    values = concentration.data
    if not np.all(values > 0):
        bad = values[~(values > 0)]
        raise ValueError(f"standard_gamma: the concentration (of shape {values.shape}, {values.dtype}) must be "
                         f"positive, got {bad[:8]}{' ...' if bad.size > 8 else ''}")
    return _standard_gamma(concentration, rng=generator_of(rng, generator, "standard_gamma"))


def floored(sample, below_one=False):
    """sample with its values below the dtype's smallest normal number raised to it, the gradient passing as it is
    (PyTorch's clamp of a detached alias): a Gamma sample divided by a large rate, or normalised, never reaches 0,
    where log_prob would be -inf. below_one: values above the largest number below 1 are lowered to it too (a
    Dirichlet's coordinates, as PyTorch's _sample_dirichlet: a Beta sample is never 1 either).

    >>> import autograd_core as ag
    >>> from autograd_core.distributions.reparameterised_gamma import floored
    >>> x = ag.tensor([0.0, 2.0], requires_grad=True)
    >>> y = floored(x)
    >>> y.backward(ag.ones(2)); bool(y[0] > 0), x.grad
    (True, Tensor([1., 1.]))
    >>> float(floored(ag.tensor([1.0]), below_one=True)[0]) == 1 - 2.0 ** -53
    True
    """
    tiny = np.finfo(sample.dtype).tiny
    highest = np.nextafter(sample.dtype.type(1), sample.dtype.type(0)) if below_one else np.inf
    outside = sample.data < tiny
    if below_one:  # (a Gamma draw has no upper bound: one pass over the sample, not two)
        outside |= sample.data > highest
    if not outside.any():
        return sample
    return sample + Tensor(np.clip(sample.data, tiny, highest) - sample.data)
