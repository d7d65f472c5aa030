"""The function transforms' edges (autograd_core/transforms.py): the arguments, tangents and cotangents they refuse by
name (tangents holding Tensors that require grad, ragged lists, values that are no arrays, has_aux that is no flag),
a list of Tensors as a structure (hessian's and jvp's too), the
results that depend on no Tensor outside the transform (they do not require grad, as torch.func's), and has_aux's aux
in the containers torch.func's pytrees take, HIPS autograd's elementwise_grad and JAX's jacrev/jacfwd (with has_aux,
as torch.func's) and stop_gradient."""
import collections

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


STRUCTURED = {  # each sums its argument's leaves, a list of Tensors being a structure (a pytree)
    "grad": lambda x: ag.grad(lambda ts: sum((t * 2.0).sum() for t in ts))(x),
    "value_and_grad": lambda x: ag.value_and_grad(lambda ts: sum((t * 2.0).sum() for t in ts))(x)[1],
    "jacobian": lambda x: ag.jacobian(lambda ts: sum(t * 2.0 for t in ts))(x),
    "vjp": lambda x: ag.vjp(lambda ts: sum(t * 2.0 for t in ts), x)[1](np.ones(2))[0],
}


@pytest.mark.parametrize("name", STRUCTURED)
def test_a_list_of_tensors_that_require_grad_is_a_structure_each_connected_to_the_callers_graph(name):
    w, v = ag.tensor([1.0, 2.0], requires_grad=True), ag.tensor([3.0, 4.0], requires_grad=True)
    gw, gv = STRUCTURED[name]([w, v])
    expected = 2.0 * np.eye(2) if name == "jacobian" else [2.0, 2.0]
    np.testing.assert_array_equal(gw.data, expected)
    np.testing.assert_array_equal(gv.data, expected)


def test_hessian_of_a_list_of_tensors_gives_its_blocks_each_connected_to_the_callers_graph():
    w, v = ag.tensor([1.0, 2.0], requires_grad=True), ag.tensor([3.0, 4.0], requires_grad=True)
    blocks = ag.hessian(lambda ts: (ts[0] ** 2 * ts[1]).sum())([w, v])  # [[2 diag(v), 2 diag(w)], [2 diag(w), 0]]
    assert type(blocks) is list and all(type(row) is list for row in blocks)
    np.testing.assert_array_equal(blocks[0][0].data, np.diag([6.0, 8.0]))
    np.testing.assert_array_equal(blocks[0][1].data, np.diag([2.0, 4.0]))
    np.testing.assert_array_equal(blocks[1][0].data, np.diag([2.0, 4.0]))
    np.testing.assert_array_equal(blocks[1][1].data, np.zeros((2, 2)))
    blocks[0][0].sum().backward()  # d/dv of sum(2 diag(v)) = 2 each, and zeros for w, as torch.func.hessian's
    np.testing.assert_array_equal(v.grad.data, [2.0, 2.0])
    np.testing.assert_array_equal(w.grad.data, [0.0, 0.0])


def test_jvp_of_a_list_of_tensors_stays_connected_to_the_callers_graph():
    w, v = ag.tensor([1.0, 2.0], requires_grad=True), ag.tensor([3.0, 4.0], requires_grad=True)
    _, tangent = ag.jvp(lambda ts: ts[0] * ts[1], ([w, v],), ([np.ones(2), np.zeros(2)],))
    np.testing.assert_array_equal(tangent.data, [3.0, 4.0])  # d(w * v) along (1, 0) is v
    tangent.sum().backward()
    np.testing.assert_array_equal(v.grad.data, [1.0, 1.0])


def test_the_tensor_itself_stays_connected_to_the_callers_graph():
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    g = ag.grad(lambda t: (t ** 3).sum())(w)
    g.sum().backward()
    np.testing.assert_allclose(w.grad.data, [6.0, 12.0])


@pytest.mark.parametrize("name", TRANSFORMS)
def test_a_ragged_list_is_named_not_numpys_bare_error(name):
    # (a list of numbers only is one array; a list of arrays is a structure, each array a leaf)
    with pytest.raises(TypeError, match=rf"{name}: an argument to differentiate is a ragged list of numbers"):
        TRANSFORMS[name]([[1.0], [1.0, 2.0]])


