"""ag.histogramdd (autograd_core/ops/counting.py): np.histogramdd's counts and edges, torch.histogramdd's (..., D)
input, flat range= and weight=, against both; errors. Found missing by a differential run over PyTorch's OpInfo
database (histogramdd)."""
import numpy as np
import pytest

import autograd_core as ag

POINTS = np.random.default_rng(0).normal(size=(40, 3))


@pytest.mark.parametrize("bins", [4, [2, 3, 4], [np.array([-3.0, 0.0, 3.0]), np.array([-1.0, 1.0]),
                                                   np.array([-2.0, -1.0, 0.5, 2.0])]])
@pytest.mark.parametrize("density", [False, True])
def test_matches_numpy(bins, density):
    weights = np.linspace(0.5, 2.0, 40)
    counts, edges = ag.histogramdd(ag.tensor(POINTS), bins=bins, density=density, weights=ag.tensor(weights))
    expected, expected_edges = np.histogramdd(POINTS, bins=bins, density=density, weights=weights)
    np.testing.assert_allclose(counts.data, expected, rtol=1e-14)
    assert counts.dtype == np.float64 and not counts.requires_grad
    for e, x in zip(edges, expected_edges):
        np.testing.assert_array_equal(e.data, x)
    assert isinstance(np.histogramdd(ag.tensor(POINTS), bins=2)[0], ag.Tensor)  # (np.histogramdd on a Tensor)


def test_torch_arguments_match_torch():
    torch = pytest.importorskip("torch")
    x = POINTS.reshape(2, 20, 3)  # (torch's (..., D): the leading axes are flattened)
    weight = np.linspace(0.1, 1.0, 40).reshape(2, 20)
    ours, ours_edges = ag.histogramdd(ag.tensor(x), bins=[2, 3, 2], range=[-2.0, 2.0, -1.0, 1.0, -3.0, 3.0],
                                      weight=ag.tensor(weight), density=True)
    theirs = torch.histogramdd(torch.tensor(x), bins=[2, 3, 2], range=[-2.0, 2.0, -1.0, 1.0, -3.0, 3.0],
                               weight=torch.tensor(weight), density=True)
    np.testing.assert_allclose(ours.data, theirs.hist.numpy(), rtol=1e-13)
    for e, t in zip(ours_edges, theirs.bin_edges):
        np.testing.assert_allclose(e.data, t.numpy(), rtol=1e-15)


def test_errors():
    x = ag.tensor(POINTS)
    with pytest.raises(ValueError, match="2 bins given for points of 3 dimensions"):
        ag.histogramdd(x, bins=[2, 3])
    with pytest.raises(ValueError, match="range needs a \\(min, max\\) pair per dimension"):
        ag.histogramdd(x, range=[0.0, 1.0])
    with pytest.raises(ValueError, match="monotonically increasing"):  # (torch's counts nothing, silently)
        ag.histogramdd(x, bins=[np.array([1.0, 0.0])] * 3)
    with pytest.raises(ValueError, match="one entry per point"):
        ag.histogramdd(x, weight=ag.ones(3))
    with pytest.raises(TypeError, match="both weights= and weight="):
        ag.histogramdd(x, weight=ag.ones(40), weights=ag.ones(40))
