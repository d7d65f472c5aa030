"""PyTorch's names and keywords for the binary elementwise operations (autograd_core/torch_binary.py): torch.add's
alpha=, torch.divide's rounding_mode=, the bitwise names and the in-place forms, against PyTorch. Found by porting
PyTorch's test_binary_ufuncs.py, whose calls (torch.divide(a, b, rounding_mode="floor"), torch.add(a, b, alpha=-1),
a.logical_xor_(b), x.fmod_(m), a.true_divide_(b)) were missing here."""
import numpy as np
import pytest

import autograd_core as ag
from autograd_core.testing import gradcheck


@pytest.fixture
def torch():
    return pytest.importorskip("torch")


def test_add_takes_alpha_and_is_numpy_s_add_without_it(torch):
    a, b = np.array([[1.0, -2.0]], np.float32), np.array([[0.5], [3.0]], np.float32)
    for alpha in (1, -1, 2.5):
        out = ag.add(ag.tensor(a), ag.tensor(b), alpha=alpha)
        assert out.dtype == np.float32
        np.testing.assert_allclose(out.data, torch.add(torch.tensor(a), torch.tensor(b), alpha=alpha).numpy())
    assert ag.add(ag.tensor(a), 2).dtype == np.float32 and ag.add(2, 3).dtype == np.int64  # (NumPy's dtypes)
    assert gradcheck(lambda x, y: ag.add(x, y, alpha=-0.5), a.astype(np.float64), b.astype(np.float64))


@pytest.mark.parametrize("dtype", [np.int8, np.int32, np.int64, np.float32, np.float64])
@pytest.mark.parametrize("rounding_mode", [None, "trunc", "floor"])
def test_divide_takes_rounding_mode_as_torch_divide(torch, dtype, rounding_mode):
    a = np.array([7, -7, 9, -9, 0, 100], dtype=dtype)
    b = np.array([2, 2, -4, -4, 3, 7], dtype=dtype)
    expected = torch.divide(torch.from_numpy(a), torch.from_numpy(b), rounding_mode=rounding_mode).numpy()
    for out in (ag.divide(ag.tensor(a), ag.tensor(b), rounding_mode=rounding_mode),
                ag.tensor(a).divide(ag.tensor(b), rounding_mode=rounding_mode)):
        np.testing.assert_allclose(out.data, expected, rtol=1e-6)
        if rounding_mode is not None:
            assert out.dtype == dtype  # (None: NumPy's true division, float64 for integers where PyTorch's float32)
    with pytest.raises(ValueError, match="rounding_mode must be None, 'floor' or 'trunc'"):
        ag.divide(ag.tensor(a), ag.tensor(b), rounding_mode="round")


def test_divide_without_rounding_is_differentiable():
    x, y = np.array([1.0, -2.0, 3.0]), np.array([0.5, 4.0, -2.0])
    assert gradcheck(lambda a, b: ag.divide(a, b), x, y)


_IN_PLACE = ["true_divide", "floor_divide", "remainder", "fmod", "atan2", "hypot", "copysign", "heaviside", "xlogy",
             "float_power",
             "logical_and", "logical_or", "logical_xor", "eq", "ne", "lt", "le", "gt", "ge"]


@pytest.mark.parametrize("name", _IN_PLACE)
def test_each_float_in_place_form_writes_torch_s_values_into_the_tensor(torch, name):
    a = np.array([5.0, -3.0, 0.0, 2.5, -1.5])
    b = np.array([2.0, 2.0, 0.5, -1.0, -1.5])
    t = ag.tensor(a)
    with np.errstate(invalid="ignore", divide="ignore"):  # (NumPy's warnings where PyTorch's NaN and inf come too)
        returned = getattr(t, f"{name}_")(ag.tensor(b))
    reference = torch.tensor(a)
    getattr(reference, f"{name}_")(torch.tensor(b))
    assert returned is t and t.dtype == np.float64
    np.testing.assert_allclose(t.data, reference.numpy())


@pytest.mark.parametrize("name", ["logical_and", "logical_or", "logical_xor", "bitwise_and", "bitwise_or",
                                  "bitwise_xor", "bitwise_left_shift", "bitwise_right_shift", "remainder",
                                  "floor_divide", "fmod", "eq", "lt"])
@pytest.mark.parametrize("dtype", [np.uint8, np.int16, np.int64])
def test_each_integer_in_place_form_keeps_the_dtype_as_torch_s(torch, name, dtype):
    a = np.array([10, 0, 1, 0, 7], dtype=dtype)
    b = np.array([1, 4, 3, 10, 2], dtype=dtype)
    t = ag.tensor(a)
    getattr(t, f"{name}_")(ag.tensor(b))
    reference = torch.from_numpy(a.copy())
    getattr(reference, f"{name}_")(torch.from_numpy(b))
    assert t.dtype == dtype
    np.testing.assert_array_equal(t.data, reference.numpy())


