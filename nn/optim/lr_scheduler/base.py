"""LRScheduler, the base class of the schedulers, and the checks of the settings they share.

A scheduler edits `group["lr"]` of its optimizer. Creating it records each group's
`initial_lr` and sets epoch 0; call `step()` once after each epoch (after
`optimizer.step()`). Like PyTorch's, each `step()` of most schedulers computes the new
rate from the current one (the "chainable" form), so a rate changed by hand, or by a
second scheduler, is carried along; the closed forms in the docstrings give the same
values up to rounding.

Resuming with `last_epoch=k` (k >= 0) needs `initial_lr` in every group (restore the
optimizer's state dict first). As in PyTorch, the constructor's own step then moves to
epoch k + 1 and keeps each group's current rate (ExponentialLR, CosineAnnealingLR, ...;
StepLR decays it if k + 1 is a multiple of step_size); later steps continue from there.
"""
import warnings
from collections.abc import Mapping

import numpy as np

from ..._arguments import checked_number

__all__ = ["LRScheduler"]

# PyTorch's warning, word for word, at a step given an epoch
EPOCH_DEPRECATION_WARNING = (
    "The epoch parameter in `scheduler.step()` was not necessary and is being deprecated where possible. Please use "
    "`scheduler.step()` to step the scheduler. During the deprecation, if epoch is different from None, the closed "
    "form is used instead of the new chainable form, where available. Please open an issue if you are unable to "
    "replicate your use case: https://github.com/pytorch/pytorch/issues/new/choose."
)
# PyTorch's warning, word for word, at a first step() before any optimizer.step()
ORDER_WARNING = (
    "Detected call of `lr_scheduler.step()` before `optimizer.step()`. In PyTorch 1.1.0 and later, you should call "
    "them in the opposite order: `optimizer.step()` before `lr_scheduler.step()`.  Failure to do this will result in "
    "PyTorch skipping the first value of the learning rate schedule. See more details at "
    "https://pytorch.org/docs/stable/optim.html#how-to-adjust-learning-rate"
)
# PyTorch's warning, word for word, when a scheduler's get_lr() is called outside its step()
GET_LR_WARNING = "To get the last learning rate computed by the scheduler, please use `get_last_lr()`."
# PyTorch's warning, word for word, at a first step() when optimizer.step was replaced after the scheduler was made
OVERRIDDEN_STEP_WARNING = (
    "Seems like `optimizer.step()` has been overridden after learning rate scheduler initialization. Please, make "
    "sure to call `optimizer.step()` before `lr_scheduler.step()`. See more details at "
    "https://pytorch.org/docs/stable/optim.html#how-to-adjust-learning-rate"
)
_TORCH_FLAGS = ("_get_lr_called_within_step",)  # in PyTorch's state dicts, nothing to restore here


def checked_int(owner, name, value, least, whole_floats=False):
    """value as a Python int >= least (np.integer too; not bool, whose True would silently mean 1). With
    whole_floats, a float of whole value (1.0) is that int, where PyTorch computes with the float to the same
    rates (StepLR's step_size, which the text-classification tutorial gives as 1.0); 1.5 stays refused."""
    if whole_floats and isinstance(value, (float, np.floating)) and float(value).is_integer():
        value = int(value)
    return checked_number(value, owner, name, low=least, integer=True)


def checked_rate(owner, name, value):
    """value as a float >= 0: gamma and eta_min multiply or bound a learning rate, which must stay >= 0."""
    return checked_number(value, owner, name, low=0)


def check_optimizer(owner, optimizer):
    """Refuse what is no optimizer (a scheduler reads and writes its param_groups)."""
    if not hasattr(optimizer, "param_groups"):
        raise TypeError(f"{owner}: expected an optimizer with param_groups, got {type(optimizer).__name__}")


def per_group(owner, name, value, optimizer, check=lambda owner, name, value: value):
    """value as a list with one entry per parameter group of optimizer, each passed through check(owner, name,
    entry): a list or tuple must hold one per group (as PyTorch takes it); anything else is repeated for every group.

    >>> import autograd_core as ag
    >>> from nn.optim import SGD
    >>> from nn.optim.lr_scheduler.base import per_group
    >>> opt = SGD([{"params": [ag.tensor([1.0], requires_grad=True)]}], lr=0.1)
    >>> per_group("OneCycleLR", "max_lr", [1.0, 2.0], opt)
    Traceback (most recent call last):
    ...
    ValueError: OneCycleLR: max_lr has 2 values, but the optimizer has 1 parameter group; pass one value for all ...
    """
    count = len(optimizer.param_groups)
    if not isinstance(value, (list, tuple)):
        return [check(owner, name, value)] * count
    if len(value) != count:
        raise ValueError(f"{owner}: {name} has {len(value)} value{'s' * (len(value) != 1)}, but the optimizer has "
                         f"{count} parameter group{'s' * (count != 1)}; pass one value for all or one per group")
    return [check(owner, f"{name}[{i}]", v) for i, v in enumerate(value)]


