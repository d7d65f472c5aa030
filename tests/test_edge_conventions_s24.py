"""Edge conventions of engine operations decided in session 24: gradients at NaN, inf and kinks (fabs, cbrt,
cumprod), nanmax/nanmin ties beside NaN, NumPy's error classes for a bad axis, lstsq on inputs holding inf or NaN,
dtype promotion of float16 with float32, and softmax of a range that overflows.

Each compares with NumPy (or a reference built from NumPy) so it runs without torch; the torch comparisons skip
when torch is missing."""
import warnings

import numpy as np
import pytest

import autograd_core as ag
from autograd_core.testing import gradcheck, gradgradcheck

NAN, INF = np.nan, np.inf


def _torch():
    return pytest.importorskip("torch")


def _grad(f, values):
    x = ag.tensor(np.asarray(values, dtype=np.float64), requires_grad=True)
    f(x).sum().backward()
    return x.grad.data


# ---- fabs at NaN: abs's rule (0 there, as torch.abs), not sign(NaN) = NaN --------------------------------------
@pytest.mark.parametrize("fabs", [ag.fabs, np.fabs], ids=["ag.fabs", "np.fabs"])
def test_fabs_gradient_is_zero_at_nan_as_abs(fabs):
    values = [NAN, 0.0, -1.5, 2.0]
    grad = _grad(fabs, values)
    np.testing.assert_array_equal(grad, [0.0, 0.0, -1.0, 1.0])
    np.testing.assert_array_equal(grad, _grad(ag.abs, values))
    g = ag.grad(lambda t: ag.fabs(t).sum())(ag.tensor([NAN, -1.5]))
    np.testing.assert_array_equal(g.data, [0.0, -1.0])


def test_fabs_gradient_at_nan_matches_torch_abs():
    torch = _torch()
    values = [NAN, 0.0, -1.5, 2.0]
    t = torch.tensor(values, dtype=torch.float64, requires_grad=True)
    t.abs().sum().backward()
    np.testing.assert_array_equal(_grad(ag.fabs, values), t.grad.numpy())


def test_fabs_second_derivative_elsewhere():
    assert gradgradcheck(ag.fabs, np.array([-1.5, 0.7, 2.0]))


# ---- cbrt at 0: kept as the one-sided limit +inf (torch's x ** (1/3) gives inf there too) ----------------------
def test_cbrt_gradient_at_zero_is_inf():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # (the division by 0 NumPy warns of)
        grad = _grad(ag.cbrt, [0.0, 8.0, -8.0])
    assert grad[0] == INF
    np.testing.assert_allclose(grad[1:], [1 / 12, 1 / 12])


def test_cbrt_gradient_at_zero_as_torch_pow():
    torch = _torch()
    t = torch.tensor([0.0], dtype=torch.float64, requires_grad=True)
    t.pow(1 / 3).sum().backward()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        assert _grad(ag.cbrt, [0.0])[0] == t.grad.item() == INF


# ---- cumprod with inf or NaN: the exact product of the other entries (torch's division rule gives NaN) -----------
def _cumprod_grad_reference(x):
    """d sum(cumprod(x)) / d x_i = prod(x_j, j < i) * (1 + x_{i+1} (1 + x_{i+2} (1 + ...))): the products of the
    other entries, the later ones in Horner's form (no division), in plain Python floats."""
    n = len(x)
    grad = []
    with np.errstate(invalid="ignore"):
        for i in range(n):
            before = np.prod(x[:i]) if i else 1.0
            after = 1.0
            for j in range(n - 1, i, -1):
                after = 1.0 + x[j] * after
            grad.append(before * after)
    return np.array(grad)


@pytest.mark.parametrize("values", [[2.0, INF, 3.0], [1.0, 2.0, INF], [INF, 0.0, 3.0], [-INF, 2.0, 0.0, 3.0],
                                    [1.0, NAN, 3.0], [0.5, INF, 2.0, 4.0, INF, 1.0]])
def test_cumprod_gradient_with_inf_is_the_product_of_the_others(values):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # (np.cumprod's own inf * 0 in the forward)
        x = ag.tensor(values, requires_grad=True)
        loss = ag.cumprod(x).sum()
    genuine = np.isinf(values).any() and not np.all(values)  # an inf times a 0 among the products: NaN, warned
    with warnings.catch_warnings():
        # the backward warns of nothing it does not compute (its scan's ignored first entry once gave 0 * inf)
        warnings.simplefilter("ignore" if genuine else "error", RuntimeWarning)
        loss.backward()
    np.testing.assert_array_equal(x.grad.data, _cumprod_grad_reference(values))


