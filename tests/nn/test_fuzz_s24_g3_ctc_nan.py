"""Fuzzer G3 (session 24): a NaN log-probability on a path the target can take makes ctc_loss NaN, as PyTorch's
(it was dropped as if its probability were 0: the loss stayed finite, unchanged or changed). The expected losses
are PyTorch 2.13's."""
import numpy as np
import pytest

import autograd_core as ag
import nn
import nn.functional as F

LOG_PROBS = np.log(np.random.default_rng(0).dirichlet(np.ones(4), size=(6, 2)))
TARGETS, INPUT_LENGTHS, TARGET_LENGTHS = np.array([[1, 2, 3], [2, 2, 0]]), np.array([6, 5]), np.array([3, 2])


@pytest.mark.parametrize("frame, sample, label", [(2, 0, 1), (2, 0, 2), (3, 0, 1), (2, 1, 0), (3, 1, 2)])
def test_nan_log_prob_on_a_path_gives_nan(frame, sample, label):
    log_probs = LOG_PROBS.copy()
    log_probs[frame, sample, label] = np.nan
    losses = F.ctc_loss(ag.tensor(log_probs), TARGETS, INPUT_LENGTHS, TARGET_LENGTHS, reduction="none").data
    assert np.isnan(losses[sample])
    other = 1 - sample
    clean = F.ctc_loss(ag.tensor(LOG_PROBS), TARGETS, INPUT_LENGTHS, TARGET_LENGTHS, reduction="none").data
    assert losses[other] == clean[other]
    assert np.isnan(F.ctc_loss(ag.tensor(log_probs), TARGETS, INPUT_LENGTHS, TARGET_LENGTHS).data)


def test_nan_off_every_path_changes_nothing():
    log_probs = LOG_PROBS.copy()
    log_probs[0, 0, 2] = log_probs[5, 1, 2] = np.nan  # (no alignment reads these: PyTorch's losses are unchanged)
    losses = F.ctc_loss(ag.tensor(log_probs), TARGETS, INPUT_LENGTHS, TARGET_LENGTHS, reduction="none").data
    np.testing.assert_allclose(losses, [2.71189107, 3.59806995], rtol=1e-8)


def test_nan_loss_with_zero_infinity_stays_nan_and_layer_agrees():
    log_probs = LOG_PROBS.copy()
    log_probs[2, 0, 1] = np.nan
    x = ag.tensor(log_probs, requires_grad=True)
    loss = nn.CTCLoss(reduction="sum", zero_infinity=True)(x, TARGETS, INPUT_LENGTHS, TARGET_LENGTHS)
    assert np.isnan(loss.data)  # (zero_infinity zeroes inf, not NaN, as PyTorch's)
    loss.backward()
    assert x.grad.shape == x.shape
