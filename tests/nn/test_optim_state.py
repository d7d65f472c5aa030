"""Optimizer state entries as PyTorch keeps them: every buffer in `opt.state[p]` (momentum_buffer, exp_avg, ...) is a
constant Tensor whose array the step changes in place, so that Tensor methods work on it (`.view(-1)`, as DARTS's
`torch.cat([opt.state[p]['momentum_buffer'].view(-1) ...])`) and a Tensor held across a step sees the new values.
Each optimizer's entries after two steps are checked against a NumPy reference (the rule's state formulas, from the
gradients the run saw) and against torch.optim's where it is installed."""
import numpy as np
import pytest

import autograd_core as ag
import nn
from nn import optim

try:
    import torch
except ImportError:  # the NumPy references still run
    torch = None

LR = 0.1
BETAS = (0.9, 0.99)
EPS = 1e-8


def _quadratic(shape, seed):
    """(p0, a, b) of the loss sum(a p + b p^2 / 2), whose gradient a + b p differs in sign across entries."""
    rng = np.random.default_rng(seed)
    return rng.standard_normal(shape), rng.standard_normal(shape), rng.uniform(0.5, 2.0, shape)


def _lerp(m, g, weight):
    return m + weight * (g - m)


# ---- the state formulas in NumPy: each returns the entries after the steps whose gradients are grads -------------
def ref_sgd(grads, params, momentum=0.9, dampening=0.0, **_):
    buf = grads[0].copy()
    for g in grads[1:]:
        buf = momentum * buf + (1 - dampening) * g
    return {"momentum_buffer": buf}


def ref_adam(grads, params, amsgrad=False, betas=BETAS, **_):
    m = v = v_max = 0
    for g in grads:
        m = _lerp(m, g, 1 - betas[0])
        v = betas[1] * v + (1 - betas[1]) * g * g
        v_max = np.maximum(v_max, v)
    return {"step": len(grads), "exp_avg": m, "exp_avg_sq": v, **({"max_exp_avg_sq": v_max} if amsgrad else {})}


def ref_rmsprop(grads, params, alpha=0.99, momentum=0.0, centered=False, **_):
    s = ga = buf = 0
    for g in grads:
        s = alpha * s + (1 - alpha) * g * g
        ga = _lerp(ga, g, 1 - alpha)
        buf = momentum * buf + g / (np.sqrt(s - ga * ga if centered else s) + EPS)
    return {"step": len(grads), "square_avg": s, **({"momentum_buffer": buf} if momentum else {}),
            **({"grad_avg": ga} if centered else {})}


def ref_adagrad(grads, params, initial_accumulator_value=0.0, **_):
    return {"step": len(grads), "sum": initial_accumulator_value + sum(g * g for g in grads)}


def ref_adamax(grads, params, betas=BETAS, **_):
    m = u = 0
    for g in grads:
        m = _lerp(m, g, 1 - betas[0])
        u = np.maximum(betas[1] * u, np.abs(g) + EPS)
    return {"step": len(grads), "exp_avg": m, "exp_inf": u}


def ref_nadam(grads, params, betas=BETAS, momentum_decay=4e-3, **_):
    mu_product = 1.0
    for t in range(1, len(grads) + 1):
        mu_product *= betas[0] * (1.0 - 0.5 * 0.96 ** (t * momentum_decay))
    return {**ref_adam(grads, params, betas=betas), "mu_product": mu_product}


def ref_adadelta(grads, params, rho=0.9, eps=1e-6, **_):
    s = a = 0
    for g in grads:
        s = rho * s + (1 - rho) * g * g
        delta = np.sqrt(a + eps) / np.sqrt(s + eps) * g
        a = rho * a + (1 - rho) * delta * delta
    return {"step": len(grads), "square_avg": s, "acc_delta": a}


def ref_asgd(grads, params, lambd=1e-4, alpha=0.75, t0=1e6, **_):
    t = len(grads)  # (mu is 1 while t <= t0: the average is the last iterate)
    return {"step": t, "ax": params[-1], "eta": LR / (1 + lambd * LR * t) ** alpha, "mu": 1 / max(1, t - t0)}


