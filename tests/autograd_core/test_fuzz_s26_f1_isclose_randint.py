"""F1's fuzzing of torch_functions against PyTorch: isclose/allclose refuse a negative (or NaN) tolerance, as
PyTorch does (NumPy's accepted it), and name themselves when the shapes do not broadcast (NumPy's bare error);
randint takes dtype=bool for [0, 2), as PyTorch's (it was refused)."""
import numpy as np
import pytest

import autograd_core as ag

torch = pytest.importorskip("torch")


@pytest.mark.parametrize("owner", ["isclose", "allclose"])
@pytest.mark.parametrize("tolerances", [{"rtol": -1.0}, {"atol": -1e-8}, {"rtol": float("nan")}])
def test_a_negative_tolerance_is_refused(owner, tolerances):
    with pytest.raises(RuntimeError, match="must be greater than or equal to zero"):
        getattr(torch, owner)(torch.ones(2), torch.ones(2), **tolerances)
    name = next(iter(tolerances))
    with pytest.raises(ValueError, match=f"{owner}: {name} must be greater than or equal to zero"):
        getattr(ag, owner)(ag.ones(2), ag.ones(2), **tolerances)


@pytest.mark.parametrize("owner", ["isclose", "allclose"])
def test_shapes_that_do_not_broadcast_name_the_function(owner):
    with pytest.raises(ValueError, match=rf"{owner}: the shapes \(2,\) and \(3,\) do not broadcast together"):
        getattr(ag, owner)(ag.ones(2), ag.ones(3))
    with pytest.raises(ValueError, match=rf"{owner}: the shapes"):
        getattr(ag.ones(2), owner)([1.0, 2.0, 3.0])
    assert getattr(ag, owner)(ag.zeros((2, 1)), 0.0, 0.0, 0.0) is True or owner == "isclose"


def test_randint_of_bools():
    t = ag.randint(2, (50,), dtype=np.bool_, rng=0)
    assert t.dtype == np.bool_ and t.shape == (50,) and 0 < int(t.data.sum()) < 50
    assert ag.randint(0, 1, (3,), dtype=bool).tolist() == [False] * 3
    assert torch.randint(2, (3,), dtype=torch.bool).dtype == torch.bool
    for args in ((3, (2,)), (-1, 1, (2,))):  # (torch refuses these too)
        with pytest.raises(ValueError, match=r"randint: \[.*\) does not fit dtype bool"):
            ag.randint(*args, dtype=np.bool_)


@pytest.mark.parametrize("args", [(3, 10), (0, 3, 10), (5, np.int64(2))])
def test_randint_refuses_a_size_that_is_no_tuple(args):
    with pytest.raises(TypeError, match="size"):
        torch.randint(*args)
    with pytest.raises(TypeError, match=r"randint: size must be a tuple of ints"):  # (randint(3, 10) drew 10 below 3)
        ag.randint(*args)
    assert ag.randint(3, 10, (2,), rng=0).shape == (2,) and ag.randint(3, size=[4], rng=0).shape == (4,)
    assert ag.randint(3, torch.Size([2, 2]), rng=0).shape == (2, 2)
