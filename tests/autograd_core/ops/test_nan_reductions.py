"""NumPy's nansum, nanmean, nanmax, nanmin on Tensors (autograd_core/ops/nan_reductions.py). One declaration each drives
the generated tests (with NaNs among the entries); then slices of NaNs alone, NumPy's warnings, ties, dtypes, torch's
gradients and the errors."""
import warnings

import numpy as np
import pytest
from hypothesis import strategies as st

import autograd_core as ag
from autograd_core.testing import gradcheck
from autograd_core.testing.strategies import shapes
from checks import INF, NAN, gradient_at
from optable import Op, generated_tests, spaced


@st.composite
def _one(draw):
    shape = draw(shapes(min_dims=0, max_dims=3, min_side=1, max_side=3))
    n = len(shape)
    tuples = st.lists(st.integers(0, n - 1), unique=True, min_size=1, max_size=n).map(tuple) if n else st.none()
    axis = draw(st.none() | (st.integers(-n, n - 1) if n else st.none()) | tuples)
    return (shape,), {"axis": axis, "keepdims": draw(st.booleans())}


def _has_a_number_per_slice(x, axis, keepdims):
    """No slice of NaNs alone (which gives NaN with a warning; tested apart)."""
    return not np.any(np.all(np.isnan(x), axis=axis))


WITH_NAN = st.one_of(st.just(float("nan")), spaced())

NAN_REDUCTIONS = [
    Op("nansum", ag.nansum, np.nansum, case=_one(), elements=WITH_NAN),
    Op("nanmean", ag.nanmean, np.nanmean, case=_one(), elements=WITH_NAN, valid=_has_a_number_per_slice),
    # (unique: no ties, where max's gradient jumps; NaNs are allowed once each by Hypothesis' uniqueness)
    Op("nanmax", ag.nanmax, np.nanmax, case=_one(), elements=WITH_NAN, unique=True, valid=_has_a_number_per_slice),
    Op("nanmin", ag.nanmin, np.nanmin, case=_one(), elements=WITH_NAN, unique=True, valid=_has_a_number_per_slice),
    Op("np.nansum", np.nansum, np.nansum, case=_one(), elements=WITH_NAN),
    Op("np.nanmax", np.nanmax, np.nanmax, case=_one(), elements=WITH_NAN, unique=True,
       valid=_has_a_number_per_slice),
]

globals().update(generated_tests(NAN_REDUCTIONS))


def test_nan_entries_get_zero_gradient_and_the_others_as_without_them():
    x0 = np.array([[1.0, np.nan, 3.0], [np.nan, 2.0, 2.0]])
    x = ag.tensor(x0, requires_grad=True)
    ag.nansum(x).backward()
    np.testing.assert_array_equal(x.grad.data, [[1.0, 0.0, 1.0], [0.0, 1.0, 1.0]])
    x.grad = None
    ag.nanmean(x, axis=1).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [[0.5, 0.0, 0.5], [0.0, 0.5, 0.5]])
    x.grad = None
    ag.nanmax(x, axis=1).sum().backward()  # (the tie 2.0, 2.0 splits)
    np.testing.assert_array_equal(x.grad.data, [[0.0, 0.0, 1.0], [0.0, 0.5, 0.5]])
    assert gradcheck(lambda t: ag.nanmean(t, axis=0), np.array([[1.0, np.nan], [2.0, 5.0]]))


def test_gradients_match_torch():
    torch = pytest.importorskip("torch")
    x0 = np.array([[1.0, np.nan, 3.0, -1.0], [np.nan, 2.0, 0.5, 4.0]])
    for ours, theirs in ((lambda t: ag.nansum(t, axis=1), lambda t: torch.nansum(t, dim=1)),
                         (lambda t: ag.nanmean(t, axis=0), lambda t: torch.nanmean(t, dim=0)),
                         (lambda t: ag.nanmean(t), lambda t: torch.nanmean(t))):
        leaf, reference = ag.tensor(x0, requires_grad=True), torch.tensor(x0, requires_grad=True)
        out, expected = ours(leaf), theirs(reference)
        np.testing.assert_allclose(out.data, expected.detach().numpy())
        weights = np.arange(1.0, 1.0 + out.size).reshape(out.shape)
        (out * weights).sum().backward()
        (expected * torch.tensor(weights)).sum().backward()
        np.testing.assert_array_equal(leaf.grad.data, reference.grad.numpy())


