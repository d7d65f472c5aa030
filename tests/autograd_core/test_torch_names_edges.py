"""PyTorch's names for Tensor methods (autograd_core/torch_names.py; test_torch_names.py has the rest) that code
written for a device or for torch's iteration reads: t.device, the CPU's name as NumPy 2 gives it, and reversed(t),
the rows in reverse order as one Tensor (d2l.ai's bidirectional RNN from scratch, `self.b_rnn(reversed(inputs))`),
and torch.tril/triu's diagonal= with the methods t.tril/t.triu (a causal mask built as nanoGPT's), the casts to a
Tensor's own dtype, the legacy t.new (K-FAC's `a.new(a.size(0), 1).fill_(1)`), and t.contiguous()'s copy with
memory of its own (deepspeech.pytorch's Lookahead: `.transpose(1, 2).transpose(0, 1).contiguous()`, then
Hardtanh(inplace=True)), and to(memory_format=) (Pytorch-UNet's images.to(..., memory_format=...)); then the
errors of PyTorch's shape methods, each a ValueError and PyTorch's RuntimeError, permute's dims checked, and
t.tile's counts one by one (from PyTorch's test_shape_ops and its shape functions)."""
import warnings

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


def test_unique_method_takes_pytorchs_arguments():
    # Step-by-Step's balanced sampler: classes, counts = y.unique(return_counts=True)
    y = ag.tensor([[0.0], [1.0], [1.0], [1.0], [0.0]])
    values, counts = y.unique(return_counts=True)
    assert values.tolist() == [0.0, 1.0] and counts.tolist() == [2, 3] and counts.dtype == np.int64
    values, inverse = y.unique(True, True)  # (sorted, return_inverse), PyTorch's order
    np.testing.assert_array_equal(values.numpy()[inverse.numpy()].reshape(y.shape), y.numpy())
    rows = ag.tensor([[1.0, 2.0], [0.0, 1.0], [1.0, 2.0]]).unique(dim=0)
    assert rows.tolist() == [[0.0, 1.0], [1.0, 2.0]]
    torch = pytest.importorskip("torch")
    t_values, t_counts = torch.tensor(y.numpy()).unique(return_counts=True)
    assert values.tolist() == t_values.tolist() and counts.tolist() == t_counts.tolist()
    assert rows.tolist() == torch.tensor([[1.0, 2.0], [0.0, 1.0], [1.0, 2.0]]).unique(dim=0).tolist()


def test_unique_method_gradient_reaches_first_occurrences():
    x = ag.tensor([3.0, 1.0, 3.0], requires_grad=True)
    (x.unique() * ag.tensor([10.0, 20.0])).sum().backward()
    assert x.grad.tolist() == [20.0, 10.0, 0.0]


def test_legacy_new_makes_sizes_or_data_in_the_tensors_dtype():
    x = ag.tensor([1.0, 2.0], dtype=np.float32)
    ones = x.new(3, 1).fill_(1)  # K-FAC's column of ones beside the activations
    assert ones.dtype == np.float32 and ones.tolist() == [[1.0], [1.0], [1.0]] and not ones.requires_grad
    assert x.new(ag.Size([2, 3])).shape == (2, 3) and x.new(np.int64(2)).shape == (2,)
    assert x.new().shape == (0,) and x.new().dtype == np.float32
    data = x.new((2, 3))  # a tuple is data, as in PyTorch
    assert data.dtype == np.float32 and data.tolist() == [2.0, 3.0]
    assert x.new([[1, 2]]).shape == (1, 2) and x.new(np.array([4.0])).tolist() == [4.0]


def test_legacy_new_of_a_tensor_shares_its_memory_and_refuses_another_dtype():
    other = ag.tensor([5.0, 6.0], requires_grad=True)
    alias = ag.tensor([1.0]).new(other * 1)
    assert alias.requires_grad is False and alias.tolist() == [5.0, 6.0]
    source = ag.tensor([5.0, 6.0])
    shared = ag.tensor([1.0]).new(source)
    shared[0] = 9.0
    assert source.tolist() == [9.0, 6.0]
    with pytest.raises(TypeError, match=r"new: the Tensor given is int64, self is float64.*other.to\(self.dtype\)"):
        ag.tensor([1.0]).new(ag.tensor([1, 2]))
    with pytest.raises(TypeError, match="new: takes sizes"):
        ag.tensor([1.0]).new([1.0], [2.0])


