"""ag.func (autograd_core/func.py), torch.func's transforms with its signatures and return conventions: grad's 0-d
output, grad_and_value's (gradient, value) order, vjp's and jvp's has_aux, jvp's strict, jacrev's argnums tuples and
chunk_size, hessian, vmap of grad for per-sample gradients, linearize, functionalize, debug_unwrap, rearrange. Values
against hand derivatives and the engine's own transforms, and against torch.func (float64, to 1e-12) where installed.
nn.func's module helpers: tests/nn/test_func.py."""
import numpy as np
import pytest

import autograd_core as ag
from autograd_core import func

X = np.array([0.5, -1.0, 2.0])
Y = np.array([1.5, 0.25, -0.5])


def f_cubic(x, y):
    return (x ** 3 * y).sum()


def test_import_autograd_core_as_torch_serves_torch_func_names():
    import autograd_core as torch
    from autograd_core.func import grad, grad_and_value, jacrev, vmap  # (`from torch.func import ...`)
    assert (grad, grad_and_value, jacrev, vmap) == (torch.func.grad, func.grad_and_value, func.jacrev, ag.vmap)
    assert torch.func.vjp is func.vjp  # (torch.func's checks of f's output over ag.vjp)
    assert torch.func.hessian is func.hessian  # (ag.hessian, refusing random operations as torch's)
    with pytest.raises(AttributeError, match="torch.func.functional_call is nn.func.functional_call here"):
        torch.func.functional_call


def test_names_are_torch_funcs_without_the_module_helpers():
    helpers = {"functional_call", "stack_module_state", "replace_all_batch_norm_modules_"}
    assert set(func.__all__) == {"grad", "grad_and_value", "vmap", "functionalize", "hessian", "jacfwd", "jacrev",
                                 "jvp", "linearize", "rearrange", "vjp", "debug_unwrap"}
    torch = pytest.importorskip("torch")
    assert set(func.__all__) == set(torch.func.__all__) - helpers


def test_grad_and_grad_and_value_against_hand_derivatives():
    x, y = ag.tensor(X), ag.tensor(Y)
    gx, gy = func.grad(f_cubic, argnums=(0, 1))(x, y)
    np.testing.assert_allclose(gx.data, 3 * X ** 2 * Y, rtol=1e-15)
    np.testing.assert_allclose(gy.data, X ** 3, rtol=1e-15)
    gradient, value = func.grad_and_value(f_cubic)(x, y)  # (gradient, value): value_and_grad's order reversed
    np.testing.assert_allclose(gradient.data, 3 * X ** 2 * Y, rtol=1e-15)
    assert float(value) == pytest.approx(float((X ** 3 * Y).sum()), rel=1e-15) and value.ndim == 0
    gradient, (value, aux) = func.grad_and_value(lambda x: (f_cubic(x, y), x * 2), has_aux=True)(x)
    np.testing.assert_array_equal(aux.data, 2 * X)
    assert not aux.requires_grad and not value.requires_grad
    gradient, aux = func.grad(lambda x: (f_cubic(x, y), {"x": x}), has_aux=True)(x)
    np.testing.assert_allclose(gradient.data, 3 * X ** 2 * Y, rtol=1e-15)
    assert list(aux) == ["x"]


def test_grad_requires_a_0d_output_as_torch_func():
    with pytest.raises(RuntimeError, match=r"grad\(f\)\(\*args\): Expected f\(\*args\) to return a scalar Tensor, "
                                           r"got tensor with 1 dims \(shape \(1,\)\)"):
        func.grad(lambda x: x.sum(0, keepdims=True))(ag.tensor(X))
    with pytest.raises(RuntimeError, match=r"grad_and_value\(f\).*got tensor with 2 dims"):
        func.grad_and_value(lambda x: (x.reshape(1, 3)[:, :1], x), has_aux=True)(ag.tensor(X))
    assert ag.grad(lambda x: x.sum(0, keepdims=True))(ag.tensor(X)).shape == (3,)  # (the engine's takes one element)


