"""NumPy functions on Tensors (autograd_core/numpy_dispatch.py)."""
import numpy as np
import pytest

import autograd_core as ag


def _leaf():
    return ag.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)


@pytest.mark.parametrize("call, expected_grad", [
    (lambda t: np.exp(t).sum(), lambda x: np.exp(x)),
    (lambda t: np.sum(t, axis=0).sum(), lambda x: np.ones_like(x)),
    (lambda t: np.mean(t), lambda x: np.full_like(x, 0.25)),
    (lambda t: (np.ones((2, 2)) + t).sum(), lambda x: np.ones_like(x)),
    (lambda t: (np.array([2.0, 3.0]) * t).sum(), lambda x: np.broadcast_to([2.0, 3.0], x.shape)),
    (lambda t: np.matmul(np.array([[1.0, 0.0], [1.0, 1.0]]), t).sum(), lambda x: np.array([[2.0, 2.0], [1.0, 1.0]])),
    (lambda t: np.square(t).sum(), lambda x: 2 * x),
    (lambda t: np.sqrt(t).sum(), lambda x: 0.5 / np.sqrt(x)),
    (lambda t: np.maximum(t, 2.5).sum(), lambda x: (x > 2.5).astype(float)),
    (lambda t: np.reshape(t, (4,)).sum(), lambda x: np.ones_like(x)),
    (lambda t: (np.transpose(t) * np.array([1.0, 0.0])).sum(), lambda x: np.array([[1.0, 1.0], [0.0, 0.0]])),
    (lambda t: np.concatenate([t, t]).sum(), lambda x: np.full_like(x, 2.0)),
    (lambda t: np.dot(t, np.ones(2)).sum(), lambda x: np.ones_like(x)),
    (lambda t: np.where(np.array([True, False]), t, 0.0).sum(), lambda x: np.array([[1.0, 0.0], [1.0, 0.0]])),
    # ufunc.reduce: np.add.reduce's default axis is 0 (not None), as NumPy's
    (lambda t: (np.add.reduce(t) * np.array([1.0, 10.0])).sum(), lambda x: np.array([[1.0, 10.0], [1.0, 10.0]])),
    (lambda t: np.add.reduce(t, axis=None, keepdims=True).sum(), lambda x: np.ones_like(x)),
    (lambda t: np.maximum.reduce(t, 1).sum(), lambda x: np.array([[0.0, 1.0], [0.0, 1.0]])),
    (lambda t: np.minimum.reduce(t, axis=None), lambda x: np.array([[1.0, 0.0], [0.0, 0.0]])),
])
def test_numpy_functions_return_differentiable_tensors(call, expected_grad):
    x = _leaf()
    out = call(x)
    assert isinstance(out, ag.Tensor) and out.requires_grad
    out.backward()
    np.testing.assert_allclose(x.grad.data, expected_grad(x.data))


@pytest.mark.parametrize("call", [
    np.negative, np.positive, np.absolute, np.sign, np.sin, np.cos, np.tanh, np.square, lambda a: np.log1p(np.abs(a)),
    lambda a: np.log(np.abs(a) + 1.0), lambda a: np.sqrt(np.abs(a)), lambda a: np.maximum(a, 0.5),
    lambda a: np.minimum(a, 0.5), lambda a: np.less(a, 0.5), lambda a: np.less_equal(a, 0.5),
    lambda a: np.greater(a, 0.5), lambda a: np.greater_equal(a, 0.5), lambda a: np.equal(a, 0.5),
    lambda a: np.not_equal(a, 0.5), lambda a: np.logical_and(a > 0, a < 2), lambda a: np.logical_or(a < 0, a > 2),
    lambda a: np.logical_not(a > 0), np.isfinite, np.isnan, lambda a: np.min(a, axis=1), lambda a: np.max(a),
    lambda a: np.var(a, axis=2), lambda a: np.transpose(a, (2, 0, 1)), lambda a: np.dot(2.0, a[0]),
    lambda a: np.dot(a[0], 3.0), lambda a: np.dot(a[0], np.ones(3)), lambda a: np.swapaxes(a, 0, 2),
    lambda a: np.reshape(a, (3, 2)), lambda a: np.squeeze(a, 0), lambda a: np.expand_dims(a, -1),
])
def test_numpy_functions_on_tensors_compute_what_numpy_computes(call):
    value = np.array([[[-1.5, 0.0, 2.0], [0.5, 3.0, -0.25]]])
    out = call(ag.tensor(value))
    expected = call(value)
    assert isinstance(out, ag.Tensor) and out.dtype == expected.dtype and out.shape == expected.shape
    np.testing.assert_allclose(out.data, expected)


def test_an_error_inside_a_supported_numpy_function_is_raised_not_swallowed():
    t = ag.tensor([1.0, 2.0])
    with pytest.raises(TypeError, match=r"where: unsupported input of dtype <U1"):
        np.where(t > 1, t, "a")


def test_ndarray_on_the_left_of_an_operator_gives_a_tensor():
    x = _leaf()
    for result in (np.ones(2) + x, np.ones(2) - x, np.ones(2) * x, np.ones(2) / x, np.ones((2, 2)) @ x):
        assert isinstance(result, ag.Tensor) and result.requires_grad


