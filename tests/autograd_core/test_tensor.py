"""The Tensor class (autograd_core/tensor.py): construction, dtypes, attributes, operators (copies and pickles:
test_tensor_copies.py; PyTorch's view, t, clone, dim, float and double: test_tensor_torch_methods.py)."""
import operator

import numpy as np
import pytest

import autograd_core as ag


def test_dtypes_follow_numpy():
    assert ag.tensor([1.0, 2.0]).dtype == np.float64
    assert ag.tensor([1, 2]).dtype == np.int64
    assert ag.tensor(True).dtype == np.bool_
    assert ag.tensor([1, 2], dtype=np.float32).dtype == np.float32
    assert ag.Tensor(np.ones(2, dtype=np.float32)).dtype == np.float32


@pytest.mark.parametrize("data, dtype", [([1, 2], "int64"), ([True, False], "bool"), (3, "int64")])
def test_requires_grad_on_integer_or_boolean_tensor_is_an_error(data, dtype):
    with pytest.raises(TypeError, match=rf"only floating-point Tensors can require gradients, got dtype {dtype}.*"
                                        rf"dtype=np.float"):
        ag.tensor(data, requires_grad=True)
    t = ag.tensor(data)
    with pytest.raises(TypeError, match="only floating-point"):
        t.requires_grad = True


def test_tensor_copies_the_array_it_is_given():
    value = np.array([1.0, 2.0])
    t = ag.tensor(value)
    value[0] = 5.0
    np.testing.assert_array_equal(t.data, [1.0, 2.0])
    u = ag.Tensor(t)
    u.data[1] = 7.0
    np.testing.assert_array_equal(t.data, [1.0, 2.0])


def test_tensor_from_tensor_takes_the_value_not_the_graph():
    x = ag.tensor(2.0, requires_grad=True)
    y = ag.Tensor(x * 3)
    assert y.is_leaf and not y.requires_grad and float(y) == 6.0


def test_tensor_from_nested_list_and_unsupported_data():
    assert ag.tensor([[1.0, 2.0], [3.0, 4.0]]).shape == (2, 2)
    with pytest.raises(TypeError, match="Tensor: unsupported dtype"):
        ag.tensor(["a", "b"])
    with pytest.raises(TypeError, match="Tensor: cannot make an array"):
        ag.tensor([[1.0, 2.0], [3.0]])


def test_attributes_mirror_numpy():
    t = ag.tensor(np.arange(6.0).reshape(2, 3), name="t")
    assert (t.shape, t.ndim, t.size, len(t), t.name) == ((2, 3), 2, 6, 2, "t")
    assert t.T.shape == (3, 2)
    assert isinstance(t.data, np.ndarray) and isinstance(t.numpy(), np.ndarray)
    np.testing.assert_array_equal(np.asarray(t), t.data)
    assert t.tolist() == [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]
    assert float(ag.tensor(2.5)) == 2.5 and ag.tensor([3.0]).item() == 3.0


def test_zero_d_tensor_is_a_scalar():
    s = ag.tensor(3.0, requires_grad=True)
    assert s.shape == () and s.ndim == 0 and s.size == 1
    with pytest.raises(TypeError, match="len\\(\\) of a 0-d Tensor"):
        len(s)
    (s * s).backward()
    assert s.grad.shape == () and float(s.grad) == 6.0


def test_item_of_many_elements_is_a_clear_error():
    with pytest.raises(ValueError, match=r"item: only a Tensor with one element.*\(2,\)"):
        ag.tensor([1.0, 2.0]).item()


def test_detach_cuts_the_graph_and_shares_the_value():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    d = y.detach()
    assert d.is_leaf and not d.requires_grad
    assert np.shares_memory(d.data, y.data)  # as PyTorch: no copy
    np.testing.assert_array_equal(d.data, y.data)
    (d * x).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [2.0, 4.0])  # d is a constant


