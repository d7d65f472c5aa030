"""nn.optim.lr_scheduler: the rates each scheduler sets equal PyTorch's closed-form formulas, also when a scheduler is
stepped to an epoch (step(epoch)) or resumed from a state dict PyTorch saved."""
import math
import types
import warnings
from collections import Counter

import numpy as np
import pytest

import autograd_core as ag
import nn
from nn.optim import SGD, Adam, lr_scheduler
from nn.optim.lr_scheduler import CosineAnnealingLR, ExponentialLR, StepLR
from nn.serialization import load, save

# These tests follow the schedules themselves, mostly without optimizer steps: PyTorch's warning about that
# order (asserted on its own in test_lr_scheduler.py) would only be noise here.
pytestmark = pytest.mark.filterwarnings(r"ignore:Detected call of `lr_scheduler.step\(\)` before")

EPOCHS = 25


def optimizer(lrs=(0.1,)):
    return SGD([{"params": [ag.tensor([1.0], requires_grad=True)], "lr": lr} for lr in lrs], lr=lrs[0])


def rates(scheduler, epochs=EPOCHS):
    """The rate in force during each epoch: read it, then step once per epoch (PyTorch's order)."""
    seen = []
    for _ in range(epochs):
        seen.append([group["lr"] for group in scheduler.optimizer.param_groups])
        assert scheduler.get_last_lr() == seen[-1]
        scheduler.optimizer.step()
        scheduler.step()
    return np.array(seen)


