"""Packed sequences (nn/utils/rnn.py) and the recurrent layers over them (nn/_recurrent_packed.py).

Without PyTorch: the pack/pad utilities against NumPy loops (values and gradients, round trips), a packed layer
against the same layer run on each sequence alone (its output and final states), finite differences to second
order, and the errors, the utilities' arguments (iterables, padding values the dtype must hold, flags, mixed
dtypes). Against PyTorch (float64, our weights loaded into torch's): the utilities' values and
gradients, and RNN/LSTM/GRU over packed input, outputs, h_n/c_n and the gradients of the input, h_0 and every
parameter, for random lengths sorted and unsorted, num_layers 1 and 2, bidirectional, batch_first both ways."""
import itertools
import zlib

import numpy as np
import pytest

import autograd_core as ag
import nn
from autograd_core.testing import gradcheck, gradgradcheck
from conftest import assert_module_matches_torch
from nn.recurrent import RecurrentShapeError
from nn.utils.rnn import (PackedSequence, PackingError, pack_padded_sequence, pack_sequence, pad_packed_sequence,
                          pad_sequence, unpack_sequence, unpad_sequence)

LAYERS = {"RNN_TANH": (nn.RNN, {}), "RNN_RELU": (nn.RNN, {"nonlinearity": "relu"}), "LSTM": (nn.LSTM, {}),
          "GRU": (nn.GRU, {})}


def _rng(*key):
    return np.random.default_rng(zlib.crc32(repr(key).encode()))


def _lengths(rng, steps, batch, sorted_):
    lengths = rng.integers(1, steps + 1, batch)
    lengths[rng.integers(batch)] = steps
    return np.sort(lengths)[::-1].copy() if sorted_ else lengths


# ---- NumPy references of the utilities ---------------------------------------------------------------------------
def np_pack(padded, lengths, batch_first):
    """Packed data and batch sizes by a loop: time step after time step, the running sequences longest first."""
    x = np.swapaxes(padded, 0, 1) if batch_first else padded
    order = sorted(range(len(lengths)), key=lambda i: -lengths[i])  # stable, as torch's sort
    rows, sizes = [], []
    for t in range(max(lengths)):
        running = [i for i in order if lengths[i] > t]
        rows += [x[t, i] for i in running]
        sizes.append(len(running))
    return np.array(rows), sizes, order


def np_pad(sequences, batch_first, value, side="right"):
    longest = max(len(s) for s in sequences)
    out = np.full((longest, len(sequences)) + sequences[0].shape[1:], value, dtype=float)
    for i, s in enumerate(sequences):
        start = longest - len(s) if side == "left" else 0
        out[start:start + len(s), i] = s
    return np.swapaxes(out, 0, 1) if batch_first else out


@pytest.mark.parametrize("batch_first, enforce_sorted, trailing",
                         list(itertools.product([False, True], [False, True], [(), (3,), (2, 2)])))
def test_packing_and_padding_equal_numpy_loops_and_round_trip(batch_first, enforce_sorted, trailing):
    rng = _rng("pack", batch_first, enforce_sorted, trailing)
    for _ in range(4):
        steps, batch = int(rng.integers(1, 7)), int(rng.integers(1, 6))
        lengths = _lengths(rng, steps, batch, enforce_sorted)
        padded = rng.standard_normal(((batch, steps) if batch_first else (steps, batch)) + trailing)
        x = ag.tensor(padded, requires_grad=True)
        packed = pack_padded_sequence(x, lengths, batch_first, enforce_sorted)
        rows, sizes, order = np_pack(padded, list(lengths), batch_first)
        np.testing.assert_array_equal(packed.data.data, rows)
        assert packed.batch_sizes.tolist() == sizes and packed.batch_sizes.dtype == np.int64
        if enforce_sorted:
            assert packed.sorted_indices is None and packed.unsorted_indices is None
        else:
            assert packed.sorted_indices.tolist() == order
            np.testing.assert_array_equal(packed.sorted_indices[packed.unsorted_indices], np.arange(batch))
        total = steps + int(rng.integers(0, 2))
        again, got_lengths = pad_packed_sequence(packed, batch_first, padding_value=-2.5, total_length=total)
        sequences = [np.swapaxes(padded, 0, 1)[:n, i] if batch_first else padded[:n, i]
                     for i, n in enumerate(lengths)]
        want = np_pad([np.concatenate([s, np.full((total - len(s),) + trailing, -2.5)]) for s in sequences],
                      batch_first, 0.0)
        np.testing.assert_array_equal(again.data, want)
        assert got_lengths.tolist() == list(lengths)
        # the gradient of the round trip: the cotangent where a value was kept, zero in the padding
        cotangent = rng.standard_normal(again.shape)
        (again * cotangent).sum().backward()
        mask = np.arange(steps)[:, None] < lengths[None, :]  # (L, N)
        mask, kept = (mask.T, cotangent[:, :steps]) if batch_first else (mask, cotangent[:steps])
        mask = mask.reshape(mask.shape + (1,) * len(trailing))
        np.testing.assert_array_equal(x.grad.data, np.where(mask, kept, 0))
        unpacked = unpack_sequence(packed)
        assert [s.shape for s in unpacked] == [s.shape for s in sequences]
        for got, want in zip(unpacked, sequences):
            np.testing.assert_array_equal(got.data, want)
        for got, want in zip(unpad_sequence(x, lengths, batch_first), sequences):
            np.testing.assert_array_equal(got.data, want)


