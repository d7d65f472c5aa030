"""nn benchmarks: a digits epoch (64-64-10, batch 32), 30 epochs of digits, and the
784-512-256-10 step through nn.Linear, nn.CrossEntropyLoss and nn.optim.SGD."""
import time

import numpy as np

import autograd_core as ag
import nn
from nn.datasets import load_digits
from common import interleaved, optional, report

torch = optional("torch")


def _numpy_params(sizes, rng):
    """[W, b] per layer in PyTorch's layout (W: out x in) and default initialisation, float32."""
    params = []
    for i, o in zip(sizes[:-1], sizes[1:]):
        bound = 1 / np.sqrt(i)
        params.append([rng.uniform(-bound, bound, (o, i)).astype(np.float32),
                       rng.uniform(-bound, bound, o).astype(np.float32)])
    return params


def _numpy_mlp(sizes, rng):
    """A hand-written NumPy MLP with PyTorch's layout (W: out x in) and SGD: the baseline."""
    params = _numpy_params(sizes, rng)

    def step(X, y, lr):
        hs, h = [X], X
        for k, (W, b) in enumerate(params):
            a = h @ W.T + b
            h = np.maximum(a, 0) if k < len(params) - 1 else a
            hs.append(h)
        z = hs[-1] - hs[-1].max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        g = p
        g[np.arange(len(y)), y] -= 1
        g /= len(y)
        for k in range(len(params) - 1, -1, -1):
            W, b = params[k]
            gW, gb = g.T @ hs[k], g.sum(axis=0)
            if k:
                g = (g @ W) * (hs[k] > 0)
            W -= lr * gW
            b -= lr * gb
    step.weights = [array for layer in params for array in layer]  # (the arrays the steps change in place: for tests)
    return step


def _numpy_as_nn(sizes, rng):
    """The NumPy calls nn's step makes (forward, each gradient rule, SGD), without the engine: the
    floor of nn's design. Its gap to "numpy by hand" is the extra arithmetic nn does (the loss
    value, the stable shift's check, the target check, the log-probabilities kept whole); nn's gap
    to it is Python."""
    params = _numpy_params(sizes, rng)

    def step(X, y, lr):
        hs, pre, h = [X], [], X
        for k, (W, b) in enumerate(params):
            a = np.matmul(h, W.T)
            a += b
            pre.append(a)
            h = np.maximum(a, 0) if k < len(params) - 1 else a
            hs.append(h)
        n, z = len(y), hs[-1]
        np.maximum.reduce(y.view(np.uint64))  # cross_entropy's target check
        shift = np.maximum.reduce(z, 1, keepdims=True, initial=-np.inf)
        np.add.reduce(shift, axis=None)  # log_softmax's finiteness check
        shifted = z - shift
        total = np.add.reduce(np.exp(shifted), 1, keepdims=True, dtype=np.float32)
        logp = shifted - np.log(total).astype(np.float32, copy=False)
        rows = np.arange(n)
        np.add.reduce(-logp[rows, y]) / n  # nll_loss: the loss value
        grad = np.exp(logp)  # cross_entropy's rule: softmax - onehot, over n
        grad[np.arange(n), y] -= 1
        grad *= np.array(1, np.float32) / n
        for k in range(len(params) - 1, -1, -1):
            W, b = params[k]
            gW, gb = grad.swapaxes(-1, -2) @ hs[k], np.add.reduce(grad, 0)
            if k:
                grad = (grad @ W) * (pre[k - 1] > 0)
            W -= lr * gW
            b -= lr * gb
    step.weights = [array for layer in params for array in layer]  # (the arrays the steps change in place: for tests)
    return step


def _numpy_lower_bound(sizes, rng):
    """The fastest NumPy step I can write that does what `loss_fn(model(X), y).backward(); opt.step()`
    must: the hand-written step, fused and in place, plus the two things the hand step skips: the
    loss value (a call returns it) and the check that every class target is in range. Its gap to
    "numpy by hand" is what is left for an engine's own work (nodes, rules, modules, the optimizer
    loop) under the 1.15x target."""
    params = _numpy_params(sizes, rng)

    def step(X, y, lr):
        n, hs, h = len(y), [X], X
        for k, (W, b) in enumerate(params):
            h = np.matmul(h, W.T)
            h += b
            if k < len(params) - 1:
                np.maximum(h, 0, out=h)
            hs.append(h)
        if np.minimum.reduce(y) < 0 or np.maximum.reduce(y) >= hs[-1].shape[1]:
            raise IndexError("class target out of range")
        shifted = hs[-1] - np.maximum.reduce(hs[-1], 1, keepdims=True)
        g = np.exp(shifted)
        total = np.add.reduce(g, 1, keepdims=True)
        rows = np.arange(n)
        (np.add.reduce(np.log(total), None) - np.add.reduce(shifted[rows, y], None)) / n  # the loss value
        g /= total
        g[rows, y] -= 1
        g *= 1 / n
        for k in range(len(params) - 1, -1, -1):
            W, b = params[k]
            gW, gb = g.T @ hs[k], np.add.reduce(g, 0)
            if k:
                g = g @ W
                g *= hs[k] > 0
            gW *= lr
            W -= gW
            gb *= lr
            b -= gb
    step.weights = [array for layer in params for array in layer]  # (the arrays the steps change in place: for tests)
    return step


