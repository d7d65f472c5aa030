"""Batches made of a dataset's items, as torch.utils.data's: collate (arrays), default_collate (a DataLoader's batches:
Tensors) and default_convert (its unbatched items), keeping tuples, lists, dicts and their subclasses as PyTorch's."""
import collections.abc
import copy

import numpy as np

from autograd_core import Tensor
from autograd_core._arguments import InvalidArgumentError

__all__ = ["CollateError", "collate", "default_collate", "default_convert"]


def collate(items):
    """A batch from a list of items, as torch's default collate: tuples and lists column by column, into a list (a
    namedtuple stays one), dicts key by key, anything else (arrays, numbers, Tensors) stacked into one array. Items
    that do not fit together (tuples of other lengths, arrays of other shapes, a key missing) or hold what no array
    holds (None) are refused, as torch's collate refuses them.

    >>> import numpy as np
    >>> from nn.data import collate
    >>> xb, yb = collate([(np.zeros(2), 0), (np.ones(2), 1)])
    >>> xb.shape, yb.tolist()
    ((2, 2), [0, 1])
    >>> collate([{"x": 1.0}, {"x": 2.0}])
    {'x': array([1., 2.])}
    >>> collate([(np.zeros(2), 0), (np.ones(2),)])
    Traceback (most recent call last):
    ...
    nn.collate.CollateError: collate: item 1 of the batch is a tuple of 1 entries, item 0 a tuple of 2 entries; every ...
    """
    first = items[0]
    if _is_mapping(first):
        for i, item in enumerate(items):
            mapping = _is_mapping(item)
            missing = [key for key in first if not (mapping and key in item)]
            if missing:
                raise (KeyError if mapping else TypeError)(
                    f"collate: item {i} of the batch is {_described(item)} without the key {missing[0]!r}, which "
                    f"item 0 has; every item needs the same keys")
        return _same_kind(first, {key: collate([item[key] for item in items]) for key in first})
    if _is_sequence(first):
        for i, item in enumerate(items):  # zip would cut every column to the shortest item
            if not _is_sequence(item) or len(item) != len(first):
                raise CollateError(f"collate: item {i} of the batch is {_described(item)}, item 0 "
                                   f"{_described(first)}; every item needs the same structure (each element in "
                                   f"list of batch should be of equal size)")
        return _same_kind(first, [collate(list(column)) for column in zip(*items)])
    if isinstance(first, np.ndarray) and first.dtype.kind in "USO":  # (torch's rule: strings come as str items)
        raise TypeError(f"collate: item 0 of the batch is an array of dtype {first.dtype}; default_collate stacks "
                        f"arrays of numbers or bools (strings come as str items, in a list)")
    arrays = [item.data if isinstance(item, Tensor) else np.asarray(item) for item in items]  # (stacked: a copy)
    for i, array in enumerate(arrays):
        kind = array.dtype.kind
        if kind not in "bifUS":  # (one test per item; unsigned arrays, a Python int past int64, or none of these)
            item = items[i]
            if isinstance(item, int) and not isinstance(item, bool):  # (uint64 or object: as torch's overflow)
                raise CollateError(f"collate: item {i} of the batch is the int {item}, which does not fit in int64 "
                                   f"(from {-2 ** 63} to {2 ** 63 - 1}); a batch's Python ints become an int64 "
                                   f"Tensor (pass larger numbers as floats)")
            if kind != "u":  # None, another object, complex: an object array would only fail later
                raise TypeError(f"collate: item {i} of the batch is {_described(item)}, which makes an array of "
                                f"dtype {array.dtype}; a batch holds arrays, numbers (real; ints within 64 bits), "
                                f"Tensors, strings, and tuples, lists or dicts of them")
        if array.shape != arrays[0].shape:
            raise CollateError(f"collate: item {i} of the batch has shape {array.shape}, item 0 shape "
                               f"{arrays[0].shape}; items are stacked into one array, so they need the same shape")
    return np.stack(arrays)


def default_collate(batch):
    """torch.utils.data's default_collate: collate's batch, with each array in it (inside tuples, lists and dicts
    too) a Tensor, as PyTorch's gives tensors, and strings a list: a DataLoader's batches.

    >>> import numpy as np
    >>> from nn.data import default_collate
    >>> xb, yb = default_collate([(np.zeros(2), 0), (np.ones(2), 1)])
    >>> xb, yb
    (Tensor([[0., 0.],
            [1., 1.]]), Tensor([0, 1]))
    >>> default_collate([{"x": 1.0, "name": "a"}, {"x": 2.0, "name": "b"}])
    {'x': Tensor([1., 2.]), 'name': ['a', 'b']}
    """
    return _map_leaves(_batch_leaf, collate(batch))


