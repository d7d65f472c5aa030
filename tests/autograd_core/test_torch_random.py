"""PyTorch's random functions (autograd_core/torch_random.py): bernoulli's samples, dtype, seeding and checks."""
import numpy as np
import pytest

import autograd_core as ag


def test_bernoulli_draws_one_below_each_probability_from_the_generator():
    p = np.array([[0.1, 0.5], [0.9, 0.3]], dtype=np.float32)
    sample = ag.bernoulli(ag.tensor(p), rng=0)
    expected = (np.random.default_rng(0).random(p.shape) < p).astype(np.float32)  # NumPy reference, same stream
    np.testing.assert_array_equal(sample.data, expected)
    assert sample.dtype == np.float32 and not sample.requires_grad
    many = ag.bernoulli(ag.tensor(np.full((200, 100), 0.3)), generator=np.random.default_rng(1))
    assert set(np.unique(many.data)) == {0.0, 1.0} and abs(many.data.mean() - 0.3) < 0.01
    np.testing.assert_array_equal(ag.bernoulli(ag.ones((2, 3)), 0.0).data, np.zeros((2, 3)))  # the one p given
    np.testing.assert_array_equal(ag.bernoulli(ag.tensor([0.0, 1.0, 1.0])).data, [0.0, 1.0, 1.0])


def test_bernoulli_at_zero_and_one_is_torchs():
    torch = pytest.importorskip("torch")
    p = np.array([0.0, 1.0, 1.0, 0.0])
    np.testing.assert_array_equal(ag.bernoulli(ag.tensor(p)).data, torch.bernoulli(torch.tensor(p)).numpy())
    assert str(torch.bernoulli(torch.tensor(p, dtype=torch.float32)).dtype) == "torch.float32"
    assert ag.bernoulli(ag.tensor(p.astype(np.float32))).dtype == np.float32


@pytest.mark.parametrize("call, error, match", [
    (lambda: ag.bernoulli(ag.tensor([1, 0])), TypeError, r"^bernoulli: input must be a float Tensor .* int64"),
    (lambda: ag.bernoulli(ag.tensor([0.2, 1.5])), ValueError, r"^bernoulli: p must be probabilities in \[0, 1\], "
                                                              r"got values from 0.2 to 1.5"),
    (lambda: ag.bernoulli(ag.tensor([0.2, np.nan])), ValueError, r"got values from 0.2 to 0.2 and NaN"),
    (lambda: ag.bernoulli(ag.ones(3), ag.tensor([0.5, 0.5])), ValueError,
     r"^bernoulli: p of shape \(2,\) does not broadcast to the shape \(3,\)"),
])
def test_bernoulli_refuses_what_torch_refuses(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_the_bernoulli_method_draws_with_the_tensor_as_probabilities():
    p = np.array([0.2, 0.7, 0.0, 1.0])
    sample = ag.tensor(p).bernoulli(generator=ag.Generator().manual_seed(3))
    assert sample.dtype == np.float64 and set(sample.tolist()) <= {0.0, 1.0}
    assert sample.tolist()[2:] == [0.0, 1.0]  # (the certain ones)
    np.testing.assert_array_equal(ag.tensor(p).bernoulli(rng=0).data, ag.bernoulli(ag.tensor(p), rng=0).data)
    np.testing.assert_array_equal(ag.tensor(p).bernoulli(0.0).data, np.zeros(4))  # (p given: one probability)
    with pytest.raises(ValueError, match=r"bernoulli: p must be probabilities in \[0, 1\]"):
        ag.tensor([0.5, 1.5]).bernoulli()


@pytest.mark.parametrize("draw", [
    lambda m: m.normal(0.0, -1.0, (3,)), lambda m: m.normal(m.zeros(2), -m.ones(2)), lambda m: m.randint(5, 2, (3,)),
    lambda m: m.multinomial(m.tensor([-1.0, 2.0]), 1), lambda m: m.bernoulli(m.tensor([2.0])),
    lambda m: m.empty(3).uniform_(1.0, 0.0), lambda m: m.empty(3).bernoulli_(1.5),
    lambda m: m.empty(3, dtype=m.float32).uniform_(-3e38, 3e38), lambda m: m.empty(3, dtype=m.float64).uniform_(-1e308,
                                                                                                              1e308),
])
def test_bad_sampling_parameters_are_runtime_errors_as_torchs(draw):
    # found by porting PyTorch's test_tensor_creation_ops (test_normal_std_error, test_uniform_from_to): NumPy's
    # ValueError alone escaped PyTorch's `except RuntimeError`
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        draw(torch)
    with pytest.raises(ag.creation.CreationError) as caught:
        draw(ag)
    assert isinstance(caught.value, ValueError) and isinstance(caught.value, RuntimeError)
