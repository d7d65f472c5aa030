"""nn.init's structured initialisers (nn/init.py): orthogonal_ (orthonormal rows or columns, the gain, Haar signs),
trunc_normal_ (bounds, infinite ones too, and the moments of the truncated normal), eye_ and dirac_ (exact, against
torch's), sparse_ (zeros per column, the std), the rng argument, and torch's errors."""
import math

import numpy as np
import pytest

import nn


def _empty(*shape, dtype=np.float64):
    return nn.Parameter(np.empty(shape, dtype=dtype))


@pytest.mark.parametrize("shape", [(3, 5), (5, 3), (4, 4), (6, 2, 3), (2, 3, 2, 2), (1, 7), (7, 1)])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_orthogonal_rows_or_columns_are_orthonormal_times_gain(shape, dtype):
    w = nn.init.orthogonal_(_empty(*shape, dtype=dtype), gain=2.5, rng=0)
    assert w.dtype == dtype and w.shape == shape
    flat = w.data.reshape(shape[0], -1).astype(np.float64) / 2.5
    rows, cols = flat.shape
    gram = flat @ flat.T if rows <= cols else flat.T @ flat
    np.testing.assert_allclose(gram, np.eye(min(rows, cols)), atol=1e-5 if dtype == np.float32 else 1e-12)


def test_orthogonal_is_seeded_and_haar_distributed():
    first, again = (nn.init.orthogonal_(_empty(4, 4), rng=3).data for _ in range(2))
    np.testing.assert_array_equal(first, again)
    # Haar: each entry of a random orthogonal n x n matrix has mean 0 and variance 1/n (R's sign fix matters: without
    # it the diagonal would lean one way)
    draws = np.array([nn.init.orthogonal_(_empty(3, 3), rng=seed).data for seed in range(2000)])
    assert np.abs(draws.mean(axis=0)).max() < 0.05
    np.testing.assert_allclose(draws.var(axis=0), 1 / 3, atol=0.04)


def _truncated_moments(mean, std, a, b):
    alpha, beta = (a - mean) / std, (b - mean) / std
    pdf = lambda x: math.exp(-x * x / 2) / math.sqrt(2 * math.pi)  # noqa: E731
    cdf = lambda x: 0.5 * math.erfc(-x / math.sqrt(2))  # noqa: E731
    z = cdf(beta) - cdf(alpha)
    m = mean + std * (pdf(alpha) - pdf(beta)) / z
    var = std ** 2 * (1 + (alpha * pdf(alpha) - beta * pdf(beta)) / z - ((pdf(alpha) - pdf(beta)) / z) ** 2)
    return m, math.sqrt(var)


@pytest.mark.parametrize("mean, std, a, b", [(0.0, 1.0, -2.0, 2.0), (0.0, 0.02, -0.04, 0.04), (1.0, 2.0, 0.0, 5.0),
                                             (0.0, 1.0, 3.0, 4.0), (0.0, 1.0, 5.0, 6.0)])  # the last: a far tail
def test_trunc_normal_bounds_and_moments(mean, std, a, b):
    w = nn.init.trunc_normal_(_empty(40000), mean, std, a, b, rng=0)
    assert w.data.min() >= a and w.data.max() <= b
    expected_mean, expected_std = _truncated_moments(mean, std, a, b)
    assert abs(w.data.mean() - expected_mean) < 4 * expected_std / math.sqrt(40000)
    assert abs(w.data.std() / expected_std - 1) < 0.02


def test_trunc_normal_against_torch_statistics_and_float32():
    torch = pytest.importorskip("torch")
    theirs = torch.nn.init.trunc_normal_(torch.empty(40000, dtype=torch.float64), 0.5, 1.5, -1.0, 2.5,
                                         generator=torch.Generator().manual_seed(0)).numpy()
    ours = nn.init.trunc_normal_(_empty(40000, dtype=np.float32), 0.5, 1.5, -1.0, 2.5, rng=0).data
    assert ours.dtype == np.float32
    assert abs(ours.mean() - theirs.mean()) < 0.03 and abs(ours.std() - theirs.std()) < 0.03
    assert np.quantile(ours, 0.9) == pytest.approx(np.quantile(theirs, 0.9), abs=0.05)


