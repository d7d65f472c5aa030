"""nn.data: TensorDataset, Subset, random_split, DataLoader (its collate, batch_size=None and generator=) and
train_val_test_split."""
import collections
import subprocess
import sys
import warnings

import numpy as np
import pytest

import autograd_core as ag
from conftest import assert_same_tree
import nn
from autograd_core.pytree import tree_map
from nn.data import DataLoader, Subset, TensorDataset, collate, random_split, train_val_test_split
from nn.datasets import load_csv

X = np.arange(20, dtype=np.float32).reshape(10, 2)
Y = np.arange(10)


def test_tensor_dataset_indexes_all_arrays_together():
    ds = TensorDataset(X, ag.tensor(Y))
    assert len(ds) == 10
    x3, y3 = ds[3]
    assert x3.tolist() == [6.0, 7.0] and y3 == 3
    xb, yb = ds[np.array([1, 4])]
    assert xb.shape == (2, 2) and yb.tolist() == [1, 4]
    assert isinstance(ds.arrays[1], np.ndarray)  # Tensors are stored as their arrays


@pytest.mark.parametrize("arrays,message", [
    ((X, Y[:9]), r"same first dimension.*\(10, 2\), \(9,\)"),
    ((np.zeros((0, 3)), np.zeros(0)), "empty"),
    ((), "at least one array"),
    ((np.float32(1.0),), "0-d"),
])
def test_tensor_dataset_refuses_bad_arrays(arrays, message):
    with pytest.raises(ValueError, match=message):
        TensorDataset(*arrays)


def test_loader_batches_in_order_with_a_short_last_batch():
    loader = DataLoader(TensorDataset(X, Y), batch_size=4)
    batches = list(loader)
    assert len(loader) == len(batches) == 3
    assert [yb.tolist() for _, yb in batches] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    assert all(isinstance(a, ag.Tensor) and not a.requires_grad for batch in batches for a in batch)  # as torch's
    xb, yb = batches[0]
    assert xb.size(0) == 4 and xb.view(-1).shape == (4 * X.shape[1],) and yb.dtype == Y.dtype
    assert all((xb[:, 0] == 2 * yb).all() for xb, yb in batches)


def test_drop_last_drops_the_short_batch():
    loader = DataLoader(TensorDataset(X, Y), batch_size=4, drop_last=True)
    assert len(loader) == 2 and [len(yb) for _, yb in loader] == [4, 4]


def test_shuffle_covers_every_sample_once_reshuffles_each_epoch_and_follows_the_seed():
    loader = DataLoader(TensorDataset(X, Y), batch_size=3, shuffle=True, rng=0)
    epochs = [np.concatenate([yb for _, yb in loader]) for _ in range(3)]
    for order in epochs:
        assert sorted(order.tolist()) == list(range(10))
    assert not np.array_equal(epochs[0], epochs[1])
    again = DataLoader(TensorDataset(X, Y), batch_size=3, shuffle=True, rng=np.random.default_rng(0))
    assert np.array_equal(np.concatenate([yb for _, yb in again]), epochs[0])
    for xb, yb in loader:  # rows stay paired
        assert (xb[:, 0] == 2 * yb).all()


class Squares:
    """A dataset that is not a TensorDataset: items are computed on demand."""

    def __len__(self):
        return 5

    def __getitem__(self, i):
        return np.array([i, i * i]), i % 2


def test_any_dataset_with_len_and_getitem_is_stacked_into_batches():
    batches = list(DataLoader(Squares(), batch_size=2))
    assert [xb.tolist() for xb, _ in batches] == [[[0, 0], [1, 1]], [[2, 4], [3, 9]], [[4, 16]]]
    assert [yb.tolist() for _, yb in batches] == [[0, 1], [0, 1], [0]]
    shuffled = np.concatenate([xb[:, 0] for xb, _ in DataLoader(Squares(), batch_size=2, shuffle=True, rng=1)])
    assert sorted(shuffled.tolist()) == [0, 1, 2, 3, 4]


class Negated(TensorDataset):
    """A TensorDataset whose items are transformed (as data augmentation would be)."""

    def __getitem__(self, index):
        x, y = super().__getitem__(index)
        return -x, y


class Short(TensorDataset):
    """A TensorDataset that exposes only its first 5 samples."""

    def __len__(self):
        return 5


@pytest.mark.parametrize("shuffle", [False, True])
def test_a_tensor_dataset_subclass_is_batched_through_its_own_getitem_and_len(shuffle):
    X, y = np.arange(1.0, 7.0).reshape(6, 1), np.arange(6)
    for xb, yb in DataLoader(Negated(X, y), batch_size=4, shuffle=shuffle, rng=0):
        np.testing.assert_array_equal(xb, -X[yb])
    seen = np.concatenate([yb for _, yb in DataLoader(Short(X, y), batch_size=2, shuffle=shuffle, rng=0)])
    assert sorted(seen.tolist()) == [0, 1, 2, 3, 4]


