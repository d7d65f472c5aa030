"""nn.data.WeightedRandomSampler (PyTorch's): indices drawn with probability proportional to their weights, as
Aladdin Persson's imbalanced-classes example balances its loader."""
import numpy as np
import pytest

import autograd_core as ag
import nn
from nn.data import DataLoader, TensorDataset, WeightedRandomSampler


def test_frequencies_follow_the_weights_as_numpy_and_torch():
    weights = [1.0, 2.0, 0.0, 5.0]
    drawn = np.array(list(WeightedRandomSampler(weights, 40_000, generator=0)))
    frequencies = np.bincount(drawn, minlength=4) / drawn.size
    expected = np.array(weights) / sum(weights)
    np.testing.assert_allclose(frequencies, expected, atol=0.01)
    assert frequencies[2] == 0  # a zero weight is never drawn
    torch = pytest.importorskip("torch")
    torch_drawn = np.array(list(torch.utils.data.WeightedRandomSampler(weights, 40_000,
                                                                      generator=torch.Generator().manual_seed(0))))
    np.testing.assert_allclose(frequencies, np.bincount(torch_drawn, minlength=4) / torch_drawn.size, atol=0.015)


def test_draws_are_numpys_choice_for_the_same_seed():
    weights = np.array([3.0, 1.0, 4.0, 1.0, 5.0])
    drawn = list(WeightedRandomSampler(ag.tensor(weights), 7, generator=np.random.default_rng(3)))
    assert drawn == np.random.default_rng(3).choice(5, size=7, p=weights / weights.sum()).tolist()
    assert all(type(i) is int for i in drawn)


def test_without_replacement_each_index_once_and_too_many_refused():
    drawn = list(WeightedRandomSampler([1, 1, 0, 2, 1], 4, replacement=False, generator=1))
    assert sorted(drawn) == [0, 1, 3, 4]
    with pytest.raises(ValueError, match=r"num_samples \(5\) may not exceed the count of nonzero weights \(4\)"):
        WeightedRandomSampler([1, 1, 0, 2, 1], 5, replacement=False)
    # torch.multinomial's documented rule (num_samples at most the nonzero count); its CPU kernel checks only the
    # length, then draws zero-weight indices
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError, match="without replacement"):
        list(torch.utils.data.WeightedRandomSampler([1.0, 1.0, 0.0, 2.0, 1.0], 6, replacement=False))


def test_length_names_and_a_new_draw_each_pass():
    sampler = WeightedRandomSampler([1.0, 1.0], 6, generator=0)
    assert len(sampler) == 6 and sampler.num_samples == 6 and sampler.replacement is True
    assert nn.WeightedRandomSampler is WeightedRandomSampler is nn.utils.data.WeightedRandomSampler
    passes = [list(sampler) for _ in range(4)]
    assert any(p != passes[0] for p in passes[1:])


def test_balances_an_imbalanced_loader():
    # 95 items of class 0, 5 of class 1; weights 1 / class count give each class half the draws, as in the example
    y = np.array([0] * 95 + [1] * 5)
    class_weights = 1.0 / np.bincount(y)
    sampler = WeightedRandomSampler(class_weights[y], num_samples=len(y) * 50, replacement=True, generator=0)
    loader = DataLoader(TensorDataset(np.arange(len(y)), y), batch_size=100, sampler=sampler)
    labels = np.concatenate([yb.data for _, yb in loader])
    assert labels.size == 5000 and abs(labels.mean() - 0.5) < 0.03


@pytest.mark.parametrize("weights, num_samples, replacement, error, message", [
    ([[1.0, 2.0]], 2, True, ValueError, r"weights should be a 1d sequence but given weights have shape \(1, 2\)"),
    ([1.0, -1.0], 2, True, ValueError, "finite and non-negative with a positive sum"),
    ([0.0, 0.0], 2, True, ValueError, "finite and non-negative with a positive sum"),
    ([1.0, np.nan], 2, True, ValueError, "finite and non-negative"),
    ([1.0, 2.0], 0, True, ValueError, "num_samples must be a positive int"),
    ([1.0, 2.0], 2.0, True, TypeError, "num_samples"),
    ([1.0, 2.0], 2, 1, ValueError, "replacement"),
    (["a", "b"], 2, True, TypeError, "weights must be a 1-d sequence of numbers"),
])
def test_bad_arguments_are_refused_with_the_rule(weights, num_samples, replacement, error, message):
    with pytest.raises(error, match=message):
        WeightedRandomSampler(weights, num_samples, replacement=replacement)


def test_the_draw_happens_at_the_first_index_read_as_torchs():
    """PyTorch's test_sampler_reproducibility: two iterators made first, each seeded before its first index, give
    the same indices (the draw was made at iter(), before the seeds)."""
    sampler = WeightedRandomSampler([0.1, 0.9, 0.4, 0.7, 3.0, 0.6], num_samples=5, replacement=False)
    first, second = iter(sampler), iter(sampler)
    ag.manual_seed(0)
    a = [next(first)]
    ag.manual_seed(0)
    b = [next(second)]
    a += list(first)
    b += list(second)
    assert a == b and sorted(set(a)) == sorted(a)
    ag.manual_seed(0)
    expected = np.random.default_rng(0).choice(6, size=5, replace=False, p=np.array(sampler.weights) /
                                               sum(sampler.weights)).tolist()
    assert list(sampler) == expected
