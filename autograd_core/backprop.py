"""Back-propagation: Algorithm 6.2 of Goodfellow, Bengio and Courville's *Deep Learning*.

grad_table[output] = seed; visiting nodes in reverse topological order, each node's
entry is final once all its consumers have been visited, and each of its inputs
u_j receives grad_table[u_i] * du_i/du_j as one vector-Jacobian product. Entries
are summed at nodes with several consumers.

The products read the values the forward pass saved. As in PyTorch, a node whose
inputs were changed in place since it was recorded (an optimizer step, an in-place
operator, `.data -=`, `.grad` accumulation; each bumps the Tensor's version, and the
versions of the Tensors sharing its memory: views and detached copies) refuses, rather
than give gradients of values the forward pass never saw. As in PyTorch, a NumPy array
changed in place (one passed in, or one taken from `.data`) goes unnoticed.
"""
import contextlib
import operator
import threading

import numpy as np

from . import ops
from ._arguments import InvalidArgumentError, as_flag
from .detached_graph import watch_detached
from .grad_fn import _Prehook
from .grad_mode import ANOMALY, ANOMALY_PAUSED, _anomaly_paused, enable_grad, no_grad
from .in_place_record import DETACHED, REBASED, refuse_detached, rewire_rebased
from .primitive import _NO_PARAMS, PerInput, SavedVersions, check_finite, refuse_held_graph, unbroadcast, versions_of
from .registries import HOOKED, POST_ACCUMULATE, RETAINING_GRAD
from .tensor import Tensor, as_value

# Held while backward adds into leaves' .grad: PyTorch's AccumulateGrad holds a lock there too.
_ACCUMULATING = threading.Lock()


def topological_order(*outputs):
    """The nodes of the outputs' graph that require grad, each after all of its inputs.

    A node is always created after its inputs, so ordering the reachable nodes by
    creation number is a topological order: no recursion, no per-node iterators.

    >>> import autograd_core as ag
    >>> x = ag.tensor(2.0, requires_grad=True, name="x")
    >>> [node.op_name or node.name for node in ag.topological_order(ag.exp(x * x))]
    ['x', 'multiply', 'exp']
    """
    seen = set(outputs)
    stack = list(seen)
    pop, push, mark = stack.pop, stack.append, seen.add
    while stack:
        for parent in pop()._parents:
            if parent not in seen:
                mark(parent)
                push(parent)
    return sorted(seen, key=_creation_number)


_creation_number = operator.attrgetter("_seq")


def _depending_on(order, wanted):
    """The nodes of order (a topological order) that depend on a wanted node, the wanted ones included, as a
    list in order and as a set: the gradient reaches a wanted node only along them. A wanted node that order does
    not hold while order holds a node an earlier pass freed (its record, and so its edges, gone) raises as PyTorch's
    second pass through that node does, rather than the wanted node being taken for unused."""
    needed, kept, freed = set(wanted), [], None
    for node in order:
        if node in needed or any(parent in needed for parent in node._parents):
            needed.add(node)
            kept.append(node)
        elif node._op is not None and node._inputs is None:
            freed = node
    if freed is not None and not set(wanted).issubset(kept):  # (a wanted node no path reaches)
        raise _freed_error(freed)
    return kept, needed


def _freed_error(node):
    return RuntimeError(
        f"backprop: Trying to backward through the graph a second time: the '{node._op.name}' node's "
        f"record (its inputs and saved values) was freed by the first pass. Specify retain_graph=True to the "
        f"first backward to keep it, or, for a value carried over from an earlier step (an RNN's hidden state), "
        f"carry value.detach() instead"
    )


def _check_versions(node, saved, parents, slots, needed, params, release):
    """Before the node's rules run: refuse to go on if a value that one of them reads (the rules of the parents
    in needed, or of all) was changed in place since the node was recorded. With release, the node's saved values
    are being freed: so are the constants a SavedVersions holds."""
    running = slots if needed is None else [i for parent, i in zip(parents, slots) if parent in needed]
    read, ans_read = node._op.reads(running, params)  # see Primitive.reads_values
    if isinstance(saved, SavedVersions):
        for i, tensor, recorded in saved.constants:  # (a later _seq: it took a record since, see take_record)
            if (tensor._version != recorded or tensor._seq > node._seq) and (read is None or i in read):
                raise _changed_error(node, f"an input that does not require grad (shape {tensor.shape})")
        saved = saved.parents
        if release:
            node._saved_version = saved
    recorded = (saved,) if len(parents) == 1 else saved
    for parent, i, version in zip(parents, slots, recorded):
        if parent._version != version and (read is None or i in read):
            raise _changed_error(node, f"an input (shapes {', '.join(str(p.shape) for p in parents)})")
    if ans_read and node._version:
        raise _changed_error(node, "its output")


