"""nn.fit and History: metrics per epoch, evaluation mode, early stopping, accuracy rules, refusals (what fit shows,
its progress bar and History.plot, is in test_training_display.py)."""
import copy
import functools
import pickle
import sys
import types
import unittest.mock

import numpy as np
import pytest

import autograd_core as ag
import nn
import nn.functional as F
from conftest import FakeTerminal, OneWeightModel, moons
from nn.data import DataLoader, TensorDataset
from nn.training import evaluate


def test_fit_learns_and_records_every_metric_per_epoch():
    X, y = moons(200)
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
    X, y = moons(200)

    def run():
        model = nn.MLP([2, 8, 2], rng=3)
        return nn.fit(model, nn.CrossEntropyLoss(), nn.optim.SGD(model.parameters(), lr=0.1), (X, y), epochs=3,
                      progress=False, rng=5)
    assert run() == run()


def test_binary_targets_with_one_logit_get_an_accuracy():
    X, y = moons(200)
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
    X, y = moons(200)
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
        self.inputs = []

    def forward(self, x):
        self.calls.append((ag.is_grad_enabled(), self.training, len(x)))
        self.inputs.append(x)
        return self.inner(x)


def test_validation_runs_without_gradients_in_eval_mode_and_training_resumes_in_train_mode():
    X, y = moons(40)
    model = Recorder()
    nn.fit(model, nn.CrossEntropyLoss(), nn.optim.SGD(model.parameters(), lr=0.1), (X, y), val=(X[:10], y[:10]),
           epochs=2, batch_size=20, progress=False, rng=0)
    assert model.calls == [(True, True, 20), (True, True, 20), (False, False, 10)] * 2
    assert model.training


def test_fit_trains_a_model_handed_over_in_eval_mode_in_train_mode_and_gives_it_back_in_eval_mode():
    X, y = moons(40)
    model = Recorder().eval()
    nn.fit(model, nn.CrossEntropyLoss(), nn.optim.SGD(model.parameters(), lr=0.1), (X, y), val=(X[:10], y[:10]),
           epochs=2, batch_size=20, progress=False, rng=0)
    assert model.calls == [(True, True, 20), (True, True, 20), (False, False, 10)] * 2
    assert not model.training and not model.inner.training


def test_fit_gives_a_model_back_in_its_mode_when_training_fails():
    X, y = moons(40)
    model = Recorder().eval()
    y_bad = np.full_like(y, 5)  # class 5 of 2 logits: cross-entropy refuses it in the first batch
    with pytest.raises(ValueError, match="5"):
        nn.fit(model, nn.CrossEntropyLoss(), nn.optim.SGD(model.parameters(), lr=0.1), (X, y_bad), epochs=2,
               progress=False)
    assert model.calls[0][1] and not model.training


@pytest.mark.parametrize("training", [True, False])
def test_evaluate_runs_in_eval_mode_and_leaves_the_model_in_its_mode(training):
    X, y = moons(40)
    model = Recorder().train(training)
    evaluate(model, nn.CrossEntropyLoss(), (X, y))
    assert model.calls == [(False, False, 40)] and model.training == training


def test_shuffle_false_feeds_the_batches_in_order_every_epoch():
    X, y = moons(40)
    model = Recorder()
    nn.fit(model, nn.CrossEntropyLoss(), nn.optim.SGD(model.parameters(), lr=0.1), (X, y), epochs=2, batch_size=8,
           shuffle=False, progress=False, rng=0)
    np.testing.assert_array_equal(np.concatenate(model.inputs), np.concatenate([X, X]))


def test_zero_epochs_train_nothing_and_give_an_empty_history():
    model = nn.Linear(2, 2, rng=0)
    before = model.state_dict()
    history = nn.fit(model, nn.CrossEntropyLoss(), nn.optim.SGD(model.parameters(), lr=0.1), moons(20), epochs=0,
                     progress=False)
    assert history == {"train_loss": []} and history.epochs == 0 and history.stopped_epoch is None
    for name, value in model.state_dict().items():
        np.testing.assert_array_equal(value, before[name], err_msg=name)


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


