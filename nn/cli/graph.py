"""Draw the computational graph of a scalar expression, with its values and gradients, to an image.

EXPR may use names, numbers, + - * / **, unary minus, parentheses and the engine's elementwise
functions: exp, log, log1p, sqrt, sin, cos, tanh, sigmoid, relu, softplus, abs, leaky_relu(x, slope),
elu(x, alpha), maximum(a, b), minimum(a, b). It is parsed with Python's ast module and checked
before anything runs (never eval): attribute access, subscripts, lambdas, strings, keyword
arguments and unknown functions are refused.

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

from . import CliError

FORMATS = ("png", "svg", "pdf")
MAX_OPERATIONS = 50


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
    parser.add_argument("--default", type=float, default=1.0, metavar="VALUE",
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
            raise CliError(f"--values: expected NAME=NUMBER pairs separated by commas (e.g. x1=2,w1=-3), got {part!r}")
        if name in values:
            raise CliError(f"--values: {name} is given twice")
        try:
            values[name] = float(number)
        except ValueError:
            raise CliError(f"--values: {name}={number.strip()!r} is not a number") from None
    return values


def expression_not_option(argv):
    """argv of `agrad graph ...` with an expression starting with a minus ("-x**2") kept from being
    read as an option: graph's options are all long (--out, ...), so a short-looking word is the
    expression, and a leading space keeps it one (a number like -1 after --default still parses).

    >>> from nn.cli.graph import expression_not_option
    >>> expression_not_option(["graph", "-x**2", "--default", "-1"])
    ['graph', ' -x**2', '--default', ' -1']
    """
    return [" " + a if a.startswith("-") and not a.startswith("--") and a != "-h" else a for a in argv]


def count_operations(tree):
    """The operations the expression's graph will hold: one per operator, unary minus and function call.

    >>> import ast
    >>> from nn.cli.graph import count_operations
    >>> count_operations(ast.parse("tanh(w*x + b) - -y", mode="eval"))
    5
    """
    return sum(isinstance(node, (ast.BinOp, ast.Call)) or isinstance(getattr(node, "op", None), ast.USub)
               for node in ast.walk(tree))


def _target(args):
    """(path, format): --out's extension gives the format; without one, --format (default png) is added."""
    out, fmt = args.out, args.format
    if out is None:
        fmt = fmt or "png"
        return f"graph.{fmt}", fmt
    if os.path.isdir(out):
        raise CliError(f"--out {out} is a directory; give an image file, e.g. {os.path.join(out, 'graph.png')}")
    suffix = os.path.splitext(out)[1].lower().lstrip(".")
    if not suffix:
        return out, fmt or "png"  # render_graph adds the extension
    if suffix not in FORMATS:
        raise CliError(f"--out {out}: .{suffix} is not a format agrad graph writes; "
                       f"use {', '.join('.' + f for f in FORMATS)}")
    if fmt is not None and suffix != fmt:
        raise CliError(f"--out {out} ends in .{suffix} but --format is {fmt}; make them agree")
    return out, suffix


def run(args):
    import autograd_core as ag
    from autograd_core.expression import ExpressionError, parse
    from autograd_core.viz import render_graph

    try:
        expression = parse(args.expr)
    except ExpressionError as err:
        raise CliError(f"cannot use {args.expr!r}: {err}") from None
    if not expression.names:
        raise CliError(f"{args.expr!r} has no variables, so there is nothing to differentiate; use names "
                       f"such as x or w1")
    operations = count_operations(expression.tree)
    if operations > MAX_OPERATIONS:
        raise CliError(f"the expression has {operations} operations; agrad graph draws at most {MAX_OPERATIONS} "
                       f"(a larger picture is unreadable and slow to lay out)")
    path, fmt = _target(args)  # before any work: a bad --out fails fast
    values = parse_values(args.values)
    try:
        output, leaves = expression.evaluate(values, default=args.default, name_intermediates=True)
    except ExpressionError as err:
        raise CliError(str(err)) from None
    if not output.is_leaf:  # "agrad graph x" draws the leaf x itself
        output.name = "f"
    grads = ag.backprop(output, retain_graph=True)
    try:
        written = render_graph(output, path, format=fmt, show_data=True, show_grad=True, grads=grads,
                               rankdir=args.rankdir, title=f"f = {expression.source}")
    except RuntimeError as err:  # Graphviz missing: the message says how to install it
        raise CliError(str(err)) from None
    except OSError as err:  # e.g. a parent of --out is a file, or not writable
        raise CliError(f"--out {path}: cannot write there ({err.strerror or err})") from None
    print(f"f = {expression.source} = {float(output):.6g}")
    for name, leaf in leaves.items():
        print(f"  df/d{name} = {float(grads[leaf]):.6g}   ({name} = {float(leaf):.6g})")
    print(f"wrote {written}")
    return 0
