"""nn.init: PyTorch's bounds and standard deviations, in place, reproducible with a seeded rng (or generator=,
PyTorch's name for it)."""
import inspect
import math
import warnings

import numpy as np
import pytest

import autograd_core as ag
import nn
from nn import init

SHAPE = (300, 200)  # fan_in 200, fan_out 300: 60,000 draws pin the spread to about 1%
FAN_IN, FAN_OUT = 200, 300


def _param(shape=SHAPE, dtype=np.float64):
    return nn.Parameter(np.zeros(shape, dtype=dtype))


def _check_uniform(t, bound):
    assert t.data.min() >= -bound and t.data.max() <= bound
    assert t.data.max() > 0.99 * bound and t.data.min() < -0.99 * bound
    assert abs(t.data.std() / (bound / math.sqrt(3)) - 1) < 0.02


def _check_normal(t, std, mean=0.0):
    assert abs(t.data.mean() - mean) < 0.02 * std + 1e-12
    assert abs(t.data.std() / std - 1) < 0.02


@pytest.mark.parametrize("nonlinearity, param, gain", [
    ("linear", None, 1.0), ("identity", None, 1.0), ("sigmoid", None, 1.0), ("conv2d", None, 1.0),
    ("tanh", None, 5 / 3), ("relu", None, math.sqrt(2)), ("leaky_relu", None, math.sqrt(2 / (1 + 0.01 ** 2))),
    ("leaky_relu", 0.2, math.sqrt(2 / 1.04)), ("leaky_relu", math.sqrt(5), math.sqrt(1 / 3)), ("selu", None, 0.75),
])
def test_calculate_gain_matches_pytorch(nonlinearity, param, gain):
    assert init.calculate_gain(nonlinearity, param) == pytest.approx(gain, rel=1e-12)


def test_calculate_gain_rejects_unknown_names():
    with pytest.raises(ValueError, match="unsupported nonlinearity 'swish'"):
        init.calculate_gain("swish")


@pytest.mark.parametrize("name", ["conv1d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d"])
def test_calculate_gain_is_1_for_pytorchs_conv_names_only(name):
    assert init.calculate_gain(name) == 1.0
    for wrong in ("convfoo", name + "x"):  # torch raises for these; a prefix match would answer 1
        with pytest.raises(ValueError, match=rf"unsupported nonlinearity '{wrong}'; valid: linear, identity, "
                                             r"conv1d, .*conv_transpose3d, sigmoid, tanh, relu, leaky_relu, selu"):
            init.calculate_gain(wrong)


def test_uniform_and_normal_statistics():
    _check_uniform(init.uniform_(_param(), -0.3, 0.3, rng=0), 0.3)
    _check_normal(init.normal_(_param(), mean=2.0, std=0.5, rng=0), 0.5, mean=2.0)


def test_xavier_bounds_and_std():
    _check_uniform(init.xavier_uniform_(_param(), rng=0), math.sqrt(6 / (FAN_IN + FAN_OUT)))
    _check_uniform(init.xavier_uniform_(_param(), gain=2.0, rng=0), 2 * math.sqrt(6 / (FAN_IN + FAN_OUT)))
    _check_normal(init.xavier_normal_(_param(), gain=init.calculate_gain("tanh"), rng=0),
                  5 / 3 * math.sqrt(2 / (FAN_IN + FAN_OUT)))


@pytest.mark.parametrize("mode, fan", [("fan_in", FAN_IN), ("fan_out", FAN_OUT)])
def test_kaiming_bounds_and_std(mode, fan):
    _check_uniform(init.kaiming_uniform_(_param(), mode=mode, nonlinearity="relu", rng=0),
                   math.sqrt(2) * math.sqrt(3 / fan))
    _check_uniform(init.kaiming_uniform_(_param(), a=math.sqrt(5), mode=mode, rng=0), 1 / math.sqrt(fan))
    _check_normal(init.kaiming_normal_(_param(), mode=mode, rng=0), math.sqrt(2 / (1 + 0.01 ** 2)) / math.sqrt(fan))