def ref_rprop(grads, params, etas=(0.5, 1.2), step_sizes=(1e-6, 50), **_):
    prev, step_size = np.zeros_like(grads[0]), np.full_like(grads[0], LR)
    for g in grads:
        sign = np.sign(g * prev)
        step_size = np.clip(step_size * np.where(sign > 0, etas[1], np.where(sign < 0, etas[0], 1.0)), *step_sizes)
        prev = np.where(sign < 0, 0.0, g)
    return {"step": len(grads), "prev": prev, "step_size": step_size}


def ref_sparse_adam(grads, params, **_):  # (every row is reached: its gradient has no zero row)
    return ref_adam(grads, params)


def ref_adafactor(grads, params, beta2_decay=-0.8, **_):
    factored = grads[0].ndim > 1
    r = c = v = 0
    for t, g in enumerate(grads, 1):
        weight = t ** beta2_decay
        if factored:
            r = _lerp(r, (g * g).mean(axis=-1, keepdims=True), weight)
            c = _lerp(c, (g * g).mean(axis=-2, keepdims=True), weight)
        else:
            v = _lerp(v, g * g, weight)
    return {"step": len(grads), **({"row_var": r, "col_var": c} if factored else {"variance": v})}


def ref_muon(grads, params, momentum=0.95, **_):
    buf = 0
    for g in grads:
        buf = _lerp(buf, g, 1 - momentum)
    return {"momentum_buffer": buf}


# Optimizer name, keyword arguments, reference, parameter shapes (Muon: 2-D only)
CASES = [
    ("SGD", dict(lr=LR, momentum=0.9), ref_sgd),
    ("SGD", dict(lr=LR, momentum=0.9, dampening=0.3, nesterov=False), ref_sgd),
    ("Adam", dict(lr=LR, betas=BETAS), ref_adam),
    ("Adam", dict(lr=LR, betas=BETAS, amsgrad=True), ref_adam),
    ("AdamW", dict(lr=LR, betas=BETAS, weight_decay=0.1), ref_adam),
    ("RMSprop", dict(lr=LR), ref_rmsprop),
    ("RMSprop", dict(lr=LR, momentum=0.5, centered=True), ref_rmsprop),
    ("Adagrad", dict(lr=LR, initial_accumulator_value=0.2), ref_adagrad),
    ("Adamax", dict(lr=LR, betas=BETAS), ref_adamax),
    ("NAdam", dict(lr=LR, betas=BETAS), ref_nadam),
    ("RAdam", dict(lr=LR, betas=BETAS), ref_adam),
    ("Adadelta", dict(lr=LR), ref_adadelta),
    ("ASGD", dict(lr=LR), ref_asgd),
    ("Rprop", dict(lr=LR), ref_rprop),
    ("SparseAdam", dict(lr=LR, betas=BETAS), ref_sparse_adam),
    ("Adafactor", dict(lr=LR), ref_adafactor),
    ("Muon", dict(lr=LR), ref_muon),
]
IDS = [f"{name}-{'-'.join(f'{k}={v}' for k, v in kwargs.items() if k != 'lr')}" for name, kwargs, _ in CASES]
SHAPES = [(3, 4), (4,)]


def _run(name, kwargs, steps, shapes):
    """Our optimizer stepped `steps` times on the quadratics: (optimizer, parameters, the gradients it saw per
    parameter, the parameter values after each step)."""
    problems = [_quadratic(shape, seed) for seed, shape in enumerate(shapes)]
    params = [nn.Parameter(p0.copy()) for p0, _, _ in problems]
    opt = getattr(optim, name)(params, **kwargs)
    grads, values = [[] for _ in params], [[] for _ in params]
    for _ in range(steps):
        for i, (p, (_, a, b)) in enumerate(zip(params, problems)):
            grads[i].append(a + b * p.data)
            p.grad = ag.tensor(grads[i][-1])
        opt.step()
        for i, p in enumerate(params):
            values[i].append(p.data.copy())
    return opt, params, grads, values


