"""Fuzzer G4 (session 24): jvp, hvp and vhp name a ragged primal or tangent, not NumPy's bare inhomogeneous-shape
error."""
import numpy as np
import pytest

import autograd_core as ag

RAGGED = [[1.0], [1.0, 2.0]]


def f(x):
    return (x ** 3).sum()


@pytest.mark.parametrize("name", ["jvp", "hvp", "vhp"])
def test_a_ragged_tangent_or_primal_is_named(name):
    transform = getattr(ag, name)
    with pytest.raises(ValueError, match=f"{name}: tangent 0 is a ragged sequence"):
        transform(f, (np.ones(2),), (RAGGED,))
    with pytest.raises(ValueError, match=f"{name}: primal 0 is a ragged sequence"):
        transform(f, (RAGGED,), (np.ones(2),))


@pytest.mark.parametrize("name", ["hvp", "vhp"])
def test_rectangular_lists_stay_taken(name):
    _, (product,) = getattr(ag, name)(f, ([1.0, 2.0],), ([1.0, 1.0],))
    np.testing.assert_array_equal(product.data, [6.0, 12.0])
