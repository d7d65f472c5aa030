"""Edges of autograd_core/ops/numpy_more.py beyond test_numpy_more.py: PyTorch's diag_embed (a batch of vectors on
the diagonals of matrices). Values against a NumPy-hand reference, gradients against finite differences, and
against torch where it is installed."""
import numpy as np
import pytest

import autograd_core as ag
from autograd_core.testing import gradcheck


def _diag_embed_reference(v, offset, dim1, dim2):
    m = v.shape[-1]
    n = m + abs(offset)
    out = np.zeros(v.shape[:-1] + (n, n))
    rows = np.arange(m) + max(-offset, 0)
    out[..., rows, rows + offset] = v
    return np.moveaxis(out, (-2, -1), (dim1, dim2))


@pytest.mark.parametrize("offset, dim1, dim2", [(0, -2, -1), (1, -2, -1), (-2, -1, -2), (1, 0, 2), (0, 2, 0)])
def test_diag_embed_places_each_vector_on_a_diagonal_as_torch(offset, dim1, dim2):
    # a diagonal Gaussian's scale_tril: torch.diag_embed(sigma)
    v = np.random.default_rng(0).standard_normal((2, 3))
    out = ag.diag_embed(ag.tensor(v), offset=offset, dim1=dim1, dim2=dim2)
    np.testing.assert_array_equal(out.data, _diag_embed_reference(v, offset, dim1, dim2))
    assert gradcheck(lambda t: ag.diag_embed(t, offset, dim1, dim2) ** 2, v)
    torch = pytest.importorskip("torch")
    np.testing.assert_array_equal(out.data, torch.diag_embed(torch.tensor(v), offset, dim1, dim2).numpy())


def test_diag_embed_refuses_the_same_axis_twice_and_a_0d_input():
    with pytest.raises(ValueError, match=r"diag_embed: dim1 1 and dim2 -2 name the same axis of the 3-d result"):
        ag.diag_embed(ag.ones((2, 3)), dim1=1, dim2=-2)
    with pytest.raises(IndexError, match=r"diag_embed: dim 3 is out of range for the 3-d result"):
        ag.diag_embed(ag.ones((2, 3)), dim1=3)
    with pytest.raises(ValueError, match="diag_embed: input must have at least 1 dimension"):
        ag.diag_embed(ag.tensor(1.0))
