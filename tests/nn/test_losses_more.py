"""PyTorch's other losses and the distances (nn/losses_more.py, nn/_loss_functions.py), without PyTorch (they run in
CI): each function declared once for the suite's generated tests (value against a NumPy reference written from its
formula for every reduction, gradients and second derivatives of every float operand against central differences
with Hypothesis in float64, kinks avoided, broadcast shapes where PyTorch broadcasts, float32 kept, inputs not
mutated, the graph freed); then the kink conventions, finiteness at extreme inputs, the errors, and the modules.
test_losses_more_torch.py compares all of it with PyTorch."""
import math
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import strategies as st

import autograd_core as ag
import nn
import nn.functional as F
from autograd_core.testing.strategies import broadcastable_shapes, elements, shapes

sys.path.append(str(Path(__file__).resolve().parents[1] / "autograd_core" / "ops"))  # the engine's declaration tables
from optable import Op, generated_tests  # noqa: E402

REDUCTIONS = ("mean", "sum", "none")
SMALL = dict(min_dims=0, max_dims=3, max_side=3)
AWAY = 1e-3  # how far from a kink the drawn values stay
EPS = float(np.float32(1e-12))  # cosine_embedding_loss's, PyTorch's


# ---- NumPy references, from the formulas -----------------------------------------------------------------------
def reduced(loss, reduction):
    return {"mean": np.mean, "sum": np.sum, "none": np.asarray}[reduction](loss)


def norm_ref(x, p, axis=-1, keepdims=False):
    if np.ndim(x) == 0:
        return np.abs(x)
    return np.linalg.norm(x, ord=p, axis=axis, keepdims=keepdims)


def smooth_l1_ref(x, y, reduction="mean", beta=1.0):
    d = np.abs(x - y)
    return reduced(d if beta == 0 else np.where(d < beta, 0.5 * d * d / beta, d - 0.5 * beta), reduction)


def kl_ref(x, y, reduction="mean", log_target=False):
    loss = np.exp(y) * (y - x) if log_target else y * (np.log(y) - x)
    if reduction == "batchmean":
        return loss.sum() / (x.shape[0] if x.ndim else 1)
    return reduced(loss, reduction)


def poisson_ref(x, y, log_input=True, full=False, eps=1e-8, reduction="mean"):
    loss = np.exp(x) - y * x if log_input else x - y * np.log(x + eps)
    if full:
        with np.errstate(divide="ignore", invalid="ignore"):
            loss = loss + np.where(y > 1, y * np.log(y) - y + 0.5 * np.log(2 * np.pi * y), 0)
    return reduced(loss, reduction)


def gaussian_ref(x, y, var, full=False, eps=1e-6, reduction="mean"):
    if var.shape == x.shape[:-1] and var.shape != x.shape:
        var = var[..., None]
    v = np.maximum(var, eps)
    return reduced(0.5 * (np.log(v) + (x - y) ** 2 / v) + full * 0.5 * np.log(2 * np.pi), reduction)


def soft_margin_ref(x, y, reduction="mean"):
    return reduced(np.logaddexp(0, -y * x), reduction)


def margin_ranking_ref(x1, x2, y, margin=0.0, reduction="mean"):
    return reduced(np.maximum(0, -y * (x1 - x2) + margin), reduction)


def hinge_ref(x, target, margin=1.0, reduction="mean"):
    return reduced(np.where(target == 1, x, np.maximum(0, margin - x)), reduction)


def cosine_embedding_ref(x1, x2, target, margin=0.0, reduction="mean"):
    cos = (x1 * x2).sum(-1) / np.sqrt(((x1 * x1).sum(-1) + EPS) * ((x2 * x2).sum(-1) + EPS))
    return reduced(np.where(target == 1, 1 - cos, np.maximum(0, cos - margin)), reduction)


def multilabel_ref(x, y, weight=None, reduction="mean"):
    loss = y * np.logaddexp(0, -x) + (1 - y) * np.logaddexp(0, x)
    return reduced((loss if weight is None else loss * weight).mean(-1), reduction)


def multi_margin_ref(x, target, p=1, margin=1.0, weight=None, reduction="mean"):
    rows = np.atleast_2d(x)
    picked = np.atleast_1d(target)
    loss = []
    for scores, y in zip(rows, picked):
        terms = [max(0.0, margin - scores[y] + s) ** p for i, s in enumerate(scores) if i != y]
        loss.append(sum(terms) * (1.0 if weight is None else weight[y]) / len(scores))
    return reduced(np.array(loss).reshape(np.shape(target)), reduction)


def triplet_ref(a, pos, neg, margin=1.0, p=2, eps=1e-6, swap=False, reduction="mean"):
    far = norm_ref(a - neg + eps, p)
    if swap:
        far = np.minimum(far, norm_ref(pos - neg + eps, p))
    return reduced(np.maximum(0, margin + norm_ref(a - pos + eps, p) - far), reduction)


def pairwise_ref(x1, x2, p=2.0, eps=1e-6, keepdim=False):
    d = x1 - x2 + eps
    return norm_ref(d, p, keepdims=keepdim) if d.ndim else np.abs(d)


def cosine_similarity_ref(x1, x2, dim=1, eps=1e-8):
    x1, x2 = np.broadcast_arrays(x1, x2)
    if x1.ndim == 0:
        return x1 / max(abs(x1), eps) * x2 / max(abs(x2), eps)
    n1, n2 = (np.maximum(norm_ref(x, 2, dim, keepdims=True), eps) for x in (x1, x2))
    return (x1 / n1 * x2 / n2).sum(dim)


def normalize_ref(x, p=2.0, dim=1, eps=1e-12):
    if x.ndim == 0:
        return x / max(abs(x), eps)
    norm = np.linalg.norm(x.reshape(x.shape), ord=p, axis=dim, keepdims=True) if isinstance(dim, int) else \
        np.sum(np.abs(x) ** p, axis=dim, keepdims=True) ** (1 / p)
    return x / np.maximum(norm, eps)


