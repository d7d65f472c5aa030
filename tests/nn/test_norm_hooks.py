"""The older weight-norm and spectral-norm forward pre-hooks (nn/utils/weight_norm.py, nn/utils/spectral_norm.py):
their state dicts and storage, against PyTorch's."""
import copy

import numpy as np
import pytest

import autograd_core as ag
import nn


def _torch_spectral_linear(torch, steps):
    """A PyTorch spectral-normed Linear(3, 5) after steps training forwards, its input and its state dict."""
    torch.manual_seed(0)
    layer = torch.nn.utils.spectral_norm(torch.nn.Linear(3, 5).double())
    x = torch.randn(2, 3, dtype=torch.float64)
    for _ in range(steps):
        layer(x)
    return layer, x, layer.state_dict()


def _ours(state):
    return {key: ag.tensor(value.detach().numpy().copy()) for key, value in state.items()}


def test_spectral_norm_weight_shares_weight_origs_memory_as_torch():
    # found by porting PyTorch's test_nn.py test_spectral_norm: weight was a copy of weight_orig
    layer = nn.utils.spectral_norm(nn.Linear(5, 7, dtype=np.float64))
    assert np.shares_memory(layer.weight.data, layer.weight_orig.data)
    assert "weight" not in layer._parameters and "weight" not in layer._buffers
    assert not layer.weight.requires_grad


def test_spectral_norm_state_dict_records_its_version_in_the_metadata_as_torch():
    # found by porting PyTorch's test_nn.py test_spectral_norm_load_state_dict
    torch = pytest.importorskip("torch")
    theirs = torch.nn.utils.spectral_norm(torch.nn.Linear(3, 5)).state_dict()._metadata
    model = nn.Sequential(nn.utils.spectral_norm(nn.Linear(3, 5)))
    ours = model.state_dict()._metadata
    assert ours["0"]["spectral_norm"] == theirs[""]["spectral_norm"] == {"weight.version": 1}
    assert "spectral_norm" not in ours[""]
    nn.utils.remove_spectral_norm(model[0])
    assert "spectral_norm" not in model.state_dict()._metadata["0"]  # (its hooks went with it)
    assert not model[0]._load_state_dict_pre_hooks


@pytest.mark.parametrize("with_metadata", [True, False])
def test_spectral_norm_loads_torchs_latest_state_dict(with_metadata):
    torch = pytest.importorskip("torch")
    theirs, x, state = _torch_spectral_linear(torch, 3)
    ours = nn.utils.spectral_norm(nn.Linear(3, 5, dtype=np.float64))
    loaded = _ours(state)
    if with_metadata:
        loaded = copy.deepcopy(ours.state_dict())
        loaded.update(_ours(state))
    ours.load_state_dict(loaded)
    for training in (False, True, True, False):
        theirs.train(training), ours.train(training)
        with torch.no_grad():
            np.testing.assert_allclose(ours(ag.tensor(x.numpy())).data, theirs(x).numpy(), rtol=1e-10, atol=1e-12)


def test_spectral_norm_loads_a_version_none_state_dict_as_torch():
    # found by porting PyTorch's test_nn.py test_spectral_norm_load_state_dict: a state dict of before version 1
    # (weight saved, no weight_v, no metadata) now has its v solved from weight_orig, weight and u, as PyTorch's
    torch = pytest.importorskip("torch")
    theirs, x, state = _torch_spectral_linear(torch, 3)
    old = {key: value for key, value in state.items() if key != "weight_v"}
    old["weight"] = theirs.weight.detach().clone()
    ours = nn.utils.spectral_norm(nn.Linear(3, 5, dtype=np.float64))
    ours.load_state_dict(_ours(old))
    reference = torch.nn.utils.spectral_norm(torch.nn.Linear(3, 5).double())
    reference.load_state_dict(old)
    np.testing.assert_allclose(ours.weight_v.data, reference.weight_v.numpy(), rtol=1e-8)
    for training in (False, True, True, False):
        ours.train(training), reference.train(training)
        with torch.no_grad():
            np.testing.assert_allclose(ours(ag.tensor(x.numpy())).data, reference(x).numpy(), rtol=1e-8)


@pytest.mark.parametrize("dropped", ["weight_orig", "weight_u"])
def test_spectral_norm_version_none_state_dict_missing_a_key_is_reported_by_the_load_hook_as_torch(dropped):
    # (the load hook reports the key it needs and returns, leaving weight unconsumed: the keys match PyTorch's,
    # weight_orig or weight_u listed twice, once by the hook, and no crash with strict=False)
    torch = pytest.importorskip("torch")
    ours, theirs = nn.utils.spectral_norm(nn.Linear(3, 5)), torch.nn.utils.spectral_norm(torch.nn.Linear(3, 5))
    state = {key: value for key, value in theirs.state_dict().items() if key not in ("weight_v", dropped)}
    state["weight"] = theirs.weight.detach().clone()
    expected = theirs.load_state_dict(dict(state), strict=False)
    result = ours.load_state_dict(_ours(state), strict=False)
    assert (result.missing_keys, result.unexpected_keys) == (expected.missing_keys, expected.unexpected_keys)
    assert result.missing_keys.count(dropped) == 2 and result.unexpected_keys == ["weight"]
    with pytest.raises(RuntimeError, match=dropped):
        ours.load_state_dict(_ours(state))



@pytest.mark.parametrize("dim", [-1, 2])
def test_spectral_norm_hooks_bad_dim_is_pytorchs_runtime_error_and_an_index_error(dim):
    # found by porting PyTorch's test_nn.py spectral_norm tests: PyTorch raises RuntimeError for these dims
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        torch.nn.utils.spectral_norm(torch.nn.Linear(2, 2), dim=dim)
    layer = nn.Linear(2, 2)
    for error in (RuntimeError, IndexError):
        with pytest.raises(error, match="spectral_norm: "):
            nn.utils.spectral_norm(layer, dim=dim)
    assert list(layer.state_dict()) == ["weight", "bias"]  # left as it was
