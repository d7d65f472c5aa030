"""Probability distributions, as torch.distributions: sampling with NumPy Generators,
and log_prob, entropy, cdf and rsample built from autograd_core's operations, so that their gradients with respect
to the parameters come from the engine (REINFORCE's score function, a VAE's reparameterised samples, KL terms).
Transforms (transforms.py) push a distribution through invertible maps (TransformedDistribution, LogNormal); the
relaxed Bernoulli and one-hot categorical give Gumbel-softmax samples; MixtureSameFamily mixes components. The rest
of PyTorch's families: Chi2 and FisherSnedecor (gamma_derived.py), Gumbel, Pareto, Weibull, Kumaraswamy, HalfCauchy
and LogisticNormal (transformed_families.py), VonMises, ContinuousBernoulli and NegativeBinomial; kl_families.py has
the KL pairs between different families. PyTorch's module names hold the same classes
(distributions.normal.Normal, distributions.categorical.Categorical ...).

>>> import autograd_core as ag
>>> from autograd_core.distributions import Categorical
>>> logits = ag.tensor([0.5, -1.0, 2.0], requires_grad=True)
>>> m = Categorical(logits=logits)
>>> action = m.sample(rng=0)
>>> (-m.log_prob(action)).backward()
>>> logits.grad.shape
(3,)
"""
from . import constraints, transforms
from .continuous import Beta, Exponential, Gamma, Laplace, Normal, Uniform
from .continuous_bernoulli import ContinuousBernoulli
from .counts import Binomial, Geometric, NegativeBinomial
from .dirichlet import Dirichlet
from .discrete import Bernoulli, Categorical, OneHotCategorical, Poisson
from .distribution import Distribution
from .gamma_derived import Chi2, FisherSnedecor
from .heavy_tailed import Cauchy, StudentT
from .kl import kl_divergence, register_kl
from . import kl_families  # noqa: F401 (registers the KL pairs of the families below)
from .low_rank_normal import LowRankMultivariateNormal
from .mixture import MixtureSameFamily
from .multivariate import Independent, MultivariateNormal
from .relaxed import ExpRelaxedCategorical, LogitRelaxedBernoulli, RelaxedBernoulli, RelaxedOneHotCategorical
from .transformed import HalfNormal, LogNormal, TransformedDistribution
from .transformed_families import Gumbel, HalfCauchy, Kumaraswamy, LogisticNormal, Pareto, Weibull
from .transforms import (AbsTransform, AffineTransform, CatTransform, ComposeTransform, CorrCholeskyTransform,
                         CumulativeDistributionTransform, ExpTransform, IndependentTransform, LowerCholeskyTransform,
                         PositiveDefiniteTransform, PowerTransform, ReshapeTransform, SigmoidTransform,
                         SoftmaxTransform, SoftplusTransform, StackTransform, StickBreakingTransform, TanhTransform,
                         Transform, identity_transform)
from .constraint_registry import biject_to, transform_to
from .von_mises import VonMises

__all__ = ["AbsTransform", "AffineTransform", "Bernoulli", "Beta", "Binomial", "Categorical", "Cauchy",
           "ComposeTransform", "Dirichlet", "Distribution", "ExpRelaxedCategorical", "ExpTransform", "Exponential",
           "Gamma", "Geometric", "HalfNormal", "Independent", "Laplace", "LogNormal", "LogitRelaxedBernoulli",
           "LowRankMultivariateNormal", "MixtureSameFamily", "MultivariateNormal", "Normal", "OneHotCategorical",
           "Poisson", "PowerTransform", "RelaxedBernoulli", "RelaxedOneHotCategorical", "SigmoidTransform",
           "SoftmaxTransform", "SoftplusTransform", "StudentT", "TanhTransform", "Transform",
           "TransformedDistribution", "Uniform", "constraints", "kl_divergence", "register_kl", "transforms",
           "Chi2", "ContinuousBernoulli", "FisherSnedecor", "Gumbel", "HalfCauchy", "Kumaraswamy", "LogisticNormal",
           "NegativeBinomial", "Pareto", "StickBreakingTransform", "VonMises", "Weibull", "CatTransform",
           "StackTransform", "CorrCholeskyTransform", "CumulativeDistributionTransform", "IndependentTransform",
           "LowerCholeskyTransform", "PositiveDefiniteTransform", "ReshapeTransform", "biject_to", "transform_to",
           "identity_transform"]

# PyTorch's modules of torch.distributions by name, each holding its classes from here, so that
# torch.distributions.normal.Normal(0.0, 1.0) and `from torch.distributions.categorical import Categorical` port as
# they are (ag.distributions.normal.Normal; `from autograd_core.distributions.categorical import Categorical`).
_TORCH_MODULES = {
    "bernoulli": ("Bernoulli",), "beta": ("Beta",), "binomial": ("Binomial",), "categorical": ("Categorical",),
    "cauchy": ("Cauchy",), "exponential": ("Exponential",), "gamma": ("Gamma",), "geometric": ("Geometric",),
    "half_normal": ("HalfNormal",), "independent": ("Independent",), "laplace": ("Laplace",),
    "log_normal": ("LogNormal",), "lowrank_multivariate_normal": ("LowRankMultivariateNormal",),
    "mixture_same_family": ("MixtureSameFamily",), "multivariate_normal": ("MultivariateNormal",),
    "normal": ("Normal",), "one_hot_categorical": ("OneHotCategorical",), "poisson": ("Poisson",),
    "relaxed_bernoulli": ("LogitRelaxedBernoulli", "RelaxedBernoulli"),
    "relaxed_categorical": ("ExpRelaxedCategorical", "RelaxedOneHotCategorical"), "studentT": ("StudentT",),
    "transformed_distribution": ("TransformedDistribution",), "uniform": ("Uniform",), "chi2": ("Chi2",),
    "fishersnedecor": ("FisherSnedecor",), "gumbel": ("Gumbel",),
    "half_cauchy": ("HalfCauchy",), "kumaraswamy": ("Kumaraswamy",), "logistic_normal": ("LogisticNormal",),
    "negative_binomial": ("NegativeBinomial",), "pareto": ("Pareto",), "weibull": ("Weibull",)}
# (continuous_bernoulli and von_mises are real modules here, of the same names as PyTorch's)


def _add_torch_modules():
    import sys
    import types
    for module_name, class_names in _TORCH_MODULES.items():
        module = types.ModuleType(f"{__name__}.{module_name}", f"torch.distributions.{module_name}'s "
                                  f"{', '.join(class_names)}, as autograd_core.distributions has them.")
        module.__all__ = list(class_names)
        for class_name in class_names:
            setattr(module, class_name, globals()[class_name])
        sys.modules[module.__name__] = module
        globals()[module_name] = module


_add_torch_modules()
