"""draw_graph's grads= is checked whatever the flags: with include_backward=True a list or number failed with a bare
AttributeError ('list' object has no attribute 'items'), and without show_grad it was silently ignored; an entry
that is no gradient ('abc') failed in the label with "could not convert string to float". Found by fuzzing
draw_graph's arguments (session 27, P1)."""
import numpy as np
import pytest

pytest.importorskip("graphviz")

import autograd_core as ag  # noqa: E402
from autograd_core.viz import draw_graph  # noqa: E402


def recorded():
    x = ag.tensor(1.5, requires_grad=True, name="x")
    y = ag.sin(x) * x
    y.backward(create_graph=True)
    return x, y


@pytest.mark.parametrize("grads", [[1, 2], "abc", 3], ids=repr)
@pytest.mark.parametrize("flags", [{"include_backward": True}, {"show_grad": True}, {}], ids=repr)
def test_grads_that_are_no_mapping_are_refused_whatever_the_flags(grads, flags):
    _, y = recorded()
    with pytest.raises(TypeError, match=r"^draw_graph: grads must be a mapping node -> gradient \(from ag\.backprop\), "
                                        r"got (list|str|int)$"):
        draw_graph(y, grads=grads, **flags)


@pytest.mark.parametrize("entry", ["abc", object(), [[1.0], [1.0, 2.0]]], ids=["str", "object", "ragged"])
def test_an_entry_that_is_no_gradient_is_refused_naming_its_node(entry):
    x, y = recorded()
    with pytest.raises(TypeError, match=r"^draw_graph: grads must map each node to its gradient, a Tensor, array or "
                                        r"number; the entry of 'x' is "):
        draw_graph(y, grads={x: entry}, show_grad=True)


def test_gradients_of_every_kind_are_still_drawn():
    x, y = recorded()
    for entry in (ag.tensor(2.0), np.float32(2.0), 2, True, [2.0], np.array(2.0)):
        assert "grad " in draw_graph(y, grads={x: entry}, show_grad=True).source
    assert "grad of" in draw_graph(y, grads=ag.backprop(y, create_graph=True), include_backward=True).source
