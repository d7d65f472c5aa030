"""Changing a Tensor in place (autograd_core/in_place_record.py): the in-place operators on leaves, constants and
recorded results, item assignment (`t[index] = value`) as NumPy's and, while recording, as PyTorch's index_put_, and
`zero_`, each as NumPy changes arrays and PyTorch changes Tensors, counted so that a rule reading a changed value refuses
backward."""
import numpy as np
import pytest

import autograd_core as ag


# ---- in-place operators ------------------------------------------------------------------
IN_PLACE = [("+=", lambda a, b: a.__iadd__(b)), ("-=", lambda a, b: a.__isub__(b)),
            ("*=", lambda a, b: a.__imul__(b)), ("/=", lambda a, b: a.__itruediv__(b)),
            ("**=", lambda a, b: a.__ipow__(b)), ("@=", lambda a, b: a.__imatmul__(b))]


@pytest.mark.parametrize("symbol, update", IN_PLACE, ids=[s for s, _ in IN_PLACE])
def test_in_place_operators_update_a_leaf_itself_under_no_grad(symbol, update):
    start, other = np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[0.5, 2.0], [1.5, 0.25]])
    w = ag.tensor(start, requires_grad=True)
    w.grad = ag.tensor(np.full((2, 2), 7.0))
    alias, data = w, w.data
    with ag.no_grad():
        result = update(w, ag.tensor(other))
    expected = update(start.copy(), other)  # NumPy's in-place operator
    assert result is alias and w.data is data and w.is_leaf and w.requires_grad
    np.testing.assert_array_equal(w.data, expected)
    np.testing.assert_array_equal(w.grad.data, np.full((2, 2), 7.0))


def test_manual_sgd_over_a_parameter_list_updates_the_listed_parameters():
    params = [ag.tensor([1.0, 2.0], requires_grad=True), ag.tensor(3.0, requires_grad=True)]
    (params[0] ** 2).sum().backward()
    (params[1] * 5.0).backward()
    with ag.no_grad():
        for p in params:
            p -= 0.1 * p.grad
    np.testing.assert_allclose(params[0].data, [0.8, 1.6])
    np.testing.assert_allclose(params[1].data, 2.5)


def test_in_place_update_of_a_leaf_that_requires_grad_is_refused_while_recording():
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match=r"-=: a leaf Tensor that requires grad \(shape \(2,\)\) cannot be updated "
                                           r"in place .*ag.no_grad\(\)"):
        w -= 1.0
    np.testing.assert_array_equal(w.data, [1.0, 2.0])


def test_in_place_operators_while_recording_make_a_node_of_the_same_shape_and_dtype():
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    total = ag.tensor(0.0)  # the running-loss pattern: total += loss
    for k in (1.0, 2.0, 3.0):
        total += (w * k).sum()
    total.backward()
    assert not total.is_leaf and float(total) == 18.0
    np.testing.assert_array_equal(w.grad.data, [6.0, 6.0])
    acc = ag.zeros(2, dtype=np.float32)
    acc += w  # float64 into a float32 Tensor: kept float32, as NumPy's in-place add
    assert acc.dtype == np.float32 and acc.requires_grad
    with pytest.raises(ValueError, match=r"\+=: cannot update a Tensor of shape \(1,\) .* value of shape \(2,\)"):
        bucket = ag.zeros(1)
        bucket += w
    with pytest.raises(TypeError, match=r"\+=: cannot update a Tensor of shape \(2,\) and dtype int64 .*float64"):
        counts = ag.zeros(2, dtype=np.int64)
        counts += w


