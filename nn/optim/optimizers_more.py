"""PyTorch's other update rules: Adamax, NAdam, RAdam, Adadelta, ASGD, Rprop.

As in optimizers.py, each rule is torch.optim's single-tensor ("for-loop", foreach=False)
implementation written with the same formulas in the same order of operations, so the results
agree with it to the last bit wherever both round the same way: PyTorch's vectorised CPU kernels
fuse the multiply-adds of `add_(..., alpha=)`, `lerp_` and `addcmul_` (one rounding where NumPy
rounds twice), and its `sqrt` (2.13, CPU) is off by one unit in the last place for about one float32
in six; with those two replaced (its scalar kernels, ATEN_CPU_CAPABILITY=default, and a correctly
rounded sqrt) the trajectories are equal, float32 and float64 (tests/nn/test_optim_more.py checks
it). Rprop, which has neither, equals torch's as installed.

Two of PyTorch's choices are kept for that equality: NAdam's running product of the momentum
factors (state "mu_product") and ASGD's step size and averaging factor ("eta", "mu") are rounded to
float32, PyTorch's default dtype, whatever the parameter's dtype; here they are Python floats, and a
state dict loaded back keeps them so (PyTorch's load_state_dict casts them to the parameter's dtype,
after which a float64 NAdam run no longer follows its uninterrupted path).

Notation: g = gradient, p = parameter, lr = learning rate, wd = weight decay, t = step.
"""
import numpy as np

from .._arguments import as_flag, checked_number
from .optimizer import Optimizer, _state_tensor, _written, check_betas, check_non_negative, check_pair
from .optimizers import _grad, _grad_with_decay, _lerp_, _pair


def _f32(x):
    """x rounded to float32, as a Python float: a value PyTorch keeps in a 0-d float32 tensor."""
    return float(np.float32(x))


def _check_number(owner, name, value, **valid_range):
    """Raise an error naming `owner`'s argument `name` unless it is a Python or NumPy number in the range
    (checked_number's low=, high=, ...; finite unless high is inf)."""
    checked_number(value, owner, name, plain=True, message="{owner}: invalid {name}={value!r}; it must be {what}",
                   **valid_range)


def _stepped(optimizer, group, initial):
    """(p, state) for each parameter of the group that has a gradient (the others are skipped, as in torch), its
    state made as {"step": 0, **initial(p)} at its first step (initial's arrays kept as constant Tensors, as
    PyTorch's buffers: the update changes their `._data` in place), and its step counted."""
    for p in group["params"]:
        if p.grad is None:
            continue
        state = optimizer.state[p]
        if not state:  # (the first step; {} when opt.state[p] was read before it, as PyTorch's defaultdict)
            state.update(step=0, **{k: _state_tensor(v) if isinstance(v, np.ndarray) else v
                                    for k, v in initial(p).items()})
        state["step"] += 1
        yield p, state


def _sign(x, out):
    """np.sign(x, out=out) as torch.sign: 0 at NaN, where NumPy's is NaN. Returns out."""
    np.sign(x, out=out)
    out[np.isnan(out)] = 0
    return out


def _zeros(p, *names):
    """Zero buffers of p's shape and dtype, by name."""
    return {name: np.zeros_like(p.data) for name in names}


def _moments_(m, v, g, beta1, beta2, tmp):
    """Adam's moments in place, as torch: m <- lerp(m, g, 1 - b1); v <- b2 v + ((1 - b2) g) g."""
    _lerp_(m, g, 1 - beta1, tmp)  # (the formula picked by the weight in m's dtype)
    v *= beta2
    np.multiply(g, 1 - beta2, out=tmp)
    tmp *= g
    v += tmp


