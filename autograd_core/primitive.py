"""Primitives: a forward on raw NumPy values plus one vector-Jacobian product per input.

A gradient rule has the signature `vjp(g, ans, *inputs, **params)`. It is written
with NumPy calls and operators, so the same rule runs on raw arrays when backprop
only needs numbers and on Tensors (recorded through `__array_ufunc__` and
`__array_function__`) when `create_graph=True` asks for higher derivatives.
"""
import itertools
import math
import operator
import sys
import types

import numpy as np

from ._arguments import InvalidArgumentError, RuntimeTypeError
from .grad_mode import ANOMALY, ANOMALY_PAUSED, GRAD_MODE
from .shared_memory import share_memory
from .tensor import RaggedDataError, Tensor, as_value

_PY_SCALARS = (int, float, bool)
_NO_PARAMS = {}  # shared by every operation without parameters (never mutated)


class Primitive:
    """An operation the engine differentiates directly.

    >>> import numpy as np, autograd_core as ag
    >>> square = ag.Primitive("square", np.square, (lambda g, ans, x: 2 * g * x,))
    >>> square(ag.tensor(3.0))
    Tensor(9.)
    """

    def __init__(self, name, forward, vjps, hint="", doc=None, reads_values=True):
        self.__doc__ = doc or f"The {name} operation (differentiable)."
        self.name = name
        self.forward = forward
        self.vjps = vjps  # vjps[i] is the rule for input i (None: not differentiable there)
        self.hint = hint  # what valid input looks like, quoted in error messages
        # What the rules read, beyond shapes: a change in place since recording to a value a rule that runs reads
        # makes backprop refuse (backprop._check_versions), as PyTorch's saved tensors do when unpacked. True (each
        # rule may read every input and the result: the safe default), False (none reads any value), or one entry
        # per input: the positions of the inputs its rule reads, and "ans" for the result (multiply's
        # ((1,), (0,)): x's rule reads y, y's reads x). Only the rules of the inputs that require grad count. A
        # change to a view's input is a change to the view too (SharedMemory), which the view's consumers see.
        self.reads_values = reads_values
        self.reads_inputs = reads_values is True or bool(reads_values) and any(
            position != "ans" for read in reads_values for position in read)
        # after_rules(params, partial, released), called once a node's rules have run in a backprop pass: partial
        # when the pass asked for some inputs' gradients only (a transform's), released when it frees the node's
        # saved values (no retain_graph). ag.Function then drops the gradients its backward gave, and on release
        # ctx.saved_tensors too, as PyTorch frees a node's saved tensors.
        self.after_rules = None
        # A NumPy ufunc as the forward would take an extra argument as out=, and keywords (out=, where=, dtype=)
        # its rule does not follow: both refused at the call.
        self.is_ufunc = isinstance(forward, np.ufunc)
        self.max_inputs = forward.nin if self.is_ufunc else sys.maxsize

    def __get__(self, instance, owner=None):
        """Set on a class, a primitive is a method, as a function is: with Tensor.exp = exp, t.exp() is exp(t)."""
        return self if instance is None else types.MethodType(self, instance)

    def __call__(self, *args, **params):
        # here, not in apply: the operators call apply with the right count and no keywords
        if len(args) > self.max_inputs or params and (self.is_ufunc or "out" in params):
            raise _refused_call(self, len(args), params)
        return apply(self, args, params or _NO_PARAMS)

    def reads(self, slots, params=_NO_PARAMS):
        """(positions, ans): the positions of the inputs that the rules of the inputs at slots read (None: all of
        them), and whether they read the result. params: the node's settings (ag.Function's reads depend on them).

        >>> import autograd_core as ag
        >>> ag.ops.divide.reads((1,))
        ({1}, True)
        """
        if self.reads_values is True:
            return None, True
        read = set()
        for i in slots if self.reads_values else ():
            read.update(self.reads_values[i])
        ans = "ans" in read
        read.discard("ans")
        return read, ans

    def traced(self, *args, **params):
        """For use inside gradient rules: raw in, raw out; a Tensor in, a recorded Tensor out."""
        for a in args:
            if isinstance(a, Tensor):
                return self(*args, **params)
        return self.forward(*args, **params)

    def __repr__(self):
        return f"<primitive {self.name}>"


