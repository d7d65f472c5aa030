"""Pytrees, as JAX's and torch.func's: a value whose tuples, lists, dicts and namedtuples (OrderedDicts and
defaultdicts too) hold its leaves, any depth. flatten gives the leaves in order and a function rebuilding the
structure from new ones; the transforms use it for a dict of parameters, f's output and has_aux's aux, vmap for its
arguments; flatten_up_to reads a tangent or cotangent by its primal's or output's structure.

Every other value (a Tensor, an array, a number, None, a string, a dict subclass of its own) is a leaf; is_leaf
may make some containers leaves too (the transforms read a list of numbers as one array). ravel_pytree joins the
leaves into one vector, as jax.flatten_util.ravel_pytree and HIPS autograd's autograd.misc.flatten.
"""
import collections

import numpy as np

__all__ = ["flatten", "flatten_up_to", "is_container", "leaf_paths", "ravel_pytree", "tree_map"]


def _children(tree):
    """(keys, children, rebuild) for a container, rebuild(children) making one of its type; None for a leaf."""
    kind = type(tree)
    if kind is tuple or kind is list:
        return range(len(tree)), tree, kind
    if isinstance(tree, tuple) and hasattr(tree, "_fields"):  # a namedtuple
        return tree._fields, tree, lambda children: kind(*children)
    if kind is dict or kind is collections.OrderedDict:
        keys = list(tree)
        return keys, tree.values(), lambda children: kind(zip(keys, children))
    if kind is collections.defaultdict:
        keys, factory = list(tree), tree.default_factory
        return keys, tree.values(), lambda children: collections.defaultdict(factory, zip(keys, children))
    return None


def is_container(value):
    """Whether flatten walks into value: a tuple, list, dict, namedtuple, OrderedDict or defaultdict.

    >>> from autograd_core.pytree import is_container
    >>> is_container({"w": 1.0}), is_container(1.0)
    (True, False)
    """
    return _children(value) is not None


def _walk(tree, is_leaf, path, leaves, paths):
    """Append tree's leaves (and their paths, key tuples) in order; return its spec: None for a leaf, else
    (rebuild, child specs)."""
    container = None if is_leaf is not None and is_leaf(tree) else _children(tree)
    if container is None:
        leaves.append(tree)
        if paths is not None:
            paths.append(path)
        return None
    keys, children, rebuild = container
    field = isinstance(tree, tuple) and hasattr(tree, "_fields")
    return rebuild, [_walk(child, is_leaf, path + ((key, field),), leaves, paths) for key, child in zip(keys, children)]


def _build(spec, leaves):
    if spec is None:
        return next(leaves)
    rebuild, children = spec
    return rebuild([_build(child, leaves) for child in children])


def flatten(tree, is_leaf=None):
    """(leaves, unflatten): tree's leaves in order (a dict's in its keys' order) and a function giving tree's
    structure holding new leaves, one per leaf. is_leaf(value) True stops the walk at a container.

    >>> from autograd_core.pytree import flatten
    >>> leaves, unflatten = flatten({"w": [1.0, 2.0], "b": (3.0, None)})
    >>> leaves
    [1.0, 2.0, 3.0, None]
    >>> unflatten([x * 10 for x in leaves[:3]] + [None])
    {'w': [10.0, 20.0], 'b': (30.0, None)}
    """
    leaves = []
    spec = _walk(tree, is_leaf, (), leaves, None)
    return leaves, lambda new_leaves: _build(spec, iter(new_leaves))


def leaf_paths(tree, root="", is_leaf=None):
    """Each leaf's path as Python would index it from root, in flatten's order: for errors naming a leaf.

    >>> from autograd_core.pytree import leaf_paths
    >>> leaf_paths({"w": [1.0, 2.0], "b": 3.0}, "params")
    ["params['w'][0]", "params['w'][1]", "params['b']"]
    """
    paths = []
    _walk(tree, is_leaf, (), [], paths)
    return [root + "".join(_step(key, field) for key, field in path) for path in paths]


def _step(key, field):
    return f".{key}" if field else f"[{key!r}]"


def _described(tree, container):
    if container is None:
        return f"a {type(tree).__name__}"
    keys = list(container[0])
    if isinstance(tree, tuple) and hasattr(tree, "_fields") or not isinstance(tree, (tuple, list)):
        return f"a {type(tree).__name__} with keys {keys}"
    return f"a {type(tree).__name__} of length {len(keys)}"


