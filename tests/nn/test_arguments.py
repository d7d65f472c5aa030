"""The settings nn checks with nn._arguments: README's rule for a number where one belongs."""
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
    ("Linear", "in_features", lambda v: nn.Linear(v, 3), 0, True),
    ("Linear", "out_features", lambda v: nn.Linear(3, v), -1, True),
    ("Maxout", "pieces", lambda v: nn.Maxout(3, 2, v), 0, True),
    ("MLP", "sizes[1]", lambda v: nn.MLP([2, v, 2]), 0, True),
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
