"""PyTorch's torch.autograd names (autograd_core/autograd.py): ag.autograd.Function, ag.autograd.backward and
ag.autograd.grad, with PyTorch's arguments; the values are written out (PyTorch's own, checked against it where it
is installed)."""
import warnings

import numpy as np
import pytest

import autograd_core as ag
import nn
from autograd_core.testing import numerical_grad

try:
    import torch
except ImportError:
    torch = None


def test_function_is_the_engines():
    assert ag.autograd.Function is ag.Function


def test_grad_returns_the_gradients_without_touching_grad():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    (g,) = ag.autograd.grad((x ** 2).sum(), x)
    np.testing.assert_array_equal(g.data, [2.0, 4.0])
    assert x.grad is None


def test_grad_with_create_graph_differentiates_again():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    (g,) = ag.autograd.grad((x ** 3).sum(), x, create_graph=True)
    np.testing.assert_array_equal(g.data, [3.0, 12.0])
    (gg,) = ag.autograd.grad(g.sum(), x)
    np.testing.assert_array_equal(gg.data, [6.0, 12.0])


def test_grad_of_several_outputs_and_grad_outputs():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    w = ag.tensor(3.0, requires_grad=True)
    gx, gw = ag.autograd.grad([x.sum(), (x * w).sum()], [x, w])
    np.testing.assert_array_equal(gx.data, [4.0, 4.0])
    assert gw.item() == 3.0
    (v,) = ag.autograd.grad(x * 2, x, grad_outputs=ag.tensor([1.0, 10.0]))
    np.testing.assert_array_equal(v.data, [2.0, 20.0])
    with pytest.raises(RuntimeError, match="output 1 has shape"):
        ag.autograd.grad([x.sum(), x * 2], x)


def test_grad_of_several_outputs_is_one_pass_seeding_each_output():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    y = x * 3
    (g,) = ag.autograd.grad([x.sum(), y, y], [x], [None, ag.tensor([1.0, -1.0]), ag.tensor([2.0, 0.0])])
    np.testing.assert_array_equal(g.data, [1.0 + 3.0 + 6.0, 1.0 - 3.0])  # y given twice: its seeds summed
    with pytest.raises(RuntimeError, match="autograd.grad: output 1 does not require grad"):  # as PyTorch's
        ag.autograd.grad([x.sum(), ag.tensor(1.0)], [x])


def test_unused_inputs_and_a_freed_graph_are_refused_as_pytorch():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    w = ag.tensor(3.0, requires_grad=True)
    with pytest.raises(RuntimeError, match="input 1 .* was not used.*allow_unused=True"):
        ag.autograd.grad((x * 2).sum(), [x, w])
    assert ag.autograd.grad((x * 2).sum(), [x, w], allow_unused=True)[1] is None
    assert ag.autograd.grad((x * 2).sum(), [x, w], materialize_grads=True)[1].item() == 0.0
    with pytest.raises(RuntimeError, match="input 0 does not require grad"):
        ag.autograd.grad((x * 2).sum(), [ag.ones(2)])
    loss = (x * 2).sum()
    ag.autograd.grad(loss, x)
    with pytest.raises(RuntimeError, match="second time"):
        ag.autograd.grad(loss, x)
    kept = (x * 2).sum()
    ag.autograd.grad(kept, x, retain_graph=True)
    np.testing.assert_array_equal(ag.autograd.grad(kept, x)[0].data, [2.0, 2.0])


def test_a_result_whose_graph_an_earlier_pass_freed_is_refused_as_a_second_pass_not_as_unused():
    # PyTorch: "Trying to backward through the graph a second time"; the freed nodes lead nowhere here, so that
    # the input was reached by no path, and that error named the input "not used" instead
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    (g,) = ag.autograd.grad((x ** 3).sum(), x, create_graph=True)
    np.testing.assert_array_equal(ag.autograd.grad(g.sum(), x)[0].data, [6.0, 12.0])  # frees g's graph
    with pytest.raises(RuntimeError, match="second time"):
        ag.autograd.grad((g * g).sum(), x)
    y = x * 2
    (y * y).sum().backward()
    with pytest.raises(RuntimeError, match="second time: the 'multiply' node's record"):
        ag.autograd.grad((y * 3).sum(), x)