class _AdamFamily(Optimizer):
    """What Adamax, NAdam and RAdam share: betas, eps, and (NAdam, RAdam) decoupled weight decay."""

    def _validate(self, group):
        super()._validate(group)
        name = type(self).__name__
        check_betas(name, group["betas"])
        check_non_negative(name, "eps", group["eps"])
        if "decoupled_weight_decay" in group:
            as_flag(group["decoupled_weight_decay"], name, "decoupled_weight_decay")

    def _hyper(self, group):
        """lr, beta1, beta2, eps, wd as Python floats (a NumPy float64 would make float32 arithmetic float64)."""
        beta1, beta2 = group["betas"]
        return tuple(map(float, (group["lr"], beta1, beta2, group["eps"], group["weight_decay"])))

    def _decayed_grad(self, p, group, lr, wd):
        """The gradient after weight decay: decoupled (p <- p (1 - lr wd), g as it is) or L2 (g + wd p)."""
        if wd and group.get("decoupled_weight_decay"):
            p.data *= 1 - lr * wd
            return _grad(p, group["maximize"])
        return _grad_with_decay(p, wd, group["maximize"])


class Adamax(_AdamFamily):
    """Adamax (Kingma & Ba, section 7.1): Adam with the infinity norm of the past gradients for the second moment.

    g <- g + wd p;  m <- lerp(m, g, 1 - b1);  u <- max(b2 u, |g| + eps);  p <- p - (lr / (1 - b1^t)) m / u.

    >>> import autograd_core as ag
    >>> from nn.optim import Adamax
    >>> w = ag.tensor([1.0, -1.0], requires_grad=True)
    >>> opt = Adamax([w], lr=0.1)
    >>> (w * w).sum().backward(); opt.step()
    >>> w.data.round(4)  # the first step moves each weight by lr
    array([ 0.9, -0.9])
    """

    def __init__(self, params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, foreach=None, *,
                 maximize=False, **torch_options):
        super().__init__(params, dict(lr=lr, betas=_pair(betas), eps=eps, weight_decay=weight_decay,
                                      maximize=maximize), foreach=foreach, **torch_options)

    def _update(self, group):
        lr, beta1, beta2, eps, wd = self._hyper(group)
        for p, state in _stepped(self, group, lambda p: _zeros(p, "exp_avg", "exp_inf")):
            m, u = _written(state["exp_avg"]), _written(state["exp_inf"])
            g = _grad_with_decay(p, wd, group["maximize"])
            tmp = np.empty_like(m)
            _lerp_(m, g, 1 - beta1, tmp)
            u *= beta2
            np.abs(g, out=tmp)
            tmp += eps
            np.maximum(u, tmp, out=u)
            clr = lr / (1 - beta1 ** state["step"])
            np.multiply(m, -clr, out=tmp)  # addcdiv: p + (value * m) / u
            tmp /= u
            p.data += tmp


class NAdam(_AdamFamily):
    """NAdam (Dozat): Adam with Nesterov momentum, the momentum factor warming up with momentum_decay.

    mu_t = b1 (1 - 0.5 * 0.96^(t momentum_decay)); M_t = mu_1 ... mu_t (state "mu_product");
    g <- g + wd p (or, with decoupled_weight_decay, p <- p (1 - lr wd));  m, v as in Adam;
    d = sqrt(v / (1 - b2^t)) + eps;
    p <- p - lr (1 - mu_t) / (1 - M_t) g / d - lr mu_{t+1} / (1 - M_t mu_{t+1}) m / d.

    >>> import autograd_core as ag
    >>> from nn.optim import NAdam
    >>> w = ag.tensor([1.0], requires_grad=True)
    >>> opt = NAdam([w], lr=0.1)
    >>> (w * w).sum().backward(); opt.step()
    >>> w.data.round(4)  # lr for g, and the look-ahead's lr mu_2 / (1 - mu_1 mu_2) * 0.1 for m
    array([0.8944])
    """

    _number_state = ("step", "mu_product")

    def __init__(self, params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, momentum_decay=4e-3,
                 decoupled_weight_decay=False, *, maximize=False, **torch_options):
        super().__init__(params, dict(lr=lr, betas=_pair(betas), eps=eps, weight_decay=weight_decay,
                                      momentum_decay=momentum_decay, decoupled_weight_decay=decoupled_weight_decay,
                                      maximize=maximize), **torch_options)

    def _validate(self, group):
        super()._validate(group)
        check_non_negative("NAdam", "momentum_decay", group["momentum_decay"])

    def _update(self, group):
        lr, beta1, beta2, eps, wd = self._hyper(group)
        momentum_decay = float(group["momentum_decay"])
        for p, state in _stepped(self, group, lambda p: {"mu_product": 1.0, **_zeros(p, "exp_avg", "exp_avg_sq")}):
            step, m, v = state["step"], _written(state["exp_avg"]), _written(state["exp_avg_sq"])
            bias_correction2 = 1 - beta2 ** step
            g = self._decayed_grad(p, group, lr, wd)
            mu = beta1 * (1.0 - 0.5 * (0.96 ** (step * momentum_decay)))
            mu_next = beta1 * (1.0 - 0.5 * (0.96 ** ((step + 1) * momentum_decay)))
            # (float32 times float32, as torch's 0-d float32 tensor mu_product *= mu)
            mu_product = state["mu_product"] = _f32(np.float32(state["mu_product"]) * np.float32(mu))
            tmp = np.empty_like(m)
            _moments_(m, v, g, beta1, beta2, tmp)
            denom = np.divide(v, bias_correction2, out=np.empty_like(v))  # (out=: an array for a 0-d one too)
            np.sqrt(denom, out=denom)
            denom += eps
            np.multiply(g, -lr * (1.0 - mu) / (1.0 - mu_product), out=tmp)  # addcdiv: p + (value * g) / d
            tmp /= denom
            p.data += tmp
            np.multiply(m, (-lr * mu_next) / (1.0 - mu_product * mu_next), out=tmp)
            tmp /= denom
            p.data += tmp


