"""A recorded graph as straight-line Python: the forward of each node and the rule of each edge, one statement each,
in the order Algorithm 6.2 runs them, over plain arrays. Running the statements on a new batch computes what a new
forward and `backward()` would, bit for bit (the same functions on the same kinds of values, in the same order, or
the core a function names for the recorded types, shapes and dtypes: primitive.specializes), with none of the work an
eager pass does to find that order and keep its records: no Tensors, no topological sort, no grad_table, no checks of
versions. nn.TrainStep compiles a training step from it.

What the code cannot see is the Python that built the graph: a branch on a value, a random draw, a module's
attribute. Its caller decides when replaying is sound, and keys the code on the input shapes and dtypes (the only
things, besides those, that the rules' shapes and dtypes depend on: NumPy's result shapes and dtypes follow from its
operands' shapes and dtypes, so a dry run of the rules on the recorded values decides once where a gradient is summed
down to its input's shape or cast to its dtype, and the specializers which core each forward and rule comes to).
"""
import numpy as np

from .grad_mode import ANOMALY
from .primitive import SPECIALIZED, PerInput, sum_rows, summing_ones, unbroadcast
from .registries import DUAL_LEVELS, HOOKED, RETAINING_GRAD
from .in_place_record import DETACHED, REBASED
from .tensor import Tensor

__all__ = ["GraphCode", "NotReplayable", "straight_line"]


class NotReplayable(Exception):
    """Raised by straight_line with the reason a graph cannot be replayed as code; .array: the array it did not
    receive by name, when that is the reason (a caller may find it is one of its inputs, cast, and name that)."""

    def __init__(self, reason, array=None):
        super().__init__(reason)
        self.array = array


class GraphCode:
    """Statements computing a graph's output and its leaves' gradients (see straight_line).

    lines: the statements; scope: the globals they read; output: the name of the output's value; leaves: one
    (leaf, leaf_name, value_name, grad_name) per leaf that requires grad and receives a gradient: the leaf is
    scope[leaf_name], the caller binds value_name to its value (its ._data) before the lines run, and finds its
    gradient, an array of its own, in grad_name."""

    __slots__ = ("lines", "scope", "output", "leaves")

    def __init__(self, lines, scope, output, leaves):
        self.lines, self.scope, self.output, self.leaves = lines, scope, output, leaves


# Settings a replay may hold as they were recorded: values nothing can change in place.
_IMMUTABLE = (type(None), bool, int, float, str, np.generic, np.dtype, type, slice)


def _is_immutable(value):
    if isinstance(value, tuple):
        return all(_is_immutable(v) for v in value)
    return isinstance(value, _IMMUTABLE)


