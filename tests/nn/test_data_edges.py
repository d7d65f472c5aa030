"""nn.data, continued from test_data.py: a batch's tuples and lists are lists, as torch's default collate makes
them, so that code testing isinstance(X, list) (d2l's train_batch_ch13, whose BERT fine-tuning samples are
((tokens, segments, valid_len), label)) takes the same branch; and so are an item's with batch_size=None, as torch's
default_convert makes them."""
import numpy as np
import pytest

import autograd_core as ag
from nn.data import (DataLoader, Dataset, RandomSampler, SequentialSampler, Subset, TensorDataset, collate,
                     default_collate)


class PairedInputs(Dataset):
    """d2l's SNLIBERTDataset: each item ((tokens, segments, valid_len), label)."""

    def __len__(self):
        return 3

    def __getitem__(self, i):
        return (ag.tensor([i, i + 1]), ag.tensor([0, 1]), ag.tensor(float(i))), ag.tensor(i % 2)


def test_a_tuple_of_inputs_is_batched_into_a_list():
    X, y = next(iter(DataLoader(PairedInputs(), batch_size=2)))
    assert type(X) is list and len(X) == 3
    np.testing.assert_array_equal(X[0].numpy(), [[0, 1], [1, 2]])
    np.testing.assert_array_equal(X[1].numpy(), [[0, 1], [0, 1]])
    np.testing.assert_array_equal(X[2].numpy(), [0.0, 1.0])
    np.testing.assert_array_equal(y.numpy(), [0, 1])


def test_collate_gives_lists_for_tuples_and_lists_and_keeps_a_namedtuple():
    assert type(collate([(1, 2), (3, 4)])) is list and type(collate([[1, 2], [3, 4]])) is list
    batch = default_collate([(np.zeros(2), (0, 1)), (np.ones(2), (2, 3))])
    assert type(batch) is list and type(batch[1]) is list
    np.testing.assert_array_equal(batch[1][1].numpy(), [1, 3])
    from collections import namedtuple
    Pair = namedtuple("Pair", "x y")
    assert type(collate([Pair(1, 2), Pair(3, 4)])) is Pair


@pytest.mark.parametrize("dataset", [TensorDataset(np.arange(8.0).reshape(4, 2), np.arange(4)),
                                     Subset(TensorDataset(np.arange(8.0).reshape(4, 2), np.arange(4)), [3, 1, 0])],
                         ids=["TensorDataset", "Subset"])
@pytest.mark.parametrize("kwargs", [{}, {"shuffle": True}, {"sampler": [2, 0, 1]}], ids=["slices", "shuffled",
                                                                                           "sampler"])
def test_tensor_dataset_batches_are_lists(dataset, kwargs):
    for batch in DataLoader(dataset, batch_size=2, **kwargs):
        assert type(batch) is list and len(batch) == 2


def test_batches_are_torchs_types():
    torch = pytest.importorskip("torch")
    tdata = torch.utils.data
    ours = next(iter(DataLoader(PairedInputs(), batch_size=2)))

    class TorchPairedInputs(tdata.Dataset):
        def __len__(self):
            return 3

        def __getitem__(self, i):
            return tuple(torch.tensor(x.numpy()) for x in PairedInputs()[i][0]), torch.tensor(i % 2)
    theirs = next(iter(tdata.DataLoader(TorchPairedInputs(), batch_size=2)))
    assert type(ours) is type(theirs) is list and type(ours[0]) is type(theirs[0]) is list
    for a, b in zip(ours[0] + [ours[1]], theirs[0] + [theirs[1]]):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    tensors = tdata.DataLoader(tdata.TensorDataset(torch.ones(4, 2), torch.ones(4)), batch_size=2)
    assert type(next(iter(tensors))) is type(next(iter(DataLoader(TensorDataset(np.ones((4, 2)), np.ones(4)),
                                                                 batch_size=2)))) is list


