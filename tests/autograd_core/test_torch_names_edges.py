"""PyTorch's names for Tensor methods (autograd_core/torch_names.py; test_torch_names.py has the rest) that code
written for a device or for torch's iteration reads: t.device, the CPU's name as NumPy 2 gives it, and reversed(t),
the rows in reverse order as one Tensor (d2l.ai's bidirectional RNN from scratch, `self.b_rnn(reversed(inputs))`)."""
import numpy as np
import pytest

import autograd_core as ag
import nn


def test_device_is_the_cpu_as_numpy_names_it():
    x = ag.ones((2, 3), requires_grad=True)
    assert x.device == "cpu" == np.ones(2).device  # (NumPy 2's ndarray.device)
    assert (2 * x).device == "cpu" and nn.Parameter(ag.zeros(2)).device == "cpu"


def test_code_written_for_a_device_runs_unchanged():
    # d2l.ai: torch.zeros(shape, device=X.device), t.to(X.device), `if a.device != X.device`
    x = ag.ones((2, 3))
    assert ag.zeros((3, 4), device=x.device).shape == (3, 4)
    assert ag.arange(4, dtype=np.float32, device=x.device).dtype == np.float32
    assert x.to(x.device) is x and not (x.device != ag.zeros(1).device)


def test_device_matches_torch_by_name():
    torch = pytest.importorskip("torch")
    assert str(torch.ones(2).device) == ag.ones(2).device


def test_reversed_gives_the_rows_in_reverse_order_as_one_tensor():
    x = ag.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], requires_grad=True)
    r = reversed(x)
    assert isinstance(r, ag.Tensor) and r.tolist() == [[5.0, 6.0], [3.0, 4.0], [1.0, 2.0]]
    assert [row.tolist() for row in reversed(x)] == [row.tolist() for row in reversed(list(x))]  # as NumPy iterates
    (r * ag.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [[5.0, 6.0], [3.0, 4.0], [1.0, 2.0]])  # each row's weight, reversed
    assert reversed(ag.tensor(3.0)).item() == 3.0  # a 0-d Tensor is itself, as PyTorch's


def test_reversed_matches_torch():
    torch = pytest.importorskip("torch")
    x = np.arange(24.0).reshape(2, 3, 4)
    np.testing.assert_array_equal(reversed(ag.tensor(x)).data, reversed(torch.tensor(x)).numpy())
    assert reversed(ag.tensor(x)).shape == tuple(reversed(torch.tensor(x)).shape)
