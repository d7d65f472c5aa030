"""autograd_core.viz: the DOT source says what the picture shows; real PNG/SVG/PDF files come from dot.

Rendering tests need Graphviz's `dot`: without it they are skipped, except under CI=true where
they fail (CI must install Graphviz; `make setup` does).
"""
import errno
import html
import math
import os
import re
import sys
import time

import numpy as np
import pytest

import autograd_core as ag
import nn
from autograd_core.viz import GraphvizNotFound, draw_graph, render_graph, summarize
from conftest import PNG_MAGIC, Cube


def fmt(x):
    """Numbers as the drawing prints them (4 significant digits)."""
    return f"{x:.4g}"


def node_line(source, title):
    """The DOT statement of the node whose bold title is `title`."""
    lines = [line for line in source.splitlines() if f"<b>{title}</b>" in line]
    assert len(lines) == 1, f"expected one node titled {title!r}, found {len(lines)}"
    return lines[0]


def clusters(source):
    """{cluster label: the DOT text of that cluster}."""
    found = {}
    for block in source.split("subgraph ")[1:]:
        body = block.split("\n\t}", 1)[0]
        label = re.search(r'label=(?:"([^"]*)"|<([^<>]*)>|(\w+))', body)  # (an HTML-like label: <text>)
        found[html.unescape(next(filter(None, label.groups()))) if label else ""] = body
    return found


# ---- the course's scalar example -----------------------------------------------------------
U5, U6, W1, W2, B = 1.5, -0.5, 0.8, -1.2, 0.1


def course_example():
    """u7 = sigmoid(w1*u5 + w2*u6 + b), the back-propagation example of the course notes."""
    leaves = {n: ag.tensor(v, requires_grad=True, name=n) for n, v in
              (("u5", U5), ("u6", U6), ("w1", W1), ("w2", W2), ("b", B))}
    u7 = ag.sigmoid(leaves["w1"] * leaves["u5"] + leaves["w2"] * leaves["u6"] + leaves["b"])
    u7.name = "u7"
    return u7, leaves


def hand_derived():
    """The derivatives worked out by hand in the notes: du7/du5 = sigma'(z) w1, and so on."""
    z = W1 * U5 + W2 * U6 + B
    s = 1 / (1 + math.exp(-z))
    ds = s * (1 - s)  # sigma'(z)
    return s, z, {"u5": ds * W1, "u6": ds * W2, "w1": ds * U5, "w2": ds * U6, "b": ds}, ds


def test_course_example_shows_every_value_and_the_hand_derived_gradients():
    u7, leaves = course_example()
    s, z, grads, ds = hand_derived()
    source = draw_graph(u7, show_data=True, show_grad=True).source
    values = {"u5": U5, "u6": U6, "w1": W1, "w2": W2, "b": B}
    for name, leaf in leaves.items():
        line = node_line(source, name)
        assert "scalar float64" in line and f"value {fmt(values[name])}" in line
        assert f"grad {fmt(grads[name])}" in line, (name, line)
        assert leaf.grad is None  # drawing computes a grad_table; it does not touch .grad
    out = node_line(source, "u7")
    assert f"value {fmt(s)}" in out and "grad 1<" in out
    # The intermediates: w1*u5, w2*u6, their sum and z, each with du7/d(node) = sigma'(z).
    for value in (W1 * U5, W2 * U6, W1 * U5 + W2 * U6, z):
        lines = [line for line in source.splitlines() if f"value {fmt(value)}<" in line]
        assert len(lines) == 1 and f"grad {fmt(ds)}<" in lines[0], value
    # One box per Tensor (5 leaves + 5 results) and one ellipse per operation (5).
    assert source.count("shape=box") == 10 and source.count("shape=ellipse") == 5
    for op in ("multiply", "add", "sigmoid"):
        assert op in source


def test_course_example_gradients_agree_with_the_engine():
    u7, leaves = course_example()
    _, _, grads, _ = hand_derived()
    table = ag.backprop(u7)
    for name, leaf in leaves.items():
        assert float(table[leaf]) == pytest.approx(grads[name], rel=1e-12)


