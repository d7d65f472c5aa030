"""ag.Function's edges (autograd_core/function.py), as torch.autograd.Function's: ctx's mark_non_differentiable,
set_materialize_grads and mark_dirty, apply's keyword inputs and extra trailing None gradients, PyTorch 2's
setup_context style, and the inputs and gradients apply refuses by name."""
import numpy as np
import pytest

import autograd_core as ag


class Rounded(ag.Function):
    @staticmethod
    def forward(ctx, x):
        out = np.round(x)
        ctx.mark_non_differentiable(out)
        return out

    @staticmethod
    def backward(ctx, g):
        raise AssertionError("a non-differentiable output's backward must not run")


def test_an_output_marked_non_differentiable_carries_no_gradient_as_torch():
    x = ag.tensor([0.4, 1.6], requires_grad=True)
    y = Rounded.apply(x)
    assert not y.requires_grad and y.is_leaf
    np.testing.assert_array_equal(y.data, [0.0, 2.0])
    loss = (y * x).sum()  # the marked output is a constant: the gradient is y
    loss.backward()
    np.testing.assert_array_equal(x.grad.data, [0.0, 2.0])


class MarksAnother(ag.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.mark_non_differentiable(x * 3)  # not the output: ignored, as PyTorch ignores it
        return x * 2

    @staticmethod
    def backward(ctx, g):
        return 2 * g


def test_marking_a_value_that_is_not_the_output_changes_nothing_as_torch():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    y = MarksAnother.apply(x)
    assert y.requires_grad
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.data, [2.0, 2.0])


class MarksANumber(ag.Function):
    forward = staticmethod(lambda ctx, x: ctx.mark_non_differentiable(3) or 2 * x)
    backward = staticmethod(lambda ctx, g: 2 * g)


def test_marking_something_that_is_no_array_is_a_clear_error():
    with pytest.raises(TypeError, match="mark_non_differentiable: argument 0 is a int"):
        MarksANumber.apply(ag.tensor([1.0], requires_grad=True))


class NotMaterialized(ag.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.set_materialize_grads(False)
        return 2 * x

    @staticmethod
    def backward(ctx, g):
        return 2 * g


def test_set_materialize_grads_changes_nothing_for_one_output():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    NotMaterialized.apply(x).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [2.0, 2.0])


class ThreeOutputs(ag.Function):
    """Two float outputs and an integer one; backward records which gradients it got as None."""

    @staticmethod
    def forward(ctx, x, materialize):
        ctx.set_materialize_grads(materialize)
        return 2 * x, 3 * x, (x > 0).astype(np.int64)

    @staticmethod
    def backward(ctx, g2, g3, g_int):
        ThreeOutputs.seen.append(tuple(g is None for g in (g2, g3, g_int)))
        return (0 if g2 is None else 2 * g2) + (0 if g3 is None else 3 * g3), None


