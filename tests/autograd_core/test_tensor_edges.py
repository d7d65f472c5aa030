"""The Tensor class's edges (autograd_core/tensor.py): what item assignment and the in-place operators refuse by name
(None, lists holding Tensors that require grad, Python ints beyond the integer dtype), ragged index sequences, and
slices whose bounds are Tensors, and attributes of the user's own (t.g = ...)."""
import re
import warnings

import numpy as np
import pytest

import autograd_core as ag


# `t[0] = None` silently wrote NaN (NumPy's cast of None), where torch refuses it, and where ag.tensor refuses None in
# its data and `t += None` is refused.

@pytest.mark.parametrize("index, value", [(0, None), (slice(None), [1.0, None, 3.0])])
def test_item_assignment_of_none_is_refused(index, value):
    t = ag.tensor([1.0, 2.0, 3.0])
    with pytest.raises(TypeError, match="None"):
        t[index] = value
    np.testing.assert_array_equal(t.data, [1.0, 2.0, 3.0])


def test_item_assignment_of_numbers_still_works():
    t = ag.tensor([1.0, 2.0, 3.0])
    t[0] = float("nan")
    t[1:] = np.array([4, 5], dtype=object)
    np.testing.assert_array_equal(t.data, [np.nan, 4.0, 5.0])


# While recording, a list or tuple holding Tensors that require grad, assigned into a constant (`c[:2] = [w, w]`) or
# added in place (`c += [w, w, w]`), was written without its gradients, silently cutting w from the graph, where
# `c[0] = w` and `c + [w, w, w]` refuse (PyTorch refuses a list in item assignment).

@pytest.mark.parametrize("change, symbol", [
    (lambda c, w: c.__setitem__(slice(0, 2), [w, w]), "item assignment at index slice"),
    (lambda c, w: c.__setitem__(slice(0, 2), (w, 1.0)), "item assignment at index slice"),
    (lambda c, w: c.__iadd__([w, w, w]), r"\+="),
    (lambda c, w: c.__imul__([[w], [1.0], [2.0]][0] * 3), r"\*="),
])
def test_a_list_holding_tensors_that_require_grad_is_refused_while_recording(change, symbol):
    w = ag.tensor(2.0, requires_grad=True)
    c = ag.zeros(3)
    with pytest.raises(TypeError, match=f"{symbol}.*holding Tensors that require grad"):
        change(c, w)
    assert c._version == 0 and not c.data.any()


def test_the_same_values_are_written_under_no_grad_and_lists_of_constants_while_recording():
    w = ag.tensor(2.0, requires_grad=True)
    c = ag.zeros(3)
    with ag.no_grad():
        c[0:2] = [w, w]
        c += [w, w, w]
    np.testing.assert_array_equal(c.data, [4.0, 4.0, 2.0])
    c[0:2] = [ag.tensor(1.0), 2.0]
    c += [1.0, ag.tensor(1.0), 1.0]
    np.testing.assert_array_equal(c.data, [2.0, 3.0, 3.0])


# An in-place operator or item assignment whose Python int does not fit the Tensor's integer dtype (`u8 += 300`,
# `u8[0] = -1`, as NumPy 2 refuses them) raised NumPy's bare OverflowError, naming neither the operation nor the
# Tensor, where `u8 + 300` names both.

@pytest.mark.parametrize("change, symbol", [
    (lambda t: t.__iadd__(300), r"\+="),
    (lambda t: t.__imul__(1000), r"\*="),
    (lambda t: t.__setitem__(0, -1), "item assignment at index 0"),
    (lambda t: t.__setitem__(1, 2 ** 70), "item assignment at index 1"),
])
def test_an_int_beyond_the_dtype_is_refused_with_the_operation_named(change, symbol):
    t = ag.zeros(3, dtype=np.uint8)
    with pytest.raises(OverflowError, match=f"{symbol}: cannot update a Tensor of shape .3,. and dtype uint8 in place"):
        change(t)
    assert t._version == 0 and not t.data.any()


