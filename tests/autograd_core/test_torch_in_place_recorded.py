"""PyTorch's in-place methods on a recorded result while recording (autograd_core/torch_in_place.py through
in_place_record.take_record): `h = x * 2; h.mul_(3)` is h = (x * 2) * 3, seen through every name for h, with the
out-of-place form's gradients (and PyTorch's, where it is installed); a use of h recorded before the change gets its
gradient at the value it used, a leaf that requires grad is refused at the call, and nothing changes under no_grad.
The operators (`h += 1`) do the same: test_in_place_operators.py."""
import numpy as np
import pytest

import autograd_core as ag
import nn.functional as F

try:  # (optional: the comparisons with PyTorch skip without it)
    import torch
except ImportError:
    torch = None

X = [0.3, -0.6, 0.9, 0.45]
Y = [0.7, 1.3, -0.4, 0.2]
Z = [1.5, -2.0, 0.5, 4.0]
WEIGHTS = [1.0, 2.0, 3.0, 4.0]  # (a weighted sum: each element's gradient differs)


def _new(lib, values, grad=False):
    """A Tensor of lib (ag or torch): float64 for floats, as ag's default."""
    if lib is ag:
        return ag.tensor(values, requires_grad=grad)
    kind = torch.float64 if isinstance(values[0], float) else None
    return torch.tensor(values, dtype=kind, requires_grad=grad)


# (method, its arguments made with new(values, grad=False), its keywords, a shift of h = 1.5 x + shift into the domain)
CASES = [
    ("add_", lambda new: (new(Y, True),), {"alpha": 2.0}, 0.0),
    ("sub_", lambda new: (new(Y, True),), {"alpha": 0.5}, 0.0),
    ("mul_", lambda new: (new(Y, True),), {}, 0.0),
    ("div_", lambda new: (new(Z, True),), {}, 0.0),
    ("abs_", lambda new: (), {}, 0.0),
    ("neg_", lambda new: (), {}, 0.0),
    ("exp_", lambda new: (), {}, 0.0),
    ("log_", lambda new: (), {}, 1.0),
    ("sqrt_", lambda new: (), {}, 1.0),
    ("rsqrt_", lambda new: (), {}, 1.0),  # (found missing by porting PyTorch's test_vmap.py)
    ("sin_", lambda new: (), {}, 0.0),
    ("cos_", lambda new: (), {}, 0.0),
    ("tanh_", lambda new: (), {}, 0.0),
    ("sign_", lambda new: (), {}, 0.0),
    ("erfinv_", lambda new: (), {}, -0.3),
    ("relu_", lambda new: (), {}, 0.0),
    ("masked_fill_", lambda new: (new([True, False, False, True]), 0.5), {}, 0.0),
    ("masked_scatter_", lambda new: (new([False, True, False, True]), new(Y, True)), {}, 0.0),
    ("index_fill_", lambda new: (0, new([1, 3]), 2.0), {}, 0.0),
    ("scatter_", lambda new: (0, new([2, 0]), new(Y[:2], True)), {}, 0.0),
    ("scatter_add_", lambda new: (0, new([2, 0, 2]), new(Y[:3], True)), {}, 0.0),
    ("clamp_", lambda new: (-0.5, 0.5), {}, 0.0),
    ("clip_", lambda new: (-0.5, 0.5), {}, 0.0),
    ("clamp_min_", lambda new: (0.0,), {}, 0.0),
    ("clamp_max_", lambda new: (0.4,), {}, 0.0),
    ("lerp_", lambda new: (new(Y, True), 0.3), {}, 0.0),
    ("addcmul_", lambda new: (new(Y, True), new(Z)), {"value": 0.5}, 0.0),
    ("addcdiv_", lambda new: (new(Y, True), new(Z, True)), {"value": -2.0}, 0.0),
]


def _run(lib, name, make_args, kwargs, shift, in_place):
    """h = 1.5 x + shift, then h.<name>(...) in place (or its out-of-place form); the values and the gradients of
    sum(weights * h) as arrays: x's, then each operand's that requires grad."""
    new = lambda values, grad=False: _new(lib, values, grad)  # noqa: E731
    x = new(X, True)
    args = make_args(new)
    h = x * 1.5 + shift
    alias = h
    if in_place:
        assert getattr(h, name)(*args, **kwargs) is h
        result = alias  # (every name for h sees the change)
    else:
        result = getattr(h, name[:-1])(*args, **kwargs)
    (result * new(WEIGHTS)).sum().backward()
    grads = [x.grad] + [a.grad for a in args if hasattr(a, "requires_grad") and a.requires_grad]
    as_array = (lambda t: np.asarray(t.data)) if lib is ag else (lambda t: t.detach().numpy())
    return as_array(result), [as_array(g) for g in grads]


