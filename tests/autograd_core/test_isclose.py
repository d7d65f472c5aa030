"""ag.isclose and ag.allclose (torch_functions.py) against torch.isclose: one mask, torch's algorithm (equal, or both
NaN with equal_nan, or a finite difference within atol + |rtol * other|), which ag.testing.assert_close shares, and
the refusal of operands that are not numbers."""
import numpy as np
import pytest

import autograd_core as ag
from autograd_core.testing import comparison

VALUES = np.array([0.0, 1.0, -1.0, 1.0 + 1e-9, 1e-9, np.inf, -np.inf, np.nan, 2.0, 1e300])


@pytest.mark.parametrize("equal_nan", [False, True])
@pytest.mark.parametrize("rtol, atol", [(1e-5, 1e-8), (0.0, 0.0), (0.0, 0.5), (0.1, 0.0)])
def test_isclose_is_torchs_mask_for_floats_infinities_and_nans(rtol, atol, equal_nan):
    torch = pytest.importorskip("torch")
    a, b = np.repeat(VALUES, len(VALUES)), np.tile(VALUES, len(VALUES))  # every pair
    ours = ag.isclose(ag.tensor(a), ag.tensor(b), rtol=rtol, atol=atol, equal_nan=equal_nan)
    theirs = torch.isclose(torch.tensor(a), torch.tensor(b), rtol=rtol, atol=atol, equal_nan=equal_nan)
    np.testing.assert_array_equal(ours.data, theirs.numpy())
    assert ag.allclose(ag.tensor(a), ag.tensor(b), rtol, atol, equal_nan) == torch.allclose(
        torch.tensor(a), torch.tensor(b), rtol, atol, equal_nan)


@pytest.mark.parametrize("dtype", [np.uint8, np.int8, np.int64, np.bool_])
@pytest.mark.parametrize("rtol, atol", [(1e-5, 1e-8), (0.0, 0.0), (0.0, 1.0)])
def test_isclose_of_integers_and_bools_is_torchs_without_wrapping(dtype, rtol, atol):
    torch = pytest.importorskip("torch")
    a = np.array([0, 1, 2, 1, 0], dtype=dtype)
    b = np.array([1, 0, 2, 1, 0], dtype=dtype) if dtype is np.bool_ else np.array([1, 0, 0, 1, 2], dtype=dtype)
    ours = ag.isclose(ag.tensor(a), ag.tensor(b), rtol=rtol, atol=atol)
    theirs = torch.isclose(torch.tensor(a), torch.tensor(b), rtol=rtol, atol=atol)
    np.testing.assert_array_equal(ours.data, theirs.numpy())  # (uint8 0 - 1 would wrap to 255: not close)
    big = ag.tensor([2 ** 53], dtype=np.int64)  # (equal first, then the difference in floats, as torch's)
    assert ag.isclose(big, big + 1, rtol=0, atol=0.5).item() == torch.isclose(
        torch.tensor([2 ** 53]), torch.tensor([2 ** 53 + 1]), rtol=0, atol=0.5).item()


@pytest.mark.parametrize("owner", ["isclose", "allclose"])
@pytest.mark.parametrize("tolerances", [{}, {"rtol": 0, "atol": 0}])
def test_an_operand_that_is_not_numbers_is_refused_naming_the_function(owner, tolerances):
    # (found in review: isclose(x, None, rtol=0, atol=0) gave Tensor([False]), allclose(x, "a", rtol=0, atol=0) a
    # bare UFuncTypeError; with the default tolerances np.isclose's own TypeError)
    torch = pytest.importorskip("torch")
    for bad in (None, "a"):
        with pytest.raises(TypeError, match="must be Tensor"):
            getattr(torch, owner)(torch.ones(1), bad, **tolerances)
        with pytest.raises(TypeError, match=rf"{owner}: other must be a Tensor or numbers, got {bad!r}"):
            getattr(ag, owner)(ag.ones(1), bad, **tolerances)
    with pytest.raises(TypeError, match=rf"{owner}: input must be a Tensor or numbers"):
        getattr(ag, owner)(None, ag.ones(1), **tolerances)


@pytest.mark.parametrize("equal_nan", [False, True])
@pytest.mark.parametrize("rtol, atol", [(1e-5, 1e-8), (0.0, 0.0), (0.0, 0.5), (0.1, 0.0)])
def test_assert_close_passes_exactly_where_isclose_holds(rtol, atol, equal_nan):
    # (review: two implementations of torch.isclose's mask, testing/comparison.py's and torch_functions.py's)
    for a in VALUES:
        for b in VALUES:
            close = bool(ag.isclose(ag.tensor(a), ag.tensor(b), rtol=rtol, atol=atol, equal_nan=equal_nan))
            try:
                comparison.assert_close(ag.tensor(a), ag.tensor(b), rtol=rtol, atol=atol, equal_nan=equal_nan)
                passed = True
            except AssertionError:
                passed = False
            assert passed == close, (a, b)
