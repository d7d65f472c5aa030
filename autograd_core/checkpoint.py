"""Gradient checkpointing (torch.utils.checkpoint's non-reentrant kind): a function's graph is not kept from the
forward pass to the backward pass; one node stands for it, whose gradient rule runs the function again with
recording on and backpropagates through that fresh graph, which is dropped once the rule has run.

To know which Tensors the function reads (parameters it closes over, not only its arguments), the forward pass
records the function's graph while it runs, collects the Tensors requiring grad from outside that the graph
reaches, and drops it before returning: the graph of one checkpointed call is alive only during that call (the
same that the backward's recomputation holds), never from the forward pass to the backward pass. Those Tensors
are the node's inputs, so every kind of pass reaches them: .backward(), ag.backprop, the transforms, and
create_graph=True (the recomputation is then recorded, so the gradients are differentiable again).
"""
import contextlib
import functools

import numpy as np

from ._arguments import as_flag
from .backprop import _run, gradients_to
from .grad_mode import enable_grad, is_grad_enabled
from .primitive import PerInput, Primitive, _next_seq
from .registries import HOOKED
from .tensor import Tensor, as_value

__all__ = ["checkpoint"]


class _Checkpointed:
    """What a checkpoint node needs to run the function again: the function and its arguments, where each input
    of the node is among the arguments (none for a Tensor the function reaches otherwise), the outputs' values."""

    __slots__ = ("function", "args", "kwargs", "inputs", "places", "values", "grads", "rng_states", "recompute_context",
                 "checked")

    def __init__(self, function, args, kwargs, inputs, places, values, rng_states, recompute_context, checked):
        self.function, self.args, self.kwargs, self.values = function, args, kwargs, values
        self.inputs, self.places, self.rng_states = inputs, places, rng_states
        self.recompute_context, self.checked = recompute_context, checked  # (context_fn's; determinism_check's)
        self.grads = None  # (g, gradients for every input) of the current pass


def _rule(i, g, ans, inputs, state):
    if state.grads is None or state.grads[0] is not g:
        state.grads = (g, _recomputed_gradients(state, g, ans, inputs))
    return state.grads[1][i]


def _after_rules(params, partial, released):
    params["state"].grads = None


def _forward(*values, state):
    return state.values


_checkpoint = Primitive("checkpoint", _forward, PerInput(_rule))
_checkpoint.after_rules = _after_rules


