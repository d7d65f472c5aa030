"""autograd_core/testing/comparison.py: assert_close passes, fails and words its failures as torch.testing's."""
import collections
import math

import numpy as np
import pytest

import autograd_core as ag
import nn
from autograd_core._arguments import InvalidArgumentError
from autograd_core.testing import assert_close


def _message(check, *args, **kwargs):
    """(error type name, message) of check(*args, **kwargs), or None when it passes."""
    try:
        check(*args, **kwargs)
    except Exception as error:  # noqa: BLE001 (the type is what is compared)
        return type(error).__name__, str(error)
    return None


# (actual, expected, keyword arguments) as float64 or int64 arrays, each run as Tensors here and in PyTorch (integer
# relative differences chosen exact in float32, where PyTorch computes them: here they are float64)
MESSAGE_CASES = [
    ([1.0, 2.0, 3.0], [1.0, 4.0, 5.0], {}),
    ([[1, 2], [3, 4]], [[1, 2], [4, 4]], {}),
    ([[1, 2], [3, 4]], [[1, 4], [3, 4]], {}),
    ([1.0, 0.0], [2.0, 0.0], {}),
    ([1.0, math.nan, math.inf], [1.0, math.nan, -math.inf], {}),
    ([1.0, math.nan, 2.0], [1.0, math.nan, 2.5], {"equal_nan": True}),
    ([1.0, 2.0], [1.0, 2.0 + 1e-3], {"rtol": 1e-4, "atol": 0.0}),
    ([1, 2], [2, 2], {"rtol": 0.0, "atol": 1e-3}),
    (3.0, 3.5, {}),
    (math.nan, math.nan, {}),
    (5, 3, {}),
]


@pytest.mark.parametrize("actual, expected, kwargs", MESSAGE_CASES)
def test_messages_are_pytorchs(actual, expected, kwargs):
    torch = pytest.importorskip("torch")
    want = _message(torch.testing.assert_close, torch.from_numpy(np.array(actual)), torch.from_numpy(np.array(expected)),
                    **kwargs)
    assert want is not None
    assert _message(assert_close, ag.tensor(actual), ag.tensor(expected), **kwargs) == want


def test_message_names_the_count_the_greatest_differences_and_where():
    with pytest.raises(AssertionError) as info:
        assert_close(ag.tensor([[1, 2], [3, 4]]), ag.tensor([[1, 2], [5, 8]]))
    assert str(info.value) == ("Tensor-likes are not equal!\n\nMismatched elements: 2 / 4 (50.0%)\n"
                               "Greatest absolute difference: 4 at index (1, 1)\n"
                               "Greatest relative difference: 0.5 at index (1, 1)")


@pytest.mark.parametrize("dtype, rtol, atol", [(np.float16, 1e-3, 1e-5), (np.float32, 1.3e-6, 1e-5),
                                               (np.float64, 1e-7, 1e-7)])
def test_default_tolerances_are_pytorchs_table(dtype, rtol, atol):
    expected = ag.tensor([1.0, 100.0], dtype=dtype)
    inside = ag.tensor(expected.data.astype(np.float64) * (1 + 0.5 * rtol), dtype=dtype)
    outside = ag.tensor(expected.data.astype(np.float64) * (1 + 4 * rtol) + 4 * atol, dtype=dtype)
    assert_close(inside, expected)
    with pytest.raises(AssertionError, match=f"up to {rtol} allowed"):
        assert_close(outside, expected)


@pytest.mark.parametrize("dtype", [np.int8, np.uint8, np.int32, np.int64, np.bool_])
def test_integers_and_bool_compare_equal_by_default(dtype):
    assert_close(ag.tensor([1, 0], dtype=dtype), ag.tensor([1, 0], dtype=dtype))
    with pytest.raises(AssertionError, match="are not equal!"):
        assert_close(ag.tensor([1, 0], dtype=dtype), ag.tensor([1, 1], dtype=dtype))


def test_integers_past_2_53_are_compared_exactly():
    # (as floats, 2**53 and 2**53 + 1 are one number)
    with pytest.raises(AssertionError, match="Absolute difference: 1"):
        assert_close(ag.tensor(2 ** 53), ag.tensor(2 ** 53 + 1))


def test_rtol_and_atol_given_both_or_neither():
    x = ag.tensor([1.0])
    for kwargs in ({"rtol": 0.0}, {"atol": 0.0}):
        with pytest.raises(ValueError, match="Both 'rtol' and 'atol' must be either specified or omitted"):
            assert_close(x, x, **kwargs)
    with pytest.raises(InvalidArgumentError, match="rtol must be a number >= 0"):
        assert_close(x, x, rtol=-1.0, atol=0.0)