def test_edges_follow_the_data_flow():
    x = ag.tensor(2.0, requires_grad=True, name="x")
    y = ag.exp(x)
    source = draw_graph(y).source
    ids = {m.group(2): m.group(1) for m in re.finditer(r"^\s*(\w+) \[label=<.*?<b>(\w+)</b>", source, re.M)}
    op = re.search(r"^\s*(o\d+) \[", source, re.M).group(1)
    assert f"{ids['x']} -> {op}" in source
    assert re.search(rf"{op} -> t\d+", source)


def test_non_commutative_inputs_are_labelled_and_constants_drawn():
    x = ag.tensor(3.0, requires_grad=True, name="x")
    y = 2.0 / x - 0.5
    source = draw_graph(y).source
    assert "divide" in source and "subtract" in source
    assert source.count('label=a') == 2 and source.count('label=b') == 2  # constants' edges are labelled too
    for constant in ("2<", "0.5<"):
        assert constant in source
    assert "0.5<" not in draw_graph(y, show_constants=False).source
    assert "label=a" not in draw_graph(x * (x + 1.0)).source  # commutative: operands not labelled
    w = ag.tensor(np.ones(3), requires_grad=True)
    data = np.arange(3.0)
    assert draw_graph((w * data).sum() + (w - data).sum()).source.count("<b>constant</b>") == 1  # one array, one node


def test_a_named_one_element_constant_is_one_node_with_its_name_shape_and_dtype():
    w = ag.tensor(0.8, requires_grad=True, name="w1")
    u = ag.tensor(1.5, name="u5")
    assert "scalar float64" in node_line(draw_graph(w * u).source, "u5")  # as a constant array's node is labelled
    c = ag.tensor(np.float32(3.0), name="c")
    source = draw_graph(w * c + c).source  # add reads no value, so only multiply's record names c
    assert "scalar float32" in node_line(source, "c")
    assert len(re.findall(r"^\s*c\d+_\d+ \[", source, flags=re.M)) == 1  # c, read twice, is one node
    assert "1.5<" in draw_graph(w * 1.5).source  # an unnamed number is still drawn as its value alone
    # at each use, whether or not Python made two equal literals one object
    v = ag.tensor(0.5, requires_grad=True, name="v")
    literal, computed = draw_graph(w * 2.0 + v * 2.0).source, draw_graph(w * 2.0 + v * float("2")).source
    assert len(re.findall(r"^\s*c\d+_\d+ \[", literal, flags=re.M)) == 2
    assert len(re.findall(r"^\s*c\d+_\d+ \[", computed, flags=re.M)) == 2


def test_large_arrays_are_abbreviated():
    x = ag.tensor(np.linspace(-1, 1, 1000), requires_grad=True, name="x")
    y = (x * x).sum()
    source = draw_graph(y, show_data=True, show_grad=True).source
    line = node_line(source, "x")
    assert "(1000,) float64" in line and "range [-1, 1]" in line and "\u2026" in line
    assert len(line) < 1000
    assert summarize(np.arange(4.0)) == ["[0, 1, 2, 3]"]
    assert summarize(np.arange(6.0)) == ["[0, 1, 2, 3, 4, 5]"]  # up to six values are all shown
    assert summarize(np.arange(7.0)) == ["[0, 1, 2, \u2026]", "range [0, 6]"]
    assert summarize(-0.0) == ["0"]  # never "-0"
    assert summarize(np.ones((2, 2))) == ["[[1, 1], [1, 1]]"]
    assert summarize(np.zeros(10, dtype=bool))[1] == "0 of 10 True"


def test_values_and_gradients_are_shown_only_on_request():
    u7, _ = course_example()
    plain = draw_graph(u7).source
    assert "value " not in plain and "grad " not in plain
    assert "value " in draw_graph(u7, show_data=True).source
    assert "grad " in draw_graph(u7, show_grad=True).source


def test_rankdir_and_title_reach_the_drawing():
    u7, _ = course_example()
    assert "rankdir=LR" in draw_graph(u7).source
    source = draw_graph(u7, rankdir="BT", title="u7 <of> the notes").source
    assert "rankdir=BT" in source and "<b>u7 &lt;of&gt; the notes</b>" in source


