"""nn.utils.parameters_to_vector and vector_to_parameters (nn/utils/convert_parameters.py): order and values as
torch's, the vector differentiable, the round trip, dtypes, and the errors."""
import numpy as np
import pytest

import autograd_core as ag
import nn
from nn.utils import parameters_to_vector, vector_to_parameters


def _net(dtype=np.float64):
    return nn.Sequential(nn.Linear(3, 2, dtype=dtype, rng=0), nn.Tanh(), nn.Bilinear(2, 2, 1, dtype=dtype, rng=1))


def test_vector_is_the_flattened_parameters_in_order():
    net = _net()
    v = parameters_to_vector(net.parameters())
    expected = np.concatenate([p.data.ravel() for p in net.parameters()])
    assert v.shape == (6 + 2 + 4 + 1,) and v.dtype == np.float64
    np.testing.assert_array_equal(v.data, expected)


def test_the_vector_is_differentiable():
    net = _net()
    v = parameters_to_vector(net.parameters())
    (v * ag.tensor(np.arange(v.size, dtype=np.float64))).sum().backward()
    start = 0
    for p in net.parameters():
        np.testing.assert_array_equal(p.grad.data.ravel(), np.arange(start, start + p.size))
        start += p.size


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_round_trip_and_cast(dtype):
    net = _net(dtype)
    values = np.linspace(-1, 1, 13)
    vector_to_parameters(ag.tensor(values), net.parameters())
    assert all(p.dtype == dtype for p in net.parameters())
    np.testing.assert_allclose(parameters_to_vector(net.parameters()).data, values.astype(dtype))
    assert not parameters_to_vector(net.parameters()).data.base is values


def test_against_torch():
    torch = pytest.importorskip("torch")
    ours = _net()
    theirs = torch.nn.Sequential(torch.nn.Linear(3, 2), torch.nn.Tanh(), torch.nn.Bilinear(2, 2, 1)).double()
    theirs.load_state_dict({k: torch.tensor(np.asarray(v)) for k, v in ours.state_dict().items()})
    np.testing.assert_array_equal(parameters_to_vector(ours.parameters()).data,
                                  torch.nn.utils.parameters_to_vector(theirs.parameters()).detach().numpy())
    values = np.random.default_rng(0).normal(size=13)
    vector_to_parameters(ag.tensor(values), ours.parameters())
    torch.nn.utils.vector_to_parameters(torch.tensor(values), theirs.parameters())
    for key, value in theirs.state_dict().items():
        np.testing.assert_array_equal(np.asarray(ours.state_dict()[key]), value.numpy())


@pytest.mark.parametrize("call, error, match", [
    (lambda net: vector_to_parameters(np.zeros(13), net.parameters()), TypeError, "expected vec to be a Tensor"),
    (lambda net: vector_to_parameters(ag.zeros(12), net.parameters()), ValueError,
     r"1-D Tensor of 13 entries.*\(12,\)"),
    (lambda net: vector_to_parameters(ag.zeros((13, 1)), net.parameters()), ValueError, "1-D Tensor of 13"),
    (lambda net: parameters_to_vector(net.parameters() and 3), TypeError, "iterable of Tensors"),
    (lambda net: parameters_to_vector([np.ones(2)]), TypeError, "must be Tensors, got ndarray at position 0"),
    (lambda net: parameters_to_vector([]), ValueError, "parameters is empty"),
])
def test_errors(call, error, match):
    with pytest.raises(error, match=match):
        call(_net())


def test_a_single_tensor_gives_itself_flattened_as_torch():
    # found by porting PyTorch's test_nn.py parameters_to_vector tests: a Tensor was refused (PyTorch's iterates
    # its rows, which joined are the Tensor flattened)
    torch = pytest.importorskip("torch")
    values = np.arange(6.0).reshape(2, 3)
    vector = parameters_to_vector(ag.tensor(values, requires_grad=True))
    np.testing.assert_array_equal(vector.data, torch.nn.utils.parameters_to_vector(torch.tensor(values)).numpy())
    vector.sum().backward()
    with pytest.raises(TypeError, match="iterable of Tensors"):
        parameters_to_vector(ag.tensor(1.0))  # (PyTorch's: iteration over a 0-d tensor)


def test_a_vec_of_the_wrong_length_is_pytorchs_runtime_error_too():
    # found by porting PyTorch's test_nn.py vector_to_parameters tests: PyTorch raises RuntimeError (its view)
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        torch.nn.utils.vector_to_parameters(torch.zeros(2), [torch.zeros(3)])
    for error in (RuntimeError, ValueError):
        with pytest.raises(error, match=r"vector_to_parameters: vec must be a 1-D Tensor of 3 entries"):
            vector_to_parameters(ag.zeros(2), [ag.zeros(3)])
