"""autograd_core.viz: details of the drawings (the gradient colour, module boxes and labels, summaries of large
graphs, operand labels, the recorded backward cluster, empty label texts, NaN in a summary's range) and the checks of
draw_graph's grads= and precision and summarize's precision and max_items."""
import html
import re
import subprocess
import warnings

import numpy as np
import pytest

import autograd_core as ag
import nn
from autograd_core.viz import draw_graph, render_graph, summarize
from autograd_core.viz.labels import _html_rows, _param_text, visible
from autograd_core.viz.style import GRAD_COLOR
from test_viz import clusters, tanh_with_recorded_backward

NODE = re.compile(r"^\s*(\w+) \[label=", re.M)
EDGE = re.compile(r"^\s*(\w+) -> (\w+)", re.M)


def drawn_nodes(source):
    """The ids of the nodes the DOT source declares."""
    return NODE.findall(source)


def node_line(source, text):
    """The DOT statement of the one node whose label holds `text`."""
    lines = [line for line in source.splitlines() if NODE.match(line) and text in line]
    assert len(lines) == 1, f"expected one node holding {text!r}, found {len(lines)}"
    return lines[0]


def module_then_chain(n_after=4):
    """out = cos(...cos(cos(sin(exp(w))) * x)...): exp, sin and the multiply are drawn in module m
    (they consume only m's parameter w, or a result made from it), the cos chain outside."""
    w = ag.tensor(0.3, requires_grad=True)
    x = ag.tensor(2.0, requires_grad=True, name="x")
    y = ag.sin(ag.exp(w)) * x
    for _ in range(n_after):
        y = ag.cos(y)
    return y, {"m.w": w}


# ---- labels -----------------------------------------------------------------------------------------
def test_gradients_are_printed_in_the_gradient_colour():
    x = ag.tensor(2.0, requires_grad=True, name="x")
    source = draw_graph(x * x, show_grad=True).source
    assert f'<font color="{GRAD_COLOR}">grad {2 * 2.0:.4g}</font>' in node_line(source, "<b>x</b>")


def test_a_collapsed_module_lists_five_operation_kinds_then_an_ellipsis():
    kinds = ["exp", "sin", "cos", "tanh", "sigmoid", "softplus"]

    def collapsed_label(n_kinds):
        w = ag.tensor(0.3, requires_grad=True)
        y = w
        for kind in kinds[:n_kinds]:
            y = getattr(ag, kind)(y)
        out = y * 2.0  # the output stays outside the module
        source = draw_graph(out, params={"m.w": w}, max_nodes=4).source
        return node_line(source, "<b>m</b>")

    six = collapsed_label(6)
    assert f"6 operations: {', '.join(kinds[:5])}, \u2026<" in six
    five = collapsed_label(5)
    assert f"5 operations: {', '.join(kinds[:5])}<" in five and "\u2026" not in five


# ---- module clusters --------------------------------------------------------------------------------
def test_a_module_label_gives_sizes_only_when_both_are_known():
    class Scale(nn.Module):
        """A module with an input size but no output size."""

        def __init__(self):
            super().__init__()
            self.in_features = 3
            self.weight = nn.Parameter(np.ones(3))

        def forward(self, x):
            return x * self.weight

    model = nn.Sequential(Scale())
    out = model(np.ones(3)).sum() * 2.0
    source = draw_graph(out, params=model).source
    assert "label=<0 (Scale)>" in source
    assert "\u2192" not in source


# ---- the recorded backward pass -------------------------------------------------------------------------
def test_every_node_of_the_recorded_backward_pass_is_drawn_in_its_cluster():
    y, _ = tanh_with_recorded_backward()
    source = draw_graph(y, include_backward=True).source
    backward = source.split("subgraph ", 1)[1]
    assert "backward pass (recorded by create_graph=True)" in backward.splitlines()[1]
    outside = drawn_nodes(source.split("subgraph ", 1)[0])
    # the forward graph alone: leaves x and w, w*x and y (4 tensors), multiply and tanh (2 operations)
    assert len(outside) == len(drawn_nodes(draw_graph(y).source)) == 6


# ---- operand labels ---------------------------------------------------------------------------------------
def test_the_input_of_a_one_input_operation_is_not_labelled():
    x = ag.tensor(2.0, requires_grad=True, name="x")
    source = draw_graph(ag.exp(x)).source
    assert "label=a" not in source and "label=b" not in source
    assert draw_graph(x - 1.0).source.count("label=a") == 1  # two operands, not commutative: labelled