class Items:
    """A dataset whose items are made by `item(i)`."""

    def __init__(self, item):
        self.item = item

    def __len__(self):
        return 5

    def __getitem__(self, i):
        return self.item(i)


@pytest.mark.parametrize("item, expected", [
    (lambda i: np.array([i, 10 * i]), np.array([[0, 0], [1, 10]])),  # one array per item: one array per batch
    (lambda i: float(i), np.array([0.0, 1.0])),
    (lambda i: ag.tensor([i, 2 * i]), np.array([[0, 0], [1, 2]])),
    (lambda i: {"x": np.full(3, i), "y": i}, {"x": np.array([[0] * 3, [1] * 3]), "y": np.array([0, 1])}),
    (lambda i: [np.full(2, i), (i, -i)], [np.array([[0, 0], [1, 1]]), [np.array([0, 1]), np.array([0, -1])]]),
], ids=["array", "number", "Tensor", "dict", "nested"])
def test_items_that_are_not_tuples_are_collated_as_in_torch(item, expected):
    expected = tree_map(ag.as_tensor, expected)  # each array a Tensor, as torch's default collate makes it
    assert_same_tree(next(iter(DataLoader(Items(item), batch_size=2))), expected)


@pytest.mark.parametrize("batch_size, error", [(0, ValueError), (-1, ValueError), (2.5, TypeError), (True, TypeError)])
def test_loader_refuses_bad_batch_sizes(batch_size, error):
    # no int (a float, a bool) is a TypeError, one below 1 a ValueError, as README has it (all were ValueErrors)
    with pytest.raises(error, match="DataLoader: batch_size must be a positive int"):
        DataLoader(TensorDataset(X, Y), batch_size=batch_size)


def test_loader_refuses_an_empty_dataset():
    class Empty:
        def __len__(self):
            return 0

        def __getitem__(self, index):
            raise IndexError(index)

    with pytest.raises(ValueError, match="empty"):
        DataLoader(Empty())


@pytest.mark.parametrize("dataset, message", [
    ((np.ones((5, 2)), np.zeros(5)), r"got a tuple of 2 arrays, .*use DataLoader\(TensorDataset\(X, y\), ...\)"),
    (None, r"dataset must support len\(\) and dataset\[i\] \(a TensorDataset, say\), got NoneType"),
], ids=["(X, y)", "None"])
def test_loader_refuses_what_is_no_dataset_saying_what_to_pass(dataset, message):
    with pytest.raises(TypeError, match=rf"^DataLoader: {message}"):
        DataLoader(dataset)


@pytest.mark.parametrize("rng,error", [("abc", TypeError), (-1, ValueError), (1.5, TypeError), (True, TypeError)])
def test_a_bad_rng_is_refused_naming_the_owner(rng, error):
    match = "must be None, a non-negative int seed or a numpy.random.Generator"
    with pytest.raises(error, match="DataLoader: rng " + match):
        DataLoader(TensorDataset(X, Y), rng=rng)
    with pytest.raises(error, match="train_val_test_split: rng " + match):
        train_val_test_split(X, Y, rng=rng)


def test_split_sizes_are_disjoint_complete_and_keep_rows_paired():
    Xb, Yb = np.arange(200).reshape(100, 2), np.arange(100)
    (Xtr, ytr), (Xva, yva), (Xte, yte) = train_val_test_split(Xb, Yb, val=0.15, test=0.2, rng=0)
    assert (len(ytr), len(yva), len(yte)) == (65, 15, 20)
    assert sorted(np.concatenate([ytr, yva, yte]).tolist()) == list(range(100))
    for Xs, ys in ((Xtr, ytr), (Xva, yva), (Xte, yte)):
        assert (Xs[:, 0] == 2 * ys).all()
    again = train_val_test_split(Xb, Yb, val=0.15, test=0.2, rng=0)
    assert np.array_equal(again[2][1], yte)


@pytest.mark.parametrize("val, test, sizes", [(2, 0, (8, 2, 0)), (1, 1, (8, 1, 1)), (0.17, 0.26, (5, 2, 3)),
                                              (np.int64(0), np.int64(2), (8, 0, 2))],
                         ids=["counts", "one sample each", "fractions rounded", "numpy counts"])
def test_split_accepts_counts_rounded_fractions_and_a_single_array(val, test, sizes):
    parts = train_val_test_split(Y, val=val, test=test)
    assert tuple(len(part[0]) for part in parts) == sizes


def test_split_shuffles_with_the_given_seed():
    def test_part(rng):
        return train_val_test_split(Y, val=0.2, test=0.3, rng=rng)[2][0]

    np.testing.assert_array_equal(test_part(3), test_part(np.random.default_rng(3)))
    assert not np.array_equal(test_part(3), test_part(4))
    assert not np.array_equal(train_val_test_split(Y, rng=3)[0][0], Y[:8])  # not the first rows in order


