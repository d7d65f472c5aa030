"""Gradient checking: the engine's derivatives against central finite differences in float64.

The inputs differentiated are the float ones: float arrays and numbers, lists of numbers holding
a float, and float Tensors that require grad; each is cast to float64 before checking, so a check
measures the gradient rules, not float32 rounding. Other arguments reach f as they are: a Tensor
that does not require grad (a constant, as in torch.autograd.gradcheck), integers and bools
(numbers, arrays, Tensors, lists: an index, an axis, a count; PyTorch checks only float tensors
too, so pass whole-number points as floats, np.array([1., 2.])), None, strings. A float number
(a slope) is differentiated too, unlike in PyTorch: close over it in f, or pass it as a Tensor, to
keep it constant. A list of float arrays of several shapes is refused: pass each array as an input;
so is a list or tuple holding Tensors that require grad, PyTorch's gradcheck(f, (x, y))
(ag.autograd.gradcheck's); one of constant Tensors reaches f as it is. A mismatch numbers the inputs
and outputs as torch.autograd.gradcheck: among the inputs differentiated and the outputs that require
grad ("Jacobian mismatch for output 0 with respect to input 1").

As torch.autograd.gradcheck (its default mode, not the fast one), the whole Jacobian is compared
entry by entry: central differences move each input element by +eps and -eps and record every
output element; the engine gives one row per output element, by backprop seeded with that
element's one-hot cotangent. So one wrong entry is caught, and a large output never drowns a small
one. f may return a tuple or list of outputs. f always receives Tensors that require grad, so it
may differentiate them itself (a gradient's own gradient).
"""
import numpy as np

from .._arguments import InvalidArgumentError, as_flag
from ..backprop import gradients_to
from ..grad_mode import enable_grad
from ..pytree import flatten
from ..tensor import Tensor, as_value, non_number

# gradgradcheck's cotangent is fixed (a failing check fails the same way every time), and its seed is not one that
# users' own test data is often drawn with (0, 1, 42), whose numbers could line up with a wrong rule.
_COTANGENT_SEED = 0x5EED_CA7


def _drawn_cotangent(rng, shape):
    """A cotangent of the given shape drawn from rng: each entry of either sign, away from 0 (where it would hide a
    term of the derivative)."""
    return rng.choice([-1.0, 1.0], shape) * rng.uniform(0.5, 1.5, shape)


class GradcheckError(AssertionError, RuntimeError):
    """The engine's derivative of some input differs from the finite-difference estimate: an AssertionError, as a
    test's failure, and a RuntimeError, as torch.autograd.gradcheck's GradcheckError is (PyTorch's own tests expect
    assertRaises(RuntimeError) of a failing check)."""


class GradcheckArgumentError(ValueError, AssertionError):
    """f or the settings cannot be checked (an output whose shape or dtype changes when an input moves by eps, no
    check asked for): a ValueError, and an AssertionError as the asserts torch.autograd.gradcheck raises there. Raised
    whatever raise_exception, as PyTorch's."""


def _float64(x):
    return np.array(as_value(x), dtype=np.float64)  # (a copy: it is moved in place)


def _differentiated(x, k, what):
    """Is x (input k) one the checks differentiate: a float Tensor that requires grad, a float array or number, or a
    list or tuple of numbers holding a float? Integers are indices, axes or counts (as in PyTorch, where only float
    tensors are checked); a Tensor that does not require grad is a constant, as in PyTorch."""
    if isinstance(x, Tensor):
        return x.requires_grad and x.dtype.kind == "f"
    if isinstance(x, (np.ndarray, np.generic)):
        return x.dtype.kind == "f"
    if isinstance(x, (list, tuple)):
        if _holds_tensors(x, requiring_grad=True):  # (PyTorch's gradcheck(f, (x, y)) here: f would get one array)
            how = (f"{what}(f, (x, y, z))" if what.startswith("autograd.") else
                   f"{what}(f, x, y) (PyTorch's {what}(f, (x, y)) is ag.autograd.{what})")
            raise TypeError(f"{what}: input {k} is a {type(x).__name__} holding Tensors that require grad, whose "
                            f"gradients would go unchecked (only the Tensors among the inputs themselves are "
                            f"differentiated, as in torch.autograd.gradcheck); pass each as an input of its own, {how}")
        if _holds_tensors(x, requiring_grad=False):  # constants, as in PyTorch
            return False
        try:
            return np.asarray(x).dtype.kind == "f"
        except (ValueError, TypeError):  # ragged, or holding objects
            if _holds_float_arrays(x):  # their gradients would go unchecked: refused rather than passed
                raise TypeError(f"{what}: input {k} is a {type(x).__name__} holding float arrays of several "
                                f"shapes; pass each of them as an input of its own") from None
            return False
    return isinstance(x, float)