# trunc_normal_ takes an infinite bound (a = -inf or b = inf: that side unbounded, so a=-inf, b=0 gives a
# half-normal), as PyTorch's; the moments are the truncated normal's, also for a far one-sided tail; a = inf,
# b = -inf, NaN bounds and a > b raise.
def _draw(*args, n=40000, dtype=np.float64):
    return nn.init.trunc_normal_(_empty(n, dtype=dtype), *args, rng=0).numpy()


def test_unbounded_is_the_normal():
    t = _draw(1.0, 2.0, -math.inf, math.inf)
    assert np.isfinite(t).all() and abs(t.mean() - 1.0) < 0.05 and abs(t.std() - 2.0) < 0.05


def test_one_sided_bounds_give_the_half_normal_and_tails():
    low = _draw(0.0, 1.0, -math.inf, 0.0)
    assert low.max() <= 0 and abs(low.mean() + math.sqrt(2 / math.pi)) < 0.02
    assert abs(low.std() - math.sqrt(1 - 2 / math.pi)) < 0.02
    tail = _draw(0.0, 1.0, 6.0, math.inf)  # (the far-tail path: under 1% of the normal is inside)
    assert np.isfinite(tail).all() and tail.min() >= 6.0 and abs(tail.mean() - 6.1579) < 0.01
    left = _draw(0.0, 1.0, -math.inf, -7.0)
    assert np.isfinite(left).all() and left.max() <= -7.0 and abs(left.mean() + 7.1397) < 0.01


def test_float32_and_zero_std_with_infinite_bounds():
    t = _draw(0.5, 0.1, -np.inf, np.float32(np.inf), dtype=np.float32)
    assert t.dtype == np.float32 and np.isfinite(t).all()
    assert (_draw(0.25, 0.0, -math.inf, math.inf, n=3) == 0.25).all()


@pytest.mark.parametrize("a,b", [(math.inf, math.inf), (-math.inf, -math.inf), (math.nan, 1.0), (0.0, math.nan),
                                 (1.0, -1.0), (math.inf, -math.inf)])
def test_invalid_bounds_still_raise(a, b):
    with pytest.raises(ValueError, match="trunc_normal_"):
        nn.init.trunc_normal_(_empty(3), 0.0, 1.0, a, b)


@pytest.mark.parametrize("shape", [(3, 3), (2, 5), (5, 2), (1, 1)])
def test_eye_is_torchs(shape):
    np.testing.assert_array_equal(nn.init.eye_(_empty(*shape)).data, np.eye(*shape))
    torch = pytest.importorskip("torch")
    np.testing.assert_array_equal(nn.init.eye_(_empty(*shape)).data, torch.nn.init.eye_(torch.empty(shape)).numpy())


@pytest.mark.parametrize("shape, groups", [((4, 4, 3), 1), ((6, 3, 3, 3), 1), ((4, 2, 3, 3), 2), ((6, 2, 2, 3, 1), 3),
                                           ((2, 5, 4), 1), ((6, 3, 1, 2), 3)])