CLOSED_FORMS = [
    (lambda opt: StepLR(opt, step_size=3, gamma=0.5), lambda base, e: base * 0.5 ** (e // 3)),
    (lambda opt: StepLR(opt, step_size=1), lambda base, e: base * 0.1 ** e),
    (lambda opt: ExponentialLR(opt, gamma=0.9), lambda base, e: base * 0.9 ** e),
    (lambda opt: CosineAnnealingLR(opt, T_max=10),
     lambda base, e: (1 + math.cos(math.pi * e / 10)) / 2 * base),
    (lambda opt: CosineAnnealingLR(opt, T_max=7, eta_min=0.001),  # 25 epochs: past T_max, back up, down again
     lambda base, e: 0.001 + (base - 0.001) * (1 + math.cos(math.pi * e / 7)) / 2),
]


@pytest.mark.parametrize("make,closed_form", CLOSED_FORMS, ids=["step3", "step1", "exp", "cos", "cos-periodic"])
def test_rates_follow_the_closed_form_for_every_group(make, closed_form):
    bases = (0.1, 0.03)
    got = rates(make(optimizer(bases)))
    expected = np.array([[closed_form(base, e) for base in bases] for e in range(EPOCHS)])
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-15)


def test_step_and_exponential_are_exact_at_small_epoch_counts():
    assert rates(StepLR(optimizer([1.0]), step_size=2, gamma=0.5), 6)[:, 0].tolist() == [1, 1, .5, .5, .25, .25]
    assert rates(ExponentialLR(optimizer([1.0]), gamma=0.5), 4)[:, 0].tolist() == [1, .5, .25, .125]


def test_the_optimizer_uses_the_scheduled_rate():
    w = ag.tensor([0.0], requires_grad=True)
    opt = SGD([w], lr=1.0)
    sched = StepLR(opt, step_size=1, gamma=0.5)
    for _ in range(3):
        w.grad = ag.tensor([-1.0])
        opt.step()
        sched.step()
    assert w.data.tolist() == [1.0 + 0.5 + 0.25]


def test_initial_lr_is_recorded_and_resuming_needs_it():
    opt = optimizer([0.2])
    ExponentialLR(opt, gamma=0.5)
    assert opt.param_groups[0]["initial_lr"] == 0.2
    with pytest.raises(KeyError, match="initial_lr"):
        ExponentialLR(optimizer([0.2]), gamma=0.5, last_epoch=3)


def test_state_dict_round_trip_continues_the_schedule(tmp_path):
    opt = Adam([ag.tensor([1.0], requires_grad=True)], lr=0.1)
    sched = CosineAnnealingLR(opt, T_max=8, eta_min=0.01)
    for _ in range(3):
        sched.step()
    save({"sched": sched.state_dict(), "opt": opt.state_dict()}, tmp_path / "s.npz")
    state = load(tmp_path / "s.npz")
    opt2 = Adam([ag.tensor([1.0], requires_grad=True)], lr=0.1)
    opt2.load_state_dict(state["opt"])
    sched2 = CosineAnnealingLR(opt2, T_max=8, eta_min=0.01)
    sched2.load_state_dict(state["sched"])
    assert sched2.last_epoch == 3 and sched2.get_last_lr() == sched.get_last_lr()
    np.testing.assert_array_equal(rates(sched2, 10), rates(sched, 10))


def resumed(make, lr, last_epoch, base=0.1, steps=4):
    """get_last_lr() after a scheduler is made at last_epoch over a group at `lr` (initial_lr `base`), then
    after each of `steps` steps."""
    opt = optimizer([lr])
    opt.param_groups[0]["initial_lr"] = base
    sched = make(opt, last_epoch)
    seen = [sched.get_last_lr()[0]]
    for _ in range(steps):
        sched.step()
        seen.append(sched.get_last_lr()[0])
    return seen, sched.last_epoch


def test_resuming_keeps_the_groups_rate_then_continues_as_pytorch():
    # The constructor's step moves to epoch last_epoch + 1 keeping the current rate (PyTorch's _initial_step);
    # the steps after it are the usual chainable updates from that rate.
    exp, epoch = resumed(lambda o, e: ExponentialLR(o, gamma=0.9, last_epoch=e), 0.1 * 0.9 ** 7, 7)
    np.testing.assert_allclose(exp, [0.1 * 0.9 ** e for e in range(7, 12)], rtol=1e-12)
    assert epoch == 8 + 4

    def closed(e):
        return 0.01 + (0.1 - 0.01) * (1 + math.cos(math.pi * e / 10)) / 2

    cos, _ = resumed(lambda o, e: CosineAnnealingLR(o, T_max=10, eta_min=0.01, last_epoch=e), closed(7), 7)
    # epoch 9 scales the rate kept for epoch 8 (closed(7)) by the ratio for 9 over 8, then the bottom, then back up
    second = 0.01 + (closed(7) - 0.01) * (1 + math.cos(math.pi * 9 / 10)) / (1 + math.cos(math.pi * 8 / 10))
    np.testing.assert_allclose(cos, [closed(7), second, 0.01, closed(11), closed(12)], rtol=1e-12)

    step, _ = resumed(lambda o, e: StepLR(o, step_size=3, gamma=0.5, last_epoch=e), 0.025, 7)
    assert step == [0.025, 0.0125, 0.0125, 0.0125, 0.00625]  # epoch 8 keeps, 9 and 12 decay


RESUMABLE = [("StepLR", dict(step_size=3, gamma=0.5)), ("ExponentialLR", dict(gamma=0.9)),
             ("CosineAnnealingLR", dict(T_max=10, eta_min=0.01)), ("CosineAnnealingLR", dict(T_max=3))]


@pytest.mark.parametrize("last_epoch", [0, 2, 7, 10])
@pytest.mark.parametrize("name,kwargs", RESUMABLE, ids=[f"{n}-{kw}" for n, kw in RESUMABLE])
def test_resumed_rates_equal_torch_schedulers_exactly(name, kwargs, last_epoch):
    torch = pytest.importorskip("torch")
    import nn.optim.lr_scheduler as ours

    topt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.037)  # any rate: it is kept
    topt.param_groups[0]["initial_lr"] = 0.1
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch warns that optimizer.step() was not called
        tsched = getattr(torch.optim.lr_scheduler, name)(topt, last_epoch=last_epoch, **kwargs)
        expected = [tsched.get_last_lr()[0]]
        for _ in range(12):
            tsched.step()
            expected.append(tsched.get_last_lr()[0])
    got, epoch = resumed(lambda o, e: getattr(ours, name)(o, last_epoch=e, **kwargs), 0.037, last_epoch, steps=12)
    assert got == expected and epoch == tsched.last_epoch


@pytest.mark.parametrize("make, kind", [
    (lambda o: StepLR(o, step_size=0), ValueError), (lambda o: CosineAnnealingLR(o, T_max=0), ValueError),
    (lambda o: StepLR(o, step_size=1.5), TypeError), (lambda o: StepLR(o, step_size=True), TypeError),
    (lambda o: CosineAnnealingLR(o, T_max=5.0), TypeError),
    (lambda o: CosineAnnealingLR(o, T_max=np.int64(-2)), ValueError)])
def test_invalid_periods_are_refused(make, kind):
    # an int out of range: ValueError; no int: TypeError, as range(1.5) raises
    with pytest.raises(kind, match="positive int"):
        make(optimizer())


