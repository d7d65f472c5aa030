"""More of PyTorch's names (autograd_core/torch_extras.py): amax/amin, narrow, unbind, unsqueeze, permute,
repeat_interleave, rsqrt, lerp, histc, addmm, index_add, index_fill, unfold and the small methods. The
differentiable ones are declared for the generated checks (NumPy reference, finite-difference first and second
derivatives, graph freed, float32); then errors, and PyTorch itself."""
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
def _unfold_case(draw):
    shape = draw(shapes(min_dims=1, max_dims=3, min_side=1, max_side=4))
    dim = draw(st.integers(-len(shape), len(shape) - 1))
    return (shape,), {"dimension": dim, "size": draw(st.integers(1, shape[dim])), "step": draw(st.integers(1, 3))}


def _unfold_ref(x, dimension, size, step):
    windows = np.lib.stride_tricks.sliding_window_view(np.moveaxis(x, dimension, -1), size, axis=-1)[..., ::step, :]
    return np.moveaxis(windows, -2, dimension % x.ndim)


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


@st.composite
def _index_fill_case(draw):
    shape = draw(shapes(min_dims=1, max_dims=3, min_side=1, max_side=3))
    dim = draw(st.integers(-len(shape), len(shape) - 1))
    n = shape[dim]
    index = draw(st.one_of(hnp.arrays(np.int64, draw(st.integers(0, 4)), elements=st.integers(-n, n - 1)),
                           st.integers(-n, n - 1).map(np.int64)))  # (1-D, repeats and negatives allowed, or 0-d)
    return (shape,), {"dim": dim, "index": index}


def _index_fill_ref(x, dim, index):
    out = x.copy()
    out[(slice(None),) * (dim % x.ndim) + (np.atleast_1d(index),)] = -1.5
    return out


@st.composite
def _repeat_interleave_case(draw):
    shape = draw(shapes(min_dims=1, max_dims=3, min_side=1, max_side=3))
    dim = draw(st.one_of(st.none(), st.integers(-len(shape), len(shape) - 1)))
    n = int(np.prod(shape)) if dim is None else shape[dim]
    repeats = draw(st.one_of(st.integers(0, 3), st.lists(st.integers(0, 3), min_size=n, max_size=n),
                             st.just([2])))  # (one count in a list is broadcast, as PyTorch's)
    return (shape,), {"repeats": repeats, "dim": dim}


@st.composite
def _flip_case(draw):
    shape = draw(shapes(min_dims=1, max_dims=3, min_side=1, max_side=3))
    dims = draw(st.lists(st.integers(-len(shape), len(shape) - 1), min_size=1, max_size=len(shape),
                         unique_by=lambda d: d % len(shape)))
    return (shape,), {"dims": dims}


