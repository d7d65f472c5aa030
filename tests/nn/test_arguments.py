"""The settings nn checks with nn._arguments: README's rule for a number where one belongs; and the inputs, targets
and states it refuses when they are lists holding Tensors that require grad."""
import math
import re

import numpy as np
import pytest

import autograd_core as ag
import nn
import nn.functional as F
from nn import optim
from nn.data import DataLoader, TensorDataset, train_val_test_split
from nn.datasets import make_moons
from nn.optim import lr_scheduler


def _params():
    return [ag.tensor([1.0], requires_grad=True)]


def _with_grad():
    p = ag.tensor([3.0, 4.0], requires_grad=True)
    p.grad = ag.tensor([6.0, 8.0])
    return [p]


def _fit(**setting):
    model = nn.Linear(2, 2, rng=0)
    data = (np.zeros((4, 2), np.float32), np.zeros(4, np.int64))
    nn.fit(model, nn.CrossEntropyLoss(), optim.SGD(model.parameters(), lr=0.1), data, val=data, progress=False,
           **setting)


# (owner, setting, call with the setting, a number out of range or None, whether it takes only ints)
SETTINGS = [
    *[(name, setting, lambda v, cls=getattr(optim, name), s=setting: cls(_params(), **{"lr": 0.1, s: v}), -1.0,
       False)
      for name, settings in {"SGD": ("lr", "momentum", "dampening", "weight_decay"),
                             "Adam": ("lr", "eps", "weight_decay"), "AdamW": ("lr", "eps", "weight_decay"),
                             "RMSprop": ("lr", "alpha", "eps", "momentum", "weight_decay"),
                             "Adagrad": ("lr", "lr_decay", "eps", "weight_decay", "initial_accumulator_value"),
                             "Adamax": ("lr", "eps", "weight_decay"),
                             "NAdam": ("lr", "eps", "weight_decay", "momentum_decay"),
                             "RAdam": ("lr", "eps", "weight_decay"), "Adadelta": ("lr", "rho", "eps", "weight_decay"),
                             "ASGD": ("lr", "lambd", "alpha", "t0", "weight_decay"), "Rprop": ("lr",)}.items()
      for setting in settings],
    ("StepLR", "step_size", lambda v: lr_scheduler.StepLR(optim.SGD(_params(), lr=1.0), step_size=v), 0, True),
    ("StepLR", "gamma", lambda v: lr_scheduler.StepLR(optim.SGD(_params(), lr=1.0), 2, gamma=v), -0.5, False),
    ("ExponentialLR", "gamma", lambda v: lr_scheduler.ExponentialLR(optim.SGD(_params(), lr=1.0), v), -0.5, False),
    ("ExponentialLR", "last_epoch",
     lambda v: lr_scheduler.ExponentialLR(optim.SGD(_params(), lr=1.0), 0.5, last_epoch=v), -2, True),
    ("CosineAnnealingLR", "T_max", lambda v: lr_scheduler.CosineAnnealingLR(optim.SGD(_params(), lr=1.0), v), 0, True),
    ("CosineAnnealingLR", "eta_min",
     lambda v: lr_scheduler.CosineAnnealingLR(optim.SGD(_params(), lr=1.0), 4, eta_min=v), -1.0, False),
    ("Linear", "in_features", lambda v: nn.Linear(v, 3), -1, True),
    ("Linear", "out_features", lambda v: nn.Linear(3, v), -1, True),
    ("Maxout", "pieces", lambda v: nn.Maxout(3, 2, v), 0, True),
    ("MLP", "sizes[1]", lambda v: nn.MLP([2, v, 2]), -1, True),
    ("MLP", "dropout", lambda v: nn.MLP([2, 3, 2], dropout=v), 1.0, False),
    ("Dropout", "p", lambda v: nn.Dropout(v), 1.5, False),
    ("dropout", "p", lambda v: F.dropout(ag.ones(3), p=v), -0.1, False),
    ("HuberLoss", "delta", lambda v: nn.HuberLoss(delta=v), 0.0, False),
    ("huber_loss", "delta", lambda v: F.huber_loss(ag.ones(2), np.zeros(2), delta=v), -1.0, False),
    ("CrossEntropyLoss", "label_smoothing", lambda v: nn.CrossEntropyLoss(label_smoothing=v), 1.5, False),
    ("DataLoader", "batch_size", lambda v: DataLoader(TensorDataset(np.arange(4)), batch_size=v), 0, True),
    ("train_val_test_split", "val", lambda v: train_val_test_split(np.arange(10), val=v), 1.0, False),
    ("train_val_test_split", "test", lambda v: train_val_test_split(np.arange(10), test=v), -1, False),
    ("fit", "epochs", lambda v: _fit(epochs=v), -1, True),
    ("fit", "batch_size", lambda v: _fit(batch_size=v), 0, True),
    ("fit", "patience", lambda v: _fit(patience=v), 0, True),
    ("make_moons", "n_samples", lambda v: make_moons(v), 1, True),
    ("make_moons", "noise", lambda v: make_moons(10, noise=v), -0.1, False),
    ("nn.init.uniform_", "b", lambda v: nn.init.uniform_(nn.Parameter(np.zeros(3)), 0.0, v), -1.0, False),
    ("nn.init.normal_", "std", lambda v: nn.init.normal_(nn.Parameter(np.zeros(3)), 0.0, v), -1.0, False),
    ("nn.init.xavier_uniform_", "gain", lambda v: nn.init.xavier_uniform_(nn.Parameter(np.zeros((2, 2))), v), -1.0,
     False),
    ("clip_grad_norm_", "max_norm", lambda v: nn.utils.clip_grad_norm_(_with_grad(), v), -1.0, False),
    ("clip_grad_norm_", "norm_type", lambda v: nn.utils.clip_grad_norm_(_with_grad(), 1.0, norm_type=v), None, False),
    ("clip_grad_value_", "clip_value", lambda v: nn.utils.clip_grad_value_(_with_grad(), v), -1.0, False),
]
OPTIONAL = {("fit", "patience"), ("DataLoader", "batch_size")}  # (None is valid there: no early stopping; no
# batching, PyTorch's switch)


