"""A recorded result changed in place, as PyTorch's `relu_` on an activation or `h += bias`: the Tensor takes the
record of the operation's result, and its old record moves to a new node behind it (PyTorch's rebase_history).

Every name for the Tensor then sees the new value and the new history, as in PyTorch: a residual `x + block(x)`
whose block starts with `relu(x, inplace=True)` adds relu(x), there as here. The old value stays with the old
record, unchanged, so the rules that read it (the operation's own among them) still read the forward pass's values.
A node recorded *before* the change, which used the Tensor, still holds the Tensor as its input; backprop sends
that use's gradient to the record the Tensor had when it was used (rewire_rebased), as PyTorch's edges keep pointing
at the old grad_fn. A change through a view, or to a Tensor that has views, goes through their base, as PyTorch's
CopySlices (_take_through_views): the base and each view are rebased together. Hooks registered before the change
stay with the old record (they get the gradient at the old value, as PyTorch's stay with the old grad_fn; those of a
view changed through itself get only its earlier uses' gradients, as CopySlices passes that grad_fn by:
_unhooked_views); a retained gradient stays with the Tensor (its .grad is the gradient at the new value, as
PyTorch's). A view taken under no_grad of a Tensor that
requires grad is refused a change while recording, as PyTorch's (_no_grad_view_error). Also here, set on
Tensor by tensor.py: the in-place operators (`x += y`...), item assignment, zero_, and `_in_place`, the core they
share with the in-place methods of torch_in_place.py.
"""
import operator
import weakref

import numpy as np

from . import ops
from .grad_mode import GRAD_MODE
from .primitive import (OperandError, OperandOverflowError, OperandTypeError, SavedVersions, ViewPrimitive,
                        _next_seq, refuse_held_graph)
from .registries import DUAL_LEVELS, HOOKED, TensorWeakDict
from .shared_memory import share_memory
from .tensor import Tensor, as_value, non_number
from .tensor_operators import _foreign

# A live Tensor changed in place -> its earlier records, oldest first (each a node behind the next), as (creation
# number, reference) pairs: weak where the Tensor's new record holds the old one, which then lives as long as that
# graph is kept and no longer (`out += bias` on a result kept after backward frees the old value with the graph).
# Empty (false) while no such Tensor lives: backprop then has no edge to move (see rewire_rebased).
REBASED = TensorWeakDict()
# The recorded results detached in place (detach_: forget_record), and the constants standing for them in the uses
# recorded before (_detached_stand_in), each with the skeleton of the graph it held (detached_graph.skeleton_of: weak
# references, no values). Such a Tensor keeps no earlier record: when it takes a new one (`x.copy_(w)`), its REBASED
# entry is (0, _Detached(that skeleton)) alone, and a use recorded before the detach_ gets a constant of the value it
# used. A pass whose gradient reaches one of them is refused (refuse_detached), rather than leave it silently cut: a
# pass toward given inputs goes to it too when a wanted node was behind it (detached_graph.watch_detached).
DETACHED = TensorWeakDict()


class _Detached:
    """REBASED's mark of a Tensor detached in place and recorded again: the uses recorded before the detach_ get a
    stand-in (_detached_stand_in), which holds behind, the skeleton of the graph it held (detached_graph)."""

    __slots__ = ("behind",)

    def __init__(self, behind):
        self.behind = behind


_RECORD = ("_data", "_requires_grad", "_op", "_inputs", "_parents", "_slots", "_params", "_seq", "_saved_version")
_READ_RECORD = operator.attrgetter(*_RECORD)  # (of a recorded result, which has them all: `y += 1` runs it)


def _set_record(tensor, record):
    """tensor's _RECORD attributes set to record's values, in _RECORD's order."""
    (tensor._data, tensor._requires_grad, tensor._op, tensor._inputs, tensor._parents, tensor._slots, tensor._params,
     tensor._seq, tensor._saved_version) = record


def take_record(tensor, result, where, instead="use inplace=False"):
    """Make tensor, a recorded result (or a constant: `buf.copy_(w)`), hold result (an operation on tensor, just
    recorded) in place, and return it.
    where: the call that errors name ("relu(inplace=True)", "mul_"); instead: the way out they give.

    >>> import autograd_core as ag
    >>> from autograd_core.in_place_record import take_record
    >>> w = ag.tensor([-1.0, 2.0], requires_grad=True)
    >>> h = w * 3
    >>> alias = h
    >>> take_record(h, ag.relu(h), "relu_") is h, alias
    (True, Tensor([0., 6.], op=relu))
    >>> alias.sum().backward(); w.grad
    Tensor([0., 3.])
    """
    views = _check_can_take(tensor, result, where, instead)
    if views is not None:  # tensor is a recorded view, or has views: the change goes through their base
        return _take_through_views(tensor, result, views, where, instead)
    # the operation's nodes (one, or several for silu = x * sigmoid(x)); none used a constant tensor (`buf.add_(w)`)
    # as a parent, and its creation number (0) is below every node's: result alone, not all of w's graph
    recorded = tensor._requires_grad
    _rebase(tensor, result, _recorded_since(result, tensor) if recorded else {result}, recorded)
    return tensor


