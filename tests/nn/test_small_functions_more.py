"""More of PyTorch's small functions (nn/_small_functions_more.py, nn/_pooling_more_functions.py): pdist and
multilabel_margin_loss declared once for the suite's generated tests (value against a NumPy reference, gradient and
second derivative against central differences, float32 kept, the graph freed), gumbel_softmax's sampling and
straight-through gradient, the pooling and upsampling aliases; then against torch (values and gradients, float32
and float64, ties and kinks included), MultiLabelMarginLoss, and the errors."""
import math
import sys
import warnings
from pathlib import Path
from functools import partial

import numpy as np
import pytest
from hypothesis import strategies as st

import autograd_core as ag
import nn
import nn.functional as F

sys.path.append(str(Path(__file__).resolve().parents[1] / "autograd_core" / "ops"))  # the engine's declaration tables
from optable import Op, generated_tests  # noqa: E402
from conftest import assert_function_matches_torch  # noqa: E402


def _pdist_ref(x, p):
    n = len(x)
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n)]
    d = np.array([np.abs(x[i] - x[j]) for i, j in pairs]).reshape(len(pairs), x.shape[1])
    return np.max(d, axis=1) if p == math.inf else (d ** p).sum(axis=1) ** (1 / p)


@st.composite
def _pdist_case(draw):
    return ((draw(st.integers(2, 4)), draw(st.integers(1, 3))),), {"p": draw(st.sampled_from([1, 2, 3, 0.5]))}


def _pdist_valid(x, p):
    """Away from the kinks: no difference near 0 (|d|'s), no two rows near each other."""
    d = np.abs(x[:, None] - x[None, :])[np.triu_indices(len(x), 1)]
    return d.min() > 1e-2


def _mlm_ref(x, y):
    x2, y2 = x.reshape(-1, x.shape[-1]), y.reshape(-1, x.shape[-1])
    losses = []
    for row, labels in zip(x2, y2):
        targets = []
        for label in labels:
            if label == -1:
                break
            targets.append(label)
        others = [i for i in range(len(row)) if i not in targets]
        losses.append(sum(max(0.0, 1 - row[j] + row[i]) for j in targets for i in others) / len(row))
    return np.mean(losses)


@st.composite
def _mlm_case(draw):
    shape = draw(st.sampled_from([(4,), (2, 3), (3, 5)]))
    classes = shape[-1]
    y = np.array(draw(st.lists(st.integers(-1, classes - 1), min_size=math.prod(shape), max_size=math.prod(shape))))
    return (shape,), {"y": y.reshape(shape)}


def _mlm_valid(x, y):
    """Away from the hinge's kink: no margin 1 - x[j] + x[i] near 0."""
    gaps = 1 - x[..., :, None] + x[..., None, :]
    return np.abs(gaps).min() > 1e-3


SMALL_MORE = [
    Op("pdist", lambda x, p: F.pdist(x, p), _pdist_ref, case=_pdist_case(), valid=_pdist_valid),
    Op("multilabel_margin_loss", lambda x, y: F.multilabel_margin_loss(x, y), _mlm_ref, case=_mlm_case(),
       valid=_mlm_valid),
]

globals().update(generated_tests(SMALL_MORE))


def test_pdist_by_hand_and_zero_distance_gradient():
    x = ag.tensor([[0.0, 0.0], [3.0, 4.0], [0.0, 0.0]], requires_grad=True)
    d = F.pdist(x)
    np.testing.assert_allclose(d.data, [5.0, 0.0, 5.0])
    d.sum().backward()
    np.testing.assert_allclose(x.grad.data, [[-0.6, -0.8], [1.2, 1.6], [-0.6, -0.8]])  # the equal pair: none
    assert F.pdist(ag.tensor([[1.0, 2.0], [1.0, 5.0]]), 0).tolist() == [1.0]
    assert F.pdist(ag.tensor([[1.0, 2.0], [4.0, 6.0]]), math.inf).tolist() == [4.0]
    assert F.pdist(ag.tensor(np.ones((1, 3)))).shape == (0,)


