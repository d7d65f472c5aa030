"""Recurrent layers: RNNCell, LSTMCell, GRUCell (one time step) and RNN, LSTM, GRU (whole sequences, stacked and
bidirectional), as PyTorch's: the same arguments, parameter names, shapes, gate order and initialisation; the
layers also take a PackedSequence (nn/_recurrent_packed.py steps it), and an LSTM a proj_size.

Each step is a composition of engine operations (ag.linear, sigmoid, tanh, relu, slicing, stack), so every gradient,
and every second derivative, is the engine's. A layer projects its input for all time steps in one matmul per layer
and direction, then loops over time with the hidden-to-hidden matmul alone.

>>> import numpy as np, nn
>>> lstm = nn.LSTM(3, 5, num_layers=2, bidirectional=True, rng=0)
>>> output, (h_n, c_n) = lstm(np.ones((7, 4, 3)))  # (L, N, H_in)
>>> output.shape, h_n.shape, c_n.shape
((7, 4, 10), (4, 4, 5), (4, 4, 5))
>>> [name for name, _ in lstm.named_parameters()][:5]
['weight_ih_l0', 'weight_hh_l0', 'bias_ih_l0', 'bias_hh_l0', 'weight_ih_l0_reverse']
"""
import math
import warnings

import numpy as np

import autograd_core as ag

from autograd_core._arguments import InvalidArgumentError

from . import functional as F
from . import init
from ._recurrent_packed import packed_direction
from ._arguments import as_flag, checked_number, generator, takes_device
from ._parameter_reset import reset_at_construction, resets
from .layers import _check_sizes, _float_dtype
from .module import Module, Parameter
from .normalization import _module_input
from .utils.rnn import PackedSequence

__all__ = ["RNNCell", "LSTMCell", "GRUCell", "RNN", "LSTM", "GRU"]


class RecurrentShapeError(InvalidArgumentError):
    """An input or state of the wrong size: a ValueError, as the rest of nn raises for shapes, and a RuntimeError,
    as PyTorch's recurrent layers raise."""


# ---- one time step: x_proj is the input's projection W_ih x + b_ih, state a tuple (h,) or (h, c) -------------------
def _tanh_step(x_proj, state, w_hh, b_hh):
    """h' = tanh(W_ih x + b_ih + W_hh h + b_hh)."""
    return (ag.tanh(x_proj + ag.linear(state[0], w_hh, b_hh)),)


def _relu_step(x_proj, state, w_hh, b_hh):
    """h' = relu(W_ih x + b_ih + W_hh h + b_hh)."""
    return (ag.relu(x_proj + ag.linear(state[0], w_hh, b_hh)),)


def _lstm_step(x_proj, state, w_hh, b_hh):
    """Gates i, f, g, o (PyTorch's order) from W_ih x + b_ih + W_hh h + b_hh; c' = f c + i g, h' = o tanh(c')."""
    h, c = state
    n = c.shape[-1]  # hidden_size (h has proj_size features in a projected LSTM)
    gates = x_proj + ag.linear(h, w_hh, b_hh)
    i, f = ag.sigmoid(gates[..., :n]), ag.sigmoid(gates[..., n:2 * n])
    g, o = ag.tanh(gates[..., 2 * n:3 * n]), ag.sigmoid(gates[..., 3 * n:])
    c = f * c + i * g
    return o * ag.tanh(c), c


def _gru_step(x_proj, state, w_hh, b_hh):
    """Gates r, z (PyTorch's order) from W_ih x + b_ih + W_hh h + b_hh; n = tanh(W_in x + b_in + r (W_hn h + b_hn)),
    h' = (1 - z) n + z h."""
    h = state[0]
    n = h.shape[-1]
    h_proj = ag.linear(h, w_hh, b_hh)
    rz = ag.sigmoid(x_proj[..., :2 * n] + h_proj[..., :2 * n])
    r, z = rz[..., :n], rz[..., n:]
    new = ag.tanh(x_proj[..., 2 * n:] + r * h_proj[..., 2 * n:])
    return ((1 - z) * new + z * h,)