# PixelCNN's autocompletion writes pixels into img.unsqueeze(0).expand(12, ...): NumPy's bare "assignment destination
# is read-only" came out under a message about shapes and dtypes; torch refuses too, asking for clone()
@pytest.mark.parametrize("change, symbol", [
    (lambda t: t.__setitem__((slice(None), 0), ag.tensor([1, 2, 3])),
     r"item assignment at index \(slice\(None, None, None\), 0\)"),
    (lambda t: t.__iadd__(1), r"\+="),
    (lambda t: t.fill_(1), "fill_"),
])
def test_writing_into_an_expanded_view_names_the_read_only_memory_and_clone(change, symbol):
    base = ag.zeros((1, 2), dtype=np.int64)
    expanded = base.expand(3, -1)
    with pytest.raises(ValueError, match=f"{symbol}: cannot update a Tensor of shape \\(3, 2\\) in place: its memory "
                                         f"is read-only, a view in which several elements share one memory location "
                                         f"\\(expand or broadcast_to\\).*clone\\(\\) it first"):
        change(expanded)
    assert not base.data.any()
    copy = expanded.clone()
    copy[:, 0] = ag.tensor([1, 2, 3])
    assert copy.tolist() == [[1, 0], [2, 0], [3, 0]]
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError, match="clone"):
        torch.zeros((1, 2), dtype=torch.int64).expand(3, -1)[:, 0] = torch.tensor([1, 2, 3])


# A ragged index sequence (x[[[0, 1], [1]]], item assignment or take_along_axis with one) raised NumPy's bare
# "inhomogeneous shape" ValueError from np.asarray, naming no operation.

@pytest.mark.parametrize("call, name", [
    (lambda x: x[[[0, 1], [1]]], "getitem"),
    (lambda x: x[[[0, 1], [1]], 0], "getitem"),
    (lambda x: x[[0, [1, 2]]], "getitem"),
    (lambda x: x.__setitem__([[0, 1], [1]], 1.0), "indexing"),
    (lambda x: ag.take_along_axis(x, [[0, 1], [1]], 1), "take_along_axis"),
])
def test_a_ragged_index_sequence_is_refused_with_the_operation_named(call, name):
    x = ag.zeros((2, 3))
    with pytest.raises(ValueError, match=f"^{name}: the index sequence .* is ragged"):
        call(x)
    assert x._version == 0
    with pytest.raises(ValueError):  # as NumPy
        np.zeros((2, 3))[[[0, 1], [1]]]


def test_rectangular_sequences_still_index():
    x = ag.tensor(np.arange(6.0).reshape(2, 3), requires_grad=True)
    picked = x[[[0, 1], [1, 1]]]
    assert picked.shape == (2, 2, 3)
    picked.sum().backward()
    np.testing.assert_array_equal(x.grad.data, [[1.0] * 3, [3.0] * 3])
    np.testing.assert_array_equal(ag.take_along_axis(x, [[2, 0], [1, 1]], 1).data, [[2.0, 0.0], [4.0, 4.0]])


# A slice whose bounds are Tensors or 0-d arrays (x[i:j], as PyTorch takes them) kept those objects in the recorded
# index, so changing a bound in place after the forward moved the slice backward put the gradient in: a silently
# shifted gradient, or a bare broadcasting ValueError. The bounds are read as ints when indexing, as PyTorch reads
# them.

@pytest.mark.parametrize("make", [ag.tensor, np.array])
def test_a_bound_changed_after_the_forward_leaves_the_gradient_in_place(make):
    x = ag.tensor(np.arange(10.0), requires_grad=True)
    i, j = make(2), make(8)
    loss = (x[i:j] * ag.arange(6.0)).sum()
    i += 1
    j += 1
    loss.backward()
    np.testing.assert_array_equal(x.grad.data, [0, 0, 0, 1, 2, 3, 4, 5, 0, 0])
    x2 = ag.tensor(np.arange(10.0), requires_grad=True)
    k = make(2)
    loss = (x2[:, None][k:, 0] * ag.arange(8.0)).sum()
    k += 3
    loss.backward()
    np.testing.assert_array_equal(x2.grad.data, [0, 0] + list(range(8)))


