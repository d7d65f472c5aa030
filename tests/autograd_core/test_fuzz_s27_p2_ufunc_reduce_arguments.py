"""np.add.reduce (and multiply, maximum, minimum) on Tensors with where=True, NumPy's default, runs the engine's
reduction, as np.sum(t, where=True) does, where it was refused as "np.add.reduce is not supported"; an argument it
cannot take (dtype=, initial=, where= a mask) is named in the refusal."""
import numpy as np
import pytest

import autograd_core as ag


def _leaf():
    return ag.tensor([[1.0, -2.0, 3.0], [4.0, 5.0, -6.0]], requires_grad=True)


@pytest.mark.parametrize("ufunc, op", [(np.add, ag.sum), (np.multiply, ag.prod), (np.maximum, ag.max),
                                       (np.minimum, ag.min)])
def test_where_true_is_the_default(ufunc, op):
    x = _leaf()
    y = ufunc.reduce(x, axis=1, where=True)
    assert y.requires_grad
    np.testing.assert_allclose(y.data, ufunc.reduce(x.data, axis=1))
    y.sum().backward()
    g = x.grad.data.copy()
    x.grad = None
    op(x, axis=1).sum().backward()
    np.testing.assert_allclose(g, x.grad.data)


@pytest.mark.parametrize("call, named", [
    (lambda t: np.add.reduce(t, dtype=np.float32), r"np.add.reduce with dtype= "),
    (lambda t: np.maximum.reduce(t, initial=0.0), r"np.maximum.reduce with initial= "),
    (lambda t: np.add.reduce(t, where=np.array([True, False, True])), r"np.add.reduce with where= "),
    (lambda t: np.minimum.reduce(t, axis=0, initial=9.0, where=np.array([True, False, True])),
     r"np.minimum.reduce with initial=, where= "),
])
def test_unsupported_arguments_named(call, named):
    with pytest.raises(TypeError, match=named + r"is not supported on autograd_core Tensors; it takes axis= and "
                                                r"keepdims=") as caught:
        call(_leaf())
    assert ("cast with t.astype(dtype) first" in str(caught.value)) == ("dtype=" in named)
