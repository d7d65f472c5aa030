"""The Kullback-Leibler divergence KL(p || q) between two distributions, as torch.distributions.kl: a registry of
closed forms by the pair of types, which register_kl extends; the most specific registered pair (by the classes'
method resolution orders) serves a pair of subclasses.

>>> import autograd_core as ag
>>> from autograd_core.distributions import Normal, kl_divergence
>>> kl_divergence(Normal(0.0, 1.0), Normal(1.0, 1.0))
Tensor(0.5)
"""
import math

import numpy as np

from ..ops import broadcast_to, digamma, lgamma, linalg, log, log1p, softplus, where
from ..tensor import Tensor
from .continuous import Beta, Exponential, Gamma, Laplace, Normal, Uniform
from .counts import Binomial, Geometric
from .dirichlet import Dirichlet
from .discrete import Bernoulli, Categorical, OneHotCategorical, Poisson
from .heavy_tailed import Cauchy
from .low_rank_normal import LowRankMultivariateNormal
from .distribution import sum_rightmost
from .multivariate import Independent, MultivariateNormal, batch_mahalanobis, half_log_det
from .transformed import TransformedDistribution

__all__ = ["kl_divergence", "register_kl"]

_KL_REGISTRY = {}  # (type of p, type of q) -> function(p, q)
_KL_MEMO = {}  # the same for the pairs of types looked up, the registered pair that serves them found once


def register_kl(type_p, type_q):
    """A decorator registering a function(p, q) as kl_divergence for p of type_p and q of type_q (or subclasses).

    >>> import autograd_core as ag
    >>> from autograd_core.distributions import Normal, kl_divergence, register_kl
    >>> class Wide(Normal):
    ...     pass
    >>> @register_kl(Wide, Wide)
    ... def _kl_wide(p, q):
    ...     return ag.tensor(0.0)
    >>> kl_divergence(Wide(0.0, 1.0), Wide(5.0, 1.0))
    Tensor(0.)
    """
    for name, kind in (("type_p", type_p), ("type_q", type_q)):
        if not isinstance(kind, type):
            raise TypeError(f"register_kl: {name} must be a Distribution class, got {kind!r}")

    def register(function):
        _KL_REGISTRY[type_p, type_q] = function
        _KL_MEMO.clear()
        return function
    return register


def _lookup(type_p, type_q):
    """The registered function for the most specific pair of superclasses of (type_p, type_q), or None."""
    matches = [(type_p.__mro__.index(p), type_q.__mro__.index(q), function)
               for (p, q), function in _KL_REGISTRY.items() if issubclass(type_p, p) and issubclass(type_q, q)]
    return min(matches, key=lambda match: match[:2])[2] if matches else None


def kl_divergence(p, q):
    """KL(p || q) = E_p[log p(x) - log q(x)], over the batch of p and q broadcast together.

    >>> import autograd_core as ag
    >>> from autograd_core.distributions import Bernoulli, kl_divergence
    >>> kl_divergence(Bernoulli(0.5), Bernoulli(0.5))
    Tensor(0.)
    """
    pair = (type(p), type(q))
    if pair not in _KL_MEMO:
        _KL_MEMO[pair] = _lookup(*pair)
    function = _KL_MEMO[pair]
    if function is None:
        raise NotImplementedError(f"kl_divergence: no KL(p || q) is registered for p a {type(p).__name__} and q a "
                                  f"{type(q).__name__}; register one with @register_kl({type(p).__name__}, "
                                  f"{type(q).__name__})")
    return function(p, q)


def _infinite_where(mask, value):
    """value, with +inf where mask (a boolean array) holds: KL is infinite where q gives no mass that p gives."""
    return where(Tensor(np.broadcast_to(mask, np.broadcast_shapes(np.shape(mask), value.shape))), math.inf, value)


@register_kl(Normal, Normal)
def _kl_normal_normal(p, q):
    variance_ratio = (p.scale / q.scale) ** 2
    mean_term = ((p.loc - q.loc) / q.scale) ** 2
    return 0.5 * (variance_ratio + mean_term - 1 - log(variance_ratio))