def checkpoint(function=None, *args, use_reentrant=None, preserve_rng_state=True, context_fn=None,
               determinism_check="default", debug=False, early_stop=True, respect_saved_tensors_hooks=None, **kwargs):
    """function(*args, **kwargs) without keeping its intermediate results for the backward pass, which
    computes them again: memory for time, as torch.utils.checkpoint.checkpoint (use_reentrant=False). Gradients
    reach the arguments and every Tensor requiring grad the function reads (a module's parameters), in
    .backward(), ag.grad and the other transforms, and with create_graph=True. The function must compute the same
    values again: with preserve_rng_state the NumPy Generators of the modules it uses (dropout's) draw again what
    they drew (other randomness draws anew, which backward refuses when it finds different values); in-place
    updates inside it (a BatchNorm's running statistics) happen twice, as in PyTorch. use_reentrant (None, False
    or True) is taken for compatibility: each gives this behaviour (PyTorch's reentrant kind would refuse ag.grad).
    PyTorch's other options: context_fn, a function returning two context managers, the first entered around the
    forward call and the second around the recomputation; determinism_check "default" (the values must be the same)
    or "none" (only their shapes); debug, early_stop and respect_saved_tensors_hooks are taken and change nothing
    (the recomputation runs whole, as PyTorch's with early_stop=False). checkpoint(**options) without a function
    gives a decorator, as PyTorch's.

    >>> import numpy as np, autograd_core as ag
    >>> from autograd_core.checkpoint import checkpoint
    >>> x = ag.tensor([1.0, 2.0], requires_grad=True)
    >>> y = checkpoint(lambda t: ag.exp(t).sum(), x)
    >>> y.backward(); np.allclose(x.grad.data, np.exp([1.0, 2.0]))
    True
    """
    if use_reentrant not in (None, False, True):
        raise TypeError(f"checkpoint: use_reentrant must be None, False or True, got {use_reentrant!r}")
    if determinism_check not in ("default", "none"):
        raise ValueError(f"checkpoint: determinism_check should be one of ['default', 'none'], but got "
                         f"{determinism_check!r}")
    as_flag(debug, "checkpoint", "debug")
    as_flag(early_stop, "checkpoint", "early_stop")
    if function is None and not args:  # @checkpoint(use_reentrant=False): PyTorch's decorator form
        if kwargs:
            raise ValueError("checkpoint: unexpected keyword arguments without a function: " + ", ".join(kwargs))
        options = dict(use_reentrant=use_reentrant, preserve_rng_state=preserve_rng_state, context_fn=context_fn,
                       determinism_check=determinism_check, debug=debug, early_stop=early_stop,
                       respect_saved_tensors_hooks=respect_saved_tensors_hooks)
        return lambda f: functools.wraps(f)(functools.partial(checkpoint, f, **options))
    if not callable(function):
        raise TypeError(f"checkpoint: function must be callable, got {type(function).__name__}")
    forward_context, recompute_context = _contexts(context_fn)
    if not is_grad_enabled():  # nothing is recorded anyway
        with forward_context:
            return function(*args, **kwargs)
    rng_states = _rng_states(function, args, kwargs) if preserve_rng_state else []
    start = _next_seq()  # every node recorded from here on has a larger number: it is the function's
    with enable_grad(), forward_context:
        out = function(*args, **kwargs)
    single = isinstance(out, Tensor)
    outputs = _items(out)
    recorded = [k for k, o in enumerate(outputs) if isinstance(o, Tensor) and o.requires_grad]
    reached = _reached([outputs[k] for k in recorded], start)
    if not reached:
        return out
    values = [outputs[k]._data for k in recorded]
    joined = values[0] if len(values) == 1 else np.concatenate([v.reshape(-1) for v in values]).astype(
        np.result_type(*values))
    places = {}  # id of an argument Tensor: where it is among the arguments (one Tensor may be given twice)
    for where, given in (("arg", enumerate(args)), ("kwarg", kwargs.items())):
        for k, a in given:
            if isinstance(a, Tensor):
                places.setdefault(id(a), []).append((where, k))
    state = _Checkpointed(function, args, kwargs, reached, [places.get(id(t), ()) for t in reached], joined,
                          rng_states, recompute_context, determinism_check == "default")
    kind = type(out)  # (the function's graph goes when this call returns: nothing below keeps its nodes)
    node = _checkpoint(*reached, state=state)
    if len(values) == 1:
        parts = [node]
    else:
        ends = np.cumsum([v.size for v in values])
        parts = [node[end - v.size:end].reshape(v.shape) for v, end in zip(values, ends)]
        parts = [p if p.dtype == v.dtype else p.astype(v.dtype) for p, v in zip(parts, values)]
    if single:
        return parts[0]
    outputs = list(outputs)
    for k, part in zip(recorded, parts):
        outputs[k] = part
    if isinstance(out, dict):
        return kind(zip(out.keys(), outputs))
    return kind(outputs) if kind in (tuple, list) else kind(*outputs)  # (a named tuple)


def _contexts(context_fn):
    """The forward and recomputation context managers context_fn gives (none for None), checked."""
    if context_fn is None:
        return contextlib.nullcontext(), contextlib.nullcontext()
    if not callable(context_fn):
        raise TypeError(f"checkpoint: context_fn must be a function returning two context managers, got "
                        f"{type(context_fn).__name__}")
    contexts = context_fn()
    if not (isinstance(contexts, tuple) and len(contexts) == 2 and all(
            hasattr(c, "__enter__") and hasattr(c, "__exit__") for c in contexts)):
        raise TypeError(f"checkpoint: context_fn must return two context managers (forward, recomputation), got "
                        f"{contexts!r}")
    return contexts


def _items(out):
    """The values the function returned, where a Tensor among them may be recorded: out itself if a Tensor, the
    entries of a tuple or list, the values of a dict (as PyTorch, which takes any output); none for other values."""
    if isinstance(out, Tensor):
        return (out,)
    if isinstance(out, (tuple, list)):
        return out
    return tuple(out.values()) if isinstance(out, dict) else ()


def _reached(outputs, start):
    """The Tensors requiring grad recorded before start (the arguments, the parameters...) that the graph of
    outputs, recorded after, reads: each once, in the order first met."""
    found, seen, stack = {}, set(), list(outputs)
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if node._op is None or node._seq <= start:
            found[id(node)] = node
        else:
            stack.extend(node._parents)
    return list(found.values())