def test_step_lr_takes_a_whole_float_step_size_as_pytorch_does():
    # PyTorch's text-classification tutorial writes StepLR(optimizer, 1.0, gamma=0.1); torch computes with 1.0
    step = StepLR(optimizer([1.0]), 1.0, gamma=0.1)
    numpy_step = StepLR(optimizer([1.0]), np.float64(2.0), gamma=0.5)
    assert type(step.step_size) is int and type(numpy_step.step_size) is int
    np.testing.assert_allclose(rates(step, 4)[:, 0], [1.0, 0.1, 0.01, 0.001], rtol=1e-15)
    np.testing.assert_array_equal(rates(numpy_step, 5)[:, 0], [1.0, 1.0, 0.5, 0.5, 0.25])
    with pytest.raises(TypeError, match="StepLR: step_size must be a positive int, got 1.5"):
        StepLR(optimizer(), 1.5)
    torch = pytest.importorskip("torch")
    topt = torch.optim.SGD([torch.nn.Parameter(torch.ones(1))], lr=1.0)
    tsched = torch.optim.lr_scheduler.StepLR(topt, 1.0, gamma=0.1)
    expected = []
    for _ in range(4):
        expected.append(tsched.get_last_lr()[0])
        topt.step()
        tsched.step()
    np.testing.assert_array_equal(rates(StepLR(optimizer([1.0]), 1.0, gamma=0.1), 4)[:, 0], expected)


def test_numpy_integers_are_accepted_as_ints():
    step = StepLR(optimizer(), step_size=np.int64(3), gamma=0.5)
    cos = CosineAnnealingLR(optimizer(), T_max=np.int32(10))
    assert type(step.step_size) is int and type(cos.T_max) is int  # the state dict keeps plain numbers
    np.testing.assert_array_equal(rates(step), rates(StepLR(optimizer(), step_size=3, gamma=0.5)))
    np.testing.assert_array_equal(rates(cos), rates(CosineAnnealingLR(optimizer(), T_max=10)))
    assert resumed(lambda o, e: StepLR(o, step_size=3, gamma=0.5, last_epoch=e), 0.025, np.int64(7)) == (
        [0.025, 0.0125, 0.0125, 0.0125, 0.00625], 12)


@pytest.mark.parametrize("make, kind, message", [
    (lambda o: StepLR(o, 1, gamma=-1.0), ValueError, "StepLR: gamma must be a finite number >= 0, got -1.0"),
    (lambda o: ExponentialLR(o, gamma=float("nan")), ValueError,
     "ExponentialLR: gamma must be a finite number >= 0, got nan"),
    (lambda o: ExponentialLR(o, gamma="x"), TypeError, "ExponentialLR: gamma must be a finite number >= 0, got 'x'"),
    (lambda o: CosineAnnealingLR(o, 2, eta_min=-1.0), ValueError,
     "CosineAnnealingLR: eta_min must be a finite number >= 0"),
])
def test_settings_that_would_make_the_rate_negative_or_nan_are_refused(make, kind, message):
    with pytest.raises(kind, match=rf"^{message}"):
        make(optimizer())


def test_load_state_dict_checks_what_it_loads_and_keeps_the_old_state_on_a_refusal():
    sched = StepLR(optimizer(), step_size=2)
    before = sched.state_dict()
    with pytest.raises(ValueError, match=r"StepLR: step_size must be a positive int, got -3"):
        sched.load_state_dict({**before, "step_size": -3})
    with pytest.raises(KeyError, match=r"StepLR.load_state_dict: unexpected keys \['foo'\]"):
        sched.load_state_dict({"foo": 1})
    with pytest.raises(TypeError, match=r"StepLR.load_state_dict: expected a dict from state_dict\(\), got NoneType"):
        sched.load_state_dict(None)
    assert sched.state_dict() == before


@pytest.mark.parametrize("make, bad, kind", [
    (lambda opt: ExponentialLR(opt, gamma=0.5), {"gamma": "abc"}, TypeError),  # no number
    (lambda opt: StepLR(opt, step_size=1, gamma=0.5), {"step_size": "x"}, TypeError),
    (lambda opt: CosineAnnealingLR(opt, T_max=4), {"T_max": 2.5}, TypeError),
    (lambda opt: CosineAnnealingLR(opt, T_max=4), {"T_max": 0}, ValueError),
], ids=["gamma text", "step_size text", "T_max float", "T_max 0"])
def test_a_refused_load_state_dict_leaves_the_scheduler_as_it_was_whatever_the_error(make, bad, kind):
    opt = optimizer((1.0,))
    scheduler = make(opt)
    before = scheduler.state_dict()
    with pytest.raises(kind):  # refused, as the constructor refuses the same value
        scheduler.load_state_dict(bad)
    assert scheduler.state_dict() == before
    fresh_opt = optimizer((1.0,))
    fresh = make(fresh_opt)
    scheduler.step(), fresh.step()
    assert opt.param_groups[0]["lr"] == fresh_opt.param_groups[0]["lr"] < 1.0


