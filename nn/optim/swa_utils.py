"""torch.optim.swa_utils: weight averaging (SWA, Izmailov et al. 2018) and exponential moving averages (EMA) of a
model's weights, the SWALR schedule that anneals to a constant rate, and update_bn.

`AveragedModel(model)` keeps a deep copy of model whose parameters (and with use_buffers=True, buffers) follow a
running average of model's, one `update_parameters(model)` at a time: the first copies them, each later one applies
avg_fn (a function of one averaged Tensor, one model Tensor and the count so far, returning the new average) or
multi_avg_fn (a function of the two lists and the count, updating the averaged ones in place); with neither, the
equal-weight average p + (p_model - p) / (n + 1), as PyTorch's on the CPU. The updates are plain writes under
ag.no_grad(): nothing is recorded.
"""
import copy
import itertools
import math

import numpy as np

import autograd_core as ag

from .._arguments import as_flag, check_device, checked_number
from ..module import Module
from ..normalization import _BatchNorm
from .lr_scheduler.base import LRScheduler, checked_int, checked_rate, per_group

__all__ = ["AveragedModel", "update_bn", "SWALR", "get_ema_multi_avg_fn", "get_swa_multi_avg_fn", "get_ema_avg_fn",
           "get_swa_avg_fn"]


def _check_decay(owner, decay):
    """TypeError unless decay is a number, ValueError unless in [0, 1] (PyTorch's message)."""
    checked_number(decay, owner, "decay", low=0, high=1, plain=True,
                   message="{owner}: Invalid decay value {value!r}{of_type} provided. Please provide a value in "
                           "[0,1] range.")


def get_ema_multi_avg_fn(decay=0.999):
    """The multi_avg_fn of an exponential moving average: each averaged Tensor e <- lerp(e, current, 1 - decay), in
    place (decay e + (1 - decay) current for integer Tensors, as PyTorch's).

    >>> import autograd_core as ag
    >>> from nn.optim.swa_utils import get_ema_multi_avg_fn
    >>> ema, current = ag.zeros(2), ag.tensor([1.0, 2.0])
    >>> get_ema_multi_avg_fn(0.75)([ema], [current], 1); ema
    Tensor([0.25, 0.5 ])
    """
    _check_decay("get_ema_multi_avg_fn", decay)

    def ema_update(ema_param_list, current_param_list, _):
        with ag.no_grad():
            floating = np.issubdtype(ema_param_list[0].dtype, np.inexact)
            for p_ema, p_model in zip(ema_param_list, current_param_list, strict=True):
                if floating:  # (torch._foreach_lerp_: lerp's two forms, by the weight)
                    p_ema.lerp_(p_model, 1 - decay)
                else:
                    p_ema.copy_(p_ema * decay + p_model * (1 - decay))
    return ema_update


def get_swa_multi_avg_fn():
    """The multi_avg_fn of the equal-weight average: each averaged Tensor a <- lerp(a, current, 1 / (n + 1)) in place
    (integer Tensors a + (current - a) / (n + 1)); n the count so far, a number or an integer Tensor, whose 1 / (n + 1)
    is float32, as in PyTorch.

    >>> import autograd_core as ag
    >>> from nn.optim.swa_utils import get_swa_multi_avg_fn
    >>> average, current = ag.tensor([1.0]), ag.tensor([4.0])
    >>> get_swa_multi_avg_fn()([average], [current], 2); average
    Tensor([2.])
    """
    def swa_update(averaged_param_list, current_param_list, num_averaged):
        with ag.no_grad():
            counted = isinstance(num_averaged, ag.Tensor)
            count = num_averaged.item() if counted else num_averaged
            if np.issubdtype(averaged_param_list[0].dtype, np.inexact):
                # (a Tensor count's 1 / (n + 1) is a float32 Tensor in PyTorch: the weight rounded to float32)
                weight = float(np.float32(1) / np.float32(count + 1)) if counted else 1 / (count + 1)
                for p_averaged, p_model in zip(averaged_param_list, current_param_list, strict=True):
                    p_averaged.lerp_(p_model, weight)
            else:
                for p_averaged, p_model in zip(averaged_param_list, current_param_list, strict=True):
                    p_averaged.copy_(p_averaged + (p_model - p_averaged) / (count + 1))
    return swa_update


def get_ema_avg_fn(decay=0.999):
    """The avg_fn of an exponential moving average: decay * averaged + (1 - decay) * current, a new Tensor.

    >>> import autograd_core as ag
    >>> from nn.optim.swa_utils import get_ema_avg_fn
    >>> get_ema_avg_fn(0.5)(ag.tensor([0.0]), ag.tensor([2.0]), 3)
    Tensor([1.])
    """
    _check_decay("get_ema_avg_fn", decay)

    def ema_update(ema_param, current_param, num_averaged):
        with ag.no_grad():
            return decay * ema_param + (1 - decay) * current_param
    return ema_update