def _holds_tensors(seq, requiring_grad):
    """Does seq hold a Tensor (one that requires grad, with requiring_grad), at any depth?"""
    return any(_holds_tensors(x, requiring_grad) if isinstance(x, (list, tuple)) else
               isinstance(x, Tensor) and (x.requires_grad or not requiring_grad) for x in seq)


def _holds_float_arrays(seq):
    return any(_holds_float_arrays(x) if isinstance(x, (list, tuple)) else
               isinstance(x, (Tensor, np.ndarray, np.generic, float)) and np.result_type(as_value(x)).kind == "f"
               for x in seq)


def _on_float_inputs(f, inputs, what):
    """(g, values, positions): g(*values) calls f with the differentiated inputs replaced by g's arguments and
    the others as given, and returns its outputs as a list; values are those inputs in float64, positions where
    they stand among f's arguments."""
    positions = [k for k, x in enumerate(inputs) if _differentiated(x, k, what)]
    if not positions:
        raise ValueError(f"{what}: no input to differentiate; pass float arrays or numbers, or float Tensors that "
                         f"require grad (as torch.autograd.gradcheck, which expects at least one input tensor to "
                         f"require gradient; ints, integer arrays, Tensors that do not require grad and other objects "
                         f"reach f as they are)")

    def g(*values):
        args = list(inputs)
        for k, value in zip(positions, values):
            args[k] = value
        out = f(*args)
        outputs = list(out) if isinstance(out, (tuple, list)) else [out]
        for m, output in enumerate(outputs):
            if isinstance(output, (tuple, list)):  # (no Tensor to backpropagate from: the engine's gradient would
                # read as zero, a mismatch blamed on it, or gradgradcheck pass without checking)
                raise TypeError(f"{what}: f returned a {type(out).__name__} whose output {m} is a "
                                f"{type(output).__name__}; return a Tensor, an array or a number, or a flat tuple or "
                                f"list of them")
        return outputs

    return g, [_float64(inputs[k]) for k in positions], positions


def _leaves(values):
    return [Tensor(v, requires_grad=True) for v in values]


def _numbers(out, what):
    """f's output (a Tensor, an array, a number, or a list of them) as a float64 array."""
    out = np.asarray(as_value(out))
    if out.dtype.kind not in "iuf":  # None, a string: NaN gradients, or NumPy's own error
        raise TypeError(f"{what}: f must return numbers (a Tensor, an array or a number), got {out!r:.60}")
    return out.astype(np.float64)


def _central_differences(evaluate, values, eps, size, what="gradcheck"):
    """For each value, moved in place element by element by +eps and -eps, the central differences of
    evaluate()'s output (size numbers): an array of shape (size, value.size), the numerical Jacobian."""
    jacobians = []
    for k, value in enumerate(values):
        jacobian = np.empty((size, value.size))
        for column, index in enumerate(np.ndindex(value.shape)):  # indexing, not a flat view: any memory layout
            original = value[index]
            try:
                value[index] = original + eps
                plus = evaluate()
                value[index] = original - eps
                minus = evaluate()
            except _DtypeChanged as changed:
                raise GradcheckArgumentError(
                    f"{what}: f's outputs have dtypes {changed.args[0]} at the inputs given, but {changed.args[1]} "
                    f"with input {k} at index {tuple(int(i) for i in index)} moved by eps={eps}: f must return "
                    f"outputs with the same dtype when inputs are perturbed") from None
            finally:
                value[index] = original
            if plus.size != size or minus.size != size:  # (plus - minus would broadcast, or raise NumPy's error)
                raise _resized(what, size, plus.size if plus.size != size else minus.size, k, index, eps)
            jacobian[:, column] = ((plus - minus) / (2 * eps)).reshape(-1)
        jacobians.append(jacobian)
    return jacobians


