"""autograd_core/testing/gradcheck.py: the checks pass on correct rules and catch wrong ones."""
import numpy as np
import pytest

import autograd_core as ag
from autograd_core.primitive import Primitive
from autograd_core.testing import GradcheckError, check_grads, gradcheck, gradgradcheck, numerical_grad


class Square(ag.Function):
    """x ** 2, whose backward the subclasses below get wrong on purpose."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 2


class WrongSquare(Square):
    """x ** 2 with the gradient 2x off by 0.01 at index 1."""

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        grad = 2 * x * grad_output
        grad = np.array(grad, dtype=np.float64)
        grad.reshape(-1)[1] += 0.01
        return grad


# A correct first derivative written with a detached value: under create_graph the rule
# is not recorded in x, so the second derivative it implies is wrong (zero).
_detached_cube = Primitive("detached_cube", lambda x: x ** 3, (lambda g, ans, x: g * 3 * np.asarray(ag.Tensor(x).data) ** 2,))


def test_numerical_grad_of_known_functions():
    x, y = np.array([1.0, -2.0, 0.5]), np.array(3.0)
    gx, gy = numerical_grad(lambda a, b: (a * a * b).sum(), x, y)
    np.testing.assert_allclose(gx, 2 * x * 3.0, rtol=1e-8)
    np.testing.assert_allclose(gy, (x * x).sum(), rtol=1e-8)
    assert gx.dtype == np.float64 and gy.shape == ()


def test_numerical_grad_does_not_modify_inputs_and_accepts_lists_and_tensors():
    x = np.array([1.0, 2.0])
    t = ag.tensor([0.5, 0.25])
    during = []  # the caller's values seen while f runs: the steps are taken on copies

    def f(a, b):
        during.append(np.concatenate([x, t.data]))
        return (a * b).sum()

    numerical_grad(f, x, t)
    np.testing.assert_array_equal(x, [1.0, 2.0])
    np.testing.assert_array_equal(t.data, [0.5, 0.25])
    np.testing.assert_array_equal(during, np.tile([1.0, 2.0, 0.5, 0.25], (len(during), 1)))
    (g,) = numerical_grad(lambda a: (a ** 2).sum(), [3.0])
    np.testing.assert_allclose(g, [6.0])


def test_numerical_grad_steps_by_1e_6_by_default():
    # The central difference of x**3 at 0 is eps**2 exactly: it shows the step taken.
    (default,) = numerical_grad(lambda a: a ** 3, [0.0])
    np.testing.assert_allclose(default, [1e-12], rtol=1e-9)
    (coarse,) = numerical_grad(lambda a: a ** 3, [0.0], eps=1e-3)
    np.testing.assert_allclose(coarse, [1e-6], rtol=1e-9)


@pytest.mark.parametrize("call, error, message", [
    (lambda: numerical_grad(lambda x: None, np.ones(2)), TypeError,
     r"numerical_grad: f must return numbers \(a Tensor, an array or a number\), got array\(None"),
    (lambda: numerical_grad(lambda x: x.sum(), np.ones(2), eps=0), ValueError,
     r"numerical_grad: eps must be a finite number > 0, got 0"),
    (lambda: numerical_grad(lambda x: x.sum(), np.ones(2), eps=float("nan")), ValueError, r"eps must be a finite"),
    (lambda: numerical_grad(lambda x: x.sum(), np.ones(2), eps="x"), TypeError, r"eps must be a finite number"),
    (lambda: gradcheck(lambda x: x * 2, np.ones(2), atol=-1.0), ValueError,
     r"gradcheck: atol must be a finite number >= 0, got -1.0"),
    (lambda: gradgradcheck(lambda x: x * x, np.ones(2), rtol=float("nan")), ValueError,
     r"gradgradcheck: rtol must be a finite number >= 0, got nan"),
    (lambda: gradcheck(lambda x: x * 2, np.ones(2), eps=np.bool_(True)), TypeError, r"gradcheck: eps must be a finite"),
    (lambda: gradcheck(lambda x: x * 2, np.ones(2), raise_exception="no"), TypeError,
     r"gradcheck: raise_exception must be True or False, got 'no'"),
    (lambda: gradgradcheck(lambda x: x * x, np.ones(2), raise_exception=None), TypeError,
     r"gradgradcheck: raise_exception must be True or False, got None"),
], ids=["f returns None", "eps 0", "eps nan", "eps str", "negative atol", "nan rtol", "eps np.bool_",
        "raise_exception text", "raise_exception None"])
def test_settings_and_results_that_make_no_check_are_refused(call, error, message):
    # Each gave NaN gradients, a bare ZeroDivisionError or a false mismatch instead.
    with pytest.raises(error, match=message):
        call()


def test_settings_may_be_0_d_arrays_and_outputs_lists_as_before():
    assert gradcheck(lambda x: x * 2, np.ones(2), eps=np.array(1e-6), atol=ag.tensor(1e-5))
    (g,) = numerical_grad(lambda x: [x[0] * 2, x[1]], np.ones(2), cotangent=np.ones(2))
    np.testing.assert_allclose(g, [2.0, 1.0])


def test_numerical_grad_of_non_scalar_needs_a_cotangent():
    with pytest.raises(ValueError, match=r"shape \(2,\).*cotangent="):
        numerical_grad(lambda a: a * 2, np.ones(2))
    (g,) = numerical_grad(lambda a: a * a, np.array([1.0, 2.0]), cotangent=np.array([1.0, -1.0]))
    np.testing.assert_allclose(g, [2.0, -4.0], rtol=1e-8)


def test_gradcheck_passes_correct_gradients_of_scalar_and_non_scalar_outputs():
    assert gradcheck(lambda x, y: (ag.tanh(x) * y).sum(), np.array([0.1, 0.2]), np.array([1.0, -1.0]))
    assert gradcheck(lambda x: ag.softmax(x), np.array([[0.1, 0.5, -0.3]]))


def test_gradcheck_reports_input_index_and_values():
    good = np.array([0.5, 0.5, 0.5])
    with pytest.raises(GradcheckError, match=r"input 1 \(shape \(3,\)\) at index \(1,\): engine .*, "
                                             r"finite differences"):
        gradcheck(lambda a, b: (a * WrongSquare.apply(b)).sum(), good, np.array([1.0, 2.0, 3.0]))  # (one number out)


def test_gradcheck_catches_errors_in_non_scalar_outputs_and_names_the_jacobian_entry():
    # WrongSquare adds 0.01 to x[1]'s gradient whatever the cotangent: d out[k] / d x[1] is off by 0.01 for every k,
    # the worst where it should be 0 (first at k = 0); d out[1] / d x[1] = 4.01 is within rtol of 4.
    with pytest.raises(GradcheckError, match=r"input 0 \(shape \(3,\)\) at index \(1,\) and output 0 \(shape \(3,\)\) "
                                             r"at index \(0,\): engine 0\.01, finite differences 0\.0"):
        gradcheck(lambda x: WrongSquare.apply(x), np.array([1.0, 2.0, 3.0]))


class DoubleWithAveragedGradient(ag.Function):
    """2x whose backward spreads the mean of grad_output: right only when grad_output is uniform."""

    @staticmethod
    def forward(ctx, x):
        return 2 * x

    @staticmethod
    def backward(ctx, grad_output):
        return np.full(np.shape(grad_output), 2 * np.mean(grad_output))


def test_gradcheck_compares_every_jacobian_entry_of_a_non_scalar_output():
    # With the all-ones cotangent of `.sum()` this wrong rule gives the right numbers; the one-hot
    # cotangents, one per output element, expose it.
    assert gradcheck(lambda x: DoubleWithAveragedGradient.apply(x).sum(), np.arange(3.0))
    with pytest.raises(GradcheckError, match="input 0"):
        gradcheck(lambda x: DoubleWithAveragedGradient.apply(x), np.arange(3.0))


# 3x for the derivative of x**2: |engine - numerical| is half of |numerical|.
_overstated_square = Primitive("overstated_square", np.square, (lambda g, ans, x: g * 3 * x,))


@pytest.mark.parametrize("rtol, passes", [(0.45, False), (0.55, True)])
def test_gradcheck_tolerance_is_relative_to_the_finite_differences(rtol, passes):
    check = gradcheck(lambda t: _overstated_square(t).sum(), [1.0, 2.0], atol=0.0, rtol=rtol, raise_exception=False)
    assert check is passes


def test_gradcheck_without_raise_returns_false():
    assert gradcheck(lambda x: WrongSquare.apply(x).sum(), np.ones(3), raise_exception=False) is False


def test_gradcheck_checks_in_float64_even_for_float32_inputs():
    x = ag.tensor([0.3, 0.7], dtype=np.float32, requires_grad=True)
    assert gradcheck(lambda t: (ag.exp(t) * t).sum(), x)


def test_gradcheck_of_a_constant_function_compares_zeros():
    assert gradcheck(lambda x: ag.tensor(1.0), np.ones(2))


def test_gradcheck_catches_a_non_finite_engine_gradient():
    with pytest.raises(GradcheckError, match="input 0"):
        with np.errstate(divide="ignore", invalid="ignore"):
            gradcheck(lambda x: (ag.sqrt(x * x) * 0).sum() + x.sum(), np.array([0.0, 1.0]))


def test_gradgradcheck_passes_correct_second_derivatives():
    assert gradgradcheck(lambda x, y: (ag.sin(x) * y ** 2).sum(), np.array([0.2, 1.0]), np.array([0.5, -1.5]))
    assert gradgradcheck(lambda x: ag.log_softmax(x, axis=0), np.array([0.3, -0.1, 0.8]))


def test_gradgradcheck_catches_a_rule_that_is_not_recorded():
    x = np.array([0.5, 1.5])
    assert gradcheck(lambda t: _detached_cube(t).sum(), x)  # first derivative right
    with pytest.raises(GradcheckError, match="gradgradcheck: mismatch for input 0"):
        gradgradcheck(lambda t: _detached_cube(t).sum(), x)
    assert gradgradcheck(lambda t: _detached_cube(t).sum(), x, raise_exception=False) is False


# A rule that gives a different first derivative when it runs on Tensors (create_graph=True).
def _inconsistent_rule(g, ans, x):
    return g * 2 * x if isinstance(x, ag.Tensor) else g * 3 * x ** 2


_inconsistent_cube = Primitive("inconsistent_cube", lambda x: x ** 3, (_inconsistent_rule,))


def _value(x):
    """x's value cut from the graph: x - _value(x) is zero in value but has derivative 1 when recorded."""
    return ag.Tensor(x).data


