"""Lazy modules (nn.lazy) and uninitialized parameters: after the first forward a lazy module is the ordinary one
built with the same rng; before it, its parameters refuse every use, as PyTorch's; state dicts, load_state_dict,
Module.to, copies, optimizers and fit around them, and PyTorch's behaviour where it is observable."""
import copy
import pickle
import warnings

import numpy as np
import pytest

import autograd_core as ag
import nn
from autograd_core.testing import gradcheck, gradgradcheck

# (lazy class, its arguments, the ordinary class, the input shape, the inferred size)
CASES = [
    (nn.LazyLinear, dict(out_features=3), nn.Linear, (4, 5), 5),
    (nn.LazyLinear, dict(out_features=2, bias=False), nn.Linear, (2, 3, 6), 6),
    (nn.LazyLinear, dict(out_features=2), nn.Linear, (7,), 7),
    (nn.LazyConv1d, dict(out_channels=4, kernel_size=3, padding=1), nn.Conv1d, (2, 3, 8), 3),
    (nn.LazyConv1d, dict(out_channels=4, kernel_size=2, groups=2, bias=False), nn.Conv1d, (4, 7), 4),
    (nn.LazyConv2d, dict(out_channels=6, kernel_size=(3, 2), stride=2, groups=3), nn.Conv2d, (2, 3, 7, 6), 3),
    (nn.LazyConv2d, dict(out_channels=2, kernel_size=3, padding="same", padding_mode="circular"), nn.Conv2d,
     (2, 5, 5), 2),
    (nn.LazyConv3d, dict(out_channels=2, kernel_size=2), nn.Conv3d, (1, 2, 3, 4, 3), 2),
    (nn.LazyConvTranspose1d, dict(out_channels=4, kernel_size=3, stride=2, groups=2), nn.ConvTranspose1d,
     (2, 6, 5), 6),
    (nn.LazyConvTranspose2d, dict(out_channels=3, kernel_size=2, bias=False), nn.ConvTranspose2d, (5, 3, 4), 5),
    (nn.LazyConvTranspose3d, dict(out_channels=2, kernel_size=(1, 2, 2), stride=2), nn.ConvTranspose3d,
     (1, 3, 2, 2, 3), 3),
    (nn.LazyBatchNorm1d, dict(), nn.BatchNorm1d, (6, 4), 4),
    (nn.LazyBatchNorm1d, dict(affine=False, momentum=None), nn.BatchNorm1d, (3, 2, 5), 2),
    (nn.LazyBatchNorm2d, dict(track_running_stats=False), nn.BatchNorm2d, (3, 2, 4, 4), 2),
    (nn.LazyBatchNorm3d, dict(eps=1e-3), nn.BatchNorm3d, (2, 3, 2, 3, 2), 3),
    (nn.LazyInstanceNorm1d, dict(affine=True), nn.InstanceNorm1d, (3, 5), 3),
    (nn.LazyInstanceNorm1d, dict(), nn.InstanceNorm1d, (2, 4, 5), 4),
    (nn.LazyInstanceNorm1d, dict(affine=False, track_running_stats=False), nn.InstanceNorm1d, (2, 4, 5), 4),
    (nn.LazyInstanceNorm2d, dict(track_running_stats=True), nn.InstanceNorm2d, (2, 3, 4, 4), 3),
    (nn.LazyInstanceNorm3d, dict(affine=True, bias=False), nn.InstanceNorm3d, (2, 2, 3, 3), 2),
]
IDS = [f"{case[0].__name__}-{i}" for i, case in enumerate(CASES)]
TAKES_RNG = (nn.LazyLinear, nn.LazyConv1d, nn.LazyConv2d, nn.LazyConv3d, nn.LazyConvTranspose1d,
             nn.LazyConvTranspose2d, nn.LazyConvTranspose3d)


def _arguments(lazy, arguments, dtype, seed):
    """The arguments of lazy's ordinary class (its defaults: the lazy class's), with dtype and an rng seed."""
    defaults = {name: p.default for name, p in lazy.__signature__.parameters.items() if name != "rng"}
    return {**defaults, **arguments, "dtype": dtype, **({"rng": seed} if lazy in TAKES_RNG else {})}


