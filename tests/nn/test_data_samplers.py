"""nn.data, continued: Dataset (PyTorch's base class of map-style datasets), RandomSampler and DataLoader(sampler=),
as makemore.py builds its endless training loader:
DataLoader(ds, batch_size=32, sampler=RandomSampler(ds, replacement=True, num_samples=int(1e10))); SequentialSampler,
BatchSampler and DataLoader(batch_sampler=, collate_fn=), as fast.ai's course (04_minibatch_training) builds its own;
SubsetRandomSampler, as CS231n's PyTorch notebook splits CIFAR-10 into training and validation loaders."""
import itertools

import numpy as np
import pytest

import autograd_core as ag
import nn
from nn.data import (BatchSampler, DataLoader, Dataset, RandomSampler, SequentialSampler, Subset, SubsetRandomSampler,
                     TensorDataset)

X = np.arange(20, dtype=np.float32).reshape(10, 2)
Y = np.arange(10)


class Words(Dataset):
    """A map-style dataset as makemore's CharDataset: item i is (x, y), two int64 Tensors."""

    def __init__(self, n):
        self.n = n

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        x = ag.zeros(3, dtype=ag.long)
        x[1:] = i
        return x, ag.tensor(i)


def test_a_dataset_subclass_is_batched_by_collate():
    xb, yb = next(iter(DataLoader(Words(5), batch_size=4)))
    np.testing.assert_array_equal(xb, [[0, 0, 0], [0, 1, 1], [0, 2, 2], [0, 3, 3]])
    np.testing.assert_array_equal(yb, [0, 1, 2, 3])
    assert isinstance(Words(1), Dataset) and nn.Dataset is Dataset and nn.RandomSampler is RandomSampler


def test_a_dataset_without_getitem_says_what_to_define():
    class Empty(Dataset):
        def __len__(self):
            return 1
    with pytest.raises(NotImplementedError, match=r"^Empty: a Dataset subclass must define __getitem__"):
        Empty()[0]


def test_random_sampler_without_replacement_is_a_permutation_from_its_generator():
    sampler = RandomSampler(TensorDataset(X), generator=np.random.default_rng(3))
    assert len(sampler) == 10
    np.testing.assert_array_equal(list(sampler), np.random.default_rng(3).permutation(10))
    # num_samples beyond the items: whole permutations, then part of one, as PyTorch's
    rng = np.random.default_rng(4)
    expected = np.concatenate([rng.permutation(10), rng.permutation(10), rng.permutation(10)[:5]])
    np.testing.assert_array_equal(list(RandomSampler(TensorDataset(X), num_samples=25, rng=4)), expected)


def test_random_sampler_with_replacement_draws_32_at_a_time_as_read():
    sampler = RandomSampler(range(7), replacement=True, num_samples=70, generator=ag.Generator().manual_seed(5))
    rng = np.random.default_rng(5)
    expected = np.concatenate([rng.integers(0, 7, size=32), rng.integers(0, 7, size=32), rng.integers(0, 7, size=6)])
    np.testing.assert_array_equal(list(sampler), expected)
    endless = RandomSampler(range(7), replacement=True, num_samples=int(1e10), generator=0)
    assert len(endless) == 10 ** 10
    assert all(0 <= i < 7 for i in itertools.islice(endless, 100))  # (nothing drawn up front)


def test_random_sampler_follows_manual_seed_without_a_generator():
    ag.manual_seed(8)
    first = list(RandomSampler(range(6)))
    ag.manual_seed(8)
    assert list(RandomSampler(range(6))) == first == np.random.default_rng(8).permutation(6).tolist()


def test_random_sampler_refuses_what_pytorchs_refuses():
    for bad in (0, -3, 2.5, True):
        with pytest.raises(ValueError, match=rf"^RandomSampler: num_samples must be a positive int .*got {bad!r}$"):
            RandomSampler(range(3), num_samples=bad)
    with pytest.raises(TypeError, match=r"^RandomSampler: replacement must be True or False, got 'yes'$"):
        RandomSampler(range(3), replacement="yes")
    with pytest.raises(TypeError, match=r"^RandomSampler: dataset must support len\(\)"):
        RandomSampler(5)
    with pytest.raises(ValueError, match=r"^RandomSampler: the data source is empty"):
        list(RandomSampler([], replacement=True, num_samples=3))


