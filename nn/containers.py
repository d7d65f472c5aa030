"""The containers: Sequential, ModuleList and ModuleDict, modules that hold other modules under names
("0", "1", ... or keys) and register them as attributes, so Module's traversal finds them."""
import operator
from collections import OrderedDict
from collections.abc import Iterable, Mapping

import numpy as np

from .module import Module


class EntryTypeError(TypeError, AssertionError):
    """A Sequential's or ModuleList's new entry is no Module: a TypeError, and the AssertionError PyTorch's
    Sequential.insert raises."""


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


def _module_attributes(container):
    """{name: module} for each Module attribute of container, in order (a module held twice, under each name): a
    container's entries. A list or dict of modules a subclass keeps is no entry (forward never runs it)."""
    return {name: value for name, value in vars(container).items() if isinstance(value, Module)}


_NAMES = ".entry_names"  # where a container keeps its entries' names: a key no entry can have (names hold no '.')


class _Container(Module):
    """A module whose entries are its Module attributes, in order (see _module_attributes), with their names kept
    between calls, so that indexing, len, appending or deleting in a loop does not scan every attribute each time."""

    def _kept(self):
        """[owner id, {name: None} of the entries in order, their list or None until a position is asked for]."""
        kept = self._own_kept()
        if kept is None:
            kept = [id(self), dict.fromkeys(_module_attributes(self)), None]
            object.__setattr__(self, _NAMES, kept)
        return kept

    def _names(self):
        """The entries' names, in order, as a list (the caller must not change it)."""
        kept = self._kept()
        if kept[2] is None:
            kept[2] = list(kept[1])
        return kept[2]

    def __len__(self):
        return len(self._kept()[1])

    def _own_kept(self):
        """The kept names, or None when there are none or they are another's (a shallow copy's dict holds its
        original's)."""
        kept = vars(self).get(_NAMES)
        return kept if kept is not None and kept[0] == id(self) else None

    def __setattr__(self, name, value):
        new, was_entry = name not in vars(self), isinstance(vars(self).get(name), Module)
        super().__setattr__(name, value)
        if was_entry != isinstance(value, Module):  # the entries changed
            kept = self._own_kept()
            if kept is not None and new:  # a new attribute comes last in vars(), so the new entry does
                kept[1][name] = None
                if kept[2] is not None:
                    kept[2].append(name)
            else:
                vars(self).pop(_NAMES, None)

    def __delattr__(self, name):
        was_entry = isinstance(vars(self).get(name), Module)
        super().__delattr__(name)
        kept = self._own_kept()
        if was_entry and kept is not None:
            del kept[1][name]
            kept[2] = None  # the positions after it changed


