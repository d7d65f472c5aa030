"""PyTorch's device= keyword on the layers (nn/_arguments.takes_device): each layer whose PyTorch namesake takes
device= takes it here too, as a keyword, where None and "cpu" build the layer they build without it and another
device is refused by check_device's DeviceError naming the layer."""
import inspect

import numpy as np
import pytest

import nn
from autograd_core._arguments import DeviceError


def _ones(*shape):
    return np.linspace(-1.0, 1.0, int(np.prod(shape))).reshape(shape)


def _ids(*shape):
    return np.arange(int(np.prod(shape))).reshape(shape) % 10


# name: (the layer made with the keywords given, the inputs of a forward: None for a base class without one)
LAYERS = {
    "Linear": (lambda **kw: nn.Linear(3, 2, rng=0, **kw), (_ones(4, 3),)),
    "Bilinear": (lambda **kw: nn.Bilinear(3, 2, 4, rng=0, **kw), (_ones(5, 3), _ones(5, 2))),
    "Embedding": (lambda **kw: nn.Embedding(10, 3, padding_idx=0, rng=0, **kw), (_ids(2, 4),)),
    "EmbeddingBag": (lambda **kw: nn.EmbeddingBag(10, 3, rng=0, **kw), (_ids(2, 4),)),
    "PReLU": (lambda **kw: nn.PReLU(3, **kw), (_ones(2, 3, 4),)),
    "AdaptiveLogSoftmaxWithLoss": (lambda **kw: nn.AdaptiveLogSoftmaxWithLoss(4, 10, [3, 6], rng=0, **kw),
                                   (_ones(2, 4), np.array([1, 7]))),
    "Conv1d": (lambda **kw: nn.Conv1d(2, 3, 3, rng=0, **kw), (_ones(1, 2, 6),)),
    "Conv2d": (lambda **kw: nn.Conv2d(2, 3, 3, rng=0, **kw), (_ones(1, 2, 5, 5),)),
    "Conv3d": (lambda **kw: nn.Conv3d(2, 3, 2, rng=0, **kw), (_ones(1, 2, 3, 3, 3),)),
    "ConvTranspose1d": (lambda **kw: nn.ConvTranspose1d(2, 3, 3, rng=0, **kw), (_ones(1, 2, 4),)),
    "ConvTranspose2d": (lambda **kw: nn.ConvTranspose2d(2, 3, 3, rng=0, **kw), (_ones(1, 2, 4, 4),)),
    "ConvTranspose3d": (lambda **kw: nn.ConvTranspose3d(2, 3, 2, rng=0, **kw), (_ones(1, 2, 3, 3, 3),)),
    "LayerNorm": (lambda **kw: nn.LayerNorm(3, **kw), (_ones(2, 3),)),
    "RMSNorm": (lambda **kw: nn.RMSNorm(3, **kw), (_ones(2, 3),)),
    "GroupNorm": (lambda **kw: nn.GroupNorm(2, 4, **kw), (_ones(2, 4, 3),)),
    "BatchNorm1d": (lambda **kw: nn.BatchNorm1d(3, **kw), (_ones(4, 3),)),
    "BatchNorm2d": (lambda **kw: nn.BatchNorm2d(3, **kw), (_ones(2, 3, 2, 2),)),
    "BatchNorm3d": (lambda **kw: nn.BatchNorm3d(3, **kw), (_ones(2, 3, 2, 2, 2),)),
    "InstanceNorm1d": (lambda **kw: nn.InstanceNorm1d(3, affine=True, **kw), (_ones(2, 3, 4),)),
    "InstanceNorm2d": (lambda **kw: nn.InstanceNorm2d(3, affine=True, **kw), (_ones(2, 3, 2, 2),)),
    "InstanceNorm3d": (lambda **kw: nn.InstanceNorm3d(3, affine=True, **kw), (_ones(2, 3, 2, 2, 2),)),
    "RNNCell": (lambda **kw: nn.RNNCell(3, 4, rng=0, **kw), (_ones(2, 3),)),
    "LSTMCell": (lambda **kw: nn.LSTMCell(3, 4, rng=0, **kw), (_ones(2, 3),)),
    "GRUCell": (lambda **kw: nn.GRUCell(3, 4, rng=0, **kw), (_ones(2, 3),)),
    "RNNBase": (lambda **kw: nn.RNNBase("LSTM", 3, 4, rng=0, **kw), None),
    "RNN": (lambda **kw: nn.RNN(3, 4, num_layers=2, rng=0, **kw), (_ones(5, 2, 3),)),
    "LSTM": (lambda **kw: nn.LSTM(3, 4, proj_size=2, rng=0, **kw), (_ones(5, 2, 3),)),
    "GRU": (lambda **kw: nn.GRU(3, 4, bidirectional=True, rng=0, **kw), (_ones(5, 2, 3),)),
    "MultiheadAttention": (lambda **kw: nn.MultiheadAttention(4, 2, rng=0, **kw), (_ones(3, 2, 4),) * 3),
    "TransformerEncoderLayer": (lambda **kw: nn.TransformerEncoderLayer(4, 2, 8, rng=0, **kw), (_ones(3, 2, 4),)),
    "TransformerDecoderLayer": (lambda **kw: nn.TransformerDecoderLayer(4, 2, 8, rng=0, **kw),
                                (_ones(3, 2, 4), _ones(5, 2, 4))),
    "Transformer": (lambda **kw: nn.Transformer(4, 2, 1, 1, 8, rng=0, **kw), (_ones(5, 2, 4), _ones(3, 2, 4))),
    "LazyLinear": (lambda **kw: nn.LazyLinear(2, rng=0, **kw), (_ones(4, 3),)),
    "LazyConv1d": (lambda **kw: nn.LazyConv1d(3, 3, rng=0, **kw), (_ones(1, 2, 6),)),
    "LazyConv2d": (lambda **kw: nn.LazyConv2d(3, 3, rng=0, **kw), (_ones(1, 2, 5, 5),)),
    "LazyConv3d": (lambda **kw: nn.LazyConv3d(3, 2, rng=0, **kw), (_ones(1, 2, 3, 3, 3),)),
    "LazyConvTranspose1d": (lambda **kw: nn.LazyConvTranspose1d(3, 3, rng=0, **kw), (_ones(1, 2, 4),)),
    "LazyConvTranspose2d": (lambda **kw: nn.LazyConvTranspose2d(3, 3, rng=0, **kw), (_ones(1, 2, 4, 4),)),
    "LazyConvTranspose3d": (lambda **kw: nn.LazyConvTranspose3d(3, 2, rng=0, **kw), (_ones(1, 2, 3, 3, 3),)),
    "LazyBatchNorm1d": (lambda **kw: nn.LazyBatchNorm1d(**kw), (_ones(4, 3),)),
    "LazyBatchNorm2d": (lambda **kw: nn.LazyBatchNorm2d(**kw), (_ones(2, 3, 2, 2),)),
    "LazyBatchNorm3d": (lambda **kw: nn.LazyBatchNorm3d(**kw), (_ones(2, 3, 2, 2, 2),)),
    "LazyInstanceNorm1d": (lambda **kw: nn.LazyInstanceNorm1d(**kw), (_ones(2, 3, 4),)),
    "LazyInstanceNorm2d": (lambda **kw: nn.LazyInstanceNorm2d(**kw), (_ones(2, 3, 2, 2),)),
    "LazyInstanceNorm3d": (lambda **kw: nn.LazyInstanceNorm3d(**kw), (_ones(2, 3, 2, 2, 2),)),
}

