"""nn.optim's Adamax, NAdam, RAdam, Adadelta, ASGD and Rprop: their trajectories equal PyTorch's, bit for bit.

Three references. (1) A plain NumPy transcription of each rule's formula, in torch's order of operations
(runs everywhere, CI too): equal to the last bit, over Hypothesis-drawn hyper-parameters, shapes, dtypes and
step counts. (2) torch.optim itself, bit for bit, in a worker process where PyTorch runs its scalar CPU kernels
(ATEN_CPU_CAPABILITY=default: its vectorised ones fuse multiply-adds) and takes NumPy's correctly rounded sqrt
(its own is off by one unit in the last place for about one float32 in six): then both sides do the same
floating-point operations in the same order. (3) torch.optim as installed, in this process: to rounding (Rprop,
which has no fused operation, to the last bit).
"""
import contextlib
import inspect
import math
import os
import re
import tempfile

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd_core as ag
import nn
from nn import optim
from nn.serialization import load, save
from conftest import torch_scalar_kernel_worker

NAMES = ["Adamax", "NAdam", "RAdam", "Adadelta", "ASGD", "Rprop"]


# ---- (1) the references: each rule's formula in plain NumPy, in torch's order of operations -------------------
def lerp(m, g, weight):
    """torch.lerp(m, g, weight): its formula chosen by the weight in the arrays' dtype, as its kernel does."""
    w = m.dtype.type(weight)
    return m + w * (g - m) if abs(w) < 0.5 else g - (g - m) * (1 - w)


def gradient(p, grad, maximize, weight_decay=0):
    g = -grad(p) if maximize else grad(p)
    return g + weight_decay * p if weight_decay else g


def decayed(p, grad, maximize, lr, weight_decay, decoupled):
    """(p, g) after weight decay: decoupled, p (1 - lr wd) and g as it is; else p as it is and g + wd p."""
    if weight_decay and decoupled:
        return p * (1 - lr * weight_decay), gradient(p, grad, maximize)
    return p, gradient(p, grad, maximize, weight_decay)


def ref_adamax(p, grad, steps, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, maximize=False):
    (b1, b2), m, u = betas, np.zeros_like(p), np.zeros_like(p)
    for t in range(1, steps + 1):
        g = gradient(p, grad, maximize, weight_decay)
        m = lerp(m, g, 1 - b1)
        u = np.maximum(u * b2, np.abs(g) + eps)  # the infinity norm, decayed
        p = p + (-(lr / (1 - b1 ** t)) * m) / u  # addcdiv: p + (value * m) / u
        yield p, {"exp_avg": m, "exp_inf": u}


def ref_nadam(p, grad, steps, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, momentum_decay=4e-3,
              decoupled_weight_decay=False, maximize=False):
    (b1, b2), m, v = betas, np.zeros_like(p), np.zeros_like(p)
    mu_product = np.float32(1.0)  # torch keeps it in a 0-d tensor of its default dtype, float32
    for t in range(1, steps + 1):
        p, g = decayed(p, grad, maximize, lr, weight_decay, decoupled_weight_decay)
        mu = b1 * (1 - 0.5 * 0.96 ** (t * momentum_decay))
        mu_next = b1 * (1 - 0.5 * 0.96 ** ((t + 1) * momentum_decay))
        mu_product = mu_product * np.float32(mu)
        m = lerp(m, g, 1 - b1)
        v = v * b2 + ((1 - b2) * g) * g  # addcmul: v + (value * g) * g
        denom = np.sqrt(v / (1 - b2 ** t)) + eps
        p = p + ((-lr * (1 - mu) / (1 - float(mu_product))) * g) / denom
        p = p + (((-lr * mu_next) / (1 - float(mu_product) * mu_next)) * m) / denom
        yield p, {"exp_avg": m, "exp_avg_sq": v, "mu_product": float(mu_product)}


def ref_radam(p, grad, steps, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, decoupled_weight_decay=False,
              maximize=False):
    (b1, b2), m, v = betas, np.zeros_like(p), np.zeros_like(p)
    for t in range(1, steps + 1):
        p, g = decayed(p, grad, maximize, lr, weight_decay, decoupled_weight_decay)
        m = lerp(m, g, 1 - b1)
        v = v * b2 + ((1 - b2) * g) * g
        bias_correction1, bias_correction2 = 1 - b1 ** t, 1 - b2 ** t
        rho_inf = 2 / (1 - b2) - 1
        rho_t = rho_inf - 2 * t * b2 ** t / bias_correction2
        if rho_t > 5:
            rect = ((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t)) ** 0.5
            adaptive = (1 / (np.sqrt(v) + eps)) * bias_correction2 ** 0.5  # torch's scalar / tensor
            p = p - m / bias_correction1 * lr * adaptive * rect
        else:
            p = p - m / bias_correction1 * lr
        yield p, {"exp_avg": m, "exp_avg_sq": v}


