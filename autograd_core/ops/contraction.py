"""Contractions: einsum, and tensordot, dot, inner and outer built on it.

einsum is one primitive. Its subscripts are first made explicit ('ij,jk' becomes 'ij,jk->ik', an ellipsis becomes
letters of its own, and an axis of size 1 facing a longer one in another operand gets a letter of its own, summed
over), so the primitive sees one size per letter and no broadcasting. The gradient of each operand is then an einsum
of g with the other operands, recorded, so second derivatives hold: a letter summed in that operand alone comes back
by broadcasting, and a letter repeated in it (a diagonal, a trace) by a mask that puts the values on the diagonal.
"""
import functools
import math
import string

import numpy as np
from numpy.lib.array_utils import normalize_axis_index

from .._arguments import InvalidArgumentError
from ..primitive import PerInput, Primitive, as_operand
from ..tensor import Tensor, as_value
from .arithmetic import matmul, multiply
from .reductions import sum as _sum
from .shape import expand_dims, reshape, squeeze

_LETTERS = string.ascii_letters


def _einsum_forward(*operands, subscripts):
    # Large operands go through BLAS: two as one matmul (below), three or more by NumPy's pairwise plan (optimize),
    # whose planning costs some 25 microseconds, 5 times the whole of a small einsum; small ones by einsum's loop.
    large = len(operands) > 1 and max(np.size(x) for x in operands) >= 4096
    if large and len(operands) == 2:
        a, b = operands
        if a.dtype == b.dtype and a.dtype.kind in "fc":
            plan = _matmul_plan(subscripts, a.shape, a.strides, b.shape, b.strides)
            if plan is not None:
                return _matmul_by_plan(a, b, *plan)
    if np.result_type(*operands) == np.float16:  # NumPy's einsum adds float16 products in float16, several ulps off
        # after a few dozen terms: in float32, rounded once, as PyTorch's float16 kernels (and np.matmul) add them
        return np.einsum(subscripts, *operands, dtype=np.float32, optimize=large).astype(np.float16)
    out = np.einsum(subscripts, *operands, optimize=large)
    if len(operands) == 1 and isinstance(out, np.ndarray) and out.base is not None and np.may_share_memory(
            out, operands[0]):  # a diagonal or a transpose, which NumPy returns as a writable view of the operand:
        out = out.copy()  # a copy, as the other results, since no version count would see a change through it
    return out


def _memory_order(term, shape, strides):
    """term's letters from the outermost axis in memory to the innermost (the longest one last among equal strides)."""
    return sorted(term, key=lambda c: (-abs(strides[term.index(c)]), shape[term.index(c)]))


@functools.lru_cache(maxsize=256)  # a layer contracts the same shapes and strides at every step
def _matmul_plan(subscripts, a_shape, a_strides, b_shape, b_strides):
    """How to contract two operands as one (batched) matrix product, or None for einsum to do it (a diagonal, or a
    letter longer than 1 summed in one operand alone): each operand is transposed to (batch, free, contracted) or
    (batch, contracted, free), whichever its memory order makes the cheaper copy, and reshaped to 3-D; the product's
    axes are then put in the output's order. Three to six times faster than einsum's own pairwise path (optimize) on
    a convolution's windows, which it copies with the kernel's short axes innermost."""
    inputs, output = subscripts.split("->")
    ta, tb = inputs.split(",")
    size = dict(zip(ta, a_shape)) | dict(zip(tb, b_shape))
    if len(set(ta)) < len(ta) or len(set(tb)) < len(tb) or any(
            size[c] > 1 for c in (ta + tb) if c not in output and (c in ta) != (c in tb)):
        return None
    larger = (ta, a_shape, a_strides) if math.prod(a_shape) >= math.prod(b_shape) else (tb, b_shape, b_strides)
    shared = [c for c in _memory_order(*larger) if c in ta and c in tb]
    batch = [c for c in shared if c in output]
    contracted = [c for c in shared if c not in output]
    left = [c for c in _memory_order(ta, a_shape, a_strides) if c in output and c not in tb]
    right = [c for c in _memory_order(tb, b_shape, b_strides) if c in output and c not in ta]

    def layout(term, shape, strides, free):
        """(axes order, 3-D shape, free_last) of one operand: (batch, contracted, free) when its innermost axis of
        more than one entry is free, else (batch, free, contracted); letters summed alone (size 1) go first."""
        lone = [c for c in term if c not in output and c not in shared]
        inner = [c for c in _memory_order(term, shape, strides) if size[c] > 1]
        free_last = bool(inner) and inner[-1] in free
        groups = (batch, contracted, free) if free_last else (batch, free, contracted)
        order = tuple(term.index(c) for c in lone + [c for group in groups for c in group])
        return order, tuple(math.prod(size[c] for c in group) for group in groups), free_last

    order_a, dims_a, swap_a = layout(ta, a_shape, a_strides, left)  # a is wanted as (batch, free, contracted)
    order_b, dims_b, free_last_b = layout(tb, b_shape, b_strides, right)  # b as (batch, contracted, free)
    swap_b = not free_last_b
    produced = batch + left + right
    return (order_a, dims_a, swap_a, order_b, dims_b, swap_b, tuple(size[c] for c in produced),
            tuple(produced.index(c) for c in output))


