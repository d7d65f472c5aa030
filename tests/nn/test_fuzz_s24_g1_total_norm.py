"""get_total_norm / clip_grad_norm_ refuse what torch.nn.utils.get_total_norm refuses."""
import numpy as np
import pytest

import autograd_core as ag
from nn.utils import get_total_norm


@pytest.mark.parametrize("values", [np.array([3, 4]), np.array([True, True]), np.array([1], dtype=np.uint8)])
def test_integer_and_boolean_tensors_are_refused(values):
    # (it returned the norm cast to their dtype: Tensor(5), Tensor(True), a wrong number for [1, 1])
    with pytest.raises(TypeError, match=r"get_total_norm: the tensors must be floats.*dtype"):
        get_total_norm([ag.tensor(np.array([1.0])), ag.tensor(values)])


@pytest.mark.parametrize("norm_type", [-1.0, -0.5, -np.inf, np.inf])
def test_negative_norm_of_an_empty_tensor_is_refused(norm_type):
    # (it returned inf with a NumPy divide warning; torch's vector_norm refuses: no identity)
    with pytest.raises(RuntimeError, match=r"norm of an empty tensor \(shape \(0,\)\)"):
        get_total_norm([ag.tensor(np.zeros(0)), ag.tensor(np.ones(2))], norm_type)


@pytest.mark.parametrize("norm_type", [0.5, 2.0, 3.0])
def test_nonnegative_norm_of_an_empty_tensor_is_taken(norm_type):
    total = get_total_norm([ag.tensor(np.zeros(0)), ag.tensor(np.array([3.0, 4.0]))], norm_type)
    np.testing.assert_allclose(total.data, np.linalg.norm([3.0, 4.0], norm_type))