def flatten_up_to(structure, tree, is_leaf=None, root=""):
    """tree's parts where structure has its leaves, in flatten's order: tree holds structure's containers (of the
    same types and keys, a dict's in any order, as JAX's) down to them, as JAX's tangents hold their primals' (a
    part may itself be a container). A ValueError names the first path (from root) where tree differs.

    >>> from autograd_core.pytree import flatten_up_to
    >>> flatten_up_to({"w": 0.0, "b": 0.0}, {"w": [1.0, 2.0], "b": 3.0})
    [[1.0, 2.0], 3.0]
    >>> flatten_up_to({"w": 0.0, "b": 0.0}, {"w": 1.0}, root="tangent")
    Traceback (most recent call last):
    ValueError: tangent is a dict with keys ['w'], not a dict with keys ['w', 'b']
    """
    parts, pending = [], [(structure, tree, root)]  # (depth first, children in order: a stack of them reversed)
    while pending:
        structure, tree, path = pending.pop()
        container = None if is_leaf is not None and is_leaf(structure) else _children(structure)
        if container is None:
            parts.append(tree)
            continue
        given = _children(tree)  # (structure's is_leaf says where the parts are: [1.0, 2.0] may be two of them)
        keys, mapping = list(container[0]), isinstance(structure, dict)
        same_keys = given is not None and (set(given[0]) == set(keys) if mapping else list(given[0]) == keys)
        if type(tree) is not type(structure) or not same_keys:
            raise ValueError(f"{path} is {_described(tree, given)}, not {_described(structure, container)}")
        field = isinstance(structure, tuple) and hasattr(structure, "_fields")
        parts_here = [tree[key] for key in keys] if mapping else given[1]
        pending += reversed([(child, part, path + _step(key, field))
                             for key, child, part in zip(keys, container[1], parts_here)])
    return parts


def tree_map(fn, tree, *rest, is_leaf=None):
    """tree with fn applied to each leaf, its structure kept; with more trees, as JAX's tree_map, fn takes each
    leaf of tree and the parts of the others at the same place (they hold tree's structure; a ValueError names the
    first path where one differs), as JAX 101's update tree_map(lambda p, g: p - lr * g, params, grads).

    >>> from autograd_core.pytree import tree_map
    >>> tree_map(lambda x: x * 2, {"w": [1.0, 2.0], "b": 3.0})
    {'w': [2.0, 4.0], 'b': 6.0}
    >>> tree_map(lambda p, g: p - 0.5 * g, {"w": [1.0, 2.0], "b": 3.0}, {"b": 2.0, "w": [4.0, 4.0]})
    {'w': [-1.0, 0.0], 'b': 2.0}
    """
    leaves, unflatten = flatten(tree, is_leaf)
    others = [flatten_up_to(tree, other, is_leaf, root=f"tree_map: rest[{k}]") for k, other in enumerate(rest)]
    return unflatten([fn(*parts) for parts in zip(leaves, *others)])


def ravel_pytree(tree):
    """(vector, unravel): tree's array leaves raveled and joined in flatten's order into one 1-D array, and a
    function giving tree's structure back from such a vector, each leaf in its shape and dtype (None leaves stay
    None), as jax.flatten_util.ravel_pytree and HIPS autograd's flatten. Differentiable both ways: the vector is a
    Tensor recorded from Tensor leaves (an ndarray when no leaf is a Tensor), and unravel of a Tensor gives Tensors.

    >>> import numpy as np
    >>> from autograd_core.pytree import ravel_pytree
    >>> vector, unravel = ravel_pytree({"w": np.ones((2, 2)), "b": [np.zeros(1), None]})
    >>> vector
    array([1., 1., 1., 1., 0.])
    >>> unravel(np.arange(5.0))
    {'w': array([[0., 1.],
           [2., 3.]]), 'b': [array([4.]), None]}
    """
    leaves, unflatten = flatten(tree)
    arrays = [leaf for leaf in leaves if leaf is not None]
    for path, leaf in zip(leaf_paths(tree, root="tree"), leaves):
        if leaf is not None and (isinstance(leaf, str) or _dtype_of(leaf).kind not in "biufc"):
            raise TypeError(f"ravel_pytree: {path} is {type(leaf).__name__} {leaf!r:.60}, not an array or number")
    shapes, dtypes = [np.shape(leaf) for leaf in arrays], [_dtype_of(leaf) for leaf in arrays]
    sizes = [int(np.prod(shape)) for shape in shapes]
    dtype = np.result_type(*dtypes) if dtypes else np.float64
    vector = np.concatenate([np.ravel(leaf) for leaf in arrays]) if arrays else np.zeros(0, dtype)

    def unravel(new_vector):
        if np.ndim(new_vector) != 1 or len(new_vector) != sum(sizes):
            raise ValueError(f"ravel_pytree's unravel: takes a 1-D vector of {sum(sizes)} elements (the raveled "
                             f"tree's), got shape {np.shape(new_vector)}")
        pieces, start = [], 0
        for shape, size, leaf_dtype in zip(shapes, sizes, dtypes):
            piece = np.reshape(new_vector[start:start + size], shape)
            pieces.append(piece.astype(leaf_dtype) if _dtype_of(piece) != leaf_dtype else piece)
            start += size
        parts = iter(pieces)
        return unflatten([None if leaf is None else next(parts) for leaf in leaves])

    return vector, unravel


def _dtype_of(value):
    """value's dtype without copying a Tensor's data (np.asarray would do for arrays and numbers)."""
    dtype = getattr(value, "dtype", None)
    return np.dtype(dtype) if dtype is not None else np.asarray(value).dtype
