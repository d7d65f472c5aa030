"""PyTorch's other losses as Modules: SmoothL1Loss, KLDivLoss, PoissonNLLLoss, GaussianNLLLoss, SoftMarginLoss,
MarginRankingLoss, HingeEmbeddingLoss, CosineEmbeddingLoss, MultiLabelSoftMarginLoss, MultiMarginLoss,
TripletMarginLoss and MultiLabelMarginLoss, with torch.nn's names, arguments (the deprecated size_average and
reduce as keywords) and defaults. Each checks its settings when made and calls its nn.functional twin
(nn/_loss_functions.py, nn/_small_functions_more.py).

>>> import autograd_core as ag, nn
>>> x = ag.tensor([0.5, 3.0], requires_grad=True)
>>> loss = nn.SmoothL1Loss(beta=1.0)(x, [0.0, 0.0])
>>> loss.backward()
>>> loss, x.grad
(Tensor(1.3125, op=mean), Tensor([0.25, 0.5 ]))
"""
from . import _loss_functions as L
from . import functional as F
from ._arguments import as_flag, checked_number, takes_legacy_reduction
from .losses import _Loss

__all__ = ["SmoothL1Loss", "KLDivLoss", "PoissonNLLLoss", "GaussianNLLLoss", "SoftMarginLoss", "MarginRankingLoss",
           "HingeEmbeddingLoss", "CosineEmbeddingLoss", "MultiLabelSoftMarginLoss", "MultiMarginLoss",
           "TripletMarginLoss", "MultiLabelMarginLoss"]


class _SetLoss(_Loss):
    """A loss with settings (attribute names, shown in its repr after the reduction)."""

    settings = ()

    def extra_repr(self):
        return ", ".join([super().extra_repr()] + [f"{name}={getattr(self, name)!r}" for name in self.settings])


class SmoothL1Loss(_SetLoss):
    """0.5 d**2 / beta where |d| < beta, |d| - 0.5 beta elsewhere (d = x - y); beta = 0 is L1Loss.

    >>> import autograd_core as ag, nn
    >>> nn.SmoothL1Loss(reduction="sum", beta=2.0)(ag.tensor([1.0, 3.0]), [0.0, 0.0])
    Tensor(2.25)
    """

    settings = ("beta",)

    @takes_legacy_reduction
    def __init__(self, reduction="mean", beta=1.0):
        super().__init__(reduction)
        self.beta = checked_number(beta, "SmoothL1Loss", "beta", low=0)

    def forward(self, input, target):
        return F.smooth_l1_loss(input, target, self.reduction, self.beta)


class KLDivLoss(_Loss):  # (a _Loss, as PyTorch's: isinstance(m, nn.modules.loss._Loss))
    """The Kullback-Leibler divergence of the target distribution from the input's (log-probabilities);
    reduction="batchmean" gives the divergence per sample (see F.kl_div).

    >>> import numpy as np, autograd_core as ag, nn
    >>> loss = nn.KLDivLoss(reduction="batchmean", log_target=True)
    >>> round(loss(ag.log(ag.tensor([[0.5, 0.5]])), np.log([[0.25, 0.75]])).item(), 4)
    0.1308
    """

    @takes_legacy_reduction
    def __init__(self, reduction="mean", log_target=False):
        super().__init__()
        L._check_kl_reduction(reduction, "KLDivLoss")
        self.reduction, self.log_target = reduction, as_flag(log_target, "KLDivLoss", "log_target")

    def forward(self, input, target):
        return F.kl_div(input, target, self.reduction, self.log_target)

    def extra_repr(self):
        return f"reduction={self.reduction!r}, log_target={self.log_target}"


class PoissonNLLLoss(_SetLoss):
    """The negative log-likelihood of counts under a Poisson distribution (see F.poisson_nll_loss).

    >>> import autograd_core as ag, nn
    >>> nn.PoissonNLLLoss()(ag.tensor([0.0]), [1.0])
    Tensor(1.)
    """

    settings = ("log_input", "full", "eps")

    @takes_legacy_reduction
    def __init__(self, log_input=True, full=False, eps=1e-8, reduction="mean"):
        super().__init__(reduction)
        self.log_input = as_flag(log_input, "PoissonNLLLoss", "log_input")
        self.full = as_flag(full, "PoissonNLLLoss", "full")
        self.eps = L._eps(eps, "PoissonNLLLoss")

    def forward(self, log_input, target):  # (PyTorch's names: the input is the log-rate unless log_input=False)
        return F.poisson_nll_loss(log_input, target, self.log_input, self.full, self.eps, self.reduction)


class GaussianNLLLoss(_SetLoss):
    """The negative log-likelihood of targets under normal distributions: loss(input, target, var) (see
    F.gaussian_nll_loss). Its settings are keywords, as PyTorch's.

    >>> import autograd_core as ag, nn
    >>> round(nn.GaussianNLLLoss(full=True)(ag.tensor([1.0]), [1.0], 1.0).item(), 4)
    0.9189
    """

    settings = ("full", "eps")

    def __init__(self, *, full=False, eps=1e-6, reduction="mean"):
        super().__init__(reduction)
        self.full, self.eps = as_flag(full, "GaussianNLLLoss", "full"), L._eps(eps, "GaussianNLLLoss")

    def forward(self, input, target, var):
        return F.gaussian_nll_loss(input, target, var, self.full, self.eps, self.reduction)


class SoftMarginLoss(_Loss):
    """log(1 + e**(-y x)) for targets y of 1 or -1, finite for any x.

    >>> import autograd_core as ag, nn
    >>> round(nn.SoftMarginLoss()(ag.tensor([0.0]), [1.0]).item(), 4)
    0.6931
    """

    def forward(self, input, target):
        return F.soft_margin_loss(input, target, self.reduction)


