"""Transforms that apply other transforms to slices, as torch.distributions.transforms' CatTransform and
StackTransform: x is cut along dim (lengths[i] entries each, or one index each), each piece goes through its own
transform, and the results are joined again; log_abs_det_jacobian joins (or, along an event axis, sums) the pieces'.

>>> import autograd_core as ag
>>> from autograd_core.distributions.transforms import AffineTransform, ExpTransform, StackTransform
>>> t = StackTransform([ExpTransform(), AffineTransform(1.0, 2.0)], dim=0)
>>> t(ag.tensor([[0.0, 1.0], [0.0, 1.0]]))
Tensor([[1.        , 2.71828183],
        [1.        , 3.        ]])
"""
from ..ops import concatenate, stack
from ..primitive import as_operand
from ..torch_extras import narrow
from ..torch_indexing import select
from . import constraints
from .distribution import sum_rightmost
from .transforms import Transform

__all__ = ["CatTransform", "StackTransform"]


def _transforms(owner, tseq, cache_size):
    tseq = list(tseq) if isinstance(tseq, (list, tuple)) else tseq
    if not isinstance(tseq, list) or not tseq or not all(isinstance(t, Transform) for t in tseq):
        raise TypeError(f"{owner}: tseq must be a non-empty list of Transforms, got {tseq!r}")
    return [t.with_cache(cache_size) for t in tseq] if cache_size else tseq


def _checked_axis(owner, x, dim, size):
    if not -x.ndim <= dim < x.ndim or x.shape[dim] != size:
        raise ValueError(f"{owner}: expects {size} entries along dim {dim}, got a value of shape {x.shape}")


class _SlicesTransform(Transform):
    """What CatTransform and StackTransform share: each of the transforms applied to its piece of z along dim (_cut,
    after checking z has _size entries there), the results joined again (_join)."""

    def __init__(self, tseq, dim, cache_size):
        transforms = _transforms(type(self).__name__, tseq, cache_size)
        super().__init__(cache_size)
        self.transforms, self.dim = transforms, dim

    @property
    def bijective(self):
        return all(t.bijective for t in self.transforms)

    def _pieces(self, z):
        _checked_axis(type(self).__name__, z, self.dim, self._size)
        return self._cut(z)

    def _map(self, z, inverse):
        return self._join([t.inv(piece) if inverse else t(piece) for t, piece in zip(self.transforms, self._pieces(z))])

    def _call(self, x):
        return self._map(x, inverse=False)

    def _inverse_of(self, y):
        return self._map(y, inverse=True)

    def _pieces_of_both(self, x, y):
        """(transform, x's piece, y's piece) for log_abs_det_jacobian, x and y checked."""
        x, y = as_operand(x, type(self).__name__), as_operand(y, type(self).__name__)
        return x, zip(self.transforms, self._pieces(x), self._pieces(y))


class CatTransform(_SlicesTransform):
    """tseq[i] applied to the lengths[i] entries (1 each by default) that follow the previous ones along dim, the
    results concatenated, as PyTorch's CatTransform.

    >>> import autograd_core as ag
    >>> from autograd_core.distributions.transforms import CatTransform, ExpTransform, identity_transform
    >>> t = CatTransform([ExpTransform(), identity_transform], dim=0, lengths=[1, 2])
    >>> t(ag.tensor([0.0, 5.0, 6.0])), t.inv(ag.tensor([1.0, 5.0, 6.0]))
    (Tensor([1., 5., 6.]), Tensor([0., 5., 6.]))
    """

    def __init__(self, tseq, dim=0, lengths=None, cache_size=0):
        super().__init__(tseq, dim, cache_size)
        self.lengths = [1] * len(self.transforms) if lengths is None else list(lengths)
        if len(self.lengths) != len(self.transforms):
            raise ValueError(f"CatTransform: {len(self.lengths)} lengths for {len(self.transforms)} transforms")

    @property
    def length(self):
        return sum(self.lengths)

    _size = length

    @property
    def event_dim(self):
        """The largest of the transforms' event_dim, as PyTorch's (each piece's Jacobian is summed up to it)."""
        return max(t.event_dim for t in self.transforms)

    @property
    def domain(self):
        return constraints.cat([t.domain for t in self.transforms], self.dim, self.lengths)

    @property
    def codomain(self):
        return constraints.cat([t.codomain for t in self.transforms], self.dim, self.lengths)

    def with_cache(self, cache_size=1):
        return self if self._cache_size == cache_size else CatTransform(self.transforms, self.dim, self.lengths,
                                                                         cache_size)

    def _cut(self, z):
        start, pieces = 0, []
        for length in self.lengths:
            pieces.append(narrow(z, self.dim, start, length))
            start += length
        return pieces

    def _join(self, parts):
        return concatenate(parts, axis=self.dim)

    def log_abs_det_jacobian(self, x, y):
        x, pieces = self._pieces_of_both(x, y)
        event_dim = self.event_dim
        pieces = [sum_rightmost(t.log_abs_det_jacobian(x_piece, y_piece), event_dim - t.event_dim)
                  for t, x_piece, y_piece in pieces]
        # (dim counted from the right of the batch: an axis of the batch joins the pieces, one of the event sums)
        dim = (self.dim - x.ndim if self.dim >= 0 else self.dim) + event_dim
        return concatenate(pieces, axis=dim) if dim < 0 else sum(pieces[1:], pieces[0])

    def __repr__(self):
        return f"CatTransform({self.transforms!r}, dim={self.dim}, lengths={self.lengths})"


class StackTransform(_SlicesTransform):
    """tseq[i] applied to index i along dim, the results stacked along dim again, as PyTorch's StackTransform.

    >>> import autograd_core as ag
    >>> from autograd_core.distributions.transforms import ExpTransform, StackTransform, identity_transform
    >>> t = StackTransform([ExpTransform(), identity_transform], dim=-1)
    >>> t.log_abs_det_jacobian(ag.tensor([2.0, 3.0]), t(ag.tensor([2.0, 3.0])))
    Tensor([2., 0.])
    """

    def __init__(self, tseq, dim=0, cache_size=0):
        super().__init__(tseq, dim, cache_size)

    @property
    def _size(self):
        return len(self.transforms)

    @property
    def domain(self):
        return constraints.stack([t.domain for t in self.transforms], self.dim)

    @property
    def codomain(self):
        return constraints.stack([t.codomain for t in self.transforms], self.dim)

    def with_cache(self, cache_size=1):
        return self if self._cache_size == cache_size else StackTransform(self.transforms, self.dim, cache_size)

    def _cut(self, z):
        return [select(z, self.dim, i) for i in range(z.shape[self.dim])]

    def _join(self, parts):
        return stack(parts, axis=self.dim)

    def log_abs_det_jacobian(self, x, y):
        _, pieces = self._pieces_of_both(x, y)
        return stack([t.log_abs_det_jacobian(x_piece, y_piece) for t, x_piece, y_piece in pieces], axis=self.dim)

    def __repr__(self):
        return f"StackTransform({self.transforms!r}, dim={self.dim})"