def _matmul_by_plan(a, b, order_a, dims_a, swap_a, order_b, dims_b, swap_b, produced_shape, output_order):
    a = a.transpose(order_a).reshape(dims_a)
    b = b.transpose(order_b).reshape(dims_b)
    product = np.matmul(a.swapaxes(1, 2) if swap_a else a, b.swapaxes(1, 2) if swap_b else b)
    return product.reshape(produced_shape).transpose(output_order)


def _diagonal_mask(term, shape, dtype):
    """1 where the axes of each letter repeated in term hold equal indices, 0 elsewhere (a constant)."""
    index = np.indices(shape, sparse=True)
    mask = np.ones(shape, dtype)
    for letter in set(term):
        first = term.index(letter)
        for position in (p for p, c in enumerate(term) if c == letter and p != first):
            mask = mask * (index[position] == index[first])
    return mask


def _einsum_vjp(k, g, ans, operands, subscripts):
    # out[O] = sum of prod_m X_m[S_m], so dX_k[S_k] = sum of g[O] prod_{m != k} X_m[S_m]: an einsum over the others.
    inputs, output = subscripts.split("->")
    terms = inputs.split(",")
    term, others = terms[k], terms[:k] + terms[k + 1:]
    present = set(output).union(*others)
    unique = "".join(dict.fromkeys(term))  # each letter once, in the order of first appearance
    kept = "".join(c for c in unique if c in present)  # a letter summed in X_k alone is in no other term
    part = _einsum.traced(g, *operands[:k], *operands[k + 1:], subscripts=",".join([output, *others]) + "->" + kept)
    x = operands[k]
    # kept's letters sit at their first appearance in term; a letter summed in X_k alone, or a repeat, has size 1
    first = [term.index(c) == p and c in present for p, c in enumerate(term)]
    part = part.reshape(tuple(n if on else 1 for n, on in zip(x.shape, first)))
    if len(unique) < len(term):  # the diagonal: zeros off it (a multiplication, so recorded)
        part = part * _diagonal_mask(term, x.shape, np.result_type(as_value(part)))
    if part.shape != x.shape:
        return np.broadcast_to(part, x.shape)
    # C order (NumPy's einsum may give a transposed array), as PyTorch lays out a convolution's weight gradient:
    # DARTS flattens torch.autograd.grad(loss, model.parameters()) with g.view(-1)
    if isinstance(part, Tensor):
        return part.contiguous()
    return part if part.flags.c_contiguous else np.ascontiguousarray(part)  # (which makes a 0-d array 1-d)


class _AllBut:
    """The positions other than one: what that operand's rule reads (`position in _AllBut(k)`)."""

    __slots__ = ("k",)

    def __init__(self, k):
        self.k = k

    def __contains__(self, position):
        return position != self.k


class _Einsum(Primitive):
    """einsum's node: each operand's rule reads the other operands, never its own value nor the result (as
    PyTorch's, whose matrix products save an operand only for the other's gradient); so a change in place to the
    only operand that requires grad (a weight after an optimizer step, a trace's input) is not refused."""

    def reads(self, slots, params=None):
        slots = tuple(slots)
        return (_AllBut(slots[0]) if len(slots) == 1 else set() if not slots else None), False


_einsum = _Einsum("einsum", _einsum_forward, PerInput(_einsum_vjp),
                  "each letter must name axes of one size (or 1) in every operand")