TORCH_EXTRAS = [
    Op("repeat_interleave", lambda x, repeats, dim: ag.repeat_interleave(x, ag.tensor(repeats), dim=dim),
       lambda x, repeats, dim: np.repeat(x, repeats, axis=dim), case=_repeat_interleave_case()),
    Op("repeat_interleave_method", lambda x, repeats, dim: x.repeat_interleave(repeats, dim),
       lambda x, repeats, dim: np.repeat(x, repeats, axis=dim), case=_repeat_interleave_case()),
    Op("unsqueeze", lambda x: ag.unsqueeze(x, -1), lambda x: np.expand_dims(x, -1)),
    Op("permute", lambda x: ag.permute(x, (1, 0)), np.transpose, shapes=st.just(((2, 3),))),
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
    Op("index_fill", lambda x, dim, index: x.index_fill(dim, ag.tensor(index), -1.5), _index_fill_ref,
       case=_index_fill_case()),
    Op("flip_method", lambda x, dims: x.flip(*dims), lambda x, dims: np.flip(x, tuple(dims)), case=_flip_case()),
    Op("unfold_method", lambda x, **kw: x.unfold(**kw), _unfold_ref, case=_unfold_case()),
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
    (lambda: ag.addmm(ag.ones(2), ag.ones((2, 3)), ag.ones((2, 2))), ValueError,
     r"addmm: shapes \(2, 3\) and \(2, 2\) cannot be multiplied"),
    (lambda: X.index_add(0, np.array([0]), ag.ones((2, 3))), ValueError, r"source must have shape \(1, 3\)"),
    (lambda: X.index_add(0, np.array([2]), ag.ones((1, 3))), IndexError, r"index out of range"),
    (lambda: X.index_add(0, np.array([-1]), ag.ones((1, 3))), IndexError, r"negative ones are refused"),
    (lambda: ag.addmm(ag.ones((3, 3)), ag.ones((1, 2)), ag.ones((2, 1))), ValueError, r"\(3, 3\) does not"),
    (lambda: X.index_add(0, np.array([0.0]), ag.ones((1, 3))), TypeError, r"1-D integer Tensor"),
    (lambda: X.index_add(0, np.array([0]), ag.ones((1, 3), dtype=np.float32)), TypeError, "source's dtype float32"),
    (lambda: X.index_fill(1, ag.tensor([3]), 0.0), IndexError, r"index_fill: index out of range: indices must be "
     r"in \[-3, 3\) for dimension 1 of size 3, got 3"),
    (lambda: X.index_fill(1, ag.tensor([-4]), 0.0), IndexError, r"in \[-3, 3\) .* got -4"),
    (lambda: X.index_fill(0, ag.tensor([[0]]), 0.0), TypeError, r"index_fill: index must be a 0-d or 1-D integer"),
    (lambda: X.index_fill(0, ag.tensor([0.0]), 0.0), TypeError, r"index_fill: .* got dtype float64"),
    (lambda: X.index_fill(0, ag.tensor([0]), ag.ones(1)), ValueError, r"index_fill: value must be a number or a 0-d"),
    (lambda: X.index_fill(2, ag.tensor([0]), 0.0), IndexError, r"index_fill: dim 2 is out of range .* \[-2, 2\)"),
    (lambda: ag.zeros(2, dtype=np.uint8).index_fill(0, [1], 300), OverflowError, r"index_fill: the value 300"),
    (lambda: ag.amax(X, 0, dim=1), TypeError, "got both axis=0 and dim=1"),
    (lambda: ag.repeat_interleave(X, -1), ValueError, r"repeat_interleave: repeats \[-1\] holds a negative count"),
    (lambda: ag.repeat_interleave(X, [1, 2], dim=1), ValueError, r"2 repeats for 3 entries along dim; give one"),
    (lambda: ag.repeat_interleave(X, 2.0), TypeError, r"repeats must be an int or a 1-D sequence of ints, got 0-D"),
    (lambda: ag.repeat_interleave(X, 1, dim=2), IndexError, r"dim 2 is out of range .* \[-2, 2\)"),
    (lambda: ag.repeat_interleave(X, 2, output_size=5), ValueError, r"output_size 5 differs .* length 12"),
    (lambda: ag.repeat_interleave(ag.tensor([[1, 2]])), TypeError, r"repeats \(given alone\) must be a 1-D"),
    (lambda: ag.repeat_interleave(ag.tensor(1.0), 2, dim=0), IndexError, r"dim 0 is out of range .* 0 dimensions"),
    (lambda: ag.permute(X, 1), TypeError, r"permute: dims must be a tuple naming every axis"),
    (lambda: X.flip(), TypeError, r"flip: give the dims to reverse, .* ag.flip\(t\) reverses every axis"),
    (lambda: X.flip(2), IndexError, r"flip: dim 2 is out of range .* \[-2, 2\)"),
    (lambda: X.flip(0, -2), ValueError, r"flip: dims \(0, 0\) name an axis more than once"),
    (lambda: X.flip(0, dims=1), TypeError, r"flip: got dims \(0,\) and dims=1; give them once"),
    (lambda: X.flip(0.5), TypeError, r"flip: dim must be an int, got 0.5"),
    (lambda: X.unfold(1, 4, 1), ValueError, r"unfold: size is 4 but must be >= 0 and at most the size 3"),
    (lambda: X.unfold(1, 2, 0), ValueError, r"unfold: step is 0 but must be > 0"),
    (lambda: X.unfold(2, 1, 1), IndexError, r"unfold: dim 2 is out of range .* \[-2, 2\)"),
    (lambda: X.unfold(0, 1.0, 1), TypeError, r"unfold: size must be an int, got 1.0"),
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


def test_index_fill_takes_pytorchs_index_forms_and_keeps_the_dtype():
    x = ag.arange(12.0).reshape(3, 4)
    expected = x.data.copy()
    expected[:, [3, 0]] = -1.0  # (a negative position counts from the end, repeated ones fill once)
    np.testing.assert_array_equal(x.index_fill(1, ag.tensor([-1, 0, 0]), -1.0).data, expected)
    np.testing.assert_array_equal(ag.index_fill(x, 0, ag.tensor(1), 7).data[1], [7.0] * 4)  # (a 0-d index)
    np.testing.assert_array_equal(x.index_fill(0, ag.tensor([], dtype=np.int64), 1.0).data, x.data)
    ints = ag.tensor([1, 2, 3]).index_fill(0, [1], 2.7)  # (the fraction cut, as PyTorch's; dtype kept)
    assert ints.dtype == np.int64 and ints.tolist() == [1, 2, 3]
    assert ag.zeros((2, 3), dtype=np.uint8).index_fill(1, [1], -1).tolist() == [[0, 255, 0], [0, 255, 0]]
    assert ag.tensor(3.0).index_fill(0, [0], 1.0).item() == 1.0 and ag.tensor(3.0).index_fill(-1, [0], 1.0).shape == ()


def test_index_fill_gradients_in_input_and_a_value_tensor():
    # the input's gradient is 0 where it was filled; a 0-d value Tensor gets the sum over the filled slices (each
    # filled once, however often index repeats it), as PyTorch's
    weights = np.arange(6.0).reshape(2, 3)
    y, v = ag.tensor(weights * 0.5, requires_grad=True), ag.tensor(2.0, requires_grad=True)
    (y.index_fill(1, ag.tensor([0, 2, 2]), v) * weights).sum().backward()
    np.testing.assert_array_equal(y.grad.data, [[0.0, 1.0, 0.0], [0.0, 4.0, 0.0]])
    assert v.grad.item() == 0.0 + 2.0 + 3.0 + 5.0
    assert ag.testing.gradcheck(lambda a, b: a.index_fill(0, ag.tensor([1, -1]), b), RNG.standard_normal((3, 2)),
                                np.array(0.3))
    torch = pytest.importorskip("torch")
    yt, vt = torch.tensor(weights * 0.5, requires_grad=True), torch.tensor(2.0, requires_grad=True)
    (yt.index_fill(1, torch.tensor([0, 2, 2]), vt) * torch.tensor(weights)).sum().backward()
    np.testing.assert_array_equal(y.grad.data, yt.grad.numpy())
    assert v.grad.item() == vt.grad.item()
    for dtype in (np.float64, np.float32):
        assert_function_matches_torch(lambda t: t.index_fill(-1, ag.tensor([2, -3]), -0.5),
                                      lambda t: t.index_fill(-1, torch.tensor([2, -3]), -0.5),
                                      [RNG.standard_normal((2, 3, 4))], dtype)


def test_flip_method_takes_pytorchs_dims_in_each_spelling():
    # minGPT's adder: d3 = d1d2d3[:, -(ndigit+1):]; d3 = d3.flip(1), the digits back in their order
    d3 = ag.tensor([[1, 2, 3], [4, 5, 6]])
    expected = np.array([[3, 2, 1], [6, 5, 4]])
    for flipped in (d3.flip(1), d3.flip(-1), d3.flip([1]), d3.flip((1,)), d3.flip(dims=1), d3.flip(dims=[1])):
        np.testing.assert_array_equal(flipped.data, expected)
    np.testing.assert_array_equal(d3.flip(0, 1).data, np.flip(d3.data))
    assert ag.tensor(7.0).flip(0).item() == 7.0 and ag.tensor(7.0).flip(-1).shape == ()  # 0-d: dim 0 or -1
    torch = pytest.importorskip("torch")
    t3 = torch.tensor(d3.data)
    for dims in ((1,), (0, 1), ([0, 1],)):
        np.testing.assert_array_equal(d3.flip(*dims).data, t3.flip(*dims).numpy())
    assert torch.tensor(7.0).flip(0).item() == 7.0
    with pytest.raises(TypeError):
        t3.flip()  # the dims are required, as here
    assert_function_matches_torch(lambda t: t.flip(0, 2), lambda t: t.flip(0, 2), [RNG.standard_normal((2, 3, 2))],
                                  np.float32)


def test_flip_function_takes_pytorchs_dims_keyword():
    # fast.ai's test-time augmentation flips a batch of images left to right: torch.flip(x, dims=[-1])
    x = RNG.standard_normal((2, 1, 3, 4))
    np.testing.assert_array_equal(ag.flip(ag.tensor(x), dims=[-1]).data, x[..., ::-1])
    np.testing.assert_array_equal(ag.flip(ag.tensor(x), dims=(0, 3)).data, x[::-1, :, :, ::-1])
    with pytest.raises(TypeError, match=r"flip: got both axis=0 and dims=\[1\] \(PyTorch's name for axis\)"):
        ag.flip(ag.tensor(x), 0, dims=[1])
    torch = pytest.importorskip("torch")
    assert_function_matches_torch(lambda t: ag.flip(t, dims=[-1]), lambda t: torch.flip(t, dims=[-1]), [x],
                                  np.float64)


def _histc_reference(values, bins, low, high):
    """torch.histc by hand: equal bins over [low, high] (the values' own range where low == high, widened by 1 each
    way if that is a point), the last bin closed, values outside left out; counts in the values' dtype."""
    values = np.ravel(values)
    if low == high and values.size:
        low, high = values.min(), values.max()
    if low == high:
        low, high = low - 1, high + 1
    counts = np.zeros(bins)
    for v in values[(values >= low) & (values <= high)]:
        counts[min(int((v - low) / (high - low) * bins), bins - 1)] += 1
    return counts.astype(values.dtype)


@pytest.mark.parametrize("values, args", [
    (np.abs(RNG.standard_normal((64, 8, 4, 4))) * 3, (40, 0, 10)),  # fast.ai's acts.abs().histc(40, 0, 10)
    (RNG.standard_normal(50), ()),  # the defaults: 100 bins over the values' own range
    (RNG.standard_normal(50).astype(np.float32), (7,)),
    (np.array([-3.0, -1.0, 0.0, 1.0, 1.0, 3.0]), (4, -1, 1)),  # outside left out, max in the last bin
    (np.array([2.0, 2.0]), (3,)),  # one value: the range widened to [1, 3]
    (np.array([2.0, 2.0]), (3, 1, 1)),
    (np.zeros(0), (3,)),
])
def test_histc_counts_as_pytorchs(values, args):
    x = ag.tensor(values)
    counts = ag.histc(x, *args)
    assert x.histc(*args).tolist() == counts.tolist() and counts.dtype == values.dtype
    low, high = (args + (0, 0))[1:3] if args else (0, 0)
    np.testing.assert_array_equal(counts.data, _histc_reference(values, (args or (100,))[0], low, high))
    torch = pytest.importorskip("torch")
    np.testing.assert_array_equal(counts.data, torch.histc(torch.tensor(values), *args).numpy())


def test_histc_of_a_recorded_tensor_is_a_constant():
    w = ag.tensor([0.5, 1.5], requires_grad=True)
    counts = (w * 2).histc(2, 0, 4)
    assert counts.tolist() == [1.0, 1.0] and not counts.requires_grad


@pytest.mark.parametrize("call, kind, message", [
    (lambda: ag.histc(ag.tensor([1, 2])), TypeError, r"histc: input must be a float Tensor .* got int64"),
    (lambda: ag.histc(ag.tensor([1.0]), 0), ValueError, r"histc: bins must be at least 1, got 0"),
    (lambda: ag.histc(ag.tensor([1.0]), 2.5), TypeError, r"histc: bins must be an int, got 2.5"),
    (lambda: ag.histc(ag.tensor([1.0]), 3, 2, 1), ValueError, r"histc: max must be larger than min, got min=2.0"),
    (lambda: ag.histc(ag.tensor([1.0, np.inf]), 3), ValueError, r"histc: the range of \[1.0, inf\] is not finite"),
])
def test_histc_refusals_name_the_way(call, kind, message):
    with pytest.raises(kind, match=message):
        call()


def test_narrow_from_the_end():
    x = ag.arange(6.0).reshape(2, 3)
    assert x.narrow(1, -2, 2).tolist() == [[1.0, 2.0], [4.0, 5.0]]  # through the last entry
    assert x.narrow(-1, -3, 1).tolist() == [[0.0], [3.0]] and x.narrow(0, 2, 0).shape == (0, 3)


# lerp takes PyTorch's second form for |weight| >= 0.5 (so weight 1 gives end exactly), and addmm ignores a term
# whose factor (beta, alpha) is 0, NaN and inf in it too, as PyTorch's.

@pytest.mark.parametrize("weight", [1.0, 0.75, -0.5, 1.5])
@pytest.mark.parametrize("as_tensor", [False, True])
def test_lerp_matches_torch_bit_for_bit_when_input_dwarfs_end(weight, as_tensor):
    torch = pytest.importorskip("torch")
    a, b = np.array([1e20, -3e15, 7.0]), np.array([1.0, 0.3, -2.5])
    w = np.full(3, weight)
    expected = torch.lerp(torch.tensor(a), torch.tensor(b), torch.tensor(w)).numpy()
    got = ag.lerp(ag.tensor(a), ag.tensor(b), ag.tensor(w) if as_tensor else weight)
    np.testing.assert_array_equal(got.data, expected)
    if weight == 1.0:
        np.testing.assert_array_equal(got.data, b)  # (the first form gave 0 for the 1e20 entry)


def test_lerp_gradients_at_an_infinite_input_match_torch():
    torch = pytest.importorskip("torch")
    a = np.array([-np.inf, 2.0, np.inf, 1.0])
    b, w = np.array([0.5, -1.0, 3.0, 1e10]), np.array([0.5, 0.25, 1.0, 0.75])
    x, y, z = (ag.tensor(v, requires_grad=True) for v in (a, b, w))
    tx, ty, tz = (torch.tensor(v, requires_grad=True) for v in (a, b, w))
    with np.errstate(invalid="ignore"):
        ag.lerp(x, y, z).sum().backward()
    torch.lerp(tx, ty, tz).sum().backward()
    for ours, theirs in ((x, tx), (y, ty), (z, tz)):
        np.testing.assert_allclose(ours.grad.data, theirs.grad.numpy(), rtol=1e-12)


def test_lerp_second_derivatives_across_both_forms():
    from autograd_core.testing import gradgradcheck
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal((2, 3)), rng.standard_normal((2, 3))
    w = np.array([[0.1, 0.49, 0.5], [0.9, 1.3, -0.7]])
    assert gradgradcheck(ag.lerp, a, b, w)
    assert gradgradcheck(lambda a, b: ag.lerp(a, b, 0.8), a, b)


@pytest.mark.parametrize("beta, alpha", [(0, 1), (0.0, 2.0), (1, 0), (0.5, 0.0), (0, 0)])
def test_addmm_leaves_out_a_term_whose_factor_is_zero(beta, alpha):
    torch = pytest.importorskip("torch")
    c = np.array([[np.nan, 1.0], [np.inf, -2.0]])
    m1, m2 = np.array([[np.inf, 1.0], [2.0, 3.0]]), np.array([[1.0, 0.0], [-1.0, 2.0]])
    tensors = [ag.tensor(v, requires_grad=True) for v in (c, m1, m2)]
    theirs = [torch.tensor(v, requires_grad=True) for v in (c, m1, m2)]
    with np.errstate(invalid="ignore"):
        out = ag.addmm(*tensors, beta=beta, alpha=alpha)
        out.sum().backward()
    expected = torch.addmm(*theirs, beta=beta, alpha=alpha)
    expected.sum().backward()
    np.testing.assert_array_equal(out.data, expected.detach().numpy())
    for ours, t in zip(tensors, theirs):
        np.testing.assert_array_equal(ours.grad.data, t.grad.numpy())


def test_addmm_beta_zero_keeps_the_dtype_and_checks_the_shape():
    m = ag.ones((2, 2), dtype=np.float32)
    assert ag.addmm(ag.tensor([np.nan, np.nan], dtype=np.float32), m, m, beta=0).dtype == np.float32
    np.testing.assert_array_equal(ag.addmm(np.array([np.nan, 1.0]), m, m, beta=0).data, np.full((2, 2), 2.0))
    with pytest.raises(ValueError, match=r"addmm: input of shape \(3,\) does not broadcast"):
        ag.addmm(ag.ones(3), m, m, beta=0)


def test_lerp_of_float16_is_computed_in_float32_and_rounded_once():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    a, b = (rng.standard_normal(4000).astype(np.float16) for _ in range(2))
    w = (rng.random(4000) * 1.4 - 0.2).astype(np.float16)
    for ours, theirs in ((ag.tensor(w), torch.tensor(w)), (0.3, 0.3), (0.7, 0.7)):
        got = ag.lerp(ag.tensor(a), ag.tensor(b), ours)
        expected = torch.lerp(torch.tensor(a), torch.tensor(b), theirs).numpy()
        assert got.dtype == np.float16
        # (PyTorch's kernel fuses a multiply-add: a few results an ulp apart; in float16 steps hundreds were)
        assert np.count_nonzero(got.data != expected) <= 20
        np.testing.assert_allclose(got.data.astype(float), expected.astype(float), atol=2.5e-4, rtol=1e-3)
    x = ag.tensor(a[:5], requires_grad=True)
    ag.lerp(x, ag.tensor(b[:5]), 0.25).sum().backward()
    assert x.grad.dtype == np.float16 and x.grad.tolist() == [0.75] * 5


# An empty dim (() or []) reduces every axis in amax and amin, PyTorch's names, as PyTorch's do; it was read as
# NumPy's axis=(), which reduces none. NumPy's axis=() keeps its meaning (also sum(dim=()), shared with NumPy, which
# the engine's generated tests pin to NumPy's axis=()).

X_SIGNED = np.arange(6.0).reshape(2, 3) - 2.5


@pytest.mark.parametrize("name", ["amax", "amin"])
@pytest.mark.parametrize("dim", [(), []])
@pytest.mark.parametrize("keepdim", [False, True])
def test_an_empty_dim_reduces_every_axis(name, dim, keepdim):
    torch = pytest.importorskip("torch")
    expected = getattr(torch, name)(torch.tensor(X_SIGNED), dim=dim, keepdim=keepdim).numpy()
    x = ag.tensor(X_SIGNED, requires_grad=True)
    got = getattr(ag, name)(x, dim=dim, keepdim=keepdim)
    assert got.shape == expected.shape
    np.testing.assert_allclose(got.data, expected)
    got.sum().backward()
    assert x.grad.shape == X_SIGNED.shape


def test_numpy_axis_and_any_all_keep_their_meaning():
    torch = pytest.importorskip("torch")
    assert ag.sum(ag.tensor(X_SIGNED), axis=()).shape == (2, 3)
    assert ag.amax(ag.tensor(X_SIGNED), ()).shape == (2, 3)
    assert (ag.tensor(X_SIGNED) > 0).any(dim=()).shape == (torch.tensor(X_SIGNED) > 0).any(dim=()).shape == (2, 3)


# repeat_interleave, as PyTorch's, in d2l.ai's masked_softmax: valid lengths repeated per query, or per head


@pytest.mark.parametrize("repeats, dim", [(2, None), (2, 0), ([1, 0], 0), ([2], 1), ([0, 1, 3], -1), (3, 1)])
def test_repeat_interleave_matches_torch(repeats, dim):
    torch = pytest.importorskip("torch")
    x = RNG.standard_normal((2, 3))
    kw = {} if dim is None else {"dim": dim}
    assert_function_matches_torch(lambda t: ag.repeat_interleave(t, ag.tensor(repeats), **kw),
                                  lambda t: torch.repeat_interleave(t, torch.tensor(repeats), **kw), [x], np.float64)
    assert_function_matches_torch(lambda t: t.repeat_interleave(repeats, **kw),
                                  lambda t: t.repeat_interleave(torch.tensor(repeats), **kw), [x], np.float32)


def test_repeat_interleave_of_integers_and_of_repeats_alone():
    torch = pytest.importorskip("torch")
    lengths = ag.tensor([2, 3])
    assert ag.repeat_interleave(lengths, 2).tolist() == [2, 2, 3, 3] == torch.repeat_interleave(
        torch.tensor([2, 3]), 2).tolist()
    assert ag.repeat_interleave(lengths, repeats=2, dim=0).dtype == np.int64
    assert ag.repeat_interleave(ag.tensor([1, 0, 2])).tolist() == [0, 2, 2] == torch.repeat_interleave(
        torch.tensor([1, 0, 2])).tolist()
    assert ag.repeat_interleave(ag.tensor(5.0), 3).tolist() == [5.0, 5.0, 5.0]  # a 0-d input, flattened
    assert ag.repeat_interleave(lengths, 2, output_size=4).shape == (4,)


def test_repeat_interleave_gradient_sums_the_copies():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    (ag.repeat_interleave(x, [2, 3]) * ag.arange(5.0)).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [0.0 + 1.0, 2.0 + 3.0 + 4.0])


