"""PyTorch's in-place shape changes: unsqueeze_/squeeze_, transpose_/swapaxes_/swapdims_/t_, resize_/resize_as_ and
set_, each giving the Tensor a new shape (or, set_, another's memory) and counting it as a change; refused on a
recorded result, and on a leaf that requires grad while gradients are recorded. They are set on Tensor when this
module is imported, at the end of torch_names.py.
"""
import math
import operator

import numpy as np
from numpy.lib.array_utils import normalize_axis_index

from ._arguments import check_scalar_dims, is_int
from .grad_mode import is_grad_enabled
from .shared_memory import share_memory
from .tensor import Tensor


class _InPlaceShape:
    """The methods set on Tensor below (a class, so that each keeps its place and reads as a method)."""

    def unsqueeze_(self, dim):
        """PyTorch's unsqueeze_: a size-1 axis inserted at dim in place, returning self (`target.unsqueeze_(-1)`).
        Only the shape changes (the memory stays shared with views), counted as a change, as PyTorch counts it;
        refused on a leaf that requires grad while gradients are recorded, and on a recorded result (write
        x = x.unsqueeze(dim)).

        >>> import autograd_core as ag
        >>> t = ag.tensor([1, 2, 3])
        >>> t.unsqueeze_(-1).shape, t.shape
        ((3, 1), (3, 1))
        """
        return self._reshape_in_place("unsqueeze_", self.detach().unsqueeze(dim).shape, "x = x.unsqueeze(dim)")

    def squeeze_(self, dim=None):
        """PyTorch's squeeze_: size-1 axes (all, or the one at dim) removed in place, returning self; refused as
        unsqueeze_ is. As squeeze, an axis at dim whose size is not 1 is refused (PyTorch keeps it).

        >>> import autograd_core as ag
        >>> t = ag.zeros((1, 3, 1))
        >>> t.squeeze_(0).shape, t.squeeze_().shape
        ((3, 1), (3,))
        """
        shape = self.detach().squeeze(dim=dim).shape if dim is not None else self.detach().squeeze().shape
        return self._reshape_in_place("squeeze_", shape, "x = x.squeeze(dim)")

    def transpose_(self, dim0, dim1):
        """PyTorch's transpose_: axes dim0 and dim1 swapped in place, returning self (K-FAC's patch extraction,
        `x.transpose_(1, 2).transpose_(2, 3)`); a view of the same memory, refused as unsqueeze_ is.

        >>> import autograd_core as ag
        >>> t = ag.zeros((2, 3, 4))
        >>> t.transpose_(0, 2).shape, t.shape
        ((4, 3, 2), (4, 3, 2))
        """
        if not (is_int(dim0) and is_int(dim1)):
            raise TypeError(f"transpose_: dim0 and dim1 must be ints, got {dim0!r} and {dim1!r}")
        if self.ndim == 0:  # (PyTorch's: swapping dims 0 and -1 keeps it)
            check_scalar_dims("transpose_", dim0, dim1)
        dims = [normalize_axis_index(d, self.ndim, msg_prefix="transpose_") for d in (dim0, dim1)] if self.ndim else ()
        return self._reshape_in_place("transpose_", None, "x = x.transpose(dim0, dim1)",
                                      rearranged=lambda data: np.swapaxes(data, *dims) if dims else data)

    def swapaxes_(self, axis0, axis1):
        """PyTorch's swapaxes_ (swapdims_ is transpose_ itself): transpose_(axis0, axis1) under PyTorch's names.

        >>> import autograd_core as ag
        >>> ag.zeros((2, 3)).swapdims_(0, 1).shape
        (3, 2)
        """
        return self.transpose_(axis0, axis1)

    swapdims_ = transpose_  # (PyTorch's names of its arguments: dim0, dim1)

    def t_(self):
        """PyTorch's t_: a matrix transposed in place (a Tensor of fewer than two axes kept), returning self;
        refused as unsqueeze_ is.

        >>> import autograd_core as ag
        >>> ag.zeros((2, 3)).t_().shape
        (3, 2)
        """
        if self.ndim > 2:
            raise ValueError(f"t_: expects a Tensor of at most 2 axes, got shape {self.shape}; write "
                             f"x.transpose_(dim0, dim1)")
        return self._reshape_in_place("t_", None, "x = x.t()", rearranged=lambda data: data.T)

    def resize_(self, *sizes, memory_format=None):
        """PyTorch's resize_: the shape changed to sizes (ints, or one tuple or Size) in place, returning self; the
        elements keep their order as far as they reach, and new ones are 0 (PyTorch's are uninitialised): the old
        pix2pix/CycleGAN's `self.input_A.resize_(input_A.size()).copy_(input_A)`. memory_format is PyTorch's and
        changes nothing (NumPy arrays here are C-ordered). Refused as unsqueeze_ is.

        >>> import autograd_core as ag
        >>> t = ag.tensor([1.0, 2.0, 3.0])
        >>> t.resize_(2, 2)
        Tensor([[1., 2.],
                [3., 0.]])
        """
        shape = tuple(sizes[0]) if len(sizes) == 1 and isinstance(sizes[0], (tuple, list)) else sizes
        if not all(map(is_int, shape)) or any(operator.index(size) < 0 for size in shape):
            raise TypeError(f"resize_: sizes must be non-negative ints, or one tuple of them, got {sizes!r}")
        shape = tuple(map(operator.index, shape))
        return self._reshape_in_place("resize_", shape, "x = x.new_zeros(sizes) (then copy the values wanted)",
                                      resize=True)

    def resize_as_(self, other, memory_format=None):
        """PyTorch's resize_as_: resize_(other.shape), other a Tensor (or array), returning self.

        >>> import autograd_core as ag
        >>> ag.tensor([1.0, 2.0, 3.0]).resize_as_(ag.zeros((1, 2)))
        Tensor([[1., 2.]])
        """
        if not hasattr(other, "shape"):
            raise TypeError(f"resize_as_: other must be a Tensor (its shape is taken), got {type(other).__name__}")
        return self.resize_(tuple(other.shape), memory_format=memory_format)

    def set_(self, source=None):
        """PyTorch's set_(source): self takes source's values and shape, sharing its memory (a change to one is
        seen in the other), returning self; with no source, self becomes empty. `w.set_(f(w))` under ag.no_grad()
        sets a parameter to a new value of another shape, say. source must have self's dtype, as PyTorch's; refused
        as unsqueeze_ is (PyTorch's storage_offset, size and stride are not taken: arrays here own their layout).

        >>> import autograd_core as ag
        >>> t, source = ag.zeros(3), ag.tensor([[1.0, 2.0]])
        >>> t.set_(source)
        Tensor([[1., 2.]])
        >>> source.fill_(5.0) is source, t.tolist()
        (True, [[5.0, 5.0]])
        """
        if source is None:
            source = Tensor(np.empty(0, dtype=self.dtype))
        if not isinstance(source, Tensor):
            raise TypeError(f"set_: source must be a Tensor (or None for an empty one), got {type(source).__name__}")
        if source.dtype != self.dtype:
            raise TypeError(f"set_: source has dtype {source.dtype} but this Tensor has {self.dtype}; they must be the "
                            f"same, as PyTorch's (write x.set_(source.to(x.dtype)))")
        self._refuse_shape_change("set_", "x = source")
        if source is not self:
            self.data = source.data  # (as the .data setter: a new version, the old memory's sharing ended)
            share_memory(self, source)  # (then a change to either is a change to both)
        return self

    def _refuse_shape_change(self, owner, instead):
        if self._op is not None or self._requires_grad and is_grad_enabled():
            what = (f"was computed by '{self._op.name}' in a recorded graph" if self._op is not None else
                    "is a leaf that requires grad, while gradients are recorded")
            raise RuntimeError(f"{owner}: this Tensor (shape {self.shape}) {what}, so its shape cannot change in "
                               f"place (backward reads it, and a Tensor takes only a record of its own shape); write "
                               f"{instead} for a new, recorded Tensor")

    def _reshape_in_place(self, owner, shape, instead, resize=False, rearranged=None):
        self._refuse_shape_change(owner, instead)
        if rearranged is not None:  # (the same elements seen another way: a view of the same memory)
            self._data = rearranged(self.data)
        elif resize and math.prod(shape) != self.data.size:  # (another count: the elements in order, then zeros)
            kept = np.zeros(math.prod(shape), dtype=self.dtype)
            count = min(kept.size, self.data.size)
            kept[:count] = self.data.reshape(-1)[:count]
            self._data = kept.reshape(shape)
        else:
            self._data = self.data.reshape(shape)  # (a view of the same memory: expand_dims/squeeze never copy)
        self._count_change()
        return self


for _name, _method in list(vars(_InPlaceShape).items()):
    if not _name.startswith("__"):
        _method.__qualname__ = f"Tensor.{_method.__name__}"  # (swapdims_ is transpose_)
        setattr(Tensor, _name, _method)
del _name, _method
