"""Datasets and mini-batches: Dataset (PyTorch's base class), TensorDataset, Subset, random_split, DataLoader,
train_val_test_split, and the names of collate, default_collate and default_convert (nn/collate.py), of the
samplers (nn/samplers.py), of ConcatDataset (nn/concat_dataset.py) and ChainDataset, and get_worker_info
(nn/_worker_options.py); DataLoader also batches an IterableDataset (nn/iterable_dataset.py).

A DataLoader's batches are Tensors (constants, outside any graph), as PyTorch's default collate makes them, so
`xb.view(-1, 64)`, `xb.size(0)` and `xb.to(device)` work as there; a TensorDataset holds NumPy arrays and gives its
items as constant Tensors too. As with PyTorch's
collate, a batch is a copy: changing it never changes the dataset. Randomness comes
from a NumPy Generator (`rng` may be a Generator, a seed, or None for the default one, which ag.manual_seed seeds;
DataLoader and random_split also take it as `generator=`, PyTorch's name).
"""
import functools
import itertools
import math
import operator
import numbers
import typing
import warnings

import numpy as np

from autograd_core import Tensor

from ._arguments import as_flag, checked_number, constant_of, generator, generator_of
from ._worker_options import check_worker_options, get_worker_info  # noqa: F401 (nn.data's name)
from .collate import CollateError, _batch_leaf, collate, default_collate, default_convert  # noqa: F401
from .concat_dataset import ConcatDataset
from .iterable_dataset import ChainDataset, IterableDataset, check_stream_options, stream_batches  # noqa: F401
from .samplers import (BatchSampler, RandomSampler, Sampler, SequentialSampler, SubsetRandomSampler,  # noqa: F401
                       WeightedRandomSampler, _batches, _check_dataset)  # (nn.data's names, as torch.utils.data's)


def _as_array(a, what, i):
    """The i-th of what's arrays as an ndarray of numbers, bools or strings, with a first (sample) dimension."""
    try:
        value = np.asarray(a)
    except ValueError as err:  # nested lists of different lengths
        raise ValueError(f"{what}: array {i} is ragged (its rows have different lengths), so it makes no array: "
                         f"{err}") from None
    if value.dtype.kind not in "biufcUS":  # objects (None, mixed types), dates: an array of them fails only later
        raise TypeError(f"{what}: array {i} has dtype {value.dtype}; the arrays must hold numbers, bools or strings")
    if value.ndim == 0:
        raise ValueError(f"{what}: got a 0-d value; each array needs a first (sample) dimension")
    return value


def _check_lengths(arrays, what):
    if not arrays:
        raise ValueError(f"{what}: needs at least one array")
    lengths = [len(a) for a in arrays]
    if len(set(lengths)) > 1:
        shapes = ", ".join(str(a.shape) for a in arrays)
        raise ValueError(f"{what}: all arrays must have the same first dimension (one row per sample), "
                         f"got shapes {shapes}")
    if lengths[0] == 0:
        raise ValueError(f"{what}: the arrays are empty (0 samples)")
    return lengths[0]


_T_co = typing.TypeVar("_T_co", covariant=True)


class Dataset(typing.Generic[_T_co]):
    """PyTorch's torch.utils.data.Dataset, the base of map-style datasets: a subclass defines `__getitem__` (item i)
    and `__len__`, and a DataLoader batches its items with collate. `a + b` is ConcatDataset([a, b]), and
    Dataset[T] the typed form, as PyTorch's.

    >>> from nn.data import DataLoader, Dataset
    >>> class Squares(Dataset):
    ...     def __len__(self):
    ...         return 4
    ...     def __getitem__(self, i):
    ...         return i, i * i
    >>> [yb.tolist() for xb, yb in DataLoader(Squares(), batch_size=2)]
    [[0, 1], [4, 9]]
    """

    def __getitem__(self, index):
        raise NotImplementedError(f"{type(self).__name__}: a Dataset subclass must define __getitem__ (item i of the "
                                  f"dataset) and __len__")

    def __add__(self, other):
        return ConcatDataset([self, other])


