"""Function transforms in the style of HIPS autograd and JAX: grad, value_and_grad, elementwise_grad,
jacobian (and JAX's names for it, jacrev and jacfwd), hessian, vjp, jvp. They accept floats, ndarrays or Tensors
and nest freely. The Jacobian ones are in transforms_jacobian.py (still importable from here), hvp and vhp in
transforms_hessian.py; this module holds the others and the helpers they share.

Every transform also takes structured arguments, pytrees as JAX's and torch.func's: a tuple, list, dict,
namedtuple, OrderedDict or defaultdict of arrays, any depth (a dict of parameters). Each leaf is differentiated, and
the result for that argument has its structure: ag.grad(loss)(params) gives a dict of gradients with params' keys,
ag.jacobian the Jacobian of f's output for each leaf (as jax.jacrev), ag.hessian(f)(params)[k1][k2] the block
d2f/dk1 dk2 (as jax.hessian); jvp's, hvp's and vhp's tangents have their primals' structure. A list or tuple of
numbers only (of such lists, any depth) is one array, as np.asarray reads it: ag.grad(f)([1.0, 2.0]) differentiates
an array of two; one holding an array, a Tensor, a dict or None is a structure. A None leaf stays None (its gradient
is None); an integer, boolean or text leaf is an error naming its path (params['b']), as JAX refuses one: pass what
is not differentiated as an argument outside argnums. f may return a structure of Tensors for jacobian (whose result
then has the output's structure outside, the argument's inside, as jax.jacrev's), vjp (whose cotangent has the
output's structure) and jvp: it is joined into one flat Tensor to differentiate (_Output). grad's f returns one
Tensor (has_aux's aux may be any structure; jacobian, jacrev, jacfwd, vjp and jvp take has_aux too).

Each argument being differentiated (each leaf) enters f as a fresh node. When f's graph reaches
Tensors that require grad from outside (an enclosing transform, or closed-over
parameters), the backward pass is recorded so the result stays differentiable.
"""
import functools
import inspect

import numpy as np

from ._arguments import InvalidArgumentError, RuntimeTypeError, as_flag
from .backprop import _seed, gradients_to, topological_order
from .grad_mode import enable_grad, is_grad_enabled
from .ops.reductions import sum as _sum
from .ops.shape import concatenate
from .primitive import Primitive, refuse_held_graph
from .pytree import flatten, flatten_up_to, is_container, leaf_paths, tree_map
from .registries import TensorWeakSet
from .tensor import Tensor, as_value


class TransformTypeError(RuntimeTypeError):
    """A transform's argument or f's result of the wrong kind: Python's TypeError, and the RuntimeError torch.func
    raises for it, so that code ported from either catches it."""


class TransformValueError(InvalidArgumentError):
    """A transform's argument of the wrong value, shape or structure: Python's ValueError, and torch.func's
    RuntimeError, so that code ported from either catches it."""


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
        what = "an argument to differentiate" if where is None else where()
        raise TransformTypeError(f"{name}: {what} is a ragged {type(x).__name__} of numbers (its rows have different "
                                 "lengths), which is no array; give an array of one shape, or a list of arrays (a "
                                 "structure: one gradient per array)") from None
    if value.dtype.kind not in "biufc":  # None, text, an object: no array of numbers
        if where is None:
            raise TransformTypeError(f"{name}: cannot differentiate with respect to a {type(x).__name__}; an "
                                     "argument to differentiate must be a float, an ndarray or a Tensor, or a "
                                     "tuple, list or dict of them; pass other values as arguments of f outside "
                                     "argnums")
        raise TransformTypeError(f"{name}: cannot differentiate with respect to {where()} (a {type(x).__name__}); "
                                 "the leaves of an argument to differentiate must be floats, ndarrays or Tensors "
                                 "(or None, whose gradient is None): pass other values as an argument of f outside "
                                 "argnums")
    if value.dtype.kind != "f":
        if where is not None:  # (even a Python int: in a dict of parameters it is a setting, as JAX reads it)
            raise TransformTypeError(f"{name}: cannot differentiate with respect to {where()} (type "
                                     f"{type(x).__name__}, dtype {value.dtype}, shape {value.shape}); requesting "
                                     "gradients on an integer or boolean leaf is an error, as in JAX: give floats "
                                     "(2.0, np.asarray(x, dtype=float)), or pass what is not differentiated as an "
                                     "argument of f outside argnums")
        if type(x) is not int:  # a Python int such as grad(f)(3) is taken as the number it is
            raise TransformTypeError(f"{name}: cannot differentiate with respect to an argument of dtype "
                                     f"{value.dtype} (shape {value.shape}); requesting gradients on an integer or "
                                     "boolean array is an error, as in JAX and PyTorch: give floats (np.asarray(x, "
                                     "dtype=float))")
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
        raise TransformTypeError(f"{name}: f must be a function, got {f!r}")
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
        raise TransformTypeError(f"{name}: argnums must be an int or a non-empty tuple of ints, got {argnums!r}{hint}")
    return tuple(int(n) for n in nums)