def test_bounds_that_are_no_integers_stay_refused():
    x = ag.tensor(np.arange(10.0), requires_grad=True)
    for bound in (1.5, ag.tensor(1.5), np.array([1, 2]), ag.tensor(True)):
        with pytest.raises(TypeError, match="getitem"):
            x[bound:]
    np.testing.assert_array_equal(x[ag.tensor(2):ag.tensor(7):ag.tensor(2)].data, [2.0, 4.0, 6.0])
    np.testing.assert_array_equal(x[True:3].data, [1.0, 2.0])


def test_reading_grad_of_a_result_that_keeps_none_warns_as_pytorch():
    # PyTorch warns "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed"; here it was
    # a silent None, which a newcomer reads as "no gradient flowed"
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    y = x * 3
    (y * y).sum().backward()
    with pytest.warns(UserWarning, match=r"grad: this Tensor is not a leaf .*'multiply'.*retain_grad"):
        assert y.grad is None
    kept = x * 3
    kept.retain_grad()
    (kept * kept).sum().backward()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert kept.grad is not None and x.grad is not None and ag.ones(2).grad is None


# ---- NumPy code's update `W = W - learning_rate * dW` (deeplearning.ai's update_parameters) run on a parameter while
# recording makes it a result: the next backward leaves its .grad None (PyTorch warns alike), and retain_grad, the
# first advice, would chain every step's graph; the warning names the in-place update under no_grad ----
def test_grad_of_a_parameter_updated_while_recording_names_the_in_place_update():
    w = ag.tensor([1.0, -2.0], requires_grad=True)
    (w * w).sum().backward()
    w = w - 0.1 * w.grad
    (w * w).sum().backward()
    with pytest.warns(UserWarning, match=r"'subtract'.*`w = w - lr \* w\.grad` while recording is such a result: "
                                         r"update it in place, `with ag\.no_grad\(\): w -= lr \* w\.grad`"):
        assert w.grad is None
    w = ag.tensor([1.0, -2.0], requires_grad=True)
    for _ in range(3):  # the advice: d(w.w)/dw = 2w, so each step scales w by 1 - 0.1 * 2
        (w * w).sum().backward()
        with ag.no_grad():
            w -= 0.1 * w.grad
        w.grad = None
    assert w.is_leaf
    np.testing.assert_allclose(w.data, np.array([1.0, -2.0]) * 0.8 ** 3, rtol=1e-15)
    torch = pytest.importorskip("torch")
    t = torch.tensor([1.0, -2.0], dtype=torch.float64, requires_grad=True)
    for _ in range(3):
        (t * t).sum().backward()
        with torch.no_grad():
            t -= 0.1 * t.grad
        t.grad = None
    np.testing.assert_array_equal(w.data, t.detach().numpy())

# ---- d2l.ai's sequence_mask writes `X[~mask] = value` into attention scores that a graph recorded: recorded, as
# PyTorch's index_put_, the same as the out-of-place masked_fill ----
def test_masked_assignment_to_a_recorded_result_is_masked_fill_in_place():
    w = ag.tensor([[1.0, 2.0, 3.0]], requires_grad=True)
    scores = w * 2
    mask = ag.tensor([[True, True, False]])
    scores[~mask] = -1e6
    scores.sum().backward()  # no gradient reaches a masked entry
    assert scores.tolist() == [[2.0, 4.0, -1e6]] and w.grad.tolist() == [[2.0, 2.0, 0.0]]
    w.grad = None
    masked = (w * 2).masked_fill(~mask, -1e6)
    masked.sum().backward()
    assert masked.tolist() == scores.tolist() and w.grad.tolist() == [[2.0, 2.0, 0.0]]


