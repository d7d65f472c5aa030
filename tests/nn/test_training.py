"""nn.fit and History: metrics per epoch, evaluation mode, early stopping, progress bar, plots."""
import io
import sys

import numpy as np
import pytest

import autograd_core as ag
import nn
from nn.data import DataLoader, TensorDataset
from nn.datasets import make_moons
from nn.training import evaluate


def moons(n=200, seed=0):
    X, y = make_moons(n, noise=0.1, rng=seed)
    return X, y


def test_fit_learns_and_records_every_metric_per_epoch():
    X, y = moons()
    Xv, yv = moons(100, seed=1)
    model = nn.MLP([2, 16, 2], rng=0)
    history = nn.fit(model, nn.CrossEntropyLoss(), nn.optim.Adam(model.parameters(), lr=0.02), (X, y),
                     val=(Xv, yv), epochs=15, batch_size=16, progress=False, rng=0)
    assert isinstance(history, nn.History) and isinstance(history, dict)
    assert set(history) == {"train_loss", "train_accuracy", "val_loss", "val_accuracy"}
    assert all(len(values) == 15 for values in history.values()) and history.stopped_epoch == 15
    assert history["train_loss"][-1] < history["train_loss"][0] / 2
    assert history["val_accuracy"][-1] >= 0.85
    scores = evaluate(model, nn.CrossEntropyLoss(), (Xv, yv))  # the last epoch's numbers, recomputed
    assert scores["loss"] == pytest.approx(history["val_loss"][-1], rel=1e-6)
    assert scores["accuracy"] == history["val_accuracy"][-1]


def test_same_seeds_give_the_same_history():
    X, y = moons()

    def run():
        model = nn.MLP([2, 8, 2], rng=3)
        return nn.fit(model, nn.CrossEntropyLoss(), nn.optim.SGD(model.parameters(), lr=0.1), (X, y), epochs=3,
                      progress=False, rng=5)
    assert run() == run()


def test_binary_targets_with_one_logit_get_an_accuracy():
    X, y = moons()
    target = y.astype(np.float32).reshape(-1, 1)
    model = nn.MLP([2, 16, 1], rng=0)
    history = nn.fit(model, nn.BCEWithLogitsLoss(), nn.optim.Adam(model.parameters(), lr=0.02), (X, target),
                     val=(X, target), epochs=10, progress=False, rng=0)
    with ag.no_grad():
        expected = float(((model(X).data > 0) == (target > 0.5)).mean())  # logits: threshold 0
    assert history["val_accuracy"][-1] == expected > 0.8


def test_regression_records_losses_only():
    X = np.linspace(-1, 1, 64, dtype=np.float32).reshape(-1, 1)
    model = nn.Linear(1, 1, rng=0)
    history = nn.fit(model, nn.MSELoss(), nn.optim.SGD(model.parameters(), lr=0.1), (X, 2 * X + 1), val=(X, 2 * X + 1),
                     epochs=30, batch_size=8, progress=False, rng=0)
    assert set(history) == {"train_loss", "val_loss"}
    assert history["val_loss"][-1] < 1e-4


def test_data_loaders_are_accepted_for_train_and_val():
    X, y = moons()
    loader = DataLoader(TensorDataset(X, y), batch_size=50, shuffle=True, rng=0)
    model = nn.MLP([2, 8, 2], rng=0)
    history = nn.fit(model, nn.CrossEntropyLoss(), nn.optim.Adam(model.parameters(), lr=0.01), loader,
                     val=DataLoader(TensorDataset(X, y), batch_size=64), epochs=2, progress=False)
    assert len(history["val_accuracy"]) == 2


class Recorder(nn.Module):
    """A linear layer that notes, for every call, whether gradients are on and the mode it is in."""

    def __init__(self):
        super().__init__()
        self.inner = nn.Linear(2, 2, rng=0)
        self.calls = []

    def forward(self, x):
        self.calls.append((ag.is_grad_enabled(), self.training, len(x)))
        return self.inner(x)


def test_validation_runs_without_gradients_in_eval_mode_and_training_resumes_in_train_mode():
    X, y = moons(40)
    model = Recorder()
    nn.fit(model, nn.CrossEntropyLoss(), nn.optim.SGD(model.parameters(), lr=0.1), (X, y), val=(X[:10], y[:10]),
           epochs=2, batch_size=20, progress=False, rng=0)
    assert model.calls == [(True, True, 20), (True, True, 20), (False, False, 10)] * 2
    assert model.training


