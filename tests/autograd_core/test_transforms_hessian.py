"""Hessian-vector products (autograd_core/transforms_hessian.py): ag.hvp and ag.vhp, against ag.hessian contracted
with the tangent, finite differences of the gradient, and torch.autograd.functional.hvp/vhp; then the tangents and
primals they refuse (integer, ragged, None, no array) and the one-element case that needs no tangent."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd_core as ag
from autograd_core.testing import gradcheck, numerical_grad

RNG = np.random.default_rng(11)
A = RNG.normal(size=(3, 3))


def f_one(x):
    return (ag.tanh(x @ A) ** 2).sum() + (x ** 3).sum() * ag.sin(x).sum()


def f_two(x, y):
    return (ag.exp(x[:2] * y) * ag.sin(x).sum()).sum() + (y ** 4).sum() * (x ** 2).sum()


@pytest.mark.parametrize("name", ["hvp", "vhp"])
def test_one_primal_equals_the_hessian_contracted(name):
    x, v = RNG.normal(size=3), RNG.normal(size=3)
    out, (hv,) = getattr(ag, name)(f_one, (x,), (v,))
    H = ag.hessian(f_one)(x).data
    expected = H @ v if name == "hvp" else v @ H
    np.testing.assert_allclose(hv.data, expected, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(float(out), float(f_one(ag.tensor(x))), rtol=1e-15)
    assert not out.requires_grad and not hv.requires_grad  # nothing outside needs the graph


@pytest.mark.parametrize("name", ["hvp", "vhp"])
def test_two_primals_equal_finite_differences_of_the_gradient(name):
    x, y = RNG.normal(size=3), RNG.normal(size=2)
    v, w = RNG.normal(size=3), RNG.normal(size=2)
    _, (hx, hy) = getattr(ag, name)(f_two, (x, y), (v, w))
    # H @ (v, w) = d/de grad f((x, y) + e (v, w)) at e = 0: a central difference of the engine's gradient
    eps = 1e-6
    plus = ag.grad(f_two, argnums=(0, 1))(x + eps * v, y + eps * w)
    minus = ag.grad(f_two, argnums=(0, 1))(x - eps * v, y - eps * w)
    np.testing.assert_allclose(hx.data, (plus[0].data - minus[0].data) / (2 * eps), rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(hy.data, (plus[1].data - minus[1].data) / (2 * eps), rtol=1e-6, atol=1e-7)


def test_single_values_give_a_single_result_and_floats_work():
    out, hv = ag.hvp(lambda x: x ** 4, 2.0, 1.0)
    assert float(out) == 16.0 and float(hv) == 48.0
    out, vh = ag.vhp(lambda x: (x ** 3).sum(), np.array([1.0, 2.0]), np.array([1.0, 1.0]))
    np.testing.assert_array_equal(vh.data, [6.0, 12.0])


def test_third_derivatives_through_nesting():
    # d/dx [f''(x) v] = f'''(x) v, for the primal and for the tangent (d/dv = f''(x))
    f = lambda x: ag.exp(2 * x) * x
    third = lambda x: 4 * np.exp(2 * x) * (2 * x + 3)
    second = lambda x: 4 * np.exp(2 * x) * (x + 1)
    for name in ("hvp", "vhp"):
        product = getattr(ag, name)
        d_primal = ag.grad(lambda s: product(f, s, 0.7)[1])(0.3)
        np.testing.assert_allclose(float(d_primal), third(0.3) * 0.7, rtol=1e-12)
        d_tangent = ag.grad(lambda t: product(f, 0.3, t)[1])(0.7)
        np.testing.assert_allclose(float(d_tangent), second(0.3), rtol=1e-12)
        assert gradcheck(lambda s, t: product(lambda x: (ag.sin(x) * x).sum(), s, t)[1].sum(),
                         RNG.normal(size=2), RNG.normal(size=2))


def test_closed_over_tensors_keep_their_gradient():
    w = ag.tensor(1.5, requires_grad=True)
    out, hv = ag.hvp(lambda x: w * x ** 3, 2.0, 1.0)
    assert hv.requires_grad  # the caller's parameter w still needs the graph
    hv.backward()
    np.testing.assert_allclose(float(w.grad), 6 * 2.0)  # d/dw (6 w x v)
    assert float(out.detach()) == 12.0


def test_linear_and_constant_functions_give_zeros_of_the_primal_dtype():
    x = np.ones(3, dtype=np.float32)
    for f in (lambda x: x.sum() * 2, lambda x: ag.tensor(1.0, dtype=np.float32)):
        out, (hv,) = ag.hvp(f, (x,), (x,))
        assert hv.dtype == np.float32 and hv.shape == (3,)
        np.testing.assert_array_equal(hv.data, 0)
        _, (vh,) = ag.vhp(f, (x,), (x,))
        np.testing.assert_array_equal(vh.data, 0)


def test_float32_keeps_its_dtype():
    x = np.array([0.5, -1.0], dtype=np.float32)
    _, (hv,) = ag.hvp(lambda x: (x ** 3).sum(), (x,), (np.ones(2, dtype=np.float32),))
    assert hv.dtype == np.float32
    np.testing.assert_allclose(hv.data, 6 * x, rtol=1e-6)


@pytest.mark.parametrize("name", ["hvp", "vhp"])
def test_errors_name_the_transform_and_the_shapes(name):
    product = getattr(ag, name)
    with pytest.raises(TypeError, match=rf"{name}: f must return a scalar .*shape \(2,\)"):
        product(lambda x: x * 2, (np.ones(2),), (np.ones(2),))
    with pytest.raises(ValueError, match=rf"{name}: tangent 0 has shape \(3,\), its primal \(2,\)"):
        product(lambda x: x.sum(), (np.ones(2),), (np.ones(3),))
    with pytest.raises(ValueError, match=rf"{name}: got 2 primals but 1 tangents"):
        product(lambda x, y: x.sum(), (np.ones(2), np.ones(2)), (np.ones(2),))
    with pytest.raises(TypeError, match=rf"{name}: tangent 0 has dtype int64 .*must be floats"):
        product(lambda x: x.sum(), (np.ones(2),), (np.ones(2, dtype=np.int64),))
    with pytest.raises(TypeError, match=rf"{name}: primals and tangents must both be tuples .*ndarray and tuple"):
        product(lambda x: x.sum(), np.ones(2), (np.ones(2),))
    with pytest.raises(ValueError, match=rf"{name}: no primals given"):
        product(lambda: ag.tensor(1.0), (), ())
    with pytest.raises(TypeError, match=rf"{name}: f must be a function"):
        product(3, (1.0,), (1.0,))


@settings(max_examples=15, deadline=None)
@given(n=st.integers(1, 4), seed=st.integers(0, 2 ** 16))
def test_property_vhp_is_the_gradient_of_the_directional_derivative(n, seed):
    rng = np.random.default_rng(seed)
    x, v = rng.normal(size=n), rng.normal(size=n)
    f = lambda x: (ag.log1p(x ** 2) * ag.cos(x)).sum()
    _, (vh,) = ag.vhp(f, (x,), (v,))
    directional = lambda x: float((ag.grad(f)(x).data * v).sum())
    (numeric,) = numerical_grad(directional, x)
    np.testing.assert_allclose(vh.data, numeric, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", ["hvp", "vhp"])
def test_equal_to_torch(name):
    torch = pytest.importorskip("torch")
    x, y = RNG.normal(size=3), RNG.normal(size=2)
    v, w = RNG.normal(size=3), RNG.normal(size=2)

    def f_torch(x, y):
        return (torch.exp(x[:2] * y) * torch.sin(x).sum()).sum() + (y ** 4).sum() * (x ** 2).sum()

    out, ours = getattr(ag, name)(f_two, (x, y), (v, w))
    t_out, theirs = getattr(torch.autograd.functional, name)(
        f_torch, (torch.tensor(x), torch.tensor(y)), (torch.tensor(v), torch.tensor(w)))
    np.testing.assert_allclose(float(out), t_out.item(), rtol=1e-14)
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a.data, b.numpy(), rtol=1e-12, atol=1e-13)


def test_primal_requiring_grad_and_mixed_float_dtypes():
    x = ag.tensor(2.0, requires_grad=True)
    out, hv = ag.hvp(lambda t: t ** 4, x, 1.0)
    assert hv.requires_grad and out.requires_grad
    hv.backward()  # d/dx f''(x) = f'''(x) = 24 x
    assert float(x.grad) == 48.0
    # a tangent of another float dtype is taken, the result has the primal's dtype (as torch's)
    f = lambda t: (t ** 3).sum()
    _, hv32 = ag.hvp(f, np.ones(2, dtype=np.float32), np.ones(2))
    _, vh64 = ag.vhp(f, np.ones(2), np.ones(2, dtype=np.float32))
    assert hv32.dtype == np.float32 and vh64.dtype == np.float64
    np.testing.assert_array_equal(hv32.data, [6.0, 6.0])
    np.testing.assert_array_equal(vh64.data, [6.0, 6.0])


@pytest.mark.parametrize("name", ["hvp", "vhp"])
def test_integer_tangent_message(name):
    """The refusal of an integer tangent says what PyTorch does (it casts one) rather than claiming it refuses."""
    with pytest.raises(TypeError) as info:
        getattr(ag, name)(lambda x: (x ** 3).sum(), (np.ones(3),), (np.arange(3),))
    message = str(info.value)
    assert "must be floats, as jvp's and JAX's" in message
    assert f"torch.autograd.functional.{name} casts integers" in message


RAGGED = [[1.0], [1.0, 2.0]]


def f(x):
    return (x ** 3).sum()


@pytest.mark.parametrize("name", ["jvp", "hvp", "vhp"])
def test_a_ragged_tangent_or_primal_is_named(name):
    """jvp, hvp and vhp name a ragged primal or tangent, not NumPy's bare inhomogeneous-shape error."""
    transform = getattr(ag, name)
    with pytest.raises(ValueError, match=f"{name}: tangent 0 is a ragged sequence"):
        transform(f, (np.ones(2),), (RAGGED,))
    with pytest.raises(ValueError, match=f"{name}: primal 0 is a ragged sequence"):
        transform(f, (RAGGED,), (np.ones(2),))


