"""Loss primitives (autograd_core/ops/losses.py): binary_cross_entropy, huber_loss, nll_loss and the fused
cross-entropy node (nll_loss of log_softmax), their values and PyTorch's gradients."""
import warnings

import numpy as np
import pytest
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd_core as ag
from autograd_core.ops.losses import _cross_entropy_node, huber_loss
from optable import Op, generated_tests

EPS = float(np.float32(1e-12))  # PyTorch's floor for p (1 - p), a float32 1e-12


def _bce(p, y):
    with np.errstate(divide="ignore"):
        return -(y * np.maximum(np.log(p), -100) + (1 - y) * np.maximum(np.log1p(-p), -100))


LOSSES = [
    # Probabilities kept away from 0 and 1, where the gradient's floor and the log clamp act (tested below).
    Op("binary_cross_entropy", ag.binary_cross_entropy, _bce, arity=2, elements=[(0.05, 0.95), (0.0, 1.0)]),
    Op("binary_cross_entropy_soft_targets", ag.binary_cross_entropy, _bce, arity=2,
       elements=[(0.05, 0.95), (-0.5, 1.5)]),
]



def _nll_reference(x, target, sample_weight=None, reduction="mean"):
    w = np.ones(len(target)) if sample_weight is None else sample_weight
    losses = np.where(w == 0, 0, -x[np.arange(len(target)), target] * w)
    if reduction == "none":
        return losses
    return losses.sum() if reduction == "sum" else losses.sum() / w.sum()


@st.composite
def _nll_case(draw, weighted):
    """((N, C),) and nll_loss's arguments: N >= 1 targets in [0, C), weights with zeros (dropped samples)."""
    n, classes = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    kwargs = {"target": draw(hnp.arrays(np.int64, n, elements=st.integers(0, classes - 1))),
              "reduction": draw(st.sampled_from(["mean", "sum", "none"]))}
    if weighted:
        kwargs["sample_weight"] = draw(hnp.arrays(np.float64, n, elements=st.sampled_from([0.0, 0.5, 1.0, 2.0])))
    return ((n, classes),), kwargs


def _nll_weighted(x, target, sample_weight, reduction):
    return ag.nll_loss(x, target, sample_weight.astype(x.dtype), reduction)  # float32 weights for float32 x


def _huber(x, y, delta=1.0):
    d = x - y
    return np.where(np.abs(d) < delta, 0.5 * d ** 2, delta * (np.abs(d) - 0.5 * delta))


def _off_the_kink(x, y, delta):  # |x - y| == delta, where the second derivative jumps from 1 to 0
    return bool(np.all(np.abs(np.abs(x - y) - delta) > 1e-2))


LOSSES += [
    Op("huber_loss", huber_loss, _huber, arity=2, valid=_off_the_kink,
       kwargs=lambda shapes: st.fixed_dictionaries({"delta": st.sampled_from([0.3, 1.0, 2.0])})),
    Op("nll_loss", ag.nll_loss, _nll_reference, case=_nll_case(weighted=False)),
    # The weighted mean of all-zero weights is NaN (tested below), which finite differences cannot check.
    Op("nll_loss_weighted", _nll_weighted, _nll_reference, case=_nll_case(weighted=True),
       valid=lambda x, reduction, sample_weight, **_: reduction != "mean" or sample_weight.any()),
]


def _log_softmax_reference(x):
    shifted = x - x.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def _cross_entropy_reference(x, target, sample_weight=None, reduction="mean"):
    return _nll_reference(_log_softmax_reference(x), target, sample_weight, reduction)


def _cross_entropy_fused(x, target, reduction, sample_weight=None):
    # (nn's cross_entropy checks the targets and casts the weights before it makes the node)
    weights = None if sample_weight is None else sample_weight.astype(x.dtype)
    return _cross_entropy_node(x, target, weights, reduction)


LOSSES += [
    Op("cross_entropy_node", _cross_entropy_fused, _cross_entropy_reference, case=_nll_case(weighted=False)),
    Op("cross_entropy_node_weighted", _cross_entropy_fused, _cross_entropy_reference, case=_nll_case(weighted=True),
       valid=lambda x, reduction, sample_weight, **_: reduction != "mean" or sample_weight.any()),
]