# ---- NumPy-from-scratch code writes into a copy of a recorded result: the softmax-cross-entropy gradient of the
# "Neural Networks from Scratch" book and cs231n (`d = probs.copy(); d[range(n), y] -= 1`), cs231n's SVM margins
# (`margins[np.arange(n), y] = 0`). Recorded as written (PyTorch's index_put_), with NumPy's values and torch's
# gradient, as is the NumPy rewrite without assignment ----
def test_integer_array_assignment_into_a_copy_of_a_recorded_result_has_numpys_values_and_the_rewrites():
    logits = np.array([[0.5, -1.0, 2.0], [1.5, 0.25, -0.5], [0.0, 1.0, 3.0], [2.0, -2.0, 0.5]])
    y = np.array([2, 0, 0, 2])  # row 3 repeats no index; NumPy's `-=` at an index given once subtracts once
    rows = range(len(y))
    x = ag.tensor(logits, requires_grad=True)
    d = x.copy()
    d[rows, y] -= 1
    in_place = logits.copy()
    in_place[rows, y] -= 1
    np.testing.assert_array_equal(d.data, in_place)
    (d * np.arange(12.0).reshape(4, 3)).sum().backward()
    np.testing.assert_array_equal(x.grad.data, np.arange(12.0).reshape(4, 3))
    x.grad = None
    hit = np.zeros(x.shape, bool)
    hit[rows, y] = True
    subtracted, zeroed = x - ag.where(hit, 1, 0), ag.where(hit, 0, x)  # the two rewrites the message names
    expected_subtracted, expected_zeroed = logits.copy(), logits.copy()
    expected_subtracted[rows, y] -= 1
    expected_zeroed[rows, y] = 0
    np.testing.assert_array_equal(subtracted.data, expected_subtracted)
    np.testing.assert_array_equal(zeroed.data, expected_zeroed)
    weights = np.arange(12.0).reshape(4, 3)
    ((subtracted + zeroed) * weights).sum().backward()
    np.testing.assert_array_equal(x.grad.data, weights + np.where(hit, 0.0, weights))  # hand: 1 + (0 where zeroed)


def test_numpy_rewrite_of_integer_array_assignment_has_torchs_gradient_of_the_in_place_form():
    torch = pytest.importorskip("torch")
    logits = np.array([[0.5, -1.0, 2.0], [1.5, 0.25, -0.5]])
    rows, y = np.arange(2), np.array([2, 0])
    weights = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    x = ag.tensor(logits, requires_grad=True)
    hit = np.zeros(x.shape, bool)
    hit[rows, y] = True
    ours = ag.where(hit, 0, x - ag.where(hit, 1, 0))
    (ours * weights).sum().backward()
    xt = torch.tensor(logits, requires_grad=True)
    theirs = xt.clone()
    theirs[rows, y] -= 1
    theirs[rows, y] = 0
    (theirs * torch.tensor(weights)).sum().backward()
    np.testing.assert_array_equal(ours.data, theirs.detach().numpy())
    np.testing.assert_array_equal(x.grad.data, xt.grad.numpy())


# A Tensor takes attributes of the user's own, as PyTorch's does: fast.ai's from-scratch backprop writes `inp.g = ...`
# on inputs, weights and intermediate results. They were refused (AttributeError: the class has __slots__).

def test_user_attributes_are_settable_on_leaves_results_and_parameters():
    import nn
    w = ag.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    out = ag.tensor([[1.0, 0.0]]) @ w
    parameter = nn.Parameter(ag.zeros(2))
    w.g, out.g, parameter.g = w * 2, out.sum(), "tag"
    np.testing.assert_array_equal(w.g.data, [[2.0, 4.0], [6.0, 8.0]])
    assert float(out.g) == 3.0 and parameter.g == "tag"
    assert not hasattr(w.detach(), "g") and not hasattr(w * 1, "g")  # each Tensor its own, as PyTorch's


