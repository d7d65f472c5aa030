"""The elementwise functions a NumPy or PyTorch user expects beyond exp, log, sin...: tan, arcsin, arccos, arctan,
arctan2, hypot, sinh, cosh, arcsinh, arccosh, arctanh (autograd_core/ops/trigonometric.py), log2, log10, exp2,
square, reciprocal and sign (autograd_core/ops/elementwise.py): one declaration each drives the generated tests;
then NumPy's dtypes for int and bool inputs, PyTorch's values and gradients at the domains' edges, second
derivatives inside and at the edges (the one-sided limits, as PyTorch's), the NumPy dispatch, the methods and
PyTorch's aliases, and the errors."""
import warnings

import numpy as np
import pytest

import autograd_core as ag
from autograd_core.testing.strategies import elements
from conftest import backward_refused
from optable import Op, generated_tests


def _off_the_origin(a, b):
    return bool(np.all(a * a + b * b > 1e-2))


# arctan2 jumps by 2 pi where y crosses 0 with x < 0, and has no derivative at the origin: y stays 0.1 away from 0.
_Y_OFF_THE_CUT = elements(-3.0, 3.0, avoid=(0.0,), margin=0.1)

MORE = [
    Op("tan", ag.tan, np.tan, elements=(-1.3, 1.3)),  # (poles at +-pi/2)
    Op("arcsin", ag.arcsin, np.arcsin, elements=(-0.95, 0.95)),  # (infinite slope at +-1)
    Op("arccos", ag.arccos, np.arccos, elements=(-0.95, 0.95)),
    Op("arctan", ag.arctan, np.arctan),
    Op("arctan2", ag.arctan2, np.arctan2, arity=2, elements=[_Y_OFF_THE_CUT, (-3.0, 3.0)]),
    Op("hypot", ag.hypot, np.hypot, arity=2, valid=_off_the_origin),
    Op("sinh", ag.sinh, np.sinh),
    Op("cosh", ag.cosh, np.cosh),
    Op("arcsinh", ag.arcsinh, np.arcsinh),
    Op("arccosh", ag.arccosh, np.arccosh, elements=(1.05, 4.0)),  # (infinite slope at 1)
    Op("arctanh", ag.arctanh, np.arctanh, elements=(-0.9, 0.9)),  # (poles at +-1)
    Op("log2", ag.log2, np.log2, elements=(0.05, 5.0)),
    Op("log10", ag.log10, np.log10, elements=(0.05, 5.0)),
    Op("exp2", ag.exp2, np.exp2),
    Op("square", ag.square, np.square),
    Op("reciprocal", ag.reciprocal, np.reciprocal, avoid=(0.0,), margin=0.2),
    # the methods taking a second operand, and a NumPy call, broadcasting
    Op("atan2_method", lambda y, x: y.atan2(x), np.arctan2, arity=2, elements=[_Y_OFF_THE_CUT, (-3.0, 3.0)]),
    Op("hypot_method", lambda a, b: a.hypot(b), np.hypot, arity=2, valid=_off_the_origin),
    Op("np.arctan2", np.arctan2, np.arctan2, arity=2, elements=[_Y_OFF_THE_CUT, (-3.0, 3.0)]),
]

globals().update(generated_tests(MORE))

UNARY = ["tan", "arcsin", "arccos", "arctan", "sinh", "cosh", "arcsinh", "arccosh", "arctanh", "log2", "log10", "exp2",
         "square", "reciprocal", "sign"]
BINARY = ["arctan2", "hypot"]
# PyTorch's name where it differs from NumPy's (the Tensor methods have both)
TORCH_NAMES = {"arcsin": "asin", "arccos": "acos", "arctan": "atan", "arcsinh": "asinh", "arccosh": "acosh",
               "arctanh": "atanh", "arctan2": "atan2"}


def _torch_function(torch, name):
    return getattr(torch, TORCH_NAMES.get(name, name))


# ---- dtypes: NumPy's for int and bool inputs ------------------------------------------------------------------------
INTEGER_DTYPES = [np.bool_, np.int8, np.uint8, np.int16, np.uint16, np.int32, np.int64, np.uint64]


def _integers(dtype):
    return np.array([False, True]) if dtype is np.bool_ else np.array([0, 1, 2, 3, 100], dtype)