@pytest.mark.parametrize("materialize", [True, False])
def test_without_materialize_grads_backward_gets_none_for_outputs_without_gradient_as_torch(materialize):
    ThreeOutputs.seen = []
    x = ag.tensor([1.0, -2.0], requires_grad=True)
    ThreeOutputs.apply(x, materialize)[0].sum().backward()
    two, three, _ = ThreeOutputs.apply(x, materialize)
    (three * three).sum().backward()  # d/dx 9 x^2 = 18 x, added to the 2 of the first pass
    np.testing.assert_allclose(x.grad.data, 2.0 + 18.0 * x.data)
    two_passes = x.grad.data.copy()
    unmaterialized = [(False, True, True), (True, False, True)]
    assert ThreeOutputs.seen == ([(False, False, False)] * 2 if materialize else unmaterialized)
    # each pass notes its own: a second backward through a retained graph reaches the same outputs
    ThreeOutputs.seen = []
    out = ThreeOutputs.apply(x, materialize)[1].sum()
    out.backward(retain_graph=True)
    out.backward()
    assert ThreeOutputs.seen == [(not materialize, False, not materialize)] * 2
    # differentiable again (a Hessian through it)
    hessian = ag.hessian(lambda x: (ThreeOutputs.apply(x, materialize)[1] ** 2).sum())(x.data)
    np.testing.assert_allclose(hessian.data, 18.0 * np.eye(2))
    torch = pytest.importorskip("torch")

    class TorchThreeOutputs(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.set_materialize_grads(materialize)
            return 2 * x, 3 * x, (x > 0).long()

        @staticmethod
        def backward(ctx, g2, g3, g_int):
            TorchThreeOutputs.seen.append(tuple(g is None for g in (g2, g3, g_int)))
            return (0 if g2 is None else 2 * g2) + (0 if g3 is None else 3 * g3)

    TorchThreeOutputs.seen = []
    tx = torch.tensor([1.0, -2.0], requires_grad=True)
    TorchThreeOutputs.apply(tx)[0].sum().backward()
    (TorchThreeOutputs.apply(tx)[1] ** 2).sum().backward()
    assert TorchThreeOutputs.seen == ([(False, False, False)] * 2 if materialize else unmaterialized)
    np.testing.assert_allclose(two_passes, tx.grad.numpy())


class Dirty(ag.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.mark_dirty(x)
        return x

    backward = staticmethod(lambda ctx, g: g)


def test_mark_dirty_says_that_inputs_cannot_change_in_place():
    with pytest.raises(RuntimeError, match="mark_dirty: .*return a new array"):
        Dirty.apply(ag.tensor([1.0], requires_grad=True))


class Scaled(ag.Function):
    @staticmethod
    def forward(ctx, x, scale=2.0):
        Scaled.seen = ctx.needs_input_grad
        return x * scale

    @staticmethod
    def backward(ctx, g):
        return (g * 3.0,) + (None,) * (len(ctx.needs_input_grad) - 1)


@pytest.mark.parametrize("call, needs", [(lambda x: Scaled.apply(x=x), (True,)),
                                         (lambda x: Scaled.apply(x, scale=3.0), (True, False))],
                         ids=["input-by-keyword", "setting-by-keyword"])
def test_apply_takes_keyword_inputs_bound_to_forwards_parameters_as_torch(call, needs):
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    y = call(x)
    assert Scaled.seen == needs
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.data, [3.0, 3.0])


def test_apply_with_keywords_forward_does_not_take_is_a_clear_error():
    with pytest.raises(TypeError, match="Scaled.apply: the inputs do not fit forward's parameters"):
        Scaled.apply(ag.tensor([1.0]), shift=1.0)


class ExtraNone(ag.Function):
    forward = staticmethod(lambda ctx, x: 2 * x)
    backward = staticmethod(lambda ctx, g: (2 * g, None, None))


def test_extra_trailing_none_gradients_are_dropped_as_torch():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    ExtraNone.apply(x).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [2.0, 2.0])