def test_manual_backward_with_attributes_matches_autograd_and_torch():
    x = ag.tensor([[1.0, -2.0, 0.5], [0.3, 0.1, -1.0]])
    w = ag.tensor([[0.2, -0.1], [0.4, 0.3], [-0.5, 0.6]], requires_grad=True)
    out = (x @ w).clamp_min(0.0)
    loss = out.pow(2).mean()
    out.g = 2.0 * out / out.numel()  # fast.ai's lin_grad, by hand
    w.g = (x.unsqueeze(-1) * ((x @ w) > 0).float().unsqueeze(1) * out.g.unsqueeze(1)).sum(0)
    loss.backward()
    hand = x.data.T @ (2.0 * np.maximum(x.data @ w.data, 0) / 4)
    np.testing.assert_allclose(w.g.data, hand, rtol=1e-12)
    np.testing.assert_allclose(w.grad.data, hand, rtol=1e-12)
    torch = pytest.importorskip("torch")
    tw = torch.tensor(w.data, requires_grad=True)
    (torch.tensor(x.data) @ tw).clamp_min(0.0).pow(2).mean().backward()
    tw.g = tw.grad  # PyTorch takes the attribute too
    np.testing.assert_allclose(w.g.data, tw.g.numpy(), rtol=1e-12)


def test_user_attributes_survive_copy_deepcopy_and_pickle():
    import copy
    import pickle
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    w.g = ag.tensor([3.0, 4.0])
    for twin in (copy.copy(w), copy.deepcopy(w), pickle.loads(pickle.dumps(w))):
        np.testing.assert_array_equal(twin.g.data, [3.0, 4.0])
        assert twin.requires_grad
    result = w * 2
    result.g = 5
    for twin in (copy.deepcopy(result), pickle.loads(pickle.dumps(result))):  # a leaf of its value, as PyTorch's
        assert twin.g == 5 and twin.is_leaf and twin.requires_grad
    assert pickle.loads(pickle.dumps(w * 3)).__dict__ == {}


@pytest.mark.parametrize("args, sizes", [((2, 3, 4), "(2, 3, 4)"), ((1, 5), "(1, 5)")])
def test_pytorchs_tensor_of_sizes_names_the_creation_helper_to_use(args, sizes):
    # torch.Tensor(2, 3, 4) makes an uninitialised Tensor of those sizes; here the data comes first, so the error
    # (from the dtype 4 or the requires_grad 5) says what to write instead
    with pytest.raises(TypeError, match=rf"^Tensor: .*Tensor takes the data first \(data, requires_grad, dtype, "
                                        rf"name\): .* write ag\.empty\({re.escape(sizes)}\) or ag\.zeros"):
        ag.Tensor(*args)
    assert ag.empty(eval(sizes)).shape == eval(sizes)
    with pytest.raises(TypeError, match=r"^Tensor: requires_grad must be a bool, got 3$"):
        ag.Tensor([1.0], 3)  # data first: no sizes to name


# ---- t.grad: a gradient it cannot take is PyTorch's RuntimeError (and still a ValueError), t itself refused, and
# `del t.grad` sets None (PyTorch's test_autograd test_grad_assignment and test_attribute_deletion) ----
def test_an_assigned_gradient_of_another_shape_or_dtype_or_the_tensor_itself_is_refused_as_torchs():
    x = ag.tensor(np.ones((5, 5)))
    for wrong in (ag.ones((2, 2)), ag.ones((5, 5), dtype=np.int64), x):
        with pytest.raises(RuntimeError, match="grad: "):
            x.grad = wrong
        with pytest.raises(ValueError):
            x.grad = wrong
    with pytest.raises(RuntimeError, match=r"cannot be its own gradient; assign a copy, t.grad = t.clone\(\)"):
        x.grad = x
    assert x.grad is None
    x.grad = x.clone()  # a copy is taken
    np.testing.assert_array_equal(x.grad.data, np.ones((5, 5)))
    torch = pytest.importorskip("torch")
    tx = torch.ones(5, 5, dtype=torch.float64)
    for wrong in (torch.ones(2, 2, dtype=torch.float64), torch.ones(5, 5, dtype=torch.long), tx):
        with pytest.raises(RuntimeError):
            tx.grad = wrong