def _state(module):
    return {name: np.asarray(value) for name, value in module.state_dict().items()}


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("lazy, arguments, ordinary, shape, size", CASES, ids=IDS)
def test_first_forward_gives_the_ordinary_module_of_the_same_seed(lazy, arguments, ordinary, shape, size, dtype):
    x = np.random.default_rng(1).normal(size=shape)
    module = lazy(**_arguments(lazy, arguments, dtype, 7))
    assert type(module) is lazy and getattr(module, lazy.inferred) == 0
    expected = ordinary(size, **_arguments(lazy, arguments, dtype, 7))
    y = module(x)
    assert type(module) is ordinary and not any(nn._uninitialized.is_lazy(t) for t in vars(module).values())
    assert getattr(module, lazy.inferred) == size and repr(module) == repr(expected)
    assert module._forward_pre_hooks == {} and not hasattr(module, "_lazy_arguments")
    mine, theirs = _state(module), _state(ordinary(size, **_arguments(lazy, arguments, dtype, 7)))
    assert list(mine) == list(theirs)
    for name in mine:
        assert mine[name].dtype == theirs[name].dtype and mine[name].shape == theirs[name].shape, name
    first = _state(expected)
    assert all(np.array_equal(mine[name], first[name]) for name in mine if name in dict(module.named_parameters()))
    np.testing.assert_array_equal(y.data, expected(x).data)
    assert y.dtype == expected(x).dtype
    for name, value in module.named_parameters():
        assert type(value) is nn.Parameter and value.dtype == dtype, name
    np.testing.assert_array_equal(module(x).data, expected(x).data)  # the second call: an ordinary module's


def test_a_generator_is_drawn_from_at_the_first_forward():
    layer = nn.LazyConv2d(4, 3, rng=np.random.default_rng(5))
    layer(np.ones((1, 2, 5, 5)))
    twin = nn.Conv2d(2, 4, 3, rng=np.random.default_rng(5))
    np.testing.assert_array_equal(layer.weight.data, twin.weight.data)
    np.testing.assert_array_equal(layer.bias.data, twin.bias.data)


def test_parameters_are_the_same_objects_and_an_optimizer_made_before_trains_them():
    layer = nn.LazyLinear(1, rng=0)
    weight, bias = layer.weight, layer.bias
    optimizer = nn.optim.SGD(layer.parameters(), lr=0.1)  # PyTorch allows it too
    optimizer.step()  # no gradients yet: nothing to do
    x, y = np.ones((4, 2), np.float32), np.zeros((4, 1), np.float32)
    loss = nn.MSELoss()(layer(x), y)
    loss.backward()
    before = weight.data.copy()
    optimizer.step()
    assert layer.weight is weight and layer.bias is bias and type(weight) is nn.Parameter
    np.testing.assert_allclose(weight.data, before - 0.1 * weight.grad.data)


def test_fit_trains_a_lazy_model_as_the_ordinary_one():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(64, 3)).astype(np.float32)
    y = (X @ np.array([[1.0], [-2.0], [0.5]], np.float32) + 0.3).astype(np.float32)

    def train(model):
        optimizer = nn.optim.Adam(model.parameters(), lr=0.05)
        return nn.fit(model, nn.MSELoss(), optimizer, (X, y), epochs=5, batch_size=16, shuffle=False, progress=False)

    lazy = train(nn.Sequential(nn.LazyLinear(8, rng=1), nn.Tanh(), nn.LazyLinear(1, rng=2)))
    plain = train(nn.Sequential(nn.Linear(3, 8, rng=1), nn.Tanh(), nn.Linear(8, 1, rng=2)))
    np.testing.assert_array_equal(lazy["train_loss"], plain["train_loss"])
    assert lazy["train_loss"][-1] < lazy["train_loss"][0] / 4


