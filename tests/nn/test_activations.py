"""Activation functions and modules: PyTorch's extra arguments (Softplus's threshold), F.leaky_relu_, the errors
for a bad softmax dim, and PyTorch's reprs. Their formulas are checked in test_layers.py."""
import math
import re

import numpy as np
import pytest

import autograd_core as ag
import nn
import nn.functional as F


def _softplus_ref(x, beta=1.0, threshold=20.0):
    """PyTorch's softplus: log(1 + e**(beta x)) / beta, and x itself where beta x > threshold."""
    linear = beta * x > threshold
    value = np.where(linear, x, np.logaddexp(0, beta * x) / beta)
    grad = np.where(linear, 1.0, np.exp(-np.logaddexp(0, -beta * x)))  # sigmoid(beta x)
    return value, grad


SOFTPLUS_CASES = [(1.0, 20.0), (2.0, 20.0), (0.5, 20.0), (1.0, 5.0), (3.0, 1.5)]
X = np.array([-30.0, -1.0, 0.0, 2.0, 4.0, 9.0, 19.5, 20.0, 21.0, 45.0, 800.0])


@pytest.mark.parametrize("beta, threshold", SOFTPLUS_CASES)
def test_softplus_is_the_identity_above_the_threshold(beta, threshold):
    expected_value, expected_grad = _softplus_ref(X, beta, threshold)
    for fn in (nn.Softplus(beta=beta, threshold=threshold), lambda t: F.softplus(t, beta=beta, threshold=threshold)):
        x = ag.tensor(X, requires_grad=True)
        y = fn(x)
        y.sum().backward()
        np.testing.assert_allclose(y.data, expected_value, rtol=1e-12)
        np.testing.assert_allclose(x.grad.data, expected_grad, rtol=1e-12)
        linear = beta * X > threshold
        # exactly x and exactly 1 there, not log(1 + e**(beta x)) / beta rounded
        np.testing.assert_array_equal(y.data[linear], X[linear])
        np.testing.assert_array_equal(x.grad.data[linear], 1.0)


def test_softplus_default_threshold_is_20_and_shows_in_repr():
    y = nn.Softplus()(ag.tensor([21.0, 19.0]))
    assert y.data[0] == 21.0 and y.data[1] != 19.0
    assert repr(nn.Softplus()) == "Softplus(beta=1.0, threshold=20.0)"
    assert repr(nn.Softplus(beta=2, threshold=10)) == "Softplus(beta=2, threshold=10)"


def test_softplus_keeps_float32_with_the_threshold():
    x = ag.tensor(np.array([-3.0, 25.0], dtype=np.float32), requires_grad=True)
    y = F.softplus(x, beta=2.0)
    y.sum().backward()
    assert y.dtype == x.grad.dtype == np.float32
    assert y.data[1] == np.float32(25.0)


