"""Gradient checkpointing (autograd_core/checkpoint.py, nn/utils/checkpoint.py): the same values and gradients as
the plain run (for the arguments and the parameters the function reads), fewer intermediates held, every kind of
backward pass, the errors; against torch.utils.checkpoint. Norms with running statistics are updated in the forward
pass and the recomputation; a checkpointed spectral_norm in training is refused at backward."""
import tracemalloc

import numpy as np
import pytest

import autograd_core as ag
import nn
from autograd_core.testing import gradcheck, gradgradcheck
from nn.utils.checkpoint import checkpoint, checkpoint_sequential
from nn.utils.stateless import functional_call

RNG = np.random.default_rng(3)


def deep(layers=8, width=6, dtype=np.float64):
    rng = np.random.default_rng(0)
    return nn.Sequential(*[m for _ in range(layers) for m in (nn.Linear(width, width, dtype=dtype, rng=rng),
                                                                nn.Tanh())])


def grads_of(net, x, run):
    net.zero_grad()
    x = ag.tensor(x, requires_grad=True)
    loss = (run(x) ** 2).sum()
    loss.backward()
    return float(loss), x.grad.data, [p.grad.data.copy() for p in net.parameters()]


def assert_same(plain, checkpointed, rtol=1e-13):
    assert plain[0] == pytest.approx(checkpointed[0], rel=rtol)
    np.testing.assert_allclose(checkpointed[1], plain[1], rtol=rtol, atol=1e-15)
    for a, b in zip(checkpointed[2], plain[2]):
        np.testing.assert_allclose(a, b, rtol=rtol, atol=1e-15)


@pytest.mark.parametrize("segments", [1, 2, 3, 4, 16])
def test_checkpoint_sequential_gives_the_plain_gradients(segments):
    net, x = deep(), RNG.normal(size=(5, 6))
    assert_same(grads_of(net, x, net), grads_of(net, x, lambda t: checkpoint_sequential(net, segments, t)))


def test_checkpoint_of_a_module_reaches_its_parameters():
    net, x = deep(3), RNG.normal(size=(4, 6))
    assert_same(grads_of(net, x, net), grads_of(net, x, lambda t: checkpoint(net, t)))
    first_two = lambda u: net[1](net[0](u))  # a function closing over the first layer's parameters
    assert_same(grads_of(net, x, net), grads_of(net, x, lambda t: net[2:](checkpoint(first_two, t))))


def count_intermediates(output):
    return sum(1 for node in ag.topological_order(output) if not node.is_leaf)


def test_fewer_intermediates_held_and_a_lower_peak():
    net = deep(32, width=32)
    x = RNG.normal(size=(128, 32))
    plain = net(ag.tensor(x, requires_grad=True)).sum()
    checkpointed = checkpoint_sequential(net, 8, ag.tensor(x, requires_grad=True)).sum()
    # 64 recorded layers against 7 checkpoint nodes, the last segment's 8 layers and the sum
    assert count_intermediates(plain) == 65
    assert count_intermediates(checkpointed) == 7 + 8 + 1
    del plain, checkpointed

    def peak(run):
        net.zero_grad()
        tracemalloc.start()
        try:
            run(ag.tensor(x, requires_grad=True)).sum().backward()
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    plain_peak = peak(net)
    checkpointed_peak = peak(lambda t: checkpoint_sequential(net, 8, t))
    # the plain run holds about two arrays per layer (64); the checkpointed one the boundaries, the last segment,
    # and one segment recomputed with its gradients at a time
    assert plain_peak > 60 * x.nbytes
    assert checkpointed_peak < 0.5 * plain_peak