def test_dirac_is_torchs(shape, groups):
    w = nn.init.dirac_(_empty(*shape), groups=groups).data
    assert w.sum() == groups * min(shape[0] // groups, shape[1])
    torch = pytest.importorskip("torch")
    np.testing.assert_array_equal(w, torch.nn.init.dirac_(torch.empty(shape), groups=groups).numpy())


def test_dirac_convolution_passes_its_input_through():
    conv = nn.Conv1d(3, 3, 3, padding=1, bias=False, rng=0)
    nn.init.dirac_(conv.weight)
    x = np.random.default_rng(0).normal(size=(2, 3, 5)).astype(np.float32)
    np.testing.assert_allclose(conv(x).data, x)


def test_sparse_zeros_each_column_and_std():
    w = nn.init.sparse_(_empty(200, 300), sparsity=0.1, std=0.5, rng=0).data
    assert ((w == 0).sum(axis=0) == 20).all()  # ceil(0.1 * 200) per column, as torch's
    assert abs(w[w != 0].std() - 0.5) < 0.01
    assert ((nn.init.sparse_(_empty(7, 3), 0.3, rng=1).data == 0).sum(axis=0) == 3).all()  # ceil(2.1)
    np.testing.assert_array_equal(nn.init.sparse_(_empty(5, 4), 0.5, rng=2).data,
                                  nn.init.sparse_(_empty(5, 4), 0.5, rng=2).data)
    torch = pytest.importorskip("torch")
    theirs = torch.nn.init.sparse_(torch.empty(7, 3), 0.3).numpy()
    assert ((theirs == 0).sum(axis=0) == 3).all()


def test_empty_and_integer_tensors():
    assert nn.init.orthogonal_(_empty(0, 3)).shape == (0, 3)
    assert nn.init.eye_(nn.Parameter(np.zeros((2, 2), dtype=np.int64), requires_grad=False)).data.tolist() == \
        [[1, 0], [0, 1]]


@pytest.mark.parametrize("call, error, match", [
    (lambda: nn.init.eye_(_empty(3)), ValueError, r"nn.init.eye_: only Tensors with 2 dimensions .* shape \(3,\)"),
    (lambda: nn.init.eye_(_empty(2, 2, 2)), ValueError, "eye_: only Tensors with 2 dimensions"),
    (lambda: nn.init.dirac_(_empty(2, 2)), ValueError, "dirac_: only Tensors with 3, 4 or 5 dimensions"),
    (lambda: nn.init.dirac_(_empty(3, 2, 3), groups=2), ValueError, r"dim 0 of shape \(3, 2, 3\) .* groups=2"),
    (lambda: nn.init.dirac_(_empty(4, 2, 3), groups=0), ValueError, "groups must be a positive int"),
    (lambda: nn.init.sparse_(_empty(2, 2, 2), 0.1), ValueError, "sparse_: only Tensors with 2 dimensions"),
    (lambda: nn.init.sparse_(_empty(2, 2), 1.5), ValueError, r"sparse_: sparsity must be a number in \[0, 1\]"),
    (lambda: nn.init.orthogonal_(_empty(3)), ValueError, "orthogonal_: only Tensors with 2 or more dimensions"),
    (lambda: nn.init.orthogonal_(np.empty((2, 2))), TypeError, "orthogonal_: expected a Tensor"),
    (lambda: nn.init.orthogonal_(nn.Parameter(np.zeros((2, 2), dtype=np.int64), requires_grad=False)), TypeError,
     "random values need a float Tensor"),
    (lambda: nn.init.trunc_normal_(_empty(3), a=2.0, b=-2.0), ValueError, "a <= b, got .* a=2.0, b=-2.0"),
    (lambda: nn.init.trunc_normal_(_empty(3), std=-1.0), ValueError, "std >= 0"),
    (lambda: nn.init.trunc_normal_(_empty(3), mean="0"), TypeError, "mean, std, a and b must be finite numbers"),
    (lambda: nn.init.orthogonal_(_empty(2, 2), rng="x"), TypeError, "orthogonal_: rng must be None"),
])
def test_errors_are_torchs_and_clear(call, error, match):
    with pytest.raises(error, match=match):
        call()


@pytest.mark.parametrize("shape, fans", [((8, 3), (3, 8)), ((8, 3, 5, 5), (75, 200)), ((4, 6, 2, 3, 1), (36, 24))])
def test_private_fan_helpers_are_torchs(shape, fans):
    weight = nn.Parameter(np.zeros(shape))
    assert nn.init._calculate_fan_in_and_fan_out(weight) == fans  # hand: in * kernel, out * kernel
    assert nn.init._calculate_correct_fan(weight, "fan_in") == fans[0]
    assert nn.init._calculate_correct_fan(weight, "FAN_OUT") == fans[1]
    torch = pytest.importorskip("torch")
    assert torch.nn.init._calculate_fan_in_and_fan_out(torch.zeros(shape)) == fans
    assert torch.nn.init._calculate_correct_fan(torch.zeros(shape), "fan_out") == fans[1]


def test_private_fan_helpers_refuse_as_torchs():
    with pytest.raises(ValueError, match=r"^nn.init._calculate_fan_in_and_fan_out: fan in and fan out need a "
                                         r"Tensor with at least 2 dimensions .* got shape \(5,\)"):
        nn.init._calculate_fan_in_and_fan_out(nn.Parameter(np.zeros(5)))
    with pytest.raises(ValueError, match=r"^nn.init._calculate_correct_fan: mode must be 'fan_in' or 'fan_out' "
                                         r"\(in any case\), got 'fan_avg'"):
        nn.init._calculate_correct_fan(nn.Parameter(np.zeros(5)), "fan_avg")  # the mode first, as PyTorch
