"""Engine corner cases closed in session 25 (helper H1): PyTorch's dim= (and keepdim=) on cumprod, nansum and nanmean,
as the other reductions and scans take it (tests/autograd_core/test_dim_aliases.py); and linalg.lstsq's dtypes as
NumPy's (float32 only when a and b both are, rank int32). Checked against NumPy, finite differences to second order,
and torch when it is installed."""
import numpy as np
import pytest

import autograd_core as ag
from autograd_core.testing import gradcheck, gradgradcheck

X = np.random.default_rng(0).standard_normal((2, 3, 4))
X_NAN = np.where(np.random.default_rng(1).random((2, 3, 4)) < 0.25, np.nan, X)


# ---- dim= on cumprod, nansum, nanmean -------------------------------------------------------------------------
DIM_CASES = [  # (PyTorch's spelling, NumPy's reference, input)
    (lambda x: x.cumprod(dim=1), lambda v: np.cumprod(v, axis=1), X),
    (lambda x: ag.cumprod(x, dim=-1), lambda v: np.cumprod(v, axis=-1), X),
    (lambda x: x.cumprod(dim=np.int64(0)), lambda v: np.cumprod(v, axis=0), X),
    (lambda x: x.nansum(dim=1), lambda v: np.nansum(v, axis=1), X_NAN),
    (lambda x: ag.nansum(x, dim=[0, 2], keepdim=True), lambda v: np.nansum(v, axis=(0, 2), keepdims=True), X_NAN),
    (lambda x: x.nansum(keepdim=True), lambda v: np.nansum(v, keepdims=True), X_NAN),
    (lambda x: x.nanmean(dim=-1, keepdim=True), lambda v: np.nanmean(v, axis=-1, keepdims=True), X_NAN),
    (lambda x: ag.nanmean(x, dim=(0, 1)), lambda v: np.nanmean(v, axis=(0, 1)), X_NAN),
]


@pytest.mark.parametrize("case", range(len(DIM_CASES)))
def test_dim_alias_gives_numpys_values_and_the_axis_forms_gradient(case):
    torch_style, numpy_style, value = DIM_CASES[case]
    x = ag.tensor(value, requires_grad=True)
    ours = torch_style(x)
    expected = numpy_style(value)
    assert ours.shape == expected.shape and ours.dtype == expected.dtype
    np.testing.assert_allclose(ours.data, expected, rtol=1e-12)
    finite = X  # (finite differences need no NaN: the gradient at a NaN is 0 for the nan-reductions)
    assert gradcheck(lambda t: torch_style(t).sum(), finite)
    assert gradgradcheck(lambda t: (torch_style(t) ** 2).sum(), finite)


def test_cumprod_dim_float32_and_zeros_keep_the_axis_forms_results():
    x = ag.tensor(np.array([[2.0, 0.0, 3.0], [1.0, -2.0, 0.5]], np.float32), requires_grad=True)
    y = x.cumprod(dim=1)
    assert y.dtype == np.float32
    y.sum().backward()
    grad, x.grad = x.grad.data, None
    ag.cumprod(x, axis=1).sum().backward()
    np.testing.assert_array_equal(grad, x.grad.data)
    np.testing.assert_array_equal(grad, [[1.0, 8.0, 0.0], [-2.0, 1.5, -2.0]])


@pytest.mark.parametrize("call, name", [
    (lambda x: x.cumprod(1, dim=1), "cumprod"),
    (lambda x: ag.cumprod(x, axis=0, dim=0), "cumprod"),
    (lambda x: x.nansum(1, dim=1), "nansum"),
    (lambda x: ag.nanmean(x, axis=0, dim=1), "nanmean"),
])
def test_axis_and_dim_together_are_refused(call, name):
    with pytest.raises(TypeError, match=rf"^{name}: got both axis=.* and dim=.* \(PyTorch's name for axis\); give "
                                        rf"one of them$"):
        call(ag.tensor(X))


def test_keepdims_and_keepdim_together_are_refused():
    with pytest.raises(TypeError, match=r"^nanmean: got both keepdims=True and keepdim=True \(PyTorch's name for "
                                        r"keepdims\); give one of them$"):
        ag.nanmean(ag.tensor(X), keepdims=True, keepdim=True)


def test_cumprod_refuses_a_dim_that_is_not_an_int_naming_dim():
    with pytest.raises(TypeError, match=r"^cumprod: dim must be None or an int, got 1.5$"):
        ag.tensor(X).cumprod(dim=1.5)
    with pytest.raises(TypeError, match=r"^cumprod: axis must be None or an int, got True$"):
        ag.tensor(X).cumprod(axis=True)


