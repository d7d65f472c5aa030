"""Edge values of the elementwise functions (autograd_core/ops/elementwise.py) beyond test_elementwise.py: softplus of
float16, computed in float32 and rounded once, as torch's (and as ag.sigmoid's float16), against the float64 rule
(three float16 roundings, max(x, 0) + log1p(exp(-|x|)), are a unit in the last place off for one value in seven);
then which input gets the gradient of clip by Tensor bounds and of maximum/minimum at NaN, ties and infinities, as
torch.clamp's and torch.maximum's (PyTorch 2.14); where's PyTorch keywords (condition=, input=, other=) and its
one-argument form, the indices where the condition holds; second derivatives through relu and leaky_relu."""
import numpy as np
import pytest
try:  # (optional: CI has no PyTorch; the written-out references below run without it)
    import torch
except ImportError:
    torch = None

import autograd_core as ag


def _values():
    rng = np.random.default_rng(3)
    return np.concatenate([rng.uniform(-1, 1, 2000), rng.uniform(-10, 10, 2000),
                           10 ** rng.uniform(-7, 4.8, 2000) * rng.choice([-1, 1], 2000),
                           [np.inf, -np.inf, np.nan, 0.0, -0.0, 65504, -65504]]).astype(np.float16)


def test_float16_softplus_is_correctly_rounded_and_torchs_bit_for_bit():
    x = _values()
    ours = ag.softplus(ag.tensor(x)).numpy()
    assert ours.dtype == np.float16
    if torch is not None:
        np.testing.assert_array_equal(ours, torch.nn.functional.softplus(torch.tensor(x)).numpy())
    finite = np.isfinite(x)
    np.testing.assert_array_equal(ours[~finite], [np.inf, 0.0, np.nan])  # (inf, -inf, nan: the float64 rule's)
    np.testing.assert_array_equal(ours[finite], np.logaddexp(0, x[finite].astype(np.float64)).astype(np.float16))
    assert float(ag.softplus(ag.tensor(np.float16(-0.679)))) == float(np.float16(0.41015625))  # (was 0.4099)


def test_float16_softplus_gradient_is_float16_sigmoid():
    x = _values()[:500]
    ours = ag.tensor(x, requires_grad=True)
    ag.softplus(ours).sum().backward()
    assert ours.grad.dtype == np.float16
    np.testing.assert_array_equal(ours.grad.numpy(), ag.sigmoid(ag.tensor(x)).numpy())


# ---- clip by Tensor bounds, maximum and minimum: NaN, ties, infinities ---------------------------------------------
NAN, INF = float("nan"), float("inf")
_CLIPS = {"ag.clip": lambda x, lo, hi: ag.clip(x, lo, hi), "ag.clamp": lambda x, lo, hi: ag.clamp(x, lo, hi),
          "Tensor.clip": lambda x, lo, hi: x.clip(lo, hi), "Tensor.clamp": lambda x, lo, hi: x.clamp(min=lo, max=hi)}


def _clip_grads(clip, x, lo, hi):
    """clip(x, lo, hi)'s value and the gradients of x and of each bound given (a bound may be None)."""
    leaves = [None if v is None else ag.tensor(v, requires_grad=True) for v in (x, lo, hi)]
    out = clip(*leaves)
    out.backward(np.ones(out.shape))
    return out.numpy(), [leaf.grad.numpy() for leaf in leaves if leaf is not None]


def _torch_clamp_grads(x, lo, hi):
    leaves = [None if v is None else torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in (x, lo, hi)]
    out = torch.clamp(*leaves)
    out.backward(torch.ones_like(out))
    return out.detach().numpy(), [leaf.grad.numpy() for leaf in leaves if leaf is not None]


