"""Regression tests from fuzzing the normalisations against PyTorch: inputs with an empty spatial axis (N, C, 0), which
PyTorch's group_norm and instance_norm normalise to an empty result (the running statistics unchanged, weight and
bias gradients zeros), where F.group_norm warned about NumPy's 0 / 0 and F.instance_norm refused them."""
import warnings

import numpy as np
import pytest

import autograd_core as ag
import nn
import nn.functional as F


@pytest.mark.parametrize("shape", [(2, 4, 0), (2, 4, 3, 0), (0, 4, 3), (1, 4, 0, 0)])
def test_group_norm_of_empty_groups_is_empty_without_warnings(shape):
    x = ag.tensor(np.zeros(shape, dtype=np.float32), requires_grad=True)
    weight, bias = (ag.tensor(np.full(4, v, dtype=np.float32), requires_grad=True) for v in (2.0, 1.0))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = F.group_norm(x, 2, weight, bias)
        out.sum().backward()
    assert out.shape == shape and out.dtype == np.float32 and out is not x
    assert x.grad.shape == shape
    np.testing.assert_array_equal(weight.grad.data, np.zeros(4))
    np.testing.assert_array_equal(bias.grad.data, np.zeros(4))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert nn.GroupNorm(2, 4)(np.zeros(shape)).shape == shape
        assert F.group_norm(np.zeros(shape), 4).shape == shape  # no weights: a new Tensor all the same


@pytest.mark.parametrize("shape", [(2, 4, 0), (2, 4, 0, 3), (3, 4, 0, 2, 2)])
def test_instance_norm_of_an_empty_spatial_axis_is_empty_and_keeps_the_running_statistics(shape):
    mean, var = np.full(4, 0.5), np.full(4, 2.0)
    x = ag.tensor(np.zeros(shape), requires_grad=True)
    weight = ag.tensor(np.ones(4), requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = F.instance_norm(x, mean, var, weight, momentum=0.5)
        out.sum().backward()
    assert out.shape == shape and out is not x
    np.testing.assert_array_equal(mean, np.full(4, 0.5))
    np.testing.assert_array_equal(var, np.full(4, 2.0))
    np.testing.assert_array_equal(weight.grad.data, np.zeros(4))
    assert x.grad.shape == shape


@pytest.mark.parametrize("cls, shape", [(nn.InstanceNorm1d, (2, 4, 0)), (nn.InstanceNorm1d, (4, 0)),
                                        (nn.InstanceNorm2d, (4, 3, 0)), (nn.InstanceNorm3d, (2, 4, 0, 1, 1))])
def test_instance_norm_layers_take_an_empty_spatial_axis(cls, shape):
    norm = cls(4, affine=True, track_running_stats=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert norm(np.zeros(shape)).shape == shape
    np.testing.assert_array_equal(norm.running_mean.data, np.zeros(4))
    np.testing.assert_array_equal(norm.running_var.data, np.ones(4))
    assert int(norm.num_batches_tracked.data) == 0


def test_one_spatial_element_is_still_refused():
    with pytest.raises(ValueError, match=r"instance_norm: expected more than 1 spatial element .* \(0, 4, 1\)"):
        F.instance_norm(np.zeros((0, 4, 1)))  # as PyTorch's, which checks the size before the batch


def test_empty_inputs_against_torch():
    torch = pytest.importorskip("torch")
    x = np.zeros((2, 4, 0))
    mean, var = np.zeros(4), np.ones(4)
    tmean, tvar = torch.zeros(4, dtype=torch.float64), torch.ones(4, dtype=torch.float64)
    ours, theirs = F.instance_norm(x, mean, var), torch.nn.functional.instance_norm(torch.tensor(x), tmean, tvar)
    assert ours.shape == tuple(theirs.shape)
    np.testing.assert_array_equal(mean, tmean.numpy())
    np.testing.assert_array_equal(var, tvar.numpy())
    assert F.group_norm(x, 2).shape == tuple(torch.nn.functional.group_norm(torch.tensor(x), 2).shape)