# Exact first derivatives whose recorded second derivatives are wrong: 0.5% too large for the cube; for the
# product, wrong by +1 in d(grad_x)/dx and -1 in d(grad_y)/dx, which cancel in a check that sums the two.
_nudged_cube = Primitive("nudged_cube", lambda x: x ** 3,
                         (lambda g, ans, x: g * (3 * x ** 2 + 0.03 * _value(x) * (x - _value(x))),))
_cancelling_product = Primitive("cancelling_product", np.multiply, (
    lambda g, ans, x, y: g * y + (x - _value(x)),
    lambda g, ans, x, y: g * x - (x - _value(x)),
))


def test_gradgradcheck_default_tolerance_catches_a_second_derivative_half_a_percent_off():
    x = np.array([0.5, 1.5])
    assert gradcheck(lambda t: _nudged_cube(t).sum(), x)
    assert gradgradcheck(lambda t: _nudged_cube(t).sum(), x, raise_exception=False) is False
    assert gradgradcheck(lambda t: _nudged_cube(t).sum(), x, rtol=1e-2)


def test_gradgradcheck_compares_each_second_derivative_entry():
    x, y = np.array([0.5, 1.5]), np.array([-1.0, 2.0])
    assert gradcheck(lambda a, b: _cancelling_product(a, b).sum(), x, y)
    with pytest.raises(GradcheckError, match="gradgradcheck: mismatch for input 0"):
        gradgradcheck(lambda a, b: _cancelling_product(a, b).sum(), x, y)


