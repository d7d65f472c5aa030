"""PyTorch's torch.nn.modules.utils (nn.modules.utils here): the argument expanders custom layers import
(`from torch.nn.modules.utils import _pair`: kernel_size=3 -> (3, 3)) and consume_prefix_in_state_dict_if_present,
which strips DataParallel's "module." from a checkpoint's keys before load_state_dict.

>>> from nn.modules.utils import _pair, consume_prefix_in_state_dict_if_present
>>> state = {"module.fc.weight": 1, "module.fc.bias": 2}
>>> consume_prefix_in_state_dict_if_present(state, "module.")
>>> _pair(3), _pair((1, 2)), list(state)
((3, 3), (1, 2), ['fc.weight', 'fc.bias'])
"""
import collections.abc
import itertools

__all__ = ["consume_prefix_in_state_dict_if_present"]


def _ntuple(n, name="parse"):
    """A function giving an iterable as a tuple, and anything else repeated n times."""
    def parse(x):
        if isinstance(x, collections.abc.Iterable):
            return tuple(x)
        return tuple(itertools.repeat(x, n))

    parse.__name__ = name
    return parse


_single = _ntuple(1, "_single")
_pair = _ntuple(2, "_pair")
_triple = _ntuple(3, "_triple")
_quadruple = _ntuple(4, "_quadruple")


def _reverse_repeat_tuple(t, n):
    """t reversed, each entry n times: a convolution's padding (one per axis, first axis first) as F.pad's pairs."""
    return tuple(x for x in reversed(t) for _ in range(n))


def _list_with_default(out_size, defaults):
    """out_size with each None taken from the matching trailing entry of defaults (adaptive pooling's sizes)."""
    if isinstance(out_size, int):
        return out_size
    if len(defaults) <= len(out_size):
        raise ValueError(f"_list_with_default: input dimension should be at least {len(out_size) + 1}")
    return [v if v is not None else d for v, d in zip(out_size, defaults[-len(out_size):])]


def consume_prefix_in_state_dict_if_present(state_dict, prefix):
    """Strip prefix from the keys of state_dict that start with it, in place (and from its _metadata keys, if it
    has PyTorch's), so a DataParallel model's checkpoint loads into the bare model."""
    for key in list(state_dict.keys()):
        if key.startswith(prefix):
            state_dict[key[len(prefix):]] = state_dict.pop(key)
    metadata = getattr(state_dict, "_metadata", None)
    if metadata is not None:
        for key in list(metadata.keys()):
            if key and (key == prefix.replace(".", "") or key.startswith(prefix)):
                metadata[key[len(prefix):]] = metadata.pop(key)
