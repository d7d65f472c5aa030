"""More of PyTorch's names (autograd_core/torch_extras.py): amax/amin, narrow, unbind, rsqrt, lerp, addmm, index_add
and the small methods. The differentiable ones are declared for the generated checks (NumPy reference,
finite-difference first and second derivatives, graph freed, float32); then errors, and PyTorch itself."""
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd_core as ag
from autograd_core.testing.strategies import shapes

sys.path.append(str(Path(__file__).resolve().parent / "ops"))  # the engine's declaration tables
sys.path.append(str(Path(__file__).resolve().parents[1]))  # conftest's helpers
from conftest import assert_function_matches_torch  # noqa: E402
from optable import Op, generated_tests, spaced  # noqa: E402

RNG = np.random.default_rng(0)


@st.composite
def _dim_case(draw):
    shape = draw(shapes(min_dims=1, max_dims=3, min_side=1, max_side=3))
    return (shape,), {"dim": draw(st.integers(-len(shape), len(shape) - 1)), "keepdim": draw(st.booleans())}


@st.composite
def _narrow_case(draw):
    shape = draw(shapes(min_dims=1, max_dims=3, min_side=1, max_side=4))
    dim = draw(st.integers(-len(shape), len(shape) - 1))
    n = shape[dim]
    start = draw(st.integers(-n, n))
    length = draw(st.integers(0, n - start % n if start < 0 else n - start))
    return (shape,), {"dim": dim, "start": start, "length": length}


def _narrow_ref(x, dim, start, length):
    start = start + x.shape[dim] if start < 0 else start
    return np.take(x, np.arange(start, start + length), axis=dim)


@st.composite
def _index_add_case(draw):
    shape = draw(shapes(min_dims=1, max_dims=3, min_side=1, max_side=3))
    dim = draw(st.integers(-len(shape), len(shape) - 1))
    index = draw(hnp.arrays(np.int64, draw(st.integers(0, 4)), elements=st.integers(0, shape[dim] - 1)))
    source = shape[:dim % len(shape)] + (index.size,) + shape[dim % len(shape) + 1:]
    return (shape, source), {"dim": dim, "index": index}


def _index_add_ref(x, s, dim, index):
    out = x.copy()
    np.add.at(out, (slice(None),) * (dim % x.ndim) + (index,), 2.0 * s)
    return out


TORCH_EXTRAS = [
    Op("amax", lambda x, dim, keepdim: ag.amax(x, dim=dim, keepdim=keepdim),
       lambda x, dim, keepdim: np.amax(x, axis=dim, keepdims=keepdim), case=_dim_case(), unique=True,
       elements=spaced()),
    Op("amin_method", lambda x, dim, keepdim: x.amin(dim=dim, keepdim=keepdim),
       lambda x, dim, keepdim: np.amin(x, axis=dim, keepdims=keepdim), case=_dim_case(), unique=True,
       elements=spaced()),
    Op("narrow", lambda x, **kw: x.narrow(**kw), _narrow_ref, case=_narrow_case()),
    Op("unbind", lambda x: ag.stack([2 * t for t in x.unbind(-1)]),
       lambda x: np.stack([2 * x[..., i] for i in range(x.shape[-1])]),
       shapes=shapes(min_dims=1, max_dims=3, min_side=1, max_side=3).map(lambda s: (s,))),
    Op("rsqrt", ag.rsqrt, lambda x: 1 / np.sqrt(x), elements=(0.2, 4.0)),
    Op("lerp", lambda a, b, w: a.lerp(b, w), lambda a, b, w: a + w * (b - a), arity=3),
    Op("addmm", lambda c, a, b: ag.addmm(c, a, b, beta=0.5, alpha=-2), lambda c, a, b: 0.5 * c - 2 * (a @ b),
       arity=3, shapes=st.sampled_from([((3,), (2, 4), (4, 3)), ((2, 1), (2, 2), (2, 1)), ((), (1, 3), (3, 2))])),
    Op("index_add", lambda x, s, dim, index: x.index_add(dim, index, s, alpha=2.0), _index_add_ref,
       case=_index_add_case()),
]

globals().update(generated_tests(TORCH_EXTRAS))


def test_small_methods():
    x = ag.zeros((2, 3))
    assert x.is_floating_point() and not x.long().is_floating_point()
    assert x.is_contiguous() and not x.T.is_contiguous() and x.T.contiguous().is_contiguous()
    assert x.nelement() == 6 and x.ndimension() == 2
    np.testing.assert_array_equal((x > 0).logical_not().data, np.ones((2, 3), bool))
    np.testing.assert_array_equal(ag.tensor([7.0, -7.0]).floor_divide(2).data, [3.0, -4.0])
    assert ag.tensor([1, 2]).true_divide(2).tolist() == [0.5, 1.0]
    assert ag.Tensor.amax is ag.amax and ag.Tensor.unbind is ag.unbind


