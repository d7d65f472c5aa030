"""Hessian-vector products of a scalar function, in the style of jvp: hvp (H @ v) and vhp (v @ H), as
torch.autograd.functional.hvp and vhp, without building the Hessian.

vhp is one vjp of the gradient: d/dx [grad f(x) . v], two backward passes. hvp is a jvp of the gradient by the
double-vjp trick, three passes: it is H @ v even where a rule makes H unsymmetric (at a kink), as torch's hvp.
Both nest as the other transforms do (a result stays differentiable when an enclosing transform needs it), and take
structured primals as they do (a dict of parameters, its tangent a dict of the same keys).
"""
import numpy as np

from .backprop import gradients_to
from .grad_mode import enable_grad
from .tensor import Tensor, as_value
from .transforms import (_call, _cut_inside, _dot, _finish, _function, _is_structure, _needs_graph, _primal,
                         _recorded_for_caller, checked_tangents)


def hvp(f, primals, tangents=None):
    """Hessian-vector product of scalar f: (f(*primals), H @ tangents), one entry of H @ v per primal, as
    torch.autograd.functional.hvp. primals and tangents are tuples (one entry per argument of f, as jvp's); a
    single Tensor, array or number for each gives a single result. A primal may be a structure (a dict of arrays),
    its tangent and result then of its structure. tangents may be left out (None) for a single primal of one
    element, as torch's v: then it is 1.

    >>> import numpy as np, autograd_core as ag
    >>> A = np.array([[1.0, 2.0], [0.0, 3.0]])
    >>> out, hv = ag.hvp(lambda x: x @ A @ x, (np.ones(2),), (np.array([1.0, 0.0]),))
    >>> float(out), hv
    (6.0, (Tensor([2., 2.]),))
    """
    return _hessian_product(f, primals, tangents, "hvp")


def vhp(f, primals, tangents=None):
    """Vector-Hessian product of scalar f: (f(*primals), tangents @ H), one entry per primal, as
    torch.autograd.functional.vhp (equal to hvp for a twice continuously differentiable f, and cheaper).

    >>> import numpy as np, autograd_core as ag
    >>> A = np.array([[1.0, 2.0], [0.0, 3.0]])
    >>> out, vh = ag.vhp(lambda x: x @ A @ x, np.ones(2), np.array([1.0, 0.0]))
    >>> vh
    Tensor([2., 2.])
    """
    return _hessian_product(f, primals, tangents, "vhp")


def _pairs(primals, tangents, name):
    """(primals, tangents) as tuples, and whether the caller gave single values (then a single result)."""
    single = not isinstance(primals, (tuple, list))
    if tangents is None:  # as torch.autograd.functional's: v may be left out for a single input of one element
        primal = primals if single else primals[0] if len(primals) == 1 else None
        try:
            value = None if primal is None or _is_structure(primal) else np.asarray(as_value(primal))
        except ValueError:  # a ragged list: no one element
            value = None
        if value is None or value.size != 1:
            raise TypeError(f"{name}: tangents may be None only for a single primal of one element (then v is 1, as "
                            f"in torch.autograd.functional.{name}); give one tangent of its primal's shape per primal")
        tangents = np.ones(value.shape, dtype=value.dtype if value.dtype.kind == "f" else np.float64)
        tangents = tangents if single else (tangents,)
    if single != (not isinstance(tangents, (tuple, list))):
        raise TypeError(f"{name}: primals and tangents must both be tuples (one entry per argument of f) or both "
                        f"single values, got {type(primals).__name__} and {type(tangents).__name__}; e.g. "
                        f"ag.{name}(f, (x,), (v,))")
    primals, tangents = checked_tangents((primals,) if single else primals, (tangents,) if single else tangents, name,
                                         f"as jvp's and JAX's (torch.autograd.functional.{name} casts integers)")
    if not primals:
        raise ValueError(f"{name}: no primals given; give at least one argument of f to differentiate")
    return primals, tangents, single


def _hessian_product(f, primals, tangents, name):
    primals, tangents, single = _pairs(primals, tangents, name)  # (tangents: one per node)
    out, nodes, _, regroup = _call(_function(f, name), primals, {}, tuple(range(len(primals))), name)
    if out.size != 1:
        raise TypeError(f"{name}: f must return a scalar (one element), got shape {out.shape}; a Hessian product "
                        f"needs a scalar function (reduce the output, e.g. .sum())")
    nested = _needs_graph(out, nodes)
    value = _primal(out, nested)
    nested = nested or any(_recorded_for_caller(t) for t in tangents)  # tangents from an enclosing transform
    results, own = [None] * len(nodes), list(nodes)
    if out.requires_grad:
        with enable_grad():
            grads = gradients_to(out, nodes, retain_graph=True, create_graph=True, where=name)
            if name == "vhp":  # v @ H = d/dx [grad f . v]
                total, wanted = _dot(grads, tangents), nodes
            else:  # H @ v = d/du [v . (u @ J_grad)], u a dummy cotangent (linear in u)
                dummies = [Tensor(np.zeros(n.shape, dtype=n.dtype), requires_grad=True) for n in nodes]
                own += dummies
                inner = _dot([g if g is not None and g.requires_grad else None for g in grads], dummies)
                total, wanted = None, dummies
                if inner is not None:
                    transposed = gradients_to(inner, nodes, retain_graph=True, create_graph=True, where=name)
                    total = _dot(transposed, tangents)
        if total is not None and total.requires_grad:
            results = gradients_to(total, wanted, retain_graph=nested, create_graph=nested, where=name)
            if nested:
                results = _cut_inside(results, own)
    _finish(nodes)
    results = regroup([Tensor(np.zeros(n.shape, dtype=n.dtype)) if r is None else r for r, n in zip(results, nodes)])
    return value, results[0] if single else tuple(results)
