"""nn.optim.Adafactor and nn.optim.Muon: their steps against each rule's formula written in plain NumPy (runs without
torch), and their trajectories against torch.optim's (torch 2.13)."""
import inspect

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd_core as ag
import nn
from nn import optim
from nn.optim.muon import zeropower_via_newtonschulz
from nn.serialization import load, save

NS = (3.4445, -4.7750, 2.0315)


# ---- the formulas, in plain NumPy ----------------------------------------------------------------------------------
def ref_adafactor(p, grad, steps, lr=1e-2, beta2_decay=-0.8, eps=(None, 1e-3), d=1.0, weight_decay=0.0,
                  maximize=False, dtype=None):
    """(dtype: the parameter's, whose machine epsilon is eps1's default, when p is given in another.)"""
    eps1 = np.finfo(dtype or p.dtype).eps if eps[0] is None else eps[0]
    R = C = V = None
    for t in range(1, steps + 1):
        g = -grad(p) if maximize else grad(p)
        beta2 = 1 - t ** beta2_decay
        alpha = max(eps[1], np.sqrt(np.mean(p * p))) * min(lr, 1 / np.sqrt(t))
        p = p * (1 - lr * weight_decay)
        if g.ndim > 1:  # the factored second moment: row and column means of g^2
            R = beta2 * (0 if R is None else R) + (1 - beta2) * (g * g).mean(axis=-1, keepdims=True)
            C = beta2 * (0 if C is None else C) + (1 - beta2) * (g * g).mean(axis=-2, keepdims=True)
            v = R * C / np.maximum(R.mean(axis=-2, keepdims=True), eps1)
        else:
            V = beta2 * (0 if V is None else V) + (1 - beta2) * g * g
            v = V
        u = g / np.sqrt(np.maximum(v, eps1 ** 2))
        p = p - alpha / max(1.0, np.sqrt(np.mean(u * u)) / d) * u
        yield p


def to_bfloat16(x):
    """x rounded to 8 significant bits, ties to even (bfloat16's precision; normal numbers), by frexp."""
    mantissa, exponent = np.frexp(np.asarray(x, np.float64))
    return np.ldexp(np.round(mantissa * 256) / 256, exponent)


def ref_newton_schulz(G, steps, eps=1e-7, coefficients=NS):
    a, b, c = coefficients
    X = to_bfloat16(G)
    X = X.T if G.shape[0] > G.shape[1] else X
    X = to_bfloat16(X / max(to_bfloat16(np.sqrt((X * X).sum())), eps))
    for _ in range(steps):
        A = to_bfloat16(X @ X.T)
        X = to_bfloat16(a * X + to_bfloat16(b * A + c * A @ A) @ X)
    return X.T if G.shape[0] > G.shape[1] else X


def ref_muon(p, grad, steps, lr=1e-3, weight_decay=0.1, momentum=0.95, nesterov=True, ns_steps=5,
             adjust_lr_fn=None):
    B = np.zeros_like(p)
    rows, cols = p.shape
    scale = 0.2 * np.sqrt(max(rows, cols)) if adjust_lr_fn == "match_rms_adamw" else np.sqrt(max(1, rows / cols))
    for _ in range(steps):
        g = grad(p)
        B = momentum * B + (1 - momentum) * g
        O = ref_newton_schulz(momentum * B + (1 - momentum) * g if nesterov else B, ns_steps)
        p = p * (1 - lr * weight_decay) - lr * scale * O
        yield p


def run(name, kwargs, p0, a, b, steps):
    """Our parameter after each step, minimizing sum(a p + b p^2 / 2) (gradient a + b p)."""
    p = nn.Parameter(p0.copy())
    opt = getattr(optim, name)([p], **kwargs)
    for _ in range(steps):
        p.grad = ag.tensor(a + b * p.data)
        opt.step()
        yield p.data.copy()