# (x, a_min, a_max): clip's value, then the gradients of x, a_min and a_max, as torch.clamp gives them
_BOTH_BOUNDS = [
    ((NAN, 0.0, 1.0), (NAN, 1, 0, 0)),  # a NaN x gets the gradient
    ((NAN, 1.0, 0.0), (NAN, 1, 0, 1)),  # ... and a_max too where the bounds cross (np.clip's value there is a_max)
    ((NAN, NAN, NAN), (NAN, 1, 0, 0)),
    ((0.5, NAN, 1.0), (NAN, 1, 0, 0)),  # beside a NaN bound: x where it is within the other bound, no bound
    ((2.0, NAN, 1.0), (NAN, 0, 0, 0)),
    ((1.0, NAN, 1.0), (NAN, 1, 0, 0)),
    ((0.5, 0.0, NAN), (NAN, 1, 0, 0)),
    ((-1.0, 0.0, NAN), (NAN, 0, 0, 0)),
    ((0.0, 0.0, NAN), (NAN, 1, 0, 0)),
    ((-INF, -INF, 0.0), (-INF, 0.5, 0.5, 0)),  # a tie between x and one bound, infinite or not, splits it
    ((INF, 0.0, INF), (INF, 0.5, 0, 0.5)),
    ((1.0, 1.0, 1.0), (1.0, 1, 0, 0)),  # x == a_min == a_max: x
    ((-INF, 1.0, -1.0), (-1.0, 0, 0, 1)),  # crossed bounds: a_max
    ((-INF, 0.0, 1.0), (0.0, 0, 1, 0)),
    ((INF, 0.0, 1.0), (1.0, 0, 0, 1)),
]


@pytest.mark.parametrize("spelling", sorted(_CLIPS))
def test_clip_by_two_tensor_bounds_routes_the_gradient_at_nan_ties_and_infinities_as_torch_clamp(spelling):
    x, lo, hi = (np.array(column) for column in zip(*(case for case, _ in _BOTH_BOUNDS)))
    value, grads = _clip_grads(_CLIPS[spelling], x, lo, hi)
    expected = np.array([result for _, result in _BOTH_BOUNDS], dtype=float).T
    np.testing.assert_array_equal(value, expected[0])
    np.testing.assert_array_equal(value, np.clip(x, lo, hi))  # (NumPy's value: NaN wherever one of the three is)
    for grad, wanted in zip(grads, expected[1:]):
        np.testing.assert_array_equal(grad, wanted)


# x, the bound, then (clip by a_min=bound: x's gradient, the bound's), and the same for a_max=bound
_ONE_BOUND = [(NAN, 0.0, (1, 1), (1, 1)), (1.0, NAN, (1, 1), (1, 1)), (NAN, NAN, (1, 1), (1, 1)),
              (0.0, 0.0, (0.5, 0.5), (0.5, 0.5)), (-INF, -INF, (0.5, 0.5), (0.5, 0.5)),
              (-1.0, 0.0, (0, 1), (1, 0)), (2.0, 0.0, (1, 0), (0, 1)), (INF, 0.0, (1, 0), (0, 1))]


@pytest.mark.parametrize("side", ["min", "max"])
def test_clip_by_one_tensor_bound_is_maximum_or_minimum_a_nan_giving_both_the_gradient_as_torch(side):
    x, bound = np.array([case[0] for case in _ONE_BOUND]), np.array([case[1] for case in _ONE_BOUND])
    shares = np.array([case[2] if side == "min" else case[3] for case in _ONE_BOUND]).T
    pair = ag.maximum if side == "min" else ag.minimum
    for clip in _CLIPS.values():
        value, grads = _clip_grads(clip, x, *((bound, None) if side == "min" else (None, bound)))
        np.testing.assert_array_equal(value, (np.maximum if side == "min" else np.minimum)(x, bound))
        for grad, wanted in zip(grads, shares):
            np.testing.assert_array_equal(grad, wanted)
    value, grads = _clip_grads(lambda x, lo, hi: pair(x, lo), x, bound, None)  # maximum/minimum: the same shares
    for grad, wanted in zip(grads, shares):
        np.testing.assert_array_equal(grad, wanted)


@pytest.mark.skipif(torch is None, reason="PyTorch is not installed")
def test_clip_by_tensor_bounds_matches_torch_clamp_over_a_grid_of_nan_signed_zeros_ties_and_infinities():
    points = [NAN, -INF, -1.0, -0.0, 0.0, 1.0, INF]
    x, lo, hi = (axis.ravel() for axis in np.meshgrid(points, points, points, indexing="ij"))
    for bounds in ((lo, hi), (lo, None), (None, hi)):
        value, grads = _clip_grads(_CLIPS["ag.clip"], x, *bounds)
        their_value, their_grads = _torch_clamp_grads(x, *bounds)
        np.testing.assert_array_equal(np.isnan(value), np.isnan(their_value))
        np.testing.assert_array_equal(value[~np.isnan(value)], their_value[~np.isnan(value)])
        for grad, theirs in zip(grads, their_grads):
            np.testing.assert_array_equal(grad, theirs)


