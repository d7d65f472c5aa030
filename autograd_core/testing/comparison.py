"""PyTorch's torch.testing.assert_close: are two results equal up to a tolerance, with an error saying where not.

actual and expected may be Tensors (a Parameter too), NumPy arrays, numbers (Python's or NumPy's), booleans, None,
or sequences and mappings of them, nested: sequences (list, tuple: of the same length, the types may differ) and
mappings (of the same keys) are compared item by item, as PyTorch's. A Tensor is compared with a Tensor, an array
with an array (one of each is a TypeError, as PyTorch's), a number with a number.

Two values are close where |actual - expected| <= atol + rtol * |expected| (equal infinities are close; NaN is close
to NaN only with equal_nan=True). Left out, rtol and atol are PyTorch's defaults for the dtype (the looser of the
two inputs' when check_dtype=False lets them differ):

    float16 1e-3 and 1e-5, float32 1.3e-6 and 1e-5, float64 1e-7 and 1e-7 (complex as their float), integers and
    bool 0 and 0 (equal); a Python int is int64, a float float64.

A failure is an AssertionError saying how many elements mismatch, and the greatest absolute and relative difference
and where, in PyTorch's words (so a test matching its message ports as it is). Dtypes follow NumPy here: two dtypes
that check_dtype=False lets differ are compared in NumPy's promotion (float16 with int64 in float64, PyTorch's
float16), and the relative differences of integers are shown in float64 (PyTorch's in float32, its default).
"""
import cmath
import collections.abc

import numpy as np

from .._arguments import InvalidArgumentError
from ..tensor import Tensor
from ..torch_functions import _close  # (torch.isclose's mask, ag.isclose's)

# {dtype: (rtol, atol)}, PyTorch's table (torch.testing._comparison); a dtype not listed is compared for equality
_DTYPE_PRECISIONS = {np.dtype(np.float16): (1e-3, 1e-5), np.dtype(np.float32): (1.3e-6, 1e-5),
                     np.dtype(np.float64): (1e-7, 1e-7), np.dtype(np.complex64): (1.3e-6, 1e-5),
                     np.dtype(np.complex128): (1e-7, 1e-7)}
# a Python number's type as the dtype its tolerances are those of (PyTorch's NumberPair)
_NUMBER_DTYPES = {bool: np.dtype(np.int64), int: np.dtype(np.int64), float: np.dtype(np.float64),
                  complex: np.dtype(np.complex128)}
_NUMBERS = (int, float, complex, np.number)


class _Failure(Exception):
    """A mismatch found while comparing: the error type and message to raise, and the item path it occurred at."""

    def __init__(self, kind, message, path):
        super().__init__(message)
        self.kind, self.message, self.path = kind, message, path

    def error(self, msg=None):
        """The exception to raise: msg (a string) replaces the message, a callable is given it to change."""
        if isinstance(msg, str):
            return self.kind(msg)
        message = self.message
        if self.path:
            message += f"\n\nThe failure occurred for item {''.join(str([key]) for key in self.path)}"
        return self.kind(msg(message) if callable(msg) else message)


def _tolerances(dtypes, rtol, atol, path):
    """(rtol, atol): both given, or both PyTorch's defaults for the loosest of dtypes; one alone is a ValueError."""
    if (rtol is None) != (atol is None):
        raise _Failure(ValueError, f"Both 'rtol' and 'atol' must be either specified or omitted, but got no "
                                   f"{'rtol' if rtol is None else 'atol'}.", path)
    if rtol is not None:
        return rtol, atol
    rtols, atols = zip(*[_DTYPE_PRECISIONS.get(dtype, (0.0, 0.0)) for dtype in dtypes])
    return max(rtols), max(atols)


