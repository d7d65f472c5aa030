"""PyTorch's global module hooks (torch.nn.modules.module.register_module_forward_hook and kin, here
nn.modules.module.register_module_forward_hook ...): hooks that every module's call runs, before the module's own, as
PyTorch's, for debugging and profiling (count the calls, trace the shapes through a model); and the registration
hooks, called whenever any module registers a parameter, a buffer or a child module.

While none is registered they cost nothing: Module.__call__ tests Module._forward_hooks alone, the class attribute
None that a module without hooks of its own finds. The first global forward or backward hook makes it an empty dict,
so that every call takes nn.hooks.call_with_hooks, which runs nn.hooks.GLOBAL_HOOKS with the module's own; removing
the last one makes it None again.
"""
import warnings

from .hooks import (BACKWARD_HOOKS, BACKWARD_PRE_HOOKS, GLOBAL_ALWAYS, GLOBAL_DEPRECATED, GLOBAL_HOOKS,
                    GLOBAL_WITH_KWARGS, HOOKS, MODULE_CHANGES, PRE_HOOKS, REGISTRATION_HOOKS, RemovableHandle, _checked,
                    _next_key)
from ._arguments import as_flag
from .module import Module


class _GlobalHandle(RemovableHandle):
    """A global hook's handle: remove() also lets Module.__call__ skip the hooks again once none is left."""

    __slots__ = ()

    def remove(self):
        super().remove()
        _route_calls()


def _route_calls():
    """Module._forward_hooks: an empty dict while any global forward or backward hook exists (every call then
    runs the hooks), None otherwise (only the modules with hooks of their own do)."""
    Module._forward_hooks = {} if any(GLOBAL_HOOKS.values()) else None
    MODULE_CHANGES[0] += 1


def _registered(function, where, hook, entry, flags=()):
    _checked(f"nn.modules.module.{function}", hook, False)
    key = next(_next_key)
    GLOBAL_HOOKS[where][key] = entry
    for flag in flags:
        flag[key] = True
    _route_calls()
    return _GlobalHandle(GLOBAL_HOOKS[where], key, (GLOBAL_WITH_KWARGS, GLOBAL_ALWAYS, GLOBAL_DEPRECATED))


def register_module_forward_pre_hook(hook):
    """Call hook(module, args) before the forward of every module, before the module's own pre-hooks, as PyTorch's:
    it may return new positional arguments (a tuple, or one value). Returns a handle whose remove() takes it off.

    >>> import numpy as np, nn
    >>> from nn.modules.module import register_module_forward_pre_hook
    >>> seen = []
    >>> with register_module_forward_pre_hook(lambda module, args: seen.append(type(module).__name__)):
    ...     _ = nn.Sequential(nn.Linear(2, 2), nn.ReLU())(np.ones((1, 2), np.float32))
    >>> seen
    ['Sequential', 'Linear', 'ReLU']
    """
    return _registered("register_module_forward_pre_hook", PRE_HOOKS, hook, hook)


def register_module_forward_hook(hook, *, with_kwargs=False, always_call=False):
    """Call hook(module, args, output) after the forward of every module, before the module's own forward hooks,
    as PyTorch's: it may return a new output. with_kwargs=True calls hook(module, args, kwargs, output);
    always_call=True calls it also when the forward raises (output None). Returns a handle.

    >>> import numpy as np, nn
    >>> from nn.modules.module import register_module_forward_hook
    >>> shapes = []
    >>> with register_module_forward_hook(lambda module, args, output: shapes.append(output.shape)):
    ...     _ = nn.MLP([2, 3, 1], rng=0)(np.ones((4, 2)))
    >>> shapes
    [(4, 3), (4, 3), (4, 1), (4, 1), (4, 1)]
    """
    function = "register_module_forward_hook"
    flags = [GLOBAL_WITH_KWARGS] if as_flag(with_kwargs, f"nn.modules.module.{function}", "with_kwargs") else []
    if as_flag(always_call, f"nn.modules.module.{function}", "always_call"):
        flags.append(GLOBAL_ALWAYS)
    return _registered(function, HOOKS, hook, hook, flags)