def test_gradients_through_a_materialised_lazy_module_to_second_order():
    layer = nn.LazyConv1d(2, 2, dtype=np.float64, rng=0)
    x = ag.tensor(np.random.default_rng(0).normal(size=(2, 3, 4)), requires_grad=True)
    layer(x)
    assert gradcheck(lambda t: ag.tanh(layer(t)).sum(), x)
    assert gradgradcheck(lambda t: ag.tanh(layer(t)).sum(), x)


# ---- before the first forward ------------------------------------------------------------------------------------
def test_uninitialized_parameters_refuse_every_use_naming_the_parameter():
    layer = nn.LazyLinear(3)
    w = layer.weight
    assert repr(w) == "<UninitializedParameter>" and w.dtype == np.float32 and w.requires_grad and w.grad is None
    for use in (lambda: w.shape, lambda: w.ndim, lambda: len(w)):
        with pytest.raises(RuntimeError, match=r"cannot access the (shape|length) of an uninitialized parameter "
                                               r"\(LazyLinear\.weight\): .*dry run"):
            use()
    for use in (lambda: w + 1, lambda: np.asarray(w), lambda: ag.exp(w), lambda: w.sum(), lambda: np.ones(3) @ w,
                lambda: nn.init.zeros_(w), lambda: nn.Linear(2, 3).load_state_dict(layer.state_dict())):
        with pytest.raises((ValueError, RuntimeError), match=r"cannot (use|make an array of|access the shape of) an "
                                                             r"uninitialized parameter"):
            use()
    with pytest.raises(RuntimeError, match=r"cannot assign values to an uninitialized parameter \(LazyLinear.weight\)"):
        w.data = np.ones((3, 2))
    buffer = nn.LazyBatchNorm1d().running_mean
    with pytest.raises(ValueError, match=r"cannot use an uninitialized buffer \(LazyBatchNorm1d\.running_mean\) in "
                                         r".*: an nn\.UninitializedBuffer has no shape or values yet"):
        buffer * 2


def test_uninitialized_parameter_and_buffer_materialize():
    w = nn.UninitializedParameter(dtype=np.float64)
    assert nn.UninitializedParameter in type(w).__mro__ and isinstance(w, nn.Parameter)
    w.materialize((2, 3))
    assert type(w) is nn.Parameter and w.shape == (2, 3) and w.dtype == np.float64 and w.requires_grad
    assert not w.data.any()
    b = nn.UninitializedBuffer()
    assert not b.requires_grad and repr(b) == "<UninitializedBuffer>"
    b.materialize(4, dtype=np.float16)
    assert type(b) is nn.Buffer and b.shape == (4,) and b.dtype == np.float16  # (PyTorch's keeps its _is_buffer)
    with pytest.raises(TypeError, match=r"UninitializedParameter\.materialize: shape must be an int or a tuple of "
                                        r"ints, got 'ab'"):
        nn.UninitializedParameter().materialize("ab")
    with pytest.raises(ValueError, match="shape must hold sizes >= 0, got"):
        nn.UninitializedParameter().materialize((2, -1))
    with pytest.raises(ValueError, match="device 'cuda' is not available"):
        nn.UninitializedParameter().materialize(2, device="cuda")
    with pytest.raises(TypeError, match="needs a float dtype"):
        nn.UninitializedParameter().materialize(2, dtype=np.int64)


def test_state_dict_before_the_first_forward_holds_the_uninitialized_tensors():
    net = nn.Sequential(nn.LazyLinear(3), nn.LazyBatchNorm1d())
    state = net.state_dict()
    assert list(state) == ["0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var",
                           "1.num_batches_tracked"]
    assert state["0.weight"] is net[0].weight and isinstance(state["1.running_var"], nn.UninitializedBuffer)
    assert np.asarray(state["1.num_batches_tracked"]) == 0