def test_gradgradcheck_catches_a_recorded_gradient_that_differs_from_the_plain_one():
    x = np.array([0.5, 1.5])
    assert gradcheck(lambda t: _inconsistent_cube(t).sum(), x)
    with pytest.raises(GradcheckError, match="recorded with create_graph=True differs from the plain gradient"):
        gradgradcheck(lambda t: _inconsistent_cube(t).sum(), x)


@pytest.mark.filterwarnings("ignore:invalid value encountered in log:RuntimeWarning")
def test_gradcheck_fails_when_finite_differences_are_not_finite():
    # At 1e-7 the central difference steps below 0, where log is NaN: nothing was checked, so it fails.
    with pytest.raises(GradcheckError, match="finite differences nan"):
        gradcheck(lambda x: ag.log(x).sum(), [1e-7])
    assert gradcheck(lambda x: ag.log(x).sum(), [1e-7], raise_exception=False) is False


def test_arguments_that_are_no_floats_reach_f_as_they_are_as_in_pytorch():
    x = np.array([[0.5, -1.0, 2.0], [0.1, 0.2, 0.3]])
    assert gradcheck(lambda t, axis: ag.tanh(t).sum(axis=axis), x, 1)
    assert gradcheck(lambda t, index: (t[index] ** 2).sum(), x, np.array([0, 0, 1]))  # repeated rows accumulate
    assert gradcheck(lambda t, how, none: getattr(ag, how)(t).sum(), x, "sin", None)
    assert gradcheck(lambda t, rows, axes: (t[rows] ** 2).sum(axis=axes), x, [0, 0, 1], (0, 1))  # int lists too
    with pytest.raises(TypeError, match=r"gradcheck: input 1 is a tuple holding float arrays of several shapes; "
                                        r"pass each of them as an input of its own"):  # not passed on unchecked
        gradcheck(lambda t, pair: (t * pair[0]).sum() + pair[1].sum(), x, (np.ones(3), np.ones(2)))
    # A mismatch numbers the input among those differentiated, as torch.autograd.gradcheck, and gives its position
    # among f's arguments where that differs.
    with pytest.raises(GradcheckError, match=r"mismatch for input 0 \(f's argument 1, shape \(3,\)\).*Jacobian "
                                             r"mismatch for output 0 with respect to input 0$"):
        gradcheck(lambda axis, b: WrongSquare.apply(b).sum(axis=axis), 0, np.array([1.0, 2.0, 3.0]))
    with pytest.raises(ValueError, match=r"gradcheck: no input to differentiate; pass float arrays or numbers"):
        gradcheck(lambda n: ag.tensor(n) * 2, 3)



