"""nn.data.ConcatDataset and ChainDataset (PyTorch's): datasets and streams one after another, `a + b` making one,
the wrong kind of dataset refused with an error that is PyTorch's AssertionError too (found by porting PyTorch's
test_dataloader TestConcatDataset and test_chain_iterable_style_dataset)."""
import numpy as np
import pytest

import autograd_core as ag
from nn.data import ChainDataset, ConcatDataset, DataLoader, IterableDataset, TensorDataset


class Upto(IterableDataset):
    def __init__(self, n):
        self.n = n

    def __iter__(self):
        return iter(range(self.n))

    def __len__(self):
        return self.n


def test_items_lengths_and_cumulative_sizes_as_a_list_reference_and_torch():
    parts = [[0, 1, 2, 3, 4], [], [5, 6, 7, 8, 9]]
    ours = ConcatDataset(parts)
    joined = sum(parts, [])
    assert len(ours) == len(joined) == 10 and ours.cumulative_sizes == [5, 5, 10]
    assert [ours[i] for i in range(-10, 10)] == joined[-10:] + joined
    with pytest.raises(IndexError, match=r"^ConcatDataset: index 11 is out of range for 10 items"):
        ours[11]
    with pytest.raises(IndexError):
        ours[-11]
    torch = pytest.importorskip("torch")
    theirs = torch.utils.data.ConcatDataset(parts)
    assert [theirs[i] for i in range(-10, 10)] == [ours[i] for i in range(-10, 10)]
    assert theirs.cumulative_sizes == ours.cumulative_sizes


def test_adding_tensor_datasets_concatenates_their_items():
    d1, d2, d3 = (TensorDataset(np.full((7, 2), k), np.arange(7) + 10 * k) for k in range(3))
    whole = d1 + d2 + d3
    assert isinstance(whole, ConcatDataset) and len(whole) == 21
    for k, part in enumerate((d1, d2, d3)):
        np.testing.assert_array_equal(whole[7 * k + 3][0].numpy(), part[3][0].numpy())
        assert whole[7 * k + 3][1].item() == 10 * k + 3
    xb, yb = next(iter(DataLoader(whole, batch_size=21)))
    np.testing.assert_array_equal(yb.numpy(), np.concatenate([np.arange(7) + 10 * k for k in range(3)]))


def test_streams_and_empty_lists_are_refused_as_torchs_assertion():
    d1 = TensorDataset(np.zeros((3, 2)))
    for parts in ([d1, Upto(3)], [Upto(2)], []):
        with pytest.raises(TypeError, match=r"^ConcatDataset") as caught:
            ConcatDataset(parts)
        assert isinstance(caught.value, AssertionError)
    torch = pytest.importorskip("torch")
    with pytest.raises(AssertionError, match="does not support IterableDataset"):
        torch.utils.data.ConcatDataset([_TorchUpto(2)])


def _TorchUpto(n):
    """Upto as a torch IterableDataset."""
    torch = pytest.importorskip("torch")

    class Stream(torch.utils.data.IterableDataset):
        def __iter__(self):
            return iter(range(n))
    return Stream()


def test_chained_streams_give_their_items_in_turn_as_torch():
    expected = list(range(4)) + list(range(3))
    for chained in (Upto(4) + Upto(3), ChainDataset([Upto(4), Upto(3)])):
        assert isinstance(chained, ChainDataset) and len(chained) == 7
        batches = list(DataLoader(chained))
        assert all(isinstance(b, ag.Tensor) and b.shape == (1,) for b in batches)
        assert [b.item() for b in batches] == expected
    with pytest.raises(TypeError, match=r"^ChainDataset only supports IterableDataset") as caught:
        list(ChainDataset([Upto(2), TensorDataset(np.zeros(3))]))
    assert isinstance(caught.value, AssertionError)
    torch = pytest.importorskip("torch")
    theirs = [b.item() for b in torch.utils.data.DataLoader(_TorchUpto(4) + _TorchUpto(3))]
    assert theirs == expected