def ref_adadelta(p, grad, steps, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0, maximize=False):
    square_avg, acc_delta = np.zeros_like(p), np.zeros_like(p)
    for _ in range(steps):
        g = gradient(p, grad, maximize, weight_decay)
        square_avg = square_avg * rho + ((1 - rho) * g) * g
        delta = np.sqrt(acc_delta + eps) / np.sqrt(square_avg + eps) * g
        acc_delta = acc_delta * rho + ((1 - rho) * delta) * delta
        p = p + (-lr) * delta
        yield p, {"square_avg": square_avg, "acc_delta": acc_delta}


def ref_asgd(p, grad, steps, lr=1e-2, lambd=1e-4, alpha=0.75, t0=1e6, weight_decay=0, maximize=False):
    eta, mu, ax = np.float32(lr), np.float32(1.0), np.zeros_like(p)  # eta and mu: float32 tensors in torch
    for t in range(1, steps + 1):
        g = gradient(p, grad, maximize, weight_decay)
        p = p * (1 - lambd * float(eta))
        p = p + (-float(eta)) * g
        ax = p.copy() if mu == 1 else ax + (p - ax) * float(mu)
        eta = np.float32(lr / (1 + lambd * lr * t) ** alpha)
        mu = np.float32(1 / max(1, t - t0))
        yield p, {"ax": ax, "eta": float(eta), "mu": float(mu)}


def ref_rprop(p, grad, steps, lr=1e-2, etas=(0.5, 1.2), step_sizes=(1e-6, 50), maximize=False):
    (etaminus, etaplus), prev, size = etas, np.zeros_like(p), np.full_like(p, lr)
    for _ in range(steps):
        g = gradient(p, grad, maximize)
        same = np.sign(g * prev)
        factor = np.where(same > 0, etaplus, np.where(same < 0, etaminus, 1.0)).astype(p.dtype)
        size = np.clip(size * factor, *step_sizes)
        g = np.where(factor == p.dtype.type(etaminus), 0, g)  # a sign change: no step, and no comparison next
        p = p - np.sign(g) * size
        prev = g
        yield p, {"prev": prev, "step_size": size}


REFERENCES = {"Adamax": ref_adamax, "NAdam": ref_nadam, "RAdam": ref_radam, "Adadelta": ref_adadelta,
              "ASGD": ref_asgd, "Rprop": ref_rprop}


# ---- Hypothesis: hyper-parameters, problems -----------------------------------------------------------------------
def _floats(low, high):
    return st.floats(low, high, allow_nan=False, allow_infinity=False)


_DECAY = st.sampled_from([0, 0.0]) | _floats(0, 0.3)
_BETAS = st.tuples(_floats(0, 0.95), _floats(0, 0.999))
HYPER = {
    "Adamax": st.fixed_dictionaries({"lr": _floats(1e-3, 0.5), "betas": _BETAS, "eps": _floats(1e-8, 1e-2),
                                     "weight_decay": _DECAY, "maximize": st.booleans()}),
    "NAdam": st.fixed_dictionaries({"lr": _floats(1e-3, 0.5), "betas": _BETAS, "eps": _floats(1e-8, 1e-2),
                                    "weight_decay": _DECAY, "momentum_decay": _floats(0, 0.5),
                                    "decoupled_weight_decay": st.booleans(), "maximize": st.booleans()}),
    # beta2 from 0.8 to 0.95: rho_t passes 5 by step 7 (of up to 12), so both of RAdam's updates are taken
    "RAdam": st.fixed_dictionaries({"lr": _floats(1e-3, 0.5), "betas": st.tuples(_floats(0, 0.95), _floats(0.8, 0.95)),
                                    "eps": _floats(1e-8, 1e-2), "weight_decay": _DECAY,
                                    "decoupled_weight_decay": st.booleans(), "maximize": st.booleans()}),
    "Adadelta": st.fixed_dictionaries({"lr": _floats(0.05, 2.0), "rho": _floats(0, 1), "eps": _floats(1e-8, 1e-2),
                                       "weight_decay": _DECAY, "maximize": st.booleans()}),
    "ASGD": st.fixed_dictionaries({"lr": _floats(1e-3, 0.5), "lambd": _floats(0, 0.5), "alpha": _floats(0, 1),
                                   "t0": st.integers(0, 6).map(float), "weight_decay": _DECAY,
                                   "maximize": st.booleans()}),
    "Rprop": st.fixed_dictionaries({"lr": _floats(1e-3, 0.5), "etas": st.tuples(_floats(0.05, 0.95), _floats(1.05, 3)),
                                    "step_sizes": st.tuples(_floats(0, 1e-2), _floats(0.05, 5)),
                                    "maximize": st.booleans()}),
}