def _changed_error(node, changed):
    return RuntimeError(
        f"backprop: a value the '{node._op.name}' node saved for its gradient, {changed}, was changed in place "
        f"after the node was recorded (by an optimizer step, an in-place operator, item assignment, .data, a .grad "
        f"accumulated into, or a view or detach() sharing its memory), so it is no longer the forward pass's; call "
        f"backward before changing it, or compute the forward again"
    )


class GradientShapeError(InvalidArgumentError):
    """A gradient given to backward or grad of another shape than its output's: a ValueError, as NumPy's shape
    errors, and PyTorch's RuntimeError ("Mismatch in shape") at once, so that code ported from PyTorch catches it."""


def _seed(output, gradient, where, what="the output"):
    if gradient is None:
        value = output._data
        if value.size != 1:
            raise RuntimeError(
                f"{where}: gradient must be given for a non-scalar output (shape {output.shape}); "
                f"pass gradient= of the same shape, or reduce the output first (e.g. .sum())"
            )
        seed = np.array(1, dtype=value.dtype)  # a new array each pass: a rule may pass it on, a .grad keep it
        return seed if not value.ndim else seed.reshape(value.shape)  # (a loss is 0-d: no reshape to make)
    refuse_held_graph(gradient, where, "gradient is a", "combine them with ag.stack first")
    seed = gradient if isinstance(gradient, Tensor) else as_value(gradient)
    dtype = np.result_type(as_value(seed))
    if dtype.kind == "c":  # numbers, but no cast to the output's real dtype keeps them
        raise TypeError(f"{where}: gradient has dtype {dtype}, but {what}'s is {output.dtype}; give a real "
                        f"gradient (autograd_core has no complex numbers)")
    if dtype.kind not in "biuf":  # a string, None: not a shape problem
        raise TypeError(f"{where}: gradient must be a Tensor, an array or a number, got {gradient!r}")
    if np.shape(as_value(seed)) != output.shape:
        raise GradientShapeError(
            f"{where}: gradient has shape {np.shape(as_value(seed))} but {what} has shape {output.shape}; "
            f"they must be equal"
        )
    if not isinstance(seed, Tensor):
        seed = np.asarray(seed)
    if seed.dtype != output.dtype:  # cast as PyTorch's engine does: a gradient has its node's dtype
        seed = seed.astype(output.dtype)
    return seed


def _checked_seed(output, gradient, create_graph, where, what, toward_wanted):
    """The output's seed (a Tensor when create_graph, so that the pass records its use), after checking that
    output has a graph to go back through. where: the operation errors name; what: the output they name."""
    if not isinstance(output, Tensor):  # (a number or an array has no graph to go back through)
        raise TypeError(f"{where}: {what} must be a Tensor computed from Tensors that require grad, got "
                        f"{type(output).__name__}")
    if not output._requires_grad:
        raise RuntimeError(
            f"{where}: {what} does not require grad: no input of its graph has requires_grad=True "
            "(or it was computed under no_grad)"
        )
    if toward_wanted and output._op is not None and output._inputs is None:  # (freed: no path would lead to
        raise _freed_error(output)  # a wanted node, all None)
    seed = _seed(output, gradient, where, what)
    if create_graph:
        return seed if isinstance(seed, Tensor) else Tensor._constant(np.asarray(seed))
    return seed if gradient is None else as_value(seed)  # (the default seed is an array already)


def _seeded(outputs, gradients, create_graph, where, toward_wanted):
    """{output: its seed} for several outputs, checked; an output given twice gets the sum of its seeds."""
    table = {}
    for index, (output, gradient) in enumerate(zip(outputs, gradients)):
        seed = _checked_seed(output, gradient, create_graph, where, f"output {index}", toward_wanted)
        if output in table:
            with enable_grad():  # (seeds that are Tensors are summed as the pass will be: recorded if create_graph)
                seed = table[output] + seed
        table[output] = seed
    return table


