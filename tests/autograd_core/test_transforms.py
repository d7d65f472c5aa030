"""Function transforms (autograd_core/transforms.py): grad, value_and_grad, jacobian, hessian, vjp, jvp."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd_core as ag
from autograd_core.testing import numerical_grad
from autograd_core.testing.strategies import elements, float_arrays, shapes

RNG = np.random.default_rng(7)


def test_grad_of_grad_is_the_second_derivative():
    f = lambda x: x ** 3 * ag.sin(x)
    d2 = ag.grad(ag.grad(f))
    x = 0.8
    expected = 6 * x * np.sin(x) + 6 * x ** 2 * np.cos(x) - x ** 3 * np.sin(x)
    np.testing.assert_allclose(float(d2(x)), expected, rtol=1e-12)


def test_fourth_derivative_by_nesting():
    d4 = ag.grad(ag.grad(ag.grad(ag.grad(lambda x: ag.exp(2 * x)))))
    np.testing.assert_allclose(float(d4(0.3)), 16 * np.exp(0.6), rtol=1e-12)


def test_grad_accepts_floats_arrays_and_tensors():
    f = lambda x: (x * x).sum()
    for x in (np.array([1.0, 2.0]), ag.tensor([1.0, 2.0]), [1.0, 2.0]):
        np.testing.assert_array_equal(ag.grad(f)(x).data, [2.0, 4.0])
    assert float(ag.grad(lambda x: x * x)(3.0)) == 6.0
    assert float(ag.grad(lambda x: x * x)(3)) == 6.0  # an int argument is differentiated as float64


def test_grad_argnums_int_and_tuple():
    f = lambda x, y, z: x * y ** 2 + z
    assert float(ag.grad(f, 1)(2.0, 3.0, 5.0)) == 12.0
    gx, gz = ag.grad(f, (0, 2))(2.0, 3.0, 5.0)
    assert (float(gx), float(gz)) == (9.0, 1.0)


def test_value_and_grad():
    value, slope = ag.value_and_grad(lambda x: ag.log(x) * x)(2.0)
    np.testing.assert_allclose([float(value), float(slope)], [2 * np.log(2), np.log(2) + 1])


def test_grad_of_non_scalar_function_is_a_clear_error():
    with pytest.raises(TypeError, match=r"scalar.*shape \(2,\).*jacobian"):
        ag.grad(lambda x: x * 2)(np.ones(2))


@pytest.mark.parametrize("transform", [lambda f: ag.grad(f)(3.0), lambda f: ag.value_and_grad(f)(3.0)])
@pytest.mark.parametrize("f", [lambda x: (x ** 2, x), lambda x: [x ** 2], lambda x: {"loss": x ** 2}, lambda x: None])
def test_a_function_returning_a_tuple_or_other_object_is_refused_not_differentiated_as_zero(transform, f):
    # Tensor((x ** 2, x)) would take the values and drop the graph: a silent zero gradient.
    with pytest.raises(TypeError, match=r"grad: f must return one Tensor \(or a number or an array\), got a "
                                        r"(tuple|list|dict|NoneType)"):
        transform(f)


@pytest.mark.parametrize("transform", [
    lambda f: ag.jacobian(f)(3.0), lambda f: ag.hessian(f)(3.0), lambda f: ag.vjp(f, 3.0),
    lambda f: ag.jvp(f, (3.0,), (1.0,)),
])
@pytest.mark.parametrize("f, where", [(lambda x: None, ""), (lambda x: {"loss": x ** 2, "note": "text"},
                                                             r" at output\['note'\]")])
def test_a_function_returning_no_tensor_nor_a_structure_of_them_is_refused(transform, f, where):
    # (jacobian, vjp and jvp take a tuple, list or dict of Tensors as f's output, as jax.jacrev, jax.vjp, jax.jvp)
    with pytest.raises(TypeError, match=r"(jacobian|hessian|vjp|jvp): f must return a Tensor \(or a number or an "
                                        rf"array\), or a tuple, list or dict of them, got a (NoneType|str){where}$"):
        transform(f)


def test_grad_of_function_that_ignores_its_input_is_zero():
    np.testing.assert_array_equal(ag.grad(lambda x: ag.tensor(3.0))(np.ones(2)).data, [0.0, 0.0])


def test_hessian_of_quadratic_form_is_a_plus_a_transpose():
    A = RNG.standard_normal((4, 4))
    H = ag.hessian(lambda x: x @ A @ x)(RNG.standard_normal(4))
    assert H.shape == (4, 4)
    np.testing.assert_allclose(H.data, A + A.T, rtol=1e-12, atol=1e-12)


def test_hessian_of_a_vector_function_is_the_jacobian_of_its_jacobian_as_in_jax():
    x = np.array([0.3, -1.2, 2.0])
    H = ag.hessian(lambda t: t ** 3)(x)
    assert H.shape == (3, 3, 3)  # out.shape + in.shape + in.shape
    expected = np.zeros((3, 3, 3))
    expected[np.arange(3), np.arange(3), np.arange(3)] = 6 * x
    np.testing.assert_allclose(H.data, expected, rtol=1e-12)
    y = np.array([0.5, 2.0, -1.0])
    rows = ag.hessian(lambda a, b: a * a * b, argnums=(0, 1))(x, y)
    diagonal = lambda v: np.einsum("ij,jk->ijk", np.eye(3), np.diag(v))
    for got, want in zip([h.data for row in rows for h in row], [diagonal(2 * y), diagonal(2 * x), diagonal(2 * x),
                                                                  np.zeros((3, 3, 3))]):
        np.testing.assert_allclose(got, want, rtol=1e-12)


def test_hessian_of_several_arguments_runs_f_once_and_gives_every_block_as_torch():
    torch = pytest.importorskip("torch")
    calls = []

    def f(a, b, c, lib=ag):
        calls.append(lib)
        return (lib.sin(a)[:, None] * b * lib.exp(c).sum()).sum() + (a ** 2).sum() * c[0]

    rng = np.random.default_rng(0)
    args = rng.normal(size=3), rng.normal(size=(3, 2)), rng.normal(size=2)
    blocks = ag.hessian(f, argnums=(0, 1, 2))(*args)
    assert calls == [ag]  # one inner and one outer Jacobian for all nine blocks (not one pass per row of blocks)
    expected = torch.autograd.functional.hessian(lambda *t: f(*t, lib=torch), tuple(map(torch.tensor, args)))
    for row, expected_row in zip(blocks, expected, strict=True):
        for block, want in zip(row, expected_row, strict=True):
            assert block.shape == tuple(want.shape)
            np.testing.assert_allclose(block.data, want.numpy(), rtol=1e-12, atol=1e-14)


def test_hessian_blocks_of_float32_and_float64_arguments_take_the_row_arguments_dtype_as_torch_func():
    # Block [i][j] took argument j's dtype (float64 for [0][1] of a float32 x); torch.func.hessian and jax.hessian
    # (jacfwd of jacrev) give it argument i's.
    f = lambda x, y: (x * x * y).sum()
    x, y = np.array([0.5, -1.0], dtype=np.float32), np.array([2.0, 3.0])
    blocks = ag.hessian(f, (0, 1))(x, y)
    assert [[block.dtype for block in row] for row in blocks] == [[np.float32, np.float32], [np.float64, np.float64]]
    np.testing.assert_allclose(blocks[0][1].data, np.diag(2 * x), rtol=1e-7)
    torch = pytest.importorskip("torch")
    expected = torch.func.hessian(f, (0, 1))(torch.tensor(x), torch.tensor(y))
    for row, expected_row in zip(blocks, expected, strict=True):
        for block, want in zip(row, expected_row, strict=True):
            assert block.dtype == np.dtype(str(want.dtype).removeprefix("torch."))
            np.testing.assert_allclose(block.data, want.numpy(), rtol=1e-6)


@pytest.mark.parametrize("transform", [lambda f, x: ag.grad(lambda t: f(t).sum())(x), lambda f, x: ag.jacobian(f)(x),
                                       lambda f, x: ag.vjp(f, x), lambda f, x: ag.jvp(f, (x,), (x,))])
@pytest.mark.parametrize("argument", [np.array([1, 2]), ag.tensor([1, 2]), np.array([True]), True],
                         ids=["int array", "int Tensor", "bool array", "bool"])
def test_transforms_refuse_integer_and_boolean_arguments_as_jax_does(transform, argument):
    with pytest.raises(TypeError, match=r"(grad|jacobian|vjp|jvp): cannot differentiate with respect to an argument "
                                        r"of dtype (int64|bool).*give floats"):
        transform(lambda t: t * 2.0, argument)


def test_a_python_int_argument_is_taken_as_the_number_it_is():
    slope = ag.grad(lambda x: x * x)(3)
    assert slope.dtype == np.float64 and slope.item() == 6.0


@pytest.mark.parametrize("call", [lambda: ag.grad(3), lambda: ag.value_and_grad(None), lambda: ag.jacobian("f"),
                                  lambda: ag.hessian(3), lambda: ag.vjp(3, 1.0), lambda: ag.jvp(3, (1.0,), (1.0,))])
def test_a_transform_of_something_that_is_no_function_names_itself(call):
    with pytest.raises(TypeError, match=r"^(grad|value_and_grad|jacobian|hessian|vjp|jvp): f must be a function, got"):
        call()


@pytest.mark.parametrize("transform", [lambda f, x: ag.grad(f)(x), lambda f, x: ag.jacobian(f)(x),
                                       lambda f, x: ag.hessian(f)(x), lambda f, x: ag.vjp(f, x),
                                       lambda f, x: ag.jvp(f, (x,), (x,))])
def test_an_integer_result_is_an_error_not_a_zero_derivative(transform):
    with pytest.raises(TypeError, match=r"(grad|jacobian|hessian|vjp|jvp): f must return floats, got dtype int64"):
        transform(lambda x: ag.argmax(x), np.array([1.0, 2.0]))


@pytest.mark.parametrize("name", ["value_and_grad", "hessian"])
def test_value_and_grad_and_hessian_name_themselves_in_their_errors(name):
    with pytest.raises(TypeError, match=rf"^{name}: f must return floats"):
        getattr(ag, name)(lambda x: ag.argmax(x))(np.array([1.0, 2.0]))


def test_hessian_matches_finite_differences_of_the_gradient():
    f = lambda x: ag.logsumexp(x * x * 0.5 + ag.sin(x))
    x = np.array([0.1, -0.7, 1.2])
    H = ag.hessian(f)(x).data
    numeric = np.stack([numerical_grad(lambda t: ag.grad(f)(t)[i], x)[0] for i in range(3)])
    np.testing.assert_allclose(H, numeric, rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(H, H.T, atol=1e-12)


@settings(max_examples=15)
@given(float_arrays(shapes(min_dims=0, max_dims=2, max_side=3), elements=elements(-2, 2)))
def test_jacobian_of_elementwise_map_is_diagonal(x):
    J = ag.jacobian(lambda t: ag.tanh(t) * 2)(x)
    assert J.shape == x.shape + x.shape
    expected = np.diag((2 * (1 - np.tanh(x) ** 2)).reshape(-1)).reshape(x.shape + x.shape)
    np.testing.assert_allclose(J.data, expected, rtol=1e-12, atol=1e-15)


def test_jacobian_shape_is_output_shape_plus_input_shape():
    W = RNG.standard_normal((2, 3))
    J = ag.jacobian(lambda x: W @ x)(np.ones((3, 4)))
    assert J.shape == (2, 4, 3, 4)
    np.testing.assert_allclose(J.data[:, 1, :, 1], W)
    np.testing.assert_allclose(J.data[:, 1, :, 2], 0.0)


@st.composite
def _primal_tangent_cotangent(draw):
    shape = draw(shapes(min_dims=0, max_dims=2, max_side=3))
    arrays = float_arrays(shape, elements=elements(-2, 2))
    return draw(arrays), draw(arrays), draw(float_arrays((2,) + shape, elements=elements(-2, 2)))


def _map(x):
    return ag.stack([ag.sin(x) * x, ag.exp(x * 0.5)])


@settings(max_examples=15)
@given(_primal_tangent_cotangent())
def test_jvp_and_vjp_agree_with_the_jacobian(case):
    x, tangent, cotangent = case
    J = ag.jacobian(_map)(x).data.reshape(cotangent.size, x.size)
    out, tangent_out = ag.jvp(_map, (x,), (tangent,))
    np.testing.assert_allclose(out.data, _map(ag.tensor(x)).data)
    np.testing.assert_allclose(tangent_out.data.reshape(-1), J @ tangent.reshape(-1), rtol=1e-10, atol=1e-12)
    out, vjp_fn = ag.vjp(_map, x)
    (grad,) = vjp_fn(cotangent)
    assert grad.shape == x.shape
    np.testing.assert_allclose(grad.data.reshape(-1), cotangent.reshape(-1) @ J, rtol=1e-10, atol=1e-12)


def test_vjp_fn_can_be_called_repeatedly_and_for_several_primals():
    out, vjp_fn = ag.vjp(lambda a, b: a * b, np.array([1.0, 2.0]), np.array([3.0, 4.0]))
    ga, gb = vjp_fn(np.ones(2))
    ga2, gb2 = vjp_fn(np.array([2.0, 0.0]))
    np.testing.assert_array_equal(ga.data, [3, 4])
    np.testing.assert_array_equal(gb.data, [1, 2])
    np.testing.assert_array_equal(ga2.data, [6, 0])
    np.testing.assert_array_equal(gb2.data, [2, 0])


def test_jvp_with_two_primals_and_shape_errors():
    out, t = ag.jvp(lambda a, b: a * b, (2.0, 3.0), (1.0, 10.0))
    assert float(out) == 6.0 and float(t) == 3.0 + 20.0
    with pytest.raises(ValueError, match="jvp: tangent 0 has shape"):
        ag.jvp(lambda a: a, (np.ones(2),), (np.ones(3),))
    with pytest.raises(ValueError, match="jvp: got 1 primals but 2 tangents"):
        ag.jvp(lambda a: a, (1.0,), (1.0, 2.0))


@pytest.mark.parametrize("tangent", [np.array([1, 2]), np.array([True, False])])
def test_jvp_refuses_an_integer_or_boolean_tangent_as_torch_func(tangent):
    # It was taken as floats (a boolean tangent as 1 and 0), though integer and boolean primals are refused.
    with pytest.raises(TypeError, match=rf"jvp: tangent 0 has dtype {tangent.dtype} \(shape \(2,\)\).*floats"):
        ag.jvp(lambda x: x * 2, (np.ones(2),), (tangent,))
    assert float(ag.jvp(lambda x: x * 2, (3,), (1,))[1]) == 2.0  # Python ints are the numbers they are
    torch = pytest.importorskip("torch")
    with pytest.raises(ValueError, match="floating point"):
        torch.func.jvp(lambda x: x * 2, (torch.ones(2),), (torch.tensor(tangent),))


def test_nesting_grad_of_jacobian_and_jacobian_of_grad():
    f = lambda x: (x ** 3).sum()
    x = np.array([1.0, 2.0])
    np.testing.assert_allclose(ag.jacobian(ag.grad(f))(x).data, np.diag(6 * x))
    # grad of a function that itself calls grad: d/dy [d/dx (x*y)^2 at x=y] = d/dy 2y^3 = 6y^2.
    inner = lambda y: ag.grad(lambda x: (x * y) ** 2)(y)
    np.testing.assert_allclose(float(ag.grad(inner)(1.5)), 6 * 1.5 ** 2, rtol=1e-12)


def test_grad_through_closed_over_parameters_keeps_them_differentiable():
    w = ag.tensor(2.0, requires_grad=True)
    g = ag.grad(lambda x: w * x ** 2)(3.0)  # = 2 w x = 12, a function of w
    np.testing.assert_allclose(float(g), 12.0)
    g.backward()
    np.testing.assert_allclose(float(w.grad), 6.0)  # d(2 w x)/dw = 2 x


def test_transforms_do_not_touch_the_callers_grads():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    ag.grad(lambda t: (t * t).sum())(x)
    ag.jacobian(lambda t: t * 2)(x)
    assert x.grad is None


def test_argnums_out_of_range_is_a_clear_error():
    with pytest.raises(TypeError, match="argnums=2.*2 positional"):
        ag.grad(lambda a, b: a * b, 2)(1.0, 2.0)


def test_results_are_constants_when_nothing_outside_requires_grad():
    # With several argnums, each argument is "inside" the transform: no graph is recorded for the results.
    x, y = np.array([1.0, 2.0]), np.array([2.0, 3.0])
    jx, jy = ag.jacobian(lambda a, b: a * b, (0, 1))(x, y)
    np.testing.assert_array_equal(jx.data, np.diag(y))
    np.testing.assert_array_equal(jy.data, np.diag(x))
    gx, gy = ag.grad(lambda a, b: (a * b).sum(), (0, 1))(x, y)
    hessians = ag.hessian(lambda a, b: (a * a * b).sum(), (0, 1))(x, y)
    (haa, hab), (hba, hbb) = hessians
    for h, expected in ((haa, np.diag(2 * y)), (hab, np.diag(2 * x)), (hba, np.diag(2 * x)), (hbb, np.zeros((2, 2)))):
        np.testing.assert_array_equal(h.data, expected)
    results = [jx, jy, gx, gy, ag.jacobian(ag.sin)(x), ag.hessian(lambda a: (a ** 3).sum())(x)]
    results += [h for row in hessians for h in row]
    assert [r.requires_grad for r in results] == [False] * len(results)


def test_transforms_return_the_value_cut_from_their_own_graph():
    value, slope = ag.value_and_grad(lambda x: x ** 2)(3.0)
    out, vjp_fn = ag.vjp(lambda x: x * 3, np.ones(2))
    primal, tangent = ag.jvp(lambda x: x ** 2, (np.array([1.0, 2.0]),), (np.ones(2),))
    for result in (value, out, primal):
        assert not result.requires_grad and result.is_leaf
    assert float(value) == 9.0 and float(slope) == 6.0
    np.testing.assert_array_equal(vjp_fn(np.array([1.0, 2.0]))[0].data, [3.0, 6.0])


def test_a_nested_transform_keeps_the_inner_value_differentiable():
    # d/dx of the value returned by an inner value_and_grad is the ordinary derivative.
    outer = ag.grad(lambda x: ag.value_and_grad(lambda y: y ** 3)(x)[0])
    assert float(outer(2.0)) == 12.0


def test_a_nested_gradient_comes_back_cut_from_the_inner_transforms_graph():
    # The inner grad's recorded result still reaches the inner argument leaf; that leaf belongs to a
    # transform that has returned, so the outer result needs no graph.
    outer = ag.grad(lambda x: ag.grad(lambda y: x * y ** 2)(3.0))(2.0)
    assert outer.item() == 6.0 and not outer.requires_grad and outer.is_leaf
    slope = ag.grad(lambda x: ag.jvp(lambda y: x * y ** 2, (3.0,), (1.0,))[1])(2.0)
    assert slope.item() == 6.0 and not slope.requires_grad


def test_jvp_needs_tuples_of_primals_and_tangents():
    with pytest.raises(TypeError, match=r"jvp: primals and tangents must be tuples or lists.*ndarray"):
        ag.jvp(lambda x: x, np.ones(2), np.ones(2))


def test_vjp_and_jvp_are_differentiable_in_the_cotangent_and_tangent():
    A, r, x = np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([1.0, 2.0]), np.array([0.5, 1.5])
    f = lambda a: A @ a
    _, vjp_fn = ag.vjp(f, x)
    # <vjp_fn(c), r> = <c, A r>: its gradient in c is A r; <jvp(f, x; v), r> = <v, A^T r>.
    np.testing.assert_allclose(ag.grad(lambda c: (vjp_fn(c)[0] * r).sum())(np.ones(2)).data, A @ r)
    np.testing.assert_allclose(ag.grad(lambda v: (ag.jvp(f, (x,), (v,))[1] * r).sum())(np.ones(2)).data, A.T @ r)


def test_a_gradient_depending_on_a_captured_tensor_can_enter_another_transform():
    # The first transform's argument nodes are remembered as finished; looking an array-valued node up
    # among them must not compare Tensors with == (elementwise, so ambiguous as a bool).
    w = ag.tensor(2.0, requires_grad=True)
    g = ag.grad(lambda x: (x * x * w).sum())(np.ones(2))  # 2 x w, recorded: it depends on w
    np.testing.assert_array_equal(ag.grad(lambda y: (g * y).sum())(np.ones(2)).data, [4.0, 4.0])
    (g.sum()).backward()
    assert float(w.grad) == 4.0  # d/dw of sum(2 x w) at x = 1


def test_transforms_backpropagate_only_between_their_arguments_and_the_output():
    # As torch.autograd.grad: the history behind an argument is not visited (an unrolled loop of k
    # transform calls would otherwise cost k^2 gradient rules), yet the result stays connected to it.
    calls = []

    class Counted(ag.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 1.0

        @staticmethod
        def backward(ctx, grad_output):
            calls.append(1)
            return grad_output

    w = ag.tensor([1.0, 2.0], requires_grad=True)
    history = Counted.apply(w)
    g = ag.grad(lambda v: (v ** 3).sum())(history)
    assert calls == []
    np.testing.assert_array_equal(g.data, [3.0, 12.0])
    g.sum().backward()  # d/dw sum(3 w^2) = 6 w, back through the history once
    assert calls == [1]
    np.testing.assert_array_equal(w.grad.data, [6.0, 12.0])


@pytest.mark.parametrize("transform", [ag.grad, ag.value_and_grad, ag.jacobian, ag.hessian])
def test_argnums_naming_an_argument_twice_is_refused_as_in_torch_func(transform):
    # It silently gave zeros for the first of the two: the second node took the argument's place.
    with pytest.raises(ValueError, match=r"argnums \(0, 0\) names an argument twice"):
        transform(lambda x, y: (x * y).sum(), argnums=(0, 0))(1.0, 2.0)


def _arrays(result):
    """The arrays in a transform's result (a Tensor, or nested tuples of them and numbers)."""
    if isinstance(result, (tuple, list)):
        return [a for r in result for a in _arrays(r)]
    return [np.asarray(result.data if isinstance(result, ag.Tensor) else result)]


