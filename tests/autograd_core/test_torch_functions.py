"""PyTorch's functions (autograd_core/torch_functions.py): ag.cat, pow, clamp, gather, scatter, scatter_add,
index_select, masked_select, topk, mm, bmm, isnan..., isclose/allclose, numel, from_numpy, as_tensor (randint,
multinomial and normal: test_torch_random_draws.py). The differentiable ones are declared once for the generated
checks (NumPy reference, finite-difference first and second derivatives, graph freed, float32); then torch's errors,
the constants, and comparisons with PyTorch itself."""
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd_core as ag
from autograd_core.testing import gradcheck, gradgradcheck
from autograd_core.testing.strategies import shapes

sys.path.append(str(Path(__file__).resolve().parent / "ops"))  # the engine's declaration tables
sys.path.append(str(Path(__file__).resolve().parents[1]))  # conftest's helpers
from conftest import assert_function_matches_torch  # noqa: E402
from optable import SMALL, Op, generated_tests, spaced  # noqa: E402

RNG = np.random.default_rng(0)


# ---- NumPy references ----
def _positions(index, dim):
    dim %= index.ndim
    return tuple(index if d == dim else np.arange(n).reshape((1,) * d + (n,) + (1,) * (index.ndim - d - 1))
                 for d, n in enumerate(index.shape))


def _gather_ref(x, dim, index):
    dim %= x.ndim
    part = x[tuple(slice(None) if d == dim else slice(0, n) for d, n in enumerate(index.shape))]
    return np.take_along_axis(part, index, dim)


def _scatter_add_ref(x, src, dim, index):
    out = x.copy()
    np.add.at(out, _positions(index, dim), src[tuple(slice(0, n) for n in index.shape)])
    return out


def _scatter_ref(x, src, dim, index):
    out = x.copy()
    where = _positions(index, dim)
    for k in np.ndindex(index.shape):  # in order: the last write wins
        out[tuple(np.broadcast_to(w, index.shape)[k] for w in where)] = src[k]
    return out


def _topk_ref(x, k, dim, largest):
    ordered = -np.sort(-x, axis=dim) if largest else np.sort(x, axis=dim)
    return np.take(ordered, np.arange(k), axis=dim)


# ---- drawn cases ----
@st.composite
def _gather_case(draw, duplicates=True):
    """((x_shape,), {"dim", "index"}): index of x's ndim, at most x's size off dim, any size (0 too) along dim."""
    shape = draw(shapes(min_dims=1, max_dims=3, min_side=1, max_side=3))
    dim = draw(st.integers(-len(shape), len(shape) - 1))
    d = dim % len(shape)
    index_shape = tuple(draw(st.integers(0, 4)) if i == d else draw(st.integers(1, n)) for i, n in enumerate(shape))
    index = draw(hnp.arrays(np.int64, index_shape, elements=st.integers(0, shape[d] - 1)))
    return (shape,), {"dim": dim, "index": index}


@st.composite
def _scatter_case(draw, unique=False):
    """((x_shape, src_shape), {"dim", "index"}): index no larger than src anywhere nor than x off dim."""
    shape = draw(shapes(min_dims=1, max_dims=3, min_side=1, max_side=3))
    dim = draw(st.integers(-len(shape), len(shape) - 1))
    d = dim % len(shape)
    index_shape = tuple(draw(st.integers(0, n if unique and i == d else 3) if i == d else st.integers(1, n))
                        for i, n in enumerate(shape))
    if unique:  # distinct positions along dim within each line: a permutation's first entries
        lines = [draw(st.permutations(range(shape[d])))[:index_shape[d]] for _ in range(int(np.prod(
            [n for i, n in enumerate(index_shape) if i != d])))]
        index = np.moveaxis(np.array(lines, dtype=np.int64).reshape(
            [n for i, n in enumerate(index_shape) if i != d] + [index_shape[d]]), -1, d)
    else:
        index = draw(hnp.arrays(np.int64, index_shape, elements=st.integers(0, shape[d] - 1)))
    src_shape = tuple(n + draw(st.integers(0, 1)) for n in index_shape)
    return (shape, src_shape), {"dim": dim, "index": index}


@st.composite
def _index_select_case(draw):
    shape = draw(shapes(min_dims=1, max_dims=3, min_side=1, max_side=3))
    dim = draw(st.integers(-len(shape), len(shape) - 1))
    index = draw(hnp.arrays(np.int64, draw(st.integers(0, 4)), elements=st.integers(0, shape[dim] - 1)))
    return (shape,), {"dim": dim, "index": index}