def test_a_pass_to_a_result_leaves_that_results_own_record_for_a_later_pass():
    # MAML (vmikulik's sine notebook): the inner gradient is taken to clones of the weights, and the meta-loss later
    # backpropagates through the clones to the weights. PyTorch's grad runs no input's grad_fn, so the clone's record
    # stays; the nodes between the loss and the clone are freed as before
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    fast = w.clone()
    inner = (fast * fast).sum()
    (g,) = ag.autograd.grad(inner, [fast])
    np.testing.assert_array_equal(g.data, [2.0, 4.0])
    fast = fast - 0.1 * g  # first order: g is a constant
    (meta,) = ag.autograd.grad((3 * fast).sum(), [w])
    np.testing.assert_array_equal(meta.data, [3.0, 3.0])
    with pytest.raises(RuntimeError, match="second time"):
        ag.autograd.grad(inner, [fast])
    # an input behind another input is passed through (and freed), as PyTorch's grad_fn there runs
    a = ag.tensor(2.0, requires_grad=True)
    b = a * 3
    c = b * b
    assert [t.item() for t in ag.autograd.grad(c, [b, a])] == [12.0, 36.0]
    with pytest.raises(RuntimeError, match="second time"):
        (b * 1).backward()
    # Tensor.backward(inputs=) stops there too
    v = ag.tensor([1.0, -1.0], requires_grad=True)
    u = v.exp()
    (u * u).sum().backward(inputs=[u])
    u.sum().backward()
    np.testing.assert_allclose(v.grad.data, np.exp([1.0, -1.0]), rtol=1e-15)
    if torch is not None:
        tw = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)
        tfast = tw.clone()
        (tg,) = torch.autograd.grad((tfast * tfast).sum(), [tfast])
        tfast = tfast - 0.1 * tg
        np.testing.assert_array_equal(meta.data, torch.autograd.grad((3 * tfast).sum(), [tw])[0].numpy())


@pytest.mark.skipif(torch is None, reason="needs torch")
def test_grad_matches_torch():
    a = np.array([0.5, -1.5, 2.0])
    x, tx = ag.tensor(a, requires_grad=True), torch.tensor(a, requires_grad=True)
    ours = ag.autograd.grad([ag.tanh(x).sum(), (x * x)], x, grad_outputs=[None, ag.tensor([1.0, 2.0, 3.0])])
    theirs = torch.autograd.grad([torch.tanh(tx).sum(), tx * tx], tx, grad_outputs=[None, torch.tensor([1.0, 2.0, 3.0],
                                                                                                       dtype=torch.float64)])
    np.testing.assert_allclose(ours[0].data, theirs[0].numpy(), rtol=1e-15)


def test_backward_is_listed_in_the_namespace():
    assert "backward" in ag.autograd.__all__ and callable(ag.autograd.backward)


def _several_outputs(lib):
    """x = [1, 2], w = 3: backward of sum(x w) and 2 x weighted by [1, 10]."""
    x = lib.tensor(np.array([1.0, 2.0]), requires_grad=True)
    w = lib.tensor(np.array(3.0), requires_grad=True)
    lib.autograd.backward([(x * w).sum(), x * 2], [None, lib.tensor(np.array([1.0, 10.0]))])
    return x, w


def test_backward_of_several_outputs_sums_their_gradients_into_grad():
    x, w = _several_outputs(ag)
    np.testing.assert_array_equal(x.grad.data, [5.0, 23.0])  # w + 2 [1, 10]
    assert w.grad.item() == 3.0  # sum(x)


def test_backward_of_several_outputs_matches_torch():
    torch = pytest.importorskip("torch")
    (x, w), (tx, tw) = _several_outputs(ag), _several_outputs(torch)
    np.testing.assert_array_equal(x.grad.data, tx.grad.numpy())
    assert w.grad.item() == tw.grad.item()