class TensorDataset(Dataset):
    """Arrays (or Tensors, stored as arrays) sharing their first dimension; item i is (a[i] for each array), each a
    constant Tensor (an array of strings gives strings), as PyTorch's.

    >>> import numpy as np
    >>> from nn.data import TensorDataset
    >>> ds = TensorDataset(np.zeros((3, 2)), np.array([0, 1, 2]))
    >>> len(ds), ds[1]
    (3, (Tensor([0., 0.]), Tensor(1)))
    >>> TensorDataset(np.zeros((3, 2)), np.zeros(4))
    Traceback (most recent call last):
    ...
    ValueError: TensorDataset: all arrays must have the same first dimension (one row per sample), got shapes (3, 2), (4,)
    """

    def __init__(self, *arrays):
        self.arrays = tuple(_as_array(a, "TensorDataset", i) for i, a in enumerate(arrays))
        self._len = _check_lengths(self.arrays, "TensorDataset")

    @property
    def tensors(self):
        """PyTorch's `dataset.tensors`: the arrays as constant Tensors sharing their memory (numbers and bools; an
        array of strings as it is), so `select_n_random(ds.tensors[0], ds.tensors[1])` runs as there.

        >>> import numpy as np
        >>> from nn.data import TensorDataset
        >>> TensorDataset(np.zeros((2, 1)), np.array([3, 4])).tensors[1]
        Tensor([3, 4])
        """
        return tuple(constant_of(a) for a in self.arrays)

    def __len__(self):
        return self._len

    def __getitem__(self, index):
        """One sample, or a batch when index is a slice or an integer array: numbers as constant Tensors (views
        into the dataset's arrays where NumPy's indexing gives one, as PyTorch's), strings as arrays."""
        return tuple(constant_of(a[index]) for a in self.arrays)


def _is_index(value):
    """Whether value is one integer index (a bool is none; a 0-d integer array or Tensor is one)."""
    if isinstance(value, (Tensor, np.ndarray)):
        return value.ndim == 0 and value.dtype.kind in "iu"
    return isinstance(value, numbers.Integral) and not isinstance(value, (bool, np.bool_))


class Subset(Dataset):
    """The items of dataset at the given indices, in their order (PyTorch's Subset): item i is
    dataset[indices[i]]. `.dataset` is the dataset and `.indices` the indices as a list of ints; random_split
    returns Subsets. A Subset of a TensorDataset is batched by a DataLoader as fast as the TensorDataset.

    >>> import numpy as np
    >>> from nn.data import Subset, TensorDataset
    >>> part = Subset(TensorDataset(np.arange(10) * 10), [7, 2])
    >>> len(part), part[0], part.indices
    (2, (Tensor(70),), [7, 2])
    >>> Subset(part.dataset, [10])
    Traceback (most recent call last):
    ...
    IndexError: Subset: index 10 is out of range for a dataset of 10 items (valid: -10 to 9)
    """

    def __init__(self, dataset, indices):
        _check_dataset(dataset, "Subset")
        values = np.asarray(indices.data if isinstance(indices, Tensor) else indices)
        if values.ndim != 1 or not (values.dtype.kind in "iu" or values.size == 0):
            hint = "; for a boolean mask, pass np.flatnonzero(mask)" if values.dtype.kind == "b" else ""
            raise TypeError(f"Subset: indices must be a sequence of ints (a list, a range or a 1-D integer array), "
                            f"got {type(indices).__name__} of dtype {values.dtype} and shape {values.shape}{hint}")
        n = len(dataset)
        outside = (values < -n) | (values >= n)
        if outside.any():
            raise IndexError(f"Subset: index {values[outside][0]} is out of range for a dataset of {n} items (valid: "
                             f"{-n} to {n - 1})")
        self.dataset, self.indices = dataset, values.astype(np.int64).tolist()

    def __len__(self):
        return len(self.indices)

    def __getitem__(self, index):
        """Item index of the subset; for a slice or an integer array, dataset[those items' indices] (a batch, as a
        TensorDataset gives)."""
        if _is_index(index):
            index = int(index)
            if not -len(self.indices) <= index < len(self.indices):
                raise IndexError(f"Subset: index {index} is out of range for a subset of {len(self.indices)} items")
            return self.dataset[self.indices[index]]
        return self.dataset[np.asarray(self.indices, dtype=np.int64)[index]]

    def __getitems__(self, indices):
        """The items at a list of the subset's indices, as PyTorch's (a DataLoader reads a batch with it): the
        dataset's own __getitems__ of their indices there where it has one, else its items one by one.

        >>> from nn.data import Subset
        >>> Subset([10, 11, 12, 13], [3, 1]).__getitems__([1, 0])
        [11, 13]
        """
        return _reader(self.dataset)([self.indices[i] for i in indices])