def test_writing_a_value_that_requires_grad_into_a_view_in_place_is_refused_not_lost():
    """`row += w` on a view of a constant is refused: the constant and its views are not rebased together (PyTorch
    writes through, making the base require grad). The plain accumulator `acc += w` works, as PyTorch's."""
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    out = ag.zeros((2, 2))
    row = out[0]
    with pytest.raises(RuntimeError, match=r"\+=: this Tensor \(shape \(2,\)\) shares its memory with a view or a "
                                           r"detached copy, which would keep the old values"):
        row += w
    with pytest.raises(RuntimeError, match=r"shares its memory"):
        out += ag.stack([w, w])  # the base too, while its view lives
    acc = ag.zeros(2)
    acc += w
    acc.sum().backward()
    assert acc.requires_grad and w.grad.data.tolist() == [1.0, 1.0]
    h = (w * 2).reshape(1, 2)  # a recorded view: h += w changes it (and its base), as PyTorch's
    h += w
    h.sum().backward()
    assert w.grad.data.tolist() == [4.0, 4.0]
    gone = ag.zeros(3)
    view = gone[:2]
    del view  # no view left: nothing else would keep the old values
    gone += ag.ones(3, requires_grad=True)
    assert gone.requires_grad


def test_a_view_of_a_leaf_that_requires_grad_changed_in_place_while_recording_is_refused_not_lost():
    """NumPy writes through a view, and PyTorch refuses `b += 1` on a view of a leaf that requires grad: a new node
    for b would leave the leaf's values as they were, silently. A view of a recorded result changed in place is
    still a new node (the residual `h += w` above), as `z += 1` is."""
    x = ag.tensor(np.arange(6.0).reshape(2, 3), requires_grad=True)
    transposed = x.T
    with pytest.raises(RuntimeError, match=r"-=: this Tensor \(shape \(3, 2\)\) is a view of a leaf Tensor that "
                                           r"requires grad, which would keep the old values"):
        transposed -= 1
    with pytest.raises(RuntimeError, match=r"\+=: .* is a view of a leaf Tensor"):
        row = x[0]
        row += x[1]
    np.testing.assert_array_equal(x.data, np.arange(6.0).reshape(2, 3))  # nothing was changed
    with ag.no_grad():  # the leaf itself, as an optimizer changes it
        x -= 1
    assert x.data[0, 0] == -1


def test_in_place_update_of_a_recorded_result_under_no_grad_is_counted_and_refused_at_backward():
    # As PyTorch: allowed, and refused later, at backward, by a rule that reads the changed value.
    h = ag.tensor([1.0, 2.0], requires_grad=True).exp()
    with ag.no_grad():
        h *= 2.0
    np.testing.assert_allclose(h.data, 2 * np.exp([1.0, 2.0]))
    with pytest.raises(RuntimeError, match=r"the 'exp' node saved for its gradient, its output, was changed in place"):
        h.sum().backward()


def test_in_place_operators_on_constants_follow_numpy():
    t = ag.zeros(2, dtype=np.float32)
    data = t.data
    t += np.array([0.5, 1.5])  # float64 cast into float32 in place
    assert t.data is data and t.dtype == np.float32
    np.testing.assert_array_equal(t.data, [0.5, 1.5])
    with pytest.raises(TypeError, match=r"\+=: cannot update a Tensor of shape \(2,\) and dtype int64 .* value of "
                                        r"shape \(\) and dtype float64"):
        counts = ag.zeros(2, dtype=np.int64)
        counts += 1.5
    with pytest.raises(ValueError, match=r"-=: cannot update a Tensor of shape \(2,\) .* value of shape \(3, 2\)"):
        t -= np.ones((3, 2))


# ---- item assignment ------------------------------------------------------------------------------
@pytest.mark.parametrize("index, value", [
    (1, 9.0), (slice(1, None), [7.0, 8.0, 9.0]), ((0, slice(None)), 5.0), (np.array([2, 0]), [[1.0], [2.0]]),
    (np.array([True, False, True]), 4.0), (Ellipsis, 0.5), ((slice(None), 1), np.array([3.0, 3.0, 3.0])),
], ids=["int", "slice", "row", "integer array", "mask", "ellipsis", "column"])
def test_item_assignment_on_a_constant_follows_numpy_in_place(index, value):
    start = np.arange(9.0).reshape(3, 3)
    t, expected = ag.tensor(start), start.copy()
    data = t.data
    t[index] = value
    expected[index] = value
    assert t.data is data
    np.testing.assert_array_equal(t.data, expected)


