"""xlogy, xlog1py, float_power, ldexp, nextafter, gcd and lcm (autograd_core/ops/binary_more.py), against PyTorch:
functions PyTorch's test_binary_ufuncs.py tests that were missing here; ldexp's float exponents and nextafter's
gradient, from its OpInfo entries."""
import warnings

import numpy as np
import pytest

import autograd_core as ag
from autograd_core.testing import gradcheck, gradgradcheck


@pytest.fixture
def torch():
    return pytest.importorskip("torch")


_SPECIAL = np.array([-1.0, 0.0, 1.0, 2.0, np.inf, -np.inf, np.nan])


@pytest.mark.parametrize("name", ["xlogy", "xlog1py"])
def test_xlogy_and_xlog1py_values_are_torch_s_with_special_values(torch, name):
    reference = getattr(torch.special, name)
    x = np.concatenate([np.zeros(7), np.full(7, 2.5), _SPECIAL])
    y = np.concatenate([_SPECIAL, _SPECIAL, np.full(7, 3.0)])
    with np.errstate(all="ignore"):
        out = getattr(ag, name)(ag.tensor(x), ag.tensor(y))
    np.testing.assert_allclose(out.data, reference(torch.tensor(x), torch.tensor(y)).numpy(), equal_nan=True)
    t = ag.tensor([0.0, 1.0, 2.0], dtype=np.float32)
    for a, b in ((t, 5), (t, 0), (t, -1), (5, t), (0, t), (t, float("nan")), (0.0, ag.tensor([np.nan, 1.0, -1.0]))):
        with np.errstate(all="ignore"):
            out = getattr(ag, name)(a, b)
        expected = reference(*(torch.tensor(v.data) if isinstance(v, ag.Tensor) else v for v in (a, b)))
        assert out.dtype == expected.numpy().dtype  # (a Python number keeps float32, as PyTorch's)
        np.testing.assert_allclose(out.data, expected.numpy(), equal_nan=True, rtol=1e-6)


def test_xlogy_gradients_are_torch_s_including_zero_x(torch):
    # test_xlogy_xlog1py_gradients: at x = 0 the gradient in x is 0 where y <= 0 (log(y) elsewhere)
    for name, y in (("xlogy", [-1.5, 0.0, 2.0]), ("xlog1py", [-2.5, -1.0, 2.0])):
        x = ag.tensor([0.0, 0.0, 0.0], requires_grad=True)
        with np.errstate(all="ignore"):
            getattr(ag, name)(x, ag.tensor(y)).sum().backward()
        tx = torch.zeros(3, dtype=torch.float64, requires_grad=True)
        getattr(torch.special, name)(tx, torch.tensor(y, dtype=torch.float64)).sum().backward()
        np.testing.assert_allclose(x.grad.data, tx.grad.numpy(), rtol=1e-15)
    x, y = np.array([0.5, -2.0, 3.0]), np.array([0.7, 2.0, 4.0])
    assert gradcheck(ag.xlogy, x, y) and gradgradcheck(ag.xlogy, x, y)
    assert gradcheck(ag.xlog1py, x, y) and gradgradcheck(ag.xlog1py, x, y)


@pytest.mark.parametrize("dtypes", [(np.int32, np.int32), (np.float32, np.int64), (np.float32, np.float32)])
def test_float_power_is_float64_and_torch_s(torch, dtypes):
    base = np.array([1, 2, 3, 5], dtype=dtypes[0])
    exponent = np.array([-2, 0, 1, 2], dtype=dtypes[1])
    out = ag.float_power(ag.tensor(base), ag.tensor(exponent))
    expected = torch.float_power(torch.from_numpy(base), torch.from_numpy(exponent))
    assert out.dtype == np.float64
    np.testing.assert_allclose(out.data, expected.numpy())
    np.testing.assert_allclose(ag.float_power(ag.tensor(base), -0.5).data,
                               torch.float_power(torch.from_numpy(base), -0.5).numpy())
    assert gradcheck(lambda b: ag.float_power(b, 1.5), np.array([0.5, 2.0]))


