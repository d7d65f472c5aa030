"""einops' layers as nn Modules, as `einops.layers.torch`'s (which imports torch): Rearrange, Reduce and EinMix,
usable in nn.Sequential. They need einops installed (`pip install einops`); einops' own mixins parse the patterns,
and the operations are autograd_core's (autograd_core/einops_backend.py). Import them from here:
`from nn.einops_layers import Rearrange, Reduce, EinMix`.

>>> import numpy as np, nn
>>> from nn.einops_layers import Rearrange, Reduce
>>> model = nn.Sequential(Rearrange("b c (h p1) (w p2) -> b (c p1 p2) h w", p1=2, p2=2),
...                       Reduce("b c h w -> b c", "mean"))
>>> model
Sequential(
  (0): Rearrange('b c (h p1) (w p2) -> b (c p1 p2) h w', p1=2, p2=2)
  (1): Reduce('b c h w -> b c', 'mean')
)
>>> model(np.ones((1, 3, 4, 4))).shape
(1, 12)
"""
import numpy as np
from einops.layers import RearrangeMixin, ReduceMixin
from einops.layers._einmix import _EinmixMixin

import autograd_core as ag

from . import init
from .module import Module, Parameter

__all__ = ["Rearrange", "Reduce", "EinMix"]


def _as_tensor(x):
    # nn layers take arrays too; einops would otherwise pick its NumPy backend and give an array back
    return x if isinstance(x, ag.Tensor) else ag.as_tensor(x)


class Rearrange(RearrangeMixin, Module):
    """einops.rearrange(input, pattern, **axes_lengths) as a layer.

    >>> import numpy as np
    >>> from nn.einops_layers import Rearrange
    >>> Rearrange("b (h c) x y -> b h c (x y)", h=2)(np.zeros((1, 4, 3, 3))).shape
    (1, 2, 2, 9)
    """

    def forward(self, input):
        return self._apply_recipe(_as_tensor(input))


class Reduce(ReduceMixin, Module):
    """einops.reduce(input, pattern, reduction, **axes_lengths) as a layer ('min', 'max', 'sum', 'mean', 'prod').

    >>> import numpy as np
    >>> from nn.einops_layers import Reduce
    >>> Reduce("b c (h h2) (w w2) -> b c h w", "max", h2=2, w2=2)(np.arange(16.0).reshape(1, 1, 4, 4))
    Tensor([[[[ 5.,  7.],
              [13., 15.]]]])
    """

    def forward(self, input):
        return self._apply_recipe(_as_tensor(input))


class EinMix(_EinmixMixin, Module):
    """A linear layer along any axes, einops' EinMix: einsum of the input with a weight of `weight_shape` (float32
    parameters, He-uniform as einops' torch layer), plus a bias of `bias_shape` if given (stored broadcastable to
    the output, as einops does).

    >>> import numpy as np
    >>> from nn.einops_layers import EinMix
    >>> mix = EinMix("b t c -> b t d", weight_shape="c d", bias_shape="d", c=3, d=5)
    >>> mix.weight.shape, mix.bias.shape, mix(np.ones((2, 4, 3))).shape
    ((3, 5), (1, 1, 5), (2, 4, 5))
    """

    def _create_parameters(self, weight_shape, weight_bound, bias_shape, bias_bound):
        self.weight = init.uniform_(Parameter(np.zeros(weight_shape, dtype=np.float32)), -weight_bound, weight_bound)
        self.bias = None
        if bias_shape is not None:
            self.bias = init.uniform_(Parameter(np.zeros(bias_shape, dtype=np.float32)), -bias_bound, bias_bound)

    def _create_rearrange_layers(self, pre_reshape_pattern, pre_reshape_lengths, post_reshape_pattern,
                                 post_reshape_lengths):
        self.pre_rearrange = None
        if pre_reshape_pattern is not None:
            self.pre_rearrange = Rearrange(pre_reshape_pattern, **pre_reshape_lengths)
        self.post_rearrange = None
        if post_reshape_pattern is not None:
            self.post_rearrange = Rearrange(post_reshape_pattern, **post_reshape_lengths)

    def forward(self, input):
        input = _as_tensor(input)
        if self.pre_rearrange is not None:
            input = self.pre_rearrange(input)
        result = ag.einsum(self.einsum_pattern, input, self.weight)
        if self.bias is not None:
            result = result + self.bias
        if self.post_rearrange is not None:
            result = self.post_rearrange(result)
        return result