def test_legacy_new_matches_torch():
    torch = pytest.importorskip("torch")
    ours, theirs = ag.tensor([1.0], dtype=np.float32), torch.tensor([1.0])
    for args in ((2, 3), ([1, 2],), ((2, 3),), ()):
        made, expected = ours.new(*args), theirs.new(*args)
        assert made.shape == tuple(expected.shape) and made.dtype == np.float32
        if args and not all(isinstance(a, int) for a in args):
            np.testing.assert_array_equal(made.data, expected.numpy())


def test_contiguous_copy_owns_its_memory_so_an_in_place_activation_may_follow():
    # deepspeech.pytorch's Lookahead: x.transpose(1, 2).transpose(0, 1).contiguous(), then nn.Hardtanh(0, 20,
    # inplace=True); PyTorch's contiguous() of a strided Tensor is a new Tensor that no other Tensor views
    values = np.array([[[-1.0, 2.0, 30.0], [4.0, -5.0, 6.0]]])
    x = ag.tensor(values, requires_grad=True)
    y = (x * 2).transpose(1, 2).transpose(0, 1).contiguous()
    assert y.data.flags.c_contiguous and y.data.base is None
    out = nn.Hardtanh(0, 20, inplace=True)(y)
    assert out is y
    (out * ag.arange(6.0).reshape(3, 1, 2)).sum().backward()
    doubled = (2 * values).transpose(2, 0, 1)
    np.testing.assert_array_equal(out.data, np.clip(doubled, 0, 20))
    slope = np.where((doubled > 0) & (doubled < 20), 2.0, 0.0) * np.arange(6.0).reshape(3, 1, 2)
    np.testing.assert_array_equal(x.grad.data, slope.transpose(1, 2, 0))
    torch = pytest.importorskip("torch")
    theirs_x = torch.tensor(values, requires_grad=True)
    theirs = torch.nn.Hardtanh(0, 20, inplace=True)((theirs_x * 2).transpose(1, 2).transpose(0, 1).contiguous())
    (theirs * torch.arange(6.0, dtype=torch.float64).reshape(3, 1, 2)).sum().backward()
    np.testing.assert_array_equal(out.data, theirs.detach().numpy())
    np.testing.assert_array_equal(x.grad.data, theirs_x.grad.numpy())


def test_to_memory_format_gives_a_c_ordered_result_or_keeps_the_layout_as_torch():
    # Pytorch-UNet's images.to(device=device, dtype=torch.float32, memory_format=...)
    x = ag.tensor(np.arange(6.0).reshape(2, 3), requires_grad=True)
    strided = x.T
    assert not strided.data.flags.c_contiguous
    assert strided.to(memory_format=ag.preserve_format) is strided
    out = strided.to(device="cpu", dtype=np.float32, memory_format=ag.contiguous_format)
    assert out.dtype == np.float32 and out.data.flags.c_contiguous
    np.testing.assert_array_equal(out.data, np.arange(6.0, dtype=np.float32).reshape(2, 3).T)
    (out * ag.tensor(np.arange(6.0, dtype=np.float32).reshape(3, 2))).sum().backward()
    np.testing.assert_array_equal(x.grad.data, np.arange(6.0).reshape(3, 2).T)  # each entry's weight, back in place
    c_ordered = ag.ones((2, 3))
    assert c_ordered.to(memory_format=ag.contiguous_format) is c_ordered  # (nothing to change: itself, as torch's)
    with pytest.raises(TypeError, match=r"to: memory_format must be ag.preserve_format or ag.contiguous_format"):
        x.to(memory_format="channels_last")
    torch = pytest.importorskip("torch")
    theirs = torch.arange(6.0, dtype=torch.float64).reshape(2, 3).T
    same = theirs.to(device="cpu", dtype=torch.float32, memory_format=torch.contiguous_format)
    assert same.is_contiguous() and np.array_equal(same.numpy(), out.data)
    kept = torch.ones(2, 3)
    assert kept.to(memory_format=torch.contiguous_format) is kept


