"""The KL divergences PyTorch registers between different families, and those of Gumbel, Pareto and
ContinuousBernoulli: closed forms (PyTorch's kl.py's), and inf where q gives no density where p has mass (a
distribution on the reals against one on the positive numbers, say). Importing this module registers them; the
same-family pairs of the first families are in kl.py.

>>> from autograd_core.distributions import Gumbel, Normal, kl_divergence
>>> kl_divergence(Gumbel(0.0, 1.0), Gumbel(0.0, 1.0)), kl_divergence(Normal(0.0, 1.0), Gumbel(0.0, 1.0)).item() > 0
(Tensor(0.), True)
"""
import math

import numpy as np

from ..ops import digamma, erf, exp, lgamma, log, log1p
from ..tensor import Tensor
from .continuous import Beta, Exponential, Gamma, Laplace, Normal, Uniform
from .continuous_bernoulli import ContinuousBernoulli
from .counts import Binomial
from .discrete import Bernoulli, Poisson
from .distribution import where_above, xlogy
from .kl import _infinite_where, register_kl
from .transformed_families import EULER_GAMMA, Gumbel, Pareto

__all__ = []


def _x_log_x(x):
    return xlogy(x, x)  # (0 at 0, where PyTorch's x * log(x) gives NaN: Uniform(0, 1) against a Beta)


def _uniform_mean_log(low, high):
    """E[log x] for x uniform on [low, high], low >= 0: (high log high - low log low) / (high - low) - 1."""
    return (_x_log_x(high) - _x_log_x(low)) / (high - low) - 1


def _normal_cross(p_mean, p_second_moment, q):
    """E_p[-log q(x)] for q Normal, from p's mean and E_p[x^2]."""
    return (0.5 * log(2 * math.pi * q.scale ** 2)
            + (0.5 * p_second_moment - q.loc * p_mean + 0.5 * q.loc ** 2) / q.scale ** 2)


def _exponential_cross(p_mean, q):
    """E_p[-log q(x)] for q Exponential, from p's mean."""
    return -log(q.rate) + q.rate * p_mean


def _gamma_cross(p_mean, p_mean_log, q):
    """E_p[-log q(x)] for q Gamma, from p's mean and E_p[log x]."""
    return (lgamma(q.concentration) - q.concentration * log(q.rate) - (q.concentration - 1) * p_mean_log
            + q.rate * p_mean)


def _infinite(p, q):
    """inf over p's and q's batch: q has no density on part of p's support."""
    shape = np.broadcast_shapes(p.batch_shape, q.batch_shape)
    return Tensor(np.full(shape, np.inf, dtype=np.result_type(p._dtype, q._dtype)))


for _p, _q in [(Beta, Pareto), (ContinuousBernoulli, Pareto), (Exponential, ContinuousBernoulli),
               (Exponential, Pareto), (Gamma, ContinuousBernoulli), (Gamma, Pareto), (Gumbel, Beta),
               (Gumbel, ContinuousBernoulli), (Gumbel, Exponential), (Gumbel, Gamma), (Gumbel, Pareto),
               (Gumbel, Uniform), (Laplace, ContinuousBernoulli), (Laplace, Pareto), (Normal, ContinuousBernoulli),
               (Normal, Pareto), (Pareto, Beta), (Pareto, ContinuousBernoulli), (Pareto, Uniform),
               # (the first families among themselves)
               (Exponential, Beta), (Exponential, Uniform), (Gamma, Beta), (Gamma, Uniform), (Laplace, Beta),
               (Laplace, Exponential), (Laplace, Gamma), (Laplace, Uniform), (Normal, Beta), (Normal, Exponential),
               (Normal, Gamma), (Normal, Uniform), (Poisson, Bernoulli), (Poisson, Binomial)]:
    register_kl(_p, _q)(_infinite)


@register_kl(Gumbel, Gumbel)
def _kl_gumbel_gumbel(p, q):
    scale_ratio, q_loc, p_loc = p.scale / q.scale, q.loc / q.scale, p.loc / q.scale
    return (-log(scale_ratio) - q_loc + p_loc + scale_ratio * EULER_GAMMA
            + exp(q_loc + lgamma(1 + scale_ratio) - p_loc) - (1 + EULER_GAMMA))


@register_kl(Pareto, Pareto)
def _kl_pareto_pareto(p, q):
    alpha_ratio = q.alpha / p.alpha
    result = q.alpha * log(p.scale / q.scale) - log(alpha_ratio) + alpha_ratio - 1
    return _infinite_where(p.scale.data < q.scale.data, result)