@pytest.mark.parametrize("kwargs,error,message", [
    (dict(val=0.5, test=0.5), ValueError, "none of the"), (dict(val=-0.1), ValueError, "val"),
    (dict(test=1.5), ValueError, "test"),
    (dict(val=True), TypeError, "val must be a fraction"),  # a bool is no number: a TypeError, as README has it
    (dict(test=False), TypeError, "test must be a fraction")])
def test_split_refuses_bad_fractions(kwargs, error, message):
    with pytest.raises(error, match=message):
        train_val_test_split(X, Y, **kwargs)


def test_split_refuses_mismatched_lengths():
    with pytest.raises(ValueError, match="same first dimension"):
        train_val_test_split(X, Y[:5])


@pytest.mark.parametrize("shuffle", [False, True])
def test_batches_are_copies_so_changing_one_never_changes_the_dataset(shuffle):
    ds = TensorDataset(X.copy(), Y.copy())
    for xb, yb in DataLoader(ds, batch_size=3, shuffle=shuffle, rng=0):
        xb[...] = -1
        yb[...] = 999
    np.testing.assert_array_equal(ds.arrays[0], X)
    np.testing.assert_array_equal(ds.arrays[1], Y)
    xb, yb = next(iter(DataLoader(ds, batch_size=3, shuffle=shuffle, rng=0)))
    assert not np.shares_memory(xb.data, ds.arrays[0]) and not np.shares_memory(yb.data, ds.arrays[1])


def test_import_nn_alone_gives_every_submodule():
    code = "import nn; print(nn.data, nn.datasets, nn.functional, nn.init, nn.optim, nn.optim.lr_scheduler)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_loader_takes_a_tuple_of_samples_and_refuses_what_looks_like_x_y():
    X = np.arange(16.0).reshape(8, 2)
    batches = list(DataLoader(tuple(X), batch_size=4))
    assert len(batches) == 2
    np.testing.assert_array_equal(batches[0], X[:4])
    assert len(DataLoader(list(X[:2]))) == 2  # two samples: a list (a tuple of two reads as (X, y))
    X = np.random.default_rng(0).random((100, 1))
    with pytest.raises(TypeError, match=r"got a tuple of 2 arrays.*TensorDataset\(X, y\)"):
        DataLoader((X, 3 * X), batch_size=32)  # one shape for both: regression on one feature


def test_shuffled_batches_are_gathered_one_at_a_time_not_as_a_copy_of_the_dataset():
    import tracemalloc

    X = np.zeros((100_000, 40), np.float32)  # 16 MiB
    loader = DataLoader(TensorDataset(X, np.arange(100_000)), batch_size=64, shuffle=True, rng=0)
    tracemalloc.start()
    try:
        batches = iter(loader)
        xb, yb = next(batches)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert xb.shape == (64, 40) and peak < 4 * 2**20  # the permutation (0.8 MiB) and a batch
    seen = np.concatenate([yb] + [y for _, y in batches])
    assert sorted(seen.tolist()) == list(range(100_000)) and not np.array_equal(seen, np.arange(100_000))


def test_a_tuple_of_two_samples_of_length_two_is_a_dataset():
    loader = DataLoader((np.array([1.0, 2.0]), np.array([3.0, 4.0])), batch_size=2)
    assert len(list(loader)) == 1


def test_negative_split_counts_are_refused():
    with pytest.raises(ValueError):
        train_val_test_split(np.arange(10), val=-1, test=2, rng=0)


def test_drop_last_keeps_every_full_batch():
    loader = DataLoader(TensorDataset(np.arange(4.0)), batch_size=2, drop_last=True)
    assert len(list(loader)) == len(loader) == 2


def test_a_label_of_2_to_the_63_is_not_an_int64_class(tmp_path):
    # 2**63 does not fit int64: the labels stay floats instead of wrapping to -2**63
    path = tmp_path / "big.csv"
    path.write_text("0.5,1\n1.5,9223372036854775808\n")
    X, y = load_csv(path)
    assert y.dtype.kind == "f" and y[1] > 0


@pytest.mark.parametrize("samples", [
    ((np.zeros(2), 0), (np.ones(2), 1)),  # a tuple of two (x, y) samples: no arrays at its top level
    (np.array(0.5), np.array(1.5), np.array(2.5)),  # a tuple of three 0-d arrays, one sample each
], ids=["pairs", "scalars"])
def test_loader_over_a_tuple_of_samples_batches_them_as_a_list_would(samples):
    """Only a tuple of 2 or 3 equally long arrays (X, y) is refused as a likely mistake; a tuple of samples is a
    dataset of that many samples, batched as the same samples in a list."""
    got = list(DataLoader(samples, batch_size=2))
    expected = list(DataLoader(list(samples), batch_size=2))
    assert len(got) == len(expected) == 1 + (len(samples) > 2)
    for a, b in zip(got, expected):
        if isinstance(b, list):
            assert type(a) is list and len(a) == len(b) and all(np.array_equal(u, v) for u, v in zip(a, b))
        else:
            np.testing.assert_array_equal(a, b)


