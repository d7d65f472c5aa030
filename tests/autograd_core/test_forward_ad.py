"""ag.autograd.forward_ad, PyTorch's dual Tensors: tangents against ag.jvp, central finite differences and
torch.autograd.forward_ad; levels, primals and the errors."""
import gc
import weakref

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd_core as ag
import nn
from autograd_core.autograd import forward_ad as fwAD
from autograd_core.autograd.function import once_differentiable
from autograd_core.testing import strategies as ags
import conftest
from conftest import Cube

try:
    import torch
    import torch.autograd.forward_ad as torch_fwAD
except ImportError:  # the comparisons with PyTorch are skipped
    torch = None
needs_torch = pytest.mark.skipif(torch is None, reason="torch is not installed")


def _tangent(f, *pairs):
    """f's value and tangent through dual Tensors, for (primal, tangent) array pairs."""
    with fwAD.dual_level():
        out = f(*(fwAD.make_dual(ag.tensor(p), ag.tensor(t)) for p, t in pairs))
        primal, tangent = fwAD.unpack_dual(out)
    return primal.data, tangent.data


def _central_difference(f, primals, tangents, eps=1e-6):
    """(f(p + eps t) - f(p - eps t)) / 2 eps, f on plain Tensors."""
    plus = f(*(ag.tensor(p + eps * t) for p, t in zip(primals, tangents))).data
    minus = f(*(ag.tensor(p - eps * t) for p, t in zip(primals, tangents))).data
    return (plus - minus) / (2 * eps)


FUNCTIONS = {
    "tanh_mlp": lambda x, w: ag.tanh(x @ w).sum(axis=0) * 2.0,
    "softmax_broadcast": lambda x, w: ag.softmax(x * w[0], axis=-1) + w[1],
    "logsumexp_getitem": lambda x, w: ag.logsumexp(x[:, 1:], axis=1) * ag.exp(w[0, 0]),
    "division_power_where": lambda x, w: ag.where(x > 0, x ** 2, -x) / (1.0 + w[:1] ** 2),
}


@pytest.mark.parametrize("name", FUNCTIONS)
def test_tangents_are_ag_jvp_and_central_differences(name):
    f = FUNCTIONS[name]
    rng = np.random.default_rng(0)
    x, w = rng.normal(size=(4, 3)), rng.normal(size=(3, 3))
    vx, vw = rng.normal(size=x.shape), rng.normal(size=w.shape)
    value, tangent = _tangent(f, (x, vx), (w, vw))
    expected_value, expected = ag.jvp(f, (x, w), (vx, vw))
    np.testing.assert_allclose(value, expected_value.data, rtol=1e-12)
    np.testing.assert_allclose(tangent, expected.data, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(tangent, _central_difference(f, (x, w), (vx, vw)), rtol=1e-5, atol=1e-7)


BINARY = {"add": lambda a, b: a + b, "multiply": lambda a, b: a * b, "divide": lambda a, b: a / (b * b + 1.0),
          "hypot": ag.hypot, "arctan2": ag.arctan2, "maximum_smooth": lambda a, b: ag.sin(a) * ag.exp(b)}


@settings(max_examples=25, deadline=None)
@given(name=st.sampled_from(sorted(BINARY)), shapes=ags.broadcastable_shapes(2, max_dims=3, max_side=3),
       data=st.data())
def test_broadcasting_binary_tangents_are_central_differences(name, shapes, data):
    f = BINARY[name]
    values = [data.draw(ags.float_arrays(shape, elements=ags.elements(-3.0, 3.0, avoid=(0.0,), margin=0.1)))
              for shape in shapes]
    tangents = [data.draw(ags.float_arrays(shape, elements=ags.elements(-1.0, 1.0))) for shape in shapes]
    value, tangent = _tangent(f, *zip(values, tangents))
    np.testing.assert_allclose(value, f(*map(ag.tensor, values)).data)
    assert tangent.shape == value.shape
    np.testing.assert_allclose(tangent, _central_difference(f, values, tangents), rtol=1e-5, atol=1e-6)


@needs_torch
@pytest.mark.parametrize("name", FUNCTIONS)
def test_tangents_match_torch_forward_ad(name):
    f = FUNCTIONS[name]
    torch_f = {"tanh_mlp": lambda x, w: torch.tanh(x @ w).sum(0) * 2.0,
               "softmax_broadcast": lambda x, w: torch.softmax(x * w[0], -1) + w[1],
               "logsumexp_getitem": lambda x, w: torch.logsumexp(x[:, 1:], 1) * torch.exp(w[0, 0]),
               "division_power_where": lambda x, w: torch.where(x > 0, x ** 2, -x) / (1.0 + w[:1] ** 2)}[name]
    rng = np.random.default_rng(1)
    x, w = rng.normal(size=(4, 3)), rng.normal(size=(3, 3))
    vx, vw = rng.normal(size=x.shape), rng.normal(size=w.shape)
    value, tangent = _tangent(f, (x, vx), (w, vw))
    with torch_fwAD.dual_level():
        out = torch_f(*(torch_fwAD.make_dual(torch.tensor(p), torch.tensor(t)) for p, t in ((x, vx), (w, vw))))
        expected_value, expected = torch_fwAD.unpack_dual(out)
    np.testing.assert_allclose(value, expected_value.numpy(), rtol=1e-12)
    np.testing.assert_allclose(tangent, expected.numpy(), rtol=1e-10, atol=1e-12)


def test_tangents_flow_through_an_nn_module():
    model = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2)).double()
    x, v = np.random.default_rng(2).normal(size=(5, 3)), np.ones((5, 3))
    with fwAD.dual_level():
        _, tangent = fwAD.unpack_dual(model(fwAD.make_dual(ag.tensor(x), ag.tensor(v))))
    _, expected = ag.jvp(model, (x,), (v,))
    np.testing.assert_allclose(tangent.data, expected.data, rtol=1e-12)
    # The parameters require grad, so the tangent is recorded: sum(tangent) = sum_b (u_b . W2 rows), u the hidden
    # layer's tangent (1 - tanh^2(x W1^T + b1)) * (v W1^T), so its gradient in W2 is sum_b u_b in each row.
    first, last = model[0], model[2]
    (w2_grad,) = ag.autograd.grad(tangent.sum(), [last.weight])
    u = (1 - np.tanh(x @ first.weight.data.T + first.bias.data) ** 2) * (v @ first.weight.data.T)
    np.testing.assert_allclose(w2_grad.data, np.tile(u.sum(axis=0), (2, 1)), rtol=1e-12)