def random_split(dataset, lengths, rng=None, *, generator=None):
    """dataset split at random into Subsets of the given lengths, which do not overlap (PyTorch's random_split):
    lengths are counts (ints summing to len(dataset)) or fractions (numbers in [0, 1] summing to 1; each split gets
    floor(fraction * len(dataset)) items, and the items left over go one each to the splits in turn from the first,
    with PyTorch's warning for a split left empty). The splits cut ag.randperm(len(dataset), rng=rng) in order, so a
    seed gives the same splits each time; rng: a NumPy Generator or a seed (generator=, PyTorch's name, takes the
    same; not a torch.Generator).

    >>> import numpy as np
    >>> from nn.data import TensorDataset, random_split
    >>> train, val = random_split(TensorDataset(np.arange(10)), [0.8, 0.2], rng=0)
    >>> len(train), len(val), sorted(train.indices + val.indices) == list(range(10))
    (8, 2, True)
    >>> random_split(TensorDataset(np.arange(10)), [3, 6])
    Traceback (most recent call last):
    ...
    ValueError: random_split: the lengths [3, 6] sum to 9, not to the dataset's 10 items; give counts summing to 10 ...
    """
    rng = generator_of(rng, generator, "random_split")
    _check_dataset(dataset, "random_split")
    n = len(dataset)
    if isinstance(lengths, Tensor):
        lengths = lengths.data
    if not hasattr(lengths, "__iter__") or isinstance(lengths, (str, bytes)) or np.ndim(lengths) != 1:
        raise TypeError(f"random_split: lengths must be a sequence of counts or fractions, such as [800, 200] or "
                        f"[0.8, 0.2], got {lengths!r}")
    counts = _split_counts(list(lengths), n)
    order = rng.permutation(n).tolist()  # (ag.randperm's draw)
    ends = np.cumsum(counts).tolist()
    return [Subset(dataset, order[end - count:end]) for count, end in zip(counts, ends)]


def _split_counts(lengths, n):
    """random_split's counts: the lengths as they are when all are ints, else fractions of n (PyTorch's rule)."""
    valid = f"give counts summing to {n} (ints) or fractions summing to 1, such as [0.8, 0.2]"
    for i, length in enumerate(lengths):
        if isinstance(length, (bool, np.bool_)) or not isinstance(length, numbers.Real):
            raise TypeError(f"random_split: length {i} is {length!r}, which is no number; {valid}")
    if all(isinstance(length, numbers.Integral) for length in lengths):
        counts = [int(length) for length in lengths]
        negative = [i for i, count in enumerate(counts) if count < 0]
        if negative:
            raise ValueError(f"random_split: length {negative[0]} of {counts} is negative; {valid}")
        if sum(counts) != n:
            raise ValueError(f"random_split: the lengths {counts} sum to {sum(counts)}, not to the dataset's {n} "
                             f"items; {valid}")
        return counts
    for i, fraction in enumerate(lengths):
        if not 0 <= fraction <= 1:
            counts_hint = " (floats are fractions: give counts as ints)" if float(fraction).is_integer() else ""
            raise ValueError(f"random_split: fraction {i} of {lengths} is {fraction}, not between 0 and 1"
                             f"{counts_hint}; {valid}")
    if not math.isclose(math.fsum(lengths), 1):
        raise ValueError(f"random_split: the fractions {lengths} sum to {math.fsum(lengths)}, not to 1; {valid}")
    counts = [math.floor(n * fraction) for fraction in lengths]
    for i in range(max(n - sum(counts), 0)):  # the items the floors leave over, one each in turn
        counts[i % len(counts)] += 1
    if sum(counts) != n:  # (fractions a hair above 1 floored to more than n: only for n past about 10**9)
        raise ValueError(f"random_split: the fractions {lengths} give {sum(counts)} items of the dataset's {n}; "
                         f"{valid}")
    for i, count in enumerate(counts):
        if count == 0:
            warnings.warn(f"random_split: length of split at index {i} is 0. This might result in an empty dataset.",
                          UserWarning, stacklevel=3)
    return counts