@pytest.mark.parametrize("call", [
    lambda t: np.fft.fft(t), lambda t: np.nancumprod(t), lambda t: np.partition(t, 0), lambda t: np.spacing(t),
    lambda t: np.add.accumulate(t), lambda t: np.multiply.accumulate(t), lambda t: np.add.reduce(t, dtype=np.float32),
])
def test_unsupported_numpy_functions_raise_type_error(call):
    with pytest.raises(TypeError, match="not supported on autograd_core Tensors"):
        call(_leaf())


def test_value_queries_return_plain_values():
    x = _leaf()
    assert np.shape(x) == (2, 2) and np.ndim(x) == 2 and np.size(x) == 4
    assert np.allclose(x, x.data)


def test_numpy_arguments_the_engine_lacks_are_named_with_the_supported_signature():
    t = ag.ones((2, 3))
    with pytest.raises(TypeError, match=r"np.min on Tensors: out=array.* is not supported; the arguments it "
                                        r"supports are \(x, axis=None, keepdims=False\)"):
        np.min(t, 0, np.zeros(3))
    with pytest.raises(TypeError, match=r"np.min on Tensors: initial=0 is not supported"):
        np.min(t, initial=0)


def test_a_reductions_dtype_casts_its_input_first_as_numpy_computes_in_it():
    x = ag.tensor([1.5, 2.25], requires_grad=True)
    total = np.sum(x, dtype=np.float32)
    assert total.dtype == np.float32 and total.item() == 3.75
    total.backward()
    assert x.grad.dtype == np.float64 and np.array_equal(x.grad.data, [1.0, 1.0])
    assert np.mean(x, dtype=np.float64).dtype == np.float64  # its own dtype: no cast
    with pytest.raises(TypeError, match=r"sum: dtype=int64 would cut a Tensor that requires grad from the graph"):
        np.sum(x, dtype=np.int64)
    with pytest.raises(TypeError, match=r"np.var on Tensors: dtype=int64 is not supported; give a float dtype"):
        np.var(x, dtype=np.int64)


def test_a_ufunc_named_keyword_is_named_in_the_error():
    with pytest.raises(TypeError, match=r"np.exp on Tensors takes no keyword arguments; got dtype=.*float32.*astype"):
        np.exp(ag.tensor([1.0]), dtype=np.float32)


def test_np_where_with_the_condition_alone_gives_the_indices_as_np_nonzero():
    t = ag.tensor([[-1.0, 2.0], [3.0, -4.0]], requires_grad=True)
    rows, cols = np.where(t > 0)
    np.testing.assert_array_equal(rows.data, [0, 1])
    np.testing.assert_array_equal(cols.data, [1, 0])
    t[np.where(t > 0)].sum().backward()
    np.testing.assert_array_equal(t.grad.data, [[0, 1], [1, 0]])


def test_np_clip_takes_numpys_min_and_max_keywords():
    t = ag.tensor([-1.0, 0.5, 2.0], requires_grad=True)
    np.testing.assert_array_equal(np.clip(t, min=0.0, max=1.0).data, [0.0, 0.5, 1.0])
    np.testing.assert_array_equal(np.clip(t, max=1.0).data, [-1.0, 0.5, 1.0])
    with pytest.raises(TypeError, match="a_min/a_max or as min/max, not both"):
        np.clip(t, 0.0, max=1.0)


def test_np_clip_writes_into_a_tensor_given_as_out_as_min_char_rnn_clips_its_gradients():
    # min-char-rnn: for dparam in [dWxh, ...]: np.clip(dparam, -5, 5, out=dparam), here on the .grad Tensors
    w = ag.tensor([[1.0, -2.0], [3.0, 0.5]], requires_grad=True)
    (w ** 3).sum().backward()  # gradient 3 w**2: [[3, 12], [27, 0.75]]
    grad = w.grad
    assert np.clip(grad, -5, 5, out=grad) is grad and w.grad is grad
    np.testing.assert_array_equal(grad.data, np.clip(3 * w.data ** 2, -5, 5))
    np.testing.assert_array_equal(grad.data, [[3.0, 5.0], [5.0, 0.75]])
    rows = ag.zeros((2, 2))
    np.clip(ag.tensor([-9.0, 9.0]), a_max=5.0, out=rows[0])  # a view as out: written through to rows
    np.testing.assert_array_equal(rows.data, [[-9.0, 5.0], [0.0, 0.0]])
    torch = pytest.importorskip("torch")
    theirs = 3 * torch.tensor(w.data) ** 2
    torch.clamp(theirs, -5, 5, out=theirs)
    np.testing.assert_array_equal(grad.data, theirs.numpy())


def test_np_clip_out_refuses_a_recorded_result_another_shape_and_an_ndarray():
    w = ag.tensor([-1.0, 7.0], requires_grad=True)
    with pytest.raises(RuntimeError, match=r"^np.clip: out= does not support automatic differentiation .*"
                                           r"\(np.clip without out=\)"):
        np.clip(w, -5, 5, out=ag.zeros(2))
    with pytest.raises(ValueError, match=r"^np.clip: out= has shape \(3,\), the result has shape \(2,\)"):
        np.clip(w.detach(), -5, 5, out=ag.zeros(3))
    with pytest.raises(TypeError, match=r"^np.clip: out= must be a Tensor, got ndarray"):
        np.clip(w.detach(), -5, 5, out=np.zeros(2))
    with ag.no_grad():
        out = ag.zeros(2)
        np.testing.assert_array_equal(np.clip(w, -5, 5, out=out).data, [-1.0, 5.0])


