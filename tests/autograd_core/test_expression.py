"""autograd_core.expression: only names, numbers, arithmetic and the engine's functions get through,
and nothing is evaluated before the whole text has been checked."""
import ast
import builtins
import math
import re

import numpy as np
import pytest

import autograd_core as ag
from autograd_core.expression import FUNCTIONS, ExpressionError, evaluate, parse
from conftest import calls_made

REFUSED = [
    ("__import__('os').system('x')", "attribute access"),
    ("__import__('os')", "unknown function '__import__'"),
    ("os.system", "attribute access"),
    ("x.real", "attribute access"),
    ("x[0]", "subscripts"),
    ("x[1:2]", "subscripts"),
    ("(lambda: 1)()", "lambdas"),
    ("lambda x: x", "lambdas"),
    ("[i for i in x]", "comprehensions"),
    ("sum(i for i in x)", "unknown function 'sum'"),
    ("open('f')", "unknown function 'open'"),
    ("eval('1')", "unknown function 'eval'"),
    ("exp(x=1)", "keyword arguments"),
    ("exp(*x)", "*arguments"),
    ("'abc'", "strings"),
    ("b'abc'", "bytes"),
    ("x < 1", "comparisons"),
    ("x and y", "and/or"),
    ("x if y else z", "conditional expressions"),
    ("(y := 2)", "assignments"),
    ("x @ y", "the @ operator"),
    ("x // y", "the // operator"),
    ("~x", "the ~ operator"),
    ("f'{x}'", "f-strings"),
    ("[x, y]", "lists"),
    ("True * x", "True/False"),
    ("1j * x", "complex numbers"),
    ("_x + 1", "names starting with '_'"),
    ("__builtins__", "names starting with '_'"),
    ("exp + 1", "is a function: call it"),
    ("exp(x, y)", "takes 1 argument"),
    ("leaky_relu(x, y)", "negative_slope must be a number"),
    ("x +", "not a valid expression"),
    ("", "empty"),
    ("x; y", "not a valid expression"),
    ("import os", "not a valid expression"),
    ("(" * 300 + "x" + ")" * 300, "nested"),
]


@pytest.mark.parametrize("text, message", REFUSED)
def test_refused_with_a_message_saying_what_is_wrong(text, message):
    with pytest.raises(ExpressionError, match=message.replace("(", r"\(").replace("*", r"\*")):
        parse(text)


def test_a_lone_surrogate_is_refused_naming_its_column():
    # how Python decodes a command line byte that is not UTF-8; ast.parse cannot encode it
    with pytest.raises(ExpressionError, match=re.escape(r"invalid character '\udcff' (column 2), a lone surrogate")):
        parse("x\udcff")


def test_errors_list_what_is_allowed():
    with pytest.raises(ExpressionError) as info:
        parse("x.y")
    assert "+ - * / **" in str(info.value) and "sigmoid" in str(info.value)
    assert isinstance(info.value, ValueError)


def test_nothing_is_evaluated(tmp_path, monkeypatch):
    marker = tmp_path / "pwned"
    calls = []
    monkeypatch.setattr(builtins, "eval", lambda *a, **k: calls.append(a))
    monkeypatch.setattr(builtins, "exec", lambda *a, **k: calls.append(a))
    for text in (f"__import__('os').system('touch {marker}')", f"open('{marker}', 'w')",
                 f"(lambda: __import__('os').system('touch {marker}'))()"):
        with pytest.raises(ExpressionError):
            evaluate(text)
    assert not marker.exists() and calls == []
    out, _ = evaluate("sigmoid(x) * 2", {"x": 0.0})  # a valid one runs without eval/exec
    assert float(out) == 1.0 and calls == []


def test_names_in_order_of_appearance():
    assert parse("sigmoid(w1*u5 + w2*u6 + b)").names == ("w1", "u5", "w2", "u6", "b")
    assert parse("x * x + exp(y) - x").names == ("x", "y")
    assert parse("2 + 3").names == ()