def test_labels_are_escaped():
    x = ag.tensor(1.0, requires_grad=True, name="<b>&x")
    source = draw_graph(ag.exp(x)).source
    assert "&lt;b&gt;&amp;x" in source and "<b><b>&x" not in source


# ---- gradients: grads=, .grad, non-scalar outputs, freed graphs -------------------------------
def test_non_scalar_output_uses_a_given_grad_table():
    x = ag.tensor([1.0, 2.0, 3.0], requires_grad=True, name="x")
    h = x * x
    h.name = "h"
    y = ag.exp(h)
    source = draw_graph(y, show_grad=True).source
    assert "not shown" in source  # no grad_table can be computed for a vector output without a seed
    table = ag.backprop(y, np.ones(3), retain_graph=True)
    source = draw_graph(y, show_grad=True, grads=table).source
    expected = np.exp(np.array([1.0, 4.0, 9.0]))
    assert f"grad [{fmt(expected[0])}, {fmt(expected[1])}, {fmt(expected[2])}]" in node_line(source, "h")


def test_leaves_without_table_entries_show_their_dot_grad():
    x = ag.tensor(2.0, requires_grad=True, name="x")
    y = x * x
    y.backward(retain_graph=True)
    source = draw_graph(y, show_grad=True, grads={}).source
    assert ".grad 4<" in node_line(source, "x")


def test_a_freed_graph_says_so():
    x = ag.tensor(2.0, requires_grad=True, name="x")
    y = ag.exp(x * 3.0)
    y.backward()
    source = draw_graph(y, show_grad=True).source
    assert "freed" in source and "retain_graph=True" in source
    assert "freed (inputs released by backward)" in node_line(source, "exp")  # the operation says it too


# ---- the recorded backward pass ---------------------------------------------------------------
def tanh_with_recorded_backward():
    """y = tanh(w x) after y.backward(create_graph=True): (y, x), x.grad and w.grad being graph nodes."""
    x = ag.tensor(0.5, requires_grad=True, name="x")
    w = ag.tensor(2.0, requires_grad=True, name="w")
    y = ag.tanh(w * x)
    y.name = "y"
    y.backward(create_graph=True)
    return y, x


def test_include_backward_draws_the_create_graph_pass_in_its_own_cluster():
    y, x = tanh_with_recorded_backward()
    source = draw_graph(y, include_backward=True, show_data=True).source
    found = clusters(source)
    assert "backward pass (recorded by create_graph=True)" in found
    backward = found["backward pass (recorded by create_graph=True)"]
    assert "\u2202y/\u2202x" in backward and "\u2202y/\u2202w" in backward
    assert f"value {fmt(float(x.grad))}" in node_line(source, "\u2202y/\u2202x")
    assert "grad of" in source  # each gradient points back at its leaf
    assert "\u2202y" not in draw_graph(y).source


def test_include_backward_without_a_recorded_pass_is_an_error():
    x = ag.tensor(0.5, requires_grad=True, name="x")
    y = ag.exp(x)
    y.backward(retain_graph=True)
    with pytest.raises(ValueError, match="create_graph=True"):
        draw_graph(y, include_backward=True)


# ---- nn parameters and module clusters --------------------------------------------------------
def mlp_loss(batch=32, sizes=(64, 32, 16, 10)):
    model = nn.MLP(list(sizes), rng=0)
    rng = np.random.default_rng(0)
    x = ag.tensor(rng.normal(size=(batch, sizes[0])).astype(np.float32), name="x")
    y = rng.integers(0, sizes[-1], size=batch)
    loss = nn.CrossEntropyLoss()(model(x), y)
    loss.name = "loss"
    return model, loss


def test_mlp_parameters_are_named_and_grouped_by_layer():
    model, loss = mlp_loss()
    source = draw_graph(loss, params=model, show_grad=True).source
    found = clusters(source)
    layers = {"layers.0 (Linear 64\u219232)": 0, "layers.2 (Linear 32\u219216)": 2, "layers.4 (Linear 16\u219210)": 4}
    assert set(layers) <= set(found)
    for label, k in layers.items():
        body = found[label]
        assert f"<b>layers.{k}.weight</b>" in body and f"<b>layers.{k}.bias</b>" in body
        assert "<b>linear</b>" in body  # the layer is one node: x @ W.T + b
        other = (k + 2) % 6
        assert f"layers.{other}.weight" not in body
    assert found["layers.0 (Linear 64\u219232)"].count("<b>relu</b>") == 1  # the activation after the layer
    assert "<b>relu</b>" not in found["layers.4 (Linear 16\u219210)"]  # the output layer is linear
    for label in layers:
        assert "log_softmax" not in found[label]  # the loss is outside the layers
    grads = dict(model.named_parameters())
    assert all(p.grad is None for p in grads.values())