def _record_copy(tensor, recorded=True):
    """A new Tensor holding tensor's record (its value, operation and inputs; a constant's are None: it has no _inputs,
    _slots..., as it has no rule), its name and version, without grad, hooks or shared memory."""
    copy = object.__new__(Tensor)
    _set_record(copy, _READ_RECORD(tensor) if recorded else tuple(getattr(tensor, name, None) for name in _RECORD))
    copy._grad, copy.name, copy._version, copy._memory = None, tensor.name, tensor._version, None
    return copy


def _rebase(tensor, result, made, recorded, stand_in=None):
    """tensor takes result's record (and value), its own record moving to a new node behind it, which the nodes
    in made (result's, recorded after tensor) use in its place (or stand_in, a copy of it without hooks: see
    _unhooked_views): PyTorch's rebase_history. Returns that node, tensor's old record."""
    old = _record_copy(tensor, recorded)  # the record tensor had: its value, its operation and inputs
    if tensor in HOOKED:  # its hooks belong to the old value's gradient, as PyTorch's stay with the old grad_fn;
        old._hooks, tensor._hooks = tensor._hooks, {}  # a retained grad stays: the new value's, as PyTorch's
        HOOKED.discard(tensor)
        HOOKED.add(old)
    memory = getattr(tensor, "_memory", None)
    if memory is not None:  # (no Tensor but the operation's own, or a view rebased too, shares it: checked) the old
        memory.leave(tensor)  # value is old's
    used = False
    replacement = old if stand_in is None else stand_in
    for node in made:  # the operation used the old value: old (or stand_in), in place of tensor
        if any(parent is tensor for parent in node._parents):
            node._parents = tuple(replacement if parent is tensor else parent for parent in node._parents)
            used = True
        saved = node._saved_version  # a constant tensor it read (`b *= x`): a create_graph pass reads old's value
        if type(saved) is SavedVersions and any(constant is tensor for _, constant, _ in saved.constants):
            saved.constants = [(i, replacement if constant is tensor else constant, version)
                               for i, constant, version in saved.constants]
            used = True
    _set_record(tensor, _READ_RECORD(result))  # tensor is result now, behind old
    tensor._version = result._version  # a new value, not a change to one that a rule of result's reads
    if recorded:  # (no node used a constant as a parent: nothing for backprop to check)
        # (held weakly where the new record holds it; a view's new record, a view of its new base, does not, nor
        # one whose operation holds a stand-in)
        held = weakref.ref(old) if used and stand_in is None else (lambda: old)
        REBASED.put(tensor, REBASED.value(tensor, ()) + ((old._seq, held),))
    elif tensor in DETACHED:  # detached in place (detach_ forgot its records): the uses recorded before that get a
        _stand_in_for_earlier_uses(tensor)  # stand-in (_record_at); one entry, however many times it is done
    for level in DUAL_LEVELS:  # (forward AD: a tangent given to tensor enters at old now)
        level.rebased(tensor, old)
    return old


# ---- a change through a view: PyTorch's CopySlices ------------------------------------------------------------------
def is_recorded_view(tensor, memory):
    """Whether tensor (whose memory is memory) was recorded as a view of a Tensor sharing that memory."""
    return type(tensor._op) is ViewPrimitive and tensor._parents and tensor._slots == (0,) and \
        getattr(tensor._parents[0], "_memory", None) is memory


def _view_chain(tensor, memory):
    """(base, chain): tensor as the recorded views in chain, (operation, settings) pairs, applied in turn to base,
    walking up the views of memory's Tensors."""
    chain = []
    while is_recorded_view(tensor, memory):
        chain.append((tensor._op, tensor._params))
        tensor = tensor._parents[0]
    return tensor, chain[::-1]