def _call(f, args, kwargs, argnums, name, has_aux=False, outputs=False):
    """f(*args) with the arguments at argnums replaced by fresh nodes, a structured one (a tuple, list or dict of
    arrays, see the module) by one node per leaf. Returns (out, nodes, aux, regroup): out the Tensor f returns, or
    with outputs (jacobian, vjp, jvp) an _Output, f's output a Tensor or a structure of them; aux None unless has_aux
    (f returning the pair (out, aux)); regroup(results), of one result per node, gives one per argument at argnums,
    in its structure (None for a None leaf)."""
    args = list(args)
    for n in argnums:
        if not -len(args) <= n < len(args):
            raise TransformTypeError(f"{name}: argnums={n} but the function was called with {len(args)} positional "
                                     f"argument(s); argnums must be in [-{len(args)}, {len(args)})")
    positions = [n % len(args) for n in argnums]  # (as torch.func, argnums=-1 is the last argument)
    if len(set(positions)) != len(positions):  # the second node would take the first's place, which got no gradient
        raise TransformValueError(f"{name}: argnums {tuple(argnums)} names an argument twice; each may be "
                                  "differentiated once")
    nodes, layout = [], []  # layout: per argument, None (an array) or (unflatten, which leaves are None)
    with enable_grad():
        for n in positions:
            if not _is_structure(args[n]):
                nodes.append(_as_argument(args[n], name))
                args[n] = nodes[-1]
                layout.append(None)
                continue
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

    aux = None
    if has_aux:
        out, aux = _output_and_aux(out, name)
    if outputs:
        return _Output(out, name), nodes, aux, regroup
    if has_aux:
        return _checked_output(out, name, "; the aux part goes second"), nodes, aux, regroup
    hint = " (with has_aux=True, f may return (output, aux))" if name in ("grad", "value_and_grad") else ""
    return _checked_output(out, name, hint), nodes, None, regroup


def _output_and_aux(out, name):
    """The pair (output, aux) that f returns under has_aux=True, checked."""
    if not (isinstance(out, tuple) and len(out) == 2):
        length = f" of length {len(out)}" if isinstance(out, tuple) else ""
        raise TransformTypeError(f"{name}: with has_aux=True f must return a pair (output, aux), got "
                                 f"{type(out).__name__}{length}")
    return out