# ---- PyTorch's gradcheck(f, (x,)) given to ag.testing.gradcheck, whose inputs are f's arguments one by one: the
# tuple was stacked into one (1, n) array, so f ran at another shape (and (x, y) became one argument); refused with
# the two ways. Integer Tensors in a list stay indices. ----
@pytest.mark.parametrize("check", [gradcheck, gradgradcheck])
def test_a_tuple_of_tensors_as_pytorchs_signature_is_refused_with_the_way(check):
    x = ag.tensor([0.5, -1.0, 2.0], requires_grad=True)
    y = ag.tensor([0.1, 0.2, 0.3], requires_grad=True)
    name = check.__name__
    shapes = []

    def f(*args):
        shapes.append(np.shape(args[0]))
        return ag.tanh(args[0]).sum()

    for inputs, kind in (((x,), "tuple"), ((x, y), "tuple"), ([x, y], "list"), (([x],), "tuple")):
        with pytest.raises(TypeError, match=rf"^{name}: input 0 is a {kind} holding Tensors that require grad, "
                                            rf"whose gradients would go unchecked .*; pass each as an input of its "
                                            rf"own, {name}\(f, x, y\) \(PyTorch's {name}\(f, \(x, y\)\) is "
                                            rf"ag\.autograd\.{name}\)$"):
            check(f, inputs)
    assert shapes == []  # refused before f ran
    assert check(lambda a, b: (ag.tanh(a) * b).sum(), x, y)
    assert getattr(ag.autograd, name)(lambda a, b: (ag.tanh(a) * b).sum(), (x, y))
    assert check(lambda t, rows: (t[rows[0]] ** 3).sum(), x, [ag.tensor([0, 0, 2])])  # (repeated rows accumulate)
    assert check(lambda t, cs: (ag.tanh(t) * cs[0] * cs[1]).sum(), x, [y.detach(), y.detach()])  # constants
    torch = pytest.importorskip("torch")
    t = torch.tensor([0.5, -1.0, 2.0], dtype=torch.float64, requires_grad=True)
    assert getattr(torch.autograd, name)(lambda a: torch.tanh(a).sum(), (t,))  # PyTorch's form, its verdict

def test_a_tuple_of_outputs_is_checked_as_one_vector():
    x = np.array([0.1, 0.2, 0.7])
    assert gradcheck(lambda t: (ag.sin(t), ag.cos(t).sum()), x)
    with pytest.raises(GradcheckError, match=r"input 0 \(shape \(3,\)\) at index \(1,\) and output 1 \(shape \(3,\)\) "
                                             r"at index \(0,\)"):  # WrongSquare adds 0.01 at index 1 whatever the seed
        gradcheck(lambda t: (ag.sin(t), WrongSquare.apply(t)), x)


def test_f_may_differentiate_its_own_inputs():
    """What gradgradcheck is made of, checkable by gradcheck too (PyTorch's gradcheck allows it)."""
    x = np.array([1.0, 2.0])
    assert gradcheck(lambda t: ag.backprop((t ** 3).sum(), create_graph=True)[t], x)  # 3 t^2, whose gradient is 6 t
    with pytest.raises(GradcheckError, match=r"engine 0\.0"):  # a first derivative recorded in no input
        gradcheck(lambda t: ag.backprop(_detached_cube(t).sum(), create_graph=True)[t], x)


def test_numerical_grad_refuses_a_cotangent_of_another_shape():
    with pytest.raises(ValueError, match="cotangent has shape"):
        numerical_grad(lambda x: x * 2, np.array([1.0, 2.0]), cotangent=np.ones((3, 2)))


def test_numerical_grad_works_in_float64_for_integer_inputs():
    (g,) = numerical_grad(lambda x: (x ** 2).sum(), np.array([1, 3]))
    np.testing.assert_allclose(g, [2.0, 6.0], rtol=1e-6)


