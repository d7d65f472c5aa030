"""vmap, as torch.func.vmap and jax.vmap for their common uses: func mapped over one dimension of its arguments.

It is a loop: func is called once per index along the mapped dimension, on each argument's slice (that dimension
removed), and the results are joined with ag.stack. Slicing and stacking are recorded operations, so the results
have vmap's values and gradients (it composes with ag.grad in either order, and nests), but not its speed: the cost
is the batch size times one call of func, as a Python loop's (and chunk_size=, which torch.func.vmap takes to bound
its memory, changes nothing: a loop holds one slice at a time already).

Random operations in func follow randomness=, as torch.func.vmap's: 'error' (the default) refuses them, 'different'
lets each slice draw its own, 'same' gives every slice the draws of the first. Every random operation of
autograd_core and nn takes its NumPy Generator from _arguments.generator just before it draws, which shows it to
the watcher vmap puts in DRAW_WATCHERS: the watcher notes each Generator's state when first shown, puts it back
before each slice ('same'), or finds after a slice that it moved, restores it and raises ('error'). Draws that do
not go through autograd_core or nn (NumPy's own np.random, a Generator func uses directly) are not seen, as
torch.func.vmap does not see them.
"""
import functools
import numbers

import numpy as np

from ._arguments import DRAW_WATCHERS, InvalidArgumentError, is_int
from .ops.shape import stack
from .pytree import flatten, flatten_up_to, is_container, leaf_paths, tree_map
from .tensor import Tensor

__all__ = ["vmap"]

_RANDOMNESS = ("error", "different", "same")


def vmap(func, in_dims=0, out_dims=0, randomness="error", *, chunk_size=None):
    """func mapped over a dimension of its positional arguments, as torch.func.vmap: in_dims is the dimension to map
    over in every argument (an int), None for an argument passed whole to each call, or a tuple of those with one
    entry per positional argument; an argument that is a tuple, list or dict is mapped entry by entry, and its entry
    may be a tuple, list or dict of ints and Nones of its structure (in_dims=((0, 1),) for one argument (a, b)).
    Keyword arguments are passed whole. The results (a Tensor, or a tuple, list or dict of them; None is passed
    through, and numbers are stacked, as jax.vmap's) are stacked along out_dims: an int, or ints in the output's
    structure (a tuple with one entry per output, out_dims=(0, (0, 1)) for an output (a, (b, c))); None for an output
    that does not change with the slice (it is returned as it is; a string may be returned so). randomness: 'error'
    (a random operation in func is an error), 'different' (each slice draws its own numbers) or 'same' (every slice
    gets the first slice's draws). chunk_size (None or an int > 0) is taken and changes nothing. A Python loop, one
    call of func per index (see the module), so func may change an argument passed whole (in_dims None) in place only
    the same way for every slice (else refused, as torch's refuses a change that depends on the slice).

    >>> import autograd_core as ag
    >>> x = ag.tensor([[1.0, 2.0], [3.0, 4.0]])
    >>> ag.vmap(lambda row: row @ row)(x)
    Tensor([ 5., 25.])
    >>> ag.vmap(lambda row, w: row * w, in_dims=(1, None))(x, ag.tensor(10.0))
    Tensor([[10., 30.],
            [20., 40.]])
    >>> loss = lambda w, row: ((row * w).sum() - 1.0) ** 2
    >>> ag.vmap(ag.grad(loss), in_dims=(None, 0))(ag.tensor([1.0, 0.0]), x)  # per-example gradients
    Tensor([[ 0.,  0.],
            [12., 16.]])
    >>> noise = ag.vmap(lambda row: row + ag.randn(2), randomness="same")(ag.zeros((3, 2)))
    >>> bool((noise[0] == noise[1]).all() and (noise[1] == noise[2]).all())  # the same draws for each row
    True
    """
    if not callable(func):
        raise TypeError(f"vmap: func must be callable, got {func!r}")
    _check_dims_argument(in_dims, "in_dims", none=True)
    _check_dims_argument(out_dims, "out_dims", none=False)
    if not (isinstance(randomness, str) and randomness in _RANDOMNESS):  # (torch.func.vmap's RuntimeError)
        raise RuntimeError(f"vmap: randomness must be 'error', 'different' or 'same', got {randomness!r}")
    if chunk_size is not None and not is_int(chunk_size):
        raise TypeError(f"vmap: chunk_size must be None or an int greater than 0, got {chunk_size!r}")
    if chunk_size is not None and chunk_size <= 0:
        raise ValueError(f"vmap: chunk_size should be None or greater than 0. (got {chunk_size})")

    @functools.wraps(func)
    def mapped(*args, **kwargs):
        plan = _argument_parts(in_dims, args)
        size = _mapped_size(plan, in_dims)
        draws = _DrawWatcher(randomness)
        whole = [(f"argument {k}", leaf) for k, (parts, _) in enumerate(plan) for part, dim in parts if dim is None
                 for leaf in flatten(part)[0] if isinstance(leaf, Tensor)]
        whole += [(f"keyword argument {name!r}", leaf) for name, value in kwargs.items()  # (always passed whole)
                  for leaf in flatten(value)[0] if isinstance(leaf, Tensor)]
        first_values = {}  # the values after the first slice of each argument passed whole that func changed
        DRAW_WATCHERS.append(draws)
        try:
            results = []
            for index in range(size):
                draws.start_slice(index)
                versions = [leaf._version for _, leaf in whole]
                results.append(func(*(rebuild([_slice(part, dim, index) for part, dim in parts])
                                      for parts, rebuild in plan), **kwargs))
                draws.end_slice()
                if whole:
                    _check_whole_changes(whole, versions, first_values, index, draws)
        finally:
            DRAW_WATCHERS.remove(draws)
        return _stacked(results, out_dims)

    return mapped


