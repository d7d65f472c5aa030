"""torch.autograd.gradcheck and gradgradcheck with PyTorch's whole signatures, over ag.testing's checks.

The Jacobian checks are ag.testing's (float64 central differences, entry by entry). PyTorch's further checks run
here, each on the float64 inputs as ag.testing's: reentrancy (two backward passes agree within nondet_tol, always,
as PyTorch's), the gradients' dtypes and shapes (check_grad_dtypes, at the inputs as given), batched gradients
through ag.vmap (check_batched_grad), forward mode (check_forward_ad: the Jacobian column by column through ag.jvp,
a Function's jvp staticmethod included, against central differences) and batched forward mode. gradgradcheck
checks the first derivative, with grad_outputs given or drawn, the same way (PyTorch's gradcheck of it):
check_rev_over_rev is ag.testing's gradgradcheck, check_fwd_over_rev forward mode through backward.

A failure is a GradcheckError in PyTorch's words ("Jacobian mismatch for output 0 with respect to input 0", "Backward
is not reentrant", "backward not multiplied by grad_output"); a check that cannot run (f's outputs changing shape or
dtype when an input moves by eps, no check asked for) a GradcheckArgumentError, a ValueError and the AssertionError
PyTorch asserts, raised whatever raise_exception. `from autograd_core.autograd.gradcheck import GradcheckError` works.
"""
import numpy as np

from ._arguments import as_flag
from .backprop import gradients_to
from .grad_mode import enable_grad
from .tensor import Tensor, as_value
from .testing.gradcheck import (_COTANGENT_SEED, GradcheckArgumentError, GradcheckError, _check_jacobians,
                                _check_positive, _differentiated, _drawn_cotangent, _engine_jacobians, _gradgradcheck,
                                _input_names, _leaves, _on_float_inputs)
from .testing.gradcheck import gradcheck as _gradcheck

__all__ = ["GradcheckArgumentError", "GradcheckError", "gradcheck", "gradgradcheck"]

_BATCH = 3  # cotangents (tangents) in the batched checks, as PyTorch's few


def _as_tuple(inputs, fast_mode, where):
    """PyTorch's inputs argument, a Tensor or a tuple or list of them (PyTorch's _as_tuple takes a list as the
    tuple: its own tests write gradcheck(fn, [x])), as the positional inputs of ag.testing's check."""
    as_flag(fast_mode, where, "fast_mode")
    inputs = tuple(inputs) if isinstance(inputs, (tuple, list)) else (inputs,)
    for k, x in enumerate(inputs):
        _differentiated(x, k, where)  # (refusing a list holding Tensors that require grad in this function's words)
    return inputs


def _flags(where, **flags):
    return {name: as_flag(value, where, name) for name, value in flags.items()}


def _require(where, condition, message):
    if not condition:  # (PyTorch asserts: a ValueError and an AssertionError here, naming the check)
        raise GradcheckArgumentError(f"{where}: {message}")


