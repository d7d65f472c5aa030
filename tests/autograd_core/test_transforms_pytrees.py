"""Structured arguments (pytrees) in the function transforms (autograd_core/transforms.py): grad, value_and_grad,
elementwise_grad, jacobian and vjp over a dict, tuple, list, namedtuple or nested mix of arrays give their results in
that structure; checked against the same arrays passed one by one with argnums, finite differences, and torch.func.
Also what stays an array (a list of numbers), None leaves, and the leaves refused by path (integers, text)."""
import collections

import numpy as np
import pytest

import autograd_core as ag
from autograd_core.testing import numerical_grad

RNG = np.random.default_rng(11)
X = RNG.normal(size=(5, 3))
Y = RNG.normal(size=(5, 2))
PARAMS = {"w1": RNG.normal(size=(3, 4)), "b1": RNG.normal(size=4), "w2": RNG.normal(size=(4, 2)),
          "b2": RNG.normal(size=2)}
NAMES = list(PARAMS)
Params = collections.namedtuple("Params", "w b")


def mlp_loss(params, x, y, lib=ag):
    hidden = lib.tanh(x @ params["w1"] + params["b1"])
    return ((hidden @ params["w2"] + params["b2"] - y) ** 2).mean()


def loss_of_arrays(w1, b1, w2, b2, x=X, y=Y):
    return mlp_loss({"w1": w1, "b1": b1, "w2": w2, "b2": b2}, x, y)


def assert_same_structure_and_values(got, expected, rtol=1e-12):
    assert type(got) is type(expected)
    if isinstance(expected, dict):
        assert list(got) == list(expected)
        for key in expected:
            assert_same_structure_and_values(got[key], expected[key], rtol)
    elif isinstance(expected, (tuple, list)):
        assert len(got) == len(expected)
        for g, e in zip(got, expected):
            assert_same_structure_and_values(g, e, rtol)
    else:
        np.testing.assert_allclose(got.data, expected.data, rtol=rtol, atol=1e-14)


def test_grad_of_an_mlp_loss_over_a_params_dict_equals_argnums_and_finite_differences():
    grads = ag.grad(mlp_loss)(PARAMS, X, Y)
    assert isinstance(grads, dict) and list(grads) == NAMES
    per_array = ag.grad(loss_of_arrays, argnums=(0, 1, 2, 3))(*PARAMS.values())
    numeric = numerical_grad(loss_of_arrays, *PARAMS.values())
    for name, by_argnums, by_differences in zip(NAMES, per_array, numeric):
        assert grads[name].shape == PARAMS[name].shape
        np.testing.assert_allclose(grads[name].data, by_argnums.data, rtol=1e-14)
        np.testing.assert_allclose(grads[name].data, by_differences, rtol=1e-6, atol=1e-9)


def test_grad_over_a_params_dict_matches_torch_func_grad():
    torch = pytest.importorskip("torch")
    ours = ag.grad(mlp_loss)(PARAMS, X, Y)
    theirs = torch.func.grad(lambda p, x, y: mlp_loss(p, x, y, lib=torch))(
        {k: torch.tensor(v) for k, v in PARAMS.items()}, torch.tensor(X), torch.tensor(Y))
    assert list(ours) == list(theirs)
    for name in NAMES:
        np.testing.assert_allclose(ours[name].data, theirs[name].numpy(), rtol=1e-12, atol=1e-15)


def test_value_and_grad_gives_the_value_and_the_structure():
    value, grads = ag.value_and_grad(mlp_loss)(PARAMS, X, Y)
    np.testing.assert_allclose(float(value), float(loss_of_arrays(*PARAMS.values())), rtol=1e-15)
    assert_same_structure_and_values(grads, ag.grad(mlp_loss)(PARAMS, X, Y))


def test_a_dict_at_argnums_1_and_beside_an_array():
    def loss(x, params, y):
        return mlp_loss(params, x, y)

    grads = ag.grad(loss, argnums=1)(X, PARAMS, Y)
    assert_same_structure_and_values(grads, ag.grad(mlp_loss)(PARAMS, X, Y))
    gx, gparams = ag.grad(loss, argnums=(0, 1))(X, PARAMS, Y)
    np.testing.assert_allclose(gx.data, ag.grad(mlp_loss, argnums=1)(PARAMS, X, Y).data, rtol=1e-14)
    assert_same_structure_and_values(gparams, grads)
    torch = pytest.importorskip("torch")
    _, theirs = torch.func.grad(lambda x, p, y: mlp_loss(p, x, y, lib=torch), argnums=(0, 1))(
        torch.tensor(X), {k: torch.tensor(v) for k, v in PARAMS.items()}, torch.tensor(Y))
    for name in NAMES:
        np.testing.assert_allclose(gparams[name].data, theirs[name].numpy(), rtol=1e-12, atol=1e-15)


