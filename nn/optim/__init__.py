"""Optimizers (torch.optim's update rules on NumPy) and learning-rate schedulers.

>>> import autograd_core as ag
>>> from nn import optim
>>> w = ag.tensor([3.0], requires_grad=True)
>>> opt = optim.Adam([w], lr=0.1)
>>> sched = optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.5)
>>> (w * w).sum().backward(); opt.step(); sched.step()
>>> sched.get_last_lr()
[0.05]
"""
from . import lr_scheduler
from . import swa_utils  # (torch.optim.swa_utils: AveragedModel, SWALR, update_bn, the EMA/SWA functions)
from .optimizer import Optimizer
from .optimizers import SGD, Adagrad, Adam, AdamW, RMSprop
from .optimizers_more import ASGD, Adadelta, Adamax, NAdam, RAdam, Rprop
from .lbfgs import LBFGS
from .adafactor import Adafactor
from .muon import Muon
from .sparse_adam import SparseAdam

__all__ = ["Optimizer", "SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adamax", "NAdam", "RAdam", "Adadelta", "ASGD",
           "Rprop", "lr_scheduler", "LBFGS", "Adafactor", "Muon", "SparseAdam", "swa_utils"]
