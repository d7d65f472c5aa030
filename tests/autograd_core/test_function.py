"""User-defined primitives (autograd_core/function.py): ag.Function. Higher derivatives through one:
test_function_higher_order.py (and here, beside Exp, the one against PyTorch's after reading the output)."""
import numpy as np
import pytest

import autograd_core as ag
from autograd_core.testing import gradcheck
from conftest import Cube


class WeightedSum(ag.Function):
    """a * w + b: two differentiable inputs and a constant one."""

    @staticmethod
    def forward(ctx, a, b, w):
        ctx.save_for_backward(w)
        return a * w + b

    @staticmethod
    def backward(ctx, grad_output):
        (w,) = ctx.saved_tensors
        return grad_output * w, grad_output, None


def test_function_forward_and_backward():
    x = ag.tensor([1.0, -2.0], requires_grad=True)
    y = Cube.apply(x)
    assert isinstance(y, ag.Tensor) and y.op_name == "Cube"
    np.testing.assert_array_equal(y.data, [1.0, -8.0])
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.data, [3.0, 12.0])


def test_function_gradients_pass_gradcheck_and_compose():
    assert gradcheck(lambda x: ag.sin(Cube.apply(x * 2)).sum(), np.array([0.3, -0.5]))


def test_function_with_several_inputs_and_none_gradient():
    a = ag.tensor([1.0, 2.0], requires_grad=True)
    b = ag.tensor([0.5, 0.5], requires_grad=True)
    w = ag.tensor([3.0, 4.0])
    (WeightedSum.apply(a, b, w) * ag.tensor([1.0, 10.0])).sum().backward()
    np.testing.assert_array_equal(a.grad.data, [3.0, 40.0])
    np.testing.assert_array_equal(b.grad.data, [1.0, 10.0])


@pytest.mark.parametrize("create_graph", [False, True])
def test_function_backward_runs_once_per_pass(create_graph):
    calls = []

    class Counted(ag.Function):
        @staticmethod
        def forward(ctx, x, y):
            return x * y

        @staticmethod
        def backward(ctx, grad_output):
            calls.append(1)
            return grad_output, grad_output

    x = ag.tensor(1.0, requires_grad=True)
    y = ag.tensor(2.0, requires_grad=True)
    Counted.apply(x, y).backward(create_graph=create_graph)
    assert len(calls) == 1


def test_wrong_number_of_gradients_is_a_clear_error():
    class TooFew(ag.Function):
        @staticmethod
        def forward(ctx, x, y):
            return x + y

        @staticmethod
        def backward(ctx, grad_output):
            return grad_output

    out = TooFew.apply(ag.tensor(1.0, requires_grad=True), ag.tensor(2.0, requires_grad=True))
    with pytest.raises(RuntimeError, match=r"TooFew.backward returned 1 gradient\(s\) but forward took 2 input"):
        out.backward()


def test_gradient_of_wrong_shape_is_a_clear_error():
    class BadShape(ag.Function):
        @staticmethod
        def forward(ctx, x):
            return x.sum()

        @staticmethod
        def backward(ctx, grad_output):
            return np.ones(5)

    out = BadShape.apply(ag.tensor([1.0, 2.0], requires_grad=True))
    with pytest.raises(RuntimeError, match=r"BadShape.backward.*shape \(5,\) for input 0.*shape \(2,\)"):
        out.backward()


@pytest.mark.parametrize("result", ["nope", None, np.array(["a"])])
def test_forward_returning_a_non_array_is_a_clear_error(result):
    class BadForward(ag.Function):
        @staticmethod
        def forward(ctx, x):
            return result

        @staticmethod
        def backward(ctx, grad_output):
            return grad_output

    with pytest.raises(TypeError, match="BadForward.forward must return an ndarray"):
        BadForward.apply(ag.tensor(1.0, requires_grad=True))


def test_forward_may_return_a_tensor_computed_with_the_engine():
    class Exp2(ag.Function):
        @staticmethod
        def forward(ctx, x):
            out = ag.exp(x * 2)  # a Tensor (forward runs under no_grad)
            ctx.save_for_backward(out.data)
            return out

        @staticmethod
        def backward(ctx, grad_output):
            (out,) = ctx.saved_tensors
            return 2 * out * grad_output

    x = ag.tensor([0.0, 0.5], requires_grad=True)
    y = Exp2.apply(x)
    np.testing.assert_allclose(y.data, np.exp([0.0, 1.0]))
    y.sum().backward()
    np.testing.assert_allclose(x.grad.data, 2 * np.exp([0.0, 1.0]))