@st.composite
def problems(draw, name):
    """(kwargs, p0, a, b, steps): minimize sum(a p + b p^2 / 2), whose gradient is g(p) = a + b p."""
    kwargs = draw(HYPER[name])
    dtype = draw(st.sampled_from([np.float32, np.float64]))
    shape = draw(hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=4))
    rng = np.random.default_rng(draw(st.integers(0, 2 ** 32 - 1)))
    p0, a = (rng.standard_normal(shape).astype(dtype) for _ in range(2))
    b = rng.uniform(0.5, 2.0, shape).astype(dtype)
    return kwargs, p0, a, b, draw(st.integers(1, 12 if name == "RAdam" else 8))


def run_ours(name, kwargs, p0, a, b, steps, scheduler=None):
    """Our parameter and state after each step."""
    p = nn.Parameter(p0.copy())
    opt = getattr(optim, name)([p], **kwargs)
    sched = scheduler(opt) if scheduler else None
    for _ in range(steps):
        opt.zero_grad()
        p.grad = ag.tensor(a + b * p.data)
        opt.step()
        if sched:
            sched.step()
        yield p.data.copy(), {k: snapshot(v) for k, v in opt.state[p].items()}


def snapshot(entry):
    """A state entry's value now: a buffer (a constant Tensor, as PyTorch's) as a copy of its array, a number as is."""
    assert not isinstance(entry, np.ndarray), "a buffer is kept as a Tensor, as PyTorch's"
    return entry.data.copy() if isinstance(entry, ag.Tensor) else entry


def assert_same_bits(ours, theirs, where):
    """Equal arrays of one dtype and shape (ours an array, the reference's maybe a NumPy scalar for a 0-d one)."""
    theirs = np.asarray(theirs)
    assert isinstance(ours, np.ndarray) and ours.dtype == theirs.dtype and ours.shape == theirs.shape, where
    np.testing.assert_array_equal(ours, theirs, err_msg=where)


@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=40)
@given(data=st.data())
def test_each_step_equals_the_numpy_formula_to_the_last_bit(name, data):
    kwargs, p0, a, b, steps = data.draw(problems(name))
    expected = REFERENCES[name](p0, lambda p: a + b * p, steps, **kwargs)
    for step, ((p, state), (p_ref, state_ref)) in enumerate(zip(run_ours(name, kwargs, p0, a, b, steps), expected)):
        assert_same_bits(p, p_ref, f"step {step + 1}")
        for key, value in state_ref.items():
            if isinstance(value, (np.ndarray, np.generic)):
                assert_same_bits(state[key], value, f"state {key!r} at step {step + 1}")
            else:
                assert state[key] == value and type(state[key]) is float, key
        assert state["step"] == step + 1


# Cases random draws seldom reach: 1 - beta1 = 0.499999999, which is 0.5 in float32, where torch.lerp switches to
# its second formula; RAdam's rectified update (from step 6 here); Rprop's sign changes; ASGD's averaging (from
# step t0 + 2) with its step size rounded to float32
FIXED_CASES = [*[(name, dict(betas=(0.500000001, 0.9), lr=0.1), 3) for name in ("Adamax", "NAdam", "RAdam")],
               ("RAdam", dict(betas=(0.9, 0.9), lr=0.1), 10), ("Rprop", dict(lr=0.3), 10),
               ("ASGD", dict(lr=0.1, lambd=0.01, t0=2), 10)]


def fixed_problem(dtype):
    rng = np.random.default_rng(0)
    p0, a = rng.standard_normal((2, 500)).astype(dtype)
    return p0, a, rng.uniform(0.5, 2.0, 500).astype(dtype)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name, kwargs, steps", FIXED_CASES, ids=[f"{name}-{kw}" for name, kw, _ in FIXED_CASES])
def test_fixed_cases_equal_the_numpy_formula_to_the_last_bit(name, kwargs, steps, dtype):
    p0, a, b = fixed_problem(dtype)
    expected = REFERENCES[name](p0, lambda p: a + b * p, steps, **kwargs)
    for (p, _), (p_ref, _) in zip(run_ours(name, kwargs, p0, a, b, steps), expected, strict=True):
        assert_same_bits(p, p_ref, name)