CASES = [(owner, setting, call, out_of_range, integer, value)
         for owner, setting, call, out_of_range, integer in SETTINGS
         for value in ("1", None, True, math.nan, "out of range")
         if not (value == "out of range" and out_of_range is None)  # (every number is valid there)
         and not (value is None and (owner, setting) in OPTIONAL)]


@pytest.mark.parametrize("owner, setting, call, out_of_range, integer, value", CASES,
                         ids=[f"{owner}-{setting}-{value}" for owner, setting, *_, value in CASES])
def test_a_numeric_setting_that_is_no_number_raises_type_error_and_one_out_of_range_value_error(
        owner, setting, call, out_of_range, integer, value):
    if value == "out of range":
        value, error = out_of_range, ValueError
    else:  # text, None and a bool are no number; nan is a number for a float setting, out of range, and no int
        error = ValueError if isinstance(value, float) and not integer else TypeError
    with pytest.raises(error, match=rf"^{re.escape(owner)}:.*(?<!\w){re.escape(setting)}(?!\w)"):
        call(value)


# ---- found by review: huge ints and 0-d integer arrays --------------------------------------------------------
HUGE = 10 ** 400  # a Python int past float's range (float(HUGE) raises OverflowError)


def _params():
    return [ag.tensor([1.0], requires_grad=True)]


@pytest.mark.parametrize("owner, call", [
    ("DataLoader", lambda v: DataLoader(TensorDataset(np.arange(4)), batch_size=v)),
    ("StepLR", lambda v: lr_scheduler.StepLR(optim.SGD(_params(), lr=1.0), step_size=v)),
    ("CosineAnnealingLR", lambda v: lr_scheduler.CosineAnnealingLR(optim.SGD(_params(), lr=1.0), T_max=v)),
    ("SGD", lambda v: optim.SGD(_params(), lr=v)),
    ("dropout", lambda v: F.dropout(ag.ones(3), p=-v)),
    ("train_val_test_split", lambda v: train_val_test_split(np.arange(10), val=v)),
    ("clip_grad_value_", lambda v: nn.utils.clip_grad_value_(_params(), v)),
], ids=lambda v: v if isinstance(v, str) else "")
def test_a_huge_negative_int_setting_is_out_of_range_value_error(owner, call):
    with pytest.raises(ValueError, match=rf"^{owner}:"):
        call(-HUGE)