def _check_string(subscripts):
    if not isinstance(subscripts, str):
        got = (f"{type(subscripts).__name__} of shape {np.shape(subscripts)}" if hasattr(subscripts, "shape")
               else repr(subscripts))
        raise TypeError(f"einsum: subscripts must be a string such as 'ij,jk->ik', got {got} (the interleaved form "
                        f"einsum(a, [0, 1], b, [1, 2]) is not supported)")


def _parse(subscripts, n):
    """(terms, output) of subscripts for n operands, output None when implicit; errors name the term and letter."""
    _check_string(subscripts)
    compact = subscripts.replace(" ", "")
    if compact.count("->") > 1:
        raise ValueError(f"einsum: subscripts {subscripts!r} hold '->' more than once")
    inputs, arrow, output = compact.partition("->")
    terms = inputs.split(",")
    if len(terms) != n:
        raise ValueError(f"einsum: subscripts {subscripts!r} name {len(terms)} operand(s), but {n} were given")
    for where, term in [*((f"operand {k}", t) for k, t in enumerate(terms)), ("the output", output)]:
        rest = term.replace("...", "", 1)
        bad = next((c for c in rest if c not in _LETTERS), None)
        if bad is not None:
            raise ValueError(f"einsum: subscripts {subscripts!r}: {where} has {bad!r} ({term!r}); use letters a-z, "
                             f"A-Z and at most one '...' per operand")
    return terms, output if arrow else None


@functools.lru_cache(maxsize=256)  # a layer calls einsum with the same subscripts and shapes at every step
def _explicit_cached(subscripts, shapes):
    return _explicit(subscripts, shapes)


def _explicit(subscripts, shapes):
    """subscripts as the primitive takes them: explicit, each '...' replaced by letters of its own (right-aligned
    across operands, as NumPy broadcasts), and each axis of size 1 facing a longer one in another operand given a
    fresh letter (summed: it holds one entry), so that each letter has one size."""
    terms, output = _parse(subscripts, len(shapes))
    used = set("".join(terms) + (output or ""))
    spare = iter(c for c in _LETTERS if c not in used)
    widths = []
    for k, (term, shape) in enumerate(zip(terms, shapes)):
        named = len(term.replace("...", ""))
        if named > len(shape) or "..." not in term and named != len(shape):
            raise ValueError(f"einsum: operand {k} has shape {shape} ({len(shape)} dimensions), but its subscripts "
                             f"{term!r} name {named}" + ("" if "..." in term else "; '...' stands for any others"))
        widths.append(len(shape) - named if "..." in term else 0)
    try:
        ellipsis = "".join([next(spare) for _ in range(max(widths, default=0))])  # (a list: a generator would turn
        # the StopIteration into a RuntimeError)
    except StopIteration:
        raise ValueError(f"einsum: subscripts {subscripts!r} use too many letters to name the axes of '...'") from None
    terms = [t.replace("...", ellipsis[len(ellipsis) - w:] if w else "") for t, w in zip(terms, widths)]
    if output is None:  # NumPy's implicit mode: '...' first, then the letters seen once, in alphabetical order
        letters = "".join(terms)
        output = ellipsis + "".join(sorted(c for c in set(letters) - set(ellipsis) if letters.count(c) == 1))
    else:  # an output without '...' sums its axes, as torch.einsum (NumPy refuses): Opacus's 'n...i,n...j->nij'
        output = output.replace("...", ellipsis)
    sizes = {}  # letter: (its size, the operand it was first seen with that size in)
    for k, (term, shape) in enumerate(zip(terms, shapes)):
        own = {}
        for letter, n in zip(term, shape):
            if own.setdefault(letter, n) != n:
                raise ValueError(f"einsum: index {letter!r} is repeated in operand {k} (shape {shape}) over axes of "
                                 f"sizes {own[letter]} and {n}; a repeated index takes a diagonal, of axes of one size")
        for letter, n in own.items():
            m, j = sizes.get(letter, (1, k))
            if n != m and 1 not in (n, m):
                raise ValueError(f"einsum: index {letter!r} has size {m} in operand {j} (shape {shapes[j]}) but {n} "
                                 f"in operand {k} (shape {shape}); the axes one letter names must be of one size (or "
                                 f"1, broadcast)")
            if m == 1:
                sizes[letter] = (n, k)
    for letter in output:
        if output.count(letter) > 1:
            raise ValueError(f"einsum: output index {letter!r} appears more than once in {subscripts!r}")
        if letter not in sizes:
            raise ValueError(f"einsum: output index {letter!r} appears in no operand of {subscripts!r}")
    for k, (term, shape) in enumerate(zip(terms, shapes)):  # broadcast axes of size 1: letters of their own
        for letter in {c for c, n in zip(term, shape) if n == 1 and sizes[c][0] != 1}:
            try:
                terms[k] = term = term.replace(letter, next(spare))
            except StopIteration:
                raise ValueError(f"einsum: subscripts {subscripts!r} use too many letters to broadcast the axes of "
                                 f"size 1") from None
    return ",".join(terms) + "->" + output