@pytest.mark.parametrize("name", TRANSFORMS)
@pytest.mark.parametrize("value, kind", [(None, "NoneType"), ("abc", "str")])
def test_an_argument_that_is_no_array_is_named_by_its_type(name, value, kind):
    with pytest.raises(TypeError, match=rf"{name}: cannot differentiate with respect to a {kind}; .*argnums"):
        TRANSFORMS[name](value)


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


# A result that depends on no Tensor outside the transform: with a closed-over parameter w that the output depends
# on but the derivative does not (f(x) = sum(x**3) + sum(w)), the results required grad, reaching only the
# transform's own finished argument nodes, so a backward through them silently reached no Tensor; torch.func's do
# not require grad and the backward raises. A result that does depend on w still carries its gradient.

X = np.array([1.0, 2.0])


def _results(w, f):
    """Each transform's differentiated result at X, for f(u) closing over w."""
    fv = lambda u: f(u) * np.ones(2)  # noqa: E731 (a vector output for jacobian, vjp, jvp)
    return {
        "grad": ag.grad(f)(X),
        "value_and_grad": ag.value_and_grad(f)(X)[1],
        "jacobian": ag.jacobian(fv)(X),
        "vjp": ag.vjp(fv, X)[1](np.ones(2))[0],
        "jvp": ag.jvp(fv, (X,), (np.ones(2),))[1],
        "hvp": ag.hvp(f, (X,), (np.ones(2),))[1][0],
        "vhp": ag.vhp(f, (X,), (np.ones(2),))[1][0],
        "hessian": ag.hessian(f)(X),
    }


NAMES = ["grad", "value_and_grad", "jacobian", "vjp", "jvp", "hvp", "vhp", "hessian"]


@pytest.mark.parametrize("name", NAMES)
def test_a_result_independent_of_the_closed_over_parameter_does_not_require_grad(name):
    w = ag.tensor([0.5, 3.0], requires_grad=True)
    result = _results(w, lambda u: (u ** 3).sum() + w.sum())[name]
    assert not result.requires_grad
    with pytest.raises(RuntimeError, match="does not require grad"):
        result.sum().backward()


@pytest.mark.parametrize("name", NAMES)
def test_a_result_that_depends_on_the_closed_over_parameter_still_carries_its_gradient(name):
    w = ag.tensor(0.5, requires_grad=True)
    result = _results(w, lambda u: (u ** 3).sum() * w)[name]
    assert result.requires_grad
    result.sum().backward()
    # Each result is w times the same result for f = sum(u**3), so d(sum)/dw is that result's sum
    expected = _results(None, lambda u: (u ** 3).sum())[name].sum()
    np.testing.assert_allclose(float(w.grad), float(expected))


def test_the_value_of_value_and_grad_still_carries_the_parameters_gradient():
    w = ag.tensor([0.5, 3.0], requires_grad=True)
    value, slope = ag.value_and_grad(lambda u: (u ** 3).sum() + w.sum())(X)
    assert value.requires_grad and not slope.requires_grad
    value.backward()
    np.testing.assert_array_equal(w.grad.data, [1.0, 1.0])


def test_nested_transforms_still_differentiate_through_the_inner_result():
    # the inner gradient depends on the outer argument: it stays recorded for the outer transform
    third = ag.grad(lambda v: ag.grad(lambda u: (u ** 3 * v).sum())(X).sum())(2.0)
    assert float(third) == 3 * (1.0 + 4.0)


def test_the_same_programs_in_torch():
    torch = pytest.importorskip("torch")
    tf = pytest.importorskip("torch.func")
    w = torch.tensor([0.5, 3.0], dtype=torch.float64, requires_grad=True)
    x = torch.tensor(X)
    g = tf.grad(lambda u: (u ** 3).sum() + w.sum())(x)
    assert not g.requires_grad
    w0 = torch.tensor(0.5, dtype=torch.float64, requires_grad=True)
    g = tf.grad(lambda u: (u ** 3).sum() * w0)(x)
    g.sum().backward()
    assert float(w0.grad) == 3 * (1.0 + 4.0)


# has_aux's aux in the containers torch.func's pytrees take

Out = collections.namedtuple("Out", "pred parts")


def _aux_cases(x):
    return [Out(x * 2, [x * 3]), collections.OrderedDict(pred=x * 2, parts=[x * 3]),
            collections.defaultdict(list, pred=x * 2, parts=[x * 3])]