def test_module_to_casts_before_the_first_forward():
    net = nn.Sequential(nn.LazyLinear(2), nn.LazyBatchNorm1d()).double()
    assert net[0].weight.dtype == np.float64 and net[1].running_mean.dtype == np.float64
    out = net(np.ones((3, 4), np.float32))
    assert out.dtype == np.float64 and net[1].running_var.dtype == np.float64 and net[0].weight.dtype == np.float64
    layer = nn.LazyLinear(3, rng=0).double()
    layer(np.ones((1, 4)))  # initialised in float64, as Linear(4, 3, dtype=np.float64, rng=0), not cast from float32
    np.testing.assert_array_equal(layer.weight.data, nn.Linear(4, 3, dtype=np.float64, rng=0).weight.data)


def test_requires_grad_set_before_the_first_forward_is_kept():
    layer = nn.LazyLinear(2).requires_grad_(False)
    layer(np.ones((1, 3)))
    assert not layer.weight.requires_grad and not layer.bias.requires_grad


def test_copies_and_pickles_stay_lazy_and_materialise_independently():
    layer = nn.LazyLinear(2, rng=3)
    twin, pickled = copy.deepcopy(layer), pickle.loads(pickle.dumps(layer))
    twin(np.ones((1, 4)))
    pickled(np.ones(5))
    assert layer.has_uninitialized_params() and type(layer) is nn.LazyLinear
    assert twin.weight.shape == (2, 4) and pickled.weight.shape == (2, 5) and pickled.in_features == 5
    np.testing.assert_array_equal(twin.weight.data, nn.Linear(4, 2, rng=3).weight.data)


def test_hooks_of_the_user_run_and_the_lazy_hook_goes():
    layer, seen = nn.LazyLinear(2), []
    layer.register_forward_pre_hook(lambda module, args: seen.append(type(module).__name__))
    layer(np.ones((1, 3)))
    layer(np.ones((1, 3)))
    assert seen == ["Linear", "Linear"] and len(layer._forward_pre_hooks) == 1


def test_instance_norm_without_parameters_takes_num_features_too():
    norm = nn.LazyInstanceNorm2d(affine=False, track_running_stats=False)
    assert not norm.has_uninitialized_params() and norm.num_features == 0
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        norm(np.ones((2, 3, 4, 4)))  # (PyTorch's keeps num_features 0 here, and warns at every call)
    assert norm.num_features == 3 and type(norm) is nn.InstanceNorm2d and not record


def test_initialize_parameters_directly():
    norm = nn.LazyBatchNorm2d()
    norm.initialize_parameters(np.ones((2, 5, 3, 3)))
    assert norm.num_features == 5 and norm.running_mean.shape == (5,) and type(norm) is nn.LazyBatchNorm2d
    norm(np.ones((2, 5, 3, 3)))
    assert type(norm) is nn.BatchNorm2d


# ---- errors ------------------------------------------------------------------------------------------------------
def test_constructor_errors_name_the_lazy_class():
    with pytest.raises(TypeError, match=r"LazyLinear: missing a required argument: 'out_features'; it takes "
                                        r"Linear's arguments without in_features .*LazyLinear\(out_features, bias"):
        nn.LazyLinear()
    with pytest.raises(TypeError, match="LazyConv2d: got an unexpected keyword argument 'in_channels'"):
        nn.LazyConv2d(in_channels=3, out_channels=2, kernel_size=3)
    with pytest.raises(ValueError, match="LazyConv2d: out_channels=3 must be divisible by groups=2"):
        nn.LazyConv2d(3, 3, groups=2)
    with pytest.raises(ValueError, match="LazyBatchNorm1d: momentum must be None or a number in"):
        nn.LazyBatchNorm1d(momentum=2)
    with pytest.raises(TypeError, match="LazyLinear: rng must be None"):
        nn.LazyLinear(2, rng="seed")
    with pytest.raises(TypeError, match="Linear: dtype must be a float dtype"):
        nn.LazyLinear(2, dtype=np.int32)


