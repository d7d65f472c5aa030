"""Schedulers along curves that return: CosineAnnealingLR, CosineAnnealingWarmRestarts (SGDR) and OneCycleLR."""
import math
from collections.abc import Mapping

import numpy as np

from ..._arguments import as_flag, checked_number
from .base import LRScheduler, check_optimizer, checked_int, checked_rate, per_group

__all__ = ["CosineAnnealingLR", "CosineAnnealingWarmRestarts", "OneCycleLR"]


class CosineAnnealingLR(LRScheduler):
    """Cosine annealing from base_lr down to eta_min over T_max epochs, then back up (period 2 T_max):
    lr = eta_min + (base_lr - eta_min) * (1 + cos(pi * epoch / T_max)) / 2.

    >>> import autograd_core as ag
    >>> from nn.optim import SGD
    >>> from nn.optim.lr_scheduler import CosineAnnealingLR
    >>> opt = SGD([ag.tensor([1.0], requires_grad=True)], lr=1.0)
    >>> sched = CosineAnnealingLR(opt, T_max=4)
    >>> lrs = []
    >>> for epoch in range(5):
    ...     lrs.append(round(sched.get_last_lr()[0], 4)); opt.step(); sched.step()
    >>> lrs
    [1.0, 0.8536, 0.5, 0.1464, 0.0]
    """

    def __init__(self, optimizer, T_max, eta_min=0.0, last_epoch=-1):
        self.T_max, self.eta_min = T_max, eta_min
        self._check()
        super().__init__(optimizer, last_epoch)

    def _check(self):
        self.T_max = checked_int("CosineAnnealingLR", "T_max", self.T_max, 1)
        self.eta_min = checked_rate("CosineAnnealingLR", "eta_min", self.eta_min)

    def _lr(self):
        """The rates for self.last_epoch, from the current ones (PyTorch's chainable form)."""
        groups, t, T, eta_min = self.optimizer.param_groups, self.last_epoch, self.T_max, self.eta_min
        if self._is_initial:  # the constructor's step: epoch 0, or a resumed epoch whose rate is already set
            return self._current_rates()
        if (t - 1 - T) % (2 * T) == 0:  # at the bottom of the cosine the ratio below is 0/0
            return [group["lr"] + (base - eta_min) * (1 - math.cos(math.pi / T)) / 2
                    for base, group in zip(self.base_lrs, groups)]
        return [(1 + math.cos(math.pi * t / T)) / (1 + math.cos(math.pi * (t - 1) / T)) * (group["lr"] - eta_min)
                + eta_min for group in groups]

    def _get_closed_form_lr(self):
        return [_cosine(base, self.eta_min, self.last_epoch, self.T_max) for base in self.base_lrs]


def _cosine(top, bottom, position, length=1):
    """The rate at position of length down half a cosine from top to bottom (PyTorch's order of operations)."""
    return bottom + (top - bottom) * (1 + math.cos(math.pi * position / length)) / 2


