"""autograd_core/testing/gradcheck.py: the checks pass on correct rules and catch wrong ones."""
import numpy as np
import pytest

import autograd_core as ag
from autograd_core.primitive import Primitive
from autograd_core.testing import GradcheckError, gradcheck, gradgradcheck, numerical_grad


class WrongSquare(ag.Function):
    """x ** 2 with the gradient 2x off by 0.01 at index 1."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 2

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
    with pytest.raises(GradcheckError, match=r"input 1 \(shape \(3,\)\) at index \(1,\).*engine.*finite differences"):
        gradcheck(lambda a, b: (a * WrongSquare.apply(b)).sum(), good, np.array([1.0, 2.0, 3.0]))


def test_gradcheck_catches_errors_in_non_scalar_outputs():
    # The error is only in the gradient of the output element 1; the random projection sees it.
    with pytest.raises(GradcheckError, match="input 0"):
        gradcheck(lambda x: WrongSquare.apply(x), np.array([1.0, 2.0, 3.0]))


class DoubleWithAveragedGradient(ag.Function):
    """2x whose backward spreads the mean of grad_output: right only when grad_output is uniform."""

    @staticmethod
    def forward(ctx, x):
        return 2 * x

    @staticmethod
    def backward(ctx, grad_output):
        return np.full(np.shape(grad_output), 2 * np.mean(grad_output))


def test_gradcheck_projects_a_non_scalar_output_on_a_random_direction():
    # With the all-ones cotangent of `.sum()` this wrong rule gives the right numbers; a random
    # projection of the output exposes it.
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
    x = ag.tensor([0.3, 0.7], dtype=np.float32)
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
# product, wrong by +1 in d(grad_x)/dx and -1 in d(grad_y)/dx, which cancel if both inputs share a direction.
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


def test_gradgradcheck_projects_each_input_on_its_own_direction():
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
    # A mismatch is named by the input's position among f's arguments.
    with pytest.raises(GradcheckError, match=r"mismatch for input 1 \(shape \(3,\)\)"):
        gradcheck(lambda axis, b: WrongSquare.apply(b).sum(axis=axis), 0, np.array([1.0, 2.0, 3.0]))
    with pytest.raises(ValueError, match=r"gradcheck: no input to differentiate; pass float arrays or numbers"):
        gradcheck(lambda n: ag.tensor(n) * 2, 3)


def test_a_tuple_of_outputs_is_checked_as_one_vector():
    x = np.array([0.1, 0.2, 0.7])
    assert gradcheck(lambda t: (ag.sin(t), ag.cos(t).sum()), x)
    with pytest.raises(GradcheckError, match=r"input 0 \(shape \(3,\)\) at index \(1,\)"):
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

def test_gradgradcheck_with_zero_tolerances_accepts_exact_agreement():
    # f(x) = 3x: the first derivative 3 is the same recorded or plain, and the second derivative is exactly 0
    # both for the engine and for finite differences: |engine - numerical| <= 0 holds with equality.
    assert gradgradcheck(lambda x: x * 3.0, [0.5, 2.0], atol=0, rtol=0)


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