def test_backward_visits_a_node_the_outputs_share_once_with_their_summed_gradient():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    h = x * 3
    seen = []
    h.register_hook(lambda grad: seen.append(grad.data.copy()))
    ag.autograd.backward([h.sum(), (h * h).sum()])
    assert len(seen) == 1
    np.testing.assert_array_equal(seen[0], [7.0, 13.0])  # 1 + 2 h, h = [3, 6]
    np.testing.assert_array_equal(x.grad.data, [21.0, 39.0])
    y = (x * x).sum()
    x.grad = None
    ag.autograd.backward([y, y])  # one output given twice: its seeds add up, as PyTorch's
    np.testing.assert_array_equal(x.grad.data, [4.0, 8.0])


def test_backward_takes_one_gradient_per_output():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    ag.autograd.backward(x * 2, ag.tensor([1.0, -1.0]))  # a Tensor alone for a Tensor alone
    np.testing.assert_array_equal(x.grad.data, [2.0, -2.0])
    ag.autograd.backward([x * 2], np.array([1.0, 1.0]))  # an array is one gradient, not one per row
    np.testing.assert_array_equal(x.grad.data, [4.0, 0.0])
    with pytest.raises(ValueError, match="autograd.backward: grad_tensors has 1 entries for 2 outputs; give one per"):
        ag.autograd.backward([x.sum(), x * 2], [None])
    with pytest.raises(RuntimeError, match=r"autograd.backward: output 1 has shape \(2,\): give its grad_tensors"):
        ag.autograd.backward([x.sum(), x * 2])
    with pytest.raises(RuntimeError, match="autograd.backward: output 1 does not require grad"):
        ag.autograd.backward([x.sum(), ag.tensor(1.0)])
    with pytest.raises(ValueError, match=r"autograd.backward: gradient has shape \(3,\) but output 1 has shape"):
        ag.autograd.backward([x.sum(), x * 2], [None, ag.ones(3)])
    np.testing.assert_array_equal(x.grad.data, [4.0, 0.0])  # refused before any pass
    ag.autograd.backward([])  # nothing to do, as PyTorch's


def test_backward_retains_the_graph_when_creating_one_and_frees_it_otherwise():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    y = (x ** 3).sum()
    ag.autograd.backward(y, create_graph=True)
    np.testing.assert_array_equal(x.grad.data, [3.0, 12.0])  # 3 x^2
    (gg,) = ag.autograd.grad(x.grad.sum(), x)
    np.testing.assert_array_equal(gg.data, [6.0, 12.0])  # 6 x
    ag.autograd.backward(y)  # retain_graph defaulted to create_graph: the graph is still there
    np.testing.assert_array_equal(x.grad.data, [6.0, 24.0])
    with pytest.raises(RuntimeError, match="second time"):
        ag.autograd.backward(y)


def _backward_with_inputs(lib):
    x = lib.tensor(np.array([1.0, 2.0]), requires_grad=True)
    w = lib.tensor(np.array(3.0), requires_grad=True)
    lib.autograd.backward([(x * w).sum(), (x * w * w).sum()], inputs=w)
    return x, w


def test_backward_with_inputs_fills_only_theirs():
    x, w = _backward_with_inputs(ag)
    assert x.grad is None
    assert w.grad.item() == 21.0  # sum(x) + 2 w sum(x)
    with pytest.raises(RuntimeError, match="autograd.backward: inputs is empty"):
        ag.autograd.backward([(x * w).sum()], inputs=[])


def test_backward_with_inputs_matches_torch():
    torch = pytest.importorskip("torch")
    (x, w), (tx, tw) = _backward_with_inputs(ag), _backward_with_inputs(torch)
    assert x.grad is None and tx.grad is None
    assert w.grad.item() == tw.grad.item()


