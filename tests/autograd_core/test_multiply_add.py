"""ag.addcmul / ag.addcdiv (autograd_core/multiply_add.py), torch's pointwise multiply-adds, as functions, methods and
in-place methods: values against NumPy, gradients against finite differences, torch's values where installed, the
deprecated value-first overload with its warning, and the in-place refusals while recording."""
import warnings

import numpy as np
import pytest

import autograd_core as ag
from autograd_core.testing import gradcheck

RNG = np.random.default_rng(0)
A, B, C = RNG.normal(size=(3, 4)), RNG.normal(size=(1, 4)), np.abs(RNG.normal(size=(3, 1))) + 0.5


@pytest.mark.parametrize("name, reference", [("addcmul", lambda a, b, c, v: a + v * b * c),
                                             ("addcdiv", lambda a, b, c, v: a + v * b / c)])
def test_values_gradients_and_the_method_forms(name, reference):
    function = getattr(ag, name)
    expected = reference(A, B, C, 0.3)
    np.testing.assert_array_equal(function(ag.tensor(A), ag.tensor(B), ag.tensor(C), value=0.3).data, expected)
    np.testing.assert_array_equal(getattr(ag.tensor(A), name)(B, C, value=0.3).data, expected)
    in_place = ag.tensor(A)
    assert getattr(in_place, name + "_")(ag.tensor(B), ag.tensor(C), value=0.3) is in_place
    np.testing.assert_array_equal(in_place.data, expected)
    np.testing.assert_array_equal(function(A, B, C).data, reference(A, B, C, 1))  # value defaults to 1
    leaves = [ag.tensor(x, requires_grad=True) for x in (A, B, C)]
    assert gradcheck(lambda a, b, c: function(a, b, c, value=-0.7), *leaves)


@pytest.mark.parametrize("name", ["addcmul", "addcdiv"])
def test_the_deprecated_value_first_overload_warns_and_computes_the_same(name):
    with pytest.warns(UserWarning, match=rf"This overload of {name}_ is deprecated"):
        old = getattr(ag.tensor(A), name + "_")(0.3, ag.tensor(B), ag.tensor(C))
    np.testing.assert_array_equal(old.data, getattr(ag, name)(A, B, C, value=0.3).data)
    with pytest.raises(TypeError, match=rf"{name}\(\) takes 3 positional arguments but 4 were given"):
        getattr(ag, name)(A, B, C, C)  # a fourth operand


def test_in_place_on_a_leaf_is_refused_while_recording_as_add_is():
    w = ag.tensor(A, requires_grad=True)
    with pytest.raises(RuntimeError, match="addcmul_"):
        w.addcmul_(B, C)
    with ag.no_grad():  # an optimizer's update
        w.addcdiv_(ag.tensor(B), ag.tensor(C), value=-0.1)
    np.testing.assert_array_equal(w.data, A - 0.1 * B / C)


@pytest.mark.parametrize("name", ["addcmul", "addcdiv"])
def test_against_torch(name):
    torch = pytest.importorskip("torch")
    ours = getattr(ag, name)(ag.tensor(A), ag.tensor(B), ag.tensor(C), value=0.3).data
    theirs = getattr(torch, name)(torch.tensor(A), torch.tensor(B), torch.tensor(C), value=0.3).numpy()
    # addcdiv to the last bit; addcmul to one rounding (torch fuses its last multiply-add)
    np.testing.assert_allclose(ours, theirs, rtol=2 ** -52 if name == "addcmul" else 0, atol=1e-16)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        legacy = getattr(torch.tensor(A), name + "_")(0.3, torch.tensor(B), torch.tensor(C)).numpy()
    np.testing.assert_allclose(ours, legacy, rtol=2 ** -52, atol=1e-16)
