"""Linear, MLP, Dropout, Maxout and the activation modules."""
import numpy as np
import pytest

import autograd_core as ag
import nn
import nn.functional as F
from conftest import assert_same_layer_results, layer_results

rng = np.random.default_rng(7)


# ---- Linear ------------------------------------------------------------------------------------
def test_linear_computes_x_times_w_transpose_plus_b_and_its_gradients():
    layer = nn.Linear(5, 3, dtype=np.float64, rng=0)
    x = ag.tensor(rng.normal(size=(4, 5)), requires_grad=True)
    g = rng.normal(size=(4, 3))
    y = layer(x)
    y.backward(g)
    W, b = layer.weight.data, layer.bias.data
    np.testing.assert_allclose(y.data, x.data @ W.T + b, rtol=1e-12)
    np.testing.assert_allclose(layer.weight.grad.data, g.T @ x.data, rtol=1e-12)
    np.testing.assert_allclose(layer.bias.grad.data, g.sum(axis=0), rtol=1e-12)
    np.testing.assert_allclose(x.grad.data, g @ W, rtol=1e-12)
    assert layer.weight.grad.data.flags.writeable  # W's gradient is its own array, safe to modify in place
    assert not np.shares_memory(layer.weight.grad.data, layer.weight.data)


def test_linear_weight_gradient_comes_in_the_weights_layout():
    # A C-contiguous gradient for a C-contiguous W keeps an optimizer's `W -= lr * g` contiguous
    # (a transposed gradient made the SGD update of a 784x512 layer about 3x slower).
    layer = nn.Linear(64, 32, rng=0)
    layer(np.ones((16, 64), dtype=np.float32)).sum().backward()
    assert layer.weight.grad.data.flags.c_contiguous


@pytest.mark.parametrize("shape", [(5,), (2, 3, 5)])
def test_linear_accepts_one_sample_and_batched_inputs(shape):
    layer = nn.Linear(5, 3, dtype=np.float64, rng=0)
    x = rng.normal(size=shape)
    y = layer(x)
    assert y.shape == shape[:-1] + (3,)
    np.testing.assert_allclose(y.data, x @ layer.weight.data.T + layer.bias.data, rtol=1e-12)


def test_linear_shapes_dtype_and_no_bias():
    layer = nn.Linear(4, 2, bias=False, rng=0)
    assert layer.weight.shape == (2, 4) and layer.weight.dtype == np.float32 and layer.bias is None
    assert [name for name, _ in layer.named_parameters()] == ["weight"]
    np.testing.assert_allclose(layer(np.ones((1, 4), dtype=np.float32)).data, layer.weight.data.sum(axis=1)[None],
                               rtol=1e-6)  # float32 sums in another order


def test_linear_default_init_is_pytorchs_uniform_bound_one_over_sqrt_fan_in():
    layer = nn.Linear(400, 300, rng=0)
    bound = 1 / np.sqrt(400)
    for p in (layer.weight.data, layer.bias.data):
        assert p.min() >= -bound and p.max() <= bound
    # U(-a, a) has variance a**2 / 3; 120,000 draws pin it to about 1%
    assert abs(layer.weight.data.var() / (bound ** 2 / 3) - 1) < 0.02
    assert abs(layer.weight.data.max() - bound) < 1e-3  # spans the whole interval


def test_linear_rng_seed_or_generator_is_reproducible():
    a, b = nn.Linear(3, 2, rng=11), nn.Linear(3, 2, rng=np.random.default_rng(11))
    np.testing.assert_array_equal(a.weight.data, b.weight.data)
    np.testing.assert_array_equal(a.bias.data, b.bias.data)
    assert not np.array_equal(nn.Linear(3, 2, rng=12).weight.data, a.weight.data)


@pytest.mark.parametrize("bias", [True, False])
def test_linear_repr_is_pytorchs(bias):
    assert repr(nn.Linear(2, 3, bias=bias)) == f"Linear(in_features=2, out_features=3, bias={bias})"
    torch = pytest.importorskip("torch")
    assert repr(nn.Linear(2, 3, bias=bias)) == repr(torch.nn.Linear(2, 3, bias=bias))


@pytest.mark.parametrize("x, shape", [(np.zeros((8, 5)), r"\(8, 5\)"), (np.float32(1.0), r"\(\)")],
                         ids=["width", "0-d"])
def test_linear_wrong_input_width_names_expected_and_got(x, shape):
    with pytest.raises(ValueError, match=r"Linear: expected input with last dimension in_features=3, got input of "
                                         rf"shape {shape}"):
        nn.Linear(3, 2)(x)


def test_linear_wrong_input_width_is_pytorchs_runtime_error_too():
    # found by porting PyTorch's test_stateless.py: a ValueError alone, where PyTorch (and F.linear here) raise a
    # RuntimeError, "shapes cannot be multiplied"; now both classes at once, as F.linear's
    for layer, args in ((nn.Linear(1, 1), (np.ones((4, 5)),)), (nn.Maxout(5, 3, 2), (np.ones((2, 4)),)),
                        (nn.Bilinear(2, 3, 1), (np.ones((1, 2)), np.ones((1, 4))))):
        with pytest.raises(RuntimeError, match="shapes cannot be multiplied"):
            layer(*args)
        with pytest.raises(ValueError, match="expected input2? with last dimension"):
            layer(*args)


