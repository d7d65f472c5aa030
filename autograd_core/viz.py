"""Drawing computational graphs with Graphviz.

`draw_graph(output)` returns a `graphviz.Digraph` of the graph that produced `output`: one
box per Tensor (its name, shape and dtype; on request its value and its gradient) and one
ellipse per operation, with edges in data-flow order (input -> operation -> result).
`render_graph(output, path)` writes it as a PNG, SVG or PDF image. In Jupyter a Digraph
displays itself inline (it has `_repr_mimebundle_`).

What is drawn
  * Tensors that require grad are the graph's nodes (`topological_order`); the inputs of an
    operation that do not require grad (Python numbers, data arrays) are drawn as grey
    "constant" nodes, one per use for single numbers and one per array; `inputs={"x": x}`
    names such data.
  * `show_grad=True` shows d(output)/d(node) for every node: from `grads=` (a grad_table
    from `ag.backprop`) when given, else computed here with
    `ag.backprop(output, retain_graph=True)` when `output` is a scalar and its graph is
    still intact (no `.grad` is touched). A leaf with no table entry shows its `.grad`,
    labelled `.grad`.
  * `params=` (an `nn.Module`, or anything with `named_parameters()`, or a mapping
    name -> Tensor) labels parameters by their dotted names and groups operations into one
    Graphviz cluster per module, e.g. "layers.0 (Linear 64->32)". The rule: an operation
    belongs to module M when the parameter-side inputs it consumes (parameters, or Tensors
    computed from M's parameters and plain numbers only, like `weight.T`) all belong to M;
    an activation (relu, sigmoid, tanh, ...) whose single input was made in M is drawn in M
    too, so a cluster reads as "affine map + nonlinearity", h = g(W x + b); an operation
    joining results all made in M (a neuron's running sum) is in M; and a transpose or cast
    whose results only M's operations use is in M. A loss, or anything mixing modules, is
    drawn outside the clusters (details in `_assign_modules`). A deep network reads best
    top to bottom: pass rankdir="TB".
  * `include_backward=True` also draws the backward pass recorded by
    `backward(create_graph=True)` (or by `ag.backprop(..., create_graph=True)`, passed as
    `grads=`): every node reachable from the leaves' `.grad` that is not in the forward
    graph, inside a dashed red cluster; a dotted red arrow joins each gradient to its leaf.
  * A graph of more than `max_nodes` drawn nodes is summarised, and its caption says how:
    first each module cluster is collapsed into one box; if that is not enough, only the
    `max_nodes` nodes nearest the output are kept and one box stands for the rest.

Graph traversal is iterative (`topological_order` and explicit stacks), never recursive.
"""
import html
import os
import shutil
from collections import deque

import numpy as np

try:
    import graphviz
except ImportError as err:  # pragma: no cover - graphviz is in the viz extra
    raise ImportError(
        "autograd_core.viz needs the graphviz Python package: pip install graphviz "
        "(or pip install -e '.[viz]'), plus Graphviz's dot program to render images"
    ) from err

from .backprop import backprop, topological_order
from .tensor import Tensor, as_value

__all__ = ["draw_graph", "render_graph", "GraphvizNotFound", "INSTALL_HINT"]

INSTALL_HINT = (
    "install Graphviz: sudo apt-get install graphviz (Debian/Ubuntu), brew install graphviz (macOS), "
    "conda install graphviz, or run `make setup` in the project"
)
FORMATS = ("png", "svg", "pdf")
RANKDIRS = ("LR", "TB", "RL", "BT")

# Activations drawn inside the module whose output they transform (see the module docstring).
ACTIVATIONS = frozenset({"relu", "leaky_relu", "elu", "sigmoid", "tanh", "softplus"})
# Reshaping operations and casts: drawn inside the module whose operations use their results.
GLUE = frozenset({"transpose", "reshape", "astype", "broadcast_to", "expand_dims", "squeeze", "swapaxes"})
COMMUTATIVE = frozenset({"add", "multiply", "maximum", "minimum"})
# op name -> (symbol shown large, operand pattern shown small); others show their name.
SYMBOLS = {
    "add": ("+", "a + b"), "subtract": ("\u2212", "a \u2212 b"), "multiply": ("\u00d7", "a \u00d7 b"),
    "divide": ("\u00f7", "a / b"), "power": ("**", "a ** b"), "matmul": ("@", "a @ b"),
    "negative": ("\u2212", "\u2212a"),
}
ARG_NAMES = "abcdefghijklmnopqrstuvwxyz"

