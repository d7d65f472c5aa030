"""Learning-rate schedulers with PyTorch's names, arguments and semantics.

- base: LRScheduler, the base class (get_last_lr, state_dict, load_state_dict, last_epoch and initial_lr), and
  _LRScheduler, PyTorch's older name of it, for the subclasses written against that name;
- factors: StepLR, MultiStepLR, ExponentialLR, ConstantLR, LinearLR, PolynomialLR, LambdaLR, MultiplicativeLR;
- cycles: CosineAnnealingLR, CosineAnnealingWarmRestarts, OneCycleLR;
- cyclic: CyclicLR, stepped after each batch;
- plateau: ReduceLROnPlateau, stepped with a metric (scheduler.step(val_loss));
- combined: SequentialLR and ChainedScheduler, made of other schedulers.

A scheduler edits `group["lr"]` of its optimizer. Creating it records each group's `initial_lr` and sets epoch 0;
call `step()` once after each epoch (OneCycleLR: after each batch), after `optimizer.step()`. The rates equal
PyTorch's to the last bit: each is computed as PyTorch computes it.

>>> import autograd_core as ag
>>> from nn.optim import SGD
>>> from nn.optim.lr_scheduler import MultiStepLR
>>> opt = SGD([ag.tensor([1.0], requires_grad=True)], lr=1.0)
>>> sched = MultiStepLR(opt, milestones=[1, 3], gamma=0.5)
>>> for epoch in range(4):
...     opt.step(); sched.step()
>>> sched.get_last_lr(), sched.last_epoch
([0.25], 4)
"""
# (_LRScheduler and _enable_get_lr_call: private names, as PyTorch's, which code written against it uses; not in
# __all__)
from .base import LRScheduler, _enable_get_lr_call, _LRScheduler  # noqa: F401
# PyTorch's words at a step given an epoch, importable from here as from torch.optim.lr_scheduler (not in __all__)
from .base import EPOCH_DEPRECATION_WARNING  # noqa: F401
from .combined import ChainedScheduler, SequentialLR
from .cycles import CosineAnnealingLR, CosineAnnealingWarmRestarts, OneCycleLR
from .cyclic import CyclicLR
from .factors import (ConstantLR, ExponentialLR, LambdaLR, LinearLR, MultiplicativeLR, MultiStepLR, PolynomialLR,
                      StepLR)
from .plateau import ReduceLROnPlateau

__all__ = ["LRScheduler", "LambdaLR", "MultiplicativeLR", "StepLR", "MultiStepLR", "ConstantLR", "LinearLR",
           "ExponentialLR", "PolynomialLR", "CosineAnnealingLR", "CosineAnnealingWarmRestarts", "OneCycleLR",
           "ReduceLROnPlateau", "SequentialLR", "ChainedScheduler", "CyclicLR"]
