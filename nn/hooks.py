"""Hooks on Modules, as PyTorch's: forward hooks, functions called around a module's forward to watch what goes in
and out (a hidden layer's activations, say) or to change it; and backward hooks, called with the gradients with
respect to a module's outputs (pre-hooks) and inputs, which they may replace.

A module keeps its hooks in dicts, its attributes _forward_pre_hooks and _forward_hooks, _backward_pre_hooks and
_backward_hooks (PyTorch's names), made at the first registration; a module without hooks finds Module's class
attribute None, one cheap lookup per call. The forward dicts map a key to the hook itself, as PyTorch's (code that
finds its own hooks there, nn.utils.prune's and PyTorch's pruning tutorial, reads them so); the keys of those
registered with with_kwargs=True are in _forward_pre_hooks_with_kwargs and _forward_hooks_with_kwargs, PyTorch's
names too. Module's walk over its attributes passes these dicts by (FORWARD_HOOK_DICTS), so that a Module used as a
hook is not taken for a child. A backward hook makes the forward dicts too, so that Module.__call__,
which looks at _forward_hooks alone, takes call_with_hooks.

State dict hooks, as PyTorch's, are called around state_dict (pre-hooks before a module's entries are read, post
hooks with the dict once the module's entries and those below it are in) and load_state_dict (pre-hooks with the
entries under the module's prefix, which they may change: rename an old checkpoint's keys, say; post hooks with the
incompatible keys). They are kept in _state_dict_pre_hooks and _state_dict_hooks (made together: state_dict looks at
the second alone), _load_state_dict_pre_hooks and _load_state_dict_post_hooks.

Backward hooks hold no gradient rule: around each call, autograd_core.identity_with_grad_hook passes the module's
positional inputs and its outputs through identities whose gradients reach this module's code together (see
_BackwardCall).
"""
import itertools
import warnings
import weakref

import numpy as np

from autograd_core import Tensor, identity_with_grad_hook, is_grad_enabled

from ._arguments import as_flag

PRE_HOOKS, HOOKS = "_forward_pre_hooks", "_forward_hooks"
# Every change of the attributes, buffers, children or hooks (added or removed) of a module a compiled step
# (nn.TrainStep) recorded a graph through (Module._recorded), and of the global hooks, counts here: a compiled step
# replays the graph its modules built only while the count is the one it saw when it recorded.
MODULE_CHANGES = [0]
WITH_KWARGS = {PRE_HOOKS: "_forward_pre_hooks_with_kwargs", HOOKS: "_forward_hooks_with_kwargs"}
FORWARD_HOOK_DICTS = frozenset((PRE_HOOKS, HOOKS))
BACKWARD_PRE_HOOKS, BACKWARD_HOOKS = "_backward_pre_hooks", "_backward_hooks"
ALWAYS = "_forward_hooks_always_called"  # {key: True} of the forward hooks registered with always_call=True
DEPRECATED = "_deprecated_backward_hooks"  # {key: True} of the backward hooks registered by register_backward_hook
STATE_DICT_PRE_HOOKS, STATE_DICT_HOOKS = "_state_dict_pre_hooks", "_state_dict_hooks"
LOAD_STATE_DICT_PRE_HOOKS, LOAD_STATE_DICT_POST_HOOKS = "_load_state_dict_pre_hooks", "_load_state_dict_post_hooks"
_next_key = itertools.count()
# The global hooks (nn.modules.module.register_module_forward_hook and kin: nn/module_global_hooks.py), which every
# module's call runs before its own, as PyTorch's: {kind: {key: hook}}, the backward ones as (hook,) entries as a
# module's; and the keys of the global forward hooks registered with with_kwargs or always_call.
GLOBAL_HOOKS = {PRE_HOOKS: {}, HOOKS: {}, BACKWARD_PRE_HOOKS: {}, BACKWARD_HOOKS: {}}
GLOBAL_WITH_KWARGS, GLOBAL_ALWAYS = {}, {}
GLOBAL_DEPRECATED = {}  # the keys of the global backward hooks registered by register_module_backward_hook
# The global registration hooks (register_module_parameter_registration_hook ...): {kind: {key: hook}}, kind
# "parameter", "buffer" or "module"; hook(module, name, value) may return what to register instead, as PyTorch's.
REGISTRATION_HOOKS = {"parameter": {}, "buffer": {}, "module": {}}


