"""Datasets and mini-batches: TensorDataset, DataLoader, train_val_test_split.

Batches are tuples of NumPy arrays, not Tensors: every layer and loss takes arrays as
they come (wrap a batch in `ag.Tensor` yourself if you need one). As with PyTorch's
collate, a batch is a copy: changing it never changes the dataset. Randomness comes
from a NumPy Generator (`rng` may be a Generator, a seed, or None for fresh entropy).
"""
import numpy as np

from autograd_core import Tensor

from ._arguments import as_flag, checked_number, generator


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


class TensorDataset:
    """Arrays (or Tensors, stored as arrays) sharing their first dimension; item i is (a[i] for each array).

    >>> import numpy as np
    >>> from nn.data import TensorDataset
    >>> ds = TensorDataset(np.zeros((3, 2)), np.array([0, 1, 2]))
    >>> len(ds), ds[1][1]
    (3, np.int64(1))
    >>> TensorDataset(np.zeros((3, 2)), np.zeros(4))
    Traceback (most recent call last):
    ...
    ValueError: TensorDataset: all arrays must have the same first dimension (one row per sample), got shapes (3, 2), (4,)
    """

    def __init__(self, *arrays):
        self.arrays = tuple(_as_array(a, "TensorDataset", i) for i, a in enumerate(arrays))
        self._len = _check_lengths(self.arrays, "TensorDataset")

    def __len__(self):
        return self._len

    def __getitem__(self, index):
        """One sample, or a batch when index is a slice or an integer array."""
        return tuple(a[index] for a in self.arrays)


def _parallel_arrays(items):
    """True for what looks like (X, y) or (X, y, w): two or three arrays of one length, which is not their count.
    (tuple(X) of two or three samples looks the same: the message says to pass a list.)"""
    if len(items) not in (2, 3) or not all(isinstance(a, (np.ndarray, Tensor)) and a.ndim >= 1 for a in items):
        return False
    lengths = {len(a) for a in items}
    return len(lengths) == 1 and lengths != {len(items)}


class DataLoader:
    """Mini-batches of a dataset (tuples of NumPy arrays, for tuple items); reshuffled at each pass when shuffle=True.

    Any dataset with `len()` and `dataset[i]` works; a TensorDataset is batched by slicing its
    arrays (fast), others (a subclass with its own __getitem__ or __len__ too) by `collate`:
    tuples of arrays for tuple items, dicts for dict items, one array for array items. Batches are
    copies, never views into the dataset's arrays.

    >>> import numpy as np
    >>> from nn.data import DataLoader, TensorDataset
    >>> loader = DataLoader(TensorDataset(np.arange(5), np.arange(5) * 10), batch_size=2)
    >>> len(loader)
    3
    >>> [xb.tolist() for xb, yb in loader]
    [[0, 1], [2, 3], [4]]
    >>> len(DataLoader(loader.dataset, batch_size=2, drop_last=True))
    2

    batch_size=None yields the items one by one, unbatched (copies too), as PyTorch's.

    PyTorch's `num_workers` (an int >= 0) and `pin_memory` (a flag) are taken, keyword-only, and change nothing:
    batches are sliced from NumPy arrays in this process, which worker processes would only slow down.
    """

    def __init__(self, dataset, batch_size=1, shuffle=False, drop_last=False, rng=None, *, num_workers=0,
                 pin_memory=False):
        checked_number(num_workers, "DataLoader", "num_workers", low=0, integer=True)  # (no effect, as above)
        as_flag(pin_memory, "DataLoader", "pin_memory")
        if batch_size is not None:  # (None: no batching, as PyTorch's)
            batch_size = checked_number(batch_size, "DataLoader", "batch_size", low=1, integer=True)
        if not (hasattr(dataset, "__len__") and hasattr(dataset, "__getitem__")):
            raise TypeError(f"DataLoader: dataset must support len() and dataset[i] (a TensorDataset, say), got "
                            f"{type(dataset).__name__}")
        if isinstance(dataset, tuple) and _parallel_arrays(dataset):
            raise TypeError(f"DataLoader: got a tuple of {len(dataset)} arrays, which would be a dataset of "
                            f"{len(dataset)} samples; for arrays X, y use DataLoader(TensorDataset(X, y), ...) (and "
                            f"for {len(dataset)} samples, a list of them)")
        if len(dataset) == 0:
            raise ValueError("DataLoader: the dataset is empty (0 samples)")
        self.dataset, self.batch_size = dataset, batch_size
        if isinstance(shuffle, str):  # "no" would be True; None, 0 and 1 are taken as PyTorch takes them
            raise ValueError(f"DataLoader: shuffle must be True or False, got {shuffle!r}")
        self.shuffle = bool(shuffle)
        self.drop_last = as_flag(drop_last, "DataLoader", "drop_last", ValueError)  # ValueError: as PyTorch's
        if batch_size is None and self.drop_last:
            raise ValueError("DataLoader: batch_size=None yields the items one by one (no batches), so there is no "
                             "short batch to drop: drop_last must be False")
        self.rng = generator(rng, "DataLoader")

    def __len__(self):
        n, b = len(self.dataset), self.batch_size
        if b is None:
            return n
        return n // b if self.drop_last else -(-n // b)

    def __iter__(self):
        n, b = len(self.dataset), self.batch_size
        if b is None:  # the items as they are (arrays copied, as the batches are)
            for i in (self.rng.permutation(n) if self.shuffle else range(n)):
                yield _copied(self.dataset[int(i)])
            return
        stop = n - n % b if self.drop_last else n
        order = self.rng.permutation(n) if self.shuffle else None
        # A TensorDataset is batched by slicing its arrays, unless a subclass defines its own items or length
        kind = type(self.dataset)
        sliceable = (isinstance(self.dataset, TensorDataset) and kind.__getitem__ is TensorDataset.__getitem__
                     and kind.__len__ is TensorDataset.__len__)
        arrays = self.dataset.arrays if sliceable else None
        for start in range(0, stop, b):
            if arrays is None:
                idx = order[start:start + b] if order is not None else range(start, min(start + b, n))
                yield collate([self.dataset[int(i)] for i in idx])
            elif order is not None:  # gathered batch by batch: a copy of the whole dataset might not fit in memory
                rows = order[start:start + b]
                yield tuple(a[rows] for a in arrays)
            else:  # a slice is a view into the dataset: copied, as torch's collate does
                yield tuple(a[start:start + b].copy() for a in arrays)


