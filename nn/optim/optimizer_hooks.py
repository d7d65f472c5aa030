"""An optimizer's state-dict hooks, as torch.optim.Optimizer's: register_state_dict_pre_hook(hook) runs
hook(optimizer) before state_dict(), register_state_dict_post_hook(hook) runs hook(optimizer, state_dict) after it
(a dict returned replaces it), register_load_state_dict_pre_hook(hook) runs hook(optimizer, state_dict) before
load_state_dict() (a dict returned is loaded instead), register_load_state_dict_post_hook(hook) runs hook(optimizer)
after it. Each takes prepend= and returns a RemovableHandle, as a Module's hooks do. An optimizer holds the hook dicts
only once a hook was registered, so state_dict() and load_state_dict() without hooks do no more than a lookup.
The step hooks too: register_step_pre_hook(hook) runs hook(optimizer, args, kwargs) before each step (a pair
(args, kwargs) returned replaces them), register_step_post_hook(hook) runs hook(optimizer, args, kwargs) after it; a
step without them tests one attribute. register_optimizer_step_pre_hook and register_optimizer_step_post_hook
(torch.optim.optimizer's, nn.optim.optimizer's here) register the same hooks for every optimizer's step."""
from ..hooks import RemovableHandle, _checked, _inserted, _next_key

__all__ = ["OptimizerHooks", "register_optimizer_step_pre_hook", "register_optimizer_step_post_hook"]

# PyTorch's attribute names
STATE_DICT_PRE = "_optimizer_state_dict_pre_hooks"
STATE_DICT_POST = "_optimizer_state_dict_post_hooks"
LOAD_STATE_DICT_PRE = "_optimizer_load_state_dict_pre_hooks"
LOAD_STATE_DICT_POST = "_optimizer_load_state_dict_post_hooks"
STEP_PRE = "_optimizer_step_pre_hooks"
STEP_POST = "_optimizer_step_post_hooks"


def _register(optimizer, where, method, hook, prepend):
    prepend = _checked(f"{type(optimizer).__name__}.{method}", hook, prepend)
    return RemovableHandle(*_inserted(optimizer, (where,), where, hook, prepend))


def run_hooks(optimizer, where, *args):
    """Call optimizer's hooks of kind where with (optimizer, *args); the last dict one returns (for the hooks that
    may replace a state dict: args is that dict), else args[0]; None for the hooks without args."""
    hooks = vars(optimizer).get(where)
    result = args[0] if args else None
    for hook in list(hooks.values()) if hooks else ():
        returned = hook(optimizer, *(result,) if args else ())
        if args and returned is not None:
            result = returned
    return result


# PyTorch's names: the hooks of every optimizer's step, {key: hook}
_global_optimizer_pre_hooks = {}
_global_optimizer_post_hooks = {}


class _GlobalHookHandle(RemovableHandle):
    """A global step hook's handle: once none is left, a step without hooks of its own tests one attribute again."""

    __slots__ = ()

    def remove(self):
        super().remove()
        if not _global_optimizer_pre_hooks and not _global_optimizer_post_hooks:
            OptimizerHooks._has_step_hooks = False


def _register_global(hooks, hook, name):
    _checked(f"nn.optim.optimizer.{name}", hook, False)
    key = next(_next_key)
    hooks[key] = hook
    OptimizerHooks._has_step_hooks = True  # (every optimizer's step now goes through step_with_hooks)
    return _GlobalHookHandle(hooks, key)


def register_optimizer_step_pre_hook(hook):
    """Call hook(optimizer, args, kwargs) before the step of every optimizer, as torch.optim.optimizer's: before
    the optimizer's own step pre-hooks, and as they may, it may return (new_args, new_kwargs). Returns a
    RemovableHandle.

    >>> import autograd_core as ag
    >>> from nn.optim import SGD
    >>> from nn.optim.optimizer import register_optimizer_step_pre_hook
    >>> seen = []
    >>> handle = register_optimizer_step_pre_hook(lambda opt, args, kwargs: seen.append(type(opt).__name__))
    >>> SGD([ag.tensor([1.0], requires_grad=True)]).step(); handle.remove(); seen
    ['SGD']
    """
    return _register_global(_global_optimizer_pre_hooks, hook, "register_optimizer_step_pre_hook")


