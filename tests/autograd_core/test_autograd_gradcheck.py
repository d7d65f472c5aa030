"""ag.autograd.gradcheck and gradgradcheck, PyTorch's signatures (autograd_core/autograd_gradcheck.py): inputs a
Tensor, a tuple or a list, GradcheckError a RuntimeError too, and each of PyTorch's arguments: each check catches a
wrong Function and passes a right one, as torch.autograd's does on the same Function written for torch."""
import importlib
import re

import numpy as np
import pytest

import autograd_core as ag
from autograd_core.testing import GradcheckError


def _x():
    return ag.tensor([0.5, -1.5, 2.0], requires_grad=True)


def _t(torch):
    return torch.tensor([0.5, -1.5, 2.0], dtype=torch.float64, requires_grad=True)


# ---- nondet_tol: two backward passes must agree within it (PyTorch's reentrancy check, always run)

def _square(base, extra):
    """A Function of base (ag's or torch's) computing x ** 2, whose backward gives 2 x g + extra(g, x)."""
    class Square(base):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x ** 2

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return g * 2 * x + extra(g, x)
    return Square


def _noisy_square(base, noise, scale=1e-9):
    """Right to scale, but each backward draws new noise."""
    return _square(base, lambda g, x: noise(g) * g * scale)


def test_nondet_tol_catches_a_backward_that_differs_between_passes():
    rng = np.random.default_rng()
    noisy = _noisy_square(ag.autograd.Function, lambda g: ag.tensor(rng.normal(size=g.shape)))
    right = _noisy_square(ag.autograd.Function, lambda g: 0 * g)
    with pytest.raises(GradcheckError, match=r"not reentrant.*input 0.*nondet_tol=0\.0"):
        ag.autograd.gradcheck(noisy.apply, _x())
    assert ag.autograd.gradcheck(noisy.apply, _x(), raise_exception=False) is False
    assert ag.autograd.gradcheck(noisy.apply, _x(), nondet_tol=1e-7)
    assert ag.autograd.gradcheck(right.apply, _x())  # (exactly reentrant: nondet_tol=0 passes)
    assert ag.testing.gradcheck(noisy.apply, _x())  # (the project's own check is the Jacobian alone, as before)
    with pytest.raises(ValueError, match="nondet_tol must be a finite number >= 0"):
        ag.autograd.gradcheck(right.apply, _x(), nondet_tol=-1.0)
    torch = pytest.importorskip("torch")
    torch_noisy = _noisy_square(torch.autograd.Function, torch.randn_like)
    with pytest.raises(RuntimeError, match="not reentrant"):
        torch.autograd.gradcheck(torch_noisy.apply, _t(torch))
    assert torch.autograd.gradcheck(torch_noisy.apply, _t(torch), nondet_tol=1e-7)


# ---- check_forward_ad / check_backward_ad: forward mode through a Function's jvp

def _square_with_jvp(base, jvp_factor, backward_factor=2, once=True):
    class Square(base):  # backward once_differentiable: forward mode goes through jvp (else, here, through backward)
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            ctx.save_for_forward(x)
            return x ** 2

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return g * backward_factor * x
        if once:
            backward = staticmethod(importlib.import_module(base.__module__).once_differentiable(backward.__func__))

        @staticmethod
        def jvp(ctx, tangent):
            (x,) = ctx.saved_tensors
            return jvp_factor * x * tangent
    return Square


def test_check_forward_ad_catches_a_wrong_jvp_and_check_backward_ad_a_wrong_backward():
    wrong_jvp = _square_with_jvp(ag.autograd.Function, 3)
    right = _square_with_jvp(ag.autograd.Function, 2)
    wrong_backward = _square_with_jvp(ag.autograd.Function, 2, backward_factor=3)
    assert ag.autograd.gradcheck(wrong_jvp.apply, _x())  # (forward mode not checked by default)
    with pytest.raises(GradcheckError, match=r"forward mode.*input 0 \(shape \(3,\)\) at index \(2,\).*engine 6\.0"):
        ag.autograd.gradcheck(wrong_jvp.apply, _x(), check_forward_ad=True)
    assert ag.autograd.gradcheck(right.apply, _x(), check_forward_ad=True)
    assert ag.autograd.gradcheck(wrong_backward.apply, _x(), check_forward_ad=True, check_backward_ad=False)
    assert ag.autograd.gradcheck(wrong_backward.apply, _x(), check_forward_ad=True, raise_exception=False) is False
    # a plain function, several outputs: the Jacobian columns by ag.jvp
    assert ag.autograd.gradcheck(lambda a, b: (a * b.exp(), a.sin()), (_x(), ag.tensor(0.3, requires_grad=True)),
                                 check_forward_ad=True)
    with pytest.raises(ValueError, match="at least one of check_forward_ad or check_backward_ad"):
        ag.autograd.gradcheck(right.apply, _x(), check_backward_ad=False)
    torch = pytest.importorskip("torch")
    torch_wrong_jvp = _square_with_jvp(torch.autograd.Function, 3)
    assert torch.autograd.gradcheck(torch_wrong_jvp.apply, _t(torch))
    with pytest.raises(RuntimeError, match="Jacobian computed with forward mode mismatch"):
        torch.autograd.gradcheck(torch_wrong_jvp.apply, _t(torch), check_forward_ad=True)
    assert torch.autograd.gradcheck(_square_with_jvp(torch.autograd.Function, 2).apply, _t(torch),
                                    check_forward_ad=True)
    assert torch.autograd.gradcheck(_square_with_jvp(torch.autograd.Function, 2, backward_factor=3).apply,
                                    _t(torch), check_forward_ad=True, check_backward_ad=False)
    with pytest.raises(AssertionError, match="at least one of check_forward_ad or check_backward_ad"):
        torch.autograd.gradcheck(torch_wrong_jvp.apply, _t(torch), check_backward_ad=False)