def test_backward_never_hands_a_callers_gradient_array_to_grad():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    z = ag.tensor([3.0], requires_grad=True)
    gx, gz = np.array([1.0, 1.0]), np.array([2.0])
    ag.autograd.backward([x, z], [gx, gz])
    gx += 1
    gz += 1
    np.testing.assert_array_equal(x.grad.data, [1.0, 1.0])
    np.testing.assert_array_equal(z.grad.data, [2.0])


def test_backward_of_random_outputs_matches_finite_differences():
    rng = np.random.default_rng(1)
    a, v = rng.normal(size=3), rng.normal(size=3)
    x = ag.tensor(a, requires_grad=True)
    ag.autograd.backward([ag.tanh(x).sum(), ag.exp(x)], [None, ag.tensor(v)])

    def weighted(x):
        return ag.tanh(x).sum() + (ag.exp(x) * v).sum()

    np.testing.assert_allclose(x.grad.data, numerical_grad(weighted, a)[0], rtol=1e-6, atol=1e-8)


def test_variable_is_the_tensor_cut_from_its_graph_sharing_memory():
    # the BiLSTM-CRF tutorial before PyTorch 0.4: autograd.Variable(torch.LongTensor(idxs)), Variable(init_alphas)
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    v = ag.autograd.Variable(w * 3)
    assert v.is_leaf and not v.requires_grad and v.tolist() == [3.0, 6.0]
    base = ag.zeros(2)
    leaf = ag.autograd.Variable(base, requires_grad=True)
    assert leaf.is_leaf and leaf.requires_grad and not base.requires_grad and leaf is not base
    with ag.no_grad():
        base += 1.0  # the memory is shared, as PyTorch's Variable(t) shares t's
    assert leaf.tolist() == [1.0, 1.0]
    (leaf * ag.tensor([2.0, 5.0])).sum().backward()
    assert leaf.grad.tolist() == [2.0, 5.0]
    with pytest.raises(TypeError, match=r"autograd.Variable: data must be a Tensor, got list .*ag.tensor"):
        ag.autograd.Variable([1.0, 2.0])
    with pytest.raises(TypeError, match="autograd.Variable: requires_grad must be True or False"):
        ag.autograd.Variable(base, requires_grad="yes")


def test_variable_of_a_tensors_data_shares_its_memory_as_torchs_variable_of_p_data():
    # moskomule/ewc.pytorch: precision_matrices[n] = Variable(p.data) of a zeroed copy, then .data += grad ** 2
    p = ag.tensor([1.0, -2.0], requires_grad=True)
    v = ag.autograd.Variable(p.data)
    assert np.shares_memory(v.data, p.data) and not v.requires_grad and v.is_leaf
    v.data += np.array([0.5, 0.25])
    assert p.tolist() == [1.5, -1.75]
    leaf = ag.autograd.Variable(np.arange(3.0), requires_grad=True)
    (leaf ** 2).sum().backward()
    assert leaf.grad.tolist() == [0.0, 2.0, 4.0]
    assert ag.autograd.Variable(np.arange(2)).dtype == np.int64  # the array's dtype, kept
    if torch is not None:
        t = torch.tensor([1.0, -2.0], requires_grad=True)
        tv = torch.autograd.Variable(t.data)
        tv.data += torch.tensor([0.5, 0.25])
        assert t.tolist() == p.tolist() and tv.requires_grad == v.requires_grad


def test_variable_matches_torch():
    torch = pytest.importorskip("torch")
    t = torch.ones(2)
    ours = ag.autograd.Variable(ag.ones(2), requires_grad=True)
    theirs = torch.autograd.Variable(t, requires_grad=True)
    assert (ours.requires_grad, ours.is_leaf) == (theirs.requires_grad, theirs.is_leaf)
    assert ag.autograd.Variable(ag.ones(2)).requires_grad == torch.autograd.Variable(t).requires_grad


