"""The argument checks the engine and nn share: a flag must be a bool, since text such as "no" would read as True;
an rng (or PyTorch's generator=) becomes a NumPy Generator; PyTorch's dim=/keepdim= are read as NumPy's
axis=/keepdims=, or refused where they mean something else (max, min, var, std)."""
import math
import operator

import numpy as np


def as_flag(value, owner, name, kind=TypeError, none=False):
    """value as a bool when it is one (Python's or NumPy's), else kind naming owner; none: None passes as it is.

    >>> from autograd_core._arguments import as_flag
    >>> as_flag(False, "fit", "progress")
    False
    >>> as_flag("no", "fit", "progress")
    Traceback (most recent call last):
    ...
    TypeError: fit: progress must be True or False, got 'no'
    """
    if none and value is None:
        return None
    if not isinstance(value, (bool, np.bool_)):
        valid = "True, False or None" if none else "True or False"
        raise kind(f"{owner}: {name} must be {valid}, got {value!r}")
    return bool(value)


def is_cpu(device):
    """Whether device names the CPU, the one device here (NumPy computes there): "cpu", "cpu:0" or a torch.device of
    either, as PyTorch spells it.

    >>> from autograd_core._arguments import is_cpu
    >>> is_cpu("cpu"), is_cpu("cpu:0"), is_cpu("cuda")
    (True, True, False)
    """
    return str(device) in ("cpu", "cpu:0")


def names_device(value):
    """Whether value names a device, as PyTorch spells one ("cuda", "mps:1", a torch.device), the CPU or another.

    >>> from autograd_core._arguments import names_device
    >>> names_device("cuda:0"), names_device("float32")
    (True, False)
    """
    return isinstance(value, str) and value.split(":")[0] in _DEVICES or type(value).__name__ == "device"


_DEVICES = {"cpu", "cuda", "mps", "xpu", "meta", "xla", "hip", "ipu", "vulkan", "mtia", "privateuseone"}


class DeviceError(ValueError, RuntimeError):
    """A device other than the CPU: NumPy's ValueError (np.zeros(2, device="cuda")) and PyTorch's RuntimeError (a
    device it cannot use) at once, so that code ported from either catches it."""


class InvalidArgumentError(ValueError, RuntimeError):
    """An argument an operation cannot take (a dim named twice, too few dims, a window larger than its axis, no
    bound at all, topk's k out of range, a scatter's index or src of the wrong shape): NumPy's ValueError and
    PyTorch's RuntimeError at once, so that code ported from either catches it (a dim out of range stays an
    IndexError, as in both)."""


class RuntimeIndexError(IndexError, RuntimeError):
    """An index out of range where PyTorch raises RuntimeError (gather's, a scatter's): also NumPy's IndexError."""


class RuntimeTypeError(TypeError, RuntimeError):
    """A wrong dtype where PyTorch raises RuntimeError (gather's float index): also a TypeError."""


def check_device(device, owner, name="device"):
    """Refuse a device other than the CPU, naming owner: None and "cpu" are what PyTorch and NumPy 2 code passes.

    >>> from autograd_core._arguments import check_device
    >>> check_device("cuda", "zeros")
    Traceback (most recent call last):
    autograd_core._arguments.DeviceError: zeros: device 'cuda' is not available: autograd_core computes on the CPU with NumPy; use 'cpu' (or leave device out)
    """
    if device is not None and not is_cpu(device):
        raise DeviceError(f"{owner}: {name} {str(device)!r} is not available: autograd_core computes on the CPU with "
                          f"NumPy; use 'cpu' (or leave {name} out)")


class _ProcessGenerator(np.random.Generator):
    """The one default generator: a copy of what holds it (copy.deepcopy(model)) holds it too, as PyTorch's copies
    draw from its one global generator, so ag.manual_seed reaches the copies' dropouts."""

    def __init__(self, seed):
        super().__init__(np.random.PCG64(seed))
        self._initial_seed = seed  # (ag.manual_seed sets it anew)

    def initial_seed(self):
        """The seed last given to ag.manual_seed, or the one drawn at import, as torch.initial_seed()."""
        return self._initial_seed

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self