def _floats(low, high):
    return st.floats(low, high, allow_nan=False, allow_infinity=False)


ADAFACTOR = st.fixed_dictionaries({
    "lr": _floats(1e-3, 0.5), "beta2_decay": _floats(-1, -0.1), "d": _floats(1, 3), "maximize": st.booleans(),
    "eps": st.tuples(st.none() | _floats(0, 1e-2), _floats(0, 1e-2)), "weight_decay": st.just(0.0) | _floats(0, 0.5)})
MUON = st.fixed_dictionaries({
    "lr": _floats(1e-3, 0.1), "weight_decay": st.just(0.0) | _floats(0, 0.5), "momentum": _floats(0, 0.99),
    "nesterov": st.booleans(), "ns_steps": st.integers(0, 6),
    "adjust_lr_fn": st.sampled_from([None, "original", "match_rms_adamw"])})


@st.composite
def problems(draw, name):
    kwargs = draw(ADAFACTOR if name == "Adafactor" else MUON)
    dtype = draw(st.sampled_from([np.float32, np.float64]))
    shape = draw(hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=7) if name == "Muon" else
                 hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=5))
    rng = np.random.default_rng(draw(st.integers(0, 2 ** 32 - 1)))
    p0, a = (rng.standard_normal(shape).astype(dtype) for _ in range(2))
    return kwargs, p0, a, rng.uniform(0.5, 2.0, shape).astype(dtype), draw(st.integers(1, 6))


@settings(max_examples=40)
@given(data=st.data())
def test_adafactor_steps_follow_the_formula(data):
    kwargs, p0, a, b, steps = data.draw(problems("Adafactor"))
    expected = ref_adafactor(p0.astype(np.float64), lambda p: a + b * p, steps, dtype=p0.dtype, **kwargs)
    tol = dict(rtol=1e-4, atol=1e-5) if p0.dtype == np.float32 else dict(rtol=1e-10, atol=1e-12)
    for ours, theirs in zip(run("Adafactor", kwargs, p0, a, b, steps), expected, strict=True):
        assert ours.dtype == p0.dtype and ours.shape == p0.shape
        np.testing.assert_allclose(ours, theirs, **tol)


@pytest.mark.parametrize("dtype, scale", [(np.float64, 1e-18), (np.float32, 1e-9)])
@pytest.mark.parametrize("shape", [(7,), (4, 5), (2, 3, 4)])
@pytest.mark.parametrize("eps", [(None, 1e-3), (1e-3, 1e-3)])
def test_adafactor_floors_tiny_variances_with_eps1_the_dtypes_epsilon_by_default(dtype, scale, shape, eps):
    """Gradients so small that max(mean(R), eps1) and max(V, eps1^2) take eps1: the dtype's machine epsilon unless
    given."""
    rng = np.random.default_rng(2)
    p0, a = rng.standard_normal((2,) + shape).astype(dtype)
    a, b = (a * scale).astype(dtype), np.full(shape, scale, dtype)
    expected = ref_adafactor(p0.astype(np.float64), lambda p: a + b * p, 4, eps=eps, dtype=dtype)
    for ours, theirs in zip(run("Adafactor", dict(eps=eps), p0, a, b, 4), expected, strict=True):
        np.testing.assert_allclose(ours, theirs, rtol=1e-5 if dtype == np.float32 else 1e-10)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape", [(4, 5), (2, 6, 3)])
def test_adafactor_row_and_column_scales_show_where_eps1_floors_the_row_mean(dtype, shape):
    """Gradients of about 1e-2 with eps1 = 1e-3: mean(R) < eps1 < sqrt(V), and d = 10 does not clip, so that the
    scale of the row means shows (elsewhere V = R C / mean(R) does not depend on it)."""
    rng = np.random.default_rng(4)
    p0, a = rng.standard_normal((2,) + shape).astype(dtype)
    a, b = (a * 1e-2).astype(dtype), np.full(shape, 1e-3, dtype)
    kwargs = dict(eps=(1e-3, 1e-3), d=10.0, lr=0.1)
    expected = ref_adafactor(p0.astype(np.float64), lambda p: a + b * p, 4, **kwargs)
    for ours, theirs in zip(run("Adafactor", kwargs, p0, a, b, 4), expected, strict=True):
        np.testing.assert_allclose(ours, theirs, **(dict(rtol=1e-5, atol=1e-6) if dtype == np.float32 else
                                                      dict(rtol=1e-10)))