def test_ldexp_is_numpys_and_torch_s_in_the_mantissas_dtype():
    mantissas = np.random.default_rng(0).standard_normal(64).astype(np.float32)
    exponents = np.random.default_rng(1).integers(-31, 31, 64).astype(np.int32)
    out = ag.ldexp(ag.tensor(mantissas), ag.tensor(exponents))
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out.data, np.ldexp(mantissas, exponents))
    np.testing.assert_array_equal(ag.tensor(mantissas).ldexp(ag.tensor(exponents)).data, out.data)
    special = np.array([np.inf, -np.inf, np.nan, 0.0], dtype=np.float32)
    np.testing.assert_array_equal(ag.ldexp(ag.tensor(special), ag.tensor([3, 4, 5, 6])).data,
                                  np.ldexp(special, [3, 4, 5, 6]))
    assert ag.ldexp(ag.tensor([1.0], dtype=np.float16), ag.tensor([2])).dtype == np.float16
    assert ag.ldexp(ag.tensor([1.0]), ag.tensor([128])).item() == 2.0 ** 128
    assert gradcheck(lambda m: ag.ldexp(m, ag.tensor([2, -1])), np.array([0.3, -1.2]))
    torch = pytest.importorskip("torch")
    np.testing.assert_array_equal(out.data, torch.ldexp(torch.tensor(mantissas), torch.tensor(exponents)).numpy())


@pytest.mark.parametrize("dtypes", [(np.float64, np.float64), (np.float32, np.float64), (np.float32, np.float32),
                                    (np.float64, np.float32)])
def test_ldexp_takes_a_float_exponent_as_torch(dtypes):
    # found by porting PyTorch's OpInfo entries (ldexp: float samples for both): a float exponent was refused, where
    # torch.ldexp gives x * 2 ** exponent in the promoted dtype, differentiable in both operands
    from conftest import assert_function_matches_torch

    x, e = np.array([1.5, -2.0, 0.25, 3.0]), np.array([0.5, -1.25, 3.0, 10.75])
    xs, es = ag.tensor(x.astype(dtypes[0]), requires_grad=True), ag.tensor(e.astype(dtypes[1]), requires_grad=True)
    out = ag.ldexp(xs, es)
    promoted = np.result_type(*dtypes)
    assert out.dtype == promoted
    tol = 8 * max(np.finfo(d).eps for d in dtypes)
    np.testing.assert_allclose(out.data, x * 2.0 ** e, rtol=tol)
    out.backward(np.ones(4, promoted))  # (d/dx 2 ** e, d/de x 2 ** e log 2, by hand)
    np.testing.assert_allclose(xs.grad.data, 2.0 ** e, rtol=tol)
    np.testing.assert_allclose(es.grad.data, x * 2.0 ** e * np.log(2.0), rtol=tol)
    assert ag.ldexp(ag.tensor([1.0], dtype=np.float32), 1.5).dtype == np.float32  # (a Python float stays weak)
    assert gradcheck(lambda m, k: ag.ldexp(m, k), x, e) and gradgradcheck(lambda m, k: ag.ldexp(m, k), x, e)
    torch = pytest.importorskip("torch")
    xt, et = (torch.tensor(v.data, requires_grad=True) for v in (xs, es))
    expected = torch.ldexp(xt, et)
    assert out.dtype == expected.detach().numpy().dtype
    expected.backward(torch.ones(4, dtype=expected.dtype))
    np.testing.assert_allclose(out.data, expected.detach().numpy(), rtol=tol)
    np.testing.assert_allclose(xs.grad.data, xt.grad.numpy(), rtol=tol)
    np.testing.assert_allclose(es.grad.data, et.grad.numpy(), rtol=tol)
    assert_function_matches_torch(ag.ldexp, torch.ldexp, [x, e], np.float64)