def test_has_aux_keeps_working_with_a_params_dict():
    def loss(params):
        prediction = ag.tanh(X @ params["w1"] + params["b1"])
        return (prediction ** 2).sum(), {"prediction": prediction}

    grads, aux = ag.grad(loss, has_aux=True)(PARAMS)
    assert list(grads) == NAMES and grads["w2"].data.tolist() == np.zeros((4, 2)).tolist()  # w2 unused: zeros
    np.testing.assert_allclose(aux["prediction"].data, np.tanh(X @ PARAMS["w1"] + PARAMS["b1"]), rtol=1e-15)
    assert not aux["prediction"].requires_grad
    (value, aux), same = ag.value_and_grad(loss, has_aux=True)(PARAMS)
    assert_same_structure_and_values(same, grads)


def test_grad_of_grad_over_a_dict_nests():
    # d/dw of sum(d/dw sum(w^3 * b)) = 6 w b, and d/db of it = 3 w^2
    def inner(params):
        return (params["w"] ** 3 * params["b"]).sum()

    def outer(params):
        return ag.grad(inner)(params)["w"].sum()

    w, b = np.array([0.5, -1.0, 2.0]), np.array([1.5, 2.0, -0.5])
    grads = ag.grad(outer)({"w": w, "b": b})
    np.testing.assert_allclose(grads["w"].data, 6 * w * b, rtol=1e-14)
    np.testing.assert_allclose(grads["b"].data, 3 * w ** 2, rtol=1e-14)
    torch = pytest.importorskip("torch")
    theirs = torch.func.grad(lambda p: torch.func.grad(lambda q: (q["w"] ** 3 * q["b"]).sum())(p)["w"].sum())(
        {"w": torch.tensor(w), "b": torch.tensor(b)})
    for name in ("w", "b"):
        np.testing.assert_allclose(grads[name].data, theirs[name].numpy(), rtol=1e-14)


def test_a_namedtuple_is_kept_and_nested_containers_too():
    w, b = np.array([1.0, 2.0]), np.array([3.0, -1.0])
    grads = ag.grad(lambda p: (p.w ** 2 * p.b).sum())(Params(w, b))
    assert type(grads) is Params
    np.testing.assert_allclose(grads.w.data, 2 * w * b)
    np.testing.assert_allclose(grads.b.data, w ** 2)
    nested = {"layers": [(w, b), (2 * w, b)], "scale": collections.OrderedDict(s=np.array(3.0))}

    def f(p):
        return sum((p["scale"]["s"] * a * c).sum() for a, c in p["layers"])

    grads = ag.grad(f)(nested)
    expected = {"layers": [(ag.tensor(3 * b), ag.tensor(3 * w)), (ag.tensor(3 * b), ag.tensor(6 * w))],
                "scale": collections.OrderedDict(s=ag.tensor((w * b).sum() + (2 * w * b).sum()))}
    assert_same_structure_and_values(grads, expected)


def test_a_list_of_numbers_is_one_array_and_a_list_of_arrays_a_structure():
    assert ag.grad(lambda t: (t * t).sum())([1.0, 2.0]).data.tolist() == [2.0, 4.0]
    assert ag.grad(lambda t: (t * t).sum())([[1.0], [2.0]]).shape == (2, 1)  # nested numbers: one array
    grads = ag.grad(lambda ts: (ts[0] * ts[1]).sum())([np.array([1.0, 2.0]), 3.0])  # an array inside: a structure
    assert type(grads) is list
    np.testing.assert_array_equal(grads[0].data, [3.0, 3.0])
    assert float(grads[1]) == 3.0


def test_a_none_leaf_gets_none_and_f_receives_it():
    seen = []

    def f(p):
        seen.append(p["mask"])
        return (p["w"] ** 2).sum()

    grads = ag.grad(f)({"w": np.array([1.0, 2.0]), "mask": None})
    assert seen == [None] and grads["mask"] is None
    np.testing.assert_array_equal(grads["w"].data, [2.0, 4.0])


def test_elementwise_grad_over_a_dict():
    w, b = np.array([0.1, 0.7]), np.array([2.0, -3.0])
    grads = ag.elementwise_grad(lambda p: ag.tanh(p["w"]) * p["b"])({"w": w, "b": b})
    np.testing.assert_allclose(grads["w"].data, (1 - np.tanh(w) ** 2) * b, rtol=1e-14)
    np.testing.assert_allclose(grads["b"].data, np.tanh(w), rtol=1e-14)


