"""Memory behaviour of backprop: a graph is freed by reference counting alone, and training loops do not grow.

Nodes hold no reference cycles, so these tests run with the cyclic garbage collector
disabled: anything still alive after the user's references are gone is a leak.
"""
import gc
import os
import tracemalloc
import weakref

import numpy as np
import pytest

import autograd_core as ag
import nn


@pytest.fixture
def no_gc():
    was_enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    yield
    if was_enabled:
        gc.enable()


def _mlp_params(rng, sizes=(32, 64, 64, 10)):
    params = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        params.append(ag.tensor(rng.standard_normal((fan_in, fan_out)) / np.sqrt(fan_in), requires_grad=True))
        params.append(ag.tensor(np.zeros(fan_out), requires_grad=True))
    return params


def _loss(params, x, y):
    h = x
    for k in range(0, len(params), 2):
        h = h @ params[k] + params[k + 1]
        if k < len(params) - 2:
            h = ag.relu(h)
    logp = ag.log_softmax(h, axis=1)
    return -logp[np.arange(len(y)), y].mean()


def _batch(rng, n=64):
    return ag.tensor(rng.standard_normal((n, 32))), rng.integers(0, 10, n)


def _mlp_graph(seed):
    """(params, loss, the loss graph's recorded nodes) for an MLP on a random batch."""
    rng = np.random.default_rng(seed)
    params = _mlp_params(rng)
    loss = _loss(params, *_batch(rng))
    return params, loss, [n for n in ag.topological_order(loss) if not n.is_leaf]


def test_mlp_graph_intermediates_are_freed_after_backward(no_gc):
    params, loss, nodes = _mlp_graph(0)
    node_refs = [weakref.ref(n) for n in nodes if n is not loss]
    data_refs = [weakref.ref(n.data) for n in nodes if n is not loss]
    assert len(node_refs) >= 10
    del nodes
    loss.backward()
    # The graph is released by backward itself, while the user still holds loss.
    assert [r for r in node_refs if r() is not None] == []
    assert [r for r in data_refs if r() is not None] == []
    assert all(p.grad is not None for p in params)


def test_mlp_graph_is_freed_when_the_user_drops_it_without_backward(no_gc):
    rng = np.random.default_rng(1)
    params = _mlp_params(rng)
    x, y = _batch(rng)
    loss = _loss(params, x, y)
    node_refs = [weakref.ref(n) for n in ag.topological_order(loss) if not n.is_leaf]
    del loss
    assert [r().op_name for r in node_refs if r() is not None] == []


def test_create_graph_pass_is_freed_once_dropped(no_gc):
    x = ag.tensor(np.linspace(-1, 1, 50), requires_grad=True)
    y = (ag.tanh(x) ** 2).sum()
    (g,) = [ag.backprop(y, create_graph=True)[x]]
    second = (g * g).sum()
    refs = [weakref.ref(n) for n in ag.topological_order(second) if not n.is_leaf]
    second.backward()
    del y, g, second
    assert [r().op_name for r in refs if r() is not None] == []


def _rss_bytes():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


@pytest.mark.skipif(not os.path.exists("/proc/self/statm"), reason="needs /proc to read resident memory")
def test_training_loop_does_not_grow_resident_memory(no_gc):
    rng = np.random.default_rng(2)
    params = _mlp_params(rng)
    batches = [_batch(rng) for _ in range(8)]

    def step(i):
        x, y = batches[i % len(batches)]
        loss = _loss(params, x, y)
        loss.backward()
        with ag.no_grad():
            for p in params:
                p.data = p.data - 0.01 * p.grad.data
                p.grad = None
        return loss.item()

    for i in range(100):  # warm-up: allocator pools and caches settle
        step(i)
    before = _rss_bytes()
    first = step(0)
    for i in range(1000):
        last = step(i)
    grown = _rss_bytes() - before
    # One leaked graph is ~200 KB here, so a leak per step would add ~200 MB over 1,000 steps.
    assert grown < 8 * 2 ** 20, f"resident memory grew by {grown / 2 ** 20:.1f} MB over 1,000 steps"
    assert np.isfinite(last) and last < first  # the loop did train


def test_dropping_a_deep_graph_without_backward_does_not_recurse(no_gc):
    x = ag.tensor(1.0, requires_grad=True)
    y = x
    for _ in range(200_000):
        y = ag.sin(y)
    last = weakref.ref(y)
    del y  # CPython must free a 200,000-deep chain of nodes without overflowing the C stack
    assert last() is None


def test_backward_releases_each_intermediate_gradient_once_consumed(no_gc):
    # probe's rule hands m a fresh gradient array; once m's rule has consumed it nothing may hold it,
    # which the rule of check, run later in the same pass, observes.
    handed, alive_when_checked = [], []

    def probe_rule(g, ans, x):
        fresh = g * 1.0
        handed.append(weakref.ref(fresh))
        return fresh

    def check_rule(g, ans, x):
        alive_when_checked.append(handed[0]() is not None)
        return g

    probe = ag.Primitive("probe", lambda x: x * 1.0, (probe_rule,))
    check = ag.Primitive("check", lambda x: x * 1.0, (check_rule,))
    x = ag.tensor(np.ones(3), requires_grad=True)
    out = probe(check(x) * 2.0).sum()
    out.backward()
    assert alive_when_checked == [False]
    np.testing.assert_array_equal(x.grad.data, [2.0, 2.0, 2.0])


