"""quantile, percentile, nanquantile, nanpercentile, cov and corrcoef (autograd_core/ops/quantiles.py) beside their
table declarations in test_numpy_more.py: NaN slices, integer and boolean inputs, empty inputs, signed zeros and
dtypes as NumPy 2.4's (to the bit where NumPy's arithmetic can be followed), the gradient at a NaN as torch's, cov's
weights and rowvar, and the errors, which name the function."""
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
try:
    import torch
except ImportError:  # (CI has no torch: the written-out cases still run)
    torch = None

import autograd_core as ag
from autograd_core.testing import gradcheck, gradgradcheck
from conftest import assert_function_matches_torch, torch_older_than

FUNCS = ["quantile", "percentile", "nanquantile", "nanpercentile"]


def _q(func, q):
    return np.asarray(q) * 100 if "percentile" in func else q


def _same(ours, theirs):
    theirs = np.asarray(theirs)
    assert ours.shape == theirs.shape and ours.dtype == theirs.dtype, (ours.shape, ours.dtype, theirs.shape,
                                                                       theirs.dtype)
    np.testing.assert_array_equal(ours.data, theirs)


def _bits_equal(ours, theirs):
    theirs = np.asarray(theirs)
    assert ours.shape == theirs.shape and ours.dtype == theirs.dtype
    assert ours.data.tobytes() == theirs.tobytes(), (ours.data, theirs)