def test_grad_is_assignable_and_results_are_not_leaves():
    x = ag.tensor(1.0, requires_grad=True)
    y = x * 2
    assert x.is_leaf and not y.is_leaf and y.requires_grad
    y.backward()
    with pytest.warns(UserWarning, match="not a leaf"):  # as PyTorch warns
        assert y.grad is None, "intermediates do not keep .grad"
    x.grad = None
    assert x.grad is None
    with pytest.raises(RuntimeError, match="only leaf Tensors"):
        y.requires_grad = False


def test_requires_grad_true_on_a_result_that_requires_grad_is_a_no_op_as_in_pytorch():
    y = ag.tensor(1.0, requires_grad=True) * 2
    assert y.requires_grad_() is y and y.requires_grad_(True) is y
    assert y.requires_grad and not y.is_leaf
    torch = pytest.importorskip("torch")
    yt = torch.tensor(1.0, requires_grad=True) * 2
    assert yt.requires_grad_() is yt and yt.requires_grad_(True) is yt  # PyTorch accepts both too


def test_bool_of_a_multi_element_tensor_is_ambiguous():
    with pytest.raises(ValueError, match="ambiguous"):
        bool(ag.tensor([1.0, 2.0]))


def test_integer_tensor_as_index():
    i = ag.tensor(1)
    assert [10, 20, 30][i] == 20
    with pytest.raises(TypeError, match="only integer Tensors"):
        [1, 2][ag.tensor(1.0)]


def test_repr_shows_value_and_op():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    assert repr(x) == "Tensor([1., 2.], requires_grad=True)"
    assert "op=multiply" in repr(x * 2)
    assert "dtype=float32" in repr(ag.tensor([1.0], dtype=np.float32))


def test_iteration_yields_differentiable_rows():
    x = ag.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    rows = list(x)
    assert len(rows) == 2 and rows[1].shape == (2,)
    (rows[0] * rows[1]).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [[3.0, 4.0], [1.0, 2.0]])


_OPERATORS = {"+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b, "/": lambda a, b: a / b,
              "**": lambda a, b: a ** b, "@": lambda a, b: a @ b}


@pytest.mark.parametrize("name, left", [(name, 2.0) for name in "+ - * / **".split()]
                         + [(name, [[1.0, -2.0], [0.5, 3.0]]) for name in _OPERATORS])
def test_operators_with_a_non_tensor_on_the_left_keep_the_operand_order(name, left):
    value = np.array([[1.5, 2.0], [0.5, 4.0]])
    out = _OPERATORS[name](left, ag.tensor(value))
    assert isinstance(out, ag.Tensor)
    np.testing.assert_allclose(out.data, _OPERATORS[name](np.asarray(left), value))


@pytest.mark.parametrize("value", [np.array([5.0, 6.0]), [5.0, 6.0], ag.tensor([5.0, 6.0])],
                         ids=["ndarray", "list", "Tensor"])
def test_data_setter_replaces_the_value(value):
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    x.data = value
    assert x.shape == (2,) and x.dtype == np.float64
    np.testing.assert_array_equal((x * 1).data, [5.0, 6.0])
    assert type(x.data) is np.ndarray


def test_numpy_of_a_reduction_result_shares_memory_with_the_tensor():
    s = ag.tensor([1.0, 2.0]).sum()  # (held as a NumPy scalar inside)
    value = s.numpy()
    assert s.numpy() is value and s.data is value
    value[...] = 7.0
    assert s.item() == 7.0