def test_ag_grad_and_second_derivatives():
    f = lambda t: (ag.tanh(t) ** 3).sum()
    x = RNG.normal(size=4)
    np.testing.assert_allclose(ag.grad(lambda t: checkpoint(f, t))(x).data, ag.grad(f)(x).data, rtol=1e-14)
    assert float(ag.grad(ag.grad(lambda t: checkpoint(lambda u: u ** 4, t)))(2.0)) == 48.0
    assert gradcheck(lambda a, b: checkpoint(lambda s, t: (ag.tanh(s) * t).sum(), a, b), RNG.random(3), RNG.random(3))
    assert gradgradcheck(lambda a, b: checkpoint(lambda s, t: (ag.sin(s) * t ** 2).sum(), a, b), RNG.random(3),
                         RNG.random(3))
    # create_graph=True through a module: the parameters' gradients are differentiable again
    layer = nn.Linear(3, 1, dtype=np.float64, rng=0)
    xin = ag.tensor(RNG.normal(size=(2, 3)), requires_grad=True)
    (checkpoint(layer, xin) ** 2).sum().backward(create_graph=True)
    assert layer.weight.grad.requires_grad
    penalty = (layer.weight.grad ** 2).sum()
    plain = nn.Linear(3, 1, dtype=np.float64, rng=0)
    xin2 = ag.tensor(xin.data, requires_grad=True)
    (plain(xin2) ** 2).sum().backward(create_graph=True)
    plain_penalty = (plain.weight.grad ** 2).sum()
    np.testing.assert_allclose(float(penalty), float(plain_penalty), rtol=1e-13)
    penalty.backward()
    plain_penalty.backward()
    np.testing.assert_allclose(xin.grad.data, xin2.grad.data, rtol=1e-13)


def test_closed_over_intermediates_tuples_kwargs_and_retain_graph():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    h = x * 3  # an intermediate from outside, closed over
    y = ag.tensor([0.5, 0.25], requires_grad=True)
    out = checkpoint(lambda t: (ag.sin(t) * h).sum(), y)
    out.backward(retain_graph=True)
    np.testing.assert_allclose(x.grad.data, 3 * np.sin(y.data))
    out.backward()  # a second pass recomputes again
    np.testing.assert_allclose(x.grad.data, 6 * np.sin(y.data))
    np.testing.assert_allclose(y.grad.data, 2 * np.cos(y.data) * h.data)
    a = ag.tensor(2.0, requires_grad=True)
    b = ag.tensor(np.ones(2, dtype=np.float32), requires_grad=True)
    k = ag.tensor(0.5, requires_grad=True)
    first, nothing, second, three = checkpoint(lambda u, v, scale=None: (u * v, None, (v ** 2).astype(np.float64)
                                                                         * scale, 3), a, b, scale=k)
    assert nothing is None and three == 3 and second.dtype == np.float64 and first.shape == (2,)
    (first.sum() + second.sum()).backward()
    assert float(a.grad) == 2.0 and float(k.grad) == 2.0
    np.testing.assert_allclose(b.grad.data, [3.0, 3.0])  # a + 2 v scale
    assert b.grad.dtype == np.float32
    twice = ag.tensor(1.5, requires_grad=True)  # one Tensor given as two arguments
    checkpoint(lambda u, v: u * v ** 2, twice, twice).backward()
    assert float(twice.grad) == pytest.approx(3 * 1.5 ** 2)


def test_hooks_run_once_and_in_place_changes_are_refused():
    w, calls = ag.tensor(2.0, requires_grad=True), []
    w.register_hook(lambda g: calls.append(1) or g * 10)
    checkpoint(lambda t: t * w * w, ag.tensor(3.0, requires_grad=True)).backward()
    assert calls == [1] and float(w.grad) == 120.0
    w2 = ag.tensor(2.0, requires_grad=True)
    z = checkpoint(lambda t: t * w2, ag.tensor(3.0, requires_grad=True))
    w2.data += 1
    with pytest.raises(RuntimeError, match="'checkpoint' node saved for its gradient, an input .* changed in place"):
        z.backward()


def test_nondeterministic_function_is_refused_and_no_grad_runs_it_plainly():
    x = ag.tensor(np.ones(100), requires_grad=True)
    out = checkpoint(lambda t: nn.functional.dropout(t, 0.5), x).sum()  # a fresh unseeded Generator each call
    with pytest.raises(RuntimeError, match="checkpoint: the function computed different values when run again"):
        out.backward()
    with ag.no_grad():
        assert not checkpoint(lambda t: t * 2, x).requires_grad
    constant = checkpoint(lambda t: t * 2, ag.tensor([1.0]))  # nothing requires grad: the plain result
    assert not constant.requires_grad and float(constant) == 2.0


