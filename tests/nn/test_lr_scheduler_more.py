"""nn.optim.lr_scheduler's MultiStepLR, LambdaLR, MultiplicativeLR, ConstantLR, LinearLR, PolynomialLR,
CosineAnnealingWarmRestarts, OneCycleLR, ReduceLROnPlateau, SequentialLR and ChainedScheduler: their rates follow
the formulas (tests without torch), equal torch.optim.lr_scheduler's to the last bit, also after a state dict
round trip mid-way, and each bad setting is refused naming the scheduler, the setting and what is valid.
ReduceLROnPlateau's scripted metrics and its comparison with torch are in test_lr_plateau.py."""
import math
import warnings
from bisect import bisect_right

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd_core as ag
from nn import optim
from nn.optim import lr_scheduler as ours
from nn.optim.lr_scheduler import ChainedScheduler, ConstantLR, ExponentialLR, SequentialLR, StepLR
from nn.serialization import load, save

# These tests follow the schedules themselves, mostly without optimizer steps: PyTorch's warning about that
# order (asserted on its own in test_lr_scheduler.py) would only be noise here.
pytestmark = pytest.mark.filterwarnings(r"ignore:Detected call of `lr_scheduler.step\(\)` before")

LRS = (0.1, 0.03)  # the rates of the first and second parameter groups


def optimizer(library, groups=1, kind="SGD", **kwargs):
    """An optimizer of `library` (our nn.optim or torch.optim) over `groups` parameter groups, rates LRS."""
    if library is optim:
        params = [ag.tensor([1.0], requires_grad=True) for _ in range(groups)]
    else:
        params = [library.zeros(1, requires_grad=True) for _ in range(groups)]
        library = library.optim
    kwargs = {"momentum": 0.9, **kwargs} if kind == "SGD" else kwargs
    return getattr(library, kind)([{"params": [p], "lr": lr} for p, lr in zip(params, LRS)], lr=LRS[0], **kwargs)


def snapshot(opt):
    """Each group's rate, with its momentum or beta1 when it has one (OneCycleLR cycles them)."""
    return [(group["lr"], group.get("momentum"), group["betas"][0] if "betas" in group else None)
            for group in opt.param_groups]


def trajectory(scheduler, steps, final=False):
    """The snapshot in force at each of `steps` steps: read it, then step (optimizer first, as torch wants); with
    final, the one after the last step too."""
    seen = []
    for _ in range(steps):
        seen.append(snapshot(scheduler.optimizer))
        assert scheduler.get_last_lr() == [lr for lr, _, _ in seen[-1]]
        scheduler.optimizer.step()
        scheduler.step()
    return seen + [snapshot(scheduler.optimizer)] * final


def _half(epoch):
    return 0.5 ** epoch


class Decay:
    """A callable object with state: LambdaLR's state dict stores its attributes (as torch's)."""

    def __init__(self, rate):
        self.rate = rate

    def __call__(self, epoch):
        return self.rate ** epoch


def per_group(opt, *values):
    """values[:groups]: a per-group list for the optimizer's groups."""
    return list(values[:len(opt.param_groups)])


# (id, make(S, opt) with S our lr_scheduler module or torch's, steps, optimizer kind)
CASES = [
    ("MultiStepLR", lambda S, o: S.MultiStepLR(o, milestones=[2, 5, 5, 9], gamma=0.5), 14, "SGD"),
    ("MultiStepLR-at-0", lambda S, o: S.MultiStepLR(o, milestones=[0, 3]), 6, "SGD"),
    ("LambdaLR", lambda S, o: S.LambdaLR(o, lambda e: 1 / (1 + e)), 10, "SGD"),
    ("LambdaLR-per-group", lambda S, o: S.LambdaLR(o, per_group(o, _half, Decay(0.9))), 10, "SGD"),
    ("MultiplicativeLR", lambda S, o: S.MultiplicativeLR(o, lambda e: 0.9), 10, "SGD"),
    ("MultiplicativeLR-per-group", lambda S, o: S.MultiplicativeLR(o, per_group(o, lambda e: 1 - e / 20,
                                                                                  Decay(0.95))), 10, "SGD"),
    ("ConstantLR", lambda S, o: S.ConstantLR(o), 8, "SGD"),
    ("ConstantLR-0.7", lambda S, o: S.ConstantLR(o, factor=0.7, total_iters=3), 8, "SGD"),
    ("LinearLR", lambda S, o: S.LinearLR(o), 8, "SGD"),
    ("LinearLR-down", lambda S, o: S.LinearLR(o, start_factor=1.0, end_factor=0.0, total_iters=4), 7, "SGD"),
    ("LinearLR-0.1-0.9", lambda S, o: S.LinearLR(o, start_factor=0.1, end_factor=0.9, total_iters=7), 10, "SGD"),
    ("PolynomialLR", lambda S, o: S.PolynomialLR(o), 8, "SGD"),
    ("PolynomialLR-2.5", lambda S, o: S.PolynomialLR(o, total_iters=6, power=2.5), 9, "SGD"),
    ("WarmRestarts", lambda S, o: S.CosineAnnealingWarmRestarts(o, T_0=3), 10, "SGD"),
    ("WarmRestarts-mult", lambda S, o: S.CosineAnnealingWarmRestarts(o, T_0=2, T_mult=2, eta_min=0.001), 16, "SGD"),
    ("OneCycleLR", lambda S, o: S.OneCycleLR(o, max_lr=1.0, total_steps=20), 20, "SGD"),
    ("OneCycleLR-linear-3", lambda S, o: S.OneCycleLR(o, max_lr=per_group(o, 1.0, 0.5), epochs=4, steps_per_epoch=5,
                                                      anneal_strategy="linear", three_phase=True, pct_start=0.25,
                                                      base_momentum=per_group(o, 0.8, 0.7)), 20, "SGD"),
    ("OneCycleLR-Adam", lambda S, o: S.OneCycleLR(o, max_lr=0.01, total_steps=12, div_factor=10.0,
                                                  final_div_factor=100.0), 12, "Adam"),
    ("OneCycleLR-no-momentum", lambda S, o: S.OneCycleLR(o, max_lr=0.5, total_steps=9, cycle_momentum=False), 9,
     "Adagrad"),
    ("SequentialLR", lambda S, o: S.SequentialLR(o, [S.ConstantLR(o, factor=0.1, total_iters=3),
                                                    S.ExponentialLR(o, gamma=0.9)], milestones=[3]), 10, "SGD"),
    ("SequentialLR-3", lambda S, o: S.SequentialLR(o, [S.LinearLR(o, start_factor=0.2, total_iters=4),
                                                      S.CosineAnnealingLR(o, T_max=5, eta_min=0.001),
                                                      S.StepLR(o, step_size=2, gamma=0.5)], milestones=[4, 9]),
     16, "SGD"),
    ("SequentialLR-no-closed-form", lambda S, o: S.SequentialLR(o, [S.PolynomialLR(o, total_iters=3),
                                                                   S.MultiplicativeLR(o, lambda e: 0.8),
                                                                   S.CosineAnnealingWarmRestarts(o, T_0=2),
                                                                   S.LambdaLR(o, _half)], milestones=[2, 5, 9]),
     13, "SGD"),
    ("SequentialLR-MultiStep", lambda S, o: S.SequentialLR(o, [S.ExponentialLR(o, gamma=0.8),
                                                              S.MultiStepLR(o, milestones=[0, 2], gamma=0.5)],
                                                          milestones=[3]), 8, "SGD"),
    ("ChainedScheduler", lambda S, o: S.ChainedScheduler([S.ConstantLR(o, factor=0.5, total_iters=4),
                                                          S.ExponentialLR(o, gamma=0.9)]), 10, "SGD"),
    ("ChainedScheduler-3", lambda S, o: S.ChainedScheduler([S.LinearLR(o, total_iters=3),
                                                            S.CosineAnnealingLR(o, T_max=6, eta_min=0.002),
                                                            S.MultiStepLR(o, milestones=[4, 7])], optimizer=o),
     12, "SGD"),
]
IDS = [case[0] for case in CASES]