# ---- check_batched_grad / check_batched_forward_grad: under ag.vmap

SquareDrawingInBackward = _square(ag.autograd.Function, lambda g, x: 0 * ag.rand_like(g))  # right, but its
# backward draws (refused under vmap)


def test_check_batched_grad_catches_a_backward_that_fails_under_vmap():
    assert ag.autograd.gradcheck(SquareDrawingInBackward.apply, _x())
    with pytest.raises(GradcheckError, match="batched gradients.*under ag.vmap"):
        ag.autograd.gradcheck(SquareDrawingInBackward.apply, _x(), check_batched_grad=True)
    assert ag.autograd.gradcheck(lambda a, b: (a * b, a.exp()), (_x(), _x()), check_batched_grad=True)
    assert ag.autograd.gradcheck(lambda a: a.sin().sum(), _x(), check_forward_ad=True,
                                 check_batched_forward_grad=True)
    drawing_in_jvp = _square_with_jvp(ag.autograd.Function, 2)
    drawing_in_jvp.jvp = staticmethod(lambda ctx, t: 2 * ctx.saved_tensors[0] * t + 0 * ag.rand_like(t))
    assert ag.autograd.gradcheck(drawing_in_jvp.apply, _x(), check_forward_ad=True)
    with pytest.raises(GradcheckError, match="batched forward-mode derivatives.*under ag.vmap"):
        ag.autograd.gradcheck(drawing_in_jvp.apply, _x(), check_forward_ad=True, check_batched_forward_grad=True)
    with pytest.raises(ValueError, match="check_batched_forward_grad=True requires check_forward_ad"):
        ag.autograd.gradcheck(ag.sin, _x(), check_batched_forward_grad=True)
    with pytest.raises(ValueError, match="check_batched_grad=True requires check_backward_ad"):
        ag.autograd.gradcheck(ag.sin, _x(), check_batched_grad=True, check_backward_ad=False, check_forward_ad=True)
    torch = pytest.importorskip("torch")

    class TorchSquareDrawingInBackward(torch.autograd.Function):
        generate_vmap_rule = True

        @staticmethod
        def forward(x):
            return x ** 2

        @staticmethod
        def setup_context(ctx, inputs, output):
            ctx.save_for_backward(inputs[0])

        @staticmethod
        def backward(ctx, g):
            return g * 2 * ctx.saved_tensors[0] + 0 * torch.rand_like(g)

    assert torch.autograd.gradcheck(TorchSquareDrawingInBackward.apply, _t(torch))
    with pytest.raises(RuntimeError, match="batched grad"):
        torch.autograd.gradcheck(TorchSquareDrawingInBackward.apply, _t(torch), check_batched_grad=True)
    assert torch.autograd.gradcheck(lambda a, b: (a * b, a.exp()), (_t(torch), _t(torch)), check_batched_grad=True)


# ---- check_grad_dtypes: each gradient of its input's dtype (the engine casts it, so a float32 input passes)

@pytest.mark.filterwarnings("ignore:Input #0 requires gradient")  # (torch: float32 inputs)
def test_check_grad_dtypes_passes_float32_inputs_as_torch():
    x = ag.tensor([0.5, 1.5], dtype="float32", requires_grad=True)
    assert ag.autograd.gradcheck(lambda a: a * 2.0, x, check_grad_dtypes=True, atol=1e-3)
    assert ag.autograd.gradgradcheck(lambda a: a ** 3, x, check_grad_dtypes=True)
    with pytest.raises(TypeError, match="check_grad_dtypes must be True or False"):
        ag.autograd.gradcheck(lambda a: a * 2.0, x, check_grad_dtypes="yes")
    torch = pytest.importorskip("torch")
    assert torch.autograd.gradcheck(lambda a: a * 2.0, torch.tensor([0.5, 1.5], requires_grad=True),
                                    check_grad_dtypes=True, eps=1e-3, atol=1e-2)


# ---- gradgradcheck: grad_outputs, check_fwd_over_rev, check_rev_over_rev

def _wrong_second_output(base, square):
    class TwoOutputs(base):  # output 0: x ** 3, its second derivative wrong (through square's backward)
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x ** 3, 2 * x

        @staticmethod
        def backward(ctx, g0, g1):
            (x,) = ctx.saved_tensors
            return 3 * square(x) * g0 + 2 * g1
    return TwoOutputs


