"""Regressions found by fuzzing nn.utils.rnn against PyTorch (session 23, F3)."""
import numpy as np

from nn.utils.rnn import pack_sequence, pad_sequence, unpack_sequence


def test_pad_and_pack_sequence_take_a_generator():
    # PyTorch's pad_sequence takes any iterable of sequences (a generator expression too); ours raised TypeError
    sequences = [np.arange(3.0), np.arange(1.0)]
    padded = pad_sequence(s for s in sequences)
    np.testing.assert_array_equal(padded.data, [[0.0, 0.0], [1.0, 0.0], [2.0, 0.0]])
    packed = pack_sequence(iter(sequences))
    assert packed.batch_sizes.tolist() == [2, 1, 1]
    assert [s.tolist() for s in unpack_sequence(packed)] == [[0.0, 1.0, 2.0], [0.0]]