def _fans(shape):
    receptive = math.prod(shape[2:])  # PyTorch: the kernel's spatial size multiplies both fans
    return shape[1] * receptive, shape[0] * receptive


@pytest.mark.parametrize("shape", [(30, 20), (8, 4, 3, 3)])
@pytest.mark.parametrize("name, draw", [
    ("xavier_uniform_", lambda i, o: ("uniform", 1.5 * math.sqrt(6 / (i + o)))),
    ("xavier_normal_", lambda i, o: ("normal", 1.5 * math.sqrt(2 / (i + o)))),
    ("kaiming_uniform_", lambda i, o: ("uniform", math.sqrt(3) * math.sqrt(2 / (1 + 0.2 ** 2)) / math.sqrt(o))),
    ("kaiming_normal_", lambda i, o: ("normal", math.sqrt(2 / (1 + 0.2 ** 2)) / math.sqrt(o))),
])
def test_seeded_draws_equal_numpys_with_pytorchs_formula(shape, name, draw):
    """The exact values: the generator's draws scaled by the bound or std of PyTorch's formula."""
    kwargs = {"gain": 1.5} if name.startswith("xavier") else {"a": 0.2, "mode": "fan_out"}
    t = getattr(init, name)(_param(shape), rng=7, **kwargs)
    kind, scale = draw(*_fans(shape))
    rng = np.random.default_rng(7)
    expected = rng.uniform(-scale, scale, shape) if kind == "uniform" else rng.normal(0.0, scale, shape)
    np.testing.assert_allclose(t.data, expected, rtol=1e-15, atol=0)


@pytest.mark.parametrize("name, draw", [
    ("kaiming_uniform_", lambda rng, std: rng.uniform(-math.sqrt(3) * std, math.sqrt(3) * std, SHAPE)),
    ("kaiming_normal_", lambda rng, std: rng.normal(0.0, std, SHAPE)),
])
def test_kaiming_defaults_are_pytorchs_a0_leaky_relu_fan_in(name, draw):
    std = math.sqrt(2.0) / math.sqrt(FAN_IN)  # gain sqrt(2 / (1 + 0**2)): a=0, not leaky_relu's default 0.01
    expected = draw(np.random.default_rng(7), std)
    np.testing.assert_allclose(getattr(init, name)(_param(), rng=7).data, expected, rtol=1e-15, atol=0)


def test_fans_count_the_receptive_field():
    # a (8, 4, 3, 3) kernel: fan_in = 4 * 9, fan_out = 8 * 9, as PyTorch
    t = init.kaiming_normal_(_param((8, 4, 3, 3)), nonlinearity="relu", mode="fan_out", rng=0)
    assert t.shape == (8, 4, 3, 3)
    with pytest.raises(ValueError, match=r"^nn.init.xavier_uniform_: fan in and fan out need .* at least 2 dimensions "
                                         r".*got shape \(5,\)"):
        init.xavier_uniform_(_param((5,)))
    with pytest.raises(ValueError, match=r"^nn.init.kaiming_uniform_: mode must be 'fan_in' or 'fan_out'"):
        init.kaiming_uniform_(_param(), mode="fan_avg")


@pytest.mark.parametrize("initialiser", [init.kaiming_uniform_, init.kaiming_normal_])
def test_kaiming_mode_is_case_insensitive_as_in_torch(initialiser):
    for mode in ("fan_in", "fan_out"):
        expected = initialiser(_param(), mode=mode, rng=0).data
        np.testing.assert_array_equal(initialiser(_param(), mode=mode.upper(), rng=0).data, expected)
        np.testing.assert_array_equal(initialiser(_param(), mode=mode.title(), rng=0).data, expected)
    with pytest.raises(ValueError, match=r"mode must be 'fan_in' or 'fan_out' \(in any case\), got 'FAN_AVG'"):
        initialiser(_param(), mode="FAN_AVG")