@pytest.mark.parametrize("transform", [ag.grad, ag.value_and_grad, ag.jacobian, ag.hessian])
def test_negative_argnums_count_from_the_end_as_in_torch_func(transform):
    f = lambda a, b: (a * b ** 2).sum()  # noqa: E731
    a, b = np.array([1.0, 2.0]), np.array([3.0, 5.0])
    expected = _arrays(transform(f, argnums=1)(a, b))
    for argnums in (-1, np.int64(1), (-1,)):
        got = _arrays(transform(f, argnums=argnums)(a, b))
        assert len(got) == len(expected)
        for ours, theirs in zip(got, expected):
            np.testing.assert_array_equal(ours, theirs)
    with pytest.raises(ValueError, match=r"argnums \(1, -1\) names an argument twice"):
        transform(f, argnums=(1, -1))(a, b)
    with pytest.raises(TypeError, match=r"argnums=-3 but the function was called with 2 positional argument"):
        transform(f, argnums=-3)(a, b)
    for wrong in ("a", (), True):
        with pytest.raises(TypeError, match=rf"argnums must be an int or a non-empty tuple of ints, got {wrong!r}"):
            transform(f, argnums=wrong)(a, b)


@pytest.mark.parametrize("transform", [ag.grad, ag.value_and_grad, ag.jacobian, ag.hessian])
def test_argnums_errors_name_the_transform(transform):
    # Every other error of the transforms starts with the transform's name; these two did not.
    name = transform.__name__
    f = lambda a, b: (a * b).sum()  # noqa: E731
    with pytest.raises(TypeError, match=rf"^{name}: argnums=2 but the function was called with 2 positional "
                                        rf"argument\(s\); argnums must be in \[-2, 2\)"):
        transform(f, argnums=2)(1.0, 2.0)
    with pytest.raises(ValueError, match=rf"^{name}: argnums \(0, 0\) names an argument twice"):
        transform(f, argnums=(0, 0))(1.0, 2.0)


