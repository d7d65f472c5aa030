"""Tensors and NumPy arrays handed back and forth (Tensor.numpy, ag.from_numpy, ag.tensor of arrays), found by
porting PyTorch's test_numpy_interop.py."""
import warnings

import numpy as np
import pytest

import autograd_core as ag


@pytest.mark.parametrize("requires_grad", [False, True])
def test_numpy_takes_pytorchs_force_argument(requires_grad):
    """numpy(force=True) is t.detach().numpy(): writable and sharing memory, also for a Tensor that requires grad
    (whose plain numpy() stays the read-only view); force=False is the default."""
    t = ag.tensor([[1.0, -2.0], [-1.0, 3.0]], requires_grad=requires_grad)
    plain = t.numpy(force=False)
    assert plain.flags.writeable is not requires_grad
    forced = t.numpy(force=True)
    assert forced.flags.writeable and np.shares_memory(forced, t.data)
    np.testing.assert_array_equal(forced, [[1.0, -2.0], [-1.0, 3.0]])
    torch = pytest.importorskip("torch")
    theirs = torch.tensor([[1.0, -2.0], [-1.0, 3.0]], requires_grad=requires_grad)
    np.testing.assert_array_equal(forced, theirs.numpy(force=True))
    with pytest.raises(TypeError):
        t.numpy(True)  # keyword only, as PyTorch's
    with pytest.raises(TypeError):
        theirs.numpy(True)


def test_from_numpy_refuses_strides_that_are_not_whole_elements_as_torch():
    """An array whose strides are not a multiple of its item size (3 bytes for float64) was taken, giving
    stride() and storage_offset() in fractions of elements; PyTorch refuses it with a ValueError."""
    x = np.array([3.0, 5.0, 8.0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # (setting strides is deprecated in NumPy 2.4)
        x.strides = (3,)
    with pytest.raises(ValueError, match=r"from_numpy: the array's strides \(3,\) \(bytes\) are not a multiple of its "
                                         r"element size 8"):
        ag.from_numpy(x)
    torch = pytest.importorskip("torch")
    with pytest.raises(ValueError):
        torch.from_numpy(x)
    # whole-element strides (a transpose, a step, a broadcast's 0) are taken, sharing memory
    base = np.arange(12.0).reshape(3, 4)
    for view in (base.T, base[::2, 1::2], np.broadcast_to(base[0], (2, 4))):
        t = ag.from_numpy(view)
        assert np.shares_memory(t.data, base) and t.stride() == tuple(s // 8 for s in view.strides)


@pytest.mark.parametrize("data", [
    [[1.0, 2.0], [3.0]],
    [np.zeros((3, 3)), np.zeros((3, 0))],
    [[np.zeros((3, 3)), np.zeros((3, 2))]],
    [[1, 2, 3], np.zeros(2)],
])
def test_ragged_data_raises_a_value_error_as_numpy_and_torch_still_a_type_error(data):
    """Sequences of unequal lengths raised TypeError alone, where NumPy and PyTorch raise ValueError ("expected
    sequence of length"); the error is both now."""
    with pytest.raises(ValueError, match=r"Tensor: cannot make an array of list data: .*inhomogeneous") as caught:
        ag.tensor(data)
    assert isinstance(caught.value, TypeError)
    with pytest.raises(ValueError):
        np.array(data)
    torch = pytest.importorskip("torch")
    with pytest.raises(ValueError):
        torch.tensor(data)
    with pytest.raises(TypeError) as caught:  # other data it cannot take stays a TypeError alone
        ag.tensor([object()])
    assert not isinstance(caught.value, ValueError)