@pytest.mark.parametrize("batch_first, side", list(itertools.product([False, True], ["left", "right"])))
def test_pad_sequence_and_pack_sequence_equal_numpy(batch_first, side):
    rng = _rng("pad", batch_first, side)
    for _ in range(4):
        lengths = rng.integers(0, 5, int(rng.integers(1, 5)))
        sequences = [ag.tensor(rng.standard_normal((n, 2)), requires_grad=True) for n in lengths]
        padded = pad_sequence(sequences, batch_first, 7.0, side)
        np.testing.assert_array_equal(padded.data, np_pad([s.data for s in sequences], batch_first, 7.0, side))
        if lengths.max() == 0:
            continue
        cotangent = rng.standard_normal(padded.shape)
        (padded * cotangent).sum().backward()
        back = np.swapaxes(cotangent, 0, 1) if batch_first else cotangent
        for i, s in enumerate(sequences):
            start = lengths.max() - lengths[i] if side == "left" else 0
            np.testing.assert_array_equal(s.grad.data, back[start:start + lengths[i], i])
        if lengths.min() == 0:
            continue
        packed = pack_sequence([s.data for s in sequences], enforce_sorted=False)
        rows, sizes, order = np_pack(np_pad([s.data for s in sequences], False, 0.0), list(lengths), False)
        np.testing.assert_array_equal(packed.data.data, rows)
        assert packed.batch_sizes.tolist() == sizes and packed.sorted_indices.tolist() == order
        for got, s in zip(unpack_sequence(packed), sequences):
            np.testing.assert_array_equal(got.data, s.data)


def test_packed_sequence_is_a_namedtuple_and_completes_its_indices():
    packed = PackedSequence(np.arange(4.0), [3, 1], np.array([2, 0, 1]))
    data, batch_sizes, sorted_indices, unsorted_indices = packed
    assert isinstance(data, ag.Tensor) and packed._fields == ("data", "batch_sizes", "sorted_indices",
                                                               "unsorted_indices")
    assert unsorted_indices.tolist() == [1, 2, 0] and packed.unsorted_indices is unsorted_indices
    padded, lengths = pad_packed_sequence(packed)
    assert padded.tolist() == [[1.0, 2.0, 0.0], [0.0, 0.0, 3.0]] and lengths.tolist() == [1, 1, 2]
    assert PackedSequence(np.zeros((2, 3)), np.array([1, 1])).sorted_indices is None
    x = ag.tensor(np.arange(3.0), requires_grad=True)
    cast = PackedSequence(x, [2, 1], [1, 0]).to("cpu", np.float32)
    assert cast.data.dtype == np.float32 and cast.unsorted_indices.tolist() == [1, 0]
    assert cast.double().data.dtype == np.float64 and cast.float() is cast
    (cast.data * np.array([1.0, 2.0, 3.0], dtype=np.float32)).sum().backward()
    assert x.grad.tolist() == [1.0, 2.0, 3.0]
    with pytest.raises(RuntimeError, match="PackedSequence.to: device 'cuda' is not available"):
        cast.to("cuda")