@pytest.mark.skipif(torch is None, reason="PyTorch is not installed")
@pytest.mark.parametrize("name", ["maximum", "minimum"])
def test_maximum_and_minimum_match_torch_at_nan_ties_and_infinities(name):
    points = [NAN, -INF, -1.0, -0.0, 0.0, 1.0, INF]
    a, b = (axis.ravel() for axis in np.meshgrid(points, points, indexing="ij"))
    ours = [ag.tensor(v, requires_grad=True) for v in (a, b)]
    theirs = [torch.tensor(v, requires_grad=True) for v in (a, b)]
    getattr(ag, name)(*ours).sum().backward()
    getattr(torch, name)(*theirs).sum().backward()
    for mine, their in zip(ours, theirs):
        np.testing.assert_array_equal(mine.grad.numpy(), their.grad.numpy())
    either_nan = np.isnan(a) | np.isnan(b)  # (the written-out rule: a NaN gives both inputs all of it)
    np.testing.assert_array_equal(ours[0].grad.numpy()[either_nan], 1.0)
    np.testing.assert_array_equal(ours[1].grad.numpy()[either_nan], 1.0)


def test_maximum_and_minimum_give_both_inputs_the_gradient_where_one_is_nan():
    for op in (ag.maximum, ag.minimum):
        x, y = ag.tensor([NAN, 1.0, NAN, 2.0], requires_grad=True), ag.tensor([1.0, NAN, NAN, 2.0], requires_grad=True)
        op(x, y).sum().backward()
        np.testing.assert_array_equal(x.grad.numpy(), [1.0, 1.0, 1.0, 0.5])
        np.testing.assert_array_equal(y.grad.numpy(), [1.0, 1.0, 1.0, 0.5])


def test_where_takes_pytorchs_keywords_condition_input_other():
    # LLMs-from-scratch ch05's top-k: torch.where(condition=logits < top[-1], input=torch.tensor(-inf), other=logits)
    logits = np.array([4.51, 0.89, -1.90, 6.75, 6.28])
    x = ag.tensor(logits, requires_grad=True)
    kept = ag.where(condition=x < 6.28, input=ag.tensor(-np.inf), other=x)
    np.testing.assert_array_equal(kept.data, np.where(logits < 6.28, -np.inf, logits))
    np.testing.assert_array_equal(ag.where(x < 6.28, input=-np.inf, other=x).data, kept.data)
    (ag.where(condition=x < 6.28, input=2 * x, other=x) * np.arange(5.0)).sum().backward()
    np.testing.assert_array_equal(x.grad.data, np.where(logits < 6.28, 2.0, 1.0) * np.arange(5.0))
    if torch is not None:
        tx = torch.tensor(logits, requires_grad=True)
        (torch.where(condition=tx < 6.28, input=2 * tx, other=tx) * torch.arange(5.0)).sum().backward()
        np.testing.assert_array_equal(kept.data, torch.where(condition=tx < 6.28, input=torch.tensor(-np.inf),
                                                             other=tx).detach().numpy())
        np.testing.assert_array_equal(x.grad.data, tx.grad.numpy())


def test_where_refuses_an_operand_given_twice_or_missing():
    x = ag.tensor([1.0, 2.0])
    with pytest.raises(TypeError, match=r"where: got both b and other= \(PyTorch's name for b\)"):
        ag.where(x > 1, 0.0, x, other=x)
    with pytest.raises(TypeError, match=r"where: missing b; give where\(cond, a, b\)"):
        ag.where(condition=x > 1, input=0.0)
    with pytest.raises(TypeError, match=r"where: missing a; give where\(cond, a, b\) .*or where\(cond\) alone"):
        ag.where(x > 1, b=x)


