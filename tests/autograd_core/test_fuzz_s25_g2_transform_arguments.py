"""The transforms' arguments to differentiate (found fuzzing the autograd API against torch.func in session 25): a
list holding Tensors that require grad is refused instead of being cut from the caller's graph, a ragged list is
named instead of raising NumPy's bare inhomogeneous-shape ValueError, and a dict of parameters (torch.func's pytree)
or None is named as such instead of as an 'integer or boolean array'."""
import numpy as np
import pytest

import autograd_core as ag

TRANSFORMS = {
    "grad": lambda x: ag.grad(lambda t: (t * 2.0).sum())(x),
    "jacobian": lambda x: ag.jacobian(lambda t: t * 2.0)(x),
    "hessian": lambda x: ag.hessian(lambda t: (t * t).sum())(x),
    "vjp": lambda x: ag.vjp(lambda t: t * 2.0, x),
    "value_and_grad": lambda x: ag.value_and_grad(lambda t: (t * 2.0).sum())(x),
}


@pytest.mark.parametrize("name", TRANSFORMS)
def test_a_list_holding_a_tensor_that_requires_grad_is_refused_not_cut_from_the_graph(name):
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(TypeError, match=rf"{name}: an argument to differentiate is a list holding Tensors that "
                                        r"require grad"):
        TRANSFORMS[name]([w, w])


def test_the_tensor_itself_stays_connected_to_the_callers_graph():
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    g = ag.grad(lambda t: (t ** 3).sum())(w)
    g.sum().backward()
    np.testing.assert_allclose(w.grad.data, [6.0, 12.0])


@pytest.mark.parametrize("name", TRANSFORMS)
def test_a_ragged_list_is_named_not_numpys_bare_error(name):
    with pytest.raises(TypeError, match=rf"{name}: an argument to differentiate is a ragged list"):
        TRANSFORMS[name]([np.ones(2), np.ones(3)])


@pytest.mark.parametrize("name", TRANSFORMS)
@pytest.mark.parametrize("value, kind", [({"w": np.ones(2)}, "dict"), (None, "NoneType"), ("abc", "str")])
def test_an_argument_that_is_no_array_is_named_by_its_type(name, value, kind):
    with pytest.raises(TypeError, match=rf"{name}: cannot differentiate with respect to a {kind}; .*argnums"):
        TRANSFORMS[name](value)


def test_jvp_names_a_dict_primal():
    p = {"w": np.ones(2)}
    with pytest.raises(TypeError, match="jvp: cannot differentiate with respect to a dict"):
        ag.jvp(lambda d: d["w"], (p,), (p,))


def test_integer_arguments_keep_their_message():
    with pytest.raises(TypeError, match="grad: cannot differentiate with respect to an argument of dtype int64"):
        ag.grad(lambda t: (t * 2.0).sum())(np.array([1, 2]))


@pytest.mark.parametrize("name", ["jvp", "hvp", "vhp"])
def test_a_tangent_list_holding_a_tensor_that_requires_grad_is_refused_not_cut_from_the_graph(name):
    v = ag.tensor(2.0, requires_grad=True)
    f = (lambda t: t * t) if name == "jvp" else (lambda t: (t * t * t).sum())
    with pytest.raises(TypeError, match=rf"{name}: tangent 0 is a list holding Tensors that require grad"):
        getattr(ag, name)(f, (np.array([1.0, 2.0]),), ([v, v],))


def test_a_cotangent_list_holding_a_tensor_that_requires_grad_is_refused_not_cut_from_the_graph():
    v = ag.tensor(2.0, requires_grad=True)
    _, vjp_fn = ag.vjp(lambda t: t * t, np.array([1.0, 2.0]))
    with pytest.raises(TypeError, match="vjp: the cotangent is a list holding Tensors that require grad"):
        vjp_fn([v, v])
    # Stacked, the cotangent stays in the graph: d/ds of (2x * s).sum() at x = [1, 2] is 6
    slope = ag.grad(lambda s: vjp_fn(ag.stack([s, s]))[0].sum())(2.0)
    assert float(slope) == 6.0


def test_a_ragged_cotangent_is_named_not_numpys_bare_error():
    _, vjp_fn = ag.vjp(lambda t: t * t, np.array([1.0, 2.0]))
    with pytest.raises(ValueError, match="vjp: the cotangent is a ragged sequence"):
        vjp_fn([[1.0], [1.0, 2.0]])


@pytest.mark.parametrize("transform", [ag.grad, ag.value_and_grad])
@pytest.mark.parametrize("flag", ["yes", 1, None])
def test_has_aux_must_be_a_flag(transform, flag):
    with pytest.raises(TypeError, match=rf"{transform.__name__}: has_aux must be True or False, got {flag!r}"):
        transform(lambda t: ((t * t).sum(), t), has_aux=flag)


@pytest.mark.parametrize("value", [None, "a"])
def test_a_cotangent_that_is_no_array_is_named_as_given(value):
    _, vjp_fn = ag.vjp(lambda t: (t * t).sum(), np.ones(2))  # (a scalar output: None must not read as the seed 1)
    with pytest.raises(TypeError, match=rf"vjp: .* got {value!r}$"):
        vjp_fn(value)


@pytest.mark.parametrize("name", ["grad", "value_and_grad", "jacobian", "hessian"])
def test_inputs_given_as_argnums_torch_autograd_functional_style_are_named_with_the_transforms_form(name):
    with pytest.raises(TypeError, match=rf"{name}: argnums must be an int .* ag\.{name}\(f\)\(x\), as in JAX"):
        getattr(ag, name)(lambda t: (t * t).sum(), np.ones(2))