_SAME_SHAPE = ("finite differences need an output whose shape does not depend on the input's values (x[x > 0] "
               "changes where an entry crosses 0): f must return outputs with the same shape when inputs are perturbed")


def _resized(what, size, moved, k, index, eps):
    return GradcheckArgumentError(f"{what}: f's output has {size} element(s), but {moved} with input {k} at index "
                                  f"{tuple(int(i) for i in index)} moved by eps={eps}; {_SAME_SHAPE}")


class _DtypeChanged(Exception):
    """f's outputs changed dtype with an input moved (raised by evaluate, named by _central_differences)."""


def _check_positive(what, allow_zero=False, **settings):
    """Each setting (eps, atol, rtol) a finite real number, > 0 (>= 0 with allow_zero): else an InvalidArgumentError,
    a ValueError and the RuntimeError torch.autograd.gradcheck raises for a negative atol or rtol."""
    for name, value in settings.items():
        number = np.asarray(as_value(value))  # a number, or a 0-d array or Tensor of one
        real = number.ndim == 0 and number.dtype.kind in "iuf"
        if not real or not np.isfinite(number) or number < 0 or (number == 0 and not allow_zero):
            raise (InvalidArgumentError if real else TypeError)(
                f"{what}: {name} must be a finite number {'>= 0' if allow_zero else '> 0'}, got {value!r}")


def numerical_grad(f, *inputs, eps=1e-6, cotangent=None):
    """Central-difference gradients of f at inputs, in float64: one ndarray per input.

    Each element of each input is moved by +eps and -eps and
    (f(x + eps) - f(x - eps)) / (2 eps) is recorded. f must return one element,
    unless cotangent (an array of the output's shape) is given: then the gradient
    of sum(f(*inputs) * cotangent) is returned. Every input is differentiated, a
    Tensor that does not require grad too. f receives float64 Tensors that require
    grad (so it may differentiate them itself); the inputs themselves are never modified.

    >>> import numpy as np, autograd_core as ag
    >>> from autograd_core.testing import numerical_grad
    >>> (g,) = numerical_grad(lambda x: (x ** 2).sum(), np.array([1.0, 3.0]))
    >>> np.round(g, 6)
    array([2., 6.])
    """
    _check_positive("numerical_grad", eps=eps)
    values = [_numbers_in(x, f"input {k}") for k, x in enumerate(inputs)]  # (copies: they are moved in place)
    if cotangent is not None:
        cotangent = _numbers_in(cotangent, "cotangent")

    def evaluate():
        with enable_grad():
            return _numbers(f(*_leaves(values)), "numerical_grad")

    out = evaluate()
    if cotangent is None and out.size != 1:
        raise ValueError(f"numerical_grad: f returned shape {out.shape}; f must return one element, "
                         f"or pass cotangent= of the output's shape to differentiate sum(f * cotangent)")
    if cotangent is not None and out.shape != cotangent.shape:
        raise ValueError(f"numerical_grad: f returned shape {out.shape} but cotangent has shape {cotangent.shape}")
    weights = np.ones(1) if cotangent is None else cotangent.reshape(-1)
    return [(weights @ jacobian).reshape(value.shape)
            for value, jacobian in zip(values, _central_differences(evaluate, values, eps, out.size,
                                                                    "numerical_grad"))]


def _numbers_in(x, name):
    """numerical_grad's input or cotangent x as a float64 array (a copy), refusing what is no array of real numbers:
    None would count as NaN, a complex number lose its imaginary part, text not be read at all (an object array of
    numbers, a Python int beyond int64, is taken)."""
    try:
        value = np.asarray(as_value(x))
    except ValueError:  # NumPy's message for a ragged list names no function
        raise TypeError(f"numerical_grad: {name} is a ragged {type(x).__name__} (its rows differ in length); it must "
                        f"be a number or an array of numbers") from None
    if value.dtype.kind not in "biuf" and (value.dtype != object or non_number(value)):
        raise TypeError(f"numerical_grad: {name} must be a number or an array of (real) numbers, got {x!r:.60}")
    return value.astype(np.float64)


