"""nn.data, continued: PyTorch's WeightedRandomSampler, the sampler of imbalanced datasets (each item drawn with
probability proportional to its weight, often 1 / its class's count, so every class comes about equally often)."""
import numpy as np

from autograd_core import Tensor

from ._arguments import as_flag, checked_number, generator_of


class WeightedRandomSampler:
    """PyTorch's WeightedRandomSampler(weights, num_samples, replacement=True, generator=None): num_samples indices
    in range(len(weights)), each drawn with probability weights[i] / sum(weights) (the weights need not sum to 1),
    for DataLoader(sampler=...). With replacement=False an index is drawn at most once, so num_samples may not exceed
    the count of nonzero weights. The draws come from generator= (rng=, a NumPy Generator or a seed; None: the
    default one, which ag.manual_seed seeds) through Generator.choice, so they are not PyTorch's for the same seed.

    >>> from nn.data import WeightedRandomSampler
    >>> sampler = WeightedRandomSampler([0.0, 1.0, 0.0, 3.0], num_samples=6, generator=0)
    >>> len(sampler), sorted(set(sampler))
    (6, [1, 3])
    >>> sorted(WeightedRandomSampler([1, 1, 0, 2], 3, replacement=False, generator=0))
    [0, 1, 3]
    """

    def __init__(self, weights, num_samples, replacement=True, generator=None, *, rng=None):
        self.num_samples = checked_number(num_samples, "WeightedRandomSampler", "num_samples", low=1, integer=True,
                                          plain=True, what="a positive int")
        self.replacement = as_flag(replacement, "WeightedRandomSampler", "replacement", ValueError)  # as PyTorch's
        self.weights = _checked_weights(weights)
        if not self.replacement and self.num_samples > np.count_nonzero(self.weights):
            raise ValueError(f"WeightedRandomSampler: with replacement=False, num_samples ({self.num_samples}) may "
                             f"not exceed the count of nonzero weights ({np.count_nonzero(self.weights)}): an index "
                             f"is drawn at most once")
        self.generator = generator_of(rng, generator, "WeightedRandomSampler")

    def __len__(self):
        return self.num_samples

    def __iter__(self):
        probabilities = self.weights / self.weights.sum()
        drawn = self.generator.choice(len(probabilities), size=self.num_samples, replace=self.replacement,
                                      p=probabilities)
        return iter(drawn.tolist())


def _checked_weights(weights):
    """weights as a 1-d float64 array of finite, non-negative numbers with a positive sum (a Tensor's values, a
    list, an array), else an error saying which rule it breaks."""
    values = weights.data if isinstance(weights, Tensor) else weights
    try:
        values = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"WeightedRandomSampler: weights must be a 1-d sequence of numbers, got "
                        f"{type(weights).__name__}") from None
    if values.ndim != 1:
        raise ValueError(f"WeightedRandomSampler: weights should be a 1d sequence but given weights have shape "
                         f"{values.shape}")
    if not np.all(np.isfinite(values)) or np.any(values < 0) or not values.sum() > 0:
        raise ValueError(f"WeightedRandomSampler: weights must be finite and non-negative with a positive sum, got "
                         f"{np.array2string(values, threshold=8)}")
    return values