def _view_family(tensor, memory):
    """{Tensor: its chain from the base} for every live Tensor sharing memory, tensor's and the base's included, when
    all are recorded views of one recorded result; else None."""
    base, _ = _view_chain(tensor, memory)
    if base._op is None or not base._requires_grad:  # a constant's or a leaf's views are not rebased
        return None
    family = {}
    for ref in memory.members:
        member = ref()
        if member is None:
            continue
        root, chain = _view_chain(member, memory)
        if root is not base:  # a detached copy, a view taken under no_grad
            return None
        family[member] = chain
    return family


def _positions(chain, shape):
    """The index (a tuple of integer arrays) of base, of shape shape, that the views in chain pick, or None when
    they pick a position twice."""
    positions = np.arange(int(np.prod(shape))).reshape(shape)
    for op, params in chain:
        positions = op.forward(positions, **params)
    if np.unique(positions).size != positions.size:
        return None
    return np.unravel_index(positions, shape)


def _take_through_views(tensor, result, family, where, instead):
    """The change of tensor (a recorded view, or a recorded result with views) to result, made as PyTorch's
    CopySlices makes it: the base takes the record of itself with result written where tensor lies (an index_put),
    and each of its views, tensor included, takes the record of that view of the base's new value. Every name for
    any of them sees the change; the old values stay with the old records. A view repeating elements is refused."""
    from .ops.indexing import _assigned  # (ops imports the module that imports this one)
    base = next(member for member, chain in family.items() if not chain)
    chain = family[tensor]
    index = _positions(chain, base.shape) if chain else None
    if chain and index is None:
        raise _not_a_view_error(tensor, where, instead)
    # (HOOKED is empty, false, unless some Tensor has hooks: then a hooked view on the way is looked for)
    unhooked = _unhooked_views(tensor, len(chain)) if chain and HOOKED else None
    new_base = result if not chain else _assigned(base, result, index=index)
    old_base = _rebase(base, new_base, _recorded_since(new_base, base), recorded=True)
    if unhooked is not None:
        unhooked[-1]._parents = (old_base,)
    for member, chain in family.items():
        if member is base:
            continue
        view = base
        for op, params in chain:  # (each a recorded view sharing the base's new memory)
            view = op(view, **params)
        stand_in = unhooked[0] if unhooked is not None and member is tensor else None
        _rebase(member, view, _recorded_since(view, member), recorded=True, stand_in=stand_in)
        share_memory(member, base)
    return tensor


def _unhooked_views(tensor, count):
    """None when neither tensor, a recorded view count views away from its base, nor a view on the way has hooks;
    else copies of their records without hooks, each the parent of the one before, tensor's first, for the
    operation changing tensor to use in its place. PyTorch's CopySlices sends the change's gradient to the base's
    old grad_fn directly, past the views' old grad_fns, which hold their hooks: these get the gradients of the
    uses recorded before the change only, and a hook on a view changed through itself and not used before never
    fires. (The last copy's parent, the base, is set by the caller to the base's old record.)"""
    views = [tensor]
    for _ in range(count - 1):
        views.append(views[-1]._parents[0])
    if not any(view in HOOKED for view in views):
        return None
    copies = []
    for view in views:
        copy = _record_copy(view)
        if copies:
            copies[-1]._parents = (copy,)
        copies.append(copy)
    return copies


def overwritten(x, value):
    """The recorded form of overwriting x with value (broadcast): fill_, copy_ and zero_ on a recorded result, whose
    old history gets a zero gradient, as PyTorch's.

    >>> import autograd_core as ag
    >>> from autograd_core.in_place_record import overwritten
    >>> overwritten(ag.tensor([1.0, 2.0], requires_grad=True), 0.0)
    Tensor([0., 0.], op=where)
    """
    from .ops import where  # (ops imports the module that imports this one)
    return where(np.ones(x.shape, dtype=bool), value, x)


def _recorded_since(result, tensor):
    """The nodes of result's graph recorded after tensor, result included."""
    seq, made = tensor._seq, {result}
    stack = [result]
    while stack:
        for parent in stack.pop()._parents:
            if parent._seq > seq and parent not in made:
                made.add(parent)
                stack.append(parent)
    return made


def _check_can_take(tensor, result, where, instead):
    if tensor._op is None and tensor._requires_grad:
        raise RuntimeError(f"{where}: a leaf that requires grad (shape {tensor.shape}) cannot be "
                           f"changed in place while gradients are recorded, as in PyTorch; {instead}, or change it "
                           f"under ag.no_grad()")
    if result.dtype != tensor.dtype or result.shape != tensor.shape:
        raise TypeError(f"{where}: the result ({result.dtype}, shape {result.shape}) cannot be "
                        f"written into the input ({tensor.dtype}, shape {tensor.shape}); {instead}")
    # Views share the change, as PyTorch's: the base and its views are rebased together (_take_through_views). The
    # new values go into new arrays, so an array's own base, a buffer no other Tensor sees, is no matter.
    memory = getattr(tensor, "_memory", None)
    family = None
    if memory is not None and memory.shared_by_others(tensor):  # (a view the operation used too: `h.mul_(h[0])`)
        family = _view_family(tensor, memory)
        if family is None:
            raise _not_a_view_error(tensor, where, instead)
    return family