def _continuous_bernoulli_cross(p, q):
    """-H(p) - E_p[x] logits_q - log(1 - probs_q) - log C(q): KL(p || q) for any p on [0, 1] of known mean."""
    return -p.entropy() - p.mean * q.logits - log1p(-q.probs) - q._log_normaliser()


@register_kl(ContinuousBernoulli, ContinuousBernoulli)
def _kl_continuous_bernoulli_continuous_bernoulli(p, q):
    return (p.mean * (p.logits - q.logits) + p._log_normaliser() + log1p(-p.probs) - q._log_normaliser()
            - log1p(-q.probs))


@register_kl(Beta, ContinuousBernoulli)
def _kl_beta_continuous_bernoulli(p, q):
    return _continuous_bernoulli_cross(p, q)


@register_kl(Uniform, ContinuousBernoulli)
def _kl_uniform_continuous_bernoulli(p, q):
    return _infinite_where((p.high.data >= 1) | (p.low.data <= 0), _continuous_bernoulli_cross(p, q))


@register_kl(ContinuousBernoulli, Exponential)
def _kl_continuous_bernoulli_exponential(p, q):
    return -p.entropy() + _exponential_cross(p.mean, q)


@register_kl(ContinuousBernoulli, Normal)
def _kl_continuous_bernoulli_normal(p, q):
    return -p.entropy() + _normal_cross(p.mean, p.variance + p.mean ** 2, q)


@register_kl(ContinuousBernoulli, Uniform)
def _kl_continuous_bernoulli_uniform(p, q):
    # (PyTorch's: inf unless q's interval strictly contains [0, 1])
    return _infinite_where((q.low.data >= 0) | (q.high.data <= 1), -p.entropy() + log(q.high - q.low))


@register_kl(Exponential, Gumbel)
def _kl_exponential_gumbel(p, q):
    product, loc_ratio = p.rate * q.scale, q.loc / q.scale
    return log(product) - 1 - loc_ratio + exp(loc_ratio) * product / (product + 1) + 1 / product


@register_kl(Gamma, Gumbel)
def _kl_gamma_gumbel(p, q):
    product, loc_ratio, c = p.rate * q.scale, q.loc / q.scale, p.concentration
    return ((c - 1) * digamma(c) - lgamma(c) - c + log(product) + c / product
            + exp(loc_ratio) * (1 + 1 / product) ** -c - loc_ratio)


@register_kl(Gumbel, Normal)
def _kl_gumbel_normal(p, q):
    scale_ratio = p.scale / q.scale
    return (-log(scale_ratio / math.sqrt(2 * math.pi)) + (math.pi * scale_ratio * 0.5) ** 2 / 3
            + 0.5 * ((p.loc + p.scale * EULER_GAMMA - q.loc) / q.scale) ** 2 - (EULER_GAMMA + 1))


@register_kl(Normal, Gumbel)
def _kl_normal_gumbel(p, q):
    mean_ratio, variance_ratio, loc_ratio = p.loc / q.scale, (p.scale / q.scale) ** 2, q.loc / q.scale
    return (-0.5 * log(variance_ratio) + mean_ratio - loc_ratio + exp(-mean_ratio + 0.5 * variance_ratio + loc_ratio)
            - 0.5 * (1 + math.log(2 * math.pi)))


@register_kl(Uniform, Gumbel)
def _kl_uniform_gumbel(p, q):
    ratio = q.scale / (p.high - p.low)
    high, low = (p.high - q.loc) / q.scale, (p.low - q.loc) / q.scale
    return log(ratio) + 0.5 * (high + low) - ratio * (exp(-high) - exp(-low))


# (inf where p's alpha is at or below the bound: a moment of the Pareto that the closed form needs is infinite)
@register_kl(Pareto, Exponential)
def _kl_pareto_exponential(p, q):
    product = p.scale * q.rate
    return where_above(p.alpha, 1, lambda alpha: log(alpha / product) - 1 / alpha + alpha * product / (alpha - 1) - 1,
                       math.inf)


@register_kl(Pareto, Gamma)
def _kl_pareto_gamma(p, q):
    def finite(alpha):
        common = log(p.scale) + 1 / alpha
        return (log(alpha) - common + lgamma(q.concentration) - q.concentration * log(q.rate)
                + (1 - q.concentration) * common + q.rate * alpha * p.scale / (alpha - 1) - 1)
    return where_above(p.alpha, 1, finite, math.inf)


@register_kl(Pareto, Normal)
def _kl_pareto_normal(p, q):
    def finite(alpha):
        common = p.scale / (alpha - 1)
        return (log(math.sqrt(2 * math.pi) * q.scale * alpha / p.scale) - 1 / alpha
                + (alpha * common ** 2 / (alpha - 2) + (alpha * common - q.loc) ** 2) / (2 * q.scale ** 2) - 1)
    return where_above(p.alpha, 2, finite, math.inf)