# ---- has_aux, as in JAX (and torch.func) --------------------------------------------------------------
def _loss_with_aux(w, x):
    prediction = ag.tanh(x @ w)
    loss = (prediction ** 2).sum()
    return loss, {"prediction": prediction, "parts": [loss, (w * 2,)], "note": "kept as it is"}


def test_grad_and_value_and_grad_with_has_aux_return_aux_undifferentiated():
    w, x = RNG.standard_normal(3), RNG.standard_normal((4, 3))
    gradient, aux = ag.grad(_loss_with_aux, has_aux=True)(w, x)
    (value, aux2), gradient2 = ag.value_and_grad(_loss_with_aux, has_aux=True)(w, x)
    expected = ag.grad(lambda w: _loss_with_aux(w, x)[0])(w)
    np.testing.assert_array_equal(gradient.data, expected.data)
    np.testing.assert_array_equal(gradient2.data, expected.data)
    assert float(value) == float(aux["parts"][0]) == float(_loss_with_aux(ag.tensor(w), x)[0])
    np.testing.assert_array_equal(aux["prediction"].data, np.tanh(x @ w))
    np.testing.assert_array_equal(aux2["parts"][1][0].data, w * 2)
    assert type(aux["parts"]) is list and type(aux["parts"][1]) is tuple and aux["note"] == "kept as it is"
    # Cut from the transform's graph, as the value is: nothing left to differentiate or keep alive.
    assert not any(t.requires_grad for t in (aux["prediction"], aux["parts"][0], aux["parts"][1][0], value))