class RAdam(_AdamFamily):
    """RAdam (Liu et al.): Adam whose adaptive step is rectified by the variance of its estimate, and is plain
    momentum while that estimate is too short (rho_t <= 5).

    g <- g + wd p (or, with decoupled_weight_decay, p <- p (1 - lr wd));  m, v as in Adam;
    rho_inf = 2 / (1 - b2) - 1;  rho_t = rho_inf - 2 t b2^t / (1 - b2^t);  m^ = m / (1 - b1^t);
    rho_t > 5:  p <- p - m^ lr (sqrt(1 - b2^t) / (sqrt(v) + eps)) r_t,
    r_t = sqrt((rho_t - 4)(rho_t - 2) rho_inf / ((rho_inf - 4)(rho_inf - 2) rho_t));  else p <- p - m^ lr.

    >>> import autograd_core as ag
    >>> from nn.optim import RAdam
    >>> w = ag.tensor([1.0], requires_grad=True)
    >>> opt = RAdam([w], lr=0.1)
    >>> (w * w).sum().backward(); opt.step()
    >>> w.data.round(4)  # the first steps are momentum: 1 - 0.1 * 2
    array([0.8])
    """

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, decoupled_weight_decay=False,
                 *, maximize=False, **torch_options):
        super().__init__(params, dict(lr=lr, betas=_pair(betas), eps=eps, weight_decay=weight_decay,
                                      decoupled_weight_decay=decoupled_weight_decay, maximize=maximize),
                         **torch_options)

    def _update(self, group):
        lr, beta1, beta2, eps, wd = self._hyper(group)
        for p, state in _stepped(self, group, lambda p: _zeros(p, "exp_avg", "exp_avg_sq")):
            step, m, v = state["step"], _written(state["exp_avg"]), _written(state["exp_avg_sq"])
            g = self._decayed_grad(p, group, lr, wd)
            tmp = np.empty_like(m)
            _moments_(m, v, g, beta1, beta2, tmp)
            bias_correction1 = 1 - beta1 ** step
            bias_correction2 = 1 - beta2 ** step
            rho_inf = 2 / (1 - beta2) - 1
            rho_t = rho_inf - 2 * step * (beta2 ** step) / bias_correction2
            update = np.divide(m, bias_correction1, out=np.empty_like(m))
            update *= lr
            if rho_t > 5.0:
                rect = ((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t)) ** 0.5
                np.sqrt(v, out=tmp)
                tmp += eps
                np.reciprocal(tmp, out=tmp)  # torch's scalar / tensor is tensor.reciprocal() * scalar
                tmp *= bias_correction2 ** 0.5
                update *= tmp
                update *= rect
            p.data -= update