def test_cumprod_infinities_of_both_signs_may_give_nan():
    # a known limit, kept: the backward's log2(n)-step scan adds partial products of its own, which can meet as
    # inf + -inf where the sequential Horner form gives -inf (torch's rule gives NaN for all of them)
    values = [0.5, INF, 2.0, -INF, 1.0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        grad = _grad(ag.cumprod, values)
    assert np.isnan(grad[0]) and _cumprod_grad_reference(values)[0] == -INF
    np.testing.assert_array_equal(grad[1:], _cumprod_grad_reference(values)[1:])


def test_cumprod_with_inf_departs_from_torch_where_torch_gives_nan():
    torch = _torch()
    values = [2.0, INF, 3.0]
    t = torch.tensor(values, dtype=torch.float64, requires_grad=True)
    torch.cumprod(t, 0).sum().backward()
    assert np.isnan(t.grad.numpy()[1])  # torch: inf / inf
    assert _grad(ag.cumprod, values)[1] == 8.0  # ours: 2 + 2 * 3, the products of the others


# ---- nanmax / nanmin: NaN takes no share of a tie at -inf (inf) -------------------------------------------------
@pytest.mark.parametrize("name, fill", [("nanmax", -INF), ("nanmin", INF)])
@pytest.mark.parametrize("values, expected", [
    ([NAN, "f"], [0.0, 1.0]),
    (["f", NAN, "f"], [0.5, 0.0, 0.5]),
    ([NAN, "f", 1.0], None),
    (["f", "f"], [0.5, 0.5]),
])
def test_nan_extremum_tie_at_infinity_ignores_nan(name, fill, values, expected):
    values = [fill if v == "f" else v for v in values]
    if expected is None:  # the finite 1.0 is the extremum
        expected = [0.0, 0.0, 1.0]
    f = getattr(ag, name)
    y = f(ag.tensor(values))
    assert y.item() == getattr(np, name)(values)
    np.testing.assert_array_equal(_grad(f, values), expected)


@pytest.mark.parametrize("name", ["nanmax", "nanmin"])
def test_nan_extremum_rows_and_keepdims(name):
    fill = -INF if name == "nanmax" else INF
    values = np.array([[NAN, fill, 2.0], [NAN, NAN, NAN], [fill, NAN, fill], [1.0, 1.0, NAN]])
    f = getattr(ag, name)
    for axis, keepdims in ((1, False), (1, True), (-1, True)):
        x = ag.tensor(values, requires_grad=True)
        with pytest.warns(RuntimeWarning, match="All-NaN slice"):
            y = f(x, axis=axis, keepdims=keepdims)
        with pytest.warns(RuntimeWarning, match="All-NaN slice"):
            np.testing.assert_array_equal(y.data, getattr(np, name)(values, axis=axis, keepdims=keepdims))
        y.sum().backward()
        np.testing.assert_array_equal(x.grad.data, [[0, 0, 1], [0, 0, 0], [0.5, 0, 0.5], [0.5, 0.5, 0]])
        np.testing.assert_array_equal(x.grad.data.sum(axis=1), [1, 0, 1, 1])  # an all-NaN row: none


def test_nanmax_tie_at_minus_inf_second_order():
    x = ag.tensor([NAN, -INF, -INF, 1.0])
    g = ag.grad(lambda t: ag.nanmax(t[:3]))(x)
    np.testing.assert_array_equal(g.data, [0.0, 0.5, 0.5, 0.0])
    gg = ag.grad(lambda t: (ag.grad(lambda u: ag.nanmax(u[:3]))(t) * ag.tensor([1.0, 2.0, 3.0, 4.0])).sum())(x)
    np.testing.assert_array_equal(gg.data, [0.0, 0.0, 0.0, 0.0])  # piecewise linear: no second derivative


def test_nanmax_finite_gradcheck():
    assert gradcheck(lambda t: ag.nanmax(t, axis=1), np.array([[0.3, -1.2, 2.5], [4.0, 1.0, -3.0]]))


# ---- error classes: an axis that is no int raises TypeError, out of range AxisError, as NumPy's -----------------
_X = np.arange(24.0).reshape(2, 3, 4)
_BAD_AXES = [1.0, "1", (0, 0), [0], (1.5,), slice(1), 5, -4, np.int64(7)]
_CALLS = {
    "diff": lambda m, a, ax: m.diff(a, axis=ax),
    "repeat": lambda m, a, ax: m.repeat(a, 2, axis=ax),
    "take": lambda m, a, ax: m.take(a, [0], axis=ax),
    "rollaxis": lambda m, a, ax: m.rollaxis(a, ax),
    "squeeze": lambda m, a, ax: m.squeeze(a[:1], axis=ax),
}


def _error_class(call):
    try:
        call()
    except Exception as err:  # noqa: BLE001 (the class is what is compared)
        return type(err), str(err)
    return None, ""


@pytest.mark.parametrize("name", sorted(_CALLS))
@pytest.mark.parametrize("axis", _BAD_AXES, ids=repr)
def test_bad_axis_raises_numpys_error_class(name, axis):
    call = _CALLS[name]
    numpy_class, _ = _error_class(lambda: call(np, _X, axis))
    ours_np, message = _error_class(lambda: call(np, ag.tensor(_X), axis))
    ours_ag, _ = _error_class(lambda: call(ag, ag.tensor(_X), axis))
    if numpy_class is None:  # NumPy accepts it (squeeze of the size-1 axis 0 given as [0]): we must too
        assert ours_np is None and ours_ag is None
        return
    assert ours_np is not None and issubclass(ours_np, numpy_class), (ours_np, numpy_class)
    assert ours_ag is ours_np
    assert name in message


def test_bad_axis_messages():
    with pytest.raises(TypeError, match=r"diff: axis must be an int, got 1\.0 \(input shape \(2, 3, 4\); valid axes "
                                        r"are ints in \[-3, 3\)\)"):
        ag.diff(ag.tensor(_X), axis=1.0)
    with pytest.raises(TypeError, match=r"repeat: axis must be an int, got True"):
        ag.repeat(ag.tensor(_X), 2, axis=True)
    with pytest.raises(np.exceptions.AxisError, match=r"take: axis 5 is out of range for input shape \(2, 3, 4\)"):
        ag.take(ag.tensor(_X), [0], axis=5)
    with pytest.raises(np.exceptions.AxisError, match=r"squeeze: .*out of bounds.*shape \(1, 3, 4\), axis=5"):
        ag.squeeze(ag.tensor(_X[:1]), axis=5)
    with pytest.raises(ValueError, match=r"squeeze: cannot select an axis to squeeze out which has size not equal"):
        ag.squeeze(ag.tensor(_X), axis=1)  # (a size other than 1: NumPy's plain ValueError)


# ---- lstsq on inf / NaN: NumPy's LinAlgError for a; b's NaN propagates ------------------------------------------
@pytest.mark.parametrize("bad", [INF, -INF, NAN])
def test_lstsq_refuses_a_holding_inf_or_nan_as_numpy(bad):
    a = np.array([[1.0, 2.0], [3.0, bad], [5.0, 6.0]])
    b = np.array([1.0, 2.0, 3.0])
    # (np.linalg.lstsq(a, b) raises LinAlgError "SVD did not converge in Linear Least Squares" for this a; not
    # called here: NumPy's LAPACK call can hang on some inputs holding inf or NaN)
    with pytest.raises(np.linalg.LinAlgError, match=r"lstsq: SVD did not converge in Linear Least Squares: a of shape "
                                                    r"\(3, 2\) holds inf or NaN"):
        ag.linalg.lstsq(ag.tensor(a), ag.tensor(b))
    with pytest.raises(np.linalg.LinAlgError, match="lstsq"):
        np.linalg.lstsq(ag.tensor(a), b, rcond=None)


def test_lstsq_nan_in_b_gives_nan_as_numpy():
    a = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    b = np.array([1.0, NAN, 3.0])
    x = ag.linalg.lstsq(ag.tensor(a), ag.tensor(b))[0]
    np.testing.assert_array_equal(x.data, np.linalg.lstsq(a, b, rcond=None)[0])  # NaN, NaN


def test_lstsq_finite_unchanged():
    a = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 7.0]])
    b = np.array([1.0, 2.0, 3.5])
    np.testing.assert_allclose(ag.linalg.lstsq(ag.tensor(a), ag.tensor(b))[0].data,
                               np.linalg.lstsq(a, b, rcond=None)[0], rtol=1e-12, atol=1e-12)


