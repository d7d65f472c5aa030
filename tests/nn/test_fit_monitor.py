"""nn.fit(monitor=...): the History metric watched by early stopping and given to ReduceLROnPlateau (a loss
improves by decreasing, an accuracy by increasing), and the refusals of a monitor or a plateau mode that does
not fit."""
import numpy as np
import pytest

import autograd_core as ag
import nn
from conftest import OneWeightModel, WatchedPlateau, moons, moons_loader
from nn.optim.lr_scheduler import ReduceLROnPlateau


def test_plateau_on_the_validation_accuracy_trains_as_a_hand_written_loop():
    X_val, y_val = moons(48, seed=1)
    settings = dict(mode="max", factor=0.5, patience=0, threshold=0.1)  # needs 10% better accuracy each epoch

    model = nn.MLP([2, 8, 2], rng=3)
    optimizer = nn.optim.SGD(model.parameters(), lr=0.2, momentum=0.5)
    scheduler = WatchedPlateau(optimizer, **settings)
    history = nn.fit(model, nn.CrossEntropyLoss(), optimizer, moons_loader(), val=(X_val, y_val), epochs=6,
                     progress=False, scheduler=scheduler, monitor="val_accuracy")
    assert scheduler.seen == history["val_accuracy"]
    assert history["lr"][:3] == [0.2, 0.2, 0.1] and history["lr"][-1] < 0.1  # it kept the rate, then lowered it

    by_hand = nn.MLP([2, 8, 2], rng=3)
    optimizer = nn.optim.SGD(by_hand.parameters(), lr=0.2, momentum=0.5)
    scheduler, loss_fn, batches = WatchedPlateau(optimizer, **settings), nn.CrossEntropyLoss(), moons_loader()
    rates, accuracies = [], []
    for _ in range(6):
        rates.append(optimizer.param_groups[0]["lr"])
        for xb, yb in batches:
            loss = loss_fn(by_hand(xb), yb)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        with ag.no_grad():
            accuracy = float(np.mean(by_hand(X_val).data.argmax(axis=1) == y_val))
        accuracies.append(accuracy)
        scheduler.step(accuracy)
    assert history["val_accuracy"] == pytest.approx(accuracies, abs=1e-12) and history["lr"] == rates
    for key, value in by_hand.state_dict().items():
        np.testing.assert_array_equal(model.state_dict()[key], value, err_msg=key)


def test_plateau_on_the_training_loss_with_val_and_on_the_training_accuracy():
    for monitor, mode in (("train_loss", "min"), ("train_accuracy", "max")):
        model = nn.MLP([2, 8, 2], rng=2)
        optimizer = nn.optim.SGD(model.parameters(), lr=0.1)
        scheduler = WatchedPlateau(optimizer, mode=mode, factor=0.5, patience=0, threshold=0.5)
        history = nn.fit(model, nn.CrossEntropyLoss(), optimizer, moons(), val=moons(48, seed=1), epochs=4,
                         progress=False, rng=0, scheduler=scheduler, monitor=monitor)
        assert scheduler.seen == history[monitor] and history["lr"][-1] < 0.1, monitor


class ScriptedScores(OneWeightModel):
    """Logits x @ w (w of shape (1, 2)) while training; in eval mode, logits that classify the next scripted number
    of the 4 validation rows right, with the scripted confidence (so the validation loss and accuracy disagree)."""

    def __init__(self, script):
        super().__init__([[0.0, 0.0]])
        self.script = list(script)

    def scripted(self, x, k):
        right, confidence = self.script[k]
        logits = np.zeros((len(x), 2))
        logits[:, 1] = [confidence if i < right else -confidence for i in range(len(x))]  # all targets are 1
        return ag.tensor(logits)


@pytest.mark.parametrize("script, patience, best, stopped", [
    # (rows right, confidence) per epoch: the lowest validation loss is epoch 1's, the best accuracy epoch 3's
    ([(2, 0.1), (1, 5.0), (3, 5.0), (2, 5.0), (3, 9.0), (1, 0.1)], 3, 3, 6),
    ([(1, 1.0), (3, 1.0), (3, 2.0), (2, 1.0), (4, 1.0)], 2, 2, 4),  # an equal accuracy is no improvement
    ([(1, 1.0), (2, 1.0), (0, 1.0)], None, 2, 3),  # without patience: the best epoch named, the last weights kept
])
def test_early_stopping_on_the_validation_accuracy_keeps_the_most_accurate_epoch(script, patience, best, stopped):
    X = np.ones((4, 1))
    model = ScriptedScores(script)
    history = nn.fit(model, nn.CrossEntropyLoss(), nn.optim.SGD(model.parameters(), lr=0.1), (X, np.ones(4, np.int64)),
                     val=(X, np.ones(4, np.int64)), epochs=len(script), batch_size=4, patience=patience,
                     progress=False, rng=0, monitor="val_accuracy")
    assert history["val_accuracy"] == [right / 4 for right, _ in script[:stopped]]
    assert (history.best_epoch, history.stopped_epoch) == (best, stopped)
    assert len({float(w[0, 1]) for w in model.weights_seen}) == stopped  # every epoch moved w
    np.testing.assert_array_equal(model.w.data, model.weights_seen[(best if patience else stopped) - 1])
    if patience == 3:  # the validation loss would have chosen another epoch
        assert int(np.argmin(history["val_loss"])) + 1 != best