globals().update(generated_tests(LOSSES))


# ---- the edges: p = 0, p = 1 and subnormal p ------------------------------------------------------
EDGES = [  # (p, y, dtype)
    ([0.0, 1.0, 0.0, 1.0, 0.5], [1.0, 0.0, 0.5, 0.25, 1.0], np.float64),
    ([1e-39, 0.5, 0.0, 1.0], [1.0, 1.0, 1.0, 0.0], np.float32),  # 1e-39 is subnormal in float32
    ([1e-43, 1e-43, 1e-50, 1 - 1e-17], [1.0, 0.0, 0.25, 0.5], np.float64),
    ([1e-43, 1e-43, 0.0], [1.0, 0.0, 0.5], np.float32),
    ([1e-13, 1 - 1e-13, 3e-12], [1.0, 0.0, 1.0], np.float64),  # p (1 - p) near the floor: max, not a sum
]


def _engine(p, y, dtype, upstream=None):
    """loss, d loss/dp and d loss/dy for an elementwise upstream gradient (default ones)."""
    p = ag.tensor(np.array(p, dtype=dtype), requires_grad=True)
    y = ag.tensor(np.array(y, dtype=dtype), requires_grad=True)
    loss = ag.binary_cross_entropy(p, y)
    loss.backward(np.ones(loss.shape, dtype) if upstream is None else upstream)
    return loss, p.grad, y.grad


@pytest.mark.parametrize("p, y, dtype", EDGES)
def test_gradients_at_the_edges_follow_pytorchs_formulas(p, y, dtype):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no division-by-zero or overflow warnings at the edges
        loss, dp, dy = _engine(p, y, dtype)
    p, y = np.array(p, dtype), np.array(y, dtype)
    assert loss.dtype == dp.dtype == dy.dtype == dtype
    np.testing.assert_allclose(loss.data, _bce(p, y), rtol=1e-6)
    assert np.all(loss.data <= 100)
    # d/dp: (p - y) / max(p (1 - p), 1e-12), finite everywhere; d/dy: log(1 - p) - log(p), not clamped.
    expected = (p - y) / np.maximum(p * (1 - p), dtype(EPS))
    assert np.all(np.isfinite(dp.data))
    np.testing.assert_allclose(dp.data, expected, rtol=1e-6)
    with np.errstate(divide="ignore"):
        np.testing.assert_allclose(dy.data, np.log1p(-p) - np.log(p), rtol=1e-6)


def test_gradient_at_zero_and_one_is_the_floored_slope_not_zero_or_inf():
    _, dp, _ = _engine([0.0, 1.0, 1e-39], [1.0, 0.0, 1.0], np.float32)
    np.testing.assert_allclose(dp.data, [-1 / EPS, 1 / EPS, -1 / EPS], rtol=1e-6)


def test_second_derivative_is_recorded_and_finite_at_the_edges():
    p = ag.tensor([0.0, 1.0, 0.3], requires_grad=True)
    y = np.array([1.0, 0.0, 0.6])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        dp = ag.backprop(ag.binary_cross_entropy(p, y).sum(), create_graph=True)[p]
        assert dp.requires_grad
        d2 = ag.backprop(dp.sum())[p]
    # Inside (0, 1): d/dp (p - y) / (p (1 - p)) = 1 / (p (1 - p)) - (p - y)(1 - 2p) / (p (1 - p))**2.
    q = 0.3 * 0.7
    np.testing.assert_allclose(d2.data[2], 1 / q - (0.3 - 0.6) * (1 - 0.6) / q ** 2)
    assert np.all(np.isfinite(d2.data))


@pytest.mark.parametrize("bad", [np.nan, 1.5, -0.25])
def test_input_outside_0_1_or_nan_is_rejected(bad):
    with pytest.raises(ValueError, match=r"binary_cross_entropy: .*all elements of input should be between 0 and 1"):
        ag.binary_cross_entropy(ag.tensor([0.5, bad]), [1.0, 1.0])