def test_isinf_and_signbit_give_boolean_tensors():
    t = ag.tensor([-np.inf, -0.0, 1.0])
    np.testing.assert_array_equal(np.isinf(t).data, [True, False, False])
    np.testing.assert_array_equal(np.signbit(t).data, [True, True, False])


@pytest.mark.parametrize("name, args", [("sum", (1, None, None, True)), ("mean", (0, None, None, True)),
                                        ("max", (1, None, True)), ("min", (0, None)), ("std", (0, None, None, 1)),
                                        ("var", (1, None, None, 0, True))])
def test_reductions_take_positional_arguments_as_numpy_binds_them(name, args):
    """np.std(t, 0, None) passes dtype=None (NumPy's third parameter), which must not land in keepdims."""
    x = np.arange(6.0).reshape(2, 3) ** 2
    t = ag.tensor(x, requires_grad=True)
    out = getattr(np, name)(t, *args)
    assert isinstance(out, ag.Tensor) and out.requires_grad
    np.testing.assert_allclose(out.data, getattr(np, name)(x, *args), rtol=1e-12)


def test_numpys_own_defaults_given_explicitly_are_accepted():
    x = np.arange(6.0).reshape(2, 3)
    t = ag.tensor(x, requires_grad=True)
    np.testing.assert_array_equal(np.sum(t, 0, None, None, np._NoValue).data, np.sum(x, 0))
    np.testing.assert_array_equal(np.mean(t, axis=1, where=True).data, np.mean(x, axis=1))
    with pytest.raises(TypeError, match=r"np.sum on Tensors: where=array\(\[ True, False\]\) is not supported"):
        np.sum(t, axis=0, where=np.array([True, False]))


def test_unsupported_functions_of_numpy_submodules_are_named_as_called():
    with pytest.raises(TypeError, match=r"^np\.linalg\.eigvals is not supported"):
        np.linalg.eigvals(ag.ones((2, 2)))
    with pytest.raises(TypeError, match=r"^np\.partition is not supported"):
        np.partition(ag.ones(2), 0)


def test_ufuncs_write_into_ndarrays_given_as_out_when_no_gradient_is_dropped():
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    (w ** 2).sum().backward()
    data = w.data
    w.data -= 0.1 * w.grad  # micrograd's and older PyTorch's update: ndarray -= Tensor
    assert w.data is data
    np.testing.assert_allclose(w.data, [0.8, 1.6])
    out = np.empty(2)
    assert np.exp(w.grad, out=out) is out
    np.testing.assert_allclose(out, np.exp([2.0, 4.0]))
    with ag.no_grad():
        np.exp(w, out=out)
    np.testing.assert_allclose(out, np.exp([0.8, 1.6]))


def test_ufuncs_refuse_out_arrays_that_would_cut_the_graph_or_are_tensors():
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(TypeError, match=r"np.exp: writing into out= ndarrays would cut an input that requires grad"):
        np.exp(w, out=np.empty(2))
    with pytest.raises(TypeError, match=r"np.add: out= takes ndarrays, not Tensors; .*\(t \+= "):
        np.add(np.ones(2), 1.0, out=ag.zeros(2))


def test_np_square_of_booleans_and_integers_has_numpys_dtype():
    for values in (np.array([True, False]), np.array([2, 3], dtype=np.int16)):
        out = np.square(ag.tensor(values))
        assert out.dtype == np.square(values).dtype
        np.testing.assert_array_equal(out.data, np.square(values))


def test_np_any_and_all_and_their_methods_give_boolean_tensors():
    t = ag.tensor([[1.0, -2.0], [3.0, 4.0]], requires_grad=True)
    for got, expected in [(np.any(t > 3), True), (np.all(t > 0, axis=1), [False, True]), ((t > 0).all(), False),
                          ((t > 0).any(axis=0, keepdims=True), [[True, True]])]:
        assert isinstance(got, ag.Tensor) and got.dtype == bool and not got.requires_grad
        np.testing.assert_array_equal(got.data, expected)


def test_np_zeros_like_honours_dtype():
    out = np.zeros_like(ag.tensor([1.0, 2.0]), dtype=np.float32)
    assert isinstance(out, ag.Tensor) and out.dtype == np.float32


def test_np_ones_like_gives_ones():
    out = np.ones_like(ag.tensor([[5.0, 2.0]]))
    assert isinstance(out, ag.Tensor) and out.tolist() == [[1.0, 1.0]]


def test_np_isclose_gives_a_tensor():
    out = np.isclose(ag.tensor([1.0, 2.0]), 1.0)
    assert isinstance(out, ag.Tensor) and out.tolist() == [True, False]


def test_np_where_of_a_2d_condition_gives_row_then_column_indices():
    cond = ag.tensor([[False, True], [False, False]])
    rows, cols = np.where(cond)
    assert rows.tolist() == [0] and cols.tolist() == [1]


