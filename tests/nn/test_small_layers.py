"""PyTorch's remaining small layers (nn/small_layers.py, nn/_small_functions.py): each function declared once for
the suite's generated tests (value against a NumPy reference, gradient and second derivative against central
differences in float64, kinks avoided, float32 kept, the graph freed), then against torch (values and gradients
in float32 and float64, weights copied), the modules' settings, reprs and randomness, and the errors; rrelu's and
the shrinks' gradients at NaN, Softmax2d of integers."""
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import strategies as st

import autograd_core as ag
import nn
import nn.functional as F
from autograd_core.testing import gradcheck, gradgradcheck
from autograd_core.testing.strategies import shapes

sys.path.append(str(Path(__file__).resolve().parents[1] / "autograd_core" / "ops"))  # the engine's declaration tables
from optable import Op, generated_tests  # noqa: E402
from conftest import assert_function_matches_torch, assert_same_layer_results, layer_results  # noqa: E402
from numeric_helpers import torch_value_and_grads, value_and_grads  # noqa: E402


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


@st.composite
def _glu_case(draw):
    shape = draw(shapes(min_dims=1, max_dims=3, max_side=3))
    dim = draw(st.integers(-len(shape), len(shape) - 1))
    shape = shape[:dim % len(shape)] + (2 * shape[dim],) + shape[dim % len(shape) + 1:]
    return (shape,), {"dim": dim}


def _glu_ref(x, dim):
    a, b = np.split(x, 2, axis=dim)
    return a * _sigmoid(b)


@st.composite
def _bilinear_case(draw):
    batch = draw(shapes(min_dims=0, max_dims=2, max_side=3))
    in1, in2, out = (draw(st.integers(1, 3)) for _ in range(3))
    return (batch + (in1,), batch + (in2,), (out, in1, in2), (out,)), {}


def _bilinear_ref(x1, x2, w, b):
    return np.einsum("...i,oij,...j->...o", x1, w, x2) + b


@st.composite
def _lrn_case(draw):
    shape = draw(shapes(min_dims=3, max_dims=4, max_side=3))
    size = draw(st.integers(1, 4))
    return (shape,), {"size": size, "alpha": draw(st.sampled_from([1e-4, 0.5])), "beta": 0.75, "k": 1.0}


