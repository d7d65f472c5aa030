"""The layers' forward takes its inputs under PyTorch's names, so a call by keyword (`conv(input=x)`,
`loss(log_input=x, target=y)`) works as in PyTorch, with PyTorch's values."""
import inspect

import numpy as np
import pytest

import autograd_core as ag
import nn


LAYERS = [
    ("Conv1d", (2, 3, 2), (1, 2, 5)), ("Conv2d", (2, 3, 2), (1, 2, 4, 4)), ("Conv3d", (2, 3, 2), (1, 2, 3, 3, 3)),
    ("MaxPool1d", (2,), (1, 2, 6)), ("MaxPool2d", (2,), (1, 2, 4, 4)), ("MaxPool3d", (2,), (1, 2, 4, 4, 4)),
    ("AvgPool1d", (2,), (1, 2, 6)), ("AvgPool2d", (2,), (1, 2, 4, 4)), ("AvgPool3d", (2,), (1, 2, 4, 4, 4)),
    ("LazyConv2d", (3, 2), (1, 2, 4, 4)), ("Linear", (3, 2), (2, 3)),
]


@pytest.mark.parametrize("name, args, shape", LAYERS)
def test_layers_take_their_input_by_pytorchs_keyword(name, args, shape):
    # (found by porting PyTorch's ModuleInfo entries: Linear's forward input is FunctionInput(input=x), and ours,
    # named x, raised a TypeError; the convolutions and poolings had the same name)
    ours = getattr(nn, name)(*args).double()
    x = ag.tensor(np.random.default_rng(0).normal(size=shape))
    by_position = ours(x)  # (a lazy layer's first call sizes it)
    assert list(inspect.signature(type(ours).forward).parameters)[1:] == ["input"]
    np.testing.assert_array_equal(ours(input=x).data, by_position.data)


@pytest.mark.parametrize("name, args, shape", LAYERS)
def test_layers_take_their_input_by_pytorchs_keyword_as_torch(name, args, shape):
    torch = pytest.importorskip("torch")
    theirs = getattr(torch.nn, name)(*args).double()
    ours = getattr(nn, name)(*args).double()
    x = np.random.default_rng(0).normal(size=shape)
    expected = theirs(input=torch.tensor(x))
    if name.startswith("Lazy"):
        ours(ag.tensor(x))
    ours.load_state_dict({k: v.numpy() for k, v in theirs.state_dict().items()})
    np.testing.assert_allclose(ours(input=ag.tensor(x)).data, expected.detach().numpy(), rtol=1e-12)
    assert list(inspect.signature(type(ours).forward).parameters)[1:] == \
        list(inspect.signature(type(theirs).forward).parameters)[1:]


def test_poisson_nll_loss_takes_pytorchs_log_input_keyword():
    # (found by porting PyTorch's ModuleInfo entries for PoissonNLLLoss: PyTorch's forward is (log_input, target))
    x, y = np.array([0.5, -1.0, 2.0]), np.array([1.0, 0.0, 3.0])
    loss = nn.PoissonNLLLoss()(log_input=ag.tensor(x), target=ag.tensor(y)).item()
    assert loss == pytest.approx(np.mean(np.exp(x) - y * x), rel=1e-14)  # (log_input=True: exp(x) - y x)
    assert list(inspect.signature(nn.PoissonNLLLoss.forward).parameters)[1:] == ["log_input", "target"]


def test_poisson_nll_loss_takes_pytorchs_log_input_keyword_as_torch():
    torch = pytest.importorskip("torch")
    x, y = np.array([0.5, -1.0, 2.0]), np.array([1.0, 0.0, 3.0])
    expected = torch.nn.PoissonNLLLoss()(log_input=torch.tensor(x), target=torch.tensor(y)).item()
    assert nn.PoissonNLLLoss()(log_input=ag.tensor(x), target=ag.tensor(y)).item() == pytest.approx(expected,
                                                                                                   rel=1e-14)


ONE_INPUT = [
    "ReLU", "LeakyReLU", "ELU", "Sigmoid", "Tanh", "Softplus", "Softmax", "LogSoftmax", "Identity", "GELU", "CELU",
    "SELU", "Hardtanh", "ReLU6", "LogSigmoid", "Softsign", "Tanhshrink", "Softmin", "PReLU", "Mish", "SiLU",
    "Dropout", "Dropout1d", "Dropout2d", "Dropout3d", "AlphaDropout", "FeatureAlphaDropout", "Flatten", "Sequential",
]


@pytest.mark.parametrize("name", ONE_INPUT)
def test_activations_dropouts_flatten_and_sequential_take_pytorchs_input_keyword(name):
    # (found by porting PyTorch's ModuleInfo entries: forward(self, x) refused PyTorch's input=)
    ours = getattr(nn, name)
    assert list(inspect.signature(ours.forward).parameters)[1:] == ["input"]
    layer = ours(nn.Tanh()) if name == "Sequential" else ours(dim=1) if "Soft" in name and "max" in name \
        or name == "Softmin" else ours()
    x = np.array([[-1.5, 0.0, 2.0]])
    np.testing.assert_array_equal(layer.eval()(input=ag.tensor(x)).data, layer(ag.tensor(x)).data)


@pytest.mark.parametrize("name", ONE_INPUT)
def test_activations_dropouts_flatten_and_sequential_take_pytorchs_input_keyword_as_torch(name):
    torch = pytest.importorskip("torch")
    ours, theirs = getattr(nn, name), getattr(torch.nn, name)
    assert list(inspect.signature(ours.forward).parameters)[1:] == \
        list(inspect.signature(theirs.forward).parameters)[1:]