class RemovableHandle:
    """What the register_*_hook methods of a Module return: remove() takes the hook off (a second call does
    nothing); as a context manager, the hook is on inside the with block.

    >>> import numpy as np, nn
    >>> layer, seen = nn.Linear(2, 3), []
    >>> with layer.register_forward_hook(lambda module, args, output: seen.append(output.shape)):
    ...     _ = layer(np.ones((4, 2), np.float32))
    >>> _ = layer(np.ones((1, 2), np.float32)); seen
    [(4, 3)]
    """

    __slots__ = ("_hooks", "id", "_flags", "_owner")

    def __init__(self, hooks, key, flags=(), owner=None):
        self._hooks, self.id, self._flags = hooks, key, flags  # flags: dicts that may hold the key too
        self._owner = None if owner is None else weakref.ref(owner)  # (a module's forward or backward hooks)

    def __getstate__(self):  # (a lazy module holds its own hook's handle: copied or pickled with it, owner and all)
        return self._hooks, self.id, self._flags, self._owner and self._owner()

    def __setstate__(self, state):
        self.__init__(*state)

    def remove(self):
        owner = self._owner and self._owner()  # (a step refused a recording for the hook may record now)
        MODULE_CHANGES[0] += getattr(owner, "_recorded", False)
        self._hooks.pop(self.id, None)
        for flags in self._flags:
            flags.pop(self.id, None)

    def hooks_dict_ref(self):
        """The dict that holds (or held) the hook under this handle's id, as what PyTorch's handle.hooks_dict_ref()
        returns (a weak reference's target there; a plain dict cannot be weakly referenced, and a module's hook
        dict lives as long as the module).

        >>> import nn
        >>> relu = nn.ReLU()
        >>> handle = relu.register_forward_hook(lambda module, args, output: None)
        >>> handle.id in handle.hooks_dict_ref(), handle.remove(), len(handle.hooks_dict_ref())
        (True, None, 0)
        """
        return self._hooks

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.remove()


def register(module, where, hook, prepend, with_kwargs, always_call=False):
    """Add hook to module's hooks of kind where (PRE_HOOKS or HOOKS): last, or first with prepend; a forward hook
    with always_call also runs when the forward (or a hook) raises, as PyTorch's."""
    owner = f"{type(module).__name__}.{'register_forward_pre_hook' if where == PRE_HOOKS else 'register_forward_hook'}"
    prepend = _checked(owner, hook, prepend)
    with_kwargs = as_flag(with_kwargs, owner, "with_kwargs")
    always_call = as_flag(always_call, owner, "always_call")
    hooks, key = _inserted(module, (PRE_HOOKS, HOOKS, *WITH_KWARGS.values()), where, hook, prepend)
    flags = [(WITH_KWARGS[where], with_kwargs), (ALWAYS, always_call)]
    for name, flag in flags:
        if flag:
            if name not in vars(module):
                object.__setattr__(module, name, {})
            vars(module)[name][key] = True
    return RemovableHandle(hooks, key, tuple(vars(module)[name] for name, flag in flags if flag), module)


def register_backward(module, where, hook, prepend, method=None):
    """Add hook to module's backward hooks of kind where (BACKWARD_PRE_HOOKS or BACKWARD_HOOKS): last, or first
    with prepend. Each entry is (hook,), a tuple, so that a Module used as a hook is not taken for a child module
    held in a dict (the forward hooks' dicts hold the hooks themselves, as PyTorch's: Module passes them by)."""
    if method is None:
        method = "register_full_backward_pre_hook" if where == BACKWARD_PRE_HOOKS else "register_full_backward_hook"
    prepend = _checked(f"{type(module).__name__}.{method}", hook, prepend)
    if where == BACKWARD_HOOKS:  # PyTorch refuses a module both kinds: a dict output calls one kind alone
        deprecated, full = vars(module).get(DEPRECATED) or {}, vars(module).get(BACKWARD_HOOKS) or {}
        if any(key in deprecated for key in full) if method == "register_full_backward_hook" else \
                any(key not in deprecated for key in full):
            raise RuntimeError(f"{type(module).__name__}.{method}: cannot use both regular backward hooks "
                               f"(register_backward_hook) and full backward hooks on a single Module, as in PyTorch; "
                               f"use only one of them")
    hooks, key = _inserted(module, (PRE_HOOKS, HOOKS, *WITH_KWARGS.values(), BACKWARD_PRE_HOOKS, BACKWARD_HOOKS), where,
                           (hook,), prepend)
    return RemovableHandle(hooks, key, owner=module)