def _lrn_ref(x, size, alpha, beta, k):
    """The definition, channel by channel: the window c - size // 2 .. c + (size - 1) // 2, zeros past the ends."""
    channels = x.shape[1]
    out = np.empty_like(x)
    for c in range(channels):
        window = [j for j in range(c - size // 2, c + (size - 1) // 2 + 1) if 0 <= j < channels]
        total = sum(x[:, j] ** 2 for j in window)
        out[:, c] = x[:, c] / (k + alpha * total / size) ** beta
    return out


def _rrelu_training(x):
    return F.rrelu(x, 0.1, 0.3, training=True, rng=7)


def _rrelu_training_ref(x):
    slopes = np.random.default_rng(7).uniform(0.1, 0.3, x.shape)
    return np.where(x > 0, x, x * slopes)


def _softmax2d_ref(x):
    e = np.exp(x - x.max(axis=-3, keepdims=True))
    return e / e.sum(axis=-3, keepdims=True)


@st.composite
def _triplet_case(draw):
    shape = draw(shapes(min_dims=1, max_dims=2, max_side=3))
    return (shape, shape, shape), {"margin": draw(st.sampled_from([0.5, 1.0, 3.0])),
                                   "swap": draw(st.booleans())}


def _distance(x, y):
    d = x - y + 1e-6
    return np.sqrt((d * d).sum(axis=-1))


def _triplet_ref(a, p, n, margin, swap):
    far = np.minimum(_distance(a, n), _distance(p, n)) if swap else _distance(a, n)
    return np.maximum(margin + _distance(a, p) - far, 0).mean()


def _triplet_valid(a, p, n, margin, swap):
    """Away from the kinks: the hinge at 0 and the swap's tie."""
    far = np.minimum(_distance(a, n), _distance(p, n)) if swap else _distance(a, n)
    gaps = [np.abs(margin + _distance(a, p) - far).min(), np.abs(_distance(a, n) - _distance(p, n)).min()]
    return min(gaps) > 1e-3 and _distance(a, p).min() > 1e-2 and _distance(a, n).min() > 1e-2 and \
        _distance(p, n).min() > 1e-2


SMALL = [
    Op("hardshrink", F.hardshrink, lambda x: np.where(np.abs(x) > 0.5, x, 0.0), avoid=(-0.5, 0.5)),
    Op("hardshrink_lambd", lambda x: F.hardshrink(x, 1.5), lambda x: np.where(np.abs(x) > 1.5, x, 0.0),
       avoid=(-1.5, 1.5)),
    Op("softshrink", F.softshrink, lambda x: np.where(x > 0.5, x - 0.5, np.where(x < -0.5, x + 0.5, 0.0)),
       avoid=(-0.5, 0.5)),
    Op("glu", F.glu, _glu_ref, case=_glu_case()),
    Op("rrelu_eval", lambda x: F.rrelu(x, 0.1, 0.3), lambda x: np.where(x > 0, x, 0.2 * x), avoid=(0.0,)),
    Op("rrelu_training", _rrelu_training, _rrelu_training_ref, avoid=(0.0,)),
    Op("softmax2d", lambda x: nn.Softmax2d()(x), _softmax2d_ref,
       shapes=st.integers(3, 4).flatmap(lambda n: shapes(min_dims=n, max_dims=n, max_side=3)).map(lambda s: (s,))),
    Op("local_response_norm", F.local_response_norm, _lrn_ref, case=_lrn_case()),
    Op("bilinear", F.bilinear, _bilinear_ref, arity=4, case=_bilinear_case()),
    Op("triplet_margin_with_distance_loss",
       lambda a, p, n, margin, swap: F.triplet_margin_with_distance_loss(a, p, n, margin=margin, swap=swap),
       _triplet_ref, arity=3, case=_triplet_case(), valid=_triplet_valid),
]

globals().update(generated_tests(SMALL))


# ---- against PyTorch ------------------------------------------------------------------------------------------
def _torch():
    return pytest.importorskip("torch")


GRID = np.concatenate([np.linspace(-3, 3, 25), [-0.5, 0.5, -1.5, 1.5, 0.0, -0.0]])
DTYPES = [np.float64, np.float32]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name, kwargs", [("hardshrink", {}), ("hardshrink", {"lambd": 1.5}), ("softshrink", {}),
                                          ("softshrink", {"lambd": 1.5}), ("softshrink", {"lambd": 0.0}),
                                          ("rrelu", {"lower": 0.1, "upper": 0.3})])
def test_shrinks_and_rrelu_eval_match_torch_kinks_included(name, kwargs, dtype):
    torch = _torch()
    assert_function_matches_torch(lambda x: getattr(F, name)(x, **kwargs),
                                  lambda x: getattr(torch.nn.functional, name)(x, **kwargs), [GRID], dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("dim", [0, 1, -1])
def test_glu_matches_torch(dim, dtype):
    torch = _torch()
    x = np.random.default_rng(0).normal(size=(4, 6, 2)) * 3
    assert_function_matches_torch(lambda t: F.glu(t, dim), lambda t: torch.nn.functional.glu(t, dim), [x], dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape, size", [((2, 5, 3), 3), ((2, 4, 3, 3), 2), ((1, 6, 2, 2, 2), 5), ((3, 2, 4), 1),
                                         ((2, 3, 4), 8)])
def test_local_response_norm_matches_torch(shape, size, dtype):
    torch = _torch()
    x = np.random.default_rng(1).normal(size=shape) * 2
    settings = {"alpha": 0.3, "beta": 0.6, "k": 1.5}
    assert_function_matches_torch(lambda t: nn.LocalResponseNorm(size, **settings)(t),
                                  lambda t: torch.nn.LocalResponseNorm(size, **settings)(t), [x], dtype, tol_factor=64)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("batch", [(), (5,), (2, 3)])
