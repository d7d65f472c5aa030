"""Packed and padded sequences, as torch.nn.utils.rnn: a batch of sequences of different lengths either padded to
one length, (L, N, *) ((N, L, *) with batch_first), or packed, a PackedSequence whose data holds, time step after
time step, the values of the sequences still running at that step (longest first), batch_sizes[t] of them.
RNN, LSTM and GRU take a PackedSequence and return one, stepping each sequence over its own length only.

Every function here moves values with the engine's indexing (integer index arrays) and concatenate, so gradients
flow back from a packed or padded result to the Tensors it came from, to any order.

>>> import numpy as np, nn
>>> from nn.utils.rnn import pack_padded_sequence, pad_packed_sequence
>>> padded = np.array([[1.0, 4.0, 6.0], [2.0, 5.0, 0.0], [3.0, 0.0, 0.0]])  # (L, N): lengths 3, 2, 1
>>> packed = pack_padded_sequence(padded, [3, 2, 1])
>>> packed.data.tolist(), packed.batch_sizes.tolist()
([1.0, 4.0, 6.0, 2.0, 5.0, 3.0], [3, 2, 1])
>>> again, lengths = pad_packed_sequence(packed)
>>> np.array_equal(again.data, padded), lengths.tolist()
(True, [3, 2, 1])
"""
import math
from collections import namedtuple
from collections.abc import Iterator

import numpy as np

import autograd_core as ag
from autograd_core import Tensor
from autograd_core._arguments import InvalidArgumentError

from .. import functional as F
from .._arguments import as_flag, as_number, check_device, checked_number, names_device

__all__ = ["PackedSequence", "pack_padded_sequence", "pad_packed_sequence", "pad_sequence", "pack_sequence",
           "unpack_sequence", "unpad_sequence"]


class PackingError(InvalidArgumentError):
    """Lengths or sequences that cannot be packed or padded: a ValueError, as the rest of nn raises for values, and
    a RuntimeError, as PyTorch raises."""


def _int_array(value, where, name, ndim=1):
    """value (a list, array or integer Tensor) as an int64 ndarray of ndim dimensions; floats and bools refused."""
    F._refuse_held_graph(value, where)
    array = np.asarray(value.data if isinstance(value, Tensor) else value)
    if array.ndim != ndim or (array.dtype.kind not in "iu" and array.size):
        raise TypeError(f"{where}: '{name}' must be a {ndim}-D sequence of integers, got "
                        f"{array.ndim}-D {array.dtype} values of shape {array.shape}")
    return array.astype(np.int64)


def _invert_permutation(permutation):
    if permutation is None:
        return None
    inverse = np.empty_like(permutation)
    inverse[permutation] = np.arange(len(permutation))
    return inverse


def _lengths_of(batch_sizes):
    """The sorted sequences' lengths from the batch sizes: sequence b runs while batch_sizes[t] > b."""
    return (batch_sizes[:, None] > np.arange(batch_sizes[0] if len(batch_sizes) else 0)).sum(axis=0)