class ViewPrimitive(Primitive):
    """A primitive whose result may be a view of its first input's memory (reshape, transpose, basic
    indexing): the two then count changes in place together (see SharedMemory), recorded or not. Its
    rule reads shapes only."""

    def __init__(self, name, forward, vjps, hint="", doc=None):
        super().__init__(name, forward, vjps, hint, doc, reads_values=False)

    def __call__(self, x, **params):
        if isinstance(x, Tensor) and type(x._data) is not np.ndarray:  # a reduction may hold a NumPy scalar,
            x._data = np.asarray(x._data)  # of which no view shares memory
        out = apply(self, (x,), params or _NO_PARAMS)
        base = out._data.base  # None for a copy (NumPy scalars have .base too)
        if base is not None and isinstance(x, Tensor):
            owner = x._data
            # A view's base is the input or the input's own base; the rare other case is checked in full.
            if base is owner or base is owner.base or np.may_share_memory(base, owner):
                share_memory(out, x, True)  # (view=True: a no_grad view of a Tensor that requires grad is marked)
                out._version = x._version  # one version counter, as PyTorch's views share theirs
        return out


class PerInput:
    """vjps for an operation with any number of inputs: rule(i, g, ans, inputs, **params), with the inputs as
    one tuple, which backprop passes as it is (spread out for each of n inputs' rules, they cost n**2)."""

    __slots__ = ("rule",)

    def __init__(self, rule):
        self.rule = rule

    def __getitem__(self, i):
        rule = self.rule
        return lambda g, ans, *inputs, **params: rule(i, g, ans, inputs, **params)


_new_node = object.__new__
_next_seq = itertools.count(1).__next__  # creation order: a node's inputs always have smaller numbers
_FIRST, _SECOND, _BOTH = (0,), (1,), (0, 1)


def _raw(prim, a):
    """The value of a non-Tensor input, refusing what would silently leave the graph or the
    numbers: a list holding Tensors that require grad, or a non-numeric array."""
    if type(a) in _PY_SCALARS:
        return a
    return _checked_value(a, prim.name)


def _numpy_numbers(prim, values):
    """Python numbers only, as the NumPy values a ufunc makes of them, so that the operation follows NumPy's rules
    rather than Python's (True + True is True, 1 / 0 is inf, 2 ** -1 is refused): all float64 beside a float, else
    int64 beside an int, else bools; an int that does not fit is refused, as NumPy refuses it."""
    kinds = {type(v) for v in values}
    dtype = np.float64 if float in kinds else np.int64 if int in kinds else np.bool_
    try:
        return tuple(np.asarray(v, dtype) for v in values)
    except OverflowError:
        raise OverflowError(f"{prim.name}: the Python numbers {', '.join(map(repr, values))} do not all fit NumPy's "
                            f"{np.dtype(dtype)}, which NumPy would compute them in; pass floats") from None


def _checked_value(a, name):
    refuse_held_graph(a, name)
    if isinstance(a, (np.ndarray, np.generic)):
        value = a
    else:
        try:
            value = as_value(a)
        except ValueError as err:  # (ragged nested lists: NumPy's message names no operation)
            raise RaggedDataError(f"{name}: cannot make an array of {type(a).__name__} data: {err}") from None
    if type(value) is int:  # t.size, as the Python int it stands for (see tensor._Size)
        return value
    if value.dtype.kind not in "biuf":
        raise TypeError(f"{name}: unsupported input of dtype {value.dtype}; "
                        f"inputs must be Tensors, numbers or arrays of bool, integer or float dtype")
    return value


def as_operand(x, name):
    """x as a Tensor, for an operation `name` composed of primitives, refusing what a primitive's input refuses.

    >>> import autograd_core as ag
    >>> from autograd_core.primitive import as_operand
    >>> as_operand([1.0, 2.0], "var")
    Tensor([1., 2.])
    """
    if isinstance(x, Tensor):
        return x
    return Tensor(x if type(x) in _PY_SCALARS else _checked_value(x, name))


def _holds_graph(seq):
    return any(a._requires_grad if isinstance(a, Tensor) else isinstance(a, (list, tuple)) and _holds_graph(a)
               for a in seq)


def refuse_held_graph(value, name, subject="got a", advice="combine them with ag.stack or ag.concatenate first"):
    """A TypeError for a list or tuple holding Tensors that require grad, wherever one is read as a constant: made
    an array, its values would be cut from the graph (no gradient would reach those Tensors).

    >>> import autograd_core as ag
    >>> from autograd_core.primitive import refuse_held_graph
    >>> refuse_held_graph([ag.tensor(1.0, requires_grad=True)], "sum")
    Traceback (most recent call last):
    TypeError: sum: got a list holding Tensors that require grad; its value would be cut from the graph: ...
    """
    if isinstance(value, (list, tuple)) and _holds_graph(value):
        raise TypeError(f"{name}: {subject} {type(value).__name__} holding Tensors that require grad; its value would "
                        f"be cut from the graph: {advice}")


