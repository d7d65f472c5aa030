"""Structured arguments (pytrees) in the function transforms (autograd_core/transforms.py, transforms_hessian.py):
grad, value_and_grad, elementwise_grad, jacobian, vjp, jvp, hessian, hvp and vhp over a dict, tuple, list, namedtuple
or nested mix of arrays give their results in that structure (hessian's nested as jax.hessian's), and jacobian, vjp
and jvp take f returning a structure; checked against the same arrays passed one by one with argnums, finite
differences, and torch.func. Also what stays an array (a list of numbers), None leaves, and the leaves, tangents and
cotangents refused by path (integers, text, another structure or shape)."""
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


# jvp, hessian, hvp and vhp over structures; f returning a structure (jacobian, vjp, jvp)

SMALL = {"w1": PARAMS["w1"], "b1": PARAMS["b1"]}
TANGENT = {"w1": RNG.normal(size=(3, 4)), "b1": RNG.normal(size=4)}


def predict(params, x, lib=ag):
    return lib.tanh(x @ params["w1"] + params["b1"])


def torch_dict(tree, torch):
    return {k: torch.tensor(v) for k, v in tree.items()}


def test_jvp_over_a_params_dict_equals_argnums_finite_differences_and_torch_func():
    out, tangent = ag.jvp(predict, (SMALL, X), (TANGENT, np.zeros_like(X)))
    np.testing.assert_allclose(out.data, predict(SMALL, X).data, rtol=1e-15)
    _, by_argnums = ag.jvp(lambda w1, b1: predict({"w1": w1, "b1": b1}, X), tuple(SMALL.values()),
                           tuple(TANGENT.values()))
    np.testing.assert_allclose(tangent.data, by_argnums.data, rtol=1e-14)
    eps = 1e-6
    moved = [predict({k: SMALL[k] + sign * eps * TANGENT[k] for k in SMALL}, X).data for sign in (1, -1)]
    np.testing.assert_allclose(tangent.data, (moved[0] - moved[1]) / (2 * eps), rtol=1e-6, atol=1e-9)
    torch = pytest.importorskip("torch")
    _, theirs = torch.func.jvp(lambda p: predict(p, torch.tensor(X), lib=torch), (torch_dict(SMALL, torch),),
                               (torch_dict(TANGENT, torch),))
    np.testing.assert_allclose(tangent.data, theirs.numpy(), rtol=1e-12, atol=1e-15)


def test_hessian_of_a_params_dict_is_nested_as_jax_hessian():
    hessians = ag.hessian(mlp_loss)(PARAMS, X, Y)
    by_argnums = ag.hessian(loss_of_arrays, argnums=(0, 1, 2, 3))(*PARAMS.values())
    assert type(hessians) is dict and list(hessians) == NAMES
    for i, k1 in enumerate(NAMES):
        assert list(hessians[k1]) == NAMES
        for j, k2 in enumerate(NAMES):
            block = hessians[k1][k2]
            assert block.shape == PARAMS[k1].shape + PARAMS[k2].shape
            np.testing.assert_allclose(block.data, by_argnums[i][j].data, rtol=1e-13, atol=1e-15)
            np.testing.assert_allclose(block.data, np.moveaxis(hessians[k2][k1].data, range(PARAMS[k2].ndim),
                                                               range(-PARAMS[k2].ndim, 0)), rtol=1e-10, atol=1e-13)
    for i, k1 in enumerate(NAMES):  # finite differences of the gradient's entries, weighted by a random C
        weights = RNG.normal(size=PARAMS[k1].shape)
        numeric = numerical_grad(lambda *arrays: ag.grad(loss_of_arrays, argnums=i)(*arrays), *PARAMS.values(),
                                 cotangent=weights)
        for k2, expected in zip(NAMES, numeric):
            got = np.tensordot(weights, hessians[k1][k2].data, axes=weights.ndim)
            np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-8)
    torch = pytest.importorskip("torch")
    theirs = torch.func.hessian(lambda p: mlp_loss(p, torch.tensor(X), torch.tensor(Y), lib=torch))(
        torch_dict(PARAMS, torch))
    for k1 in NAMES:
        for k2 in NAMES:
            np.testing.assert_allclose(hessians[k1][k2].data, theirs[k1][k2].numpy(), rtol=1e-11, atol=1e-14)