def test_the_utilities_gradients_to_second_order_by_finite_differences():
    rng = _rng("gradcheck")
    x = rng.standard_normal((4, 3, 2))
    lengths = [2, 4, 1]

    def round_trip(x):
        packed = pack_padded_sequence(x, lengths, enforce_sorted=False)
        return pad_packed_sequence(packed, batch_first=True, padding_value=1.0)[0] ** 2

    assert gradcheck(round_trip, x) and gradgradcheck(round_trip, x)
    assert gradcheck(lambda a, b: pad_sequence([a, b], padding_side="left") ** 3, x[:3, 0], x[:2, 1])


# ---- layers over packed input, without torch -----------------------------------------------------------------------
def _finals(mode, result):
    return list(result) if mode == "LSTM" else [result]


@pytest.mark.parametrize("mode", list(LAYERS))
@pytest.mark.parametrize("num_layers, bidirectional, steps", [(1, False, 5), (2, True, 5), (1, True, 23),
                                                              (2, False, 20)])
def test_a_packed_layer_equals_the_layer_run_on_each_sequence_alone(mode, num_layers, bidirectional, steps):
    """Each sequence's packed output and final states are those of the same layer over that sequence alone (the
    unpacked path, unbatched), with its own initial states; long sequences take the sqrt(L) blocks."""
    rng = _rng("alone", mode, num_layers, bidirectional, steps)
    cls, extra = LAYERS[mode]
    layer = cls(3, 4, num_layers=num_layers, bidirectional=bidirectional, dtype=np.float64, rng=rng, **extra)
    batch, directions = 5, 2 if bidirectional else 1
    lengths = _lengths(rng, steps, batch, False)
    padded = rng.standard_normal((steps, batch, 3))
    states = [rng.standard_normal((num_layers * directions, batch, 4)) for _ in range(2 if mode == "LSTM" else 1)]
    hx = tuple(states) if mode == "LSTM" else states[0]
    output, final = layer(pack_padded_sequence(padded, lengths, enforce_sorted=False), hx)
    assert isinstance(output, PackedSequence) and output.data.shape == (lengths.sum(), directions * 4)
    padded_out, out_lengths = pad_packed_sequence(output)
    assert out_lengths.tolist() == lengths.tolist()
    for i, n in enumerate(lengths):
        alone_hx = tuple(s[:, i] for s in states) if mode == "LSTM" else states[0][:, i]
        alone_out, alone_final = layer(padded[:n, i], alone_hx)
        np.testing.assert_allclose(padded_out.data[:n, i], alone_out.data, rtol=1e-12, atol=1e-14)
        assert not padded_out.data[n:, i].any()
        for got, want in zip(_finals(mode, final), _finals(mode, alone_final)):
            np.testing.assert_allclose(got.data[:, i], want.data, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("mode", ["LSTM", "GRU"])
def test_a_packed_layer_has_gradients_to_second_order_by_finite_differences(mode):
    cls, _ = LAYERS[mode]
    rng = _rng("fd", mode)
    for num_layers, features, second in [(2, 2, False), (1, 1, True)]:  # second derivatives: one small layer
        layer = cls(features, 2, num_layers=num_layers, bidirectional=True, dtype=np.float64, rng=3)
        x, h0 = rng.standard_normal((3, 3, features)), rng.standard_normal((2 * num_layers, 3, 2))

        def f(x, h0):
            hx = (h0, h0 * 0.5) if mode == "LSTM" else h0
            output, final = layer(pack_padded_sequence(x, [2, 3, 1], enforce_sorted=False), hx)
            return ag.concatenate([output.data.flatten(), _finals(mode, final)[0].flatten()])

        assert gradgradcheck(lambda x: f(x, h0), x) if second else gradcheck(f, x, h0)


def test_the_plain_path_is_untouched_by_packing_and_batch_first_does_not_apply_to_packed_input():
    layer = nn.GRU(2, 3, batch_first=True, dtype=np.float64, rng=0)
    x = _rng("bf").standard_normal((2, 4, 2))  # (N, L, H_in)
    packed = pack_padded_sequence(x, [4, 4], batch_first=True)
    output, h_n = layer(packed)
    expected, expected_h = layer(x)
    np.testing.assert_allclose(pad_packed_sequence(output, batch_first=True)[0].data, expected.data, rtol=1e-13)
    np.testing.assert_allclose(h_n.data, expected_h.data, rtol=1e-13)


# ---- errors ------------------------------------------------------------------------------------------------------
def test_errors_are_torchs_and_clear():
    x = np.zeros((5, 3, 2))
    with pytest.raises(PackingError, match="must be sorted in decreasing order when `enforce_sorted` is True, got "
                                           r"\[2, 3, 1\]. You can pass `enforce_sorted=False`"):
        pack_padded_sequence(x, [2, 3, 1])
    with pytest.raises(RuntimeError, match=r"greater than 0, but found an element in 'lengths' that is <= 0: "
                                           r"\[3, 0, 0\]"):
        pack_padded_sequence(x, [3, 0, 0])
    with pytest.raises(ValueError, match=r"a length \(6\) exceeds the 5 time steps of the input \(shape \(5, 3, 2\) "
                                         r"laid out \(L, N, \*\)\); lengths must be in 1..5"):
        pack_padded_sequence(x, [6, 3, 1])
    with pytest.raises(PackingError, match=r"expected `len\(lengths\)` to be equal to batch_size, but got 2 "
                                           r"\(batch_size=5, input of shape \(5, 3, 2\) laid out \(N, L, \*\)\)"):
        pack_padded_sequence(x, [3, 1], batch_first=True)
    with pytest.raises(TypeError, match="'lengths' must be a 1-D sequence of integers, got 1-D float64 values"):
        pack_padded_sequence(x, [3.5, 2, 1])
    with pytest.raises(TypeError, match="'lengths' must be a 1-D sequence of integers, got 2-D int64"):
        pack_padded_sequence(x, [[3, 2, 1]])
    with pytest.raises(TypeError, match="'lengths' must be a 1-D sequence of integers, got 1-D bool"):
        pack_padded_sequence(x, [True, True, True])
    assert pack_padded_sequence(x, ag.tensor([3, 2, 1])).batch_sizes.tolist() == [3, 2, 1]  # lengths as a Tensor
    with pytest.raises(PackingError, match=r"at least 2 dimensions, got shape \(5,\)"):
        pack_padded_sequence(np.zeros(5), [1])
    packed = pack_padded_sequence(x, [3, 2, 1])
    with pytest.raises(ValueError, match="Expected total_length to be at least the length of the longest sequence "
                                         "in input, but got total_length=2 and max sequence length being 3"):
        pad_packed_sequence(packed, total_length=2)
    with pytest.raises(TypeError, match="pad_packed_sequence: expected a PackedSequence, got ndarray"):
        pad_packed_sequence(x)
    with pytest.raises(TypeError, match="unpack_sequence: expected a PackedSequence, got list"):
        unpack_sequence([x])
    with pytest.raises(PackingError, match="pad_sequence: received an empty list of sequences"):
        pad_sequence([])
    with pytest.raises(PackingError, match=r"same trailing shape; sequence 0 has shape \(2, 3\), sequence 1 "
                                           r"\(3, 4\)"):
        pad_sequence([np.zeros((2, 3)), np.zeros((3, 4))])
    with pytest.raises(PackingError, match=r"pad_sequence: every sequence must be \(L_i, \*\), with a length axis; "
                                           r"sequence 0 is 0-d"):
        pad_sequence([np.float64(1.0)])
    with pytest.raises(ValueError, match="expected padding_side to be one of 'left' or 'right', but got 'up'"):
        pad_sequence([np.zeros(2)], padding_side="up")
    with pytest.raises(TypeError, match="pad_sequence: expected a list of sequences"):
        pad_sequence(None)
    with pytest.raises(PackingError, match=r"pack_sequence: .* found an empty sequence: lengths \[2, 0\]"):
        pack_sequence([np.zeros(2), np.zeros(0)])
    with pytest.raises(PackingError, match=r"pack_sequence: the sequences' lengths \[1, 2\] must be sorted"):
        pack_sequence([np.zeros(1), np.zeros(2)])
    with pytest.raises(PackingError, match=r"unpad_sequence: expected 3 lengths .* each in 0..5; got \[6, 1, 1\]"):
        unpad_sequence(x, [6, 1, 1])
    with pytest.raises(PackingError, match=r"PackedSequence: batch_sizes must be positive and never growing, "
                                           r"summing to the 3 rows of data \(shape \(3, 2\)\); got \[1, 2\]"):
        PackedSequence(np.zeros((3, 2)), [1, 2])
    with pytest.raises(PackingError, match=r"sorted_indices must be a permutation of range\(2\) .* got \[0, 0\]"):
        PackedSequence(np.zeros((3, 2)), [2, 1], [0, 0])
    with pytest.raises(PackingError, match=r"unsorted_indices must be the inverse of sorted_indices \(None\)"):
        PackedSequence(np.zeros((3, 2)), [2, 1], None, [1, 0])
    held = [ag.tensor([1.0], requires_grad=True)]
    with pytest.raises(TypeError, match="pad_sequence: got a list holding Tensors that require grad"):
        pad_sequence([held])


def test_layer_errors_on_packed_input():
    lstm = nn.LSTM(2, 4, dtype=np.float64)
    packed = pack_padded_sequence(np.zeros((5, 3, 2)), [3, 2, 2])
    with pytest.raises(RecurrentShapeError, match=r"LSTM: Expected hidden size \(1, 3, 4\) for h_0 \(num_layers \* "
                                                  r"num_directions, N, hidden_size\), got \(1, 2, 4\)"):
        lstm(packed, (np.zeros((1, 2, 4)), np.zeros((1, 2, 4))))
    with pytest.raises(RecurrentShapeError, match=r"LSTM: input.size\(-1\) must be equal to input_size. Expected 2, "
                                                  r"got 3 \(the input's shape \(7, 3\)\)"):
        lstm(pack_padded_sequence(np.zeros((5, 3, 3)), [3, 2, 2]))
    with pytest.raises(ValueError, match=r"LSTM: expected a PackedSequence of 2-D data .* got data of shape "
                                         r"\(7, 2, 1\)"):
        lstm(pack_padded_sequence(np.zeros((5, 3, 2, 1)), [3, 2, 2]))


# ---- the utilities' arguments: iterables, padding values, flags, mixed dtypes, as PyTorch's ----------------------
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


def test_pad_sequence_mixed_dtypes_promote_as_numpy():
    a32, a64 = ag.tensor(np.ones((2, 3), np.float32), requires_grad=True), ag.tensor(np.ones((3, 3)),
                                                                                       requires_grad=True)
    for sequences in ([a32, a64], [a64, a32]):
        out = pad_sequence(sequences)
        assert out.dtype == np.float64 and out.shape == (3, 2, 3)  # torch: the first sequence's dtype
    out.sum().backward()
    assert a32.grad.dtype == np.float32 and a64.grad.dtype == np.float64
    ints = pad_sequence([np.ones((2, 3), np.int64), np.full((2, 3), 0.5, np.float32)])
    assert ints.dtype == np.float64 and ints.data[0, 1, 0] == 0.5  # torch: int64, the 0.5 truncated to 0


def test_packed_sequence_casts_to_every_dtype_as_torchs():
    packed = pack_sequence([np.array([3, 2, 1], np.int32), np.array([7], np.int32)])
    casts = {"double": np.float64, "float": np.float32, "half": np.float16, "long": np.int64, "int": np.int32,
             "short": np.int16, "char": np.int8, "byte": np.uint8}
    for name, dtype in casts.items():
        cast = getattr(packed, name)()
        assert cast.data.dtype == dtype and cast.batch_sizes.tolist() == [2, 1, 1]
        padded, _ = pad_packed_sequence(cast)
        assert padded.dtype == dtype and padded.data.tolist() == [[3, 7], [2, 0], [1, 0]]
    assert packed.int() is packed and packed.cpu() is packed and packed.to("cpu", dtype=np.int32) is packed
    assert packed.to(np.int64).data.tolist() == [3, 7, 2, 1]
    assert packed.is_cuda is False and packed.is_pinned() is False
    torch = pytest.importorskip("torch")
    theirs = torch.nn.utils.rnn.pack_sequence([torch.tensor([3, 2, 1], dtype=torch.int32), torch.tensor([7])])
    for name in casts:
        assert getattr(theirs, name)().data.tolist() == getattr(packed, name)().data.tolist()


def test_empty_input_total_length_and_copy_have_torchs_errors():
    for x, lengths in ((np.zeros((0, 0)), []), (np.zeros((0, 1, 10)), np.ones((11, 14, 14, 2)))):
        with pytest.raises(PackingError, match=r"pack_padded_sequence: Cannot pack empty tensors: the padded batch "
                                               r"\((L, N|N, L), \*\) has shape \(0, "):
            pack_padded_sequence(x, lengths, batch_first=x.ndim == 3)
    packed = pack_sequence([np.ones(3)])
    with pytest.raises(ValueError, match="Expected total_length to be at least the length of the longest sequence "
                                         "in input, but got total_length=-1"):
        pad_packed_sequence(packed, total_length=-1)
    with pytest.raises(TypeError, match="pad_packed_sequence: total_length must be an int, got 4.0 of type float"):
        pad_packed_sequence(packed, total_length=4.0)
    with pytest.raises(TypeError, match="PackedSequence.to: does not accept copy"):
        packed.to(copy=True)
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError, match="Cannot pack empty tensors"):
        torch.nn.utils.rnn.pack_padded_sequence(torch.zeros(0, 0), [])
    with pytest.raises(ValueError, match="Expected total_length to be at least"):
        torch.nn.utils.rnn.pad_packed_sequence(torch.nn.utils.rnn.pack_sequence([torch.ones(3)]), total_length=-1)
    with pytest.raises(TypeError, match="total_length"):
        torch.nn.utils.rnn.pad_packed_sequence(torch.nn.utils.rnn.pack_sequence([torch.ones(3)]), total_length=4.0)
    with pytest.raises(RuntimeError, match="does not accept copy"):
        torch.nn.utils.rnn.pack_sequence([torch.ones(3)]).to(copy=True)