def gradcheck(func, inputs, *, eps=1e-6, atol=1e-5, rtol=1e-3, raise_exception=True, nondet_tol=0.0,
              check_undefined_grad=True, check_grad_dtypes=False, check_batched_grad=False,
              check_batched_forward_grad=False, check_forward_ad=False, check_backward_ad=True, fast_mode=False,
              masked=None):
    """torch.autograd.gradcheck: func's derivatives at inputs (a Tensor or a tuple or list of them) against central
    differences in float64; True when they agree, else GradcheckError (False with raise_exception=False).

    check_backward_ad (default): the Jacobian by backward passes, entry by entry (ag.testing.gradcheck), zero output
    gradients giving zero input gradients (PyTorch's "backward multiplies by grad_output", whatever
    check_undefined_grad: an undefined gradient is a zero one here), and two backward passes equal within nondet_tol
    (PyTorch's reentrancy). check_grad_dtypes: each gradient has its input's dtype and shape, at the inputs as given
    (the engine casts each gradient to its input's dtype, so this holds here by construction; checked as PyTorch's).
    check_batched_grad: backward under ag.vmap with a batch of cotangents equals it one by one (ag.vmap is a loop:
    this catches what breaks under it, such as a random draw in backward). check_forward_ad: the Jacobian column
    by column by forward mode (ag.jvp, a Function's jvp), and with check_batched_forward_grad under ag.vmap too.
    fast_mode is taken; the check is always the full one, as PyTorch's fast_mode=False. masked concerns sparse
    inputs, which the check does not take: it is accepted (None or a flag) and changes nothing for dense ones.

    >>> import autograd_core as ag
    >>> x = ag.tensor([0.5, 1.5], requires_grad=True)
    >>> ag.autograd.gradcheck(lambda x, y: x * y.exp(), (x, ag.tensor(0.3, requires_grad=True)))
    True
    >>> ag.autograd.gradcheck(ag.sin, x, check_forward_ad=True, check_batched_grad=True)
    True
    """
    where = "autograd.gradcheck"
    inputs = _as_tuple(inputs, fast_mode, where)
    flags = _flags(where, check_undefined_grad=check_undefined_grad, check_grad_dtypes=check_grad_dtypes,
                   check_batched_grad=check_batched_grad, check_batched_forward_grad=check_batched_forward_grad,
                   check_forward_ad=check_forward_ad, check_backward_ad=check_backward_ad)
    as_flag(masked, where, "masked", none=True)
    _require(where, flags["check_forward_ad"] or flags["check_backward_ad"],
             "Expected at least one of check_forward_ad or check_backward_ad to be True")
    _require(where, flags["check_backward_ad"] or not flags["check_batched_grad"],
             "check_batched_grad=True requires check_backward_ad=True")
    _require(where, flags["check_forward_ad"] or not flags["check_batched_forward_grad"],
             "check_batched_forward_grad=True requires check_forward_ad=True")
    _check_positive(where, allow_zero=True, nondet_tol=nondet_tol)
    try:
        if flags["check_backward_ad"]:
            _gradcheck(func, *inputs, eps=eps, atol=atol, rtol=rtol, raise_exception=True,
                       zero_output_gradient=True)
        _further_checks(where, func, inputs, eps, atol, rtol, nondet_tol, backward=flags["check_backward_ad"],
                        grad_dtypes=flags["check_grad_dtypes"], batched=flags["check_batched_grad"],
                        forward=flags["check_forward_ad"], batched_forward=flags["check_batched_forward_grad"])
    except GradcheckError:
        if raise_exception:
            raise
        return False
    return True


def gradgradcheck(func, inputs, grad_outputs=None, *, eps=1e-6, atol=1e-5, rtol=1e-3,
                  gen_non_contig_grad_outputs=False, raise_exception=True, nondet_tol=0.0, check_undefined_grad=True,
                  check_grad_dtypes=False, check_batched_grad=False, check_fwd_over_rev=False,
                  check_rev_over_rev=True, fast_mode=False, masked=False):
    """torch.autograd.gradgradcheck: func's second derivatives at inputs (a Tensor or a tuple or list of them),
    the first derivative with grad_outputs (one per output; None: drawn at random, as PyTorch's) checked as gradcheck
    checks func. check_rev_over_rev (default): ag.testing.gradgradcheck (its Jacobian in the inputs and in the
    grad_outputs, entry by entry), the reentrancy of its backward within nondet_tol, and check_grad_dtypes and
    check_batched_grad as gradcheck's; check_fwd_over_rev: its Jacobian by forward mode through backward.
    check_undefined_grad, fast_mode and masked as in gradcheck; gen_non_contig_grad_outputs is taken and changes
    nothing (the check reads float64 copies, and NumPy's rules take any memory layout).

    >>> import autograd_core as ag
    >>> ag.autograd.gradgradcheck(lambda x: x.sin() * x, ag.tensor([0.3, 1.2], requires_grad=True))
    True
    >>> ag.autograd.gradgradcheck(ag.exp, ag.tensor([0.3], requires_grad=True), ag.tensor([2.0]),
    ...                           check_fwd_over_rev=True)
    True
    """
    where = "autograd.gradgradcheck"
    inputs = _as_tuple(inputs, fast_mode, where)
    flags = _flags(where, gen_non_contig_grad_outputs=gen_non_contig_grad_outputs,
                   check_undefined_grad=check_undefined_grad, check_grad_dtypes=check_grad_dtypes,
                   check_batched_grad=check_batched_grad, check_fwd_over_rev=check_fwd_over_rev,
                   check_rev_over_rev=check_rev_over_rev)
    as_flag(masked, where, "masked", none=True)
    rev = flags["check_rev_over_rev"]
    _require(where, flags["check_fwd_over_rev"] or rev,
             "Expected at least one of check_fwd_over_rev or check_rev_over_rev to be True")
    _require(where, rev or not flags["check_undefined_grad"], "check_undefined_grad=True requires "
             "check_rev_over_rev=True (pass check_undefined_grad=False)")
    _require(where, rev or not flags["check_batched_grad"], "check_batched_grad=True requires check_rev_over_rev=True")
    _check_positive(where, allow_zero=True, nondet_tol=nondet_tol)
    cotangents = _cotangents(func, inputs, grad_outputs, where)
    try:
        if rev:
            _gradgradcheck(func, inputs, eps, atol, rtol, True, cotangents=cotangents)
        first_derivative = _first_derivative(func, len(inputs))
        _further_checks(where, first_derivative, inputs + tuple(Tensor(c, requires_grad=True) for c in cotangents),
                        eps, atol, rtol, nondet_tol, backward=rev, grad_dtypes=flags["check_grad_dtypes"],
                        batched=flags["check_batched_grad"], forward=flags["check_fwd_over_rev"],
                        batched_forward=False)
    except GradcheckError:
        if raise_exception:
            raise
        return False
    return True


