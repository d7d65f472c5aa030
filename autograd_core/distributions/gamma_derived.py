"""The distributions made of Gamma draws, as torch.distributions': Chi2 (Gamma(df / 2, rate 1 / 2), a subclass of
Gamma as PyTorch's) and FisherSnedecor (the ratio of two scaled chi-squared draws). Their samples are
reparameterised Gamma samples (reparameterised_gamma.py), so rsample is differentiable in the degrees of freedom.

>>> from autograd_core.distributions import Chi2, FisherSnedecor
>>> Chi2(4.0).mean, FisherSnedecor(3.0, 6.0).mean  # df; df2 / (df2 - 2)
(Tensor(4.), Tensor(1.5))
"""
import math

from ..ops import broadcast_to, lgamma, log
from . import constraints
from .continuous import Gamma
from .distribution import Distribution, broadcast_all, where_above
from .reparameterised_gamma import floored, standard_gamma

__all__ = ["Chi2", "FisherSnedecor"]


class Chi2(Gamma):
    """The chi-squared distribution of df degrees of freedom (> 0): the sum of df squared standard normals,
    Gamma(df / 2, rate 1 / 2).

    >>> import autograd_core as ag
    >>> from autograd_core.distributions import Chi2
    >>> Chi2(2.0).log_prob(2.0)  # the exponential of rate 1/2: log(1/2) - 1
    Tensor(-1.69314718)
    >>> df = ag.tensor(3.0, requires_grad=True)
    >>> Chi2(df).rsample((2,), rng=0).sum().backward(); df.grad.shape
    ()
    """
    arg_constraints = {"df": constraints.positive}

    def __init__(self, df, validate_args=None):
        (self.df,) = broadcast_all(df, owner="Chi2")
        super().__init__(0.5 * self.df, 0.5, validate_args=validate_args)

    def _expand_parameters(self, old_batch_shape, batch_shape):
        for name in ("df", "concentration", "rate"):
            setattr(self, name, broadcast_to(vars(self)[name], batch_shape))


class FisherSnedecor(Distribution):
    """The F distribution of df1 and df2 degrees of freedom (> 0): (c1 / df1) / (c2 / df2) for independent
    chi-squared c1, c2. The mean is NaN for df2 <= 2, the mode NaN for df1 <= 2, the variance NaN for df2 <= 4 (as
    PyTorch's); it has no entropy here (nor in PyTorch).

    >>> from autograd_core.distributions import FisherSnedecor
    >>> FisherSnedecor(2.0, 2.0).log_prob(1.0)  # 1 / (1 + x)^2 at 1
    Tensor(-1.38629436)
    """
    arg_constraints = {"df1": constraints.positive, "df2": constraints.positive}
    support = constraints.positive
    has_rsample = True

    def __init__(self, df1, df2, validate_args=None):
        self.df1, self.df2 = broadcast_all(df1, df2, owner="FisherSnedecor")
        super().__init__(self.df1.shape, validate_args=validate_args)

    def _reparameterised(self, sample_shape, source):
        # (PyTorch's: Gamma(df / 2, rate df) draws are c / df; both floored so that the ratio is positive and finite)
        shape = self._extended_shape(sample_shape)
        numerator = standard_gamma(broadcast_to(0.5 * self.df1, shape), source) / (0.5 * self.df1)
        denominator = floored(standard_gamma(broadcast_to(0.5 * self.df2, shape), source) / (0.5 * self.df2))
        return floored(numerator / denominator)

    def log_prob(self, value):
        value = self._checked_value(value)
        half1, half2 = 0.5 * self.df1, 0.5 * self.df2
        return (lgamma(half1 + half2) - lgamma(half1) - lgamma(half2) + half1 * log(self.df1)
                + half2 * log(self.df2) + (half1 - 1) * log(value) - (half1 + half2) * log(self.df2 + self.df1 * value))

    @property
    def mean(self):
        return where_above(self.df2, 2, lambda df2: df2 / (df2 - 2), math.nan)

    @property
    def mode(self):
        return where_above(self.df1, 2, lambda df1: (df1 - 2) / df1 * self.df2 / (self.df2 + 2), math.nan)

    @property
    def variance(self):
        return where_above(self.df2, 4, lambda df2: 2 * df2 ** 2 * (self.df1 + df2 - 2)
                           / (self.df1 * (df2 - 2) ** 2 * (df2 - 4)), math.nan)