def test_numerical_grad_refuses_a_boolean_output():
    with pytest.raises(TypeError, match="must return numbers"):
        numerical_grad(lambda x: x > 0, np.array([1.0]))


class Off(ag.Function):  # d(x^2)/dx off by 5e-5 at x = 0
    forward = staticmethod(lambda ctx, x: x ** 2)
    @staticmethod
    def backward(ctx, g):
        return g * 0 + 5e-5


def test_gradcheck_default_atol_is_1e_5():
    assert gradcheck(lambda x: Off.apply(x), np.array([0.0]), raise_exception=False) is False


class Cube(ag.Function):  # backward differs by 1% when recorded (Tensors) from the plain pass (arrays)
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 3

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        factor = 1.01 if isinstance(g, ag.Tensor) else 1.0
        return 3 * x ** 2 * g * factor


def test_gradgradcheck_compares_the_recorded_gradient_with_the_plain_one_tightly():
    assert gradgradcheck(lambda x: Cube.apply(x), np.array([0.7]), raise_exception=False) is False


def test_gradcheck_with_zero_tolerances_accepts_exact_agreement():
    # f(x) = 2x at 0.5 and 2 with eps = 2**-10: the steps, the products and so every central difference (2 and 0)
    # are exact in float64, as the engine's entries are: |engine - numerical| <= 0 holds with equality.
    assert gradcheck(lambda x: x * 2.0, [0.5, 2.0], eps=2.0 ** -10, atol=0, rtol=0)


def test_numerical_grad_refuses_a_none_input_instead_of_returning_nan():
    with pytest.raises((TypeError, ValueError), match="numerical_grad"):
        numerical_grad(lambda x: (x * x).sum(), None)


def test_numerical_grad_names_itself_for_a_string_input():
    with pytest.raises((TypeError, ValueError), match="numerical_grad"):
        numerical_grad(lambda x: (x * x).sum(), "a")


def test_numerical_grad_takes_a_python_int_beyond_int64_as_the_number_it_is():
    # 3x is exact in float64 at 2**70 with a step of 2**20: the central difference is 3
    (g,) = numerical_grad(lambda x: 3.0 * x, 2**70, eps=2.0**20)
    np.testing.assert_array_equal(g, np.float64(3.0))


def _torch_verdict(check, f, *inputs):
    """torch.autograd's verdict (True or False) on f at inputs: the float64 arrays require grad, ("const", array)
    does not."""
    torch = pytest.importorskip("torch")
    tensors = [torch.tensor(x, dtype=torch.float64, requires_grad=True) if isinstance(x, np.ndarray)
               else torch.tensor(x[1], dtype=torch.float64) for x in inputs]
    return check(f, tuple(tensors), raise_exception=False)


@pytest.mark.parametrize("layout", ["transposed", "fortran", "tensor_of_transposed"])
def test_numerical_grad_and_the_checks_take_a_transposed_input(layout):
    # A transposed (Fortran-order) array is an ordinary input: d(sum(a ** 2))/da = 2a. Its steps once went to a
    # flattened copy, and the differences were all 0.
    x = np.arange(6.0).reshape(2, 3) / 10
    value = {"transposed": x.T, "fortran": np.asfortranarray(x),
             "tensor_of_transposed": ag.tensor(x.T, requires_grad=True)}[layout]
    (g,) = numerical_grad(lambda a: (a ** 2).sum(), value)
    np.testing.assert_allclose(g, 2 * np.asarray(value.data if layout == "tensor_of_transposed" else value), rtol=1e-6)
    assert gradcheck(lambda a: (a ** 2).sum(), value)
    assert gradgradcheck(lambda a: (a ** 3).sum(), value)


class ScaleBy(ag.Function):
    """x * s where s is a setting, not an input to differentiate: backward returns None for it."""

    @staticmethod
    def forward(ctx, x, s):
        ctx.save_for_backward(s)
        return x * s

    @staticmethod
    def backward(ctx, grad_output):
        (s,) = ctx.saved_tensors
        return grad_output * s, None


