"""F1's fuzzing of float16 scatter-adds against PyTorch: repeated indices are summed in float32 and rounded once, as
torch.scatter_add sums them (and gather's gradient): in float16 the sum of 10,000 ones stalled at 2048. index_add,
indexing's and index_select's gradients use the same sum (PyTorch's float16 index_add still stalls there)."""
import numpy as np
import pytest

import autograd_core as ag

torch = pytest.importorskip("torch")


def test_scatter_add_of_many_float16_ones_matches_torch():
    index, src = np.zeros(10_000, np.int64), np.ones(10_000, np.float16)
    expected = torch.scatter_add(torch.zeros(2, dtype=torch.float16), 0, torch.tensor(index), torch.tensor(src))
    got = ag.scatter_add(ag.zeros(2, dtype=np.float16), 0, index, ag.tensor(src))
    assert got.dtype == np.float16
    np.testing.assert_array_equal(got.data, expected.numpy())
    assert got.tolist() == [10_000.0, 0.0]


def test_random_float16_scatter_add_matches_torch():
    rng = np.random.default_rng(0)
    src = rng.standard_normal((3, 2000)).astype(np.float16)
    index = rng.integers(0, 4, (3, 2000))
    x = rng.standard_normal((3, 4)).astype(np.float16)
    expected = torch.scatter_add(torch.tensor(x), 1, torch.tensor(index), torch.tensor(src)).numpy()
    got = ag.scatter_add(ag.tensor(x), 1, index, ag.tensor(src)).data
    np.testing.assert_allclose(got.astype(np.float64), expected.astype(np.float64), rtol=2e-3, atol=0.02)


def test_gather_gradient_in_float16_matches_torch():
    index = np.zeros(10_000, np.int64)
    x = ag.tensor(np.ones(3, np.float16), requires_grad=True)
    t = torch.ones(3, dtype=torch.float16, requires_grad=True)
    ag.gather(x, 0, index).sum().backward()
    torch.gather(t, 0, torch.tensor(index)).sum().backward()
    assert x.grad.dtype == np.float16
    np.testing.assert_array_equal(x.grad.data, t.grad.numpy())


def test_other_float16_sums_of_repeated_indices_are_exact_too():
    index = np.zeros(10_000, np.int64)
    x = ag.tensor(np.ones(3, np.float16), requires_grad=True)
    x[index].sum().backward()
    assert x.grad.tolist() == [10_000.0, 0.0, 0.0]
    out = ag.index_add(ag.zeros(2, dtype=np.float16), 0, index, ag.ones(10_000, dtype=np.float16))
    assert out.dtype == np.float16 and out.tolist() == [10_000.0, 0.0]
