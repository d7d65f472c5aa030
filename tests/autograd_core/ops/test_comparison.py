"""Comparisons, logic and sign (autograd_core/ops/comparison.py): never recorded, no gradient."""
import numpy as np
import pytest

import autograd_core as ag
from autograd_core import ops
from autograd_core.ops import bitwise_and, bitwise_or, bitwise_xor


def test_comparisons_return_boolean_tensors_without_grad():
    x = ag.tensor([1.0, 2.0, 3.0], requires_grad=True)
    for result in (x < 2, x <= 2, x > 2, x >= 2, x == 2, x != 2, (x > 1) & (x < 3), (x < 2) | (x > 2), ~(x > 2)):
        assert result.dtype == np.bool_ and not result.requires_grad
    np.testing.assert_array_equal((x >= 2).data, [False, True, True])


def test_comparisons_broadcast_and_accept_arrays_and_numbers():
    x = ag.tensor([[1.0], [3.0]])
    np.testing.assert_array_equal((x < np.array([2.0, 4.0])).data, [[True, True], [False, True]])
    np.testing.assert_array_equal((2.0 < x).data, [[False], [True]])


def test_comparison_shape_mismatch_is_a_clear_error():
    with pytest.raises(ValueError, match=r"less: invalid input of shapes/dtypes \[\(2,\) float64, \(3,\) float64\]"):
        ag.tensor([1.0, 2.0]) < ag.tensor([1.0, 2.0, 3.0])


def test_unsupported_dtypes_are_a_clear_type_error_naming_them():
    # NumPy raises its own TypeError subclasses here, which take more than a message to build.
    with pytest.raises(TypeError, match=r"less: invalid input of shapes/dtypes \[\(1,\) float64, \(\) <U1\]"):
        ag.tensor([1.0]) < "a"
    with pytest.raises(TypeError, match=r"sign: invalid input of shapes/dtypes \[\(1,\) bool\]"):
        ag.ops.sign(ag.tensor([True]))


def test_comparison_results_stop_gradients_in_where():
    x = ag.tensor([-1.0, 2.0], requires_grad=True)
    ag.where(x > 0, x * 3, x * 0).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [0.0, 3.0])


def test_and_or_invert_are_bitwise_as_numpy_and_work_with_ndarrays_on_either_side():
    mask, t = np.array([True, False]), ag.tensor([1.0, -1.0])
    for result, expected in [(mask & (t > 0), [True, False]), ((t > 0) | mask, [True, False]),
                             (~(t > 0), [False, True]), (np.invert(t > 0), [False, True])]:
        assert isinstance(result, ag.Tensor)
        np.testing.assert_array_equal(result.data, expected)
    np.testing.assert_array_equal((ag.tensor([6, 3]) & 5).data, [4, 1])  # integers: bitwise, as NumPy
    np.testing.assert_array_equal((~ag.tensor([1])).data, [-2])


@pytest.mark.parametrize("name", ["less", "equal", "logical_and", "isnan", "signbit"])
def test_comparison_functions_carry_their_own_names(name):
    assert getattr(ops, name).__name__ == name


# ---- &, |, ^ of an integer Tensor and a Python int beyond its dtype name the operation, the shapes and dtypes and
# what would be valid, as + - * ** and the other operations do (not NumPy's bare OverflowError) ----
SMALL = ag.tensor(np.array([1, 2], np.int8))


@pytest.mark.parametrize("name, call", [
    ("bitwise_and", lambda: SMALL & 1000),
    ("bitwise_and", lambda: 1000 & SMALL),
    ("bitwise_or", lambda: SMALL | 300),
    ("bitwise_xor", lambda: SMALL ^ -200),
    ("bitwise_and", lambda: bitwise_and(SMALL, 1000)),
    ("bitwise_or", lambda: bitwise_or(SMALL, 1000)),
    ("bitwise_xor", lambda: bitwise_xor(1000, SMALL)),
    ("bitwise_and", lambda: ag.tensor([1, 2]) & 2 ** 70),
])
def test_a_python_int_beyond_the_dtype_is_refused_naming_the_operation(name, call):
    with pytest.raises(OverflowError, match=rf"^{name}: invalid input of shapes/dtypes \[.*\]: .*; a Python int must "
                                            r"fit the Tensor's integer dtype"):
        call()


def test_python_ints_within_the_dtype_still_work_as_numpy():
    np.testing.assert_array_equal((SMALL & 3).numpy(), np.array([1, 2], np.int8) & 3)
    assert (SMALL | 127).dtype == np.int8
    np.testing.assert_array_equal((SMALL ^ -1).numpy(), np.array([-2, -3], np.int8))


def test_other_bad_inputs_keep_their_error_types():
    with pytest.raises(ValueError, match="^less: invalid input of shapes/dtypes"):
        ag.ops.less(SMALL, ag.ones(3))
    with pytest.raises(TypeError, match="^bitwise_and: invalid input of shapes/dtypes"):
        ag.tensor([1.0]) & ag.tensor([1.0])


