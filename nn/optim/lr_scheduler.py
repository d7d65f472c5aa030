"""Learning-rate schedulers with PyTorch's semantics: StepLR, ExponentialLR, CosineAnnealingLR.

A scheduler edits `group["lr"]` of its optimizer. Creating it records each group's
`initial_lr` and sets epoch 0; call `step()` once after each epoch (after
`optimizer.step()`). Like PyTorch's, each `step()` computes the new rate from the
current one (the "chainable" form), so a rate changed by hand is carried along; the
closed forms in the docstrings give the same values up to rounding.

Resuming with `last_epoch=k` (k >= 0) needs `initial_lr` in every group (restore the
optimizer's state dict first). As in PyTorch, the constructor's own step then moves to
epoch k + 1 and keeps each group's current rate (ExponentialLR, CosineAnnealingLR; StepLR
decays it if k + 1 is a multiple of step_size); later steps continue from there.
"""
import math
from collections.abc import Mapping

from .._arguments import checked_number

__all__ = ["LRScheduler", "StepLR", "ExponentialLR", "CosineAnnealingLR"]


def _checked_int(owner, name, value, least):
    """value as a Python int >= least (np.integer too; not bool, whose True would silently mean 1)."""
    return checked_number(value, owner, name, low=least, integer=True)


def _checked_rate(owner, name, value):
    """value as a float >= 0: gamma and eta_min multiply or bound a learning rate, which must stay >= 0."""
    return checked_number(value, owner, name, low=0)


class LRScheduler:
    """Base class: subclasses implement `get_lr()` (the rates for `self.last_epoch`).

    >>> import autograd_core as ag
    >>> from nn.optim import SGD
    >>> from nn.optim.lr_scheduler import LRScheduler
    >>> class Halve(LRScheduler):
    ...     def get_lr(self):
    ...         return [base * 0.5 ** self.last_epoch for base in self.base_lrs]
    >>> sched = Halve(SGD([ag.tensor([1.0], requires_grad=True)], lr=1.0))
    >>> sched.step(); sched.get_last_lr(), sched.last_epoch
    ([0.5], 1)
    """

    _is_initial = False  # True only during the constructor's step (PyTorch's _initial_mode)

    def __init__(self, optimizer, last_epoch=-1):
        if not hasattr(optimizer, "param_groups"):
            raise TypeError(f"{type(self).__name__}: expected an optimizer with param_groups, "
                            f"got {type(optimizer).__name__}")
        self.optimizer = optimizer
        last_epoch = _checked_int(type(self).__name__, "last_epoch", last_epoch, -1)
        if last_epoch == -1:
            for group in optimizer.param_groups:
                group.setdefault("initial_lr", group["lr"])
        elif any("initial_lr" not in group for group in optimizer.param_groups):
            raise KeyError(f"{type(self).__name__}: resuming at last_epoch={last_epoch} needs 'initial_lr' in "
                           "every parameter group (restore the optimizer's state dict first)")
        self.base_lrs = [group["initial_lr"] for group in optimizer.param_groups]
        self.last_epoch = last_epoch
        self._step_count = 0
        self._is_initial = True
        try:
            self.step()
        finally:
            self._is_initial = False

    def get_lr(self):
        """The rates for self.last_epoch, one per parameter group (what step() writes); see the class example."""
        raise NotImplementedError

    def _check(self):
        """Validate the subclass's settings (step_size, gamma, ...); also run when a state dict is loaded."""

    def step(self):
        """Advance one epoch and write the new rates into the optimizer's groups (after optimizer.step()).

        >>> import autograd_core as ag
        >>> from nn.optim import SGD
        >>> from nn.optim.lr_scheduler import ExponentialLR
        >>> opt = SGD([ag.tensor([1.0], requires_grad=True)], lr=1.0)
        >>> sched = ExponentialLR(opt, gamma=0.5)
        >>> sched.step(); opt.param_groups[0]["lr"], sched.last_epoch
        (0.5, 1)
        """
        self._step_count += 1
        self.last_epoch += 1
        for group, lr in zip(self.optimizer.param_groups, self.get_lr()):
            group["lr"] = lr
        self._last_lr = [group["lr"] for group in self.optimizer.param_groups]

    def get_last_lr(self):
        """The rates set by the last step(), one per parameter group.

        >>> import autograd_core as ag
        >>> from nn.optim import SGD
        >>> from nn.optim.lr_scheduler import StepLR
        >>> StepLR(SGD([ag.tensor([1.0], requires_grad=True)], lr=0.1), step_size=2).get_last_lr()
        [0.1]
        """
        return list(self._last_lr)

    def state_dict(self):
        """Everything but the optimizer (numbers and lists of numbers), saveable with nn.save.

        >>> import autograd_core as ag
        >>> from nn.optim import SGD
        >>> from nn.optim.lr_scheduler import StepLR
        >>> state = StepLR(SGD([ag.tensor([1.0], requires_grad=True)], lr=0.1), step_size=2).state_dict()
        >>> state["step_size"], state["last_epoch"]
        (2, 0)
        """
        return {k: (list(v) if isinstance(v, list) else v) for k, v in self.__dict__.items() if k != "optimizer"}

    def load_state_dict(self, state_dict):
        """Restore what state_dict() returned, checked as the constructor checks its arguments.

        >>> import autograd_core as ag
        >>> from nn.optim import SGD
        >>> from nn.optim.lr_scheduler import StepLR
        >>> opt = SGD([ag.tensor([1.0], requires_grad=True)], lr=0.1)
        >>> saved = StepLR(opt, step_size=5).state_dict()
        >>> sched = StepLR(opt, step_size=2); sched.load_state_dict(saved); sched.step_size
        5
        """
        name = type(self).__name__
        if not isinstance(state_dict, Mapping):
            raise TypeError(f"{name}.load_state_dict: expected a dict from state_dict(), got "
                            f"{type(state_dict).__name__}")
        unexpected = sorted(map(str, set(state_dict) - set(self.state_dict())))
        if unexpected:
            raise KeyError(f"{name}.load_state_dict: unexpected keys {unexpected}; a {name}'s state dict holds "
                           f"{sorted(self.state_dict())}")
        before = dict(self.__dict__)
        self.__dict__.update({k: (list(v) if isinstance(v, (list, tuple)) else v) for k, v in state_dict.items()})
        try:
            self._check()
        except Exception:  # ValueError out of range, TypeError for no number: the scheduler stays as it was
            self.__dict__ = before
            raise