# ---- shapes and settings drawn together ------------------------------------------------------------------------
@st.composite
def reductions(draw, extra=()):
    return draw(st.sampled_from(REDUCTIONS + extra))


@st.composite
def _fitting(draw, shape):
    """A shape that broadcasts to shape without enlarging it: trailing axes kept, some set to 1."""
    kept = shape[len(shape) - draw(st.integers(0, len(shape))):]
    return tuple(side if draw(st.booleans()) else 1 for side in kept)


@st.composite
def _case(draw, arity=2, same=False, fitting=False, same_ndim=False, settings=None):
    """(shapes, kwargs): arity operands broadcasting (equal with same; the others fitting the first's shape with
    fitting; with as many axes each with same_ndim), and a reduction with settings drawn from the dict of
    strategies."""
    if same:
        shape = draw(shapes(**SMALL))
        operand_shapes = (shape,) * arity
    elif fitting:
        shape = draw(shapes(**SMALL))
        operand_shapes = (shape,) + tuple(draw(_fitting(shape)) for _ in range(arity - 1))
    else:
        operand_shapes = draw(broadcastable_shapes(arity, **SMALL))
    if same_ndim:
        operand_shapes = _padded(operand_shapes)
    kwargs = {"reduction": draw(reductions())}
    kwargs.update({name: draw(strategy) for name, strategy in (settings or {}).items()})
    return operand_shapes, kwargs


def _padded(operand_shapes):
    """The shapes with leading 1s, to as many axes each (the same broadcast)."""
    ndim = max(len(s) for s in operand_shapes)
    return tuple((1,) * (ndim - len(s)) + s for s in operand_shapes)


def _kinks_away(z):
    return bool(np.all(np.abs(z) > AWAY))


@st.composite
def _gaussian_case(draw):
    (x_shape, y_shape), kwargs = draw(_case(settings={"full": st.booleans(), "eps": st.sampled_from([1e-6, 0.5])}))
    choices = [x_shape, x_shape[:-1]] + [x_shape[:k] + (1,) + x_shape[k + 1:] for k in range(len(x_shape))]
    return (x_shape, y_shape, draw(st.sampled_from(choices))), kwargs


@st.composite
def _signs_case(draw, arity=1, embedding=False):
    """Shapes for hinge_embedding_loss (arity 1: input, a target of signs broadcasting against it) or
    cosine_embedding_loss (two inputs (N, D) or (D,), one sign per pair), with a margin."""
    if embedding:
        rows = draw(st.sampled_from([(), (1,), (2,), (3,)]))
        side = draw(st.integers(1, 3))
        operand_shapes = ((rows + (side,)), draw(st.sampled_from([rows + (side,), rows + (1,)] + [(1, side)] * bool(
            rows))))
        target_shape = draw(st.sampled_from([rows, (1,) * len(rows)]))
    else:
        operand_shapes, target_shape = draw(broadcastable_shapes(2, **SMALL))
        operand_shapes = (operand_shapes,)
    size = int(np.prod(target_shape))
    target = draw(st.lists(st.sampled_from([1.0, -1.0]), min_size=size, max_size=size))
    kwargs = {"reduction": draw(reductions()), "margin": draw(st.sampled_from([0.0, 0.5, -0.25, 1.0])),
              "target": np.array(target).reshape(target_shape)}
    return operand_shapes, kwargs


@st.composite
def _multi_margin_case(draw):
    samples = draw(st.sampled_from([None, 1, 2, 3]))
    classes = draw(st.integers(1, 4))
    shape = (classes,) if samples is None else (samples, classes)
    target = np.array(draw(st.lists(st.integers(0, classes - 1), min_size=samples or 1, max_size=samples or 1)))
    kwargs = {"target": target.reshape(() if samples is None else (samples,)), "p": draw(st.sampled_from([1, 2])),
              "margin": draw(st.sampled_from([1.0, 0.5, -0.5])), "reduction": draw(reductions())}
    if draw(st.booleans()):
        kwargs["weight"] = np.linspace(0.5, 2.0, classes)
    return (shape,), kwargs


@st.composite
def _norm_case(draw, arity, loss=False):
    operand_shapes = draw(broadcastable_shapes(arity, min_dims=1 if loss else 0, max_dims=3, max_side=3))
    if loss:  # the triplet loss wants the same number of axes
        operand_shapes = _padded(operand_shapes)
    kwargs = {"p": draw(st.sampled_from([1, 2, 3, 1.5, math.inf]))}
    if loss:
        kwargs.update(margin=draw(st.sampled_from([1.0, 0.25, 3.0])), swap=draw(st.booleans()),
                      reduction=draw(reductions()), eps=draw(st.sampled_from([1e-6, 0.0])))
    else:
        kwargs.update(keepdim=draw(st.booleans()))
    return operand_shapes, kwargs


@st.composite
def _dim_case(draw, arity):
    operand_shapes = draw(broadcastable_shapes(arity, **SMALL))
    ndim = max(len(s) for s in operand_shapes)
    kwargs = {"dim": draw(st.integers(-max(ndim, 1), max(ndim, 1) - 1))}
    if arity == 1 and ndim >= 2 and draw(st.booleans()):
        kwargs["dim"] = (0, -1)
    if arity == 1:
        kwargs["p"] = draw(st.sampled_from([1, 2, 3, math.inf]))
    return operand_shapes, kwargs


# ---- kinks the drawn values must avoid (the second derivative jumps there, or the first) -------------------------
def _smooth_l1_valid(x, y, beta, **_):
    d = np.abs(x - y)
    return _kinks_away(d - beta) and (beta > 0 or _kinks_away(d))