def _pairs(actual, expected, path, options):
    """The (kind, actual, expected, path, (rtol, atol) or None) leaves to compare, found by walking sequences and
    mappings together; a structure that differs (a length, the keys, types no comparison handles) raises _Failure at
    once."""
    if (isinstance(actual, collections.abc.Sequence) and not isinstance(actual, str)
            and isinstance(expected, collections.abc.Sequence) and not isinstance(expected, str)):
        if len(actual) != len(expected):
            raise _Failure(AssertionError, f"The length of the sequences mismatch: {len(actual)} != "
                                           f"{len(expected)}", path)
        return [pair for k in range(len(actual)) for pair in _pairs(actual[k], expected[k], (*path, k), options)]
    if isinstance(actual, collections.abc.Mapping) and isinstance(expected, collections.abc.Mapping):
        actual_keys, expected_keys = set(actual.keys()), set(expected.keys())
        if actual_keys != expected_keys:
            raise _Failure(AssertionError, f"The keys of the mappings do not match:\n"
                                           f"Missing keys in the actual mapping: "
                                           f"{sorted(expected_keys - actual_keys)}\n"
                                           f"Additional keys in the actual mapping: "
                                           f"{sorted(actual_keys - expected_keys)}", path)
        try:
            keys = sorted(actual_keys)
        except TypeError:
            keys = list(actual.keys())
        return [pair for key in keys for pair in _pairs(actual[key], expected[key], (*path, key), options)]
    if actual is None or expected is None:
        return [("none", actual, expected, path, None)]
    if isinstance(actual, (bool, np.bool_)) and isinstance(expected, (bool, np.bool_)):
        return [("bool", bool(actual), bool(expected), path, None)]
    if isinstance(actual, _NUMBERS) and isinstance(expected, _NUMBERS):
        actual, expected = (x.item() if isinstance(x, np.generic) else x for x in (actual, expected))
        dtypes = [_NUMBER_DTYPES[type(x)] for x in (actual, expected)]
        return [("number", actual, expected, path, _tolerances(dtypes, options["rtol"], options["atol"], path))]
    related = isinstance(actual, type(expected)) or isinstance(expected, type(actual))
    if (related and isinstance(actual, (Tensor, np.ndarray))
            and (options["allow_subclasses"] or type(actual) is type(expected))):
        tolerances = _tolerances([actual.dtype, expected.dtype], options["rtol"], options["atol"], path)
        return [("tensor", actual, expected, path, tolerances)]
    raise _Failure(TypeError, f"No comparison pair was able to handle inputs of type {type(actual)} and "
                              f"{type(expected)}.", path)


def _mismatch_message(what, equality, extra, abs_diff, abs_at, atol, rel_diff, rel_at, rtol):
    """PyTorch's message: the header, the extra lines, then the absolute and the relative difference (the greatest
    and its index, for arrays), with the tolerance allowed unless the comparison was for equality."""
    lines = [f"{what} are not {'equal' if equality else 'close'}!", "", extra]
    for name, diff, at, tol in (("absolute", abs_diff, abs_at, atol), ("relative", rel_diff, rel_at, rtol)):
        line = (f"{name.title()} difference: {diff}" if at is None else
                f"Greatest {name} difference: {diff} at index {at}")
        lines.append(line if equality else f"{line} (up to {tol} allowed)")
    return "\n".join(lines)


def _scalar_message(actual, expected, rtol, atol):
    abs_diff = abs(actual - expected)
    rel_diff = float("inf") if expected == 0 else abs_diff / abs(expected)
    return _mismatch_message("Scalars", rtol == 0 and atol == 0, f"Expected {expected} but got {actual}.",
                             abs_diff, None, atol, rel_diff, None, rtol)


def _compare_numbers(actual, expected, rtol, atol, equal_nan, check_dtype, path):
    if check_dtype and type(actual) is not type(expected):
        raise _Failure(AssertionError, f"The (d)types do not match: {type(actual)} != {type(expected)}.", path)
    if actual == expected or (equal_nan and cmath.isnan(actual) and cmath.isnan(expected)):
        return
    abs_diff = abs(actual - expected)
    if cmath.isfinite(abs_diff) and abs_diff <= atol + rtol * abs(expected):
        return
    raise _Failure(AssertionError, _scalar_message(actual, expected, rtol, atol), path)