def _cotangents(func, inputs, grad_outputs, where):
    """grad_outputs as float64 arrays, one per output of func; None: drawn at random (each entry of either sign,
    away from 0, where it would hide a term)."""
    outputs = _outputs(func(*inputs))
    shapes = [np.shape(as_value(out)) for out in outputs]
    if grad_outputs is None:
        rng = np.random.default_rng(_COTANGENT_SEED)
        return [_drawn_cotangent(rng, shape) for shape in shapes]
    grad_outputs = list(grad_outputs) if isinstance(grad_outputs, (tuple, list)) else [grad_outputs]
    if len(grad_outputs) != len(outputs):
        raise ValueError(f"{where}: grad_outputs has {len(grad_outputs)} entries for {len(outputs)} outputs of func; "
                         f"give one per output, of its shape")
    return [np.array(as_value(g), dtype=np.float64) for g in grad_outputs]


def _outputs(out):
    return list(out) if isinstance(out, (tuple, list)) else [out]


def _first_derivative(func, count):
    """PyTorch's gradgradcheck function: (inputs..., cotangents...) -> the gradients of func's outputs, weighted by
    the cotangents, with respect to the inputs that require grad (zeros for one unused), recorded."""
    def first_derivative(*args):
        xs, vs = args[:count], args[count:]
        with enable_grad():
            outputs = _outputs(func(*xs))
            leaves = [x for x in xs if isinstance(x, Tensor) and x.requires_grad]
            totals = [x * 0 for x in leaves]
            for out, v in zip(outputs, vs):
                if isinstance(out, Tensor) and out.requires_grad:
                    grads = gradients_to(out, leaves, v, retain_graph=True, create_graph=True, where="gradgradcheck")
                    totals = [t if g is None else t + g for t, g in zip(totals, grads)]
        return tuple(totals)
    return first_derivative


def _further_checks(where, func, inputs, eps, atol, rtol, nondet_tol, backward, grad_dtypes, batched, forward,
                    batched_forward):
    """PyTorch's checks beyond ag.testing's Jacobians, each raising GradcheckError."""
    if grad_dtypes:
        _check_grad_dtypes(where, func, inputs)
    g, values, positions = _on_float_inputs(func, inputs, where)
    named = _input_names(positions)  # (torch's numbering: among the inputs differentiated)
    names = [name for name, _ in named]
    if backward:
        _check_reentrant(where, g, values, names, nondet_tol)
    if batched:
        _check_batched(where, g, values, names, atol, rtol, forward=False)
    if forward:
        _check_jacobians(f"{where} (forward mode, check_forward_ad)", g, values, named, eps, atol, rtol,
                         engine=_forward_jacobians(g, values), mode=" computed with forward mode")
    if batched_forward:
        _check_batched(where, g, values, names, atol, rtol, forward=True)


def _check_grad_dtypes(where, func, inputs):
    """Each input's gradient (of every output, weighted by ones) has that input's dtype and shape."""
    leaves = [x for x in inputs if isinstance(x, Tensor) and x.requires_grad]
    with enable_grad():
        outputs = [out for out in _outputs(func(*inputs)) if isinstance(out, Tensor) and out.requires_grad]
    if not outputs or not leaves:
        return
    seeds = tuple(np.ones(out.shape, out.dtype) for out in outputs)
    for k, (x, grad) in enumerate(zip(leaves, gradients_to(tuple(outputs), leaves, seeds, where=where))):
        if grad is not None and (grad.dtype != x.dtype or grad.shape != x.shape):
            raise GradcheckError(f"{where}: the gradient of input {k} has dtype {grad.dtype} and shape "
                                 f"{grad.shape}, but the input {x.dtype} and {x.shape} (check_grad_dtypes)")