def _check_whole_changes(whole, versions, first_values, index, draws):
    """Refuse an in-place change of a Tensor passed whole (in_dims None) that is not the same for every slice: this
    vmap is a loop, so each slice would write over the last one's change (torch.func.vmap refuses to write a value
    that depends on the slice into a Tensor that is not mapped, and makes a change that does not depend on it once,
    where the loop makes it once per slice); a change the same for every slice (randomness='same''s fill) is taken."""
    for n, ((argument, leaf), version) in enumerate(zip(whole, versions)):
        if leaf._version == version:
            continue
        if index == 0:
            first_values[n] = leaf.data.copy()
            continue
        if n in first_values and np.array_equal(leaf.data, first_values[n], equal_nan=leaf.dtype.kind in "fc"):
            continue
        if draws.in_place and draws.randomness == "different":
            raise RuntimeError(f"vmap: randomness='different' with an in-place random operation "
                               f"({', '.join(draws.in_place)}) on {argument}, passed whole (in_dims None): its one "
                               f"Tensor cannot hold a different draw for each slice (torch.func.vmap: different "
                               f"inplace randomness on an unbatched tensor); map over it, draw out of place, or pass "
                               f"randomness='same'")
        raise RuntimeError(f"vmap: func changed {argument} (shape {leaf.shape}), passed whole (in_dims None), in "
                           f"place, and its value after slice {index} differs from its value after slice 0 (a change "
                           f"that depends on the slice, or that adds up over the slices, as a.add_(1) in each does): "
                           f"this vmap calls func once per slice, so each call would write over or add to the last "
                           f"(torch.func.vmap refuses an in-place "
                           f"change of an unbatched Tensor that depends on the slice: inplace arithmetic is not "
                           f"possible); map over it (an int in_dim), or return the new value instead of writing it")