def test_has_aux_matches_torch_func():
    torch = pytest.importorskip("torch")
    w, x = RNG.standard_normal(3), RNG.standard_normal((4, 3))
    gradient, aux = ag.grad(_loss_with_aux, argnums=(0, 1), has_aux=True)(w, x)

    def torch_loss(w, x):
        prediction = torch.tanh(x @ w)
        return (prediction ** 2).sum(), prediction

    tgrad, taux = torch.func.grad(torch_loss, argnums=(0, 1), has_aux=True)(torch.tensor(w), torch.tensor(x))
    for ours, theirs in zip(gradient, tgrad):
        np.testing.assert_allclose(ours.data, theirs.numpy(), rtol=1e-12)
    np.testing.assert_allclose(aux["prediction"].data, taux.numpy(), rtol=1e-12)


def test_an_enclosing_transform_differentiates_through_aux_and_output():
    # Inner grad in y at y = 1 has aux y * x**2: the outer derivative in x is 2 x, not a silent 0.
    through_aux = ag.grad(lambda x: ag.grad(lambda y: (y ** 2, y * x ** 2), has_aux=True)(1.0)[1])
    assert float(through_aux(3.0)) == 6.0
    # Through the gradient as well: d/dx [d/dy y^3 x at y = x] = d/dx 3 x^3 = 9 x^2.
    through_grad = ag.grad(lambda x: ag.grad(lambda y: (y ** 3 * x, y), has_aux=True)(x)[0])
    assert float(through_grad(2.0)) == 36.0


