"""round(x, decimals) of float16 was np.round's, which scales x by 10**decimals in float16 itself: 62.66 to one
decimal gave 62.6 (626.6 is 626.5 in float16), and -91.8 to three decimals gave -inf (91800 overflows float16).
It is now float32's, rounded once, as torch.round(decimals=)."""
import warnings

import numpy as np
import pytest
try:  # (optional: CI has no PyTorch; the written-out references below run without it)
    import torch
except ImportError:
    torch = None

import autograd_core as ag


def test_float16_round_with_decimals_keeps_its_value():
    x = ag.tensor(np.array([62.66, -91.8, 27.39], np.float16))
    np.testing.assert_array_equal(ag.round(x, 1).numpy(), np.array([62.7, -91.8, 27.4], np.float16))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # (no overflow warning either)
        out = ag.round(x, 3)
    assert np.isfinite(out.numpy()).all() and out.dtype == np.float16
    np.testing.assert_array_equal(out.numpy(), x.numpy())  # (float16 has no digits at 1e-3 there)
    np.testing.assert_array_equal(x.round(1).numpy(), ag.round(x, 1).numpy())
    np.testing.assert_array_equal(np.round(x, 1).numpy(), ag.round(x, 1).numpy())


@pytest.mark.parametrize("decimals", [-5, -2, -1, 0, 1, 2, 3, 5])
def test_float16_round_matches_float32_rounded_once_as_torch_bit_for_bit(decimals):
    rng = np.random.default_rng(decimals + 10)
    x = np.concatenate([rng.uniform(-100, 100, 5000), rng.uniform(-65504, 65504, 500),
                        [0.0, -0.0, np.inf, -np.inf, np.nan, 65504, -65504, 0.125, 2.5, 0.05]]).astype(np.float16)
    ours = ag.round(ag.tensor(x), decimals).numpy()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # torch's, or without it the rule written out: scaled and rounded in float32, cast to float16 once
        theirs = torch.round(torch.tensor(x), decimals=decimals).numpy() if torch is not None else \
            np.round(x.astype(np.float32), decimals).astype(np.float16)
    assert ours.dtype == np.float16
    np.testing.assert_array_equal(ours, theirs)
    np.testing.assert_array_equal(np.signbit(ours), np.signbit(theirs))


def test_float16_round_gradient_is_still_zero_in_float16():
    x = ag.tensor(np.array([1.26, 2.5], np.float16), requires_grad=True)
    ag.round(x, 1).sum().backward()
    assert x.grad.dtype == np.float16
    np.testing.assert_array_equal(x.grad.numpy(), [0, 0])