@pytest.mark.parametrize("k", range(3), ids=["namedtuple", "OrderedDict", "defaultdict"])
def test_aux_tensors_in_namedtuples_and_dict_subclasses_are_cut_as_in_tuples(k):
    # they came back as they were, attached to the transform's own graph (requires_grad=True), where a tuple's
    # and a dict's are cut, as torch.func's
    (value, aux), g = ag.value_and_grad(lambda x: ((x * x).sum(), _aux_cases(x)[k]), has_aux=True)(np.array([1.0, 2.0]))
    assert type(aux) is type(_aux_cases(np.ones(1))[k])
    pred, parts = (aux.pred, aux.parts) if k == 0 else (aux["pred"], aux["parts"])
    assert not pred.requires_grad and not parts[0].requires_grad
    np.testing.assert_array_equal(pred.data, [2.0, 4.0])
    np.testing.assert_array_equal(g.data, [2.0, 4.0])
    if k == 2:
        assert aux.default_factory is list and aux["missing"] == []


def test_aux_in_a_namedtuple_stays_recorded_for_an_enclosing_transform():
    def inner(w):
        g, aux = ag.grad(lambda x: ((x * w).sum(), Out(x * w, [w])), has_aux=True)(np.array([1.0, 2.0]))
        return aux.pred.sum() + g.sum()
    np.testing.assert_allclose(ag.grad(inner)(3.0).data, 3.0 + 2.0)


def test_the_same_in_torch():
    torch = pytest.importorskip("torch")
    g, (value, aux) = torch.func.grad_and_value(lambda x: ((x * x).sum(), Out(x * 2, [x * 3])), has_aux=True)(
        torch.tensor([1.0, 2.0]))
    assert type(aux) is Out and not aux.pred.requires_grad and not aux.parts[0].requires_grad


def test_elementwise_grad_gives_each_outputs_derivative_and_nests():
    """HIPS autograd's tutorial: elementwise_grad(tanh)(x) over a grid, nested to the fourth derivative, against
    tanh's closed forms; argnums as grad's; its errors name it."""
    def tanh(x):
        y = np.exp(-2.0 * x)
        return (1.0 - y) / (1.0 + y)

    x = np.linspace(-7, 7, 50)
    t = np.tanh(x)
    closed = [1 - t ** 2, -2 * t * (1 - t ** 2), -2 * (1 - t ** 2) * (1 - 3 * t ** 2),
              8 * t * (1 - t ** 2) * (2 - 3 * t ** 2)]
    f = tanh
    for expected in closed:
        f = ag.elementwise_grad(f)
        got = f(x)
        assert got.shape == x.shape
        np.testing.assert_allclose(got.data, expected, rtol=1e-9, atol=1e-12)
    a, b = np.array([1.0, 2.0]), np.array([3.0, 4.0])
    da, db = ag.elementwise_grad(lambda a, b: a * b, argnums=(0, 1))(a, b)
    np.testing.assert_array_equal(da.data, b)
    np.testing.assert_array_equal(db.data, a)
    with pytest.raises(TypeError, match="elementwise_grad: f must be a function, got 3"):
        ag.elementwise_grad(3)


def test_jax_cookbooks_jacrev_and_jacfwd_give_the_jacobian_and_hessian():
    """The Autodiff Cookbook's logistic regression: jacfwd and jacrev agree with jacobian (argnums as its), and
    jacfwd(jacrev(loss)) is the Hessian, checked against finite differences of the gradient."""
    inputs = np.array([[0.52, 1.12, 0.77], [0.88, -1.08, 0.15], [0.52, 0.06, -1.30], [0.74, -2.49, 1.39]])
    targets = np.array([1.0, 1.0, 0.0, 1.0])

    def predict(W, b):
        return 0.5 * (ag.tanh((ag.dot(inputs, W) + b) / 2) + 1)

    def loss(W, b):
        p = predict(W, b)
        return -ag.sum(ag.log(p * targets + (1 - p) * (1 - targets)))

    W, b = np.array([0.1, -0.2, 0.3]), 0.5
    J = ag.jacobian(predict, (0, 1))(W, b)
    for transform in (ag.jacrev, ag.jacfwd):
        got = transform(predict, (0, 1))(W, b)
        assert [g.shape for g in got] == [(4, 3), (4,)]
        for g, j in zip(got, J):
            np.testing.assert_allclose(g.data, j.data, rtol=1e-12)
    H = ag.jacfwd(ag.jacrev(loss))(W, b)
    step = 1e-5
    columns = [(ag.grad(loss)(W + step * e, b).data - ag.grad(loss)(W - step * e, b).data) / (2 * step)
               for e in np.eye(3)]
    np.testing.assert_allclose(H.data, np.stack(columns, axis=-1), rtol=1e-6, atol=1e-8)
    with pytest.raises(TypeError, match="jacfwd: f must be a function, got 3"):
        ag.jacfwd(3)