class Scale(ag.Function):
    """x * s for a vector x and a number s; saves both, returns its gradients as a list and a Python float."""

    @staticmethod
    def forward(ctx, x, s):
        ctx.save_for_backward(x, s)
        return x * s

    @staticmethod
    def backward(ctx, grad_output):
        x, s = ctx.saved_tensors
        return (grad_output * s).tolist(), float(np.sum(grad_output * x))


def test_several_saved_values_and_gradients_given_as_a_list_and_a_number():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    s = ag.tensor(3.0, requires_grad=True)
    (Scale.apply(x, s) * ag.tensor([1.0, 10.0])).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [3.0, 30.0])
    assert x.grad.dtype == np.float64 and float(s.grad) == 21.0


def test_a_retained_graph_runs_backward_again_with_the_new_gradient():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    y = Cube.apply(x)
    y.backward(np.array([1.0, 1.0]), retain_graph=True)
    y.backward(np.array([10.0, -1.0]), retain_graph=True)
    np.testing.assert_array_equal(x.grad.data, 3 * x.data ** 2 * np.array([11.0, 0.0]))
    seed = np.ones(2)  # the same array again, changed between the passes: backward must run again
    y.backward(seed, retain_graph=True)
    seed[...] = 10.0
    y.backward(seed)
    np.testing.assert_array_equal(x.grad.data, 3 * x.data ** 2 * np.array([22.0, 11.0]))


def test_a_subclass_of_a_function_runs_its_own_forward_and_backward():
    class Double(ag.Function):
        @staticmethod
        def forward(ctx, x):
            return 2 * x

        @staticmethod
        def backward(ctx, grad_output):
            return 2 * grad_output

    class Triple(Double):
        @staticmethod
        def forward(ctx, x):
            return 3 * x

        @staticmethod
        def backward(ctx, grad_output):
            return 3 * grad_output

    x = ag.tensor(1.0, requires_grad=True)
    Double.apply(x).backward()  # the parent is applied first
    y = Triple.apply(x)
    assert y.op_name == "Triple" and float(y) == 3.0
    y.backward()
    assert float(x.grad) == 5.0


def _grad_modes_in_forward_and_backward(base, is_grad_enabled, x):
    """The gradient mode a Function's forward and backward see: a plain pass, then create_graph=True."""
    seen = []

    class Probe(base):
        @staticmethod
        def forward(ctx, x):
            seen.append(("forward", is_grad_enabled()))
            return x * 2

        @staticmethod
        def backward(ctx, grad_output):
            seen.append(("backward", is_grad_enabled()))
            return grad_output * 2

    Probe.apply(x).backward()
    Probe.apply(x).backward(create_graph=True)
    return seen


def test_forward_runs_without_grad_and_backward_only_records_under_create_graph():
    seen = _grad_modes_in_forward_and_backward(ag.Function, ag.is_grad_enabled, ag.tensor(1.0, requires_grad=True))
    assert seen == [("forward", False), ("backward", False), ("forward", False), ("backward", True)]


@pytest.mark.filterwarnings("ignore:Using backward\\(\\) with create_graph=True")
def test_grad_modes_in_forward_and_backward_match_torch():
    torch = pytest.importorskip("torch")
    ours = _grad_modes_in_forward_and_backward(ag.Function, ag.is_grad_enabled, ag.tensor(1.0, requires_grad=True))
    theirs = _grad_modes_in_forward_and_backward(torch.autograd.Function, torch.is_grad_enabled,
                                                 torch.tensor(1.0, requires_grad=True))
    assert ours == theirs


def test_function_without_grad_inputs_is_a_constant():
    y = Cube.apply(ag.tensor(2.0))
    assert float(y) == 8.0 and not y.requires_grad


