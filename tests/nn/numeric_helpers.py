"""Helpers shared by the nn tests (no tests here): a function's values and gradients at given inputs (NaN and
infinities among them), ours and PyTorch's. torch is imported only when a comparison asks for it, so the tests that
use these helpers run without it."""
import numpy as np
import pytest

import autograd_core as ag


def value_and_grads(f, *arrays):
    """f's value at the float64 Tensors of arrays, and their gradients for the cotangent of ones."""
    tensors = [ag.tensor(np.asarray(a, dtype=np.float64), requires_grad=True) for a in arrays]
    y = f(*tensors)
    y.sum().backward()
    return y.data, [t.grad.data for t in tensors]


def torch_value_and_grads(f, *arrays):
    """The same for f of torch tensors (the test is skipped without torch)."""
    torch = pytest.importorskip("torch")
    tensors = [torch.tensor(np.asarray(a, dtype=np.float64), requires_grad=True) for a in arrays]
    y = f(*tensors)
    y.sum().backward()
    return y.detach().numpy(), [t.grad.numpy() for t in tensors]
