"""np.full_like, np.zeros_like and np.ones_like on Tensors take NumPy's argument name a= (they were refused, the
engine's functions naming it x)."""
import numpy as np
import pytest

import autograd_core as ag


@pytest.mark.parametrize("name, extra", [("full_like", {"fill_value": 2.5}), ("zeros_like", {}), ("ones_like", {})])
def test_numpy_argument_names(name, extra):
    x = np.arange(3.0, dtype=np.float32)
    expected = getattr(np, name)(a=x, shape=(2, 3), **extra)
    got = getattr(np, name)(a=ag.tensor(x), shape=(2, 3), **extra)
    assert isinstance(got, ag.Tensor) and got.dtype == expected.dtype
    np.testing.assert_array_equal(got.data, expected)


def test_full_like_keeps_a_fill_that_requires_grad():
    w = ag.tensor(2.0, requires_grad=True)
    out = np.full_like(a=ag.ones(3), fill_value=w)
    out.sum().backward()
    assert float(w.grad) == 3.0
