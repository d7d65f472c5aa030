"""An optimizer's state-dict hooks, as torch.optim.Optimizer's: register_state_dict_pre_hook(hook) runs
hook(optimizer) before state_dict(), register_state_dict_post_hook(hook) runs hook(optimizer, state_dict) after it
(a dict returned replaces it), register_load_state_dict_pre_hook(hook) runs hook(optimizer, state_dict) before
load_state_dict() (a dict returned is loaded instead), register_load_state_dict_post_hook(hook) runs hook(optimizer)
after it. Each takes prepend= and returns a RemovableHandle, as a Module's hooks do. An optimizer holds the hook dicts
only once a hook was registered, so state_dict() and load_state_dict() without hooks do no more than a lookup.
(PyTorch's step pre/post hooks would need Optimizer.step itself: not here.)"""
from ..hooks import RemovableHandle, _checked, _inserted

__all__ = ["OptimizerStateDictHooks"]

# PyTorch's attribute names
STATE_DICT_PRE = "_optimizer_state_dict_pre_hooks"
STATE_DICT_POST = "_optimizer_state_dict_post_hooks"
LOAD_STATE_DICT_PRE = "_optimizer_load_state_dict_pre_hooks"
LOAD_STATE_DICT_POST = "_optimizer_load_state_dict_post_hooks"


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


class OptimizerStateDictHooks:
    """The register_*state_dict*_hook methods (mixed into Optimizer).

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
