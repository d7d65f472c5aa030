"""Each loss against a NumPy reference written from its formula: value and gradient (from
autograd_core) for every reduction, finiteness at extreme inputs, and the errors for bad targets.
Where PyTorch is installed, the PyTorch conventions are also checked against it directly. The class losses'
extras (weights, ignore_index, probability targets, label smoothing) and their errors: test_losses_cross_entropy.py."""
import re
import warnings
import zlib

import numpy as np
import pytest

import autograd_core as ag
import nn
import nn.functional as F

REDUCTIONS = ("mean", "sum", "none")
EPS = float(np.float32(1e-12))  # PyTorch's floor for p (1 - p) in binary_cross_entropy's gradient
rng = np.random.default_rng(1234)  # reseeded for each test below, so no test depends on the order they run in


@pytest.fixture(autouse=True)
def _rng_of_this_test(request):
    global rng
    rng = np.random.default_rng(zlib.crc32(request.node.nodeid.encode()))


# ---- NumPy references: per-element loss l(z, y) and a function u -> d(sum u * l)/dz -------------
def _sigmoid(z):
    return np.exp(-np.logaddexp(0, -z))  # overflow-free, and accurate where sigmoid is tiny


def _logsumexp(z):
    m = z.max(axis=1, keepdims=True)
    return (m + np.log(np.exp(z - m).sum(axis=1, keepdims=True)))[:, 0]


def _softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _onehot(y, c):
    return np.eye(c)[y]


def mse_ref(z, y):
    return (z - y) ** 2, lambda u: u * 2 * (z - y)


def l1_ref(z, y):
    return np.abs(z - y), lambda u: u * np.sign(z - y)


def huber_ref(delta):
    def ref(z, y):
        d = z - y
        small = np.abs(d) < delta
        loss = np.where(small, 0.5 * d ** 2, delta * (np.abs(d) - 0.5 * delta))
        return loss, lambda u: u * np.where(small, d, delta * np.sign(d))
    return ref


def bce_ref(p, y):
    # PyTorch: each log clamped at -100, and the gradient (p - y) / max(p (1 - p), 1e-12), finite at 0 and 1.
    with np.errstate(divide="ignore"):
        loss = -(y * np.maximum(np.log(p), -100) + (1 - y) * np.maximum(np.log1p(-p), -100))
    return loss, lambda u: u * (p - y) / np.maximum(p * (1 - p), EPS)


_BCE_WEIGHT = np.array([0.5, 2.0, 1.5])  # one weight per column, broadcast over the rows as in PyTorch


def weighted_bce_ref(p, y):
    loss, vjp = bce_ref(p, y)
    return _BCE_WEIGHT * loss, lambda u: vjp(_BCE_WEIGHT * u)


def bce_logits_ref(z, y):
    loss = np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))
    return loss, lambda u: u * ((1 - y) * _sigmoid(z) - y * _sigmoid(-z))  # sigmoid(z) - y, no cancellation


def ce_ref(z, y):
    loss = _logsumexp(z) - z[np.arange(len(y)), y]
    return loss, lambda u: u[:, None] * (_softmax(z) - _onehot(y, z.shape[1]))


def nll_ref(logp, y):
    loss = -logp[np.arange(len(y)), y]
    return loss, lambda u: -u[:, None] * _onehot(y, logp.shape[1])


def _regression_data():
    return rng.normal(size=(6, 3)), rng.normal(size=(6, 3))


def _probability_data():
    return rng.uniform(0.02, 0.98, size=(6, 3)), rng.uniform(0, 1, size=(6, 3))


def _logit_data():
    return rng.normal(scale=3, size=(6, 3)), (rng.uniform(size=(6, 3)) > 0.5).astype(float)


def _class_data():
    return rng.normal(scale=3, size=(7, 4)), rng.integers(0, 4, size=7)


def _log_probability_data():
    z, y = _class_data()
    return z - _logsumexp(z)[:, None], y


