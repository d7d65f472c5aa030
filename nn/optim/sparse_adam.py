"""SparseAdam, as torch.optim.SparseAdam: the lazy Adam of embedding tables, which updates only the rows a
batch looked up (their moments and their weights) and leaves every other row, and its moments, as it was.

PyTorch's SparseAdam takes the sparse gradient `Embedding(sparse=True)` makes; here that gradient is the dense
Tensor it stands for (see nn.Embedding), and the rows it holds are those a sparse lookup's backward reached, as
PyTorch's lists them (a row looked up whose gradient is exactly zero, a masked token's or a clamped score's,
included: its moments decay and it moves, as PyTorch's; nn/_sparse_rows.py), and those with a nonzero entry. For
a 1-D parameter the rows are its entries.
"""
import math

import numpy as np

from .._arguments import checked_number
from .optimizer import Optimizer, _written, check_betas
from .optimizers import _grad, _pair
from .optimizers_more import _stepped, _zeros
from .._sparse_rows import looked_up_rows


class SparseAdam(Optimizer):
    """Adam on the rows of each parameter that its gradient reaches (torch.optim.SparseAdam's update rule):

    for those rows, m <- m + (g - m)(1 - b1);  v <- v + (g g - v)(1 - b2);
    p <- p - (lr sqrt(1 - b2^t) / (1 - b1^t)) m / (sqrt(v) + eps), t counting this parameter's steps.

    >>> import autograd_core as ag, nn
    >>> table = nn.Embedding(4, 2, sparse=True, rng=0, dtype=float)
    >>> opt = nn.optim.SparseAdam(table.parameters(), lr=0.1)
    >>> before = table.weight.data.copy()
    >>> table(ag.tensor([1, 3])).sum().backward(); opt.step()
    >>> (table.weight.data - before).round(4)  # rows 1 and 3 move by lr; rows 0 and 2 stay
    array([[ 0. ,  0. ],
           [-0.1, -0.1],
           [ 0. ,  0. ],
           [-0.1, -0.1]])
    """

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, maximize=False):
        super().__init__(params, dict(lr=lr, betas=_pair(betas), eps=eps, maximize=maximize))

    def _validate(self, group):
        super()._validate(group)
        for name in ("lr", "eps"):  # (PyTorch's: both strictly positive)
            checked_number(group[name], "SparseAdam", name, low=0, low_open=True, high=math.inf, plain=True,
                           message="{owner}: invalid {name}={value!r}; it must be {what}")
        check_betas("SparseAdam", group["betas"])

    def _update(self, group):
        lr, beta1, beta2, eps = map(float, (group["lr"], *group["betas"], group["eps"]))
        for p, state in _stepped(self, group, lambda p: _zeros(p, "exp_avg", "exp_avg_sq")):
            g = _as_rows(_grad(p, group["maximize"]))
            rows = np.flatnonzero(np.any(g != 0, axis=tuple(range(1, g.ndim))))
            looked_up = looked_up_rows(p)
            if looked_up is not None:  # (rows a lookup reached, their gradient zero: PyTorch's too)
                rows = np.union1d(rows, looked_up)
            if not len(rows):  # (PyTorch's: an empty gradient changes nothing; its step is counted)
                continue
            g = g[rows]
            m, v, step = _as_rows(_written(state["exp_avg"])), _as_rows(_written(state["exp_avg_sq"])), state["step"]
            old_m, old_v = m[rows], v[rows]
            m_update = (g - old_m) * (1 - beta1)  # the order of PyTorch's operations, for its roundings
            v_update = (g * g - old_v) * (1 - beta2)
            m[rows] = old_m + m_update
            v[rows] = old_v + v_update
            numer = m_update + old_m
            denom = np.sqrt(v_update + old_v) + eps
            step_size = lr * math.sqrt(1 - beta2 ** step) / (1 - beta1 ** step)
            _as_rows(_written(p))[rows] += -step_size * (numer / denom)  # (counted, as the other optimizers' steps)


def _as_rows(array):
    """array, a 0-d one as a view of one entry: the rows are a parameter's first axis, a 0-d one's value."""
    return array.reshape(1) if array.ndim == 0 else array
