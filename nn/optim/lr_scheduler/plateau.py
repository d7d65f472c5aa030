"""ReduceLROnPlateau: lower the rate when a watched quantity (a validation loss, say) stops improving."""
import math
import warnings

import numpy as np

from autograd_core import Tensor

from ..._arguments import as_number, checked_number
from .base import EPOCH_DEPRECATION_WARNING, LRScheduler, check_optimizer, checked_int, checked_rate, per_group

__all__ = ["ReduceLROnPlateau"]


class ReduceLROnPlateau(LRScheduler):
    """Multiply the rate by factor once the metric passed to step(metrics) has not improved for more than patience
    steps, then wait cooldown steps before counting again; the rate never goes below min_lr, and a change smaller
    than eps is not made. PyTorch's arguments and rules:

    - mode: "min" (a loss: improving is decreasing) or "max" (an accuracy);
    - threshold_mode: "rel" (improving means below best * (1 - threshold) in "min" mode, above
      best * (1 + threshold) in "max" mode) or "abs" (below best - threshold, above best + threshold);
    - factor: in [0, 1); patience, cooldown: ints >= 0; threshold, eps: numbers >= 0;
    - min_lr: a number >= 0, or a list of one per parameter group.

    A metric that is NaN is never an improvement. get_last_lr() and state_dict() work as for the other schedulers.

    >>> import autograd_core as ag
    >>> from nn.optim import SGD
    >>> from nn.optim.lr_scheduler import ReduceLROnPlateau
    >>> opt = SGD([ag.tensor([1.0], requires_grad=True)], lr=1.0)
    >>> sched = ReduceLROnPlateau(opt, factor=0.5, patience=1)
    >>> for val_loss in [3.0, 2.0, 2.0, 2.0, 2.0, 1.0]:
    ...     sched.step(val_loss); print(sched.get_last_lr()[0], end=" ")
    1.0 1.0 1.0 0.5 0.5 0.5
    """

    def __init__(self, optimizer, mode="min", factor=0.1, patience=10, threshold=1e-4, threshold_mode="rel",
                 cooldown=0, min_lr=0, eps=1e-8):
        name = "ReduceLROnPlateau"
        check_optimizer(name, optimizer)
        self.optimizer = optimizer
        self.mode, self.factor, self.patience, self.cooldown = mode, factor, patience, cooldown
        self.threshold, self.threshold_mode, self.eps = threshold, threshold_mode, eps
        if isinstance(min_lr, (list, tuple)):
            self.default_min_lr, self.min_lrs = None, per_group(name, "min_lr", min_lr, optimizer, checked_rate)
        else:
            self.default_min_lr = checked_rate(name, "min_lr", min_lr)
            self.min_lrs = [self.default_min_lr] * len(optimizer.param_groups)
        self._check()
        self.last_epoch = 0
        self._last_lr = self._current_rates()
        self._reset()

    def _check(self):
        name = "ReduceLROnPlateau"
        for setting, valid in (("mode", ("min", "max")), ("threshold_mode", ("rel", "abs"))):
            value = getattr(self, setting)
            if value not in valid:
                raise (ValueError if isinstance(value, str) else TypeError)(
                    f"{name}: {setting} must be {valid[0]!r} or {valid[1]!r}, got {value!r}")
        self.factor = checked_number(self.factor, name, "factor", low=0, high=1, high_open=True)
        self.patience = checked_int(name, "patience", self.patience, 0)
        self.cooldown = checked_int(name, "cooldown", self.cooldown, 0)
        self.threshold = checked_rate(name, "threshold", self.threshold)
        self.eps = checked_rate(name, "eps", self.eps)
        self.min_lrs = [checked_rate(name, f"min_lr[{i}]", value) for i, value in enumerate(self.min_lrs)]
        if self.default_min_lr is not None:
            self.default_min_lr = checked_rate(name, "min_lr", self.default_min_lr)
        self.mode_worse = math.inf if self.mode == "min" else -math.inf

    def _reset(self):
        """Forget the best metric and the bad and cooldown epochs counted (PyTorch's method, which training code
        calls after changing the rate itself)."""
        self.best, self.cooldown_counter, self.num_bad_epochs = self.mode_worse, 0, 0

    @property
    def in_cooldown(self):
        """Whether the scheduler is waiting after a reduction (bad epochs are not counted then)."""
        return self.cooldown_counter > 0

    def step(self, metrics, epoch=None):
        """Take the metric of the epoch just finished (a number, or a Tensor of one element such as a loss), and
        reduce the rates if it has not improved for more than patience epochs (outside a cooldown). epoch
        (deprecated in PyTorch, which warns as here): the epoch number to record, an int >= 0, in place of the next."""
        value = metrics.detach() if isinstance(metrics, Tensor) else metrics
        if isinstance(value, (Tensor, np.ndarray)) and value.size == 1:  # a loss of shape (1,) too, as float() takes
            value = value.reshape(())
        current = as_number(value)
        if current is None:
            raise TypeError(f"ReduceLROnPlateau.step: metrics must be a number (the quantity watched, a validation "
                            f"loss say), got {metrics!r:.80}")
        if epoch is None:
            self.last_epoch += 1
        else:
            self.last_epoch = checked_int("ReduceLROnPlateau.step", "epoch", epoch, 0)
            warnings.warn(EPOCH_DEPRECATION_WARNING, UserWarning, stacklevel=2)
        if self._is_better(current, self.best):
            self.best, self.num_bad_epochs = current, 0
        else:
            self.num_bad_epochs += 1
        if self.in_cooldown:  # bad epochs in the cooldown are not counted
            self.cooldown_counter -= 1
            self.num_bad_epochs = 0
        if self.num_bad_epochs > self.patience:
            self._reduce_lr(self.last_epoch)
            self.cooldown_counter, self.num_bad_epochs = self.cooldown, 0
        self._last_lr = self._current_rates()

    def _is_better(self, current, best):
        if self.mode == "min":
            return current < (best * (1.0 - self.threshold) if self.threshold_mode == "rel" else best - self.threshold)
        return current > (best * (self.threshold + 1.0) if self.threshold_mode == "rel" else best + self.threshold)

    def _reduce_lr(self, epoch=None):
        """Multiply each group's rate by factor, down to its min_lr. epoch: the epoch of the reduction, as PyTorch
        passes it (subclasses overriding this method receive it; unused here)."""
        groups = self.optimizer.param_groups
        if len(groups) != len(self.min_lrs):  # a group added since
            if self.default_min_lr is None:
                raise RuntimeError(f"ReduceLROnPlateau: The number of param groups in the optimizer ({len(groups)}) "
                                   f"differs from the {len(self.min_lrs)} values of min_lr (was a group added?); set "
                                   f"min_lrs to one value per group")
            self.min_lrs = [self.default_min_lr] * len(groups)
        for group, min_lr in zip(groups, self.min_lrs):
            old = float(group["lr"])
            new = max(old * self.factor, min_lr)
            if old - new > self.eps:
                group["lr"] = new
