"""Fuzzing jvp, hvp and vhp's tangents against torch.func and torch.autograd.functional (session 26, F4)."""
import numpy as np
import pytest

import autograd_core as ag


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