def test_function_frees_its_saved_values_after_backward():
    import gc
    import weakref

    x = ag.tensor(np.ones(3), requires_grad=True)
    with_saved = []

    class Saves(ag.Function):
        @staticmethod
        def forward(ctx, x):
            big = np.ones(1000)
            with_saved.append(weakref.ref(ctx))
            ctx.save_for_backward(big)
            return x * 2

        @staticmethod
        def backward(ctx, grad_output):
            return grad_output * 2

    was = gc.isenabled()
    gc.disable()
    try:
        out = Saves.apply(x).sum()
        out.backward()
        del out
        assert with_saved[0]() is None, "the ctx (and its saved arrays) outlived the graph"
    finally:
        if was:
            gc.enable()


class Exp(ag.Function):
    """Saves its output, as PyTorch's exp does."""

    @staticmethod
    def forward(ctx, x):
        out = np.exp(x)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        (out,) = ctx.saved_tensors
        return grad_output * out


def test_a_none_gradient_stops_the_flow_into_an_intermediate_node():
    class StopFirst(ag.Function):
        @staticmethod
        def forward(ctx, x, y):
            return x * y

        @staticmethod
        def backward(ctx, grad_output):
            return None, grad_output

    x = ag.tensor(2.0, requires_grad=True)
    y = ag.tensor(3.0, requires_grad=True)
    out = StopFirst.apply(x * 5.0, y)  # the None lands on an intermediate node, not a leaf
    out.backward()
    assert x.grad is None and float(y.grad) == 1.0
    table = ag.backprop(StopFirst.apply(x * 5.0, y))
    assert x not in table and float(table[y]) == 1.0


class ScaledProduct(Scale):
    """Scale, whose backward returns s's gradient unreduced, of x's shape (PyTorch sums it down)."""

    @staticmethod
    def backward(ctx, grad_output):
        x, s = ctx.saved_tensors
        return grad_output * s, grad_output * x


def test_a_gradient_of_a_shape_the_input_broadcasts_to_is_summed_down_as_pytorch():
    x, s = ag.tensor([1.0, 2.0], requires_grad=True), ag.tensor(3.0, requires_grad=True)
    ScaledProduct.apply(x, s).sum().backward()
    assert s.grad.shape == () and float(s.grad) == 3.0
    np.testing.assert_array_equal(x.grad.data, [3.0, 3.0])
    # Recorded too: f(s) = sum((x s)^2) has f''(s) = 2 sum(x^2) = 10.
    second = ag.grad(ag.grad(lambda s: (ScaledProduct.apply(np.array([1.0, 2.0]), s) ** 2).sum()))(3.0)
    assert float(second) == 10.0


def test_gradients_for_inputs_that_do_not_require_grad_are_dropped_unchecked():
    class Sloppy(ScaledProduct):
        @staticmethod
        def backward(ctx, grad_output):
            return grad_output * 2.0, np.ones(7)  # s's "gradient" fits no shape of s

    x = ag.tensor([1.0, 2.0], requires_grad=True)
    Sloppy.apply(x, np.array([2.0, 3.0])).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [2.0, 2.0])
    with pytest.raises(RuntimeError, match=r"Sloppy.backward returned a gradient of shape \(7,\) for input 1, which "
                                           r"has shape \(2,\); it must have that shape, or one the input broadcasts"):
        Sloppy.apply(x, ag.tensor([2.0, 3.0], requires_grad=True)).sum().backward()


def test_ctx_needs_input_grad_tells_which_inputs_require_grad_as_pytorch():
    seen = []

    class Probe(ScaledProduct):
        @staticmethod
        def forward(ctx, x, s):
            seen.append(ctx.needs_input_grad)
            return x * s

    Probe.apply(ag.tensor([1.0], requires_grad=True), 2.0)
    Probe.apply(ag.tensor([1.0]), ag.tensor(2.0, requires_grad=True))
    assert seen == [(True, False), (False, True)]