def register_deprecated_backward(module, hook):
    """Module.register_backward_hook(hook), PyTorch's deprecated method: hook registered as by
    register_full_backward_hook, with a FutureWarning saying so. grad_output is PyTorch's, the gradients with
    respect to the module's outputs (what K-FAC and Grad-CAM read); grad_input is the full hook's, the module's
    positional inputs' gradients, where PyTorch's passes the gradients of its last operation's inputs: the same
    for a module of one operation on one input (ReLU and the other activations: guided backpropagation), for
    Linear or Conv2d its parameters' gradients too.

    >>> import warnings, numpy as np, nn
    >>> relu, seen = nn.ReLU(), []
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     handle = relu.register_backward_hook(lambda m, grad_input, grad_output: seen.append(grad_input[0]))
    >>> relu(nn.Parameter(np.array([-1.0, 2.0]))).sum().backward(); seen
    [Tensor([0., 1.])]
    """
    handle = register_backward(module, BACKWARD_HOOKS, hook, False, method="register_backward_hook")
    if DEPRECATED not in vars(module):
        object.__setattr__(module, DEPRECATED, {})
    vars(module)[DEPRECATED][handle.id] = True  # (see _BackwardCall.gate_outputs: a dict output)
    handle._flags = (vars(module)[DEPRECATED],)
    warnings.warn(f"{type(module).__name__}.register_backward_hook is deprecated (as in PyTorch) and registers a full "
                  f"backward hook here: grad_output is PyTorch's, but grad_input holds the gradients with respect "
                  f"to the module's inputs, not those of its last operation's inputs (for Linear or Conv2d PyTorch's "
                  f"include the parameters' gradients); use register_full_backward_hook", FutureWarning, stacklevel=2)
    return handle


def register_state_dict(module, where, hook, method, public=True):
    """Add hook to module's state_dict hooks of kind where (STATE_DICT_PRE_HOOKS or STATE_DICT_HOOKS), last. Each
    entry is (hook, public): a post hook registered through the public method must return None, PyTorch's private
    _register_state_dict_hook may return a new dict (see call_state_dict_post_hooks)."""
    _checked(f"{type(module).__name__}.{method}", hook, False)
    hooks, key = _inserted(module, (STATE_DICT_PRE_HOOKS, STATE_DICT_HOOKS), where, (hook, public), False)
    return RemovableHandle(hooks, key)


def register_load_state_dict(module, where, hook, method, with_module=True):
    """Add hook to module's load_state_dict hooks of kind where (LOAD_STATE_DICT_PRE_HOOKS or
    LOAD_STATE_DICT_POST_HOOKS), last. Each entry is (hook, with_module): PyTorch's private
    _register_load_state_dict_pre_hook calls a hook without the module first."""
    _checked(f"{type(module).__name__}.{method}", hook, False)
    hooks, key = _inserted(module, (where,), where, (hook, with_module), False)
    return RemovableHandle(hooks, key)


def call_state_dict_pre_hooks(module, prefix, keep_vars):
    """Call module's state_dict pre-hooks, hook(module, prefix, keep_vars), as PyTorch's (what they return is
    ignored)."""
    for hook, _ in list(vars(module)[STATE_DICT_PRE_HOOKS].values()):  # (a hook may remove itself)
        hook(module, prefix, keep_vars)


def call_state_dict_post_hooks(module, destination, prefix):
    """Call module's state_dict post hooks, hook(module, destination, prefix, local_metadata: destination._metadata's
    entry for the module, which they may add to, as PyTorch's, or a new {"version": ...}), and return the
    state dict they leave, as PyTorch's: a hook registered with register_state_dict_post_hook changes destination
    in place and must return None; one registered with _register_state_dict_hook may return a new dict, which the
    hooks after it get (and state_dict returns, when module is the one it was called on)."""
    metadata = getattr(destination, "_metadata", None)  # the hooks change the state dict's own entry, as PyTorch's
    local_metadata = metadata.get(prefix[:-1]) if isinstance(metadata, dict) else None
    if local_metadata is None:
        local_metadata = {"version": module._version}
    for hook, public in list(vars(module)[STATE_DICT_HOOKS].values()):
        result = hook(module, destination, prefix, local_metadata)
        if result is not None:
            if public:
                raise RuntimeError(f"{type(module).__name__}.state_dict: a state_dict post hook registered with "
                                   f"register_state_dict_post_hook must return None (change the state dict in "
                                   f"place), got {type(result).__name__}")
            destination = result
    return destination