@pytest.mark.parametrize("initialiser", [
    lambda t, rng: init.uniform_(t, rng=rng), lambda t, rng: init.normal_(t, rng=rng),
    lambda t, rng: init.xavier_uniform_(t, rng=rng), lambda t, rng: init.xavier_normal_(t, rng=rng),
    lambda t, rng: init.kaiming_uniform_(t, rng=rng), lambda t, rng: init.kaiming_normal_(t, rng=rng),
])
def test_seeded_initialisers_are_reproducible_in_place_and_keep_the_dtype(initialiser):
    t = _param((20, 10), dtype=np.float32)
    array = t.data
    assert initialiser(t, 3) is t and t.data is array and t.dtype == np.float32
    again = initialiser(_param((20, 10), dtype=np.float32), np.random.default_rng(3))
    np.testing.assert_array_equal(t.data, again.data)
    other = initialiser(_param((20, 10), dtype=np.float32), 4)
    assert not np.array_equal(t.data, other.data)


def test_constant_fills():
    t = _param((2, 3))
    assert init.ones_(t) is t and np.all(t.data == 1)
    assert np.all(init.zeros_(t).data == 0)
    assert np.all(init.constant_(t, 0.25).data == 0.25)


def test_every_initialiser_takes_an_optional_rng():
    for init in (nn.init.zeros_, nn.init.ones_, nn.init.normal_, nn.init.uniform_, nn.init.xavier_uniform_,
                 nn.init.xavier_normal_, nn.init.kaiming_uniform_, nn.init.kaiming_normal_):
        weight = nn.Parameter(np.full((3, 4), 7.0))
        assert init(weight, rng=0) is weight
        assert not np.any(weight.data == 7.0), init.__name__


INITIALISERS = [lambda t: init.zeros_(t), lambda t: init.ones_(t), lambda t: init.constant_(t, 0.5),
                lambda t: init.uniform_(t), lambda t: init.normal_(t), lambda t: init.xavier_uniform_(t),
                lambda t: init.xavier_normal_(t), lambda t: init.kaiming_uniform_(t), lambda t: init.kaiming_normal_(t)]
NAMES = ["zeros_", "ones_", "constant_", "uniform_", "normal_", "xavier_uniform_", "xavier_normal_",
         "kaiming_uniform_", "kaiming_normal_"]


@pytest.mark.parametrize("initialiser, name", list(zip(INITIALISERS, NAMES)), ids=NAMES)
def test_initialisers_refuse_arrays_naming_themselves(initialiser, name):
    array = np.ones((3, 4))
    with pytest.raises(TypeError, match=rf"nn.init.{name}: expected a Tensor \(an nn.Parameter\), got ndarray"):
        initialiser(array)
    assert np.all(array == 1)


def test_initialiser_given_weight_data_says_to_pass_the_parameter():
    # DCGAN's weights_init calls nn.init.normal_(m.weight.data, 0.0, 0.02); .data is an ndarray here
    layer = nn.Conv2d(1, 2, 3)
    before = layer.weight.data.copy()
    with pytest.raises(TypeError, match=r"nn.init.normal_: .*got ndarray \(a Tensor's .data is an ndarray here: "
                                        r"pass the Tensor itself, e.g. m.weight, not m.weight.data\)"):
        init.normal_(layer.weight.data, 0.0, 0.02)
    np.testing.assert_array_equal(layer.weight.data, before)
    init.normal_(layer.weight, 0.0, 0.02, rng=0)
    np.testing.assert_allclose(layer.weight.data, np.random.default_rng(0).normal(0.0, 0.02, before.shape))


@pytest.mark.parametrize("shape", [(0, 5), (5, 0), (0, 0), (4, 0, 3)])
@pytest.mark.parametrize("initialiser", [init.kaiming_uniform_, init.kaiming_normal_], ids=lambda f: f.__name__)
def test_zero_element_tensors_are_left_alone_with_pytorchs_warning(initialiser, shape):
    t = _param(shape)
    with pytest.warns(UserWarning, match="Initializing zero-element tensors is a no-op") as record:
        assert initialiser(t, rng=0) is t
    assert t.shape == shape and record[0].filename == __file__  # the warning points at the caller
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        init.kaiming_uniform_(_param((2, 3)), rng=0)  # no warning for a Tensor with elements


