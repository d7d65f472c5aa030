"""The rows a sparse lookup's gradient lists: F.embedding(..., sparse=True) notes, for its weight, the rows its
backward reached, as PyTorch's sparse gradient lists them (every row looked up but the padding row, its gradient
exactly zero or not). The gradient here is dense, so its nonzero rows alone would miss a row looked up whose
gradient is zero (a masked token, a clamped score); SparseAdam reads these rows to update what PyTorch's does.

The rows belong to the weight's current .grad: a backward that starts a fresh .grad (None, or zeroed) replaces
them, one that adds into it adds to them, as PyTorch's sparse gradients coalesce.
"""
import weakref

import numpy as np

# By the weight's id (a Tensor's == is elementwise, so no WeakKeyDictionary), each entry dropped with its weight.
_ROWS = {}  # id(weight) -> the rows its current .grad lists
_PASS_ROWS = {}  # id(weight) -> the rows this backward pass reached, until the weight's gradient is complete


def _forget_with(weight):
    key = id(weight)
    weakref.finalize(weight, lambda: (_ROWS.pop(key, None), _PASS_ROWS.pop(key, None)))
    return key


def note_lookup(weight, picked, indices, padding):
    """Have backward note, for weight, the rows of indices (padding excluded) when it reaches picked, the rows
    weight[indices]: picked's hook collects the pass's rows, and a hook on weight, whose gradient is complete after
    every lookup's, hands them to its .grad once."""
    rows = np.unique(indices)
    if padding is not None:
        rows = rows[rows != padding]
    key = id(weight)
    picked.register_hook(lambda grad: _PASS_ROWS.setdefault(key, []).append(rows))
    if key not in _PASS_ROWS:
        if key not in _ROWS:
            _forget_with(weight)
        _PASS_ROWS[key] = []
        handle = None
        owner = weakref.ref(weight)

        def hand_to_grad(grad):
            handle.remove()
            reached = _PASS_ROWS.pop(key, [])
            current = owner().grad
            if current is not None and current.data.any() and key in _ROWS:  # added into: its rows stay listed
                reached.append(_ROWS[key])
            _ROWS[key] = np.unique(np.concatenate(reached)) if reached else rows[:0]

        handle = weight.register_hook(hand_to_grad)


def looked_up_rows(param):
    """The rows param's current .grad lists as a sparse lookup's (an int array), or None where no sparse lookup
    reached it."""
    return _ROWS.get(id(param))