def call_load_state_dict_pre_hooks(module, state_dict, prefix, metadata, assign, lists):
    """The state dict to load after module's load_state_dict pre-hooks, as PyTorch's: each is called with the
    entries whose keys start with prefix (all of them for the module load_state_dict was called on), in a new dict
    it may change in place (rename an old checkpoint's keys, say), prefix, local_metadata (the entry of
    state_dict._metadata for the module, as a PyTorch state dict carries, else {}; with assign=True,
    assign_to_params_buffers), strict (True, whatever load_state_dict's is, as PyTorch 2.x passes), and lists
    (missing_keys, unexpected_keys, error_msgs), which it may append to. What that dict holds under prefix
    afterwards replaces those entries; state_dict itself is left as it is. The hooks are called by the module's
    _load_from_state_dict, given those arguments, as in PyTorch: the base method runs them (an override that does
    not call it runs none)."""
    local = {key: value for key, value in state_dict.items() if str(key).startswith(prefix)}
    local_metadata = dict(metadata.get(prefix[:-1], {})) if metadata is not None else {}
    if assign:
        local_metadata["assign_to_params_buffers"] = True
    module._load_from_state_dict(local, prefix, local_metadata, True, *lists)
    others = {key: value for key, value in state_dict.items() if not str(key).startswith(prefix)}
    return {**others, **{key: value for key, value in local.items() if str(key).startswith(prefix)}}


def run_load_state_dict_pre_hooks(module, hook_args):
    """Call module's load_state_dict pre-hooks with hook_args (state_dict, prefix, local_metadata, strict,
    missing_keys, unexpected_keys, error_msgs), each with the module first unless registered without it."""
    for hook, with_module in list((vars(module).get(LOAD_STATE_DICT_PRE_HOOKS) or {}).values()):
        if with_module:
            hook(module, *hook_args)
        else:
            hook(*hook_args)


def call_load_state_dict_post_hooks(module, incompatible_keys):
    """Call module's load_state_dict post hooks, hook(module, incompatible_keys), which must return None."""
    for hook, _ in list(vars(module)[LOAD_STATE_DICT_POST_HOOKS].values()):
        if hook(module, incompatible_keys) is not None:
            raise TypeError(f"{type(module).__name__}.load_state_dict: a load_state_dict post hook must return None "
                            f"(it may change incompatible_keys' lists in place)")


def _checked(owner, hook, prepend):
    """prepend as a flag, once hook is known to be callable."""
    if not callable(hook):
        raise TypeError(f"{owner}: the hook must be callable, got {type(hook).__name__}")
    return as_flag(prepend, owner, "prepend")


def _inserted(module, kinds, where, entry, prepend):
    """(module's hooks of kind where, the new key): entry put there last, or (prepend) first, after making module's
    dicts of kinds (all at once: Module.__call__ looks at _forward_hooks alone)."""
    MODULE_CHANGES[0] += getattr(module, "_recorded", False)
    for kind in kinds:
        if kind not in vars(module):
            object.__setattr__(module, kind, {})  # (a dict of no Parameter or Module: no registration)
    hooks = vars(module)[where]
    key = next(_next_key)
    if prepend:
        others = dict(hooks)
        hooks.clear()
        hooks[key] = entry
        hooks.update(others)
    else:
        hooks[key] = entry
    return hooks, key


def call_with_hooks(module, args, kwargs):
    """module.forward(*args, **kwargs) between its hooks, as PyTorch's Module.__call__: a pre-hook may return new
    args (a tuple, or one value), or with_kwargs a pair (args, kwargs); a hook may return a new output. When a
    pre-hook, the forward or a hook raises, the hooks registered with always_call=True that have not run yet are
    called (with the output so far, None if the forward did not return; an error of theirs is a warning), then the
    error goes on."""
    always = vars(module).get(ALWAYS)
    if not always and not GLOBAL_ALWAYS:
        return _call_with_hooks(module, args, kwargs, None)
    state = {"called": set(), "args": args, "kwargs": kwargs, "output": None}
    try:
        return _call_with_hooks(module, args, kwargs, state)
    except Exception:
        with_kwargs = _with_kwargs(module, HOOKS)
        for key, hook in _hooks_of(module, HOOKS):
            if (key in GLOBAL_ALWAYS or always and key in always) and key not in state["called"]:
                hook_args = (module, state["args"], state["kwargs"]) if key in with_kwargs else (module, state["args"])
                try:
                    hook(*hook_args, state["output"])
                except Exception as error:
                    warnings.warn(f"{type(module).__name__}: a forward hook with always_call=True raised an error that "
                                  f"was silenced as another error was raised in forward: {error!r}", stacklevel=3)
        raise