@pytest.mark.parametrize("bias", [True, False])
def test_bilinear_matches_torch_weights_copied(batch, bias, dtype):
    torch = _torch()
    layer = nn.Bilinear(3, 4, 2, bias=bias, dtype=dtype, rng=0)
    theirs = torch.nn.Bilinear(3, 4, 2, bias=bias, dtype=torch.float64 if dtype == np.float64 else torch.float32)
    with torch.no_grad():
        theirs.weight.copy_(torch.tensor(layer.weight.data))
        if bias:
            theirs.bias.copy_(torch.tensor(layer.bias.data))
    rng = np.random.default_rng(2)
    x1, x2 = rng.normal(size=batch + (3,)), rng.normal(size=batch + (4,))
    assert_function_matches_torch(layer, theirs, [x1, x2], dtype, tol_factor=32)
    y = layer(x1.astype(dtype), x2.astype(dtype))
    y.backward(np.ones(y.shape, dtype=dtype))
    theirs(torch.tensor(x1.astype(dtype)), torch.tensor(x2.astype(dtype))).sum().backward()
    eps = 32 * np.finfo(dtype).eps
    np.testing.assert_allclose(layer.weight.grad.data, theirs.weight.grad.numpy(), rtol=eps, atol=eps)
    if bias:
        np.testing.assert_allclose(layer.bias.grad.data, theirs.bias.grad.numpy(), rtol=eps, atol=eps)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", [(3, 2, 2), (2, 3, 1, 4)])
