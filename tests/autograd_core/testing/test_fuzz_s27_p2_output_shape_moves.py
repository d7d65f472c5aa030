"""An f whose output shape changes when an input moves by eps (a mask x[x > 0] near 0): numerical_grad returned
finite differences of outputs broadcast against each other (-2e6 for a slope of 2) or raised NumPy's "could not
broadcast"; gradcheck blamed the engine with that number; gradgradcheck raised the engine's "gradient has shape (2,)
but the output has shape (1,)". Each now names the change."""
import numpy as np
import pytest

from autograd_core.testing import gradcheck, gradgradcheck, numerical_grad

X = np.array([1e-7, 2.0, -1.0])  # X[0] - eps < 0 < X[0] + eps


def masked(t):
    return t[t.data > 0] * 2


@pytest.mark.parametrize("call, name", [
    (lambda: numerical_grad(masked, X, cotangent=np.ones(2)), "numerical_grad"),
    (lambda: numerical_grad(lambda t: masked(t).sum() * masked(t), X[:1]), "numerical_grad"),
    (lambda: gradcheck(masked, X), "gradcheck"),
    (lambda: gradcheck(masked, X, raise_exception=False), "gradcheck"),
])
def test_output_size_changing_with_eps_is_named(call, name):
    with pytest.raises(ValueError, match=rf"{name}: f's output has \d element\(s\), but \d with input 0 at index "
                                         rf"\(0,\) moved by eps=1e-06; finite differences need an output whose shape"):
        call()


def test_gradgradcheck_names_it_too():
    with pytest.raises(ValueError, match=r"gradgradcheck: f's outputs have shapes \[\(2,\)\] at the inputs given, "
                                         r"but \[\(1,\)\] with an input moved by eps=1e-06"):
        gradgradcheck(lambda t: masked(t) ** 3, X)


def test_masks_away_from_the_crossing_still_check():
    x = np.array([0.5, -1.0, 2.0])
    assert gradcheck(masked, x) and gradgradcheck(lambda t: masked(t) ** 3, x)
    (g,) = numerical_grad(masked, x, cotangent=np.ones(2))
    np.testing.assert_allclose(g, [2.0, 0.0, 2.0], atol=1e-6)