# ---- NaN slices, integers, and the bits of NumPy's values ----
def test_quantiles_of_nan_slices_and_integers():
    x = np.array([[1.0, np.nan, 3.0], [np.nan, np.nan, np.nan], [4.0, 2.0, 0.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        np.testing.assert_array_equal(ag.nanquantile(x, [0.5, 0.1], axis=1).data,
                                      np.nanquantile(x, [0.5, 0.1], axis=1))
    np.testing.assert_array_equal(ag.quantile(x, 0.5, axis=1).data, np.quantile(x, 0.5, axis=1))
    for q, method in ((0.5, "linear"), (1, "linear"), (0.4, "lower"), (0.4, "nearest"), ([0.5], "midpoint")):
        ints = np.array([5, 1, 4, 2])
        out, expected = ag.quantile(ints, q, method=method), np.quantile(ints, q, method=method)
        assert out.dtype == expected.dtype and out.data.tolist() == expected.tolist()
    for q in (0.3, np.array(0.3)):  # a Python q keeps float32, an array q gives float64, as NumPy's
        assert ag.quantile(np.float32([1, 2, 4]), q).dtype == np.quantile(np.float32([1, 2, 4]), q).dtype


@settings(max_examples=40, deadline=None)
@given(x=hnp.arrays(np.float32, st.integers(1, 8), elements=st.floats(-3, 3, width=32)),
       q=st.floats(0, 1), method=st.sampled_from(["linear", "lower", "higher", "nearest", "midpoint"]),
       kind=st.sampled_from(["python", "float64", "float32"]), percent=st.booleans())
def test_quantile_values_equal_numpys_to_the_bit(x, q, method, kind, percent):
    q = q * 100 if percent else q
    q = {"python": q, "float64": np.array([q, q / 2]), "float32": np.float32([q, q / 3])}[kind]
    func = "percentile" if percent else "quantile"
    out, expected = getattr(ag, func)(x, q, method=method), np.asarray(getattr(np, func)(x, q, method=method))
    assert out.dtype == expected.dtype and out.data.tobytes() == expected.tobytes()


# ---- empty inputs, dtypes, booleans and axes as NumPy 2.4's: an input with no elements whose reduced axes are not
# empty has empty quantiles, and a nan variant's of any empty input is NumPy's nanmean of it (NaN, warned); an integer
# input with a float32 or float16 array q blends in their common dtype, as NumPy's lerp; a boolean input is NumPy's
# for the methods that pick an element ('lower', 'higher', 'nearest', and 'linear' with integer q), while 'midpoint'
# and 'linear' with a float q raise (NumPy's b - a); an axis out of range names the function, the shape and the
# axis ----
@pytest.mark.parametrize("func", FUNCS)
@pytest.mark.parametrize("shape, axis", [((0, 3), 1), ((0, 2, 3), 2), ((2, 0, 3), -1), ((0, 3), -1)])
@pytest.mark.parametrize("keepdims", [False, True])
def test_empty_input_with_nonempty_reduced_axes(func, shape, axis, keepdims):
    x = np.zeros(shape, np.float32)
    for q in (0.5, np.array([0.25, 0.75])):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            expected = getattr(np, func)(x, _q(func, q), axis=axis, keepdims=keepdims)
            _same(getattr(ag, func)(ag.tensor(x), _q(func, q), axis=axis, keepdims=keepdims), expected)


@pytest.mark.parametrize("func", ["nanquantile", "nanpercentile"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64])
def test_nan_variants_of_an_empty_slice_are_nan(func, dtype):
    for shape, axis in (((0,), None), ((3, 0), 1), ((3, 0), None), ((0, 2, 0), 2)):
        x = np.zeros(shape, dtype)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            expected = getattr(np, func)(x, _q(func, 0.5), axis=axis)
            out = getattr(ag, func)(ag.tensor(x), _q(func, 0.5), axis=axis)
        _same(out, expected)
    with pytest.warns(RuntimeWarning):
        getattr(ag, func)(ag.tensor(np.zeros((3, 0), dtype)), _q(func, np.array([0.5, 0.2])), axis=1)


@pytest.mark.parametrize("func", ["quantile", "percentile"])
def test_an_empty_reduced_axis_still_raises_naming_the_function(func):
    with pytest.raises(ValueError, match=f"^{func}: the reduced axes"):
        getattr(ag, func)(ag.tensor(np.zeros((3, 0))), _q(func, 0.5), axis=1)


@pytest.mark.parametrize("func", FUNCS)
@pytest.mark.parametrize("xdtype", [np.uint8, np.int8, np.int16, np.int32, np.int64])
@pytest.mark.parametrize("qdtype", [np.float16, np.float32, np.float64])
@pytest.mark.parametrize("method", ["linear", "midpoint"])
def test_integers_blend_in_qs_float_dtype(func, xdtype, qdtype, method):
    x = np.array([[3, 1, 7, 2], [5, 5, 0, 9]], xdtype)
    q = _q(func, np.array([0.3, 0.55])).astype(qdtype)
    expected = getattr(np, func)(x, q, axis=1, method=method)
    _same(getattr(ag, func)(ag.tensor(x), q, axis=1, method=method), expected)
    _same(getattr(ag, func)(ag.tensor(x), float(q[0]), axis=1, method=method),
          getattr(np, func)(x, float(q[0]), axis=1, method=method))


@pytest.mark.parametrize("func", FUNCS)
@pytest.mark.parametrize("method", ["lower", "higher", "nearest"])
def test_booleans_with_the_picking_methods(func, method):
    x = np.array([[True, False, True], [False, False, True]])
    for q in (0.4, np.array([0.1, 0.9])):
        _same(getattr(ag, func)(ag.tensor(x), _q(func, q), axis=1, method=method),
              getattr(np, func)(x, _q(func, q), axis=1, method=method))
    if "quantile" in func:  # (integer q: NumPy's linear picks; percentile's q / 100 is a float)
        _same(getattr(ag, func)(ag.tensor(x), np.array([0, 1]), method="linear"),
              getattr(np, func)(x, np.array([0, 1]), method="linear"))


@pytest.mark.parametrize("func", FUNCS)
@pytest.mark.parametrize("method", ["linear", "midpoint"])
def test_booleans_that_would_blend_raise(func, method):
    x = np.array([True, False, True])
    with pytest.raises(TypeError):
        getattr(np, func)(x, _q(func, 0.4), method=method)
    with pytest.raises(TypeError, match=f"^{func}: a must be an array of real numbers for method='{method}'"):
        getattr(ag, func)(ag.tensor(x), _q(func, 0.4), method=method)


@pytest.mark.parametrize("func", FUNCS)
@pytest.mark.parametrize("axis", [2, -3, (0, 2)])
def test_an_axis_out_of_range_names_the_function(func, axis):
    with pytest.raises(np.exceptions.AxisError, match=f"^{func}: .*shape \\(3, 1\\)"):
        getattr(ag, func)(ag.tensor(np.ones((3, 1))), _q(func, 0.5), axis=axis)


@pytest.mark.parametrize("func", FUNCS)
@pytest.mark.parametrize("method", ["linear", "midpoint", "lower"])
@pytest.mark.parametrize("dtype", [np.float16, np.float32])
def test_a_single_nan_quantile_keeps_the_inputs_dtype(func, method, dtype):
    """NumPy's quantile of one q over a 1-D slice holding a NaN is that NaN, in x's dtype (an np.float32 or np.float64
    q otherwise sets the dtype); so is a nan variant's of a 1-D input of NaNs alone, along axis 0 too."""
    x = np.array([1.0, np.nan, 3.0], dtype) if "nan" not in func else np.full(3, np.nan, dtype)
    for q in (np.float32(0.3), np.float64(0.3), np.array(0.3)):
        for axis in (None, 0, -1):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                expected = getattr(np, func)(x, _q(func, q), axis=axis, method=method)
                out = getattr(ag, func)(ag.tensor(x), _q(func, q), axis=axis, method=method)
            assert out.shape == np.shape(expected) and out.dtype == np.asarray(expected).dtype
            assert np.isnan(out.data)


# ---- the gradient of a quantile of a slice holding a NaN goes to a NaN, as median's does here: to the last NaN
# (NaNs sorting last, in a stable order); a nan variant's of a slice of NaNs alone to its first entry. PyTorch before
# 2.14 sorts and gives the same; 2.14 selects the order statistics instead of sorting (pytorch#188394: the values are
# the sort's, and so is the gradient of distinct values, but a tie's, NaNs included, goes to whichever entry the
# selection leaves in place), so there its gradient of a NaN slice is compared for where it goes: to NaNs alone ----
def _nan_slices_gradients(grad, nan_slices, axis):
    """The gradient's slices along axis where nan_slices holds (each a row)."""
    return np.moveaxis(grad, axis, -1)[nan_slices]


@pytest.mark.parametrize("method", ["linear", "lower", "higher", "midpoint", "nearest"])
@pytest.mark.parametrize("nan_variant", [False, True])
def test_gradients_of_nan_slices_match_torchs(method, nan_variant):
    if torch is None:
        pytest.skip("compares with torch")
    rng = np.random.default_rng(11)
    ours, theirs = (ag.nanquantile, torch.nanquantile) if nan_variant else (ag.quantile, torch.quantile)
    for _ in range(30):
        x = rng.normal(size=(3, 5))
        for row in range(3):
            x[row, rng.permutation(5)[:int(rng.integers(0, 6))]] = np.nan
        q = rng.random(size=2) if rng.random() < 0.5 else float(rng.random())
        axis = int(rng.choice([0, 1]))
        t = ag.tensor(x, requires_grad=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            out = ours(t, q, axis=axis, method=method)
        g = rng.normal(size=out.shape)
        out.backward(ag.tensor(g))
        tx = torch.tensor(x, requires_grad=True)
        expected = theirs(tx, torch.tensor(q) if isinstance(q, np.ndarray) else q, dim=axis, interpolation=method)
        expected.backward(torch.tensor(g))
        np.testing.assert_allclose(out.data, expected.detach().numpy(), rtol=1e-12)
        nans = np.isnan(np.moveaxis(x, axis, -1))
        nan_slices = nans.all(axis=-1) if nan_variant else nans.any(axis=-1)
        ours_at_nans = _nan_slices_gradients(t.grad.data, nan_slices, axis)
        # ours: each NaN slice's whole gradient on one entry, its first (a nan variant) or its last NaN
        chosen = np.zeros(ours_at_nans.shape, bool)
        chosen[np.arange(len(chosen)), 0 if nan_variant else nans[nan_slices].shape[-1] - 1 - np.argmax(
            nans[nan_slices][:, ::-1], axis=-1)] = True
        assert not ours_at_nans[~chosen].any()
        if torch_older_than(torch, "2.14"):
            np.testing.assert_allclose(t.grad.data, tx.grad.numpy(), rtol=1e-12, atol=1e-15)
            continue
        theirs_at_nans = _nan_slices_gradients(tx.grad.numpy(), nan_slices, axis)
        assert not theirs_at_nans[~nans[nan_slices]].any()  # (to NaNs alone)
        np.testing.assert_allclose(theirs_at_nans.sum(axis=-1), ours_at_nans.sum(axis=-1), rtol=1e-12, atol=1e-15)
        other = ~np.moveaxis(np.broadcast_to(nan_slices[..., None], nans.shape), -1, axis)  # (the other slices)
        np.testing.assert_allclose(t.grad.data[other], tx.grad.numpy()[other], rtol=1e-12, atol=1e-15)


def test_the_simple_cases():
    x = ag.tensor([1.0, np.nan, 3.0, np.nan, 2.0], requires_grad=True)
    ag.quantile(x, 0.4).backward()
    np.testing.assert_array_equal(x.grad.data, [0, 0, 0, 1, 0])
    y = ag.tensor(np.full(3, np.nan, np.float32), requires_grad=True)
    with pytest.warns(RuntimeWarning, match="All-NaN slice"):
        out = ag.nanpercentile(y, np.array([10.0, 70.0]))
    with pytest.warns(RuntimeWarning, match="All-NaN slice"):
        expected = np.nanpercentile(y.data, np.array([10.0, 70.0]))
    assert out.dtype == expected.dtype == np.float32  # (NumPy: x's dtype)
    assert np.isnan(out.data).all()
    out.sum().backward()
    assert y.grad.dtype == np.float32
    np.testing.assert_array_equal(y.grad.data, [2, 0, 0])


# ---- signed zeros are NumPy's to the bit: -0.0 and 0.0 compare equal, so which one NumPy's introselect partition
# leaves at an index depends on the slice's order and on all the indices it partitions at (a stable sort picks the
# other one in about one case in ten); where the sign differs, the pick is re-pointed to a zero of NumPy's sign, so
# the gradient still reaches one element per pick ----
def test_the_hypothesis_example():
    x = np.array([-0.0, 0.0, -0.0, -0.0, -0.0], np.float32)
    _bits_equal(ag.quantile(x, 0.75, method="lower"), np.quantile(x, 0.75, method="lower"))


@pytest.mark.parametrize("func", ["quantile", "percentile", "nanquantile", "nanpercentile"])
@pytest.mark.parametrize("method", ["linear", "lower", "higher", "midpoint", "nearest"])
def test_signed_zeros_match_numpys_and_the_gradient_reaches_one_element_per_pick(func, method):
    rng = np.random.default_rng(7)
    for _ in range(60):
        shape = tuple(int(n) for n in rng.integers(1, 6, int(rng.integers(1, 3))))
        x = rng.choice([-0.0, 0.0, 0.0, -0.0, 1.0, -1.0], size=shape).astype(rng.choice([np.float32, np.float64]))
        q = [float(rng.random()), rng.random(size=2), float(rng.choice([0, 0.25, 0.5, 0.75, 1]))][int(rng.integers(3))]
        q = q * 100 if "percentile" in func else q
        axis = None if rng.random() < 0.5 else -1
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            expected = getattr(np, func)(x, q, axis=axis, method=method)
        t = ag.tensor(x, requires_grad=True)
        out = getattr(ag, func)(t, q, axis=axis, method=method)
        _bits_equal(out, expected)
        out.sum().backward()
        assert np.isclose(t.grad.data.sum(), out.size)


# ---- cov and corrcoef as NumPy's, with weights and y ----
def test_cov_and_corrcoef_match_numpy_with_weights_and_y():
    rng = np.random.default_rng(0)
    m, y = rng.normal(size=(3, 6)), rng.normal(size=(6,))
    f, a = np.array([1, 2, 1, 3, 1, 1]), rng.uniform(0.5, 2.0, 6)
    for kwargs in ({}, {"y": y}, {"fweights": f}, {"aweights": a}, {"fweights": f, "aweights": a, "ddof": 2},
                   {"rowvar": False}, {"bias": True, "aweights": a}, {"dtype": np.float32}):
        out, expected = ag.cov(m.T if kwargs.get("rowvar") is False else m, **kwargs), \
            np.cov(m.T if kwargs.get("rowvar") is False else m, **kwargs)
        assert out.dtype == expected.dtype
        np.testing.assert_allclose(out.data, expected, rtol=1e-5 if kwargs.get("dtype") else 1e-12)
    np.testing.assert_allclose(ag.corrcoef(m, y).data, np.corrcoef(m, y), rtol=1e-12)
    assert gradcheck(lambda t, w: ag.cov(t, aweights=w, fweights=f), m, a)
    assert ag.cov(np.float32([1, 2, 4])).dtype == np.float64  # NumPy computes in float64 at least


# ---- cov and corrcoef against NumPy 2.4: rowvar=False transposes every 2-D m (a (1, n) m is n variables observed
# once, NaN covariances); weights stay float64 whatever dtype says (NumPy rounds only the centred X back to dtype);
# float32 without weights is scaled by NumPy's c *= np.float64(1 / fact), one rounding of the float64 product; an
# empty m gives float64 (0, 0) whatever dtype says; y with another observation count and weights summing to zero
# raise errors naming cov (corrcoef's name corrcoef) ----
@pytest.mark.parametrize("name", ["cov", "corrcoef"])
def test_rowvar_false_of_one_row_is_many_variables(name):
    m = np.array([[1.0, 2.0, 4.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        expected = getattr(np, name)(m, rowvar=False)
        out = getattr(ag, name)(ag.tensor(m), rowvar=False)
    _same(out, expected)
    assert out.shape == (3, 3) and np.isnan(out.data).all()


def test_rowvar_false_of_one_row_with_y_and_fweights():
    m, y = np.array([[1.0, 2.0]]), np.array([[0.5, -1.0]])
    with pytest.raises(RuntimeError, match="cov"):  # (one observation of two variables, not two of one)
        ag.cov(ag.tensor(m), rowvar=False, fweights=np.array([1, 2]))
    with pytest.raises(ValueError, match="cov"):  # (NumPy: y's (1, n) is not transposed, so the counts differ)
        ag.cov(ag.tensor(m), ag.tensor(y), rowvar=False)
    with pytest.raises(ValueError, match="all the input array dimensions"):
        np.cov(m, y, rowvar=False)


@pytest.mark.parametrize("weights", ["fweights", "aweights", "both"])
def test_weights_stay_float64_with_a_float32_dtype(weights):
    rng = np.random.default_rng(0)
    m = rng.normal(size=(3, 5)).astype(np.float32)
    kw = {}
    if weights in ("fweights", "both"):
        kw["fweights"] = np.array([1, 2, 1, 3, 1])
    if weights in ("aweights", "both"):
        kw["aweights"] = rng.random(5) + 0.5
    for dtype in (None, np.float32):
        expected = np.cov(m, dtype=dtype, **{k: v.copy() for k, v in kw.items()})
        _same(ag.cov(ag.tensor(m), dtype=dtype, **kw), expected)


def test_float32_scaling_rounds_once_as_numpys():
    m = np.array([[0.04132597893476486, -2.32503080368042, -0.218791663646698, -1.2459110021591187],
                  [-0.7322673797607422, -0.5442590117454529, -0.3163001537322998, 0.4116305410861969]], np.float32)
    _same(ag.cov(ag.tensor(m), dtype=np.float32), np.cov(m, dtype=np.float32))
    _same(ag.corrcoef(ag.tensor(m), dtype=np.float32), np.corrcoef(m, dtype=np.float32))
    rng = np.random.default_rng(1)
    for _ in range(50):
        m = rng.normal(size=(3, 4)).astype(np.float32)
        _same(ag.cov(ag.tensor(m), dtype=np.float32), np.cov(m, dtype=np.float32))
        _same(ag.cov(ag.tensor(m), dtype=np.float32, bias=True), np.cov(m, dtype=np.float32, bias=True))
        _same(ag.corrcoef(ag.tensor(m), dtype=np.float32), np.corrcoef(m, dtype=np.float32))
    m = np.array([[1, 5, 2, 3], [0, 2, 2, 7]])
    _same(ag.cov(ag.tensor(m), dtype=np.float32), np.cov(m, dtype=np.float32))


def test_empty_m_is_float64():
    m = np.zeros((0, 4), np.int64)
    _same(ag.cov(ag.tensor(m), dtype=np.float32), np.cov(m, dtype=np.float32))
    _same(ag.corrcoef(ag.tensor(m), dtype=np.float32), np.corrcoef(m, dtype=np.float32))


def test_errors_name_the_function():
    with pytest.raises(ValueError, match=r"^cov: y .*observations"):
        ag.cov(ag.tensor(np.ones((2, 3))), ag.tensor(np.ones((1, 4))))
    with pytest.raises(ValueError, match=r"^corrcoef: y .*observations"):
        ag.corrcoef(ag.tensor(np.ones((2, 3))), ag.tensor(np.ones((1, 4))))
    with pytest.raises(ValueError, match=r"^corrcoef: m has more than 2 dimensions"):
        ag.corrcoef(ag.tensor(np.ones((2, 3, 1))))
    with pytest.raises(ZeroDivisionError, match=r"^cov: the weights sum to zero"):
        ag.cov(ag.tensor(np.ones((2, 3))), aweights=np.zeros(3))


def test_gradients_still_flow_with_float32_and_weights():
    m = ag.tensor(np.random.default_rng(2).normal(size=(2, 4)), requires_grad=True)
    aw = ag.tensor(np.array([0.5, 1.0, 2.0, 1.5]), requires_grad=True)
    assert gradgradcheck(lambda x, w: ag.cov(x, aweights=w, fweights=np.array([1, 2, 1, 1])), m, aw)
    assert gradgradcheck(lambda x: ag.corrcoef(x, rowvar=False), ag.tensor(np.random.default_rng(3).normal(size=(5, 2)),
                                                                            requires_grad=True))
    x32 = ag.tensor(np.random.default_rng(4).normal(size=(2, 4)).astype(np.float32), requires_grad=True)
    ag.cov(x32, dtype=np.float32).sum().backward()
    assert x32.grad.dtype == np.float32


def test_corrcoef_refuses_bias_and_ddof_as_numpy_2_4_does():
    x = np.array([[1.0, 2.0, 4.0], [0.0, 1.0, -1.0]])
    for kw in ({"bias": 1}, {"ddof": 0}):
        with pytest.raises(TypeError):
            np.corrcoef(x, **kw)
        with pytest.raises(TypeError, match=r"^corrcoef: bias= and ddof="):
            ag.corrcoef(ag.tensor(x), **kw)
    with pytest.raises(TypeError):
        ag.corrcoef(ag.tensor(x), None, True, 1)  # (a fourth positional argument, as NumPy's)


@pytest.mark.parametrize("func", ["quantile", "nanquantile"])
@pytest.mark.parametrize("interpolation", ["linear", "lower", "higher", "midpoint", "nearest"])
def test_pytorchs_dim_keepdim_and_interpolation_are_taken(func, interpolation):
    # (found missing by porting PyTorch's test_reductions: torch.quantile(a, q, dim=, keepdim=, interpolation=))
    torch = pytest.importorskip("torch")
    a = np.random.default_rng(3).standard_normal((3, 4, 5))
    a[0, 1, 2] = np.nan
    q = np.array([0.1, 0.5, 0.9])
    for dim, keepdim in [(None, False), (1, True), (-1, False), (0, True)]:
        expected = getattr(torch, func)(torch.tensor(a), torch.tensor(q), dim=dim, keepdim=keepdim,
                                        interpolation=interpolation)
        result = getattr(ag, func)(ag.tensor(a), ag.tensor(q), dim=dim, keepdim=keepdim, interpolation=interpolation)
        np.testing.assert_allclose(result.numpy(), expected.numpy(), rtol=1e-12, equal_nan=True)


def test_interpolation_with_another_method_is_refused():
    with pytest.raises(TypeError, match="got both method='lower' and interpolation='higher'"):
        ag.quantile(ag.tensor([1.0, 2.0]), 0.5, method="lower", interpolation="higher")


@pytest.mark.parametrize("args, kwargs, message", [
    (([], 0.5), {}, r"input tensor must be non-empty"),
    (([1.0], -1.0), {}, r"q (values )?must be in the range \[0, 1\]"),
    (([1.0], [0.5, 1.1, -1.0]), {}, r"q values must be in the range \[0, 1\]"),
    (([1.0], [1.0]), {"interpolation": "random_mode"},
     r"interpolation must be one of linear, lower, higher, midpoint or nearest, but got random_mode")])
def test_quantile_errors_are_also_pytorchs_runtime_errors(args, kwargs, message):
    # (found by porting PyTorch's test_quantile_error, which matches these with RuntimeError)
    torch = pytest.importorskip("torch")
    a, q = args
    with pytest.raises(RuntimeError, match=message):
        torch.quantile(torch.tensor(a), torch.tensor(q) if isinstance(q, list) else q, **kwargs)
    with pytest.raises(RuntimeError, match=message) as raised:
        ag.quantile(ag.tensor(a), ag.tensor(q) if isinstance(q, list) else q, **kwargs)
    assert isinstance(raised.value, ValueError)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("correction", [0, 1, 2])
def test_cov_takes_pytorchs_correction_with_its_dtype_and_gradients(dtype, correction):
    # (found by porting PyTorch's OpInfo entries for cov: torch.cov(x, correction=, fweights=, aweights=) raised
    # TypeError; with correction= the call is PyTorch's, keeping a float32 x's dtype)
    x = np.random.default_rng(4).standard_normal((3, 5))
    fweights = np.array([1, 2, 0, 3, 1])
    aweights = np.random.default_rng(5).random(5)
    cases = ({}, {"fweights": fweights}, {"aweights": aweights}, {"fweights": fweights, "aweights": aweights})
    for kw in cases:  # (NumPy's ddof= is PyTorch's correction=, torch.cov's weighted divisor included)
        result = ag.cov(ag.tensor(x.astype(dtype)), correction=correction,
                        **{k: ag.tensor(v.astype(dtype) if k == "aweights" else v) for k, v in kw.items()})
        assert result.dtype == dtype
        np.testing.assert_allclose(result.data, np.cov(x, ddof=correction, **kw), rtol=64 * np.finfo(dtype).eps,
                                   atol=64 * np.finfo(dtype).eps)
    assert gradcheck(lambda t, w: ag.cov(t, correction=correction, fweights=fweights, aweights=w), x, aweights)
    assert ag.cov(ag.tensor([1, 2, 4]), correction=correction).dtype == np.float64  # (integers: float64, as torch's)
    weights = ag.tensor([1.0, 2.0, 1.0], dtype=dtype)  # (integers with float aweights: the weights' dtype, as torch's)
    assert ag.cov(ag.tensor([1, 2, 4]), correction=correction, aweights=weights).dtype == dtype
    with pytest.raises(TypeError, match=r"^cov: correction= \(PyTorch's\) and ddof="):
        ag.cov(ag.tensor(x), correction=correction, ddof=1)
    with pytest.raises(TypeError, match=r"^cov: correction must be an int"):
        ag.cov(ag.tensor(x), correction=1.5)
    torch = pytest.importorskip("torch")
    for kw in cases:
        assert_function_matches_torch(
            lambda t: ag.cov(t, correction=correction, **{k: ag.tensor(v.astype(dtype) if k == "aweights" else v)
                                                           for k, v in kw.items()}),
            lambda t: torch.cov(t, correction=correction, **{k: torch.tensor(v.astype(dtype) if k == "aweights" else v)
                                                             for k, v in kw.items()}),
            [x], dtype, tol_factor=64)
    assert torch.cov(torch.tensor([1, 2, 4]), correction=correction, aweights=torch.tensor(weights.data)).dtype == (
        torch.float32 if dtype == np.float32 else torch.float64)


def test_cov_with_correction_takes_numpys_default_bias_in_any_spelling():
    # (bias=0, NumPy's default False spelled as an int, was refused as naming the divisor twice)
    x = np.array([[0.0, 1.0, 3.0], [1.0, 2.0, 2.0]])
    for bias in (False, 0):
        np.testing.assert_allclose(ag.cov(ag.tensor(x), correction=1, bias=bias).data, np.cov(x), rtol=1e-15)
    for bias in (True, 1):
        with pytest.raises(TypeError, match=r"^cov: correction= \(PyTorch's\) and ddof= or bias="):
            ag.cov(ag.tensor(x), correction=1, bias=bias)


@pytest.mark.parametrize("shape, kwargs, numpys", [
    ((2, 2, 2), {}, ValueError),
    ((5,), {"fweights": np.array([1.0, 2.5, 1.0, 1.0, 1.0])}, TypeError),
    ((5,), {"fweights": np.array([1, -1, 1, 1, 1])}, ValueError),
    ((5,), {"aweights": np.array([1.0, -1.0, 1.0, 1.0, 1.0])}, ValueError)])
def test_cov_errors_are_also_pytorchs_runtime_errors(shape, kwargs, numpys):
    # (found by porting PyTorch's OpInfo error inputs for cov: torch raises RuntimeError, ours NumPy's classes alone)
    x = np.arange(float(np.prod(shape))).reshape(shape)
    with pytest.raises(numpys):
        np.cov(x, **kwargs)
    for correction in ({}, {"correction": 1}):
        with pytest.raises(RuntimeError, match=r"^cov: ") as raised:
            ag.cov(ag.tensor(x), **kwargs, **correction)
        assert isinstance(raised.value, numpys)
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        torch.cov(torch.tensor(x), **{k: torch.tensor(v) for k, v in kwargs.items()})


@pytest.mark.parametrize("axis, keepdims", [(None, False), (1, False), (0, True), ((0, 1), False)])
def test_nanmedian_is_numpys_and_differentiable(axis, keepdims):
    # (found missing by porting PyTorch's OpInfo entries: nanmedian, median's kin, NumPy's nanquantile at 0.5)
    x = np.random.default_rng(6).standard_normal((4, 5))
    x[0, 1], x[3, 2] = np.nan, np.nan
    result = ag.nanmedian(ag.tensor(x), axis=axis, keepdims=keepdims)
    _same(result, np.nanmedian(x, axis=axis, keepdims=keepdims))
    _same(np.nanmedian(ag.tensor(x), axis=axis, keepdims=keepdims), np.nanmedian(x, axis=axis, keepdims=keepdims))
    assert gradcheck(lambda t: ag.nanmedian(t, axis=axis, keepdims=keepdims), x)
    assert ag.nanmedian(ag.tensor([1, 2, 3, 4])).dtype == np.float64
    with pytest.raises(TypeError, match=r"^nanmedian: dim= is not accepted: PyTorch's torch.nanmedian"):
        ag.nanmedian(ag.tensor(x), dim=1)


def test_nanmedian_of_bools_is_numpys_median_in_float64():
    # (bools were refused with quantile's method='linear' message, which nanmedian has no argument for)
    flags = np.array([[True, False, True], [False, False, True]])
    for axis in (None, 0, 1):
        _same(ag.nanmedian(ag.tensor(flags), axis=axis), np.nanmedian(flags, axis=axis))
    assert ag.nanmedian(ag.tensor([True, False, True])).item() == 1.0
    assert ag.nanmedian(ag.tensor([True, False])).item() == 0.5


def test_nanmedian_of_odd_counts_matches_torchs_values_and_gradient():
    # (an odd count of values that are not NaN: one middle value, where NumPy's and torch's nanmedian agree)
    x = np.random.default_rng(7).standard_normal((3, 6))
    x[0, 1], x[2, 4] = np.nan, np.nan
    x[1, 0] = np.nan
    t = ag.tensor(x, requires_grad=True)
    result = ag.nanmedian(t, axis=1)
    middle = np.nanmedian(x, axis=1)
    _same(result, middle)
    result.backward(np.array([1.0, 2.0, 3.0]))  # (each row's cotangent to its middle value alone)
    np.testing.assert_array_equal(t.grad.data, (x == middle[:, None]) * np.array([[1.0], [2.0], [3.0]]))
    assert gradcheck(lambda u: ag.nanmedian(u, axis=1), x)
    torch = pytest.importorskip("torch")
    assert_function_matches_torch(lambda t: ag.nanmedian(t, axis=1), lambda t: torch.nanmedian(t, dim=1).values,
                                  [x], np.float64)


@pytest.mark.parametrize("func", ["quantile", "nanquantile"])
def test_quantile_methods_are_pytorchs(func):
    # (found missing by porting PyTorch's OpInfo method variants: t.quantile(q, dim=, keepdim=, interpolation=))
    x = np.random.default_rng(8).standard_normal((3, 4))
    x[1, 2] = np.nan
    q = np.array([0.2, 0.9])
    calls = [((), {}), ((), {"dim": 1, "keepdim": True, "interpolation": "midpoint"}), ((), {"dim": 0}),
             ((1, True), {"interpolation": "lower"}), ((0,), {})]  # (dim and keepdim positional, as torch's)
    for args, kwargs in calls:
        result = getattr(ag.tensor(x), func)(ag.tensor(q), *args, **kwargs)
        named = dict(zip(("dim", "keepdim"), args), **kwargs)
        expected = getattr(np, func)(x, q, axis=named.get("dim"), keepdims=named.get("keepdim", False),
                                     method=named.get("interpolation", "linear"))
        _same(result, expected)
    x0 = ag.tensor([[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]])
    _same(getattr(x0, func)(0.5, 0, True), [[1.5, 2.5, 3.5]])
    _same(getattr(x0, func)(0.5, axis=1, method="lower"), [1.0, 4.0])  # (NumPy's names by keyword too)
    with pytest.raises(TypeError, match="out= is not supported"):  # (ag.quantile's third positional: NumPy's out)
        getattr(ag, func)(x0, 0.5, 0, True)
    torch = pytest.importorskip("torch")
    for args, kwargs in calls:
        expected = getattr(torch.tensor(x), func)(torch.tensor(q), *args, **kwargs)
        result = getattr(ag.tensor(x), func)(ag.tensor(q), *args, **kwargs)
        assert result.shape == tuple(expected.shape)
        np.testing.assert_allclose(result.numpy(), expected.numpy(), rtol=1e-12, equal_nan=True)
