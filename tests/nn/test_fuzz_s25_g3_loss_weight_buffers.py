"""The weighted losses keep their weights as buffers, as PyTorch's _WeightedLoss (found comparing state dicts with
PyTorch, session 25): they were plain attributes, so a model holding nn.CrossEntropyLoss(weight=w) had no
'criterion.weight' in its state dict, and loading PyTorch's state dict of that model raised an unexpected key."""
import numpy as np
import pytest
try:
    import torch
except ImportError:  # (CI has no torch: the checks without it still run)
    torch = None

import autograd_core as ag
import nn

W3 = np.array([0.5, 2.0, 1.0])
LOSSES = [
    (lambda: nn.CrossEntropyLoss(weight=W3), lambda: torch.nn.CrossEntropyLoss(weight=torch.tensor(W3)), ["weight"]),
    (lambda: nn.NLLLoss(weight=W3), lambda: torch.nn.NLLLoss(weight=torch.tensor(W3)), ["weight"]),
    (lambda: nn.BCELoss(weight=W3), lambda: torch.nn.BCELoss(weight=torch.tensor(W3)), ["weight"]),
    (lambda: nn.BCEWithLogitsLoss(weight=W3, pos_weight=2 * W3),
     lambda: torch.nn.BCEWithLogitsLoss(weight=torch.tensor(W3), pos_weight=torch.tensor(2 * W3)),
     ["weight", "pos_weight"]),
    (lambda: nn.BCEWithLogitsLoss(pos_weight=W3), lambda: torch.nn.BCEWithLogitsLoss(pos_weight=torch.tensor(W3)),
     ["pos_weight"]),
    (lambda: nn.MultiMarginLoss(weight=W3), lambda: torch.nn.MultiMarginLoss(weight=torch.tensor(W3)), ["weight"]),
    (lambda: nn.MultiLabelSoftMarginLoss(weight=W3),
     lambda: torch.nn.MultiLabelSoftMarginLoss(weight=torch.tensor(W3)), ["weight"]),
    (lambda: nn.CrossEntropyLoss(), lambda: torch.nn.CrossEntropyLoss(), []),
    (lambda: nn.BCEWithLogitsLoss(), lambda: torch.nn.BCEWithLogitsLoss(), []),
]


@pytest.mark.parametrize("ours, theirs, names", LOSSES, ids=[f"{i}-{'+'.join(c[2]) or 'none'}"
                                                             for i, c in enumerate(LOSSES)])
def test_a_weighted_loss_has_pytorchs_state_dict_and_loads_it(ours, theirs, names):
    loss = ours()
    assert list(loss.state_dict()) == names
    if torch is not None:
        reference = theirs()
        assert list(reference.state_dict()) == names
        for name in names:
            np.testing.assert_array_equal(loss.state_dict()[name], reference.state_dict()[name].numpy())
    changed = {name: np.asarray(value) * 3 for name, value in loss.state_dict().items()}
    assert loss.load_state_dict(changed) == ([], [])  # (missing, unexpected): strict, as PyTorch's
    for name in names:
        np.testing.assert_array_equal(getattr(loss, name).data, changed[name])
    assert list(loss.parameters()) == []


def test_a_model_holding_a_weighted_criterion_round_trips_pytorchs_state_dict():
    class Model(nn.Module):
        def __init__(self):
            super().__init__()
            self.layer, self.criterion = nn.Linear(2, 3, dtype=np.float64), nn.CrossEntropyLoss(weight=W3)

    model = Model()
    assert list(model.state_dict()) == ["layer.weight", "layer.bias", "criterion.weight"]
    np.testing.assert_array_equal(model.state_dict()["criterion.weight"], W3)
    if torch is None:
        return

    class TorchModel(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.layer = torch.nn.Linear(2, 3).double()
            self.criterion = torch.nn.CrossEntropyLoss(weight=torch.tensor(W3))

    reference = TorchModel()
    model.load_state_dict({k: v.numpy() for k, v in reference.state_dict().items()})
    reference.load_state_dict({k: torch.tensor(np.asarray(v)) for k, v in model.state_dict().items()})
    assert list(model.state_dict()) == list(reference.state_dict()) == ["layer.weight", "layer.bias",
                                                                         "criterion.weight"]


def test_the_weight_buffer_follows_to_and_the_loss_keeps_the_inputs_dtype():
    loss = nn.CrossEntropyLoss(weight=[1.0, 2.0, 3.0]).float()
    assert loss.weight.dtype == np.float32
    z = ag.tensor(np.array([[1.0, 0.0, -1.0], [0.0, 2.0, 0.5]]), requires_grad=True)
    log_p = z.data - np.log(np.exp(z.data).sum(axis=1, keepdims=True))
    w = np.array([3.0, 2.0])  # (the weights of the targets 2 and 1)
    expected = -(w * log_p[[0, 1], [2, 1]]).sum() / w.sum()  # PyTorch's weighted mean
    value = loss(z, np.array([2, 1]))
    assert value.dtype == np.float64 and abs(value.item() - expected) < 1e-6
    if torch is not None:
        reference = torch.nn.CrossEntropyLoss(weight=torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64))
        assert abs(reference(torch.tensor(z.data), torch.tensor([2, 1])).item() - expected) < 1e-12
    mask = nn.BCELoss(weight=np.array([True, False]))  # a mask stays one: to() casts float buffers only
    assert mask.double().weight.dtype == np.bool_
    assert mask(np.full((2, 2), 0.5), np.ones((2, 2))).item() == pytest.approx(np.log(2) / 2)