@pytest.mark.parametrize("dtype", INTEGER_DTYPES, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("name", UNARY)
def test_an_int_or_bool_input_gives_numpys_dtype_and_values(name, dtype):
    # a float of the size np.exp gives (bool and int8 float16, int16 float32...); square, reciprocal and sign keep
    # the integer type (np.square(bool) is int8), out-of-domain values are nan, reciprocal(0) NumPy's integer
    values = _integers(dtype)
    if name == "sign" and dtype is np.bool_:  # NumPy has no sign of a bool
        with pytest.raises(TypeError, match=r"sign: invalid input of shapes/dtypes \[\(2,\) bool\].*not bool"):
            ag.sign(ag.tensor(values))
        return
    with np.errstate(all="ignore"):
        expected = getattr(np, name)(values)
        out = getattr(ag, name)(ag.tensor(values))
        through_numpy = getattr(np, name)(ag.tensor(values))
    for result in (out, through_numpy):
        assert isinstance(result, ag.Tensor) and not result.requires_grad
        assert result.dtype == expected.dtype, (name, dtype, result.dtype, expected.dtype)
        np.testing.assert_array_equal(result.data, expected)


@pytest.mark.parametrize("number", [3, True, -2, 0.5])
@pytest.mark.parametrize("name", UNARY)
def test_a_python_number_gives_what_numpy_gives_it(name, number):
    if name == "sign" and number is True:  # (refused, as by NumPy: above)
        return
    with np.errstate(all="ignore"):
        expected = np.asarray(getattr(np, name)(number))
        out = getattr(ag, name)(number)
    assert out.dtype == expected.dtype
    np.testing.assert_array_equal(out.data, expected)


@pytest.mark.parametrize("name", BINARY)
@pytest.mark.parametrize("y, x", [(np.array([1, -2], np.int8), np.array([3, 0], np.int8)),
                                  (np.array([True, False]), np.array([2, 1], np.int16)),
                                  (np.array([1, 2], np.int32), 2.5), (np.array([1, 2], np.int16), 2),
                                  (np.array([1, -2], np.int8), np.array([0.5, 2.0], np.float32)), (3, 4)],
                         ids=["int8", "bool-int16", "int32-float", "int16-int", "int8-float32", "python-ints"])
def test_arctan2_and_hypot_of_ints_and_bools_give_numpys_dtype_and_values(name, y, x):
    for out, expected in ((getattr(ag, name)(ag.tensor(y), x), getattr(np, name)(np.asarray(y), x)),
                          (getattr(ag, name)(y, ag.tensor(x)), getattr(np, name)(y, np.asarray(x)))):
        assert out.dtype == expected.dtype
        np.testing.assert_array_equal(out.data, expected)


def test_float32_stays_float32_beside_python_numbers_as_numpy():
    t = ag.tensor([0.5, 2.0], dtype=np.float32, requires_grad=True)
    for out in (ag.arctan2(t, 2.0), ag.hypot(3, t), ag.square(t), ag.reciprocal(t), ag.exp2(t), ag.log10(t)):
        assert out.dtype == np.float32
        out.sum().backward()
        assert t.grad.dtype == np.float32


# ---- domains: NumPy's values and warnings; PyTorch's gradients at the edges ----------------------------------------
_PI = float(np.pi)
EDGES = {  # points at and around each domain's edges (and infinities, signed zeros, nan)
    "tan": [-_PI / 2, -1.0, -0.0, 0.0, 1.0, _PI / 2, np.nan],
    "arcsin": [-1.5, -1.0, -0.999999, -0.5, -0.0, 0.0, 0.5, 0.999999, 1.0, 1.5, np.inf],
    "arccos": [-1.5, -1.0, -0.999999, -0.5, 0.0, 0.5, 0.999999, 1.0, 1.5],
    "arctan": [-np.inf, -1e200, -1.0, -0.0, 0.0, 1.0, 1e200, np.inf],
    "sinh": [-800.0, -1.0, -0.0, 0.0, 1.0, 800.0, np.inf],
    "cosh": [-800.0, -1.0, -0.0, 0.0, 1.0, 800.0, -np.inf],
    "arcsinh": [-np.inf, -1e200, -1.0, -0.0, 0.0, 1e-300, 1.0, 1e200, np.inf],
    "arccosh": [-2.0, -1.0, 0.0, 0.5, 0.999999, 1.0, 1.000001, 2.0, 1e200, np.inf],
    "arctanh": [-1.5, -1.0, -0.999999, -0.5, -0.0, 0.0, 0.5, 0.999999, 1.0, 1.5],
    "log2": [-1.0, -0.0, 0.0, 1e-310, 0.5, 2.0, np.inf],
    "log10": [-1.0, -0.0, 0.0, 1e-310, 0.5, 100.0, np.inf],
    "exp2": [-np.inf, -1100.0, -1.0, 0.0, 1.0, 1100.0, np.inf],
    "square": [-np.inf, -1e200, -2.0, -0.0, 0.0, 3.0, np.nan],
    "reciprocal": [-np.inf, -2.0, -1e-310, -0.0, 0.0, 1e-310, 0.5, np.inf],
    "sign": [-np.inf, -2.0, -0.0, 0.0, 3.0, np.inf],
}


def _ours_at(name, *points, dtype=np.float64):
    leaves = [ag.tensor(p, dtype=dtype, requires_grad=True) for p in points]
    with np.errstate(all="ignore"):
        out = getattr(ag, name)(*leaves)
        out.backward(np.ones(out.shape, dtype))
    return out, [leaf.grad for leaf in leaves]


def _torch_at(torch, name, *points, dtype="float64"):
    leaves = [torch.tensor(p, dtype=getattr(torch, dtype), requires_grad=True) for p in points]
    out = _torch_function(torch, name)(*leaves)
    out.backward(torch.ones_like(out))
    return out.detach(), [leaf.grad for leaf in leaves]


def _same(ours, theirs, rtol):
    """Equal to rtol, nan where nan, infinities of the same sign where infinite."""
    theirs = theirs.numpy()
    assert ours.dtype == theirs.dtype
    np.testing.assert_array_equal(np.isnan(ours.data), np.isnan(theirs))
    np.testing.assert_allclose(ours.data, theirs, rtol=rtol, atol=0)


@pytest.mark.parametrize("dtype, rtol, grad_rtol", [("float64", 1e-13, 1e-10), ("float32", 2e-6, 2e-6)])
@pytest.mark.parametrize("name", UNARY)
def test_values_and_gradients_at_the_domains_edges_match_torch(name, dtype, rtol, grad_rtol):
    # (gradients to 1e-10: near |x| = 1 PyTorch's 1 - x*x loses digits that (1 - x)(1 + x) keeps, 5e-12 apart at
    # 0.999999; the next test checks ours against exact values there)
    torch = pytest.importorskip("torch")
    points = np.array(EDGES[name])
    if dtype == "float32":
        points = points[np.abs(points) < 1e30]  # (1e200 is no float32)
    out, (grad,) = _ours_at(name, points, dtype=dtype)
    their_out, (their_grad,) = _torch_at(torch, name, points, dtype=dtype)
    _same(out, their_out, rtol)
    _same(grad, their_grad, grad_rtol)


@pytest.mark.parametrize("name, exact", [
    ("arcsin", lambda x: 1 / (1 - x * x).sqrt()), ("arccos", lambda x: -1 / (1 - x * x).sqrt()),
    ("arctanh", lambda x: 1 / (1 - x * x)), ("arccosh", lambda x: 1 / (x * x - 1).sqrt())])
def test_gradients_near_the_edges_are_within_an_ulp_of_exact(name, exact):
    from decimal import Decimal, getcontext

    getcontext().prec = 40
    points = np.array([-0.9999999999, -0.999999, 0.999999, 0.9999999999] if name != "arccosh" else
                      [1.0000000001, 1.000001, 1.01])
    _, (grad,) = _ours_at(name, points)
    expected = [float(exact(Decimal(x))) for x in points]
    assert (np.abs(grad.data - expected) <= np.spacing(np.abs(expected))).all(), (grad.data, expected)


PAIRS = [(0.0, 0.0), (-0.0, 0.0), (0.0, -0.0), (-0.0, -0.0), (1e-160, 0.0), (7e-156, 7e-156), (1e-200, 1e-200),
         (1.0, 1.0), (-1.0, -2.0), (1e300, 1e300), (np.inf, 1.0), (1.0, np.inf), (-np.inf, -np.inf), (np.nan, 1.0)]


@pytest.mark.parametrize("name", BINARY)
def test_arctan2_and_hypot_at_the_origin_underflow_overflow_and_infinities_match_torch(name):
    # at the origin arctan2's gradients are 0 (PyTorch takes x**2 + y**2 there as giving no gradient), hypot's nan
    torch = pytest.importorskip("torch")
    y, x = (np.array(column) for column in zip(*PAIRS))
    out, grads = _ours_at(name, y, x)
    their_out, their_grads = _torch_at(torch, name, y, x)
    _same(out, their_out, 1e-13)
    for ours, theirs in zip(grads, their_grads):
        _same(ours, theirs, 1e-13)
        numbers = ~np.isnan(ours.data)
        np.testing.assert_array_equal(np.signbit(ours.data[numbers]), np.signbit(theirs.numpy()[numbers]))  # (-0.0)


def test_arctan2_gives_no_gradient_at_the_origin_and_its_quadrants_as_numpy():
    y, x = ag.tensor([0.0, 1.0, 1.0, -1.0], requires_grad=True), ag.tensor([0.0, 1.0, -1.0, -1.0], requires_grad=True)
    angle = ag.arctan2(y, x)
    np.testing.assert_array_equal(angle.data, np.arctan2(y.data, x.data))  # 0, pi/4, 3pi/4, -3pi/4
    angle.sum().backward()
    np.testing.assert_array_equal(y.grad.data, [0.0, 0.5, -0.5, -0.5])  # x / (x**2 + y**2), 0 at the origin
    np.testing.assert_array_equal(x.grad.data, [0.0, -0.5, -0.5, 0.5])  # -y / (x**2 + y**2)


def test_arcsin_of_1_is_pi_over_2_and_its_gradient_inf_as_torch():
    out, (grad,) = _ours_at("arcsin", np.array([1.0, -1.0]))
    assert out.data.tolist() == [np.pi / 2, -np.pi / 2]
    assert grad.data.tolist() == [np.inf, np.inf]  # 1 / sqrt(1 - x**2); arccos's is -inf


@pytest.mark.parametrize("name, edge", [("arcsin", 1.0), ("arcsin", -1.0), ("arccos", 1.0), ("arccos", -1.0),
                                        ("arccosh", 1.0), ("arctan", np.inf), ("reciprocal", np.inf)])
def test_a_domains_edge_gives_numpys_value_without_a_warning(name, edge):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = getattr(ag, name)(ag.tensor([edge, 0.5 if name != "arccosh" else 2.0]))
    np.testing.assert_array_equal(out.data, getattr(np, name)(np.array([edge, 0.5 if name != "arccosh" else 2.0])))


@pytest.mark.parametrize("dtype", [np.float16, np.float64])
@pytest.mark.parametrize("name", ["arctan", "arcsinh", "arccosh", "log10", "arctan2"])
def test_a_large_input_gives_a_small_gradient_without_an_overflow_warning(name, dtype):
    # x * x (x ln 10) overflows to inf inside the rule, float16's past 256, and 1 / inf is the right 0; the forward
    # warns of nothing, nor does PyTorch's backward
    x = ag.tensor(np.array([300.0, np.finfo(dtype).max], dtype), requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = ag.arctan2(x, x) if name == "arctan2" else getattr(ag, name)(x)
        out.sum().backward()
    assert x.grad.dtype == dtype and np.all(np.isfinite(x.grad.data)) and np.all(np.abs(x.grad.data) < 0.01)


@pytest.mark.parametrize("name, x, message", [
    ("arcsin", 1.5, "invalid value encountered in arcsin"), ("arccos", -2.0, "invalid value encountered in arccos"),
    ("arccosh", 0.5, "invalid value encountered in arccosh"), ("arctanh", 2.0, "invalid value encountered in arctanh"),
    ("arctanh", 1.0, "divide by zero encountered in arctanh"), ("log2", -1.0, "invalid value encountered in log2"),
    ("log10", 0.0, "divide by zero encountered in log10"), ("log", -1.0, "invalid value encountered in log")])
def test_outside_a_domain_the_value_is_numpys_with_numpys_warning_as_log(name, x, message):
    with pytest.warns(RuntimeWarning, match=message):
        out = getattr(ag, name)(ag.tensor(x))
    with np.errstate(all="ignore"):
        np.testing.assert_array_equal(out.data, getattr(np, name)(x))  # nan (or inf, -inf at a pole)


# ---- second derivatives against PyTorch (inside the domains) --------------------------------------------------------
INSIDE = {"tan": [-1.2, 0.3, 1.1], "arcsin": [-0.9, 0.1, 0.7], "arccos": [-0.9, 0.1, 0.7], "arctan": [-2.0, 0.1, 3.0],
          "sinh": [-2.0, 0.1, 3.0], "cosh": [-2.0, 0.1, 3.0], "arcsinh": [-2.0, 0.1, 3.0],
          "arccosh": [1.01, 1.5, 3.0], "arctanh": [-0.9, 0.1, 0.7], "log2": [0.01, 0.5, 3.0],
          "log10": [0.01, 0.5, 3.0], "exp2": [-2.0, 0.1, 3.0], "square": [-2.0, 0.1, 3.0],
          "reciprocal": [-2.0, 0.1, 3.0], "sign": [-2.0, 0.1, 3.0]}


WEIGHTS = np.array([1.0, 2.0, 3.0])


@pytest.mark.parametrize("name", UNARY)
def test_second_derivatives_match_torch(name):
    torch = pytest.importorskip("torch")
    points = np.array(INSIDE[name])
    ours = ag.tensor(points, requires_grad=True)
    (first,) = ag.grad(lambda t: getattr(ag, name)(t).sum(), argnums=(0,))(ours)
    second = ag.grad(lambda t: (ag.grad(lambda u: getattr(ag, name)(u).sum())(t) * WEIGHTS).sum())(points)
    theirs = torch.tensor(points, requires_grad=True)
    (their_first,) = torch.autograd.grad(_torch_function(torch, name)(theirs).sum(), theirs, create_graph=True)
    np.testing.assert_allclose(first.data, their_first.detach().numpy(), rtol=1e-13)
    their_second = (torch.autograd.grad((their_first * torch.tensor(WEIGHTS)).sum(), theirs)[0].numpy()
                    if their_first.requires_grad else np.zeros(3))  # (sign's gradient is the constant 0)
    np.testing.assert_allclose(second.data, their_second, rtol=1e-12)


# ---- second derivatives at the domains' edges: the one-sided limits, as PyTorch's double backward ------------------
# (x, first derivative, second derivative); arcsin'' = x (1 - x**2)**-1.5, arccos'' = -arcsin'', arctanh'' =
# 2x (1 - x**2)**-2, arccosh'' = -x (x**2 - 1)**-1.5 (at -1, the formula's limit from below, as PyTorch's)
_INF = np.inf
EDGE_DERIVATIVES = {
    "arcsin": [(-1.0, _INF, -_INF), (-0.0, 1.0, -0.0), (0.0, 1.0, 0.0), (1.0, _INF, _INF)],
    "arccos": [(-1.0, -_INF, _INF), (-0.0, -1.0, 0.0), (0.0, -1.0, -0.0), (1.0, -_INF, -_INF)],
    "arctanh": [(-1.0, _INF, -_INF), (-0.0, 1.0, -0.0), (0.0, 1.0, 0.0), (1.0, _INF, _INF)],
    "arccosh": [(-1.0, _INF, _INF), (1.0, _INF, -_INF)],
}
CLOSED_SECOND = {"arcsin": lambda x: x / ((1 - x) * (1 + x)) ** 1.5,
                 "arccos": lambda x: -x / ((1 - x) * (1 + x)) ** 1.5,
                 "arctanh": lambda x: 2 * x / ((1 - x) * (1 + x)) ** 2,
                 "arccosh": lambda x: -x / ((x - 1) * (x + 1)) ** 1.5}


def _first_and_second(name, points):
    """The first and second derivatives at points, by a create_graph backward and by ag.grad of ag.grad (which must
    agree)."""
    x = ag.tensor(points, requires_grad=True)
    with np.errstate(all="ignore"):
        getattr(ag, name)(x).sum().backward(create_graph=True)
        first = x.grad
        x.grad = None
        first.sum().backward()
        second = ag.grad(lambda t: ag.grad(lambda u: getattr(ag, name)(u).sum())(t).sum())(points)
    np.testing.assert_array_equal(second.data, x.grad.data)
    return first.data, second.data


def _same_bits(ours, expected):
    """Equal, nan where nan, and the same sign of zero."""
    np.testing.assert_array_equal(ours, expected)
    np.testing.assert_array_equal(np.signbit(ours), np.signbit(expected))


@pytest.mark.parametrize("name", sorted(EDGE_DERIVATIVES))
def test_second_derivatives_at_the_domains_edges_are_the_one_sided_limits(name):
    # The first derivative's rule is written so that its own derivative has the limit there: as the product
    # (1 - x)(1 + x) recorded, 1 - x**2 would send inf * 0 = nan back.
    points, firsts, seconds = (np.array(column) for column in zip(*EDGE_DERIVATIVES[name]))
    first, second = _first_and_second(name, points)
    _same_bits(first, firsts)
    _same_bits(second, seconds)
    near = np.array([-0.999999, 0.999999, 0.5]) if name != "arccosh" else np.array([1.000001, 1.01, -1.000001])
    _, second = _first_and_second(name, near)
    np.testing.assert_allclose(second, CLOSED_SECOND[name](near), rtol=1e-9)  # (and growing toward the edge)


@pytest.mark.parametrize("name", sorted(EDGE_DERIVATIVES))
def test_first_second_and_third_derivatives_at_special_points_match_torch(name):
    torch = pytest.importorskip("torch")
    points = np.array([-2.0, -1.0, -0.5, -0.0, 0.0, 0.5, 1.0, 2.0, np.inf, -np.inf, np.nan])
    ours, theirs = [], []
    for x in points:
        mine, their = ag.tensor(x, requires_grad=True), torch.tensor(x, dtype=torch.float64, requires_grad=True)
        with np.errstate(all="ignore"):
            d, t = getattr(ag, name)(mine), _torch_function(torch, name)(their)
            for _ in range(3):
                (d,) = ag.autograd.grad(d, mine, create_graph=True)
                (t,) = torch.autograd.grad(t, their, create_graph=True)
                ours.append(float(d))
                theirs.append(t.item())
    ours, theirs = np.array(ours), np.array(theirs)
    numbers = ~np.isnan(theirs)
    np.testing.assert_array_equal(np.isnan(ours), ~numbers)
    np.testing.assert_array_equal(np.signbit(ours[numbers]), np.signbit(theirs[numbers]))  # (-0.0, -inf)
    np.testing.assert_allclose(ours[numbers], theirs[numbers], rtol=1e-12, atol=0)


@pytest.mark.parametrize("name", BINARY)
def test_second_derivatives_of_arctan2_and_hypot_match_torch(name):
    torch = pytest.importorskip("torch")
    y, x = np.array([1.0, -0.5, 2.0]), np.array([-1.5, 2.0, 0.25])
    ours = [ag.tensor(v, requires_grad=True) for v in (y, x)]
    firsts = ag.backprop(getattr(ag, name)(*ours).sum(), create_graph=True)
    seconds = ag.backprop((firsts[ours[0]] * WEIGHTS + firsts[ours[1]] * WEIGHTS[::-1]).sum())
    theirs = [torch.tensor(v, requires_grad=True) for v in (y, x)]
    their_firsts = torch.autograd.grad(_torch_function(torch, name)(*theirs).sum(), theirs, create_graph=True)
    w = torch.tensor(WEIGHTS)
    their_seconds = torch.autograd.grad((their_firsts[0] * w + their_firsts[1] * w.flip(0)).sum(), theirs)
    for leaf, their_first, their_second in zip(ours, their_firsts, their_seconds):
        np.testing.assert_allclose(firsts[leaf].data, their_first.detach().numpy(), rtol=1e-13)
        np.testing.assert_allclose(seconds[leaf].data, their_second.numpy(), rtol=1e-12)


# ---- NumPy's functions on Tensors, the methods and PyTorch's aliases ------------------------------------------------
def _leaf(name):
    return ag.tensor([1.5, 2.5] if name == "arccosh" else [0.25, 0.75], requires_grad=True)


def _gradient(f, x):
    x = ag.tensor(x.data, requires_grad=True)
    f(x).sum().backward()
    return x.grad.data


@pytest.mark.parametrize("name", UNARY)
def test_numpys_function_on_a_tensor_runs_ours_and_is_recorded(name):
    x = _leaf(name)
    out = getattr(np, name)(x)
    assert isinstance(out, ag.Tensor) and out.requires_grad and out.op_name == name
    np.testing.assert_array_equal(out.data, getattr(np, name)(x.data))
    np.testing.assert_array_equal(_gradient(getattr(np, name), x), _gradient(getattr(ag, name), x))


@pytest.mark.parametrize("name", BINARY)
def test_np_arctan2_and_np_hypot_with_an_ndarray_on_either_side_run_ours(name):
    x, array = ag.tensor([0.25, -0.5], requires_grad=True), np.array([[1.0], [-2.0]])
    for out, expected in ((getattr(np, name)(x, array), getattr(np, name)(x.data, array)),
                          (getattr(np, name)(array, x), getattr(np, name)(array, x.data))):
        assert isinstance(out, ag.Tensor) and out.requires_grad and out.op_name == name
        np.testing.assert_array_equal(out.data, expected)


def test_np_tan_is_differentiable_twice_through_the_dispatch():
    x = ag.tensor(0.7, requires_grad=True)
    first = ag.backprop(np.tan(x), create_graph=True)[x]
    second = ag.backprop(first)[x]
    tan = np.tan(0.7)
    np.testing.assert_allclose([first.item(), second.item()], [1 + tan ** 2, 2 * tan * (1 + tan ** 2)], rtol=1e-14)


METHODS = {name: name for name in UNARY} | {"asin": "arcsin", "acos": "arccos", "atan": "arctan", "asinh": "arcsinh",
                                            "acosh": "arccosh", "atanh": "arctanh"}


@pytest.mark.parametrize("method", METHODS)
def test_each_method_is_its_function_under_numpys_name_and_pytorchs(method):
    name = METHODS[method]
    x = _leaf(name)
    out = getattr(x, method)()
    assert out.op_name == name
    np.testing.assert_array_equal(out.data, getattr(ag, name)(x).data)
    np.testing.assert_array_equal(_gradient(lambda t: getattr(t, method)(), x), _gradient(getattr(ag, name), x))


@pytest.mark.parametrize("method, name", [("arctan2", "arctan2"), ("atan2", "arctan2"), ("hypot", "hypot")])
def test_the_two_operand_methods_take_the_tensor_as_the_first_operand(method, name):
    y, x = ag.tensor([1.0, -1.0], requires_grad=True), ag.tensor([-2.0, 0.5], requires_grad=True)
    out = getattr(y, method)(x)
    assert out.op_name == name
    np.testing.assert_array_equal(out.data, getattr(np, name)(y.data, x.data))


def test_the_aliases_are_pytorchs_names_on_its_tensor():
    torch = pytest.importorskip("torch")
    for method in [*METHODS, "arctan2", "atan2", "hypot"]:
        assert hasattr(torch.Tensor, method), method


@pytest.mark.parametrize("torch_name, name", [(t, n) for n, t in TORCH_NAMES.items()])
def test_pytorchs_function_names_are_the_numpy_named_functions(torch_name, name):
    # torch.acos(cosine) in ArcFace heads: ag.acos is ag.arccos, with its gradient
    assert getattr(ag, torch_name) is getattr(ag, name)
    x = _leaf(name)
    operands = (x, ag.tensor(np.full(x.shape, 0.5))) if name == "arctan2" else (x,)
    np.testing.assert_array_equal(getattr(ag, torch_name)(*operands).data,
                                  getattr(np, name)(*[o.data for o in operands]))  # NumPy reference
    torch = pytest.importorskip("torch")
    expected = getattr(torch, torch_name)(*[torch.tensor(o.data) for o in operands]).numpy()
    np.testing.assert_allclose(getattr(ag, torch_name)(*operands).data, expected, rtol=1e-14)


def test_sign_is_exported_with_gradient_zero_as_torch_sign():
    assert ag.sign is ag.ops.sign
    x = ag.tensor([-2.0, 0.0, 3.0], requires_grad=True)
    ag.sign(x).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [0.0, 0.0, 0.0])


# ---- a value changed in place after recording ------------------------------------------------------------------------
def _changed(lib, name, what):
    """y = name(w) (or name(w, c) with a constant c), then w, c or y changed in place."""
    as_tensor = (lambda v, g=False: ag.tensor(v, requires_grad=g)) if lib is ag else (
        lambda v, g=False: lib.tensor(v, dtype=lib.float64, requires_grad=g))
    w, c = as_tensor([1.3, 1.6] if name == "arccosh" else [0.3, 0.6], True), as_tensor([0.5, -2.0])
    function = getattr(ag, name) if lib is ag else _torch_function(lib, name)
    y = function(w, c) if name in BINARY else function(w)
    with lib.no_grad():
        target = {"input": w, "constant": c, "output": y.detach()}[what]
        target *= 1.25
    return y.sum()


# (Left out: hypot's constant changed. The rule of the input that requires grad reads that input and the result
# only, so autograd_core does not refuse; PyTorch saves both inputs and refuses.)
_CASES = [(name, what) for name in UNARY + BINARY for what in ("input", "output")] + [("arctan2", "constant")]


@pytest.mark.parametrize("name, what", _CASES)
def test_a_value_changed_after_recording_is_refused_exactly_when_pytorch_refuses_it(name, what):
    torch = pytest.importorskip("torch")
    assert backward_refused(_changed(ag, name, what)) == backward_refused(_changed(torch, name, what))


def test_hypot_does_not_refuse_a_change_to_the_constant_its_rule_does_not_read():
    y = _changed(ag, "hypot", "constant")
    y.backward()  # a's gradient a / hypot(a, b) reads a and the result, which were not changed


# ---- errors ----------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", UNARY + BINARY)
def test_out_where_and_dtype_are_refused_naming_the_operation_but_numpys_default_where_is_taken(name):
    x, buffer = _leaf(name), np.zeros(2)
    operands = (x, x) if name in BINARY else (x,)
    for keyword, value in (("out", buffer), ("where", True), ("dtype", np.float32)):
        with pytest.raises(TypeError, match=rf"^{name} takes no keyword arguments, got {keyword}="):
            getattr(ag, name)(*operands, **{keyword: value})
        if keyword == "where":  # NumPy's default, which changes nothing: np.tan(t, where=True) is np.tan(t)
            np.testing.assert_array_equal(getattr(np, name)(*operands, where=True).data,
                                          getattr(ag, name)(*operands).data)
            continue
        with pytest.raises(TypeError, match=rf"np.{name}"):
            getattr(np, name)(*operands, **{keyword: value})
    np.testing.assert_array_equal(buffer, [0.0, 0.0])


def test_too_many_operands_are_refused_naming_the_operation_and_its_count():
    x = ag.tensor([0.5, 0.25])
    with pytest.raises(TypeError, match=r"^tan takes at most 1 input\(s\), got 2"):
        ag.tan(x, x)
    with pytest.raises(TypeError, match=r"^arctan2 takes at most 2 input\(s\), got 3"):
        ag.arctan2(x, x, x)


@pytest.mark.parametrize("name", BINARY)
def test_shapes_that_do_not_broadcast_are_refused_naming_them(name):
    with pytest.raises(ValueError, match=rf"^{name}: invalid input of shapes/dtypes \[\(2,\) float64, \(3,\) float64\].*"
                                         r"operands must have broadcastable shapes"):
        getattr(ag, name)(ag.ones(2, requires_grad=True), np.ones(3))


@pytest.mark.parametrize("name", UNARY + BINARY)
def test_a_non_numeric_input_is_refused_naming_the_operation(name):
    operands = (ag.tensor([1.0]), "a") if name in BINARY else ("a",)
    with pytest.raises(TypeError, match=rf"^{name}: unsupported input of dtype <U1"):
        getattr(ag, name)(*operands)


def test_ufunc_methods_other_than_calling_are_refused_on_tensors():
    x = ag.tensor([0.5, 0.25], requires_grad=True)
    with pytest.raises(TypeError, match="np.hypot.reduce is not supported on autograd_core Tensors"):
        np.hypot.reduce(x)
    with pytest.raises(TypeError, match="np.arctan2.outer is not supported on autograd_core Tensors"):
        np.arctan2.outer(x, x)