def test_an_in_place_form_refuses_a_result_its_dtype_cannot_hold_as_a_runtime_error_too():
    with pytest.raises(TypeError, match="true_divide_: the result's dtype float64 cannot be written") as caught:
        ag.tensor([4, 2]).true_divide_(2)
    assert isinstance(caught.value, RuntimeError)
    with pytest.raises(ValueError, match="fmod_: the result has shape") as caught:
        ag.tensor([4.0, 2.0]).fmod_(ag.ones((2, 2)))
    assert isinstance(caught.value, RuntimeError)


def test_an_in_place_form_on_a_recorded_result_is_recorded():
    x = ag.tensor([3.0, -4.0], requires_grad=True)
    h = x * 1.0
    h.hypot_(4.0)
    h.sum().backward()
    np.testing.assert_allclose(x.grad.data, np.array([3.0, -4.0]) / np.hypot([3.0, -4.0], 4.0))


def test_the_bitwise_names_and_methods_are_numpy_s_functions(torch):
    a, b = np.array([6, 5, -3]), np.array([3, 1, 2])
    for name, reference in (("bitwise_and", np.bitwise_and), ("bitwise_or", np.bitwise_or),
                            ("bitwise_xor", np.bitwise_xor), ("bitwise_left_shift", np.left_shift),
                            ("bitwise_right_shift", np.right_shift)):
        np.testing.assert_array_equal(getattr(ag, name)(ag.tensor(a), ag.tensor(b)).data, reference(a, b))
        np.testing.assert_array_equal(getattr(ag.tensor(a), name)(ag.tensor(b)).data,
                                      getattr(torch, name)(torch.tensor(a), torch.tensor(b)).numpy())
    np.testing.assert_array_equal(ag.bitwise_not(ag.tensor(a)).data, ~a)
    np.testing.assert_array_equal(ag.tensor(a).bitwise_not().data, ~a)


def test_copysign_heaviside_and_logaddexp2_are_methods_too(torch):
    a, b = np.array([1.0, -2.0, 0.0]), np.array([-1.0, 3.0, 0.5])
    for name in ("copysign", "heaviside", "logaddexp2"):
        np.testing.assert_allclose(getattr(ag.tensor(a), name)(ag.tensor(b)).data,
                                   getattr(torch.tensor(a), name)(torch.tensor(b)).numpy())


def test_ldexp_in_place_keeps_the_float32_dtype_as_torch_s(torch):
    m, e = np.array([1.5, -2.0, 3.0], np.float32), np.array([3, -2, 0], np.int32)
    t = ag.tensor(m)
    assert t.ldexp_(ag.tensor(e)) is t and t.dtype == np.float32
    np.testing.assert_array_equal(t.data, torch.tensor(m).ldexp_(torch.tensor(e)).numpy())
    with pytest.raises(TypeError, match="float_power_: the result's dtype float64 cannot be written") as caught:
        ag.tensor([1.0], dtype=np.float32).float_power_(2)  # (PyTorch: "the base given to float_power_ has dtype
        # Float")
    assert isinstance(caught.value, RuntimeError)


def test_t_equal_is_one_bool_as_torch_equal(torch):
    # test_bool_tensor_comparison_ops: a.equal(b); ag.eq is elementwise
    cases = [([True, False], [True, False]), ([True, False], [True, True]), ([1.0, 2.0], [1.0, 2.0, 3.0]),
             ([1.0, float("nan")], [1.0, float("nan")]), ([1, 2], [1.0, 2.0]), ([[1.0]], [1.0])]
    for a, b in cases:
        assert ag.tensor(a).equal(ag.tensor(b)) is torch.tensor(a).equal(torch.tensor(b))
    assert ag.eq(ag.tensor([1.0, 2.0]), 2.0).tolist() == [False, True]  # (np.equal: elementwise)


@pytest.mark.parametrize("call", [lambda m, x: m.add(x, x, alpha=0.5), lambda m, x: x.add(x, alpha=1.0),
                                  lambda m, x: x.sub(x, alpha=2.0), lambda m, x: x.clone().add_(x, alpha=0.5)])
def test_a_float_alpha_for_integer_inputs_is_refused_as_torchs(call):
    # found by review: ag.add(ints, ints, alpha=0.5) gave a float sum where PyTorch refuses the float alpha
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError, match="alpha must not be a floating point number"):
        call(torch, torch.tensor([1, 2]))
    with pytest.raises(ValueError, match="alpha must not be a floating point number") as caught:
        call(ag, ag.tensor([1, 2]))
    assert isinstance(caught.value, RuntimeError)
    np.testing.assert_array_equal(ag.tensor([1.0, 2.0]).add(ag.tensor([1, 1]), alpha=0.5).data, [1.5, 2.5])


