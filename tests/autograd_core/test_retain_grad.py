"""retain_grad (autograd_core/backprop.py): backward fills chosen intermediates' .grad too, as the grad_table's
entries, accumulating over passes as leaves' do, recorded under create_graph, safe beside backward in other threads,
and kept through an in-place change, as PyTorch's."""
import sys

import numpy as np
import pytest

import autograd_core as ag



def test_retained_intermediates_grads_are_the_grad_table_entries_and_the_others_stay_none():
    x = ag.tensor([0.3, -1.2], requires_grad=True)
    w = ag.tensor([[0.5, 2.0], [-1.0, 0.25]], requires_grad=True)
    h = x @ w
    a = ag.tanh(h)
    b = a * a + h
    out = b.sum()
    for t in (h, b, out):
        t.retain_grad()
    table = ag.backprop(out, retain_graph=True)
    assert h.grad is None, "ag.backprop returns the table; it fills no .grad"
    out.backward()
    for t in (h, b, out, x, w):
        np.testing.assert_array_equal(t.grad.data, table[t].data)
        assert t.grad.dtype == t.dtype and not t.grad.requires_grad
    with pytest.warns(UserWarning, match="not a leaf"):
        assert a.grad is None, "an intermediate that did not retain_grad keeps no .grad"


def test_retained_grads_accumulate_over_backward_calls_like_leaves():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    h = x * x
    h.retain_grad()
    y = (h * 3.0).sum()
    y.backward(retain_graph=True)
    first, first_array = h.grad, h.grad.data
    y.backward()
    assert h.grad is first  # accumulated in place, as a leaf's
    np.testing.assert_array_equal(first_array, [6.0, 6.0])
    np.testing.assert_array_equal(x.grad.data, 2 * 3.0 * 2 * x.data)
    h.grad = None
    (x * x * 1.0).sum().backward()  # h is not in this graph: its .grad is untouched
    assert h.grad is None


def test_retained_grads_accumulate_over_backward_calls_as_torch():
    torch = pytest.importorskip("torch")
    value = np.array([1.0, 2.0])
    x, tx = ag.tensor(value, requires_grad=True), torch.tensor(value, requires_grad=True)
    grads = []
    for lib_x in (x, tx):
        h = lib_x.exp()
        h.retain_grad()
        (h * h).sum().backward(retain_graph=True)
        (h * 2.0).sum().backward()
        grads.append(np.asarray(h.grad.detach() if lib_x is tx else h.grad.data))
    np.testing.assert_allclose(grads[0], grads[1], rtol=1e-12)


def test_a_retained_output_and_a_leaf_handed_one_array_get_grads_of_their_own():
    # add hands its seed unchanged to both inputs: the retained output, h and x must not share memory.
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    h = x * 2.0
    y = h + x
    h.retain_grad()
    y.retain_grad()
    seed = np.ones(2)
    y.backward(seed)
    arrays = [seed, y.grad.data, h.grad.data, x.grad.data]
    assert not any(np.shares_memory(p, q) for i, p in enumerate(arrays) for q in arrays[i + 1:])
    np.testing.assert_array_equal(x.grad.data, [3.0, 3.0])


@pytest.mark.filterwarnings("ignore:Using backward\\(\\) with create_graph=True")
def test_retain_grad_with_create_graph_gives_a_differentiable_grad_as_torch():
    torch = pytest.importorskip("torch")
    value = np.array([1.3, -0.7])
    x, tx = ag.tensor(value, requires_grad=True), torch.tensor(value, requires_grad=True)
    h, th = x * x, tx * tx
    h.retain_grad()
    th.retain_grad()
    (h ** 3).sum().backward(create_graph=True)
    (th ** 3).sum().backward(create_graph=True)
    assert h.grad.requires_grad and th.grad.requires_grad
    np.testing.assert_allclose(h.grad.data, th.grad.detach().numpy(), rtol=1e-12)  # 3 h**2
    (expected,) = torch.autograd.grad(th.grad.sum(), tx)
    np.testing.assert_allclose(ag.backprop(h.grad.sum(), retain_graph=True)[x].data, expected.numpy(),
                               rtol=1e-12)  # 12 x**3
    recorded = h.grad
    (h * 1.0).sum().backward()  # a plain pass adds out of place: the recorded grad keeps its value
    np.testing.assert_allclose(h.grad.data, 3 * value ** 4 + 1.0)
    np.testing.assert_allclose(recorded.data, 3 * value ** 4)


