"""Draw the computational graph of a scalar expression, with its values and gradients, to an image.

EXPR may use names, numbers, + - * / ** %, unary minus, parentheses and the engine's elementwise
functions: exp, log, log1p, sqrt, sin, cos, tanh, sigmoid, relu, softplus, abs, leaky_relu(x, slope),
elu(x, alpha), maximum(a, b), minimum(a, b), clip(x, a_min, a_max), tan, arcsin, arccos, arctan, sinh, cosh,
arcsinh, arccosh, arctanh, arctan2(y, x), hypot(a, b), log2, log10, exp2, square, reciprocal, sign, erf, erfc.
It is parsed with Python's ast module and checked before anything runs (never eval): attribute access,
subscripts, lambdas, strings, keyword arguments and unknown functions are refused.

Each name becomes a leaf Tensor that requires grad; --values sets them (x1=2,w1=-3), and names
not given take --default (1.0). The expression is evaluated and back-propagated with the engine,
and every node is drawn with its value and its gradient d(EXPR)/d(node). At most 50 operations
(operators and function calls) are drawn: a larger picture is unreadable, and Graphviz's layout
time grows steeply with it (x+x+...+x with 100 terms took over five minutes).

The image format is --out's extension (.png, .svg or .pdf), or --format when --out has none;
missing directories in --out are created, as agrad train --out does.

Example: agrad graph "sigmoid(w1*u5 + w2*u6 + b)" --values w1=0.8,u5=1.5,w2=-1.2,u6=-0.5,b=0.1
"""
import argparse
import ast
import os
import sys
import unicodedata

from autograd_core.atomic_file import GRAPH_FORMATS as FORMATS, image_target

from . import CliError, number_option, printable, require, shorten

MAX_OPERATIONS = 50
LONG_OPTIONS = ("--out", "--format", "--values", "--default", "--rankdir", "--help")  # as add_arguments defines


def add_arguments(parser):
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument("expr", metavar="EXPR", help='the expression, e.g. "tanh(w1*x1 + w2*x2 + b)" (quote it)')
    parser.add_argument("--out", default=None, metavar="FILE",
                        help="image to write, ending in .png, .svg or .pdf (or no extension: .<format> is added); "
                             "missing directories are created (default: graph.<format> in the current directory)")
    parser.add_argument("--format", default=None, choices=FORMATS,
                        help="image format (default: from --out's extension, else png)")
    parser.add_argument("--values", default="", metavar="NAME=VALUE,...",
                        help="values of the variables, e.g. x1=2,w1=-3 (others take --default)")
    parser.add_argument("--default", type=number_option, default=1.0, metavar="VALUE",
                        help="value of the variables --values does not set (default: 1.0)")
    parser.add_argument("--rankdir", default="LR", choices=("LR", "TB"),
                        help="layout direction: LR left to right (default), TB top to bottom")


def parse_values(text):
    """'x1=2,w1=-3' -> {'x1': 2.0, 'w1': -3.0}; CliError on anything else."""
    values = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, sep, number = part.partition("=")
        name = name.strip()
        if not sep or not name.isidentifier():
            raise CliError(f"--values: expected NAME=NUMBER pairs separated by commas (e.g. x1=2,w1=-3), "
                           f"got {shorten(part)}")
        name = unicodedata.normalize("NFKC", name)  # as Python reads the expression's names: ℌ is H
        if name in values:
            raise CliError(f"--values: {name} is given twice")
        try:
            values[name] = float(number)
        except ValueError:
            raise CliError(f"--values: {name}={shorten(number.strip())} is not a number") from None
    return values


def expression_not_option(argv):
    """argv of `agrad graph ...` with an EXPR starting with a minus ("-x**2") kept from being read as
    an option: a leading space makes it a plain word (parse strips it). Only EXPR, the first
    positional, changes. Every long option of graph takes one value (but --help); a value starting
    with a minus is joined to its option as --out=-a.png, the spelling argparse takes as a value,
    so it arrives unchanged. After "--" nothing changes.

    >>> from nn.cli.graph import expression_not_option
    >>> expression_not_option(["graph", "-x**2", "--default", "-1", "--out", "-a.png"])
    ['graph', ' -x**2', '--default=-1', '--out=-a.png']
    >>> expression_not_option(["graph", "--out", "-a.png", "-x", "--", "-y"])
    ['graph', '--out=-a.png', ' -x', '--', '-y']
    >>> expression_not_option(["graph", "--x", "--val", "x=1"])  # --x is no option of graph: -(-x)
    ['graph', ' --x', '--val', 'x=1']
    """
    result, expression_seen, i = list(argv[:1]), False, 1
    while i < len(argv):
        arg = argv[i]
        if arg == "--":
            result += argv[i:]
            break
        is_option = arg.startswith("--") and any(o.startswith(arg.partition("=")[0]) for o in LONG_OPTIONS)
        if is_option:  # (argparse takes any unambiguous prefix of a long option)
            if "=" not in arg and not "--help".startswith(arg) and i + 1 < len(argv):  # its value follows
                value = argv[i + 1]
                looks_like_option = value.startswith("-") and not value.startswith("--") and value != "-h"
                result += [f"{arg}={value}"] if looks_like_option else [arg, value]
                i += 2
                continue
        elif not expression_seen and arg != "-h":
            expression_seen = True
            arg = " " + arg if arg.startswith("-") else arg
        result.append(arg)
        i += 1
    return result


