"""ag.distributed (autograd_core/distributed.py), PyTorch's torch.distributed as a build without it: one process, so
the queries answer False and rpc.api.RRef is a type no value has, and code that only asks runs as written."""
import numpy as np
import pytest

import autograd_core as ag
import nn
from nn import functional as F


def test_nothing_distributed_is_available_or_initialized():
    assert ag.distributed.is_available() is False
    assert ag.distributed.is_initialized() is False
    assert ag.distributed.rpc.is_available() is False


def test_rref_is_one_type_at_pytorchs_two_paths_and_no_tensor_is_one():
    assert ag.distributed.rpc.api.RRef is ag.distributed.rpc.RRef
    assert not isinstance(ag.tensor([1.0, 2.0]), ag.distributed.rpc.api.RRef)
    assert not isinstance(np.ones(2), ag.distributed.rpc.api.RRef)


def test_rref_cannot_be_made():
    with pytest.raises(RuntimeError, match=r"^distributed\.rpc\.RRef: there is no RPC here .*use the value itself"):
        ag.distributed.rpc.RRef(ag.tensor(1.0))


def test_the_names_are_pytorchs():
    torch = pytest.importorskip("torch")
    distributed = pytest.importorskip("torch.distributed")
    assert isinstance(torch.distributed.rpc.api.RRef, type)
    assert torch.distributed.rpc.RRef is torch.distributed.rpc.api.RRef
    assert distributed.is_initialized() is False  # no process group in a test run, as here


def compute_epoch_loss(torch, F, model, data_loader):
    """deeplearning-models' helper_evaluate.compute_epoch_loss, as written there (the device moves dropped)."""
    model.eval()
    curr_loss, num_examples = 0., 0
    with torch.no_grad():
        for features, targets in data_loader:
            logits = model(features)
            if isinstance(logits, torch.distributed.rpc.api.RRef):
                logits = logits.local_value()
            loss = F.cross_entropy(logits, targets, reduction='sum')
            num_examples += targets.size(0)
            curr_loss += loss
        curr_loss = curr_loss / num_examples
        return curr_loss


def test_raschkas_helper_runs_as_written_and_matches_a_numpy_cross_entropy():
    rng = np.random.default_rng(0)
    model = nn.Linear(4, 3).double()
    batches = [(rng.standard_normal((5, 4)), rng.integers(0, 3, 5)) for _ in range(2)]
    loss = compute_epoch_loss(ag, F, model, [(ag.tensor(x), ag.tensor(y)) for x, y in batches])
    w, b = model.weight.data, model.bias.data
    total = 0.0
    for x, y in batches:
        logits = x @ w.T + b
        shifted = logits - logits.max(axis=1, keepdims=True)
        total += -(shifted[np.arange(len(y)), y] - np.log(np.exp(shifted).sum(axis=1))).sum()
    np.testing.assert_allclose(float(loss), total / 10, rtol=1e-14)
    torch = pytest.importorskip("torch")
    tmodel = torch.nn.Linear(4, 3).double()
    with torch.no_grad():
        tmodel.weight.copy_(torch.tensor(w))
        tmodel.bias.copy_(torch.tensor(b))
    tloss = compute_epoch_loss(torch, torch.nn.functional, tmodel,
                               [(torch.tensor(x), torch.tensor(y)) for x, y in batches])
    np.testing.assert_allclose(float(loss), tloss.item(), rtol=1e-14)