# ---- (2) torch.optim, bit for bit: a worker with PyTorch's scalar kernels and a correctly rounded sqrt -----------
WORKER = r"""
import json, sys
import numpy as np
import torch
# torch's sqrt is not always correctly rounded; NumPy's is (IEEE 754)
torch.Tensor.sqrt = lambda self: torch.from_numpy(np.asarray(np.sqrt(self.numpy())))
torch.Tensor.sqrt_ = lambda self: self.copy_(self.sqrt())
print(json.dumps(torch.backends.cpu.get_cpu_capability()), flush=True)
def trajectory(case):
    dtype = getattr(np, case["dtype"])
    p0, a, b = (np.array(case[k], dtype=dtype) for k in ("p0", "a", "b"))
    p = torch.tensor(p0, requires_grad=True)
    opt = getattr(torch.optim, case["name"])([p], foreach=False, **case["kwargs"])
    sched = torch.optim.lr_scheduler.ExponentialLR(opt, case["gamma"]) if case["gamma"] else None
    path = []
    for _ in range(case["steps"]):
        p.grad = torch.from_numpy(np.asarray(a + b * p.detach().numpy()))
        opt.step()
        if sched:
            sched.step()
        path.append(p.detach().numpy().tolist())
    return path
for line in sys.stdin:
    try:
        answer = trajectory(json.loads(line))
    except Exception as error:  # told to the test, which fails with it
        answer = f"torch.optim raised {error!r}"
    print(json.dumps(answer), flush=True)
"""


@contextlib.contextmanager
def torch_worker():
    """A function running a case's trajectory in the worker, PyTorch on its scalar kernels."""
    with torch_scalar_kernel_worker(WORKER) as ask:
        def run(name, kwargs, p0, a, b, steps, gamma=None):
            answer = ask({"name": name, "kwargs": kwargs, "dtype": p0.dtype.name, "p0": p0.tolist(), "a": a.tolist(),
                          "b": b.tolist(), "steps": steps, "gamma": gamma})
            assert not isinstance(answer, str), answer
            return [np.array(p, dtype=p0.dtype) for p in answer]
        yield run


def test_trajectories_equal_torch_optim_bit_for_bit():
    with torch_worker() as torch_run:
        for dtype in (np.float32, np.float64):
            for name, kwargs, steps in FIXED_CASES:
                p0, a, b = fixed_problem(dtype)
                theirs = torch_run(name, kwargs, p0, a, b, steps)
                for (p, _), q in zip(run_ours(name, kwargs, p0, a, b, steps), theirs, strict=True):
                    assert_same_bits(p, q, f"{name} {kwargs} {dtype.__name__}")

        @settings(max_examples=90)
        @given(name=st.sampled_from(NAMES), data=st.data(), gamma=st.none() | _floats(0.5, 1.0))
        def check(name, data, gamma):
            kwargs, p0, a, b, steps = data.draw(problems(name))
            scheduler = (lambda opt: optim.lr_scheduler.ExponentialLR(opt, gamma)) if gamma else None
            theirs = torch_run(name, kwargs, p0, a, b, steps, gamma)
            for step, ((p, _), q) in enumerate(zip(run_ours(name, kwargs, p0, a, b, steps, scheduler), theirs,
                                                   strict=True)):
                assert_same_bits(p, q, f"{name} {kwargs}, step {step + 1}")

        check()


# ---- (3) torch.optim as installed (vectorised kernels), in this process -----------------------------------------
TORCH_CASES = [("Adamax", dict(lr=0.05, weight_decay=0.1)), ("NAdam", dict(lr=0.05, decoupled_weight_decay=True,
                                                                          weight_decay=0.1)),
               ("RAdam", dict(lr=0.05, betas=(0.9, 0.9))), ("Adadelta", dict(weight_decay=0.1)),
               ("ASGD", dict(lr=0.05, t0=2, lambd=0.01)), ("Rprop", dict(lr=0.05, maximize=True))]


@pytest.mark.parametrize("dtype, tol", [(np.float32, dict(rtol=1e-5, atol=1e-6)), (np.float64, dict(rtol=1e-13,
                                                                                                   atol=1e-14))])