# The generator rng=None draws from, as PyTorch's default generator: one for the process, seeded from fresh entropy,
# which ag.manual_seed re-seeds in place (so objects that already hold it, a Dropout made before, follow too).
DEFAULT_GENERATOR = _ProcessGenerator(int(np.random.SeedSequence().generate_state(1, np.uint64)[0]))
# What generator() shows each Generator it gives to: vmap's randomness= (autograd_core/vmap.py) puts a watcher here
# while func runs, since every random operation of autograd_core and nn takes its Generator from generator() just
# before it draws
DRAW_WATCHERS = []


def generator(rng, owner, name="rng"):
    """np.random.default_rng(rng) for rng a seed, a SeedSequence or a Generator, and DEFAULT_GENERATOR for None, with
    errors naming owner and the argument's name; shown first to each of DRAW_WATCHERS, watcher(generator, owner).

    >>> import numpy as np
    >>> from autograd_core._arguments import generator
    >>> int(generator(0, "DataLoader").integers(10)) == int(np.random.default_rng(0).integers(10))
    True
    >>> generator("abc", "DataLoader")
    Traceback (most recent call last):
    ...
    TypeError: DataLoader: rng must be None, a non-negative int seed or a numpy.random.Generator, got 'abc'
    """
    if isinstance(rng, np.random.Generator):
        source = rng
    elif rng is None:
        source = DEFAULT_GENERATOR
    else:
        source = _seeded(rng, owner, name)
    for watch in DRAW_WATCHERS:
        watch(source, owner)
    return source


def _seeded(rng, owner, name):
    """np.random.default_rng(rng) for a seed or SeedSequence; what else generator() may be given is refused here."""
    valid = f"{owner}: {name} must be None, a non-negative int seed or a numpy.random.Generator"
    if type(rng).__name__ == "Generator" and type(rng).__module__.split(".")[0] == "torch":
        raise TypeError(f"{valid}, got a torch.Generator, whose draws NumPy cannot make; pass "
                        f"np.random.default_rng(seed) or the seed itself (for g = torch.Generator().manual_seed(s), "
                        f"pass s, or make g = ag.Generator().manual_seed(s): the same seed, not the same numbers)")
    if isinstance(rng, (bool, np.bool_)):  # NumPy would take it as seed 0 or 1: a torch-style `inplace` flag, say
        raise TypeError(f"{valid}, got {rng!r}")
    if isinstance(rng, np.dtype) or isinstance(rng, type) and issubclass(rng, np.generic):
        # (PyTorch's factory arguments end in (..., device, dtype): a layer's dtype here comes in device's place)
        raise TypeError(f"{valid}, got the dtype {rng!r}: a dtype given by position in PyTorch's order (..., device, "
                        f"dtype) lands here; pass dtype= by keyword")
    try:
        return np.random.default_rng(rng)
    except (TypeError, ValueError) as err:
        raise type(err)(f"{valid}, got {rng!r}") from None


def generator_of(rng, torch_generator, owner):
    """The NumPy Generator of rng= or of generator=, PyTorch's name for it, which takes the same values (None, a seed,
    a SeedSequence or a numpy.random.Generator; a torch.Generator is refused): the one place where the random
    functions and nn.init read generator=. Giving both is a TypeError.

    >>> import numpy as np
    >>> from autograd_core._arguments import generator_of
    >>> g = np.random.default_rng(0)
    >>> generator_of(None, g, "randperm") is g
    True
    >>> generator_of(0, g, "randperm")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    TypeError: randperm: got both rng=0 and generator=Generator(PCG64) at 0x...; give one of them (generator= is ...
    """
    if torch_generator is None:
        return generator(rng, owner)
    if rng is not None:
        raise TypeError(f"{owner}: got both rng={rng!r} and generator={torch_generator!r}; give one of them "
                        f"(generator= is PyTorch's name for rng=)")
    return generator(torch_generator, owner, "generator")