def test_dataloader_refuses_a_string_drop_last():
    torch = pytest.importorskip("torch")
    from torch.utils.data import DataLoader as TorchLoader
    with pytest.raises(ValueError):
        TorchLoader(list(range(10)), batch_size=3, drop_last="yes")
    with pytest.raises((TypeError, ValueError), match="drop_last"):
        DataLoader(TensorDataset(np.arange(10.0)), batch_size=3, drop_last="yes")


@pytest.mark.parametrize("shuffle", [None, 0], ids=["None (torch's default)", "0"])
def test_dataloader_takes_shuffle_none_or_zero_as_no_shuffle_as_torch(shuffle):
    torch = pytest.importorskip("torch")
    theirs = [b.tolist() for b in torch.utils.data.DataLoader(torch.arange(5.0), batch_size=2, shuffle=shuffle)]
    loader = DataLoader(TensorDataset(np.arange(5.0)), batch_size=2, shuffle=shuffle)
    ours = [np.asarray(xb).tolist() for (xb,) in loader]
    assert ours == theirs == [[0.0, 1.0], [2.0, 3.0], [4.0]]


@pytest.mark.parametrize("shuffle", ["no", "False", ""])
def test_a_text_shuffle_is_refused_rather_than_read_as_its_truth(shuffle):
    # The constructor's contract (nn/data.py): "no" would be True. (PyTorch reads any value by its truth.)
    with pytest.raises(ValueError, match="shuffle"):
        DataLoader(TensorDataset(np.arange(4.0)), shuffle=shuffle)


@pytest.mark.parametrize("shuffle", [None, 0, 1, np.bool_(True)])
def test_none_0_1_and_numpy_bools_are_taken_as_pytorch_takes_them(shuffle):
    loader = DataLoader(TensorDataset(np.arange(4.0)), shuffle=shuffle)
    assert loader.shuffle is bool(shuffle)


# ---- collate: items that do not fit together, and namedtuples --------------------------------------------------------
# collate refuses, naming itself, tuples or lists of other lengths (not cut to the shortest item), None and other
# objects (which would stack into an object array) and arrays of other shapes (NumPy's bare error); a namedtuple item
# gives a namedtuple batch, as torch's collate.
class GivenItems:
    """A dataset of the given items."""

    def __init__(self, *items):
        self.items = items

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        return self.items[i]


@pytest.mark.parametrize("items, error, message", [
    ([(1, 2), (3,)], ValueError, r"item 1 of the batch is a tuple of 1 entries, item 0 a tuple of 2 entries"),
    ([[1, [2, 3]], [1, [2]]], ValueError, r"item 1 of the batch is a list of 1 entries, item 0 a list of 2 entries"),
    ([(1, 2), np.zeros(2)], ValueError, r"item 1 of the batch is a ndarray, item 0 a tuple of 2 entries"),
    ([None, None], TypeError, r"item 0 of the batch is a NoneType, which makes an array of dtype object"),
    ([1, object()], TypeError, r"item 1 of the batch is an object, which makes an array of dtype object"),
    ([np.zeros(2), np.zeros(3)], ValueError, r"item 1 of the batch has shape \(3,\), item 0 shape \(2,\)"),
    ([{"a": 1}, {"b": 2}], KeyError, r"item 1 of the batch is a dict without the key 'a', which item 0 has"),
], ids=["short tuple", "short nested list", "array after a tuple", "None", "object", "shapes", "keys"])
def test_items_that_do_not_fit_together_are_refused_naming_collate(items, error, message):
    # torch's default_collate refuses each of these (RuntimeError, TypeError, KeyError) but an array after a tuple
    # of its length, which it zips row by row
    with pytest.raises(error, match="collate: " + message):
        collate(items)
    with pytest.raises(error, match="collate: " + message):
        list(DataLoader(GivenItems(*items), batch_size=2))


def test_a_short_tuple_is_no_longer_cut_silently():
    # before: [(array([1, 3]),)], the second column dropped
    with pytest.raises(ValueError):
        list(DataLoader(GivenItems((1, 2), (3,)), batch_size=2))


def test_a_namedtuple_item_gives_a_namedtuple_batch_as_in_torch():
    Pair = collections.namedtuple("Pair", "x y")
    batch = next(iter(DataLoader(GivenItems(Pair(np.zeros(2), 0), Pair(np.ones(2), 1)), batch_size=2)))
    assert type(batch) is Pair
    np.testing.assert_array_equal(batch.x, [[0, 0], [1, 1]])
    np.testing.assert_array_equal(batch.y, [0, 1])