def _run(outputs, gradients, retain_graph, create_graph, keep_all, wanted=None, where="backward", hooked_out=None):
    """Algorithm 6.2, from outputs (a sequence of Tensors: their graphs' union is visited once, and a node they
    share sums their gradients) each seeded with its entry of gradients. Without keep_all, intermediate entries
    are dropped as soon as they are consumed, except those of Tensors that retain_grad() was called on (backward
    reads them). Given wanted nodes, only the nodes on paths from them to the outputs are visited (as
    torch.autograd.grad does): a transform differentiating an argument with a long history behind it does not
    backpropagate into it. hooked_out (a dict), with keep_all: receives the gradient its hooks made of each hooked
    intermediate's (the table keeps d(output)/d(node))."""
    if type(create_graph) is not bool:  # (the check itself only off the common path: backward runs every step)
        create_graph = as_flag(create_graph, where, "create_graph")
    # None, PyTorch's default: the same as create_graph. A recorded backward pass needs the forward graph.
    if type(retain_graph) is not bool:
        retain_graph = as_flag(retain_graph, where, "retain_graph", none=True)
    retain_graph = retain_graph or create_graph
    if len(outputs) == 1:  # (at once, without _seeded's loop: backward runs every step)
        output = outputs[0]
        seed = _checked_seed(output, gradients[0], create_graph, where, "the output", wanted is not None)
        grad_table = {output: seed}
    else:
        grad_table = _seeded(outputs, gradients, create_graph, where, wanted is not None)
    order, needed = topological_order(*outputs), None
    if REBASED:  # a live Tensor was changed in place (relu_): a use recorded before the change now reaches the
        while rewire_rebased(order):  # record it used, whose own edges may move too (a view rebased with its base)
            order = topological_order(*outputs)
    if wanted is not None:
        if DETACHED:  # a use recorded before a detach_ may lead to a wanted node through the graph detach_ cut: the
            wanted = watch_detached(order, wanted)  # pass goes to that Tensor too (refused at _run's end if reached)
        order, needed = _depending_on(order, wanted)
        for output in outputs:  # no wanted node behind it: nothing to pass on (and backward would fill its .grad)
            if output not in needed:
                grad_table.pop(output, None)
    pop, get = grad_table.pop, grad_table.get
    # The registries themselves, tested for each node by their truth value first (a dict's), so that an empty one
    # costs nothing, and a retain_grad or hook added during the pass counts, as in PyTorch (a copy taken here made
    # many small passes quadratic in the Tensors registered in the process).
    retaining = None if keep_all else RETAINING_GRAD
    hooked = HOOKED
    anomaly = ANOMALY.enabled and not ANOMALY_PAUSED.enabled
    mode = _recorded_pass(anomaly) if create_graph else no_grad()
    multi = hooked and MULTI_GRAD_HOOKS  # multi-grad hooks exist: the pass tells them which Tensors it reaches
    if multi:  # (autograd_graph's), and calls them with None for a Tensor it reaches with no gradient, as PyTorch's
        mode = _HookedPass(mode, order)
    with mode:
        for node in reversed(order):
            prim = node._op
            # A leaf's entry is final; so is a wanted node's that no other wanted node is behind: the pass stops
            # there, its rule does not run and its record stays (PyTorch's grad runs no input's grad_fn), so that
            # a later pass goes through it (MAML's fast weights: grad to clones, then the meta-loss to the weights)
            if prim is None or needed is not None and needed.isdisjoint(node._parents):
                if hooked and node in hooked:
                    if node in grad_table:  # (its rule does not run: a grad_fn pre-hook's result is not used)
                        _run_hooks(node, grad_table[node], create_graph, not keep_all, grad_table)
                    elif multi:
                        _run_none_hooks(node)
                continue
            inputs, parents, slots, params = node._inputs, node._parents, node._slots, node._params
            if inputs is None:
                raise _freed_error(node)
            saved = node._saved_version
            g = get(node) if keep_all or (retaining and node in retaining) else pop(node, None)
            if g is not None and hooked and node in hooked:  # (before the release: a hook may differentiate
                # through node's record, as PyTorch's tensor hooks may.) A retained .grad shows what the Tensor's
                # hooks made of it; the grad_table d(output)/d(node) itself, as torch.autograd.grad
                g = _run_hooks(node, g, create_graph, retained=None if keep_all else grad_table, hooked_out=hooked_out)
            if not retain_graph:  # release the saved values (held in locals until the rule has run): the
                node._inputs, node._parents, node._params = None, (), _NO_PARAMS  # settings too (a loss's target)
            if g is None:  # no gradient reached it (an ag.Function returned None): nothing flows on
                if multi and node in hooked:
                    _run_none_hooks(node)
                if not retain_graph and type(saved) is SavedVersions:
                    node._saved_version = saved.parents  # the constants it held are released too
                continue
            # Before any rule reads a saved value, a quick test (always true for a SavedVersions): has the output
            # changed, or, where a rule reads inputs, an input? (versions_of inlined for one parent, the common case)
            if node._version or prim.reads_inputs and saved != (
                    parents[0]._version if len(parents) == 1 else versions_of(parents)):
                _check_versions(node, saved, parents, slots, needed, params, release=not retain_graph)
            if create_graph:  # the rules get Tensors, so that the recorded pass counts their versions too
                inputs = list(inputs)
                for parent, i in zip(parents, slots):
                    inputs[i] = parent
                if type(saved) is SavedVersions:
                    for i, constant, _ in saved.constants:
                        inputs[i] = constant
                ans = node
            else:
                ans = node._data
            vjps = prim.vjps
            for parent, i in zip(parents, slots):
                if needed is not None and parent not in needed:  # no wanted node behind it
                    continue
                # One vector-Jacobian product per edge: grad_table[u_i] * du_i/du_j.
                if params:  # (the operations with any number of inputs have settings)
                    if type(vjps) is PerInput:
                        contribution = vjps.rule(i, g, ans, inputs, **params)
                    else:
                        contribution = vjps[i](g, ans, *inputs, **params)
                else:
                    contribution = vjps[i](g, ans, *inputs)
                if contribution is None:  # an ag.Function may return None: no gradient
                    continue
                value = parent._data
                if contribution.shape != value.shape:
                    contribution = unbroadcast(contribution, value.shape)
                dtype = contribution.dtype
                if dtype is not value.dtype and dtype != value.dtype:
                    contribution = contribution.astype(value.dtype)
                if anomaly:
                    check_finite(contribution, prim.name, "backward", i)
                previous = get(parent)
                if previous is None:
                    grad_table[parent] = contribution
                else:
                    grad_table[parent] = previous + contribution
                    if anomaly:  # two finite gradients may sum to Inf
                        check_finite(grad_table[parent], f"gradient accumulation into {_described(parent)}", "backward")
            if prim.after_rules is not None:
                prim.after_rules(params, needed is not None, not retain_graph)
    if DETACHED:  # some result was detached in place: did a use recorded before reach it (toward a wanted node:
        refuse_detached(grad_table, where)  # watch_detached)? Before the caller fills any .grad
    return grad_table