def test_input_errors_at_the_first_forward_leave_the_module_lazy():
    conv = nn.LazyConv2d(4, 3, groups=2)
    with pytest.raises(ValueError, match=r"LazyConv2d: expected a 3-D \(unbatched\) or 4-D \(batched\) input, whose "
                                         r"channels give in_channels, got shape \(2, 8\)"):
        conv(np.ones((2, 8)))
    with pytest.raises(ValueError, match=r"in_channels=3 must be divisible by groups=2 \(in_channels=3 inferred from "
                                         r"the input of shape \(1, 3, 5, 5\)\)"):
        conv(np.ones((1, 3, 5, 5)))
    assert type(conv) is nn.LazyConv2d and conv.has_uninitialized_params() and conv.in_channels == 0
    with pytest.raises(ValueError, match=r"LazyBatchNorm2d: expected 4D input, \(N, C, H, W\), whose channels give "
                                         r"num_features, got 3D input"):
        nn.LazyBatchNorm2d()(np.ones((2, 3, 4)))
    with pytest.raises(ValueError, match="LazyLinear: expected an input with at least one axis"):
        nn.LazyLinear(2)(np.float32(1))
    with pytest.raises(TypeError, match="LazyLinear: the first forward needs an input"):
        nn.LazyLinear(2).initialize_parameters()


# ---- load_state_dict ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("lazy, arguments, ordinary, shape, size", CASES, ids=IDS)
def test_load_state_dict_materialises_a_lazy_module(lazy, arguments, ordinary, shape, size):
    source = ordinary(size, **_arguments(lazy, arguments, np.float64, 4))
    x = np.random.default_rng(2).normal(size=shape)
    source(x)  # running statistics that differ from the initial ones
    net = nn.Sequential(lazy(**_arguments(lazy, arguments, np.float64, 9)))
    result = net.load_state_dict({f"0.{k}": v for k, v in source.state_dict().items()})
    assert result == ([], [])
    assert type(net[0]) is ordinary  # nothing left uninitialized: the ordinary class at once, as PyTorch's (>= 2.15)
    assert getattr(net[0], lazy.inferred) == (size if source.state_dict() else 0)  # (nothing to load: 0, as PyTorch)
    for name, value in _state(source).items():
        np.testing.assert_array_equal(_state(net)[f"0.{name}"], value)
    source.eval(), net.eval()
    np.testing.assert_array_equal(net(x).data, source(x).data)  # the first forward keeps the loaded values
    assert type(net[0]) is ordinary


def test_load_state_dict_errors_and_partial_loads():
    layer = nn.LazyLinear(3, rng=0)
    with pytest.raises(nn.module.StateDictError, match=r"LazyLinear.load_state_dict: size mismatch for 'weight': the "
                                                       r"state dict has shape \(4, 2\), the model's Linear with "
                                                       r"in_features=2 \(inferred from it\) has shape \(3, 2\)"):
        layer.load_state_dict({"weight": np.ones((4, 2)), "bias": np.ones(3)})
    assert layer.has_uninitialized_params()  # nothing half-loaded
    with pytest.raises(nn.module.StateDictError, match=r"cannot infer in_features from the state dict's entries "
                                                       r"\['bias'\].*a 2-D weight"):
        layer.load_state_dict({"bias": np.ones(3)}, strict=False)
    with pytest.raises(nn.module.StateDictError, match="the state dict's 'weight' is uninitialized too"):
        layer.load_state_dict(nn.LazyLinear(3).state_dict())
    missing = layer.load_state_dict({"weight": np.ones((3, 2))}, strict=False)
    assert missing.missing_keys == ["bias"] and type(layer) is nn.Linear
    np.testing.assert_array_equal(layer.bias.data, nn.Linear(2, 3, rng=0).bias.data)  # as a forward would give
    conv = nn.LazyConvTranspose2d(4, 3, groups=2)
    with pytest.raises(nn.module.StateDictError, match=r"LazyConvTranspose2d: in_channels=3 must be divisible by "
                                                       r"groups=2 \(in_channels=3 inferred from the state dict's "
                                                       r"'weight' of shape \(3, 2, 3, 3\)\)"):
        conv.load_state_dict({"weight": np.ones((3, 2, 3, 3))}, strict=False)


