"""PyTorch's private registries module._parameters, _modules, _buffers and _non_persistent_buffers_set as live views
of a module's own parameters, children and buffers: read in registration order, changed as PyTorch's dicts are
(`del module._parameters[name]` before registering the weight again under other names, as hand-written spectral- and
weight-norm wrappers do; `model._modules["fc"] = nn.Linear(...)` to swap a head)."""
from collections import OrderedDict
from collections.abc import Iterable, MutableMapping, MutableSet


class RegistryView(MutableMapping):
    """A module's own parameters (or children) by name. `view[name] = value` registers value as
    register_parameter (add_module) does, with their checks; `del view[name]` deletes the attribute, as
    `del module.name`.

    >>> import numpy as np, nn
    >>> layer = nn.Linear(2, 3)
    >>> del layer._parameters["bias"]
    >>> layer._parameters["scale"] = nn.Parameter(np.ones(3))
    >>> list(layer._parameters), hasattr(layer, "bias")
    (['weight', 'scale'], False)
    """

    def __init__(self, module, entries, register):
        self._module, self._entries, self._register = module, entries, register

    def _current(self):
        return OrderedDict(self._entries())

    def __getitem__(self, name):
        return self._current()[name]

    def __iter__(self):
        return iter(self._current())

    def __len__(self):
        return len(self._current())

    def __setitem__(self, name, value):
        self._register(name, value)

    def __delitem__(self, name):
        if name not in self._current():
            raise KeyError(f"{type(self._module).__name__} has no registered entry {name!r} to delete; it holds "
                           f"{list(self._current())}")
        delattr(self._module, name)

    # one walk of the module for each of these (Mapping's defaults would walk it again for every entry)
    def __contains__(self, name):
        return name in self._current()

    def keys(self):
        return self._current().keys()

    def items(self):
        return self._current().items()

    def values(self):
        return self._current().values()

    def __repr__(self):
        return repr(dict(self._current()))


PENDING = ".non_persistent_names"  # a module's names in _non_persistent_buffers_set that are no buffer of it (yet)


class NonPersistentView(MutableSet):
    """The names of a module's own buffers left out of its state dict, PyTorch's private
    module._non_persistent_buffers_set, as a live view of flags, the module's {buffer name: persistent}: add(name)
    leaves that buffer out of the state dict, discard(name) puts it back in. A name of no buffer is kept, as PyTorch's
    set keeps it: a buffer later put under it by `module._buffers[name] = t` is left out of the state dict, one
    registered by register_buffer(name, t) (persistent by default) or `module.name = nn.Buffer(t)` is in it, and a
    Parameter or module assigned to the name drops it, as in PyTorch.

    >>> import numpy as np, nn
    >>> norm = nn.BatchNorm1d(2)
    >>> norm._non_persistent_buffers_set.add("num_batches_tracked")
    >>> list(norm.state_dict()), set(norm._non_persistent_buffers_set)
    (['weight', 'bias', 'running_mean', 'running_var'], {'num_batches_tracked'})
    """

    def __init__(self, module, flags):
        self._module, self._flags = module, flags

    def _pending(self):
        return vars(self._module).get(PENDING, ())

    def __contains__(self, name):
        return self._flags.get(name) is False or name in self._pending()

    def __iter__(self):
        return iter([name for name, persistent in self._flags.items() if not persistent] + list(self._pending()))

    def __len__(self):
        return sum(not persistent for persistent in self._flags.values()) + len(self._pending())

    def add(self, name):
        self._check_names((name,), ".add")
        if name in self._flags:
            self._flags[name] = False
        else:
            vars(self._module).setdefault(PENDING, set()).add(name)

    def discard(self, name):
        if name in self._flags:
            self._flags[name] = True
        else:
            vars(self._module).get(PENDING, set()).discard(name)

    def replace(self, names):
        """Make names (an iterable of buffer names) the whole set: `module._non_persistent_buffers_set = names`."""
        where = " = ..."
        if isinstance(names, str) or not isinstance(names, Iterable):
            raise TypeError(f"{type(self._module).__name__}._non_persistent_buffers_set{where}: expected a set of "
                            f"buffer names, got {type(names).__name__}")
        names = set(names)  # (first: names may be this view)
        self._check_names(names, where)
        for name in self._flags:
            self._flags[name] = name not in names
        vars(self._module).pop(PENDING, None)
        if names - self._flags.keys():
            vars(self._module)[PENDING] = names - self._flags.keys()

    def _check_names(self, names, where):
        for name in names:
            if not isinstance(name, str):
                raise TypeError(f"{type(self._module).__name__}._non_persistent_buffers_set{where}: buffer names are "
                                f"strings, got {name!r} of type {type(name).__name__}")

    def __repr__(self):
        return repr(set(self))