def apply(prim, args, params):
    """Run prim on the values of args and return a Tensor recording it when a gradient can flow.

    The record (see Tensor) is the primitive, the input values, the inputs that require grad
    and their slots, and params. One- and two-input operations, nearly all of them, take an
    unrolled path.
    """
    n = len(args)
    if n == 2:
        x, y = args
        # gx, gy: whether x, y require grad; None when they are not Tensors
        if isinstance(x, Tensor):
            xv = x._data
            gx = x._requires_grad
        else:
            xv, gx = _raw(prim, x), None
        if isinstance(y, Tensor):
            yv = y._data
            gy = y._requires_grad
        else:
            yv, gy = _raw(prim, y), None
        values = (xv, yv)
        # saved_version: the parents' versions (see versions_of and backprop's check), in a SavedVersions when an
        # input is a Tensor that does not require grad whose value a rule reads
        if gx:
            if gy:
                parents, slots, saved_version = (x, y), _BOTH, (x._version, y._version)
            else:
                parents, slots, saved_version = (x,), _FIRST, x._version
                if gy is False and prim.reads_inputs:
                    saved_version = SavedVersions.of(prim, saved_version, ((1, y),), _FIRST)
        elif gy:
            parents, slots, saved_version = (y,), _SECOND, y._version
            if gx is False and prim.reads_inputs:
                saved_version = SavedVersions.of(prim, saved_version, ((0, x),), _SECOND)
        else:
            parents = None
            if type(xv) in _PY_SCALARS and type(yv) in _PY_SCALARS:  # (off the common path)
                values = _numpy_numbers(prim, values)
    elif n == 1:
        (x,) = args
        if isinstance(x, Tensor):
            values = (x._data,)
            parents, slots, saved_version = ((x,), _FIRST, x._version) if x._requires_grad else (None, None, 0)
        else:
            values, parents = _numpy_numbers(prim, args) if type(x) in _PY_SCALARS else (_raw(prim, x),), None
    else:
        values, parents, slots, constants = [], [], [], []
        for i, a in enumerate(args):
            if isinstance(a, Tensor):
                values.append(a._data)
                if a._requires_grad:
                    parents.append(a)
                    slots.append(i)
                else:
                    constants.append((i, a))
            else:
                values.append(_raw(prim, a))
        saved_version = versions_of(parents)
        if constants and parents and prim.reads_inputs:
            saved_version = SavedVersions.of(prim, saved_version, constants, slots)
    try:
        out = prim.forward(*values, **params)
    except ResultError:
        raise
    except (ValueError, TypeError, IndexError, OverflowError, np.exceptions.AxisError) as err:
        raise describe_error(prim, values, params, err) from None
    if ANOMALY.enabled and not ANOMALY_PAUSED.enabled:
        check_finite(out, prim.name, "forward")
    node = _new_node(Tensor)
    node._data = out
    node._grad = None
    node.name = None
    node._version = 0
    if parents and GRAD_MODE.enabled:
        node._requires_grad = True
        node._op = prim
        node._inputs = values
        node._parents = parents
        node._slots = slots
        node._params = params
        node._seq = _next_seq()
        node._saved_version = saved_version
    else:
        node._requires_grad = False
        node._op = None
        node._parents = ()
        node._seq = 0
    return node


def versions_of(parents):
    """The parents' versions, as a node saves them (see backprop's check): one parent's version, or a tuple of
    several parents'.

    >>> import autograd_core as ag
    >>> from autograd_core.primitive import versions_of
    >>> w = ag.tensor([1.0], requires_grad=True)
    >>> with ag.no_grad():
    ...     w += 1
    >>> versions_of([w]), versions_of([w, ag.tensor(0.0)])
    (1, (1, 0))
    """
    n = len(parents)  # one to three nearly always: unrolled, as a comprehension costs three times more (3.11)
    if n == 1:
        return parents[0]._version
    if n == 2:
        return parents[0]._version, parents[1]._version
    if n == 3:
        return parents[0]._version, parents[1]._version, parents[2]._version
    return tuple([parent._version for parent in parents])


