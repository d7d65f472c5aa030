"""PyTorch's in-place methods (autograd_core/torch_in_place.py), continued: bernoulli_ with a number p, the random
fill torchvision's stochastic_depth draws its noise with."""
import numpy as np
import pytest

import autograd_core as ag


def test_bernoulli_fills_in_place_with_ones_at_probability_p_from_the_generator():
    t = ag.empty((3, 4), dtype=np.float32)
    assert t.bernoulli_(0.3, rng=0) is t and t.dtype == np.float32
    expected = (np.random.default_rng(0).random((3, 4)) < 0.3).astype(np.float32)  # NumPy reference, same stream
    np.testing.assert_array_equal(t.data, expected)
    big = ag.zeros(50000).bernoulli_(0.8, generator=np.random.default_rng(1))
    assert set(np.unique(big.data)) == {0.0, 1.0} and abs(big.data.mean() - 0.8) < 0.01
    assert ag.zeros(1000).bernoulli_(rng=2).data.mean() == pytest.approx(0.5, abs=0.05)  # the default p


def test_bernoulli_at_the_ends_matches_torch():
    np.testing.assert_array_equal(ag.zeros(5).bernoulli_(1.0).data, np.ones(5))
    np.testing.assert_array_equal(ag.ones(5).bernoulli_(0.0).data, np.zeros(5))
    torch = pytest.importorskip("torch")
    np.testing.assert_array_equal(ag.zeros(5).bernoulli_(1.0).data, torch.zeros(5).bernoulli_(1.0).numpy())
    np.testing.assert_array_equal(ag.ones(5).bernoulli_(0.0).data, torch.ones(5).bernoulli_(0.0).numpy())


def test_bernoulli_counts_as_a_change_for_saved_graphs():
    a = ag.ones(3, requires_grad=True)
    noise = ag.ones(3)
    y = (a * noise).sum()
    noise.bernoulli_(0.5, rng=0)
    with pytest.raises(RuntimeError):
        y.backward()


@pytest.mark.parametrize("p, error, match", [
    (1.5, ValueError, r"bernoulli_: p must be a probability in \[0, 1\], got 1.5"),
    (-0.1, ValueError, r"bernoulli_: p must be >= 0.0"),
    ("half", TypeError, r"bernoulli_: p must be a finite real number"),
])
def test_bernoulli_refuses_a_p_that_is_no_probability(p, error, match):
    with pytest.raises(error, match=match):
        ag.zeros(2).bernoulli_(p)


def test_bernoulli_is_refused_on_a_leaf_that_requires_grad_and_on_integers_as_normal_is():
    with pytest.raises(RuntimeError, match="bernoulli_"):
        ag.zeros(2, requires_grad=True).bernoulli_(0.5)
    with pytest.raises(TypeError, match="bernoulli_: fills with random floats"):
        ag.zeros(2, dtype=np.int64).bernoulli_(0.5)
