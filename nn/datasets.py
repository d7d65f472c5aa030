"""Small datasets that need no download: the 8x8 digits, XOR, two moons, and CSV files.

The digits are the UCI "Optical Recognition of Handwritten Digits" test set (E. Alpaydin,
C. Kaynak, 1998): 1,797 images of 8x8 pixels, each pixel an integer 0..16, labels 0..9.
The file `nn/data_files/digits.csv.gz` is the copy bundled with scikit-learn 1.9.1
(`sklearn/datasets/data/digits.csv.gz`, BSD-3-Clause licence), taken unchanged: one image
per line, 64 pixel values then the label.

Features come back as float32 (the dtype of `nn.Linear`'s default weights), class labels as int64
(a CSV's regression targets as float32).
"""
import csv
import gzip
import io
import math
import os
import stat

import numpy as np

from ._arguments import checked_number, generator, shorten

_DIGITS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data_files", "digits.csv.gz")


def load_digits():
    """The 1,797 handwritten digits: X of shape (1797, 64), float32 pixels in 0..16, y int64 labels 0..9.

    Scale the pixels yourself (X / 16 maps them to [0, 1]).

    >>> from nn.datasets import load_digits
    >>> X, y = load_digits()
    >>> X.shape, X.dtype, y.shape, y.dtype
    ((1797, 64), dtype('float32'), (1797,), dtype('int64'))
    >>> float(X.max()), sorted(set(y.tolist())) == list(range(10))
    (16.0, True)
    """
    return load_csv(_DIGITS)


def make_xor():
    """The four XOR points: X float32 of shape (4, 2), y int64 = x0 xor x1.

    >>> from nn.datasets import make_xor
    >>> X, y = make_xor()
    >>> X.tolist(), y.tolist()
    ([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], [0, 1, 1, 0])
    """
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)
    return X, np.array([0, 1, 1, 0], dtype=np.int64)


def make_moons(n_samples=200, noise=0.1, rng=None):
    """Two interleaving half circles, as scikit-learn's make_moons: X float32 (n, 2), y int64 in {0, 1}.

    The upper moon (label 0) has n // 2 points, the lower one the rest; the samples are
    shuffled and Gaussian noise of standard deviation `noise` is added.

    >>> from nn.datasets import make_moons
    >>> X, y = make_moons(100, noise=0.0, rng=0)
    >>> X.shape, int(y.sum())
    ((100, 2), 50)
    """
    n_samples = checked_number(n_samples, "make_moons", "n_samples", low=2, integer=True)
    noise = checked_number(noise, "make_moons", "noise", low=0, what=">= 0 (a finite number)")
    rng = generator(rng, "make_moons")
    n_out = n_samples // 2
    n_in = n_samples - n_out
    t_out, t_in = np.linspace(0, np.pi, n_out), np.linspace(0, np.pi, n_in)
    X = np.vstack([np.column_stack([np.cos(t_out), np.sin(t_out)]),
                   np.column_stack([1 - np.cos(t_in), 1 - np.sin(t_in) - 0.5])])
    y = np.concatenate([np.zeros(n_out, np.int64), np.ones(n_in, np.int64)])
    order = rng.permutation(n_samples)
    X, y = X[order], y[order]
    if noise:
        X = X + rng.normal(scale=noise, size=X.shape)
    return X.astype(np.float32), y


def _is_number(text):
    try:
        float(text)
        return True
    except ValueError:
        return False


