"""Text of the drawings: numbers, array summaries and the HTML-like labels of each kind of node."""
import html

import numpy as np

from ..primitive import given_params
from ..tensor import as_value
from .style import COMMUTATIVE, GRAD_COLOR, MUTED, SYMBOLS


# ---- labels ------------------------------------------------------------------------------
def _fmt(x, precision):
    """One number, short: 4 significant digits by default."""
    if isinstance(x, (bool, np.bool_)):
        return str(bool(x))
    if isinstance(x, (int, np.integer)):
        return str(int(x))
    x = float(x)
    return "0" if x == 0 else f"{x:.{precision}g}"  # never "-0"


def _check_precision(precision, owner):
    """precision, the significant digits of the numbers shown: an integer from 1 to 1,000 (format's own errors,
    'Format specifier missing precision' for True or -1, would name neither the caller nor the setting)."""
    valid = isinstance(precision, (int, np.integer)) and not isinstance(precision, (bool, np.bool_))
    if not valid or not 1 <= precision <= 1000:
        raise (ValueError if valid else TypeError)(
            f"{owner}: precision (significant digits) must be an integer from 1 to 1000, got {precision!r}")
    return int(precision)


def summarize(value, precision=4, max_items=6):
    """The lines that describe an array's values: all of them when there are few, else a sample.

    precision: significant digits (an integer from 1 to 1000); max_items: the most values shown whole.

    >>> import numpy as np
    >>> from autograd_core.viz import summarize
    >>> summarize(2.5)
    ['2.5']
    >>> summarize(np.arange(100.0))
    ['[0, 1, 2, \u2026]', 'range [0, 99]']
    """
    precision = _check_precision(precision, "summarize")
    valid = isinstance(max_items, (int, np.integer)) and not isinstance(max_items, (bool, np.bool_))
    if not valid or max_items < 0:
        raise (ValueError if valid else TypeError)(f"summarize: max_items must be an integer >= 0, got {max_items!r}")
    a = np.asarray(as_value(value))
    if a.size == 0:
        return ["(empty)"]
    if a.ndim == 0:
        return [_fmt(a.item(), precision)]
    if a.size <= max_items:
        text = np.array2string(a, separator=", ", max_line_width=10**6,
                               formatter={"all": lambda v: _fmt(v, precision)})
        return [" ".join(text.split())]
    flat = a.ravel()
    head = ", ".join(_fmt(v, precision) for v in flat[:3])
    if a.dtype.kind == "b":
        return [f"[{head}, \u2026]", f"{int(flat.sum())} of {a.size} True"]
    nan = np.isnan(flat) if a.dtype.kind == "f" else None
    n_nan = int(np.count_nonzero(nan)) if nan is not None else 0
    if n_nan == a.size:
        return [f"[{head}, \u2026]", f"all {a.size} NaN"]
    if n_nan:  # the range of the numbers, and how many NaN: one NaN would make min and max NaN, hiding the range
        numbers = flat[~nan]
        return [f"[{head}, \u2026]", f"range [{_fmt(numbers.min(), precision)}, {_fmt(numbers.max(), precision)}], "
                                     f"{n_nan} of {a.size} NaN"]
    return [f"[{head}, \u2026]", f"range [{_fmt(flat.min(), precision)}, {_fmt(flat.max(), precision)}]"]


def _describe_type(value):
    a = np.asarray(as_value(value))
    shape = "scalar" if a.ndim == 0 else str(a.shape)
    return f"{shape} {a.dtype}"


# Control characters (a name or an expression may hold a form feed or a NUL) are invalid in Graphviz's labels, and
# dot would fail on them, as on the characters XML refuses (U+FFFE, U+FFFF, a lone surrogate from a file name's
# undecodable byte): they are shown escaped, as repr shows them.
_CONTROL = {c: repr(chr(c))[1:-1] for c in (*range(32), *range(127, 160), 0xFFFE, 0xFFFF, *range(0xD800, 0xE000))}
_LONGEST = 300  # characters of one text: dot refuses a label over 16 KiB
# In an HTML-like label dot still reads a backslash as its escape (\N: the node's name; a reference &#92; too), so
# one is written as two.
_BACKSLASH = str.maketrans({"\\": "\\\\"})


def visible(text):
    r"""text with its control characters escaped (repr's way), and shortened past 300 characters, for a label.

    >>> from autograd_core.viz.labels import visible
    >>> visible("a\x0cb"), visible("x" * 400)[-19:]
    ('a\\x0cb', 'x… (400 characters)')
    """
    text = str(text)
    if len(text) > _LONGEST:
        text = f"{text[:_LONGEST]}\u2026 ({len(text):,} characters)"
    return text.translate(_CONTROL)


