"""Weight averaging, as torch.optim.swa_utils: AveragedModel keeps a running average of a model's weights, equal
(SWA, the default) or exponential (EMA, with get_ema_multi_avg_fn), SWALR anneals the rate to a constant for the
averaged epochs, and update_bn recomputes BatchNorm statistics for the averaged weights. The averages are written
in place under no_grad with the engine's copy_ and lerp_.

>>> import autograd_core as ag, nn
>>> from nn.optim.swa_utils import AveragedModel, get_ema_multi_avg_fn
>>> model = nn.Linear(1, 1, bias=False, dtype=float)
>>> ema = AveragedModel(model, multi_avg_fn=get_ema_multi_avg_fn(0.5))
>>> for value in (2.0, 4.0):
...     _ = nn.init.constant_(model.weight, value)
...     ema.update_parameters(model)
>>> ema.module.weight.item(), ema.n_averaged.item()
(3.0, 2)
"""
import copy
import itertools
import math

import numpy as np

import autograd_core as ag

from .._arguments import check_device
from ..module import Module
from ..normalization import _BatchNorm
from .lr_scheduler.base import LRScheduler, checked_int, checked_rate, per_group

__all__ = ["AveragedModel", "update_bn", "SWALR", "get_ema_multi_avg_fn", "get_swa_multi_avg_fn", "get_ema_avg_fn",
           "get_swa_avg_fn"]


def _checked_decay(decay, owner):
    if not 0.0 <= decay <= 1.0:
        raise ValueError(f"{owner}: invalid decay value {decay} provided; please provide a value in [0, 1] range")
    return decay


def get_ema_multi_avg_fn(decay=0.999):
    """An EMA update for AveragedModel(multi_avg_fn=): each average becomes decay * average + (1 - decay) * current,
    computed as PyTorch's lerp (PyTorch's CPU kernel fuses its multiply-add, so a float32 average may differ from
    PyTorch's in the last bit).

    >>> import autograd_core as ag
    >>> from nn.optim.swa_utils import get_ema_multi_avg_fn
    >>> average = ag.tensor([0.0, 10.0])
    >>> get_ema_multi_avg_fn(0.75)([average], [ag.tensor([4.0, 2.0])], 1)
    >>> average
    Tensor([1., 8.])
    """
    _checked_decay(decay, "get_ema_multi_avg_fn")

    def ema_update(ema_param_list, current_param_list, _):
        with ag.no_grad():
            for p_ema, p_model in zip(ema_param_list, current_param_list):
                if p_ema.dtype.kind in "fc":
                    p_ema.lerp_(p_model, 1 - decay)
                else:  # (integer buffers with use_buffers=True: PyTorch's product form, cast back on copy)
                    p_ema.copy_(p_ema * decay + p_model * (1 - decay))
    return ema_update


def get_swa_multi_avg_fn():
    """The equal-weight (SWA) update for AveragedModel(multi_avg_fn=): each average moves 1 / (n + 1) of the way to
    the current value, n the number of models averaged so far.

    >>> import autograd_core as ag
    >>> from nn.optim.swa_utils import get_swa_multi_avg_fn
    >>> average = ag.tensor([2.0])
    >>> get_swa_multi_avg_fn()([average], [ag.tensor([5.0])], 2)
    >>> average
    Tensor([3.])
    """
    def swa_update(averaged_param_list, current_param_list, num_averaged):
        weight = 1 / (_count(num_averaged) + 1)
        with ag.no_grad():
            for p_averaged, p_model in zip(averaged_param_list, current_param_list):
                if p_averaged.dtype.kind in "fc":
                    p_averaged.lerp_(p_model, weight)
                else:
                    p_averaged.copy_(p_averaged + (p_model - p_averaged) * weight)
    return swa_update


