"""Coverage: nn.functional's activations and losses, which tests/nn checks at fixed shapes against analytic
gradients only. Here each is declared once, as the engine's operations are, and checked by the suite's generated
tests: value against a NumPy formula, gradient and second derivative against central differences (Hypothesis,
float64, shapes drawn, kinks avoided), float32 kept, the graph freed. The second derivatives of the losses are what
a Hessian-vector product or a gradient penalty through them needs."""
import sys
from pathlib import Path

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import nn
import nn.functional as F
from autograd_core.testing.strategies import broadcastable_shapes, shapes

sys.path.append(str(Path(__file__).resolve().parents[1] / "autograd_core" / "ops"))  # the engine's declaration tables
from optable import SMALL, Op, generated_tests, unnamed  # noqa: E402

REDUCTIONS = st.sampled_from(["mean", "sum", "none"])
AT_LEAST_1D = shapes(min_dims=1, max_dims=3, max_side=3).map(lambda s: (s,))


def _reduce(loss, reduction):
    return loss if reduction == "none" else (loss.mean() if reduction == "mean" else loss.sum())


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


def _softplus(x):
    return np.log1p(np.exp(-np.abs(x))) + np.maximum(x, 0)


def _log_softmax(x, axis):
    m = x.max(axis=axis, keepdims=True)
    return x - m - np.log(np.exp(x - m).sum(axis=axis, keepdims=True))


# ---- activations ---------------------------------------------------------------------------------------------
@st.composite
def _softplus_case(draw):
    return (draw(shapes(**SMALL)),), {"beta": draw(st.sampled_from([0.5, 1.0, 2.0])),
                                      "threshold": draw(st.sampled_from([1.0, 2.0, 20.0]))}


def _softplus_ref(x, beta, threshold):  # PyTorch's: x itself where beta * x > threshold
    return np.where(beta * x > threshold, x, np.log1p(np.exp(beta * x)) / beta)


def _off_the_threshold(x, beta, threshold):  # the two branches differ by up to log1p(e**-threshold) / beta there
    return bool(np.all(np.abs(beta * x - threshold) > 1e-2))


def _dim(shapes_):
    return st.fixed_dictionaries({"dim": st.integers(-len(shapes_[0]), len(shapes_[0]) - 1)})


def _dropout_ref(x, p, seed):
    return x * (np.random.default_rng(seed).random(x.shape) >= p) / (1 - p)


ACTIVATIONS = [
    Op("F.relu", F.relu, lambda x: np.maximum(x, 0), avoid=(0.0,)),
    Op("F.leaky_relu", lambda x: F.leaky_relu(x, 0.2), lambda x: np.where(x > 0, x, 0.2 * x), avoid=(0.0,)),
    Op("F.elu", lambda x: F.elu(x, alpha=0.5), lambda x: np.where(x > 0, x, 0.5 * np.expm1(x)), avoid=(0.0,)),
    Op("F.sigmoid", F.sigmoid, _sigmoid, elements=(-8.0, 8.0)),
    Op("F.tanh", F.tanh, np.tanh),
    Op("F.softplus", F.softplus, _softplus, elements=(-8.0, 8.0)),
    Op("F.softplus_beta_threshold", F.softplus, _softplus_ref, case=_softplus_case(), valid=_off_the_threshold),
    Op("F.softmax", F.softmax, lambda x, dim: np.exp(_log_softmax(x, dim)), shapes=AT_LEAST_1D, kwargs=_dim),
    Op("F.log_softmax", F.log_softmax, lambda x, dim: _log_softmax(x, dim), shapes=AT_LEAST_1D, kwargs=_dim),
    # a seeded mask: the same for every evaluation, so finite differences see a linear map
    Op("F.dropout", lambda x: F.dropout(x, p=0.3, rng=7), lambda x: _dropout_ref(x, 0.3, 7)),
]


# ---- regression losses: input and target of one shape (README), the target differentiable too ------------------
def _regression(ref):
    return lambda x, y, reduction, **kw: _reduce(ref(x - y, **kw), reduction)


def _huber(d, delta=1.0):
    return np.where(np.abs(d) < delta, 0.5 * d ** 2, delta * (np.abs(d) - 0.5 * delta))


