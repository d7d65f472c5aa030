"""PyTorch's random draws randint, multinomial and normal (autograd_core/torch_random.py), as ported code calls
them: their forms, rng= and generator=, device=, dtypes, the errors naming the valid forms, and their shapes against
PyTorch's (bernoulli and the others: test_torch_random.py)."""
import numpy as np
import pytest

import autograd_core as ag


def test_randint_forms_and_rng():
    a = ag.randint(10, (3, 4), rng=0)
    assert a.shape == (3, 4) and a.dtype == np.int64 and (a.data >= 0).all() and (a.data < 10).all()
    np.testing.assert_array_equal(a.data, np.random.default_rng(0).integers(0, 10, size=(3, 4)))
    b = ag.randint(-2, 2, size=(1000,), rng=np.random.default_rng(1))
    assert set(np.unique(b.data)) == {-2, -1, 0, 1}
    assert ag.randint(low=1, high=3, size=(2,), rng=0, dtype=np.int8).dtype == np.int8
    np.testing.assert_array_equal(ag.randint(5, (4,), rng=3).data, ag.randint(0, 5, size=[4], rng=3).data)


def test_randint_takes_the_cpu_device():
    """The Annotated Diffusion Model's t = torch.randint(0, timesteps, (batch_size,), device=device).long(): device
    is None or the CPU, as on the other creation helpers; another device is refused naming randint."""
    t = ag.randint(0, 200, (8,), device="cpu", rng=0).long()
    np.testing.assert_array_equal(t.data, np.random.default_rng(0).integers(0, 200, size=8))
    assert t.dtype == np.int64 and ag.randint(3, (2,), device=None, rng=0).shape == (2,)
    with pytest.raises(ValueError, match="randint: device 'cuda' is not available"):
        ag.randint(0, 200, (8,), device="cuda")
    torch = pytest.importorskip("torch")
    assert torch.randint(0, 200, (8,), device="cpu").long().dtype == torch.int64


def test_randint_of_bools():
    torch = pytest.importorskip("torch")
    t = ag.randint(2, (50,), dtype=np.bool_, rng=0)
    assert t.dtype == np.bool_ and t.shape == (50,) and 0 < int(t.data.sum()) < 50
    assert ag.randint(0, 1, (3,), dtype=bool).tolist() == [False] * 3
    assert torch.randint(2, (3,), dtype=torch.bool).dtype == torch.bool
    for args in ((3, (2,)), (-1, 1, (2,))):  # (torch refuses these too)
        with pytest.raises(ValueError, match=r"randint: \[.*\) does not fit dtype bool"):
            ag.randint(*args, dtype=np.bool_)


@pytest.mark.parametrize("args", [(3, 10), (0, 3, 10), (5, np.int64(2))])
def test_randint_refuses_a_size_that_is_no_tuple(args):
    torch = pytest.importorskip("torch")
    with pytest.raises(TypeError, match="size"):
        torch.randint(*args)
    with pytest.raises(TypeError, match=r"randint: size must be a tuple of ints"):  # (randint(3, 10) drew 10 below 3)
        ag.randint(*args)
    assert ag.randint(3, 10, (2,), rng=0).shape == (2,) and ag.randint(3, size=[4], rng=0).shape == (4,)
    assert ag.randint(3, torch.Size([2, 2]), rng=0).shape == (2, 2)


def test_randint_bounds_may_be_zero_d_integer_tensors():
    t = ag.randint(ag.tensor(1), ag.tensor(5), (50,), rng=0)
    assert t.shape == (50,) and 1 <= int(t.data.min()) and int(t.data.max()) < 5
    assert ag.randint(ag.tensor(3), (4,), rng=0).shape == (4,)
    with pytest.raises(TypeError, match="randint: low and high must be ints"):
        ag.randint(ag.tensor(5.0), (2,))


def test_multinomial_draws_makemore_samples():
    """torch.multinomial(p, num_samples=1, replacement=True, generator=g), makemore's sampling step: here rng=.
    Weights need not sum to 1 (float32 counts, which NumPy's Generator.choice refuses given as a Tensor)."""
    counts = ag.tensor([[0.0, 3.0, 1.0], [5.0, 0.0, 0.0]], dtype=np.float32)
    one = ag.multinomial(counts[0], num_samples=1, replacement=True, rng=np.random.default_rng(0))
    assert one.shape == (1,) and one.dtype == np.int64 and one.item() in (1, 2)
    many = ag.multinomial(counts, 4000, replacement=True, rng=0)
    assert many.shape == (2, 4000) and (many.data[1] == 0).all()
    assert set(np.unique(many.data[0])) == {1, 2} and abs((many.data[0] == 1).mean() - 0.75) < 0.03
    again = ag.multinomial(counts, 4000, replacement=True, rng=0)
    np.testing.assert_array_equal(many.data, again.data)  # a seed gives the same draws
    without = ag.multinomial(ag.tensor([1.0, 1.0, 0.0, 1.0]), 3, rng=1)
    assert sorted(without.tolist()) == [0, 1, 3]  # without replacement (PyTorch's default): each category once


