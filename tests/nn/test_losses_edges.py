"""Edge cases of the losses (nn/losses.py, nn/_loss_functions.py, nn.functional): gradients at NaN through the clamp
at 0 (the triplet, margin ranking, hinge and cosine embedding losses), binary_cross_entropy's float16 gradient,
binary_cross_entropy_with_logits of logits that are no floats, gaussian_nll_loss at an infinite variance, the
regression losses' weight=, the weighted losses' weights as buffers in the state dict, and PyTorch's deprecated
size_average= and reduce=; each as PyTorch's. Also class targets copied at the call (a target Tensor changed in place
afterwards leaves the gradient, where PyTorch's backward refuses the change)."""
import warnings

import numpy as np
import pytest
try:
    import torch
except ImportError:  # (CI has no torch: the checks against NumPy references and written-out values still run)
    torch = None

import autograd_core as ag
import nn
import nn.functional as F
from autograd_core.testing import gradcheck
from conftest import torch_older_than
from numeric_helpers import torch_value_and_grads, value_and_grads

NAN = np.nan


def _torch():
    return pytest.importorskip("torch")


# ---- the losses clamped at 0: clamp_min's gradient 0 at NaN ------------------------------------------------------
_A = [[0.0, 0.0, 0.0], [0.0, 1.0, 2.0]]
_P = [[NAN, 1.0, 1.0], [1.0, 1.0, 1.0]]
_N = [[0.0, 0.0, 0.0], [5.0, 5.0, 5.0]]


@pytest.mark.parametrize("swap", [False, True])
@pytest.mark.parametrize("which", ["triplet_margin_loss", "triplet_margin_with_distance_loss"])
def test_triplet_nan_sends_no_gradient_to_the_other_distance(which, swap):
    loss, (ga, gp, gn) = value_and_grads(lambda a, p, n: getattr(F, which)(a, p, n, swap=swap, reduction="none"),
                                         _A, _P, _N)
    assert np.isnan(loss[0]) and np.isfinite(loss[1])
    if swap:  # d(positive, negative) is NaN too and takes part in the minimum: NaN reaches the negative, as torch's
        assert np.isnan(gn[0]).all()
    else:
        np.testing.assert_array_equal(gn[0], [0.0, 0.0, 0.0])  # (the NaN loss's clamp passes nothing back)
    assert np.isnan(gp[0]).all() and np.isnan(ga[0]).all()  # (0 times the NaN distance's own gradient)
    assert np.isfinite(gn[1]).all() and np.isfinite(ga[1]).all()


@pytest.mark.parametrize("swap", [False, True])
@pytest.mark.parametrize("which", ["triplet_margin_loss", "triplet_margin_with_distance_loss"])
def test_triplet_nan_matches_torch(which, swap):
    torch = _torch()
    ours = value_and_grads(lambda a, p, n: getattr(F, which)(a, p, n, swap=swap, reduction="none"), _A, _P, _N)
    theirs = torch_value_and_grads(lambda a, p, n: getattr(torch.nn.functional, which)(a, p, n, swap=swap,
                                                                                        reduction="none"), _A, _P, _N)
    np.testing.assert_allclose(ours[0], theirs[0])
    for a, b in zip(ours[1], theirs[1]):
        np.testing.assert_allclose(a, b, atol=1e-12)


_X1, _X2 = [NAN, 0.5, -1.0, 2.0], [0.0, 1.0, 1.0, NAN]
_Y = [1.0, -1.0, -1.0, 1.0]


def _clamped_losses(lib):
    f = lib.nn.functional if lib is not None else F
    return {
        "margin_ranking_loss": lambda a, b: f.margin_ranking_loss(a, b, _cast(lib, _Y), margin=0.5, reduction="none"),
        "hinge_embedding_loss": lambda a, b: f.hinge_embedding_loss(a - b, _cast(lib, [-1.0] * 4), reduction="none"),
        "cosine_embedding_loss": lambda a, b: f.cosine_embedding_loss(a.reshape(2, 2), b.reshape(2, 2),
                                                                      _cast(lib, [-1.0, -1.0]), reduction="none"),
    }


def _cast(lib, values):
    return ag.tensor(values) if lib is None else lib.tensor(values, dtype=lib.float64)


