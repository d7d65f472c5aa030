"""nn.optim.LBFGS: its steps against the textbook L-BFGS formula (NumPy, runs without torch), and against
torch.optim.LBFGS: bit for bit in a worker where PyTorch's dot products, sums and sqrt are NumPy's and its kernels
the scalar ones (ATEN_CPU_CAPABILITY=default), and to rounding as installed (Rosenbrock and a small MLP)."""
import contextlib
import inspect

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd_core as ag
import nn
from nn import optim
from nn.optim import lr_scheduler
from nn.serialization import load, save
from conftest import torch_older_than, torch_scalar_kernel_worker


def rosenbrock(x):
    return float((100 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2).sum())


def rosenbrock_grad(x):
    g = np.zeros_like(x)
    g[:-1] = -400 * x[:-1] * (x[1:] - x[:-1] ** 2) - 2 * (1 - x[:-1])
    g[1:] += 200 * (x[1:] - x[:-1] ** 2)
    return g


def numpy_closure(params, f, grad):
    """A closure setting each parameter's .grad from the NumPy gradient of f at the parameters (flattened)."""
    def closure():
        x = np.concatenate([p.data.reshape(-1) for p in params])
        g, offset = grad(x), 0
        for p in params:
            p.grad = ag.tensor(g[offset:offset + p.size].reshape(p.shape))
            offset += p.size
        return f(x)
    return closure


# ---- (1) the formula: L-BFGS with fixed steps, its inverse Hessian as the explicit BFGS matrix update ------------
def ref_lbfgs_fixed_steps(x, grad, iterations, lr=1.0, history_size=100):
    """x after `iterations` iterations: d = -H g with H the BFGS update of (y.s / y.y) I by the last history_size
    pairs (s, y) (pairs with y.s <= 1e-10 skipped), the first step scaled by min(1, 1 / |g|_1)."""
    pairs, h_diag = [], 1.0
    g = grad(x)
    for k in range(iterations):
        if k == 0:
            d = -g
            t = min(1.0, 1.0 / np.abs(g).sum()) * lr
        else:
            y, s = g - g_prev, d * t
            if y @ s > 1e-10:
                pairs = (pairs + [(s, y)])[-history_size:]
                h_diag = (y @ s) / (y @ y)
            H = h_diag * np.eye(len(x))
            for s_i, y_i in pairs:
                rho = 1 / (y_i @ s_i)
                V = np.eye(len(x)) - rho * np.outer(y_i, s_i)
                H = V.T @ H @ V + rho * np.outer(s_i, s_i)
            d = -H @ g
            t = lr
        g_prev = g
        x = x + t * d
        g = grad(x)
    return x


@settings(max_examples=25)
@given(seed=st.integers(0, 2 ** 32 - 1), n=st.integers(2, 6), iterations=st.integers(1, 8),
       history_size=st.integers(1, 4), lr=st.floats(0.05, 1.0))
