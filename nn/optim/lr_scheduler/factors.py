"""Schedulers that multiply the rate by a factor of the epoch: StepLR, MultiStepLR, ExponentialLR, ConstantLR,
LinearLR, PolynomialLR, and the user's own factor with LambdaLR and MultiplicativeLR.

Each `_lr` (which `get_lr` gives) is PyTorch's chainable form (the new rate from the current one); `_get_closed_form_lr`
is the rate from `initial_lr` at `last_epoch`, which SequentialLR uses at a milestone, as PyTorch's does.
"""
import types
from bisect import bisect_right
from collections import Counter

from ..._arguments import as_number, checked_number
from .base import LRScheduler, check_optimizer, checked_int, checked_milestones, checked_rate, per_group

__all__ = ["StepLR", "MultiStepLR", "ExponentialLR", "ConstantLR", "LinearLR", "PolynomialLR", "LambdaLR",
           "MultiplicativeLR"]


class StepLR(LRScheduler):
    """Multiply the rate by gamma every step_size epochs: lr = base_lr * gamma ** (epoch // step_size).

    >>> import autograd_core as ag
    >>> from nn.optim import SGD
    >>> from nn.optim.lr_scheduler import StepLR
    >>> opt = SGD([ag.tensor([1.0], requires_grad=True)], lr=1.0)
    >>> sched = StepLR(opt, step_size=2, gamma=0.1)
    >>> lrs = []
    >>> for epoch in range(5):
    ...     lrs.append(sched.get_last_lr()[0]); opt.step(); sched.step()
    >>> [round(lr, 6) for lr in lrs]
    [1.0, 1.0, 0.1, 0.1, 0.01]
    """

    def __init__(self, optimizer, step_size, gamma=0.1, last_epoch=-1):
        self.step_size, self.gamma = step_size, gamma
        self._check()
        super().__init__(optimizer, last_epoch)

    def _check(self):
        self.step_size = checked_int("StepLR", "step_size", self.step_size, 1, whole_floats=True)
        self.gamma = checked_rate("StepLR", "gamma", self.gamma)

    def _lr(self):
        """The rates for self.last_epoch, from the current ones (PyTorch's chainable form)."""
        at_step = self.last_epoch != 0 and self.last_epoch % self.step_size == 0
        return self._current_rates(self.gamma if at_step else None)

    def _get_closed_form_lr(self):
        return [base * self.gamma ** (self.last_epoch // self.step_size) for base in self.base_lrs]


class MultiStepLR(LRScheduler):
    """Multiply the rate by gamma at each milestone epoch: lr = base_lr * gamma ** (milestones passed).

    milestones: epochs (ints >= 0) in non-decreasing order; one given n times multiplies by gamma ** n, as in
    PyTorch.

    >>> import autograd_core as ag
    >>> from nn.optim import SGD
    >>> from nn.optim.lr_scheduler import MultiStepLR
    >>> opt = SGD([ag.tensor([1.0], requires_grad=True)], lr=1.0)
    >>> sched = MultiStepLR(opt, milestones=[2, 4], gamma=0.5)
    >>> lrs = []
    >>> for epoch in range(6):
    ...     lrs.append(sched.get_last_lr()[0]); opt.step(); sched.step()
    >>> lrs
    [1.0, 1.0, 0.5, 0.5, 0.25, 0.25]
    """

    def __init__(self, optimizer, milestones, gamma=0.1, last_epoch=-1):
        self.milestones, self.gamma = milestones, gamma
        self._check()
        super().__init__(optimizer, last_epoch)

    def _check(self):
        if isinstance(self.milestones, Counter):  # PyTorch's form (in its state dicts): each epoch and its count
            self.milestones = sorted(self.milestones.elements())
        self.milestones = checked_milestones("MultiStepLR", self.milestones, 0, strict=False)
        self.gamma = checked_rate("MultiStepLR", "gamma", self.gamma)

    def _lr(self):
        """The rates for self.last_epoch, from the current ones (PyTorch's chainable form)."""
        times = self.milestones.count(self.last_epoch)
        return self._current_rates(self.gamma ** times if times else None)

    def _get_closed_form_lr(self):
        return [base * self.gamma ** bisect_right(self.milestones, self.last_epoch) for base in self.base_lrs]


class ExponentialLR(LRScheduler):
    """Multiply the rate by gamma every epoch: lr = base_lr * gamma ** epoch.

    >>> import autograd_core as ag
    >>> from nn.optim import SGD
    >>> from nn.optim.lr_scheduler import ExponentialLR
    >>> opt = SGD([ag.tensor([1.0], requires_grad=True)], lr=1.0)
    >>> sched = ExponentialLR(opt, gamma=0.5)
    >>> opt.step(); sched.step(); opt.step(); sched.step(); sched.get_last_lr()
    [0.25]
    """

    def __init__(self, optimizer, gamma, last_epoch=-1):
        self.gamma = gamma
        self._check()
        super().__init__(optimizer, last_epoch)

    def _check(self):
        self.gamma = checked_rate("ExponentialLR", "gamma", self.gamma)

    def _lr(self):
        """The rates for self.last_epoch, from the current ones (PyTorch's chainable form)."""
        # (the constructor's step: epoch 0, or a resumed epoch whose rate is already set)
        return self._current_rates(None if self._is_initial else self.gamma)

    def _get_closed_form_lr(self):
        return [base * self.gamma ** self.last_epoch for base in self.base_lrs]


class ConstantLR(LRScheduler):
    """Multiply the rate by factor for the first total_iters epochs (a warm-up at a lower rate), then restore it:
    lr = base_lr * factor for epoch < total_iters, else base_lr.

    factor: in (0, 1] (PyTorch takes 0 too, then divides by it at total_iters); total_iters: a positive int.

    >>> import autograd_core as ag
    >>> from nn.optim import SGD
    >>> from nn.optim.lr_scheduler import ConstantLR
    >>> opt = SGD([ag.tensor([1.0], requires_grad=True)], lr=1.0)
    >>> sched = ConstantLR(opt, factor=0.5, total_iters=2)
    >>> lrs = []
    >>> for epoch in range(4):
    ...     lrs.append(sched.get_last_lr()[0]); opt.step(); sched.step()
    >>> lrs
    [0.5, 0.5, 1.0, 1.0]
    """

    def __init__(self, optimizer, factor=1.0 / 3, total_iters=5, last_epoch=-1):
        self.factor, self.total_iters = factor, total_iters
        self._check()
        super().__init__(optimizer, last_epoch)

    def _check(self):
        self.factor = checked_number(self.factor, "ConstantLR", "factor", low=0, high=1, low_open=True)
        self.total_iters = checked_int("ConstantLR", "total_iters", self.total_iters, 1)

    def _lr(self):
        """The rates for self.last_epoch, from the current ones (PyTorch's chainable form)."""
        if self.last_epoch == 0:
            return self._current_rates(self.factor)
        return self._current_rates(1.0 / self.factor if self.last_epoch == self.total_iters else None)

    def _get_closed_form_lr(self):
        return [base * (self.factor + (self.last_epoch >= self.total_iters) * (1 - self.factor))
                for base in self.base_lrs]


class LinearLR(LRScheduler):
    """Move the rate's factor linearly from start_factor to end_factor over total_iters epochs, then keep it:
    lr = base_lr * (start_factor + (end_factor - start_factor) * min(epoch, total_iters) / total_iters).

    start_factor: in (0, 1]; end_factor: in [0, 1]; total_iters: a positive int (PyTorch's ranges).

    >>> import autograd_core as ag
    >>> from nn.optim import SGD
    >>> from nn.optim.lr_scheduler import LinearLR
    >>> opt = SGD([ag.tensor([1.0], requires_grad=True)], lr=1.0)
    >>> sched = LinearLR(opt, start_factor=0.25, total_iters=3)
    >>> lrs = []
    >>> for epoch in range(5):
    ...     lrs.append(round(sched.get_last_lr()[0], 6)); opt.step(); sched.step()
    >>> lrs
    [0.25, 0.5, 0.75, 1.0, 1.0]
    """

    def __init__(self, optimizer, start_factor=1.0 / 3, end_factor=1.0, total_iters=5, last_epoch=-1):
        self.start_factor, self.end_factor, self.total_iters = start_factor, end_factor, total_iters
        self._check()
        super().__init__(optimizer, last_epoch)

    def _check(self):
        self.start_factor = checked_number(self.start_factor, "LinearLR", "start_factor", low=0, high=1,
                                           low_open=True)
        self.end_factor = checked_number(self.end_factor, "LinearLR", "end_factor", low=0, high=1)
        self.total_iters = checked_int("LinearLR", "total_iters", self.total_iters, 1)

    def _lr(self):
        """The rates for self.last_epoch, from the current ones (PyTorch's chainable form)."""
        t, start, end = self.last_epoch, self.start_factor, self.end_factor
        if t == 0:
            return self._current_rates(start)
        if self._is_initial or t > self.total_iters:
            return self._current_rates()
        # the ratio of the factors for epochs t and t - 1
        return self._current_rates(1.0 + (end - start) / (self.total_iters * start + (t - 1) * (end - start)))

    def _get_closed_form_lr(self):
        start, end = self.start_factor, self.end_factor
        return [base * (start + (end - start) * min(self.total_iters, self.last_epoch) / self.total_iters)
                for base in self.base_lrs]


class PolynomialLR(LRScheduler):
    """Decay the rate to 0 over total_iters epochs along a polynomial, then keep it:
    lr = base_lr * (1 - min(epoch, total_iters) / total_iters) ** power.

    total_iters: a positive int; power: a number >= 0.

    >>> import autograd_core as ag
    >>> from nn.optim import SGD
    >>> from nn.optim.lr_scheduler import PolynomialLR
    >>> opt = SGD([ag.tensor([1.0], requires_grad=True)], lr=1.0)
    >>> sched = PolynomialLR(opt, total_iters=4, power=2.0)
    >>> lrs = []
    >>> for epoch in range(6):
    ...     lrs.append(sched.get_last_lr()[0]); opt.step(); sched.step()
    >>> lrs
    [1.0, 0.5625, 0.25, 0.0625, 0.0, 0.0]
    """

    def __init__(self, optimizer, total_iters=5, power=1.0, last_epoch=-1):
        self.total_iters, self.power = total_iters, power
        self._check()
        super().__init__(optimizer, last_epoch)

    def _check(self):
        self.total_iters = checked_int("PolynomialLR", "total_iters", self.total_iters, 1)
        self.power = checked_number(self.power, "PolynomialLR", "power", low=0)

    def _lr(self):
        """The rates for self.last_epoch, from the current ones (PyTorch's chainable form)."""
        t, total = self.last_epoch, self.total_iters
        if self._is_initial or t > total:
            return self._current_rates()
        return self._current_rates(((1.0 - t / total) / (1.0 - (t - 1) / total)) ** self.power)

    def _get_closed_form_lr(self):
        return [base * (1.0 - min(self.total_iters, self.last_epoch) / self.total_iters) ** self.power
                for base in self.base_lrs]


def _checked_function(owner, name, value):
    if not callable(value):
        raise TypeError(f"{owner}: lr_lambda should be a function of the epoch that returns a factor, but {name} "
                        f"is {type(value).__name__}")
    return value


class _LambdaScheduler(LRScheduler):
    """What LambdaLR and MultiplicativeLR share: lr_lambda, one function for all groups or a list of one per group,
    and state dicts that hold no function (see LambdaLR)."""

    _kept_out = LRScheduler._kept_out + ("lr_lambdas",)

    def __init__(self, optimizer, lr_lambda, last_epoch=-1):
        check_optimizer(type(self).__name__, optimizer)
        self.lr_lambdas = per_group(type(self).__name__, "lr_lambda", lr_lambda, optimizer, _checked_function)
        super().__init__(optimizer, last_epoch)

    def _factor(self, i, epoch):
        """lr_lambdas[i](epoch), refused unless it is a number (a 0-d array or Tensor becomes a float)."""
        factor = self.lr_lambdas[i](epoch)
        if isinstance(factor, (int, float)) and not isinstance(factor, bool):
            return factor
        number = as_number(factor)
        if number is None:
            raise TypeError(f"{type(self).__name__}: lr_lambda returned {factor!r:.80} for epoch {epoch}; it must "
                            f"return a number, the factor of the rate")
        return number

    def _extra_state(self):
        # PyTorch's form: None for a function (code, not data), the attributes of a callable object
        return {"lr_lambdas": [None if isinstance(fn, (types.FunctionType, types.MethodType)) or
                               not hasattr(fn, "__dict__") else dict(fn.__dict__) for fn in self.lr_lambdas]}

    def _load_extra_state(self, state_dict):
        saved = state_dict.get("lr_lambdas", [None] * len(self.lr_lambdas))
        name = type(self).__name__
        if not isinstance(saved, (list, tuple)) or len(saved) != len(self.lr_lambdas) or \
                not all(entry is None or isinstance(entry, dict) for entry in saved):
            raise ValueError(f"{name}.load_state_dict: lr_lambdas must be a list of {len(self.lr_lambdas)} entries, "
                             f"None or a dict of a callable's attributes, got {saved!r:.80}")
        for fn, attributes in zip(self.lr_lambdas, saved):
            if attributes is not None:
                fn.__dict__.update(attributes)


class LambdaLR(_LambdaScheduler):
    """lr = base_lr * lr_lambda(epoch): lr_lambda is a function of the epoch, or a list of one per parameter group.

    state_dict() does not store the functions, as PyTorch's does not (code is no data nn.save writes): its
    "lr_lambdas" entry holds None for a function or lambda and a copy of the attributes of a callable object,
    which load_state_dict() sets back on this scheduler's own callables. Make the scheduler with the same
    functions, then load the state.

    >>> import autograd_core as ag
    >>> from nn.optim import SGD
    >>> from nn.optim.lr_scheduler import LambdaLR
    >>> opt = SGD([ag.tensor([1.0], requires_grad=True)], lr=1.0)
    >>> sched = LambdaLR(opt, lr_lambda=lambda epoch: 1 / (1 + epoch))
    >>> opt.step(); sched.step(); opt.step(); sched.step()
    >>> sched.get_last_lr(), sched.state_dict()["lr_lambdas"]
    ([0.3333333333333333], [None])
    """

    def _lr(self):
        """The rates for self.last_epoch, from initial_lr."""
        return [base * self._factor(i, self.last_epoch) for i, base in enumerate(self.base_lrs)]


class MultiplicativeLR(_LambdaScheduler):
    """Multiply the rate by lr_lambda(epoch) at each step after the first (epoch >= 1): lr_lambda is a function of
    the epoch, or a list of one per parameter group. The functions are not in state_dict() (see LambdaLR).

    >>> import autograd_core as ag
    >>> from nn.optim import SGD
    >>> from nn.optim.lr_scheduler import MultiplicativeLR
    >>> opt = SGD([ag.tensor([1.0], requires_grad=True)], lr=1.0)
    >>> sched = MultiplicativeLR(opt, lr_lambda=lambda epoch: 0.5)
    >>> opt.step(); sched.step(); opt.step(); sched.step(); sched.get_last_lr()
    [0.25]
    """

    def _lr(self):
        """The rates for self.last_epoch, from the current ones."""
        if self._is_initial:
            return self._current_rates()
        self._check_group_count(len(self.lr_lambdas))
        return [group["lr"] * self._factor(i, self.last_epoch) for i, group in enumerate(self.optimizer.param_groups)]