_STEPS = {"RNN_TANH": (_tanh_step, 1), "RNN_RELU": (_relu_step, 1), "LSTM": (_lstm_step, 4), "GRU": (_gru_step, 3)}


def _nonlinearity_mode(owner, nonlinearity):
    if nonlinearity == "tanh":
        return "RNN_TANH"
    if nonlinearity == "relu":
        return "RNN_RELU"
    raise ValueError(f"{owner}: Unknown nonlinearity {nonlinearity!r}; select from 'tanh' or 'relu'")


class _UniformlyDrawn(Module):
    """What the cells and the recurrent layers share: their reset_parameters."""

    @resets
    def reset_parameters(self, rng=None):
        """Draw every parameter again, in registration order, from U(-1/sqrt(hidden_size), 1/sqrt(hidden_size)) into
        the same Parameters, as the constructor did (PyTorch's reset_parameters; bound 0 for a cell of hidden_size 0,
        whose parameters have no elements). rng: a numpy Generator or int seed; None draws from the default
        generator (ag.manual_seed's).

        >>> import nn
        >>> lstm = nn.LSTM(3, 4, rng=0)
        >>> lstm.reset_parameters(rng=0)
        >>> bool((lstm.weight_hh_l0.data == nn.LSTM(3, 4, rng=0).weight_hh_l0.data).all())
        True
        """
        bound = 1.0 / math.sqrt(self.hidden_size) if self.hidden_size > 0 else 0.0
        for parameter in self.parameters():
            init.uniform_(parameter, -bound, bound, rng=rng)


def _as_state(owner, value, dtype, name):
    """A given state (h0 or c0) as a float Tensor or array of the layer's dtype (cast as the input is)."""
    if value is None:
        return None
    F._refuse_held_graph(value, f"{owner}: {name}")
    return _module_input(owner, value, dtype, cast=True)


def _time_steps(sequence):
    """[sequence[t] for every t], taken through blocks of about sqrt(L) steps. An index's gradient is a scatter into
    zeros of its source's shape, so L indices into the whole (L, N, G) sequence would cost O(L^2) in the backward
    pass; indices into blocks, and blocks from the sequence, cost O(L^1.5) (an LSTM of 64 units over 400 steps,
    batch 32: forward and backward in 0.44 s instead of 1.4 s)."""
    length = sequence.shape[0]
    if length <= 16:
        return [sequence[t] for t in range(length)]
    size = math.isqrt(length - 1) + 1  # ceil(sqrt(length))
    blocks = [sequence[start:start + size] for start in range(0, length, size)]
    return [block[t] for block in blocks for t in range(block.shape[0])]