def test_leaves_are_named_tensors_that_require_grad_with_defaults():
    out, leaves = evaluate("w * x + b", {"w": 3.0}, default=0.5)
    assert [(n, float(t), t.requires_grad, t.name) for n, t in leaves.items()] == [
        ("w", 3.0, True, "w"), ("x", 0.5, True, "x"), ("b", 0.5, True, "b")]
    assert float(out) == 2.0 and out.dtype == np.float64
    _, leaves = evaluate("x + 1")
    assert float(leaves["x"]) == 1.0  # the documented default
    with pytest.raises(ExpressionError, match="'z' not in the expression; its variables are x"):
        evaluate("x + 1", {"z": 2.0})


VALUES = {"x": 0.7, "y": -1.3}
CASES = [
    ("x + y", lambda x, y: x + y), ("x - y", lambda x, y: x - y), ("x * y", lambda x, y: x * y),
    ("x / y", lambda x, y: x / y), ("x ** 3", lambda x, y: x ** 3), ("-x", lambda x, y: -x),
    ("+x", lambda x, y: x), ("2 ** x", lambda x, y: 2 ** x), ("x - -y", lambda x, y: x + y),
    ("exp(x)", lambda x, y: math.exp(x)), ("log(x)", lambda x, y: math.log(x)),
    ("log1p(x)", lambda x, y: math.log1p(x)), ("sqrt(x)", lambda x, y: math.sqrt(x)),
    ("sin(y)", lambda x, y: math.sin(y)), ("cos(y)", lambda x, y: math.cos(y)),
    ("tanh(y)", lambda x, y: math.tanh(y)), ("sigmoid(y)", lambda x, y: 1 / (1 + math.exp(-y))),
    ("relu(y)", lambda x, y: 0.0), ("softplus(y)", lambda x, y: math.log1p(math.exp(y))),
    ("abs(y)", lambda x, y: 1.3), ("leaky_relu(y)", lambda x, y: -0.013), ("leaky_relu(y, 0.2)", lambda x, y: -0.26),
    ("leaky_relu(y, -1)", lambda x, y: 1.3), ("elu(y)", lambda x, y: math.expm1(y)),
    ("elu(y, 2)", lambda x, y: 2 * math.expm1(y)), ("maximum(x, y)", lambda x, y: x),
    ("minimum(x, y)", lambda x, y: y), ("x % 0.7", lambda x, y: x % 0.7), ("y % 0.7", lambda x, y: y % 0.7),
    ("clip(y, -1, 0)", lambda x, y: min(max(y, -1), 0)), ("clip(x, 3)", lambda x, y: max(x, 3)),
    ("tanh(x*y + 1) / (1 + exp(-x))", lambda x, y: math.tanh(x * y + 1) / (1 + math.exp(-x))),
    ("tan(x) + arctan(y) + sinh(x) * cosh(y)", lambda x, y: math.tan(x) + math.atan(y) + math.sinh(x) * math.cosh(y)),
    ("arcsin(x / 4) + arccos(x / 4) + arctanh(x / 4)", lambda x, y: math.asin(x / 4) + math.acos(x / 4) + math.atanh(x / 4)),
    ("arcsinh(y) + arccosh(1 + x * x)", lambda x, y: math.asinh(y) + math.acosh(1 + x * x)),
    ("log2(x * x) + log10(1 + y * y) + exp2(y)", lambda x, y: math.log2(x * x) + math.log10(1 + y * y) + 2 ** y),
    ("square(y) * reciprocal(x) + sign(y)", lambda x, y: y * y / x + math.copysign(1, y)),
    ("arctan2(y, x) + hypot(x, y)", lambda x, y: math.atan2(y, x) + math.hypot(x, y)),
    ("erf(x) * erfc(y)", lambda x, y: math.erf(x) * math.erfc(y)),
]


@pytest.mark.parametrize("text, reference", CASES)
def test_values_match_python_math(text, reference):
    out, leaves = evaluate(text, {k: v for k, v in VALUES.items() if k in parse(text).names})
    assert float(out) == pytest.approx(reference(**VALUES), rel=1e-12, abs=1e-15)


def test_every_documented_function_is_an_engine_function():
    for name, (function, _, _) in FUNCTIONS.items():
        assert function is getattr(ag, name), name