def test_stop_gradient_gives_jax_advanced_autodiffs_td0_update_and_passes_arrays_and_pytrees():
    theta = np.array([0.1, -0.1, 0.0])
    s_tm1, r_t, s_t = np.array([1.0, 2.0, -1.0]), 1.0, np.array([2.0, 1.0, 0.0])

    def td_loss(theta, s_tm1, r_t, s_t):
        v_tm1 = np.dot(theta, s_tm1)
        target = r_t + np.dot(theta, s_t)
        return -0.5 * ((ag.stop_gradient(target) - v_tm1) ** 2)

    # JAX's result, by hand: (target - v_tm1) * s_tm1 = (1.1 - (-0.1)) * s_tm1
    np.testing.assert_allclose(ag.grad(td_loss)(theta, s_tm1, r_t, s_t).numpy(), [1.2, 2.4, -1.2], rtol=1e-15)
    tree = {"w": ag.tensor([1.0, 2.0], requires_grad=True), "n": np.ones(2), "k": 3}
    stopped = ag.stop_gradient(tree)
    assert not stopped["w"].requires_grad and stopped["n"] is tree["n"] and stopped["k"] == 3
    np.testing.assert_array_equal(stopped["w"].numpy(), [1.0, 2.0])


def test_stop_gradient_makes_a_straight_through_estimator_as_torch_detach():
    x = ag.tensor([0.3, 1.7, -2.2], requires_grad=True)
    y = x + ag.stop_gradient(ag.round(x) - x)  # round forward, identity backward
    (y * ag.tensor([1.0, 2.0, 3.0])).sum().backward()
    np.testing.assert_array_equal(y.numpy(), [0.0, 2.0, -2.0])
    np.testing.assert_array_equal(x.grad.numpy(), [1.0, 2.0, 3.0])
    torch = pytest.importorskip("torch")
    tx = torch.tensor([0.3, 1.7, -2.2], dtype=torch.float64, requires_grad=True)
    ty = tx + (torch.round(tx) - tx).detach()
    (ty * torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64)).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), tx.grad.numpy())


# ---- jacobian/jacrev/jacfwd with has_aux, as jax.jacrev and torch.func.jacrev ----------------------------------------
def _sine_with_aux(v):
    return ag.sin(v ** 2), {"norm": (v * v).sum(), "v": v}


@pytest.mark.parametrize("transform", [ag.jacobian, ag.jacrev, ag.jacfwd])
def test_jacobians_with_has_aux_return_the_jacobian_and_aux_undifferentiated(transform):
    x = np.array([0.3, -1.2, 2.0])
    jacobian, aux = transform(_sine_with_aux, has_aux=True)(x)
    np.testing.assert_allclose(jacobian.data, np.diag(2 * x * np.cos(x ** 2)), rtol=1e-15)
    np.testing.assert_array_equal(transform(lambda v: _sine_with_aux(v)[0])(x).data, jacobian.data)
    assert float(aux["norm"]) == float((x * x).sum()) and not aux["norm"].requires_grad and not aux["v"].requires_grad
    (ja, jb), total = transform(lambda a, b: (a * b, (a + b).sum()), argnums=(0, 1), has_aux=True)(x, 2 * x)
    np.testing.assert_array_equal(ja.data, np.diag(2 * x))
    np.testing.assert_array_equal(jb.data, np.diag(x))
    assert float(total) == float(3 * x.sum())
    with pytest.raises(TypeError, match=rf"^{transform.__name__}: with has_aux=True f must return a pair "
                                        r"\(output, aux\), got Tensor"):
        transform(lambda v: v * 2, has_aux=True)(x)
    with pytest.raises(TypeError, match="has_aux"):
        transform(_sine_with_aux, has_aux="yes")