@st.composite
def _pair(draw, **extra):
    shape = draw(shapes(**SMALL))
    kwargs = {"reduction": draw(REDUCTIONS)}
    kwargs.update({k: draw(v) for k, v in extra.items()})
    return (shape, shape), kwargs


def _apart(x, y, reduction, delta=None):  # |x - y| off 0 (l1's kink) and off delta (huber's)
    d = np.abs(x - y)
    return bool(np.all(d > 1e-2) and (delta is None or np.all(np.abs(d - delta) > 1e-2)))


REGRESSION = [
    Op("F.mse_loss", F.mse_loss, _regression(np.square), case=_pair()),
    Op("F.l1_loss", F.l1_loss, _regression(np.abs), case=_pair(), valid=_apart),
    Op("F.huber_loss", F.huber_loss, _regression(_huber), case=_pair(delta=st.sampled_from([0.3, 1.0, 2.0])),
       valid=_apart),
]


# ---- binary losses ---------------------------------------------------------------------------------------------
@st.composite
def _binary_case(draw, pos_weight=False):
    """(input shape,), targets in [0, 1] (soft), a weight broadcastable to the input, and the reduction."""
    x_shape, w_shape = draw(broadcastable_shapes(2, **SMALL).filter(lambda p: np.broadcast_shapes(*p) == p[0]))
    kwargs = {"target": draw(hnp.arrays(np.float64, x_shape, elements=st.floats(0.0, 1.0))),
              "weight": draw(st.one_of(st.none(), hnp.arrays(np.float64, w_shape, elements=st.floats(0.0, 2.0)))),
              "reduction": draw(REDUCTIONS)}
    if pos_weight:
        kwargs["pos_weight"] = draw(st.one_of(st.none(), hnp.arrays(np.float64, w_shape,
                                                                    elements=st.floats(0.5, 3.0))))
    return (x_shape,), kwargs


def _bce_ref(p, target, weight, reduction):
    loss = -(target * np.log(p) + (1 - target) * np.log1p(-p))
    return _reduce(loss if weight is None else loss * weight, reduction)


def _bce_logits_ref(z, target, weight, reduction, pos_weight):
    positive = target * _softplus(-z) * (1 if pos_weight is None else pos_weight)
    loss = positive + (1 - target) * _softplus(z)
    return _reduce(loss if weight is None else loss * weight, reduction)


BINARY = [
    Op("F.binary_cross_entropy", F.binary_cross_entropy, _bce_ref, case=_binary_case(), elements=(0.05, 0.95)),
    Op("F.binary_cross_entropy_with_logits", F.binary_cross_entropy_with_logits, _bce_logits_ref,
       case=_binary_case(pos_weight=True), elements=(-6.0, 6.0)),
]


# ---- class losses ---------------------------------------------------------------------------------------------
@st.composite
def _class_case(draw, smoothing=False):
    """(input shape,) of (C,), (N, C) or (N, C, d), integer targets (some ignored), class weights, reduction."""
    n, c, d = draw(st.integers(1, 3)), draw(st.integers(1, 4)), draw(st.integers(1, 3))
    layout = draw(st.sampled_from(["C", "NC", "NCd"]))
    x_shape, t_shape = {"C": ((c,), ()), "NC": ((n, c), (n,)), "NCd": ((n, c, d), (n, d))}[layout]
    target = draw(hnp.arrays(np.int64, t_shape, elements=st.integers(0, c - 1)))
    kwargs = {"target": target, "reduction": draw(REDUCTIONS),
              "weight": draw(st.one_of(st.none(), hnp.arrays(np.float64, (c,), elements=st.floats(0.5, 2.0)))),
              "ignore_index": draw(st.sampled_from([-100, 0]))}
    if smoothing:
        kwargs["label_smoothing"] = draw(st.sampled_from([0.0, 0.1]))
    return (x_shape,), kwargs


def _class_axis_last(x, target):
    """x with the class axis last, rows flattened: (M, C); the targets flattened: (M,)."""
    x = np.moveaxis(x, 1, -1) if x.ndim > 1 else x[None]
    return x.reshape(-1, x.shape[-1]), np.asarray(target).reshape(-1)