def _backprop_ninja_forward(C, W1, b1, bngain, bnbias, W2, b2, Xb, Yb):
    # Karpathy's makemore part 4 ("becoming a backprop ninja"): the loss in small steps, for ag and torch alike.
    n = len(Yb)
    emb = C[Xb]
    embcat = emb.reshape(n, -1)
    hprebn = embcat @ W1 + b1
    bnmeani = 1 / n * hprebn.sum(axis=0, keepdims=True)
    bndiff = hprebn - bnmeani
    bndiff2 = bndiff ** 2
    bnvar = 1 / (n - 1) * bndiff2.sum(axis=0, keepdims=True)
    bnvar_inv = (bnvar + 1e-5) ** -0.5
    bnraw = bndiff * bnvar_inv
    hpreact = bngain * bnraw + bnbias
    h = hpreact.tanh()
    logits = h @ W2 + b2
    logit_maxes = logits.max(axis=1, keepdims=True)
    logit_maxes = getattr(logit_maxes, "values", logit_maxes)  # torch's max returns (values, indices)
    norm_logits = logits - logit_maxes
    counts = norm_logits.exp()
    counts_sum = counts.sum(axis=1, keepdims=True)
    counts_sum_inv = counts_sum ** -1
    probs = counts * counts_sum_inv
    logprobs = probs.log()
    loss = -logprobs[np.arange(n), Yb].mean()
    intermediates = [logprobs, probs, counts_sum_inv, counts_sum, counts, norm_logits, logit_maxes, logits, h,
                     hpreact, bnraw, bnvar_inv, bnvar, bndiff2, bndiff, hprebn, bnmeani, embcat, emb]
    return loss, intermediates


def test_backprop_ninja_retains_every_intermediates_grad_as_torch_and_the_grad_table():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    vocab, block, n_embd, n_hidden, n = 27, 3, 10, 64, 32
    values = [rng.standard_normal((vocab, n_embd)), rng.standard_normal((n_embd * block, n_hidden)) * 0.2,
              rng.standard_normal(n_hidden) * 0.1, 1 + 0.1 * rng.standard_normal((1, n_hidden)),
              0.1 * rng.standard_normal((1, n_hidden)), rng.standard_normal((n_hidden, vocab)) * 0.1,
              rng.standard_normal(vocab) * 0.1]
    Xb, Yb = rng.integers(0, vocab, (n, block)), rng.integers(0, vocab, n)
    params = [ag.tensor(v, requires_grad=True) for v in values]
    tparams = [torch.tensor(v, requires_grad=True) for v in values]
    loss, inter = _backprop_ninja_forward(*params, Xb, Yb)
    tloss, tinter = _backprop_ninja_forward(*tparams, torch.from_numpy(Xb), torch.from_numpy(Yb))
    for t in inter + [loss]:
        t.retain_grad()
    for t in tinter + [tloss]:
        t.retain_grad()
    table = ag.backprop(loss, retain_graph=True)
    loss.backward()
    tloss.backward()
    np.testing.assert_allclose(loss.item(), tloss.item(), rtol=1e-12)
    for t, tt in zip(inter + [loss] + params, tinter + [tloss] + tparams):
        np.testing.assert_array_equal(t.grad.data, table[t].data)
        np.testing.assert_allclose(t.grad.data, tt.grad.numpy(), rtol=1e-9, atol=1e-12)