def test_a_tensor_that_does_not_require_grad_reaches_f_as_a_constant_as_in_torch():
    x, s = np.array([0.5, 1.5]), np.array([2.0, -1.0])
    constant, seen = ag.tensor(s), []
    assert gradcheck(lambda a, b: seen.append(b) or ScaleBy.apply(a, b), ag.tensor(x, requires_grad=True), constant)
    assert seen and all(b is constant for b in seen)
    assert gradgradcheck(lambda a, b: ScaleBy.apply(a, b) ** 2, ag.tensor(x, requires_grad=True), ag.tensor(s))
    # An array, a list or a number is differentiated (API.md's examples pass lists): s's missing gradient is caught.
    for setting in (s, list(s), 2.0):
        with pytest.raises(GradcheckError, match="mismatch for input 1"):
            gradcheck(ScaleBy.apply, x, setting)
    torch = pytest.importorskip("torch")

    class TorchScaleBy(torch.autograd.Function):
        forward = staticmethod(ScaleBy.forward)

        @staticmethod
        def backward(ctx, grad_output):
            (s,) = ctx.saved_tensors
            return grad_output * s, None

    assert _torch_verdict(torch.autograd.gradcheck, TorchScaleBy.apply, x, ("const", s))


_RNG = np.random.default_rng(1)
_A = _RNG.standard_normal((20, 20))
_A_WRONG = _A.copy()
_A_WRONG[3, 5] *= 1.01  # one Jacobian entry 1% off


class MatVec(ag.Function):
    """y = A x, its backward using A with one entry 1% off."""

    @staticmethod
    def forward(ctx, x):
        return _A @ x

    @staticmethod
    def backward(ctx, grad_output):
        return _A_WRONG.T @ grad_output


def test_gradcheck_catches_one_wrong_jacobian_entry_as_torch():
    # |0.01 * A[3, 5]| is far above atol + rtol * |A[3, 5]|; a projection of the 20 outputs on one direction let
    # it pass.
    x = _RNG.standard_normal(20)
    with pytest.raises(GradcheckError, match=r"input 0 \(shape \(20,\)\) at index \(5,\) and output 0 \(shape \(20,\)\) "
                                             r"at index \(3,\)"):
        gradcheck(MatVec.apply, x)
    torch = pytest.importorskip("torch")
    assert not _torch_verdict(torch.autograd.gradcheck,
                              lambda t: torch.tensor(_A_WRONG) @ t + (torch.tensor(_A - _A_WRONG) @ t).detach(), x)


@pytest.mark.parametrize("x", [[20.0, 0.01], [25.0, 1.0]])
def test_gradcheck_passes_exp_of_inputs_of_different_scales_as_torch(x):
    # exp is right; each Jacobian entry is differenced on its own output, so exp(25) never enters the finite
    # difference of exp(1) (summed first, it drowned it: "engine -0.359, finite differences 0.0").
    x = np.array(x)
    assert gradcheck(ag.exp, x)
    torch = pytest.importorskip("torch")
    assert _torch_verdict(torch.autograd.gradcheck, torch.exp, x)


class LinearSquare(ag.Function):
    """x @ w for a square w, its weight gradient transposed: (x.T @ g).T instead of x.T @ g."""

    @staticmethod
    def forward(ctx, x, w):
        ctx.save_for_backward(x, w)
        return x @ w

    @staticmethod
    def backward(ctx, grad_output):
        x, w = ctx.saved_tensors
        return grad_output @ w.T, (x.T @ grad_output).T


def test_gradcheck_catches_a_transposed_weight_gradient_for_inputs_drawn_with_seed_0():
    # The usual test data, np.random.default_rng(0), was once the fixed projection itself: with g = x the wrong
    # gradient x.T @ x is symmetric and looked right.
    x = np.random.default_rng(0).standard_normal((4, 3))
    w = np.random.default_rng(1).standard_normal((3, 3))
    with pytest.raises(GradcheckError, match="input 1"):
        gradcheck(LinearSquare.apply, x, w)
    torch = pytest.importorskip("torch")

    class TorchLinearSquare(torch.autograd.Function):
        forward = staticmethod(LinearSquare.forward)

        @staticmethod
        def backward(ctx, g):
            a, b = ctx.saved_tensors
            return g @ b.T, (a.T @ g).T

    assert not _torch_verdict(torch.autograd.gradcheck, TorchLinearSquare.apply, x, w)


class SquareCuttingItsCotangent(Square):
    """x ** 2 whose backward is right but not differentiable in grad_output (it takes the cotangent's value)."""

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return 2 * x * np.array(ag.Tensor(grad_output).data)


def test_gradgradcheck_catches_a_backward_not_differentiable_in_its_cotangent_as_torch():
    # What the check protects: ag.jvp differentiates a backward in its cotangent, and gives 0 here instead of 2x.
    x = np.array([0.5, 1.5, -0.7])
    assert gradcheck(SquareCuttingItsCotangent.apply, x)
    with pytest.raises(GradcheckError, match=r"gradgradcheck: mismatch for input 1 \(the cotangent, shape \(3,\)\) at "
                                             r"index \((\d),\) and output 0 \(the gradient of input 0, shape \(3,\)\) "
                                             r"at index \(\1,\)"):
        gradgradcheck(SquareCuttingItsCotangent.apply, x)
    torch = pytest.importorskip("torch")

    class TorchSquareCuttingItsCotangent(torch.autograd.Function):
        forward = staticmethod(SquareCuttingItsCotangent.forward)

        @staticmethod
        def backward(ctx, grad_output):
            (x,) = ctx.saved_tensors
            return 2 * x * grad_output.detach()

    assert not _torch_verdict(torch.autograd.gradgradcheck, TorchSquareCuttingItsCotangent.apply, x)