def test_unbatched_items_have_lists_for_tuples_as_torchs_default_convert():
    item = next(iter(DataLoader(PairedInputs(), batch_size=None)))
    assert type(item) is list and type(item[0]) is list and len(item[0]) == 3
    np.testing.assert_array_equal(item[0][0].numpy(), [0, 1])
    x, y = next(iter(DataLoader(TensorDataset(np.arange(4.0).reshape(2, 2), np.arange(2)), batch_size=None)))
    np.testing.assert_array_equal(x.numpy(), [0.0, 1.0])
    torch = pytest.importorskip("torch")

    class Nested(torch.utils.data.Dataset):
        def __len__(self):
            return 2

        def __getitem__(self, i):
            return (np.full(2, i), (i, [i]))
    theirs = next(iter(torch.utils.data.DataLoader(Nested(), batch_size=None)))
    ours = next(iter(DataLoader(Nested(), batch_size=None)))
    assert type(theirs) is type(ours) is list and type(theirs[1]) is type(ours[1]) is list
    assert ours[1] == theirs[1] == [0, [0]]
    np.testing.assert_array_equal(ours[0].numpy(), theirs[0].numpy())


def test_tensor_dataset_tensors_are_its_arrays_as_constant_tensors():
    """PyTorch's `dataset.tensors` (the tensorboard tutorial's select_n_random(ds.tensors[0], ds.tensors[1])):
    the dataset's arrays, sharing their memory, as Tensors outside any graph; strings stay an array."""
    X, y = np.arange(6.0).reshape(3, 2), np.array([2, 0, 1])
    ds = TensorDataset(ag.tensor(X), y, np.array(["a", "b", "c"]))
    features, labels, names = ds.tensors
    assert isinstance(features, ag.Tensor) and not features.requires_grad and features.dtype == np.float64
    np.testing.assert_array_equal(features.numpy(), X)
    np.testing.assert_array_equal(labels.numpy(), y)
    assert labels.dtype == np.int64 and features.data is ds.arrays[0]  # no copy, as torch's are the given tensors
    assert isinstance(names, np.ndarray) and names.tolist() == ["a", "b", "c"]
    perm = ag.tensor([2, 0])
    np.testing.assert_array_equal(features[perm][:1].numpy(), [[4.0, 5.0]])
    torch = pytest.importorskip("torch")
    reference = torch.utils.data.TensorDataset(torch.tensor(X), torch.tensor(y))
    assert len(ds.tensors) == 3 and len(reference.tensors) == 2
    np.testing.assert_array_equal(features.numpy(), reference.tensors[0].numpy())
    np.testing.assert_array_equal(labels.numpy(), reference.tensors[1].numpy())


def test_a_loaders_default_sampler_is_pytorchs_and_reseeding_its_generator_reseeds_the_shuffling():
    # Step-by-Step's set_seed: loader.sampler.generator.manual_seed(seed); the sampler was None here, silently
    generator = ag.Generator().manual_seed(1)
    loader = DataLoader(TensorDataset(np.arange(8)), batch_size=8, shuffle=True, generator=generator)
    assert type(loader.sampler) is RandomSampler and loader.sampler.generator is generator
    loader.sampler.generator.manual_seed(42)
    first = next(iter(loader))[0].tolist()
    loader.sampler.generator.manual_seed(42)
    assert next(iter(loader))[0].tolist() == first
    assert first == ag.Generator().manual_seed(42).permutation(8).tolist()  # the loader's own draw, from that seed
    assert type(DataLoader(TensorDataset(np.arange(3))).sampler) is SequentialSampler
    given = SequentialSampler(range(3))
    assert DataLoader(TensorDataset(np.arange(3)), sampler=given).sampler is given
    torch = pytest.importorskip("torch")
    theirs = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.arange(8)), shuffle=True)
    assert type(theirs.sampler).__name__ == type(loader.sampler).__name__


# TensorDataset's items are constant Tensors (strings as they are), as PyTorch's, so x.unsqueeze(0), x.size(0) run
def test_tensor_dataset_items_are_constant_tensors_viewing_the_arrays_in_their_dtype():
    X, y, names = np.arange(12, dtype=np.float32).reshape(4, 3), np.arange(4, dtype=np.int16), np.array(list("abcd"))
    ds = TensorDataset(X, y, names)
    x, label, name = ds[1]
    assert type(x) is ag.Tensor and type(label) is ag.Tensor and not x.requires_grad and x.grad_fn is None
    assert (x.dtype, label.dtype) == (np.float32, np.int16) and (x.shape, label.shape) == ((3,), ())
    np.testing.assert_array_equal(x.data, X[1])
    assert label.item() == 1 and name == "b" and type(name) is np.str_
    assert np.shares_memory(x.data, ds.arrays[0])  # a view, as PyTorch's dataset[i]
    assert x.unsqueeze(0).shape == (1, 3) and x.size(0) == 3
    xs, labels, some = ds[1:3]  # a slice, and an integer array, give batches
    np.testing.assert_array_equal(xs.data, X[1:3])
    assert type(labels) is ag.Tensor and labels.tolist() == [1, 2] and some.tolist() == ["b", "c"]
    assert ds[np.array([3, 0])][1].tolist() == [3, 0]