@register_kl(Bernoulli, Bernoulli)
def _kl_bernoulli_bernoulli(p, q):
    p_probs, q_probs = p.probs.data, q.probs.data
    ones = p.probs * (softplus(-q.logits) - softplus(-p.logits))
    ones = where(Tensor(p_probs == 0), 0.0, _infinite_where(q_probs == 0, ones))
    zeros = (1 - p.probs) * (softplus(q.logits) - softplus(p.logits))
    zeros = where(Tensor(p_probs == 1), 0.0, _infinite_where(q_probs == 1, zeros))
    return ones + zeros


@register_kl(Categorical, Categorical)
def _kl_categorical_categorical(p, q):
    terms = p.probs * (p.logits - q.logits)
    terms = _infinite_where(q.probs.data == 0, terms)
    terms = where(Tensor(np.broadcast_to(p.probs.data == 0, terms.shape)), 0.0, terms)
    return terms.sum(-1)


@register_kl(OneHotCategorical, OneHotCategorical)
def _kl_onehotcategorical_onehotcategorical(p, q):
    return _kl_categorical_categorical(p._categorical, q._categorical)


@register_kl(Uniform, Uniform)
def _kl_uniform_uniform(p, q):
    result = log((q.high - q.low) / (p.high - p.low))
    return _infinite_where((q.low.data > p.low.data) | (q.high.data < p.high.data), result)


@register_kl(Exponential, Exponential)
def _kl_exponential_exponential(p, q):
    rate_ratio = q.rate / p.rate
    return rate_ratio - 1 - log(rate_ratio)


@register_kl(Laplace, Laplace)
def _kl_laplace_laplace(p, q):
    scale_ratio = p.scale / q.scale
    distance = (p.loc - q.loc).abs()
    return -log(scale_ratio) + distance / q.scale + scale_ratio * (-distance / p.scale).exp() - 1


@register_kl(Gamma, Gamma)
def _kl_gamma_gamma(p, q):
    return (q.concentration * log(p.rate / q.rate) + lgamma(q.concentration) - lgamma(p.concentration)
            + (p.concentration - q.concentration) * digamma(p.concentration)
            + (q.rate - p.rate) * (p.concentration / p.rate))


@register_kl(Beta, Beta)
def _kl_beta_beta(p, q):
    p_total = p.concentration1 + p.concentration0
    q_total = q.concentration1 + q.concentration0
    return (lgamma(q.concentration1) + lgamma(q.concentration0) + lgamma(p_total)
            - lgamma(p.concentration1) - lgamma(p.concentration0) - lgamma(q_total)
            + (p.concentration1 - q.concentration1) * digamma(p.concentration1)
            + (p.concentration0 - q.concentration0) * digamma(p.concentration0)
            + (q_total - p_total) * digamma(p_total))


@register_kl(Poisson, Poisson)
def _kl_poisson_poisson(p, q):
    return p.rate * (log(p.rate) - log(q.rate)) - (p.rate - q.rate)


@register_kl(MultivariateNormal, MultivariateNormal)
def _kl_multivariatenormal_multivariatenormal(p, q):
    if p.event_shape != q.event_shape:
        raise ValueError(f"kl_divergence: the MultivariateNormals' event shapes {p.event_shape} and "
                         f"{q.event_shape} differ; KL needs vectors of one size")
    n = p.event_shape[0]
    batch_shape = np.broadcast_shapes(p.batch_shape, q.batch_shape)
    p_tril = broadcast_to(p._unbroadcasted_scale_tril, batch_shape + (n, n))
    q_tril = broadcast_to(q._unbroadcasted_scale_tril, batch_shape + (n, n))
    # tr(Sigma_q^-1 Sigma_p) = |L_q^-1 L_p|^2 (Frobenius), the Mahalanobis term of the means, and the log-dets
    trace_term = (linalg.solve(q_tril, p_tril) ** 2).sum((-2, -1))
    mahalanobis = batch_mahalanobis(q._unbroadcasted_scale_tril, q.loc - p.loc)
    log_det_term = half_log_det(q._unbroadcasted_scale_tril) - half_log_det(p._unbroadcasted_scale_tril)
    return log_det_term + 0.5 * (trace_term + mahalanobis - n)