@settings(max_examples=40)
@given(G=hnp.arrays(np.float64, hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=9),
                    elements=_floats(-10, 10).filter(lambda v: v == 0 or abs(v) > 1e-3)), steps=st.integers(0, 6))
def test_newton_schulz_is_bfloat16_arithmetic_rounded_once_per_operation(G, steps):
    ours, theirs = zeropower_via_newtonschulz(G, NS, steps, 1e-7), ref_newton_schulz(G, steps)
    assert ours.dtype == np.float32 and ours.shape == G.shape
    np.testing.assert_array_equal(ours, to_bfloat16(ours))  # bfloat16 numbers
    # equal but for a rare tie rounded apart (float32 against float64 sums): then one bfloat16 step of 2^-8
    np.testing.assert_allclose(ours, theirs, rtol=2 ** -7, atol=2 ** -7 * max(1.0, np.abs(theirs).max()))
    if steps <= 1:  # (after one such tie, later steps' products mix it into every entry: only close, as above)
        assert np.mean(ours == theirs) >= 0.9


@pytest.mark.parametrize("shape", [(8, 8), (12, 5), (5, 12)])
def test_newton_schulz_orthogonalises(shape):
    G = np.random.default_rng(0).standard_normal(shape)
    singular_values = np.linalg.svd(zeropower_via_newtonschulz(G, NS, 5, 1e-7).astype(np.float64), compute_uv=False)
    assert np.all((singular_values > 0.6) & (singular_values < 1.25)), singular_values  # near 1 (Keller Jordan)
    u, _, vt = np.linalg.svd(G, full_matrices=False)
    assert np.linalg.norm(zeropower_via_newtonschulz(G, NS, 5, 1e-7) - u @ vt) < 0.4 * np.sqrt(min(shape))


@settings(max_examples=30)
@given(data=st.data())
def test_muon_steps_follow_the_formula(data):
    kwargs, p0, a, b, steps = data.draw(problems("Muon"))
    expected = ref_muon(p0.astype(np.float64), lambda p: a + b * p, steps, **kwargs)
    rows, cols = p0.shape
    step = kwargs["lr"] * max(np.sqrt(max(1, rows / cols)), 0.2 * np.sqrt(max(rows, cols)))
    for k, (ours, theirs) in enumerate(zip(run("Muon", kwargs, p0, a, b, steps), expected, strict=True)):
        assert ours.dtype == p0.dtype and ours.shape == p0.shape
        # (a bfloat16 rounding apart moves an element by at most a few 2^-8 of the step)
        np.testing.assert_allclose(ours, theirs, rtol=1e-4, atol=(k + 1) * 2 ** -6 * step + 1e-5)


# ---- torch.optim -----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["Adafactor", "Muon"])
def test_trajectories_match_torch(name):
    torch = pytest.importorskip("torch")

    @settings(max_examples=60)
    @given(data=st.data())
    def check(data):
        kwargs, p0, a, b, steps = data.draw(problems(name))
        tp = torch.tensor(p0.copy(), requires_grad=True)
        topt = getattr(torch.optim, name)([tp], **kwargs)
        tol = dict(rtol=1e-5, atol=1e-6) if p0.dtype == np.float32 else dict(rtol=1e-12, atol=1e-14)
        for k, ours in enumerate(run(name, kwargs, p0, a, b, steps)):
            tp.grad = torch.from_numpy(np.asarray(a + b * tp.detach().numpy()))
            topt.step()
            if name == "Muon":  # a float32 sum in another order may round to the next bfloat16 (2^-8 apart)
                rows, cols = p0.shape
                tol["atol"] += kwargs["lr"] * max(np.sqrt(max(1, rows / cols)), 0.2 * np.sqrt(max(rows, cols))) * \
                    2 ** -6 * (k + 1)
            np.testing.assert_allclose(ours, tp.detach().numpy(), **tol, err_msg=f"{name} {kwargs}")

    check()


