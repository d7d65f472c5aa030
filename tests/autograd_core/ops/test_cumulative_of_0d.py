"""cumsum and cumprod of a 0-d Tensor with PyTorch's dim=: a 0-d result, into out= too (review R1 of session 40)."""
import numpy as np
import pytest

import autograd_core as ag


@pytest.mark.parametrize("name", ["cumsum", "cumprod"])
@pytest.mark.parametrize("dim", [0, -1])
def test_0d_running_result_goes_into_a_0d_out(name, dim):
    out = ag.empty((), dtype=np.float32)
    got = getattr(ag, name)(ag.tensor(2.5), dim=dim, out=out)
    assert got is out and out.shape == () and out.dtype == np.float32 and float(out) == 2.5
    with pytest.raises(ValueError, match=name):  # (NumPy's (1,) result is not what a 0-d x gives)
        getattr(ag, name)(ag.tensor(2.5), dim=dim, out=ag.empty(1))


@pytest.mark.parametrize("name", ["cumsum", "cumprod"])
def test_0d_running_result_into_out_as_torch(name):
    torch = pytest.importorskip("torch")
    out_t = torch.empty(())
    getattr(torch, name)(torch.tensor(2.5), dim=0, out=out_t)
    out = ag.empty(())
    getattr(ag, name)(ag.tensor(2.5), dim=0, out=out)
    assert out.shape == tuple(out_t.shape) and float(out) == out_t.item()