def test_a_loader_with_a_sampler_batches_the_sampled_items_in_their_order():
    order = [3, 1, 4, 1, 5, 9, 2]
    batches = list(DataLoader(TensorDataset(X, Y), batch_size=3, sampler=order))
    assert len(DataLoader(TensorDataset(X, Y), batch_size=3, sampler=order)) == 3 == len(batches)
    np.testing.assert_array_equal(np.concatenate([yb for _, yb in batches]), order)
    np.testing.assert_array_equal(batches[0][0], X[[3, 1, 4]])
    dropped = DataLoader(TensorDataset(X, Y), batch_size=3, sampler=order, drop_last=True)
    assert len(dropped) == 2 and [yb.tolist() for _, yb in dropped] == [[3, 1, 4], [1, 5, 9]]
    unbatched = DataLoader(TensorDataset(X, Y), batch_size=None, sampler=order)
    assert [int(y) for _, y in unbatched] == order and len(unbatched) == 7
    through_subset = DataLoader(Subset(TensorDataset(X, Y), [9, 8, 7]), batch_size=2, sampler=[2, 0])
    assert [yb.tolist() for _, yb in through_subset] == [[7, 9]]
    collated = DataLoader(Words(10), batch_size=2, sampler=[4, 2])
    assert [yb.tolist() for _, yb in collated] == [[4, 2]]