def test_gumbel_softmax_samples_reproducibly_and_passes_the_soft_gradient_when_hard():
    logits = ag.tensor(np.log([[0.1, 0.2, 0.7]] * 2000), requires_grad=True)
    soft = F.gumbel_softmax(logits, tau=1.0, rng=0)
    np.testing.assert_allclose(soft.data.sum(axis=-1), 1.0)
    np.testing.assert_array_equal(soft.data, F.gumbel_softmax(logits, rng=0).data)
    # the argmax of logits + Gumbel noise is a draw of the softmax: frequencies near 0.1, 0.2, 0.7
    hard = F.gumbel_softmax(logits, tau=0.5, hard=True, rng=np.random.default_rng(1))
    assert set(np.unique(hard.data)) == {0.0, 1.0} and (hard.data.sum(axis=1) == 1).all()
    np.testing.assert_allclose(hard.data.mean(axis=0), [0.1, 0.2, 0.7], atol=0.04)
    # straight-through: the hard sample's gradient is the soft one's (same noise)
    weights = np.arange(3.0)
    (hard * weights).sum().backward()
    hard_grad = logits.grad.data.copy()
    logits.grad = None
    (F.gumbel_softmax(logits, tau=0.5, rng=np.random.default_rng(1)) * weights).sum().backward()
    np.testing.assert_allclose(hard_grad, logits.grad.data, atol=1e-12)
    one = F.gumbel_softmax(ag.tensor(np.zeros((2, 3, 4), dtype=np.float32)), hard=True, dim=1, rng=2)
    assert one.dtype == np.float32 and (one.data.sum(axis=1) == 1).all()


def test_pooling_aliases_always_return_indices_and_upsample_aliases_warn():
    x = ag.tensor(np.random.default_rng(0).normal(size=(2, 3, 4, 4, 4)))
    for dims in (1, 2, 3):
        data = x[(0,) * (3 - dims)]
        out, indices = getattr(F, f"max_pool{dims}d_with_indices")(data, 2)
        expected = getattr(F, f"max_pool{dims}d")(data, 2, return_indices=True)
        np.testing.assert_array_equal(out.data, expected[0].data)
        np.testing.assert_array_equal(indices.data, expected[1].data)
        out, indices = getattr(F, f"adaptive_max_pool{dims}d_with_indices")(data, 3)
        expected = getattr(F, f"adaptive_max_pool{dims}d")(data, 3, return_indices=True)
        np.testing.assert_array_equal(indices.data, expected[1].data)
    image = ag.tensor(np.arange(6.0).reshape(1, 1, 2, 3))
    with pytest.warns(UserWarning, match="upsample is deprecated"):
        np.testing.assert_array_equal(F.upsample(image, scale_factor=2).data,
                                      F.interpolate(image, scale_factor=2).data)
    with pytest.warns(UserWarning, match="upsample_nearest is deprecated"):
        np.testing.assert_array_equal(F.upsample_nearest(image, size=(3, 5)).data,
                                      F.interpolate(image, size=(3, 5)).data)
    with pytest.warns(UserWarning, match="upsample_bilinear is deprecated"):
        up = F.upsample_bilinear(image, scale_factor=2)
    np.testing.assert_allclose(up.data, F.interpolate(image, scale_factor=2, mode="bilinear",
                                                      align_corners=True).data)
    assert up.data[0, 0, -1, -1] == 5.0 and up.data[0, 0, 0, 0] == 0.0  # corners aligned


def test_multilabel_margin_loss_by_hand_and_its_layer():
    x = ag.tensor([[0.1, 0.2, 0.4, 0.8]], requires_grad=True)
    loss = nn.MultiLabelMarginLoss()(x, np.array([[3, 0, -1, 1]]))
    np.testing.assert_allclose(loss.data, 0.85)
    loss.backward()
    np.testing.assert_allclose(x.grad.data, [[-0.5, 0.5, 0.5, -0.5]])
    assert repr(nn.MultiLabelMarginLoss(reduction="sum")) == "MultiLabelMarginLoss(reduction='sum')"
    assert F.multilabel_margin_loss(ag.tensor([1.0, 2.0]), np.array([-1, 0]), reduction="none").tolist() == 0.0
    per_sample = F.multilabel_margin_loss(ag.tensor([[1.0, 2.0], [0.0, 0.0]]), np.array([[1, -1], [0, 0]]),
                                          reduction="none")
    assert per_sample.tolist() == [0.0, 1.0]  # a target listed twice counts twice: 2 (1 - 0 + 0) / 2


# ---- against PyTorch ------------------------------------------------------------------------------------------
_both = partial(assert_function_matches_torch, tol_factor=32)  # values and gradients, to 32 epsilons
def _torch():
    return pytest.importorskip("torch")


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("p", [0, 0.5, 1, 1.5, 2, 3, math.inf])
def test_pdist_matches_torch_equal_rows_included(p, dtype):
    torch = _torch()
    x = np.random.default_rng(2).normal(size=(6, 4))
    x[3] = x[1]  # a zero distance
    _both(lambda t: F.pdist(t, p), lambda t: torch.nn.functional.pdist(t, p), [x], dtype)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("shape", [(5,), (4, 6), (0, 3)])