class CosineAnnealingWarmRestarts(LRScheduler):
    """Cosine annealing from base_lr towards eta_min, restarting at base_lr after T_0 epochs, then after
    T_0 * T_mult, T_0 * T_mult ** 2, ... (SGDR, Loshchilov and Hutter 2017):
    lr = eta_min + (base_lr - eta_min) * (1 + cos(pi * T_cur / T_i)) / 2, T_cur the epochs since the last restart
    and T_i the length of the current cycle.

    step() advances one epoch; step(epoch) jumps to `epoch`, which may be fractional (step(epoch + i / batches)
    after each of an epoch's batches), and the steps after it continue from there, as in PyTorch.
    T_0: a positive int; T_mult: an int >= 1; eta_min: a number >= 0.

    >>> import autograd_core as ag
    >>> from nn.optim import SGD
    >>> from nn.optim.lr_scheduler import CosineAnnealingWarmRestarts
    >>> opt = SGD([ag.tensor([1.0], requires_grad=True)], lr=1.0)
    >>> sched = CosineAnnealingWarmRestarts(opt, T_0=2, T_mult=2)
    >>> lrs = []
    >>> for epoch in range(7):
    ...     lrs.append(round(sched.get_last_lr()[0], 4)); opt.step(); sched.step()
    >>> lrs
    [1.0, 0.5, 1.0, 0.8536, 0.5, 0.1464, 1.0]
    >>> sched.step(2.5); round(sched.get_last_lr()[0], 4)
    0.9619
    """

    def __init__(self, optimizer, T_0, T_mult=1, eta_min=0.0, last_epoch=-1):
        self.T_0, self.T_mult, self.eta_min = T_0, T_mult, eta_min
        self.T_i, self.T_cur = T_0, last_epoch
        self._check()
        super().__init__(optimizer, last_epoch)

    def _check(self):
        name = "CosineAnnealingWarmRestarts"
        self.T_0 = checked_int(name, "T_0", self.T_0, 1)
        self.T_mult = checked_int(name, "T_mult", self.T_mult, 1)
        self.eta_min = checked_rate(name, "eta_min", self.eta_min)
        self.T_i = checked_int(name, "T_i", self.T_i, 1)
        checked_number(self.T_cur, name, "T_cur", low=-1)

    def _lr(self):
        """The rates for the current position in the cycle (T_cur of T_i epochs), from initial_lr."""
        return [_cosine(base, self.eta_min, self.T_cur, self.T_i) for base in self.base_lrs]

    def step(self, epoch=None):
        """Advance one epoch (epoch=None), or go to `epoch`, a number >= 0 (fractional too), and set its rates.

        >>> import autograd_core as ag
        >>> from nn.optim import SGD
        >>> from nn.optim.lr_scheduler import CosineAnnealingWarmRestarts
        >>> opt = SGD([ag.tensor([1.0], requires_grad=True)], lr=1.0)
        >>> sched = CosineAnnealingWarmRestarts(opt, T_0=4)
        >>> sched.step(6); sched.get_last_lr(), sched.T_cur, sched.last_epoch
        ([0.5], 2, 6)
        """
        self._check_group_count(len(self.base_lrs))  # (before T_cur and T_i move)
        if epoch is None and self.last_epoch < 0:
            epoch = 0
        if epoch is None:
            epoch = self.last_epoch + 1
            self.T_cur = self.T_cur + 1
            if self.T_cur >= self.T_i:  # a restart
                self.T_cur, self.T_i = self.T_cur % self.T_i, self.T_i * self.T_mult
        else:
            number = checked_number(epoch, "CosineAnnealingWarmRestarts.step", "epoch", low=0, plain=True)
            epoch = int(epoch) if isinstance(epoch, (int, np.integer)) else number
            self.T_i, self.T_cur = self._cycle_at(epoch)
        self.last_epoch = math.floor(epoch)
        self._step_count += 1
        self._set_lrs(self._rates())

    def _cycle_at(self, epoch):
        """(T_i, T_cur) at `epoch`: cycle n starts at epoch T_0 (T_mult ** n - 1) / (T_mult - 1) and lasts
        T_0 T_mult ** n epochs."""
        T_0, T_mult = self.T_0, self.T_mult
        if epoch < T_0:
            return T_0, epoch
        if T_mult == 1:
            return T_0, epoch % T_0
        n = int(math.log(epoch / T_0 * (T_mult - 1) + 1, T_mult))
        # The logarithm rounds down at some restarts (log(243, 3) is 4.999...), where PyTorch's T_cur is then a
        # whole cycle, the rate eta_min; the cycle is corrected here, so a restart always starts at base_lr.
        while T_0 * (T_mult ** (n + 1) - 1) // (T_mult - 1) <= epoch:
            n += 1
        while n > 0 and T_0 * (T_mult ** n - 1) // (T_mult - 1) > epoch:
            n -= 1
        return T_0 * T_mult ** n, epoch - T_0 * (T_mult ** n - 1) / (T_mult - 1)


class CycledMomentum:
    """What the schedulers that cycle the momentum share (OneCycleLR, CyclicLR): SGD's momentum, or the beta1 of an
    optimizer with betas (use_beta1: Adam's), checked and set."""

    def _checked_momentum(self, owner, name, value):
        """A momentum >= 0 (SGD takes any), or a beta1 in [0, 1) for an optimizer with betas (Adam's range)."""
        return checked_number(value, owner, name, low=0, high=1 if self.use_beta1 else None,
                              high_open=self.use_beta1)

    def _set_momentum(self, group, momentum):
        if self.use_beta1:
            group["betas"] = (momentum, *group["betas"][1:])
        else:
            group["momentum"] = momentum


