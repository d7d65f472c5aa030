"""Muon (Keller Jordan), as torch.optim.Muon (torch 2.13): momentum, then its orthogonalisation by a Newton-Schulz
iteration, for 2-D parameters only.

As in PyTorch, the Newton-Schulz iteration runs in bfloat16: each of its operations is computed in float32 from
bfloat16 operands and rounded once to bfloat16 (round to nearest even), which is what PyTorch's CPU kernels do,
so that the orthogonalised update is PyTorch's, and the trajectories equal its up to the rounding of the momentum's
multiply-adds. (NumPy has no bfloat16: the values are kept as float32 arrays holding bfloat16 numbers.)
"""
import math

import numpy as np

from .._arguments import as_flag, checked_number
from .optimizer import Optimizer, _state_tensor, _written, check_non_negative
from .optimizers import _lerp_

EPS = 1e-7
DEFAULT_A, DEFAULT_B, DEFAULT_C = 3.4445, -4.7750, 2.0315
DEFAULT_NS_STEPS = 5
_ADJUST_LR_FNS = (None, "original", "match_rms_adamw")


def _bfloat16(x):
    """x rounded to bfloat16 (via float32, as PyTorch's cast), kept in a float32 array: the top 16 bits of the
    float32, rounded to nearest even; NaN stays NaN."""
    x = np.asarray(x, dtype=np.float32)
    bits = x.view(np.uint32)
    rounded = ((bits + np.uint32(0x7FFF) + ((bits >> np.uint32(16)) & np.uint32(1))) & np.uint32(0xFFFF0000))
    return np.where(np.isnan(x), x, rounded.view(np.float32))


def zeropower_via_newtonschulz(grad, ns_coefficients, ns_steps, eps):
    """The Newton-Schulz iteration X <- a X + (b A + c A A) X, A = X X^T, from X = G / max(|G|_F, eps), computed in
    bfloat16 as PyTorch's: roughly the orthogonal factor U V^T of G = U S V^T (its singular values end near 1).
    Returns a float32 array of bfloat16 numbers.

    >>> import numpy as np
    >>> from nn.optim.muon import zeropower_via_newtonschulz
    >>> o = zeropower_via_newtonschulz(np.array([[3.0, 0.0], [0.0, 0.5]]), (3.4445, -4.7750, 2.0315), 5, 1e-7)
    >>> bool(np.all(np.abs(np.diag(o) - 1) < 0.35)), o[0, 1]
    (True, np.float32(0.0))
    """
    a, b, c = (np.float32(v) for v in ns_coefficients)
    x = _bfloat16(grad)
    tall = grad.shape[0] > grad.shape[1]
    if tall:
        x = x.T
    norm = _bfloat16(np.sqrt(np.sum(x * x, dtype=np.float32)))
    x = _bfloat16(x / np.maximum(norm, _bfloat16(eps)))
    for _ in range(ns_steps):
        gram = _bfloat16(x @ x.T)
        gram_update = _bfloat16(b * gram + c * (gram @ gram))
        x = _bfloat16(a * x + gram_update @ x)
    return x.T if tall else x


def _adjust_lr(lr, adjust_lr_fn, shape):
    """lr scaled for the shape (A, B): by sqrt(max(1, A / B)) ("original", None) or 0.2 sqrt(max(A, B))."""
    rows, cols = shape[:2]
    if adjust_lr_fn is None or adjust_lr_fn == "original":
        if cols == 0:  # (torch divides by it, and raises ZeroDivisionError)
            raise ValueError(f"Muon.step: a parameter of shape {shape} has no columns, so its learning rate, scaled "
                             f"by sqrt(rows / columns), is undefined; leave it out of the parameters")
        ratio = math.sqrt(max(1, rows / cols))
    else:
        ratio = 0.2 * math.sqrt(max(rows, cols))
    return lr * ratio


