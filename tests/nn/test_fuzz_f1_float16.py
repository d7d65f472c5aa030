"""float16 sums found by fuzzing against PyTorch (session 22, helper F1): average pooling, adaptive average pooling
and einsum (so convolutions) add float16 terms in float32 and round once, as PyTorch's float16 kernels; they added
them in float16, 2 to 16 ulps off."""
import numpy as np
import pytest

import autograd_core as ag
import nn.functional as F


def _ulps(value, exact):
    """How many float16 ulps value is from exact (float64) rounded to float16."""
    rounded = exact.astype(np.float16)
    return np.max(np.abs(value.astype(np.float64) - rounded) / np.spacing(np.abs(rounded)).astype(np.float64))


def _data(shape, seed=1):
    return np.random.default_rng(seed).random(shape).astype(np.float16)


@pytest.mark.parametrize("call", [
    lambda x: F.avg_pool1d(x.reshape(1, 8, -1), 32),
    lambda x: F.avg_pool2d(x, 16),
    lambda x: F.avg_pool2d(x, 8, 4, 2, count_include_pad=False),
    lambda x: F.avg_pool2d(x, 16, divisor_override=200),
    lambda x: F.avg_pool3d(x[None], (1, 16, 16)),
    lambda x: F.adaptive_avg_pool1d(x.reshape(1, 8, -1), 3),
    lambda x: F.adaptive_avg_pool2d(x, 3),
    lambda x: F.adaptive_avg_pool2d(x, 2),
    lambda x: F.adaptive_avg_pool3d(x[None], (1, 3, 3)),
])
def test_average_pooling_of_float16_is_rounded_once(call):
    x = _data((1, 2, 64, 64))
    out = call(ag.tensor(x))
    exact = call(ag.tensor(x.astype(np.float64))).data
    assert out.dtype == np.float16
    assert _ulps(out.data, exact) <= 1


def test_average_pooling_of_float16_keeps_float16_gradients():
    x = ag.tensor(_data((1, 2, 9, 9)), requires_grad=True)
    (F.adaptive_avg_pool2d(x, 4).sum() + F.avg_pool2d(x, 3, 2, 1).sum()).backward()
    assert x.grad.dtype == np.float16
    exact = ag.tensor(x.data.astype(np.float64), requires_grad=True)
    (F.adaptive_avg_pool2d(exact, 4).sum() + F.avg_pool2d(exact, 3, 2, 1).sum()).backward()
    assert _ulps(x.grad.data, exact.grad.data) <= 1


@pytest.mark.parametrize("subscripts, shapes", [("ij,jk->ik", ((16, 200), (200, 3))), ("i,i->", ((3000,), (3000,))),
                                                ("ijk,jk->i", ((3, 40, 30), (40, 30))),
                                                ("ij,jk,kl->il", ((4, 60), (60, 60), (60, 2)))])
def test_small_einsums_of_float16_are_rounded_once(subscripts, shapes):
    operands = [_data(shape, seed) for seed, shape in enumerate(shapes)]
    out = ag.einsum(subscripts, *map(ag.tensor, operands))
    exact = np.einsum(subscripts, *(x.astype(np.float64) for x in operands))
    assert out.dtype == np.float16
    assert _ulps(out.data, exact) <= 1


def test_a_small_float16_convolution_is_rounded_once():
    x, w = _data((1, 16, 5, 5)), _data((2, 16, 3, 3), 2)
    exact = F.conv2d(ag.tensor(x.astype(np.float64)), ag.tensor(w.astype(np.float64))).data
    assert _ulps(F.conv2d(ag.tensor(x), ag.tensor(w)).data, exact) <= 1


def test_as_torch():
    torch = pytest.importorskip("torch")
    x = _data((1, 2, 64, 64))
    tf = torch.nn.functional
    assert np.array_equal(F.avg_pool2d(ag.tensor(x), 16).data, tf.avg_pool2d(torch.tensor(x), 16).numpy())
    assert np.array_equal(F.adaptive_avg_pool2d(ag.tensor(x), 3).data,
                          tf.adaptive_avg_pool2d(torch.tensor(x), 3).numpy())
