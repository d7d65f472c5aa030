"""Reductions (autograd_core/ops/reductions.py), continued from test_reductions.py: PyTorch's positional list of
dims, x.sum([-1, -2]) (fast.ai course22p2's KID), read as NumPy's tuple of axes by sum, mean, logsumexp, amax and
amin; values against NumPy's tuple axes and torch, gradients by finite differences."""
import numpy as np
import pytest

import autograd_core as ag
from autograd_core.testing import gradcheck

_LIST_REDUCTIONS = [
    ("sum", lambda x, dims: x.sum(dims), lambda a, axes: a.sum(axes)),
    ("mean", lambda x, dims: x.mean(dims), lambda a, axes: a.mean(axes)),
    ("logsumexp", lambda x, dims: ag.logsumexp(x, dims), lambda a, axes: np.log(np.exp(a).sum(axes))),
    ("amax", lambda x, dims: x.amax(dims), lambda a, axes: a.max(axes)),
    ("amin", lambda x, dims: ag.amin(x, dims), lambda a, axes: a.min(axes)),
]


@pytest.mark.parametrize("name, reduce, numpy_reduce", _LIST_REDUCTIONS, ids=[r[0] for r in _LIST_REDUCTIONS])
@pytest.mark.parametrize("dims", [[-1, -2], [0, 2], [1]])
def test_a_positional_list_of_dims_reduces_those_axes_as_pytorchs(name, reduce, numpy_reduce, dims):
    values = np.random.default_rng(0).standard_normal((2, 3, 4))
    out = reduce(ag.tensor(values), dims)
    np.testing.assert_allclose(out.data, numpy_reduce(values, tuple(dims)), rtol=1e-13)
    assert gradcheck(lambda t: reduce(t, list(dims)), values)
    torch = pytest.importorskip("torch")
    expected = getattr(torch, name)(torch.tensor(values), dims)
    np.testing.assert_allclose(out.data, expected.numpy(), rtol=1e-13)


def test_a_list_of_dims_keeps_keepdims_and_the_tuple_meaning():
    x = ag.tensor(np.arange(24.0).reshape(2, 3, 4))
    assert ag.sum(x, [0, 2], keepdims=True).shape == (1, 3, 1)
    assert ag.sum(x, [0, 2]).data.tolist() == ag.sum(x, (0, 2)).data.tolist() == [60.0, 92.0, 124.0]