def _recomputed_gradients(state, g, ans, inputs):
    """The gradients of the node's inputs: the function run again, recording, and backpropagated from g."""
    recording = isinstance(ans, Tensor)  # create_graph: inputs are the parents, the pass is recorded
    if recording:
        stand_ins = list(inputs)
    else:  # fresh leaves for the arguments: the pass stops there (not into the graph behind them)
        stand_ins = [Tensor(value, requires_grad=True) if places else t
                     for value, places, t in zip(inputs, state.places, state.inputs)]
    args, kwargs = list(state.args), dict(state.kwargs)
    for places, t in zip(state.places, stand_ins):
        for where, k in places:
            if where == "arg":
                args[k] = t
            else:
                kwargs[k] = t
    hidden = [t for t in stand_ins if t in HOOKED]  # their hooks run in the enclosing pass, once
    with enable_grad(), state.recompute_context:
        out = _replayed(state.rng_states, state.function, args, kwargs)
        outputs = _items(out)
        recorded = [o for o in outputs if isinstance(o, Tensor) and o.requires_grad]
        again = [o._data for o in recorded]
        joined = None if not again else again[0] if len(again) == 1 else np.concatenate([v.reshape(-1) for v in again])
        if joined is None or joined.shape != state.values.shape or state.checked and not np.array_equal(
                joined, state.values, equal_nan=True):
            raise RuntimeError(
                "checkpoint: the function computed different values when run again for the backward pass (outputs "
                f"of shapes {[o.shape for o in recorded]}); it must be deterministic, else its gradients would be "
                "wrong: a random layer's NumPy Generator is replayed (preserve_rng_state=True) only when the "
                "function is a module, holds modules or Generators, reads them as globals or gets them as "
                "arguments; keep other randomness, and state it changes, out of it")
        total = recorded[0] if len(recorded) == 1 else _joined(recorded)
        for t in hidden:
            HOOKED.discard(t)
        try:
            if recording or any(t._op is not None for t in stand_ins):  # (Tensors of the caller's graph among them)
                grads = gradients_to(total, stand_ins, g, retain_graph=True, create_graph=recording,
                                     where="checkpoint")
            else:  # leaves only: the pass may free the recomputed graph and its gradients as it goes, as backward
                del out, outputs, recorded
                table = _run((total,), (g,), False, False, keep_all=False, wanted=stand_ins, where="checkpoint")
                grads = [table.get(t) for t in stand_ins]
        finally:
            for t in hidden:
                HOOKED.add(t)
    return [None if grad is None else grad if recording else as_value(grad) for grad in grads]


def _joined(tensors):
    from .ops.shape import concatenate

    return concatenate([t.reshape(-1) for t in tensors])


def _rng_states(function, args, kwargs):
    """[(generator, its state)] for the NumPy Generators the function may draw from, to replay in the backward
    pass as PyTorch's preserve_rng_state does its RNG's: those of the modules (anything with .modules(), as nn's)
    that the function is, is bound to, closes over, reads as globals or gets (in lists and tuples too), and
    Generators given so."""
    found, seen = {}, set()
    stack = [function, getattr(function, "__self__", None), getattr(function, "func", None), *args, *kwargs.values()]
    for cell in getattr(function, "__closure__", None) or ():
        try:
            stack.append(cell.cell_contents)
        except ValueError:  # an empty cell
            pass
    stack.extend(_globals_read(function))
    while stack:
        obj = stack.pop()
        if id(obj) in seen or obj is None:
            continue
        seen.add(id(obj))
        if isinstance(obj, np.random.Generator):
            found[id(obj)] = obj
        elif isinstance(obj, (list, tuple)):
            stack.extend(obj)
        elif callable(getattr(obj, "modules", None)) and hasattr(obj, "__dict__"):
            for module in obj.modules():
                stack.extend(v for v in vars(module).values() if isinstance(v, (np.random.Generator, list, tuple)))
    return [(g, g.bit_generator.state) for g in found.values()]


def _globals_read(function):
    """The modules and Generators among the global names that function's code (and the code of the functions and
    lambdas written inside it) reads: a model defined at the top of a script and used in the function."""
    code, names = getattr(function, "__code__", None), getattr(function, "__globals__", None)
    if code is None or not isinstance(names, dict):
        return []
    read, codes = set(), [code]
    while codes:
        c = codes.pop()
        read.update(c.co_names)
        codes.extend(k for k in c.co_consts if hasattr(k, "co_names"))
    values = (names[n] for n in read if n in names)
    return [v for v in values if isinstance(v, np.random.Generator) or (
        callable(getattr(v, "modules", None)) and hasattr(v, "__dict__") and not isinstance(v, type))]


def _replayed(rng_states, function, args, kwargs):
    """function(*args, **kwargs) with the generators drawing what they drew in the forward pass, and left
    where they were."""
    now = [(g, g.bit_generator.state) for g, _ in rng_states]
    try:
        for g, state in rng_states:
            g.bit_generator.state = state
        return function(*args, **kwargs)
    finally:
        for g, state in now:
            g.bit_generator.state = state
