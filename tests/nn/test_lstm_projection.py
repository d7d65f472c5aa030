"""LSTM with proj_size > 0 (nn/recurrent.py): h_t = W_hr (o tanh(c_t)), as PyTorch's.

Without PyTorch: a NumPy loop of the projected cell over stacked bidirectional layers, the parameter names, shapes,
order and initialisation, finite differences to second order, the errors. Against PyTorch (float64, our weights
loaded into torch's): outputs, h_n, c_n and the gradients of the input, h_0, c_0 and every parameter for every
combination of num_layers, bidirectional, batch_first, bias and batched input, and over packed sequences."""
import itertools
import zlib

import numpy as np
import pytest

import autograd_core as ag
import nn
from autograd_core.testing import gradcheck, gradgradcheck
from conftest import assert_module_matches_torch
from nn.recurrent import RecurrentShapeError
from nn.utils.rnn import pack_padded_sequence

INPUT, HIDDEN, PROJ, LENGTH, BATCH = 3, 5, 2, 4, 3


def _rng(*key):
    return np.random.default_rng(zlib.crc32(repr(key).encode()))


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


def np_projected_lstm(module, x, h0, c0):
    """The projected LSTM in NumPy: x (L, N, H_in), h0 (layers * D, N, P), c0 (layers * D, N, H)."""
    params = {name: p.data for name, p in module.named_parameters()}
    directions = 2 if module.bidirectional else 1
    h_n, c_n = [], []
    for layer in range(module.num_layers):
        outputs = []
        for direction in range(directions):
            suffix = f"_l{layer}" + ("_reverse" if direction else "")
            w_ih, w_hh, w_hr = (params["weight_" + kind + suffix] for kind in ("ih", "hh", "hr"))
            bias = params.get("bias_ih" + suffix, 0) + params.get("bias_hh" + suffix, 0)
            h, c = h0[layer * directions + direction], c0[layer * directions + direction]
            out = [None] * len(x)
            for t in (reversed(range(len(x))) if direction else range(len(x))):
                i, f, g, o = np.split(x[t] @ w_ih.T + h @ w_hh.T + bias, 4, axis=-1)
                c = _sigmoid(f) * c + _sigmoid(i) * np.tanh(g)
                h = (_sigmoid(o) * np.tanh(c)) @ w_hr.T
                out[t] = h
            outputs.append(np.stack(out))
            h_n.append(h)
            c_n.append(c)
        x = np.concatenate(outputs, axis=-1)
    return x, np.stack(h_n), np.stack(c_n)


@pytest.mark.parametrize("num_layers, bidirectional, bias", list(itertools.product([1, 2], [False, True],
                                                                                   [False, True])))
