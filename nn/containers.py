"""The containers: Sequential, ModuleList and ModuleDict, modules that hold other modules under names
("0", "1", ... or keys) and register them as attributes, so Module's traversal finds them."""
import operator
from collections import OrderedDict
from collections.abc import Iterable, Mapping

from .module import Module, _submodules


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
