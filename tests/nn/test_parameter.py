"""nn.parameter: PyTorch's torch.nn.parameter path gives nn's own classes (imported, isinstance, registered)."""
import numpy as np
import pytest

import autograd_core as ag
import nn


def test_the_module_path_names_nns_own_classes():
    from nn.parameter import (Buffer, Parameter, UninitializedBuffer, UninitializedParameter,
                              UninitializedTensorMixin, is_lazy)
    assert (Parameter, Buffer, UninitializedParameter, UninitializedBuffer) == (
        nn.Parameter, nn.Buffer, nn.UninitializedParameter, nn.UninitializedBuffer)
    assert issubclass(UninitializedParameter, UninitializedTensorMixin)
    assert is_lazy(nn.LazyLinear(3).weight) and not is_lazy(nn.Linear(2, 3).weight)


def test_reached_as_an_attribute_after_import_nn():
    # DeepCTR-Torch: isinstance(weight_list, torch.nn.parameter.Parameter)
    linear = nn.Linear(2, 3)
    assert isinstance(linear.weight, nn.parameter.Parameter)
    assert not isinstance(ag.zeros((2,)), nn.parameter.Parameter)


def test_a_parameter_made_from_the_module_path_is_registered_and_trained():
    # dlrm's QREmbeddingBag: self.weight_q = Parameter(torch.Tensor(n, m)) then nn.init.uniform_
    from nn.parameter import Parameter

    class Table(nn.Module):
        def __init__(self):
            super().__init__()
            self.weight_q = Parameter(ag.empty((4, 2)))
            nn.init.uniform_(self.weight_q, 0.5, rng=0)

    table = Table()
    assert [name for name, _ in table.named_parameters()] == ["weight_q"]
    table.weight_q.sum().backward()
    np.testing.assert_array_equal(table.weight_q.grad.data, np.ones((4, 2)))
    assert np.all((table.weight_q.data >= 0.5) & (table.weight_q.data <= 1.0))


def test_names_match_torchs_module():
    torch_parameter = pytest.importorskip("torch.nn.parameter")
    wanted = {"Parameter", "Buffer", "UninitializedParameter", "UninitializedBuffer", "UninitializedTensorMixin",
              "is_lazy"}
    assert wanted <= set(dir(torch_parameter))
    assert set(nn.parameter.__all__) == wanted