def test_jacobian_over_a_dict_gives_one_jacobian_per_leaf_as_jacrev():
    def predict(params, x):
        return ag.tanh(x @ params["w1"] + params["b1"])

    small = {"w1": PARAMS["w1"], "b1": PARAMS["b1"]}
    jacobians = ag.jacobian(predict)(small, X)
    by_argnums = ag.jacobian(lambda w1, b1: predict({"w1": w1, "b1": b1}, X), (0, 1))(*small.values())
    assert list(jacobians) == ["w1", "b1"] and jacobians["w1"].shape == (5, 4, 3, 4)
    for name, expected in zip(small, by_argnums):
        np.testing.assert_allclose(jacobians[name].data, expected.data, rtol=1e-14)
    assert_same_structure_and_values(ag.jacrev(predict)(small, X), jacobians)
    torch = pytest.importorskip("torch")
    theirs = torch.func.jacrev(lambda p, x: torch.tanh(x @ p["w1"] + p["b1"]))(
        {k: torch.tensor(v) for k, v in small.items()}, torch.tensor(X))
    for name in small:
        np.testing.assert_allclose(jacobians[name].data, theirs[name].numpy(), rtol=1e-12, atol=1e-15)


def test_vjp_over_a_dict_primal():
    def predict(params, x):
        return ag.tanh(x @ params["w1"] + params["b1"])

    small = {"w1": PARAMS["w1"], "b1": PARAMS["b1"]}
    cotangent = RNG.normal(size=(5, 4))
    out, vjp_fn = ag.vjp(predict, small, X)
    gparams, gx = vjp_fn(cotangent)
    expected = numerical_grad(lambda w1, b1: predict({"w1": w1, "b1": b1}, X), *small.values(), cotangent=cotangent)
    for name, numeric in zip(small, expected):
        np.testing.assert_allclose(gparams[name].data, numeric, rtol=1e-6, atol=1e-9)
    assert gx.shape == X.shape
    torch = pytest.importorskip("torch")
    _, torch_vjp = torch.func.vjp(lambda p, x: torch.tanh(x @ p["w1"] + p["b1"]),
                                  {k: torch.tensor(v) for k, v in small.items()}, torch.tensor(X))
    theirs, _ = torch_vjp(torch.tensor(cotangent))
    for name in small:
        np.testing.assert_allclose(gparams[name].data, theirs[name].numpy(), rtol=1e-12, atol=1e-15)


def test_grad_over_a_modules_parameters_with_functional_call_as_torch_func():
    nn = pytest.importorskip("nn")
    layer = nn.Linear(3, 2, dtype=np.float64, rng=np.random.default_rng(0))
    params = {name: p.detach() for name, p in layer.named_parameters()}
    grads = ag.grad(lambda p: (nn.func.functional_call(layer, p, (X,)) ** 2).sum())(params)
    (layer(X) ** 2).sum().backward()
    assert list(grads) == ["weight", "bias"]
    np.testing.assert_allclose(grads["weight"].data, layer.weight.grad.data, rtol=1e-13)
    np.testing.assert_allclose(grads["bias"].data, layer.bias.grad.data, rtol=1e-13)


# leaves refused, each by its path

@pytest.mark.parametrize("leaf, kind", [(3, "int"), (np.array([1, 2]), "ndarray, dtype int64"),
                                        (True, "bool, dtype bool")])
def test_an_integer_or_boolean_leaf_is_refused_naming_its_path_as_jax(leaf, kind):
    with pytest.raises(TypeError, match=rf"grad: cannot differentiate with respect to params\['b'\] \(type {kind}.*"
                                        r"as in JAX: give floats .* outside argnums"):
        ag.grad(lambda params, x: (params["w"] * x).sum())({"w": np.ones(2), "b": leaf}, 2.0)


@pytest.mark.parametrize("transform", [ag.grad, ag.value_and_grad, ag.elementwise_grad, ag.jacobian])
def test_a_text_leaf_is_refused_naming_the_transform_and_its_path(transform):
    with pytest.raises(TypeError, match=rf"{transform.__name__}: cannot differentiate with respect to "
                                        r"config\['layers'\]\[1\]\.b \(a str\)"):
        transform(lambda x, config: (x * config["layers"][0].w).sum(), argnums=1)(
            np.ones(2), {"layers": [Params(np.ones(2), np.ones(2)), Params(np.ones(2), "relu")]})


def test_a_leaf_of_a_star_args_function_is_named_by_its_position():
    with pytest.raises(TypeError, match=r"vjp: cannot differentiate with respect to args\[1\]\[0\] \(type int"):
        ag.vjp(lambda *a: a[0] * 2.0, np.ones(2), [1, np.ones(2)])


@pytest.mark.parametrize("call", [lambda p: ag.hessian(lambda q: (q["w"] ** 2).sum())(p),
                                  lambda p: ag.jvp(lambda q: q["w"], (p,), (p,)),
                                  lambda p: ag.hvp(lambda q: (q["w"] ** 2).sum(), (p,), (p,)),
                                  lambda p: ag.vhp(lambda q: (q["w"] ** 2).sum(), (p,), (p,))],
                         ids=["hessian", "jvp", "hvp", "vhp"])
def test_transforms_taking_arrays_only_refuse_a_dict_by_name(call):
    with pytest.raises(TypeError, match=r"(hessian|jvp|hvp|vhp): cannot differentiate with respect to a dict; "
                                        r"\1 takes arrays .* grad, value_and_grad, jacobian and vjp take"):
        call({"w": np.ones(2)})