def test_softmax2d_matches_torch(shape, dtype):
    torch = _torch()
    x = np.random.default_rng(3).normal(size=shape) * 3
    assert_function_matches_torch(nn.Softmax2d(), torch.nn.Softmax2d(), [x], dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("swap", [False, True])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_triplet_margin_with_distance_loss_matches_torch(swap, reduction, dtype):
    torch = _torch()
    rng = np.random.default_rng(4)
    arrays = [rng.normal(size=(6, 3)) for _ in range(3)]
    settings = {"margin": 1.5, "swap": swap, "reduction": reduction}
    assert_function_matches_torch(lambda a, p, n: nn.TripletMarginWithDistanceLoss(**settings)(a, p, n),
                                  lambda a, p, n: torch.nn.TripletMarginWithDistanceLoss(**settings)(a, p, n), arrays,
                                  dtype)
    cosine = lambda x, y: 1.0 - F.cosine_similarity(x, y)  # noqa: E731
    torch_cosine = lambda x, y: 1.0 - torch.nn.functional.cosine_similarity(x, y)  # noqa: E731
    assert_function_matches_torch(
        lambda a, p, n: F.triplet_margin_with_distance_loss(a, p, n, distance_function=cosine, **settings),
        lambda a, p, n: torch.nn.functional.triplet_margin_with_distance_loss(
            a, p, n, distance_function=torch_cosine, **settings), arrays, dtype)


@pytest.mark.parametrize("dtype", DTYPES)
def test_cosine_similarity_and_pairwise_distance_modules_match_torch(dtype):
    torch = _torch()
    rng = np.random.default_rng(5)
    x1, x2 = rng.normal(size=(4, 3, 2)), rng.normal(size=(4, 3, 2))
    assert_function_matches_torch(nn.CosineSimilarity(dim=1), torch.nn.CosineSimilarity(dim=1), [x1, x2], dtype)
    assert_function_matches_torch(nn.CosineSimilarity(dim=-1, eps=0.5), torch.nn.CosineSimilarity(dim=-1, eps=0.5),
                                  [x1, x2], dtype)
    assert_function_matches_torch(nn.PairwiseDistance(), torch.nn.PairwiseDistance(), [x1, x2], dtype)
    assert_function_matches_torch(nn.PairwiseDistance(p=1.0, eps=0.1, keepdim=True),
                                  torch.nn.PairwiseDistance(p=1.0, eps=0.1, keepdim=True), [x1, x2], dtype)


def test_reprs_are_torchs():
    assert repr(nn.GLU()) == "GLU(dim=-1)"
    assert repr(nn.Bilinear(2, 3, 4, bias=False)) == "Bilinear(in1_features=2, in2_features=3, out_features=4, " \
                                                     "bias=False)"
    assert repr(nn.Hardshrink()) == "Hardshrink(0.5)" and repr(nn.Softshrink(0.3)) == "Softshrink(0.3)"
    assert repr(nn.RReLU()) == "RReLU(lower=0.125, upper=0.3333333333333333)"
    assert repr(nn.RReLU(0.1, 0.2, inplace=True)) == "RReLU(lower=0.1, upper=0.2, inplace=True)"
    assert repr(nn.Softmax2d()) == "Softmax2d()"
    assert repr(nn.LocalResponseNorm(3)) == "LocalResponseNorm(3, alpha=0.0001, beta=0.75, k=1.0)"
    assert repr(nn.CosineSimilarity()) == "CosineSimilarity()" and repr(nn.PairwiseDistance()) == "PairwiseDistance()"
    assert repr(nn.TripletMarginWithDistanceLoss()) == ("TripletMarginWithDistanceLoss(\n  (distance_function): "
                                                        "PairwiseDistance()\n)")


def test_bilinear_weight_layout_init_and_state_dict():
    layer = nn.Bilinear(16, 5, 300, rng=0)
    assert layer.weight.shape == (300, 16, 5) and layer.bias.shape == (300,) and layer.weight.dtype == np.float32
    bound = 1 / np.sqrt(16)  # 1 / sqrt(in1_features), as torch's, for weight and bias
    for p in (layer.weight.data, layer.bias.data):
        assert np.abs(p).max() <= bound and np.abs(p).max() > 0.9 * bound
    assert abs(layer.weight.data.std() - bound / np.sqrt(3)) < 0.01  # U(-b, b)
    assert list(layer.state_dict()) == ["weight", "bias"]
    assert nn.Bilinear(2, 2, 2, bias=False).bias is None and len(list(nn.Bilinear(2, 2, 2, bias=False).parameters()))
    same = nn.Bilinear(2, 3, 4, rng=5), nn.Bilinear(2, 3, 4, rng=5)
    np.testing.assert_array_equal(same[0].weight.data, same[1].weight.data)
    # an input of another dtype is cast to the weight's, as Linear's
    assert layer(np.ones((2, 16)), np.ones((2, 5), dtype=np.float64)).dtype == np.float32


def test_bilinear_and_lrn_second_derivatives_tiny():
    rng = np.random.default_rng(6)
    x1, x2, w, b = rng.normal(size=(2, 2)), rng.normal(size=(2, 3)), rng.normal(size=(2, 2, 3)), rng.normal(size=2)
    assert gradcheck(F.bilinear, x1, x2, w, b) and gradgradcheck(F.bilinear, x1, x2, w, b)
    x = rng.normal(size=(1, 4, 2))
    f = lambda t: F.local_response_norm(t, 3, alpha=0.5, beta=0.75, k=1.0)  # noqa: E731
    assert gradcheck(f, x) and gradgradcheck(f, x)


def test_rrelu_module_random_slopes_in_training_mean_slope_in_eval():
    x = -np.ones(20000)
    layer = nn.RReLU(0.1, 0.3, rng=0)
    slopes = -layer(x).data
    assert slopes.min() >= 0.1 and slopes.max() <= 0.3 and abs(slopes.mean() - 0.2) < 0.003
    assert abs(slopes.std() - 0.2 / np.sqrt(12)) < 0.002  # U(0.1, 0.3)
    assert not np.array_equal(-layer(x).data, slopes)  # fresh draws at each call
    np.testing.assert_allclose(-layer.eval()(x).data, 0.2)
    again = -nn.RReLU(0.1, 0.3, rng=0)(x).data  # seeded: reproducible
    np.testing.assert_array_equal(again, slopes)
    t = ag.tensor([-2.0, 3.0], requires_grad=True)
    y = nn.RReLU(0.1, 0.3, rng=1)(t)
    y.sum().backward()
    assert t.grad.data[1] == 1.0 and t.grad.data[0] == pytest.approx(y.data[0] / -2.0)  # the slope it drew
    x = ag.tensor([-1.0, 2.0])
    assert F.rrelu(x, 0.2, 0.2, training=True, inplace=True) is x and x.data.tolist() == [-0.2, 2.0]


def test_edge_values_nan_and_inf():
    x = ag.tensor([np.nan, np.inf, -np.inf, 0.5, -0.5])
    np.testing.assert_array_equal(F.hardshrink(x).data, [np.nan, np.inf, -np.inf, 0.0, 0.0])
    np.testing.assert_array_equal(F.softshrink(x).data, [np.nan, np.inf, -np.inf, 0.0, 0.0])
    assert F.local_response_norm(np.zeros((0, 3, 2)), 2).shape == (0, 3, 2)


@pytest.mark.parametrize("call, error, match", [
    (lambda: F.glu(ag.ones((2, 3)), dim=1), ValueError, r"glu: halving dimension must be even.*size 3"),
    (lambda: F.glu(ag.tensor(1.0)), ValueError, "glu: a 0-d input"),
    (lambda: F.glu(ag.ones((2, 4)), dim=2), IndexError, r"glu: dim 2 is out of range.*-2\.\.1"),
    (lambda: F.softshrink(ag.ones(2), -1.0), ValueError, "softshrink: lambd must be a finite number >= 0, got -1"),
    (lambda: F.softshrink(ag.ones(2), float("nan")), ValueError, "softshrink: lambd"),
    (lambda: F.rrelu(ag.ones(2), 0.5, 0.2), ValueError, "rrelu: the lower bound must be less than or equal"),
    (lambda: nn.RReLU(0.5, 0.2), ValueError, "RReLU: the lower bound"),
    (lambda: nn.Softshrink(-0.5), ValueError, "Softshrink: lambd must be a finite number >= 0, got -0.5"),
    (lambda: nn.Hardshrink("0.5"), TypeError, "Hardshrink: lambd must be a number, got '0.5'"),
    (lambda: nn.Softmax2d()(np.ones(2)), ValueError, r"Softmax2d: expected an input of 3 .* got shape \(2,\)"),
    (lambda: nn.Softmax2d()(np.ones((1, 2, 3, 4, 5))), ValueError, "Softmax2d: expected"),
    (lambda: F.bilinear(ag.ones((2, 3)), ag.ones((3, 4)), ag.ones((5, 3, 4))), ValueError,
     "bilinear: input1 of shape .* must have the same batch dimensions"),
    (lambda: F.bilinear(ag.ones((2, 3)), ag.ones((2, 5)), ag.ones((5, 3, 4))), ValueError,
     "bilinear: input2 size does not match weight size"),
    (lambda: F.bilinear(ag.ones((2, 3)), ag.ones((2, 4)), ag.ones((5, 3, 4)), ag.ones(4)), ValueError,
     r"bilinear: bias of shape \(4,\) does not match"),
    (lambda: F.bilinear(ag.ones((2, 3)), ag.ones((2, 4)), ag.ones((3, 4))), ValueError, "weight must have 3"),
    (lambda: nn.Bilinear(2, 3, 4)(np.ones((2, 2)), np.ones((2, 4))), ValueError,  # (R1 review: it named
     r"^Bilinear: expected input2 with last dimension in2_features=3, got input2 of shape \(2, 4\)"),  # in_features)
    (lambda: nn.Bilinear(2, 3, 4)(np.ones((2, 3)), np.ones((2, 3))), ValueError,
     r"^Bilinear: expected input1 with last dimension in1_features=2, got input1 of shape \(2, 3\)"),
    (lambda: nn.Bilinear(0, 3, 4), ValueError, "Bilinear: in1_features must be a positive int"),
    (lambda: F.local_response_norm(ag.ones((2, 3)), 2), ValueError, r"expected an input of 3 or more dimensions"),
    (lambda: F.local_response_norm(ag.ones((2, 3, 4)), 0), ValueError, "local_response_norm: size must be"),
    (lambda: nn.LocalResponseNorm(2.5), TypeError, "LocalResponseNorm: size must be"),
    (lambda: F.triplet_margin_with_distance_loss(ag.ones((2, 3)), ag.ones((2, 3)), ag.ones(3)), ValueError,
     "same number of dimensions"),
    (lambda: F.triplet_margin_with_distance_loss(ag.ones(3), ag.ones(3), ag.ones(3), margin=0.0), ValueError,
     "margin must be a finite number > 0"),
    (lambda: F.triplet_margin_with_distance_loss(ag.ones(3), ag.ones(3), ag.ones(3), reduction="avg"), ValueError,
     "reduction"),
    (lambda: nn.TripletMarginWithDistanceLoss(distance_function=3), TypeError, "distance_function must be a callable"),
    (lambda: F.hardshrink(ag.tensor([1, 2])), TypeError, "hardshrink: expected an input of a float dtype"),
])
def test_errors_name_the_operation_and_values(call, error, match):
    with pytest.raises(error, match=match):
        call()


# ---- rrelu, hardshrink and softshrink at NaN, Softmax2d of integers ---------------------------------------------
NAN = np.nan


def _assert_same(ours, theirs):
    np.testing.assert_allclose(ours[0], theirs[0], rtol=1e-12, atol=1e-12)
    for a, b in zip(ours[1], theirs[1]):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)