def test_the_dual_tensor_gives_its_tangent_as_it_is_and_its_primal_without_one():
    x, v = ag.tensor([1.0, 2.0]), ag.tensor([0.5, -1.0])
    with fwAD.dual_level() as level:
        assert level == 0
        dual = fwAD.make_dual(x, v)
        primal, tangent = fwAD.unpack_dual(dual)
        assert tangent is v
        assert not primal.requires_grad and fwAD.unpack_dual(primal * 2).tangent is None
        assert np.shares_memory(dual.data, x.data)  # (PyTorch's dual is a view of its primal)
        y = dual * 3
        assert fwAD.unpack_dual(y).tangent is fwAD.unpack_dual(y).tangent  # computed once per level
        np.testing.assert_array_equal(fwAD.unpack_dual(ag.floor(dual)).tangent.data, [0.0, 0.0])  # as PyTorch's
    assert fwAD.unpack_dual(y).tangent is None  # the level's tangents are gone with it
    plain = ag.tensor(1.0)
    assert fwAD.unpack_dual(plain).primal is plain and fwAD.unpack_dual(plain).tangent is None


def test_backward_of_forward_gives_a_hessian_vector_product():
    x0, v = np.array([0.3, -1.2, 2.0]), np.array([1.0, 0.5, -2.0])
    f = lambda x: (ag.sin(x) * x.sum()).sum()
    x = ag.tensor(x0, requires_grad=True)
    with fwAD.dual_level():
        out = f(fwAD.make_dual(x, ag.tensor(v)))
        primal, tangent = fwAD.unpack_dual(out)
        assert primal.requires_grad  # backward-differentiable to x, as PyTorch's
        tangent.backward(retain_graph=True)  # (the tangent's graph shares the primal's nodes)
    np.testing.assert_allclose(x.grad.data, ag.hvp(f, (x0,), (v,))[1][0].data, rtol=1e-12)
    x.grad = None
    primal.backward()
    np.testing.assert_allclose(x.grad.data, ag.grad(f)(x0).data, rtol=1e-12)


