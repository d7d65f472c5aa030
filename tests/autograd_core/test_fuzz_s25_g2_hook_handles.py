"""Tensor.register_hook's handle as PyTorch's (found fuzzing the hook API against torch in session 25): a context
manager that removes the hook on the way out (it raised Python's bare 'does not support the context manager
protocol'), with an id, as nn's module-hook handles already were."""
import numpy as np
import pytest

import autograd_core as ag


def test_a_hook_handle_is_a_context_manager_removing_the_hook_on_exit():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    with x.register_hook(lambda g: g * 10) as handle:
        (x * 1).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [10.0, 10.0])
    (x * 1).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [11.0, 11.0])
    handle.remove()  # again: nothing


def test_the_hook_is_removed_when_the_block_raises():
    x = ag.tensor([1.0], requires_grad=True)
    with pytest.raises(ZeroDivisionError):
        with x.register_hook(lambda g: g * 10):
            1 / 0
    (x * 1).sum().backward()
    assert float(x.grad) == 1.0


def test_handles_have_distinct_ids():
    x = ag.tensor([1.0], requires_grad=True)
    a, b = x.register_hook(lambda g: None), x.register_hook(lambda g: None)
    assert isinstance(a.id, int) and a.id != b.id


def test_the_same_program_in_torch():
    torch = pytest.importorskip("torch")
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    with x.register_hook(lambda g: g * 10):
        (x * 1).sum().backward()
    (x * 1).sum().backward()
    assert x.grad.tolist() == [11.0, 11.0]