def test_hessian_of_a_dict_beside_an_array_with_argnums_nests_as_jax():
    # jax.hessian(f, argnums=(0, 1))(p, s): the outer structure is the gradient's, (dict, array), each leaf then a
    # tuple over the arguments of the argument's structure.
    def f(p, s):
        return (p["w"] ** 2).sum() * s + p["b"] * s ** 3

    p, s = {"w": np.array([1.0, -2.0]), "b": np.array(0.5)}, np.array(1.5)
    (hp, hs) = ag.hessian(f, argnums=(0, 1))(p, s)
    np.testing.assert_allclose(hp["w"][0]["w"].data, 2 * s * np.eye(2))
    np.testing.assert_allclose(hp["w"][0]["b"].data, np.zeros(2))
    np.testing.assert_allclose(hp["w"][1].data, 2 * p["w"])
    np.testing.assert_allclose(hp["b"][1].data, 3 * s ** 2)
    np.testing.assert_allclose(hs[0]["w"].data, 2 * p["w"])
    np.testing.assert_allclose(hs[0]["b"].data, 3 * s ** 2)
    np.testing.assert_allclose(hs[1].data, 6 * p["b"] * s)
    torch = pytest.importorskip("torch")
    theirs = torch.func.hessian(f, argnums=(0, 1))(torch_dict(p, torch), torch.tensor(s))
    for ours, expected in [(hp["w"][0]["w"], theirs[0]["w"][0]["w"]), (hp["b"][1], theirs[0]["b"][1]),
                           (hs[0]["w"], theirs[1][0]["w"]), (hs[1], theirs[1][1])]:
        np.testing.assert_allclose(ours.data, expected.numpy(), rtol=1e-14)


@pytest.mark.parametrize("name", ["hvp", "vhp"])
def test_hvp_and_vhp_over_a_dict_are_the_hessian_blocks_applied_to_the_tangent(name):
    def loss(p):
        return mlp_loss(p, X, Y)

    tangent = {k: RNG.normal(size=v.shape) for k, v in PARAMS.items()}
    value, (product,) = getattr(ag, name)(loss, (PARAMS,), (tangent,))
    np.testing.assert_allclose(float(value), float(loss(PARAMS)), rtol=1e-15)
    single = getattr(ag, name)(loss, PARAMS, tangent)[1]  # (one primal given as itself: one result)
    hessians = ag.hessian(loss)(PARAMS)
    assert list(product) == NAMES and list(single) == NAMES
    for k1 in NAMES:
        if name == "hvp":  # (H v)[k1] = sum over k2 of H[k1][k2] . v[k2]
            expected = sum(np.tensordot(hessians[k1][k2].data, tangent[k2], axes=tangent[k2].ndim) for k2 in NAMES)
        else:  # (v H)[k2] = sum over k1 of v[k1] . H[k1][k2]
            expected = sum(np.tensordot(tangent[k0], hessians[k0][k1].data, axes=tangent[k0].ndim) for k0 in NAMES)
        np.testing.assert_allclose(product[k1].data, expected, rtol=1e-11, atol=1e-14)
        np.testing.assert_allclose(single[k1].data, product[k1].data, rtol=1e-15)
    torch = pytest.importorskip("torch")
    theirs = torch.func.jvp(torch.func.grad(lambda p: mlp_loss(p, torch.tensor(X), torch.tensor(Y), lib=torch)),
                            (torch_dict(PARAMS, torch),), (torch_dict(tangent, torch),))[1]
    for k in NAMES:
        np.testing.assert_allclose(product[k].data, theirs[k].numpy(), rtol=1e-11, atol=1e-14)


def two_outputs(params, x, lib=ag):
    return {"hidden": predict(params, x, lib), "norm": (params["w1"] ** 2).sum()}