@st.composite
def _masked_select_case(draw):
    shape = draw(shapes(min_dims=0, max_dims=3, min_side=1, max_side=3))
    mask_shape = draw(hnp.broadcastable_shapes(shape, min_dims=0, max_dims=3, max_side=3))
    return (shape,), {"mask": draw(hnp.arrays(bool, mask_shape))}


@st.composite
def _topk_case(draw):
    shape = draw(shapes(min_dims=1, max_dims=3, min_side=1, max_side=4))
    dim = draw(st.integers(-len(shape), len(shape) - 1))
    return (shape,), {"k": draw(st.integers(0, shape[dim])), "dim": dim, "largest": draw(st.booleans())}


@st.composite
def _mm_case(draw, batch=False):
    n, m, p = (draw(st.integers(1, 3)) for _ in range(3))
    b = (draw(st.integers(1, 3)),) if batch else ()
    return (b + (n, m), b + (m, p)), {}


@st.composite
def _clamp_case(draw):
    shape = draw(shapes(**SMALL))
    lo = draw(st.none() | spaced(-2.0, 0.0, offset=0.05))
    hi = draw(spaced(0.5, 2.0, offset=0.05) if lo is None else st.none() | spaced(0.5, 2.0, offset=0.05))
    return (shape,), {"min": lo, "max": hi}


def _clip_ref(x, min=None, max=None):  # noqa: A002
    return np.clip(x, min, max)


TORCH_FUNCTIONS = [
    Op("gather", lambda x, dim, index: ag.gather(x, dim, index), _gather_ref, case=_gather_case()),
    Op("gather_method", lambda x, dim, index: x.gather(dim, ag.tensor(index)), _gather_ref, case=_gather_case()),
    Op("scatter_add", lambda x, s, dim, index: ag.scatter_add(x, dim, index, s), _scatter_add_ref,
       case=_scatter_case()),
    Op("scatter_add_method", lambda x, s, dim, index: x.scatter_add(dim, ag.tensor(index), s), _scatter_add_ref,
       case=_scatter_case()),
    Op("scatter", lambda x, s, dim, index: ag.scatter(x, dim, index, s), _scatter_ref, case=_scatter_case(True)),
    Op("scatter_value", lambda x, dim, index: ag.scatter(x, dim, index, value=1.5),
       lambda x, dim, index: _scatter_ref(x, np.full(index.shape, 1.5), dim, index),
       case=_gather_case().filter(lambda c: c[1]["index"].shape[c[1]["dim"]] <= c[0][0][c[1]["dim"]])),
    Op("index_select", lambda x, dim, index: x.index_select(dim, index),
       lambda x, dim, index: np.take(x, index, axis=dim), case=_index_select_case()),
    Op("masked_select", lambda x, mask: ag.masked_select(x, ag.tensor(mask)),
       lambda x, mask: np.broadcast_to(x, np.broadcast_shapes(x.shape, mask.shape))[
           np.broadcast_to(mask, np.broadcast_shapes(x.shape, mask.shape))], case=_masked_select_case()),
    Op("topk_values", lambda x, **kw: ag.topk(x, **kw).values, _topk_ref, case=_topk_case(), unique=True,
       elements=spaced()),
    Op("topk_method", lambda x, **kw: x.topk(kw.pop("k"), **kw)[0], _topk_ref, case=_topk_case(), unique=True,
       elements=spaced()),
    Op("mm", ag.mm, np.matmul, arity=2, case=_mm_case()),
    Op("mm_method", lambda a, b: a.mm(b), np.matmul, arity=2, case=_mm_case()),
    Op("bmm", ag.bmm, np.matmul, arity=2, case=_mm_case(batch=True)),
    Op("bmm_method", lambda a, b: a.bmm(b), np.matmul, arity=2, case=_mm_case(batch=True)),
    Op("pow", ag.pow, np.power, arity=2, elements=[(0.2, 3.0), (-2.0, 2.0)]),
    Op("pow_method", lambda x: x.pow(3), lambda x: x ** 3),
    Op("clamp", lambda x, **kw: ag.clamp(x, **kw), _clip_ref, case=_clamp_case(), elements=spaced()),
    Op("clamp_method", lambda x, **kw: x.clamp(**kw), _clip_ref, case=_clamp_case(), elements=spaced()),
    Op("clamp_tensors", lambda x, lo, hi: ag.clamp(x, lo, hi), np.clip, arity=3,
       elements=[spaced(), spaced(-3.0, -0.1, offset=0.05), spaced(0.0, 3.0, offset=0.05)]),  # lo < hi
    Op("clamp_min", lambda x: ag.clamp_min(x, 0.25), lambda x: np.maximum(x, 0.25), avoid=(0.25,)),
    Op("clamp_max_method", lambda x, y: x.clamp_max(y), np.minimum, arity=2, elements=[spaced(), spaced(offset=0.05)]),
    Op("cat", lambda x, y: ag.cat([x, y], dim=-1), lambda x, y: np.concatenate([x, y], -1), arity=2,
       shapes=st.tuples(st.just((2, 3)), st.sampled_from([(2, 1), (2, 2)]))),
]

