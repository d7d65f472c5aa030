"""EmbeddingBag: the sum, mean or max of bags of rows of a lookup table, as PyTorch's (nn.functional's
embedding_bag, in nn/_embedding_bag_functions.py).

>>> import numpy as np, nn
>>> bag = nn.EmbeddingBag(10, 3, mode="sum", rng=0)
>>> bag(np.array([1, 2, 4, 5, 4, 3, 2, 9]), np.array([0, 4])).shape
(2, 3)
"""
import numpy as np

from autograd_core import Tensor
from autograd_core.tensor import saved_value

from . import functional as F
from ._arguments import as_flag, checked_number, takes_device
from ._embedding_bag_functions import _MODES
from ._embedding_functions import padding_index
from .layers import _EmbeddingTable, _check_sizes, _embedding_weight, _sparse_flag

__all__ = ["EmbeddingBag"]


class EmbeddingBag(_EmbeddingTable):
    """A lookup table whose rows are summed, averaged or maxed per bag, as PyTorch's EmbeddingBag: weight
    (num_embeddings, embedding_dim) drawn from N(0, 1) (the padding_idx row zeroed), or _weight; forward(input,
    offsets=None, per_sample_weights=None) gives (bags, embedding_dim) as F.embedding_bag: input (B, L) of B bags,
    or 1-D with the bags' starts in offsets. mode 'sum', 'mean' (the default) or 'max'; max_norm, norm_type,
    scale_grad_by_freq, include_last_offset and padding_idx as PyTorch's. sparse=True gives the dense gradient
    PyTorch's sparse one stands for (mode 'sum' or 'mean', as PyTorch's). rng: a numpy Generator or int seed;
    dtype: the weight's (keywords, as Embedding's).

    >>> import numpy as np, nn
    >>> bag = nn.EmbeddingBag(10, 3, padding_idx=0, rng=0)
    >>> bag
    EmbeddingBag(10, 3, mode='mean', padding_idx=0)
    >>> bag(np.array([[1, 2, 0], [4, 0, 0]])).shape
    (2, 3)
    """

    @takes_device
    def __init__(self, num_embeddings, embedding_dim, max_norm=None, norm_type=2.0, scale_grad_by_freq=False,
                 mode="mean", sparse=False, _weight=None, include_last_offset=False, padding_idx=None, *,
                 dtype=np.float32, rng=None):
        super().__init__()
        owner = "EmbeddingBag"
        _check_sizes(owner, num_embeddings=num_embeddings, embedding_dim=embedding_dim)
        self.num_embeddings, self.embedding_dim = int(num_embeddings), int(embedding_dim)
        self.max_norm = None if max_norm is None else checked_number(max_norm, owner, "max_norm", low=0)
        self.norm_type = checked_number(norm_type, owner, "norm_type")
        self.scale_grad_by_freq = as_flag(scale_grad_by_freq, owner, "scale_grad_by_freq")
        if mode not in _MODES:
            raise ValueError(f"{owner}: mode must be one of 'sum', 'mean', 'max', got {mode!r}")
        self.mode = mode
        self.sparse = _sparse_flag(owner, sparse)
        self.include_last_offset = as_flag(include_last_offset, owner, "include_last_offset")
        self.padding_idx = padding_index(padding_idx, self.num_embeddings, owner)
        _embedding_weight(self, (self.num_embeddings, self.embedding_dim), _weight, dtype, rng)

    def forward(self, input, offsets=None, per_sample_weights=None):
        return F.embedding_bag(input, self.weight, offsets, self.max_norm, self.norm_type, self.scale_grad_by_freq,
                               self.mode, self.sparse, per_sample_weights, self.include_last_offset, self.padding_idx)

    def extra_repr(self):
        text = f"{self.num_embeddings}, {self.embedding_dim}"
        if self.max_norm is not None:
            text += f", max_norm={self.max_norm!r}"
        if self.norm_type != 2:
            text += f", norm_type={self.norm_type!r}"
        if self.scale_grad_by_freq:
            text += ", scale_grad_by_freq=True"
        text += f", mode={self.mode!r}"
        if self.padding_idx is not None:
            text += f", padding_idx={self.padding_idx}"
        return text

    @classmethod
    def from_pretrained(cls, embeddings, freeze=True, max_norm=None, norm_type=2.0, scale_grad_by_freq=False,
                        mode="mean", sparse=False, include_last_offset=False, padding_idx=None):
        """An EmbeddingBag whose weight is embeddings (a 2-D array or Tensor), frozen (requires_grad False)
        unless freeze=False, as PyTorch's.

        >>> import numpy as np, nn
        >>> bag = nn.EmbeddingBag.from_pretrained(np.array([[1.0, 2.0], [3.0, 4.0]]), mode="sum")
        >>> bag(np.array([[0, 1]])).tolist(), bag.weight.requires_grad
        ([[4.0, 6.0]], False)
        """
        values = saved_value(embeddings) if isinstance(embeddings, Tensor) else np.asarray(embeddings)
        if values.ndim != 2:
            raise ValueError(f"EmbeddingBag.from_pretrained: embeddings must be 2-D (num_embeddings, "
                             f"embedding_dim), got shape {values.shape}")
        bag = cls(*values.shape, max_norm, norm_type, scale_grad_by_freq, mode, sparse, values, include_last_offset,
                  padding_idx)
        bag.weight.requires_grad = not as_flag(freeze, "EmbeddingBag.from_pretrained", "freeze")
        return bag
