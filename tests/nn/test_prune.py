"""nn.utils.prune: which entries and channels each method prunes (hand references), the reparametrisation
(name_orig, name_mask, the forward pre-hook), gradients through the mask, iterative and global pruning, remove, and
the same masks, keys and values as torch.nn.utils.prune from the same weights."""
import numpy as np
import pytest

import autograd_core as ag
import nn
from nn.utils import prune


def _torch():
    return pytest.importorskip("torch")


def _torch_prune():
    return pytest.importorskip("torch.nn.utils.prune")


def _linear(weight, bias=None):
    """A float64 nn.Linear holding weight (out, in) and bias."""
    weight = np.asarray(weight, dtype=np.float64)
    layer = nn.Linear(weight.shape[1], weight.shape[0], bias=bias is not None, dtype=np.float64)
    layer.weight.data = weight.copy()
    if bias is not None:
        layer.bias.data = np.asarray(bias, dtype=np.float64)
    return layer


def _torch_twin(layer, torch):
    """torch's float64 layer of layer's kind and values (before pruning)."""
    if isinstance(layer, nn.Conv2d):
        twin = torch.nn.Conv2d(layer.in_channels, layer.out_channels, layer.kernel_size).double()
    else:
        twin = torch.nn.Linear(layer.in_features, layer.out_features, bias=layer.bias is not None).double()
    twin.load_state_dict({k: torch.tensor(v) for k, v in layer.state_dict().items()})
    return twin


WEIGHT = [[0.5, -3.0, 0.1], [2.0, -0.2, 1.5], [-0.05, 4.0, -1.0], [0.3, 0.7, -2.5]]


def test_l1_unstructured_prunes_the_smallest_magnitudes_and_reparametrises():
    layer = _linear(WEIGHT, bias=[1.0, 2.0, 3.0, 4.0])
    assert prune.l1_unstructured(layer, "weight", amount=0.25) is layer  # round(0.25 * 12) = 3 entries
    expected_mask = np.ones((4, 3))
    expected_mask[0, 2] = expected_mask[1, 1] = expected_mask[2, 0] = 0  # |0.1|, |-0.2|, |-0.05|
    np.testing.assert_array_equal(layer.weight_mask.data, expected_mask)
    np.testing.assert_array_equal(layer.weight.data, np.array(WEIGHT) * expected_mask)
    np.testing.assert_array_equal(layer.weight_orig.data, WEIGHT)  # the values kept, still trained
    assert [name for name, _ in layer.named_parameters()] == ["bias", "weight_orig"]
    assert [name for name, _ in layer.named_buffers()] == ["weight_mask"]
    assert list(layer.state_dict()) == ["bias", "weight_orig", "weight_mask"]
    assert layer.weight_mask.dtype == np.float64 and prune.is_pruned(layer)


def test_a_count_prunes_that_many_and_a_fraction_rounds_half_to_even():
    bias = [0.4, -0.1, 0.3, 0.2, -0.5]
    layer = prune.l1_unstructured(_linear(np.ones((5, 1)), bias=bias), "bias", amount=2)
    np.testing.assert_array_equal(layer.bias_mask.data, [1, 0, 1, 0, 1])
    layer = prune.l1_unstructured(_linear(np.ones((5, 1)), bias=bias), "bias", amount=0.5)  # round(2.5) = 2
    np.testing.assert_array_equal(layer.bias_mask.data, [1, 0, 1, 0, 1])
    layer = prune.l1_unstructured(_linear(np.ones((5, 1)), bias=bias), "bias", amount=0.0)
    np.testing.assert_array_equal(layer.bias_mask.data, np.ones(5))


