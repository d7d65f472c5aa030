"""Higher derivatives through user-defined primitives (autograd_core/function.py, ag.Function): second derivatives
through the values forward saved (inputs and outputs, found by identity however they are read or viewed), create_graph
and transforms through a Function leaving no cycle, a backward written for arrays recorded for a higher derivative,
and a gradient computed outside the graph refused when differentiated again (PyTorch's once_differentiable)."""
import math

import numpy as np
import pytest

import autograd_core as ag
from autograd_core.backprop import gradients_to
from conftest import Cube
from test_function import Exp, WeightedSum


def test_second_derivatives_through_saved_inputs_and_outputs():
    from autograd_core.testing import gradgradcheck

    np.testing.assert_allclose(float(ag.grad(ag.grad(Cube.apply))(2.0)), 12.0)
    np.testing.assert_allclose(float(ag.grad(ag.grad(ag.grad(Exp.apply)))(0.5)), np.exp(0.5))
    assert gradgradcheck(lambda x: Cube.apply(x) * ag.sin(x), np.array([0.3, -1.2]))
    assert gradgradcheck(lambda a, b: WeightedSum.apply(a, b, np.array([2.0, 3.0])) ** 2,
                         np.array([0.3, -1.2]), np.array([0.5, 0.1]))


class NumpyOnlyReLU(ag.Function):
    """A backward written for ndarrays only (a copy and item assignment)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.maximum(x, 0)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        grad = grad_output.copy()
        grad[x < 0] = 0
        return grad


def test_a_backward_written_with_copy_and_item_assignment_is_recorded_for_a_higher_derivative_as_torchs():
    x = ag.tensor([-1.0, 2.0], requires_grad=True)
    NumpyOnlyReLU.apply(x).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [0.0, 1.0])
    # where grad_output itself requires grad (a second derivative), grad[x < 0] = 0 is recorded, as torch's
    # index_put_ on a clone: d/dx of 2 relu(x) relu'(x) is 2 relu'(x)
    x.grad = None
    (first,) = ag.autograd.grad((NumpyOnlyReLU.apply(x) ** 2).sum(), x, create_graph=True)
    np.testing.assert_array_equal(first.data, [0.0, 4.0])
    first.sum().backward()
    np.testing.assert_array_equal(x.grad.data, [0.0, 2.0])


class CubeFromData(Cube):
    """Cube with a backward computed from .data: right once, not differentiable again."""

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return 3 * np.asarray(x) ** 2 * np.asarray(grad_output)


@pytest.mark.parametrize("differentiate_twice", [
    lambda x: ag.jvp(CubeFromData.apply, (x,), (np.ones(2),)),
    lambda x: ag.hessian(lambda t: CubeFromData.apply(t).sum())(x),
    lambda x: ag.grad(lambda t: ag.grad(lambda u: CubeFromData.apply(u).sum())(t).sum())(x),
], ids=["jvp", "hessian", "grad of grad"])
def test_a_gradient_computed_outside_the_graph_refuses_to_be_differentiated_again(differentiate_twice):
    """As PyTorch's once_differentiable: an error, where 0 (the derivative of a constant) would be silently wrong."""
    x = np.array([1.0, 2.0])
    np.testing.assert_allclose(ag.grad(lambda t: CubeFromData.apply(t).sum())(x).data, 3 * x ** 2)  # once: right
    with pytest.raises(RuntimeError, match=r"CubeFromData.backward returned an array, not a Tensor, while it was "
                                           r"recorded .* cannot be differentiated again"):
        differentiate_twice(x)
    leaf = ag.tensor(x, requires_grad=True)  # create_graph alone, differentiated no further, still works
    CubeFromData.apply(leaf).sum().backward(create_graph=True)
    np.testing.assert_allclose(leaf.grad.data, 3 * x ** 2)


def test_create_graph_through_a_function_leaves_no_cycle():
    import gc
    import weakref

    was = gc.isenabled()
    gc.disable()
    try:
        x = ag.tensor([0.5, 1.0], requires_grad=True)
        y = Exp.apply(x * 2)
        (g,) = [ag.backprop(y.sum(), create_graph=True)[x]]
        refs = [weakref.ref(n) for n in ag.topological_order(g) if not n.is_leaf]
        refs.append(weakref.ref(y))
        np.testing.assert_allclose(g.data, 2 * np.exp(x.data * 2))
        del y, g
        assert [r().op_name for r in refs if r() is not None] == []
    finally:
        if was:
            gc.enable()


class ExpMul(ag.Function):
    """exp(x * y), its backward reading the saved output."""

    @staticmethod
    def forward(ctx, x, y):
        out = np.exp(x * y)
        ctx.save_for_backward(x, y, out)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        x, y, out = ctx.saved_tensors
        return grad_output * out * y, grad_output * out * x


def test_a_transform_asking_for_some_inputs_only_leaves_no_cycle_and_no_stale_gradients():
    """ag.grad with respect to x, through a Function whose other input w requires grad too: the pass never asks
    for w's gradient, so the gradients backward gave for both must be dropped after the node all the same."""
    import gc
    import weakref

    was = gc.isenabled()
    gc.disable()
    try:
        w = ag.tensor([0.3, 0.4], requires_grad=True)
        refs = []

        def f(x):
            out = ExpMul.apply(x, w)
            refs.append(weakref.ref(out))
            return out.sum()

        x = np.array([1.0, 2.0])
        for _ in range(2):
            np.testing.assert_allclose(ag.grad(f)(x).data, w.data * np.exp(x * w.data))
        assert [r() for r in refs] == [None, None]
        out = ExpMul.apply(ag.tensor(x, requires_grad=True), w)  # one graph, the same cotangent array twice
        cotangent = np.ones(2)
        first = gradients_to(out, [out._parents[0]], cotangent, retain_graph=True)[0].data.copy()
        cotangent[:] = 10
        second = gradients_to(out, [out._parents[0]], cotangent, retain_graph=True)[0].data
        np.testing.assert_allclose(second, 10 * first)
    finally:
        if was:
            gc.enable()


# ---- higher derivatives through the values forward saved, found by identity ----------------------------
@pytest.mark.parametrize("after", [
    lambda y: y.reshape(1).sum(),   # a view of the output
    lambda y: y[()] * 1.0,          # basic indexing, also a view
])
def test_second_derivative_of_a_function_saving_its_output_survives_a_view_of_the_output(after):
    d2 = ag.grad(ag.grad(lambda x: after(Exp.apply(x))))
    np.testing.assert_allclose(float(d2(1.0)), math.e, rtol=1e-12)  # (e**x)'' = e**x


@pytest.mark.parametrize("read", [float, lambda y: y.item(), repr, lambda y: y.data, np.asarray])
def test_second_derivative_of_a_function_saving_its_output_does_not_depend_on_reading_the_output(read):
    def f(x):
        y = Exp.apply(x)
        read(y)  # logging the value, say
        return y

    np.testing.assert_allclose(float(ag.grad(ag.grad(f))(1.0)), math.e, rtol=1e-12)


def test_second_derivative_of_a_function_saving_its_input_does_not_depend_on_reading_the_input():
    def f(x):
        h = ag.exp(x)  # a 0-d result: NumPy computes a scalar, which forward gets and saves
        y = Cube.apply(h)
        h.data  # reading it makes the node's value a 0-d array
        return y

    np.testing.assert_allclose(float(ag.grad(ag.grad(f))(0.5)), 9 * math.exp(1.5), rtol=1e-12)  # (e**3x)''