class ScriptedValidation(OneWeightModel):
    """y = x @ w, trained by SGD; in eval mode it outputs sqrt(the next scripted loss), so that the MSE
    against zero targets is that validation loss."""

    def __init__(self, val_losses):
        super().__init__([[0.0]])
        self.val_losses = list(val_losses)

    def scripted(self, x, k):
        return ag.tensor(np.full((len(x), 1), np.sqrt(self.val_losses[k])))


@pytest.mark.parametrize("val_losses, patience, best, stopped, kept", [
    ([3, 4, 2, 5, 1, 6, 7], 2, 5, 7, 5),  # each improvement starts the patience count again
    ([3, 3, 3, 3], 2, 1, 3, 1),  # an equal loss is no improvement
    ([1, 2, 3], None, 1, 3, 3),  # without patience, training runs on and the last weights stay
], ids=["improvement resets", "tie", "no patience"])
def test_early_stopping_follows_the_validation_losses(val_losses, patience, best, stopped, kept):
    X = np.ones((4, 1))
    model = ScriptedValidation(val_losses)
    history = nn.fit(model, nn.MSELoss(), nn.optim.SGD(model.parameters(), lr=0.1), (X, X), val=(X, np.zeros((4, 1))),
                     epochs=len(val_losses), batch_size=4, patience=patience, progress=False, rng=0)
    assert history["val_loss"] == pytest.approx(val_losses[:stopped])
    assert (history.best_epoch, history.stopped_epoch) == (best, stopped)
    assert len({float(w[0, 0]) for w in model.weights_seen}) == stopped  # every epoch moved w
    np.testing.assert_array_equal(model.w.data, model.weights_seen[kept - 1])


def test_patience_does_not_stop_while_val_loss_improves():
    X, y = moons(200)
    model = nn.MLP([2, 16, 2], rng=0)
    history = nn.fit(model, nn.CrossEntropyLoss(), nn.optim.Adam(model.parameters(), lr=0.01), (X, y),
                     val=(X, y), epochs=5, patience=2, progress=False, rng=0)
    assert history.stopped_epoch == 5 and history.best_epoch == 5


