"""Fuzzer F3 (session 26): unique without return_index is NumPy's to the bit.

Without return_index NumPy's unique sorts unstably, so which of the equal -0.0 and 0.0 its values hold, and the order
in which equal_nan=False lists the NaNs (so return_inverse), are its own; unique took the first occurrences (a stable
sort), giving -0.0 where NumPy gives 0.0 in about one case in five with both zeros, and another inverse for the NaNs.
Each value's gradient still goes to an entry that its inverse sends there.
"""
import numpy as np
import pytest

import autograd_core as ag


def test_the_fuzzed_cases():
    x = np.array([-0.0, -1.0, np.nan, -1.0, np.nan, -0.0, 0.0, 1.0, -0.0, 0.0, np.nan], np.float32)
    for flags in ({}, {"return_counts": True}, {"return_inverse": True}):
        for equal_nan in (True, False):
            expected = np.unique(x, equal_nan=equal_nan, **flags)
            out = ag.unique(x, equal_nan=equal_nan, **flags)
            expected, out = (expected, out) if flags else ((expected,), (out,))
            for a, b in zip(expected, out):
                assert a.dtype == b.dtype and a.tobytes() == b.data.tobytes(), (flags, equal_nan, a, b)


@pytest.mark.parametrize("equal_nan", [True, False])
def test_random_zeros_and_nans_match_numpys_and_gradients_follow_the_inverse(equal_nan):
    rng = np.random.default_rng(5)
    for _ in range(300):
        x = rng.choice([0.0, -0.0, 1.0, -1.0, np.nan], size=int(rng.integers(1, 30)))
        x = x.astype(rng.choice([np.float32, np.float64]))
        flags = {"return_inverse": bool(rng.random() < 0.5), "return_counts": bool(rng.random() < 0.5)}
        expected = np.unique(x, equal_nan=equal_nan, **flags)
        t = ag.tensor(x, requires_grad=True)
        out = ag.unique(t, equal_nan=equal_nan, **flags)
        expected, out = (expected, out) if isinstance(expected, tuple) else ((expected,), (out,))
        for a, b in zip(expected, out):
            assert a.dtype == b.dtype and a.tobytes() == b.data.tobytes()
        out[0].sum().backward()
        if flags["return_inverse"]:
            inverse, grad = out[1].data.ravel(), t.grad.data
            for k in range(out[0].shape[0]):
                assert grad[inverse == k].sum() == 1
