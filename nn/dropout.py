"""Channel and alpha dropout layers, as PyTorch's: Dropout1d, Dropout2d, Dropout3d (whole channels of
convolutional feature maps zeroed), AlphaDropout and FeatureAlphaDropout (for self-normalising SELU networks).

Each takes nn.Dropout's arguments, (p=0.5, rng=None, *, inplace=False): rng a NumPy Generator or an int seed, from
which every mask is drawn, so a seeded layer repeats its masks; in eval mode each is the identity. Their functions
are nn.functional's dropout1d, dropout2d, dropout3d, alpha_dropout and feature_alpha_dropout.

>>> import numpy as np, nn
>>> model = nn.Sequential(nn.Conv2d(1, 4, 3, rng=0), nn.ReLU(), nn.Dropout2d(0.5, rng=0))
>>> model(np.ones((2, 1, 5, 5))).shape
(2, 4, 3, 3)
"""
from . import functional as F
from ._arguments import as_flag
from ._dropout_functions import _alpha_dropout, _dropout1d, _dropout2d, _dropout3d, _dropout_generator
from .module import Module

__all__ = ["Dropout1d", "Dropout2d", "Dropout3d", "AlphaDropout", "FeatureAlphaDropout"]


class _DropoutNd(Module):
    """The settings the dropouts share, as PyTorch's _DropoutNd: p in [0, 1], the rng the masks are drawn from and
    inplace (a keyword)."""

    def __init__(self, p=0.5, rng=None, *, inplace=False):
        super().__init__()
        name = type(self).__name__
        F.check_probability(name, "probability p", p)
        self.p = p
        self.rng = _dropout_generator(rng, name)
        self.inplace = as_flag(inplace, name, "inplace")

    def extra_repr(self):
        return f"p={self.p}, inplace={self.inplace}"


class Dropout1d(_DropoutNd):
    """Channel dropout of inputs (N, C, L), or unbatched (C, L), as PyTorch's: in training each channel of each
    sample is zeroed as a whole with probability p, the others scaled by 1 / (1 - p); in eval mode the identity.
    Another input rank is refused.

    >>> import autograd_core as ag, nn
    >>> drop = nn.Dropout1d(0.5, rng=0)
    >>> drop(ag.ones((1, 4, 3))).data[0]
    array([[2., 2., 2.],
           [0., 0., 0.],
           [0., 0., 0.],
           [0., 0., 0.]])
    >>> drop.eval()(ag.ones((1, 2, 2)))
    Tensor([[[1., 1.],
             [1., 1.]]])
    """

    def forward(self, input):
        return _dropout1d(input, self.p, self.training, self.rng, self.inplace, "Dropout1d")


class Dropout2d(_DropoutNd):
    """Channel dropout of inputs (N, C, H, W), as PyTorch's: in training each channel (an H x W map) of each
    sample is zeroed as a whole with probability p, the others scaled by 1 / (1 - p); in eval mode the identity.
    As PyTorch's, a 3-D input is read as (N, C, L) with a warning (not as an unbatched (C, H, W)), and another
    rank warns.

    >>> import autograd_core as ag, nn
    >>> nn.Dropout2d(0.5, rng=0)(ag.ones((1, 3, 2, 2))).data.sum(axis=(2, 3))
    array([[8., 0., 0.]])
    """

    def forward(self, input):
        return _dropout2d(input, self.p, self.training, self.rng, self.inplace, "Dropout2d")


class Dropout3d(_DropoutNd):
    """Channel dropout of inputs (N, C, D, H, W), or unbatched (C, D, H, W), as PyTorch's: in training each
    channel (a D x H x W volume) of each sample is zeroed as a whole with probability p, the others scaled by
    1 / (1 - p); in eval mode the identity. Another rank warns, as PyTorch's.

    >>> import autograd_core as ag, nn
    >>> nn.Dropout3d(0.5, rng=0)(ag.ones((3, 1, 2, 2))).data.sum(axis=(1, 2, 3))
    array([8., 0., 0.])
    """

    def forward(self, input):
        return _dropout3d(input, self.p, self.training, self.rng, self.inplace, "Dropout3d")


class AlphaDropout(_DropoutNd):
    """Alpha dropout, as PyTorch's (for SELU networks): in training each element is set with probability p to
    SELU's negative saturation and all are then mapped by a * x + b so that inputs of mean 0 and variance 1 keep
    them (F.alpha_dropout); in eval mode the identity. inplace is accepted and, as in PyTorch's layer, unused.

    >>> import numpy as np, nn
    >>> y = nn.AlphaDropout(0.2, rng=0)(np.random.default_rng(1).normal(size=100_000))
    >>> round(float(y.data.mean()), 1) + 0.0, round(float(y.data.std()), 1)
    (0.0, 1.0)
    """

    def forward(self, input):
        return _alpha_dropout(input, self.p, self.training, self.rng, False, "AlphaDropout", feature=False)


class FeatureAlphaDropout(_DropoutNd):
    """Alpha dropout of whole channels, as PyTorch's: in training each channel of each sample of an input
    (N, C, *) is set as a whole with probability p to SELU's negative saturation and all are then mapped as
    AlphaDropout's (F.feature_alpha_dropout); in eval mode the identity. inplace is accepted and unused, as in
    PyTorch's layer.

    >>> import autograd_core as ag, nn
    >>> y = nn.FeatureAlphaDropout(0.5, rng=0)(ag.zeros((2, 3, 4)))
    >>> bool((y.data.max(axis=2) == y.data.min(axis=2)).all())
    True
    """

    def forward(self, input):
        return _alpha_dropout(input, self.p, self.training, self.rng, False, "FeatureAlphaDropout", feature=True)