globals().update(generated_tests(TORCH_FUNCTIONS))


# ---- results that are constants ----
def test_isnan_isinf_isfinite_are_boolean_constants():
    x = ag.tensor([1.0, np.inf, -np.inf, np.nan], requires_grad=True)
    for name in ("isnan", "isinf", "isfinite"):
        for out in (getattr(ag, name)(x), getattr(x, name)()):
            assert out.dtype == np.bool_ and not out.requires_grad
            np.testing.assert_array_equal(out.data, getattr(np, name)(x.data))


def test_isclose_allclose_follow_numpy():
    a, b = np.array([1.0, 2.0, np.nan]), np.array([1.0 + 1e-9, 2.001, np.nan])
    np.testing.assert_array_equal(ag.isclose(ag.tensor(a), b).data, np.isclose(a, b))
    np.testing.assert_array_equal(ag.tensor(a).isclose(b, equal_nan=True).data, np.isclose(a, b, equal_nan=True))
    assert ag.allclose(ag.tensor(a), ag.tensor(a), equal_nan=True) is True
    assert ag.allclose(ag.tensor(a[:2]), b[:2], atol=0.01) is True and ag.allclose(a[:2], ag.tensor(b[:2])) is False


def test_topk_indices_nan_and_ties():
    x = ag.tensor([1.0, 3.0, np.nan, 3.0, -1.0])
    values, indices = ag.topk(x, 3)
    np.testing.assert_array_equal(values.data, [np.nan, 3.0, 3.0])
    np.testing.assert_array_equal(indices.data, [2, 1, 3])  # NaN largest; ties by lower index
    smallest = ag.topk(x, 5, largest=False)
    np.testing.assert_array_equal(smallest.indices.data, [4, 0, 1, 3, 2])  # NaN last
    assert smallest.indices.dtype == np.int64 and smallest._fields == ("values", "indices")
    w = ag.tensor([[4.0, 1.0, 3.0]], requires_grad=True)
    w.topk(2).values.sum().backward()
    np.testing.assert_array_equal(w.grad.data, [[1.0, 0.0, 1.0]])
    assert ag.topk(ag.tensor(5.0), 1).values.shape == ()


def test_numel_from_numpy_as_tensor():
    assert ag.numel(ag.zeros((2, 3))) == 6 and ag.numel(np.zeros(4)) == 4 and ag.numel(2.0) == 1
    a = np.arange(3.0)
    t = ag.from_numpy(a)
    a[0] = 7.0
    t.data[1] = 8.0
    np.testing.assert_array_equal(t.data, a) and np.testing.assert_array_equal(a, [7.0, 8.0, 2.0])
    assert ag.as_tensor(a).data is a and ag.as_tensor(a, dtype=np.float32).data is not a
    w = ag.tensor([1.0], requires_grad=True)
    assert ag.as_tensor(w) is w and ag.as_tensor(w, dtype=np.float32).requires_grad
    assert ag.as_tensor([1, 2]).dtype == np.int64


# ---- errors where PyTorch raises ----
X = ag.zeros((2, 3))


