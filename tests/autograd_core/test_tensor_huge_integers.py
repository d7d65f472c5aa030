"""Python integers beyond 64 bits, which NumPy keeps as objects, are refused by ag.tensor with an OverflowError that
says so (it said 'unsupported dtype object'), as torch.tensor(2**64) raises; as floats they are taken."""
import numpy as np
import pytest

import autograd_core as ag


@pytest.mark.parametrize("data, low, high", [
    (2**64, 2**64, 2**64), ([1, 2**70], 1, 2**70), ([1.5, -2**70], -2**70, 1.5), (-2**63 - 1, -2**63 - 1, -2**63 - 1),
])
def test_integers_beyond_64_bits_are_refused_naming_their_range(data, low, high):
    with pytest.raises(OverflowError, match=rf"integers that fit neither int64 nor uint64 \(its numbers run from "
                                            rf"{low} to {high}\); give them as floats"):
        ag.tensor(data)


def test_they_are_taken_as_floats_and_64_bit_integers_stay_integers():
    assert ag.tensor(2**64, dtype=np.float64).item() == 2.0**64
    assert ag.tensor(2**64 - 1).dtype == np.uint64
    assert ag.tensor(-2**63).dtype == np.int64