def test_add_and_sub_take_pytorchs_deprecated_number_first_order_with_its_warning():
    # DARTS' architect: dt.add(weight_decay, theta) and theta.sub(eta, moment + dtheta)
    x, y = ag.tensor([1.0, 2.0], requires_grad=True), ag.tensor([2.0, 4.0])
    with pytest.warns(UserWarning, match=r"This overload of add is deprecated:\n\tadd\(Number alpha, Tensor other\)"):
        added = x.add(0.5, y)
    np.testing.assert_array_equal(added.data, [2.0, 4.0])
    added.sum().backward()
    np.testing.assert_array_equal(x.grad.data, [1.0, 1.0])
    with pytest.warns(UserWarning, match=r"This overload of sub is deprecated"):
        np.testing.assert_array_equal(x.sub(ag.tensor(2.0), y).data, [-3.0, -6.0])  # a 0-d Tensor as the number
    with pytest.raises(TypeError, match=r"sub: takes \(other, \*, alpha=1\), or PyTorch.s deprecated"):
        x.sub(y, y)
    with pytest.raises(TypeError, match="and alpha=3"):
        x.add(0.5, y, alpha=3)


def test_deprecated_add_and_sub_order_against_torch():
    torch = pytest.importorskip("torch")
    a, b = np.array([1.0, -2.0, 3.5]), np.array([0.25, 4.0, -1.0])
    for name in ("add", "sub"):
        with pytest.warns(UserWarning):
            ours = getattr(ag.tensor(a), name)(0.3, ag.tensor(b)).data
        with warnings.catch_warnings():  # (torch warns once per process, for add_ and add alike)
            warnings.simplefilter("ignore")
            theirs = getattr(torch.tensor(a), name)(0.3, torch.tensor(b)).numpy()
        np.testing.assert_allclose(ours, theirs, rtol=0, atol=5e-16)  # (torch may fuse the multiply-add)
        np.testing.assert_allclose(ours, a + 0.3 * b if name == "add" else a - 0.3 * b, rtol=0, atol=5e-16)


@pytest.mark.parametrize("offset", [0, 1, -2])
def test_diagflat_method_as_pytorchs(offset):
    values = np.array([[1.0, 2.0], [3.0, 4.0]])
    x = ag.tensor(values, requires_grad=True)
    out = x.diagflat(offset)
    np.testing.assert_array_equal(out.data, np.diagflat(values, offset))
    cotangent = np.arange(float(out.size)).reshape(out.shape)
    out.backward(cotangent)
    np.testing.assert_array_equal(x.grad.data, np.diagonal(cotangent, offset).reshape(2, 2))  # the diagonal read back
    torch = pytest.importorskip("torch")
    np.testing.assert_array_equal(out.data, torch.tensor(values).diagflat(offset).numpy())


def test_H_and_mH_of_real_matrices_are_their_transposes_as_torchs():
    # found by a port of PyTorch's test/test_view_ops.py (test_T_view, test_transposes): views, as .T and .mT
    a = ag.ones((5, 5))
    for op in ("H", "mH"):
        v = getattr(a, op)
        assert np.shares_memory(v.data, a.data)
        v[0, 1] = 0.0
        assert float(a[1, 0]) == 0.0
    b = ag.randn(2, 3, 4)
    np.testing.assert_array_equal(b.mH.data, np.swapaxes(b.data, -1, -2))
    np.testing.assert_array_equal(b[0].H.data, b.data[0].T)
    assert ag.tensor(5.0).H.shape == ()
    for shape in ((2,), (2, 3, 4)):  # torch: "only supported on matrices"
        with pytest.raises(ValueError, match=r"H: only a matrix \(2-D\)"):
            ag.zeros(shape).H



def test_mT_and_mH_of_a_vector_are_refused_and_of_a_scalar_are_a_view_of_it_as_torchs():
    # the last-two-axes swap gave NumPy's "axis -2 is out of bounds" for a vector and for a 0-d Tensor
    from autograd_core.tensor_methods import MatrixShapeError
    scalar = ag.tensor(3.0, requires_grad=True)
    for name in ("mT", "mH"):
        with pytest.raises(MatrixShapeError, match=rf"{name}: only matrices .* got shape \(3,\)"):
            getattr(ag.zeros(3), name)
        view = getattr(scalar, name)
        assert view.shape == () and np.shares_memory(view.data, scalar.data)
        view.backward()
        assert float(scalar.grad) == 1.0
        scalar.grad = None
    assert issubclass(MatrixShapeError, ValueError) and issubclass(MatrixShapeError, RuntimeError)
    torch = pytest.importorskip("torch")
    for name in ("mT", "mH"):
        with pytest.raises(RuntimeError, match="only supported on matrices"):
            getattr(torch.zeros(3), name)
        with warnings.catch_warnings():  # (torch deprecates them on 0-d Tensors)
            warnings.simplefilter("ignore")
            assert getattr(torch.tensor(3.0), name).shape == ()