def test_where_of_a_condition_alone_gives_the_indices_where_it_holds():
    # UvA tutorial 16's FewShotBatchSampler and ProtoNet: torch.where(targets == c)[0], np.where's one-argument form
    targets = np.array([[3, 1, 2], [1, 3, 3]])
    t = ag.tensor(targets)
    rows, cols = ag.where(t == 3)
    assert rows.dtype == np.int64 and cols.dtype == np.int64
    np.testing.assert_array_equal(rows.numpy(), [0, 1, 1])
    np.testing.assert_array_equal(cols.numpy(), [0, 1, 2])
    (picked,) = ag.where(condition=t.flatten() == 1)
    np.testing.assert_array_equal(picked.numpy(), [1, 3])
    for got, expected in zip(ag.where(t == 3), np.where(targets == 3)):
        np.testing.assert_array_equal(got.numpy(), expected)
    features = ag.tensor(np.arange(12.0).reshape(6, 2), requires_grad=True)
    features[ag.where(t.flatten() == 3)[0]].mean(axis=0).sum().backward()  # ProtoNet's prototype of class 3
    np.testing.assert_array_equal(features.grad.numpy(), np.array([[1, 1], [0, 0], [0, 0], [0, 0], [1, 1], [1, 1]]) / 3)
    if torch is not None:
        for got, expected in zip(ag.where(t == 3), torch.where(torch.tensor(targets) == 3)):
            np.testing.assert_array_equal(got.numpy(), expected.numpy())


_KINKED = {"relu": (ag.relu, lambda t, lib: lib.relu(t)),
           "leaky_relu": (lambda t: ag.leaky_relu(t, 0.1), lambda t, lib: lib.nn.functional.leaky_relu(t, 0.1))}


@pytest.mark.parametrize("name", sorted(_KINKED))
def test_a_gradient_through_relu_depends_on_the_input_with_derivative_zero_as_torchs(name):
    # PyTorch's rule (threshold_backward, leaky_relu_backward) takes the input: the first derivative is recorded
    # and the second is zeros, where a mask read as a constant left the input "not used".
    f, _ = _KINKED[name]
    x = ag.tensor([-1.0, 0.5, 2.0], requires_grad=True)
    (g,) = ag.autograd.grad(f(x).sum(), x, create_graph=True)
    assert g.requires_grad
    np.testing.assert_array_equal(g.data, [0.1 if name == "leaky_relu" else 0.0, 1.0, 1.0])
    (second,) = ag.autograd.grad(g.sum(), x)
    np.testing.assert_array_equal(second.data, np.zeros(3))


@pytest.mark.parametrize("name", sorted(_KINKED))
def test_a_gradient_penalty_through_relu_reaches_the_weights_as_torchs(name):
    # d/dW of |d f(x W) / dx|^2 = d/dW |(mask * 1) W^T|^2: the mask (x W > 0) constant, W's two roles summed
    f, torch_f = _KINKED[name]
    rng = np.random.default_rng(0)
    x_values, w_values = rng.normal(size=(2, 3)), rng.normal(size=(3, 4))
    x, w = ag.tensor(x_values, requires_grad=True), ag.tensor(w_values, requires_grad=True)
    (gx,) = ag.autograd.grad(f(x @ w).sum(), x, create_graph=True)
    (gx ** 2).sum().backward()
    slope = np.where(x_values @ w_values > 0, 1.0, 0.1 if name == "leaky_relu" else 0.0)
    expected = 2 * np.einsum("ij,nj,nk->ik", w_values, slope, slope)  # d/dW sum_n |W s_n|^2 = 2 W sum_n s_n s_n^T
    np.testing.assert_allclose(w.grad.data, expected, rtol=1e-12)
    if torch is not None:
        xt, wt = torch.tensor(x_values, requires_grad=True), torch.tensor(w_values, requires_grad=True)
        (gt,) = torch.autograd.grad(torch_f(xt @ wt, torch).sum(), xt, create_graph=True)
        (gt ** 2).sum().backward()
        np.testing.assert_allclose(w.grad.data, wt.grad.numpy(), rtol=1e-12)
        np.testing.assert_allclose(x.grad.data, xt.grad.numpy(), atol=0)  # zeros, the kinks' second derivative