# Found by porting PyTorch's test_type_promotion.py (test_alternate_result, test_div_promotion_out,
# test_comparison_ops_with_type_promotion, test_computation_ignores_out, test_cat_out_different_dtypes): torch.add,
# sub, div, divide, true_divide and the comparisons had no out=, and an out= that was offered (cat, mul, clamp ...)
# cast a float result into an integer out silently (NumPy's and PyTorch's out= refuse it).
@pytest.mark.parametrize("call", [lambda x, out: ag.add(x, x, out=out), lambda x, out: ag.sub(x, 0.5, out=out),
                                  lambda x, out: ag.div(x, 2, out=out), lambda x, out: ag.divide(x, 2, out=out),
                                  lambda x, out: ag.true_divide(x, 2, out=out), lambda x, out: ag.mul(x, x, out=out),
                                  lambda x, out: ag.cat([x, x[:0]], out=out), lambda x, out: ag.clamp(x, 0, 1, out=out)])
def test_out_takes_a_result_that_casts_and_refuses_a_float_into_an_integer_out(torch, call):
    x = ag.tensor([1.0, 3.0], dtype=np.float32)
    with pytest.raises(RuntimeError, match="can't be cast to"):
        torch.add(torch.ones(2), torch.ones(2), out=torch.zeros(2, dtype=torch.long))
    out = ag.zeros(2, dtype=np.int64)
    with pytest.raises(RuntimeError, match="result type float32 can't be cast to out's dtype int64") as caught:
        call(x, out)
    assert isinstance(caught.value, TypeError) and not out.data.any()
    wide = ag.empty(0, dtype=np.float64)  # (an empty out takes the result's shape; float32 casts to float64)
    assert call(x, wide) is wide and wide.dtype == np.float64
    np.testing.assert_array_equal(wide.data, call(x, None).data.astype(np.float64))


def test_out_of_integer_division_is_refused_and_the_computation_ignores_out(torch):
    i = ag.tensor([5, 3])
    for divide in (ag.div, ag.true_divide, ag.divide):
        with pytest.raises(RuntimeError, match="float64 can't be cast to out's dtype int64"):
            divide(i, 2, out=ag.empty(2, dtype=np.int64))
    assert ag.div(i, 2, rounding_mode="floor", out=ag.empty(2, dtype=np.int64)).data.tolist() == [2, 1]
    half = ag.tensor(33000, dtype=np.float16)  # the sum overflows in float16 before it is written, as in PyTorch
    with np.errstate(over="ignore"):
        ours = ag.add(half, half, out=ag.empty(0, dtype=np.float64))
    theirs = torch.add(torch.tensor(33000, dtype=torch.float16), torch.tensor(33000, dtype=torch.float16),
                       out=torch.empty(0, dtype=torch.float64))
    assert ours.item() == theirs.item() == np.inf
    u5, u8 = ag.tensor(5, dtype=np.uint8), ag.tensor(8, dtype=np.uint8)
    assert ag.sub(u5, u8, out=ag.empty(0, dtype=np.float64)).item() == 253.0  # (wraps in uint8 first)


@pytest.mark.parametrize("name", ["lt", "le", "gt", "ge", "eq", "ne"])
def test_comparisons_take_out_as_pytorch(torch, name):
    for first, second in ((np.int8, np.float32), (np.float64, np.uint8), (np.int64, np.int64)):
        a, b = np.array([32, 7], dtype=first), np.array([7, 32], dtype=second)
        out = ag.empty(0, dtype=bool)
        assert getattr(ag, name)(ag.tensor(a), ag.tensor(b), out=out) is out
        expected = getattr(torch, name)(torch.from_numpy(a), torch.from_numpy(b))
        assert out.dtype == bool and out.data.tolist() == expected.tolist()
    out = getattr(ag, name)(ag.tensor([1.0]), 0.0, out=ag.empty(0, dtype=np.int8))  # (bool casts to int8)
    assert out.dtype == np.int8 and out.data.tolist() == [int(getattr(torch, name)(torch.ones(1), 0.0))]


def test_out_of_a_primitive_is_refused_with_the_primitives_message():
    for op in (ag.neg, ag.floor):  # (neg, not a ufunc, passed out= to operator.neg and failed there)
        with pytest.raises(TypeError, match=r"takes no keyword arguments, got out=: NumPy's out="):
            op(ag.tensor([1.0]), out=ag.empty(1))