class _ModuleSequence(_Container):
    """What Sequential and ModuleList share: entries "0", "1", ... (a Sequential's may have its own names),
    indexing, len, iteration, and editing as a list (append, extend, insert, pop, del, +, +=)."""

    def _entries(self):
        return [(name, vars(self)[name]) for name in self._names()]

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self._sliced(self._entries()[index])
        names = self._names()
        return vars(self)[names[self._position(index, len(names))]]

    def __setitem__(self, index, module):
        """Replace the module at an integer index, keeping its name (as PyTorch)."""
        if isinstance(index, slice):
            raise TypeError(f"{type(self).__name__}: item assignment takes an integer index, not a slice")
        names = self._names()
        setattr(self, names[self._position(index, len(names))], module)

    def __delitem__(self, index):
        """Remove the module(s) at an integer index or slice; the rest are renumbered "0", "1", ... (as PyTorch)."""
        modules = list(self)
        if isinstance(index, slice):
            del modules[index]
        else:
            del modules[self._position(index, len(modules))]
        self._renumber(modules)

    def _renumber(self, modules):
        for name, _ in self._entries():
            delattr(self, name)
        for i, module in enumerate(modules):
            setattr(self, str(i), module)

    def append(self, module):
        """Add module at the end, named by its position (as PyTorch); returns self.

        >>> import nn
        >>> net = nn.Sequential(nn.Linear(2, 3)).append(nn.ReLU())
        >>> [name for name, _ in net.named_children()]
        ['0', '1']
        """
        self._check_entry(module, "append")
        name = str(len(self))
        if hasattr(self, name):  # an OrderedDict-built Sequential may already use the name
            raise KeyError(f"{type(self).__name__}.append: the name {name!r} is already taken by another module or "
                           "attribute")
        setattr(self, name, module)
        return self

    def extend(self, modules):
        """Append each of modules; returns self."""
        if not isinstance(modules, Iterable):  # (Python's "'ReLU' object is not iterable" otherwise)
            hint = "; to add one module, use append" if isinstance(modules, Module) else ""
            raise TypeError(f"{type(self).__name__}.extend: expected an iterable of modules, got "
                            f"{type(modules).__name__}{hint}")
        for module in modules:
            self.append(module)
        return self

    def insert(self, index, module):
        """Put module before position index (as list.insert, within -len..len); the modules are renumbered. At
        the end (index len) it is append: an OrderedDict-built Sequential keeps its names, as PyTorch's.

        >>> import nn
        >>> net = nn.Sequential(nn.Linear(2, 3), nn.Linear(3, 1)).insert(1, nn.ReLU())
        >>> [type(m).__name__ for m in net]
        ['Linear', 'ReLU', 'Linear']
        """
        self._check_entry(module, "insert")
        modules = list(self)
        i = self._position(index, len(modules), end_included=True)
        if i == len(modules):
            return self.append(module)
        self._renumber(modules[:i] + [module] + modules[i:])
        return self

    def pop(self, index=-1):
        """Remove and return the module at index (the last by default); the rest are renumbered."""
        module = self[index]
        del self[index]
        return module

    def _check_entry(self, module, operation):
        kind = type(self).__name__
        if not isinstance(module, Module):
            raise EntryTypeError(f"{kind}.{operation}: expected an nn.Module, got {type(module).__name__}")
        if any(m is self for m in module.modules()):
            raise ValueError(f"{kind}.{operation}: the module contains this {kind}, which would then contain "
                             "itself (a cycle)")

    def _position(self, index, count, end_included=False):
        try:
            i = operator.index(index)
        except TypeError:
            shape = getattr(index, "shape", None)  # (a one-entry integer Tensor is one, by __index__, as PyTorch's)
            what = type(index).__name__ + ("" if shape is None else f" of shape {tuple(shape)}")
            raise TypeError(f"{type(self).__name__}: indices must be integers or slices (or a one-entry integer "
                            f"Tensor), not {what}") from None
        if not -count <= i < count + end_included:
            raise IndexError(f"{type(self).__name__}: index {i} is out of range for {count} modules")
        return i + count if i < 0 else i

    def __iter__(self):  # every entry, a module held twice each time (children() lists it once)
        return (module for _, module in self._entries())