@pytest.mark.parametrize("beta, threshold", SOFTPLUS_CASES)
def test_softplus_matches_torch(beta, threshold):
    torch = pytest.importorskip("torch")
    x, tx = ag.tensor(X, requires_grad=True), torch.tensor(X, requires_grad=True)
    y, ty = nn.Softplus(beta, threshold)(x), torch.nn.Softplus(beta, threshold)(tx)
    upstream = np.linspace(-1, 1, X.size)
    y.backward(upstream)
    ty.backward(torch.tensor(upstream))
    np.testing.assert_allclose(y.data, ty.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(x.grad.data, tx.grad.numpy(), rtol=1e-12)


@pytest.mark.parametrize("name, call", [
    ("softmax", lambda x, dim: nn.Softmax(dim=dim)(x)),
    ("softmax", lambda x, dim: F.softmax(x, dim=dim)),
    ("log_softmax", lambda x, dim: nn.LogSoftmax(dim=dim)(x)),
    ("log_softmax", lambda x, dim: F.log_softmax(x, dim=dim)),
])
@pytest.mark.parametrize("dim", [2, 3, -3])
def test_softmax_with_a_bad_dim_names_itself_the_shape_and_the_valid_dims(name, call, dim):
    # IndexError as PyTorch raises (the error is also a ValueError: NumPy's AxisError).
    with pytest.raises(IndexError, match=rf"^{name}: dim {dim} is out of range .*shape \(4, 5\).*-2\.\.1"):
        call(ag.zeros((4, 5)), dim)


@pytest.mark.parametrize("name, call", [
    ("softmax", lambda x, dim: F.softmax(x, dim=dim)),
    ("log_softmax", lambda x, dim: F.log_softmax(x, dim=dim)),  # (the layers refuse it when built: below)
])
@pytest.mark.parametrize("dim", ["a", 1.5, True])  # (None: PyTorch's implicit choice, test_layers.py)
def test_softmax_with_a_dim_that_is_no_int_names_itself(name, call, dim):
    with pytest.raises(TypeError, match=rf"^{name}: dim must be an int \(the axis to normalise over\), got"):
        call(ag.zeros((4, 5)), dim)


def test_softmax_dims_in_range_and_on_a_scalar():
    x = ag.tensor(np.arange(6.0).reshape(2, 3))
    np.testing.assert_allclose(F.softmax(x, dim=-2).data, F.softmax(x, dim=0).data)
    assert F.softmax(ag.tensor(2.0), dim=0).item() == 1.0  # a 0-d input takes dim 0 or -1, as PyTorch
    assert F.log_softmax(ag.tensor(2.0), dim=-1).item() == 0.0


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
@pytest.mark.parametrize("dtype, to", [(np.float32, np.float64), (np.float64, np.float32), (np.float32, "float32")])
def test_softmax_dtype_casts_the_input_first_and_the_gradient_back_as_pytorch(name, dtype, to):
    # HF Llama's eager attention: softmax(w, dim=-1, dtype=torch.float32).to(query.dtype)
    w = np.array([[0.5, -1.25, 3.0], [1e3, 0.0, -2.0]])
    cotangent = np.array([[1.0, 0.0, -2.0], [0.5, 3.0, 1.0]])
    x = ag.tensor(w, dtype=dtype, requires_grad=True)
    y = getattr(F, name)(x, dim=-1, dtype=to)
    y.backward(cotangent)
    shifted = w.astype(dtype).astype(to).astype(np.float64)
    shifted -= shifted.max(-1, keepdims=True)
    expected = shifted - np.log(np.exp(shifted).sum(-1, keepdims=True))  # log_softmax in float64
    expected = np.exp(expected) if name == "softmax" else expected
    assert y.dtype == np.dtype(to) and x.grad.dtype == dtype
    np.testing.assert_allclose(y.data, expected, rtol=4 * np.finfo(np.dtype(to)).eps, atol=1e-30)
    torch = pytest.importorskip("torch")
    t = torch.tensor(w.astype(dtype), requires_grad=True)
    expected = getattr(torch.nn.functional, name)(t, dim=-1, dtype=getattr(torch, np.dtype(to).name))
    expected.backward(torch.tensor(cotangent, dtype=expected.dtype))
    tol = 4 * np.finfo(np.float32).eps
    np.testing.assert_allclose(y.data, expected.detach().numpy(), rtol=tol, atol=tol)
    np.testing.assert_allclose(x.grad.data, t.grad.numpy(), rtol=tol, atol=tol)


@pytest.mark.parametrize("dtype, message", [(np.int64, "dtype must be float16, float32 or float64, got int64"),
                                            ("cuda", "dtype must be float16, float32 or float64 .*got 'cuda'")])
def test_softmax_dtype_that_is_no_float_dtype_names_the_function(dtype, message):
    for name in ("softmax", "log_softmax"):
        with pytest.raises(TypeError, match=rf"^{name}: {message}"):
            getattr(F, name)(ag.zeros(3), dtype=dtype)


# PyTorch's own softmax modules default to dim=None (an implicit, deprecated dim), so dim is given here
REPRS = [("ReLU", {}, "ReLU()"), ("LeakyReLU", {}, "LeakyReLU(negative_slope=0.01)"), ("ELU", {}, "ELU(alpha=1.0)"),
         ("Sigmoid", {}, "Sigmoid()"), ("Tanh", {}, "Tanh()"), ("Softmax", dict(dim=1), "Softmax(dim=1)"),
         ("LogSoftmax", dict(dim=-1), "LogSoftmax(dim=-1)"), ("Identity", {}, "Identity()"),
         ("ReLU", dict(inplace=True), "ReLU(inplace=True)"), ("ELU", dict(inplace=True), "ELU(alpha=1.0, inplace=True)"),
         ("LeakyReLU", dict(negative_slope=0.1, inplace=True), "LeakyReLU(negative_slope=0.1, inplace=True)")]


@pytest.mark.parametrize("name, kwargs, text", REPRS, ids=[text for _, _, text in REPRS])
def test_activation_reprs_show_their_settings(name, kwargs, text):
    assert repr(getattr(nn, name)(**kwargs)) == text


@pytest.mark.parametrize("name, kwargs, text", REPRS, ids=[text for _, _, text in REPRS])
def test_activation_reprs_equal_torch(name, kwargs, text):
    torch = pytest.importorskip("torch")
    assert repr(getattr(nn, name)(**kwargs)) == repr(getattr(torch.nn, name)(**kwargs))


@pytest.mark.parametrize("make", [lambda v: nn.LeakyReLU(v), lambda v: nn.ELU(v), lambda v: nn.Softplus(beta=v)],
                         ids=["LeakyReLU", "ELU", "Softplus"])
def test_a_numpy_float64_setting_keeps_a_float32_input_float32_as_torch(make):
    x = ag.tensor(np.linspace(-2, 2, 5, dtype=np.float32), requires_grad=True)
    out = make(np.float64(0.5))(x)
    assert out.dtype == np.float32
    out.sum().backward()
    assert x.grad.dtype == np.float32
    np.testing.assert_allclose(out.data, make(0.5)(x).data)


@pytest.mark.parametrize("call, message", [
    (lambda x: F.leaky_relu(x, "a"), r"leaky_relu: negative_slope must be a number \(or an array of numbers"),
    (lambda x: F.elu(x, True), r"elu: alpha must be a number"),
    (lambda x: F.softplus(x, beta=np.ones(2)), r"softplus: beta must be a number, got array"),
])
def test_a_setting_that_is_no_number_is_refused_naming_it(call, message):
    with pytest.raises(TypeError, match=message):
        call(ag.ones(3))


def test_dropout_of_an_integer_input_is_refused_rather_than_truncating_its_scale():
    with pytest.raises(TypeError, match=r"dropout: input of dtype int64 \(shape \(3,\)\); dropout scales what it keeps "
                                        r"by 1 / \(1 - p\), which needs a float input"):
        F.dropout(ag.tensor([1, 2, 3]), 0.3, rng=0)
    assert F.dropout(ag.tensor([1, 2, 3]), 0.3, training=False).data.tolist() == [1, 2, 3]  # the identity: fine


def test_leaky_relu_default_slope_is_0_01():
    # PyTorch's default negative_slope
    assert F.leaky_relu(ag.tensor([-1.0])).data.tolist() == [-0.01]


def test_leaky_relu_in_place_writes_into_the_input_as_torch():
    x = ag.tensor([-2.0, 0.0, 3.0])
    assert F.leaky_relu_(x) is x and x.tolist() == [-0.02, 0.0, 3.0]
    w = ag.tensor([-1.0, 2.0], requires_grad=True)
    h = w * 2
    assert F.leaky_relu_(h, 0.5) is h  # (a recorded result takes leaky_relu's record, as relu_'s)
    h.sum().backward()
    assert h.tolist() == [-1.0, 4.0] and w.grad.tolist() == [1.0, 2.0]
    with pytest.raises(RuntimeError, match="leaky_relu"):  # (a leaf that requires grad, as PyTorch refuses it)
        F.leaky_relu_(ag.tensor([1.0], requires_grad=True))
    torch = pytest.importorskip("torch")
    expected = torch.tensor([-2.0, 0.0, 3.0], dtype=torch.float64)
    torch.nn.functional.leaky_relu_(expected, 0.3)
    assert F.leaky_relu_(ag.tensor([-2.0, 0.0, 3.0]), 0.3).tolist() == pytest.approx(expected.tolist(), abs=1e-15)


def test_elu_default_alpha_is_1():
    # alpha defaults to 1: elu(-1) = e**-1 - 1
    assert F.elu(ag.tensor([-1.0])).data[0] == pytest.approx(math.exp(-1) - 1)


def test_softplus_default_threshold_is_20():
    # below beta*x = 20 the smooth formula is used (value log1p(e**x), gradient sigmoid(x))
    x = ag.tensor([15.0], requires_grad=True)
    y = F.softplus(x)
    assert y.data[0] == pytest.approx(math.log1p(math.exp(15.0)), rel=0, abs=1e-12)
    assert y.data[0] != 15.0
    y.sum().backward()
    assert x.grad[0] < 1.0


def test_pos_weight_of_bools_is_refused():
    # pos_weight must hold numbers: only BCE's `weight` may be a mask
    x = ag.tensor([0.5, -0.5])
    with pytest.raises(TypeError):
        F.binary_cross_entropy_with_logits(x, [1.0, 0.0], pos_weight=np.array([True, False]))


MODULES = [nn.ReLU, nn.LeakyReLU, nn.ELU, nn.Sigmoid, nn.Tanh, nn.Softplus, nn.Identity,
           lambda: nn.Softmax(dim=1), lambda: nn.LogSoftmax(dim=1), nn.MSELoss, nn.L1Loss, nn.HuberLoss,
           nn.BCELoss, nn.BCEWithLogitsLoss, nn.CrossEntropyLoss, nn.NLLLoss]


@pytest.mark.parametrize("make", MODULES, ids=lambda make: getattr(make, "__name__", "softmax"))
def test_activation_and_loss_modules_start_in_training_mode_and_follow_eval(make):
    module = make()
    assert module.training is True  # nn.Module's contract, as torch: a new module is in training mode
    assert module.eval() is module and module.training is False
    assert module.train() is module and module.training is True


# ---- PyTorch's inplace argument ------------------------------------------------------------------------
SIGNED = np.array([[-2.0, -0.5, 0.0, 0.5, 3.0]])
INPLACE_MODULES = [("ReLU", ()), ("LeakyReLU", (0.1,)), ("ELU", (0.7,)), ("Dropout", (0.3,))]
INPLACE_FUNCTIONS = [("relu", {}), ("leaky_relu", {"negative_slope": 0.1}), ("elu", {"alpha": 0.7}),
                     ("dropout", {"p": 0.3, "training": False})]


@pytest.mark.parametrize("name, args", INPLACE_MODULES, ids=[c[0] for c in INPLACE_MODULES])
def test_activation_modules_accept_torchs_inplace_false(name, args):
    torch = pytest.importorskip("torch")
    expected = getattr(torch.nn, name)(*args, inplace=False).eval()(torch.tensor(SIGNED)).numpy()
    module = getattr(nn, name)(*args, inplace=False).eval()  # (eval: Dropout is the identity in both)
    np.testing.assert_allclose(module(ag.tensor(SIGNED)).data, expected, rtol=1e-12)


@pytest.mark.parametrize("name, kwargs", INPLACE_FUNCTIONS, ids=[c[0] for c in INPLACE_FUNCTIONS])
def test_functional_activations_accept_torchs_inplace_false(name, kwargs):
    torch = pytest.importorskip("torch")
    expected = getattr(torch.nn.functional, name)(torch.tensor(SIGNED), inplace=False, **kwargs).numpy()
    np.testing.assert_allclose(getattr(F, name)(ag.tensor(SIGNED), inplace=False, **kwargs).data, expected, rtol=1e-12)


@pytest.mark.parametrize("name, args", INPLACE_MODULES[:3], ids=[c[0] for c in INPLACE_MODULES[:3]])
def test_inplace_true_writes_the_result_into_the_input_and_returns_it(name, args):
    x = ag.tensor(SIGNED)
    expected = getattr(nn, name)(*args)(ag.tensor(SIGNED)).data
    assert getattr(nn, name)(*args, inplace=True)(x) is x
    np.testing.assert_array_equal(x.data, expected)
    torch = pytest.importorskip("torch")
    theirs = torch.tensor(SIGNED)
    getattr(torch.nn, name)(*args, inplace=True)(theirs)
    np.testing.assert_allclose(x.data, theirs.numpy(), rtol=1e-12)


def test_dropout_inplace_true_writes_what_it_would_return():
    x = ag.tensor(np.ones((4, 5)))
    expected = nn.Dropout(0.3, rng=0)(ag.tensor(np.ones((4, 5)))).data
    assert nn.Dropout(0.3, rng=0, inplace=True)(x) is x and F.dropout(x, 0.3, training=False, inplace=True) is x
    np.testing.assert_array_equal(x.data, expected)
    assert set(np.unique(expected).tolist()) == {0.0, 1 / 0.7}


@pytest.mark.parametrize("name, kwargs", INPLACE_FUNCTIONS[:3] + [("dropout", {"p": 0.3})],
                         ids=[c[0] for c in INPLACE_FUNCTIONS])
def test_inplace_true_on_a_leaf_that_requires_grad_is_refused_while_recording_as_torch(name, kwargs):
    w = ag.tensor(SIGNED, requires_grad=True)
    with pytest.raises(RuntimeError, match=rf"^{name}\(inplace=True\): a leaf that requires grad \(shape \(1, 5\)\) "
                                           r"cannot be changed in place while gradients are recorded.*inplace=False"):
        getattr(F, name)(w, inplace=True, **kwargs)
    np.testing.assert_array_equal(w.data, SIGNED)


@pytest.mark.parametrize("name, kwargs", INPLACE_FUNCTIONS[:3] + [("dropout", {"p": 0.3, "rng": 0})],
                         ids=[c[0] for c in INPLACE_FUNCTIONS])
def test_inplace_true_on_a_recorded_result_changes_it_for_every_name_and_backpropagates(name, kwargs):
    # PyTorch's rebase: the result itself holds the activation, record and all, so that another name for it (alias)
    # sees the change; its gradient is the out-of-place activation's
    w = ag.tensor(SIGNED, requires_grad=True)
    h = w * 2
    alias = h
    assert getattr(F, name)(h, inplace=True, **kwargs) is h
    expected = getattr(F, name)(ag.tensor(2 * SIGNED, requires_grad=True), **kwargs)
    np.testing.assert_array_equal(alias.data, expected.data)
    assert alias.grad_fn.name() == expected.grad_fn.name()
    seed = np.arange(1.0, 6.0).reshape(1, 5)
    (alias * seed).sum().backward()
    reference = ag.tensor(SIGNED, requires_grad=True)
    (getattr(F, name)(reference * 2, **kwargs) * seed).sum().backward()
    np.testing.assert_array_equal(w.grad.data, reference.grad.data)


def test_a_residual_skip_adds_the_in_place_activation_as_torchs():
    # zalando's VQ-VAE Residual: skip + self._block(skip) with nn.ReLU(True) first: PyTorch's skip adds relu(skip)
    x = ag.tensor(SIGNED, requires_grad=True)
    block = nn.Sequential(nn.ReLU(True), nn.Linear(5, 5)).double()
    skip = x * 1.0
    ours = skip + block(skip)
    relu_skip = np.maximum(SIGNED, 0)
    expected = relu_skip + relu_skip @ block[1].weight.data.T + block[1].bias.data
    np.testing.assert_allclose(ours.data, expected, rtol=0, atol=1e-15)
    ours.sum().backward()
    np.testing.assert_allclose(x.grad.data, (SIGNED > 0) * (1 + block[1].weight.data.sum(axis=0)), rtol=0, atol=1e-15)
    torch = pytest.importorskip("torch")
    theirs = torch.tensor(SIGNED, requires_grad=True)
    linear = torch.nn.Linear(5, 5).double()
    with torch.no_grad():
        linear.weight.copy_(torch.tensor(block[1].weight.data)), linear.bias.copy_(torch.tensor(block[1].bias.data))
    torch_skip = theirs * 1.0
    total = torch_skip + torch.nn.Sequential(torch.nn.ReLU(True), linear)(torch_skip)
    total.sum().backward()
    np.testing.assert_allclose(ours.data, total.detach().numpy(), rtol=0, atol=1e-14)
    np.testing.assert_allclose(x.grad.data, theirs.grad.numpy(), rtol=0, atol=1e-14)


def test_a_use_recorded_before_the_in_place_change_gets_the_gradient_of_the_value_before_it_as_torchs():
    # PyTorch's edge from the earlier use points at the old grad_fn: its gradient skips the ReLU
    w = ag.tensor(SIGNED, requires_grad=True)
    h = w * 2
    earlier = h + 1
    F.relu(h, inplace=True)
    (earlier.sum() * 10 + h.sum()).backward()
    np.testing.assert_array_equal(w.grad.data, 20.0 + 2.0 * (SIGNED > 0))
    torch = pytest.importorskip("torch")
    tw = torch.tensor(SIGNED, requires_grad=True)
    th = tw * 2
    tearlier = th + 1
    torch.nn.functional.relu(th, inplace=True)
    (tearlier.sum() * 10 + th.sum()).backward()
    np.testing.assert_array_equal(w.grad.data, tw.grad.numpy())


def test_inplace_true_changes_a_view_with_its_base_and_keeps_hooks_with_the_old_value():
    w = ag.tensor(SIGNED, requires_grad=True)
    h = w * 2
    view = h[:, :2]
    assert F.relu(view, inplace=True) is view  # the base sees it, as PyTorch's (test_in_place_views.py)
    expected = 2 * SIGNED
    expected[:, :2] = np.maximum(expected[:, :2], 0)
    np.testing.assert_array_equal(h.data, expected)
    with ag.no_grad():
        unrecorded = h[:, 1:]  # a view no record ties to h
    with pytest.raises(RuntimeError, match=r"relu\(inplace=True\): the input \(shape \(1, 5\)\) shares its memory"):
        F.relu(h, inplace=True)
    np.testing.assert_array_equal(unrecorded.data, expected[:, 1:])
    hooked, seen = w * 3, []
    hooked.register_hook(seen.append)  # on the value before the change: it gets that value's gradient, as PyTorch's
    assert F.relu(hooked, inplace=True) is hooked
    (hooked * hooked).sum().backward()
    positive = np.maximum(3 * SIGNED, 0)
    assert len(seen) == 1
    np.testing.assert_array_equal(seen[0].data, 2 * positive * (3 * SIGNED > 0))


def test_inplace_true_under_no_grad_changes_a_leaf_and_a_recorded_result_as_torch():
    # a recorded result keeps its record: the gradient passes by the change (PyTorch's, insightface's margin)
    w = ag.tensor(SIGNED, requires_grad=True)
    h = w * 2
    with ag.no_grad():
        assert F.relu(h, inplace=True) is h
        assert F.relu(w, inplace=True) is w
    np.testing.assert_array_equal(w.data, np.maximum(SIGNED, 0))
    np.testing.assert_array_equal(h.data, np.maximum(2 * SIGNED, 0))
    h.sum().backward()
    np.testing.assert_array_equal(w.grad.data, np.full(SIGNED.shape, 2.0))  # multiply's rule, by the change
    torch = pytest.importorskip("torch")
    theirs = torch.tensor(SIGNED, requires_grad=True)
    theirs_h = theirs * 2
    with torch.no_grad():
        torch.nn.functional.relu(theirs_h, inplace=True)
        torch.nn.functional.relu(theirs, inplace=True)
    theirs_h.sum().backward()
    np.testing.assert_array_equal(theirs.detach().numpy(), w.data)
    np.testing.assert_array_equal(theirs_h.detach().numpy(), h.data)
    np.testing.assert_array_equal(theirs.grad.numpy(), w.grad.data)


@pytest.mark.parametrize("name", ["leaky_relu", "elu"])
def test_inplace_true_refuses_a_result_its_input_dtype_cannot_hold(name):
    x = ag.tensor([-1, 2])
    with pytest.raises(TypeError, match=rf"^{name}\(inplace=True\): the result's dtype float64 cannot be written "
                                        r"into the input's int64 \(shape \(2,\)\)"):
        getattr(F, name)(x, inplace=True)
    np.testing.assert_array_equal(x.data, [-1, 2])
    with pytest.raises(TypeError, match=r"relu\(inplace=True\): the input must be a Tensor .* got ndarray"):
        F.relu(np.array([-1.0]), inplace=True)


@pytest.mark.parametrize("activation", [F.relu, F.leaky_relu, F.elu,
                                        lambda x: F.dropout(x, p=0.5, rng=0)],
                         ids=["relu", "leaky_relu", "elu", "dropout"])
def test_an_activation_called_without_inplace_leaves_its_input_unchanged(activation):
    x = ag.tensor([-1.0, 2.0, -3.0, 4.0])
    out = activation(x)
    assert out is not x
    np.testing.assert_array_equal(x.data, [-1.0, 2.0, -3.0, 4.0])


def test_dropout_drops_with_probability_one_half_by_default():
    out = F.dropout(ag.ones(4000), rng=0).data
    assert set(np.unique(out)) <= {0.0, 2.0}  # kept values scaled by 1 / (1 - 0.5)
    assert 0.45 < np.mean(out == 0) < 0.55


def test_dropout_refuses_a_string_training_flag():
    torch = pytest.importorskip("torch")
    with pytest.raises(TypeError):
        torch.nn.functional.dropout(torch.ones(8), training="no")
    with pytest.raises((TypeError, ValueError), match="dropout"):
        F.dropout(np.ones(8), training="no")


@pytest.mark.parametrize("call, name", [
    (lambda: nn.Dropout(0.5)("abc"), "dropout"),
    (lambda: F.softplus("abc"), "softplus"),
    (lambda: F.softmax("abc"), r"^softmax"),
])
def test_nn_function_names_itself_for_a_string_input(call, name):
    with pytest.raises(TypeError, match=name):
        call()


# README: text where a flag belongs is refused ("no" would read as True and overwrite the caller's input).
@pytest.mark.parametrize("make", [
    lambda flag: (lambda x: F.relu(x, inplace=flag)),
    lambda flag: (lambda x: F.leaky_relu(x, 0.01, inplace=flag)),
    lambda flag: (lambda x: F.elu(x, inplace=flag)),
    lambda flag: (lambda x: F.dropout(x, 0.5, rng=0, inplace=flag)),
    lambda flag: (lambda x: F.dropout(x, 0.5, training=False, inplace=flag)),
    lambda flag: nn.ReLU(inplace=flag),
    lambda flag: nn.LeakyReLU(inplace=flag),
    lambda flag: nn.ELU(inplace=flag),
    lambda flag: nn.Dropout(0.5, rng=0, inplace=flag),
], ids=["F.relu", "F.leaky_relu", "F.elu", "F.dropout", "F.dropout eval", "ReLU", "LeakyReLU", "ELU", "Dropout"])
@pytest.mark.parametrize("flag", ["no", "False", None])
def test_an_inplace_flag_that_is_no_bool_is_refused_and_leaves_the_input_unchanged(make, flag):
    x = ag.tensor([-1.0, 2.0])
    with pytest.raises(TypeError, match=r"inplace must be True or False, got"):
        make(flag)(x)
    np.testing.assert_array_equal(x.data, [-1.0, 2.0])


@pytest.mark.parametrize("flag", [np.True_, np.False_])
def test_a_numpy_bool_is_an_inplace_flag(flag):
    x = ag.tensor([-1.0, 2.0])
    assert (F.relu(x, inplace=flag) is x) == bool(flag) and (nn.ReLU(inplace=flag)(x) is x) == bool(flag)
    np.testing.assert_array_equal(x.data, [0.0, 2.0] if flag else [-1.0, 2.0])


def test_identity_takes_and_ignores_any_arguments_as_torchs():
    # a stand-in for a layer class: `norm_layer = nn.Identity if no_norm else nn.LayerNorm; norm_layer(dim)`
    x = ag.tensor([[1.0, -2.0]], requires_grad=True)
    for identity in (nn.Identity(), nn.Identity(2), nn.Identity(2, eps=1e-6, elementwise_affine=False)):
        assert identity(x) is x and list(identity.parameters()) == [] and repr(identity) == "Identity()"
    torch = pytest.importorskip("torch")
    assert repr(torch.nn.Identity(2, eps=1e-6)) == repr(nn.Identity(2, eps=1e-6))


@pytest.mark.parametrize("name", ["Softmax", "LogSoftmax"])
@pytest.mark.parametrize("dim", [True, 1.0, "1"])
def test_softmax_layers_refuse_a_dim_that_is_no_int_when_built(name, dim):
    # (found by porting PyTorch's ModuleInfo entries for Softmax and LogSoftmax: the layer was built and failed only
    # at its first forward)
    with pytest.raises(TypeError, match=f"{name}: dim must be an int or None .*got {re.escape(repr(dim))}"):
        getattr(nn, name)(dim=dim)
    assert getattr(nn, name)(dim=np.int64(1)).dim == 1 and getattr(nn, name)().dim is None


@pytest.mark.parametrize("name", ["Softmax", "LogSoftmax"])
@pytest.mark.parametrize("dim", [True, 1.0, "1"])
def test_softmax_layers_refuse_a_dim_that_is_no_int_when_built_as_torch(name, dim):
    torch = pytest.importorskip("torch")
    with pytest.raises(TypeError, match="dim must be an int or None"):
        getattr(torch.nn, name)(dim=dim)