def test_params_may_be_a_mapping():
    w = ag.tensor(np.ones((3, 2)), requires_grad=True)
    b = ag.tensor(np.zeros(3), requires_grad=True)
    x = np.ones((4, 2))
    y = ((x @ w.T + b) ** 2).mean()
    source = draw_graph(y, params={"enc.w": w, "enc.b": b}).source
    found = clusters(source)
    assert "enc" in found and "<b>enc.w</b>" in found["enc"] and "<b>enc.b</b>" in found["enc"]
    with pytest.raises(TypeError, match="named_parameters"):
        draw_graph(y, params=[w, b])


def test_a_transpose_only_a_module_uses_is_drawn_in_it():
    w = ag.tensor(np.ones((3, 2)), requires_grad=True)
    x = ag.tensor(np.ones((4, 2)), requires_grad=True, name="x")
    found = clusters(draw_graph((w @ x.T).sum(), params={"enc.w": w}).source)
    assert "<b>transpose</b>" in found["enc"] and "matmul" in found["enc"]


def test_mlp_on_a_batch_renders_in_under_5_seconds(dot_program, tmp_path):
    model, loss = mlp_loss(batch=128)
    start = time.perf_counter()
    path = render_graph(loss, tmp_path / "mlp", params=model, show_data=True, show_grad=True)
    elapsed = time.perf_counter() - start
    assert elapsed < 5.0, f"rendering took {elapsed:.2f} s"
    with open(path, "rb") as f:
        assert f.read(8) == PNG_MAGIC
    svg = open(render_graph(loss, tmp_path / "mlp.svg", format="svg", params=model), encoding="utf-8").read()
    for k, sizes in ((0, "64\u219232"), (2, "32\u219216"), (4, "16\u219210")):
        assert f"layers.{k} (Linear {sizes})" in svg and f"layers.{k}.weight" in svg


# ---- large graphs are summarised ---------------------------------------------------------------
def test_a_large_mlp_graph_collapses_each_module_into_one_box():
    model, loss = mlp_loss()
    source = draw_graph(loss, params=model, max_nodes=18).source
    assert "each module is drawn as one box" in source
    assert source.count("shape=box3d") == 3
    assert "layers.2 (Linear 32\u219216)" in source and "layers.2.weight (16, 32)" in source
    assert "2 operations: linear, relu" in node_line(source, "layers.0 (Linear 64\u219232)")
    drawn = len(re.findall(r"^\s*\w+ \[label=", draw_graph(loss, params=model).source, re.M))
    assert "summary" not in draw_graph(loss, params=model, max_nodes=drawn).source  # exactly max_nodes: in full
    assert "cross_entropy" in source  # operations outside the modules are still drawn


def test_a_long_chain_keeps_the_output_neighbourhood_without_recursion():
    x = ag.tensor(0.1, requires_grad=True, name="x")
    y = x
    for _ in range(5000):  # deeper than Python's recursion limit
        y = ag.sin(y)
    y.name = "y"
    assert sys.getrecursionlimit() < 10_000
    start = time.perf_counter()
    source = draw_graph(y, max_nodes=50, show_grad=True).source
    assert time.perf_counter() - start < 5
    assert "only the 49 nearest the output are drawn" in source and "earlier nodes not drawn" in source
    assert len(re.findall(r"^\s*\w+ \[label=", source, re.M)) == 50
    assert "<b>y</b>" in source and "<b>x</b>" not in source
    full = draw_graph(y, max_nodes=20_000).source  # everything, still iterative
    assert full.count("<b>sin</b>") == 5000
    assert "summary" not in draw_graph(y, max_nodes=10_001).source  # 5,001 tensors and 5,000 operations fit