def test_a_retained_intermediate_is_freed_once_dropped(no_gc):
    # The registry of Tensors that retain_grad() holds them weakly: dropping the graph frees them as before.
    x = ag.tensor(np.ones(3), requires_grad=True)
    h = ag.exp(x)
    h.retain_grad()
    loss = (h * h).sum()
    refs = [weakref.ref(n) for n in ag.topological_order(loss) if not n.is_leaf]
    assert h.retains_grad
    del h, loss
    assert [r().op_name for r in refs if r() is not None] == []


def test_backward_frees_the_graph_around_retained_intermediates(no_gc):
    params, loss, nodes = _mlp_graph(3)
    retained = [n for n in nodes if n.op_name == "relu"]
    assert len(retained) == 2
    for node in retained:
        node.retain_grad()
    others = [weakref.ref(n) for n in nodes if n is not loss and not n.retains_grad]
    del nodes, node
    loss.backward()
    assert [r().op_name for r in others if r() is not None] == []
    assert all(n.grad is not None and n.grad.shape == n.shape for n in retained)
    refs = [weakref.ref(n) for n in retained]
    del retained
    assert [r().op_name for r in refs if r() is not None] == []


# ---- everything a node saved is released by the pass: its settings (a loss's target), and the constants of a
# node no gradient reached
def test_backward_releases_the_target_nll_loss_saved_while_the_loss_is_held(no_gc):
    logits = ag.tensor(np.random.default_rng(0).standard_normal((6, 3)), requires_grad=True)
    target = np.array([0, 1, 2, 2, 1, 0])
    saved = weakref.ref(target)
    loss = ag.nll_loss(ag.log_softmax(logits, axis=1), target)
    loss.backward()
    del target
    # PyTorch's NllLossBackward frees its saved target on backward; a held loss keeps only its value.
    assert saved() is None
    assert loss.item() > 0 and logits.grad is not None


def test_backward_releases_the_sample_weights_nll_loss_saved_while_the_loss_is_held(no_gc):
    logits = ag.tensor(np.random.default_rng(1).standard_normal((4, 3)), requires_grad=True)
    weights = np.array([1.0, 0.5, 2.0, 1.0])
    saved = weakref.ref(weights)
    loss = ag.nll_loss(ag.log_softmax(logits, axis=1), np.array([0, 1, 2, 1]), sample_weight=weights)
    loss.backward()
    del weights
    assert saved() is None


def test_backward_releases_the_index_a_getitem_node_saved_while_the_result_is_held(no_gc):
    x = ag.tensor(np.arange(10.0), requires_grad=True)
    index = np.array([1, 2, 2, 7])
    saved = weakref.ref(index)
    picked = x[index]
    picked.sum().backward()
    del index
    # As torch's IndexBackward releases its saved indices.
    assert saved() is None
    np.testing.assert_array_equal(x.grad.data, [0, 1, 2, 0, 0, 0, 0, 1, 0, 0])


def test_backward_releases_the_slope_array_leaky_relu_saved_while_the_result_is_held(no_gc):
    x = ag.tensor(np.linspace(-1, 1, 5), requires_grad=True)
    slope = np.full(5, 0.1)
    saved = weakref.ref(slope)
    out = ag.leaky_relu(x, slope)
    out.sum().backward()
    del slope
    assert saved() is None


def test_a_list_of_held_cross_entropy_losses_keeps_no_target_batches(no_gc):
    # `losses.append(loss)` after backward: each loss should cost its value and node, not its batch's targets
    # (PyTorch frees the saved target on backward). 20 batches of 20,000 int64 targets are 3.2 MB.
    rng = np.random.default_rng(2)
    model = nn.Linear(4, 3, rng=0)
    batches = [(rng.standard_normal((20_000, 4)), rng.integers(0, 3, 20_000)) for _ in range(20)]
    loss_fn = nn.CrossEntropyLoss()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        losses = []
        for xb, yb in batches:
            model.zero_grad()
            loss = loss_fn(model(xb), yb.copy())  # a fresh array per batch, as a DataLoader yields
            loss.backward()
            losses.append(loss)
        del loss
        kept = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert kept < 200_000, f"20 held losses keep {kept / 1e6:.1f} MB"


def test_backward_releases_the_constants_of_a_node_no_gradient_reached(no_gc):
    class FirstInputCut(ag.Function):
        @staticmethod
        def forward(ctx, a, b):
            return a + b

        @staticmethod
        def backward(ctx, grad_output):
            return None, grad_output

    x = ag.tensor(np.ones(3), requires_grad=True)
    z = ag.tensor(np.ones(3), requires_grad=True)
    constant = ag.tensor(np.full(3, 2.0))
    saved = weakref.ref(constant)
    h = x * constant  # multiply's rule reads the constant: the node saves it
    FirstInputCut.apply(h, z).sum().backward()
    del constant
    # The pass freed h's record (a second backward through it raises), so what it saved goes too, as in PyTorch,
    # whose MulBackward releases its saved `other` on the pass even when the incoming gradient is undefined.
    assert saved() is None
    np.testing.assert_array_equal(z.grad.data, [1.0, 1.0, 1.0])
