"""Fuzzer F3 (session 26): the gradient of a quantile of a slice holding a NaN goes to a NaN, as median's does here and
as torch.quantile's does (to the last NaN, NaNs sorting last); a nan variant's of a slice of NaNs alone to its first
entry, as torch.nanquantile's. It was zero everywhere."""
import warnings

import numpy as np
import pytest
try:
    import torch
except ImportError:  # (CI has no torch: the written-out cases still run)
    torch = None

import autograd_core as ag


@pytest.mark.parametrize("method", ["linear", "lower", "higher", "midpoint", "nearest"])
@pytest.mark.parametrize("nan_variant", [False, True])
def test_gradients_of_nan_slices_match_torchs(method, nan_variant):
    if torch is None:
        pytest.skip("compares with torch")
    rng = np.random.default_rng(11)
    ours, theirs = (ag.nanquantile, torch.nanquantile) if nan_variant else (ag.quantile, torch.quantile)
    for _ in range(30):
        x = rng.normal(size=(3, 5))
        for row in range(3):
            x[row, rng.permutation(5)[:int(rng.integers(0, 6))]] = np.nan
        q = rng.random(size=2) if rng.random() < 0.5 else float(rng.random())
        axis = int(rng.choice([0, 1]))
        t = ag.tensor(x, requires_grad=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            out = ours(t, q, axis=axis, method=method)
        g = rng.normal(size=out.shape)
        out.backward(ag.tensor(g))
        tx = torch.tensor(x, requires_grad=True)
        expected = theirs(tx, torch.tensor(q) if isinstance(q, np.ndarray) else q, dim=axis, interpolation=method)
        expected.backward(torch.tensor(g))
        np.testing.assert_allclose(out.data, expected.detach().numpy(), rtol=1e-12)
        np.testing.assert_allclose(t.grad.data, tx.grad.numpy(), rtol=1e-12, atol=1e-15)


def test_the_simple_cases():
    x = ag.tensor([1.0, np.nan, 3.0, np.nan, 2.0], requires_grad=True)
    ag.quantile(x, 0.4).backward()
    np.testing.assert_array_equal(x.grad.data, [0, 0, 0, 1, 0])
    y = ag.tensor(np.full(3, np.nan, np.float32), requires_grad=True)
    with pytest.warns(RuntimeWarning, match="All-NaN slice"):
        out = ag.nanpercentile(y, np.array([10.0, 70.0]))
    with pytest.warns(RuntimeWarning, match="All-NaN slice"):
        expected = np.nanpercentile(y.data, np.array([10.0, 70.0]))
    assert out.dtype == expected.dtype == np.float32  # (NumPy: x's dtype)
    assert np.isnan(out.data).all()
    out.sum().backward()
    assert y.grad.dtype == np.float32
    np.testing.assert_array_equal(y.grad.data, [2, 0, 0])
