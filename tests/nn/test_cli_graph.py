"""`agrad graph EXPR`: safe parsing, values and gradients in the picture, clear one-line errors."""
import argparse
import ast
import html
import io
import math
import os
import random
import re
import subprocess
import sys
import warnings

import pytest

from autograd_core.backprop import topological_order
from autograd_core.expression import FUNCTIONS, parse
from conftest import PNG_MAGIC
from nn.cli import graph, main
from nn.cli.graph import _target, count_operations, expression_not_option

EXAMPLE = "sigmoid(w1*u5 + w2*u6 + b)"
VALUES = "w1=0.8,u5=1.5,w2=-1.2,u6=-0.5,b=0.1"


def hand_derived():
    z = 0.8 * 1.5 + -1.2 * -0.5 + 0.1
    s = 1 / (1 + math.exp(-z))
    ds = s * (1 - s)
    return s, {"u5": ds * 0.8, "u6": ds * -1.2, "w1": ds * 1.5, "w2": ds * -0.5, "b": ds}


def test_draws_the_course_example_with_values_and_gradients(dot_program, tmp_path, capsys):
    out = tmp_path / "u7.png"
    assert main(["graph", EXAMPLE, "--values", VALUES, "--out", str(out)]) == 0
    with open(out, "rb") as f:
        assert f.read(8) == PNG_MAGIC
    printed = capsys.readouterr().out
    s, grads = hand_derived()
    assert f"= {s:.6g}" in printed
    for name, value in grads.items():
        assert f"df/d{name} = {value:.6g}" in printed
    assert f"wrote {out}" in printed


def test_svg_names_every_node_with_its_gradient(dot_program, tmp_path, capsys):
    out = tmp_path / "u7.svg"  # the format follows the extension
    assert main(["graph", EXAMPLE, "--values", VALUES, "--out", str(out)]) == 0
    svg = html.unescape(out.read_text(encoding="utf-8"))  # dot writes "-" as &#45;
    _, grads = hand_derived()
    for name, value in grads.items():
        assert f">{name}<" in svg and f"grad {value:.4g}<" in svg
    assert ">sigmoid<" in svg and ">w1*u5<" in svg
    assert main(["graph", "x*y", "--format", "svg", "--out", str(tmp_path / "g")]) == 0
    assert (tmp_path / "g.svg").read_text(encoding="utf-8").startswith("<?xml")


def test_default_output_and_default_values(dot_program, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["graph", "tanh(w*x + b)"]) == 0
    assert (tmp_path / "graph.png").read_bytes()[:8] == PNG_MAGIC
    printed = capsys.readouterr().out
    assert "(w = 1)" in printed and "(x = 1)" in printed and "(b = 1)" in printed
    assert main(["graph", "w*x", "--default", "2"]) == 0
    assert "(x = 2)" in capsys.readouterr().out


REFUSED = [
    ("__import__('os').system('touch PWNED')", "attribute access"),
    ("__import__('os')", "unknown function '__import__'"),
    ("x.real + 1", "attribute access"),
    ("x[0]", "subscripts"),
    ("(lambda: 1)()", "lambdas"),
    ("foo(x)", "unknown function 'foo'"),
    ("exp(x=1)", "keyword arguments"),
    ("'rm -rf'", "strings"),
    ("[x for x in y]", "comprehensions"),
]