# gradgradcheck passed (True) for an f whose outputs were computed outside the graph (from .data, or NumPy values),
# whatever they were: no first derivative, so nothing was compared; it compares f's finite differences with zero,
# as gradcheck does. An f returning a nested tuple or list is refused (gradcheck blamed the engine, "engine 0.0",
# for the Tensors it could not reach; gradgradcheck passed).

X_CUT = np.array([0.5, 1.5])


@pytest.mark.parametrize("f", [
    lambda x: np.asarray(x.data) * 2,
    lambda x: ag.tensor(x.data ** 2),
    lambda x: (x.detach() * 3, ag.argmax(x)),
])
def test_gradgradcheck_of_outputs_cut_from_the_graph_fails(f):
    with pytest.raises(GradcheckError, match=r"gradgradcheck: mismatch for input 0 .* engine 0.0.*\(no output of f "
                                             r"requires grad"):
        gradgradcheck(f, X_CUT)
    assert gradgradcheck(f, X_CUT, raise_exception=False) is False
    with pytest.raises(GradcheckError, match="gradcheck: mismatch for input 0"):
        gradcheck(f, X_CUT)


@pytest.mark.parametrize("f", [lambda x: ag.ones(3), lambda x: 2.0, lambda x: (ag.argmax(x), np.zeros(2))])
def test_gradgradcheck_of_a_constant_still_passes(f):
    assert gradgradcheck(f, X_CUT) and gradcheck(f, X_CUT)


@pytest.mark.parametrize("f, kind", [
    (lambda x: [[x * 2, x * 3]], "list whose output 0 is a list"),
    (lambda x: (x, (x * 2,)), "tuple whose output 1 is a tuple"),
])
def test_nested_outputs_refused(f, kind):
    for check in (gradcheck, gradgradcheck):
        with pytest.raises(TypeError, match=f"{check.__name__}: f returned a {kind}; return a Tensor"):
            check(f, X_CUT)


def test_flat_tuples_still_checked():
    assert gradcheck(lambda x: (x * 2, ag.sin(x).sum()), X_CUT)
    assert gradgradcheck(lambda x: [x ** 3, ag.exp(x)], X_CUT)


# numerical_grad's cotangent= is checked as its inputs are: None or a complex number in it was read as NaN or cast
# to its real part without a word, text or an object raised NumPy's bare errors; a ragged input raised NumPy's
# "setting an array element with a sequence", naming no function.

def double(x):
    return x * 2


@pytest.mark.parametrize("cotangent", [[None, 1.0], [1j, 1.0], np.array([1 + 0j, 2]), ["a", "b"], object()])
def test_cotangent_that_is_no_real_numbers_refused(cotangent):
    with pytest.raises(TypeError, match="numerical_grad: cotangent must be a number or an array of"):
        numerical_grad(double, np.array([1.0, 2.0]), cotangent=cotangent)


def test_ragged_input_and_cotangent_refused_by_name():
    with pytest.raises(TypeError, match=r"numerical_grad: input 0 is a ragged list"):
        numerical_grad(lambda x: x.sum(), [[1.0, 2.0], [3.0]])
    with pytest.raises(TypeError, match=r"numerical_grad: cotangent is a ragged list"):
        numerical_grad(double, np.array([1.0, 2.0]), cotangent=[[1.0], [2.0, 3.0]])


def test_valid_cotangents_still_weigh_the_output():
    x = np.array([1.0, 2.0])
    for cotangent in ([1, 3], np.array([1.0, 3.0], dtype=np.float32), ag.tensor([1.0, 3.0]), (1.0, 3.0)):
        (g,) = numerical_grad(double, x, cotangent=cotangent)
        np.testing.assert_allclose(g, [2.0, 6.0])
    (g,) = numerical_grad(lambda x: x.sum(), x, cotangent=2.0)  # a 0-d output, a number
    np.testing.assert_allclose(g, [2.0, 2.0])
    with pytest.raises(ValueError, match=r"f returned shape \(2,\) but cotangent has shape \(3,\)"):
        numerical_grad(double, x, cotangent=[1.0, 1.0, 1.0])