@pytest.mark.parametrize("kwargs,error,message", [
    (dict(patience=2), ValueError, "val"),
    (dict(patience=0, val=(np.zeros((2, 2), np.float32), np.zeros(2, np.int64))), ValueError, "patience"),
    (dict(epochs=-1), ValueError, "epochs"),
    (dict(epochs=True), TypeError, "epochs"),  # a bool is no count of epochs (no number: a TypeError, as README)
    (dict(patience=True, val=(np.zeros((2, 2), np.float32), np.zeros(2, np.int64))), TypeError, "patience"),
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
    with pytest.raises(TypeError, match=r"\(X, y\) pair of arrays or a DataLoader, got tuple"):
        nn.fit(model, nn.CrossEntropyLoss(), opt, (np.zeros((4, 2)), np.zeros(4), np.ones(4)), progress=False)
    with pytest.raises(ValueError, match="same first dimension"):
        nn.fit(model, nn.CrossEntropyLoss(), opt, (np.zeros((4, 2)), np.zeros(3)), progress=False)
    with pytest.raises(ValueError, match="empty"):
        nn.fit(model, nn.CrossEntropyLoss(), opt, (np.zeros((0, 2)), np.zeros(0)), progress=False)


@pytest.mark.parametrize("where", ["train", "val"])
def test_a_loader_that_yields_no_batch_is_refused_naming_its_sizes(where):
    model = nn.Linear(2, 2, rng=0)
    data = (np.zeros((8, 2), np.float32), np.zeros(8, np.int64))
    empty = DataLoader(TensorDataset(*data), batch_size=16, drop_last=True)  # 8 samples, no full batch
    train, val = (empty, None) if where == "train" else (data, empty)
    with pytest.raises(ValueError, match=rf"fit: {where} yields no batch \(8 samples, batch_size=16, drop_last=True\)"):
        nn.fit(model, nn.CrossEntropyLoss(), nn.optim.SGD(model.parameters(), lr=0.1), train, val=val,
               progress=False)
    with pytest.raises(ValueError, match="evaluate: data yields no batch"):
        evaluate(model, nn.CrossEntropyLoss(), empty)


# ---- accuracy follows the loss ---------------------------------------------------------------
# One input feature and a fixed model (lr=0): the score is x itself (a logit) or sigmoid(x) (a
# probability). Predicting 1 for x > 0 gets 6 of these 8 targets right; thresholding the
# probabilities at 0 would predict 1 everywhere (4 of 8), the logits at 0.5 gets 5 of 8.
SCORES = np.array([[-2.0], [-1.0], [-0.5], [-0.1], [0.3], [1.0], [2.0], [3.0]], dtype=np.float32)
BINARY = np.array([[0], [0], [0], [1], [1], [1], [1], [0]], dtype=np.float32)


def fixed_linear(n_in, n_out):
    layer = nn.Linear(n_in, n_out, rng=0)
    layer.weight.data[...] = np.eye(n_out, n_in)
    layer.bias.data[...] = 0.0
    return layer


def accuracy_history(model, loss_fn, X, y):
    return nn.fit(model, loss_fn, nn.optim.SGD(model.parameters(), lr=0.0), (X, y), val=(X, y), epochs=1,
                  batch_size=3, progress=False, rng=0)


class MyBCE(nn.BCELoss):
    pass


class MyCrossEntropy(nn.CrossEntropyLoss):
    pass


@pytest.mark.parametrize("loss_fn", [nn.BCELoss(), MyBCE(), F.binary_cross_entropy,
                                     functools.partial(F.binary_cross_entropy, reduction="mean")],
                         ids=["BCELoss", "subclass", "function", "partial"])
def test_probabilities_are_thresholded_at_one_half_for_every_form_of_bce(loss_fn):
    history = accuracy_history(nn.Sequential(fixed_linear(1, 1), nn.Sigmoid()), loss_fn, SCORES, BINARY)
    assert history["val_accuracy"] == [0.75] and history["train_accuracy"] == [0.75]


@pytest.mark.parametrize("loss_fn", [nn.BCEWithLogitsLoss(), F.binary_cross_entropy_with_logits,
                                     functools.partial(F.binary_cross_entropy_with_logits, reduction="sum")],
                         ids=["BCEWithLogitsLoss", "function", "partial"])
def test_logits_are_thresholded_at_zero(loss_fn):
    history = accuracy_history(fixed_linear(1, 1), loss_fn, SCORES, BINARY)
    assert history["val_accuracy"] == [0.75] and history["train_accuracy"] == [0.75]


# Two classes, the logits are the inputs: the argmax is column 1 exactly where BINARY's x > 0.
LOGITS = np.concatenate([np.zeros_like(SCORES), SCORES], axis=1)
LABELS = BINARY.ravel().astype(np.int64)


CLASS_LOSSES = {"CrossEntropyLoss": nn.CrossEntropyLoss(), "subclass": MyCrossEntropy(),
                "cross_entropy": F.cross_entropy, "partial": functools.partial(F.cross_entropy, reduction="sum")}
NLL_LOSSES = {"NLLLoss": nn.NLLLoss(), "nll_loss": F.nll_loss}  # on log-probabilities, class indices only


@pytest.mark.parametrize("name,targets", [(name, targets) for name in CLASS_LOSSES
                                          for targets in ("indices", "one-hot", "probabilities")]
                         + [(name, "indices") for name in NLL_LOSSES])
def test_classes_are_the_argmax_for_index_one_hot_and_probability_targets(name, targets):
    loss_fn = CLASS_LOSSES.get(name) or NLL_LOSSES[name]
    y = {"indices": LABELS, "one-hot": np.eye(2, dtype=np.float32)[LABELS],
         "probabilities": np.eye(2, dtype=np.float32)[LABELS] * 0.6 + 0.2}[targets]
    model = nn.Sequential(fixed_linear(2, 2), nn.LogSoftmax(dim=1)) if name in NLL_LOSSES else fixed_linear(2, 2)
    history = accuracy_history(model, loss_fn, LOGITS, y)
    assert history["val_accuracy"] == [0.75] and history["train_accuracy"] == [0.75]


@pytest.mark.parametrize("loss_fn,X,y", [
    (nn.MSELoss(), SCORES, np.ones_like(SCORES)), (nn.L1Loss(), SCORES, BINARY), (nn.HuberLoss(), SCORES, BINARY),
    (F.mse_loss, SCORES, np.zeros_like(SCORES)),
    (lambda out, y: F.cross_entropy(out, y), LOGITS, LABELS)],  # class labels, but fit does not know this loss
    ids=["MSELoss", "L1Loss", "HuberLoss", "mse_loss", "unknown"])
def test_regression_and_unknown_losses_record_no_accuracy_even_for_0_1_targets(loss_fn, X, y):
    model = fixed_linear(X.shape[1], X.shape[1])
    assert set(accuracy_history(model, loss_fn, X, y)) == {"train_loss", "val_loss"}
    assert evaluate(model, loss_fn, (X, y))["accuracy"] is None


def test_epoch_losses_are_means_over_samples_not_over_batches():
    # 8 samples in batches of 3, 3 and 2: a mean of the batch means would weigh the last two samples more
    model, loss_fn = fixed_linear(1, 1), nn.MSELoss()
    with ag.no_grad():
        whole = loss_fn(model(SCORES), BINARY).item()
    history = accuracy_history(model, loss_fn, SCORES, BINARY)
    assert history["train_loss"][0] == pytest.approx(whole, rel=1e-6)
    assert evaluate(model, loss_fn, (SCORES, BINARY), batch_size=3)["loss"] == pytest.approx(whole, rel=1e-6)


@pytest.mark.parametrize("loss_fn, activation", [(nn.BCEWithLogitsLoss(), None), (nn.BCELoss(), nn.Sigmoid())],
                         ids=["logit 0", "probability 0.5"])
def test_a_score_exactly_at_the_threshold_predicts_0(loss_fn, activation):
    model = fixed_linear(1, 1)
    model.weight.data[...] = 0.0  # logit 0, probability 0.5 for every sample
    model = model if activation is None else nn.Sequential(model, activation)
    assert evaluate(model, loss_fn, (SCORES, np.zeros_like(BINARY)))["accuracy"] == 1.0


def test_class_accuracy_takes_the_argmax_over_axis_1_of_k_dimensional_logits():
    logits = np.random.default_rng(0).normal(size=(2, 3, 4))  # (N, C, L): a class for each of L positions
    labels = logits.argmax(axis=1)
    labels[0, :2] = (labels[0, :2] + 1) % 3  # 2 of the 8 positions wrong
    # Tanh keeps each argmax and makes the output a Tensor
    assert evaluate(nn.Tanh(), nn.CrossEntropyLoss(), (logits, labels))["accuracy"] == 0.75


# ---- the progress bar in Jupyter ---------------------------------------------------------------


def _fit_parts():
    X, y = np.random.default_rng(0).random((8, 2)), np.arange(8) % 2
    model = nn.Linear(2, 2, rng=0)
    return model, nn.CrossEntropyLoss(), nn.optim.SGD(model.parameters(), lr=0.1), (X, y)


@pytest.mark.parametrize("change, error, message", [
    (lambda m, L, o, d: (m, L, nn.optim.SGD(nn.Linear(2, 2).parameters(), lr=0.1), d), ValueError,
     r"fit: the optimizer holds none of the model's parameters"),  # trained nothing, silently
    (lambda m, L, o, d: (lambda x: x, L, o, d), TypeError, r"fit: model must be an nn.Module .* got function"),
    (lambda m, L, o, d: (m, "mse", o, d), TypeError, r"fit: loss_fn must be callable .* got 'mse'"),
    (lambda m, L, o, d: (m, nn.CrossEntropyLoss, o, d), TypeError,
     r"fit: loss_fn is the class CrossEntropyLoss; pass an instance, CrossEntropyLoss\(\)"),
    (lambda m, L, o, d: (m, L, None, d), TypeError, r"fit: optimizer must have step\(\) and zero_grad\(\)"),
    (lambda m, L, o, d: (m, L, o, DataLoader(TensorDataset(d[0]))), ValueError,
     r"fit: train must yield \(X, y\) pairs, but its TensorDataset holds 1 arrays"),
], ids=["another model's optimizer", "function model", "str loss", "loss class", "no optimizer", "X only"])
def test_fit_refuses_collaborators_that_do_not_fit_together(change, error, message):
    with pytest.raises(error, match=rf"^{message}"):
        nn.fit(*change(*_fit_parts()), epochs=1, progress=False)


class Fixed(nn.Module):
    def __init__(self, out):
        super().__init__()
        self.out = out

    def forward(self, x):
        return ag.tensor(self.out)


def test_soft_binary_targets_are_judged_at_one_half_with_logits():
    model = Fixed(np.array([[-3.0], [3.0]]))  # logits: negative then positive
    y = np.array([[0.1], [0.9]])  # smoothed labels: negative then positive
    scores = evaluate(model, nn.BCEWithLogitsLoss(), (np.zeros((2, 1)), y))
    assert scores["accuracy"] == 1.0


class _Recorder(nn.Module):
    """A linear model that records the batch sizes it is called with in training mode and the inputs it sees in
    evaluation mode."""

    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(2, 2, rng=0)
        self.train_batches, self.eval_inputs = [], []

    def forward(self, x):
        if self.training:
            self.train_batches.append(len(x))
        else:
            self.eval_inputs.append(np.array(x))
        return self.linear(x)


def test_fit_batches_32_samples_by_default():
    """API.md: fit(..., batch_size=32, ...)."""
    X, y = np.random.default_rng(0).standard_normal((70, 2)).astype(np.float32), np.arange(70) % 2
    model = _Recorder()
    nn.fit(model, nn.CrossEntropyLoss(), nn.optim.SGD(model.parameters(), lr=0.1), (X, y), epochs=1,
           shuffle=False, progress=False, rng=0)
    assert model.train_batches == [32, 32, 6]


def test_validation_sees_the_data_in_order_and_leaves_the_training_shuffle_alone():
    """Validation does not shuffle (shuffle applies to train only), so it draws nothing from rng: with the same seeds
    a run with val trains exactly as one without."""
    rng = np.random.default_rng(1)
    X, y = rng.standard_normal((40, 2)).astype(np.float32), rng.integers(0, 2, 40)
    Xv, yv = rng.standard_normal((30, 2)).astype(np.float32), rng.integers(0, 2, 30)

    def run(val):
        model = _Recorder()
        nn.fit(model, nn.CrossEntropyLoss(), nn.optim.SGD(model.parameters(), lr=0.1), (X, y), val=val,
               epochs=3, batch_size=8, progress=False, rng=7)
        return model

    with_val, without_val = run((Xv, yv)), run(None)
    assert len(with_val.eval_inputs) == 3
    for seen in with_val.eval_inputs:
        np.testing.assert_array_equal(seen, Xv)
    for a, b in zip(with_val.parameters(), without_val.parameters()):
        np.testing.assert_array_equal(a.data, b.data)


@pytest.mark.parametrize("missing", ["step", "zero_grad"])
def test_fit_refuses_an_optimizer_without_step_or_without_zero_grad(missing):
    """fit needs both methods; an object with only one of them is refused up front with fit's TypeError."""
    model = nn.Linear(2, 2, rng=0)
    real = nn.optim.SGD(model.parameters(), lr=0.1)
    half = types.SimpleNamespace(**{name: getattr(real, name) for name in ("step", "zero_grad") if name != missing},
                                 param_groups=real.param_groups)
    X, y = np.zeros((4, 2)), np.arange(4) % 2
    with pytest.raises(TypeError, match=r"^fit: optimizer must have step\(\) and zero_grad\(\)"):
        nn.fit(model, nn.CrossEntropyLoss(), half, (X, y), epochs=1, progress=False)


class _OneHotCrossEntropy(nn.CrossEntropyLoss):
    """A classification loss (a CrossEntropyLoss subclass) that takes integer one-hot rows as targets."""

    def __call__(self, out, target):
        return super().__call__(out, np.asarray(target).argmax(axis=1))


def test_fit_trains_on_targets_that_fit_no_accuracy_rule():
    """Integer one-hot targets are neither class indices (one per row) nor float probabilities: fit trains and records
    the loss; an accuracy, if it records one, is the argmax one."""
    rng = np.random.default_rng(2)
    X, labels = rng.standard_normal((12, 2)).astype(np.float32), rng.integers(0, 2, 12)
    model = nn.Linear(2, 2, rng=0)
    one_hot = np.eye(2, dtype=int)[labels]
    history = nn.fit(model, _OneHotCrossEntropy(), nn.optim.SGD(model.parameters(), lr=0.0), (X, one_hot), epochs=1,
                     batch_size=12, progress=False, rng=0)  # lr=0: the model scored is the one trained
    assert len(history["train_loss"]) == 1 and np.isfinite(history["train_loss"][0])
    if "train_accuracy" in history:
        assert history["train_accuracy"] == [float(np.mean(model(X).data.argmax(axis=1) == labels))]


def test_a_training_loss_that_is_not_finite_stops_fit_before_its_step(monkeypatch):
    X, y = moons(48)
    X[20] = np.nan  # in the second batch of 16
    model = nn.MLP([2, 4, 2], rng=0)
    opt = nn.optim.SGD(model.parameters(), lr=0.1)
    reference = nn.MLP([2, 4, 2], rng=0)
    ref_opt = nn.optim.SGD(reference.parameters(), lr=0.1)
    loss_fn = nn.CrossEntropyLoss()
    ref_opt.zero_grad()
    loss_fn(reference(X[:16]), y[:16]).backward()  # the one step taken: on the first batch
    ref_opt.step()
    terminal = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    with pytest.raises(nn.training.TrainingDiverged, match=r"^fit: the training loss is nan at epoch 1, batch 2, so "
                                                           r"training has diverged; that step was not taken") as info:
        nn.fit(model, loss_fn, opt, (X, y), epochs=3, batch_size=16, shuffle=False, progress=True)
    assert isinstance(info.value, FloatingPointError) and (info.value.epoch, info.value.batch) == (1, 2)
    for name, value in reference.state_dict().items():
        np.testing.assert_array_equal(model.state_dict()[name], value, err_msg=name)
    shown = terminal.getvalue()
    assert "1/3" in shown and shown.endswith("\n")  # the bar stopped at batch 1 of 3, and its line is ended


def test_zero_epochs_with_validation_data_give_an_empty_validation_loss():
    model = nn.Linear(2, 2, rng=0)
    history = nn.fit(model, nn.CrossEntropyLoss(), nn.optim.SGD(model.parameters(), lr=0.1), moons(20),
                     val=moons(10), epochs=0, progress=False)
    assert history == {"train_loss": [], "val_loss": []} and history.best_epoch is None


@pytest.mark.parametrize("val, message", [((np.ones((0, 2)), np.zeros(0, int)), "the arrays are empty"),
                                          ((np.ones((3, 2)), np.zeros(2, int)), "the same first dimension")],
                         ids=["empty", "mismatched"])
def test_bad_validation_arrays_are_an_error_naming_val(val, message):
    model = nn.Linear(2, 2, rng=0)
    with pytest.raises(ValueError, match=rf"^fit: val: TensorDataset: .*{message}"):
        nn.fit(model, nn.CrossEntropyLoss(), nn.optim.SGD(model.parameters(), lr=0.1), moons(10), val=val,
               epochs=1, progress=False)


def test_with_patience_a_diverging_run_restores_the_best_epochs_weights_before_it_raises():
    X, y = moons(32)
    model = nn.Linear(2, 2, rng=0)
    snapshots = []
    real_evaluate = nn.training._evaluate

    def evaluate(*args):  # records each epoch's weights, and the loss of epoch 2 is the best
        snapshots.append({k: v.copy() for k, v in model.state_dict().items()})
        scores = real_evaluate(*args)
        return {**scores, "loss": 0.1 if len(snapshots) == 2 else 1.0}

    class DivergeAtEpoch4(nn.CrossEntropyLoss):
        calls = 0

        def forward(self, input, target):
            DivergeAtEpoch4.calls += model.training  # (validation calls it too, in eval mode)
            loss = super().forward(input, target)
            return loss * np.nan if DivergeAtEpoch4.calls > 3 else loss  # one batch per epoch: epoch 4's is nan

    with unittest.mock.patch.object(nn.training, "_evaluate", evaluate), \
            pytest.raises(nn.training.TrainingDiverged, match="at epoch 4, batch 1"):
        nn.fit(model, DivergeAtEpoch4(), nn.optim.SGD(model.parameters(), lr=0.5), (X, y), val=(X, y), epochs=6,
               batch_size=32, patience=5, progress=False)
    for name, value in model.state_dict().items():
        np.testing.assert_array_equal(value, snapshots[1][name], err_msg=name)


def test_training_diverged_survives_pickle_and_copy_with_its_message_and_fields():
    # Exceptions cross process boundaries by pickle (multiprocessing, concurrent.futures); FloatingPointError,
    # its base, round-trips. TrainingDiverged(loss, epoch, batch) passes only the message to BaseException, so
    # unpickling calls TrainingDiverged(message) -> TypeError.
    err = nn.training.TrainingDiverged(float("nan"), 2, 3)
    for twin in (pickle.loads(pickle.dumps(err)), copy.copy(err)):
        assert isinstance(twin, nn.training.TrainingDiverged) and str(twin) == str(err)
        assert (twin.epoch, twin.batch) == (2, 3) and np.isnan(twin.loss)


def test_a_loss_that_is_not_a_scalar_is_reported_as_such():
    # Before de062a1.., loss.backward() said "gradient must be given for a non-scalar output ...; reduce the output
    # first (e.g. .sum())" (PyTorch: "grad can be implicitly created only for scalar outputs"). fit now calls
    # loss.item() first: "item: only a Tensor with one element converts to a Python number".
    model = nn.Linear(2, 1, rng=0)
    with pytest.raises((ValueError, RuntimeError), match="scalar"):
        nn.fit(model, nn.MSELoss(reduction="none"), nn.optim.SGD(model.parameters(), lr=0.1),
            (np.ones((4, 2)), np.ones((4, 1))), epochs=1, progress=False)


@pytest.mark.parametrize("setting", ["shuffle", "progress"])
def test_fit_refuses_a_flag_that_is_not_a_bool(setting):
    model = nn.Linear(2, 1, rng=0)
    with pytest.raises(TypeError, match=f"fit: {setting} must be True or False, got 'no'"):
        nn.fit(model, nn.MSELoss(), nn.optim.SGD(model.parameters(), lr=0.1),
               (np.ones((4, 2), np.float32), np.ones((4, 1), np.float32)), epochs=1,
               **{"progress": False, setting: "no"})


def _train_on_a_loader(**setting):
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(32, 3)).astype(np.float32), rng.integers(0, 2, 32)
    model = nn.Linear(3, 2, rng=0)
    history = nn.fit(model, nn.CrossEntropyLoss(), nn.optim.SGD(model.parameters(), lr=0.1),
                     DataLoader(TensorDataset(X, y), batch_size=8), epochs=2, progress=False, **setting)
    return history, model


def test_batch_size_none_with_a_dataloader_trains_as_without_it():
    (history, model), (reference, reference_model) = _train_on_a_loader(batch_size=None), _train_on_a_loader()
    assert history == reference
    np.testing.assert_array_equal(model.weight.data, reference_model.weight.data)


# ---- found by mutation testing -------------------------------------------------------------------------------------
def test_fit_takes_batch_size_1_one_sgd_step_per_sample():
    # batch_size=1 is a valid size (PyTorch's DataLoader default): one SGD step per sample, in order with
    # shuffle=False. Reference: the same steps by formula.
    X = np.array([[1.0], [2.0], [3.0]])
    y = 2 * X
    model = nn.Linear(1, 1, bias=False, rng=0)
    w = float(model.weight.data[0, 0])
    history = nn.fit(model, nn.MSELoss(), nn.optim.SGD(model.parameters(), lr=0.01), (X, y), epochs=1,
                     batch_size=1, progress=False, shuffle=False)
    losses = []
    for x, t in zip(X[:, 0], y[:, 0]):  # d/dw (w x - t)^2 = 2 (w x - t) x
        losses.append((w * x - t) ** 2)
        w -= 0.01 * 2 * (w * x - t) * x
    np.testing.assert_allclose(history["train_loss"], [np.mean(losses)], rtol=1e-5)  # (float32 weights)
    np.testing.assert_allclose(model.weight.data, [[w]], rtol=1e-5)  # (float32 weights)
