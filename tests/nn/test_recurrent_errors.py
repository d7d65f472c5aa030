"""The recurrent layers' refusals (nn/recurrent.py): wrong input and state shapes and dtypes, an LSTM state pair
holding None, bad settings (proj_size on RNN/GRU, an unknown nonlinearity, sizes), each naming the layer, the shapes
and what would be valid, in PyTorch's words where its tests match them."""
import warnings

import numpy as np
import pytest

import nn
from nn.recurrent import RecurrentShapeError


# ---- errors -----------------------------------------------------------------------------------------------------
def test_bad_settings_are_refused():
    with pytest.raises(ValueError, match=r"LSTM: dropout must be in \[0, 1\], got 1.5"):
        nn.LSTM(3, 4, 2, dropout=1.5)
    with pytest.raises(ValueError, match=r"GRU: dropout must be in \[0, 1\], got -0.1"):
        nn.GRU(3, 4, 2, dropout=-0.1)
    with pytest.raises(TypeError, match="RNN: dropout must be in"):
        nn.RNN(3, 4, 2, dropout="0.1")
    with pytest.warns(UserWarning, match="non-zero dropout expects num_layers greater than 1"):
        nn.LSTM(3, 4, dropout=0.2)
    with pytest.raises(ValueError, match="RNN: Unknown nonlinearity 'sigmoid'; select from 'tanh' or 'relu'"):
        nn.RNN(3, 4, nonlinearity="sigmoid")
    with pytest.raises(ValueError, match="RNNCell: Unknown nonlinearity 'gelu'"):
        nn.RNNCell(3, 4, nonlinearity="gelu")
    with pytest.raises(ValueError, match="LSTM: proj_size has to be smaller than hidden_size, got proj_size=4 "
                       "and hidden_size=4"):
        nn.LSTM(3, 4, proj_size=4)  # (tests/nn/test_lstm_projection.py tests proj_size)
    with pytest.raises(ValueError, match="LSTM: proj_size must be an int >= 0, got -1"):
        nn.LSTM(3, 4, proj_size=-1)
    with pytest.raises(ValueError, match="GRU: input_size must be a positive int, got 0"):
        nn.GRU(0, 4)
    with pytest.raises(TypeError, match="LSTMCell: hidden_size must be an int >= 0, got 2.5"):
        nn.LSTMCell(3, 2.5)  # (a cell takes 0, as PyTorch's; an RNN refuses it, as PyTorch's)
    with pytest.raises(ValueError, match="GRUCell: input_size must be an int >= 0, got -1"):
        nn.GRUCell(-1, 4)
    with pytest.raises(ValueError, match="LSTM: hidden_size must be a positive int, got 0"):
        nn.LSTM(3, 0)
    with pytest.raises(ValueError, match="RNN: num_layers must be a positive int, got 0"):
        nn.RNN(3, 4, num_layers=0)
    with pytest.raises(TypeError, match="LSTM: bias must be True or False, got 'yes'"):
        nn.LSTM(3, 4, bias="yes")
    with pytest.raises(TypeError, match="GRU: batch_first must be True or False, got 1"):
        nn.GRU(3, 4, batch_first=1)
    with pytest.raises(TypeError, match="RNN: dtype must be a float dtype"):
        nn.RNN(3, 4, dtype=np.int64)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        nn.LSTM(3, 4, 2, dropout=1.0), nn.LSTM(3, 4, 1, dropout=0)  # the ends of [0, 1], and no warning


LAYER_ERRORS = [  # (module, input shape, states' shapes or None, error, message)
    (lambda: nn.RNN(3, 4), (5,), None, ValueError, r"RNN: expected a 2-D \(L, H_in\) unbatched or 3-D "
                                                   r"\(L, N, H_in\) batched input, got shape \(5,\)"),
    (lambda: nn.GRU(3, 4, batch_first=True), (1, 2, 5, 3), None, ValueError, r"3-D \(N, L, H_in\) batched input, "
                                                                             r"got shape \(1, 2, 5, 3\)"),
    (lambda: nn.LSTM(3, 4), (5, 2, 4), None, RecurrentShapeError,
     r"LSTM: input.size\(-1\) must be equal to input_size. Expected 3, got 4 \(the input\'s shape \(5, 2, 4\)\)"),
    (lambda: nn.RNN(3, 4, 2), (5, 2, 3), [(2, 3, 4)], RecurrentShapeError,
     r"RNN: Expected hidden size \(2, 2, 4\) for h_0 \(num_layers \* num_directions, N, hidden_size\), "
     r"got \(2, 3, 4\)"),
    (lambda: nn.GRU(3, 4, bidirectional=True), (5, 3), [(1, 4)], RecurrentShapeError,
     r"GRU: Expected hidden size \(2, 4\) for h_0 \(num_layers \* num_directions, hidden_size\), got \(1, 4\)"),
    (lambda: nn.RNN(3, 4), (5, 2, 3), [(2, 4)], RecurrentShapeError,
     r"RNN: for a batched 3-D input, h_0 must be 3-D, got shape \(2, 4\)"),
    (lambda: nn.LSTM(3, 4), (5, 3), [(1, 4), (1, 1, 4)], RecurrentShapeError,
     r"LSTM: for an unbatched 2-D input, c_0 must be 2-D, got shape \(1, 1, 4\)"),
    (lambda: nn.LSTM(3, 4, 2), (5, 2, 3), [(2, 2, 4), (2, 2, 5)], RecurrentShapeError,
     r"LSTM: Expected hidden size \(2, 2, 4\) for c_0"),
    (lambda: nn.RNN(3, 4), (0, 2, 3), None, RecurrentShapeError,
     r"RNN: Expected sequence length to be larger than 0 in RNN, got an input of shape \(0, 2, 3\)"),
    (lambda: nn.GRU(3, 4, batch_first=True), (2, 0, 3), None, RecurrentShapeError,
     "Expected sequence length to be larger than 0 in RNN"),
    (lambda: nn.RNNCell(3, 4), (2, 2, 3), None, ValueError,
     r"RNNCell: expected a 1-D \(H_in,\) or 2-D \(N, H_in\) input, got shape \(2, 2, 3\)"),
    (lambda: nn.GRUCell(3, 4), (2, 5), None, RecurrentShapeError,
     r"GRUCell: the input \(shape \(2, 5\)\) has 5 features, expected input_size=3"),
    (lambda: nn.GRUCell(3, 4), (2, 3), [(3, 4)], RecurrentShapeError,
     r"GRUCell: hx has shape \(3, 4\); for an input of shape \(2, 3\) it must be \(2, 4\) \(N, hidden_size\)"),
    (lambda: nn.RNNCell(3, 4), (3,), [(1, 4)], RecurrentShapeError,
     r"RNNCell: hx has shape \(1, 4\); for an input of shape \(3,\) it must be \(4,\) \(hidden_size\)"),
    (lambda: nn.LSTMCell(3, 4), (2, 3), [(2, 4), (1, 2, 4)], ValueError,
     r"LSTMCell: expected hx\[1\] to be 1-D or 2-D, got shape \(1, 2, 4\)"),
]