@pytest.mark.parametrize("last_epoch, kind", [(-2, ValueError), (2.0, TypeError), (True, TypeError)])
def test_invalid_last_epoch_is_refused(last_epoch, kind):
    opt = optimizer()
    opt.param_groups[0]["initial_lr"] = 0.1
    with pytest.raises(kind, match=rf"ExponentialLR: last_epoch must be an int >= -1, got {last_epoch!r}"):
        ExponentialLR(opt, gamma=0.5, last_epoch=last_epoch)


def test_a_non_optimizer_is_refused():
    with pytest.raises(TypeError, match="param_groups"):
        StepLR(object(), step_size=1)


@pytest.mark.parametrize("name,kwargs", [("StepLR", dict(step_size=3, gamma=0.5)), ("ExponentialLR", dict(gamma=0.9)),
                                         ("CosineAnnealingLR", dict(T_max=7, eta_min=0.001))])
def test_rates_equal_torch_schedulers_exactly(name, kwargs):
    torch = pytest.importorskip("torch")
    import nn.optim.lr_scheduler as ours

    topt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)
    tsched = getattr(torch.optim.lr_scheduler, name)(topt, **kwargs)
    expected = []
    for _ in range(EPOCHS):
        expected.append([topt.param_groups[0]["lr"]])
        topt.step()
        tsched.step()
    np.testing.assert_array_equal(rates(getattr(ours, name)(optimizer([0.1]), **kwargs)), np.array(expected))


def test_a_second_scheduler_keeps_the_recorded_initial_lr_as_pytorch():
    p = ag.tensor([1.0], requires_grad=True)
    opt = SGD([p], lr=1.0)
    first = StepLR(opt, step_size=1, gamma=0.5)
    first.step()  # lr 0.5
    second = ExponentialLR(opt, gamma=0.9)
    assert opt.param_groups[0]["initial_lr"] == 1.0 and second.base_lrs == [1.0]


SCHEDULERS = [("StepLR", dict(step_size=2, gamma=0.5)), ("ExponentialLR", dict(gamma=0.9)),
              ("CosineAnnealingLR", dict(T_max=3, eta_min=0.01))]


@pytest.mark.parametrize("name,kwargs", SCHEDULERS, ids=[name for name, _ in SCHEDULERS])
def test_scheduler_state_dict_counts_steps_as_torch_does(name, kwargs):
    """Every entry our state dict shares with torch's (the step count included) has torch's value."""
    torch = pytest.importorskip("torch")
    sched = getattr(nn.optim.lr_scheduler, name)(SGD([ag.tensor([1.0], requires_grad=True)], lr=0.1), **kwargs)
    topt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)
    tsched = getattr(torch.optim.lr_scheduler, name)(topt, **kwargs)
    for _ in range(4):
        sched.step()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # torch warns that optimizer.step() was not called
            tsched.step()
    ours, theirs = sched.state_dict(), tsched.state_dict()
    shared = set(ours) & set(theirs)
    assert {"_step_count", "last_epoch", "base_lrs", "_last_lr"} <= shared
    for key in shared:
        assert ours[key] == pytest.approx(theirs[key], rel=1e-12), key


def _chained_run(optimizer, cosine, exponential):
    """Four epochs of CosineAnnealingLR(T_max=2, eta_min=0.5) chained with ExponentialLR(0.5), PyTorch's chainable
    form: the rate ends a rounding error below zero, in both libraries."""
    schedulers = [cosine(optimizer, T_max=2, eta_min=0.5), exponential(optimizer, gamma=0.5)]
    for _ in range(4):
        optimizer.step()
        for scheduler in schedulers:
            scheduler.step()
    return optimizer


def test_an_optimizer_restores_the_rate_chained_schedulers_left_below_zero():
    w = ag.tensor([1.0], requires_grad=True)
    (w * w).sum().backward()
    state = _chained_run(SGD([w], lr=1.0, momentum=0.9), CosineAnnealingLR, ExponentialLR).state_dict()
    assert state["param_groups"][0]["lr"] < 0  # (what this test is about)
    restored = SGD([w], lr=0.1, momentum=0.9)
    restored.load_state_dict(state)  # it was refused: "SGD: invalid lr=-5.55e-17"
    assert restored.param_groups[0]["lr"] == state["param_groups"][0]["lr"]
    with pytest.raises(TypeError, match="lr"):
        restored.load_state_dict({**state, "param_groups": [{**state["param_groups"][0], "lr": "fast"}]})
    torch = pytest.importorskip("torch")
    tw = torch.tensor([1.0], dtype=torch.float64, requires_grad=True)
    (tw * tw).sum().backward()
    schedulers = torch.optim.lr_scheduler
    theirs = _chained_run(torch.optim.SGD([tw], lr=1.0, momentum=0.9), schedulers.CosineAnnealingLR,
                          schedulers.ExponentialLR)
    fresh = torch.optim.SGD([tw], lr=0.1, momentum=0.9)
    fresh.load_state_dict(theirs.state_dict())
    assert fresh.param_groups[0]["lr"] == restored.param_groups[0]["lr"]