def straight_line(output, inputs):
    """The graph of output (a 0-d Tensor with a record) as a GraphCode, whose statements read the arrays of inputs
    ({name: array}, each the very array the graph used) by name; raises NotReplayable when the graph holds what a
    replay would get wrong: an array it did not name (a value the Python around the graph computed), a hook, a
    Tensor retaining its gradient, a record changed in place, an operation with after-rules.

    Call it before the graph's backward (which releases the values the dry run of the rules reads).

    >>> import numpy as np, autograd_core as ag
    >>> from autograd_core.graph_code import straight_line
    >>> w, x = ag.tensor([1.0, 2.0], requires_grad=True), np.array([3.0, 4.0])
    >>> code = straight_line((w * x).sum(), {"x": x})
    >>> (leaf, leaf_name, value_name, grad_name), = code.leaves
    >>> scope = dict(code.scope, x=np.array([5.0, 6.0]), **{value_name: w.data})
    >>> exec("\\n".join(code.lines), scope)
    >>> float(scope[code.output]), scope[grad_name]
    (17.0, array([5., 6.]))
    """
    if not isinstance(output, Tensor) or output._op is None or np.ndim(output._data) != 0:
        raise NotReplayable("the output must be a 0-d Tensor computed from Tensors that require grad")
    if DUAL_LEVELS or ANOMALY.enabled:
        raise NotReplayable("forward-mode AD or anomaly detection is on")
    from .backprop import topological_order  # (backprop imports much of the engine; this module is imported early)
    order = topological_order(output)
    name_of = {id(value): name for name, value in inputs.items()}
    scope = {"unbroadcast": unbroadcast, "array": np.array, "sum_rows": sum_rows}
    lines, leaves, value_name, arguments = [], [], {}, {}
    for k, node in enumerate(order):
        if node in HOOKED or node in RETAINING_GRAD or node in DETACHED or node in REBASED:
            raise NotReplayable(f"a Tensor of the graph (shape {node.shape}) has hooks, retains its gradient or was "
                                f"changed or detached in place")
        value_name[node] = f"v{k}"
        if node._op is None:
            if node._requires_grad:
                scope[f"leaf{k}"] = node
                leaves.append((k, node))
            continue
        if node._inputs is None:
            raise NotReplayable(f"the graph was released by a backward pass (the {node._op.name} record is empty)")
        if node._op.after_rules is not None:
            raise NotReplayable(f"the operation {node._op.name} keeps state between its rules")
        positional, keywords = arguments[node] = _arguments(node, k, value_name, name_of, scope, lines)
        fast = _specialized(node._op.forward, tuple(node._inputs), node._params, positional, keywords)
        scope[f"forward{k}"] = fast[0] if fast else node._op.forward
        lines.append(f"v{k} = {_call(f'forward{k}', fast, positional + keywords)}")
    grads = _backward_lines(order, arguments, scope, lines)
    leaf_entries = [(leaf, f"leaf{k}", f"v{k}", grads[leaf]) for k, leaf in leaves if leaf in grads]
    return GraphCode(lines, scope, value_name[output], leaf_entries)


def _arguments(node, k, value_name, name_of, scope, lines):
    """The node's inputs and settings in source, as its forward and its rules take them: parents by their value's
    name, named arrays by name, the other values as scope constants, and a list setting (cross_entropy's _kept, which
    its forward fills for its rule) made afresh by a statement put in lines."""
    parent_at = dict(zip(node._slots, node._parents))
    positional, keywords = [], []
    for i, value in enumerate(node._inputs):
        if i in parent_at:
            positional.append(value_name[parent_at[i]])
        else:
            positional.append(_constant(value, f"input {i} of {node._op.name}", f"c{k}_{i}", name_of, scope))
    for name, value in node._params.items():
        if name == "_kept" and isinstance(value, list):
            lines.append(f"kept{k} = []")
            keywords.append(f"_kept=kept{k}")
        else:
            source = _constant(value, f"{name}= of {node._op.name}", f"c{k}_{name}", name_of, scope)
            keywords.append(f"{name}={source}")
    return positional, keywords


def _specialized(general, args, params, positional, keywords):
    """(core, its arguments in source) when general (a forward or rule) has a specializer (primitive.specializes)
    that gives a core for this call, else None. positional: the sources of args; keywords: "name=source" per
    setting."""
    specializer = SPECIALIZED.get(general)
    fast = specializer(args, params) if specializer is not None else None
    if fast is None:
        return None
    core, chosen = fast
    by_name = dict(keyword.split("=", 1) for keyword in keywords)
    return core, ", ".join(positional[c] if type(c) is int else by_name[c] for c in chosen)


def _call(name, fast, arguments):
    """The source of a call of the function scope[name] on arguments, or of its specialized core (fast, as
    _specialized gives it): a core of None passes its one argument on as it is."""
    if fast is None:
        return f"{name}({', '.join(arguments)})"
    return fast[1] if fast[0] is None else f"{name}({fast[1]})"


def _constant(value, what, name, name_of, scope):
    if isinstance(value, np.ndarray):
        if id(value) not in name_of:
            raise NotReplayable(f"{what} is an array the graph did not receive as a named input (shape {value.shape})",
                                value)
        return name_of[id(value)]
    if not _is_immutable(value):
        raise NotReplayable(f"{what} is a {type(value).__name__}, which may change between steps")
    scope[name] = value
    return name