def test_early_stopping_stops_on_rising_val_loss_and_restores_the_best_weights():
    # Training pulls w towards 3 (y = 3x); the validation targets are -3x, so from the first epoch
    # on, every epoch makes the validation loss worse: the best epoch is the first.
    X = np.linspace(-1, 1, 40, dtype=np.float32).reshape(-1, 1)

    def run(**kwargs):
        model = nn.Linear(1, 1, bias=False, rng=0)
        model.weight.data[...] = 0.0
        history = nn.fit(model, nn.MSELoss(), nn.optim.SGD(model.parameters(), lr=0.05), (X, 3 * X),
                         val=(X, -3 * X), batch_size=10, progress=False, rng=0, **kwargs)
        return model, history

    model, history = run(epochs=50, patience=3)
    assert history.best_epoch == 1 and history.stopped_epoch == 4
    assert len(history["val_loss"]) == 4 and history["val_loss"] == sorted(history["val_loss"])
    after_one_epoch, _ = run(epochs=1)
    assert model.weight.data[0, 0] > 0
    np.testing.assert_array_equal(model.weight.data, after_one_epoch.weight.data)


def test_patience_does_not_stop_while_val_loss_improves():
    X, y = moons()
    model = nn.MLP([2, 16, 2], rng=0)
    history = nn.fit(model, nn.CrossEntropyLoss(), nn.optim.Adam(model.parameters(), lr=0.01), (X, y),
                     val=(X, y), epochs=5, patience=2, progress=False, rng=0)
    assert history.stopped_epoch == 5 and history.best_epoch == 5


@pytest.mark.parametrize("kwargs,error,message", [
    (dict(patience=2), ValueError, "val"),
    (dict(patience=0, val=(np.zeros((2, 2), np.float32), np.zeros(2, np.int64))), ValueError, "patience"),
    (dict(epochs=-1), ValueError, "epochs"),
    (dict(batch_size=0), ValueError, "batch_size"),
])
def test_bad_arguments_are_refused(kwargs, error, message):
    model = nn.Linear(2, 2, rng=0)
    with pytest.raises(error, match=message):
        nn.fit(model, nn.CrossEntropyLoss(), nn.optim.SGD(model.parameters(), lr=0.1),
               (np.zeros((4, 2), np.float32), np.zeros(4, np.int64)), progress=False, **kwargs)


def test_bad_training_data_is_refused():
    model = nn.Linear(2, 2, rng=0)
    opt = nn.optim.SGD(model.parameters(), lr=0.1)
    with pytest.raises(TypeError, match=r"\(X, y\) pair"):
        nn.fit(model, nn.CrossEntropyLoss(), opt, np.zeros((4, 2)), progress=False)
    with pytest.raises(ValueError, match="same first dimension"):
        nn.fit(model, nn.CrossEntropyLoss(), opt, (np.zeros((4, 2)), np.zeros(3)), progress=False)
    with pytest.raises(ValueError, match="empty"):
        nn.fit(model, nn.CrossEntropyLoss(), opt, (np.zeros((0, 2)), np.zeros(0)), progress=False)


class FakeTerminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_bar_shows_epoch_batch_and_loss_on_a_terminal_only(monkeypatch):
    pytest.importorskip("tqdm")
    X, y = moons(64)
    model = nn.MLP([2, 4, 2], rng=0)
    opt = nn.optim.SGD(model.parameters(), lr=0.1)
    terminal = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    nn.fit(model, nn.CrossEntropyLoss(), opt, (X, y), val=(X, y), epochs=2, batch_size=16, rng=0)
    shown = terminal.getvalue()
    assert "epoch 1/2" in shown and "epoch 2/2" in shown and "4/4" in shown and "loss" in shown
    assert "val accuracy" in shown
    quiet = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", quiet)
    nn.fit(model, nn.CrossEntropyLoss(), opt, (X, y), epochs=1, progress=False)
    pipe = io.StringIO()  # not a terminal
    monkeypatch.setattr(sys, "stderr", pipe)
    nn.fit(model, nn.CrossEntropyLoss(), opt, (X, y), epochs=1)
    assert quiet.getvalue() == "" and pipe.getvalue() == ""


def test_history_plot_draws_loss_and_accuracy_and_saves(tmp_path):
    from matplotlib.figure import Figure

    history = nn.History(train_loss=[1.0, 0.6, 0.4], val_loss=[1.1, 0.7, 0.6], train_accuracy=[0.5, 0.7, 0.8],
                         val_accuracy=[0.4, 0.6, 0.7])
    history.best_epoch = 3
    fig = history.plot(tmp_path / "curves.png")
    assert isinstance(fig, Figure)
    assert [ax.get_title() for ax in fig.axes] == ["loss", "accuracy"]
    assert [line.get_label() for line in fig.axes[0].lines][:2] == ["train loss", "val loss"]
    assert (tmp_path / "curves.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