def test_recurrent_base_classes_under_pytorchs_names():
    assert isinstance(nn.LSTM(2, 3), nn.RNNBase) and isinstance(nn.GRU(2, 3), nn.RNNBase)
    assert isinstance(nn.RNNCell(2, 3), nn.RNNCellBase) and isinstance(nn.LSTMCell(2, 3), nn.RNNCellBase)
    assert [name for name, _ in nn.RNNBase("GRU", 2, 3).named_parameters()] == [
        "weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"]


# ---- PyTorch ------------------------------------------------------------------------------------------------------
TORCH_NAMES = {"dtype", "rng"}


def _torch_lazy(torch, lazy, arguments):
    kwargs = {k: v for k, v in arguments.items() if k not in TORCH_NAMES}
    return getattr(torch.nn, lazy.__name__)(**kwargs).double()


@pytest.mark.parametrize("lazy, arguments, ordinary, shape, size", CASES, ids=IDS)
def test_as_pytorch_before_and_after_the_first_forward(lazy, arguments, ordinary, shape, size):
    torch = pytest.importorskip("torch")
    theirs = _torch_lazy(torch, lazy, arguments)
    mine = lazy(**arguments, dtype=np.float64)
    assert type(mine).__name__ == type(theirs).__name__ and mine.has_uninitialized_params() == \
        theirs.has_uninitialized_params()
    assert list(mine.state_dict()) == list(theirs.state_dict())
    for (name, value), their in zip(mine.state_dict().items(), theirs.state_dict().values()):
        assert repr(value).startswith("<") == repr(their).startswith("<"), name
    assert repr(mine).split("(")[:2] == repr(theirs).split("(")[:2]  # LazyLinear(in_features=0, ... / Lazy..(0, ...
    x = np.random.default_rng(3).normal(size=shape)
    batch = torch.from_numpy(x)
    if issubclass(ordinary, nn.normalization._InstanceNorm) and len(shape) == lazy._ranks[0]:
        batch = batch[None]  # (PyTorch's takes num_features from axis 1 of an unbatched input too: its C is on 0)
    with warnings.catch_warnings():  # (PyTorch's without parameters keeps num_features 0, and warns at each call)
        warnings.simplefilter("ignore", UserWarning)
        theirs(batch)
        expected = theirs(batch).detach().numpy()
    # their values into a fresh lazy module of ours, through load_state_dict, then the same forward
    fresh = lazy(**arguments, dtype=np.float64)
    fresh.load_state_dict({k: v.numpy() for k, v in theirs.state_dict().items()})
    y = fresh(x)
    assert type(fresh).__name__ == type(theirs).__name__ and type(fresh) is ordinary
    np.testing.assert_allclose(y.data, expected.reshape(y.shape), rtol=1e-10, atol=1e-12)


def test_pytorchs_errors_before_the_first_forward():
    torch = pytest.importorskip("torch")
    theirs, mine = torch.nn.LazyLinear(3), nn.LazyLinear(3)
    for use, error in ((lambda m: m.weight.shape, RuntimeError), (lambda m: m.weight + 1, ValueError),
                       (lambda m: m.weight.sum(), ValueError)):
        with pytest.raises(error):
            use(theirs)
        with pytest.raises(error):
            use(mine)
    torch.optim.SGD(theirs.parameters(), lr=0.1), nn.optim.SGD(mine.parameters(), lr=0.1)  # both allow it
    assert repr(theirs.weight) == repr(mine.weight) == "<UninitializedParameter>"
    assert repr(torch.nn.UninitializedBuffer()) == repr(nn.UninitializedBuffer())


# ---- a lazy module of one's own ------------------------------------------------------------------------------------
class LazyAffine(nn.LazyModuleMixin, nn.Module):
    """PyTorch's pattern: UninitializedParameters, and initialize_parameters materializing them."""

    def __init__(self):
        super().__init__()
        self.scale = nn.UninitializedParameter(dtype=np.float64)
        self.register_buffer("shift", nn.UninitializedBuffer(dtype=np.float64))

    def initialize_parameters(self, x):
        if self.has_uninitialized_params():
            self.scale.materialize(np.shape(x)[-1])
            self.scale.data[...] = 2.0
            self.shift.materialize(np.shape(x)[-1])

    def forward(self, x):
        return x * self.scale + self.shift