# Colours (Tailwind-like palette): calm fills, the output and gradients stand out.
FONT = "Helvetica"
STYLE = {
    "input": {"fillcolor": "#dbeafe", "color": "#3b82f6"},       # a leaf that requires grad
    "param": {"fillcolor": "#dcfce7", "color": "#16a34a"},       # an nn parameter
    "hidden": {"fillcolor": "#f8fafc", "color": "#94a3b8"},      # an intermediate result
    "output": {"fillcolor": "#fef3c7", "color": "#b45309", "penwidth": "2"},
    "backward": {"fillcolor": "#fee2e2", "color": "#dc2626"},    # a node of the recorded backward pass
}
GRAD_COLOR = "#b91c1c"
MUTED = "#64748b"


class GraphvizNotFound(RuntimeError):
    """Graphviz's `dot` program is not installed, so images cannot be rendered (DOT source still can)."""


# ---- labels ------------------------------------------------------------------------------
def _fmt(x, precision):
    """One number, short: 4 significant digits by default."""
    if isinstance(x, (bool, np.bool_)):
        return str(bool(x))
    if isinstance(x, (int, np.integer)):
        return str(int(x))
    x = float(x)
    return "0" if x == 0 else f"{x:.{precision}g}"  # never "-0"


def summarize(value, precision=4, max_items=6):
    """The lines that describe an array's values: all of them when there are few, else a sample.

    >>> summarize(2.5)
    ['2.5']
    >>> summarize(np.arange(100.0))
    ['[0, 1, 2, \u2026]', 'range [0, 99]']
    """
    a = np.asarray(as_value(value))
    if a.size == 0:
        return ["(empty)"]
    if a.ndim == 0:
        return [_fmt(a.item(), precision)]
    if a.size <= max_items:
        text = np.array2string(a, separator=", ", max_line_width=10**6,
                               formatter={"all": lambda v: _fmt(v, precision)})
        return [" ".join(text.split())]
    flat = a.ravel()
    head = ", ".join(_fmt(v, precision) for v in flat[:3])
    if a.dtype.kind == "b":
        return [f"[{head}, \u2026]", f"{int(flat.sum())} of {a.size} True"]
    return [f"[{head}, \u2026]", f"range [{_fmt(flat.min(), precision)}, {_fmt(flat.max(), precision)}]"]


def _describe_type(value):
    a = np.asarray(as_value(value))
    shape = "scalar" if a.ndim == 0 else str(a.shape)
    return f"{shape} {a.dtype}"


def _esc(text):
    return html.escape(str(text), quote=True)


def _html_rows(rows):
    """An HTML-like Graphviz label: a borderless table, one row per (text, attributes) pair."""
    cells = []
    for text, kind in rows:
        text = _esc(text)
        if kind == "title":
            text = f"<b>{text}</b>"
        elif kind == "small":
            text = f'<font point-size="10" color="{MUTED}">{text}</font>'
        elif kind == "grad":
            text = f'<font color="{GRAD_COLOR}">{text}</font>'
        elif kind == "big":
            text = f'<font point-size="18"><b>{text}</b></font>'
        cells.append(f"<tr><td>{text}</td></tr>")
    return '<<table border="0" cellborder="0" cellspacing="0" cellpadding="1">' + "".join(cells) + "</table>>"


_SIMPLE = (bool, int, float, str, tuple, list, slice, np.generic, np.ndarray, np.dtype, type)


def _param_text(params):
    """An operation's parameters (axis=1, negative_slope=0.1), short; internal objects are left out."""
    shown = []
    for key, value in params.items():
        if value is None or value is False or not isinstance(value, _SIMPLE):
            continue  # e.g. an ag.Function's ctx
        if isinstance(value, np.ndarray):
            text = f"array{value.shape}"
        elif isinstance(value, (np.dtype, type)):
            text = np.dtype(value).name
        else:
            text = repr(value)
        shown.append(f"{key}={text if len(text) <= 28 else text[:27] + chr(0x2026)}")
    return ", ".join(shown)


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


def _backward_nodes(roots, forward_set):
    """Nodes reachable from roots that are not in the forward graph, in creation order (no recursion)."""
    seen = set(forward_set)
    found = []
    stack = [r for r in roots if r not in seen]
    for r in stack:
        seen.add(r)
    while stack:
        node = stack.pop()
        found.append(node)
        for parent in node._parents:
            if parent not in seen:
                seen.add(parent)
                stack.append(parent)
    found.sort(key=lambda n: n._seq)
    return found