def test_variable_takes_the_removed_volatile_with_pytorchs_warning_and_no_effect():
    # PyTorch 0.3 test loops: Variable(images.view(-1, 28*28), volatile=True)
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    with pytest.warns(UserWarning, match="volatile was removed .* no effect; use `with ag.no_grad\\(\\):` instead"):
        v = ag.autograd.Variable(x * 3, volatile=True)
    assert v.is_leaf and not v.requires_grad and v.tolist() == [3.0, 6.0]
    assert (v * x).requires_grad  # no effect: not no_grad's
    with pytest.raises(ValueError, match="volatile=True and requires_grad=True exclude each other"):
        ag.autograd.Variable(x, requires_grad=True, volatile=True)
    with pytest.raises(TypeError, match="autograd.Variable: volatile must be True or False"):
        ag.autograd.Variable(x, volatile="yes")
    if torch is not None:
        with pytest.warns(UserWarning, match="volatile was removed"):
            assert not torch.autograd.Variable(torch.ones(2), volatile=True).requires_grad
        with pytest.warns(UserWarning), pytest.raises(ValueError, match="volatile and require_grad"):
            torch.autograd.Variable(torch.ones(2), requires_grad=True, volatile=True)


def test_grad_takes_pytorchs_deprecated_only_inputs_by_name():
    # improved-WGAN code passes only_inputs=True; PyTorch ignores it and warns for False
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    (grad,) = ag.autograd.grad((x ** 3).sum(), x, only_inputs=True)
    np.testing.assert_array_equal(grad.data, [3.0, 12.0])
    with pytest.warns(FutureWarning, match=r"^autograd.grad: only_inputs argument is deprecated and is ignored"):
        (grad,) = ag.autograd.grad((x ** 3).sum(), x, only_inputs=False)
    np.testing.assert_array_equal(grad.data, [3.0, 12.0])
    with pytest.raises(TypeError, match=r"^autograd.grad: only_inputs must be True or False, got 'yes'"):
        ag.autograd.grad((x ** 3).sum(), x, only_inputs="yes")


# ---- a PINN's derivatives: u_x and u_xx of a tanh MLP through autograd.grad(create_graph=True) ----
def _tanh_mlp_float64(seed=0):
    rng = np.random.default_rng(seed)
    net = nn.Sequential(nn.Linear(2, 20), nn.Tanh(), nn.Linear(20, 20), nn.Tanh(), nn.Linear(20, 1)).double()
    weights = {name: rng.uniform(-0.7, 0.7, p.shape) for name, p in net.named_parameters()}
    net.load_state_dict({name: ag.tensor(value) for name, value in weights.items()})
    return net, weights


def _pinn_derivatives(net, points):
    x = ag.tensor(points[:, 0:1], requires_grad=True)
    t = ag.tensor(points[:, 1:2], requires_grad=True)
    u = net(ag.cat([x, t], dim=1))
    u_t = ag.autograd.grad(u, t, grad_outputs=ag.ones_like(u), retain_graph=True, create_graph=True)[0]
    u_x = ag.autograd.grad(u, x, grad_outputs=ag.ones_like(u), retain_graph=True, create_graph=True)[0]
    u_xx = ag.autograd.grad(u_x, x, grad_outputs=ag.ones_like(u_x), retain_graph=True, create_graph=True)[0]
    return u, u_t, u_x, u_xx


def test_pinn_derivatives_of_a_tanh_mlp_match_finite_differences():
    net, _ = _tanh_mlp_float64()
    points = np.random.default_rng(1).uniform(-1, 1, (30, 2))
    _, u_t, u_x, u_xx = _pinn_derivatives(net, points)

    def u_at(shift):
        with ag.no_grad():
            return net(ag.tensor(points + shift)).data
    h = 1e-4
    dx, dt = np.array([h, 0.0]), np.array([0.0, h])
    np.testing.assert_allclose(u_x.data, (u_at(dx) - u_at(-dx)) / (2 * h), atol=1e-8)
    np.testing.assert_allclose(u_t.data, (u_at(dt) - u_at(-dt)) / (2 * h), atol=1e-8)
    np.testing.assert_allclose(u_xx.data, (u_at(dx) - 2 * u_at(0.0) + u_at(-dx)) / h ** 2, atol=1e-5)


