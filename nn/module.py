"""Module, Parameter, Sequential, ModuleList and ModuleDict: the containers networks are built from.

A Module finds its Parameters and sub-Modules by looking at its own attributes
(lists, tuples and dicts of them included), in the order they were first assigned, so
`self.fc = Linear(2, 3)` is all the registration there is. Names are dotted paths
("layers.0.weight"), as in PyTorch's state dicts.
"""
import operator
from collections import OrderedDict, namedtuple
from collections.abc import Iterable, Mapping

import numpy as np

from autograd_core import Tensor

from .init import copy_into


class Parameter(Tensor):
    """A Tensor that is a learnable parameter of a Module (requires grad by default).

    >>> import nn
    >>> w = nn.Parameter([1.0, 2.0])
    >>> w.requires_grad, w.is_leaf
    (True, True)
    """

    __slots__ = ()  # Tensor uses __slots__; a Parameter carries nothing more

    def __init__(self, data, requires_grad=True):
        super().__init__(data, requires_grad=requires_grad)

    def __repr__(self):
        return "Parameter containing:\n" + super().__repr__()


class StateDictError(RuntimeError, KeyError, ValueError):
    """load_state_dict found missing, unexpected or mis-shaped entries.

    A RuntimeError as in PyTorch, and also a KeyError and a ValueError, so code written
    to catch either of those catches it too.
    """

    __str__ = BaseException.__str__  # a plain message, not KeyError's quoted repr


IncompatibleKeys = namedtuple("IncompatibleKeys", ["missing_keys", "unexpected_keys"])


def _members(module):
    """(name, value) for each Parameter and Module held by module's attributes, lists, tuples and dicts
    expanded (as nn.ModuleList and nn.ModuleDict would hold them: "heads.0", "heads.left")."""
    for name, value in vars(module).items():
        if isinstance(value, (Parameter, Module)):
            yield name, value
        elif isinstance(value, (list, tuple, dict)):
            yield from _held(name, value)


def _held(name, container):
    """("name.key", item) for each Parameter and Module in a list, tuple or dict. A dict's keys must be names, as
    nn.ModuleDict's: non-empty strings without '.' (1 and "1", or "a.b", would make clashing dotted names)."""
    for key, item in container.items() if isinstance(container, dict) else enumerate(container):
        if isinstance(item, (Parameter, Module)):
            if isinstance(container, dict) and not (isinstance(key, str) and key and "." not in key):
                raise KeyError(f"{name}: a dict holding modules or parameters needs keys that are non-empty strings "
                               f"without '.', got {key!r}")
            yield f"{name}.{key}", item


def _submodules(module):
    """(name, module) for each Module held by module's attributes, a module held twice under each name (what
    state dicts, repr and Sequential's indexing list; named_children lists each module once)."""
    return [(name, value) for name, value in _members(module) if isinstance(value, Module)]


def set_grad_values(param, values):
    """Set param.grad's values (broadcast to its shape): in place, unless the gradient is a recorded graph node
    (from backward(create_graph=True)), whose graphs keep reading the old values; then param.grad becomes a new
    Tensor. The rule behind zero_grad and gradient clipping."""
    grad = param.grad
    if grad.requires_grad:
        param.grad = Tensor(np.broadcast_to(values, grad.shape), dtype=grad.dtype)
    else:
        grad.data[...] = values


def clear_grad(param, set_to_none=True):
    """Set param.grad to None, or its values to zero (set_grad_values). Module.zero_grad and Optimizer.zero_grad."""
    if set_to_none or param.grad is None:
        param.grad = None
    else:
        set_grad_values(param, 0)


def _add(container, name, module, where):
    """Register module under name as an attribute of container (a Sequential's or ModuleDict's entry), as torch's
    add_module: name must be a non-empty string without '.' that is new or already names an entry, not another
    attribute ('training', 'forward'); where describes the entry in the TypeError for a non-Module."""
    kind = type(container).__name__
    if not isinstance(module, Module):
        raise TypeError(f"{kind}: {where} is a {type(module).__name__}, not an nn.Module")
    if not isinstance(name, str):
        raise TypeError(f"{kind}: module names must be strings, got {name!r} of type {type(name).__name__}")
    if not name or "." in name or (hasattr(container, name) and not isinstance(vars(container).get(name), Module)):
        raise KeyError(f"{kind}: invalid module name {name!r}: names must be non-empty strings without '.' "
                       f"that are not already attributes of a {kind}")
    setattr(container, name, module)