# ---- TensorDataset and train_val_test_split: what makes no array of numbers -------------------------------------
@pytest.mark.parametrize("array, error, message", [
    (np.array([None, 1], dtype=object), TypeError, r"array 1 has dtype object; the arrays must hold numbers"),
    (np.zeros(2, "M8[s]"), TypeError, r"array 1 has dtype datetime64\[s\]"),
    ([[1, 2], [3]], ValueError, r"array 1 is ragged \(its rows have different lengths\)"),
], ids=["object", "datetime", "ragged"])
def test_arrays_that_hold_no_numbers_are_refused_naming_the_dataset(array, error, message):
    # before: object and datetime arrays were batched as they were (torch's tensors cannot hold them), and a ragged
    # list raised NumPy's bare "setting an array element with a sequence"
    with pytest.raises(error, match="^TensorDataset: " + message):
        TensorDataset(np.zeros(2), array)
    with pytest.raises(error, match="^train_val_test_split: " + message):
        train_val_test_split(np.zeros(2), array)


def test_strings_and_lists_of_numbers_are_still_datasets():
    xb, yb = next(iter(DataLoader(TensorDataset([[1, 2], [3, 4]], np.array(["a", "b"])), batch_size=2)))
    assert xb.tolist() == [[1, 2], [3, 4]] and yb == ["a", "b"]  # strings as a list, as torch's collate


# ---- batch_size=None: PyTorch's way to turn batching off (each item yielded on its own) ------------------------------
X6 = np.arange(12.0).reshape(6, 2)
Y6 = np.arange(6)


def test_batch_size_none_yields_the_items_one_by_one_as_in_torch():
    loader = DataLoader(TensorDataset(X6, Y6), batch_size=None)
    items = list(loader)
    assert len(loader) == len(items) == 6
    assert [(x.tolist(), int(y)) for x, y in items] == [(X6[i].tolist(), i) for i in range(6)]
    torch = pytest.importorskip("torch")
    theirs = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.tensor(X6), torch.tensor(Y6)),
                                         batch_size=None)
    assert [(x.tolist(), int(y)) for x, y in theirs] == [(x.tolist(), int(y)) for x, y in items]


def test_unbatched_items_are_copies_and_shuffle_with_the_generator():
    items = list(DataLoader(TensorDataset(X6.copy(), Y6), batch_size=None, shuffle=True, rng=0))
    order = [int(y) for _, y in items]
    assert sorted(order) == list(range(6)) and order == np.random.default_rng(0).permutation(6).tolist()
    dataset = TensorDataset(X6.copy(), Y6)
    first = next(iter(DataLoader(dataset, batch_size=None)))
    first[0][0] = 99.0
    assert dataset.arrays[0][0, 0] == 0.0  # no view into the dataset, as the batches are none


def test_items_of_any_structure_come_back_as_they_are():
    class Dicts:
        def __len__(self):
            return 2

        def __getitem__(self, i):
            return {"x": np.full(2, float(i)), "y": i}

    items = list(DataLoader(Dicts(), batch_size=None))
    assert [item["y"] for item in items] == [0, 1] and items[1]["x"].tolist() == [1.0, 1.0]


def test_batch_size_none_with_drop_last_is_refused_as_in_torch():
    with pytest.raises(ValueError, match=r"DataLoader: batch_size=None yields the items one by one .* drop_last must "
                                         r"be False"):
        DataLoader(TensorDataset(X6, Y6), batch_size=None, drop_last=True)


# PyTorch's num_workers and pin_memory (the "Training a classifier" tutorial's DataLoader(..., num_workers=2)) are
# taken and change nothing; they are checked as PyTorch's settings are
def test_dataloader_takes_num_workers_and_pin_memory():
    ds = TensorDataset(np.arange(10.0), np.arange(10))
    plain = [xb.tolist() for xb, _ in DataLoader(ds, batch_size=4, shuffle=True, rng=0)]
    ported = DataLoader(ds, batch_size=4, shuffle=True, rng=0, num_workers=2, pin_memory=True)
    assert [xb.tolist() for xb, _ in ported] == plain and len(ported) == 3
    with pytest.raises(ValueError, match="DataLoader: num_workers must be"):
        DataLoader(ds, num_workers=-1)
    with pytest.raises(TypeError, match="DataLoader: num_workers must be"):
        DataLoader(ds, num_workers=1.5)
    with pytest.raises(TypeError, match="DataLoader: pin_memory"):
        DataLoader(ds, pin_memory="yes")


