"""nn.utils.data (nn/utils/data.py): torch.utils.data's names for nn.data's datasets, samplers and loader. The book
"Deep Learning with PyTorch" (ch. 7, 8) writes torch.utils.data.DataLoader(cifar2, batch_size=64, shuffle=True) over
a list of (image, label) pairs."""
import numpy as np

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
