"""ag.einsum in NumPy's interleaved form (documented as unsupported) is refused by the subscripts' own TypeError,
whatever the axis lists hold (with Ellipsis they failed first as operands: 'unsupported input of dtype object'),
and the message shows the first operand's type and shape, not its whole repr."""
import numpy as np
import pytest

import autograd_core as ag


@pytest.mark.parametrize("sublists", [([0, 1], [1, 2], [0, 2]), ([Ellipsis, 1], [1, 2], [Ellipsis, 2])])
def test_interleaved_form_refused_by_the_subscripts_error(sublists):
    a, b = ag.ones((2, 3), requires_grad=True), ag.ones((3, 4))
    with pytest.raises(TypeError, match=r"^einsum: subscripts must be a string such as 'ij,jk->ik', got Tensor "
                                        r"of shape \(2, 3\) \(the interleaved form"):
        ag.einsum(a, sublists[0], b, sublists[1], sublists[2])


def test_other_non_string_subscripts_and_valid_calls():
    with pytest.raises(TypeError, match=r"got \['ij'\]"):
        ag.einsum(["ij"], ag.ones((2, 2)))
    with pytest.raises(TypeError, match="got ndarray of shape"):
        ag.einsum(np.ones(2), ag.ones(2))
    np.testing.assert_allclose(ag.einsum("ij,jk->ik", ag.ones((2, 3)), ag.ones((3, 4))).data, np.full((2, 4), 3.0))
