"""PyTorch's IterableDataset, the base of stream-style datasets (a corpus read line by line, torchtext's Multi30k
or AG_NEWS), and the batches a DataLoader makes of one: consecutive items, in the order the stream gives them."""
import itertools

__all__ = ["IterableDataset"]


class IterableDataset:
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
