"""F1's fuzzing of PyTorch's dim= against PyTorch: an empty dim (() or []) reduces every axis in amax, amin and
Tensor.norm, PyTorch's names, as PyTorch's do; it was read as NumPy's axis=(), which reduces none (norm then gave
each entry's absolute value). NumPy's axis=() keeps its meaning (also sum(dim=()), shared with NumPy, which the
engine's generated tests pin to NumPy's axis=())."""
import numpy as np
import pytest

import autograd_core as ag

torch = pytest.importorskip("torch")

X = np.arange(6.0).reshape(2, 3) - 2.5


@pytest.mark.parametrize("name", ["amax", "amin"])
@pytest.mark.parametrize("dim", [(), []])
@pytest.mark.parametrize("keepdim", [False, True])
def test_an_empty_dim_reduces_every_axis(name, dim, keepdim):
    expected = getattr(torch, name)(torch.tensor(X), dim=dim, keepdim=keepdim).numpy()
    x = ag.tensor(X, requires_grad=True)
    got = getattr(ag, name)(x, dim=dim, keepdim=keepdim)
    assert got.shape == expected.shape
    np.testing.assert_allclose(got.data, expected)
    got.sum().backward()
    assert x.grad.shape == X.shape


@pytest.mark.parametrize("keepdim", [False, True])
def test_norm_of_an_empty_dim_is_the_norm_of_every_entry(keepdim):
    for p in (2, 1, "fro", float("inf")):
        expected = torch.tensor(X).norm(p=p, dim=(), keepdim=keepdim).numpy()
        got = ag.tensor(X).norm(p=p, dim=(), keepdim=keepdim)
        assert got.shape == expected.shape
        np.testing.assert_allclose(got.data, expected)


def test_numpy_axis_and_any_all_keep_their_meaning():
    assert ag.sum(ag.tensor(X), axis=()).shape == (2, 3)
    assert ag.amax(ag.tensor(X), ()).shape == (2, 3)
    assert (ag.tensor(X) > 0).any(dim=()).shape == (torch.tensor(X) > 0).any(dim=()).shape == (2, 3)