# ---- against PyTorch ---------------------------------------------------------------------------------------------
def test_the_utilities_match_torch_values_and_gradients():
    torch = pytest.importorskip("torch")
    tr = torch.nn.utils.rnn
    rng = _rng("torch utilities")
    for _ in range(30):
        steps, batch = int(rng.integers(1, 6)), int(rng.integers(1, 5))
        batch_first, enforce_sorted = bool(rng.integers(2)), bool(rng.integers(2))
        lengths = _lengths(rng, steps, batch, enforce_sorted)
        values = rng.standard_normal(((batch, steps) if batch_first else (steps, batch)) + (2,))
        mine, yours = ag.tensor(values, requires_grad=True), torch.tensor(values, requires_grad=True)
        ours = pack_padded_sequence(mine, lengths, batch_first, enforce_sorted)
        theirs = tr.pack_padded_sequence(yours, torch.tensor(lengths), batch_first, enforce_sorted)
        np.testing.assert_array_equal(ours.data.data, theirs.data.detach().numpy())
        for got, want in zip(ours[1:], theirs[1:]):
            assert (got is None and want is None) or got.tolist() == want.tolist()
        total = None if rng.integers(2) else steps + 1
        ours, lengths_ours = pad_packed_sequence(ours, not batch_first, 0.5, total)
        theirs, lengths_theirs = tr.pad_packed_sequence(theirs, not batch_first, 0.5, total)
        np.testing.assert_array_equal(ours.data, theirs.detach().numpy())
        assert lengths_ours.tolist() == lengths_theirs.tolist()
        cotangent = rng.standard_normal(ours.shape)
        (ours * cotangent).sum().backward()
        (theirs * torch.tensor(cotangent)).sum().backward()
        np.testing.assert_array_equal(mine.grad.data, yours.grad.numpy())
        sequences = [rng.standard_normal((int(n), 3)) for n in rng.integers(0, 4, batch)]
        side = "left" if rng.integers(2) else "right"
        np.testing.assert_array_equal(pad_sequence(sequences, batch_first, -1.0, side).data,
                                      tr.pad_sequence([torch.tensor(s) for s in sequences], batch_first, -1.0,
                                                      side).numpy())


