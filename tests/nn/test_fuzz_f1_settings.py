"""Settings given as arrays, found by fuzzing against PyTorch (session 22, helper F1): PyTorch's convolution and
unpooling layers take an array of sizes as the tuple it holds (their _ntuple iterates it); they were refused as no
int. (nn.functional's settings still refuse arrays, as PyTorch's functions do.)"""
import numpy as np
import pytest

import nn
import nn.functional as F


@pytest.mark.parametrize("dims", [1, 2, 3])
def test_convolution_layers_take_arrays_of_sizes(dims):
    kernel, stride, padding = np.array([3, 2, 1][:dims]), np.array([1, 2, 1][:dims]), np.array([1, 0, 1][:dims])
    conv = getattr(nn, f"Conv{dims}d")(2, 4, kernel, stride=stride, padding=padding, rng=0)
    same = getattr(nn, f"Conv{dims}d")(2, 4, tuple(kernel.tolist()), stride=tuple(stride.tolist()),
                                       padding=tuple(padding.tolist()), rng=0)
    assert repr(conv) == repr(same) and conv.kernel_size == tuple(kernel.tolist())
    x = np.random.default_rng(0).random((1, 2) + (5,) * dims).astype(np.float32)
    assert np.array_equal(conv(x).data, same(x).data)


def test_unpooling_layers_take_arrays_of_sizes():
    unpool = nn.MaxUnpool2d(np.array([2, 2]), stride=np.array([2, 1]), padding=np.array([0, 1]))
    assert (unpool.kernel_size, unpool.stride, unpool.padding) == ((2, 2), (2, 1), (0, 1))
    out, indices = F.max_pool2d(np.arange(16.0).reshape(1, 4, 4), 2, return_indices=True)
    assert nn.MaxUnpool2d(np.array([2, 2]))(out, indices).shape == (1, 4, 4)


def test_functions_still_refuse_arrays_as_torch():
    with pytest.raises(TypeError, match="conv2d: stride must be a positive int"):
        F.conv2d(np.ones((1, 1, 5, 5)), np.ones((1, 1, 3, 3)), stride=np.array([1, 1]))


@pytest.mark.parametrize("kernel, error", [(np.array([3, 3]), ValueError), (np.array([3.0, 3.0, 3.0]), TypeError),
                                           (np.array([[3, 3, 3]]), TypeError)])
def test_arrays_of_the_wrong_length_or_kind_are_still_refused(kernel, error):
    with pytest.raises(error, match="Conv3d: kernel_size must be"):
        nn.Conv3d(2, 4, kernel)


def test_as_torch():
    torch = pytest.importorskip("torch")
    layer = torch.nn.Conv2d(2, 4, np.array([3, 2]), stride=np.array([1, 2]))
    assert tuple(layer(torch.ones(1, 2, 5, 5)).shape) == nn.Conv2d(2, 4, np.array([3, 2]), stride=np.array([1, 2]))(
        np.ones((1, 2, 5, 5), np.float32)).shape