@pytest.mark.parametrize("x, dtype", [([1.0, None, 2.0], "object"), (np.array(["1", "2", "3"]), "<U1"),
                                      (np.ones(3, complex), "complex128")], ids=["None", "str", "complex"])
def test_linear_refuses_inputs_of_no_real_number_dtype_instead_of_casting_them(x, dtype):
    with pytest.raises(TypeError, match=rf"Linear: expected input of a bool, integer or float dtype, got {dtype} "
                                        r"\(shape \(3,\)\)"):
        nn.Linear(3, 2)(x)


def test_linear_casts_inputs_to_its_dtype():
    layer = nn.Linear(2, 2, rng=0)  # float32
    assert layer(np.ones((1, 2), dtype=np.float64)).dtype == np.float32
    assert layer(np.ones((1, 2), dtype=np.int64)).dtype == np.float32
    assert layer([[1, 2]]).dtype == np.float32
    x = ag.tensor(np.ones((1, 2)), requires_grad=True)  # float64 Tensor: the cast is recorded
    layer(x).sum().backward()
    assert x.grad.dtype == np.float64
    np.testing.assert_allclose(x.grad.data, layer.weight.data.sum(axis=0, keepdims=True), rtol=1e-6)


def test_linear_forward_takes_its_input_by_pytorchs_keyword():
    # (found by porting PyTorch's ModuleInfo entries for Linear: its forward input is FunctionInput(input=x), and
    # ours, named x, raised a TypeError)
    x = np.arange(6.0).reshape(2, 3)
    layer = nn.Linear(3, 2, rng=0).double()
    np.testing.assert_allclose(layer(input=x).data, x @ layer.weight.data.T + layer.bias.data, rtol=1e-15)


def test_linear_forward_takes_its_input_by_pytorchs_keyword_as_torch():
    torch = pytest.importorskip("torch")
    x = np.arange(6.0).reshape(2, 3)
    ours, theirs = nn.Linear(3, 2, rng=0).double(), torch.nn.Linear(3, 2).double()
    ours.load_state_dict({k: v.numpy() for k, v in theirs.state_dict().items()})
    np.testing.assert_allclose(ours(input=x).data, theirs(input=torch.tensor(x)).detach().numpy(), rtol=1e-15)


@pytest.mark.parametrize("args, error, message", [
    ((2.5, 3), TypeError, "Linear: in_features must be an int >= 0, got 2.5 of type float"),
    (("2", 3), TypeError, "Linear: in_features must be an int >= 0, got '2' of type str"),
    ((2, None), TypeError, "Linear: out_features must be an int >= 0, got None"),
    ((-1, 3), ValueError, "Linear: in_features must be an int >= 0, got -1"),
    ((3, -1), ValueError, "Linear: out_features must be an int >= 0, got -1"),
    ((True, 3), TypeError, "Linear: in_features must be an int >= 0, got True of type bool"),
])
def test_linear_sizes_must_be_ints_at_least_0(args, error, message):  # (0 builds, as PyTorch's: test_layers_size_0)
    with pytest.raises(error, match=message):
        nn.Linear(*args)
    assert nn.Linear(np.int64(2), 3).weight.shape == (3, 2)  # NumPy integers are ints


# ---- MLP ---------------------------------------------------------------------------------------
def test_mlp_layers_names_and_forward():
    model = nn.MLP([3, 5, 4, 2], rng=0)
    assert [name for name, _ in model.named_parameters()] == [
        "layers.0.weight", "layers.0.bias", "layers.2.weight", "layers.2.bias", "layers.4.weight", "layers.4.bias"]
    assert [type(m).__name__ for m in model.layers] == ["Linear", "ReLU", "Linear", "ReLU", "Linear"]
    x = rng.normal(size=(6, 3)).astype(np.float32)
    l0, l2, l4 = model.layers[0], model.layers[2], model.layers[4]
    h = np.maximum(x @ l0.weight.data.T + l0.bias.data, 0)
    h = np.maximum(h @ l2.weight.data.T + l2.bias.data, 0)
    np.testing.assert_allclose(model(x).data, h @ l4.weight.data.T + l4.bias.data, rtol=1e-5, atol=1e-6)


def test_mlp_activation_by_name_class_or_instance_and_output_activation():
    assert isinstance(nn.MLP([2, 3, 1], activation="tanh").layers[1], nn.Tanh)
    assert isinstance(nn.MLP([2, 3, 1], activation=nn.ELU).layers[1], nn.ELU)
    assert nn.MLP([2, 3, 1], activation=nn.LeakyReLU(-1)).layers[1].negative_slope == -1
    model = nn.MLP([2, 3, 4], output_activation="softmax", rng=0)
    assert isinstance(model.layers[-1], nn.Softmax)
    np.testing.assert_allclose(model(np.ones((5, 2))).data.sum(axis=1), 1, rtol=1e-6)
    with pytest.raises(ValueError, match="unknown activation 'swish'; give one of .*'gelu'"):
        nn.MLP([2, 3, 1], activation="swish")  # (PyTorch's name for it is SiLU)