def test_a_slice_of_nans_alone_is_nan_with_numpys_warning():
    x = ag.tensor([[np.nan, np.nan], [1.0, np.nan]], requires_grad=True)
    for name in ("nanmean", "nanmax", "nanmin"):
        with pytest.warns(RuntimeWarning):
            expected = getattr(np, name)(x.data, axis=1)
        with pytest.warns(RuntimeWarning, match="slice"):
            out = getattr(ag, name)(x, axis=1)
        np.testing.assert_array_equal(out.data, expected)
        out.backward(np.ones(2))
        np.testing.assert_array_equal(x.grad.data, [[0.0, 0.0], [1.0, 0.0]])
        x.grad = None
    assert ag.nansum(x, axis=1).tolist() == [0.0, 1.0]


def test_dtypes_are_numpys():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        for dtype in (np.bool_, np.int8, np.int64, np.uint8, np.float32):
            x = (np.arange(6).reshape(2, 3) % 4).astype(dtype)
            for name in ("nansum", "nanmean", "nanmax", "nanmin"):
                for axis in (None, 0, 1):
                    expected = getattr(np, name)(x, axis=axis)
                    for out in (getattr(ag, name)(ag.tensor(x), axis=axis), getattr(np, name)(ag.tensor(x), axis=axis)):
                        assert out.dtype == expected.dtype, (name, dtype, out.dtype, expected.dtype)
                        np.testing.assert_allclose(out.data, expected)


def test_bad_arguments_raise_clear_errors():
    with pytest.raises(np.exceptions.AxisError, match=r"nanmax: .*\(input shape \(2, 3\), axis=2\)"):
        ag.nanmax(ag.zeros((2, 3)), axis=2)
    with pytest.raises(TypeError, match=r"nansum: keepdims must be True or False"):
        ag.nansum(ag.zeros(2), keepdims="no")
    with pytest.raises(TypeError, match=r"np.nanmean on Tensors: out=.* is not supported"):
        np.nanmean(ag.zeros(2), out=np.zeros(()))
    with pytest.raises(ValueError, match=r"nanmax: the reduced axes of input shape \(0,\) \(axis=None\) are empty; "
                                         r"a max of"):
        ag.nanmax(ag.zeros(0))


# ---- nanmax / nanmin: NaN takes no share of a tie at -inf (inf) ----
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
    np.testing.assert_array_equal(gradient_at(f, values), expected)


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


# ---- a 0-d input takes axis 0 or -1, as NumPy's ----
@pytest.mark.parametrize("name", ["nansum", "nanmean", "nanmax", "nanmin"])
@pytest.mark.parametrize("axis", [0, -1, np.int64(0)])
@pytest.mark.parametrize("value", [2.5, float("nan")])
def test_nan_reduction_of_a_0d_input_takes_axis_0_as_numpy(name, axis, value):
    t = ag.tensor(value, requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # (a NaN alone: NumPy's All-NaN / empty-slice warning)
        expected = getattr(np, name)(np.array(value), axis=axis, keepdims=True)
        for out in (getattr(np, name)(t, axis=axis, keepdims=True), getattr(ag, name)(t, axis=axis)):
            assert out.shape == np.shape(expected) == ()
            np.testing.assert_array_equal(out.data, expected)
    out.backward()
    assert float(t.grad) == (1.0 if value == value else 0.0)


@pytest.mark.parametrize("name", ["nansum", "nanmean", "nanmax", "nanmin"])
def test_other_axes_of_a_0d_input_stay_refused_as_numpy(name):
    for axis in (1, -2, (0,)):
        with pytest.raises(np.exceptions.AxisError):
            getattr(np, name)(np.array(1.0), axis=axis)
        with pytest.raises(np.exceptions.AxisError, match=name):
            getattr(ag, name)(ag.tensor(1.0), axis=axis)
