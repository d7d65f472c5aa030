"""Edge conventions of nn decided in session 24: gradients at NaN (rrelu, the shrinks, the losses clamped at 0),
integer and mixed-dtype inputs (pad_sequence, Softmax2d, unfold/fold, interpolate), fold's output_size as an array,
ragged attention masks, conv_transpose's weight gradient with NaN in the cropped region, pooling an empty channel
axis, and the layer and group norms with eps=0 on constant input.

Each checks our values without torch (NumPy references or explicit expectations); the comparisons with torch skip
when torch is missing."""
import warnings

import numpy as np
import pytest

import autograd_core as ag
import nn
import nn.functional as F
from autograd_core.testing import gradcheck
from nn._attention_functions import AttentionError
from nn.utils.rnn import pad_sequence

NAN = np.nan


def _torch():
    return pytest.importorskip("torch")


def _value_and_grads(f, *arrays):
    tensors = [ag.tensor(np.asarray(a, dtype=np.float64), requires_grad=True) for a in arrays]
    y = f(*tensors)
    y.sum().backward()
    return y.data, [t.grad.data for t in tensors]


def _torch_value_and_grads(f, *arrays):
    torch = _torch()
    tensors = [torch.tensor(np.asarray(a, dtype=np.float64), requires_grad=True) for a in arrays]
    y = f(*tensors)
    y.sum().backward()
    return y.detach().numpy(), [t.grad.numpy() for t in tensors]


# ---- layer and group norms with eps=0 on constant input: NaN, as torch's -----------------------------------------
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("norm", [lambda t: F.layer_norm(t, (3,), eps=0.0), lambda t: F.group_norm(t, 2, eps=0.0),
                                  lambda t: F.layer_norm(t, (3,), weight=ag.ones(3), bias=ag.zeros(3), eps=0.0)],
                         ids=["layer_norm", "group_norm", "layer_norm_affine"])
def test_norms_eps_zero_constant_input_give_nan(norm, dtype):
    x = ag.tensor(np.full((2, 4, 3), 5.0, dtype), requires_grad=True)  # (a mean computed exactly)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # (0 / 0)
        y = norm(x)
        y.sum().backward()
    assert np.isnan(y.data).all() and np.isnan(x.grad.data).all()


def test_norms_eps_zero_constant_input_whose_mean_rounds():
    # kept: our mean of 0.1 three times is sum / 3, one unit above 0.1, so x - mean is that unit and var its square:
    # the result is -1 (+1), where PyTorch's running mean stays exactly 0.1 and gives 0 / 0 = NaN
    x = np.full((2, 4, 3), 0.1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        y = F.layer_norm(ag.tensor(x), (3,), eps=0.0)
    assert np.isfinite(y.data).all() and np.all(np.abs(y.data) == 1)
    np.testing.assert_allclose(F.layer_norm(ag.tensor(x), (3,)).data, 0.0, atol=1e-5)  # the default eps: ~0


def test_norms_eps_zero_constant_input_match_torch():
    torch = _torch()
    x = np.full((2, 4, 3), 5.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        for ours, theirs in ((lambda t: F.layer_norm(t, (3,), eps=0.0),
                              lambda t: torch.nn.functional.layer_norm(t, (3,), eps=0.0)),
                             (lambda t: F.group_norm(t, 2, eps=0.0),
                              lambda t: torch.nn.functional.group_norm(t, 2, eps=0.0))):
            a, b = _value_and_grads(ours, x), _torch_value_and_grads(theirs, x)
            np.testing.assert_array_equal(np.isnan(a[0]), np.isnan(b[0]))
            np.testing.assert_array_equal(np.isnan(a[1][0]), np.isnan(b[1][0]))
