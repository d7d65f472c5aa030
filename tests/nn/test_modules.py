"""nn.modules: PyTorch's torch.nn.modules path (nn/modules.py), each name nn's own class, so code that names a layer
class by its submodule (deepspeech.pytorch's `type(m) == nn.modules.conv.Conv2d`) or checks a private base
(`isinstance(m, nn.modules.batchnorm._BatchNorm)`) runs as written."""
import importlib

import numpy as np
import pytest

import autograd_core as ag
import nn
from nn import modules


def test_submodule_names_are_nn_classes_and_importable_by_path():
    from nn.modules.conv import Conv2d
    from nn.modules.loss import _Loss
    from nn.modules.rnn import RNNBase
    assert Conv2d is nn.Conv2d and RNNBase is nn.RNNBase and nn.modules.Conv2d is nn.Conv2d
    assert importlib.import_module("nn.modules.batchnorm").BatchNorm2d is nn.BatchNorm2d
    assert isinstance(nn.CrossEntropyLoss(), _Loss)


def test_private_bases_hold_their_subclasses_as_pytorch_s():
    assert isinstance(nn.BatchNorm1d(3), modules.batchnorm._BatchNorm)
    assert isinstance(nn.LazyBatchNorm2d(), modules.batchnorm._BatchNorm)
    assert not isinstance(nn.InstanceNorm1d(3), modules.batchnorm._BatchNorm)
    assert isinstance(nn.InstanceNorm1d(3), modules.instancenorm._InstanceNorm)
    assert isinstance(nn.InstanceNorm2d(3), modules.batchnorm._NormBase)
    for loss in (nn.KLDivLoss(), nn.TripletMarginWithDistanceLoss(), nn.CTCLoss(), nn.MSELoss()):
        assert isinstance(loss, modules.loss._Loss), type(loss).__name__


def test_get_seq_lens_finds_the_convolutions_by_their_path():
    # deepspeech.pytorch's DeepSpeech.get_seq_lens: the time length after each Conv2d of its MaskConv stack
    stack = nn.Sequential(nn.Conv2d(1, 2, kernel_size=(41, 11), stride=(2, 2), padding=(20, 5)),
                          nn.BatchNorm2d(2), nn.Hardtanh(0, 20),
                          nn.Conv2d(2, 2, kernel_size=(21, 11), stride=(2, 1), padding=(10, 5)))
    seq_len = ag.tensor([101, 80]).int()
    for m in stack.modules():
        if type(m) == nn.modules.conv.Conv2d:
            seq_len = (seq_len + 2 * m.padding[1] - m.dilation[1] * (m.kernel_size[1] - 1) - 1) // m.stride[1] + 1
    np.testing.assert_array_equal(seq_len.data, [51, 40])  # ((101 + 10 - 10 - 1) // 2 + 1, then stride 1)
    out = stack(ag.zeros((2, 1, 20, 101)))
    assert out.shape[-1] == 51


def test_every_name_is_pytorch_s_in_that_submodule():
    torch = pytest.importorskip("torch")
    for name in modules._SUBMODULES:
        ours = getattr(modules, name)
        theirs = importlib.import_module(f"torch.nn.modules.{name}")
        for class_name in dir(ours):
            if not class_name.startswith("__"):
                assert hasattr(theirs, class_name), f"torch.nn.modules.{name} has no {class_name}"
    assert set(modules.__all__) <= set(dir(torch.nn.modules))


def test_utils_expand_arguments_and_strip_a_checkpoint_prefix_as_pytorch_s():
    from nn.modules.utils import (_list_with_default, _pair, _quadruple, _reverse_repeat_tuple, _single, _triple,
                                  consume_prefix_in_state_dict_if_present)
    assert (_single(2), _pair(3), _triple((1, 2, 3)), _quadruple(0)) == ((2,), (3, 3), (1, 2, 3), (0, 0, 0, 0))
    assert _reverse_repeat_tuple((1, 2), 2) == (2, 2, 1, 1)  # a Conv2d's padding as F.pad's pairs
    assert _list_with_default([None, 4], [2, 3, 7, 9]) == [7, 4] and _list_with_default(5, [1, 2]) == 5
    with pytest.raises(ValueError, match="at least 3"):
        _list_with_default([None, 4], [7, 9])
    # a DataParallel checkpoint ("module." keys) loaded into the bare model
    model = nn.Linear(2, 1)
    state = {f"module.{k}": v for k, v in nn.DataParallel(model).module.state_dict().items()}
    consume_prefix_in_state_dict_if_present(state, "module.")
    assert sorted(state) == ["bias", "weight"]
    model.load_state_dict(state)
    pytest.importorskip("torch")
    from torch.nn.modules import utils as theirs
    assert theirs._reverse_repeat_tuple((1, 2), 2) == _reverse_repeat_tuple((1, 2), 2)
    assert theirs._list_with_default([None, 4], [2, 3, 7, 9]) == _list_with_default([None, 4], [2, 3, 7, 9])
    their_state = {"module.weight": 1, "module.bias": 2, "other": 3}
    our_state = dict(their_state)
    theirs.consume_prefix_in_state_dict_if_present(their_state, "module.")
    consume_prefix_in_state_dict_if_present(our_state, "module.")
    assert list(our_state.items()) == list(their_state.items())
    assert all(hasattr(theirs, name) for name in dir(nn.modules.utils) if name.startswith("_") and
               not name.startswith("__") and callable(getattr(nn.modules.utils, name)))