def _is_torch_operand_list(subscripts, operand):
    """Whether einsum's one operand is PyTorch's list of operands: a list or tuple of Tensors, as many as the
    subscripts' terms, two or more (where NumPy, which would stack it into one array, has a missing operand)."""
    return (type(subscripts) is str and isinstance(operand, (list, tuple))
            and len(operand) == subscripts.partition("->")[0].count(",") + 1 >= 2
            and all(isinstance(item, Tensor) for item in operand))


def einsum(subscripts, *operands):
    """Einstein summation, as np.einsum: explicit ('ij,jk->ik') and implicit ('ij,jk', the letters seen once, in
    alphabetical order) subscripts, '...' for the axes not named (broadcast across operands), a letter repeated in one
    operand for its diagonal ('ii->i') or trace ('ii'), axes of size 1 broadcast against longer ones; an explicit
    output without '...' sums the axes '...' stands for, as torch.einsum ('n...i,n...j->nij'; NumPy refuses).
    Each operand's gradient is an einsum of g with the others, so second derivatives hold. NumPy's interleaved form
    (einsum(a, [0, 1], b, [1, 2])) is not supported. PyTorch's list form, einsum('ij,jk->ik', [a, b]) (a list or
    tuple of two or more Tensors, one per term of the subscripts), is taken as the operands given apart.

    >>> import autograd_core as ag
    >>> a = ag.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    >>> ag.einsum("ij,j->i", a, ag.tensor([1.0, 1.0]))
    Tensor([3., 7.], op=einsum)
    >>> ag.einsum("ii", a).backward(); a.grad
    Tensor([[1., 0.],
            [0., 1.]])
    >>> ag.einsum("ij,ij->", (a, a)).item()
    30.0
    """
    if len(operands) == 1 and _is_torch_operand_list(subscripts, operands[0]):
        operands = tuple(operands[0])
    if not operands:
        raise TypeError("einsum: no operands given; call einsum('ij,jk->ik', a, b)")
    _check_string(subscripts)  # (before the operands: in the interleaved form they hold axis lists)
    operands = [as_operand(x, "einsum") for x in operands]
    shapes = tuple(x.shape for x in operands)
    explicit = _explicit_cached(subscripts, shapes) if type(subscripts) is str else _explicit(subscripts, shapes)
    return _einsum(*operands, subscripts=explicit)


def _axis_list(name, axes, ndim, which, shape):
    """axes (an int or a sequence of ints) as non-negative ints for an operand of ndim dimensions."""
    axes = [axes] if isinstance(axes, (int, np.integer)) else list(axes)
    try:
        normal = [normalize_axis_index(a, ndim) for a in axes]
    except (np.exceptions.AxisError, TypeError):
        raise np.exceptions.AxisError(f"{name}: axes {axes} out of range for {which} of shape {shape}; each must be an "
                                      f"int in [{-ndim}, {ndim})") from None
    if len(set(normal)) != len(normal):
        raise ValueError(f"{name}: axes {axes} of {which} (shape {shape}) name an axis twice")
    return normal


class _DefaultAxes(int):
    """tensordot's default axes, 2, told apart from an explicit 2 (given with dims=, which one was meant?)."""


_TWO = _DefaultAxes(2)