# ---- rendering ------------------------------------------------------------------------------------
def test_render_png_svg_and_pdf(dot_program, tmp_path):
    u7, _ = course_example()
    png = render_graph(u7, tmp_path / "u7", show_data=True, show_grad=True)
    assert png == str(tmp_path / "u7.png")
    with open(png, "rb") as f:
        assert f.read(8) == PNG_MAGIC
    svg = render_graph(u7, tmp_path / "u7.svg", format="svg", show_data=True, show_grad=True)
    assert svg == str(tmp_path / "u7.svg")  # a path with the format's extension is kept, not u7.svg.svg
    text = html.unescape(open(svg, encoding="utf-8").read())  # dot writes "-" as &#45;
    assert "<svg" in text
    _, _, grads, _ = hand_derived()
    for name in ("u5", "u6", "w1", "w2", "b", "u7", "sigmoid", "multiply"):
        assert f">{name}<" in text
    for value in grads.values():
        assert f">grad {fmt(value)}<" in text
    pdf = render_graph(u7, tmp_path / "sub" / "u7", format="pdf")
    with open(pdf, "rb") as f:
        assert f.read(5) == b"%PDF-"


def test_render_accepts_a_drawn_graph(dot_program, tmp_path):
    x = ag.tensor(1.0, requires_grad=True, name="x")
    dot = draw_graph(ag.exp(x), rankdir="TB")
    with open(render_graph(dot, tmp_path / "g.png"), "rb") as f:
        assert f.read(8) == PNG_MAGIC


def test_names_with_control_characters_are_drawn_escaped(dot_program, tmp_path):
    # (raw, they are invalid in Graphviz's labels and dot fails)
    x = ag.tensor(1.0, requires_grad=True, name="a\x0cb\x00c")
    with open(render_graph(ag.exp(x), tmp_path / "g.svg", format="svg", title="t\x1b"), encoding="utf-8") as f:
        text = f.read()
    assert r">a\x0cb\x00c<" in text and r"t\x1b" in text


def test_an_image_interrupted_while_written_leaves_the_old_one(dot_program, tmp_path, monkeypatch):
    path = tmp_path / "g.png"
    path.write_bytes(b"old")

    def fsync(fd):  # interrupted after the bytes went out, before they reached the disk
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", fsync)
    with pytest.raises(KeyboardInterrupt):
        render_graph(ag.exp(ag.tensor(1.0, requires_grad=True)), path)
    assert path.read_bytes() == b"old" and os.listdir(tmp_path) == ["g.png"]


def test_jupyter_displays_the_graph_inline(dot_program):
    x = ag.tensor(1.0, requires_grad=True, name="x")
    bundle = draw_graph(ag.exp(x))._repr_mimebundle_()
    assert "<svg" in bundle["image/svg+xml"] and ">x<" in bundle["image/svg+xml"]


def test_missing_dot_raises_an_error_saying_how_to_install_it(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no dot on this PATH
    x = ag.tensor(1.0, requires_grad=True, name="x")
    with pytest.raises(GraphvizNotFound) as info:
        render_graph(ag.exp(x), tmp_path / "g.png")
    message = str(info.value)
    assert isinstance(info.value, RuntimeError)
    assert "apt-get install graphviz" in message and "brew install graphviz" in message
    assert "make setup" in message
    assert not (tmp_path / "g.png").exists()
    assert "exp" in draw_graph(ag.exp(x)).source  # DOT source needs no dot program


@pytest.mark.parametrize("script, message", [
    ("kill -9 $$", r"^render_graph: dot failed: it exited with status -9 and no message$"),
    ("exit 0", r"^render_graph: dot wrote no png output; check the Graphviz installation \(dot -V\)$"),
], ids=["killed", "silent"])
def test_a_broken_dot_is_an_error_and_writes_no_image(script, message, tmp_path, monkeypatch):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "dot").write_text(f"#!/bin/sh\n{script}\n")
    (bin_dir / "dot").chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))
    with pytest.raises(RuntimeError, match=message):
        render_graph(ag.exp(ag.tensor(1.0, requires_grad=True)), tmp_path / "g.png")
    assert not (tmp_path / "g.png").exists()


