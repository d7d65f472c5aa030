"""Fuzzing ag.Function against torch.autograd.Function (session 26, F4)."""
import numpy as np
import pytest

import autograd_core as ag


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


class Rounded(ag.Function):
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
    assert not Rounded.apply(x).requires_grad
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
