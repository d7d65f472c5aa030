"""binary_cross_entropy_with_logits of logits that are no floats (found by fuzzing against PyTorch, session 25): bools
raised NumPy's message about the `-` operator from the engine's negative, naming neither the loss nor what to pass;
integers were taken, which PyTorch refuses too. Both are refused now with the loss's own TypeError."""
import numpy as np
import pytest

import autograd_core as ag
import nn
import nn.functional as F


@pytest.mark.parametrize("logits", [np.array([[True, False]]), np.array([[1, -2]]), np.array([[1, -2]], np.int32),
                                    ag.tensor(np.array([[3, 0]], np.uint8))], ids=["bool", "int64", "int32", "uint8"])
def test_logits_that_are_no_floats_are_refused_naming_the_loss(logits):
    pattern = r"binary_cross_entropy_with_logits: expected an input of a float dtype .*got (bool|u?int\d+)"
    with pytest.raises(TypeError, match=pattern):
        F.binary_cross_entropy_with_logits(logits, np.array([[1.0, 0.0]]))
    with pytest.raises(TypeError, match=pattern):
        nn.BCEWithLogitsLoss(pos_weight=np.array([2.0, 1.0]))(logits, np.array([[1.0, 0.0]]))


def test_float_logits_of_either_precision_are_taken_as_before():
    for dtype in (np.float16, np.float32, np.float64):
        loss = F.binary_cross_entropy_with_logits(np.array([[0.0, 0.0]], dtype), np.array([[1.0, 0.0]]))
        assert loss.dtype == dtype and abs(loss.item() - np.log(2)) < 1e-3