@pytest.mark.parametrize("make, x_shape, state_shapes, error, message", LAYER_ERRORS)
def test_bad_inputs_and_states_are_refused_where_torch_refuses_them(make, x_shape, state_shapes, error, message):
    module = make()
    states = None if state_shapes is None else [np.zeros(s, dtype=np.float32) for s in state_shapes]
    hx = None if states is None else (tuple(states) if len(states) == 2 else states[0])
    with pytest.raises(error, match=message):
        module(np.zeros(x_shape, dtype=np.float32), hx)
    if error is RecurrentShapeError:
        assert issubclass(error, ValueError) and issubclass(error, RuntimeError)
    try:
        import torch
    except ImportError:
        return
    theirs = getattr(torch.nn, type(module).__name__)(3, 4, **{k: getattr(module, k) for k in (
        "num_layers", "batch_first", "bidirectional") if hasattr(module, k)})
    their_hx = None if states is None else (tuple(map(torch.tensor, states)) if len(states) == 2
                                            else torch.tensor(states[0]))
    with pytest.raises((ValueError, RuntimeError)):
        theirs(torch.zeros(x_shape), their_hx)


def test_lstm_states_must_be_a_pair():
    lstm, x = nn.LSTM(3, 4), np.zeros((5, 1, 3))
    with pytest.raises(TypeError, match=r"LSTM: hx must be a pair \(h_0, c_0\) of hidden and cell states, or None; "
                                        r"got ndarray"):
        lstm(x, np.zeros((1, 1, 4)))
    with pytest.raises(TypeError, match="LSTMCell: hx must be a pair .* got tuple of length 3"):
        nn.LSTMCell(3, 4)(np.zeros(3), (np.zeros(4),) * 3)
    with pytest.raises(TypeError, match="GRU: expected input of a bool, integer or float dtype, got <U1"):
        nn.GRU(3, 4)(np.array([["a"] * 3]))


# An LSTM's or LSTMCell's hx pair holding None (hx=(h_0, None)) is refused, as PyTorch refuses it (the missing state
# was silently taken as zeros).
@pytest.mark.parametrize("make, x, state", [
    (lambda: nn.LSTM(2, 3, rng=0), np.zeros((4, 1, 2)), np.zeros((1, 1, 3))),
    (lambda: nn.LSTM(2, 3, num_layers=2, bidirectional=True, rng=0), np.zeros((4, 2)), np.zeros((4, 3))),
    (lambda: nn.LSTMCell(2, 3, rng=0), np.zeros((5, 2)), np.zeros((5, 3))),
    (lambda: nn.LSTMCell(2, 3, rng=0), np.zeros(2), np.zeros(3)),
])
@pytest.mark.parametrize("missing", [0, 1])
def test_an_lstm_state_pair_holding_none_is_refused(make, x, state, missing):
    layer = make()
    hx = (None, state) if missing == 0 else (state, None)
    owner = type(layer).__name__
    with pytest.raises(TypeError, match=rf"{owner}: hx must be a pair \(h_0, c_0\) .* but hx\[{missing}\] is None"):
        layer(x, hx)
    with pytest.raises(TypeError, match=rf"{owner}: hx must be a pair .* but hx\[0\] is None"):
        layer(x, (None, None))
    layer(x, (state, state))  # a whole pair, and None, are taken
    layer(x, None)


def test_torch_refuses_a_pair_holding_none_too():
    torch = pytest.importorskip("torch")
    with pytest.raises(Exception):
        torch.nn.LSTM(2, 3)(torch.zeros(4, 1, 2), (torch.zeros(1, 1, 3), None))
    with pytest.raises(Exception):
        torch.nn.LSTMCell(2, 3)(torch.zeros(5, 2), (None, torch.zeros(5, 3)))
