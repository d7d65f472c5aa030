"""What detach_ keeps of the graph it cuts (in_place_record.forget_record): a skeleton of weak references, no
values, so that a pass toward given inputs (autograd.grad, backward(inputs=)) that reaches a Tensor detached in place
through a use recorded before can tell whether one of its inputs was behind it (watch_detached), and then refuses as
backward does (in_place_record.refuse_detached) rather than miss that use's gradient silently.
"""
import weakref

from .in_place_record import DETACHED, REBASED, _Detached, _held_at
from .primitive import _next_seq

# What detach_ keeps of the graph it cuts (skeleton_of): a skeleton, each node as a list [weak reference, its creation
# number then, *its parents' skeletons] (_UNKNOWN: a record a backward had freed): no values. The detach_s run
# while no node is recorded (`p.grad.detach_()` for every parameter) share their skeletons through _WALKED, {id: its
# skeleton}, so that each node is walked once for them all (a walk per detach_ made a hand zero_grad after
# backward(create_graph=True) cost parameters times the graph); it is emptied at the first detach_ after a recording.
_UNKNOWN = [None, -1]
_WALKED = {}
_WALKED_AT = [0]  # (the creation number the last detach_ drew)


def skeleton_of(tensor):
    """The skeleton of tensor's record (see _UNKNOWN): its inputs', theirs... with, for the Tensors on the way that
    were detached in place (and tensor's earlier detach_s), the skeletons their earlier uses reach; kept by detach_ so
    that a pass toward given inputs can tell whether a use recorded before went to one (watch_detached).

    >>> import autograd_core as ag
    >>> from autograd_core.detached_graph import skeleton_of
    >>> w = ag.tensor([1.0, 2.0], requires_grad=True)
    >>> skeleton = skeleton_of(w * 3)  # [a reference to w * 3, its creation number, w's skeleton]
    >>> skeleton[2][0]() is w
    True
    """
    stamp = _next_seq()  # (drawn: a node recorded since the last detach_ drew a number in between)
    if stamp != _WALKED_AT[0] + 1:
        _WALKED.clear()
    _WALKED_AT[0] = stamp
    walked, detached, ref = _WALKED, DETACHED.get, weakref.ref
    root = [ref(tensor), tensor._seq]
    if REBASED:  # detached before, recorded again: its earlier uses reach it too (what they reach, bounded)
        root += [_frontier(old.behind) for _, old in REBASED.value(tensor, ()) if type(old) is _Detached]
    if tensor._inputs is None:  # (a recorded result's: detach_ calls this for those alone)
        root.append(_UNKNOWN)
        return root
    stack = [(tensor, root)]
    while stack:
        node, parents = stack.pop()
        seq = node._seq
        for parent in node._parents:
            if REBASED and parent._seq > seq:  # a use recorded before parent's record, _record_at's rule (one
                # recorded after `h.detach_(); h.requires_grad_()` reaches the new leaf alone, not what detach_ cut)
                if type(held := _held_at(parent, seq)) is _Detached:  # (its graph then: not parent's now)
                    parents.append(held.behind)
                    continue
                if held is not None:  # changed in place since: the record this use saw, not the change's inputs
                    parent = held()
                    if parent is None:  # (freed by a backward pass)
                        parents.append(_UNKNOWN)
                        continue
            key = id(parent)
            if (held := detached(key)) is not None and held() is parent:  # detached in place: what it held then
                parents.append(DETACHED.value(parent))
                continue
            known = walked.get(key)
            if known is not None and known[0]() is parent and known[1] == parent._seq:
                parents.append(known)
            elif parent._op is not None and parent._inputs is None:  # freed by a backward pass
                parents.append(_UNKNOWN)
            else:
                known = walked[key] = [ref(parent), parent._seq]
                parents.append(known)
                if parent._parents:
                    stack.append((parent, known))
    return root


def _frontier(skeleton):
    """A skeleton standing for skeleton with its dead part left out: the skeletons of the live records it reaches
    through dead ones (a buffer detached each step would chain one per step)."""
    kept, seen, stack = [], set(), [skeleton]
    while stack:
        part = stack.pop()
        node = part[0]() if part[0] is not None else None
        if part is _UNKNOWN or node is not None and node._seq == part[1]:
            if (id(node), part[1]) not in seen:  # (one per record: each walk made its own)
                seen.add((id(node), part[1]))
                kept.append(part)
            continue
        for parent in part[2:]:
            if id(parent) not in seen:
                seen.add(id(parent))
                stack.append(parent)
    return [None, -1, *kept]


def _holds(skeleton, targets):
    """True if skeleton reaches one of targets ({id: Tensor}, with the record it had then), None if not but a part of
    it is unknown, else False."""
    unknown, seen, stack = False, set(), [skeleton]
    while stack:
        part = stack.pop()
        ref, seq = part[0], part[1]
        if ref is not None and (node := ref()) is not None and targets.get(id(node)) is node and node._seq == seq:
            return True
        if part is _UNKNOWN:
            unknown = True
            continue
        for parent in part[2:]:
            if id(parent) not in seen:
                seen.add(id(parent))
                stack.append(parent)
    return None if unknown else False


def watch_detached(order, wanted):
    """wanted (a pass's, toward given inputs), with the Tensors detached in place in order (the pass's graph: reached
    by a use recorded before the detach_) whose graph held a wanted node: the pass goes to them too, so that
    refuse_detached refuses it if a gradient reaches one, as backward's, rather than miss that use's gradient. One
    whose graph is partly unknown (a backward had freed a record in it) is watched only when some wanted node is on no
    path of order, as _depending_on refuses a pass holding a freed record: a wanted node reached is taken as reached."""
    get, watched, nodes, targets = DETACHED.get, [], None, {id(x): x for x in wanted}
    for node in order:
        if (ref := get(id(node))) is None or ref() is not node:
            continue
        held = _holds(DETACHED.value(node), targets)
        if held is None:
            nodes = set(order) if nodes is None else nodes
            held = not nodes.issuperset(wanted)
        if held:
            watched.append(node)
    return [*wanted, *watched] if watched else wanted