def _check_reentrant(where, g, values, names, nondet_tol):
    """PyTorch's reentrancy: the Jacobian by backward passes, computed twice, the same within nondet_tol."""
    leaves = _leaves(values)
    with enable_grad():
        outputs = g(*leaves)
    first, second = (_engine_jacobians(outputs, leaves, where) for _ in range(2))
    for name, a, b in zip(names, first, second):
        difference = np.abs(a - b)
        if not (difference <= nondet_tol).all():
            raise GradcheckError(f"{where}: Backward is not reentrant: running it twice with the same inputs and "
                                 f"output gradients gave {name} gradients differing by {float(np.nanmax(difference))!r}"
                                 f" (nondet_tol={nondet_tol}; pass a larger nondet_tol for a nondeterministic "
                                 f"backward)")


def _check_batched(where, g, values, names, atol, rtol, forward):
    """Backward (forward) mode under ag.vmap with a batch of random cotangents (tangents) against one by one."""
    from .transforms import jvp
    from .vmap import vmap
    leaves = _leaves(values)
    with enable_grad():
        outputs = [out for out in g(*leaves) if isinstance(out, Tensor) and out.requires_grad]
    if not outputs:
        return
    rng = np.random.default_rng(_COTANGENT_SEED)
    if forward:
        batches = [Tensor(rng.uniform(-1.0, 1.0, (_BATCH,) + v.shape)) for v in values]

        def one(*tangents):
            return jvp(lambda *xs: tuple(g(*xs)), tuple(Tensor(v) for v in values), tangents)[1]
        mode = "forward-mode derivatives (check_batched_forward_grad)"
    else:
        batches = [Tensor(rng.uniform(-1.0, 1.0, (_BATCH,) + out.shape)) for out in outputs]

        def one(*cotangents):
            grads = gradients_to(tuple(outputs), leaves, cotangents, retain_graph=True, where=where)
            return tuple(Tensor(np.zeros(x.shape)) if grad is None else grad for x, grad in zip(leaves, grads))
        mode = "gradients (check_batched_grad)"
    try:
        batched = vmap(one)(*batches)
    except Exception as err:  # as PyTorch's: whatever fails under vmap fails the check, named
        raise GradcheckError(f"{where}: while computing batched {mode} under ag.vmap, got {type(err).__name__}: "
                             f"{err}") from err
    names = names if not forward else [f"output {m}" for m in range(len(batched))]
    for i in range(_BATCH):
        expected = one(*(b[i] for b in batches))
        for name, got, want in zip(names, batched, expected):
            got, want = np.asarray(as_value(got[i]), np.float64), np.asarray(as_value(want), np.float64)
            if not np.allclose(got, want, rtol=rtol, atol=atol):
                raise GradcheckError(f"{where}: batched {mode} differ from one by one for {name} at batch entry "
                                     f"{i}: {got} under vmap, {want} alone")


def _forward_jacobians(g, values):
    """The engine of _check_jacobians in forward mode: the Jacobian column by column by ag.jvp with one-hot
    tangents."""
    from .transforms import jvp

    def engine(outputs, leaves, what):
        size = sum(int(np.prod(np.shape(as_value(out)))) for out in outputs)
        primals = tuple(Tensor(v) for v in values)
        jacobians = []
        for k, value in enumerate(values):
            jacobian = np.zeros((size, value.size))
            for column in range(value.size):
                tangents = [np.zeros(v.shape) for v in values]
                tangents[k].reshape(-1)[column] = 1
                _, out_tangents = jvp(lambda *xs: tuple(_as_tensor(out) for out in g(*xs)), primals,
                                      tuple(Tensor(t) for t in tangents))
                jacobian[:, column] = np.concatenate([np.zeros(0)] + [np.asarray(as_value(t), np.float64).reshape(-1)
                                                                      for t in out_tangents])
            jacobians.append(jacobian)
        return jacobians
    return engine


def _as_tensor(out):
    return out if isinstance(out, Tensor) else Tensor(np.asarray(as_value(out), dtype=np.float64))