def test_a_huge_step_size_is_taken_as_torch_takes_it():
    torch = pytest.importorskip("torch")
    scheduler = lr_scheduler.StepLR(optim.SGD(_params(), lr=1.0), step_size=HUGE)
    reference = torch.optim.lr_scheduler.StepLR(
        torch.optim.SGD([torch.nn.Parameter(torch.ones(1))], lr=1.0), step_size=HUGE)
    ours, theirs = [], []
    for _ in range(4):
        ours.append(scheduler.get_last_lr()[0])
        theirs.append(reference.get_last_lr()[0])
        scheduler.optimizer.step(), scheduler.step()
        reference.optimizer.step(), reference.step()
    assert ours == theirs == [1.0] * 4


def test_a_huge_batch_size_is_one_batch_of_every_sample():
    loader = DataLoader(TensorDataset(np.arange(4)), batch_size=HUGE)
    (batch,) = list(loader)
    np.testing.assert_array_equal(batch[0] if isinstance(batch, (list, tuple)) else batch, np.arange(4))


def _rates(scheduler, steps=7):
    rates = []
    for _ in range(steps):
        rates.append(float(scheduler.get_last_lr()[0]))
        scheduler.optimizer.step()
        scheduler.step()
    return rates


@pytest.mark.parametrize("name, setting", [("StepLR", "step_size"), ("CosineAnnealingLR", "T_max")])
def test_an_int_setting_given_as_a_0d_integer_array_gives_torchs_rates(name, setting):
    torch = pytest.importorskip("torch")
    ours = getattr(lr_scheduler, name)(optim.SGD([ag.tensor([1.0], requires_grad=True)], lr=1.0),
                                       **{setting: np.array(3)})
    theirs = getattr(torch.optim.lr_scheduler, name)(
        torch.optim.SGD([torch.nn.Parameter(torch.ones(1))], lr=1.0), **{setting: np.array(3)})
    np.testing.assert_allclose(_rates(ours), _rates(theirs), rtol=1e-12)


# ---- a list holding Tensors that require grad ------------------------------------------------------------------
# Given to the convolution, pooling, padding, normalisation, dropout and recurrent layers and functions (an input, or
# a GRU's h_0 given as a list of per-layer states), it is refused as the engine's operations refuse it: made into an
# array, its Tensors would silently get no gradient.
HELD = "got a list holding Tensors that require grad; its value would be cut from the graph"


def leaf(*shape):
    return ag.tensor(np.ones(shape), requires_grad=True)


@pytest.mark.parametrize("where, call", [
    ("Conv1d", lambda a: nn.Conv1d(1, 1, 1)([[a]])),
    ("conv1d", lambda a: F.conv1d([[a]], np.ones((1, 1, 1)))),
    ("BatchNorm1d", lambda a: nn.BatchNorm1d(3)([a, a])),
    ("InstanceNorm1d", lambda a: nn.InstanceNorm1d(2)([a, a])),
    ("instance_norm", lambda a: F.instance_norm([[a, a]])),
    ("GroupNorm", lambda a: nn.GroupNorm(1, 2)([[a], [a]])),
    ("max_pool1d", lambda a: nn.MaxPool1d(1)([[a]])),
    ("adaptive_avg_pool1d", lambda a: nn.AdaptiveAvgPool1d(1)([[a]])),
    ("pad", lambda a: nn.ZeroPad1d(1)([[a]])),
    ("Dropout2d", lambda a: nn.Dropout2d(0.5)([[[a]]])),
    ("GRU", lambda a: nn.GRU(3, 3)([[a]])),
])
def test_a_list_holding_a_tensor_that_requires_grad_is_refused(where, call):
    with pytest.raises(TypeError, match=rf"^{where}: {HELD}"):
        call(leaf(3))


@pytest.mark.parametrize("make, hx, name", [
    (lambda: nn.GRU(3, 3, num_layers=2), lambda h: [h, h], "GRU: h_0"),
    (lambda: nn.RNN(3, 3, num_layers=2), lambda h: (h, h), "RNN: h_0"),
    (lambda: nn.LSTM(3, 3, num_layers=2), lambda h: ([h, h], [h, h]), "LSTM: h_0"),
])
def test_a_recurrent_state_given_as_a_list_of_tensors_that_require_grad_is_refused(make, hx, name):
    h = leaf(4, 3)  # each (N, H): stacked, they would pass for the (num_layers, N, H) state, h getting no gradient
    with pytest.raises(TypeError, match=rf"^{name}: got a (list|tuple) holding Tensors that require grad"):
        make()(np.ones((5, 4, 3)), hx(h))


