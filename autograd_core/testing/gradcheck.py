"""Gradient checking: the engine's derivatives against central finite differences in float64.

The inputs differentiated are the float ones: float Tensors, arrays and numbers, and lists
of numbers holding a float; each is cast to float64 before checking, so a check measures
the gradient rules, not float32 rounding. Other arguments reach f as they are: integers
and bools (numbers, arrays, Tensors, lists: an index, an axis, a count; PyTorch checks
only float tensors too, so pass whole-number points as floats, np.array([1., 2.])),
None, strings. A float setting (a slope) is differentiated too: close over it in f to
keep it constant. A list of float arrays of several shapes is refused: pass each array
as an input. A function with a non-scalar output (or a tuple or list of outputs, taken as one
flat vector) is checked through a fixed random projection: the checked scalar is
sum(f(*inputs) * v), where v is drawn from a normal distribution with a fixed seed (the
same v for the engine and for the finite differences), so every output element takes
part with a generic weight. f always receives Tensors that require grad, so it may
differentiate them itself (a gradient's own gradient).
"""
import numpy as np

from .._arguments import as_flag
from ..backprop import backprop
from ..grad_mode import enable_grad
from ..ops import concatenate, reshape
from ..tensor import Tensor, as_value, non_number

_SEED = 0  # the projections are fixed: a failing check fails the same way every time


class GradcheckError(AssertionError):
    """The engine's derivative of some input differs from the finite-difference estimate."""


def _float64(x):
    return np.array(as_value(x), dtype=np.float64)


def _differentiated(x, k, what):
    """Is x (input k) one the checks differentiate: a float Tensor, array or number, or a list or tuple of numbers
    holding a float? Integers are indices, axes or counts (as in PyTorch, where only float tensors are checked)."""
    if isinstance(x, (Tensor, np.ndarray, np.generic)):
        return np.result_type(as_value(x)).kind == "f"
    if isinstance(x, (list, tuple)):
        try:
            return np.asarray(x).dtype.kind == "f"
        except (ValueError, TypeError):  # ragged, or holding objects
            if _holds_float_arrays(x):  # their gradients would go unchecked: refused rather than passed
                raise TypeError(f"{what}: input {k} is a {type(x).__name__} holding float arrays of several "
                                f"shapes; pass each of them as an input of its own") from None
            return False
    return isinstance(x, float)


def _holds_float_arrays(seq):
    return any(_holds_float_arrays(x) if isinstance(x, (list, tuple)) else
               isinstance(x, (Tensor, np.ndarray, np.generic, float)) and np.result_type(as_value(x)).kind == "f"
               for x in seq)


def _on_float_inputs(f, inputs, what):
    """(g, values, positions): g(*values) calls f with the differentiated inputs replaced by g's arguments and
    the others as given, its output one flat Tensor when f returns a tuple or list; values are those inputs in
    float64, positions where they stand among f's arguments."""
    positions = [k for k, x in enumerate(inputs) if _differentiated(x, k, what)]
    if not positions:
        raise ValueError(f"{what}: no input to differentiate; pass float arrays or numbers (ints, integer arrays and "
                         f"other objects reach f as they are)")

    def g(*values):
        args = list(inputs)
        for k, value in zip(positions, values):
            args[k] = value
        out = f(*args)
        if isinstance(out, (tuple, list)):
            out = concatenate([reshape(o, -1) for o in out])
        return out

    return g, [_float64(inputs[k]) for k in positions], positions


def _leaves(values):
    return [Tensor(v, requires_grad=True) for v in values]


def _projection(shape, salt=0):
    """The fixed random cotangent for an output of the given shape."""
    return np.random.default_rng([_SEED, salt]).standard_normal(shape)


def _evaluate(f, values, cotangent):
    """sum(f(*values) * cotangent) as a Python float (the whole output when cotangent is None)."""
    with enable_grad():
        out = f(*_leaves(values))
    out = np.asarray(as_value(out))
    if out.dtype.kind not in "iuf":  # None, a string: NaN gradients, or NumPy's own error
        raise TypeError(f"numerical_grad: f must return numbers (a Tensor, an array or a number), got {out!r:.60}")
    out = out.astype(np.float64)
    if cotangent is None:
        if out.size != 1:
            raise ValueError(
                f"numerical_grad: f returned shape {out.shape}; f must return one element, "
                f"or pass cotangent= of the output's shape to differentiate sum(f * cotangent)"
            )
        return float(out.reshape(()))
    if out.shape != np.shape(cotangent):
        raise ValueError(f"numerical_grad: f returned shape {out.shape} but cotangent has shape {np.shape(cotangent)}")
    return float(np.sum(out * cotangent))