@pytest.mark.parametrize("name", ["hvp", "vhp"])
def test_rectangular_lists_stay_taken(name):
    _, (product,) = getattr(ag, name)(f, ([1.0, 2.0],), ([1.0, 1.0],))
    np.testing.assert_array_equal(product.data, [6.0, 12.0])


# jvp, hvp and vhp's tangents, as torch.func's and torch.autograd.functional's

@pytest.mark.parametrize("call", [lambda: ag.jvp(lambda x: x * 2, (np.ones(2),), (None,)),
                                  lambda: ag.hvp(lambda x: (x * x).sum(), (np.ones(2),), (None,)),
                                  lambda: ag.vhp(lambda x, y: (x * y).sum(), (np.ones(2), 1.0), (np.ones(2), None))],
                         ids=["jvp", "hvp", "vhp"])
def test_a_none_tangent_is_named_not_refused_as_of_shape_0d(call):
    # np.shape(None) is (): the error said "tangent 0 has shape (), its primal (2,)" (torch: expected Tensors)
    with pytest.raises(TypeError, match=r"tangent \d is None; give a Tensor, an array or a number of its primal's "
                                        r"shape \(2?,?\)"):
        call()


def test_jvp_without_primals_is_refused_as_torch_funcs():
    # it returned (f(), 0), a tangent no direction gave; torch.func.jvp: "Expected primals to contain at least one"
    with pytest.raises(ValueError, match="jvp: no primals given"):
        ag.jvp(lambda: ag.tensor(1.0), (), ())