def test_fixed_trajectories_match_torch_as_installed():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(3)
    for name, shape, kwargs in [("Adafactor", (6, 5, 4), dict(lr=0.05, weight_decay=0.1)),
                                ("Adafactor", (9,), dict(maximize=True)),
                                ("Muon", (16, 9), dict(lr=0.02)),
                                ("Muon", (9, 16), dict(lr=0.02, nesterov=False, adjust_lr_fn="match_rms_adamw"))]:
        for dtype in (np.float32, np.float64):
            p0, a = rng.standard_normal((2,) + shape).astype(dtype)
            b = rng.uniform(0.5, 2, shape).astype(dtype)
            tp = torch.tensor(p0.copy(), requires_grad=True)
            topt = getattr(torch.optim, name)([tp], **kwargs)
            for k, ours in enumerate(run(name, kwargs, p0, a, b, 10)):
                tp.grad = torch.from_numpy(a + b * tp.detach().numpy())
                topt.step()
                tol = dict(rtol=1e-5, atol=1e-6) if dtype == np.float32 else dict(rtol=1e-12, atol=1e-14)
                if name == "Muon":  # (bfloat16 sums in another order: see test_trajectories_match_torch)
                    tol["atol"] = 0.02 * 1.34 * 2 ** -6 * (k + 1)
                np.testing.assert_allclose(ours, tp.detach().numpy(), **tol)
            assert not np.allclose(ours, p0)


TORCH_DEFAULTS = {
    "Adafactor": dict(lr=1e-2, beta2_decay=-0.8, eps=(None, 1e-3), d=1.0, weight_decay=0.0, maximize=False),
    "Muon": dict(lr=1e-3, weight_decay=0.1, momentum=0.95, nesterov=True, ns_coefficients=NS, eps=1e-7, ns_steps=5,
                 adjust_lr_fn=None),
}


@pytest.mark.parametrize("name", ["Adafactor", "Muon"])
def test_defaults_arguments_and_state_keys_are_torchs(name):
    p = nn.Parameter(np.ones((2, 3)))
    opt = getattr(optim, name)([p])
    assert opt.defaults == TORCH_DEFAULTS[name]
    torch = pytest.importorskip("torch")
    ours = inspect.signature(getattr(optim, name).__init__).parameters
    theirs = inspect.signature(getattr(torch.optim, name).__init__).parameters
    assert [(k, v.default, v.kind) for k, v in ours.items()] == [(k, v.default, v.kind) for k, v in theirs.items()]
    tp = torch.ones((2, 3), dtype=torch.float64, requires_grad=True)
    topt = getattr(torch.optim, name)([tp])
    assert {k: v for k, v in topt.defaults.items() if k != "foreach"} == TORCH_DEFAULTS[name]
    for shape in [(2, 3), (4,), (2, 2, 3)] if name == "Adafactor" else [(2, 3)]:
        q, tq = nn.Parameter(np.ones(shape)), torch.ones(shape, dtype=torch.float64, requires_grad=True)
        opt, topt = getattr(optim, name)([q]), getattr(torch.optim, name)([tq])
        q.grad, tq.grad = ag.tensor(np.ones(shape)), torch.ones(shape, dtype=torch.float64)
        opt.step()
        topt.step()
        assert set(opt.state[q]) == set(topt.state[tq])
        for k, v in opt.state[q].items():
            assert np.shape(v) == tuple(topt.state[tq][k].shape), k