def _check_positive(what, allow_zero=False, **settings):
    """Each setting (eps, atol, rtol) a finite real number, > 0 (>= 0 with allow_zero)."""
    for name, value in settings.items():
        number = np.asarray(as_value(value))  # a number, or a 0-d array or Tensor of one
        real = number.ndim == 0 and number.dtype.kind in "iuf"
        if not real or not np.isfinite(number) or number < 0 or (number == 0 and not allow_zero):
            raise (ValueError if real else TypeError)(
                f"{what}: {name} must be a finite number {'>= 0' if allow_zero else '> 0'}, got {value!r}")


def numerical_grad(f, *inputs, eps=1e-6, cotangent=None):
    """Central-difference gradients of f at inputs, in float64: one ndarray per input.

    Each element of each input is moved by +eps and -eps and
    (f(x + eps) - f(x - eps)) / (2 eps) is recorded. f must return one element,
    unless cotangent (an array of the output's shape) is given: then the gradient
    of sum(f(*inputs) * cotangent) is returned. f receives float64 Tensors that
    require grad (so it may differentiate them itself); the inputs themselves are
    never modified.

    >>> import numpy as np, autograd_core as ag
    >>> from autograd_core.testing import numerical_grad
    >>> (g,) = numerical_grad(lambda x: (x ** 2).sum(), np.array([1.0, 3.0]))
    >>> np.round(g, 6)
    array([2., 6.])
    """
    _check_positive("numerical_grad", eps=eps)
    values = []
    for k, x in enumerate(inputs):
        value = np.asarray(as_value(x))
        if value.dtype.kind not in "biuf" and (value.dtype != object or non_number(value)):  # None would move as
            # NaN, text not at all (an object array of numbers, a Python int beyond int64, is taken)
            raise TypeError(f"numerical_grad: input {k} must be a number or an array of numbers, got {x!r:.60}")
        values.append(value.astype(np.float64))  # (a copy: it is moved in place)
    grads = []
    for value in values:
        grad = np.zeros_like(value)
        flat_value, flat_grad = value.reshape(-1), grad.reshape(-1)  # views: writes reach value and grad
        for k in range(flat_value.size):
            original = flat_value[k]
            flat_value[k] = original + eps
            plus = _evaluate(f, values, cotangent)
            flat_value[k] = original - eps
            minus = _evaluate(f, values, cotangent)
            flat_value[k] = original
            flat_grad[k] = (plus - minus) / (2 * eps)
        grads.append(grad)
    return grads


def _engine_grads(f, values, cotangent):
    """The engine's gradients of sum(f(*values) * cotangent), each as a float64 ndarray."""
    leaves = _leaves(values)
    with enable_grad():
        out = f(*leaves)
    if not isinstance(out, Tensor) or not out.requires_grad:  # f does not depend on its inputs
        return [np.zeros_like(v) for v in values]
    seed = None if cotangent is None else cotangent.astype(out.dtype)
    table = backprop(out, seed)
    grads = []
    for k, (leaf, value) in enumerate(zip(leaves, values)):
        grad = table.get(leaf)
        grad = np.zeros_like(value) if grad is None else np.asarray(grad.data, dtype=np.float64)
        if grad.shape != value.shape:
            raise GradcheckError(f"gradcheck: the engine's gradient for input {k} has shape {grad.shape}, "
                                 f"the input has shape {value.shape}")
        grads.append(grad)
    return grads


def _output_cotangent(f, values):
    with enable_grad():
        out = np.asarray(as_value(f(*_leaves(values))))
    return None if out.ndim == 0 else _projection(out.shape)


def _compare(analytic, numeric, atol, rtol, what, positions):
    for k, a, n in zip(positions, analytic, numeric):
        excess = np.abs(a - n) - (atol + rtol * np.abs(n))
        bad = ~(excess <= 0)  # NaN or Inf on either side is a mismatch too
        if bad.any():
            worst = np.unravel_index(np.argmax(np.where(bad, np.nan_to_num(excess, nan=np.inf), -np.inf)), a.shape)
            worst = tuple(int(i) for i in worst)
            raise GradcheckError(
                f"{what}: mismatch for input {k} (shape {a.shape}) at index {worst}: "
                f"engine {float(a[worst])!r}, finite differences {float(n[worst])!r} "
                f"(allowed |engine - numerical| <= atol + rtol * |numerical| with atol={atol}, rtol={rtol})"
            )