@pytest.mark.parametrize("initialiser", [init.xavier_uniform_, init.xavier_normal_], ids=lambda f: f.__name__)
def test_xavier_fills_zero_element_tensors_silently_as_pytorchs_and_warns_where_both_fans_are_0(initialiser):
    """PyTorch's xavier_ has no zero-element warning: it fills a (0, 5) Tensor with nothing, silently (a
    MultiheadAttention with kdim=0 builds so), and divides by zero for a (0, 0) one, where ours warns instead."""
    for shape in [(0, 5), (5, 0), (4, 0, 3)]:
        t = _param(shape)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            assert initialiser(t, rng=0) is t and t.shape == shape
    for shape in [(0, 0), (0, 0, 3)]:
        with pytest.warns(UserWarning, match="Initializing zero-element tensors is a no-op") as record:
            initialiser(_param(shape), rng=0)
        assert record[0].filename == __file__


@pytest.mark.parametrize("call, message", [
    (lambda t: init.normal_(t, 0.0, float("nan")), r"nn.init.normal_: mean must be a finite number and std one >= 0"),
    (lambda t: init.normal_(t, std=-1.0), r"nn.init.normal_: .*std=-1.0"),
    (lambda t: init.uniform_(t, 2.0, 1.0), r"nn.init.uniform_: the bounds must be finite numbers with a <= b, got a=2.0"),
    (lambda t: init.uniform_(t, 0.0, math.inf), r"nn.init.uniform_: .*b=inf"),
    (lambda t: init.xavier_normal_(t, gain=-1.0), r"nn.init.xavier_normal_: gain must be a finite number >= 0, "
                                                  r"got -1.0"),  # named as called, not as the bounds made of it
    (lambda t: init.xavier_uniform_(t, gain="x"), r"nn.init.xavier_uniform_: gain must be a finite number >= 0"),
    (lambda t: init.kaiming_uniform_(t, rng="x"), r"kaiming_uniform_: rng must be None"),
])
def test_bad_arguments_are_refused_naming_the_initialiser_called(call, message):
    """PyTorch refuses them too (a nan std, a > b); NumPy's own messages named neither ("scale < 0")."""
    t = nn.Parameter(np.zeros((3, 4)))
    with pytest.raises((ValueError, TypeError), match=message):
        call(t)
    assert np.all(t.data == 0)  # nothing written


@pytest.mark.parametrize("fill", [init.normal_, init.uniform_, init.xavier_uniform_, init.xavier_normal_,
                                  init.kaiming_uniform_, init.kaiming_normal_])
def test_random_initialisers_refuse_integer_tensors_as_pytorch(fill):
    # The draws were truncated to integers (-1, 0, 1) silently.
    t = ag.tensor(np.zeros((3, 4), dtype=np.int64))
    with pytest.raises(TypeError, match=rf"nn.init.{fill.__name__}: random values need a float Tensor, got "
                                        rf"dtype int64"):
        fill(t, rng=0)
    init.zeros_(t)  # a constant fits any dtype


def test_uniform_with_equal_bounds_fills_the_bound_as_pytorch():
    t = nn.Parameter(np.zeros(4))
    init.uniform_(t, 0.5, 0.5, rng=0)
    np.testing.assert_array_equal(t.data, 0.5)


@pytest.mark.parametrize("slope", [True, "0.1", [0.1]], ids=["bool", "str", "list"])
def test_calculate_gain_refuses_a_leaky_relu_slope_that_is_not_a_number_as_torch_does(slope):
    """torch.nn.init.calculate_gain raises ValueError for these (True is no slope of 1)."""
    torch = pytest.importorskip("torch")
    with pytest.raises(ValueError):
        torch.nn.init.calculate_gain("leaky_relu", slope)
    with pytest.raises(ValueError, match="negative_slope"):
        init.calculate_gain("leaky_relu", slope)


@pytest.mark.parametrize("fill", [init.xavier_uniform_, init.xavier_normal_], ids=["uniform", "normal"])
def test_xavier_with_gain_zero_fills_zeros(fill):
    """gain >= 0 is accepted (nn.init's docstring); a gain of 0 makes the bound / std 0, so every value is 0, as in
    torch."""
    t = fill(nn.Parameter(np.ones((3, 4))), gain=0.0, rng=0)
    np.testing.assert_array_equal(t.data, np.zeros((3, 4)))


