"""Scalar expressions such as "tanh(w1*x1 + w2*x2 + b)", parsed safely and evaluated with the engine.

`parse(text)` reads the text with Python's `ast` module and accepts only

  * names (variables; not starting with "_"), and int or float numbers;
  * the operators + - * / ** % and unary - and +; parentheses;
  * calls, with positional arguments, of the engine's elementwise functions: FUNCTIONS below
    (exp, log, log1p, sqrt, sin, cos, tanh, sigmoid, relu, softplus, abs, leaky_relu, elu,
    maximum, minimum, clip, the trigonometric and hyperbolic functions and their inverses, arctan2,
    hypot, log2, log10, exp2, square, reciprocal, sign, erf, erfc). leaky_relu's negative_slope, elu's
    alpha and clip's bounds, when given, are numbers.

Anything else (attribute access, subscripts, lambdas, comprehensions, comparisons, strings,
keyword arguments, unknown functions such as `__import__`) raises ExpressionError before
anything runs. Nothing is ever passed to `eval`: `Expression.evaluate` walks the checked tree
with an explicit stack and calls engine operations only. Numbers are float64, so `9**9**9`
overflows to inf instead of computing a huge integer.
"""
import ast
import re

import numpy as np

from . import ops
from .tensor import Tensor

MAX_LENGTH = 10_000
# An integer literal longer than this cannot be a float (1.8e308 has 309 digits). Checked before
# Python's parser, which refuses literals over 4,300 digits itself with advice that does not apply here.
MAX_DIGITS = 309
# A whole number token: digits (and _ separators) not part of a name, a decimal fraction or an exponent.
_INTEGER_LITERAL = re.compile(r"(?<![\w.])[0-9][0-9_]*(?![\w.])")

# name -> (engine function, number of Tensor arguments, names of optional number arguments)
FUNCTIONS = {
    "exp": (ops.exp, 1, ()), "log": (ops.log, 1, ()), "log1p": (ops.log1p, 1, ()), "sqrt": (ops.sqrt, 1, ()),
    "sin": (ops.sin, 1, ()), "cos": (ops.cos, 1, ()), "tanh": (ops.tanh, 1, ()),
    "sigmoid": (ops.sigmoid, 1, ()), "relu": (ops.relu, 1, ()), "softplus": (ops.softplus, 1, ()),
    "abs": (ops.abs, 1, ()), "leaky_relu": (ops.leaky_relu, 1, ("negative_slope",)),
    "elu": (ops.elu, 1, ("alpha",)), "maximum": (ops.maximum, 2, ()), "minimum": (ops.minimum, 2, ()),
    "clip": (ops.clip, 1, ("a_min", "a_max")),
    **{name: (getattr(ops, name), 1, ()) for name in (
        "tan", "arcsin", "arccos", "arctan", "sinh", "cosh", "arcsinh", "arccosh", "arctanh", "log2", "log10",
        "exp2", "square", "reciprocal", "sign", "erf", "erfc")},
    "arctan2": (ops.arctan2, 2, ()), "hypot": (ops.hypot, 2, ()),
}
_BINARY = {ast.Add: ops.add, ast.Sub: ops.subtract, ast.Mult: ops.multiply, ast.Div: ops.divide,
           ast.Pow: ops.power, ast.Mod: ops.remainder}
_ALLOWED = (ast.Expression, ast.BinOp, ast.UnaryOp, ast.Name, ast.Constant, ast.Call, ast.Load,
            ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow, ast.Mod, ast.USub, ast.UAdd)
# What the refused constructs are called in error messages.
_REFUSED = {
    ast.Attribute: "attribute access (a.b)", ast.Subscript: "subscripts (a[i])", ast.Lambda: "lambdas",
    ast.ListComp: "comprehensions", ast.SetComp: "comprehensions", ast.DictComp: "comprehensions",
    ast.GeneratorExp: "comprehensions", ast.Compare: "comparisons", ast.BoolOp: "and/or",
    ast.IfExp: "conditional expressions", ast.JoinedStr: "f-strings", ast.List: "lists", ast.Tuple: "tuples",
    ast.Dict: "dicts", ast.Set: "sets", ast.Starred: "*arguments", ast.keyword: "keyword arguments",
    ast.NamedExpr: "assignments (:=)", ast.Await: "await", ast.Yield: "yield", ast.Slice: "slices",
    ast.MatMult: "the @ operator", ast.FloorDiv: "the // operator (a step function: no gradient to draw)",
    ast.BitAnd: "bitwise operators", ast.BitOr: "bitwise operators", ast.BitXor: "bitwise operators",
    ast.LShift: "bitwise operators", ast.RShift: "bitwise operators", ast.Invert: "the ~ operator",
    ast.Not: "not",
}
VALID = ("names, numbers, + - * / ** %, unary minus, parentheses and calls of "
         + ", ".join(FUNCTIONS))


class ExpressionError(ValueError):
    """The text is not an expression this module accepts; the message says what is allowed."""


def _quoted(name, limit=40):
    """A name for an error message: its repr, cut short when long (a name may be thousands of characters)."""
    shown = repr(name)
    return shown if len(shown) <= limit else shown[:limit] + "..."


