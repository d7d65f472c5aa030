"""The abstract picture: which items (tensors, operations, constants, modules) and edges to draw,
built from the graph by iterative traversal, and its summaries for large graphs."""
from collections import deque

import numpy as np

from ..backprop import backprop, topological_order
from ..primitive import SavedVersions
from ..tensor import Tensor
from .style import ACTIVATIONS, ARG_NAMES, COMMUTATIVE, GLUE


# ---- the abstract picture: items and edges, then summarised, then emitted ------------------
class _Item:
    """A node of the picture. kind: tensor, op, const, module or note."""

    __slots__ = ("id", "kind", "ref", "cluster", "backward", "extra")

    def __init__(self, id, kind, ref=None, cluster=None, backward=False, extra=None):
        self.id, self.kind, self.ref, self.cluster, self.backward, self.extra = id, kind, ref, cluster, backward, extra


class _Picture:
    def __init__(self):
        self.items = {}  # id -> _Item, in drawing order
        self.edges = []  # (src, dst, attrs)
        self.notes = []  # caption lines

    def add(self, item):
        self.items[item.id] = item
        return item.id

    def edge(self, src, dst, **attrs):
        self.edges.append((src, dst, attrs))


def _param_names(params):
    """(Tensor -> dotted name, module prefix -> display label) from a Module or a mapping."""
    if params is None:
        return {}, {}
    if hasattr(params, "named_parameters"):
        pairs = list(params.named_parameters())
    elif hasattr(params, "items"):
        pairs = list(params.items())
    else:
        raise TypeError(
            f"draw_graph: params must be an nn.Module (anything with named_parameters()) or a mapping "
            f"name -> Tensor, got {type(params).__name__}"
        )
    names = {}
    for name, tensor in pairs:
        if not isinstance(tensor, Tensor):
            raise TypeError(f"draw_graph: params[{name!r}] must be a Tensor, got {type(tensor).__name__}")
        names.setdefault(tensor, str(name))
    labels = {}
    if hasattr(params, "named_modules"):
        for prefix, module in params.named_modules():
            labels[prefix] = f"{prefix} ({_module_kind(module)})" if prefix else _module_kind(module)
    return names, labels


def _module_kind(module):
    kind = type(module).__name__
    n_in, n_out = getattr(module, "in_features", None), getattr(module, "out_features", None)
    if isinstance(n_in, (int, np.integer)) and isinstance(n_out, (int, np.integer)):
        kind += f" {n_in}\u2192{n_out}"
    return kind


def _prefix(name):
    return name.rsplit(".", 1)[0] if "." in name else None


def _assign_modules(forward, names):
    """Each operation's module (dotted prefix), by these rules:

    1. an operation whose parameter-side inputs (parameters, or Tensors computed from one module's
       parameters and plain numbers only, like weight.T) all belong to module M is in M;
    2. an operation joining two or more results that were all made in M (the running sum
       b + w0*x0 + w1*x1 of a neuron) is in M;
    3. an activation (ACTIVATIONS) whose single input was made in M is in M;
    4. a reshaping operation or cast (GLUE) whose results only M's operations use is in M.
    Everything else (a loss, an operation mixing modules) is drawn outside the clusters.
    """
    pure = {}    # node -> module whose parameters (and plain numbers) alone computed it
    module = {}  # op node -> module its operation is drawn in
    consumers = {}
    for node in forward:
        if node._op is None:
            if node in names:
                pure[node] = _prefix(names[node])
            continue
        parents = node._parents
        for p in parents:
            consumers.setdefault(p, []).append(node)
        owners = {pure[p] for p in parents if p in pure}
        owners.discard(None)
        if len(owners) == 1:  # rule 1
            (owner,) = owners
            module[node] = owner
            inputs = node._inputs or ()
            scalar_constants = all(np.size(v) <= 1 for i, v in enumerate(inputs) if i not in node._slots)
            if scalar_constants and all(pure.get(p) == owner for p in parents):
                pure[node] = owner
            continue
        if owners:
            continue  # parameters of several modules: outside
        made_in = {module.get(p, pure.get(p)) for p in parents}
        if len(set(parents)) >= 2 and len(made_in) == 1 and None not in made_in:  # rule 2
            module[node] = made_in.pop()
        elif node._op.name in ACTIVATIONS and len(parents) == 1 and parents[0] in module:  # rule 3
            module[node] = module[parents[0]]
    for node in reversed(forward):  # rule 4, from the output backwards so chains of glue settle
        if node._op is None or node in module or node._op.name not in GLUE or node not in consumers:
            continue
        owners = {module.get(c) for c in consumers[node]}
        if len(owners) == 1 and None not in owners:
            module[node] = owners.pop()
    return module