def test_subset_and_random_split_items_are_tensors_and_unbatched_items_are_copies():
    import nn
    ds = TensorDataset(np.arange(10.0).reshape(5, 2), np.arange(5))
    part = Subset(ds, [4, 1])
    x, y = part[0]
    assert type(x) is ag.Tensor and x.tolist() == [8.0, 9.0] and y.item() == 4
    train, val = nn.data.random_split(ds, [3, 2], rng=0)
    assert all(type(t) is ag.Tensor for t in train[0] + val[1])
    assert [t.item() for t in (train[i][1] for i in range(3))] == [train.indices[i] for i in range(3)]
    x, y = next(iter(DataLoader(ds, batch_size=None)))  # yielded items are copies: writing them leaves ds alone
    x.data[:] = -1
    assert ds.arrays[0][0].tolist() == [0.0, 1.0] and type(y) is ag.Tensor


def test_tensor_dataset_items_are_torchs_types():
    torch = pytest.importorskip("torch")
    X, y = np.arange(12.0).reshape(4, 3), np.arange(4)
    theirs = torch.utils.data.TensorDataset(torch.from_numpy(X), torch.from_numpy(y))[2]
    ours = TensorDataset(X, y)[2]
    for a, b in zip(ours, theirs):
        assert type(a) is ag.Tensor and isinstance(b, torch.Tensor) and a.shape == tuple(b.shape)
        assert str(a.dtype) == str(b.numpy().dtype)
        np.testing.assert_array_equal(a.data, b.numpy())
    assert ours[0].unsqueeze(0).size(0) == theirs[0].unsqueeze(0).size(0) == 1


class CustomList(list):
    pass


class CustomDict(dict):
    pass


def test_collate_keeps_dict_and_list_subclasses_and_reads_a_range_as_a_sequence_as_torch():
    """PyTorch's test_dataloader test_default_collate_{mapping,sequence}_keep_type and _dont_keep_type."""
    batch = default_collate([CustomDict({"a": 1, "b": 2}), CustomDict({"a": 3, "b": 4})])
    assert type(batch) is CustomDict and batch["a"].tolist() == [1, 3] and batch["b"].tolist() == [2, 4]
    batch = default_collate([CustomList([1, 2, 3]), CustomList([4, 5, 6])])
    assert type(batch) is CustomList and [t.tolist() for t in batch] == [[1, 4], [2, 5], [3, 6]]
    batch = default_collate([range(2), range(2)])
    assert type(batch) is list and [t.tolist() for t in batch] == [[0, 0], [1, 1]]
    pytest.importorskip("torch")
    from torch.utils.data import default_collate as torch_collate
    theirs = torch_collate([CustomList([1, 2, 3]), CustomList([4, 5, 6])])
    assert type(theirs) is CustomList and [t.tolist() for t in theirs] == [t.tolist() for t in
                                                                            default_collate([CustomList([1, 2, 3]),
                                                                                             CustomList([4, 5, 6])])]
    assert [t.tolist() for t in torch_collate([range(2), range(2)])] == [[0, 0], [1, 1]]