def _p_norm_valid(d, p):
    """No kink of a p-norm of d along the last axis, up to its second derivative: not near 0, entries away from 0
    (|d|**p for p = 1, 1.5, 3), no tie of the largest (inf)."""
    if not np.all(pairwise_ref(d, 0.0, p, 0.0) > 0.1):  # (near 0 the derivatives grow as 1 / |d|**k)
        return False
    if np.ndim(d) == 0 or p in (1, 1.5, 3):
        return _kinks_away(d)
    if p == math.inf:
        top = np.sort(np.abs(d), axis=-1)
        return d.shape[-1] < 2 or _kinks_away(top[..., -1] - top[..., -2])
    return True


def _triplet_valid(a, pos, neg, margin, p, eps, swap, **_):
    diffs = [a - pos + eps, a - neg + eps, pos - neg + eps]
    if not all(_p_norm_valid(d, p) for d in diffs):
        return False
    near, far, swapped = (pairwise_ref(u, v, p, eps) for u, v in ((a, pos), (a, neg), (pos, neg)))
    if swap:
        if not _kinks_away(far - swapped):
            return False
        far = np.minimum(far, swapped)
    return _kinks_away(margin + near - far)


def _cosine_embedding_valid(x1, x2, target, margin, **_):
    cos = 1 - cosine_embedding_ref(x1, x2, np.ones(()), reduction="none")
    return _kinks_away(cos - margin) and all(np.all(np.linalg.norm(x, axis=-1) > 0.1) for x in (x1, x2))


def _multi_margin_valid(x, target, margin, **_):
    rows, picked = np.atleast_2d(x), np.atleast_1d(target)
    return _kinks_away(margin - rows[np.arange(len(picked)), picked][:, None] + rows)


def _normalize_valid(x, p, dim):
    if p != math.inf or x.ndim == 0:
        return True
    return isinstance(dim, int) and _p_norm_valid(np.moveaxis(x, dim, -1), p)


POSITIVE = (0.05, 3.0)
LOSSES = [
    Op("smooth_l1_loss", F.smooth_l1_loss, smooth_l1_ref, arity=2,
       case=_case(same=True, settings={"beta": st.sampled_from([1.0, 0.5, 2.0, 0.0])}), valid=_smooth_l1_valid),
    Op("kl_div", F.kl_div, kl_ref, arity=2, elements=[elements(-3, 3), elements(*POSITIVE)],
       case=_case(settings={"reduction": st.sampled_from(("batchmean", "sum", "none")), "log_target": st.booleans()})),
    Op("poisson_nll_loss", F.poisson_nll_loss, poisson_ref, arity=2,
       # (rates > 0 for log_input=False; targets away from 1, where full's term jumps, and from 0: see the torch file)
       elements=[elements(*POSITIVE), elements(0.0, 4.0, avoid=(0.0, 1.0), margin=0.05)],
       case=_case(settings={"log_input": st.booleans(), "full": st.booleans(), "eps": st.sampled_from([1e-8, 0.5])})),
    Op("gaussian_nll_loss", F.gaussian_nll_loss, gaussian_ref, arity=3,
       elements=[elements(-3, 3), elements(-3, 3), elements(0.6, 3.0)], case=_gaussian_case()),  # (var > eps)
    Op("soft_margin_loss", F.soft_margin_loss, soft_margin_ref, arity=2, case=_case(fitting=True)),
    Op("margin_ranking_loss", F.margin_ranking_loss, margin_ranking_ref, arity=3,
       case=_case(arity=3, same_ndim=True, settings={"margin": st.sampled_from([0.0, 0.5, -1.0])}),
       valid=lambda x1, x2, y, margin, **_: _kinks_away(-y * (x1 - x2) + margin)),
    Op("hinge_embedding_loss", lambda x, **kw: F.hinge_embedding_loss(x, **kw), hinge_ref, case=_signs_case(),
       valid=lambda x, target, margin, **_: _kinks_away(margin - x)),
    Op("cosine_embedding_loss", lambda x1, x2, **kw: F.cosine_embedding_loss(x1, x2, **kw), cosine_embedding_ref,
       arity=2, case=_signs_case(embedding=True), valid=_cosine_embedding_valid),
    Op("multilabel_soft_margin_loss", F.multilabel_soft_margin_loss, multilabel_ref, arity=2,
       elements=[elements(-5, 5), elements(0, 1)],
       case=_case(fitting=True, settings={"weight": st.sampled_from([None, np.array([0.5, 2.0, 1.5])])}),
       valid=lambda x, y, weight=None, **_: x.ndim >= 1 and (weight is None or x.shape[-1] == 3)),
    Op("multi_margin_loss", lambda x, **kw: F.multi_margin_loss(x, **kw), multi_margin_ref,
       case=_multi_margin_case(), valid=_multi_margin_valid),
    Op("triplet_margin_loss", F.triplet_margin_loss, triplet_ref, arity=3, case=_norm_case(3, loss=True),
       valid=_triplet_valid),
    Op("pairwise_distance", F.pairwise_distance, pairwise_ref, arity=2, case=_norm_case(2),
       valid=lambda x1, x2, p, **_: _p_norm_valid(x1 - x2 + 1e-6, p)),
    Op("cosine_similarity", F.cosine_similarity, cosine_similarity_ref, arity=2, case=_dim_case(2),
       elements=elements(-3, 3, avoid=(0.0,), margin=0.05)),
    Op("normalize", F.normalize, normalize_ref, case=_dim_case(1), elements=elements(-3, 3, avoid=(0.0,), margin=0.05),
       valid=_normalize_valid),
]

globals().update(generated_tests(LOSSES))


# ---- the conventions at kinks and edges ------------------------------------------------------------------------
def _grads(f, *values):
    """The gradients of f's sum at the float64 values, one list per argument."""
    grads = ag.grad(lambda *ts: f(*ts).sum(), argnums=tuple(range(len(values))))(*(np.array(v, float) for v in values))
    return [g.data.tolist() for g in grads]