@pytest.mark.parametrize("name, kind", [("gelu", "GELU"), ("silu", "SiLU"), ("mish", "Mish"), ("selu", "SELU"),
                                        ("celu", "CELU"), ("relu6", "ReLU6"), ("hardtanh", "Hardtanh"),
                                        ("hardswish", "Hardswish"), ("hardsigmoid", "Hardsigmoid"),
                                        ("logsigmoid", "LogSigmoid"), ("softsign", "Softsign"),
                                        ("tanhshrink", "Tanhshrink"), ("PReLU", "PReLU")])
def test_mlp_takes_pytorchs_other_activations_by_name(name, kind):
    model = nn.MLP([2, 3, 3, 1], activation=name, rng=0)
    hidden = [model.layers[1], model.layers[3]]
    assert all(type(m) is getattr(nn, kind) for m in hidden) and hidden[0] is not hidden[1]
    x = np.linspace(-2, 2, 8, dtype=np.float32).reshape(4, 2)
    a = model.layers[0](x)
    np.testing.assert_array_equal(model.layers[1](a).data, getattr(nn, kind)()(a).data)


@pytest.mark.parametrize("activation", ["prelu", nn.PReLU])
def test_mlp_makes_a_prelu_by_name_or_class_in_its_dtype(activation):
    # (a float32 slope cast a float64 MLP's hidden values to float32, losing their digits)
    model = nn.MLP([2, 3, 1], activation=activation, output_activation=activation, dtype=np.float64, rng=0)
    assert {p.dtype for p in model.parameters()} == {np.dtype(np.float64)}
    x = np.array([[0.1, 0.2]])
    np.testing.assert_array_equal(model.layers[1](model.layers[0](x)).data,
                                  nn.functional.prelu(model.layers[0](x), np.array([0.25])).data)


def test_mlp_dropout_after_hidden_activations_and_rng_reproducibility():
    model = nn.MLP([2, 3, 3, 1], dropout=0.2, rng=0)
    assert [type(m).__name__ for m in model.layers] == ["Linear", "ReLU", "Dropout", "Linear", "ReLU", "Dropout",
                                                        "Linear"]
    same = nn.MLP([2, 3, 3, 1], dropout=0.2, rng=0)
    x = np.ones((4, 2), dtype=np.float32)
    np.testing.assert_array_equal(model(x).data, same(x).data)  # weights and masks from one seeded rng
    model.eval()
    np.testing.assert_array_equal(model(x).data, model(x).data)


@pytest.mark.parametrize("dropout", [-0.1, 1.0, 1.5, float("nan"), "0.2"])
def test_mlp_dropout_must_be_in_0_1(dropout):
    # checked even without hidden layers, where no Dropout module would have caught it
    for sizes in ([3, 2, 1], [3, 1]):
        kind = TypeError if isinstance(dropout, str) else ValueError  # no number: as PyTorch's comparison raises
        with pytest.raises(kind, match=r"MLP: dropout must be in \[0, 1\), got"):
            nn.MLP(sizes, dropout=dropout)


def test_mlp_needs_an_input_and_an_output_size():
    for sizes in ([], [3]):
        with pytest.raises(ValueError, match=r"MLP: sizes needs at least an input and an output size, got \["):
            nn.MLP(sizes)


def test_mlp_activation_names_ignore_case():
    assert [type(m).__name__ for m in nn.MLP([2, 3, 3, 1], activation="Tanh").layers] == [
        "Linear", "Tanh", "Linear", "Tanh", "Linear"]
    assert isinstance(nn.MLP([2, 3], output_activation="LOG_SOFTMAX").layers[-1], nn.LogSoftmax)


def test_mlp_refuses_an_unknown_activation_also_without_a_hidden_layer():
    for sizes in ([2, 3], [2, 4, 3]):
        with pytest.raises(ValueError, match=r"MLP: unknown activation 'foo'; give one of \["):
            nn.MLP(sizes, activation="foo")
    # a function is no module: the message names both forms a module may take
    with pytest.raises(ValueError, match=r"or an nn.Module class or instance \(nn.Tanh or nn.Tanh\(\)\)"):
        nn.MLP([2, 4, 3], activation=ag.tanh)


@pytest.mark.parametrize("x", ["x", None])
def test_linear_names_an_input_that_holds_no_numbers_as_such(x):
    with pytest.raises(TypeError, match=r"^Linear: expected input of a bool, integer or float dtype, got"):
        nn.Linear(3, 2)(x)


def test_maxout_names_itself_for_a_wrong_input_width():
    with pytest.raises(ValueError, match=r"^Maxout: expected input with last dimension in_features=5, got input of "
                                         r"shape \(2, 4\)"):
        nn.Maxout(5, 3, 2)(np.ones((2, 4)))