# ---- summaries of large graphs ---------------------------------------------------------------------------
def test_a_summary_counts_every_hidden_node_those_in_collapsed_modules_too():
    out, params = module_then_chain()
    total = len(drawn_nodes(draw_graph(out, params=params).source))  # the full drawing
    max_nodes = 4
    source = draw_graph(out, params=params, max_nodes=max_nodes).source
    assert "each module is drawn as one box" in source
    kept = [n for n in drawn_nodes(source) if n != "more"]
    assert len(kept) == max_nodes - 1 and not any(n.startswith("m") for n in kept)  # the module box is hidden
    hidden = total - len(kept)
    assert f"({hidden} of the {total} nodes are not)" in source
    assert f"\u22ef {hidden} earlier nodes not drawn" in source


def test_the_smallest_summary_keeps_the_output_and_one_box_for_the_rest():
    x = ag.tensor(0.1, requires_grad=True, name="x")
    y = ag.sin(ag.sin(x))
    y.name = "y"
    total = len(drawn_nodes(draw_graph(y).source))  # x, sin, t, sin, y
    source = draw_graph(y, max_nodes=2).source
    assert sorted(drawn_nodes(source)) == sorted([node_line(source, "<b>y</b>").split()[0], "more"])
    assert f"\u22ef {total - 1} earlier nodes not drawn" in source


def test_every_edge_of_a_summary_joins_drawn_nodes():
    x = ag.tensor(0.1, requires_grad=True, name="x")
    y = x
    for k in range(30):
        y = ag.sin(y) * (x + float(k))  # every step reads x again: many edges reach hidden nodes
    for max_nodes in (5, 12, 40):
        source = draw_graph(y, max_nodes=max_nodes).source
        nodes = set(drawn_nodes(source))
        assert len(nodes) == max_nodes
        for src, dst in EDGE.findall(source):
            assert src in nodes and dst in nodes, (max_nodes, src, dst)


def test_a_collapsed_module_is_not_drawn_as_part_of_a_backward_pass():
    out, params = module_then_chain(n_after=1)
    source = draw_graph(out, params=params, max_nodes=6).source
    assert "each module is drawn as one box" in source and "shape=box3d" in source
    assert "backward pass" not in source and "subgraph" not in source


# ---- which operations join a module; how operations are labelled -------------------------------------------
@pytest.mark.parametrize("activation", ["relu", "leaky_relu", "elu", "sigmoid", "tanh", "softplus"])
def test_an_activation_after_a_layer_is_drawn_in_the_layer(activation):
    layer = nn.Linear(3, 2, rng=0)
    out = getattr(ag, activation)(layer(np.ones((4, 3), dtype=np.float32))).sum()
    found = clusters(draw_graph(out, params=nn.Sequential(layer)).source)
    assert f"<b>{activation}</b>" in found["0 (Linear 3\u21922)"]


@pytest.mark.parametrize("name", ["add", "multiply", "maximum", "minimum"])
def test_commutative_operations_leave_their_operands_unlabelled(name):
    op = getattr(ag, name)
    a = ag.tensor([1.0, -2.0], requires_grad=True)
    b = ag.tensor([0.5, 3.0], requires_grad=True)
    np.testing.assert_array_equal(op(a, b).data, op(b, a).data)  # the order of the operands does not matter
    edges = [line for line in draw_graph(op(a, b)).source.splitlines() if EDGE.match(line)]
    assert len(edges) == 3 and not any("label=" in line for line in edges)  # a -> op, b -> op, op -> result


def test_a_linear_operation_shows_its_formula_and_labels_its_operands():
    layer = nn.Linear(3, 2, rng=0)
    x = ag.tensor(np.arange(12.0, dtype=np.float32).reshape(4, 3), name="x")
    out = layer(x)
    source = draw_graph(out.sum(), params=nn.Sequential(layer), inputs={"x": x}).source
    assert "a @ b.T + c" in node_line(source, ">linear<")
    ids = {title: node for node, title in re.findall(r"^\s*(\w+) \[label=<.*?<b>([\w.]+)</b>", source, re.M)}
    operand = {src: label for src, label in re.findall(r"^\s*(\w+) -> \w+ \[label=(\w)", source, re.M)}
    a, b, c = (x.data, layer.weight.data, layer.bias.data)
    assert (operand[ids["x"]], operand[ids["0.weight"]], operand[ids["0.bias"]]) == ("a", "b", "c")
    np.testing.assert_allclose(out.data, a @ b.T + c, rtol=1e-6)  # the formula the label shows