@pytest.mark.parametrize("call, kind, message", [
    (lambda: ag.multinomial(ag.tensor([1, 2]), 1), TypeError, r"float weights, got dtype int64; write t.float\(\)"),
    (lambda: ag.multinomial(ag.ones((2, 2, 2)), 1), ValueError, r"1-D or 2-D\), got shape \(2, 2, 2\)"),
    (lambda: ag.multinomial(ag.tensor([1.0, -1.0]), 1), ValueError, "finite and non-negative"),
    (lambda: ag.multinomial(ag.tensor([[1.0, 1.0], [0.0, 0.0]]), 1), ValueError, "row 1 of input sums to 0"),
    (lambda: ag.multinomial(ag.tensor([1.0, 0.0, 1.0]), 3), ValueError, "3 samples without replacement from 2"),
    (lambda: ag.multinomial(ag.tensor([1.0]), 0), ValueError, "num_samples must be a positive int, got 0"),
    (lambda: ag.multinomial(ag.tensor([1.0]), 1.0), TypeError, "num_samples must be a positive int, got 1.0"),
])
def test_multinomial_errors_name_what_is_valid(call, kind, message):
    with pytest.raises(kind, match=message):
        call()


@pytest.mark.parametrize("rows, columns, num_samples, replacement", [(0, 3, 2, False), (0, 3, 3, False),
                                                                     (0, 3, 5, True), (0, 0, 1, True)])
def test_multinomial_of_a_matrix_without_rows_gives_no_rows_of_samples_as_torch(rows, columns, num_samples,
                                                                                replacement):
    """torch.multinomial of a (0, k) matrix is an empty (0, num_samples) int64 Tensor; here np.min of the empty
    row counts raised NumPy's "zero-size array to reduction operation"."""
    samples = ag.multinomial(ag.zeros((rows, columns)), num_samples, replacement=replacement, rng=0)
    assert samples.shape == (0, num_samples) and samples.dtype == np.int64
    torch = pytest.importorskip("torch")
    expected = torch.multinomial(torch.zeros((rows, columns)), num_samples, replacement=replacement)
    assert samples.shape == tuple(expected.shape)


@pytest.mark.parametrize("columns, num_samples", [(3, 4), (0, 1)])
def test_multinomial_of_no_rows_still_refuses_more_samples_than_categories_as_torch(columns, num_samples):
    with pytest.raises(ValueError, match=rf"multinomial: cannot draw {num_samples} samples without replacement from "
                                         rf"{columns} categories; pass replacement=True"):
        ag.multinomial(ag.zeros((0, columns)), num_samples)
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError, match="cannot sample n_sample > prob_dist.size"):
        torch.multinomial(torch.zeros((0, columns)), num_samples)


# ---- normal (torch.normal), as d2l's linear regression writes it ----
def test_normal_size_form_draws_from_the_generator():
    w = ag.normal(0, 0.01, size=(2, 1), requires_grad=True, rng=0)
    assert w.shape == (2, 1) and w.dtype == np.float64 and w.is_leaf and w.requires_grad
    np.testing.assert_array_equal(w.data, np.random.default_rng(0).normal(0, 0.01, (2, 1)))
    x = ag.normal(mean=1.0, std=2.0, size=[20000], generator=np.random.default_rng(1), dtype=np.float32)
    assert x.dtype == np.float32 and abs(float(x.data.mean()) - 1.0) < 0.05 and abs(float(x.data.std()) - 2) < 0.05
    assert ag.normal(0, 1, (3, 4), rng=0).shape == (3, 4)  # size by position, as torch.normal(0, 1, (3, 4))


def test_normal_tensor_mean_and_std_broadcast_elementwise():
    mean, std = ag.tensor([0.0, 100.0], dtype=np.float32), ag.tensor([[1e-6], [1e-6], [1e-6]], dtype=np.float32)
    x = ag.normal(mean, std, rng=0)
    assert x.shape == (3, 2) and x.dtype == np.float32 and not x.requires_grad
    np.testing.assert_allclose(x.data, np.broadcast_to([0.0, 100.0], (3, 2)), atol=1e-4)
    assert ag.normal(ag.zeros(4), rng=0).shape == (4,)  # std defaults to 1


@pytest.mark.parametrize("call, error, match", [
    (lambda: ag.normal(0.0, 1.0), TypeError, r"normal: give size= when mean and std are numbers"),
    (lambda: ag.normal(ag.zeros(2), 1.0, size=(2,)), TypeError, r"with size=, mean and std must be numbers"),
    (lambda: ag.normal(ag.zeros(2), ag.ones(3)), ValueError, r"shape \(2,\) and std of shape \(3,\) do not broadcast"),
    (lambda: ag.normal(0.0, -1.0, size=(2,)), ValueError, r"std must be finite and >= 0"),
    (lambda: ag.normal(0.0, 1.0, size=(2,), dtype=np.int64), TypeError, r"dtype must be a float dtype"),
])
def test_normal_errors_name_the_valid_forms(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_normal_matches_torch_forms():
    torch = pytest.importorskip("torch")
    pairs = [(ag.normal(0, 1, (3, 2), rng=0), torch.normal(0, 1, (3, 2))),
             (ag.normal(ag.zeros(2), ag.ones((4, 1)), rng=0), torch.normal(torch.zeros(2), torch.ones(4, 1)))]
    for ours, theirs in pairs:
        assert ours.shape == tuple(theirs.shape)
