"""The NumPy functions added as Tensor methods: each is its ag function (tested by its family's tables), called with
the Tensor first, and gives what NumPy gives for the array (ndarray's method where it has one)."""
import numpy as np
import pytest

import autograd_core as ag

X = np.array([[1.25, -2.5, 3.0], [0.5, 4.75, -6.0]])

CALLS = [  # (method, arguments, NumPy's answer)
    ("ravel", (), X.ravel()), ("diagonal", (), X.diagonal()), ("trace", (1,), X.trace(1)),
    ("cumprod", (1,), X.cumprod(1)), ("round", (1,), X.round(1)), ("take", ([0, 5],), X.take([0, 5])),
    ("argsort", (), X.argsort()), ("floor", (), np.floor(X)), ("ceil", (), np.ceil(X)), ("trunc", (), np.trunc(X)),
    ("roll", (1, 1), np.roll(X, 1, 1)), ("tile", ((2, 1),), np.tile(X, (2, 1))), ("moveaxis", (0, 1), X.T),
    ("movedim", (0, 1), X.T), ("diff", (), np.diff(X)), ("nansum", (0,), np.nansum(X, 0)),
    ("nanmean", (1,), np.nanmean(X, 1)), ("fmax", (1.0,), np.fmax(X, 1.0)), ("fmin", (1.0,), np.fmin(X, 1.0)),
    ("logaddexp", (0.5,), np.logaddexp(X, 0.5)), ("sinc", (), np.sinc(X)), ("cbrt", (), np.cbrt(X)),
    ("deg2rad", (), np.deg2rad(X)), ("rad2deg", (), np.rad2deg(X)),
]


@pytest.mark.parametrize("name, args, expected", CALLS, ids=[c[0] for c in CALLS])
def test_numpy_function_methods_give_numpys_values_and_a_gradient(name, args, expected):
    t = ag.tensor(X, requires_grad=True)
    out = getattr(t, name)(*args)
    np.testing.assert_allclose(out.data, expected, rtol=1e-15)
    assert out.shape == expected.shape and out.dtype == expected.dtype
    if name != "argsort":  # (indices: no gradient)
        out.sum().backward()
        assert t.grad.shape == X.shape


def test_methods_whose_pytorch_meaning_differs_from_numpys_are_not_added():
    # PyTorch's t.repeat is np.tile, and its t.sort and t.median return indices too: neither meaning is guessed
    t = ag.tensor(X)
    for name in ("repeat", "sort", "median"):
        assert not hasattr(t, name)