def test_the_hook_recomputes_the_weight_and_gradients_reach_orig_through_the_mask():
    layer = prune.l1_unstructured(_linear(WEIGHT, bias=[0.0] * 4), "weight", amount=3)
    mask = layer.weight_mask.data.copy()
    x = np.array([[1.0, 2.0, 3.0], [-1.0, 0.5, 2.0]])
    layer(x).sum().backward()
    # d sum(x @ (mask * w).T) / dw = mask * (column sums of x, per output)
    np.testing.assert_allclose(layer.weight_orig.grad.data, mask * x.sum(axis=0))
    with ag.no_grad():
        layer.weight_orig -= 0.1 * layer.weight_orig.grad  # a step on weight_orig ...
    out = layer(x)  # ... and the hook prunes the new values before the forward
    np.testing.assert_allclose(out.data, x @ (layer.weight_orig.data * mask).T)
    assert np.all(layer.weight.data[mask == 0] == 0)


def test_random_unstructured_prunes_the_count_and_ag_manual_seed_repeats_it():
    ag.manual_seed(3)
    first = prune.random_unstructured(_linear(np.ones((6, 5))), "weight", amount=0.3).weight_mask.data
    ag.manual_seed(3)
    again = prune.random_unstructured(_linear(np.ones((6, 5))), "weight", amount=0.3).weight_mask.data
    assert (first == 0).sum() == 9 and np.array_equal(first, again)


@pytest.mark.parametrize("n", [1, 2, np.inf, "fro"])
def test_ln_structured_prunes_the_rows_of_least_norm(n):
    layer = prune.ln_structured(_linear(WEIGHT), "weight", amount=2, n=n, dim=0)
    norms = np.linalg.norm(np.array(WEIGHT), ord=2 if n == "fro" else n, axis=1)
    kept = np.argsort(-norms)[:2]
    np.testing.assert_array_equal(layer.weight_mask.data.all(axis=1), np.isin(np.arange(4), kept))


def test_ln_structured_along_the_last_dim_prunes_columns():
    layer = prune.ln_structured(_linear(WEIGHT), "weight", amount=1, n=1, dim=-1)
    # column L1 norms 2.85, 7.9, 5.1: the first goes
    np.testing.assert_array_equal(layer.weight_mask.data, np.tile([0.0, 1.0, 1.0], (4, 1)))


def test_random_structured_prunes_whole_channels():
    ag.manual_seed(0)
    layer = prune.random_structured(nn.Conv2d(2, 5, 3, dtype=np.float64), "weight", amount=2, dim=0)
    per_channel = layer.weight_mask.data.reshape(5, -1)
    assert sorted(per_channel.min(axis=1) == per_channel.max(axis=1)) == [True] * 5
    assert (per_channel[:, 0] == 0).sum() == 2


def test_pruning_again_acts_on_what_is_left_in_a_container():
    layer = prune.l1_unstructured(_linear(WEIGHT), "weight", amount=3)
    prune.l1_unstructured(layer, "weight", amount=3)  # the next three smallest of those kept: 0.3, 0.5, 0.7
    expected = (np.abs(np.array(WEIGHT)) > 0.7).astype(float)
    np.testing.assert_array_equal(layer.weight_mask.data, expected)
    hooks = list(prune._pruning_hooks(layer))
    assert len(hooks) == 1 and isinstance(hooks[0][1], prune.PruningContainer) and len(hooks[0][1]) == 2
    assert [type(m) for m in hooks[0][1]] == [prune.L1Unstructured, prune.L1Unstructured]


def test_structured_pruning_after_unstructured_keeps_the_first_mask():
    layer = prune.l1_unstructured(_linear(WEIGHT), "weight", amount=3)
    first = layer.weight_mask.data.copy()
    prune.ln_structured(layer, "weight", amount=1, n=2, dim=0)  # row 1 has the least 2-norm, 2.51 (of the values)
    expected = first.copy()
    expected[1] = 0
    np.testing.assert_array_equal(layer.weight_mask.data, expected)


