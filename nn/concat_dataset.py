"""PyTorch's ConcatDataset: map-style datasets one after another (`dataset1 + dataset2` makes one)."""
import bisect

from .iterable_dataset import DatasetKindError, IterableDataset

__all__ = ["ConcatDataset"]


class ConcatDataset:
    """PyTorch's torch.utils.data.ConcatDataset: the items of each dataset in turn (any dataset with len() and
    dataset[i]: a list, a TensorDataset); item i of the whole is item i - cumulative_sizes[k - 1] of dataset k. A
    negative index counts from the end; `.datasets` and `.cumulative_sizes` are PyTorch's attributes.

    >>> from nn.data import ConcatDataset
    >>> both = ConcatDataset([[0, 1, 2], [10, 11]])
    >>> len(both), both[3], both[-1], both.cumulative_sizes
    (5, 10, 11, [3, 5])
    >>> both[5]
    Traceback (most recent call last):
    ...
    IndexError: ConcatDataset: index 5 is out of range for 5 items (valid: -5 to 4)
    """

    def __init__(self, datasets):
        self.datasets = list(datasets)
        if not self.datasets:
            raise DatasetKindError("ConcatDataset: datasets should not be an empty iterable; give a list of datasets")
        for i, dataset in enumerate(self.datasets):
            if isinstance(dataset, IterableDataset):
                raise DatasetKindError(f"ConcatDataset does not support IterableDataset (dataset {i} is a "
                                       f"{type(dataset).__name__}); chain streams with ChainDataset or `+`")
            if not (hasattr(dataset, "__len__") and hasattr(dataset, "__getitem__")):
                raise DatasetKindError(f"ConcatDataset: dataset {i} must support len() and dataset[i], got "
                                       f"{type(dataset).__name__}")
        self.cumulative_sizes = self.cumsum(self.datasets)

    @staticmethod
    def cumsum(sequence):
        """The running totals of the datasets' lengths (PyTorch's ConcatDataset.cumsum)."""
        totals, total = [], 0
        for dataset in sequence:
            total += len(dataset)
            totals.append(total)
        return totals

    def __len__(self):
        return self.cumulative_sizes[-1]

    def __add__(self, other):
        return ConcatDataset([self, other])

    def __getitem__(self, index):
        n = len(self)
        if not -n <= index < n:
            raise IndexError(f"ConcatDataset: index {index} is out of range for {n} items (valid: {-n} to {n - 1})")
        if index < 0:
            index += n
        k = bisect.bisect_right(self.cumulative_sizes, index)
        return self.datasets[k][index - (self.cumulative_sizes[k - 1] if k else 0)]
