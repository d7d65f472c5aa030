"""What a Tensor changed in place keeps of its earlier records (in_place_record's REBASED table), over many steps:
a buffer refilled each step (`x.copy_(w * 1)`), backpropagated through, then detached in place (`x.detach_()`) kept
one old record (its value among it) per step for as long as it lived; detach_ now forgets them, and a use recorded
before the detach_ gets a constant standing for the value it used, only when backprop needs it. A gradient reaching
such a Tensor (PyTorch's would go on into the graph behind it, which detach_ cut here) refuses backward, naming detach_.
"""
import gc
import tracemalloc

import numpy as np
import pytest

import autograd_core as ag
from autograd_core.in_place_record import REBASED


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