def test_global_unstructured_ranks_all_parameters_together():
    a, b = _linear([[1.0, 5.0], [6.0, 0.5]]), _linear([[2.0, 3.0, 4.0]])
    prune.global_unstructured([(a, "weight"), (b, "weight")], prune.L1Unstructured, amount=3)  # 0.5, 1, 2
    np.testing.assert_array_equal(a.weight_mask.data, [[0, 1], [1, 0]])
    np.testing.assert_array_equal(b.weight_mask.data, [[0, 1, 1]])
    scores = {(b, "weight"): np.array([[9.0, 9.0, 0.0]])}
    prune.global_unstructured([(a, "weight"), (b, "weight")], prune.L1Unstructured, importance_scores=scores,
                              amount=1)  # among the kept: b's last entry by its score
    np.testing.assert_array_equal(b.weight_mask.data, [[0, 1, 0]])


def test_custom_from_mask_and_importance_scores():
    layer = prune.custom_from_mask(_linear(WEIGHT), "weight", mask=np.eye(4, 3))
    np.testing.assert_array_equal(layer.weight.data, np.eye(4, 3) * np.array(WEIGHT))
    scores = np.arange(12.0).reshape(4, 3)
    layer = prune.l1_unstructured(_linear(WEIGHT), "weight", amount=2, importance_scores=scores)
    np.testing.assert_array_equal(layer.weight_mask.data.ravel(), [0, 0] + [1] * 10)


def test_a_custom_method_prunes_what_its_compute_mask_says():
    class EveryOther(prune.BasePruningMethod):
        PRUNING_TYPE = "unstructured"

        def compute_mask(self, t, default_mask):
            mask = default_mask.clone()
            mask.view(-1)[::2] = 0
            return mask

    layer = _linear(np.ones((2, 2)), bias=[1.0, 2.0, 3.0, 4.0][:2])
    EveryOther.apply(layer, "bias")
    np.testing.assert_array_equal(layer.bias_mask.data, [0, 1])
    np.testing.assert_array_equal(EveryOther().prune(ag.tensor([1.0, 2.0, 3.0])).data, [0, 2, 0])


def test_the_amount_helpers_under_pytorchs_private_names_check_and_count_as_torchs():
    # a custom method written after PyTorch's own: __init__ checks the amount, compute_mask counts with it
    class SmallestFirst(prune.BasePruningMethod):
        PRUNING_TYPE = "unstructured"

        def __init__(self, amount):
            prune._validate_pruning_amount_init(amount)
            self.amount = amount

        def compute_mask(self, t, default_mask):
            prune._validate_pruning_amount(self.amount, t.nelement())
            count = prune._compute_nparams_toprune(self.amount, t.nelement())
            mask = default_mask.clone()
            mask.view(-1)[ag.argsort(ag.abs(t).view(-1))[:count]] = 0
            return mask

    values = ag.tensor([3.0, -1.0, 2.0, 0.5, -4.0])
    np.testing.assert_array_equal(SmallestFirst(0.4).prune(values).data, [3.0, 0.0, 2.0, 0.0, -4.0])
    with pytest.raises(ValueError, match="amount=6 should be at most"):
        SmallestFirst(6).prune(values)
    counts = [(amount, size) for amount in (0, 10, 1, 1.0, 0.4, 0.25, 0.5) for size in (15, 17, 2)]
    ours = [prune._compute_nparams_toprune(amount, size) for amount, size in counts]
    assert ours[:6] == [0, 0, 0, 10, 10, 10]
    assert [prune._compute_nparams_toprune(*given) for given in [(1, 15), (1.0, 15), (0.4, 17), (0.25, 2)]] == [
        1, 15, 7, 0]  # an int counts, a float is a fraction: round(6.8), round(0.5) to even
    bad = [("I'm a string", TypeError), (1.1, ValueError), (20.0, ValueError), (-10, ValueError)]
    for amount, error in bad:
        with pytest.raises(error, match="amount"):
            prune._validate_pruning_amount_init(amount)
    torch_prune = _torch_prune()
    assert ours == [torch_prune._compute_nparams_toprune(amount, size) for amount, size in counts]
    for amount, error in bad:
        with pytest.raises(error):
            torch_prune._validate_pruning_amount_init(amount)
    with pytest.raises(ValueError):
        torch_prune._validate_pruning_amount(20, 19)
    prune._validate_pruning_amount(0.3, 0), torch_prune._validate_pruning_amount(0.3, 0)  # a fraction always fits