@pytest.mark.parametrize("expr, message", REFUSED)
def test_unsafe_expressions_are_refused_and_nothing_runs(expr, message, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["graph", expr, "--out", str(tmp_path / "g.png")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("agrad graph: error:") and message in err and err.count("\n") == 1
    assert list(tmp_path.iterdir()) == []  # no image, and no PWNED file


@pytest.mark.parametrize("argv, message", [
    (["x*y", "--values", "x=two"], "is not a number"),
    (["x*y", "--values", "x"], "NAME=NUMBER"),
    (["x*y", "--values", "=2"], "NAME=NUMBER"),
    (["x*y", "--values", "x=1,x=2"], "given twice"),
    (["x*y", "--values", "z=1"], "'z' not in the expression"),
    (["2*3"], "no variables"),
    (["x*y", "--out", "g.svg", "--format", "png"], "make them agree"),
    (["x*y", "--out", "g."], "--out g. ends with a dot; give an extension (g.png) or none (g)"),
    (["x*y", "--out", "g.."], "--out g.. ends with a dot; give an extension (g.png) or none (g)"),
    (["x*y", "--out", "new/."], "--out new/. names no file; give an image file name, e.g. new/graph.png"),
    (["x\udcff"], "cannot use 'x\\udcff': not a valid expression: invalid character '\\udcff' (column 2)"),  # byte 0xff
])
def test_user_mistakes_are_one_line_errors(argv, message, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["graph", *argv]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_an_out_path_that_is_not_utf8_is_printed_escaped_on_a_strict_stdout(dot_program, tmp_path, monkeypatch):
    out = tmp_path / "g\udcff.svg"  # a byte 0xff in the name, as Python decodes it
    stdout = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict")
    monkeypatch.setattr(sys, "stdout", stdout)
    status = main(["graph", "x", "--out", str(out)])
    if status == 2 and not out.exists():
        pytest.skip("this file system refuses names that are not UTF-8")
    assert status == 0 and out.exists()
    stdout.seek(0)
    assert f"wrote {tmp_path}/g\\udcff.svg\n" in stdout.read()


def test_missing_dot_says_how_to_install_it(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PATH", str(tmp_path))
    assert main(["graph", "x*y", "--out", str(tmp_path / "g.png")]) == 2
    err = capsys.readouterr().err
    assert "apt-get install graphviz" in err and "brew install graphviz" in err


def test_a_missing_graphviz_package_says_how_to_install_it(tmp_path, monkeypatch, capsys):
    for module in ("graphviz", "autograd_core.viz"):  # as after a plain pip install autograd_core
        monkeypatch.setitem(sys.modules, module, None)
    assert main(["graph", "x*y", "--out", str(tmp_path / "g.png")]) == 2
    err = capsys.readouterr().err
    assert "graphviz is not installed" in err and "pip install 'autograd_core[viz]'" in err and err.count("\n") == 1


def test_help_text_is_the_module_docstring(capsys):
    first_line = graph.__doc__.splitlines()[0]
    assert first_line.startswith("Draw the computational graph of a scalar expression")
    with pytest.raises(SystemExit) as info:
        main(["graph", "--help"])
    assert info.value.code == 0
    shown = " ".join(capsys.readouterr().out.split())  # argparse rewraps the text
    assert " ".join(first_line.split()) in shown


# --help names every function an expression may call, each name in the parser's table (FUNCTIONS).
def test_help_names_every_function_an_expression_may_call(capsys):
    with pytest.raises(SystemExit):
        main(["graph", "--help"])
    text = capsys.readouterr().out
    named = set(re.findall(r"\b([a-z][a-z0-9_]*)\b(?=\(|,|\.|\s)", text))
    assert sorted(set(FUNCTIONS) - named) == []


def test_a_lone_variable_keeps_its_name(dot_program, tmp_path, capsys):
    out = tmp_path / "x.svg"
    assert main(["graph", "x", "--values", "x=3", "--out", str(out)]) == 0
    svg = out.read_text(encoding="utf-8")
    assert ">x<" in svg and ">grad 1<" in svg
    assert "df/dx = 1" in capsys.readouterr().out


def test_a_variable_named_f_does_not_share_the_outputs_label(dot_program, tmp_path, capsys):
    out = tmp_path / "f.svg"
    assert main(["graph", "f*x", "--values", "f=2,x=3", "--out", str(out)]) == 0
    svg = out.read_text(encoding="utf-8")
    assert svg.count(">f<") == 1 and svg.count(">f_<") == 1  # the leaf f, and the output
    printed = capsys.readouterr().out
    assert "f_ = f*x = 6" in printed and "df_/df = 3   (f = 2)" in printed and "df_/dx = 2" in printed


def test_the_out_extension_is_the_format_and_others_are_refused(dot_program, tmp_path, capsys):
    assert main(["graph", "x*y", "--out", str(tmp_path / "g.jpg")]) == 2
    err = capsys.readouterr().err
    assert ".jpg is not a format" in err and ".png, .svg, .pdf" in err and err.count("\n") == 1
    assert list(tmp_path.iterdir()) == []  # no g.jpg.png
    assert main(["graph", "x*y", "--out", str(tmp_path / "G.PDF")]) == 0
    assert [p.name for p in tmp_path.iterdir()] == ["G.PDF"]
    assert (tmp_path / "G.PDF").read_bytes().startswith(b"%PDF")


def test_out_creates_missing_directories_as_train_does_and_says_so_in_help(dot_program, tmp_path, capsys):
    out = tmp_path / "new" / "dir" / "g.svg"
    assert main(["graph", "x*y", "--out", str(out)]) == 0 and out.read_text(encoding="utf-8").startswith("<?xml")
    (tmp_path / "plain_file").write_text("")
    for bad, message in ((tmp_path / "plain_file" / "g.png", "cannot write there"), (tmp_path / "new", "directory")):
        capsys.readouterr()
        assert main(["graph", "x*y", "--out", str(bad)]) == 2
        err = capsys.readouterr().err
        assert message in err and err.count("\n") == 1
    for command in ("graph", "train"):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        assert "directories are created" in " ".join(capsys.readouterr().out.split())


def test_more_than_fifty_operations_are_refused_before_any_work(tmp_path, monkeypatch, capsys):
    import autograd_core.viz

    drawn = []
    monkeypatch.setattr(autograd_core.viz, "render_graph",
                        lambda picture, path, format="png", **kw: drawn.append(picture) or path)
    assert main(["graph", "+".join(["x"] * 52), "--out", str(tmp_path / "g.png")]) == 2
    err = capsys.readouterr().err
    assert "51 operations" in err and "at most 50" in err and err.count("\n") == 1 and not drawn
    assert main(["graph", "tanh(" * 49 + "-x" + ")" * 49, "--out", str(tmp_path / "g.png")]) == 0  # 50: drawn
    assert len(drawn) == 1
    assert main(["graph", "y*" + "-" * 50 + "x", "--out", str(tmp_path / "g.png")]) == 2  # each unary minus counts
    assert "51 operations" in capsys.readouterr().err and len(drawn) == 1


# The limit of 50 operations counts the operations the graph holds: an operation of numbers alone (the -1 of
# clip(x, -1, 1), the 2*3 of x*(2*3)) computes a constant and draws no node, so it is not counted.
def graph_operations(source):
    out, _ = parse(source).evaluate()
    return sum(node._op is not None for node in topological_order(out))


def test_operations_of_numbers_alone_are_not_counted():
    for source, expected in (("x * -2", 1), ("x*(2*3)", 1), ("clip(x, -1, 1)", 1), ("leaky_relu(x, -0.1)", 1),
                             ("exp(2)*x", 1), ("-2 + x", 1), ("-(-(-x))", 3), ("2**3**x", 2), ("+x", 0)):
        assert count_operations(ast.parse(source, mode="eval")) == expected == graph_operations(source), source


def test_the_count_is_the_number_of_operations_in_the_graph_for_random_expressions():
    rng = random.Random(27)

    def expression(depth):
        r = rng.random()
        if depth == 0 or r < 0.3:
            return rng.choice(["x", "y", "2", "0.5", "-1"])
        if r < 0.6:
            return f"({expression(depth - 1)} {rng.choice('+-*/%')} {expression(depth - 1)})"
        if r < 0.7:
            return rng.choice("-+") + expression(depth - 1)
        name = rng.choice(list(FUNCTIONS))
        _, n_tensors, optional = FUNCTIONS[name]
        numbers = ["-0.5", "2.0"][:rng.randint(0, len(optional))]
        return f"{name}({', '.join([expression(depth - 1) for _ in range(n_tensors)] + numbers)})"

    for _ in range(300):
        source = expression(rng.randint(1, 4))
        assert count_operations(parse(source).tree) == graph_operations(source), source


def test_fifty_operations_with_negative_bounds_are_drawn(tmp_path, monkeypatch, capsys):
    import autograd_core.viz

    drawn = []
    monkeypatch.setattr(autograd_core.viz, "render_graph",
                        lambda picture, path, format="png", **kw: drawn.append(picture) or path)
    source = "tanh(" * 49 + "clip(x, -1, 1)" + ")" * 49  # 50 operations; the -1 made it 51
    assert graph_operations(source) == 50
    assert main(["graph", source, "--out", str(tmp_path / "g.png")]) == 0 and len(drawn) == 1
    assert main(["graph", "-1*" + source, "--out", str(tmp_path / "g.png")]) == 2
    assert "51 operations" in capsys.readouterr().err and len(drawn) == 1


def test_the_picture_is_titled_named_and_laid_out_as_asked(tmp_path, monkeypatch):
    import autograd_core.viz

    drawn = []
    monkeypatch.setattr(autograd_core.viz, "render_graph",
                        lambda output, path, format="png", **kw: drawn.append((output, kw)) or path)
    assert main(["graph", "tanh(w * x)", "--out", str(tmp_path / "g.png")]) == 0
    output, kwargs = drawn[-1]
    assert output.name == "f" and kwargs["title"] == "f = tanh(w * x)"
    assert kwargs["rankdir"] == "LR" and kwargs["show_data"] and kwargs["show_grad"]
    assert main(["graph", "tanh(w * x)", "--rankdir", "TB", "--out", str(tmp_path / "g.png")]) == 0
    assert drawn[-1][1]["rankdir"] == "TB"


def test_an_expression_starting_with_a_minus_is_not_taken_for_an_option(dot_program, tmp_path, capsys):
    assert main(["graph", "-x**2", "--values", "x=3", "--out", str(tmp_path / "g.svg")]) == 0
    out = capsys.readouterr().out
    assert "f = -x**2 = -9" in out and "df/dx = -6" in out
    assert main(["graph", "x*2", "--default", "-1.5", "--out", str(tmp_path / "h.svg")]) == 0  # a negative value
    assert "df/dx = 2   (x = -1.5)" in capsys.readouterr().out
    assert main(["graph", "--x", "--val", "x=2", "--out", str(tmp_path / "i.svg")]) == 0  # -(-x), not an option
    assert "f = --x = 2" in capsys.readouterr().out


def test_the_long_options_the_argv_scanner_knows_are_graphs_own():
    parser = argparse.ArgumentParser()
    graph.add_arguments(parser)
    own = {s for action in parser._actions for s in action.option_strings if s.startswith("--")}
    assert own == set(graph.LONG_OPTIONS)


def test_option_values_starting_with_a_minus_pass_unchanged(dot_program, tmp_path, monkeypatch, capsys):
    assert graph.expression_not_option(["graph", "--values", "x=-1", "-x**2", "--out", "-a.svg", "--default", "-2"]) \
        == ["graph", "--values", "x=-1", " -x**2", "--out=-a.svg", "--default=-2"]  # only EXPR is changed
    monkeypatch.chdir(tmp_path)
    assert main(["graph", "x", "--out", "-weird.svg"]) == 0
    assert [p.name for p in tmp_path.iterdir()] == ["-weird.svg"]
    assert "wrote -weird.svg" in capsys.readouterr().out


@pytest.mark.parametrize("out", [".png", "sub/.SVG", "sub/", ""])
def test_an_out_without_a_file_name_is_refused(out, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["graph", "x", "--out", out]) == 2
    err = capsys.readouterr().err
    assert "names no file" in err and err.count("\n") == 1
    assert list(tmp_path.iterdir()) == []  # no .png.png


def test_values_outside_the_domain_give_one_note_and_no_numpy_warnings(dot_program, tmp_path, capsys):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert main(["graph", "log(x)", "--values", "x=0", "--out", str(tmp_path / "g.svg")]) == 0
    assert [str(w.message) for w in caught] == []
    captured = capsys.readouterr()
    assert "f = log(x) = -inf" in captured.out and "df/dx = inf" in captured.out
    assert captured.err == "agrad graph: note: f, df/dx are not finite at these values " \
                           "(outside a function's domain, or an overflow)\n"


@pytest.mark.parametrize("argv, message", [
    (["x+" * 50_000 + "x"], "at most 10000 are accepted"),
    (["y" * 5000 + "(x)"], "unknown function"),
    (["1" * 5000 + "*x"], "the number at column 1 has 5,000 digits; numbers must fit a float"),
    (["x", "--values", "x=" + "y" * 5000], "is not a number"),
    (["x", "--default", "y" * 5000], "expected a number"),
])
def test_errors_echo_huge_input_shortened(argv, message, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    try:
        status = main(["graph", *argv])
    except SystemExit as exc:  # argparse's own errors
        status = exc.code
    last = capsys.readouterr().err.splitlines()[-1]
    assert status == 2 and message in last and len(last) < 600, last[:700]  # (the list of functions is about 300)
    assert "set_int_max_str_digits" not in last


def test_names_the_output_encoding_lacks_are_printed_escaped(dot_program, tmp_path):
    out = tmp_path / "u.png"
    result = subprocess.run([sys.executable, "-m", "nn.cli", "graph", "α*x", "--values", "α=2", "--out", str(out)],
                            capture_output=True, timeout=120, env={**os.environ, "PYTHONIOENCODING": "cp1252"})
    assert result.returncode == 0, result.stderr
    assert b"df/d\\u03b1 = 1   (\\u03b1 = 2)" in result.stdout and out.read_bytes().startswith(PNG_MAGIC)


def test_values_name_variables_as_python_reads_them(dot_program, tmp_path, capsys):
    # Python folds compatible characters (NFKC): the expression's ℌ is the name H, and so is --values' ℌ.
    assert main(["graph", "ℌ*x", "--values", "ℌ=2,x=3", "--out", str(tmp_path / "h.png")]) == 0
    assert "df/dx = 2   (x = 3)" in capsys.readouterr().out
    # but what Python refuses as a name (x² is no identifier, though it folds to x2) stays refused
    assert main(["graph", "x2*2", "--values", "x²=3", "--out", str(tmp_path / "h.png")]) == 2
    assert "--values: expected NAME=NUMBER pairs" in capsys.readouterr().err


def test_main_called_from_python_leaves_the_callers_streams_alone(tmp_path, capsys, monkeypatch):
    import io

    stream = io.TextIOWrapper(io.BytesIO(), encoding="ascii", errors="strict")
    monkeypatch.setattr(sys, "stdout", stream)
    main(["graph", "x", "--values", "y=1", "--out", str(tmp_path / "g.png")])  # an error: status 2
    assert stream.errors == "strict"


def test_control_characters_in_an_expression_are_drawn_escaped(dot_program, tmp_path, capsys):
    out = tmp_path / "ff.svg"
    assert main(["graph", "x\x0c+y", "--out", str(out)]) == 0, capsys.readouterr().err
    assert "x\\x0c+y" in out.read_text()


def test_an_abbreviated_option_takes_its_value():
    # --val is --values (argparse takes a prefix): x=1 is its value and -x the expression
    assert expression_not_option(["graph", "--val", "x=1", "-x"]) == ["graph", "--val", "x=1", " -x"]


def test_dash_h_after_an_option_stays_a_help_request():
    assert expression_not_option(["graph", "x", "--out", "-h"]) == ["graph", "x", "--out", "-h"]


def test_an_option_after_an_option_is_not_taken_as_its_value():
    # "--out --format svg": --format is not a file name
    assert expression_not_option(["graph", "x", "--out", "--format", "svg"]) == \
        ["graph", "x", "--out", "--format", "svg"]


def test_format_without_out_names_the_default_file():
    # agrad graph EXPR --format svg writes graph.svg
    assert _target(argparse.Namespace(out=None, format="svg")) == ("graph.svg", "svg")


def test_the_output_label_differs_from_every_variable(dot_program, tmp_path, capsys):
    # with variables f and f_, the output is called f__, so each printed derivative is unambiguous
    assert main(["graph", "f*f_", "--out", str(tmp_path / "g.svg")]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("f__ = f*f_ = ")
    assert out[1].strip().startswith("df__/df =") and out[2].strip().startswith("df__/df_ =")


def test_an_option_missing_its_value_at_the_end_is_argparses_usage_error(capsys):
    # The scanner must not look past the end of argv for the value: argparse reports the missing value.
    assert expression_not_option(["graph", "x", "--out"]) == ["graph", "x", "--out"]
    with pytest.raises(SystemExit) as info:
        main(["graph", "x", "--out"])
    assert info.value.code == 2
    assert "argument --out: expected one argument" in capsys.readouterr().err


def test_only_the_first_positional_is_protected_from_being_read_as_an_option():
    # The docstring's contract: "Only EXPR, the first positional, changes."
    assert expression_not_option(["graph", "-x", "-y"]) == ["graph", " -x", "-y"]
    assert expression_not_option(["graph", "--out", "a.svg", "-x", "--y"]) == ["graph", "--out", "a.svg", " -x", "--y"]


def fake_dot(tmp_path, monkeypatch, script):
    """Put a `dot` that runs `script` first on PATH."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "dot").write_text(f"#!/bin/sh\n{script}\n")
    (bin_dir / "dot").chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")


# ---- valid expressions are drawn ---------------------------------------------------------------
@pytest.mark.parametrize("expr", [
    "\u00e9" * 9_000,               # one variable: 9,000 characters (under the 10,000 accepted), 18,000 bytes
    "\u4e2d" * 6_000,               # 18,000 bytes of CJK: dot's error message cuts a character in two
    "x" + "\x0c" * 5_000 + "*y",    # form feeds are whitespace to Python; drawn escaped, the title is 20,000 long
], ids=["9k-accented", "6k-cjk", "form-feeds"])
def test_a_long_valid_expression_is_drawn(dot_program, expr, tmp_path, capsys):
    out = tmp_path / "g.svg"
    assert main(["graph", expr, "--out", str(out)]) == 0, capsys.readouterr().err[:500]
    assert out.exists()


# ---- failures of dot are one line ----------------------------------------------------------------
@pytest.mark.parametrize("script", [
    "printf 'Error: first line\\nsecond line\\n' >&2; exit 1",
    "printf 'Error: \\344\\270 cut\\n' >&2; exit 1",  # not UTF-8: a character cut in two, as dot's excerpts do
], ids=["two-lines", "not-utf8"])
def test_a_dot_failure_is_a_one_line_error(script, tmp_path, monkeypatch, capsys):
    fake_dot(tmp_path, monkeypatch, script)
    assert main(["graph", "x*y", "--out", str(tmp_path / "g.svg")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("agrad graph: error: ") and err.count("\n") == 1, err


def test_an_out_inside_a_regular_file_is_reported_as_not_a_directory(dot_program, tmp_path, capsys):
    notes = tmp_path / "notes"
    notes.write_text("a file, not a directory")
    target = notes / "g.png"
    try:  # the reason the operating system gives for this path
        open(target, "wb")
    except OSError as err:
        reason = err.strerror
    assert main(["graph", "x*y", "--out", str(target)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert reason in err and "File exists" not in err, err


def test_an_out_extension_that_contradicts_format_names_the_format_option(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["graph", "x*y", "--out", "g.svg", "--format", "png"]) == 2
    err = capsys.readouterr().err
    assert "--format" in err and "format='" not in err and err.count("\n") == 1