def load_csv(path, header=None):
    """Read a numeric CSV file (optionally .gz): every column but the last is a feature, the last the label.

    Returns X float32 of shape (rows, columns - 1) and y: int64 when every label is a whole
    number that int64 holds (classes), float32 otherwise (regression). With header=None a first
    line with no numeric field is taken as a header and skipped (a header of numbers only, such as
    the 0,1,2 pandas writes for unnamed columns, looks like data: say header=True); True always
    skips the first line, False never does. A UTF-8 byte order mark (as Excel writes) is ignored. A malformed file raises ValueError naming the line and column: a field that
    is not a number, nan or inf (they would train a model of nans), or a value too large for
    float32. Values are separated by commas only: a line of ';' or tab separated values is refused
    as such. Only a regular file is read (a device such as /dev/zero or a named pipe is refused:
    reading it would never end, or wait).

    >>> import os, tempfile
    >>> from nn.datasets import load_csv
    >>> path = os.path.join(tempfile.mkdtemp(), "points.csv")
    >>> _ = open(path, "w").write("x1,x2,label\\n0.5,1.0,1\\n0.0,2.5,0\\n")
    >>> X, y = load_csv(path)
    >>> X.tolist(), y.tolist()
    ([[0.5, 1.0], [0.0, 2.5]], [1, 0])
    >>> _ = open(path, "w").write("0.5,1.0,1\\n0.0,abc,0\\n")
    >>> load_csv(path)
    Traceback (most recent call last):
    ...
    ValueError: load_csv: .../points.csv line 2: 'abc' is not a number (column 2)
    """
    path = os.fspath(path)
    try:
        mode = os.stat(path).st_mode
        if not stat.S_ISREG(mode):  # reading /dev/zero would never end, a named pipe would wait for a writer
            what = "a directory" if stat.S_ISDIR(mode) else "not a regular file (a device, pipe or socket)"
            raise ValueError(f"load_csv: cannot read {path}: it is {what}; give a CSV file")
        if path.endswith(".gz"):
            with gzip.open(path, "rt", encoding="utf-8-sig") as f:  # (text mode: \r and \r\n line ends too)
                text = f.read()
        else:
            with open(path, encoding="utf-8-sig") as f:
                text = f.read()
    except (OSError, EOFError, UnicodeDecodeError) as err:
        raise ValueError(f"load_csv: cannot read {path}: {err}") from None
    if header is not None and not isinstance(header, (bool, np.bool_)):  # (pandas' header=0 means the opposite)
        raise ValueError(f"load_csv: header must be None (guess), True or False, got {header!r}")
    rows, label_texts, line_numbers, width, number = [], [], [], None, 0
    reader = csv.reader(io.StringIO(text))
    while True:
        try:
            fields = next(reader, None)
        except csv.Error as err:  # a stray quote, say, running on to the end of the file
            raise ValueError(f"load_csv: {path} line {reader.line_num}: {err}") from None
        if fields is None:
            break
        start, number = number + 1, reader.line_num  # the record's lines: a quoted field may span several
        where = f"line {number}" if start == number else f"lines {start}-{number} (a quoted field spans them: is a " \
                                                          f"quote left open?)"
        fields = [f.strip() for f in fields]
        if not any(fields):
            continue  # blank line
        if len(fields) == 1 and (";" in fields[0] or "\t" in fields[0]):  # else line 1 looks like a header
            used = "';'" if ";" in fields[0] else "tabs"
            raise ValueError(f"load_csv: {path} line {number}: values must be separated by commas; this line has "
                             f"none but has {used}")
        first = width is None and not rows
        if first and (header or header is None and not any(_is_number(f) for f in fields)):
            width = len(fields)  # header
            continue
        if width is None:
            width = len(fields)
        if len(fields) != width:
            raise ValueError(f"load_csv: {path} {where}: {len(fields)} columns, expected {width} "
                             "like the lines before it")
        try:
            values = [float(f) for f in fields]
        except ValueError:
            column = next(i for i, f in enumerate(fields) if not _is_number(f))
            raise ValueError(f"load_csv: {path} {where}: {shorten(fields[column])} is not a number "
                             f"({_column(column, width)}){_hint(fields, column, width, first)}") from None
        if not all(map(math.isfinite, values)):  # nan, inf, or 1e309 (inf as a float)
            column = next(i for i, v in enumerate(values) if not math.isfinite(v))
            raise ValueError(f"load_csv: {path} {where}: {_unquoted(fields[column])} is not a finite number "
                             f"({_column(column, width)})")
        rows.append(values)
        label_texts.append(fields[-1])
        line_numbers.append(number)
    if not rows:
        raise ValueError(f"load_csv: {path} holds no data rows")
    if width < 2:
        raise ValueError(f"load_csv: {path} has {width} column; it needs features and a last label column")
    data = np.array(rows, dtype=np.float64)
    whole = [_whole_number(text, row[-1]) for text, row in zip(label_texts, rows)]  # from the text: exact
    whole = all(n is not None and -2 ** 63 <= n < 2 ** 63 for n in whole) and whole  # else int64 would wrap
    with np.errstate(over="ignore"):  # float32 overflows to inf above 3.4e38: refused below, like an inf
        X = data[:, :-1].astype(np.float32)
        y = np.array(whole, dtype=np.int64) if whole else data[:, -1].astype(np.float32)
    _check_finite(np.column_stack([X, y]), data, "is too large for float32, at most about 3.4e38", path,
                  line_numbers)
    return X, y


def _whole_number(text, value):
    """The label as a Python int when it is a whole number (read from its text, so 2**53 + 1 keeps its last
    digit; "3.0" and "1e3" by their value), else None."""
    try:
        return int(text)
    except ValueError:
        return int(value) if value.is_integer() else None


def _unquoted(number):
    """A number's text as written (1e309, nan), or shortened when long (it may be 100,000 digits)."""
    return number if len(number) <= 80 else shorten(number)


def _hint(fields, column, width, first):
    """What may explain a field that is no number: a header mixing names and numbers, a comma ending every
    line, a label that is a name."""
    if column == width - 1 and fields[column] == "":
        return "; the last field is empty: does each line end with a comma?"
    if column == width - 1 and all(_is_number(f) for f in fields[:-1]):  # numbers before it: data, no header
        return "; labels must be numbers (integer class labels to classify)"
    if first:
        return "; if this line is a header, none of its fields may be a number"
    if column == width - 1:
        return "; labels must be numbers (integer class labels to classify)"
    return ""


def _column(index, width):
    """'column 3', or 'column 3, the label' for the last one."""
    return f"column {index + 1}{', the label' if index == width - 1 else ''}"


def _check_finite(values, data, problem, path, line_numbers):
    """ValueError naming the line and column of the first non-finite entry of `values` (showing the
    file's number from `data`), if any."""
    bad = np.argwhere(~np.isfinite(values))
    if len(bad):
        row, column = bad[0]
        raise ValueError(f"load_csv: {path} line {line_numbers[row]}: {data[row, column]:g} {problem} "
                         f"({_column(column, data.shape[1])})")