def test_mlp_seed_decides_every_layers_weights():
    def weights(rng):
        return [p.data for p in nn.MLP([3, 5, 2], rng=rng).parameters()]

    for a, b in zip(weights(4), weights(np.random.default_rng(4))):
        np.testing.assert_array_equal(a, b)
    assert not any(np.array_equal(a, b) for a, b in zip(weights(4), weights(5)))


def test_mlp_dtype_reaches_every_layer_and_the_output():
    model = nn.MLP([2, 3, 1], dtype=np.float64, rng=0)
    assert {p.dtype for p in model.parameters()} == {np.dtype(np.float64)}
    assert model(np.ones((4, 2))).dtype == np.float64


# ---- Dropout -----------------------------------------------------------------------------------
def test_dropout_is_inverted_in_training_and_identity_in_eval():
    drop = nn.Dropout(0.3, rng=0)
    x = ag.ones((200, 500), requires_grad=True)
    y = drop(x)
    kept = y.data != 0
    assert abs(kept.mean() - 0.7) < 0.01
    np.testing.assert_allclose(y.data[kept], 1 / 0.7)
    y.sum().backward()
    np.testing.assert_allclose(x.grad.data, kept / 0.7)  # the gradient passes through the same mask
    drop.eval()
    assert drop(x) is x


def test_dropout_edge_probabilities_and_validation():
    x = ag.ones(10)
    assert nn.Dropout(0.0)(x) is x
    np.testing.assert_array_equal(nn.Dropout(1.0)(x).data, np.zeros(10))
    for p, kind in ((1.5, ValueError), (-0.1, ValueError), (float("nan"), ValueError), ("0.5", TypeError),
                    (None, TypeError)):
        with pytest.raises(kind, match=r"Dropout: probability p must be in \[0, 1\], got"):
            nn.Dropout(p)


@pytest.mark.parametrize("training, p", [(False, 0.5), (True, 0.0), (True, 0.5)])
def test_dropout_of_an_array_is_a_tensor_in_every_mode(training, p):
    x = np.ones(4, dtype=np.float32)
    y = nn.Dropout(p, rng=0).train(training)(x)
    assert isinstance(y, ag.Tensor) and y.dtype == np.float32 and y.shape == (4,)
    if not training or p == 0:
        np.testing.assert_array_equal(y.data, x)


@pytest.mark.parametrize("training, p", [(False, 0.5), (True, 0.0), (True, 0.5), (True, 1.0)])
def test_functional_dropout_of_an_array_is_a_tensor_in_every_mode(training, p):
    x = np.ones(4, dtype=np.float32)
    y = nn.functional.dropout(x, p, training, rng=0)
    assert isinstance(y, ag.Tensor) and y.dtype == np.float32 and y.shape == (4,)
    if not training or p == 0:
        np.testing.assert_array_equal(y.data, x)
    t = ag.tensor(x)
    assert nn.functional.dropout(t, p, training=False) is t  # a Tensor comes back as it is


# ---- Maxout ------------------------------------------------------------------------------------
def test_maxout_takes_the_max_of_each_group_and_routes_the_gradient_to_it():
    layer = nn.Maxout(4, 3, pieces=2, dtype=np.float64, rng=0)
    x = rng.normal(size=(5, 4))
    y = layer(x)
    z = x @ layer.linear.weight.data.T + layer.linear.bias.data  # (5, 6): groups of 2 consecutive units
    np.testing.assert_allclose(y.data, z.reshape(5, 3, 2).max(axis=2), rtol=1e-12)
    y.sum().backward()
    winners = (z.reshape(5, 3, 2) == z.reshape(5, 3, 2).max(axis=2, keepdims=True)).reshape(5, 6)
    np.testing.assert_allclose(layer.linear.bias.grad.data, winners.sum(axis=0))
    np.testing.assert_allclose(layer.linear.weight.grad.data, winners.T @ x, rtol=1e-12)


@pytest.mark.parametrize("sizes, error, message", [
    ((4, 3, 0), ValueError, "Maxout: pieces must be a positive int, got 0"),  # (no piece to take the maximum of)
    ((4, 3, 1.5), TypeError, "Maxout: pieces must be a positive int, got 1.5 of type float"),
    ((4, 2.5, 2), TypeError, "Maxout: out_features must be an int >= 0, got 2.5 of type float"),
    ((4, -1, 3), ValueError, "Maxout: out_features must be an int >= 0, got -1"),  # not Linear's -3
    ((-1, 3, 2), ValueError, "Maxout: in_features must be an int >= 0, got -1"),
])
def test_maxout_sizes_are_checked_named_as_given(sizes, error, message):
    with pytest.raises(error, match=message):
        nn.Maxout(*sizes)


@pytest.mark.parametrize("p, kind", [(None, TypeError), ("a", TypeError), (-0.1, ValueError), (1.5, ValueError),
                                     (True, TypeError)])
def test_dropout_refuses_a_p_that_is_no_probability_naming_it(p, kind):
    # no number: a TypeError, as PyTorch's comparison `p < 0` raises; a number out of range: a ValueError
    with pytest.raises(kind, match=r"dropout: probability p must be in \[0, 1\], got"):
        F.dropout(ag.ones(3), p=p)
    with pytest.raises(kind, match=r"Dropout: probability p must be in \[0, 1\], got"):
        nn.Dropout(p)