def test_the_hinges_of_margin_losses_pass_no_gradient_at_0_as_torchs_clamp_min():
    # PyTorch 2.14's clamp_min(z, 0) passes none at z = 0 (the subgradient of least norm, as relu's; 2.13's passed 1)
    # -y (x1 - x2) + margin = 0 for both pairs
    assert _grads(lambda a, b: F.margin_ranking_loss(a, b, np.array([1.0, -1.0]), margin=0.5, reduction="sum"),
                  [1.0, 0.0], [0.5, 0.5]) == [[0.0, 0.0], [0.0, 0.0]]
    # margin - x = 0 in the first entry, 0.5 in the second (gradient -1 there)
    assert _grads(lambda x: F.hinge_embedding_loss(x, [-1.0, -1.0], margin=1.0, reduction="sum"), [1.0, 0.5]) == \
        [[0.0, -1.0]]
    # margin + d(a, pos) - d(a, neg) = 1 + 1 - 2 = 0
    a, pos, neg = [[0.0, 0.0]], [[1.0, 0.0]], [[2.0, 0.0]]
    assert _grads(lambda *t: F.triplet_margin_loss(*t, eps=0.0), a, pos, neg) == [[[0.0, 0.0]], [[0.0, 0.0]],
                                                                                   [[0.0, 0.0]]]
    cos_at_margin = _grads(lambda u, v: F.cosine_embedding_loss(u, v, [-1], margin=0.0), [[1.0, 0.0]], [[0.0, 1.0]])
    np.testing.assert_array_equal(cos_at_margin, [[[0.0, 0.0]], [[0.0, 0.0]]])


def test_multi_margins_hinge_passes_no_gradient_at_0_as_torchs_kernel():
    # scores [1, 0, 0.5], target 0, margin 1: the class-1 term sits at its kink (1 - 1 + 0 = 0), class 2 beyond
    grads = _grads(lambda x: F.multi_margin_loss(x, np.array([0]), reduction="sum"), [[1.0, 0.0, 0.5]])
    np.testing.assert_allclose(grads, [[[-1 / 3, 0.0, 1 / 3]]])


def test_a_tie_in_the_swap_splits_the_gradient_and_a_zero_distance_has_gradient_0():
    a, pos, neg = [[0.0, 0.0]], [[2.0, 0.0]], [[1.0, 0.0]]  # d(a, neg) = d(pos, neg) = 1
    assert _grads(lambda *t: F.triplet_margin_loss(*t, eps=0.0, swap=True), a, pos, neg) == [
        [[-0.5, 0.0]], [[0.5, 0.0]], [[0.0, 0.0]]]
    for p in (1, 2, 3, math.inf):
        assert _grads(lambda u, v: F.pairwise_distance(u, v, p=p, eps=0.0), [[1.0, 2.0]], [[1.0, 2.0]]) == [
            [[0.0, 0.0]], [[0.0, 0.0]]]


def test_the_2_norms_second_derivative_is_exact_at_an_entry_0():
    # the Hessian of |x| is (I - u u^T) / |x|, u = x / |x|: at x = (0, 2) it is [[0.5, 0], [0, 0]] (|x|**2 as
    # (|x_i|)**2 would give 0 for the first entry)
    hessian = ag.hessian(lambda x: F.pairwise_distance(x, np.zeros(2), eps=0.0))(np.array([0.0, 2.0]))
    np.testing.assert_allclose(hessian.data, [[0.5, 0.0], [0.0, 0.0]], atol=1e-15)


def test_the_clamps_at_eps_of_cosine_similarity_and_gaussian_nll_are_not_differentiated_as_torchs():
    # x1 = 0: its norm is taken as eps = 1e-8, and the gradient is x2's direction / eps
    np.testing.assert_allclose(_grads(F.cosine_similarity, [[0.0, 0.0]], [[0.0, 2.0]]),
                               [[[0.0, 1e8]], [[0.0, 0.0]]])
    # var = 1e-8 < eps = 1e-6: the loss and var's gradient are those at 1e-6, d/dv = 0.5 (1 / v - d**2 / v**2)
    value = F.gaussian_nll_loss(ag.tensor([0.5]), [0.0], ag.tensor([1e-8]), reduction="sum")
    np.testing.assert_allclose(value.item(), 0.5 * (math.log(1e-6) + 0.25 / 1e-6), rtol=1e-15)
    grads = _grads(lambda x, v: F.gaussian_nll_loss(x, [0.0], v, reduction="sum"), [0.5], [1e-8])
    np.testing.assert_allclose(grads, [[0.5 / 1e-6], [0.5 * (1 / 1e-6 - 0.25 / 1e-12)]], rtol=1e-12)


def test_normalizes_clamp_is_differentiated_as_torchs_clamp_min():
    # below eps and at eps exactly the norm gets no gradient (x / eps), as PyTorch 2.14's clamp_min (x > min; 2.13's
    # passed it at eps, x >= min); above, x / |x| has none along x
    below = _grads(lambda x: F.normalize(x) * ag.tensor([[1.0, 2.0]]), [[1e-13, 0.0]])
    np.testing.assert_allclose(below, [[[1e12, 2e12]]])
    at = _grads(lambda x: F.normalize(x) * ag.tensor([[1.0, 2.0]]), [[1e-12, 0.0]])
    np.testing.assert_allclose(at, [[[1e12, 2e12]]])
    above = _grads(lambda x: F.normalize(x) * ag.tensor([[1.0, 2.0]]), [[2e-12, 0.0]])
    np.testing.assert_allclose(above, [[[0.0, 1e12]]], atol=1e-3)


def test_kl_div_of_a_zero_target_is_0_with_gradient_0_in_both():
    loss = F.kl_div(ag.tensor([0.5, -1.0]), ag.tensor([0.0, 0.5]), reduction="none")
    np.testing.assert_allclose(loss.data, [0.0, 0.5 * (math.log(0.5) + 1.0)])
    grads = _grads(lambda x, y: F.kl_div(x, y, reduction="sum"), [0.5, -1.0], [0.0, 0.5])
    np.testing.assert_allclose(grads, [[0.0, -0.5], [0.0, math.log(0.5) + 1 + 1]])