class OneCycleLR(CycledMomentum, LRScheduler):
    """The 1cycle policy (Smith and Topin 2017), stepped after every batch: the rate rises from max_lr / div_factor
    to max_lr over the first pct_start of total_steps, then falls to max_lr / (div_factor * final_div_factor);
    with three_phase, it falls back to max_lr / div_factor over as many steps as it rose, then to the minimum.
    anneal_strategy: "cos" or "linear", the shape of each phase.

    total_steps, or epochs and steps_per_epoch (total_steps = epochs * steps_per_epoch). max_lr, base_momentum and
    max_momentum: a number, or a list of one per parameter group. With cycle_momentum, the momentum (SGD's
    momentum, or beta1 of Adam's betas) moves inversely to the rate, between max_momentum and base_momentum.
    Each group keeps initial_lr, max_lr, min_lr (and max_momentum, base_momentum) as PyTorch's does, so the
    optimizer's state dict holds them for resuming with last_epoch.

    >>> import autograd_core as ag
    >>> from nn.optim import SGD
    >>> from nn.optim.lr_scheduler import OneCycleLR
    >>> opt = SGD([ag.tensor([1.0], requires_grad=True)], lr=0.1, momentum=0.9)
    >>> sched = OneCycleLR(opt, max_lr=1.0, total_steps=5, pct_start=0.4, anneal_strategy="linear",
    ...                    div_factor=10, final_div_factor=100)
    >>> rates = []
    >>> for step in range(5):
    ...     rates.append((round(sched.get_last_lr()[0], 4), round(opt.param_groups[0]["momentum"], 4)))
    ...     opt.step(); sched.step()
    >>> rates
    [(0.1, 0.95), (1.0, 0.85), (0.667, 0.8833), (0.334, 0.9167), (0.001, 0.95)]
    """

    def __init__(self, optimizer, max_lr, total_steps=None, epochs=None, steps_per_epoch=None, pct_start=0.3,
                 anneal_strategy="cos", cycle_momentum=True, base_momentum=0.85, max_momentum=0.95,
                 div_factor=25.0, final_div_factor=1e4, three_phase=False, last_epoch=-1):
        name = "OneCycleLR"
        check_optimizer(name, optimizer)
        if total_steps is None:
            if epochs is None or steps_per_epoch is None:
                raise ValueError(f"{name}: pass total_steps, or epochs and steps_per_epoch (total_steps is then "
                                 f"epochs * steps_per_epoch); got epochs={epochs!r}, steps_per_epoch="
                                 f"{steps_per_epoch!r}")
            total_steps = checked_int(name, "epochs", epochs, 1) * checked_int(name, "steps_per_epoch",
                                                                             steps_per_epoch, 1)
        self.total_steps, self.pct_start, self.anneal_strategy = total_steps, pct_start, anneal_strategy
        self.three_phase, self.cycle_momentum = three_phase, cycle_momentum
        self._check()
        max_lrs = per_group(name, "max_lr", max_lr, optimizer, _checked_positive)
        div_factor = _checked_positive(name, "div_factor", div_factor)
        final_div_factor = _checked_positive(name, "final_div_factor", final_div_factor)
        self.use_beta1 = "betas" in optimizer.defaults
        if self.cycle_momentum and not self.use_beta1 and "momentum" not in optimizer.defaults:
            raise ValueError(f"{name}: cycle_momentum=True cycles the momentum of SGD or RMSprop, or beta1 of "
                             f"Adam's betas; {type(optimizer).__name__} has neither: pass cycle_momentum=False")
        momenta = [per_group(name, key, value, optimizer, self._checked_momentum)
                   for key, value in (("max_momentum", max_momentum), ("base_momentum", base_momentum))]
        kept = ["initial_lr", "max_lr", "min_lr"] + ["max_momentum", "base_momentum"] * self.cycle_momentum
        if checked_int(name, "last_epoch", last_epoch, -1) == -1:
            for group, top, high, low in zip(optimizer.param_groups, max_lrs, *momenta):
                group.update(initial_lr=top / div_factor, max_lr=top)
                group["min_lr"] = group["initial_lr"] / final_div_factor
                if self.cycle_momentum:
                    self._set_momentum(group, high)
                    group.update(max_momentum=high, base_momentum=low)
        else:
            missing = sorted({key for group in optimizer.param_groups for key in kept if key not in group})
            if missing:
                raise KeyError(f"{name}: resuming at last_epoch={last_epoch} needs {missing} in every parameter "
                               f"group (restore the optimizer's state dict first)")
        super().__init__(optimizer, last_epoch)

    def _check(self):
        name = "OneCycleLR"
        self.total_steps = checked_int(name, "total_steps", self.total_steps, 1)
        self.pct_start = checked_number(self.pct_start, name, "pct_start", low=0, high=1)
        if self.anneal_strategy not in ("cos", "linear"):
            raise (ValueError if isinstance(self.anneal_strategy, str) else TypeError)(
                f"{name}: anneal_strategy must be 'cos' or 'linear', got {self.anneal_strategy!r}")
        self.three_phase = as_flag(self.three_phase, name, "three_phase")
        self.cycle_momentum = as_flag(self.cycle_momentum, name, "cycle_momentum")

    @staticmethod
    def _annealing_cos(start, end, pct):
        """PyTorch's cosine shape: from start at pct 0 to end at pct 1 (its name, which its older state dicts name
        as their anneal_func)."""
        return _cosine(start, end, pct)

    @staticmethod
    def _annealing_linear(start, end, pct):
        """PyTorch's linear shape: from start at pct 0 to end at pct 1."""
        return _linear(start, end, pct)

    def load_state_dict(self, state_dict):
        """As LRScheduler.load_state_dict; a state dict saved by PyTorch's OneCycleLR, which holds the phases
        (_schedule_phases) and the shape's name (_anneal_func_type) for pct_start, three_phase and anneal_strategy,
        is read as those; PyTorch's older ones, which hold the shape's function (anneal_func), too."""
        if isinstance(state_dict, Mapping) and "anneal_func" in state_dict:
            state_dict = dict(state_dict)
            shape = _legacy_shape(state_dict.pop("anneal_func"))
            state_dict.setdefault("_anneal_func_type" if "_schedule_phases" in state_dict else "anneal_strategy",
                                  shape)
        if isinstance(state_dict, Mapping) and "_schedule_phases" in state_dict:
            state_dict = dict(state_dict)
            phases, shape = state_dict.pop("_schedule_phases"), state_dict.pop("_anneal_func_type", None)
            total = state_dict.get("total_steps", self.total_steps)
            try:
                end = phases[0]["end_step"]
                state_dict.update(pct_start=(end + 1) / total, three_phase=len(phases) == 3, anneal_strategy=shape)
            except (TypeError, KeyError, IndexError, ZeroDivisionError) as err:
                raise ValueError(f"OneCycleLR.load_state_dict: PyTorch's _schedule_phases must be a list of 2 or 3 "
                                 f"phases, the first with its end_step, and total_steps a positive int; got "
                                 f"{phases!r:.80} and total_steps={total!r}") from err
        super().load_state_dict(state_dict)

    def _phases(self):
        """(last step, rate from, rate to, momentum from, momentum to) of each phase, the rates and momenta named by
        their keys in a parameter group; PyTorch's phases, to the step."""
        rise = (float(self.pct_start * self.total_steps) - 1, "initial_lr", "max_lr", "max_momentum", "base_momentum")
        if not self.three_phase:
            return [rise, (self.total_steps - 1, "max_lr", "min_lr", "base_momentum", "max_momentum")]
        return [rise, (float(2 * self.pct_start * self.total_steps) - 2, "max_lr", "initial_lr", "base_momentum",
                       "max_momentum"),
                (self.total_steps - 1, "initial_lr", "min_lr", "max_momentum", "max_momentum")]

    def _lr(self):
        """The rates for step self.last_epoch, from each group's initial_lr, max_lr and min_lr; with cycle_momentum,
        sets each group's momentum (or beta1) too."""
        step = self.last_epoch
        self._check_group_count(len(self.base_lrs))  # (a group added since has no max_lr, before a momentum is set)
        if step > self.total_steps:
            raise ValueError(f"OneCycleLR: tried to step {step} times, but total_steps is {self.total_steps}; "
                             f"make the scheduler with the number of steps (batches) you will take")
        phases, start = self._phases(), 0.0
        for i, (end, *keys) in enumerate(phases):
            if step <= end or i == len(phases) - 1:
                break
            start = end
        if end == start:  # (PyTorch divides by zero)
            raise ValueError(f"OneCycleLR: pct_start={self.pct_start} with total_steps={self.total_steps} leaves "
                             f"step {step} in a phase of no length (from step {start:g} to {end:g}); choose "
                             f"another pct_start")
        fraction = (step - start) / (end - start)
        anneal = _cosine if self.anneal_strategy == "cos" else _linear
        rate_from, rate_to, momentum_from, momentum_to = keys
        for group in self.optimizer.param_groups if self.cycle_momentum else ():
            self._set_momentum(group, anneal(group[momentum_from], group[momentum_to], fraction))
        return [anneal(group[rate_from], group[rate_to], fraction) for group in self.optimizer.param_groups]


def _legacy_shape(function):
    """The anneal_strategy of PyTorch's older OneCycleLR state dicts, which hold the shape's function (its
    _annealing_cos or _annealing_linear, or ours), from the function's name."""
    shape = {"_annealing_cos": "cos", "_annealing_linear": "linear"}.get(getattr(function, "__name__", None))
    if shape is None:
        raise ValueError(f"OneCycleLR.load_state_dict: anneal_func must be OneCycleLR._annealing_cos or "
                         f"_annealing_linear (PyTorch's older state dicts), got {function!r:.80}")
    return shape


def _checked_positive(owner, name, value):
    return checked_number(value, owner, name, low=0, low_open=True)


def _linear(start, end, fraction):
    """The value a fraction of the way from start to end (PyTorch's order of operations)."""
    return (end - start) * fraction + start