def test_item_assignment_takes_tensor_indices_and_values_and_casts_as_numpy():
    t = ag.zeros(4, dtype=np.int64)
    t[ag.tensor([1, 3])] = ag.tensor([2.7, -1.5])  # float into int truncates, as NumPy and PyTorch do
    np.testing.assert_array_equal(t.data, [0, 2, 0, -1])
    m = ag.tensor([1.0, -2.0, 3.0])
    m[m < 0] = 0.0
    np.testing.assert_array_equal(m.data, [1.0, 0.0, 3.0])


def test_item_assignment_through_a_view_changes_its_base_as_in_numpy():
    t = ag.zeros((2, 3))
    row = t[1]
    row[1:] = 4.0
    np.testing.assert_array_equal(t.data, [[0, 0, 0], [0, 4, 4]])
    assert t._version == row._version == 1


def test_item_assignment_on_a_leaf_that_requires_grad_needs_no_grad_as_in_pytorch():
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match=r"item assignment at index 0: a leaf Tensor that requires grad \(shape "
                                           r"\(2,\)\) cannot be updated in place .*ag.no_grad"):
        w[0] = 5.0
    with ag.no_grad():
        w[0] = 5.0
    np.testing.assert_array_equal(w.data, [5.0, 2.0])
    assert w.requires_grad and w.is_leaf


def test_item_assignment_of_a_value_that_requires_grad_makes_the_constant_a_recorded_result_as_torch():
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    t = ag.zeros(2)
    t[0] = w[1]
    t[1] = w[0] * 3
    assert t.tolist() == [2.0, 3.0] and t.requires_grad and not t.is_leaf
    (t * ag.tensor([10.0, 100.0])).sum().backward()
    assert w.grad.tolist() == [300.0, 10.0]


def test_item_assignment_on_a_recorded_result_under_no_grad_changes_it_and_a_rule_reading_it_refuses():
    # as PyTorch's: counted, so exp's rule (which reads its result) refuses; a use recorded after sees the new value
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    h = w.exp()
    with ag.no_grad():
        h[0] = 0.0
    assert h.tolist() == [0.0, float(np.exp(2.0))] and h._version == 1
    with pytest.raises(RuntimeError, match=r"the 'exp' node saved for its gradient, its output, was changed in place"):
        h.sum().backward()
    y = w * 3
    with ag.no_grad():
        y[1] = -1.0
    (y * y).sum().backward()  # multiply's rule reads w only: 2 y dy/dw at the new y
    np.testing.assert_array_equal(w.grad.data, [18.0, -6.0])


def _augmented_item_assignment_under_no_grad(lib):
    w = lib.tensor(np.array([1.0, 2.0, 3.0]), requires_grad=True)  # float64 in both
    y = w * 2.0
    with lib.no_grad():
        y[1:] += 1.0
    return w, y


def test_augmented_item_assignment_under_no_grad_on_a_recorded_result_writes_through_its_view():
    # Python runs tmp = y[1:] (a view taken under no_grad), tmp += 1 (a change through a view, counted), then
    # y[1:] = tmp, which was refused after y had already changed: the assignment writes each element onto itself.
    w, y = _augmented_item_assignment_under_no_grad(ag)
    np.testing.assert_array_equal(y.data, [2.0, 5.0, 7.0])
    np.testing.assert_array_equal(w.data, [1.0, 2.0, 3.0])
    assert y._version == 1
    (y * y).sum().backward()  # recorded after the change: the new values
    np.testing.assert_array_equal(w.grad.data, 2 * 2 * np.array([2.0, 5.0, 7.0]))
    h = ag.tensor([1.0, 2.0], requires_grad=True).exp()
    with ag.no_grad():
        h[[1]] += 1.0  # an advanced index copies; the assignment then writes it, as PyTorch's index_put_
    np.testing.assert_array_equal(h.data, np.exp([1.0, 2.0]) + [0.0, 1.0])