def _drawing_order(order):
    """A topological order in which leaves come in the order they are first used (stable pictures).

    topological_order sorts by creation number, and all leaves share number 0; here each leaf is
    placed just before the first operation that consumes it, in argument order.
    """
    placed = set()
    result = []
    for node in order:
        if node._op is None:
            continue
        for parent in node._parents:
            if parent._op is None and parent not in placed:
                placed.add(parent)
                result.append(parent)
        result.append(node)
    result.extend(n for n in order if n._op is None and n not in placed)  # a lone leaf (or a freed graph)
    return result


def _gradients(output, forward, show_grad, grads):
    """node -> (gradient value, label) for show_grad; and a caption note when some are missing."""
    if not show_grad:
        return {}, None
    note = None
    table = grads
    if table is None:
        intact = all(n._op is None or n._inputs is not None for n in forward)
        if output.requires_grad and output.size == 1 and intact:
            try:
                table = backprop(output, retain_graph=True)
            except RuntimeError:  # e.g. a value it saved was changed in place since: drawn without them
                note = ("gradients of intermediate nodes not shown: backprop refuses this graph (run "
                        "ag.backprop(output, retain_graph=True) to see why)")
        elif output.requires_grad and intact:  # (a freed graph gets its own note)
            note = ("gradients of intermediate nodes not shown: the output is not a scalar; pass "
                    "grads=ag.backprop(output, gradient, retain_graph=True)")
        table = table or {}
    shown = {}
    for node in forward:
        g = table.get(node)
        if g is not None:
            if _kind(g) not in "biuf":  # ('abc': a bare "could not convert string to float" from the label)
                raise TypeError(f"draw_graph: grads must map each node to its gradient, a Tensor, array or number; "
                                f"the entry of {node.name or 'a node'!r} is {type(g).__name__} {repr(g)[:40]}")
            shown[node] = (g, "grad")
        elif node._op is None and node.grad is not None:
            shown[node] = (node.grad, ".grad")
    return shown, note


def _kind(value):
    """The NumPy dtype kind of value's array ("f", "i", ...), "O" when it makes none (a ragged list)."""
    try:
        return np.asarray(value._data if isinstance(value, Tensor) else value).dtype.kind
    except (TypeError, ValueError):
        return "O"


def _input_names(inputs):
    """id(array) -> name for the arrays of `inputs` (name -> Tensor or array) that constants may be."""
    if inputs is None:
        return {}
    if not hasattr(inputs, "items"):
        raise TypeError(f"draw_graph: inputs must be a mapping name -> Tensor or array, got {type(inputs).__name__}")
    return {id(value._data if isinstance(value, Tensor) else value): str(name) for name, value in inputs.items()}


def _constant_title(value, known):
    """'x' for the array of input x, 'view of x' for x.T and other views of it, else 'constant'."""
    if id(value) in known:
        return known[id(value)]
    base = getattr(value, "base", None)
    while base is not None:
        if id(base) in known:
            return f"view of {known[id(base)]}"
        base = getattr(base, "base", None)
    return "constant"


def _constant_names(nodes):
    """{id(array): name} for the named constant Tensors that the nodes' rules read: a node keeps only their arrays
    as inputs, and the Tensors (so their names) only where a rule reads them (SavedVersions). One name found serves
    every use of the same array (c in w * c + c)."""
    found = {}
    for node in nodes:
        if node._op is None:
            continue
        saved, inputs = node._saved_version, node._inputs
        if type(saved) is SavedVersions and inputs is not None:
            found.update((id(inputs[i]), c.name) for i, c, _ in saved.constants if c.name)
    return found