def test_jacobian_of_a_dict_output_is_structured_as_jacrev_the_output_outside_the_argument_inside():
    jacobians = ag.jacobian(two_outputs)(SMALL, X)
    assert list(jacobians) == ["hidden", "norm"]
    for key in ("hidden", "norm"):
        one = ag.jacobian(lambda p, x: two_outputs(p, x)[key])(SMALL, X)
        assert list(jacobians[key]) == ["w1", "b1"]
        for name in SMALL:
            assert jacobians[key][name].shape == one[name].shape
            np.testing.assert_allclose(jacobians[key][name].data, one[name].data, rtol=1e-15)
    np.testing.assert_allclose(jacobians["norm"]["w1"].data, 2 * SMALL["w1"], rtol=1e-15)  # by hand
    both = ag.jacobian(two_outputs, argnums=(0, 1))(SMALL, X)  # each output leaf: a tuple over the arguments
    assert_same_structure_and_values(both["norm"][0], jacobians["norm"])
    assert both["hidden"][1].shape == (5, 4, 5, 3)
    torch = pytest.importorskip("torch")
    theirs = torch.func.jacrev(lambda p: two_outputs(p, torch.tensor(X), lib=torch))(torch_dict(SMALL, torch))
    for key in ("hidden", "norm"):
        for name in SMALL:
            np.testing.assert_allclose(jacobians[key][name].data, theirs[key][name].numpy(), rtol=1e-12, atol=1e-15)


def test_vjp_of_a_tuple_output_takes_a_cotangent_of_its_structure():
    def f(params):
        hidden = predict(params, X)
        return hidden, {"norm": (params["w1"] ** 2).sum()}

    cotangent = (RNG.normal(size=(5, 4)), {"norm": 0.5})
    (hidden, extra), vjp_fn = ag.vjp(f, SMALL)
    np.testing.assert_allclose(hidden.data, predict(SMALL, X).data, rtol=1e-15)
    assert not hidden.requires_grad and not extra["norm"].requires_grad
    (grads,) = vjp_fn(cotangent)
    expected = ag.grad(lambda p: (predict(p, X) * cotangent[0]).sum() + 0.5 * (p["w1"] ** 2).sum())(SMALL)
    assert_same_structure_and_values(grads, expected, rtol=1e-14)
    numeric = numerical_grad(lambda w1, b1: (predict({"w1": w1, "b1": b1}, X) * cotangent[0]).sum()
                             + 0.5 * (w1 ** 2).sum(), *SMALL.values())
    for name, by_differences in zip(SMALL, numeric):
        np.testing.assert_allclose(grads[name].data, by_differences, rtol=1e-6, atol=1e-9)
    torch = pytest.importorskip("torch")
    _, torch_vjp = torch.func.vjp(lambda p: (predict(p, torch.tensor(X), lib=torch), {"norm": (p["w1"] ** 2).sum()}),
                                  torch_dict(SMALL, torch))
    (theirs,) = torch_vjp((torch.tensor(cotangent[0]), {"norm": torch.tensor(0.5, dtype=torch.float64)}))
    for name in SMALL:
        np.testing.assert_allclose(grads[name].data, theirs[name].numpy(), rtol=1e-12, atol=1e-15)


def test_jvp_of_a_dict_output_gives_its_structure_each_tangent_in_its_outputs_dtype():
    x32 = np.array([0.3, -0.7], dtype=np.float32)

    def f(x, y):
        return {"single": ag.sin(x) * 2, "double": x.sum() * y}

    y = np.array([1.0, 2.0, 3.0])
    out, tangent = ag.jvp(f, (x32, y), (np.ones(2, dtype=np.float32), np.zeros(3)))
    assert list(tangent) == ["single", "double"]
    assert tangent["single"].dtype == np.float32 and tangent["double"].dtype == np.float64  # as torch.func.jvp's
    np.testing.assert_allclose(tangent["single"].data, 2 * np.cos(x32), rtol=1e-6)
    np.testing.assert_allclose(tangent["double"].data, 2 * y, rtol=1e-6)
    jacobians = ag.jacobian(f)(x32, y)  # reverse mode: in the argument's dtype, as torch.func.jacrev's
    assert jacobians["single"].dtype == np.float32 and jacobians["double"].dtype == np.float32
    np.testing.assert_allclose(jacobians["single"].data, np.diag(2 * np.cos(x32)), rtol=1e-6)


