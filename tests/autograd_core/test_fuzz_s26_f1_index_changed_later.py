"""F1's fuzzing of in-place changes after a forward pass: an index or mask Tensor given to gather, scatter,
scatter_add, index_select, index_add, masked_select or masked_fill and changed in place before backward moved the
gradient to the new positions (or crashed with NumPy's bare boolean-assignment error), since the recorded index
shared its memory. The index is copied when recorded, so the gradient is the forward pass's (PyTorch refuses to
backpropagate there instead)."""
import numpy as np
import pytest

import autograd_core as ag

CASES = {
    "gather": (lambda w, i: ag.gather(w, 0, i), [0, 0, 2]),
    "scatter_add": (lambda w, i: ag.scatter_add(w, 0, i, w * 1), [0, 0, 2]),
    "scatter": (lambda w, i: ag.scatter(w, 0, i, ag.stack([w[1], w[0], w[2]]) * 1), [2, 0, 1]),
    "index_select": (lambda w, i: ag.index_select(w, 0, i), [0, 0, 2]),
    "index_add": (lambda w, i: ag.index_add(w, 0, i, w * 1), [0, 0, 2]),
    "masked_select": (lambda w, m: ag.masked_select(w, m), [True, False, True]),
    "masked_fill": (lambda w, m: w.masked_fill(m, 0.0), [True, False, True]),
}


@pytest.mark.parametrize("name", list(CASES))
def test_an_index_changed_after_the_forward_does_not_move_the_gradient(name):
    f, index = CASES[name]
    cotangent = lambda n: ag.tensor([1.0, 10.0, 100.0][:n])  # noqa: E731

    def grad(change):
        w, i = ag.tensor([1.0, 2.0, 3.0], requires_grad=True), ag.tensor(index)
        out = f(w, i)
        if change:
            i.fill_(False if i.dtype == np.bool_ else 1)
        (out * cotangent(out.shape[0])).sum().backward()
        return w.grad.tolist()

    assert grad(change=True) == grad(change=False)
