"""torch.func's transforms under its names and conventions, for ported code (`from torch.func import grad, vmap`,
`torch.func.jacrev(f, argnums=(0, 1))` with `import autograd_core as torch`): grad, grad_and_value, vjp, jvp,
jacrev, jacfwd, hessian, vmap, linearize, functionalize, debug_unwrap and rearrange. The engine's transforms
(ag.grad, ag.value_and_grad, ...) are JAX's; where torch.func's conventions differ these are thin adapters over
them: grad and grad_and_value require a 0-d output, grad_and_value returns (gradient, value), the reverse of
value_and_grad's order, vjp, jvp, jacrev, jacfwd and linearize take only an f returning Tensors (the engine's also
take numbers and arrays as constants), has_aux's aux holds only Tensors, jacrev's chunk_size and jvp's strict are
taken, and jacfwd's randomness='error' refuses random operations in f, as vmap's (hessian's too, as torch's jacfwd
of jacrev does). A bad argument raises an error that is both the engine's TypeError or ValueError and torch.func's
RuntimeError.

torch.func's module helpers (functional_call, stack_module_state, replace_all_batch_norm_modules_) are nn's:
nn.func holds these transforms and those (the engine does not import nn).
"""
import functools

import numpy as np

from ._arguments import as_flag, is_int
from .backprop import topological_order
from .pytree import flatten, flatten_up_to, is_container
from .tensor import Tensor
from .transforms import TransformTypeError, TransformValueError, _function, _output_and_aux, _value_and_grad
from .transforms import jvp as _jvp, vjp as _vjp
from .transforms import grad as _grad
from .transforms_jacobian import hessian as _hessian, jacfwd as _jacfwd, jacrev as _jacrev
from .vmap import refusing_draws, vmap

__all__ = ["debug_unwrap", "functionalize", "grad", "grad_and_value", "hessian", "jacfwd", "jacrev", "jvp",
           "linearize", "rearrange", "vjp", "vmap"]

# torch.func's names that are nn's here: the error names the way
_NN_NAMES = ("functional_call", "stack_module_state", "replace_all_batch_norm_modules_")


def __getattr__(name):
    if name in _NN_NAMES:
        raise AttributeError(f"autograd_core.func has no {name}: torch.func.{name} is nn.func.{name} here (import nn; "
                             f"nn.func holds every torch.func name, the engine's transforms too)")
    raise AttributeError(f"module 'autograd_core.func' has no attribute {name!r}")


def _checked_result(func, name, has_aux, arguments, scalar=False, outputs=False, strict=False):
    """func (checked callable, for the transform name), its result checked as torch.func checks it (the engine's
    transforms take more, as JAX's): with has_aux the aux holds only Tensors; scalar (grad's), the output is 0-d;
    outputs (vjp's, jvp's, jacrev's), the output is a Tensor or a non-empty structure of Tensors only (not a number,
    an array or None, which the engine takes as constants), each depending on the arguments with strict (jvp's). The
    errors name the call as torch's do, name + arguments: "grad(f)(*args)", "vjp(f, *primals)", ..."""
    f, call = _function(func, name), name + arguments

    @functools.wraps(f)
    def checked(*args, **kwargs):
        result = f(*args, **kwargs)
        out, aux = _output_and_aux(result, name) if has_aux else (result, None)
        if has_aux:
            for leaf in _leaves(aux):
                if leaf is not None and not isinstance(leaf, Tensor):
                    raise TransformTypeError(f"{call}: Expected tensors, got unsupported type "
                                             f"{type(leaf).__name__} in the aux output of f (with has_aux=True f "
                                             f"returns (output, aux), aux a Tensor or a structure of Tensors)")
        if scalar and isinstance(out, Tensor) and out.ndim != 0:
            raise TransformTypeError(f"{call}: Expected f(*args) to return a scalar Tensor, got tensor with "
                                     f"{out.ndim} dims (shape {out.shape}). Maybe you wanted to use the vjp or jacrev "
                                     f"APIs instead? (or reduce it, out.sum())")
        if outputs:
            leaves = [leaf for leaf in _leaves(out) if leaf is not None]
            if not leaves:
                raise TransformValueError(f"{call}: Expected f to be a function that has non-empty output (got "
                                          f"{out!r}); return a Tensor or a tuple, list or dict of them")
            for leaf in leaves:
                if not isinstance(leaf, Tensor):
                    raise TransformTypeError(f"{call}: expected f(*primals) to return only tensors, got unsupported "
                                             f"type {type(leaf).__name__} ({leaf!r}); make a constant output a "
                                             f"Tensor, ag.tensor(value)")
            if strict:
                primals = {id(leaf) for leaf in _leaves(args) if isinstance(leaf, Tensor)}
                if not all(any(id(node) in primals for node in topological_order(leaf)) for leaf in leaves):
                    raise RuntimeError(f"{call.removesuffix(')')}, strict=True): The output of f is independent "
                                       f"of the inputs. This is not allowed with strict=True.")
        return result

    return checked