def register_optimizer_step_post_hook(hook):
    """Call hook(optimizer, args, kwargs) after the step of every optimizer (after its own step post-hooks), as
    torch.optim.optimizer's. Returns a RemovableHandle."""
    return _register_global(_global_optimizer_post_hooks, hook, "register_optimizer_step_post_hook")


def step_with_hooks(optimizer, step, args, kwargs):
    """step(*args, **kwargs) between the step pre-hooks and post-hooks, as PyTorch's: the global pre-hooks then
    optimizer's own, the step, then optimizer's own post-hooks and the global ones. args begins with the
    optimizer, as the hooks get it, and a pre-hook may return (args, kwargs) for the step (and the hooks after it) to
    take. A step called inside it (a subclass's step calling Optimizer.step) runs without the hooks, which ran once
    around the outer one."""
    for hook in [*_global_optimizer_pre_hooks.values(), *vars(optimizer).get(STEP_PRE, {}).values()]:
        result = hook(optimizer, args, kwargs)
        if result is not None:
            if not (isinstance(result, tuple) and len(result) == 2):
                raise RuntimeError(f"{hook} must return None or a tuple of (new_args, new_kwargs), but got {result}.")
            args, kwargs = result
    optimizer._in_step_hooks = True
    try:
        out = step(*args, **kwargs)
    finally:
        optimizer._in_step_hooks = False
    for hook in [*vars(optimizer).get(STEP_POST, {}).values(), *_global_optimizer_post_hooks.values()]:
        hook(optimizer, args, kwargs)
    return out


class OptimizerHooks:
    """The register_*state_dict*_hook and register_step_*_hook methods (mixed into Optimizer).

    >>> import autograd_core as ag
    >>> from nn.optim import SGD
    >>> opt = SGD([ag.tensor([1.0], requires_grad=True)], lr=0.1)
    >>> handle = opt.register_state_dict_post_hook(lambda opt, state: {**state, "note": "saved"})
    >>> opt.state_dict()["note"]
    'saved'
    >>> handle.remove(); "note" in opt.state_dict()
    False
    """

    def register_state_dict_pre_hook(self, hook, prepend=False):
        """hook(optimizer), called before state_dict() builds the dict; returns a RemovableHandle."""
        return _register(self, STATE_DICT_PRE, "register_state_dict_pre_hook", hook, prepend)

    def register_state_dict_post_hook(self, hook, prepend=False):
        """hook(optimizer, state_dict), called on the dict state_dict() returns; a dict it returns replaces it."""
        return _register(self, STATE_DICT_POST, "register_state_dict_post_hook", hook, prepend)

    def register_load_state_dict_pre_hook(self, hook, prepend=False):
        """hook(optimizer, state_dict), called before load_state_dict() reads it; a dict it returns is loaded."""
        return _register(self, LOAD_STATE_DICT_PRE, "register_load_state_dict_pre_hook", hook, prepend)

    def register_load_state_dict_post_hook(self, hook, prepend=False):
        """hook(optimizer), called after load_state_dict() restored the state; returns a RemovableHandle."""
        return _register(self, LOAD_STATE_DICT_POST, "register_load_state_dict_post_hook", hook, prepend)

    _has_step_hooks = False  # (set once a step hook is registered: a step without them tests this alone)
    _in_step_hooks = False

    def register_step_pre_hook(self, hook):
        """hook(optimizer, args, kwargs), called before each step() with its arguments (args begins with the
        optimizer, as PyTorch's); returning a pair (new_args, new_kwargs) replaces them. Returns a RemovableHandle.

        >>> import autograd_core as ag
        >>> from nn.optim import SGD
        >>> w = ag.tensor([1.0], requires_grad=True)
        >>> opt, calls = SGD([w], lr=0.1), []
        >>> handle = opt.register_step_pre_hook(lambda opt, args, kwargs: calls.append("pre"))
        >>> _ = opt.register_step_post_hook(lambda opt, args, kwargs: calls.append("post"))
        >>> w.grad = ag.tensor([1.0]); opt.step(); calls
        ['pre', 'post']
        """
        self._has_step_hooks = True
        return _register(self, STEP_PRE, "register_step_pre_hook", hook, False)

    def register_step_post_hook(self, hook):
        """hook(optimizer, args, kwargs), called after each step() with its arguments. Returns a RemovableHandle."""
        self._has_step_hooks = True
        return _register(self, STEP_POST, "register_step_post_hook", hook, False)