@pytest.mark.parametrize("call, kind, message", [
    (lambda: ag.gather(X, 0, np.zeros(3, np.int64)), ValueError, r"as many dimensions as input \(2"),
    (lambda: ag.gather(X, 1, np.zeros((3, 2), np.int64)), ValueError, r"no larger than input .*\(dimension 0: 3 > 2\)"),
    (lambda: ag.gather(X, 0, np.array([[-1]])), IndexError, r"index -1 is out of bounds for dimension 0 with size 2"),
    (lambda: ag.gather(X, 1, np.array([[3]])), IndexError, r"index 3 is out of bounds for dimension 1 with size 3"),
    (lambda: ag.gather(X, 2, np.array([[0]])), IndexError, r"dim 2 is out of range .* \[-2, 2\)"),
    (lambda: ag.gather(X, 0, np.array([[0.0]])), TypeError, r"index must be an integer .* float64"),
    (lambda: ag.scatter_add(X, 0, np.zeros((1, 1), np.int64), ag.zeros((1, 1), dtype=np.float32)), TypeError,
     r"src's dtype float32 must be input's \(float64\)"),
    (lambda: ag.scatter_add(X, 0, np.zeros((2, 2), np.int64), ag.zeros((1, 2))), ValueError,
     r"src \(shape \(1, 2\)\) must .* at least as large"),
    (lambda: ag.scatter(X, 0, np.zeros((1, 1), np.int64)), TypeError, "exactly one of src"),
    (lambda: ag.index_select(X, 0, np.array([[0]])), ValueError, r"must be a vector .* \(1, 1\)"),
    (lambda: ag.index_select(X, 0, np.array([2])), IndexError, r"out of range: .* \[0, 2\)"),
    (lambda: ag.masked_select(X, np.ones(3)), TypeError, "mask must be a boolean"),
    (lambda: ag.masked_select(X, np.ones(2, bool)), ValueError, r"mask of shape \(2,\) does not broadcast"),
    (lambda: ag.topk(X, 4), ValueError, r"k=4 is out of range for dimension 1 of size 3"),
    (lambda: ag.topk(X, 1.0), TypeError, "k must be an int"),
    (lambda: ag.mm(ag.zeros((2, 3)), ag.zeros((4, 5))), ValueError,
     r"shapes \(2, 3\) and \(4, 5\) cannot be multiplied: the first's columns must equal the second's rows"),
    (lambda: ag.mm(ag.zeros(3), ag.zeros((3, 5))), ValueError, r"two matrices \(2-D\), got shapes \(3,\)"),
    (lambda: ag.mm(ag.zeros((2, 3)), ag.zeros((3, 5), dtype=np.float32)), TypeError, "float64 and float32"),
    (lambda: ag.bmm(ag.zeros((2, 2, 3)), ag.zeros((3, 3, 5))), ValueError,
     r"cannot be multiplied: the same batch size, and the second's rows equal to the first's columns"),
    (lambda: ag.bmm(ag.zeros((2, 3)), ag.zeros((2, 3, 5))), ValueError, r"3-D"),
    (lambda: ag.clamp(X), ValueError, "at least one of 'min' or 'max'"),
    (lambda: ag.from_numpy([1.0]), TypeError, "expects a numpy.ndarray, got list"),
    (lambda: ag.from_numpy(np.array(["a"])), TypeError, "unsupported dtype"),
    (lambda: ag.randint(5), TypeError, r"randint\(high, size\)"),
    (lambda: ag.randint(5, 5, (2,)), ValueError, "low < high"),
    (lambda: ag.randint(0, 300, (2,), dtype=np.int8), ValueError, "does not fit dtype int8"),
    (lambda: ag.cat([X, X], dim=1, axis=1), TypeError, "both dim=1 and axis=1"),
])
def test_errors_name_the_operation_and_what_is_valid(call, kind, message):
    with pytest.raises(kind, match=message):
        call()


def test_mm_of_float32_and_float64_names_the_numpy_scalar_promotion_that_usually_causes_it():
    # CS231n's random_weight: torch.randn(shape, dtype=float32) * np.sqrt(2. / fan_in), then x.mm(w)
    x = ag.ones((2, 3), dtype=np.float32)
    w = ag.ones((3, 2), dtype=np.float32) * np.sqrt(2.0 / 3)
    assert w.dtype == (np.ones(1, np.float32) * np.sqrt(2.0 / 3)).dtype == np.float64  # NumPy's promotion
    with pytest.raises(TypeError, match=r"^mm: .* got float32 and float64; .* NumPy float64 scalar .* float\(\.\.\.\)"):
        x.mm(w)
    kept = ag.ones((3, 2), dtype=np.float32) * float(np.sqrt(2.0 / 3))
    np.testing.assert_allclose(x.mm(kept).data, np.full((2, 2), 3 * np.float32(np.sqrt(2.0 / 3))), rtol=1e-6)
    with pytest.raises(TypeError, match=r"float64 and int64; cast one with \.to\(dtype\)$"):  # no hint there
        ag.mm(ag.zeros((2, 3)), ag.zeros((3, 2), dtype=np.int64))


def test_scatter_duplicates_last_write_wins_and_gets_the_gradient():
    src = ag.tensor([1.0, 2.0, 3.0], requires_grad=True)
    out = ag.scatter(ag.zeros(2), 0, ag.tensor([1, 1, 0]), src)
    np.testing.assert_array_equal(out.data, [3.0, 2.0])
    out.backward(np.array([10.0, 20.0]))
    np.testing.assert_array_equal(src.grad.data, [0.0, 20.0, 10.0])