def _nn_mlp(sizes, rng):
    model = nn.MLP(list(sizes), rng=rng)
    loss_fn = nn.CrossEntropyLoss()
    opt = nn.optim.SGD(model.parameters(), lr=0.01)

    def step(X, y, lr):
        opt.zero_grad()
        loss = loss_fn(model(X), y)
        loss.backward()
        opt.step()
    step.weights = [p.data for p in model.parameters()]  # (the arrays the steps change in place: for tests)
    return step


def _nn_train_step(sizes, rng):
    """The same step through nn.TrainStep: compiled from the second batch of each shape on. (lr: the optimizer's,
    0.01, as _nn_mlp's; every caller passes that.)"""
    model = nn.MLP(list(sizes), rng=rng)
    train_step = nn.TrainStep(model, nn.CrossEntropyLoss(), nn.optim.SGD(model.parameters(), lr=0.01))

    def step(X, y, lr):
        train_step(X, y)
    step.weights = [p.data for p in model.parameters()]  # (the arrays the steps change in place: for tests)
    return step


def _digits():
    X, y = load_digits()
    return (X / 16.0).astype(np.float32), y


def _epoch(step, X, y, batch):
    def run():
        for start in range(0, len(X), batch):
            step(X[start:start + batch], y[start:start + batch], 0.01)
    return run


def digits_epoch(batch=32):
    from bench_captured import _captured  # (it builds on _numpy_params above)
    X, y = _digits()
    rng = np.random.default_rng(0)
    candidates = {
        "numpy by hand": _epoch(_numpy_mlp((64, 64, 10), rng), X, y, batch),
        "nn (Linear, CE, SGD)": _epoch(_nn_mlp((64, 64, 10), rng), X, y, batch),
        "nn, TrainStep (compiled)": _epoch(_nn_train_step((64, 64, 10), rng), X, y, batch),
        "numpy, nn's own calls": _epoch(_numpy_as_nn((64, 64, 10), rng), X, y, batch),
        "numpy, lower bound": _epoch(_numpy_lower_bound((64, 64, 10), rng), X, y, batch),
        "numpy, captured: a call per op": _epoch(_captured((64, 64, 10), rng, straight_line=False), X, y, batch),
        "numpy, captured: generated code": _epoch(_captured((64, 64, 10), rng, straight_line=True), X, y, batch),
    }
    if torch is not None:
        candidates["pytorch"] = _epoch(_torch_mlp((64, 64, 10)), X, y, batch)
    per_epoch = interleaved(candidates, rounds=31)
    report("Digits 64-64-10 MLP, one epoch of batch 32", per_epoch, "epoch",
           baseline="numpy by hand", target="<= 1.15x the hand-written NumPy epoch")
    return per_epoch


def mlp_step_nn(batch=256, steps=5):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((batch, 784)).astype(np.float32)
    y = rng.integers(0, 10, batch)
    sizes = (784, 512, 256, 10)

    def repeat(step):
        def run():
            for _ in range(steps):
                step(X, y, 0.01)
        return run
    candidates = {"numpy by hand": repeat(_numpy_mlp(sizes, rng)), "nn (Linear, CE, SGD)": repeat(_nn_mlp(sizes, rng)),
                  "nn, TrainStep (compiled)": repeat(_nn_train_step(sizes, rng))}
    if torch is not None:
        candidates["pytorch"] = repeat(_torch_mlp(sizes))
    per_step = {k: v / steps for k, v in interleaved(candidates, rounds=15).items()}
    report("784-512-256-10 training step through nn, batch 256, float32", per_step, "step",
           baseline="numpy by hand", target="<= 1.15x the hand-written NumPy step")
    return per_step


def digits_30_epochs():
    """The nn issue's accuracy run, timed: 64-64-10 ReLU MLP, Adam, 30 epochs of batch 32."""
    X, y = _digits()
    rng = np.random.default_rng(0)
    order = rng.permutation(len(X))
    cut = int(0.8 * len(X))
    train, test = order[:cut], order[cut:]
    model = nn.MLP([64, 64, 10], rng=rng)
    start = time.perf_counter()
    nn.fit(model, nn.CrossEntropyLoss(), nn.optim.Adam(model.parameters(), lr=1e-3),
           (X[train], y[train]), epochs=30, batch_size=32, progress=False, rng=rng)
    seconds = time.perf_counter() - start
    with ag.no_grad():
        model.eval()
        accuracy = float((model(X[test]).data.argmax(axis=1) == y[test]).mean())
    print(f"\nDigits, 64-64-10 ReLU MLP, Adam, 30 epochs of batch 32 with nn.fit: {seconds:.2f} s, "
          f"test accuracy {accuracy:.3f}\n  target: <= 2 s (PyTorch about 1 s on the reference machine), >= 0.97")
    return seconds, accuracy


def _torch_mlp(sizes):
    layers = []
    for k, (i, o) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(torch.nn.Linear(i, o))
        if k < len(sizes) - 2:
            layers.append(torch.nn.ReLU())
    model = torch.nn.Sequential(*layers)
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    loss_fn = torch.nn.CrossEntropyLoss()

    def step(X, y, lr):
        opt.zero_grad()
        loss_fn(model(torch.from_numpy(X)), torch.from_numpy(y)).backward()
        opt.step()
    return step


BENCHMARKS = {"digits-epoch": digits_epoch, "nn-step": mlp_step_nn, "digits-30": digits_30_epochs}
