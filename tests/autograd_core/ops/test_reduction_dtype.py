"""dtype= of sum, mean, prod, cumsum, cumprod and trace (NumPy's and PyTorch's keyword): a float dtype casts first
and the gradient comes back in the input's dtype; an integer or bool dtype gives NumPy's own result for a constant (in
its integer arithmetic: int8 wraps) and is refused for a Tensor that requires grad."""
import numpy as np
import pytest
from hypothesis import given, strategies as st

import autograd_core as ag
from autograd_core.testing import gradcheck
from autograd_core.testing.strategies import elements, float_arrays

REDUCTIONS = {
    "sum": (lambda t, **k: t.sum(**k), lambda a, **k: np.sum(a, **k)),
    "mean": (lambda t, **k: t.mean(**k), lambda a, **k: np.mean(a, **k)),
    "prod": (lambda t, **k: t.prod(**k), lambda a, **k: np.prod(a, **k)),
    "cumsum": (lambda t, **k: ag.cumsum(t, **k), lambda a, **k: np.cumsum(a, **k)),
    "cumprod": (lambda t, **k: ag.cumprod(t, **k), lambda a, **k: np.cumprod(a, **k)),
    "trace": (lambda t, **k: ag.trace(t, **k), lambda a, **k: np.trace(a, **k)),
}
INTEGER_DTYPES = [np.int8, np.uint8, np.int16, np.int32, np.int64, np.bool_]


@pytest.mark.parametrize("name", REDUCTIONS)
@pytest.mark.parametrize("dtype", INTEGER_DTYPES)
@given(values=st.lists(st.integers(-128, 127), min_size=4, max_size=4))
def test_an_integer_dtype_gives_numpys_result_for_a_constant(name, dtype, values):
    ours, numpys = REDUCTIONS[name]
    a = np.array(values, np.int8).reshape(2, 2)
    result = ours(ag.tensor(a), dtype=dtype)
    expected = numpys(a, dtype=dtype)
    assert result.dtype == expected.dtype
    np.testing.assert_array_equal(result.data, expected)
    assert not result.requires_grad


@pytest.mark.parametrize("name", REDUCTIONS)
def test_an_integer_dtype_is_refused_for_a_tensor_that_requires_grad(name):
    ours, _ = REDUCTIONS[name]
    with pytest.raises(TypeError, match=f"{name}: dtype=int32 would cut a Tensor that requires grad"):
        ours(ag.tensor(np.ones((2, 2)), requires_grad=True), dtype=np.int32)


@pytest.mark.parametrize("name", REDUCTIONS)
def test_a_dtype_that_is_no_number_type_is_named(name):
    ours, _ = REDUCTIONS[name]
    with pytest.raises(TypeError, match=f"{name}: dtype='foo' names no NumPy dtype"):
        ours(ag.tensor(np.ones((2, 2))), dtype="foo")
    with pytest.raises(TypeError, match=f"{name}: dtype=<U0 is not supported"):
        ours(ag.tensor(np.ones((2, 2))), dtype=np.str_)


@pytest.mark.parametrize("name", REDUCTIONS)
@given(x=float_arrays(shape=(2, 3), dtype=np.float32, elements=elements(-2.0, 2.0, dtype=np.float32)))
def test_a_float_dtype_casts_first_and_the_gradient_keeps_the_inputs_dtype(name, x):
    ours, numpys = REDUCTIONS[name]
    t = ag.tensor(x, requires_grad=True)
    result = ours(t, dtype=np.float64)
    np.testing.assert_allclose(result.data, numpys(x.astype(np.float64)), rtol=1e-12)
    assert result.dtype == np.float64
    result.sum().backward()
    assert t.grad.dtype == np.float32


@pytest.mark.parametrize("name", REDUCTIONS)
@given(x=float_arrays(shape=(3, 3), elements=elements(-2.0, 2.0)))
def test_a_float_dtype_matches_finite_differences(name, x):
    ours, _ = REDUCTIONS[name]
    assert gradcheck(lambda t: ours(t, dtype=np.float64), x)


