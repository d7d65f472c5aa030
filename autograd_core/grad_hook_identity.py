"""identity_with_grad_hook: several Tensors passed through unchanged, whose gradients backward hands to one hook
together, once all of them are final, and which the hook may replace (PyTorch's BackwardHookFunction, behind
nn.Module's backward hooks).

A node has one output here, so the identity is one node per Tensor, each recorded on a common junction node whose
inputs are the original Tensors:

    x_k --> junction --> identity_k --> (the consumers of the k-th result)

An identity's rule keeps its gradient aside and passes the junction a mark of its position (a one-hot vector over
the items given); being recorded after the junction, every identity has been visited when the junction's rule
runs, which calls the hook with the gradients kept in this pass (its own gradient, the sum of the marks, says
which: a pass stopped by an error before the junction may have left others) and gives each x_k its gradient, or
the hook's replacement. Nothing else in the engine knows of it.
"""
import numpy as np

from .grad_mode import GRAD_MODE
from .primitive import PerInput, Primitive, apply, refuse_held_graph
from .shared_memory import share_memory
from .tensor import Tensor, as_value

__all__ = ["identity_with_grad_hook"]


class _Junction:
    """One call's state: the hook, the positions (among the items given) of the Tensors requiring grad, which are
    the junction node's inputs in that order, their shapes and dtypes, the gradients the identities kept in the
    current pass ({position: gradient}), and the hook's verdict for the current pass (one per input, or None)."""

    __slots__ = ("hook", "name", "size", "places", "shapes", "dtypes", "arrived", "replaced")

    def __init__(self, hook, name, size, tensors, places):
        self.hook, self.name, self.size, self.places = hook, name, size, places
        self.shapes = [tensors[k].shape for k in places]
        self.dtypes = [tensors[k].dtype for k in places]
        self.arrived, self.replaced = {}, None

    def run_hook(self, marks):
        """The gradients to give each input, after the hook; marks: the positions whose gradient arrived in this
        pass (nonzero entries)."""
        recording = GRAD_MODE.enabled  # (a pass runs its rules with grad mode on exactly when it records itself)
        grads = [None] * self.size
        for position, g in self.arrived.items():
            if marks[position]:
                grads[position] = g if isinstance(g, Tensor) else Tensor._constant(np.asarray(g))
        self.arrived = {}
        result = self.hook(tuple(grads))
        if result is None:
            result = grads
        elif not isinstance(result, (tuple, list)) or len(result) != self.size:
            got = f"{len(result)} entries" if isinstance(result, (tuple, list)) else f"a {type(result).__name__}"
            raise TypeError(f"{self.name} must return None or a tuple of {self.size} gradient(s), one per Tensor "
                            f"given (None for no gradient), got {got}")
        return [self._given_on(result[k], slot, k, recording) for slot, k in enumerate(self.places)]

    def _given_on(self, grad, slot, position, recording):
        """grad as the gradient of input slot: a Tensor when the pass records itself, else an array of the
        hook's own (the hook may keep what it was given or returns, and a .grad is added into in place)."""
        if grad is None:
            return None
        refuse_held_graph(grad, self.name, f"returned, for entry {position}, a", "return one Tensor each")
        value = as_value(grad)
        dtype, shape = np.result_type(value), np.shape(value)
        if dtype.kind not in "biuf":
            raise TypeError(f"{self.name} returned, for entry {position}, a gradient of dtype {dtype}; "
                            f"return a Tensor or array of real numbers (or None)")
        if shape != self.shapes[slot]:
            raise ValueError(f"{self.name} returned, for entry {position}, a gradient of shape {shape} for a "
                             f"Tensor of shape {self.shapes[slot]}; it must keep the shape")
        if recording:
            grad = grad if isinstance(grad, Tensor) else Tensor._constant(np.asarray(value))
            return grad if grad.dtype == self.dtypes[slot] else grad.astype(self.dtypes[slot])
        return np.array(value, dtype=self.dtypes[slot])


def _junction_rule(i, g, ans, inputs, _junction):
    junction = _junction
    if junction.replaced is None:  # the first input's rule in this pass: all the identities have been visited
        junction.replaced = junction.run_hook(as_value(g))
    return junction.replaced[i]


def _forget_verdict(params, partial, released):
    params["_junction"].replaced = None


def _identity_rule(g, ans, junction_value, _value, _junction, _position):
    _junction.arrived[_position] = g
    mark = np.zeros(_junction.size)
    mark[_position] = 1
    return mark


_junction = Primitive("grad_hook", lambda *values, _junction: np.zeros(_junction.size), PerInput(_junction_rule),
                      reads_values=False)
_junction.after_rules = _forget_verdict
_identity = Primitive("grad_hook_identity", lambda junction_value, _value, _junction, _position: _value.view(),
                      (_identity_rule,), reads_values=False)


def identity_with_grad_hook(tensors, hook, *, name="identity_with_grad_hook: the hook"):
    """The items of tensors as a tuple, each Tensor requiring grad replaced by an identity of it (the same values,
    sharing its memory), whose gradients backward hands to hook together: hook(grads) is called once per pass in
    which a gradient reaches any of them, after all of theirs are final, with grads a tuple of one entry per item
    (a Tensor; None for an item that is no Tensor requiring grad, and for one no gradient reached). It returns None
    to let them flow on as they are, or a tuple (or list) of the same length that replaces them: each entry of the
    shape of its Tensor (cast to its dtype), None for no gradient; entries for items without gradient are ignored.
    Items that are not Tensors requiring grad come back as they are; with grad mode off, or no Tensor requiring
    grad, so do all, and hook is never called. The hook runs in the pass's grad mode: under create_graph=True it
    gets recorded Tensors, and what it returns is differentiated again. name: what errors call the hook.

    nn.Module's backward hooks are built on it, around a module's inputs and around its outputs.

    >>> import autograd_core as ag
    >>> x, w = ag.tensor([1.0, 2.0], requires_grad=True), ag.tensor(3.0, requires_grad=True)
    >>> seen = []
    >>> def hook(grads):
    ...     seen.append([g.tolist() for g in grads])
    ...     return grads[0], 10 * grads[1]  # x's as it is, w's times 10
    >>> x2, w2 = ag.identity_with_grad_hook((x, w), hook)
    >>> (x2 * w2).sum().backward()
    >>> seen, x.grad, w.grad
    ([[[3.0, 3.0], 3.0]], Tensor([3., 3.]), Tensor(30.))
    """
    if not isinstance(tensors, (tuple, list)):
        raise TypeError(f"identity_with_grad_hook: tensors must be a tuple or list (of Tensors, and any other "
                        f"items), got {type(tensors).__name__}; for one Tensor pass (t,)")
    if not callable(hook):
        raise TypeError(f"identity_with_grad_hook: the hook must be callable, got {type(hook).__name__}")
    places = [k for k, t in enumerate(tensors) if isinstance(t, Tensor) and t._requires_grad]
    if not places or not GRAD_MODE.enabled:
        return tuple(tensors)
    junction = _Junction(hook, name, len(tensors), tensors, places)
    hub = apply(_junction, [tensors[k] for k in places], {"_junction": junction})
    results = list(tensors)
    for k in places:
        x = tensors[k]
        if type(x._data) is not np.ndarray:  # a reduction may hold a NumPy scalar, of which no view shares memory
            x._data = np.asarray(x._data)
        results[k] = identity = apply(_identity, (hub,), {"_value": x._data, "_junction": junction, "_position": k})
        share_memory(identity, x)  # a change in place to either is a new version of both, as for views
    return tuple(results)