def test_an_unpacked_primal_that_requires_grad_carries_no_tangent():
    x = ag.tensor([0.4, 1.1], requires_grad=True)
    with fwAD.dual_level():
        y = ag.sin(fwAD.make_dual(x, ag.tensor([1.0, 1.0])))
        primal, tangent = fwAD.unpack_dual(y)
        assert fwAD.unpack_dual(primal * 3).tangent is None
        # d(primal * y) = primal dy: the primal is held constant, as PyTorch's
        np.testing.assert_allclose(fwAD.unpack_dual(primal * y).tangent.data, np.sin(x.data) * np.cos(x.data))
        (primal * 2).sum().backward()
    np.testing.assert_allclose(x.grad.data, 2 * np.cos(x.data))


@needs_torch
def test_primal_and_tangent_of_a_dual_made_from_a_tensor_that_requires_grad_match_torch():
    x0, v = np.array([0.4, 1.1]), np.array([1.0, -2.0])
    x = ag.tensor(x0, requires_grad=True)
    tx = torch.tensor(x0, requires_grad=True)
    with fwAD.dual_level(), torch_fwAD.dual_level():
        primal, tangent = fwAD.unpack_dual(ag.exp(fwAD.make_dual(x, ag.tensor(v))) * x)
        tprimal, ttangent = torch_fwAD.unpack_dual(torch.exp(torch_fwAD.make_dual(tx, torch.tensor(v))) * tx)
        np.testing.assert_allclose(tangent.data, ttangent.detach().numpy(), rtol=1e-12)
        (primal.sum() + tangent.sum()).backward()
        (tprimal.sum() + ttangent.sum()).backward()
    np.testing.assert_allclose(x.grad.data, tx.grad.numpy(), rtol=1e-12)


def test_a_function_with_a_recorded_backward_carries_tangents():
    _, tangent = _tangent(Cube.apply, (np.array([1.0, 2.0]), np.array([1.0, 0.5])))
    np.testing.assert_allclose(tangent, [3.0, 6.0])


@pytest.mark.parametrize("weight_requires_grad", [False, True])
def test_a_level_holds_its_dual_tensors_and_their_results_weakly(weight_requires_grad):
    weight = ag.tensor([1.0, 2.0], requires_grad=weight_requires_grad)
    gc.disable()  # reference counting alone frees them: no cycle through the level's registries
    try:
        with fwAD.dual_level():
            dual = fwAD.make_dual(ag.tensor([0.5, 1.5]), ag.ones(2))
            y = ag.exp(dual * weight)
            primal, tangent = fwAD.unpack_dual(y)
            fwAD.unpack_dual(primal * y)
            alive = [weakref.ref(t) for t in (dual, y, primal, tangent)]
            del dual, y, primal, tangent
            assert [ref() for ref in alive] == [None] * 4
    finally:
        gc.enable()


def test_a_tangent_after_a_backward_that_freed_its_graph_is_refused_not_none():
    with fwAD.dual_level():
        y = ag.sin(fwAD.make_dual(ag.tensor([0.1, 0.2]), ag.ones(2)))
        kept = y * 2
        np.testing.assert_allclose(fwAD.unpack_dual(kept).tangent.data, 2 * np.cos([0.1, 0.2]))
        y.sum().backward()
        with pytest.raises(RuntimeError, match="backward pass freed part of this Tensor's graph.*retain_graph=True"):
            fwAD.unpack_dual(y)
        np.testing.assert_allclose(fwAD.unpack_dual(kept).tangent.data, 2 * np.cos([0.1, 0.2]))  # (computed before)


def test_dual_level_is_a_decorator_too():
    @fwAD.dual_level()
    def derivative(x0):
        return fwAD.unpack_dual(ag.tanh(fwAD.make_dual(ag.tensor(x0), ag.tensor(1.0)))).tangent

    assert float(derivative(0.5)) == pytest.approx(1 - np.tanh(0.5) ** 2, rel=1e-12)
    assert not fwAD._levels


