"""Module, Parameter and Buffer: what networks are built from (the containers are in nn.containers).

A Module finds its Parameters and sub-Modules by looking at its own attributes
(lists, tuples and dicts of them included), in the order they were assigned (a name that
held another kind of value goes last, as in PyTorch), so `self.fc = Linear(2, 3)` is all
the registration there is. Names are dotted paths
("layers.0.weight"), as in PyTorch's state dicts. A Buffer assigned to an attribute is registered as
register_buffer does.
"""
import numpy as np

from autograd_core import Tensor, from_numpy

from ._arguments import as_flag
from .hooks import FORWARD_HOOK_DICTS, MODULE_CHANGES, REGISTRATION_HOOKS, call_with_hooks, registered
from .module_dtype import DtypeMethods
from .module_hooks import HookMethods
from .module_paths import PathMethods
from .module_method_names import ITERATION_METHODS, keep_method_over_child
from .module_registries import PENDING, NonPersistentView, RegistryView
from .module_state import IncompatibleKeys, StateDictError, StateDictMethods  # noqa: F401 (nn.module's names too)
from .module_training import TrainingMethods, clear_grads, set_grad_values  # noqa: F401 (nn.module's names too)


class Parameter(Tensor):
    """A Tensor that is a learnable parameter of a Module (requires grad by default).

    >>> import nn
    >>> w = nn.Parameter([1.0, 2.0])
    >>> w.requires_grad, w.is_leaf
    (True, True)
    """

    __slots__ = ()  # Tensor uses __slots__; a Parameter carries nothing more
    # A copy or a pickle holds the value (and a subclass's attributes), not the .grad or hooks, as PyTorch's
    # Parameter: a deep-copied model (a target network, an average of weights) starts without gradients.
    _deepcopy_keeps_grad = False

    def __init__(self, data=None, requires_grad=True):
        data = np.empty(0, dtype=np.float32) if data is None else data  # PyTorch's nn.Parameter(): torch.empty(0)
        if requires_grad is True and isinstance(data, Tensor) and data.ndim == 0 and data.dtype.kind in "iu":
            # PyTorch's legacy torch.Tensor(n) is n uninitialised floats; ag.Tensor(n) is the number n
            raise TypeError(f"nn.Parameter: got the integer Tensor({data.item()}), which cannot require gradients; "
                            f"for PyTorch's nn.Parameter(torch.Tensor({data.item()})), {data.item()} uninitialised "
                            f"floats, write nn.Parameter(ag.empty({data.item()})) or ag.zeros({data.item()})")
        super().__init__(data, requires_grad=requires_grad)

    def __repr__(self):
        return "Parameter containing:\n" + super().__repr__()


class Buffer(Tensor):
    """A Tensor that, assigned to a Module attribute, registers itself as a buffer (persistent: in the state dict
    or not), as torch.nn.Buffer (PyTorch >= 2.5): the same as register_buffer(name, data, persistent). The value
    is detached from any graph; requires_grad is kept.

    >>> import numpy as np, nn
    >>> m = nn.Module()
    >>> m.steps, m.scratch = nn.Buffer(np.zeros(1)), nn.Buffer(np.ones(2), persistent=False)
    >>> [name for name, _ in m.named_buffers()], list(m.state_dict())
    (['steps', 'scratch'], ['steps'])
    """

    __slots__ = ("persistent",)

    def __init__(self, data=None, *, persistent=True):
        data = np.empty(0, dtype=np.float32) if data is None else data
        requires_grad = isinstance(data, Tensor) and data.requires_grad
        super().__init__(data.detach().data if isinstance(data, Tensor) else data, requires_grad=requires_grad)
        self.persistent = as_flag(persistent, "nn.Buffer", "persistent")  # "no" would read as True


_BUFFERS = ".buffers"  # where a module keeps its buffers' names: a key no attribute can have
_UNSET = ".unset"  # the kind ("parameter" or "module") of each name set to None over a Parameter or Module
_STANDING_IN = ".standing_in"  # the names of parameters a functional_call has replaced by plain Tensors for
# the call, which parameters() lists as PyTorch's does (nn/utils/stateless.py)
HELD_STANDING_IN = {}  # {id(list or dict): its keys} of Parameters held in a plain list or dict that a
# functional_call has replaced by plain Tensors, listed by parameters() as a ParameterList's are