def _engine_jacobians(outputs, leaves, what):
    """The engine's Jacobian of the outputs (flattened one after another) for each leaf, shape (outputs' size,
    leaf's size): row i is the vector-Jacobian product with the one-hot cotangent of output element i."""
    sizes = [int(np.prod(np.shape(as_value(out)))) for out in outputs]
    jacobians = [np.zeros((sum(sizes), leaf.size)) for leaf in leaves]
    row = 0
    for out, size in zip(outputs, sizes):
        if isinstance(out, Tensor) and out.requires_grad:  # otherwise it depends on no input: zeros
            for i in range(size):
                seed = np.zeros(size, dtype=out.dtype)
                seed[i] = 1
                grads = gradients_to(out, leaves, seed.reshape(out.shape), retain_graph=True, where=what)
                for jacobian, grad in zip(jacobians, grads):
                    if grad is not None:
                        jacobian[row + i] = np.asarray(grad.data, dtype=np.float64).reshape(-1)
        row += size
    return jacobians


def _input_names(positions):
    """(name, note) for each differentiated input, numbered among them as torch.autograd.gradcheck numbers the inputs
    that require grad; the note gives f's argument where its place differs."""
    return [(f"input {j}", "" if k == j else f"f's argument {k}") for j, k in enumerate(positions)]


def _output_names(outputs, notes=None):
    """(name, note) for each output, numbered among those that require grad as torch.autograd.gradcheck numbers them
    (one that does not, checked here too, must have zero finite differences: named by its place among f's outputs);
    when none requires grad, all numbered (torch names none: 'Numerical gradient for function expected to be
    zero')."""
    notes = [""] * len(outputs) if notes is None else notes
    recorded = [isinstance(out, Tensor) and out.requires_grad for out in outputs]
    if not any(recorded):
        return [(f"output {m}", note) for m, note in enumerate(notes)]
    names, i = [], 0
    for m, (is_recorded, note) in enumerate(zip(recorded, notes)):
        if is_recorded:
            names.append((f"output {i}", ", ".join(filter(None, [note, "" if m == i else f"f's output {m}"]))))
            i += 1
        else:
            names.append((f"f's output {m}", ", ".join(filter(None, [note, "which does not require grad"]))))
    return names


def _described(name, note, shape):
    return f"{name} ({note + ', ' if note else ''}shape {shape})"


def _compare(what, engine, numeric, atol, rtol, inputs, input_shapes, outputs, output_shapes, mode=""):
    """Raise GradcheckError for the first output, then input, whose Jacobian block has an entry out of tolerance
    (torch.autograd.gradcheck's order), at its worst entry, naming the input and the output ((name, note) pairs), and
    ending with PyTorch's words ("Jacobian mismatch for output 0 with respect to input 0"; mode " computed with forward
    mode" for the forward-mode Jacobian)."""
    start = 0
    for (output, output_note), output_shape in zip(outputs, output_shapes):
        rows = slice(start, start + int(np.prod(output_shape)))
        start = rows.stop
        for (name, note), shape, a, n in zip(inputs, input_shapes, engine, numeric):
            a, n = a[rows], n[rows]
            excess = np.abs(a - n) - (atol + rtol * np.abs(n))
            bad = ~(excess <= 0)  # NaN or Inf on either side is a mismatch too
            if not bad.any():
                continue
            row, column = np.unravel_index(np.argmax(np.where(bad, np.nan_to_num(excess, nan=np.inf), -np.inf)),
                                           a.shape)
            at = tuple(int(i) for i in np.unravel_index(row, output_shape))
            index = tuple(int(i) for i in np.unravel_index(column, shape))
            scalar = output_shapes == [()]  # one number out: no output index to name
            where = "" if scalar else f" and {_described(output, output_note, output_shape)} at index {at}"
            raise GradcheckError(
                f"{what}: mismatch for {_described(name, note, shape)} at index {index}{where}: engine "
                f"{float(a[row, column])!r}, finite differences "
                f"{float(n[row, column])!r} (the Jacobian entry; allowed |engine - numerical| <= atol + rtol * "
                f"|numerical| with atol={atol}, rtol={rtol}): Jacobian{mode} mismatch for {output} with respect to "
                f"{name}"
            )


