"""backward's gradient= and a hook's result given as a list holding Tensors that require grad: made an array, those
Tensors would silently leave the graph a create_graph pass records (found in session 25 by fuzzing arguments that
hold graphs). Refused, as the operations refuse such lists; a stacked Tensor is taken and differentiated."""
import numpy as np
import pytest

import autograd_core as ag


def _pair():
    return ag.tensor([1.0, 2.0], requires_grad=True), ag.tensor(3.0, requires_grad=True)


def test_backward_refuses_a_gradient_list_holding_tensors_that_require_grad():
    x, v = _pair()
    with pytest.raises(TypeError, match="backward: gradient is a list holding Tensors that require grad"):
        (x * 2).backward(gradient=[v, v], create_graph=True)


def test_backward_takes_the_stacked_gradient_and_records_it():
    x, v = _pair()
    (x * 2).backward(gradient=ag.stack([v, v]), create_graph=True)
    x.grad.sum().backward()
    assert float(v.grad) == 4.0  # d/dv of sum(2 * [v, v])


def test_backward_still_takes_a_list_of_numbers():
    x, _ = _pair()
    (x * 2).backward(gradient=[1.0, 0.5])
    np.testing.assert_array_equal(x.grad.data, [2.0, 1.0])


def test_a_hook_returning_a_list_holding_tensors_that_require_grad_is_refused():
    x, v = _pair()
    y = x * 2
    y.register_hook(lambda g: [g[0] * v, g[1] * v])
    with pytest.raises(TypeError, match="register_hook: the hook '<lambda>' returned a list holding Tensors"):
        y.sum().backward(create_graph=True)