# ---- activation modules ------------------------------------------------------------------------
X = np.array([[-2.0, -0.5, 0.0, 0.5, 3.0]])


@pytest.mark.parametrize("module, reference", [
    (nn.ReLU(), lambda x: np.maximum(x, 0)),
    (nn.LeakyReLU(), lambda x: np.where(x > 0, x, 0.01 * x)),
    (nn.LeakyReLU(0.2), lambda x: np.maximum(x, 0) + 0.2 * np.minimum(x, 0)),
    (nn.LeakyReLU(-1), np.abs),  # absolute-value rectification (course notes' generalized ReLU)
    (nn.ELU(alpha=0.5), lambda x: np.where(x > 0, x, 0.5 * (np.exp(x) - 1))),
    (nn.ELU(), lambda x: np.where(x > 0, x, np.exp(x) - 1)),  # PyTorch's default alpha=1
    (nn.Sigmoid(), lambda x: 1 / (1 + np.exp(-x))),
    (nn.Tanh(), np.tanh),
    (nn.Softplus(), lambda x: np.log1p(np.exp(x))),
    (nn.Softplus(beta=2.0), lambda x: np.log1p(np.exp(2 * x)) / 2),
    (nn.Softmax(dim=1), lambda x: np.exp(x) / np.exp(x).sum(axis=1, keepdims=True)),
    (nn.LogSoftmax(dim=1), lambda x: x - np.log(np.exp(x).sum(axis=1, keepdims=True))),
    (nn.Identity(), lambda x: x),
], ids=lambda v: repr(v) if isinstance(v, nn.Module) else "formula")  # a lambda's repr differs per xdist worker
def test_activation_modules_equal_their_formulas(module, reference):
    np.testing.assert_allclose(module(ag.tensor(X)).data, reference(X), rtol=1e-12, atol=1e-15)


def test_absolute_value_rectification_gradient_is_the_sign():
    x = ag.tensor(X, requires_grad=True)
    nn.LeakyReLU(-1)(x).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [[-1.0, -1.0, -1.0, 1.0, 1.0]])  # slope -1 at 0, as x <= 0


def test_softmax_modules_are_stable_for_huge_logits():
    z = ag.tensor([[1e4, 0.0, -1e4]])
    np.testing.assert_allclose(nn.Softmax(dim=1)(z).data, [[1.0, 0.0, 0.0]])
    np.testing.assert_allclose(nn.LogSoftmax(dim=-1)(z).data, [[0.0, -1e4, -2e4]])


def test_linear_default_initialisation_is_pytorchs_exactly():
    """PyTorch's Linear: W and b from U(-1/sqrt(in), 1/sqrt(in)) (kaiming_uniform_ with a=sqrt(5) for W),
    drawn from the one generator in that order."""
    layer = nn.Linear(20, 30, dtype=np.float64, rng=7)
    rng, bound = np.random.default_rng(7), 1 / np.sqrt(20)
    np.testing.assert_allclose(layer.weight.data, rng.uniform(-bound, bound, (30, 20)), rtol=0, atol=1e-15)
    np.testing.assert_allclose(layer.bias.data, rng.uniform(-bound, bound, 30), rtol=0, atol=1e-15)


def test_an_activation_module_given_to_mlp_is_copied_for_each_layer():
    class Scaled(nn.Module):  # an activation with a parameter: tying it across layers would be a silent surprise
        def __init__(self):
            super().__init__()
            self.scale = nn.Parameter(np.ones(1, np.float32))

        def forward(self, x):
            return x * self.scale

    given = Scaled()
    model = nn.MLP([2, 3, 3, 1], activation=given, rng=0)
    scales = [name for name, _ in model.named_parameters() if name.endswith("scale")]
    assert scales == ["layers.1.scale", "layers.3.scale"]
    assert model.layers[1] is not given and model.layers[1] is not model.layers[3]
    dropout = nn.Dropout(0.5, rng=0)  # no parameters: shared, so its masks come from one stream, not from copies
    model = nn.MLP([4, 4, 4, 4], activation=dropout)
    assert model.layers[1] is dropout and model.layers[3] is dropout


@pytest.mark.parametrize("make, error, message", [
    (lambda: nn.MLP(3), TypeError, r"MLP: sizes must be a list of layer widths, input first"),
    (lambda: nn.MLP([3, -1, 2]), ValueError, r"MLP: sizes\[1\] must be an int >= 0, got -1"),
    (lambda: nn.MLP(2, [16, 16, 1]), TypeError,  # micrograd's form, MLP(nin, nouts)
     r"got 2 \(micrograd's MLP\(2, \[16, 16, 1\]\) is MLP\(\[2, 16, 16, 1\]\) here\)$"),
    (lambda: nn.Linear(2, 2, dtype=np.int32), TypeError, r"Linear: dtype must be a float dtype .* got int32"),
])
def test_layer_arguments_are_refused_naming_the_layer(make, error, message):
    with pytest.raises(error, match=message):
        make()