def get_ema_avg_fn(decay=0.999):
    """An EMA rule for AveragedModel(avg_fn=), returning decay * average + (1 - decay) * current for one parameter.

    >>> import autograd_core as ag
    >>> from nn.optim.swa_utils import get_ema_avg_fn
    >>> get_ema_avg_fn(0.5)(ag.tensor([0.0]), ag.tensor([2.0]), 1)
    Tensor([1.])
    """
    _checked_decay(decay, "get_ema_avg_fn")

    def ema_update(ema_param, current_param, num_averaged):
        with ag.no_grad():
            return decay * ema_param + (1 - decay) * current_param
    return ema_update


def get_swa_avg_fn():
    """The equal-weight (SWA) rule for AveragedModel(avg_fn=): average + (current - average) / (n + 1).

    >>> import autograd_core as ag
    >>> from nn.optim.swa_utils import get_swa_avg_fn
    >>> get_swa_avg_fn()(ag.tensor([2.0]), ag.tensor([5.0]), 2)
    Tensor([3.])
    """
    def swa_update(averaged_param, current_param, num_averaged):
        with ag.no_grad():
            return averaged_param + (current_param - averaged_param) / (_count(num_averaged) + 1)
    return swa_update


def _count(num_averaged):
    """n_averaged (a 0-d int64 Tensor, as PyTorch passes it, or an int) as a Python int: a weak scalar, so a float32
    average stays float32 as in PyTorch (a 0-d int64 array would promote it to float64 under NumPy's rules)."""
    return int(num_averaged.item() if isinstance(num_averaged, ag.Tensor) else num_averaged)


class AveragedModel(Module):
    """PyTorch's AveragedModel: a deep copy of `model` (self.module) whose parameters update_parameters(model) moves
    to the running average of the models given, with the buffer n_averaged counting them. The first call copies the
    model; later ones apply avg_fn(average, current, n_averaged) per parameter, or multi_avg_fn(averages, currents,
    n_averaged) to all at once, or without either the equal-weight SWA average. With use_buffers=True the buffers
    (BatchNorm statistics) are averaged too; otherwise they are copied from the model. Calling it runs self.module.

    >>> import nn
    >>> from nn.optim.swa_utils import AveragedModel
    >>> model = nn.Linear(2, 1, dtype=float)
    >>> swa = AveragedModel(model)
    >>> sorted(swa.state_dict())
    ['module.bias', 'module.weight', 'n_averaged']
    """

    def __init__(self, model, device=None, avg_fn=None, multi_avg_fn=None, use_buffers=False):
        super().__init__()
        check_device(device, "AveragedModel")
        if avg_fn is not None and multi_avg_fn is not None:
            raise ValueError("AveragedModel: only one of avg_fn and multi_avg_fn should be provided, got both")
        if not isinstance(model, Module):
            raise TypeError(f"AveragedModel: model must be an nn.Module, got {type(model).__name__}")
        self.module = copy.deepcopy(model)
        self.register_buffer("n_averaged", np.array(0, dtype=np.int64))
        self.avg_fn = avg_fn
        self.multi_avg_fn = multi_avg_fn
        self.use_buffers = use_buffers

    def forward(self, *args, **kwargs):
        return self.module(*args, **kwargs)

    def _averaged(self, module):
        tensors = itertools.chain(module.parameters(), module.buffers()) if self.use_buffers else module.parameters()
        return [t.detach() for t in tensors]

    def update_parameters(self, model):
        """Fold model's current parameters (and buffers, with use_buffers) into the average, as PyTorch's."""
        averages, currents = self._averaged(self.module), self._averaged(model)
        if len(averages) != len(currents):
            raise ValueError(f"AveragedModel.update_parameters: the model has {len(currents)} parameters"
                             f"{' and buffers' if self.use_buffers else ''}, the averaged copy {len(averages)}; "
                             f"pass the model the AveragedModel was made from")
        count = self.n_averaged.item()
        with ag.no_grad():
            if count == 0:
                for p_averaged, p_model in zip(averages, currents):
                    p_averaged.copy_(p_model)
            elif self.multi_avg_fn is not None:
                self.multi_avg_fn(averages, currents, self.n_averaged)
            else:  # (without either, PyTorch's CPU path: get_swa_avg_fn per parameter)
                avg_fn = self.avg_fn or get_swa_avg_fn()
                for p_averaged, p_model in zip(averages, currents):
                    p_averaged.copy_(avg_fn(p_averaged, p_model, self.n_averaged))
            if not self.use_buffers:  # (the buffers follow the model's)
                for b_averaged, b_model in zip(self.module.buffers(), model.buffers()):
                    b_averaged.copy_(b_model.detach())
            self.n_averaged.copy_(count + 1)