def _not_a_view_error(tensor, where, instead):
    return RuntimeError(f"{where}: the input (shape {tensor.shape}) shares its memory with another Tensor that is "
                        f"not a recorded view of the same result (a detached copy, a view taken under no_grad or of a "
                        f"constant, or a view repeating elements), which PyTorch's change would change too; {instead}")


def rewire_rebased(order):
    """Send each use of a Tensor recorded before an in-place change (a node with an input created after it) to the
    record the Tensor had when it was used, as PyTorch's edges keep pointing at the old grad_fn. Returns whether an
    edge moved: the pass then orders the graph again.

    >>> import autograd_core as ag
    >>> w = ag.tensor([-1.0, 2.0], requires_grad=True)
    >>> h = w * 3
    >>> earlier = h * 10  # recorded before relu_ changes h
    >>> _ = h.relu_()
    >>> (earlier.sum() + h.sum()).backward(); w.grad  # 30 from the earlier use, 3 where relu passed it
    Tensor([30., 33.])
    """
    moved = False
    for node in order:
        seq = node._seq
        parents = node._parents
        for parent in parents:
            if parent._seq > seq:
                node._parents = tuple(_record_at(p, node, i) if p._seq > seq else p
                                      for p, i in zip(parents, node._slots))
                moved = True
                break
    return moved


def _held_at(tensor, seq):
    """REBASED's entry for tensor in force for a use recorded at seq (the last made before it), or None."""
    for old_seq, old in reversed(REBASED.value(tensor, ())):
        if old_seq < seq:
            return old
    return None


def _record_at(tensor, node, slot):
    """The record tensor (node's input slot) had when node was recorded: the last of its earlier records made
    before node, or, when it was detached in place since (detach_ forgets them), a constant standing for it."""
    old = _held_at(tensor, node._seq)
    if old is not None:
        if type(old) is _Detached:
            return _detached_stand_in(tensor, node, slot, old.behind)
        if old() is None:  # the graph of the Tensor's new value was released (a backward pass through it)
            raise RuntimeError(
                f"backprop: a node uses a Tensor (shape {tensor.shape}) that was changed in place after it, and "
                f"the record the Tensor had then was freed with the graph of its new value (by a backward pass "
                f"through it, or detach_); pass retain_graph=True to that backward, or backpropagate through both "
                f"uses in one pass")
        return old()
    raise RuntimeError(f"backprop: a node uses a Tensor (shape {tensor.shape}) recorded after it, whose earlier record "
                       f"is unknown; the graph is not in creation order")  # (no way to make one: a safeguard)


def forget_record(tensor):
    """detach_'s core: tensor, a recorded result, becomes a constant leaf, its record (operation, inputs, earlier
    records) released. It takes a constant's creation number (0), and a later change in place keeps no copy of its
    value for the uses recorded before (one per step, with `x.detach_(); x.copy_(w)` in a loop, kept while x lived):
    backprop gives those a stand-in when it reaches them (_detached_stand_in).

    >>> import autograd_core as ag
    >>> from autograd_core.in_place_record import forget_record
    >>> h = ag.tensor([1.0, 2.0], requires_grad=True) * 3
    >>> forget_record(h); h.requires_grad, h.grad_fn
    (False, None)
    """
    from .detached_graph import skeleton_of  # (it imports this module)
    behind = skeleton_of(tensor)  # (an earlier detach_'s uses, which reach tensor itself now, included)
    tensor._op, tensor._parents, tensor._inputs, tensor._seq = None, (), None, 0
    tensor._requires_grad = False
    REBASED.discard(tensor)
    DETACHED.put(tensor, behind)


def requires_grad_after_detach(tensor):
    """requires_grad_() of a Tensor detached in place: a leaf newer than the uses recorded before the detach_, which
    get a stand-in when backprop reaches them (refused if a gradient reaches it), as after a change in place; the
    uses recorded from now on reach the leaf (`h.detach_(); h.requires_grad_()` in truncated backprop).

    >>> import autograd_core as ag
    >>> w = ag.tensor([1.0, 2.0], requires_grad=True)
    >>> h = w * 3
    >>> a = h + 1  # recorded before detach_: its gradient would be cut silently
    >>> _ = h.detach_().requires_grad_()
    >>> (h * 2).sum().backward(); h.grad
    Tensor([2., 2.])
    """
    _stand_in_for_earlier_uses(tensor)
    tensor._seq = _next_seq()


