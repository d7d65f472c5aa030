"""F1's fuzzing of t.to's argument forms against PyTorch: non_blocking and copy may follow the dtype, the device or
the Tensor positionally, as in PyTorch (to(torch.float32, True) was refused as "dtype given twice"); a flag where a
dtype or device belongs is refused, naming it."""
import numpy as np
import pytest

import autograd_core as ag

torch = pytest.importorskip("torch")


@pytest.mark.parametrize("args", [(np.float32, True), (np.float64, False, True), ("cpu", np.float32, False),
                                  ("cpu", np.float64, True, True)])
def test_positional_non_blocking_and_copy_are_taken(args):
    t = ag.tensor([1.0, 2.0], requires_grad=True)
    their_args = tuple(getattr(torch, np.dtype(a).name) if isinstance(a, type) else a for a in args)
    expected = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)
    theirs = expected.to(*their_args)
    ours = t.to(*args)
    assert ours.dtype == theirs.detach().numpy().dtype
    assert (ours is t) == (theirs is expected)
    ours.sum().backward()
    assert t.grad.tolist() == [1.0, 1.0]


def test_another_tensor_then_flags():
    t, other = ag.tensor([1.0, 2.0]), ag.tensor([1], dtype=np.int32)
    assert t.to(other, False, True).dtype == np.int32
    same = ag.tensor([0.0])
    assert t.to(same, False, True) is not t and t.to(same, False) is t


@pytest.mark.parametrize("args", [(True,), (np.float32, True, True, True)])
def test_a_flag_where_a_dtype_belongs_is_refused(args):
    with pytest.raises(TypeError, match="to: got True where a dtype, a device or a Tensor belongs"):
        ag.tensor([1.0]).to(*args)