def _torch_layer(torch, mode, ours):
    kwargs = {"num_layers": ours.num_layers, "bias": ours.bias, "bidirectional": ours.bidirectional,
              "dropout": ours.dropout}
    if mode.startswith("RNN"):
        theirs = torch.nn.RNN(ours.input_size, ours.hidden_size, nonlinearity=ours.nonlinearity, **kwargs)
    else:
        theirs = getattr(torch.nn, mode)(ours.input_size, ours.hidden_size, **kwargs)
    theirs = theirs.double()
    theirs.load_state_dict({name: torch.tensor(value) for name, value in ours.state_dict().items()})
    return theirs


@pytest.mark.parametrize("mode", list(LAYERS))
@pytest.mark.parametrize("num_layers, bidirectional, batch_first, enforce_sorted",
                         list(itertools.product([1, 2], *[[False, True]] * 3)))
def test_packed_layers_match_torch_values_and_gradients(mode, num_layers, bidirectional, batch_first,
                                                        enforce_sorted):
    torch = pytest.importorskip("torch")
    tr = torch.nn.utils.rnn
    given = (num_layers + bidirectional + batch_first + enforce_sorted) % 2 == 1
    rng = _rng("torch layers", mode, num_layers, bidirectional, batch_first, enforce_sorted)
    cls, extra = LAYERS[mode]
    ours = cls(3, 4, num_layers=num_layers, bidirectional=bidirectional, bias=bool(rng.integers(2)),
               dtype=np.float64, rng=rng, **extra)
    theirs = _torch_layer(torch, mode, ours)
    steps, batch, directions = 6, 4, 2 if bidirectional else 1
    lengths = _lengths(rng, steps, batch, enforce_sorted)
    arrays = [rng.standard_normal(((batch, steps) if batch_first else (steps, batch)) + (3,))]
    arrays += [rng.standard_normal((num_layers * directions, batch, 4))
               for _ in range((2 if mode == "LSTM" else 1) * given)]
    mine = [ag.tensor(a, requires_grad=True) for a in arrays]
    yours = [torch.tensor(a, requires_grad=True) for a in arrays]

    def run(module, pack, states, x):
        hx = None if not states else (tuple(states) if mode == "LSTM" else states[0])
        output, final = module(pack(x), hx)
        return [output.data] + _finals(mode, final)

    results = run(ours, lambda x: pack_padded_sequence(x, lengths, batch_first, enforce_sorted), mine[1:], mine[0])
    wanted = run(theirs, lambda x: tr.pack_padded_sequence(x, torch.tensor(lengths), batch_first, enforce_sorted),
                 yours[1:], yours[0])
    assert_module_matches_torch(torch, ours, theirs, results, wanted, mine, yours, rng)