# ---- PyTorch's dim= and keepdim= ---------------------------------------------------------------
# The operations taking NumPy's axis= (and keepdims=) also take PyTorch's names as keyword-only parameters that
# default to None, so a call without them pays one `is not None` test; the names are read here, only when given.
# PyTorch's keyword-only out= (a Tensor written into, on the reductions) is counted with them: NumPy's out= (an
# ndarray) stays refused when a NumPy function is called on Tensors.
TORCH_NAMES = frozenset({"dim", "keepdim", "out"})


def broadcasts_to(shape, target):
    """Whether an array of shape broadcasts to target itself (target unchanged by the broadcast).

    >>> from autograd_core._arguments import broadcasts_to
    >>> broadcasts_to((3, 1), (2, 3, 4)), broadcasts_to((2, 4), (4,))
    (True, False)
    """
    try:
        return np.broadcast_shapes(shape, target) == tuple(target)
    except ValueError:
        return False


UNGIVEN = object()  # the default of an argument that is required under one of two names (shape or size=)


class Default(int):
    """An int default of an argument PyTorch also names otherwise (diagflat's k=Default(0), offset=): an object no
    int the caller gives is, so one_of_two_names counts a given 0 as given. It is the int everywhere else.

    >>> from autograd_core._arguments import Default
    >>> k, given = Default(0), 0
    >>> k == given, k is given, repr(k)
    (True, False, '0')
    """
    __slots__ = ()


def one_of_two_names(owner, name, value, torch_name, torch_value, default=None):
    """The argument given as owner's own `name` or as PyTorch's `torch_name` (keyword-only, default None), not both:
    TypeError when both are given, or neither where `default` is UNGIVEN (a required argument). `name` counts as
    given unless it is `default` or a Default (an int default, which a given equal int is not): an argument whose
    default is a Default passes UNGIVEN, so that every value given, None too, counts.

    >>> from autograd_core._arguments import UNGIVEN, one_of_two_names
    >>> one_of_two_names("zeros", "shape", UNGIVEN, "size", (3, 4), UNGIVEN)
    (3, 4)
    >>> one_of_two_names("arange", "stop", 3, "end", 4)
    Traceback (most recent call last):
    ...
    TypeError: arange: got both stop=3 and end=4 (PyTorch's name for stop); give one of them
    """
    if torch_value is None:
        if value is UNGIVEN:
            raise TypeError(f"{owner}: missing the argument {name} (or PyTorch's name for it, {torch_name}=)")
        return int(value) if type(value) is Default else value
    if value is not default and type(value) is not Default:
        raise TypeError(f"{owner}: got both {name}={value!r} and {torch_name}={torch_value!r} (PyTorch's name for "
                        f"{name}); give one of them")
    return torch_value


def axis_from_dim(owner, axis, dim, default=None):
    """PyTorch's dim= read as NumPy's axis= for owner (a list of dims, which PyTorch takes, as a tuple); axis must
    be left at its default, else TypeError: both were given.

    >>> from autograd_core._arguments import axis_from_dim
    >>> axis_from_dim("sum", None, [0, 1])
    (0, 1)
    >>> axis_from_dim("sum", 0, 1)
    Traceback (most recent call last):
    ...
    TypeError: sum: got both axis=0 and dim=1 (PyTorch's name for axis); give one of them
    """
    if dim is None:
        return int(axis) if type(axis) is Default else axis
    dim = one_of_two_names(owner, "axis", axis, "dim", dim, default)
    return tuple(dim) if type(dim) is list else dim