def test_a_dtype_of_none_is_the_default_float32_as_in_torch():
    assert nn.Linear(2, 2, dtype=None).weight.dtype == np.float32  # (NumPy's None would be float64)


def test_dropout_repr_shows_its_probability():
    assert "p=0.2" in repr(nn.Dropout(0.2))


@pytest.mark.parametrize("ndim, implicit", [(0, 0), (1, 0), (2, 1), (3, 0), (4, 1)])
@pytest.mark.parametrize("name", ["softmax", "log_softmax", "softmin"])
def test_the_softmax_family_without_dim_makes_pytorchs_implicit_choice_and_warns(name, ndim, implicit):
    # PyTorch's deprecated legacy choice, dim 0 for 0-, 1- and 3-D input, else 1 (not the last axis: a 3-D input's
    # softmax is over axis 0), with its UserWarning naming the function, pointing at the caller
    shape = (2,) + (3,) * (ndim - 1) if ndim else ()
    x = ag.tensor(np.arange(np.prod(shape, dtype=float)).reshape(shape) / 10)
    function, module = getattr(F, name), {"softmax": nn.Softmax, "log_softmax": nn.LogSoftmax,
                                          "softmin": nn.Softmin}[name]
    with pytest.warns(UserWarning, match=f"^Implicit dimension choice for {name} has been deprecated") as caught:
        implicit_result = function(x)
    assert caught[0].filename == __file__
    np.testing.assert_array_equal(implicit_result.data, function(x, dim=implicit).data)
    with pytest.warns(UserWarning, match=f"^Implicit dimension choice for {name}"):
        np.testing.assert_array_equal(module()(x).data, implicit_result.data)
    assert module().dim is None and repr(module()) == f"{module.__name__}(dim=None)"
    torch = pytest.importorskip("torch")
    with pytest.warns(UserWarning, match=f"^Implicit dimension choice for {name}"):
        expected = getattr(torch.nn.functional, name)(torch.tensor(x.data))
    np.testing.assert_allclose(implicit_result.data, expected.numpy(), rtol=1e-15)


def test_cross_entropy_of_float_class_indices_is_a_type_error():
    # a float target of another shape than the input is not probabilities: it must be integer class indices
    with pytest.raises(TypeError, match="integers"):
        F.cross_entropy(ag.tensor([[1.0, 2.0], [0.5, 0.1]]), np.array([0.0, 1.0]))


def test_cross_entropy_pairs_each_position_of_a_4d_input_with_its_target():
    # (N, C, d1, d2) logits: the loss at [n, i, j] uses logits[n, :, i, j] and target[n, i, j]
    rng = np.random.default_rng(0)
    z = rng.normal(size=(2, 3, 2, 4))
    t = rng.integers(0, 3, size=(2, 2, 4))
    loss = F.cross_entropy(ag.tensor(z), t, reduction="none").data
    logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    expected = -np.take_along_axis(logp, t[:, None], axis=1)[:, 0]
    assert loss.shape == (2, 2, 4)
    assert np.allclose(loss, expected)


def test_dropout_defaults_to_torchs_half():
    """nn.Dropout() drops with torch.nn.Dropout's default p = 0.5: kept units are scaled by 1 / (1 - 0.5)."""
    torch = pytest.importorskip("torch")
    drop = nn.Dropout(rng=0)
    assert drop.p == torch.nn.Dropout().p
    out = drop(ag.ones(1000)).data
    assert set(np.unique(out).tolist()) == {0.0, 1 / (1 - torch.nn.Dropout().p)}


def test_maxout_repr_shows_its_pieces():
    text = repr(nn.Maxout(4, 3, pieces=2, rng=0))
    assert text.splitlines()[:2] == ["Maxout(", "  pieces=2"]
    assert "Linear(in_features=4, out_features=6, bias=True)" in text


def test_dropout_repr_is_pytorchs_which_always_shows_inplace():
    # torch.nn.Dropout's extra_repr is f"p={p}, inplace={inplace}" (ReLU, LeakyReLU and ELU show inplace only when True)
    torch = pytest.importorskip("torch")
    assert repr(nn.Dropout(0.5)) == repr(torch.nn.Dropout(0.5))


@pytest.mark.parametrize("make", [lambda bias: nn.Linear(2, 3, bias=bias), lambda bias: nn.Maxout(2, 3, 2, bias=bias)],
                         ids=["Linear", "Maxout"])
def test_text_for_bias_is_refused(make):
    # README: text where a flag belongs is refused (bias="no" would make a bias).
    with pytest.raises(TypeError, match=r"(Linear|Maxout): bias must be True(, False or None| or False), got 'no'"):
        make("no")
    assert [p.ndim for p in make(np.False_).parameters()] == [2]  # NumPy's False: the weight alone


@pytest.mark.parametrize("make", [lambda m, bias: m.Linear(2, 3, bias=bias),
                                  lambda m, bias: m.Conv2d(2, 3, 3, bias=bias),
                                  lambda m, bias: m.ConvTranspose1d(2, 3, 3, bias=bias),
                                  lambda m, bias: m.Bilinear(2, 2, 3, bias=bias)],
                         ids=["Linear", "Conv2d", "ConvTranspose1d", "Bilinear"])