def _owner(key, paths):
    """The longest of paths (dotted module names) that key runs through: "a.b" for "a.b.c.d"; "" (the root)
    if none does."""
    parts = str(key).split(".")
    return next((path for path in (".".join(parts[:i]) for i in range(len(parts) - 1, 0, -1)) if path in paths), "")


class Module:
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

    def __init__(self):
        self.training = True

    def forward(self, *args, **kwargs):
        raise NotImplementedError(f"{type(self).__name__}.forward is not written: subclasses of nn.Module define it")

    def __call__(self, *args, **kwargs):
        return self.forward(*args, **kwargs)

    def __setattr__(self, name, value):
        if isinstance(value, (Module, Parameter)) and "training" not in vars(self):  # fail now, not in forward
            kind = "module" if isinstance(value, Module) else "parameter"
            raise AttributeError(f"cannot assign {kind} '{name}' before Module.__init__() call: call "
                                 f"super().__init__() first in {type(self).__name__}.__init__")
        if isinstance(value, dict):
            list(_held(name, value))  # its keys checked now, not when parameters() is first asked for
        # A plain Tensor over a Parameter, or a non-Module over a sub-Module, would silently drop it from
        # parameters() (and the optimizer): refused, as in PyTorch.
        current = vars(self).get(name)
        if value is not None and isinstance(current, Parameter) and not isinstance(value, Parameter):
            raise TypeError(f"cannot assign '{type(value).__name__}' as parameter '{name}' (nn.Parameter or None "
                            f"expected); wrap it as nn.Parameter(value), or copy into .data in place")
        if value is not None and isinstance(current, Module) and not isinstance(value, Module):
            raise TypeError(f"cannot assign '{type(value).__name__}' as child module '{name}' (nn.Module or None "
                            f"expected)")
        object.__setattr__(self, name, value)

    # ---- the module tree ------------------------------------------------------------------
    def named_children(self):
        """(name, module) for each direct sub-Module; one held under two names is listed once, under the first
        (as PyTorch)."""
        seen = set()
        for name, module in _submodules(self):
            if id(module) not in seen:
                seen.add(id(module))
                yield name, module

    def children(self):
        """The direct sub-Modules."""
        for _, module in self.named_children():
            yield module

    def _walk(self, prefix=""):
        """(dotted name, module) for this module and every module below it, depth first, shared
        modules under each of their names (iterative: no recursion limit). A module below itself
        (s.loop = s) would make the walk endless: it is refused, naming both places."""
        stack = [(prefix, self, {})]
        while stack:
            name, module, enclosing = stack.pop()  # enclosing: {id: name} of the modules on the path down here
            yield name, module
            enclosing = {**enclosing, id(module): name}
            below = []
            for child, m in _submodules(module):
                path = f"{name}.{child}" if name else child
                if id(m) in enclosing:
                    again = repr(enclosing[id(m)]) if enclosing[id(m)] else "the root module"
                    raise ValueError(f"Module: {path!r} is {again} again, a cycle; a module cannot contain itself "
                                     f"or a module enclosing it")
                below.append((path, m, enclosing))
            stack.extend(reversed(below))

    def named_modules(self, prefix=""):
        """(dotted name, module) for this module ("") and every module below it, each once, depth first."""
        seen = set()
        for name, module in self._walk(prefix):
            if id(module) not in seen:
                seen.add(id(module))
                yield name, module

    def modules(self):
        """This module and every module below it."""
        for _, module in self.named_modules():
            yield module

    def named_parameters(self, prefix="", recurse=True):
        """(dotted name, Parameter) for each Parameter, each once even if shared.

        >>> import nn
        >>> [name for name, _ in nn.Sequential(nn.Linear(2, 3), nn.ReLU()).named_parameters()]
        ['0.weight', '0.bias']
        """
        seen = set()
        for name, param in self._named_tensors(prefix, recurse):
            if id(param) not in seen:
                seen.add(id(param))
                yield name, param

    def parameters(self, recurse=True):
        """Every Parameter, each once (what an optimizer takes)."""
        for _, param in self.named_parameters(recurse=recurse):
            yield param

    def _named_tensors(self, prefix="", recurse=True):
        """Every (dotted name, Parameter), each module's own first, shared ones under each of their names
        (as PyTorch's state_dict)."""
        modules = self._walk(prefix) if recurse else [(prefix, self)]
        for module_name, module in modules:
            for name, value in _members(module):
                if isinstance(value, Parameter):
                    yield (f"{module_name}.{name}" if module_name else name), value

    # ---- training -------------------------------------------------------------------------
    def zero_grad(self, set_to_none=True):
        """Forget accumulated gradients: every Parameter's .grad becomes None (PyTorch's default), or with
        set_to_none=False is zeroed in place (a gradient recorded with create_graph=True becomes a fresh
        zero Tensor instead, leaving that graph's values intact).

        >>> import numpy as np, nn
        >>> layer = nn.Linear(2, 1)
        >>> layer(np.ones(2)).sum().backward()
        >>> layer.zero_grad(set_to_none=False); layer.bias.grad
        Tensor([0.], dtype=float32)
        """
        for param in self.parameters():
            clear_grad(param, set_to_none)

    def train(self, mode=True):
        """Put this module and all below it in training mode (Dropout active); returns self."""
        if not isinstance(mode, (bool, np.bool_)):  # train("no") would otherwise mean training
            raise ValueError(f"{type(self).__name__}.train: mode must be True or False, got {mode!r}")
        for module in self.modules():
            module.training = bool(mode)
        return self

    def eval(self):
        """Put this module and all below it in evaluation mode (Dropout is the identity); returns self."""
        return self.train(False)

    def requires_grad_(self, requires_grad=True):
        """Set requires_grad on every Parameter (False freezes them: no gradient, optimizers skip them);
        returns self.

        >>> import nn
        >>> net = nn.Sequential(nn.Linear(2, 3), nn.Linear(3, 1))
        >>> _ = net[0].requires_grad_(False)
        >>> [p.requires_grad for p in net.parameters()]
        [False, False, True, True]
        """
        if not isinstance(requires_grad, (bool, np.bool_)):  # requires_grad_("no") would otherwise mean True
            raise TypeError(f"{type(self).__name__}.requires_grad_: expected True or False, got {requires_grad!r}")
        for param in self.parameters():
            param.requires_grad_(bool(requires_grad))
        return self

    def apply(self, fn):
        """Call fn on every module below this one, then on this one (PyTorch's order); returns self.
        The usual way to initialise a whole network by layer type.

        >>> import nn
        >>> def init(m):
        ...     if isinstance(m, nn.Linear):
        ...         nn.init.ones_(m.weight)
        >>> net = nn.MLP([2, 3, 1]).apply(init)
        >>> [float(p.data.min()) for name, p in net.named_parameters() if name.endswith("weight")]
        [1.0, 1.0]
        """
        for module in self.children():  # a child held under two names is visited once, as in torch
            module.apply(fn)
        fn(self)
        return self

    # ---- state ----------------------------------------------------------------------------
    def state_dict(self):
        """An OrderedDict from dotted parameter names to copies of their values (ndarrays).

        >>> import nn
        >>> {k: v.shape for k, v in nn.Linear(2, 3).state_dict().items()}
        {'weight': (3, 2), 'bias': (3,)}
        """
        return OrderedDict((name, param.data.copy()) for name, param in self._named_tensors())

    def load_state_dict(self, state_dict, strict=True):
        """Copy values from state_dict into the Parameters with the same names, in place.

        Shapes must match exactly; with strict=True (the default) the names must match too.
        Values are cast to each Parameter's dtype. Returns (missing_keys, unexpected_keys).

        >>> import nn
        >>> a, b = nn.Linear(2, 3, rng=0), nn.Linear(2, 3, rng=1)
        >>> b.load_state_dict(a.state_dict())
        IncompatibleKeys(missing_keys=[], unexpected_keys=[])
        >>> bool((a.weight.data == b.weight.data).all())
        True
        """
        own = OrderedDict(self._named_tensors())
        missing = [name for name in own if name not in state_dict]
        # PyTorch's order: module by module as its load walks them (each module's keys, in the dict's order,
        # before its children's), a key under the deepest module its dotted path runs through
        walk = {path: i for i, (path, _) in enumerate(self._walk())}
        unexpected = sorted((name for name in state_dict if name not in own), key=lambda k: walk[_owner(k, walk)])
        values = {name: np.asarray(state_dict[name]) for name in own if name in state_dict}
        problems = []
        for name, value in values.items():
            if value.shape != own[name].shape:
                problems.append(f"size mismatch for '{name}': the state dict has shape {value.shape}, "
                                f"the model's parameter has shape {own[name].shape}")
        if strict:
            if missing:
                problems.append(f"missing keys (in the model, not in the state dict): {missing}")
            if unexpected:
                problems.append(f"unexpected keys (in the state dict, not in the model): {unexpected}")
        if problems:
            raise StateDictError(f"{type(self).__name__}.load_state_dict: " + "; ".join(problems))
        for name, value in values.items():  # into the same arrays, counted as a change (as PyTorch's copy_)
            copy_into(own[name], value)
        return IncompatibleKeys(missing, unexpected)

    # ---- display --------------------------------------------------------------------------
    def extra_repr(self):
        """The module's own settings, shown inside the parentheses of its repr."""
        return ""

    def __repr__(self):
        children = _submodules(self)  # a module held twice is shown under each name, as in PyTorch
        if not children:
            return f"{type(self).__name__}({self.extra_repr()})"
        lines = [f"{type(self).__name__}("]
        if self.extra_repr():
            lines.append(f"  {self.extra_repr()}")
        for name, child in children:
            body = repr(child).replace("\n", "\n  ")
            lines.append(f"  ({name}): {body}")
        return "\n".join(lines) + "\n)"