def test_grad_nests_into_a_hessian():
    second = func.grad(lambda x: func.grad(lambda x: (x ** 4).sum())(x).sum())(ag.tensor(X))
    np.testing.assert_allclose(second.data, 12 * X ** 2, rtol=1e-15)
    np.testing.assert_allclose(func.hessian(lambda x: (x ** 4).sum())(ag.tensor(X)).data, np.diag(12 * X ** 2),
                               rtol=1e-15)


def test_vjp_and_jvp_with_has_aux_return_aux_third():
    x = ag.tensor(X)
    out, vjp_fn, aux = func.vjp(lambda x: (x ** 2, x.sum()), x, has_aux=True)
    np.testing.assert_array_equal(out.data, X ** 2)
    (g,) = vjp_fn(ag.tensor(Y))
    np.testing.assert_allclose(g.data, 2 * X * Y, rtol=1e-15)
    assert float(aux) == X.sum() and not aux.requires_grad
    out, tangent, aux = func.jvp(lambda x: (x.sin(), {"c": x.cos()}), (x,), (ag.tensor(Y),), has_aux=True)
    np.testing.assert_allclose(tangent.data, np.cos(X) * Y, rtol=1e-15)
    np.testing.assert_array_equal(aux["c"].data, np.cos(X))
    assert len(func.jvp(lambda x: x.sin(), (x,), (ag.tensor(Y),))) == 2


def test_jvp_strict_refuses_an_output_independent_of_the_primals():
    x = ag.tensor(X)
    with pytest.raises(RuntimeError, match="strict=True.*independent of the inputs"):
        func.jvp(lambda x: ag.tensor(Y) * 2, (x,), (x,), strict=True)
    with pytest.raises(RuntimeError, match="independent of the inputs"):
        func.jvp(lambda x: (x * 2, ag.tensor(Y)), (x,), (x,), strict=True)
    _, tangent = func.jvp(lambda x: ag.tensor(Y) * 2, (x,), (x,))  # (not strict: a zero tangent)
    np.testing.assert_array_equal(tangent.data, np.zeros(3))
    _, tangent = func.jvp(lambda x: x * 2, (x,), (x,), strict=True)
    np.testing.assert_array_equal(tangent.data, 2 * X)


def test_jacrev_with_argnums_tuple_against_hand_jacobians():
    jx, jy = func.jacrev(lambda x, y: x ** 2 * y, argnums=(0, 1))(ag.tensor(X), ag.tensor(Y))
    np.testing.assert_allclose(jx.data, np.diag(2 * X * Y), rtol=1e-15)
    np.testing.assert_allclose(jy.data, np.diag(X ** 2), rtol=1e-15)
    jac, aux = func.jacrev(lambda x: (x.exp(), x), has_aux=True, chunk_size=2)(ag.tensor(X))
    np.testing.assert_allclose(jac.data, np.diag(np.exp(X)), rtol=1e-15)
    forward = func.jacfwd(lambda x, y: x ** 2 * y, argnums=(0, 1), randomness="same")(ag.tensor(X), ag.tensor(Y))
    np.testing.assert_allclose(forward[1].data, jy.data, rtol=1e-15)


def test_jacrev_chunk_size_and_jacfwd_randomness_are_checked():
    with pytest.raises(ValueError, match="jacrev: chunk_size should be a positive int or None, got 0"):
        func.jacrev(lambda x: x, chunk_size=0)
    with pytest.raises(RuntimeError, match="jacfwd: Only allowed values for randomness are .* Got 'sometimes'"):
        func.jacfwd(lambda x: x, randomness="sometimes")
    with pytest.raises(TypeError):  # (keyword-only, as torch's)
        func.jacrev(lambda x: x, 0, True)