def _check_jacobians(what, g, values, inputs, eps, atol, rtol, output_notes=None, engine=_engine_jacobians, mode=""):
    """The engine's Jacobian of g (which returns a list of outputs) against central differences, entry by entry; inputs
    (name, note) pairs, output_notes one per output (or None); engine(outputs, leaves, what) gives the engine's
    Jacobians (backward mode by default) and mode says how, in the message."""
    leaves = _leaves(values)
    with enable_grad():
        outputs = g(*leaves)
    output_shapes = [np.shape(as_value(out)) for out in outputs]
    dtypes = _dtypes(outputs)
    jacobians = engine(outputs, leaves, what)

    def evaluate():
        with enable_grad():
            moved = g(*_leaves(values))
        _check_same_dtypes(dtypes, moved)
        return np.concatenate([np.zeros(0)] + [_numbers(out, what).reshape(-1) for out in moved])

    numeric = _central_differences(evaluate, values, eps, sum(int(np.prod(s)) for s in output_shapes), what)
    try:
        _compare(what, jacobians, numeric, atol, rtol, inputs, [v.shape for v in values],
                 _output_names(outputs, output_notes), output_shapes, mode)
    except GradcheckError as err:
        if not any(isinstance(out, Tensor) and out.requires_grad for out in outputs):
            raise GradcheckError(f"{err}. Numerical gradient for function expected to be zero (no output of f "
                                 f"requires grad: it was computed outside the graph, from .data or NumPy "
                                 f"values)") from None
        low = [m for m, dtype in enumerate(dtypes) if dtype.kind == "f" and dtype.itemsize < 8]
        if not low:
            raise
        raise GradcheckError(f"{err}. Output {low[0]} of f is {dtypes[low[0]]} although its inputs were made float64: "
                             f"f computes in lower precision (a float32 layer's weights, a float32 constant), whose "
                             f"rounding the finite differences carry; make f compute in float64 (layer.double(), "
                             f"constants of float64), as torch.autograd.gradcheck warns for inputs that are not "
                             f"double precision") from None


def _dtypes(outputs):
    return [np.asarray(as_value(out)).dtype for out in outputs]


def _check_same_dtypes(dtypes, outputs):
    """f's outputs with an input moved by eps have the dtypes they have at the inputs given (float64 here, float32
    there would make the finite differences float32 rounding), as torch.autograd.gradcheck asserts."""
    moved = _dtypes(outputs)
    if len(moved) == len(dtypes) and moved != dtypes:
        raise _DtypeChanged([str(d) for d in dtypes], [str(d) for d in moved])


def _check_zero_output_gradients(what, g, values, input_names):
    """torch.autograd.gradcheck's check that backward multiplies by grad_output: zero gradients of all the outputs
    at once must give every input a zero gradient (or none). An error the backward raises on them propagates, as
    PyTorch's."""
    leaves = _leaves(values)
    with enable_grad():
        outputs = [out for out in g(*leaves) if isinstance(out, Tensor) and out.requires_grad]
    if not outputs:
        return
    seeds = tuple(np.zeros(out.shape, out.dtype) for out in outputs)
    for name, grad in zip(input_names, gradients_to(tuple(outputs), leaves, seeds, where=what)):
        nonzero = [] if grad is None else np.flatnonzero(as_value(grad) != 0)
        if len(nonzero):
            index = tuple(int(i) for i in np.unravel_index(nonzero[0], grad.shape))
            raise GradcheckError(f"{what}: zero gradients of the outputs gave {name} a nonzero gradient "
                                 f"({float(as_value(grad)[index])!r} at index {index}): backward not multiplied by "
                                 f"grad_output (the output's gradient)")