def test_errors():
    x = ag.tensor(1.0, requires_grad=True)
    with pytest.raises(TypeError, match="checkpoint: use_reentrant must be None, False or True, got 'no'"):
        checkpoint(lambda t: t, x, use_reentrant="no")
    with pytest.raises(TypeError, match="checkpoint: function must be callable, got int"):
        checkpoint(3, x)
    net = deep(2)
    for segments in (0, 5, 1.5, True):
        with pytest.raises(ValueError, match=r"checkpoint_sequential: segments must be an int from 1 to the number "
                                             r"of functions \(4\)"):
            checkpoint_sequential(net, segments, np.ones((1, 6)))
    with pytest.raises(ValueError, match="checkpoint_sequential: unexpected keyword arguments: foo"):
        checkpoint_sequential(net, 2, np.ones((1, 6)), foo=1)


def test_equal_to_torch():
    torch = pytest.importorskip("torch")
    ours = deep(4, width=5)
    theirs = torch.nn.Sequential(*[m for _ in range(4) for m in (torch.nn.Linear(5, 5), torch.nn.Tanh())]).double()
    theirs.load_state_dict({k: torch.tensor(np.asarray(v)) for k, v in ours.state_dict().items()})
    x = RNG.normal(size=(3, 5))
    loss, gx, grads = grads_of(ours, x, lambda t: checkpoint_sequential(ours, 3, t))
    tx = torch.tensor(x, requires_grad=True)
    t_loss = (torch.utils.checkpoint.checkpoint_sequential(theirs, 3, tx, use_reentrant=False) ** 2).sum()
    t_loss.backward()
    assert loss == pytest.approx(t_loss.item(), rel=1e-13)
    np.testing.assert_allclose(gx, tx.grad.numpy(), rtol=1e-12)
    for a, p in zip(grads, theirs.parameters()):
        np.testing.assert_allclose(a, p.grad.numpy(), rtol=1e-12, atol=1e-15)


def test_dropout_generators_are_replayed_as_preserve_rng_state():
    def make():
        return nn.Sequential(nn.Linear(4, 4, dtype=np.float64, rng=0), nn.Dropout(0.5, rng=1), nn.Tanh(),
                             nn.Linear(4, 4, dtype=np.float64, rng=2), nn.Dropout(0.3, rng=3))

    plain, checkpointed = make(), make()
    x = RNG.normal(size=(6, 4))
    run = lambda t: checkpoint_sequential(checkpointed, 2, t)
    assert_same(grads_of(plain, x, plain), grads_of(checkpointed, x, run))
    # the generators are left where the forward pass left them: later draws are the plain run's
    np.testing.assert_array_equal(plain[1].rng.random(3), checkpointed[1].rng.random(3))
    # a module closed over, and preserve_rng_state=False
    closed = make()
    reference = make()
    assert_same(grads_of(reference, x, reference), grads_of(closed, x, lambda t: checkpoint(lambda u: closed(u), t)))
    unpreserved = make()
    out = (checkpoint(unpreserved, ag.tensor(x, requires_grad=True), preserve_rng_state=False) ** 2).sum()
    with pytest.raises(RuntimeError, match="different values when run again .* Generator is replayed"):
        out.backward()


def test_nested_checkpoints_transforms_and_functional_call():
    f = lambda x: (ag.sin(x) ** 2).sum() * x.sum()
    x = np.array([0.3, 0.7])
    np.testing.assert_allclose(ag.hessian(lambda t: checkpoint(f, t))(x).data, ag.hessian(f)(x).data, rtol=1e-14)
    np.testing.assert_allclose(ag.hvp(lambda t: checkpoint(f, t), (x,), (np.ones(2),))[1][0].data,
                               ag.hvp(f, (x,), (np.ones(2),))[1][0].data, rtol=1e-14)
    inner = lambda t: checkpoint(lambda u: ag.exp(u) * u, t)
    outer = ag.tensor(x, requires_grad=True)
    checkpoint(lambda u: (inner(u) ** 2).sum(), outer).backward()
    np.testing.assert_allclose(outer.grad.data, 2 * np.exp(x) * x * np.exp(x) * (1 + x), rtol=1e-13)
    layer = nn.Linear(2, 1, dtype=np.float64, rng=0)
    loss = lambda w: checkpoint(lambda u: functional_call(layer, {"weight": w}, u).sum(), ag.ones((3, 2)))
    np.testing.assert_array_equal(ag.grad(loss)(layer.weight.data).data, [[3.0, 3.0]])