def _checked_output(out, name, hint, path=None):
    """f's output as a Tensor of floats; path given (jacobian's, vjp's, jvp's), the leaf at output{path} of the
    output, which may be a structure."""
    where = f" at output{path}" if path else ""
    if not isinstance(out, Tensor):
        # A number or an array does not depend on the arguments; anything else, a tuple such as (loss, aux)
        # above all, would be made a constant by Tensor(out) and differentiated as zero.
        if not isinstance(out, (int, float, np.ndarray, np.generic)):
            if path is not None:
                raise TransformTypeError(f"{name}: f must return a Tensor (or a number or an array), or a tuple, "
                                         f"list or dict of them, got a {type(out).__name__}{where}")
            raise TransformTypeError(f"{name}: f must return one Tensor (or a number or an array), got a "
                                     f"{type(out).__name__}; return only the output to differentiate (ag.stack or "
                                     f"ag.concatenate join several){hint}")
        out = Tensor(out)
    if out.dtype.kind != "f":
        raise TransformTypeError(f"{name}: f must return floats, got dtype {out.dtype}{where}: an integer or boolean "
                                 "result (argmax, a count) has no derivative")
    return out


class _Output:
    """f's output as jacobian, vjp and jvp differentiate it: one Tensor, or a structure of them (a tuple, list or dict,
    as jax.jacrev, jax.vjp and jax.jvp take) joined into one flat Tensor, `joined`, whose results pieces() cuts back
    into one per leaf (a structure of one Tensor is not joined: joined is that Tensor)."""

    def __init__(self, out, name):
        self.single = not is_container(out)
        if self.single:  # (at once: no walk for the common case)
            self.joined = self.tree = _checked_output(out, name, "", "")
            self.leaves, self.paths, self.unflatten = [self.joined], [""], lambda leaves: leaves[0]
            return
        leaves, self.unflatten = flatten(out)  # (a tuple of numbers too: constants, as JAX's; () is no output)
        self.paths = leaf_paths(out, "")
        self.leaves = [_checked_output(leaf, name, "", path) for leaf, path in zip(leaves, self.paths)]
        self.tree = self.unflatten(self.leaves)
        if len(self.leaves) == 1:
            self.joined = self.leaves[0]
        elif not self.leaves:
            self.joined = Tensor(np.zeros(0))
        else:
            with enable_grad():  # (recorded, as f was, whatever the caller's grad mode)
                self.joined = concatenate([leaf.reshape(-1) for leaf in self.leaves])

    def pieces(self, result, trailing=(), output_dtypes=False):
        """result, of shape joined.shape + trailing, as one piece per leaf of shape leaf.shape + trailing; with
        output_dtypes in the leaf's dtype (a forward-mode result's, jvp's: the join promotes float32 beside float64)."""
        if len(self.leaves) == 1:
            pieces = [result]
        else:
            ends = np.cumsum([leaf.size for leaf in self.leaves], dtype=int)
            pieces = [result[end - leaf.size:end].reshape(leaf.shape + trailing)
                      for leaf, end in zip(self.leaves, ends)]
        return [_as_dtype(p, leaf.dtype) for p, leaf in zip(pieces, self.leaves)] if output_dtypes else pieces

    def returned(self, nodes, nested):
        """The output as returned to the caller, its Tensors cut from the transform's graph unless needed (nested:
        _needs_graph(joined, nodes))."""
        return _primal(self.joined, nested) if self.single else _returned(self.tree, nodes)

    def seed(self, cotangent, name):
        """A cotangent of the output's structure (each leaf of its leaf's shape) as the joined Tensor's seed."""
        try:
            parts = [cotangent] if self.single else flatten_up_to(self.tree, cotangent, root="the cotangent")
        except ValueError as error:
            raise TransformValueError(f"{name}: {error}; the cotangent must have f's output's structure") from None
        for part, leaf, path in zip(parts, self.leaves, self.paths):
            if part is None:  # (which the pass would read as no seed given)
                raise TransformTypeError(f"{name}: the cotangent{path} must be a Tensor, an array or a number of the "
                                         f"output{path}'s shape {leaf.shape}, got None")
            refuse_held_graph(part, name, f"the cotangent{path} is a", "join them with ag.stack first")
            _shape_of(part, name, f"the cotangent{path}")  # (a ragged list: named, not NumPy's bare error)
        if self.single:  # (the pass checks it as the output's seed)
            return cotangent
        seeds = [_seed(leaf, part, name, f"the output{path}")
                 for part, leaf, path in zip(parts, self.leaves, self.paths)]
        if len(seeds) == 1:
            return seeds[0]
        with enable_grad():
            return concatenate([s.reshape(-1) for s in seeds]) if seeds else np.zeros(0)


