"""Fuzzer G1 (session 25): an einsum of one operand that NumPy computes as a view (a diagonal 'ii->i', a transpose
'ij->ji', np.linalg.diagonal) returned a writable array sharing the operand's memory, outside any version count: a
change in place through either one silently changed the values a recorded graph read (PyTorch's view refuses the
backward). The result is now a copy, as einsum's other results, so the graph keeps the values it recorded."""
import numpy as np
import pytest

import autograd_core as ag


@pytest.mark.parametrize("subscripts", ["ii->i", "ij->ji", "ij", "ij->ij", "...ii->...i", "ijk->kji"])
def test_a_one_operand_einsum_shares_no_memory_with_its_operand(subscripts):
    shape = (3, 3, 3) if "k" in subscripts else (3, 3)
    c = ag.tensor(np.arange(float(np.prod(shape))).reshape(shape))
    out = ag.einsum(subscripts, c)
    np.testing.assert_array_equal(out.data, np.einsum(subscripts, c.data))
    assert not np.may_share_memory(out.data, c.data)


def test_a_change_through_the_diagonal_leaves_a_recorded_operand_alone():
    w = ag.tensor(np.ones((3, 3)), requires_grad=True)
    c = ag.tensor(np.arange(9.0).reshape(3, 3))
    loss = (w * c).sum()
    d = ag.linalg.diagonal(c)
    d += 100.0
    np.testing.assert_array_equal(c.data, np.arange(9.0).reshape(3, 3))
    loss.backward()
    np.testing.assert_array_equal(w.grad.data, np.arange(9.0).reshape(3, 3))


def test_a_change_to_the_operand_leaves_a_recorded_transpose_alone():
    w = ag.tensor(np.arange(9.0).reshape(3, 3), requires_grad=True)
    z = ag.tensor(np.ones((3, 3)), requires_grad=True)
    loss = (ag.einsum("ij->ji", w) * z).sum()
    with ag.no_grad():
        w[0, 1] = 100.0
    loss.backward()
    np.testing.assert_array_equal(z.grad.data, np.arange(9.0).reshape(3, 3).T)
