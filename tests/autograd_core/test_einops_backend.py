"""einops on autograd_core Tensors (autograd_core/einops_backend.py) and its layers (nn/einops_layers.py): values
equal einops' on the NumPy arrays (and on torch tensors where torch is installed), gradients of first and second
order against finite differences. einops is in the dev extra: without it these skip, except under CI=true where
they fail."""
import subprocess
import sys
from functools import partial

import numpy as np
import pytest

import autograd_core as ag
import nn
from autograd_core.testing import gradcheck, gradgradcheck
from conftest import einops_or_skip

RNG = np.random.default_rng(0)


@pytest.fixture
def einops():
    return einops_or_skip()


# (pattern, input shape, axes lengths): composed, decomposed, ellipsis and anonymous (1) axes
REARRANGES = [
    ("a b c -> c a b", (2, 3, 4), {}),
    ("a b c -> (a b) c", (2, 3, 4), {}),
    ("a (b1 b2) c -> b2 (c a) b1", (2, 6, 4), {"b1": 2}),
    ("b ... c -> c ... b", (2, 3, 4, 5), {}),
    ("... c -> (...) c", (2, 3, 4), {}),
    ("a b -> a 1 b 1", (2, 3), {}),
    ("a 1 b -> b a", (2, 1, 3), {}),
    ("b c (h p1) (w p2) -> b (c p1 p2) h w", (1, 2, 4, 6), {"p1": 2, "p2": 2}),
]
REDUCES = [
    ("a b c -> a", "sum", (2, 3, 4), {}),
    ("a b c -> c a", "mean", (2, 3, 4), {}),
    ("a (b 2) c -> a b c", "max", (2, 6, 3), {}),
    ("a b (c c2) -> b 1 c", "min", (2, 3, 4), {"c2": 2}),
    ("a ... -> a", "prod", (2, 3, 2), {}),
    ("o ... -> o 1 1 1", "mean", (3, 2, 2, 2), {}),
]
REPEATS = [
    ("h w -> h w c", (2, 3), {"c": 4}),
    ("h w -> (r h) w", (2, 3), {"r": 2}),
    ("h w -> (h h2) (w3 w)", (2, 3), {"h2": 2, "w3": 3}),
    ("... -> ... 2", (2, 3), {}),
]


def _cases(cases):
    return pytest.mark.parametrize("case", cases, ids=[" ".join(map(str, c[:2])) for c in cases])


def _check(einops, operation, x, *args, **lengths):
    """The Tensor result equals einops' on the array, and its gradients (first and second) finite differences'."""
    result = operation(ag.tensor(x), *args, **lengths)
    assert isinstance(result, ag.Tensor)
    np.testing.assert_allclose(result.data, operation(x, *args, **lengths), rtol=1e-12)
    weights = RNG.normal(size=result.shape)  # a non-uniform cotangent, so a transposed gradient shows
    assert gradcheck(lambda t: (operation(t, *args, **lengths) * weights).sum(), x)
    assert gradgradcheck(lambda t: (operation(t, *args, **lengths) ** 2 * weights).sum(), x)


@_cases(REARRANGES)
def test_rearrange_matches_einops_on_arrays_and_differentiates(einops, case):
    pattern, shape, lengths = case
    _check(einops, einops.rearrange, RNG.normal(size=shape), pattern, **lengths)


@_cases(REDUCES)
def test_reduce_matches_einops_on_arrays_and_differentiates(einops, case):
    pattern, reduction, shape, lengths = case
    x = RNG.permutation(np.prod(shape)).reshape(shape) / 7.0 + 0.5  # distinct entries: no ties at max/min
    _check(einops, einops.reduce, x, pattern, reduction, **lengths)


@_cases(REPEATS)
def test_repeat_matches_einops_on_arrays_and_differentiates(einops, case):
    pattern, shape, lengths = case
    _check(einops, einops.repeat, RNG.normal(size=shape), pattern, **lengths)


