"""nn.AdaptiveLogSoftmaxWithLoss: parameter names and shapes, values against a NumPy reference of the adaptive
softmax, log_prob a distribution, predict its argmax, gradients to second order, batched and unbatched, the errors;
and against PyTorch with its weights copied (skipped without it)."""
import numpy as np
import pytest

import autograd_core as ag
import nn
from autograd_core.testing import gradcheck, gradgradcheck


def log_softmax(z):
    z = z - z.max(axis=1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=1, keepdims=True))


def reference_log_prob(module, x):
    """Every class's log-probability from the module's weights, in NumPy."""
    weights = {name: p.data.astype(np.float64) for name, p in module.named_parameters()}
    head = x @ weights["head.weight"].T + weights.get("head.bias", 0)
    head = log_softmax(head)
    shortlist = module.cutoffs[0]
    parts = [head[:, :shortlist]]
    for i in range(len(module.cutoffs) - 1):
        hidden = x @ weights[f"tail.{i}.0.weight"].T
        parts.append(log_softmax(hidden @ weights[f"tail.{i}.1.weight"].T) + head[:, shortlist + i:shortlist + i + 1])
    return np.concatenate(parts, axis=1)


def make(in_features=6, n_classes=9, cutoffs=(3, 5), div_value=2.0, head_bias=False, seed=0):
    return nn.AdaptiveLogSoftmaxWithLoss(in_features, n_classes, list(cutoffs), div_value, head_bias,
                                         dtype=np.float64, rng=seed)


def test_parameter_names_and_shapes():
    module = nn.AdaptiveLogSoftmaxWithLoss(8, 20, [4, 10, 15], head_bias=True, rng=0)
    shapes = {name: p.shape for name, p in module.named_parameters()}
    assert shapes == {"head.weight": (7, 8), "head.bias": (7,), "tail.0.0.weight": (2, 8), "tail.0.1.weight": (6, 2),
                      "tail.1.0.weight": (0, 8), "tail.1.1.weight": (5, 0), "tail.2.0.weight": (0, 8),
                      "tail.2.1.weight": (5, 0)}
    assert module.head.weight.dtype == np.float32
    assert (module.shortlist_size, module.n_clusters, module.head_size, module.cutoffs) == (4, 3, 7, [4, 10, 15, 20])


@pytest.mark.parametrize("head_bias", [False, True])
def test_output_and_loss_against_numpy(head_bias):
    module = make(head_bias=head_bias)
    rng = np.random.default_rng(1)
    x = rng.normal(size=(10, 6))
    target = rng.integers(0, 9, size=10)
    target[:3] = [0, 4, 8]  # one in each cluster at least
    expected = reference_log_prob(module, x)
    result = module(x, target)
    assert result._fields == ("output", "loss")
    np.testing.assert_allclose(result.output.data, expected[np.arange(10), target], rtol=1e-12)
    assert result.loss.item() == pytest.approx(-expected[np.arange(10), target].mean(), rel=1e-12)
    full = module.log_prob(x)
    np.testing.assert_allclose(full.data, expected, rtol=1e-12)
    np.testing.assert_allclose(np.exp(full.data).sum(axis=1), 1, rtol=1e-12)
    np.testing.assert_array_equal(module.predict(x).data, expected.argmax(axis=1))


def test_predict_takes_the_clusters_when_the_head_picks_one():
    module = make(cutoffs=(2,), n_classes=5)
    with ag.no_grad():
        module.head.weight[...] = 0
        module.head.weight[2] = 5.0  # the cluster's logit is the largest for positive inputs
    x = np.array([[1.0] * 6, [-1.0] * 6])
    predicted = module.predict(x)
    assert predicted.dtype == np.int64
    np.testing.assert_array_equal(predicted.data, reference_log_prob(module, x).argmax(axis=1))
    assert predicted.data[0] >= 2 and predicted.data[1] < 2


def test_unbatched():
    module = make()
    x = np.random.default_rng(2).normal(size=6)
    result = module(x, np.array(7))
    batched = module(x[None], np.array([7]))
    assert result.output.shape == () and result.output.item() == batched.output.data[0]
    assert result.loss.item() == batched.loss.item()
    assert module.log_prob(x).shape == (9,) and module.predict(x).shape == ()


