"""What a Tensor changed in place keeps of its earlier records (in_place_record's REBASED table), over many steps:
a buffer refilled each step (`x.copy_(w * 1)`), backpropagated through, then detached in place (`x.detach_()`) kept
one old record (its value among it) per step for as long as it lived; detach_ now forgets them, and a use recorded
before the detach_ gets a constant standing for the value it used, only when backprop needs it. A gradient reaching
such a Tensor (PyTorch's would go on into the graph behind it, which detach_ cut here) refuses backward, naming detach_,
and so do autograd.grad and backward(inputs=) toward a Tensor that was behind it (detach_ keeps weak references to the
nodes its graph held, no values); those toward inputs that were not behind it go on.
"""
import gc
import tracemalloc

import numpy as np
import pytest

import autograd_core as ag
from autograd_core.in_place_record import REBASED


def _gives(run, expected):
    """run(lib) gives expected with autograd_core and, when installed, with PyTorch."""
    assert run(ag).tolist() == expected
    torch = pytest.importorskip("torch")
    assert run(torch).tolist() == expected


def _refill_backward_detach(x, w, extra=None, entries=None):
    x.copy_(w * 1)
    if entries is not None:  # (read after copy_, before detach_, which clears the entry whatever copy_ kept)
        entries.append(len(REBASED.value(x, ())))
    if extra is not None:
        extra(x)
    (x * 2).sum().backward()
    x.detach_()


@pytest.mark.parametrize("extra", [None, lambda x: x.mul_(2)], ids=["copy_", "copy_ then mul_"])
def test_a_buffer_refilled_and_detached_each_step_keeps_no_old_records(extra):
    w = ag.tensor(np.ones(100), requires_grad=True)
    x = ag.zeros(100)
    entries = []
    for _ in range(300):
        _refill_backward_detach(x, w, extra, entries)
    assert entries == [0] + [1] * 299  # (a stand-in mark once detached; was one more per step: 299 at the end)
    expected = 2.0 * 300 * (1 if extra is None else 2)
    np.testing.assert_array_equal(w.grad.numpy(), np.full(100, expected))


def test_a_buffer_refilled_and_detached_each_step_uses_flat_memory():
    w = ag.tensor(np.ones(100), requires_grad=True)
    x = ag.zeros(100)
    for _ in range(20):
        _refill_backward_detach(x, w)
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for _ in range(300):
            _refill_backward_detach(x, w)
        gc.collect()
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert grown < 40_000  # (was about 1.5 kB a step: 450 kB)


def test_a_use_that_saved_the_value_refuses_after_detach_in_place_and_copy_as_torchs():
    mu = ag.ones(1, requires_grad=True)
    x = ag.empty(1)
    x.copy_(mu + 1)
    square = (x * x).sum()  # saved x, which copy_ below overwrites
    x.detach_()
    x.copy_(mu + 2)
    with pytest.raises(RuntimeError, match="changed in place after the node was recorded"):
        (square + x.sum()).backward()
    torch = pytest.importorskip("torch")
    tmu = torch.ones(1, requires_grad=True)
    tx = torch.empty(1)
    tx.copy_(tmu + 1)
    tsquare = (tx * tx).sum()
    tx.detach_()
    tx.copy_(tmu + 2)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        (tsquare + tx.sum()).backward()


# ---- a backward through a use recorded before detach_ refuses (it was silently cut: no gradient behind) ----------
def test_a_backward_through_a_use_recorded_before_detach_in_place_refuses_naming_it():
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    h = w * 3
    a = h + 1  # recorded before the detach_
    h.detach_()
    with pytest.raises(RuntimeError, match=r"backward: a gradient reached a Tensor \(shape \(2,\)\) that was detached "
                                           r"in place \(detach_\) after this graph used it.*x = x.detach\(\)"):
        a.sum().backward()
    assert w.grad is None  # refused before any .grad is filled
    torch = pytest.importorskip("torch")  # (PyTorch's earlier use reaches the graph behind: what ours cannot give)
    tw = torch.tensor([1.0, 2.0], requires_grad=True)
    th = tw * 3
    ta = th + 1
    th.detach_()
    ta.sum().backward()
    assert tw.grad.tolist() == [3.0, 3.0]