def keepdims_from_keepdim(owner, keepdims, keepdim):
    """PyTorch's keepdim= (True or False) read as NumPy's keepdims= for owner; keepdims must be left at False.

    >>> from autograd_core._arguments import keepdims_from_keepdim
    >>> keepdims_from_keepdim("mean", False, True)
    True
    >>> keepdims_from_keepdim("mean", True, True)
    Traceback (most recent call last):
    ...
    TypeError: mean: got both keepdims=True and keepdim=True (PyTorch's name for keepdims); give one of them
    """
    if keepdim is None:
        return keepdims
    if keepdims is not False:
        raise TypeError(f"{owner}: got both keepdims={keepdims!r} and keepdim={keepdim!r} (PyTorch's name for "
                        f"keepdims); give one of them")
    return as_flag(keepdim, owner, "keepdim")


class DuplicateDimError(InvalidArgumentError):
    """A dim named twice in PyTorch's dim= (dim=(0, -4) of a 4-d Tensor): NumPy's ValueError ("duplicate value in
    'axis'") and PyTorch's RuntimeError at once."""


def reduction_from_torch(owner, axis, keepdims, dim, keepdim, *, ndim=None):
    """(axis, keepdims) for a reduction called with PyTorch's dim= and/or keepdim=, or with a list in axis's place,
    which PyTorch reads as dims (x.mean([2, 3])) and NumPy refuses: the callers come here for `type(axis) is list`
    too. An empty dim (() or []) reduces every axis in amax and amin, PyTorch's names, as PyTorch's do (NumPy's
    axis=() reduces none; sum(dim=()) and the others shared with NumPy keep NumPy's meaning).

    >>> from autograd_core._arguments import reduction_from_torch
    >>> reduction_from_torch("sum", None, False, 1, True)
    (1, True)
    >>> reduction_from_torch("mean", [2, 3], False, None, None)
    ((2, 3), False)
    >>> reduction_from_torch("amax", None, False, (), False)
    (None, False)
    >>> reduction_from_torch("amax", [], False, None, None)
    (None, False)

    ndim, the input's, has a dim named twice refused as PyTorch refuses it (DuplicateDimError), and dim 0 or -1 of a
    0-d input read as all of it, as PyTorch reads it (NumPy refuses axis 0 of a 0-d array in most reductions).

    >>> reduction_from_torch("quantile", None, False, (0,), True, ndim=0)
    (None, True)
    """
    if type(axis) is list and dim is None:  # read as dim, as PyTorch reads it
        axis, dim = None, axis
    axis = axis_from_dim(owner, axis, dim)
    whole = axis[0] if isinstance(axis, tuple) and len(axis) == 1 else axis
    if ndim == 0 and dim is not None and scalar_dims(whole):
        axis = None
    if ndim is not None and isinstance(axis, tuple) and len(axis) > 1:
        _check_distinct(owner, axis, ndim)
    if owner in _EMPTY_DIM_REDUCES_ALL and dim is not None and axis == ():
        axis = None
    return axis, keepdims_from_keepdim(owner, keepdims, keepdim)


_EMPTY_DIM_REDUCES_ALL = {"amax", "amin"}


def _check_distinct(owner, dims, ndim):
    """Refuse dims (a tuple) naming one dim of an ndim-d input twice; dims out of range are left to the reduction."""
    seen = set()
    for d in dims:
        if is_int(d) and -ndim <= d < ndim:
            if d % ndim in seen:
                raise DuplicateDimError(f"{owner}: dim {d % ndim} appears multiple times in the list of dims {dims} "
                                        f"(for a Tensor of {ndim} dimensions); name each dim once")
            seen.add(d % ndim)