# ---- PyTorch's shape methods, found by porting PyTorch's test_shape_ops and checking its other shape functions ----
@pytest.mark.parametrize("call, words", [
    (lambda m, t: t.narrow(1, 3, 2), r"narrow: start \(3\) \+ length \(2\) exceeds dimension 1 of size 4"),
    (lambda m, t: t.narrow(1, 0, -1), r"narrow: start \(0\) \+ length \(-1\) exceeds"),
    (lambda m, t: t[0, 0, 0].narrow(0, 0, 1), "narrow: input is 0-d"),
    (lambda m, t: m.tensor_split(t, 0, 0), "tensor_split: the number of sections must be at least 1, got 0"),
    (lambda m, t: m.tensor_split(t[0, 0, 0], 2), "tensor_split: input is 0-d"),
    (lambda m, t: t.flatten(2, 1), "flatten: start_dim=2 comes after end_dim=1"),
    (lambda m, t: t.unflatten(1, (3, 2)), r"unflatten: the sizes \(3, 2\) do not multiply up to the size 4"),
    (lambda m, t: t.unflatten(1, ()), "unflatten: the unflattened sizes must be non-empty"),
    (lambda m, t: t.expand(3, 5, 5), "expand: the expanded size 5 must match the existing size 4"),
    (lambda m, t: t.expand(-1, 3, 4, 5), "expand: the size -1 is not allowed in a new leading dimension"),
    (lambda m, t: t.expand(4, 5), r"expand: the number of sizes given \(2\) must be at least"),
    (lambda m, t: t.diagonal(0, 1, 1), "diagonal: axis1 and axis2 must be different axes, both are 1"),
    (lambda m, t: m.diag(t), r"diag: input must be 1- or 2-d, got shape \(3, 4, 5\)"),
    (lambda m, t: t.permute(2, 0, 0), r"permute: dims \(2, 0, 0\) must name each of the 3 axes .* once"),
    (lambda m, t: t.permute(1, 0), r"permute: dims \(1, 0\) must name each of the 3 axes"),
    (lambda m, t: t[0].permute(1, 1), r"permute: dims \(1, 1\) must name each of the 2 axes"),
    (lambda m, t: t.roll(shifts=(1, 2), dims=0), r"roll: shifts \(1, 2\) and dims 0 must align"),
    (lambda m, t: m.roll(t, shifts=1, dims=(0, 1)), r"roll: shifts 1 and dims \(0, 1\) must align"),
])
def test_bad_sizes_and_dims_raise_a_value_error_that_is_torchs_runtime_error(call, words):
    # the port's assertRaises(RuntimeError) failed on our plain ValueErrors; a matrix's t.permute(1, 1) returned it
    # unchanged (read as transpose(1, 1)) and roll(shifts=(1, 2), dims=0) broadcast the shifts, where PyTorch raises
    torch = pytest.importorskip("torch")
    x = np.arange(60.0).reshape(3, 4, 5)
    with pytest.raises(RuntimeError):
        call(torch, torch.tensor(x))
    with pytest.raises(ValueError, match=words) as caught:
        call(ag, ag.tensor(x))
    assert isinstance(caught.value, RuntimeError)


def test_permute_still_takes_a_sequence_negative_dims_and_leaves_out_of_range_to_transpose():
    torch = pytest.importorskip("torch")
    x = np.arange(24.0).reshape(2, 3, 4)
    for dims in [(2, 0, 1), ((2, 0, 1),), ([-1, 0, 1],)]:
        np.testing.assert_array_equal(ag.tensor(x).permute(*dims).data, torch.tensor(x).permute(*dims).numpy())
    assert ag.tensor(1.0).permute(()).shape == ()
    with pytest.raises(IndexError):  # (torch's IndexError too)
        torch.tensor(x).permute(0, 1, 3)
    with pytest.raises(IndexError, match="transpose: .*axis 3 is out of bounds"):
        ag.tensor(x).permute(0, 1, 3)