def tensordot(a, b, axes=_TWO, *, dims=None):
    """Sum of products over the given axes, as np.tensordot: axes=N pairs a's last N axes with b's first N, and
    axes=(a_axes, b_axes) pairs them in order; the result has a's free axes, then b's. dims is PyTorch's name for axes,
    and with it a paired axis of size 1 broadcasts against its partner, as torch.tensordot's (the partner is summed).

    >>> import autograd_core as ag
    >>> ag.tensordot(ag.ones((2, 3, 4)), ag.ones((3, 4, 5))).shape
    (2, 5)
    >>> ag.tensordot(ag.ones((2, 3)), ag.ones((3, 2)), axes=([0, 1], [1, 0]))
    Tensor(6.)
    """
    if dims is not None:
        if axes is not _TWO:
            raise TypeError(f"tensordot: got both axes={axes!r} and dims={dims!r} (PyTorch's name for axes); give one")
        axes = dims
    a, b = as_operand(a, "tensordot"), as_operand(b, "tensordot")
    if isinstance(axes, (int, np.integer)) and not isinstance(axes, (bool, np.bool_)):
        if not 0 <= axes <= min(a.ndim, b.ndim):
            raise InvalidArgumentError(f"tensordot: axes={axes} must be in [0, {min(a.ndim, b.ndim)}] for shapes "
                                       f"{a.shape} and {b.shape} (the last axes of a paired with as many first axes "
                                       f"of b)")
        a_axes, b_axes = list(range(a.ndim - axes, a.ndim)), list(range(axes))
    else:
        try:
            a_given, b_given = axes
        except (TypeError, ValueError):
            raise TypeError(f"tensordot: axes must be an int or a pair (a_axes, b_axes), got {axes!r}") from None
        a_axes = _axis_list("tensordot", a_given, a.ndim, "a", a.shape)
        b_axes = _axis_list("tensordot", b_given, b.ndim, "b", b.shape)
        if len(a_axes) != len(b_axes):
            raise ValueError(f"tensordot: {len(a_axes)} axes of a but {len(b_axes)} of b given ({axes!r}); they are "
                             f"paired, so give as many of each")
    for i, j in zip(a_axes, b_axes):
        if a.shape[i] != b.shape[j] and dims is not None and 1 in (a.shape[i], b.shape[j]):
            # (torch's broadcasting: sum_k a_k * b_0 = (sum_k a_k) * b_0)
            a, b = (a, _sum(b, axis=j, keepdims=True)) if a.shape[i] == 1 else (_sum(a, axis=i, keepdims=True), b)
        elif a.shape[i] != b.shape[j]:
            raise ValueError(f"tensordot: axis {i} of a (shape {a.shape}) has size {a.shape[i]} but axis {j} of b "
                             f"(shape {b.shape}) has {b.shape[j]}; paired axes must be of one size")
    if a.ndim + b.ndim - len(a_axes) > len(_LETTERS):
        raise ValueError(f"tensordot: shapes {a.shape} and {b.shape} have {a.ndim + b.ndim - len(a_axes)} axes "
                         f"between them, more than the {len(_LETTERS)} einsum can name")
    letters = iter(_LETTERS)
    a_term = [next(letters) for _ in range(a.ndim)]
    paired = dict(zip(b_axes, a_axes))
    b_term = [a_term[paired[j]] if j in paired else next(letters) for j in range(b.ndim)]
    out = [c for i, c in enumerate(a_term) if i not in a_axes] + [c for j, c in enumerate(b_term) if j not in b_axes]
    return _einsum(a, b, subscripts=f"{''.join(a_term)},{''.join(b_term)}->{''.join(out)}")


def dot(a, b):
    """NumPy's dot: a product by a 0-d operand, the inner product of 1-D ones, the matrix product of 2-D ones, and
    in general the sum over a's last axis and b's second-to-last (its only one when 1-D).

    >>> import autograd_core as ag
    >>> ag.dot(ag.tensor([1.0, 2.0]), ag.tensor([3.0, 4.0]))
    Tensor(11.)
    """
    a, b = as_operand(a, "dot"), as_operand(b, "dot")
    if not a.ndim or not b.ndim:
        return multiply(a, b)
    summed = max(b.ndim - 2, 0)  # b's second-to-last axis, or its only one
    if a.shape[-1] != b.shape[summed]:
        raise ValueError(f"dot: shapes {a.shape} and {b.shape} are not aligned: a's last axis ({a.shape[-1]}) must "
                         f"equal b's {'only' if b.ndim == 1 else 'second-to-last'} axis ({b.shape[summed]})")
    if a.ndim <= 2 and b.ndim <= 2:  # np.dot is np.matmul there: NumPy's own BLAS product, bit for bit, and the
        return matmul(a, b)  # matmul rule (a small einsum sums in its own loop, in another order, 4 times slower)
    return tensordot(a, b, axes=([a.ndim - 1], [summed]))