@pytest.mark.parametrize("name, kwargs", TORCH_CASES, ids=[name for name, _ in TORCH_CASES])
def test_trajectories_match_torch_as_installed_with_its_scheduler(name, kwargs, dtype, tol):
    """OneCycleLR changes lr each step (and cycles beta1 where there are betas); torch's fused multiply-adds and
    its sqrt round differently: agreement to rounding, except Rprop's, which has neither and is equal."""
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(1)
    p0, a = rng.standard_normal((2, 5, 7)).astype(dtype)
    b = rng.uniform(0.5, 2.0, (5, 7)).astype(dtype)
    tp = torch.tensor(p0, requires_grad=True)
    topt = getattr(torch.optim, name)([tp], foreach=False, **kwargs)
    cycle = "betas" in topt.defaults
    tsched = torch.optim.lr_scheduler.OneCycleLR(topt, max_lr=0.1, total_steps=10, cycle_momentum=cycle)
    ours = run_ours(name, kwargs, p0, a, b, 10,
                    lambda opt: optim.lr_scheduler.OneCycleLR(opt, 0.1, total_steps=10, cycle_momentum=cycle))
    for p, _ in ours:
        tp.grad = torch.from_numpy(a + b * tp.detach().numpy())
        topt.step()
        tsched.step()
        if name == "Rprop":
            assert_same_bits(p, tp.detach().numpy(), name)
        np.testing.assert_allclose(p, tp.detach().numpy(), **tol)
    assert not np.array_equal(p, p0)


@pytest.mark.parametrize("name", NAMES)
def test_state_keys_are_torchs(name):
    torch = pytest.importorskip("torch")
    p, tp = nn.Parameter(np.ones(3)), torch.ones(3, dtype=torch.float64, requires_grad=True)
    opt, topt = getattr(optim, name)([p]), getattr(torch.optim, name)([tp])
    p.grad, tp.grad = ag.tensor(np.ones(3)), torch.ones(3, dtype=torch.float64)
    opt.step()
    topt.step()
    assert set(opt.state[p]) == set(topt.state[tp])


# torch 2.13's defaults (without its implementation switches foreach, capturable, differentiable)
TORCH_DEFAULTS = {
    "Adamax": dict(lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, maximize=False),
    "NAdam": dict(lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, momentum_decay=4e-3,
                  decoupled_weight_decay=False, maximize=False),
    "RAdam": dict(lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, decoupled_weight_decay=False, maximize=False),
    "Adadelta": dict(lr=1.0, rho=0.9, eps=1e-6, weight_decay=0, maximize=False),
    "ASGD": dict(lr=1e-2, lambd=1e-4, alpha=0.75, t0=1e6, weight_decay=0, maximize=False),
    "Rprop": dict(lr=1e-2, etas=(0.5, 1.2), step_sizes=(1e-6, 50), maximize=False),
}


@pytest.mark.parametrize("name", NAMES)
def test_defaults_are_torchs(name):
    assert getattr(optim, name)([nn.Parameter(np.ones(2))]).defaults == TORCH_DEFAULTS[name]
    torch = pytest.importorskip("torch")
    theirs = getattr(torch.optim, name)([torch.zeros(1, requires_grad=True)]).defaults
    assert {k: v for k, v in theirs.items() if k not in ("foreach", "capturable", "differentiable")} == \
        TORCH_DEFAULTS[name]


@pytest.mark.parametrize("name", NAMES)
def test_arguments_are_torchs(name):
    """The same names in the same positions, with the same defaults; torch's implementation switches (foreach,
    capturable, differentiable) are taken."""
    torch = pytest.importorskip("torch")
    ours, theirs = getattr(optim, name), getattr(torch.optim, name)
    ours_params = inspect.signature(ours.__init__).parameters
    theirs_params = inspect.signature(theirs.__init__).parameters
    positional = [k for k, v in theirs_params.items() if v.kind is v.POSITIONAL_OR_KEYWORD]
    assert [k for k, v in ours_params.items() if v.kind is v.POSITIONAL_OR_KEYWORD] == positional
    for key, parameter in ours_params.items():
        if key in theirs_params and parameter.default is not parameter.empty:
            assert parameter.default == theirs_params[key].default, key
    ours([nn.Parameter(np.ones(2))], foreach=False, capturable=False, differentiable=False)