def _esc(text):
    """text for an HTML-like Graphviz label: visible, with HTML's and dot's special characters as references."""
    text = html.escape(visible(text), quote=True).translate(_BACKSLASH)
    return "&#93;" * len(text) if text in ("]", "]]") else text  # dot's parser fails on a text of just "]" or "]]"


def _html_rows(rows):
    """An HTML-like Graphviz label: a borderless table, one row per (text, attributes) pair."""
    cells = []
    for text, kind in rows:
        text = _esc(text)
        if not text:  # (an input or module named ""): dot's parser fails on an empty <b></b> or <font></font>
            kind = None
        if kind == "title":
            text = f"<b>{text}</b>"
        elif kind == "small":
            text = f'<font point-size="10" color="{MUTED}">{text}</font>'
        elif kind == "grad":
            text = f'<font color="{GRAD_COLOR}">{text}</font>'
        elif kind == "big":
            text = f'<font point-size="18"><b>{text}</b></font>'
        cells.append(f"<tr><td>{text}</td></tr>")
    return '<<table border="0" cellborder="0" cellspacing="0" cellpadding="1">' + "".join(cells) + "</table>>"


_SIMPLE = (bool, int, float, str, tuple, list, slice, np.generic, np.ndarray, np.dtype, type)


def _param_text(params):
    """An operation's parameters (axis=1, negative_slope=0.1), short; internal objects are left out."""
    shown = []
    for key, value in given_params(params).items():
        if value is None or value is False or not isinstance(value, _SIMPLE):
            continue  # e.g. an ag.Function's ctx
        if isinstance(value, np.ndarray):  # its values when few (target=[2]), else its shape and dtype
            text = summarize(value)[0] if value.size <= 6 else _describe_type(value)
        elif isinstance(value, (np.dtype, type)):
            text = np.dtype(value).name
        else:
            text = repr(value)
        shown.append(f"{key}={text if len(text) <= 28 else text[:27] + chr(0x2026)}")
    return ", ".join(shown)


# ---- emitting DOT -------------------------------------------------------------------------
def _value_rows(value, precision, caption="value", kind=None):
    """A value summarised as label rows: the caption with the first line, then the other lines
    (small, or in the first row's kind when it has one)."""
    first, *more = summarize(value, precision)
    return [(f"{caption} {first}", kind)] + [(line, kind or "small") for line in more]


def _tensor_label(item, show_data, precision):
    node, extra = item.ref, item.extra
    rows = []
    if extra["title"]:
        rows.append((extra["title"], "title"))
    rows.append((_describe_type(node._data), "small"))
    if show_data:
        rows += _value_rows(node._data, precision)
    if extra["grad"] is not None:
        value, source = extra["grad"]
        rows += _value_rows(value, precision, source, "grad")
    return _html_rows(rows)


def _op_label(item):
    node = item.ref
    name = node._op.name
    rows = []
    if name in SYMBOLS:
        symbol, pattern = SYMBOLS[name]
        rows.append((symbol, "big"))
        rows.append((f"{name}  {pattern}" if name not in COMMUTATIVE else name, "small"))
    else:
        rows.append((name, "title"))
    shown = _param_text(node._params or {})
    if shown:
        rows.append((shown, "small"))
    if item.extra["freed"]:
        rows.append(("freed (inputs released by backward)", "grad"))
    return _html_rows(rows)


def _inline(item):
    """An unnamed one-element constant (the 2.0 of x * 2.0) is drawn as its value alone."""
    return np.size(item.ref) == 1 and item.extra["title"] == "constant"


def _const_label(item, show_data, precision):
    value = item.ref
    if _inline(item):
        return _html_rows([(summarize(value, precision)[0], None)])
    rows = [(item.extra["title"], "title"), (_describe_type(value), "small")]
    if show_data:
        rows += _value_rows(value, precision)
    return _html_rows(rows)


def _module_label(item):
    extra = item.extra
    rows = [(extra["label"], "title")]
    ops = extra["ops"]
    if ops:
        kinds = list(dict.fromkeys(ops))
        more = ", \u2026" if len(kinds) > 5 else ""
        rows.append((f"{len(ops)} operations: {', '.join(kinds[:5])}{more}", "small"))
    for name, shape in extra["params"][:4]:
        rows.append((f"{name} {shape if shape else 'scalar'}", "small"))
    return _html_rows(rows)
