"""Engine benchmarks: scalar chain, small-array chain, an MLP training step, a million-node chain."""
import os
import subprocess
import sys

import numpy as np

import autograd_core as ag
from common import in_own_process, interleaved, optional, report

torch = optional("torch")
micrograd = optional("micrograd.engine")


# ---- 1. scalar chain: y = relu(y * 1.0001 + 0.1), forward + backward ---------------------
# Each candidate runs in a process of its own: the chain keeps 60,000 nodes alive, and where they are
# Python objects (ours, micrograd's) the collector's full scans also visit every other object in the
# process, PyTorch's 160,000 among them. Ours is also timed here, beside PyTorch's objects, to show it.
def _chain_body(steps, start, step, backward="y.backward()"):
    return f"x = {start}\ny = x\nfor _ in range({steps}):\n    y = {step}\n{backward}\n"


def scalar_chain(steps=20_000):
    def ours_here():
        x = ag.tensor(0.5, requires_grad=True)
        y = x
        for _ in range(steps):
            y = ag.relu(y * 1.0001 + 0.1)
        y.backward()

    candidates = {
        "autograd_core": in_own_process(
            "import autograd_core as ag",
            _chain_body(steps, "ag.tensor(0.5, requires_grad=True)", "ag.relu(y * 1.0001 + 0.1)")),
        "numpy ufuncs (forward only)": in_own_process(
            "import numpy as np",
            _chain_body(steps, "np.array(0.5)", "np.maximum(np.add(np.multiply(np.array(y), 1.0001), 0.1), 0)",
                        backward="")),
    }
    if torch is not None:
        candidates["pytorch"] = in_own_process(
            "import torch",
            _chain_body(steps, "torch.tensor(0.5, dtype=torch.float64, requires_grad=True)",
                        "torch.relu(y * 1.0001 + 0.1)"))
        candidates["autograd_core, torch loaded"] = ours_here
    if micrograd is not None:
        # micrograd's recursive topological sort needs a deeper stack for 60,000 nodes.
        candidates["micrograd"] = in_own_process(
            "import sys\nsys.setrecursionlimit(200_000)\nfrom micrograd.engine import Value",
            _chain_body(steps, "Value(0.5)", "(y * 1.0001 + 0.1).relu()"))
    per_op = {k: v / (3 * steps) for k, v in interleaved(candidates).items()}
    report(f"Scalar chain relu(y*1.0001 + 0.1), {steps} steps, forward+backward, each in its own process",
           per_op, "op", baseline="pytorch" if torch else None,
           target="<= 4 µs/op on the reference machine, under half of PyTorch's")
    return per_op


