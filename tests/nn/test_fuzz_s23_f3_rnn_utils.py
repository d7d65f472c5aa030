"""Regressions found by fuzzing nn.utils.rnn against PyTorch (session 23, F3)."""
import numpy as np
import pytest

from nn.utils.rnn import (pack_padded_sequence, pack_sequence, pad_packed_sequence, pad_sequence, unpack_sequence,
                          unpad_sequence)


def test_pad_and_pack_sequence_take_a_generator():
    # PyTorch's pad_sequence takes any iterable of sequences (a generator expression too); ours raised TypeError
    sequences = [np.arange(3.0), np.arange(1.0)]
    padded = pad_sequence(s for s in sequences)
    np.testing.assert_array_equal(padded.data, [[0.0, 0.0], [1.0, 0.0], [2.0, 0.0]])
    packed = pack_sequence(iter(sequences))
    assert packed.batch_sizes.tolist() == [2, 1, 1]
    assert [s.tolist() for s in unpack_sequence(packed)] == [[0.0, 1.0, 2.0], [0.0]]


def _packed():
    return pack_padded_sequence(np.arange(6.0).reshape(3, 2), [3, 1])


@pytest.mark.parametrize("value", [None, "a", np.ones(2), [0.0]])
def test_padding_value_that_is_no_number_is_refused(value):
    # None padded with NaN and an array broadcast into the padding, silently; PyTorch raises TypeError
    with pytest.raises(TypeError, match="pad_packed_sequence: padding_value must be a number"):
        pad_packed_sequence(_packed(), padding_value=value)
    with pytest.raises(TypeError, match="pad_sequence: padding_value must be a number"):
        pad_sequence([np.ones(2), np.ones(1)], padding_value=value)


def test_padding_value_nan_inf_and_int_still_pad():
    padded, _ = pad_packed_sequence(_packed(), padding_value=float("nan"))
    assert np.isnan(padded.data[1:, 1]).all()
    assert pad_sequence([np.ones(2), np.ones(1)], padding_value=-np.inf).data[1, 1] == -np.inf
    ints = pad_sequence([np.arange(2), np.arange(1)], padding_value=np.int64(-1))
    assert ints.dtype == np.int64 and ints.data.tolist() == [[0, 0], [1, -1]]


def test_flags_that_are_text_are_refused():
    # batch_first="no" read as True (text where a flag belongs is refused, as README has it; PyTorch raises too)
    x = np.arange(6.0).reshape(3, 2)
    with pytest.raises(TypeError, match="pad_packed_sequence: batch_first must be True or False"):
        pad_packed_sequence(_packed(), batch_first="no")
    with pytest.raises(TypeError, match="pad_sequence: batch_first must be True or False"):
        pad_sequence([np.ones(2), np.ones(1)], batch_first="no")
    with pytest.raises(TypeError, match="pack_padded_sequence: batch_first must be True or False"):
        pack_padded_sequence(x, [3, 1], batch_first="no")
    with pytest.raises(TypeError, match="pack_padded_sequence: enforce_sorted must be True or False"):
        pack_padded_sequence(x, [3, 1], enforce_sorted="no")
    with pytest.raises(TypeError, match="pack_sequence: enforce_sorted must be True or False"):
        pack_sequence([np.ones(2), np.ones(1)], enforce_sorted="no")
    with pytest.raises(TypeError, match="unpad_sequence: batch_first must be True or False"):
        unpad_sequence(x, [3, 1], batch_first="no")
    assert pad_sequence([np.ones(2), np.ones(1)], batch_first=np.bool_(True)).shape == (2, 2)


@pytest.mark.parametrize("dtype, value", [(np.int64, float("nan")), (np.int64, float("inf")), (np.int64, 1e30),
                                          (np.int8, 300), (np.uint8, -1), (np.float16, 1e5)])
def test_padding_value_the_dtype_cannot_hold_is_refused(dtype, value):
    # NumPy's cast wrote garbage (nan -> -2**63, 300 -> OverflowError, 1e5 -> inf in float16) with at most a
    # RuntimeWarning; PyTorch raises "value cannot be converted ... without overflow"
    sequences = [np.arange(3).astype(dtype), np.arange(1).astype(dtype)]
    with pytest.raises(RuntimeError, match="pad_sequence: padding_value=.* cannot be represented in .*" +
                       np.dtype(dtype).name):
        pad_sequence(sequences, padding_value=value)
    with pytest.raises(ValueError, match="pad_packed_sequence: padding_value=.* cannot be represented"):
        pad_packed_sequence(pack_sequence(sequences), padding_value=value)


def test_padding_values_the_dtype_holds_still_pad():
    assert pad_sequence([np.arange(2, dtype=np.int8), np.arange(1, dtype=np.int8)], padding_value=127).data[1, 1] == 127
    assert pad_sequence([np.arange(2), np.arange(1)], padding_value=-1.5).data[1, 1] == -1  # truncated, as PyTorch's
    assert np.isinf(pad_sequence([np.ones(2, np.float16), np.ones(1, np.float16)], padding_value=-np.inf).data[1, 1])
    assert pad_sequence([np.ones(2, bool), np.ones(1, bool)], padding_value=0).data.tolist() == [[True, True],
                                                                                                 [True, False]]