def test_detach_in_place_after_the_backward_or_detach_out_of_place_still_backpropagates():
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    h = w * 3
    (h * h).sum().backward()  # 6 h
    h.detach_()  # the earlier uses are done with
    (h * w).sum().backward()  # a use recorded after it: h a constant
    np.testing.assert_array_equal(w.grad.numpy(), [6 * 3.0 + 3.0, 6 * 6.0 + 6.0])
    h2 = w * 3
    a = h2 + 1
    h2 = h2.detach()  # a new Tensor: a's use keeps reaching w
    w.grad = None
    a.sum().backward()
    np.testing.assert_array_equal(w.grad.numpy(), [3.0, 3.0])


def test_requires_grad_after_detach_in_place_still_refuses_the_earlier_uses():
    # review R2 (B2): h.detach_(); h.requires_grad_() skipped the refusal (h then required grad): a.sum().backward()
    # gave w.grad None and h.grad [1, 1] silently, where torch's earlier use reaches w ([3, 3]) and not h
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    h = w * 3
    a = h + 1  # recorded before the detach_
    h.detach_().requires_grad_()
    with pytest.raises(RuntimeError, match=r"detached in place \(detach_\) after this graph used it"):
        a.sum().backward()
    assert w.grad is None and h.grad is None


def test_requires_grad_after_detach_in_place_gives_the_later_uses_torchs_gradient():
    torch = pytest.importorskip("torch")
    grads = []
    for lib in (ag, torch):
        w = lib.tensor([1.0, 2.0], requires_grad=True)
        h = w * 3
        (h * h).sum().backward()  # the earlier use, done with
        h.detach_().requires_grad_()
        (h * w).sum().backward()  # a later use: h a leaf
        grads.append([w.grad.tolist(), h.grad.tolist()])
    assert grads[0] == grads[1]


# ---- autograd.grad and backward(inputs=) toward a Tensor behind a use recorded before detach_ (session 41): they missed
# that use's gradient silently (grad gave the other paths' sum, or "was not used"; allow_unused None, backward(inputs=)
# left .grad None), as the pass toward inputs pruned the Tensor detach_ had cut. detach_ now keeps, weakly, the nodes its
# graph held: such a pass goes to the Tensor too when one of its inputs was behind it, and refuses as backward does ----
def _used_then_detached(lib, other):
    w = lib.tensor([1.0, 2.0], requires_grad=True)
    h = w * 3
    a = (h + w if other else h + 1).sum()  # recorded before the detach_ (and through another path to w, with other)
    h.detach_()
    return w, a


_TOWARD_W = {
    "grad": lambda lib, a, w: lib.autograd.grad(a, w)[0],
    "grad allow_unused": lambda lib, a, w: lib.autograd.grad(a, w, allow_unused=True)[0],
    "grad materialize_grads": lambda lib, a, w: lib.autograd.grad(a, [w], allow_unused=True,
                                                                  materialize_grads=True)[0],
    "grad retain create_graph": lambda lib, a, w: lib.autograd.grad([a], [w], retain_graph=True, create_graph=True)[0],
    "backward inputs": lambda lib, a, w: (a.backward(inputs=[w]), w.grad)[1],
    "autograd.backward inputs": lambda lib, a, w: (lib.autograd.backward([a], inputs=w), w.grad)[1],
}


@pytest.mark.parametrize("other", [False, True], ids=["h + 1", "h + w"])
@pytest.mark.parametrize("way", list(_TOWARD_W))
def test_a_pass_toward_a_tensor_behind_a_use_recorded_before_detach_in_place_refuses(way, other):
    w, a = _used_then_detached(ag, other)
    where = {"backward inputs": "backward", "autograd.backward inputs": "autograd.backward"}.get(way, "autograd.grad")
    with pytest.raises(RuntimeError, match=rf"^{where}: a gradient reached a Tensor \(shape \(2,\)\) that was detached "
                                           r"in place \(detach_\) after this graph used it.*x = x.detach\(\)"):
        _TOWARD_W[way](ag, a, w)
    assert w.grad is None  # refused before any .grad is filled
    torch = pytest.importorskip("torch")  # (PyTorch's reaches w through the use: what ours cannot give)
    tw, ta = _used_then_detached(torch, other)
    assert _TOWARD_W[way](torch, ta, tw).tolist() == ([4.0, 4.0] if other else [3.0, 3.0])


