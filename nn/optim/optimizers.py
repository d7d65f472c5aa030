"""The update rules: SGD (momentum, Nesterov), Adam, AdamW, RMSprop, Adagrad.

Each rule is torch.optim's single-tensor ("for-loop") implementation, written with the
same formulas in the same order of operations, so that the results agree with it to
the last bit wherever both round the same way (PyTorch's vectorised kernels may fuse a
multiply-add, which NumPy does not). The NumPy is in place (`out=`, `*=`) to keep the
step cheap: on small networks the optimizer is a fair share of a training step. The state's
buffers are constant Tensors, as PyTorch's, whose arrays (`._data`) these updates change in place.

Notation: g = gradient, p = parameter, lr = learning rate, wd = weight decay, t = step.
"""
import math

import numpy as np

from .._arguments import as_flag
from .optimizer import Optimizer, _state_tensor, _written, check_betas, check_non_negative


def _grad(p, maximize):
    """The gradient the rule follows: -g to maximize (torch's maximize=True, negated before anything else)."""
    return -p.grad.data if maximize else p.grad.data


def _grad_with_decay(p, weight_decay, maximize, grad=None):
    """g + wd * p (L2 penalty folded into the gradient, as torch's `grad.add(p, alpha=wd)`), g negated first to
    maximize. grad: p.grad, when the caller has read it already (a property read, once per parameter and step)."""
    g = (p.grad if grad is None else grad).data
    g = -g if maximize else g
    return g + weight_decay * p.data if weight_decay else g


def _lerp_(a, b, weight, tmp):
    """a <- torch.lerp(a, b, weight) in place: a + w * (b - a) for w < 0.5, else b - (b - a) * (1 - w)."""
    np.subtract(b, a, out=tmp)
    weight = a.dtype.type(weight)  # torch picks the formula by the weight in the parameter's dtype
    if abs(weight) < 0.5:
        tmp *= weight
        a += tmp
    else:
        tmp *= 1 - weight
        np.subtract(b, tmp, out=a)


def _pair(betas):
    """betas as a tuple when it is a sequence; anything else as it is, for check_betas to name."""
    return tuple(betas) if isinstance(betas, (tuple, list, np.ndarray)) else betas

class SGD(Optimizer):
    """Stochastic gradient descent, with optional momentum, dampening, Nesterov and L2 weight decay.

    g <- g + wd p;  b <- g at the first step, else momentum b + (1 - dampening) g;
    g <- g + momentum b (Nesterov) or b;  p <- p - lr g.
    (PyTorch's forms. With v = -lr b they are Goodfellow et al.'s momentum, v <- momentum v - lr g,
    p <- p + v; and their Nesterov look-ahead, v <- momentum v - lr grad J(p + momentum v), in the shifted
    variable p + momentum v, for a constant lr.)

    >>> import autograd_core as ag
    >>> from nn.optim import SGD
    >>> w = ag.tensor([1.0], requires_grad=True)
    >>> opt = SGD([w], lr=0.1, momentum=0.9)
    >>> for _ in range(2):
    ...     opt.zero_grad(); (w * w).sum().backward(); opt.step()
    >>> w.data.round(4)
    array([0.46])
    """

    _state_keys = ("momentum_buffer",)  # (made afresh when missing: a loaded state holding others is refused)

    def __init__(self, params, lr=1e-3, momentum=0, dampening=0, weight_decay=0, nesterov=False, *, maximize=False,
                 **torch_options):  # (lr's default: PyTorch 2's, so groups that each give lr need none here)
        super().__init__(params, dict(lr=lr, momentum=momentum, dampening=dampening, weight_decay=weight_decay,
                                      nesterov=nesterov, maximize=maximize), **torch_options)

    def _validate(self, group):
        super()._validate(group)
        check_non_negative("SGD", "momentum", group["momentum"])
        check_non_negative("SGD", "dampening", group["dampening"])
        as_flag(group["nesterov"], "SGD", "nesterov")
        if group["nesterov"] and (group["momentum"] <= 0 or group["dampening"] != 0):
            raise ValueError("SGD: nesterov=True requires momentum > 0 and dampening = 0, got "
                             f"momentum={group['momentum']}, dampening={group['dampening']}")

    def _update(self, group):
        # (Python floats: a NumPy float32 hyper-parameter would compute a float64 step's factors in float32)
        lr, momentum, dampening = float(group["lr"]), float(group["momentum"]), float(group["dampening"])
        wd, nesterov, maximize = float(group["weight_decay"]), group["nesterov"], group["maximize"]
        step_sizes = {}  # lr as a 0-d array of each gradient dtype: the number NumPy makes of the float each call
        for p in group["params"]:
            grad = p.grad
            if grad is None:
                continue
            g = _grad_with_decay(p, wd, maximize, grad) if wd or maximize else grad.data
            if momentum:
                state = self.state.setdefault(p, {})
                buf = state.get("momentum_buffer")
                if buf is None:
                    buf = np.array(g, dtype=p.dtype)
                    state["momentum_buffer"] = _state_tensor(buf)
                else:
                    buf = _written(buf)
                    buf *= momentum
                    buf += (1 - dampening) * g
                g = g + momentum * buf if nesterov else buf
            step_size = step_sizes.get(g.dtype)
            if step_size is None:
                step_size = step_sizes[g.dtype] = np.array(lr, g.dtype)
            p.data -= step_size * g