def test_np_dot_of_3d_operands_follows_numpy():
    # (it refused them before ag.dot took NumPy's rule: a's last axis against b's second-to-last)
    a, b = np.arange(12.0).reshape(2, 3, 2), np.arange(24.0).reshape(4, 2, 3)
    out = np.dot(ag.tensor(a), ag.tensor(b))
    assert isinstance(out, ag.Tensor) and out.shape == (2, 3, 4, 3)
    np.testing.assert_array_equal(out.data, np.dot(a, b))


def test_np_divmod_gives_quotient_then_remainder():
    q, r = np.divmod(ag.tensor([7.0]), 2.0)
    assert q.tolist() == [3.0] and r.tolist() == [1.0]


def test_np_sum_with_the_inputs_own_integer_dtype_is_numpys():
    values = np.array([[1, 2, 3], [4, 5, 6]])
    out = np.sum(ag.tensor(values), axis=0, dtype=values.dtype)
    expected = np.sum(values, axis=0, dtype=values.dtype)
    np.testing.assert_array_equal(out.data, expected)
    assert out.dtype == expected.dtype


# ---- found by a differential run against NumPy ------------------------------------------------------
@pytest.mark.parametrize("spec", [np.float64, "float32", np.dtype(np.int8), np.float16, int])
@pytest.mark.parametrize("dtype", [np.float32, np.int64, np.bool_])
def test_result_type_takes_dtype_specifiers_as_numpy(spec, dtype):
    value = np.zeros(2, dtype=dtype)
    assert np.result_type(ag.tensor(value), spec) == np.result_type(value, spec)


def test_np_power_of_a_boolean_tensor_by_the_python_int_2_has_numpys_dtype():
    value = np.array([True, False, True])
    out = np.power(ag.tensor(value), 2)
    expected = np.power(value, 2)  # int64 (the Python int's default integer), where value ** 2 takes np.square: int8
    assert out.dtype == expected.dtype
    np.testing.assert_array_equal(out.data, expected)


def test_np_positive_of_a_boolean_tensor_is_refused_as_numpy_refuses_it():
    value = np.array([True, False])
    with pytest.raises(TypeError):
        np.positive(value)  # the reference: NumPy has no positive for booleans (nor does torch)
    with pytest.raises(TypeError):
        np.positive(ag.tensor(value))


@pytest.mark.parametrize("func", [np.argmax, np.argmin])
def test_positional_out_of_argmax_is_refused_with_a_type_error_naming_out(func):
    t = ag.tensor([[1.0, 5.0], [7.0, 2.0]])
    out = np.empty(2, dtype=np.intp)
    func(t.data, 1, out)  # valid NumPy: the third positional argument is out
    with pytest.raises(TypeError, match="out"):
        func(t, 1, out)


def test_unary_plus_of_a_bool_tensor_is_refused_as_numpy_and_torch_refuse_it():
    with pytest.raises(TypeError):
        +np.array([True])  # the reference
    with pytest.raises(TypeError, match=r"^unary \+: not supported for bool Tensors"):
        +ag.tensor([True])
    t = ag.tensor([1.0])
    assert +t is t and np.positive(t) is t  # the Tensor itself, as torch.positive


@pytest.mark.parametrize("base", [np.array([True, False]), ag.tensor([True, False])], ids=["array", "Tensor"])
def test_np_power_of_a_bool_base_keeps_the_exponents_gradient(base):
    y = ag.tensor([1.0, 2.0], requires_grad=True)
    z = np.power(base, y)
    np.testing.assert_array_equal(z.data, [1.0, 0.0])
    assert z.requires_grad  # as base ** y, and torch.pow(bool_tensor, y)
    z.sum().backward()  # d(b**y)/dy = b**y log b: 0 at b = 1; 0 at b = 0 (torch's convention)
    np.testing.assert_array_equal(y.grad.data, [0.0, 0.0])


# A ufunc called on Tensors with keywords at NumPy's defaults (where=True, subok=True, casting='same_kind',
# order='K') runs the engine's operation, as np.sum(t, where=True) does; any other value is refused by name.

@pytest.mark.parametrize("call", [
    lambda x: np.exp(x, where=True), lambda x: np.add(x, 1.0, subok=True),
    lambda x: np.multiply(x, x, casting="same_kind", order="K"), lambda x: np.sin(x, where=True, casting="same_kind"),
])
def test_default_keywords_taken(call):
    x = ag.tensor([0.5, 2.0], requires_grad=True)
    y = call(x)
    assert isinstance(y, ag.Tensor) and y.requires_grad
    np.testing.assert_allclose(y.data, call(x.data))
    y.sum().backward()
    assert x.grad is not None


@pytest.mark.parametrize("call, named", [
    (lambda x: np.exp(x, where=np.array([True, False])), "where="), (lambda x: np.exp(x, where=False), "where=False"),
    (lambda x: np.exp(x, casting="unsafe"), "casting='unsafe'"), (lambda x: np.exp(x, order="C"), "order='C'"),
    (lambda x: np.exp(x, where=1), "where=1"),
])
def test_other_values_refused_by_name(call, named):
    with pytest.raises(TypeError, match=f"np.exp on Tensors takes no keyword arguments; got {named}"):
        call(ag.tensor([0.5, 2.0], requires_grad=True))


