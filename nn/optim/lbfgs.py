"""L-BFGS (torch.optim.LBFGS): limited-memory BFGS over all parameters flattened into one vector, with an optional
strong-Wolfe line search; step(closure) re-evaluates the loss as often as the iterations need.

The algorithm is torch/optim/lbfgs.py's, with its operations in the same order and its scalars of the same kinds:
where PyTorch keeps a 0-d tensor (a dot product, the step length, the history's 1 / (y . s)), this keeps a NumPy
scalar of the parameters' dtype, and where it keeps a Python float (the loss), a Python float; NumPy's promotion
rules (NEP 50) then round every mixed operation as PyTorch's do. The trajectories equal PyTorch's up to the rounding
of its vectorised kernels (a fused multiply-add in `add_(..., alpha=)`, the order of a dot product's sums).
"""
import math
import numbers
from collections import defaultdict

import numpy as np

import autograd_core as ag

from .._arguments import as_flag, checked_number
from .optimizer import Optimizer, _state_tensor, check_non_negative

_LINE_SEARCHES = (None, "strong_wolfe")


def _cubic_interpolate(x1, f1, g1, x2, f2, g2, bounds=None):
    """The minimizer of the cubic through (x1, f1) and (x2, f2) with slopes g1, g2, clamped to bounds (default:
    between x1 and x2); their midpoint when the cubic has no minimum. (torch's, from torch/optim's polyinterp.lua.)"""
    xmin_bound, xmax_bound = bounds if bounds is not None else ((x1, x2) if x1 <= x2 else (x2, x1))
    span = x1 - x2
    if isinstance(span, np.generic):  # a Python number over a 0-d tensor is, in torch, its reciprocal times it
        d1 = g1 + g2 - 3 * (f1 - f2) * (1 / span)
    else:
        d1 = g1 + g2 - 3 * (f1 - f2) / span
    d2_square = d1 ** 2 - g1 * g2
    if d2_square >= 0:
        d2 = np.sqrt(d2_square)
        if x1 <= x2:
            min_pos = x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
        else:
            min_pos = x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2))
        return min(max(min_pos, xmin_bound), xmax_bound)
    return (xmin_bound + xmax_bound) / 2.0


