"""Recurrent layers (nn/recurrent.py): RNNCell, LSTMCell, GRUCell, RNN, LSTM and GRU.

Against PyTorch (with its weights copied in, float64): outputs, final states and the gradients of the input, the
initial states and every parameter, for every combination of num_layers, bidirectional, batch_first, bias, batched
and given states; dropout between layers; parameter names and state-dict keys. Without PyTorch: NumPy references of
each cell's step and of whole stacked bidirectional layers, finite differences to second order, the initialisation,
and a small sequence task (copy the first bit) learnt with
Adam."""
import itertools
import math
import re
import zlib

import numpy as np
import pytest

import autograd_core as ag
import nn
from autograd_core.testing import gradcheck, gradgradcheck
from conftest import assert_module_matches_torch, assert_same_layer_results, layer_results
from nn.recurrent import RecurrentShapeError

INPUT, HIDDEN, LENGTH, BATCH = 3, 4, 5, 2
CELLS = {"RNN_TANH": (nn.RNNCell, {}), "RNN_RELU": (nn.RNNCell, {"nonlinearity": "relu"}),
         "LSTM": (nn.LSTMCell, {}), "GRU": (nn.GRUCell, {})}
LAYERS = {"RNN_TANH": (nn.RNN, {}), "RNN_RELU": (nn.RNN, {"nonlinearity": "relu"}), "LSTM": (nn.LSTM, {}),
          "GRU": (nn.GRU, {})}


# ---- NumPy references -------------------------------------------------------------------------------------------
def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


def np_cell(mode, x, state, w_ih, w_hh, b_ih, b_hh):
    """One step of PyTorch's cell equations in plain NumPy: the new state, (h,) or (h, c)."""
    b_ih = 0 if b_ih is None else b_ih
    b_hh = 0 if b_hh is None else b_hh
    gi, gh = x @ w_ih.T + b_ih, state[0] @ w_hh.T + b_hh
    if mode == "RNN_TANH":
        return (np.tanh(gi + gh),)
    if mode == "RNN_RELU":
        return (np.maximum(gi + gh, 0),)
    if mode == "LSTM":
        i, f, g, o = np.split(gi + gh, 4, axis=-1)
        c = _sigmoid(f) * state[1] + _sigmoid(i) * np.tanh(g)
        return _sigmoid(o) * np.tanh(c), c
    r_i, z_i, n_i = np.split(gi, 3, axis=-1)
    r_h, z_h, n_h = np.split(gh, 3, axis=-1)
    r, z = _sigmoid(r_i + r_h), _sigmoid(z_i + z_h)
    n = np.tanh(n_i + r * n_h)
    return ((1 - z) * n + z * state[0],)


