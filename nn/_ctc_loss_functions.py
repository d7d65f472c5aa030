"""The Connectionist Temporal Classification loss (Graves et al., 2006): F.ctc_loss and nn.CTCLoss, with
torch.nn's names, arguments and defaults.

The loss of a sample is -log p(target | log_probs), p summed over every alignment of the target to the input's
frames: the forward (alpha) recursion of Graves et al. over the extended target l' (the labels with a blank before,
between and after them, 2 S + 1 states), in log space, one recorded step per frame, vectorised over the batch and the
states:

    alpha_t(s) = logsumexp(alpha_{t-1}(s), alpha_{t-1}(s - 1), alpha_{t-1}(s - 2) if l'_s != blank, l'_{s-2})
                 + log_probs[t, l'_s],

started from alpha_{-1} = log of one-hot at the state 0 (no frame read yet), and read at the last two states after
the sample's input_length frames. Each step is a composition of engine operations (indexing, where, stack,
logsumexp), so the gradient and the second derivatives are the engine's; nn holds no CTC formula.

The states that no alignment reaches (alpha = -inf: too few frames for the target, or log-probabilities of -inf) are
masked out of each logsumexp with where, and rows with no reachable predecessor are computed from a finite stand-in
and dropped: the graph holds no NaN, and an impossible target gets loss inf with gradient 0 (zero_infinity=True makes
its loss 0). Non-finite log-probabilities give PyTorch's losses: NaN for a NaN or +inf on an alignment, and (its
kernel computes every state of the sample from the second frame on, -inf + NaN) for one on a state no alignment
reaches at that frame; one in the first frame off the alignments, or on a state from which the end cannot be reached,
changes nothing. The states from which the end cannot be reached are left out of the recursion, so a NaN there
gives no NaN gradient either: a finite loss has its true, finite gradient (PyTorch's can be NaN); a NaN loss's
gradient is NaN on entries the alignments read (PyTorch's: on all the sample's).

Departure: the gradient with respect to log_probs is the true derivative, -sum_s alpha beta / p over the states of
each class. PyTorch's kernel returns that plus exp(log_probs) (a term that vanishes once it is backpropagated through
a log_softmax, over which the sum of the probabilities is 1): after log_softmax, the gradients agree; on raw
log_probs, they differ by exp(log_probs) (PyTorch's is not the derivative of its own loss there).
"""
import numpy as np

import autograd_core as ag
from autograd_core import Tensor
from autograd_core.tensor import saved_value

from . import functional as F  # its checks (nn.functional imports this module: F is read at call time)
from ._arguments import as_flag, checked_number
from ._loss_functions import LossArgumentError, LossDtypeError
from .losses import _Loss

__all__ = ["ctc_loss", "CTCLoss"]


def ctc_loss(log_probs, targets, input_lengths, target_lengths, blank=0, reduction="mean", zero_infinity=False):
    """The CTC loss of log-probabilities (T, N, C) (frames, batch, classes; e.g. log_softmax over C), or (T, C) for
    one sample, and targets: padded (N, S) (each row's first target_lengths[n] entries), or the targets of all
    samples concatenated (sum(target_lengths),) (unbatched: (1, S) or (target_length,), as PyTorch's).
    input_lengths and target_lengths: one int per sample (a tuple, list, array or Tensor; a number or 0-d array when
    unbatched), input_lengths[n] <= T. Target labels are class indices in [0, C) other than blank. reduction "mean"
    divides each sample's loss by its target length (at least 1) and averages over the batch, as PyTorch's; "sum"
    adds; "none" gives one loss per sample (a 0-d Tensor unbatched). An impossible target (longer, with its repeats,
    than the frames allow) has loss inf, or 0 with zero_infinity=True; its gradient is 0 (PyTorch's is NaN without
    zero_infinity). The gradient with respect to log_probs is the true derivative (PyTorch's adds exp(log_probs),
    see the module's docstring).

    >>> import numpy as np, autograd_core as ag, nn.functional as F
    >>> log_probs = ag.log_softmax(ag.zeros((3, 1, 2)), axis=2)  # 3 frames, classes {blank, 'a'}, uniform
    >>> round(F.ctc_loss(log_probs, np.array([[1]]), [3], [1]).item(), 4)  # 6 of 8 paths read 'a': -log(6/8)
    0.2877
    """
    where = "ctc_loss"
    F.check_reduction(reduction, where)
    zero_infinity = as_flag(zero_infinity, where, "zero_infinity")
    lp = F._float_input(log_probs, where)
    if lp.ndim not in (2, 3):
        raise LossArgumentError(f"{where}: log_probs must have shape (T, N, C) (frames, batch, classes) or (T, C) "
                                f"for one sample, got shape {lp.shape}")
    if lp.size == 0:
        raise LossArgumentError(f"{where}: log_probs tensor must not be empty, got shape {lp.shape}; it needs at "
                                f"least one frame, sample and class")
    batched = lp.ndim == 3
    if not batched:
        lp = lp.reshape(lp.shape[0], 1, lp.shape[1])
    frames, samples, classes = lp.shape
    blank = checked_number(blank, where, "blank", integer=True, low=0, high=classes - 1,
                           what=f"a class index in [0, {classes - 1}] (log_probs has {classes} classes)")
    input_lengths = _lengths(input_lengths, samples, batched, where, "input_lengths")
    target_lengths = _lengths(target_lengths, samples, batched, where, "target_lengths")
    if input_lengths.max() > frames:
        raise LossArgumentError(f"{where}: input_lengths must be at most the number of frames T={frames} "
                                f"(log_probs of shape {np.shape(log_probs)}), got {input_lengths.max()}")
    labels = _padded_targets(targets, target_lengths, batched, where)
    if labels.size:
        wrong = (labels < 0) | (labels >= classes) | (labels == blank)
        wrong &= np.arange(labels.shape[1]) < target_lengths[:, None]
        if wrong.any():
            bad = labels[wrong][0]
            raise LossArgumentError(f"{where}: target label {bad} is not valid for log_probs with {classes} classes "
                                    f"and blank={blank}; labels must be class indices in [0, {classes - 1}] other "
                                    f"than the blank")
        labels = np.where(np.arange(labels.shape[1]) < target_lengths[:, None], labels, blank)  # padding: any value
    losses = _negative_log_likelihoods(lp, labels, input_lengths, target_lengths, blank)
    if zero_infinity:
        infinite = losses.data == np.inf
        if infinite.any():
            losses = ag.where(infinite, 0, losses)
    if reduction == "none":
        return losses if batched else losses.reshape(())
    if reduction == "sum":
        return losses.sum()
    return (losses / np.maximum(target_lengths, 1).astype(lp.dtype)).mean()