class Muon(Optimizer):
    """Muon, for the 2-D weights of hidden layers (as PyTorch, it refuses parameters of other dimensions: optimize
    biases and embeddings with another optimizer, AdamW say).

    B <- lerp(B, g, 1 - momentum);  U = lerp(g, B, momentum) (nesterov) or B;  O = NS(U) (ns_steps iterations);
    p <- p (1 - lr wd);  p <- p - lr' O, with lr' = lr sqrt(max(1, A / B)) ("original") or 0.2 lr sqrt(max(A, B))
    ("match_rms_adamw") for a parameter of shape (A, B).

    >>> import autograd_core as ag
    >>> from nn.optim import Muon
    >>> w = ag.tensor([[2.0, 0.0], [0.0, 1.0]], requires_grad=True)
    >>> opt = Muon([w], lr=0.1, weight_decay=0)
    >>> (w * w).sum().backward(); opt.step()
    >>> w.data.round(2)
    array([[1.93, 0.  ],
           [0.  , 0.89]])
    """

    _state_keys = ("momentum_buffer",)

    def __init__(self, params, lr=1e-3, weight_decay=0.1, momentum=0.95, nesterov=True,
                 ns_coefficients=(DEFAULT_A, DEFAULT_B, DEFAULT_C), eps=EPS, ns_steps=DEFAULT_NS_STEPS,
                 adjust_lr_fn=None):
        if isinstance(ns_coefficients, (list, np.ndarray)):
            ns_coefficients = tuple(ns_coefficients)
        super().__init__(params, dict(lr=lr, weight_decay=weight_decay, momentum=momentum, nesterov=nesterov,
                                      ns_coefficients=ns_coefficients, eps=eps, ns_steps=ns_steps,
                                      adjust_lr_fn=adjust_lr_fn))

    def add_param_group(self, group):
        """As Optimizer.add_param_group; each parameter must be 2-D."""
        params = group.get("params", ()) if isinstance(group, dict) else ()
        if not isinstance(params, (list, tuple, set, frozenset)) and not hasattr(params, "ndim") and hasattr(
                params, "__iter__"):  # a generator (e.g. model.parameters()) is read once: checked and passed on
            params = list(params)
            group = {**group, "params": params}
        for p in ([params] if hasattr(params, "ndim") else params if isinstance(params, (list, tuple)) else ()):
            if isinstance(p, tuple) and len(p) == 2:  # a (name, Tensor) pair of model.named_parameters()
                p = p[1]
            if getattr(p, "ndim", 2) != 2:
                raise ValueError(f"Muon only supports 2D parameters whereas we found a parameter with size: "
                                 f"{tuple(p.shape)}; optimize the others (biases, embeddings) with another "
                                 f"optimizer, e.g. AdamW")
        super().add_param_group(group)

    def _validate(self, group):
        super()._validate(group)
        check_non_negative("Muon", "momentum", group["momentum"])
        as_flag(group["nesterov"], "Muon", "nesterov")
        checked_number(group["eps"], "Muon", "eps", low=-math.inf, high=math.inf, plain=True)
        checked_number(group["ns_steps"], "Muon", "ns_steps", low=0, high=99, integer=True,
                       what="an int from 0 to 99 (more iterations are refused, as in PyTorch)")
        coefficients = group["ns_coefficients"]
        if not (isinstance(coefficients, tuple) and len(coefficients) == 3 and all(
                isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool)
                for v in coefficients)):
            raise (ValueError if isinstance(coefficients, tuple) else TypeError)(
                f"Muon: invalid ns_coefficients={coefficients!r}; it must be a tuple of exactly 3 numbers (a, b, c)")
        adjust = group["adjust_lr_fn"]
        if not any(adjust == valid and type(adjust) is type(valid) for valid in _ADJUST_LR_FNS):
            raise ValueError(f"Muon: adjust_lr_fn={adjust!r} is not supported; it must be 'original', "
                             f"'match_rms_adamw' or None (the same as 'original')")

    def _update(self, group):
        lr, wd, momentum = float(group["lr"]), float(group["weight_decay"]), float(group["momentum"])
        for p in group["params"]:
            if p.grad is None:
                continue
            g = p.grad.data
            state = self.state.setdefault(p, {})
            if "momentum_buffer" not in state:
                state["momentum_buffer"] = _state_tensor(np.zeros_like(p.data))
            buf = _written(state["momentum_buffer"])
            tmp = np.empty_like(buf)
            _lerp_(buf, g, 1 - momentum, tmp)
            if group["nesterov"]:
                update = np.array(g, dtype=buf.dtype)
                _lerp_(update, buf, momentum, tmp)
            else:
                update = buf
            update = zeropower_via_newtonschulz(update, group["ns_coefficients"], group["ns_steps"], group["eps"])
            adjusted_lr = _adjust_lr(lr, group["adjust_lr_fn"], p.shape)
            p.data *= 1 - lr * wd
            p.data += -adjusted_lr * update.astype(p.dtype)
