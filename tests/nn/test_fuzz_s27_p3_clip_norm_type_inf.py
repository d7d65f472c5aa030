"""Session 27 (P3): clip_grad_norm_ and get_total_norm take norm_type="inf", which PyTorch documents ("Can be 'inf'
for infinity norm"), as inf; they raised TypeError ("norm_type must be a number"). Other text stays refused.
"""
import numpy as np
import pytest

import autograd_core as ag
import nn


def _weights():
    w = nn.Parameter(np.zeros(3))
    w.grad = ag.tensor([3.0, -4.0, 1.0])
    return w


def test_norm_type_text_inf_is_the_max_norm():
    w = _weights()
    total = nn.utils.clip_grad_norm_([w], 2.0, norm_type="inf")
    assert float(total) == 4.0
    np.testing.assert_allclose(w.grad.data, np.array([3.0, -4.0, 1.0]) * 2.0 / (4.0 + 1e-6))
    assert float(nn.utils.get_total_norm([ag.tensor([3.0, -4.0])], norm_type="inf")) == 4.0
    assert float(nn.utils.get_total_norm([ag.tensor([3.0, -4.0])], norm_type="-inf")) == 3.0


def test_the_same_as_pytorch():
    torch = pytest.importorskip("torch")
    p = torch.nn.Parameter(torch.zeros(3, dtype=torch.float64))
    p.grad = torch.tensor([3.0, -4.0, 1.0], dtype=torch.float64)
    expected = torch.nn.utils.clip_grad_norm_([p], 2.0, norm_type="inf")
    w = _weights()
    assert float(nn.utils.clip_grad_norm_([w], 2.0, norm_type="inf")) == float(expected)
    np.testing.assert_allclose(w.grad.data, p.grad.numpy(), rtol=1e-15)


@pytest.mark.parametrize("text", ["fro", "2", "max", "Inf"])
def test_other_text_is_still_refused(text):
    with pytest.raises(TypeError, match="norm_type"):
        nn.utils.clip_grad_norm_([_weights()], 1.0, norm_type=text)
