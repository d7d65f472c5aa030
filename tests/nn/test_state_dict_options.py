"""Module.state_dict's PyTorch options: prefix, destination and keep_vars, against torch.nn where installed."""
from collections import OrderedDict

import numpy as np
import pytest

import nn


def _model():
    return nn.Sequential(nn.Linear(3, 4, rng=0), nn.BatchNorm1d(4), nn.Linear(4, 2, rng=1))


def test_prefix_goes_before_every_name_and_the_values_are_copies():
    model = _model()
    plain, prefixed = model.state_dict(), model.state_dict(prefix="net.")
    assert list(prefixed) == ["net." + name for name in plain]
    for name, value in plain.items():
        assert np.array_equal(prefixed["net." + name], value)
    prefixed["net.0.weight"][...] = 7.0  # a copy: the model is unchanged
    assert not (model[0].weight.data == 7.0).any()


def test_destination_receives_the_entries_and_is_returned():
    model, destination = _model(), OrderedDict(first=np.zeros(1))
    result = model.state_dict(destination=destination, prefix="m.")
    assert result is destination
    assert list(result) == ["first"] + ["m." + name for name in model.state_dict()]


def test_keep_vars_gives_the_parameters_and_buffers_themselves():
    model = _model()
    kept = model.state_dict(keep_vars=True)
    assert kept["0.weight"] is model[0].weight and kept["1.running_mean"] is model[1].running_mean
    assert list(kept) == list(model.state_dict())


@pytest.mark.parametrize("call, error, message", [
    (lambda m: m.state_dict(prefix=1), TypeError, "Sequential.state_dict: prefix must be a string"),
    (lambda m: m.state_dict(destination=[]), TypeError, "destination must be a dict to receive the entries"),
    (lambda m: m.state_dict(keep_vars="yes"), TypeError, "keep_vars"),
])
def test_bad_options_are_refused(call, error, message):
    with pytest.raises(error, match=message):
        call(_model())


def test_the_options_give_torchs_keys():
    torch = pytest.importorskip("torch")
    ours = _model()
    theirs = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.BatchNorm1d(4), torch.nn.Linear(4, 2))
    assert list(ours.state_dict(prefix="p.")) == list(theirs.state_dict(prefix="p."))
    assert list(ours.state_dict(keep_vars=True)) == list(theirs.state_dict(keep_vars=True))


@pytest.mark.parametrize("make", [lambda: nn.BatchNorm1d(4), lambda: nn.BatchNorm2d(4),
                                  lambda: nn.InstanceNorm1d(4, track_running_stats=True)])
def test_a_checkpoint_without_num_batches_tracked_loads_and_keeps_the_count(make):
    # PyTorch's BatchNorm before its version 2 saved no num_batches_tracked; loading such a dict keeps the count
    layer = make()
    layer.num_batches_tracked.data[...] = 5
    old = {k: v + 1 for k, v in layer.state_dict().items() if k != "num_batches_tracked"}
    assert layer.load_state_dict(old) == ([], [])
    assert int(layer.num_batches_tracked.data) == 5
    assert np.array_equal(layer.running_mean.data, old["running_mean"])
    model = nn.Sequential(nn.Linear(4, 4, rng=0), make())
    state = {k: v for k, v in model.state_dict().items() if not k.endswith("num_batches_tracked")}
    assert model.load_state_dict(state) == ([], [])
    state.pop("1.running_mean")  # any other entry is still missing
    with pytest.raises(ValueError, match=r"missing keys .*'1.running_mean'"):
        model.load_state_dict(state)


def test_torch_loads_the_same_old_checkpoint():
    torch = pytest.importorskip("torch")
    theirs = torch.nn.BatchNorm1d(4)
    old = {k: v for k, v in theirs.state_dict().items() if k != "num_batches_tracked"}
    assert theirs.load_state_dict(old).missing_keys == []