# Understanding Deep Learning's notebook 11.2 writes DataLoader(..., shuffle=True, worker_init_fn=np.random.seed(1)):
# worker_init_fn is taken, kept and never called (there are no worker processes, as PyTorch's with num_workers=0)
def test_dataloader_takes_worker_init_fn_and_never_calls_it():
    ds = TensorDataset(np.arange(10.0), np.arange(10))
    calls = []
    plain = [xb.tolist() for xb, _ in DataLoader(ds, batch_size=4, shuffle=True, rng=0)]
    ported = DataLoader(ds, batch_size=4, shuffle=True, rng=0, worker_init_fn=calls.append)
    assert [xb.tolist() for xb, _ in ported] == plain and calls == [] and ported.worker_init_fn == calls.append
    assert DataLoader(ds, worker_init_fn=np.random.seed(1)).worker_init_fn is None  # (the notebook passes None)
    with pytest.raises(TypeError, match="DataLoader: worker_init_fn must be None or a function of the worker id, "
                                        "got int"):
        DataLoader(ds, worker_init_fn=1)
    torch = pytest.importorskip("torch")
    torch_data = torch.utils.data
    loader = torch_data.DataLoader(torch_data.TensorDataset(torch.arange(10.0)), worker_init_fn=calls.append)
    list(loader)
    assert calls == []  # (PyTorch's too: called only in worker processes)


# Subset and random_split, as torch.utils.data's: a Subset is item i = dataset[indices[i]]; random_split cuts a
# random permutation (ag.randperm's) into Subsets of the given lengths, counts or fractions of the dataset.

def test_subset_items_are_the_datasets_items_at_the_indices():
    ds = TensorDataset(X, Y)
    part = Subset(ds, [7, 2, -1])
    assert len(part) == 3 and part.dataset is ds and part.indices == [7, 2, -1]
    assert [int(part[i][1]) for i in range(3)] == [7, 2, 9] and int(part[-1][1]) == 9
    xb, yb = part[np.array([0, 2])]  # a batch index, as a TensorDataset takes one
    assert yb.tolist() == [7, 9] and xb.tolist() == [X[7].tolist(), X[9].tolist()]
    assert part[1:][1].tolist() == [2, 9]
    assert Subset(ds, range(3, 6)).indices == [3, 4, 5] and len(Subset(ds, [])) == 0
    torch = pytest.importorskip("torch")
    theirs = torch.utils.data.Subset(list(range(10)), [7, 2, -1])
    assert [int(part[i][1]) for i in range(3)] == [theirs[i] for i in range(3)] and len(theirs) == len(part)


@pytest.mark.parametrize("dataset, indices, error, message", [
    (TensorDataset(X, Y), [3, 10], IndexError, r"Subset: index 10 is out of range for a dataset of 10 items "
                                               r"\(valid: -10 to 9\)"),
    (TensorDataset(X, Y), [-11], IndexError, "index -11 is out of range"),
    (TensorDataset(X, Y), [0.5, 1.0], TypeError, r"Subset: indices must be a sequence of ints .*dtype float64"),
    (TensorDataset(X, Y), Y > 4, TypeError, r"for a boolean mask, pass np.flatnonzero\(mask\)"),
    (TensorDataset(X, Y), [[0, 1]], TypeError, r"shape \(1, 2\)"),
    (None, [0], TypeError, r"Subset: dataset must support len\(\) and dataset\[i\]"),
])
def test_subset_refuses_indices_that_are_no_items_of_the_dataset(dataset, indices, error, message):
    with pytest.raises(error, match=message):
        Subset(dataset, indices)


def test_subset_refuses_an_item_beyond_its_length_naming_itself():
    with pytest.raises(IndexError, match="Subset: index 2 is out of range for a subset of 2 items"):
        Subset(TensorDataset(X, Y), [0, 1])[2]


def test_random_split_partitions_a_seeded_permutation_in_order():
    ds = TensorDataset(X, Y)
    parts = random_split(ds, [3, 0, 7], rng=4)
    assert [len(p) for p in parts] == [3, 0, 7] and all(isinstance(p, Subset) and p.dataset is ds for p in parts)
    order = np.random.default_rng(4).permutation(10).tolist()
    assert [p.indices for p in parts] == [order[:3], [], order[3:]]
    assert order == ag.randperm(10, rng=4).tolist()  # random_split's draw is ag.randperm's, as torch's
    again = random_split(ds, [3, 0, 7], rng=np.random.default_rng(4))
    assert [p.indices for p in again] == [p.indices for p in parts]
    assert [p.indices for p in random_split(ds, [3, 0, 7], rng=5)] != [p.indices for p in parts]
    unseeded = random_split(ds, [5, 5])
    assert sorted(unseeded[0].indices + unseeded[1].indices) == list(range(10))