def test_augmented_item_assignment_under_no_grad_on_a_recorded_result_as_torch():
    torch = pytest.importorskip("torch")
    (_, ours), (_, theirs) = (_augmented_item_assignment_under_no_grad(lib) for lib in (ag, torch))
    np.testing.assert_array_equal(ours.data, theirs.detach().numpy())


def test_item_assignment_errors_name_the_index_and_the_shapes():
    t = ag.zeros(2)
    with pytest.raises(IndexError, match=r"item assignment at index 5: the index does not fit a Tensor of shape "
                                         r"\(2,\)"):
        t[5] = 1.0
    with pytest.raises(ValueError, match=r"item assignment at index slice\(None, None, None\) of a Tensor of shape "
                                         r"\(2,\): shape mismatch: a value of shape \(3,\) cannot be broadcast to "
                                         r"the indexing result's shape \(2,\)"):
        t[:] = [1.0, 2.0, 3.0]


# ---- zero_ -------------------------------------------------------------------------------------------
def test_zero_clears_a_grad_in_place_and_the_next_backward_accumulates_into_it():
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    (w * w).sum().backward()
    grad, array = w.grad, w.grad.data
    assert w.grad.zero_() is grad
    np.testing.assert_array_equal(array, [0.0, 0.0])
    (w * 3.0).sum().backward()
    assert w.grad is grad and w.grad.data is array
    np.testing.assert_array_equal(array, [3.0, 3.0])


def test_zero_under_no_grad_updates_a_leaf_that_requires_grad_itself():
    w = ag.tensor(np.array([[1.0, -2.0]], dtype=np.float32), requires_grad=True)
    data, version = w.data, w._version
    with ag.no_grad():
        assert w.zero_() is w
    assert w.data is data and w.dtype == np.float32 and w.is_leaf and w.requires_grad
    np.testing.assert_array_equal(w.data, [[0.0, 0.0]])
    assert w._version == version + 1


def test_zero_of_a_scalar_reduced_under_no_grad_updates_it():
    # A reduction's value may be a NumPy scalar, which cannot be updated in place: it is made an array first.
    with ag.no_grad():
        total = ag.tensor([1.0, 2.0], requires_grad=True).sum()
    assert total.zero_() is total and total.item() == 0.0


def test_in_place_operators_update_a_scalar_reduced_under_no_grad():
    with ag.no_grad():
        total = ag.tensor([1.0, 2.0]).sum()
    total += 1.0
    assert total.item() == 4.0


def test_zero_of_a_leaf_that_requires_grad_is_refused_while_recording():
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match=r"zero_: a leaf Tensor that requires grad \(shape \(2,\)\) cannot be "
                                           r"updated in place .*ag.no_grad\(\).*ag.zeros_like\(x\)"):
        w.zero_()
    np.testing.assert_array_equal(w.data, [1.0, 2.0])


def test_zero_of_a_recorded_result_takes_the_record_of_the_fill_as_torchs():
    # torch changes the result itself; here it takes the record of the fill (in_place_record.take_record), whose
    # history gets a zero gradient
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    h = w.exp()
    alias = h
    assert h.zero_() is h
    np.testing.assert_array_equal(alias.data, [0.0, 0.0])
    (h + w).sum().backward()
    np.testing.assert_array_equal(w.grad.data, [1.0, 1.0])


def test_zero_of_a_grad_recorded_by_create_graph_clears_it_for_the_next_backward_as_torchs():
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    (w * w).sum().backward(create_graph=True)
    w.grad.zero_()  # a new Tensor returned would keep w.grad = [2, 4], and the next backward add to it
    np.testing.assert_array_equal(w.grad.data, [0.0, 0.0])
    (w * w).sum().backward()
    np.testing.assert_array_equal(w.grad.data, [2.0, 4.0])


def test_zero_of_a_recorded_result_under_no_grad_zeroes_it_as_pytorchs():
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    h = w * 3
    with ag.no_grad():
        h.zero_()
    np.testing.assert_array_equal(h.data, [0.0, 0.0])
    h.sum().backward()  # multiply's record stays: its gradient passes by the change, as PyTorch's
    np.testing.assert_array_equal(w.grad.data, [3.0, 3.0])


