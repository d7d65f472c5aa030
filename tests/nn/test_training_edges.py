"""Argument edges of nn.fit and nn.training.evaluate (test_training.py has the rest): a loss_fn that returns a number,
datasets yielding dicts or triples rather than (X, y) pairs, a dataset given without a DataLoader, and evaluate's
batch_size, each refused naming fit or evaluate instead of ending in a bare Python error."""
import numpy as np
import pytest

import nn
from nn.data import DataLoader, TensorDataset, random_split
from nn.training import evaluate

X = np.random.default_rng(0).standard_normal((6, 3)).astype(np.float32)
Y = np.array([0, 1, 0, 1, 1, 0])


class Items:
    """A dataset of len(X) items made by `item(i)`."""

    def __init__(self, item):
        self.item = item

    def __len__(self):
        return len(X)

    def __getitem__(self, i):
        return self.item(i)


def fit(train, val=None, loss_fn=None):
    """One epoch of a small MLP on `train`, in batches of 2."""
    model = nn.MLP([3, 4, 2], rng=0)
    return nn.fit(model, loss_fn or nn.CrossEntropyLoss(), nn.optim.SGD(model.parameters(), lr=0.1), train, val=val,
                  epochs=1, batch_size=2, progress=False, rng=0)


@pytest.mark.parametrize("loss_fn, shown", [(lambda out, y: 1.0, "float 1.0"),
                                            (lambda out, y: np.float64(0.5), r"float64 np.float64\(0.5\)")],
                         ids=["float", "np.float64"])
def test_a_loss_that_is_no_tensor_is_refused_naming_fit(loss_fn, shown):
    with pytest.raises(TypeError, match=f"^fit: loss_fn returned {shown}, not a Tensor; compute the loss from the "
                                        f"model's output"):
        fit((X, Y), loss_fn=loss_fn)


def test_evaluate_still_takes_a_loss_that_is_a_number():
    # no backward() follows there: a NumPy number or 0-d array is averaged as before
    scores = evaluate(nn.MLP([3, 4, 2], rng=0), lambda out, y: np.float64(0.25), (X, Y))
    assert scores["loss"] == 0.25


@pytest.mark.parametrize("item, kind", [(lambda i: {"x": X[i], "y": Y[i]}, "dict of 2 entries"),
                                        (lambda i: (X[i], Y[i], 1.0), "list of 3 entries")],  # (as torch collates)
                         ids=["dict", "triple"])
def test_batches_that_are_no_pairs_are_refused_naming_fit_and_the_data(item, kind):
    loader = DataLoader(Items(item), batch_size=2)
    with pytest.raises(ValueError, match=f"^fit: train must yield \\(X, y\\) pairs, but it yields a {kind}"):
        fit(loader)
    with pytest.raises(ValueError, match=f"^fit: val must yield \\(X, y\\) pairs, but it yields a {kind}"):
        fit((X, Y), val=loader)
    with pytest.raises(ValueError, match=f"^evaluate: data must yield \\(X, y\\) pairs, but it yields a {kind}"):
        evaluate(nn.MLP([3, 4, 2], rng=0), nn.CrossEntropyLoss(), loader)


def test_pairs_from_a_dataset_of_other_items_still_train():
    history = fit(DataLoader(Items(lambda i: [X[i], Y[i]]), batch_size=2))
    assert len(history["train_loss"]) == 1 and np.isfinite(history["train_loss"][0])


@pytest.mark.parametrize("batch_size, error", [(0, ValueError), (2.5, TypeError), (True, TypeError)])
def test_evaluates_batch_size_is_checked_naming_evaluate(batch_size, error):
    with pytest.raises(error, match="^evaluate: batch_size must be a positive int"):
        evaluate(nn.MLP([3, 4, 2], rng=0), nn.CrossEntropyLoss(), (X, Y), batch_size=batch_size)


def test_a_scalar_loss_tensor_of_shape_one_still_trains():
    history = fit((X, Y), loss_fn=lambda out, y: nn.CrossEntropyLoss()(out, y).reshape(1))
    assert np.isfinite(history["train_loss"][0])


@pytest.mark.parametrize("argument", ["train", "val"])
def test_a_dataset_given_where_a_loader_is_wanted_is_refused_saying_to_batch_it(argument):
    train, val = random_split(TensorDataset(X, Y), [4, 2], rng=0)
    given = {"train": train, "val": val} if argument == "train" else {"train": (X, Y), "val": val}
    with pytest.raises(TypeError, match=rf"^fit: {argument} must be an \(X, y\) pair of arrays or a DataLoader, "
                                        rf"got Subset; batch a dataset with DataLoader\({argument}, batch_size=32\)"):
        fit(**given)
