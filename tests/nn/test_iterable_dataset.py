"""nn.data.IterableDataset: a DataLoader batches its consecutive items as PyTorch's does (collate_fn, default_collate,
drop_last, batch_size=None) and refuses the index-ordering options PyTorch refuses."""
import numpy as np
import pytest

import autograd_core as ag
from nn.data import DataLoader, IterableDataset, RandomSampler

PAIRS = [("ein hund", "a dog"), ("eine katze", "a cat"), ("ein mann", "a man"), ("eine frau", "a woman"),
         ("der hund", "the dog")]


class Pairs(IterableDataset):
    def __iter__(self):
        return iter(PAIRS)


class Numbers(IterableDataset):
    def __init__(self, n):
        self.n = n

    def __iter__(self):
        return ((np.float64(i), i * i) for i in range(self.n))

    def __len__(self):
        return self.n


def _torch_batches(items, **kwargs):
    torch = pytest.importorskip("torch")

    class Stream(torch.utils.data.IterableDataset):
        def __iter__(self):
            return iter(items)

    return list(torch.utils.data.DataLoader(Stream(), **kwargs))


def test_consecutive_items_make_each_batch_through_collate_fn():
    got = list(DataLoader(Pairs(), batch_size=2, collate_fn=list))
    assert got == [PAIRS[0:2], PAIRS[2:4], PAIRS[4:]]
    assert list(DataLoader(Pairs(), batch_size=2, drop_last=True, collate_fn=list)) == [PAIRS[0:2], PAIRS[2:4]]
    assert list(DataLoader(Pairs(), batch_size=None, collate_fn=lambda item: item[1])) == [p[1] for p in PAIRS]
    assert got == _torch_batches(PAIRS, batch_size=2, collate_fn=list)


def test_default_collate_makes_tensors_and_every_pass_reads_the_stream_again():
    loader = DataLoader(Numbers(5), batch_size=2)
    first, again = list(loader), list(loader)
    assert len(loader) == 3 and len(first) == 3
    xb, yb = first[1]
    assert isinstance(xb, ag.Tensor) and xb.tolist() == [2.0, 3.0] and yb.tolist() == [4, 9]
    assert [[t.tolist() for t in b] for b in again] == [[t.tolist() for t in b] for b in first]
    expected = _torch_batches([(np.float64(i), i * i) for i in range(5)], batch_size=2)
    assert [[t.tolist() for t in b] for b in first] == [[t.tolist() for t in b] for b in expected]


def test_len_needs_the_datasets_own_len():
    with pytest.raises(TypeError):
        len(DataLoader(Pairs(), batch_size=2))
    assert len(DataLoader(Numbers(5), batch_size=2, drop_last=True)) == 2


@pytest.mark.parametrize("kwargs, name", [(dict(shuffle=True), "shuffle"),
                                          (dict(sampler=RandomSampler(range(5))), "sampler"),
                                          (dict(batch_sampler=[[0, 1]], batch_size=1), "batch_sampler")])
def test_index_ordering_options_are_refused(kwargs, name):
    with pytest.raises(ValueError, match=rf"DataLoader: an IterableDataset gives its items in its own order, so "
                                         rf"{name}= is refused"):
        DataLoader(Pairs(), **kwargs)


def test_a_subclass_without_iter_names_what_to_define():
    with pytest.raises(NotImplementedError, match="Empty: an IterableDataset subclass must define __iter__"):
        list(DataLoader(type("Empty", (IterableDataset,), {})(), batch_size=2))


def test_get_worker_info_is_none_so_a_sharding_stream_takes_its_single_process_branch():
    """Found by porting PyTorch's test_dataloader (get_worker_info is None in the main process): the name was missing,
    and PyTorch's documented IterableDataset splits its range among workers with it."""
    from nn.utils.data import get_worker_info

    class MyIterableDataset(IterableDataset):  # (PyTorch's torch.utils.data docs)
        def __init__(self, start, end):
            self.start, self.end = start, end

        def __iter__(self):
            worker_info = get_worker_info()
            if worker_info is None:  # single-process data loading, return the full iterator
                return iter(range(self.start, self.end))
            raise AssertionError("no worker processes here")

    assert get_worker_info() is None
    assert [b.tolist() for b in DataLoader(MyIterableDataset(3, 7), batch_size=3, num_workers=2)] == [[3, 4, 5], [6]]
    torch = pytest.importorskip("torch")
    assert torch.utils.data.get_worker_info() is None