def test_early_stopping_on_the_training_loss_needs_no_validation_data():
    # y = 3x from w = 0, lr too large: every step overshoots further, so the first epoch's loss is the lowest
    X = np.linspace(-1, 1, 40).reshape(-1, 1)
    model = nn.Linear(1, 1, bias=False, dtype=np.float64, rng=0)
    model.weight.data[...] = 0.0
    history = nn.fit(model, nn.MSELoss(), nn.optim.SGD(model.parameters(), lr=3.5), (X, 3 * X), epochs=20,
                     batch_size=40, patience=2, progress=False, rng=0, monitor="train_loss")
    assert history.best_epoch == 1 and history.stopped_epoch == 3 and "val_loss" not in history
    assert history["train_loss"] == sorted(history["train_loss"])
    np.testing.assert_allclose(model.weight.data, [[3.5 * 2 * np.mean(X * 3 * X)]])  # one step from 0: epoch 1's


def test_monitor_none_keeps_watching_the_validation_loss():
    X = np.ones((4, 1))
    script = [(2, 0.1), (3, 5.0), (1, 5.0)]  # the lowest loss is epoch 1's, the best accuracy epoch 2's
    histories = []
    for monitor in (None, "val_loss"):
        model = ScriptedScores(script)
        histories.append(nn.fit(model, nn.CrossEntropyLoss(), nn.optim.SGD(model.parameters(), lr=0.1),
                                (X, np.ones(4, np.int64)), val=(X, np.ones(4, np.int64)), epochs=3, batch_size=4,
                                progress=False, rng=0, monitor=monitor))
    assert histories[0] == histories[1] and histories[0].best_epoch == histories[1].best_epoch
    assert histories[0].best_epoch == int(np.argmin(histories[0]["val_loss"])) + 1 == 1
    assert int(np.argmax(histories[0]["val_accuracy"])) + 1 == 2


def fit_moons(**settings):
    model = nn.MLP([2, 4, 2], rng=0)
    optimizer = nn.optim.SGD(model.parameters(), lr=0.1)
    scheduler = settings.pop("scheduler", None)
    return nn.fit(model, settings.pop("loss_fn", nn.CrossEntropyLoss()), optimizer, moons(), epochs=2,
                  progress=False, rng=0, scheduler=scheduler and scheduler(optimizer), **settings)


@pytest.mark.parametrize("settings, message", [
    (dict(mode="max", val=moons(48, seed=1)), r"^fit: ReduceLROnPlateau has mode='max', but fit gives it val_loss "
     r"\(monitor=None watches 'val_loss'\), a loss, which improves by decreasing; make it "
     r"ReduceLROnPlateau\(optimizer, mode='min', ...\), or pass monitor='val_accuracy' with mode='max'$"),
    (dict(mode="max"), r"gives it train_loss \(monitor=None watches 'train_loss'\).*mode='min'"),
    (dict(mode="max", monitor="train_loss"), r"gives it train_loss \(monitor='train_loss'\).*mode='min'"),
    (dict(mode="min", monitor="val_accuracy", val=moons(48, seed=1)),
     r"mode='min', but fit gives it val_accuracy \(monitor='val_accuracy'\), an accuracy, which improves by "
     r"increasing; make it ReduceLROnPlateau\(optimizer, mode='max', ...\), or pass monitor='val_loss'"),
    (dict(mode="min", monitor="train_accuracy"), r"mode='max'"),
])
def test_a_plateau_mode_against_the_monitored_metric_is_refused_before_training(settings, message):
    mode = settings.pop("mode")
    with pytest.raises(ValueError, match=message):
        fit_moons(scheduler=lambda optimizer: ReduceLROnPlateau(optimizer, mode=mode), **settings)


@pytest.mark.parametrize("settings, error, message", [
    (dict(monitor="loss"), ValueError, r"^fit: monitor must be one of 'val_loss', 'val_accuracy', 'train_loss', "
     r"'train_accuracy' or None, got 'loss'$"),
    (dict(monitor="val_acc", val=moons(48, seed=1)), ValueError, "monitor must be one of .* got 'val_acc'"),
    (dict(monitor=0), TypeError, r"^fit: monitor must be a History key as a string .* or None, got 0$"),
    (dict(monitor="val_accuracy"), ValueError, r"^fit: monitor='val_accuracy' watches the validation data, but val "
     r"is None; pass val=\(X_val, y_val\), or monitor='train_accuracy'$"),
    (dict(monitor="val_loss", patience=2), ValueError, "monitor='val_loss' watches the validation data"),
    (dict(monitor="train_accuracy", loss_fn=nn.MSELoss()), ValueError, r"^fit: monitor='train_accuracy', but "
     r"MSELoss records no accuracy \(only CrossEntropyLoss, .*\); monitor='train_loss' instead$"),
    (dict(patience=2), ValueError, r"pass val=\(X_val, y_val\), or monitor='train_loss'"),
])
def test_a_monitor_that_does_not_fit_is_refused_before_training(settings, error, message):
    with pytest.raises(error, match=message):
        fit_moons(**settings)


class ScoredMean(nn.CrossEntropyLoss):
    """A classification loss (by its class) whose targets fit no accuracy rule: floats of another shape."""

    def forward(self, input, target):
        return ((input.mean(axis=1) - target) ** 2).mean()


def test_an_accuracy_monitor_with_targets_that_fit_no_accuracy_rule_fails_at_the_first_epoch():
    X, y = moons()
    model = nn.MLP([2, 4, 2], rng=0)
    with pytest.raises(ValueError, match=r"^fit: monitor='train_accuracy', but epoch 1 recorded no train accuracy: "
                                         r"the targets fit no accuracy rule of ScoredMean .*monitor a loss instead$"):
        nn.fit(model, ScoredMean(), nn.optim.SGD(model.parameters(), lr=0.1), (X, y.astype(np.float64)), epochs=2,
               progress=False, rng=0, monitor="train_accuracy")
