"""Shared test settings and helpers: a Hypothesis profile sized for a 2-core machine, the Graphviz check, a
count of the calls a function makes (for tests of how work grows with size), whether a backward refuses a
value changed in place (ours or PyTorch's), and the scripted models and watched scheduler of fit's tests."""
import contextlib
import importlib
import io
import json
import os
import shutil
import subprocess
import sys

import numpy as np
import pytest

from hypothesis import HealthCheck, settings

import autograd_core as ag
from nn.data import DataLoader, TensorDataset
from nn.datasets import make_moons
from nn.optim.lr_scheduler import ReduceLROnPlateau

settings.register_profile(
    "default", max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("thorough", max_examples=400, deadline=None)
# CI replays a fixed set of examples (a rare random draw must not decide whether work lands);
# local runs keep exploring new ones.
settings.register_profile("ci", parent=settings.get_profile("default"), derandomize=True, database=None)

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if IN_CI else "default"))
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def missing_tool(reason):
    """A tool a test needs is absent: under CI=true that fails the run, elsewhere the test skips."""
    if IN_CI:
        pytest.fail(f"{reason} (required under CI=true; make setup installs it)")
    pytest.skip(reason)


@pytest.fixture
def dot_program():
    """Graphviz's dot program, required under CI=true."""
    if shutil.which("dot") is None:
        missing_tool("Graphviz's dot program is not installed")


def einops_or_skip():
    """The einops package (the dev extra installs it), required under CI=true."""
    try:
        return importlib.import_module("einops")
    except ImportError as err:
        missing_tool(f"einops not installed: {err}")


def jupyter_kernel_or_skip():
    """nbclient, nbformat and a "python3" Jupyter kernel, required under CI=true."""
    try:
        import nbformat  # noqa: F401
        from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
        from nbclient import NotebookClient  # noqa: F401
    except ImportError as err:
        missing_tool(f"nbclient/nbformat not installed: {err}")
    try:
        KernelSpecManager().get_kernel_spec("python3")
    except NoSuchKernel:
        missing_tool("no Jupyter kernel named python3 (install ipykernel)")