def refuse_torch_extremum(owner, dim, keepdim, axis=None):
    """The TypeError for PyTorch's max(dim=)/min(dim=), which return (values, indices): accepting dim= would let
    `values, indices = x.max(dim=1)` unpack the rows of a two-row result. axis, the dim given by position (PointNet's
    `torch.max(x, 2, keepdim=True)[0]`), is named in the advice when dim= is not.

    >>> from autograd_core._arguments import refuse_torch_extremum
    >>> raise refuse_torch_extremum("max", 1, None)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    TypeError: max: dim= is not accepted: ...; write x.max(axis=1) for the values (torch.amax(x, dim=1)) and ...
    """
    given = "dim=" if keepdim is None else "keepdim=" if dim is None else "dim= and keepdim="
    shown = dim if dim is not None else axis if isinstance(axis, (int, np.integer)) else None
    axis = "..." if shown is None else repr(shown)
    return TypeError(f"{owner}: {given} is not accepted: PyTorch's x.{owner}(dim={axis}) returns a (values, indices) "
                     f"pair, while this {owner} returns the values alone; write x.{owner}(axis={axis}) for the values "
                     f"(torch.a{owner}(x, dim={axis})) and x.arg{owner}(axis={axis}) for the indices (keepdims=True, "
                     f"not keepdim=, keeps the reduced axis)")


def spread_from_torch(owner, axis, keepdims, ddof, dim, keepdim, unbiased, correction, *, ndim=None):
    """(axis, keepdims, ddof) for var/std called with PyTorch's names. Its correction= is ddof (unbiased=True is
    correction=1, False 0); once one is given, dim= and keepdim= are read as axis= and keepdims=, as in
    `x.var(0, keepdim=True, unbiased=True)`. dim= or keepdim= without either is refused (refuse_torch_spread):
    PyTorch's default is correction=1, NumPy's ddof=0, and a call ported as it is should not silently pick one.

    >>> from autograd_core._arguments import spread_from_torch
    >>> spread_from_torch("var", 0, False, 0, None, True, True, None)
    (0, True, 1)
    >>> spread_from_torch("std", None, False, 0, 1, None, None, 0)
    (1, False, 0)
    """
    if unbiased is None and correction is None:
        raise refuse_torch_spread(owner, dim, keepdim, axis)
    if unbiased is not None and correction is not None:
        raise TypeError(f"{owner}: got both unbiased={unbiased!r} and correction={correction!r}; give one of them "
                        f"(unbiased=True is correction=1)")
    given = f"unbiased={unbiased!r}" if correction is None else f"correction={correction!r}"
    if isinstance(ddof, (bool, np.bool_)) or ddof != 0:
        raise TypeError(f"{owner}: got both ddof={ddof!r} and {given}; give one of them (PyTorch's correction is "
                        f"NumPy's ddof)")
    if correction is None:
        correction = int(as_flag(unbiased, owner, "unbiased"))
    axis, keepdims = reduction_from_torch(owner, axis, keepdims, dim, keepdim, ndim=ndim)
    return axis, keepdims, correction


def refuse_torch_spread(owner, dim, keepdim, axis=None):
    """The TypeError for PyTorch's var(dim=)/std(dim=) without its correction= or unbiased=: PyTorch's default is
    the unbiased estimate (correction=1), this one's NumPy's ddof=0, so a call ported as it is would silently divide
    by n instead of n - 1.

    >>> from autograd_core._arguments import refuse_torch_spread
    >>> raise refuse_torch_spread("var", 0, None)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    TypeError: var: dim= is not accepted: ...; write x.var(axis=0, ddof=1) for torch.var(x, dim=0), or ...
    """
    given = "dim=" if keepdim is None else "keepdim=" if dim is None else "dim= and keepdim="
    axis = repr(axis) if dim is None else repr(dim)  # (x.var(0, keepdim=True) names axis 0 in the advice)
    return TypeError(f"{owner}: {given} is not accepted: PyTorch's {owner} divides by n - 1 by default (correction=1, "
                     f"the unbiased estimate), this one by n (ddof=0, NumPy's default); write x.{owner}(axis={axis}, "
                     f"ddof=1) for torch.{owner}(x, dim={axis}), or x.{owner}(axis={axis}) for torch.{owner}(x, "
                     f"dim={axis}, correction=0) (keepdims=True, not keepdim=, keeps the reduced axis), or give "
                     f"PyTorch's correction: x.{owner}(dim={axis}, unbiased=True) or correction=1")