def _held(name, container):
    """("name.key", item) for each Parameter and Module in a list, tuple or dict (and each Tensor standing in for a
    Parameter during a functional_call). A dict's keys must be names, as nn.ModuleDict's: non-empty strings without
    '.' (1 and "1", or "a.b", would make clashing dotted names)."""
    standing_in = HELD_STANDING_IN.get(id(container), ()) if HELD_STANDING_IN else ()
    for key, item in container.items() if isinstance(container, dict) else enumerate(container):
        if isinstance(item, (Parameter, Module)) or key in standing_in and item is not None:
            if isinstance(container, dict) and not (isinstance(key, str) and key and "." not in key):
                raise KeyError(f"{name}: a dict holding modules or parameters needs keys that are non-empty strings "
                               f"without '.', got {key!r}")
            yield f"{name}.{key}", item


def _kind(value):
    """What value is to a module holding it: "parameter", "module" (a Module, or a list, tuple or dict holding
    Parameters or Modules, as PyTorch's containers are modules), or None (a plain value)."""
    if isinstance(value, Parameter):
        return "parameter"
    if isinstance(value, Module) or (isinstance(value, (list, tuple, dict)) and any(True for _ in _held("", value))):
        return "module"
    return None


def _after_registration_hooks(module, name, value, buffers, before):
    """value, assigned to module's attribute name (registered before as a "parameter", "module" or not), after the
    global registration hooks of its kind (nn/module_global_hooks.py), as PyTorch's: a Parameter's, a Module's (None
    too, in a child's place), a buffer's when a Tensor or None replaces one (a new nn.Buffer meets them in
    register_buffer)."""
    if isinstance(value, Parameter):
        return registered(module, name, value, "parameter")
    if isinstance(value, Module) or value is None and before == "module":
        return registered(module, name, value, "module")
    if name in buffers and (value is None or isinstance(value, Tensor) and not isinstance(value, Buffer)):
        return registered(module, name, value, "buffer")
    return value


def _submodules(module, holders=False, unset=None):
    """(name, module) for each Module held by module's attributes, a module held twice under each name (what
    state dicts, repr and Sequential's indexing list; named_children lists each module once). With holders, also
    (name, container) for each list, tuple or dict holding Parameters, where it stands among them: the child
    module that PyTorch's ParameterList or ParameterDict would be. With unset (the module's _UNSET dict), also
    (name, None) for each child module set to None, where it stands (what repr shows, as PyTorch's). A module in a
    list that module also holds under a name of its own (`self.layers = layers` then `self.add_module("layer_0",
    layers[0])`, fast.ai's way) is listed under that name only, as in PyTorch, which never registers plain lists."""
    children, named = [], {id(value) for value in vars(module).values() if isinstance(value, Module)}
    for name, value in vars(module).items():
        if isinstance(value, Module):
            children.append((name, value))
        elif value is None and unset and unset.get(name) == "module":
            children.append((name, None))
        elif isinstance(value, (list, tuple, dict)) and name not in FORWARD_HOOK_DICTS:  # (a Module may be a hook)
            held = list(_held(name, value))
            if holders and any(not isinstance(item, Module) for _, item in held):  # (Parameters, or stand-ins)
                children.append((name, value))
            children += [(path, item) for path, item in held if isinstance(item, Module) and id(item) not in named]
    return children


def _registered_as(module, name):
    """What name is in module's registry: "buffer", "parameter" or "module" (one unset to None included, as
    PyTorch's None entries), or None (no attribute, or a plain value)."""
    if name in vars(module).get(_BUFFERS, ()):
        return "buffer"
    current = vars(module).get(name)
    if current is None:
        return vars(module).get(_UNSET, {}).get(name)
    return "parameter" if name in vars(module).get(_STANDING_IN, ()) else _kind(current)  # (functional_call's)