SquareWithWrongBackward = _square(ag.autograd.Function, lambda g, x: g * x)  # 3 x g, not 2 x g


def test_gradgradcheck_uses_the_grad_outputs_given():
    two = _wrong_second_output(ag.autograd.Function, SquareWithWrongBackward.apply)
    x = _x()
    assert ag.autograd.gradcheck(two.apply, x)  # (first derivatives right)
    with pytest.raises(GradcheckError, match="mismatch for input 0"):
        ag.autograd.gradgradcheck(two.apply, x)
    with pytest.raises(GradcheckError, match="mismatch for input 0"):
        ag.autograd.gradgradcheck(two.apply, x, (ag.ones(3), ag.ones(3)))
    # the wrong second derivative weighted by a zero cotangent: nothing wrong left
    assert ag.autograd.gradgradcheck(two.apply, x, (ag.zeros(3), ag.ones(3)))
    assert ag.autograd.gradgradcheck(ag.sin, x, ag.tensor([1.0, -2.0, 0.5]))  # (one output: a Tensor)
    with pytest.raises(ValueError, match=r"grad_outputs has 1 entries for 2 outputs"):
        ag.autograd.gradgradcheck(two.apply, x, (ag.ones(3),))
    with pytest.raises(ValueError, match=r"grad_outputs have shapes \[\(2,\), \(3,\)\], but f's outputs"):
        ag.autograd.gradgradcheck(two.apply, x, (ag.ones(2), ag.ones(3)))
    torch = pytest.importorskip("torch")

    TorchWrongSquare = _square(torch.autograd.Function, lambda g, x: g * x)
    torch_two = _wrong_second_output(torch.autograd.Function, TorchWrongSquare.apply)
    t = _t(torch)
    assert torch.autograd.gradcheck(torch_two.apply, t)
    with pytest.raises(RuntimeError, match="Jacobian mismatch"):
        torch.autograd.gradgradcheck(torch_two.apply, t, (torch.ones(3, dtype=torch.float64),) * 2)
    assert torch.autograd.gradgradcheck(torch_two.apply, t, (torch.zeros(3, dtype=torch.float64),
                                                             torch.ones(3, dtype=torch.float64)))


def _cube_through(square):
    def cube(x):
        return x * square(x)
    return cube


def test_check_fwd_over_rev_differentiates_backward_in_forward_mode():
    # x * square(x): its first derivative goes through square's backward; forward mode through that backward is
    # square's jvp in PyTorch, and here the derivative of square's backward (written with Tensor operations): wrong
    # in both (factor 3), or right in both (factor 2)
    def cube(base, factor):
        return _cube_through(_square_with_jvp(base, factor, backward_factor=factor, once=False).apply)

    fwd_only = {"check_fwd_over_rev": True, "check_rev_over_rev": False, "check_undefined_grad": False}
    assert ag.autograd.gradgradcheck(cube(ag.autograd.Function, 2), _x(), **fwd_only)
    with pytest.raises(GradcheckError, match="forward mode"):
        ag.autograd.gradgradcheck(cube(ag.autograd.Function, 3), _x(), **fwd_only)
    assert ag.autograd.gradgradcheck(cube(ag.autograd.Function, 3), _x(), raise_exception=False, **fwd_only) is False
    assert ag.autograd.gradgradcheck(lambda a: a.sin() * a, _x(), check_fwd_over_rev=True)  # (both modes)
    with pytest.raises(ValueError, match="check_undefined_grad=True requires check_rev_over_rev=True"):
        ag.autograd.gradgradcheck(ag.sin, _x(), check_fwd_over_rev=True, check_rev_over_rev=False)
    with pytest.raises(ValueError, match="at least one of check_fwd_over_rev or check_rev_over_rev"):
        ag.autograd.gradgradcheck(ag.sin, _x(), check_rev_over_rev=False, check_undefined_grad=False)
    torch = pytest.importorskip("torch")
    assert torch.autograd.gradgradcheck(cube(torch.autograd.Function, 2), _t(torch), **fwd_only)
    with pytest.raises(RuntimeError, match="forward mode"):
        torch.autograd.gradgradcheck(cube(torch.autograd.Function, 3), _t(torch), **fwd_only)
    with pytest.raises(AssertionError, match="check_undefined_grad=True requires check_rev_over_rev"):
        torch.autograd.gradgradcheck(torch.sin, _t(torch), check_fwd_over_rev=True, check_rev_over_rev=False)


def test_gradgradcheck_checks_the_reentrancy_of_the_first_derivatives_backward():
    # x * noisy(x): the first derivative's backward calls noisy's backward again, drawing new noise
    rng = np.random.default_rng()
    noisy = _noisy_square(ag.autograd.Function, lambda g: ag.tensor(rng.normal(size=g.shape)), scale=1e-13)
    assert ag.autograd.gradcheck(_cube_through(noisy.apply), _x(), nondet_tol=1e-7)
    with pytest.raises(GradcheckError, match="not reentrant"):
        ag.autograd.gradgradcheck(_cube_through(noisy.apply), _x())
    assert ag.autograd.gradgradcheck(_cube_through(noisy.apply), _x(), nondet_tol=1e-7)
    torch = pytest.importorskip("torch")
    torch_noisy = _noisy_square(torch.autograd.Function, torch.randn_like, scale=1e-13)
    with pytest.raises(RuntimeError, match="not reentrant"):
        torch.autograd.gradgradcheck(_cube_through(torch_noisy.apply), _t(torch))
    assert torch.autograd.gradgradcheck(_cube_through(torch_noisy.apply), _t(torch), nondet_tol=1e-7)


