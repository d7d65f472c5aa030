"""Schedulers made of schedulers: SequentialLR (one after another) and ChainedScheduler (all at each step)."""
from bisect import bisect_right

from .base import LRScheduler, check_optimizer, checked_int, checked_milestones
from .plateau import ReduceLROnPlateau

__all__ = ["SequentialLR", "ChainedScheduler"]


def _checked_schedulers(owner, schedulers, optimizer):
    """schedulers as a list, refused unless it holds at least one scheduler, each of `optimizer` and none a
    ReduceLROnPlateau (whose step needs a metric)."""
    if isinstance(schedulers, LRScheduler) or not isinstance(schedulers, (list, tuple)) or not schedulers:
        raise (ValueError if isinstance(schedulers, (list, tuple)) else TypeError)(
            f"{owner}: schedulers must be a non-empty list of schedulers, got {schedulers!r:.80}")
    for i, scheduler in enumerate(schedulers):
        if not hasattr(scheduler, "optimizer"):
            raise TypeError(f"{owner}: schedulers[{i}] is a {type(scheduler).__name__}, not a scheduler (it has no "
                            f"optimizer)")
        if isinstance(scheduler, ReduceLROnPlateau):
            raise ValueError(f"{owner}: schedulers[{i}] is a ReduceLROnPlateau, whose step needs the metric; step it "
                             f"yourself after this one")
        if scheduler.optimizer is not optimizer:
            raise ValueError(f"{owner}: schedulers[{i}] ({type(scheduler).__name__}) schedules another optimizer; "
                             f"all must schedule the same one")
    return list(schedulers)


class _Combined(LRScheduler):
    """What SequentialLR and ChainedScheduler share: the state dict holds each scheduler's state dict."""

    _kept_out = LRScheduler._kept_out + ("_schedulers",)

    def _extra_state(self):
        return {"_schedulers": [scheduler.state_dict() for scheduler in self._schedulers]}

    def _load_extra_state(self, state_dict):
        saved = state_dict.get("_schedulers")
        name = type(self).__name__
        if not isinstance(saved, (list, tuple)) or len(saved) != len(self._schedulers):
            raise ValueError(f"{name}.load_state_dict: _schedulers must be a list of {len(self._schedulers)} state "
                             f"dicts, one per scheduler, got {saved!r:.80}")
        before = [scheduler.state_dict() for scheduler in self._schedulers]
        try:
            for scheduler, state in zip(self._schedulers, saved):
                scheduler.load_state_dict(state)
        except Exception:  # the schedulers loaded already go back too
            for scheduler, state in zip(self._schedulers, before):
                scheduler.load_state_dict(state)
            raise


