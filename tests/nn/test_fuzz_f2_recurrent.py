"""Regression tests from fuzzing the recurrent layers against PyTorch: an LSTM's or LSTMCell's hx pair holding None
(hx=(h_0, None)) is refused, as PyTorch refuses it, where the missing state was silently taken as zeros."""
import numpy as np
import pytest

import nn


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
