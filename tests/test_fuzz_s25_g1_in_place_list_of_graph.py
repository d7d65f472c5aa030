"""Fuzzer G1 (session 25): while recording, a list or tuple holding Tensors that require grad, assigned into a
constant (`c[:2] = [w, w]`) or added in place (`c += [w, w, w]`), was written without its gradients, silently
cutting w from the graph, where `c[0] = w` and `c + [w, w, w]` refuse (PyTorch refuses a list in item assignment).
Tensor._in_place now names and refuses these."""
import numpy as np
import pytest

import autograd_core as ag


@pytest.mark.parametrize("change, symbol", [
    (lambda c, w: c.__setitem__(slice(0, 2), [w, w]), "item assignment at index slice"),
    (lambda c, w: c.__setitem__(slice(0, 2), (w, 1.0)), "item assignment at index slice"),
    (lambda c, w: c.__iadd__([w, w, w]), r"\+="),
    (lambda c, w: c.__imul__([[w], [1.0], [2.0]][0] * 3), r"\*="),
])
def test_a_list_holding_tensors_that_require_grad_is_refused_while_recording(change, symbol):
    w = ag.tensor(2.0, requires_grad=True)
    c = ag.zeros(3)
    with pytest.raises(TypeError, match=f"{symbol}.*holding Tensors that require grad"):
        change(c, w)
    assert c._version == 0 and not c.data.any()


def test_the_same_values_are_written_under_no_grad_and_lists_of_constants_while_recording():
    w = ag.tensor(2.0, requires_grad=True)
    c = ag.zeros(3)
    with ag.no_grad():
        c[0:2] = [w, w]
        c += [w, w, w]
    np.testing.assert_array_equal(c.data, [4.0, 4.0, 2.0])
    c[0:2] = [ag.tensor(1.0), 2.0]
    c += [1.0, ag.tensor(1.0), 1.0]
    np.testing.assert_array_equal(c.data, [2.0, 3.0, 3.0])