def _lengths(values, samples, batched, where, name):
    """One int >= 0 per sample, as an int64 array (samples,)."""
    lengths = saved_value(values) if isinstance(values, Tensor) else np.asarray(values)
    if lengths.dtype.kind not in "iu":
        raise LossDtypeError(f"{where}: {name} must hold integers (one length per sample), got dtype "
                             f"{lengths.dtype} ({values!r:.60})")
    if lengths.ndim > 1 or (lengths.ndim == 0 and batched) or lengths.size != samples:
        raise LossArgumentError(f"{where}: {name} must hold one length per sample, {samples} of them (shape "
                                f"{(samples,)}{'' if batched else ' or ()'}), got shape {lengths.shape}")
    lengths = lengths.astype(np.int64).reshape(samples)
    if lengths.min() < 0:
        raise LossArgumentError(f"{where}: {name} must be >= 0, got {lengths.min()}")
    return lengths


def _padded_targets(targets, target_lengths, batched, where):
    """The targets as an int64 array (N, max(target_lengths)), each row's labels first (the rest is padding)."""
    labels = saved_value(targets) if isinstance(targets, Tensor) else np.asarray(targets)
    if labels.dtype.kind not in "iu" and not (labels.size == 0 and labels.dtype.kind in "f"):
        raise LossDtypeError(f"{where}: targets must hold integers (class indices), got dtype {labels.dtype}")
    labels = labels.astype(np.int64)
    samples, longest = len(target_lengths), int(target_lengths.max())
    if labels.ndim == 2:
        if labels.shape[0] != samples or labels.shape[1] < longest:
            raise LossArgumentError(f"{where}: padded targets must have shape (N, S) with N={samples} samples and "
                                    f"S >= the longest target_length, {longest}; got shape {labels.shape}")
        return labels[:, :longest]
    if labels.ndim == 1:  # the samples' targets one after another (unbatched too, as PyTorch's)
        if labels.size != target_lengths.sum():
            raise LossArgumentError(f"{where}: concatenated targets (1-D) must hold sum(target_lengths) = "
                                    f"{target_lengths.sum()} labels, got {labels.size}")
        starts = np.concatenate([[0], np.cumsum(target_lengths)[:-1]])
        positions = np.minimum(starts[:, None] + np.arange(longest), max(labels.size - 1, 0))
        return labels[positions] if labels.size else np.zeros((samples, longest), np.int64)
    raise LossArgumentError(f"{where}: targets must have shape (N, S) (padded) or (sum(target_lengths),) "
                            f"(concatenated), N the batch size ({samples}; 1 for log_probs (T, C)); got shape "
                            f"{labels.shape}")