def test_default_convert_keeps_types_and_makes_arrays_and_numpy_numbers_tensors_as_torch():
    from nn.data import default_convert
    assert type(default_convert(CustomDict({"a": 1}))) is CustomDict
    assert type(default_convert(CustomList([1, 2]))) is CustomList and default_convert(CustomList([1, 2])) == [1, 2]
    assert default_convert(range(2)) == [0, 1] and default_convert((1, "a")) == [1, "a"]
    source = np.arange(3)
    converted = default_convert({"x": source, "n": np.float32(2.5)})
    assert isinstance(converted["x"], ag.Tensor) and converted["x"].tolist() == [0, 1, 2]
    converted["x"].data[0] = 9
    assert source[0] == 0  # a copy, as the batches are
    assert isinstance(converted["n"], ag.Tensor) and converted["n"].dtype == np.float32 and converted["n"].ndim == 0
    torch = pytest.importorskip("torch")
    from torch.utils.data import default_convert as torch_convert
    theirs = torch_convert({"x": source, "n": np.float32(2.5)})
    assert theirs["n"].dtype == torch.float32 and theirs["n"].ndim == 0 and theirs["x"].tolist() == [0, 1, 2]


def test_ragged_sequences_and_string_arrays_are_refused_as_torch_refuses_them():
    """Sequences of other lengths raise PyTorch's RuntimeError (a ValueError too); an item that is an array of
    strings or objects a TypeError, as torch's default_collate."""
    for batch in ([["X"], ["X", "X"]], [["X", "X"], ["X"]]):
        with pytest.raises(RuntimeError, match=r"^collate: item 1 of the batch is a list") as caught:
            default_collate(batch)
        assert isinstance(caught.value, ValueError)
    with pytest.raises(TypeError, match=r"^collate: item 0 of the batch is an array of dtype <U1"):
        default_collate(np.array([[["a", "b", "c"]]]))
    with pytest.raises(TypeError):
        default_collate(np.array([[[object(), object()]]]))
    assert default_collate(["a", "b"]) == ["a", "b"]
    pytest.importorskip("torch")
    from torch.utils.data import default_collate as torch_collate
    with pytest.raises(RuntimeError):
        torch_collate([["X"], ["X", "X"]])
    with pytest.raises(TypeError):
        torch_collate(np.array([[["a", "b", "c"]]]))


def test_datasets_and_loaders_take_type_arguments_and_a_loaders_settings_stay_as_torchs():
    """PyTorch's test_typing and test_invalid_assign_after_init."""
    class Typed(Dataset[list]):
        def __len__(self):
            return 2

        def __getitem__(self, i):
            return i

    assert DataLoader[list] is not None and isinstance(Typed(), Dataset)
    loader = DataLoader(Typed())
    for name in ("batch_size", "sampler", "batch_sampler", "drop_last", "dataset"):
        with pytest.raises(ValueError, match=rf"^DataLoader: the {name} attribute should not be set after"):
            setattr(loader, name, {})
    loader.collate_fn = None  # (others may change, as in PyTorch)
    assert [b.tolist() for b in loader] == [[0], [1]]
    torch = pytest.importorskip("torch")
    with pytest.raises(ValueError):
        torch.utils.data.DataLoader([1, 2]).batch_size = 3


def test_worker_options_are_checked_as_torchs_and_change_nothing():
    ds = TensorDataset(np.arange(6))
    refusals = [dict(num_workers=-1), dict(timeout=-1), dict(multiprocessing_context="spawn"),
                dict(prefetch_factor=2), dict(persistent_workers=True),
                dict(num_workers=1, multiprocessing_context="bad")]
    for options in refusals:
        with pytest.raises(ValueError, match=r"^DataLoader: "):
            DataLoader(ds, **options)
    with pytest.raises(TypeError, match=r"multiprocessing_context option should be a valid context"):
        DataLoader(ds, num_workers=1, multiprocessing_context=object())
    loader = DataLoader(ds, batch_size=4, num_workers=2, timeout=5, prefetch_factor=3, persistent_workers=True,
                        multiprocessing_context="spawn", in_order=False)
    assert [b.tolist() for (b,) in loader] == [[0, 1, 2, 3], [4, 5]]
    torch = pytest.importorskip("torch")
    for options in refusals:
        with pytest.raises(ValueError):
            torch.utils.data.DataLoader(torch.arange(6), **options)


class FailsAtThree(Dataset):
    """Item 3 raises, as a corrupt file would."""

    def __len__(self):
        return 7

    def __getitem__(self, i):
        if i == 3:
            raise OSError(f"item {i} is unreadable")
        return i