# ---- cells ------------------------------------------------------------------------------------------------------
class _CellBase(_UniformlyDrawn):
    """What the cells share (PyTorch's RNNCellBase, exported as nn.RNNCellBase): weight_ih (gates * hidden_size,
    input_size), weight_hh (gates * hidden_size, hidden_size), bias_ih and bias_hh (gates * hidden_size,) or None, all
    from U(-1/sqrt(hidden), 1/sqrt(hidden)). input_size and hidden_size may be 0, as in PyTorch (zero-element
    weights; with hidden_size 0 the state has no entries).

    >>> import nn
    >>> isinstance(nn.LSTMCell(3, 4), nn.RNNCellBase), nn.GRUCell(3, 4).weight_ih.shape
    (True, (12, 3))
    """

    def _build(self, mode, input_size, hidden_size, bias, dtype, rng):
        owner = type(self).__name__
        _check_sizes(owner, input_size=input_size, hidden_size=hidden_size)
        self.input_size, self.hidden_size = int(input_size), int(hidden_size)
        self.bias = as_flag(bias, owner, "bias")
        self._step, chunks = _STEPS[mode]
        dtype = _float_dtype(owner, dtype)
        gate_size = chunks * self.hidden_size
        self.weight_ih = Parameter(np.empty((gate_size, self.input_size), dtype=dtype))
        self.weight_hh = Parameter(np.empty((gate_size, self.hidden_size), dtype=dtype))
        if self.bias:
            self.bias_ih = Parameter(np.empty(gate_size, dtype=dtype))
            self.bias_hh = Parameter(np.empty(gate_size, dtype=dtype))
        else:
            self.bias_ih = self.bias_hh = None
        reset_at_construction(self, generator(rng, owner))

    def _run(self, input, states):
        """One step from input (N, H_in) or (H_in,) and states (each (N, H), (H,) or None): the new states."""
        owner, dtype = type(self).__name__, self.weight_ih.dtype
        x = _module_input(owner, input, dtype, cast=True)
        if x.ndim not in (1, 2):
            raise ValueError(f"{owner}: expected a 1-D (H_in,) or 2-D (N, H_in) input, got shape {x.shape}")
        if x.shape[-1] != self.input_size:
            raise RecurrentShapeError(f"{owner}: the input (shape {x.shape}) has {x.shape[-1]} features, expected "
                                      f"input_size={self.input_size}")
        batched = x.ndim == 2
        expected = (x.shape[0], self.hidden_size) if batched else (self.hidden_size,)
        checked = []
        for name, state in states:
            state = _as_state(owner, state, dtype, name)
            if state is None:
                state = ag.zeros(expected, dtype=dtype)
            elif state.ndim not in (1, 2):
                raise ValueError(f"{owner}: expected {name} to be 1-D or 2-D, got shape {state.shape}")
            elif state.shape != expected:
                raise RecurrentShapeError(f"{owner}: {name} has shape {state.shape}; for an input of shape "
                                          f"{x.shape} it must be {expected} ({'N, ' if batched else ''}hidden_size)")
            checked.append(state)
        return self._step(ag.linear(x, self.weight_ih, self.bias_ih), tuple(checked), self.weight_hh, self.bias_hh)

    def extra_repr(self):
        text = f"{self.input_size}, {self.hidden_size}"
        if not self.bias:
            text += ", bias=False"
        if getattr(self, "nonlinearity", "tanh") != "tanh":
            text += f", nonlinearity={self.nonlinearity}"
        return text


class RNNCell(_CellBase):
    """An Elman RNN cell, h' = tanh(W_ih x + b_ih + W_hh h + b_hh) (relu with nonlinearity='relu'), as PyTorch's:
    input (N, input_size) or (input_size,), hx of the matching (N, hidden_size) or (hidden_size,) (zeros when None);
    returns h'. Parameters weight_ih (hidden_size, input_size), weight_hh (hidden_size, hidden_size), bias_ih and
    bias_hh (hidden_size,), each from U(-1/sqrt(hidden_size), 1/sqrt(hidden_size)). dtype: the parameters', to
    which inputs are cast (as Linear's); rng: a numpy Generator or int seed.

    >>> import numpy as np, nn
    >>> cell = nn.RNNCell(3, 4, nonlinearity="relu", rng=0)
    >>> cell, cell(np.ones((2, 3))).shape, cell(np.ones(3), np.zeros(4)).shape
    (RNNCell(3, 4, nonlinearity=relu), (2, 4), (4,))
    """

    @takes_device
    def __init__(self, input_size, hidden_size, bias=True, nonlinearity="tanh", *, dtype=np.float32, rng=None):
        super().__init__()
        mode = _nonlinearity_mode("RNNCell", nonlinearity)
        self.nonlinearity = nonlinearity
        self._build(mode, input_size, hidden_size, bias, dtype, rng)

    def forward(self, input, hx=None):
        return self._run(input, [("hx", hx)])[0]