def test_ldexp_of_a_float_exponent_past_the_range_is_inf_as_torch():
    # (2.0 ** 1024.0 of a Python float exponent raised Python's bare OverflowError; a Tensor exponent gave inf,
    # as torch.ldexp does, and 0 * inf NaN)
    x = np.array([0.5, -3.0, 0.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = ag.ldexp(ag.tensor(x), 1024.0)
        narrow = ag.ldexp(ag.tensor(x, dtype=np.float32), 200.0)  # (2 ** 200 past float32's range)
    np.testing.assert_array_equal(out.data, [np.inf, -np.inf, np.nan])
    assert narrow.dtype == np.float32
    np.testing.assert_array_equal(narrow.data, [np.inf, -np.inf, np.nan])
    assert ag.ldexp(ag.tensor([3.0]), -1100.0).item() == 0.0
    torch = pytest.importorskip("torch")
    np.testing.assert_array_equal(out.data, torch.ldexp(torch.tensor(x), torch.tensor(1024.0)).numpy())


@pytest.mark.parametrize("exponent", [np.zeros(3), np.zeros(3, np.int64)])
def test_ldexp_of_shapes_that_do_not_broadcast_names_ldexp(exponent):
    # (a float exponent's error named multiply, the integer exponent's too)
    with pytest.raises(RuntimeError, match=rf"^ldexp: invalid input of shapes/dtypes \[\(2,\) float64, \(3,\) "
                                           rf"{exponent.dtype}\]: .*broadcastable shapes") as raised:
        ag.ldexp(ag.zeros(2), ag.tensor(exponent))
    assert isinstance(raised.value, ValueError)


def test_nextafter_gradient_is_one_in_x1_and_zero_in_x2_as_torch():
    # found by porting PyTorch's OpInfo entries (nextafter): the result was a constant, where PyTorch's passes x1
    # the gradient unchanged (none where x1 == x2, -0.0 == 0.0 and inf == inf too) and x2 none
    for dtype in (np.float32, np.float64):
        a = ag.tensor(np.array([[0.5, -2.0, 0.0, -0.0, np.nan, np.inf]], dtype=dtype), requires_grad=True)
        b = ag.tensor(np.array([[np.inf], [-1.0], [0.0], [np.nan]], dtype=dtype), requires_grad=True)
        out = ag.nextafter(a, b)
        np.testing.assert_array_equal(out.data, np.nextafter(a.data, b.data))
        cotangent = np.arange(24.0).reshape(4, 6).astype(dtype)
        out.backward(cotangent)
        equal = np.zeros((4, 6), bool)
        equal[0, 5] = equal[2, 2] = equal[2, 3] = True  # (inf == inf, 0.0 == 0.0, -0.0 == 0.0)
        np.testing.assert_array_equal(a.grad.data, np.where(equal, 0, cotangent).sum(axis=0, keepdims=True))
        np.testing.assert_array_equal(b.grad.data, np.zeros((4, 1)))
        assert a.grad.dtype == b.grad.dtype == dtype
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    (g,) = ag.autograd.grad(ag.nextafter(x, 0.0).sum(), [x], create_graph=True)
    assert g.data.tolist() == [1.0, 1.0]
    assert ag.nextafter(ag.tensor([1.0]), 2.0, out=ag.empty(1)).item() == np.nextafter(1.0, 2.0)
    torch = pytest.importorskip("torch")
    for dtype in (np.float32, np.float64):
        a = ag.tensor(np.array([[0.5, -2.0, 0.0, -0.0, np.nan, np.inf]], dtype=dtype), requires_grad=True)
        b = ag.tensor(np.array([[np.inf], [-1.0], [0.0], [np.nan]], dtype=dtype), requires_grad=True)
        ta, tb = (torch.tensor(v.data, requires_grad=True) for v in (a, b))
        out, expected = ag.nextafter(a, b), torch.nextafter(ta, tb)
        np.testing.assert_array_equal(out.data, expected.detach().numpy())
        cotangent = np.arange(24.0).reshape(4, 6).astype(dtype)
        out.backward(cotangent)
        expected.backward(torch.tensor(cotangent))
        np.testing.assert_array_equal(a.grad.data, ta.grad.numpy())
        np.testing.assert_array_equal(b.grad.data, tb.grad.numpy())


def test_nextafter_is_recorded_and_gcd_and_lcm_are_numpys_and_torch_s():
    # (nextafter's result follows its input's graph since it became differentiable; gcd and lcm take integers)
    for dtype in (np.float32, np.float64):
        a = np.array([0, 0, 10, 1, np.nan], dtype=dtype)
        b = np.array([np.inf, -np.inf, 10, 0, 0], dtype=dtype)
        out = ag.nextafter(ag.tensor(a, requires_grad=True), ag.tensor(b))
        assert out.dtype == dtype and out.requires_grad
        np.testing.assert_array_equal(out.data, np.nextafter(a, b))
    a, b = np.array([0, 10, 0, -12, 190]), np.array([0, 0, 10, 18, 220])
    gcd, lcm = ag.gcd(ag.tensor(a), ag.tensor(b)), ag.lcm(ag.tensor(a), ag.tensor(b))
    assert gcd.data.tolist() == [0, 10, 10, 6, 10] and lcm.data.tolist() == [0, 0, 0, 36, 4180]
    assert gcd.dtype == lcm.dtype == np.int64
    torch = pytest.importorskip("torch")
    for dtype in (np.float32, np.float64):
        a = np.array([0, 0, 10, 1, np.nan], dtype=dtype)
        b = np.array([np.inf, -np.inf, 10, 0, 0], dtype=dtype)
        np.testing.assert_array_equal(ag.nextafter(ag.tensor(a), ag.tensor(b)).data,
                                      torch.nextafter(torch.from_numpy(a), torch.from_numpy(b)).numpy())
    a, b = np.array([0, 10, 0, -12, 190]), np.array([0, 0, 10, 18, 220])
    np.testing.assert_array_equal(gcd.data, torch.gcd(torch.tensor(a), torch.tensor(b)).numpy())
    np.testing.assert_array_equal(lcm.data, torch.lcm(torch.tensor(a), torch.tensor(b)).numpy())