# ---- accepted for PyTorch's code: fast_mode, masked, gen_non_contig_grad_outputs (flags, no other effect)

def test_fast_mode_masked_and_gen_non_contig_grad_outputs_are_accepted_flags():
    x = _x()
    assert ag.autograd.gradcheck(ag.sin, x, fast_mode=True, masked=False)
    assert ag.autograd.gradcheck(ag.sin, x, masked=None)
    assert ag.autograd.gradgradcheck(ag.sin, x, gen_non_contig_grad_outputs=True, fast_mode=True, masked=False)
    assert ag.autograd.gradcheck(SquareWithWrongBackward.apply, x, fast_mode=True, raise_exception=False) is False
    for name in ("masked", "fast_mode"):
        with pytest.raises(TypeError, match=name):
            ag.autograd.gradcheck(ag.sin, x, **{name: "yes"})
    with pytest.raises(TypeError, match="gen_non_contig_grad_outputs"):
        ag.autograd.gradgradcheck(ag.sin, x, gen_non_contig_grad_outputs=1.5)


def test_the_signatures_are_torchs():
    import inspect
    expected = {"gradcheck": ["func", "inputs", "eps", "atol", "rtol", "raise_exception", "nondet_tol",
                              "check_undefined_grad", "check_grad_dtypes", "check_batched_grad",
                              "check_batched_forward_grad", "check_forward_ad", "check_backward_ad", "fast_mode",
                              "masked"],
                "gradgradcheck": ["func", "inputs", "grad_outputs", "eps", "atol", "rtol",
                                  "gen_non_contig_grad_outputs", "raise_exception", "nondet_tol",
                                  "check_undefined_grad", "check_grad_dtypes", "check_batched_grad",
                                  "check_fwd_over_rev", "check_rev_over_rev", "fast_mode", "masked"]}
    for name, parameters in expected.items():
        assert list(inspect.signature(getattr(ag.autograd, name)).parameters) == parameters
    torch = pytest.importorskip("torch")
    for name in expected:
        ours, theirs = (inspect.signature(getattr(module.autograd, name)).parameters for module in (ag, torch))
        assert [(p.name, p.kind, p.default) for p in ours.values()] == \
            [(p.name, p.kind, p.default) for p in theirs.values()]


# ---- gradcheck and gradgradcheck with torch.autograd's signatures (inputs a Tensor, or a tuple or list)

SquareSavingInput = _square(ag.autograd.Function, lambda g, x: 0)  # right: 2 x g


class SquareTimesThree(SquareSavingInput):
    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * 3 * x


class SquareOnArrays(SquareSavingInput):
    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return np.asarray(g) * 2 * np.asarray(x)  # right once, but cut from the graph


def test_gradcheck_takes_a_tensor_or_a_tuple_of_inputs_as_torch():
    x = ag.tensor(np.random.default_rng(0).random((3, 3)), requires_grad=True)
    y = ag.tensor(np.random.default_rng(1).random(3), requires_grad=True)
    assert ag.autograd.gradcheck(SquareSavingInput.apply, x)
    assert ag.autograd.gradcheck(SquareSavingInput.apply, (x,), fast_mode=False)
    assert ag.autograd.gradcheck(lambda a, b: a * b.exp(), (x, y), eps=1e-6, atol=1e-5, rtol=1e-3)
    assert ag.autograd.gradgradcheck(SquareSavingInput.apply, x)
    assert ag.autograd.gradgradcheck(lambda a, b: (a * b.exp()).sin(), (x, y))


def test_gradcheck_takes_a_list_of_inputs_as_torchs_tests_write_it():
    # PyTorch's own tests write gradcheck(fn, [x]) and gradcheck(torch.lerp, [start, end, weight]): its _as_tuple
    # takes a list as the tuple (here a list was read as one input, a list of Tensors, and refused)
    x = ag.tensor(np.random.default_rng(0).random((3, 3)), requires_grad=True)
    y = ag.tensor(np.random.default_rng(1).random(3), requires_grad=True)
    assert ag.autograd.gradcheck(SquareSavingInput.apply, [x])
    assert ag.autograd.gradcheck(lambda a, b: a * b.exp(), [x, y])
    assert ag.autograd.gradgradcheck(lambda a, b: (a * b.exp()).sin(), [x, y])
    assert ag.autograd.gradcheck(SquareTimesThree.apply, [x], raise_exception=False) is False
    torch = pytest.importorskip("torch")
    tx = torch.tensor(x.data, requires_grad=True)
    assert torch.autograd.gradcheck(lambda a: a ** 2, [tx])