class Adam(Optimizer):
    """Adam (Kingma & Ba), with L2 weight decay folded into the gradient as in torch.optim.Adam.

    g <- g + wd p;  m <- lerp(m, g, 1 - b1);  v <- b2 v + (1 - b2) g g;
    p <- p - (lr / (1 - b1^t)) m / (sqrt(v) / sqrt(1 - b2^t) + eps).
    With amsgrad=True (Reddi et al.) the denominator uses v_max <- max(v_max, v) instead of v,
    so the per-coordinate step never grows back (state "max_exp_avg_sq").

    >>> import autograd_core as ag
    >>> from nn.optim import Adam
    >>> w = ag.tensor([1.0, -1.0], requires_grad=True)
    >>> opt = Adam([w], lr=0.1)
    >>> (w * w).sum().backward(); opt.step()
    >>> w.data.round(4)  # the first Adam step moves each weight by lr
    array([ 0.9, -0.9])
    """

    _decoupled = False

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, amsgrad=False, *,
                 maximize=False, **torch_options):
        super().__init__(params, dict(lr=lr, betas=_pair(betas), eps=eps, weight_decay=weight_decay,
                                      amsgrad=amsgrad, maximize=maximize), **torch_options)

    def _validate(self, group):
        super()._validate(group)
        name = type(self).__name__
        check_betas(name, group["betas"])
        as_flag(group["amsgrad"], name, "amsgrad")
        check_non_negative(name, "eps", group["eps"])

    def _update(self, group):
        # (Python floats: a NumPy float32 beta would compute a float64 step's bias corrections in float32)
        lr, beta1, beta2, eps, wd = map(float, (group["lr"], *group["betas"], group["eps"], group["weight_decay"]))
        amsgrad, maximize = group["amsgrad"], group["maximize"]
        for p in group["params"]:
            if p.grad is None:
                continue
            state = self.state[p]
            if not state:  # (the first step; {} when opt.state[p] was read before it, as PyTorch's defaultdict)
                state.update(step=0, exp_avg=_state_tensor(np.zeros_like(p.data)),
                             exp_avg_sq=_state_tensor(np.zeros_like(p.data)))
            state["step"] += 1
            step, m, v = state["step"], _written(state["exp_avg"]), _written(state["exp_avg_sq"])
            if self._decoupled:
                p.data *= 1 - lr * wd
                g = _grad(p, maximize)
            else:
                g = _grad_with_decay(p, wd, maximize)
            tmp = np.empty_like(m)
            _lerp_(m, g, 1 - beta1, tmp)
            v *= beta2
            np.multiply(g, 1 - beta2, out=tmp)  # torch's addcmul: v + (value * g) * g
            tmp *= g
            v += tmp
            bias_correction1 = 1 - beta1 ** step
            bias_correction2 = 1 - beta2 ** step
            step_size = lr / bias_correction1
            if amsgrad:
                v_max = state.get("max_exp_avg_sq")
                if v_max is None:  # torch's zeros, made here so a state saved without amsgrad resumes with it
                    v_max = np.zeros_like(v)
                    state["max_exp_avg_sq"] = _state_tensor(v_max)
                else:
                    v_max = _written(v_max)
                np.maximum(v_max, v, out=v_max)
                v = v_max
            denom = np.sqrt(v)
            denom /= math.sqrt(bias_correction2)
            denom += eps
            np.multiply(m, -step_size, out=tmp)  # torch's addcdiv: p + (value * m) / denom
            tmp /= denom
            p.data += tmp


