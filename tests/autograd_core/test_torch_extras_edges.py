"""Edges of PyTorch's names in autograd_core/torch_extras.py: t.values and t.indices, the fields of PyTorch's
max(dim) pair, raise an AttributeError that names the spellings here (amax, argmax), which give torch's numbers."""
import re

import numpy as np
import pytest

import autograd_core as ag

Q_VALUES = np.array([[0.25, -1.0], [3.0, 3.5], [-2.0, -4.0]])


@pytest.mark.parametrize("field, advice", [("values", "t.amax(dim)"), ("indices", "t.argmax(dim)")])
def test_max_dim_field_raises_attribute_error_naming_the_spelling_here(field, advice):
    q = ag.tensor(Q_VALUES, requires_grad=True)
    with pytest.raises(AttributeError, match=rf"no attribute '{field}'.*{re.escape(advice)}"):
        getattr(q.max(1), field)
    with ag.no_grad(), pytest.raises(AttributeError, match="values alone here"):  # DQN's epsilon-greedy branch
        getattr(q.max(1), field)


def test_fields_stay_absent_for_hasattr_and_getattr_with_a_default():
    q = ag.tensor(Q_VALUES)
    assert not hasattr(q, "values") and not hasattr(q, "indices")
    assert getattr(q, "values", None) is None and getattr(q, "indices", "absent") == "absent"


def test_the_named_spellings_give_torchs_values_and_indices():
    q = ag.tensor(Q_VALUES)
    assert np.array_equal(q.amax(1).numpy(), Q_VALUES.max(1))
    assert np.array_equal(q.argmax(1).view(-1, 1).numpy(), Q_VALUES.argmax(1)[:, None])
    torch = pytest.importorskip("torch")
    result = torch.tensor(Q_VALUES).max(1)
    assert np.array_equal(q.amax(1).numpy(), result.values.numpy())
    assert np.array_equal(q.argmax(1).numpy(), result.indices.numpy())


def test_an_attribute_of_the_tensors_own_by_that_name_is_kept():
    q = ag.tensor(Q_VALUES)
    q.indices = [0, 2]  # (a Tensor's own attributes, as `out.g = ...`)
    assert q.indices == [0, 2]
    with pytest.raises(AttributeError, match="t.amax"):
        ag.tensor(Q_VALUES).values