def gradcheck(f, *inputs, eps=1e-6, atol=1e-5, rtol=1e-3, raise_exception=True):
    """Check the engine's gradients of f at inputs against central differences in float64.

    Every float input is cast to float64 and differentiated; other arguments reach f as
    they are. A non-scalar output (or a tuple of outputs) is checked through a fixed
    random projection sum(f * v) (see the module docstring).
    Returns True when every element satisfies
    |engine - numerical| <= atol + rtol * |numerical|; otherwise raises
    GradcheckError naming the input, the worst index and both values (or returns
    False when raise_exception=False).

    >>> import autograd_core as ag
    >>> from autograd_core.testing import gradcheck
    >>> gradcheck(lambda x, y: ag.tanh(x * y), [0.5, -1.0], [2.0, 0.3])
    True
    """
    _check_positive("gradcheck", eps=eps)
    _check_positive("gradcheck", allow_zero=True, atol=atol, rtol=rtol)
    as_flag(raise_exception, "gradcheck", "raise_exception")
    f, values, positions = _on_float_inputs(f, inputs, "gradcheck")
    try:
        cotangent = _output_cotangent(f, values)
        analytic = _engine_grads(f, values, cotangent)
        numeric = numerical_grad(f, *values, eps=eps, cotangent=cotangent)
        _compare(analytic, numeric, atol, rtol, "gradcheck", positions)
    except GradcheckError:
        if raise_exception:
            raise
        return False
    return True


def _gradient_projection(f, cotangent, directions):
    """g(*xs) = sum_k sum(grad_k(sum(f(*xs) * v)) * u_k), its gradient taken with create_graph=True;
    v is cotangent (None for a scalar output) and u_k are the directions."""

    def g(*xs):
        with enable_grad():
            leaves = [x if isinstance(x, Tensor) and x.requires_grad else Tensor(as_value(x), requires_grad=True)
                      for x in xs]
            out = f(*leaves)
            if not isinstance(out, Tensor) or not out.requires_grad:
                return Tensor(0.0)
            seed = None if cotangent is None else Tensor(cotangent.astype(out.dtype))
            table = backprop(out, seed, create_graph=True)
            total = Tensor(0.0)
            for leaf, u in zip(leaves, directions):
                grad = table.get(leaf)
                if grad is not None:
                    total = total + (grad * u).sum()
            return total

    return g


def _compare_recorded_with_plain(f, g, values, cotangent, directions, atol, rtol):
    """The first derivative recorded with create_graph=True must equal the plain one (same projections)."""
    plain = _engine_grads(f, values, cotangent)
    expected = sum(float(np.sum(p * u)) for p, u in zip(plain, directions))
    recorded = float(np.asarray(as_value(g(*(Tensor(v) for v in values)))))
    if not abs(recorded - expected) <= atol + rtol * abs(expected):
        raise GradcheckError(
            f"gradgradcheck: the gradient recorded with create_graph=True differs from the plain gradient: "
            f"projected values {recorded!r} and {expected!r}"
        )


def gradgradcheck(f, *inputs, eps=1e-6, atol=1e-5, rtol=1e-3, raise_exception=True):
    """Check second derivatives: gradcheck of the engine's own gradient of f.

    With fixed random projections v (of the output) and u_k (of each input), the
    scalar g(x) = sum_k sum(grad_k(sum(f(x) * v)) * u_k) is built from the engine's
    gradient recorded with create_graph=True; its engine gradient (a Hessian-vector
    product) is compared with central differences of g, which only uses the engine's
    first derivatives. The recorded first derivative is also compared with the plain
    one (same projections). Arguments and result as in gradcheck.

    >>> import autograd_core as ag
    >>> from autograd_core.testing import gradgradcheck
    >>> gradgradcheck(lambda x: ag.sin(x) * x, [0.3, 1.2])
    True
    """
    _check_positive("gradgradcheck", eps=eps)
    _check_positive("gradgradcheck", allow_zero=True, atol=atol, rtol=rtol)
    as_flag(raise_exception, "gradgradcheck", "raise_exception")
    f, values, positions = _on_float_inputs(f, inputs, "gradgradcheck")
    try:
        cotangent = _output_cotangent(f, values)
        directions = [_projection(v.shape, salt=k + 1) for k, v in enumerate(values)]
        g = _gradient_projection(f, cotangent, directions)
        _compare_recorded_with_plain(f, g, values, cotangent, directions, atol, rtol)
        analytic = _engine_grads(g, values, None)
        numeric = numerical_grad(g, *values, eps=eps)
        _compare(analytic, numeric, atol, rtol, "gradgradcheck", positions)
    except GradcheckError:
        if raise_exception:
            raise
        return False
    return True