class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov & Hutter): p <- p (1 - lr wd) before the Adam step.

    >>> import autograd_core as ag
    >>> from nn.optim import AdamW
    >>> w = ag.tensor([1.0], requires_grad=True)
    >>> opt = AdamW([w], lr=0.1, weight_decay=0.5)
    >>> (w * w).sum().backward(); opt.step()
    >>> w.data.round(4)  # 1 * (1 - 0.05) - 0.1
    array([0.85])
    """

    _decoupled = True

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2, amsgrad=False, *,
                 maximize=False, **torch_options):
        super().__init__(params, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad,
                         maximize=maximize, **torch_options)


class RMSprop(Optimizer):
    """RMSProp (Hinton), optionally centered and with momentum, as torch.optim.RMSprop.

    g <- g + wd p;  s <- alpha s + (1 - alpha) g g;  d <- sqrt(s - mean_g^2 if centered else s) + eps;
    with momentum: b <- momentum b + g / d, p <- p - lr b;  else p <- p - lr g / d.

    >>> import autograd_core as ag
    >>> from nn.optim import RMSprop
    >>> w = ag.tensor([1.0], requires_grad=True)
    >>> opt = RMSprop([w], lr=0.01, alpha=0.99)
    >>> (w * w).sum().backward(); opt.step()
    >>> w.data.round(4)  # 1 - 0.01 * 2 / sqrt(0.01 * 4)
    array([0.9])
    """

    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0, centered=False, *,
                 maximize=False, **torch_options):
        super().__init__(params, dict(lr=lr, alpha=alpha, eps=eps, weight_decay=weight_decay, momentum=momentum,
                                      centered=centered, maximize=maximize), **torch_options)

    def _validate(self, group):
        super()._validate(group)
        check_non_negative("RMSprop", "alpha", group["alpha"])
        if group["alpha"] > 1:  # 1 - alpha < 0 could make the average of squares negative, its root NaN
            raise ValueError(f"RMSprop: invalid alpha={group['alpha']!r}; the average's decay must be in [0, 1]")
        check_non_negative("RMSprop", "eps", group["eps"])
        as_flag(group["centered"], "RMSprop", "centered")
        check_non_negative("RMSprop", "momentum", group["momentum"])

    def _update(self, group):
        lr, alpha, eps, wd = group["lr"], group["alpha"], group["eps"], group["weight_decay"]
        momentum, centered, maximize = group["momentum"], group["centered"], group["maximize"]
        for p in group["params"]:
            if p.grad is None:
                continue
            state = self.state[p]
            if not state:
                state.update(step=0, square_avg=_state_tensor(np.zeros_like(p.data)))
                if momentum > 0:
                    state["momentum_buffer"] = _state_tensor(np.zeros_like(p.data))
                if centered:
                    state["grad_avg"] = _state_tensor(np.zeros_like(p.data))
            state["step"] += 1
            g = _grad_with_decay(p, wd, maximize)
            square_avg = _written(state["square_avg"])
            tmp = np.empty_like(square_avg)
            square_avg *= alpha
            np.multiply(g, 1 - alpha, out=tmp)
            tmp *= g
            square_avg += tmp
            if centered:
                grad_avg = _written(state["grad_avg"])
                _lerp_(grad_avg, g, 1 - alpha, tmp)
                np.multiply(grad_avg, -1, out=tmp)
                tmp *= grad_avg
                avg = np.sqrt(square_avg + tmp)
            else:
                avg = np.sqrt(square_avg)
            avg += eps
            if momentum > 0:
                buf = _written(state["momentum_buffer"])
                buf *= momentum
                buf += g / avg
                p.data -= lr * buf
            else:
                np.multiply(g, -lr, out=tmp)
                tmp /= avg
                p.data += tmp


class Adagrad(Optimizer):
    """Adagrad (Duchi et al.): per-coordinate steps shrinking with the sum of squared gradients.

    g <- g + wd p;  clr = lr / (1 + (t - 1) lr_decay);  s <- s + g g;  p <- p - clr g / (sqrt(s) + eps).
    s starts at each group's initial_accumulator_value when the parameter's first step comes. (torch.optim
    fills every s at construction from the constructor's value, ignoring a group's own.)

    >>> import autograd_core as ag
    >>> from nn.optim import Adagrad
    >>> w = ag.tensor([1.0], requires_grad=True)
    >>> opt = Adagrad([w], lr=0.1)
    >>> (w * w).sum().backward(); opt.step()
    >>> w.data.round(4)
    array([0.9])
    """

    def __init__(self, params, lr=1e-2, eps=1e-10, weight_decay=0, lr_decay=0, initial_accumulator_value=0, *,
                 maximize=False, **torch_options):
        super().__init__(params, dict(lr=lr, eps=eps, weight_decay=weight_decay, lr_decay=lr_decay,
                                      initial_accumulator_value=initial_accumulator_value, maximize=maximize),
                         **torch_options)

    def _validate(self, group):
        super()._validate(group)
        for name in ("eps", "lr_decay", "initial_accumulator_value"):
            check_non_negative("Adagrad", name, group[name])

    def _update(self, group):
        lr, eps, wd, lr_decay = map(float, (group["lr"], group["eps"], group["weight_decay"], group["lr_decay"]))
        for p in group["params"]:
            if p.grad is None:
                continue
            state = self.state[p]
            if not state:
                state.update(step=0, sum=_state_tensor(np.full_like(p.data, group["initial_accumulator_value"])))
            state["step"] += 1
            g = _grad_with_decay(p, wd, group["maximize"])
            clr = lr / (1 + (state["step"] - 1) * lr_decay)
            total = _written(state["sum"])
            total += g * g
            std = np.sqrt(total)
            std += eps
            tmp = np.multiply(g, -clr)
            tmp /= std
            p.data += tmp
