"""nn.AdaptiveLogSoftmaxWithLoss: the adaptive softmax of Grave et al. (2017, "Efficient softmax approximation for
GPUs"), with torch.nn's names, arguments, parameter names and shapes (head, tail.i.0, tail.i.1), so a torch state
dict loads.

The classes, sorted by frequency (class 0 the most frequent), are split at the cutoffs into a shortlist, which the
head scores directly, and clusters: the head gives each cluster one logit more, and a cluster's classes are scored
by its tail, a projection to in_features // div_value**i features and then to the cluster's classes. A class's
log-probability is its head log-probability (shortlist) or its cluster's plus its log-probability within the
cluster. Everything is a composition of engine operations (Linear, log_softmax, indexing, concatenate).
"""
from collections import namedtuple

import numpy as np

import autograd_core as ag

from . import functional as F
from ._arguments import as_flag, as_number, checked_number, generator, takes_device
from ._parameter_reset import resets
from .containers import ModuleList, Sequential
from .layers import Linear, _check_sizes
from .module import Module, Parameter

__all__ = ["AdaptiveLogSoftmaxWithLoss"]

_ASMoutput = namedtuple("_ASMoutput", ["output", "loss"])


class AdaptiveLogSoftmaxWithLoss(Module):
    """The adaptive softmax: forward(input, target) gives the named tuple (output, loss), output the target classes'
    log-probabilities (N,) and loss their negative mean; log_prob(input) gives every class's (N, n_classes) and
    predict(input) the most probable class (N,). input (N, in_features) with target (N,), or (in_features,) with a
    0-d target. cutoffs: increasing ints in [1, n_classes - 1]; the shortlist holds the classes below cutoffs[0],
    cluster i those in [cutoffs[i], cutoffs[i + 1]) (the last ends at n_classes), scored through
    in_features // div_value**(i + 1) features. head_bias adds a bias to the head. dtype and rng (a numpy Generator
    or int seed) as Linear's; the initialisation is Linear's, PyTorch's.

    >>> import numpy as np, nn
    >>> asm = nn.AdaptiveLogSoftmaxWithLoss(8, 10, cutoffs=[4, 8], rng=0)
    >>> [(name, p.shape) for name, p in asm.named_parameters()]
    [('head.weight', (6, 8)), ('tail.0.0.weight', (2, 8)), ('tail.0.1.weight', (4, 2)), ('tail.1.0.weight', (0, 8)), \
('tail.1.1.weight', (2, 0))]
    >>> out = asm(np.ones((3, 8), np.float32), np.array([0, 5, 9]))
    >>> out.output.shape, out.loss.shape, asm.log_prob(np.ones((3, 8), np.float32)).shape
    ((3,), (), (3, 10))
    """

    @takes_device
    def __init__(self, in_features, n_classes, cutoffs, div_value=4.0, head_bias=False, *, dtype=np.float32, rng=None):
        super().__init__()
        where = "AdaptiveLogSoftmaxWithLoss"
        in_features, = _check_sizes(where, in_features=in_features)  # (0, as PyTorch's: no features to see)
        n_classes = checked_number(n_classes, where, "n_classes", integer=True, low=2,
                                   what="an int >= 2 (a shortlist and at least one cluster)")
        cutoffs = _cutoffs(cutoffs, n_classes, where)
        self.div_value = checked_number(div_value, where, "div_value", low=0, low_open=True)
        self.head_bias = as_flag(head_bias, where, "head_bias")
        rng = generator(rng, where)
        self.in_features, self.n_classes = in_features, n_classes
        self.cutoffs = cutoffs + [n_classes]
        self.shortlist_size = self.cutoffs[0]
        self.n_clusters = len(self.cutoffs) - 1
        self.head_size = self.shortlist_size + self.n_clusters
        self.head = Linear(in_features, self.head_size, bias=self.head_bias, dtype=dtype, rng=rng)
        self.tail = ModuleList()
        for i in range(self.n_clusters):
            hidden = int(in_features // (self.div_value ** (i + 1)))
            size = self.cutoffs[i + 1] - self.cutoffs[i]
            self.tail.append(Sequential(_linear(in_features, hidden, dtype, rng), _linear(hidden, size, dtype, rng)))

    @resets
    def reset_parameters(self, rng=None):
        """Draw the head's and every tail projection's weights again, in the order the constructor drew them, as
        PyTorch's (each Linear's reset_parameters). rng: a numpy Generator or int seed; None draws from the default
        generator (ag.manual_seed's).

        >>> import nn
        >>> asm = nn.AdaptiveLogSoftmaxWithLoss(8, 10, cutoffs=[4], rng=0)
        >>> asm.reset_parameters(rng=0)
        >>> fresh = nn.AdaptiveLogSoftmaxWithLoss(8, 10, cutoffs=[4], rng=0)
        >>> bool((asm.tail[0][1].weight.data == fresh.tail[0][1].weight.data).all())
        True
        """
        self.head.reset_parameters(rng)
        for projection, output in self.tail:
            projection.reset_parameters(rng)
            output.reset_parameters(rng)

    def forward(self, input, target):
        where = "AdaptiveLogSoftmaxWithLoss"
        x = F._float_input(input, where)
        target = F._class_targets(target, where)
        if target.ndim == 1:
            if x.ndim != 2:
                raise ValueError(f"{where}: a 1-D target expects a 2-D input (N, in_features), got input of shape "
                                 f"{x.shape}")
            if x.shape[0] != target.shape[0]:
                raise ValueError(f"{where}: input and target must have the same size in the batch dimension, got "
                                 f"input {x.shape} and target {target.shape}")
        elif target.ndim == 0:
            if x.ndim != 1:
                raise ValueError(f"{where}: a 0-d target expects a 1-D input (in_features,), got input of shape "
                                 f"{x.shape}")
        else:
            raise ValueError(f"{where}: target must be 0-d or 1-D (one class per sample), got shape {target.shape}")
        batched = target.ndim == 1
        x, rows_target = (x, target) if batched else (x.reshape(1, -1), target.reshape(1))
        if rows_target.size and (rows_target.min() < 0 or rows_target.max() >= self.n_classes):
            raise F.TargetRangeError(f"{where}: target values must be in [0, {self.n_classes - 1}], got values in "
                                     f"[{rows_target.min()}, {rows_target.max()}]")
        samples = rows_target.shape[0]
        head_logprob = ag.log_softmax(self.head(x), axis=1)
        cluster_of = np.searchsorted(np.array(self.cutoffs), rows_target, side="right")  # 0: the shortlist
        head_column = np.where(cluster_of == 0, rows_target, self.shortlist_size + cluster_of - 1)
        output = head_logprob[np.arange(samples), head_column]
        for i in range(1, len(self.cutoffs)):
            rows = np.flatnonzero(cluster_of == i)
            if rows.size == 0:
                continue
            local = ag.log_softmax(self.tail[i - 1](x[rows]), axis=1)
            picked = local[np.arange(rows.size), rows_target[rows] - self.cutoffs[i - 1]]
            output = output + _scatter(picked, rows, samples)
        loss = F._weighted_mean(-output, samples)  # (NaN for no samples, as PyTorch's mean)
        return _ASMoutput(output if batched else output.reshape(()), loss)

    def _full_log_prob(self, x, head_output):
        head_logprob = ag.log_softmax(head_output, axis=1)
        parts = [head_logprob[:, :self.shortlist_size]]
        for i, cluster in enumerate(self.tail):
            column = self.shortlist_size + i
            parts.append(ag.log_softmax(cluster(x), axis=1) + head_logprob[:, column:column + 1])
        return ag.concatenate(parts, axis=1)

    def _rows(self, input, where):
        x = F._float_input(input, where)
        if x.ndim not in (1, 2) or x.shape[-1] != self.in_features:
            raise ValueError(f"{where}: input must have shape (N, {self.in_features}) or ({self.in_features},), got "
                             f"{x.shape}")
        return x.reshape(1, -1) if x.ndim == 1 else x

    def log_prob(self, input):
        """The log-probabilities of all n_classes classes: (N, n_classes) for an input (N, in_features), or
        (n_classes,) for (in_features,)."""
        x = self._rows(input, "AdaptiveLogSoftmaxWithLoss.log_prob")
        result = self._full_log_prob(x, self.head(x))
        return result if np.ndim(input) == 2 else result.reshape(-1)

    def predict(self, input):
        """The most probable class of each sample, an int64 Tensor (N,) (0-d for an input (in_features,)), as
        log_prob(input).argmax(axis=1), computing the clusters only for the samples whose head does not pick a
        shortlisted class."""
        x = self._rows(input, "AdaptiveLogSoftmaxWithLoss.predict")
        with ag.no_grad():
            head_output = self.head(x)
            output = np.argmax(head_output.data, axis=1)
            outside = np.flatnonzero(output >= self.shortlist_size)
            if outside.size:
                full = self._full_log_prob(x[outside], head_output[outside])
                output[outside] = np.argmax(full.data, axis=1)
        output = ag.tensor(output.astype(np.int64))
        return output if np.ndim(input) == 2 else output.reshape(())

    def extra_repr(self):
        return (f"in_features={self.in_features}, n_classes={self.n_classes}, cutoffs={self.cutoffs[:-1]}, "
                f"div_value={self.div_value}, head_bias={self.head_bias}")


def _linear(in_features, out_features, dtype, rng):
    """Linear(in_features, out_features, bias=False), also for a size 0 (in_features // div_value**i may be 0, as
    PyTorch allows: an empty weight, the cluster then scored uniformly), which nn.Linear refuses."""
    if in_features and out_features:
        return Linear(in_features, out_features, bias=False, dtype=dtype, rng=rng)
    layer = Linear(max(in_features, 1), max(out_features, 1), bias=False, dtype=dtype, rng=rng)
    layer.weight = Parameter(np.zeros((out_features, in_features), dtype=layer.weight.dtype))
    layer.in_features, layer.out_features = in_features, out_features
    return layer


def _scatter(values, rows, samples):
    """A Tensor (samples,) holding values at rows and 0 elsewhere (its gradient picks values' entries back)."""
    padded = ag.concatenate([values, ag.zeros(1, dtype=values.dtype)])
    position = np.full(samples, values.shape[0])
    position[rows] = np.arange(rows.size)
    return padded[position]


def _cutoffs(cutoffs, n_classes, where):
    try:
        values = list(cutoffs)
    except TypeError:
        raise TypeError(f"{where}: cutoffs must be a sequence of ints, got {cutoffs!r:.60}") from None
    if not values:
        raise ValueError(f"{where}: cutoffs should be a sequence of length larger than 0")
    numbers = [as_number(value) for value in values]
    if any(number is None for number in numbers):
        bad = values[[number is None for number in numbers].index(True)]
        raise TypeError(f"{where}: cutoffs must be ints, got {bad!r:.60} of type {type(bad).__name__}")
    ints = [int(number) if number.is_integer() else -1 for number in numbers]  # (-1: refused below, as PyTorch)
    if ints != sorted(ints) or min(ints) <= 0 or max(ints) > n_classes - 1 or len(set(ints)) != len(ints):
        raise ValueError(f"{where}: cutoffs should be a sequence of unique, positive integers sorted in an "
                         f"increasing order, where each value is between 1 and n_classes-1 ({n_classes - 1}); got "
                         f"{values}")
    return ints