def test_a_failing_check_is_a_runtime_error_as_torchs_gradcheck_error():
    # torch.autograd.GradcheckError is a RuntimeError, which PyTorch's tests catch; here it stays an AssertionError too
    x = ag.tensor([0.5, 1.5], requires_grad=True)
    with pytest.raises(RuntimeError, match="input 0"):
        ag.autograd.gradcheck(SquareTimesThree.apply, x)
    with pytest.raises(AssertionError):
        ag.testing.gradcheck(SquareTimesThree.apply, x)
    with pytest.raises(RuntimeError):  # f's output cut from the graph while its finite differences are not zero
        ag.autograd.gradcheck(lambda a: a.detach(), x)
    pytest.importorskip("torch")
    from torch.autograd.gradcheck import GradcheckError as TorchGradcheckError  # (the module, not the function)
    assert issubclass(TorchGradcheckError, RuntimeError)


def test_gradcheck_and_gradgradcheck_catch_what_torch_catches():
    x = ag.tensor([0.5, 1.5], requires_grad=True)
    with pytest.raises(ag.testing.GradcheckError, match="input 0"):
        ag.autograd.gradcheck(SquareTimesThree.apply, (x,))
    assert ag.autograd.gradcheck(SquareTimesThree.apply, x, raise_exception=False) is False
    assert ag.autograd.gradcheck(SquareOnArrays.apply, x)
    # A backward on arrays is refused at its second derivative, by name (PyTorch's gradgradcheck returns False)
    with pytest.raises(RuntimeError, match="SquareOnArrays.backward returned an array.*cannot be differentiated"):
        ag.autograd.gradgradcheck(SquareOnArrays.apply, x, raise_exception=False)
    torch = pytest.importorskip("torch")
    for cls, once, twice in [(SquareTimesThree, False, False), (SquareOnArrays, True, False),
                             (SquareSavingInput, True, True)]:
        class TorchSquare(torch.autograd.Function):
            forward = staticmethod(lambda ctx, t: (ctx.save_for_backward(t), t ** 2)[1])
            backward = staticmethod(lambda ctx, g, cls=cls: (
                g * (3 if cls is SquareTimesThree else 2) * (
                    ctx.saved_tensors[0].detach() if cls is SquareOnArrays else ctx.saved_tensors[0])))

        t = torch.tensor([0.5, 1.5], dtype=torch.float64, requires_grad=True)
        assert torch.autograd.gradcheck(TorchSquare.apply, (t,), raise_exception=False) is once
        assert ag.autograd.gradcheck(cls.apply, (x,), raise_exception=False) is once
        if once:
            assert torch.autograd.gradgradcheck(TorchSquare.apply, (t,), raise_exception=False) is twice
        if twice:
            assert ag.autograd.gradgradcheck(cls.apply, (x,), raise_exception=False)


class SquareRescalingItsGradient(SquareSavingInput):
    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        scale = (g ** 2).sum() ** 0.5
        return g / scale * scale * 2 * x  # right, except for a zero gradient (0 / 0)


def test_gradcheck_takes_check_undefined_grad_and_checks_zero_output_gradients_as_torch():
    # the implicit-layers tutorial's gradcheck(layer, x, check_undefined_grad=False) raised TypeError
    x = ag.tensor([0.5, 1.5], requires_grad=True)
    assert ag.autograd.gradcheck(SquareSavingInput.apply, (x,), check_undefined_grad=False)
    assert ag.autograd.gradcheck(SquareSavingInput.apply, (x,), check_undefined_grad=True)
    assert ag.autograd.gradgradcheck(SquareSavingInput.apply, (x,), check_undefined_grad=False)
    with pytest.raises(TypeError, match="check_undefined_grad"):
        ag.autograd.gradcheck(SquareSavingInput.apply, (x,), check_undefined_grad="no")
    # right on every one-hot cotangent, NaN on a zero one: PyTorch's "backward not multiplied by grad_output"
    with np.errstate(invalid="ignore"):
        assert ag.testing.gradcheck(SquareRescalingItsGradient.apply, x)  # (the engine's own check: Jacobians only)
        with pytest.raises(ag.testing.GradcheckError, match=r"input 0 a nonzero gradient \(nan at index \(0,\)\)"):
            ag.testing.gradcheck(SquareRescalingItsGradient.apply, x, zero_output_gradient=True)
        for flag in (True, False):
            with pytest.raises(ag.testing.GradcheckError, match="zero gradients of the outputs gave input 0 a "
                                                                "nonzero gradient.*not multiplied"):
                ag.autograd.gradcheck(SquareRescalingItsGradient.apply, (x,), check_undefined_grad=flag)
        assert ag.autograd.gradcheck(SquareRescalingItsGradient.apply, x, raise_exception=False) is False
    torch = pytest.importorskip("torch")

    class TorchSquareRescalingItsGradient(torch.autograd.Function):
        forward = staticmethod(lambda ctx, t: (ctx.save_for_backward(t), t ** 2)[1])
        backward = staticmethod(lambda ctx, g: g / g.norm() * g.norm() * 2 * ctx.saved_tensors[0])

    t = torch.tensor([0.5, 1.5], dtype=torch.float64, requires_grad=True)
    for flag in (True, False):
        with pytest.raises(RuntimeError, match="not multiplied by grad_output"):  # (its GradcheckError)
            torch.autograd.gradcheck(TorchSquareRescalingItsGradient.apply, (t,), check_undefined_grad=flag)