def get_swa_avg_fn():
    """The avg_fn of the equal-weight average: averaged + (current - averaged) / (n + 1), a new Tensor.

    >>> import autograd_core as ag
    >>> from nn.optim.swa_utils import get_swa_avg_fn
    >>> get_swa_avg_fn()(ag.tensor([1.0]), ag.tensor([4.0]), 2)
    Tensor([2.])
    """
    def swa_update(averaged_param, current_param, num_averaged):
        with ag.no_grad():
            return averaged_param + (current_param - averaged_param) / (num_averaged + 1)
    return swa_update


class AveragedModel(Module):
    """A deep copy of model whose parameters follow a running average of model's (SWA by default, EMA with
    multi_avg_fn=get_ema_multi_avg_fn(decay)), as torch.optim.swa_utils.AveragedModel: calling it runs the copy;
    `n_averaged` (an int64 buffer) counts the updates; with use_buffers=True the buffers are averaged too, else they
    are copied from model at each update. avg_fn and multi_avg_fn are not saved in the state dict.

    >>> import autograd_core as ag, nn
    >>> from nn.optim.swa_utils import AveragedModel
    >>> model = nn.Linear(1, 1, bias=False)
    >>> swa = AveragedModel(model)
    >>> for w in (1.0, 2.0, 6.0):
    ...     model.weight.data[...] = w
    ...     swa.update_parameters(model)
    >>> swa.module.weight.data, swa.n_averaged
    (array([[3.]], dtype=float32), Tensor(3))
    """

    def __init__(self, model, device=None, avg_fn=None, multi_avg_fn=None, use_buffers=False):
        super().__init__()
        if not isinstance(model, Module):
            raise TypeError(f"AveragedModel: model must be an nn.Module, got {type(model).__name__}")
        if avg_fn is not None and multi_avg_fn is not None:  # (PyTorch's AssertionError, and its words)
            raise AssertionError("Only one of avg_fn and multi_avg_fn should be provided")
        for name, fn in (("avg_fn", avg_fn), ("multi_avg_fn", multi_avg_fn)):
            if fn is not None and not callable(fn):
                raise TypeError(f"AveragedModel: {name} must be a function or None, got {type(fn).__name__}")
        check_device(device, "AveragedModel")
        self.module = copy.deepcopy(model)
        self.register_buffer("n_averaged", ag.tensor(0, dtype=np.int64))
        self.avg_fn = avg_fn
        self.multi_avg_fn = multi_avg_fn
        self.use_buffers = as_flag(use_buffers, "AveragedModel", "use_buffers")

    def forward(self, *args, **kwargs):
        return self.module(*args, **kwargs)

    def _averaged_tensors(self, model):
        """model's parameters, and its buffers after them with use_buffers."""
        return list(itertools.chain(model.parameters(), model.buffers() if self.use_buffers else ()))

    def update_parameters(self, model):
        """Average model's parameters (and buffers, with use_buffers) into the copy's: the first call copies them.

        >>> import nn
        >>> from nn.optim.swa_utils import AveragedModel, get_ema_multi_avg_fn
        >>> model = nn.Linear(1, 1, bias=False); model.weight.data[...] = 1.0
        >>> ema = AveragedModel(model, multi_avg_fn=get_ema_multi_avg_fn(0.5))
        >>> ema.update_parameters(model); model.weight.data[...] = 3.0; ema.update_parameters(model)
        >>> ema.module.weight.data
        array([[2.]], dtype=float32)
        """
        mine, theirs = self._averaged_tensors(self.module), self._averaged_tensors(model)
        if len(mine) != len(theirs):  # (PyTorch's zip stops at the shorter list silently)
            what = "parameters and buffers" if self.use_buffers else "parameters"
            raise ValueError(f"AveragedModel.update_parameters: the averaged model has {len(mine)} {what}, model "
                             f"{len(theirs)}; pass a model of the architecture it was made from")
        with ag.no_grad():
            averaged = [p.detach() for p in mine]  # (sharing the arrays: writes reach the copy's parameters)
            current = [p.detach() for p in theirs]
            for a, c in zip(averaged, current):
                if a.shape != c.shape:
                    raise ValueError(f"AveragedModel.update_parameters: a parameter of shape {c.shape} meets its "
                                     f"average of shape {a.shape}; pass a model of the architecture it was made from")
            count = int(self.n_averaged.item())
            if count == 0:
                for a, c in zip(averaged, current):
                    a.copy_(c)
            elif self.multi_avg_fn is not None:  # one call per dtype, as PyTorch's grouping by device and dtype
                by_dtype = {}
                for a, c in zip(averaged, current):
                    pair = by_dtype.setdefault(a.dtype, ([], []))
                    pair[0].append(a)
                    pair[1].append(c)
                for group_averaged, group_current in by_dtype.values():
                    self.multi_avg_fn(group_averaged, group_current, self.n_averaged)
            else:
                average = self.avg_fn if self.avg_fn is not None else get_swa_avg_fn()
                for a, c in zip(averaged, current):
                    a.copy_(average(a, c, self.n_averaged))
            if not self.use_buffers:
                for b_swa, b_model in zip(self.module.buffers(), model.buffers(), strict=True):
                    b_swa.detach().copy_(b_model.detach())
            self.n_averaged.add_(1)


