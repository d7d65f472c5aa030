"""More elementwise ufuncs of NumPy on Tensors: logaddexp, logaddexp2, cbrt, sinc, fmax and fmin.

Each forward is NumPy's own ufunc (its values, dtypes and NaN handling); each rule is PyTorch's where PyTorch has the
function: logaddexp's 1 / (1 + exp(other - self)), which is 1/2 at a tie and 0 beside an infinitely larger other;
fmax and fmin give the whole gradient to x1 at a tie and to the number beside a NaN (torch.fmax's); sinc's
derivative is 0 at 0. The rules are NumPy calls the engine records under create_graph.
"""

import numpy as np

from ..primitive import Primitive

_BROADCAST_HINT = "operands must have broadcastable shapes"


def _quiet(rule):
    """rule without NumPy's overflow and division warnings: exp(large) = inf and 1 / 0 = inf give the right
    limits (a gradient 0, or cbrt's inf at 0, as PyTorch's pow)."""
    def quiet(*args, **params):
        with np.errstate(over="ignore", divide="ignore"):
            return rule(*args, **params)
    return quiet


logaddexp = Primitive("logaddexp", np.logaddexp, (
    _quiet(lambda g, ans, x1, x2: g / (1 + np.exp(x2 - x1))),
    _quiet(lambda g, ans, x1, x2: g / (1 + np.exp(x1 - x2))),
), _BROADCAST_HINT, reads_values=((0, 1), (0, 1)), doc="""log(exp(x1) + exp(x2)), elementwise, without overflow
    (np.logaddexp). Each input's gradient is its softmax weight, 1 / (1 + exp(other - self)), as PyTorch's.

    >>> import autograd_core as ag
    >>> ag.logaddexp(ag.tensor(1000.0), 1000.0)
    Tensor(1000.69314718)
    """)

logaddexp2 = Primitive("logaddexp2", np.logaddexp2, (
    _quiet(lambda g, ans, x1, x2: g / (1 + np.exp2(x2 - x1))),
    _quiet(lambda g, ans, x1, x2: g / (1 + np.exp2(x1 - x2))),
), _BROADCAST_HINT, reads_values=((0, 1), (0, 1)), doc="""log2(2**x1 + 2**x2), elementwise, without overflow
    (np.logaddexp2); gradients 1 / (1 + 2**(other - self)), as PyTorch's.

    >>> import autograd_core as ag
    >>> ag.logaddexp2(ag.tensor(3.0), 3.0)
    Tensor(4.)
    """)

cbrt = Primitive("cbrt", np.cbrt, (_quiet(lambda g, ans, x: g / (3 * (ans * ans))),), reads_values=(("ans",),),
                 doc="""The real cube root, elementwise, negative for x < 0 (np.cbrt). Its gradient
    1 / (3 cbrt(x)**2) is inf at 0.

    >>> import autograd_core as ag
    >>> ag.cbrt(ag.tensor([-8.0, 27.0]))
    Tensor([-2.,  3.])
    """)


def _sinc_vjp(g, ans, x):
    # d/dx sin(pi x) / (pi x) = (cos(pi x) - sinc(x)) / x, and 0 at x = 0 (PyTorch's masked_fill there; the inner
    # where keeps the division finite, so the recorded rule has no NaN either)
    zero = np.asarray(x) == 0
    return g * np.where(zero, 0, (np.cos(np.pi * x) - ans) / np.where(zero, 1, x))


sinc = Primitive("sinc", np.sinc, (_sinc_vjp,), reads_values=((0, "ans"),),
                 doc="""The normalized sinc, sin(pi x) / (pi x), 1 at 0, elementwise (np.sinc, torch.sinc).

    >>> import autograd_core as ag
    >>> ag.sinc(ag.tensor([0.0, 0.5]))
    Tensor([1.        , 0.63661977])
    """)


def _x1_chosen(x1, x2, prefers):
    """Where fmax/fmin picked x1 by PyTorch's rule: x1 wins a tie, and a NaN x2 (np.fmax gives x1 then: a number, or
    NaN if both are)."""
    x1, x2 = np.asarray(x1), np.asarray(x2)
    return prefers(x1, x2) | (x2 != x2)


def _extremum_rules(prefers):
    return (lambda g, ans, x1, x2: np.where(_x1_chosen(x1, x2, prefers), g, 0),
            lambda g, ans, x1, x2: np.where(_x1_chosen(x1, x2, prefers), 0, g))


fmax = Primitive("fmax", np.fmax, _extremum_rules(np.greater_equal), _BROADCAST_HINT, reads_values=((0, 1), (0, 1)),
                 doc="""The larger of x1 and x2, elementwise, a NaN ignored beside a number (np.fmax; np.maximum
    propagates NaN). The gradient goes to the value picked: to x1 at a tie, as torch.fmax's.

    >>> import autograd_core as ag
    >>> ag.fmax(ag.tensor([1.0, float("nan")]), ag.tensor([2.0, 3.0]))
    Tensor([2., 3.])
    """)
fmin = Primitive("fmin", np.fmin, _extremum_rules(np.less_equal), _BROADCAST_HINT, reads_values=((0, 1), (0, 1)),
                 doc="""The smaller of x1 and x2, elementwise, a NaN ignored beside a number (np.fmin; np.minimum
    propagates NaN). The gradient goes to the value picked: to x1 at a tie, as torch.fmin's.

    >>> import autograd_core as ag
    >>> ag.fmin(ag.tensor([1.0, float("nan")]), ag.tensor([2.0, 3.0]))
    Tensor([1., 3.])
    """)