def _sampled(index):
    """A sampler's index as dataset[...] takes it: a Python int for one index, else as it is (a list of indices from a
    BatchSampler passed as sampler=, which a dataset such as a TensorDataset reads as a batch, as in PyTorch)."""
    return int(index) if _is_index(index) else index


def _parallel_arrays(items):
    """True for what looks like (X, y) or (X, y, w): two or three arrays of one length, which is not their count.
    (tuple(X) of two or three samples looks the same: the message says to pass a list.)"""
    if len(items) not in (2, 3) or not all(isinstance(a, (np.ndarray, Tensor)) and a.ndim >= 1 for a in items):
        return False
    lengths = {len(a) for a in items}
    return len(lengths) == 1 and lengths != {len(items)}


class DataLoader(typing.Generic[_T_co]):
    """Mini-batches of a dataset (lists of Tensors, for tuple items, as PyTorch's); reshuffled at each pass when
    shuffle=True.

    Any dataset with `len()` and `dataset[i]` works; a TensorDataset, or a Subset of one, is batched
    by slicing its arrays (fast), others (a subclass with its own __getitem__ or __len__ too) by `default_collate`:
    lists for tuple and list items, dicts for dict items, one Tensor for array items; strings come as lists. Batches are
    copies, never views into the dataset's arrays.

    >>> import numpy as np
    >>> from nn.data import DataLoader, TensorDataset
    >>> loader = DataLoader(TensorDataset(np.arange(5), np.arange(5) * 10), batch_size=2)
    >>> len(loader)
    3
    >>> [xb.tolist() for xb, yb in loader]
    [[0, 1], [2, 3], [4]]
    >>> next(iter(loader))
    [Tensor([0, 1]), Tensor([ 0, 10])]
    >>> len(DataLoader(loader.dataset, batch_size=2, drop_last=True))
    2

    batch_size=None yields the items one by one, unbatched (copies too), as PyTorch's.

    PyTorch's `num_workers` (an int >= 0), `pin_memory` and `in_order` (flags), `worker_init_fn` (None or a function
    of the worker id, kept as `.worker_init_fn` and never called, as PyTorch's with num_workers=0), `timeout` (>= 0),
    `multiprocessing_context`, `prefetch_factor` and `persistent_workers` (refused with num_workers=0, as
    PyTorch's), and `pin_memory_device` (a device name, deprecated and ignored by PyTorch's) are taken, keyword-only,
    checked as PyTorch checks them, kept as attributes of those names, and change nothing: batches are sliced from
    NumPy arrays in this process, which worker processes would only slow down. PyTorch's
    `generator=` is `rng=` (a NumPy Generator or a seed, not a torch.Generator). PyTorch's `sampler=` (keyword-only)
    gives the order of the items instead of shuffle: a RandomSampler, or any iterable of indices (len(loader) needs
    its length); its indices are read as the batches are made. PyTorch's `batch_sampler=` gives each batch's indices
    instead (a BatchSampler, or any iterable of index lists; batch_size, shuffle, sampler and drop_last are then left
    at their defaults), and `collate_fn=` makes a batch from the list of its items (default:
    `default_collate`; a batch is then what collate_fn returns).

    >>> from nn.data import BatchSampler, SequentialSampler
    >>> batches = BatchSampler(SequentialSampler(loader.dataset), 3, drop_last=False)
    >>> [xb.tolist() for xb, yb in DataLoader(loader.dataset, batch_sampler=batches)]
    [[0, 1, 2], [3, 4]]
    >>> [b for b in DataLoader(range(5), batch_size=2, collate_fn=sum)]
    [1, 5, 4]
    """

    def __init__(self, dataset, batch_size=1, shuffle=False, drop_last=False, rng=None, *, num_workers=0,
                 pin_memory=False, generator=None, sampler=None, batch_sampler=None, collate_fn=None,
                 worker_init_fn=None, timeout=0, multiprocessing_context=None, prefetch_factor=None,
                 persistent_workers=False, in_order=True, pin_memory_device=""):
        check_worker_options(num_workers, pin_memory, worker_init_fn, timeout, multiprocessing_context,
                             prefetch_factor, persistent_workers, in_order, pin_memory_device)  # (no effect, as above)
        self.worker_init_fn = worker_init_fn  # (no worker processes: never called, as above)
        self.num_workers, self.pin_memory, self.timeout = num_workers, pin_memory, timeout  # (kept, as PyTorch's)
        self.multiprocessing_context, self.prefetch_factor = multiprocessing_context, prefetch_factor
        self.persistent_workers, self.in_order = persistent_workers, in_order
        self.pin_memory_device = pin_memory_device
        if batch_size is not None:  # (None: no batching, as PyTorch's)
            batch_size = checked_number(batch_size, "DataLoader", "batch_size", low=1, integer=True)
        streamed = isinstance(dataset, IterableDataset)
        if streamed:
            check_stream_options(shuffle, sampler, batch_sampler)
        else:
            _check_dataset(dataset, "DataLoader")
        if isinstance(dataset, tuple) and _parallel_arrays(dataset):
            raise TypeError(f"DataLoader: got a tuple of {len(dataset)} arrays, which would be a dataset of "
                            f"{len(dataset)} samples; for arrays X, y use DataLoader(TensorDataset(X, y), ...) (and "
                            f"for {len(dataset)} samples, a list of them)")
        if not streamed and len(dataset) == 0:
            raise ValueError("DataLoader: the dataset is empty (0 samples)")
        self.dataset, self.batch_size = dataset, batch_size
        if isinstance(shuffle, str):  # "no" would be True; None, 0 and 1 are taken as PyTorch takes them
            raise ValueError(f"DataLoader: shuffle must be True or False, got {shuffle!r}")
        self.shuffle = bool(shuffle)
        self.drop_last = as_flag(drop_last, "DataLoader", "drop_last", ValueError)  # ValueError: as PyTorch's
        if batch_size is None and self.drop_last:
            raise ValueError("DataLoader: batch_size=None yields the items one by one (no batches), so there is no "
                             "short batch to drop: drop_last must be False")
        self.rng = generator_of(rng, generator, "DataLoader")
        self.generator = None if rng is None and generator is None else self.rng  # (None when none given, as PyTorch's)
        if sampler is not None:
            if self.shuffle:  # (as PyTorch's: the sampler gives the order)
                raise ValueError("DataLoader: sampler= and shuffle=True exclude each other: the sampler gives the "
                                 "order (for a random one, pass RandomSampler(dataset))")
            _check_index_source(sampler, "sampler", "indices", "a RandomSampler, a list, a range")
        self._sampler = sampler
        if batch_sampler is not None:
            if batch_size != 1 or self.shuffle or sampler is not None or self.drop_last:  # (as PyTorch's)
                raise ValueError("DataLoader: batch_sampler= gives the batches, so it excludes batch_size, shuffle, "
                                 "sampler and drop_last: leave them at their defaults")
            _check_index_source(batch_sampler, "batch_sampler", "index lists", "a BatchSampler")
            self.batch_size = None
        self._batch_sampler = batch_sampler
        if collate_fn is not None and not callable(collate_fn):
            raise TypeError(f"DataLoader: collate_fn must be a function of the list of a batch's items, got "
                            f"{type(collate_fn).__name__}")
        self.collate_fn = collate_fn
        self._initialized = True

    def __setattr__(self, name, value):
        if name in _FIXED_AFTER_INIT and self.__dict__.get("_initialized"):  # (PyTorch's rule: its iterators read them)
            raise ValueError(f"DataLoader: the {name} attribute should not be set after the DataLoader is "
                             f"initialized; make a new DataLoader(dataset, {name}=...)")
        super().__setattr__(name, value)

    @property
    def collate_fn(self):
        """What makes a batch of the list of its items, as PyTorch's: the collate_fn given, else default_collate (or,
        with batch_size=None, default_convert, which makes each item); it may be set after init (None: the default).

        >>> from nn.data import DataLoader
        >>> DataLoader(range(4)).collate_fn.__name__, DataLoader(range(4), batch_size=None).collate_fn.__name__
        ('default_collate', 'default_convert')
        """
        if self._collate_fn is not None:
            return self._collate_fn
        return default_collate if self._collating() else default_convert

    @collate_fn.setter
    def collate_fn(self, function):
        default = default_collate if self._collating() else default_convert
        self._collate_fn = None if function is default else function  # (the default: batches sliced when they can be)

    def _collating(self):
        """Whether the items are made into batches (PyTorch's auto-collation): a batch_size or a batch_sampler (read
        from __dict__: a subclass may set collate_fn before DataLoader.__init__ sets them)."""
        settings = self.__dict__
        return settings.get("batch_size", 1) is not None or settings.get("_batch_sampler") is not None

    @property
    def batch_sampler(self):
        """The index lists of the batches, as PyTorch's: the batch_sampler given, else a BatchSampler of the sampler's
        indices in lists of batch_size, made once (None with batch_size=None).

        >>> from nn.data import DataLoader
        >>> loader = DataLoader(range(5), batch_size=2)
        >>> list(loader.batch_sampler), loader.batch_sampler is loader.batch_sampler
        ([[0, 1], [2, 3], [4]], True)
        """
        if self._batch_sampler is not None or self.batch_size is None:
            return self._batch_sampler
        if "_made_batch_sampler" not in self.__dict__:  # (one object, as PyTorch's; the batches never read it)
            self._made_batch_sampler = BatchSampler(self.sampler, self.batch_size, self.drop_last)
        return self._made_batch_sampler

    @property
    def sampler(self):
        """The order of the items, as PyTorch's: the sampler given, else a RandomSampler drawing from this loader's
        generator (shuffle=True) or a SequentialSampler, so that `loader.sampler.generator.manual_seed(s)` re-seeds
        the shuffling; for an IterableDataset, whose stream gives the order, PyTorch's _InfiniteConstantSampler (None
        for ever). Made once, as PyTorch's.

        >>> import numpy as np
        >>> from nn.data import DataLoader, TensorDataset
        >>> loader = DataLoader(TensorDataset(np.arange(4)), shuffle=True, generator=0)
        >>> type(loader.sampler).__name__, loader.sampler.generator is loader.rng
        ('RandomSampler', True)
        """
        if self._sampler is not None:
            return self._sampler
        if "_made_sampler" not in self.__dict__:
            if isinstance(self.dataset, IterableDataset):
                self._made_sampler = _InfiniteConstantSampler()
            else:
                self._made_sampler = RandomSampler(self.dataset, generator=self.rng) if self.shuffle else \
                    SequentialSampler(self.dataset)
        return self._made_sampler

    def __len__(self):
        if self._batch_sampler is not None:
            return len(self._batch_sampler)
        n, b = len(self.dataset if self._sampler is None else self._sampler), self.batch_size
        if b is None:
            return n
        return n // b if self.drop_last else -(-n // b)

    def __iter__(self):
        # A pass as PyTorch's single-process iterator: each next() reads the next batch's indices, then calls the
        # function making it, so when an item raises (a dataset's __getitem__, collate_fn) the pass stays usable and
        # the next call makes the batch after (a map object survives its function's error)
        if isinstance(self.dataset, IterableDataset):  # (the stream reads its items itself)
            return _Pass(stream_batches(self.dataset, self.batch_size, self.drop_last, self.collate_fn), self)
        return _Pass(map(operator.call, self._batch_makers()), self)

    def _batch_makers(self):
        """A function per batch of a map-style dataset, which reads its items and makes it (see __iter__)."""
        if self._batch_sampler is not None or self._collate_fn is not None:
            yield from self._collated_batches()
            return
        if self._sampler is not None:
            yield from self._sampled_batches()
            return
        n, b = len(self.dataset), self.batch_size
        if b is None:  # the items as they are (arrays copied, as the batches are)
            for i in (self.rng.permutation(n) if self.shuffle else range(n)):
                yield functools.partial(self._item, default_convert, i)
            return
        stop = n - n % b if self.drop_last else n
        order = self.rng.permutation(n) if self.shuffle else None
        arrays, positions = _rows_source(self.dataset)
        read = _reader(self.dataset)
        for start in range(0, stop, b):
            if arrays is None:
                idx = order[start:start + b] if order is not None else range(start, min(start + b, n))
                yield functools.partial(_items, default_collate, read, idx, int)
                continue
            rows = order[start:start + b] if order is not None else slice(start, start + b)
            if positions is not None:  # a Subset's rows: where they stand in its TensorDataset's arrays
                rows = positions[rows]
            yield functools.partial(_gathered, arrays, rows)

    def _item(self, make, index):
        return make(self.dataset[_sampled(index)])

    def _collated_batches(self):
        """The batches of batch_sampler's index lists, or of the sampler's or shuffle's order, each made by collate_fn
        from the list of its items (unbatched with batch_size=None: collate_fn of each item, as PyTorch's)."""
        make, read = self.collate_fn, _reader(self.dataset)
        if self._batch_sampler is not None:
            for rows in self._batch_sampler:
                yield functools.partial(_items, make, read, rows, int)
            return
        n = len(self.dataset)
        indices = self._sampler if self._sampler is not None else self.rng.permutation(n) if self.shuffle else range(n)
        if self.batch_size is None:
            for i in indices:
                yield functools.partial(self._item, make, i)
            return
        for rows in _batches(indices, self.batch_size, self.drop_last):
            yield functools.partial(_items, make, read, rows, _sampled)

    def _sampled_batches(self):
        """The batches of the items at the sampler's indices, read batch by batch (a sampler may be endless)."""
        indices, b = self._sampler, self.batch_size
        if b is None:
            for i in indices:
                yield functools.partial(self._item, default_convert, i)
            return
        arrays, positions = _rows_source(self.dataset)
        read = _reader(self.dataset)
        for rows in _batches(indices, b, self.drop_last):
            if arrays is None:
                yield functools.partial(_items, default_collate, read, rows, _sampled)
                continue
            yield functools.partial(self._sampled_rows, arrays, positions, rows)

    def _sampled_rows(self, arrays, positions, rows):
        """The batch of a TensorDataset's (or a Subset of one's) rows a sampler gave, checked when it is made."""
        rows = np.asarray(rows, dtype=np.int64)
        n = len(self.dataset)
        if ((rows < -n) | (rows >= n)).any():
            raise IndexError(f"DataLoader: the sampler gave index {rows[(rows < -n) | (rows >= n)][0]}, out of "
                             f"range for a dataset of {n} items")
        return _gathered(arrays, rows if positions is None else positions[rows])