def test_methods_mirror_functions():
    x = ag.tensor(np.array([[0.5, -1.5], [2.0, 0.3]]))
    batch = ag.tensor(np.arange(24.0).reshape(2, 3, 4))
    for name in ("exp", "sin", "cos", "tanh", "sigmoid", "relu", "softplus", "abs", "sum", "mean", "max", "min",
                 "var", "logsumexp", "softmax", "log_softmax", "flatten", "squeeze"):
        np.testing.assert_allclose(getattr(x, name)().data, getattr(ag, name)(x).data, err_msg=name)
    positive = ag.abs(x) + 0.1
    for name in ("log", "log1p", "sqrt"):
        np.testing.assert_allclose(getattr(positive, name)().data, getattr(ag, name)(positive).data, err_msg=name)
    pairs = [(x.leaky_relu(0.2), ag.leaky_relu(x, 0.2)), (x.elu(0.5), ag.elu(x, 0.5)),
             (x.clip(0.0, 1.0), ag.clip(x, 0.0, 1.0)), (x.maximum(0.4), ag.maximum(x, 0.4)),
             (x.minimum(0.4), ag.minimum(x, 0.4)), (x.reshape(4), ag.reshape(x, 4)),
             (x.transpose(1, 0), ag.transpose(x, 1, 0)), (x.swapaxes(0, 1), ag.swapaxes(x, 0, 1)),
             (x.expand_dims(0), ag.expand_dims(x, 0)), (x.broadcast_to((3, 2, 2)), ag.broadcast_to(x, (3, 2, 2))),
             (x.argmax(axis=1), ag.argmax(x, axis=1)), (x.argmin(), ag.argmin(x)), (x.mT, x.T),
             (batch.mT, ag.swapaxes(batch, -1, -2))]
    for method, function in pairs:
        assert method.shape == function.shape
        np.testing.assert_allclose(method.data, function.data)


def test_assigned_grad_must_be_a_tensor_of_the_same_shape_and_dtype():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(TypeError, match=r"grad: the assigned gradient must be a Tensor or None, got ndarray"):
        x.grad = np.ones(2)
    with pytest.raises(ValueError, match=r"shape \(3,\) and dtype float64; it must match .* shape \(2,\) and dtype float64"):
        x.grad = ag.ones(3)
    with pytest.raises(ValueError, match=r"dtype float32"):
        x.grad = ag.ones(2, dtype=np.float32)
    # DP-SGD's noise, float64 by NumPy's default, added to a float32 gradient: the error names the cast (as PyTorch,
    # the assignment is refused); the cast assigns
    w = ag.zeros(2, dtype=np.float32, requires_grad=True)
    noisy = ag.ones(2, dtype=np.float32) + ag.normal(0.0, 1.0, size=(2,), rng=0)
    with pytest.raises(ValueError, match=r"dtype float32; cast it with \.to\(ag\.float32\), or make the terms added to "
                                         r"it with dtype=ag\.float32"):
        w.grad = noisy
    w.grad = noisy.to(ag.float32)
    assert w.grad.dtype == np.float32 and np.array_equal(w.grad.data, noisy.data.astype(np.float32))
    with pytest.raises(ValueError) as shape_only:
        x.grad = ag.ones(3)
    assert "cast" not in str(shape_only.value)
    x.grad = ag.ones(2)
    (x * x).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [3.0, 5.0])


def test_accumulation_updates_the_same_grad_tensor():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    (x * x).sum().backward()
    first, first_array = x.grad, x.grad.data
    (x * 3).sum().backward()
    assert x.grad is first  # as PyTorch: the Tensor and the array one holds see the sum
    np.testing.assert_array_equal(first_array, [5.0, 7.0])


@pytest.mark.parametrize("flag", [True, np.True_])
def test_requires_grad_is_stored_as_a_bool(flag):
    assert ag.tensor(1.0, requires_grad=flag).requires_grad is True
    t = ag.tensor(1.0)
    t.requires_grad = flag
    assert t.requires_grad is True
    u = ag.zeros(2)
    assert u.requires_grad_(flag) is u and u.requires_grad is True


def test_a_leaf_whose_flag_is_cleared_after_recording_gets_no_grad():
    x = ag.tensor(2.0, requires_grad=True)
    y = x * x
    x.requires_grad = False
    y.backward()
    assert x.grad is None


def test_array_conversion_honours_copy_false():
    t = ag.tensor([1.0, 2.0])
    assert np.array(t, copy=False) is t.data
    with pytest.raises(ValueError, match="needs a copy"):
        np.array(t, dtype=np.float32, copy=False)