# ---- logical_and/or/xor/not: functions of ag (torch.logical_and, np.logical_and) and methods (t.logical_and), as a
# dead-neuron count written for PyTorch uses them: `dead = ag.logical_and(dead, (h == 0).all(dim=0))` ----
LEFT, RIGHT = [True, True, False, False], [True, False, True, False]


@pytest.mark.parametrize("name", ["logical_and", "logical_or", "logical_xor"])
def test_logical_functions_and_methods_match_numpy(name):
    a, b = ag.tensor(LEFT), ag.tensor(RIGHT)
    expected = getattr(np, name)(LEFT, RIGHT)
    for result in (getattr(ag, name)(a, b), getattr(a, name)(b), getattr(np, name)(a, b), getattr(ag, name)(a, RIGHT)):
        assert isinstance(result, ag.Tensor) and result.dtype == np.bool_ and not result.requires_grad
        np.testing.assert_array_equal(result.numpy(), expected)
    torch = pytest.importorskip("torch")
    np.testing.assert_array_equal(getattr(torch, name)(torch.tensor(LEFT), torch.tensor(RIGHT)).numpy(), expected)


def test_logical_not_and_numbers_treated_as_truth_values():
    np.testing.assert_array_equal(ag.logical_not(ag.tensor(LEFT)).numpy(), [False, False, True, True])
    x = ag.tensor([0.0, 2.0, -1.0], requires_grad=True)  # non-zero is True, as NumPy and PyTorch
    np.testing.assert_array_equal(ag.logical_xor(x, ag.tensor([1, 1, 0])).numpy(), [True, False, True])
    assert ag.logical_xor.__name__ == "logical_xor"


def test_logical_reduction_of_dead_units_over_batches():
    dead = ag.ones(3, dtype=ag.bool)
    for h in (ag.tensor([[0.0, 1.0, 0.0], [0.0, 0.0, 0.0]]), ag.tensor([[0.0, 0.0, 2.0]])):
        dead = ag.logical_and(dead, (h == 0).all(axis=0))
    np.testing.assert_array_equal(dead.numpy(), [True, False, False])
    assert dead.sum().item() == 1


NAMES = {"eq": np.equal, "ne": np.not_equal, "lt": np.less, "le": np.less_equal, "gt": np.greater,
         "ge": np.greater_equal, "greater": np.greater, "greater_equal": np.greater_equal, "less": np.less,
         "less_equal": np.less_equal, "not_equal": np.not_equal}


@pytest.mark.parametrize("name", sorted(NAMES))
def test_pytorchs_comparison_functions_are_numpys_elementwise_comparisons(name):
    # torch.le(lam, 0.49) in the VAE example's continuous-Bernoulli term raised AttributeError
    x, y = np.array([[0.3, 0.5, 0.7]]), np.array([[0.5], [0.7]])
    result = getattr(ag, name)(ag.tensor(x), y)
    assert result.dtype == np.bool_ and not result.requires_grad
    np.testing.assert_array_equal(result.data, NAMES[name](x, y))
    np.testing.assert_array_equal(getattr(ag, name)(ag.tensor(x), 0.5).data, NAMES[name](x, 0.5))
    torch = pytest.importorskip("torch")
    np.testing.assert_array_equal(result.data, getattr(torch, name)(torch.tensor(x), torch.tensor(y)).numpy())


def test_torch_le_and_gt_pick_a_branch_as_the_vae_examples_cut_does():
    # cut = where(max(le(lam, 0.49), gt(lam, 0.51)), lam, 0.49 * ones_like(lam)): the gradient reaches lam where kept
    lam_values = np.array([0.2, 0.495, 0.5, 0.8])
    lam = ag.tensor(lam_values, requires_grad=True)
    kept = ag.max(ag.le(lam, 0.49), ag.gt(lam, 0.51))
    cut = ag.where(kept, lam, 0.49 * ag.ones_like(lam))
    (cut ** 2).sum().backward()
    expected_kept = (lam_values <= 0.49) | (lam_values > 0.51)
    np.testing.assert_array_equal(kept.data, expected_kept)
    np.testing.assert_array_equal(cut.data, np.where(expected_kept, lam_values, 0.49))
    np.testing.assert_array_equal(lam.grad.data, np.where(expected_kept, 2 * lam_values, 0.0))
    torch = pytest.importorskip("torch")
    t_lam = torch.tensor(lam_values, requires_grad=True)
    t_cut = torch.where(torch.max(torch.le(t_lam, 0.49), torch.gt(t_lam, 0.51)), t_lam, 0.49 * torch.ones_like(t_lam))
    (t_cut ** 2).sum().backward()
    np.testing.assert_array_equal(cut.data, t_cut.detach().numpy())
    np.testing.assert_array_equal(lam.grad.data, t_lam.grad.numpy())


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64, np.int8, np.int64, np.uint8, np.bool_])
def test_isposinf_isneginf_isreal_and_signbit_are_numpys_and_torchs(dtype):
    # found by porting PyTorch's test_unary_ufuncs: torch.isposinf, isneginf, isreal and signbit (and the methods)
    # were missing (np.isposinf of a Tensor was refused)
    torch = pytest.importorskip("torch")
    values = np.array([-np.inf, np.inf, np.nan, -1, -0.0, 0, 1] if np.dtype(dtype).kind == "f" else [0, 1, 1], dtype)
    t = ag.tensor(values)
    for name in ("isposinf", "isneginf", "isreal", "signbit"):
        expected = getattr(torch, name)(torch.from_numpy(values)).numpy()
        for result in (getattr(ag, name)(t), getattr(t, name)()):
            assert result.dtype == np.bool_ and not result.requires_grad
            np.testing.assert_array_equal(result.data, expected)