def test_deleting_grad_sets_it_to_none_as_torchs():
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    (w * w).sum().backward()
    np.testing.assert_array_equal(w.grad.data, [2.0, 4.0])
    del w.grad
    assert w.grad is None
    (3 * w).sum().backward()  # accumulates from nothing again
    np.testing.assert_array_equal(w.grad.data, [3.0, 3.0])
    torch = pytest.importorskip("torch")
    tw = torch.tensor([1.0, 2.0], requires_grad=True)
    (tw * tw).sum().backward()
    del tw.grad
    assert tw.grad is None


@pytest.mark.parametrize("make", [
    lambda m: m.zeros((2,), dtype=m.int64, requires_grad=True), lambda m: m.tensor([1, 2]).requires_grad_(),
    lambda m: m.ones(3, dtype=m.int64).new_zeros((2,), requires_grad=True),
    lambda m: m.ones(3, dtype=m.int64).new_full((2,), 1, requires_grad=True),
    lambda m: m.ones(3, dtype=m.int64).new_empty((2,), requires_grad=True),
])
def test_requires_grad_of_an_integer_tensor_is_a_runtime_error_as_torchs(make):
    # found by porting PyTorch's test_tensor_creation_ops (test_new_methods_requires_grad): a TypeError alone
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError, match="floating point"):
        make(torch)
    from autograd_core.tensor import GradDtypeError
    with pytest.raises(GradDtypeError, match="only floating-point Tensors can require gradients") as caught:
        make(ag)
    assert isinstance(caught.value, TypeError) and isinstance(caught.value, RuntimeError)


def test_ragged_nested_lists_raise_numpys_and_torchs_value_error_too():
    # found by porting PyTorch's test_tensor_creation_ops (torch.tensor of a list of unequal lengths: ValueError, as
    # np.array's); it was a TypeError alone
    torch = pytest.importorskip("torch")
    with pytest.raises(ValueError):
        torch.tensor([[1, 2], [3]])
    with pytest.raises(ValueError):
        np.array([[1, 2], [3]])
    for make in (ag.tensor, ag.as_tensor, ag.asarray):
        with pytest.raises(ValueError, match="Tensor: cannot make an array of list data") as caught:
            make([[1, 2], [3]])
        assert isinstance(caught.value, TypeError)


# Found by porting PyTorch's test_binary_ufuncs.py (its generated test___<op>___not_implemented): an operator given an
# object of a type it does not know raised, so that object's reflected method (__radd__, __rlshift__ ...) never ran.
class _Unknown:
    pass


class _Reflecting:
    def __radd__(self, other):
        return "radd"

    __rsub__ = __rmul__ = __rtruediv__ = __rfloordiv__ = __rmod__ = __rpow__ = __rmatmul__ = __radd__
    __rand__ = __ror__ = __rxor__ = __rlshift__ = __rrshift__ = __radd__


_OPERATORS = ["__lt__", "__le__", "__gt__", "__ge__", "__eq__", "__ne__", "__add__", "__radd__", "__iadd__", "__sub__",
              "__rsub__", "__isub__", "__mul__", "__rmul__", "__imul__", "__matmul__", "__rmatmul__", "__truediv__",
              "__rtruediv__", "__itruediv__", "__floordiv__", "__rfloordiv__", "__ifloordiv__", "__mod__", "__rmod__",
              "__imod__", "__pow__", "__rpow__", "__ipow__", "__lshift__", "__rlshift__", "__ilshift__", "__rshift__",
              "__rrshift__", "__irshift__", "__and__", "__rand__", "__iand__", "__xor__", "__rxor__", "__ixor__",
              "__or__", "__ror__", "__ior__"]