@pytest.mark.parametrize("f, got", [(lambda x: x ** 2, "Tensor"), (lambda x: (x ** 2, 1, 2), "tuple of length 3"),
                                    (lambda x: [x ** 2, 1], "list")])
def test_has_aux_needs_a_pair(f, got):
    for transform in (ag.grad(f, has_aux=True), ag.value_and_grad(f, has_aux=True)):
        with pytest.raises(TypeError, match=rf"grad: with has_aux=True f must return a pair \(output, aux\), got {got}"):
            transform(2.0)


def test_a_tuple_without_has_aux_is_refused_with_a_pointer_to_it():
    with pytest.raises(TypeError, match=r"got a tuple; .*with has_aux=True, f may return \(output, aux\)"):
        ag.grad(lambda x: (x ** 2, x))(2.0)


def test_the_most_negative_argnums_names_the_first_argument():
    f = lambda x, y: x * x * y
    assert float(ag.grad(f, argnums=-2)(3.0, 2.0)) == 12.0  # d/dx, as argnums=0 (JAX, torch.func)
    gx, gy = ag.grad(f, argnums=(-2, -1))(3.0, 2.0)
    assert (float(gx), float(gy)) == (12.0, 9.0)


def test_jacobian_of_a_function_ignoring_its_argument_is_zeros():
    # out.shape + in.shape (API.md), all zeros: the output does not depend on the argument (as jax.jacobian).
    jac = ag.jacobian(lambda x: ag.tensor([1.0, 2.0]))(np.ones((3, 2)))
    np.testing.assert_array_equal(jac.data, np.zeros((2, 3, 2)))