def count_operations(tree):
    """The operations the expression's graph will hold: one per operator, unary minus and function call that reads
    a variable. One of numbers alone (the 2*3 of x*(2*3), the -1 of clip(x, -1, 1)) computes a constant, no node.

    >>> import ast
    >>> from nn.cli.graph import count_operations
    >>> count_operations(ast.parse("tanh(w*x + b) - -y", mode="eval"))
    5
    >>> count_operations(ast.parse("x*(2*3) - clip(x, -1, 1)", mode="eval"))
    3
    """
    reads = {}  # id(node) -> whether its value depends on a variable
    count = 0
    stack = [(getattr(tree, "body", tree), False)]
    while stack:  # post-order, iterative (an expression may nest thousands deep)
        node, ready = stack.pop()
        if isinstance(node, ast.BinOp):
            operands = (node.left, node.right)
        elif isinstance(node, ast.UnaryOp):
            operands = (node.operand,)
        elif isinstance(node, ast.Call):
            operands = tuple(node.args)  # (not node.func: a function's name is no variable)
        else:
            operands = ()
        if not ready:
            stack.append((node, True))
            stack.extend((operand, False) for operand in operands)
            continue
        reads[id(node)] = variable = isinstance(node, ast.Name) or any(reads[id(o)] for o in operands)
        if variable and (isinstance(node, (ast.BinOp, ast.Call)) or isinstance(getattr(node, "op", None), ast.USub)):
            count += 1
    return count


def _target(args):
    """(path, format): --out's extension gives the format; without one, --format (default png) is added."""
    out, fmt = args.out, args.format
    out = out if out is None else os.path.expanduser(out)  # (a shell leaves ~ alone in --out=~/g.png)
    if out is None:
        fmt = fmt or "png"
        return f"graph.{fmt}", fmt
    if os.path.isdir(out):
        raise CliError(f"--out {out} is a directory; give an image file, e.g. {os.path.join(out, 'graph.png')}")
    name = os.path.basename(out)
    if not name or (name.startswith(".") and name[1:].lower() in FORMATS):  # "", "dir/", ".png"
        example = os.path.join(os.path.dirname(out), "graph." + (name[1:].lower() or fmt or "png"))
        raise CliError(f"--out {out!r} names no file; give an image file name, e.g. {example}")
    if out.endswith("."):  # "g." would become g..png
        stem = out.rstrip(".")
        if not os.path.basename(stem):  # "dir/." or "..": no file name at all
            example = os.path.join(stem, "graph.png")
            raise CliError(f"--out {out} names no file; give an image file name, e.g. {example}")
        raise CliError(f"--out {out} ends with a dot; give an extension ({stem}.png) or none ({stem})")
    try:
        return image_target(out, fmt, FORMATS, "--out", default="png", format_setting="--format")
    except ValueError as err:  # an extension that is no format, or one --format contradicts
        raise CliError(str(err)) from None


def run(args):
    """Parse, check, evaluate and differentiate EXPR, draw it to --out and print f and its gradients."""
    import numpy as np

    import autograd_core as ag
    from autograd_core.expression import ExpressionError, parse

    source = shorten(args.expr.strip())
    try:
        expression = parse(args.expr)
    except ExpressionError as err:
        raise CliError(f"cannot use {source}: {err}") from None
    if not expression.names:
        raise CliError(f"{source} has no variables, so there is nothing to differentiate; use names "
                       f"such as x or w1")
    operations = count_operations(expression.tree)
    if operations > MAX_OPERATIONS:
        raise CliError(f"the expression has {operations} operations; agrad graph draws at most {MAX_OPERATIONS} "
                       f"(a larger picture is unreadable and slow to lay out)")
    path, fmt = _target(args)  # before any work: a bad --out fails fast
    values = parse_values(args.values)
    require(["graphviz"], "viz")
    from autograd_core.viz import render_graph

    # log(0), 1/0, ...: the printed and drawn values show inf or nan; NumPy's warnings would only add
    # noise (a long source line on stderr), so one note below says it instead.
    with np.errstate(all="ignore"):
        try:
            output, leaves = expression.evaluate(values, default=args.default, name_intermediates=True)
        except ExpressionError as err:
            raise CliError(str(err)) from None
        label = "f"
        while label in leaves:  # "agrad graph f*x": the output is f_, not a second f
            label += "_"
        if not output.is_leaf:  # "agrad graph x" draws the leaf x itself
            output.name = label
        grads = ag.backprop(output, retain_graph=True)
    try:
        written = render_graph(output, path, format=fmt, show_data=True, show_grad=True, grads=grads,
                               rankdir=args.rankdir, title=f"{label} = {expression.source}")
    except RuntimeError as err:  # Graphviz missing: the message says how to install it
        raise CliError(str(err)) from None
    except OSError as err:  # e.g. a parent of --out is a file, or not writable
        raise CliError(f"--out {path}: cannot write there ({err.strerror or err})") from None
    print(f"{label} = {expression.source} = {float(output):.6g}")
    for name, leaf in leaves.items():
        print(f"  d{label}/d{name} = {float(grads[leaf]):.6g}   ({name} = {float(leaf):.6g})")
    print(printable(f"wrote {written}"))
    results = [(label, output), *((f"d{label}/d{name}", grads[leaf]) for name, leaf in leaves.items())]
    not_finite = [label for label, value in results if not np.isfinite(float(value))]
    if not_finite:
        print(f"agrad graph: note: {', '.join(not_finite)} {'is' if len(not_finite) == 1 else 'are'} not finite "
              f"at these values (outside a function's domain, or an overflow)", file=sys.stderr)
    return 0
