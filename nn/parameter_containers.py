"""ParameterList and ParameterDict: modules that hold Parameters under names ("0", "1", ... or keys) as their own
attributes, so Module's traversal registers them (named_parameters, state_dict, to, zero_grad), as torch.nn's.

A Tensor given to either becomes a Parameter (requiring grad), as in PyTorch; any other value is kept as it is
(a plain attribute, not a parameter).

>>> import numpy as np, nn
>>> net = nn.Module()
>>> net.scales = nn.ParameterList([np.ones(2), np.zeros(3)])
>>> net.biases = nn.ParameterDict({"left": nn.Parameter(np.zeros(1))})
>>> list(net.state_dict())
['scales.0', 'scales.1', 'biases.left']
"""
import operator
from collections import OrderedDict
from collections.abc import Iterable, Mapping

from autograd_core import Tensor

from .module import Module, Parameter

__all__ = ["ParameterList", "ParameterDict"]


def _as_entry(value):
    """A Tensor as a Parameter (its value, requiring grad), as PyTorch's containers wrap one; a Parameter or any
    other value as it is. (A NumPy array is taken as a Tensor: it is this library's tensor input.)"""
    if isinstance(value, Parameter):
        return value
    if isinstance(value, Tensor):
        return Parameter(value.data)
    if hasattr(value, "__array__") and hasattr(value, "dtype") and getattr(value.dtype, "kind", "") in "biuf":
        return Parameter(value)
    return value


def _describe(value):
    """PyTorch's line for an entry: "Parameter containing: [float32 of size 2x3]" (NumPy's dtype names)."""
    if isinstance(value, Tensor):
        kind = "Parameter" if isinstance(value, Parameter) else "Tensor"
        return f"{kind} containing: [{value.dtype} of size {'x'.join(map(str, value.shape))}]"
    return f"Object of type: {type(value).__name__}"


class _ParameterContainer(Module):
    """What ParameterList and ParameterDict share: no forward, PyTorch's repr of their entries."""

    def forward(self, *args, **kwargs):
        raise RuntimeError(f"{type(self).__name__} should not be called: index it and use its Parameters")

    def _named_entries(self):
        raise NotImplementedError

    def _repr_from(self, texts):
        lines = [f"  ({name}): {_describe(value)}" for name, value in self._named_entries()]
        name = self._get_name()  # (a subclass may rename itself, as Module's repr reads)
        if len(lines) <= 1:  # one entry on the same line, as PyTorch's: "ParameterList(  (0): Parameter ...)"
            return f"{name}({''.join(lines)})"
        return f"{name}(\n" + "\n".join("  " + line for line in lines) + "\n)"


class ParameterList(_ParameterContainer):
    """A list of Parameters registered as "0", "1", ..., as torch.nn.ParameterList: index it (a slice gives a new
    ParameterList of the same Parameters), set an index, iterate, len, append, extend, +=.

    >>> import numpy as np, nn
    >>> params = nn.ParameterList([nn.Parameter(np.ones((2, 3), dtype=np.float32))])
    >>> params.append(np.zeros(3))
    ParameterList(
        (0): Parameter containing: [float32 of size 2x3]
        (1): Parameter containing: [float64 of size 3]
    )
    >>> len(params), [name for name, _ in params.named_parameters()]
    (2, ['0', '1'])
    """

    def __init__(self, values=None):
        super().__init__()
        self._size = 0
        if values is not None:
            self.extend(values)

    def _named_entries(self):
        return [(str(i), getattr(self, str(i))) for i in range(self._size)]

    def _position(self, index):
        try:
            i = operator.index(index)
        except TypeError:
            raise TypeError(f"ParameterList: indices must be integers or slices, not {type(index).__name__}") from None
        if not -self._size <= i < self._size:
            raise IndexError(f"ParameterList: index {i} is out of range for {self._size} entries")
        return i % self._size

    def __getitem__(self, index):
        if isinstance(index, slice):
            return ParameterList([getattr(self, str(i)) for i in range(self._size)[index]])
        return getattr(self, str(self._position(index)))

    def __setitem__(self, index, value):
        if isinstance(index, slice):  # (PyTorch's refuses it too)
            raise TypeError(f"ParameterList: cannot assign to a slice ({index!r}); set one index at a time "
                            f"(params[i] = value)")
        setattr(self, str(self._position(index)), _as_entry(value))

    def __len__(self):
        return self._size

    def __iter__(self):
        return (getattr(self, str(i)) for i in range(self._size))

    def __iadd__(self, values):
        return self.extend(values)

    def append(self, value):
        """Add value (a Tensor becomes a Parameter) at the end; returns self."""
        setattr(self, str(self._size), _as_entry(value))
        self._size += 1
        return self

    def extend(self, values):
        """Append each of values (an iterable, not a Tensor); returns self."""
        if not isinstance(values, Iterable) or isinstance(values, (Tensor, str)):
            raise TypeError(f"ParameterList.extend should be called with an iterable, but got "
                            f"{type(values).__name__}")
        for value in list(values):  # (a copy: extending a list by itself)
            self.append(value)
        return self


class _MissingKey(KeyError, AttributeError):
    """A key a ParameterDict lacks: a KeyError as a dict's, and an AttributeError as PyTorch's raises."""

    __str__ = BaseException.__str__