def without_torch_names(signature):
    """signature without the keyword-only dim/keepdim, for messages about NumPy's functions called on Tensors
    (np.sum(t, dim=1) is refused by NumPy itself)."""
    return signature.replace(parameters=[p for p in signature.parameters.values()
                                         if not (p.kind is p.KEYWORD_ONLY and p.name in TORCH_NAMES)])


def is_int(value):
    """Whether value is an int (Python's or NumPy's), not a bool: a size, an index, a seed.

    >>> from autograd_core._arguments import is_int
    >>> is_int(3), is_int(True), is_int(3.0)
    (True, False, False)
    """
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


def scalar_dims(*dims):
    """Whether each of dims is 0 or -1 (an int), the dims PyTorch reads a 0-d Tensor as having (its one "axis").

    >>> from autograd_core._arguments import scalar_dims
    >>> scalar_dims(0, -1), scalar_dims(0, 1), scalar_dims(False)
    (True, False, False)
    """
    return all(is_int(dim) and dim in (0, -1) for dim in dims)


def check_scalar_dims(owner, *dims):
    """Refuse, for owner, dims that a 0-d Tensor does not have (see scalar_dims): a TypeError for one that is no
    int, as for an input of any shape and as PyTorch's; an AxisError (an IndexError, as PyTorch's) for an int other
    than 0 and -1. The one wording of swapaxes, swapdims, transpose and transpose_ on a 0-d Tensor.

    >>> from autograd_core._arguments import check_scalar_dims
    >>> check_scalar_dims("swapaxes", 0, -1)
    >>> check_scalar_dims("swapaxes", 0.0, 0)
    Traceback (most recent call last):
    ...
    TypeError: swapaxes: each axis must be an int (0 or -1 for a 0-d input), got 0.0 and 0
    """
    if not all(is_int(dim) for dim in dims):
        raise TypeError(f"{owner}: each axis must be an int (0 or -1 for a 0-d input), got "
                        f"{' and '.join(map(repr, dims))}")
    if not scalar_dims(*dims):
        raise np.exceptions.AxisError(f"{owner}: a 0-d input's only axes are 0 and -1 (PyTorch's reading of a "
                                      f"scalar's dims), got {' and '.join(map(repr, dims))}")


def as_index(value):
    """value as an int through operator.index (a NumPy integer or a 0-d integer array too, as NumPy takes them), or
    None where it is none: a bool, a float, a string (the caller names the error).

    >>> from autograd_core._arguments import as_index
    >>> as_index(3), as_index(True), as_index(3.0)
    (3, None, None)
    """
    if isinstance(value, (bool, np.bool_)):
        return None
    try:
        return operator.index(value)
    except TypeError:
        return None


def as_indices(values):
    """values (a sequence, not a string) as a tuple of ints through as_index, or None where it is none or holds
    anything but ints (the caller names the error).

    >>> from autograd_core._arguments import as_indices
    >>> as_indices([2, 3]), as_indices((2, True)), as_indices("23"), as_indices(2)
    ((2, 3), None, None, None)
    """
    if isinstance(values, (str, bytes)):
        return None
    try:
        indices = tuple(as_index(v) for v in values)
    except TypeError:  # (no sequence)
        return None
    return None if None in indices else indices


def int_from_tensor(value):
    """The int a 0-d integer Tensor (or array) holds, as PyTorch takes one wherever it takes an int (a dim, a size,
    narrow's start, topk's k); any other value as it is, for the caller's own check.

    >>> import autograd_core as ag
    >>> from autograd_core._arguments import int_from_tensor
    >>> int_from_tensor(ag.tensor(2)), int_from_tensor(2.0)
    (2, 2.0)
    """
    if getattr(value, "ndim", None) == 0 and getattr(getattr(value, "dtype", None), "kind", None) in ("i", "u"):
        return int(value.item())  # (a Tensor, an array or a NumPy integer; _arguments cannot import Tensor)
    return value