class PackedSequence(namedtuple("PackedSequence", ["data", "batch_sizes", "sorted_indices", "unsorted_indices"])):
    """A batch of sequences packed time step after time step, as torch.nn.utils.rnn.PackedSequence (a namedtuple):
    data (sum of the lengths, *) a Tensor; batch_sizes an int64 ndarray, how many sequences run at each step (never
    growing); sorted_indices, the original index of each sequence sorted by decreasing length (None when the batch
    came sorted), and unsorted_indices its inverse (computed from sorted_indices when not given). Make them with
    pack_padded_sequence or pack_sequence rather than by hand.

    >>> import numpy as np
    >>> from nn.utils.rnn import PackedSequence
    >>> packed = PackedSequence(np.zeros((3, 2)), [2, 1], [1, 0])
    >>> packed.data.shape, packed.batch_sizes.tolist(), packed.unsorted_indices.tolist()
    ((3, 2), [2, 1], [1, 0])
    """
    __slots__ = ()

    def __new__(cls, data, batch_sizes, sorted_indices=None, unsorted_indices=None):
        where = "PackedSequence"
        data = F._as_input(data, where)
        batch_sizes = _int_array(batch_sizes, where, "batch_sizes")
        if data.ndim < 1 or not len(batch_sizes) or batch_sizes.min() <= 0 or np.any(np.diff(batch_sizes) > 0) \
                or batch_sizes.sum() != data.shape[0]:
            raise PackingError(f"{where}: batch_sizes must be positive and never growing, summing to the "
                               f"{data.shape[0] if data.ndim else 0} rows of data (shape {data.shape}); got "
                               f"{batch_sizes.tolist()}")
        if sorted_indices is not None:
            sorted_indices = _int_array(sorted_indices, where, "sorted_indices")
            if not np.array_equal(np.sort(sorted_indices), np.arange(batch_sizes[0])):
                raise PackingError(f"{where}: sorted_indices must be a permutation of range({batch_sizes[0]}) (one "
                                   f"index per sequence), got {sorted_indices.tolist()}")
            if unsorted_indices is None:
                unsorted_indices = _invert_permutation(sorted_indices)
        if unsorted_indices is not None:
            unsorted_indices = _int_array(unsorted_indices, where, "unsorted_indices")
            if sorted_indices is None or not np.array_equal(unsorted_indices, _invert_permutation(sorted_indices)):
                raise PackingError(f"{where}: unsorted_indices must be the inverse of sorted_indices "
                                   f"({None if sorted_indices is None else sorted_indices.tolist()}), got "
                                   f"{unsorted_indices.tolist()}")
        return super().__new__(cls, data, batch_sizes, sorted_indices, unsorted_indices)

    def to(self, *args, **kwargs):
        """The same packing with its data cast by Tensor.to, as PyTorch's PackedSequence.to (to(dtype), to(device),
        to(device, dtype), to(tensor), any dtype; differentiable between float dtypes; the device can only be
        'cpu'); itself when nothing changes. double(), float(), half(), long(), int(), short(), char() and byte()
        are to() of their dtype, as PyTorch's.

        >>> import numpy as np
        >>> from nn.utils.rnn import pack_sequence
        >>> packed = pack_sequence([np.ones(2), np.ones(1)])
        >>> packed.to(np.float32).data.dtype, packed.long().data.dtype, packed.to("cpu") is packed
        (dtype('float32'), dtype('int64'), True)
        """
        if "copy" in kwargs:  # (Tensor.to takes it; PyTorch's PackedSequence.to refuses it)
            raise TypeError("PackedSequence.to: does not accept copy (as PyTorch's); a packing whose data is a copy "
                            "is PackedSequence(data.clone(), *packed[1:])")
        for device in args + (kwargs.get("device"),):
            if names_device(device):  # (refused here so that the error names PackedSequence.to)
                check_device(device, "PackedSequence.to")
        data = self.data.to(*args, **kwargs)
        return self if data is self.data else self._replace_data(data)

    def cpu(self):
        """Itself, as PyTorch's cpu() of a packing on the CPU (the only device here)."""
        return self

    @property
    def is_cuda(self):
        """False: the data is on the CPU, as PyTorch's is_cuda says of such a packing."""
        return self.data.is_cuda

    def is_pinned(self):
        """False, as the data's is_pinned()."""
        return self.data.is_pinned()

    def double(self):
        """to(float64)."""
        return self.to(np.float64)

    def float(self):
        """to(float32)."""
        return self.to(np.float32)

    def half(self):
        """to(float16)."""
        return self.to(np.float16)

    def long(self):
        """to(int64)."""
        return self.to(np.int64)

    def int(self):
        """to(int32)."""
        return self.to(np.int32)

    def short(self):
        """to(int16)."""
        return self.to(np.int16)

    def char(self):
        """to(int8)."""
        return self.to(np.int8)

    def byte(self):
        """to(uint8)."""
        return self.to(np.uint8)

    def _replace_data(self, data):
        """The same packing around other data (as many rows): a layer's output."""
        return super().__new__(type(self), data, self.batch_sizes, self.sorted_indices, self.unsorted_indices)


def _padded_positions(batch_sizes, unsorted_indices, total_length):
    """(total_length, N) indices into data of each padded entry, len(data) where it is padding."""
    offsets = np.concatenate([[0], np.cumsum(batch_sizes)[:-1]])
    steps = np.arange(total_length)[:, None]
    sequences = np.arange(batch_sizes[0])[None, :]
    running = np.zeros((total_length, batch_sizes[0]), dtype=bool)
    running[:len(batch_sizes)] = sequences < batch_sizes[:, None]
    index = np.where(running, offsets[np.minimum(steps, len(offsets) - 1)] + sequences, batch_sizes.sum())
    return index if unsorted_indices is None else index[:, unsorted_indices]