class Sequential(_ModuleSequence):
    """Modules applied one after the other; indexable, with len, editable as a list; names "0", "1", ...,
    or the keys of one OrderedDict of name -> module (as in PyTorch). A slice keeps the modules' names.

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

    def forward(self, input):
        for value in vars(self).values():  # the modules "0", "1", ... in order, a repeated one each time
            if isinstance(value, Module):
                input = value(input)
        return input

    def _sliced(self, named):
        return Sequential(OrderedDict(named))

    def __add__(self, other):
        """A new Sequential of this one's modules, then other's (as PyTorch: both Sequentials)."""
        if not isinstance(other, Sequential):
            return NotImplemented
        return Sequential(*self, *other)

    def __iadd__(self, other):
        if not isinstance(other, Sequential):
            return NotImplemented
        return self.extend(other)

    def __mul__(self, times):
        """A new Sequential of this one's modules repeated times (a positive int) over, named "0", "1", ...: the
        same module objects, so the copies share their parameters (as PyTorch's).

        >>> import nn
        >>> net = nn.Sequential(nn.Linear(2, 2), nn.ReLU()) * 2
        >>> len(net), net[0] is net[2], len(list(net.parameters()))
        (4, True, 2)
        """
        return Sequential(*(list(self) * self._repeats(times, "*")))

    __rmul__ = __mul__
    __array_ufunc__ = None  # np.int64(2) * net: NumPy defers to __rmul__, rather than make an array of the modules

    def __imul__(self, times):
        """The modules repeated times over in place (appended, named by their positions), as PyTorch's *=."""
        return self.extend(list(self) * (self._repeats(times, "*=") - 1))

    def _repeats(self, times, symbol):
        # bool is refused, as a flag where a count belongs (PyTorch's takes True as 1)
        if isinstance(times, (bool, np.bool_)) or not isinstance(times, (int, np.integer)):
            raise TypeError(f"Sequential {symbol}: the number of repeats must be an int, got {times!r}")
        if times <= 0:
            raise ValueError(f"Sequential {symbol}: the number of repeats must be at least 1, got {times}")
        return int(times)


class ModuleList(_ModuleSequence):
    """A list of modules registered as "0", "1", ..., as torch.nn.ModuleList: index it, iterate, append,
    extend, insert, pop, del; it has no forward of its own. (A plain list of modules as an attribute
    registers the same way.)

    >>> import numpy as np, nn
    >>> blocks = nn.ModuleList([nn.Linear(2, 2, rng=0) for _ in range(3)])
    >>> len(blocks), list(blocks[1:].state_dict())[:2]
    (3, ['0.weight', '0.bias'])
    """

    def __init__(self, modules=None):
        super().__init__()
        if modules is not None and not isinstance(modules, Iterable):
            raise TypeError(f"ModuleList: expected an iterable of modules, got {type(modules).__name__}")
        for i, module in enumerate(modules or ()):
            _add(self, str(i), module, f"entry {i}")

    def forward(self, *args, **kwargs):
        raise NotImplementedError("ModuleList has no forward: call its modules, e.g. for block in self.blocks: "
                                  "x = block(x)")

    def _sliced(self, named):  # renumbered from 0, as PyTorch's ModuleList (a Sequential keeps names)
        return ModuleList(module for _, module in named)

    def _repr_from(self, texts):
        """PyTorch's ModuleList repr: a run of entries whose reprs are equal is one line, "(0-11): 12 x Block(...)"
        (twelve equal layers of a Transformer, say)."""
        runs = []  # [first position, last position, repr]
        for i, (_, module) in enumerate(self._entries()):
            if runs and runs[-1][2] == texts[id(module)]:
                runs[-1][1] = i
            else:
                runs.append([i, i, texts[id(module)]])
        if not runs:
            return f"{type(self).__name__}()"
        lines = [(f"({first}): " if first == last else f"({first}-{last}): {last - first + 1} x ")
                 + text.replace("\n", "\n  ") for first, last, text in runs]
        return f"{type(self).__name__}(\n  " + "\n  ".join(lines) + "\n)"

    def __add__(self, other):
        """A new ModuleList of this one's modules, then other's (any iterable of modules, as PyTorch)."""
        if not isinstance(other, Iterable):
            return NotImplemented
        return ModuleList([*self, *other])

    def __iadd__(self, other):
        if not isinstance(other, Iterable):
            return NotImplemented
        return self.extend(other)


class ModuleDict(_Container):
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

    def _entries(self):  # keys may not name any other attribute
        return {name: vars(self)[name] for name in self._names()}

    def __getitem__(self, key):
        if key not in self:
            raise KeyError(f"ModuleDict has no key {key!r}; its keys are {list(self._entries())}")
        return vars(self)[key]

    def __setitem__(self, key, module):
        _add(self, key, module, f"the value for key {key!r}")

    def __delitem__(self, key):
        self[key]  # only an entry: del d['training'] is a KeyError, as in torch
        delattr(self, key)

    def __iter__(self):
        return iter(list(self._names()))  # (a copy: the loop may change the entries)

    def __contains__(self, key):  # without listing the entries: a lookup in a loop stays O(1); an unhashable
        return key in vars(self) and isinstance(vars(self)[key], Module)  # key is a TypeError, as a dict's

    def keys(self):
        """The names, in insertion order (as a dict's).

        >>> import nn
        >>> list(nn.ModuleDict({"encoder": nn.Linear(2, 2), "act": nn.ReLU()}).keys())
        ['encoder', 'act']
        """
        return self._entries().keys()

    def values(self):
        """The modules, in insertion order."""
        return self._entries().values()

    def items(self):
        """(name, module) pairs, in insertion order.

        >>> import nn
        >>> [(name, type(m).__name__) for name, m in nn.ModuleDict({"act": nn.ReLU()}).items()]
        [('act', 'ReLU')]
        """
        return self._entries().items()

    def pop(self, key):
        """Remove key and return its module."""
        module = self[key]
        del self[key]
        return module

    def clear(self):
        """Remove every entry."""
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