def test_unsqueeze_and_permute_functions_match_the_methods_and_torch():
    torch = pytest.importorskip("torch")
    x = RNG.standard_normal((2, 3, 4))
    assert_function_matches_torch(lambda t: ag.unsqueeze(t, 1), lambda t: torch.unsqueeze(t, 1), [x], np.float64)
    assert_function_matches_torch(lambda t: ag.permute(t, (2, 0, 1)), lambda t: torch.permute(t, (2, 0, 1)), [x],
                                  np.float64)
    assert ag.unsqueeze(ag.tensor(x), 0).shape == ag.tensor(x).unsqueeze(0).shape == (1, 2, 3, 4)


# t.stride() and ag.set_printoptions were missing: fast.ai's course (01_matmul) shows c.expand_as(m).stride() as
# (0, 1), and each notebook opens with torch.set_printoptions(precision=2, linewidth=140, sci_mode=False).

@pytest.mark.parametrize("view", [lambda t: t, lambda t: t.T, lambda t: t[:, ::2], lambda t: t[1], lambda t: t[0, 0]],
                         ids=["contiguous", "transposed", "stepped", "row", "scalar"])
def test_stride_counts_elements_as_torchs(view):
    t = ag.tensor(np.arange(12.0, dtype=np.float32).reshape(3, 4))
    got = view(t).stride()
    assert got == tuple(s // 4 for s in view(t.data).strides)  # NumPy's strides count bytes, 4 per float32
    assert all(view(t).stride(d) == got[d] for d in range(-view(t).ndim, view(t).ndim))
    torch = pytest.importorskip("torch")
    assert got == view(torch.arange(12.0).reshape(3, 4)).stride()


def test_stride_of_an_expanded_tensor_is_zero_along_the_repeated_dimension():
    m = ag.zeros((3, 3))
    c = ag.tensor([10.0, 20.0, 30.0])
    assert c.expand_as(m).stride() == (0, 1) and c[:, None].expand_as(m).stride() == (1, 0)
    with pytest.raises(IndexError, match=r"^stride: dim 2 is out of range for a Tensor of 2 dimensions"):
        m.stride(2)
    torch = pytest.importorskip("torch")
    tc = torch.tensor([10.0, 20.0, 30.0])
    assert tc.expand_as(torch.zeros(3, 3)).stride() == (0, 1) and tc[:, None].expand_as(torch.zeros(3, 3)).stride() \
        == (1, 0)


def test_set_printoptions_sets_how_tensors_print():
    t = ag.tensor([1.23456, 0.0000123, 250.0])
    with np.printoptions():  # (restored after: the options are NumPy's, global)
        ag.set_printoptions(precision=2, linewidth=140, sci_mode=False)
        assert repr(t) == "Tensor([  1.23,   0.  , 250.  ])"
        assert np.get_printoptions()["linewidth"] == 140
        ag.set_printoptions(precision=3, sci_mode=True)
        assert repr(t) == "Tensor([1.235e+00, 1.230e-05, 2.500e+02])"
        ag.set_printoptions(threshold=4, edgeitems=1)
        assert repr(ag.arange(10.0)) == "Tensor([0., ..., 9.])"
        ag.set_printoptions(profile="short")
        assert np.get_printoptions()["precision"] == 2 and np.get_printoptions()["edgeitems"] == 2
        ag.set_printoptions(profile="default")
        assert repr(t) == "Tensor([1.23456e+00, 1.23000e-05, 2.50000e+02])"
        assert repr(t) == f"Tensor({np.array2string(t.data, separator=', ')})"


def test_set_printoptions_refuses_unknown_profiles_and_sci_modes():
    with np.printoptions():
        with pytest.raises(ValueError, match=r"^set_printoptions: profile must be one of \['default', 'full', 's"):
            ag.set_printoptions(profile="long")
        with pytest.raises(TypeError, match=r"^set_printoptions: sci_mode must be True, False or None, got 'no'$"):
            ag.set_printoptions(sci_mode="no")


# storage and storage_offset, as the book "Deep Learning with PyTorch" (ch. 3) uses them: a view shares its base's
# storage, writing to the storage changes every view, and the offset counts elements from the storage's start.

def test_storage_is_the_shared_flat_memory_of_every_view():
    points = ag.tensor([[4.0, 1.0], [5.0, 3.0], [2.0, 1.0]])
    np.testing.assert_array_equal(points.t().storage(), [4.0, 1.0, 5.0, 3.0, 2.0, 1.0])
    assert np.shares_memory(points[1].storage(), points.data)
    points.storage()[0] = 2.0
    points_t = points.t()
    assert float(points_t[0, 0]) == 2.0
    np.testing.assert_array_equal(points_t.contiguous().storage(), [2.0, 5.0, 2.0, 1.0, 3.0, 1.0])
    array = np.zeros(4)
    ag.from_numpy(array).storage()[3] = 7.0
    assert array[3] == 7.0
    torch = pytest.importorskip("torch")
    theirs = torch.tensor([[4.0, 1.0], [5.0, 3.0], [2.0, 1.0]]).t().contiguous()
    np.testing.assert_array_equal(ag.tensor([[4.0, 1.0], [5.0, 3.0], [2.0, 1.0]]).t().contiguous().storage(),
                                  np.array(theirs.untyped_storage().tolist(), dtype=np.uint8).view(np.float32))


@pytest.mark.parametrize("index, expected", [(1, 2), ((slice(1, None), 1), 3), ((slice(None), 0), 0),
                                             ((slice(None, None, -1), 1), 5), (Ellipsis, 0)])
def test_storage_offset_counts_elements_from_the_storages_start(index, expected):
    points = ag.tensor(np.arange(6.0).reshape(3, 2))
    assert points[index].storage_offset() == expected
    torch = pytest.importorskip("torch")
    if not (isinstance(index, tuple) and index[0].step == -1):  # torch has no negative steps
        assert torch.arange(6.0).reshape(3, 2)[index].storage_offset() == expected


def test_short_is_int16_as_torchs():
    values = np.array([1.7, -2.7, 300.0])
    assert ag.short is np.int16
    np.testing.assert_array_equal(ag.tensor(values).short().data, np.array([1, -2, 300], dtype=np.int16))
    assert ag.tensor([[1, 2], [3, 4]], dtype=ag.short).dtype == np.int16
    assert ag.tensor(values).to(dtype=ag.short).dtype == np.int16
    torch = pytest.importorskip("torch")
    np.testing.assert_array_equal(ag.tensor(values).short().data, torch.tensor(values).short().numpy())
    assert ag.tensor(values).to(torch.short).dtype == np.int16


# torch.<name>(x, ...) is x.<name>(...) for these methods: CS224n a4's beam search divides with
# torch.div(positions, vocab_size, rounding_mode='floor'), and its Vocab transposes with torch.t
@pytest.mark.parametrize("name, args, kwargs", [
    ("div", ([7.0, -7.0], 2), {"rounding_mode": "floor"}), ("div", ([7, -7], 2), {"rounding_mode": "trunc"}),
    ("div", ([1.0, 3.0], np.array([2.0, 4.0])), {}), ("true_divide", ([1, 2], 2), {}),
    ("sub", ([5.0, 1.0], np.array([2.0, 1.0])), {"alpha": 2}), ("neg", ([1.0, -2.0],), {}),
    ("eq", ([1, 3], 3), {}), ("ne", ([1, 3], 3), {}), ("lt", ([1, 3], 2), {}), ("le", ([1, 3], 1), {}),
    ("gt", ([1, 3], 2), {}), ("ge", ([1, 3], 3), {}), ("t", ([[1.0, 2.0, 3.0]],), {}), ("t", ([1.0, 2.0],), {}),
    ("masked_fill", ([1.0, 2.0, 3.0], np.array([True, False, True]), -np.inf), {}),
    ("movedim", (np.zeros((2, 3, 4)), 0, -1), {}), ("is_floating_point", ([1, 2],), {}),
])
def test_functions_that_are_methods_give_the_methods_results_and_torchs(name, args, kwargs):
    ours = getattr(ag, name)(ag.tensor(args[0]), *args[1:], **kwargs)
    method = getattr(ag.tensor(args[0]), name)(*args[1:], **kwargs)
    rounded = {"floor": np.floor, "trunc": np.trunc, None: lambda q: q}
    expected = {"div": lambda x, y, rounding_mode=None: rounded[rounding_mode](np.divide(x, y)),
                "true_divide": np.divide, "sub": lambda x, y, alpha: np.subtract(x, np.multiply(alpha, y)),
                "neg": np.negative, "eq": np.equal, "ne": np.not_equal, "lt": np.less, "le": np.less_equal,
                "gt": np.greater, "ge": np.greater_equal, "t": lambda x: np.asarray(x).T,
                "masked_fill": lambda x, mask, value: np.where(mask, value, x), "movedim": np.moveaxis,
                "is_floating_point": lambda x: np.asarray(x).dtype.kind == "f"}[name](*args, **kwargs)
    np.testing.assert_array_equal(np.asarray(ours), np.asarray(method))
    np.testing.assert_array_equal(np.asarray(ours), expected)
    torch = pytest.importorskip("torch")
    theirs = getattr(torch, name)(torch.tensor(np.asarray(args[0])),  # (NumPy's dtypes: [7.0] is float64)
                                  *[torch.tensor(a) if isinstance(a, np.ndarray) and a.ndim else a for a in args[1:]],
                                  **kwargs)
    np.testing.assert_array_equal(np.asarray(ours), np.asarray(theirs))
    if isinstance(theirs, torch.Tensor) and not (name == "true_divide"):  # (of ints: NumPy's float64, torch's float32)
        assert np.asarray(ours).dtype == theirs.numpy().dtype


def test_functions_that_are_methods_keep_the_gradient_and_stay_out_of_star_imports():
    x = ag.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    (ag.t(x) * ag.tensor([[1.0, 10.0], [100.0, 1000.0]])).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [[1.0, 100.0], [10.0, 1000.0]])  # the transpose of the weights
    x.grad = None
    ag.sub(ag.masked_fill(x, np.array([[True, False], [False, False]]), 0.0), x, alpha=3).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [[-3.0, -2.0], [-2.0, -2.0]])
    namespace = {}
    exec("from autograd_core import *", namespace)
    assert "t" not in namespace and "div" in namespace  # (a one-letter t would overwrite the user's, as ag.e would)
    with pytest.raises(ValueError, match=r"t: expects a Tensor of at most 2 dimensions, got shape \(1, 1, 1\)"):
        ag.t(ag.zeros((1, 1, 1)))


