"""Function transforms in the style of HIPS autograd and JAX: grad, value_and_grad, elementwise_grad,
jacobian (and JAX's names for it, jacrev and jacfwd), hessian, vjp, jvp. They accept floats, ndarrays or Tensors
and nest freely.

grad, value_and_grad, elementwise_grad, jacobian (jacrev, jacfwd) and vjp also take structured arguments, pytrees
as JAX's and torch.func's: a tuple, list, dict, namedtuple, OrderedDict or defaultdict of arrays, any depth (a dict
of parameters). Each leaf is differentiated, and the result for that argument has its structure: ag.grad(loss)(
params) gives a dict of gradients with params' keys, ag.jacobian the Jacobian of f's output for each leaf (as
jax.jacrev). A list or tuple of numbers only (of such lists, any depth) is one array, as np.asarray reads it:
ag.grad(f)([1.0, 2.0]) differentiates an array of two; one holding an array, a Tensor, a dict or None is a
structure. A None leaf stays None (its gradient is None); an integer, boolean or text leaf is an error naming its
path (params['b']), as JAX refuses one: pass what is not differentiated as an argument outside argnums. f's output
is one Tensor (has_aux's aux may be any structure). hessian, jvp, hvp and vhp take arrays only.

Each argument being differentiated (each leaf) enters f as a fresh node. When f's graph reaches
Tensors that require grad from outside (an enclosing transform, or closed-over
parameters), the backward pass is recorded so the result stays differentiable.
"""
import functools
import inspect
import math

import numpy as np

from ._arguments import as_flag
from .backprop import _seed, gradients_to, topological_order
from .grad_mode import enable_grad, is_grad_enabled
from .ops.reductions import sum as _sum
from .ops.shape import concatenate
from .primitive import Primitive, refuse_held_graph
from .pytree import flatten, is_container, leaf_paths, tree_map
from .registries import TensorWeakSet
from .tensor import Tensor, as_value

# A node standing for an argument: identity forward, identity gradient. Its rule reads nothing, but it declares that
# it reads its input: its value is the caller's own array, so this check is what refuses a backward through a
# transform's result after the caller changed that array in place (the rules inside read the node's value).
_argument = Primitive("argument", lambda x: x, (lambda g, ans, x: g,))


def _is_array_literal(x):
    """A list or tuple of numbers (or of such lists, any depth; an empty one too): one array, as np.asarray reads
    it, not a structure of leaves. A list holding an array, a Tensor, a dict or None is a structure."""
    return type(x) in (list, tuple) and all(isinstance(e, (int, float, complex, np.generic)) or _is_array_literal(e)
                                            for e in x)


def _is_structure(x):
    return is_container(x) and not _is_array_literal(x)


def _refuse_structure(x, name):
    """For the transforms taking arrays only (hessian, jvp, hvp, vhp): a TypeError for a structured argument."""
    if _is_structure(x):
        raise TypeError(f"{name}: cannot differentiate with respect to a {type(x).__name__}; {name} takes arrays (a "
                        f"float, an ndarray or a Tensor): pass each as an argument of its own (argnums=(0, 1, ...)); "
                        f"grad, value_and_grad, jacobian and vjp take tuples, lists and dicts of them")