class _PairLoss(_SetLoss):
    """A loss of two inputs and a target with a margin (default 0): loss(input1, input2, target)."""

    settings = ("margin",)
    function = None  # the nn.functional function, as a staticmethod

    @takes_legacy_reduction
    def __init__(self, margin=0.0, reduction="mean"):
        super().__init__(reduction)
        self.margin = L._margin(margin, type(self).__name__)

    def forward(self, input1, input2, target):
        return self.function(input1, input2, target, self.margin, self.reduction)


class MarginRankingLoss(_PairLoss):
    """max(0, -y (x1 - x2) + margin): loss(input1, input2, target).

    >>> import autograd_core as ag, nn
    >>> nn.MarginRankingLoss(margin=1.0)(ag.tensor([2.0]), ag.tensor([1.5]), [1.0])
    Tensor(0.5)
    """

    function = staticmethod(F.margin_ranking_loss)


class HingeEmbeddingLoss(_SetLoss):
    """x for similar pairs (y = 1), max(0, margin - x) for dissimilar ones (y = -1).

    >>> import autograd_core as ag, nn
    >>> nn.HingeEmbeddingLoss(reduction="none")(ag.tensor([0.25, 0.25]), [1, -1])
    Tensor([0.25, 0.75])
    """

    settings = ("margin",)

    @takes_legacy_reduction
    def __init__(self, margin=1.0, reduction="mean"):
        super().__init__(reduction)
        self.margin = L._margin(margin, "HingeEmbeddingLoss")

    def forward(self, input, target):
        return F.hinge_embedding_loss(input, target, self.margin, self.reduction)


class CosineEmbeddingLoss(_PairLoss):
    """1 - cos(x1, x2) for similar pairs (y = 1), max(0, cos(x1, x2) - margin) for dissimilar ones (y = -1):
    loss(input1, input2, target).

    >>> import autograd_core as ag, nn
    >>> nn.CosineEmbeddingLoss()(ag.tensor([[1.0, 0.0]]), ag.tensor([[0.0, 2.0]]), [1])
    Tensor(1.)
    """

    function = staticmethod(F.cosine_embedding_loss)


class MultiLabelSoftMarginLoss(_Loss):
    """The mean over classes of binary cross-entropies of logits, one loss per sample (see
    F.multilabel_soft_margin_loss); weight, if given, multiplies each class's term.

    >>> import autograd_core as ag, nn
    >>> round(nn.MultiLabelSoftMarginLoss()(ag.tensor([[0.0, 0.0]]), [[1.0, 0.0]]).item(), 4)
    0.6931
    """

    @takes_legacy_reduction
    def __init__(self, weight=None, reduction="mean"):
        super().__init__(reduction)
        F.check_weight(weight, "weight", "MultiLabelSoftMarginLoss", masks=True)
        self._keep_weights(weight=weight)

    def forward(self, input, target):
        return F.multilabel_soft_margin_loss(input, target, self.weight, self.reduction)


class MultiMarginLoss(_SetLoss):
    """The multi-class hinge loss of scores (N, C) and class indices (N,) (see F.multi_margin_loss).

    >>> import numpy as np, autograd_core as ag, nn
    >>> nn.MultiMarginLoss(p=2)(ag.tensor([[0.0, 0.5]]), np.array([1]))
    Tensor(0.125)
    """

    settings = ("p", "margin")

    @takes_legacy_reduction
    def __init__(self, p=1, margin=1.0, weight=None, reduction="mean"):
        super().__init__(reduction)
        if isinstance(p, bool) or p not in (1, 2):
            raise ValueError(f"MultiMarginLoss: p must be 1 or 2 (the hinge, or its square), got {p!r}")
        F.check_weight(weight, "weight", "MultiMarginLoss")
        self.p, self.margin = p, L._margin(margin, "MultiMarginLoss")
        self._keep_weights(weight=weight)

    def forward(self, input, target):
        return F.multi_margin_loss(input, target, self.p, self.margin, self.weight, self.reduction)


class TripletMarginLoss(_SetLoss):
    """max(0, margin + d(a, pos) - d(a, neg)) for p-norm distances d: loss(anchor, positive, negative) (see
    F.triplet_margin_loss).

    >>> import autograd_core as ag, nn
    >>> loss = nn.TripletMarginLoss(margin=1.0, eps=0.0)
    >>> loss(ag.tensor([[0.0, 0.0]]), ag.tensor([[3.0, 4.0]]), ag.tensor([[1.0, 0.0]]))
    Tensor(5.)
    """

    settings = ("margin", "p", "eps", "swap")

    @takes_legacy_reduction
    def __init__(self, margin=1.0, p=2.0, eps=1e-6, swap=False, reduction="mean"):
        super().__init__(reduction)
        where = "TripletMarginLoss"
        self.margin, self.p = L._margin(margin, where, positive=True), L._p(p, where)
        self.eps, self.swap = L._eps(eps, where), as_flag(swap, where, "swap")

    def forward(self, anchor, positive, negative):
        return F.triplet_margin_loss(anchor, positive, negative, self.margin, self.p, self.eps, self.swap,
                                     self.reduction)


class MultiLabelMarginLoss(_Loss):
    """The multi-label hinge loss of scores (N, C) or (C,) and targets of the same shape, each sample's target
    classes first, ended by -1 (see F.multilabel_margin_loss).

    >>> import numpy as np, autograd_core as ag, nn
    >>> nn.MultiLabelMarginLoss()(ag.tensor([[0.1, 0.2, 0.4, 0.8]]), np.array([[3, 0, -1, 1]]))
    Tensor(0.85)
    """

    def forward(self, input, target):
        return F.multilabel_margin_loss(input, target, self.reduction)