def test_the_value_of_a_tensor_that_requires_grad_is_read_only_through_numpy():
    # A write would change what the graph saved, uncounted (PyTorch refuses .numpy() there).
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()
    for value in (x.numpy(), np.asarray(x), y.numpy()):
        assert np.shares_memory(value, x.data) or np.shares_memory(value, y.data)
        with pytest.raises(ValueError, match="read-only"):
            value[...] = 5.0
    assert np.array(x).flags.writeable and x.detach().numpy().flags.writeable  # a copy; a constant
    y.backward()
    np.testing.assert_array_equal(x.grad.data, [2.0, 4.0])


def test_array_conversion_copies_and_casts_as_numpy():
    t = ag.tensor([1.5, 2.0])
    copied = np.array(t)
    assert not np.shares_memory(copied, t.data)
    cast = np.asarray(t, dtype=np.float32)
    assert cast.dtype == np.float32
    np.testing.assert_array_equal(cast, [1.5, 2.0])


def test_where_method_follows_torch_tensor_where():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    out = x.where(np.array([True, False]), 5.0)
    np.testing.assert_array_equal(out.data, [1.0, 5.0])
    out.sum().backward()
    np.testing.assert_array_equal(x.grad.data, [1.0, 0.0])


def test_testing_and_viz_are_reachable_as_attributes():
    assert ag.testing.gradcheck(lambda x: ag.exp(x).sum(), [0.1])
    assert callable(ag.viz.draw_graph)
    with pytest.raises(AttributeError, match="no attribute 'nonexistent'"):
        ag.nonexistent


# ---- retain_grad ---------------------------------------------------------------------------------
def test_retain_grad_on_a_leaf_is_a_no_op_as_torch():
    torch = pytest.importorskip("torch")
    w, tw = ag.tensor([1.0, 2.0], requires_grad=True), torch.tensor([1.0, 2.0], requires_grad=True)
    assert w.retain_grad() is None and tw.retain_grad() is None
    assert w.retains_grad is False and tw.retains_grad is False
    (w * w).sum().backward()
    (tw * tw).sum().backward()
    np.testing.assert_array_equal(w.grad.data, tw.grad.numpy())  # filled once, not twice


@pytest.mark.parametrize("make", [lambda: ag.tensor([1.0, 2.0]), lambda: ag.tensor(2, dtype=np.int64),
                                  lambda: _under_no_grad(lambda: ag.tensor(1.0, requires_grad=True) * 2)],
                         ids=["constant", "integer", "result under no_grad"])
def test_retain_grad_on_a_tensor_that_does_not_require_grad_is_a_clear_error(make):
    t = make()
    with pytest.raises(RuntimeError, match=r"retain_grad: this Tensor \(shape .*\) does not require grad.*"
                                           r"requires_grad=True"):
        t.retain_grad()
    assert t.retains_grad is False


def _under_no_grad(f):
    with ag.no_grad():
        return f()


def test_retains_grad_is_read_only_and_true_only_after_retain_grad_on_a_result():
    h = ag.tensor(1.0, requires_grad=True) * 2
    assert h.retains_grad is False
    h.retain_grad()
    assert h.retains_grad is True
    with pytest.raises(AttributeError):
        h.retains_grad = False
    assert (h * 1).retains_grad is False and h.detach().retains_grad is False


def test_data_takes_only_values_a_tensor_may_hold():
    """A float leaf given integer .data kept requiring grad, and its gradients were truncated (PyTorch refuses)."""
    t = ag.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(TypeError, match=r"data \(of a Tensor that requires grad\): only floating-point Tensors"):
        t.data = np.array([5, 6])
    with pytest.raises(TypeError, match=r"data: unsupported dtype <U1; a Tensor holds bool, integer or float"):
        t.data = np.array(["a"])
    assert t.data.tolist() == [1.0, 2.0]
    t.data = np.array([3.0, 4.0], np.float32)  # another float dtype or shape is fine, as in PyTorch
    constant = ag.tensor([1.0])
    constant.data = np.array([3])
    assert constant.dtype == np.int64


@pytest.mark.parametrize("flag", ["no", 1, None])
def test_requires_grad_must_be_a_bool(flag):
    with pytest.raises(TypeError, match=r"requires_grad must be a bool, got"):
        ag.tensor([1.0], requires_grad=flag)
    with pytest.raises(TypeError, match=r"requires_grad must be a bool, got"):
        ag.tensor([1.0]).requires_grad = flag