def test_bias_none_means_no_bias_as_pytorchs_truth_test(make):
    # hamiltonian-nn's MLP: torch.nn.Linear(hidden_dim, output_dim, bias=None), a layer without bias in PyTorch
    layer = make(nn, None)
    assert layer.bias is None and len(list(layer.parameters())) == 1
    assert "bias=False" in repr(layer) or "bias" not in repr(layer)
    torch = pytest.importorskip("torch")
    assert make(torch.nn, None).bias is None


@pytest.mark.parametrize("shape, dims", [((2, 3, 4), ()), ((2, 3, 4), (0, 1)), ((2, 3, 4), (0, -1)), ((5,), (0, -1)),
                                         ((2, 3, 4, 5), (1, 2)), ((2, 3), (1, 1)), ((), (0, -1))])
def test_flatten_joins_the_axes_from_start_dim_to_end_dim_as_torch(shape, dims):
    values = np.arange(float(np.prod(shape))).reshape(shape)
    x = ag.tensor(values, requires_grad=True)
    y = nn.Flatten(*dims)(x)
    end = (dims[1] if len(dims) > 1 else -1) % max(len(shape), 1)
    start = (dims[0] if dims else 1) % max(len(shape), 1)
    expected = values.reshape(shape[:start] + (-1,) + shape[end + 1:]) if shape else values.reshape(1)
    np.testing.assert_array_equal(y.data, expected)
    (y * np.arange(float(y.size)).reshape(y.shape)).sum().backward()  # each element's weight, back in x's place
    np.testing.assert_array_equal(x.grad.data, np.arange(float(x.size)).reshape(shape))
    torch = pytest.importorskip("torch")
    assert y.shape == tuple(torch.nn.Flatten(*dims)(torch.tensor(values)).shape)


def test_flatten_refuses_dims_out_of_range_or_out_of_order_by_name():
    with pytest.raises(IndexError, match=r"Flatten: dim 1 is out of range for an input of shape \(5,\); valid dims "
                                         r"are -1..0"):
        nn.Flatten()(np.ones(5))
    with pytest.raises(ValueError, match=r"Flatten: start_dim=1 comes after end_dim=0 for an input of shape \(2, 3\)"):
        nn.Flatten(1, 0)(np.ones((2, 3)))
    with pytest.raises(TypeError, match=r"Flatten: start_dim must be an int, got 1.0"):
        nn.Flatten(1.0)
    assert repr(nn.Flatten()) == "Flatten(start_dim=1, end_dim=-1)"


@pytest.mark.parametrize("make", [lambda d: nn.Linear(2, 2, dtype=d), lambda d: nn.MultiheadAttention(4, 2, dtype=d),
                                  lambda d: nn.LSTM(2, 3, dtype=d), lambda d: nn.RMSNorm(3, dtype=d)],
                         ids=["Linear", "MultiheadAttention", "LSTM", "RMSNorm"])
@pytest.mark.parametrize("dtype", ["foo", "cpu"])
def test_a_dtype_that_names_no_numpy_dtype_is_refused_naming_the_layer(make, dtype):
    with pytest.raises(TypeError, match=rf"dtype must be a float dtype .* got '{dtype}', which names no NumPy dtype"):
        make(dtype)


def test_pytorchs_positional_device_and_dtype_name_the_keyword():
    # mnist_forward_forward's Layer(nn.Linear) passes super().__init__(in_features, out_features, bias, device, dtype):
    # with both None it makes PyTorch's float32 layer; a device lands on dtype and a dtype on rng, refused naming dtype=
    class Layer(nn.Linear):
        def __init__(self, in_features, out_features, bias=True, device=None, dtype=None):
            super().__init__(in_features, out_features, bias, device, dtype)

    assert Layer(3, 2).weight.dtype == np.float32
    with pytest.raises(TypeError, match=r"^Linear: dtype .* got 'cpu', which names no NumPy dtype; a device there is "
                                        r"PyTorch's order \(\.\.\., device, dtype\).* pass dtype= by keyword$"):
        Layer(3, 2, device="cpu")
    with pytest.raises(TypeError, match=r"^Linear: rng must be .* got the dtype <class 'numpy.float64'>: .* pass "
                                        r"dtype= by keyword$"):
        Layer(3, 2, dtype=np.float64)
    with pytest.raises(TypeError, match=r"which names no NumPy dtype$"):  # (no device: no word of the order)
        nn.Linear(3, 2, True, "foo")
    assert nn.Linear(3, 2, True, np.float64).weight.dtype == np.float64


# ---- size 0: zero-element weights, as PyTorch's ---------------------------------------------------------------------
ZERO_ELEMENT_WARNING = "Initializing zero-element tensors is a no-op"