def test_zero_of_a_saved_leaf_makes_the_graph_that_saved_it_refuse_backward():
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    y = (w ** 2).sum()
    with ag.no_grad():
        w.zero_()
    with pytest.raises(RuntimeError, match=r"the 'power' node saved for its gradient, an input .* was changed in place"):
        y.backward()


def test_deleting_an_element_is_a_typeerror_as_in_torch():
    # found by porting PyTorch's test_indexing.py (test_index): Python's AttributeError: __delitem__ before
    with pytest.raises(TypeError, match=r"del t\[0\]: a Tensor's elements cannot be deleted"):
        del ag.ones(3)[0]


# ---- found by porting PyTorch's TestAutogradForwardMode ------------------------------------------------------------
# A constant changed in place by an operation that reads it (`b *= x`, `b.mul_(x)`, `b.pow_(x)`) became that operation's
# node, and the node's saved constant was the Tensor itself, which a create_graph pass (and so ag.jvp and forward AD,
# which differentiate the recorded backward) read at its new value: d(b * x)/dx came out as the product, not b.
CONSTANT_READ = [("*=", lambda b, x: b.__imul__(x)), ("mul_", lambda b, x: b.mul_(x)),
                 ("pow_", lambda b, x: b.pow_(x)), ("div_", lambda b, x: b.div_(x))]


@pytest.mark.parametrize("name, update", CONSTANT_READ, ids=[c[0] for c in CONSTANT_READ])
def test_a_create_graph_pass_reads_a_constant_changed_in_place_at_its_old_value(name, update):
    torch = pytest.importorskip("torch")
    start, x0 = [0.5, 1.5, 2.0], [1.0, 2.0, 3.0]
    x = ag.tensor(x0, requires_grad=True)
    b = ag.tensor(start)
    update(b, x)
    (g,) = ag.autograd.grad((b * b).sum(), x, create_graph=True)
    (gg,) = ag.autograd.grad(g.sum(), x)
    tx = torch.tensor(x0, dtype=torch.float64, requires_grad=True)
    tb = torch.tensor(start, dtype=torch.float64)
    update(tb, tx)
    (tg,) = torch.autograd.grad((tb * tb).sum(), tx, create_graph=True)
    (tgg,) = torch.autograd.grad(tg.sum(), tx)
    np.testing.assert_allclose(g.data, tg.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(gg.data, tgg.numpy(), rtol=1e-12)
    _, tangent = ag.jvp(lambda x: update(ag.tensor(start), x), (ag.tensor(x0),), (ag.ones(3),))
    _, theirs = torch.func.jvp(lambda x: update(torch.tensor(start, dtype=torch.float64), x),
                               (torch.tensor(x0, dtype=torch.float64),), (torch.ones(3, dtype=torch.float64),))
    np.testing.assert_allclose(tangent.data, theirs.numpy(), rtol=1e-12)


# Found by porting PyTorch's test_binary_ufuncs.py (test_mul_intertype_scalar, test_pow_inplace_resizing_exception):
# an in-place operator whose result the Tensor cannot hold raised TypeError or ValueError only; PyTorch's
# RuntimeError ("result type Float can't be cast to the desired output type Int") is caught by ported code.
def test_an_in_place_operator_the_tensor_cannot_hold_raises_a_runtime_error_too():
    y = ag.tensor(3, dtype=np.int32)
    with pytest.raises(TypeError, match=r"^\*=: cannot update a Tensor of shape \(\) and dtype int32") as caught:
        y *= ag.tensor(1.5)
    assert isinstance(caught.value, RuntimeError) and y.item() == 3
    base = ag.tensor(2.0)
    with pytest.raises(ValueError, match=r"^pow_: cannot update a Tensor of shape \(\)") as caught:
        base.pow_(ag.ones(3))
    assert isinstance(caught.value, RuntimeError)
    with pytest.raises(ValueError, match=r"Integers to negative integer powers are not allowed\.") as caught:
        ag.tensor([1, 2], dtype=np.int32).pow_(-1)
    assert isinstance(caught.value, RuntimeError)


# Found by porting PyTorch's test_type_promotion.py (test_inplace, test_div_promotion_inplace): an in-place update
# whose result the Tensor cannot hold named only the operand's dtype (`i.div_(2)` of int64: "a value of dtype int64"),
# not the result's; it now says, as PyTorch, which result type can't be cast to the Tensor's dtype.
@pytest.mark.parametrize("update, result", [
    (lambda t: t.div_(2), "float64"), (lambda t: t.__itruediv__(ag.tensor([2, 2])), "float64"),
    (lambda t: t.add_(1.5), "float64"), (lambda t: t.mul_(ag.tensor([0.5, 1.0], dtype=np.float32)), "float64"),
    (lambda t: t.sqrt_(), "float64"), (lambda t: t.true_divide_(2), "float64"), (lambda t: t.clamp_(0.5, 3), "float64")])
def test_an_in_place_update_names_the_result_type_that_cannot_be_cast(update, result):
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError, match="can't be cast to"):
        torch.tensor([4, 9]).div_(2)
    t = ag.tensor([4, 9])
    with pytest.raises(RuntimeError, match=f"{result} can't be cast to .*int64") as caught:
        update(t)
    assert isinstance(caught.value, TypeError) and t.data.tolist() == [4, 9]
    assert ag.tensor([True]).add_(ag.tensor([True])).dtype == bool  # (bool + bool stays bool, as in PyTorch)
    with pytest.raises(RuntimeError, match="uint8 can't be cast to the Tensor's dtype bool"):
        ag.tensor([True, False]).add_(ag.tensor([1, 1], dtype=np.uint8))


