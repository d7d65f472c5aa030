"""The Jacobian transforms: jacobian (and JAX's names for it, jacrev and jacfwd) and hessian, the Jacobian of the
Jacobian, in reverse mode: one backward pass per output element. They take arguments, argnums, structures and has_aux
as the other transforms (transforms.py) do, whose helpers they use."""
import functools

import numpy as np

from ._arguments import as_flag
from .tensor import Tensor
from .transforms import (_argnums_tuple, _call, _cut_inside, _finish, _function, _gradients, _needs_graph,
                         _returned)


def _jacobians(out, nodes):
    """The Jacobian of out with respect to each node: one backward pass per output element, for all
    nodes at once (so each argument counts as inside the transform, and no graph is recorded for it)."""
    from .ops import reshape, stack

    rows = [[] for _ in nodes]
    nested = _needs_graph(out, nodes)
    flat = out.size
    for k in range(flat):
        seed = np.zeros(flat, dtype=out.dtype)
        seed[k] = 1
        for node_rows, row in zip(rows, _gradients(out, nodes, nested, seed.reshape(out.shape), retain=True)):
            node_rows.append(row)
    return [reshape(stack(node_rows), out.shape + node.shape) if node_rows
            else _zero_jacobian(out, node) for node_rows, node in zip(rows, nodes)]


def _zero_jacobian(out, node):
    """The Jacobian of an output that does not depend on node: zeros in node's dtype, as a gradient's (and
    torch.func.jacrev's)."""
    return Tensor(np.zeros(out.shape + node.shape, dtype=node.dtype))


def jacobian(f, argnums=0, has_aux=False):
    """Return a function computing the Jacobian of f, of shape out.shape + input.shape; for a structured argument
    (a dict of arrays), one such Jacobian per leaf in its structure, and for f returning a structure (a tuple or dict
    of Tensors), one such result per output leaf, in the output's structure, as jax.jacrev. With has_aux=True, as
    jax.jacrev and torch.func.jacrev, f returns (output, aux) and the function (Jacobian, aux), aux undifferentiated.

    >>> import numpy as np, autograd_core as ag
    >>> ag.jacobian(lambda x: x * 2)(np.ones(2))
    Tensor([[2., 0.],
            [0., 2.]])
    >>> ag.jacobian(lambda x: (x * 2, x.sum()), has_aux=True)(np.ones(2))[1]
    Tensor(2.)
    """
    return _jacobian(f, argnums, "jacobian", has_aux=has_aux)


def jacrev(f, argnums=0, has_aux=False):
    """JAX's jacrev (and torch.func's): ag.jacobian, its errors naming jacrev.

    >>> import numpy as np, autograd_core as ag
    >>> ag.jacrev(lambda x: x ** 2)(np.array([1.0, 2.0]))
    Tensor([[2., 0.],
            [0., 4.]])
    """
    return _jacobian(f, argnums, "jacrev", has_aux=has_aux)


def jacfwd(f, argnums=0, has_aux=False):
    """JAX's jacfwd, for code ported from it (hessian = jacfwd(jacrev(f))): the same Jacobian as ag.jacobian,
    also computed in reverse mode (one backward pass per output element; jvp here is itself a transposed vjp),
    so it is JAX's value, not JAX's cost for a tall Jacobian.

    >>> import numpy as np, autograd_core as ag
    >>> ag.jacfwd(ag.jacrev(lambda x: (x ** 3).sum()))(np.array([1.0, 2.0]))
    Tensor([[ 6.,  0.],
            [ 0., 12.]])
    """
    return _jacobian(f, argnums, "jacfwd", has_aux=has_aux)


def _jacobian(f, argnums, name, output_dtypes=False, has_aux=False):
    """jacobian, its errors naming the transform called (jacobian or hessian); output_dtypes: each block in its
    output leaf's dtype, as a forward-mode Jacobian's (hessian's outer one, as jax.hessian's jacfwd), not in its
    argument's (jacrev's); has_aux: f returns (output, aux), and the function (Jacobian, aux)."""
    nums = _argnums_tuple(argnums, name)
    has_aux = as_flag(has_aux, name, "has_aux")
    _function(f, name)

    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        output, nodes, aux, regroup = _call(f, args, kwargs, nums, name, has_aux, outputs=True)
        aux = _returned(aux, nodes) if has_aux else None
        out = output.joined
        if not out.requires_grad:
            jacs = [_zero_jacobian(out, n) for n in nodes]
        else:
            jacs = _cut_inside(_jacobians(out, nodes), nodes)
        _finish(nodes)
        per_node = [output.pieces(jac, node.shape, output_dtypes) for jac, node in zip(jacs, nodes)]
        per_leaf = [regroup([pieces[k] for pieces in per_node]) for k in range(len(output.leaves))]
        jacobians = output.unflatten([blocks[0] if not isinstance(argnums, (tuple, list)) else tuple(blocks)
                                      for blocks in per_leaf])
        return (jacobians, aux) if has_aux else jacobians

    return wrapper


def hessian(f, argnums=0):
    """Return a function computing the Hessian of f, the Jacobian of its Jacobian: of shape
    out.shape + input.shape + input.shape (for scalar f, the Jacobian of its gradient), as in JAX. For several
    argnums, block [i][j] is d2f/dargs[i] dargs[j]; for a structured argument (a dict of parameters), [k1][k2] is the
    block of leaves k1 and k2, as jax.hessian's.

    >>> import numpy as np, autograd_core as ag
    >>> A = np.array([[1.0, 2.0], [0.0, 3.0]])
    >>> ag.hessian(lambda x: x @ A @ x)(np.ones(2))
    Tensor([[2., 2.],
            [2., 6.]])
    >>> ag.hessian(lambda p: p["a"] ** 2 * p["b"])({"a": 1.0, "b": 3.0})["a"]
    {'a': Tensor(6.), 'b': Tensor(2.)}
    """
    # The inner Jacobians (one per argument leaf) are the outer one's structured output: joined into one vector, so
    # that one outer Jacobian gives every block. The join promotes a float32 argument's gradient beside a float64
    # one: block [i][j] takes its inner Jacobian's dtype (argument i's), as jax.hessian's and torch.func.hessian's
    # (jacfwd of jacrev) do.
    return _jacobian(_jacobian(_function(f, "hessian"), argnums, "hessian"), argnums, "hessian", output_dtypes=True)