# np.add.reduce (and multiply, maximum, minimum) on Tensors with where=True, NumPy's default, runs the engine's
# reduction, as np.sum(t, where=True) does; an argument it cannot take (dtype=, initial=, where= a mask) is named in
# the refusal.

def _leaf_2x3():
    return ag.tensor([[1.0, -2.0, 3.0], [4.0, 5.0, -6.0]], requires_grad=True)


@pytest.mark.parametrize("ufunc, op", [(np.add, ag.sum), (np.multiply, ag.prod), (np.maximum, ag.max),
                                       (np.minimum, ag.min)])
def test_where_true_is_the_default(ufunc, op):
    x = _leaf_2x3()
    y = ufunc.reduce(x, axis=1, where=True)
    assert y.requires_grad
    np.testing.assert_allclose(y.data, ufunc.reduce(x.data, axis=1))
    y.sum().backward()
    g = x.grad.data.copy()
    x.grad = None
    op(x, axis=1).sum().backward()
    np.testing.assert_allclose(g, x.grad.data)


@pytest.mark.parametrize("call, named", [
    (lambda t: np.add.reduce(t, dtype=np.float32), r"np.add.reduce with dtype= "),
    (lambda t: np.maximum.reduce(t, initial=0.0), r"np.maximum.reduce with initial= "),
    (lambda t: np.add.reduce(t, where=np.array([True, False, True])), r"np.add.reduce with where= "),
    (lambda t: np.minimum.reduce(t, axis=0, initial=9.0, where=np.array([True, False, True])),
     r"np.minimum.reduce with initial=, where= "),
])
def test_unsupported_arguments_named(call, named):
    with pytest.raises(TypeError, match=named + r"is not supported on autograd_core Tensors; it takes axis= and "
                                                r"keepdims=") as caught:
        call(_leaf_2x3())
    assert ("cast with t.astype(dtype) first" in str(caught.value)) == ("dtype=" in named)


# np.full_like, np.zeros_like and np.ones_like on Tensors take NumPy's argument name a= (the engine's functions name
# it x).

@pytest.mark.parametrize("name, extra", [("full_like", {"fill_value": 2.5}), ("zeros_like", {}), ("ones_like", {})])
def test_numpy_argument_names(name, extra):
    x = np.arange(3.0, dtype=np.float32)
    expected = getattr(np, name)(a=x, shape=(2, 3), **extra)
    got = getattr(np, name)(a=ag.tensor(x), shape=(2, 3), **extra)
    assert isinstance(got, ag.Tensor) and got.dtype == expected.dtype
    np.testing.assert_array_equal(got.data, expected)


def test_full_like_keeps_a_fill_that_requires_grad():
    w = ag.tensor(2.0, requires_grad=True)
    out = np.full_like(a=ag.ones(3), fill_value=w)
    out.sum().backward()
    assert float(w.grad) == 3.0


# ---- neural networks from scratch in NumPy, their arrays made Tensors: the forward keeps the original NumPy calls,
# and autograd's gradients are the code's own hand-written backward's, to float64 rounding. Forwards and backwards as
# in the "Neural Networks from Scratch" book (Sentdex/nnfs_book), Nielsen's network.py/network2.py and cs231n ----
def _from_scratch_data(n=12, features=3, classes=4, hidden=5):
    rng = np.random.default_rng(7)
    X = rng.standard_normal((n, features))
    y = rng.integers(0, classes, n)
    weights = [0.5 * rng.standard_normal((features, hidden)), 0.1 * rng.standard_normal((1, hidden)),
               0.5 * rng.standard_normal((hidden, classes)), 0.1 * rng.standard_normal((1, classes))]
    keep = rng.binomial(1, 0.8, size=(n, hidden)) / 0.8  # the book's dropout mask
    return X, y, weights, keep


def _softmax_network_loss(X, y, W1, b1, W2, b2, keep, l2):
    """The book's Dense, ReLU, Dropout, Dense, Softmax and clipped categorical cross-entropy, with L2 on W1."""
    hidden = np.maximum(0, np.dot(X, W1) + b1) * keep
    logits = np.dot(hidden, W2) + b2
    exp_values = np.exp(logits - np.max(logits, axis=1, keepdims=True))
    probabilities = exp_values / np.sum(exp_values, axis=1, keepdims=True)
    correct_confidences = np.clip(probabilities, 1e-7, 1 - 1e-7)[range(len(y)), y]
    return np.mean(-np.log(correct_confidences)) + l2 * np.sum(W1 * W1)


