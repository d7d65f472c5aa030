"""reset_parameters (and the normalisations' reset_running_stats), as PyTorch's: every layer that owns Parameters
draws them again into the same Parameter objects, with the constructor's distributions; a seeded construction is
reset_parameters with that seed (the values pinned here from NumPy recipes, as the constructors drew them before
reset_parameters existed); `model.apply(weight_reset)` resets a whole model."""
import math

import numpy as np
import pytest

import autograd_core as ag
import nn

# name -> a factory taking rng (the layers whose construction draws only through reset_parameters)
SEEDED = {
    "Linear": lambda rng: nn.Linear(5, 3, rng=rng),
    "Linear without bias": lambda rng: nn.Linear(4, 2, bias=False, dtype=np.float64, rng=rng),
    "Bilinear": lambda rng: nn.Bilinear(2, 3, 4, rng=rng),
    "Conv1d": lambda rng: nn.Conv1d(2, 4, 3, rng=rng),
    "Conv2d": lambda rng: nn.Conv2d(4, 6, 3, groups=2, rng=rng),
    "Conv3d": lambda rng: nn.Conv3d(2, 3, 2, rng=rng),
    "ConvTranspose1d": lambda rng: nn.ConvTranspose1d(2, 4, 3, rng=rng),
    "ConvTranspose2d": lambda rng: nn.ConvTranspose2d(4, 6, 3, groups=2, rng=rng),
    "ConvTranspose3d": lambda rng: nn.ConvTranspose3d(2, 3, 2, rng=rng),
    "Embedding": lambda rng: nn.Embedding(7, 3, padding_idx=2, rng=rng),
    "EmbeddingBag": lambda rng: nn.EmbeddingBag(7, 3, padding_idx=-1, rng=rng),
    "RNN": lambda rng: nn.RNN(3, 4, num_layers=2, bidirectional=True, rng=rng),
    "LSTM": lambda rng: nn.LSTM(3, 4, proj_size=2, rng=rng),
    "GRU": lambda rng: nn.GRU(3, 4, bias=False, rng=rng),
    "RNNCell": lambda rng: nn.RNNCell(3, 4, rng=rng),
    "LSTMCell": lambda rng: nn.LSTMCell(3, 4, rng=rng),
    "GRUCell": lambda rng: nn.GRUCell(3, 4, rng=rng),
    "AdaptiveLogSoftmaxWithLoss": lambda rng: nn.AdaptiveLogSoftmaxWithLoss(8, 10, cutoffs=[4, 8], div_value=2.0,
                                                                            rng=rng),
}
# the layers whose reset_parameters draws nothing: ones, zeros, a constant, and the running statistics
FIXED = {
    "BatchNorm1d": lambda: nn.BatchNorm1d(3),
    "BatchNorm2d": lambda: nn.BatchNorm2d(3, momentum=None),
    "BatchNorm3d": lambda: nn.BatchNorm3d(2, bias=False),
    "InstanceNorm1d": lambda: nn.InstanceNorm1d(3, affine=True, track_running_stats=True),
    "InstanceNorm2d": lambda: nn.InstanceNorm2d(3, affine=True),
    "InstanceNorm3d": lambda: nn.InstanceNorm3d(2, track_running_stats=True),
    "LayerNorm": lambda: nn.LayerNorm((2, 3)),
    "GroupNorm": lambda: nn.GroupNorm(2, 4),
    "RMSNorm": lambda: nn.RMSNorm(3, dtype=np.float64),
    "PReLU": lambda: nn.PReLU(3, init=0.1),
}


def _state(module):
    """The state dict's arrays, copied."""
    return {name: np.array(value) for name, value in module.state_dict().items()}


def _perturb(module):
    """Every parameter and float buffer set to 7, the step count to 5: values no reset gives."""
    for _, value in [*module.named_parameters(), *module.named_buffers()]:
        nn.init.constant_(value, 5 if value.dtype.kind == "i" else 7.0)


@pytest.mark.parametrize("name", sorted(SEEDED))
def test_reset_with_a_seed_equals_construction_with_it(name):
    layer = SEEDED[name](0)
    _perturb(layer)
    layer.reset_parameters(rng=0)
    expected = _state(SEEDED[name](0))
    for key, value in _state(layer).items():
        assert value.dtype == expected[key].dtype and np.array_equal(value, expected[key]), key