# ---- state dicts, parameter groups, schedulers, fit ----------------------------------------------------------------
@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=15)
@given(data=st.data())
def test_a_state_dict_saved_mid_trajectory_resumes_it_exactly(name, data):
    kwargs, p0, a, b, steps = data.draw(problems(name))
    split = data.draw(st.integers(0, steps))
    path = list(run_ours(name, kwargs, p0, a, b, steps))
    p = nn.Parameter(p0.copy())
    opt = getattr(optim, name)([p], **kwargs)
    for _ in range(split):
        p.grad = ag.tensor(a + b * p.data)
        opt.step()
    with tempfile.TemporaryDirectory() as folder:
        save({"optimizer": opt.state_dict(), "p": p.data}, os.path.join(folder, "checkpoint.npz"))
        saved = load(os.path.join(folder, "checkpoint.npz"))
    q = nn.Parameter(saved["p"])
    resumed = getattr(optim, name)([q], lr=0.123)  # its hyper-parameters come from the state dict
    resumed.load_state_dict(saved["optimizer"])
    assert resumed.param_groups[0] == {**opt.param_groups[0], "params": [q]}
    for step in range(split, steps):
        q.grad = ag.tensor(a + b * q.data)
        resumed.step()
        assert_same_bits(q.data, path[step][0], f"step {step + 1}")
        for key, value in path[step][1].items():
            entry = resumed.state[q][key]  # (a buffer a Tensor again, a number a number)
            assert type(entry) is (ag.Tensor if isinstance(value, np.ndarray) else type(value)), key
            assert np.array_equal(snapshot(entry), value), key


@pytest.mark.parametrize("name", NAMES)
def test_each_parameter_group_follows_its_own_hyper_parameters(name):
    """Two groups (one added by add_param_group, taking the defaults it lacks) move as two optimizers would."""
    rng = np.random.default_rng(2)
    p0, q0, a, b = rng.standard_normal((4, 3))
    own = {"lr": 0.07, "maximize": True}
    p, q = nn.Parameter(p0), nn.Parameter(q0)
    opt = getattr(optim, name)([{"params": [p], **own}], lr=0.02)
    opt.add_param_group({"params": q})
    assert opt.param_groups[1]["lr"] == 0.02 and opt.param_groups[0]["lr"] == 0.07
    alone_p = list(run_ours(name, own, p0, a, b, 4))
    alone_q = list(run_ours(name, {"lr": 0.02}, q0, a, b, 4))
    for step in range(4):
        p.grad, q.grad = ag.tensor(a + b * p.data), ag.tensor(a + b * q.data)
        opt.step()
        assert_same_bits(p.data, alone_p[step][0], "first group")
        assert_same_bits(q.data, alone_q[step][0], "second group")


@pytest.mark.parametrize("name", NAMES)
def test_a_parameter_without_gradient_is_skipped_and_gets_no_state(name):
    p, frozen = nn.Parameter(np.ones(2)), nn.Parameter(np.ones(2))
    opt = getattr(optim, name)([p, frozen])
    p.grad = ag.tensor(np.ones(2))
    opt.step()
    assert frozen not in opt.state and frozen.data.tolist() == [1.0, 1.0] and p in opt.state


@pytest.mark.parametrize("name", NAMES)
def test_maximize_follows_the_negated_gradient_bit_for_bit(name):
    def path(maximize, sign):
        p = nn.Parameter(np.array([1.0, -2.0, 0.5]))
        opt = getattr(optim, name)([p], lr=0.05, maximize=maximize)
        for _ in range(5):
            opt.zero_grad()
            (sign * ((p * p).sum() - p.sum())).backward()
            opt.step()
        return p.data

    np.testing.assert_array_equal(path(True, -1.0), path(False, 1.0))
    assert not np.array_equal(path(True, 1.0), path(False, 1.0))


@pytest.mark.parametrize("name", NAMES)
def test_fit_trains_a_regression_with_each(name):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((64, 3))
    y = X @ np.array([[1.0], [-2.0], [0.5]]) + 0.3
    model = nn.Linear(3, 1, rng=0)
    lr = {"RAdam": 0.1, "Adadelta": 5.0, "ASGD": 0.05}.get(name, 0.02)
    history = nn.fit(model, nn.MSELoss(), getattr(optim, name)(model.parameters(), lr=lr), (X, y), epochs=15,
                     batch_size=16, progress=False, rng=0)
    assert history["train_loss"][-1] < 0.5 * history["train_loss"][0]


def test_asgd_averages_the_iterates_from_step_t0_plus_2():
    """mu = 1 / max(1, t - t0) is set after step t for the next: ax is p until step t0 + 2, then the running mean
    of the iterates from that step on (torch's indexing)."""
    p = nn.Parameter(np.array([3.0, -1.0]))
    opt = optim.ASGD([p], lr=0.1, lambd=0.0, t0=2)
    iterates = []
    for _ in range(8):
        p.grad = ag.tensor(2 * p.data)
        opt.step()
        iterates.append(p.data.copy())
    np.testing.assert_allclose(opt.state[p]["ax"], np.mean(iterates[3:], axis=0), rtol=1e-6)  # (mu in float32)
    assert opt.state[p]["mu"] == np.float32(1 / 6)  # for step 9: the mean of six iterates