# ---- step(epoch) and state dicts saved by PyTorch --------------------------------------------------------------------
def _optimizer():
    """SGD at lr 1.0 with momentum 0.9 over one parameter, as the torch.optim.SGD it is compared with."""
    return SGD([ag.tensor(np.ones(2), requires_grad=True)], lr=1.0, momentum=0.9)


# step(epoch), deprecated in PyTorch but taken there with a warning, is taken too: the scheduler goes to that epoch, its
# rates from the closed form where it has one (StepLR, MultiStepLR, ExponentialLR, ConstantLR, LinearLR, PolynomialLR,
# CosineAnnealingLR), else from get_lr(), as PyTorch's; ReduceLROnPlateau.step(metrics, epoch) records the epoch. An
# epoch that is no int >= 0 is refused.
def test_step_to_an_epoch_uses_the_closed_form_and_warns_as_pytorch():
    sched = lr_scheduler.StepLR(_optimizer(), step_size=2, gamma=0.5)
    with pytest.warns(UserWarning, match=r"The epoch parameter in `scheduler.step\(\)` was not necessary"):
        sched.step(5)
    assert (sched.get_last_lr(), sched.last_epoch) == ([0.25], 5)
    sched.step()  # and on from there, chainable
    assert (sched.get_last_lr(), sched.last_epoch) == ([0.125], 6)


def test_step_to_an_epoch_without_a_closed_form_uses_get_lr():
    sched = lr_scheduler.MultiplicativeLR(_optimizer(), lr_lambda=lambda epoch: 0.5)
    with pytest.warns(UserWarning):
        sched.step(7)
    assert (sched.get_last_lr(), sched.last_epoch) == ([0.5], 7)


def test_plateau_records_the_epoch():
    sched = lr_scheduler.ReduceLROnPlateau(_optimizer())
    with pytest.warns(UserWarning, match="The epoch parameter"):
        sched.step(1.0, 4)
    assert sched.last_epoch == 4
    sched.step(1.0)
    assert sched.last_epoch == 5


@pytest.mark.parametrize("epoch, error", [(-1, ValueError), (2.5, TypeError), ("3", TypeError), (True, TypeError)])
def test_an_epoch_that_is_no_int_is_refused_and_nothing_changes(epoch, error):
    opt = _optimizer()
    sched = lr_scheduler.ExponentialLR(opt, gamma=0.5)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # (refused before PyTorch's warning)
        with pytest.raises(error, match=r"ExponentialLR\.step: .*epoch"):
            sched.step(epoch)
        plateau = lr_scheduler.ReduceLROnPlateau(opt)
        with pytest.raises(error, match=r"ReduceLROnPlateau\.step: .*epoch"):
            plateau.step(1.0, epoch)
    assert (sched.last_epoch, sched.get_last_lr(), plateau.last_epoch) == (0, [1.0], 0)


@pytest.mark.parametrize("make", [
    lambda o, S: S.StepLR(o, step_size=3, gamma=0.5),
    lambda o, S: S.CosineAnnealingLR(o, T_max=7, eta_min=0.01),
    lambda o, S: S.LinearLR(o, start_factor=0.25, total_iters=6),
    lambda o, S: S.MultiplicativeLR(o, lr_lambda=lambda e: 0.9 if e % 2 else 1.1),
    lambda o, S: S.CyclicLR(o, base_lr=0.01, max_lr=0.1, step_size_up=3),
])
def test_steps_to_epochs_match_pytorch(make):
    torch = pytest.importorskip("torch")
    topt = torch.optim.SGD([torch.ones(2, requires_grad=True)], lr=1.0, momentum=0.9)
    tsched, sched = make(topt, torch.optim.lr_scheduler), make(_optimizer(), lr_scheduler)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for epoch in [None, 4, None, None, 2, 11, None, 0, None]:
            tsched.step(epoch)
            sched.step(epoch)
            assert sched.get_last_lr() == pytest.approx(tsched.get_last_lr(), rel=1e-14)
            assert sched.last_epoch == tsched.last_epoch


# A scheduler's state dict saved by PyTorch loads: its flag _get_lr_called_within_step (False between steps) is no state
# to restore, MultiStepLR's milestones are a Counter there (each epoch with its count), and OneCycleLR keeps its phases.
def test_pytorchs_flag_in_a_state_dict_is_ignored():
    saved = lr_scheduler.StepLR(_optimizer(), step_size=2, gamma=0.5).state_dict()
    saved.update(last_epoch=3, _get_lr_called_within_step=False)
    sched = lr_scheduler.StepLR(_optimizer(), step_size=2, gamma=0.5)
    sched.load_state_dict(saved)
    assert sched.last_epoch == 3 and sched._get_lr_called_within_step is False
    assert "_get_lr_called_within_step" not in sched.state_dict()
    with pytest.raises(KeyError, match=r"unexpected keys \['bogus'\]"):  # other keys are still refused
        sched.load_state_dict({**saved, "bogus": 1})