def test_a_pass_toward_an_intermediate_or_through_a_later_record_refuses_too():
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    g = w * 2
    h = g * 3
    a = (h + 1).sum()
    h.detach_()
    with pytest.raises(RuntimeError, match=r"autograd.grad: a gradient reached a Tensor .* \(detach_\)"):
        ag.autograd.grad(a, g, retain_graph=True)  # an intermediate behind h
    h.requires_grad_()  # a new leaf: the use recorded before gets a stand-in, which still refuses
    with pytest.raises(RuntimeError, match=r"autograd.grad: a gradient reached a Tensor .* \(detach_\)"):
        ag.autograd.grad(a, w)
    m = w * 2
    h = m * 3
    m.detach_()  # h used m before: m's graph is behind h's
    a = (h + 1).sum()
    h.detach_()
    with pytest.raises(RuntimeError, match=r"autograd.grad: a gradient reached a Tensor .* \(detach_\)"):
        ag.autograd.grad(a, w, allow_unused=True)


def test_a_pass_toward_inputs_behind_a_record_freed_before_detach_in_place_refuses():
    # h's record was freed by a backward before detach_: what it held is unknown, so a gradient reaching h refuses
    # when no path of the pass reaches the wanted w otherwise (PyTorch's would go on toward w, and refuse there as a
    # second pass through h's record)
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    h = w * 3
    a = (h + 1).sum()
    (h * 2).sum().backward()
    h.detach_()
    with pytest.raises(RuntimeError, match=r"autograd.grad: a gradient reached a Tensor \(shape \(2,\)\) .*detach_"):
        ag.autograd.grad(a, w, allow_unused=True)


@pytest.mark.parametrize("way", ["grad", "backward inputs"])
def test_a_pass_toward_inputs_reached_otherwise_after_a_record_freed_before_detach_in_place_goes_on(way):
    # (session 41, review R2) h's record, freed by a backward before detach_, made every pass toward given inputs that
    # reached h refuse, even toward a v that was never behind h: now only one whose wanted nodes no path reaches
    def run(lib):
        w = lib.tensor([1.0, 2.0], requires_grad=True)
        h = w * 3
        a = h * 2
        h.sum().backward()  # frees h's record
        h.detach_()
        v = lib.tensor([5.0, 7.0], requires_grad=True)
        out = (a * v).sum()
        return lib.autograd.grad(out, v)[0] if way == "grad" else (out.backward(inputs=[v]), v.grad)[1]

    _gives(run, [6.0, 12.0])


def test_a_use_recorded_after_detach_in_place_and_requires_grad_does_not_reach_the_graph_detach_cut():
    # (session 41, review R2) a, recorded after `h.detach_(); h.requires_grad_()`, uses the new leaf h: a.detach_()
    # took the graph h's detach_ had cut as behind a too, and a pass toward w through b (a use of a) refused
    def run(lib):
        w = lib.tensor([1.0, 2.0], requires_grad=True)
        h = w * 3
        h.detach_()
        h.requires_grad_()
        a = h * 2
        b = a + 1  # recorded before a.detach_()
        a.detach_()
        return lib.autograd.grad(b.sum() + (w * 5).sum(), w)[0]

    _gives(run, [5.0, 5.0])


def test_a_use_recorded_before_the_first_of_two_detach_in_place_still_refuses_a_pass_toward_what_it_cut():
    # the second detach_ keeps what the first cut (its earlier uses reach x as well): a pass toward w through a refuses
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    v = ag.tensor([1.0, 1.0], requires_grad=True)
    x = w * 3
    a = (x + 1).sum()  # recorded before the first detach_ (PyTorch's: grad(a, w) 3)
    x.detach_()
    x.copy_(v * 1)
    x.detach_()
    x.copy_(v * 2)
    with pytest.raises(RuntimeError, match=r"autograd.grad: a gradient reached a Tensor \(shape \(2,\)\) .*detach_"):
        ag.autograd.grad(a, w, allow_unused=True)