@pytest.mark.parametrize("name", ["hvp", "vhp"])
@pytest.mark.parametrize("primals", [np.array([2.0]), (np.array(2.0, dtype=np.float32),), 2.0, 2])
def test_hessian_products_take_no_tangent_for_one_element_as_torch(name, primals):
    # torch.autograd.functional.hvp(f, x) with v=None: v is 1 for an input of one element
    value, product = getattr(ag, name)(lambda x: (x ** 3).sum(), primals)
    got = product if not isinstance(primals, tuple) else product[0]
    x = np.asarray(primals[0] if isinstance(primals, tuple) else primals, dtype=float)
    np.testing.assert_allclose(got.data, 6 * x)
    assert got.shape == x.shape
    assert got.dtype == (np.float32 if isinstance(primals, tuple) else np.float64)
    np.testing.assert_allclose(value.data, 8.0)


@pytest.mark.parametrize("name", ["hvp", "vhp"])
@pytest.mark.parametrize("primals", [np.ones(2), (1.0, 2.0)], ids=["two-elements", "two-primals"])
def test_hessian_products_need_tangents_otherwise_as_torch(name, primals):
    f = (lambda x: (x * x).sum()) if not isinstance(primals, tuple) else (lambda x, y: x * y)
    with pytest.raises(TypeError, match=f"{name}: tangents may be None only for a single primal of one element"):
        getattr(ag, name)(f, primals)


def test_the_same_calls_in_torch():
    torch = pytest.importorskip("torch")
    from torch.autograd.functional import hvp, vhp
    x = torch.tensor([2.0], dtype=torch.float64)
    for product in (hvp, vhp):
        value, got = product(lambda x: (x ** 3).sum(), x)
        assert got.tolist() == [12.0] and float(value) == 8.0
        with pytest.raises(RuntimeError, match="can only be None"):
            product(lambda x: (x * x).sum(), torch.ones(2))
    with pytest.raises(RuntimeError, match="at least one Tensor"):
        torch.func.jvp(lambda: torch.tensor(1.0), (), ())


@pytest.mark.parametrize("tangent, what", [({"a": 1.0}, "a dict"), ("ab", "a str")])
def test_a_tangent_that_is_no_array_is_named(tangent, what):
    # np.shape of a dict or a string is (): "tangent 0 has shape (), its primal (2,)"
    with pytest.raises(TypeError, match=f"jvp: tangent 0 is {what}; give a Tensor"):
        ag.jvp(lambda x: x * 2, (np.ones(2),), (tangent,))
    with pytest.raises(TypeError, match=f"hvp: tangent 0 is {what}; give a Tensor"):
        ag.hvp(lambda x: (x * x).sum(), np.ones(2), tangent)
