"""PyTorch's in-place methods (autograd_core/torch_in_place.py): fill_, the random fills normal_ and uniform_, the
arithmetic add_/sub_/mul_/div_, unsqueeze_/squeeze_/resize_, detach_, the elementwise abs_ ... tanh_ and erfinv_,
scatter_ and scatter_add_, clamp_/clip_, clamp_min_/clamp_max_, lerp_, masked_fill_, masked_scatter_, index_fill_ and
copy_. Each writes into the Tensor (and the views that share its memory) and returns it, counts as a change for a
graph that saved it, and is refused where PyTorch refuses it (a recorded result changed while recording:
test_torch_in_place_recorded.py); each compared with a NumPy reference, and with PyTorch where it is installed."""
import math
import warnings

import numpy as np
import pytest

import autograd_core as ag

try:  # (optional: the comparisons with PyTorch skip without it)
    import torch
except ImportError:
    torch = None


# ---- fill_ ----
def test_fill_in_place():
    t = ag.zeros(3)
    assert t.fill_(2.5) is t and t.tolist() == [2.5, 2.5, 2.5]
    w = ag.zeros(2, requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf Tensor that requires grad"):
        w.fill_(1.0)
    with ag.no_grad():
        w.fill_(ag.tensor(4.0))
    assert w.tolist() == [4.0, 4.0]
    doubled = w * 2
    with ag.no_grad():
        doubled.fill_(0.0)  # a recorded result under no_grad, as PyTorch's (recording: test_torch_in_place_recorded.py)
    assert doubled.tolist() == [0.0, 0.0] and doubled.grad_fn is not None



def test_fill_with_a_value_that_requires_grad_is_refused_while_recording():
    # (PyTorch's fill_ is differentiable in the value; here it silently cut the value from the graph, where item
    # assignment refuses the same change)
    t, w = ag.zeros(3), ag.tensor(2.0, requires_grad=True)
    with pytest.raises(TypeError, match="fill_: the value requires grad"):
        t.fill_(w)
    assert t.tolist() == [0.0, 0.0, 0.0]
    with ag.no_grad():
        t.fill_(w)
    assert t.tolist() == [2.0, 2.0, 2.0]
    assert t.fill_(ag.tensor(3.0)).tolist() == [3.0, 3.0, 3.0]



# ---- normal_ and uniform_: PyTorch's random fills in place (`w.normal_(0, 0.01)` under no_grad, as d2l writes
# `net[0].weight.data.normal_(0, 0.01)`) ----
def test_normal_and_uniform_fill_in_place_from_the_generator():
    w = ag.zeros((2, 3), dtype=np.float32, requires_grad=True)
    with ag.no_grad():
        assert w.normal_(1.0, 0.5, rng=0) is w
    assert w.dtype == np.float32 and w.requires_grad and w.is_leaf
    np.testing.assert_array_equal(w.data, np.random.default_rng(0).normal(1.0, 0.5, (2, 3)).astype(np.float32))
    u = ag.zeros(4).uniform_(-2.0, 3.0, generator=np.random.default_rng(1))
    np.testing.assert_array_equal(u.data, np.random.default_rng(1).uniform(-2.0, 3.0, 4))
    big = ag.zeros(50000).uniform_(rng=2)
    assert 0 <= big.data.min() and big.data.max() < 1 and abs(big.data.mean() - 0.5) < 0.01
    assert abs(ag.zeros(50000).normal_(rng=3).data.std() - 1.0) < 0.02  # the defaults: N(0, 1)


def test_random_fill_counts_as_a_change_for_saved_graphs():
    a = ag.ones(3, requires_grad=True)
    b = ag.ones(3)
    y = (a * b).sum()
    b.normal_(rng=0)
    with pytest.raises(RuntimeError):
        y.backward()


@pytest.mark.parametrize("call, error, match", [
    (lambda: ag.zeros(2, requires_grad=True).normal_(), RuntimeError,
     r"normal_: a leaf Tensor that requires grad .* nn.init.normal_"),
    (lambda: (ag.ones(2, requires_grad=True) * 2).uniform_(), RuntimeError,
     r"uniform_: this Tensor was computed by 'multiply'"),
    (lambda: ag.zeros(2, dtype=np.int64).normal_(), TypeError, r"normal_: .* must be of a float dtype, got int64"),
    (lambda: ag.zeros(2).normal_(0.0, -1.0), ValueError, r"normal_: std must be >= 0.0, got -1"),
    (lambda: ag.zeros(2).normal_(float("nan")), TypeError, r"normal_: mean must be a finite real number"),
    (lambda: ag.zeros(2).uniform_(3.0, 1.0), ValueError, r"uniform_: expects from_ <= to"),
])
def test_random_fill_refusals(call, error, match):
    with pytest.raises(error, match=match):
        call()


@pytest.mark.skipif(torch is None, reason="needs torch")
def test_random_fills_refuse_and_accept_as_torch():
    w = torch.zeros(2, requires_grad=True)
    with pytest.raises(RuntimeError):
        w.normal_()
    with torch.no_grad():
        w.uniform_(-1, 1)
    ours = ag.zeros(2, requires_grad=True)
    with ag.no_grad():
        ours.uniform_(-1, 1)
    assert ours.requires_grad == w.requires_grad and ours.is_leaf == w.is_leaf


# ---- add_, sub_, mul_, div_: PyTorch's in-place arithmetic (an SGD step from scratch, `p.sub_(lr * p.grad)` under
# no_grad), the operators' rules; on a recorded result they take its record (test_torch_in_place_recorded.py) ----
def test_in_place_arithmetic_methods_update_and_return_self():
    p = ag.tensor([1.0, 2.0, 3.0], requires_grad=True)
    (p * p).sum().backward()
    with ag.no_grad():
        assert p.sub_(p.grad, alpha=0.5) is p
    np.testing.assert_array_equal(p.data, [0.0, 0.0, 0.0])  # p - 0.5 * 2p
    assert p.is_leaf and p.requires_grad and p._version == 1
    t = ag.ones(3, dtype=np.float32)
    t.add_(np.array([1.0, 2.0, 3.0]), alpha=2).mul_(2).div_(4)
    assert t.dtype == np.float32
    np.testing.assert_array_equal(t.data, (1 + 2 * np.array([1.0, 2.0, 3.0])) * 2 / 4)
    if torch is not None:
        u = torch.ones(3)
        u.add_(torch.tensor([1.0, 2.0, 3.0]), alpha=2).mul_(2).div_(4)
        np.testing.assert_array_equal(t.data, u.numpy())


@pytest.mark.parametrize("call, error, match", [
    (lambda: ag.ones(2, requires_grad=True).add_(1), RuntimeError,
     r"add_: a leaf Tensor that requires grad .* write x = x.add\(...\)"),
    (lambda: ag.ones(2, dtype=np.int64).div_(2), TypeError, r"div_: cannot update a Tensor of shape \(2,\) and dtype "
                                                            r"int64"),
    (lambda: ag.ones(2).mul_(ag.ones((3, 2))), ValueError, r"mul_: cannot update a Tensor of shape \(2,\)"),
])
def test_in_place_arithmetic_refusals(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_in_place_arithmetic_on_a_saved_value_breaks_its_graph():
    a, b = ag.ones(2, requires_grad=True), ag.ones(2)
    y = (a * b).sum()
    b.mul_(3)
    with pytest.raises(RuntimeError):
        y.backward()


def test_unsqueeze_and_squeeze_in_place_change_the_shape_and_return_self():
    # char_rnn_generation's train(): `target_line_tensor.unsqueeze_(-1)`, then target_line_tensor[i] has shape (1,)
    target = ag.tensor([3, 1, 4])
    assert target.unsqueeze_(-1) is target and target.shape == (3, 1) and target[1].tolist() == [1]
    assert target.squeeze_(1) is target and target.tolist() == [3, 1, 4]
    t = ag.zeros((1, 2, 1))
    assert t.squeeze_().shape == (2,) and np.shares_memory(t.data, t.data)
    expected = np.expand_dims(np.arange(6.0).reshape(2, 3), 1)
    assert ag.arange(6.0).reshape(2, 3).unsqueeze_(1).tolist() == expected.tolist()


def test_unsqueeze_in_place_matches_torch():
    torch = pytest.importorskip("torch")
    for dim in (0, 1, -1, -3):
        ours, theirs = ag.arange(6).reshape(2, 3), torch.arange(6).reshape(2, 3)
        assert ours.unsqueeze_(dim).shape == tuple(theirs.unsqueeze_(dim).shape)
        assert ours.squeeze_().shape == tuple(theirs.squeeze_().shape)


def test_unsqueeze_in_place_keeps_the_memory_shared_with_views_and_counts_a_change():
    base = ag.zeros((2, 3))
    row = base[0]
    version = row._version
    row.unsqueeze_(0).fill_(1.0)  # as torch: the view stays a view of base
    assert row.shape == (1, 3) and base.tolist() == [[1.0, 1.0, 1.0], [0.0, 0.0, 0.0]]
    assert row._version > version


def test_unsqueeze_in_place_is_refused_where_the_graph_reads_the_shape():
    leaf = ag.zeros(3, requires_grad=True)
    with pytest.raises(RuntimeError, match=r"unsqueeze_: .*shape \(3,\).* leaf that requires grad.*x = x.unsqueeze"):
        leaf.unsqueeze_(0)
    with pytest.raises(RuntimeError, match=r"squeeze_: .*computed by 'multiply'.*x = x.squeeze\(dim\)"):
        (leaf * 2).squeeze_()
    with ag.no_grad():  # as the in-place operators: a leaf changes under no_grad
        assert leaf.unsqueeze_(0).shape == (1, 3) and leaf.requires_grad
    with pytest.raises(np.exceptions.AxisError, match="expand_dims"):
        ag.zeros(3).unsqueeze_(5)
    with pytest.raises(ValueError, match="squeeze"):
        ag.zeros((2, 3)).squeeze_(0)



def test_resize_in_place_keeps_the_elements_in_order_and_returns_self():
    # the old pix2pix/CycleGAN set_input: self.input_A.resize_(input_A.size()).copy_(input_A)
    buffer, batch = ag.FloatTensor(1, 3, 2, 2), ag.arange(24.0).reshape(2, 3, 2, 2)
    assert buffer.resize_(batch.size()).copy_(batch) is buffer
    assert buffer.shape == (2, 3, 2, 2) and buffer.dtype == np.float32 and buffer.tolist() == batch.tolist()
    values = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    for sizes, expected in [((2, 2), values[:4].reshape(2, 2)), (((5, 1),), values.reshape(5, 1)),
                            ((ag.Size([2, 4]),), np.append(values, [0.0, 0.0, 0.0]).reshape(2, 4)), ((0,), values[:0])]:
        t = ag.tensor(values)
        assert t.resize_(*sizes) is t and np.array_equal(t.data, expected)  # new elements: 0 here
    if torch is not None:  # the elements torch keeps are the same (its new ones are uninitialised)
        for sizes in [(2, 2), (5, 1), (1, 2, 3)]:
            ours, theirs = ag.tensor(values).resize_(*sizes), torch.tensor(values).resize_(*sizes)
            kept = min(values.size, ours.data.size)
            assert ours.shape == tuple(theirs.shape)
            assert np.array_equal(ours.data.reshape(-1)[:kept], theirs.numpy().reshape(-1)[:kept])


def test_resize_in_place_is_refused_where_the_graph_reads_the_tensor():
    leaf = ag.zeros(3, requires_grad=True)
    with pytest.raises(RuntimeError, match=r"resize_: .*shape \(3,\).* leaf that requires grad"):
        leaf.resize_(2, 2)
    with pytest.raises(RuntimeError, match=r"resize_: .*computed by 'multiply'"):
        (leaf * 2).resize_(3)
    with pytest.raises(TypeError, match=r"resize_: sizes must be non-negative ints.*\(2, -1\)"):
        ag.zeros(3).resize_(2, -1)

# ---- detach_: in place, as a hand-written optimizer's zero_grad does it (`p.grad.detach_(); p.grad.zero_()`) ----
def test_detach_in_place_makes_a_recorded_result_a_leaf_without_grad():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    h = x * 3
    assert h.detach_() is h
    assert h.is_leaf and not h.requires_grad and h.grad_fn is None
    np.testing.assert_array_equal(h.numpy(), [3.0, 6.0])  # the value is kept
    h.zero_()  # refused on a recorded result; allowed once detached
    np.testing.assert_array_equal(h.numpy(), [0.0, 0.0])


def test_detach_in_place_of_a_leaf_drops_requires_grad():
    w = ag.tensor([1.0], requires_grad=True)
    assert w.detach_() is w and not w.requires_grad and w.is_leaf
    torch = pytest.importorskip("torch")
    t = torch.tensor([1.0], requires_grad=True)
    assert not t.detach_().requires_grad


@pytest.mark.filterwarnings("ignore:Using backward\\(\\) with create_graph=True")  # (torch's cycle warning)
def test_zero_grad_with_detach_in_place_after_a_create_graph_backward():
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    (w ** 3).sum().backward(create_graph=True)
    assert not w.grad.is_leaf  # 3 w**2, recorded
    w.grad.detach_()
    w.grad.zero_()
    np.testing.assert_array_equal(w.grad.numpy(), [0.0, 0.0])
    (w * w).sum().backward()  # accumulates into the zeroed gradient: 2 w
    np.testing.assert_array_equal(w.grad.numpy(), [2.0, 4.0])
    torch = pytest.importorskip("torch")
    t = torch.tensor([1.0, 2.0], requires_grad=True)
    (t ** 3).sum().backward(create_graph=True)
    t.grad.detach_()
    t.grad.zero_()
    (t * t).sum().backward()
    np.testing.assert_array_equal(t.grad.numpy(), w.grad.numpy())


IN_PLACE_MATH = {"abs": np.abs, "neg": np.negative, "exp": np.exp, "log": np.log, "sqrt": np.sqrt, "sin": np.sin,
                 "cos": np.cos, "tanh": np.tanh}


@pytest.mark.parametrize("name", sorted(IN_PLACE_MATH))
def test_in_place_math_writes_into_the_tensor_and_its_views(name):
    values = np.array([[0.5, 2.0], [3.0, 0.25]], dtype=np.float32)
    t = ag.tensor(values)
    row = t[1]
    assert getattr(row, f"{name}_")() is row
    np.testing.assert_array_equal(t.data, np.stack([values[0], IN_PLACE_MATH[name](values[1])]))
    torch = pytest.importorskip("torch")
    theirs = torch.tensor(values)
    getattr(theirs[1], f"{name}_")()
    np.testing.assert_allclose(t.data, theirs.numpy(), rtol=1e-6)


def test_in_place_math_is_refused_where_pytorch_refuses_it():
    a = ag.tensor(list(range(9)))
    with pytest.raises(TypeError, match=r"^sqrt_: the sqrt of int64 values is float64, which cannot be written into "
                                        r"the Tensor in place"):
        a.sqrt_()
    np.testing.assert_array_equal(a.abs_().data, np.arange(9))  # (abs_ and neg_ keep an integer dtype)
    np.testing.assert_allclose(a.float().sqrt_().data, np.sqrt(np.arange(9.0)), rtol=1e-6)
    w = ag.tensor([1.0, 4.0], requires_grad=True)
    with pytest.raises(RuntimeError, match=r"^sqrt_: a leaf Tensor that requires grad"):
        w.sqrt_()
    doubled = w * 2
    with ag.no_grad():
        doubled.cos_()  # a recorded result under no_grad: changed and counted, as PyTorch's
    assert doubled._version == 1
    with ag.no_grad():
        w.sqrt_()
    np.testing.assert_array_equal(w.data, [1.0, 2.0])
    with pytest.raises(TypeError, match=r"^neg_: not defined for bool Tensors"):
        ag.tensor([True]).neg_()
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        torch.tensor(list(range(9))).sqrt_()


def test_in_place_math_on_a_saved_value_makes_backward_refuse_as_pytorchs():
    w, c = ag.tensor([1.0, 2.0], requires_grad=True), ag.tensor([4.0, 9.0])
    y = (w * c).sum()
    c.sqrt_()
    with pytest.raises(RuntimeError, match=r"was changed in place after the node was recorded"):
        y.backward()



# ---- scatter_ and scatter_add_: ag.scatter and ag.scatter_add written into self ----------------------------------

def test_scatter_with_a_value_makes_the_transforms_tutorials_one_hot_target_in_place():
    for label in range(10):
        target = ag.zeros(10, dtype=ag.float)
        returned = target.scatter_(0, ag.tensor(label), value=1)
        assert returned is target and target.dtype == np.float32
        np.testing.assert_array_equal(target.data, np.eye(10, dtype=np.float32)[label])
    torch = pytest.importorskip("torch")
    theirs = torch.zeros(10, dtype=torch.float).scatter_(0, torch.tensor(3), value=1)
    np.testing.assert_array_equal(ag.zeros(10, dtype=ag.float).scatter_(0, ag.tensor(3), value=1).data,
                                  theirs.numpy())


def test_scatter_and_scatter_add_in_place_write_what_the_out_of_place_forms_return():
    index = ag.tensor([[2, 0], [1, 2]])
    src = ag.tensor([[1.0, 2.0], [3.0, 4.0]])
    t = ag.zeros((2, 3))
    t.scatter_(1, index, src)
    np.testing.assert_array_equal(t.data, [[2.0, 0.0, 1.0], [0.0, 3.0, 4.0]])  # by hand: row i, column index[i][j]
    np.testing.assert_array_equal(t.data, ag.scatter(ag.zeros((2, 3)), 1, index, src).data)
    u = ag.ones(3)
    assert u.scatter_add_(0, ag.tensor([0, 2, 0]), ag.tensor([1.0, 2.0, 3.0])) is u
    np.testing.assert_array_equal(u.data, [5.0, 1.0, 3.0])
    torch = pytest.importorskip("torch")
    theirs = torch.zeros(2, 3, dtype=torch.float64).scatter_(1, torch.tensor(index.data), torch.tensor(src.data))
    np.testing.assert_array_equal(t.data, theirs.numpy())
    theirs = torch.ones(3).scatter_add_(0, torch.tensor([0, 2, 0]), torch.tensor([1.0, 2.0, 3.0]))
    np.testing.assert_array_equal(u.data, theirs.numpy())


def test_scatter_in_place_counts_a_change_so_a_graph_that_saved_the_tensor_refuses_backward():
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    t = ag.tensor([3.0, 4.0])
    y = (w * t).sum()  # saves t for w's gradient
    t.scatter_(0, ag.tensor([0]), value=0.0)
    with pytest.raises(RuntimeError, match="was changed in place after the node was recorded"):
        y.backward()


def test_scatter_in_place_refuses_what_add_in_place_refuses_naming_itself():
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match=r"^scatter_: a leaf Tensor that requires grad .*x = x.scatter\(\.\.\.\)"):
        w.scatter_(0, ag.tensor([1]), value=3.0)
    doubled = w * 2
    with ag.no_grad():
        doubled.scatter_(0, ag.tensor([1]), value=3.0)  # a recorded result under no_grad, as PyTorch's
        assert doubled.tolist()[1] == 3.0
        w.scatter_(0, ag.tensor([1]), value=3.0)  # a parameter's update, as optimizers write it
    np.testing.assert_array_equal(w.data, [1.0, 3.0])
    with pytest.raises(ValueError, match="^scatter"):  # scatter's own checks, before anything is written
        ag.zeros(2).scatter_(0, ag.tensor([[0]]), ag.tensor([1.0]))


# ---- clamp_ and clip_: ag.clamp written into self ----
def test_clamp_in_place_clips_gradients_as_a_pytorch_char_rnn_does():
    w = ag.tensor([[1.0, -2.0], [3.0, 0.5]], requires_grad=True)
    (w ** 3).sum().backward()  # gradient 3 w**2
    grad = w.grad
    assert grad.clamp_(-5, 5) is grad and w.grad is grad
    np.testing.assert_array_equal(grad.data, np.clip(3 * w.data ** 2, -5, 5))
    g = ag.tensor([-7.0, 0.5, 6.0])
    assert g.clip_(max=1.0) is g and g.tolist() == [-7.0, 0.5, 1.0]
    assert g.clamp_(min=ag.tensor([0.0, 1.0, 0.0])).tolist() == [0.0, 1.0, 1.0]  # a Tensor bound, broadcast
    with ag.no_grad():
        assert w.clamp_(0, 1) is w and w.tolist() == [[1.0, 0.0], [1.0, 0.5]] and w.requires_grad
    torch = pytest.importorskip("torch")
    tw = torch.tensor([[1.0, -2.0], [3.0, 0.5]], dtype=torch.float64, requires_grad=True)
    (tw ** 3).sum().backward()
    tw.grad.clamp_(-5, 5)
    np.testing.assert_array_equal(grad.data, tw.grad.numpy())


@pytest.mark.parametrize("call, kind, message", [
    (lambda w: w.clamp_(0, 1), RuntimeError, r"clamp_: a leaf Tensor that requires grad .* x = x.clamp\(...\)"),
    (lambda w: ag.tensor([1, 2]).clamp_(0.5, 1.5), TypeError, r"clamp_: the result's dtype float64 cannot be "
                                                               r"written into a int64 Tensor"),
    (lambda w: ag.ones(2).clamp_(), ValueError, r"clamp: at least one of 'min' or 'max'"),
])
def test_clamp_in_place_refuses_as_pytorch(call, kind, message):
    w = ag.tensor([-1.0, 2.0], requires_grad=True)
    with pytest.raises(kind, match=message):
        call(w)


def test_clamp_in_place_refuses_what_pytorch_refuses():
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        torch.tensor([-1.0, 2.0], requires_grad=True).clamp_(0, 1)
    with pytest.raises(RuntimeError, match="can't be cast"):
        torch.tensor([1, 2]).clamp_(0.5, 1.5)


# ---- clamp_min_, clamp_max_ and lerp_: clamp_min, clamp_max and lerp written into self ----
def test_clamp_min_and_clamp_max_in_place():
    x = ag.tensor([-2.0, 0.5, 7.0])
    assert x.clamp_max_(6.0) is x and x.tolist() == [-2.0, 0.5, 6.0]
    assert x.clamp_min_(ag.tensor([0.0, 1.0, 0.0])) is x and x.tolist() == [0.0, 1.0, 6.0]  # a Tensor bound
    assert ag.tensor([1, 9]).clamp_max_(5).tolist() == [1, 5]  # (an integer bound keeps an integer Tensor)
    torch = pytest.importorskip("torch")
    t = torch.tensor([-2.0, 0.5, 7.0], dtype=torch.float64).clamp_max_(6.0).clamp_min_(torch.tensor([0.0, 1.0, 0.0]))
    np.testing.assert_array_equal(x.data, t.numpy())


def test_lerp_in_place_updates_running_statistics_as_pytorch():
    # fast.ai's BatchNorm from scratch: self.means.lerp_(m, self.mom) under no_grad, m the batch's mean
    x = ag.tensor(RNG_IN_PLACE.standard_normal((6, 3, 2, 2)), requires_grad=True)
    means, mom = ag.zeros((1, 3, 1, 1)), 0.1
    with ag.no_grad():
        m = x.mean((0, 2, 3), keepdims=True)
        assert means.lerp_(m, mom) is means and means.lerp_(m, ag.tensor(0.7)) is means
    first = mom * m.data
    np.testing.assert_array_equal(means.data, m.data - (m.data - first) * (1 - 0.7))  # (weight >= 0.5: 2nd form)
    w = ag.ones(2, requires_grad=True)
    with ag.no_grad():
        w.lerp_(ag.tensor([3.0, 5.0]), ag.tensor([0.5, 0.25]))
    assert w.tolist() == [2.0, 2.0] and w.requires_grad
    torch = pytest.importorskip("torch")
    tm = torch.zeros(1, 3, 1, 1, dtype=torch.float64)
    tx = torch.tensor(x.data)
    tm.lerp_(tx.mean((0, 2, 3), keepdim=True), mom).lerp_(tx.mean((0, 2, 3), keepdim=True),
                                                           torch.tensor(0.7, dtype=torch.float64))
    np.testing.assert_array_equal(means.data, tm.numpy())


def test_lerp_in_place_is_counted_as_a_change():
    w = ag.ones(2, requires_grad=True)
    y = (w * w).sum()
    with ag.no_grad():
        w.lerp_(ag.zeros(2), 0.5)
    with pytest.raises(RuntimeError, match="modified by an inplace operation|changed in place"):
        y.backward()


@pytest.mark.parametrize("call, kind, message", [
    (lambda w: w.clamp_min_(0.0), RuntimeError, r"clamp_min_: a leaf Tensor that requires grad"),
    (lambda w: ag.tensor([1, 2]).clamp_max_(1.5), TypeError, r"clamp_max_: the result's dtype float64 cannot be "
                                                               r"written into a int64 Tensor"),
    (lambda w: w.lerp_(ag.ones(2), 0.5), RuntimeError, r"lerp_: a leaf Tensor that requires grad .* x.lerp\(...\)"),
    (lambda w: ag.zeros(2).lerp_(ag.ones((3, 2)), 0.5), ValueError,
     r"lerp_: the result has shape \(3, 2\), the Tensor shape \(2,\), which an in-place update keeps"),
])
def test_clamp_min_max_and_lerp_in_place_refusals_name_the_way(call, kind, message):
    w = ag.tensor([-1.0, 2.0], requires_grad=True)
    with pytest.raises(kind, match=message):
        call(w)


def test_clamp_max_and_lerp_in_place_refusals_are_pytorchs():
    torch = pytest.importorskip("torch")
    w = torch.tensor([-1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        w.lerp_(torch.ones(2), 0.5)
    with pytest.raises(RuntimeError, match="doesn't match the broadcast shape"):
        torch.zeros(2).lerp_(torch.ones(3, 2), 0.5)


RNG_IN_PLACE = np.random.default_rng(7)


# ---- masked_fill_ ----
def test_masked_fill_in_place_on_constants_and_leaves_under_no_grad():
    mask = ag.tensor([[True, False, True]])
    x = ag.zeros((2, 3))
    assert x.masked_fill_(mask, -ag.inf) is x  # (the mask broadcasts to the Tensor's shape)
    np.testing.assert_array_equal(x.data, [[-np.inf, 0.0, -np.inf]] * 2)
    np.testing.assert_array_equal(ag.zeros(2, dtype=np.uint8).masked_fill_(ag.tensor([True, False]), -1).data,
                                  np.array([255, 0], np.uint8))  # (wraps, as masked_fill and PyTorch's)
    np.testing.assert_array_equal(ag.zeros(2, dtype=np.int64).masked_fill_(ag.tensor([True, False]), 2.7).data, [2, 0])
    w = ag.zeros(3, requires_grad=True)
    y = (w * w).sum()
    with ag.no_grad():
        w.masked_fill_(ag.tensor([False, True, False]), 5.0)
    np.testing.assert_array_equal(w.data, [0.0, 5.0, 0.0])
    with pytest.raises(RuntimeError, match="modified by an inplace operation|changed in place"):
        y.backward()  # (the graph saved w's old values, as PyTorch's version counter refuses it)
    torch = pytest.importorskip("torch")
    t = torch.zeros(2, 3).masked_fill_(torch.tensor([[True, False, True]]), -float("inf"))
    np.testing.assert_array_equal(ag.zeros((2, 3)).masked_fill_(mask, -ag.inf).data, t.numpy())


@pytest.mark.parametrize("call, kind, message", [
    (lambda: ag.zeros(2, requires_grad=True).masked_fill_(ag.tensor([True, False]), 0.0), RuntimeError,
     r"masked_fill_: a leaf Tensor that requires grad .* write x = x.masked_fill\(...\)"),
    (lambda: ag.zeros(2).masked_fill_(ag.tensor([[True, False]]), 1.0), ValueError,
     r"mask of shape \(1, 2\) does not broadcast to the Tensor's shape \(2,\)"),
    (lambda: ag.zeros(2).masked_fill_(ag.tensor([1.0, 0.0]), 1.0), TypeError,
     r"masked_fill_: mask must be a boolean Tensor, got dtype float64; .* write mask.bool\(\)"),
    (lambda: ag.zeros(2).masked_fill(ag.tensor([1, 0]).byte(), 1.0), TypeError,
     r"masked_fill: mask must be a boolean Tensor, got dtype uint8"),
])
def test_masked_fill_in_place_refusals_name_the_way(call, kind, message):
    with pytest.raises(kind, match=message):
        call()


# ---- masked_scatter_ ----
def test_masked_scatter_in_place_writes_sources_entries_in_order():
    x = ag.zeros((2, 3))
    mask = ag.tensor([[True, False, True]])  # (broadcast to the Tensor's shape: 4 entries taken)
    assert x.masked_scatter_(mask, ag.tensor([1.0, 2.0, 3.0, 4.0, 5.0])) is x
    np.testing.assert_array_equal(x.data, [[1.0, 0.0, 2.0], [3.0, 0.0, 4.0]])
    recorded = ag.zeros(2, requires_grad=True) * 1
    with ag.no_grad():
        recorded.masked_scatter_(ag.tensor([True, False]), ag.ones(1))  # as PyTorch's under no_grad
    assert recorded.tolist()[0] == 1.0
    with pytest.raises(ValueError, match=r"masked_scatter_: the result has shape \(2, 2\), the Tensor shape \(2,\)"):
        ag.zeros(2).masked_scatter_(ag.tensor([[True], [False]]), ag.ones(2))
    if torch is not None:
        t = torch.zeros(2, 3).to(torch.float64)
        t.masked_scatter_(torch.tensor([[True, False, True]]), torch.tensor([1.0, 2.0, 3.0, 4.0, 5.0], dtype=t.dtype))
        np.testing.assert_array_equal(x.data, t.numpy())


# ---- index_fill_ ----
def _smoothed_target(lib, log_probs, target, padding_idx, smoothing):
    """The Annotated Transformer's LabelSmoothing target, as it builds it: fill_, scatter_, a column set to 0, and
    index_fill_ on the rows whose target is padding (torch.nonzero's rows, ag.argwhere here, squeezed: a 0-d index
    for one such row)."""
    true_dist = log_probs.detach().clone()
    true_dist.fill_(smoothing / (log_probs.shape[1] - 2))
    true_dist.scatter_(1, target.unsqueeze(1), 1.0 - smoothing)
    true_dist[:, padding_idx] = 0
    rows = lib.argwhere(target == padding_idx)
    if rows.dim() > 0:
        true_dist.index_fill_(0, rows.squeeze(), 0.0)
    return true_dist


@pytest.mark.parametrize("target", [[2, 1, 0, 3, 3], [2, 0, 0, 3, 0], [1, 2, 3, 4, 1]])
def test_index_fill_in_place_clears_label_smoothings_padding_rows(target):
    # the Annotated Transformer's LabelSmoothing raised AttributeError at index_fill_
    x = ag.log(ag.tensor(np.full((5, 5), 0.2), requires_grad=True))
    true_dist = _smoothed_target(ag, x, ag.tensor(target), padding_idx=0, smoothing=0.4)
    expected = np.full((5, 5), 0.4 / 3)
    expected[np.arange(5), target] = 0.6
    expected[:, 0] = 0.0
    expected[np.array(target) == 0] = 0.0
    np.testing.assert_allclose(true_dist.data, expected, rtol=0, atol=1e-15)
    if torch is not None:
        xt = torch.log(torch.full((5, 5), 0.2, dtype=torch.float64, requires_grad=True))
        np.testing.assert_array_equal(true_dist.data, _smoothed_target(torch, xt, torch.tensor(target), 0, 0.4).numpy())


def test_index_fill_in_place_writes_what_index_fill_returns_and_returns_self():
    x = ag.arange(12.0).reshape(3, 4)
    view = x[1]
    expected = x.index_fill(1, ag.tensor([-1, 0]), -2.0).data
    assert x.index_fill_(1, ag.tensor([-1, 0]), -2.0) is x
    np.testing.assert_array_equal(x.data, expected)
    assert view.tolist() == [-2.0, 5.0, 6.0, -2.0]  # (written into the memory its views share)
    w = ag.zeros((2, 2), requires_grad=True)
    y = (w * w).sum()
    with ag.no_grad():
        w.index_fill_(0, ag.tensor(1), 3.0)
    assert w.tolist() == [[0.0, 0.0], [3.0, 3.0]]
    with pytest.raises(RuntimeError, match="modified by an inplace operation|changed in place"):
        y.backward()
    if torch is not None:
        t = torch.arange(12.0, dtype=torch.float64).reshape(3, 4)
        np.testing.assert_array_equal(t.index_fill_(1, torch.tensor([-1, 0]), -2.0).numpy(), x.data)


@pytest.mark.parametrize("call, kind, message", [
    (lambda: ag.zeros(2, requires_grad=True).index_fill_(0, [0], 0.0), RuntimeError,
     r"index_fill_: a leaf Tensor that requires grad .* write x = x.index_fill\(...\)"),
    (lambda: ag.zeros(2).index_fill_(0, [2], 1.0), IndexError, r"index_fill: index out of range"),
])
def test_index_fill_in_place_refusals_name_the_way(call, kind, message):
    with pytest.raises(kind, match=message):
        call()


# ---- copy_: src written into self, broadcast and cast (a DQN target network's soft update under no_grad) ----
def test_copy_in_place_makes_the_soft_target_update_as_pytorch():
    rng = np.random.default_rng(3)
    policy = [rng.standard_normal((3, 2)), rng.standard_normal(3)]
    start = [rng.standard_normal((3, 2)), rng.standard_normal(3)]
    target = [ag.tensor(v, requires_grad=True) for v in start]
    tau = 0.005
    with ag.no_grad():
        for t, p in zip(target, policy):
            assert t.copy_(tau * ag.tensor(p) + (1 - tau) * t) is t
    for t, p, s in zip(target, policy, start):
        np.testing.assert_array_equal(t.data, tau * p + (1 - tau) * s)
        assert t.requires_grad and t.is_leaf
    torch = pytest.importorskip("torch")
    for t, p, s in zip(target, policy, start):
        tt = torch.tensor(s, requires_grad=True)
        with torch.no_grad():
            tt.copy_(tau * torch.tensor(p) + (1 - tau) * tt)
        np.testing.assert_array_equal(t.data, tt.detach().numpy())


def test_copy_in_place_broadcasts_and_casts_to_selfs_dtype_as_pytorch():
    ints = ag.zeros((2, 3), dtype=ag.int64)
    assert ints.copy_(ag.tensor([2.7, -1.5, 3.0])).tolist() == [[2, -1, 3], [2, -1, 3]]  # (truncated, as astype)
    halves = ag.zeros(2, dtype=ag.float32).copy_(np.array([1, 2]), non_blocking=True)
    assert halves.dtype == np.float32 and halves.tolist() == [1.0, 2.0]
    torch = pytest.importorskip("torch")
    assert torch.zeros(2, 3, dtype=torch.int64).copy_(torch.tensor([2.7, -1.5, 3.0])).tolist() == ints.tolist()


def test_copy_in_place_counts_a_change_for_a_graph_that_saved_the_tensor():
    w = ag.ones(2, requires_grad=True)
    y = (w * w).sum()
    with ag.no_grad():
        w.copy_(ag.zeros(2))
    with pytest.raises(RuntimeError, match="modified by an inplace operation|changed in place"):
        y.backward()


@pytest.mark.parametrize("call, kind, message", [
    (lambda w: w.copy_(ag.zeros(2)), RuntimeError, r"copy_: a leaf Tensor that requires grad .* src.expand"),
    (lambda w: ag.zeros(2).copy_(ag.ones(3)), ValueError, r"copy_: cannot update a Tensor of shape \(2,\)"),
    (lambda w: ag.zeros(2).copy_(ag.ones(2), non_blocking="no"), TypeError, r"copy_: non_blocking must be True"),
])
def test_copy_in_place_refusals_name_the_way(call, kind, message):
    w = ag.tensor([-1.0, 2.0], requires_grad=True)
    with pytest.raises(kind, match=message):
        call(w)


def test_copy_in_place_refusals_are_pytorchs():
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        torch.tensor([-1.0, 2.0], requires_grad=True).copy_(torch.zeros(2))
    with pytest.raises(RuntimeError, match="must match the size"):
        torch.zeros(2).copy_(torch.ones(3))


def test_sign_in_place_is_pytorchs():
    x = ag.tensor([-2.5, 0.0, 3.0, -0.0])
    assert x.sign_() is x
    np.testing.assert_array_equal(x.data, [-1.0, 0.0, 1.0, 0.0])
    with pytest.raises(RuntimeError, match="sign_"):
        ag.tensor([1.0], requires_grad=True).sign_()  # a leaf that requires grad, while recording


def test_add_and_sub_take_pytorchs_deprecated_number_first_order_with_its_warning():
    x = ag.tensor([1.0, 2.0])
    with pytest.warns(UserWarning, match=r"This overload of add_ is deprecated:\n\tadd_\(Number alpha, Tensor other\)"):
        assert x.add_(0.5, ag.tensor([2.0, 4.0])) is x  # LAMB's exp_avg.mul_(beta1).add_(1 - beta1, grad)
    np.testing.assert_array_equal(x.data, [2.0, 4.0])
    with pytest.warns(UserWarning, match="This overload of sub_ is deprecated"):
        x.sub_(2, ag.tensor([1.0, 1.0]))
    np.testing.assert_array_equal(x.data, [0.0, 2.0])
    with pytest.raises(TypeError, match=r"add_: takes \(other, \*, alpha=1\), or PyTorch.s deprecated"):
        x.add_(ag.ones(2), ag.ones(2))
    with pytest.raises(TypeError, match="and alpha=3"):
        x.add_(0.5, ag.ones(2), alpha=3)


def test_deprecated_add_order_against_torch():
    torch = pytest.importorskip("torch")
    values = np.array([1.0, -2.0, 3.5])
    with pytest.warns(UserWarning):
        ours = ag.tensor(values.copy()).add_(0.3, ag.tensor(values ** 2)).data
    with warnings.catch_warnings():  # (torch warns once per process, for add_ and add alike)
        warnings.simplefilter("ignore")
        theirs = torch.tensor(values).add_(0.3, torch.tensor(values ** 2)).numpy()
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=5e-16)  # (torch may fuse the multiply-add)
    np.testing.assert_allclose(ours, values + 0.3 * values ** 2, rtol=0, atol=5e-16)


def test_erfinv_in_place_inverts_erf_keeps_the_dtype_and_runs_the_hand_written_truncated_normal():
    values = np.array([0.0, 0.5, -0.9, 0.999, 1.0])
    x = ag.tensor(values.copy())
    assert x.erfinv_() is x
    np.testing.assert_allclose([math.erf(v) for v in x.data[:4]], values[:4], rtol=0, atol=1e-15)
    assert x.data[4] == np.inf
    x32 = ag.tensor([0.25, -0.5], dtype=np.float32).erfinv_()
    assert x32.dtype == np.float32 and abs(x32.data[1] + 0.47693628) < 1e-7
    with pytest.raises(TypeError, match="erfinv_: the erfinv of int64 values is float64"):
        ag.tensor([1, 0]).erfinv_()
    with ag.no_grad():  # SIREN's _no_grad_trunc_normal_ (PyTorch's trunc_normal_ before nn.init had it)
        w = ag.empty((200,), requires_grad=True).uniform_(2 * 0.0227 - 1, 2 * 0.9772 - 1, generator=0)
        w.erfinv_().mul_(0.1 * math.sqrt(2.0)).add_(0.0).clamp_(min=-0.2, max=0.2)
    assert np.all(np.abs(w.data) <= 0.2) and w.requires_grad and w.is_leaf
    torch = pytest.importorskip("torch")
    np.testing.assert_allclose(x.data, torch.tensor(values).erfinv_().numpy(), rtol=1e-15, atol=0)
