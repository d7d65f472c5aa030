"""Small checks the operations' tests share: a gradient at given values, and a result that must be a constant
Tensor equal to NumPy's (value, dtype and shape)."""
import numpy as np

import autograd_core as ag

NAN, INF = np.nan, np.inf


def gradient_at(f, values):
    """The gradient of f(x).sum() at x = values (float64), as an ndarray."""
    x = ag.tensor(np.asarray(values, dtype=np.float64), requires_grad=True)
    f(x).sum().backward()
    return x.grad.data


def assert_same_constant(out, expected):
    """out is a Tensor outside the graph holding exactly NumPy's expected result: its values, dtype and shape."""
    assert isinstance(out, ag.Tensor) and not out.requires_grad
    assert out.dtype == np.asarray(expected).dtype and out.shape == np.shape(expected)
    np.testing.assert_array_equal(out.data, expected)
