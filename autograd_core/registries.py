"""Registries of Tensors held weakly and by identity: the non-leaf Tensors whose .grad backward fills
(Tensor.retain_grad), the Tensors with hooks (Tensor.register_hook), and the transforms' finished arguments.
A registry rather than a slot on every Tensor: the other nodes of a graph pay nothing for it."""
import itertools
import threading
import weakref


class TensorWeakSet:
    """Tensors held weakly and by identity, safe to use from several threads. (weakref.WeakSet compares its
    members with ==, which for Tensors is elementwise.)"""

    def __init__(self):
        self._by_id = weakref.WeakValueDictionary()
        # discard tests, then deletes: another thread must not re-add the same id in between.
        self._lock = threading.Lock()

    def add(self, tensor):
        with self._lock:
            self._by_id[id(tensor)] = tensor

    def discard(self, tensor):
        with self._lock:
            if self._by_id.get(id(tensor)) is tensor:
                del self._by_id[id(tensor)]

    def __contains__(self, tensor):
        return self._by_id.get(id(tensor)) is tensor

    def __bool__(self):
        return bool(self._by_id)


# The non-leaf Tensors whose .grad backward fills too (Tensor.retain_grad): a registry rather than a slot, so the
# other nodes of a graph pay nothing for it, and weak, so it keeps none of them alive.
RETAINING_GRAD = TensorWeakSet()
# The Tensors with hooks (Tensor.register_hook; the hooks themselves are in their _hooks slot), likewise.
HOOKED = TensorWeakSet()
HOOK_KEYS = itertools.count()


class RemovableHandle:
    """What Tensor.register_hook returns: remove() unregisters the hook (a second call does nothing)."""

    __slots__ = ("_tensor", "_key")

    def __init__(self, tensor, key):
        self._tensor = weakref.ref(tensor)
        self._key = key

    def remove(self):
        tensor = self._tensor()
        if tensor is not None and tensor._hooks.pop(self._key, None) is not None and not tensor._hooks:
            HOOKED.discard(tensor)