class _DrawWatcher:
    """What one call of a vmapped func does with the random draws of its slices, by its randomness:
    told of each Generator a random operation takes (_arguments.generator calls it with the Generator and the
    operation's name), it keeps the Generator's state when first told; 'same' puts each back there before every
    slice after the first (so the Generators end where one slice's draws leave them, as torch.func.vmap's), and
    'error' checks after each slice that none moved (restoring them all before it raises); 'different' lets them
    move."""

    __slots__ = ("randomness", "first_states", "in_place", "owner")

    def __init__(self, randomness, owner="vmap"):
        self.randomness, self.owner = randomness, owner
        self.first_states = {}  # id(generator) -> (generator, its state when first told, the operation's name)
        self.in_place = []  # the in-place random operations (normal_, ...) of the slice running

    def __call__(self, generator, owner):
        if id(generator) not in self.first_states:
            self.first_states[id(generator)] = (generator, generator.bit_generator.state, owner)
        if owner.endswith("_"):
            self.in_place.append(owner)

    def start_slice(self, index):
        self.in_place = []
        if self.randomness == "same" and index:
            self._restore()

    def end_slice(self):
        if self.randomness != "error":
            return
        drawn = [owner for generator, state, owner in self.first_states.values()
                 if generator.bit_generator.state != state]
        if drawn:
            self._restore()
            operations = ', '.join(dict.fromkeys(drawn))
            if self.owner == "hessian":  # (torch.func.hessian takes no randomness=: its jacfwd's is 'error')
                raise RuntimeError(f"hessian: func called a random operation ({operations}), which torch.func.hessian "
                                   f"refuses (its jacfwd's randomness='error'); draw outside hessian, or use "
                                   f"ag.hessian (jax.hessian's), which takes them")
            raise RuntimeError(f"{self.owner}: func called a random operation ({operations}) "
                               f"with randomness='error', {self.owner}'s default as torch.func.{self.owner}'s; pass "
                               f"randomness='different' (each slice draws its own numbers) or randomness='same' "
                               f"(every slice gets the same draws), or draw outside {self.owner}")

    def _restore(self):
        for generator, state, _ in self.first_states.values():
            generator.bit_generator.state = state


def refusing_draws(func, owner):
    """func, refusing the random operations of autograd_core and nn that it calls, as vmap's randomness='error' does,
    the error naming owner (torch.func.jacfwd's randomness='error', whose vmap refuses them)."""

    @functools.wraps(func)
    def refusing(*args, **kwargs):
        draws = _DrawWatcher("error", owner)
        DRAW_WATCHERS.append(draws)
        try:
            result = func(*args, **kwargs)
            draws.end_slice()
        finally:
            DRAW_WATCHERS.remove(draws)
        return result

    return refusing


class VmapArgumentError(TypeError, ValueError):
    """A vmap argument of the wrong kind (in_dims given as a list or a string, an int in_dim for a number, a string
    returned where a Tensor is stacked): torch.func.vmap's ValueError and Python's TypeError at once, so that code
    ported from either catches it."""


def _check_dims_argument(dims, name, none):
    """in_dims (none=True): an int, None, or a tuple with one entry per positional argument, each an int, None or a
    tuple, list or dict of them matching that argument's structure (as torch.func.vmap's); out_dims: an int, None, or
    a tuple, list or dict of ints and Nones matching func's output."""
    valid = ("an int or None, or a tuple of them (one entry per argument, each may be a tuple, list or dict of them "
             "matching the argument's structure)" if none else
             "an int, None or a python collection of ints (a tuple, list or dict of ints and Nones matching func's "
             "output)")
    if none and not (dims is None or isinstance(dims, tuple) or is_int(dims)):
        raise VmapArgumentError(f"vmap: in_dims must be {valid}; expected `in_dims` to be int or a (potentially "
                                f"nested) tuple, got {dims!r}")
    for entry in flatten(dims)[0]:
        if not (entry is None or is_int(entry)):
            raise VmapArgumentError(f"vmap: {name} must be {valid}, got {dims!r}")