class LSTMCell(_CellBase):
    """A long short-term memory cell, as PyTorch's: gates i, f, g, o = sigmoid, sigmoid, tanh, sigmoid of the
    quarters of W_ih x + b_ih + W_hh h + b_hh; c' = f c + i g, h' = o tanh(c'). input (N, input_size) or
    (input_size,), hx a pair (h, c) of the matching (N, hidden_size) or (hidden_size,) (zeros when None); returns
    (h', c'). Parameters weight_ih (4 hidden_size, input_size), weight_hh (4 hidden_size, hidden_size), bias_ih and
    bias_hh (4 hidden_size,), from U(-1/sqrt(hidden_size), 1/sqrt(hidden_size)). dtype and rng as RNNCell's.

    >>> import numpy as np, nn
    >>> cell = nn.LSTMCell(3, 4, rng=0)
    >>> h, c = cell(np.ones((2, 3)))
    >>> cell, cell.weight_ih.shape, h.shape, c.shape
    (LSTMCell(3, 4), (16, 3), (2, 4), (2, 4))
    """

    @takes_device
    def __init__(self, input_size, hidden_size, bias=True, *, dtype=np.float32, rng=None):
        super().__init__()
        self._build("LSTM", input_size, hidden_size, bias, dtype, rng)

    def forward(self, input, hx=None):
        h, c = _state_pair("LSTMCell", hx, "hx")
        return self._run(input, [("hx[0]", h), ("hx[1]", c)])


class GRUCell(_CellBase):
    """A gated recurrent unit cell, as PyTorch's: gates r, z = sigmoid of the first two thirds of
    W_ih x + b_ih + W_hh h + b_hh, n = tanh(W_in x + b_in + r (W_hn h + b_hn)), h' = (1 - z) n + z h. input and hx
    as RNNCell's; returns h'. Parameters weight_ih (3 hidden_size, input_size), weight_hh (3 hidden_size,
    hidden_size), bias_ih and bias_hh (3 hidden_size,), from U(-1/sqrt(hidden_size), 1/sqrt(hidden_size)). dtype and
    rng as RNNCell's.

    >>> import numpy as np, nn
    >>> cell = nn.GRUCell(3, 4, bias=False, rng=0)
    >>> cell, cell.weight_hh.shape, cell(np.ones(3)).shape
    (GRUCell(3, 4, bias=False), (12, 4), (4,))
    """

    @takes_device
    def __init__(self, input_size, hidden_size, bias=True, *, dtype=np.float32, rng=None):
        super().__init__()
        self._build("GRU", input_size, hidden_size, bias, dtype, rng)

    def forward(self, input, hx=None):
        return self._run(input, [("hx", hx)])[0]


def _state_pair(owner, hx, name):
    """An LSTM's (h, c), or (None, None) for None; anything but a pair of states is refused (a None in it too, as
    PyTorch refuses it: zeros for one state alone would be a guess)."""
    if hx is None:
        return None, None
    if not isinstance(hx, (tuple, list)) or len(hx) != 2:
        raise TypeError(f"{owner}: {name} must be a pair (h_0, c_0) of hidden and cell states, or None; got "
                        f"{type(hx).__name__}" + (f" of length {len(hx)}" if isinstance(hx, (tuple, list)) else ""))
    if hx[0] is None or hx[1] is None:
        raise TypeError(f"{owner}: {name} must be a pair (h_0, c_0) of hidden and cell states, or None for zeros "
                        f"in both, but {name}[{0 if hx[0] is None else 1}] is None; pass zeros for that state, "
                        f"or {name}=None")
    return hx[0], hx[1]