def _described(node):
    what = f"the result of {node._op.name}" if node._op is not None else "a leaf"
    return f"{what} {node.name!r}" if node.name else what


def _run_hooks(node, g, create_graph, node_hooks=True, retained=None, hooked_out=None):
    """node's gradient after its hooks (Tensor.register_hook), each given what the one before returned, then after
    those of its grad_fn (grad_fn.register_prehook, grad_fn.py: marked node_hook) unless not node_hooks
    (autograd.grad stopping at node, whose grad_fn does not run: PyTorch runs its Tensor hooks alone). Given
    retained (a grad_table) holding node, its entry becomes the gradient after the Tensor's hooks alone (what a
    retained .grad shows, as PyTorch's); else hooked_out's (autograd.grad's: see _run), if given."""
    grad = g if isinstance(g, Tensor) else Tensor._constant(np.asarray(g))
    hooks = list(node._hooks.values())  # (a copy: a hook may remove itself)
    later = ()
    if _Prehook.registered:  # some grad_fn has pre-hooks: node's run after its Tensor's, as PyTorch's
        later = [hook for hook in hooks if type(hook) is _Prehook]
        if later:
            hooks = [hook for hook in hooks if type(hook) is not _Prehook]
            if not node_hooks:
                later = ()
    grad, shown = _applied(hooks, node, grad, create_graph)  # shown: whether the hooks have seen grad's array,
    into = retained if retained is not None and node in retained else hooked_out  # and so may keep it
    if into is not None:
        into[node] = _released(grad, create_graph, shown)
        if not later:
            return into[node]  # (the same array flows on, as before grad_fn pre-hooks existed)
    if later:  # (a retained entry holding grad's array counts as shown: _applied starts from shown)
        grad, shown = _applied(later, node, grad, create_graph)
    return _released(grad, create_graph, shown)


