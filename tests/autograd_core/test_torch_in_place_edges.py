"""PyTorch's in-place methods (autograd_core/torch_in_place.py), continued: bernoulli_ with a number p, the random
fill torchvision's stochastic_depth draws its noise with; transpose_ and t_, the axes swapped in place (K-FAC's patch
extraction)."""
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


def test_transpose_in_place_swaps_the_axes_of_the_same_memory_and_returns_self():
    # K-FAC's _extract_patches: x.unfold(2, k, s).unfold(3, k, s), then x.transpose_(1, 2).transpose_(2, 3)
    values = np.arange(24.0).reshape(2, 3, 4)
    t = ag.tensor(values)
    memory = t.data
    assert t.transpose_(0, 2) is t and t.shape == (4, 3, 2)
    np.testing.assert_array_equal(t.data, values.transpose(2, 1, 0))  # NumPy reference
    assert np.shares_memory(t.data, memory)
    assert t.transpose_(-1, 1).transpose_(1, 1).shape == (4, 2, 3)
    m = ag.tensor([[1.0, 2.0, 3.0]])
    assert m.t_() is m and m.tolist() == [[1.0], [2.0], [3.0]] and ag.zeros(3).t_().shape == (3,)


def test_transpose_in_place_matches_torch():
    torch = pytest.importorskip("torch")
    values = np.random.default_rng(0).standard_normal((2, 3, 4, 5))
    ours, theirs = ag.tensor(values), torch.tensor(values)
    for dims in ((1, 2), (2, 3), (0, -1)):
        ours.transpose_(*dims)
        theirs.transpose_(*dims)
        np.testing.assert_array_equal(ours.data, theirs.numpy())
    np.testing.assert_array_equal(ag.tensor(values[0, 0]).t_().data, torch.tensor(values[0, 0]).t_().numpy())


def test_transpose_in_place_counts_a_change_and_is_refused_where_unsqueeze_is():
    base = ag.zeros((2, 3))
    version = base._version
    base.transpose_(0, 1)
    assert base._version > version  # as PyTorch's: a graph that saved base refuses to backpropagate
    leaf = ag.zeros((2, 3), requires_grad=True)
    with pytest.raises(RuntimeError, match=r"transpose_: .*leaf that requires grad.*x = x.transpose\(dim0, dim1\)"):
        leaf.transpose_(0, 1)
    with pytest.raises(RuntimeError, match=r"t_: .*computed by 'multiply'"):
        (leaf * 2).t_()
    with pytest.raises(np.exceptions.AxisError, match="transpose_: axis 2 is out of bounds"):
        base.transpose_(0, 2)
    with pytest.raises(TypeError, match="transpose_: dim0 and dim1 must be ints"):
        base.transpose_(0, 1.0)
    with pytest.raises(ValueError, match=r"t_: expects a Tensor of at most 2 axes, got shape \(1, 2, 3\)"):
        ag.zeros((1, 2, 3)).t_()