def collate(items):
    """A batch from a list of items, as torch's default collate: tuples (and lists) column by column (a namedtuple
    stays one), dicts key by key, anything else (arrays, numbers, Tensors) stacked into one array. Items that do not
    fit together (tuples of other lengths, arrays of other shapes, a key missing) or hold what no array holds (None)
    are refused, as torch's collate refuses them.

    >>> import numpy as np
    >>> from nn.data import collate
    >>> xb, yb = collate([(np.zeros(2), 0), (np.ones(2), 1)])
    >>> xb.shape, yb.tolist()
    ((2, 2), [0, 1])
    >>> collate([{"x": 1.0}, {"x": 2.0}])
    {'x': array([1., 2.])}
    >>> collate([(np.zeros(2), 0), (np.ones(2),)])
    Traceback (most recent call last):
    ...
    ValueError: collate: item 1 of the batch is a tuple of 1 entries, item 0 a tuple of 2 entries; every item needs ...
    """
    first = items[0]
    if isinstance(first, dict):
        for i, item in enumerate(items):
            missing = [key for key in first if not (isinstance(item, dict) and key in item)]
            if missing:
                raise (KeyError if isinstance(item, dict) else TypeError)(
                    f"collate: item {i} of the batch is {_described(item)} without the key {missing[0]!r}, which "
                    f"item 0 has; every item needs the same keys")
        return {key: collate([item[key] for item in items]) for key in first}
    if isinstance(first, (tuple, list)):
        for i, item in enumerate(items):  # zip would cut every column to the shortest item
            if not isinstance(item, (tuple, list)) or len(item) != len(first):
                raise ValueError(f"collate: item {i} of the batch is {_described(item)}, item 0 {_described(first)}; "
                                 f"every item needs the same structure")
        columns = [collate(list(column)) for column in zip(*items)]
        return type(first)._make(columns) if hasattr(type(first), "_fields") else tuple(columns)  # (a namedtuple)
    arrays = [np.asarray(item) for item in items]
    for i, array in enumerate(arrays):
        if array.dtype.kind not in "biufcUS":  # None, or another object: an object array would only fail later
            raise TypeError(f"collate: item {i} of the batch is {_described(items[i])}, which makes an array of "
                            f"dtype {array.dtype}; a batch holds arrays, numbers (ints within 64 bits), Tensors, "
                            f"strings, and tuples, lists or dicts of them")
        if array.shape != arrays[0].shape:
            raise ValueError(f"collate: item {i} of the batch has shape {array.shape}, item 0 shape "
                             f"{arrays[0].shape}; items are stacked into one array, so they need the same shape")
    return np.stack(arrays)


def _copied(item):
    """item with each array in it (inside tuples, lists and dicts too) copied: an unbatched item is no view into the
    dataset."""
    if isinstance(item, np.ndarray):
        return item.copy()
    if isinstance(item, dict):
        return {key: _copied(value) for key, value in item.items()}
    if isinstance(item, (tuple, list)):
        values = [_copied(value) for value in item]
        return type(item)._make(values) if hasattr(type(item), "_fields") else type(item)(values)
    return item


def _described(item):
    """An item in collate's errors: "a tuple of 2 entries", "a NoneType", "an int"."""
    kind = type(item).__name__
    article = "an" if kind[:1].lower() in "aeiou" else "a"
    return f"{article} {kind} of {len(item)} entries" if isinstance(item, (tuple, list)) else f"{article} {kind}"


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