def test_a_pass_goes_on_after_a_batch_whose_item_raised_as_torchs():
    """PyTorch's test_dataloader test_error: the single-process iterator stays usable after an item's error, the next
    call making the batch after (here a generator stopped at the first error)."""
    def batches(loader):
        made, errors = [], 0
        it = iter(loader)
        while True:
            try:
                made.append(next(it).tolist())
            except OSError:
                errors += 1
            except StopIteration:
                return made, errors
    ours = batches(DataLoader(FailsAtThree(), batch_size=2))
    assert ours == ([[0, 1], [4, 5], [6]], 1)
    assert batches(DataLoader(FailsAtThree(), batch_size=2, collate_fn=lambda items: ag.tensor(items))) == ours
    unbatched, errors = [], 0
    it = iter(DataLoader(FailsAtThree(), batch_size=None))
    for _ in range(7):
        try:
            unbatched.append(next(it))
        except OSError:
            errors += 1
    assert (unbatched, errors) == ([0, 1, 2, 4, 5, 6], 1)
    torch = pytest.importorskip("torch")

    class TorchFailsAtThree(torch.utils.data.Dataset):
        __len__, __getitem__ = FailsAtThree.__len__, FailsAtThree.__getitem__
    assert batches(torch.utils.data.DataLoader(TorchFailsAtThree(), batch_size=2)) == ours


def test_a_loader_keeps_torchs_attributes_collate_fn_batch_sampler_generator_and_worker_options():
    """Found by porting PyTorch's test_dataloader: `loader.collate_fn` was None (PyTorch's is default_collate, or
    default_convert with batch_size=None), `loader.batch_sampler` None without one given (PyTorch's is a BatchSampler
    of the sampler), and `loader.generator`, `num_workers`, `pin_memory`, `timeout`, ... were missing."""
    from nn.data import BatchSampler, default_convert
    torch = pytest.importorskip("torch")
    tdata = torch.utils.data
    ours, theirs = DataLoader(list(range(5)), batch_size=2, drop_last=True), tdata.DataLoader(list(range(5)), 2,
                                                                                               drop_last=True)
    assert ours.collate_fn is default_collate and theirs.collate_fn is tdata.default_collate
    assert DataLoader(range(5), batch_size=None).collate_fn is default_convert
    assert DataLoader(range(5), batch_sampler=[[0, 1]]).collate_fn is default_collate  # (batches, as PyTorch's)
    assert type(ours.batch_sampler) is BatchSampler and type(theirs.batch_sampler) is tdata.BatchSampler
    assert list(ours.batch_sampler) == list(theirs.batch_sampler) == [[0, 1], [2, 3]]
    assert (ours.batch_sampler.batch_size, ours.batch_sampler.drop_last) == (2, True)
    assert DataLoader(range(5), batch_size=None).batch_sampler is None is tdata.DataLoader(range(5), None).batch_sampler
    given = BatchSampler(range(5), 3, drop_last=False)
    assert DataLoader(range(5), batch_sampler=given).batch_sampler is given
    # (R1 review: a new BatchSampler, and sampler, at each access; PyTorch's are made once)
    assert theirs.batch_sampler is theirs.batch_sampler and theirs.batch_sampler.sampler is theirs.sampler
    assert ours.batch_sampler is ours.batch_sampler and ours.batch_sampler.sampler is ours.sampler
    shuffled = DataLoader(range(5), batch_size=2, shuffle=True, rng=0)
    assert shuffled.sampler is shuffled.sampler and shuffled.batch_sampler.sampler.generator is shuffled.rng
    for name, value in [("generator", None), ("num_workers", 0), ("pin_memory", False), ("timeout", 0),
                        ("multiprocessing_context", None), ("prefetch_factor", None), ("persistent_workers", False),
                        ("in_order", True)]:
        assert getattr(ours, name) == getattr(theirs, name) == value, name
    g = ag.Generator().manual_seed(0)
    assert DataLoader(range(5), shuffle=True, generator=g).generator is g
    # collate_fn set after init (allowed, as PyTorch's), and the default given explicitly, batch as before
    loader = DataLoader(TensorDataset(np.arange(4)), batch_size=2, collate_fn=default_collate)
    assert [b.tolist() for (b,) in loader] == [[0, 1], [2, 3]]
    loader.collate_fn = len
    assert list(loader) == [2, 2] and loader.collate_fn is len

    class Custom(DataLoader):  # a subclass may set collate_fn before DataLoader.__init__, as with PyTorch's
        def __init__(self, dataset):
            self.collate_fn = list
            super().__init__(dataset, batch_size=2, collate_fn=sum)
    assert list(Custom(range(5))) == [1, 5, 4]


