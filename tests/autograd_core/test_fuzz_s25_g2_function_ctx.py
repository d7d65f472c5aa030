"""ag.Function's PyTorch-style ctx methods and apply arguments (found fuzzing the autograd API against torch in
session 25): mark_non_differentiable, set_materialize_grads and mark_dirty exist on ctx, apply takes keyword
inputs, and backward may return extra trailing Nones, as torch.autograd.Function allows."""
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


def test_set_materialize_grads_is_accepted_and_changes_nothing_for_one_output():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    NotMaterialized.apply(x).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [2.0, 2.0])


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