def test_the_errors_of_the_function_vjp_returns_name_vjp():
    _, vjp_fn = ag.vjp(lambda x: x ** 2, np.array([1.0, 2.0]))
    with pytest.raises(ValueError, match=r"^vjp: gradient has shape \(3,\) but the output has shape \(2,\)"):
        vjp_fn(np.ones(3))
    with pytest.raises(TypeError, match=r"^vjp: gradient must be a Tensor, an array or a number"):
        vjp_fn("one")


_NO_GRAD_X0 = np.array([0.5, -1.2, 2.0])


def _sum_of_sin_times(lib):
    return lambda t: (lib.sin(t) * t).sum()


def _sin_times(lib):
    return lambda t: lib.sin(t) * t


_NO_GRAD_TRANSFORMS = {
    "grad": (lambda x: ag.grad(_sum_of_sin_times(ag))(x),
             lambda torch, x: torch.func.grad(_sum_of_sin_times(torch))(x)),
    "value_and_grad value": (lambda x: ag.value_and_grad(_sum_of_sin_times(ag))(x)[0],
                             lambda torch, x: torch.func.grad_and_value(_sum_of_sin_times(torch))(x)[1]),
    "value_and_grad grad": (lambda x: ag.value_and_grad(_sum_of_sin_times(ag))(x)[1],
                            lambda torch, x: torch.func.grad_and_value(_sum_of_sin_times(torch))(x)[0]),
    "vjp out": (lambda x: ag.vjp(_sin_times(ag), x)[0],
                lambda torch, x: torch.func.vjp(_sin_times(torch), x)[0]),
    "vjp cotangent": (lambda x: ag.vjp(_sin_times(ag), x)[1](np.ones(3))[0],
                      lambda torch, x: torch.func.vjp(_sin_times(torch), x)[1](torch.ones(3, dtype=torch.float64))[0]),
    "jvp tangent": (lambda x: ag.jvp(_sin_times(ag), (x,), (np.ones(3),))[1],
                    lambda torch, x: torch.func.jvp(_sin_times(torch), (x,), (torch.ones(3, dtype=torch.float64),))[1]),
}