class ParameterDict(_ParameterContainer):
    """A dict of Parameters registered under its keys ("heads.left"), as torch.nn.ParameterDict: d[key],
    d[key] = value (a Tensor becomes a Parameter), del d[key], in, len, iteration over keys, keys(), values(),
    items(), get, pop, popitem, setdefault, clear, copy, fromkeys, update and | (|=). Keys are non-empty strings
    without '.' that are no other attribute of a ParameterDict. As PyTorch's, a plain dict's entries are added in the
    sorted order of its keys (an OrderedDict's, a ParameterDict's or a sequence of pairs' in their order).

    >>> import numpy as np, nn
    >>> d = nn.ParameterDict({"b": np.ones(2), "a": nn.Parameter(np.zeros((1, 2)))})
    >>> d
    ParameterDict(
        (a): Parameter containing: [float64 of size 1x2]
        (b): Parameter containing: [float64 of size 2]
    )
    >>> list(d), d["b"].requires_grad
    (['a', 'b'], True)
    """

    def __init__(self, parameters=None):
        super().__init__()
        self._keys = {}
        if parameters is not None:
            self.update(parameters)

    def _named_entries(self):
        return [(key, getattr(self, key)) for key in self._keys]

    def __getitem__(self, key):
        if key not in self._keys:
            raise _MissingKey(f"ParameterDict has no key {key!r}; its keys are {list(self._keys)}")
        return getattr(self, key)

    def __setitem__(self, key, value):
        if not isinstance(key, str):
            raise TypeError(f"ParameterDict: keys must be strings, got {key!r} of type {type(key).__name__}")
        if not key or "." in key:
            raise KeyError(f"ParameterDict: key {key!r} is invalid: keys are non-empty strings without '.'")
        if key not in self._keys and hasattr(self, key):
            raise KeyError(f"ParameterDict: key {key!r} is already an attribute of a ParameterDict; choose another "
                           f"key")
        # Module's setattr rules, as PyTorch's: a Parameter replaced by None keeps its place among the parameters,
        # and by another value (no Tensor) is refused with a TypeError
        setattr(self, key, _as_entry(value))
        self._keys[key] = None

    def __delitem__(self, key):
        self[key]  # (a KeyError for no key)
        delattr(self, key)
        del self._keys[key]

    def __len__(self):
        return len(self._keys)

    def __iter__(self):
        return iter(list(self._keys))

    def __reversed__(self):
        return reversed(list(self._keys))

    def __contains__(self, key):
        return key in self._keys

    def keys(self):
        """The keys, in order."""
        return list(self._keys)

    def values(self):
        """The entries, in order of their keys."""
        return [getattr(self, key) for key in self._keys]

    def items(self):
        """(key, entry) pairs, in order."""
        return self._named_entries()

    def get(self, key, default=None):
        """d[key] if key is in d, else default."""
        return self[key] if key in self._keys else default

    def pop(self, key):
        """Remove key and return its entry."""
        value = self[key]
        del self[key]
        return value

    def popitem(self):
        """Remove and return the last (key, entry) pair."""
        if not self._keys:
            raise KeyError("ParameterDict.popitem: the ParameterDict is empty")
        key = next(reversed(self._keys))
        return key, self.pop(key)

    def setdefault(self, key, default=None):
        """d[key], set to default first when key is not in d."""
        if key not in self._keys:
            self[key] = default
        return self[key]

    def clear(self):
        """Remove every entry."""
        for key in list(self._keys):
            del self[key]

    def copy(self):
        """A new ParameterDict holding the same Parameters (a shallow copy), in the same order."""
        return ParameterDict(OrderedDict(self.items()))

    def fromkeys(self, keys, default=None):
        """A new ParameterDict with each of keys set to default."""
        return ParameterDict([(key, default) for key in keys])

    def __or__(self, other):
        """A new ParameterDict: d's entries updated with other's (a mapping or pairs, as update's), as PyTorch's."""
        result = self.copy()
        result.update(other)
        return result

    def __ror__(self, other):
        result = ParameterDict(other)
        result.update(self)
        return result

    def __ior__(self, other):
        """d updated in place with other (a mapping or pairs, as update's), as PyTorch's."""
        self.update(other)
        return self

    def update(self, parameters):
        """Set d[key] = value for each pair of a mapping or an iterable of (key, value) pairs: a plain dict's in the
        sorted order of its keys, an OrderedDict's, a ParameterDict's or the pairs' in their order (PyTorch's)."""
        if not isinstance(parameters, Iterable):
            raise TypeError(f"ParameterDict.update: expected a mapping or an iterable of (key, value) pairs, got "
                            f"{type(parameters).__name__}")
        if isinstance(parameters, (OrderedDict, ParameterDict)):
            pairs = list(parameters.items())
        elif isinstance(parameters, Mapping):
            try:
                pairs = sorted(parameters.items(), key=lambda pair: pair[0])
            except TypeError:  # keys that do not sort (an int among strings): refused by the key check below
                pairs = list(parameters.items())
        else:
            pairs = []
            for i, pair in enumerate(parameters):
                if isinstance(pair, Tensor) and pair.ndim and len(pair) != 2:  # (update(Parameter): its rows)
                    raise ValueError(f"ParameterDict.update: element {i} is a row of length {len(pair)}, not a (key, "
                                     f"value) pair; 2 is required (to add a Parameter, write d[key] = parameter)")
                if not isinstance(pair, Iterable) or isinstance(pair, (str, Tensor)):
                    raise TypeError(f"ParameterDict.update: element {i} is a {type(pair).__name__}, not a "
                                    f"(key, value) pair")
                pair = tuple(pair)
                if len(pair) != 2:
                    raise ValueError(f"ParameterDict.update: element {i} has length {len(pair)}; 2 is required (a "
                                     f"key and a value)")
                pairs.append(pair)
        for key, value in pairs:
            self[key] = value