def test_radam_is_bias_corrected_momentum_until_rho_t_passes_5():
    """eps enters only the rectified update: with betas (0.9, 0.9), rho_t passes 5 at step 6."""
    paths = [list(run_ours("RAdam", dict(betas=(0.9, 0.9), lr=0.1, eps=eps), np.ones(3), np.zeros(3), np.ones(3), 8))
             for eps in (1e-8, 0.5)]
    same = [np.array_equal(p, q) for (p, _), (q, _) in zip(*paths)]
    assert same == [True] * 5 + [False] * 3


def test_rprop_skips_the_step_after_a_sign_change_and_grows_the_step_while_the_sign_stays():
    p = nn.Parameter(np.array([1.0]))
    opt = optim.Rprop([p], lr=0.5, etas=(0.5, 1.5))
    moves = []
    for _ in range(4):
        before = p.data.copy()
        p.grad = ag.tensor(p.data.copy())  # f = p^2 / 2
        opt.step()
        moves.append(float(p.data[0] - before[0]))
    assert moves == [-0.5, -0.75, 0.0, 0.375]  # 1 -> 0.5 -> -0.25 (sign change: step halves, no move) -> 0.125


def test_rprop_steps_by_the_sign_of_an_inf_gradient_and_not_at_all_for_a_nan_one():
    # torch.sign is 0 at NaN (np.sign NaN): an inf gradient times prev 0 gave a NaN factor, and its step size and
    # parameter became NaN for good; a NaN gradient moved its parameter to NaN where torch's takes no step (and is
    # compared with nothing next: factor 1). Entry 2: +0.1, a sign change (-inf then 1: no move, step 0.05), +0.05.
    p = nn.Parameter(np.array([1.0, 1.0, 1.0, 1.0]))
    opt = optim.Rprop([p], lr=0.1)
    for g in ([np.inf, np.nan, -np.inf, 1.0], [1.0, 1.0, 1.0, np.nan], [np.inf, np.nan, -1.0, 1.0]):
        p.grad = ag.tensor(g)
        opt.step()
    np.testing.assert_allclose(p.data, [1 - 0.1 - 0.12 - 0.144, 1 - 0.1, 1 + 0.1 + 0.05, 1 - 0.1 - 0.1])
    assert np.isfinite(opt.state[p]["step_size"]).all()
    torch = pytest.importorskip("torch")
    q = torch.ones(4, dtype=torch.float64, requires_grad=True)
    reference = torch.optim.Rprop([q], lr=0.1)
    for g in ([np.inf, np.nan, -np.inf, 1.0], [1.0, 1.0, 1.0, np.nan], [np.inf, np.nan, -1.0, 1.0]):
        q.grad = torch.tensor(g, dtype=torch.float64)
        reference.step()
    np.testing.assert_array_equal(p.data, q.detach().numpy())