def test_equal_nan():
    x = ag.tensor([1.0, math.nan])
    with pytest.raises(AssertionError, match="Mismatched elements: 1 / 2"):
        assert_close(x, x.clone())
    assert_close(x, x.clone(), equal_nan=True)
    assert_close(math.nan, math.nan, equal_nan=True)


def test_check_dtype_and_the_looser_tolerance_of_two_dtypes():
    with pytest.raises(AssertionError, match="The values for attribute 'dtype' do not match: float32 != int32."):
        assert_close(ag.ones((), dtype=np.float32), ag.ones((), dtype=np.int32))
    assert_close(ag.ones((), dtype=np.float32), ag.ones((), dtype=np.int32), check_dtype=False)
    # float16's rtol 1e-3 applies, not float64's 1e-7
    assert_close(ag.tensor(0.999, dtype=np.float16), ag.tensor(1.0), check_dtype=False)


def test_shape_and_stride():
    x = ag.tensor([[1.0, 2.0], [3.0, 4.0]])
    with pytest.raises(AssertionError, match=r"'shape' do not match: \(\) != \(1,\)"):
        assert_close(ag.tensor(1.0), ag.tensor([1.0]))
    same_values_other_strides = x.clone().T.contiguous().T
    assert_close(x, same_values_other_strides)
    with pytest.raises(AssertionError, match=r"'stride\(\)' do not match: \(2, 1\) != \(1, 2\)"):
        assert_close(x, same_values_other_strides, check_stride=True)


def test_inputs_of_unrelated_types_are_refused():
    x = ag.tensor([1.0, 2.0])
    with pytest.raises(TypeError, match="numpy.ndarray"):
        assert_close(x, x.numpy())
    with pytest.raises(TypeError, match="<class 'str'>"):
        assert_close("0", "0")
    assert_close(x.numpy(), x.numpy().copy())
    assert_close(nn.Parameter(x.clone()), x)
    with pytest.raises(TypeError, match="Parameter"):
        assert_close(nn.Parameter(x.clone()), x, allow_subclasses=False)


def test_numbers_booleans_and_none():
    assert_close(1, 1)
    assert_close(2.0 / math.sqrt(2.0), math.sqrt(2.0))
    assert_close(np.float32(1.5), 1.5)  # (a NumPy number is its Python number)
    with pytest.raises(AssertionError, match="The \\(d\\)types do not match"):
        assert_close(1.0, 1)
    assert_close(1.0, 1, check_dtype=False)
    assert_close(None, None)
    for actual in (False, 0, math.nan, ag.tensor(math.nan)):
        with pytest.raises(AssertionError):
            assert_close(actual, None)
    with pytest.raises(AssertionError, match="Booleans mismatch: True is not False"):
        assert_close(True, False)


def test_sequences_and_mappings_are_compared_item_by_item():
    t1, t2 = ag.tensor(1), ag.tensor(2)
    assert_close([t1, (2.0, np.array(3.0))], (t1.clone(), [2.0, np.array(3.0)]))  # (list and tuple: either)
    assert_close({"a": t1, "b": [t2]}, collections.OrderedDict([("b", (t2,)), ("a", t1)]))
    with pytest.raises(AssertionError, match=r"The failure occurred for item \[1\]"):
        assert_close((t1, t1), (t1, t2))
    with pytest.raises(AssertionError, match=r"The failure occurred for item \['b'\]\[0\]"):
        assert_close({"a": t1, "b": [t1]}, {"a": t1, "b": [t2]})
    with pytest.raises(AssertionError, match="The length of the sequences mismatch: 1 != 0"):
        assert_close((t1,), ())
    with pytest.raises(AssertionError, match=r"Missing keys in the actual mapping: \[\]\nAdditional keys in the "
                                             r"actual mapping: \['a'\]"):
        assert_close({"a": t1}, {})


def test_msg_replaces_or_edits_the_message():
    with pytest.raises(AssertionError, match="^Custom!$"):
        assert_close(ag.tensor(1), ag.tensor(2), msg="Custom!")
    with pytest.raises(AssertionError) as info:
        assert_close([ag.tensor([1.0, 2.0])], [ag.tensor([1.0, 3.0])], msg=lambda m: f"Header\n\n{m}\n\nFooter")
    text = str(info.value)
    assert text.startswith("Header\n\nTensor-likes are not close!") and text.endswith("item [0]\n\nFooter")


def test_tensors_that_require_grad_are_compared_by_value():
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    assert_close(w * 1.0, w)
    assert w.grad is None


def test_reached_as_ag_testing():
    assert ag.testing.assert_close is assert_close