def test_gradients_to_second_order():
    module = make(in_features=4, n_classes=6, cutoffs=(2, 4), div_value=1.5, head_bias=True)
    x = np.random.default_rng(3).normal(size=(5, 4))
    target = np.array([0, 2, 5, 3, 1])
    assert gradcheck(lambda v: module(v, target).loss, ag.tensor(x, requires_grad=True))
    assert gradgradcheck(lambda v: module(v, target).output, ag.tensor(x, requires_grad=True))
    module(x, target).loss.backward()
    for name, p in module.named_parameters():  # each parameter's gradient against central differences
        expected = np.zeros_like(p.data)
        for index in np.ndindex(p.shape):
            value = p.data[index]
            losses = []
            for step in (1e-6, -1e-6):
                p.data[index] = value + step
                losses.append(module(x, target).loss.item())
            p.data[index] = value
            expected[index] = (losses[0] - losses[1]) / 2e-6
        np.testing.assert_allclose(p.grad.data, expected, atol=1e-7, err_msg=name)


def test_parameter_gradients_reach_only_the_used_clusters():
    module = make()
    module(np.ones((2, 6)), np.array([0, 4])).loss.backward()
    assert module.tail[0][0].weight.grad is not None and module.tail[1][0].weight.grad is None
    assert np.any(module.head.weight.grad.data != 0)


@pytest.mark.parametrize("arguments, error, message", [
    (dict(cutoffs=[]), ValueError, "cutoffs should be a sequence of length larger than 0"),
    (dict(cutoffs=[5, 3]), ValueError, "cutoffs should be a sequence of unique, positive integers sorted"),
    (dict(cutoffs=[3, 3]), ValueError, "unique"),
    (dict(cutoffs=[0, 3]), ValueError, "unique, positive"),
    (dict(cutoffs=[3, 9]), ValueError, r"between 1 and n_classes-1 \(8\)"),
    (dict(cutoffs=[2.5]), ValueError, "unique, positive integers"),
    (dict(cutoffs=["2"]), TypeError, "cutoffs must be ints, got '2' of type str"),
    (dict(cutoffs=3), TypeError, "cutoffs must be a sequence of ints"),
    (dict(div_value=0), ValueError, "div_value must be"),
    (dict(n_classes=1, cutoffs=[1]), ValueError, "n_classes must be an int >= 2"),
    (dict(in_features=-1), ValueError, "in_features must be an int >= 0, got -1"),
])
def test_construction_errors(arguments, error, message):
    settings = {**dict(in_features=6, n_classes=9, cutoffs=[3, 5]), **arguments}
    with pytest.raises(error, match=f"AdaptiveLogSoftmaxWithLoss: .*{message}"):
        nn.AdaptiveLogSoftmaxWithLoss(**settings)


def test_forward_errors():
    module = make()
    x = np.zeros((3, 6))
    with pytest.raises(ValueError, match=r"target values must be in \[0, 8\], got values in \[0, 9\]"):
        module(x, np.array([0, 9, 1]))
    with pytest.raises(IndexError, match=r"target values must be in \[0, 8\], got values in \[-1, 1\]"):
        module(x, np.array([0, -1, 1]))
    with pytest.raises(ValueError, match="same size in the batch dimension"):
        module(x, np.array([0, 1]))
    with pytest.raises(ValueError, match="a 1-D target expects a 2-D input"):
        module(np.zeros((3, 1, 6)), np.array([0, 1, 2]))
    with pytest.raises(ValueError, match="a 0-d target expects a 1-D input"):
        module(x, np.array(1))
    with pytest.raises(ValueError, match="target must be 0-d or 1-D"):
        module(x, np.zeros((3, 1), np.int64))
    with pytest.raises(TypeError, match="class targets must be integers"):
        module(x, np.zeros(3))
    with pytest.raises(ValueError, match=r"log_prob: input must have shape \(N, 6\)"):
        module.log_prob(np.zeros((3, 5)))


def test_state_dict_round_trip_and_repr():
    module, other = make(seed=0), make(seed=1)
    other.load_state_dict(module.state_dict())
    x = np.random.default_rng(4).normal(size=(3, 6))
    np.testing.assert_array_equal(other.log_prob(x).data, module.log_prob(x).data)
    assert repr(module).startswith("AdaptiveLogSoftmaxWithLoss(\n  in_features=6, n_classes=9, cutoffs=[3, 5], "
                                   "div_value=2.0, head_bias=False\n  (head): Linear(")