class Cube(ag.Function):
    """x ** 3 as a Function of its own with a hand-written backward (recorded under create_graph, so it differentiates
    twice): the tests' custom primitive."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 3

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return 3 * x ** 2 * grad_output

def assert_same_tree(actual, expected):
    """actual equals expected: the same nesting of dicts (keys of the same types, in order) and tuples or
    lists, of the same types, with equal arrays at the leaves."""
    assert type(actual) is type(expected), (type(actual), type(expected))
    if isinstance(expected, dict):
        assert [(type(k), k) for k in actual] == [(type(k), k) for k in expected]
        for key in expected:
            assert_same_tree(actual[key], expected[key])
    elif isinstance(expected, (tuple, list)):
        assert len(actual) == len(expected)
        for a, e in zip(actual, expected):
            assert_same_tree(a, e)
    else:
        np.testing.assert_array_equal(actual, expected)


def calls_made(fn):
    """The number of function calls, Python's and builtins', that fn() makes (sys.setprofile events): unlike
    times, the same from run to run, so a test can tell linear from quadratic growth with sizes a few times apart."""
    count = 0

    def profile(frame, event, arg):
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    sys.setprofile(profile)
    try:
        fn()
    finally:
        sys.setprofile(None)
    return count


def backward_refused(y):
    """Does y.backward() refuse because a value its graph saved was changed in place (ours or PyTorch's words)?
    Any other error propagates."""
    try:
        y.backward()
    except RuntimeError as err:
        assert "was changed in place" in str(err) or "modified by an inplace operation" in str(err), err
        return True
    return False


class OneWeightModel:
    """What fit's scripted models share: one weight w, x @ w while training; in eval mode what the subclass's
    scripted(x, k) gives for the k-th evaluation, the weights each evaluation saw recorded. Its state_dict hands out
    the live array, as the fit docstring's Line does: fit must keep a copy of the best weights."""

    def __init__(self, w):
        self.w = ag.tensor(w, requires_grad=True)
        self.training, self.weights_seen = True, []

    def __call__(self, x):
        if self.training:
            return x @ self.w
        self.weights_seen.append(self.w.data.copy())  # w after this epoch's training
        return self.scripted(x, len(self.weights_seen) - 1)

    def parameters(self):
        return [self.w]

    def state_dict(self):
        return {"w": self.w.data}

    def load_state_dict(self, state):
        self.w.data[...] = state["w"]

    def train(self):
        self.training = True
        return self

    def eval(self):
        self.training = False
        return self


def moons(n=96, seed=0):
    """fit's tests' small data set: two interleaved half-moons, noise 0.1, seeded (nn.datasets.make_moons)."""
    return make_moons(n, noise=0.1, rng=seed)


def moons_loader(seed=0):
    """moons() in shuffled batches of 16, the shuffle seeded."""
    return DataLoader(TensorDataset(*moons()), batch_size=16, shuffle=True, rng=np.random.default_rng(seed))


class FakeTerminal(io.StringIO):
    """A stderr that says it is a terminal, where fit shows its progress bar."""

    def isatty(self):
        return True


class WatchedPlateau(ReduceLROnPlateau):
    """ReduceLROnPlateau noting the metrics it is stepped with."""

    def __init__(self, optimizer, **settings):
        super().__init__(optimizer, **settings)
        self.seen = []

    def step(self, metrics):
        self.seen.append(metrics)
        super().step(metrics)


def assert_module_matches_torch(torch, ours, theirs, results, wanted, mine, yours, rng):
    """Our module's results equal torch's (float64, to rounding), and so do the gradients, for one random cotangent,
    of the inputs (mine against yours) and of every parameter, by name."""
    for got, want in zip(results, wanted):
        assert got.shape == tuple(want.shape)
        np.testing.assert_allclose(got.data, want.detach().numpy(), rtol=1e-12, atol=1e-14)
    cotangents = [rng.standard_normal(r.shape) for r in results]
    sum((r * c).sum() for r, c in zip(results, cotangents)).backward()
    sum((w * torch.tensor(c)).sum() for w, c in zip(wanted, cotangents)).backward()
    for got, want in zip(mine, yours):
        np.testing.assert_allclose(got.grad.data, want.grad.numpy(), rtol=1e-10, atol=1e-12)
    their_params = dict(theirs.named_parameters())
    for name, p in ours.named_parameters():
        np.testing.assert_allclose(p.grad.data, their_params[name].grad.numpy(), rtol=1e-10, atol=1e-12,
                                   err_msg=name)


def copy_to_torch(torch, ours, theirs):
    """Our module's state dict loaded into PyTorch's module theirs."""
    theirs.load_state_dict({k: torch.tensor(v) for k, v in ours.state_dict().items()})


def assert_steps_match_torch(torch, ours, theirs, shapes, dtype, tol, rng):
    """Train-mode steps over inputs of shapes, then an eval step: outputs, input and parameter gradients, and the
    state dicts (running statistics, counts) equal PyTorch's."""
    copy_to_torch(torch, ours, theirs)
    assert repr(ours) == repr(theirs)
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    assert [n for n, _ in ours.named_buffers()] == [n for n, _ in theirs.named_buffers()]
    for step, shape in enumerate(shapes):
        if step == len(shapes) - 1:
            ours.eval()
            theirs.eval()
        x, g = (rng.normal(1.0, 2.0, size=shape).astype(dtype) for _ in range(2))
        xt, X = torch.tensor(x, requires_grad=True), ag.tensor(x, requires_grad=True)
        ours.zero_grad()
        theirs.zero_grad()
        out, expected = ours(X), theirs(xt)
        out.backward(g)
        expected.backward(torch.tensor(g))
        np.testing.assert_allclose(out.data, expected.detach().numpy(), rtol=tol, atol=tol, err_msg=f"step {step}")
        np.testing.assert_allclose(X.grad.data, xt.grad.numpy(), rtol=tol, atol=tol, err_msg=f"step {step}")
        for (name, p), q in zip(ours.named_parameters(), theirs.parameters()):
            np.testing.assert_allclose(p.grad.data, q.grad.numpy(), rtol=tol, atol=tol, err_msg=name)
        state, expected_state = ours.state_dict(), theirs.state_dict()
        assert list(state) == list(expected_state)
        for key, value in expected_state.items():
            assert state[key].dtype == value.numpy().dtype, key
            np.testing.assert_allclose(state[key], value.numpy(), rtol=tol, atol=tol, err_msg=f"{key} step {step}")


def assert_function_matches_torch(ours, theirs, arrays, dtype, tol_factor=16):
    """ours(*Tensors) and theirs(*torch tensors) on arrays cast to dtype give the same dtype, shape and values, and
    the same gradients for a fixed cotangent, to tol_factor machine epsilons (relative and absolute)."""
    torch = pytest.importorskip("torch")
    arrays = [np.asarray(a, dtype=dtype) for a in arrays]
    xs = [ag.tensor(a, requires_grad=True) for a in arrays]
    ts = [torch.tensor(a, requires_grad=True) for a in arrays]
    y, t = ours(*xs), theirs(*ts)
    cotangent = np.linspace(-1.0, 2.0, y.size).reshape(y.shape).astype(dtype)
    y.backward(cotangent)
    t.backward(torch.tensor(cotangent))
    tol = tol_factor * np.finfo(dtype).eps
    assert y.dtype == dtype and y.shape == tuple(t.shape)
    np.testing.assert_allclose(y.data, t.detach().numpy(), rtol=tol, atol=tol)
    for x, tt in zip(xs, ts):
        np.testing.assert_allclose(x.grad.data, tt.grad.numpy(), rtol=tol, atol=tol)


@contextlib.contextmanager
def torch_scalar_kernel_worker(script):
    """A process running script, which prints "DEFAULT" (PyTorch's CPU capability) and then answers each JSON case
    read from a line of stdin with one JSON line, with PyTorch on its scalar CPU kernels (ATEN_CPU_CAPABILITY=default:
    no fused multiply-add, so optimizer trajectories can equal ours bit for bit); yields ask(case) -> answer. One
    process for many cases: PyTorch takes seconds to import."""
    pytest.importorskip("torch")
    worker = subprocess.Popen([sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                              env={**os.environ, "ATEN_CPU_CAPABILITY": "default"})
    try:
        assert json.loads(worker.stdout.readline()) == "DEFAULT"

        def ask(case):
            worker.stdin.write(json.dumps(case) + "\n")
            worker.stdin.flush()
            return json.loads(worker.stdout.readline())
        yield ask
    finally:
        worker.stdin.close()
        worker.wait(timeout=30)


def layer_results(module, inputs, torch=None):
    """(output, the inputs' gradients, {parameter name: its gradient}) of a layer, ours (or PyTorch's, torch given),
    on the arrays inputs (the float ones require grad), after a backward pass from its output (the first, if it
    gives several) with the cotangent 1, 2, 3, ...: a layer of size 0 compared with PyTorch's, or with values
    written out. A gradient that is None stays None; the rest are arrays."""
    if torch is None:
        xs = [ag.tensor(x, requires_grad=True) if x.dtype.kind == "f" else x for x in inputs]
    else:
        xs = [torch.tensor(x, requires_grad=x.dtype.kind == "f") for x in inputs]
    module.zero_grad()  # (the gradients of this pass only)
    y = module(*xs)
    y = y[0] if isinstance(y, tuple) else y
    if torch is None:
        y.backward(np.arange(1, y.size + 1).reshape(y.shape).astype(y.dtype))
        grads = [x.grad.data for x in xs if isinstance(x, ag.Tensor)]
        output = y.data
    else:
        y.backward(torch.arange(1, y.numel() + 1, dtype=y.dtype).reshape(y.shape))
        grads = [x.grad.numpy() for x in xs if x.requires_grad]
        output = y.detach().numpy()
    return output, grads, {name: None if p.grad is None else np.asarray(p.grad.data if torch is None else p.grad)
                           for name, p in module.named_parameters()}


def assert_same_layer_results(got, wanted, rtol=1e-5, atol=1e-6):
    """layer_results of two layers agree: the shapes of the output and of every gradient, and their values."""
    (output, grads, params), (want_output, want_grads, want_params) = got, wanted
    assert output.shape == want_output.shape
    np.testing.assert_allclose(output, want_output, rtol=rtol, atol=atol)
    assert [g.shape for g in grads] == [g.shape for g in want_grads]
    for g, w in zip(grads, want_grads):
        np.testing.assert_allclose(g, w, rtol=rtol, atol=atol)
    assert list(params) == list(want_params)
    for name, g in params.items():
        w = want_params[name]
        assert (g is None) == (w is None), name
        if g is not None:
            assert g.shape == w.shape, name
            np.testing.assert_allclose(g, w, rtol=rtol, atol=atol, err_msg=name)


def torch_older_than(torch, version):
    """Whether the installed PyTorch's release (its version less a local part such as '+cpu': '2.13.0+cpu' gives
    (2, 13)) is before version, a 'major.minor' string: for a comparison that holds for some PyTorch versions only
    (where its behaviour changed between releases)."""
    def release(text):
        return tuple(int(part) for part in text.split("+")[0].split(".")[:2])
    return release(torch.__version__) < release(version)