def test_from_scratch_softmax_network_gets_the_books_hand_written_gradients():
    X, y, (W1, b1, W2, b2), keep = _from_scratch_data()
    params = [ag.tensor(p, requires_grad=True) for p in (W1, b1, W2, b2)]
    loss = _softmax_network_loss(X, y, *params, keep, l2=5e-4)
    loss.backward()
    # the book's backward, on the ndarrays
    pre = np.dot(X, W1) + b1
    hidden = np.maximum(0, pre) * keep
    logits = np.dot(hidden, W2) + b2
    probabilities = np.exp(logits - logits.max(axis=1, keepdims=True))
    probabilities /= probabilities.sum(axis=1, keepdims=True)
    assert np.all(pre != 0) and np.all(probabilities[range(len(y)), y] > 1e-7)  # off the ReLU's kink and the clip
    dlogits = probabilities.copy()
    dlogits[range(len(y)), y] -= 1
    dlogits = dlogits / len(y)
    dhidden = np.dot(dlogits, W2.T) * keep
    dpre = dhidden.copy()
    dpre[pre <= 0] = 0
    expected = [np.dot(X.T, dpre) + 2 * 5e-4 * W1, np.sum(dpre, axis=0, keepdims=True), np.dot(hidden.T, dlogits),
                np.sum(dlogits, axis=0, keepdims=True)]
    assert float(loss) == pytest.approx(float(_softmax_network_loss(X, y, W1, b1, W2, b2, keep, 5e-4)), rel=1e-15)
    for param, want in zip(params, expected):
        np.testing.assert_allclose(param.grad.data, want, rtol=1e-12, atol=1e-15)


def test_from_scratch_softmax_network_gradients_are_torchs():
    torch = pytest.importorskip("torch")
    X, y, weights, keep = _from_scratch_data()
    params = [ag.tensor(p, requires_grad=True) for p in weights]
    _softmax_network_loss(X, y, *params, keep, l2=5e-4).backward()
    tp = [torch.tensor(p, requires_grad=True) for p in weights]
    hidden = torch.relu(torch.tensor(X) @ tp[0] + tp[1]) * torch.tensor(keep)
    log_probs = torch.log_softmax(hidden @ tp[2] + tp[3], dim=1)
    (torch.nn.functional.nll_loss(log_probs, torch.tensor(y)) + 5e-4 * (tp[0] * tp[0]).sum()).backward()
    for param, theirs in zip(params, tp):
        np.testing.assert_allclose(param.grad.data, theirs.grad.numpy(), rtol=1e-10, atol=1e-15)


def _sigmoid(z):  # network.py's
    return 1.0 / (1.0 + np.exp(-z))


@pytest.mark.parametrize("cost", ["quadratic", "cross-entropy"])
def test_nielsens_network_gets_its_backprop_gradients(cost):
    rng = np.random.default_rng(3)
    sizes = [4, 3, 2]
    biases = [rng.standard_normal((n, 1)) for n in sizes[1:]]
    weights = [rng.standard_normal((n, m)) for m, n in zip(sizes[:-1], sizes[1:])]
    x, y = rng.standard_normal((4, 1)), np.array([[0.0], [1.0]])
    tb, tw = [ag.tensor(b, requires_grad=True) for b in biases], [ag.tensor(w, requires_grad=True) for w in weights]
    a = x
    for b, w in zip(tb, tw):  # feedforward
        a = _sigmoid(np.dot(w, a) + b)
    if cost == "quadratic":  # network2.py's QuadraticCost.fn and CrossEntropyCost.fn
        loss = 0.5 * np.linalg.norm(a - y) ** 2
    else:
        loss = np.sum(np.nan_to_num(-y * np.log(a) - (1 - y) * np.log(1 - a)))
    loss.backward()
    # network.py's backprop (network2.py's delta for the cross-entropy cost)
    activations, zs = [x], []
    for b, w in zip(biases, weights):
        zs.append(np.dot(w, activations[-1]) + b)
        activations.append(_sigmoid(zs[-1]))
    delta = activations[-1] - y
    if cost == "quadratic":
        delta = delta * _sigmoid(zs[-1]) * (1 - _sigmoid(zs[-1]))
    nabla_b, nabla_w = [delta], [np.dot(delta, activations[-2].transpose())]
    delta = np.dot(weights[-1].transpose(), delta) * _sigmoid(zs[-2]) * (1 - _sigmoid(zs[-2]))
    nabla_b.insert(0, delta)
    nabla_w.insert(0, np.dot(delta, activations[-3].transpose()))
    for t, want in zip(tb + tw, nabla_b + nabla_w):
        np.testing.assert_allclose(t.grad.data, want, rtol=1e-12, atol=1e-15)


def test_cs231n_vectorized_losses_get_their_hand_written_gradients():
    rng = np.random.default_rng(5)
    X, y, W0, reg = rng.standard_normal((10, 6)), rng.integers(0, 4, 10), 0.1 * rng.standard_normal((6, 4)), 0.05
    num_train, rows = X.shape[0], np.arange(X.shape[0])
    # softmax_loss_vectorized
    W = ag.tensor(W0, requires_grad=True)
    scores = np.dot(X, W)  # (X.dot(W), the ndarray's method, gives an ndarray: it cannot dispatch to the engine)
    scores -= np.max(scores, axis=1, keepdims=True)
    probs = np.exp(scores) / np.sum(np.exp(scores), axis=1, keepdims=True)
    (-np.sum(np.log(probs[rows, y])) / num_train + reg * np.sum(W * W)).backward()
    dscores = probs.detach().numpy().copy()
    dscores[rows, y] -= 1
    np.testing.assert_allclose(W.grad.data, X.T.dot(dscores) / num_train + 2 * reg * W0, rtol=1e-12, atol=1e-15)
    # svm_loss_vectorized; `margins[rows, y] = 0` as the refusal's message rewrites it
    W = ag.tensor(W0, requires_grad=True)
    scores = np.dot(X, W)
    margins = np.maximum(0, scores - scores[rows, y].reshape(-1, 1) + 1)
    hit = np.zeros(margins.shape, bool)
    hit[rows, y] = True
    margins = ag.where(hit, 0, margins)
    (np.sum(margins) / num_train + reg * np.sum(W * W)).backward()
    binary = (margins.detach().numpy() > 0).astype(float)
    assert np.all(margins.detach().numpy()[~hit] != 0)  # off np.maximum's kink, where the hand gradient takes 0
    binary[rows, y] = -np.sum(binary, axis=1)
    np.testing.assert_allclose(W.grad.data, X.T.dot(binary) / num_train + 2 * reg * W0, rtol=1e-12, atol=1e-15)


