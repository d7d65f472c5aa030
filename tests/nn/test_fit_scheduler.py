"""nn.fit with a learning-rate scheduler: stepped per epoch (after validation) or per batch (after each
optimizer step), ReduceLROnPlateau fed the epoch's loss, the rates recorded in History["lr"]."""
import numpy as np
import pytest

import nn
from conftest import WatchedPlateau, moons, moons_loader
from nn.optim.lr_scheduler import OneCycleLR, ReduceLROnPlateau, StepLR
from nn.training import _summary


def weights(model):
    return {key: value.copy() for key, value in model.state_dict().items()}


def test_an_epoch_scheduler_steps_once_after_each_epoch():
    model = nn.MLP([2, 8, 2], rng=0)
    optimizer = nn.optim.SGD(model.parameters(), lr=0.1)
    scheduler = StepLR(optimizer, step_size=2, gamma=0.5)
    history = nn.fit(model, nn.CrossEntropyLoss(), optimizer, moons_loader(), epochs=5, progress=False,
                     scheduler=scheduler)
    assert history["lr"] == [0.1, 0.1, 0.05, 0.05, 0.025] and scheduler.last_epoch == 5

    by_hand = nn.MLP([2, 8, 2], rng=0)  # the same training, one fit epoch at a time, stepping by hand
    optimizer = nn.optim.SGD(by_hand.parameters(), lr=0.1)
    scheduler, batches = StepLR(optimizer, step_size=2, gamma=0.5), moons_loader()
    for _ in range(5):
        nn.fit(by_hand, nn.CrossEntropyLoss(), optimizer, batches, epochs=1, progress=False)
        scheduler.step()
    for key, value in weights(model).items():
        np.testing.assert_array_equal(value, by_hand.state_dict()[key], err_msg=key)


def test_a_batch_scheduler_steps_after_each_optimizer_step():
    model = nn.MLP([2, 8, 2], rng=1)
    optimizer = nn.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    batches = moons_loader()
    scheduler = OneCycleLR(optimizer, max_lr=0.5, total_steps=3 * len(batches))  # refuses a step beyond them
    history = nn.fit(model, nn.CrossEntropyLoss(), optimizer, batches, epochs=3, progress=False,
                     scheduler=scheduler, scheduler_interval="batch")
    assert scheduler.last_epoch == 3 * len(batches)
    assert len(history["lr"]) == 3 and history["lr"][0] == pytest.approx(0.5 / 25)  # OneCycle's start: max_lr / 25

    by_hand = nn.MLP([2, 8, 2], rng=1)
    optimizer = nn.optim.SGD(by_hand.parameters(), lr=0.1, momentum=0.9)
    scheduler, loss_fn = OneCycleLR(optimizer, max_lr=0.5, total_steps=3 * len(batches)), nn.CrossEntropyLoss()
    batches = moons_loader()  # the same shuffles again
    for _ in range(3):
        for xb, yb in batches:
            loss = loss_fn(by_hand(xb), yb)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            scheduler.step()
    for key, value in weights(model).items():
        np.testing.assert_array_equal(value, by_hand.state_dict()[key], err_msg=key)


@pytest.mark.parametrize("with_val", [True, False])
def test_plateau_watches_the_validation_loss_or_else_the_training_loss(with_val):
    model = nn.MLP([2, 8, 2], rng=2)
    optimizer = nn.optim.SGD(model.parameters(), lr=0.1)
    scheduler = WatchedPlateau(optimizer, factor=0.5, patience=0, threshold=0.5)  # needs halving losses: lowers soon
    history = nn.fit(model, nn.CrossEntropyLoss(), optimizer, moons(), val=moons(48, seed=1) if with_val else None,
                     epochs=4, progress=False, rng=0, scheduler=scheduler)
    assert scheduler.seen == history["val_loss" if with_val else "train_loss"]
    assert history["lr"][0] == 0.1 and history["lr"][-1] < 0.1


def test_history_has_no_lr_without_a_scheduler_and_plots_and_shows_it_with_one():
    model = nn.MLP([2, 4, 2], rng=0)
    plain = nn.fit(model, nn.CrossEntropyLoss(), nn.optim.SGD(model.parameters(), lr=0.1), moons(), epochs=1,
                   progress=False, rng=0)
    assert "lr" not in plain
    optimizer = nn.optim.SGD(model.parameters(), lr=0.1)
    history = nn.fit(model, nn.CrossEntropyLoss(), optimizer, moons(), val=moons(48, seed=1), epochs=2,
                     progress=False, rng=0, scheduler=StepLR(optimizer, 1, gamma=0.1))
    assert [ax.get_title() for ax in history.plot().axes] == ["loss", "accuracy", "learning rate"]
    assert _summary(history).endswith("| lr 0.01") and _summary(history).startswith("loss ")
    none = nn.fit(model, nn.CrossEntropyLoss(), optimizer, moons(), val=moons(48, seed=1), epochs=0, progress=False,
                  scheduler=StepLR(optimizer, 1))  # no epoch: the keys that apply, empty (history["lr"] was a KeyError)
    assert none == {"train_loss": [], "val_loss": [], "lr": []}


def test_bad_schedulers_are_refused_with_what_would_do():
    model = nn.MLP([2, 4, 2], rng=0)
    optimizer = nn.optim.SGD(model.parameters(), lr=0.1)
    other = nn.optim.SGD(nn.MLP([2, 4, 2], rng=1).parameters(), lr=0.1)

    def fit(**settings):
        return nn.fit(model, nn.CrossEntropyLoss(), optimizer, moons(), epochs=1, progress=False, **settings)
    with pytest.raises(ValueError, match="scheduler_interval must be 'epoch' or 'batch', got 'step'"):
        fit(scheduler=StepLR(optimizer, 1), scheduler_interval="step")
    with pytest.raises(ValueError, match="made for another optimizer"):
        fit(scheduler=StepLR(other, 1))
    with pytest.raises(TypeError, match=r"the class StepLR; pass an instance made from the optimizer"):
        fit(scheduler=StepLR)
    with pytest.raises(TypeError, match="must have step"):
        fit(scheduler=0.5)
    with pytest.raises(ValueError, match="ReduceLROnPlateau watches a loss once per epoch"):
        fit(scheduler=ReduceLROnPlateau(optimizer), scheduler_interval="batch")
    assert optimizer.param_groups[0]["lr"] == 0.1  # nothing was trained or stepped