def test_lists_of_numbers_and_of_constant_tensors_are_still_taken():
    assert nn.Conv1d(1, 1, 1)([[[1.0, 2.0]]]).shape == (1, 1, 2)
    assert nn.InstanceNorm1d(2)([ag.tensor(np.ones(3)), ag.tensor(np.arange(3.0))]).shape == (2, 3)
    assert F.pad([[1.0, 2.0]], (1, 1)).shape == (1, 4)
    out, h_n = nn.GRU(3, 3, num_layers=2)(np.ones((5, 4, 3)), [np.zeros((4, 3)), np.zeros((4, 3))])
    assert h_n.shape == (2, 4, 3)
    h = leaf(2, 4, 3)  # a stacked state that requires grad gets its gradient
    nn.GRU(3, 3, num_layers=2)(np.ones((5, 4, 3)), h)[0].sum().backward()
    assert h.grad is not None and np.abs(h.grad).sum() > 0


# The same where a loss takes a target or a variance, and where Bilinear, Linear and Maxout take an input (made into a
# plain array, the loss did not even require grad).
X = np.full((2, 3), 0.3)


def _rows():
    t = ag.tensor(np.full((2, 3), 0.5), requires_grad=True)
    return [t[0], t[1]]


LOSSES = {
    "mse_loss": lambda L: F.mse_loss(ag.tensor(X), L),
    "l1_loss": lambda L: F.l1_loss(ag.tensor(X), L),
    "huber_loss": lambda L: F.huber_loss(ag.tensor(X), L),
    "smooth_l1_loss": lambda L: F.smooth_l1_loss(ag.tensor(X), L),
    "binary_cross_entropy": lambda L: F.binary_cross_entropy(ag.tensor(X), L),
    "binary_cross_entropy_with_logits": lambda L: F.binary_cross_entropy_with_logits(ag.tensor(X), L),
    "kl_div": lambda L: F.kl_div(ag.tensor(X), L, reduction="sum"),
    "poisson_nll_loss": lambda L: F.poisson_nll_loss(ag.tensor(X), L),
    "gaussian_nll_loss": lambda L: F.gaussian_nll_loss(ag.tensor(X), L, ag.tensor(np.ones((2, 3)))),
    "soft_margin_loss": lambda L: F.soft_margin_loss(ag.tensor(X), L),
    "multilabel_soft_margin_loss": lambda L: F.multilabel_soft_margin_loss(ag.tensor(X), L),
}


@pytest.mark.parametrize("name", LOSSES)
def test_a_target_list_holding_tensors_that_require_grad_is_refused(name):
    with pytest.raises(TypeError, match=rf"{name}: got a list holding Tensors that require grad"):
        LOSSES[name](_rows())


def test_a_variance_list_holding_tensors_that_require_grad_is_refused():
    with pytest.raises(TypeError, match="gaussian_nll_loss: got a list holding Tensors that require grad"):
        F.gaussian_nll_loss(ag.tensor(X), np.zeros((2, 3)), _rows())


@pytest.mark.parametrize("name", LOSSES)
def test_a_target_that_requires_grad_given_stacked_is_differentiated(name):
    rows = _rows()
    loss = LOSSES[name](ag.stack(rows))
    assert loss.requires_grad


def test_targets_given_as_plain_lists_of_numbers_still_work():
    assert float(F.mse_loss(ag.tensor([1.0, 2.0]), [1.0, 0.0])) == 2.0


def test_bilinear_refuses_a_list_holding_tensors_that_require_grad():
    layer = nn.Bilinear(3, 3, 2, dtype=np.float64, rng=0)
    t = ag.tensor(X, requires_grad=True)
    with pytest.raises(TypeError, match="Bilinear: got a list holding Tensors that require grad"):
        layer([t[0], t[1]], t)
    with pytest.raises(TypeError, match="Bilinear: got a list holding Tensors that require grad"):
        layer(t, [t[0], t[1]])
    assert layer(t, X).requires_grad  # an array stays a constant, as before


@pytest.mark.parametrize("make", [lambda: nn.Linear(3, 2, dtype=np.float64, rng=0),
                                  lambda: nn.Maxout(3, 2, 2, dtype=np.float64, rng=0)],
                         ids=["Linear", "Maxout"])
def test_linear_layers_refuse_a_list_holding_tensors_that_require_grad(make):
    layer = make()
    with pytest.raises(TypeError, match=f"{type(layer).__name__}: got a list holding Tensors that require grad"):
        layer(_rows())
    assert layer(ag.stack(_rows())).requires_grad  # (stacked, the rows stay in the graph)
