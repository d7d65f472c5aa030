"""ag.Size (autograd_core/torch_size.py): PyTorch's torch.Size, a tuple of ints that equals a Tensor's shape, with
numel(), slices, repeats and tuple sums that stay Sizes, and PyTorch's refusal of items that are not ints. Checked
against plain tuples and math.prod, and against torch.Size where PyTorch is installed."""
import math
import pickle

import numpy as np
import pytest

import autograd_core as ag

SIZES = [(), (0,), (5,), (2, 3), (2, 0, 4), (1, 1, 7)]


@pytest.mark.parametrize("sizes", SIZES)
def test_size_is_the_tuple_of_its_ints_and_equals_a_shape(sizes):
    size = ag.Size(list(sizes))
    assert isinstance(size, tuple) and size == sizes and hash(size) == hash(sizes)
    assert ag.zeros(sizes).shape == size and ag.zeros(size).shape == sizes
    assert size.numel() == math.prod(sizes) == ag.zeros(size).numel()
    assert repr(size) == f"Size({list(sizes)})"
    assert pickle.loads(pickle.dumps(size)) == size and type(pickle.loads(pickle.dumps(size))) is ag.Size


def test_size_keeps_its_type_through_slices_repeats_and_tuple_sums():
    size = ag.Size([2, 3])
    for result, expected in ((size[1:], (3,)), (size + (4,), (2, 3, 4)), ((1,) + size, (1, 2, 3)),
                             (size * 2, (2, 3, 2, 3)), (2 * size, (2, 3, 2, 3))):
        assert type(result) is ag.Size and result == expected
    assert size[0] == 2 and type(size[0]) is int
    assert type(ag.Size()) is ag.Size and ag.Size() == () and ag.Size().numel() == 1


def test_size_items_are_python_ints_from_anything_with_index():
    size = ag.Size([np.int64(3), True, -1])
    assert size == (3, 1, -1) and all(type(length) is int for length in size)


@pytest.mark.parametrize("bad, named", [([2.0], "item 0 is float 2.0"), ([1, "a"], "item 1 is str 'a'"),
                                        (3, "got int 3")])
def test_size_refuses_what_is_not_an_iterable_of_ints(bad, named):
    with pytest.raises(TypeError, match=f"Size: takes an iterable of ints.*{named}"):
        ag.Size(bad)


def test_size_as_a_distribution_subclass_default_sample_shape():
    class Shifted(ag.distributions.Normal):
        def rsample(self, sample_shape=ag.Size()):
            return super().rsample(sample_shape) + 1.0

    ag.manual_seed(0)
    draw = Shifted(ag.zeros(3), ag.ones(3)).rsample(ag.Size([4]))
    assert draw.shape == ag.Size([4, 3])


def test_size_matches_torch_size():
    torch = pytest.importorskip("torch")
    for sizes in SIZES:
        ours, theirs = ag.Size(sizes), torch.Size(sizes)
        assert ours == theirs and ours.numel() == theirs.numel()
        assert ours[1:] == theirs[1:] and ours + (9,) == theirs + (9,) and (9,) + ours == (9,) + theirs
        assert type((9,) + theirs) is torch.Size and type((9,) + ours) is ag.Size
    with pytest.raises(TypeError):
        torch.Size([2.0])
    assert torch.Size([np.int64(3), True]) == ag.Size([np.int64(3), True])