def test_rrelu_training_gives_nan_slope_one_as_torch():
    values = [NAN, -1.0, 1.0, 0.0]
    y, (g,) = value_and_grads(lambda t: F.rrelu(t, 0.2, 0.2, training=True, rng=0), values)
    np.testing.assert_array_equal(g, [1.0, 0.2, 1.0, 0.2])  # PyTorch's noise: 1 where the input is not <= 0
    assert np.isnan(y[0]) and y[1] == -0.2


def test_rrelu_eval_gives_nan_the_mean_slope():
    _, (g,) = value_and_grads(lambda t: F.rrelu(t, 0.1, 0.3), [NAN, -1.0, 1.0])
    np.testing.assert_allclose(g, [0.2, 0.2, 1.0])  # leaky_relu's: the slope where x > 0 is false


@pytest.mark.parametrize("training", [False, True])
def test_rrelu_at_nan_matches_torch(training):
    torch = _torch()
    values = [NAN, -1.0, 1.0, 0.0]
    ours = value_and_grads(lambda t: F.rrelu(t, 0.25, 0.25, training=training, rng=0), values)
    theirs = torch_value_and_grads(lambda t: torch.nn.functional.rrelu(t, 0.25, 0.25, training=training), values)
    _assert_same(ours, theirs)


@pytest.mark.parametrize("name", ["hardshrink", "softshrink"])
def test_shrinks_at_nan(name):
    values = [NAN, -1.0, 0.5, 0.2, -0.5, 2.0]
    y, (g,) = value_and_grads(getattr(F, name), values)
    assert np.isnan(y[0])
    np.testing.assert_array_equal(g, [1.0, 1.0, 0.0, 0.0, 0.0, 1.0])  # NaN passes gradient 1, as PyTorch's
    _, (g_long,) = value_and_grads(getattr(F, name), [NAN] + [0.0] * 39)
    assert g_long[0] == 1.0  # at any length (PyTorch's vectorized kernel, 8 or more float64, gives 0)
    torch = pytest.importorskip("torch")
    _assert_same((y, [g]), torch_value_and_grads(getattr(torch.nn.functional, name), values))  # (its scalar path)