class Sequential(Module):
    """Modules applied one after the other; indexable, with len; names "0", "1", ..., or the keys of
    one OrderedDict of name -> module (as in PyTorch). A slice keeps the modules' names.

    >>> import numpy as np, nn
    >>> net = nn.Sequential(nn.Linear(2, 4, rng=0), nn.ReLU(), nn.Linear(4, 1, rng=0))
    >>> len(net), type(net[1]).__name__
    (3, 'ReLU')
    >>> net(np.zeros((5, 2))).shape
    (5, 1)
    >>> list(net[1:].state_dict())
    ['2.weight', '2.bias']
    >>> from collections import OrderedDict
    >>> list(nn.Sequential(OrderedDict(fc=nn.Linear(2, 1), act=nn.Tanh())).state_dict())
    ['fc.weight', 'fc.bias']
    """

    def __init__(self, *modules):
        super().__init__()
        from_dict = len(modules) == 1 and isinstance(modules[0], OrderedDict)
        named = list(modules[0].items()) if from_dict else [(str(i), module) for i, module in enumerate(modules)]
        for i, (name, module) in enumerate(named):
            _add(self, name, module, f"entry {name!r}" if from_dict else f"argument {i}")

    def forward(self, x):
        for value in vars(self).values():  # the modules "0", "1", ... in order, a repeated one each time
            if isinstance(value, Module):
                x = value(x)
        return x

    def __getitem__(self, index):
        named = _submodules(self)
        if isinstance(index, slice):
            return Sequential(OrderedDict(named[index]))
        return named[self._position(index, len(named))][1]

    def __setitem__(self, index, module):
        """Replace the module at an integer index, keeping its name (as PyTorch)."""
        if isinstance(index, slice):
            raise TypeError(f"{type(self).__name__}: item assignment takes an integer index, not a slice")
        named = _submodules(self)
        setattr(self, named[self._position(index, len(named))][0], module)

    def append(self, module):
        """Add module at the end, named by its position (as PyTorch); returns self.

        >>> import nn
        >>> net = nn.Sequential(nn.Linear(2, 3)).append(nn.ReLU())
        >>> [name for name, _ in net.named_children()]
        ['0', '1']
        """
        kind = type(self).__name__
        if not isinstance(module, Module):
            raise TypeError(f"{kind}.append: expected an nn.Module, got {type(module).__name__}")
        if any(m is self for m in module.modules()):
            raise ValueError(f"{kind}.append: the module contains this {kind}; appending it would make a cycle")
        name = str(len(self))
        if hasattr(self, name):  # an OrderedDict-built Sequential may already use the name
            raise KeyError(f"{kind}.append: the name {name!r} is already taken by another module or attribute")
        setattr(self, name, module)
        return self

    def _position(self, index, count):
        try:
            i = operator.index(index)
        except TypeError:
            raise TypeError(f"{type(self).__name__}: indices must be integers or slices, not "
                            f"{type(index).__name__}") from None
        if not -count <= i < count:
            raise IndexError(f"{type(self).__name__}: index {i} is out of range for {count} modules")
        return i

    def __len__(self):
        return len(_submodules(self))

    def __iter__(self):  # every entry, a module held twice each time (children() lists it once)
        return (module for _, module in _submodules(self))