# ---- mixed float16 / float32 promotion: NumPy's rules, through ag and through the np dispatch --------------------
@pytest.mark.parametrize("op", ["add", "subtract", "multiply", "divide", "maximum", "minimum", "power"])
@pytest.mark.parametrize("other", [np.ones(2, np.float32), np.ones((), np.float32), np.float32(2), 2.0,
                                   np.ones(2, np.int32), np.int8(3), np.float64(2), np.ones(2, np.float64)],
                         ids=lambda v: f"{type(v).__name__}-{getattr(v, 'dtype', '')}")
def test_float16_promotion_as_numpy(op, other):
    x = np.full(2, 1.5, np.float16)
    expected = getattr(np, op)(x, other)
    wrapped = ag.tensor(other) if isinstance(other, np.ndarray) else other
    for result in (getattr(ag, op)(ag.tensor(x), wrapped), getattr(np, op)(ag.tensor(x), wrapped)):
        assert result.dtype == expected.dtype, (op, result.dtype, expected.dtype)
        np.testing.assert_array_equal(result.data, expected)


# ---- softmax of a range that overflows: right values; the subtraction's overflow warning kept (NumPy's) ---------
@pytest.mark.parametrize("dtype, big", [(np.float64, 1e308), (np.float32, 3e38)])
def test_softmax_overflowing_range(dtype, big):
    x = np.array([big, -big], dtype)
    with pytest.warns(RuntimeWarning, match="overflow"):
        expected = np.exp(x - x.max())  # NumPy's own composition warns the same way
    with pytest.warns(RuntimeWarning, match="overflow"):
        y = ag.softmax(ag.tensor(x))
    np.testing.assert_array_equal(y.data, expected / expected.sum())
    assert y.dtype == dtype
    with pytest.warns(RuntimeWarning, match="overflow"):
        np.testing.assert_array_equal(ag.log_softmax(ag.tensor(x)).data, [0.0, -INF])


def test_softmax_overflowing_range_matches_torch():
    torch = _torch()
    x = np.array([1e308, -1e308, 0.0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        ours = ag.softmax(ag.tensor(x)).data
    np.testing.assert_array_equal(ours, torch.softmax(torch.tensor(x), 0).numpy())