def checked_milestones(owner, milestones, least, strict):
    """milestones as a list of ints >= least, each above the one before it (strict) or not below it; a set is
    taken in increasing order.

    >>> from nn.optim.lr_scheduler.base import checked_milestones
    >>> checked_milestones("MultiStepLR", (2, 5, 5), 0, strict=False)
    [2, 5, 5]
    >>> checked_milestones("SequentialLR", [4, 2], 1, strict=True)
    Traceback (most recent call last):
    ...
    ValueError: SequentialLR: milestones must be increasing, got [4, 2] (milestones[1]=2 follows 4)
    """
    if isinstance(milestones, (str, bytes, Mapping)) or not hasattr(milestones, "__iter__"):
        raise TypeError(f"{owner}: milestones must be a list of ints, got {milestones!r}")
    values = [checked_int(owner, f"milestones[{i}]", m, least) for i, m in enumerate(milestones)]
    if isinstance(milestones, (set, frozenset)):
        values.sort()
    for i in range(1, len(values)):
        if values[i] < values[i - 1] or (strict and values[i] == values[i - 1]):
            order = "increasing" if strict else "in non-decreasing order"
            raise ValueError(f"{owner}: milestones must be {order}, got {values} (milestones[{i}]={values[i]} "
                             f"follows {values[i - 1]})")
    return values


def _own_step(optimizer):
    """The step set on the optimizer object itself (opt.step = ...), or None when it is its class's."""
    return getattr(optimizer, "__dict__", {}).get("step")