def test_backprop_through_a_use_recorded_before_detach_in_place_refuses():
    w, a = _used_then_detached(ag, other=True)
    with pytest.raises(RuntimeError, match=r"^backprop: a gradient reached a Tensor \(shape \(2,\)\) .*detach_"):
        ag.backprop(a)  # (its table had h's entry and w's 1 from the other path: 3 missing)


def test_a_hook_registered_before_detach_in_place_runs_then_the_pass_refuses():
    # the hook sees the gradient of the uses recorded before, as PyTorch's; the pass refuses (grad toward w skipped both)
    for way in ("backward", "grad"):
        w = ag.tensor([1.0, 2.0], requires_grad=True)
        h = w * 3
        seen = []
        h.register_hook(lambda g: seen.append(g.tolist()))
        a = (h + w).sum()
        h.detach_()
        with pytest.raises(RuntimeError, match=r"detached in place \(detach_\) after this graph used it"):
            a.backward() if way == "backward" else ag.autograd.grad(a, w)
        assert seen == [[1.0, 1.0]] and w.grad is None
    torch = pytest.importorskip("torch")
    tw = torch.tensor([1.0, 2.0], requires_grad=True)
    th = tw * 3
    tseen = []
    th.register_hook(lambda g: tseen.append(g.tolist()))
    ta = (th + tw).sum()
    th.detach_()
    assert torch.autograd.grad(ta, tw)[0].tolist() == [4.0, 4.0] and tseen == [[1.0, 1.0]]


# ---- no false refusals: a pass whose inputs were not behind the detached Tensor, or a Tensor detached before its use
@pytest.mark.parametrize("way", ["grad", "backward inputs"])
def test_a_pass_toward_inputs_not_behind_the_detached_tensor_still_gives_their_gradients(way):
    def run(lib, use):
        w = lib.tensor([1.0, 2.0], requires_grad=True)
        v = lib.tensor([1.0, 1.0], requires_grad=True)
        h = w * 3
        a = use(h, v).sum()
        h.detach_()
        return lib.autograd.grad(a, v)[0] if way == "grad" else (a.backward(inputs=[v]), v.grad)[1]

    assert run(ag, lambda h, v: h + v).tolist() == [1.0, 1.0]
    assert run(ag, lambda h, v: h * v).tolist() == [3.0, 6.0]  # (the value h had: PyTorch refuses, as mul saved it)
    torch = pytest.importorskip("torch")
    assert run(torch, lambda h, v: h + v).tolist() == [1.0, 1.0]


def test_a_tensor_detached_before_its_use_is_a_constant_for_every_pass():
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    h = (w * 3).detach_()
    a = (h * w).sum()
    np.testing.assert_array_equal(ag.autograd.grad(a, w, retain_graph=True)[0].numpy(), [3.0, 6.0])
    a.backward(inputs=[w])
    np.testing.assert_array_equal(w.grad.numpy(), [3.0, 6.0])


def test_a_buffer_detached_each_step_with_its_graph_alive_keeps_a_bounded_record():
    # detach_ keeps a skeleton of the graph it cuts, weak references to its nodes (none of their values): an earlier
    # detach_'s skeleton is kept as the live records it reaches, the dead ones going step by step
    from autograd_core.in_place_record import DETACHED

    def skeleton_size(skeleton):
        seen, stack = set(), [skeleton]
        while stack:
            for parent in stack.pop()[2:]:
                if id(parent) not in seen:
                    seen.add(id(parent))
                    stack.append(parent)
        return len(seen)

    w = ag.tensor(np.ones(100), requires_grad=True)
    x = ag.zeros(100)
    sizes = []
    for _ in range(50):
        x.copy_(w * 1)
        (x * 2).sum()  # a use, never backpropagated: x's graph is alive at detach_
        x.detach_()
        gc.collect()
        sizes.append(skeleton_size(DETACHED.value(x)))
    assert max(sizes) <= 5
    grads = ag.autograd.grad((w * 2).sum(), w)  # (a pass not through x: not refused)
    np.testing.assert_array_equal(grads[0].numpy(), np.full(100, 2.0))


