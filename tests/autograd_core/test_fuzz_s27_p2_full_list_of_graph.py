"""ag.full and ag.full_like with a list of Tensors that require grad as fill_value: refused, not cut from the graph."""
import pytest

import autograd_core as ag


@pytest.mark.parametrize("make", [
    lambda w: ag.full((2,), [w[0], w[1]]),
    lambda w: ag.full((3, 2), (w[0], 1.0)),
    lambda w: ag.full_like(w, [w[1], w[0]]),
])
def test_list_holding_graph_refused(make):
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(TypeError, match="full: fill_value is a (list|tuple) holding Tensors that require grad"):
        make(w)


def test_lists_of_numbers_and_constants_still_fill():
    assert ag.full((2, 2), [1.0, 2.0]).data.tolist() == [[1.0, 2.0], [1.0, 2.0]]
    assert ag.full((2,), [ag.tensor(1.0), 3.0]).data.tolist() == [1.0, 3.0]
    w = ag.tensor(2.0, requires_grad=True)
    ag.full((3,), w).sum().backward()
    assert float(w.grad.data) == 3.0
    with ag.no_grad():
        assert ag.full((2,), [w, w]).data.tolist() == [2.0, 2.0]  # nothing recorded: a constant, as asked