class Module(StateDictMethods, DtypeMethods, HookMethods, PathMethods, TrainingMethods):
    """Base class of layers and networks: subclass it, call super().__init__(), assign Parameters
    and Modules as attributes in __init__ (or lists, tuples and dicts of them, registered as
    "name.0" or "name.key", as nn.ModuleList and nn.ModuleDict would), and write forward.

    >>> import numpy as np, nn
    >>> class Affine(nn.Module):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.w = nn.Parameter(np.ones(2))
    ...         self.b = nn.Parameter(0.0)
    ...     def forward(self, x):
    ...         return x @ self.w + self.b
    >>> m = Affine()
    >>> [name for name, _ in m.named_parameters()]
    ['w', 'b']
    >>> m(np.array([1.0, 2.0]))
    Tensor(3., op=add)
    """

    call_super_init = False  # PyTorch's: True makes __init__ call the next class's in the MRO (a mixin after Module)

    def __init__(self, *args, **kwargs):
        if not self.call_super_init and (args or kwargs):
            given = f"keyword argument {next(iter(kwargs))!r}" if kwargs else f"{len(args)} positional arguments"
            raise TypeError(f"{type(self).__name__}.__init__() got an unexpected {given}: nn.Module.__init__ takes "
                            f"none (set call_super_init = True to pass them to the next class in the MRO)")
        self.training = True
        if self.call_super_init:
            super().__init__(*args, **kwargs)

    def forward(self, *args, **kwargs):
        raise NotImplementedError(f"{type(self).__name__}.forward is not written: subclasses of nn.Module define it")

    # (nn.hooks: a module's own dicts once it has a hook; a backward hook makes the forward ones too)
    _forward_hooks = _forward_pre_hooks = _backward_hooks = _backward_pre_hooks = None
    # (True once a compiled step, nn.TrainStep, recorded a graph through this module: its changes are then counted in
    # MODULE_CHANGES, which the recordings' guards read; another module's changes concern none of them)
    _recorded = False

    def __call__(self, *args, **kwargs):
        if self._forward_hooks is not None:  # (a module that never had a hook pays this lookup alone)
            return call_with_hooks(self, args, kwargs)
        return self.forward(*args, **kwargs)

    def __setattr__(self, name, value):
        if self._recorded and (name != "training" or vars(self).get(name) is not value):  # (train() in a loop
            MODULE_CHANGES[0] += 1  # changes nothing; a compiled step replays only while its modules stay as recorded)
        if isinstance(value, (Module, Parameter)) and "training" not in vars(self):  # fail now, not in forward
            kind = "module" if isinstance(value, Module) else "parameter"
            raise AttributeError(f"cannot assign {kind} '{name}' before Module.__init__() call: call "
                                 f"super().__init__() first in {type(self).__name__}.__init__")
        if isinstance(value, dict):
            list(_held(name, value))  # its keys checked now, not when parameters() is first asked for
        # A plain Tensor over a Parameter, or a non-Module over a sub-Module, would silently drop it from
        # parameters() (and the optimizer): refused, as in PyTorch. (A Parameter may replace a sub-Module.)
        current = vars(self).get(name)
        buffers = vars(self).get(_BUFFERS, {})
        unset = vars(self).get(_UNSET, {})
        before = _registered_as(self, name)
        if name in buffers and isinstance(value, (Parameter, Module)):  # it becomes a parameter or child instead
            del buffers[name]
        elif value is not None and name in buffers and not isinstance(value, Tensor):
            raise TypeError(f"cannot assign '{type(value).__name__}' as buffer '{name}' (a Tensor or None expected); "
                            f"wrap it as ag.tensor(value)")
        if value is not None and before == "parameter" and not isinstance(value, Parameter):
            raise TypeError(f"cannot assign '{type(value).__name__}' as parameter '{name}' (nn.Parameter or None "
                            f"expected); wrap it as nn.Parameter(value), or copy into .data in place")
        held_module = isinstance(current, Module) or (current is None and before == "module")
        # (a list, tuple or dict holding Modules or Parameters is the ModuleList/ParameterList PyTorch would take)
        if value is not None and held_module and not isinstance(value, (Module, Parameter)) and _kind(value) is None:
            raise TypeError(f"cannot assign '{type(value).__name__}' as child module '{name}' (nn.Module or None "
                            f"expected)")
        if REGISTRATION_HOOKS["parameter"] or REGISTRATION_HOOKS["module"] or REGISTRATION_HOOKS["buffer"]:
            value = _after_registration_hooks(self, name, value, buffers, before)
        if isinstance(value, Buffer):  # nn.Buffer: registered with its persistence, as register_buffer does; the
            # flag passed only when False, as PyTorch's: a subclass's register_buffer(name, value) may not take it
            return self.register_buffer(name, value) if value.persistent else self.register_buffer(name, value, False)
        kind = _kind(value)
        if value is None and before in ("parameter", "module"):
            vars(self).setdefault(_UNSET, {})[name] = before  # the place stays its, as PyTorch's None entry
        elif value is not None:
            unset.pop(name, None)
        # A name that becomes a parameter or a module of another kind than it was goes last among them, as
        # PyTorch's separate dicts append it; re-binding one of the same kind keeps its place.
        if kind is not None:
            if before != kind:
                vars(self).pop(name, None)
            if PENDING in vars(self):  # (no buffer now: out of _non_persistent_buffers_set, as PyTorch's)
                vars(self)[PENDING].discard(name)
            if name in ITERATION_METHODS:  # (a child named `parameters` leaves parameters() callable, as PyTorch's)
                keep_method_over_child(type(self), name, _holds_child)
        object.__setattr__(self, name, value)

    def __delattr__(self, name):
        MODULE_CHANGES[0] += self._recorded
        object.__delattr__(self, name)
        vars(self).get(_BUFFERS, {}).pop(name, None)  # the name is free again, as in PyTorch
        vars(self).get(_UNSET, {}).pop(name, None)

    # ---- the module tree ------------------------------------------------------------------
    def named_children(self):
        """(name, module) for each direct sub-Module; one held under two names is listed once, under the first
        (as PyTorch).

        >>> import nn
        >>> [name for name, _ in nn.MLP([2, 3, 1]).layers.named_children()]
        ['0', '1', '2']
        """
        seen = set()
        for name, module in _submodules(self):
            if id(module) not in seen:
                seen.add(id(module))
                yield name, module

    def children(self):
        """The direct sub-Modules.

        >>> import nn
        >>> [type(m).__name__ for m in nn.Sequential(nn.Linear(2, 2), nn.ReLU()).children()]
        ['Linear', 'ReLU']
        """
        for _, module in self.named_children():
            yield module

    def _walk(self, prefix="", once=False, children_first=False, holders=False, memo=None):
        """(dotted name, module) for this module and every module below it, depth first, shared
        modules under each of their names, or with once under the first only, without going into them
        again (as PyTorch's named_modules: a module shared at every level would otherwise cost a visit per
        path, 2**depth). Each module before the modules below it, or after them with children_first (the
        order of PyTorch's apply). With holders, the lists and dicts of Parameters too, as children (see
        _submodules). memo (PyTorch's named_modules'), a set of modules: those in it are passed by, with the
        modules below them, and with once each module visited is added to it. Iterative: no recursion limit. A
        module below itself (s.loop = s) would make the walk endless: it is refused, naming both places."""
        stack, seen = [(prefix, self, {}, False)], set()
        while stack:
            # enclosing: {id: name} of the modules on the path down here; done: the modules below are walked
            name, module, enclosing, done = stack.pop()
            if done or not isinstance(module, Module):  # (a holder has nothing below it)
                yield name, module
                continue
            if memo is not None:
                if module in memo:
                    continue
                if once:
                    memo.add(module)
            elif once:  # (checked here, when visited in depth-first order, not when queued: the first name wins)
                if id(module) in seen:
                    continue
                seen.add(id(module))
            if children_first:
                stack.append((name, module, enclosing, True))
            else:
                yield name, module
            enclosing = {**enclosing, id(module): name}
            below = []
            for child, m in _submodules(module, holders):
                path = f"{name}.{child}" if name else child
                if id(m) in enclosing:
                    again = repr(enclosing[id(m)]) if enclosing[id(m)] else "the root module"
                    raise ValueError(f"Module: {path!r} is {again} again, a cycle; a module cannot contain itself "
                                     f"or a module enclosing it")
                if not (once and id(m) in seen):
                    below.append((path, m, enclosing, False))
            stack.extend(reversed(below))

    def named_modules(self, memo=None, prefix="", remove_duplicate=True):
        """(dotted name, module) for this module ("") and every module below it, each once, depth first; with
        remove_duplicate=False a module held in several places under each of its names, as PyTorch's. memo, as
        PyTorch's: a set of modules to pass by (with the modules below them), to which each module listed is
        added (unless remove_duplicate=False).

        >>> import nn
        >>> [name for name, _ in nn.MLP([2, 3, 1]).named_modules()]
        ['', 'layers', 'layers.0', 'layers.1', 'layers.2']
        >>> net = nn.MLP([2, 3, 1])
        >>> [name for name, _ in net.named_modules(memo={net.layers[1]})]
        ['', 'layers', 'layers.0', 'layers.2']
        """
        where = f"{type(self).__name__}.named_modules"
        once = as_flag(remove_duplicate, where, "remove_duplicate")
        if memo is not None and not isinstance(memo, set):
            raise TypeError(f"{where}: memo must be a set of modules (those to pass by) or None, got "
                            f"{type(memo).__name__}")
        yield from self._walk(prefix, once=once, memo=memo)

    def modules(self):
        """This module and every module below it.

        >>> import nn
        >>> sum(isinstance(m, nn.Linear) for m in nn.MLP([2, 3, 1]).modules())
        2
        """
        for _, module in self.named_modules():
            yield module

    def named_parameters(self, prefix="", recurse=True, remove_duplicate=True):
        """(dotted name, Parameter) for each Parameter, each once even if shared; with remove_duplicate=False a
        shared one under each of its names (the state dict's names), as PyTorch's.

        >>> import nn
        >>> [name for name, _ in nn.Sequential(nn.Linear(2, 3), nn.ReLU()).named_parameters()]
        ['0.weight', '0.bias']
        """
        once = remove_duplicate if type(remove_duplicate) is bool else as_flag(  # (off the common path)
            remove_duplicate, f"{type(self).__name__}.named_parameters", "remove_duplicate")
        if type(recurse) is not bool:  # ("no" would read as True; checked off the common path)
            recurse = as_flag(recurse, f"{type(self).__name__}.named_parameters", "recurse")
        seen = set()
        for name, param in self._named_tensors(prefix, recurse, once=once):
            if not once:
                yield name, param
            elif id(param) not in seen:
                seen.add(id(param))
                yield name, param

    @property
    def _parameters(self):
        """This module's own Parameters by name (not its children's): PyTorch's private dict, which code such as
        d2l.ai's reads (`nn.init.xavier_uniform_(module._parameters[name])`), as a live view (module_registries):
        `module._parameters[name] = p` is register_parameter, `del module._parameters[name]` is `del module.name`.
        A parameter set to None is left out (PyTorch's dict keeps its name with None).

        >>> import nn
        >>> list(nn.Linear(2, 3)._parameters), list(nn.Sequential(nn.Linear(2, 3))._parameters)
        (['weight', 'bias'], [])
        """
        return RegistryView(self, lambda: self.named_parameters(recurse=False, remove_duplicate=False),
                            self.register_parameter)

    @property
    def _modules(self):
        """This module's direct children by name: PyTorch's private dict, which torchmeta's MetaSequential and
        other Sequential subclasses walk (`for name, module in self._modules.items()`), as a live view
        (module_registries): `module._modules[name] = child` is add_module, `del module._modules[name]` is
        `del module.name`.

        >>> import nn
        >>> list(nn.Sequential(nn.Linear(2, 3), nn.ReLU())._modules)
        ['0', '1']
        """
        return RegistryView(self, lambda: _submodules(self, unset=vars(self).get(_UNSET)), self.add_module)

    @property
    def _non_persistent_buffers_set(self):
        """The names of this module's own buffers left out of its state dict: PyTorch's private set, as a live view
        (module_registries): add(name) and discard(name) change a buffer's persistence."""
        return NonPersistentView(self, vars(self).setdefault(_BUFFERS, {}))

    @_non_persistent_buffers_set.setter
    def _non_persistent_buffers_set(self, names):
        """Assigned a set of buffer names, as PyTorch's (YOLOv5's `m._non_persistent_buffers_set = set()`): those
        buffers are left out of the state dict, the others are in it (a name of no buffer is kept, as PyTorch's)."""
        NonPersistentView(self, vars(self).setdefault(_BUFFERS, {})).replace(names)

    def _get_name(self):
        """The class's name, which repr shows: PyTorch's private Module._get_name, which modules' own __repr__ call.

        >>> import nn
        >>> nn.Linear(2, 3)._get_name()
        'Linear'
        """
        return type(self).__name__

    @property
    def _buffers(self):
        """This module's own buffers by name (not its children's): PyTorch's private dict, which code reads to tell
        a buffer from a parameter (`"_u" in module._buffers`), as a live view (module_registries): `module._buffers[
        name] = t` is register_buffer, keeping a buffer's persistence as PyTorch's dict does (a new name is
        persistent unless _non_persistent_buffers_set holds it), `del module._buffers[name]` is `del module.name`.
        A buffer set to None is left out, as in _parameters.

        >>> import nn
        >>> list(nn.BatchNorm1d(3)._buffers), list(nn.Linear(2, 3)._buffers)
        (['running_mean', 'running_var', 'num_batches_tracked'], [])
        """
        return RegistryView(self, lambda: self.named_buffers(recurse=False, remove_duplicate=False),
                            lambda name, value: self.register_buffer(
                                name, value, persistent=vars(self).get(_BUFFERS, {}).get(
                                    name, name not in vars(self).get(PENDING, ()))))

    def parameters(self, recurse=True):
        """Every Parameter, each once (what an optimizer takes).

        >>> import nn
        >>> [p.shape for p in nn.Linear(3, 2).parameters()]
        [(2, 3), (2,)]
        """
        for _, param in self.named_parameters(recurse=recurse):
            yield param

    def _named_tensors(self, prefix="", recurse=True, once=False, buffers=False, walk=None):
        """Every (dotted name, Parameter), each module's own first, shared ones under each of their names
        (as PyTorch's state_dict), or with once each module's under its first name only. With buffers, each
        module's persistent buffers follow its parameters: the state dict's entries, in PyTorch's order. A list or
        dict of Parameters is a child, as PyTorch's ParameterList and ParameterDict are (not recurse's own). walk:
        the (dotted name, module or holder) to take the entries of, instead of those below this module (state_dict's
        walk, made once)."""
        if walk is not None:
            modules = walk
        else:
            modules = self._walk(prefix, once, holders=True) if recurse else [(prefix, self)]
        for module_name, module in modules:
            if not isinstance(module, Module):  # a list or dict of Parameters, module_name its dotted path
                yield from ((name, item) for name, item in _held(module_name, module) if not isinstance(item, Module))
                continue
            if _STANDING_IN in vars(module):  # (inside a functional_call only)
                own = [(name, value) for name, value in vars(module).items() if isinstance(value, Parameter)
                       or name in vars(module)[_STANDING_IN] and value is not None]
            else:
                own = [(name, value) for name, value in vars(module).items() if isinstance(value, Parameter)]
            if buffers:
                own += [(name, vars(module)[name]) for name, persistent in vars(module).get(_BUFFERS, {}).items()
                        if persistent and vars(module).get(name) is not None]
            for name, value in own:
                yield (f"{module_name}.{name}" if module_name else name), value

    # ---- applying to every module below ----------------------------------------------------
    def apply(self, fn):
        """Call fn on every module below this one, then on this one (PyTorch's order); returns self.
        The usual way to initialise a whole network by layer type. Each module once, also one held in two
        places (PyTorch's recursion calls fn once per path to it); a module containing itself is refused. A module
        below whose class overrides apply has its apply called instead, as in PyTorch.

        >>> import nn
        >>> def init(m):
        ...     if isinstance(m, nn.Linear):
        ...         nn.init.ones_(m.weight)
        >>> net = nn.MLP([2, 3, 1]).apply(init)
        >>> [float(p.data.min()) for name, p in net.named_parameters() if name.endswith("weight")]
        [1.0, 1.0]
        """
        for module, overrides in self._below("apply"):
            if overrides:
                module.apply(fn)
            else:
                fn(module)
        fn(self)
        return self

    def _below(self, method):
        """(module, overrides) for each module below this one, each once, children first (PyTorch's apply order),
        without going into a module whose class overrides method (overrides True: its own method is called, for it
        and the modules below it, as PyTorch's recursion calls each child's). A module below such a module that is
        also held outside it is given too, as PyTorch's recursion reaches it by that other path. A module below
        itself is refused, as by _walk."""
        default = getattr(Module, method)
        list(self._walk(once=True))  # (refuses a cycle, naming it)
        seen, stack = {id(self)}, [(self, "enter")]
        while stack:
            module, step = stack.pop()
            if step != "enter":
                yield module, step == "override"
                continue
            if module is not self:
                stack.append((module, "direct"))
            children = [child for _, child in module.named_children() if id(child) not in seen]
            seen.update(id(child) for child in children)
            stack.extend((child, "override" if getattr(type(child), method) is not default else "enter")
                         for child in reversed(children))

    # ---- buffers: state that is not a parameter --------------------------------------------
    def register_buffer(self, name, tensor, persistent=True):
        """Keep tensor (a Tensor, an array or None) as the attribute name: in the state dict (unless not
        persistent) and checkpoints, but not among the parameters an optimizer updates, as PyTorch's
        register_buffer (a normalisation layer's running mean, say). Assign a new Tensor to it freely. A NumPy array
        is kept as ag.from_numpy keeps it, its memory shared, as PyTorch keeps a tensor's.

        >>> import numpy as np, nn
        >>> class Norm(nn.Module):
        ...     def __init__(self):
        ...         super().__init__()
        ...         self.register_buffer("running_mean", np.zeros(2))
        >>> m = Norm()
        >>> list(m.state_dict()), list(m.parameters()), m.running_mean
        (['running_mean'], [], Tensor([0., 0.]))
        """
        if "training" not in vars(self):
            raise AttributeError(f"cannot register buffer '{name}' before Module.__init__() call")
        if not isinstance(name, str):
            raise TypeError(f"register_buffer: the name must be a string, got {type(name).__name__}")
        if not name or "." in name:
            raise KeyError(f"register_buffer: the name must be a non-empty string without '.', got {name!r}")
        persistent = as_flag(persistent, f"{type(self).__name__}.register_buffer", "persistent")
        if (name in vars(self) or hasattr(type(self), name)) and name not in vars(self).get(_BUFFERS, ()):
            raise KeyError(f"register_buffer: '{name}' is already an attribute of {type(self).__name__}")
        if isinstance(tensor, Parameter):
            tensor = tensor.detach()  # its value as a buffer, never among the parameters (as PyTorch)
        elif isinstance(tensor, np.ndarray) and tensor.flags.writeable and tensor.dtype.kind in "biuf":
            # kept, not copied, as PyTorch keeps a tensor's memory: register_buffer(name, t.data) (pytorch-ntm's read
            # biases) shares t's, so a state dict loaded into the buffer reaches t too (ag.from_numpy's sharing)
            tensor = from_numpy(tensor)
        elif tensor is not None and not isinstance(tensor, Tensor):
            tensor = Tensor(tensor)  # other array-likes, copied, as PyTorch takes only tensors
        if REGISTRATION_HOOKS["buffer"]:
            tensor = registered(self, name, tensor, "buffer")
        vars(self).setdefault(_BUFFERS, {})[name] = bool(persistent)
        if PENDING in vars(self):  # (its persistence now the buffer's flag: see NonPersistentView)
            vars(self)[PENDING].discard(name)
        MODULE_CHANGES[0] += self._recorded
        object.__setattr__(self, name, tensor)

    def named_buffers(self, prefix="", recurse=True, remove_duplicate=True):
        """(dotted name, Tensor) for each buffer that is not None, each once even if shared, depth first; with
        remove_duplicate=False a shared one under each of its names, as PyTorch's."""
        once = remove_duplicate if type(remove_duplicate) is bool else as_flag(  # (off the common path)
            remove_duplicate, f"{type(self).__name__}.named_buffers", "remove_duplicate")
        if type(recurse) is not bool:  # ("no" would read as True)
            recurse = as_flag(recurse, f"{type(self).__name__}.named_buffers", "recurse")
        seen = set()
        for module_name, module in self._walk(prefix, once=once) if recurse else [(prefix, self)]:
            for name in vars(module).get(_BUFFERS, ()):
                buffer = vars(module).get(name)
                if buffer is not None and (not once or id(buffer) not in seen):
                    seen.add(id(buffer))
                    yield (f"{module_name}.{name}" if module_name else name), buffer

    def buffers(self, recurse=True):
        """Every buffer that is not None, each once (see register_buffer)."""
        for _, buffer in self.named_buffers(recurse=recurse):
            yield buffer

    # ---- registering by name, and finding by dotted name -------------------------------------
    def add_module(self, name, module):
        """Register module (an nn.Module, or None to keep the place of one set later) as the child name, as
        `self.name = module` would, with PyTorch's checks: name a non-empty string without '.' that is no other
        attribute (a parameter, a buffer, a plain value or a method); a child of that name is replaced.

        >>> import nn
        >>> net = nn.Module()
        >>> net.add_module("fc", nn.Linear(2, 1))
        >>> [name for name, _ in net.named_children()]
        ['fc']
        """
        self._register("add_module", "module", name, module)

    def register_module(self, name, module):
        """The same as add_module (PyTorch's alias).

        >>> import nn
        >>> net = nn.Module()
        >>> net.register_module("act", nn.ReLU())
        >>> net.act
        ReLU()
        """
        self._register("register_module", "module", name, module)

    def register_parameter(self, name, param):
        """Register param (an nn.Parameter, or None to keep the place of one set later) as the parameter name, as
        `self.name = param` would, with PyTorch's checks: name a non-empty string without '.' that is no other
        attribute (a child module, a buffer, a plain value or a method); a parameter of that name is replaced.

        >>> import numpy as np, nn
        >>> m = nn.Module()
        >>> m.register_parameter("scale", nn.Parameter(np.ones(2)))
        >>> [name for name, _ in m.named_parameters()]
        ['scale']
        """
        self._register("register_parameter", "parameter", name, param)

    def _register(self, method, kind, name, value):
        """add_module, register_module and register_parameter: value, of kind "module" or "parameter", as the
        attribute name, with PyTorch's checks in PyTorch's order (TypeError for a type, KeyError for a name)."""
        where = f"{type(self).__name__}.{method}"
        if "training" not in vars(self):
            raise AttributeError(f"{where}: cannot register {kind} {name!r} before Module.__init__() call: call "
                                 f"super().__init__() first in {type(self).__name__}.__init__")
        if kind == "module" and value is not None and not isinstance(value, Module):  # (torch checks it first)
            raise TypeError(f"{where}: {type(value).__name__} is not a Module subclass (an nn.Module or None "
                            f"expected for {name!r})")
        if not isinstance(name, str):
            raise TypeError(f"{where}: the {kind} name must be a string, got {name!r} of type {type(name).__name__}")
        if "." in name or not name:
            raise KeyError(f"{where}: the {kind} name must be a non-empty string without '.', got {name!r}")
        if hasattr(self, name) and _registered_as(self, name) != kind:
            raise KeyError(f"{where}: attribute '{name}' already exists and is no {kind}; choose another name, or "
                           f"del it first")
        if kind == "parameter" and value is not None and not isinstance(value, Parameter):
            raise TypeError(f"{where}: cannot assign '{type(value).__name__}' object to {kind} '{name}' "
                            f"(nn.Parameter or None expected); wrap it as nn.Parameter(value)")
        setattr(self, name, value)  # __setattr__'s registry: a new name goes last, a registered one keeps its place
        if value is None:  # a place kept for a later module or parameter, as PyTorch's None entry
            vars(self).setdefault(_UNSET, {})[name] = kind

    # ---- display --------------------------------------------------------------------------
    def extra_repr(self):
        """The module's own settings, shown inside the parentheses of its repr."""
        return ""

    def __repr__(self):
        texts = {}  # id(module) -> its repr, children first: no recursion, and a cycle is refused by the walk
        for _, module in self._walk(once=True, children_first=True):
            own = module is self or type(module).__repr__ is Module.__repr__  # (else a subclass's own __repr__)
            texts[id(module)] = module._repr_from(texts) if own else repr(module)
        return texts[id(self)]

    def __dir__(self):  # without a container's "0", "1"...: no attribute name starts with a digit (as PyTorch's)
        return [key for key in super().__dir__() if not key[:1].isdigit()]

    def _repr_from(self, texts):
        """This module's repr, from texts, the reprs of the modules below it, laid out as PyTorch's: each line of
        extra_repr, then each child, on a line of its own, unless a one-line extra_repr is all there is."""
        extra = self.extra_repr()
        extra_lines = extra.split("\n") if extra else []
        unset = vars(self).get(_UNSET, {})
        children = [(name, "None") if child is None else (name, texts[id(child)].replace("\n", "\n  "))
                    for name, child in _submodules(self, unset=unset)]  # a module held twice under each name
        if not children and len(extra_lines) <= 1:
            return f"{self._get_name()}({extra})"
        lines = extra_lines + [f"({name}): {body}" for name, body in children]
        return f"{self._get_name()}(\n  " + "\n  ".join(lines) + "\n)"


def _holds_child(module, name):
    """Whether module's attribute name is a registered sub-Module, Parameter or buffer (or one unset to None)."""
    value = vars(module).get(name)
    if value is None:
        return name in vars(module).get(_UNSET, {})
    return isinstance(value, (Module, Parameter)) or name in vars(module).get(_BUFFERS, ())