class ModuleList(Sequential):
    """A list of modules registered as "0", "1", ..., as torch.nn.ModuleList: index it, iterate, append,
    extend; it has no forward of its own. (A plain list of modules as an attribute registers the same way.)

    >>> import numpy as np, nn
    >>> blocks = nn.ModuleList([nn.Linear(2, 2, rng=0) for _ in range(3)])
    >>> len(blocks), list(blocks[1:].state_dict())[:2]
    (3, ['0.weight', '0.bias'])
    """

    def __init__(self, modules=None):
        super().__init__(*(modules or ()))

    def forward(self, *args, **kwargs):
        raise NotImplementedError("ModuleList has no forward: call its modules, e.g. for block in self.blocks: "
                                  "x = block(x)")

    def __getitem__(self, index):
        if isinstance(index, slice):  # renumbered from 0, as PyTorch's ModuleList (a Sequential keeps names)
            return ModuleList(module for _, module in _submodules(self)[index])
        return super().__getitem__(index)

    def extend(self, modules):
        """Append each of modules; returns self."""
        for module in modules:
            self.append(module)
        return self


class ModuleDict(Module):
    """A dict of modules registered under its keys ("heads.left.weight"), as torch.nn.ModuleDict: built from
    a dict (in its order) or (key, module) pairs; d[key], d[key] = module, del d[key], in, len, iteration over
    keys, keys(), values(), items(), pop, clear, update. Keys are non-empty strings without '.' that are not
    attributes of a ModuleDict ('training', 'keys'); it has no forward of its own.

    >>> import nn
    >>> heads = nn.ModuleDict({"left": nn.Linear(2, 1), "right": nn.Linear(2, 3)})
    >>> heads["up"] = nn.Tanh()
    >>> list(heads), list(heads.state_dict())[:2]
    (['left', 'right', 'up'], ['left.weight', 'left.bias'])
    """

    def __init__(self, modules=None):
        super().__init__()
        if modules is not None:
            self.update(modules)

    def forward(self, *args, **kwargs):
        raise NotImplementedError("ModuleDict has no forward: call its modules by key, e.g. x = self.heads[name](x)")

    def _entries(self):  # every Module attribute is an entry: keys may not name any other attribute
        return {key: value for key, value in vars(self).items() if isinstance(value, Module)}

    def __getitem__(self, key):
        entries = self._entries()
        if key not in entries:
            raise KeyError(f"ModuleDict has no key {key!r}; its keys are {list(entries)}")
        return entries[key]

    def __setitem__(self, key, module):
        _add(self, key, module, f"the value for key {key!r}")

    def __delitem__(self, key):
        self[key]  # only an entry: del d['training'] is a KeyError, as in torch
        delattr(self, key)

    def __len__(self):
        return len(self._entries())

    def __iter__(self):
        return iter(self._entries())

    def __contains__(self, key):
        return key in self._entries()

    def keys(self):
        return self._entries().keys()

    def values(self):
        return self._entries().values()

    def items(self):
        return self._entries().items()

    def pop(self, key):
        """Remove key and return its module."""
        module = self[key]
        del self[key]
        return module

    def clear(self):
        for key in list(self):
            del self[key]

    def update(self, modules):
        """Set d[key] = module for each key and module of a dict, ModuleDict or iterable of (key, module) pairs,
        in their order; an existing key keeps its place."""
        if not isinstance(modules, Iterable):
            raise TypeError(f"ModuleDict.update: expected a dict or an iterable of (key, module) pairs, got "
                            f"{type(modules).__name__}")
        pairs = modules.items() if isinstance(modules, (Mapping, ModuleDict)) else modules
        for i, pair in enumerate(pairs):  # torch's errors: a TypeError for a non-iterable, a ValueError for a length
            if not isinstance(pair, Iterable):
                raise TypeError(f"ModuleDict.update: element {i} is a {type(pair).__name__}, not a (key, module) pair")
            if len(pair := tuple(pair)) != 2:
                raise ValueError(f"ModuleDict.update: element {i} has {len(pair)} items, not 2 (a key and a module)")
            self[pair[0]] = pair[1]