def test_byte_and_char_are_uint8_and_int8_as_torchs():
    values = np.array([1.7, -1.0, 0.0])
    assert ag.tensor([0.0, 2.0]).byte().tolist() == [0, 2] and ag.tensor([0.0, 2.0]).byte().dtype == np.uint8
    np.testing.assert_array_equal(ag.tensor(values).char().data, np.array([1, -1, 0], np.int8))
    torch = pytest.importorskip("torch")
    np.testing.assert_array_equal(ag.tensor(values).char().data, torch.tensor(values).char().numpy())
    np.testing.assert_array_equal(ag.tensor([0.0, 2.0]).byte().data, torch.tensor([0.0, 2.0]).byte().numpy())


# a seq2seq attention step as CS224n a4 writes it: scores by bmm, the padding masked with -inf, softmax, the context by
# bmm; the masked positions get weight 0 and gradient 0 (not NaN), as in PyTorch and by hand
def test_attention_scores_masked_with_minus_inf_have_finite_gradients():
    rng = np.random.default_rng(3)
    enc, dec = rng.standard_normal((2, 4, 3)), rng.standard_normal((2, 3))
    pad = np.array([[False, False, True, True], [False, False, False, False]])

    def attend(lib, enc, dec):
        e_t = lib.bmm(enc, dec.unsqueeze(2)).squeeze(2).masked_fill(lib.tensor(pad), -float("inf"))
        alpha = lib.softmax(e_t, dim=1)
        return lib.bmm(alpha.unsqueeze(1), enc).squeeze(1), alpha

    x, d = ag.tensor(enc, requires_grad=True), ag.tensor(dec, requires_grad=True)
    context, alpha = attend(ag, x, d)
    context.sum().backward()
    scores = np.einsum("bld,bd->bl", enc, dec)
    weights = np.where(pad, 0.0, np.exp(scores - scores.max(1, keepdims=True)))
    weights /= weights.sum(1, keepdims=True)
    np.testing.assert_allclose(alpha.data, weights, rtol=1e-14)
    assert np.all(alpha.data[pad] == 0) and np.all(x.grad.data[pad] == 0) and np.isfinite(d.grad.data).all()
    torch = pytest.importorskip("torch")
    tx, td = torch.tensor(enc, requires_grad=True), torch.tensor(dec, requires_grad=True)
    attend(torch, tx, td)[0].sum().backward()
    np.testing.assert_allclose(x.grad.data, tx.grad.numpy(), rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(d.grad.data, td.grad.numpy(), rtol=1e-13, atol=1e-15)


@pytest.mark.parametrize("shape, args", [((7,), (0, 2, 3)), ((2, 3, 4), (1, 2, 1)), ((2, 3, 4), (-1, 3, 2)),
                                         ((2, 3, 4), (1, 0, 2)), ((), (0, 1, 1)), ((), (-1, 0, 1))])
def test_unfold_gives_torchs_slices_and_gradients_with_empty_and_0d_cases(shape, args):
    x = np.arange(1.0, 1.0 + np.prod(shape)).reshape(shape)
    t = ag.tensor(x, requires_grad=True)
    out = t.unfold(*args)
    dimension, size, step = args
    if x.ndim:  # NumPy's windows along the dimension, every step-th one
        np.testing.assert_array_equal(out.data, _unfold_ref(x, dimension, size, step))
    else:  # a 0-d Tensor is its one entry (or none)
        np.testing.assert_array_equal(out.data, x.reshape(1)[:size])
    (out * out).sum().backward()
    counts = np.zeros(x.size)  # each entry's gradient: 2 x times the number of slices holding it
    np.add.at(counts, ag.arange(float(x.size)).reshape(shape).unfold(*args).data.astype(int).ravel(), 1.0)
    np.testing.assert_array_equal(t.grad.data, 2 * x * counts.reshape(shape))
    assert_function_matches_torch(lambda a: a.unfold(*args), lambda a: a.unfold(*args), [x], np.float64)


def test_unfold_is_a_view_and_builds_a_convolution_as_chapter_17_asks():
    x = ag.tensor(RNG.standard_normal((2, 6, 5)))
    assert np.may_share_memory(x.unfold(1, 3, 1).data, x.data)
    kernel = RNG.standard_normal((3, 3))
    patches = x.unfold(1, 3, 1).unfold(2, 3, 1)  # (2, 4, 3, 3, 3): each 3x3 patch
    out = (patches * kernel).sum((-1, -2))
    reference = sum(kernel[i, j] * x.data[:, i:i + 4, j:j + 3] for i in range(3) for j in range(3))
    np.testing.assert_allclose(out.data, reference, rtol=1e-12, atol=1e-12)