def test_a_one_element_tensor_formats_as_its_number_as_numpy_and_torch():
    loss = (ag.tensor([1.0, 2.0], requires_grad=True) ** 2).mean()
    assert f"{loss:.4f}" == "2.5000" and f"{ag.tensor(3):>3d}" == "  3" and f"{loss}" == "2.5"
    assert f"{loss:.4f}" == f"{np.array(2.5):.4f}" and f"{loss}" == f"{np.array(2.5)}"
    assert f"{ag.tensor([1.0, 2.0])}" == str(ag.tensor([1.0, 2.0]))
    for t in (ag.tensor([1.0, 2.0]), ag.tensor([1.5])):  # a spec for a 1-d Tensor: NumPy and PyTorch refuse it too
        with pytest.raises(TypeError, match=r"format: the spec '.2f' applies to a number, and this Tensor has shape"):
            f"{t:.2f}"


def test_equality_with_what_is_no_number_is_false_and_membership_works_as_torch():
    t = ag.tensor([1.0, 2.0])
    assert (t == "abc") is False and (t != None) is True  # noqa: E711
    assert "abc" not in [ag.tensor(1.0)] and [ag.tensor(1.0)].count("x") == 0
    assert 3.0 in ag.tensor([[1.0, 2.0], [3.0, 4.0]]) and 5.0 not in ag.tensor([[1.0, 2.0], [3.0, 4.0]])
    assert (t == [1.0, 3.0]).data.tolist() == [True, False]  # numbers still compare elementwise


def test_float_of_a_tensor_of_several_elements_is_refused():
    with pytest.raises(ValueError):
        float(ag.tensor([1.0, 2.0]))


def test_a_bool_tensor_is_no_index():
    with pytest.raises(TypeError):
        [10, 20][ag.tensor(True)]


def test_repr_quotes_the_name():
    assert repr(ag.tensor(1.0, name="w")) == "Tensor(1., name='w')"


def test_xor_with_a_list_on_the_left():
    assert ([True, True] ^ ag.tensor([True, False])).tolist() == [False, True]


def test_divmod_with_a_number_on_the_left():
    q, r = divmod(7.0, ag.tensor(2.0))
    assert float(q) == 3.0 and float(r) == 1.0


@pytest.mark.parametrize("compare", [operator.eq, operator.ne, operator.lt, operator.le, operator.gt, operator.ge])
def test_comparing_a_float32_tensor_with_a_python_float_follows_numpy(compare):
    # A Python number never upcasts a float32 Tensor (API.md): 0.1 compares as float32(0.1), as in NumPy and torch.
    values = np.array([0.1, 0.2, 0.05], dtype=np.float32)
    np.testing.assert_array_equal(compare(ag.tensor(values), 0.1).data, compare(values, 0.1))
    np.testing.assert_array_equal(compare(0.1, ag.tensor(values)).data, compare(0.1, values))


def test_data_set_from_a_tensor_that_requires_grad_stays_updatable_in_place_as_torch():
    # t.data = other takes other's value (its memory, as PyTorch's set_data): an update under no_grad then works.
    torch = pytest.importorskip("torch")
    a, b = ag.zeros(2), ag.tensor([1.0, 3.0], requires_grad=True)
    ta, tb = torch.zeros(2, dtype=torch.float64), torch.tensor([1.0, 3.0], dtype=torch.float64, requires_grad=True)
    a.data = b
    ta.data = tb
    with ag.no_grad():
        a += 1
    with torch.no_grad():
        ta += 1
    np.testing.assert_array_equal(a.data, ta.numpy())
    np.testing.assert_array_equal(b.data, tb.detach().numpy())