def test_gradcheck_lets_an_error_of_backward_on_zero_output_gradients_propagate_as_torch():
    def square_with_hook(x):  # a tensor hook that cannot take a zero gradient
        y = x ** 2
        y.register_hook(lambda g: g if np.any(np.asarray(g)) else 1 / 0)
        return y

    assert ag.testing.gradcheck(square_with_hook, ag.tensor([0.5, 1.5], requires_grad=True))
    with pytest.raises(ZeroDivisionError):
        ag.autograd.gradcheck(square_with_hook, ag.tensor([0.5, 1.5], requires_grad=True), check_undefined_grad=False)
    torch = pytest.importorskip("torch")
    with pytest.raises(ZeroDivisionError):
        torch.autograd.gradcheck(square_with_hook, torch.tensor([0.5, 1.5], dtype=torch.float64, requires_grad=True),
                                 check_undefined_grad=False)


def test_gradcheck_refuses_a_non_flag_fast_mode():
    x = ag.tensor([0.5, 1.5], requires_grad=True)
    with pytest.raises(TypeError, match="fast_mode"):
        ag.autograd.gradcheck(SquareSavingInput.apply, (x,), fast_mode="yes")


# ---- PyTorch's test_autograd.py gradcheck tests match torch's messages and error classes (found by porting them:
# their assertRaisesRegex patterns missed our words, and two of PyTorch's AssertionErrors were ValueErrors only)

def _hooked_clone(x):
    """x's clone whose gradient gets 1e-2 added (PyTorch's test_gradcheck_jacobian_mismatch): wrong by 1e-2, and not
    multiplied by its output's gradient."""
    y = x.clone()
    y.register_hook(lambda g: g + 1e-2)
    return y


_PHRASE = (r"Jacobian (computed with forward mode )?mismatch for output \d+ with respect to input \d+|backward not "
           r"multiplied by grad_output|Numerical gradient for function expected to be zero|Backward is not reentrant|"
           r"return outputs with the same (shape|dtype) when inputs are perturbed|Expected at least one of "
           r"check_forward_ad or check_backward_ad|at least one input tensor to require gradient")


def _raised(module, error, check, *args, **kwargs):
    """The phrase of _PHRASE in the error (of class error) of module.autograd's check (gradcheck, gradgradcheck)."""
    with pytest.raises(error, match=_PHRASE) as info:
        getattr(module.autograd, check)(*args, **kwargs)
    return [found.group(0) for found in re.finditer(_PHRASE, str(info.value))][-1]  # (ours may say more before)


def _mismatch(module, check, *args, **kwargs):
    return _raised(module, RuntimeError, check, *args, **kwargs)


def _both(case):
    """case(module) for ag and for torch: (ours, torch's), to compare."""
    return case(ag), case(pytest.importorskip("torch"))


def test_failures_name_output_and_input_in_torchs_words():
    def case(module):
        ones = module.ones((2, 2), dtype=module.float64, requires_grad=True)
        one = module.ones(1, dtype=module.float64, requires_grad=True)  # (no entry off by 1e-2 beyond atol=1e-1)
        return [_mismatch(module, "gradcheck", _hooked_clone, (ones,)),
                module.autograd.gradcheck(_hooked_clone, (ones,), raise_exception=False),
                _mismatch(module, "gradcheck", _hooked_clone, (one,), atol=1e-1),
                # no output requires grad, but f's finite differences are not zero
                _mismatch(module, "gradcheck", lambda x: module.tensor([x.item()]), one),
                module.autograd.gradcheck(lambda x: module.tensor([x.item()]), one, raise_exception=False),
                module.autograd.gradcheck(lambda x: (), (one,))]  # no outputs at all
    ours, torchs = _both(case)
    assert ours == torchs == ["Jacobian mismatch for output 0 with respect to input 0", False,
                              "backward not multiplied by grad_output",
                              "Numerical gradient for function expected to be zero", False, True]
    # (torch's gradgradcheck raises a TypeError there; ours says it once)
    with pytest.raises(RuntimeError, match=r"expected to be zero \(no output of f requires grad: it was computed "
                                           r"outside the graph, from \.data or NumPy values\)$"):
        ag.autograd.gradgradcheck(lambda x: ag.tensor([x.item()]), ag.ones(1, requires_grad=True))


def test_reentrancy_and_forward_mode_failures_in_torchs_words():
    def case(module):
        noisy = _noisy_square(module.autograd.Function, lambda g: module.rand_like(g), scale=1e-6)
        wrong_jvp = _square_with_jvp(module.autograd.Function, 3).apply
        x = module.tensor([0.5, -1.5, 2.0], dtype=module.float64, requires_grad=True)
        y = module.tensor([0.5], dtype=module.float64, requires_grad=True)
        return [_mismatch(module, "gradcheck", noisy.apply, (x,)),
                _mismatch(module, "gradcheck", lambda a, b: (a + wrong_jvp(b), b), (x, y), check_forward_ad=True)]
    ours, torchs = _both(case)
    assert ours == torchs == ["Backward is not reentrant",
                              "Jacobian computed with forward mode mismatch for output 0 with respect to input 1"]