class SavedVersions:
    """A node's saved versions when Tensors that do not require grad are among the inputs its rules read (a
    multiplication's other factor, a where's condition): the parents' versions, and (position, Tensor, version)
    for each such Tensor."""

    __slots__ = ("parents", "constants")

    def __init__(self, parents, constants):
        self.parents = parents
        self.constants = constants

    @classmethod
    def of(cls, prim, parents, constants, slots):
        """For the (position, Tensor) pairs of constants that the rules of the inputs at slots read; parents alone
        if none."""
        read, _ = prim.reads(slots)
        kept = [(i, tensor, tensor._version) for i, tensor in constants if read is None or i in read]
        return cls(parents, kept) if kept else parents


def _refused_call(prim, n, params):
    if n > prim.max_inputs:
        return TypeError(f"{prim.name} takes at most {prim.max_inputs} input(s), got {n}; its settings are keyword "
                         f"arguments")
    given = ", ".join(f"{name}=" for name in params)
    return TypeError(f"{prim.name} takes no keyword arguments, got {given}: NumPy's out=, where= and dtype= would "
                     f"write or compute what its gradient does not follow; use the Tensor it returns (cast with "
                     f".astype first)")


class ResultError(TypeError):
    """A forward written by a user (ag.Function) returned what no Tensor holds; the message says so, and is not
    re-described as bad input."""


def given_params(params):
    """The settings a user gave: those named with a leading "_" are the engine's own (concatenate's offsets, found
    for its rule), which error messages and graph drawings leave out.

    >>> from autograd_core.primitive import given_params
    >>> given_params({"axis": 0, "_starts": (0, 2)})
    {'axis': 0}
    """
    return {name: value for name, value in params.items() if not name.startswith("_")}


def describe_error(prim, values, params, err):
    """The error for bad input: the operation, the shapes and dtypes, and what is valid."""
    described = ", ".join(f"{np.shape(v)} {_dtype_name(v)}" for v in values)
    given = given_params(params)
    extra = f" with {given}" if given else ""
    hint = f"; {prim.hint}" if prim.hint else ""
    if isinstance(err, OverflowError):  # a Python int beyond the integer dtype: the shapes are not the matter
        hint = "; a Python int must fit the Tensor's integer dtype (cast the Tensor to a wider one, or use a float)"
    elif isinstance(err, np.exceptions.AxisError) and err.ndim is not None:  # every operation taking an axis
        n = err.ndim  # (NumPy's: the result's for stack)
        hint = f"; valid axes are {-n}..{n - 1}" if n else "; a 0-d input has no axis to name"
    message = f"{prim.name}: invalid input of shapes/dtypes [{described}]{extra}: {err}{hint}"
    if type(err) is OverflowError:  # (PyTorch's "value cannot be converted to type uint8 without overflow")
        return OperandOverflowError(message)
    if type(err) is ValueError:  # (not its subclasses, which keep their kind: np.linalg.LinAlgError, AxisError)
        return OperandError(message)  # (shapes that do not broadcast, an integer to a negative power)
    if type(err) is TypeError or isinstance(err, TypeError) and type(err).__module__.startswith("numpy"):
        return OperandTypeError(message)  # (a dtype the operation refuses: bool - bool, a cast it cannot make)
    for kind in type(err).__mro__:  # the error's own type, or the nearest base taking just a message
        try:
            return kind(message)
        except TypeError:
            continue


def _dtype_name(value):
    try:
        return str(np.result_type(value))
    except (TypeError, OverflowError):  # a Python int beyond int64, or an object NumPy has no dtype for
        return type(value).__name__


class OperandError(InvalidArgumentError):
    """An operation's inputs that NumPy refuses with a ValueError (shapes that do not broadcast, an integer to a
    negative integer power): an InvalidArgumentError, so also PyTorch's RuntimeError, which ported code catches.

    >>> import autograd_core as ag
    >>> try:
    ...     ag.tensor([1.0, 2.0]) + ag.tensor([1.0, 2.0, 3.0])
    ... except RuntimeError as err:
    ...     isinstance(err, ValueError)
    True
    """


class OperandTypeError(RuntimeTypeError):
    """An operation's inputs of a dtype NumPy refuses with a TypeError (bool - bool): a RuntimeTypeError, so also
    PyTorch's RuntimeError."""


class OperandOverflowError(OverflowError, RuntimeError):
    """A Python int an operation cannot hold in its integer dtype (uint8 ** -2, int8 + 300): also PyTorch's
    RuntimeError."""