@pytest.mark.parametrize("name, make_args, kwargs, shift", CASES, ids=[case[0] for case in CASES])
def test_in_place_method_on_a_recorded_result_has_the_out_of_place_values_and_gradients(name, make_args, kwargs,
                                                                                         shift):
    value, grads = _run(ag, name, make_args, kwargs, shift, in_place=True)
    expected_value, expected_grads = _run(ag, name, make_args, kwargs, shift, in_place=False)
    np.testing.assert_allclose(value, expected_value, rtol=1e-13, atol=1e-15)
    assert len(grads) == len(expected_grads)
    for ours, reference in zip(grads, expected_grads):
        np.testing.assert_allclose(ours, reference, rtol=1e-13, atol=1e-15)
    if torch is not None:
        torch_value, torch_grads = _run(torch, name, make_args, kwargs, shift, in_place=True)
        np.testing.assert_allclose(value, torch_value, rtol=1e-12, atol=1e-14)
        for ours, theirs in zip(grads, torch_grads):
            np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-14)


def test_a_chain_of_in_place_methods_is_the_out_of_place_chain_as_in_pytorch():
    x = ag.tensor(X, requires_grad=True)
    h = x * 2
    names = [h]
    assert h.mul_(3).clamp_(0, 4) is h
    np.testing.assert_allclose(names[0].data, np.clip(np.array(X) * 6, 0, 4))
    h.sum().backward()
    np.testing.assert_array_equal(x.grad.data, [6.0, 0.0, 0.0, 6.0])  # (6x inside (0, 4) at 0.3 and 0.45 only)
    if torch is not None:
        tx = torch.tensor(X, dtype=torch.float64, requires_grad=True)
        th = tx * 2
        th.mul_(3)
        th.clamp_(0, 4)
        th.sum().backward()
        np.testing.assert_array_equal(x.grad.data, tx.grad.numpy())
        np.testing.assert_array_equal(h.data, th.detach().numpy())


def test_every_name_for_the_tensor_sees_the_new_value_and_history():
    x = ag.tensor(X, requires_grad=True)
    h = x * 2
    held = {"h": h}
    skip = h
    h.relu_()  # a residual block's first relu_: skip + block(h) adds relu(h), as in PyTorch
    assert held["h"] is h and skip is h and h.grad_fn is not None
    np.testing.assert_array_equal(skip.data, np.maximum(np.array(X) * 2, 0))
    (skip + h * 2).sum().backward()
    np.testing.assert_array_equal(x.grad.data, np.where(np.array(X) > 0, 6.0, 0.0))


def test_a_use_recorded_before_the_change_gets_the_gradient_of_the_value_it_used():
    # the earlier use's gradient goes to the record h had then, as PyTorch's edge to the old grad_fn; where its rule
    # reads h (h * h), PyTorch refuses (the saved value was overwritten), here the old value is still the record's
    x = ag.tensor(X, requires_grad=True)
    h = x * 2
    shifted, squared = h + 5.0, h * h  # used h before the change
    h.add_(1.0).mul_(3.0)
    (shifted.sum() + squared.sum() * 0.5 + h.sum()).backward()
    np.testing.assert_allclose(x.grad.data, 2 * (1 + 2 * np.array(X) + 3), rtol=1e-15)  # d/dx: 2 (1 + h + 3)
    if torch is not None:
        tx = torch.tensor(X, dtype=torch.float64, requires_grad=True)
        th = tx * 2
        tshifted = th + 5.0
        th.add_(1.0).mul_(3.0)
        (tshifted.sum() + th.sum()).backward()
        x.grad = None
        h = x * 2
        shifted = h + 5.0
        h.add_(1.0).mul_(3.0)
        (shifted.sum() + h.sum()).backward()
        np.testing.assert_allclose(x.grad.data, tx.grad.numpy(), rtol=1e-15)


def test_uses_between_several_changes_each_get_the_record_they_used():
    def run(lib):
        x = lib.tensor(X, dtype=lib.float64, requires_grad=True)
        h = x * 2
        first = h * 1.0  # h = 2x
        h.add_(1.0)
        second = h * 10.0  # h = 2x + 1
        h.mul_(3.0)
        (first.sum() + second.sum() + h.sum() * 100).backward()  # h = 3 (2x + 1)
        return x.grad
    np.testing.assert_array_equal(run(ag).data, np.full(len(X), 2.0 + 20.0 + 600.0))
    if torch is not None:
        np.testing.assert_array_equal(run(ag).data, run(torch).numpy())


