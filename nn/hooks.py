"""Forward hooks on Modules, as PyTorch's: functions called around a module's forward to watch what goes in and
out (a hidden layer's activations, say) or to change it.

A module keeps its hooks in two dicts, its attributes _forward_pre_hooks and _forward_hooks (PyTorch's names),
made at the first registration; a module without hooks finds Module's class attribute None, one cheap lookup per
call.
"""
import itertools

from ._arguments import as_flag

PRE_HOOKS, HOOKS = "_forward_pre_hooks", "_forward_hooks"
_next_key = itertools.count()


class RemovableHandle:
    """What register_forward_hook and register_forward_pre_hook return: remove() takes the hook off (a second call
    does nothing); as a context manager, the hook is on inside the with block.

    >>> import numpy as np, nn
    >>> layer, seen = nn.Linear(2, 3), []
    >>> with layer.register_forward_hook(lambda module, args, output: seen.append(output.shape)):
    ...     _ = layer(np.ones((4, 2), np.float32))
    >>> _ = layer(np.ones((1, 2), np.float32)); seen
    [(4, 3)]
    """

    __slots__ = ("_hooks", "id")

    def __init__(self, hooks, key):
        self._hooks, self.id = hooks, key

    def remove(self):
        self._hooks.pop(self.id, None)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.remove()


def register(module, where, hook, prepend, with_kwargs):
    """Add hook to module's hooks of kind where (PRE_HOOKS or HOOKS): last, or first with prepend."""
    method = "register_forward_pre_hook" if where == PRE_HOOKS else "register_forward_hook"
    if not callable(hook):
        raise TypeError(f"{type(module).__name__}.{method}: the hook must be callable, got {type(hook).__name__}")
    prepend = as_flag(prepend, f"{type(module).__name__}.{method}", "prepend")
    with_kwargs = as_flag(with_kwargs, f"{type(module).__name__}.{method}", "with_kwargs")
    for kind in (PRE_HOOKS, HOOKS):  # both at once: Module.__call__ looks at _forward_hooks alone
        if kind not in vars(module):
            object.__setattr__(module, kind, {})  # (a dict of no Parameter or Module: no registration)
    hooks = vars(module)[where]
    key = next(_next_key)
    if prepend:
        others = dict(hooks)
        hooks.clear()
        hooks[key] = (hook, with_kwargs)
        hooks.update(others)
    else:
        hooks[key] = (hook, with_kwargs)
    return RemovableHandle(hooks, key)


def call_with_hooks(module, args, kwargs):
    """module.forward(*args, **kwargs) between its hooks, as PyTorch's Module.__call__: a pre-hook may return new
    args (a tuple, or one value), or with_kwargs a pair (args, kwargs); a hook may return a new output."""
    for hook, with_kwargs in list(module._forward_pre_hooks.values()):  # (a hook may remove itself)
        if with_kwargs:
            result = hook(module, args, kwargs)
            if result is not None:
                if not (isinstance(result, tuple) and len(result) == 2):
                    raise TypeError(f"{type(module).__name__}: a forward pre-hook with with_kwargs=True must return "
                                    f"None or a pair (args, kwargs), got {type(result).__name__}")
                args, kwargs = result
        else:
            result = hook(module, args)
            if result is not None:
                args = result if isinstance(result, tuple) else (result,)
    output = module.forward(*args, **kwargs)
    for hook, with_kwargs in list(module._forward_hooks.values()):
        result = hook(module, args, kwargs, output) if with_kwargs else hook(module, args, output)
        if result is not None:
            output = result
    return output