# ---- 2. chain of 200 operations on 16-element arrays --------------------------------------
def small_array_chain(ops=200, reps=20):
    rng = np.random.default_rng(0)
    start = rng.standard_normal(16)

    def chain_in(library):  # (ag and torch spell tensor and tanh alike)
        def run():
            for _ in range(reps):
                x = library.tensor(start, requires_grad=True)
                y = x
                for _ in range(ops // 4):
                    y = library.tanh(y * 0.9 + 0.1) * y
                    y = y - 0.01
                y.sum().backward()
        return run

    candidates = {"autograd_core": chain_in(ag)}
    if torch is not None:
        candidates["pytorch"] = chain_in(torch)
    per_op = {k: v / (reps * ops) for k, v in interleaved(candidates).items()}
    report(f"Chain of {ops} operations on 16-element arrays, forward+backward", per_op, "op",
           baseline="pytorch" if torch else None, target="<= PyTorch's time per operation")
    return per_op


# ---- 3. one training step of a 784-512-256-10 ReLU MLP, softmax cross-entropy ---------------
def mlp_step(batch=256, sizes=(784, 512, 256, 10), lr=0.01, steps=5):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((batch, sizes[0])).astype(np.float32)
    y = rng.integers(0, sizes[-1], batch)
    shapes = list(zip(sizes[:-1], sizes[1:]))
    init = [(rng.standard_normal((i, o)).astype(np.float32) * np.float32(np.sqrt(2 / i)),
             np.zeros(o, np.float32)) for i, o in shapes]

    def numpy_step_fn():
        params = [(W.copy(), b.copy()) for W, b in init]

        def step():
            # Algorithm 6.3 (forward) and 6.4 (backward), written by hand.
            hs, h = [X], X
            for k, (W, b) in enumerate(params):
                a = h @ W + b
                h = np.maximum(a, 0) if k < len(params) - 1 else a
                hs.append(h)
            z = hs[-1]
            z = z - z.max(axis=1, keepdims=True)
            p = np.exp(z)
            p /= p.sum(axis=1, keepdims=True)
            g = p
            g[np.arange(batch), y] -= 1
            g /= batch
            for k in range(len(params) - 1, -1, -1):
                W, b = params[k]
                gW, gb = hs[k].T @ g, g.sum(axis=0)
                if k:
                    g = (g @ W.T) * (hs[k] > 0)
                W -= lr * gW
                b -= lr * gb
        return step

    def engine_step_fn(layer, weight_layout):
        """A training step written with engine operations; layer(h, W, b) is one affine map."""
        params = [(ag.tensor(weight_layout(W), requires_grad=True), ag.tensor(b, requires_grad=True))
                  for W, b in init]
        rows = np.arange(batch)

        def step():
            h = X  # layers take ndarrays as they come, like the NumPy baseline
            for k, (W, b) in enumerate(params):
                h = layer(h, W, b)
                if k < len(params) - 1:
                    h = ag.relu(h)
            loss = -ag.log_softmax(h, axis=1)[rows, y].mean()
            loss.backward()
            for W, b in params:
                W.data -= lr * W.grad.data
                b.data -= lr * b.grad.data
                W.grad = b.grad = None
        return step

    def repeat(step):
        def run():
            for _ in range(steps):
                step()
        return run

    candidates = {
        "numpy by hand (Alg. 6.4)": repeat(numpy_step_fn()),
        "autograd_core (@, +)": repeat(engine_step_fn(lambda h, W, b: h @ W + b, lambda W: W)),
        # ag.linear: x @ W.T + b in one node, W stored (out, in) as in PyTorch.
        "autograd_core (ag.linear)": repeat(engine_step_fn(ag.linear, lambda W: W.T.copy())),
    }
    if torch is not None:
        torch.set_num_threads(os.cpu_count() or 1)
        tparams = [(torch.tensor(W, requires_grad=True), torch.tensor(b, requires_grad=True)) for W, b in init]
        tX, ty = torch.tensor(X), torch.tensor(y)

        def torch_step():
            h = tX
            for k, (W, b) in enumerate(tparams):
                h = h @ W + b
                if k < len(tparams) - 1:
                    h = torch.relu(h)
            loss = torch.nn.functional.cross_entropy(h, ty)
            loss.backward()
            with torch.no_grad():
                for W, b in tparams:
                    W -= lr * W.grad
                    b -= lr * b.grad
                    W.grad = b.grad = None
        candidates["pytorch"] = repeat(torch_step)
    per_step = {k: v / steps for k, v in interleaved(candidates, rounds=15).items()}
    report(f"MLP {'-'.join(map(str, sizes))} training step, batch {batch}, float32", per_step, "step",
           baseline="numpy by hand (Alg. 6.4)", target="<= 1.10x the hand-written NumPy step")
    return per_step


# ---- 4. a chain of 1,000,000 scalar additions: peak memory, in fresh processes -------------
_MILLION = {
    "autograd_core": (
        "import autograd_core as ag\n"
        "x = ag.tensor(1.0, requires_grad=True); y = x\n"
        "for _ in range(1_000_000): y = y + 1.0\n"
        "y.backward(); assert float(x.grad) == 1.0\n"
    ),
    "pytorch": (
        "import torch\n"
        "x = torch.tensor(1.0, dtype=torch.float64, requires_grad=True); y = x\n"
        "for _ in range(1_000_000): y = y + 1.0\n"
        "y.backward(); assert float(x.grad) == 1.0\n"
    ),
}


# The child's own peak: Linux's VmHWM. (ru_maxrss is no good here: a child started by vfork and exec keeps
# the parent's peak as its own, and this process, which has imported PyTorch, can be bigger than the chain.)
_PRINT_PEAK = """
import resource, sys
try:
    with open("/proc/self/status") as status:
        peak_kib = int(next(line for line in status if line.startswith("VmHWM:")).split()[1])
except OSError:  # not Linux: ru_maxrss (bytes on macOS), which may include the parent's peak
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // (1024 if sys.platform == "darwin" else 1)
print(sys.getrecursionlimit(), peak_kib // 1024)
"""


def million_chain():
    print("\nChain of 1,000,000 scalar additions: backward under the default recursion limit")
    for name, code in _MILLION.items():
        if name == "pytorch" and torch is None:
            continue
        probe = code + _PRINT_PEAK
        done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
        if done.returncode:
            print(f"  {name:28s} FAILED: {done.stderr.strip().splitlines()[-1]}")
            continue
        limit, peak = done.stdout.split()
        print(f"  {name:28s} peak RSS {int(peak):6d} MiB (recursion limit {limit})")
    print("  target: completes, with peak memory below PyTorch's")
