"""PyTorch's torch.Size for code ported from it: a tuple of ints (shapes here are plain tuples, as NumPy's, and equal
it), met as `sample_shape=torch.Size()` in Distribution subclasses and `x.shape == torch.Size([2, 3])`."""
import math
import operator


class Size(tuple):
    """torch.Size(sizes=()): a tuple of ints with PyTorch's `numel()`; slicing, repeating or adding a tuple gives a
    Size.

    >>> import autograd_core as ag
    >>> ag.Size([2, 3]), ag.Size([2, 3]).numel(), ag.zeros((2, 3)).shape == ag.Size([2, 3])
    (Size([2, 3]), 6, True)
    """

    __slots__ = ()

    def __new__(cls, sizes=()):
        try:
            items = list(sizes)
        except TypeError:
            raise TypeError(f"Size: takes an iterable of ints, such as Size([2, 3]), got "
                            f"{type(sizes).__name__} {sizes!r}") from None
        for position, item in enumerate(items):
            if not hasattr(type(item), "__index__"):
                raise TypeError(f"Size: takes an iterable of ints; item {position} is "
                                f"{type(item).__name__} {item!r}")
        return super().__new__(cls, (operator.index(item) for item in items))

    def numel(self):
        """The number of elements of a Tensor of this shape (1 for Size()), as torch.Size.numel."""
        return math.prod(self)

    def __getitem__(self, index):
        item = super().__getitem__(index)
        return Size(item) if isinstance(index, slice) else item

    def __add__(self, other):
        if not isinstance(other, tuple):
            return NotImplemented
        return Size(tuple(self) + other)

    def __radd__(self, other):  # (a tuple on the left gives a Size too, as PyTorch's)
        if not isinstance(other, tuple):
            return NotImplemented
        return Size(other + tuple(self))

    def __mul__(self, times):
        return Size(tuple(self) * times)

    __rmul__ = __mul__

    def __repr__(self):
        return f"Size({list(self)})"

    def __reduce__(self):
        return Size, (tuple(self),)