def _stand_in_for_earlier_uses(tensor):
    # tensor, detached in place, is recorded again: the uses recorded before the detach_ get a stand-in when backprop
    # reaches them (one REBASED entry), and tensor leaves DETACHED (its stand-ins are members)
    REBASED.put(tensor, ((0, _Detached(DETACHED.value(tensor))),))
    DETACHED.discard(tensor)


def _detached_stand_in(tensor, node, slot, behind):
    """A constant standing for tensor in node, which used it before tensor was detached in place and then changed
    (`x.detach_(); x.copy_(w)`): the value node used (its saved input), without grad. Its version is one no value
    has, so a rule that reads it refuses, as PyTorch's after that change (and no record is kept per change); behind:
    the skeleton of tensor's graph then (detached_graph)."""
    inputs = node._inputs
    stand_in = Tensor._constant(tensor._data if inputs is None else inputs[slot])
    stand_in.name, stand_in._version = tensor.name, -1
    DETACHED.put(stand_in, behind)
    return stand_in


def refuse_detached(table, where):
    """Raise if a gradient in table (a pass's: backward, autograd.grad, backprop) reached a recorded result detached
    in place (detach_) after a use of it was recorded: PyTorch's would go on into the graph behind it, which detach_
    cut here (a pass toward given inputs reaches it only when one of them was behind it:
    detached_graph.watch_detached)."""
    for node in table:
        if not node._requires_grad and node in DETACHED:
            raise RuntimeError(
                f"{where}: a gradient reached a Tensor (shape {node.shape}) that was detached in place (detach_) "
                f"after this graph used it; here detach_ cuts those earlier uses from the graph behind it too "
                f"(PyTorch's still reach it), so the gradients of that graph would be silently missing. Call detach_ "
                f"after this pass (once the graphs using it are done with), or take x = x.detach() (a new Tensor) "
                f"instead of x.detach_()")


# ---- what Tensor's in-place operators and methods share ---------------------------------------------------------
class _ItemAssignment:
    """What an error in t[index] = value names, "item assignment at index ...", written out only when one is raised."""

    __slots__ = ("index",)

    def __init__(self, index):
        self.index = index

    def __str__(self):
        return f"item assignment at index {self.index!r}"


def _is_itself(tensor, raw_index, value):
    """Whether value is a Tensor whose array is the very memory tensor[raw_index] selects (a view taken by that
    basic index), so that assigning it there writes each element onto itself."""
    if not isinstance(value, Tensor) or getattr(value, "_memory", None) is None:
        return False
    memory = getattr(tensor, "_memory", None)
    if value._memory is not memory:
        return False
    try:
        selected = tensor.data[raw_index]
    except (IndexError, TypeError, ValueError):
        return False
    mine = value.data
    return (isinstance(selected, np.ndarray) and selected.base is not None and selected.dtype == mine.dtype
            and selected.shape == mine.shape and selected.strides == mine.strides
            and selected.__array_interface__["data"][0] == mine.__array_interface__["data"][0])


def _fill_zeros(value, _):
    value[...] = 0


_ZEROS_INSTEAD = "use ag.zeros_like(x) for a new Tensor (for a .grad, p.grad = None)"


def refusing_recorded_change(owner, instead):
    """The refusal of owner (normal_, uniform_) overwriting a recorded result in place, for _in_place:
    the message says why and suggests instead, or x.detach()."""
    def refuse(x, _):
        raise RuntimeError(f"{owner}: this Tensor was computed by '{x._op.name}' in a recorded graph, and changing it "
                           f"in place would change the values backward reads; {instead}, or x.detach()")
    return refuse


_ASSIGNMENT_INSTEAD = ("build a new Tensor with ag.where, ag.concatenate or indexing (a buffer filled row by row: "
                       "collect the rows in a list and ag.stack it; PyTorch's `x[mask] = value` is "
                       "`x = x.masked_fill(mask, value)`, and `x[mask] = values` (one per True) is "
                       "`x = x.masked_scatter(mask, values)`; NumPy's `x[index] = v` is "
                       "`hit = np.zeros(x.shape, bool); hit[index] = True; x = ag.where(hit, v, x)`, and "
                       "`x[index] -= v` is `x = x - ag.where(hit, v, 0)`)")