def test_second_derivative_through_src():
    index = np.array([[1, 0, 1], [0, 0, 1]])
    assert gradgradcheck(lambda x, s: ag.sin(ag.scatter_add(x, 0, index, s) ** 2).sum(),
                         RNG.standard_normal((2, 3)), RNG.standard_normal((2, 3)))
    assert gradcheck(lambda x: ag.gather(x ** 2, 1, index), RNG.standard_normal((2, 3)))


# ---- PyTorch itself ----
@settings(max_examples=15)
@given(data=st.data(), dtype=st.sampled_from([np.float64, np.float32]))
def test_gather_scatter_index_select_match_torch(data, dtype):
    torch = pytest.importorskip("torch")
    (shape,), kw = data.draw(_gather_case())
    dim, index = kw["dim"], kw["index"]
    x = RNG.standard_normal(shape)
    assert_function_matches_torch(lambda t: ag.gather(t, dim, index), lambda t: torch.gather(t, dim, torch.tensor(
        index)), [x], dtype)
    (shape, src_shape), kw = data.draw(_scatter_case(unique=True))
    dim, index = kw["dim"], kw["index"]
    tindex = torch.tensor(index)
    if not index.size:  # (torch 2.13's backward fails on an empty index, and on a src larger than index:
        return  # ScatterAddBackward0's shape check)
    arrays = [RNG.standard_normal(shape), RNG.standard_normal(index.shape)]
    assert_function_matches_torch(lambda t, s: ag.scatter_add(t, dim, index, s),
                                  lambda t, s: torch.scatter_add(t, dim, tindex, s), arrays, dtype)
    assert_function_matches_torch(lambda t, s: ag.scatter(t, dim, index, s),
                                  lambda t, s: torch.scatter(t, dim, tindex, s), arrays, dtype)
    (shape,), kw = data.draw(_index_select_case())
    assert_function_matches_torch(lambda t: t.index_select(kw["dim"], kw["index"]),
                                  lambda t: t.index_select(kw["dim"], torch.tensor(kw["index"])),
                                  [RNG.standard_normal(shape)], dtype)


@settings(max_examples=15)
@given(data=st.data(), dtype=st.sampled_from([np.float64, np.float32]))
def test_topk_mm_bmm_masked_select_clamp_match_torch(data, dtype):
    torch = pytest.importorskip("torch")
    (shape,), kw = data.draw(_topk_case())
    x = RNG.permutation(np.prod(shape)).reshape(shape) * 0.5  # distinct: no ties
    assert_function_matches_torch(lambda t: ag.topk(t, **kw).values, lambda t: torch.topk(t, **kw).values, [x], dtype)
    np.testing.assert_array_equal(ag.topk(ag.tensor(x), **kw).indices.data,
                                  torch.topk(torch.tensor(x), **kw).indices.numpy())
    for batch in (False, True):
        shapes_, _ = data.draw(_mm_case(batch))
        arrays = [RNG.standard_normal(s) for s in shapes_]
        assert_function_matches_torch(ag.bmm if batch else ag.mm, torch.bmm if batch else torch.mm, arrays, dtype)
    (shape,), kw = data.draw(_masked_select_case())
    mask = kw["mask"]
    assert_function_matches_torch(lambda t: ag.masked_select(t, mask),
                                  lambda t: torch.masked_select(t, torch.tensor(mask)),
                                  [RNG.standard_normal(shape)], dtype)
    (shape,), kw = data.draw(_clamp_case())
    x = RNG.standard_normal(shape)
    assert_function_matches_torch(lambda t: t.clamp(**kw), lambda t: t.clamp(**kw), [x], dtype)


def test_isclose_randint_from_numpy_match_torch():
    torch = pytest.importorskip("torch")
    a, b = np.array([1.0, 2.0, np.nan, np.inf]), np.array([1.0 + 1e-7, 2.01, np.nan, np.inf])
    for equal_nan in (False, True):
        np.testing.assert_array_equal(ag.isclose(a, b, equal_nan=equal_nan).data,
                                      torch.isclose(torch.tensor(a), torch.tensor(b), equal_nan=equal_nan).numpy())
        assert ag.allclose(a, b, atol=0.1, equal_nan=equal_nan) == torch.allclose(
            torch.tensor(a), torch.tensor(b), atol=0.1, equal_nan=equal_nan)
    assert ag.randint(3, 7, (5,)).shape == tuple(torch.randint(3, 7, (5,)).shape)
    array = np.arange(4.0)
    assert np.shares_memory(ag.from_numpy(array).data, torch.from_numpy(array).numpy())