@pytest.mark.parametrize("name", sorted(SEEDED))
def test_reset_draws_again_into_the_same_parameters(name):
    layer = SEEDED[name](0)
    parameters = dict(layer.named_parameters())
    before = {key: p.data.copy() for key, p in parameters.items()}
    versions = {key: p._version for key, p in parameters.items()}
    layer.reset_parameters(rng=1)
    assert dict(layer.named_parameters()) == parameters  # (compared by identity: Tensors hash by id)
    for key, p in layer.named_parameters():
        assert p is parameters[key] and p.dtype == before[key].dtype and p.shape == before[key].shape
        assert p._version > versions[key], key  # counted as an in-place write
        drawn = p.data[np.isfinite(p.data) & (before[key] != 0)]  # (a padding row stays 0)
        assert drawn.size == 0 or not np.array_equal(drawn, before[key][np.isfinite(p.data) & (before[key] != 0)])


@pytest.mark.parametrize("name", sorted(SEEDED))
def test_reset_without_rng_draws_from_the_default_generator(name):
    layer = SEEDED[name](0)
    ag.manual_seed(3)
    layer.reset_parameters()
    ag.manual_seed(3)
    expected = _state(SEEDED[name](None))  # (a construction without rng draws from the default generator too)
    assert all(np.array_equal(value, expected[key]) for key, value in _state(layer).items())


@pytest.mark.parametrize("name", sorted(FIXED))
def test_fixed_resets_restore_the_initial_values_in_place(name):
    layer = FIXED[name]()
    expected, parameters = _state(layer), list(layer.parameters())
    _perturb(layer)
    layer.reset_parameters()
    assert list(layer.parameters()) == parameters
    for key, value in _state(layer).items():
        assert value.dtype == expected[key].dtype and np.array_equal(value, expected[key]), key


def test_the_normalisations_start_at_ones_zeros_and_the_constant():
    bn = nn.BatchNorm1d(3)
    assert bn.weight.data.tolist() == [1, 1, 1] and bn.bias.data.tolist() == [0, 0, 0]
    assert bn.running_mean.data.tolist() == [0, 0, 0] and bn.running_var.data.tolist() == [1, 1, 1]
    assert int(bn.num_batches_tracked.data) == 0
    assert nn.PReLU(2, init=0.1).weight.data.tolist() == np.full(2, 0.1, np.float32).tolist()
    assert nn.LayerNorm(2, bias=False).bias is None and nn.GroupNorm(1, 2, affine=False).weight is None
    with pytest.raises(ValueError, match="val=1e.39 overflows the Tensor's dtype float32"):
        nn.PReLU(init=1e39)  # (PyTorch's constant_ refuses it too)


def test_batch_norm_reset_parameters_restores_the_affine_parameters_and_the_running_statistics():
    # (reset_running_stats alone, and on a layer without statistics: tests/nn/test_normalization.py)
    bn = nn.BatchNorm1d(2)
    x = np.random.default_rng(0).normal(3.0, 2.0, size=(8, 2))
    for _ in range(3):
        bn(x).sum().backward()
    bn.weight.data[...] = 2.0
    mean, count = bn.running_mean, bn.num_batches_tracked
    bn.reset_running_stats()
    assert bn.weight.data.tolist() == [2, 2]  # reset_running_stats leaves the parameters
    bn(x)
    bn.reset_parameters()
    assert bn.weight.data.tolist() == [1, 1] and bn.bias.data.tolist() == [0, 0]
    assert mean.data.tolist() == [0, 0] and int(count.data) == 0 and bn.running_mean is mean  # the same buffers


def test_reset_parameters_without_affine_parameters_or_statistics_is_nothing():
    norm = nn.InstanceNorm2d(2)
    norm.reset_parameters()
    assert norm.running_mean is None and norm.weight is None