def _run_none_hooks(node):
    """Call node's multi-grad hooks (autograd_graph's, marked none_too) with None: the pass reached node with no
    gradient (PyTorch calls its hooks with None there; the others are not called here)."""
    for hook in list(node._hooks.values()):
        if getattr(hook, "none_too", False):
            hook(None)


def _applied(hooks, node, grad, create_graph):
    """(grad after hooks, each given what the one before returned; whether its array was seen by a hook or is
    shown as given)."""
    shown = True
    for hook in hooks:
        result = hook(grad)
        if result is None:
            shown = True
            continue
        if not create_graph and result is not grad:  # the caller's array must not become a .grad that later
            result = Tensor._constant(np.array(as_value(result)))  # passes add into: a copy
        shown = result is grad
        refuse_held_graph(result, "register_hook", f"the hook {getattr(hook, '__name__', hook)!r} returned a",
                          "return one Tensor (ag.stack them)")
        result = result if isinstance(result, Tensor) else Tensor._constant(np.asarray(result))
        if result.shape != node.shape:
            raise InvalidArgumentError(  # (PyTorch's RuntimeError "hook ... has changed the size of value")
                f"register_hook: the hook {getattr(hook, '__name__', hook)!r} returned a gradient of shape "
                f"{result.shape} for a Tensor of shape {node.shape}; it must keep the shape")
        grad = result if result.dtype == node.dtype else result.astype(node.dtype)
    return grad, shown


def _released(grad, create_graph, shown):
    if create_graph:
        return grad
    return grad._data.copy() if shown else grad._data  # a later pass adds into .grad in place: not into theirs


_NO_CONTEXT = contextlib.nullcontext()


class _Passes(threading.local):
    """The backward passes under way in this thread, innermost last (a hook may start one). Kept only while
    multi-grad hooks exist (MULTI_GRAD_HOOKS)."""

    def __init__(self):
        self.stack = []


PASSES = _Passes()
MULTI_GRAD_HOOKS = set()  # a key per multi-grad hook registered and not removed (autograd_graph's)


class BackwardPass:
    """A backward pass under way, as hooks see it (current_pass): reaches(tensor) tells whether it computes the
    Tensor's gradient (PyTorch's _will_engine_execute_node); scratch, a dict for the hooks' own state, dies with
    the pass (autograd_graph's multi-grad hooks count there)."""

    __slots__ = ("_order", "_nodes", "scratch")

    def __init__(self, order):
        self._order, self._nodes, self.scratch = order, None, {}

    def reaches(self, tensor):
        """Whether tensor is in the pass's graph and, for a pass toward given inputs, on a path to one (the pass's
        order holds just those)."""
        if self._nodes is None:
            self._nodes = set(self._order)
        return tensor in self._nodes


class _HookedPass:
    """A pass's mode, with the pass known to hooks (current_pass) while it runs."""

    __slots__ = ("_mode", "_entry")

    def __init__(self, mode, order):
        self._mode, self._entry = mode, BackwardPass(order)

    def __enter__(self):
        PASSES.stack.append(self._entry)
        try:
            return self._mode.__enter__()
        except BaseException:
            PASSES.stack.remove(self._entry)
            raise

    def __exit__(self, *exc_info):
        try:
            return self._mode.__exit__(*exc_info)
        finally:
            PASSES.stack.remove(self._entry)


def current_pass():
    """The innermost backward pass under way in this thread (a BackwardPass), or None outside any (or in one that
    began while no multi-grad hook was registered)."""
    stack = PASSES.stack
    return stack[-1] if stack else None


@contextlib.contextmanager
def _recorded_pass(anomaly):
    """A create_graph pass's mode: recording, with anomaly checks paused while rules run (backprop checks each rule's
    result itself). Apart, so that the common pass enters no_grad alone."""
    with enable_grad(), _anomaly_paused() if anomaly else _NO_CONTEXT:
        yield


@contextlib.contextmanager
def _recorded_sums():
    """backward's accumulation into .grad after a create_graph pass: under the lock, and recorded."""
    with _ACCUMULATING, enable_grad():
        yield