@pytest.mark.parametrize("dtype", [np.float32, np.int64, np.uint8])
@pytest.mark.parametrize("name", _OPERATORS)
def test_an_operator_given_an_unknown_object_returns_not_implemented_as_torch_s(name, dtype):
    torch = pytest.importorskip("torch")
    assert getattr(torch.empty((), dtype=getattr(torch, np.dtype(dtype).name)), name)(_Unknown()) is NotImplemented
    assert getattr(ag.zeros((), dtype=dtype), name)(_Unknown()) is NotImplemented


@pytest.mark.parametrize("symbol", ["+", "-", "*", "/", "//", "%", "**", "@", "&", "|", "^", "<<", ">>"])
def test_the_unknown_object_s_reflected_operator_then_runs_and_python_names_both_types(symbol):
    names = {"t": ag.tensor([1, 2]), "_Reflecting": _Reflecting, "_Unknown": _Unknown}
    assert eval(f"t {symbol} _Reflecting()", names) == "radd"
    exec(f"t {symbol}= _Reflecting()", names)  # (x op= obj: x = x op obj)
    assert names["t"] == "radd"
    names["t"] = ag.tensor([1, 2])
    with pytest.raises(TypeError, match=rf"unsupported operand type\(s\) for {re.escape(symbol)}( or pow\(\))?: "
                                        rf"'Tensor' and '_Unknown'"):
        eval(f"t {symbol} _Unknown()", names)


def test_operators_still_name_themselves_for_strings_and_object_arrays():
    with pytest.raises(TypeError, match="^add: unsupported input of dtype <U1"):
        ag.tensor([1.0]) + "a"
    with pytest.raises(TypeError, match="^bitwise_and: "):
        ag.tensor([1]) & np.array([object()])


def test_nan_into_an_integer_dtype_is_no_ragged_data_error():
    # found by review: any ValueError of NumPy's array() became RaggedDataError, also NaN given an integer dtype
    from autograd_core.tensor import RaggedDataError
    with pytest.raises(TypeError, match="cannot convert float NaN to integer") as caught:
        ag.tensor(float("nan"), dtype=np.int64)
    assert not isinstance(caught.value, RaggedDataError)
    with pytest.raises(RaggedDataError, match="inhomogeneous"):
        ag.tensor([[1, 2], [3]])


@pytest.mark.parametrize("call", [
    lambda t, **k: t.new_zeros((2, 3), **k), lambda t, **k: t.new_ones(2, 3, **k),
    lambda t, **k: t.new_full((2, 3), -4.5, **k), lambda t, **k: t.new_empty((2, 3), **k),
    lambda t, **k: t.new_tensor([[1.0, 2.0, 3.0]] * 2, **k),
])
def test_new_methods_take_device_as_torch(call):
    # found by porting PyTorch's OpInfo entries (new_zeros, new_ones, new_full, new_empty): their samples pass
    # device="cpu", which was refused as an unexpected keyword; another device is refused by name
    from autograd_core._arguments import DeviceError

    out = call(ag.zeros(1, dtype=np.float32), device="cpu", dtype=np.float64)
    assert out.shape == (2, 3) and out.dtype == np.float64
    values = {"new_zeros": 0.0, "new_ones": 1.0, "new_full": -4.5, "new_tensor": [1.0, 2.0, 3.0]}
    for name in set(call.__code__.co_names) & set(values):  # (new_empty's values are any)
        np.testing.assert_array_equal(out.data, np.broadcast_to(values[name], (2, 3)))
    assert call(ag.zeros(1, dtype=np.float32), device=None).dtype == np.float32
    with pytest.raises(DeviceError, match="device 'cuda' is not available"):
        call(ag.zeros(1), device="cuda")
    torch = pytest.importorskip("torch")
    expected = call(torch.zeros(1, dtype=torch.float32), device="cpu", dtype=torch.float64)
    assert out.shape == tuple(expected.shape)