def test_detach_in_place_of_every_grad_after_create_graph_walks_the_shared_graph_once():
    # (session 41, review R2) each detach_ walked and copied the whole live graph: `p.grad.detach_()` for every
    # parameter after backward(create_graph=True) cost parameters x graph. The detach_s in a row share one skeleton
    from autograd_core.in_place_record import DETACHED

    def parts(skeleton, seen):
        stack = [skeleton]
        while stack:
            for parent in stack.pop()[2:]:
                if id(parent) not in seen:
                    seen.add(id(parent))
                    stack.append(parent)
        return seen

    rng = np.random.default_rng(0)
    ps = [ag.tensor(rng.standard_normal((4, 4)) * 0.1, requires_grad=True) for _ in range(10)]
    h = ag.tensor(rng.standard_normal((2, 4)))
    for p in ps:
        h = ag.tanh(h @ p)
    (h * h).sum().backward(create_graph=True)
    grads = [p.grad for p in ps]
    uses = [(g * 2).sum() for g in grads]  # recorded before the detach_s
    for g in grads:
        g.detach_()
    each = [len(parts(DETACHED.value(g), set())) for g in grads]
    shared = set()
    for g in grads:
        parts(DETACHED.value(g), shared)
    assert len(shared) * 4 < sum(each)  # (100 parts for 604 reached: one per node, not one per detach_ and node)
    with pytest.raises(RuntimeError, match=r"autograd.grad: a gradient reached a Tensor .* \(detach_\)"):
        ag.autograd.grad(uses[-1], ps[0])  # ps[0] was behind the last grad, whose walk found its part shared
    v = ag.tensor(2.0, requires_grad=True)
    np.testing.assert_allclose(ag.autograd.grad(uses[3] * v, v)[0].numpy(), uses[3].numpy())


@pytest.mark.parametrize("again", ["copy_", "requires_grad_"])
def test_a_use_recorded_before_a_detach_then_re_recorded_tensor_reaches_only_what_detach_cut(again):
    # b's skeleton walked x's new record too (v, or the new leaf x), though a's use was recorded before it
    def run(lib):
        w = lib.tensor([1.0, 2.0], requires_grad=True)
        v = lib.tensor([1.0, 1.0], requires_grad=True)
        x = w * 3
        a = x + 1  # recorded before x.detach_()
        x.detach_()
        x.copy_(v * 1) if again == "copy_" else x.requires_grad_()
        t = v if again == "copy_" else x
        b = a * 2
        c = b + 1  # recorded before b.detach_()
        b.detach_()
        return lib.autograd.grad(c.sum() + (t * 5).sum(), t)[0]

    _gives(run, [5.0, 5.0])


def test_a_use_recorded_after_a_re_record_then_changed_in_place_reaches_not_what_detach_cut():
    def run(lib):
        w = lib.tensor([1.0, 2.0], requires_grad=True)
        v = lib.tensor([1.0, 1.0], requires_grad=True)
        x = w * 3
        x.detach_()
        x.copy_(v * 1)
        b = x * 2  # a use of the copy's record, not of the graph detach_ cut
        x.add_(1)
        c = b + 1
        b.detach_()
        return lib.autograd.grad(c.sum() + (w * 5).sum(), w)[0]

    _gives(run, [5.0, 5.0])


def test_a_detached_tensors_skeleton_walks_the_record_its_input_had_when_used_not_a_later_change_in_place():
    # (final read R3) y used x before x.mul_(a): y's skeleton held a, the change's input, and a pass toward a refused
    def run(lib):
        w = lib.tensor([1.0, 2.0], requires_grad=True)
        a = lib.tensor([5.0, 7.0], requires_grad=True)
        x = w * 2
        y = x * 3  # a use of x before it changes
        x.mul_(a)
        u = y * 4 + a  # a use of y recorded before y.detach_()
        y.detach_()
        return lib.autograd.grad(u.sum(), a)[0]

    _gives(run, [1.0, 1.0])
