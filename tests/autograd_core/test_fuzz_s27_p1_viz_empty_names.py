"""A row of a drawing's label whose text is empty: an input named "" (inputs={"": x}) or a module prefix that is
"" (params={".w": w, ".b": b}, collapsed into one box) was written as <b></b>, which dot's parser refuses ("syntax
error in line 1 ... <b></b>"), so render_graph failed. Found by fuzzing names (session 27, P1)."""
import subprocess

import numpy as np
import pytest

pytest.importorskip("graphviz")

import autograd_core as ag  # noqa: E402
from autograd_core.viz import draw_graph  # noqa: E402
from autograd_core.viz.labels import _html_rows  # noqa: E402


def dot_accepts(source):
    result = subprocess.run(["dot", "-Tsvg"], input=source.encode(), capture_output=True, timeout=60)
    return result.returncode == 0 and not result.stderr


def test_an_empty_text_is_an_empty_cell_without_formatting():
    label = _html_rows([("", "title"), ("", "small"), ("", "grad"), ("", "big"), ("x", "title")])
    assert "<b></b>" not in label and "></font>" not in label
    assert label.count("<tr><td></td></tr>") == 4 and "<tr><td><b>x</b></td></tr>" in label


def test_an_input_named_with_the_empty_string_renders(dot_program):
    w = ag.tensor(np.ones(3), requires_grad=True, name="w")
    c = np.arange(3.0)
    assert dot_accepts(draw_graph((w * c).sum(), inputs={"": c}, show_data=True).source)


def test_parameters_with_an_empty_module_prefix_collapsed_into_a_box_render(dot_program):
    w = ag.tensor(np.ones((2, 2)), requires_grad=True)
    b = ag.tensor(np.ones(2), requires_grad=True)
    loss = ag.tanh(w @ np.ones(2) + b).sum()
    dot = draw_graph(loss, params={".w": w, ".b": b}, max_nodes=3, show_grad=True)
    assert "box3d" in dot.source and dot_accepts(dot.source)
