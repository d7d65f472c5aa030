"""Found by fuzzing nn.data against torch.utils.data (session 25, G4): collate cut tuples of other lengths to the
shortest item, stacked None into an object array, and raised NumPy's bare error for arrays of other shapes; a
namedtuple item came back a plain tuple (torch's collate keeps it). TensorDataset took object and datetime arrays, and
raised NumPy's bare error for a ragged list."""
import collections

import numpy as np
import pytest

from nn.data import DataLoader, TensorDataset, collate, train_val_test_split


class Items:
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
        list(DataLoader(Items(*items), batch_size=2))


def test_a_short_tuple_is_no_longer_cut_silently():
    # before: [(array([1, 3]),)], the second column dropped
    with pytest.raises(ValueError):
        list(DataLoader(Items((1, 2), (3,)), batch_size=2))


def test_a_namedtuple_item_gives_a_namedtuple_batch_as_in_torch():
    Pair = collections.namedtuple("Pair", "x y")
    batch = next(iter(DataLoader(Items(Pair(np.zeros(2), 0), Pair(np.ones(2), 1)), batch_size=2)))
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
    assert xb.tolist() == [[1, 2], [3, 4]] and yb.tolist() == ["a", "b"]
