"""Fuzzer F3 (session 26): cov and corrcoef against NumPy 2.4.

- rowvar=False of a 2-D m with one row: NumPy transposes every 2-D m (a (1, n) m is n variables observed once, NaN
  covariances), where cov tested X.shape[0] != 1 and returned the variance of the row as if it were one variable.
- weights with dtype=float32: NumPy's weights are float64 whatever dtype says (so the result is float64, the centred
  X rounded back to dtype by its in-place X -= avg); cov cast them to dtype and returned float32.
- float32 without weights: NumPy scales by c *= np.float64(1 / fact), one rounding of the float64 product, where cov
  multiplied by the float32-rounded factor (one unit in the last place off).
- an empty m gives float64 (0, 0) whatever dtype says; y with another observation count, and weights summing to zero,
  raised concatenate's and average's errors, which now name cov (corrcoef's name corrcoef).
"""
import warnings

import numpy as np
import pytest

import autograd_core as ag
from autograd_core.testing import gradgradcheck


def _same(ours, theirs):
    theirs = np.asarray(theirs)
    assert ours.shape == theirs.shape and ours.dtype == theirs.dtype, (ours.shape, ours.dtype, theirs.shape,
                                                                       theirs.dtype)
    np.testing.assert_array_equal(ours.data, theirs)


@pytest.mark.parametrize("name", ["cov", "corrcoef"])
def test_rowvar_false_of_one_row_is_many_variables(name):
    m = np.array([[1.0, 2.0, 4.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        expected = getattr(np, name)(m, rowvar=False)
        out = getattr(ag, name)(ag.tensor(m), rowvar=False)
    _same(out, expected)
    assert out.shape == (3, 3) and np.isnan(out.data).all()


def test_rowvar_false_of_one_row_with_y_and_fweights():
    m, y = np.array([[1.0, 2.0]]), np.array([[0.5, -1.0]])
    with pytest.raises(RuntimeError, match="cov"):  # (one observation of two variables, not two of one)
        ag.cov(ag.tensor(m), rowvar=False, fweights=np.array([1, 2]))
    with pytest.raises(ValueError, match="cov"):  # (NumPy: y's (1, n) is not transposed, so the counts differ)
        ag.cov(ag.tensor(m), ag.tensor(y), rowvar=False)
    with pytest.raises(ValueError, match="all the input array dimensions"):
        np.cov(m, y, rowvar=False)


@pytest.mark.parametrize("weights", ["fweights", "aweights", "both"])
def test_weights_stay_float64_with_a_float32_dtype(weights):
    rng = np.random.default_rng(0)
    m = rng.normal(size=(3, 5)).astype(np.float32)
    kw = {}
    if weights in ("fweights", "both"):
        kw["fweights"] = np.array([1, 2, 1, 3, 1])
    if weights in ("aweights", "both"):
        kw["aweights"] = rng.random(5) + 0.5
    for dtype in (None, np.float32):
        expected = np.cov(m, dtype=dtype, **{k: v.copy() for k, v in kw.items()})
        _same(ag.cov(ag.tensor(m), dtype=dtype, **kw), expected)


def test_float32_scaling_rounds_once_as_numpys():
    m = np.array([[0.04132597893476486, -2.32503080368042, -0.218791663646698, -1.2459110021591187],
                  [-0.7322673797607422, -0.5442590117454529, -0.3163001537322998, 0.4116305410861969]], np.float32)
    _same(ag.cov(ag.tensor(m), dtype=np.float32), np.cov(m, dtype=np.float32))
    _same(ag.corrcoef(ag.tensor(m), dtype=np.float32), np.corrcoef(m, dtype=np.float32))
    rng = np.random.default_rng(1)
    for _ in range(50):
        m = rng.normal(size=(3, 4)).astype(np.float32)
        _same(ag.cov(ag.tensor(m), dtype=np.float32), np.cov(m, dtype=np.float32))
        _same(ag.cov(ag.tensor(m), dtype=np.float32, bias=True), np.cov(m, dtype=np.float32, bias=True))
        _same(ag.corrcoef(ag.tensor(m), dtype=np.float32), np.corrcoef(m, dtype=np.float32))
    m = np.array([[1, 5, 2, 3], [0, 2, 2, 7]])
    _same(ag.cov(ag.tensor(m), dtype=np.float32), np.cov(m, dtype=np.float32))


def test_empty_m_is_float64():
    m = np.zeros((0, 4), np.int64)
    _same(ag.cov(ag.tensor(m), dtype=np.float32), np.cov(m, dtype=np.float32))
    _same(ag.corrcoef(ag.tensor(m), dtype=np.float32), np.corrcoef(m, dtype=np.float32))


def test_errors_name_the_function():
    with pytest.raises(ValueError, match=r"^cov: y .*observations"):
        ag.cov(ag.tensor(np.ones((2, 3))), ag.tensor(np.ones((1, 4))))
    with pytest.raises(ValueError, match=r"^corrcoef: y .*observations"):
        ag.corrcoef(ag.tensor(np.ones((2, 3))), ag.tensor(np.ones((1, 4))))
    with pytest.raises(ValueError, match=r"^corrcoef: m has more than 2 dimensions"):
        ag.corrcoef(ag.tensor(np.ones((2, 3, 1))))
    with pytest.raises(ZeroDivisionError, match=r"^cov: the weights sum to zero"):
        ag.cov(ag.tensor(np.ones((2, 3))), aweights=np.zeros(3))


def test_gradients_still_flow_with_float32_and_weights():
    m = ag.tensor(np.random.default_rng(2).normal(size=(2, 4)), requires_grad=True)
    aw = ag.tensor(np.array([0.5, 1.0, 2.0, 1.5]), requires_grad=True)
    assert gradgradcheck(lambda x, w: ag.cov(x, aweights=w, fweights=np.array([1, 2, 1, 1])), m, aw)
    assert gradgradcheck(lambda x: ag.corrcoef(x, rowvar=False), ag.tensor(np.random.default_rng(3).normal(size=(5, 2)),
                                                                            requires_grad=True))
    x32 = ag.tensor(np.random.default_rng(4).normal(size=(2, 4)).astype(np.float32), requires_grad=True)
    ag.cov(x32, dtype=np.float32).sum().backward()
    assert x32.grad.dtype == np.float32


def test_corrcoef_refuses_bias_and_ddof_as_numpy_2_4_does():
    x = np.array([[1.0, 2.0, 4.0], [0.0, 1.0, -1.0]])
    for kw in ({"bias": 1}, {"ddof": 0}):
        with pytest.raises(TypeError):
            np.corrcoef(x, **kw)
        with pytest.raises(TypeError, match=r"^corrcoef: bias= and ddof="):
            ag.corrcoef(ag.tensor(x), **kw)
    with pytest.raises(TypeError):
        ag.corrcoef(ag.tensor(x), None, True, 1)  # (a fourth positional argument, as NumPy's)