# ---- layers over sequences --------------------------------------------------------------------------------------
class _RNNBase(_UniformlyDrawn):
    """What RNN, LSTM and GRU share (PyTorch's RNNBase, exported as nn.RNNBase): the settings, the parameters
    weight_ih_l{k}, weight_hh_l{k}, bias_ih_l{k}, bias_hh_l{k} (and ..._reverse), and the loop over layers, directions
    and time.

    >>> import nn
    >>> all(isinstance(layer(3, 4), nn.RNNBase) for layer in (nn.RNN, nn.LSTM, nn.GRU))
    True
    """

    @takes_device
    def __init__(self, mode, input_size, hidden_size, num_layers=1, bias=True, batch_first=False, dropout=0.0,
                 bidirectional=False, dtype=np.float32, rng=None, proj_size=0):
        super().__init__()
        owner = type(self).__name__
        _check_sizes(owner, positive=("input_size", "hidden_size", "num_layers"), input_size=input_size,
                     hidden_size=hidden_size, num_layers=num_layers)  # (PyTorch's cells take 0, its RNNs refuse it)
        F.check_probability(owner, "dropout", dropout)
        if proj_size and mode != "LSTM":  # (PyTorch's words)
            raise ValueError(f"{owner}: proj_size argument is only supported for LSTM, not RNN or GRU, got "
                             f"proj_size={proj_size}")
        if proj_size >= hidden_size:
            raise ValueError(f"{owner}: proj_size has to be smaller than hidden_size, got proj_size={proj_size} and "
                             f"hidden_size={hidden_size}")
        self.mode = mode
        self.input_size, self.hidden_size, self.num_layers = int(input_size), int(hidden_size), int(num_layers)
        self.bias = as_flag(bias, owner, "bias")
        self.batch_first = as_flag(batch_first, owner, "batch_first")
        self.dropout = float(dropout)
        self.bidirectional = as_flag(bidirectional, owner, "bidirectional")
        self.proj_size = int(proj_size)  # h's size when > 0 (an LSTM's projection), else hidden_size's
        if self.dropout > 0 and self.num_layers == 1:
            warnings.warn(f"{owner}: dropout option adds dropout after all but last recurrent layer, so non-zero "
                          f"dropout expects num_layers greater than 1, but got dropout={dropout} and "
                          f"num_layers={num_layers}", stacklevel=3)
        self._step, chunks = _STEPS[mode]
        dtype = _float_dtype(owner, dtype)
        gate_size, directions = chunks * self.hidden_size, 2 if self.bidirectional else 1
        h_size = self.proj_size or self.hidden_size
        self._all_weights = []
        for layer in range(self.num_layers):
            layer_input = self.input_size if layer == 0 else h_size * directions
            for suffix in ("", "_reverse")[:directions]:
                shapes = {"weight_ih": (gate_size, layer_input), "weight_hh": (gate_size, h_size)}
                if self.bias:
                    shapes.update(bias_ih=(gate_size,), bias_hh=(gate_size,))
                if self.proj_size:
                    shapes.update(weight_hr=(self.proj_size, self.hidden_size))
                names = []
                for kind, shape in shapes.items():
                    names.append(f"{kind}_l{layer}{suffix}")
                    setattr(self, names[-1], Parameter(np.empty(shape, dtype=dtype)))
                self._all_weights.append(names)
        self.rng = generator(rng, owner)  # initialises, then draws the dropout masks
        reset_at_construction(self, self.rng)

    @property
    def all_weights(self):
        """The parameters per layer and direction, as PyTorch's: [[weight_ih_l0, weight_hh_l0, bias_ih_l0, ...], ...].

        >>> import nn
        >>> [len(weights) for weights in nn.GRU(2, 3, bias=False, bidirectional=True).all_weights]
        [2, 2]
        """
        return [[getattr(self, name) for name in names] for names in self._all_weights]

    @property
    def _flat_weights_names(self):
        """The parameters' names in PyTorch's order (weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0, ...):
        PyTorch's private list, which code such as d2l.ai's reads to initialise the weights.

        >>> import nn
        >>> nn.GRU(2, 3)._flat_weights_names
        ['weight_ih_l0', 'weight_hh_l0', 'bias_ih_l0', 'bias_hh_l0']
        """
        return [name for names in self._all_weights for name in names]

    @property
    def _flat_weights(self):
        """The weights in _flat_weights_names' order, as PyTorch's private list: each what module.<name> gives now
        (a pruned weight is the mask times <name>_orig there, a plain Tensor, no longer a Parameter).

        >>> import nn
        >>> [weight.shape for weight in nn.GRU(2, 3)._flat_weights]
        [(9, 2), (9, 3), (9,), (9,)]
        """
        return [getattr(self, name) for name in self._flat_weights_names]

    def flatten_parameters(self):
        """Nothing to do (PyTorch's packs the weights for cuDNN); here for code ported from PyTorch."""

    def _run(self, input, states):
        """(output, final states) for input (L, N, H_in) ((N, L, H_in) with batch_first), (L, H_in) or a
        PackedSequence, and states [(name, value or None)] of shape (num_layers * directions, N, H) or
        (num_layers * directions, H), H the proj_size for h_0 when it is > 0."""
        owner, dtype = type(self).__name__, self.weight_ih_l0.dtype
        packed = input if isinstance(input, PackedSequence) else None
        x = _module_input(owner, input.data if packed else input, dtype, cast=True)
        layout = "(N, L, H_in)" if self.batch_first else "(L, N, H_in)"
        if packed and x.ndim != 2:
            raise ValueError(f"{owner}: expected a PackedSequence of 2-D data (sum of the lengths, H_in), got data "
                             f"of shape {x.shape}")
        if x.ndim not in (2, 3):
            raise ValueError(f"{owner}: expected a 2-D (L, H_in) unbatched or 3-D {layout} batched input, got "
                             f"shape {x.shape}")
        if x.shape[-1] != self.input_size:
            raise RecurrentShapeError(f"{owner}: input.size(-1) must be equal to input_size. Expected "
                                      f"{self.input_size}, got {x.shape[-1]} (the input's shape {x.shape})")
        batched = x.ndim == 3 or packed is not None
        if not packed and x.shape[1 if batched and self.batch_first else 0] == 0:
            raise RecurrentShapeError(f"{owner}: Expected sequence length to be larger than 0 in RNN, got an input "
                                      f"of shape {x.shape}")
        if packed:
            batch = int(packed.batch_sizes[0])
        elif not batched:
            x, batch = ag.expand_dims(x, 1), 1
        else:
            x = ag.transpose(x, (1, 0, 2)) if self.batch_first else x
            batch = x.shape[1]
        directions = 2 if self.bidirectional else 1
        sizes = [self.proj_size or self.hidden_size, self.hidden_size]  # of h, and of an LSTM's c
        initial = []
        for (name, state), size in zip(states, sizes):
            state = _as_state(owner, state, dtype, name)
            if state is None:
                initial.append(ag.zeros((batch, size), dtype=dtype))
                continue
            expected = (self.num_layers * directions,) + ((batch,) if batched else ()) + (size,)
            if state.ndim != len(expected):
                kind = "a batched 3-D" if batched else "an unbatched 2-D"
                raise RecurrentShapeError(f"{owner}: for {kind} input, {name} must be {len(expected)}-D, got "
                                          f"shape {state.shape}")
            if state.shape != expected:
                size_name = "proj_size" if size == self.proj_size else "hidden_size"
                raise RecurrentShapeError(f"{owner}: Expected hidden size {expected} for {name} (num_layers * "
                                          f"num_directions, {'N, ' if batched else ''}{size_name}), got {state.shape}")
            if packed and packed.sorted_indices is not None:
                state = state[:, packed.sorted_indices]  # the sequences in the packing's order
            initial.append(state if batched else ag.expand_dims(state, 1))
        finals = [[] for _ in states]
        for layer in range(self.num_layers):
            if layer > 0 and self.training and self.dropout > 0:
                x = F.dropout(x, self.dropout, True, self.rng)
            outputs = []
            for direction in range(directions):
                k = layer * directions + direction
                state = tuple(given if given.ndim == 2 else given[k] for given in initial)  # zeros, or given
                output, state = self._direction(x, self._all_weights[k], state, direction == 1,
                                                packed.batch_sizes if packed else None)
                outputs.append(output)
                for final, value in zip(finals, state):
                    final.append(value)
            x = outputs[0] if directions == 1 else ag.concatenate(outputs, axis=-1)
        finals = [ag.stack(final) for final in finals]
        if packed:
            if packed.unsorted_indices is not None:
                finals = [final[:, packed.unsorted_indices] for final in finals]
            return packed._replace_data(x), finals
        if not batched:
            return x.squeeze(1), [final.squeeze(1) for final in finals]
        return (x.transpose(1, 0, 2) if self.batch_first else x), finals

    def _direction(self, x, names, state, reverse, batch_sizes=None):
        """One layer in one direction over x (L, N, H_in), or packed data (S, H_in) with its batch_sizes: its
        outputs (L, N, H) (packed: (S, H)) and final state."""
        weights = [getattr(self, name) for name in names]
        w_ih, w_hh = weights[:2]
        b_ih, b_hh = weights[2:4] if self.bias else (None, None)
        w_hr = weights[-1] if self.proj_size else None

        def advance(x_t, state):  # one step, then an LSTM's projection h = W_hr h
            state = self._step(x_t, state, w_hh, b_hh)
            return state if w_hr is None else (ag.linear(state[0], w_hr), state[1])

        projected = ag.linear(x, w_ih, b_ih)  # W_ih x_t + b_ih for every t in one matmul
        if batch_sizes is not None:
            return packed_direction(advance, projected, batch_sizes, state, reverse)
        steps = _time_steps(projected)
        outputs = [None] * len(steps)
        for t in (range(len(steps) - 1, -1, -1) if reverse else range(len(steps))):
            state = advance(steps[t], state)
            outputs[t] = state[0]
        return ag.stack(outputs), state

    def extra_repr(self):  # PyTorch's: the settings at their defaults left out
        text = f"{self.input_size}, {self.hidden_size}"
        if self.proj_size:
            text += f", proj_size={self.proj_size}"
        if self.num_layers != 1:
            text += f", num_layers={self.num_layers}"
        if not self.bias:
            text += ", bias=False"
        if self.batch_first:
            text += ", batch_first=True"
        if self.dropout != 0:
            text += f", dropout={self.dropout}"
        if self.bidirectional:
            text += ", bidirectional=True"
        return text