def _torch_state(name, kwargs, steps, shapes):
    """torch.optim's state per parameter after the same steps from the same start."""
    problems = [_quadratic(shape, seed) for seed, shape in enumerate(shapes)]
    params = [torch.nn.Parameter(torch.tensor(p0)) for p0, _, _ in problems]
    opt = getattr(torch.optim, name)(params, **kwargs)
    for _ in range(steps):
        for p, (_, a, b) in zip(params, problems):
            grad = torch.tensor(a) + torch.tensor(b) * p.detach()
            p.grad = grad.to_sparse() if name == "SparseAdam" else grad
        opt.step()
    return [opt.state[p] for p in params]


def _shapes(name):
    return SHAPES[:1] if name == "Muon" else SHAPES


@pytest.mark.parametrize("name, kwargs, reference", CASES, ids=IDS)
def test_each_buffer_is_a_constant_tensor_equal_to_the_numpy_reference(name, kwargs, reference):
    opt, params, grads, values = _run(name, kwargs, 2, _shapes(name))
    for i, p in enumerate(params):
        state = opt.state[p]
        expected = reference(grads[i], values[i], **kwargs)
        assert set(state) == set(expected)
        for key, value in expected.items():
            entry = state[key]
            if isinstance(value, np.ndarray):
                assert type(entry) is ag.Tensor and not entry.requires_grad and entry.is_leaf, key
                assert entry.dtype == p.dtype and entry.shape == value.shape, key
                np.testing.assert_allclose(entry.data, value, rtol=1e-12, atol=1e-15, err_msg=key)
                np.testing.assert_array_equal(entry.view(-1).data, entry.data.reshape(-1), err_msg=key)
            elif key == "step":  # a count: an int (PyTorch keeps a 0-d float32 Tensor)
                assert type(entry) is int and entry == value
            else:  # NAdam's mu_product, ASGD's eta and mu: floats rounded as PyTorch's float32
                assert type(entry) is float and entry == pytest.approx(value, rel=1e-6), key


@pytest.mark.skipif(torch is None, reason="needs torch")
@pytest.mark.parametrize("name, kwargs, reference", CASES, ids=IDS)
def test_each_buffer_equals_torchs_state_entry(name, kwargs, reference):
    opt, params, _, _ = _run(name, kwargs, 2, _shapes(name))
    theirs = _torch_state(name, kwargs, 2, _shapes(name))
    for p, their_state in zip(params, theirs):
        assert set(opt.state[p]) == set(their_state)
        for key, entry in opt.state[p].items():
            their = their_state[key]
            if isinstance(entry, ag.Tensor):
                assert entry.shape == tuple(their.shape), key
                np.testing.assert_allclose(entry.data, their.numpy(), rtol=1e-10, atol=1e-14, err_msg=key)
            else:  # step and mu_product: numbers here, 0-d Tensors in PyTorch
                assert entry == pytest.approx(float(their), rel=1e-6), key


@pytest.mark.parametrize("name, kwargs, reference", CASES, ids=IDS)
def test_a_buffer_held_across_a_step_sees_its_new_values(name, kwargs, reference):
    opt, params, grads, _ = _run(name, kwargs, 1, _shapes(name))
    held = {(i, k): v for i, p in enumerate(params) for k, v in opt.state[p].items() if isinstance(v, ag.Tensor)}
    before = {where: entry.data.copy() for where, entry in held.items()}
    flat = {where: entry.view(-1) for where, entry in held.items()}  # a view of the buffer, as PyTorch's
    for p, g in zip(params, grads):
        p.grad = ag.tensor(-3.0 * g[0])  # a gradient that changes every buffer
    opt.step()
    for (i, key), entry in held.items():
        assert opt.state[params[i]][key] is entry, key
        assert not np.array_equal(entry.data, before[i, key]), key
        np.testing.assert_array_equal(flat[i, key].data, entry.data.reshape(-1), err_msg=key)


