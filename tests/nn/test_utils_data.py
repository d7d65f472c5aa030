"""nn.utils.data (nn/utils/data.py): torch.utils.data's names for nn.data's datasets, samplers and loader. The book
"Deep Learning with PyTorch" (ch. 7, 8) writes torch.utils.data.DataLoader(cifar2, batch_size=64, shuffle=True) over
a list of (image, label) pairs."""
import collections

import numpy as np
import pytest

import autograd_core as ag
import nn
import nn.utils.data


def test_nn_utils_data_is_torch_utils_datas_place_for_nn_datas_loaders():
    from nn.utils.data import DataLoader
    assert DataLoader is nn.utils.data.DataLoader is nn.data.DataLoader
    assert all(getattr(nn.utils.data, name) is getattr(nn.data, name) for name in nn.utils.data.__all__)
    pairs = [(ag.tensor(np.full((3, 2, 2), float(i), dtype=np.float32)), i % 2) for i in range(5)]
    imgs, labels = next(iter(nn.utils.data.DataLoader(pairs, batch_size=4, shuffle=False)))
    assert imgs.shape == (4, 3, 2, 2) and labels.tolist() == [0, 1, 0, 1]
    np.testing.assert_array_equal(imgs[:, 0, 0, 0], [0.0, 1.0, 2.0, 3.0])


def test_default_collate_gives_tensors_as_pytorchs():
    # fast.ai's collate_dict: itemgetter(*features)(default_collate(b)), then xb.to(device)
    from nn.utils.data import default_collate
    items = [{"image": np.full((1, 2, 2), float(i)), "label": i, "name": f"n{i}"} for i in range(3)]
    batch = default_collate(items)
    assert isinstance(batch["image"], ag.Tensor) and isinstance(batch["label"], ag.Tensor)
    assert not batch["image"].requires_grad and batch["name"] == ["n0", "n1", "n2"]
    np.testing.assert_array_equal(batch["image"].data, np.stack([item["image"] for item in items]))
    assert batch["label"].tolist() == [0, 1, 2] and batch["label"].dtype == np.int64
    xb, yb = default_collate([(np.zeros(2, np.float32), 0.5), (np.ones(2, np.float32), 1.5)])
    assert xb.dtype == np.float32 and xb.to("cpu").shape == (2, 2) and yb.tolist() == [0.5, 1.5]
    pair = collections.namedtuple("pair", "x y")
    assert type(default_collate([pair(1.0, 2), pair(3.0, 4)])) is pair
    loader = nn.utils.data.DataLoader(list(zip(np.eye(4), range(4))), batch_size=2, collate_fn=default_collate)
    assert all(isinstance(xb, ag.Tensor) and isinstance(yb, ag.Tensor) for xb, yb in loader)
    torch = pytest.importorskip("torch")
    expected = torch.utils.data.default_collate(items)
    np.testing.assert_array_equal(batch["image"].data, expected["image"].numpy())
    assert batch["label"].tolist() == expected["label"].tolist() and batch["name"] == expected["name"]
