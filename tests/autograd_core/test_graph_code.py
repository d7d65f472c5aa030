"""autograd_core.graph_code: a recorded graph replayed as straight-line code gives, on new inputs, what a new forward
and backward() give, bit for bit; graphs it cannot replay are refused, naming why."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import autograd_core as ag
from autograd_core.graph_code import NotReplayable, straight_line

# f(w, b, x): w of shape (3, 4) and b of shape (4,) require grad; x of shape (n, 3) is the named input
FUNCTIONS = {
    "affine tanh mean": lambda w, b, x: ag.tanh(x @ w + b).mean(),
    "broadcast product sum": lambda w, b, x: ((x @ w)[:, :, None] * b * w[0]).sum(),
    "log_softmax pick": lambda w, b, x: -ag.log_softmax(x @ w + b, axis=1)[:, 0].mean(),
    "logsumexp": lambda w, b, x: ag.logsumexp(x @ w - b, axis=1).sum(),
    "sigmoid squared": lambda w, b, x: ((ag.sigmoid(x @ w) - b) ** 2).mean(),
    "softplus transpose": lambda w, b, x: ag.softplus((x @ w).T + b[:, None]).sum(),
    "exp of a reshape": lambda w, b, x: ag.exp(ag.reshape(x @ w, (-1,)) * 0.1).sum() + (b * b).sum(),
    "w used twice": lambda w, b, x: ((x @ w) * (x @ w) + b).sum(),
    "max and relu": lambda w, b, x: ag.relu(x @ w + b).max(axis=0).sum(),
    "linear and nll_loss": lambda w, b, x: ag.nll_loss(ag.log_softmax(ag.linear(x, w.T, b), axis=1), TARGETS[len(x)]),
}
TARGETS = {n: np.array([3, 0, 1, 2, 1][:n]) for n in range(1, 6)}  # "linear and nll_loss"'s, a named input too


def _leaves(seed, dtype):
    rng = np.random.default_rng(seed)
    return (ag.tensor(rng.standard_normal((3, 4)).astype(dtype), requires_grad=True),
            ag.tensor(rng.standard_normal(4).astype(dtype), requires_grad=True))


def _replay(code, x, values):
    scope = dict(code.scope, x=x, y=TARGETS[len(x)])
    for (leaf, _, value_name, _), value in zip(code.leaves, values):
        scope[value_name] = value
    exec("\n".join(code.lines), scope)
    return scope[code.output], [scope[grad_name] for _, _, _, grad_name in code.leaves]


@settings(max_examples=40, deadline=None)
@given(name=st.sampled_from(sorted(FUNCTIONS)), n=st.integers(1, 5), seed=st.integers(0, 999),
       dtype=st.sampled_from([np.float32, np.float64]))
def test_a_replay_equals_a_new_forward_and_backward_bit_for_bit(name, n, seed, dtype):
    f = FUNCTIONS[name]
    rng = np.random.default_rng(seed + 1)
    w, b = _leaves(seed, dtype)
    first = rng.standard_normal((n, 3)).astype(dtype)
    code = straight_line(f(w, b, first), {"x": first, "y": TARGETS[n]})
    assert {leaf for leaf, *_ in code.leaves} <= {w, b}

    second = rng.standard_normal((n, 3)).astype(dtype)  # a new batch of the same shape
    loss = f(w, b, second)
    loss.backward()
    value, grads = _replay(code, second, [leaf.data for leaf, *_ in code.leaves])
    assert np.asarray(value).tobytes() == np.asarray(loss.data).tobytes()
    for (leaf, *_), grad in zip(code.leaves, grads):
        assert grad.dtype == leaf.dtype and grad.tobytes() == leaf.grad.data.tobytes()
        assert grad.base is None and grad.flags.writeable  # a .grad owns its memory


def test_leaf_gradients_are_arrays_of_their_own():
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    v = ag.tensor([3.0, 4.0], requires_grad=True)
    x = np.array([1.0, 1.0])
    code = straight_line((w + v + x).sum(), {"x": x})  # one array passed on to both leaves by the rules
    _, grads = _replay(code, x, [w.data, v.data])
    assert grads[0] is not grads[1] and not np.shares_memory(grads[0], grads[1])


@pytest.mark.parametrize("make, reason", [
    (lambda w, x: (w * np.ones(2)).sum(), "did not receive as a named input"),
    (lambda w, x: (w * [1.0, 2.0]).sum(), "did not receive"),
])
def test_a_graph_reading_an_unnamed_value_is_refused(make, reason):
    w, x = ag.tensor([1.0, 2.0], requires_grad=True), np.array([3.0, 4.0])
    with pytest.raises(NotReplayable, match=reason):
        straight_line(make(w, x), {"x": x})


def test_hooks_retained_gradients_and_released_graphs_are_refused():
    w, x = ag.tensor([1.0, 2.0], requires_grad=True), np.array([3.0, 4.0])
    h = w * x
    h.register_hook(lambda g: g * 2)
    with pytest.raises(NotReplayable, match="hooks"):
        straight_line(h.sum(), {"x": x})
    h = w * x
    h.retain_grad()
    with pytest.raises(NotReplayable, match="retains"):
        straight_line(h.sum(), {"x": x})
    loss = (w * x).sum()
    loss.backward()
    with pytest.raises(NotReplayable, match="released"):
        straight_line(loss, {"x": x})
    with pytest.raises(NotReplayable, match="0-d Tensor"):
        straight_line(ag.tensor(1.0), {})
    with pytest.raises(NotReplayable, match="0-d Tensor"):
        straight_line((w * x).sum().reshape(1), {"x": x})