def _negative_log_likelihoods(lp, labels, input_lengths, target_lengths, blank):
    """-log p(target | lp) per sample, (N,), by the alpha recursion in log space (see the module's docstring)."""
    frames, samples, _ = lp.shape
    states = 2 * labels.shape[1] + 1
    extended = np.full((samples, states), blank, np.int64)
    extended[:, 1::2] = labels
    used = np.arange(states) < (2 * target_lengths + 1)[:, None]  # (N, K): the sample's own states
    skips = np.zeros((samples, states), bool)  # s may come from s - 2: a label unlike the one before it
    skips[:, 3::2] = labels[:, 1:] != labels[:, :-1]
    allowed = np.stack([used, used & (np.arange(states) >= 1), used & skips], axis=-1)  # (N, K, 3)
    emitted = lp[:, np.arange(samples)[:, None], extended]  # (T, N, K): log_probs[t, n, l'_s]
    none = np.full((samples, 1), -np.inf, lp.dtype)
    alpha = ag.tensor(np.where(np.arange(states) == 0, 0, -np.inf).astype(lp.dtype)[None].repeat(samples, 0))
    alive = _alive(used, skips, 2 * target_lengths, input_lengths, frames)
    for t in range(frames):
        before = ag.stack([alpha, ag.concatenate([none, alpha[:, :-1]], axis=1),
                           ag.concatenate([none, none, alpha[:, :-2]], axis=1)[:, :states]], axis=-1)
        reachable = allowed & (before.data != -np.inf)  # (a -inf alpha passes no gradient; a NaN one is kept)
        some = reachable.any(axis=-1)
        computed = some & alive[t]  # (a state that cannot reach the end is -inf: a NaN there spreads no NaN gradient)
        candidates = ag.where(computed[..., None], ag.where(reachable, before, -np.inf), 0)  # finite stand-in rows
        step = ag.where(computed, ag.logsumexp(candidates, axis=-1) + emitted[t], -np.inf)
        # PyTorch's arithmetic, for its NaN: its logsumexp of a +inf is NaN (inf - inf), and from the second frame on
        # it computes every state of the sample, the unreachable ones as -inf + log_probs (NaN for NaN or +inf)
        undefined = (allowed & (before.data == np.inf)).any(axis=-1)
        if t:
            undefined |= used & ~some & ~(emitted.data[t] < np.inf)
        undefined &= alive[t]  # (PyTorch's NaN on a state that cannot reach the end does not reach the loss)
        if undefined.any():
            step = ag.where(undefined, np.nan, step)
        active = t < input_lengths
        alpha = step if active.all() else ag.where(active[:, None], step, alpha)
    rows = np.arange(samples)
    last = 2 * target_lengths
    ends = ag.stack([alpha[rows, last], alpha[rows, np.maximum(last - 1, 0)]], axis=-1)  # (N, 2)
    reachable = np.stack([np.ones(samples, bool), last >= 1], axis=-1) & (ends.data != -np.inf)
    some = reachable.any(axis=-1)
    candidates = ag.where(some[:, None], ag.where(reachable, ends, -np.inf), 0)
    losses = ag.where(some, -ag.logsumexp(candidates, axis=-1), np.inf)
    undefined = (last >= 1) & (ends.data == np.inf).any(axis=-1)  # (an empty target's loss is -alpha: -inf for +inf)
    return ag.where(undefined, np.nan, losses) if undefined.any() else losses


def _alive(used, skips, last, input_lengths, frames):
    """(T, N, K) bools: at frame t, state s of sample n can still reach an end state (last or last - 1) at the
    sample's last frame, input_lengths[n] - 1 (False from that frame on): the alpha recursion's moves, backwards."""
    ends = (np.arange(used.shape[1]) == last[:, None]) | (np.arange(used.shape[1]) == (last - 1)[:, None])
    alive = np.zeros((frames,) + used.shape, bool)
    later = np.zeros(used.shape, bool)
    for t in reversed(range(frames)):
        moves = later.copy()  # s -> s, s + 1, and s + 2 where s + 2 may skip
        moves[:, :-1] |= later[:, 1:]
        moves[:, :-2] |= later[:, 2:] & skips[:, 2:]
        later = np.where((t == input_lengths - 1)[:, None], ends, moves & used) & (t < input_lengths)[:, None]
        alive[t] = later
    return alive


class CTCLoss(_Loss):
    """The Connectionist Temporal Classification loss: loss(log_probs, targets, input_lengths, target_lengths) (see
    F.ctc_loss), with PyTorch's arguments blank, reduction and zero_infinity.

    >>> import numpy as np, autograd_core as ag, nn
    >>> log_probs = ag.log_softmax(ag.zeros((2, 1, 3)), axis=2)  # 2 frames, 3 classes, uniform
    >>> round(nn.CTCLoss(reduction="sum")(log_probs, np.array([[1, 2]]), [2], [2]).item(), 4)  # -log(1/9)
    2.1972
    """

    def __init__(self, blank=0, reduction="mean", zero_infinity=False):
        super().__init__(reduction)
        self.blank = checked_number(blank, "CTCLoss", "blank", integer=True, low=0)
        self.zero_infinity = as_flag(zero_infinity, "CTCLoss", "zero_infinity")

    def forward(self, log_probs, targets, input_lengths, target_lengths):
        return ctc_loss(log_probs, targets, input_lengths, target_lengths, self.blank, self.reduction,
                        self.zero_infinity)

    def extra_repr(self):
        return f"blank={self.blank}, reduction={self.reduction!r}, zero_infinity={self.zero_infinity}"