# ---- argument errors --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("call, error, message", [
    (lambda ps: optim.Adamax(ps, lr=-1.0), ValueError, "Adamax: invalid lr=-1.0; it must be a number >= 0"),
    (lambda ps: optim.Adamax(ps, betas=(0.9, 1.0)), ValueError,
     "Adamax: invalid betas=(0.9, 1.0); it must be a pair (beta1, beta2) with 0 <= beta < 1"),
    (lambda ps: optim.NAdam(ps, eps=-1e-8), ValueError, "NAdam: invalid eps=-1e-08; it must be a number >= 0"),
    (lambda ps: optim.NAdam(ps, momentum_decay=-0.1), ValueError, "NAdam: invalid momentum_decay=-0.1; it must be"),
    (lambda ps: optim.NAdam(ps, decoupled_weight_decay="yes"), TypeError,
     "NAdam: decoupled_weight_decay must be True or False, got 'yes'"),
    (lambda ps: optim.RAdam(ps, weight_decay=-1), ValueError, "RAdam: invalid weight_decay=-1; it must be"),
    (lambda ps: optim.RAdam(ps, betas=0.9), TypeError, "RAdam: invalid betas=0.9; it must be a pair"),
    (lambda ps: optim.RAdam(ps, decoupled_weight_decay=1), TypeError, "RAdam: decoupled_weight_decay must be True"),
    (lambda ps: optim.Adadelta(ps, rho=1.5), ValueError, "Adadelta: invalid rho=1.5; it must be a number in [0, 1]"),
    (lambda ps: optim.Adadelta(ps, rho="0.9"), TypeError, "Adadelta: invalid rho='0.9'; it must be a number in"),
    (lambda ps: optim.ASGD(ps, lambd=-1e-4), ValueError,
     "ASGD: invalid lambd=-0.0001; it must be a finite number >= 0"),
    (lambda ps: optim.ASGD(ps, alpha=None), TypeError, "ASGD: invalid alpha=None; it must be a finite number >= 0"),
    (lambda ps: optim.ASGD(ps, t0=math.inf), ValueError, "ASGD: invalid t0=inf; it must be a finite number >= 0"),
    (lambda ps: optim.Rprop(ps, etas=(1.2, 0.5)), ValueError,
     "Rprop: invalid etas=(1.2, 0.5); it must be a pair (etaminus, etaplus) with 0 < etaminus < 1 < etaplus"),
    (lambda ps: optim.Rprop(ps, etas=(0.5, 1.0)), ValueError, "Rprop: invalid etas=(0.5, 1.0)"),
    (lambda ps: optim.Rprop(ps, etas=[0.0, 1.2]), ValueError, "Rprop: invalid etas=(0.0, 1.2)"),
    (lambda ps: optim.Rprop(ps, step_sizes=(1.0, 0.1)), ValueError,
     "Rprop: invalid step_sizes=(1.0, 0.1); it must be a pair (min_step, max_step) with 0 <= min_step <= max_step"),
    (lambda ps: optim.Rprop(ps, step_sizes="small"), TypeError, "Rprop: invalid step_sizes='small'; it must be a pair"),
    (lambda ps: optim.Rprop(ps, weight_decay=0.1), TypeError, "Rprop: unexpected keyword argument 'weight_decay'"),
    (lambda ps: optim.ASGD(ps, differentiable=True), ValueError, "ASGD: differentiable=True is not supported"),
    (lambda ps: optim.Adadelta(ps, maximize="no"), TypeError, "Adadelta: maximize must be True or False, got 'no'"),
    (lambda ps: optim.Adamax(ps, 0.1, (0.9, 0.99), 1e-8, 0, "no"), TypeError, "Adamax: foreach must be"),
    (lambda ps: optim.NAdam([{"params": ps, "lr": -0.5}]), ValueError, "NAdam: invalid lr=-0.5"),
])
def test_invalid_arguments_are_refused_naming_the_optimizer_and_what_is_valid(call, error, message):
    with pytest.raises(error, match="^" + re.escape(message)):
        call([nn.Parameter(np.ones(2))])


@pytest.mark.parametrize("name, change", [("NAdam", {"momentum_decay": -1.0}), ("Rprop", {"etas": (2.0, 3.0)}),
                                          ("Adadelta", {"rho": 2.0})])
def test_load_state_dict_checks_hyper_parameters_as_the_constructor_does(name, change):
    opt = getattr(optim, name)([nn.Parameter(np.ones(2))])
    saved = opt.state_dict()
    saved["param_groups"][0].update(change)
    key = next(iter(change))
    with pytest.raises(ValueError, match=rf"^{name}: invalid {key}="):
        opt.load_state_dict(saved)
    assert opt.param_groups[0][key] != change[key]


@pytest.mark.parametrize("name", NAMES)
def test_a_state_saved_by_another_optimizer_is_named_at_the_step_not_a_bare_key_error(name):
    p = nn.Parameter(np.ones(2))
    saver = optim.SGD([p], lr=0.1, momentum=0.9)  # its state, a momentum buffer, is none of these rules'
    p.grad = ag.ones(2)
    saver.step()
    opt = getattr(optim, name)([p], lr=0.1)
    opt.load_state_dict(saver.state_dict())
    with pytest.raises(ValueError, match=rf"^{name}\.step: the state of a parameter of shape \(2,\) has no '\w+', "
                                         rf"which {name} keeps .* another optimizer's state_dict\(\)"):
        opt.step()
    del opt.param_groups[0]["lr"]
    with pytest.raises(ValueError, match=rf"^{name}\.step: a parameter group has no 'lr'"):
        opt.step()


def test_pytorch_boundary_values_are_accepted():
    ps = [nn.Parameter(np.ones(2))]
    optim.Adadelta(ps, rho=0.0), optim.Adadelta(ps, rho=1.0), optim.NAdam(ps, momentum_decay=0.0)
    optim.Rprop(ps, step_sizes=(0.0, math.inf)), optim.Rprop(ps, step_sizes=(0.1, 0.1)), optim.ASGD(ps, t0=0)
    optim.ASGD(ps, 0.01, 1e-4, 0.75, 1e6, 0, None, True)  # torch's positional foreach and maximize