def _call_with_hooks(module, args, kwargs, state):
    """call_with_hooks's work; state (when always-called hooks are registered) keeps the arguments, the output so
    far and the keys of the hooks called."""
    with_kwargs = _with_kwargs(module, PRE_HOOKS)
    for key, hook in _hooks_of(module, PRE_HOOKS):
        if key in with_kwargs:
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
    backward = _BackwardCall.of(module)  # as PyTorch: after the forward pre-hooks, around the forward hooks
    if backward is not None:
        args = backward.gate_inputs(args)
    if state is not None:
        state["args"], state["kwargs"] = args, kwargs
    output = module.forward(*args, **kwargs)
    with_kwargs = _with_kwargs(module, HOOKS)
    for key, hook in _hooks_of(module, HOOKS):
        if state is not None:
            state["called"].add(key)
            state["output"] = output
        result = hook(module, args, kwargs, output) if key in with_kwargs else hook(module, args, output)
        if result is not None:
            output = result
    if backward is not None:
        output = backward.gate_outputs(output)
    return output


def registered(module, name, value, kind):
    """value after the global registration hooks of kind, each given what the one before returned."""
    for hook in list(REGISTRATION_HOOKS[kind].values()):
        output = hook(module, name, value)
        if output is not None:
            value = output
    return value


def _hooks_of(module, where):
    """[(key, hook)] of the hooks of kind where that a call of module runs, in order: the global ones first, then
    module's own, as PyTorch's (a list: a hook may remove itself)."""
    own = vars(module).get(where)
    return [*GLOBAL_HOOKS[where].items(), *(own.items() if own else ())]


def _with_kwargs(module, where):
    """The keys of the hooks of kind where, module's or global, registered with with_kwargs=True."""
    own = vars(module).get(WITH_KWARGS[where])
    if where == HOOKS and GLOBAL_WITH_KWARGS:
        return {**GLOBAL_WITH_KWARGS, **own} if own else GLOBAL_WITH_KWARGS
    return own or {}


