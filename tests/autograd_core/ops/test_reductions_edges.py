"""Reductions (autograd_core/ops/reductions.py, nan_reductions.py, torch_extras' amax/amin): a list in axis's
place, which PyTorch reads as dims (x.mean([2, 3]) in torchvision's ShuffleNetV2, x.sum([-1, -2]) in fast.ai's KID)
and NumPy refuses."""
import numpy as np
import pytest

import autograd_core as ag
from autograd_core.testing import gradcheck

_X = np.arange(1.0, 25.0).reshape(2, 3, 4) / 7.0

_LIST_AXIS_REDUCTIONS = [
    ("sum", np.sum), ("mean", np.mean), ("prod", np.prod), ("nansum", np.nansum), ("nanmean", np.nanmean),
    ("amax", np.amax), ("amin", np.amin),
    ("logsumexp", lambda x, axis, keepdims=False: np.log(np.sum(np.exp(x), axis=axis, keepdims=keepdims))),
]


@pytest.mark.parametrize("name, reference", _LIST_AXIS_REDUCTIONS, ids=[n for n, _ in _LIST_AXIS_REDUCTIONS])
@pytest.mark.parametrize("axis", [[1, 2], [0], [-1, 0]])
def test_a_list_axis_reduces_over_those_axes_as_the_tuple_does(name, reference, axis):
    out = getattr(ag, name)(ag.tensor(_X), axis)
    np.testing.assert_allclose(out.data, reference(_X, axis=tuple(axis)), rtol=1e-12)
    kept = getattr(ag, name)(ag.tensor(_X), axis, True)
    np.testing.assert_allclose(kept.data, reference(_X, axis=tuple(axis), keepdims=True), rtol=1e-12)


@pytest.mark.parametrize("name", ["sum", "mean", "logsumexp", "amax"])  # (torch.prod takes one int dim only)
def test_a_list_axis_matches_torch_and_the_method_form(name):
    torch = pytest.importorskip("torch")
    expected = getattr(torch, name)(torch.tensor(_X), [2, 0]).numpy()
    np.testing.assert_allclose(getattr(ag, name)(ag.tensor(_X), [2, 0]).data, expected, rtol=1e-12)
    if name != "amax":
        np.testing.assert_allclose(getattr(ag.tensor(_X), name)([2, 0]).data, expected, rtol=1e-12)


def test_the_gradient_through_a_list_axis_is_the_tuple_axis_one():
    x = ag.tensor(_X, requires_grad=True)
    x.mean([1, 2]).sum().backward()
    np.testing.assert_allclose(x.grad.data, np.full(_X.shape, 1 / 12))
    assert gradcheck(lambda t: ag.sum(t * t, [0, 2]), ag.tensor(_X, requires_grad=True))


def test_an_empty_list_axis_of_amax_reduces_every_axis_as_torch_amax():
    assert float(ag.amax(ag.tensor(_X), [])) == _X.max()  # torch.amax(x, []) is the maximum over all


def test_a_list_axis_and_dim_together_are_refused_naming_both():
    with pytest.raises(TypeError, match=r"sum: got both axis=.* and dim="):
        ag.sum(ag.tensor(_X), [0], dim=1)


@pytest.mark.parametrize("name", ["var", "std"])
def test_var_and_std_still_refuse_a_list_axis(name):
    # torch.var(x, [0]) is the sample variance (correction=1), NumPy's var the population one: no silent choice
    with pytest.raises(TypeError, match=rf"^{name}: invalid axis=\[0\]"):
        getattr(ag, name)(ag.tensor(_X), [0])