def gradcheck(f, *inputs, eps=1e-6, atol=1e-5, rtol=1e-3, raise_exception=True, zero_output_gradient=False):
    """Check the engine's gradients of f at inputs against central differences in float64.

    Every float input (a Tensor only when it requires grad) is cast to float64 and
    differentiated; other arguments reach f as they are (see the module docstring). As
    torch.autograd.gradcheck, the Jacobian of every output element with respect to every
    input element is compared: the engine's by one backward pass per output element.
    Returns True when every entry satisfies |engine - numerical| <= atol + rtol * |numerical|;
    otherwise raises GradcheckError naming the input, the output, the worst entry's indices
    and both values (or returns False when raise_exception=False). zero_output_gradient=True
    also requires zero input gradients from zero output gradients (PyTorch's check that
    backward multiplies by grad_output, which ag.autograd.gradcheck runs).

    >>> import autograd_core as ag
    >>> from autograd_core.testing import gradcheck
    >>> gradcheck(lambda x, y: ag.tanh(x * y), [0.5, -1.0], [2.0, 0.3])
    True
    """
    _check_positive("gradcheck", eps=eps)
    _check_positive("gradcheck", allow_zero=True, atol=atol, rtol=rtol)
    as_flag(raise_exception, "gradcheck", "raise_exception")
    zero_output_gradient = as_flag(zero_output_gradient, "gradcheck", "zero_output_gradient")
    g, values, positions = _on_float_inputs(f, inputs, "gradcheck")
    try:
        inputs = _input_names(positions)
        _check_jacobians("gradcheck", g, values, inputs, eps, atol, rtol)
        if zero_output_gradient:
            _check_zero_output_gradients("gradcheck", g, values, [name for name, _ in inputs])
    except GradcheckError:
        if raise_exception:
            raise
        return False
    return True


def _first_derivatives(outputs, leaves, cotangents, create_graph):
    """The vector-Jacobian products of the outputs with the cotangents, summed: one gradient per leaf."""
    totals = [Tensor(np.zeros(leaf.shape)) for leaf in leaves]
    for out, cotangent in zip(outputs, cotangents):
        if isinstance(out, Tensor) and out.requires_grad:
            grads = gradients_to(out, leaves, cotangent, retain_graph=True, create_graph=create_graph,
                                 where="gradgradcheck")
            totals = [total if grad is None else total + grad for total, grad in zip(totals, grads)]
    return totals


def gradgradcheck(f, *inputs, eps=1e-6, atol=1e-5, rtol=1e-3, raise_exception=True):
    """Check second derivatives, as torch.autograd.gradgradcheck: gradcheck of the engine's first derivative.

    With v a fixed random cotangent of f's output, the function (inputs..., v) -> the engine's
    gradient of sum(f(inputs) * v) with respect to each differentiated input, recorded with
    create_graph=True, is checked by gradcheck, v differentiated too: its Jacobian in the inputs
    (second derivatives) and in v (the first derivative again, so a backward that cuts its incoming
    gradient from the graph is caught), entry by entry. That recorded first derivative must also
    equal the plain one. When no output requires grad there is no first derivative to check: f's
    finite differences must then be zero, as in gradcheck. Arguments and result as in gradcheck.

    >>> import autograd_core as ag
    >>> from autograd_core.testing import gradgradcheck
    >>> gradgradcheck(lambda x: ag.sin(x) * x, [0.3, 1.2])
    True
    """
    return _gradgradcheck(f, inputs, eps, atol, rtol, raise_exception)


