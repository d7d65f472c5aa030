"""F.linear is torch.nn.functional.linear's name for the engine's ag.linear (gradient-checked in
tests/autograd_core/ops/test_arithmetic.py): same keywords, same value and gradients as torch's."""
import numpy as np
import pytest

import autograd_core as ag
import nn.functional as F


def test_linear_is_x_times_weight_transposed_plus_bias_with_torchs_keywords():
    rng = np.random.default_rng(0)
    x, w, b = rng.normal(size=(5, 3)), rng.normal(size=(4, 3)), rng.normal(size=4)
    out = F.linear(input=x, weight=ag.tensor(w), bias=ag.tensor(b))
    np.testing.assert_allclose(out.data, x @ w.T + b, rtol=1e-13)
    assert F.linear(x, ag.tensor(w)).shape == (5, 4)


def test_linear_refuses_mismatched_widths_naming_both_shapes():
    with pytest.raises(ValueError, match=r"linear.*\(2, 3\).*\(4, 5\)"):
        F.linear(np.ones((2, 3)), ag.ones((4, 5)))


def test_linear_matches_torch_values_and_gradients():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(1)
    x, w, b = rng.normal(size=(2, 5, 3)), rng.normal(size=(4, 3)), rng.normal(size=4)
    ours = [ag.tensor(a, requires_grad=True) for a in (x, w, b)]
    theirs = [torch.tensor(a, requires_grad=True) for a in (x, w, b)]
    F.linear(*ours).tanh().sum().backward()
    torch.nn.functional.linear(*theirs).tanh().sum().backward()
    for a, t in zip(ours, theirs):
        np.testing.assert_allclose(a.grad.data, t.grad.numpy(), rtol=1e-12)