class LRScheduler:
    """Base class: subclasses implement `get_lr()` (the rates for `self.last_epoch`).

    >>> import autograd_core as ag
    >>> from nn.optim import SGD
    >>> from nn.optim.lr_scheduler import LRScheduler
    >>> class Halve(LRScheduler):
    ...     def get_lr(self):
    ...         return [base * 0.5 ** self.last_epoch for base in self.base_lrs]
    >>> opt = SGD([ag.tensor([1.0], requires_grad=True)], lr=1.0)
    >>> sched = Halve(opt)
    >>> opt.step(); sched.step(); sched.get_last_lr(), sched.last_epoch
    ([0.5], 1)
    """

    _lr_direct = False  # (see __init_subclass__)
    _is_initial = False  # True only during the constructor's step (PyTorch's _initial_mode)
    # True only while a step computes its rates with get_lr(): PyTorch's flag, which the get_lr of subclasses copied
    # from PyTorch's schedulers reads to warn when called by hand (no state_dict entry: False between steps)
    _get_lr_called_within_step = False
    # attributes that state_dict() leaves out (the optimizer, and the step it had when the scheduler was made, for the
    # warning when it is replaced), or saves in another form (_extra_state)
    _kept_out = ("optimizer", "_optimizer_own_step", "_get_lr_called_within_step")

    def __init__(self, optimizer, last_epoch=-1):
        check_optimizer(type(self).__name__, optimizer)
        self.optimizer = optimizer
        last_epoch = checked_int(type(self).__name__, "last_epoch", last_epoch, -1)
        if last_epoch == -1:
            for group in optimizer.param_groups:
                group.setdefault("initial_lr", group["lr"])
        else:
            missing = [i for i, group in enumerate(optimizer.param_groups) if "initial_lr" not in group]
            if missing:  # (PyTorch's words, then the way)
                raise KeyError(f"{type(self).__name__}: param 'initial_lr' is not specified in param_groups"
                               f"[{missing[0]}] when resuming scheduler with last_epoch >= 0 (last_epoch="
                               f"{last_epoch}: restore the optimizer's state dict first)")
        self.base_lrs = [group["initial_lr"] for group in optimizer.param_groups]
        self.last_epoch = last_epoch
        self._get_lr_called_within_step = False  # (an attribute from the start: set and reset at each step)
        # a step set on the optimizer itself after this (PyTorch's scheduler wraps the step it finds: a step set
        # later is unwrapped and its first step() warns); not state, so no state_dict entry
        self._optimizer_own_step = _own_step(optimizer)
        self._initial_step()

    def _initial_step(self):
        """The constructor's step, to epoch last_epoch + 1, which counts no step (PyTorch's _initial_step)."""
        self._step_count = 0
        self._is_initial = True
        try:
            self.step()
        finally:
            self._is_initial = False

    _lr = None  # a built-in's rates (its get_lr, PyTorch's chainable form), which get_lr gives

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # whether a step takes its rates from _lr directly (a built-in whose get_lr is not overridden): no flag to set
        cls._lr_direct = cls._lr is not None and cls.get_lr is LRScheduler.get_lr

    def get_lr(self):
        """The rates for self.last_epoch, one per parameter group (what step() writes); see the class example.
        A built-in scheduler's warns when called outside step(), as PyTorch's (the rates it gives are the next
        step's, from the current ones; get_last_lr() gives those in force)."""
        if self._lr is None:
            raise NotImplementedError(f"{type(self).__name__}: a subclass of LRScheduler must define get_lr()")
        if not self._get_lr_called_within_step:
            self._warn_outside_step()
        return self._lr()

    def _warn_outside_step(self):
        """PyTorch's warning when a built-in scheduler's get_lr() is called outside step(): its chainable form
        gives the next step's rates from the current ones, not the rates in force (get_last_lr() gives those). The
        base's get_lr calls it where self._get_lr_called_within_step is False."""
        warnings.warn(GET_LR_WARNING, UserWarning, stacklevel=3)

    def _rates(self, closed_form=None):
        """The rates of a step: closed_form()'s where given, else get_lr()'s (called within the step)."""
        if closed_form:
            return closed_form()
        if self._lr_direct:
            return self._lr()
        self._get_lr_called_within_step = True  # (as _enable_get_lr_call does, without its cost at every step)
        try:
            return self.get_lr()
        finally:
            self._get_lr_called_within_step = False

    def _check(self):
        """Validate the subclass's settings (step_size, gamma, ...); also run when a state dict is loaded."""

    def step(self, epoch=None):
        """Advance one epoch and write the new rates into the optimizer's groups (after optimizer.step()).

        epoch (deprecated in PyTorch, which warns as here): go to that epoch (an int >= 0) instead, its rates from
        the closed form where the scheduler has one (StepLR, ..., CosineAnnealingLR), else from get_lr().

        >>> import autograd_core as ag
        >>> from nn.optim import SGD
        >>> from nn.optim.lr_scheduler import ExponentialLR
        >>> opt = SGD([ag.tensor([1.0], requires_grad=True)], lr=1.0)
        >>> sched = ExponentialLR(opt, gamma=0.5)
        >>> opt.step(); sched.step(); opt.param_groups[0]["lr"], sched.last_epoch
        (0.5, 1)
        """
        previous = self.last_epoch
        closed_form = None
        if epoch is None:
            self.last_epoch += 1
        else:
            epoch = checked_int(f"{type(self).__name__}.step", "epoch", epoch, 0)
            warnings.warn(EPOCH_DEPRECATION_WARNING, UserWarning, stacklevel=2)
            self.last_epoch = epoch
            closed_form = getattr(self, "_get_closed_form_lr", None)
        if self._step_count == 1:  # (an epoch checked first)
            self._warn_order()
        self._step_count += 1
        try:
            self._set_lrs(self._rates(closed_form))
        except Exception:  # (OneCycleLR past its last step, a group added): the scheduler stays at the epoch it was
            self._step_count -= 1
            self.last_epoch = previous
            raise

    def _warn_order(self):
        """At the first step: PyTorch's warnings when optimizer.step was replaced after this scheduler was made
        (unless the replacement carries PyTorch's mark _wrapped_by_lr_sched, which code replacing it sets to say
        it still steps the optimizer), else when the optimizer has not stepped yet (PyTorch's record of that,
        _opt_called, set by such code, counts too)."""
        own = _own_step(self.optimizer)
        if own is not getattr(self, "_optimizer_own_step", None) and not getattr(own, "_wrapped_by_lr_sched", False):
            warnings.warn(OVERRIDDEN_STEP_WARNING, UserWarning, stacklevel=3)
        elif not (getattr(self.optimizer, "_stepped", True) or getattr(self.optimizer, "_opt_called", False)):
            warnings.warn(ORDER_WARNING, UserWarning, stacklevel=3)

    def _current_rates(self, factor=None):
        """The groups' current rates, each times factor unless it is None: a step of the chainable form."""
        rates = [group["lr"] for group in self.optimizer.param_groups]
        return rates if factor is None else [rate * factor for rate in rates]

    def _check_group_count(self, count):
        """Refuse an optimizer whose groups are not the `count` that this scheduler keeps a rate (or function) for:
        a group added after the scheduler was made, which PyTorch's refuses where it would need one (a zip error)."""
        groups = len(self.optimizer.param_groups)
        if groups != count:
            raise ValueError(f"{type(self).__name__}: the optimizer has {groups} parameter group"
                             f"{'s' * (groups != 1)}, but this scheduler was made for {count} (was a group added "
                             f"since?); make the scheduler after adding every group")

    def _set_lrs(self, lrs):
        lrs = list(lrs)  # (a subclass's get_lr may give any iterable)
        self._check_group_count(len(lrs))
        for group, lr in zip(self.optimizer.param_groups, lrs):
            group["lr"] = lr
        self._last_lr = self._current_rates()

    def _restart(self):
        """Go to epoch 0 and set its rates, from the closed form where the scheduler has one: what SequentialLR
        does at a milestone (PyTorch's _update_lr(0))."""
        self.last_epoch = 0
        self._set_lrs(self._rates(getattr(self, "_get_closed_form_lr", None)))

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
        """Everything but the optimizer (numbers, strings and lists of them), saveable with nn.save.

        >>> import autograd_core as ag
        >>> from nn.optim import SGD
        >>> from nn.optim.lr_scheduler import StepLR
        >>> state = StepLR(SGD([ag.tensor([1.0], requires_grad=True)], lr=0.1), step_size=2).state_dict()
        >>> state["step_size"], state["last_epoch"]
        (2, 0)
        """
        state = {k: (list(v) if isinstance(v, list) else v) for k, v in self.__dict__.items()
                 if k not in self._kept_out}
        return {**state, **self._extra_state()}

    def _extra_state(self):
        """The state_dict() entries of the attributes in _kept_out that are saved in another form."""
        return {}

    def _load_extra_state(self, state_dict):
        """Restore what _extra_state() saved (after the other entries were loaded and checked)."""

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
        # (PyTorch's state dicts also hold its flag _get_lr_called_within_step, False between steps: not state here)
        state_dict = {k: v for k, v in state_dict.items() if k not in _TORCH_FLAGS}
        unexpected = sorted(map(str, set(state_dict) - set(self.state_dict())))
        if unexpected:
            raise KeyError(f"{name}.load_state_dict: unexpected keys {unexpected}; a {name}'s state dict holds "
                           f"{sorted(self.state_dict())}")
        before = dict(self.__dict__)
        self.__dict__.update({k: (list(v) if isinstance(v, (list, tuple)) else v) for k, v in state_dict.items()
                              if k not in self._kept_out})
        try:
            self._check()
            self._load_extra_state(state_dict)
        except Exception:  # ValueError out of range, TypeError for no number: the scheduler stays as it was
            self.__dict__ = before
            raise