@pytest.mark.filterwarnings("ignore:`torch.jit.script` is deprecated:FutureWarning")  # torch.func.jvp's own import
@pytest.mark.parametrize("name", sorted(_NO_GRAD_TRANSFORMS))
def test_a_transform_of_an_argument_that_requires_grad_records_nothing_under_no_grad_as_torch_func(name):
    torch = pytest.importorskip("torch")
    ours, theirs = _NO_GRAD_TRANSFORMS[name]
    tx = torch.tensor(_NO_GRAD_X0, requires_grad=True)
    with torch.no_grad():
        expected = theirs(torch, tx)
    x = ag.tensor(_NO_GRAD_X0, requires_grad=True)
    with ag.no_grad():
        got = ours(x)
    np.testing.assert_allclose(got.data, expected.numpy(), rtol=1e-12)
    assert expected.requires_grad is False
    assert got.requires_grad is False, f"{name} under no_grad returned a recorded result"


def test_grad_and_jacobian_agree_on_recording_under_no_grad():
    # ag.jacobian and ag.hessian already return unrecorded results under no_grad; ag.grad should too.
    x = ag.tensor(_NO_GRAD_X0, requires_grad=True)
    with ag.no_grad():
        jac = ag.jacobian(_sin_times(ag))(x)
        grad = ag.grad(_sum_of_sin_times(ag))(x)
    np.testing.assert_allclose(grad.data, jac.data.sum(axis=0), rtol=1e-12)
    assert grad.requires_grad == jac.requires_grad


def test_vjp_fn_called_under_no_grad_returns_an_unrecorded_result_as_torch_func():
    torch = pytest.importorskip("torch")
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    _, vjp_fn = ag.vjp(lambda x: x ** 2, x)
    tx = torch.tensor([1.0, 2.0], requires_grad=True)
    _, t_vjp_fn = torch.func.vjp(lambda x: x ** 2, tx)
    with ag.no_grad():
        (g,) = vjp_fn(ag.ones(2))
    with torch.no_grad():
        (tg,) = t_vjp_fn(torch.ones(2))
    np.testing.assert_allclose(g.data, tg.numpy())
    assert g.requires_grad == tg.requires_grad  # False: nothing is recorded under no_grad
    assert g.is_leaf


@pytest.mark.parametrize("f, expected", [(lambda x: x * 2, 2.0), (lambda x: ag.tensor([1.0, 2.0, 3.0]), 0.0)],
                         ids=["dependent", "constant"])
def test_vjp_fn_checks_the_cotangent_whether_or_not_the_output_depends_on_the_primals(f, expected):
    # For an output that does not depend on the primals, any cotangent (of another shape, or text) gave zeros;
    # jax.vjp's pullback refuses the wrong shape there too (torch.func.vjp checks neither, and returns zeros).
    _, vjp_fn = ag.vjp(f, np.ones(3))
    with pytest.raises(ValueError, match=r"vjp: gradient has shape \(5,\) but the output has shape \(3,\)"):
        vjp_fn(np.ones(5))
    with pytest.raises(TypeError, match=r"vjp: gradient must be a Tensor, an array or a number"):
        vjp_fn("a")
    np.testing.assert_array_equal(vjp_fn(np.ones(3))[0].data, [expected] * 3)


def test_vjp_fn_with_a_plain_cotangent_returns_an_unrecorded_result_as_torch_func():
    torch = pytest.importorskip("torch")
    _, vjp_fn = ag.vjp(lambda x: x ** 2, ag.tensor([1.0, 2.0]))
    _, t_vjp_fn = torch.func.vjp(lambda x: x ** 2, torch.tensor([1.0, 2.0], dtype=torch.float64))
    (g,) = vjp_fn(ag.ones(2))
    (tg,) = t_vjp_fn(torch.ones(2, dtype=torch.float64))
    np.testing.assert_allclose(g.data, tg.numpy())
    assert g.requires_grad == tg.requires_grad  # False


def test_vjp_fn_with_a_cotangent_that_requires_grad_records_nothing_under_no_grad_as_torch_func():
    torch = pytest.importorskip("torch")
    _, vjp_fn = ag.vjp(lambda x: x ** 2, ag.tensor([1.0, 2.0]))
    _, t_vjp_fn = torch.func.vjp(lambda x: x ** 2, torch.tensor([1.0, 2.0], dtype=torch.float64))
    with ag.no_grad():
        (g,) = vjp_fn(ag.tensor([1.0, 3.0], requires_grad=True))
    with torch.no_grad():
        (tg,) = t_vjp_fn(torch.tensor([1.0, 3.0], dtype=torch.float64, requires_grad=True))
    np.testing.assert_allclose(g.data, tg.numpy())
    assert g.requires_grad == tg.requires_grad  # False


