"""ag.Function's arrays (autograd_core/function.py): its inputs, its output and the gradients its backward returns
stay apart, as PyTorch's: a forward that changes an input in place is refused and the input kept, an output that is an
input gets memory of its own, accumulating into .grad never changes a value a backward handed back, and a failing
forward leaves its inputs writable."""
import numpy as np
import pytest

import autograd_core as ag


class AddOneInPlace(ag.Function):
    """forward changes its input array in place (as `a.add_(1)` in a torch.autograd.Function)."""

    @staticmethod
    def forward(ctx, a):
        a += 1.0
        return a * 2

    @staticmethod
    def backward(ctx, grad_output):
        return 2 * grad_output


@pytest.mark.parametrize("requires_grad", [True, False], ids=["input", "constant"])
def test_a_forward_that_changes_its_input_in_place_is_refused_and_the_input_kept(requires_grad):
    # A graph that saved the input would read the changed value without counting the change (PyTorch counts it).
    x = ag.tensor([1.0, 2.0], requires_grad=requires_grad)
    w = ag.tensor([1.0, 1.0], requires_grad=True)
    y = (w * x).sum()
    with pytest.raises(RuntimeError, match=r"^AddOneInPlace.forward changed an input in place \(.*read-only\), which "
                                           r"graphs that saved it would not see; compute a new array instead"):
        AddOneInPlace.apply(x)
    np.testing.assert_array_equal(x.data, [1.0, 2.0])
    y.backward()
    np.testing.assert_array_equal(w.grad.data, [1.0, 2.0])
    with ag.no_grad():
        x[0] = 5.0  # writable again once forward has run
    assert x.data[0] == 5.0


class DotReturningSavedWeight(ag.Function):
    """x . w; its backward hands back the saved w as x's gradient (grad_output is 1 for a scalar loss)."""

    @staticmethod
    def forward(ctx, x, w):
        ctx.save_for_backward(x, w)
        return np.dot(x, w)

    @staticmethod
    def backward(ctx, grad_output):
        x, w = ctx.saved_tensors
        return w, None


def test_accumulating_into_grad_never_changes_the_value_a_backward_handed_back_as_pytorch():
    x, w = ag.tensor([1.0, 2.0], requires_grad=True), ag.tensor([3.0, 4.0])
    DotReturningSavedWeight.apply(x, w).backward()
    DotReturningSavedWeight.apply(x, w).backward()
    np.testing.assert_array_equal(x.grad.data, [6.0, 8.0])  # w + w, added into .grad
    np.testing.assert_array_equal(w.data, [3.0, 4.0])  # and w itself untouched
    torch = pytest.importorskip("torch")

    class DotT(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x, w):
            ctx.save_for_backward(x, w)
            return torch.dot(x, w)

        @staticmethod
        def backward(ctx, grad_output):
            return ctx.saved_tensors[1], None

    xt, wt = torch.tensor([1.0, 2.0], requires_grad=True), torch.tensor([3.0, 4.0])
    DotT.apply(xt, wt).backward()
    DotT.apply(xt, wt).backward()
    np.testing.assert_array_equal(x.grad.data, xt.grad.numpy())
    np.testing.assert_array_equal(w.data, wt.numpy())


class Identity(ag.Function):
    @staticmethod
    def forward(ctx, x):
        return x  # its input as it is (or a view: x[::1]) gets memory of its own

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output


def test_a_functions_output_that_is_its_input_has_memory_of_its_own():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    z = (x * x).sum()  # saves x = [1, 2]
    with ag.no_grad():
        y = Identity.apply(x)
        y += 1.0
    np.testing.assert_array_equal(x.data, [1.0, 2.0])
    z.backward()
    np.testing.assert_array_equal(x.grad.data, [2.0, 4.0])


class ReshapeToFive(ag.Function):
    @staticmethod
    def forward(ctx, x):
        return np.reshape(x, (5,))  # a ValueError of NumPy's for any input but one of 5 elements

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output


def test_a_value_error_in_forward_that_is_not_an_in_place_change_stays_a_value_error():
    with pytest.raises(ValueError, match="cannot reshape"):
        ReshapeToFive.apply(ag.tensor([1.0, 2.0], requires_grad=True))


class AddTwo(ag.Function):
    @staticmethod
    def forward(ctx, a, b):
        return a + b

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output, grad_output


def test_function_takes_a_view_of_another_input_before_it():
    a = ag.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    y = AddTwo.apply(a.T, a)  # a.T's array is a view of a's
    np.testing.assert_array_equal(y.data, a.data.T + a.data)
    y.sum().backward()
    np.testing.assert_array_equal(a.grad.data, np.full((2, 2), 2.0))


def test_function_leaves_its_inputs_writable_even_when_it_fails():
    a = ag.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    try:
        AddTwo.apply(a.T, a)
    except Exception:
        pass
    assert a.data.flags.writeable  # the leaf's array is the user's: it must not stay locked


def test_function_backward_returning_complex_is_described_by_its_dtype():
    class Twice(ag.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g + 0j

    x = ag.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(TypeError, match="complex"):  # (it said "returned a ndarray as the gradient")
        Twice.apply(x).sum().backward()
