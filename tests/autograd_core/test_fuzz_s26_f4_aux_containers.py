"""has_aux's aux in the containers torch.func's pytrees take (session 26, F4)."""
import collections

import numpy as np
import pytest

import autograd_core as ag

Out = collections.namedtuple("Out", "pred parts")


def _aux_cases(x):
    return [Out(x * 2, [x * 3]), collections.OrderedDict(pred=x * 2, parts=[x * 3]),
            collections.defaultdict(list, pred=x * 2, parts=[x * 3])]


@pytest.mark.parametrize("k", range(3), ids=["namedtuple", "OrderedDict", "defaultdict"])
def test_aux_tensors_in_namedtuples_and_dict_subclasses_are_cut_as_in_tuples(k):
    # they came back as they were, attached to the transform's own graph (requires_grad=True), where a tuple's
    # and a dict's are cut, as torch.func's
    (value, aux), g = ag.value_and_grad(lambda x: ((x * x).sum(), _aux_cases(x)[k]), has_aux=True)(np.array([1.0, 2.0]))
    assert type(aux) is type(_aux_cases(np.ones(1))[k])
    pred, parts = (aux.pred, aux.parts) if k == 0 else (aux["pred"], aux["parts"])
    assert not pred.requires_grad and not parts[0].requires_grad
    np.testing.assert_array_equal(pred.data, [2.0, 4.0])
    np.testing.assert_array_equal(g.data, [2.0, 4.0])
    if k == 2:
        assert aux.default_factory is list and aux["missing"] == []


def test_aux_in_a_namedtuple_stays_recorded_for_an_enclosing_transform():
    def inner(w):
        g, aux = ag.grad(lambda x: ((x * w).sum(), Out(x * w, [w])), has_aux=True)(np.array([1.0, 2.0]))
        return aux.pred.sum() + g.sum()
    np.testing.assert_allclose(ag.grad(inner)(3.0).data, 3.0 + 2.0)


def test_the_same_in_torch():
    torch = pytest.importorskip("torch")
    g, (value, aux) = torch.func.grad_and_value(lambda x: ((x * x).sum(), Out(x * 2, [x * 3])), has_aux=True)(
        torch.tensor([1.0, 2.0]))
    assert type(aux) is Out and not aux.pred.requires_grad and not aux.parts[0].requires_grad