def inner(a, b):
    """NumPy's inner: the sum over the last axes of a and b (a product by a 0-d operand); the result has a's other
    axes, then b's.

    >>> import autograd_core as ag
    >>> ag.inner(ag.ones((2, 3)), ag.ones((4, 3))).shape
    (2, 4)
    """
    a, b = as_operand(a, "inner"), as_operand(b, "inner")
    if not a.ndim or not b.ndim:
        return multiply(a, b)
    if a.shape[-1] != b.shape[-1]:
        raise ValueError(f"inner: the last axes of shapes {a.shape} and {b.shape} differ ({a.shape[-1]} and "
                         f"{b.shape[-1]}); they are summed over, so must be of one size")
    return tensordot(a, b, axes=([-1], [-1]))


def outer(a, b):
    """NumPy's outer: every product a_i b_j of the entries of a and b, each flattened first (PyTorch's takes 1-D
    inputs only), as an (a.size, b.size) Tensor.

    >>> import autograd_core as ag
    >>> ag.outer(ag.tensor([1.0, 2.0]), ag.tensor([1.0, 10.0, 100.0]))
    Tensor([[  1.,  10., 100.],
            [  2.,  20., 200.]])
    """
    a, b = as_operand(a, "outer"), as_operand(b, "outer")
    return multiply(reshape(a, -1, 1), reshape(b, 1, -1))


def vdot(a, b):
    """NumPy's vdot on real Tensors: the inner product of a and b, each flattened (so of one size).

    >>> import autograd_core as ag
    >>> ag.vdot(ag.tensor([[1.0, 2.0], [3.0, 4.0]]), ag.ones(4))
    Tensor(10.)
    """
    a, b = as_operand(a, "vdot"), as_operand(b, "vdot")
    if a.size != b.size:
        raise ValueError(f"vdot: a of shape {a.shape} and b of shape {b.shape} hold {a.size} and {b.size} entries; "
                         f"flattened, they must be vectors of one length")
    return dot(reshape(a, -1), reshape(b, -1))


def _vectors_of(name, x, least):
    """x as the operand of a matrix-vector product, with the axes its core needs."""
    x = as_operand(x, name)
    if x.ndim < least:
        raise ValueError(f"{name}: an operand of shape {x.shape} has {x.ndim} axes; it needs at least {least} (its "
                         f"last {'two hold matrices' if least == 2 else 'one holds vectors'})")
    return x


def matvec(x1, x2):
    """NumPy's matvec: the products of the matrices in x1 (its last two axes) with the vectors in x2 (its last axis),
    the other axes broadcast.

    >>> import autograd_core as ag
    >>> ag.matvec(ag.tensor([[1.0, 2.0], [3.0, 4.0]]), ag.tensor([1.0, 1.0]))
    Tensor([3., 7.])
    """
    x1, x2 = _vectors_of("matvec", x1, 2), _vectors_of("matvec", x2, 1)
    if x1.shape[-1] != x2.shape[-1]:
        raise ValueError(f"matvec: matrices of shape {x1.shape} take vectors of length {x1.shape[-1]}; x2 of shape "
                         f"{x2.shape} holds vectors of length {x2.shape[-1]}")
    return squeeze(matmul(x1, expand_dims(x2, -1)), -1)


def vecmat(x1, x2):
    """NumPy's vecmat: the products of the vectors in x1 (its last axis) with the matrices in x2 (its last two
    axes), the other axes broadcast.

    >>> import autograd_core as ag
    >>> ag.vecmat(ag.tensor([1.0, 1.0]), ag.tensor([[1.0, 2.0], [3.0, 4.0]]))
    Tensor([4., 6.])
    """
    x1, x2 = _vectors_of("vecmat", x1, 1), _vectors_of("vecmat", x2, 2)
    if x1.shape[-1] != x2.shape[-2]:
        raise ValueError(f"vecmat: matrices of shape {x2.shape} take vectors of length {x2.shape[-2]}; x1 of shape "
                         f"{x1.shape} holds vectors of length {x1.shape[-1]}")
    return squeeze(matmul(expand_dims(x1, -2), x2), -2)