# Ours is a base class for isinstance checks only, taking no arguments; PyTorch's builds a cell's weights
NOT_A_FACTORY = {"RNNCellBase"}


def _layer_classes():
    """The Module classes nn exports, by name."""
    return {name: value for name, value in vars(nn).items()
            if inspect.isclass(value) and issubclass(value, nn.Module)}


def _takes_device(cls):
    return "device" in inspect.signature(cls).parameters


def _arrays(value):
    """The arrays in a layer's output (a Tensor, or tuples of them, None left out), in order."""
    if value is None:
        return []
    if isinstance(value, tuple):
        return [array for item in value for array in _arrays(item)]
    return [np.asarray(value.data)]


def _run(name, **kwargs):
    """The layer's state dict and its output (in eval mode: no dropout draws) for LAYERS' inputs, as arrays."""
    make, inputs = LAYERS[name]
    layer = make(**kwargs).eval()
    outputs = [] if inputs is None else _arrays(layer(*inputs))  # (a lazy layer's parameters made here)
    return {key: np.asarray(value) for key, value in layer.state_dict().items()}, outputs


def test_the_table_holds_every_layer_that_takes_a_device():
    assert {name for name, cls in _layer_classes().items() if _takes_device(cls)} == set(LAYERS)


@pytest.mark.parametrize("name", sorted(LAYERS))
@pytest.mark.parametrize("device", [None, "cpu", "cpu:0"])
def test_the_cpu_builds_the_layer_built_without_a_device(name, device):
    state, outputs = _run(name)
    state_on_device, outputs_on_device = _run(name, device=device)
    assert state_on_device.keys() == state.keys() and state
    for key in state:
        np.testing.assert_array_equal(state_on_device[key], state[key], err_msg=key)
        assert state_on_device[key].dtype == state[key].dtype
    assert len(outputs_on_device) == len(outputs) and (outputs or LAYERS[name][1] is None)
    for got, expected in zip(outputs_on_device, outputs):
        np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("name", sorted(LAYERS))