# name: (module factory, functional, data, reference)
CASES = {
    "mse": (nn.MSELoss, F.mse_loss, _regression_data, mse_ref),
    "l1": (nn.L1Loss, F.l1_loss, _regression_data, l1_ref),
    "huber": (lambda reduction: nn.HuberLoss(reduction=reduction), F.huber_loss, _regression_data, huber_ref(1.0)),
    "huber_delta_0.3": (lambda reduction: nn.HuberLoss(reduction=reduction, delta=0.3),
                        lambda z, y, reduction: F.huber_loss(z, y, reduction, delta=0.3), _regression_data,
                        huber_ref(0.3)),
    "bce": (nn.BCELoss, F.binary_cross_entropy, _probability_data, bce_ref),
    "bce_weighted": (lambda reduction: nn.BCELoss(weight=_BCE_WEIGHT, reduction=reduction),
                     lambda p, y, reduction: F.binary_cross_entropy(p, y, weight=_BCE_WEIGHT, reduction=reduction),
                     _probability_data, weighted_bce_ref),
    "bce_soft_targets_with_logits": (nn.BCEWithLogitsLoss, F.binary_cross_entropy_with_logits,
                                     lambda: (rng.normal(scale=3, size=(6, 3)), rng.uniform(size=(6, 3))),
                                     bce_logits_ref),
    "bce_with_logits": (nn.BCEWithLogitsLoss, F.binary_cross_entropy_with_logits, _logit_data, bce_logits_ref),
    "cross_entropy": (nn.CrossEntropyLoss, F.cross_entropy, _class_data, ce_ref),
    "nll": (nn.NLLLoss, F.nll_loss, _log_probability_data, nll_ref),
}


def _engine(loss_fn, z, y, reduction, upstream):
    x = ag.tensor(z, requires_grad=True)
    loss = loss_fn(x, y)
    if reduction == "none":
        loss.backward(upstream)
    else:
        loss.backward()
    return loss.data, x.grad.data


def _reference(reference, z, y, reduction, upstream):
    per_element, vjp = reference(z, y)
    if reduction == "mean":
        return per_element.mean(), vjp(np.full(per_element.shape, 1 / per_element.size))
    if reduction == "sum":
        return per_element.sum(), vjp(np.ones(per_element.shape))
    return per_element, vjp(upstream)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("name", sorted(CASES))