def _gradients(output, forward, show_grad, grads):
    """node -> (gradient value, label) for show_grad; and a caption note when some are missing."""
    if not show_grad:
        return {}, None
    note = None
    table = grads
    if table is None:
        intact = all(n._op is None or n._inputs is not None for n in forward)
        if output.requires_grad and output.size == 1 and intact:
            table = backprop(output, retain_graph=True)
        elif output.requires_grad and intact:  # (a freed graph gets its own note)
            note = ("gradients of intermediate nodes not shown: the output is not a scalar; pass "
                    "grads=ag.backprop(output, gradient, retain_graph=True)")
        table = table or {}
    elif not hasattr(table, "get"):
        raise TypeError(f"draw_graph: grads must be a mapping node -> gradient (from ag.backprop), "
                        f"got {type(table).__name__}")
    shown = {}
    for node in forward:
        g = table.get(node)
        if g is not None:
            shown[node] = (g, "grad")
        elif node._op is None and node.grad is not None:
            shown[node] = (node.grad, ".grad")
    return shown, note


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


def _build(output, show_data, show_grad, include_backward, params, grads, show_constants, precision, inputs):
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
            g = node.grad
            if node._op is None and isinstance(g, Tensor) and g._requires_grad:
                roots.append(g)
                grad_of.setdefault(g, node)
        if grads is not None:  # a grad_table recorded with create_graph=True: its entries are graph nodes
            for node, g in grads.items():
                if isinstance(g, Tensor) and g._requires_grad and node in forward_set:
                    roots.append(g)
                    if node._op is None:
                        grad_of.setdefault(g, node)
        backward = _backward_nodes(roots, forward_set)
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
            leaf = grad_of[node]
            title = f"\u2202{out_name}/\u2202{names.get(leaf) or leaf.name or 'input'}"
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
                big = np.size(value) > 1
                cid = consts.get(id(value)) if big else None
                if cid is None:
                    cid = pic.add(_Item(f"c{k}_{slot}", "const", value, cluster, is_backward,
                                        {"title": _constant_title(value, known_inputs)}))
                    if big:
                        consts[id(value)] = cid
                pic.edge(cid, oid, label=label, backward=is_backward, const=True)
    for grad_node, leaf in grad_of.items():
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
    queue = deque(s for s in starts if s in pic.items)
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


# ---- emitting DOT -------------------------------------------------------------------------
def _tensor_label(item, show_data, precision):
    node, extra = item.ref, item.extra
    rows = []
    if extra["title"]:
        rows.append((extra["title"], "title"))
    rows.append((_describe_type(node._data), "small"))
    if show_data:
        lines = summarize(node._data, precision)
        rows.append((f"value {lines[0]}", None))
        rows.extend((line, "small") for line in lines[1:])
    if extra["grad"] is not None:
        value, source = extra["grad"]
        lines = summarize(value, precision)
        rows.append((f"{source} {lines[0]}", "grad"))
        rows.extend((line, "grad") for line in lines[1:])
    return _html_rows(rows)


def _op_label(item):
    node = item.ref
    name = node._op.name
    rows = []
    if name in SYMBOLS:
        symbol, pattern = SYMBOLS[name]
        rows.append((symbol, "big"))
        rows.append((f"{name}  {pattern}" if name not in COMMUTATIVE else name, "small"))
    else:
        rows.append((name, "title"))
    shown = _param_text(node._params or {})
    if shown:
        rows.append((shown, "small"))
    if item.extra["freed"]:
        rows.append(("freed (inputs released by backward)", "grad"))
    return _html_rows(rows)


def _const_label(item, show_data, precision):
    value = item.ref
    if np.size(value) == 1:
        return _html_rows([(summarize(value, precision)[0], None)])
    rows = [(item.extra["title"], "title"), (_describe_type(value), "small")]
    if show_data:
        lines = summarize(value, precision)
        rows.append((f"value {lines[0]}", None))
        rows.extend((line, "small") for line in lines[1:])
    return _html_rows(rows)


def _module_label(item):
    extra = item.extra
    rows = [(extra["label"], "title")]
    ops = extra["ops"]
    if ops:
        kinds = list(dict.fromkeys(ops))
        more = ", \u2026" if len(kinds) > 5 else ""
        rows.append((f"{len(ops)} operations: {', '.join(kinds[:5])}{more}", "small"))
    for name, shape in extra["params"][:4]:
        rows.append((f"{name} {shape if shape else 'scalar'}", "small"))
    return _html_rows(rows)