def test_per_sample_gradients_by_vmap_of_grad_against_a_loop():
    rng = np.random.default_rng(0)
    w, xs, ys = ag.tensor(rng.normal(size=3)), rng.normal(size=(5, 3)), rng.normal(size=5)

    def loss(w, x, y):
        return ((x * w).sum().tanh() - y) ** 2

    each = func.vmap(func.grad(loss), in_dims=(None, 0, 0))(w, ag.tensor(xs), ag.tensor(ys))
    pred = np.tanh(xs @ w.data)
    hand = (2 * (pred - ys) * (1 - pred ** 2))[:, None] * xs
    np.testing.assert_allclose(each.data, hand, rtol=1e-13)


def test_linearize_gives_jvps_at_the_primals():
    out, jvp_fn = func.linearize(lambda x, y: x.sin() * y, ag.tensor(X), ag.tensor(Y))
    np.testing.assert_allclose(out.data, np.sin(X) * Y, rtol=1e-15)
    tangent = jvp_fn(ag.tensor(np.ones(3)), ag.tensor(np.zeros(3)))
    np.testing.assert_allclose(tangent.data, np.cos(X) * Y, rtol=1e-15)
    np.testing.assert_allclose(jvp_fn(ag.tensor(np.zeros(3)), ag.tensor(np.ones(3))).data, np.sin(X), rtol=1e-15)
    with pytest.raises(RuntimeError, match=r"linearize: jvp_fn expected 2 tangent\(s\), one per primal, got 1"):
        jvp_fn(ag.tensor(X))


def test_functionalize_keeps_values_and_gradients_of_in_place_code():
    def in_place(x):
        y = x * 1.0
        y.mul_(y)
        y.add_(1.0)
        return y.sum()

    np.testing.assert_allclose(func.grad(func.functionalize(in_place))(ag.tensor(X)).data, 2 * X, rtol=1e-15)
    assert func.functionalize(in_place, remove="mutations_and_views").__name__ == "in_place"
    with pytest.raises(RuntimeError, match="invalid argument for remove='views'"):
        func.functionalize(in_place, remove="views")


def test_debug_unwrap_and_rearrange():
    x = ag.tensor(X)
    assert func.debug_unwrap(x) is x
    pytest.importorskip("einops")
    m = ag.tensor(np.arange(6.0).reshape(2, 3), requires_grad=True)
    moved = func.rearrange(m, "a b -> b a")
    np.testing.assert_array_equal(moved.data, np.arange(6.0).reshape(2, 3).T)
    (moved * ag.tensor(np.arange(6.0).reshape(3, 2))).sum().backward()
    np.testing.assert_array_equal(m.grad.data, np.arange(6.0).reshape(3, 2).T)
    np.testing.assert_array_equal(func.rearrange([x, x], "n c -> c n").data, np.stack([X, X]).T)