def _with_padding_row(data, padding_value, where):
    """data followed by one row of padding_value (the target of the padding positions); a padding_value that is no
    number (None, text, an array) raises TypeError naming where, one that data's dtype cannot hold PackingError, as
    PyTorch's (NumPy would pad with NaN for None, and with garbage for NaN in an integer dtype)."""
    number = as_number(padding_value)
    if number is None:
        raise TypeError(f"{where}: padding_value must be a number (NaN and inf too), got {padding_value!r} of type "
                        f"{type(padding_value).__name__}")
    kind = data.dtype.kind
    if kind in "iu":  # (NumPy would wrap it round or write garbage with a warning; PyTorch raises)
        info = np.iinfo(data.dtype)
        exact = padding_value if isinstance(padding_value, (int, np.integer)) else number
        fits = math.isfinite(number) and info.min <= exact <= info.max
    else:
        largest = float(np.finfo(data.dtype).max) if kind == "f" else math.inf
        fits = not math.isfinite(number) or abs(number) <= largest
    if not fits:
        valid = f"an integer in [{info.min}, {info.max}]" if kind in "iu" else \
            f"a number of magnitude at most {largest}, NaN or inf"
        raise PackingError(f"{where}: padding_value={padding_value!r} cannot be represented in the sequences' dtype "
                           f"{data.dtype} ({valid})")
    pad = ag.full((1,) + data.shape[1:], padding_value, dtype=data.dtype)
    return ag.concatenate([data, pad], axis=0)


def pack_padded_sequence(input, lengths, batch_first=False, enforce_sorted=True):
    """Pack a padded batch, as torch.nn.utils.rnn.pack_padded_sequence: input (L, N, *) ((N, L, *) with
    batch_first), lengths the N sequences' lengths (each in 1..L). With enforce_sorted the lengths must not grow;
    with enforce_sorted=False the sequences are sorted here and the order kept in sorted_indices.
    Gradients flow from the packed data back to input.

    >>> import numpy as np
    >>> from nn.utils.rnn import pack_padded_sequence
    >>> packed = pack_padded_sequence(np.arange(6.0).reshape(3, 2), [1, 2, 1], batch_first=True,
    ...                               enforce_sorted=False)
    >>> packed.data.tolist(), packed.batch_sizes.tolist(), packed.sorted_indices.tolist()
    ([2.0, 0.0, 4.0, 3.0], [3, 1], [1, 0, 2])
    """
    where = "pack_padded_sequence"
    x = F._as_input(input, where)
    batch_first, enforce_sorted = as_flag(batch_first, where, "batch_first"), as_flag(enforce_sorted, where,
                                                                                        "enforce_sorted")
    layout = "(N, L, *)" if batch_first else "(L, N, *)"
    if x.ndim < 2:
        raise PackingError(f"{where}: expected a padded batch {layout} of at least 2 dimensions, got shape {x.shape}")
    if x.size == 0:  # (checked before the lengths, as PyTorch's)
        raise PackingError(f"{where}: Cannot pack empty tensors: the padded batch {layout} has shape {x.shape}; "
                           f"every sequence needs at least one step")
    lengths = _int_array(lengths, where, "lengths")
    steps, batch = (x.shape[1], x.shape[0]) if batch_first else x.shape[:2]
    if len(lengths) != batch:
        raise PackingError(f"{where}: expected `len(lengths)` to be equal to batch_size, but got {len(lengths)} "
                           f"(batch_size={batch}, input of shape {x.shape} laid out {layout})")
    if lengths.min() <= 0:
        raise PackingError(f"{where}: length of all samples has to be greater than 0, but found an element in "
                           f"'lengths' that is <= 0: {lengths.tolist()}")
    if lengths.max() > steps:
        raise PackingError(f"{where}: a length ({lengths.max()}) exceeds the {steps} time steps of the input "
                           f"(shape {x.shape} laid out {layout}); lengths must be in 1..{steps}")
    sorted_indices, sequence, time, batch_sizes = _packing_order(
        lengths, enforce_sorted, where, "`lengths` array must be sorted in decreasing order when `enforce_sorted` is "
                                        "True, got {lengths}")
    data = x[sequence, time] if batch_first else x[time, sequence]
    return PackedSequence(data, batch_sizes, sorted_indices)