def test_shapes_that_do_not_broadcast_are_named_with_what_is_valid():
    with pytest.raises(ValueError, match=r"binary_cross_entropy: .*\(2, 3\).*\(4,\).*broadcastable shapes"):
        ag.binary_cross_entropy(ag.full((2, 3), 0.5), np.ones(4))


def test_numbers_and_empty_arrays():
    assert np.isclose(ag.binary_cross_entropy(0.25, 1.0).item(), -np.log(0.25))
    assert ag.binary_cross_entropy(np.zeros((0, 2)), np.zeros((0, 2))).shape == (0, 2)


@pytest.mark.parametrize("p, y, dtype", EDGES)
def test_matches_torch_value_and_gradients_at_the_edges(p, y, dtype):
    torch = pytest.importorskip("torch")
    upstream = np.linspace(0.5, 2.0, len(p)).astype(dtype)
    loss, dp, dy = _engine(p, y, dtype, upstream)
    tp = torch.tensor(np.array(p, dtype), requires_grad=True)
    ty = torch.tensor(np.array(y, dtype), requires_grad=True)
    tloss = torch.nn.functional.binary_cross_entropy(tp, ty, reduction="none")
    tloss.backward(torch.tensor(upstream))
    np.testing.assert_allclose(loss.data, tloss.detach().numpy(), rtol=1e-6)
    np.testing.assert_allclose(dp.data, tp.grad.numpy(), rtol=1e-6)
    np.testing.assert_allclose(dy.data, ty.grad.numpy(), rtol=1e-6)


# ---- huber_loss: one node, PyTorch's values and gradients --------------------------------------------
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("delta", [1.0, 0.3, 2.5])
def test_huber_loss_is_one_node_matching_torch_at_the_kink_and_for_infinite_residuals(delta, dtype):
    residual = np.array([0.1, -0.2, delta, -delta, 3.0, -7.5, 1e30, np.inf, -np.inf, 0.0])
    x = ag.tensor((residual + 0.25).astype(dtype), requires_grad=True)
    y = ag.tensor(np.full(residual.shape, 0.25, dtype), requires_grad=True)
    upstream = np.linspace(0.5, 2.0, residual.size).astype(dtype)
    loss = huber_loss(x, y, delta)
    assert [n.op_name for n in ag.topological_order(loss) if not n.is_leaf] == ["huber_loss"]
    loss.backward(upstream)
    assert loss.dtype == x.grad.dtype == y.grad.dtype == dtype
    # +-delta, not NaN, for an infinite residual (the square's slope would give 0 * inf there)
    np.testing.assert_allclose(x.grad.data[-3:-1], upstream[-3:-1] * [delta, -delta], rtol=1e-6)
    torch = pytest.importorskip("torch")
    tx, ty = (torch.tensor(t.data, requires_grad=True) for t in (x, y))
    tloss = torch.nn.functional.huber_loss(tx, ty, reduction="none", delta=delta)
    tloss.backward(torch.tensor(upstream))
    np.testing.assert_allclose(loss.data, tloss.detach().numpy(), rtol=1e-6)
    np.testing.assert_allclose(x.grad.data, tx.grad.numpy(), rtol=1e-6)
    np.testing.assert_allclose(y.grad.data, ty.grad.numpy(), rtol=1e-6)


def test_huber_loss_second_derivative_is_one_inside_and_zero_outside_as_torch():
    x = ag.tensor([0.5, -0.9, 1.5, -4.0], requires_grad=True)
    dx = ag.backprop(huber_loss(x, np.zeros(4)).sum(), create_graph=True)[x]
    d2 = ag.backprop((dx * dx).sum())[x]  # d/dx of clip(x)**2 = 2 clip(x) clip'(x)
    np.testing.assert_allclose(d2.data, [1.0, -1.8, 0.0, 0.0])
    torch = pytest.importorskip("torch")
    tx = torch.tensor(x.data, requires_grad=True)
    (tdx,) = torch.autograd.grad(torch.nn.functional.huber_loss(tx, torch.zeros(4).double(), reduction="sum"), tx,
                                 create_graph=True)
    (tdx * tdx).sum().backward()
    np.testing.assert_allclose(d2.data, tx.grad.numpy())


