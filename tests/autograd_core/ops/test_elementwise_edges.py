"""Edge values of the elementwise functions (autograd_core/ops/elementwise.py) beyond test_elementwise.py: softplus of
float16, computed in float32 and rounded once, as torch's (and as ag.sigmoid's float16), against the float64 rule
(three float16 roundings, max(x, 0) + log1p(exp(-|x|)), are a unit in the last place off for one value in seven)."""
import numpy as np
try:  # (optional: CI has no PyTorch; the written-out references below run without it)
    import torch
except ImportError:
    torch = None

import autograd_core as ag


def _values():
    rng = np.random.default_rng(3)
    return np.concatenate([rng.uniform(-1, 1, 2000), rng.uniform(-10, 10, 2000),
                           10 ** rng.uniform(-7, 4.8, 2000) * rng.choice([-1, 1], 2000),
                           [np.inf, -np.inf, np.nan, 0.0, -0.0, 65504, -65504]]).astype(np.float16)


def test_float16_softplus_is_correctly_rounded_and_torchs_bit_for_bit():
    x = _values()
    ours = ag.softplus(ag.tensor(x)).numpy()
    assert ours.dtype == np.float16
    if torch is not None:
        np.testing.assert_array_equal(ours, torch.nn.functional.softplus(torch.tensor(x)).numpy())
    finite = np.isfinite(x)
    np.testing.assert_array_equal(ours[~finite], [np.inf, 0.0, np.nan])  # (inf, -inf, nan: the float64 rule's)
    np.testing.assert_array_equal(ours[finite], np.logaddexp(0, x[finite].astype(np.float64)).astype(np.float16))
    assert float(ag.softplus(ag.tensor(np.float16(-0.679)))) == float(np.float16(0.41015625))  # (was 0.4099)


def test_float16_softplus_gradient_is_float16_sigmoid():
    x = _values()[:500]
    ours = ag.tensor(x, requires_grad=True)
    ag.softplus(ours).sum().backward()
    assert ours.grad.dtype == np.float16
    np.testing.assert_array_equal(ours.grad.numpy(), ag.sigmoid(ag.tensor(x)).numpy())