# ---- np.sum, np.mean, np.cumsum, np.trace... of a constant with an integer or bool dtype= are NumPy's: dtype= equal
# to an integer input's own (np.mean(t, dtype=np.int64) of [1, 2] is 1; np.sum(int8 t, dtype=np.int8) wraps), and
# another integer dtype (np.sum(mask, dtype=np.int32), which torch.sum takes too) ----
CASES = [
    (lambda m: np.mean(m(np.array([1, 2])), dtype=np.int64)),
    (lambda m: np.mean(m(np.array([1, 2])), 0, np.int64)),
    (lambda m: np.sum(m(np.array([100, 100], np.int8)), dtype=np.int8)),
    (lambda m: np.cumsum(m(np.array([100, 100], np.int8)), dtype=np.int8)),
    (lambda m: np.sum(m(np.array([True, False, True])), dtype=np.int32)),
    (lambda m: np.sum(m(np.array([[True], [True]])), 0, np.int8, None, True)),
    (lambda m: np.prod(m(np.array([True, False])), dtype=bool)),
    (lambda m: np.nansum(m(np.array([1, 2], np.int16)), dtype=np.int16)),
    (lambda m: np.var(m(np.array([1, 2, 4])), dtype=np.int64)),
    (lambda m: np.sum(m(np.array([1.7, 2.6])), dtype=np.int64)),  # a float constant: truncated first, as NumPy
    (lambda m: np.cumprod(m(np.array([3, 4], np.uint8)), dtype=np.uint8)),
    (lambda m: np.trace(m(np.array([[100, 0], [0, 100]], np.int8)), dtype=np.int8)),
    (lambda m: np.trace(m(np.array([[1.5, 0], [0, 2.5]])), 0, 0, 1, np.int64)),
    (lambda m: np.trace(m(np.array([[True, False], [False, True]])), dtype=bool)),
]


@pytest.mark.parametrize("call", CASES)
def test_integer_dtype_of_a_constant_is_numpys(call):
    expected = np.asarray(call(np.asarray))
    got = call(ag.tensor)
    assert isinstance(got, ag.Tensor) and not got.requires_grad
    assert got.dtype == expected.dtype and got.shape == expected.shape
    np.testing.assert_array_equal(got.data, expected)


def test_recorded_input_still_refuses_an_integer_dtype_and_casts_to_a_float_one():
    w = ag.tensor([1.5, 2.5], requires_grad=True)
    with pytest.raises(TypeError, match=r"sum: dtype=int64 would cut a Tensor that requires grad from the graph"):
        np.sum(w, dtype=np.int64)
    y = np.sum(w, dtype=np.float32)
    assert y.dtype == np.float32 and y.requires_grad
    with pytest.raises(TypeError, match=r"sum: dtype='foo' names no NumPy dtype"):
        np.sum(w, dtype="foo")


@pytest.mark.parametrize("name", ["cumsum", "cumprod"])
def test_a_running_reduction_in_float64_gives_float32_gradients_as_torchs(name):
    # PyTorch's test_autograd test_reduce_dtype: op(x, dim=0, dtype=double)'s gradient is op(x.double(), dim=0)'s,
    # in x's dtype
    x = np.array([[0.5, -1.5, 2.0], [1.25, 0.0, -0.75], [3.0, 0.5, -2.0]], np.float32)
    cotangent = np.array([[1.0, -2.0, 0.5], [0.25, 1.5, -1.0], [2.0, 0.0, 1.0]])
    t = ag.tensor(x, requires_grad=True)
    grad, = ag.autograd.grad(getattr(ag, name)(t, dim=0, dtype=ag.float64), t, ag.tensor(cotangent))
    cast = ag.tensor(x.astype(np.float64), requires_grad=True)
    expected, = ag.autograd.grad(getattr(ag, name)(cast, dim=0), cast, ag.tensor(cotangent))
    assert grad.dtype == np.float32
    np.testing.assert_allclose(grad.data, expected.data, rtol=1e-6)
    # by hand, the running product's: column 0 is (x0, x0 x1, x0 x1 x2), whose gradient at x1 is
    # c1 x0 + c2 x0 x2 = 0.25 * 0.5 + 2.0 * 0.5 * 3.0
    if name == "cumprod":
        assert grad.data[1, 0] == np.float32(0.25 * 0.5 + 2.0 * 0.5 * 3.0)
    torch = pytest.importorskip("torch")
    tt = torch.tensor(x, requires_grad=True)
    tgrad, = torch.autograd.grad(getattr(torch, name)(tt, dim=0, dtype=torch.double), tt, torch.tensor(cotangent))
    np.testing.assert_allclose(grad.data, tgrad.numpy(), rtol=1e-6)
