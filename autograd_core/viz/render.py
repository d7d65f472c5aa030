"""Emitting the picture as a graphviz.Digraph, and rendering it to an image with `dot`."""
import errno
import os
import shutil

import numpy as np
import graphviz

from .._arguments import as_flag
from ..atomic_file import atomic_file, image_target
from ..tensor import Tensor
from .style import FONT, FORMATS, INSTALL_HINT, MUTED, RANKDIRS, STYLE
from .labels import _check_precision, _const_label, _esc, _html_rows, _inline, _module_label, _op_label, _tensor_label
from .picture import _build, _collapse_modules, _neighbourhood


class GraphvizNotFound(RuntimeError):
    """Graphviz's `dot` program is not installed, so images cannot be rendered (DOT source still can)."""


def _emit(pic, clusters, rankdir, show_data, precision, title):
    dot = graphviz.Digraph("computational_graph")
    # nslimit bounds dot's x-placement pass (network simplex, unbounded by default): a value used by
    # many operations has edges spanning many ranks, and x+x+...+x with 60 terms took 7.6 s to lay
    # out, 0.46 s with the limit; graphs that converge within it keep their layout.
    dot.attr(rankdir=rankdir, fontname=FONT, nodesep="0.25", ranksep="0.4", newrank="true", nslimit="1")
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
            return _tensor_label(item, show_data, precision), {"shape": "box", "style": "rounded,filled", **STYLE[role]}
        if item.kind == "op":
            fill = "#fecaca" if item.backward else "#e2e8f0"
            return _op_label(item), {"shape": "ellipse", "style": "filled", "fillcolor": fill, "color": "#64748b",
                                     "margin": "0.05,0.02"}
        if item.kind == "const":
            if _inline(item):
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
                sub.attr(label=f"<{_esc(clusters.get(key, key))}>", style="rounded,filled", fillcolor="#f1f5f9",
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
        titled "x" ("view of x" when an operation consumed x.T or another view of it). A named
        Tensor that does not require grad is titled by its name where the operation saved it (a
        product, matmul, a layer: the values its gradient reads); elsewhere name it here.
    precision: significant digits of the numbers shown, 1 to 1000. title: a caption.

    >>> import autograd_core as ag
    >>> from autograd_core.viz import draw_graph
    >>> x = ag.tensor(2.0, requires_grad=True, name="x")
    >>> y = ag.tanh(3.0 * x)
    >>> dot = draw_graph(y, show_data=True, show_grad=True)
    >>> "tanh" in dot.source and "x" in dot.source
    True
    """
    if not isinstance(output, Tensor):
        raise TypeError(f"draw_graph: output must be an autograd_core Tensor, got {type(output).__name__}")
    for flag, value in (("show_data", show_data), ("show_grad", show_grad), ("include_backward", include_backward),
                        ("show_constants", show_constants)):
        as_flag(value, "draw_graph", flag)
    if rankdir not in RANKDIRS:
        raise ValueError(f"draw_graph: rankdir must be one of {', '.join(RANKDIRS)}, got {rankdir!r}")
    if not isinstance(max_nodes, (int, np.integer)) or max_nodes < 2:
        raise ValueError(f"draw_graph: max_nodes must be an integer >= 2, got {max_nodes!r}")
    precision = _check_precision(precision, "draw_graph")
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
                         f"{len(pic.items) - 1} nearest the output are drawn ({hidden} of the {total} nodes are not)")
    elif collapsed:
        pic.notes.append(f"summary: {total} nodes is more than max_nodes={max_nodes}, so each module is "
                         f"drawn as one box")
    return _emit(pic, clusters, rankdir, show_data, precision, title)


def render_graph(output, path, format="png", **draw_kwargs):
    """Draw `output`'s graph (see `draw_graph`, which takes `draw_kwargs`) and write it to an image file.

    `format` is "png", "svg" or "pdf"; ".{format}" is added to `path` unless it already ends
    so. Returns the path written. `output` may also be a `graphviz.Digraph` from `draw_graph` (then no draw_kwargs).
    Raises GraphvizNotFound (a RuntimeError) saying how to install Graphviz when `dot` is missing.

    >>> import os, tempfile
    >>> import autograd_core as ag
    >>> from autograd_core.viz import render_graph
    >>> x = ag.tensor(1.0, requires_grad=True, name="x")
    >>> path = render_graph(ag.exp(x), os.path.join(tempfile.mkdtemp(), "exp"), format="svg")
    >>> path.endswith("exp.svg") and os.path.getsize(path) > 0
    True
    """
    if format not in FORMATS:  # (None too, which image_target would take as no format given)
        raise ValueError(f"render_graph: format must be one of {', '.join(FORMATS)}, got {format!r}")
    if not isinstance(path, (str, bytes, os.PathLike)):
        raise TypeError(f"render_graph: path must be a file name (a str or os.PathLike), got {path!r}")
    text = os.fsdecode(path)
    if "\0" in text:  # (open() would say only "embedded null byte")
        raise ValueError(f"render_graph: the path {text!r} holds a NUL character, which no file name can")
    if os.path.basename(text) in ("", ".", ".."):  # "", "dir/", "." or "..": the extension alone would name the file
        example = os.path.join(text, "graph") if text else "graph"
        raise ValueError(f"render_graph: the path {text!r} names no file (a directory, or nothing); give a file "
                         f"name, e.g. {example!r}")
    if isinstance(output, graphviz.Digraph) and draw_kwargs:  # they would be ignored: the picture is drawn already
        raise TypeError(f"render_graph: {', '.join(draw_kwargs)} {'is' if len(draw_kwargs) == 1 else 'are'} "
                        f"draw_graph's, for a Tensor; the Digraph given is drawn already (pass them to draw_graph, "
                        f"or pass the output Tensor here)")
    path, format = image_target(path, format, FORMATS, "render_graph", stem=True)
    dot = output if isinstance(output, graphviz.Digraph) else draw_graph(output, **draw_kwargs)
    if shutil.which("dot") is None:
        raise GraphvizNotFound(f"render_graph: Graphviz's `dot` program was not found on PATH; {INSTALL_HINT}. "
                               f"(draw_graph still returns the DOT source without it.)")
    if format == "png":
        dot = dot.copy()
        dot.attr(dpi="110")
    try:
        data = dot.pipe(format=format, quiet=True)  # (dot's messages go into the error below, not to stderr)
    except graphviz.ExecutableNotFound as err:
        raise GraphvizNotFound(f"render_graph: Graphviz's `dot` program could not be run ({err}); "
                               f"{INSTALL_HINT}") from None
    except graphviz.CalledProcessError as err:
        lines = [line.strip() for line in (err.stderr or b"").decode(errors="replace").splitlines() if line.strip()]
        said = "; ".join(lines)[:1000] or f"it exited with status {err.returncode} and no message"
        raise RuntimeError(f"render_graph: dot failed: {said}") from None  # one line
    if not data:  # a broken dot that exits 0 without output: no empty image
        raise RuntimeError(f"render_graph: dot wrote no {format} output; check the Graphviz installation (dot -V)")
    directory = os.path.dirname(path)
    if directory:
        try:
            os.makedirs(directory, exist_ok=True)
        except FileExistsError:  # (exist_ok: a file, not a directory, at that name) the error open() would give
            raise NotADirectoryError(errno.ENOTDIR, f"render_graph: cannot create the directory {directory}: "
                                                    f"{os.strerror(errno.ENOTDIR)}") from None
        except OSError as err:  # a parent that is a file, no permission: named as atomic_file names its errors
            raise type(err)(err.errno, f"render_graph: cannot create the directory {directory}: {err.strerror}") \
                from None
    with atomic_file(path, "render_graph") as f:  # an interrupted run leaves the old image or the new one
        f.write(data)
    return path