def np_layer(mode, module, x, states):
    """A whole RNN/LSTM/GRU in NumPy from np_cell: x (L, N, H_in) time first, states a list of (layers * D, N, H)
    arrays; returns (output (L, N, D * H), final states)."""
    params = {name: p.data for name, p in module.named_parameters()}
    directions = 2 if module.bidirectional else 1
    finals = [[] for _ in states]
    for layer in range(module.num_layers):
        outputs = []
        for direction in range(directions):
            suffix = f"_l{layer}" + ("_reverse" if direction else "")
            weights = [params.get(kind + suffix) for kind in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")]
            state = tuple(s[layer * directions + direction] for s in states)
            out = [None] * len(x)
            for t in (reversed(range(len(x))) if direction else range(len(x))):
                state = np_cell(mode, x[t], state, *weights)
                out[t] = state[0]
            outputs.append(np.stack(out))
            for final, value in zip(finals, state):
                final.append(value)
        x = np.concatenate(outputs, axis=-1)
    return x, [np.stack(final) for final in finals]


def _state_names(mode):
    return ("h_0", "c_0") if mode == "LSTM" else ("h_0",)


def _call(module, mode, x, states):
    """module(x, states) with states a list ([] for None); returns (output, [final states])."""
    hx = None if not states else (tuple(states) if mode == "LSTM" else states[0])
    output, final = module(x, hx)
    return output, list(final) if mode == "LSTM" else [final]


# ---- against PyTorch ----------------------------------------------------------------------------------------------
def _torch_layer(torch, mode, ours):
    """PyTorch's module with the same settings and our weights copied in (float64)."""
    kwargs = {"num_layers": ours.num_layers, "bias": ours.bias, "batch_first": ours.batch_first,
              "dropout": ours.dropout, "bidirectional": ours.bidirectional}
    if mode.startswith("RNN"):
        theirs = torch.nn.RNN(INPUT, HIDDEN, nonlinearity=ours.nonlinearity, **kwargs)
    else:
        theirs = getattr(torch.nn, mode)(INPUT, HIDDEN, **kwargs)
    theirs = theirs.double()
    theirs.load_state_dict({name: torch.tensor(value) for name, value in ours.state_dict().items()})
    return theirs


def _torch_call(module, mode, x, states):
    hx = None if not states else (tuple(states) if mode == "LSTM" else states[0])
    output, final = module(x, hx)
    return output, list(final) if mode == "LSTM" else [final]


@pytest.mark.parametrize("mode", list(LAYERS))
@pytest.mark.parametrize("num_layers, bidirectional, batch_first, bias, batched",
                         list(itertools.product([1, 2], *[[False, True]] * 4)))
def test_layers_match_torch_values_and_gradients(mode, num_layers, bidirectional, batch_first, bias, batched):
    torch = pytest.importorskip("torch")
    given = (num_layers + bidirectional + batch_first + bias + batched) % 2 == 1  # initial states in half the cases,
    # with and without for each value of each setting
    seed = zlib.crc32(repr((mode, num_layers, bidirectional, batch_first, bias, batched, given)).encode())
    rng = np.random.default_rng(seed)
    cls, extra = LAYERS[mode]
    ours = cls(INPUT, HIDDEN, num_layers=num_layers, bias=bias, batch_first=batch_first, bidirectional=bidirectional,
               dtype=np.float64, rng=rng, **extra)
    theirs = _torch_layer(torch, mode, ours)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert [(n, p.shape) for n, p in ours.named_parameters()] == \
        [(n, tuple(p.shape)) for n, p in theirs.named_parameters()]
    directions = 2 if bidirectional else 1
    x_shape = ((BATCH, LENGTH) if batch_first else (LENGTH, BATCH)) + (INPUT,) if batched else (LENGTH, INPUT)
    s_shape = (num_layers * directions,) + ((BATCH,) if batched else ()) + (HIDDEN,)
    arrays = [rng.standard_normal(x_shape)] + [rng.standard_normal(s_shape) for _ in _state_names(mode) if given]
    mine = [ag.tensor(a, requires_grad=True) for a in arrays]
    yours = [torch.tensor(a, requires_grad=True) for a in arrays]
    output, finals = _call(ours, mode, mine[0], mine[1:])
    expected, expected_finals = _torch_call(theirs, mode, yours[0], yours[1:])
    results, wanted = [output] + finals, [expected] + expected_finals
    assert_module_matches_torch(torch, ours, theirs, results, wanted, mine, yours, rng)


@pytest.mark.parametrize("mode", list(CELLS))
@pytest.mark.parametrize("bias, batched, given", list(itertools.product(*[[False, True]] * 3)))
def test_cells_match_torch_values_and_gradients(mode, bias, batched, given):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(len(mode) * 8 + 4 * bias + 2 * batched + given)
    cls, extra = CELLS[mode]
    ours = cls(INPUT, HIDDEN, bias=bias, dtype=np.float64, rng=rng, **extra)
    theirs = getattr(torch.nn, cls.__name__)(INPUT, HIDDEN, bias=bias, **extra).double()
    theirs.load_state_dict({name: torch.tensor(value) for name, value in ours.state_dict().items()})
    assert list(ours.state_dict()) == list(theirs.state_dict())
    batch = (BATCH,) if batched else ()
    arrays = [rng.standard_normal(batch + (INPUT,))] + [rng.standard_normal(batch + (HIDDEN,))
                                                        for _ in _state_names(mode) if given]
    mine = [ag.tensor(a, requires_grad=True) for a in arrays]
    yours = [torch.tensor(a, requires_grad=True) for a in arrays]
    if mode == "LSTM":
        got = ours(mine[0], tuple(mine[1:]) or None)
        want = theirs(yours[0], tuple(yours[1:]) or None)
    else:
        got = (ours(mine[0], *mine[1:]),)
        want = (theirs(yours[0], *yours[1:]),)
    for g, w in zip(got, want):
        np.testing.assert_allclose(g.data, w.detach().numpy(), rtol=1e-12, atol=1e-14)
    cotangents = [rng.standard_normal(g.shape) for g in got]
    sum((g * c).sum() for g, c in zip(got, cotangents)).backward()
    sum((w * torch.tensor(c)).sum() for w, c in zip(want, cotangents)).backward()
    for g, w in zip(mine + list(ours.parameters()), yours + list(theirs.parameters())):
        np.testing.assert_allclose(g.grad.data, w.grad.numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("mode", ["LSTM", "GRU", "RNN_TANH"])
def test_dropout_between_layers_matches_torch_at_its_extremes_and_in_eval(mode):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(5)
    cls, extra = LAYERS[mode]
    x = rng.standard_normal((LENGTH, BATCH, INPUT))
    for p, training in [(1.0, True), (0.5, False), (0.0, True)]:
        ours = cls(INPUT, HIDDEN, num_layers=3, dropout=p, dtype=np.float64, rng=1, **extra).train(training)
        theirs = _torch_layer(torch, mode, ours).train(training)
        (got, got_finals), (want, want_finals) = _call(ours, mode, x, []), _torch_call(theirs, mode,
                                                                                       torch.tensor(x), [])
        for g, w in zip([got] + got_finals, [want] + want_finals):  # the final states: each layer's
            np.testing.assert_allclose(g.data, w.detach().numpy(), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("mode", list(LAYERS))
def test_float32_layers_match_torch_to_float32_rounding(mode):
    torch = pytest.importorskip("torch")
    cls, extra = LAYERS[mode]
    ours = cls(INPUT, HIDDEN, num_layers=2, bidirectional=True, rng=2, **extra)  # float32, the default
    theirs = _torch_layer(torch, mode, ours).float()
    x = np.random.default_rng(2).standard_normal((LENGTH, BATCH, INPUT)).astype(np.float32)
    (got, got_finals), (want, want_finals) = _call(ours, mode, x, []), _torch_call(theirs, mode, torch.tensor(x), [])
    for g, w in zip([got] + got_finals, [want] + want_finals):
        assert g.dtype == np.float32
        np.testing.assert_allclose(g.data, w.detach().numpy(), rtol=1e-5, atol=1e-6)


# ---- against NumPy (no PyTorch needed) -------------------------------------------------------------------------
@pytest.mark.parametrize("mode", list(CELLS))
@pytest.mark.parametrize("bias, batched", list(itertools.product([False, True], [False, True])))
def test_cells_equal_a_numpy_step(mode, bias, batched):
    rng = np.random.default_rng(3)
    cls, extra = CELLS[mode]
    cell = cls(INPUT, HIDDEN, bias=bias, dtype=np.float64, rng=rng, **extra)
    batch = (BATCH,) if batched else ()
    x = rng.standard_normal(batch + (INPUT,))
    state = tuple(rng.standard_normal(batch + (HIDDEN,)) for _ in _state_names(mode))
    got = cell(x, state if mode == "LSTM" else state[0])
    got = got if mode == "LSTM" else (got,)
    expected = np_cell(mode, x, state, cell.weight_ih.data, cell.weight_hh.data,
                       None if cell.bias_ih is None else cell.bias_ih.data,
                       None if cell.bias_hh is None else cell.bias_hh.data)
    for g, e in zip(got, expected):
        assert g.shape == e.shape and g.dtype == np.float64
        np.testing.assert_allclose(g.data, e, rtol=1e-12, atol=1e-14)
    zero = cell(x)  # no state: zeros
    zeros = tuple(np.zeros(batch + (HIDDEN,)) for _ in state)
    expected = np_cell(mode, x, zeros, cell.weight_ih.data, cell.weight_hh.data,
                       None if cell.bias_ih is None else cell.bias_ih.data,
                       None if cell.bias_hh is None else cell.bias_hh.data)
    for g, e in zip(zero if mode == "LSTM" else (zero,), expected):
        np.testing.assert_allclose(g.data, e, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("mode", list(LAYERS))
@pytest.mark.parametrize("num_layers, bidirectional, batch_first, batched",
                         list(itertools.product([1, 2], *[[False, True]] * 3)))
def test_layers_equal_a_numpy_loop_over_cells(mode, num_layers, bidirectional, batch_first, batched):
    rng = np.random.default_rng(num_layers + 2 * bidirectional + 4 * batch_first + 8 * batched)
    cls, extra = LAYERS[mode]
    module = cls(INPUT, HIDDEN, num_layers, bias=bool(num_layers % 2), batch_first=batch_first,
                 bidirectional=bidirectional, dtype=np.float64, rng=rng, **extra)
    directions = 2 if bidirectional else 1
    x = rng.standard_normal((LENGTH, BATCH, INPUT))  # time first
    states = [rng.standard_normal((num_layers * directions, BATCH, HIDDEN)) for _ in _state_names(mode)]
    zeros = [np.zeros_like(s) for s in states]
    for given, expected_states in ((states, states), ([], zeros)):
        expected, expected_finals = np_layer(mode, module, x, expected_states)
        if not batched:  # the first sequence alone
            inputs, given = x[:, 0], [s[:, 0] for s in given]
            expected, expected_finals = expected[:, 0], [s[:, 0] for s in expected_finals]
        elif batch_first:
            inputs, expected = x.transpose(1, 0, 2), expected.transpose(1, 0, 2)
        else:
            inputs = x
        output, finals = _call(module, mode, inputs, given)
        np.testing.assert_allclose(output.data, expected, rtol=1e-12, atol=1e-14)
        assert len(finals) == len(expected_finals)
        for got, want in zip(finals, expected_finals):
            np.testing.assert_allclose(got.data, want, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("mode", list(LAYERS))
@pytest.mark.parametrize("length", [16, 17, 40])
def test_long_sequences_equal_the_cell_stepped_over_time_values_and_gradients(mode, length):
    """Past 16 steps the layer takes its time steps through blocks (nn/recurrent.py's _time_steps): the same values
    and gradients as its cell stepped by hand, both directions."""
    rng = np.random.default_rng(length)
    cls, extra = LAYERS[mode]
    cell_cls, _ = CELLS[mode]
    layer = cls(2, 3, bidirectional=True, batch_first=True, dtype=np.float64, rng=rng, **extra)
    cells = [cell_cls(2, 3, dtype=np.float64, **extra), cell_cls(2, 3, dtype=np.float64, **extra)]
    for cell, suffix in zip(cells, ("_l0", "_l0_reverse")):
        cell.load_state_dict({name: layer.state_dict()[name + suffix] for name in cell.state_dict()})
    x = rng.standard_normal((2, length, 2))
    ours, theirs = ag.tensor(x, requires_grad=True), ag.tensor(x, requires_grad=True)
    output, finals = _call(layer, mode, ours, [])
    by_hand, hand_finals = [], []
    for cell, times in zip(cells, (range(length), range(length - 1, -1, -1))):
        state, outs = None, [None] * length
        for t in times:
            state = cell(theirs[:, t], state)
            outs[t] = state[0] if mode == "LSTM" else state
        by_hand.append(ag.stack(outs, axis=1))
        hand_finals.append(state if mode == "LSTM" else (state,))
    expected = ag.concatenate(by_hand, axis=-1)
    np.testing.assert_allclose(output.data, expected.data, rtol=1e-12, atol=1e-14)
    for k, final in enumerate(finals):
        np.testing.assert_allclose(final.data, np.stack([f[k].data for f in hand_finals]), rtol=1e-12, atol=1e-14)
    cotangent = rng.standard_normal(output.shape)
    (output * cotangent).sum().backward()
    (expected * cotangent).sum().backward()
    np.testing.assert_allclose(ours.grad.data, theirs.grad.data, rtol=1e-10, atol=1e-12)
    for cell, suffix in zip(cells, ("_l0", "_l0_reverse")):
        for name, p in cell.named_parameters():
            np.testing.assert_allclose(getattr(layer, name + suffix).grad.data, p.grad.data, rtol=1e-10, atol=1e-12)


def _with_parameters(module, names, call):
    """f(x, *states_and_weights) running call(module, x, states) with the module's parameters replaced by the checked
    inputs (object.__setattr__ skips the Parameter check; the originals are put back)."""
    originals = [getattr(module, name) for name in names]

    def f(x, *rest):
        states, weights = rest[:len(rest) - len(names)], rest[len(rest) - len(names):]
        for name, w in zip(names, weights):
            object.__setattr__(module, name, w)
        try:
            return call(module, x, list(states))
        finally:
            for name, p in zip(names, originals):
                object.__setattr__(module, name, p)
    return f


@pytest.mark.parametrize("mode", list(CELLS))
def test_cells_gradients_and_second_derivatives_match_finite_differences(mode):
    rng = np.random.default_rng(11)
    cls, extra = CELLS[mode]
    cell = cls(2, 2, dtype=np.float64, rng=rng, **extra)
    names = [name for name, _ in cell.named_parameters()]

    def run(module, x, states):
        out = module(x, tuple(states)) if mode == "LSTM" else (module(x, states[0]),)
        return ag.concatenate([o.reshape(-1) for o in out])

    f = _with_parameters(cell, names, run)
    x = rng.standard_normal((2, 2)) + (0.5 if mode == "RNN_RELU" else 0)  # (relu away from its kink)
    states = [rng.standard_normal((2, 2)) for _ in _state_names(mode)]
    args = [x] + states + [p.data for p in cell.parameters()]
    assert gradcheck(f, *args, atol=1e-6, rtol=1e-5)
    assert gradgradcheck(f, *args, atol=1e-6, rtol=1e-5)


@pytest.mark.parametrize("mode", ["LSTM", "GRU"])
def test_a_stacked_bidirectional_layer_has_gradients_by_finite_differences(mode):
    rng = np.random.default_rng(12)
    cls, _ = LAYERS[mode]
    module = cls(2, 1, num_layers=2, bidirectional=True, batch_first=True, dtype=np.float64, rng=rng)
    names = [name for name, _ in module.named_parameters()]

    def run(m, x, states):
        output, finals = _call(m, mode, x, states)
        return ag.concatenate([output.reshape(-1)] + [s.reshape(-1) for s in finals])

    f = _with_parameters(module, names, run)
    args = [rng.standard_normal((1, 3, 2))] + [rng.standard_normal((4, 1, 1)) for _ in _state_names(mode)]
    assert gradcheck(f, *args, *[p.data for p in module.parameters()], atol=1e-6, rtol=1e-5)
    small = cls(1, 1, bidirectional=True, dtype=np.float64, rng=rng)  # second order through time, both ways
    f = _with_parameters(small, [name for name, _ in small.named_parameters()], run)
    args = [rng.standard_normal((2, 1, 1))] + [rng.standard_normal((2, 1, 1)) for _ in _state_names(mode)]
    assert gradgradcheck(f, *args, *[p.data for p in small.parameters()], atol=1e-6, rtol=1e-5)


@pytest.mark.parametrize("length", [5, 30])
def test_the_input_is_projected_in_one_matmul_per_layer_and_direction(monkeypatch, length):
    calls = []

    def counted(x, weight, bias=None):
        calls.append(np.ndim(x))
        return linear(x, weight, bias)

    linear = ag.linear
    monkeypatch.setattr(ag, "linear", counted)
    nn.GRU(3, 4, num_layers=2, bidirectional=True, rng=0)(np.ones((length, 2, 3)))
    assert calls.count(3) == 4  # W_ih x_t + b_ih for all t at once: 2 layers, 2 directions
    assert calls.count(2) == 4 * length  # then W_hh h_(t-1) + b_hh, step by step


# ---- parameters, initialisation, state dict --------------------------------------------------------------------
def test_parameter_names_shapes_and_order_are_pytorchs():
    lstm = nn.LSTM(3, 5, num_layers=2, bidirectional=True)
    assert [(n, p.shape) for n, p in lstm.named_parameters()] == [
        ("weight_ih_l0", (20, 3)), ("weight_hh_l0", (20, 5)), ("bias_ih_l0", (20,)), ("bias_hh_l0", (20,)),
        ("weight_ih_l0_reverse", (20, 3)), ("weight_hh_l0_reverse", (20, 5)), ("bias_ih_l0_reverse", (20,)),
        ("bias_hh_l0_reverse", (20,)),
        ("weight_ih_l1", (20, 10)), ("weight_hh_l1", (20, 5)), ("bias_ih_l1", (20,)), ("bias_hh_l1", (20,)),
        ("weight_ih_l1_reverse", (20, 10)), ("weight_hh_l1_reverse", (20, 5)), ("bias_ih_l1_reverse", (20,)),
        ("bias_hh_l1_reverse", (20,))]
    assert list(nn.GRU(3, 5, 2, bias=False).state_dict()) == ["weight_ih_l0", "weight_hh_l0", "weight_ih_l1",
                                                             "weight_hh_l1"]
    assert [(n, p.shape) for n, p in nn.RNN(3, 5).named_parameters()] == [
        ("weight_ih_l0", (5, 3)), ("weight_hh_l0", (5, 5)), ("bias_ih_l0", (5,)), ("bias_hh_l0", (5,))]
    assert [(n, p.shape) for n, p in nn.GRUCell(3, 5).named_parameters()] == [
        ("weight_ih", (15, 3)), ("weight_hh", (15, 5)), ("bias_ih", (15,)), ("bias_hh", (15,))]
    cell = nn.LSTMCell(3, 5, bias=False)
    assert list(cell.state_dict()) == ["weight_ih", "weight_hh"] and cell.bias_ih is None
    assert [len(w) for w in nn.LSTM(2, 3, 2, bidirectional=True).all_weights] == [4, 4, 4, 4]


@pytest.mark.parametrize("make", [lambda m: m.GRU(3, 4, 2), lambda m: m.LSTM(3, 4, bidirectional=True, proj_size=2),
                                  lambda m: m.RNN(3, 4, bias=False)])
def test_flat_weights_names_list_the_parameters_in_pytorchs_order(make):
    # PyTorch's private list, which d2l.ai's init_seq2seq reads: module._parameters[name] for each weight's name
    module = make(nn)
    names = module._flat_weights_names
    assert names == [name for name, _ in module.named_parameters()]
    for name in names:
        if "weight" in name:
            nn.init.zeros_(module._parameters[name])
    assert all(not getattr(module, name).data.any() for name in names if "weight" in name)
    torch = pytest.importorskip("torch")
    assert names == make(torch.nn)._flat_weights_names


def test_flat_weights_follow_pruning_as_pytorchs():
    # PyTorch's test_pruning: a pruned weight there is the mask times weight_orig, no longer a Parameter
    lstm = nn.LSTM(4, 3, rng=0)
    assert [w is getattr(lstm, n) for w, n in zip(lstm._flat_weights, lstm._flat_weights_names)] == [True] * 4
    nn.utils.prune.l1_unstructured(lstm, "weight_ih_l0", 0.5)
    weights = lstm._flat_weights
    assert [isinstance(w, nn.Parameter) for w in weights] == [False, True, True, True]
    np.testing.assert_array_equal(weights[0].data, lstm.weight_ih_l0_orig.data * lstm.weight_ih_l0_mask.data)
    assert int((weights[0].data == 0).sum()) == 24  # half of the 12 x 4 entries
    nn.utils.prune.remove(lstm, "weight_ih_l0")
    assert all(isinstance(w, nn.Parameter) for w in lstm._flat_weights)
    torch = pytest.importorskip("torch")
    torch_prune = pytest.importorskip("torch.nn.utils.prune")  # (a submodule torch does not import itself)
    theirs = torch.nn.LSTM(4, 3)
    torch_prune.l1_unstructured(theirs, "weight_ih_l0", 0.5)
    assert [isinstance(w, torch.nn.Parameter) for w in theirs._flat_weights] == [False, True, True, True]


@pytest.mark.parametrize("make", [lambda **k: nn.LSTM(6, 25, 2, bidirectional=True, **k),
                                  lambda **k: nn.GRUCell(6, 25, **k), lambda **k: nn.RNN(6, 25, **k)])
def test_initialisation_is_uniform_within_one_over_sqrt_hidden_and_seeded(make):
    module = make(rng=0)
    bound = 1 / math.sqrt(25)
    values = np.concatenate([p.data.ravel() for p in module.parameters()])
    assert all(p.dtype == np.float32 for p in module.parameters())
    assert np.abs(values).max() <= bound and np.abs(values).max() > 0.98 * bound
    assert abs(values.mean()) < 0.02 and abs(values.std() - bound / math.sqrt(3)) < 0.01  # U(-b, b)'s moments
    again, other = make(rng=0), make(rng=np.random.default_rng(1))
    for p, q, r in zip(module.parameters(), again.parameters(), other.parameters()):
        np.testing.assert_array_equal(p.data, q.data)
        assert not np.array_equal(p.data, r.data)
    assert make(dtype=np.float64).weight_hh_l0.dtype == np.float64 if hasattr(module, "weight_hh_l0") else True


def test_dtype_casts_and_state_dict_round_trip():
    lstm = nn.LSTM(2, 3, rng=0)
    output, (h, c) = lstm(np.ones((4, 1, 2)))  # float64 data into a float32 layer: cast, as Linear does
    assert output.dtype == h.dtype == c.dtype == np.float32
    twin = nn.LSTM(2, 3, rng=1)
    twin.load_state_dict(lstm.state_dict())
    np.testing.assert_array_equal(twin(np.ones((4, 1, 2)))[0].data, output.data)
    assert lstm.double()(np.ones((4, 2)))[0].dtype == np.float64


def test_reprs_are_pytorchs():
    assert repr(nn.RNN(3, 4, nonlinearity="relu")) == "RNN(3, 4)"
    assert repr(nn.LSTM(3, 4, 2, bias=False, batch_first=True, dropout=0.5, bidirectional=True)) == \
        "LSTM(3, 4, num_layers=2, bias=False, batch_first=True, dropout=0.5, bidirectional=True)"
    assert repr(nn.RNNCell(3, 4, nonlinearity="relu")) == "RNNCell(3, 4, nonlinearity=relu)"
    assert repr(nn.GRUCell(3, 4, bias=False)) == "GRUCell(3, 4, bias=False)"


def test_dropout_draws_from_the_layers_generator_only_in_training():
    x = np.random.default_rng(0).standard_normal((6, 3, 2))
    a, b = nn.GRU(2, 8, 2, dropout=0.5, rng=7), nn.GRU(2, 8, 2, dropout=0.5, rng=7)
    first = a(x)[0].data
    np.testing.assert_array_equal(first, b(x)[0].data)  # the same seed: the same weights and masks
    assert not np.array_equal(first, a(x)[0].data)  # the next masks differ
    a.eval()
    np.testing.assert_array_equal(a(x)[0].data, a(x)[0].data)
    c = nn.GRU(2, 8, 2, dropout=0.0, rng=7)
    np.testing.assert_array_equal(a(x)[0].data, c(x)[0].data)  # eval: no dropout at all
    dropped = nn.LSTM(2, 8, 3, dropout=1.0, dtype=np.float64, rng=7)  # every input but the first layer's zeroed
    _, (h, c) = dropped(x)
    _, (h_eval, c_eval) = dropped.eval()(x)
    np.testing.assert_array_equal(h.data[0], h_eval.data[0])  # the first layer sees the input itself
    np.testing.assert_array_equal(c.data[0], c_eval.data[0])
    _, (h_other, _) = dropped.train()(x + 1)
    np.testing.assert_array_equal(h.data[1:], h_other.data[1:])  # the others see zeros, whatever the input
    assert not np.allclose(h.data[0], h_other.data[0])


# ---- learning ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("cls", [nn.LSTM, nn.GRU])
def test_learns_to_recall_the_first_bit_of_a_sequence(cls):
    """The label is the first of 8 random bits, read last: the state must carry it through 7 distracting steps."""
    rng = np.random.default_rng(0)

    class Recall(nn.Module):
        def __init__(self):
            super().__init__()
            self.rnn = cls(1, 16, batch_first=True, rng=rng)
            self.head = nn.Linear(16, 1, rng=rng)

        def forward(self, x):
            output, _ = self.rnn(x)
            return self.head(output[:, -1])

    model = Recall()
    optimizer = nn.optim.Adam(model.parameters(), lr=0.03)
    loss_fn = nn.BCEWithLogitsLoss()
    for _ in range(150):
        bits = rng.integers(0, 2, (32, 8, 1)).astype(np.float32)
        loss = loss_fn(model(2 * bits - 1), bits[:, 0])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    bits = rng.integers(0, 2, (256, 8, 1)).astype(np.float32)
    with ag.no_grad():
        predicted = model(2 * bits - 1).data > 0
    assert (predicted == bits[:, 0].astype(bool)).mean() > 0.97


# ---- cells of size 0, as PyTorch's (its RNN, LSTM and GRU refuse 0, as ours) ----------------------------------------
@pytest.mark.parametrize("kind", ["RNNCell", "LSTMCell", "GRUCell"])
@pytest.mark.parametrize("input_size, hidden_size", [(0, 3), (3, 0), (0, 0)])
def test_cells_of_size_0(kind, input_size, hidden_size):
    """A cell of input_size 0 runs on its state alone (weight_ih (gates * H, 0)); one of hidden_size 0 has a state
    of no entries and parameters of none (PyTorch's bound 0 instead of 1/sqrt(0))."""
    cell = getattr(nn, kind)(input_size, hidden_size, rng=0)
    gates = {"RNNCell": 1, "LSTMCell": 4, "GRUCell": 3}[kind] * hidden_size
    assert cell.weight_ih.shape == (gates, input_size) and cell.weight_hh.shape == (gates, hidden_size)
    x = np.ones((2, input_size), np.float32)
    output, (x_grad,), grads = layer_results(cell, [x])
    assert output.shape == (2, hidden_size) and x_grad.shape == (2, input_size)
    assert [g.shape for g in grads.values()] == [p.shape for p in cell.parameters()]
    if kind == "RNNCell":  # tanh(b_ih + b_hh): written out
        np.testing.assert_allclose(output, np.tanh(np.broadcast_to(cell.bias_ih.data + cell.bias_hh.data,
                                                                   output.shape)), rtol=1e-6)
    unbatched = cell(np.ones(input_size, np.float32))
    assert (unbatched[0] if isinstance(unbatched, tuple) else unbatched).shape == (hidden_size,)
    torch = pytest.importorskip("torch")
    theirs = getattr(torch.nn, kind)(input_size, hidden_size)
    cell.load_state_dict({name: value.detach().numpy() for name, value in theirs.state_dict().items()})
    assert_same_layer_results(layer_results(cell, [x]), layer_results(theirs, [x], torch))


@pytest.mark.parametrize("kind", ["RNN", "LSTM", "GRU"])
def test_recurrent_layers_refuse_size_0_as_pytorchs(kind):
    for sizes, name in [((0, 3), "input_size"), ((3, 0), "hidden_size")]:
        with pytest.raises(ValueError, match=rf"{kind}: {name} must be a positive int, got 0"):
            getattr(nn, kind)(*sizes)  # PyTorch's: "input_size must be greater than zero"
    with pytest.raises(ValueError, match=rf"{kind}Cell: hidden_size must be an int >= 0, got -2"):
        getattr(nn, f"{kind}Cell")(3, -2)



def test_an_unknown_nonlinearity_is_refused_in_torchs_words():
    # PyTorch's test_nn matches 'Unknown nonlinearity' (found by porting it)
    for layer in (nn.RNN, nn.RNNCell):
        with pytest.raises(ValueError, match="Unknown nonlinearity 'garbage'; select from 'tanh' or 'relu'"):
            layer(1, 10, nonlinearity="garbage")
    torch = pytest.importorskip("torch")
    with pytest.raises(ValueError, match="Unknown nonlinearity 'garbage'. Select from 'tanh' or 'relu'"):
        torch.nn.RNN(1, 10, nonlinearity="garbage")


# The RNNs' refusals carry PyTorch's words, which its own test_nn matches (test_cudnn_forward_exception,
# test_error_RNN_seq_len_zero, test_projections_errors_on_gru_and_rnn): each message is matched here, and the same
# pattern against torch's message where torch is installed.
PYTORCH_WORDED_REFUSALS = [  # (layer name, constructor arguments, input shape, states' shapes or None, pattern)
    ("LSTM", dict(batch_first=True), (2, 3, 10), [(1, 2, 19), (1, 2, 19)], "Expected hidden.*size.*got"),
    ("LSTM", dict(batch_first=True, proj_size=10), (2, 3, 10), [(1, 2, 19), (1, 2, 19)], "Expected hidden.*size.*got"),
    ("LSTM", dict(batch_first=True), (2, 3, 10), [(1, 2, 20), (1, 2, 19)], "Expected hidden.*size.*got"),
    ("GRU", dict(batch_first=True), (2, 3, 10), [(1, 2, 19)], "Expected hidden.*size.*got"),
    ("RNN", dict(batch_first=True), (2, 3, 10), [(1, 2, 19)], "Expected hidden.*size.*got"),
    ("GRU", dict(batch_first=True), (2, 3, 3), None, re.escape("input.size(-1) must be equal to input_size")),
    ("LSTM", dict(proj_size=10), (2, 3, 3), None, re.escape("input.size(-1) must be equal to input_size")),
    ("RNN", dict(bidirectional=True), (0, 10, 10), None, "Expected sequence length to be larger than 0 in RNN"),
    ("LSTM", {}, (0, 10, 10), None, "Expected sequence length to be larger than 0 in RNN"),
]


@pytest.mark.parametrize("name, kwargs, x_shape, state_shapes, pattern", PYTORCH_WORDED_REFUSALS)
def test_refusals_carry_pytorchs_words(name, kwargs, x_shape, state_shapes, pattern):
    states = None if state_shapes is None else [np.zeros(s) for s in state_shapes]
    hx = None if states is None else (tuple(states) if len(states) == 2 else states[0])
    with pytest.raises(RecurrentShapeError, match=f"{name}: {pattern}"):
        getattr(nn, name)(10, 20, **kwargs)(np.zeros(x_shape), hx)
    try:
        import torch
    except ImportError:
        return
    their_hx = None if states is None else (tuple(map(torch.tensor, states)) if len(states) == 2
                                            else torch.tensor(states[0]))
    with pytest.raises(RuntimeError, match=pattern):
        getattr(torch.nn, name)(10, 20, dtype=torch.float64, **kwargs)(torch.zeros(x_shape, dtype=torch.float64),
                                                                       their_hx)


@pytest.mark.parametrize("name", ["RNN", "GRU"])
def test_proj_size_is_refused_by_rnn_and_gru_in_pytorchs_words(name):
    pattern = "proj_size argument is only supported for LSTM, not RNN or GRU"
    with pytest.raises(ValueError, match=f"{name}: {pattern}, got proj_size=10"):
        getattr(nn, name)(30, 20, 2, proj_size=10)
    assert getattr(nn, name)(30, 20, 2, proj_size=0).proj_size == 0  # PyTorch's default, taken
    try:
        import torch
    except ImportError:
        return
    with pytest.raises(ValueError, match=pattern):
        getattr(torch.nn, name)(30, 20, 2, proj_size=10)