def test_errors_name_the_way():
    with pytest.raises(RuntimeError, match="no level exists.*enter_dual_level"):
        fwAD.make_dual(ag.tensor(1.0), ag.tensor(1.0))
    with pytest.raises(RuntimeError, match="no dual level is open to exit"):
        fwAD.exit_dual_level()
    with fwAD.dual_level():
        with pytest.raises(RuntimeError, match="nested forward mode AD is not supported"):
            fwAD.enter_dual_level()
        with pytest.raises(RuntimeError, match=r"the Tensor has shape \(2,\), the forward gradient \(3,\)"):
            fwAD.make_dual(ag.ones(2), ag.ones(3))
        with pytest.raises(ValueError, match="expected primal to be floating point, but got int64"):
            fwAD.make_dual(ag.tensor([1, 2]), ag.ones(2))
        with pytest.raises(ValueError, match="expected tangent to be floating point"):
            fwAD.make_dual(ag.ones(2), ag.tensor([1, 2]))
        with pytest.raises(TypeError, match="tangent must be a Tensor, got ndarray"):
            fwAD.make_dual(ag.ones(2), np.ones(2))
        dual = fwAD.make_dual(ag.ones(2), ag.ones(2))
        with pytest.raises(RuntimeError, match="already has a forward gradient at the same level 0"):
            fwAD.make_dual(dual * 2, ag.ones(2))
        with pytest.raises(RuntimeError, match="level=1 is not the open dual level"):
            fwAD.unpack_dual(dual, level=1)
        with pytest.raises(RuntimeError, match="grad mode is off"), ag.no_grad():
            fwAD.make_dual(ag.ones(2), ag.ones(2))
        with pytest.raises(RuntimeError, match="only the last level created can be exited"):
            fwAD.exit_dual_level(level=3)
    assert not fwAD._levels


@needs_torch
def test_errors_are_torchs():
    with pytest.raises(RuntimeError, match="no level exists"):
        torch_fwAD.make_dual(torch.ones(1), torch.ones(1))
    with torch_fwAD.dual_level():
        with pytest.raises(RuntimeError, match="(?i)nested forward mode AD is not supported"):
            torch_fwAD.enter_dual_level()
        dual = torch_fwAD.make_dual(torch.ones(2), torch.ones(2))
        with pytest.raises(RuntimeError, match="already has a forward gradient at the same level 0"):
            torch_fwAD.make_dual(dual * 2, torch.ones(2))


class SinCos(ag.Function):
    """Two outputs, a number input and one passed as it is; backward on arrays only, so forward mode needs jvp."""

    @staticmethod
    def forward(ctx, x, scale, label):
        ctx.save_for_backward(x, scale)
        ctx.save_for_forward(x, scale)
        return np.sin(x) * scale, np.cos(x)

    @staticmethod
    @once_differentiable
    def backward(ctx, g_sin, g_cos):
        x, scale = ctx.saved_tensors
        return g_sin * np.cos(x) * scale - g_cos * np.sin(x), (g_sin * np.sin(x)).sum(), None

    @staticmethod
    def jvp(ctx, x_tangent, scale_tangent, label_tangent):
        assert label_tangent is None  # (an input passed as it is has none)
        x, scale = ctx.saved_tensors
        return x_tangent * np.cos(x) * scale + scale_tangent * np.sin(x), -x_tangent * np.sin(x)


def test_a_function_whose_backward_is_not_recorded_carries_tangents_through_its_jvp():
    x0, scale0, vx, vscale = np.array([0.3, 1.0]), np.array(2.0), np.array([1.0, -1.0]), np.array(0.5)
    with fwAD.dual_level():
        x = fwAD.make_dual(ag.tensor(x0), ag.tensor(vx))
        sin, cos = SinCos.apply(x, fwAD.make_dual(ag.tensor(scale0), ag.tensor(vscale)), "label")
        sin_tangent, cos_tangent = fwAD.unpack_dual(sin).tangent, fwAD.unpack_dual(cos * x).tangent
    np.testing.assert_allclose(sin_tangent.data, vx * np.cos(x0) * scale0 + vscale * np.sin(x0), rtol=1e-12)
    np.testing.assert_allclose(cos_tangent.data, -vx * np.sin(x0) * x0 + np.cos(x0) * vx, rtol=1e-12)
    # ag.jvp goes through it too, and agrees with central differences
    f = lambda x, scale: SinCos.apply(x, scale, "label")[0]
    np.testing.assert_allclose(ag.jvp(f, (x0, scale0), (vx, vscale))[1].data,
                               _central_difference(f, (x0, scale0), (vx, vscale)), rtol=1e-6)
    if torch is None:
        return

    class TorchSinCos(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x, scale):
            ctx.save_for_forward(x, scale)
            return torch.sin(x) * scale, torch.cos(x)

        @staticmethod
        def jvp(ctx, x_tangent, scale_tangent):
            x, scale = ctx.saved_tensors
            return x_tangent * torch.cos(x) * scale + scale_tangent * torch.sin(x), -x_tangent * torch.sin(x)

    with torch_fwAD.dual_level():
        tx = torch_fwAD.make_dual(torch.tensor(x0), torch.tensor(vx))
        tsin, tcos = TorchSinCos.apply(tx, torch_fwAD.make_dual(torch.tensor(scale0), torch.tensor(vscale)))
        np.testing.assert_allclose(sin_tangent.data, torch_fwAD.unpack_dual(tsin).tangent.numpy(), rtol=1e-12)
        np.testing.assert_allclose(cos_tangent.data, torch_fwAD.unpack_dual(tcos * tx).tangent.numpy(), rtol=1e-12)