# ---- torch.rsub (found missing by a differential run over PyTorch's OpInfo database) ----
def test_rsub_is_other_minus_alpha_times_input_with_gradients():
    a, b = np.array([1.0, -2.0, 3.5]), np.array([0.5, 4.0, -1.0])
    for alpha in (1, 2, -0.5):
        np.testing.assert_array_equal(ag.rsub(ag.tensor(a), ag.tensor(b), alpha=alpha).data, b - alpha * a)
    np.testing.assert_array_equal(ag.rsub(ag.tensor(a), 10.0).data, 10.0 - a)
    assert gradcheck(lambda x, y: ag.rsub(x, y, alpha=3.0), a, b)
    torch = pytest.importorskip("torch")
    for alpha in (1, 2, -0.5):
        ours = ag.rsub(ag.tensor(a), ag.tensor(b), alpha=alpha)
        np.testing.assert_array_equal(ours.data, torch.rsub(torch.tensor(a), torch.tensor(b), alpha=alpha).numpy())


def test_rsub_refuses_a_number_first_and_a_float_alpha_for_integers():
    with pytest.raises(TypeError, match="rsub: input must be a Tensor"):
        ag.rsub(3, ag.tensor([1.0, 2.0]))
    with pytest.raises(ValueError, match="alpha=0.5 is a float"):
        ag.rsub(ag.tensor([1, 2]), ag.tensor([3, 4]), alpha=0.5)
    assert ag.rsub(ag.tensor([1, 2]), 5).dtype == np.int64


def test_rsub_takes_a_float_alpha_when_other_is_float():
    # (final read, session 41: the float alpha's check looked at the integer input alone; torch.rsub gives these)
    assert ag.rsub(ag.tensor([1, 2]), 10.0, alpha=2.0).tolist() == [8.0, 6.0]
    assert ag.rsub(ag.tensor([1, 2]), ag.tensor([1.5, 2.5]), alpha=2.0).tolist() == [-0.5, -1.5]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_nextafter_in_place_matches_torch_and_takes_the_record_while_recording(torch, dtype):
    # found by porting PyTorch's OpInfo entries through their in-place variants: nextafter_ was missing
    values, toward = np.array([1.0, 2.0, 0.0, -3.0], dtype), np.array([2.0, 0.0, -1.0, -3.0], dtype)
    expected = torch.from_numpy(values.copy()).nextafter_(torch.from_numpy(toward))
    t = ag.tensor(values.copy())
    assert t.nextafter_(ag.tensor(toward)) is t
    assert t.dtype == dtype
    np.testing.assert_array_equal(t.data, expected.numpy())
    w = ag.tensor(values, requires_grad=True)
    y = w * 1.0
    y.nextafter_(ag.tensor(toward))
    y.sum().backward()
    tw = torch.tensor(values, requires_grad=True)
    (tw * 1.0).nextafter_(torch.from_numpy(toward)).sum().backward()
    np.testing.assert_array_equal(w.grad.data, tw.grad.numpy())


@pytest.mark.parametrize("values", [[2.0, 0.0, -1.5], [3, 0, -1], [True, False]])
def test_logical_not_in_place_keeps_the_dtype_as_torch(torch, values):
    # found by porting PyTorch's OpInfo entries through their in-place variants: logical_not_ was missing
    expected = torch.from_numpy(np.array(values)).logical_not_()
    t = ag.tensor(np.array(values))
    assert t.logical_not_() is t
    assert str(t.dtype) == str(expected.dtype).split(".")[-1]
    np.testing.assert_array_equal(t.data, expected.numpy())


def test_logical_not_in_place_is_refused_on_a_recorded_result_as_logical_and_():
    y = ag.tensor([1.0, 0.0], requires_grad=True) * 1.0
    with pytest.raises(RuntimeError, match="logical_not_"):
        y.logical_not_()


@pytest.mark.parametrize("name", ["gcd", "lcm"])
def test_gcd_and_lcm_in_place_match_torch(torch, name):
    # found by porting PyTorch's OpInfo entries through their in-place variants: gcd_ and lcm_ were missing
    values, other = np.array([12, 18, 0, -7], np.int64), np.array([8, -4, 5, 21], np.int64)
    expected = getattr(torch.from_numpy(values.copy()), name + "_")(torch.from_numpy(other))
    t = ag.tensor(values.copy())
    assert getattr(t, name + "_")(ag.tensor(other)) is t
    assert t.dtype == np.int64
    np.testing.assert_array_equal(t.data, expected.numpy())
    with pytest.raises(TypeError, match=name):  # (of floats: refused, as torch's)
        getattr(ag.tensor([4.0, 6.0]), name + "_")(ag.tensor([2.0, 3.0]))
