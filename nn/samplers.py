"""The samplers: the orders in which a DataLoader reads a dataset's items (PyTorch's torch.utils.data samplers):
Sampler (the base class a custom sampler subclasses), SequentialSampler, RandomSampler, SubsetRandomSampler,
WeightedRandomSampler (imbalanced datasets: each item drawn with probability proportional to its weight, often 1 / its
class's count), and BatchSampler, which groups another sampler's indices into batches. Randomness comes from a NumPy
Generator (generator=, also rng=: a Generator, a seed, or None for the default one, which ag.manual_seed seeds), so
the draws are not PyTorch's for the same seed."""
import itertools
import numbers
import typing

import numpy as np

from autograd_core import Tensor

from ._arguments import as_flag, checked_number, generator_of


class Sampler(typing.Generic[typing.TypeVar("T_co", covariant=True)]):
    """PyTorch's Sampler, the base class of the samplers: a subclass gives __iter__ (the indices, or lists of them
    for DataLoader(batch_sampler=)) and may give __len__. As PyTorch's, it has no __len__ of its own and its
    __init__ takes no data_source; Sampler[int] and Sampler[List[int]] are its typed forms.

    >>> import autograd_core as ag
    >>> from nn.data import DataLoader, Sampler, TensorDataset
    >>> class EveryOther(Sampler[int]):
    ...     def __init__(self, n):
    ...         self.n = n
    ...     def __iter__(self):
    ...         return iter(range(0, self.n, 2))
    >>> [b.tolist() for (b,) in DataLoader(TensorDataset(ag.arange(5)), sampler=EveryOther(5), batch_size=2)]
    [[0, 2], [4]]
    """

    def __iter__(self):
        raise NotImplementedError(f"{type(self).__name__}: a Sampler subclass must define __iter__ (the indices it "
                                  f"gives)")


def _check_dataset(dataset, owner):
    if not (hasattr(dataset, "__len__") and hasattr(dataset, "__getitem__")):
        raise TypeError(f"{owner}: dataset must support len() and dataset[i] (a TensorDataset, say), got "
                        f"{type(dataset).__name__}")


def _check_sized(data_source, owner):
    """A sampler's data_source needs only a length, as PyTorch's (an IterableDataset with __len__ will do)."""
    if not hasattr(data_source, "__len__"):
        raise TypeError(f"{owner}: dataset must support len() (a dataset, a range: only its length is read), got "
                        f"{type(data_source).__name__}")