@pytest.mark.parametrize("text", ["x", np.str_("x")], ids=["str", "numpy-str"])
def test_a_tensor_equals_no_string_numpy_or_python(text):
    # A string is not comparable elementwise: == is False and != True, as for any non-numeric object (and torch).
    t = ag.tensor([1.0, 2.0])
    assert (t == text) is False
    assert (t != text) is True
    assert text not in [t]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_a_float_tensor_that_requires_grad_is_read_only_through_numpy_in_every_dtype(dtype):
    x = ag.tensor([1.0, 2.0], dtype=dtype, requires_grad=True)
    for value in (x.numpy(), np.asarray(x), np.asarray(x, dtype=dtype)):
        assert np.shares_memory(value, x.data)
        with pytest.raises(ValueError, match="read-only"):
            value[...] = 5.0
    np.testing.assert_array_equal(x.data, np.array([1.0, 2.0], dtype=dtype))


def test_the_var_method_defaults_reduce_everything_as_numpy():
    values = np.array([[1.0, 4.0, 2.0], [0.5, -3.0, 7.0]])
    t = ag.tensor(values)
    assert t.var().shape == np.var(values).shape == ()
    np.testing.assert_allclose(t.var().data, np.var(values), rtol=1e-12)
    np.testing.assert_allclose(t.var(axis=1).data, np.var(values, axis=1), rtol=1e-12)


@pytest.mark.parametrize("compare", [operator.eq, operator.ne], ids=["==", "!="])
def test_a_tensor_and_an_array_of_strings_compare_unequal_elementwise_as_numpy(compare):
    values, strings = np.array([1.0, 2.0]), np.array(["a", "b"])
    for left, right, reference in ((ag.tensor(values), strings, compare(values, strings)),
                                   (strings, ag.tensor(values), compare(strings, values))):
        result = compare(left, right)
        assert isinstance(result, ag.Tensor) and not result.requires_grad
        np.testing.assert_array_equal(result.data, reference)
    np.testing.assert_array_equal(compare(ag.tensor(values), np.array([1.0, None], dtype=object)).data,
                                  compare(values, np.array([1.0, None], dtype=object)))


# ---- construction and repr as NumPy's --------------------------------------------------------------
@pytest.mark.parametrize("data", [1 + 2j, [1 + 2j, 3.0]])
@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int64])
def test_complex_data_with_a_real_dtype_is_refused_as_numpy_refuses_it(data, dtype):
    with pytest.raises(TypeError):
        np.array(data, dtype=dtype)  # the reference
    with pytest.raises(TypeError):
        ag.tensor(data, dtype=dtype)


def test_complex_data_with_a_real_dtype_is_refused_as_torch_refuses_it():
    torch = pytest.importorskip("torch")
    with pytest.raises(TypeError):
        torch.tensor(1 + 2j, dtype=torch.float32)
    with pytest.raises(TypeError):
        ag.tensor(1 + 2j, dtype=np.float32)


@pytest.mark.parametrize("shape", [(0, 3), (2, 0), (0, 1, 2)])
def test_repr_of_an_empty_tensor_shows_its_shape_as_numpy_and_torch_do(shape):
    value = np.zeros(shape)
    assert f"shape={shape}" in repr(value)  # NumPy's repr names the shape of an empty n-d array
    assert str(shape) in repr(ag.tensor(value))


@pytest.mark.parametrize("value", [1.0, 3], ids=["float", "int"])
def test_iter_of_a_0d_tensor_raises_at_once_as_numpy_and_torch(value):
    with pytest.raises(TypeError):
        iter(np.array(value))
    with pytest.raises(TypeError):
        iter(ag.tensor(value))
    assert np.iterable(ag.tensor(value)) == np.iterable(np.array(value))  # (False: np.iterable calls iter)


def test_iteration_takes_its_rows_when_iter_is_called_as_torch_unbind():
    # torch's iter(t) is iter(t.unbind(0)): the rows are made, and recorded, under the grad mode of the iter() call.
    torch = pytest.importorskip("torch")
    tt = torch.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=torch.float64, requires_grad=True)
    t = ag.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    t_rows, our_rows = iter(tt), iter(t)
    with torch.no_grad():
        expected = [row.requires_grad for row in t_rows]
    with ag.no_grad():
        got = [row.requires_grad for row in our_rows]
    assert expected == [True, True]
    assert got == expected