@register_kl(Independent, Independent)
def _kl_independent_independent(p, q):
    if p.reinterpreted_batch_ndims != q.reinterpreted_batch_ndims:
        raise NotImplementedError(f"kl_divergence: Independent distributions of different "
                                  f"reinterpreted_batch_ndims ({p.reinterpreted_batch_ndims} and "
                                  f"{q.reinterpreted_batch_ndims}) have no KL here, as in PyTorch")
    return sum_rightmost(kl_divergence(p.base_dist, q.base_dist), p.reinterpreted_batch_ndims)


@register_kl(TransformedDistribution, TransformedDistribution)
def _kl_transformed_transformed(p, q):
    # (an injective map leaves KL unchanged: LogNormal's and HalfNormal's are their Normals')
    if p.transforms != q.transforms:
        raise NotImplementedError(f"kl_divergence: TransformedDistributions through different transforms "
                                  f"({p.transforms} and {q.transforms}) have no KL here, as in PyTorch")
    if p.event_shape != q.event_shape:
        raise NotImplementedError(f"kl_divergence: TransformedDistributions of different event shapes "
                                  f"({p.event_shape} and {q.event_shape}) have no KL here, as in PyTorch")
    return kl_divergence(p.base_dist, q.base_dist)


@register_kl(Dirichlet, Dirichlet)
def _kl_dirichlet_dirichlet(p, q):
    p_total, q_total = p.concentration.sum(-1), q.concentration.sum(-1)
    expected_log = digamma(p.concentration) - digamma(p_total)[..., None]  # (E_p[log x_k])
    return (lgamma(p_total) - lgamma(q_total) - (lgamma(p.concentration) - lgamma(q.concentration)).sum(-1)
            + ((p.concentration - q.concentration) * expected_log).sum(-1))


@register_kl(Binomial, Binomial)
def _kl_binomial_binomial(p, q):
    # (PyTorch's: q with fewer trials than p has no KL here; with more, p's counts above q's total are impossible
    # under q, so KL is infinite there)
    if np.any(p.total_count.data < q.total_count.data):
        raise NotImplementedError(f"kl_divergence: Binomial p with fewer trials than q (total_count "
                                  f"{p.total_count.data} and {q.total_count.data}) has no KL here, as in PyTorch")
    result = p.total_count * (p.probs * (p.logits - q.logits) + log1p(-p.probs) - log1p(-q.probs))
    return _infinite_where(p.total_count.data > q.total_count.data, result)


@register_kl(Geometric, Geometric)
def _kl_geometric_geometric(p, q):
    return -p.entropy() - log1p(-q.probs) / p.probs - q.logits


@register_kl(Cauchy, Cauchy)
def _kl_cauchy_cauchy(p, q):
    # (Chyzak and Nielsen's closed form, as PyTorch's)
    return log((p.scale + q.scale) ** 2 + (p.loc - q.loc) ** 2) - log(4 * p.scale * q.scale)


def _as_full_rank(d):
    """A LowRankMultivariateNormal as the MultivariateNormal of its covariance matrix (a MultivariateNormal as it
    is): KL then takes the full-rank closed form, O(n^3) where PyTorch's uses the Woodbury identity."""
    if isinstance(d, LowRankMultivariateNormal):
        return MultivariateNormal(d.loc, covariance_matrix=d.covariance_matrix, validate_args=False)
    return d


@register_kl(LowRankMultivariateNormal, LowRankMultivariateNormal)
@register_kl(LowRankMultivariateNormal, MultivariateNormal)
@register_kl(MultivariateNormal, LowRankMultivariateNormal)
def _kl_low_rank_normal(p, q):
    return _kl_multivariatenormal_multivariatenormal(_as_full_rank(p), _as_full_rank(q))