def torch_trajectory(torch, make, steps, groups, kind, final=False):
    opt = optimizer(torch, groups, kind)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch's reminders (the epoch argument, ...)
        return trajectory(make(torch.optim.lr_scheduler, opt), steps, final)


@pytest.mark.parametrize("groups", [1, 2])
@pytest.mark.parametrize("name, make, steps, kind", CASES, ids=IDS)
def test_rates_and_momenta_equal_torchs_exactly(name, make, steps, kind, groups):
    torch = pytest.importorskip("torch")
    expected = torch_trajectory(torch, make, steps, groups, kind)
    assert trajectory(make(ours, optimizer(optim, groups, kind)), steps) == expected


@pytest.mark.parametrize("groups", [1, 2])
@pytest.mark.parametrize("name, make, steps, kind", CASES, ids=IDS)
def test_a_state_dict_round_trip_mid_way_continues_as_torch(name, make, steps, kind, groups, tmp_path):
    torch = pytest.importorskip("torch")
    expected = torch_trajectory(torch, make, steps, groups, kind)
    opt = optimizer(optim, groups, kind)
    scheduler = make(ours, opt)
    first = trajectory(scheduler, steps // 2)
    save({"optimizer": opt.state_dict(), "scheduler": scheduler.state_dict()}, tmp_path / "checkpoint.npz")
    state = load(tmp_path / "checkpoint.npz")
    fresh_opt = optimizer(optim, groups, kind)
    fresh = make(ours, fresh_opt)  # as one resumes: make the scheduler, then load both states
    fresh_opt.load_state_dict(state["optimizer"])
    fresh.load_state_dict(state["scheduler"])
    assert first + trajectory(fresh, steps - steps // 2) == expected


@pytest.mark.parametrize("name, make, steps, kind", CASES, ids=IDS)
def test_state_dicts_hold_torchs_values_for_the_keys_they_share(name, make, steps, kind):
    torch = pytest.importorskip("torch")
    theirs = make(torch.optim.lr_scheduler, optimizer(torch, 2, kind))
    mine = make(ours, optimizer(optim, 2, kind))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(steps // 2):
            theirs.optimizer.step(), theirs.step()
            mine.optimizer.step(), mine.step()
    shared = set(mine.state_dict()) & set(theirs.state_dict()) - {"_step_count"}  # (see below for the count)
    assert {"last_epoch", "_last_lr"} & shared or name.startswith("Chained")
    for key in shared:
        if key == "_schedulers":
            continue  # (each is compared as its own case)
        value = theirs.state_dict()[key]
        if key == "milestones":  # torch keeps a Counter, ours the sorted list it counts
            value = sorted(value.elements())
        assert mine.state_dict()[key] == value, key


ARGUMENTS = {
    "MultiStepLR": st.fixed_dictionaries({"milestones": st.lists(st.integers(0, 15), max_size=4).map(sorted),
                                          "gamma": st.floats(0.0, 1.0)}),
    "ConstantLR": st.fixed_dictionaries({"factor": st.floats(0.01, 1.0), "total_iters": st.integers(1, 12)}),
    "LinearLR": st.fixed_dictionaries({"start_factor": st.floats(0.01, 1.0), "end_factor": st.floats(0.0, 1.0),
                                       "total_iters": st.integers(1, 12)}),
    "PolynomialLR": st.fixed_dictionaries({"total_iters": st.integers(1, 12), "power": st.floats(0.0, 4.0)}),
    "CosineAnnealingWarmRestarts": st.fixed_dictionaries({"T_0": st.integers(1, 6), "T_mult": st.integers(1, 3),
                                                          "eta_min": st.floats(0.0, 0.05)}),
}


@settings(max_examples=40)
@given(data=st.data(), name=st.sampled_from(sorted(ARGUMENTS)), last_epoch=st.sampled_from([-1, 0, 3, 8]))
def test_any_arguments_and_resumed_epoch_give_torchs_rates(data, name, last_epoch):
    torch = pytest.importorskip("torch")
    kwargs = data.draw(ARGUMENTS[name], label="kwargs")

    def run(library, S):
        opt = optimizer(library, 2)
        if last_epoch >= 0:  # resuming: the rates of a checkpoint, initial_lr as the optimizer's state has it
            for group, lr in zip(opt.param_groups, LRS):
                group.update(initial_lr=lr, lr=lr * 0.37)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return trajectory(getattr(S, name)(opt, last_epoch=last_epoch, **kwargs), 20)
    assert run(optim, ours) == run(torch, torch.optim.lr_scheduler)


def test_the_step_count_is_torchs_except_warm_restarts_counting_its_steps():
    torch = pytest.importorskip("torch")
    for make in (lambda S, o: S.MultiStepLR(o, [2]), lambda S, o: S.OneCycleLR(o, 1.0, total_steps=9),
                 lambda S, o: S.CosineAnnealingWarmRestarts(o, T_0=3)):
        mine, theirs = make(ours, optimizer(optim)), make(torch.optim.lr_scheduler, optimizer(torch))
        for _ in range(4):
            mine.optimizer.step(), mine.step(), theirs.optimizer.step(), theirs.step()
        # torch's CosineAnnealingWarmRestarts.step never counts (its count stays 0); ours counts as the others
        assert mine._step_count == 5 and theirs._step_count == (0 if "Warm" in type(mine).__name__ else 5)


# ---- the formulas, without torch -------------------------------------------------------------------------------

def rates(scheduler, steps):
    return np.array([[lr for lr, _, _ in snapshot] for snapshot in trajectory(scheduler, steps)])


def closed(formula, steps, groups=2):
    """formula(base, epoch) for each epoch and each group's base rate."""
    return np.array([[formula(base, epoch) for base in LRS[:groups]] for epoch in range(steps)])


def assert_rates(make, formula, steps=20):
    # (atol: the chainable form of a factor near 0 keeps only its absolute accuracy, as torch's)
    np.testing.assert_allclose(rates(make(optimizer(optim, 2)), steps), closed(formula, steps), rtol=1e-12,
                               atol=1e-15)


@settings(max_examples=25)
@given(milestones=st.lists(st.integers(0, 15), max_size=4).map(sorted), gamma=st.floats(0.05, 1.0))
def test_multistep_follows_its_formula(milestones, gamma):
    assert_rates(lambda o: ours.MultiStepLR(o, milestones, gamma),
                 lambda base, e: base * gamma ** bisect_right(milestones, e))


def test_multistep_takes_a_set_of_milestones_in_increasing_order():
    assert ours.MultiStepLR(optimizer(optim), {80, 30, 5, 120}).milestones == [5, 30, 80, 120]
    opt = optimizer(optim)
    sequential = ours.SequentialLR(opt, [ours.ConstantLR(opt), ours.LinearLR(opt), ours.StepLR(opt, 2)], {9, 4})
    assert sequential._milestones == [4, 9]


@settings(max_examples=25)
@given(factor=st.floats(0.01, 1.0), total_iters=st.integers(1, 12))
def test_constant_follows_its_formula(factor, total_iters):
    assert_rates(lambda o: ours.ConstantLR(o, factor, total_iters),
                 lambda base, e: base * (factor if e < total_iters else 1.0))


@settings(max_examples=25)
@given(start=st.floats(0.01, 1.0), end=st.floats(0.0, 1.0), total_iters=st.integers(1, 12))
def test_linear_follows_its_formula(start, end, total_iters):
    assert_rates(lambda o: ours.LinearLR(o, start, end, total_iters),
                 lambda base, e: base * (start + (end - start) * min(e, total_iters) / total_iters))


@settings(max_examples=25)
@given(total_iters=st.integers(1, 12), power=st.floats(0.0, 4.0))
def test_polynomial_follows_its_formula(total_iters, power):
    np.testing.assert_allclose(
        rates(ours.PolynomialLR(optimizer(optim, 2), total_iters, power), 20),
        closed(lambda base, e: base * (1 - min(e, total_iters) / total_iters) ** power, 20),
        rtol=1e-9, atol=1e-15)  # (near the end, a product of ratios; absolute only once the rate is all but 0)


def test_lambda_and_multiplicative_follow_their_formulas():
    assert_rates(lambda o: ours.LambdaLR(o, lambda e: 1 / (1 + e)), lambda base, e: base / (1 + e))
    assert_rates(lambda o: ours.LambdaLR(o, [_half, Decay(0.9)]),
                 lambda base, e: base * (0.5 if base == LRS[0] else 0.9) ** e)
    assert_rates(lambda o: ours.MultiplicativeLR(o, lambda e: 1 - e / 40),
                 lambda base, e: base * math.prod(1 - k / 40 for k in range(1, e + 1)))


def warm_restarts(T_0, T_mult, eta_min):
    """SGDR's rate from its definition: cycles of T_0, T_0 T_mult, ... epochs, each a half cosine."""
    def formula(base, epoch):
        length = T_0
        while epoch >= length:
            epoch, length = epoch - length, length * T_mult
        return eta_min + (base - eta_min) * (1 + math.cos(math.pi * epoch / length)) / 2
    return formula


@settings(max_examples=25)
@given(T_0=st.integers(1, 6), T_mult=st.integers(1, 3), eta_min=st.floats(0.0, 0.02))
def test_warm_restarts_follow_sgdr(T_0, T_mult, eta_min):
    assert_rates(lambda o: ours.CosineAnnealingWarmRestarts(o, T_0, T_mult, eta_min),
                 warm_restarts(T_0, T_mult, eta_min), steps=30)


@settings(max_examples=25)
@given(T_0=st.integers(1, 6), T_mult=st.integers(1, 3), epochs=st.lists(st.floats(0, 60), min_size=1, max_size=8))
def test_warm_restarts_go_to_any_fractional_epoch(T_0, T_mult, epochs):
    scheduler = ours.CosineAnnealingWarmRestarts(optimizer(optim, 2), T_0, T_mult, eta_min=0.001)
    for epoch in epochs:
        scheduler.step(epoch)
        expected = [warm_restarts(T_0, T_mult, 0.001)(base, epoch) for base in LRS]
        np.testing.assert_allclose(scheduler.get_last_lr(), expected, rtol=1e-9)
        assert scheduler.last_epoch == math.floor(epoch)


def test_warm_restarts_restart_where_torchs_logarithm_rounds_down():
    # cycle 5 of T_0=1, T_mult=3 starts at epoch 121; torch computes int(log(243, 3)) = 4 and so puts epoch 121 at
    # the end of cycle 4 (the rate eta_min); ours starts cycle 5 there (the rate base_lr), as SGDR has it
    scheduler = ours.CosineAnnealingWarmRestarts(optimizer(optim), T_0=1, T_mult=3, eta_min=0.001)
    scheduler.step(121)
    assert scheduler.get_last_lr() == [0.1] and (scheduler.T_i, scheduler.T_cur) == (243, 0)
    scheduler.step(120.5)
    assert (scheduler.T_i, scheduler.T_cur) == (81, 120.5 - 40)
    torch = pytest.importorskip("torch")
    theirs = torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(optimizer(torch), T_0=1, T_mult=3, eta_min=0.001)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs.step(121)
    assert theirs.get_last_lr() == [0.001]  # (what this test is about: torch's value differs)


def test_warm_restarts_fractional_epochs_and_interleaved_steps_equal_torchs():
    torch = pytest.importorskip("torch")
    walks = []
    for library in (optim, torch):
        S = ours if library is optim else torch.optim.lr_scheduler
        scheduler = S.CosineAnnealingWarmRestarts(optimizer(library, 2), T_0=3, T_mult=2, eta_min=0.01)
        seen = []
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for epoch in range(8):
                for batch in range(4):
                    scheduler.step(epoch + batch / 4)
                    seen.append((scheduler.get_last_lr(), scheduler.last_epoch, scheduler.T_cur, scheduler.T_i))
            scheduler.step(26)
            for _ in range(3):  # after step(26), step() goes on from 26
                scheduler.step()
                seen.append((scheduler.get_last_lr(), scheduler.last_epoch, scheduler.T_cur, scheduler.T_i))
        walks.append(seen)
    assert walks[0] == walks[1]


def one_cycle(max_lr, total_steps, pct_start, strategy, div_factor, final_div_factor, three_phase):
    """1cycle's rate at each step from its description: up from max_lr / div_factor to max_lr over
    pct_start * total_steps - 1 steps, then down (three_phase: back to the start over as many steps first)."""
    low, high = max_lr / div_factor, max_lr
    floor = low / final_div_factor
    up = pct_start * total_steps - 1
    ends = [(up, low, high), (2 * up, high, low), (total_steps - 1, low, floor)] if three_phase else \
        [(up, low, high), (total_steps - 1, high, floor)]

    def shape(fraction):
        return (1 - math.cos(math.pi * fraction)) / 2 if strategy == "cos" else fraction

    rates, start = [], 0.0
    for step in range(total_steps):
        begin = 0.0
        for i, (end, a, b) in enumerate(ends):
            if step <= end or i == len(ends) - 1:
                rates.append(a + (b - a) * shape((step - begin) / (end - begin)))
                break
            begin = end
    return rates


@settings(max_examples=30)
@given(total_steps=st.integers(4, 40), pct_start=st.floats(0.05, 0.45), strategy=st.sampled_from(["cos", "linear"]),
       div_factor=st.floats(1.0, 100.0), final_div_factor=st.floats(1.0, 1e4), three_phase=st.booleans())
def test_one_cycle_follows_its_description(total_steps, pct_start, strategy, div_factor, final_div_factor,
                                           three_phase):
    up = pct_start * total_steps - 1
    if up < 1 or (three_phase and 2 * up >= total_steps - 2):
        return  # (phases of a step or less: test_one_cycle_equals_torch_for_any_setting covers them)
    opt = optimizer(optim, 2)
    scheduler = ours.OneCycleLR(opt, [1.0, 0.5], total_steps=total_steps, pct_start=pct_start,
                                anneal_strategy=strategy, div_factor=div_factor, final_div_factor=final_div_factor,
                                three_phase=three_phase)
    got = rates(scheduler, total_steps)
    for group, max_lr in enumerate([1.0, 0.5]):
        expected = one_cycle(max_lr, total_steps, pct_start, strategy, div_factor, final_div_factor, three_phase)
        np.testing.assert_allclose(got[:, group], expected, rtol=1e-9)


@settings(max_examples=30)
@given(total_steps=st.integers(1, 30), pct_start=st.floats(0.0, 1.0), strategy=st.sampled_from(["cos", "linear"]),
       three_phase=st.booleans(), adam=st.booleans())
def test_one_cycle_equals_torch_for_any_setting(total_steps, pct_start, strategy, three_phase, adam):
    torch = pytest.importorskip("torch")
    kind = "Adam" if adam else "SGD"

    def make(S, o):
        return S.OneCycleLR(o, 0.5, total_steps=total_steps, pct_start=pct_start, anneal_strategy=strategy,
                            three_phase=three_phase)
    try:
        expected = torch_trajectory(torch, make, total_steps, 2, kind, final=True)  # (to step total_steps)
    except ZeroDivisionError:  # a phase of no length: torch divides by zero, ours says why
        with pytest.raises(ValueError, match="OneCycleLR: pct_start=.* leaves step .* in a phase of no length"):
            trajectory(make(ours, optimizer(optim, 2, kind)), total_steps, final=True)
        return
    assert trajectory(make(ours, optimizer(optim, 2, kind)), total_steps, final=True) == expected


def test_one_cycle_cycles_sgds_momentum_and_adams_beta1_inversely_to_the_rate():
    sgd = optimizer(optim, 1, "SGD", momentum=0.0, nesterov=False)
    seen = trajectory(ours.OneCycleLR(sgd, max_lr=1.0, total_steps=11, pct_start=0.5, anneal_strategy="linear",
                                      base_momentum=0.8, max_momentum=0.9), 11)
    momenta = [momentum for ((_, momentum, _),) in seen]
    np.testing.assert_allclose(momenta, [0.9 - 0.1 * s / 4.5 for s in range(5)] + [0.8 + 0.1 * (s - 4.5) / 5.5
                                                                                  for s in range(5, 11)], rtol=1e-12)
    adam = optimizer(optim, 1, "Adam", betas=(0.9, 0.99))
    seen = trajectory(ours.OneCycleLR(adam, max_lr=1.0, total_steps=11, pct_start=0.5, anneal_strategy="linear",
                                      base_momentum=0.8, max_momentum=0.9), 11)
    np.testing.assert_allclose([beta1 for ((_, _, beta1),) in seen], momenta, rtol=1e-12)
    assert adam.param_groups[0]["betas"][1] == 0.99


def test_training_with_one_cycle_moves_the_parameters_as_torch():
    torch = pytest.importorskip("torch")
    for kind in ("SGD", "Adam"):
        finals = []
        for library in (optim, torch):
            w = ag.tensor([2.0, -1.0], requires_grad=True) if library is optim else \
                torch.tensor([2.0, -1.0], dtype=torch.float64, requires_grad=True)
            opt = (optim if library is optim else torch.optim).__dict__[kind]([w], lr=0.1)
            S = ours if library is optim else torch.optim.lr_scheduler
            scheduler = S.OneCycleLR(opt, max_lr=0.3, total_steps=15)
            for _ in range(15):
                opt.zero_grad()
                (w * w).sum().backward()
                opt.step()
                scheduler.step()
            finals.append(np.asarray(w.detach().numpy() if library is torch else w.data))
        np.testing.assert_allclose(finals[0], finals[1], rtol=1e-12, err_msg=kind)


def test_sequential_follows_each_scheduler_from_its_milestone():
    assert_rates(lambda o: ours.SequentialLR(o, [ours.ConstantLR(o, factor=0.1, total_iters=3),
                                                 ours.ExponentialLR(o, gamma=0.9)], milestones=[4]),
                 lambda base, e: base * 0.1 if e < 3 else base if e < 4 else base * 0.9 ** (e - 4))


def test_chained_multiplies_the_factors():
    assert_rates(lambda o: ours.ChainedScheduler([ours.ConstantLR(o, factor=0.5, total_iters=4),
                                                  ours.ExponentialLR(o, gamma=0.9)]),
                 lambda base, e: base * (0.5 if e < 4 else 1.0) * 0.9 ** e)


# ---- state dicts -----------------------------------------------------------------------------------------------

def test_lambda_state_dicts_hold_no_function_but_a_callables_attributes_as_torch():
    opt = optimizer(optim, 2)
    decay = Decay(0.9)
    scheduler = ours.LambdaLR(opt, [_half, decay])
    state = scheduler.state_dict()
    assert state["lr_lambdas"] == [None, {"rate": 0.9}]
    decay.rate = 0.5
    scheduler.load_state_dict(state)
    assert decay.rate == 0.9  # the callable's attributes are restored; the functions are the scheduler's own
    torch = pytest.importorskip("torch")
    theirs = torch.optim.lr_scheduler.LambdaLR(optimizer(torch, 2), [_half, Decay(0.9)])
    assert theirs.state_dict()["lr_lambdas"] == state["lr_lambdas"]


@pytest.mark.parametrize("make, bad, message", [
    (lambda o: ours.LambdaLR(o, _half), {"lr_lambdas": [None, None]},
     r"LambdaLR.load_state_dict: lr_lambdas must be a list of 1 entries"),
    (lambda o: ours.MultiStepLR(o, [2, 4]), {"milestones": [4, 2]}, r"MultiStepLR: milestones must be in non-dec"),
    (lambda o: ours.ConstantLR(o), {"factor": 0.0}, r"ConstantLR: factor must be a number in \(0, 1\], got 0.0"),
    (lambda o: ours.ReduceLROnPlateau(o), {"mode": "mean"}, r"ReduceLROnPlateau: mode must be 'min' or 'max'"),
    (lambda o: ours.OneCycleLR(o, 1.0, total_steps=10), {"anneal_strategy": "exp"},
     r"OneCycleLR: anneal_strategy must be 'cos' or 'linear', got 'exp'"),
    (lambda o: ours.CosineAnnealingWarmRestarts(o, 2), {"T_i": 0}, r"CosineAnnealingWarmRestarts: T_i must be a "
                                                                    r"positive int"),
    (lambda o: ours.SequentialLR(o, [ours.ConstantLR(o), ours.LinearLR(o)], [2]),
     {"_schedulers": [{"factor": 0.9}, {"start_factor": 2.0}]}, r"LinearLR: start_factor must be a number in \(0, 1\]"),
    (lambda o: ours.ChainedScheduler([ours.ConstantLR(o), ours.LinearLR(o)]), {"_schedulers": [{}]},
     r"ChainedScheduler.load_state_dict: _schedulers must be a list of 2 state dicts"),
], ids=["lambdas", "milestones", "factor", "mode", "anneal", "T_i", "sequential", "chained"])
def test_a_refused_state_dict_leaves_the_scheduler_and_those_inside_as_they_were(make, bad, message):
    scheduler = make(optimizer(optim))
    scheduler.optimizer.step(), scheduler.step() if not isinstance(scheduler, ours.ReduceLROnPlateau) else None
    before = scheduler.state_dict()
    with pytest.raises((ValueError, TypeError), match=message):
        scheduler.load_state_dict({**before, **bad})
    assert scheduler.state_dict() == before


# ---- errors ------------------------------------------------------------------------------------------------------

def _adagrad():
    return optimizer(optim, 1, "Adagrad")


ERRORS = [
    (lambda o: ours.MultiStepLR(o, [5, 2]), ValueError,
     r"MultiStepLR: milestones must be in non-decreasing order, got \[5, 2\] \(milestones\[1\]=2 follows 5\)"),
    (lambda o: ours.MultiStepLR(o, [-1]), ValueError, r"MultiStepLR: milestones\[0\] must be an int >= 0, got -1"),
    (lambda o: ours.MultiStepLR(o, 3), TypeError, r"MultiStepLR: milestones must be a list of ints, got 3"),
    (lambda o: ours.MultiStepLR(o, [2.5]), TypeError, r"MultiStepLR: milestones\[0\] must be an int >= 0"),
    (lambda o: ours.MultiStepLR(o, [2], gamma=-0.1), ValueError, r"MultiStepLR: gamma must be a finite number >= 0"),
    (lambda o: ours.LambdaLR(o, 0.5), TypeError,
     r"LambdaLR: lr_lambda should be a function of the epoch that returns a factor, but lr_lambda is float"),
    (lambda o: ours.LambdaLR(o, [_half, _half]), ValueError,
     r"LambdaLR: lr_lambda has 2 values, but the optimizer has 1 parameter group; pass one value for all or one "),
    (lambda o: ours.LambdaLR(o, lambda e: "x"), TypeError,
     r"LambdaLR: lr_lambda returned 'x' for epoch 0; it must return a number"),
    (lambda o: ours.MultiplicativeLR(o, [None]), TypeError,
     r"MultiplicativeLR: lr_lambda should be a function .* but lr_lambda\[0\] is NoneType"),
    (lambda o: ours.ConstantLR(o, factor=0), ValueError, r"ConstantLR: factor must be a number in \(0, 1\], got 0"),
    (lambda o: ours.ConstantLR(o, factor=1.5), ValueError, r"ConstantLR: factor must be a number in \(0, 1\]"),
    (lambda o: ours.ConstantLR(o, total_iters=0), ValueError, r"ConstantLR: total_iters must be a positive int"),
    (lambda o: ours.LinearLR(o, start_factor=0.0), ValueError, r"LinearLR: start_factor must be a number in \(0, 1\]"),
    (lambda o: ours.LinearLR(o, end_factor=-0.5), ValueError, r"LinearLR: end_factor must be a number in \[0, 1\]"),
    (lambda o: ours.LinearLR(o, total_iters=2.5), TypeError, r"LinearLR: total_iters must be a positive int"),
    (lambda o: ours.PolynomialLR(o, power=-1.0), ValueError, r"PolynomialLR: power must be a finite number >= 0"),
    (lambda o: ours.PolynomialLR(o, total_iters=0), ValueError, r"PolynomialLR: total_iters must be a positive int"),
    (lambda o: ours.CosineAnnealingWarmRestarts(o, T_0=0), ValueError,
     r"CosineAnnealingWarmRestarts: T_0 must be a positive int, got 0"),
    (lambda o: ours.CosineAnnealingWarmRestarts(o, T_0=2, T_mult=1.5), TypeError,
     r"CosineAnnealingWarmRestarts: T_mult must be a positive int, got 1.5"),
    (lambda o: ours.CosineAnnealingWarmRestarts(o, T_0=2, eta_min=-1.0), ValueError,
     r"CosineAnnealingWarmRestarts: eta_min must be a finite number >= 0"),
    (lambda o: ours.CosineAnnealingWarmRestarts(o, T_0=2).step(-1), ValueError,
     r"CosineAnnealingWarmRestarts.step: epoch must be a finite number >= 0, got -1"),
    (lambda o: ours.CosineAnnealingWarmRestarts(o, T_0=2).step("3"), TypeError,
     r"CosineAnnealingWarmRestarts.step: epoch must be a finite number >= 0, got '3'"),
    (lambda o: ours.OneCycleLR(o, 1.0), ValueError,
     r"OneCycleLR: pass total_steps, or epochs and steps_per_epoch"),
    (lambda o: ours.OneCycleLR(o, 1.0, total_steps=0), ValueError, r"OneCycleLR: total_steps must be a positive int"),
    (lambda o: ours.OneCycleLR(o, 1.0, epochs=0, steps_per_epoch=3), ValueError,
     r"OneCycleLR: epochs must be a positive int"),
    (lambda o: ours.OneCycleLR(o, 1.0, epochs=2, steps_per_epoch=1.5), TypeError,
     r"OneCycleLR: steps_per_epoch must be a positive int"),
    (lambda o: ours.OneCycleLR(o, 1.0, 10, pct_start=1.5), ValueError,
     r"OneCycleLR: pct_start must be a number in \[0, 1\], got 1.5"),
    (lambda o: ours.OneCycleLR(o, 1.0, 10, anneal_strategy="exp"), ValueError,
     r"OneCycleLR: anneal_strategy must be 'cos' or 'linear', got 'exp'"),
    (lambda o: ours.OneCycleLR(o, -1.0, 10), ValueError, r"OneCycleLR: max_lr must be a finite number > 0"),
    (lambda o: ours.OneCycleLR(o, [1.0, 2.0], 10), ValueError, r"OneCycleLR: max_lr has 2 values, but the optimizer "
                                                               r"has 1 parameter group"),
    (lambda o: ours.OneCycleLR(o, 1.0, 10, div_factor=0), ValueError, r"OneCycleLR: div_factor must be a finite "
                                                                      r"number > 0"),
    (lambda o: ours.OneCycleLR(o, 1.0, 10, base_momentum=-0.5), ValueError,
     r"OneCycleLR: base_momentum must be a finite number >= 0"),
    (lambda o: ours.OneCycleLR(optimizer(optim, 1, "Adam"), 1.0, 10, max_momentum=1.0), ValueError,
     r"OneCycleLR: max_momentum must be a number in \[0, 1\), got 1.0"),
    (lambda o: ours.OneCycleLR(_adagrad(), 1.0, 10), ValueError,
     r"OneCycleLR: cycle_momentum=True cycles the momentum .* Adagrad has neither: pass cycle_momentum=False"),
    (lambda o: ours.OneCycleLR(o, 1.0, total_steps=10, pct_start=0.1), ValueError,
     r"OneCycleLR: pct_start=0.1 with total_steps=10 leaves step 0 in a phase of no length"),
    (lambda o: ours.OneCycleLR(o, 1.0, total_steps=10, last_epoch=3), KeyError,
     r"OneCycleLR: resuming at last_epoch=3 needs \['base_momentum', 'initial_lr', 'max_lr', 'max_momentum', "
     r"'min_lr'\]"),
    (lambda o: ours.ReduceLROnPlateau(o, mode="mean"), ValueError,
     r"ReduceLROnPlateau: mode must be 'min' or 'max', got 'mean'"),
    (lambda o: ours.ReduceLROnPlateau(o, threshold_mode="pct"), ValueError,
     r"ReduceLROnPlateau: threshold_mode must be 'rel' or 'abs', got 'pct'"),
    (lambda o: ours.ReduceLROnPlateau(o, factor=1.0), ValueError,
     r"ReduceLROnPlateau: factor must be a number in \[0, 1\), got 1.0"),
    (lambda o: ours.ReduceLROnPlateau(o, factor=-0.5), ValueError, r"ReduceLROnPlateau: factor must be a number in"),
    (lambda o: ours.ReduceLROnPlateau(o, patience=-1), ValueError, r"ReduceLROnPlateau: patience must be an int >= 0"),
    (lambda o: ours.ReduceLROnPlateau(o, cooldown=1.5), TypeError, r"ReduceLROnPlateau: cooldown must be an int >= 0"),
    (lambda o: ours.ReduceLROnPlateau(o, threshold=-1e-4), ValueError,
     r"ReduceLROnPlateau: threshold must be a finite number >= 0"),
    (lambda o: ours.ReduceLROnPlateau(o, min_lr=[0.0, 0.0]), ValueError,
     r"ReduceLROnPlateau: min_lr has 2 values, but the optimizer has 1 parameter group"),
    (lambda o: ours.ReduceLROnPlateau(o, min_lr=-1.0), ValueError, r"ReduceLROnPlateau: min_lr must be a finite "),
    (lambda o: ours.ReduceLROnPlateau(o, eps=-1.0), ValueError, r"ReduceLROnPlateau: eps must be a finite number"),
    (lambda o: ours.ReduceLROnPlateau(o).step(None), TypeError,
     r"ReduceLROnPlateau.step: metrics must be a number \(the quantity watched, a validation loss say\), got None"),
    (lambda o: ours.ReduceLROnPlateau(o).step("low"), TypeError, r"ReduceLROnPlateau.step: metrics must be a number"),
    (lambda o: ours.ReduceLROnPlateau(object()), TypeError, r"ReduceLROnPlateau: expected an optimizer"),
    (lambda o: ours.SequentialLR(o, [], []), ValueError, r"SequentialLR: schedulers must be a non-empty list"),
    (lambda o: ours.SequentialLR(o, [ours.ConstantLR(o), ours.LinearLR(o), ours.StepLR(o, 2)], [3, 3]), ValueError,
     r"SequentialLR: milestones must be increasing, got \[3, 3\]"),
    (lambda o: ours.SequentialLR(o, [ours.ConstantLR(o), ours.LinearLR(o)], [0]), ValueError,
     r"SequentialLR: milestones\[0\] must be a positive int, got 0"),
    (lambda o: ours.SequentialLR(o, [ours.ConstantLR(o), ours.LinearLR(o)], [2, 4]), ValueError,
     r"SequentialLR: needs one milestone fewer than schedulers .* got 2 schedulers and 2 milestones"),
    (lambda o: ours.SequentialLR(o, [ours.ConstantLR(o), ours.ReduceLROnPlateau(o)], [2]), ValueError,
     r"SequentialLR: schedulers\[1\] is a ReduceLROnPlateau, whose step needs the metric"),
    (lambda o: ours.SequentialLR(o, [ours.ConstantLR(o), ours.LinearLR(optimizer(optim))], [2]), ValueError,
     r"SequentialLR: schedulers\[1\] \(LinearLR\) schedules another optimizer"),
    (lambda o: ours.SequentialLR(o, [ours.ConstantLR(o), "LinearLR"], [2]), TypeError,
     r"SequentialLR: schedulers\[1\] is a str, not a scheduler"),
    (lambda o: ours.ChainedScheduler(ours.ConstantLR(o)), TypeError,
     r"ChainedScheduler: schedulers must be a non-empty list of schedulers"),
    (lambda o: ours.ChainedScheduler([ours.ConstantLR(o)], optimizer=optimizer(optim)), ValueError,
     r"ChainedScheduler: schedulers\[0\] \(ConstantLR\) schedules another optimizer"),
    (lambda o: ours.ChainedScheduler([ours.ConstantLR(o), ours.ReduceLROnPlateau(o)]), ValueError,
     r"ChainedScheduler: schedulers\[1\] is a ReduceLROnPlateau"),
]


@pytest.mark.parametrize("make, kind, message", ERRORS, ids=[f"{i}-{m[:40]}" for i, (_, _, m) in enumerate(ERRORS)])
def test_bad_settings_are_refused_naming_the_scheduler_the_setting_and_what_is_valid(make, kind, message):
    with pytest.raises(kind, match=message):
        make(optimizer(optim))


def test_one_cycle_past_its_total_steps_raises_and_stays_at_its_last_step():
    scheduler = ours.OneCycleLR(optimizer(optim), max_lr=1.0, total_steps=3)
    for _ in range(3):
        scheduler.step()
    before = scheduler.state_dict()
    with pytest.raises(ValueError, match=r"OneCycleLR: tried to step 4 times, but total_steps is 3"):
        scheduler.step()
    assert scheduler.state_dict() == before and scheduler.last_epoch == 3


def test_one_cycle_resumes_from_the_optimizers_state_as_torch():
    torch = pytest.importorskip("torch")
    resumed = []
    for library in (optim, torch):
        S = ours if library is optim else torch.optim.lr_scheduler
        opt = optimizer(library, 2)
        scheduler = S.OneCycleLR(opt, max_lr=[1.0, 0.5], total_steps=12)
        for _ in range(5):
            opt.step(), scheduler.step()
        state = opt.state_dict()
        opt = optimizer(library, 2)
        opt.load_state_dict(state)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            resumed.append(trajectory(S.OneCycleLR(opt, max_lr=[1.0, 0.5], total_steps=12, last_epoch=4), 7))
    assert resumed[0] == resumed[1]


def test_new_schedulers_are_exported_as_torchs_names():
    torch = pytest.importorskip("torch")
    names = {"LambdaLR", "MultiplicativeLR", "StepLR", "MultiStepLR", "ConstantLR", "LinearLR", "ExponentialLR",
             "SequentialLR", "CosineAnnealingLR", "ChainedScheduler", "ReduceLROnPlateau",
             "CosineAnnealingWarmRestarts", "OneCycleLR", "PolynomialLR", "LRScheduler"}
    assert names <= set(ours.__all__) and set(ours.__all__) <= set(torch.optim.lr_scheduler.__all__)
    assert all(issubclass(getattr(ours, name), ours.LRScheduler) for name in names)


# ---- SequentialLR with a ChainedScheduler or SequentialLR inside -----------------------------------------------------
# After the first scheduler it is refused when made: it would raise a bare NotImplementedError at its milestone (from
# LRScheduler.get_lr), after training up to it, as PyTorch's does. As the first scheduler it runs as in PyTorch.
def one_rate_sgd():
    """SGD at lr 1.0 over one parameter, in one group."""
    return optim.SGD([ag.tensor(np.ones(1), requires_grad=True)], lr=1.0)


@pytest.mark.parametrize("kind", [ChainedScheduler, SequentialLR])
def test_a_combined_scheduler_after_the_first_is_refused_when_made(kind):
    opt = one_rate_sgd()
    first = StepLR(opt, 1, 0.5)
    parts = [ExponentialLR(opt, 0.9), ConstantLR(opt, 0.5, 2)]
    inner = ChainedScheduler(parts) if kind is ChainedScheduler else SequentialLR(opt, parts, milestones=[2])
    with pytest.raises(ValueError, match=rf"SequentialLR: schedulers\[1\] is a {kind.__name__}, which cannot start "
                                         r"over at its milestone .*only the first scheduler can be"):
        SequentialLR(opt, [first, inner], milestones=[2])


@pytest.mark.filterwarnings("ignore:Detected call of `lr_scheduler.step\\(\\)` before `optimizer.step\\(\\)`")
def test_a_combined_scheduler_first_still_runs_as_in_pytorch():
    opt = one_rate_sgd()
    inner = ChainedScheduler([ExponentialLR(opt, 0.5), ConstantLR(opt, 0.5, 2)])
    sched = SequentialLR(opt, [inner, StepLR(opt, 1, 0.1)], milestones=[3])
    rates = []
    for _ in range(5):
        rates.append(sched.get_last_lr()[0])
        opt.step()
        sched.step()
    assert rates == [0.25, 0.125, 0.125, 1.0, 0.1]  # (the chained schedulers' initial steps both apply at epoch 0)
    torch = pytest.importorskip("torch")
    topt = torch.optim.SGD([torch.ones(1, requires_grad=True)], lr=1.0)
    TL = torch.optim.lr_scheduler
    tsched = TL.SequentialLR(topt, [TL.ChainedScheduler([TL.ExponentialLR(topt, 0.5), TL.ConstantLR(topt, 0.5, 2)]),
                                    TL.StepLR(topt, 1, 0.1)], milestones=[3])
    expected = []
    for _ in range(5):
        expected.append(tsched.get_last_lr()[0])
        topt.step()
        tsched.step()
    np.testing.assert_allclose(rates, expected, rtol=1e-15)
