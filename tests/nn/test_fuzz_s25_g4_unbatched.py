"""Found by comparing DataLoader's arguments with torch.utils.data's (session 25, G4): batch_size=None, PyTorch's way
to turn batching off (each item yielded on its own), was refused with a TypeError."""
import numpy as np
import pytest

from nn.data import DataLoader, TensorDataset

X = np.arange(12.0).reshape(6, 2)
Y = np.arange(6)


def test_batch_size_none_yields_the_items_one_by_one_as_in_torch():
    loader = DataLoader(TensorDataset(X, Y), batch_size=None)
    items = list(loader)
    assert len(loader) == len(items) == 6
    assert [(x.tolist(), int(y)) for x, y in items] == [(X[i].tolist(), i) for i in range(6)]
    torch = pytest.importorskip("torch")
    theirs = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.tensor(X), torch.tensor(Y)),
                                         batch_size=None)
    assert [(x.tolist(), int(y)) for x, y in theirs] == [(x.tolist(), int(y)) for x, y in items]


def test_unbatched_items_are_copies_and_shuffle_with_the_generator():
    items = list(DataLoader(TensorDataset(X.copy(), Y), batch_size=None, shuffle=True, rng=0))
    order = [int(y) for _, y in items]
    assert sorted(order) == list(range(6)) and order == np.random.default_rng(0).permutation(6).tolist()
    dataset = TensorDataset(X.copy(), Y)
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
        DataLoader(TensorDataset(X, Y), batch_size=None, drop_last=True)
