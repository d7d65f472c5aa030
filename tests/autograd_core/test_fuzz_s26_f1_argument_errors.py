"""F1's fuzzing of arguments PyTorch refuses: reshape/view refuse a size below -1 (NumPy reads any negative size as
-1, so view(-3, 3) silently worked), cat refuses a dim that is no int (None made NumPy's concatenate flatten),
fill_/masked_fill/new_full refuse a value that is no number (fill_(None) filled NaN), and isclose/allclose a
tolerance that is no number (a bare NumPy or Python error)."""
import numpy as np
import pytest

import autograd_core as ag

torch = pytest.importorskip("torch")


@pytest.mark.parametrize("shape", [(-3, 3), (2, -2), (-1, -5)])
def test_reshape_and_view_refuse_sizes_below_minus_one(shape):
    with pytest.raises(RuntimeError, match="invalid shape dimension"):
        torch.arange(6.0).view(*shape)
    for call in (lambda: ag.arange(6.0).view(*shape), lambda: ag.arange(6.0).reshape(shape),
                 lambda: ag.reshape(ag.arange(6.0), shape)):
        with pytest.raises(ValueError, match=r"reshape: sizes must be at least 0, or -1 for the one size inferred"):
            call()
    assert ag.arange(6.0).view(-1, 3).shape == (2, 3)


@pytest.mark.parametrize("dim", [None, 1.0, "0", True])
def test_cat_refuses_a_dim_that_is_no_int(dim):
    with pytest.raises(TypeError):
        torch.cat([torch.ones(2, 2), torch.ones(2, 2)], dim)
    with pytest.raises(TypeError, match="cat: dim must be an int"):
        ag.cat([ag.ones((2, 2)), ag.ones((2, 2))], dim)
    assert ag.cat([ag.ones((2, 2)), ag.ones((2, 2))], np.int64(1)).shape == (2, 4)


@pytest.mark.parametrize("value", [None, "a", [1.0]])
def test_fill_values_that_are_no_numbers_are_refused(value):
    t = ag.tensor([1.0, 2.0])
    for owner, call in (("fill_", lambda: t.fill_(value)),
                        ("masked_fill", lambda: t.masked_fill(ag.tensor([True, False]), value)),
                        ("new_full", lambda: t.new_full((2,), value))):
        with pytest.raises((TypeError, ValueError), match=owner):
            call()
    assert t.tolist() == [1.0, 2.0]  # (fill_(None) made it NaN)


@pytest.mark.parametrize("owner", ["isclose", "allclose"])
@pytest.mark.parametrize("tolerance", [None, "a", (1e-5,)])
def test_tolerances_that_are_no_numbers_are_refused(owner, tolerance):
    with pytest.raises(TypeError, match=f"{owner}: rtol must be a number"):
        getattr(ag, owner)(ag.ones(2), ag.ones(2), tolerance)
    assert getattr(ag, owner)(ag.ones(2), ag.ones(2), np.float32(1e-3), 0) is not None


@pytest.mark.parametrize("dtype", [np.int64, np.dtype("int32"), torch.float32, "float32"])
def test_view_of_a_dtype_names_view(dtype):
    # (the message named reshape and asked for ints)
    with pytest.raises(TypeError, match=r"view: view\(dtype\), which reads the bytes as another dtype, is not offered"):
        ag.arange(6.0).view(dtype)
    assert ag.arange(6.0).view(np.int64(6)).shape == ag.arange(6.0).view((6,)).shape == (6,)