@register_kl(Uniform, Pareto)
def _kl_uniform_pareto(p, q):
    result = (_uniform_mean_log(p.low, p.high) * (q.alpha + 1)
              - log(q.alpha * q.scale ** q.alpha * (p.high - p.low)))
    return _infinite_where(p.low.data < q.scale.data, result)


# ---- between the first families ----
@register_kl(Bernoulli, Poisson)
def _kl_bernoulli_poisson(p, q):
    return -p.entropy() - (p.probs * log(q.rate) - q.rate)


@register_kl(Beta, Exponential)
def _kl_beta_exponential(p, q):
    return -p.entropy() + _exponential_cross(p.mean, q)


@register_kl(Beta, Gamma)
def _kl_beta_gamma(p, q):
    mean_log = digamma(p.concentration1) - digamma(p.concentration1 + p.concentration0)
    return -p.entropy() + _gamma_cross(p.mean, mean_log, q)


@register_kl(Beta, Normal)
def _kl_beta_normal(p, q):
    return -p.entropy() + _normal_cross(p.mean, p.variance + p.mean ** 2, q)


@register_kl(Beta, Uniform)
def _kl_beta_uniform(p, q):
    return _infinite_where((q.low.data > 0) | (q.high.data < 1), -p.entropy() + log(q.high - q.low))


@register_kl(Exponential, Gamma)
def _kl_exponential_gamma(p, q):
    ratio = q.rate / p.rate
    return (-q.concentration * log(ratio) + ratio + lgamma(q.concentration) + q.concentration * EULER_GAMMA
            - (1 + EULER_GAMMA))


@register_kl(Exponential, Normal)
def _kl_exponential_normal(p, q):
    return -p.entropy() + _normal_cross(1 / p.rate, 2 / p.rate ** 2, q)


@register_kl(Gamma, Exponential)
def _kl_gamma_exponential(p, q):
    return -p.entropy() + _exponential_cross(p.mean, q)


@register_kl(Gamma, Normal)
def _kl_gamma_normal(p, q):
    c = p.concentration
    return -p.entropy() + _normal_cross(c / p.rate, (c ** 2 + c) / p.rate ** 2, q)


@register_kl(Laplace, Normal)
def _kl_laplace_normal(p, q):
    return -p.entropy() + _normal_cross(p.loc, 2 * p.scale ** 2 + p.loc ** 2, q)


@register_kl(Normal, Laplace)
def _kl_normal_laplace(p, q):
    # E_p|x - m| of a normal: scale sqrt(2 / pi) exp(-d^2 / (2 scale^2)) + d erf(d / (sqrt(2) scale)), d = loc - m
    distance = p.loc - q.loc
    mean_absolute = (math.sqrt(2 / math.pi) * p.scale * exp(-0.5 * (distance / p.scale) ** 2)
                     + distance * erf(math.sqrt(0.5) * distance / p.scale))
    return -p.entropy() + log(2 * q.scale) + mean_absolute / q.scale


@register_kl(Uniform, Beta)
def _kl_uniform_beta(p, q):
    width = p.high - p.low
    mean_log = _uniform_mean_log(p.low, p.high)
    mean_log_complement = _uniform_mean_log(1 - p.high, 1 - p.low)  # (E_p[log(1 - x)]: 1 - x is uniform too)
    result = (-log(width) + lgamma(q.concentration1) + lgamma(q.concentration0)
              - lgamma(q.concentration1 + q.concentration0) - (q.concentration1 - 1) * mean_log
              - (q.concentration0 - 1) * mean_log_complement)
    return _infinite_where((p.high.data > 1) | (p.low.data < 0), result)


@register_kl(Uniform, Exponential)
def _kl_uniform_exponential(p, q):
    result = q.rate * (p.high + p.low) / 2 - log((p.high - p.low) * q.rate)
    return _infinite_where(p.low.data < 0, result)


@register_kl(Uniform, Gamma)
def _kl_uniform_gamma(p, q):
    mean_log = _uniform_mean_log(p.low, p.high)
    return _infinite_where(p.low.data < 0, -log(p.high - p.low) + _gamma_cross((p.high + p.low) / 2, mean_log, q))


@register_kl(Uniform, Normal)
def _kl_uniform_normal(p, q):
    width = p.high - p.low
    mean = (p.high + p.low) / 2
    return -log(width) + _normal_cross(mean, width ** 2 / 12 + mean ** 2, q)