# ---- the distributions, from NumPy recipes (the values the constructors drew before reset_parameters) ----------
def test_linear_values_from_the_numpy_recipe():
    g, bound = np.random.default_rng(0), 1 / math.sqrt(5)
    weight = g.uniform(-bound, bound, (3, 5)).astype(np.float32)  # kaiming_uniform_(a=sqrt(5)): the same bound
    bias = g.uniform(-bound, bound, 3).astype(np.float32)
    for layer in (nn.Linear(5, 3, rng=0), nn.Linear(5, 3, rng=9)):
        layer.reset_parameters(rng=0)
        assert np.array_equal(layer.weight.data, weight) and np.array_equal(layer.bias.data, bias)


def test_convolution_values_from_the_numpy_recipe():
    g = np.random.default_rng(0)
    bound = 1 / math.sqrt(2 * 3 * 3)  # fan_in: in_channels / groups * prod(kernel_size)
    weight = g.uniform(-bound, bound, (6, 2, 3, 3)).astype(np.float32)
    bias = g.uniform(-bound, bound, 6).astype(np.float32)
    conv = nn.Conv2d(4, 6, 3, groups=2, rng=0)
    assert np.array_equal(conv.weight.data, weight) and np.array_equal(conv.bias.data, bias)
    g, bound = np.random.default_rng(0), 1 / math.sqrt(4 * 2)  # (in, out / groups, k): fan_in out / groups * k
    weight = g.uniform(-bound, bound, (2, 4, 2)).astype(np.float32)
    conv = nn.ConvTranspose1d(2, 4, 2, bias=False, rng=5)
    conv.reset_parameters(rng=0)
    assert np.array_equal(conv.weight.data, weight)


def test_bilinear_embedding_and_recurrent_values_from_numpy_recipes():
    g, bound = np.random.default_rng(0), 1 / math.sqrt(2)
    weight = g.uniform(-bound, bound, (4, 2, 3)).astype(np.float32)
    bias = g.uniform(-bound, bound, 4).astype(np.float32)
    bilinear = nn.Bilinear(2, 3, 4, rng=0)
    assert np.array_equal(bilinear.weight.data, weight) and np.array_equal(bilinear.bias.data, bias)
    table = np.random.default_rng(0).normal(0.0, 1.0, (7, 3)).astype(np.float32)
    table[2] = 0
    assert np.array_equal(nn.Embedding(7, 3, padding_idx=2, rng=0).weight.data, table)
    g, bound = np.random.default_rng(0), 1 / math.sqrt(4)
    shapes = [(12, 3), (12, 4), (12,), (12,)]  # weight_ih, weight_hh, bias_ih, bias_hh: registration order
    expected = [g.uniform(-bound, bound, shape).astype(np.float32) for shape in shapes]
    assert all(np.array_equal(p.data, e) for p, e in zip(nn.GRUCell(3, 4, rng=0).parameters(), expected))


def test_attention_values_from_the_numpy_recipe():
    g, e = np.random.default_rng(0), 4
    out_bound = 1 / math.sqrt(e)
    out_weight = g.uniform(-out_bound, out_bound, (e, e)).astype(np.float32)  # out_proj, a Linear, first
    g.uniform(-out_bound, out_bound, e)  # (its bias, then zeroed)
    in_weight = g.uniform(-math.sqrt(6 / (e + 3 * e)), math.sqrt(6 / (e + 3 * e)), (3 * e, e)).astype(np.float32)
    bias_k = g.normal(0.0, math.sqrt(2 / (e + e)), (1, 1, e)).astype(np.float32)  # xavier_normal_: fans E and E
    mha = nn.MultiheadAttention(e, 2, add_bias_kv=True, rng=0)
    assert np.array_equal(mha.out_proj.weight.data, out_weight) and np.array_equal(mha.in_proj_weight.data, in_weight)
    assert np.array_equal(mha.bias_k.data, bias_k)
    assert not mha.out_proj.bias.data.any() and not mha.in_proj_bias.data.any()