class _InfiniteConstantSampler(Sampler):
    """PyTorch's sampler of a loader of an IterableDataset (loader.sampler, under loader.batch_sampler): None for
    ever, the stream giving the items; the batches never read it."""

    def __iter__(self):
        return itertools.repeat(None)


class _Pass:
    """iter(loader), as PyTorch's iterator: next() makes the next batch, len() is len(loader)."""
    __slots__ = ("_batches", "_loader")

    def __init__(self, batches, loader):
        self._batches, self._loader = batches, loader

    def __iter__(self):
        return self

    def __next__(self):
        return next(self._batches)

    def __len__(self):
        return len(self._loader)


def _gathered(arrays, rows):
    """A batch of a TensorDataset's arrays' rows: a slice (a view) copied, as torch's collate copies; an index array
    gathered batch by batch (a copy of the whole dataset might not fit in memory)."""
    if isinstance(rows, slice):
        return [_batch_leaf(a[rows].copy()) for a in arrays]
    return [_batch_leaf(a[rows]) for a in arrays]


_FIXED_AFTER_INIT = ("batch_size", "batch_sampler", "sampler", "drop_last", "dataset", "persistent_workers")


def _check_index_source(source, name, what, examples):
    """DataLoader's sampler= or batch_sampler=: an iterable of what (indices or index lists), read anew at each pass.
    A length is needed only by len(loader), as PyTorch's (a Sampler subclass may leave __len__ out)."""
    if not hasattr(source, "__iter__") or hasattr(source, "__next__"):  # (an iterator would be spent after a pass)
        raise TypeError(f"DataLoader: {name} must be an iterable of {what} read anew at each pass ({examples}), "
                        f"got {type(source).__name__}")