def _strides(x):
    return tuple(step // x.itemsize for step in x.strides)


def _compare_tensors(actual, expected, rtol, atol, options, path):
    def mismatch(name, actual_value, expected_value):
        raise _Failure(AssertionError, f"The values for attribute '{name}' do not match: {actual_value} != "
                                       f"{expected_value}.", path)

    a = actual.data if isinstance(actual, Tensor) else actual
    e = expected.data if isinstance(expected, Tensor) else expected
    if a.shape != e.shape:
        mismatch("shape", a.shape, e.shape)
    if options["check_stride"] and _strides(a) != _strides(e):
        mismatch("stride()", _strides(a), _strides(e))
    if options["check_dtype"] and a.dtype != e.dtype:
        mismatch("dtype", a.dtype, e.dtype)
    if a.dtype != e.dtype:  # promoted as NumPy does; integers stay integers (NumPy gives float64 for uint64, int64)
        dtype = np.result_type(a.dtype, e.dtype)
        if a.dtype.kind in "biu" and e.dtype.kind in "biu" and dtype.kind == "f":
            dtype = np.dtype(np.int64)
        a, e = a.astype(dtype), e.astype(dtype)
    matches = _close(a, e, rtol, atol, options["equal_nan"])
    if matches.all():
        return
    if a.ndim == 0:
        raise _Failure(AssertionError, _scalar_message(a.item(), e.item(), rtol, atol), path)
    count, mismatched = matches.size, matches.size - int(np.count_nonzero(matches))
    flat_a, flat_e, flat_matches = a.ravel(), e.ravel(), matches.ravel()
    if a.dtype.kind not in "fc":
        flat_a, flat_e = flat_a.astype(np.int64), flat_e.astype(np.int64)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        abs_diff = np.abs(flat_a - flat_e)
        abs_diff[flat_matches] = 0  # (only the mismatches count: a matching 0 / 0 is no NaN in the message)
        rel_diff = abs_diff / np.abs(flat_e)
    rel_diff[flat_matches] = 0
    abs_at, rel_at = _greatest(abs_diff), _greatest(rel_diff)
    raise _Failure(AssertionError, _mismatch_message(
        "Tensor-likes", rtol == 0 and atol == 0, f"Mismatched elements: {mismatched} / {count} "
        f"({mismatched / count:.1%})", abs_diff[abs_at].item(), _index(abs_at, a.shape), atol,
        rel_diff[rel_at].item(), _index(rel_at, a.shape), rtol), path)


def _greatest(diffs):
    """The flat index of the greatest difference, a NaN first (as torch.max's)."""
    nans = np.flatnonzero(np.isnan(diffs)) if diffs.dtype.kind in "fc" else ()
    return int(nans[0]) if len(nans) else int(np.argmax(diffs))


def _index(flat, shape):
    return tuple(int(i) for i in np.unravel_index(flat, shape))


def assert_close(actual, expected, *, allow_subclasses=True, rtol=None, atol=None, equal_nan=False,
                 check_device=True, check_dtype=True, check_layout=True, check_stride=False, msg=None):
    """PyTorch's torch.testing.assert_close: raise AssertionError unless actual and expected are close (see the module
    docstring for the inputs and the default tolerances). rtol and atol are given both or neither (one alone is a
    ValueError); equal_nan=True makes NaN close to NaN; check_dtype=False compares values of different dtypes (the
    two promoted as NumPy does); check_stride=True also compares the strides; allow_subclasses=False refuses a
    Parameter against a Tensor. check_device and check_layout are taken and change nothing (every Tensor here is a
    dense array on the CPU). msg replaces the message, or, a callable, is given the message and returns the one to
    raise.

    >>> import autograd_core as ag
    >>> from autograd_core.testing import assert_close
    >>> assert_close(ag.tensor([1.0, 2.0]), ag.tensor([1.0, 2.0 + 1e-9]))
    >>> assert_close(ag.tensor([1.0, 2.0, 3.0]), ag.tensor([1.0, 4.0, 3.0]))
    Traceback (most recent call last):
    ...
    AssertionError: Tensor-likes are not close!
    <BLANKLINE>
    Mismatched elements: 1 / 3 (33.3%)
    Greatest absolute difference: 2.0 at index (1,) (up to 1e-07 allowed)
    Greatest relative difference: 0.5 at index (1,) (up to 1e-07 allowed)
    """
    __tracebackhide__ = True  # (pytest shows the caller's line)
    for name, tolerance in (("rtol", rtol), ("atol", atol)):
        if tolerance is not None and not tolerance >= 0:
            raise InvalidArgumentError(f"assert_close: {name} must be a number >= 0, got {tolerance!r}")
    options = dict(allow_subclasses=allow_subclasses, rtol=rtol, atol=atol, equal_nan=equal_nan,
                   check_dtype=check_dtype, check_stride=check_stride)
    try:
        pairs = _pairs(actual, expected, (), options)
    except _Failure as failure:  # (a structure that differs: PyTorch gives its own message here, not msg)
        raise failure.error() from None
    for kind, a, e, path, tolerances in pairs:
        try:
            if kind == "none":
                if not (a is None and e is None):
                    raise _Failure(AssertionError, f"None mismatch: {a} is not {e}", path)
            elif kind == "bool":
                if a is not e:
                    raise _Failure(AssertionError, f"Booleans mismatch: {a} is not {e}", path)
            elif kind == "number":
                _compare_numbers(a, e, *tolerances, equal_nan, check_dtype, path)
            else:
                _compare_tensors(a, e, *tolerances, options, path)
        except _Failure as failure:
            raise failure.error(msg) from None