@pytest.mark.parametrize("name", ["margin_ranking_loss", "hinge_embedding_loss", "cosine_embedding_loss"])
def test_clamped_losses_give_nan_entries_no_gradient_through_the_clamp(name):
    loss, (g1, g2) = value_and_grads(_clamped_losses(None)[name], _X1, _X2)
    assert np.isnan(loss).any()
    if name == "margin_ranking_loss":  # -y (x1 - x2) + margin, clamped: a NaN row gives 0 to its finite partner
        np.testing.assert_array_equal(g1, [0.0, 0.0, 0.0, 0.0])  # (row 1 sits at 0: gradient 0; row 2 below: 0)
        np.testing.assert_array_equal(g2, [0.0, 0.0, 0.0, 0.0])
    torch = pytest.importorskip("torch")
    if name == "margin_ranking_loss" and torch_older_than(torch, "2.14"):
        pytest.skip("PyTorch before 2.14 passes clamp_min's gradient at the bound (row 1: 1 and -1); 2.14 and this "
                    "library pass none there")
    theirs = torch_value_and_grads(_clamped_losses(torch)[name], _X1, _X2)
    np.testing.assert_allclose(loss, theirs[0])
    np.testing.assert_allclose(g1, theirs[1][0], atol=1e-12)
    np.testing.assert_allclose(g2, theirs[1][1], atol=1e-12)


def test_clamped_loss_gradient_unchanged_for_finite_inputs():
    rng = np.random.default_rng(0)
    a, p, n = rng.normal(size=(3, 4, 3))
    assert gradcheck(lambda a, p, n: F.triplet_margin_loss(a, p, n, margin=2.0), a, p, n)
    assert gradcheck(lambda a, p, n: F.triplet_margin_with_distance_loss(a, p, n, margin=2.0, swap=True), a, p, n)


# ---- binary_cross_entropy's input gradient in float16 ------------------------------------------------------------
# The rule computes g (p - y) / (p (1 - p)) in float32 and rounds once: in float16, for a mean over many entries,
# g (p - y) is subnormal and the division magnifies its rounding (5% off at 40,000 entries; PyTorch's kernel,
# computing in float, 0.1%).
def test_the_mean_gradient_of_a_large_float16_batch_is_computed_in_float32_and_rounded_once():
    n = 40000
    p = ag.tensor(np.full(n, 0.01, np.float16), requires_grad=True)
    F.binary_cross_entropy(p, np.zeros(n, np.float16)).backward()
    assert p.grad.dtype == np.float16
    exact = 1 / ((1 - float(np.float16(0.01))) * n)  # (p - y) / (p (1 - p)) / n at p = float16(0.01), y = 0
    assert abs(float(p.grad.data[0]) - exact) / exact < 3e-3
    if torch is not None:
        tp = torch.tensor(np.full(n, 0.01, np.float16), requires_grad=True)
        torch.nn.functional.binary_cross_entropy(tp, torch.zeros(n, dtype=torch.float16)).backward()
        assert abs(float(p.grad.data[0]) - tp.grad[0].item()) / exact < 3e-3


def test_float16_keeps_pytorchs_infinite_gradient_at_the_ends_silently_and_its_second_derivative():
    p = ag.tensor(np.array([0.0, 1.0, 0.2, 0.6], np.float16), requires_grad=True)
    loss = F.binary_cross_entropy(p, np.array([1.0, 0.0, 1.0, 0.0], np.float16), reduction="sum")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # (no divide-by-zero or overflow warning)
        loss.backward(create_graph=True)
    grad = p.grad
    assert grad.dtype == np.float16 and grad.requires_grad
    np.testing.assert_array_equal(grad.data[:2], [-np.inf, np.inf])
    np.testing.assert_allclose(grad.data[2:].astype(float), [-5.0, 2.5], rtol=1e-3)
    p.grad = None
    grad[2:].sum().backward()  # d/dp (p - y) / (p (1 - p)): 25 at p = 0.2, y = 1; 6.25 at p = 0.6, y = 0
    np.testing.assert_allclose(p.grad.data[2:].astype(float), [25.0, 6.25], rtol=2e-3)


# ---- binary_cross_entropy_with_logits of logits that are no floats -----------------------------------------------
# Bools and integers are refused with the loss's own TypeError, as PyTorch refuses them (bools raised NumPy's message
# about the `-` operator, naming neither the loss nor what to pass; integers were taken).
@pytest.mark.parametrize("logits", [np.array([[True, False]]), np.array([[1, -2]]), np.array([[1, -2]], np.int32),
                                    ag.tensor(np.array([[3, 0]], np.uint8))], ids=["bool", "int64", "int32", "uint8"])