def _rows_source(dataset):
    """(arrays, positions) when dataset's batches can be gathered from arrays in one step: a TensorDataset's
    arrays (positions None: item i is row i), or those of a TensorDataset under one or more Subsets (positions: item
    i's row); else (None, None), and batches are collated item by item. A subclass that defines its own items or
    length is read through them."""
    positions = None
    while isinstance(dataset, Subset) and _keeps(dataset, Subset):
        own = np.asarray(dataset.indices, dtype=np.int64)
        positions = own if positions is None else own[positions]
        dataset = dataset.dataset
    if isinstance(dataset, TensorDataset) and _keeps(dataset, TensorDataset):
        return dataset.arrays, positions
    return None, None


def _keeps(dataset, base):
    """Whether dataset's class keeps base's __getitem__, __len__ and __getitems__ (or has none, as base)."""
    kind = type(dataset)
    return (kind.__getitem__ is base.__getitem__ and kind.__len__ is base.__len__
            and getattr(kind, "__getitems__", None) is getattr(base, "__getitems__", None))


def _items(make, read, indices, index):
    """make of the items at indices, each made a dataset's index by index: int (a shuffled order's, a batch sampler's)
    or _sampled (a sampler's: an int, or a list a dataset reads as a batch); read by read (_reader's)."""
    return make(read([index(i) for i in indices]))