def test_an_iterable_datasets_loader_has_torchs_endless_sampler_under_its_batch_sampler():
    # (R1 review: loader.sampler and batch_sampler were None for an IterableDataset; PyTorch's are an endless
    # sampler of None, one object, and a BatchSampler of it unless batch_size=None)
    import itertools
    from nn.data import BatchSampler, IterableDataset
    torch = pytest.importorskip("torch")
    seen, batch_sampler_classes = [], (BatchSampler, torch.utils.data.BatchSampler)
    for base, loader_class in ((IterableDataset, DataLoader), (torch.utils.data.IterableDataset,
                                                                torch.utils.data.DataLoader)):
        class Stream(base):
            def __iter__(self):
                return iter(range(5))

        loader = loader_class(Stream(), batch_size=2)
        batches = loader.batch_sampler
        seen.append((type(loader.sampler).__name__, list(itertools.islice(loader.sampler, 3)), batches is
                     loader.batch_sampler, batches.sampler is loader.sampler, batches.batch_size, batches.drop_last,
                     loader_class(Stream(), batch_size=None).batch_sampler, [b.tolist() for b in loader]))
        assert type(batches) is batch_sampler_classes[loader_class is not DataLoader]
        with pytest.raises(TypeError):
            len(batches)
    assert seen[0] == seen[1] == ("_InfiniteConstantSampler", [None] * 3, True, True, 2, False, None,
                                  [[0, 1], [2, 3], [4]])


class BulkRead(Dataset):
    """A dataset reading a batch in one call, as PyTorch's fetcher calls __getitems__ (here 100 + i, to tell)."""

    def __len__(self):
        return 4

    def __getitem__(self, i):
        return i

    def __getitems__(self, indices):
        return [100 + i for i in indices]


def test_a_loader_reads_a_batch_with_the_datasets_getitems_as_torchs():
    """Found by porting PyTorch's test_dataloader: the loader read dataset[i] item by item where PyTorch's calls
    dataset.__getitems__(indices) once per batch, and Subset had no __getitems__ (PyTorch's passes the call on)."""
    assert [b.tolist() for b in DataLoader(BulkRead(), batch_size=2)] == [[100, 101], [102, 103]]
    assert list(DataLoader(BulkRead(), batch_size=2, collate_fn=list)) == [[100, 101], [102, 103]]
    assert [b.tolist() for b in DataLoader(BulkRead(), sampler=[3, 0], batch_size=2)] == [[103, 100]]
    assert [b.tolist() for b in DataLoader(BulkRead(), batch_sampler=[[2, 1]])] == [[102, 101]]
    assert list(DataLoader(BulkRead(), batch_size=None)) == [0, 1, 2, 3]  # (unbatched: dataset[i], as PyTorch's)
    assert [b.tolist() for b in DataLoader(Subset(BulkRead(), [3, 2]), batch_size=2)] == [[103, 102]]
    assert Subset(BulkRead(), [3, 2]).__getitems__([1]) == [102]
    assert Subset([5, 6, 7], [2, 0]).__getitems__([0, 1]) == [7, 5]

    class Doubled(Subset):  # overrides __getitem__ alone: read through it (README), where PyTorch 2.14 refuses it
        def __getitem__(self, i):
            return 2 * super().__getitem__(i)
    assert [b.tolist() for b in DataLoader(Doubled([1, 2, 3], [0, 2]), batch_size=2)] == [[2, 6]]
    torch = pytest.importorskip("torch")

    class TorchBulkRead(torch.utils.data.Dataset):
        __len__, __getitem__, __getitems__ = BulkRead.__len__, BulkRead.__getitem__, BulkRead.__getitems__
    theirs = torch.utils.data.DataLoader(torch.utils.data.Subset(TorchBulkRead(), [3, 2]), batch_size=2)
    assert [b.tolist() for b in theirs] == [[103, 102]]