def test_repeat_gradient_sums_the_copies(einops):
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    einops.repeat(x, "w -> (r w)", r=3).backward(ag.tensor([1.0, 10.0, 100.0, 1000.0, 1e4, 1e5]))
    np.testing.assert_array_equal(x.grad.data, [1.0 + 100.0 + 1e4, 10.0 + 1000.0 + 1e5])


def test_reduce_any_all_and_a_callable_reduction(einops):
    flags = RNG.normal(size=(2, 3, 4)) > 0
    for reduction in ("any", "all"):
        np.testing.assert_array_equal(einops.reduce(ag.tensor(flags), "a b c -> b", reduction).data,
                                      einops.reduce(flags, "a b c -> b", reduction))
    weight = RNG.normal(size=(3, 2, 2, 2))  # WeightStandardizedConv2d's variance, The Annotated Diffusion Model
    variance = einops.reduce(ag.tensor(weight), "o ... -> o 1 1 1", partial(ag.var, unbiased=False))
    np.testing.assert_allclose(variance.data, weight.var(axis=(1, 2, 3), keepdims=True), rtol=1e-12)


def test_einsum_matches_numpy_and_differentiates(einops):
    a, b = RNG.normal(size=(2, 3, 4)), RNG.normal(size=(2, 5, 4))
    result = einops.einsum(ag.tensor(a), ag.tensor(b), "batch i k, batch j k -> batch i j")
    np.testing.assert_allclose(result.data, np.einsum("bik,bjk->bij", a, b), rtol=1e-12)
    assert gradcheck(lambda x, y: (einops.einsum(x, y, "... i k, ... j k -> ... i j") ** 2).sum(), a, b)
    assert gradgradcheck(lambda x, y: (einops.einsum(x, y, "b i k, b j k -> b i j") ** 2).sum(), a, b)


def test_pack_and_unpack_match_einops_on_arrays_and_differentiate(einops):
    arrays = [RNG.normal(size=(2, 3, 5)), RNG.normal(size=(2, 5)), RNG.normal(size=(2, 4, 2, 5))]
    packed, shapes = einops.pack([ag.tensor(a) for a in arrays], "b * c")
    expected, expected_shapes = einops.pack(arrays, "b * c")
    np.testing.assert_array_equal(packed.data, expected)
    assert shapes == expected_shapes == [(3,), (), (4, 2)]
    for piece, array in zip(einops.unpack(packed, shapes, "b * c"), arrays):
        np.testing.assert_array_equal(piece.data, array)

    def round_trip(*tensors):
        packed, shapes = einops.pack(list(tensors), "b * c")
        pieces = einops.unpack(packed * packed, shapes, "b * c")
        return sum((piece * (k + 1)).sum() for k, piece in enumerate(pieces))
    assert gradcheck(round_trip, *arrays)
    assert gradgradcheck(round_trip, *arrays)


def test_gradients_equal_torch_through_einops(einops):
    torch = pytest.importorskip("torch")
    x = RNG.normal(size=(2, 6, 4))

    def f(t):
        t = einops.rearrange(t, "b (h c) n -> b h n c", h=2)
        t = einops.repeat(t, "b h n c -> b h n c r", r=2)
        return (einops.reduce(t, "b h n c r -> b n", "max") ** 2).sum()
    ours = ag.tensor(x, requires_grad=True)
    f(ours).backward()
    theirs = torch.tensor(x, requires_grad=True)
    f(theirs).backward()
    np.testing.assert_allclose(ours.grad.data, theirs.grad.numpy(), rtol=1e-12)