def test_the_same_programs_in_torch():
    torch = pytest.importorskip("torch")

    class TRounded(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            out = torch.round(x)
            ctx.mark_non_differentiable(out)
            return out

        @staticmethod
        def backward(ctx, g):
            raise AssertionError

    class TExtra(torch.autograd.Function):
        forward = staticmethod(lambda ctx, x: 2 * x)
        backward = staticmethod(lambda ctx, g: (2 * g, None, None))

    class TScaled(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x, scale=2.0):
            return x * scale

        @staticmethod
        def backward(ctx, g):
            return (g * 3.0,) + (None,) * (len(ctx.needs_input_grad) - 1)

    x = torch.tensor([0.4, 1.6], requires_grad=True)
    assert not TRounded.apply(x).requires_grad
    TExtra.apply(x).sum().backward()
    assert x.grad.tolist() == [2.0, 2.0]
    x.grad = None
    TScaled.apply(x, scale=3.0).sum().backward()
    assert x.grad.tolist() == [3.0, 3.0]


class Ragged(ag.Function):
    forward = staticmethod(lambda ctx, x: 2 * x)
    backward = staticmethod(lambda ctx, g: [[1.0], [1.0, 2.0]])


def test_a_ragged_gradient_is_named_not_numpys_bare_error():
    with pytest.raises(TypeError, match="Ragged.backward returned a ragged list as the gradient of input 0"):
        Ragged.apply(ag.tensor([1.0, 2.0], requires_grad=True)).sum().backward()


class MismatchedShift(ag.Function):  # tabnet's _make_ix_like with a matrix's transpose(0, -1) kept as it is
    @staticmethod
    def forward(ctx, x, dim=-1):
        return x - np.arange(1.0, x.shape[dim] + 1).reshape(-1, 1)


def test_an_error_in_forwards_code_names_the_inputs_not_the_ctx_object():
    x = ag.tensor(np.ones((2, 3)), requires_grad=True)
    with pytest.raises(ValueError) as info:
        MismatchedShift.apply(x, -1)
    # the Function, its inputs' shapes and dtypes, then NumPy's error; the ctx (an object at some address) was
    # printed among them as a setting given ("with {'ctx': <...FunctionCtx object at 0x...>}")
    assert str(info.value).startswith("MismatchedShift: invalid input of shapes/dtypes [(2, 3) float64, () int64]: "
                                      "operands could not be broadcast together with shapes (2,3) (3,1)")
    assert "ctx" not in str(info.value)
    # the same inputs, shaped to fit, give the difference (its values by hand)
    fitting = MismatchedShift.apply(ag.tensor(np.ones((3, 2)), requires_grad=True), 0)
    np.testing.assert_array_equal(fitting.data, [[0.0, 0.0], [-1.0, -1.0], [-2.0, -2.0]])


class Shifted(ag.Function):
    @staticmethod
    def forward(ctx, x, scale=2.0, shift=None):
        return x * scale + (0.0 if shift is None else shift)

    @staticmethod
    def backward(ctx, g):
        return (g * 2.0,) + (None,) * (len(ctx.needs_input_grad) - 1)


def test_keyword_input_after_a_skipped_default_names_the_skipped_parameter():
    # shift is positional: the error said it "can only be given by keyword" and to make it positional; the cause
    # is scale, left to its default before it (PyTorch refuses the call too: forward() missing argument 'scale')
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(TypeError, match=r"Shifted.apply: 'shift' given by keyword but 'scale' before it not given"
                                        r".*pass scale too"):
        Shifted.apply(x, shift=x)
    y = Shifted.apply(x, scale=2.0, shift=x)  # all given: fine
    np.testing.assert_array_equal(y.data, [3.0, 6.0])


class Square(ag.Function):  # PyTorch 2's style: forward without ctx, setup_context saves
    @staticmethod
    def forward(x, scale=2.0, shift=None):
        return x * x * scale + (0.0 if shift is None else shift)

    @staticmethod
    def setup_context(ctx, inputs, output):
        x, scale, shift = inputs  # (defaults filled in, as PyTorch's)
        ctx.save_for_backward(x, output)
        ctx.scale = scale

    @staticmethod
    def backward(ctx, g):
        x, _ = ctx.saved_tensors
        return 2 * ctx.scale * x * g, None, (g if ctx.needs_input_grad[2] else None)


class RoundedInSetupContext(ag.Function):
    forward = staticmethod(lambda x: np.round(x))

    @staticmethod
    def setup_context(ctx, inputs, output):
        ctx.mark_non_differentiable(output)

    backward = staticmethod(lambda ctx, g: g * 0)


def test_setup_context_style_as_torch():
    # forward(*inputs) without ctx, then setup_context(ctx, inputs, output): forward was called with ctx
    # ("forward() takes 1 positional argument but 2 were given")
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    shift = ag.tensor([1.0, 1.0], requires_grad=True)
    y = Square.apply(x, shift=shift)  # scale left to its default: filled in, as PyTorch's with setup_context
    np.testing.assert_array_equal(y.data, [3.0, 9.0])
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.data, [4.0, 8.0])
    np.testing.assert_array_equal(shift.grad.data, [1.0, 1.0])
    assert not RoundedInSetupContext.apply(x).requires_grad
    np.testing.assert_allclose(ag.hessian(lambda x: Square.apply(x, 1.5).sum())(np.array([1.0, 2.0])).data,
                               3.0 * np.eye(2))
    assert ag.testing.gradgradcheck(lambda x: Square.apply(x, 1.5), [np.array([1.0, 2.0])])