@pytest.mark.parametrize("call", [lambda w: w.mul_(2), lambda w: w.exp_(), lambda w: w.relu_(),
                                  lambda w: w.clamp_(0, 1), lambda w: w.copy_(ag.zeros(4))])
def test_a_leaf_that_requires_grad_is_refused_while_recording_as_pytorchs(call):
    w = ag.tensor(X, requires_grad=True)
    with pytest.raises(RuntimeError, match=r"a leaf Tensor that requires grad \(shape \(4,\)\) cannot be updated in "
                                           r"place .*ag.no_grad"):
        call(w)
    np.testing.assert_array_equal(w.data, X)
    assert w.grad_fn is None and w.is_leaf
    if torch is not None:
        with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
            torch.tensor(X, requires_grad=True).mul_(2)


def test_a_constant_takes_the_record_when_the_other_operand_requires_grad_as_pytorchs():
    w = ag.tensor(Y, requires_grad=True)
    buffer = ag.zeros((2, 4))
    assert buffer.copy_(w).mul_(w) is buffer  # broadcast: each row w * w
    assert buffer.requires_grad and not buffer.is_leaf
    np.testing.assert_allclose(buffer.data, np.tile(np.array(Y) ** 2, (2, 1)))
    buffer.sum().backward()
    np.testing.assert_allclose(w.grad.data, 4 * np.array(Y))  # two rows of d(w**2)/dw
    if torch is not None:
        tw = torch.tensor(Y, dtype=torch.float64, requires_grad=True)
        tbuffer = torch.zeros((2, 4), dtype=torch.float64)
        tbuffer.copy_(tw).mul_(tw)
        tbuffer.sum().backward()
        np.testing.assert_allclose(w.grad.data, tw.grad.numpy(), rtol=1e-15)


@pytest.mark.parametrize("create_graph", [False, True])
def test_a_constant_an_earlier_node_read_then_taking_a_record_is_refused_at_backward_as_pytorchs(create_graph):
    # the multiply saved c at version 0; c.add_(v) makes c a recorded node (its version that of the new record): its
    # later creation number tells, where the create_graph pass would otherwise read c's new value ([8, 11])
    w, v = ag.tensor([1.0, 2.0], requires_grad=True), ag.tensor([5.0, 7.0], requires_grad=True)
    c = ag.tensor([3.0, 4.0])
    y = w * c
    c.add_(v)
    with pytest.raises(RuntimeError, match=r"'multiply' node saved for its gradient, an input that does not require "
                                           r"grad \(shape \(2,\)\), was changed in place"):
        ag.autograd.grad(y.sum(), w, create_graph=create_graph)
    if torch is not None:
        tw, tv = torch.tensor([1.0, 2.0], requires_grad=True), torch.tensor([5.0, 7.0], requires_grad=True)
        tc = torch.tensor([3.0, 4.0])
        ty = tw * tc
        tc.add_(tv)
        with pytest.raises(RuntimeError, match="modified by an inplace operation"):
            torch.autograd.grad(ty.sum(), tw, create_graph=create_graph)


def test_fill_and_copy_on_a_recorded_result_give_its_history_a_zero_gradient_as_pytorchs():
    x, src = ag.tensor(X, requires_grad=True), ag.tensor(2.5, requires_grad=True)
    h, g = x * 2, x * 3
    h.fill_(3.0)
    g.copy_(src)
    assert h.requires_grad and h.tolist() == [3.0] * 4 and g.tolist() == [2.5] * 4
    (h + g).sum().backward()
    np.testing.assert_array_equal(x.grad.data, np.zeros(4))
    assert src.grad.item() == 4.0  # (broadcast to four elements)
    if torch is not None:
        tx, tsrc = torch.tensor(X, dtype=torch.float64, requires_grad=True), torch.tensor(2.5, requires_grad=True)
        th, tg = tx * 2, tx * 3
        th.fill_(3.0)
        tg.copy_(tsrc)
        (th + tg).sum().backward()
        np.testing.assert_array_equal(x.grad.data, tx.grad.numpy())
        assert src.grad.item() == tsrc.grad.item()