def _packing_order(lengths, enforce_sorted, where, unsorted):
    """(sorted_indices, sequence, time, batch_sizes) of packing sequences of these lengths: sorted_indices None
    when enforce_sorted (the lengths must then not grow, else a PackingError says `unsorted`, its {lengths} filled
    in), the sequence and time step of each packed entry, time step after time step, and the number of sequences
    running at each step."""
    sorted_indices = None
    if not enforce_sorted:
        sorted_indices = np.argsort(-lengths, kind="stable")
    elif np.any(np.diff(lengths) > 0):
        raise PackingError(f"{where}: {unsorted.format(lengths=lengths.tolist())}. You can pass "
                           f"`enforce_sorted=False` to sort them here")
    order = np.arange(len(lengths)) if sorted_indices is None else sorted_indices
    running = np.arange(lengths.max())[:, None] < lengths[order][None, :]  # (time, sorted sequence)
    time, sequence = np.nonzero(running)
    return sorted_indices, order[sequence], time, running.sum(axis=1)


def pad_packed_sequence(sequence, batch_first=False, padding_value=0.0, total_length=None):
    """Pad a PackedSequence, as torch.nn.utils.rnn.pad_packed_sequence (the inverse of pack_padded_sequence):
    returns (padded, lengths), padded (T, N, *) ((N, T, *) with batch_first) in the sequences' original order,
    padding_value after each sequence's end, T the longest length or total_length (which must not be shorter);
    lengths an int64 ndarray. Gradients flow from padded back to the packed data.

    >>> import numpy as np
    >>> from nn.utils.rnn import PackedSequence, pad_packed_sequence
    >>> padded, lengths = pad_packed_sequence(PackedSequence(np.array([1.0, 2.0, 3.0]), [2, 1]), True, -1.0, 3)
    >>> padded.tolist(), lengths.tolist()
    ([[1.0, 3.0, -1.0], [2.0, -1.0, -1.0]], [2, 1])
    """
    where = "pad_packed_sequence"
    if not isinstance(sequence, PackedSequence):
        raise TypeError(f"{where}: expected a PackedSequence, got {type(sequence).__name__}")
    data, batch_sizes, _, unsorted_indices = sequence
    batch_first = as_flag(batch_first, where, "batch_first")
    length = len(batch_sizes)
    if total_length is not None:
        total_length = checked_number(total_length, where, "total_length", integer=True)
        if total_length < length:
            raise ValueError(f"{where}: Expected total_length to be at least the length of the longest sequence in "
                             f"input, but got total_length={total_length} and max sequence length being {length}")
        length = total_length
    index = _padded_positions(batch_sizes, unsorted_indices, length)
    padded = _with_padding_row(data, padding_value, where)[index.T if batch_first else index]
    lengths = _lengths_of(batch_sizes)
    return padded, lengths if unsorted_indices is None else lengths[unsorted_indices]


def _sequence_list(sequences, where):
    """The sequences as a list of Tensors of at least one dimension, with equal trailing shapes."""
    if isinstance(sequences, (Tensor, np.ndarray, Iterator)):  # a generator too, as PyTorch's pad_sequence takes
        sequences = list(sequences)
    elif not isinstance(sequences, (list, tuple)):
        raise TypeError(f"{where}: expected a list of sequences (Tensors or arrays (L_i, *)), got "
                        f"{type(sequences).__name__}")
    if not sequences:
        raise PackingError(f"{where}: received an empty list of sequences")
    sequences = [F._as_input(s, where) for s in sequences]
    for i, s in enumerate(sequences):
        if s.ndim < 1:
            raise PackingError(f"{where}: every sequence must be (L_i, *), with a length axis; sequence {i} is 0-d")
        if s.shape[1:] != sequences[0].shape[1:]:
            raise PackingError(f"{where}: every sequence must be (L_i, *) with the same trailing shape; sequence 0 "
                               f"has shape {sequences[0].shape}, sequence {i} {s.shape}")
    return sequences


def pad_sequence(sequences, batch_first=False, padding_value=0.0, padding_side="right"):
    """Pad a list of sequences (L_i, *) to the longest, as torch.nn.utils.rnn.pad_sequence: (L, N, *) ((N, L, *)
    with batch_first), padding_value after each sequence (before it with padding_side='left'). Gradients flow back
    to the sequences.

    >>> import numpy as np
    >>> from nn.utils.rnn import pad_sequence
    >>> pad_sequence([np.array([1.0, 2.0]), np.array([3.0])], batch_first=True, padding_side="left").tolist()
    [[1.0, 2.0], [0.0, 3.0]]
    """
    where = "pad_sequence"
    if padding_side not in ("left", "right"):
        raise ValueError(f"{where}: expected padding_side to be one of 'left' or 'right', but got {padding_side!r}")
    batch_first = as_flag(batch_first, where, "batch_first")
    sequences = _sequence_list(sequences, where)
    lengths = np.array([s.shape[0] for s in sequences], dtype=np.int64)
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    steps = np.arange(lengths.max())[:, None]
    shift = lengths.max() - lengths if padding_side == "left" else np.zeros_like(lengths)
    running = (steps >= shift) & (steps < shift + lengths)
    index = np.where(running, starts + steps - shift, lengths.sum())
    joined = _with_padding_row(ag.concatenate(sequences, axis=0), padding_value, where)
    return joined[index.T if batch_first else index]