def test_setup_context_the_same_in_torch():
    torch = pytest.importorskip("torch")

    class TSquare(torch.autograd.Function):
        forward = staticmethod(Square.forward.__func__ if hasattr(Square.forward, "__func__") else Square.forward)

        @staticmethod
        def setup_context(ctx, inputs, output):
            x, scale, shift = inputs
            ctx.save_for_backward(x)
            ctx.scale = scale

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return 2 * ctx.scale * x * g, None, (g if ctx.needs_input_grad[2] else None)

    x = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)
    shift = torch.tensor([1.0, 1.0], dtype=torch.float64, requires_grad=True)
    TSquare.apply(x, shift=shift).sum().backward()
    assert x.grad.tolist() == [4.0, 8.0] and shift.grad.tolist() == [1.0, 1.0]


class Largest(ag.Function):  # a builtin without a signature as forward
    forward = staticmethod(max)
    setup_context = staticmethod(lambda ctx, inputs, output: None)
    backward = staticmethod(lambda ctx, g: (g, None))


def test_setup_context_with_a_forward_without_signature():
    # inspect.signature(max) raises ValueError, which escaped apply
    x = ag.tensor(3.0, requires_grad=True)
    Largest.apply(x, 2.0).backward()
    assert float(x.grad) == 1.0
    with pytest.raises(TypeError, match="Largest.apply: forward .* has no signature to bind keyword inputs to"):
        Largest.apply(x, b=2.0)


class FromDict(ag.Function):
    @staticmethod
    def forward(ctx, x, d):
        return x * d["w"]

    @staticmethod
    def backward(ctx, g):
        return g, None


def test_a_dict_holding_tensors_that_require_grad_is_refused_as_a_list_is():
    # it went to forward as it was and w got no gradient, silently (a list or tuple of them is refused)
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    w = ag.tensor([3.0, 4.0], requires_grad=True)
    with pytest.raises(TypeError, match="FromDict.apply: input 1 is a dict holding Tensors that require grad"):
        FromDict.apply(x, {"w": w})
    y = FromDict.apply(x, {"w": np.array([3.0, 4.0])})  # constants: fine
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.data, [1.0, 1.0])


# ---- once_differentiable (autograd_core.autograd.function, as torch.autograd.function's)

from autograd_core.autograd.function import once_differentiable  # noqa: E402


class CubeOnce(ag.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 3

    @staticmethod
    @once_differentiable
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        seen.append((type(grad_output), type(x), ag.is_grad_enabled()))
        return ag.tensor(3 * x ** 2) * grad_output  # (a Tensor: taken as an array all the same)


seen = []


def test_once_differentiable_gives_the_first_derivative_from_arrays_even_when_recording():
    x = ag.tensor([2.0, -1.0], requires_grad=True)
    seen.clear()
    (CubeOnce.apply(x) * np.array([1.0, 2.0])).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [12.0, 6.0])  # 3 x^2 * weight
    (g,) = ag.autograd.grad(CubeOnce.apply(x).sum(), x, create_graph=True)
    np.testing.assert_array_equal(g.data, [12.0, 3.0])
    assert g.requires_grad  # recorded, but only to refuse a second derivative
    assert seen == [(np.ndarray, np.ndarray, False)] * 2  # arrays and no recording, in both passes