X = ag.zeros((2, 3))


@pytest.mark.parametrize("call, kind, message", [
    (lambda: X.narrow(1, 4, 0), IndexError, r"start 4 is out of range for dimension 1 of size 3"),
    (lambda: X.narrow(1, 2, 2), ValueError, r"start \(2\) \+ length \(2\) exceeds dimension 1 of size 3"),
    (lambda: X.narrow(2, 0, 1), IndexError, r"dim 2 is out of range .* \[-2, 2\)"),
    (lambda: X.narrow(0, 0.5, 1), TypeError, "start must be an int"),
    (lambda: ag.unbind(ag.tensor(1.0)), ValueError, "input is 0-d"),
    (lambda: ag.addmm(ag.ones(4), ag.ones((2, 3)), ag.ones((3, 2))), ValueError, r"input of shape \(4,\) does not"),
    (lambda: ag.addmm(ag.ones(2), ag.ones((2, 3)), ag.ones((2, 2))), ValueError, r"cannot be multiplied \(2x3"),
    (lambda: X.index_add(0, np.array([0]), ag.ones((2, 3))), ValueError, r"source must have shape \(1, 3\)"),
    (lambda: X.index_add(0, np.array([2]), ag.ones((1, 3))), IndexError, r"index out of range"),
    (lambda: X.index_add(0, np.array([-1]), ag.ones((1, 3))), IndexError, r"negative ones are refused"),
    (lambda: ag.addmm(ag.ones((3, 3)), ag.ones((1, 2)), ag.ones((2, 1))), ValueError, r"\(3, 3\) does not"),
    (lambda: X.index_add(0, np.array([0.0]), ag.ones((1, 3))), TypeError, r"1-D integer Tensor"),
    (lambda: X.index_add(0, np.array([0]), ag.ones((1, 3), dtype=np.float32)), TypeError, "source's dtype float32"),
    (lambda: ag.amax(X, 0, dim=1), TypeError, "got both axis=0 and dim=1"),
])
def test_errors_name_the_operation_and_what_is_valid(call, kind, message):
    with pytest.raises(kind, match=message):
        call()


@settings(max_examples=10)
@given(data=st.data(), dtype=st.sampled_from([np.float64, np.float32]))
def test_extras_match_torch(data, dtype):
    torch = pytest.importorskip("torch")
    (shape,), kw = data.draw(_dim_case())
    x = RNG.permutation(int(np.prod(shape))).reshape(shape) * 0.5
    assert_function_matches_torch(lambda t: t.amax(**kw), lambda t: t.amax(**kw), [x], dtype)
    x = np.round(RNG.standard_normal(shape), 0)  # ties: the gradient shared equally by both
    assert_function_matches_torch(lambda t: ag.amin(t, **kw), lambda t: torch.amin(t, **kw), [x], dtype)
    (shape,), kw = data.draw(_narrow_case())
    assert_function_matches_torch(lambda t: t.narrow(**kw), lambda t: t.narrow(**kw), [RNG.standard_normal(shape)],
                                  dtype)
    (shape, source), kw = data.draw(_index_add_case())
    index = kw["index"]
    if index.size:  # (torch 2.13's backward fails on an empty index)
        assert_function_matches_torch(lambda t, s: t.index_add(kw["dim"], index, s, alpha=2),
                                      lambda t, s: t.index_add(kw["dim"], torch.tensor(index), s, alpha=2),
                                      [RNG.standard_normal(shape), RNG.standard_normal(source)], dtype)
    arrays = [RNG.standard_normal(s) for s in ((3,), (2, 4), (4, 3))]
    assert_function_matches_torch(lambda c, a, b: ag.addmm(c, a, b, beta=0.5, alpha=2),
                                  lambda c, a, b: torch.addmm(c, a, b, beta=0.5, alpha=2), arrays, dtype)
    arrays = [RNG.standard_normal((2, 3)), RNG.standard_normal((2, 3)), RNG.random((2, 3))]
    assert_function_matches_torch(lambda a, b, w: a.lerp(b, w), lambda a, b, w: a.lerp(b, w), arrays, dtype)
    assert_function_matches_torch(ag.rsqrt, torch.rsqrt, [RNG.random((2, 3)) + 0.5], dtype)
    x = RNG.standard_normal((3, 2))
    assert_function_matches_torch(lambda t: ag.stack(t.unbind(1), 0), lambda t: torch.stack(t.unbind(1), 0), [x],
                                  dtype)


def test_narrow_from_the_end():
    x = ag.arange(6.0).reshape(2, 3)
    assert x.narrow(1, -2, 2).tolist() == [[1.0, 2.0], [4.0, 5.0]]  # through the last entry
    assert x.narrow(-1, -3, 1).tolist() == [[0.0], [3.0]] and x.narrow(0, 2, 0).shape == (0, 3)