@pytest.mark.parametrize("mode", ["LSTM", "GRU"])
def test_long_packed_float32_sequences_match_torch(mode):
    torch = pytest.importorskip("torch")
    rng = _rng("long", mode)
    ours = LAYERS[mode][0](3, 5, bidirectional=True, rng=rng)  # float32
    theirs = getattr(torch.nn, mode)(3, 5, bidirectional=True)
    theirs.load_state_dict({name: torch.tensor(value) for name, value in ours.state_dict().items()})
    lengths = np.array([40, 37, 17, 3, 1])
    x = rng.standard_normal((40, 5, 3)).astype(np.float32)
    output, _ = ours(pack_padded_sequence(x, lengths))
    expected, _ = theirs(torch.nn.utils.rnn.pack_padded_sequence(torch.tensor(x), torch.tensor(lengths)))
    assert output.data.dtype == np.float32
    np.testing.assert_allclose(output.data.data, expected.data.detach().numpy(), rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("mode", ["LSTM", "GRU"])
def test_dropout_between_packed_layers_matches_torch_at_its_extremes(mode):
    torch = pytest.importorskip("torch")
    rng = _rng("dropout", mode)
    x, lengths = rng.standard_normal((5, 3, 3)), np.array([2, 5, 3])
    for p, training in [(1.0, True), (0.5, False)]:
        ours = LAYERS[mode][0](3, 4, num_layers=2, dropout=p, dtype=np.float64, rng=1).train(training)
        theirs = _torch_layer(torch, mode, ours).train(training)
        output, final = ours(pack_padded_sequence(x, lengths, enforce_sorted=False))
        expected, expected_final = theirs(torch.nn.utils.rnn.pack_padded_sequence(torch.tensor(x),
                                                                                  torch.tensor(lengths), False, False))
        for got, want in zip([output.data] + _finals(mode, final), [expected.data] + _finals(mode, expected_final)):
            np.testing.assert_allclose(got.data, want.detach().numpy(), rtol=1e-12, atol=1e-14)