# ---- the in-place operators and Tensor's in-place methods' core (set on Tensor by tensor.py) ------------------------
# In place, as in PyTorch: `with ag.no_grad(): w -= lr * w.grad` updates w itself; while recording, a recorded result
# (or a constant, `c += w`) takes the record of `x op other` (take_record), so that its aliases, views and base see
# the change. `@=` alone still makes a new node: torch.Tensor has no __imatmul__, so Python rebinds the name there.
def _in_place_operator(symbol, update, out_of_place, takes_record=True):
    def operator_method(self, other):
        try:
            return self._in_place(other, symbol, update, out_of_place, takes_record=takes_record)
        except TypeError:  # an object the operators leave to its reflected method: `x op= obj` is x = x op obj
            if _foreign(other):
                return NotImplemented
            raise
    operator_method.__name__ = f"__i{update.__name__.lstrip('i')}__"
    return operator_method


def _in_place(self, other, symbol, update, out_of_place, instead=None, takes_record=True):
    """x op= other, keeping x's shape and dtype as NumPy does. Recording it: `x op other` is recorded (out_of_place)
    and, with takes_record (the operators but `@=`, the in-place methods), x itself takes that node's record
    (in_place_record.take_record) and is returned, as PyTorch's change in place; without it (`@=`) the new node is
    returned, for Python to rebind the name. A leaf that requires grad is refused, as in PyTorch. Not recording
    (no_grad, or no gradient involved): the value is updated, and its version counted (and those of the Tensors
    sharing its memory), so graphs that saved it refuse to backpropagate (a recorded result too, as PyTorch's:
    its record stays, so the gradient passes by the change). Errors suggest instead, by default
    `write x = x op ... for a new, recorded Tensor`."""
    instead = instead or f"write x = x {symbol[:-1]} ... for a new, recorded Tensor"
    memory = getattr(self, "_memory", None)
    # `with ag.no_grad(): v = w[0]`, then v.mul_(2) while recording: refused whatever the value and whether w lives
    # (the mark is v's), as PyTorch's; a leaf that requires grad gets the leaf's refusal below
    if GRAD_MODE.enabled and memory is not None and memory.is_no_grad_view(self) and \
            not (self._requires_grad and self._op is None):
        raise _no_grad_view_error(self, memory, symbol, instead)
    if GRAD_MODE.enabled and (self._requires_grad or isinstance(other, Tensor) and other._requires_grad):
        if self._requires_grad and self._op is None:
            raise RuntimeError(
                f"{symbol}: a leaf Tensor that requires grad (shape {self.shape}) cannot be updated in place "
                f"while gradients are recorded; update it under `with ag.no_grad():` (as optimizers do), "
                f"or {instead}")
        if memory is not None and memory.shared_with_leaf(self):  # a view of a parameter, as PyTorch refuses it
            raise RuntimeError(
                f"{symbol}: this Tensor (shape {self.shape}) is a view of a leaf Tensor that requires grad, which "
                f"would keep the old values (NumPy would change it, PyTorch refuses); {instead}, or change the "
                f"leaf itself under `with ag.no_grad():`")
        result = out_of_place(self, other)
        if result.shape != self.shape:
            raise self._in_place_error(symbol, other, ValueError, "the result's shape differs")
        if result.dtype != self.dtype:
            if not np.can_cast(result.dtype, self.dtype, "same_kind"):
                raise self._in_place_error(symbol, other, TypeError, f"{result.dtype} does not cast to it",
                                           result.dtype)
            result = result.astype(self.dtype)
        if result._requires_grad:
            if memory is not None and not self._requires_grad and memory.shared_by_others(self):  # (a constant's)
                raise RuntimeError(  # x becomes a new node: its views, or its base, would not see it
                    f"{symbol}: this Tensor (shape {self.shape}) shares its memory with a view or a detached copy, "
                    f"which would keep the old values: a value that requires grad cannot be written into it in "
                    f"place; {instead}, or build the whole value with ag.where or ag.stack")
            if takes_record:  # `t *= 2`, t.mul_(2): t becomes result, as PyTorch's change in place
                return take_record(self, result, symbol, instead)
            return result  # `h @= m`: Python rebinds h to result (which retains no grad), as torch's
        if self._requires_grad:  # `y //= x`: floor division has no gradient (PyTorch's backward then fails)
            raise RuntimeError(f"{symbol}: its result has no gradient, and writing it into a Tensor that requires "
                               f"grad (shape {self.shape}) is not recorded here; {instead.replace(', recorded', '')} (a "
                               f"constant: floor division has no gradient), or change it under ag.no_grad()")
        # `c //= x`, c a constant: a constant result, written in place as below
    # A recorded result under no_grad is changed as PyTorch's (counted: a rule that reads it then refuses, and a
    # later use sees the new value, the gradient passing by the change: insightface's margin), unless its array
    # is a view no SharedMemory counts (an operation's result that views another node's array)
    if self._op is not None and type(self._data) is np.ndarray and self._data.base is not None and \
            getattr(self, "_memory", None) is None:
        raise RuntimeError(
            f"{symbol}: this Tensor was computed by '{self._op.name}' in a recorded graph as a view of another "
            f"value, and changing it in place would change values backward reads uncounted; {instead}, or "
            f"x.detach()")
    if GRAD_MODE.enabled and isinstance(other, (list, tuple)):  # `c[:2] = [w, w]` (self a constant)
        refuse_held_graph(other, symbol, advice="join them with ag.stack or ag.concatenate first, or write under "
                                                "ag.no_grad()")
    try:
        update(self.data, as_value(other))  # .data: an ndarray, where a reduction may have left a NumPy scalar
    except (TypeError, ValueError, OverflowError) as err:  # NumPy's casting, shape and range errors, named
        if isinstance(err, ops.indexing.IndexShapeError):  # (setitem's, already named)
            raise
        kind = OverflowError if isinstance(err, OverflowError) else TypeError if isinstance(err, TypeError) else \
            ValueError  # (a Python int beyond the dtype: `u8 += 300`, `u8[0] = -1`)
        raise self._in_place_error(symbol, other, kind, err, getattr(err, "from_", None))  # (NumPy's casting
        # error carries the result's dtype: int64 / int64 is float64)
    self._count_change()
    return self