def test_equal_to_torch_func():
    torch = pytest.importorskip("torch")
    tf = torch.func
    tx, ty = torch.tensor(X), torch.tensor(Y)
    x, y = ag.tensor(X), ag.tensor(Y)

    def close(ours, theirs):
        np.testing.assert_allclose(ours.data, theirs.detach().numpy(), rtol=1e-12, atol=1e-12)

    for ours, theirs in zip(func.grad(f_cubic, argnums=(0, 1))(x, y), tf.grad(f_cubic, argnums=(0, 1))(tx, ty)):
        close(ours, theirs)
    (g, (v, a)), (tg, (tv, ta)) = [t.grad_and_value(lambda x, y: (f_cubic(x, y), x * y), has_aux=True)(*args)
                                   for t, args in ((func, (x, y)), (tf, (tx, ty)))]
    for ours, theirs in ((g, tg), (v, tv), (a, ta)):
        close(ours, theirs)
    for ours, theirs in zip(func.jacrev(lambda x, y: x ** 2 * y.sin(), argnums=(0, 1))(x, y),
                            tf.jacrev(lambda x, y: x ** 2 * y.sin(), argnums=(0, 1))(tx, ty)):
        close(ours, theirs)
    close(func.jacfwd(lambda x: x.exp() * x)(x), tf.jacfwd(lambda x: x.exp() * x)(tx))
    close(func.hessian(f_cubic, argnums=1)(x, y), tf.hessian(f_cubic, argnums=1)(tx, ty))
    out, vjp_fn, aux = func.vjp(lambda x: (x.tanh(), x.sum()), x, has_aux=True)
    tout, tvjp_fn, taux = tf.vjp(lambda x: (x.tanh(), x.sum()), tx, has_aux=True)
    close(vjp_fn(y)[0], tvjp_fn(ty)[0])
    close(aux, taux)
    for ours, theirs in zip(func.jvp(lambda x: (x.tanh(), x * 2), (x,), (y,), has_aux=True),
                            tf.jvp(lambda x: (x.tanh(), x * 2), (tx,), (ty,), has_aux=True)):
        close(ours, theirs)
    close(func.linearize(lambda x: x.sin() ** 2, x)[1](y), tf.linearize(lambda x: x.sin() ** 2, tx)[1](ty))
    w, xs, ys = np.array([0.3, -0.2, 0.1]), np.random.default_rng(1).normal(size=(4, 3)), np.arange(4.0)

    def loss(w, x, y):
        return ((x * w).sum().tanh() - y) ** 2

    close(func.vmap(func.grad(loss), in_dims=(None, 0, 0))(ag.tensor(w), ag.tensor(xs), ag.tensor(ys)),
          tf.vmap(tf.grad(loss), in_dims=(None, 0, 0))(torch.tensor(w), torch.tensor(xs), torch.tensor(ys)))


@pytest.mark.parametrize("transform", [func.grad, func.grad_and_value, func.linearize, func.functionalize,
                                       lambda f: func.jvp(f, (X,), (Y,), strict=True)])
def test_a_function_that_is_not_callable_is_named(transform):
    with pytest.raises(TypeError, match=r"(grad|grad_and_value|linearize|functionalize|jvp): f must be a function, "
                                        r"got 3"):
        transform(3)


def _torch_raises(call):
    """Whether torch.func raises a RuntimeError for call(torch) (None without torch)."""
    try:
        import torch
    except ImportError:
        return None
    try:
        call(torch)
    except RuntimeError:
        return True
    return False


@pytest.mark.parametrize("call", [
    lambda m: m.grad(m.mul, argnums=2)(m.tensor(1.0), m.tensor(2.0)),  # argnums out of range
    lambda m: m.grad(m.mul, argnums=(0, -2))(m.tensor(1.0), m.tensor(2.0)),  # one argument twice
    lambda m: m.jacrev(m.sin, argnums=0.0)(m.tensor([1.0])),  # not an int
    lambda m: m.vjp(lambda x: [x, x], m.tensor([1.0]), has_aux=True),  # has_aux without a pair
    lambda m: m.jvp(m.sin, (m.tensor([1.0]),), (m.tensor([1.0]), m.tensor([1.0]))),  # a tangent too many
    lambda m: m.vjp(lambda x: (x, x), m.tensor(1.0))[1]((m.tensor(1.0),)),  # a cotangent of the wrong structure
], ids=["argnums_range", "argnums_twice", "argnums_float", "aux_pair", "tangents_count", "cotangent_structure"])
def test_transform_argument_errors_are_runtime_errors_as_torch_funcs(call):
    # The engine's TypeError or ValueError, and torch.func's RuntimeError, so that code ported from either catches it
    namespace = type("m", (), {"tensor": staticmethod(ag.tensor), "sin": staticmethod(ag.sin),
                               "mul": staticmethod(ag.mul), "grad": staticmethod(func.grad),
                               "jacrev": staticmethod(func.jacrev), "vjp": staticmethod(func.vjp),
                               "jvp": staticmethod(func.jvp)})
    with pytest.raises(RuntimeError) as caught:
        call(namespace)
    assert isinstance(caught.value, (TypeError, ValueError))
    torch_namespace = lambda torch: type("m", (), {  # noqa: E731
        "tensor": staticmethod(lambda v: torch.tensor(v, dtype=torch.float64)), "sin": torch.sin, "mul": torch.mul,
        "grad": torch.func.grad, "jacrev": torch.func.jacrev, "vjp": torch.func.vjp, "jvp": torch.func.jvp})
    assert _torch_raises(lambda torch: call(torch_namespace(torch))) in (True, None)


