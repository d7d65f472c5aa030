"""numerical_grad's cotangent= is checked as its inputs are: None or a complex number in it was read as NaN or cast
to its real part without a word, text or an object raised NumPy's bare errors; a ragged input raised NumPy's
"setting an array element with a sequence", naming no function."""
import numpy as np
import pytest

import autograd_core as ag
from autograd_core.testing import numerical_grad


def double(x):
    return x * 2


@pytest.mark.parametrize("cotangent", [[None, 1.0], [1j, 1.0], np.array([1 + 0j, 2]), ["a", "b"], object()])
def test_cotangent_that_is_no_real_numbers_refused(cotangent):
    with pytest.raises(TypeError, match="numerical_grad: cotangent must be a number or an array of"):
        numerical_grad(double, np.array([1.0, 2.0]), cotangent=cotangent)


def test_ragged_input_and_cotangent_refused_by_name():
    with pytest.raises(TypeError, match=r"numerical_grad: input 0 is a ragged list"):
        numerical_grad(lambda x: x.sum(), [[1.0, 2.0], [3.0]])
    with pytest.raises(TypeError, match=r"numerical_grad: cotangent is a ragged list"):
        numerical_grad(double, np.array([1.0, 2.0]), cotangent=[[1.0], [2.0, 3.0]])


def test_valid_cotangents_still_weigh_the_output():
    x = np.array([1.0, 2.0])
    for cotangent in ([1, 3], np.array([1.0, 3.0], dtype=np.float32), ag.tensor([1.0, 3.0]), (1.0, 3.0)):
        (g,) = numerical_grad(double, x, cotangent=cotangent)
        np.testing.assert_allclose(g, [2.0, 6.0])
    (g,) = numerical_grad(lambda x: x.sum(), x, cotangent=2.0)  # a 0-d output, a number
    np.testing.assert_allclose(g, [2.0, 2.0])
    with pytest.raises(ValueError, match=r"f returned shape \(2,\) but cotangent has shape \(3,\)"):
        numerical_grad(double, x, cotangent=[1.0, 1.0, 1.0])