def test_outputs_changing_shape_or_dtype_when_perturbed_are_assertion_errors_as_torch():
    def case(module):
        one = module.ones(1, dtype=module.float64, requires_grad=True)

        def resized(x):
            return module.cat([x, x]) if module.all(x >= 1) else x

        def recast(x):
            return x.to(module.float32) if module.all(x >= 1) else x

        # (raised whatever raise_exception, as an assert; in forward mode too: ours did not check the dtype there)
        return [_raised(module, AssertionError, "gradcheck", f, (one,), raise_exception=raise_exception, **modes)
                for f in (resized, recast) for raise_exception in (True, False)
                for modes in ({}, {"check_forward_ad": True, "check_backward_ad": False})]
    ours, torchs = _both(case)
    assert ours == torchs == 4 * ["return outputs with the same shape when inputs are perturbed"] + 4 * [
        "return outputs with the same dtype when inputs are perturbed"]
    # a ValueError too, as it was, naming the input and the index moved
    with pytest.raises(ValueError, match=r"dtypes \['float32'\] at the inputs given, but \['float64'\] with input 0 "
                                         r"at index \(0,\) moved by eps=1e-06"):
        ag.testing.gradcheck(lambda x: x.to(ag.float32) if ag.all(x >= 1) else x, np.ones(1))


def test_argument_errors_in_torchs_words_and_classes():
    def case(module):
        x = module.rand(10, dtype=module.float64)
        return [_raised(module, ValueError, "gradcheck", lambda x: x, (x,), raise_exception=False),
                _raised(module, AssertionError, "gradcheck", lambda x: x, (x.requires_grad_(),),
                        check_forward_ad=False, check_backward_ad=False)]
    ours, torchs = _both(case)
    assert ours == torchs == ["at least one input tensor to require gradient",
                              "Expected at least one of check_forward_ad or check_backward_ad"]


def test_gradcheck_error_imports_from_the_gradcheck_module_as_torchs():
    from autograd_core.autograd.gradcheck import GradcheckError as Ours
    assert Ours is GradcheckError and issubclass(Ours, RuntimeError)
    # GradcheckArgumentError too, and from ag.testing (it could not be imported from a public path)
    from autograd_core.autograd.gradcheck import GradcheckArgumentError
    assert GradcheckArgumentError is ag.testing.GradcheckArgumentError
    assert issubclass(GradcheckArgumentError, ValueError) and issubclass(GradcheckArgumentError, AssertionError)
    pytest.importorskip("torch")
    from torch.autograd.gradcheck import GradcheckError as Theirs
    assert issubclass(Theirs, RuntimeError)


@pytest.mark.parametrize("setting", [{"atol": -1.0}, {"rtol": -1.0}, {"eps": 0.0}, {"nondet_tol": -1.0}])
def test_settings_out_of_range_are_runtime_errors_as_torch(setting):
    # torch raises RuntimeError for a negative atol or rtol, its GradcheckError (a RuntimeError) for eps=0 (NaN
    # differences) or a negative nondet_tol; here each is refused up front, a ValueError as before and a RuntimeError
    x = _x()
    with pytest.raises(ValueError, match=f"{next(iter(setting))} must be a finite number"):
        ag.autograd.gradcheck(ag.sin, x, **setting)
    with pytest.raises(RuntimeError):
        ag.autograd.gradcheck(ag.sin, x, **setting)
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        torch.autograd.gradcheck(torch.sin, _t(torch), **setting)


def test_a_mismatch_from_float32_computation_names_it():
    # f's float32 weights make its output float32 although the check's inputs are float64: the finite differences
    # carry float32 rounding, and the mismatch said nothing of it (torch warns for a float32 input, and fails too)
    import nn
    ag.manual_seed(0)  # (weights whose float32 rounding fails the check, the same every run)
    layer = nn.Linear(3, 2)
    x = ag.tensor(np.random.default_rng(0).random((4, 3)), dtype=ag.float32, requires_grad=True)
    with pytest.raises(GradcheckError, match="Jacobian mismatch.*Output 0 of f is float32 although its inputs were "
                                             r"made float64.*layer\.double\(\)"):
        ag.autograd.gradcheck(layer, x)
    assert ag.autograd.gradcheck(layer.double(), x)
    torch = pytest.importorskip("torch")
    torch.manual_seed(0)
    torch_layer = torch.nn.Linear(3, 2)
    with pytest.warns(UserWarning, match="not a double precision"), pytest.raises(RuntimeError, match="mismatch"):
        torch.autograd.gradcheck(torch_layer, torch.tensor(x.data, requires_grad=True))