def _where(node):
    col = getattr(node, "col_offset", None)
    return f" at column {col + 1}" if col is not None else ""


def _refuse(node, what):
    return ExpressionError(f"{what}{_where(node)} not allowed: expressions may use {VALID}")


def _number(node):
    """A numeric literal, or a signed one (-0.2): its float value, else None."""
    sign = 1.0
    while isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        sign = -sign if isinstance(node.op, ast.USub) else sign
        node = node.operand
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return sign * _as_float(node)
    return None


def _as_float(node):
    try:
        return float(node.value)
    except OverflowError:
        raise ExpressionError(f"the number{_where(node)} is too large for a float (at most about 1.8e308)") from None


def _check_integer_literals(source):
    for match in _INTEGER_LITERAL.finditer(source):
        digits = len(match.group().replace("_", "").lstrip("0"))  # 000 is 0: leading zeros do not count
        if digits > MAX_DIGITS:
            raise ExpressionError(f"the number at column {match.start() + 1} has {digits:,} digits; numbers must "
                                  f"fit a float (at most {MAX_DIGITS} digits, about 1.8e308)")


def _check(tree):
    """Refuse every construct but the allowed ones. Iterative: ast.walk visits nodes breadth first,
    so a call is seen before its function's name. A function named but not called is reported only
    when nothing else is wrong."""
    called, uncalled = set(), None
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED):
            raise _refuse(node, _REFUSED.get(type(node), type(node).__name__))
        if isinstance(node, ast.Constant):
            if type(node.value) not in (int, float):
                kind = {str: "strings", bytes: "bytes", bool: "True/False", complex: "complex numbers",
                        type(None): "None"}.get(type(node.value), type(node.value).__name__)
                raise _refuse(node, kind)
            _as_float(node)
        elif isinstance(node, ast.Name):
            if node.id.startswith("_"):
                raise _refuse(node, f"the name {_quoted(node.id)} (names starting with '_')")
            if uncalled is None and node.id in FUNCTIONS and node not in called:
                uncalled = node
        elif isinstance(node, ast.Call):
            if node.keywords:
                raise _refuse(node.keywords[0], "keyword arguments")
            if not isinstance(node.func, ast.Name):
                func = node.func
                raise _refuse(func, _REFUSED.get(type(func), f"calling a {type(func).__name__}"))
            name = node.func.id
            if name not in FUNCTIONS:
                raise ExpressionError(f"unknown function {_quoted(name)}{_where(node)}: the functions are "
                                      f"{', '.join(FUNCTIONS)}")
            _, n_tensors, optional = FUNCTIONS[name]
            if not n_tensors <= len(node.args) <= n_tensors + len(optional):
                wanted = f"{n_tensors}" if not optional else f"{n_tensors} to {n_tensors + len(optional)}"
                raise ExpressionError(f"{name}() takes {wanted} argument(s), got {len(node.args)}{_where(node)}")
            for arg in node.args[n_tensors:]:
                if _number(arg) is None:
                    raise ExpressionError(f"{name}(): its {', '.join(optional)} must be a number{_where(arg)}")
            called.add(node.func)
    if uncalled is not None:
        name = uncalled.id
        raise ExpressionError(f"{name!r}{_where(uncalled)} is a function: call it, e.g. {name}(x)")