class Adadelta(Optimizer):
    """Adadelta (Zeiler): steps scaled by the ratio of the running RMS of past steps to that of the gradients.

    g <- g + wd p;  s <- rho s + (1 - rho) g g;  d = sqrt(a + eps) / sqrt(s + eps) g;
    a <- rho a + (1 - rho) d d;  p <- p - lr d.   (s: state "square_avg", a: "acc_delta")

    >>> import autograd_core as ag
    >>> from nn.optim import Adadelta
    >>> w = ag.tensor([1.0], requires_grad=True)
    >>> opt = Adadelta([w], lr=1.0, eps=1e-6)
    >>> (w * w).sum().backward(); opt.step()
    >>> w.data.round(5)  # 1 - sqrt(1e-6) / sqrt(0.1 * 4 + 1e-6) * 2
    array([0.99684])
    """

    def __init__(self, params, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0, foreach=None, *, maximize=False,
                 **torch_options):
        super().__init__(params, dict(lr=lr, rho=rho, eps=eps, weight_decay=weight_decay, maximize=maximize),
                         foreach=foreach, **torch_options)

    def _validate(self, group):
        super()._validate(group)
        _check_number("Adadelta", "rho", group["rho"], low=0, high=1)
        check_non_negative("Adadelta", "eps", group["eps"])

    def _update(self, group):
        lr, rho, eps, wd = (float(group[k]) for k in ("lr", "rho", "eps", "weight_decay"))
        for p, state in _stepped(self, group, lambda p: _zeros(p, "square_avg", "acc_delta")):
            square_avg, acc_delta = _written(state["square_avg"]), _written(state["acc_delta"])
            g = _grad_with_decay(p, wd, group["maximize"])
            tmp = np.empty_like(square_avg)
            square_avg *= rho
            np.multiply(g, 1 - rho, out=tmp)
            tmp *= g
            square_avg += tmp
            std = np.add(square_avg, eps, out=np.empty_like(square_avg))
            np.sqrt(std, out=std)
            delta = np.add(acc_delta, eps, out=np.empty_like(acc_delta))
            np.sqrt(delta, out=delta)
            delta /= std
            delta *= g
            acc_delta *= rho
            np.multiply(delta, 1 - rho, out=tmp)
            tmp *= delta
            acc_delta += tmp
            delta *= -lr
            p.data += delta


class ASGD(Optimizer):
    """Averaged SGD (Polyak & Juditsky): SGD with a decaying step size, and the running average of the iterates
    from step t0 on in state "ax" (the averaged parameters, which the caller copies in to evaluate).

    g <- g + wd p;  p <- p (1 - lambd eta);  p <- p - eta g;  ax <- ax + mu (p - ax) (ax <- p while mu = 1);
    then eta <- lr / (1 + lambd lr t)^alpha and mu <- 1 / max(1, t - t0) for the next step
    (eta starts at lr; eta and mu are rounded to float32, as torch keeps them).

    >>> import autograd_core as ag
    >>> from nn.optim import ASGD
    >>> w = ag.tensor([1.0], requires_grad=True)
    >>> opt = ASGD([w], lr=0.1, lambd=0.0)
    >>> (w * w).sum().backward(); opt.step()
    >>> w.data.round(4), opt.state[w]["ax"].data.round(4)
    (array([0.8]), array([0.8]))
    """

    _number_state = ("step", "eta", "mu")

    def __init__(self, params, lr=1e-2, lambd=1e-4, alpha=0.75, t0=1e6, weight_decay=0, foreach=None,
                 maximize=False, differentiable=False, capturable=False, **torch_options):
        super().__init__(params, dict(lr=lr, lambd=lambd, alpha=alpha, t0=t0, weight_decay=weight_decay,
                                      maximize=maximize), foreach=foreach, differentiable=differentiable,
                         capturable=capturable, **torch_options)

    def _validate(self, group):
        # (torch checks only lr and weight_decay; these must be numbers whose steps stay finite and shrink)
        super()._validate(group)
        for name in ("lambd", "alpha", "t0"):
            _check_number("ASGD", name, group[name], low=0)

    def _update(self, group):
        lr, lambd, alpha, t0, wd = (float(group[k]) for k in ("lr", "lambd", "alpha", "t0", "weight_decay"))
        for p, state in _stepped(self, group, lambda p: {"eta": _f32(lr), "mu": 1.0, "ax": np.zeros_like(p.data)}):
            step, eta, ax = state["step"], state["eta"], _written(state["ax"])
            g = _grad_with_decay(p, wd, group["maximize"])
            p.data *= 1 - lambd * eta
            tmp = np.multiply(g, -eta, out=np.empty_like(ax))
            p.data += tmp
            if state["mu"] != 1:
                np.subtract(p.data, ax, out=tmp)
                tmp *= state["mu"]
                ax += tmp
            else:
                np.copyto(ax, p.data)
            state["eta"] = _f32(lr / ((1 + lambd * lr * step) ** alpha))
            state["mu"] = _f32(1 / max(1, step - t0))


