"""ag.addcmul/addcdiv, the methods and the in-place t.addcmul_/t.addcdiv_ (with PyTorch's deprecated order), against
NumPy in PyTorch's order of operations, finite differences, and torch where installed."""
import numpy as np
import pytest

import autograd_core as ag
from autograd_core.testing import gradcheck

rng = np.random.default_rng(0)
A, B, C = rng.normal(size=(2, 3)), rng.normal(size=3), rng.uniform(1, 2, size=(2, 3))


def test_values_are_pytorchs_order_of_operations():
    np.testing.assert_array_equal(ag.addcmul(ag.tensor(A), ag.tensor(B), ag.tensor(C), value=0.3).data,
                                  A + (0.3 * B) * C)
    np.testing.assert_array_equal(ag.tensor(A).addcdiv(ag.tensor(B), ag.tensor(C), value=-0.7).data,
                                  A + (-0.7 * B) / C)
    assert ag.addcmul(ag.tensor([1]), ag.tensor([2]), ag.tensor([3])).dtype == np.int64  # value 1 keeps integers


def test_gradients_reach_all_three_operands():
    assert gradcheck(lambda a, b, c: ag.addcmul(a, b, c, value=0.3), A, B, C)
    assert gradcheck(lambda a, b, c: ag.addcdiv(a, b, c, value=2.0), A, B, C)


def test_in_place_forms_write_into_self_and_take_the_deprecated_order_with_a_warning():
    v = ag.tensor(A.copy())
    assert v.addcmul_(ag.tensor(B), ag.tensor(B), value=0.1) is v
    np.testing.assert_array_equal(v.data, A + (0.1 * B) * B)
    w = ag.tensor(A.copy())
    with pytest.warns(UserWarning, match=r"This overload of addcdiv_ is deprecated"):
        w.addcdiv_(0.5, ag.tensor(B), ag.tensor(C))
    np.testing.assert_array_equal(w.data, A + (0.5 * B) / C)
    with pytest.raises(TypeError, match=r"addcmul_: takes \(tensor1, tensor2, \*, value=1\)"):
        v.addcmul_(ag.tensor(B))
    with pytest.raises(ValueError, match="addcmul_: the result has shape"):
        ag.tensor(B.copy()).addcmul_(ag.tensor(A), ag.tensor(C))
    p = ag.tensor(A.copy(), requires_grad=True)
    with pytest.raises(RuntimeError, match="addcdiv_"):
        p.addcdiv_(ag.tensor(B), ag.tensor(C))  # a leaf that requires grad, while recording
    with ag.no_grad():
        p.addcdiv_(ag.tensor(B), ag.tensor(C), value=-1)
    np.testing.assert_array_equal(p.data, A - B / C)


def test_against_torch():
    torch = pytest.importorskip("torch")
    a, b, c = (torch.tensor(x) for x in (A, B, C))
    # (torch's vectorised kernel may fuse the last multiply-add, one rounding where NumPy makes two)
    np.testing.assert_allclose(ag.addcmul(ag.tensor(A), ag.tensor(B), ag.tensor(C), value=0.3).data,
                               torch.addcmul(a, b, c, value=0.3).numpy(), rtol=0, atol=5e-16)
    np.testing.assert_array_equal(ag.tensor(A.copy()).addcdiv_(ag.tensor(B), ag.tensor(C), value=-1e-3).data,
                                  a.clone().addcdiv_(b, c, value=-1e-3).numpy())