def test_softmax2d_of_integers_is_float64_as_f_softmax():
    x = np.arange(8).reshape(1, 2, 2, 2)
    y = nn.Softmax2d()(x)
    assert y.dtype == np.float64  # torch raises for Long
    np.testing.assert_allclose(y.data, F.softmax(ag.tensor(x.astype(float)), -3).data)


# ---- Bilinear of size 0, as PyTorch's -------------------------------------------------------------------------------
def test_bilinear_of_in2_or_out_features_0():
    """Bilinear(2, 0, 3): the sum over no in2 features leaves the bias, broadcast (PyTorch builds it, but its forward
    fails to reshape the empty product); Bilinear(2, 3, 0): an empty output, as PyTorch's."""
    layer = nn.Bilinear(2, 0, 3, rng=0)
    x1, x2 = np.ones((4, 2), np.float32), np.ones((4, 0), np.float32)
    output, (g1, g2), grads = layer_results(layer, [x1, x2])
    np.testing.assert_array_equal(output, np.broadcast_to(layer.bias.data, (4, 3)))
    np.testing.assert_array_equal(g1, np.zeros((4, 2)))
    assert g2.shape == (4, 0) and grads["weight"].shape == (3, 2, 0)
    np.testing.assert_array_equal(grads["bias"], np.arange(1, 13).reshape(4, 3).sum(axis=0))
    output, (g1, g2), grads = layer_results(nn.Bilinear(2, 3, 0, rng=0), [x1, np.ones((4, 3), np.float32)])
    assert output.shape == (4, 0) and grads["weight"].shape == (0, 2, 3) and grads["bias"].shape == (0,)
    np.testing.assert_array_equal(g1, np.zeros((4, 2)))
    np.testing.assert_array_equal(g2, np.zeros((4, 3)))
    with pytest.raises(ValueError, match="Bilinear: in1_features must be a positive int, got 0"):
        nn.Bilinear(0, 3, 4)  # PyTorch refuses it too ("in1_features must be > 0"): its bound 1/sqrt(in1_features)
    with pytest.raises(ValueError, match="Bilinear: out_features must be an int >= 0, got -1"):
        nn.Bilinear(2, 3, -1)