def _reader(dataset):
    """A function of a list of indices giving their items: dataset.__getitems__, which PyTorch's DataLoader calls
    with a batch's indices in place of dataset[i] for each, else dataset[i] for each, one by one (also for a Subset
    subclass that overrides __getitem__ alone: its items are read through it)."""
    bulk = getattr(dataset, "__getitems__", None)
    if not callable(bulk) or isinstance(dataset, Subset) and type(dataset).__getitems__ is Subset.__getitems__ and \
            not _keeps(dataset, Subset):
        return lambda indices: [dataset[i] for i in indices]
    return bulk


def train_val_test_split(*arrays, val=0.1, test=0.1, rng=None):
    """Shuffle the samples once and cut them into (train, val, test), each a tuple with one array per input.

    val and test are fractions in [0, 1) (rounded to whole samples) or sample counts (ints).

    >>> import numpy as np
    >>> from nn.data import train_val_test_split
    >>> X, y = np.arange(20).reshape(10, 2), np.arange(10)
    >>> (Xtr, ytr), (Xva, yva), (Xte, yte) = train_val_test_split(X, y, val=0.2, test=0.3, rng=0)
    >>> len(ytr), len(yva), len(yte)
    (5, 2, 3)
    >>> bool((Xtr[:, 0] // 2 == ytr).all())
    True
    """
    arrays = tuple(_as_array(a, "train_val_test_split", i) for i, a in enumerate(arrays))
    n = _check_lengths(arrays, "train_val_test_split")

    def count(name, value):
        what = "a fraction in [0, 1) or a count of samples (an int >= 0)"
        if isinstance(value, (int, np.integer)):  # (a bool is refused as no count)
            return checked_number(value, "train_val_test_split", name, low=0, integer=True, what=what)
        fraction = checked_number(value, "train_val_test_split", name, low=0, high=1, high_open=True, plain=True,
                                  what=what)
        return int(round(fraction * n))

    n_val, n_test = count("val", val), count("test", test)
    if n_val + n_test >= n:
        raise ValueError(f"train_val_test_split: val ({n_val}) + test ({n_test}) samples leave none of the "
                         f"{n} for training")
    order = generator(rng, "train_val_test_split").permutation(n)
    cuts = (order[:n - n_val - n_test], order[n - n_val - n_test:n - n_test], order[n - n_test:])
    return tuple(tuple(a[idx] for a in arrays) for idx in cuts)