def _gradgradcheck(f, inputs, eps, atol, rtol, raise_exception, cotangents=None):
    """gradgradcheck, with the cotangents of f's outputs given (one per output; ag.autograd.gradgradcheck's
    grad_outputs) or drawn (None)."""
    _check_positive("gradgradcheck", eps=eps)
    _check_positive("gradgradcheck", allow_zero=True, atol=atol, rtol=rtol)
    as_flag(raise_exception, "gradgradcheck", "raise_exception")
    g, values, positions = _on_float_inputs(f, inputs, "gradgradcheck")
    inputs = _input_names(positions)
    leaves = _leaves(values)
    with enable_grad():
        outputs = g(*leaves)
    if not any(isinstance(out, Tensor) and out.requires_grad for out in outputs):
        # No output was recorded from the inputs: no first derivative to differentiate, and the check below would
        # pass whatever f computes. As torch.autograd.gradcheck for outputs that do not require grad: f's finite
        # differences must then be zero (a constant), else its outputs were cut from the graph.
        try:
            _check_jacobians("gradgradcheck", g, values, inputs, eps, atol, rtol)
        except GradcheckError:
            if raise_exception:
                raise
            return False
        return True
    shapes = [np.shape(as_value(out)) for out in outputs]
    if cotangents is None:
        rng = np.random.default_rng(_COTANGENT_SEED)
        cotangents = [np.array(_drawn_cotangent(rng, shape)) for shape in shapes]
    else:
        cotangents = [_float64(cotangent) for cotangent in cotangents]
        given = [cotangent.shape for cotangent in cotangents]
        if given != shapes:
            raise ValueError(f"gradgradcheck: grad_outputs have shapes {given}, but f's outputs {shapes}; give one "
                             f"gradient per output, of its shape")

    def recorded(*args):
        xs, vs = args[:len(values)], args[len(values):]
        with enable_grad():
            moved = g(*xs)
            shapes = [np.shape(as_value(out)) for out in moved]
            if shapes != [v.shape for v in vs]:  # (the cotangents have the shapes at the inputs given)
                raise GradcheckArgumentError(
                    f"gradgradcheck: f's outputs have shapes {[v.shape for v in vs]} at the inputs given, but {shapes} "
                    f"with an input moved by eps={eps}; {_SAME_SHAPE}")
            return _first_derivatives(moved, xs, vs, create_graph=True)

    try:
        plain = _first_derivatives(outputs, leaves, cotangents, create_graph=False)
        names = [name for name, _ in inputs]
        _compare_recorded_with_plain(recorded(*_leaves(values + cotangents)), plain, names, atol, rtol)
        # (numbered as torch.autograd.gradgradcheck's gradcheck of the first derivative: its inputs are the inputs
        # differentiated, then the cotangents; its outputs the gradients of those inputs)
        cotangent_inputs = [(f"input {len(values) + m}", "the cotangent" if len(outputs) == 1 else
                             f"the cotangent of f's output {m}") for m in range(len(outputs))]
        _check_jacobians("gradgradcheck", recorded, values + cotangents, inputs + cotangent_inputs, eps, atol, rtol,
                         output_notes=[f"the gradient of {name}" for name in names])
    except GradcheckError:
        if raise_exception:
            raise
        return False
    return True


def _compare_recorded_with_plain(recorded, plain, names, atol, rtol):
    """The first derivative recorded with create_graph=True must equal the plain one, entry by entry."""
    for name, r, p in zip(names, recorded, plain):
        r, p = np.asarray(r.data, dtype=np.float64), np.asarray(p.data, dtype=np.float64)
        bad = ~(np.abs(r - p) <= atol + rtol * np.abs(p))
        if bad.any():
            index = tuple(int(i) for i in np.unravel_index(np.argmax(bad), r.shape))
            raise GradcheckError(
                f"gradgradcheck: the gradient recorded with create_graph=True differs from the plain gradient for "
                f"{name} at index {index}: recorded {float(r[index])!r}, plain {float(p[index])!r}"
            )