def test_poisson_full_adds_stirlings_term_only_for_targets_above_1():
    x, y = np.array([0.3, 0.3, 0.3]), np.array([0.0, 1.0, 3.0])
    loss = F.poisson_nll_loss(ag.tensor(x), y, full=True, reduction="none").data
    np.testing.assert_allclose(loss, np.exp(x) - y * x + [0, 0, 3 * math.log(3) - 3 + 0.5 * math.log(6 * math.pi)])


def test_smooth_l1_is_huber_over_beta_and_l1_at_beta_0():
    x, y = ag.tensor(np.linspace(-3, 3, 13)), np.zeros(13)
    for beta in (0.5, 1.0, 2.0):
        np.testing.assert_allclose(F.smooth_l1_loss(x, y, "none", beta).data,
                                   F.huber_loss(x, y, "none", beta).data / beta, rtol=1e-15)
    np.testing.assert_array_equal(F.smooth_l1_loss(x, y, "none", 0.0).data, np.abs(x.data))


def test_multi_margin_mean_over_no_samples_is_0_as_torchs():
    x = ag.tensor(np.zeros((0, 3)), requires_grad=True)
    loss = F.multi_margin_loss(x, np.zeros(0, dtype=int))
    assert loss.item() == 0.0
    loss.backward()
    assert x.grad.shape == (0, 3)
    assert math.isnan(F.soft_margin_loss(ag.tensor(np.zeros(0)), np.zeros(0)).item())  # the others' is NaN


# ---- finite where the stable forms promise it ------------------------------------------------------------------
def _finite_value_and_gradient(f, *values, dtype=np.float64):
    leaves = [ag.tensor(np.asarray(v, dtype), requires_grad=True) for v in values]
    with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):
        out = f(*leaves)
        out.backward(np.ones(out.shape, dtype))
    assert np.isfinite(out.data).all() and all(np.isfinite(leaf.grad.data).all() for leaf in leaves)
    return out.data, [leaf.grad.data for leaf in leaves]


def test_soft_margins_are_finite_and_exact_for_huge_logits():
    value, (grad, _) = _finite_value_and_gradient(
        lambda x, y: F.soft_margin_loss(x, y, reduction="none"), [1e4, -1e4, 1e4], [1.0, 1.0, -1.0])
    np.testing.assert_array_equal(value, [0.0, 1e4, 1e4])
    np.testing.assert_array_equal(grad, [-0.0, -1.0, 1.0])
    value, (grad, _) = _finite_value_and_gradient(
        lambda x, y: F.multilabel_soft_margin_loss(x, y, reduction="none"), [[1e4, -1e4]], [[1.0, 1.0]])
    np.testing.assert_array_equal(value, [5e3])
    np.testing.assert_array_equal(grad, [[0.0, -0.5]])


@pytest.mark.parametrize("dtype, big, tiny", [(np.float64, 1e200, 1e-200), (np.float32, 1e30, 1e-30)])
def test_norms_neither_overflow_nor_underflow(dtype, big, tiny):
    for scale in (big, tiny):
        x = np.array([[3.0, 4.0], [-4.0, 3.0]]) * scale
        value, _ = _finite_value_and_gradient(lambda u: F.pairwise_distance(u, -u, eps=0.0), x, dtype=dtype)
        np.testing.assert_allclose(value, [10 * scale, 10 * scale], rtol=1e-6)
        value, _ = _finite_value_and_gradient(lambda u: F.normalize(u, eps=0.0), x, dtype=dtype)
        np.testing.assert_allclose(value, [[0.6, 0.8], [-0.8, 0.6]], rtol=1e-6)
        value, _ = _finite_value_and_gradient(lambda u, v: F.cosine_similarity(u, v), x, x[::-1].copy(), dtype=dtype)
        np.testing.assert_allclose(value, [0.0, 0.0], atol=1e-6)
        value, _ = _finite_value_and_gradient(lambda u: F.normalize(u, p=3, eps=0.0), x, dtype=dtype)
        np.testing.assert_allclose(value, x / np.cbrt(27 + 64) / scale, rtol=1e-6)


def test_cosine_embedding_takes_the_root_of_each_squared_norm_so_large_inputs_stay_finite():
    x = np.array([[1e100, 2e100]])  # |x|**4 = 2.5e401 overflows: PyTorch's sqrt(|x1|**2 |x2|**2) is inf, its loss 1
    value, _ = _finite_value_and_gradient(lambda u, v: F.cosine_embedding_loss(u, v, [1]), x, 2 * x)
    assert abs(value) < 1e-15


# ---- errors ------------------------------------------------------------------------------------------------------
X, Y = np.ones((2, 3)), np.ones((2, 3))
CALLS = {
    "smooth_l1_loss": lambda **kw: F.smooth_l1_loss(X, Y, **kw),
    "kl_div": lambda **kw: F.kl_div(X, Y, **kw),
    "poisson_nll_loss": lambda **kw: F.poisson_nll_loss(X, Y, **kw),
    "gaussian_nll_loss": lambda **kw: F.gaussian_nll_loss(X, Y, Y, **kw),
    "soft_margin_loss": lambda **kw: F.soft_margin_loss(X, Y, **kw),
    "margin_ranking_loss": lambda **kw: F.margin_ranking_loss(X, X, Y, **kw),
    "hinge_embedding_loss": lambda **kw: F.hinge_embedding_loss(X, Y, **kw),
    "cosine_embedding_loss": lambda **kw: F.cosine_embedding_loss(X, X, Y[:, 0], **kw),
    "multilabel_soft_margin_loss": lambda **kw: F.multilabel_soft_margin_loss(X, Y, **kw),
    "multi_margin_loss": lambda **kw: F.multi_margin_loss(X, np.array([0, 2]), **kw),
    "triplet_margin_loss": lambda **kw: F.triplet_margin_loss(X, X, X, **kw),
}