def test_collate_refuses_ints_beyond_int64_and_complex_numbers_as_torch():
    """Found by porting PyTorch's test_dataloader: [2**63, 1] became a float64 batch (NumPy's uint64 and int64 give
    float64), losing digits, where torch raises ValueError; complex numbers came back as a NumPy array, no Tensor,
    where torch raises TypeError."""
    for batch in ([2 ** 63, 1], [1, -2 ** 63 - 1], [2 ** 70]):
        with pytest.raises(ValueError, match=r"does not fit in int64") as caught:
            default_collate(batch)
        assert isinstance(caught.value, RuntimeError)  # (the both-class CollateError)
    assert default_collate([2 ** 63 - 1, -2 ** 63]).dtype == np.int64
    assert default_collate([np.uint8(1), np.uint8(2)]).dtype == np.uint8  # (unsigned items are no overflow)
    assert default_collate([np.array([2 ** 63], np.uint64), np.array([1], np.uint64)]).dtype == np.uint64
    for batch in ([1j, 2j], [np.complex64(1), np.complex64(2)], [np.zeros(2, complex)]):
        with pytest.raises(TypeError, match=r"dtype complex"):
            default_collate(batch)
    torch = pytest.importorskip("torch")
    with pytest.raises(ValueError):
        torch.utils.data.default_collate([2 ** 63, 1])
    with pytest.raises(TypeError):
        torch.utils.data.default_collate([1j, 2j])


def test_default_convert_keeps_an_array_of_strings_an_array_as_torch():
    """Found by porting PyTorch's test_dataloader: default_convert (a batch_size=None item) made an array of strings
    a list; torch's returns the array."""
    from nn.data import default_convert
    names = np.array(["a", "b"])
    converted = default_convert({"names": names, "x": np.arange(2)})
    assert type(converted["names"]) is np.ndarray and converted["names"].tolist() == ["a", "b"]
    assert isinstance(converted["x"], ag.Tensor)
    item = next(iter(DataLoader([names], batch_size=None)))
    assert type(item) is np.ndarray and item.tolist() == ["a", "b"]
    torch = pytest.importorskip("torch")
    assert type(torch.utils.data.default_convert(names)) is np.ndarray


def test_pin_memory_device_is_taken_kept_and_changes_nothing_as_torchs():
    """Found by porting PyTorch's test_dataloader (test_pin_memory_device): DataLoader refused pin_memory_device=,
    which PyTorch's takes (deprecated there and ignored without an accelerator)."""
    loader = DataLoader(TensorDataset(np.arange(3)), batch_size=2, pin_memory=True, pin_memory_device="cpu")
    assert loader.pin_memory_device == "cpu" and DataLoader(range(3)).pin_memory_device == ""
    assert [b.tolist() for (b,) in loader] == [[0, 1], [2]]
    for device in (None, 3, "cuda"):  # (R1 review: None was refused; PyTorch's takes these and ignores them)
        assert DataLoader(range(3), pin_memory_device=device).pin_memory_device == device
        assert [b.tolist() for b in DataLoader(range(3), batch_size=2, pin_memory_device=device)] == [[0, 1], [2]]
    for device in (2.5, [1], True):  # (no device name or index: refused, where PyTorch's takes anything)
        with pytest.raises(TypeError, match=r"^DataLoader: pin_memory_device must be a device name"):
            DataLoader(range(3), pin_memory_device=device)
    torch = pytest.importorskip("torch")
    assert torch.utils.data.DataLoader(range(3)).pin_memory_device == ""
    for device in (None, 3, "cuda"):
        assert torch.utils.data.DataLoader(range(3), pin_memory_device=device).pin_memory_device == device


def test_a_pass_has_the_loaders_length_as_torchs_iterator():
    """Found by porting PyTorch's test_dataloader: len(iter(loader)) raised TypeError (the pass was a map object);
    PyTorch's iterator has the loader's count of batches."""
    loader = DataLoader(TensorDataset(np.arange(5)), batch_size=2)
    batches = iter(loader)
    assert len(batches) == 3 and iter(batches) is batches
    next(batches)
    assert len(batches) == 3 and len(list(batches)) == 2
    assert len(iter(DataLoader(range(5), batch_size=2, drop_last=True, collate_fn=list))) == 2
    torch = pytest.importorskip("torch")
    assert len(iter(torch.utils.data.DataLoader(range(5), batch_size=2))) == 3
