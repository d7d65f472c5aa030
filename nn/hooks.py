"""Forward hooks on Modules, as PyTorch's: functions called around a module's forward to watch what goes in and
out (a hidden layer's activations, say) or to change it.

A module keeps its hooks in two dicts, its attributes _forward_pre_hooks and _forward_hooks (PyTorch's names),
made at the first registration; a module without hooks finds Module's class attribute None, one cheap lookup per
call.
"""
import itertools
import warnings

from ._arguments import as_flag

PRE_HOOKS, HOOKS = "_forward_pre_hooks", "_forward_hooks"
ALWAYS = "_forward_hooks_always_called"  # {key: True} of the forward hooks registered with always_call=True
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

    __slots__ = ("_hooks", "id", "_always")

    def __init__(self, hooks, key, always=None):
        self._hooks, self.id, self._always = hooks, key, always

    def remove(self):
        self._hooks.pop(self.id, None)
        if self._always is not None:
            self._always.pop(self.id, None)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.remove()


def register(module, where, hook, prepend, with_kwargs, always_call=False):
    """Add hook to module's hooks of kind where (PRE_HOOKS or HOOKS): last, or first with prepend; a forward hook
    with always_call also runs when the forward (or a hook) raises, as PyTorch's."""
    method = "register_forward_pre_hook" if where == PRE_HOOKS else "register_forward_hook"
    if not callable(hook):
        raise TypeError(f"{type(module).__name__}.{method}: the hook must be callable, got {type(hook).__name__}")
    prepend = as_flag(prepend, f"{type(module).__name__}.{method}", "prepend")
    with_kwargs = as_flag(with_kwargs, f"{type(module).__name__}.{method}", "with_kwargs")
    always_call = as_flag(always_call, f"{type(module).__name__}.{method}", "always_call")
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
    if not always_call:
        return RemovableHandle(hooks, key)
    if ALWAYS not in vars(module):
        object.__setattr__(module, ALWAYS, {})
    vars(module)[ALWAYS][key] = True
    return RemovableHandle(hooks, key, vars(module)[ALWAYS])


def call_with_hooks(module, args, kwargs):
    """module.forward(*args, **kwargs) between its hooks, as PyTorch's Module.__call__: a pre-hook may return new
    args (a tuple, or one value), or with_kwargs a pair (args, kwargs); a hook may return a new output. When a
    pre-hook, the forward or a hook raises, the hooks registered with always_call=True that have not run yet are
    called (with the output so far, None if the forward did not return; an error of theirs is a warning), then the
    error goes on."""
    always = vars(module).get(ALWAYS)
    if not always:
        return _call_with_hooks(module, args, kwargs, None)
    state = {"called": set(), "args": args, "kwargs": kwargs, "output": None}
    try:
        return _call_with_hooks(module, args, kwargs, state)
    except Exception:
        for key, (hook, with_kwargs) in list(module._forward_hooks.items()):
            if key in always and key not in state["called"]:
                hook_args = (module, state["args"], state["kwargs"]) if with_kwargs else (module, state["args"])
                try:
                    hook(*hook_args, state["output"])
                except Exception as error:
                    warnings.warn(f"{type(module).__name__}: a forward hook with always_call=True raised an error that "
                                  f"was silenced as another error was raised in forward: {error!r}", stacklevel=3)
        raise


def _call_with_hooks(module, args, kwargs, state):
    """call_with_hooks's work; state (when always-called hooks are registered) keeps the arguments, the output so
    far and the keys of the hooks called."""
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
    if state is not None:
        state["args"], state["kwargs"] = args, kwargs
    output = module.forward(*args, **kwargs)
    for key, (hook, with_kwargs) in list(module._forward_hooks.items()):
        if state is not None:
            state["called"].add(key)
            state["output"] = output
        result = hook(module, args, kwargs, output) if with_kwargs else hook(module, args, output)
        if result is not None:
            output = result
    return output