def test_random_split_takes_generator_as_rngs_pytorch_name():
    ds = TensorDataset(X, Y)
    by_rng = [p.indices for p in random_split(ds, [0.5, 0.5], rng=3)]
    assert [p.indices for p in random_split(ds, [0.5, 0.5], generator=3)] == by_rng
    assert [p.indices for p in random_split(ds, [0.5, 0.5], generator=np.random.default_rng(3))] == by_rng
    assert [p.indices for p in random_split(ds, [0.5, 0.5], 3)] == by_rng  # positional, where torch's generator is
    with pytest.raises(TypeError, match=r"random_split: got both rng=1 and generator=2; give one of them"):
        random_split(ds, [5, 5], rng=1, generator=2)
    torch = pytest.importorskip("torch")
    with pytest.raises(TypeError, match=r"random_split: generator must be .*got a torch.Generator.*pass "
                                        r"np.random.default_rng\(seed\) or the seed itself"):
        random_split(ds, [5, 5], generator=torch.Generator().manual_seed(0))


# (n, fractions, lengths): floor(n * fraction) each, the leftover items one each from the first split on
FRACTIONS = [(10, [0.3, 0.7], [3, 7]), (10, [0.25] * 4, [3, 3, 2, 2]), (10, [1 / 3] * 3, [4, 3, 3]),
             (10, [0.33, 0.33, 0.34], [4, 3, 3]), (10, [0.1, 0.2, 0.7], [1, 2, 7]), (7, [1.0], [7]),
             (3, [0.5, 0.5], [2, 1]), (10, np.array([0.8, 0.2]), [8, 2]), (0, [0.5, 0.5], [0, 0])]


@pytest.mark.parametrize("n, fractions, lengths", FRACTIONS)
def test_random_split_fractions_give_pytorchs_lengths(n, fractions, lengths):
    ds = list(range(n))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (n = 0: every split is empty)
        parts = random_split(ds, fractions, rng=0)
    assert [len(p) for p in parts] == lengths
    assert sorted(i for p in parts for i in p.indices) == list(range(n))
    torch = pytest.importorskip("torch")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = torch.utils.data.random_split(ds, list(fractions), generator=torch.Generator().manual_seed(0))
    assert [len(p) for p in theirs] == lengths


def test_random_split_warns_as_pytorch_of_a_fraction_that_leaves_a_split_empty():
    with pytest.warns(UserWarning, match=r"random_split: length of split at index 1 is 0. This might result in an "
                                         r"empty dataset.") as record:
        parts = random_split(list(range(10)), [0.05, 0.05, 0.9], rng=0)
    assert [len(p) for p in parts] == [1, 0, 9] and len(record) == 1
    assert record[0].filename == __file__  # pointed at the caller's line
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        random_split(list(range(10)), [0, 10], rng=0)  # a count of 0 is asked for: no warning, as torch's
    torch = pytest.importorskip("torch")
    with pytest.warns(UserWarning, match="Length of split at index 1 is 0"):
        torch.utils.data.random_split(list(range(10)), [0.05, 0.05, 0.9])


REFUSED_SPLITS = [
    ([3, 6], ValueError, r"random_split: the lengths \[3, 6\] sum to 9, not to the dataset's 10 items; give counts "
                         r"summing to 10 \(ints\) or fractions summing to 1"),
    ([0.5, 0.6], ValueError, r"random_split: the fractions \[0.5, 0.6\] sum to 1.1, not to 1"),
    ([0.2, 0.2], ValueError, r"the fractions \[0.2, 0.2\] sum to 0.4, not to 1"),
    ([1.5, -0.5], ValueError, r"random_split: fraction 0 of \[1.5, -0.5\] is 1.5, not between 0 and 1"),
    ([3.0, 7.0], ValueError, r"fraction 0 of \[3.0, 7.0\] is 3.0, not between 0 and 1 \(floats are fractions: "
                             r"give counts as ints\)"),
    ([], ValueError, r"the lengths \[\] sum to 0, not to the dataset's 10 items"),
    ([-1, 11], ValueError, r"random_split: length 0 of \[-1, 11\] is negative"),
    ([True, 9], TypeError, r"random_split: length 0 is True, which is no number"),
    (5, TypeError, r"random_split: lengths must be a sequence of counts or fractions, such as \[800, 200\] or "
                   r"\[0.8, 0.2\], got 5"),
]


@pytest.mark.parametrize("lengths, error, message", REFUSED_SPLITS, ids=[str(case[0]) for case in REFUSED_SPLITS])
def test_random_split_refuses_lengths_that_do_not_split_the_dataset(lengths, error, message):
    with pytest.raises(error, match=message):
        random_split(TensorDataset(X, Y), lengths, rng=0)
    if lengths in ([-1, 11], [True, 9]):
        return  # (torch's sum check passes: its splits of [-1, 11] overlap, [9 items, 1 item] of 10; True counts 1)
    torch = pytest.importorskip("torch")
    with pytest.raises((ValueError, TypeError)):
        torch.utils.data.random_split(list(range(10)), lengths)


def test_random_split_reads_int_lengths_as_counts_even_where_they_sum_to_1():
    """torch reads [0, 1] as fractions (all of a 10-item dataset in the second split); ints here are counts, so
    [0, 1] of 10 items is refused, and [1] of one item is that item."""
    with pytest.raises(ValueError, match=r"the lengths \[0, 1\] sum to 1, not to the dataset's 10 items"):
        random_split(TensorDataset(X, Y), [0, 1])
    assert [p.indices for p in random_split([5], [1], rng=0)] == [[0]]


