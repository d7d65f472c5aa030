"""Registries of Tensors held weakly and by identity: the non-leaf Tensors whose .grad backward fills
(Tensor.retain_grad), the Tensors with hooks (Tensor.register_hook), and the transforms' finished arguments.
A registry rather than a slot on every Tensor: the other nodes of a graph pay nothing for it."""
import functools
import itertools
import threading
import weakref


class TensorWeakSet(dict):
    """Tensors held weakly and by identity: a dict of id -> weak reference, so that its truth value, which
    backprop tests for every node, is a dict's (no Python call), and membership compares identity (weakref.WeakSet
    compares its members with ==, which for Tensors is elementwise). A Tensor's entry goes when it dies. Safe to
    use from several threads."""

    __slots__ = ("_lock",)

    def __init__(self):
        super().__init__()
        # Test, then change: another thread must not change the same id's entry in between. Reentrant: a
        # reference's callback may run inside add, when an allocation there lets the collector free a Tensor.
        self._lock = threading.RLock()

    def add(self, tensor):
        key = id(tensor)
        with self._lock:
            ref = self.get(key)
            if ref is None or ref() is not tensor:
                self[key] = weakref.ref(tensor, functools.partial(self._forget, key))

    def discard(self, tensor):
        key = id(tensor)
        with self._lock:
            ref = self.get(key)
            if ref is not None and ref() is tensor:
                del self[key]

    def __contains__(self, tensor):
        ref = self.get(id(tensor))
        return ref is not None and ref() is tensor

    def _forget(self, key, ref):
        """A registered Tensor died: its entry goes, unless its id already names a newer Tensor."""
        with self._lock:
            if self.get(key) is ref:
                del self[key]


class TensorWeakDict(TensorWeakSet):
    """A value per Tensor, the Tensor held weakly and by identity as in TensorWeakSet: its value goes when it dies
    (forward_ad's tangents of dual Tensors, kept no longer than the Tensors they belong to).

    >>> import autograd_core as ag
    >>> from autograd_core.registries import TensorWeakDict
    >>> tangents, x = TensorWeakDict(), ag.tensor(1.0)
    >>> tangents.put(x, "its tangent"); tangents.value(x), tangents.value(ag.tensor(1.0))
    ('its tangent', None)
    """

    __slots__ = ("_values",)

    def __init__(self):
        super().__init__()
        self._values = {}

    def put(self, tensor, value):
        with self._lock:
            self.add(tensor)
            self._values[id(tensor)] = value

    def value(self, tensor, default=None):
        """tensor's value, or default when it has none."""
        return self._values.get(id(tensor), default) if tensor in self else default

    def discard(self, tensor):
        with self._lock:
            if tensor in self:
                del self[id(tensor)]
                self._values.pop(id(tensor), None)

    def _forget(self, key, ref):
        with self._lock:
            if self.get(key) is ref:
                del self[key]
                self._values.pop(key, None)


# The non-leaf Tensors whose .grad backward fills too (Tensor.retain_grad): a registry rather than a slot, so the
# other nodes of a graph pay nothing for it, and weak, so it keeps none of them alive.
RETAINING_GRAD = TensorWeakSet()
# The Tensors with hooks (Tensor.register_hook; the hooks themselves are in their _hooks slot), likewise.
HOOKED = TensorWeakSet()
HOOK_KEYS = itertools.count()
# The leaves with post-accumulate-grad hooks (Tensor.register_post_accumulate_grad_hook): leaf -> {key: hook}.
POST_ACCUMULATE = TensorWeakDict()
# The open forward AD levels (forward_ad's; one at most), here so that a recorded in-place change (in_place_record's
# _rebase) tells them a Tensor's record moved without importing forward_ad: empty, it costs a loop over nothing.
DUAL_LEVELS = []


class RemovableHandle:
    """What Tensor.register_hook returns: remove() unregisters the hook (a second call does nothing); as a context
    manager, as PyTorch's, the hook is on inside the with block. id: the hook's key, unique in the process.

    >>> import autograd_core as ag
    >>> x = ag.tensor([1.0, 2.0], requires_grad=True)
    >>> with x.register_hook(lambda grad: 10 * grad):
    ...     (x * x).sum().backward()
    >>> (x * x).sum().backward(); x.grad
    Tensor([22., 44.])
    """

    __slots__ = ("_tensor", "_hooks", "_key")

    def __init__(self, tensor, key):
        self._tensor = weakref.ref(tensor)
        self._hooks = tensor._hooks  # the dict itself: a change in place moves it to the old value's record
        self._key = key

    @property
    def id(self):
        return self._key

    def remove(self):
        if self._hooks.pop(self._key, None) is None or self._hooks:
            return
        tensor = self._tensor()
        owner = tensor if tensor is not None and getattr(tensor, "_hooks", None) is self._hooks else next(
            (node for ref in list(HOOKED.values()) if (node := ref()) is not None and node._hooks is self._hooks),
            None)  # (moved: found among the few Tensors with hooks)
        if owner is not None:
            HOOKED.discard(owner)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.remove()