@pytest.mark.parametrize("name, kwargs, reference", CASES, ids=IDS)
def test_a_graph_that_saved_a_buffer_refuses_backward_after_the_step_changed_it(name, kwargs, reference):
    opt, params, grads, _ = _run(name, kwargs, 1, _shapes(name))
    buffers = [(p, v) for p in params for v in opt.state[p].values() if isinstance(v, ag.Tensor)]
    x = ag.tensor(np.ones(buffers[0][1].shape), requires_grad=True)
    saved = (x * buffers[0][1]).sum()  # multiply saves the buffer for x's gradient
    for p, g in zip(params, grads):
        p.grad = ag.tensor(-3.0 * g[0])
    opt.step()
    with pytest.raises(RuntimeError, match="changed"):  # as PyTorch's "modified by an inplace operation"
        saved.backward()
    unchanged = (x * opt.state[buffers[0][0]][next(k for k, v in opt.state[buffers[0][0]].items() if v is
                                                   buffers[0][1])]).sum()
    unchanged.backward()  # a graph recorded after the step is fine
    np.testing.assert_array_equal(x.grad.data, buffers[0][1].data)


def test_dartss_concatenated_momentum_buffers():
    # DARTS's architect: torch.cat([opt.state[v]['momentum_buffer'].view(-1) for v in model.parameters()]) * momentum
    model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
    opt = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    x = ag.tensor(np.random.default_rng(0).standard_normal((5, 3)))
    for _ in range(2):
        opt.zero_grad()
        model(x).pow(2).mean().backward()
        opt.step()
    moment = ag.cat([opt.state[v]["momentum_buffer"].view(-1) for v in model.parameters()]) * 0.9
    expected = np.concatenate([opt.state[v]["momentum_buffer"].data.reshape(-1) for v in model.parameters()]) * 0.9
    assert type(moment) is ag.Tensor and moment.shape == (4 * 3 + 4 + 2 * 4 + 2,)
    np.testing.assert_array_equal(moment.data, expected)


def _lbfgs_run(steps):
    p0, a, b = _quadratic((5,), 0)
    p = nn.Parameter(p0.copy())
    opt = optim.LBFGS([p], lr=0.5, max_iter=1)
    grads, values = [], []

    def closure():
        opt.zero_grad()
        loss = (ag.tensor(a) * p + ag.tensor(b) * p * p / 2).sum()
        loss.backward()
        grads.append(p.grad.data.copy())
        return loss

    for _ in range(steps):
        values.append(p.data.copy())
        opt.step(closure)
    return opt, p, grads, values


def test_lbfgs_vectors_are_tensors_equal_to_the_numpy_reference():
    opt, p, grads, values = _lbfgs_run(2)
    state = opt.state[p]
    g0, g1 = grads
    t0 = min(1.0, 1.0 / np.abs(g0).sum()) * 0.5
    y, s = g1 - g0, -g0 * t0  # the one pair of the history: gradient and parameter changes
    ro, h_diag = 1 / y.dot(s), y.dot(s) / y.dot(y)
    alpha = s.dot(-g1) * ro
    r = (-g1 - alpha * y) * h_diag
    d = r + (alpha - y.dot(r) * ro) * s  # the two-loop recursion's -H g1
    for key, value in {"d": d, "prev_flat_grad": g1, "old_dirs": [y], "old_stps": [s]}.items():
        entries = state[key] if isinstance(value, list) else [state[key]]
        for entry, expected in zip(entries, value if isinstance(value, list) else [value], strict=True):
            assert type(entry) is ag.Tensor and not entry.requires_grad, key
            np.testing.assert_allclose(entry.view(-1).data, expected, rtol=1e-12, err_msg=key)
    np.testing.assert_allclose(values[1] - values[0], s, rtol=1e-12)
    assert state["n_iter"] == 2 and state["func_evals"] == 2
    if torch is not None:
        p0, a, b = _quadratic((5,), 0)
        tp = torch.nn.Parameter(torch.tensor(p0))
        topt = torch.optim.LBFGS([tp], lr=0.5, max_iter=1)

        def torch_closure():
            topt.zero_grad()
            loss = (torch.tensor(a) * tp + torch.tensor(b) * tp * tp / 2).sum()
            loss.backward()
            return loss

        for _ in range(2):
            topt.step(torch_closure)
        theirs = topt.state[tp]
        for key in ("d", "prev_flat_grad"):
            np.testing.assert_allclose(state[key].data, theirs[key].numpy(), rtol=1e-12, err_msg=key)
        for key in ("old_dirs", "old_stps"):
            for ours, their in zip(state[key], theirs[key], strict=True):
                np.testing.assert_allclose(ours.data, their.numpy(), rtol=1e-12, err_msg=key)