@pytest.mark.parametrize("val", [None, "1.5"], ids=["None", "str"])
def test_constant_refuses_a_non_number(val):
    torch = pytest.importorskip("torch")
    with pytest.raises(TypeError):
        torch.nn.init.constant_(torch.zeros(2, 3), val)
    p = nn.Parameter(np.zeros((2, 3), np.float32))
    with pytest.raises(TypeError, match="constant_"):
        nn.init.constant_(p, val)


def test_constant_refuses_a_value_its_dtype_cannot_hold():
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError):  # "value cannot be converted to type float without overflow"
        torch.nn.init.constant_(torch.zeros(2), 1e300)
    with pytest.raises(ValueError, match="constant_.*overflows.*float32"):
        nn.init.constant_(nn.Parameter(np.zeros(2, np.float32)), 1e300)
    assert np.isnan(nn.init.constant_(nn.Parameter(np.zeros(2, np.float32)), float("nan")).data).all()  # as torch


@pytest.mark.parametrize("val", [2 ** 53 + 1, np.int64(2 ** 62 + 1)], ids=["python int", "numpy int64"])
def test_constant_writes_an_integer_exactly_into_an_integer_tensor(val):
    torch = pytest.importorskip("torch")
    expected = torch.nn.init.constant_(torch.zeros(2, dtype=torch.int64), val).tolist()
    assert expected == [int(val)] * 2  # the formula: fill with the value itself
    t = ag.zeros(2, dtype=np.int64)
    assert nn.init.constant_(t, val).data.tolist() == expected


@pytest.mark.parametrize("val", [True, np.bool_(False)], ids=["bool", "numpy bool"])
def test_constant_takes_a_bool_as_torch_fill_does(val):
    torch = pytest.importorskip("torch")
    expected = torch.nn.init.constant_(torch.zeros(2, 3), bool(val)).numpy()
    got = nn.init.constant_(nn.Parameter(np.full((2, 3), 7.0, np.float32)), val).data
    np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("make", [lambda torch: torch.tensor(0.5), lambda torch: 0.5], ids=["0-d tensor", "float"])
def test_constant_fills_with_a_0d_tensor_as_torch(make):
    torch = pytest.importorskip("torch")
    expected = torch.nn.init.constant_(torch.zeros(3, dtype=torch.float64), make(torch)).numpy()
    value = make(torch)
    val = ag.tensor(value.item()) if isinstance(value, torch.Tensor) else value
    got = nn.init.constant_(nn.Parameter(np.zeros(3)), val)
    np.testing.assert_array_equal(got.data, expected)


def test_constant_fills_with_a_0d_array_as_with_its_number():
    np.testing.assert_array_equal(nn.init.constant_(nn.Parameter(np.zeros(2)), np.array(0.75)).data,
                                  np.full(2, 0.75))


def test_constant_refuses_an_int_beyond_an_integer_dtype_as_numpy_and_torch_do():
    torch = pytest.importorskip("torch")
    with pytest.raises(OverflowError):
        np.asarray(2 ** 70, dtype=np.int64)
    with pytest.raises(OverflowError):  # "int too big to convert"
        torch.nn.init.constant_(torch.zeros(2, dtype=torch.int64), 2 ** 70)
    with pytest.raises(ValueError, match="constant_.*overflows.*int64"):  # as for a float beyond float32
        nn.init.constant_(ag.zeros(2, dtype=np.int64), 2 ** 70)


def test_constant_fills_with_a_0d_tensor_that_requires_grad_as_torch():
    torch = pytest.importorskip("torch")
    expected = torch.nn.init.constant_(torch.zeros(3, dtype=torch.float64),
                                       torch.tensor(0.25, dtype=torch.float64, requires_grad=True))
    got = nn.init.constant_(nn.Parameter(np.zeros(3)), ag.tensor(0.25, requires_grad=True))
    np.testing.assert_array_equal(got.data, expected.detach().numpy())