class RNN(_RNNBase):
    """A multi-layer Elman RNN over sequences, as PyTorch's: at each time step t, layer by layer,
    h_t = tanh(W_ih x_t + b_ih + W_hh h_(t-1) + b_hh) (relu with nonlinearity='relu'), the input x_t of a layer after
    the first being the outputs of the layer below (both directions' joined, with dropout in training when dropout >
    0). input (L, N, input_size) ((N, L, input_size) with batch_first) or unbatched (L, input_size); h_0 (num_layers
    * D, N, hidden_size) or (num_layers * D, hidden_size), zeros when None (D = 2 when bidirectional, else 1).
    Returns (output, h_n): output (L, N, D * hidden_size) (batch first with batch_first) or (L, D * hidden_size),
    the last layer's h_t for every t; h_n each layer and direction's final state, shaped as h_0. Parameters
    weight_ih_l{k} (hidden_size, input_size for k = 0, else D * hidden_size), weight_hh_l{k} (hidden_size,
    hidden_size), bias_ih_l{k} and bias_hh_l{k} (hidden_size,), ..._reverse for the backward direction, each from
    U(-1/sqrt(hidden_size), 1/sqrt(hidden_size)). dtype: the parameters', to which inputs and states are cast (as
    Linear's); rng: a numpy Generator or int seed for the initial weights and the dropout masks. proj_size is taken
    as PyTorch's RNN and GRU take it: 0 only (a projection is an LSTM's).
    input may also be a PackedSequence (nn.utils.rnn.pack_padded_sequence): each sequence then steps over its own
    length only, output is a PackedSequence packed as the input, and h_n holds each sequence's state at its last
    step (h_0 and h_n in the batch's original order; batch_first does not apply).

    >>> import numpy as np, nn
    >>> rnn = nn.RNN(3, 4, num_layers=2, batch_first=True, rng=0)
    >>> output, h_n = rnn(np.ones((5, 7, 3)))  # (N, L, H_in)
    >>> rnn, output.shape, h_n.shape
    (RNN(3, 4, num_layers=2, batch_first=True), (5, 7, 4), (2, 5, 4))
    """

    @takes_device
    def __init__(self, input_size, hidden_size, num_layers=1, nonlinearity="tanh", bias=True, batch_first=False,
                 dropout=0.0, bidirectional=False, *, dtype=np.float32, rng=None, proj_size=0):
        mode = _nonlinearity_mode("RNN", nonlinearity)
        super().__init__(mode, input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional, dtype,
                         rng, proj_size)
        self.nonlinearity = nonlinearity

    def forward(self, input, hx=None):
        output, (h_n,) = self._run(input, [("h_0", hx)])
        return output, h_n


