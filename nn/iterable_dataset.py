"""PyTorch's IterableDataset, the base of stream-style datasets (a corpus read line by line, torchtext's Multi30k
or AG_NEWS), ChainDataset (streams one after another), and the batches a DataLoader makes of one: consecutive
items, in the order the stream gives them."""
import itertools
import typing

__all__ = ["ChainDataset", "DatasetKindError", "IterableDataset"]


class DatasetKindError(TypeError, AssertionError):
    """A dataset of a kind the operation does not take (an IterableDataset in a ConcatDataset, a map-style dataset in
    a ChainDataset): a TypeError, and PyTorch's AssertionError at once, so ported `except AssertionError` catches it."""


class IterableDataset(typing.Generic[typing.TypeVar("T_co", covariant=True)]):
    """PyTorch's torch.utils.data.IterableDataset: a subclass defines `__iter__` (the items, in order), and a
    DataLoader batches consecutive items with collate_fn (shuffle, sampler and batch_sampler are refused, as
    PyTorch's; `len(loader)` needs the dataset's own `__len__`).

    >>> from nn.data import DataLoader, IterableDataset
    >>> class Pairs(IterableDataset):
    ...     def __iter__(self):
    ...         return iter([("ein hund", "a dog"), ("eine katze", "a cat"), ("ein mann", "a man")])
    >>> [batch for batch in DataLoader(Pairs(), batch_size=2, collate_fn=list)]
    [[('ein hund', 'a dog'), ('eine katze', 'a cat')], [('ein mann', 'a man')]]
    """

    def __iter__(self):
        raise NotImplementedError(f"{type(self).__name__}: an IterableDataset subclass must define __iter__ (its "
                                  f"items, in order)")

    def __add__(self, other):
        """`stream1 + stream2`: a ChainDataset, as PyTorch's."""
        return ChainDataset([self, other])


class ChainDataset(IterableDataset):
    """PyTorch's torch.utils.data.ChainDataset: the items of each IterableDataset in turn (`a + b` makes one); its
    length, where asked, is the sum of theirs. A map-style dataset in it is refused when the chain is read, as
    PyTorch's.

    >>> from nn.data import ChainDataset, IterableDataset
    >>> class Upto(IterableDataset):
    ...     def __init__(self, n):
    ...         self.n = n
    ...     def __iter__(self):
    ...         return iter(range(self.n))
    >>> list(ChainDataset([Upto(2), Upto(3)])), list(Upto(1) + Upto(2))
    ([0, 1, 0, 1, 2], [0, 0, 1])
    """

    def __init__(self, datasets):
        self.datasets = datasets

    def __iter__(self):
        for dataset in self._streams():
            yield from dataset

    def __len__(self):
        return sum(len(dataset) for dataset in self._streams())

    def _streams(self):
        """The datasets, each checked to be an IterableDataset as it is reached (PyTorch's AssertionError)."""
        for i, dataset in enumerate(self.datasets):
            if not isinstance(dataset, IterableDataset):
                raise DatasetKindError(f"ChainDataset only supports IterableDataset; dataset {i} is a "
                                       f"{type(dataset).__name__} (join map-style datasets with ConcatDataset)")
            yield dataset


def check_stream_options(shuffle, sampler, batch_sampler):
    """Refuse what orders items by index, as PyTorch's DataLoader does for an IterableDataset (ValueError)."""
    for name, given in (("shuffle", bool(shuffle)), ("sampler", sampler is not None),
                        ("batch_sampler", batch_sampler is not None)):
        if given:
            raise ValueError(f"DataLoader: an IterableDataset gives its items in its own order, so {name}= is "
                             f"refused, as PyTorch's; shuffle inside the dataset's __iter__ instead")


def stream_batches(dataset, batch_size, drop_last, make):
    """The batches of consecutive items of dataset, each made by make from the list of its items (each item by make
    alone with batch_size=None); a last short batch is dropped with drop_last."""
    items = iter(dataset)
    if batch_size is None:
        for item in items:
            yield make(item)
        return
    while True:
        batch = list(itertools.islice(items, batch_size))
        if not batch or (drop_last and len(batch) < batch_size):
            return
        yield make(batch)
