"""hvp/vhp's refusal of an integer tangent says what PyTorch does (it casts one) rather than claiming it refuses."""
import numpy as np
import pytest

import autograd_core as ag


@pytest.mark.parametrize("name", ["hvp", "vhp"])
def test_integer_tangent_message(name):
    with pytest.raises(TypeError) as info:
        getattr(ag, name)(lambda x: (x ** 3).sum(), (np.ones(3),), (np.arange(3),))
    message = str(info.value)
    assert "must be floats, as jvp's and JAX's" in message
    assert f"torch.autograd.functional.{name} casts integers" in message