def checked_fill_value(owner, value, dtype, wraps=True):
    """value (a number, or a 0-d Tensor or array) as a number, refused as PyTorch refuses a fill value that dtype
    cannot hold: for an integer dtype an int out of its range (from -max for an unsigned one, which wraps around as
    in PyTorch, unless wraps is False), or a float that is NaN, ±inf, below its minimum or not below max + 1 (its
    fraction is cut toward 0, so 255.5 gives a uint8 255, as PyTorch 2.14's; 2.13 refused it; a float never wraps);
    for a float dtype a finite number beyond its range (which would become inf). A boolean dtype takes any number."""
    number = value.item() if getattr(value, "dtype", None) is not None else value  # (a Tensor, array or NumPy number)
    if not isinstance(number, (int, float)):  # (None or text: NumPy's fill made NaN of None; complex lost its
        raise TypeError(f"{owner}: the value must be a real number (or a 0-d Tensor), got {value!r}")  # imaginary part)
    if dtype.kind not in "iuf" or isinstance(number, bool):
        return number
    if dtype.kind == "f":
        if math.isfinite(number) and abs(number) > float(np.finfo(dtype).max):
            raise OverflowError(f"{owner}: the value {number!r} cannot be converted to dtype {dtype} without "
                                f"overflow; it must be in [{np.finfo(dtype).min}, {np.finfo(dtype).max}] (or ±inf "
                                f"or NaN), as PyTorch requires")
        return number
    info = np.iinfo(dtype)
    low, high = (-int(info.max) if wraps and dtype.kind == "u" else int(info.min)), int(info.max)
    if isinstance(number, int):
        fits = low <= number <= high
    else:  # (Python compares a float with an int exactly: 2.0**63 is not below 2**63)
        fits = math.isfinite(number) and int(info.min) <= number < high + 1
    if not fits:
        raise OverflowError(f"{owner}: the value {number!r} cannot be converted to dtype {dtype} without overflow; "
                            f"it must be an int in [{low}, {high}] or a float in [{info.min}, {high + 1}) (its "
                            f"fraction cut toward 0), as PyTorch requires")
    return number


def unflattened_shape(owner, shape, dim, sizes):
    """shape with axis dim split into the axes `sizes` (ints, one of them may be -1: the size that makes their
    product the axis's size), as torch.unflatten's; the errors name owner.

    >>> from autograd_core._arguments import unflattened_shape
    >>> unflattened_shape("unflatten", (2, 12), 1, (3, -1))
    (2, 3, 4)
    """
    ndim = len(shape)
    if ndim == 0:
        raise InvalidArgumentError(f"{owner}: cannot unflatten a 0-d input (shape ()); it has no axis {dim}")
    if not -ndim <= dim < ndim:
        raise IndexError(f"{owner}: dim {dim} is out of range for an input of shape {shape}; valid dims are "
                         f"{-ndim}..{ndim - 1}")
    axis, sizes = dim % ndim, tuple(sizes)
    n = shape[axis]
    if not sizes:
        raise InvalidArgumentError(f"{owner}: the unflattened sizes must be non-empty (axis {dim} of shape {shape} "
                                   f"becomes them)")
    inferred = [i for i, s in enumerate(sizes) if s == -1]
    known = math.prod(s for s in sizes if s != -1)
    if len(inferred) > 1 or any(s < -1 for s in sizes):
        raise InvalidArgumentError(f"{owner}: the sizes {sizes} must be ints >= 0, with at most one -1 (inferred)")
    if inferred:
        if known == 0 or n % known:
            why = "it is ambiguous when the others multiply to 0" if known == 0 else f"{n} is no multiple of {known}"
            raise InvalidArgumentError(f"{owner}: cannot infer the -1 in sizes {sizes} for axis {dim} of size {n} "
                                       f"(shape {shape}): {why}")
        sizes = tuple(n // known if s == -1 else s for s in sizes)
    elif known != n:
        raise InvalidArgumentError(f"{owner}: the sizes {sizes} do not multiply up to the size {n} of axis {dim} of "
                                   f"the input (shape {shape})")
    return (*shape[:axis], *sizes, *shape[axis + 1:])