def test_grad_through_a_jvp_of_a_dict_reaches_the_outer_arguments():
    # d/ds of sum(tangent of (w * b) along (s v, 0)) = sum(v * b)
    b, v = np.array([1.0, -2.0, 0.5]), np.array([0.3, 0.1, 2.0])
    slope = ag.grad(lambda s: ag.jvp(lambda p: p["w"] * p["b"], ({"w": np.ones(3), "b": b},),
                                     ({"w": s * v, "b": np.zeros(3)},))[1].sum())(2.0)
    np.testing.assert_allclose(float(slope), (v * b).sum(), rtol=1e-15)


# structures refused, each by its path

def test_a_tangent_of_another_structure_is_refused_naming_the_path():
    with pytest.raises(ValueError, match=r"jvp: tangent 0 is a dict with keys \['w1'\], not a dict with keys "
                                         r"\['w1', 'b1'\]; a tangent must have its primal's structure"):
        ag.jvp(predict, (SMALL, X), ({"w1": TANGENT["w1"]}, np.zeros_like(X)))
    nested = {"layers": (np.ones(2), np.ones(3))}
    with pytest.raises(ValueError, match=r"hvp: tangent 0\['layers'\] is a list of length 2, not a tuple of length 2"):
        ag.hvp(lambda p: (p["layers"][0] ** 3).sum(), (nested,), ({"layers": [np.ones(2), np.ones(3)]},))
    # a dict's tangent is read by key, in any order, as JAX's: the same product as in the primal's order
    f = lambda p: predict(p, X)  # noqa: E731
    reordered = {"b1": TANGENT["b1"], "w1": TANGENT["w1"]}
    np.testing.assert_array_equal(ag.jvp(f, (SMALL,), (reordered,))[1].data, ag.jvp(f, (SMALL,), (TANGENT,))[1].data)


@pytest.mark.parametrize("name", ["jvp", "hvp", "vhp"])
def test_a_tangent_leaf_of_the_wrong_shape_is_named_by_its_path(name):
    f = (lambda p: predict(p, X)) if name == "jvp" else (lambda p: (predict(p, X) ** 2).sum())
    with pytest.raises(ValueError, match=rf"{name}: tangent 0\['b1'\] has shape \(3,\), its primal \(4,\)"):
        getattr(ag, name)(f, (SMALL,), ({"w1": TANGENT["w1"], "b1": np.ones(3)},))


def test_a_tangent_given_for_a_none_primal_leaf_is_refused():
    primal = {"w": np.ones(2), "mask": None}
    with pytest.raises(TypeError, match=r"jvp: tangent 0\['mask'\] is a ndarray but its primal is None"):
        ag.jvp(lambda p: p["w"] * 2.0, (primal,), ({"w": np.ones(2), "mask": np.ones(2)},))
    _, tangent = ag.jvp(lambda p: p["w"] * 2.0, (primal,), ({"w": np.ones(2), "mask": None},))
    np.testing.assert_array_equal(tangent.data, [2.0, 2.0])


def test_a_cotangent_of_another_structure_or_shape_is_refused_naming_the_path():
    _, vjp_fn = ag.vjp(lambda p: (p["w"] * 2.0, {"b": p["w"].sum()}), {"w": np.ones(2)})
    with pytest.raises(ValueError, match=r"vjp: the cotangent is a tuple of length 1, not a tuple of length 2; the "
                                         r"cotangent must have f's output's structure"):
        vjp_fn((np.ones(2),))
    with pytest.raises(ValueError, match=r"vjp: gradient has shape \(2,\) but the output\[1\]\['b'\] has shape "
                                         r"\(\)"):
        vjp_fn((np.ones(2), {"b": np.ones(2)}))
    with pytest.raises(TypeError, match=r"vjp: the cotangent\[1\]\['b'\] must be a Tensor, an array or a number of "
                                        r"the output\[1\]\['b'\]'s shape \(\), got None"):
        vjp_fn((np.ones(2), {"b": None}))


def test_an_integer_output_leaf_is_refused_naming_its_path():
    with pytest.raises(TypeError, match=r"jacobian: f must return floats, got dtype int64 at output\['count'\]"):
        ag.jacobian(lambda x: {"y": x * 2.0, "count": np.array(3)})(np.ones(2))