def _leaves(tree):
    return flatten(tree)[0] if is_container(tree) else [tree]


def grad_and_value(func, argnums=0, has_aux=False):
    """torch.func.grad_and_value: a function returning (gradient, value) of scalar (0-d) func with respect to
    args[argnums] (a tuple of gradients for a tuple argnums), the reverse of ag.value_and_grad's order; with
    has_aux=True func returns (output, aux) and the function (gradient, (output, aux)).

    >>> import autograd_core as ag
    >>> ag.func.grad_and_value(lambda x: x ** 2)(ag.tensor(3.0))
    (Tensor(6.), Tensor(9.))
    """
    return _grad_and_value(func, argnums, has_aux, "grad_and_value")


def _grad_and_value(func, argnums, has_aux, name):
    """grad_and_value, its errors naming the transform called (grad or grad_and_value)."""
    has_aux = as_flag(has_aux, name, "has_aux")
    checked = _checked_result(func, name, has_aux, "(f)(*args)", scalar=True)
    value_and_grad_f = _value_and_grad(checked, argnums, has_aux, name)

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        value, gradient = value_and_grad_f(*args, **kwargs)
        return gradient, value

    return wrapper


def grad(func, argnums=0, has_aux=False):
    """torch.func.grad: a function returning the gradient of scalar (0-d) func with respect to args[argnums] (a tuple
    of gradients for a tuple argnums, a dict for a dict of parameters); with has_aux=True func returns
    (output, aux) and the function (gradient, aux). Per-sample gradients: vmap(grad(loss), in_dims=(None, 0, 0)).

    >>> import autograd_core as ag
    >>> ag.func.grad(lambda x, y: (x * y).sum(), argnums=(0, 1))(ag.tensor([1.0, 2.0]), ag.tensor([3.0, 4.0]))
    (Tensor([3., 4.]), Tensor([1., 2.]))
    """
    return _grad(_checked_result(func, "grad", has_aux, "(f)(*args)", scalar=True), argnums, has_aux)


def jacrev(func, argnums=0, *, has_aux=False, chunk_size=None):
    """torch.func.jacrev: ag.jacrev (one Jacobian per argnum, of shape output.shape + input.shape; (Jacobian, aux)
    with has_aux). chunk_size (None or a positive int, how many rows torch's vmap computes at once) is checked and
    does not change the result: the rows here are one backward pass each.

    >>> import autograd_core as ag
    >>> ag.func.jacrev(lambda x, y: x * y, argnums=(0, 1))(ag.tensor([1.0, 2.0]), ag.tensor([3.0, 4.0]))[1]
    Tensor([[1., 0.],
            [0., 2.]])
    """
    _check_chunk_size(chunk_size, "jacrev")
    return _jacrev(_checked_result(func, "jacrev", has_aux, "(f)(*args)", outputs=True), argnums,
                   has_aux=has_aux)