def pack_sequence(sequences, enforce_sorted=True):
    """Pack a list of sequences (L_i, *), as torch.nn.utils.rnn.pack_sequence: with enforce_sorted their lengths
    must not grow; enforce_sorted=False sorts them. Gradients flow back to the sequences.

    >>> import numpy as np
    >>> from nn.utils.rnn import pack_sequence
    >>> packed = pack_sequence([np.array([1.0]), np.array([2.0, 3.0])], enforce_sorted=False)
    >>> packed.data.tolist(), packed.batch_sizes.tolist(), packed.sorted_indices.tolist()
    ([2.0, 1.0, 3.0], [2, 1], [1, 0])
    """
    where = "pack_sequence"
    enforce_sorted = as_flag(enforce_sorted, where, "enforce_sorted")
    sequences = _sequence_list(sequences, where)
    lengths = np.array([s.shape[0] for s in sequences], dtype=np.int64)
    if lengths.min() <= 0:
        raise PackingError(f"{where}: length of all samples has to be greater than 0, but found an empty sequence: "
                           f"lengths {lengths.tolist()}")
    sorted_indices, sequence, time, batch_sizes = _packing_order(
        lengths, enforce_sorted, where, "the sequences' lengths {lengths} must be sorted in decreasing order when "
                                        "`enforce_sorted` is True")
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    data = ag.concatenate(sequences, axis=0)[starts[sequence] + time]
    return PackedSequence(data, batch_sizes, sorted_indices)


def unpack_sequence(packed_sequences):
    """The list of sequences (L_i, *) in a PackedSequence, in their original order, as
    torch.nn.utils.rnn.unpack_sequence. Gradients flow back to the packed data.

    >>> import numpy as np
    >>> from nn.utils.rnn import pack_sequence, unpack_sequence
    >>> [s.tolist() for s in unpack_sequence(pack_sequence([np.array([1.0]), np.array([2.0, 3.0])], False))]
    [[1.0], [2.0, 3.0]]
    """
    if not isinstance(packed_sequences, PackedSequence):
        raise TypeError(f"unpack_sequence: expected a PackedSequence, got {type(packed_sequences).__name__}")
    data, batch_sizes, _, unsorted_indices = packed_sequences
    index = _padded_positions(batch_sizes, unsorted_indices, len(batch_sizes))
    lengths = _lengths_of(batch_sizes)
    lengths = lengths if unsorted_indices is None else lengths[unsorted_indices]
    return [data[index[:n, i]] for i, n in enumerate(lengths)]


def unpad_sequence(padded_sequences, lengths, batch_first=False):
    """The list of sequences (L_i, *) in a padded batch (L, N, *) ((N, L, *) with batch_first), sequence i its
    first lengths[i] steps, as torch.nn.utils.rnn.unpad_sequence. Gradients flow back to the padded batch.

    >>> import numpy as np
    >>> from nn.utils.rnn import unpad_sequence
    >>> [s.tolist() for s in unpad_sequence(np.array([[1.0, 3.0], [2.0, 0.0]]), [2, 1])]
    [[1.0, 2.0], [3.0]]
    """
    where = "unpad_sequence"
    x = F._as_input(padded_sequences, where)
    lengths = _int_array(lengths, where, "lengths")
    batch_first = as_flag(batch_first, where, "batch_first")
    layout = "(N, L, *)" if batch_first else "(L, N, *)"
    if x.ndim < 2:
        raise PackingError(f"{where}: expected a padded batch {layout} of at least 2 dimensions, got shape {x.shape}")
    steps, batch = (x.shape[1], x.shape[0]) if batch_first else x.shape[:2]
    if len(lengths) != batch or (batch and (lengths.min() < 0 or lengths.max() > steps)):
        raise PackingError(f"{where}: expected {batch} lengths (one per sequence of the batch of shape {x.shape} laid "
                           f"out {layout}), each in 0..{steps}; got {lengths.tolist()}")
    return [x[i, :n] if batch_first else x[:n, i] for i, n in enumerate(lengths)]