@pytest.mark.parametrize("output", [None, (), 1, True, 12.2, np.ones(3), "abc"], ids=repr)
@pytest.mark.parametrize("transform", ["vjp", "jvp", "jacrev", "jacfwd", "linearize"])
def test_transforms_of_an_f_returning_no_tensor_are_refused_as_torch_funcs(transform, output):
    x = ag.tensor(X)
    calls = {"vjp": lambda f: func.vjp(f, x), "jvp": lambda f: func.jvp(f, (x,), (x,)),
             "jacrev": lambda f: func.jacrev(f)(x), "jacfwd": lambda f: func.jacfwd(f)(x),
             "linearize": lambda f: func.linearize(f, x)}
    empty = output is None or isinstance(output, tuple)
    message = "non-empty output" if empty else f"return only tensors, got unsupported type {type(output).__name__}"
    with pytest.raises(RuntimeError, match=message):
        calls[transform](lambda x: output)
    with pytest.raises(RuntimeError, match=message):  # a leaf of a structure too
        calls[transform](lambda x: [x * 2, {"c": output}] if not empty else {"c": output})
    out, vjp_fn = ag.vjp(lambda x: 12.2, X)  # the engine's take a number as a constant output, as JAX's
    np.testing.assert_array_equal(vjp_fn(1.0)[0].data, np.zeros(3))
    if transform == "vjp" and not empty and not isinstance(output, np.ndarray):
        assert _torch_raises(lambda torch: torch.func.vjp(lambda x: output, torch.ones(3))) in (True, None)


@pytest.mark.parametrize("aux", [1, 1.0, "abc"], ids=repr)
@pytest.mark.parametrize("transform", ["grad", "grad_and_value", "vjp", "jvp", "jacrev", "jacfwd"])
def test_an_aux_holding_no_tensor_is_refused_as_torch_funcs(transform, aux):
    x = ag.tensor(X)
    calls = {"grad": lambda f: func.grad(lambda x: (f(x)[0].sum(), f(x)[1]), has_aux=True)(x),
             "grad_and_value": lambda f: func.grad_and_value(lambda x: (f(x)[0].sum(), f(x)[1]), has_aux=True)(x),
             "vjp": lambda f: func.vjp(f, x, has_aux=True), "jvp": lambda f: func.jvp(f, (x,), (x,), has_aux=True),
             "jacrev": lambda f: func.jacrev(f, has_aux=True)(x), "jacfwd": lambda f: func.jacfwd(f, has_aux=True)(x)}
    for f in (lambda x: (x.sin(), aux), lambda x: (x.sin(), [x, {"a": aux}])):
        with pytest.raises(RuntimeError, match=f"Expected tensors, got unsupported type {type(aux).__name__}"):
            calls[transform](f)
    result = calls[transform](lambda x: (x.sin(), {"a": x.cos(), "b": [None]}))  # Tensors and None pass
    aux_out = result[1][1] if transform == "grad_and_value" else result[-1]  # (gradient, (value, aux))
    np.testing.assert_allclose(aux_out["a"].data, np.cos(X), rtol=1e-15)
    assert ag.vjp(lambda x: (x * 3, aux), X, has_aux=True)[2] == aux  # the engine's aux may be anything, as JAX's
    if transform == "vjp":
        assert _torch_raises(lambda torch: torch.func.vjp(lambda x: (x, aux), torch.ones(3), has_aux=True)) in (
            True, None)