class CollateError(InvalidArgumentError):
    """Items that do not fit in one batch (sequences of other lengths, arrays of other shapes): a ValueError, and
    PyTorch's RuntimeError at once, so ported `except RuntimeError` catches it."""


def _is_mapping(value):
    """Whether collate and default_convert read value key by key: a dict or another Mapping."""
    return type(value) is dict or isinstance(value, collections.abc.Mapping)


def _is_sequence(value):
    """Whether collate and default_convert read value column by column: a tuple, list, range or other Sequence,
    not a string."""
    kind = type(value)  # (tuples and lists first: the ABC check costs a batch of many items a few microseconds each)
    return kind is tuple or kind is list or (isinstance(value, collections.abc.Sequence)
                                             and not isinstance(value, (str, bytes)))


def _same_kind(model, values):
    """values (a dict or a list) in model's container type, as PyTorch's collate keeps it: a namedtuple stays one, a
    tuple or a list gives a list, a dict or list subclass a copy of model filled with values, another Mapping or
    Sequence its type made from values where it takes them (a range cannot: a list)."""
    kind = type(model)
    if kind is dict or kind is list or kind is tuple:
        return values
    if hasattr(kind, "_fields"):
        return kind._make(values)
    if isinstance(model, tuple):
        return values
    if isinstance(model, (collections.abc.MutableMapping, collections.abc.MutableSequence)):
        clone = copy.copy(model)
        if isinstance(model, collections.abc.MutableMapping):
            clone.update(values)
        else:
            clone[:] = values
        return clone
    try:
        return kind(values)
    except TypeError:
        return values


def _map_leaves(function, value):
    """value with function applied to each leaf inside its Mappings and Sequences (not strings), their types kept."""
    if _is_mapping(value):
        return _same_kind(value, {key: _map_leaves(function, item) for key, item in value.items()})
    if _is_sequence(value):
        return _same_kind(value, [_map_leaves(function, item) for item in value])
    return function(value)


def default_convert(data):
    """torch.utils.data's default_convert, what DataLoader(batch_size=None) makes of each item: arrays (inside
    Mappings and Sequences too) copied into constant Tensors, NumPy numbers into 0-d ones, strings, Python numbers and
    arrays of strings as they are (an array copied); tuples give lists, a namedtuple stays one, a dict or list
    subclass keeps its type, a range gives a list, as PyTorch's.

    >>> import numpy as np
    >>> from nn.data import default_convert
    >>> default_convert((np.arange(2), {"name": "a", "n": 3}, range(2)))
    [Tensor([0, 1]), {'name': 'a', 'n': 3}, [0, 1]]
    """
    return _map_leaves(_copied_leaf, data)


def _batch_leaf(leaf):
    """A batch's leaf: an array of numbers as a constant Tensor holding it (a batch's arrays are its own copies),
    an array of strings as a list; anything else as it is."""
    if isinstance(leaf, np.ndarray):
        kind = leaf.dtype.kind
        if kind in "biuf":
            return Tensor._constant(leaf)
        if kind in "US":
            return leaf.tolist()
    return leaf


def _copied_leaf(leaf):
    """An unbatched item's leaf: an array, or a constant Tensor (a TensorDataset's item, a view into its arrays),
    copied and made a batch's leaf; anything else (a Tensor that requires grad too) as it is."""
    if isinstance(leaf, Tensor) and not leaf.requires_grad:
        leaf = leaf.data
    if isinstance(leaf, np.generic) and leaf.dtype.kind in "biuf":  # a NumPy number: a 0-d Tensor, as torch's
        leaf = np.asarray(leaf)
    if isinstance(leaf, np.ndarray) and leaf.dtype.kind in "USO":  # strings, objects: an array, as torch's
        return leaf.copy()
    return _batch_leaf(leaf.copy()) if isinstance(leaf, np.ndarray) else leaf


def _described(item):
    """An item in collate's errors: "a tuple of 2 entries", "a NoneType", "an int"."""
    kind = type(item).__name__
    article = "an" if kind[:1].lower() in "aeiou" else "a"
    return f"{article} {kind} of {len(item)} entries" if isinstance(item, (tuple, list)) else f"{article} {kind}"
