"""Regressions found by fuzzing unusual arguments of the NumPy functions on Tensors (session 23, F1): each is refused
with an error naming the function, not a bare Python or NumPy message."""
import numpy as np
import pytest

import autograd_core as ag


@pytest.mark.parametrize("call, error, words", [
    (lambda t: ag.linalg.vector_norm(t, axis=1.5), TypeError, "vector_norm: invalid axis=1.5"),
    (lambda t: ag.linalg.vector_norm(t, axis=[1, -1]), ValueError, "vector_norm: invalid axis"),
    (lambda t: ag.linalg.vector_norm(t, ord=(1, 2)), ValueError, "invalid norm order"),
    (lambda t: ag.linalg.norm(t[0], ord=[1]), ValueError, "invalid norm order"),
    (lambda t: ag.rot90(t, 1.5), TypeError, "rot90: k must be an int"),
    (lambda t: ag.rot90(t, np.array([1, 2])), TypeError, "rot90: k must be an int"),
    (lambda t: ag.diff(t, np.array([1, 2])), TypeError, "diff: the order n must be an int"),
    (lambda t: ag.diff(t, 1.0), TypeError, "diff: the order n must be an int"),
    (lambda t: ag.rollaxis(t, 0, np.array([1, 2])), TypeError, "rollaxis: start must be an int"),
])
def test_bad_arguments_name_the_function(call, error, words):
    with pytest.raises(error, match=words.replace("(", r"\(").replace("[", r"\[")):
        call(ag.ones((3, 4)))


def test_numpy_integers_still_taken():
    t = ag.ones((3, 4))
    assert ag.rot90(t, np.int64(3)).shape == (4, 3)
    assert ag.diff(t, np.array(1)).shape == (3, 3)
    assert ag.rollaxis(t, 1, np.int32(0)).shape == (4, 3)
    assert float(ag.linalg.vector_norm(t, ord=np.array(3.0))) == pytest.approx(12 ** (1 / 3))


def test_cumprod_takes_a_0d_integer_array_as_axis():
    x = np.arange(1.0, 7.0).reshape(2, 3)
    for axis in (np.array(1), np.int32(-1), 1):
        assert np.array_equal(ag.cumprod(ag.tensor(x), axis=axis).data, np.cumprod(x, axis=axis))
    for bad in (True, 1.0, np.array([1])):
        with pytest.raises(TypeError, match="cumprod: axis must be None or an int"):
            ag.cumprod(ag.tensor(x), axis=bad)


@pytest.mark.parametrize("mode", ["raise", "wrap", "clip"])
@pytest.mark.parametrize("shape, indices", [((0, 0), [0, 0]), ((0, 0), [5]), ((0, 3), [7, -9]), ((0, 2, 0), [[1]])])
def test_take_with_no_row_checks_no_index(shape, indices, mode):
    # NumPy takes nothing and checks no index when the axes before axis are empty, also from an empty axis
    x = ag.tensor(np.ones(shape), requires_grad=True)
    got = ag.take(x, indices, axis=1, mode=mode)
    assert got.shape == np.take(np.ones(shape), indices, axis=1, mode=mode).shape
    got.sum().backward()
    assert x.grad.shape == shape
