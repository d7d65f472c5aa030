"""The KL divergences PyTorch registers for Gumbel, Pareto and ContinuousBernoulli, between themselves and with the
first families (kl.py): closed forms (from PyTorch's kl.py), and inf where q gives no density where p has mass (a
distribution on the reals against one on the positive numbers, say). Importing this module registers them.

>>> from autograd_core.distributions import Gumbel, Normal, kl_divergence
>>> kl_divergence(Gumbel(0.0, 1.0), Gumbel(0.0, 1.0)), kl_divergence(Normal(0.0, 1.0), Gumbel(0.0, 1.0)).item() > 0
(Tensor(0.), True)
"""
import math

import numpy as np

from ..ops import exp, lgamma, digamma, log, log1p, where
from ..tensor import Tensor
from .continuous import Beta, Exponential, Gamma, Laplace, Normal, Uniform
from .continuous_bernoulli import ContinuousBernoulli
from .kl import _infinite_where, register_kl
from .transformed_families import EULER_GAMMA, Gumbel, Pareto

__all__ = []

_HALF_LOG_TWO_PI = 0.5 * math.log(2 * math.pi)


def _x_log_x(x):
    return x * log(x)


def _infinite(p, q):
    """inf over p's and q's batch: q has no density on part of p's support."""
    shape = np.broadcast_shapes(p.batch_shape, q.batch_shape)
    return Tensor(np.full(shape, np.inf, dtype=np.result_type(p._dtype, q._dtype)))


for _p, _q in [(Beta, Pareto), (ContinuousBernoulli, Pareto), (Exponential, ContinuousBernoulli),
               (Exponential, Pareto), (Gamma, ContinuousBernoulli), (Gamma, Pareto), (Gumbel, Beta),
               (Gumbel, ContinuousBernoulli), (Gumbel, Exponential), (Gumbel, Gamma), (Gumbel, Pareto),
               (Gumbel, Uniform), (Laplace, ContinuousBernoulli), (Laplace, Pareto), (Normal, ContinuousBernoulli),
               (Normal, Pareto), (Pareto, Beta), (Pareto, ContinuousBernoulli), (Pareto, Uniform)]:
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
    return -p.entropy() - log(q.rate) + q.rate * p.mean


@register_kl(ContinuousBernoulli, Normal)
def _kl_continuous_bernoulli_normal(p, q):
    return (-p.entropy() + _HALF_LOG_TWO_PI + 0.5 * (q.loc / q.scale) ** 2 + log(q.scale)
            + (p.variance + p.mean ** 2 - 2.0 * q.loc * p.mean) / (2.0 * q.scale ** 2))


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


def _alpha_above(p, bound, result):
    """result, inf where p's alpha <= bound (a moment of the Pareto that the closed form needs is infinite)."""
    return _infinite_where(p.alpha.data <= bound, result)


@register_kl(Pareto, Exponential)
def _kl_pareto_exponential(p, q):
    product = p.scale * q.rate
    alpha = where(Tensor(p.alpha.data > 1), p.alpha, 2.0)  # (a stand-in where the result is inf: no 0 / 0)
    return _alpha_above(p, 1, log(p.alpha / product) - 1 / p.alpha + alpha * product / (alpha - 1) - 1)


@register_kl(Pareto, Gamma)
def _kl_pareto_gamma(p, q):
    common = log(p.scale) + 1 / p.alpha
    alpha = where(Tensor(p.alpha.data > 1), p.alpha, 2.0)
    result = (log(p.alpha) - common + lgamma(q.concentration) - q.concentration * log(q.rate)
              + (1 - q.concentration) * common + q.rate * alpha * p.scale / (alpha - 1) - 1)
    return _alpha_above(p, 1, result)


@register_kl(Pareto, Normal)
def _kl_pareto_normal(p, q):
    alpha = where(Tensor(p.alpha.data > 2), p.alpha, 3.0)
    common = p.scale / (alpha - 1)
    result = (log(math.sqrt(2 * math.pi) * q.scale * p.alpha / p.scale) - 1 / p.alpha
              + (alpha * common ** 2 / (alpha - 2) + (alpha * common - q.loc) ** 2) / (2 * q.scale ** 2) - 1)
    return _alpha_above(p, 2, result)


@register_kl(Uniform, Pareto)
def _kl_uniform_pareto(p, q):
    width = p.high - p.low
    result = ((_x_log_x(p.high) - _x_log_x(p.low) - width) / width * (q.alpha + 1)
              - log(q.alpha * q.scale ** q.alpha * width))
    return _infinite_where(p.low.data < q.scale.data, result)