def test_multistep_milestones_given_as_pytorchs_counter():
    opt = _optimizer()
    sched = lr_scheduler.MultiStepLR(opt, milestones=Counter({3: 1, 1: 2}), gamma=0.5)
    assert sched.milestones == [1, 1, 3]
    saved = {**sched.state_dict(), "milestones": Counter({2: 1})}
    sched.load_state_dict(saved)
    assert sched.milestones == [2]


@pytest.mark.parametrize("make", [
    lambda o, S: S.StepLR(o, step_size=2, gamma=0.5),
    lambda o, S: S.MultiStepLR(o, milestones=[2, 5, 5], gamma=0.5),
    lambda o, S: S.CosineAnnealingLR(o, T_max=7, eta_min=0.01),
    lambda o, S: S.LinearLR(o, start_factor=0.25, total_iters=6),
    lambda o, S: S.CyclicLR(o, base_lr=0.01, max_lr=0.1, step_size_up=3),
    lambda o, S: S.SequentialLR(o, [S.ConstantLR(o, factor=0.5, total_iters=2), S.MultiStepLR(o, [3, 4])], [3]),
])
def test_a_torch_scheduler_state_dict_resumes_its_rates(make):
    torch = pytest.importorskip("torch")
    topt = torch.optim.SGD([torch.ones(2, requires_grad=True)], lr=1.0, momentum=0.9)
    tsched = make(topt, torch.optim.lr_scheduler)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (scheduler steps without optimizer steps)
        for _ in range(4):
            tsched.step()
        opt = _optimizer()
        sched = make(opt, lr_scheduler)
        opt.load_state_dict({"state": {}, "param_groups": topt.state_dict()["param_groups"]})
        sched.load_state_dict(tsched.state_dict())
        for _ in range(8):
            tsched.step()
            sched.step()
            assert sched.get_last_lr() == pytest.approx(tsched.get_last_lr(), rel=1e-14)


def _one_cycle_state(three_phase, shape):
    """What PyTorch's OneCycleLR(max_lr=1.0, total_steps=10, pct_start=0.3) saves after 4 steps, written out."""
    saved = lr_scheduler.OneCycleLR(_optimizer(), max_lr=1.0, total_steps=10, three_phase=three_phase,
                                    anneal_strategy=shape).state_dict()
    for key in ("pct_start", "three_phase", "anneal_strategy"):
        del saved[key]
    phases = [{"end_step": 2.0, "start_lr": "initial_lr", "end_lr": "max_lr", "start_momentum": "max_momentum",
               "end_momentum": "base_momentum"}]
    if three_phase:
        phases += [{"end_step": 4.0, "start_lr": "max_lr", "end_lr": "initial_lr", "start_momentum": "base_momentum",
                    "end_momentum": "max_momentum"},
                   {"end_step": 9, "start_lr": "initial_lr", "end_lr": "min_lr", "start_momentum": "max_momentum",
                    "end_momentum": "max_momentum"}]
    else:
        phases += [{"end_step": 9, "start_lr": "max_lr", "end_lr": "min_lr", "start_momentum": "base_momentum",
                    "end_momentum": "max_momentum"}]
    return {**saved, "_schedule_phases": phases, "_anneal_func_type": shape, "_get_lr_called_within_step": False}


@pytest.mark.parametrize("three_phase", [False, True])
@pytest.mark.parametrize("shape", ["cos", "linear"])
def test_one_cycle_reads_pytorchs_phases(three_phase, shape):
    sched = lr_scheduler.OneCycleLR(_optimizer(), max_lr=1.0, total_steps=10, pct_start=0.45, three_phase=False,
                                    anneal_strategy="cos")
    sched.load_state_dict(_one_cycle_state(three_phase, shape))
    assert (sched.pct_start, sched.three_phase, sched.anneal_strategy) == (0.3, three_phase, shape)
    reference = lr_scheduler.OneCycleLR(_optimizer(), max_lr=1.0, total_steps=10, three_phase=three_phase,
                                        anneal_strategy=shape)
    for _ in range(9):
        sched.step()
        reference.step()
        assert sched.get_last_lr() == reference.get_last_lr()
    with pytest.raises(ValueError, match=r"^OneCycleLR\.load_state_dict: PyTorch's _schedule_phases must be a list"):
        sched.load_state_dict({**_one_cycle_state(three_phase, shape), "_schedule_phases": []})


