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
try:
    import graphviz  # noqa: F401
except ImportError as err:  # pragma: no cover - graphviz is in the viz extra
    raise ImportError(
        "autograd_core.viz needs the graphviz Python package: pip install 'autograd_core[viz]' "
        "(or pip install graphviz), plus Graphviz's dot program to render images"
    ) from err

from .labels import summarize
from .render import GraphvizNotFound, draw_graph, render_graph
from .style import INSTALL_HINT

__all__ = ["draw_graph", "render_graph", "GraphvizNotFound", "INSTALL_HINT", "summarize"]
