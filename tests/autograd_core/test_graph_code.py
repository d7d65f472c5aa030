"""autograd_core.graph_code: a recorded graph replayed as straight-line code gives, on new inputs, what a new forward
and backward() give, bit for bit; graphs it cannot replay are refused, naming why."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import autograd_core as ag
from autograd_core.graph_code import NotReplayable, straight_line
from autograd_core.ops.losses import _cross_entropy_node

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
    # (b's gradient summed over rows laid out as x is: C or Fortran order, as a replay's input may be)
    "bias in x's layout": lambda w, b, x: ag.tanh((x * w[:, 0] + b[:3]).T).sum(),
    "linear and cross_entropy": lambda w, b, x: _cross_entropy_node(ag.linear(x, w.T, b), TARGETS[len(x)], None, "mean"),
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
       dtype=st.sampled_from([np.float32, np.float64]), order=st.sampled_from(["C", "F"]))
def test_a_replay_equals_a_new_forward_and_backward_bit_for_bit(name, n, seed, dtype, order):
    f = FUNCTIONS[name]
    rng = np.random.default_rng(seed + 1)
    w, b = _leaves(seed, dtype)
    first = rng.standard_normal((n, 3)).astype(dtype)
    code = straight_line(f(w, b, first), {"x": first, "y": TARGETS[n]})
    assert {leaf for leaf, *_ in code.leaves} <= {w, b}

    second = rng.standard_normal((n, 3)).astype(dtype, order=order)  # a new batch of the same shape
    loss = f(w, b, second)
    loss.backward()
    value, grads = _replay(code, second, [leaf.data for leaf, *_ in code.leaves])
    assert np.asarray(value).tobytes() == np.asarray(loss.data).tobytes()
    for (leaf, *_), grad in zip(code.leaves, grads):
        assert grad.dtype == leaf.dtype and grad.tobytes() == leaf.grad.data.tobytes()
        assert grad.base is None and grad.flags.writeable  # a .grad owns its memory


@pytest.mark.parametrize("loss, constant", [
    (lambda z, y: _cross_entropy_node(z, y, None, "mean"), True),  # (its rule's core reads g's value only)
    (lambda z, y: z.sum(), False),  # (sum's rule passes g on, broadcast: the next pass needs a seed of its own)
    (lambda z, y: _cross_entropy_node(z, y, None, "sum"), False),  # (the general rule)
])
def test_the_seed_is_one_read_only_array_only_where_the_outputs_rules_are_cores_that_keep_none(loss, constant):
    z, y = ag.tensor(np.arange(8.0).reshape(2, 4), requires_grad=True), TARGETS[2]
    code = straight_line(loss(z * 2, y), {"y": y})
    seeds = [value for name, value in code.scope.items() if name == "seed"]
    assert (len(seeds) == 1) == constant
    if constant:
        assert not seeds[0].flags.writeable and seeds[0] == 1
    _, first = _replay(code, np.zeros((2, 3)), [z.data])
    _, second = _replay(code, np.zeros((2, 3)), [z.data])
    assert first[0].tobytes() == second[0].tobytes()


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_a_bias_summed_over_rows_laid_out_as_a_fortran_ordered_input_is_the_eager_sum(dtype):
    # (at 32 rows BLAS's product with ones and NumPy's row-after-row sum part in their last bits: the replay must take
    # the eager step's, which follows the gradient's layout)
    f = FUNCTIONS["bias in x's layout"]
    w, b = _leaves(3, dtype)
    rng = np.random.default_rng(4)
    first = rng.standard_normal((32, 3)).astype(dtype) * 100
    code = straight_line(f(w, b, first), {"x": first})
    second = np.asfortranarray(rng.standard_normal((32, 3)).astype(dtype) * 100)
    f(w, b, second).backward()
    scope = dict(code.scope, x=second, **{value_name: leaf.data for leaf, _, value_name, _ in code.leaves})
    exec("\n".join(code.lines), scope)
    for leaf, _, _, grad_name in code.leaves:
        assert scope[grad_name].tobytes() == leaf.grad.data.tobytes()


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