def test_vjp_fn_with_a_cotangent_that_requires_grad_is_recorded_when_grad_is_enabled():
    _, vjp_fn = ag.vjp(lambda x: x ** 2, ag.tensor([1.0, 2.0]))
    c = ag.tensor([1.0, 3.0], requires_grad=True)
    (g,) = vjp_fn(c)
    assert g.requires_grad
    g.sum().backward()
    np.testing.assert_allclose(c.grad.data, [2.0, 4.0])  # d(sum(2 x c))/dc = 2 x


@pytest.mark.filterwarnings("ignore:`torch.jit.script` is deprecated:FutureWarning")
def test_jvp_with_a_tangent_that_requires_grad_records_nothing_under_no_grad_as_torch_func():
    torch = pytest.importorskip("torch")
    with ag.no_grad():
        _, tangent = ag.jvp(lambda x: x ** 2, (ag.tensor([1.0, 2.0]),), (ag.tensor([1.0, 3.0], requires_grad=True),))
    with torch.no_grad():
        _, expected = torch.func.jvp(lambda x: x ** 2, (torch.tensor([1.0, 2.0], dtype=torch.float64),),
                                     (torch.tensor([1.0, 3.0], dtype=torch.float64, requires_grad=True),))
    np.testing.assert_allclose(tangent.data, expected.numpy())
    assert tangent.requires_grad == expected.requires_grad  # False


def test_jacobian_of_a_function_not_depending_on_its_argument_has_the_arguments_dtype():
    # as when it does depend on it (the gradient of an argument has its dtype), and as torch.func.jacrev
    x = np.ones(3)  # float64
    dependent = ag.jacobian(lambda x: (x * 2).astype(np.float32)[:2])(x)
    constant = ag.jacobian(lambda x: ag.tensor(np.ones(2, np.float32)))(x)
    assert dependent.dtype == np.float64
    assert constant.dtype == dependent.dtype
    np.testing.assert_array_equal(constant.data, np.zeros((2, 3)))


def test_jacobian_dtype_matches_torch_jacrev_for_a_constant_output():
    torch = pytest.importorskip("torch")
    from torch.func import jacrev

    expected = jacrev(lambda x: torch.ones(2, dtype=torch.float32))(torch.ones(3, dtype=torch.float64))
    got = ag.jacobian(lambda x: ag.tensor(np.ones(2, np.float32)))(np.ones(3))
    assert str(got.dtype) == str(expected.dtype).removeprefix("torch.")
    assert got.shape == tuple(expected.shape)


def test_a_transforms_result_of_an_input_whose_graph_was_freed_still_requires_grad_as_torch_func_grad():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    h = x * 3.0
    h.sum().backward()  # frees h's graph
    g = ag.grad(lambda u: (u * u).sum())(h)  # 2 h, which depends on h
    np.testing.assert_allclose(g.data, [6.0, 12.0])
    assert g.requires_grad  # (it was cut: the walk to a leaf stopped at h's freed graph)
    with pytest.raises(RuntimeError, match="freed"):  # as torch's: the way back to x is gone
        g.sum().backward()
    torch = pytest.importorskip("torch")
    xt = torch.tensor([1.0, 2.0], requires_grad=True)
    ht = xt * 3.0
    ht.sum().backward()
    assert torch.func.grad(lambda u: (u * u).sum())(ht).requires_grad


@pytest.mark.parametrize("transform", [ag.grad, ag.value_and_grad, ag.jacobian, ag.hessian,
                                       lambda f: ag.hessian(f, argnums=(0, 1))],
                         ids=["grad", "value_and_grad", "jacobian", "hessian", "hessian of two arguments"])
def test_a_transformed_function_keeps_the_functions_name_and_docstring(transform):
    def energy(x, y):
        """The energy."""
        return (x * y).sum()

    transformed = transform(energy)
    assert (transformed.__name__, transformed.__doc__) == ("energy", "The energy.")


@pytest.mark.parametrize("f, second_derivative", [
    (lambda u: (u ** 3).sum(), lambda x: 6 * x),
    (lambda u: ag.sin(u).sum(), lambda x: -np.sin(x)),
], ids=["cube", "sin"])
def test_a_transforms_result_never_backpropagates_through_its_inputs_changed_value(f, second_derivative):
    # g = f'(x) is recorded from the argument node, whose value is x's own array. After x changes in place, a
    # backward through g refuses, as torch.func.grad's does; it must not silently use the new value. (A change no
    # rule reads is refused too, where torch's backpropagates: the argument node cannot tell.)
    start = np.array([1.0, 2.0])
    x = ag.tensor(start, requires_grad=True)
    g = ag.grad(f)(x)
    with ag.no_grad():
        x += 1.0
    with pytest.raises(RuntimeError, match="changed in place"):  # (its rules read the value x had)
        g.sum().backward()
    assert second_derivative(start + 1.0).sum() != second_derivative(start).sum()  # the value it would have used


def test_pytorch_refuses_a_backward_through_a_transforms_result_whose_input_changed():
    torch = pytest.importorskip("torch")
    xt = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)
    gt = torch.func.grad(lambda u: (u ** 3).sum())(xt)
    with torch.no_grad():
        xt.add_(1.0)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        gt.sum().backward()
