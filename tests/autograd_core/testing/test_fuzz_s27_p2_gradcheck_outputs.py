"""gradgradcheck passed (True) for an f whose outputs were computed outside the graph (from .data, or NumPy
values), whatever they were: no first derivative, so nothing was compared; it now compares f's finite differences
with zero, as gradcheck does. And an f returning a nested tuple or list is refused: gradcheck blamed the engine
("engine 0.0") for the Tensors it could not reach, gradgradcheck passed."""
import numpy as np
import pytest

import autograd_core as ag
from autograd_core.testing import GradcheckError, gradcheck, gradgradcheck

X = np.array([0.5, 1.5])


@pytest.mark.parametrize("f", [
    lambda x: np.asarray(x.data) * 2,
    lambda x: ag.tensor(x.data ** 2),
    lambda x: (x.detach() * 3, ag.argmax(x)),
])
def test_gradgradcheck_of_outputs_cut_from_the_graph_fails(f):
    with pytest.raises(GradcheckError, match=r"gradgradcheck: mismatch for input 0 .* engine 0.0.*\(no output of f "
                                             r"requires grad"):
        gradgradcheck(f, X)
    assert gradgradcheck(f, X, raise_exception=False) is False
    with pytest.raises(GradcheckError, match="gradcheck: mismatch for input 0"):
        gradcheck(f, X)


@pytest.mark.parametrize("f", [lambda x: ag.ones(3), lambda x: 2.0, lambda x: (ag.argmax(x), np.zeros(2))])
def test_gradgradcheck_of_a_constant_still_passes(f):
    assert gradgradcheck(f, X) and gradcheck(f, X)


@pytest.mark.parametrize("f, kind", [
    (lambda x: [[x * 2, x * 3]], "list whose output 0 is a list"),
    (lambda x: (x, (x * 2,)), "tuple whose output 1 is a tuple"),
])
def test_nested_outputs_refused(f, kind):
    for check in (gradcheck, gradgradcheck):
        with pytest.raises(TypeError, match=f"{check.__name__}: f returned a {kind}; return a Tensor"):
            check(f, X)


def test_flat_tuples_still_checked():
    assert gradcheck(lambda x: (x * 2, ag.sin(x).sum()), X)
    assert gradgradcheck(lambda x: [x ** 3, ag.exp(x)], X)