def test_multilabel_margin_loss_matches_torch(shape, reduction, dtype):
    torch = _torch()
    rng = np.random.default_rng(4)
    x = rng.normal(size=shape)
    y = rng.integers(-1, shape[-1], size=shape)
    if x.size:
        x.flat[0], x.flat[1] = 0.25, -0.75  # a margin met exactly (1 - x[j] + x[i] = 0): gradient 0
    elif reduction != "none":  # torch 2.13's mean or sum over no samples is uninitialised memory; ours NaN or 0
        value = F.multilabel_margin_loss(x, y, reduction=reduction).item()
        assert np.isnan(value) if reduction == "mean" else value == 0
        return
    _both(lambda t: F.multilabel_margin_loss(t, y, reduction=reduction),
          lambda t: torch.nn.functional.multilabel_margin_loss(t, torch.tensor(y), reduction=reduction), [x], dtype)


def test_pooling_and_upsampling_aliases_match_torch():
    torch = _torch()
    TF = torch.nn.functional
    x = np.random.default_rng(6).normal(size=(2, 2, 5, 6, 7))
    for dims in (1, 2, 3):
        data = x[(0,) * (3 - dims)]
        ours = getattr(F, f"max_pool{dims}d_with_indices")(data, 3, 2, 1, 1, True)
        theirs = getattr(TF, f"max_pool{dims}d_with_indices")(torch.tensor(data), 3, 2, 1, 1, True)
        np.testing.assert_array_equal(ours[0].data, theirs[0].numpy())
        np.testing.assert_array_equal(ours[1].data, theirs[1].numpy())
        ours = getattr(F, f"adaptive_max_pool{dims}d_with_indices")(data, 3)
        theirs = getattr(TF, f"adaptive_max_pool{dims}d_with_indices")(torch.tensor(data), 3)
        np.testing.assert_array_equal(ours[1].data, theirs[1].numpy())
    image = x[0, :, :, :3]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for ours, theirs in [(F.upsample(image, scale_factor=2, mode="bilinear"),
                              TF.upsample(torch.tensor(image), scale_factor=2, mode="bilinear")),
                             (F.upsample_nearest(image, size=(7, 4)), TF.upsample_nearest(torch.tensor(image), (7, 4))),
                             (F.upsample_bilinear(image, scale_factor=3), TF.upsample_bilinear(torch.tensor(image),
                                                                                               scale_factor=3))]:
            np.testing.assert_allclose(ours.data, theirs.numpy(), rtol=1e-12, atol=1e-12)


# ---- errors ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("call, error, words", [
    (lambda: F.pdist(np.ones((2, 2, 2))), ValueError, r"pdist: expected a 2-D input \(N, M\)"),
    (lambda: F.pdist(np.ones((2, 2)), -1), ValueError, "pdist: p must be a number >= 0"),
    (lambda: F.pdist(np.ones((2, 2)), "2"), TypeError, "pdist: p must be a number >= 0"),
    (lambda: F.pdist(np.ones((2, 2), dtype=int)), TypeError, "pdist: expected an input of a float dtype"),
    (lambda: F.gumbel_softmax(np.ones(3), dim=1), IndexError, "gumbel_softmax: dim 1 is out of range"),
    (lambda: F.gumbel_softmax(np.ones(3), rng="x"), TypeError, "gumbel_softmax: rng must be"),
    (lambda: F.gumbel_softmax(np.ones(3), hard="yes"), TypeError, "gumbel_softmax: hard"),
    (lambda: F.multilabel_margin_loss(np.ones((2, 3)), np.zeros((2, 2), dtype=int)), ValueError,
     r"multilabel_margin_loss: target shape \(2, 2\) must be the input's \(2, 3\)"),
    (lambda: F.multilabel_margin_loss(np.ones((2, 3)), np.full((2, 3), 3)), ValueError,
     "target value 3 is out of range for an input with 3 classes"),
    (lambda: F.multilabel_margin_loss(np.ones((2, 3)), np.full((2, 3), -2)), IndexError, "target value -2"),
    (lambda: F.multilabel_margin_loss(np.ones((2, 3)), np.zeros((2, 3))), TypeError, "class targets must be integers"),
    (lambda: F.multilabel_margin_loss(np.ones((1, 2, 3)), np.zeros((1, 2, 3), dtype=int)), ValueError,
     r"input must have shape \(C,\) or \(N, C\)"),
    (lambda: F.multilabel_margin_loss(np.ones(3), np.zeros(3, dtype=int), reduction="avg"), ValueError,
     "reduction must be one of"),
    (lambda: nn.MultiLabelMarginLoss(reduction="avg"), ValueError, "MultiLabelMarginLoss: reduction must be"),
])
def test_small_functions_more_errors(call, error, words):
    with pytest.raises(error, match=words):
        call()


def test_gumbel_softmax_eps_is_deprecated():
    with pytest.warns(UserWarning, match="`eps` parameter is deprecated"):
        F.gumbel_softmax(ag.tensor([1.0, 2.0]), eps=1e-5, rng=0)