def update_bn(loader, model, device=None):
    """Recompute the running statistics of model's BatchNorm layers with one pass over loader, as PyTorch's: each
    layer's statistics are reset and averaged over the batches (momentum None for the pass, restored after), model
    run in training mode under ag.no_grad() and left in the mode it was in. A batch that is a list or tuple gives
    its first item to model.

    >>> import autograd_core as ag, nn
    >>> from nn.optim.swa_utils import update_bn
    >>> model = nn.BatchNorm1d(1)
    >>> update_bn([ag.tensor([[1.0], [3.0]]), ag.tensor([[5.0], [7.0]])], model)
    >>> model.running_mean.data
    array([4.], dtype=float32)
    """
    check_device(device, "update_bn")
    momenta = {}
    for module in model.modules():
        if isinstance(module, _BatchNorm):
            module.reset_running_stats()
            momenta[module] = module.momentum
    if not momenta:
        return
    was_training = model.training
    model.train()
    for module in momenta:
        module.momentum = None
    try:
        with ag.no_grad():
            for batch in loader:
                if isinstance(batch, (list, tuple)):
                    batch = batch[0]
                model(batch)
    finally:
        for module, momentum in momenta.items():
            module.momentum = momentum
        model.train(was_training)


class SWALR(LRScheduler):
    """Anneals each group's rate to swa_lr over anneal_epochs steps ("cos" or "linear"), then keeps it there, as
    torch.optim.swa_utils.SWALR (its formulas, so the same rates to the last bit); swa_lr is one number for all
    groups or one per group, kept in each group as "swa_lr".

    >>> import autograd_core as ag
    >>> from nn.optim import SGD
    >>> from nn.optim.swa_utils import SWALR
    >>> opt = SGD([ag.tensor([1.0], requires_grad=True)], lr=1.0)
    >>> sched = SWALR(opt, swa_lr=0.1, anneal_epochs=2, anneal_strategy="linear")
    >>> rates = []
    >>> for _ in range(3):
    ...     opt.step(); sched.step(); rates.append(round(sched.get_last_lr()[0], 4))
    >>> rates
    [0.55, 0.1, 0.1]
    """

    def __init__(self, optimizer, swa_lr, anneal_epochs=10, anneal_strategy="cos", last_epoch=-1):
        if not hasattr(optimizer, "param_groups"):
            raise TypeError(f"SWALR: expected an optimizer with param_groups, got {type(optimizer).__name__}")
        count = len(optimizer.param_groups)
        if isinstance(swa_lr, (list, tuple)) and len(swa_lr) != count:  # (PyTorch's words: "swa_lr must have ...")
            raise ValueError(f"SWALR: swa_lr has {len(swa_lr)} values, but the optimizer has {count} parameter "
                             f"group{'s' * (count != 1)}: swa_lr must have the same length as "
                             f"optimizer.param_groups, or be one number for all groups")
        swa_lrs = per_group("SWALR", "swa_lr", swa_lr, optimizer, checked_rate)
        self._anneal_strategy, self.anneal_epochs = anneal_strategy, anneal_epochs
        self._check()
        for rate, group in zip(swa_lrs, optimizer.param_groups):
            group["swa_lr"] = rate
        super().__init__(optimizer, last_epoch)

    def _check(self):
        if self._anneal_strategy not in ("cos", "linear"):  # (PyTorch's message)
            raise ValueError(f"anneal_strategy must be one of 'cos' or 'linear', instead got "
                             f"{self._anneal_strategy!r}")
        try:
            self.anneal_epochs = checked_int("SWALR", "anneal_epochs", self.anneal_epochs, 0)
        except TypeError as error:  # (1.7 too: PyTorch's ValueError for any anneal_epochs that is no int >= 0)
            raise ValueError(str(error)) from None

    def _anneal(self, t):
        """The fraction of the way to swa_lr at t in [0, 1]: t, or (1 - cos(pi t)) / 2."""
        return t if self._anneal_strategy == "linear" else (1 - math.cos(math.pi * t)) / 2

    def _lr(self):
        """The rates for this step: from each group's current rate, the rate the schedule started from is recovered
        (PyTorch's _get_initial_lr), then moved the step's fraction of the way to swa_lr."""
        step = self._step_count - 1
        if self.anneal_epochs == 0:
            step = max(1, step)
        previous_alpha = self._anneal(max(0, min(1, (step - 1) / max(1, self.anneal_epochs))))
        groups = self.optimizer.param_groups
        previous = [group["swa_lr"] if previous_alpha == 1
                    else (group["lr"] - previous_alpha * group["swa_lr"]) / (1 - previous_alpha) for group in groups]
        alpha = self._anneal(max(0, min(1, step / max(1, self.anneal_epochs))))
        return [group["swa_lr"] * alpha + lr * (1 - alpha) for group, lr in zip(groups, previous)]