class _enable_get_lr_call:
    """Within this context, scheduler.get_lr() is called within a step (its _get_lr_called_within_step is True, so
    it does not warn): PyTorch's private helper, which schedulers written against PyTorch import and use in their
    own step(). The flag is False again at the end; it is no state_dict entry.

    >>> import autograd_core as ag
    >>> from nn.optim import SGD
    >>> from nn.optim.lr_scheduler import StepLR, _enable_get_lr_call
    >>> sched = StepLR(SGD([ag.tensor([1.0], requires_grad=True)], lr=0.1), step_size=2)
    >>> with _enable_get_lr_call(sched):
    ...     sched._get_lr_called_within_step, sched.get_lr()
    (True, [0.1])
    >>> sched._get_lr_called_within_step, "_get_lr_called_within_step" in sched.state_dict()
    (False, False)
    """

    def __init__(self, o):
        self.o = o

    def __enter__(self):
        self.o._get_lr_called_within_step = True
        return self

    def __exit__(self, kind, value, traceback):
        self.o._get_lr_called_within_step = False


class _LRScheduler(LRScheduler):
    """PyTorch's older name of the base class (torch.optim.lr_scheduler._LRScheduler, a subclass of LRScheduler
    adding nothing), which course code still subclasses: UvA tutorial 6's warm-up scheduler does.

    >>> import autograd_core as ag
    >>> from nn.optim import SGD
    >>> from nn.optim.lr_scheduler import _LRScheduler
    >>> class Warmup(_LRScheduler):
    ...     def get_lr(self):
    ...         return [base * min(1.0, self.last_epoch / 2) for base in self.base_lrs]
    >>> opt = SGD([ag.tensor([1.0], requires_grad=True)], lr=1.0)
    >>> sched = Warmup(opt)
    >>> opt.step(); sched.step(); sched.get_last_lr()
    [0.5]
    """