def test_zero_dimensional_and_empty_indices_as_torch():
    x = ag.tensor([1.0, 2.0, 3.0], requires_grad=True)
    picked = ag.gather(x, 0, np.int64(1))  # a 0-d index counts as 1-d; the result has index's shape
    assert picked.shape == () and float(picked) == 2.0
    s = ag.tensor(5.0, requires_grad=True)
    assert ag.gather(s, 0, np.array([0, 0])).tolist() == [5.0, 5.0]
    total = ag.scatter_add(s, 0, np.array([0, 0, 0]), ag.tensor([1.0, 2.0, 3.0]))
    assert total.shape == () and float(total) == 11.0
    assert ag.scatter(ag.zeros(3), 0, np.int64(1), ag.tensor(2.0)).tolist() == [0.0, 2.0, 0.0]
    empty = np.zeros((0, 5), np.int64)  # no entries: the sizes need not fit, as in torch
    assert ag.gather(ag.zeros((2, 3)), 0, empty).shape == (0, 5)
    src = ag.ones((2, 3), requires_grad=True)
    out = ag.scatter_add(ag.zeros((2, 3)), 1, np.zeros((2, 0), np.int64), src)
    out.sum().backward()
    assert out.tolist() == [[0.0] * 3] * 2 and src.grad.tolist() == [[0.0] * 3] * 2
    assert ag.index_select(s, 0, np.array([0])).shape == ()
    values, indices = ag.topk(s, 1)
    assert values.shape == () and int(indices) == 0


# cat: an empty 1-D Tensor among Tensors of other ranks is skipped, as PyTorch's (the accumulation idiom
# out = cat([out, x]) from out = tensor([]) raised NumPy's dimension error); its dtype still counts. A dim that is no
# int is refused (None made NumPy's concatenate flatten).

@pytest.mark.parametrize("dim", [0, 1, -1])
def test_an_empty_vector_is_skipped_among_matrices(dim):
    torch = pytest.importorskip("torch")
    x = np.arange(6.0).reshape(2, 3)
    expected = torch.cat([torch.tensor([], dtype=torch.float64), torch.tensor(x), torch.tensor([], dtype=torch.float64),
                          torch.tensor(x)], dim)
    got = ag.cat([ag.tensor([]), ag.tensor(x), ag.tensor([]), ag.tensor(x)], dim)
    assert got.shape == tuple(expected.shape) and got.dtype == expected.numpy().dtype
    np.testing.assert_array_equal(got.data, expected.numpy())


def test_the_accumulation_idiom_keeps_the_graph_and_the_dtype():
    w = ag.tensor(np.ones((2, 2)), requires_grad=True)
    out = ag.tensor([])
    for i in range(3):
        out = ag.cat([out, w * i])
    assert out.shape == (6, 2)
    out.sum().backward()
    np.testing.assert_array_equal(w.grad.data, np.full((2, 2), 3.0))
    assert ag.cat([ag.tensor([]), ag.ones((2, 2), dtype=np.float32)]).dtype == np.float64  # (the empty one's dtype)
    assert ag.cat([ag.tensor([]), ag.ones(3)]).shape == (3,)  # (all 1-D: NumPy's concatenate as before)
    with pytest.raises(ValueError, match="out of bounds"):
        ag.cat([ag.tensor([]), ag.ones((2, 3))], 5)


@pytest.mark.parametrize("dim", [None, 1.0, "0", True])
def test_cat_refuses_a_dim_that_is_no_int(dim):
    torch = pytest.importorskip("torch")
    with pytest.raises(TypeError):
        torch.cat([torch.ones(2, 2), torch.ones(2, 2)], dim)
    with pytest.raises(TypeError, match="cat: dim must be an int"):
        ag.cat([ag.ones((2, 2)), ag.ones((2, 2))], dim)
    assert ag.cat([ag.ones((2, 2)), ag.ones((2, 2))], np.int64(1)).shape == (2, 4)


# isclose/allclose refuse a tolerance that is no number (a bare NumPy or Python error) or negative (or NaN), as
# PyTorch does (NumPy's accepted it), and name themselves when the shapes do not broadcast (NumPy's bare error);
# randint takes dtype=bool for [0, 2), as PyTorch's (it was refused), and refuses a size that is no tuple.

@pytest.mark.parametrize("owner", ["isclose", "allclose"])
@pytest.mark.parametrize("tolerance", [None, "a", (1e-5,)])
def test_tolerances_that_are_no_numbers_are_refused(owner, tolerance):
    with pytest.raises(TypeError, match=f"{owner}: rtol must be a number"):
        getattr(ag, owner)(ag.ones(2), ag.ones(2), tolerance)
    assert getattr(ag, owner)(ag.ones(2), ag.ones(2), np.float32(1e-3), 0) is not None