def test_bad_arguments_say_what_is_valid(tmp_path):
    x = ag.tensor(1.0, requires_grad=True, name="x")
    y = ag.exp(x)
    with pytest.raises(ValueError, match="png, svg, pdf"):
        render_graph(y, tmp_path / "g", format="jpg")
    with pytest.raises(ValueError, match="format 'svg'"):
        render_graph(y, tmp_path / "g.svg")  # the default format is png
    with pytest.raises(ValueError, match="LR, TB, RL, BT"):
        draw_graph(y, rankdir="XY")
    with pytest.raises(TypeError, match="Tensor"):
        draw_graph(np.ones(3))
    with pytest.raises(ValueError, match="max_nodes"):
        draw_graph(y, max_nodes=1)
    with pytest.raises(TypeError, match="grads must be a mapping node -> gradient"):
        draw_graph(y, show_grad=True, grads=[1.0])
    with pytest.raises(TypeError, match=re.escape("params['w'] must be a Tensor, got ndarray")):
        draw_graph(y, params={"w": np.ones(3)})
    for flag in ("show_data", "show_grad", "include_backward", "show_constants"):  # "no" would read as True
        with pytest.raises(TypeError, match=f"draw_graph: {flag} must be True or False, got 'no'"):
            draw_graph(y, **{flag: "no"})


def test_a_leaf_alone_and_a_constant_output_are_drawn():
    x = ag.tensor([1.0, 2.0], name="data")
    assert "<b>data</b>" in draw_graph(x, show_data=True).source
    w = ag.tensor(1.0, requires_grad=True, name="w")
    source = draw_graph(w, show_grad=True).source
    assert "<b>w</b>" in source


def test_include_backward_accepts_a_recorded_grad_table():
    x = ag.tensor(0.5, requires_grad=True, name="x")
    y = ag.sin(x) * x
    y.name = "y"
    table = ag.backprop(y, create_graph=True)
    source = draw_graph(y, include_backward=True, grads=table, show_data=True).source
    expected = math.cos(0.5) * 0.5 + math.sin(0.5)
    assert f"value {fmt(expected)}" in node_line(source, "\u2202y/\u2202x")
    assert x.grad is None


def test_function_parameters_are_shown_and_internal_objects_are_not():
    x = ag.tensor([1.0, 2.0], requires_grad=True, name="x")
    y = Cube.apply(x.astype(np.float32)).sum(axis=0)
    source = draw_graph(y).source
    assert "<b>Cube</b>" in source and "ctx" not in source
    assert "dtype=float32" in source and "axis=0" in source


def test_scalar_neurons_are_grouped_with_their_running_sums():
    x = [ag.tensor(v, requires_grad=True, name=f"x{i}") for i, v in enumerate((0.5, -1.0))]
    params, hidden = {}, []
    for j in range(2):
        w = [ag.tensor(0.3 * (i + j + 1), requires_grad=True) for i in range(2)]
        b = ag.tensor(0.1, requires_grad=True)
        params.update({f"n{j}.w0": w[0], f"n{j}.w1": w[1], f"n{j}.b": b})
        hidden.append(ag.tanh(b + w[0] * x[0] + w[1] * x[1]))
    out = hidden[0] * hidden[1]
    out.name = "out"
    source = draw_graph(out, params=params).source
    found = clusters(source)
    for j in range(2):
        body = found[f"n{j}"]
        assert body.count("<b>multiply</b>") == 0 and body.count(">multiply<") == 2  # w0*x0, w1*x1
        assert body.count(">add<") == 2 and body.count("<b>tanh</b>") == 1
    assert all("<b>out</b>" not in body for body in found.values())  # the output stays in view
    assert sum(body.count(">multiply<") for body in found.values()) == 4  # out = h0*h1 is outside


def test_the_output_and_parameters_of_no_module_operation_stay_outside_clusters():
    model = nn.Sequential(nn.Linear(3, 2, rng=0), nn.ReLU())
    out = model(np.ones((1, 3), dtype=np.float32))  # relu, drawn in layer 0 were it not the output
    out.name = "out"
    found = clusters(draw_graph(out, params=model).source)
    assert "<b>0.weight</b>" in found["0 (Linear 3\u21922)"]
    assert all("<b>out</b>" not in body for body in found.values())
    a, b = ag.tensor(2.0, requires_grad=True), ag.tensor(3.0, requires_grad=True)
    assert clusters(draw_graph(a * b, params={"m.a": a, "n.b": b}).source) == {}  # mixing modules: no cluster