def test_permute_function_of_a_0d_tensor_takes_the_empty_order():
    # found by porting PyTorch's OpInfo entries for permute: torch.permute(x, ()) of a 0-d x returns it, where
    # ag.permute(x, ()) unpacked the empty tuple into t.permute() and raised "give the new order of every axis"
    x = ag.tensor(2.5, requires_grad=True)
    out = ag.permute(x, ())
    assert out.shape == () and float(out) == 2.5
    (3 * out).backward()
    assert float(x.grad) == 3.0
    assert ag.permute(ag.zeros((2, 3)), [1, 0]).shape == (3, 2)
    with pytest.raises(ValueError, match=r"permute: dims \(\) must name each of the 1 axes"):
        ag.permute(ag.zeros(3), ())


def test_permute_function_of_a_0d_tensor_takes_the_empty_order_as_torch():
    torch = pytest.importorskip("torch")
    out = ag.permute(ag.tensor(2.5), ())
    assert out.shape == tuple(torch.permute(torch.tensor(2.5), ()).shape)
    assert float(out) == float(torch.permute(torch.tensor(2.5), ()))


@pytest.mark.parametrize("counts", [(2, 1, 1), ((2, 1, 1),), ([2],), (2,), (1, 2, 1, 3)])
def test_tile_takes_its_counts_one_by_one_as_torchs(counts):
    # t.tile(2, 1, 1) raised "tile() takes 2 positional arguments"
    torch = pytest.importorskip("torch")
    x = np.arange(12.0).reshape(3, 4)
    expected = torch.tensor(x).tile(*counts).numpy()
    np.testing.assert_array_equal(ag.tensor(x).tile(*counts).data, expected)
    np.testing.assert_array_equal(ag.tensor(x).tile(dims=counts[0] if len(counts) == 1 else counts).data, expected)
    np.testing.assert_array_equal(ag.tensor(x).tile(reps=counts[0] if len(counts) == 1 else counts).data, expected)
    t = ag.tensor(x, requires_grad=True)
    t.tile(*counts).sum().backward()
    np.testing.assert_array_equal(t.grad.data, np.full(x.shape, expected.size / x.size))
    with pytest.raises(TypeError, match=r"tile: give the counts"):
        t.tile()
    with pytest.raises(TypeError, match=r"tile: got the counts \(2,\), reps=\(1,\) and dims=None; give them once"):
        t.tile(2, reps=(1,))


@pytest.mark.parametrize("call, torch_error, words", [
    (lambda m, t: t.tile((-1,)), RuntimeError, r"tile: reps \(-1,\) holds a negative count"),
    (lambda m, t: m.tile(t, (2, -1)), RuntimeError, r"tile: reps \(2, -1\) holds a negative count"),
    (lambda m, t: t[0].unbind(0), IndexError, "unbind: input is 0-d"),
    (lambda m, t: m.unbind(t[0]), IndexError, "unbind: input is 0-d"),
])
def test_tile_and_unbind_errors_are_also_torchs_classes(call, torch_error, words):
    torch = pytest.importorskip("torch")
    with pytest.raises(torch_error):
        call(torch, torch.arange(3.0))
    with pytest.raises(ValueError, match=words) as caught:  # (NumPy's class, as before)
        call(ag, ag.arange(3.0))
    assert isinstance(caught.value, torch_error)