def _returned(tree, nodes):
    """f's output or has_aux's aux as returned to the caller: each of its Tensors (in tuples, lists, dicts,
    namedtuples, OrderedDicts and defaultdicts too, as torch.func's pytrees) cut from the transform's graph unless an
    enclosing transform still needs it, as the primal is."""
    return tree_map(lambda a: _primal(a, _needs_graph(a, nodes)) if isinstance(a, Tensor) else a, tree)


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
        out, nodes, aux, regroup = _call(f, args, kwargs, nums, name, has_aux)
        if out.size != 1:
            raise TransformTypeError(f"{name}: f must return a scalar (one element), got shape {out.shape}; use "
                                     "jacobian or vjp")
        nested = _needs_graph(out, nodes)
        value = _primal(out, nested)
        if has_aux:
            value = value, _returned(aux, nodes)
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


def stop_gradient(x):
    """JAX's lax.stop_gradient: x with every Tensor in it detached (the same values, no gradient flows back through
    them); x may be a pytree, and arrays and numbers pass unchanged (t.detach() alone needs a Tensor). The TD(0)
    target of JAX's advanced-autodiff tutorial is r + stop_gradient(v(theta, s)).

    >>> import numpy as np, autograd_core as ag
    >>> ag.grad(lambda x: x * ag.stop_gradient(x))(3.0)
    Tensor(3.)
    """
    return tree_map(lambda leaf: leaf.detach() if isinstance(leaf, Tensor) else leaf, x)


def _as_dtype(block, dtype):
    return block if block.dtype == dtype else block.astype(dtype)


def vjp(f, *primals, has_aux=False):
    """Evaluate f(*primals) and return (out, vjp_fn); vjp_fn(cotangent) gives one gradient per primal, in its
    structure (a dict of arrays gives a dict of gradients). The cotangent has out's shape, or for f returning a
    structure (a tuple or dict of Tensors), its structure, each leaf of its output leaf's shape, as jax.vjp's. With
    has_aux=True, as jax.vjp and torch.func.vjp, f returns (output, aux) and vjp gives (out, vjp_fn, aux), aux
    undifferentiated.

    >>> import numpy as np, autograd_core as ag
    >>> out, vjp_fn = ag.vjp(lambda x: x * 3, np.ones(2))
    >>> vjp_fn(np.array([1.0, 2.0]))
    (Tensor([3., 6.]),)
    >>> ag.vjp(lambda x: (x * 3, "aux"), np.ones(2), has_aux=True)[2]
    'aux'
    """
    has_aux = as_flag(has_aux, "vjp", "has_aux")
    output, nodes, aux, regroup = _call(_function(f, "vjp"), primals, {}, tuple(range(len(primals))), "vjp",
                                        has_aux, outputs=True)
    out = output.joined
    nested = _needs_graph(out, nodes)

    def vjp_fn(cotangent):
        cotangent = output.seed(cotangent, "vjp")
        # A cotangent that requires grad (an enclosing transform's) needs the pass recorded too.
        recorded = nested and is_grad_enabled() or _recorded_for_caller(cotangent)  # (the grad mode of this call)
        grads = _gradients(out, nodes, recorded, cotangent, retain=True, where="vjp")
        return tuple(regroup(_cut_inside(grads, nodes) if recorded else grads))

    aux = _returned(aux, nodes) if has_aux else None
    _finish(nodes)
    return (output.returned(nodes, nested), vjp_fn) + ((aux,) if has_aux else ())


