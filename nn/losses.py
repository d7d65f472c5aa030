"""Loss functions as Modules (PyTorch's names and arguments); each calls its nn.functional twin.

`loss_fn(input, target)` returns a 0-d Tensor for reduction "mean" (the default) or "sum",
and the per-element losses for "none".

>>> import numpy as np, autograd_core as ag, nn
>>> z = ag.tensor([[0.0, 0.0]], requires_grad=True)
>>> loss = nn.CrossEntropyLoss()(z, np.array([1]))
>>> loss.backward()
>>> z.grad  # softmax(z) - onehot(y), the course notes' dL/da = p - y
Tensor([[ 0.5, -0.5]])
"""
from . import functional as F
from ._arguments import takes_legacy_reduction
from .module import Module

__all__ = ["MSELoss", "L1Loss", "HuberLoss", "BCELoss", "BCEWithLogitsLoss", "CrossEntropyLoss", "NLLLoss"]


class _Loss(Module):
    @takes_legacy_reduction
    def __init__(self, reduction="mean"):
        super().__init__()
        F.check_reduction(reduction, type(self).__name__)
        self.reduction = reduction

    def extra_repr(self):
        return f"reduction={self.reduction!r}"

    def _keep_weights(self, **weights):
        """Keep each weight (None, or numbers already checked) as a buffer, as PyTorch's weighted losses register
        weight (BCEWithLogitsLoss pos_weight too): in the state dict when given (so a model holding the loss loads
        PyTorch's state dict), cast by Module.to, None otherwise."""
        for name, value in weights.items():
            self.register_buffer(name, value)


class MSELoss(_Loss):
    """Mean squared error (x - y)**2.

    >>> import autograd_core as ag, nn
    >>> nn.MSELoss(reduction="sum")(ag.tensor([1.0, 2.0]), [0.0, 0.0])
    Tensor(5.)
    """

    def forward(self, input, target):
        return F.mse_loss(input, target, self.reduction)


class L1Loss(_Loss):
    """Mean absolute error |x - y|.

    >>> import autograd_core as ag, nn
    >>> nn.L1Loss()(ag.tensor([1.0, -3.0]), [0.0, 0.0])
    Tensor(2.)
    """

    def forward(self, input, target):
        return F.l1_loss(input, target, self.reduction)


class HuberLoss(_Loss):
    """Huber loss: quadratic for |x - y| < delta, linear beyond.

    >>> import autograd_core as ag, nn
    >>> nn.HuberLoss(delta=1.0)(ag.tensor([3.0]), [0.0])
    Tensor(2.5)
    """

    def __init__(self, reduction="mean", delta=1.0):
        super().__init__(reduction)
        self.delta = F.check_positive("HuberLoss", "delta", delta)

    def forward(self, input, target):
        return F.huber_loss(input, target, self.reduction, self.delta)

    def extra_repr(self):
        return f"reduction={self.reduction!r}, delta={self.delta}"


class BCELoss(_Loss):
    """Binary cross-entropy of probabilities (e.g. after Sigmoid) and targets in [0, 1]; logarithms
    clamped at -100. Prefer BCEWithLogitsLoss on logits: it is stable for any logit.

    >>> import autograd_core as ag, nn
    >>> round(nn.BCELoss()(ag.tensor([0.8]), [1.0]).item(), 4)
    0.2231
    """

    @takes_legacy_reduction
    def __init__(self, weight=None, reduction="mean"):
        super().__init__(reduction)
        F.check_weight(weight, "weight", "BCELoss", masks=True)
        self._keep_weights(weight=weight)

    def forward(self, input, target):
        return F.binary_cross_entropy(input, target, self.weight, self.reduction)


class BCEWithLogitsLoss(_Loss):
    """Binary cross-entropy on logits z: zeta((1 - 2y) z) for y in {0, 1}, stable for any z.

    >>> import autograd_core as ag, nn
    >>> nn.BCEWithLogitsLoss()(ag.tensor([1e4]), [0.0])
    Tensor(10000.)
    """

    @takes_legacy_reduction
    def __init__(self, weight=None, reduction="mean", pos_weight=None):
        super().__init__(reduction)
        F.check_weight(weight, "weight", "BCEWithLogitsLoss", masks=True)
        F.check_weight(pos_weight, "pos_weight", "BCEWithLogitsLoss")
        self._keep_weights(weight=weight, pos_weight=pos_weight)

    def forward(self, input, target):
        return F.binary_cross_entropy_with_logits(input, target, self.weight, self.reduction, self.pos_weight)


class CrossEntropyLoss(_Loss):
    """Cross-entropy of logits (N, C) and integer class targets (N,) (or class probabilities),
    computed as -log_softmax(z)[n, y_n] with log_softmax(z) = z - logsumexp(z): stable.
    label_smoothing s mixes the target with the uniform distribution: (1 - s) y + s / C.

    >>> import numpy as np, autograd_core as ag, nn
    >>> round(nn.CrossEntropyLoss()(ag.tensor([[2.0, 0.0, -1.0]]), np.array([0])).item(), 4)
    0.1698
    >>> round(nn.CrossEntropyLoss(label_smoothing=0.1)(ag.tensor([[2.0, 0.0, -1.0]]), np.array([0])).item(), 4)
    0.3365
    """

    @takes_legacy_reduction
    def __init__(self, weight=None, ignore_index=-100, reduction="mean", label_smoothing=0.0):
        super().__init__(reduction)
        F.check_class_options(weight, ignore_index, label_smoothing, "CrossEntropyLoss")
        self.ignore_index, self.label_smoothing = ignore_index, label_smoothing
        self._keep_weights(weight=weight)

    def forward(self, input, target):
        return F.cross_entropy(input, target, self.weight, self.ignore_index, self.reduction, self.label_smoothing)


class NLLLoss(_Loss):
    """Negative log-likelihood of class targets given log-probabilities (e.g. after LogSoftmax).

    >>> import numpy as np, autograd_core as ag, nn
    >>> nn.NLLLoss()(ag.tensor([[-0.5, -2.0]]), np.array([0]))
    Tensor(0.5)
    """

    @takes_legacy_reduction
    def __init__(self, weight=None, ignore_index=-100, reduction="mean"):
        super().__init__(reduction)
        F.check_class_options(weight, ignore_index, 0.0, "NLLLoss")
        self.ignore_index = ignore_index
        self._keep_weights(weight=weight)

    def forward(self, input, target):
        return F.nll_loss(input, target, self.weight, self.ignore_index, self.reduction)
