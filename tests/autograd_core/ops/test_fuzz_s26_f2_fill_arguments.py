"""The fill arguments of nan_to_num and interp, checked as NumPy's: nan_to_num's nan/posinf/neginf of another kind
(None, a string, a complex) or of a shape that does not broadcast to the input were taken anyway (None as NaN, the
complex's real part, a larger shape broadcasting the result), and a fill that requires grad was cut from the graph;
interp's left/right of shape (1,) or more were taken where NumPy wants a number, and a period of shape (1,), which
NumPy takes, raised a bare TypeError."""
import numpy as np
import pytest

import autograd_core as ag
from autograd_core.testing import gradcheck, gradgradcheck

X = np.array([np.nan, 1.0, np.inf, -np.inf])


@pytest.mark.parametrize("name, fill", [("nan", None), ("nan", "a"), ("nan", 1j), ("posinf", "a"), ("posinf", 1j),
                                        ("neginf", "a"), ("neginf", 1j)])  # (posinf=None is the default)
def test_nan_to_num_refuses_a_fill_of_another_kind(name, fill):
    with pytest.raises(TypeError):
        np.nan_to_num(X.copy(), **{name: fill})
    with pytest.raises(TypeError, match=f"nan_to_num: {name}="):
        ag.nan_to_num(ag.tensor(X), **{name: fill})


@pytest.mark.parametrize("shape", [(3, 4), (2,), (4, 1)])
def test_nan_to_num_refuses_a_fill_that_does_not_broadcast_to_the_input(shape):
    with pytest.raises(ValueError):
        np.nan_to_num(X.copy(), nan=np.ones(shape))
    with pytest.raises(ValueError, match=f"nan_to_num: nan of shape \\({shape[0]},"):
        ag.nan_to_num(ag.tensor(X), nan=np.ones(shape))


@pytest.mark.parametrize("fill", [np.arange(4.0), np.arange(4.0).reshape(1, 1, 4), True, np.int8(3), np.float16(2)])
def test_nan_to_num_fills_numpy_takes(fill):
    expected = np.nan_to_num(X.copy(), nan=fill, posinf=fill)
    got = ag.nan_to_num(ag.tensor(X), nan=fill, posinf=fill)
    assert got.shape == expected.shape and got.dtype == expected.dtype
    np.testing.assert_array_equal(got.data, expected)


def test_nan_to_num_fill_that_requires_grad_stays_in_the_graph():
    w = ag.tensor([[2.0, 3.0, 4.0, 5.0]], requires_grad=True)
    out = ag.nan_to_num(ag.tensor(X), nan=w, neginf=-w)
    np.testing.assert_array_equal(out.data, [2.0, 1.0, np.finfo(np.float64).max, -5.0])
    out.sum().backward()
    np.testing.assert_array_equal(w.grad.data, [[1.0, 0.0, 0.0, -1.0]])
    z = ag.tensor(X.reshape(2, 2), requires_grad=True)
    v = ag.tensor([0.5, -1.5], requires_grad=True)
    assert gradcheck(lambda v, z: ag.nan_to_num(z, nan=v, posinf=v * v), v, z)
    assert gradgradcheck(lambda v, z: ag.sin(ag.nan_to_num(z, nan=v * v, neginf=v)), v, z)


@pytest.mark.parametrize("name", ["left", "right"])
@pytest.mark.parametrize("shape", [(1,), (2,)])
def test_interp_refuses_left_and_right_that_are_not_numbers(name, shape):
    x, xp, fp = np.array([-1.0, 0.5, 2.0]), [0.0, 1.0], [1.0, 2.0]
    with pytest.raises(TypeError):
        np.interp(x, xp, fp, **{name: np.ones(shape)})
    with pytest.raises(TypeError, match=f"interp: {name} must be a single number"):
        ag.interp(ag.tensor(x), xp, fp, **{name: np.ones(shape)})
    np.testing.assert_array_equal(ag.interp(ag.tensor(x), xp, fp, period=3.0, **{name: np.ones(shape)}).data,
                                  np.interp(x, xp, fp, period=3.0, **{name: np.ones(shape)}))  # (a period drops them)


def test_interp_period_of_one_element():
    x, xp, fp = np.array([-1.0, 0.5, 2.5]), [0.0, 1.0], [1.0, 2.0]
    for period in (np.array([3.0]), ag.tensor([3.0])):
        np.testing.assert_array_equal(ag.interp(ag.tensor(x), xp, fp, period=period).data,
                                      np.interp(x, xp, fp, period=np.array([3.0])))
    with pytest.raises(ValueError):
        np.interp(x, xp, fp, period=np.array([3.0, 4.0]))
    with pytest.raises(ValueError, match="interp: period must be a single number"):
        ag.interp(ag.tensor(x), xp, fp, period=np.array([3.0, 4.0]))