def test_adafactor_maximize_follows_the_negated_gradient_bit_for_bit():
    rng = np.random.default_rng(0)
    p0, a = rng.standard_normal((2, 4, 3))
    b = rng.uniform(0.5, 2, (4, 3))
    up = list(run("Adafactor", dict(maximize=True), p0, -a, -b, 5))
    down = list(run("Adafactor", dict(), p0, a, b, 5))
    for p, q in zip(up, down):
        np.testing.assert_array_equal(p, q)


# ---- state dicts ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name, shape", [("Adafactor", (3, 4, 5)), ("Adafactor", (5,)), ("Muon", (4, 3))])
def test_a_state_dict_saved_mid_run_resumes_it_exactly(name, shape, tmp_path):
    rng = np.random.default_rng(1)
    p0, a = rng.standard_normal((2,) + shape)
    b = rng.uniform(0.5, 2, shape)
    path = list(run(name, dict(lr=0.05), p0, a, b, 6))
    p = nn.Parameter(p0.copy())
    opt = getattr(optim, name)([p], lr=0.05)
    for _ in range(3):
        p.grad = ag.tensor(a + b * p.data)
        opt.step()
    save({"opt": opt.state_dict(), "p": p.data}, tmp_path / "opt.npz")
    saved = load(tmp_path / "opt.npz")
    q = nn.Parameter(saved["p"])
    resumed = getattr(optim, name)([q], lr=0.5)
    resumed.load_state_dict(saved["opt"])
    assert resumed.param_groups[0]["lr"] == 0.05
    for expected in path[3:]:
        q.grad = ag.tensor(a + b * q.data)
        resumed.step()
        np.testing.assert_array_equal(q.data, expected)


def test_adafactor_load_state_dict_refuses_factors_of_another_shape():
    p = nn.Parameter(np.ones((3, 4)))
    opt = optim.Adafactor([p])
    p.grad = ag.tensor(np.ones((3, 4)))
    opt.step()
    other = optim.Adafactor([nn.Parameter(np.ones((3, 5)))])
    with pytest.raises(ValueError, match=r"Adafactor.load_state_dict: buffer 'col_var' of parameter 0 has shape "
                                         r"\(1, 4\).*parameter of shape \(3, 5\) it needs shape \(1, 5\)"):
        other.load_state_dict(opt.state_dict())


# ---- errors ---------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("make, error, message", [
    (lambda p: optim.Adafactor([p], lr=-1), ValueError, "Adafactor: invalid lr=-1"),
    (lambda p: optim.Adafactor([p], beta2_decay=0.5), ValueError, "Adafactor: invalid beta2_decay=0.5"),
    (lambda p: optim.Adafactor([p], eps=(-1, 1e-3)), ValueError, r"Adafactor: invalid eps=\(-1, 0.001\)"),
    (lambda p: optim.Adafactor([p], eps=(None, -1)), ValueError, r"Adafactor: invalid eps=\(0.0, -1\)"),
    (lambda p: optim.Adafactor([p], eps=1e-3), TypeError, "Adafactor: invalid eps=0.001; it must be a pair"),
    (lambda p: optim.Adafactor([p], d=0.5), ValueError, "Adafactor: invalid d=0.5"),
    (lambda p: optim.Adafactor([p], weight_decay=-1), ValueError, "Adafactor: invalid weight_decay=-1"),
    (lambda p: optim.Muon([p], lr=-1), ValueError, "Muon: invalid lr=-1"),
    (lambda p: optim.Muon([p], momentum=-1), ValueError, "Muon: invalid momentum=-1"),
    (lambda p: optim.Muon([p], adjust_lr_fn="sqrt"), ValueError, "Muon: adjust_lr_fn='sqrt' is not supported"),
    (lambda p: optim.Muon([p], ns_steps=100), ValueError, r"Muon: ns_steps must be an int from 0 to 99"),
    (lambda p: optim.Muon([p], ns_coefficients=(1.0, 2.0)), ValueError, "exactly 3 numbers"),
    (lambda p: optim.Muon([p, nn.Parameter(np.ones(3))]), ValueError, r"Muon only supports 2D parameters.*\(3,\)"),
    (lambda p: optim.Muon([p], foreach=False), TypeError, "foreach"),
])
def test_invalid_settings_are_refused_naming_them(make, error, message):
    with pytest.raises(error, match=message):
        make(nn.Parameter(np.ones((2, 3))))