def test_the_tensor_keeps_its_dtype_and_shape():
    x = ag.tensor(X, requires_grad=True)
    h = x.float() * 2
    h.mul_(ag.tensor(Y, requires_grad=True))  # a float64 operand: the float32 Tensor stays float32, as PyTorch's
    assert h.dtype == np.float32
    np.testing.assert_allclose(h.data, (np.array(X, np.float32) * 2) * np.array(Y), rtol=1e-6)
    with pytest.raises(ValueError, match=r"^mul_: cannot update a Tensor of shape \(4,\) .* value of shape \(3, 4\)"):
        (x * 2).mul_(ag.ones((3, 4), requires_grad=True))
    with pytest.raises(TypeError, match=r"^sqrt_: the sqrt of int64 values is float64"):
        ag.tensor([1, 4]).sqrt_()


def test_a_tensor_with_a_view_is_changed_with_it_and_one_retaining_its_gradient_keeps_retaining_it():
    x = ag.tensor(X, requires_grad=True)
    h = x * 2
    view = h[:2]
    assert h.mul_(2) is h  # the view sees it, as PyTorch's (test_in_place_views.py)
    assert view.tolist() == h.tolist()[:2] == [1.2, -2.4]
    g = x * 2
    g.retain_grad()
    assert g.exp_() is g  # its .grad is the gradient at its new value, exp(2x), as PyTorch's
    (g * g).sum().backward()
    np.testing.assert_allclose(g.grad.data, 2 * np.exp(2 * np.array(X)))
    np.testing.assert_allclose(x.grad.data, 4 * np.exp(4 * np.array(X)))


def test_the_operators_change_the_tensor_itself_as_the_methods():
    x = ag.tensor(X, requires_grad=True)
    h = x * 2
    before = h
    h += 1  # `x op= y` while recording: h itself takes the record of h + 1, as PyTorch's
    assert h is before and before.op_name == "add"
    np.testing.assert_allclose(before.data, 2 * np.array(X) + 1)


def test_under_no_grad_the_array_is_written_and_counted():
    p, g = ag.tensor(X, requires_grad=True), ag.tensor(Y)
    array, version = p.data, p._version
    with ag.no_grad():
        assert p.sub_(0.1 * g) is p  # an optimizer's update: written into the array, counted
    assert p.data is array and p._version == version + 1 and p.is_leaf and p.requires_grad
    np.testing.assert_allclose(p.data, np.array(X) - 0.1 * np.array(Y))
    h = p * 2
    array = h.data
    with ag.no_grad():
        assert h.mul_(3) is h  # a recorded result, as PyTorch's: its record stays, the gradient passes by the change
    assert h.data is array and h._version == 1 and h.grad_fn is not None
    constant = ag.tensor(X)
    constant.clamp_(0, 0.5)  # (recording on, nothing requires grad: written into the array)
    assert constant.tolist() == [0.3, 0.0, 0.5, 0.45] and constant.grad_fn is None


def test_relu_in_place_as_a_method_a_function_and_in_nn_functional():
    t = ag.tensor([-1.0, 0.0, 2.0])
    array = t.data
    assert t.relu_() is t and t.data is array and t.tolist() == [0.0, 0.0, 2.0]
    i = ag.tensor([-3, 4])
    assert ag.relu_(i) is i and i.tolist() == [0, 4] and i.dtype == np.int64  # (an integer Tensor stays one)
    x = ag.tensor(X, requires_grad=True)
    h = x * 2
    assert F.relu_(h) is h and h.grad_fn is not None
    h.sum().backward()
    np.testing.assert_array_equal(x.grad.data, np.where(np.array(X) > 0, 2.0, 0.0))
    with pytest.raises(TypeError, match=r"^relu_: the input must be a Tensor .* got ndarray"):
        ag.relu_(np.zeros(2))
    if torch is not None:
        tx = torch.tensor(X, dtype=torch.float64, requires_grad=True)
        th = tx * 2
        torch.nn.functional.relu_(th)
        th.sum().backward()
        np.testing.assert_array_equal(x.grad.data, tx.grad.numpy())


def test_clamp_min_and_clamp_max_in_place_functions_as_torchs():  # (found missing by porting PyTorch's test_vmap.py)
    t = ag.tensor(X)
    assert ag.clamp_min_(t, 0.4) is t and t.tolist() == [0.4, 0.4, 0.9, 0.45]
    assert ag.clamp_max_(t, 0.5) is t and t.tolist() == [0.4, 0.4, 0.5, 0.45]
    with pytest.raises(TypeError, match=r"^clamp_max_: the input must be a Tensor .* got ndarray"):
        ag.clamp_max_(np.zeros(2), 0.0)
    if torch is not None:
        tt = torch.tensor(X, dtype=torch.float64)
        torch.clamp_max_(torch.clamp_min_(tt, 0.4), 0.5)
        np.testing.assert_array_equal(t.data, tt.numpy())