# ---- against PyTorch -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("settings", [dict(in_features=8, n_classes=10, cutoffs=[3, 6], div_value=2.0, head_bias=True),
                                      dict(in_features=5, n_classes=30, cutoffs=[2, 10, 20]),
                                      dict(in_features=4, n_classes=3, cutoffs=[1], div_value=1.0)])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.filterwarnings("ignore:Initializing zero-element tensors")
def test_against_torch(settings, dtype):
    torch = pytest.importorskip("torch")
    torch.manual_seed(0)
    theirs = torch.nn.AdaptiveLogSoftmaxWithLoss(**settings).to(getattr(torch, np.dtype(dtype).name))
    ours = nn.AdaptiveLogSoftmaxWithLoss(**settings, dtype=dtype)
    ours.load_state_dict({name: value.detach().numpy() for name, value in theirs.state_dict().items()})
    rng = np.random.default_rng(5)
    x = rng.normal(size=(12, settings["in_features"])).astype(dtype)
    target = rng.integers(0, settings["n_classes"], size=12)
    xt = torch.tensor(x, requires_grad=True)
    ox = ag.tensor(x, requires_grad=True)
    result, expected = ours(ox, target), theirs(xt, torch.tensor(target))
    tolerance = dict(rtol=1e-12, atol=1e-14) if dtype == np.float64 else dict(rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(result.output.data, expected.output.detach().numpy(), **tolerance)
    np.testing.assert_allclose(result.loss.data, expected.loss.detach().numpy(), **tolerance)
    result.loss.backward()
    expected.loss.backward()
    np.testing.assert_allclose(ox.grad.data, xt.grad.numpy(), **tolerance)
    for name, p in theirs.named_parameters():
        ours_p = dict(ours.named_parameters())[name]
        np.testing.assert_allclose(ours_p.grad.data if ours_p.grad is not None else 0, p.grad.numpy(), **tolerance)
    np.testing.assert_allclose(ours.log_prob(x).data, theirs.log_prob(torch.tensor(x)).detach().numpy(), **tolerance)
    np.testing.assert_array_equal(ours.predict(x).data, theirs.predict(torch.tensor(x)).numpy())
    one = ours(x[0], np.array(target[0]))
    np.testing.assert_allclose(one.output.data, theirs(torch.tensor(x[0]), torch.tensor(target[0])).output.item(),
                               **tolerance)


def test_an_empty_batch_gives_a_nan_loss_as_torch():
    module = make()
    result = module(np.zeros((0, 6)), np.zeros(0, np.int64))
    assert result.output.shape == (0,) and np.isnan(result.loss.item())
    assert module.predict(np.zeros((0, 6))).shape == (0,) and module.log_prob(np.zeros((0, 6))).shape == (0, 9)


# ---- in_features=0, as PyTorch's ----------------------------------------------------------------------------------
@pytest.mark.filterwarnings("ignore:Initializing zero-element tensors")
def test_in_features_0_gives_the_log_probabilities_of_the_biases_alone():
    """Inputs of no features: every projection gives 0 (no head bias), so each cluster and each class in it is
    equally likely, as PyTorch's AdaptiveLogSoftmaxWithLoss(0, ...) gives."""
    module = nn.AdaptiveLogSoftmaxWithLoss(0, 10, [5], rng=0)
    assert module.head.weight.shape == (6, 0)
    x, target = np.ones((3, 0), np.float32), np.array([1, 6, 9])
    result = module(ag.tensor(x, requires_grad=True), target)
    # a shortlist class: log(1/6); a class of the tail cluster (5 classes): log(1/6) + log(1/5)
    np.testing.assert_allclose(result.output.data, np.log([1 / 6, 1 / 30, 1 / 30]), rtol=1e-6)
    torch = pytest.importorskip("torch")
    theirs = torch.nn.AdaptiveLogSoftmaxWithLoss(0, 10, [5])
    np.testing.assert_allclose(result.loss.data, theirs(torch.tensor(x), torch.tensor(target)).loss.item(), rtol=1e-6)