# Found by checking README's in-place statements: `y //= x` on a recorded result failed inside the library
# (AttributeError in _rebase: floor division's result is a constant, with no record to take).
def test_floor_division_in_place_on_a_recorded_result_is_refused_clearly_and_a_constant_takes_it():
    x = ag.tensor([1.5, 2.5], requires_grad=True)
    y = x * 2
    with pytest.raises(RuntimeError, match=r"//=: its result has no gradient.*requires grad \(shape \(2,\)\)"):
        y //= 0.25
    np.testing.assert_array_equal(y.data, [3.0, 5.0])  # (unchanged by the refusal)
    c = ag.tensor([3.0, 7.0])
    c //= x  # a constant takes the constant result, as NumPy's //=
    np.testing.assert_array_equal(c.data, [2.0, 2.0])
    assert not c.requires_grad
    y = x * 2
    y %= 0.7  # remainder has a gradient (1): recorded, as PyTorch's
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.data, [2.0, 2.0])


def test_floor_divide_method_on_a_recorded_result_advises_the_method():
    # (review: floor_divide_'s refusal advised "x = x floor_divide ...", the operator's form made of the method name)
    y = ag.tensor([1.5, 2.5], requires_grad=True) * 2
    with pytest.raises(RuntimeError, match=r"floor_divide_: its result has no gradient.*x = x\.floor_divide\(\.\.\.\)"):
        y.floor_divide_(0.25)
    with pytest.raises(RuntimeError, match=r"x = x // \.\.\."):
        y //= 0.25


def test_floor_division_in_place_of_a_constant_sharing_memory_with_a_view_writes_the_constant_result():
    # (review: refused as writing a value that requires grad, though the result is a constant)
    x = ag.tensor([2.0, 2.0], requires_grad=True)
    c = ag.tensor([4.0, 5.0])
    v = c[:1]
    c //= x
    np.testing.assert_array_equal(c.data, [2.0, 2.0])
    np.testing.assert_array_equal(v.data, [2.0])  # (the view sees the change, as NumPy's and PyTorch's)
    assert not c.requires_grad
    c = ag.tensor([4.0, 5.0])
    v = c[:1]
    with pytest.raises(RuntimeError, match="shares its memory with a view"):  # (a result that requires grad)
        c *= x