@pytest.mark.parametrize("shape", ["cos", "linear"])
def test_one_cycle_reads_pytorchs_older_anneal_func(shape):
    """PyTorch's older OneCycleLR state dicts hold the shape's function (anneal_func, its _annealing_cos or
    _annealing_linear) in place of _anneal_func_type: they load, with the shape they name (a KeyError for the
    unexpected key before; found by porting PyTorch's test_lrscheduler, test_onecycle_lr_legacy_state_dict)."""
    torch = pytest.importorskip("torch")
    topt = torch.optim.SGD([torch.ones(1, requires_grad=True)], lr=0.1, momentum=0.9)
    tsched = torch.optim.lr_scheduler.OneCycleLR(topt, max_lr=1.0, total_steps=20, anneal_strategy=shape)
    opt = _optimizer()
    sched = lr_scheduler.OneCycleLR(opt, max_lr=1.0, total_steps=20, anneal_strategy="linear" if shape == "cos"
                                    else "cos")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(4):
            tsched.step()
        saved = tsched.state_dict()
        del saved["_anneal_func_type"]
        saved["anneal_func"] = getattr(tsched, f"_annealing_{shape}")
        opt.load_state_dict({"state": {}, "param_groups": topt.state_dict()["param_groups"]})
        sched.load_state_dict(saved)
        assert sched.anneal_strategy == shape
        for _ in range(10):
            tsched.step()
            sched.step()
            assert sched.get_last_lr() == tsched.get_last_lr()
            assert opt.param_groups[0]["momentum"] == topt.param_groups[0]["momentum"]
    # our own state dict with the legacy entry in place of anneal_strategy, our static method named as PyTorch's
    own = {**sched.state_dict(), "anneal_func": lr_scheduler.OneCycleLR._annealing_cos}
    del own["anneal_strategy"]
    sched.load_state_dict(own)
    assert sched.anneal_strategy == "cos"
    assert lr_scheduler.OneCycleLR._annealing_cos(25, 0.5, 3 / 7) == \
        torch.optim.lr_scheduler.OneCycleLR._annealing_cos(25, 0.5, 3 / 7)
    assert lr_scheduler.OneCycleLR._annealing_linear(25, 0.5, 0.3) == \
        torch.optim.lr_scheduler.OneCycleLR._annealing_linear(25, 0.5, 0.3)
    with pytest.raises(ValueError, match=r"^OneCycleLR\.load_state_dict: anneal_func must be OneCycleLR\._anneal"):
        sched.load_state_dict({**own, "anneal_func": print})