def _argument_parts(in_dims, args):
    """Per positional argument, (parts, rebuild): the argument's parts, each with the in_dim of all its leaves (its
    in_dims entry broadcast over its structure, as torch.func.vmap's), and rebuild(new parts) giving the argument
    back in its structure."""
    if not isinstance(in_dims, tuple):
        return [([(arg, in_dims)], _first) for arg in args]
    if len(in_dims) != len(args):
        raise ValueError(f"vmap: in_dims={in_dims!r} has {len(in_dims)} entries but the function was called with "
                         f"{len(args)} positional arguments (in_dims is not compatible with the structure of `inputs`);"
                         f" give one entry per argument (None for one passed whole)")
    plan = []
    for k, (arg, entry) in enumerate(zip(args, in_dims)):
        if not is_container(entry):
            plan.append(([(arg, entry)], _first))
            continue
        try:
            parts = flatten_up_to(entry, arg, root=f"argument {k}")
        except ValueError as err:
            raise ValueError(f"vmap: in_dims entry {k}, {entry!r}, does not match argument {k}'s structure ({err}; "
                             f"in_dims is not compatible with the structure of `inputs`): give an int or None for the "
                             f"whole argument, or a tuple, list or dict of them of its structure") from None
        dims, rebuild = flatten(entry)
        plan.append((list(zip(parts, dims)), rebuild))
    return plan


def _first(parts):
    return parts[0]


def _mapped_size(plan, in_dims):
    """The size of the mapped dimension, the same in every mapped argument (checked, as are the dimensions)."""
    first = None  # (argument index, size)
    for k, (parts, _) in enumerate(plan):
        for part, dim in parts:
            if dim is None:
                continue
            for leaf in flatten(part)[0]:
                if not isinstance(leaf, (Tensor, np.ndarray)):
                    raise VmapArgumentError(f"vmap: in_dims gives dimension {dim} for argument {k}, a "
                                            f"{type(leaf).__name__}, which has no dimension to map over (Got "
                                            f"in_dim={dim} for an input but the input is of type {type(leaf)}); "
                                            f"give None for it in in_dims (it is then passed whole to each call), "
                                            f"or a Tensor")
                if not -leaf.ndim <= dim < leaf.ndim:
                    raise ValueError(f"vmap: in_dims gives dimension {dim} for argument {k}, of shape {leaf.shape} "
                                     f"({leaf.ndim} dimensions); it must be in [-{leaf.ndim}, {leaf.ndim})" if leaf.ndim
                                     else f"vmap: in_dims gives dimension {dim} for argument {k}, a 0-d (scalar) "
                                     f"value, which has no dimension to map over; give None for it in in_dims")
                size = leaf.shape[dim]
                if first is None:
                    first = (k, size)
                elif size != first[1]:
                    raise ValueError(f"vmap: argument {k} has size {size} along its mapped dimension {dim}, but "
                                     f"argument {first[0]} has size {first[1]} along its own; every mapped dimension "
                                     f"must have the same size")
    if first is None:
        raise ValueError(f"vmap: no argument is mapped (in_dims={in_dims!r}, {len(plan)} positional arguments); at "
                         f"least one must be a Tensor or array with an int in_dim")
    if first[1] == 0:
        raise InvalidArgumentError("vmap: the mapped dimension has size 0; this vmap calls func once per index and "
                                   "stacks the results, so it has no result to stack (torch.func.vmap's fallback "
                                   "refuses it too: does not support vmap over dims of size 0)")
    return first[1]


def _slice(value, dim, index):
    """Slice index of each array in value (a structure's too) along dim; value itself for dim None."""
    if dim is None:
        return value
    return tree_map(lambda leaf: leaf[(slice(None),) * (dim % leaf.ndim) + (index,)], value)