# ---- any name, title or module name is drawn as the text it is, and never stops dot ---------------------
def svg_texts(path):
    """The text strings dot wrote into an SVG file, unescaped."""
    with open(path, encoding="utf-8") as f:
        return [html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", f.read())]


def svg_cluster(path):
    """The SVG group dot drew for the first cluster."""
    with open(path, encoding="utf-8") as f:
        return re.search(r'<g id="clust1" class="cluster">(.*?)</g>', f.read(), re.S).group(1)


# ---- backslashes are text, not dot escape sequences ----------------------------------------------
@pytest.mark.parametrize("name", ["x\\N", "\\G", "\\\\server\\share", "a\\\\b"])
def test_backslashes_in_a_name_are_drawn_as_written(dot_program, tmp_path, name):
    # dot expands \N (the node's id), \G (the graph's name) and \\ even inside HTML-like labels
    x = ag.tensor(1.0, requires_grad=True, name=name)
    path = render_graph(ag.exp(x), tmp_path / "g.svg", format="svg")
    assert name in svg_texts(path)


def test_backslashes_in_a_title_are_drawn_as_written(dot_program, tmp_path):
    x = ag.tensor(1.0, requires_grad=True, name="x")
    path = render_graph(ag.exp(x), tmp_path / "g.svg", format="svg", title="\\G")
    assert "\\G" in svg_texts(path)


def test_a_module_name_ending_in_a_backslash_is_its_cluster_label_and_keeps_the_cluster_style(dot_program, tmp_path):
    # label="m\" escapes the closing quote: the cluster's other attributes become part of its label
    w = ag.tensor(0.5, requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # graphviz's DotSyntaxWarning about the very string
        path = render_graph(ag.exp(w) * 2.0, tmp_path / "g.svg", format="svg", params={"m\\.w": w})
    cluster = svg_cluster(path)
    assert re.findall(r"<text[^>]*>([^<]*)</text>", cluster) == [html.escape("m\\", quote=True)]
    assert 'fill="#f1f5f9"' in cluster  # style="rounded,filled", fillcolor: still the cluster's


def test_a_module_name_with_dot_escapes_is_its_cluster_label(dot_program, tmp_path):
    w = ag.tensor(0.5, requires_grad=True)
    path = render_graph(ag.exp(w) * 2.0, tmp_path / "g.svg", format="svg", params={"\\G.w": w})
    assert [html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg_cluster(path))] == ["\\G"]


# ---- names dot cannot take as they are still render ---------------------------------------------
@pytest.mark.parametrize("name", [
    "]",                 # Graphviz's HTML-label lexer fails on a text that is exactly "]"
    "]]",
    "\ufffe", "\uffff",  # not characters XML allows: expat refuses them
    "\udcff",            # a lone surrogate (a file name byte that is not UTF-8): not encodable as UTF-8
    "x" * 20_000,        # an HTML-like label longer than 16 KiB
    "\u4e2d" * 6_000,    # 18,000 bytes of UTF-8; dot's error message then cuts a character in two
], ids=["bracket", "brackets", "U+FFFE", "U+FFFF", "surrogate", "20k-ascii", "6k-cjk"])
def test_a_hostile_name_never_stops_rendering(dot_program, tmp_path, name):
    x = ag.tensor(1.0, requires_grad=True, name=name)
    path = render_graph(ag.exp(x), tmp_path / "g.svg", format="svg", show_data=True)
    assert "exp" in svg_texts(path)


@pytest.mark.parametrize("title", ["]", "\ufffe", "x" * 20_000])
def test_a_hostile_title_never_stops_rendering(dot_program, tmp_path, title):
    x = ag.tensor(1.0, requires_grad=True, name="x")
    path = render_graph(ag.exp(x), tmp_path / "g.svg", format="svg", title=title)
    assert "x" in svg_texts(path)


def test_a_failing_dot_says_so_in_the_error_alone(dot_program, tmp_path, capfd, monkeypatch):
    # render_graph reports dot's message in its RuntimeError; dot's stderr must not also reach the terminal
    x = ag.tensor(1.0, requires_grad=True, name="x")
    dot = draw_graph(ag.exp(x))
    dot.body.append("\tbroken [label=<<b>unclosed>]\n")  # a source dot refuses
    with pytest.raises(RuntimeError, match="dot failed"):
        render_graph(dot, tmp_path / "g.svg", format="svg")
    assert capfd.readouterr().err == ""


# ---- what the drawing holds: each gradient joined to each of its leaves, summaries within max_nodes, names ------
EDGE_WITH_ATTRIBUTES = re.compile(r"^\s*(\w+) -> (\w+)(?: \[(.*)\])?$", re.M)
def node_id(source, title):
    """The id of the one node whose bold title is `title`."""
    ids = [m.group(1) for m in re.finditer(r"^\s*(\w+) \[label=(.*)$", source, re.M) if f"<b>{title}</b>" in m.group(2)]
    assert len(ids) == 1, f"expected one node titled {title!r}, found {len(ids)}"
    return ids[0]


def test_a_gradient_shared_by_two_leaves_points_at_each_of_them():
    # d/da and d/db of tanh((a + b) * w) are one value; the module docstring: "a dotted red arrow joins each
    # gradient to its leaf". (PyTorch gives a.grad and b.grad as two tensors; here they are one node.)
    a = ag.tensor(1.0, requires_grad=True, name="a")
    b = ag.tensor(2.0, requires_grad=True, name="b")
    w = ag.tensor(3.0, requires_grad=True, name="w")
    y = ag.tanh((a + b) * w)
    y.backward(create_graph=True)
    source = draw_graph(y, include_backward=True).source
    grad_of_targets = {dst for _, dst, attrs in EDGE_WITH_ATTRIBUTES.findall(source) if "grad of" in attrs}
    assert grad_of_targets == {node_id(source, name) for name in ("a", "b", "w")}


def test_a_gradient_table_shared_by_two_leaves_points_at_each_of_them():
    a = ag.tensor(1.0, requires_grad=True, name="a")
    b = ag.tensor(2.0, requires_grad=True, name="b")
    y = ag.tanh(a + b)
    table = ag.backprop(y, create_graph=True)
    source = draw_graph(y, include_backward=True, grads=table).source
    grad_of_targets = {dst for _, dst, attrs in EDGE_WITH_ATTRIBUTES.findall(source) if "grad of" in attrs}
    assert grad_of_targets == {node_id(source, "a"), node_id(source, "b")}


# ---- summaries -----------------------------------------------------------------------------------
def test_a_summary_of_a_drawing_with_its_backward_pass_draws_at_most_max_nodes():
    model = nn.MLP([3, 4, 2], rng=0, dtype=np.float64)  # four parameters, so four gradients to keep in view
    loss = (model(np.ones(3)) ** 2).mean()
    loss.backward(create_graph=True)
    for max_nodes in (2, 3, 5):
        source = draw_graph(loss, include_backward=True, params=model, max_nodes=max_nodes).source
        assert len(drawn_nodes(source)) <= max_nodes, (max_nodes, len(drawn_nodes(source)))
        match = re.search(r"only the (\d+) nearest the output are drawn", source)
        assert match and len([n for n in drawn_nodes(source) if n != "more"]) == int(match.group(1))


# ---- names ---------------------------------------------------------------------------------------
def test_a_named_tensor_that_does_not_require_grad_is_labelled_by_its_name():
    x = ag.tensor([1.0, 2.0, 3.0], name="x_data")
    w = ag.tensor([0.5, 0.5, 0.5], requires_grad=True, name="w")
    source = draw_graph((w * x).sum()).source
    assert "<b>x_data</b>" in source


def test_named_data_keeps_its_name_through_the_cast_a_layer_makes():
    # nn.Linear casts float64 data to its float32 (README): the cast of a named Tensor is drawn under its name
    model = nn.MLP([3, 4, 2], rng=0)
    x = ag.tensor(np.ones((5, 3)), name="x")
    source = draw_graph(model(x).sum(), params=model).source
    assert "<b>x</b>" in source and "<b>constant</b>" not in source
    assert x.astype(np.float32).name == "x" and ag.tensor(1.0, requires_grad=True, name="w").astype(np.float32).name is None


def test_inputs_holding_text_or_complex_numbers_do_not_break_or_misname_the_drawing():
    w = ag.tensor([1.0, 2.0], requires_grad=True, name="w")
    y = (w * np.array([1.0, 2.0])).sum()
    source = draw_graph(y, inputs={"labels": np.array(["a", "b"]), "d": np.array([1 + 1j, 2])}).source
    assert "<b>constant</b>" in source and "labels" not in source and "<b>d" not in source


def test_a_graph_backprop_refuses_is_still_drawn_and_the_caption_says_why_no_gradients_are_shown():
    w = ag.tensor([1.0, 2.0], requires_grad=True, name="w")
    y = (w * w).sum()
    with ag.no_grad():
        w += 1.0  # a value the multiply saved: backprop refuses
    source = draw_graph(y, show_grad=True).source
    assert "gradients of intermediate nodes not shown: backprop refuses this graph" in source
    assert "<b>w</b>" in source


# ---- what visible() escapes and shortens, and how few values an array setting shows -----------------
def test_visible_keeps_a_text_of_300_characters_and_shortens_one_of_301():
    assert visible("x" * 300) == "x" * 300
    assert visible("x" * 301) == "x" * 300 + "\u2026 (301 characters)"


def test_visible_takes_any_object_as_its_str():
    assert visible(12) == "12"


@pytest.mark.parametrize("char", ["\x00", "\x1f", "\x7f", "\x80", "\x9f", "\ufffe", "\uffff", "\ud800", "\udfff"])
def test_visible_escapes_control_characters_and_those_xml_refuses_as_repr_does(char):
    assert visible(f"a{char}b") == f"a{repr(char)[1:-1]}b"


@pytest.mark.parametrize("char", [" ", "~", "\u00a0", "\u00e9", "\ud7ff", "\ue000", "\ufffd"])
def test_visible_keeps_printable_and_xml_valid_characters_next_to_the_escaped_ranges(char):
    assert visible(f"a{char}b") == f"a{char}b"


def test_an_array_parameter_of_up_to_six_values_is_shown_by_its_values():
    assert _param_text({"target": np.arange(6)}) == "target=[0, 1, 2, 3, 4, 5]"


def test_an_array_parameter_of_seven_values_is_shown_by_its_shape_and_dtype():
    text = _param_text({"target": np.arange(7, dtype=np.int64)})
    assert "(7,)" in text and "int64" in text and "[" not in text


def test_a_constant_of_an_inputs_shape_but_other_values_and_dtype_is_not_named_after_it():
    x = np.array([1.0, 2.0], dtype=np.float64)
    w = ag.tensor([0.5, 0.25], dtype=np.float32, requires_grad=True)
    other = np.array([3.0, 4.0], dtype=np.float32)  # not x cast to float32
    source = draw_graph((w * other).sum(), inputs={"x": x}).source
    assert "<b>constant</b>" in source and "x as float32" not in source


def test_constant_equal_to_a_cast_input_by_chance_is_not_named_after_it():
    x = np.zeros(3)  # the network's input
    w = ag.tensor(np.ones(3, np.float32), requires_grad=True, name="w")
    mask = np.zeros(3, np.float32)  # never computed from x
    source = draw_graph((w * mask).sum(), inputs={"x": x}).source
    assert "x as float32" not in source


# A row of a drawing's label whose text is empty: an input named "" (inputs={"": x}) or a module prefix that is ""
# (params={".w": w, ".b": b}, collapsed into one box) was written as <b></b>, which dot's parser refuses ("syntax
# error in line 1 ... <b></b>"), so render_graph failed.

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


# draw_graph's grads= is checked whatever the flags: with include_backward=True a list or number failed with a bare
# AttributeError ('list' object has no attribute 'items'), and without show_grad it was silently ignored; an entry
# that is no gradient ('abc') failed in the label with "could not convert string to float".

def recorded():
    x = ag.tensor(1.5, requires_grad=True, name="x")
    y = ag.sin(x) * x
    y.backward(create_graph=True)
    return x, y


@pytest.mark.parametrize("grads", [[1, 2], "abc", 3], ids=repr)
@pytest.mark.parametrize("flags", [{"include_backward": True}, {"show_grad": True}, {}], ids=repr)
def test_grads_that_are_no_mapping_are_refused_whatever_the_flags(grads, flags):
    _, y = recorded()
    with pytest.raises(TypeError, match=r"^draw_graph: grads must be a mapping node -> gradient \(from ag\.backprop\), "
                                        r"got (list|str|int)$"):
        draw_graph(y, grads=grads, **flags)


@pytest.mark.parametrize("entry", ["abc", object(), [[1.0], [1.0, 2.0]]], ids=["str", "object", "ragged"])
def test_an_entry_that_is_no_gradient_is_refused_naming_its_node(entry):
    x, y = recorded()
    with pytest.raises(TypeError, match=r"^draw_graph: grads must map each node to its gradient, a Tensor, array or "
                                        r"number; the entry of 'x' is "):
        draw_graph(y, grads={x: entry}, show_grad=True)


def test_gradients_of_every_kind_are_still_drawn():
    x, y = recorded()
    for entry in (ag.tensor(2.0), np.float32(2.0), 2, True, [2.0], np.array(2.0)):
        assert "grad " in draw_graph(y, grads={x: entry}, show_grad=True).source
    assert "grad of" in draw_graph(y, grads=ag.backprop(y, create_graph=True), include_backward=True).source


# A large array's summary with a NaN in it: the range was min and max, so a single NaN among a million numbers made
# it "range [nan, nan]", hiding the range of the others; the numbers' range is shown with how many NaN there are,
# and an array of NaN alone says so.

def test_the_range_of_an_array_holding_nan_is_the_range_of_its_numbers_with_the_count_of_nan():
    a = np.arange(100.0)
    a[[0, 50]] = np.nan
    assert summarize(a) == ["[nan, 1, 2, \u2026]", "range [1, 99], 2 of 100 NaN"]
    assert summarize(np.array([np.nan, -np.inf, 1, 2, 3, 4, 5], np.float16)) == [
        "[nan, -inf, 1, \u2026]", "range [-inf, 5], 1 of 7 NaN"]
    assert summarize(np.full((3, 4), np.nan, np.float32)) == ["[nan, nan, nan, \u2026]", "all 12 NaN"]
    assert summarize(np.array([np.nan, 1.0])) == ["[nan, 1]"]  # few values: all shown, as before
    assert summarize(np.arange(10.0)) == ["[0, 1, 2, \u2026]", "range [0, 9]"]  # no NaN: as before


def test_a_drawn_million_element_tensor_with_one_nan_shows_its_range():
    data = np.linspace(-2.0, 3.0, 10**6)
    data[123_456] = np.nan
    x = ag.tensor(data, requires_grad=True, name="x")
    source = html.unescape(draw_graph((x * 2.0).sum(), show_data=True).source)
    assert "range [-2, 3], 1 of 1000000 NaN" in source and "range [-4, 6], 1 of 1000000 NaN" in source


# draw_graph's and summarize's precision (and summarize's max_items) are checked: True, -1 or 2.5 failed inside
# str.format ("Format specifier missing precision"), naming neither the function nor the setting, and only when a
# number was drawn; "3" was taken as 3.

@pytest.mark.parametrize("precision, error", [
    (True, TypeError), (2.5, TypeError), ("3", TypeError), (None, TypeError),
    (-1, ValueError), (0, ValueError), (10**10, ValueError),
])
def test_a_precision_that_is_no_count_of_digits_is_refused_naming_the_function(precision, error):
    y = ag.tensor(2.5, requires_grad=True, name="x") * 3.0
    for show_data in (True, False):  # refused whether or not a number would be drawn
        with pytest.raises(error, match=r"draw_graph: precision \(significant digits\) must be an integer from 1 "
                                        r"to 1000, got"):
            draw_graph(y, show_data=show_data, precision=precision)
    with pytest.raises(error, match=r"^summarize: precision"):
        summarize(np.arange(10.0), precision=precision)


@pytest.mark.parametrize("max_items, error", [("3", TypeError), (1.5, TypeError), (True, TypeError), (-1, ValueError)])
def test_summarize_refuses_a_max_items_that_is_no_count(max_items, error):
    with pytest.raises(error, match=r"^summarize: max_items must be an integer >= 0, got"):
        summarize(np.arange(10.0), max_items=max_items)


def test_valid_precisions_and_max_items_still_draw():
    x = ag.tensor(2.0 / 3.0, requires_grad=True, name="x")
    assert "0.7" in draw_graph(x * 1.0, show_data=True, precision=1).source
    assert "0.6666666667" in draw_graph(x * 1.0, show_data=True, precision=np.int64(10)).source
    assert summarize(np.arange(3.0), max_items=0) == ["[0, 1, 2, \u2026]", "range [0, 2]"]
    assert summarize(np.arange(3.0), max_items=np.int8(3)) == ["[0, 1, 2]"]