# ---- norms with running statistics, and spectral_norm ------------------------------------------------------------
# PyTorch's non-reentrant checkpoint stops its recomputation once the tensors saved for backward are all recomputed
# (set_checkpoint_early_stop, default on): an InstanceNorm whose running statistics are copied back after its saving
# kernel, with nothing after it in the function that saves a tensor, is then updated once; followed by x ** 2 it is
# updated twice, as a BatchNorm always is, and as every norm is with early stop off. A flag that skips updates in the
# recomputation would break BatchNorm's; ours recomputes the whole function: every norm is updated twice.
CHECKPOINT_X = np.random.default_rng(4).standard_normal((2, 3, 5))
NORMS = {
    "BatchNorm1d": (lambda: nn.BatchNorm1d(3).double(), lambda torch: torch.nn.BatchNorm1d(3).double(), (0, 2)),
    "InstanceNorm1d": (lambda: nn.InstanceNorm1d(3, affine=True, track_running_stats=True).double(),
                       lambda torch: torch.nn.InstanceNorm1d(3, affine=True, track_running_stats=True).double(), (2,)),
}
FUNCTIONS = {"alone": lambda m: (lambda x: m(x)), "squared": lambda m: (lambda x: m(x) ** 2)}


@pytest.mark.parametrize("function", FUNCTIONS)
@pytest.mark.parametrize("norm", NORMS)
def test_checkpointed_norms_update_running_statistics_in_forward_and_recomputation(norm, function):
    make, _, axes = NORMS[norm]
    module, plain = make(), make()
    x = ag.tensor(CHECKPOINT_X, requires_grad=True)
    checkpoint(FUNCTIONS[function](module), x).sum().backward()
    grad, x.grad = x.grad.data, None
    FUNCTIONS[function](plain)(x).sum().backward()  # the gradient without checkpointing
    np.testing.assert_allclose(grad, x.grad.data, rtol=1e-12, atol=1e-14)
    # two updates with the batch's statistics (momentum 0.1, unbiased variance), from 0 and 1
    mean = CHECKPOINT_X.mean(axis=axes).reshape(-1, 3).mean(axis=0)
    var = CHECKPOINT_X.var(axis=axes, ddof=1).reshape(-1, 3).mean(axis=0)
    np.testing.assert_allclose(module.running_mean.data, 0.19 * mean, rtol=1e-12)
    np.testing.assert_allclose(module.running_var.data, 0.81 + 0.19 * var, rtol=1e-12)
    assert int(module.num_batches_tracked.item()) == (2 if norm == "BatchNorm1d" else 0)  # (PyTorch's counts too)


@pytest.mark.parametrize("function", FUNCTIONS)
@pytest.mark.parametrize("norm", NORMS)
def test_checkpointed_norms_match_torch_without_early_stop(norm, function):
    torch = pytest.importorskip("torch")
    from torch.utils.checkpoint import checkpoint as torch_checkpoint, set_checkpoint_early_stop

    make, make_torch, _ = NORMS[norm]
    module, theirs = make(), make_torch(torch)
    checkpoint(FUNCTIONS[function](module), ag.tensor(CHECKPOINT_X, requires_grad=True)).sum().backward()
    with set_checkpoint_early_stop(False):
        torch_checkpoint(FUNCTIONS[function](theirs), torch.tensor(CHECKPOINT_X, requires_grad=True),
                         use_reentrant=False).sum().backward()
    for name in ("running_mean", "running_var", "num_batches_tracked"):
        np.testing.assert_allclose(getattr(module, name).data, getattr(theirs, name).numpy(), rtol=1e-12)


def _spectral_linear():
    return nn.utils.parametrizations.spectral_norm(nn.Linear(4, 3, dtype=np.float64, rng=0))


def test_checkpointed_spectral_norm_in_training_is_refused_at_backward():
    # PyTorch's power iteration runs again in the recomputation and its gradient silently belongs to another weight
    linear, x = _spectral_linear(), ag.tensor(np.random.default_rng(5).standard_normal((2, 4)), requires_grad=True)
    y = checkpoint(lambda t: linear(t).tanh(), x)
    with pytest.raises(RuntimeError, match=r"^checkpoint: the function computed different values when run again for "
                                           r"the backward pass \(outputs of shapes \[\(2, 3\)\]\); it must be "
                                           r"deterministic, .*keep other randomness, and state it changes, out of it$"):
        y.sum().backward()
    linear.eval()  # no power iteration: checkpointed and plain gradients agree
    checkpoint(lambda t: linear(t).tanh(), x).sum().backward()
    grad, x.grad = x.grad.data, None
    linear(x).tanh().sum().backward()
    np.testing.assert_allclose(grad, x.grad.data, rtol=1e-12)