def test_pinn_residual_and_its_weight_gradients_match_torch():
    torch = pytest.importorskip("torch")
    net, weights = _tanh_mlp_float64()
    points = np.random.default_rng(1).uniform(-1, 1, (30, 2))
    u, u_t, u_x, u_xx = _pinn_derivatives(net, points)
    residual = u_t + u * u_x - 0.01 / np.pi * u_xx
    (residual ** 2).mean().backward()

    reference = torch.nn.Sequential(torch.nn.Linear(2, 20), torch.nn.Tanh(), torch.nn.Linear(20, 20),
                                    torch.nn.Tanh(), torch.nn.Linear(20, 1)).double()
    reference.load_state_dict({name: torch.tensor(value) for name, value in weights.items()})
    x = torch.tensor(points[:, 0:1], requires_grad=True)
    t = torch.tensor(points[:, 1:2], requires_grad=True)
    tu = reference(torch.cat([x, t], dim=1))
    tu_t, tu_x = torch.autograd.grad(tu, (t, x), torch.ones_like(tu), create_graph=True)
    tu_xx = torch.autograd.grad(tu_x, x, torch.ones_like(tu_x), create_graph=True)[0]
    ((tu_t + tu * tu_x - 0.01 / np.pi * tu_xx) ** 2).mean().backward()
    np.testing.assert_allclose(u_x.data, tu_x.detach().numpy(), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(u_xx.data, tu_xx.detach().numpy(), rtol=1e-12, atol=1e-15)
    for name, parameter in reference.named_parameters():
        np.testing.assert_allclose(dict(net.named_parameters())[name].grad.data, parameter.grad.numpy(),
                                   rtol=1e-10, atol=1e-15)


# ---- found by porting PyTorch's TestAutograd (test_grad_empty_inputs, test_grad_materialize_grads) ----------------
def test_grad_refuses_empty_inputs_as_torch():
    # an empty inputs returned () silently
    x = ag.tensor([1.0], requires_grad=True)
    with pytest.raises(ValueError, match="grad requires non-empty inputs"):  # (newer PyTorch's class)
        ag.autograd.grad(2 * x, [], grad_outputs=ag.tensor([1.0]))
    with pytest.raises(RuntimeError, match="inputs is empty"):  # (PyTorch 2.14's class)
        ag.autograd.grad(2 * x, ())
    if torch is not None:
        tx = torch.tensor([1.0], requires_grad=True)
        with pytest.raises(RuntimeError, match="cannot be empty"):
            torch.autograd.grad(2 * tx, [], grad_outputs=torch.tensor([1.0]))


def test_materialized_zeros_of_a_create_graph_pass_are_differentiable_again_as_torch():
    # the zeros materialize_grads gave did not require grad, so differentiating them again was refused
    x = ag.tensor(0.5, requires_grad=True)
    a = ag.tensor(1.0, requires_grad=True)
    (dydx,) = ag.autograd.grad(x * a, x, create_graph=True)
    (none,) = ag.autograd.grad(dydx, x, create_graph=True, allow_unused=True)
    (d2,) = ag.autograd.grad(dydx, x, create_graph=True, allow_unused=True, materialize_grads=True)
    (d3,) = ag.autograd.grad(d2, x, materialize_grads=True)
    assert none is None and d2.item() == 0.0 and d3.item() == 0.0
    assert d2.requires_grad and d2.is_leaf
    (plain,) = ag.autograd.grad(x * 2, a, allow_unused=True, materialize_grads=True)  # without create_graph
    assert not plain.requires_grad
    if torch is not None:
        tx = torch.tensor(0.5, requires_grad=True)
        ta = torch.tensor(1.0, requires_grad=True)
        (tdydx,) = torch.autograd.grad(tx * ta, tx, create_graph=True)
        (td2,) = torch.autograd.grad(tdydx, tx, create_graph=True, allow_unused=True, materialize_grads=True)
        assert td2.requires_grad and td2.is_leaf
        (tplain,) = torch.autograd.grad(tx * 2, ta, allow_unused=True, materialize_grads=True)
        assert not tplain.requires_grad


# ---- found by porting PyTorch's test_autograd.py: autograd.grad's is_grads_batched= was missing ------------------
def test_grad_with_batched_grad_outputs_matches_torch():
    torch = pytest.importorskip("torch")

    def run(lib):
        seen = []
        x = lib.tensor([1.0, 2.0, 3.0], dtype=lib.float64, requires_grad=True)
        unused = lib.tensor([1.0], dtype=lib.float64, requires_grad=True)
        y = x ** 2
        eye = lib.eye(3, dtype=lib.float64)
        rows, none = lib.autograd.grad(y, [x, unused], eye, retain_graph=True, is_grads_batched=True,
                                       allow_unused=True)
        seen += [rows.tolist(), none]  # the Jacobian's rows; None for an input no slice reaches
        seen.append(lib.autograd.grad(y.sum(), x, lib.ones(4, dtype=lib.float64), retain_graph=True,
                                      is_grads_batched=True)[0].tolist())
        with pytest.raises(RuntimeError):  # no batch dimension
            lib.autograd.grad(y, x, lib.ones(3, dtype=lib.float64), retain_graph=True, is_grads_batched=True)
        rows, = lib.autograd.grad(y, x, eye, create_graph=True, is_grads_batched=True)
        rows.sum().backward()  # differentiable again
        seen.append(x.grad.tolist())
        return seen

    assert run(ag) == run(torch) == [[[2.0, 0.0, 0.0], [0.0, 4.0, 0.0], [0.0, 0.0, 6.0]], None,
                                     [[2.0, 4.0, 6.0]] * 4, [2.0, 2.0, 2.0]]


def test_backward_takes_the_deprecated_grad_variables_as_torch():
    # found by porting PyTorch's test_autograd.py (autograd.backward's arguments): grad_variables was a TypeError
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    with pytest.warns(FutureWarning, match="grad_variables"):
        ag.autograd.backward(x * 2, grad_variables=ag.tensor([1.0, 3.0]))
    assert x.grad.tolist() == [2.0, 6.0]
    with pytest.raises(RuntimeError, match="both passed"), pytest.warns(FutureWarning):
        ag.autograd.backward(x * 2, ag.ones(2), grad_variables=ag.ones(2))


# Found by review: detect_anomaly(False) was refused ("expected a function to decorate"); PyTorch's first parameter
# is check_nan. And is_grads_batched with a GradientEdge as the input or output, or a None grad_output.
def test_detect_anomaly_takes_check_nan_positionally_and_batched_grad_takes_edges():
    torch = pytest.importorskip("torch")
    for flag in (False, True):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # (torch's "Anomaly Detection has been enabled")
            with ag.detect_anomaly(flag), torch.autograd.detect_anomaly(flag):
                assert (ag.is_anomaly_enabled(), ag.is_anomaly_check_nan_enabled()) == \
                    (torch.is_anomaly_enabled(), torch.is_anomaly_check_nan_enabled()) == (True, flag)
    with pytest.raises(TypeError, match="detect_anomaly: got check_nan twice"):
        ag.detect_anomaly(False, check_nan=True)
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    edge = ag.autograd.graph.get_gradient_edge(x)
    (jacobian,) = ag.autograd.grad(x ** 2, edge, ag.eye(2), is_grads_batched=True)
    tx = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)
    (theirs,) = torch.autograd.grad(tx ** 2, torch.autograd.graph.get_gradient_edge(tx), torch.eye(2,
                                    dtype=torch.float64), is_grads_batched=True)
    np.testing.assert_array_equal(jacobian.data, theirs.numpy())
    y = x ** 2
    (jacobian,) = ag.autograd.grad(ag.autograd.graph.get_gradient_edge(y), x, ag.eye(2), is_grads_batched=True)
    np.testing.assert_array_equal(jacobian.data, theirs.numpy())
    with pytest.raises(ag.autograd.InvalidArgumentError, match=r"grad_outputs\[0\] is None"):
        ag.autograd.grad(x ** 2, x, None, is_grads_batched=True)
