"""load_state_dict's result reads as PyTorch's: <All keys matched successfully> when nothing is missing or
unexpected, the named tuple otherwise; it stays a (missing_keys, unexpected_keys) tuple either way."""
import pickle

import nn


def test_a_full_match_reads_as_pytorchs():
    model = nn.Linear(2, 2)
    result = model.load_state_dict(model.state_dict())
    assert repr(result) == "<All keys matched successfully>"
    assert result == ([], []) and result.missing_keys == [] and result.unexpected_keys == []


def test_a_partial_load_shows_its_keys_and_survives_pickle():
    model = nn.Linear(2, 2)
    entries = model.state_dict()
    entries["extra"] = entries.pop("bias")
    result = model.load_state_dict(entries, strict=False)
    assert repr(result) == "IncompatibleKeys(missing_keys=['bias'], unexpected_keys=['extra'])"
    missing, unexpected = pickle.loads(pickle.dumps(result))
    assert (missing, unexpected) == (["bias"], ["extra"])