class LSTM(_RNNBase):
    """A multi-layer long short-term memory RNN over sequences, as PyTorch's: each layer and direction runs an
    LSTMCell's step (gates i, f, g, o; c_t = f c_(t-1) + i g, h_t = o tanh(c_t)) over time, layers stacked and
    joined as RNN's. input as RNN's; hx a pair (h_0, c_0), each (num_layers * D, N, hidden_size) or (num_layers *
    D, hidden_size), zeros when None. Returns (output, (h_n, c_n)), output as RNN's. Parameters as RNN's with
    4 * hidden_size rows (the gates i, f, g, o one after the other). proj_size > 0 (smaller than hidden_size)
    projects each h_t = W_hr (o tanh(c_t)) with weight_hr_l{k} (proj_size, hidden_size), after each layer's biases:
    h, h_0, h_n and output then have proj_size features (D * proj_size for output), weight_hh_l{k} is
    (4 * hidden_size, proj_size) and weight_ih_l{k} for k > 0 (4 * hidden_size, D * proj_size); c keeps
    hidden_size. A PackedSequence input as RNN's. dtype and rng as RNN's.

    >>> import numpy as np, nn
    >>> lstm = nn.LSTM(3, 4, rng=0)
    >>> output, (h_n, c_n) = lstm(np.ones((6, 3)))  # unbatched (L, H_in)
    >>> lstm, lstm.weight_ih_l0.shape, output.shape, h_n.shape, c_n.shape
    (LSTM(3, 4), (16, 3), (6, 4), (1, 4), (1, 4))
    >>> projected = nn.LSTM(3, 4, proj_size=2, rng=0)
    >>> output, (h_n, c_n) = projected(np.ones((6, 3)))
    >>> projected, projected.weight_hr_l0.shape, output.shape, h_n.shape, c_n.shape
    (LSTM(3, 4, proj_size=2), (2, 4), (6, 2), (1, 2), (1, 4))
    """

    @takes_device
    def __init__(self, input_size, hidden_size, num_layers=1, bias=True, batch_first=False, dropout=0.0,
                 bidirectional=False, proj_size=0, *, dtype=np.float32, rng=None):
        proj_size = checked_number(proj_size, "LSTM", "proj_size", low=0, integer=True)
        super().__init__("LSTM", input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional,
                         dtype, rng, proj_size)

    def forward(self, input, hx=None):
        h_0, c_0 = _state_pair("LSTM", hx, "hx")
        output, (h_n, c_n) = self._run(input, [("h_0", h_0), ("c_0", c_0)])
        return output, (h_n, c_n)


