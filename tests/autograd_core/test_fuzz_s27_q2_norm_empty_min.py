"""Norms that take a smallest value (vector ord=-inf, matrix ord=-2, -1, -inf) of an empty vector or matrix raise a
ValueError naming the norm, as NumPy's and torch's refuse them (the message named the bare 'min' reduction); the
empty cases NumPy accepts keep their values."""
import numpy as np
import pytest

import autograd_core as ag


@pytest.mark.parametrize("ord_, shape", [(-np.inf, (0,)), (-np.inf, (2, 0))])
def test_vector_norm_smallest_of_nothing(ord_, shape):
    with pytest.raises(ValueError, match="zero-size array to reduction operation minimum"):
        np.linalg.norm(np.zeros(shape), ord_, axis=-1)
    for call in (lambda x: ag.linalg.norm(x, ord_, axis=-1), lambda x: ag.linalg.vector_norm(x, ord=ord_, axis=-1),
                 lambda x: np.linalg.norm(x, ord_, axis=-1)):
        with pytest.raises(ValueError, match=r"^norm: ord=-inf .*shape " + repr(shape).replace("(", r"\(")
                                             .replace(")", r"\)")):
            call(ag.zeros(shape))


@pytest.mark.parametrize("ord_, shape", [(-2, (0, 0)), (-2, (3, 0)), (-2, (2, 0, 3)), (-1, (3, 0)),
                                         (-np.inf, (0, 3))])
def test_matrix_norm_smallest_of_nothing(ord_, shape):
    with pytest.raises(ValueError):
        np.linalg.norm(np.zeros(shape), ord_, axis=(-2, -1))
    for call in (lambda x: ag.linalg.norm(x, ord_, axis=(-2, -1)), lambda x: ag.linalg.matrix_norm(x, ord=ord_)):
        with pytest.raises(ValueError, match=f"^norm: ord={ord_!r} takes the smallest of no values"):
            call(ag.zeros(shape, requires_grad=True))


@pytest.mark.parametrize("ord_, shape", [(-1, (0, 3)), (-np.inf, (3, 0)), (2, (0, 0)), (-2, (1, 1)), (-np.inf, (0, 2, 2))])
def test_accepted_empty_cases_keep_numpys_values(ord_, shape):
    x = ag.zeros(shape, requires_grad=True)
    axis = (-2, -1) if len(shape) == 2 or ord_ == -2 else -1
    result = ag.linalg.norm(x, ord_, axis=axis)
    np.testing.assert_array_equal(result.data, np.linalg.norm(np.zeros(shape), ord_, axis=axis))
    result.sum().backward()
    assert x.grad.shape == shape