def _as_tensor(value):
    return value if isinstance(value, Tensor) else Tensor._constant(np.asarray(value))


def backprop(output, gradient=None, *, retain_graph=False, create_graph=False):
    """Run Algorithm 6.2 and return the grad_table: {node: d(output)/d(node)} for every node of
    output's graph that requires grad, leaves and intermediates (a node no gradient reaches, behind an
    ag.Function whose backward returned None for it, has no entry).

    >>> import autograd_core as ag
    >>> x = ag.tensor(3.0, requires_grad=True)
    >>> y = x * x
    >>> table = ag.backprop(y + x)
    >>> float(table[x]), float(table[y])
    (7.0, 1.0)
    """
    table = _run((output,), (gradient,), retain_graph, create_graph, keep_all=True, where="backprop")
    return {node: _as_tensor(g) for node, g in table.items()}


def gradients_to(output, wanted, gradient=None, retain_graph=False, create_graph=False, where="backward",
                 fill_retained=False):
    """[d(output)/d(node) for node in wanted], None where output does not depend on a node: the transforms'
    pass, visiting only the nodes between them and output. output may be a tuple of outputs, gradient then a
    tuple of their seeds (their gradients are summed). where: the operation errors name. fill_retained
    (autograd.grad's): the Tensors retaining grad that the pass visits get their gradient added into .grad."""
    outputs, gradients = (output, gradient) if type(output) is tuple else ((output,), (gradient,))
    hooked = {} if fill_retained and RETAINING_GRAD else None
    table = _run(outputs, gradients, retain_graph, create_graph, keep_all=True, wanted=wanted, where=where,
                 hooked_out=hooked)
    if hooked is not None:
        _fill_retained({**table, **hooked}, create_graph)
    return [None if (g := table.get(node)) is None else _as_tensor(g) for node in wanted]


def _fill_retained(table, create_graph):
    """Add into .grad the entries of table (a pass's) of the Tensors retaining grad, as PyTorch's torch.autograd.grad
    fills those between the outputs and the inputs: .grad + g (recorded by a create_graph pass), g's copy at first;
    g is what the Tensor's hooks made of its gradient, as PyTorch's."""
    with _recorded_sums() if create_graph else no_grad():
        for node, g in table.items():
            if node._op is None or node not in RETAINING_GRAD:  # (leaves: autograd.grad leaves their .grad alone)
                continue
            g = g if isinstance(g, Tensor) else Tensor._constant(np.asarray(g))
            if node._grad is None:
                node._grad = ops.copy(g) if g._requires_grad else Tensor._constant(np.array(g._data))
            else:
                node._grad = node._grad + g


def backward(outputs, gradients, retain_graph=False, create_graph=False, inputs=None, where="backward"):
    """Tensor.backward and autograd.backward: the same pass from outputs (a sequence, each with its entry of
    gradients), keeping only the entries of leaves and of Tensors that retain_grad() was called on, and adding
    them into .grad. Given inputs (a Tensor or a sequence of them), the pass toward them, as gradients_to's: only
    their .grad, and that of the Tensors retaining grad between them and the outputs, is filled; each non-leaf
    input is made to retain grad, as PyTorch does."""
    wanted, edges = (None, ()) if inputs is None else _inputs_to_fill(inputs, where)
    table = _run(outputs, gradients, retain_graph, create_graph, keep_all=False, wanted=wanted, where=where)
    for node in edges:  # a non-leaf given by its GradientEdge alone: its .grad is not filled (PyTorch's)
        if node not in RETAINING_GRAD:
            table.pop(node, None)
    handed_out = set()  # the arrays given to a .grad so far, and the caller's own: none may be a second one's
    for gradient in gradients:
        if gradient is not None:
            handed_out.add(id(gradient._data if isinstance(gradient, Tensor) else gradient))
    # The lock: threads sharing a leaf (NumPy lets go of the GIL inside +=, so sums could be lost). With
    # create_graph the sums are recorded whatever the caller's grad mode, as the pass itself is (and PyTorch's).
    with _recorded_sums() if create_graph else _ACCUMULATING:
        for node, g in table.items():  # the leaves, and the intermediates retaining grad (_run popped the others)
            if not node._requires_grad:  # (a leaf's flag may be cleared after recording)
                continue
            if not (isinstance(g, Tensor) and g._requires_grad):  # a value, not a recorded node
                value = g._data if isinstance(g, Tensor) else np.asarray(g)
                # A .grad must own its memory: the rule may have passed through the seed, a view, or
                # the same array to several nodes, and a later pass accumulates into .grad in place.
                if value.base is not None or not value.flags.writeable or id(value) in handed_out:
                    value = value.copy()
                handed_out.add(id(value))
                g = Tensor._constant(value)
            accumulated = node._grad
            if accumulated is None:  # a recorded g may be the seed, a hook's result or another leaf's: copied
                node._grad = ops.copy(g) if g._requires_grad else g  # (recorded), as PyTorch's AccumulateGrad does
            elif create_graph or accumulated._requires_grad:  # out of place: graphs may use the recorded .grad
                # Recorded as PyTorch's sums are, whatever the caller's grad mode: a leaf's (which PyTorch adds in
                # place) keeps the recorded .grad's graph; an intermediate's (PyTorch: .grad + new, under the pass's
                # mode) is recorded only by a create_graph pass.
                with enable_grad() if create_graph or node._op is None else no_grad():
                    node._grad = accumulated + g
            elif accumulated._data.flags.writeable:  # in place, as PyTorch: arrays taken from .grad see the sum
                accumulated._data += g._data
                accumulated._count_change()  # graphs that saved the old .grad refuse
            else:
                accumulated.data = accumulated._data + g._data  # a new array: counted, and no longer shared
    if POST_ACCUMULATE:  # leaves with post-accumulate-grad hooks exist (one dict test per pass otherwise)
        _run_post_accumulate_hooks(table, create_graph)