def test_makemores_endless_loader_draws_batches_from_its_sampler():
    data = Words(180)
    sampler = RandomSampler(data, replacement=True, num_samples=int(1e10), generator=1)
    loader = DataLoader(data, batch_size=32, pin_memory=True, num_workers=0, sampler=sampler)
    assert len(loader) == -(-10 ** 10 // 32)
    batches = list(itertools.islice(iter(loader), 3))
    expected = np.random.default_rng(1).integers(0, 180, size=32)
    np.testing.assert_array_equal(batches[0][1], expected)
    assert all(xb.shape == (32, 3) and xb.dtype == np.int64 for xb, _ in batches)


def test_a_loader_with_a_sampler_matches_torchs():
    torch = pytest.importorskip("torch")
    order = [6, 0, 2, 2, 9]
    ours = [yb.tolist() for _, yb in DataLoader(TensorDataset(X, Y), batch_size=2, sampler=order)]
    theirs = [yb.tolist() for _, yb in torch.utils.data.DataLoader(
        torch.utils.data.TensorDataset(torch.tensor(X), torch.tensor(Y)), batch_size=2, sampler=order)]
    assert ours == theirs
    sampler = torch.utils.data.RandomSampler(range(10), num_samples=25)
    assert len(sampler) == len(RandomSampler(range(10), num_samples=25)) == 25
    assert sorted(list(sampler)[:20]) == sorted(list(RandomSampler(range(10), num_samples=25))[:20])


def test_a_loader_refuses_a_sampler_with_shuffle_and_what_is_no_sampler():
    with pytest.raises(ValueError, match=r"^DataLoader: sampler= and shuffle=True exclude each other"):
        DataLoader(TensorDataset(X), shuffle=True, sampler=[0, 1])
    with pytest.raises(TypeError, match=r"^DataLoader: sampler must be an iterable of indices read anew at each "
                                        r"pass \(a RandomSampler, a list, a range\), got list_iterator"):
        DataLoader(TensorDataset(X), sampler=iter([0, 1]))
    with pytest.raises(TypeError, match=r"^DataLoader: batch_sampler must be an iterable of index lists read anew"):
        DataLoader(TensorDataset(X), batch_sampler=5)
    with pytest.raises(IndexError, match=r"^DataLoader: the sampler gave index 10, out of range for a dataset of "
                                         r"10 items$"):
        list(DataLoader(TensorDataset(X), batch_size=2, sampler=[0, 10]))


# SequentialSampler, BatchSampler and DataLoader(batch_sampler=, collate_fn=) were missing: fast.ai's course builds
# DataLoader(train_ds, batch_sampler=BatchSampler(RandomSampler(train_ds), bs, drop_last=False), collate_fn=collate).

class Pairs(Dataset):
    """The course's Dataset: item i is (x[i], y[i]), Tensors."""

    def __init__(self, x, y):
        self.x, self.y = ag.tensor(x), ag.tensor(y)

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return self.x[i], self.y[i]


def stacked(items):
    """The course's collate: the items' columns stacked into Tensors."""
    xs, ys = zip(*items)
    return ag.stack(xs), ag.stack(ys)


@pytest.mark.parametrize("drop_last", [False, True])
def test_sequential_and_batch_samplers_give_pytorchs_index_lists(drop_last):
    batches = BatchSampler(SequentialSampler(range(7)), 3, drop_last=drop_last)
    expected = [[0, 1, 2], [3, 4, 5]] + ([] if drop_last else [[6]])
    assert list(SequentialSampler(range(4))) == [0, 1, 2, 3] and len(SequentialSampler(range(4))) == 4
    assert list(batches) == expected and len(batches) == len(expected)
    torch = pytest.importorskip("torch")
    theirs = torch.utils.data.BatchSampler(torch.utils.data.SequentialSampler(range(7)), 3, drop_last=drop_last)
    assert list(batches) == list(theirs) and len(batches) == len(theirs)


def test_a_batch_sampler_over_a_random_sampler_cuts_its_permutation_in_order():
    batches = list(BatchSampler(RandomSampler(range(10), generator=6), 4, drop_last=False))
    assert [len(b) for b in batches] == [4, 4, 2]
    assert sum(batches, []) == np.random.default_rng(6).permutation(10).tolist()


def test_a_loader_with_a_batch_sampler_and_collate_fn_gives_the_collated_batches():
    batches = BatchSampler(RandomSampler(range(10), generator=2), 4, drop_last=False)
    loader = DataLoader(Pairs(X, Y), batch_sampler=batches, collate_fn=stacked)
    got = list(loader)
    assert len(loader) == 3 == len(got)
    order = np.random.default_rng(2).permutation(10)  # the sampler's first pass
    for (xb, yb), rows in zip(got, (order[:4], order[4:8], order[8:])):
        assert isinstance(xb, ag.Tensor) and isinstance(yb, ag.Tensor)
        np.testing.assert_array_equal(xb.data, X[rows])
        np.testing.assert_array_equal(yb.data, Y[rows])
    # without collate_fn, the default collate (arrays), and a TensorDataset the same
    for ds in (Pairs(X, Y), TensorDataset(X, Y)):
        xb, yb = next(iter(DataLoader(ds, batch_sampler=[[9, 0, 3]])))
        np.testing.assert_array_equal(xb, X[[9, 0, 3]])
        np.testing.assert_array_equal(yb, Y[[9, 0, 3]])
    torch = pytest.importorskip("torch")
    theirs = torch.utils.data.DataLoader(Pairs(X, Y), batch_sampler=[[9, 0, 3], [1]], collate_fn=stacked)
    mine = DataLoader(Pairs(X, Y), batch_sampler=[[9, 0, 3], [1]], collate_fn=stacked)
    for (xb, yb), (txb, tyb) in zip(mine, theirs):
        np.testing.assert_array_equal(xb.data, txb.data)
        np.testing.assert_array_equal(yb.data, tyb.data)


def test_collate_fn_makes_each_batch_of_the_sampler_shuffle_or_order():
    ds = Pairs(X, Y)
    ordered = [yb.tolist() for _, yb in DataLoader(ds, 4, sampler=SequentialSampler(ds), collate_fn=stacked)]
    assert ordered == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    kept = [yb.tolist() for _, yb in DataLoader(ds, 4, shuffle=True, drop_last=True, rng=1, collate_fn=stacked)]
    assert kept == np.random.default_rng(1).permutation(10)[:8].reshape(2, 4).tolist()
    assert list(DataLoader(range(5), batch_size=None, collate_fn=lambda i: i * 10)) == [0, 10, 20, 30, 40]


def test_a_batch_sampler_given_as_sampler_gives_batches_of_one_batch_as_pytorchs():
    xb, yb = next(iter(DataLoader(TensorDataset(X, Y), sampler=BatchSampler(range(10), 4, drop_last=False))))
    assert xb.shape == (1, 4, 2) and yb.tolist() == [[0, 1, 2, 3]]
    xb, yb = next(iter(DataLoader(Pairs(X, Y), sampler=BatchSampler(range(10), 4, drop_last=False))))
    assert xb.shape == (1, 4, 2) and yb.tolist() == [[0, 1, 2, 3]]


def test_batch_samplers_and_collate_fn_refuse_what_pytorchs_refuses():
    ds = Pairs(X, Y)
    for bad in ({"batch_size": 4}, {"shuffle": True}, {"sampler": range(10)}, {"drop_last": True}):
        with pytest.raises(ValueError, match=r"^DataLoader: batch_sampler= gives the batches, so it excludes"):
            DataLoader(ds, batch_sampler=[[0, 1]], **bad)
    with pytest.raises(TypeError, match=r"^DataLoader: batch_sampler must be an iterable of index lists"):
        DataLoader(ds, batch_sampler=iter([[0, 1]]))
    with pytest.raises(TypeError, match=r"^DataLoader: collate_fn must be a function"):
        DataLoader(ds, collate_fn="stack")
    for bad in (0, -1, 2.5):
        with pytest.raises((ValueError, TypeError), match=r"^BatchSampler: batch_size must be"):
            BatchSampler(range(3), bad, drop_last=False)
    with pytest.raises(ValueError, match=r"^BatchSampler: drop_last must be True or False"):  # as PyTorch
        BatchSampler(range(3), 2, drop_last="no")
    with pytest.raises(TypeError, match=r"^BatchSampler: sampler must be an iterable of indices"):
        BatchSampler(3, 2, drop_last=False)
    assert nn.SequentialSampler is SequentialSampler and nn.BatchSampler is BatchSampler


def test_subset_random_sampler_shuffles_the_given_indices_anew_at_each_pass():
    sampler = SubsetRandomSampler(range(3, 9), generator=5)
    draws = np.random.default_rng(5)
    first, second = list(sampler), list(sampler)
    assert first == [3 + int(i) for i in draws.permutation(6)]  # the indices at a NumPy permutation's positions
    assert second == [3 + int(i) for i in draws.permutation(6)]
    assert len(sampler) == 6 and sorted(first) == list(range(3, 9)) and nn.SubsetRandomSampler is SubsetRandomSampler
    assert list(SubsetRandomSampler(np.array([7]), rng=0)) == [7] and list(SubsetRandomSampler([])) == []


def test_subset_random_sampler_splits_one_dataset_into_two_loaders_as_cs231n():
    ds = TensorDataset(X, Y)
    train = DataLoader(ds, batch_size=4, sampler=SubsetRandomSampler(range(7), rng=0))
    val = DataLoader(ds, batch_size=4, sampler=SubsetRandomSampler(range(7, 10), rng=0))
    seen = [yb.tolist() for _, yb in train]
    assert [len(b) for b in seen] == [4, 3] and sorted(sum(seen, [])) == list(range(7)) and len(train) == 2
    (xb, yb), = list(val)
    assert sorted(yb.tolist()) == [7, 8, 9] and np.array_equal(xb, X[yb])


def test_subset_random_sampler_draws_what_torchs_draws_up_to_order():
    torch = pytest.importorskip("torch")
    ours = list(SubsetRandomSampler(range(20, 30), rng=1))
    theirs = list(torch.utils.data.SubsetRandomSampler(range(20, 30)))
    assert sorted(ours) == sorted(theirs) and len(ours) == len(theirs) == 10


def test_subset_random_sampler_refuses_what_has_no_positions():
    with pytest.raises(TypeError, match=r"^SubsetRandomSampler: indices must be a sequence of indices"):
        SubsetRandomSampler(5)
    with pytest.raises(TypeError, match=r"^SubsetRandomSampler: indices must be a sequence of indices"):
        SubsetRandomSampler(iter([1, 2]))


def _fixed_batches(base):
    """A Sampler subclass of base (nn's or torch's) giving the given lists of indices, as a batch_sampler."""
    class FixedBatches(base):
        def __init__(self, batches):
            self.batches = batches

        def __len__(self):
            return len(self.batches)

        def __iter__(self):
            yield from self.batches
    return FixedBatches


def test_a_custom_sampler_subclasses_sampler_as_opacus_poisson_sampler():
    # Opacus's UniformWithReplacementSampler: a Sampler subclass giving lists of indices, some of them empty, as a
    # batch_sampler; the samplers here are Samplers, as PyTorch's
    FixedBatches = _fixed_batches(nn.data.Sampler)
    batches = [[3, 1], [], [0, 2, 4]]
    dataset = nn.data.TensorDataset(ag.arange(10.0).reshape(5, 2))

    def collate(items):
        return nn.data.default_collate(items) if items else [ag.zeros((0, 2))]

    loader = nn.data.DataLoader(dataset, batch_sampler=FixedBatches(batches), collate_fn=collate)
    assert [b.data.tolist() for (b,) in loader] == [[[6.0, 7.0], [2.0, 3.0]], [], [[0.0, 1.0], [4.0, 5.0],
                                                                                   [8.0, 9.0]]]
    assert len(loader) == 3
    assert nn.utils.data.Sampler is nn.data.Sampler is nn.Sampler
    assert nn.data.Sampler[int] is not None  # the typed form, as Sampler[List[int]] in annotations
    for sampler in (nn.data.SequentialSampler(range(3)), nn.data.RandomSampler(range(3)),
                    nn.data.BatchSampler(range(3), 2, False), nn.data.SubsetRandomSampler([0, 1]),
                    nn.data.WeightedRandomSampler([1.0, 2.0], 2)):
        assert isinstance(sampler, nn.data.Sampler)
    with pytest.raises(NotImplementedError, match="Sampler subclass must define __iter__"):
        iter(nn.data.Sampler())
    with pytest.raises(TypeError):
        len(nn.data.Sampler())  # no __len__ of its own, as PyTorch's

    class EveryOther(nn.data.Sampler):  # no __len__: the loader iterates, only len(loader) fails (as PyTorch's)
        def __iter__(self):
            return iter(range(0, 5, 2))

    lengthless = nn.data.DataLoader(dataset, sampler=EveryOther(), batch_size=2)
    assert [b.data[:, 0].tolist() for (b,) in lengthless] == [[0.0, 4.0], [8.0]]
    assert [b.data[:, 0].tolist() for (b,) in lengthless] == [[0.0, 4.0], [8.0]]  # read anew at the second pass
    with pytest.raises(TypeError, match="has no len"):
        len(lengthless)
    torch = pytest.importorskip("torch")

    TorchFixedBatches = _fixed_batches(torch.utils.data.Sampler)

    def torch_collate(items):
        return torch.utils.data.default_collate(items) if items else [torch.zeros((0, 2))]

    theirs = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.arange(10.0).reshape(5, 2)),
                                         batch_sampler=TorchFixedBatches(batches), collate_fn=torch_collate)
    assert [b.tolist() for (b,) in theirs] == [b.data.tolist() for (b,) in loader]
    assert isinstance(torch.utils.data.RandomSampler(range(3)), torch.utils.data.Sampler)


def test_sequential_and_random_samplers_need_only_a_length_as_torchs():
    """PyTorch's test_invalid_ctor_args_combinations builds SequentialSampler(an IterableDataset with __len__)."""
    class Sized:
        def __len__(self):
            return 3

    assert list(SequentialSampler(Sized())) == [0, 1, 2]
    assert sorted(RandomSampler(Sized(), generator=0)) == [0, 1, 2]
    torch = pytest.importorskip("torch")
    assert list(torch.utils.data.SequentialSampler(Sized())) == [0, 1, 2]