def test_a_function_with_an_integer_or_bool_output_carries_no_gradient_as_pytorch():
    class Floor(ag.Function):
        @staticmethod
        def forward(ctx, x):
            return np.floor(x).astype(np.int64)

        @staticmethod
        def backward(ctx, grad_output):
            return grad_output

    out = Floor.apply(ag.tensor([1.5, 2.5], requires_grad=True))
    assert out.dtype == np.int64 and not out.requires_grad and out.is_leaf
    torch = pytest.importorskip("torch")

    class TorchFloor(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return torch.floor(x).long()

        @staticmethod
        def backward(ctx, grad_output):
            return grad_output

    assert not TorchFloor.apply(torch.tensor([1.5, 2.5], requires_grad=True)).requires_grad


class ScaleOrNot(ag.Function):
    """x * scale, with scale None meaning 1: a None input goes to forward as it is, as in PyTorch."""

    @staticmethod
    def forward(ctx, x, scale, label):
        ctx.scale = 1.0 if scale is None else scale
        ctx.label = label
        return x * ctx.scale

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output * ctx.scale, None, None


def test_inputs_that_are_no_numbers_reach_forward_as_they_are_and_get_no_gradient():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    ScaleOrNot.apply(x, None, "tag").sum().backward()
    np.testing.assert_array_equal(x.grad.data, [1.0, 1.0])
    x.grad = None
    ScaleOrNot.apply(x, 3.0, None).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [3.0, 3.0])

    class GradForNone(ScaleOrNot):
        @staticmethod
        def backward(ctx, grad_output):
            return grad_output, 1.0, None

    with pytest.raises(RuntimeError, match=r"GradForNone.backward returned a gradient for input 1, a NoneType, which "
                                           r"has none; return None for it"):
        GradForNone.apply(x, None, "tag").sum().backward()


class SumOver(ag.Function):
    """x.sum(axis): a tuple of axes reaches forward as a tuple, as in PyTorch (not as an array)."""

    @staticmethod
    def forward(ctx, x, axis):
        assert type(axis) is tuple
        ctx.shape, ctx.axis = x.shape, axis
        return x.sum(axis=axis)

    @staticmethod
    def backward(ctx, grad_output):
        return np.broadcast_to(np.expand_dims(grad_output, ctx.axis), ctx.shape), None


def test_tuples_and_lists_reach_forward_as_they_are_unless_they_hold_tensors_that_require_grad():
    x = ag.tensor(np.ones((2, 3, 4)), requires_grad=True)
    out = SumOver.apply(x, (0, 2))
    out.sum().backward()
    assert out.shape == (3,) and np.array_equal(x.grad.data, np.ones((2, 3, 4)))
    assert ScaleOrNot.apply(x, 2.0, ["a", np.str_("b")]).shape == x.shape
    with pytest.raises(TypeError, match=r"ScaleOrNot.apply: input 2 is a list holding Tensors that require grad; "
                                        r"pass them as inputs of their own"):
        ScaleOrNot.apply(x, 2.0, [x])


def test_a_forward_returning_text_or_a_backward_returning_text_is_named_plainly():
    class Two(ag.Function):
        @staticmethod
        def forward(ctx, x):
            return "two"

        @staticmethod
        def backward(ctx, grad_output):
            return grad_output

    with pytest.raises(TypeError, match=r"^Two.forward must return an ndarray of numbers \(or a tuple of them\), "
                                        r"got str"):
        Two.apply(ag.tensor(1.0, requires_grad=True))

    class Text(Two):
        @staticmethod
        def forward(ctx, x):
            return x * 1

        @staticmethod
        def backward(ctx, grad_output):
            return "oops"

    with pytest.raises(TypeError, match=r"Text.backward returned a str of dtype <U4 as the gradient of input 0; "
                                        r"return an ndarray"):
        Text.apply(ag.tensor(1.0, requires_grad=True)).backward()


def test_saved_tensors_are_released_after_backward_unless_the_graph_is_retained():
    x = ag.tensor(np.ones(3), requires_grad=True)
    kept = Exp.apply(x)
    kept.sum().backward(retain_graph=True)
    ctx = kept._params["_ctx"]
    assert len(ctx.saved_tensors) == 1  # a second pass still needs them
    kept.sum().backward()
    assert ctx.saved_tensors == () and "_ctx" not in kept._params  # freed with the graph, as PyTorch's, though
    # kept lives on
    np.testing.assert_allclose(x.grad.data, 2 * np.exp(np.ones(3)))