def test_one_cycle_resumes_a_torch_state_dict():
    torch = pytest.importorskip("torch")
    topt = torch.optim.SGD([torch.ones(2, requires_grad=True)], lr=1.0, momentum=0.9)
    kwargs = dict(max_lr=0.5, total_steps=37, pct_start=0.37, three_phase=True, anneal_strategy="linear")
    tsched = torch.optim.lr_scheduler.OneCycleLR(topt, **kwargs)
    opt = _optimizer()
    sched = lr_scheduler.OneCycleLR(opt, **kwargs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(11):
            tsched.step()
        opt.load_state_dict({"state": {}, "param_groups": topt.state_dict()["param_groups"]})
        sched.load_state_dict(tsched.state_dict())
        for _ in range(25):
            tsched.step()
            sched.step()
            assert sched.get_last_lr() == pytest.approx(tsched.get_last_lr(), rel=1e-14)
            assert opt.param_groups[0]["momentum"] == pytest.approx(topt.param_groups[0]["momentum"], rel=1e-14)


# scheduler.step() before any optimizer.step() skips the schedule's first rate: PyTorch warns, word for word as here
def test_a_scheduler_stepped_before_the_optimizer_warns_as_pytorchs():
    def first_steps(optimizer_first):
        opt = SGD([ag.tensor([1.0], requires_grad=True)], lr=1.0)
        sched = ExponentialLR(opt, gamma=0.5)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            if optimizer_first:
                opt.step()
            sched.step()
            opt.step()
            sched.step()
        return [str(w.message) for w in caught]

    assert first_steps(optimizer_first=True) == []
    warned = first_steps(optimizer_first=False)
    assert len(warned) == 1 and warned[0].startswith("Detected call of `lr_scheduler.step()` before `optimizer.step()`")


def _first_step_warnings(library, replace_step):
    """The warnings of a scheduler's first two steps (after the optimizer's) with opt.step replaced before the
    scheduler was made ("before"), after it ("after"), or not at all (None)."""
    param = library.zeros(1, requires_grad=True) if library is not ag else ag.tensor([0.0], requires_grad=True)
    opt = library.optim.SGD([param], lr=1.0) if library is not ag else SGD([param], lr=1.0)
    scheduler_class = library.optim.lr_scheduler.StepLR if library is not ag else StepLR

    def replace():  # as PyTorch's test does it: a bound method calling the one before
        own_step = opt.step
        opt.step = types.MethodType(lambda self, *args, **kwargs: own_step(*args, **kwargs), opt)
    if replace_step == "before":
        replace()
    sched = scheduler_class(opt, step_size=1)
    if replace_step == "after":
        replace()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for _ in range(2):
            opt.step()
            sched.step()
    return [str(w.message) for w in caught]


# opt.step replaced after the scheduler was made: PyTorch's first scheduler step warns that it cannot tell the order
# (test_optim's test_new_pattern_no_warning_with_overridden_optim_step); replaced before, nothing is said
def test_an_optimizer_step_replaced_after_the_scheduler_warns_as_pytorchs():
    warned = _first_step_warnings(ag, "after")
    assert warned == [lr_scheduler.base.OVERRIDDEN_STEP_WARNING]
    assert warned[0].startswith("Seems like `optimizer.step()` has been overridden after learning rate scheduler")
    assert _first_step_warnings(ag, "before") == [] and _first_step_warnings(ag, None) == []
    assert "_optimizer_own_step" not in StepLR(optimizer(), step_size=1).state_dict()


def test_an_optimizer_step_replaced_after_the_scheduler_equals_pytorchs():
    torch = pytest.importorskip("torch")
    for replace_step in ("after", "before", None):
        assert _first_step_warnings(ag, replace_step) == _first_step_warnings(torch, replace_step)


# resuming without initial_lr: PyTorch's KeyError words (its test matches them), naming the group without one
def test_resuming_without_initial_lr_names_the_group_in_pytorchs_words():
    opt = optimizer((0.1, 0.2))
    opt.param_groups[0]["initial_lr"] = 0.1
    with pytest.raises(KeyError, match=r"StepLR: param 'initial_lr' is not specified in param_groups\[1\] when "
                                       r"resuming scheduler with last_epoch >= 0 \(last_epoch=1: restore"):
        StepLR(opt, step_size=3, last_epoch=1)
    torch = pytest.importorskip("torch")
    topt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)
    with pytest.raises(KeyError, match=r"param 'initial_lr' is not specified in param_groups\[0\] when resuming"):
        torch.optim.lr_scheduler.StepLR(topt, step_size=3, last_epoch=1)


# PyTorch's older base-class name, _LRScheduler, subclassed by course code (UvA tutorial 6's cosine warm-up)
def _cosine_warmup(base):
    """UvA tutorial 6's scheduler, written on the base class `base` (ours or torch's)."""
    class CosineWarmup(base):
        def __init__(self, optimizer, warmup, max_iters):
            self.warmup, self.max_num_iters = warmup, max_iters
            super().__init__(optimizer)

        def get_lr(self):
            factor = 0.5 * (1 + np.cos(np.pi * self.last_epoch / self.max_num_iters))
            if self.last_epoch <= self.warmup:
                factor *= self.last_epoch * 1.0 / self.warmup
            return [base_lr * factor for base_lr in self.base_lrs]
    return CosineWarmup


def test_lr_scheduler_subclass_of_the_older_name_follows_its_get_lr():
    assert issubclass(lr_scheduler._LRScheduler, lr_scheduler.LRScheduler)
    opt = optimizer()
    sched = _cosine_warmup(lr_scheduler._LRScheduler)(opt, warmup=4, max_iters=20)
    seen = rates(sched, 20)[:, 0]
    expected = [0.1 * 0.5 * (1 + np.cos(np.pi * t / 20)) * (t / 4 if t <= 4 else 1.0) for t in range(20)]
    assert seen == pytest.approx(expected, rel=1e-15, abs=0.0)
    assert seen[0] == 0.0 and seen[4] == pytest.approx(0.1 * 0.5 * (1 + np.cos(np.pi / 5)))


def test_lr_scheduler_subclass_of_the_older_name_equals_pytorchs():
    torch = pytest.importorskip("torch")
    tparam = torch.zeros(1, requires_grad=True)
    topt = torch.optim.SGD([tparam], lr=0.1)
    tsched = _cosine_warmup(torch.optim.lr_scheduler._LRScheduler)(topt, warmup=4, max_iters=20)
    opt = optimizer()
    sched = _cosine_warmup(lr_scheduler._LRScheduler)(opt, warmup=4, max_iters=20)
    for _ in range(20):
        assert opt.param_groups[0]["lr"] == topt.param_groups[0]["lr"]
        topt.step()
        tsched.step()
        opt.step()
        sched.step()
    assert sched.state_dict()["last_epoch"] == tsched.state_dict()["last_epoch"] == 20