def test_logits_that_are_no_floats_are_refused_naming_the_loss(logits):
    pattern = r"binary_cross_entropy_with_logits: expected an input of a float dtype .*got (bool|u?int\d+)"
    with pytest.raises(TypeError, match=pattern):
        F.binary_cross_entropy_with_logits(logits, np.array([[1.0, 0.0]]))
    with pytest.raises(TypeError, match=pattern):
        nn.BCEWithLogitsLoss(pos_weight=np.array([2.0, 1.0]))(logits, np.array([[1.0, 0.0]]))


def test_float_logits_of_either_precision_are_taken_as_before():
    for dtype in (np.float16, np.float32, np.float64):
        loss = F.binary_cross_entropy_with_logits(np.array([[0.0, 0.0]], dtype), np.array([[1.0, 0.0]]))
        assert loss.dtype == dtype and abs(loss.item() - np.log(2)) < 1e-3


# ---- gaussian_nll_loss at an infinite variance -------------------------------------------------------------------
# A variance Tensor that requires grad, holding inf beside an entry below eps: the loss there is PyTorch's inf
# (log inf), with gradient 0, not NaN (the straight-through clamp max(var, eps) computed as (var - values) +
# max(values, eps) over every entry gives inf - inf).
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_an_infinite_variance_beside_a_clamped_one_gives_pytorchs_inf_and_gradients(dtype):
    x, y, v = np.array([0.5, 1.0, -2.0], dtype), np.zeros(3, dtype), np.array([np.inf, 0.0, 1e-9], dtype)
    var, input = ag.tensor(v, requires_grad=True), ag.tensor(x, requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # (no inf - inf warning either)
        loss = F.gaussian_nll_loss(input, y, var, reduction="none")
        loss.sum().backward()
    assert loss.dtype == dtype and loss.data[0] == np.inf
    clamped = np.maximum(v.astype(float), 1e-6)  # (eps; the clamp passes var's gradient straight through)
    with np.errstate(invalid="ignore", divide="ignore"):
        reference = 0.5 * (np.log(clamped) + (x - y).astype(float) ** 2 / clamped)
        var_grad = 0.5 * (1 / clamped - (x - y).astype(float) ** 2 / clamped ** 2)
    np.testing.assert_allclose(loss.data, reference, rtol=1e-6)
    np.testing.assert_allclose(var.grad.data, var_grad, rtol=1e-6)
    np.testing.assert_allclose(input.grad.data, (x - y) / clamped, rtol=1e-6)
    if torch is None:
        return
    tvar, tinput = torch.tensor(v, requires_grad=True), torch.tensor(x, requires_grad=True)
    expected = torch.nn.functional.gaussian_nll_loss(tinput, torch.tensor(y), tvar, reduction="none")
    expected.sum().backward()
    np.testing.assert_allclose(loss.data, expected.detach().numpy(), rtol=1e-6)
    np.testing.assert_allclose(var.grad.data, tvar.grad.numpy(), rtol=1e-6)
    np.testing.assert_allclose(input.grad.data, tinput.grad.numpy(), rtol=1e-6)


# ---- mse_loss, l1_loss and huber_loss take PyTorch's weight= ----------------------------------------------------
# As PyTorch's, the weight has the input's shape and multiplies each element's loss; the mean divides by the
# weights' sum for mse_loss and l1_loss, by the count for huber_loss; a weight that requires grad is differentiated.
X = np.array([[0.5, -2.0, 1.5], [3.0, 0.25, -1.0]])
Y = np.array([[0.0, 0.0, 1.0], [1.0, 1.0, 1.0]])
W = np.array([[1.0, 0.5, 2.0], [0.0, 3.0, 1.0]])
CASES = [(F.mse_loss, "mse_loss", {}), (F.l1_loss, "l1_loss", {}), (F.huber_loss, "huber_loss", {"delta": 0.6})]


def _reference(name, x, y, w, reduction, delta=1.0):
    """PyTorch's documented formulas: each element's loss times its weight; the mean over the weights' sum for
    mse_loss and l1_loss, over the count for huber_loss."""
    d = np.abs(x - y)
    huber = np.where(d < delta, 0.5 * d ** 2, delta * (d - 0.5 * delta))
    weighted = {"mse_loss": d ** 2, "l1_loss": d, "huber_loss": huber}[name] * w
    if reduction == "none":
        return weighted
    if reduction == "sum":
        return weighted.sum()
    return weighted.sum() / (weighted.size if name == "huber_loss" else w.sum())


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("ours, name, kwargs", CASES, ids=["mse", "l1", "huber"])
def test_weighted_regression_losses_follow_the_formula_and_differentiate(ours, name, kwargs, reduction):
    np.testing.assert_allclose(ours(X, Y, reduction=reduction, weight=W, **kwargs).data,
                               _reference(name, X, Y, W, reduction, **kwargs), rtol=1e-13)
    assert gradcheck(lambda x, w: ours(x, Y, reduction=reduction, weight=w, **kwargs), X, W)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("ours, name, kwargs", CASES, ids=["mse", "l1", "huber"])
def test_weighted_regression_losses_and_their_gradients_equal_pytorchs(ours, name, kwargs, reduction):
    if torch is None:
        pytest.skip("compares with torch")
    theirs = getattr(torch.nn.functional, name)
    x, w = ag.tensor(X, requires_grad=True), ag.tensor(W, requires_grad=True)
    tx, tw = torch.tensor(X, requires_grad=True), torch.tensor(W, requires_grad=True)
    value = ours(x, Y, reduction=reduction, weight=w, **kwargs)
    expected = theirs(tx, torch.tensor(Y), reduction=reduction, weight=tw, **kwargs)
    np.testing.assert_allclose(value.data, expected.detach().numpy(), rtol=1e-13, atol=1e-15)
    cotangent = np.linspace(0.5, 1.5, expected.numel()).reshape(expected.shape)
    value.backward(ag.tensor(cotangent))
    expected.backward(torch.tensor(cotangent))
    np.testing.assert_allclose(x.grad.data, tx.grad.numpy(), rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(w.grad.data, tw.grad.numpy(), rtol=1e-13, atol=1e-15)
    constant = ours(X.astype(np.float32), Y, reduction=reduction, weight=W, **kwargs)  # a constant weight
    assert constant.dtype == np.float32  # (the input's dtype, as the other losses' weights keep it)
    np.testing.assert_allclose(constant.data, expected.detach().numpy(), rtol=1e-6)


@pytest.mark.parametrize("ours", [F.mse_loss, F.l1_loss, F.huber_loss], ids=["mse", "l1", "huber"])
def test_a_weight_of_another_shape_is_refused_as_pytorchs(ours):
    where = ours.__name__
    with pytest.raises(ValueError, match=rf"{where}: weight of shape \(3,\) must have the input's shape \(2, 3\)"):
        ours(X, Y, weight=W[0])
    with pytest.raises(TypeError, match=rf"{where}: weight must hold numbers"):
        ours(X, Y, weight=np.array([["a"] * 3] * 2))
    with pytest.raises(ValueError, match=rf"{where}: reduction must be one of"):
        ours(X, Y, reduction="batchmean", weight=W)


def test_weights_summing_to_zero_give_nan_as_pytorchs_zero_by_zero():
    assert np.isnan(F.mse_loss(X, Y, weight=np.zeros_like(W)).item())
    assert F.mse_loss(X, Y, weight=np.zeros_like(W), reduction="sum").item() == 0


# ---- the weighted losses keep their weights as buffers, as PyTorch's _WeightedLoss -------------------------------
# So a model holding nn.CrossEntropyLoss(weight=w) has 'criterion.weight' in its state dict, and PyTorch's state dict
# of that model loads (as plain attributes, the key was unexpected).
W3 = np.array([0.5, 2.0, 1.0])
LOSSES = [
    (lambda: nn.CrossEntropyLoss(weight=W3), lambda: torch.nn.CrossEntropyLoss(weight=torch.tensor(W3)), ["weight"]),
    (lambda: nn.NLLLoss(weight=W3), lambda: torch.nn.NLLLoss(weight=torch.tensor(W3)), ["weight"]),
    (lambda: nn.BCELoss(weight=W3), lambda: torch.nn.BCELoss(weight=torch.tensor(W3)), ["weight"]),
    (lambda: nn.BCEWithLogitsLoss(weight=W3, pos_weight=2 * W3),
     lambda: torch.nn.BCEWithLogitsLoss(weight=torch.tensor(W3), pos_weight=torch.tensor(2 * W3)),
     ["weight", "pos_weight"]),
    (lambda: nn.BCEWithLogitsLoss(pos_weight=W3), lambda: torch.nn.BCEWithLogitsLoss(pos_weight=torch.tensor(W3)),
     ["pos_weight"]),
    (lambda: nn.MultiMarginLoss(weight=W3), lambda: torch.nn.MultiMarginLoss(weight=torch.tensor(W3)), ["weight"]),
    (lambda: nn.MultiLabelSoftMarginLoss(weight=W3),
     lambda: torch.nn.MultiLabelSoftMarginLoss(weight=torch.tensor(W3)), ["weight"]),
    (lambda: nn.CrossEntropyLoss(), lambda: torch.nn.CrossEntropyLoss(), []),
    (lambda: nn.BCEWithLogitsLoss(), lambda: torch.nn.BCEWithLogitsLoss(), []),
]


@pytest.mark.parametrize("ours, theirs, names", LOSSES, ids=[f"{i}-{'+'.join(c[2]) or 'none'}"
                                                             for i, c in enumerate(LOSSES)])
def test_a_weighted_loss_has_pytorchs_state_dict_and_loads_it(ours, theirs, names):
    loss = ours()
    assert list(loss.state_dict()) == names
    if torch is not None:
        reference = theirs()
        assert list(reference.state_dict()) == names
        for name in names:
            np.testing.assert_array_equal(loss.state_dict()[name], reference.state_dict()[name].numpy())
    changed = {name: np.asarray(value) * 3 for name, value in loss.state_dict().items()}
    assert loss.load_state_dict(changed) == ([], [])  # (missing, unexpected): strict, as PyTorch's
    for name in names:
        np.testing.assert_array_equal(getattr(loss, name).data, changed[name])
    assert list(loss.parameters()) == []


def test_a_model_holding_a_weighted_criterion_round_trips_pytorchs_state_dict():
    class Model(nn.Module):
        def __init__(self):
            super().__init__()
            self.layer, self.criterion = nn.Linear(2, 3, dtype=np.float64), nn.CrossEntropyLoss(weight=W3)

    model = Model()
    assert list(model.state_dict()) == ["layer.weight", "layer.bias", "criterion.weight"]
    np.testing.assert_array_equal(model.state_dict()["criterion.weight"], W3)
    if torch is None:
        return

    class TorchModel(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.layer = torch.nn.Linear(2, 3).double()
            self.criterion = torch.nn.CrossEntropyLoss(weight=torch.tensor(W3))

    reference = TorchModel()
    model.load_state_dict({k: v.numpy() for k, v in reference.state_dict().items()})
    reference.load_state_dict({k: torch.tensor(np.asarray(v)) for k, v in model.state_dict().items()})
    assert list(model.state_dict()) == list(reference.state_dict()) == ["layer.weight", "layer.bias",
                                                                         "criterion.weight"]


def test_the_weight_buffer_follows_to_and_the_loss_keeps_the_inputs_dtype():
    loss = nn.CrossEntropyLoss(weight=[1.0, 2.0, 3.0]).float()
    assert loss.weight.dtype == np.float32
    z = ag.tensor(np.array([[1.0, 0.0, -1.0], [0.0, 2.0, 0.5]]), requires_grad=True)
    log_p = z.data - np.log(np.exp(z.data).sum(axis=1, keepdims=True))
    w = np.array([3.0, 2.0])  # (the weights of the targets 2 and 1)
    expected = -(w * log_p[[0, 1], [2, 1]]).sum() / w.sum()  # PyTorch's weighted mean
    value = loss(z, np.array([2, 1]))
    assert value.dtype == np.float64 and abs(value.item() - expected) < 1e-6
    if torch is not None:
        reference = torch.nn.CrossEntropyLoss(weight=torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64))
        assert abs(reference(torch.tensor(z.data), torch.tensor([2, 1])).item() - expected) < 1e-12
    mask = nn.BCELoss(weight=np.array([True, False]))  # a mask stays one: to() casts float buffers only
    assert mask.double().weight.dtype == np.bool_
    assert mask(np.full((2, 2), 0.5), np.ones((2, 2))).item() == pytest.approx(np.log(2) / 2)


# ---- PyTorch's deprecated size_average= and reduce= --------------------------------------------------------------
_PROBS = np.array([[0.2, 0.7, 0.4], [0.9, 0.1, 0.6]])
_TARGETS = np.array([[0.0, 1.0, 1.0], [1.0, 0.0, 0.0]])
_CLASS_TARGETS = np.array([1, 0])
_PAIR_SIGNS = np.array([1.0, -1.0])
_SIGN_TARGETS = np.array([[1.0, -1.0, 1.0], [-1.0, 1.0, 1.0]])
_LABEL_LISTS = np.array([[1, -1, 0], [2, 0, -1]])
_LEGACY_LOSSES = {  # the losses PyTorch gives size_average and reduce: name -> (arguments, module settings)
    "mse_loss": ((_PROBS, _TARGETS), {}), "l1_loss": ((_PROBS, _TARGETS), {}),
    "smooth_l1_loss": ((_PROBS, _TARGETS), {}),
    "binary_cross_entropy": ((_PROBS, _TARGETS), {}), "binary_cross_entropy_with_logits": ((_PROBS, _TARGETS), {}),
    "soft_margin_loss": ((_PROBS, _SIGN_TARGETS), {}), "multilabel_soft_margin_loss": ((_PROBS, _TARGETS), {}),
    "poisson_nll_loss": ((_PROBS, _TARGETS), {}), "kl_div": ((np.log(_PROBS), _TARGETS), {}),
    "cross_entropy": ((_PROBS, _CLASS_TARGETS), {}), "nll_loss": ((np.log(_PROBS), _CLASS_TARGETS), {}),
    "multi_margin_loss": ((_PROBS, _CLASS_TARGETS), {}), "multilabel_margin_loss": ((_PROBS, _LABEL_LISTS), {}),
    "hinge_embedding_loss": ((_PROBS, _SIGN_TARGETS), {}),
    "margin_ranking_loss": ((_PROBS[0], _PROBS[1], _SIGN_TARGETS[0]), {"margin": 0.1}),
    "cosine_embedding_loss": ((_PROBS, _TARGETS + 0.5, _PAIR_SIGNS), {"margin": 0.1}),
    "triplet_margin_loss": ((_PROBS, _TARGETS, _PROBS[::-1].copy()), {"margin": 0.5}),
}
_MODULE_NAMES = {"mse_loss": "MSELoss", "l1_loss": "L1Loss", "smooth_l1_loss": "SmoothL1Loss",
                 "binary_cross_entropy": "BCELoss", "binary_cross_entropy_with_logits": "BCEWithLogitsLoss",
                 "soft_margin_loss": "SoftMarginLoss", "multilabel_soft_margin_loss": "MultiLabelSoftMarginLoss",
                 "poisson_nll_loss": "PoissonNLLLoss", "kl_div": "KLDivLoss", "cross_entropy": "CrossEntropyLoss",
                 "nll_loss": "NLLLoss", "multi_margin_loss": "MultiMarginLoss",
                 "multilabel_margin_loss": "MultiLabelMarginLoss", "hinge_embedding_loss": "HingeEmbeddingLoss",
                 "margin_ranking_loss": "MarginRankingLoss", "cosine_embedding_loss": "CosineEmbeddingLoss",
                 "triplet_margin_loss": "TripletMarginLoss"}
_LEGACY = [  # (size_average, reduce) -> the reduction PyTorch's _Reduction.legacy_get_string makes of them
    ((False, None), "sum"), ((None, False), "none"), ((True, None), "mean"), ((False, True), "sum"),
    ((True, False), "none"), ((None, True), "mean")]


def _legacy_keywords(size_average, reduce):
    return {key: value for key, value in (("size_average", size_average), ("reduce", reduce)) if value is not None}


@pytest.mark.filterwarnings("ignore:.*'batchmean' divides only")  # (its own warning, as PyTorch's)
@pytest.mark.parametrize("legacy, reduction", _LEGACY)
@pytest.mark.parametrize("name", sorted(_LEGACY_LOSSES))
def test_size_average_and_reduce_give_pytorchs_reduction_with_its_warning(name, legacy, reduction):
    arguments, settings = _LEGACY_LOSSES[name]
    with pytest.warns(UserWarning, match=f"{name}: size_average and reduce are deprecated.*reduction='{reduction}'"):
        value = getattr(F, name)(*arguments, **settings, **_legacy_keywords(*legacy))
    expected = getattr(F, name)(*arguments, **settings, reduction=reduction)
    np.testing.assert_array_equal(value.data, expected.data)
    with pytest.warns(UserWarning, match=f"{_MODULE_NAMES[name]}: size_average"):
        module = getattr(nn, _MODULE_NAMES[name])(**settings, **_legacy_keywords(*legacy))
    assert module.reduction == reduction
    np.testing.assert_array_equal(module(*arguments).data, expected.data)
    if torch is not None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # (torch's own deprecation warning)
            theirs = getattr(torch.nn.functional, name)(*map(torch.tensor, arguments), **settings,
                                                         **_legacy_keywords(*legacy))
            assert getattr(torch.nn, _MODULE_NAMES[name])(**settings, **_legacy_keywords(*legacy)).reduction == \
                reduction
        np.testing.assert_allclose(value.data, theirs.numpy(), rtol=1e-12, atol=1e-15)


def test_size_average_false_is_the_sum_of_the_elementwise_losses():
    # the VAE's F.binary_cross_entropy(x_reconst, x, size_average=False): the summed -(y log p + (1 - y) log(1 - p))
    p = ag.tensor(_PROBS, requires_grad=True)
    with pytest.warns(UserWarning, match="reduction='sum'"):
        loss = F.binary_cross_entropy(p, _TARGETS, size_average=False)
    loss.backward()
    expected = -(_TARGETS * np.log(_PROBS) + (1 - _TARGETS) * np.log(1 - _PROBS)).sum()
    assert loss.item() == pytest.approx(expected, rel=1e-14)
    np.testing.assert_allclose(p.grad.data, (_PROBS - _TARGETS) / (_PROBS * (1 - _PROBS)), rtol=1e-12)


def test_legacy_reduction_overrules_a_reduction_given_as_well_and_is_checked():
    with pytest.warns(UserWarning):  # (PyTorch ignores reduction once size_average or reduce is given)
        loss = F.mse_loss(_PROBS, _TARGETS, "mean", size_average=False)
    assert loss.item() == pytest.approx(((_PROBS - _TARGETS) ** 2).sum())
    with pytest.warns(UserWarning):
        assert nn.NLLLoss(None, -100, "sum", reduce=False).reduction == "none"
    with pytest.raises(TypeError, match="mse_loss: size_average must be True, False or None, got 'no'"):
        F.mse_loss(_PROBS, _TARGETS, size_average="no")
    with pytest.raises(TypeError, match="unexpected keyword argument 'size_average'"):  # (PyTorch's has none)
        nn.HuberLoss(size_average=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no warning without them
        assert nn.MSELoss(reduction="sum").reduction == "sum"


# ---- class targets read at backward: a target Tensor changed in place after the loss ------------------------------
@pytest.mark.parametrize("loss", ["cross_entropy", "nll_loss"])
def test_class_target_tensor_changed_in_place_after_the_loss_leaves_its_gradient(loss):
    # The rule reads the targets at backward: a Tensor's are copied at the call (as ag.nll_loss copies them), so
    # t[0] = 1 afterwards changes nothing (it changed the gradient silently when nn read the Tensor's own array).
    logits = np.array([[1.0, 2.0], [3.0, 1.0]])
    x = ag.tensor(logits, requires_grad=True)
    t = ag.tensor([0, 1])
    value = F.cross_entropy(x, t) if loss == "cross_entropy" else F.nll_loss(x, t)
    t[0] = 1
    value.backward()
    if loss == "cross_entropy":  # (softmax - one_hot(target)) / N, for the original target
        softmax = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
        expected = (softmax - np.eye(2)[[0, 1]]) / 2
    else:  # -one_hot(target) / N
        expected = -np.eye(2)[[0, 1]] / 2
    np.testing.assert_allclose(x.grad.data, expected, rtol=1e-12)


# Refusals PyTorch's test_nn matches by its words and RuntimeError (test_bce_loss_input_range,
# test_bce_loss_size_mismatch, test_cosine_embedding_loss_invalid_shape and _error_on_diff_shapes / _nonexpandable):
# each error here is a ValueError, as nn raises, and also a RuntimeError where PyTorch's is one, with its words.
PYTORCH_WORDED_LOSS_REFUSALS = [  # (loss, arguments as arrays, error PyTorch raises, pattern of its words)
    ("binary_cross_entropy", (np.full((2, 2), 1.5), np.full((2, 2), 0.5)), RuntimeError, "between 0 and 1"),
    ("binary_cross_entropy", (np.full((2, 2), 0.5) - 1, np.full((2, 2), 0.5)), RuntimeError, "between 0 and 1"),
    ("binary_cross_entropy", (np.full(25, 0.5), np.full((25, 1), 0.5)), ValueError, r"Using a target size \("),
    ("cosine_embedding_loss", (np.ones((15, 10)), np.ones((15, 10)), np.ones((15, 1))), RuntimeError,
     "1D target tensor expected"),
    ("cosine_embedding_loss", (np.ones(10), np.ones(10), np.ones(10)), RuntimeError,
     "1D target tensor expects 2D input tensors"),
    ("cosine_embedding_loss", (np.ones((2, 5)), np.ones((2, 5)), np.ones(())), RuntimeError,
     "0D target tensor expects 1D input tensors"),
    ("cosine_embedding_loss", (np.ones((0, 0)), np.ones(0), np.ones(0)), RuntimeError, ".*expects 2D.*"),
    ("cosine_embedding_loss", (np.ones((1, 5)), np.ones((1, 6)), np.ones(1)), RuntimeError, "must match the size"),
]


@pytest.mark.parametrize("name, arguments, torch_error, pattern", PYTORCH_WORDED_LOSS_REFUSALS)
def test_loss_refusals_carry_pytorchs_words_and_error_class(name, arguments, torch_error, pattern):
    with pytest.raises(ValueError, match=f"{name}: .*{pattern}") as caught:
        getattr(F, name)(*(ag.tensor(a) for a in arguments))
    assert isinstance(caught.value, torch_error)
    if torch is not None:
        with pytest.raises(torch_error, match=pattern):
            getattr(torch.nn.functional, name)(*(torch.tensor(a) for a in arguments))


def test_cosine_embedding_loss_checks_shapes_before_target_values():
    # PyTorch names the shapes for a target of the wrong rank, whatever its values; here too (the values were
    # checked first, so -0.3 was named instead)
    with pytest.raises(RuntimeError, match="1D target tensor expects 2D input tensors, but found inputs with sizes "
                                           r"\(10,\) and \(10,\)"):
        F.cosine_embedding_loss(ag.ones(10), ag.ones(10), np.full(10, -0.3))
    # the value check still stands for targets of the right shape; the loss itself unchanged
    with pytest.raises(ValueError, match="target must hold 1 .* or -1 .*, got -0.3"):
        F.cosine_embedding_loss(ag.ones((10, 2)), ag.ones((10, 2)), np.full(10, -0.3))
    x1, x2 = np.array([[1.0, 0.0], [1.0, 0.0]]), np.array([[0.0, 1.0], [1.0, 1.0]])
    loss = F.cosine_embedding_loss(ag.tensor(x1), ag.tensor(x2), [1, -1], reduction="none")
    np.testing.assert_allclose(loss.data, [1.0, 1 / np.sqrt(2)], rtol=1e-12)


def test_gaussian_nll_loss_refuses_var_in_pytorchs_words():
    # PyTorch's test_gaussian_nll_loss_args matches these words (ValueError in both)
    x, y = np.zeros((3, 5)), np.ones((3, 5))
    refusals = [(np.ones((3, 3)), r"var is of incorrect size: \(3, 3\) does not fit the input's shape \(3, 5\)"),
                (-np.ones((3, 5)), r"var has negative entry/entries \(variances must be >= 0\), got values in "
                                   r"\[-1.0, -1.0\]"),
                (-1.0, r"var has negative entry/entries \(variances must be >= 0\), got -1.0")]
    for var, message in refusals:
        with pytest.raises(ValueError, match=f"gaussian_nll_loss: {message}"):
            F.gaussian_nll_loss(ag.tensor(x), ag.tensor(y), var if np.isscalar(var) else ag.tensor(var))
        if torch is not None:
            with pytest.raises(ValueError, match=message.split(":")[0].split(r" \(")[0]):
                torch.nn.functional.gaussian_nll_loss(torch.tensor(x), torch.tensor(y),
                                                      var if np.isscalar(var) else torch.tensor(var))
    # a valid var: 0.5 (log var + (x - y)**2 / var), elementwise
    loss = F.gaussian_nll_loss(ag.tensor(x), ag.tensor(y), 0.5 * np.ones((3, 1)), reduction="none")
    np.testing.assert_allclose(loss.data, np.full((3, 5), 0.5 * (np.log(0.5) + 2.0)), rtol=1e-12)