def test_gradients_of_the_course_example_are_the_hand_derived_ones():
    values = {"w1": 0.8, "u5": 1.5, "w2": -1.2, "u6": -0.5, "b": 0.1}
    out, leaves = evaluate("sigmoid(w1*u5 + w2*u6 + b)", values)
    table = ag.backprop(out)
    z = 0.8 * 1.5 - 1.2 * -0.5 + 0.1
    ds = math.exp(-z) / (1 + math.exp(-z)) ** 2  # sigma'(z)
    expected = {"u5": ds * 0.8, "u6": ds * -1.2, "w1": ds * 1.5, "w2": ds * -0.5, "b": ds}
    for name, value in expected.items():
        assert float(table[leaves[name]]) == pytest.approx(value, rel=1e-12)


def test_numbers_are_floats_so_huge_powers_cannot_hang():
    out, _ = evaluate("9 ** 9 ** 9 ** 9 * x")
    assert math.isinf(float(out))
    out, _ = evaluate("10 ** 400 + 1e999 - x")
    assert math.isinf(float(out))
    with pytest.raises(ExpressionError, match="too large for a float"):
        parse("9" * 309 + " * x")


def test_leading_zeros_do_not_count_as_digits():
    out, _ = evaluate("0" * 400 + " + x", {"x": 2.0})  # Python reads 000...0 as 0
    assert float(out) == 2.0


@pytest.mark.parametrize("digits", [310, 5000])  # 5,000: beyond Python's own limit for int literals
def test_integer_literals_that_cannot_be_floats_are_refused_naming_their_column(digits):
    with pytest.raises(ExpressionError) as err:
        parse("x + 2_0 * " + "1" * digits)
    assert str(err.value) == (f"the number at column 11 has {digits:,} digits; numbers must fit a float "
                              f"(at most 309 digits, about 1.8e308)")


@pytest.mark.parametrize("make_error", [
    lambda name: parse(name + "(x)"),
    lambda name: parse("_" + name),
    lambda name: evaluate("x", {name: 1.0}),
])
def test_errors_quote_long_names_cut_short(make_error):
    with pytest.raises(ExpressionError) as err:
        make_error("y" * 5000)
    message = str(err.value)
    assert "yyy..." in message and "y" * 41 not in message and len(message) < 600  # (the list of functions is about 300)


def test_intermediates_can_be_named_by_their_source_text():
    out, leaves = evaluate("tanh(w*x + b)", name_intermediates=True)
    assert out.name == "tanh(w*x + b)"
    assert out._parents[0].name == "w*x + b"


def test_long_flat_expressions_are_evaluated_iteratively():
    out, _ = evaluate(" + ".join(["x"] * 2000), {"x": 0.5})
    assert float(out) == 1000.0


def test_an_expression_of_exactly_max_length_is_accepted():
    parse("x" * 10_000)
    with pytest.raises(ExpressionError):
        parse("x" * 10_001)


def test_a_long_decimal_fraction_is_not_a_long_integer():
    # only whole-number literals are limited to 309 digits; the digits after a point are a fraction
    out, _ = evaluate("x * 0." + "1" * 400, {"x": 9.0})
    assert float(out) == pytest.approx(1.0)


def test_a_plus_signed_slope_keeps_its_sign():
    out, _ = evaluate("leaky_relu(x, +0.5)", {"x": -2.0})
    assert float(out) == -1.0


def test_a_call_without_its_argument_is_refused_when_parsed():
    with pytest.raises(ExpressionError, match="takes 1"):
        parse("exp()")


def test_a_constant_expression_evaluates_to_a_tensor():
    from autograd_core import Tensor
    out, leaves = evaluate("3")
    assert isinstance(out, Tensor) and float(out) == 3.0 and leaves == {}


def test_a_syntax_error_names_its_column():
    with pytest.raises(ExpressionError, match=r"\(column \d+\)"):
        parse("x + * y")


def test_clip_refuses_a_variable_as_a_bound():
    with pytest.raises(ExpressionError, match="clip"):
        parse("clip(x, y, 1)")


def test_clip_with_number_bounds_limits_the_value():
    out, leaves = parse("clip(x, -1, 1)").evaluate({"x": 3.0})
    assert float(out) == 1.0