def test_backward_in_threads_while_others_retain_grad_is_safe():
    # backward's snapshot of the retain_grad registry iterates a dict that other threads add to (and the collector
    # removes from): "dictionary changed size during iteration" must not escape.
    import threading
    errors = []

    def work():
        try:
            for _ in range(1500):
                x = ag.tensor(np.ones(2), requires_grad=True)
                h = x * 2.0
                h.retain_grad()
                (h * h).sum().backward()
                np.testing.assert_array_equal(h.grad.data, [4.0, 4.0])
        except Exception as err:  # noqa: BLE001 (reported below, from the main thread)
            errors.append(err)

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        threads = [threading.Thread(target=work) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    assert errors == []


def test_an_in_place_operator_on_a_retained_result_keeps_retaining_as_torch():
    # h += 1 on a recorded h changes h itself (it takes the record of h + 1); h.grad is the gradient at its new value.
    torch = pytest.importorskip("torch")
    x, tx = ag.tensor([1.0, 2.0], requires_grad=True), torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)
    h, th = x * 2.0, tx * 2.0
    h.retain_grad()
    th.retain_grad()
    h += 1.0
    th += 1.0
    (h * h).sum().backward()
    (th * th).sum().backward()
    assert h.retains_grad and th.retains_grad
    np.testing.assert_array_equal(h.grad.data, th.grad.numpy())  # [6, 10]


# Found by porting PyTorch's test_autograd.py (retain_grad on non-leaves): ag.autograd.grad left the .grad of the
# Tensors retaining grad on its way None, where torch.autograd.grad fills (and accumulates) it.
def test_autograd_grad_fills_the_retained_grads_on_its_way_as_torch():
    torch = pytest.importorskip("torch")

    def run(lib):
        seen = []
        x = lib.tensor([1.0, 2.0], dtype=lib.float64, requires_grad=True)
        h = x * 2
        h.retain_grad()
        loss = (h * h).sum()
        lib.autograd.grad(loss, x, retain_graph=True)
        seen.append(h.grad.tolist())  # 2 h
        lib.autograd.grad(loss, x, retain_graph=True)
        seen.append(h.grad.tolist())  # accumulated
        lib.autograd.grad(loss, h, retain_graph=True)
        seen.append(h.grad.tolist())  # an input retaining grad too
        seen.append(x.grad)  # a leaf's .grad stays None
        behind = x * 3
        behind.retain_grad()
        m = behind * 2
        lib.autograd.grad((m * m).sum(), m, retain_graph=True)
        seen.append(behind.grad)  # behind the input: not visited
        cubed = x * 2
        cubed.retain_grad()
        lib.autograd.grad((cubed ** 3).sum(), x, create_graph=True)
        seen.append((cubed.grad.tolist(), cubed.grad.requires_grad))  # recorded by a create_graph pass
        return seen

    assert run(ag) == run(torch) == [[4.0, 8.0], [8.0, 16.0], [12.0, 24.0], None, None, ([12.0, 48.0], True)]


def test_autograd_grad_fills_a_hooked_retained_grad_with_what_its_hooks_made_as_torch():
    torch = pytest.importorskip("torch")

    def run(lib):
        x = lib.tensor([1.0, 2.0], dtype=lib.float64, requires_grad=True)
        h = x * 2
        h.retain_grad()
        h.register_hook(lambda g: g * 10)
        loss = (h * h).sum()
        seen = [lib.autograd.grad(loss, x, retain_graph=True)[0].tolist(), h.grad.tolist()]
        seen += [[g.tolist() for g in lib.autograd.grad(loss, [h, x], retain_graph=True)], h.grad.tolist()]
        return seen

    assert run(ag) == run(torch) == [[80.0, 160.0], [40.0, 80.0], [[4.0, 8.0], [80.0, 160.0]], [80.0, 160.0]]