def _no_grad_view_error(tensor, memory, symbol, instead):
    """The refusal of symbol changing tensor, a view taken under no_grad of a Tensor that requires grad (or a view
    of one), while recording: PyTorch refuses it as ambiguous (should the change be recorded?), with or without a
    value that requires grad, and also once the base's .data was replaced."""
    change_too = "make the change under `with ag.no_grad():` too"
    if memory.shared_with_leaf(tensor):  # (a leaf's view is changed under no_grad only, as the leaf itself)
        base, way = "a leaf Tensor that requires grad", f"{change_too} (as an optimizer's update)"
    else:
        base, way = "a Tensor that requires grad", (f"take the view outside no_grad for a recorded change (written "
                                                    f"into a recorded result, as PyTorch's), or {change_too}")
    return RuntimeError(f"{symbol}: this Tensor (shape {tensor.shape}) is a view of {base} taken under ag.no_grad() "
                        f"(or a view of such a view), and is being changed in place while gradients are recorded, "
                        f"which PyTorch refuses as ambiguous (should the change be recorded?); {way}, or {instead}")


def zero_(self):
    """Fill with zeros in place and return self, as torch.Tensor.zero_: `p.grad.zero_()`, or a leaf under
    `with ag.no_grad():`. It refuses a leaf that requires grad while gradients are recorded, as the in-place
    operators do; a recorded result (`p.grad.zero_()` after backward(create_graph=True) among them) takes the
    record of the fill, as fill_(0) and PyTorch's zero_ (its history gets a zero gradient).

    >>> import autograd_core as ag
    >>> w = ag.tensor([1.0, 2.0], requires_grad=True)
    >>> with ag.no_grad():
    ...     w.zero_()
    Tensor([0., 0.], requires_grad=True)
    """
    return self._in_place(0, "zero_", _fill_zeros, overwritten, _ZEROS_INSTEAD)


_ALSO_RUNTIME = {TypeError: OperandTypeError, ValueError: OperandError, OverflowError: OperandOverflowError}


def _in_place_error(self, symbol, other, kind, reason, result_dtype=None):
    """The error of an in-place update the Tensor cannot take; result_dtype: the dtype of a result that does not
    cast to the Tensor's (named as PyTorch's "result type Float can't be cast to the desired output type Long")."""
    kind = _ALSO_RUNTIME.get(kind, kind)  # (PyTorch raises RuntimeError: "result type Float can't be cast to ...")
    value = as_value(other)
    if not self.data.flags.writeable:  # NumPy's "assignment destination is read-only" says nothing of why
        return kind(f"{symbol}: cannot update a Tensor of shape {self.shape} in place: its memory is read-only, "
                    f"a view in which several elements share one memory location (expand or broadcast_to) or a "
                    f"read-only array's; clone() it first, as PyTorch asks")
    if result_dtype is not None:
        return kind(f"{symbol}: cannot update a Tensor of shape {self.shape} and dtype {self.dtype} in place with a "
                    f"value of shape {np.shape(value)} and dtype {np.result_type(value)}: the result type "
                    f"{np.dtype(result_dtype)} can't be cast to the Tensor's dtype {self.dtype} (NumPy's same_kind "
                    f"rule, as PyTorch refuses it); compute a new Tensor out of place, or cast the Tensor first")
    return kind(f"{symbol}: cannot update a Tensor of shape {self.shape} and dtype {self.dtype} in place with a "
                f"value of shape {np.shape(value)} and dtype {np.result_type(value)}: the result must keep the "
                f"Tensor's shape and a dtype it casts to ({reason})")