def test_lbfgs_held_prev_flat_grad_sees_the_next_step():
    opt, p, grads, _ = _lbfgs_run(2)
    held = opt.state[p]["prev_flat_grad"]
    dirs = list(opt.state[p]["old_dirs"])

    def closure():
        opt.zero_grad()
        loss = (p * p).sum()
        loss.backward()
        grads.append(p.grad.data.copy())
        return loss

    opt.step(closure)
    assert opt.state[p]["prev_flat_grad"] is held  # changed in place, as PyTorch's
    np.testing.assert_array_equal(held.data, grads[-1])
    assert all(new is old for new, old in zip(opt.state[p]["old_dirs"], dirs))  # the history's kept Tensors


@pytest.mark.parametrize("name, kwargs, reference", CASES + [("LBFGS", dict(lr=0.5, max_iter=2), None)],
                         ids=IDS + ["LBFGS"])
def test_a_loaded_state_holds_new_tensors_sharing_nothing_with_the_saved_dict(name, kwargs, reference, tmp_path):
    opt, params, _, _ = _run(name, kwargs, 0, _shapes(name))
    problems = [_quadratic(shape, seed) for seed, shape in enumerate(_shapes(name))]

    def closure():
        opt.zero_grad()
        loss = sum((ag.tensor(a) * p + ag.tensor(b) * p * p / 2).sum() for p, (_, a, b) in zip(params, problems))
        loss.backward()
        return loss

    for _ in range(2):
        opt.step(closure)
    saved = opt.state_dict()
    for index, p in enumerate(params):  # the state dict's buffers are copies: the optimizer's own are not handed out
        for key, entry in opt.state[p].items():
            copied = saved["state"][index][key]
            for ours, copy in zip(*((entry, copied) if isinstance(entry, list) else ([entry], [copied]))):
                if isinstance(ours, ag.Tensor):
                    assert type(copy) is ag.Tensor and not np.shares_memory(ours.data, copy.data), key
    nn.save(saved, tmp_path / "optimizer.npz")
    for source in (saved, nn.load(tmp_path / "optimizer.npz", weights_only=True)):  # (read allow_pickle=False)
        again = getattr(optim, name)(params, **kwargs)
        again.load_state_dict(source)
        for index, p in enumerate(params):
            for key, entry in again.state[p].items():
                entries = entry if isinstance(entry, list) else [entry]
                given = source["state"][index][key]
                for ours, theirs in zip(entries, given if isinstance(given, list) else [given]):
                    if isinstance(theirs, (ag.Tensor, np.ndarray)):
                        assert type(ours) is ag.Tensor and not ours.requires_grad, key
                        assert not np.shares_memory(ours.data, np.asarray(theirs.data)), key
                        np.testing.assert_array_equal(ours.data, np.asarray(theirs.data), err_msg=key)
            assert set(again.state[p]) == set(opt.state[p])


@pytest.mark.parametrize("name, kwargs, key", [("SGD", dict(lr=LR, momentum=0.9), "momentum_buffer"),
                                               ("Adam", dict(lr=LR), "exp_avg"), ("Rprop", dict(lr=LR), "prev")])
def test_a_buffer_replaced_by_an_array_is_refused_at_the_step_naming_the_way(name, kwargs, key):
    opt, params, grads, _ = _run(name, kwargs, 1, [(3,)])
    opt.state[params[0]][key] = np.zeros(3)
    with pytest.raises(TypeError, match=rf"{name}.step: the state '{key}' of a parameter of shape \(3,\) is a NumPy "
                                        rf"array; the buffers are Tensors, as PyTorch's: set it to ag.tensor\(array\)"):
        opt.step()
    held = opt.state[params[0]][key] = ag.tensor(np.zeros(3))  # the way the message names
    opt.step()
    assert opt.state[params[0]][key] is held and np.all(held.data != 0)  # the step wrote the Tensor set