class SequentialLR(_Combined):
    """Run schedulers one after another: schedulers[i] sets the rates from epoch milestones[i - 1] (increasing
    positive ints, one fewer than the schedulers), starting it at its epoch 0 there, as PyTorch's.

    Each scheduler is made first, on the same optimizer; SequentialLR resets the rates to initial_lr and replays
    the first scheduler's initial step. The schedulers that have a closed form (StepLR, ..., CosineAnnealingLR)
    start from it at their milestone; the others compute epoch 0 from the current rate.

    >>> import autograd_core as ag
    >>> from nn.optim import SGD
    >>> from nn.optim.lr_scheduler import ConstantLR, ExponentialLR, SequentialLR
    >>> opt = SGD([ag.tensor([1.0], requires_grad=True)], lr=1.0)
    >>> warmup, decay = ConstantLR(opt, factor=0.1, total_iters=2), ExponentialLR(opt, gamma=0.5)
    >>> sched = SequentialLR(opt, schedulers=[warmup, decay], milestones=[2])
    >>> lrs = []
    >>> for epoch in range(5):
    ...     lrs.append(sched.get_last_lr()[0]); opt.step(); sched.step()
    >>> lrs
    [0.1, 0.1, 1.0, 0.5, 0.25]
    """

    def __init__(self, optimizer, schedulers, milestones, last_epoch=-1):
        name = "SequentialLR"
        check_optimizer(name, optimizer)
        self._schedulers = _checked_schedulers(name, schedulers, optimizer)
        for i, scheduler in enumerate(self._schedulers[1:], 1):  # (PyTorch's raises a bare NotImplementedError there)
            if isinstance(scheduler, _Combined):
                raise ValueError(f"{name}: schedulers[{i}] is a {type(scheduler).__name__}, which cannot start over "
                                 f"at its milestone (it has no rates of its own for epoch 0); only the first scheduler "
                                 f"can be a SequentialLR or ChainedScheduler")
        self._milestones = milestones
        self.last_epoch = checked_int(name, "last_epoch", last_epoch, -1) + 1
        self._check()
        if len(self._milestones) != len(self._schedulers) - 1:
            raise ValueError(f"{name}: needs one milestone fewer than schedulers (the epochs at which the next one "
                             f"takes over), got {len(self._schedulers)} schedulers and {len(self._milestones)} "
                             f"milestones")
        self.optimizer = optimizer
        for group in optimizer.param_groups:
            group["lr"] = group["initial_lr"]
        self.recursive_undo()
        first = self._schedulers[bisect_right(self._milestones, 0)]
        first._initial_step()
        self._last_lr = first.get_last_lr()

    def recursive_undo(self, sched=None):
        """Move back by one the epoch of each scheduler under sched (by default this SequentialLR), or of sched
        itself when it holds no schedulers: what the constructor does to undo the schedulers' initial steps
        (PyTorch's method, which it calls there too).

        >>> import autograd_core as ag
        >>> from nn.optim import SGD
        >>> from nn.optim.lr_scheduler import ConstantLR, ExponentialLR, SequentialLR
        >>> opt = SGD([ag.tensor([1.0], requires_grad=True)], lr=1.0)
        >>> warmup, decay = ConstantLR(opt), ExponentialLR(opt, gamma=0.5)
        >>> sched = SequentialLR(opt, [warmup, decay], milestones=[2])
        >>> sched.recursive_undo(); warmup.last_epoch, decay.last_epoch
        (-1, -2)
        """
        scheduler = self if sched is None else sched
        if hasattr(scheduler, "_schedulers"):
            for inner in scheduler._schedulers:
                self.recursive_undo(inner)
        elif hasattr(scheduler, "last_epoch"):
            scheduler.last_epoch -= 1

    def _check(self):
        self._milestones = checked_milestones("SequentialLR", self._milestones, 1, strict=True)
        self.last_epoch = checked_int("SequentialLR", "last_epoch", self.last_epoch, 0)

    def step(self):
        """Advance one epoch: step the scheduler in charge of it, or start the next one at a milestone."""
        self.last_epoch += 1
        i = bisect_right(self._milestones, self.last_epoch)
        scheduler = self._schedulers[i]
        if i > 0 and self._milestones[i - 1] == self.last_epoch:
            scheduler._restart()
        else:
            scheduler.step()
        self._last_lr = scheduler.get_last_lr()


class ChainedScheduler(_Combined):
    """Step every scheduler, in order, at each step(): their (chainable) changes of the rate combine.

    optimizer: the schedulers' optimizer (by default the first one's); all must schedule the same one.

    >>> import autograd_core as ag
    >>> from nn.optim import SGD
    >>> from nn.optim.lr_scheduler import ChainedScheduler, ConstantLR, ExponentialLR
    >>> opt = SGD([ag.tensor([1.0], requires_grad=True)], lr=1.0)
    >>> sched = ChainedScheduler([ConstantLR(opt, factor=0.5, total_iters=2), ExponentialLR(opt, gamma=0.5)])
    >>> lrs = []
    >>> for epoch in range(4):
    ...     lrs.append(sched.get_last_lr()[0]); opt.step(); sched.step()
    >>> lrs
    [0.5, 0.25, 0.25, 0.125]
    """

    def __init__(self, schedulers, optimizer=None):
        if optimizer is None and isinstance(schedulers, (list, tuple)) and schedulers:
            optimizer = getattr(schedulers[0], "optimizer", None)
        self._schedulers = _checked_schedulers("ChainedScheduler", schedulers, optimizer)
        self.optimizer = optimizer
        self._last_lr = self._current_rates()

    def step(self):
        """Step each scheduler in turn."""
        for scheduler in self._schedulers:
            scheduler.step()
        self._last_lr = self._current_rates()
