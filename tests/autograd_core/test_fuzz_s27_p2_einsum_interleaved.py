"""np.einsum's interleaved form on Tensors is refused naming it whatever its lists hold: with Ellipsis in a list
the refusal was "einsum: unsupported input of dtype object", the list read as an operand."""
import numpy as np
import pytest

import autograd_core as ag


@pytest.mark.parametrize("call", [
    lambda a: np.einsum(a, [Ellipsis, 1]),
    lambda a: np.einsum(a, [0, 1], a, [2, 1], [0, 2]),
    lambda a: np.einsum(a, [0, 1]),
])
def test_interleaved_form_refused_by_name(call):
    with pytest.raises(TypeError, match=r"np.einsum on Tensors: the interleaved form .* is not supported; give the "
                                        r"subscripts as a string"):
        call(ag.tensor(np.arange(6.0).reshape(2, 3), requires_grad=True))


def test_string_subscripts_still_run():
    a = ag.tensor(np.arange(6.0).reshape(2, 3), requires_grad=True)
    np.testing.assert_allclose(np.einsum("ij,kj->ik", a, a).data, a.data @ a.data.T)