# An f whose output shape changes when an input moves by eps (a mask x[x > 0] near 0): numerical_grad returned
# finite differences of outputs broadcast against each other (-2e6 for a slope of 2) or raised NumPy's "could not
# broadcast"; gradcheck blamed the engine with that number; gradgradcheck raised the engine's "gradient has shape
# (2,) but the output has shape (1,)". Each names the change.

X_AT_THE_MASK_EDGE = np.array([1e-7, 2.0, -1.0])  # its entry 0 - eps < 0 < its entry 0 + eps


def masked(t):
    return t[t.data > 0] * 2


@pytest.mark.parametrize("call, name", [
    (lambda: numerical_grad(masked, X_AT_THE_MASK_EDGE, cotangent=np.ones(2)), "numerical_grad"),
    (lambda: numerical_grad(lambda t: masked(t).sum() * masked(t), X_AT_THE_MASK_EDGE[:1]), "numerical_grad"),
    (lambda: gradcheck(masked, X_AT_THE_MASK_EDGE), "gradcheck"),
    (lambda: gradcheck(masked, X_AT_THE_MASK_EDGE, raise_exception=False), "gradcheck"),
])
def test_output_size_changing_with_eps_is_named(call, name):
    with pytest.raises(ValueError, match=rf"{name}: f's output has \d element\(s\), but \d with input 0 at index "
                                         rf"\(0,\) moved by eps=1e-06; finite differences need an output whose shape"):
        call()


def test_gradgradcheck_names_it_too():
    with pytest.raises(ValueError, match=r"gradgradcheck: f's outputs have shapes \[\(2,\)\] at the inputs given, "
                                         r"but \[\(1,\)\] with an input moved by eps=1e-06"):
        gradgradcheck(lambda t: masked(t) ** 3, X_AT_THE_MASK_EDGE)


def test_masks_away_from_the_crossing_still_check():
    x = np.array([0.5, -1.0, 2.0])
    assert gradcheck(masked, x) and gradgradcheck(lambda t: masked(t) ** 3, x)
    (g,) = numerical_grad(masked, x, cotangent=np.ones(2))
    np.testing.assert_allclose(g, [2.0, 0.0, 2.0], atol=1e-6)


# ---- check_grads: JAX's jax.test_util.check_grads(f, args, order, modes) ----------------------------------------

class _SinCutTwice(ag.Function):
    """sin whose backward reads its saved input as a plain array: right first derivative, second derivative 0."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.sin(x)

    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return g * np.cos(np.asarray(x))


@pytest.mark.parametrize("modes", [("fwd", "rev"), ("fwd",), ("rev",), "rev"])
def test_check_grads_passes_right_derivatives_to_any_order_and_returns_none(modes):
    f = lambda x, y: ag.tanh(x * y) + x ** 3  # noqa: E731
    assert check_grads(f, (0.5, [2.0, 0.3]), order=3, modes=modes) is None
    assert check_grads(lambda x: ag.sin(x).sum(), [np.array([0.3, 1.0])], order=2, modes=modes) is None


@pytest.mark.parametrize("mode", ["fwd", "rev"])
def test_check_grads_catches_a_wrong_second_derivative_naming_order_and_mode(mode):
    x = np.array([0.3, 1.0])
    check_grads(_SinCutTwice.apply, (x,), order=1, modes=[mode])
    assert float(ag.grad(ag.grad(_SinCutTwice.apply))(0.3)) == 0.0  # (the cut: -sin(0.3) is right)
    with pytest.raises(GradcheckError, match=rf"^check_grads: order 2, mode '{mode}': .*engine 0\.0"):
        check_grads(_SinCutTwice.apply, (x,), order=2, modes=[mode])
    with pytest.raises(AssertionError):  # (JAX raises AssertionError: GradcheckError is one)
        check_grads(_SinCutTwice.apply, (x,), order=2, modes=[mode])


@pytest.mark.parametrize("args, order, modes, error, message", [
    (0.5, 1, ("rev",), TypeError, r"args is the tuple of f's arguments.*got float; write \(x,\)"),
    ((0.5,), 0, ("rev",), ValueError, r"order must be an int >= 1 .*got 0"),
    ((0.5,), 1.0, ("rev",), ValueError, r"order must be an int >= 1 .*got 1\.0"),
    ((0.5,), 1, ("reverse",), ValueError, r"modes must hold 'fwd' and/or 'rev', got \('reverse',\)"),
    ((0.5,), 1, (), ValueError, r"modes must hold 'fwd' and/or 'rev', got \(\)"),
])
def test_check_grads_refuses_bad_arguments_by_name(args, order, modes, error, message):
    with pytest.raises(error, match=rf"^check_grads: {message}"):
        check_grads(ag.sin, args, order, modes=modes)
