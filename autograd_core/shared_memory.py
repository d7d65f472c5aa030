"""Version counts shared by the Tensors whose values share memory (a Tensor, its views, its detached
copies), as PyTorch's views share one version counter: see SharedMemory."""
import threading
import weakref


class SharedMemory:
    """The Tensors whose values share one memory: a Tensor, its views and its detached copies (see
    share_memory). A change in place through any of them is a new version of each, as PyTorch's views
    share one version counter, so a graph that saved any of them refuses to backpropagate through the old
    values. The cost falls on making views and on changes in place, not on other operations. Members are
    held weakly: a detached copy must not keep a graph alive."""

    __slots__ = ("members", "limit", "has_no_grad_views")

    def __init__(self, owner):
        self.members = [weakref.ref(owner)]
        self.limit = 8  # the size at which dead members are dropped (views taken in a loop must not pile up)
        self.has_no_grad_views = False  # whether a member was ever held by a _NoGradView (see share_memory)
        owner._memory = self

    def count_change(self, changed):
        changed._version += 1
        for ref in self.members:
            tensor = ref()
            if tensor is not None and tensor is not changed:
                tensor._version += 1

    def __reduce__(self):  # a copy or an unpickled Tensor has memory of its own
        return _no_memory, ()

    def __deepcopy__(self, memo):
        return None

    def shared_by_others(self, tensor, besides=()):
        """Whether a live Tensor other than tensor (and those in besides) shares this memory."""
        return any((member := ref()) is not None and member is not tensor and member not in besides
                   for ref in self.members)

    def shared_with_leaf(self, tensor):
        """Whether a live leaf Tensor that requires grad, other than tensor, shares this memory (tensor is a view
        of it)."""
        return any((member := ref()) is not None and member is not tensor and member._op is None
                   and member._requires_grad for ref in self.members)

    def is_no_grad_view(self, tensor):
        """Whether tensor, a member, is a view taken under no_grad of a Tensor that requires grad, or a view of
        such a view (PyTorch's CreationMeta.NO_GRAD_MODE), which PyTorch refuses to change in place while
        recording."""
        return self.has_no_grad_views and any(type(ref) is _NoGradView and ref() is tensor for ref in self.members)

    def leave(self, tensor):
        """tensor's value no longer uses this memory (its .data was replaced)."""
        with _SHARING:
            self.members = [ref for ref in self.members if ref() is not tensor]
        tensor._memory = None


def _no_memory():
    return None


class _NoGradView(weakref.ref):
    """The weak reference by which SharedMemory holds a view taken under no_grad of a Tensor that requires grad
    (or a view of such a view): the mark PyTorch's CreationMeta.NO_GRAD_MODE is, which lives and dies with the
    member and costs the other members nothing."""

    __slots__ = ()


# Held while a SharedMemory's member list is rebuilt or added to: another thread's view must not be lost. (A
# count_change iterates whichever list is current; a rebuilt list replaces it rather than changing it.)
_SHARING = threading.Lock()


def share_memory(tensor, owner, view=False):
    """Record that tensor's value is a view of owner's memory (or the same array): from now on a change in
    place to either is a new version of both (see SharedMemory). view: tensor is an operation's view of owner
    (not a detached copy); taken under no_grad from a Tensor that requires grad, or from such a view, it is
    marked (SharedMemory.is_no_grad_view), as PyTorch's view is created with CreationMeta.NO_GRAD_MODE.

    >>> import autograd_core as ag
    >>> w = ag.tensor([1.0, 2.0])
    >>> first = w[:1]  # a view: indexing called share_memory(first, w)
    >>> first += 1
    >>> w._version, first._version
    (1, 1)
    """
    with _SHARING:
        memory = getattr(owner, "_memory", None) or SharedMemory(owner)
        # (a view made while recording requires grad when its input does: one attribute read for it)
        if view and not tensor._requires_grad and (owner._requires_grad or memory.is_no_grad_view(owner)):
            ref = _NoGradView(tensor)
            memory.has_no_grad_views = True
        else:
            ref = weakref.ref(tensor)
        members = memory.members
        if len(members) >= memory.limit:
            members = memory.members = [member for member in members if member() is not None]
            memory.limit = 2 * len(members) + 8
        members.append(ref)
    tensor._memory = memory