@pytest.mark.parametrize("owner", ["isclose", "allclose"])
@pytest.mark.parametrize("tolerances", [{"rtol": -1.0}, {"atol": -1e-8}, {"rtol": float("nan")}])
def test_a_negative_tolerance_is_refused(owner, tolerances):
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError, match="must be greater than or equal to zero"):
        getattr(torch, owner)(torch.ones(2), torch.ones(2), **tolerances)
    name = next(iter(tolerances))
    for error in (ValueError, RuntimeError):  # (NumPy's and PyTorch's, found by porting PyTorch's test_testing)
        with pytest.raises(error, match=f"{owner}: {name} must be greater than or equal to zero"):
            getattr(ag, owner)(ag.ones(2), ag.ones(2), **tolerances)


@pytest.mark.parametrize("owner", ["isclose", "allclose"])
def test_zero_tolerances_compare_integers_past_2_53_exactly(owner):
    # (np.isclose compares them as floats, in which 2**53 + 1 is 2**53; PyTorch's isclose tests equality first)
    a = ag.tensor([2 ** 53, 5], dtype=np.int64)
    assert not bool(ag.all(getattr(ag, owner)(a, a + 1, rtol=0, atol=0)))
    assert bool(ag.all(getattr(ag, owner)(a, a.clone(), rtol=0, atol=0)))
    nan = ag.tensor([float("nan"), 1.0])
    assert bool(ag.all(getattr(ag, owner)(nan, nan, rtol=0, atol=0, equal_nan=True)))
    assert not bool(ag.any(getattr(ag, owner)(nan, nan + 1, rtol=0, atol=0)))


@pytest.mark.parametrize("owner", ["isclose", "allclose"])
def test_shapes_that_do_not_broadcast_name_the_function(owner):
    with pytest.raises(ValueError, match=rf"{owner}: the shapes \(2,\) and \(3,\) do not broadcast together"):
        getattr(ag, owner)(ag.ones(2), ag.ones(3))
    with pytest.raises(RuntimeError, match=rf"{owner}: the shapes"):  # (PyTorch's error)
        getattr(ag, owner)(ag.ones(2), ag.ones(3))
    with pytest.raises(ValueError, match=rf"{owner}: the shapes"):
        getattr(ag.ones(2), owner)([1.0, 2.0, 3.0])
    assert getattr(ag, owner)(ag.zeros((2, 1)), 0.0, 0.0, 0.0) is True or owner == "isclose"


# float16 scatter-adds: repeated indices are summed in float32 and rounded once, as torch.scatter_add sums them (and
# gather's gradient): in float16 the sum of 10,000 ones stalled at 2048. index_add, indexing's and index_select's
# gradients use the same sum (PyTorch's float16 index_add still stalls there).

def test_scatter_add_of_many_float16_ones_matches_torch():
    torch = pytest.importorskip("torch")
    index, src = np.zeros(10_000, np.int64), np.ones(10_000, np.float16)
    expected = torch.scatter_add(torch.zeros(2, dtype=torch.float16), 0, torch.tensor(index), torch.tensor(src))
    got = ag.scatter_add(ag.zeros(2, dtype=np.float16), 0, index, ag.tensor(src))
    assert got.dtype == np.float16
    np.testing.assert_array_equal(got.data, expected.numpy())
    assert got.tolist() == [10_000.0, 0.0]


def test_random_float16_scatter_add_matches_torch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    src = rng.standard_normal((3, 2000)).astype(np.float16)
    index = rng.integers(0, 4, (3, 2000))
    x = rng.standard_normal((3, 4)).astype(np.float16)
    expected = torch.scatter_add(torch.tensor(x), 1, torch.tensor(index), torch.tensor(src)).numpy()
    got = ag.scatter_add(ag.tensor(x), 1, index, ag.tensor(src)).data
    np.testing.assert_allclose(got.astype(np.float64), expected.astype(np.float64), rtol=2e-3, atol=0.02)


def test_gather_gradient_in_float16_matches_torch():
    torch = pytest.importorskip("torch")
    index = np.zeros(10_000, np.int64)
    x = ag.tensor(np.ones(3, np.float16), requires_grad=True)
    t = torch.ones(3, dtype=torch.float16, requires_grad=True)
    ag.gather(x, 0, index).sum().backward()
    torch.gather(t, 0, torch.tensor(index)).sum().backward()
    assert x.grad.dtype == np.float16
    np.testing.assert_array_equal(x.grad.data, t.grad.numpy())