def _strong_wolfe(obj_func, x, t, d, f, g, gtd, c1=1e-4, c2=0.9, tolerance_change=1e-9, max_ls=25):
    """A step length t along d meeting the strong Wolfe conditions (torch's, from lswolfe.lua): bracket, then zoom.
    Returns (f_new, g_new, t, evaluations)."""
    d_norm = np.abs(d).max()
    g = g.copy()
    f_new, g_new = obj_func(x, t, d)
    ls_func_evals = 1
    gtd_new = g_new.dot(d)
    t_prev, f_prev, g_prev, gtd_prev = 0, f, g, gtd
    done = False
    ls_iter = 0
    while ls_iter < max_ls:  # bracket an interval holding a point that meets the conditions
        if f_new > (f + c1 * t * gtd) or (ls_iter > 1 and f_new >= f_prev):
            bracket, bracket_f = [t_prev, t], [f_prev, f_new]
            bracket_g, bracket_gtd = [g_prev, g_new.copy()], [gtd_prev, gtd_new]
            break
        if abs(gtd_new) <= -c2 * gtd:
            bracket, bracket_f, bracket_g = [t], [f_new], [g_new]
            done = True
            break
        if gtd_new >= 0:
            bracket, bracket_f = [t_prev, t], [f_prev, f_new]
            bracket_g, bracket_gtd = [g_prev, g_new.copy()], [gtd_prev, gtd_new]
            break
        min_step = t + 0.01 * (t - t_prev)  # interpolate
        max_step = t * 10
        tmp = t
        t = _cubic_interpolate(t_prev, f_prev, gtd_prev, t, f_new, gtd_new, bounds=(min_step, max_step))
        t_prev, f_prev, g_prev, gtd_prev = tmp, f_new, g_new.copy(), gtd_new
        f_new, g_new = obj_func(x, t, d)
        ls_func_evals += 1
        gtd_new = g_new.dot(d)
        ls_iter += 1
    if ls_iter == max_ls:  # (with max_ls == 0 too, as in torch)
        bracket, bracket_f, bracket_g = [0, t], [f, f_new], [g, g_new]

    # zoom: refine the bracket until a point meets the conditions
    insuf_progress = False
    low_pos, high_pos = (0, 1) if bracket_f[0] <= bracket_f[-1] else (1, 0)
    while not done and ls_iter < max_ls:
        if abs(bracket[1] - bracket[0]) * d_norm < tolerance_change:  # the bracket is too small
            break
        t = _cubic_interpolate(bracket[0], bracket_f[0], bracket_gtd[0], bracket[1], bracket_f[1], bracket_gtd[1])
        # close to a boundary twice in a row, or at one: move 0.1 of the bracket's length in from it
        eps = 0.1 * (max(bracket) - min(bracket))
        if min(max(bracket) - t, t - min(bracket)) < eps:
            if insuf_progress or t >= max(bracket) or t <= min(bracket):
                t = max(bracket) - eps if abs(t - max(bracket)) < abs(t - min(bracket)) else min(bracket) + eps
                insuf_progress = False
            else:
                insuf_progress = True
        else:
            insuf_progress = False
        f_new, g_new = obj_func(x, t, d)
        ls_func_evals += 1
        gtd_new = g_new.dot(d)
        ls_iter += 1
        if f_new > (f + c1 * t * gtd) or f_new >= bracket_f[low_pos]:  # no sufficient decrease, or not the lowest
            bracket[high_pos], bracket_f[high_pos] = t, f_new
            bracket_g[high_pos], bracket_gtd[high_pos] = g_new.copy(), gtd_new
            low_pos, high_pos = (0, 1) if bracket_f[0] <= bracket_f[1] else (1, 0)
        else:
            if abs(gtd_new) <= -c2 * gtd:  # the Wolfe conditions hold
                done = True
            elif gtd_new * (bracket[high_pos] - bracket[low_pos]) >= 0:  # the old high becomes the new low
                bracket[high_pos], bracket_f[high_pos] = bracket[low_pos], bracket_f[low_pos]
                bracket_g[high_pos], bracket_gtd[high_pos] = bracket_g[low_pos], bracket_gtd[low_pos]
            bracket[low_pos], bracket_f[low_pos] = t, f_new  # the new point becomes the new low
            bracket_g[low_pos], bracket_gtd[low_pos] = g_new.copy(), gtd_new
    return bracket_f[low_pos], bracket_g[low_pos], bracket[low_pos], ls_func_evals


def _array(value):
    """A state vector's array (a Tensor's own, not a copy), or value itself (None, or an array set by hand)."""
    return value._data if isinstance(value, ag.Tensor) else value


def _vectors_held(state):
    """{id(array): Tensor} for the Tensors of the state's vectors, so that one held across a step stays the state's."""
    vectors = [state.get("d"), state.get("prev_flat_grad"), *(state.get("old_dirs") or ()),
               *(state.get("old_stps") or ())]
    return {id(v._data): v for v in vectors if isinstance(v, ag.Tensor)}


def _held(array, held, changed=False):
    """array as the state keeps it: the constant Tensor that held it before the step, else a new one (None as is).
    changed: the step wrote into the array (prev_flat_grad[...] = flat_grad): a held Tensor counts the change."""
    if array is None:
        return None
    tensor = held.get(id(array))
    if tensor is None:
        return _state_tensor(array)
    if changed:
        tensor._count_change()
    return tensor