def jacfwd(func, argnums=0, has_aux=False, *, randomness="error"):
    """torch.func.jacfwd: ag.jacfwd, the same Jacobian as jacrev (computed in reverse mode here). randomness
    ('error', 'different' or 'same'): 'error', the default, refuses a random operation in func, as torch's; func
    runs once, so with 'different' or 'same' its random draws are one draw either way.

    >>> import autograd_core as ag
    >>> ag.func.jacfwd(lambda x: x.sin())(ag.tensor([0.0]))
    Tensor([[1.]])
    """
    if randomness not in ("error", "different", "same"):
        raise RuntimeError(f"jacfwd: Only allowed values for randomness are 'error', 'different', or 'same'. Got "
                           f"{randomness!r}")
    checked = _checked_result(func, "jacfwd", has_aux, "(f)(*args)", outputs=True)
    return _jacfwd(refusing_draws(checked, "jacfwd") if randomness == "error" else checked, argnums, has_aux=has_aux)


def hessian(func, argnums=0):
    """torch.func.hessian: ag.hessian (the Jacobian of the Jacobian), refusing a random operation in func as torch's
    does (its jacfwd's randomness='error'; ag.hessian, jax.hessian's, takes them).

    >>> import autograd_core as ag
    >>> ag.func.hessian(lambda x: (x ** 3).sum())(ag.tensor([1.0, 2.0]))
    Tensor([[ 6.,  0.],
            [ 0., 12.]])
    """
    return _hessian(refusing_draws(func, "hessian"), argnums)


def vjp(func, *primals, has_aux=False):
    """torch.func.vjp: (func(*primals), vjp_fn), vjp_fn(cotangent) giving a tuple of one gradient per primal, and aux
    third with has_aux=True. func returns a Tensor or a non-empty structure of Tensors (the cotangent then of that
    structure), its aux only Tensors, as torch's checks.

    >>> import autograd_core as ag
    >>> out, vjp_fn = ag.func.vjp(lambda x: x ** 2, ag.tensor([1.0, 2.0]))
    >>> vjp_fn(ag.tensor([1.0, 1.0]))
    (Tensor([2., 4.]),)
    """
    has_aux = as_flag(has_aux, "vjp", "has_aux")
    checked = _checked_result(func, "vjp", has_aux, "(f, *primals)", outputs=True)
    return _vjp(checked, *primals, has_aux=has_aux)


def jvp(func, primals, tangents, *, strict=False, has_aux=False):
    """torch.func.jvp: (func(*primals), J @ tangents), and aux third with has_aux=True; primals and tangents are
    tuples, one entry per argument of func. strict=True raises when an output does not depend on the primals (its
    tangent would be zeros), as torch's.

    >>> import autograd_core as ag
    >>> ag.func.jvp(lambda x: x ** 2, (ag.tensor([1.0, 2.0]),), (ag.tensor([1.0, 1.0]),))
    (Tensor([1., 4.]), Tensor([2., 4.]))
    """
    func = _checked_result(func, "jvp", has_aux, "(f, primals, tangents)", outputs=True,
                           strict=as_flag(strict, "jvp", "strict"))
    _check_primals_and_tangents(primals, tangents)
    return _jvp(func, primals, tangents, has_aux=has_aux)