@pytest.mark.parametrize("shuffle", [False, True])
def test_a_subset_is_batched_as_the_rows_it_picks_and_reshuffled_with_the_generator(shuffle):
    part = Subset(TensorDataset(X, Y), [9, 4, 0, 7, 2])
    gathered = DataLoader(TensorDataset(X[part.indices], Y[part.indices]), batch_size=2, shuffle=shuffle, rng=1)
    loader = DataLoader(part, batch_size=2, shuffle=shuffle, generator=1)
    for epoch in range(2):
        batches, expected = list(loader), list(gathered)
        assert [len(yb) for _, yb in batches] == [2, 2, 1]
        for (xb, yb), (xe, ye) in zip(batches, expected):
            np.testing.assert_array_equal(xb, xe)
            np.testing.assert_array_equal(yb, ye)
            assert xb.dtype == X.dtype and yb.dtype == Y.dtype
    first = next(iter(DataLoader(part, batch_size=2)))
    first[0][0, 0] = -1.0
    assert X[9, 0] == 18.0  # a batch is a copy, never a view into the dataset


def test_a_subset_of_a_tensor_dataset_is_gathered_from_its_arrays_not_collated_item_by_item(monkeypatch):
    def item_by_item(items):
        raise AssertionError("collated item by item")

    monkeypatch.setattr(nn.data, "collate", item_by_item)
    train, _ = random_split(TensorDataset(X, Y), [6, 4], rng=0)
    seen = np.concatenate([yb for _, yb in DataLoader(Subset(train, [5, 0, 3]), batch_size=2, shuffle=True, rng=0)])
    assert sorted(seen.tolist()) == sorted(train.indices[i] for i in (5, 0, 3))


def test_subsets_of_subsets_and_of_other_datasets_batch_their_own_items():
    nested = Subset(Subset(TensorDataset(X, Y), [9, 8, 7, 6]), [3, 0])
    assert [yb.tolist() for _, yb in DataLoader(nested, batch_size=2)] == [[6, 9]]
    assert [int(nested[i][1]) for i in range(2)] == [6, 9]

    class Squares:
        def __len__(self):
            return 5

        def __getitem__(self, i):
            return (np.float32(i * i), i)

    xb, yb = next(iter(DataLoader(Subset(Squares(), [4, 1]), batch_size=2)))
    assert xb.tolist() == [16.0, 1.0] and yb.tolist() == [4, 1]

    class Doubled(Subset):  # its own items: read through them, not gathered from the arrays
        def __getitem__(self, i):
            x, y = super().__getitem__(i)
            return x, 2 * y

    assert next(iter(DataLoader(Doubled(TensorDataset(X, Y), [1, 3]), batch_size=2)))[1].tolist() == [2, 6]


def test_dataloader_takes_generator_as_rngs_pytorch_name():
    ds = TensorDataset(X, Y)
    by_rng = [yb.tolist() for _, yb in DataLoader(ds, batch_size=3, shuffle=True, rng=2)]
    assert [yb.tolist() for _, yb in DataLoader(ds, batch_size=3, shuffle=True, generator=2)] == by_rng
    with pytest.raises(TypeError, match=r"DataLoader: got both rng=2 and generator=2; give one of them"):
        DataLoader(ds, rng=2, generator=2)
    with pytest.raises(TypeError, match=r"DataLoader: generator must be None, a non-negative int seed or a "
                                        r"numpy.random.Generator, got 'abc'"):
        DataLoader(ds, generator="abc")
    torch = pytest.importorskip("torch")
    with pytest.raises(TypeError, match=r"DataLoader: generator must be .*got a torch.Generator"):
        DataLoader(ds, shuffle=True, generator=torch.Generator())


def test_fit_trains_on_and_validates_with_loaders_of_random_split_subsets():
    X_line = np.linspace(-1, 1, 64, dtype=np.float32).reshape(-1, 1)
    train, val = random_split(TensorDataset(X_line, 2 * X_line + 1), [0.75, 0.25], rng=0)
    model = nn.Linear(1, 1, rng=0)
    history = nn.fit(model, nn.MSELoss(), nn.optim.SGD(model.parameters(), lr=0.1),
                     DataLoader(train, batch_size=8, shuffle=True, generator=0), val=DataLoader(val, batch_size=16),
                     epochs=30, progress=False)
    assert len(train) == 48 and len(val) == 16
    with ag.no_grad():
        held_out = X_line[val.indices]
        expected = float(((model(held_out).data - (2 * held_out + 1)) ** 2).mean())
    assert history["val_loss"][-1] == pytest.approx(expected, rel=1e-5) and expected < 1e-4