def test_a_lazy_module_of_ones_own():
    module = LazyAffine()
    assert module.has_uninitialized_params() and list(module.state_dict()) == ["scale", "shift"]
    np.testing.assert_array_equal(module(np.ones((2, 3))).data, np.full((2, 3), 2.0))
    assert type(module) is LazyAffine and not module.has_uninitialized_params() and module.scale.shape == (3,)
    loaded = LazyAffine()
    loaded.load_state_dict({"scale": np.arange(4.0), "shift": np.ones(4)})
    np.testing.assert_array_equal(loaded(np.ones(4)).data, np.arange(4.0) + 1)  # the loaded values kept
    with pytest.raises(NotImplementedError, match="initialize_parameters is not implemented for Plain"):
        type("Plain", (nn.LazyModuleMixin, nn.Module), {})()(np.ones(2))


def test_a_lazy_module_that_stays_uninitialized_is_refused():
    class Forgetful(LazyAffine):
        def initialize_parameters(self, x):
            pass
    with pytest.raises(RuntimeError, match="module Forgetful has not been fully initialized"):
        Forgetful()(np.ones(2))


# ---- PyTorch's test_lazy_modules, ported: what it found -----------------------------------------------------------
def test_a_loaded_lazy_layer_becomes_the_ordinary_one_and_computes_its_values():
    source = nn.Conv2d(3, 4, 3, padding=1, rng=0)
    lazy = nn.LazyConv2d(4, 3, padding=1)
    lazy.load_state_dict(source.state_dict())  # PyTorch's (>= 2.15) _materialize at load: no forward needed
    assert type(lazy) is nn.Conv2d and lazy.in_channels == 3 and not hasattr(lazy, "_initialize_hook")
    x = np.random.default_rng(0).normal(size=(1, 3, 5, 5)).astype(np.float32)
    np.testing.assert_array_equal(lazy(x).data, source(x).data)
    norm = nn.LazyBatchNorm2d()
    norm.load_state_dict(nn.BatchNorm2d(5).state_dict())
    assert type(norm) is nn.BatchNorm2d and norm.num_features == 5 and norm.running_var.shape == (5,)
    bare = nn.LazyInstanceNorm1d(affine=False, track_running_stats=False)  # nothing to wait for: at once
    bare.load_state_dict({})
    assert type(bare) is nn.InstanceNorm1d and bare.num_features == 0
    mixin = _lazy_scale()
    mixin.load_state_dict({"scale": np.ones(2)})  # a LazyModuleMixin of one's own: its hook goes too
    assert not hasattr(mixin, "_initialize_hook") and mixin(np.ones(2)).shape == (2,)


def _lazy_scale():
    class LazyScale(nn.LazyModuleMixin, nn.Module):
        def __init__(self):
            super().__init__()
            self.scale = nn.UninitializedParameter()

        def initialize_parameters(self, x):
            raise AssertionError("loaded: no shape to infer")

        def forward(self, x):
            return x * self.scale
    return LazyScale()


def test_an_uninitialized_buffer_assigned_is_registered_and_materialises_as_a_buffer():
    module = nn.Module()
    module.kept, module.scratch = nn.UninitializedBuffer(), nn.UninitializedBuffer(persistent=False)
    assert [name for name, _ in module.named_buffers()] == ["kept", "scratch"]
    assert list(module.state_dict()) == ["kept"] and nn.parameter.is_lazy(module.state_dict()["kept"])
    kept = module.kept
    kept.materialize(3)
    assert type(kept) is nn.Buffer and module.kept is kept and list(module.state_dict()) == ["kept"]
    np.testing.assert_array_equal(module.state_dict()["kept"], np.zeros(3, np.float32))
    torch = pytest.importorskip("torch")
    theirs = torch.nn.Module()
    theirs.kept = torch.nn.parameter.UninitializedBuffer()
    theirs.scratch = torch.nn.parameter.UninitializedBuffer(persistent=False)
    assert [name for name, _ in theirs.named_buffers()] == ["kept", "scratch"]
    assert theirs._non_persistent_buffers_set == {"scratch"}