@pytest.mark.parametrize("make, bound", [
    (lambda: nn.Linear(200, 300), 1 / math.sqrt(200)),
    (lambda: nn.Conv2d(8, 40, 5), 1 / math.sqrt(8 * 25)),
    (lambda: nn.ConvTranspose2d(40, 8, 5), 1 / math.sqrt(8 * 25)),
    (lambda: nn.Bilinear(30, 4, 50), 1 / math.sqrt(30)),
    (lambda: nn.LSTM(10, 64), 1 / 8),
])
def test_uniform_draws_fill_their_bound(make, bound):
    layer = make()
    for p in layer.parameters():
        nn.init.zeros_(p)
    layer.reset_parameters(rng=2)
    values = np.concatenate([p.data.ravel() for p in layer.parameters()])
    assert np.abs(values).max() <= bound and np.abs(values).max() > 0.95 * bound
    assert abs(values.mean()) < 0.05 * bound  # centred


def test_embedding_draws_standard_normal_with_the_padding_row_zero():
    emb = nn.EmbeddingBag(400, 50, padding_idx=3, mode="sum")
    emb.reset_parameters(rng=0)
    rows = np.delete(emb.weight.data, 3, axis=0)
    assert abs(rows.mean()) < 0.02 and abs(rows.std() - 1) < 0.02 and not emb.weight.data[3].any()


def test_private_resets_of_attention_and_transformer():
    mha = nn.MultiheadAttention(6, 3, kdim=2, vdim=5, rng=0)
    weights = [mha.q_proj_weight, mha.k_proj_weight, mha.v_proj_weight]
    mha._reset_parameters(rng=1)
    for weight in weights:
        bound = math.sqrt(6 / sum(weight.shape))  # xavier_uniform_
        assert np.abs(weight.data).max() <= bound
    model = nn.Transformer(8, 2, 1, 1, 16, dropout=0.0, rng=0)
    parameters = list(model.parameters())
    matrices = [p.data.copy() for p in parameters if p.ndim > 1]
    model._reset_parameters(rng=1)
    assert list(model.parameters()) == parameters
    for before, p in zip(matrices, [p for p in parameters if p.ndim > 1]):
        assert not np.array_equal(before, p.data) and np.abs(p.data).max() <= math.sqrt(6 / sum(p.shape))


# ---- whole models, optimizers, graphs -------------------------------------------------------------------------
def weight_reset(module):
    if hasattr(module, "reset_parameters"):
        module.reset_parameters()


def test_apply_weight_reset_on_a_mixed_model():
    model = nn.Sequential(nn.Conv2d(1, 4, 3, rng=0), nn.BatchNorm2d(4), nn.PReLU(), nn.Flatten(),
                          nn.Linear(4 * 4 * 4, 8, rng=0), nn.LayerNorm(8), nn.ReLU(), nn.Linear(8, 2, rng=0))
    optimizer = nn.optim.SGD(model.parameters(), lr=0.5)
    x = np.random.default_rng(0).normal(size=(5, 1, 6, 6))
    for _ in range(2):
        optimizer.zero_grad()
        (model(x) ** 2).mean().backward()
        optimizer.step()
    trained = [p.data.copy() for p in model.parameters()]
    ag.manual_seed(0)
    assert model.apply(weight_reset) is model
    ag.manual_seed(0)  # children first, each from the default generator: as constructions without rng, in order
    fresh = nn.Sequential(nn.Conv2d(1, 4, 3), nn.BatchNorm2d(4), nn.PReLU(), nn.Flatten(), nn.Linear(4 * 4 * 4, 8),
                          nn.LayerNorm(8), nn.ReLU(), nn.Linear(8, 2))
    for key, value in fresh.state_dict().items():
        assert np.array_equal(model.state_dict()[key], value), key
    assert any(not np.array_equal(a, p.data) for a, p in zip(trained, model.parameters()))
    optimizer.zero_grad()  # the optimizer holds the same Parameters: it trains the reset model
    (model(x) ** 2).mean().backward()
    before = model[4].weight.data.copy()
    optimizer.step()
    assert not np.array_equal(before, model[4].weight.data)


def test_a_graph_recorded_before_a_reset_refuses_the_changed_weights():
    layer = nn.Linear(3, 2, rng=0)
    x = ag.ones((4, 3), requires_grad=True)  # (x's gradient reads the weight)
    y = layer(x)
    layer.reset_parameters(rng=1)
    with pytest.raises(RuntimeError, match="was changed in place after the node was recorded"):
        y.sum().backward()


