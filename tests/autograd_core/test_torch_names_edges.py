"""PyTorch's names for Tensor methods (autograd_core/torch_names.py; test_torch_names.py has the rest) that code
written for a device or for torch's iteration reads: t.device, the CPU's name as NumPy 2 gives it, and reversed(t),
the rows in reverse order as one Tensor (d2l.ai's bidirectional RNN from scratch, `self.b_rnn(reversed(inputs))`),
and torch.tril/triu's diagonal= with the methods t.tril/t.triu (a causal mask built as nanoGPT's), and the in-place
elementwise functions t.sqrt_() and the like (the book "Deep Learning with PyTorch", ch. 3's exercise)."""
import numpy as np
import pytest

import autograd_core as ag
import nn


def test_device_is_the_cpu_as_numpy_names_it():
    x = ag.ones((2, 3), requires_grad=True)
    assert x.device == "cpu" == np.ones(2).device  # (NumPy 2's ndarray.device)
    assert (2 * x).device == "cpu" and nn.Parameter(ag.zeros(2)).device == "cpu"


def test_code_written_for_a_device_runs_unchanged():
    # d2l.ai: torch.zeros(shape, device=X.device), t.to(X.device), `if a.device != X.device`
    x = ag.ones((2, 3))
    assert ag.zeros((3, 4), device=x.device).shape == (3, 4)
    assert ag.arange(4, dtype=np.float32, device=x.device).dtype == np.float32
    assert x.to(x.device) is x and not (x.device != ag.zeros(1).device)


def test_device_matches_torch_by_name():
    torch = pytest.importorskip("torch")
    assert str(torch.ones(2).device) == ag.ones(2).device


def test_reversed_gives_the_rows_in_reverse_order_as_one_tensor():
    x = ag.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], requires_grad=True)
    r = reversed(x)
    assert isinstance(r, ag.Tensor) and r.tolist() == [[5.0, 6.0], [3.0, 4.0], [1.0, 2.0]]
    assert [row.tolist() for row in reversed(x)] == [row.tolist() for row in reversed(list(x))]  # as NumPy iterates
    (r * ag.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [[5.0, 6.0], [3.0, 4.0], [1.0, 2.0]])  # each row's weight, reversed
    assert reversed(ag.tensor(3.0)).item() == 3.0  # a 0-d Tensor is itself, as PyTorch's


def test_reversed_matches_torch():
    torch = pytest.importorskip("torch")
    x = np.arange(24.0).reshape(2, 3, 4)
    np.testing.assert_array_equal(reversed(ag.tensor(x)).data, reversed(torch.tensor(x)).numpy())
    assert reversed(ag.tensor(x)).shape == tuple(reversed(torch.tensor(x)).shape)


@pytest.mark.parametrize("name", ["tril", "triu"])
@pytest.mark.parametrize("diagonal", [-1, 0, 2])
def test_tril_and_triu_take_pytorchs_diagonal_as_keyword_and_as_methods(name, diagonal):
    values = np.arange(1.0, 25.0).reshape(2, 3, 4)
    reference = getattr(np, name)(values, diagonal)
    function, x = getattr(ag, name), ag.tensor(values, requires_grad=True)
    for out in (function(x, diagonal=diagonal), getattr(x, name)(diagonal), getattr(x, name)(diagonal=diagonal)):
        np.testing.assert_array_equal(out.data, reference)
    cotangent = np.random.default_rng(0).standard_normal((2, 3, 4))
    getattr(x, name)(diagonal=diagonal).backward(cotangent)
    np.testing.assert_array_equal(x.grad.data, getattr(np, name)(cotangent, diagonal))  # masked as the values
    np.testing.assert_array_equal(getattr(x, name)().data, getattr(np, name)(values))
    torch = pytest.importorskip("torch")
    np.testing.assert_array_equal(out.data, getattr(torch, name)(torch.tensor(values), diagonal=diagonal).numpy())


def test_tril_refuses_the_diagonal_given_twice():
    with pytest.raises(TypeError, match=r"tril: got the diagonal twice, k=1 and diagonal=2; give one"):
        ag.tril(ag.ones((3, 3)), 1, diagonal=2)


def test_a_causal_mask_built_as_nanogpts_keeps_attention_to_the_left():
    block_size, length = 4, 3  # register_buffer("bias", torch.tril(torch.ones(...)).view(1, 1, T, T))
    mask = ag.ones((block_size, block_size)).tril().view(1, 1, block_size, block_size)
    scores = ag.zeros((1, 1, length, length)).masked_fill(mask[:, :, :length, :length] == 0, float("-inf"))
    np.testing.assert_array_equal(ag.softmax(scores, axis=-1).data[0, 0],
                                  [[1, 0, 0], [0.5, 0.5, 0], [1 / 3, 1 / 3, 1 / 3]])


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
    with pytest.raises(RuntimeError, match=r"^cos_: this Tensor was computed by 'multiply' in a recorded graph"):
        (w * 2).cos_()
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


CASTS = [("float", np.float32), ("double", np.float64), ("half", np.float16), ("long", np.int64),
         ("int", np.int32), ("short", np.int16), ("bool", np.bool_)]


@pytest.mark.parametrize("method, dtype", CASTS)
def test_a_cast_to_the_dtype_a_tensor_has_is_the_tensor_itself(method, dtype):
    x = ag.zeros(3, dtype=dtype)
    assert getattr(x, method)() is x and x.type_as(ag.ones(1, dtype=dtype)) is x
    other = np.float64 if dtype != np.float64 else np.float32
    converted = getattr(ag.zeros(3, dtype=other), method)()
    assert converted.dtype == dtype  # a cast that changes the dtype still converts


def test_casts_return_self_as_torch_does():
    torch = pytest.importorskip("torch")
    for method, dtype in CASTS:
        ours, theirs = ag.zeros(2, dtype=dtype), torch.from_numpy(np.zeros(2, dtype=dtype))
        assert (getattr(ours, method)() is ours) == (getattr(theirs, method)() is theirs) is True


def test_a_double_input_stays_the_leaf_grad_differentiates_to():
    # a PINN's inputs, as its PyTorch ports write them: torch.tensor(X[:, 0:1], requires_grad=True).double(), then
    # u_x = grad(u, x, create_graph=True) after each loss.backward() that frees the graph (raised before: the freed
    # record of the cast node between x and the array)
    x = ag.tensor(np.array([[0.5], [-1.0]]), requires_grad=True).double()
    assert x.requires_grad and x.grad_fn is None
    for _ in range(2):
        u = ag.tanh(x) * x
        (u_x,) = ag.autograd.grad(u, x, grad_outputs=ag.ones_like(u), create_graph=True)
        loss = (u_x ** 2).mean()
        loss.backward()
        np.testing.assert_allclose(u_x.data, np.tanh(x.data) + x.data / np.cosh(x.data) ** 2, rtol=1e-12)


# add/sub's alpha= scales other as an array: alpha * [1.0] would have repeated the list, so x.sub([1.0], alpha=3) took
# 1, not 3, from each entry (PyTorch refuses a list; NumPy reads it as an array, as here)
@pytest.mark.parametrize("name", ["add", "sub", "add_", "sub_"])
def test_alpha_scales_a_list_as_an_array(name):
    x = ag.tensor([5.0, 1.0, 0.0])
    result = getattr(x, name)([1.0], alpha=3)
    sign = 1 if name.startswith("add") else -1
    np.testing.assert_array_equal(result.data, np.array([5.0, 1.0, 0.0]) + sign * 3 * np.array([1.0]))
    assert (result is x) == name.endswith("_")