def test_fixed_steps_equal_the_bfgs_matrix_formula(seed, n, iterations, history_size, lr):
    rng = np.random.default_rng(seed)
    m = rng.standard_normal((n, n))
    A, b = m @ m.T + n * np.eye(n), rng.standard_normal(n)  # a convex quadratic: y.s > 0
    x0 = rng.standard_normal(n)
    p = nn.Parameter(x0.copy())
    opt = optim.LBFGS([p], lr=lr, max_iter=iterations + 1, max_eval=100, history_size=history_size,
                      tolerance_grad=-1,
                      tolerance_change=0)
    opt.step(numpy_closure([p], lambda x: 0.5 * x @ A @ x - b @ x, lambda x: A @ x - b))
    # (the last of max_iter iterations moves without evaluating again: iterations + 1 moves in all)
    expected = ref_lbfgs_fixed_steps(x0, lambda x: A @ x - b, iterations + 1, lr, history_size)
    np.testing.assert_allclose(p.data, expected, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_strong_wolfe_minimizes_a_quadratic_and_rosenbrock(dtype):
    rng = np.random.default_rng(0)
    m = rng.standard_normal((5, 5))
    A, b = m @ m.T + np.eye(5), rng.standard_normal(5)
    w = nn.Parameter(np.zeros(5, dtype))
    opt = optim.LBFGS([w], line_search_fn="strong_wolfe", tolerance_change=1e-15)

    def closure():
        opt.zero_grad()
        loss = 0.5 * (w @ ag.tensor(A.astype(dtype)) @ w) - (ag.tensor(b.astype(dtype)) * w).sum()
        loss.backward()
        return loss

    first = opt.step(closure)
    assert isinstance(first, ag.Tensor) and float(first) == 0.0  # the loss of the first evaluation
    opt.step(closure)
    np.testing.assert_allclose(w.data, np.linalg.solve(A, b), atol=1e-3 if dtype == np.float32 else 1e-6)
    x = nn.Parameter(np.array([-1.2, 1.0, 0.5], dtype))
    opt = optim.LBFGS([x], line_search_fn="strong_wolfe", max_iter=200)
    opt.step(numpy_closure([x], rosenbrock, rosenbrock_grad))
    np.testing.assert_allclose(x.data, 1.0, atol=1e-3 if dtype == np.float32 else 1e-5)
    assert x.data.dtype == dtype and opt.state[x]["d"].dtype == dtype


def test_parameters_are_one_vector_and_one_without_a_gradient_counts_as_zeros():
    a, b, frozen = nn.Parameter(np.ones((2, 2))), nn.Parameter(np.ones(3)), nn.Parameter(np.ones(2))
    opt = optim.LBFGS([a, frozen, b], max_iter=1)

    def closure():
        opt.zero_grad()
        loss = (a * a).sum() + 2 * b.sum()
        loss.backward()
        return loss

    opt.step(closure)
    g = np.concatenate([2 * np.ones(4), np.zeros(2), 2 * np.ones(3)])
    t = min(1.0, 1.0 / np.abs(g).sum())
    np.testing.assert_array_equal(a.data, 1 - t * 2)
    np.testing.assert_array_equal(frozen.data, 1.0)
    np.testing.assert_array_equal(b.data, 1 - t * 2)
    assert opt.state[a]["d"].shape == (9,) and list(opt.state) == [a]


# ---- (2) torch.optim.LBFGS bit for bit: a worker with NumPy's dot, sum and sqrt and PyTorch's scalar kernels ------
WORKER = r"""
import json, sys
import numpy as np
import torch
torch.Tensor.dot = lambda a, b: torch.tensor(np.dot(a.numpy(), b.numpy()))
torch.Tensor.sum = lambda a: torch.tensor(np.sum(a.numpy()))
torch.Tensor.sqrt = lambda a: torch.from_numpy(np.asarray(np.sqrt(a.numpy())))
print(json.dumps(torch.backends.cpu.get_cpu_capability()), flush=True)
def f(x):
    return float((100 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2).sum())
def grad(x):
    g = np.zeros_like(x)
    g[:-1] = -400 * x[:-1] * (x[1:] - x[:-1] ** 2) - 2 * (1 - x[:-1])
    g[1:] += 200 * (x[1:] - x[:-1] ** 2)
    return g
for line in sys.stdin:
    case = json.loads(line)
    x = torch.tensor(np.array(case["x0"], dtype=case["dtype"]), requires_grad=True)
    opt = torch.optim.LBFGS([x], **case["kwargs"])
    def closure():
        x.grad = torch.from_numpy(grad(x.detach().numpy()))
        return f(x.detach().numpy())
    path = []
    for _ in range(case["steps"]):
        opt.step(closure)
        path.append(x.detach().numpy().tolist())
    print(json.dumps([path, opt.state[x]["func_evals"], opt.state[x]["n_iter"]]), flush=True)
"""


@contextlib.contextmanager
def torch_worker():
    with torch_scalar_kernel_worker(WORKER) as ask:
        def run(x0, kwargs, steps):
            path, evals, n_iter = ask({"x0": x0.tolist(), "dtype": x0.dtype.name, "kwargs": kwargs, "steps": steps})
            return [np.array(x, dtype=x0.dtype) for x in path], evals, n_iter
        yield run


def run_ours(x0, kwargs, steps):
    x = nn.Parameter(x0.copy())
    opt = optim.LBFGS([x], **kwargs)
    path = []
    for _ in range(steps):
        opt.step(numpy_closure([x], rosenbrock, rosenbrock_grad))
        path.append(x.data.copy())
    return path, opt.state[x]["func_evals"], opt.state[x]["n_iter"]


def test_trajectories_equal_torch_bit_for_bit():
    with torch_worker() as torch_run:
        @settings(max_examples=15)
        @given(seed=st.integers(0, 2 ** 32 - 1), n=st.integers(2, 6), dtype=st.sampled_from(["float32", "float64"]),
               kwargs=st.fixed_dictionaries({"lr": st.sampled_from([1, 0.5, 0.1]), "max_iter": st.integers(1, 8),
                                             "history_size": st.integers(1, 5),
                                             "line_search_fn": st.sampled_from([None, "strong_wolfe"])}),
               steps=st.integers(1, 4))
        def check(seed, n, dtype, kwargs, steps):
            x0 = np.random.default_rng(seed).uniform(-1.5, 1.5, n).astype(dtype)
            ours, theirs = run_ours(x0, kwargs, steps), torch_run(x0, kwargs, steps)
            for step, (p, q) in enumerate(zip(ours[0], theirs[0], strict=True)):
                np.testing.assert_array_equal(p, q, err_msg=f"{kwargs} step {step + 1}")
            assert ours[1:] == tuple(theirs[1:])

        check()


# ---- (3) torch as installed: Rosenbrock and a small MLP, to rounding -----------------------------------------------
@pytest.mark.parametrize("line_search_fn", [None, "strong_wolfe"])
def test_rosenbrock_trajectory_matches_torch(line_search_fn):
    torch = pytest.importorskip("torch")
    x0 = np.random.default_rng(0).standard_normal(6)
    kwargs = dict(line_search_fn=line_search_fn, max_iter=5)
    ours = run_ours(x0, kwargs, 12)
    tx = torch.tensor(x0, requires_grad=True)
    topt = torch.optim.LBFGS([tx], **kwargs)

    def closure():
        tx.grad = torch.from_numpy(rosenbrock_grad(tx.detach().numpy()))
        return rosenbrock(tx.detach().numpy())

    for p in ours[0]:
        topt.step(closure)
        np.testing.assert_allclose(p, tx.detach().numpy(), rtol=1e-9)
    assert ours[1] == topt.state[tx]["func_evals"]
    np.testing.assert_allclose(ours[0][-1], 1.0, atol=1e-6)


@pytest.mark.parametrize("dtype, tol", [(np.float64, 1e-10), (np.float32, 1e-3)])
def test_small_mlp_trajectory_matches_torch(dtype, tol):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(1)
    X, y = rng.standard_normal((16, 3)).astype(dtype), rng.standard_normal((16, 1)).astype(dtype)
    weights = [rng.standard_normal(s).astype(dtype) * 0.5 for s in [(3, 5), (5,), (5, 1), (1,)]]
    ours = [nn.Parameter(w.copy()) for w in weights]
    theirs = [torch.tensor(w.copy(), requires_grad=True) for w in weights]
    opt = optim.LBFGS(ours, line_search_fn="strong_wolfe", max_iter=4)
    topt = torch.optim.LBFGS(theirs, line_search_fn="strong_wolfe", max_iter=4)

    def closure():
        opt.zero_grad()
        w1, b1, w2, b2 = ours
        loss = ((ag.tanh(ag.tensor(X) @ w1 + b1) @ w2 + b2 - ag.tensor(y)) ** 2).mean()
        loss.backward()
        return loss

    def tclosure():
        topt.zero_grad()
        w1, b1, w2, b2 = theirs
        loss = ((torch.tanh(torch.from_numpy(X) @ w1 + b1) @ w2 + b2 - torch.from_numpy(y)) ** 2).mean()
        loss.backward()
        return loss

    for _ in range(5):
        np.testing.assert_allclose(float(opt.step(closure)), float(topt.step(tclosure).detach()), rtol=tol)
        for p, q in zip(ours, theirs):
            np.testing.assert_allclose(p.data, q.detach().numpy(), rtol=tol, atol=tol)


LBFGS_ARGUMENTS = [("self", inspect.Parameter.empty), ("params", inspect.Parameter.empty), ("lr", 1), ("max_iter", 20),
                   ("max_eval", None), ("tolerance_grad", 1e-7), ("tolerance_change", 1e-9), ("history_size", 100),
                   ("line_search_fn", None), ("maximize", False)]  # (maximize keyword-only, new in PyTorch 2.14)


def test_defaults_arguments_and_state_keys_are_torchs():
    ours = inspect.signature(optim.LBFGS.__init__).parameters
    assert [(k, v.default) for k, v in ours.items()] == LBFGS_ARGUMENTS
    assert ours["maximize"].kind is inspect.Parameter.KEYWORD_ONLY
    torch = pytest.importorskip("torch")
    theirs = inspect.signature(torch.optim.LBFGS.__init__).parameters
    before_maximize = torch_older_than(torch, "2.14")  # (PyTorch 2.13's LBFGS has no maximize)
    wanted = LBFGS_ARGUMENTS[:-1] if before_maximize else LBFGS_ARGUMENTS
    assert [(k, v.default) for k, v in theirs.items()] == wanted
    p, tp = nn.Parameter(np.ones(3)), torch.ones(3, dtype=torch.float64, requires_grad=True)
    opt, topt = optim.LBFGS([p], max_iter=7), torch.optim.LBFGS([tp], max_iter=7)
    defaults = {k: v for k, v in opt.defaults.items() if not (before_maximize and k == "maximize")}
    assert defaults == topt.defaults and opt.defaults["max_eval"] == 8
    opt.step(numpy_closure([p], rosenbrock, rosenbrock_grad))

    def closure():
        tp.grad = torch.from_numpy(rosenbrock_grad(tp.detach().numpy()))
        return rosenbrock(tp.detach().numpy())

    topt.step(closure)
    assert set(opt.state[p]) == set(topt.state[tp])
    assert set(opt.state_dict()["state"][0]) == set(topt.state_dict()["state"][0])


@pytest.mark.parametrize("line_search_fn", [None, "strong_wolfe"])
def test_maximize_takes_the_steps_that_minimizing_the_negated_loss_takes(line_search_fn):
    x0 = np.array([-1.2, 1.0, 0.3])
    kwargs = dict(line_search_fn=line_search_fn, max_iter=4, history_size=3)
    minimized = run_ours(x0, kwargs, 3)
    x = nn.Parameter(x0.copy())
    opt = optim.LBFGS([x], maximize=True, **kwargs)
    closure = numpy_closure([x], lambda x: -rosenbrock(x), lambda x: -rosenbrock_grad(x))
    for step, expected in enumerate(minimized[0]):
        before = x.data.copy()
        assert opt.step(closure) == -rosenbrock(before)  # (the closure's own loss is returned, not its negation)
        np.testing.assert_array_equal(x.data, expected)
    assert (opt.state[x]["func_evals"], opt.state[x]["n_iter"]) == minimized[1:]
    torch = pytest.importorskip("torch")
    if torch_older_than(torch, "2.14"):
        pytest.skip("PyTorch's LBFGS takes maximize= from 2.14 on")
    tx = torch.tensor(x0, requires_grad=True)
    topt = torch.optim.LBFGS([tx], maximize=True, **kwargs)

    def tclosure():
        tx.grad = torch.from_numpy(-rosenbrock_grad(tx.detach().numpy()))
        return -rosenbrock(tx.detach().numpy())

    for _ in range(3):
        topt.step(tclosure)
    np.testing.assert_allclose(x.data, tx.detach().numpy(), rtol=1e-8)  # (to the rounding of torch's kernels)
    assert opt.state_dict()["param_groups"][0]["maximize"] is True


def test_a_group_of_no_parameters_evaluates_the_closure_and_steps_nothing():
    opt = optim.LBFGS([{"params": []}])
    assert opt.step(lambda: 3.0) == 3.0 and opt.state == {}
    torch = pytest.importorskip("torch")
    if torch_older_than(torch, "2.14"):
        pytest.skip("PyTorch's LBFGS before 2.14 raises an IndexError on a group of no parameters")
    assert torch.optim.LBFGS([{"params": []}]).step(lambda: 3.0) == 3.0


def test_maximize_must_be_a_bool():
    with pytest.raises(TypeError, match="LBFGS: maximize"):
        optim.LBFGS([nn.Parameter(np.ones(2))], maximize="yes")


# ---- state dicts ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("line_search_fn", [None, "strong_wolfe"])
def test_a_state_dict_saved_mid_run_resumes_it_exactly(line_search_fn, tmp_path):
    x0 = np.array([-1.2, 1.0, 0.3, 0.7])
    kwargs = dict(line_search_fn=line_search_fn, max_iter=3, history_size=4)
    path = run_ours(x0, kwargs, 6)[0]
    x = nn.Parameter(x0.copy())
    opt = optim.LBFGS([x], **kwargs)
    for _ in range(3):
        opt.step(numpy_closure([x], rosenbrock, rosenbrock_grad))
    saved = opt.state_dict()
    before = {k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in saved["state"][0].items()}
    opt.step(numpy_closure([x], rosenbrock, rosenbrock_grad))  # the saved copy does not change with the run
    for k, v in before.items():
        assert np.array_equal(saved["state"][0][k], v) if isinstance(v, np.ndarray) else True
    save({"opt": saved, "x": path[2]}, tmp_path / "lbfgs.npz")
    loaded = load(tmp_path / "lbfgs.npz")
    y = nn.Parameter(loaded["x"])
    resumed = optim.LBFGS([y], lr=0.5)
    resumed.load_state_dict(loaded["opt"])
    assert resumed.param_groups[0]["lr"] == 1 and resumed.param_groups[0]["history_size"] == 4
    for expected in path[3:]:
        resumed.step(numpy_closure([y], rosenbrock, rosenbrock_grad))
        np.testing.assert_array_equal(y.data, expected)


def test_load_state_dict_refuses_vectors_of_another_length():
    p = nn.Parameter(np.array([0.5, -1.0, 2.0]))
    opt = optim.LBFGS([p], max_iter=2)
    opt.step(numpy_closure([p], rosenbrock, rosenbrock_grad))
    saved = opt.state_dict()
    other = optim.LBFGS([nn.Parameter(np.ones(4))])
    with pytest.raises(ValueError, match=r"LBFGS.load_state_dict: the state's 'd' has shape \(3,\).*shape \(4,\)"):
        other.load_state_dict(saved)
    saved["state"] = {1: saved["state"][0]}
    with pytest.raises(ValueError, match="under the first parameter"):
        optim.LBFGS([p, nn.Parameter(np.ones(1))]).load_state_dict(saved)


# ---- errors ---------------------------------------------------------------------------------------------------------
def test_step_without_a_closure_says_lbfgs_needs_one_and_fit_cannot_drive_it():
    p = nn.Parameter(np.ones(2))
    opt = optim.LBFGS([p])
    with pytest.raises(TypeError, match=r"LBFGS.step: needs a closure .*nn.fit calls step\(\) without one"):
        opt.step()
    model = nn.Linear(2, 1)
    X, y = np.ones((4, 2)), np.ones((4, 1))
    with pytest.raises(TypeError, match="LBFGS.step: needs a closure"):
        nn.fit(model, nn.MSELoss(), optim.LBFGS(model.parameters()), (X, y), epochs=1, progress=False)


@pytest.mark.parametrize("make, error, message", [
    (lambda p: optim.LBFGS([{"params": [p]}, {"params": [nn.Parameter(np.ones(1))]}]), ValueError,
     "LBFGS doesn't support per-parameter options"),
    (lambda p: optim.LBFGS([p], lr=-1), ValueError, "LBFGS: invalid lr=-1"),
    (lambda p: optim.LBFGS([p], line_search_fn="wolfe"), ValueError, "only 'strong_wolfe' is supported"),
    (lambda p: optim.LBFGS([p], history_size=0), ValueError, "LBFGS: history_size must be a positive int"),
    (lambda p: optim.LBFGS([p], max_iter=0), ValueError, "LBFGS: max_iter must be a positive int"),
    (lambda p: optim.LBFGS([p], max_iter=2.5), TypeError, "LBFGS: max_iter must be a positive int"),
    (lambda p: optim.LBFGS([p], max_eval=0), ValueError, "LBFGS: max_eval must be a positive int"),
    (lambda p: optim.LBFGS([p], tolerance_grad="small"), TypeError, "LBFGS: tolerance_grad must be a number"),
])
def test_invalid_settings_are_refused_naming_them(make, error, message):
    with pytest.raises(error, match=message):
        make(nn.Parameter(np.ones(2)))


def test_a_second_parameter_group_is_refused():
    opt = optim.LBFGS([nn.Parameter(np.ones(2))])
    with pytest.raises(ValueError, match="LBFGS doesn't support per-parameter options"):
        opt.add_param_group({"params": [nn.Parameter(np.ones(2))]})


# ---- a closure that returns no loss ----------------------------------------------------------------------------------
# LBFGS.step names the problem when the closure returns None (a forgotten `return`) or a string, where float()'s bare
# TypeError / ValueError named neither LBFGS nor the closure; a Tensor or a number is taken.
@pytest.mark.parametrize("returned", [None, "loss"])
def test_lbfgs_step_refuses_a_closure_returning_no_loss(returned):
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    opt = optim.LBFGS([w])

    def closure():
        opt.zero_grad()
        (w * w).sum().backward()
        return returned

    with pytest.raises(TypeError, match=r"LBFGS\.step: the closure must return the loss .*got (NoneType|str)"):
        opt.step(closure)
    np.testing.assert_array_equal(w.data, [1.0, 2.0])


@pytest.mark.parametrize("as_number", [False, True])
def test_lbfgs_step_takes_a_closure_returning_a_tensor_or_a_number(as_number):
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    opt = optim.LBFGS([w], line_search_fn="strong_wolfe")

    def closure():
        opt.zero_grad()
        loss = ((w - 3.0) ** 2).sum()
        loss.backward()
        return loss.item() if as_number else loss

    first = opt.step(closure)
    assert float(first) == 5.0
    np.testing.assert_allclose(w.data, [3.0, 3.0], atol=1e-6)


# ---- lr = 0 (where a scheduler such as CosineAnnealingLR brings it) --------------------------------------------------
# With the strong-Wolfe line search, after the first iteration the search would start from a step of length 0 (torch's
# fails there with a bare ZeroDivisionError, the cubic interpolation between two equal points): a ValueError naming
# LBFGS.step and lr. In the very first iteration (the step a 0-d tensor in torch, a NumPy scalar here) and without a
# line search, lr = 0 is accepted, as in torch (the parameters do not move).
def _closure(opt, w):
    def closure():
        opt.zero_grad()
        loss = ((w - 3.0) ** 2).sum()
        loss.backward()
        return loss
    return closure


def test_lbfgs_strong_wolfe_with_lr_zero_raises_a_clear_error():
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    opt = optim.LBFGS([w], lr=0.1, line_search_fn="strong_wolfe", max_iter=2)
    opt.step(_closure(opt, w))
    opt.param_groups[0]["lr"] = 0.0
    with pytest.raises(ValueError, match=r"LBFGS\.step: the strong-Wolfe line search cannot start from a step of "
                                         r"length 0 \(lr=0\.0\)"):
        opt.step(_closure(opt, w))


def test_lbfgs_strong_wolfe_with_a_scheduler_reaching_lr_zero():
    w = ag.tensor([1.0, -2.0], requires_grad=True)
    opt = optim.LBFGS([w], lr=0.1, line_search_fn="strong_wolfe", max_iter=2)
    schedule = lr_scheduler.CosineAnnealingLR(opt, T_max=2)
    opt.step(_closure(opt, w))
    schedule.step()
    opt.step(_closure(opt, w))
    schedule.step()
    assert opt.param_groups[0]["lr"] == 0
    with pytest.raises(ValueError, match="learning-rate scheduler"):
        opt.step(_closure(opt, w))


@pytest.mark.parametrize("line_search_fn", [None, "strong_wolfe"])
@pytest.mark.parametrize("max_iter", [1, 3])
def test_lbfgs_takes_lr_zero_in_its_first_iteration_or_without_line_search(line_search_fn, max_iter):
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    opt = optim.LBFGS([w], lr=0.0, line_search_fn=line_search_fn, max_iter=max_iter)
    opt.step(_closure(opt, w))
    np.testing.assert_array_equal(w.data, [1.0, 2.0])
    if line_search_fn is None:
        opt.step(_closure(opt, w))
        np.testing.assert_array_equal(w.data, [1.0, 2.0])


# ---- a PINN (Raissi's Burgers, as its PyTorch ports write it): a loss through u_xx, minimized in a closure ----
def _burgers_pinn_losses(module, grad, ones_like, cat, tensor, lbfgs, points, boundary, boundary_u, max_iter=15):
    x = tensor(points[:, 0:1], requires_grad=True)
    t = tensor(points[:, 1:2], requires_grad=True)
    optimizer = lbfgs(module.parameters(), lr=1, max_iter=max_iter, history_size=50, tolerance_grad=1e-9,
                      tolerance_change=1e-12, line_search_fn="strong_wolfe")
    losses = []

    def closure():
        optimizer.zero_grad()
        u = module(cat([x, t], dim=1))
        u_t = grad(u, t, grad_outputs=ones_like(u), retain_graph=True, create_graph=True)[0]
        u_x = grad(u, x, grad_outputs=ones_like(u), retain_graph=True, create_graph=True)[0]
        u_xx = grad(u_x, x, grad_outputs=ones_like(u_x), retain_graph=True, create_graph=True)[0]
        f = u_t + u * u_x - 0.01 / np.pi * u_xx
        loss = ((module(tensor(boundary)) - tensor(boundary_u)) ** 2).mean() + (f ** 2).mean()
        loss.backward()
        losses.append(loss.item())
        return loss
    optimizer.step(closure)
    return losses


def _burgers_problem(seed=0):
    rng = np.random.default_rng(seed)
    points = np.hstack([rng.uniform(-1, 1, (100, 1)), rng.uniform(0, 1, (100, 1))])
    boundary = np.hstack([rng.uniform(-1, 1, (20, 1)), np.zeros((20, 1))])
    net = nn.Sequential(nn.Linear(2, 20), nn.Tanh(), nn.Linear(20, 20), nn.Tanh(), nn.Linear(20, 1)).double()
    weights = {name: rng.uniform(-0.5, 0.5, p.shape) for name, p in net.named_parameters()}
    net.load_state_dict({name: ag.tensor(value) for name, value in weights.items()})
    return net, weights, points, boundary, -np.sin(np.pi * boundary[:, 0:1])


def test_lbfgs_minimizes_a_pinn_loss_through_second_derivatives():
    net, _, points, boundary, boundary_u = _burgers_problem()
    losses = _burgers_pinn_losses(net, ag.autograd.grad, ag.ones_like, ag.cat, ag.tensor, optim.LBFGS, points,
                                  boundary, boundary_u)
    assert len(losses) > 15 and losses[-1] < 0.5 * losses[0]


def test_lbfgs_on_a_pinn_loss_takes_torchs_steps():
    torch = pytest.importorskip("torch")
    net, weights, points, boundary, boundary_u = _burgers_problem()
    ours = _burgers_pinn_losses(net, ag.autograd.grad, ag.ones_like, ag.cat, ag.tensor, optim.LBFGS, points,
                                boundary, boundary_u)
    reference = torch.nn.Sequential(torch.nn.Linear(2, 20), torch.nn.Tanh(), torch.nn.Linear(20, 20),
                                    torch.nn.Tanh(), torch.nn.Linear(20, 1)).double()
    reference.load_state_dict({name: torch.tensor(value) for name, value in weights.items()})
    theirs = _burgers_pinn_losses(reference, torch.autograd.grad, torch.ones_like, torch.cat, torch.tensor,
                                  torch.optim.LBFGS, points, boundary, boundary_u)
    assert len(ours) == len(theirs)
    np.testing.assert_allclose(ours, theirs, rtol=1e-9)
