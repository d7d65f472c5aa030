"""LBFGS.step names the problem when the closure returns no loss (None, a forgotten `return`, or a string): it
raised float()'s bare TypeError / ValueError, which names neither LBFGS nor the closure."""
import numpy as np
import pytest

import autograd_core as ag
from nn import optim


@pytest.mark.parametrize("returned", [None, "loss"])
def test_lbfgs_step_refuses_a_closure_returning_no_loss(returned):
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    opt = optim.LBFGS([w])

    def closure():
        opt.zero_grad()
        (w * w).sum().backward()
        return returned

    with pytest.raises(TypeError, match=r"LBFGS\.step: the closure must return the loss .*got (NoneType|str)"):
        opt.step(closure)
    np.testing.assert_array_equal(w.data, [1.0, 2.0])


@pytest.mark.parametrize("as_number", [False, True])
def test_lbfgs_step_takes_a_closure_returning_a_tensor_or_a_number(as_number):
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    opt = optim.LBFGS([w], line_search_fn="strong_wolfe")

    def closure():
        opt.zero_grad()
        loss = ((w - 3.0) ** 2).sum()
        loss.backward()
        return loss.item() if as_number else loss

    first = opt.step(closure)
    assert float(first) == 5.0
    np.testing.assert_allclose(w.data, [3.0, 3.0], atol=1e-6)