def test_loss_value_and_gradient_equal_numpy_reference(name, reduction):
    make_module, functional, data, reference = CASES[name]
    z, y = data()
    per_element, _ = reference(z, y)
    upstream = rng.normal(size=per_element.shape)
    expected_value, expected_grad = _reference(reference, z, y, reduction, upstream)
    for loss_fn in (make_module(reduction=reduction), lambda a, b: functional(a, b, reduction=reduction)):
        value, grad = _engine(loss_fn, z, y, reduction, upstream)
        np.testing.assert_allclose(value, expected_value, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(grad, expected_grad, rtol=1e-10, atol=1e-12)


# d(sum of the per-element losses)/d(target), for targets that require grad (as in PyTorch)
TARGET_GRADIENTS = {
    "mse": (F.mse_loss, _regression_data, lambda z, y: -2 * (z - y)),
    "l1": (F.l1_loss, _regression_data, lambda z, y: -np.sign(z - y)),
    "huber": (F.huber_loss, _regression_data, lambda z, y: -np.clip(z - y, -1, 1)),
    "bce": (F.binary_cross_entropy, _probability_data, lambda p, y: np.log1p(-p) - np.log(p)),
    "bce_with_logits": (F.binary_cross_entropy_with_logits, CASES["bce_soft_targets_with_logits"][2],
                        lambda z, y: -z),
    "cross_entropy_probabilities": (F.cross_entropy, lambda: (rng.normal(size=(5, 3)), rng.dirichlet(np.ones(3), 5)),
                                    lambda z, q: -(z - _logsumexp(z)[:, None])),
}


@pytest.mark.parametrize("name", sorted(TARGET_GRADIENTS))
def test_gradient_flows_into_a_target_that_requires_grad(name):
    functional, data, target_gradient = TARGET_GRADIENTS[name]
    z, y = data()
    x, target = ag.tensor(z, requires_grad=True), ag.tensor(y, requires_grad=True)
    functional(x, target, reduction="sum").backward()
    np.testing.assert_allclose(target.grad.data, target_gradient(z, y), rtol=1e-10, atol=1e-12)
    assert x.grad is not None


@pytest.mark.parametrize("name", sorted(CASES))
def test_float32_inputs_give_float32_losses_and_gradients(name):
    make_module, _, data, reference = CASES[name]
    z, y = data()
    x = ag.tensor(z.astype(np.float32), requires_grad=True)
    loss = make_module(reduction="mean")(x, y)  # float64 targets are cast to the input's dtype
    loss.backward()
    assert loss.dtype == np.float32 and x.grad.dtype == np.float32
    np.testing.assert_allclose(loss.item(), reference(z.astype(np.float32).astype(np.float64), y)[0].mean(), rtol=1e-5)


# ---- extreme inputs -------------------------------------------------------------------------------
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_bce_with_logits_is_exact_and_finite_at_logits_1e4(reduction):
    z = np.array([1e4, -1e4, 1e4, -1e4, 0.0, 30.0])
    y = np.array([1.0, 0.0, 0.0, 1.0, 1.0, 1.0])
    upstream = rng.normal(size=6)
    value, grad = _engine(nn.BCEWithLogitsLoss(reduction=reduction), z, y, reduction, upstream)
    expected_value, expected_grad = _reference(bce_logits_ref, z, y, reduction, upstream)
    assert np.all(np.isfinite(value)) and np.all(np.isfinite(grad))
    np.testing.assert_allclose(value, expected_value, rtol=1e-12)
    np.testing.assert_allclose(grad, expected_grad, rtol=1e-12, atol=1e-300)
    # the course notes' zeta((1 - 2y) z): 0 for confident right answers, |z| for confident wrong ones
    per_element = F.binary_cross_entropy_with_logits(ag.tensor(z), y, reduction="none").data
    np.testing.assert_allclose(per_element[:4], [0.0, 0.0, 1e4, 1e4])
    np.testing.assert_allclose(per_element[5], np.log1p(np.exp(-30.0)), rtol=1e-12)  # no cancellation


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_bce_with_logits_keeps_full_relative_precision_for_confident_right_answers_on_both_sides(dtype):
    # softplus(z) - y z (or PyTorch's (1 - y) z + softplus(-z)) would lose the tiny loss and gradient on one side:
    # z + softplus(-z) rounds softplus at z's magnitude (0 instead of 2e-9 in float32 at z = -20).
    z = np.array([20.0, -20.0] if dtype == np.float32 else [30.0, -30.0], dtype)
    x = ag.tensor(z, requires_grad=True)
    loss = F.binary_cross_entropy_with_logits(x, np.array([1.0, 0.0]), reduction="none")
    loss.backward(np.ones(2, dtype))
    tiny = np.exp(-30.0 if dtype == np.float64 else -20.0)
    rtol = 1e-6 if dtype == np.float32 else 1e-13
    np.testing.assert_allclose(loss.data, [np.log1p(tiny)] * 2, rtol=rtol)  # -log sigmoid(|z|)
    np.testing.assert_allclose(x.grad.data, [-tiny / (1 + tiny), tiny / (1 + tiny)], rtol=rtol)  # sigmoid(z) - y


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_cross_entropy_is_finite_and_right_at_logits_1e4(reduction, dtype):
    z = np.array([[1e4, -1e4, 0.0], [-1e4, 1e4, 1e4], [1e4, -1e4, -1e4]])
    y = np.array([0, 0, 2])
    upstream = np.ones(3)
    x = ag.tensor(z.astype(dtype), requires_grad=True)
    loss = nn.CrossEntropyLoss(reduction=reduction)(x, y)
    loss.backward(upstream.astype(dtype) if reduction == "none" else None)
    expected_value, expected_grad = _reference(ce_ref, z, y, reduction, upstream)
    assert np.all(np.isfinite(loss.data)) and np.all(np.isfinite(x.grad.data))
    # float32 spacing at 1e4 is 1e-3: log(2) next to 1e4 keeps only about 3 decimals there
    tol = 1e-3 if dtype == np.float32 else 1e-9
    np.testing.assert_allclose(loss.data, expected_value, rtol=tol, atol=tol)
    np.testing.assert_allclose(x.grad.data, expected_grad, rtol=tol, atol=tol)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("delta", [1.0, 0.3])
def test_huber_gradient_is_plus_minus_delta_for_infinite_residuals(delta, dtype):
    # The square branch must not send 0 * inf = NaN back from where it is not selected.
    x = ag.tensor(np.array([-np.inf, np.inf, 3.0, 0.1], dtype), requires_grad=True)
    loss = nn.HuberLoss(reduction="sum", delta=delta)(x, np.zeros(4, dtype))
    loss.backward()
    assert loss.data == np.inf
    np.testing.assert_allclose(x.grad.data, [-delta, delta, delta, min(0.1, delta)], rtol=1e-6)
    assert x.grad.dtype == dtype


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("delta", [1.0, 0.3])
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_huber_loss_is_one_engine_node_matching_torch_with_a_differentiable_target(reduction, delta, dtype):
    z = np.concatenate([rng.normal(scale=2, size=12), [delta, -delta, np.inf, -np.inf, np.nan]]).astype(dtype)
    t = rng.normal(size=z.shape).astype(dtype)
    t[-5:] = 0
    upstream = rng.normal(size=z.shape).astype(dtype)
    x, target = ag.tensor(z, requires_grad=True), ag.tensor(t, requires_grad=True)
    loss = F.huber_loss(x, target, reduction=reduction, delta=delta)
    reduced = {"mean": ["mean"], "sum": ["sum"], "none": []}[reduction]
    assert [n.op_name for n in ag.topological_order(loss) if not n.is_leaf] == ["huber_loss"] + reduced
    loss.backward(upstream if reduction == "none" else None)
    assert loss.dtype == x.grad.dtype == target.grad.dtype == dtype
    torch = pytest.importorskip("torch")
    tx, tt = torch.tensor(z, requires_grad=True), torch.tensor(t, requires_grad=True)
    tloss = torch.nn.functional.huber_loss(tx, tt, reduction=reduction, delta=delta)
    tloss.backward(torch.tensor(upstream) if reduction == "none" else None)
    np.testing.assert_allclose(loss.data, tloss.detach().numpy(), rtol=1e-6)
    np.testing.assert_allclose(x.grad.data, tx.grad.numpy(), rtol=1e-6)  # a NaN residual's gradient NaN too
    np.testing.assert_allclose(target.grad.data, tt.grad.numpy(), rtol=1e-6)


def test_cross_entropy_of_a_plus_infinite_logit_is_nan_not_a_finite_or_infinite_loss():
    x = ag.tensor([[np.inf, 0.0, 1.0], [0.0, 1.0, 2.0]], requires_grad=True)
    with np.errstate(invalid="ignore"):
        loss = nn.CrossEntropyLoss()(x, [1, 0])
        loss.backward()
    assert np.isnan(loss.data) and np.isnan(x.grad.data[0]).all()


def test_bce_clamps_log_at_minus_100_and_has_pytorchs_finite_gradient():
    p = np.array([0.0, 1.0, 0.0, 1.0, 1e-50, 1e-40])  # log(1e-50) < -100 < log(1e-40)
    y = np.array([1.0, 0.0, 0.0, 1.0, 1.0, 1.0])
    value, grad = _engine(nn.BCELoss(reduction="none"), p, y, "none", np.ones(6))
    np.testing.assert_allclose(value, [100.0, 100.0, 0.0, 0.0, 100.0, -np.log(1e-40)])
    assert np.all(np.isfinite(grad))
    # (p - y) / max(p (1 - p), 1e-12): -1e12 at p = 0, y = 1 (not 0, the slope of the clamped log), the
    # floor being float32's 1e-12 exactly as in PyTorch (float64's 1e-12 differs in the 8th digit)
    np.testing.assert_array_equal(grad, [-1 / EPS, 1 / EPS, 0.0, 0.0, -1 / EPS, -1 / EPS])
    np.testing.assert_allclose(grad, bce_ref(p, y)[1](np.ones(6)))


def test_bce_gradient_is_finite_for_subnormal_float32_probabilities():
    p = ag.tensor(np.array([1e-39, 0.5, 0.0, 1.0], dtype=np.float32), requires_grad=True)
    y = np.array([1.0, 1.0, 1.0, 0.0], dtype=np.float32)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        F.binary_cross_entropy(p, y).backward()
    assert p.grad.dtype == np.float32
    np.testing.assert_allclose(p.grad.data, np.array([-1 / EPS, -2.0, -1 / EPS, 1 / EPS]) / 4, rtol=1e-6)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_bce_value_and_gradient_match_torch_at_the_edges(reduction, dtype):
    torch = pytest.importorskip("torch")
    p = np.array([0.0, 1e-39, 1.0, 1e-43, 0.3, 1e-50, 0.999], dtype=dtype)
    y = np.array([1.0, 1.0, 0.0, 1.0, 0.6, 0.25, 0.0], dtype=dtype)
    w = np.linspace(0.5, 2.0, 7).astype(dtype)
    upstream = np.linspace(-1.0, 1.0, 7).astype(dtype)
    x = ag.tensor(p, requires_grad=True)
    loss = nn.BCELoss(weight=w, reduction=reduction)(x, y)
    loss.backward(upstream if reduction == "none" else None)
    tx = torch.tensor(p, requires_grad=True)
    tloss = torch.nn.BCELoss(weight=torch.tensor(w), reduction=reduction)(tx, torch.tensor(y))
    tloss.backward(torch.tensor(upstream) if reduction == "none" else None)
    np.testing.assert_allclose(loss.data, tloss.detach().numpy(), rtol=1e-6)
    np.testing.assert_allclose(x.grad.data, tx.grad.numpy(), rtol=1e-6)


# ---- PyTorch extras: binary cross-entropy's weights (cross_entropy's: test_losses_cross_entropy.py) ----------
def test_bce_with_logits_pos_weight_and_weight():
    z, y = _logit_data()
    pw, w = np.array([2.0, 1.0, 0.5]), rng.uniform(size=(6, 3))
    x = ag.tensor(z, requires_grad=True)
    loss = F.binary_cross_entropy_with_logits(x, y, weight=w, reduction="sum", pos_weight=pw)
    loss.backward()
    log_sig, log_one_minus = -np.logaddexp(0, -z), -np.logaddexp(0, z)
    expected = -(w * (pw * y * log_sig + (1 - y) * log_one_minus))
    np.testing.assert_allclose(loss.item(), expected.sum(), rtol=1e-12)
    np.testing.assert_allclose(x.grad.data, w * ((pw * y + 1 - y) * _sigmoid(z) - pw * y), rtol=1e-10, atol=1e-14)


def test_bce_with_logits_float64_weights_keep_a_float32_loss():
    z, y = _logit_data()
    x = ag.tensor(z.astype(np.float32), requires_grad=True)
    loss = F.binary_cross_entropy_with_logits(x, y, weight=np.full(3, 0.5), pos_weight=np.array([2.0, 1.0, 0.5]))
    loss.backward()
    assert loss.dtype == np.float32 and x.grad.dtype == np.float32


# ---- errors ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("call", [
    lambda p, y, w: F.binary_cross_entropy(p, y, weight=w),
    lambda p, y, w: F.binary_cross_entropy_with_logits(p, y, weight=w),
    lambda p, y, w: F.binary_cross_entropy_with_logits(p, y, pos_weight=w),
])
@pytest.mark.parametrize("shape", [(4,), (2, 6, 3)])
def test_elementwise_weights_must_broadcast_to_the_input(call, shape):
    p, y = _probability_data()
    with pytest.raises(ValueError, match=rf"binary_cross_entropy.*{re.escape(str(shape))}.*input's shape \(6, 3\)"):
        call(ag.tensor(p), y, np.ones(shape))