def _build(output, show_data, show_grad, include_backward, params, grads, show_constants, precision, inputs):
    if grads is not None and not (hasattr(grads, "get") and hasattr(grads, "items")):  # (checked whatever the flags:
        # include_backward read grads.items(), an AttributeError, and without show_grad it was ignored)
        raise TypeError(f"draw_graph: grads must be a mapping node -> gradient (from ag.backprop), "
                        f"got {type(grads).__name__}")
    pic = _Picture()
    forward = _drawing_order(topological_order(output))
    forward_set = set(forward)
    names, module_labels = _param_names(params)
    known_inputs = _input_names(inputs)
    shown_grads, note = _gradients(output, forward, show_grad, grads)
    if note:
        pic.notes.append(note)
    module = _assign_modules(forward, names) if names else {}
    param_module = {t: _prefix(n) for t, n in names.items()}

    backward, grad_of = [], {}
    if include_backward:
        roots = []
        for node in forward:
            g = node._grad  # (the attribute itself: reading .grad of a result warns)
            if node._op is None and isinstance(g, Tensor) and g._requires_grad:
                roots.append(g)
                grad_of.setdefault(g, {})[node] = True  # one gradient node may be several leaves' (a + b)
        if grads is not None:  # a grad_table recorded with create_graph=True: its entries are graph nodes
            for node, g in grads.items():
                if isinstance(g, Tensor) and g._requires_grad and node in forward_set:
                    roots.append(g)
                    if node._op is None:
                        grad_of.setdefault(g, {})[node] = True
        backward = [n for n in _drawing_order(topological_order(*roots)) if n not in forward_set]
        if not backward:
            raise ValueError(
                "draw_graph(include_backward=True): no recorded backward graph: the leaves' .grad are not graph "
                "nodes; run output.backward(create_graph=True) first (or pass grads=ag.backprop(output, "
                "create_graph=True))"
            )
    clusters = {}  # module prefix -> cluster label
    ids = {}
    freed = False
    out_name = output.name or "output"
    consts = {}  # id(array) -> item id, for arrays used more than once
    constant_names = _constant_names(forward + backward)
    used_modules = set(module.values())

    for k, node in enumerate(forward + backward):
        is_backward = k >= len(forward)
        tid = f"t{k}"
        ids[node] = tid
        if node is output:
            role = "output"
        elif is_backward:
            role = "backward"
        elif node in names:
            role = "param"
        elif node._op is None:
            role = "input"
        else:
            role = "hidden"
        cluster = None
        if not is_backward and node is not output:  # the output stays in view, outside any module
            cluster = module.get(node) if node._op is not None else param_module.get(node)
            if node._op is None and cluster not in used_modules:
                cluster = None  # a parameter no clustered operation uses stays outside
        if cluster is not None:
            clusters.setdefault(cluster, module_labels.get(cluster, cluster))
        title = names.get(node) or node.name
        if node in grad_of:
            title = " = ".join(f"\u2202{out_name}/\u2202{names.get(leaf) or leaf.name or 'input'}"
                               for leaf in grad_of[node])
        pic.add(_Item(tid, "tensor", node, cluster, is_backward,
                      {"role": role, "title": title, "grad": shown_grads.get(node)}))
        if node._op is None:
            continue
        oid = f"o{k}"
        op_freed = node._inputs is None
        freed = freed or op_freed
        pic.add(_Item(oid, "op", node, cluster, is_backward, {"freed": op_freed}))
        pic.edge(oid, tid, backward=is_backward)
        if op_freed:
            continue
        by_slot = dict(zip(node._slots, node._parents))
        n_inputs = len(node._inputs)
        labelled = n_inputs > 1 and node._op.name not in COMMUTATIVE
        for slot, value in enumerate(node._inputs):
            label = ARG_NAMES[slot] if labelled and slot < len(ARG_NAMES) else ""
            if slot in by_slot:
                pic.edge(ids[by_slot[slot]], oid, label=label, backward=is_backward)
            elif show_constants:
                # One node per array or named Tensor, however many operations read it; an unnamed number, one per use
                # (whether two equal numbers are one object is Python's business)
                shared = np.size(value) > 1 or id(value) in constant_names
                cid = consts.get(id(value)) if shared else None
                if cid is None:
                    title = constant_names.get(id(value)) or _constant_title(value, known_inputs)
                    # A named input is the network's input, not part of the module that first reads it.
                    where = cluster if title == "constant" else None
                    cid = pic.add(_Item(f"c{k}_{slot}", "const", value, where, is_backward, {"title": title}))
                    if shared:
                        consts[id(value)] = cid
                pic.edge(cid, oid, label=label, backward=is_backward, const=True)
    for grad_node, leaves in grad_of.items():
        for leaf in leaves:
            pic.edge(ids[grad_node], ids[leaf], gradient_of=True)
    if freed:
        pic.notes.append("this graph was freed by backward(): the inputs of operations marked 'freed' are gone; "
                         "draw before backward, or call backward(retain_graph=True)")
    starts = [ids[output]] + [ids[g] for g in grad_of]  # what a summary keeps in view
    return pic, clusters, starts