def test_refused_settings_are_refused_by_torch_too():
    torch = pytest.importorskip("torch")
    p = torch.ones((2, 3), requires_grad=True)
    for make in [lambda: torch.optim.Adafactor([p], beta2_decay=0.5), lambda: torch.optim.Adafactor([p], d=0.5),
                 lambda: torch.optim.Adafactor([p], eps=(-1, 1e-3)), lambda: torch.optim.Muon([p], momentum=-1),
                 lambda: torch.optim.Muon([p, torch.ones(3, requires_grad=True)]),
                 lambda: torch.optim.Muon([p], adjust_lr_fn="sqrt")]:
        with pytest.raises(ValueError):
            make()


def test_an_empty_parameter_is_refused_at_adafactors_step():
    p = nn.Parameter(np.ones((0, 3)))
    opt = optim.Adafactor([p])
    p.grad = ag.tensor(np.ones((0, 3)))
    with pytest.raises(ValueError, match=r"Adafactor.step: a parameter of shape \(0, 3\) has no elements"):
        opt.step()


def test_adafactor_trains_with_fit():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((64, 3))
    y = X @ np.array([[1.0], [-2.0], [0.5]])
    model = nn.Linear(3, 1)
    history = nn.fit(model, nn.MSELoss(), optim.Adafactor(model.parameters(), lr=0.5), (X, y), epochs=20,
                     progress=False, rng=np.random.default_rng(0))
    assert history["train_loss"][-1] < 0.2 * history["train_loss"][0]


# ---- Muon's 2-D check of a group whose params come as a generator (model.parameters()) -------------------------------
# Refused as for a list: the check must read the parameters the group holds, not the generator it was given (else a
# 1-D parameter gets through and step() fails with a bare IndexError).
def _params():
    return ag.tensor(np.ones((2, 2)), requires_grad=True), ag.tensor(np.ones(3), requires_grad=True)


def test_muon_refuses_a_1d_parameter_in_a_group_given_as_a_generator():
    w, b = _params()
    with pytest.raises(ValueError, match=r"Muon only supports 2D parameters.*\(3,\)"):
        optim.Muon([{"params": (p for p in [w, b])}])


def test_muon_add_param_group_refuses_a_1d_parameter_given_as_a_generator():
    w, b = _params()
    opt = optim.Muon([w])
    with pytest.raises(ValueError, match=r"Muon only supports 2D parameters.*\(3,\)"):
        opt.add_param_group({"params": (p for p in [b])})
    assert len(opt.param_groups) == 1


def test_muon_group_given_as_a_generator_of_2d_parameters_still_works():
    w, _ = _params()
    v = ag.tensor(np.eye(2), requires_grad=True)
    opt = optim.Muon([{"params": (p for p in [w]), "lr": 0.1}])
    opt.add_param_group({"params": iter([v])})
    assert [len(g["params"]) for g in opt.param_groups] == [1, 1]
    assert opt.param_groups[0]["params"][0] is w and opt.param_groups[1]["params"][0] is v
    w.grad, v.grad = ag.tensor(np.ones((2, 2))), ag.tensor(np.ones((2, 2)))
    before = (w.data.copy(), v.data.copy())
    opt.step()
    assert not np.array_equal(w.data, before[0]) and not np.array_equal(v.data, before[1])