def test_once_differentiable_refuses_a_second_derivative_as_torch():
    x = ag.tensor(2.0, requires_grad=True)
    with pytest.raises(RuntimeError, match="differentiate twice a function that was marked with "
                                           "@once_differentiable: CubeOnce.backward"):
        ag.grad(ag.grad(CubeOnce.apply))(x)
    torch = pytest.importorskip("torch")

    class TorchCube(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x ** 3

        @staticmethod
        @torch.autograd.function.once_differentiable
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return 3 * x ** 2 * g

    t = torch.tensor(2.0, dtype=torch.float64, requires_grad=True)
    (tg,) = torch.autograd.grad(TorchCube.apply(t), t, create_graph=True)
    (g,) = ag.autograd.grad(CubeOnce.apply(x), x, create_graph=True)
    assert float(g) == float(tg) == 12.0
    # Both refuse the second derivative. PyTorch's gradient here merely does not require grad (its grad_output
    # did not), so its error is "does not require grad"; this one is recorded to say why, as PyTorch's is when
    # grad_output requires grad.
    with pytest.raises(RuntimeError):
        tg.backward()
    with pytest.raises(RuntimeError, match="differentiate twice a function that was marked with @once_diff"):
        g.backward()


def test_once_differentiable_passes_several_gradients_and_nones():
    class ScaleBy(ag.Function):
        @staticmethod
        def forward(ctx, x, factor, label):
            ctx.save_for_backward(x, factor)
            return x * factor

        @staticmethod
        @once_differentiable
        def backward(ctx, g):
            x, factor = ctx.saved_tensors
            return g * factor, (g * x).sum(), None

    x, factor = ag.tensor([1.0, 2.0], requires_grad=True), ag.tensor(3.0, requires_grad=True)
    assert ag.testing.gradcheck(lambda x, f: ScaleBy.apply(x, f, "label"), x, factor)
    ScaleBy.apply(x, factor, "label").sum().backward()
    np.testing.assert_array_equal(x.grad.data, [3.0, 3.0])
    assert float(factor.grad) == 3.0


# ---- several outputs: forward returns a tuple, backward takes one gradient per output (as PyTorch's)

class SinhSavingIntermediates(ag.Function):
    """PyTorch's double-backward tutorial: the intermediates exp(x), exp(-x) returned as outputs, so that saving
    them keeps the backward differentiable again."""

    @staticmethod
    def forward(ctx, x):
        expx, expnegx = np.exp(x), np.exp(-x)
        ctx.save_for_backward(expx, expnegx)
        return (expx - expnegx) / 2, expx, expnegx

    @staticmethod
    def backward(ctx, grad_out, grad_expx, grad_expnegx):
        expx, expnegx = ctx.saved_tensors
        return grad_out * (expx + expnegx) / 2 + grad_expx * expx - grad_expnegx * expnegx


def test_several_outputs_give_values_gradients_and_second_derivatives():
    x = ag.tensor([-0.5, 0.2, 1.3], requires_grad=True)
    out, expx, expnegx = SinhSavingIntermediates.apply(x)
    np.testing.assert_allclose(out.data, np.sinh(x.data), rtol=1e-15)
    np.testing.assert_array_equal(expnegx.data, np.exp(-x.data))
    assert all(t.requires_grad for t in (out, expx, expnegx))
    (out.sum() + 2 * expx.sum()).backward()  # expnegx unused: its gradient reaches backward as zeros
    np.testing.assert_allclose(x.grad.data, np.cosh(x.data) + 2 * np.exp(x.data), rtol=1e-14)
    sinh = lambda t: SinhSavingIntermediates.apply(t)[0]  # noqa: E731
    assert ag.testing.gradcheck(sinh, x) and ag.testing.gradgradcheck(sinh, x)
    np.testing.assert_allclose(ag.elementwise_grad(ag.elementwise_grad(sinh))(x).data, np.sinh(x.data), rtol=1e-14)


def test_several_outputs_match_torch():
    torch = pytest.importorskip("torch")

    class TorchSinh(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            expx, expnegx = torch.exp(x), torch.exp(-x)
            ctx.save_for_backward(expx, expnegx)
            return (expx - expnegx) / 2, expx, expnegx

        @staticmethod
        def backward(ctx, grad_out, grad_expx, grad_expnegx):
            expx, expnegx = ctx.saved_tensors
            return grad_out * (expx + expnegx) / 2 + grad_expx * expx - grad_expnegx * expnegx

    values = np.array([-0.5, 0.2, 1.3])
    weights = [np.array([1.0, -2.0, 0.5]), np.array([0.3, 0.0, 1.0]), np.array([2.0, 1.0, -1.0])]
    t = torch.tensor(values, requires_grad=True)
    (tg,) = torch.autograd.grad(sum((o * torch.tensor(w)).sum() for o, w in zip(TorchSinh.apply(t), weights)), t,
                                create_graph=True)
    (tgg,) = torch.autograd.grad(tg.sum(), t)
    x = ag.tensor(values, requires_grad=True)
    (g,) = ag.autograd.grad(sum((o * w).sum() for o, w in zip(SinhSavingIntermediates.apply(x), weights)), x,
                            create_graph=True)
    (gg,) = ag.autograd.grad(g.sum(), x)
    np.testing.assert_allclose(g.data, tg.detach().numpy(), rtol=1e-14)
    np.testing.assert_allclose(gg.data, tgg.numpy(), rtol=1e-14)
    w0, w1, w2 = weights  # by hand: d/dx [w0 sinh + w1 e^x + w2 e^-x], and again
    np.testing.assert_allclose(g.data, w0 * np.cosh(values) + w1 * np.exp(values) - w2 * np.exp(-values), rtol=1e-14)
    np.testing.assert_allclose(gg.data, w0 * np.sinh(values) + w1 * np.exp(values) + w2 * np.exp(-values),
                               rtol=1e-14)


class SortWithIndices(ag.Function):
    @staticmethod
    def forward(ctx, x):
        order = np.argsort(x)
        ctx.mark_non_differentiable(order)
        ctx.save_for_backward(order)
        return x[order], order

    @staticmethod
    def backward(ctx, grad_sorted, grad_order):
        (order,) = ctx.saved_tensors
        assert np.array_equal(grad_order, np.zeros(3, dtype=order.dtype))  # zeros for the marked output
        grad_input = np.zeros_like(grad_sorted)
        grad_input[order] = grad_sorted
        return grad_input


def test_integer_and_marked_outputs_are_constants_and_setup_context_gets_the_tuple():
    x = ag.tensor([3.0, 1.0, 2.0], requires_grad=True)
    values, order = SortWithIndices.apply(x)
    np.testing.assert_array_equal(order.data, [1, 2, 0])
    assert values.requires_grad and not order.requires_grad and order.dtype == np.int64
    (values * ag.tensor([1.0, 10.0, 100.0])).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [100.0, 1.0, 10.0])

    class MyCube(ag.Function):  # PyTorch's extending note: forward, then setup_context with (result, dx)
        @staticmethod
        def forward(x):
            return x ** 3, 3 * x ** 2

        @staticmethod
        def setup_context(ctx, inputs, output):
            ctx.save_for_backward(inputs[0], output[1])

        @staticmethod
        def backward(ctx, grad_output, grad_dx):
            x, dx = ctx.saved_tensors
            return grad_output * dx + grad_dx * 6 * x

    y = ag.tensor(2.0, requires_grad=True)
    cube, dx = MyCube.apply(y)
    assert (float(cube), float(dx)) == (8.0, 12.0)
    (first,) = ag.autograd.grad(cube, y, create_graph=True)
    (second,) = ag.autograd.grad(first, y)
    assert (float(first), float(second)) == (12.0, 12.0)  # 3 y^2 and 6 y


def test_several_outputs_refuse_a_non_array_entry_and_once_differentiable_takes_them():
    class Bad(ag.Function):
        forward = staticmethod(lambda ctx, x: (x, "label"))
        backward = staticmethod(lambda ctx, g, h: g)

    with pytest.raises(ag.primitive.ResultError, match="Bad.forward returned a str as output 1"):
        Bad.apply(ag.tensor(1.0, requires_grad=True))

    class Halves(ag.Function):
        forward = staticmethod(lambda ctx, x: (x / 2, x / 4))

        @staticmethod
        @once_differentiable
        def backward(ctx, g_half, g_quarter):
            return g_half / 2 + g_quarter / 4

    x = ag.tensor([1.0, 2.0], requires_grad=True)
    (g,) = ag.autograd.grad(sum(o.sum() for o in Halves.apply(x)), x, create_graph=True)
    np.testing.assert_array_equal(g.data, [0.75, 0.75])
    with pytest.raises(RuntimeError, match="once_differentiable: Halves.backward"):
        g.sum().backward()