class Masked(ag.Function):
    @staticmethod
    def forward(ctx, x, mask):
        ctx.save_for_backward(mask)
        return x * mask

    @staticmethod
    def backward(ctx, g):
        (mask,) = ctx.saved_tensors
        return g * mask, np.zeros(np.shape(mask))  # a gradient for the mask: dropped unchecked (docstring)


def test_a_bool_array_input_is_an_operand_whose_gradient_is_dropped():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    Masked.apply(x, np.array([True, False])).sum().backward()
    assert x.grad.tolist() == [1.0, 0.0]


class ScaleByNumber(ag.Function):
    @staticmethod
    def forward(ctx, x, s):
        ctx.save_for_backward(s)
        return x * s

    @staticmethod
    def backward(ctx, g):
        (s,) = ctx.saved_tensors
        return g * s, g  # a number input's gradient is dropped (docstring: numbers are inputs)


def test_a_number_input_is_an_operand_whose_gradient_is_dropped():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    ScaleByNumber.apply(x, 3.0).sum().backward()
    assert x.grad.tolist() == [3.0, 3.0]


class TooMany(ag.Function):
    forward = staticmethod(lambda ctx, x: 2 * x)
    backward = staticmethod(lambda ctx, g: (2 * g, g))


def test_backward_returning_too_many_gradients_is_refused():
    x = ag.tensor(1.0, requires_grad=True)
    with pytest.raises(RuntimeError, match="returned 2 gradient"):
        TooMany.apply(x).backward()


class Tagged(ag.Function):
    forward = staticmethod(lambda ctx, tag, x: 2 * x)
    backward = staticmethod(lambda ctx, g: (None, 2 * g))


def test_a_retained_pass_with_the_same_changed_seed_array_after_a_passed_input():
    x = ag.tensor([1.0], requires_grad=True)
    y = Tagged.apply("tag", x)
    seed = np.ones(1)
    y.backward(seed, retain_graph=True)
    seed *= 5
    x.grad = None
    y.backward(seed)
    assert x.grad.tolist() == [10.0]


def test_a_function_with_no_inputs_returns_its_forward_as_torch():
    # PyTorch's Function.apply() with no arguments runs forward and returns its result, outside any graph.
    class Constant(ag.Function):
        @staticmethod
        def forward(ctx):
            return np.array([1.0, 2.0])

        @staticmethod
        def backward(ctx, grad_output):
            return ()

    out = Constant.apply()
    np.testing.assert_array_equal(out.data, [1.0, 2.0])
    assert not out.requires_grad


def test_backward_with_create_graph_after_reading_a_function_output_matches_pytorch():
    torch = pytest.importorskip("torch")

    class TorchSavedExp(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            out = x.exp()
            ctx.save_for_backward(out)
            return out

        @staticmethod
        def backward(ctx, grad_output):
            (out,) = ctx.saved_tensors
            return grad_output * out

    xt = torch.tensor(0.7, dtype=torch.float64, requires_grad=True)
    yt = TorchSavedExp.apply(xt)
    yt.detach().item()
    yt.backward(create_graph=True)
    (expected,) = torch.autograd.grad(xt.grad, xt)

    x = ag.tensor(0.7, requires_grad=True)
    y = Exp.apply(x)
    y.item()
    y.backward(create_graph=True)
    first = x.grad
    assert first.requires_grad  # the recorded gradient depends on x through the saved output
    x.grad = None
    first.backward()
    np.testing.assert_allclose(float(x.grad), expected.item(), rtol=1e-12)


# ---- found by mutation testing -------------------------------------------------------------------------------------
def test_a_forward_returning_a_python_float_gives_a_0d_float64_result_that_backpropagates():
    # forward may return a Python number (a reduction's float()); the result holds it as NumPy would hold it,
    # np.asarray(float): a 0-d float64 array, and its gradient is the rule's (here d sum(x) / dx = ones).
    class Total(ag.Function):
        @staticmethod
        def forward(ctx, x):
            return float(x.sum())

        @staticmethod
        def backward(ctx, g):
            return g * np.ones(2)

    x = ag.tensor([1.0, 2.0], requires_grad=True)
    y = Total.apply(x)
    assert isinstance(y.data, np.ndarray) and y.data.dtype == np.float64 and y.shape == ()
    (y * 2.0).backward()
    np.testing.assert_array_equal(x.grad.data, [2.0, 2.0])