def update_bn(loader, model, device=None):
    """PyTorch's update_bn: one pass over loader in training mode recomputes every BatchNorm's running statistics
    as the plain average over the batches (momentum None), for weights averaged by AveragedModel. A batch that is
    a list or tuple gives its first item as the input. The model's mode and momenta are restored.

    >>> import autograd_core as ag, nn
    >>> from nn.optim.swa_utils import update_bn
    >>> model = nn.BatchNorm1d(1, dtype=float)
    >>> update_bn([ag.tensor([[0.0], [2.0]]), ag.tensor([[4.0], [6.0]])], model)
    >>> model.running_mean
    Tensor([3.])
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
    with ag.no_grad():
        for batch in loader:
            model(batch[0] if isinstance(batch, (list, tuple)) else batch)
    for module, momentum in momenta.items():
        module.momentum = momentum
    model.train(was_training)


class SWALR(LRScheduler):
    """PyTorch's SWALR: anneal each group's rate to swa_lr over anneal_epochs steps ('cos' or 'linear'), then hold
    it, for the epochs whose weights AveragedModel averages. swa_lr is one number or one per parameter group (kept in
    each group as "swa_lr"); the rates follow PyTorch's recurrence from the group's current rate.

    >>> import autograd_core as ag
    >>> from nn.optim import SGD
    >>> from nn.optim.swa_utils import SWALR
    >>> opt = SGD([ag.tensor([1.0], requires_grad=True)], lr=1.0)
    >>> sched = SWALR(opt, swa_lr=0.1, anneal_epochs=2, anneal_strategy="linear")
    >>> rates = []
    >>> for _ in range(4):
    ...     opt.step(); sched.step(); rates.append(round(opt.param_groups[0]["lr"], 6))
    >>> rates
    [0.55, 0.1, 0.1, 0.1]
    """

    def __init__(self, optimizer, swa_lr, anneal_epochs=10, anneal_strategy="cos", last_epoch=-1):
        for rate, group in zip(per_group("SWALR", "swa_lr", swa_lr, optimizer, checked_rate), optimizer.param_groups):
            group["swa_lr"] = rate
        if anneal_strategy not in ("cos", "linear"):
            raise ValueError(f"SWALR: anneal_strategy must be one of 'cos' or 'linear', got {anneal_strategy!r}")
        self.anneal_strategy = anneal_strategy
        self.anneal_epochs = checked_int("SWALR", "anneal_epochs", anneal_epochs, 0)
        super().__init__(optimizer, last_epoch)

    def _anneal(self, t):
        return t if self.anneal_strategy == "linear" else (1 - math.cos(math.pi * t)) / 2

    def get_lr(self):
        step = self._step_count - 1
        if self.anneal_epochs == 0:
            step = max(1, step)
        # (PyTorch's recurrence: the rate before annealing recovered from the current one, then annealed one more step)
        prev_alpha = self._anneal(max(0, min(1, (step - 1) / max(1, self.anneal_epochs))))
        alpha = self._anneal(max(0, min(1, step / max(1, self.anneal_epochs))))
        rates = []
        for group in self.optimizer.param_groups:
            swa_lr = group["swa_lr"]
            start = swa_lr if prev_alpha == 1 else (group["lr"] - prev_alpha * swa_lr) / (1 - prev_alpha)
            rates.append(swa_lr * alpha + start * (1 - alpha))
        return rates