def test_min_char_rnn_gets_its_hand_written_bptt_gradients_and_clips_them_in_place():
    # Karpathy's min-char-rnn.py lossFun: the forward on Tensors as written, .backward() for its backward pass
    rng = np.random.default_rng(11)
    vocab, hidden = 5, 6
    Wxh, Whh, Why = (0.5 * rng.standard_normal(shape) for shape in ((hidden, vocab), (hidden, hidden), (vocab, hidden)))
    bh, by, hprev = 0.1 * rng.standard_normal((hidden, 1)), 0.1 * rng.standard_normal((vocab, 1)), np.zeros((hidden, 1))
    inputs, targets = [0, 3, 1, 4, 4, 2, 0], [2] * 7  # one target throughout: dby's entry for it passes -5
    params = [ag.tensor(p, requires_grad=True) for p in (Wxh, Whh, Why, bh, by)]
    tWxh, tWhh, tWhy, tbh, tby = params
    xs, hs, ps, loss = {}, {-1: np.copy(hprev)}, {}, 0
    for t in range(len(inputs)):
        xs[t] = np.zeros((vocab, 1))
        xs[t][inputs[t]] = 1
        hs[t] = np.tanh(np.dot(tWxh, xs[t]) + np.dot(tWhh, hs[t - 1]) + tbh)
        ys = np.dot(tWhy, hs[t]) + tby
        ps[t] = np.exp(ys) / np.sum(np.exp(ys))
        loss += -np.log(ps[t][targets[t], 0])
    loss.backward()
    grads = [p.grad for p in params]
    for dparam in grads:
        np.clip(dparam, -5, 5, out=dparam)
    # the gist's backward, on the values
    hs = {t: np.asarray(h.detach()) if isinstance(h, ag.Tensor) else h for t, h in hs.items()}
    dWxh, dWhh, dWhy, dbh, dby = (np.zeros_like(p) for p in (Wxh, Whh, Why, bh, by))
    dhnext = np.zeros_like(hs[0])
    for t in reversed(range(len(inputs))):
        dy = ps[t].detach().numpy().copy()
        dy[targets[t]] -= 1
        dWhy += np.dot(dy, hs[t].T)
        dby += dy
        dh = np.dot(Why.T, dy) + dhnext
        dhraw = (1 - hs[t] * hs[t]) * dh
        dbh += dhraw
        dWxh += np.dot(dhraw, xs[t].T)
        dWhh += np.dot(dhraw, hs[t - 1].T)
        dhnext = np.dot(Whh.T, dhraw)
    assert dby.min() < -5  # the clip acts
    for got, hand in zip(grads, (dWxh, dWhh, dWhy, dbh, dby)):
        np.testing.assert_allclose(got.data, np.clip(hand, -5, 5), rtol=1e-12, atol=1e-15)


# ---- np.append, np.delete and np.unravel_index were refused as unsupported: from-scratch code appends a bias column
# or a loss, and a max-pooling layer unravels np.argmax's flat index ----
@pytest.mark.parametrize("first, second, axis", [
    ("t", "t", 0), ("t", [1.0, 2.0], None), ("t", np.ones((4, 1)), 1), (np.ones(2), "t", None), ("t", "t", -1)])
def test_np_append_gives_numpys_values_and_a_gradient_to_each_part(first, second, axis):
    value = np.arange(12.0).reshape(4, 3)
    t = ag.tensor(value, requires_grad=True)
    parts = [t if isinstance(p, str) else p for p in (first, second)]
    out = np.append(*parts, axis=axis)
    expected = np.append(*[value if isinstance(p, str) else p for p in (first, second)], axis=axis)
    assert isinstance(out, ag.Tensor) and out.dtype == expected.dtype
    np.testing.assert_array_equal(out.data, expected)
    weights = np.arange(1.0, out.size + 1).reshape(out.shape)
    (out * weights).sum().backward()
    # hand: each entry of t gets the weight where np.append put it (twice when t is both parts)
    placed = np.append(*[np.arange(12).reshape(4, 3) if isinstance(p, str) else np.full(np.shape(p), -1) for p in
                         (first, second)], axis=axis)
    expected_grad = np.zeros(12)
    np.add.at(expected_grad, placed[placed >= 0], weights[placed >= 0])
    np.testing.assert_array_equal(t.grad.data, expected_grad.reshape(4, 3))


