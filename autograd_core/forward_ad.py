"""Forward-mode AD with dual Tensors, PyTorch's torch.autograd.forward_ad as ag.autograd.forward_ad: inside
`with dual_level():`, make_dual(x, v) is x carrying the tangent v, and unpack_dual(y), for y computed from it,
gives (y's value, J @ v), y's derivative along v.

No operation has a forward rule of its own. A dual Tensor is a recorded Tensor (it requires grad), registered in
the level with its tangent; unpack_dual(y) finds the dual Tensors y's graph reaches and computes J @ v from that
graph by the double-vjp trick, as ag.jvp does (transforms.transposed_vjp), once per Tensor and level (cached,
unless recorded). So every operation with a gradient rule carries tangents, ag.Function's included, and a tangent
is differentiable again where y's graph reaches Tensors that require grad besides the dual ones (backward of
forward, as PyTorch's).

Where it differs from PyTorch: a dual Tensor and what is computed from it require grad, and operations run under
no_grad are not recorded, so they carry no tangent (make_dual refuses to run there); a tangent is computed from
the graph, so unpack_dual after a backward that freed it raises, and a recorded tangent's graph runs through the
primal's nodes (a backward through either frees them, unless retain_graph=True); a tangent takes its Tensor's
dtype (a dual Tensor's own is as given). One level at a time, as PyTorch's (ag.jvp nests, for higher forward
derivatives).
"""
import contextlib
from typing import NamedTuple, Optional

import numpy as np

from .backprop import topological_order
from .grad_mode import is_grad_enabled
from .registries import DUAL_LEVELS, TensorWeakDict, TensorWeakSet
from .tensor import Tensor
from .transforms import _argument, _needs_graph, _recorded_for_caller, transposed_vjp

__all__ = ["UnpackedDualTensor", "dual_level", "enter_dual_level", "exit_dual_level", "make_dual", "unpack_dual"]


class _Level:
    """A forward AD level: its dual nodes, each with what it adds to the tangent that flows into it from the
    graph (a dual Tensor made from a Tensor without one: its tangent; unpack_dual's primal: minus the tangent it
    cuts off), unpack_dual's primals among them, and unpack_dual's cache of tangents, (version, tangent) per
    Tensor (those not recorded: a recorded one's graph may hold its Tensor, which would then never die)."""

    def __init__(self, index):
        self.index = index
        self.added = TensorWeakDict()
        self.primals = TensorWeakSet()
        self.tangents = TensorWeakDict()

    def reaches_dual(self, tensor):
        """Whether tensor's graph reaches a dual Tensor other than through an unpacked primal (one reached only
        through primals carries no tangent, as PyTorch's, rather than a tangent of zeros)."""
        seen, stack = {id(tensor)}, [tensor]
        while stack:
            node = stack.pop()
            if node in self.primals:
                continue
            if node in self.added:
                return True
            for parent in node._parents:
                if id(parent) not in seen:
                    seen.add(id(parent))
                    stack.append(parent)
        return False

    def rebased(self, tensor, old):
        """tensor, recorded, was changed in place (in_place_record._rebase): old, its record before, is where a
        tangent it was given enters the graph (so `dual *= 2` doubles it), and its cached tangent is stale."""
        self.tangents.discard(tensor)
        added = self.added.value(tensor)
        if added is not None:
            self.added.discard(tensor)
            self.added.put(old, added)
        if tensor in self.primals:
            self.primals.discard(tensor)
            self.primals.add(old)

    def shown_tangent(self, tensor):
        """tensor's tangent for its repr, or None when it has none or it cannot be computed any more."""
        try:
            return self.tangent_of(tensor)
        except RuntimeError:  # (its graph was freed by a backward pass: the repr shows the value alone)
            return None

    def tangent_of(self, tensor):
        """tensor's tangent at this level, or None when its graph reaches no dual Tensor of it."""
        cached = self.tangents.value(tensor)
        if cached is not None and cached[0] == tensor._version:
            return cached[1]
        if tensor._op is None and tensor in self.added:  # a dual leaf changed under no_grad: its tangent as given
            return self.added.value(tensor)
        order = topological_order(tensor) if tensor.requires_grad else []
        if any(node._op is not None and node._inputs is None for node in order):  # (its dual Tensors may be gone)
            raise RuntimeError("forward_ad.unpack_dual: a backward pass freed part of this Tensor's graph, which its "
                               "tangent is computed from, so which dual Tensors it came from is no longer known; "
                               "call unpack_dual before that backward, or pass it retain_graph=True")
        nodes = [node for node in order if node in self.added]
        tangent = None
        if nodes and (not self.primals or self.reaches_dual(tensor)):
            added = [self.added.value(node) for node in nodes]
            nested = _needs_graph(tensor, nodes) or any(_recorded_for_caller(t) for t in added)
            tangent = transposed_vjp(tensor, nodes, added, nested)
            if tangent is None:  # (the graph reaches them only through operations of zero derivative: floor)
                tangent = Tensor(np.zeros(tensor.shape, dtype=tensor.dtype))
            elif tangent.dtype != tensor.dtype:
                tangent = tangent.astype(tensor.dtype)
        if tangent is None or not tangent.requires_grad:  # (a recorded one may hold tensor: it would live on)
            self.tangents.put(tensor, (tensor._version, tangent))
        return tangent