def setitem(self, index, value):
    """t[index] = value with NumPy's semantics, in place, as in PyTorch. Outside recording, on a leaf or a
    constant (for a leaf that requires grad, under ag.no_grad()): it counts as a change, so graphs that saved t
    refuse to backpropagate. While recording (t, or value, requires grad), t takes the record of the assignment
    done out of place (PyTorch's index_put_; see in_place_record.take_record); a leaf that requires grad is
    refused then, as in PyTorch.

    >>> import autograd_core as ag
    >>> t = ag.zeros(3)
    >>> t[1:] = 2.0
    >>> t
    Tensor([0., 2., 2.])
    """
    raw_index = ops.indexing._raw_index(index)
    if self._op is not None and _is_itself(self, raw_index, value):
        # `y[1:] += w`: Python changed y through the view y[1:] (counted under no_grad; recorded while recording,
        # y and the view rebased together) and now assigns that view onto itself, which changes nothing (torch
        # records it as a second copy into the same place, with the same values and gradients)
        return
    symbol = _ItemAssignment(index)  # (its text only for an error: repr of an array index costs tens of µs)

    def assign(array, new_values):
        kind = np.result_type(new_values).kind
        if kind == "c":  # NumPy only warns for an array of them
            raise TypeError(f"{symbol}: complex values are not supported (a cast would drop the imaginary part)")
        if kind == "O" and (odd := non_number(np.asarray(new_values))):  # NumPy makes None NaN (torch refuses)
            raise TypeError(f"{symbol}: the value holds {odd}; it must hold numbers (write float('nan') for NaN)")
        try:
            ops.indexing.write(array, raw_index, new_values)
        except IndexError as err:
            raise IndexError(f"{symbol}: the index does not fit a Tensor of shape {self.shape}: {err}") from None
        except ops.indexing.IndexShapeError as err:
            raise ops.indexing.IndexShapeError(f"{symbol} of a Tensor of shape {self.shape}: {err}") from None

    # While recording, t takes the record of the assignment done out of place (PyTorch's index_put_)
    self._in_place(value, symbol, assign, lambda t, v: ops.indexing._assigned(t, v, index=raw_index),
                   _ASSIGNMENT_INSTEAD)


def delitem(self, index):
    """del t[index]: refused with PyTorch's TypeError (a class with __setitem__ alone would raise AttributeError)."""
    raise TypeError(f"del t[{index!r}]: a Tensor's elements cannot be deleted (its shape is fixed, as in PyTorch); "
                    f"keep the others instead, with t[mask] or np.delete(t, index)")


# What tensor.py sets on Tensor: the operators `x op= y`, __setitem__, zero_ and the in-place core they share.
TENSOR_METHODS = {
    "__iadd__": _in_place_operator("+=", operator.iadd, operator.add),
    "__isub__": _in_place_operator("-=", operator.isub, operator.sub),
    "__imul__": _in_place_operator("*=", operator.imul, operator.mul),
    "__itruediv__": _in_place_operator("/=", operator.itruediv, operator.truediv),
    "__ipow__": _in_place_operator("**=", operator.ipow, operator.pow),
    "__imatmul__": _in_place_operator("@=", operator.imatmul, operator.matmul, takes_record=False),
    "__iand__": _in_place_operator("&=", operator.iand, operator.and_),
    "__ior__": _in_place_operator("|=", operator.ior, operator.or_),
    "__ixor__": _in_place_operator("^=", operator.ixor, operator.xor),
    "__ilshift__": _in_place_operator("<<=", operator.ilshift, operator.lshift),
    "__irshift__": _in_place_operator(">>=", operator.irshift, operator.rshift),
    "__ifloordiv__": _in_place_operator("//=", operator.ifloordiv, operator.floordiv),
    "__imod__": _in_place_operator("%=", operator.imod, operator.mod),
    "_in_place": _in_place, "_in_place_error": _in_place_error, "zero_": zero_, "__setitem__": setitem,
    "__delitem__": delitem,
}