def test_other_float16_sums_of_repeated_indices_are_exact_too():
    index = np.zeros(10_000, np.int64)
    x = ag.tensor(np.ones(3, np.float16), requires_grad=True)
    x[index].sum().backward()
    assert x.grad.tolist() == [10_000.0, 0.0, 0.0]
    out = ag.index_add(ag.zeros(2, dtype=np.float16), 0, index, ag.ones(10_000, dtype=np.float16))
    assert out.dtype == np.float16 and out.tolist() == [10_000.0, 0.0]


# A 0-d integer Tensor is taken wherever PyTorch's functions take an int (dims, sizes, narrow's start and length,
# topk's k), as torch's are; a float or bool Tensor, or one of more elements, is still refused.

X_INTS = np.arange(6.0).reshape(2, 3)


CALLS = {
    "gather": lambda lib, i: lib.gather(_t(lib, X_INTS), i(1), _t(lib, np.array([[0, 2]]))),
    "topk": lambda lib, i: lib.topk(_t(lib, X_INTS), i(2))[0],
    "narrow": lambda lib, i: lib.narrow(_t(lib, X_INTS), i(1), i(1), i(2)),
    "index_select": lambda lib, i: lib.index_select(_t(lib, X_INTS), i(0), _t(lib, np.array([1]))),
    "unbind": lambda lib, i: lib.unbind(_t(lib, X_INTS), i(1))[2],
    "unsqueeze": lambda lib, i: _t(lib, X_INTS).unsqueeze(i(0)),
    "flatten": lambda lib, i: _t(lib, np.zeros((2, 3, 4))).flatten(i(1)),
    "expand": lambda lib, i: _t(lib, X_INTS[:1]).expand(i(4), i(3)),
    "view": lambda lib, i: _t(lib, X_INTS).view(i(3), i(2)),
    "new_zeros": lambda lib, i: _t(lib, X_INTS).new_zeros(i(2), i(1)),
}


def _t(lib, value):
    return lib.tensor(value)


@pytest.mark.parametrize("name", list(CALLS))
def test_a_zero_d_integer_tensor_is_an_int(name):
    torch = pytest.importorskip("torch")
    expected = CALLS[name](torch, lambda n: torch.tensor(n))
    got = CALLS[name](ag, lambda n: ag.tensor(n))
    assert got.shape == tuple(expected.shape)
    np.testing.assert_array_equal(got.data, expected.numpy())


def test_other_tensors_are_still_refused():
    x = ag.tensor(X_INTS)
    with pytest.raises(TypeError, match="topk: k must be an int"):
        ag.topk(x, ag.tensor(1.0))
    with pytest.raises(TypeError, match="narrow: dim must be an int"):
        ag.narrow(x, ag.tensor(True), 0, 1)
    with pytest.raises(TypeError, match="gather: dim must be an int"):
        ag.gather(x, ag.tensor([1]), ag.tensor([[0]]))


def test_dtype_names_are_numpys_under_pytorchs_names():
    # torch.float32, torch.float (float32), torch.double, torch.long ...: ported code names dtypes through the module
    assert (ag.float16, ag.float32, ag.float64) == (np.float16, np.float32, np.float64)
    assert (ag.int8, ag.int16, ag.int32, ag.int64, ag.uint8, ag.bool) == (
        np.int8, np.int16, np.int32, np.int64, np.uint8, np.bool_)
    assert (ag.half, ag.float, ag.double, ag.long) == (np.float16, np.float32, np.float64, np.int64)
    assert ag.ones(2).float().dtype == ag.float and ag.tensor([1, 2], dtype=ag.long).dtype == np.int64
    x = ag.linspace(0.0, 1.0, 3, dtype=ag.float32).to(ag.double)
    assert x.dtype == np.float64


# ---- norm (torch.norm), as d2l's linear regression writes it (normal: test_torch_random_draws.py) ----

def test_norm_function_is_tensor_norm_and_torch_norm():
    x = ag.tensor([[3.0, 4.0], [0.0, 12.0]], requires_grad=True)
    np.testing.assert_allclose(ag.norm(x).data, np.sqrt(9 + 16 + 144))
    np.testing.assert_allclose(ag.norm(x, dim=1, keepdim=True).data, [[5.0], [12.0]])
    np.testing.assert_allclose(ag.norm(x, p=1, dim=0).data, [3.0, 16.0])
    np.testing.assert_allclose(ag.norm([3.0, 4.0]).data, 5.0)
    assert gradcheck(lambda t: ag.norm(t, dim=1), x)
    torch = pytest.importorskip("torch")
    t = torch.tensor(x.data)
    for kwargs in ({}, {"p": 1, "dim": 0}, {"p": float("inf"), "dim": 1, "keepdim": True}):
        np.testing.assert_allclose(ag.norm(x, **kwargs).data, torch.norm(t, **kwargs).numpy())
