"""PyTorch's Tensor.register_post_accumulate_grad_hook: a hook called with a leaf itself once backward has added
the leaf's gradient into its .grad (an optimizer step taken inside the backward pass, per parameter). The hooks
live in registries.POST_ACCUMULATE; backprop.backward runs them (backprop._run_post_accumulate_hooks) after the sums, so a
pass without such hooks pays one test of an empty dict."""
from .registries import HOOK_KEYS, POST_ACCUMULATE
from .tensor import Tensor


def register_post_accumulate_grad_hook(self, hook):
    """Have backward call hook(tensor) each time it has added this leaf's gradient into its .grad, as
    torch.Tensor.register_post_accumulate_grad_hook: the hook reads tensor.grad and may change the tensor or its
    .grad in place (it runs under no_grad, as PyTorch's, unless the pass has create_graph=True); it must return
    None. Hooks run in the order registered, after the Tensor hooks (register_hook) that change the gradient.
    Returns a handle whose remove() unregisters the hook (a context manager too). Only a leaf that requires grad
    takes one, as in PyTorch.

    >>> import autograd_core as ag
    >>> w = ag.tensor([1.0, 2.0], requires_grad=True)
    >>> def sgd_step(p):  # an optimizer step inside backward
    ...     p -= 0.5 * p.grad
    ...     p.grad = None
    >>> handle = w.register_post_accumulate_grad_hook(sgd_step)
    >>> (w * w).sum().backward()
    >>> w, w.grad
    (Tensor([0., 0.], requires_grad=True), None)
    >>> handle.remove()
    """
    where = "register_post_accumulate_grad_hook"
    if not self._requires_grad:
        raise RuntimeError(f"{where}: this Tensor (shape {self.shape}) does not require grad, so backward never "
                           f"accumulates into its .grad; register it on a leaf with requires_grad=True")
    if self._op is not None:
        raise RuntimeError(f"{where}: post accumulate grad hooks cannot be registered on non-leaf tensors (this one "
                           f"was computed by '{self._op.name}'), as in PyTorch: register it on the leaf, or use "
                           f"register_hook for this Tensor's gradient")
    if not callable(hook):
        raise TypeError(f"{where}: the hook must be callable (called with the Tensor), got {type(hook).__name__}")
    hooks = POST_ACCUMULATE.value(self)
    if hooks is None:
        hooks = {}
        POST_ACCUMULATE.put(self, hooks)
    key = next(HOOK_KEYS)
    hooks[key] = hook
    return _PostAccumulateHandle(hooks, key)


Tensor.register_post_accumulate_grad_hook = register_post_accumulate_grad_hook


class _PostAccumulateHandle:
    """What register_post_accumulate_grad_hook returns: remove() unregisters the hook (a second call does nothing);
    a context manager, as PyTorch's handles. id: the hook's key, unique in the process."""

    __slots__ = ("_hooks", "_key")

    def __init__(self, hooks, key):
        self._hooks, self._key = hooks, key

    @property
    def id(self):
        return self._key

    def remove(self):
        self._hooks.pop(self._key, None)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.remove()