class RandomSampler(Sampler):
    """PyTorch's RandomSampler: the indices of a dataset in random order, for DataLoader(sampler=...). Without
    replacement, a permutation of all of them (num_samples beyond len(data_source) goes on with new permutations, as
    PyTorch's); with replacement=True, num_samples indices drawn independently, made 32 at a time as they are read,
    so makemore's endless `RandomSampler(ds, replacement=True, num_samples=int(1e10))` costs nothing up front. The
    draws come from generator= (rng=, a NumPy Generator or a seed; None: the default one, which ag.manual_seed seeds),
    so they are not PyTorch's for the same seed.

    >>> import numpy as np
    >>> from nn.data import RandomSampler, TensorDataset
    >>> sampler = RandomSampler(TensorDataset(np.arange(5)), generator=0)
    >>> len(sampler), sorted(sampler)
    (5, [0, 1, 2, 3, 4])
    >>> len(RandomSampler(range(3), replacement=True, num_samples=10))
    10
    """

    def __init__(self, data_source, replacement=False, num_samples=None, generator=None, *, rng=None):
        _check_sized(data_source, "RandomSampler")
        self.data_source = data_source
        self.replacement = as_flag(replacement, "RandomSampler", "replacement")
        if num_samples is not None and (isinstance(num_samples, (bool, np.bool_)) or not isinstance(
                num_samples, numbers.Integral) or num_samples <= 0):
            raise ValueError(f"RandomSampler: num_samples must be a positive int (or None: one per item), got "
                             f"{num_samples!r}")
        self._num_samples = None if num_samples is None else int(num_samples)
        self.generator = generator_of(rng, generator, "RandomSampler")

    @property
    def num_samples(self):
        """How many indices a pass yields: num_samples as given, else len(data_source) (read at each pass)."""
        return len(self.data_source) if self._num_samples is None else self._num_samples

    def __len__(self):
        return self.num_samples

    def __iter__(self):
        n, count = len(self.data_source), self.num_samples
        if n == 0:
            raise ValueError("RandomSampler: the data source is empty (0 items): there is no index to draw")
        if self.replacement:
            for start in range(0, count, 32):  # a few at a time: count may be endless for practical purposes
                yield from self.generator.integers(0, n, size=min(32, count - start)).tolist()
            return
        for _ in range(count // n):
            yield from self.generator.permutation(n).tolist()
        yield from self.generator.permutation(n)[:count % n].tolist()


class SubsetRandomSampler(Sampler):
    """PyTorch's SubsetRandomSampler: the given indices (a range, a list, an array) in random order, a new order at
    each pass, without replacement; for DataLoader(sampler=...), as CS231n splits one dataset into training and
    validation loaders. The order comes from generator= (rng=, a NumPy Generator or a seed; None: the default one,
    which ag.manual_seed seeds), so it is not PyTorch's for the same seed.

    >>> from nn.data import SubsetRandomSampler
    >>> sampler = SubsetRandomSampler(range(10, 15), generator=0)
    >>> len(sampler), sorted(sampler)
    (5, [10, 11, 12, 13, 14])
    """

    def __init__(self, indices, generator=None, *, rng=None):
        if not (hasattr(indices, "__len__") and hasattr(indices, "__getitem__")):
            raise TypeError(f"SubsetRandomSampler: indices must be a sequence of indices (a range, a list, an "
                            f"array), got {type(indices).__name__}")
        self.indices = indices
        self.generator = generator_of(rng, generator, "SubsetRandomSampler")

    def __len__(self):
        return len(self.indices)

    def __iter__(self):
        for position in self.generator.permutation(len(self.indices)).tolist():
            yield self.indices[position]


class SequentialSampler(Sampler):
    """PyTorch's SequentialSampler: the indices 0, 1, ..., len(data_source) - 1 in order (the length read at each
    pass), for DataLoader(sampler=...) or a BatchSampler.

    >>> from nn.data import SequentialSampler
    >>> list(SequentialSampler(range(4))), len(SequentialSampler(range(4)))
    ([0, 1, 2, 3], 4)
    """

    def __init__(self, data_source):
        _check_sized(data_source, "SequentialSampler")
        self.data_source = data_source

    def __len__(self):
        return len(self.data_source)

    def __iter__(self):
        return iter(range(len(self.data_source)))


class BatchSampler(Sampler):
    """PyTorch's BatchSampler: the indices another sampler (any iterable of indices) gives, in lists of batch_size,
    the last one shorter unless drop_last; for DataLoader(batch_sampler=...).

    >>> from nn.data import BatchSampler, SequentialSampler
    >>> list(BatchSampler(SequentialSampler(range(5)), 2, drop_last=False))
    [[0, 1], [2, 3], [4]]
    >>> len(BatchSampler(range(5), 2, drop_last=True))
    2
    """

    def __init__(self, sampler, batch_size, drop_last):
        if not hasattr(sampler, "__iter__"):
            raise TypeError(f"BatchSampler: sampler must be an iterable of indices (a SequentialSampler, a "
                            f"RandomSampler, a range), got {type(sampler).__name__}")
        self.sampler = sampler
        self.batch_size = checked_number(batch_size, "BatchSampler", "batch_size", low=1, integer=True, plain=True)
        self.drop_last = as_flag(drop_last, "BatchSampler", "drop_last", ValueError)  # ValueError: as PyTorch's

    def __len__(self):
        n, b = len(self.sampler), self.batch_size
        return n // b if self.drop_last else -(-n // b)

    def __iter__(self):
        return _batches(self.sampler, self.batch_size, self.drop_last)


def _batches(indices, batch_size, drop_last):
    """The indices in lists of batch_size, read as they come (indices may be endless), the last one shorter unless
    drop_last."""
    indices = iter(indices)
    while (batch := list(itertools.islice(indices, batch_size))) and not (drop_last and len(batch) < batch_size):
        yield batch


class WeightedRandomSampler(Sampler):
    """PyTorch's WeightedRandomSampler(weights, num_samples, replacement=True, generator=None): num_samples indices
    in range(len(weights)), each drawn with probability weights[i] / sum(weights) (the weights need not sum to 1),
    for DataLoader(sampler=...). With replacement=False an index is drawn at most once, so num_samples may not exceed
    the count of nonzero weights. The draws come from generator= (rng=, a NumPy Generator or a seed; None: the
    default one, which ag.manual_seed seeds) through Generator.choice, so they are not PyTorch's for the same seed.

    >>> from nn.data import WeightedRandomSampler
    >>> sampler = WeightedRandomSampler([0.0, 1.0, 0.0, 3.0], num_samples=6, generator=0)
    >>> len(sampler), sorted(set(sampler))
    (6, [1, 3])
    >>> sorted(WeightedRandomSampler([1, 1, 0, 2], 3, replacement=False, generator=0))
    [0, 1, 3]
    """

    def __init__(self, weights, num_samples, replacement=True, generator=None, *, rng=None):
        self.num_samples = checked_number(num_samples, "WeightedRandomSampler", "num_samples", low=1, integer=True,
                                          plain=True, what="a positive int")
        self.replacement = as_flag(replacement, "WeightedRandomSampler", "replacement", ValueError)  # as PyTorch's
        self.weights = _checked_weights(weights)
        if not self.replacement and self.num_samples > np.count_nonzero(self.weights):
            raise ValueError(f"WeightedRandomSampler: with replacement=False, num_samples ({self.num_samples}) may "
                             f"not exceed the count of nonzero weights ({np.count_nonzero(self.weights)}): an index "
                             f"is drawn at most once")
        self.generator = generator_of(rng, generator, "WeightedRandomSampler")

    def __len__(self):
        return self.num_samples

    def __iter__(self):
        # (a generator: the draw happens at the first index read, as PyTorch's, so a seed set after iter() counts)
        probabilities = self.weights / self.weights.sum()
        drawn = self.generator.choice(len(probabilities), size=self.num_samples, replace=self.replacement,
                                      p=probabilities)
        yield from drawn.tolist()


def _checked_weights(weights):
    """weights as a 1-d float64 array of finite, non-negative numbers with a positive sum (a Tensor's values, a
    list, an array), else an error saying which rule it breaks."""
    values = weights.data if isinstance(weights, Tensor) else weights
    try:
        values = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"WeightedRandomSampler: weights must be a 1-d sequence of numbers, got "
                        f"{type(weights).__name__}") from None
    if values.ndim != 1:
        raise ValueError(f"WeightedRandomSampler: weights should be a 1d sequence but given weights have shape "
                         f"{values.shape}")
    if not np.all(np.isfinite(values)) or np.any(values < 0) or not values.sum() > 0:
        raise ValueError(f"WeightedRandomSampler: weights must be finite and non-negative with a positive sum, got "
                         f"{np.array2string(values, threshold=8)}")
    return values