def test_naming_the_intermediates_of_a_long_sum_is_linear_in_its_terms():
    # Each intermediate's name is a slice of the source of at most 24 characters; finding it must not re-read the
    # whole source for each of the n nodes (n * len(source): quadratic). 4 times the terms: about 4 times the calls.
    short, long = parse("+".join(["x"] * 200)), parse("+".join(["x"] * 800))
    ratio = (calls_made(lambda: long.evaluate(name_intermediates=True))
             / calls_made(lambda: short.evaluate(name_intermediates=True)))
    out, _ = long.evaluate(name_intermediates=True)
    assert float(out) == 800.0
    assert ratio < 6, f"name_intermediates: 4 times the terms made {ratio:.1f} times the calls (linear: about 4)"


def _names_and_expected(source):
    """(the names of the Tensors of source's graph, the source segments of its operations and calls)."""
    expression = parse(source)
    out, _ = expression.evaluate(name_intermediates=True)
    segments = [ast.get_source_segment(source, node) for node in ast.walk(expression.tree.body)
                if isinstance(node, (ast.BinOp, ast.Call))]
    names, stack, seen = set(), [out], set()
    while stack:
        node = stack.pop()
        if id(node) not in seen:
            seen.add(id(node))
            names.add(node.name)
            stack.extend(node._parents)
    return names, segments


@pytest.mark.parametrize("source", ["(a\n+b)*c", "(a+\n b) * (c + d)", "(a\r\n+b)*c"])
def test_intermediates_spanning_lines_are_named_by_their_source_segment(source):
    names, segments = _names_and_expected(source)
    assert set(segments) <= names  # (each one here is short enough to be a name)


@pytest.mark.parametrize("source", ["(a\n+\nb)*c", "(a +\n\n b\n) * c", "(a\r\n+\r\nb)*c"])
def test_an_intermediate_spanning_three_lines_is_named_by_its_whole_source_segment(source):
    names, segments = _names_and_expected(source)
    assert {s for s in segments if len(s) <= 24} <= names


def test_an_intermediate_of_exactly_24_characters_is_named_and_one_of_25_is_not():
    at_limit = "aaaaaaaaaa + bbbbbbbbbbb"  # 24 characters
    assert len(at_limit) == 24
    names, _ = _names_and_expected(f"exp({at_limit})")
    assert at_limit in names
    over = at_limit + "b"
    names, _ = _names_and_expected(f"exp({over})")
    assert over not in names


@pytest.mark.parametrize("source", ["a + " * 20 + "exp(b*c) + d*e", "(" + "\n" * 14 + "a*b + c)*d",
                                    "(a\n" + "+ b\n" * 14 + ")*exp(c - d)"], ids=["far right", "low line", "many lines"])
def test_every_short_intermediate_is_named_by_its_source_segment_wherever_it_stands(source):
    names, segments = _names_and_expected(source)
    short = {s for s in segments if len(s) <= 24}
    assert short and short <= names


# Expression.evaluate's values: a list of names or a number failed inside dict() ("dictionary update sequence
# element #0 has length 1; 2 is required", "'int' object is not iterable"), and a falsy one (0, False) was taken
# as no values.

@pytest.mark.parametrize("values", [["x"], 3, 0, False, np.ones(2), ("x", 2.0)], ids=repr)
def test_values_that_are_no_mapping_are_refused_saying_what_is_valid(values):
    with pytest.raises(TypeError, match=r"^evaluate: values must be a mapping name -> number or array \(e\.g\. "
                                        r"\{'x': 2\.0\}\), got "):
        parse("x * y").evaluate(values)
    with pytest.raises(TypeError, match="^evaluate: values must be a mapping"):
        evaluate("x * y", values)


def test_mappings_pairs_and_none_still_give_the_values():
    e = parse("x * y")
    assert float(e.evaluate({"x": 2.0, "y": 3.0})[0]) == 6.0
    assert float(e.evaluate([("x", 2.0)])[0]) == 2.0  # what dict() takes, as before
    assert float(e.evaluate(None, default=4.0)[0]) == 16.0
    assert float(e.evaluate({})[0]) == 1.0
