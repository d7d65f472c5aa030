"""Primitives (autograd_core/primitive.py): apply, recording, unbroadcast, error descriptions."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis.extra import numpy as hnp

import autograd_core as ag
from autograd_core.primitive import Primitive, unbroadcast
from autograd_core.testing import gradcheck, gradgradcheck
from autograd_core.testing.strategies import broadcastable_shapes, elements

# A primitive declared the way the engine's own are: forward, one rule per input, a hint.
_hypot = Primitive("hypot", np.hypot, (
    lambda g, ans, x, y: g * x / ans,
    lambda g, ans, x, y: g * y / ans,
), "operands must broadcast")


def test_a_user_primitive_is_differentiable_to_second_order():
    x, y = np.array([3.0, 1.0]), np.array([4.0, -2.0])
    np.testing.assert_allclose(_hypot(ag.tensor(x), ag.tensor(y)).data, [5.0, np.sqrt(5)])
    assert gradcheck(lambda a, b: _hypot(a, b), x, y)
    assert gradgradcheck(lambda a, b: _hypot(a, b), x, y)


def test_results_record_only_when_an_input_requires_grad_and_grad_is_enabled():
    w = ag.tensor(2.0, requires_grad=True)
    c = ag.tensor(2.0)
    assert _hypot(w, c).op_name == "hypot" and not _hypot(w, c).is_leaf
    assert _hypot(c, c).is_leaf and not _hypot(c, c).requires_grad
    with ag.no_grad():
        assert _hypot(w, c).is_leaf
    assert _hypot(c, 3.0).item() == pytest.approx(np.hypot(2.0, 3.0))


def test_traced_is_raw_for_arrays_and_recorded_for_tensors():
    assert isinstance(ag.exp.traced(np.zeros(2)), np.ndarray)
    out = ag.exp.traced(ag.tensor([0.0], requires_grad=True))
    assert isinstance(out, ag.Tensor) and out.op_name == "exp"


def test_errors_name_the_operation_shapes_dtypes_and_the_hint():
    with pytest.raises(ValueError) as info:
        _hypot(ag.ones((2, 3)), ag.ones((4,), dtype=np.float32))
    message = str(info.value)
    assert message.startswith("hypot: invalid input")
    assert "(2, 3) float64" in message and "(4,) float32" in message and "operands must broadcast" in message


@settings(max_examples=30)
@given(broadcastable_shapes(2, max_dims=3, max_side=3).flatmap(
    lambda pair: hnp.arrays(np.float64, np.broadcast_shapes(*pair), elements=elements()).map(lambda g: (g, pair[0]))))
def test_unbroadcast_is_the_adjoint_of_broadcasting(case):
    g, shape = case
    reduced = unbroadcast(g, shape)
    assert reduced.shape == shape
    # <broadcast(v), g> == <v, unbroadcast(g)> for every v: the defining property of the adjoint.
    v = np.arange(1.0, 1.0 + int(np.prod(shape))).reshape(shape)
    np.testing.assert_allclose(np.sum(np.broadcast_to(v, g.shape) * g), np.sum(v * reduced), rtol=1e-10, atol=1e-8)