class LBFGS(Optimizer):
    """L-BFGS (after minFunc), as torch.optim.LBFGS: one parameter group, and step(closure) runs up to max_iter
    iterations, calling the closure (which clears the gradients, computes the loss, calls backward() and returns
    the loss) for each evaluation; it returns the loss of the first call. maximize=True (keyword-only, as PyTorch
    2.14's) maximizes the loss: it minimizes -loss, so the run is the one that minimizing -loss takes.

    Its state (the search direction, the last max history_size pairs of gradient and parameter changes, the
    evaluation counts) is kept, as in PyTorch, under the first parameter: its vectors (flattened over all parameters:
    "d", "prev_flat_grad", the entries of the lists "old_dirs" and "old_stps") as constant Tensors, as PyTorch's;
    its scalars ("t", "H_diag", the entries of "ro" and "al") as NumPy scalars where PyTorch keeps 0-d Tensors
    (their NumPy promotions round as PyTorch's), and its counts and loss as numbers. nn.fit calls step() without a
    closure, which LBFGS cannot take: write the loop (see the example), or use another optimizer with fit.

    >>> import autograd_core as ag
    >>> from nn.optim import LBFGS
    >>> w = ag.tensor([1.5, -0.5], requires_grad=True)
    >>> opt = LBFGS([w], line_search_fn="strong_wolfe")
    >>> def closure():
    ...     opt.zero_grad()
    ...     loss = ((w - ag.tensor([3.0, 2.0])) ** 2).sum()
    ...     loss.backward()
    ...     return loss
    >>> _ = opt.step(closure)
    >>> w.data.round(6)
    array([3., 2.])
    """

    _state_keys = ("func_evals", "n_iter", "d", "t", "old_dirs", "old_stps", "ro", "H_diag", "prev_flat_grad",
                   "prev_loss", "al")

    def __init__(self, params, lr=1, max_iter=20, max_eval=None, tolerance_grad=1e-7, tolerance_change=1e-9,
                 history_size=100, line_search_fn=None, *, maximize=False):
        checked_number(max_iter, "LBFGS", "max_iter", low=1, integer=True)  # (checked before max_eval is made)
        if max_eval is None:
            max_eval = max_iter * 5 // 4
        super().__init__(params, dict(lr=lr, max_iter=max_iter, max_eval=max_eval, tolerance_grad=tolerance_grad,
                                      tolerance_change=tolerance_change, history_size=history_size,
                                      line_search_fn=line_search_fn, maximize=maximize))
        self._params = self.param_groups[0]["params"]

    def add_param_group(self, group):
        """LBFGS takes one parameter group only (as PyTorch): a second one is refused."""
        if self.param_groups:
            raise ValueError("LBFGS doesn't support per-parameter options (parameter groups): it optimizes all its "
                             "parameters as one vector; pass them all in one list")
        super().add_param_group(group)

    def _validate(self, group):
        check_non_negative("LBFGS", "lr", group["lr"])
        checked_number(group["max_iter"], "LBFGS", "max_iter", low=1, integer=True)
        checked_number(group["max_eval"], "LBFGS", "max_eval", low=1, integer=True)
        checked_number(group["history_size"], "LBFGS", "history_size", low=1, integer=True)
        as_flag(group.get("maximize", False), "LBFGS", "maximize")
        for name in ("tolerance_grad", "tolerance_change"):
            checked_number(group[name], "LBFGS", name, low=-math.inf, high=math.inf, plain=True)
        if not any(group["line_search_fn"] == valid and type(group["line_search_fn"]) is type(valid)
                   for valid in _LINE_SEARCHES):
            raise ValueError(f"LBFGS: invalid line_search_fn={group['line_search_fn']!r}; only 'strong_wolfe' is "
                             f"supported, or None for steps of fixed length lr")

    # ---- the parameters as one vector -------------------------------------------------------------------------
    def _gather_flat_grad(self):
        flat_grad = np.concatenate([np.zeros(p.numel(), p.dtype) if p.grad is None else p.grad.data.reshape(-1)
                                    for p in self._params])
        return -flat_grad if self._maximize() else flat_grad

    def _maximize(self):
        # maximize=True minimizes -loss: the loss and the gradients are negated as read (torch's, since 2.14); a
        # state dict saved before maximize existed has none
        return self.param_groups[0].get("maximize", False)

    def _loss(self, value):
        return -float(value) if self._maximize() else float(value)

    def _add_grad(self, step_size, update):
        offset = 0
        for p in self._params:
            p.data += step_size * update[offset:offset + p.numel()].reshape(p.shape)
            offset += p.numel()

    def _directional_evaluate(self, closure, x, t, d):
        self._add_grad(t, d)
        loss = self._loss(closure())
        flat_grad = self._gather_flat_grad()
        for p, saved in zip(self._params, x):
            p.data[...] = saved
        return loss, flat_grad

    def step(self, closure=None):
        """Run up to max_iter L-BFGS iterations; closure() re-evaluates the loss and its gradients (and is called
        with gradients recorded). Returns the loss of its first call."""
        if closure is None or not callable(closure):
            raise TypeError(f"LBFGS.step: needs a closure that clears the gradients, computes the loss, calls "
                            f"backward() and returns the loss (LBFGS evaluates it several times per step), got "
                            f"{closure!r:.60}; nn.fit calls step() without one, so write the loop yourself")

        def evaluate():
            with ag.enable_grad():
                loss = closure()
            if not isinstance(loss, (ag.Tensor, numbers.Real, np.ndarray)):  # (None: a closure without `return`)
                raise TypeError(f"LBFGS.step: the closure must return the loss (a Tensor or a number), got "
                                f"{type(loss).__name__}; end it with `return loss`")
            return loss

        with ag.no_grad():
            return self._step(evaluate)

    def _step(self, closure):
        group = self.param_groups[0]
        lr, max_iter, max_eval = group["lr"], group["max_iter"], group["max_eval"]
        tolerance_grad, tolerance_change = group["tolerance_grad"], group["tolerance_change"]
        line_search_fn, history_size = group["line_search_fn"], group["history_size"]
        self._validate(group)  # (a hyper-parameter edited between steps)
        if not self._params:  # a group of no parameters: nothing to step, the loss returned (as PyTorch 2.14)
            return closure()
        state = self.state.setdefault(self._params[0], {})
        state.setdefault("func_evals", 0)
        state.setdefault("n_iter", 0)

        orig_loss = closure()
        loss = self._loss(orig_loss)
        current_evals = 1
        state["func_evals"] += 1
        flat_grad = self._gather_flat_grad()
        if np.abs(flat_grad).max(initial=-np.inf) <= tolerance_grad:  # optimal already
            return orig_loss

        d, t, old_dirs, old_stps, ro, H_diag, prev_flat_grad, prev_loss = (
            state.get(k) for k in ("d", "t", "old_dirs", "old_stps", "ro", "H_diag", "prev_flat_grad", "prev_loss"))
        held = _vectors_held(state)  # the state's Tensors, by their arrays: kept for the arrays the step keeps
        d, prev_flat_grad = _array(d), _array(prev_flat_grad)
        old_dirs, old_stps = (None if v is None else [_array(x) for x in v] for v in (old_dirs, old_stps))
        n_iter = 0
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # inf and NaN as in torch
            while n_iter < max_iter:
                n_iter += 1
                state["n_iter"] += 1
                # the descent direction
                if state["n_iter"] == 1:
                    d = -flat_grad
                    old_dirs, old_stps, ro = [], [], []
                    H_diag = 1
                else:
                    y = flat_grad - prev_flat_grad
                    s = d * t
                    ys = y.dot(s)
                    if ys > 1e-10:  # update the memory
                        if len(old_dirs) == history_size:
                            old_dirs.pop(0)
                            old_stps.pop(0)
                            ro.pop(0)
                        old_dirs.append(y)
                        old_stps.append(s)
                        ro.append(1.0 / ys)
                        H_diag = ys / y.dot(y)  # the scale of the initial inverse Hessian
                    num_old = len(old_dirs)
                    if "al" not in state:
                        state["al"] = [None] * history_size
                    al = state["al"]
                    # the two-loop recursion: d = -H g with the approximate inverse Hessian H
                    q = -flat_grad
                    for i in range(num_old - 1, -1, -1):
                        al[i] = old_stps[i].dot(q) * ro[i]
                        q += q.dtype.type(-al[i]) * old_dirs[i]
                    d = r = q * H_diag
                    for i in range(num_old):
                        be_i = old_dirs[i].dot(r) * ro[i]
                        r += r.dtype.type(al[i] - be_i) * old_stps[i]
                if prev_flat_grad is None:
                    prev_flat_grad = flat_grad.copy()
                else:
                    prev_flat_grad[...] = flat_grad
                prev_loss = loss

                # the step length
                t = min(1.0, 1.0 / np.abs(flat_grad).sum()) * lr if state["n_iter"] == 1 else lr
                gtd = flat_grad.dot(d)
                if gtd > -tolerance_change:  # the directional derivative is below tolerance
                    break
                ls_func_evals = 0
                if line_search_fn is not None:
                    # A step of length 0 after the first iteration (t = lr, a Python number): torch's search divides
                    # by zero (in the first, t is a 0-d tensor, here a NumPy scalar: inf, and no step, as in torch).
                    if t == 0 and not isinstance(t, np.generic) and max_eval > current_evals:
                        raise ValueError(f"LBFGS.step: the strong-Wolfe line search cannot start from a step of "
                                         f"length 0 (lr={lr!r}); use lr > 0 (did a learning-rate scheduler bring it "
                                         f"to 0?)")
                    x_init = [p.data.copy() for p in self._params]

                    def obj_func(x, t, d):
                        return self._directional_evaluate(closure, x, t, d)

                    loss, flat_grad, t, ls_func_evals = _strong_wolfe(obj_func, x_init, t, d, loss, flat_grad, gtd,
                                                                      max_ls=max_eval - current_evals)
                    self._add_grad(t, d)
                    opt_cond = np.abs(flat_grad).max() <= tolerance_grad
                else:
                    self._add_grad(t, d)  # a step of fixed length
                    if n_iter != max_iter:  # (not re-evaluated after the last one, as in torch)
                        loss = self._loss(closure())
                        flat_grad = self._gather_flat_grad()
                        opt_cond = np.abs(flat_grad).max() <= tolerance_grad
                        ls_func_evals = 1
                current_evals += ls_func_evals
                state["func_evals"] += ls_func_evals

                if n_iter == max_iter or current_evals >= max_eval or opt_cond:
                    break
                if np.abs(d * t).max() <= tolerance_change:  # no progress
                    break
                if abs(loss - prev_loss) < tolerance_change:
                    break
        state.update(d=_held(d, held), t=t, old_dirs=None if old_dirs is None else [_held(x, held) for x in old_dirs],
                     old_stps=None if old_stps is None else [_held(x, held) for x in old_stps], ro=ro, H_diag=H_diag,
                     prev_flat_grad=_held(prev_flat_grad, held, changed=True), prev_loss=prev_loss)
        return orig_loss

    # ---- state dicts: the state's vectors are flat (Optimizer.state_dict copies its lists of them) ------------
    def load_state_dict(self, state_dict):
        """Restore a state saved by state_dict(): its vectors are checked to hold one number per parameter element,
        and cast to the parameters' dtype."""
        state = state_dict.get("state") if hasattr(state_dict, "get") else None
        if not hasattr(state, "items"):  # (the base class explains what is wrong)
            return super().load_state_dict(state_dict)
        numel = sum(p.numel() for p in self._params)
        dtype = np.result_type(*(p.dtype for p in self._params))
        restored = {}
        for key, buffers in state.items():
            if not (isinstance(key, (int, np.integer, str)) and str(key) == "0" and hasattr(buffers, "items")):
                raise ValueError(f"LBFGS.load_state_dict: LBFGS keeps its state under the first parameter (key 0), "
                                 f"as a dict; got the key {key!r} holding a {type(buffers).__name__}")
            self._refuse_foreign_state(key, buffers)
            restored = dict(buffers)
            for k, v in buffers.items():
                if k in ("d", "prev_flat_grad") and v is not None:
                    restored[k] = _state_tensor(self._vector(k, v, numel, dtype))
                elif k in ("old_dirs", "old_stps") and v is not None:
                    restored[k] = [_state_tensor(self._vector(k, x, numel, dtype)) for x in v]
                elif isinstance(v, list):
                    restored[k] = list(v)
        super().load_state_dict({**state_dict, "state": {}})
        if restored:
            self.state = defaultdict(dict, {self._params[0]: restored})

    @staticmethod
    def _vector(name, value, numel, dtype):
        value = value.data if isinstance(value, ag.Tensor) else np.asarray(value)
        if value.dtype.kind not in "biuf" or value.shape != (numel,):
            raise ValueError(f"LBFGS.load_state_dict: the state's {name!r} has shape {value.shape} and dtype "
                             f"{value.dtype}; it needs one number per parameter element, shape ({numel},)")
        return np.array(value, dtype=dtype)