class StepLR(LRScheduler):
    """Multiply the rate by gamma every step_size epochs: lr = base_lr * gamma ** (epoch // step_size).

    >>> import autograd_core as ag
    >>> from nn.optim import SGD
    >>> from nn.optim.lr_scheduler import StepLR
    >>> opt = SGD([ag.tensor([1.0], requires_grad=True)], lr=1.0)
    >>> sched = StepLR(opt, step_size=2, gamma=0.1)
    >>> lrs = []
    >>> for epoch in range(5):
    ...     lrs.append(sched.get_last_lr()[0]); sched.step()
    >>> [round(lr, 6) for lr in lrs]
    [1.0, 1.0, 0.1, 0.1, 0.01]
    """

    def __init__(self, optimizer, step_size, gamma=0.1, last_epoch=-1):
        self.step_size, self.gamma = step_size, gamma
        self._check()
        super().__init__(optimizer, last_epoch)

    def _check(self):
        self.step_size = _checked_int("StepLR", "step_size", self.step_size, 1)
        self.gamma = _checked_rate("StepLR", "gamma", self.gamma)

    def get_lr(self):
        """The rates for self.last_epoch, from the current ones (PyTorch's chainable form)."""
        groups = self.optimizer.param_groups
        if self.last_epoch == 0 or self.last_epoch % self.step_size != 0:
            return [group["lr"] for group in groups]
        return [group["lr"] * self.gamma for group in groups]


class ExponentialLR(LRScheduler):
    """Multiply the rate by gamma every epoch: lr = base_lr * gamma ** epoch.

    >>> import autograd_core as ag
    >>> from nn.optim import SGD
    >>> from nn.optim.lr_scheduler import ExponentialLR
    >>> opt = SGD([ag.tensor([1.0], requires_grad=True)], lr=1.0)
    >>> sched = ExponentialLR(opt, gamma=0.5)
    >>> sched.step(); sched.step(); sched.get_last_lr()
    [0.25]
    """

    def __init__(self, optimizer, gamma, last_epoch=-1):
        self.gamma = gamma
        self._check()
        super().__init__(optimizer, last_epoch)

    def _check(self):
        self.gamma = _checked_rate("ExponentialLR", "gamma", self.gamma)

    def get_lr(self):
        """The rates for self.last_epoch, from the current ones (PyTorch's chainable form)."""
        groups = self.optimizer.param_groups
        if self._is_initial:  # the constructor's step: epoch 0, or a resumed epoch whose rate is already set
            return [group["lr"] for group in groups]
        return [group["lr"] * self.gamma for group in groups]


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
    ...     lrs.append(round(sched.get_last_lr()[0], 4)); sched.step()
    >>> lrs
    [1.0, 0.8536, 0.5, 0.1464, 0.0]
    """

    def __init__(self, optimizer, T_max, eta_min=0.0, last_epoch=-1):
        self.T_max, self.eta_min = T_max, eta_min
        self._check()
        super().__init__(optimizer, last_epoch)

    def _check(self):
        self.T_max = _checked_int("CosineAnnealingLR", "T_max", self.T_max, 1)
        self.eta_min = _checked_rate("CosineAnnealingLR", "eta_min", self.eta_min)

    def get_lr(self):
        """The rates for self.last_epoch, from the current ones (PyTorch's chainable form)."""
        groups, t, T, eta_min = self.optimizer.param_groups, self.last_epoch, self.T_max, self.eta_min
        if self._is_initial:  # the constructor's step: epoch 0, or a resumed epoch whose rate is already set
            return [group["lr"] for group in groups]
        if (t - 1 - T) % (2 * T) == 0:  # at the bottom of the cosine the ratio below is 0/0
            return [group["lr"] + (base - eta_min) * (1 - math.cos(math.pi / T)) / 2
                    for base, group in zip(self.base_lrs, groups)]
        return [(1 + math.cos(math.pi * t / T)) / (1 + math.cos(math.pi * (t - 1) / T)) * (group["lr"] - eta_min)
                + eta_min for group in groups]