def _emit(pic, clusters, rankdir, show_data, precision, title):
    dot = graphviz.Digraph("computational_graph")
    dot.attr(rankdir=rankdir, fontname=FONT, nodesep="0.25", ranksep="0.4", newrank="true")
    dot.attr("node", fontname=FONT, fontsize="12", margin="0.12,0.06")
    dot.attr("edge", fontname=FONT, fontsize="10", color="#475569", arrowsize="0.7")
    caption = []
    if title:
        caption.append(f"<b>{_esc(title)}</b>")
    caption.extend(_esc(note) for note in pic.notes)
    if caption:
        dot.attr(label="<" + '<br align="left"/>'.join(caption) + '<br align="left"/>>', labelloc="t",
                 labeljust="l", fontsize="12")

    def node_attrs(item):
        if item.kind == "tensor":
            role = item.extra["role"]
            attrs = {"shape": "box", "style": "rounded,filled", **STYLE[role]}
            if item.backward and role == "output":
                attrs.update(STYLE["backward"])
            return _tensor_label(item, show_data, precision), attrs
        if item.kind == "op":
            fill = "#fecaca" if item.backward else "#e2e8f0"
            return _op_label(item), {"shape": "ellipse", "style": "filled", "fillcolor": fill, "color": "#64748b",
                                     "margin": "0.05,0.02"}
        if item.kind == "const":
            if np.size(item.ref) == 1:
                return _const_label(item, show_data, precision), {"shape": "plaintext", "fontcolor": "#334155"}
            return _const_label(item, show_data, precision), {"shape": "box", "style": "dashed,rounded",
                                                              "color": MUTED}
        if item.kind == "module":
            return _module_label(item), {"shape": "box3d", "style": "filled", "fillcolor": "#e0e7ff",
                                         "color": "#4f46e5"}
        return _html_rows([(item.extra["label"], "small")]), {"shape": "note", "color": MUTED}

    groups = {}
    for item in pic.items.values():
        key = "__backward__" if item.backward else item.cluster
        groups.setdefault(key, []).append(item)
    for key, items in groups.items():
        if key is None:
            for item in items:
                label, attrs = node_attrs(item)
                dot.node(item.id, label, **attrs)
            continue
        with dot.subgraph(name=f"cluster_{len(dot.body)}") as sub:
            if key == "__backward__":
                sub.attr(label="backward pass (recorded by create_graph=True)", style="dashed,rounded",
                         color="#dc2626", fontcolor="#dc2626", fontname=FONT, fontsize="12")
            else:
                sub.attr(label=clusters.get(key, key), style="rounded,filled", fillcolor="#f1f5f9",
                         color="#64748b", fontname=f"{FONT} Bold", fontsize="13", labeljust="l")
            for item in items:
                label, attrs = node_attrs(item)
                sub.node(item.id, label, **attrs)
    for src, dst, attrs in pic.edges:
        edge = {}
        if attrs.get("label"):
            edge["label"] = attrs["label"]
        if attrs.get("backward"):
            edge.update(color="#dc2626", style="dashed")
        if attrs.get("const"):
            edge.setdefault("color", "#94a3b8")
        if attrs.get("style"):
            edge["style"] = attrs["style"]
        if attrs.get("gradient_of"):
            edge.update(color="#dc2626", style="dotted", constraint="false", arrowhead="odot", label="grad of")
        dot.edge(src, dst, **edge)
    return dot