def check_grads(f, args, order, modes=("fwd", "rev"), atol=None, rtol=None, eps=None):
    """JAX's jax.test_util.check_grads (HIPS autograd's check_grads, with the arguments given at once): f's
    derivatives at args, a tuple of f's arguments (each differentiated), up to order, against central differences.
    "rev" checks the Jacobian entry by entry (gradcheck) and each higher order the Jacobian of the vjp with a fixed
    random cotangent; "fwd" checks jvp along a fixed random tangent against the directional difference, and each
    higher order the same of that jvp. Tolerances and eps default to gradcheck's. Returns None; a mismatch raises
    GradcheckError (an AssertionError, as JAX's) naming the order and mode.

    >>> import autograd_core as ag
    >>> from autograd_core.testing import check_grads
    >>> check_grads(lambda x, y: ag.tanh(x * y), (0.5, [2.0, 0.3]), order=2)
    """
    if not isinstance(args, (tuple, list)):
        raise TypeError(f"check_grads: args is the tuple of f's arguments, as JAX's, got {type(args).__name__}; "
                        f"write (x,) for one argument")
    if isinstance(order, bool) or not isinstance(order, (int, np.integer)) or order < 1:
        raise ValueError(f"check_grads: order must be an int >= 1 (the highest derivative checked), got {order!r}")
    modes = (modes,) if isinstance(modes, str) else tuple(modes)
    if not modes or any(mode not in ("fwd", "rev") for mode in modes):
        raise ValueError(f"check_grads: modes must hold 'fwd' and/or 'rev', got {modes!r}")
    settings = {"eps": 1e-6 if eps is None else eps, "atol": 1e-5 if atol is None else atol,
                "rtol": 1e-3 if rtol is None else rtol}
    values = [_float64(arg) for arg in args]
    rng = np.random.default_rng(_COTANGENT_SEED)
    for k in range(1, int(order) + 1):
        if "rev" in modes:
            _raising_order(k, "rev", lambda: gradcheck(f, *values, **settings))
        if "fwd" in modes:
            _raising_order(k, "fwd", lambda: _check_jvp(f, values, rng, **settings))
        if k < order:
            f = _next_derivative(f, values, rng, modes)


def _raising_order(k, mode, check):
    try:
        check()
    except GradcheckError as err:
        raise GradcheckError(f"check_grads: order {k}, mode {mode!r}: {err}") from None


def _check_jvp(f, values, rng, eps, atol, rtol):
    """jvp along a random tangent against (f(x + eps t) - f(x - eps t)) / 2 eps, each output element."""
    from ..transforms import jvp  # (the transforms import testing's siblings: imported on use)
    tangents = [rng.uniform(-1.0, 1.0, value.shape) for value in values]
    _, engine = jvp(f, tuple(Tensor(v) for v in values), tuple(Tensor(t) for t in tangents))
    ahead = f(*[Tensor(v + eps * t) for v, t in zip(values, tangents)])
    behind = f(*[Tensor(v - eps * t) for v, t in zip(values, tangents)])
    engine, ahead, behind = (flatten(x)[0] for x in (engine, ahead, behind))  # (f may return a tuple)
    for m, (e, a, b) in enumerate(zip(engine, ahead, behind)):
        e, numeric = np.asarray(as_value(e), np.float64), (_float64(a) - _float64(b)) / (2 * eps)
        bad = ~(np.abs(e - numeric) <= atol + rtol * np.abs(numeric))
        if bad.any():
            index = tuple(int(i) for i in np.unravel_index(np.argmax(bad), bad.shape))
            where = f"output {m} at index {index}" if len(engine) > 1 else f"output index {index}"
            raise GradcheckError(f"the jvp along a random tangent differs for {where}: engine {float(e[index])!r}, "
                                 f"finite differences {float(numeric[index])!r} (allowed |engine - numerical| <= "
                                 f"atol + rtol * |numerical| with atol={atol}, rtol={rtol})")


def _next_derivative(f, values, rng, modes):
    """The function whose derivatives are f's next order: its jvp along a fixed tangent ('fwd' alone), else its vjp
    with a fixed cotangent, summed over the arguments' gradients (one output)."""
    from ..transforms import jvp, vjp
    if modes == ("fwd",):
        tangents = tuple(Tensor(rng.uniform(-1.0, 1.0, value.shape)) for value in values)
        return lambda *xs: jvp(f, xs, tangents)[1]
    outputs, rebuild = flatten(f(*[Tensor(v) for v in values]))
    cotangent = rebuild([Tensor(_drawn_cotangent(rng, np.shape(as_value(out)))) for out in outputs])
    return lambda *xs: vjp(f, *xs)[1](cotangent)