class _BackwardCall:
    """One call of a module with backward hooks (PyTorch's torch.utils.hooks.BackwardHook): the hooks registered
    at the call (one registered later does not see it; one removed later still does, as in PyTorch), and the
    identities (identity_with_grad_hook) around the positional inputs and the outputs. In a backward pass, the
    outputs' identities call the pre-hooks with grad_output (one entry per output: None for an output that is no
    Tensor, does not require grad, or got no gradient), which may replace it, and keep it; then the inputs'
    identities call the hooks with grad_input (one entry per positional input, as PyTorch's: None for one that is
    no Tensor, zeros for a Tensor that does not require grad or that no gradient reached) and that grad_output,
    and what they return flows on to the inputs. When no positional input requires grad, the hooks are called at
    the outputs, with grad_input all None (and a warning, as PyTorch gives)."""

    __slots__ = ("module", "hooks", "pre_hooks", "n_inputs", "input_like", "grad_output", "deprecated")

    def __init__(self, module, hooks, pre_hooks, deprecated=()):
        self.module, self.hooks, self.pre_hooks = module, hooks, pre_hooks
        self.deprecated = deprecated  # those of hooks registered by register_backward_hook (or its global form)
        self.n_inputs = 0
        self.input_like = None  # (shape, dtype) of each positional input that is a Tensor, when they are hooked
        self.grad_output = None  # what the outputs' identities gave, until the inputs' take it

    @classmethod
    def of(cls, module):
        """The call's state if module has backward hooks, else None."""
        hooks, pre_hooks = _hooks_of(module, BACKWARD_HOOKS), _hooks_of(module, BACKWARD_PRE_HOOKS)
        if not hooks and not pre_hooks:
            return None
        own = vars(module).get(DEPRECATED)
        deprecated = [hook for key, (hook,) in hooks if key in GLOBAL_DEPRECATED or own and key in own]
        return cls(module, [hook for _, (hook,) in hooks], [hook for _, (hook,) in pre_hooks], deprecated)

    def gate_inputs(self, args):
        self.n_inputs = len(args)
        if not (is_grad_enabled() and any(isinstance(a, Tensor) and a.requires_grad for a in args)):
            return args
        self.input_like = [(a.shape, a.dtype) if isinstance(a, Tensor) else None for a in args]
        return identity_with_grad_hook(args, self._at_inputs, name=f"{self._name}: a full backward hook")

    def gate_outputs(self, output):
        if self.deprecated and isinstance(output, (dict, list)):  # the deprecated hooks alone are called there,
            self.hooks, self.pre_hooks = self.deprecated, []  # as PyTorch's (not the full ones)
            return self._gate_first(output)
        if not isinstance(output, (Tensor, tuple)):
            warnings.warn(f"{self._name}: for backward hooks to be called, the module's output must be a Tensor or a "
                          f"tuple of Tensors, but it is a {type(output).__name__}", stacklevel=5)
            return output
        single = isinstance(output, Tensor)
        gated = identity_with_grad_hook((output,) if single else output, self._at_outputs,
                                        name=f"{self._name}: a full backward pre-hook")
        if single:
            return gated[0]
        return gated if type(output) is tuple else type(output)(*gated)  # (a named tuple keeps its type)

    def _gate_first(self, output):
        """output (a dict or list) with the first Tensor in it gated as the module's one output, which is where
        PyTorch's register_backward_hook hooks such an output: a dict's first Tensor value, a list's first entry
        (looked into the same way when it is a dict or list). A new dict or list; output is left as it is."""
        if isinstance(output, dict):
            key = next((k for k, v in output.items() if isinstance(v, Tensor)), None)
            if key is None:
                return output
        else:
            if not output:
                return output
            key = 0
        value = output[key]
        if isinstance(value, Tensor):
            gated = identity_with_grad_hook((value,), self._at_outputs, name=f"{self._name}: a backward hook")[0]
        elif isinstance(value, (dict, list)):
            gated = self._gate_first(value)
        else:
            return output
        output = output.copy()
        output[key] = gated
        return output

    @property
    def _name(self):
        return type(self.module).__name__

    def _at_outputs(self, grads):
        grad_output = grads
        for hook in self.pre_hooks:
            result = hook(self.module, grad_output)
            if result is not None:
                grad_output = self._checked(result, len(grads), "full backward pre-hook", "grad_output",
                                            "output")
        if self.input_like is not None:
            self.grad_output = grad_output
        elif self.hooks:  # no input requires grad: no gradient reaches the inputs' side, so the hooks run here
            warnings.warn(f"{self._name}: a full backward hook is called when the gradients with respect to the "
                          f"module's outputs are computed, since no positional input requires grad (its grad_input "
                          f"is all None), as in PyTorch", UserWarning, stacklevel=2)
            grad_input = (None,) * self.n_inputs
            for hook in self.hooks:
                result = hook(self.module, grad_input, grad_output)
                if result is not None and not (isinstance(result, (tuple, list)) and all(r is None for r in result)):
                    raise RuntimeError(f"{self._name}: a full backward hook of a module none of whose positional "
                                       f"inputs requires grad must return None (or all None): there is no grad_input "
                                       f"to replace")
        return grad_output

    def _at_inputs(self, grads):
        grad_output, self.grad_output = self.grad_output, None
        if grad_output is None:  # the gradient reached the inputs without passing through the outputs (a double
            return None  # backward through a recorded pass): no hook, as in PyTorch
        grad_input = tuple(Tensor(np.zeros(*like)) if g is None and like is not None else g
                           for g, like in zip(grads, self.input_like))  # (like: None for an input that is no Tensor)
        for hook in self.hooks:
            result = hook(self.module, grad_input, grad_output)
            if result is not None:
                grad_input = self._checked(result, len(grad_input), "full backward hook", "grad_input",
                                           "positional input")
        return grad_input

    def _checked(self, result, count, kind, what, per):
        if not isinstance(result, (tuple, list)):
            raise TypeError(f"{self._name}: a {kind} must return None or a tuple of {count} gradient(s) (its new "
                            f"{what}, one per {per}: None where there is none), got a {type(result).__name__}")
        if len(result) != count:
            raise RuntimeError(f"{self._name}: a {kind} returned {len(result)} gradient(s) as {what}, but the module "
                               f"has {count} {per}(s); return one per {per} (None where there is none), or None")
        return tuple(result)