def test_a_regression_loss_is_drawn_outside_the_layers():
    model = nn.MLP([3, 4, 1], rng=0)
    x = np.ones((5, 3), dtype=np.float32)
    loss = nn.MSELoss()(model(x), np.zeros((5, 1), dtype=np.float32))
    found = clusters(draw_graph(loss, params=model).source)
    assert {"layers.0 (Linear 3\u21924)", "layers.2 (Linear 4\u21921)"} <= set(found)
    assert all("subtract" not in body for body in found.values())


def test_inputs_name_the_data_an_operation_consumed():
    model, loss = mlp_loss(batch=4)
    x = ag.tensor(np.ones((4, 64), dtype=np.float32), name="x")
    loss = model(x).sum()
    source = draw_graph(loss, params=model, inputs={"x": x}).source
    assert "<b>x</b>" in source
    assert all("<b>x</b>" not in body for body in clusters(source).values())  # drawn outside the first layer
    W = ag.tensor(np.ones((2, 64)), requires_grad=True)
    assert "<b>view of x</b>" in draw_graph((W @ x.T).sum(), inputs={"x": x}).source
    w = ag.tensor(np.ones(3), requires_grad=True, name="w")
    data = np.arange(3.0)
    source = draw_graph((w * data).sum(), inputs={"data": data}).source
    assert "<b>data</b>" in source and "<b>constant</b>" not in source
    assert "<b>constant</b>" in draw_graph((w * data).sum()).source
    with pytest.raises(TypeError, match="mapping name -> Tensor"):
        draw_graph(loss, inputs=[x])


def test_layout_bounds_network_simplex_with_nslimit():
    # x+x+...+x: every operation reads x, whose edges then cross up to 100 ranks; dot's x-placement
    # pass (network simplex) is unbounded by default and took seconds there. nslimit bounds it.
    x = ag.tensor(1.0, requires_grad=True)
    total = x
    for _ in range(50):
        total = total + x
    assert "nslimit=1" in draw_graph(total).source


def test_an_empty_array_is_summarised_as_empty():
    assert summarize(np.zeros((0, 3))) == ["(empty)"]


def test_default_parameters_are_not_shown_on_operation_labels():
    x = ag.tensor([[1.0, 2.0]], requires_grad=True)
    source = draw_graph(x.sum(axis=1)).source
    assert "axis=1" in source and "keepdims" not in source


def test_long_parameters_are_cut_at_28_characters():
    x = ag.tensor(np.ones((1, 1, 1, 1, 1, 1, 1, 1)), requires_grad=True)
    source = draw_graph(x.transpose(7, 6, 5, 4, 3, 2, 1, 0)).source
    assert "axes=(7, 6, 5, 4, 3, 2, 1, 0)</font>" in source  # 24 characters: shown whole, no ellipsis


def test_an_array_setting_shows_its_values_when_few_and_its_shape_and_dtype_otherwise():
    logits = ag.tensor(np.zeros((1, 3)), requires_grad=True)
    one = draw_graph(ag.nll_loss(ag.log_softmax(logits), np.array([2]))).source
    assert "target=[2]" in one  # the class drawn, not a shape that reads like one
    many = draw_graph(ag.nll_loss(ag.log_softmax(ag.tensor(np.zeros((40, 3)), requires_grad=True)),
                                  np.zeros(40, np.int64))).source
    assert "target=(40,) int64" in many


def test_render_graph_names_itself_for_a_path_that_is_not_a_path():
    out = ag.tanh(ag.tensor(1.0, requires_grad=True) * 2)
    with pytest.raises(TypeError, match="render_graph"):
        render_graph(out, None)


# ---- found by mutation testing -------------------------------------------------------------------------------------
def test_render_graph_refuses_format_none_naming_the_formats(tmp_path):
    # None is no format (image_target would read it as "none given" and write g.None)
    with pytest.raises(ValueError, match=r"render_graph: format must be one of png, svg, pdf, got None"):
        render_graph(ag.exp(ag.tensor(1.0, requires_grad=True)), tmp_path / "g", format=None)
    assert list(tmp_path.iterdir()) == []