def test_a_checkpointed_dropout_replays_the_default_generator_as_pytorchs_test_checkpoint_rng_cpu():
    # PyTorch's test_utils.TestCheckpoint.test_checkpoint_rng_cpu: dropouts drawing from the default generator, the
    # generator's state restored with set_rng_state, give the same gradient with checkpoint as without
    x = ag.tensor(np.random.default_rng(0).normal(size=2000), requires_grad=True)
    phase1, phase2 = nn.Dropout(), nn.Dropout()
    state = ag.get_rng_state()
    checkpoint(phase2, phase1(x), use_reentrant=True).sum().backward()
    with_checkpoint, x.grad = x.grad.data.copy(), None
    ag.set_rng_state(state)
    phase2(phase1(x)).sum().backward()
    np.testing.assert_array_equal(with_checkpoint, x.grad.data)
    kept = (np.random.default_rng(0).normal(size=2000) != 0)
    assert set(np.unique(with_checkpoint[kept])) <= {0.0, 4.0}  # two masks of p=0.5: 1 / 0.5 / 0.5 where both keep


def _recording_context_fn(events):
    import contextlib

    @contextlib.contextmanager
    def noted(name):
        events.append(name + " in")
        yield
        events.append(name + " out")
    return lambda: (noted("forward"), noted("recompute"))


def test_pytorchs_checkpoint_options_context_fn_determinism_check_and_the_decorator():
    events, calls = [], []

    def scaled(t):  # a different value at each call: only determinism_check="none" takes it
        calls.append(len(calls) + 1)
        events.append("call")
        return t * ag.tensor(float(len(calls)))

    x = ag.tensor([1.0, -2.0], requires_grad=True)
    y = checkpoint(scaled, x, use_reentrant=False, context_fn=_recording_context_fn(events),
                   determinism_check="none", debug=False, early_stop=True)
    np.testing.assert_array_equal(y.data, [1.0, -2.0])
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.data, [2.0, 2.0])  # the recomputation's factor, as PyTorch's
    assert events == ["forward in", "call", "forward out", "recompute in", "call", "recompute out"]
    calls.clear()
    mine = list(events)
    with pytest.raises(RuntimeError, match="computed different values when run again"):
        checkpoint(scaled, x, use_reentrant=False).sum().backward()  # the default check compares the values
    decorated = checkpoint(use_reentrant=False)(lambda t: ag.exp(t).sum())
    x.grad = None
    decorated(x).backward()
    np.testing.assert_allclose(x.grad.data, np.exp([1.0, -2.0]), rtol=1e-15)
    with pytest.raises(ValueError, match=r"determinism_check should be one of \['default', 'none'\], but got 'all'"):
        checkpoint(scaled, x, use_reentrant=False, determinism_check="all")
    torch = pytest.importorskip("torch")
    from torch.utils.checkpoint import checkpoint as torch_checkpoint
    their_events, calls[:] = [], []

    def their_scaled(t):
        calls.append(len(calls) + 1)
        their_events.append("call")
        return t * torch.tensor(float(len(calls)), dtype=torch.float64)  # (saved for backward: recomputed)

    tx = torch.tensor([1.0, -2.0], dtype=torch.float64, requires_grad=True)
    torch_checkpoint(their_scaled, tx, use_reentrant=False, context_fn=_recording_context_fn(their_events),
                     determinism_check="none", early_stop=False).sum().backward()  # (its early stop leaves the
    # recomputation by an exception, through the context's exit: this one's runs whole, as early_stop=False)
    assert their_events == mine and tx.grad.tolist() == [2.0, 2.0]
    their_decorated = torch_checkpoint(use_reentrant=False)(lambda t: torch.exp(t).sum())
    tx.grad = None
    their_decorated(tx).backward()
    np.testing.assert_allclose(x.grad.data, tx.grad.numpy(), rtol=1e-15)