def register_module_full_backward_pre_hook(hook):
    """Call hook(module, grad_output) in each backward pass through a call of any module, before the module's own
    backward pre-hooks, as PyTorch's: it may return a new grad_output. Returns a handle.

    >>> import numpy as np, nn
    >>> from nn.modules.module import register_module_full_backward_pre_hook
    >>> seen = []
    >>> with register_module_full_backward_pre_hook(lambda module, grad_output: seen.append(type(module).__name__)):
    ...     nn.ReLU()(nn.Parameter(np.array([1.0, -1.0]))).sum().backward()
    >>> seen
    ['ReLU']
    """
    return _registered("register_module_full_backward_pre_hook", BACKWARD_PRE_HOOKS, hook, (hook,))


def register_module_full_backward_hook(hook):
    """Call hook(module, grad_input, grad_output) in each backward pass through a call of any module, before the
    module's own backward hooks, as PyTorch's: it may return a new grad_input. Returns a handle.

    >>> import numpy as np, nn
    >>> from nn.modules.module import register_module_full_backward_hook
    >>> seen = []
    >>> with register_module_full_backward_hook(lambda module, grad_input, grad_output: seen.append(grad_input[0])):
    ...     nn.ReLU()(nn.Parameter(np.array([1.0, -1.0]))).sum().backward()
    >>> seen
    [Tensor([1., 0.])]
    """
    return _registered("register_module_full_backward_hook", BACKWARD_HOOKS, hook, (hook,))


def register_module_backward_hook(hook):
    """PyTorch's deprecated global backward hook: registered as by register_module_full_backward_hook, with a
    FutureWarning saying so (as Module.register_backward_hook: grad_input holds the gradients with respect to the
    module's positional inputs).

    >>> import warnings, numpy as np, nn
    >>> from nn.modules.module import register_module_backward_hook
    >>> seen = []
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     handle = register_module_backward_hook(lambda module, grad_input, grad_output: seen.append(grad_output[0]))
    >>> nn.ReLU()(nn.Parameter(np.array([1.0, -1.0]))).sum().backward(); handle.remove(); seen
    [Tensor([1., 1.])]
    """
    handle = _registered("register_module_backward_hook", BACKWARD_HOOKS, hook, (hook,), [GLOBAL_DEPRECATED])
    warnings.warn("nn.modules.module.register_module_backward_hook is deprecated (as in PyTorch) and registers a full "
                  "backward hook here: grad_input holds the gradients with respect to each module's positional "
                  "inputs; use register_module_full_backward_hook", FutureWarning, stacklevel=2)
    return handle


def _registration(function, kind, hook):
    _checked(f"nn.modules.module.{function}", hook, False)
    key = next(_next_key)
    REGISTRATION_HOOKS[kind][key] = hook
    return RemovableHandle(REGISTRATION_HOOKS[kind], key)


def register_module_parameter_registration_hook(hook):
    """Call hook(module, name, param) whenever any module registers a Parameter (register_parameter, or assigning
    one to an attribute), as PyTorch's: it may return a Parameter to register instead. Returns a handle.

    >>> import nn
    >>> from nn.modules.module import register_module_parameter_registration_hook
    >>> names = []
    >>> with register_module_parameter_registration_hook(lambda module, name, param: names.append(name)):
    ...     _ = nn.Linear(2, 3)
    >>> names
    ['weight', 'bias']
    """
    return _registration("register_module_parameter_registration_hook", "parameter", hook)


def register_module_buffer_registration_hook(hook):
    """Call hook(module, name, buffer) whenever any module registers a buffer (register_buffer, an nn.Buffer
    assigned, or a Tensor assigned to a buffer's name), as PyTorch's: it may return a buffer to register instead.
    Returns a handle.

    >>> import nn
    >>> from nn.modules.module import register_module_buffer_registration_hook
    >>> names = []
    >>> with register_module_buffer_registration_hook(lambda module, name, buffer: names.append(name)):
    ...     _ = nn.BatchNorm1d(3)
    >>> names
    ['running_mean', 'running_var', 'num_batches_tracked']
    """
    return _registration("register_module_buffer_registration_hook", "buffer", hook)


def register_module_module_registration_hook(hook):
    """Call hook(module, name, submodule) whenever any module registers a child module (add_module,
    register_module, or assigning one to an attribute), as PyTorch's: it may return a module to register instead.
    Returns a handle.

    >>> import nn
    >>> from nn.modules.module import register_module_module_registration_hook
    >>> names = []
    >>> with register_module_module_registration_hook(lambda module, name, child: names.append(name)):
    ...     _ = nn.Sequential(nn.Linear(2, 2), nn.ReLU())
    >>> names
    ['0', '1']
    """
    return _registration("register_module_module_registration_hook", "module", hook)