@pytest.mark.parametrize("values", [[1, 2], np.zeros(0, dtype=np.int64)], ids=["two elements", "empty"])
def test_index_of_an_integer_tensor_of_several_elements_is_a_type_error_as_numpy_and_torch(values):
    # operator.index (list[t], range(t), bytes(t)) must raise TypeError for what is not one integer: Python's
    # protocol, and what NumPy ("only integer scalar arrays...") and torch ("only integer tensors of a single
    # element...") raise; code that tells indices from other objects catches TypeError.
    with pytest.raises(TypeError):
        operator.index(np.asarray(values))
    with pytest.raises(TypeError):
        operator.index(ag.tensor(values))
    with pytest.raises(TypeError):
        [10, 20, 30][ag.tensor(values)]


@pytest.mark.parametrize("data", [None, np.array([1.0, None], dtype=object),
                                  np.array(["2020-01-01"], dtype="datetime64[D]")],
                         ids=["None", "object-array-with-None", "datetime64"])
def test_tensor_with_dtype_refuses_non_numeric_data(data):
    torch = pytest.importorskip("torch")
    with pytest.raises(TypeError):  # the reference refuses it
        torch.tensor(data, dtype=torch.float32)
    with pytest.raises(TypeError, match="Tensor"):  # as ag.Tensor(data) without dtype= does
        ag.Tensor(data, dtype=np.float32)


def test_item_assignment_of_a_complex_number_is_refused_as_numpy_does():
    reference = np.zeros(3)
    with pytest.raises(TypeError):
        reference[0] = 1 + 2j
    t = ag.zeros(3)
    with pytest.raises(TypeError, match="item assignment"):
        t[0] = 1 + 2j


def test_a_cast_takes_python_ints_too_large_for_int64_as_numpy_and_torch():
    torch = pytest.importorskip("torch")
    expected = torch.tensor([2 ** 70, 1], dtype=torch.float64).tolist()
    assert ag.Tensor([2 ** 70, 1], dtype=np.float64).tolist() == expected == np.array([2 ** 70, 1], np.float64).tolist()


@pytest.mark.parametrize("data", [[2**70, 1.5], [-2**70, 0.25, 3], [2**64, np.float32(2.0)]],
                         ids=["big-int-and-float", "neg-big-int-float-int", "big-int-and-numpy-float"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_python_ints_beyond_int64_mixed_with_floats_cast_to_a_float_dtype_as_numpy(data, dtype):
    expected = np.array(data, dtype=dtype)
    t = ag.Tensor(data, dtype=dtype)
    assert t.dtype == expected.dtype
    np.testing.assert_array_equal(t.data, expected)


def test_an_object_array_of_python_floats_casts_to_a_float_dtype_as_numpy():
    data = np.array([1.5, 2.0], dtype=object)
    t = ag.Tensor(data, dtype=np.float32)
    np.testing.assert_array_equal(t.data, np.array(data, dtype=np.float32))


def test_a_complex_array_with_a_real_dtype_is_refused_as_a_complex_list_is():
    # NumPy refuses the list (a TypeError) but casts the array, dropping the imaginary part with a warning;
    # the Tensor refuses both, as its message says: the cast would lose the imaginary part.
    with pytest.raises(TypeError):
        np.array([1 + 2j], dtype=np.float64)
    with pytest.raises(TypeError, match="complex"):
        ag.Tensor([1 + 2j], dtype=np.float64)
    with pytest.raises(TypeError, match="complex"):
        ag.Tensor(np.array([1 + 2j]), dtype=np.float64)


def test_taking_a_row_from_an_iterator_made_under_no_grad_leaves_the_callers_grad_mode_as_it_was():
    # torch's iter(t) is iter(t.unbind(0)): the rows are made under iter()'s mode; next() changes no mode.
    w = ag.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    with ag.no_grad():
        rows = iter(w)
    first = next(rows)
    assert not first.requires_grad
    assert ag.is_grad_enabled()
    assert (w * 2).requires_grad
    with ag.no_grad():
        next(rows)
        assert not ag.is_grad_enabled()