# generator=, PyTorch's name for rng= (torch.nn.init.uniform_(w, generator=g)): the same values, keyword-only.

SEEDED = {"zeros_": lambda t, **kw: init.zeros_(t, **kw), "ones_": lambda t, **kw: init.ones_(t, **kw),
          "uniform_": lambda t, **kw: init.uniform_(t, -1, 1, **kw), "normal_": lambda t, **kw: init.normal_(t, **kw),
          "xavier_uniform_": lambda t, **kw: init.xavier_uniform_(t, **kw),
          "xavier_normal_": lambda t, **kw: init.xavier_normal_(t, **kw),
          "kaiming_uniform_": lambda t, **kw: init.kaiming_uniform_(t, **kw),
          "kaiming_normal_": lambda t, **kw: init.kaiming_normal_(t, **kw),
          "orthogonal_": lambda t, **kw: init.orthogonal_(t, **kw),
          "trunc_normal_": lambda t, **kw: init.trunc_normal_(t, **kw),
          "sparse_": lambda t, **kw: init.sparse_(t, 0.5, **kw)}


@pytest.mark.parametrize("name", SEEDED)
def test_generator_is_rngs_pytorch_name_with_the_same_values(name):
    fill = SEEDED[name]
    by_rng = fill(_param((6, 4)), rng=5).data
    np.testing.assert_array_equal(fill(_param((6, 4)), generator=5).data, by_rng)
    np.testing.assert_array_equal(fill(_param((6, 4)), generator=np.random.default_rng(5)).data, by_rng)
    parameter = inspect.signature(getattr(init, name)).parameters["generator"]
    assert parameter.kind is parameter.KEYWORD_ONLY and parameter.default is None


@pytest.mark.parametrize("name", SEEDED)
def test_rng_and_generator_together_or_a_torch_generator_are_refused_naming_the_initialiser(name):
    t = _param((6, 4))
    with pytest.raises(TypeError, match=rf"^nn.init.{name}: got both rng=1 and generator=2; give one of them"):
        SEEDED[name](t, rng=1, generator=2)
    with pytest.raises(TypeError, match=rf"^nn.init.{name}: generator must be None, a non-negative int seed"):
        SEEDED[name](t, generator="x")
    assert np.all(t.data == 0)  # nothing written
    torch = pytest.importorskip("torch")
    with pytest.raises(TypeError, match=rf"^nn.init.{name}: generator must be .*got a torch.Generator"):
        SEEDED[name](t, generator=torch.Generator())


def test_every_initialiser_of_torch_that_takes_generator_takes_it_here():
    torch = pytest.importorskip("torch")

    def taking_generator(module):
        current = [name for name in init.__all__ if name + "_" not in init.__all__]  # (not the deprecated aliases)
        return {name for name in current if "generator" in inspect.signature(getattr(module, name)).parameters}

    assert taking_generator(init) == set(SEEDED)
    assert taking_generator(torch.nn.init) and taking_generator(torch.nn.init) <= set(SEEDED)


@pytest.mark.parametrize("old_name", ["uniform", "normal", "constant", "xavier_uniform", "xavier_normal",
                                      "kaiming_uniform", "kaiming_normal", "orthogonal", "sparse"])
def test_pytorchs_deprecated_names_warn_and_fill_as_the_current_ones(old_name):
    arguments = (0.5,) if old_name in ("constant", "sparse") else ()
    seed = {} if old_name == "constant" else {"rng": 3}
    with pytest.warns(FutureWarning, match=rf"^nn.init.{old_name} is deprecated in favor of nn.init.{old_name}_"):
        filled = getattr(init, old_name)(_param((6, 4)), *arguments, **seed)
    np.testing.assert_array_equal(filled.data, getattr(init, old_name + "_")(_param((6, 4)), *arguments, **seed).data)
    torch = pytest.importorskip("torch")
    with pytest.warns(FutureWarning, match=f"nn.init.{old_name}` is now deprecated"):  # (PyTorch's, the same name)
        getattr(torch.nn.init, old_name)(torch.empty(6, 4), *arguments)
