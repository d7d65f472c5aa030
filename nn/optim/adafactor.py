"""Adafactor (Shazeer & Stern), as torch.optim.Adafactor (torch 2.13): second moments factored into row and column
means for parameters of two or more dimensions, a relative step size, and update clipping.

torch's single-tensor implementation, with the same operations in the same order (the row and column means are
squared norms, as in torch: `norm(g, dim=-1) ** 2 / n`), so the trajectories equal PyTorch's up to the rounding of
its reductions and fused multiply-adds.
"""
import numpy as np

from .._arguments import checked_number
from .optimizer import Optimizer, _written, check_pair
from .optimizers import _lerp_
from .optimizers_more import _stepped


def _number(owner, name, value, **valid_range):
    checked_number(value, owner, name, plain=True, message="{owner}: invalid {name}={value!r}; it must be {what}",
                   **valid_range)


class Adafactor(Optimizer):
    """Adafactor, with torch's choices: lr caps the relative step size, rho_t = min(lr, 1 / sqrt(t)), and scales the
    decoupled weight decay; eps = (eps1, eps2), eps1 (None: the dtype's machine epsilon) floors the variance
    estimate, eps2 the parameter's RMS.

    beta2_t = 1 - t^beta2_decay;  alpha_t = max(eps2, RMS(p)) rho_t;  p <- p (1 - lr wd);
    for p of 2 or more dimensions: R <- lerp(R, mean(g^2, -1), 1 - beta2_t), C <- lerp(C, mean(g^2, -2), ...),
    V = R C / max(mean(R, -2), eps1);  for others: V <- lerp(V, g^2, 1 - beta2_t);
    U = g / sqrt(max(V, eps1^2));  p <- p - alpha_t U / max(1, RMS(U) / d).

    >>> import autograd_core as ag
    >>> from nn.optim import Adafactor
    >>> w = ag.tensor([[1.0, -2.0], [3.0, 0.5]], requires_grad=True)
    >>> opt = Adafactor([w], lr=0.1)
    >>> (w * w).sum().backward(); opt.step()
    >>> sorted(opt.state[w]), opt.state[w]["row_var"].shape, opt.state[w]["col_var"].shape
    (['col_var', 'row_var', 'step'], (2, 1), (1, 2))
    """

    def __init__(self, params, lr=1e-2, beta2_decay=-0.8, eps=(None, 1e-3), d=1.0, weight_decay=0.0, *,
                 foreach=None, maximize=False):
        eps = tuple(eps) if isinstance(eps, (tuple, list, np.ndarray)) else eps
        super().__init__(params, dict(lr=lr, beta2_decay=beta2_decay, eps=eps, d=d, weight_decay=weight_decay,
                                      maximize=maximize), foreach=foreach)

    def _validate(self, group):
        super()._validate(group)
        _number("Adafactor", "beta2_decay", group["beta2_decay"], high=0)
        _number("Adafactor", "d", group["d"], low=1, high=np.inf)
        eps = group["eps"]
        check_pair("Adafactor", "eps", (0.0 if eps[0] is None else eps[0], eps[1])
                   if isinstance(eps, tuple) and len(eps) == 2 else eps,
                   lambda eps1, eps2: eps1 >= 0 and eps2 >= 0, "a pair (eps1, eps2) of numbers >= 0 (eps1 may be "
                   "None: the dtype's machine epsilon)")

    def _update(self, group):
        lr, beta2_decay, d, wd = (float(group[k]) for k in ("lr", "beta2_decay", "d", "weight_decay"))
        eps1, eps2 = group["eps"]
        eps2 = float(eps2)
        for p, state in _stepped(self, group, self._initial):
            if p.numel() == 0:  # (torch divides by its element count, 0, and raises ZeroDivisionError)
                raise ValueError(f"Adafactor.step: a parameter of shape {p.shape} has no elements, and its RMS is "
                                 f"undefined; leave it out of the parameters")
            g = -p.grad.data if group["maximize"] else p.grad.data
            if eps1 is None:  # (set once per group, from its first parameter with a gradient, as in torch)
                eps1 = float(np.finfo(p.dtype).eps)
            eps1 = float(eps1)
            step = float(state["step"])
            one_minus_beta2_t = step ** beta2_decay
            rho_t = min(lr, 1 / (step ** 0.5))
            alpha = max(eps2, float(np.linalg.norm(p.data.reshape(-1))) / (p.numel() ** 0.5)) * rho_t
            if wd != 0:
                p.data *= 1 - lr * wd
            if g.ndim > 1:
                row_var, col_var = _written(state["row_var"]), _written(state["col_var"])
                row_mean = np.sqrt(np.sum(g * g, axis=-1, keepdims=True)) ** 2 / g.shape[-1]
                _lerp_(row_var, row_mean, one_minus_beta2_t, np.empty_like(row_var))
                col_mean = np.sqrt(np.sum(g * g, axis=-2, keepdims=True)) ** 2 / g.shape[-2]
                _lerp_(col_var, col_mean, one_minus_beta2_t, np.empty_like(col_var))
                var_estimate = row_var * col_var  # (torch's row_var @ col_var: an outer product)
                with np.errstate(divide="ignore", invalid="ignore"):  # (eps1 = 0: 0 / 0 is NaN, as in torch)
                    var_estimate /= np.maximum(row_var.mean(axis=-2, keepdims=True), eps1)
            else:
                variance = _written(state["variance"])
                _lerp_(variance, g * g, one_minus_beta2_t, np.empty_like(variance))
                var_estimate = variance.copy()
            with np.errstate(divide="ignore", invalid="ignore"):  # (eps1 = 0 and V = 0: inf, then NaN, as torch)
                update = 1 / np.sqrt(np.maximum(var_estimate, eps1 * eps1))
                update *= g
            denom = max(1.0, float(np.linalg.norm(update.reshape(-1))) / ((update.size ** 0.5) * d))
            p.data += (-alpha / denom) * update

    @staticmethod
    def _initial(p):
        """Zero factors: row_var (..., m, 1) and col_var (..., 1, n) for 2 or more dimensions, else variance."""
        if p.ndim > 1:
            return {"row_var": np.zeros(p.shape[:-1] + (1,), p.dtype),
                    "col_var": np.zeros(p.shape[:-2] + (1,) + p.shape[-1:], p.dtype)}
        return {"variance": np.zeros_like(p.data)}

    def _state_shape(self, p, key):
        """The factored moments' shapes (row_var (..., m, 1), col_var (..., 1, n)); p's own for the others."""
        if p.ndim > 1 and key in ("row_var", "col_var"):
            return p.shape[:-1] + (1,) if key == "row_var" else p.shape[:-2] + (1,) + p.shape[-1:]
        return p.shape