_levels = DUAL_LEVELS  # the current level last (one at most, as PyTorch's)


class UnpackedDualTensor(NamedTuple):
    """What unpack_dual returns: the primal (a Tensor's value, carrying no tangent) and its tangent (None for
    none), as PyTorch's namedtuple.

    >>> import autograd_core as ag
    >>> from autograd_core.autograd import forward_ad as fwAD
    >>> fwAD.unpack_dual(ag.tensor(1.0)).tangent is None
    True
    """
    primal: Tensor
    tangent: Optional[Tensor]


def enter_dual_level():
    """Enter a forward AD level and return its index (0), as PyTorch's; dual_level is the usual way in. Levels do
    not nest here either: one is entered at a time.

    >>> from autograd_core.autograd import forward_ad as fwAD
    >>> level = fwAD.enter_dual_level(); fwAD.exit_dual_level(level=level); level
    0
    """
    if _levels:
        raise RuntimeError("forward_ad.enter_dual_level: nested forward mode AD is not supported at the moment (as "
                           "PyTorch's): a dual level is open already; exit it first, or for higher forward "
                           "derivatives nest ag.jvp (jvp of jvp)")
    _levels.append(_Level(0))
    return 0


def exit_dual_level(*, level=None):
    """Exit the current forward AD level (level: its index, the current one by default): the tangents it gave
    are gone, unpack_dual then gives None for them.

    >>> import autograd_core as ag
    >>> from autograd_core.autograd import forward_ad as fwAD
    >>> fwAD.enter_dual_level()
    0
    >>> y = fwAD.make_dual(ag.tensor(2.0), ag.tensor(1.0)) * 3
    >>> fwAD.exit_dual_level(); fwAD.unpack_dual(y).tangent is None
    True
    """
    if not _levels:
        raise RuntimeError("forward_ad.exit_dual_level: no dual level is open to exit; enter one first "
                           "(enter_dual_level(), or `with dual_level():`)")
    if level is not None and level != _levels[-1].index:
        raise RuntimeError(f"forward_ad.exit_dual_level: trying to exit level {level!r}, but the open one is "
                           f"{_levels[-1].index}: only the last level created can be exited (as PyTorch's)")
    _levels.pop()


class dual_level(contextlib.ContextDecorator):  # noqa: N801 (PyTorch's name)
    """Context manager (or decorator) for forward AD: the with block is a dual level, and `as` gives its index;
    the tangents made inside are gone after it, as PyTorch's.

    >>> import autograd_core as ag
    >>> from autograd_core.autograd import forward_ad as fwAD
    >>> with fwAD.dual_level():
    ...     y = fwAD.make_dual(ag.tensor([1.0, 2.0]), ag.tensor([1.0, 0.0])) ** 2
    ...     fwAD.unpack_dual(y).tangent
    Tensor([2., 0.])
    """

    def __enter__(self):
        return enter_dual_level()

    def __exit__(self, *exc_info):
        exit_dual_level()


def _current(level, where):
    """The open level, checked against level (an index, or None for the open one); None when none is open."""
    current = _levels[-1] if _levels else None
    if level is not None and (current is None or level != current.index):
        raise RuntimeError(f"forward_ad.{where}: level={level!r} is not the open dual level "
                           f"({'none is open' if current is None else current.index}); leave level to its default, "
                           f"the open one")
    return current


def _checked_float(value, where, what):
    if value.dtype.kind != "f":
        raise ValueError(f"forward_ad.{where}: expected {what} to be floating point, but got {value.dtype} (as "
                         f"PyTorch's); give floats (x.double())")