def test_jacrev_with_has_aux_nests_and_maps_as_torch_func():
    x = np.array([0.3, -1.2, 2.0])
    # the Hessian of sum(v^3) from jacfwd(jacrev(has_aux)) (diag(6 v)), the inner aux passed out as the outer's
    hessian, aux = ag.jacfwd(ag.jacrev(lambda v: ((v ** 3).sum(), v.sum()), has_aux=True), has_aux=True)(x)
    np.testing.assert_allclose(hessian.data, np.diag(6 * x), rtol=1e-15)
    assert float(aux) == float(x.sum())
    batch = np.stack([x, -x])
    per_row, norms = ag.vmap(ag.jacrev(_sine_with_aux, has_aux=True))(batch)
    np.testing.assert_allclose(per_row.data[1], np.diag(-2 * x * np.cos(x ** 2)), rtol=1e-15)
    np.testing.assert_allclose(norms["norm"].data, [x @ x, x @ x], rtol=1e-15)
    torch = pytest.importorskip("torch")
    t_hessian, t_aux = torch.func.jacfwd(torch.func.jacrev(lambda v: ((v ** 3).sum(), v.sum()), has_aux=True),
                                         has_aux=True)(torch.tensor(x))
    np.testing.assert_allclose(hessian.data, t_hessian.numpy(), rtol=1e-15)
    assert float(t_aux) == float(aux)
    t_rows, t_norms = torch.func.vmap(torch.func.jacrev(
        lambda v: (torch.sin(v ** 2), {"norm": (v * v).sum(), "v": v}), has_aux=True))(torch.tensor(batch))
    np.testing.assert_allclose(per_row.data, t_rows.numpy(), rtol=1e-15)
    np.testing.assert_allclose(norms["norm"].data, t_norms["norm"].numpy(), rtol=1e-15)


def test_vjp_and_jvp_with_has_aux_give_aux_third_as_jax_and_torch_func():
    x, v = np.array([0.3, -1.2, 2.0]), np.array([1.0, 2.0, -1.0])
    out, vjp_fn, aux = ag.vjp(_sine_with_aux, x, has_aux=True)
    np.testing.assert_allclose(out.data, np.sin(x ** 2), rtol=1e-15)
    np.testing.assert_allclose(vjp_fn(v)[0].data, 2 * x * np.cos(x ** 2) * v, rtol=1e-15)
    assert float(aux["norm"]) == pytest.approx(x @ x, rel=1e-15) and not aux["norm"].requires_grad
    out, tangent, aux = ag.jvp(_sine_with_aux, (x,), (v,), has_aux=True)
    np.testing.assert_allclose(tangent.data, 2 * x * np.cos(x ** 2) * v, rtol=1e-15)
    assert not aux["v"].requires_grad
    _, tangent, aux = ag.jvp(lambda t: (ag.tensor(x), t.sum()), (x,), (v,), has_aux=True)  # (output independent)
    np.testing.assert_array_equal(tangent.data, np.zeros(3))
    # aux that an enclosing transform differentiates stays in its graph: d/ds of (s x).sum() is x.sum()
    slope = ag.grad(lambda s: ag.vjp(lambda t: (t * s, (t * s).sum()), x, has_aux=True)[2])(2.0)
    assert float(slope) == pytest.approx(x.sum(), rel=1e-15)
    for call in (lambda: ag.vjp(lambda t: t * 2, x, has_aux=True),
                 lambda: ag.jvp(lambda t: t * 2, (x,), (v,), has_aux=True)):
        with pytest.raises(TypeError, match=r"with has_aux=True f must return a pair \(output, aux\), got Tensor"):
            call()
    with pytest.raises(TypeError, match="vjp: has_aux must be True or False"):
        ag.vjp(_sine_with_aux, x, has_aux="yes")
    torch = pytest.importorskip("torch")
    t_out, t_vjp_fn, t_aux = torch.func.vjp(
        lambda t: (torch.sin(t ** 2), {"norm": (t * t).sum(), "v": t}), torch.tensor(x), has_aux=True)
    np.testing.assert_allclose(vjp_fn(v)[0].data, t_vjp_fn(torch.tensor(v))[0].numpy(), rtol=1e-15)
    _, t_tangent, _ = torch.func.jvp(lambda t: (torch.sin(t ** 2), t.sum()), (torch.tensor(x),), (torch.tensor(v),),
                                     has_aux=True)
    np.testing.assert_allclose(ag.jvp(_sine_with_aux, (x,), (v,), has_aux=True)[1].data, t_tangent.numpy(),
                               rtol=1e-15)