class AnomalyError(FloatingPointError, RuntimeError):
    """What detect_anomaly raises at a NaN or Inf: a FloatingPointError, as NumPy's floating-point errors, and
    PyTorch's RuntimeError at once, so that code ported from PyTorch catches it."""


def check_finite(value, name, phase, input_index=None):
    """detect_anomaly's check: raise naming the operation (and, for a gradient, the input it is for: PyTorch's
    "returned nan values in its 0th output") when value holds NaN or Inf."""
    value = as_value(value)
    if np.result_type(value).kind in "fc" and not np.all(np.isfinite(value)):
        which = "" if input_index is None else f" in the gradient for its input {input_index}"
        raise AnomalyError(f"{name} ({phase}) produced NaN/Inf values{which} (shape {np.shape(value)})")


SPECIALIZED = {}  # a primitive's forward or rule -> its specializer (see specializes)


def specializes(general):
    """Register the decorated function as the specializer of general, a primitive's forward or rule. Called with a
    recorded call of general (args: its positional arguments, a rule's g and ans first; params: its settings by name),
    it returns (core, arguments) or None: core, a function computing what general computes for arguments of the same
    types, shapes and dtypes, with general's checks and branches on those decided (None: general returns its one
    argument as it is); and the arguments core takes, each a position in args or a setting's name. graph_code's
    replay of a recorded step calls core in general's place, skipping work that only depends on shapes and dtypes;
    general calls core too where its checks lead to it, so the two give the same numbers (tests compare them bit for
    bit).

    >>> import numpy as np
    >>> from autograd_core.ops.arithmetic import _linear_forward
    >>> from autograd_core.primitive import SPECIALIZED
    >>> x, weight, bias = np.ones((2, 3)), np.ones((4, 3)), np.zeros(4)
    >>> core, arguments = SPECIALIZED[_linear_forward]((x, weight, bias), {})
    >>> core.__name__, arguments
    ('_linear_biased', (0, 1, 2))
    """
    def register(specializer):
        SPECIALIZED[general] = specializer
        return specializer
    return register


def float_constants(number):
    """{dtype: number as a read-only 0-d array of it} for float16, float32 and float64: a rule's constant (relu's 0,
    the onehot's 1) in the dtype of the array it meets, since a ufunc spends a third of its time on a small array
    converting a Python number. Made once, at import; a rule looks it up with .get(x.dtype, number).

    >>> import numpy as np
    >>> from autograd_core.primitive import float_constants
    >>> one = float_constants(1)[np.dtype(np.float32)]
    >>> one, one.dtype, one.flags.writeable
    (array(1., dtype=float32), dtype('float32'), False)
    """
    constants = {}
    for dtype in (np.float16, np.float32, np.float64):
        constants[np.dtype(dtype)] = constant = np.full((), number, dtype)
        constant.flags.writeable = False
    return constants


# Sums over leading axes of at least this many rows are taken in blocks (see add_reduce); shorter ones lose a few
# units in the last place at most in NumPy's order.
_LONG_SUM = 1024
_BLOCK = 16


def add_reduce(x, axis=None, keepdims=False, dtype=None):
    """np.add.reduce(x, axis, keepdims=, dtype=), as accurate over leading axes as over the last. NumPy sums
    pairwise (an error growing with log n) only along the contiguous innermost axis: over the rows of a tall array
    it adds row after row, an error growing with the row count (the mean of 250,000 float32 rows near 1e4 was off
    by 13,000 units in the last place, PyTorch's by 2). A long sum over the leading axes of a C-contiguous array
    adds blocks of _BLOCK rows, then the blocks' sums likewise, in one pass over the data and without a copy.
    Anything else (a Tensor, recorded by a create_graph pass; other axes or layouts) is np.add.reduce's.

    >>> import numpy as np
    >>> from autograd_core.primitive import add_reduce
    >>> x = np.full((2 ** 17, 2), 0.1, dtype=np.float32)
    >>> exact = 2 ** 17 * float(np.float32(0.1))
    >>> [round(abs(float(total[0]) - exact), 3) for total in (add_reduce(x, axis=0), np.add.reduce(x, axis=0))]
    [0.002, 13.581]
    """
    # NumPy's order whenever it is as good, decided cheaply first (a training step's sums take this path)
    if (type(x) is not np.ndarray or axis is None or x.size < _LONG_SUM
            or type(axis) is int and -x.ndim <= axis < x.ndim and x.shape[axis] < _LONG_SUM):
        return np.add.reduce(x, axis=axis, keepdims=keepdims, dtype=dtype)
    lead = _leading_axes(axis, x.ndim)
    if not lead or math.prod(x.shape[:lead]) < _LONG_SUM or not x.flags.c_contiguous:
        return np.add.reduce(x, axis=axis, keepdims=keepdims, dtype=dtype)  # (an invalid axis: NumPy's error)
    rows = x.reshape((-1,) + x.shape[lead:])  # a view: C-contiguous
    while len(rows) > _BLOCK:
        whole = len(rows) // _BLOCK * _BLOCK
        sums = np.add.reduce(rows[:whole].reshape((-1, _BLOCK) + rows.shape[1:]), axis=1, dtype=dtype)
        if whole < len(rows):
            sums = np.concatenate([sums, np.add.reduce(rows[whole:], axis=0, keepdims=True, dtype=dtype)])
        rows = sums
    total = np.add.reduce(rows, axis=0, dtype=dtype)
    return total.reshape((1,) * lead + x.shape[lead:]) if keepdims else total