def test_projected_lstm_equals_a_numpy_loop(num_layers, bidirectional, bias):
    rng = _rng("numpy", num_layers, bidirectional, bias)
    lstm = nn.LSTM(INPUT, HIDDEN, num_layers, bias, bidirectional=bidirectional, proj_size=PROJ, dtype=np.float64,
                   rng=rng)
    d = 2 if bidirectional else 1
    x = rng.standard_normal((LENGTH, BATCH, INPUT))
    h0, c0 = rng.standard_normal((num_layers * d, BATCH, PROJ)), rng.standard_normal((num_layers * d, BATCH, HIDDEN))
    output, (h_n, c_n) = lstm(x, (h0, c0))
    for got, want in zip((output, h_n, c_n), np_projected_lstm(lstm, x, h0, c0)):
        assert got.shape == want.shape
        np.testing.assert_allclose(got.data, want, rtol=1e-12, atol=1e-14)
    output, (h_n, c_n) = lstm(x[:, 0])  # unbatched, zero states
    zeros = np.zeros((num_layers * d, 1, PROJ)), np.zeros((num_layers * d, 1, HIDDEN))
    want = np_projected_lstm(lstm, x[:, :1], *zeros)
    np.testing.assert_allclose(output.data, want[0][:, 0], rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(h_n.data, want[1][:, 0], rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(c_n.data, want[2][:, 0], rtol=1e-12, atol=1e-14)


def test_parameters_names_shapes_order_and_initialisation_are_pytorchs():
    lstm = nn.LSTM(INPUT, HIDDEN, num_layers=2, bidirectional=True, proj_size=PROJ, rng=0)
    shapes = [(name, p.shape) for name, p in lstm.named_parameters()]
    expected = []
    for layer, suffix in itertools.product(range(2), ["", "_reverse"]):
        expected += [(f"weight_ih_l{layer}{suffix}", (4 * HIDDEN, INPUT if layer == 0 else 2 * PROJ)),
                     (f"weight_hh_l{layer}{suffix}", (4 * HIDDEN, PROJ)),
                     (f"bias_ih_l{layer}{suffix}", (4 * HIDDEN,)), (f"bias_hh_l{layer}{suffix}", (4 * HIDDEN,)),
                     (f"weight_hr_l{layer}{suffix}", (PROJ, HIDDEN))]
    assert shapes == expected
    assert [len(w) for w in lstm.all_weights] == [5] * 4 and lstm.all_weights[1][4] is lstm.weight_hr_l0_reverse
    no_bias = nn.LSTM(INPUT, HIDDEN, bias=False, proj_size=PROJ)
    assert [name for name, _ in no_bias.named_parameters()] == ["weight_ih_l0", "weight_hh_l0", "weight_hr_l0"]
    bound = 1 / np.sqrt(100)  # 1/sqrt(hidden_size), weight_hr's too
    values = np.concatenate([p.data.ravel() for p in nn.LSTM(4, 100, proj_size=30, rng=1).parameters()])
    assert np.abs(values).max() <= bound and np.abs(values).max() > 0.99 * bound and abs(values.mean()) < 0.01
    again = nn.LSTM(INPUT, HIDDEN, num_layers=2, bidirectional=True, proj_size=PROJ, rng=0)
    for (_, a), (_, b) in zip(lstm.named_parameters(), again.named_parameters()):
        np.testing.assert_array_equal(a.data, b.data)
    assert repr(nn.LSTM(3, 5, proj_size=2, num_layers=2, bias=False, bidirectional=True)) == \
        "LSTM(3, 5, proj_size=2, num_layers=2, bias=False, bidirectional=True)"
    assert lstm.proj_size == PROJ and nn.LSTM(3, 5).proj_size == 0 and nn.GRU(3, 5).proj_size == 0


def test_gradients_to_second_order_by_finite_differences():
    lstm = nn.LSTM(2, 3, num_layers=2, bidirectional=True, proj_size=1, dtype=np.float64, rng=2)
    rng = _rng("fd")
    x, h0, c0 = rng.standard_normal((3, 2, 2)), rng.standard_normal((4, 2, 1)), rng.standard_normal((4, 2, 3))

    def f(x, h0, c0):
        output, (h_n, c_n) = lstm(x, (h0, c0))
        return ag.concatenate([output.flatten(), h_n.flatten(), c_n.flatten()])

    assert gradcheck(f, x, h0, c0)
    small = nn.LSTM(1, 2, bidirectional=True, proj_size=1, dtype=np.float64, rng=3)
    assert gradgradcheck(lambda x, h0: small(x, (h0, c0[:2, :, :2]))[0], x[:, :, :1], h0[:2])
    weight = lstm.weight_hr_l1_reverse

    def through_weight(w):
        weight.data = w.data if isinstance(w, ag.Tensor) else w
        return f(x, h0, c0)

    numeric = []
    base = weight.data.copy()
    for index in np.ndindex(base.shape):
        plus, minus = base.copy(), base.copy()
        plus[index] += 1e-6
        minus[index] -= 1e-6
        numeric.append((through_weight(plus).data - through_weight(minus).data) / 2e-6)
    weight.data = base
    cotangent = rng.standard_normal(f(x, h0, c0).shape)
    lstm.zero_grad()
    (f(x, h0, c0) * cotangent).sum().backward()
    np.testing.assert_allclose(weight.grad.data.ravel(), np.array(numeric) @ cotangent, rtol=1e-6, atol=1e-8)


def test_errors():
    with pytest.raises(ValueError, match="LSTM: proj_size has to be smaller than hidden_size, got proj_size=5 and "
                                         "hidden_size=5"):
        nn.LSTM(3, 5, proj_size=5)
    with pytest.raises(ValueError, match="LSTM: proj_size must be an int >= 0, got -1"):
        nn.LSTM(3, 5, proj_size=-1)
    with pytest.raises(TypeError, match="LSTM: proj_size must be an int >= 0, got 1.5"):
        nn.LSTM(3, 5, proj_size=1.5)
    lstm = nn.LSTM(3, 5, proj_size=2, dtype=np.float64)
    x = np.zeros((4, 2, 3))
    with pytest.raises(RecurrentShapeError, match=r"LSTM: Expected hidden size \(1, 2, 2\) for h_0 \(num_layers \* "
                                                  r"num_directions, N, proj_size\), got \(1, 2, 5\)"):
        lstm(x, (np.zeros((1, 2, 5)), np.zeros((1, 2, 5))))
    with pytest.raises(RecurrentShapeError, match=r"LSTM: Expected hidden size \(1, 2, 5\) for c_0 \(num_layers \* "
                                                  r"num_directions, N, hidden_size\), got \(1, 2, 2\)"):
        lstm(x, (np.zeros((1, 2, 2)), np.zeros((1, 2, 2))))
    with pytest.raises(RecurrentShapeError, match=r"LSTM: Expected hidden size \(1, 2\) for h_0 \(num_layers \* "
                                                  r"num_directions, proj_size\), got \(1, 5\)"):
        lstm(x[:, 0], (np.zeros((1, 5)), np.zeros((1, 5))))


# ---- against PyTorch ---------------------------------------------------------------------------------------------
def _torch_lstm(torch, ours):
    theirs = torch.nn.LSTM(ours.input_size, ours.hidden_size, ours.num_layers, ours.bias, ours.batch_first,
                           bidirectional=ours.bidirectional, proj_size=ours.proj_size).double()
    assert list(theirs.state_dict()) == list(ours.state_dict())
    assert [tuple(p.shape) for p in theirs.parameters()] == [p.shape for p in ours.parameters()]
    theirs.load_state_dict({name: torch.tensor(value) for name, value in ours.state_dict().items()})
    return theirs


@pytest.mark.parametrize("num_layers, bidirectional, batch_first, bias, batched",
                         list(itertools.product([1, 2], *[[False, True]] * 4)))
def test_matches_torch_values_and_gradients(num_layers, bidirectional, batch_first, bias, batched):
    torch = pytest.importorskip("torch")
    given = (num_layers + bidirectional + batch_first + bias + batched) % 2 == 1
    rng = _rng("torch", num_layers, bidirectional, batch_first, bias, batched)
    ours = nn.LSTM(INPUT, HIDDEN, num_layers, bias, batch_first, bidirectional=bidirectional, proj_size=PROJ,
                   dtype=np.float64, rng=rng)
    theirs = _torch_lstm(torch, ours)
    d = 2 if bidirectional else 1
    x_shape = ((BATCH, LENGTH) if batch_first else (LENGTH, BATCH)) + (INPUT,) if batched else (LENGTH, INPUT)
    batch = (BATCH,) if batched else ()
    arrays = [rng.standard_normal(x_shape)]
    if given:
        arrays += [rng.standard_normal((num_layers * d,) + batch + (PROJ,)),
                   rng.standard_normal((num_layers * d,) + batch + (HIDDEN,))]
    mine = [ag.tensor(a, requires_grad=True) for a in arrays]
    yours = [torch.tensor(a, requires_grad=True) for a in arrays]
    output, (h_n, c_n) = ours(mine[0], tuple(mine[1:]) or None)
    expected, (expected_h, expected_c) = theirs(yours[0], tuple(yours[1:]) or None)
    assert output.shape[-1] == d * PROJ and h_n.shape[-1] == PROJ and c_n.shape[-1] == HIDDEN
    assert_module_matches_torch(torch, ours, theirs, [output, h_n, c_n], [expected, expected_h, expected_c], mine,
                                yours, rng)


@pytest.mark.parametrize("num_layers, bidirectional, enforce_sorted", list(itertools.product([1, 2], [False, True],
                                                                                             [False, True])))
def test_packed_sequences_match_torch(num_layers, bidirectional, enforce_sorted):
    torch = pytest.importorskip("torch")
    rng = _rng("packed", num_layers, bidirectional, enforce_sorted)
    ours = nn.LSTM(INPUT, HIDDEN, num_layers, bidirectional=bidirectional, proj_size=PROJ, dtype=np.float64, rng=rng)
    theirs = _torch_lstm(torch, ours)
    d, batch = 2 if bidirectional else 1, 4
    lengths = rng.integers(1, 6, batch)
    lengths[0] = 5
    lengths = np.sort(lengths)[::-1].copy() if enforce_sorted else lengths
    arrays = [rng.standard_normal((5, batch, INPUT)), rng.standard_normal((num_layers * d, batch, PROJ)),
              rng.standard_normal((num_layers * d, batch, HIDDEN))]
    mine = [ag.tensor(a, requires_grad=True) for a in arrays]
    yours = [torch.tensor(a, requires_grad=True) for a in arrays]
    output, (h_n, c_n) = ours(pack_padded_sequence(mine[0], lengths, enforce_sorted=enforce_sorted),
                              (mine[1], mine[2]))
    packed = torch.nn.utils.rnn.pack_padded_sequence(yours[0], torch.tensor(lengths), enforce_sorted=enforce_sorted)
    expected, (expected_h, expected_c) = theirs(packed, (yours[1], yours[2]))
    assert_module_matches_torch(torch, ours, theirs, [output.data, h_n, c_n],
                                [expected.data, expected_h, expected_c], mine, yours, rng)