def make_dual(tensor, tangent, *, level=None):
    """tensor carrying the forward gradient tangent (of its shape) at the open dual level: what is computed from
    the result carries J @ tangent, read with unpack_dual. The result shares tensor's memory and is
    backward-differentiable to it, as PyTorch's; it requires grad here (it is a recorded Tensor).

    >>> import autograd_core as ag
    >>> from autograd_core.autograd import forward_ad as fwAD
    >>> with fwAD.dual_level():
    ...     x = fwAD.make_dual(ag.tensor([0.0, 1.0]), ag.tensor([1.0, 1.0]))
    ...     fwAD.unpack_dual(ag.exp(x).sum())
    UnpackedDualTensor(primal=Tensor(3.71828183), tangent=Tensor(3.71828183))
    """
    current = _current(level, "make_dual")
    if current is None:
        raise RuntimeError("forward_ad.make_dual: trying to create a dual Tensor for forward AD but no level exists "
                           "(as PyTorch's); make sure to enter_dual_level() first, or work inside "
                           "`with dual_level():`")
    for value, what in ((tensor, "tensor"), (tangent, "tangent")):
        if not isinstance(value, Tensor):
            raise TypeError(f"forward_ad.make_dual: {what} must be a Tensor, got {type(value).__name__}; make one "
                            f"with ag.tensor")
    _checked_float(tensor, "make_dual", "primal")
    _checked_float(tangent, "make_dual", "tangent")
    if tangent.shape != tensor.shape:
        raise RuntimeError(f"forward_ad.make_dual: trying to set a forward gradient that has a different size than "
                           f"that of the original Tensor, which is not supported: the Tensor has shape "
                           f"{tensor.shape}, the forward gradient {tangent.shape}")
    if not is_grad_enabled():
        raise RuntimeError("forward_ad.make_dual: grad mode is off (no_grad or inference_mode); tangents here are "
                           "computed from the recorded graph, so make dual Tensors and compute with them where grad "
                           "is enabled")
    if tensor.requires_grad and current.reaches_dual(tensor):
        raise RuntimeError(f"forward_ad.make_dual: making a dual Tensor based on a Tensor that already has a forward "
                           f"gradient at the same level {current.index} is not supported (as PyTorch's); unpack it "
                           f"first (unpack_dual(t).primal)")
    if tangent.requires_grad and current.reaches_dual(tangent):
        raise RuntimeError(f"forward_ad.make_dual: trying to set a forward gradient that has a forward gradient at "
                           f"the same level {current.index}, which is not supported (as PyTorch's): the tangent was "
                           f"computed from a dual Tensor; give unpack_dual(tangent).primal")
    # From a Tensor that requires grad: a node on its graph, so backward reaches it; else a leaf of its memory.
    dual = _argument(tensor) if tensor.requires_grad else tensor.detach().requires_grad_(True)
    current.added.put(dual, tangent)
    current.tangents.put(dual, (dual._version, tangent))  # unpack_dual gives it as it is, as PyTorch's
    return dual


def unpack_dual(tensor, *, level=None):
    """(primal, tangent): tensor's value carrying no tangent, and tensor's tangent at the open dual level, J @ v
    for the tangents v of the dual Tensors tensor was computed from (None when it was computed from none, or when
    no level is open). The primal is backward-differentiable to what tensor is, where that requires grad.

    >>> import autograd_core as ag
    >>> from autograd_core.autograd import forward_ad as fwAD
    >>> with fwAD.dual_level():
    ...     x = fwAD.make_dual(ag.tensor(2.0), ag.tensor(1.0))
    ...     primal, tangent = fwAD.unpack_dual(x ** 3)
    >>> primal, tangent
    (Tensor(8.), Tensor(12.))
    """
    current = _current(level, "unpack_dual")
    if not isinstance(tensor, Tensor):
        raise TypeError(f"forward_ad.unpack_dual: expected a Tensor, got {type(tensor).__name__}")
    tangent = None if current is None else current.tangent_of(tensor)
    if tangent is None:
        return UnpackedDualTensor(tensor, None)
    duals = [node for node in topological_order(tensor) if node in current.added]
    if not _needs_graph(tensor, duals):
        return UnpackedDualTensor(tensor.detach(), tangent)
    # Connected to the Tensors that require grad besides the dual ones: a node on tensor's graph that cancels
    # the tangent flowing into it
    primal = _argument(tensor)
    current.added.put(primal, -tangent)
    current.primals.add(primal)
    current.tangents.put(primal, (primal._version, None))
    return UnpackedDualTensor(primal, tangent)