# ---- summaries for large graphs ------------------------------------------------------------
def _collapse_modules(pic, clusters):
    """One box per module cluster; edges inside a module vanish, edges across it are kept once."""
    counts = {}
    for item in pic.items.values():
        if item.cluster is not None:
            c = counts.setdefault(item.cluster, {"ops": [], "params": [], "size": 0})
            c["size"] += 1
            if item.kind == "op":
                c["ops"].append(item.ref._op.name)
            elif item.kind == "tensor" and item.extra["role"] == "param":
                c["params"].append((item.extra["title"], item.ref.shape))
    new = _Picture()
    new.notes = list(pic.notes)
    box = {}
    for i, prefix in enumerate(clusters):
        box[prefix] = new.add(_Item(f"m{i}", "module", prefix, None, False,
                                    {"label": clusters[prefix], **counts[prefix]}))
    where = {}
    for item in pic.items.values():
        if item.cluster is None:
            new.add(item)
            where[item.id] = item.id
        else:
            where[item.id] = box[item.cluster]
    seen = set()
    for src, dst, attrs in pic.edges:
        s, d = where[src], where[dst]
        if s == d or (s, d) in seen:
            continue
        seen.add((s, d))
        keep_label = s == src and d == dst
        new.edge(s, d, **(attrs if keep_label else {k: v for k, v in attrs.items() if k != "label"}))
    return new, where


def _neighbourhood(pic, starts, limit):
    """Keep the `limit` items nearest the starts (walking against the data flow); one box for the rest."""
    preds = {}
    for src, dst, _ in pic.edges:
        preds.setdefault(dst, []).append(src)
    keep = {}
    queue = deque(list(dict.fromkeys(s for s in starts if s in pic.items))[:limit])  # the output first
    for s in queue:
        keep[s] = True
    while queue and len(keep) < limit:
        node = queue.popleft()
        for p in preds.get(node, ()):
            if p not in keep and len(keep) < limit:
                keep[p] = True
                queue.append(p)
    hidden = sum(pic.items[i].extra["size"] if pic.items[i].kind == "module" else 1
                 for i in pic.items if i not in keep)
    new = _Picture()
    new.notes = list(pic.notes)
    for item_id in pic.items:
        if item_id in keep:
            new.add(pic.items[item_id])
    more = new.add(_Item("more", "note", None, None, False, {"label": f"\u22ef {hidden} earlier nodes not drawn"}))
    cut = set()
    for src, dst, attrs in pic.edges:
        if src in keep and dst in keep:
            new.edge(src, dst, **attrs)
        elif dst in keep and dst not in cut:
            cut.add(dst)
            new.edge(more, dst, style="dotted")
    return new, hidden