def _shape_of(value, name, what):
    """value's shape, or a ValueError naming name and what for a ragged list (NumPy's bare inhomogeneous-shape one)."""
    try:
        return np.shape(as_value(value))
    except ValueError:
        raise TransformValueError(f"{name}: {what} is a ragged sequence (its rows have different lengths), so it has "
                                  "no shape; give an array or Tensor of floats") from None


def checked_tangents(primals, tangents, name, as_in):
    """primals as a tuple, and the tangents as a list of one per differentiated leaf of the primals (one per node
    _call makes of them): each tangent has its primal's structure (a tuple, list or dict), each leaf its primal leaf's
    shape and floats (jvp's, hvp's, vhp's)."""
    primals, tangents = tuple(primals), tuple(tangents)
    if len(primals) != len(tangents):
        raise TransformValueError(f"{name}: got {len(primals)} primals but {len(tangents)} tangents; give one "
                                  "tangent per primal")
    leaves = []
    for k, (primal, tangent) in enumerate(zip(primals, tangents)):
        primal_leaves, parts, paths = [primal], [tangent], [""]
        if _is_structure(primal):
            try:
                parts = flatten_up_to(primal, tangent, _is_array_literal, f"tangent {k}")
            except ValueError as error:
                raise TransformValueError(f"{name}: {error}; a tangent must have its primal's structure") from None
            primal_leaves, paths = flatten(primal, _is_array_literal)[0], leaf_paths(primal, "", _is_array_literal)
        for p, t, path in zip(primal_leaves, parts, paths):
            if p is None and path:  # a None leaf of a structure is not differentiated (a None primal is refused)
                if t is not None:
                    raise TransformTypeError(f"{name}: tangent {k}{path} is a {type(t).__name__} but its primal is "
                                             "None, which is not differentiated; give None there too")
                continue
            _check_tangent(p, t, name, f"tangent {k}{path}", f"primal {k}{path}", as_in)
            leaves.append(t)
    return primals, leaves


def _check_tangent(p, t, name, tangent, primal, as_in):
    """A TypeError or ValueError unless t, named tangent, is of p's shape and floats."""
    arrays = (Tensor, np.ndarray, np.generic, int, float, list, tuple)
    if not isinstance(t, arrays) and isinstance(p, arrays):  # None, a dict, text: their np.shape is (), so they
        # would be refused as of the wrong shape (a primal that is no array has its own error, first)
        what = "None" if t is None else f"a {type(t).__name__}"
        raise TransformTypeError(f"{name}: {tangent} is {what}; give a Tensor, an array or a number of its primal's "
                                 f"shape {_shape_of(p, name, primal)}")
    refuse_held_graph(t, name, f"{tangent} is a", "join them with ag.stack first")
    p_shape, t_shape = _shape_of(p, name, primal), _shape_of(t, name, tangent)
    if p_shape != t_shape:
        raise TransformValueError(f"{name}: {tangent} has shape {t_shape}, its primal {p_shape}; they must be equal")
    dtype = np.asarray(as_value(t)).dtype
    # (a Python int is the number it is, as for the primals; a non-float primal's own error comes first)
    if dtype.kind != "f" and type(t) is not int and (np.asarray(as_value(p)).dtype.kind == "f" or type(p) is int):
        raise TransformTypeError(f"{name}: {tangent} has dtype {dtype} (shape {t_shape}); a tangent is a direction to "
                                 f"differentiate along and must be floats, {as_in} (np.asarray(t, dtype=float))")


def _dot(tensors, tangents):
    """sum_k (tensors[k] * tangents[k]).sum() over the entries that require grad, or None (jvp's, hvp's, vhp's)."""
    total = None
    for g, t in zip(tensors, tangents):
        if g is not None and g.requires_grad:
            term = (g * (t if _requires_grad(t) else as_value(t))).sum()
            total = term if total is None else total + term
    return total