def test_a_tangent_through_a_functions_jvp_is_not_differentiable_again_and_says_so():
    weight = ag.tensor(2.0, requires_grad=True)
    with fwAD.dual_level():
        sin, _ = SinCos.apply(fwAD.make_dual(ag.tensor([0.3, 1.0]), ag.tensor([1.0, -1.0])), weight, "label")
        tangent = fwAD.unpack_dual(sin * weight).tangent  # computed: it is recorded, as weight requires grad
        np.testing.assert_allclose(tangent.data, 4.0 * np.cos([0.3, 1.0]) * [1.0, -1.0], rtol=1e-12)
        with pytest.raises(RuntimeError, match="differentiate twice.*@once_differentiable: SinCos.backward"):
            tangent.sum().backward()


def test_without_jvp_a_backward_that_is_not_recorded_refuses_forward_mode():
    class Cube(conftest.Cube):  # its backward not recorded
        backward = staticmethod(once_differentiable(conftest.Cube.backward))

    with fwAD.dual_level():
        y = Cube.apply(fwAD.make_dual(ag.tensor([1.0]), ag.tensor([1.0])))
        with pytest.raises(RuntimeError, match="@once_differentiable: Cube.backward"):
            fwAD.unpack_dual(y)


def test_the_forward_ad_tutorials_module_recipes_give_the_linear_layers_tangent():
    """PyTorch's forward-mode AD tutorial, its two ways with a module: parameters swapped for dual Tensors by
    delattr/setattr, and functional_call with dual parameters."""
    rng = np.random.default_rng(3)
    x = ag.tensor(rng.normal(size=(16, 5)))
    for swap in (True, False):
        model = nn.Linear(5, 5).double()
        params = dict(model.named_parameters())
        tangents = {name: ag.tensor(rng.random(p.shape)) for name, p in params.items()}
        with fwAD.dual_level():
            if swap:
                for name, p in params.items():
                    delattr(model, name)
                    setattr(model, name, fwAD.make_dual(p, tangents[name]))
                out = model(x)
            else:
                dual_params = {name: fwAD.make_dual(p, tangents[name]) for name, p in params.items()}
                out = nn.func.functional_call(model, dual_params, (x,))
            jvp = fwAD.unpack_dual(out).tangent
        np.testing.assert_allclose(jvp.data, x.data @ tangents["weight"].data.T + tangents["bias"].data, rtol=1e-12)


def test_a_tangent_that_requires_grad_gets_its_gradient_through_the_tangent():
    v = ag.tensor([1.0, 2.0], requires_grad=True)
    with fwAD.dual_level():
        tangent = fwAD.unpack_dual(ag.sin(fwAD.make_dual(ag.tensor([0.1, 0.2]), v))).tangent
        tangent.sum().backward()
    np.testing.assert_allclose(v.grad.data, np.cos([0.1, 0.2]), rtol=1e-12)


# ---- found by porting PyTorch's TestAutogradForwardMode -----------------------------------------------------------
def test_a_recorded_in_place_change_updates_the_tangent_not_its_cached_value():
    """Before the fix the tangent cached by an earlier unpack_dual stayed (a rebased Tensor restarts its version
    count), and a dual Tensor changed in place kept its given tangent, as if `dual *= 2` were no change."""
    with fwAD.dual_level():
        d = fwAD.make_dual(ag.tensor([1.0, 2.0]), ag.tensor([1.0, 1.0]))
        y = d * 3
        assert fwAD.unpack_dual(y).tangent.tolist() == [3.0, 3.0]
        y *= 2
        assert fwAD.unpack_dual(y).tangent.tolist() == [6.0, 6.0]
        y.exp_()
        np.testing.assert_allclose(fwAD.unpack_dual(y).tangent.data, 6 * np.exp([6.0, 12.0]))
        y[1:].mul_(2)  # through a view
        np.testing.assert_allclose(fwAD.unpack_dual(y).tangent.data, [6 * np.exp(6.0), 12 * np.exp(12.0)])
    x = ag.tensor([1.0, 2.0], requires_grad=True)  # a dual Tensor that is a node, so changes in place are recorded
    with fwAD.dual_level():
        dual = fwAD.make_dual(x, ag.tensor([1.0, 1.0]))
        dual *= 2
        assert fwAD.unpack_dual(dual).tangent.tolist() == [2.0, 2.0]
        view = dual.narrow(0, 0, 1)
        view *= 3
        assert fwAD.unpack_dual(dual).tangent.tolist() == [6.0, 2.0]
        assert fwAD.unpack_dual(view).tangent.tolist() == [6.0]
        primal, tangent = fwAD.unpack_dual(dual)
        primal *= 2  # the primal carries no tangent, after the change either, and leaves dual's
        assert fwAD.unpack_dual(primal).tangent is None and fwAD.unpack_dual(dual).tangent.tolist() == [6.0, 2.0]
    if torch is not None:
        with torch_fwAD.dual_level():
            dual = torch_fwAD.make_dual(torch.tensor([1.0, 2.0]), torch.tensor([1.0, 1.0])) * 1
            dual *= 2
            view = dual.narrow(0, 0, 1)
            view *= 3
            assert torch_fwAD.unpack_dual(dual).tangent.tolist() == [6.0, 2.0]