def _backward_lines(order, arguments, scope, lines):
    """Algorithm 6.2's statements over the values' names (arguments: each node's, as _arguments gives them), decided
    by a dry run of every rule on the recorded values (the same rules, shapes and dtypes the replay will meet):
    {leaf: the name of its gradient}."""
    output = order[-1]
    k_of = {node: k for k, node in enumerate(order)}
    scope["seed_dtype"] = np.result_type(output._data)
    seed_at, seed = len(lines), np.array(1, scope["seed_dtype"])
    lines.append(f"g{k_of[output]} = array(1, seed_dtype)")  # a new array each pass, as backward's seed, unless
    dry = {output: seed}  # no rule of the output passes it on (below)
    for node in reversed(order):
        k = k_of[node]
        g = dry.pop(node, None) if node._op is not None else None
        if g is None:
            continue
        prim, inputs, params = node._op, node._inputs, node._params
        sources, settings = arguments[node]
        for parent, i in zip(node._parents, node._slots):
            if type(prim.vjps) is PerInput:
                fast = None
                scope[f"rule{k}"] = prim.vjps.rule
                contribution = prim.vjps.rule(i, g, node._data, tuple(inputs), **params)
                call = f"rule{k}({i}, g{k}, v{k}, ({', '.join(sources)},), {', '.join(settings)})"
            else:
                contribution = prim.vjps[i](g, node._data, *inputs, **params)
                fast = _specialized(prim.vjps[i], (g, node._data, *inputs), params, [f"g{k}", f"v{k}", *sources],
                                    settings)
                scope[f"rule{k}_{i}"] = fast[0] if fast else prim.vjps[i]
                call = _call(f"rule{k}_{i}", fast, [f"g{k}", f"v{k}", *sources, *settings])
            if contribution is None:
                continue
            statements, value, j = [f"c = {call}"], parent._data, k_of[parent]
            if contribution.shape != value.shape:
                statements.append(_summed_down(contribution, value.shape, scope))
                contribution = unbroadcast(contribution, value.shape)
            if contribution.dtype != value.dtype:
                contribution = contribution.astype(value.dtype)
                scope[f"dtype{j}"] = value.dtype
                statements.append(f"c = c.astype(dtype{j})")
            # (the seed stays one read-only array when the output's rules are cores, which write into no argument,
            # and none passes it on)
            if node is output and seed is not None and (fast is None or np.shares_memory(contribution, seed)):
                seed = None
            if parent in dry:
                dry[parent] = dry[parent] + contribution
                lines += statements + [f"g{j} = g{j} + c"]
            else:
                dry[parent] = contribution
                lines += [f"g{j} = {call}"] if len(statements) == 1 else statements + [f"g{j} = c"]
    if seed is not None:
        seed.flags.writeable = False
        scope["seed"] = seed
        lines[seed_at] = f"g{k_of[output]} = seed"
    grads, owned = {}, set()
    for leaf, g in dry.items():  # what remains: the leaves' gradients
        j = k_of[leaf]
        # A .grad owns its memory (as backward's): a rule may have passed on a view, or one array to two leaves
        if g.base is not None or not g.flags.writeable or id(g) in owned:
            lines.append(f"g{j} = g{j}.copy()")
        owned.add(id(g))
        grads[leaf] = f"g{j}"
    return grads


def _summed_down(contribution, to, scope):
    """The statement unbroadcasting c, shaped as contribution, to the shape to: a bias's sum over the batch, the
    common case, as the sum_rows it comes to (BLAS's product with ones for C-contiguous float rows, decided by c's
    layout at each step: a gradient's layout can follow the input's), without the calls that decide so."""
    shape = contribution.shape
    if len(shape) != len(to) + 1 or shape[1:] != to:
        return f"c = unbroadcast(c, {to!r})"
    ones = summing_ones(contribution)
    if ones is None:
        return "c = sum_rows(c)"
    name = f"ones_{len(ones)}_{ones.dtype}"
    scope[name] = ones
    scope["dot"] = np.dot
    return f"c = dot({name}, c) if c.flags.c_contiguous else sum_rows(c)"
