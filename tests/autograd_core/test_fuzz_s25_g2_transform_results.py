"""A transform's result that depends on no Tensor outside the transform (found comparing with torch.func in session
25): with a closed-over parameter w that the output depends on but the derivative does not (f(x) = sum(x**3) +
sum(w)), ag.grad, value_and_grad, jacobian, vjp, jvp, hvp and vhp returned results that required grad, reaching
only the transform's own finished argument nodes, so a backward through them silently reached no Tensor, where
torch.func's results do not require grad and the backward raises. A result that does depend on w still carries
its gradient."""
import numpy as np
import pytest

import autograd_core as ag

X = np.array([1.0, 2.0])


def _results(w, f):
    """Each transform's differentiated result at X, for f(u) closing over w."""
    fv = lambda u: f(u) * np.ones(2)  # noqa: E731 (a vector output for jacobian, vjp, jvp)
    return {
        "grad": ag.grad(f)(X),
        "value_and_grad": ag.value_and_grad(f)(X)[1],
        "jacobian": ag.jacobian(fv)(X),
        "vjp": ag.vjp(fv, X)[1](np.ones(2))[0],
        "jvp": ag.jvp(fv, (X,), (np.ones(2),))[1],
        "hvp": ag.hvp(f, (X,), (np.ones(2),))[1][0],
        "vhp": ag.vhp(f, (X,), (np.ones(2),))[1][0],
        "hessian": ag.hessian(f)(X),
    }


NAMES = ["grad", "value_and_grad", "jacobian", "vjp", "jvp", "hvp", "vhp", "hessian"]


@pytest.mark.parametrize("name", NAMES)
def test_a_result_independent_of_the_closed_over_parameter_does_not_require_grad(name):
    w = ag.tensor([0.5, 3.0], requires_grad=True)
    result = _results(w, lambda u: (u ** 3).sum() + w.sum())[name]
    assert not result.requires_grad
    with pytest.raises(RuntimeError, match="does not require grad"):
        result.sum().backward()


@pytest.mark.parametrize("name", NAMES)
def test_a_result_that_depends_on_the_closed_over_parameter_still_carries_its_gradient(name):
    w = ag.tensor(0.5, requires_grad=True)
    result = _results(w, lambda u: (u ** 3).sum() * w)[name]
    assert result.requires_grad
    result.sum().backward()
    # Each result is w times the same result for f = sum(u**3), so d(sum)/dw is that result's sum
    expected = _results(None, lambda u: (u ** 3).sum())[name].sum()
    np.testing.assert_allclose(float(w.grad), float(expected))


def test_the_value_of_value_and_grad_still_carries_the_parameters_gradient():
    w = ag.tensor([0.5, 3.0], requires_grad=True)
    value, slope = ag.value_and_grad(lambda u: (u ** 3).sum() + w.sum())(X)
    assert value.requires_grad and not slope.requires_grad
    value.backward()
    np.testing.assert_array_equal(w.grad.data, [1.0, 1.0])


def test_nested_transforms_still_differentiate_through_the_inner_result():
    # the inner gradient depends on the outer argument: it stays recorded for the outer transform
    third = ag.grad(lambda v: ag.grad(lambda u: (u ** 3 * v).sum())(X).sum())(2.0)
    assert float(third) == 3 * (1.0 + 4.0)


def test_the_same_programs_in_torch():
    torch = pytest.importorskip("torch")
    tf = pytest.importorskip("torch.func")
    w = torch.tensor([0.5, 3.0], dtype=torch.float64, requires_grad=True)
    x = torch.tensor(X)
    g = tf.grad(lambda u: (u ** 3).sum() + w.sum())(x)
    assert not g.requires_grad
    w0 = torch.tensor(0.5, dtype=torch.float64, requires_grad=True)
    g = tf.grad(lambda u: (u ** 3).sum() * w0)(x)
    g.sum().backward()
    assert float(w0.grad) == 3 * (1.0 + 4.0)