@pytest.mark.parametrize("delta", [0.0, -1.0, np.nan])
def test_huber_loss_refuses_a_delta_that_is_not_positive(delta):
    with pytest.raises(ValueError, match=r"^huber_loss: delta must be a number > 0, got"):
        huber_loss(ag.ones(2), np.zeros(2), delta)


# ---- nll_loss: one node, PyTorch's conventions ------------------------------------------------------
def test_nll_loss_is_one_node_whose_gradient_is_the_scattered_weights():
    logp = ag.tensor(np.log(np.full((3, 4), 0.25)), requires_grad=True)
    loss = ag.nll_loss(logp, np.array([1, 3, 1]), np.array([1.0, 2.0, 3.0]))
    assert [n.op_name for n in ag.topological_order(loss) if not n.is_leaf] == ["nll_loss"]
    loss.backward()
    expected = np.zeros((3, 4))
    expected[[0, 1, 2], [1, 3, 1]] = [-1 / 6, -2 / 6, -3 / 6]
    np.testing.assert_array_equal(logp.grad.data, expected)


def test_a_zero_weight_drops_the_sample_even_at_minus_infinity():
    logp = ag.tensor([[-np.inf, 0.0], [np.log(0.5), np.log(0.5)]], requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # and no warning for 0 * inf
        loss = ag.nll_loss(logp, np.array([0, 1]), np.array([0.0, 1.0]))
    assert loss.item() == pytest.approx(np.log(2))
    loss.backward()
    np.testing.assert_array_equal(logp.grad.data, [[0.0, 0.0], [0.0, -1.0]])


@pytest.mark.parametrize("n, weights", [(0, None), (2, [0.0, 0.0])])
def test_mean_of_no_counted_sample_is_nan_with_gradient_zero(n, weights):
    logp = ag.zeros((n, 3), requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no 0/0 warning
        loss = ag.nll_loss(logp, np.zeros(n, dtype=int), weights)
        loss.backward()
    assert np.isnan(loss.item())
    np.testing.assert_array_equal(logp.grad.data, np.zeros((n, 3)))
    assert not np.signbit(logp.grad.data).any()


def test_nll_loss_bad_input_is_named():
    logp = ag.zeros((2, 3), requires_grad=True)
    with pytest.raises(ValueError, match=r"nll_loss: log_probs must have shape \(N, C\), got shape \(3,\)"):
        ag.nll_loss(ag.zeros(3), np.array([0]))
    with pytest.raises(ValueError, match=r"nll_loss: target must hold one integer class index per row .*\(2, 3\)"
                                         r".*shape \(3,\) and dtype int64"):
        ag.nll_loss(logp, np.array([0, 1, 2]))
    with pytest.raises(ValueError, match=r"nll_loss: target .*dtype float64"):
        ag.nll_loss(logp, np.array([0.0, 1.0]))
    with pytest.raises(IndexError, match=r"nll_loss: .*\(2, 3\).*target holds N class indices in \[0, C\)"):
        ag.nll_loss(logp, np.array([0, 3]))
    with pytest.raises(ValueError, match=r"nll_loss: sample_weight has shape \(3,\), expected \(2,\)"):
        ag.nll_loss(logp, np.array([0, 1]), np.ones(3))
    with pytest.raises(TypeError, match=r"nll_loss: sample_weight must be constant"):
        ag.nll_loss(logp, np.array([0, 1]), ag.ones(2, requires_grad=True))
    with pytest.raises(ValueError, match=r"nll_loss: reduction must be one of 'mean', 'sum', 'none', got 'avg'"):
        ag.nll_loss(logp, np.array([0, 1]), reduction="avg")


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_nll_loss_matches_torch_with_class_weights_and_ignore_index(reduction):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    logp = np.log(rng.dirichlet(np.ones(4), size=6)).astype(np.float32)
    target = np.array([0, 3, -100, 2, 3, -100])
    class_weight = np.array([0.5, 1.0, 2.0, 3.0], np.float32)
    kept = target != -100
    sample_weight = np.where(kept, class_weight[np.where(kept, target, 0)], 0).astype(np.float32)
    upstream = np.linspace(0.5, 2.0, 6).astype(np.float32) if reduction == "none" else None
    x = ag.tensor(logp, requires_grad=True)
    loss = ag.nll_loss(x, np.where(kept, target, 0), sample_weight, reduction)
    loss.backward(upstream)
    tx = torch.tensor(logp, requires_grad=True)
    tloss = torch.nn.functional.nll_loss(tx, torch.tensor(target), torch.tensor(class_weight), reduction=reduction)
    tloss.backward(None if upstream is None else torch.tensor(upstream))
    np.testing.assert_allclose(loss.data, tloss.detach().numpy(), rtol=1e-6)
    np.testing.assert_allclose(x.grad.data, tx.grad.numpy(), rtol=1e-6)


def test_nll_loss_casts_sample_weights_to_the_log_probs_dtype():
    # float64 or integer weights (a list of ints, say) must not promote a float32 loss, nor its gradient.
    logp = ag.tensor(np.log([[0.2, 0.8], [0.6, 0.4]]).astype(np.float32), requires_grad=True)
    for weights in (np.array([1.0, 2.0]), [1, 2], ag.tensor([1.0, 2.0])):
        for reduction in ("mean", "sum", "none"):
            loss = ag.nll_loss(logp, np.array([1, 0]), weights, reduction)
            assert loss.dtype == np.float32, (weights, reduction)
    np.testing.assert_allclose(ag.nll_loss(logp, np.array([1, 0]), [1, 2]).item(),
                               -(np.log(0.8) + 2 * np.log(0.6)) / 3, rtol=1e-6)


@pytest.mark.parametrize("target", [[0, -1], [0, -2], [2, 0], [0, 255]])
def test_nll_loss_out_of_range_targets_are_an_index_error_naming_nll_loss(target):
    # A negative index must not wrap round to the last classes (NumPy indexing), as PyTorch: an IndexError.
    logp = ag.log(ag.tensor([[0.5, 0.5], [0.25, 0.75]]))
    with pytest.raises(IndexError, match=rf"nll_loss: target class {target[0] or target[1]} is out of range for "
                                         r"log_probs of shape \(2, 2\)"):
        ag.nll_loss(logp, np.array(target, dtype=np.uint8 if 255 in target else np.int64))


def test_a_dropped_samples_loss_is_plus_zero_as_pytorch_not_minus_zero():
    logp = ag.tensor(np.log([[0.5, 0.5], [0.25, 0.75]]))
    out = ag.nll_loss(logp, np.array([0, 1]), np.array([0.0, 1.0]), reduction="none")
    assert out.data[0] == 0 and not np.signbit(out.data[0])


def test_nll_loss_names_the_out_of_range_class_when_there_are_more_rows_than_classes():
    log_probs, target = np.zeros((3, 2)), np.array([0, 2, 1])  # class 2 of 2: out of range, < N = 3
    bad = target[target >= log_probs.shape[1]][0]
    with pytest.raises(IndexError, match=rf"nll_loss: target class {bad} is out of range"):
        ag.nll_loss(ag.tensor(log_probs), target)


def test_nll_loss_with_fewer_rows_than_classes_matches_pytorch():
    torch = pytest.importorskip("torch")
    log_probs, target = np.log(np.full((2, 5), 0.2)) + np.arange(5.0), np.array([4, 3])
    expected = torch.nn.functional.nll_loss(torch.tensor(log_probs), torch.tensor(target)).item()
    assert ag.nll_loss(ag.tensor(log_probs), target).item() == pytest.approx(expected, rel=1e-12)


# ---- found by mutation testing (session 17) -----------------------------------------------------------------
def test_huber_loss_refuses_a_backward_after_its_target_changed_in_place_as_torch():
    # The input's rule reads the target too (d = x - y): a change to y after the call must be refused.
    x = ag.tensor([0.5, 3.0, -2.0], requires_grad=True)
    y = ag.tensor([0.0, 0.0, 0.0])
    loss = huber_loss(x, y)
    y[...] = 10.0  # a constant Tensor may change in place; the graph saved its value
    with pytest.raises(RuntimeError):
        loss.sum().backward()
    torch = pytest.importorskip("torch")
    tx = torch.tensor([0.5, 3.0, -2.0], requires_grad=True)
    ty = torch.zeros(3)
    tloss = torch.nn.functional.huber_loss(tx, ty, reduction="none")
    ty.add_(10.0)
    with pytest.raises(RuntimeError):  # the reference refuses too
        tloss.sum().backward()


@pytest.mark.parametrize("delta", [np.float64(1.5), np.float32(1.5)], ids=["float64", "float32"])
@pytest.mark.parametrize("dtype", [np.float16, np.float32])
def test_huber_loss_keeps_the_inputs_float_type_for_a_numpy_scalar_delta(dtype, delta):
    # delta is a setting, as torch's Python float: it never upcasts the input (NumPy 2 would for a NumPy scalar).
    x = ag.tensor(np.array([0.5, 3.0, -2.0], dtype), requires_grad=True)
    loss = huber_loss(x, np.zeros(3, dtype), delta)
    assert loss.dtype == dtype
    loss.sum().backward()
    assert x.grad.dtype == dtype
    np.testing.assert_array_equal(x.grad.data, np.array([0.5, 1.5, -1.5], dtype))


# ---- the fused cross-entropy node: nll_loss(log_softmax(z)) as one node ---------------------------------
def _two_nodes(z, target, weights, reduction):
    return ag.nll_loss(ag.log_softmax(z, axis=1), target, weights, reduction)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("weighted", [False, True])
def test_the_fused_node_gives_the_two_nodes_value_bit_for_bit_and_their_gradient(weighted, reduction, dtype):
    rng = np.random.default_rng(0)
    values = (rng.standard_normal((6, 5)) * 3).astype(dtype)
    target = rng.integers(0, 5, 6)
    weights = rng.uniform(0, 2, 6).astype(dtype) if weighted else None
    upstream = rng.standard_normal(6).astype(dtype) if reduction == "none" else None
    fused, two = ag.tensor(values, requires_grad=True), ag.tensor(values, requires_grad=True)
    loss = _cross_entropy_node(fused, target, weights, reduction)
    reference = _two_nodes(two, target, weights, reduction)
    assert [n.op_name for n in ag.topological_order(loss) if not n.is_leaf] == ["cross_entropy"]
    assert loss.dtype == dtype and loss.shape == reference.shape
    np.testing.assert_array_equal(loss.data, reference.data)
    loss.backward(upstream)
    reference.backward(upstream)
    assert fused.grad.dtype == dtype
    np.testing.assert_allclose(fused.grad.data, two.grad.data, rtol=1e-6 if dtype == np.float32 else 1e-14,
                               atol=1e-7 if dtype == np.float32 else 1e-16)


def test_the_fused_node_is_finite_for_logits_of_1e4_with_the_softmax_minus_onehot_gradient():
    z = ag.tensor([[1e4, -1e4], [-1e4, 1e4]], requires_grad=True)
    loss = _cross_entropy_node(z, np.array([0, 0]), None, "mean")
    loss.backward()
    assert loss.item() == 1e4  # (0 + 2e4) / 2
    np.testing.assert_array_equal(z.grad.data, [[0.0, 0.0], [-0.5, 0.5]])


@pytest.mark.parametrize("target_dtype", [np.int64, np.uint8, np.uint64])
def test_the_fused_node_and_nll_loss_pick_the_targets_of_logits_in_either_memory_order(target_dtype):
    # The targets are picked by one flat index into the C-order layout (uint64 + the int64 rows would be float64):
    # logits stored transposed (Fortran order) give the same loss and gradient, softmax(z) - onehot, bit for bit.
    rng = np.random.default_rng(3)
    values, target = rng.standard_normal((5, 4)), rng.integers(0, 4, 5).astype(target_dtype)
    expected_grad = np.exp(_log_softmax_reference(values))
    expected_grad[np.arange(5), target] -= 1
    results = []
    for order in (np.ascontiguousarray, np.asfortranarray):
        z = ag.tensor(order(values), requires_grad=True)
        loss = _cross_entropy_node(z, target, None, "sum")
        loss.backward()
        logp = ag.tensor(order(_log_softmax_reference(values)), requires_grad=True)
        assert z.data.flags.f_contiguous == logp.data.flags.f_contiguous == (order is np.asfortranarray)
        nll = ag.nll_loss(logp, target, reduction="none")
        nll.sum().backward()
        results.append((loss.data, z.grad.data, nll.data, logp.grad.data))
    for c_order, fortran in zip(*results):
        np.testing.assert_array_equal(c_order, fortran)
    loss, grad, nll, nll_grad = results[0]
    np.testing.assert_allclose(grad, expected_grad, rtol=1e-14, atol=1e-16)
    np.testing.assert_array_equal(nll, -_log_softmax_reference(values)[np.arange(5), target])
    np.testing.assert_array_equal(nll_grad, -np.eye(4)[target])


def test_the_fused_node_backpropagates_twice_with_retain_graph_and_refuses_a_changed_input():
    z = ag.tensor(np.arange(6.0).reshape(2, 3), requires_grad=True)
    loss = _cross_entropy_node(z * 1, np.array([2, 0]), None, "sum")
    loss.backward(retain_graph=True)
    first = z.grad.data.copy()
    loss.backward()
    np.testing.assert_array_equal(z.grad.data, 2 * first)
    loss = _cross_entropy_node(z, np.array([2, 0]), None, "sum")
    with ag.no_grad():
        z += 1  # the log-probabilities the forward kept are of the old logits
    with pytest.raises(RuntimeError, match="'cross_entropy' node saved .* was changed in place"):
        loss.backward()


def test_the_fused_node_second_derivative_is_the_softmax_jacobian():
    # d/dz of (softmax(z) - onehot) . v is the softmax Jacobian times v: diag(p) v - p (p . v), for one row
    values, v = np.array([[0.3, -1.2, 2.0]]), np.array([[1.0, -2.0, 0.5]])
    z = ag.tensor(values, requires_grad=True)
    (grad,) = ag.autograd.grad(_cross_entropy_node(z, np.array([1]), None, "sum"), [z], create_graph=True)
    (hessian_v,) = ag.autograd.grad((grad * v).sum(), [z])
    p = np.exp(values) / np.exp(values).sum()
    np.testing.assert_allclose(hessian_v.data, p * v - p * (p * v).sum(), rtol=1e-14)


@pytest.mark.parametrize("counted", [True, False])
def test_the_fused_node_matches_torch_also_when_no_sample_counts(counted):
    # No sample counted (weights all 0): a NaN mean with gradient 0, as PyTorch's for targets all ignore_index
    torch = pytest.importorskip("torch")
    values, target = np.array([[0.5, -1.0, 2.0], [1.5, 0.0, -0.5]]), np.array([2, 1])
    z = ag.tensor(values, requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no 0 / 0 warning
        loss = _cross_entropy_node(z, target, None if counted else np.zeros(2), "mean")
        loss.backward()
    zt = torch.tensor(values, requires_grad=True)
    expected = torch.nn.functional.cross_entropy(zt, torch.tensor(target if counted else [-100, -100]))
    expected.backward()
    np.testing.assert_allclose(loss.data, expected.detach().numpy(), rtol=1e-15)
    np.testing.assert_allclose(z.grad.data, zt.grad.numpy(), rtol=1e-15, atol=1e-17)


@pytest.mark.parametrize("target", [[0, 3], [-1, 0], [0, 4], [2 ** 40, 0]])
def test_the_targets_flat_index_refuses_a_class_out_of_range(target):
    # (nn.TrainStep's replay relies on it, where the eager step's callers check the targets first)
    from autograd_core.ops.losses import ClassIndexError, _flat_index
    target = np.array(target)
    if ((target >= 0) & (target < 4)).all():
        np.testing.assert_array_equal(_flat_index(target, 4), np.arange(2) * 4 + target)
    else:
        with pytest.raises(ClassIndexError, match=r"outside \[0, 4\)"):
            _flat_index(target, 4)
    with pytest.raises(ClassIndexError):
        _flat_index(np.array([2 ** 64 - 1], np.uint64), 4)  # (unsigned: -1 as a signed index)