def jvp(f, primals, tangents, *, has_aux=False):
    """Forward-mode product: (f(*primals), J @ tangents), by transposing a vjp (the double-vjp trick). A primal may be
    a structure (a tuple, list or dict of arrays), its tangent then of the same structure; f may return one too,
    its tangent then of that structure, as jax.jvp's. With has_aux=True, as jax.jvp and torch.func.jvp, f returns
    (output, aux) and jvp gives (output, tangent, aux), aux undifferentiated.

    >>> import numpy as np, autograd_core as ag
    >>> out, tangent = ag.jvp(lambda x: x ** 2, (np.array([1.0, 2.0]),), (np.array([1.0, 1.0]),))
    >>> tangent
    Tensor([2., 4.])
    >>> ag.jvp(lambda p: p["w"] * p["b"], ({"w": 2.0, "b": 3.0},), ({"w": 1.0, "b": 0.0},))[1]
    Tensor(3.)
    """
    if not isinstance(primals, (tuple, list)) or not isinstance(tangents, (tuple, list)):
        raise TransformTypeError("jvp: primals and tangents must be tuples or lists (one entry per argument of f), "
                                 f"got {type(primals).__name__} and {type(tangents).__name__}; e.g. ag.jvp(f, (x,), "
                                 "(v,))")
    primals, tangents = checked_tangents(primals, tangents, "jvp", "as in torch.func.jvp and JAX")
    if not primals:  # (as torch.func.jvp's; the tangent would be a zero that no argument's direction gave)
        raise TransformValueError("jvp: no primals given; give at least one argument of f to differentiate, e.g. "
                                  "ag.jvp(f, (x,), (v,))")
    has_aux = as_flag(has_aux, "jvp", "has_aux")
    output, nodes, aux, _ = _call(_function(f, "jvp"), primals, {}, tuple(range(len(primals))), "jvp", has_aux,
                                  outputs=True)
    out = output.joined
    with_aux = ((_returned(aux, nodes),) if has_aux else ())

    def split(tangent):  # (the join promotes dtypes: each piece gets its output leaf's, as a forward-mode tangent)
        tangent = Tensor(np.zeros(out.shape, dtype=out.dtype)) if tangent is None else tangent
        return output.unflatten(output.pieces(tangent, output_dtypes=True))

    if not out.requires_grad:
        return (output.tree, split(None)) + with_aux
    nested = _needs_graph(out, nodes)
    value = output.returned(nodes, nested)
    nested = nested or any(_recorded_for_caller(t) for t in tangents)  # tangents from an enclosing transform
    tangent = transposed_vjp(out, nodes, tangents, nested)
    _finish(nodes)
    return (value, split(tangent)) + with_aux


def transposed_vjp(out, nodes, tangents, nested):
    """J @ tangents, J the Jacobian of out with respect to the nodes of its graph (one tangent each, of its node's
    shape), by the double-vjp trick: the vjp u -> J^T u is recorded for a dummy u, dotted with the tangents, and
    differentiated with respect to u. None when that product does not depend on u (out's graph does not reach the
    nodes, or only through operations of zero derivative). nested: the result is recorded, to be differentiated
    again (jvp's and forward_ad's tangent of a graph that reaches Tensors requiring grad outside the nodes)."""
    with enable_grad():
        dummy = Tensor(np.zeros(out.shape, dtype=out.dtype), requires_grad=True)
        total = _dot(gradients_to(out, nodes, dummy, retain_graph=True, create_graph=True), tangents)
    if total is None or not total.requires_grad:
        return None
    (tangent,) = gradients_to(total, [dummy], retain_graph=nested, create_graph=nested)
    if nested:
        (tangent,) = _cut_inside([tangent], nodes + [dummy])
    _finish([dummy])
    return tangent


# The Jacobian transforms use the helpers above: imported last, so that transforms' names include them
from .transforms_jacobian import hessian, jacfwd, jacobian, jacrev  # noqa: E402, F401