@pytest.mark.parametrize("name", ["gradcheck", "gradgradcheck"])
def test_a_tuple_of_tensors_among_the_inputs_is_refused_naming_the_torch_signature(name):
    # ag.testing's refusal was raised, advising ag.autograd.gradcheck, the very function called (torch raises an
    # IndexError there)
    x, y = _x(), ag.tensor([2.0, 3.0, 4.0], requires_grad=True)
    with pytest.raises(TypeError, match=rf"autograd.{name}: input 1 is a tuple holding Tensors that require grad.*"
                                        rf"pass each as an input of its own, autograd.{name}\(f, \(x, y, z\)\)"):
        getattr(ag.autograd, name)(lambda a, b: a * b[0], (x, (y, y)))


def _scaled_identity(base, factor):
    """A Function of base (ag's or torch's) passing x on, whose backward scales the gradient by factor (right: 1)."""
    class ScaledIdentity(base):
        forward = staticmethod(lambda ctx, x: x * 1)
        backward = staticmethod(lambda ctx, g: g * factor)
    return ScaledIdentity


def test_the_first_output_with_a_mismatch_is_named_then_the_first_input_as_torch():
    # outputs first, then inputs, as PyTorch's loops: input 0 is wrong only for output 1, input 1 for output 0 (the
    # check went input by input, naming output 1 with respect to input 0)
    def case(module):
        wrong = _scaled_identity(module.autograd.Function, 1.5).apply
        x = module.tensor([0.5, 1.5], dtype=module.float64, requires_grad=True)
        y = module.tensor([2.0, 3.0], dtype=module.float64, requires_grad=True)
        return _mismatch(module, "gradcheck", lambda a, b: (a + wrong(b), wrong(a) * 3 + b), (x, y))
    ours, torchs = _both(case)
    assert ours == torchs == "Jacobian mismatch for output 0 with respect to input 1"


# ---- inputs and outputs numbered as torch numbers them: among the inputs that require grad and the outputs that do
# (ours counted every argument and every output, so a constant input or an output outside the graph made the message
# name another pair than torch's for the same function; gradgradcheck named its own pair). Found by review.

def test_a_constant_input_is_not_counted_as_torch():
    def case(module):
        c = module.ones(2, dtype=module.float64)
        x = module.ones(2, dtype=module.float64, requires_grad=True)
        return _mismatch(module, "gradcheck", lambda c, x: _hooked_clone(x) * c, (c, x))
    ours, torchs = _both(case)
    assert ours == torchs == "Jacobian mismatch for output 0 with respect to input 0"


def test_an_output_that_requires_no_grad_is_not_counted_as_torch():
    def case(module):
        x = module.ones(2, dtype=module.float64, requires_grad=True)
        return _mismatch(module, "gradcheck", lambda x: (module.zeros(2, dtype=module.float64), _hooked_clone(x)), x)
    ours, torchs = _both(case)
    assert ours == torchs == "Jacobian mismatch for output 0 with respect to input 0"


def test_forward_mode_numbers_inputs_as_torch():
    def case(module):
        wrong_jvp = _square_with_jvp(module.autograd.Function, 3).apply
        c = module.ones(2, dtype=module.float64)
        x = module.tensor([0.5, 1.5], dtype=module.float64, requires_grad=True)
        return _mismatch(module, "gradcheck", lambda c, x: (c * 2, wrong_jvp(x) * c), (c, x), check_forward_ad=True,
                         check_backward_ad=False)
    ours, torchs = _both(case)
    assert ours == torchs == "Jacobian computed with forward mode mismatch for output 0 with respect to input 0"


def _cut(g):
    """g cut from the graph (ag's backward gets an array, or a Tensor under create_graph)."""
    return g.detach() if hasattr(g, "detach") else g


def test_gradgradcheck_names_its_mismatch_as_torch():
    # backward cuts its cotangent from the graph: the first derivative's Jacobian in the cotangent (torch's input 1,
    # after x) is wrong; ours said "for the gradient of input 0 with respect to the cotangent"
    def case(module):
        square = _square(module.autograd.Function, lambda g, x: 0 * x)
        detached = _square(module.autograd.Function, lambda g, x: 2 * x * (_cut(g) - g))
        x = module.tensor([0.5, 1.5], dtype=module.float64, requires_grad=True)
        assert getattr(module.autograd, "gradgradcheck")(square.apply, (x,))
        return _mismatch(module, "gradgradcheck", detached.apply, (x,))
    ours, torchs = _both(case)
    assert ours == torchs == "Jacobian mismatch for output 0 with respect to input 1"


def test_a_list_of_constant_tensors_among_the_inputs_is_taken_as_torch():
    # it was refused as a list holding float Tensors "whose gradients would go unchecked"; only those that require
    # grad would
    for module in (ag, pytest.importorskip("torch")):
        c = module.tensor([2.0, 3.0], dtype=module.float64)
        x = module.tensor([0.5, 1.5], dtype=module.float64, requires_grad=True)
        assert module.autograd.gradcheck(lambda x, cs: x * cs[0] * cs[1], (x, [c, c]))
        assert module.autograd.gradgradcheck(lambda x, cs: x * x * cs[0], (x, (c, c)))
    x = ag.tensor([0.5, 1.5], requires_grad=True)
    with pytest.raises(TypeError, match="input 1 is a list holding Tensors that require grad"):
        ag.autograd.gradcheck(lambda x, cs: x * cs[0], (x, [x, ag.ones(2)]))
