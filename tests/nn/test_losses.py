"""Each loss against a NumPy reference written from its formula: value and gradient (from
autograd_core) for every reduction, finiteness at extreme inputs, and the errors for bad targets."""
import numpy as np
import pytest

import autograd_core as ag
import nn
import nn.functional as F

REDUCTIONS = ("mean", "sum", "none")
rng = np.random.default_rng(1234)


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
    # PyTorch: each log clamped at -100; where the clamp acts its derivative is 0.
    with np.errstate(divide="ignore"):
        log_p, log_q = np.log(p), np.log(1 - p)
    loss = -(y * np.maximum(log_p, -100) + (1 - y) * np.maximum(log_q, -100))
    with np.errstate(divide="ignore", invalid="ignore"):
        d_p = np.where(log_p > -100, -y / p, 0.0)
        d_q = np.where(log_q > -100, (1 - y) / (1 - p), 0.0)
    return loss, lambda u: u * (d_p + d_q)


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


def test_bce_clamps_log_at_minus_100_with_finite_gradients():
    p = np.array([0.0, 1.0, 0.0, 1.0, 1e-50, 1e-40])  # log(1e-50) < -100 < log(1e-40)
    y = np.array([1.0, 0.0, 0.0, 1.0, 1.0, 1.0])
    value, grad = _engine(nn.BCELoss(reduction="none"), p, y, "none", np.ones(6))
    np.testing.assert_allclose(value, [100.0, 100.0, 0.0, 0.0, 100.0, -np.log(1e-40)])
    assert np.all(np.isfinite(grad))
    np.testing.assert_allclose(grad, bce_ref(p, y)[1](np.ones(6)))


# ---- PyTorch extras: weights, ignore_index, probability targets, other shapes ----------------------
def test_cross_entropy_weight_and_ignore_index_follow_pytorchs_weighted_mean():
    z, y = _class_data()
    y[2] = -100
    w = np.array([0.5, 2.0, 1.0, 3.0])
    x = ag.tensor(z, requires_grad=True)
    loss = nn.CrossEntropyLoss(weight=w)(x, y)
    loss.backward()
    keep = y != -100
    wy = w[y[keep]]
    per_element, vjp = ce_ref(z[keep], y[keep])
    np.testing.assert_allclose(loss.item(), (wy * per_element).sum() / wy.sum(), rtol=1e-12)
    expected = np.zeros_like(z)
    expected[keep] = vjp(wy / wy.sum())
    np.testing.assert_allclose(x.grad.data, expected, rtol=1e-10, atol=1e-14)


def test_cross_entropy_ignore_index_that_is_a_valid_class_is_ignored():
    z, y = _class_data()
    y[:2] = 1  # ignore_index=1 is a class index too: those rows must drop out, not be counted
    x = ag.tensor(z, requires_grad=True)
    loss = nn.CrossEntropyLoss(ignore_index=1)(x, y)
    loss.backward()
    keep = y != 1
    per_element, vjp = ce_ref(z[keep], y[keep])
    np.testing.assert_allclose(loss.item(), per_element.mean(), rtol=1e-12)
    expected = np.zeros_like(z)
    expected[keep] = vjp(np.full(keep.sum(), 1 / keep.sum()))
    np.testing.assert_allclose(x.grad.data, expected, rtol=1e-10, atol=1e-14)


def test_cross_entropy_with_class_probability_targets():
    z = rng.normal(size=(5, 3))
    q = rng.dirichlet(np.ones(3), size=5)
    x = ag.tensor(z, requires_grad=True)
    loss = F.cross_entropy(x, q)
    loss.backward()
    log_p = z - _logsumexp(z)[:, None]
    np.testing.assert_allclose(loss.item(), -(q * log_p).sum(axis=1).mean(), rtol=1e-12)
    np.testing.assert_allclose(x.grad.data, (_softmax(z) - q) / 5, rtol=1e-10, atol=1e-14)


def test_cross_entropy_on_one_sample_and_on_spatial_inputs():
    z = rng.normal(size=4)
    assert np.isclose(F.cross_entropy(ag.tensor(z), np.array(2)).item(), ce_ref(z[None], np.array([2]))[0][0])
    z = rng.normal(size=(2, 3, 5))  # (N, C, d)
    y = rng.integers(0, 3, size=(2, 5))
    per_element = F.cross_entropy(ag.tensor(z), y, reduction="none")
    flat = np.moveaxis(z, 1, -1).reshape(-1, 3)
    assert per_element.shape == (2, 5)
    np.testing.assert_allclose(per_element.data.ravel(), ce_ref(flat, y.ravel())[0], rtol=1e-12)


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


# ---- errors ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("bad", [4, -1])
def test_cross_entropy_target_out_of_range_names_the_valid_range(bad):
    z = ag.tensor(rng.normal(size=(3, 4)))
    with pytest.raises((ValueError, IndexError), match=r"class -?\d+ is out of range.*4 classes.*0\.\.3"):
        nn.CrossEntropyLoss()(z, np.array([0, bad, 1]))


def test_cross_entropy_rejects_float_class_indices_and_wrong_target_shape():
    z = ag.tensor(rng.normal(size=(3, 4)))
    with pytest.raises(ValueError, match=r"target shape \(2,\).*\(3, 4\)"):
        F.cross_entropy(z, np.array([0, 1]))
    with pytest.raises(TypeError, match="integers"):
        F.nll_loss(z, np.array([0.0, 1.0, 2.0]))


@pytest.mark.parametrize("loss_fn", [nn.BCELoss(), nn.BCEWithLogitsLoss()])
def test_binary_targets_outside_0_1_are_rejected(loss_fn):
    with pytest.raises(ValueError, match=r"targets.*\[0, 1\].*got values in \[-?\d"):
        loss_fn(ag.tensor([0.2, 0.7]), np.array([0.0, 2.0]))


def test_bce_rejects_probabilities_outside_0_1():
    with pytest.raises(ValueError, match=r"input probabilities must lie in \[0, 1\]"):
        nn.BCELoss()(ag.tensor([1.5, 0.5]), np.array([1.0, 0.0]))


def test_target_shape_must_equal_input_shape():
    with pytest.raises(ValueError, match=r"mse_loss: target shape \(4,\) differs from input shape \(4, 1\)"):
        nn.MSELoss()(ag.zeros((4, 1)), np.zeros(4))


def test_unknown_reduction_is_rejected():
    with pytest.raises(ValueError, match="reduction must be one of 'mean', 'sum', 'none'"):
        nn.MSELoss(reduction="avg")
    with pytest.raises(ValueError, match="reduction must be one of"):
        F.l1_loss(ag.zeros(2), np.zeros(2), reduction="avg")