def _leaf_path(f, argument, position, k):
    """The path of the k-th leaf of f's argument at position, as "params['b']" (f's parameter name, else args[n])."""
    try:
        names = [p.name for p in inspect.signature(f).parameters.values()
                 if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    except (TypeError, ValueError):  # (a builtin without a signature)
        names = []
    root = names[position] if position < len(names) else f"args[{position}]"
    return leaf_paths(argument, root, _is_array_literal)[k]


def _as_argument(x, name, where=None):
    """A fresh node for x: an argument to differentiate or, where given (a function giving its path), a leaf of one."""
    if isinstance(x, Tensor) and x.requires_grad:
        return _argument(x)  # stays connected to the caller's graph
    try:
        value = np.asarray(as_value(x))
    except ValueError:  # NumPy's inhomogeneous-shape error
        raise TypeError(f"{name}: {'an argument to differentiate' if where is None else where()} is a ragged "
                        f"{type(x).__name__} of numbers (its rows have different lengths), which is no array; give "
                        f"an array of one shape, or a list of arrays (a structure: one gradient per array)") from None
    if value.dtype.kind not in "biufc":  # None, text, an object: no array of numbers
        if where is None:
            raise TypeError(f"{name}: cannot differentiate with respect to a {type(x).__name__}; an argument to "
                            f"differentiate must be a float, an ndarray or a Tensor, or a tuple, list or dict of them; "
                            f"pass other values as arguments of f outside argnums")
        raise TypeError(f"{name}: cannot differentiate with respect to {where()} (a {type(x).__name__}); the leaves of "
                        f"an argument to differentiate must be floats, ndarrays or Tensors (or None, whose gradient is "
                        f"None): pass other values as an argument of f outside argnums")
    if value.dtype.kind != "f":
        if where is not None:  # (even a Python int: in a dict of parameters it is a setting, as JAX reads it)
            raise TypeError(f"{name}: cannot differentiate with respect to {where()} (type {type(x).__name__}, dtype "
                            f"{value.dtype}, shape {value.shape}); requesting gradients on an integer or boolean leaf "
                            f"is an error, as in JAX: give floats (2.0, np.asarray(x, dtype=float)), or pass what is "
                            f"not differentiated as an argument of f outside argnums")
        if type(x) is not int:  # a Python int such as grad(f)(3) is taken as the number it is
            raise TypeError(f"{name}: cannot differentiate with respect to an argument of dtype {value.dtype} (shape "
                            f"{value.shape}); requesting gradients on an integer or boolean array is an error, as in "
                            f"JAX and PyTorch: give floats (np.asarray(x, dtype=float))")
        value = value.astype(np.float64)
    return Tensor(value, requires_grad=True)


def _requires_grad(x):
    return isinstance(x, Tensor) and x.requires_grad


def _recorded_for_caller(x):
    """Whether x (a seed, a tangent) requires grad and the caller records: under the caller's no_grad a transform
    records nothing for it, as torch.func's transforms (they run f with grad enabled whatever the caller's mode)."""
    return is_grad_enabled() and _requires_grad(x)


def _function(f, name):
    if not callable(f):
        raise TypeError(f"{name}: f must be a function, got {f!r}")
    return f


def _argnums_tuple(argnums, name):
    """argnums as a tuple of ints: an int, or a tuple or list of them (negative ones count from the end)."""
    nums = tuple(argnums) if isinstance(argnums, (tuple, list)) else (argnums,)
    if not nums or not all(isinstance(n, (int, np.integer)) and not isinstance(n, bool) for n in nums):
        hint = ""
        if isinstance(argnums, (float, np.ndarray, np.floating, Tensor)):  # torch.autograd.functional's inputs
            hint = (f"; the inputs go to the function ag.{name}(f) returns, ag.{name}(f)(x), as in JAX and torch.func "
                    f"(torch.autograd.functional takes f and the inputs at once"
                    f"{f', as ag.autograd.functional.{name} does' if name in ('jacobian', 'hessian') else ''})")
        raise TypeError(f"{name}: argnums must be an int or a non-empty tuple of ints, got {argnums!r}{hint}")
    return tuple(int(n) for n in nums)


def _call(f, args, kwargs, argnums, name, has_aux=False, structured=False):
    """f(*args) with the arguments at argnums replaced by fresh nodes; structured: an argument may be a structure
    (a tuple, list or dict of arrays, see the module), each of its leaves a node. Returns (out, nodes, aux, regroup):
    aux None unless has_aux (f returning the pair (out, aux)); regroup(results), of one result per node, gives one
    per argument at argnums, in its structure (None for a None leaf)."""
    args = list(args)
    for n in argnums:
        if not -len(args) <= n < len(args):
            raise TypeError(f"{name}: argnums={n} but the function was called with {len(args)} positional "
                            f"argument(s); argnums must be in [-{len(args)}, {len(args)})")
    positions = [n % len(args) for n in argnums]  # (as torch.func, argnums=-1 is the last argument)
    if len(set(positions)) != len(positions):  # the second node would take the first's place, which got no gradient
        raise ValueError(f"{name}: argnums {tuple(argnums)} names an argument twice; each may be differentiated once")
    nodes, layout = [], []  # layout: per argument, None (an array) or (unflatten, which leaves are None)
    with enable_grad():
        for n in positions:
            if not _is_structure(args[n]):
                nodes.append(_as_argument(args[n], name))
                args[n] = nodes[-1]
                layout.append(None)
                continue
            if not structured:
                _refuse_structure(args[n], name)
            leaves, unflatten = flatten(args[n], _is_array_literal)
            leaf_nodes = [None if leaf is None else
                          _as_argument(leaf, name, functools.partial(_leaf_path, f, args[n], n, k))
                          for k, leaf in enumerate(leaves)]
            nodes += [node for node in leaf_nodes if node is not None]
            args[n] = unflatten(leaf_nodes)
            layout.append((unflatten, [node is None for node in leaf_nodes]))
        out = f(*args, **kwargs)

    def regroup(results):
        results = iter(results)
        return [next(results) if entry is None else entry[0]([None if none else next(results) for none in entry[1]])
                for entry in layout]

    if has_aux:
        if not (isinstance(out, tuple) and len(out) == 2):
            raise TypeError(f"{name}: with has_aux=True f must return a pair (output, aux), got "
                            f"{type(out).__name__}{f' of length {len(out)}' if isinstance(out, tuple) else ''}")
        out, aux = out
        return _checked_output(out, name, "; the aux part goes second"), nodes, aux, regroup
    hint = " (with has_aux=True, f may return (output, aux))" if name in ("grad", "value_and_grad") else ""
    return _checked_output(out, name, hint), nodes, None, regroup


def _checked_output(out, name, hint):
    if not isinstance(out, Tensor):
        # A number or an array does not depend on the arguments; anything else, a tuple such as (loss, aux)
        # above all, would be made a constant by Tensor(out) and differentiated as zero.
        if not isinstance(out, (int, float, np.ndarray, np.generic)):
            raise TypeError(f"{name}: f must return one Tensor (or a number or an array), got a {type(out).__name__}; "
                            f"return only the output to differentiate (ag.stack or ag.concatenate join several){hint}")
        out = Tensor(out)
    if out.dtype.kind != "f":
        raise TypeError(f"{name}: f must return floats, got dtype {out.dtype}: an integer or boolean result (argmax, a "
                        f"count) has no derivative")
    return out


def _aux_result(aux, nodes):
    """has_aux's aux as returned to the caller: each of its Tensors (in tuples, lists, dicts, namedtuples,
    OrderedDicts and defaultdicts too, as torch.func's pytrees) treated as the primal is, cut from the transform's
    graph unless an enclosing transform still needs it."""
    return tree_map(lambda a: _primal(a, _needs_graph(a, nodes)) if isinstance(a, Tensor) else a, aux)


# The argument leaves of transforms that have returned. A nested transform's recorded gradient
# may still reach them, but nothing differentiates with respect to them any more.
_finished = TensorWeakSet()


def _finish(nodes):
    for node in nodes:
        _finished.add(node)


def _needs_graph(out, nodes):
    """True when out depends on Tensors that require grad other than the fresh argument nodes
    (and other than those of transforms that have returned), and the caller records (not under its no_grad).
    A node whose graph an earlier backward freed counts too: what it came from is out of sight, as torch.func's."""
    if not (out.requires_grad and is_grad_enabled()):
        return False
    own = {id(n) for n in nodes}
    return any((node._op is None or node._inputs is None) and id(node) not in own and node not in _finished
               for node in topological_order(out))


def _primal(out, nested):
    """f's value as returned to the caller: cut from the transform's own graph, unless an
    enclosing transform (or a closed-over Tensor that requires grad) still needs it (nested)."""
    return out if nested else out.detach()


def _cut_inside(results, nodes):
    """The results of a recorded pass (a nested one's) that depend on no Tensor outside the transform, only on its
    own arguments, cut from its graph as the primal is: they require grad only where torch.func's results would,
    so a backward through one raises instead of silently reaching no Tensor."""
    return [r if r is None or not r.requires_grad or _needs_graph(r, nodes) else r.detach() for r in results]


def _gradients(out, nodes, nested, seed=None, retain=False, where="backward"):
    """d(out)/d(node) for each node (zeros where out does not depend on it); nested: _needs_graph(out, nodes).
    where: the transform a bad seed's error names."""
    if not out.requires_grad:
        if seed is not None:  # a bad cotangent is refused whether or not out depends on the arguments (as JAX's)
            _seed(out, seed, where)
        return [Tensor(np.zeros_like(n.data)) for n in nodes]
    grads = gradients_to(out, nodes, seed, retain_graph=retain or nested, create_graph=nested, where=where)
    return [Tensor(np.zeros_like(n.data)) if g is None else g for g, n in zip(grads, nodes)]


def value_and_grad(f, argnums=0, has_aux=False):
    """Return a function computing (f(*args), gradient of f with respect to args[argnums]), the gradient in that
    argument's structure (a tuple, list or dict of arrays gives one of gradients, see the module). With
    has_aux=True, as in JAX, f returns (output, aux) and the function ((output, aux), gradient): aux
    (losses' parts, predictions) comes back undifferentiated.

    >>> import autograd_core as ag
    >>> value, slope = ag.value_and_grad(lambda x: x ** 2)(3.0)
    >>> float(value), float(slope)
    (9.0, 6.0)
    >>> (value, aux), slope = ag.value_and_grad(lambda x: (x ** 2, {"x": x}), has_aux=True)(3.0)
    >>> float(slope), aux
    (6.0, {'x': Tensor(3.)})
    """
    return _value_and_grad(f, argnums, has_aux, "value_and_grad")


def _value_and_grad(f, argnums, has_aux, name):
    """value_and_grad, its errors naming the transform called (grad or value_and_grad)."""
    nums = _argnums_tuple(argnums, name)
    has_aux = as_flag(has_aux, name, "has_aux")
    _function(f, name)

    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        out, nodes, aux, regroup = _call(f, args, kwargs, nums, name, has_aux, structured=True)
        if out.size != 1:
            raise TypeError(f"{name}: f must return a scalar (one element), got shape {out.shape}; use jacobian or "
                            f"vjp")
        nested = _needs_graph(out, nodes)
        value = _primal(out, nested)
        if has_aux:
            value = value, _aux_result(aux, nodes)
        grads = _gradients(out, nodes, nested)
        if nested:
            grads = _cut_inside(grads, nodes)
        _finish(nodes)
        grads = regroup(grads)
        return value, (grads[0] if not isinstance(argnums, (tuple, list)) else tuple(grads))

    return wrapper


def grad(f, argnums=0, has_aux=False):
    """Return a function computing the gradient of scalar f with respect to args[argnums], in that argument's
    structure (a dict of arrays gives a dict of gradients, see the module). With has_aux=True, as in JAX, f returns
    (output, aux) and the function (gradient, aux).

    >>> import autograd_core as ag
    >>> d2 = ag.grad(ag.grad(lambda x: x ** 3))
    >>> float(d2(2.0))
    12.0
    >>> ag.grad(lambda params: params["w"] * params["b"] ** 2)({"w": 3.0, "b": 2.0})
    {'w': Tensor(4.), 'b': Tensor(12.)}
    """
    value_and_grad_f = _value_and_grad(f, argnums, has_aux, "grad")  # (which checks has_aux is a flag)

    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        value, gradient = value_and_grad_f(*args, **kwargs)
        return (gradient, value[1]) if has_aux else gradient

    return wrapper


def elementwise_grad(f, argnums=0):
    """HIPS autograd's elementwise_grad: the gradient of f's outputs summed, of the argument's shape (and
    structure). For an f acting elementwise (tanh of an array) it is each output's derivative at its own input, so
    curves of derivatives come from one call, and nest: elementwise_grad(elementwise_grad(f)) gives the second.

    >>> import numpy as np, autograd_core as ag
    >>> ag.elementwise_grad(lambda x: x ** 3)(np.array([1.0, 2.0]))
    Tensor([ 3., 12.])
    """
    _function(f, "elementwise_grad")

    def total(*args, **kwargs):
        return _sum(f(*args, **kwargs))

    value_and_grad_f = _value_and_grad(functools.wraps(f)(total), argnums, False, "elementwise_grad")

    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        return value_and_grad_f(*args, **kwargs)[1]

    return wrapper


def _jacobians(out, nodes):
    """The Jacobian of out with respect to each node: one backward pass per output element, for all
    nodes at once (so each argument counts as inside the transform, and no graph is recorded for it)."""
    from .ops import reshape, stack

    rows = [[] for _ in nodes]
    nested = _needs_graph(out, nodes)
    flat = out.size
    for k in range(flat):
        seed = np.zeros(flat, dtype=out.dtype)
        seed[k] = 1
        for node_rows, row in zip(rows, _gradients(out, nodes, nested, seed.reshape(out.shape), retain=True)):
            node_rows.append(row)
    return [reshape(stack(node_rows), out.shape + node.shape) if node_rows
            else _zero_jacobian(out, node) for node_rows, node in zip(rows, nodes)]


def _zero_jacobian(out, node):
    """The Jacobian of an output that does not depend on node: zeros in node's dtype, as a gradient's (and
    torch.func.jacrev's)."""
    return Tensor(np.zeros(out.shape + node.shape, dtype=node.dtype))


def jacobian(f, argnums=0):
    """Return a function computing the Jacobian of f, of shape out.shape + input.shape; for a structured argument
    (a dict of arrays), one such Jacobian per leaf in its structure, as jax.jacrev.

    >>> import numpy as np, autograd_core as ag
    >>> ag.jacobian(lambda x: x * 2)(np.ones(2))
    Tensor([[2., 0.],
            [0., 2.]])
    """
    return _jacobian(f, argnums, "jacobian")


def jacrev(f, argnums=0):
    """JAX's jacrev: ag.jacobian, its errors naming jacrev.

    >>> import numpy as np, autograd_core as ag
    >>> ag.jacrev(lambda x: x ** 2)(np.array([1.0, 2.0]))
    Tensor([[2., 0.],
            [0., 4.]])
    """
    return _jacobian(f, argnums, "jacrev")


def jacfwd(f, argnums=0):
    """JAX's jacfwd, for code ported from it (hessian = jacfwd(jacrev(f))): the same Jacobian as ag.jacobian,
    also computed in reverse mode (one backward pass per output element; jvp here is itself a transposed vjp),
    so it is JAX's value, not JAX's cost for a tall Jacobian.

    >>> import numpy as np, autograd_core as ag
    >>> ag.jacfwd(ag.jacrev(lambda x: (x ** 3).sum()))(np.array([1.0, 2.0]))
    Tensor([[ 6.,  0.],
            [ 0., 12.]])
    """
    return _jacobian(f, argnums, "jacfwd")


def _jacobian(f, argnums, name):
    """jacobian, its errors naming the transform called (jacobian or hessian)."""
    nums = _argnums_tuple(argnums, name)
    _function(f, name)

    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        out, nodes, _, regroup = _call(f, args, kwargs, nums, name, structured=name != "hessian")
        if not out.requires_grad:
            jacs = [_zero_jacobian(out, n) for n in nodes]
        else:
            jacs = _cut_inside(_jacobians(out, nodes), nodes)
        _finish(nodes)
        jacs = regroup(jacs)
        return jacs[0] if not isinstance(argnums, (tuple, list)) else tuple(jacs)

    return wrapper


def hessian(f, argnums=0):
    """Return a function computing the Hessian of f, the Jacobian of its Jacobian: of shape
    out.shape + input.shape + input.shape (for scalar f, the Jacobian of its gradient), as in JAX.

    >>> import numpy as np, autograd_core as ag
    >>> A = np.array([[1.0, 2.0], [0.0, 3.0]])
    >>> ag.hessian(lambda x: x @ A @ x)(np.ones(2))
    Tensor([[2., 2.],
            [2., 6.]])
    """
    _function(f, "hessian")
    if not isinstance(argnums, (tuple, list)):
        return _jacobian(_jacobian(f, argnums, "hessian"), argnums, "hessian")
    nums = _argnums_tuple(argnums, "hessian")

    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        # The inner Jacobians' blocks flattened into one vector, so that one outer Jacobian gives every block (a
        # row of blocks at a time ran the inner Jacobians once per argument); then cut back into blocks.
        # The join promotes a float32 argument's gradient to float64 beside a float64 one: each row of blocks gets
        # its inner Jacobian's dtype back (argument i's for block [i][j]), as torch.func.hessian's and jax.hessian's
        # (jacfwd of jacrev) do.
        shapes, dtypes = [], []

        def joined(*a):
            jacs = _jacobian(f, nums, "hessian")(*a, **kwargs)
            shapes[:], dtypes[:] = [j.shape for j in jacs], [j.dtype for j in jacs]
            return concatenate([j.reshape(-1) for j in jacs])

        outer = _jacobian(joined, nums, "hessian")(*args)
        ends = np.cumsum([math.prod(shape) for shape in shapes])
        return tuple(tuple(_as_dtype(column[end - math.prod(shape):end].reshape(shape + column.shape[1:]), dtype)
                           for column in outer) for shape, dtype, end in zip(shapes, dtypes, ends))

    return wrapper


def _as_dtype(block, dtype):
    return block if block.dtype == dtype else block.astype(dtype)


def vjp(f, *primals):
    """Evaluate f(*primals) and return (out, vjp_fn); vjp_fn(cotangent) gives one gradient per primal, in its
    structure (a dict of arrays gives a dict of gradients). The cotangent has out's shape (f returns one Tensor).

    >>> import numpy as np, autograd_core as ag
    >>> out, vjp_fn = ag.vjp(lambda x: x * 3, np.ones(2))
    >>> vjp_fn(np.array([1.0, 2.0]))
    (Tensor([3., 6.]),)
    """
    out, nodes, _, regroup = _call(_function(f, "vjp"), primals, {}, tuple(range(len(primals))), "vjp",
                                   structured=True)
    nested = _needs_graph(out, nodes)

    def vjp_fn(cotangent):
        if cotangent is None:  # (which the pass would read as no seed given)
            raise TypeError("vjp: the cotangent must be a Tensor, an array or a number of the output's shape "
                            f"{out.shape}, got None")
        refuse_held_graph(cotangent, "vjp", "the cotangent is a", "join them with ag.stack first")
        _shape_of(cotangent, "vjp", "the cotangent")  # (a ragged list: named, not NumPy's bare error)
        # A cotangent that requires grad (an enclosing transform's) needs the pass recorded too.
        recorded = nested and is_grad_enabled() or _recorded_for_caller(cotangent)  # (the grad mode of this call)
        grads = _gradients(out, nodes, recorded, cotangent, retain=True, where="vjp")
        return tuple(regroup(_cut_inside(grads, nodes) if recorded else grads))

    _finish(nodes)
    return _primal(out, nested), vjp_fn


def _shape_of(value, name, what):
    """value's shape, or a ValueError naming name and what for a ragged list (NumPy's bare inhomogeneous-shape one)."""
    try:
        return np.shape(as_value(value))
    except ValueError:
        raise ValueError(f"{name}: {what} is a ragged sequence (its rows have different lengths), so it has no "
                         f"shape; give an array or Tensor of floats") from None


def checked_tangents(primals, tangents, name, as_in):
    """primals and tangents as tuples, one tangent per primal, of its shape and of floats (jvp's, hvp's, vhp's)."""
    primals, tangents = tuple(primals), tuple(tangents)
    if len(primals) != len(tangents):
        raise ValueError(f"{name}: got {len(primals)} primals but {len(tangents)} tangents; give one tangent per "
                         f"primal")
    for k, (p, t) in enumerate(zip(primals, tangents)):
        _refuse_structure(p, name)
        arrays = (Tensor, np.ndarray, np.generic, int, float, list, tuple)
        if not isinstance(t, arrays) and isinstance(p, arrays):  # None, a dict, text: their np.shape is (), so they
            # would be refused as of the wrong shape (a primal that is no array has its own error, first)
            what = "None" if t is None else f"a {type(t).__name__}"
            raise TypeError(f"{name}: tangent {k} is {what}; give a Tensor, an array or a number of its primal's "
                            f"shape {_shape_of(p, name, f'primal {k}')}")
        refuse_held_graph(t, name, f"tangent {k} is a", "join them with ag.stack first")
        p_shape, t_shape = _shape_of(p, name, f"primal {k}"), _shape_of(t, name, f"tangent {k}")
        if p_shape != t_shape:
            raise ValueError(f"{name}: tangent {k} has shape {t_shape}, its primal {p_shape}; they must be equal")
        dtype = np.asarray(as_value(t)).dtype
        # (a Python int is the number it is, as for the primals; a non-float primal's own error comes first)
        if dtype.kind != "f" and type(t) is not int and (np.asarray(as_value(p)).dtype.kind == "f" or type(p) is int):
            raise TypeError(f"{name}: tangent {k} has dtype {dtype} (shape {t_shape}); a tangent is a direction to "
                            f"differentiate along and must be floats, {as_in} (np.asarray(t, dtype=float))")
    return primals, tangents


def jvp(f, primals, tangents):
    """Forward-mode product: (f(*primals), J @ tangents), by transposing a vjp (the double-vjp trick).

    >>> import numpy as np, autograd_core as ag
    >>> out, tangent = ag.jvp(lambda x: x ** 2, (np.array([1.0, 2.0]),), (np.array([1.0, 1.0]),))
    >>> tangent
    Tensor([2., 4.])
    """
    if not isinstance(primals, (tuple, list)) or not isinstance(tangents, (tuple, list)):
        raise TypeError(f"jvp: primals and tangents must be tuples or lists (one entry per argument of f), got "
                        f"{type(primals).__name__} and {type(tangents).__name__}; e.g. ag.jvp(f, (x,), (v,))")
    primals, tangents = checked_tangents(primals, tangents, "jvp", "as in torch.func.jvp and JAX")
    if not primals:  # (as torch.func.jvp's; the tangent would be a zero that no argument's direction gave)
        raise ValueError("jvp: no primals given; give at least one argument of f to differentiate, e.g. "
                         "ag.jvp(f, (x,), (v,))")
    out, nodes, _, _ = _call(_function(f, "jvp"), primals, {}, tuple(range(len(primals))), "jvp")
    if not out.requires_grad:
        return out, Tensor(np.zeros(out.shape, dtype=out.dtype))
    nested = _needs_graph(out, nodes)
    value = _primal(out, nested)
    nested = nested or any(_recorded_for_caller(t) for t in tangents)  # tangents from an enclosing transform
    with enable_grad():
        dummy = Tensor(np.zeros(out.shape, dtype=out.dtype), requires_grad=True)
        total = None
        for g, t in zip(gradients_to(out, nodes, dummy, retain_graph=True, create_graph=True), tangents):
            if g is not None:
                term = (g * (t if _requires_grad(t) else as_value(t))).sum()
                total = term if total is None else total + term
    if total is None or not total.requires_grad:
        return value, Tensor(np.zeros(out.shape, dtype=out.dtype))
    (tangent,) = gradients_to(total, [dummy], retain_graph=nested, create_graph=nested)
    if nested:
        (tangent,) = _cut_inside([tangent], nodes + [dummy])
    _finish(nodes + [dummy])
    return value, tangent if tangent is not None else Tensor(np.zeros(out.shape, dtype=out.dtype))
