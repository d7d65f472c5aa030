"""Copies and pickles of a Tensor, as torch's: a recorded result becomes a leaf of its value, a leaf keeps its name and
requires_grad (with NumPy's old pickle protocols too), pickling drops .grad and deepcopy keeps an independent copy."""
import copy
import pickle

import numpy as np
import pytest

import autograd_core as ag


@pytest.mark.parametrize("duplicate", [lambda t: pickle.loads(pickle.dumps(t)), copy.deepcopy], ids=["pickle", "deepcopy"])
def test_a_recorded_result_pickles_and_copies_as_a_leaf_of_its_value_as_torch_save(duplicate):
    """Its graph holds the rules' functions, which pickle cannot write (it raised a PicklingError)."""
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    y = w * 2
    y.name = "y"
    copied = duplicate(y)
    assert copied.is_leaf and copied.requires_grad and copied.name == "y" and copied.data.tolist() == [2.0, 4.0]
    copied.sum().backward()
    assert w.grad is None and copied.grad.data.tolist() == [1.0, 1.0]


def test_copy_copy_keeps_the_name():
    w = ag.tensor([1.0], requires_grad=True, name="w")
    assert copy.copy(w).name == "w"


@pytest.mark.parametrize("protocol", [0, 1])
def test_a_leaf_pickles_with_the_old_protocols_as_ndarrays_and_torch_tensors_do(protocol):
    # NumPy arrays and torch Tensors round-trip with protocols 0 and 1 too (a recorded result, and protocols 2 to 5,
    # already do here).
    values = np.array([1.0, 2.0])
    assert np.array_equal(pickle.loads(pickle.dumps(values, protocol)), values)
    w = ag.tensor(values, requires_grad=True, name="w")
    copied = pickle.loads(pickle.dumps(w, protocol))
    assert copied.data.tolist() == [1.0, 2.0] and copied.requires_grad and copied.name == "w" and copied.is_leaf


def test_pickling_a_leaf_drops_its_grad_as_torch():
    # torch's Tensor pickles its value and requires_grad, not .grad (copy.deepcopy keeps it; that is separate).
    torch = pytest.importorskip("torch")
    tw = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)
    (tw * tw).sum().backward()
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    (w * w).sum().backward()
    expected = pickle.loads(pickle.dumps(tw)).grad
    assert expected is None
    assert pickle.loads(pickle.dumps(w)).grad is None


def test_deepcopy_of_a_leaf_keeps_an_independent_copy_of_its_grad_as_torch():
    torch = pytest.importorskip("torch")
    tw = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)
    (tw * tw).sum().backward()
    expected = copy.deepcopy(tw).grad
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    (w * w).sum().backward()
    copied = copy.deepcopy(w)
    assert copied.grad is not None and expected is not None
    np.testing.assert_array_equal(copied.grad.data, expected.numpy())
    assert not np.shares_memory(copied.grad.data, w.grad.data)