def test_bce_targets_outside_0_1_are_rejected():
    with pytest.raises(ValueError, match=r"targets.*\[0, 1\].*got values in \[-?\d"):
        nn.BCELoss()(ag.tensor([0.2, 0.7]), np.array([0.0, 2.0]))


def test_bce_with_logits_accepts_any_float_targets_as_pytorch():
    z, y = rng.normal(scale=3, size=6), np.array([-1.0, 2.5, 0.5, 1.0, -0.25, 3.0])
    x = ag.tensor(z, requires_grad=True)
    loss = nn.BCEWithLogitsLoss(reduction="sum")(x, y)
    loss.backward()
    # y zeta(-z) + (1 - y) zeta(z) = zeta(z) - y z for any y; its gradient sigmoid(z) - y
    np.testing.assert_allclose(loss.item(), (np.logaddexp(0, z) - y * z).sum(), rtol=1e-12)
    np.testing.assert_allclose(x.grad.data, _sigmoid(z) - y, rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize("bad", [1.5, -0.5, np.nan])
def test_bce_rejects_probabilities_outside_0_1_and_nan(bad):
    with pytest.raises(ValueError, match=r"binary_cross_entropy.*all elements of input should be between 0 and 1"):
        nn.BCELoss()(ag.tensor([bad, 0.5]), np.array([1.0, 0.0]))
    with pytest.raises(ValueError, match=r"all elements of input should be between 0 and 1"):
        F.binary_cross_entropy(ag.tensor([bad]), [1.0])


def test_target_shape_must_equal_input_shape():
    with pytest.raises(ValueError, match=r"mse_loss: Using a target size \(4,\) that is different to the input size "
                                         r"\(4, 1\)"):
        nn.MSELoss()(ag.zeros((4, 1)), np.zeros(4))


def test_unknown_reduction_is_rejected():
    with pytest.raises(ValueError, match="reduction must be one of 'mean', 'sum', 'none'"):
        nn.MSELoss(reduction="avg")
    with pytest.raises(ValueError, match="reduction must be one of"):
        F.l1_loss(ag.zeros(2), np.zeros(2), reduction="avg")


@pytest.mark.parametrize("make, error, message", [
    (lambda: nn.HuberLoss(delta=float("nan")), ValueError, r"^HuberLoss: delta must be a finite number > 0, got nan"),
    (lambda: nn.HuberLoss(delta="x"), TypeError, r"^HuberLoss: delta must be a finite number > 0, got 'x'"),
    (lambda: nn.CrossEntropyLoss(weight="x"), TypeError, r"^CrossEntropyLoss: weight must hold numbers"),
    (lambda: nn.NLLLoss(ignore_index="x"), TypeError, r"^NLLLoss: ignore_index must be an int"),
    (lambda: nn.CrossEntropyLoss(label_smoothing="x"), TypeError, r"^CrossEntropyLoss: label_smoothing must be a num"),
], ids=["nan delta", "str delta", "str weight", "str ignore_index", "str label_smoothing"])
def test_loss_settings_are_checked_when_the_loss_is_made(make, error, message):
    # A NaN delta gave NaN losses; the others failed at the first call with Python's own messages.
    with pytest.raises(error, match=message):
        make()


@pytest.mark.parametrize("target", ["x", None])
def test_a_target_that_holds_no_numbers_is_a_type_error_not_a_shape_error(target):
    with pytest.raises(TypeError, match=r"^mse_loss: target must hold numbers, got"):
        nn.MSELoss()(ag.ones((4, 3)), target)


@pytest.mark.parametrize("make, takes_a_mask", [
    (lambda w: nn.BCELoss(weight=w), True), (lambda w: nn.BCEWithLogitsLoss(weight=w), True),
    (lambda w: nn.BCEWithLogitsLoss(pos_weight=w), False),
    (lambda w: nn.CrossEntropyLoss(weight=w), False), (lambda w: nn.NLLLoss(weight=w), False),
], ids=["BCE", "BCEWithLogits weight", "BCEWithLogits pos_weight", "CE", "NLL"])
def test_loss_weights_are_constants_holding_numbers(make, takes_a_mask):
    # A weight that requires grad got no gradient, silently; [1, None] gave NaN; "x" failed at the call.
    with pytest.raises(TypeError, match=r"is a constant and gets no gradient"):
        make(ag.tensor(np.ones(3), requires_grad=True))
    for bad in ("x", [1.0, None, 1.0]):
        with pytest.raises(TypeError, match=r"(weight|pos_weight) must hold numbers"):
            make(bad)
    mask = np.array([True, False, True])
    if takes_a_mask:
        make(mask)  # a mask is BCE's weight, as in PyTorch
    else:
        with pytest.raises(TypeError, match=r"must hold numbers, got array\(\[ True"):
            make(mask)  # PyTorch refuses it as pos_weight and as class weights


def test_huber_loss_repr_shows_its_reduction_and_delta():
    assert repr(nn.HuberLoss(reduction="sum", delta=2.5)) == "HuberLoss(reduction='sum', delta=2.5)"


@pytest.mark.parametrize("delta", [ag.tensor(2.0, requires_grad=True), np.array([1.0, 2.0])],
                         ids=["a tensor that requires grad", "a 1-d array"])
def test_a_setting_that_is_no_plain_number_is_refused_with_the_settings_message(delta):
    # as_number takes a 0-d constant, as torch: not a Tensor whose gradient would be dropped, nor an array of many
    with pytest.raises(TypeError, match=r"^HuberLoss: delta must be a finite number > 0, got "):
        nn.HuberLoss(delta=delta)


@pytest.mark.parametrize("name", ["mse_loss", "l1_loss"])
def test_regression_loss_of_integer_input_keeps_fractional_target_values(name):
    torch = pytest.importorskip("torch")
    x, y = np.array([1, 2]), np.array([0.5, 0.5])
    expected = getattr(torch.nn.functional, name)(torch.tensor(x), torch.tensor(y)).item()  # 1.25 / 1.0
    assert getattr(F, name)(ag.tensor(x), y).item() == pytest.approx(expected)


def test_huber_loss_of_integer_input_either_refuses_or_keeps_fractional_target_values():
    x, y = np.array([1, 2]), np.array([0.5, 0.5])
    d = x - y  # 0.5, 1.5: the formula on the true values (delta 1)
    expected = np.mean(np.where(np.abs(d) < 1, 0.5 * d ** 2, np.abs(d) - 0.5))  # 0.5625
    try:
        got = F.huber_loss(ag.tensor(x), y).item()
    except (TypeError, ValueError):  # PyTorch refuses (a Long result cannot hold it): also fine
        return
    assert got == pytest.approx(expected)


@pytest.mark.parametrize("loss", [nn.MSELoss, nn.L1Loss, nn.HuberLoss, nn.BCELoss, nn.BCEWithLogitsLoss,
                                  nn.CrossEntropyLoss, nn.NLLLoss])
def test_loss_names_itself_for_a_string_input(loss):
    names = {"MSELoss": "mse", "L1Loss": "l1", "HuberLoss": "huber", "BCELoss": "binary_cross_entropy",
             "BCEWithLogitsLoss": "binary_cross_entropy_with_logits", "CrossEntropyLoss": "cross_entropy",
             "NLLLoss": "nll"}
    with pytest.raises(TypeError, match=rf"{loss.__name__}|{names[loss.__name__]}"):
        loss()("abc", "abc")


_LIST_INPUT, _LIST_TARGET = [0.2, 0.7, 0.9], [0.0, 1.0, 1.0]
_x, _t = np.array(_LIST_INPUT), np.array(_LIST_TARGET)
_LOSS_FORMULAS = {
    "mse_loss": (F.mse_loss, np.mean((_x - _t) ** 2)),
    "l1_loss": (F.l1_loss, np.mean(np.abs(_x - _t))),
    "huber_loss": (F.huber_loss, np.mean(0.5 * (_x - _t) ** 2)),  # |x - t| < delta = 1 everywhere
    "binary_cross_entropy": (F.binary_cross_entropy, -np.mean(_t * np.log(_x) + (1 - _t) * np.log(1 - _x))),
    "binary_cross_entropy_with_logits": (
        F.binary_cross_entropy_with_logits,
        -np.mean(_t * np.log(1 / (1 + np.exp(-_x))) + (1 - _t) * np.log(1 - 1 / (1 + np.exp(-_x))))),
}


@pytest.mark.parametrize("name", sorted(_LOSS_FORMULAS))
def test_a_loss_of_a_list_input_is_a_tensor_matching_the_formula(name):
    loss, expected = _LOSS_FORMULAS[name]
    out = loss(_LIST_INPUT, _LIST_TARGET)
    assert isinstance(out, ag.Tensor)
    np.testing.assert_allclose(float(out), expected, rtol=1e-12)


@pytest.mark.parametrize("name", sorted(_LOSS_FORMULAS))
def test_a_loss_of_a_text_input_is_a_type_error_naming_the_loss(name):
    loss, _ = _LOSS_FORMULAS[name]
    with pytest.raises(TypeError, match=name):
        loss("abc", _LIST_TARGET)