def _check_primals_and_tangents(primals, tangents):
    """torch.func.jvp's checks, stricter than the engine's (which takes lists and numbers as JAX's): primals a tuple,
    tangents of its structure, and their leaves Tensors, at least one. NumPy arrays pass as Tensors: an ag.Function's
    forward gets its inputs as arrays, and may take a jvp of them (PyTorch's gets Tensors)."""
    call = "jvp(f, primals, tangents)"
    if not isinstance(primals, tuple):
        raise TransformTypeError(f"{call}: Expected primals to be a tuple (one entry per argument of f, so that "
                                 f"f(*primals) is valid), got {type(primals).__name__}")
    try:
        tangent_leaves = flatten_up_to(primals, tangents, root="tangents")
    except ValueError as error:
        raise TransformValueError(f"{call}: Expected primals and tangents to have the same python structure: "
                                  f"{error}") from None
    leaves = _leaves(primals) + tangent_leaves
    if not leaves:
        raise TransformValueError(f"{call}: Expected primals and tangents to contain at least one Tensor")
    for leaf in leaves:
        if not isinstance(leaf, (Tensor, np.ndarray)):
            raise TransformTypeError(f"{call}: Expected primals and tangents to only contain Tensors, got a "
                                     f"{type(leaf).__name__} ({leaf!r}); make it a Tensor, ag.tensor(value)")


def linearize(func, *primals):
    """torch.func.linearize: (func(*primals), jvp_fn), jvp_fn(*tangents) giving J @ tangents at the primals (one
    tangent per primal, of its shape). jvp_fn evaluates func again at the primals (torch's keeps the linearised
    graph instead): the values are the same.

    >>> import autograd_core as ag
    >>> out, jvp_fn = ag.func.linearize(lambda x: x ** 2, ag.tensor([1.0, 2.0]))
    >>> jvp_fn(ag.tensor([1.0, 0.0]))
    Tensor([2., 0.])
    """
    func = _checked_result(func, "linearize", False, "(f, *primals)", outputs=True)
    output = func(*primals)

    def jvp_fn(*tangents):
        if len(tangents) != len(primals):
            raise RuntimeError(f"linearize: jvp_fn expected {len(primals)} tangent(s), one per primal, got "
                               f"{len(tangents)}")
        return _jvp(func, primals, tangents)[1]

    return output, jvp_fn


def functionalize(func, *, remove="mutations"):
    """torch.func.functionalize: func itself, as a function. torch's removes in-place operations (and with
    remove='mutations_and_views' views) for its compilers; here eager in-place changes are recorded as PyTorch's
    eager mode records them, so func's values and gradients are already those of the functionalised program.

    >>> import autograd_core as ag
    >>> def f(x):
    ...     y = x.clone()
    ...     y.add_(1.0)
    ...     return y
    >>> ag.func.functionalize(f)(ag.tensor([1.0]))
    Tensor([2.])
    """
    if remove not in ("mutations", "mutations_and_views"):
        raise RuntimeError(f"functionalize(f, remove='mutations'): received invalid argument for remove={remove!r}; "
                           f"valid options are 'mutations' and 'mutations_and_views'")
    _function(func, "functionalize")

    @functools.wraps(func)
    def functionalized(*args, **kwargs):
        return func(*args, **kwargs)

    return functionalized


def debug_unwrap(tensor, *, recurse=True):
    """torch.func.debug_unwrap: the Tensor itself (torch's unwraps a functorch wrapper seen inside a transform; here a
    transform's values are plain Tensors already).

    >>> import autograd_core as ag
    >>> ag.func.debug_unwrap(ag.tensor([1.0]))
    Tensor([1.])
    """
    as_flag(recurse, "debug_unwrap", "recurse")
    return tensor


def rearrange(tensor, pattern, **axes_lengths):
    """torch.func.rearrange: einops.rearrange's pattern on a Tensor (or a list or tuple of them, stacked first),
    recorded as the operations it stands for. It needs the einops package (an optional extra); the example is
    autograd_core.einops_backend.rearrange's, which this calls."""
    try:
        from .einops_backend import rearrange as einops_rearrange
    except ImportError:
        raise ImportError("rearrange needs the einops package (pip install einops), or write the reshape and "
                          "permute its pattern stands for") from None
    return einops_rearrange(tensor, pattern, **axes_lengths)


def _check_chunk_size(chunk_size, name):
    if chunk_size is not None and not (is_int(chunk_size) and chunk_size > 0):
        raise ValueError(f"{name}: chunk_size should be a positive int or None, got {chunk_size!r}")