def _leading_axes(axis, ndim):
    """r when axis names the first r axes of an array of ndim dimensions (0 < r < ndim), else 0.

    >>> from autograd_core.primitive import _leading_axes
    >>> _leading_axes((1, 0), 3), _leading_axes(-3, 3), _leading_axes(1, 3), _leading_axes((0, 0), 3)
    (2, 1, 0, 0)
    """
    axes = axis if type(axis) is tuple else (axis,)
    if any(isinstance(a, bool) for a in axes):  # (NumPy refuses a bool axis)
        return 0
    try:
        normal = sorted(operator.index(a) + ndim * (operator.index(a) < 0) for a in axes)
    except TypeError:
        return 0
    return len(normal) if normal == list(range(len(normal))) and len(normal) < ndim else 0


_ONES = {}  # (rows, dtype) -> a read-only vector of ones: sum_rows's, for the batch sizes seen
_BLAS_FLOATS = (np.dtype(np.float32), np.dtype(np.float64))


def sum_rows(g):
    """g summed over its first axis (a bias's gradient summed over the batch): as BLAS's ones @ g for a C-contiguous
    2-D float32 or float64 g with fewer than _LONG_SUM rows, twice as fast as np.add.reduce there and at least as
    accurate (NumPy adds row after row; BLAS in blocks); add_reduce's otherwise.

    >>> import numpy as np
    >>> from autograd_core.primitive import sum_rows
    >>> sum_rows(np.arange(6.0).reshape(3, 2))
    array([6., 9.])
    """
    ones = summing_ones(g)
    if ones is not None and g.flags.c_contiguous:
        return np.dot(ones, g)  # (ones @ g: the same BLAS call, without the ufunc machinery)
    return add_reduce(g, axis=0)


def summing_ones(g):
    """The vector of ones sum_rows multiplies g by when g is C-contiguous (a 2-D float32 or float64 array of 2 to
    _LONG_SUM - 1 rows), read-only; None for any other g."""
    if not (type(g) is np.ndarray and g.ndim == 2 and 1 < len(g) < _LONG_SUM and g.dtype in _BLAS_FLOATS):
        return None
    return read_only_cached(_ONES, (len(g), g.dtype), np.ones, len(g), g.dtype)


def read_only_cached(cache, key, make, *args):
    """cache[key], made by make(*args) and made read-only when missing, and kept while cache holds fewer than 64 (a
    constant per batch size, say: sum_rows' ones, the losses' row indices).

    >>> import numpy as np
    >>> from autograd_core.primitive import read_only_cached
    >>> cache = {}
    >>> read_only_cached(cache, 3, np.arange, 3).flags.writeable, len(cache)
    (False, 1)
    """
    value = cache.get(key)
    if value is None:
        value = make(*args)
        value.flags.writeable = False
        if len(cache) < 64:
            cache[key] = value
    return value


def unbroadcast(g, shape):
    """Sum g down to shape: the adjoint of NumPy broadcasting, applied once per edge by backprop."""
    lead = g.ndim - len(shape)
    if lead:  # axes broadcasting added in front
        g = sum_rows(g) if lead == 1 else add_reduce(g, axis=tuple(range(lead)))
    if 1 in shape:  # size-1 axes broadcasting may have stretched
        stretched = tuple(i for i, n in enumerate(shape) if n == 1 and g.shape[i] != 1)
        if stretched:
            g = add_reduce(g, axis=stretched, keepdims=True)
    return g
