"""Adaptive pooling's output_size, found by fuzzing against PyTorch (session 22, helper F1)."""
import numpy as np
import pytest

import autograd_core as ag
import nn
import nn.functional as F


@pytest.mark.parametrize("kind", ["avg", "max"])
@pytest.mark.parametrize("dims", [1, 2, 3])
def test_output_size_may_be_an_array_of_sizes(kind, dims):
    """An array of sizes (np.array(x.shape[-2:]) // 2, say) is taken as the tuple it holds, as PyTorch takes it (it
    was refused as no int)."""
    x = ag.tensor(np.random.default_rng(0).random((1, 2) + (6,) * dims))
    sizes = np.array([3, 2, 4][:dims])
    function = getattr(F, f"adaptive_{kind}_pool{dims}d")
    expected = function(x, tuple(int(n) for n in sizes))
    assert np.array_equal(function(x, sizes).data, expected.data)
    layer = getattr(nn, f"Adaptive{kind.capitalize()}Pool{dims}d")(sizes)
    assert np.array_equal(layer(x).data, expected.data)


def test_an_array_with_none_keeps_that_axis():
    x = ag.tensor(np.ones((1, 2, 7, 5)))
    assert F.adaptive_avg_pool2d(x, np.array([3, None], dtype=object)).shape == (1, 2, 3, 5)


@pytest.mark.parametrize("output_size, error", [(np.array([3]), ValueError), (np.array([[3, 3]]), TypeError),
                                                (np.array([3.0, 3.0]), TypeError)])
def test_arrays_of_the_wrong_length_or_kind_are_still_refused(output_size, error):
    with pytest.raises(error, match="adaptive_avg_pool2d: output_size must be an int or a tuple of 2"):
        F.adaptive_avg_pool2d(ag.tensor(np.ones((1, 2, 7, 5))), output_size)


def test_as_torch():
    torch = pytest.importorskip("torch")
    x = np.random.default_rng(1).random((1, 2, 7, 5))
    expected = torch.nn.functional.adaptive_max_pool2d(torch.tensor(x), np.array([3, 2])).numpy()
    assert np.array_equal(F.adaptive_max_pool2d(ag.tensor(x), np.array([3, 2])).data, expected)