class GRU(_RNNBase):
    """A multi-layer gated recurrent unit RNN over sequences, as PyTorch's: each layer and direction runs a GRUCell's
    step (gates r, z; n = tanh(W_in x_t + b_in + r (W_hn h_(t-1) + b_hn)), h_t = (1 - z) n + z h_(t-1)) over time,
    layers stacked and joined as RNN's. input, h_0 and the result (output, h_n) as RNN's. Parameters as RNN's with
    3 * hidden_size rows (the gates r, z, n one after the other). dtype, rng and proj_size as RNN's.

    >>> import numpy as np, nn
    >>> gru = nn.GRU(3, 4, bidirectional=True, rng=0)
    >>> output, h_n = gru(np.ones((6, 2, 3)), np.zeros((2, 2, 4)))
    >>> gru, gru.weight_hh_l0_reverse.shape, output.shape, h_n.shape
    (GRU(3, 4, bidirectional=True), (12, 4), (6, 2, 8), (2, 2, 4))
    """

    @takes_device
    def __init__(self, input_size, hidden_size, num_layers=1, bias=True, batch_first=False, dropout=0.0,
                 bidirectional=False, *, dtype=np.float32, rng=None, proj_size=0):
        super().__init__("GRU", input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional,
                         dtype, rng, proj_size)

    def forward(self, input, hx=None):
        output, (h_n,) = self._run(input, [("h_0", hx)])
        return output, h_n