def test_the_annotated_diffusion_models_einops_lines_run_unchanged(einops):
    """Its three einops uses, as written there, give what the port's reshape/indexing edit gave."""
    from nn.einops_layers import Rearrange
    rearrange = einops.rearrange
    heads, t = 2, ag.tensor(RNG.normal(size=(1, 6, 3, 4)))
    np.testing.assert_array_equal(rearrange(t, "b (h c) x y -> b h c (x y)", h=heads).data,
                                  t.data.reshape(1, heads, -1, 12))
    time_emb = ag.tensor(RNG.normal(size=(2, 5)))
    np.testing.assert_array_equal(rearrange(time_emb, "b c -> b c 1 1").data, time_emb.data[:, :, None, None])
    image = ag.tensor(RNG.normal(size=(2, 3, 4, 6)))
    downsample = Rearrange("b c (h p1) (w p2) -> b (c p1 p2) h w", p1=2, p2=2)
    np.testing.assert_array_equal(downsample(image).data, nn.PixelUnshuffle(2)(image).data)


def test_rearrange_and_reduce_layers_in_sequential_train_and_save(einops):
    from nn.einops_layers import EinMix, Rearrange, Reduce
    model = nn.Sequential(Rearrange("b c (h p1) (w p2) -> b h w (c p1 p2)", p1=2, p2=2),
                          EinMix("b h w c -> b h w d", weight_shape="c d", bias_shape="d", c=8, d=3),
                          Reduce("b h w d -> b d", "mean"))
    state = model.state_dict()
    assert list(state) == ["1.weight", "1.bias"]
    assert state["1.weight"].shape == (8, 3)
    x = RNG.normal(size=(2, 2, 4, 4))
    output = model(x)
    patches = x.reshape(2, 2, 2, 2, 2, 2).transpose(0, 2, 4, 1, 3, 5).reshape(2, 2, 2, 8)
    weight, bias = model[1].weight.data, model[1].bias.data
    np.testing.assert_allclose(output.data, (patches @ weight + bias).mean(axis=(1, 2)), rtol=1e-6)
    output.sum().backward()
    np.testing.assert_allclose(model[1].weight.grad.data, np.broadcast_to(patches.mean(axis=(1, 2)).sum(0)[:, None],
                                                                          (8, 3)), rtol=1e-6)
    restored = nn.Sequential(Rearrange("b c (h p1) (w p2) -> b h w (c p1 p2)", p1=2, p2=2),
                             EinMix("b h w c -> b h w d", weight_shape="c d", bias_shape="d", c=8, d=3),
                             Reduce("b h w d -> b d", "mean"))
    restored.load_state_dict(state)
    np.testing.assert_array_equal(restored(x).data, output.data)
    assert repr(model[0]) == "Rearrange('b c (h p1) (w p2) -> b h w (c p1 p2)', p1=2, p2=2)"


def test_einmix_equals_einsum_with_its_weight_and_differentiates(einops):
    from nn.einops_layers import EinMix
    mix = EinMix("b (g c) -> b (g d)", weight_shape="g c d", g=2, c=3, d=4)
    assert mix.bias is None and mix.weight.shape == (2, 3, 4)
    x = RNG.normal(size=(5, 6))
    expected = np.einsum("bgc,gcd->bgd", x.reshape(5, 2, 3), mix.weight.data).reshape(5, 8)
    np.testing.assert_allclose(mix(x).data, expected, rtol=1e-6)
    assert gradcheck(lambda t: (mix(t) ** 2).sum(), x, rtol=1e-2)


def test_backend_is_found_for_tensors_and_gives_its_layers(einops):
    import nn.einops_layers
    from autograd_core.einops_backend import AutogradCoreBackend
    backend = einops._backends.get_backend(ag.tensor([1.0]))
    assert isinstance(backend, AutogradCoreBackend)
    assert backend.layers() is nn.einops_layers
    leaf = backend.from_numpy(np.ones(2))
    assert leaf.requires_grad and not backend.from_numpy(np.ones(2, dtype=np.int64)).requires_grad


def test_importing_autograd_core_without_einops_imports_no_backend():
    code = ("import sys; sys.modules['einops'] = None; import autograd_core; "
            "assert 'autograd_core.einops_backend' not in sys.modules; print('ok')")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "ok"