def _run_post_accumulate_hooks(leaves, create_graph):
    """Call the post-accumulate-grad hooks (post_accumulate_hooks.py) of those of leaves (the Tensors whose .grad
    backward just filled, in that order) that have any, each with its leaf, under the pass's grad mode (no_grad
    unless create_graph)."""
    with enable_grad() if create_graph else no_grad():
        for leaf in leaves:
            hooks = POST_ACCUMULATE.value(leaf)
            if not hooks or leaf._op is not None or not leaf._requires_grad:
                continue
            for hook in list(hooks.values()):  # (a hook may remove itself)
                if hook(leaf) is not None:
                    raise RuntimeError(f"backward: post accumulate grad hooks should return None; "
                                       f"{getattr(hook, '__name__', type(hook).__name__)} returned a value (change "
                                       f"the Tensor or its .grad in place instead)")


def _inputs_to_fill(inputs, where):
    """backward's inputs= as a list, checked, its non-leaf Tensors made to retain grad (PyTorch's retain_grad()
    on them: backward keeps their entries, and later passes fill their .grad too); and the non-leaf Tensors given
    by a GradientEdge (PyTorch fills no .grad there, unless the Tensor retains grad; a leaf's edge fills its)."""
    edge_at = set()  # the indices of GradientEdges
    if isinstance(inputs, Tensor):
        inputs = [inputs]
    else:  # (a GradientEdge stands for its Tensor, as in autograd.grad)
        from .autograd_graph import GradientEdge, edge_tensor  # (it imports this module)
        inputs = [inputs] if isinstance(inputs, GradientEdge) else list(inputs)
        for index, x in enumerate(inputs):
            if isinstance(x, GradientEdge):
                inputs[index] = edge_tensor(x)
                edge_at.add(index)
    if not inputs:
        raise RuntimeError(f"{where}: inputs is empty; give the Tensors whose .grad to fill (a Tensor or a sequence "
                           f"of them), or inputs=None to fill every leaf's")
    for index, x in enumerate(inputs):
        if not isinstance(x, Tensor):
            raise TypeError(f"{where}: inputs[{index}] is of type {type(x).__name__}, not a Tensor; inputs must be "
                            f"Tensors that require grad (leaves or results computed from them)")
        if not x._requires_grad:
            raise RuntimeError(f"{where}: inputs[{index}] (shape {x.shape}) does not require grad, so no gradient "
                               f"reaches its .grad; give Tensors with requires_grad=True or results computed from them")
    for index, x in enumerate(inputs):
        if x._op is not None and index not in edge_at:
            RETAINING_GRAD.add(x)
    return inputs, [x for index, x in enumerate(inputs) if index in edge_at and x._op is not None]