def _nll_ref(logp, target, reduction, weight, ignore_index, label_smoothing=0.0):
    shape = np.shape(target)
    logp, t = _class_axis_last(logp, target)
    c = logp.shape[1]
    w = np.ones(c) if weight is None else weight
    keep = t != ignore_index
    picked = np.where(keep, -logp[np.arange(len(t)), np.where(keep, t, 0)] * w[np.where(keep, t, 0)], 0.0)
    smooth = np.where(keep, -(logp * w).sum(axis=1), 0.0)  # PyTorch: the uniform part weighted per class
    losses = (1 - label_smoothing) * picked + label_smoothing / c * smooth
    if reduction == "none":
        return losses.reshape(shape)
    if reduction == "sum":
        return losses.sum()
    return losses.sum() / np.where(keep, w[np.where(keep, t, 0)], 0.0).sum()


def _cross_entropy_ref(x, target, reduction, weight, ignore_index, label_smoothing):
    return _nll_ref(_log_softmax(x, 1 if x.ndim > 1 else 0), target, reduction, weight, ignore_index,
                    label_smoothing)


def _some_kept(x, target, reduction, ignore_index, **_):  # the mean over no kept target is NaN
    return reduction != "mean" or bool(np.any(np.asarray(target) != ignore_index))


CLASS = [
    Op("F.cross_entropy", F.cross_entropy, _cross_entropy_ref, case=_class_case(smoothing=True), valid=_some_kept),
    Op("F.nll_loss", F.nll_loss, _nll_ref, case=_class_case(), valid=_some_kept),
]


# ---- cross_entropy with class probabilities: the target differentiable too -----------------------------------
@st.composite
def _probability_case(draw):
    n, c = draw(st.integers(1, 3)), draw(st.integers(1, 4))
    return ((n, c), (n, c)), {"reduction": draw(REDUCTIONS)}


def _cross_entropy_probabilities_ref(x, q, reduction):
    return _reduce(-(q * _log_softmax(x, 1)).sum(axis=1), reduction)


PROBABILITIES = [
    Op("F.cross_entropy_probability_targets", lambda x, q, reduction: F.cross_entropy(x, q, reduction=reduction),
       _cross_entropy_probabilities_ref, case=_probability_case(), elements=[(-3.0, 3.0), (0.0, 1.0)]),
]

globals().update(generated_tests(ACTIVATIONS + REGRESSION + BINARY + CLASS + PROBABILITIES))


# ---- layers built on the operations: nn.Linear and nn.Maxout, differentiated in their input ------------------
_LINEAR = nn.Linear(3, 2, dtype=np.float64, rng=0)
_MAXOUT = nn.Maxout(3, 2, pieces=3, dtype=np.float64, rng=0)


def _maxout_ref(x):
    z = x @ _MAXOUT.linear.weight.data.T + _MAXOUT.linear.bias.data
    return z.reshape(*z.shape[:-1], 2, 3).max(axis=-1)


def _no_tied_pieces(x):  # the maximum's kink: two pieces of a group within 1e-3
    z = np.sort((x @ _MAXOUT.linear.weight.data.T + _MAXOUT.linear.bias.data).reshape(*x.shape[:-1], 2, 3), axis=-1)
    return bool(np.all(np.diff(z, axis=-1) > 1e-3))


BATCHES_OF_3 = shapes(min_dims=0, max_dims=2, max_side=3).map(lambda s: (s + (3,),))

LAYERS = [
    Op("nn.Linear", lambda x: _LINEAR(x), lambda x: x @ _LINEAR.weight.data.T + _LINEAR.bias.data,
       shapes=BATCHES_OF_3, float32=False),  # (a float64 layer: a float32 input is cast to it, README)
    Op("nn.Maxout", lambda x: _MAXOUT(x), _maxout_ref, shapes=BATCHES_OF_3, valid=_no_tied_pieces, float32=False),
]

globals().update({f"{name}_layers": test for name, test in generated_tests(LAYERS).items()
                  if name != "test_float32_stays_float32"})  # float64 layers: nothing to keep float32


def test_each_declaration_names_the_function_it_covers():
    assert unnamed(ACTIVATIONS + REGRESSION + BINARY + CLASS + PROBABILITIES, F, prefix="F.") == []
    assert unnamed(LAYERS, nn, prefix="nn.") == []
