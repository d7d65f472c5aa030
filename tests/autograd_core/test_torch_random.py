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


# ---- random_: torch's, added on porting PyTorch's test_tensor_creation_ops (test_random, test_random_from_to ...) --
@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.float16, np.int8, np.int16, np.int32, np.int64,
                                   np.uint8])
def test_random_fills_with_integers_in_torchs_ranges(dtype):
    t = ag.empty(2000, dtype=dtype)
    for args, low, high in (((1, 4), 1, 3), ((4,), 0, 3), ((-3 if dtype != np.uint8 else 3, 10), None, 9)):
        t.fill_(-1 if dtype != np.uint8 else 0)
        values = t.random_(*args, rng=0).data.astype(np.float64)
        assert t.dtype == dtype and values.min() == (args[0] if low is None else low) and values.max() == high
        assert np.array_equal(values, np.round(values))
    top = 2 ** (np.finfo(dtype).nmant + 1) if np.dtype(dtype).kind == "f" else np.iinfo(dtype).max
    for args in ((), (0, None)):
        values = t.random_(*args, rng=1).data.astype(np.float64)
        assert 0 <= values.min() < 0.1 * top and 0.9 * top < values.max() <= top  # (as torch's test_random_default)


def test_random_of_bool_draws_both_values_as_torchs():
    t = ag.empty(2000, dtype=np.bool_).fill_(True)
    assert 0.4 < t.random_(rng=0).data.mean() < 0.6 and 0.4 < t.random_(0, 2, rng=1).data.mean() < 0.6


@pytest.mark.parametrize("dtype, args, words", [
    ("int8", (5, 2), "expects 'from' to be less than 'to'"), ("uint8", (-1, 3), "from is out of bounds"),
    ("bool", (0, 3), "to - 1 is out of bounds"), ("int16", (0, 2 ** 16), "to - 1 is out of bounds"),
    ("float32", (3, 3), "expects 'from' to be less than 'to'"),
])
def test_random_refuses_bounds_as_torchs(dtype, args, words):
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError, match=words.replace("(", r"\(")):
        torch.empty(3, dtype=getattr(torch, dtype)).random_(*args)
    with pytest.raises(ag.creation.CreationError, match=words.replace("(", r"\(")):
        ag.empty(3, dtype=np.dtype(dtype)).random_(*args)


def test_random_warns_past_a_float_dtypes_exact_integers_and_refuses_a_leaf_that_requires_grad():
    with pytest.warns(UserWarning, match=r"random_: from is out of bounds \[-16777216, 16777216\]"):
        ag.empty(3, dtype=np.float32).random_(-2 ** 30, 0, rng=0)
    with pytest.raises(RuntimeError, match="random_"):
        ag.zeros(3, requires_grad=True).random_()


# ---- poisson and binomial (missing, found by porting PyTorch's test_vmap.py, test_random_binary_out_of_place and
# test_random_unary_out_of_place) ----

def test_poisson_and_binomial_draw_numpys_samples_of_the_input_dtype():
    rates = np.array([[0.5, 2.0], [10.0, 0.0]], dtype=np.float32)
    sample = ag.poisson(ag.tensor(rates), np.random.default_rng(3))  # (generator, PyTorch's second argument)
    np.testing.assert_array_equal(sample.data, np.random.default_rng(3).poisson(rates))
    assert sample.dtype == np.float32 and not sample.requires_grad
    counts, probs = np.array([3.0, 10.0, 7.0]), np.array([[0.5], [0.2]])
    drawn = ag.binomial(ag.tensor(counts), ag.tensor(probs), rng=4)
    np.testing.assert_array_equal(drawn.data, np.random.default_rng(4).binomial(counts.astype(np.int64), probs))
    assert drawn.shape == (2, 3) and drawn.dtype == np.float64
    torch = pytest.importorskip("torch")
    many = torch.poisson(torch.full((100000,), 3.0, dtype=torch.float64))
    np.testing.assert_allclose(float(ag.poisson(ag.full((100000,), 3.0), rng=0).mean()), float(many.mean()), rtol=0.02)
    theirs = torch.binomial(torch.full((100000,), 10.0, dtype=torch.float64), torch.full((100000,), 0.3,
                                                                                        dtype=torch.float64))
    ours = ag.binomial(ag.full((100000,), 10.0), ag.full((100000,), 0.3), rng=0)
    np.testing.assert_allclose(float(ours.mean()), float(theirs.mean()), rtol=0.02)
    assert ag.vmap(lambda r: ag.poisson(r), randomness="different")(ag.full((4, 50), 5.0)).shape == (4, 50)


def test_poisson_and_binomial_refuse_what_has_no_distribution():
    with pytest.raises(ValueError, match="poisson: the rates must be >= 0"):
        ag.poisson(ag.tensor([-1.0]))
    with pytest.raises(TypeError, match="poisson: input must be a float Tensor, got dtype int64"):
        ag.poisson(ag.tensor([1]))
    with pytest.raises(ValueError, match=r"binomial: count must hold whole numbers of trials from 0 to 2\*\*63 - 1, "
                                         r"got 1.5 at index \(0,\) of count of shape \(1,\)"):
        ag.binomial(ag.tensor([1.5]), ag.tensor([0.5]))
    # (found in review: an infinite count gave NumPy's bare "n < 0"; a NaN rate was reported as "values from 2.0")
    with pytest.raises(ValueError, match=r"binomial: count must .* got inf at index \(1, 0\) of count of shape "
                                         r"\(2, 1\)"):
        ag.binomial(ag.tensor([[1.0], [np.inf]]), ag.tensor([0.5, 0.5]))
    with pytest.raises(ValueError, match=r"poisson: the rates must be >= 0 \(invalid Poisson rate\), got nan at "
                                         r"index \(0,\) of input of shape \(2,\)"):
        ag.poisson(ag.tensor([np.nan, 2.0]))
    with pytest.raises(ValueError, match=r"binomial: p must be probabilities in \[0, 1\]"):
        ag.binomial(ag.tensor([2.0]), ag.tensor([1.5]))
    with pytest.raises(RuntimeError, match="vmap: func called a random operation \\(poisson\\)"):
        ag.vmap(ag.poisson)(ag.ones((2, 3)))