def test_remove_makes_the_pruning_permanent():
    layer = prune.l1_unstructured(_linear(WEIGHT, bias=[1.0] * 4), "weight", amount=3)
    pruned = layer.weight.data.copy()
    weight_orig = layer.weight_orig
    assert prune.remove(layer, "weight") is layer
    assert layer.weight is weight_orig and isinstance(layer.weight, nn.Parameter)  # the same Parameter object
    np.testing.assert_array_equal(layer.weight.data, pruned)
    assert [name for name, _ in layer.named_parameters()] == ["bias", "weight"]
    assert list(layer.named_buffers()) == [] and not prune.is_pruned(layer) and layer._forward_pre_hooks == {}
    with pytest.raises(ValueError, match="remove: parameter 'weight' of Linear is not pruned"):
        prune.remove(layer, "weight")


def test_is_pruned_looks_at_submodules():
    net = nn.Sequential(nn.Linear(2, 2), nn.ReLU(), nn.Linear(2, 1))
    assert not prune.is_pruned(net)
    prune.identity(net[2], "weight")
    assert prune.is_pruned(net) and np.array_equal(net[2].weight_mask.data, np.ones((1, 2)))


def test_a_pruned_state_dict_loads_into_a_pruned_model():
    layer = prune.l1_unstructured(_linear(WEIGHT, bias=[1.0] * 4), "weight", amount=3)
    other = prune.identity(_linear(np.zeros((4, 3)), bias=[0.0] * 4), "weight")
    other.load_state_dict(layer.state_dict())
    x = np.ones((1, 3))
    np.testing.assert_array_equal(other(x).data, layer(x).data)


@pytest.mark.parametrize("call, error, message", [
    (lambda m: prune.l1_unstructured(m, "weight", amount=-1), ValueError, "non-negative integer"),
    (lambda m: prune.l1_unstructured(m, "weight", amount=1.5), ValueError, r"float in \[0, 1\]"),
    (lambda m: prune.l1_unstructured(m, "weight", amount="all"), TypeError, "got str"),
    (lambda m: prune.l1_unstructured(m, "weight", amount=13), ValueError, "at most the number .* 12"),
    (lambda m: prune.ln_structured(m, "bias", amount=1, n=2, dim=0), ValueError, "two or more dimensions"),
    (lambda m: prune.ln_structured(m, "weight", amount=1, n=2, dim=2), IndexError, "dim=2 is out of range"),
    (lambda m: prune.l1_unstructured(m, "weight", amount=1, importance_scores=np.ones(3)), ValueError,
     "importance_scores should have the shape"),
    (lambda m: prune.custom_from_mask(m, "weight", mask=np.ones(3)), ValueError, "mask's shape"),
])
def test_bad_arguments_are_refused_and_leave_the_module_as_it_was(call, error, message):
    layer = _linear(WEIGHT, bias=[1.0] * 4)
    with pytest.raises(error, match=message):
        call(layer)
    assert [name for name, _ in layer.named_parameters()] == ["weight", "bias"]
    assert list(layer.named_buffers()) == [] and not prune.is_pruned(layer)
    np.testing.assert_array_equal(layer.weight.data, WEIGHT)


def test_a_buffer_is_refused_and_kept():
    bn = nn.BatchNorm1d(3)
    with pytest.raises(TypeError, match="L1Unstructured.apply: BatchNorm1d.running_mean is a Tensor, not a Parameter"):
        prune.l1_unstructured(bn, "running_mean", amount=1)
    assert [name for name, _ in bn.named_buffers()] == ["running_mean", "running_var", "num_batches_tracked"]