def test_bitwise_not_is_invert_as_torchs():
    # found by porting PyTorch's test_unary_ufuncs (test_bitwise_not): torch.bitwise_not was missing
    for dtype in (np.uint8, np.int8, np.int16, np.int32, np.int64):
        a = ag.arange(127, dtype=dtype)
        expected = (0xFFFF - np.arange(127, dtype=np.int64)).astype(np.int8).astype(dtype)  # (PyTorch's reference)
        np.testing.assert_array_equal(ag.bitwise_not(a).data, expected)
        np.testing.assert_array_equal(a.bitwise_not().data, expected)
    np.testing.assert_array_equal(ag.tensor([True, False]).bitwise_not().data, [False, True])
    with pytest.raises(TypeError, match="invert: invalid input"):
        ag.zeros(3).bitwise_not()


def test_numpys_isposinf_isneginf_and_isreal_of_a_tensor_are_the_engines():
    # found by porting PyTorch's test_unary_ufuncs: NumPy's functions of a Tensor were refused
    values = np.array([-np.inf, np.inf, np.nan, 1.0])
    t = ag.tensor(values, requires_grad=True)
    for name in ("isposinf", "isneginf", "isreal"):
        result = getattr(np, name)(t)
        assert isinstance(result, ag.Tensor) and not result.requires_grad
        np.testing.assert_array_equal(result.data, getattr(np, name)(values))


# Found by porting PyTorch's test_binary_ufuncs.py (test_signed_shift, test_shift_limits): there were no << and >>.
@pytest.mark.parametrize("dtype", [np.uint8, np.int8, np.int16, np.int32, np.int64])
def test_shifts_are_numpy_and_torch_s_including_shifts_past_the_bit_width(dtype):
    torch = pytest.importorskip("torch")
    values = np.array([0, 1, 5, np.iinfo(dtype).max] + ([-10, np.iinfo(dtype).min] if dtype != np.uint8 else []),
                      dtype=dtype)
    t, reference = ag.tensor(values), torch.from_numpy(values)
    for shift in (0, 1, 2, np.iinfo(dtype).bits - 1, np.iinfo(dtype).bits, 70):
        assert (t << shift).dtype == dtype and (t >> shift).dtype == dtype
        np.testing.assert_array_equal((t << shift).data, (reference << shift).numpy())
        np.testing.assert_array_equal((t >> shift).data, (reference >> shift).numpy())
    np.testing.assert_array_equal((3 << ag.tensor([1, 2])).data, [6, 12])
    np.testing.assert_array_equal((64 >> ag.tensor([1, 2])).data, [32, 16])
    np.testing.assert_array_equal(ag.bitwise_left_shift(t, 1).data, np.left_shift(values, 1))
    np.testing.assert_array_equal(ag.right_shift(t, 1).data, np.right_shift(values, 1))
    shifted = t.clone()
    shifted <<= 1
    np.testing.assert_array_equal(shifted.data, np.left_shift(values, 1))
    shifted >>= 1
    np.testing.assert_array_equal(shifted.data, np.right_shift(np.left_shift(values, 1), 1))


def test_a_shift_of_floats_is_refused_naming_it_as_a_runtime_error_too():
    with pytest.raises(TypeError, match=r"^left_shift: invalid input of shapes/dtypes \[\(1,\) float64") as caught:
        ag.tensor([1.0]) << 1
    assert isinstance(caught.value, RuntimeError)


# Found by porting PyTorch's test_binary_ufuncs.py (test_not_broadcastable): the comparisons' errors for operands
# that do not broadcast were ValueErrors only; PyTorch raises RuntimeError.
@pytest.mark.parametrize("op", [ag.lt, ag.eq, ag.logical_and, ag.bitwise_xor, ag.left_shift])
def test_comparison_operands_that_do_not_broadcast_raise_runtime_error_too(op):
    with pytest.raises(ValueError, match="could not be broadcast") as caught:
        op(ag.ones(2, dtype=np.int64), ag.ones(3, dtype=np.int64))
    assert isinstance(caught.value, RuntimeError)