class Rprop(Optimizer):
    """Rprop (Riedmiller & Braun): each weight moves by its own step size against the sign of its gradient; the
    step grows by etaplus while the sign stays, shrinks by etaminus when it flips (that step is then skipped).

    f = etaplus, etaminus or 1 as g g_prev > 0, < 0 or = 0 (or NaN);  s <- clip(s f, *step_sizes) (s starts at lr);
    g <- 0 where f = etaminus;  p <- p - sign(g) s;  g_prev <- g.   (state "step_size", "prev"; sign(NaN) = 0, as
    torch.sign's, so an inf gradient steps by its sign and a NaN one takes no step)
    lr is only each step size's start, as in torch: a scheduler's later rates change nothing.

    >>> import autograd_core as ag
    >>> from nn.optim import Rprop
    >>> w = ag.tensor([1.0], requires_grad=True)
    >>> opt = Rprop([w], lr=0.1)
    >>> for _ in range(2):
    ...     opt.zero_grad(); (w * w).sum().backward(); opt.step()
    >>> w.data.round(4)  # 1 - 0.1 - 0.12
    array([0.78])
    """

    def __init__(self, params, lr=1e-2, etas=(0.5, 1.2), step_sizes=(1e-6, 50), *, maximize=False,
                 **torch_options):
        super().__init__(params, dict(lr=lr, etas=_pair(etas), step_sizes=_pair(step_sizes), maximize=maximize),
                         **torch_options)

    def _validate(self, group):
        super()._validate(group)
        check_pair("Rprop", "etas", group["etas"], lambda minus, plus: 0.0 < minus < 1.0 < plus,
                   "a pair (etaminus, etaplus) with 0 < etaminus < 1 < etaplus")
        check_pair("Rprop", "step_sizes", group["step_sizes"], lambda low, high: 0.0 <= low <= high,
                   "a pair (min_step, max_step) with 0 <= min_step <= max_step")

    def _update(self, group):
        etaminus, etaplus = map(float, group["etas"])
        step_min, step_max = map(float, group["step_sizes"])
        lr = float(group["lr"])  # the step sizes' start
        for p, state in _stepped(self, group, lambda p: {**_zeros(p, "prev"), "step_size": np.full_like(p.data, lr)}):
            prev, step_size = _written(state["prev"]), _written(state["step_size"])
            g = _grad(p, group["maximize"])
            with np.errstate(invalid="ignore"):  # (an inf gradient times prev 0 is NaN: sign 0, as in torch)
                factor = np.multiply(g, prev, out=np.empty_like(prev))
            _sign(factor, out=factor)
            factor[factor > 0] = etaplus  # in torch's order, each assignment seeing the ones before
            factor[factor < 0] = etaminus
            factor[factor == 0] = 1
            step_size *= factor
            np.clip(step_size, step_min, step_max, out=step_size)
            np.copyto(prev, g)
            prev[factor == etaminus] = 0  # after a sign change, no step and no comparison next time
            _sign(prev, out=factor)  # (a NaN gradient takes no step, as in torch)
            factor *= step_size
            p.data -= factor