def test_kron_diag_embed_split_with_sizes_and_adjoint_as_torchs_methods():
    # found missing by porting PyTorch's OpInfo entries (their method variants): t.kron, t.diag_embed,
    # t.split_with_sizes and t.adjoint (also torch.adjoint) raised AttributeError
    a, b = np.arange(6.0).reshape(2, 3), np.array([[1.0, -1.0], [0.5, 2.0]])
    np.testing.assert_array_equal(ag.tensor(a).kron(ag.tensor(b)).data, np.kron(a, b))
    np.testing.assert_array_equal(ag.tensor(a).diag_embed(1, 0, 2).data,  # (row, batch, column)
                                  np.swapaxes(np.stack([np.diag(row, 1) for row in a]), 0, 1))
    pieces = ag.tensor(a).split_with_sizes((1, 2), dim=1)
    assert len(pieces) == 2
    for piece, expected in zip(pieces, np.split(a, [1], axis=1)):
        np.testing.assert_array_equal(piece.data, expected)
    with pytest.raises(ValueError, match=r"split: the sizes \[1, 1\] must be non-negative and add up"):
        ag.tensor(a).split_with_sizes([1, 1], 1)
    assert [p.shape for p in ag.split_with_sizes(a, [1, 1], dim=0)] == [(1, 3), (1, 3)]  # (torch's function too)
    for sizes in (2, (1, 2.0)):  # (review R2: a bare "'int' object is not iterable"; torch's is a TypeError too)
        with pytest.raises(TypeError, match=r"^split_with_sizes: split_sizes must be a list or tuple of ints .*dim 1"):
            ag.tensor(a).split_with_sizes(sizes, 1)
    x = ag.tensor(np.arange(24.0).reshape(2, 3, 4), requires_grad=True)
    y = ag.adjoint(x)
    assert y.shape == (2, 4, 3) and np.shares_memory(y.data, x.data)
    np.testing.assert_array_equal(x.adjoint().data, np.swapaxes(x.data, -1, -2))
    (y * ag.tensor(np.arange(24.0).reshape(2, 4, 3))).sum().backward()
    np.testing.assert_array_equal(x.grad.data, np.swapaxes(np.arange(24.0).reshape(2, 4, 3), -1, -2))
    with pytest.raises(RuntimeError, match=r"adjoint: only matrices or batches of matrices \(2-D or more\)"):
        ag.adjoint(ag.zeros(3))


def test_the_methods_kron_diag_embed_split_with_sizes_and_adjoint_as_torch():
    torch = pytest.importorskip("torch")
    a, b = np.arange(6.0).reshape(2, 3), np.array([[1.0, -1.0], [0.5, 2.0]])
    np.testing.assert_array_equal(ag.tensor(a).kron(ag.tensor(b)).data, torch.tensor(a).kron(torch.tensor(b)).numpy())
    np.testing.assert_array_equal(ag.tensor(a).diag_embed(1, 0, 2).data,
                                  torch.tensor(a).diag_embed(1, 0, 2).numpy())
    pieces = ag.tensor(a).split_with_sizes((1, 2), dim=1)
    expected = torch.tensor(a).split_with_sizes((1, 2), dim=1)
    assert len(pieces) == len(expected) == 2
    for piece, theirs in zip(pieces, expected):
        np.testing.assert_array_equal(piece.data, theirs.numpy())
    x = np.arange(24.0).reshape(2, 3, 4)
    np.testing.assert_array_equal(ag.tensor(x).adjoint().data, torch.adjoint(torch.tensor(x)).numpy())


# ---- torch.positive and torch.sgn (found missing by a differential run over PyTorch's OpInfo database) ----
def test_positive_is_the_input_and_refuses_bools():
    x = ag.tensor([-1.0, 2.0], requires_grad=True)
    assert ag.positive(x) is x and x.positive() is x  # (as torch.positive: the same Tensor)
    with pytest.raises(TypeError, match="positive: not supported for bool Tensors"):
        ag.positive(ag.tensor([True]))
    with pytest.raises(RuntimeError):  # (PyTorch's class too)
        ag.positive(ag.tensor([True]))


def test_sgn_is_sign_for_real_input():
    x = ag.tensor([-2.0, 0.0, 3.0, np.nan], requires_grad=True)
    np.testing.assert_array_equal(ag.sgn(x).data, [-1.0, 0.0, 1.0, np.nan])
    np.testing.assert_array_equal(x.sgn().data, np.sign(x.data))
    ag.sgn(x).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [0.0, 0.0, 0.0, 0.0])
    assert ag.sgn(ag.tensor([-3, 4])).dtype == np.int64


def test_sgn_of_bools_is_refused_by_sgns_name():
    # (the error named sign, the function ag.sgn passes its input on to)
    with pytest.raises(TypeError, match="^sgn: not supported for bool Tensors"):
        ag.sgn(ag.tensor([True, False]))
    with pytest.raises(RuntimeError, match="^sgn:"):
        ag.tensor([True]).sgn()