@pytest.mark.parametrize("obj, axis", [(0, None), (1, 0), ([0, 2], 1), (slice(0, 2), 0),
                                       (np.array([True, False, True]), 1), (-1, 1), (ag.tensor([1, 3]), 0)])
def test_np_delete_gives_numpys_values_and_no_gradient_to_what_it_deleted(obj, axis):
    value = np.arange(12.0).reshape(4, 3)
    t = ag.tensor(value, requires_grad=True)
    out = np.delete(t, obj, axis=axis)
    plain_obj = obj.numpy() if isinstance(obj, ag.Tensor) else obj
    np.testing.assert_array_equal(out.data, np.delete(value, plain_obj, axis=axis))
    out.sum().backward()
    kept = np.delete(np.arange(12).reshape(4, 3), plain_obj, axis=axis).ravel()
    np.testing.assert_array_equal(t.grad.data.ravel(), np.isin(np.arange(12), kept).astype(float))


def test_np_delete_gradient_is_torchs_of_index_select():
    torch = pytest.importorskip("torch")
    value, weights = np.arange(12.0).reshape(4, 3), np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [7.0, 8.0]])
    t, tt = ag.tensor(value, requires_grad=True), torch.tensor(value, requires_grad=True)
    (np.delete(t, 1, axis=1) * weights).sum().backward()
    (tt.index_select(1, torch.tensor([0, 2])) * torch.tensor(weights)).sum().backward()
    np.testing.assert_array_equal(t.grad.data, tt.grad.numpy())


def test_np_delete_names_a_bad_axis_and_numpys_index_error_stands():
    t = ag.tensor(np.ones((4, 3)))
    with pytest.raises(np.exceptions.AxisError, match=r"np.delete on Tensors: axis 2 is out of range for 2 dimensions"):
        np.delete(t, 0, axis=2)
    with pytest.raises(IndexError, match="index 5 is out of bounds for axis 0 with size 4"):
        np.delete(t, 5, axis=0)


def test_np_unravel_index_of_np_argmax_picks_the_maximum_as_a_max_pool_does():
    window = ag.tensor([[1.0, 7.0, 2.0], [9.0, 3.0, 4.0]], requires_grad=True)
    index = np.unravel_index(np.argmax(window), window.shape)
    assert [int(i) for i in index] == [int(i) for i in np.unravel_index(np.argmax(window.data), (2, 3))] == [1, 0]
    assert all(isinstance(i, ag.Tensor) and not i.requires_grad for i in index)
    window[index].backward()
    np.testing.assert_array_equal(window.grad.data, [[0.0, 0.0, 0.0], [1.0, 0.0, 0.0]])
    rows, columns = np.unravel_index(ag.tensor([1, 5]), (2, 3))
    assert rows.tolist() == [0, 1] and columns.tolist() == [1, 2]


def test_np_append_along_an_axis_has_torchs_gradient_of_cat():
    torch = pytest.importorskip("torch")
    value, column, weights = np.arange(6.0).reshape(2, 3), np.ones((2, 1)), np.arange(8.0).reshape(2, 4)
    t, tt = ag.tensor(value, requires_grad=True), torch.tensor(value, requires_grad=True)
    (np.append(t, column, axis=1) * weights).sum().backward()
    (torch.cat([tt, torch.tensor(column)], dim=1) * torch.tensor(weights)).sum().backward()
    np.testing.assert_array_equal(t.grad.data, tt.grad.numpy())


def test_np_broadcast_arrays_broadcasts_tensors_differentiably_and_leaves_arrays_numpys():
    value, column = np.array([1.0, 2.0]), np.array([[0.0], [1.0], [2.0]])
    t = ag.tensor(value, requires_grad=True)
    broadcast_t, broadcast_column = np.broadcast_arrays(t, column)
    assert isinstance(broadcast_t, ag.Tensor) and type(broadcast_column) is np.ndarray
    for ours, numpys in zip((broadcast_t.data, broadcast_column), np.broadcast_arrays(value, column)):
        np.testing.assert_array_equal(ours, numpys)
    weights = np.arange(6.0).reshape(3, 2)
    (broadcast_t * weights).sum().backward()
    np.testing.assert_array_equal(t.grad.data, weights.sum(axis=0))  # each entry's copies, summed back: [6, 9]
    torch = pytest.importorskip("torch")
    tt = torch.tensor(value, requires_grad=True)
    (torch.broadcast_tensors(tt, torch.tensor(column))[0] * torch.tensor(weights)).sum().backward()
    np.testing.assert_array_equal(t.grad.data, tt.grad.numpy())


def test_matplotlib_bar_takes_tensor_positions_and_heights():
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    heights = ag.softmax(ag.tensor([4.51, 0.89, 6.75]) / 5, dim=0)  # LLMs-from-scratch ch05's temperature plot
    figure, axes = plt.subplots()
    try:
        bars = axes.bar(ag.arange(3) + 0.15, heights, 0.15)
        np.testing.assert_allclose([bar.get_height() for bar in bars], heights.data, rtol=0, atol=0)
        np.testing.assert_allclose([bar.get_x() for bar in bars], np.arange(3) + 0.15 - 0.075, rtol=1e-15)
    finally:
        plt.close(figure)
