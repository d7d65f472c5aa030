"""render_graph(digraph, path, show_data=True): with a Digraph from draw_graph the drawing arguments were silently
ignored (the picture is drawn already), so the image lacked the values asked for. Now they are refused, saying
where they belong. Found by fuzzing render_graph's arguments (session 27, P1)."""
import pytest

pytest.importorskip("graphviz")

import autograd_core as ag  # noqa: E402
from autograd_core.viz import draw_graph, render_graph  # noqa: E402


def test_drawing_arguments_with_a_digraph_are_refused_and_nothing_is_written(tmp_path):
    y = ag.exp(ag.tensor(1.0, requires_grad=True, name="x"))
    dot = draw_graph(y)
    with pytest.raises(TypeError, match=r"^render_graph: show_data is draw_graph's, for a Tensor; the Digraph "
                                        r"given is drawn already \(pass them to draw_graph, or pass the output "
                                        r"Tensor here\)$"):
        render_graph(dot, tmp_path / "g", show_data=True)
    with pytest.raises(TypeError, match=r"^render_graph: show_grad, rankdir are draw_graph's"):
        render_graph(dot, tmp_path / "g", show_grad=True, rankdir="TB")
    assert list(tmp_path.iterdir()) == []


def test_a_digraph_alone_and_a_tensor_with_arguments_still_render(dot_program, tmp_path):
    y = ag.exp(ag.tensor(1.0, requires_grad=True, name="x"))
    assert render_graph(draw_graph(y, show_data=True), tmp_path / "a.svg", format="svg").endswith("a.svg")
    assert ">value 2.718<" in (tmp_path / "a.svg").read_text(encoding="utf-8")
    assert render_graph(y, tmp_path / "b.svg", format="svg", show_data=True).endswith("b.svg")