def test_a_dual_tensors_own_tangent_stays_the_given_one_after_a_change_under_no_grad():
    foo, bar = ag.rand(2), ag.ones(2)
    with fwAD.dual_level():
        dual = fwAD.make_dual(foo, bar)
        with ag.no_grad():
            foo.add_(1)
        assert foo._version == dual._version
        assert fwAD.unpack_dual(dual).tangent is bar  # as PyTorch's (before: a new Tensor equal to it)


def test_the_repr_shows_a_tangent_as_pytorchs():
    """Inside a level a Tensor carrying a tangent shows it, as PyTorch's `tensor([...], tangent=tensor([...]))`; the
    Tensor it was made from, the primal and the tangent themselves do not, nor anything once the level is gone."""
    with fwAD.dual_level():
        a = ag.tensor([1.0, 2.0])
        b = fwAD.make_dual(a, ag.tensor([1.0, 0.0]))
        assert "tangent=" not in repr(a)
        assert repr(b) == "Tensor([1., 2.], requires_grad=True, tangent=Tensor([1., 0.]))"
        assert str(b * 2) == "Tensor([2., 4.], op=multiply, tangent=Tensor([2., 0.]))"
        primal, tangent = fwAD.unpack_dual(b)
        assert "tangent=" not in str(primal) and "tangent=" not in str(tangent)
        w = ag.tensor(3.0, requires_grad=True)
        y = (b * w).sum()
        y.backward()  # (its graph freed: the tangent cannot be computed now, and the repr shows the value alone)
        assert repr(y) == "Tensor(9., op=sum)"
        if torch is not None:
            with torch_fwAD.dual_level():
                theirs = torch_fwAD.make_dual(torch.tensor([1.0, 2.0]), torch.tensor([1.0, 0.0]))
                assert str(theirs * 2) == "tensor([2., 4.], tangent=tensor([2., 0.]))"
    assert repr(b) == "Tensor([1., 2.], requires_grad=True)"


def test_a_tangent_carrying_a_tangent_at_the_same_level_is_refused_as_torch():
    """make_dual(baz, dual) took a dual Tensor as the tangent (PyTorch's test_set_fw_grad_having_own_fw_grad...)."""
    foo, bar, baz = ag.rand(2), ag.rand(2), ag.rand(2)
    with fwAD.dual_level():
        dual = fwAD.make_dual(foo, bar)
        for tangent in (dual, dual * 2):
            with pytest.raises(RuntimeError, match=r"make_dual: trying to set a forward gradient that has a forward "
                                                   r"gradient at the same level 0"):
                fwAD.make_dual(baz, tangent)
        primal, _ = fwAD.unpack_dual(dual * 2)  # its primal carries none: taken
        assert fwAD.unpack_dual(fwAD.make_dual(baz, primal)).tangent is primal
        w = ag.tensor([1.0, 2.0], requires_grad=True)  # a tangent that requires grad, with no tangent, is taken
        assert fwAD.unpack_dual(fwAD.make_dual(baz, w)).tangent is w
    if torch is not None:
        with torch_fwAD.dual_level():
            theirs = torch_fwAD.make_dual(torch.rand(2), torch.rand(2))
            with pytest.raises(RuntimeError, match="has a forward gradient at the same level"):
                torch_fwAD.make_dual(torch.rand(2), theirs)
