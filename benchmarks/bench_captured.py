"""What a captured step could reach: the fused, in-place NumPy program of a training step (the lower bound's
arithmetic, every result in a buffer allocated once per batch size), executed two ways:

- one Python call per operation, as a replay of recorded operations runs (a list of closures);
- one generated straight-line function, as a compiler that emits source code specialised to the shapes runs.

Both need what no eager engine has (the whole step known before it runs, the cross-entropy's rules fused into
softmax minus one-hot); they measure how far from the hand-written step such designs would be. A third candidate,
`_replayed`, replays nn's own recorded graph (the engine's forwards and rules, unfused, allocating as they do): what
capturing the step without fusing it would give."""
import numpy as np

import autograd_core as ag
import nn
from autograd_core.primitive import unbroadcast
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



def _replayed(sizes, rng, straight_line=False):
    """nn's own step recorded once per batch size, then replayed: each node's forward and each edge's gradient rule
    (the engine's own functions, unfused) called in order on the new batch's arrays, with no Tensors, no ordering of
    the graph, no checks and no optimizer loop (SGD by NumPy). What a replay built on the engine's primitives costs,
    before any fusion or buffer reuse: run by a loop over the recorded calls, or (straight_line) as generated code,
    one statement per call, as a tracing compiler would emit it."""
    model = nn.MLP(list(sizes), rng=rng)
    loss_fn = nn.CrossEntropyLoss()
    weights = list(model.parameters())
    programs = {}

    def record(X, y):
        loss = loss_fn(model(X), y)
        nodes = [node for node in ag.topological_order(loss) if node._op is not None]
        # values[k]: the nodes' values, then the weights', then X and y; a constant input is appended after them
        position = {id(v): k for k, v in enumerate(nodes + weights)}
        position[id(X)], position[id(y)] = len(position), len(position) + 1
        constants = []

        def where(value):
            if id(value) not in position:
                position[id(value)] = len(nodes) + len(weights) + 2 + len(constants)
                constants.append(value)
            return position[id(value)]
        steps = []
        for k, node in enumerate(nodes):
            inputs = list(node._inputs)
            for parent, i in zip(node._parents, node._slots):
                inputs[i] = parent
            steps.append((k, node._op, [where(v) for v in inputs],
                          {name: where(v) for name, v in node._params.items() if isinstance(v, np.ndarray)},
                          {name: v for name, v in node._params.items() if not isinstance(v, np.ndarray)},
                          [(position[id(p)], i, p.shape) for p, i in zip(node._parents, node._slots)]))
        program = _generated if straight_line else _looped
        return program(steps, [w._data for w in weights], constants)

    def step(X, y, lr):
        run = programs.get(len(y))
        if run is None:
            run = programs[len(y)] = record(X, y)
        run(X, y, lr)
    step.weights = [w.data for w in weights]  # (the arrays the steps change in place: for tests)
    return step


def _looped(steps, weights, constants):
    """The recorded calls run by a loop over them."""
    first_weight = len(steps)
    last = first_weight - 1
    fresh = [[name for name, value in settings.items() if isinstance(value, list)] for _, _, _, _, settings, _ in steps]

    def run(X, y, lr):
        values = [None] * first_weight + weights + [X, y] + constants
        grads = [None] * (first_weight + len(weights))
        calls = []
        for k, op, inputs, arrays, settings, edges in steps:
            params = dict(settings, **{name: values[j] for name, j in arrays.items()})
            for name in fresh[k]:  # (the cross-entropy node keeps its log-probabilities in a list setting)
                params[name] = []
            args = [values[j] for j in inputs]
            values[k] = op.forward(*args, **params)
            calls.append((k, op.vjps, args, params, edges))
        grads[last] = np.ones_like(values[last])
        for k, vjps, args, params, edges in reversed(calls):
            for j, i, shape in edges:
                g = vjps[i](grads[k], values[k], *args, **params)
                if g.shape != shape:
                    g = unbroadcast(g, shape)
                grads[j] = g if grads[j] is None else grads[j] + g
        for w, g in zip(weights, grads[first_weight:]):
            w -= lr * g
    return run


def _generated(steps, weights, constants):
    """The recorded calls as one generated function: v<k> the values (the weights', X's and y's after the nodes'),
    g<k> their gradients, each forward and rule a global of its own; a list setting (the cross-entropy node keeps its
    log-probabilities in one) is made afresh each call."""
    first_weight = len(steps)
    scope = {"np": np, "unbroadcast": unbroadcast}
    for j, value in enumerate(weights + [None, None] + constants, first_weight):
        scope[f"v{j}"] = value
    x_at, y_at = first_weight + len(weights), first_weight + len(weights) + 1
    forward, backward, reached = [f"v{x_at}, v{y_at} = X, y"], [], set()
    for k, op, inputs, arrays, settings, edges in steps:
        scope[f"forward{k}"] = op.forward
        arguments = [f"v{j}" for j in inputs]
        for name, value in settings.items():
            if isinstance(value, list):
                forward.append(f"list{k}_{name} = []")
                arguments.append(f"{name}=list{k}_{name}")
            else:
                scope[f"setting{k}_{name}"] = value
                arguments.append(f"{name}=setting{k}_{name}")
        arguments += [f"{name}=v{j}" for name, j in arrays.items()]
        forward.append(f"v{k} = forward{k}({', '.join(arguments)})")
        for j, i, shape in edges:
            scope[f"rule{k}_{i}"] = op.vjps[i]
            backward.append((k, j, i, shape, ", ".join(arguments)))
    lines = forward + [f"g{first_weight - 1} = np.ones_like(v{first_weight - 1})"]
    for k, j, i, shape, arguments in reversed(backward):
        lines += [f"g = rule{k}_{i}(g{k}, v{k}, {arguments})", f"if g.shape != {shape!r}: g = unbroadcast(g, {shape!r})"]
        lines.append(f"g{j} = g{j} + g" if j in reached else f"g{j} = g")
        reached.add(j)
    updated = range(first_weight, first_weight + len(weights))
    lines += [f"v{j} -= lr * g{j}" for j in updated]  # (the weights are globals, changed in place)
    lines.insert(0, "global " + ", ".join(f"v{j}" for j in updated))
    return _compiled(lines, scope, "<replayed step>")


def _compiled(lines, scope, label):
    """run(X, y, lr), a function whose body is lines, made in scope (its globals)."""
    source = "def run(X, y, lr):\n" + "".join(f"    {line}\n" for line in lines)
    exec(compile(source, label, "exec"), scope)
    return scope["run"]