def test_bilinear_of_size_0_matches_pytorchs():
    torch = pytest.importorskip("torch")
    theirs = torch.nn.Bilinear(2, 3, 0)
    ours = nn.Bilinear(2, 3, 0, rng=0)
    x1, x2 = np.ones((4, 2), np.float32), np.ones((4, 3), np.float32)
    assert_same_layer_results(layer_results(ours, [x1, x2]), layer_results(theirs, [x1, x2], torch))
    with pytest.raises(ValueError, match="in1_features must be > 0"):
        torch.nn.Bilinear(0, 3, 4)
    theirs = torch.nn.Bilinear(2, 0, 3)  # builds, as ours
    assert nn.Bilinear(2, 0, 3).weight.shape == tuple(theirs.weight.shape) == (3, 2, 0)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_hardshrink_takes_an_infinite_lambd_as_pytorchs_edge_cases(dtype):
    # found by porting PyTorch's test_unary_ufuncs (test_hardshrink_edge_cases): lambd=inf was refused as no finite
    # number; PyTorch's zeroes every finite entry and the infinities (|inf| > inf is false), and so does this
    torch = pytest.importorskip("torch")
    tiny, big = float(np.finfo(dtype).tiny), float(np.finfo(dtype).max)
    values = np.array([0.0, tiny, -tiny, 0.1, -0.1, 1.0, -1.0, big, -big, np.inf, -np.inf, np.nan], dtype)
    for lambd in (0.0, tiny, 0.1, 1.0, big, np.inf):
        expected = torch.nn.functional.hardshrink(torch.from_numpy(values), lambd).numpy()
        np.testing.assert_array_equal(F.hardshrink(ag.tensor(values), lambd).data, expected)
        np.testing.assert_array_equal(nn.Hardshrink(lambd)(ag.tensor(values)).data, expected)
    with pytest.raises(ValueError, match="hardshrink: lambd"):
        F.hardshrink(ag.tensor(values), float("nan"))


@pytest.mark.parametrize("x", [ag.ones((3, 5)), ag.tensor(1.0)], ids=["odd", "0-d"])
def test_glu_of_an_odd_size_is_pytorchs_runtime_error_too(x):
    # found by porting PyTorch's test_nn.py (its module tests: "Halving dimension must be even", a RuntimeError)
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        torch.nn.functional.glu(torch.tensor(x.data), dim=-1)
    with pytest.raises(RuntimeError, match="^glu: ") as caught:
        F.glu(x, dim=-1)
    assert isinstance(caught.value, ValueError)