def _stacked(results, out_dims):
    """The per-index results joined along out_dims, in func's output structure: out_dims is broadcast over it (an
    int or None for everything below, a tuple, list or dict of them matching it, or, as torch.func.vmap's, a 1-tuple
    for a single Tensor)."""
    first = results[0]
    if isinstance(out_dims, tuple) and len(out_dims) == 1 and not is_container(first):
        out_dims = out_dims[0]
    if not is_container(out_dims):
        return _stacked_output(results, out_dims, "the output")
    if isinstance(out_dims, tuple) and type(first) is list:  # (a tuple of out_dims serves a list of outputs)
        out_dims = list(out_dims)
    try:
        per_index = [flatten_up_to(out_dims, result, root="func's output") for result in results]
    except ValueError as err:
        raise ValueError(f"vmap: out_dims={out_dims!r} is not compatible with the structure of func's output ({err})"
                         f"; give one entry per output, or one int for all") from None
    dims, rebuild = flatten(out_dims)
    paths = leaf_paths(out_dims, "output")
    return rebuild([_stacked_output([parts[k] for parts in per_index], dim, paths[k]) for k, dim in enumerate(dims)])


def _stacked_output(results, dim, what):
    """The results of each index, one structure of Tensors (as the first's), joined leaf by leaf along dim."""
    leaves, unflatten = flatten(results[0])
    per_index = [flatten(result)[0] for result in results]
    paths = leaf_paths(results[0], what)
    for index, result_leaves in enumerate(per_index):
        if len(result_leaves) != len(leaves):
            raise ValueError(f"vmap: {what} holds {len(leaves)} Tensors for index 0 but {len(result_leaves)} for "
                             f"index {index}; func must return one structure for every slice")
    return unflatten([_stacked_leaf([r[k] for r in per_index], dim, path) for k, path in enumerate(paths)])


def _same_value(value, first):
    """Whether an output of one slice is first's value (of its shape; NaN equal to NaN)."""
    value, first = (v.data if isinstance(v, Tensor) else v for v in (value, first))
    if np.shape(value) != np.shape(first):
        return False
    try:
        return bool(np.array_equal(np.asarray(value), np.asarray(first), equal_nan=True))
    except TypeError:  # (values NaN has no meaning for)
        return bool(np.array_equal(np.asarray(value), np.asarray(first)))


def _stacked_leaf(results, dim, what):
    """One output leaf: stacked along dim; None passed through; for dim None the leaf itself, which must then be
    the same for every slice (torch.func.vmap's out_dims=None returns an output that is not batched)."""
    first = results[0]
    if first is None:
        return None
    if dim is None:
        if isinstance(first, (Tensor, np.ndarray, np.generic, numbers.Number)) and any(
                not _same_value(r, first) for r in results[1:]):
            raise ValueError(f"vmap: out_dims gives None for {what}, but it differs between the slices: func can not "
                             f"return a BatchedTensor when out_dim is None; give an int out_dim to stack it")
        return first
    if not isinstance(first, (Tensor, np.ndarray, np.generic, int, float)) or isinstance(first, bool):
        raise VmapArgumentError(f"vmap: func must return Tensors (or a tuple, list or dict of them), but {what} is a "
                                f"{type(first).__name__} (got type {type(first)}); give None for it in out_dims to "
                                f"return it as it is")
    shape = np.shape(first)
    for index, result in enumerate(results):
        if np.shape(result) != shape:
            raise ValueError(f"vmap: {what} has shape {shape} for index 0 but {np.shape(result)} for index {index}; "
                             f"func must return one shape for every slice")
    if not -(len(shape) + 1) <= dim <= len(shape):
        raise np.exceptions.AxisError(
            f"vmap: out_dims gives dimension {dim} for {what}, of shape {shape} per slice; it must be in "
            f"[-{len(shape) + 1}, {len(shape)}] (the stacked result has {len(shape) + 1} dimensions; Dimension out "
            f"of range)")
    return stack(results, axis=dim)