@pytest.mark.parametrize("name", CALLS)
def test_each_reduction_is_taken_and_a_bad_one_named(name):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (kl_div's 'mean' warns)
        shapes = {reduction: CALLS[name](reduction=reduction).shape for reduction in REDUCTIONS}
    rows = (2,) if name in ("cosine_embedding_loss", "multilabel_soft_margin_loss", "multi_margin_loss",
                            "triplet_margin_loss") else (2, 3)
    assert shapes == {"mean": (), "sum": (), "none": rows}
    valid = "'mean', 'batchmean', 'sum', 'none'" if name == "kl_div" else "'mean', 'sum', 'none'"
    with pytest.raises(ValueError, match=f"^{name}: reduction must be one of {valid}, got 'average'"):
        CALLS[name](reduction="average")
    if name != "kl_div":
        with pytest.raises(ValueError, match="got 'batchmean'"):
            CALLS[name](reduction="batchmean")


def test_kl_div_warns_for_mean_as_torch_and_batchmean_divides_by_the_batch():
    x, y = ag.log(ag.tensor([[0.5, 0.5], [0.5, 0.5]])), np.array([[0.25, 0.75], [0.5, 0.5]])
    with pytest.warns(UserWarning, match="'batchmean' divides only by the batch size"):
        mean = F.kl_div(x, y)
    total = F.kl_div(x, y, reduction="sum").item()
    assert mean.item() == pytest.approx(total / 4) and F.kl_div(x, y, "batchmean").item() == pytest.approx(total / 2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        F.kl_div(x, y, "batchmean")  # no warning


MISMATCHES = [
    (lambda: F.smooth_l1_loss(np.ones((3, 1)), np.ones(3)), ValueError,
     r"smooth_l1_loss: Using a target size \(3,\) that is different to the input size \(3, 1\)"),
    (lambda: F.kl_div(np.ones((2, 3)), np.ones(2), "sum"), ValueError,
     r"kl_div: target of shape \(2,\) does not broadcast to the input's shape \(2, 3\)"),
    (lambda: F.soft_margin_loss(np.ones(3), np.ones((3, 1))), ValueError,
     r"soft_margin_loss: target of shape \(3, 1\) does not broadcast to the input's shape \(3,\); .* does not enlarge"),
    (lambda: F.multilabel_soft_margin_loss(np.ones(4), np.ones((3, 4))), ValueError,
     r"multilabel_soft_margin_loss: target of shape \(3, 4\) does not broadcast to the input's shape \(4,\)"),
    (lambda: F.multilabel_soft_margin_loss(np.ones(()), np.ones(())), ValueError,
     r"multilabel_soft_margin_loss: input of shape \(\) has no class axis"),
    (lambda: F.margin_ranking_loss(np.ones(3), np.ones(3), np.ones(())), ValueError,
     r"margin_ranking_loss: input1, input2 and target must have the same number of axes, got shapes \(3,\), \(3,\)"),
    (lambda: F.margin_ranking_loss(np.ones(3), np.ones(2), np.ones(3)), ValueError,
     r"margin_ranking_loss: the shapes input1 \(3,\), input2 \(2,\) do not broadcast together"),
    (lambda: F.triplet_margin_loss(np.ones((3, 4)), np.ones((3, 4)), np.ones(4)), ValueError,
     r"triplet_margin_loss: anchor, positive and negative must have the same number of axes"),
    (lambda: F.pairwise_distance(np.ones((3, 4)), np.ones((3, 5))), ValueError,
     r"pairwise_distance: the shapes x1 \(3, 4\), x2 \(3, 5\) do not broadcast together"),
    (lambda: F.cosine_embedding_loss(np.ones((2, 4)), np.ones((2, 4)), 1), ValueError,
     r"cosine_embedding_loss: 0D target tensor expects 1D input tensors, but found inputs with sizes \(2, 4\) and "
     r"\(2, 4\) \(inputs \(N, D\) with a target \(N,\), or \(D,\) with a 0-d target\)"),
    (lambda: F.cosine_embedding_loss(np.ones((2, 4, 2)), np.ones((2, 4, 2)), [1, 1]), ValueError,
     r"cosine_embedding_loss: 1D target tensor expects 2D input tensors"),
    (lambda: F.cosine_embedding_loss(np.ones((3, 4)), np.ones((3, 4)), [1, 1]), ValueError,
     r"cosine_embedding_loss: target of shape \(2,\) does not broadcast to the input's shape \(3,\)"),
    (lambda: F.gaussian_nll_loss(np.ones((2, 2, 3)), np.ones((2, 2, 3)), np.ones((1, 1, 3))), ValueError,
     r"gaussian_nll_loss: var is of incorrect size: \(1, 1, 3\) does not fit the input's shape \(2, 2, 3\)"),
    (lambda: F.gaussian_nll_loss(np.ones((2, 3)), np.ones((2, 3)), np.ones(())), ValueError,
     r"gaussian_nll_loss: var is of incorrect size: \(\) does not fit"),
    (lambda: F.multi_margin_loss(np.ones((2, 4)), np.array([1, 2, 3])), ValueError,
     r"multi_margin_loss: target shape \(3,\) does not match input shape \(2, 4\); expected \(2,\)"),
    (lambda: F.multi_margin_loss(np.ones((2, 4, 2)), np.array([1, 2])), ValueError,
     r"multi_margin_loss: input must have shape \(N, C\) or \(C,\), got \(2, 4, 2\)"),
    (lambda: F.multi_margin_loss(np.ones((2, 4)), np.array([1, 2]), weight=np.ones(3)), ValueError,
     r"multi_margin_loss: weight has shape \(3,\), but the input has 4 classes"),
    (lambda: F.cosine_similarity(np.ones(3), np.ones(3)), np.exceptions.AxisError,
     r"cosine_similarity: dim 1 is out of range for an input of shape \(3,\); valid dims are -1..0"),
    (lambda: F.normalize(np.ones(3)), np.exceptions.AxisError, r"normalize: dim 1 is out of range"),
    (lambda: F.normalize(np.ones((2, 3)), dim=(1, -1)), ValueError, r"normalize: dim \(1, -1\) names an axis twice"),
    (lambda: F.normalize(np.ones((2, 3)), dim=[1, -1]), ValueError, r"normalize: dim \[1, -1\] names an axis twice"),
    # (no axis: PyTorch's norm is then over all axes, NumPy's axis=() over none; x / |x| gave each entry's sign)
    (lambda: F.normalize(np.ones((2, 3)), dim=()), ValueError, r"normalize: dim \(\) names no axis; .* dim=\(0, 1\)"),
]


@pytest.mark.parametrize("call, error, message", MISMATCHES, ids=[m[2][:40] for m in MISMATCHES])
def test_mismatched_shapes_raise_naming_them(call, error, message):
    with pytest.raises(error, match=message):
        call()


BAD_TARGETS = [
    (lambda: F.hinge_embedding_loss(np.ones(3), [1, 0, -1]), ValueError,
     r"hinge_embedding_loss: target must hold 1 \(a similar pair\) or -1 \(a dissimilar one\), got 0"),
    (lambda: F.cosine_embedding_loss(np.ones((2, 3)), np.ones((2, 3)), [1, 2]), ValueError,
     r"cosine_embedding_loss: target must hold 1 .* got 2"),
    (lambda: F.hinge_embedding_loss(np.ones(3), ["a", "b", "c"]), TypeError, r"hinge_embedding_loss: target must hold"),
    (lambda: F.kl_div(np.ones(2), [0.5, -0.5], "sum"), ValueError,
     r"kl_div: target holds probabilities \(log_target=False\), which cannot be negative"),
    (lambda: F.gaussian_nll_loss(np.ones(2), np.ones(2), [1.0, -1.0]), ValueError,
     r"gaussian_nll_loss: var has negative entry/entries"),
    (lambda: F.gaussian_nll_loss(np.ones(2), np.ones(2), -1.0), ValueError,
     r"gaussian_nll_loss: var has negative entry/entries \(variances must be >= 0\), got -1.0"),
    (lambda: F.multi_margin_loss(np.ones((2, 4)), np.array([1, 4])), F.TargetRangeError,
     r"multi_margin_loss: target class 4 is out of range for an input with 4 classes; valid class indices are 0..3"),
    (lambda: F.multi_margin_loss(np.ones((2, 4)), np.array([-1, 0])), IndexError, r"target class -1 is out of range"),
    (lambda: F.multi_margin_loss(np.ones((2, 4)), np.array([1.0, 2.0])), TypeError,
     r"multi_margin_loss: class targets must be integers"),
    (lambda: F.soft_margin_loss(np.ones(2), None), TypeError, r"soft_margin_loss: target must hold numbers"),
    (lambda: F.smooth_l1_loss(np.array([1, 2]), [1, 2]), TypeError,
     r"smooth_l1_loss: expected an input of a float dtype"),
    (lambda: F.cosine_similarity(np.ones((2, 3), int), np.ones((2, 3), int)), TypeError,
     r"cosine_similarity: expected an input of a float dtype"),
]


@pytest.mark.parametrize("call, error, message", BAD_TARGETS, ids=[m[2][:40] for m in BAD_TARGETS])
def test_bad_targets_and_inputs_raise_naming_them(call, error, message):
    with pytest.raises(error, match=message):
        call()


BAD_SETTINGS = [
    (lambda: F.smooth_l1_loss(X, Y, beta=-1.0), ValueError, r"smooth_l1_loss: beta must be a finite number >= 0"),
    (lambda: nn.SmoothL1Loss(beta="1"), TypeError, r"SmoothL1Loss: beta must be a finite number >= 0"),
    (lambda: F.triplet_margin_loss(X, X, X, margin=0.0), ValueError,
     r"triplet_margin_loss: margin must be a finite number > 0"),
    (lambda: nn.TripletMarginLoss(margin=-1.0), ValueError, r"TripletMarginLoss: margin must be a finite number > 0"),
    (lambda: F.triplet_margin_loss(X, X, X, p=0), ValueError, r"triplet_margin_loss: p must be a number > 0"),
    (lambda: F.pairwise_distance(X, X, p=-1.0), ValueError, r"pairwise_distance: p must be a number > 0"),
    (lambda: F.normalize(X, p=0.0), ValueError, r"normalize: p must be a number > 0"),
    (lambda: F.cosine_similarity(X, X, eps=-1.0), ValueError, r"cosine_similarity: eps must be a finite number >= 0"),
    (lambda: F.poisson_nll_loss(X, Y, eps=-1.0), ValueError, r"poisson_nll_loss: eps must be a finite number >= 0"),
    (lambda: nn.GaussianNLLLoss(eps=float("nan")), ValueError, r"GaussianNLLLoss: eps must be a finite number >= 0"),
    (lambda: F.multi_margin_loss(X, np.array([0, 1]), p=3), ValueError, r"multi_margin_loss: p must be 1 or 2"),
    (lambda: nn.MultiMarginLoss(p=True), ValueError, r"MultiMarginLoss: p must be 1 or 2"),
    (lambda: nn.MultiMarginLoss(weight=["a"]), TypeError, r"MultiMarginLoss: weight must hold numbers"),
    (lambda: F.hinge_embedding_loss(X, Y, margin=None), TypeError, r"hinge_embedding_loss: margin must be"),
    (lambda: nn.MarginRankingLoss(margin=float("inf")), ValueError, r"MarginRankingLoss: margin must be a finite"),
    (lambda: F.kl_div(X, Y, "sum", log_target="no"), TypeError, r"kl_div: log_target must be True or False"),
    (lambda: nn.PoissonNLLLoss(full=1), TypeError, r"PoissonNLLLoss: full must be True or False"),
    (lambda: nn.TripletMarginLoss(swap="yes"), TypeError, r"TripletMarginLoss: swap must be True or False"),
    (lambda: nn.KLDivLoss(reduction="batch"), ValueError, r"KLDivLoss: reduction must be one of 'mean', 'batchmean'"),
    (lambda: nn.SoftMarginLoss(reduction="batchmean"), ValueError, r"SoftMarginLoss: reduction must be one of"),
    (lambda: F.normalize(X, out=np.empty((2, 3))), TypeError, r"normalize: out is not supported"),
    (lambda: nn.GaussianNLLLoss(True), TypeError, r"positional argument"),
]


@pytest.mark.parametrize("call, error, message", BAD_SETTINGS, ids=[m[2][:40] for m in BAD_SETTINGS])
def test_bad_settings_raise_naming_the_function_and_what_is_valid(call, error, message):
    with pytest.raises(error, match=message):
        call()


# ---- the modules -----------------------------------------------------------------------------------------------
A, B, V = np.linspace(-1, 1, 6).reshape(2, 3), np.linspace(0.1, 0.9, 6).reshape(2, 3), np.full((2, 3), 0.5)
MODULES = [
    (nn.SmoothL1Loss(beta=0.5), (A, B), lambda: F.smooth_l1_loss(A, B, beta=0.5),
     "SmoothL1Loss(reduction='mean', beta=0.5)"),
    (nn.KLDivLoss("batchmean", log_target=True), (A, B), lambda: F.kl_div(A, B, "batchmean", True),
     "KLDivLoss(reduction='batchmean', log_target=True)"),
    (nn.PoissonNLLLoss(log_input=False, full=True), (B, A + 2), lambda: F.poisson_nll_loss(B, A + 2, False, True),
     "PoissonNLLLoss(reduction='mean', log_input=False, full=True, eps=1e-08)"),
    (nn.GaussianNLLLoss(full=True, reduction="sum"), (A, B, V),
     lambda: F.gaussian_nll_loss(A, B, V, full=True, reduction="sum"),
     "GaussianNLLLoss(reduction='sum', full=True, eps=1e-06)"),
    (nn.SoftMarginLoss(reduction="none"), (A, B), lambda: F.soft_margin_loss(A, B, "none"),
     "SoftMarginLoss(reduction='none')"),
    (nn.MarginRankingLoss(margin=0.25), (A, B, np.sign(A)), lambda: F.margin_ranking_loss(A, B, np.sign(A), 0.25),
     "MarginRankingLoss(reduction='mean', margin=0.25)"),
    (nn.HingeEmbeddingLoss(margin=2.0), (A, np.where(A > 0, 1, -1)),
     lambda: F.hinge_embedding_loss(A, np.where(A > 0, 1, -1), 2.0),
     "HingeEmbeddingLoss(reduction='mean', margin=2.0)"),
    (nn.CosineEmbeddingLoss(margin=-0.5), (A, B, [1, -1]), lambda: F.cosine_embedding_loss(A, B, [1, -1], -0.5),
     "CosineEmbeddingLoss(reduction='mean', margin=-0.5)"),
    (nn.MultiLabelSoftMarginLoss(weight=[1.0, 2.0, 3.0]), (A, B),
     lambda: F.multilabel_soft_margin_loss(A, B, [1.0, 2.0, 3.0]), "MultiLabelSoftMarginLoss(reduction='mean')"),
    (nn.MultiMarginLoss(p=2, margin=0.5), (A, np.array([2, 0])),
     lambda: F.multi_margin_loss(A, np.array([2, 0]), 2, 0.5),
     "MultiMarginLoss(reduction='mean', p=2, margin=0.5)"),
    (nn.TripletMarginLoss(margin=2.0, p=1, swap=True), (A, B, V),
     lambda: F.triplet_margin_loss(A, B, V, 2.0, 1, swap=True),
     "TripletMarginLoss(reduction='mean', margin=2.0, p=1.0, eps=1e-06, swap=True)"),
]


@pytest.mark.parametrize("module, args, function, text", MODULES, ids=[m[3].split("(")[0] for m in MODULES])
def test_each_module_applies_its_function_with_its_settings_and_shows_them(module, args, function, text):
    np.testing.assert_array_equal(module(*args).data, function().data)
    assert repr(module) == text and list(module.parameters()) == []
    # a weight given is a buffer, in the state dict as PyTorch's (session 25); the settings are not
    assert list(module.state_dict()) == ([] if getattr(module, "weight", None) is None else ["weight"])


def test_the_defaults_are_torchs():
    assert (nn.SmoothL1Loss().beta, nn.KLDivLoss().log_target, nn.KLDivLoss().reduction) == (1.0, False, "mean")
    loss = nn.PoissonNLLLoss()
    assert (loss.log_input, loss.full, loss.eps, loss.reduction) == (True, False, 1e-8, "mean")
    assert (nn.GaussianNLLLoss().full, nn.GaussianNLLLoss().eps) == (False, 1e-6)
    assert (nn.MarginRankingLoss().margin, nn.HingeEmbeddingLoss().margin, nn.CosineEmbeddingLoss().margin) == (
        0.0, 1.0, 0.0)
    loss = nn.MultiMarginLoss()
    assert (loss.p, loss.margin, loss.weight) == (1, 1.0, None)
    loss = nn.TripletMarginLoss()
    assert (loss.margin, loss.p, loss.eps, loss.swap) == (1.0, 2.0, 1e-6, False)
    x = ag.tensor([[1.0, 0.0, 0.0]])
    assert F.cosine_similarity(x, x * 2).item() == pytest.approx(1.0)  # dim=1
    np.testing.assert_allclose(F.normalize(ag.tensor([[3.0, 4.0]])).data, [[0.6, 0.8]])  # p=2, dim=1
    assert F.pairwise_distance(x, x).item() == pytest.approx(math.sqrt(3) * 1e-6)  # eps=1e-6 added to x1 - x2
