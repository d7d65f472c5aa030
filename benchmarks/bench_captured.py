"""What a captured step could reach: the fused, in-place NumPy program of a training step (the lower bound's
arithmetic, every result in a buffer allocated once per batch size), executed two ways:

- one Python call per operation, as a replay of recorded operations runs (a list of closures);
- one generated straight-line function, as a compiler that emits source code specialised to the shapes runs.

Both need what no eager engine has (the whole step known before it runs, the cross-entropy's rules fused into
softmax minus one-hot, buffers reused between steps); they measure how far from the hand-written step such designs
would be. nn.TrainStep is the replay the engine offers: nn's own recorded graph as generated code (the engine's
forwards and rules, unfused, allocating as they do), bit for bit the eager step's results."""
import numpy as np

from bench_nn import _numpy_params


def _program(layers):
    """The step's statements, in order, for an MLP of `layers` Linear layers (ReLU between them), over the names
    X, y, n, rows, lr, W<k>, b<k> and the buffers `_buffers` makes."""
    last = layers - 1
    lines = []
    for k in range(layers):
        h = "X" if k == 0 else f"h{k}"
        out = "z" if k == last else f"a{k + 1}"
        lines += [f"matmul({h}, W{k}.T, out={out})", f"add({out}, b{k}, out={out})"]
        if k < last:
            lines.append(f"maximum(a{k + 1}, 0, out=h{k + 1})")
    lines += [
        "if minimum.reduce(y) < 0 or maximum.reduce(y) >= z.shape[1]: raise IndexError('class target out of range')",
        "maximum.reduce(z, 1, keepdims=True, out=shift)",
        "subtract(z, shift, out=shifted)",
        "exp(shifted, out=g)",
        "add.reduce(g, 1, keepdims=True, out=total)",
        "state['loss'] = (add.reduce(log(total), None) - add.reduce(shifted[rows, y], None)) / n",
        "divide(g, total, out=g)",
        "g[rows, y] -= 1",
        "multiply(g, 1 / n, out=g)",
    ]
    for k in range(last, -1, -1):
        h = "X" if k == 0 else f"h{k}"
        g = "g" if k == last else f"g{k + 1}"
        lines += [f"matmul({g}.T, {h}, out=gW{k})", f"add.reduce({g}, 0, out=gb{k})"]
        if k:
            lines += [f"matmul({g}, W{k}, out=g{k})", f"greater(a{k}, 0, out=mask{k})",
                      f"multiply(g{k}, mask{k}, out=g{k})"]
        lines += [f"multiply(gW{k}, lr, out=gW{k})", f"subtract(W{k}, gW{k}, out=W{k})",
                  f"multiply(gb{k}, lr, out=gb{k})", f"subtract(b{k}, gb{k}, out=b{k})"]
    return lines


def _buffers(params, n):
    """Every intermediate of the step for a batch of n, allocated once."""
    empty = {}
    for k, (W, b) in enumerate(params):
        empty[f"gW{k}"], empty[f"gb{k}"] = np.empty_like(W), np.empty_like(b)
        if k < len(params) - 1:
            for name in ("a", "h", "g"):
                empty[f"{name}{k + 1}"] = np.empty((n, len(b)), np.float32)
            empty[f"mask{k + 1}"] = np.empty((n, len(b)), bool)
    classes = len(params[-1][1])
    empty.update(z=np.empty((n, classes), np.float32), shifted=np.empty((n, classes), np.float32),
                 g=np.empty((n, classes), np.float32), shift=np.empty((n, 1), np.float32),
                 total=np.empty((n, 1), np.float32), rows=np.arange(n), n=n)
    return empty


_NUMPY = {name: getattr(np, name) for name in
          ("matmul", "add", "subtract", "multiply", "divide", "maximum", "minimum", "greater", "exp", "log")}


def _captured(sizes, rng, straight_line):
    """A step running the captured program, made once per batch size (the last batch of an epoch is shorter)."""
    params = _numpy_params(sizes, rng)
    lines = _program(len(params))
    programs = {}

    def build(n):
        scope = dict(_NUMPY, state={}, **_buffers(params, n))
        for k, (W, b) in enumerate(params):
            scope[f"W{k}"], scope[f"b{k}"] = W, b
        if straight_line:
            return _compiled(lines, scope, "<captured step>")
        calls = []
        for line in lines:  # each statement a function of its own, called in turn
            exec(compile(f"def call():\n    {line}\n", "<captured operation>", "exec"), scope)
            calls.append(scope["call"])

        def run(X, y, lr):
            scope["X"], scope["y"], scope["lr"] = X, y, lr
            for call in calls:
                call()
        return run

    def step(X, y, lr):
        run = programs.get(len(y))
        if run is None:
            run = programs[len(y)] = build(len(y))
        run(X, y, lr)
    step.weights = [array for layer in params for array in layer]  # (the arrays the steps change in place: for tests)
    return step



def _compiled(lines, scope, label):
    """run(X, y, lr), a function whose body is lines, made in scope (its globals)."""
    source = "def run(X, y, lr):\n" + "".join(f"    {line}\n" for line in lines)
    exec(compile(source, label, "exec"), scope)
    return scope["run"]
