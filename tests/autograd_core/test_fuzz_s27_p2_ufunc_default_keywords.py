"""A ufunc called on Tensors with keywords at NumPy's defaults (where=True, subok=True, casting='same_kind',
order='K') runs the engine's operation, as np.sum(t, where=True) does, where it was refused as taking "no keyword
arguments"; any other value is still refused by name."""
import numpy as np
import pytest

import autograd_core as ag


@pytest.mark.parametrize("call", [
    lambda x: np.exp(x, where=True), lambda x: np.add(x, 1.0, subok=True),
    lambda x: np.multiply(x, x, casting="same_kind", order="K"), lambda x: np.sin(x, where=True, casting="same_kind"),
])
def test_default_keywords_taken(call):
    x = ag.tensor([0.5, 2.0], requires_grad=True)
    y = call(x)
    assert isinstance(y, ag.Tensor) and y.requires_grad
    np.testing.assert_allclose(y.data, call(x.data))
    y.sum().backward()
    assert x.grad is not None


@pytest.mark.parametrize("call, named", [
    (lambda x: np.exp(x, where=np.array([True, False])), "where="), (lambda x: np.exp(x, where=False), "where=False"),
    (lambda x: np.exp(x, casting="unsafe"), "casting='unsafe'"), (lambda x: np.exp(x, order="C"), "order='C'"),
    (lambda x: np.exp(x, where=1), "where=1"),
])
def test_other_values_refused_by_name(call, named):
    with pytest.raises(TypeError, match=f"np.exp on Tensors takes no keyword arguments; got {named}"):
        call(ag.tensor([0.5, 2.0], requires_grad=True))