@pytest.mark.parametrize("primals, tangents, message", [
    ("x", ("t",), "Expected primals to be a tuple"),
    (("x",), "t", "same python structure"),
    (("x",), ["t"], "same python structure"),
    (("x",), ("t", "t"), "same python structure"),
    ((("x", "x"), "x"), ("x", "x"), "same python structure"),
    ((1.0,), ("t",), "only contain Tensors"),
    (("x",), (1.0,), "only contain Tensors"),
    ((np.float64(1.0),), ("t",), "only contain Tensors"),
    (((),), ((),), "at least one Tensor"),
    ((), (), "at least one Tensor"),
], ids=["primals_tensor", "tangents_tensor", "tangents_list", "count", "nesting", "number_primal", "number_tangent",
        "numpy_number", "empty_nested", "empty"])
def test_jvp_takes_tuples_of_tensors_of_one_structure_as_torch_func(primals, tangents, message):
    def resolve(tree, tensor):
        if isinstance(tree, (tuple, list)):
            return type(tree)(resolve(item, tensor) for item in tree)
        return {"x": tensor(X), "t": tensor(Y)}.get(tree, tree) if isinstance(tree, str) else tree

    with pytest.raises(RuntimeError, match=message):
        func.jvp(lambda *args: args[0], resolve(primals, ag.tensor), resolve(tangents, ag.tensor))
    _, tangent = ag.jvp(lambda x: x * 2, [1.5], [2.0])  # the engine's take lists and numbers, as JAX's
    assert float(tangent) == 4.0
    assert _torch_raises(lambda torch: torch.func.jvp(
        lambda *args: args[0], resolve(primals, torch.tensor), resolve(tangents, torch.tensor))) in (True, None)


def test_jvp_of_arrays_inside_a_function_forward_as_torch_funcs_of_tensors():
    class Sine(ag.autograd.Function):  # (torch.func's test_jvp_inside_autograd_function)
        @staticmethod
        def forward(ctx, x):  # x is a NumPy array here, a Tensor in PyTorch
            _, neg_sin_x = func.jvp(ag.cos, (x,), (np.ones_like(x),))
            ctx.save_for_backward(x)
            return -neg_sin_x

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return g * func.jvp(ag.sin, (x,), (ag.ones_like(x),))[1]

    x = ag.tensor(X, requires_grad=True)
    y = Sine.apply(x)
    np.testing.assert_allclose(y.data, np.sin(X), rtol=1e-15)
    y.sum().backward()
    np.testing.assert_allclose(x.grad.data, np.cos(X), rtol=1e-15)


def test_jacfwd_randomness_error_refuses_a_random_operation_as_torchs():
    # (found by porting PyTorch's test_vmap.py, TestRandomness.test_jacfwd_with_random)
    x = ag.rand((3, 4))
    with pytest.raises(RuntimeError, match=r"jacfwd: func called a random operation \(bernoulli\) with "
                                           r"randomness='error', jacfwd's default"):
        func.jacfwd(ag.bernoulli)(x)
    for randomness in ("same", "different"):
        np.testing.assert_array_equal(func.jacfwd(ag.bernoulli, randomness=randomness)(x).data, np.zeros((3, 4, 3, 4)))
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError, match="called random operation while in randomness error mode"):
        torch.func.jacfwd(torch.bernoulli)(torch.rand(3, 4))


def test_hessian_refuses_a_random_operation_as_torchs():
    # (found in review: func.hessian was ag.hessian and ran random operations, while func.jacfwd refused them;
    # torch.func.hessian is jacfwd(jacrev(f)), whose jacfwd's randomness='error' refuses them)
    f = lambda x: ((x * ag.randn(2)) ** 2).sum()  # noqa: E731
    with pytest.raises(RuntimeError, match=r"hessian: func called a random operation \(randn\), which "
                                           r"torch.func.hessian refuses"):
        func.hessian(f)(ag.tensor([1.0, 2.0]))
    assert ag.hessian(f)(ag.tensor([1.0, 2.0])).shape == (2, 2)  # (ag.hessian, jax.hessian's, takes them)
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError, match="randomness"):
        torch.func.hessian(lambda x: ((x * torch.randn(2)) ** 2).sum())(torch.tensor([1.0, 2.0]))