def test_uninitialized_values_are_refused_with_pytorchs_words():
    module = nn.Module()
    module.weight = nn.UninitializedParameter()
    with pytest.raises(RuntimeError, match="share memory on an uninitialized parameter"):
        module.share_memory()
    with pytest.raises(RuntimeError, match="share memory on an uninitialized buffer"):
        nn.LazyBatchNorm1d(affine=False).share_memory()
    with pytest.raises(RuntimeError, match=r"'weight' is an nn\.UninitializedParameter .*shape of an uninitialized"):
        nn.Linear(5, 10).load_state_dict(nn.LazyLinear(10).state_dict())
    for where, apply in (("weight_norm", nn.utils.weight_norm), ("spectral_norm", nn.utils.spectral_norm)):
        with pytest.raises(ValueError, match=where + r": the module passed \(LazyLinear\) can't have uninitialized "
                                                     r"parameters: its 'weight' has no shape yet"):
            apply(nn.LazyLinear(7))
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError, match="share memory on an uninitialized"):
        torch.nn.LazyLinear(3).share_memory()
    with pytest.raises(RuntimeError, match="shape of an uninitialized"):
        torch.nn.Linear(5, 10).load_state_dict(torch.nn.LazyLinear(10).state_dict())
    with pytest.raises(ValueError, match="have uninitialized parameters"):
        torch.nn.utils.weight_norm(torch.nn.LazyLinear(7))


def test_lazy_normalisations_take_their_input_by_pytorchs_keyword():
    x = np.random.default_rng(1).normal(size=(6, 3, 4)).astype(np.float32)
    out = nn.LazyBatchNorm1d()(input=x)
    mean, var = x.mean(axis=(0, 2), keepdims=True), x.var(axis=(0, 2), keepdims=True)
    np.testing.assert_allclose(out.data, (x - mean) / np.sqrt(var + 1e-5), rtol=1e-5, atol=1e-5)
    np.testing.assert_array_equal(out.data, nn.BatchNorm1d(3)(input=x).data)
    for layer in (nn.LayerNorm(4), nn.InstanceNorm1d(3), nn.GroupNorm(1, 3)):
        np.testing.assert_array_equal(layer(input=x).data, layer(x).data)
    torch = pytest.importorskip("torch")
    theirs = torch.nn.LazyBatchNorm1d()(input=torch.from_numpy(x))
    np.testing.assert_allclose(out.data, theirs.detach().numpy(), rtol=1e-5, atol=1e-5)


class _LazyScale(nn.LazyModuleMixin, nn.Module):
    """A lazy module of one's own, with no cls_to_become: it stays its class once initialised."""

    def __init__(self):
        super().__init__()
        self.scale = nn.UninitializedParameter()

    def initialize_parameters(self, x):
        if self.has_uninitialized_params():
            self.scale.materialize(np.shape(x)[-1])
            self.scale.data[...] = 2.0

    def forward(self, x):
        return x * self.scale


def test_a_lazy_module_without_cls_to_become_loads_state_dicts_after_it_is_initialised():
    # its load hook ran again once the module was no longer lazy, and _materialize removed a hook already gone
    module = _LazyScale()
    module(np.ones((2, 3), np.float32))
    saved = module.state_dict()
    for _ in range(2):
        module.load_state_dict(saved)
    assert type(module) is _LazyScale and module.scale.data.tolist() == [2.0, 2.0, 2.0]
    fresh = _LazyScale()
    fresh.load_state_dict(saved)  # (a load materialises it, then another load is an ordinary one)
    fresh.load_state_dict(saved)
    assert fresh.scale.data.tolist() == [2.0, 2.0, 2.0]