def test_dim_aliases_match_torch():
    torch = pytest.importorskip("torch")
    t, tn = torch.tensor(X), torch.tensor(X_NAN)
    np.testing.assert_allclose(ag.tensor(X).cumprod(dim=2).data, t.cumprod(dim=2).numpy(), rtol=1e-12)
    np.testing.assert_allclose(ag.tensor(X_NAN).nansum(dim=1, keepdim=True).data,
                               tn.nansum(dim=1, keepdim=True).numpy(), rtol=1e-12)
    np.testing.assert_allclose(ag.tensor(X_NAN).nanmean(dim=[0, 2]).data, tn.nanmean(dim=[0, 2]).numpy(), rtol=1e-12)


# ---- linalg.lstsq's dtypes as NumPy's ------------------------------------------------------------------------
LSTSQ_A = np.random.default_rng(2).standard_normal((5, 3))
LSTSQ_B = np.random.default_rng(3).standard_normal((5, 2))


@pytest.mark.parametrize("a_dtype", [np.float32, np.float64, np.int64])
@pytest.mark.parametrize("b_dtype", [np.float32, np.float64, np.int64, np.bool_])
@pytest.mark.parametrize("b_columns", [None, 2])
def test_lstsq_promotes_as_numpy(a_dtype, b_dtype, b_columns):
    a = (LSTSQ_A * 3).astype(a_dtype)
    b = (LSTSQ_B[:, 0] if b_columns is None else LSTSQ_B).astype(b_dtype)
    expected = np.linalg.lstsq(a, b)
    ours = ag.linalg.lstsq(ag.tensor(a), ag.tensor(b))
    single = expected[0].dtype == np.float32
    for mine, theirs in zip(ours, expected):
        theirs = np.asarray(theirs)
        assert mine.dtype == theirs.dtype and mine.shape == theirs.shape
        np.testing.assert_allclose(mine.data, theirs, rtol=1e-4 if single else 1e-10, atol=1e-5 if single else 1e-12)


def test_lstsq_float32_a_with_float64_b_is_computed_in_float64():
    a = LSTSQ_A.astype(np.float32)
    x = ag.linalg.lstsq(ag.tensor(a, requires_grad=True), ag.tensor(LSTSQ_B)).x
    # the float64 solution of the float32 matrix's values, not a float32 pseudo-inverse's (which is off by ~1e-7)
    np.testing.assert_allclose(x.data, np.linalg.lstsq(a.astype(np.float64), LSTSQ_B)[0], rtol=1e-12, atol=1e-13)
    assert gradcheck(lambda a, b: ag.linalg.lstsq(a, b)[0].sum(), LSTSQ_A, LSTSQ_B)


def test_lstsq_float32_a_float64_b_gradient_reaches_a_in_float32():
    a = ag.tensor(LSTSQ_A.astype(np.float32), requires_grad=True)
    b = ag.tensor(LSTSQ_B, requires_grad=True)
    ag.linalg.lstsq(a, b)[0].sum().backward()
    assert a.grad.dtype == np.float32 and b.grad.dtype == np.float64


def test_lstsq_refuses_float16_as_numpy():
    with pytest.raises(TypeError, match=r"^linalg.lstsq: array type float16 is unsupported in linalg \(a float64, b "
                                        r"float16\); give float32 or float64 \(bools and integers are computed in "
                                        r"float64\), as NumPy's$"):
        ag.linalg.lstsq(np.eye(2), np.ones(2, np.float16))
    with pytest.raises(TypeError):
        np.linalg.lstsq(np.eye(2), np.ones(2, np.float16))


def test_cumprod_of_a_0d_tensor_along_its_only_axis_is_numpys_1d_result_with_its_gradient():
    # (it raised at backward: the gradient swapped axes a 0-d array lacks); 1-D, as np.cumprod and ag.cumsum give
    x = ag.tensor(3.0, requires_grad=True)
    for y in (ag.cumprod(x, axis=0), x.cumprod(dim=-1)):
        np.testing.assert_array_equal(y.data, np.cumprod(np.array(3.0), axis=0))
        assert y.shape == ag.cumsum(x, axis=0).shape == (1,)
    assert gradcheck(lambda t: ag.cumprod(t, axis=0).sum(), np.array(3.0))
    assert gradgradcheck(lambda t: (ag.cumprod(t, dim=0) ** 2).sum(), np.array(3.0))