def test_a_failed_second_pruning_keeps_the_first():
    layer = prune.l1_unstructured(_linear(WEIGHT), "weight", amount=2)
    prune.l1_unstructured(layer, "weight", amount=2)
    mask, hooks = layer.weight_mask.data.copy(), prune._pruning_hooks(layer)
    with pytest.raises(ValueError, match="at most the number"):
        prune.l1_unstructured(layer, "weight", amount=9)  # 8 entries left
    np.testing.assert_array_equal(layer.weight_mask.data, mask)
    assert prune._pruning_hooks(layer) == hooks and len(hooks[0][1]) == 2


def test_masks_values_gradients_and_keys_equal_torchs():
    torch, tprune = _torch(), _torch_prune()
    rng = np.random.default_rng(0)
    conv = nn.Conv2d(2, 4, 3, dtype=np.float64, rng=0)
    twin = _torch_twin(conv, torch)
    for ours, theirs in [(lambda m: prune.l1_unstructured(m, "weight", amount=0.3),
                          lambda m: tprune.l1_unstructured(m, "weight", amount=0.3)),
                         (lambda m: prune.l1_unstructured(m, "bias", amount=1),
                          lambda m: tprune.l1_unstructured(m, "bias", amount=1)),
                         (lambda m: prune.ln_structured(m, "weight", amount=0.5, n=2, dim=0),
                          lambda m: tprune.ln_structured(m, "weight", amount=0.5, n=2, dim=0)),
                         (lambda m: prune.ln_structured(m, "weight", amount=1, n=1, dim=1),
                          lambda m: tprune.ln_structured(m, "weight", amount=1, n=1, dim=1)),
                         (lambda m: prune.l1_unstructured(m, "weight", amount=5),
                          lambda m: tprune.l1_unstructured(m, "weight", amount=5))]:
        ours(conv)
        theirs(twin)
    assert list(conv.state_dict()) == list(twin.state_dict())
    for key, value in conv.state_dict().items():
        np.testing.assert_array_equal(value, twin.state_dict()[key].numpy(), err_msg=key)
    x = rng.standard_normal((2, 2, 5, 5))
    out, expected = conv(x), twin(torch.tensor(x))
    np.testing.assert_allclose(out.data, expected.detach().numpy(), rtol=1e-13, atol=1e-13)
    (out ** 2).sum().backward()
    (expected ** 2).sum().backward()
    for name in ["weight_orig", "bias_orig"]:
        np.testing.assert_allclose(getattr(conv, name).grad.data, getattr(twin, name).grad.numpy(), rtol=1e-12,
                                   atol=1e-12)
    prune.remove(conv, "weight")
    tprune.remove(twin, "weight")
    assert list(conv.state_dict()) == list(twin.state_dict())
    np.testing.assert_array_equal(conv.weight.data, twin.weight.detach().numpy())


def test_global_unstructured_equals_torchs():
    torch, tprune = _torch(), _torch_prune()
    layers = [nn.Linear(4, 6, dtype=np.float64, rng=1), nn.Conv2d(1, 3, 2, dtype=np.float64, rng=2)]
    twins = [_torch_twin(layer, torch) for layer in layers]
    prune.l1_unstructured(layers[0], "weight", amount=4)  # an earlier mask, respected
    tprune.l1_unstructured(twins[0], "weight", amount=4)
    prune.global_unstructured([(m, "weight") for m in layers], prune.L1Unstructured, amount=0.4)
    tprune.global_unstructured([(m, "weight") for m in twins], tprune.L1Unstructured, amount=0.4)
    for layer, twin in zip(layers, twins):
        np.testing.assert_array_equal(layer.weight_mask.data, twin.weight_mask.numpy())
        np.testing.assert_array_equal(layer.weight.data, twin.weight.detach().numpy())