def test_render_graph_keeps_an_extension_that_is_no_format_as_part_of_the_name(dot_program, tmp_path):
    # render_graph's contract: a path not ending in the format's extension gets it added ("graph.v1" is a name)
    path = render_graph(ag.exp(ag.tensor(1.0, requires_grad=True)), tmp_path / "graph.v1")
    assert path == str(tmp_path / "graph.v1.png")
    with open(path, "rb") as f:
        assert f.read(8) == PNG_MAGIC


# ---- found by mutation testing (session 17) -----------------------------------------------------------------
def test_a_named_one_element_constant_is_drawn_in_a_box_as_a_constant_array():
    w = ag.tensor(0.8, requires_grad=True, name="w1")
    source = draw_graph(w * ag.tensor(1.5, name="u5")).source
    array = draw_graph(w * ag.tensor([1.5, 2.5], name="u6")).source
    assert "shape=box" in node_line(array, "u6")
    assert "shape=box" in node_line(source, "u5")  # not the plaintext of an unnamed number


# render_graph(digraph, path, show_data=True): with a Digraph from draw_graph the drawing arguments were silently
# ignored (the picture is drawn already), so the image lacked the values asked for; they are refused, saying where
# they belong.

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


# render_graph's path: one naming no file ("", "dir/", ".", "..") wrote a hidden ".png" (or "..png") where
# `agrad graph --out` refuses it; a NUL character failed with open()'s bare "embedded null byte"; and a directory
# that could not be created (a parent that is a file, no permission) was an OSError naming neither render_graph nor
# the path it was asked for.

def graph():
    return ag.tanh(ag.tensor(1.0, requires_grad=True, name="x") * 2.0)


@pytest.mark.parametrize("name", ["", "dir/", ".", "..", "dir/.", "dir/.."])
def test_a_path_naming_no_file_is_refused_and_nothing_is_written(tmp_path, monkeypatch, name):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "dir").mkdir()
    with pytest.raises(ValueError, match=r"^render_graph: the path .* names no file \(a directory, or nothing\); "
                                         r"give a file name, e\.g\. '.*graph'$"):
        render_graph(graph(), name)
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["dir"]
    with pytest.raises(ValueError, match="names no file"):
        render_graph(graph(), os.fsencode(tmp_path / "dir") + b"/", format="svg")  # bytes too


@pytest.mark.parametrize("path", ["a\0b", b"a\0b.png"])
def test_a_path_holding_a_nul_character_is_refused_naming_render_graph(tmp_path, monkeypatch, path):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ValueError, match=r"^render_graph: the path 'a\\x00b(\.png)?' holds a NUL character"):
        render_graph(graph(), path)
    assert list(tmp_path.iterdir()) == []


def test_a_directory_that_cannot_be_made_is_an_error_naming_render_graph_and_the_directory(dot_program, tmp_path,
                                                                                           monkeypatch):
    (tmp_path / "plain_file").write_text("")
    with pytest.raises(NotADirectoryError, match=r"^\[Errno 20\] render_graph: cannot create the directory .*"
                                                 r"plain_file/sub: Not a directory$"):
        render_graph(graph(), tmp_path / "plain_file" / "sub" / "g.png")

    def refused(path, exist_ok=False):  # as for a user without write permission there (the tests may run as root)
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), path)

    monkeypatch.setattr(os, "makedirs", refused)
    with pytest.raises(PermissionError, match=r"^\[Errno 13\] render_graph: cannot create the directory "
                                              r".*locked: Permission denied$") as info:
        render_graph(graph(), tmp_path / "locked" / "g.png")
    assert info.value.errno == errno.EACCES


def test_ordinary_paths_still_work(dot_program, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert render_graph(graph(), "g") == "g.png"
    assert render_graph(graph(), "new/sub/g.svg", format="svg") == "new/sub/g.svg"
    assert render_graph(graph(), "dots.") == "dots.png"  # a trailing dot dropped, as before
    assert render_graph(graph(), b"b") == "b.png"