def draw_graph(output, *, show_data=False, show_grad=False, include_backward=False, rankdir="LR", params=None,
               grads=None, max_nodes=200, show_constants=True, precision=4, title=None, inputs=None):
    """The computational graph that produced `output`, as a `graphviz.Digraph` (DOT source; no `dot` needed).

    One box per Tensor (name, shape, dtype; the value with `show_data`, d(output)/d(node) with
    `show_grad`) and one ellipse per operation, edges in data-flow order. Keyword arguments:

    show_data: print each Tensor's value (a sample and the range for large arrays).
    show_grad: print gradients: from `grads` if given, else `ag.backprop(output, retain_graph=True)`
        when `output` is a scalar with an intact graph; leaves without an entry show `.grad`.
    include_backward: also draw the backward pass recorded by `backward(create_graph=True)`.
    rankdir: "LR" (left to right), "TB", "RL" or "BT".
    params: an nn Module or a mapping name -> Tensor: dotted names, and one cluster per module.
    grads: a grad_table from `ag.backprop(output, ...)`, node -> gradient.
    max_nodes: above this many drawn nodes the graph is summarised (the caption says how).
    show_constants: draw inputs that do not require grad (numbers, data) as grey nodes.
    inputs: a mapping name -> Tensor (or array) naming such data, e.g. {"x": x}: its node is
        titled "x" ("view of x" when an operation consumed x.T or another view of it).
    precision: significant digits of the numbers shown. title: a caption.

    >>> import autograd_core as ag
    >>> x = ag.tensor(2.0, requires_grad=True, name="x")
    >>> y = ag.tanh(3.0 * x)
    >>> dot = draw_graph(y, show_data=True, show_grad=True)
    >>> "tanh" in dot.source and "x" in dot.source
    True
    """
    if not isinstance(output, Tensor):
        raise TypeError(f"draw_graph: output must be an autograd_core Tensor, got {type(output).__name__}")
    if rankdir not in RANKDIRS:
        raise ValueError(f"draw_graph: rankdir must be one of {', '.join(RANKDIRS)}, got {rankdir!r}")
    if not isinstance(max_nodes, (int, np.integer)) or max_nodes < 2:
        raise ValueError(f"draw_graph: max_nodes must be an integer >= 2, got {max_nodes!r}")
    pic, clusters, starts = _build(output, show_data, show_grad, include_backward, params, grads,
                                   show_constants, precision, inputs)
    total = len(pic.items)
    collapsed = False
    if total > max_nodes and clusters:
        pic, where = _collapse_modules(pic, clusters)
        starts = list(dict.fromkeys(where[s] for s in starts))
        clusters, collapsed = {}, True
    if len(pic.items) > max_nodes:
        pic, hidden = _neighbourhood(pic, starts, max_nodes - 1)
        boxes = "each module is drawn as one box and " if collapsed else ""
        pic.notes.append(f"summary: {total} nodes is more than max_nodes={max_nodes}; {boxes}only the "
                         f"{max_nodes - 1} nearest the output are drawn ({hidden} of the {total} nodes are not)")
    elif collapsed:
        pic.notes.append(f"summary: {total} nodes is more than max_nodes={max_nodes}, so each module is "
                         f"drawn as one box")
    return _emit(pic, clusters, rankdir, show_data, precision, title)


def render_graph(output, path, format="png", **draw_kwargs):
    """Draw `output`'s graph (see `draw_graph`, which takes `draw_kwargs`) and write it to an image file.

    `format` is "png", "svg" or "pdf"; ".{format}" is added to `path` unless it already ends
    so. Returns the path written. `output` may also be a `graphviz.Digraph` from `draw_graph`.
    Raises GraphvizNotFound (a RuntimeError) saying how to install Graphviz when `dot` is missing.

    >>> import os, tempfile
    >>> import autograd_core as ag
    >>> x = ag.tensor(1.0, requires_grad=True, name="x")
    >>> path = render_graph(ag.exp(x), os.path.join(tempfile.mkdtemp(), "exp"), format="svg")
    >>> path.endswith("exp.svg") and os.path.getsize(path) > 0
    True
    """
    if format not in FORMATS:
        raise ValueError(f"render_graph: format must be one of {', '.join(FORMATS)}, got {format!r}")
    path = os.fspath(path)
    suffix = os.path.splitext(path)[1].lower()
    if suffix in {f".{f}" for f in FORMATS} and suffix != f".{format}":
        raise ValueError(f"render_graph: the path {path!r} ends in {suffix} but format={format!r}; "
                         f"pass format={suffix[1:]!r} or change the path")
    if suffix != f".{format}":
        path = f"{path}.{format}"
    dot = output if isinstance(output, graphviz.Digraph) else draw_graph(output, **draw_kwargs)
    if shutil.which("dot") is None:
        raise GraphvizNotFound(f"render_graph: Graphviz's `dot` program was not found on PATH; {INSTALL_HINT}. "
                               f"(draw_graph still returns the DOT source without it.)")
    if format == "png":
        dot = dot.copy()
        dot.attr(dpi="110")
    try:
        data = dot.pipe(format=format)
    except graphviz.ExecutableNotFound as err:
        raise GraphvizNotFound(f"render_graph: Graphviz's `dot` program could not be run ({err}); "
                               f"{INSTALL_HINT}") from None
    except graphviz.CalledProcessError as err:
        raise RuntimeError(f"render_graph: dot failed: {err.stderr.decode(errors='replace').strip()}") from None
    directory = os.path.dirname(path)
    if directory:
        os.makedirs(directory, exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
    return path