def test_reset_rng_errors_name_the_method():
    with pytest.raises(TypeError, match=r"Linear\.reset_parameters: rng must be None, a non-negative int seed"):
        nn.Linear(2, 2).reset_parameters(rng="abc")
    with pytest.raises(TypeError, match=r"MultiheadAttention\._reset_parameters: rng must be"):
        nn.MultiheadAttention(2, 1)._reset_parameters(rng=True)
    with pytest.raises(TypeError, match=r"^Linear: rng must be"):  # the constructor names itself, as before
        nn.Linear(2, 2, rng="abc")


def test_a_subclass_override_in_pytorchs_form_is_called_by_the_constructor():
    class OnesLinear(nn.Linear):
        def reset_parameters(self):  # PyTorch's signature, without rng
            nn.init.ones_(self.weight)
            nn.init.zeros_(self.bias)

    layer = OnesLinear(3, 2, rng=0)
    assert layer.weight.data.tolist() == [[1, 1, 1], [1, 1, 1]] and not layer.bias.data.any()

    class Scaled(nn.Conv1d):
        def reset_parameters(self, rng=None):
            super().reset_parameters(rng)
            self.weight.data *= 0

    assert not Scaled(1, 2, 3, rng=0).weight.data.any()


def test_lazy_layers_reset_once_materialized():
    layer = nn.LazyLinear(3, rng=0)
    layer.reset_parameters()  # nothing to draw yet, as PyTorch's
    assert layer.has_uninitialized_params()
    layer(np.ones((2, 5)))
    layer.reset_parameters(rng=0)
    assert np.array_equal(layer.weight.data, nn.Linear(5, 3, rng=0).weight.data)
    norm = nn.LazyBatchNorm1d()
    norm.reset_parameters()
    norm(np.arange(8.0).reshape(4, 2))
    norm.reset_parameters()
    assert norm.running_mean.data.tolist() == [0, 0] and int(norm.num_batches_tracked.data) == 0


def test_pytorchs_layers_have_the_resets_where_ours_do():
    torch = pytest.importorskip("torch")
    compared = 0
    for name in dir(nn):
        ours, theirs = getattr(nn, name), getattr(torch.nn, name, None)
        if not (isinstance(ours, type) and issubclass(ours, nn.Module)) or theirs is None:
            continue
        for method in ("reset_parameters", "reset_running_stats", "_reset_parameters"):
            assert hasattr(ours, method) == hasattr(theirs, method), (name, method)
        compared += 1
    assert compared > 100


def test_pytorchs_resets_fill_the_same_bounds():
    torch = pytest.importorskip("torch")
    torch.manual_seed(0)
    pairs = [(nn.Linear(300, 200), torch.nn.Linear(300, 200), 1 / math.sqrt(300)),
             (nn.Conv1d(6, 30, 4), torch.nn.Conv1d(6, 30, 4), 1 / math.sqrt(6 * 4)),
             (nn.GRU(5, 16), torch.nn.GRU(5, 16), 1 / 4), (nn.Bilinear(20, 3, 40), torch.nn.Bilinear(20, 3, 40),
                                                           1 / math.sqrt(20))]
    for ours, theirs, bound in pairs:
        ours.reset_parameters(rng=0)
        theirs.reset_parameters()
        for (name, p), (_, q) in zip(ours.named_parameters(), theirs.named_parameters()):
            q = q.detach().numpy()
            assert p.shape == q.shape and np.abs(p.data).max() <= bound and np.abs(q).max() <= bound * (1 + 1e-6)
            if p.size > 400:  # both fill the bound
                assert np.abs(p.data).max() > 0.95 * bound and np.abs(q).max() > 0.95 * bound, name
    bn = torch.nn.BatchNorm1d(2)
    bn(torch.randn(4, 2))
    bn.reset_parameters()
    ours = nn.BatchNorm1d(2)
    ours(np.random.default_rng(0).normal(size=(4, 2)))
    ours.reset_parameters()
    for key, value in ours.state_dict().items():
        assert np.array_equal(value, bn.state_dict()[key].numpy()), key