class Expression:
    """A checked expression: `.names` are its variables in order of appearance.

    >>> from autograd_core.expression import parse
    >>> e = parse("sigmoid(w1*u5 + w2*u6 + b)")
    >>> e.names
    ('w1', 'u5', 'w2', 'u6', 'b')
    >>> out, leaves = e.evaluate({"w1": 0.5})
    >>> round(float(out), 4), float(leaves["u5"])
    (0.9241, 1.0)
    """

    def __init__(self, source, tree):
        self.source = source
        self.tree = tree
        # ast's lines, each with its line ending (str.splitlines also splits at a form feed), in UTF-8 bytes as
        # ast counts columns
        self._lines = [line.encode() for line in re.split(r"(?<=\r\n)|(?<=\r)(?!\n)|(?<=\n)", source)]
        names = []
        stack = [tree.body]
        while stack:  # pre-order, left to right: names in order of appearance
            node = stack.pop()
            if isinstance(node, ast.Name):
                if node.id not in names and node.id not in FUNCTIONS:
                    names.append(node.id)
            else:
                stack.extend(reversed(list(ast.iter_child_nodes(node))))
        self.names = tuple(names)

    def __repr__(self):
        return f"Expression({self.source!r})"

    def _short_segment(self, node, limit):
        """node's source text when it is at most limit characters, else None: what
        ast.get_source_segment gives, without re-reading the whole source for every node."""
        first, last = node.lineno - 1, node.end_lineno - 1
        if last - first > limit:
            return None
        lines = self._lines[first:last + 1]
        size = sum(len(line) for line in lines[:-1]) - node.col_offset + node.end_col_offset
        if size > 4 * limit:  # (checked before slicing: 4, the most bytes a character takes)
            return None
        if first == last:
            piece = lines[0][node.col_offset:node.end_col_offset]
        else:
            piece = b"".join([lines[0][node.col_offset:], *lines[1:-1], lines[-1][:node.end_col_offset]])
        text = piece.decode()
        return text if len(text) <= limit else None

    def evaluate(self, values=None, *, default=1.0, dtype=np.float64, name_intermediates=False):
        """(output, leaves): the expression computed with the engine, and {name: leaf Tensor}.

        Each variable becomes a leaf Tensor that requires grad, named after it, with the value
        from `values` (a number or array) or `default`. With `name_intermediates`, each
        intermediate result is named by its source text when that is short (for drawings).
        """
        try:
            values = dict(values if values is not None else {})
        except (TypeError, ValueError):  # dict()'s own message ("dictionary update sequence element ...") says less
            raise TypeError(f"evaluate: values must be a mapping name -> number or array (e.g. {{'x': 2.0}}), got "
                            f"{type(values).__name__}") from None
        unknown = [n for n in values if n not in self.names]
        if unknown:
            raise ExpressionError(f"{', '.join(map(_quoted, unknown))} not in the expression; its variables are "
                                  f"{', '.join(self.names) or '(none)'}")
        leaves = {n: Tensor(values.get(n, default), requires_grad=True, dtype=dtype, name=n) for n in self.names}
        results = {}
        stack = [(self.tree.body, False)]
        with np.errstate(all="ignore"):
            while stack:
                node, ready = stack.pop()
                if not ready:
                    stack.append((node, True))
                    if isinstance(node, ast.BinOp):
                        stack += [(node.right, False), (node.left, False)]
                    elif isinstance(node, ast.UnaryOp):
                        stack.append((node.operand, False))
                    elif isinstance(node, ast.Call):
                        n_tensors = FUNCTIONS[node.func.id][1]
                        stack += [(a, False) for a in reversed(node.args[:n_tensors])]
                    continue
                results[id(node)] = value = self._compute(node, results, leaves, dtype)
                if name_intermediates and isinstance(value, Tensor) and value.name is None \
                        and not isinstance(node, ast.Name):
                    text = self._short_segment(node, 24)
                    if text:
                        value.name = text
        out = results[id(self.tree.body)]
        if not isinstance(out, Tensor):
            out = Tensor(out, dtype=dtype)
        return out, leaves

    @staticmethod
    def _compute(node, results, leaves, dtype):
        if isinstance(node, ast.Constant):
            return np.asarray(node.value, dtype=dtype)[()]
        if isinstance(node, ast.Name):
            return leaves[node.id]
        if isinstance(node, ast.BinOp):
            return _BINARY[type(node.op)](results[id(node.left)], results[id(node.right)])
        if isinstance(node, ast.UnaryOp):
            operand = results[id(node.operand)]
            return ops.negative(operand) if isinstance(node.op, ast.USub) else operand
        func, n_tensors, _ = FUNCTIONS[node.func.id]
        args = [results[id(a)] for a in node.args[:n_tensors]] + [_number(a) for a in node.args[n_tensors:]]
        return func(*args)


def parse(source):
    """Check `source` and return an Expression; raise ExpressionError (saying what is allowed) otherwise.

    >>> from autograd_core.expression import parse
    >>> parse("tanh(w*x + b)").names
    ('w', 'x', 'b')
    >>> parse("__import__('os').system('x')")
    Traceback (most recent call last):
    ...
    autograd_core.expression.ExpressionError: attribute access (a.b) at column 1 not allowed: ...
    """
    if not isinstance(source, str):
        raise ExpressionError(f"an expression must be a string, got {type(source).__name__}")
    if len(source) > MAX_LENGTH:
        raise ExpressionError(f"the expression is {len(source)} characters long; at most {MAX_LENGTH} are accepted")
    source = source.strip()
    if not source:
        raise ExpressionError("the expression is empty")
    try:
        source.encode("utf-8")  # as ast.parse does, which would raise UnicodeEncodeError itself
    except UnicodeEncodeError as err:  # a lone surrogate: Python's stand-in for a command line byte that is not UTF-8
        raise ExpressionError(f"not a valid expression: invalid character {source[err.start]!r} (column "
                              f"{err.start + 1}), a lone surrogate (a byte that is not UTF-8?); use {VALID}") from None
    _check_integer_literals(source)
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as err:
        where = f" (column {err.offset})" if err.offset else ""
        raise ExpressionError(f"not a valid expression: {err.msg}{where}; use {VALID}") from None
    except (RecursionError, MemoryError):
        raise ExpressionError("the expression is nested too deeply (or is too long a chain) "
                              "for Python's parser") from None
    _check(tree)
    return Expression(source, tree)


def evaluate(source, values=None, **kwargs):
    """parse(source).evaluate(values, ...): (output Tensor, {name: leaf Tensor}).

    >>> from autograd_core.expression import evaluate
    >>> out, leaves = evaluate("x**2 + 1", {"x": 3.0})
    >>> float(out)
    10.0
    """
    return parse(source).evaluate(values, **kwargs)
