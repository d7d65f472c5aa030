"""CyclicLR: the cyclical learning rate policy (Smith 2017), stepped after every batch, as torch.optim's."""
import math
import types

from ..._arguments import as_flag, checked_number
from .base import LRScheduler, check_optimizer, checked_int, per_group
from .cycles import CycledMomentum

__all__ = ["CyclicLR"]

_MODES = ("triangular", "triangular2", "exp_range")


class CyclicLR(CycledMomentum, LRScheduler):
    """The rate cycles between base_lr and max_lr: up over step_size_up steps, down over step_size_down (default
    step_size_up), the height of each cycle scaled by mode's policy: "triangular" (1), "triangular2" (halved at
    each cycle), "exp_range" (gamma ** step); or by scale_fn(x), a callable, of the cycle (scale_mode="cycle") or
    of the step ("iterations"). With cycle_momentum, the momentum (SGD's momentum, or beta1 of Adam's betas) cycles
    inversely, between max_momentum and base_momentum. base_lr, max_lr, base_momentum and max_momentum: a number,
    or a list of one per parameter group. The rates equal PyTorch's to the last bit (its order of operations).

    As PyTorch's, creating it sets each group's rate to base_lr (and its momentum to max_momentum), and the state
    dict keeps a scale_fn that is a callable object as its attributes (a plain function is not saved: pass it again).

    >>> import autograd_core as ag
    >>> from nn.optim import SGD
    >>> from nn.optim.lr_scheduler import CyclicLR
    >>> opt = SGD([ag.tensor([1.0], requires_grad=True)], lr=0.1, momentum=0.9)
    >>> sched = CyclicLR(opt, base_lr=0.1, max_lr=1.0, step_size_up=2, mode="triangular2")
    >>> rates = []
    >>> for step in range(9):
    ...     rates.append(round(sched.get_last_lr()[0], 4)); opt.step(); sched.step()
    >>> rates
    [0.1, 0.55, 1.0, 0.55, 0.1, 0.325, 0.55, 0.325, 0.1]
    """

    _kept_out = LRScheduler._kept_out + ("_scale_fn_custom",)

    def __init__(self, optimizer, base_lr, max_lr, step_size_up=2000, step_size_down=None, mode="triangular",
                 gamma=1.0, scale_fn=None, scale_mode="cycle", cycle_momentum=True, base_momentum=0.8,
                 max_momentum=0.9, last_epoch=-1):
        name = "CyclicLR"
        check_optimizer(name, optimizer)
        if scale_fn is not None and not callable(scale_fn):
            raise TypeError(f"{name}: scale_fn must be a callable of one number (or None: mode's policy), got "
                            f"{type(scale_fn).__name__}")
        base_lrs = per_group(name, "base_lr", base_lr, optimizer, _checked_rate)
        self.max_lrs = per_group(name, "max_lr", max_lr, optimizer, _checked_rate)
        up = checked_number(step_size_up, name, "step_size_up", low=0, low_open=True)
        down = up if step_size_down is None else checked_number(step_size_down, name, "step_size_down", low=0)
        self.total_size = up + down
        self.step_ratio = up / self.total_size
        self.mode, self.gamma, self.scale_mode = mode, gamma, scale_mode
        self._scale_fn_custom = scale_fn
        self.cycle_momentum = cycle_momentum
        self.use_beta1 = "betas" in optimizer.defaults
        self._check()
        last_epoch = checked_int(name, "last_epoch", last_epoch, -1)
        if last_epoch == -1:
            for lr, group in zip(base_lrs, optimizer.param_groups):
                group["lr"] = lr
        if self.cycle_momentum:
            if not self.use_beta1 and "momentum" not in optimizer.defaults:
                raise ValueError(f"{name}: cycle_momentum=True cycles the momentum of SGD or RMSprop, or beta1 of "
                                 f"Adam's betas; {type(optimizer).__name__} has neither: pass cycle_momentum=False")
            self.base_momentums, self.max_momentums = (
                per_group(name, key, value, optimizer, self._checked_momentum)
                for key, value in (("base_momentum", base_momentum), ("max_momentum", max_momentum)))
            if last_epoch == -1:
                for high, low, group in zip(self.max_momentums, self.base_momentums, optimizer.param_groups):
                    self._set_momentum(group, high)
                    group.update(max_momentum=high, base_momentum=low)
        super().__init__(optimizer, last_epoch)
        self.base_lrs = base_lrs

    def _check(self):
        name = "CyclicLR"
        if self._scale_fn_custom is None and self.mode not in _MODES:
            raise (ValueError if isinstance(self.mode, str) else TypeError)(
                f"{name}: mode must be one of {', '.join(map(repr, _MODES))} (or give a scale_fn), got {self.mode!r}")
        if self._scale_fn_custom is not None and self.scale_mode not in ("cycle", "iterations"):
            raise (ValueError if isinstance(self.scale_mode, str) else TypeError)(
                f"{name}: scale_mode must be 'cycle' or 'iterations', got {self.scale_mode!r}")
        self.gamma = checked_number(self.gamma, name, "gamma", low=0)
        self.cycle_momentum = as_flag(self.cycle_momentum, name, "cycle_momentum")
        if self._scale_fn_custom is None:  # mode's own scale_mode, as PyTorch's _init_scale_fn sets it
            self.scale_mode = "iterations" if self.mode == "exp_range" else "cycle"

    def scale_fn(self, x):
        """The height's scale at x (a cycle, from 1, or a step): scale_fn's, or mode's policy."""
        if self._scale_fn_custom is not None:
            return self._scale_fn_custom(x)
        if self.mode == "triangular":
            return 1.0
        if self.mode == "triangular2":
            return 1 / (2.0 ** (x - 1))
        return self.gamma ** x

    def _lr(self):
        """The rates for step self.last_epoch (PyTorch's formula and order of operations); with cycle_momentum, sets
        each group's momentum (or beta1) too."""
        self._check_group_count(len(self.max_lrs))
        cycle = math.floor(1 + self.last_epoch / self.total_size)
        x = 1.0 + self.last_epoch / self.total_size - cycle
        if x <= self.step_ratio:
            scale_factor = x / self.step_ratio
        else:
            scale_factor = (x - 1) / (self.step_ratio - 1)
        scale = self.scale_fn(cycle if self.scale_mode == "cycle" else self.last_epoch)
        lrs = [base_lr + (max_lr - base_lr) * scale_factor * scale for base_lr, max_lr in zip(self.base_lrs,
                                                                                              self.max_lrs)]
        if self.cycle_momentum:
            for group, low, high in zip(self.optimizer.param_groups, self.base_momentums, self.max_momentums):
                self._set_momentum(group, high - (high - low) * scale_factor * scale)
        return lrs

    def _extra_state(self):
        """scale_fn as PyTorch saves it: None for none or a plain function, a callable object's attributes."""
        fn = self._scale_fn_custom
        saved = None if fn is None or isinstance(fn, types.FunctionType) else dict(vars(fn))
        return {"_scale_fn_custom": saved}

    def _load_extra_state(self, state_dict):
        saved = state_dict.get("_scale_fn_custom")
        if saved is not None and self._scale_fn_custom is not None:
            vars(self._scale_fn_custom).update(saved)


def _checked_rate(owner, name, value):
    return checked_number(value, owner, name, low=0)
