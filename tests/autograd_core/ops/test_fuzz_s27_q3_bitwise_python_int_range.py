"""&, |, ^ (bitwise_and, bitwise_or, bitwise_xor) of an integer Tensor and a Python int beyond its dtype raised NumPy's
bare OverflowError ("Python integer 1000 out of bounds for int8"), naming no operation, where + - * ** and the other
operations name themselves, the shapes and dtypes, and what would be valid. They now do the same."""
import numpy as np
import pytest

import autograd_core as ag
from autograd_core.ops import bitwise_and, bitwise_or, bitwise_xor

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