def test_linear_of_in_features_0_outputs_its_bias_of_zeros_broadcast():
    """PyTorch's Linear(0, 3): kaiming_uniform_ leaves the (3, 0) weight with its warning, and the bias bound is 0
    (no division by fan_in 0), so the output is 0 and the bias gets the summed cotangent."""
    with pytest.warns(UserWarning, match=ZERO_ELEMENT_WARNING):
        layer = nn.Linear(0, 3, rng=0)
    assert layer.weight.shape == (3, 0) and layer.bias.data.tolist() == [0.0, 0.0, 0.0]
    output, (x_grad,), grads = layer_results(layer, [np.ones((2, 0), np.float32)])
    np.testing.assert_array_equal(output, np.zeros((2, 3)))
    assert x_grad.shape == (2, 0) and grads["weight"].shape == (3, 0)
    np.testing.assert_array_equal(grads["bias"], [5.0, 7.0, 9.0])  # cotangent [[1, 2, 3], [4, 5, 6]] summed


@pytest.mark.filterwarnings(f"ignore:{ZERO_ELEMENT_WARNING}")
@pytest.mark.parametrize("in_features", [3, 0])
def test_linear_of_out_features_0_gives_an_empty_output(in_features):
    layer = nn.Linear(in_features, 0, rng=0)
    output, (x_grad,), grads = layer_results(layer, [np.ones((2, in_features), np.float32)])
    assert output.shape == (2, 0) and layer.bias.shape == (0,)
    np.testing.assert_array_equal(x_grad, np.zeros((2, in_features)))
    assert grads["weight"].shape == (0, in_features) and grads["bias"].shape == (0,)


@pytest.mark.filterwarnings(f"ignore:{ZERO_ELEMENT_WARNING}")
def test_maxout_and_mlp_take_sizes_of_0():
    output, _, grads = layer_results(nn.Maxout(0, 2, pieces=3, rng=0), [np.ones((4, 0), np.float32)])
    np.testing.assert_array_equal(output, np.zeros((4, 2)))  # the maximum of biases of 0
    assert grads["linear.weight"].shape == (6, 0)
    assert nn.Maxout(3, 0, pieces=2, rng=0)(np.ones((4, 3))).shape == (4, 0)
    model = nn.MLP([3, 0, 2], rng=0)  # a hidden layer of no units: the output is the last layer's bias
    output, (x_grad,), grads = layer_results(model, [np.ones((4, 3), np.float32)])
    np.testing.assert_array_equal(output, np.broadcast_to(model.layers[2].bias.data, (4, 2)))
    np.testing.assert_array_equal(x_grad, np.zeros((4, 3)))
    np.testing.assert_array_equal(grads["layers.2.bias"], [16.0, 20.0])
    assert [g.shape for g in grads.values()] == [(0, 3), (0,), (2, 0), (2,)]
    assert nn.MLP([0, 4], rng=0)(np.ones((1, 0))).shape == (1, 4)


@pytest.mark.parametrize("sizes", [(0, 3), (3, 0), (0, 0)])
def test_linear_of_size_0_matches_pytorchs(sizes):
    torch = pytest.importorskip("torch")
    with pytest.warns(UserWarning, match=ZERO_ELEMENT_WARNING):
        theirs = torch.nn.Linear(*sizes)
    with pytest.warns(UserWarning, match=ZERO_ELEMENT_WARNING):
        ours = nn.Linear(*sizes, rng=0)
    np.testing.assert_array_equal(ours.bias.data, theirs.bias.detach().numpy())  # (zeros, or nothing)
    x = np.random.default_rng(0).normal(size=(2, sizes[0])).astype(np.float32)
    assert_same_layer_results(layer_results(ours, [x]), layer_results(theirs, [x], torch))


def test_lazy_linear_of_size_0_as_pytorchs():
    with pytest.warns(UserWarning, match=ZERO_ELEMENT_WARNING):
        layer = nn.LazyLinear(0, rng=0)
        assert layer(np.ones((2, 3))).shape == (2, 0)  # PyTorch's LazyLinear(0) too
    assert type(layer) is nn.Linear and layer.weight.shape == (0, 3)
    with pytest.warns(UserWarning, match=ZERO_ELEMENT_WARNING):
        layer = nn.LazyLinear(3, rng=0)  # an input of no features: Linear(0, 3) (PyTorch's leaves its bias unset)
        np.testing.assert_array_equal(layer(np.ones((2, 0))).data, np.zeros((2, 3)))
    assert layer.in_features == 0 and layer.bias.data.tolist() == [0.0, 0.0, 0.0]
    with pytest.raises(ValueError, match=r"Linear: out_features must be an int >= 0, got -1"):
        nn.LazyLinear(-1)


@pytest.mark.parametrize("x", [np.float32(1.0), np.ones((2, 3), np.float32)], ids=["0-d", "width"])
def test_linear_wrong_input_is_pytorchs_runtime_error_too(x):
    # found by porting PyTorch's test_nn.py (test_linear_raise_on_scalar_input: RuntimeError ".*both arguments.*1D.*")
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        torch.nn.Linear(1, 1)(torch.tensor(x))
    match = r"both arguments to linear need to be at least 1D" if not np.ndim(x) else r"got input of shape \(2, 3\)"
    with pytest.raises(RuntimeError, match=match) as caught:
        nn.Linear(1, 1)(x)
    assert isinstance(caught.value, ValueError)