@pytest.mark.parametrize("device", ["cuda", "cuda:1", "mps"])
def test_another_device_is_refused_naming_the_layer(name, device):
    owner = getattr(nn, name).__name__  # (nn.RNNBase is the class _RNNBase)
    with pytest.raises(DeviceError, match=rf"^{owner}: device '{device}' is not available: autograd_core computes on "
                                          rf"the CPU with NumPy; use 'cpu' \(or leave device out\)$"):
        LAYERS[name][0](device=device)


def test_a_device_error_is_pytorchs_runtime_error_and_numpys_value_error():
    for error in (RuntimeError, ValueError):
        with pytest.raises(error, match="^Conv2d: device 'cuda'"):
            nn.Conv2d(1, 1, 1, device="cuda")


def test_device_is_a_keyword_and_pytorchs_keyword_call_from_a_subclass_runs():
    # PyTorch's subclasses pass super().__init__(..., device=device, dtype=dtype); here dtype comes where PyTorch's
    # positional device does, so a sixth positional argument of Linear is one too many
    class Layer(nn.Linear):
        def __init__(self, in_features, out_features, bias=True, device=None, dtype=None):
            super().__init__(in_features, out_features, bias, device=device, dtype=dtype)

    assert Layer(3, 2, device="cpu").weight.dtype == np.float32
    assert Layer(3, 2, device="cpu", dtype=np.float64).weight.dtype == np.float64
    with pytest.raises(DeviceError, match="^Layer: device 'cuda'"):
        Layer(3, 2, device="cuda")
    with pytest.raises(TypeError, match="positional"):
        nn.Linear(3, 2, True, np.float32, None, "cpu")
    assert inspect.signature(nn.Linear).parameters["device"].kind is inspect.Parameter.KEYWORD_ONLY


def test_device_stands_before_a_keyword_dtype_as_in_pytorch():
    names = list(inspect.signature(nn.LayerNorm).parameters)
    assert names[names.index("device") + 1] == "dtype"


def test_a_lazy_layer_keeps_the_device_it_was_given_when_it_becomes_its_ordinary_class():
    layer = nn.LazyLinear(2, rng=0, device="cpu")
    layer(_ones(4, 3))
    assert type(layer) is nn.Linear
    np.testing.assert_array_equal(layer.weight.data, nn.Linear(3, 2, rng=0).weight.data)


def _torch_takes_device(cls):
    """Whether torch.nn's cls takes device=: its signature has it, or it passes (*args, **kwargs) on to a base
    class whose does (torch.nn.LSTM's to RNNBase)."""
    for klass in cls.__mro__:
        if "__init__" not in vars(klass):
            continue
        parameters = inspect.signature(klass.__init__).parameters
        if "device" in parameters:
            return True
        if not any(p.kind is p.VAR_KEYWORD for p in parameters.values()):
            return False
    return False


def test_the_layers_taking_a_device_are_pytorchs():
    torch = pytest.importorskip("torch")
    shared = {name: cls for name, cls in _layer_classes().items() if inspect.isclass(getattr(torch.nn, name, None))}
    ours = {name for name, cls in shared.items() if _takes_device(cls)}
    theirs = {name for name in shared if _torch_takes_device(getattr(torch.nn, name))}
    assert {"Linear", "LSTM", "Transformer", "LazyConv2d"} <= theirs  # (the rule reads torch's signatures)
    assert ours == theirs - NOT_A_FACTORY
    assert NOT_A_FACTORY <= theirs

