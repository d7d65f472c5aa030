"""split, array_split (NumPy's), Tensor.split and chunk (PyTorch's) (autograd_core/ops/shape.py), and pad (padding.py):
the pieces and the padded values as NumPy's and PyTorch's, gradients to second order by finite differences, and the
errors."""
import warnings

import numpy as np
import pytest
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
try:
    import torch
except ImportError:  # (CI has no torch: the written-out shapes still run)
    torch = None

import autograd_core as ag
from optable import Op, generated_tests

AT_LEAST_1D = hnp.array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=4)


@st.composite
def _split_case(draw, equal):
    """A shape, an axis, and either a count of sections (dividing the axis when equal) or indices to cut at
    (ascending or not, past the end too, negative too)."""
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4))
    axis = draw(st.integers(-len(shape), len(shape) - 1))
    n = shape[axis]
    if draw(st.booleans()):
        sections = draw(st.sampled_from([d for d in range(1, n + 1) if n % d == 0]) if equal else st.integers(1, 5))
    else:
        sections = draw(st.lists(st.integers(-n, n + 1), max_size=3))
    return (shape,), {"sections": sections, "axis": axis}


@st.composite
def _torch_split_case(draw, chunk=False):
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4))
    dim = draw(st.integers(-len(shape), len(shape) - 1))
    n = shape[dim]
    if chunk or draw(st.booleans()):
        return (shape,), {"size": draw(st.integers(1, 5)), "dim": dim}
    cuts = sorted(draw(st.lists(st.integers(0, n), max_size=3)))
    return (shape,), {"size": [b - a for a, b in zip([0] + cuts, cuts + [n])], "dim": dim}


def _weighted(pieces, axis, join):
    """The pieces, each times its position + 1, joined again: the gradient tells which piece an entry went to."""
    return join([piece * (k + 1) for k, piece in enumerate(pieces)], axis=axis)


@st.composite
def _pad_case(draw):
    shape = draw(hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=3))
    ndim = len(shape)
    width = st.integers(0, 2)
    pad_width = draw(st.one_of(
        width,                                                       # N on every side
        st.tuples(width, width),                                     # (before, after) on every axis
        st.tuples(*[st.tuples(width, width)] * ndim) if ndim else width,  # one pair per axis
        st.tuples(*[st.tuples(width)] * ndim) if ndim else width,   # one width per axis
    ))
    constant = draw(st.one_of(st.just(0), st.floats(-3, 3), st.tuples(st.floats(-3, 3), st.floats(-3, 3))))
    return (shape,), {"pad_width": pad_width, "constant_values": constant}


def _quiet(split):
    """split with its warning for one piece ignored: the cases draw 1 section in NumPy's meaning on purpose."""
    def call(*args, **kwargs):
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=r"split\(x, 1\) is NumPy's", category=UserWarning)
            return split(*args, **kwargs)
    return call


SPLIT_PAD = [
    Op("split", lambda x, sections, axis: _weighted(_quiet(ag.split)(x, sections, axis), axis, ag.concatenate),
       lambda x, sections, axis: _weighted(np.split(x, sections, axis), axis, np.concatenate), case=_split_case(True)),
    Op("np.split", lambda x, sections, axis: _weighted(_quiet(np.split)(x, sections, axis=axis), axis, ag.concatenate),
       lambda x, sections, axis: _weighted(np.split(x, sections, axis), axis, np.concatenate), case=_split_case(True)),
    Op("array_split", lambda x, sections, axis: _weighted(ag.array_split(x, sections, axis), axis, ag.concatenate),
       lambda x, sections, axis: _weighted(np.array_split(x, sections, axis), axis, np.concatenate),
       case=_split_case(False)),
    Op("np.array_split", lambda x, sections, axis: _weighted(np.array_split(x, sections, axis), axis, ag.concatenate),
       lambda x, sections, axis: _weighted(np.array_split(x, sections, axis), axis, np.concatenate),
       case=_split_case(False)),
    # PyTorch's split and chunk cut where NumPy's array_split cuts at the running sums of the sizes
    Op("split_method", lambda x, size, dim: _weighted(x.split(size, dim), dim, ag.concatenate),
       lambda x, size, dim: _weighted(np.split(x, _torch_cuts(size, x.shape[dim]), dim), dim, np.concatenate),
       case=_torch_split_case()),
    Op("chunk_method", lambda x, size, dim: _weighted(x.chunk(size, dim), dim, ag.concatenate),
       lambda x, size, dim: _weighted(np.split(x, _torch_cuts(-(-x.shape[dim] // size), x.shape[dim]), dim), dim,
                                      np.concatenate), case=_torch_split_case(chunk=True)),
    Op("pad", ag.pad, lambda x, pad_width, constant_values: np.pad(x, pad_width, constant_values=constant_values),
       case=_pad_case()),
    Op("np.pad", np.pad, lambda x, pad_width, constant_values: np.pad(x, pad_width, constant_values=constant_values),
       case=_pad_case()),
]


def _torch_cuts(size, n):
    """Where PyTorch's split(size) cuts an axis of n entries: every size entries, or at the running sums of sizes."""
    if isinstance(size, int):
        return list(range(size, n, size))
    return list(np.cumsum(size)[:-1])


globals().update(generated_tests(SPLIT_PAD))


def test_split_gives_views_each_with_its_own_gradient():
    x = ag.tensor(np.arange(6.0), requires_grad=True)
    first, second, third = ag.split(x, 3)
    assert isinstance(first, ag.Tensor) and np.shares_memory(first.data, x.data)
    (second * 2).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [0, 0, 2, 2, 0, 0])


def test_function_is_numpys_and_method_is_torchs():
    x = ag.arange(6.0)
    assert [p.shape for p in ag.split(x, 2)] == [(3,), (3,)]      # two pieces (NumPy)
    assert [p.shape for p in x.split(2)] == [(2,), (2,), (2,)]    # pieces of two (PyTorch)
    assert isinstance(ag.split(x, 2), list) and isinstance(x.split(2), tuple)


@pytest.mark.parametrize("n", range(0, 8))
@pytest.mark.parametrize("k", [1, 2, 3, 4])
def test_split_and_chunk_match_torch(n, k):
    torch = pytest.importorskip("torch")
    values = np.arange(2.0 * n).reshape(2, n)
    for ours, theirs in [(ag.tensor(values).split(k, dim=1), torch.tensor(values).split(k, dim=1)),
                         (ag.tensor(values).chunk(k, 1), torch.tensor(values).chunk(k, 1))]:
        assert len(ours) == len(theirs)
        for a, b in zip(ours, theirs):
            np.testing.assert_array_equal(a.data, b.numpy())


def test_split_by_sizes_matches_torch():
    torch = pytest.importorskip("torch")
    values = np.arange(12.0).reshape(3, 4)
    for sizes, dim in [([1, 3], 1), ([0, 2, 1], 0), ([4], -1)]:
        ours, theirs = ag.tensor(values).split(sizes, dim), torch.tensor(values).split(sizes, dim)
        assert [a.tolist() for a in ours] == [b.tolist() for b in theirs]


# torch.split(Y, 1, dim=0) (CS224n a4's decoder loop over time steps) means pieces of one; NumPy's split, which ag.split
# is, reads 1 as one piece: dim= is refused, naming the method that is PyTorch's, rather than taken as axis=
def test_split_refuses_pytorchs_dim_naming_the_method():
    y = ag.tensor(np.arange(14.0).reshape(7, 2))
    with pytest.raises(TypeError, match=r"split: dim= is PyTorch's torch.split\(x, split_size, dim\), whose int is "
                                        r"each piece's size; .* write x.split\(1, dim=0\)"):
        ag.split(y, 1, dim=0)
    pieces = y.split(1, dim=0)
    assert len(pieces) == 7 and [p.tolist() for p in pieces] == [[[2.0 * i, 2.0 * i + 1]] for i in range(7)]
    with pytest.warns(UserWarning, match="x.split"):
        assert [p.shape for p in ag.split(y, 1)] == [(7, 2)]  # (NumPy's, unchanged, with a warning: below)
    assert len(np.split(y, 7, axis=0)) == 7
    torch = pytest.importorskip("torch")
    assert [p.tolist() for p in pieces] == [p.tolist() for p in torch.split(torch.tensor(y.data), 1, dim=0)]


# `for Y_t in torch.split(Y, 1)` without dim= (CS224n 2019 a4's decoder loop over time steps) is NumPy's split into
# one piece here, Y itself: the loop ran once on all the steps and failed later, in squeeze. One piece of an axis
# longer than 1 warns, naming PyTorch's spelling; the result stays NumPy's
def test_split_into_one_piece_warns_naming_pytorchs_split():
    y = ag.tensor(np.arange(14.0).reshape(7, 2))
    message = (r"split\(x, 1\) is NumPy's split of axis 0 into one piece, x itself \(shape \(7, 2\)\), where "
               r"PyTorch's torch.split\(x, 1\) gives pieces of size 1: write x.split\(1\)")
    for split in (ag.split, np.split):
        with pytest.warns(UserWarning, match=message) as record:
            pieces = split(y, 1)
        assert record[0].filename == __file__  # (points at the caller's line)
        assert [p.tolist() for p in pieces] == [a.tolist() for a in np.split(y.data, 1)]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert len(ag.split(ag.ones((1, 3)), 1)) == 1  # (an axis of one: NumPy's and PyTorch's pieces agree)
        assert len(ag.split(y, 7)) == 7 and len(ag.split(y, [1])) == 2 and len(y.split(1)) == 7
    torch = pytest.importorskip("torch")
    assert [p.tolist() for p in y.split(1)] == [p.tolist() for p in torch.split(torch.tensor(y.data), 1)]


# torch.split(t, split_size_or_sections=[3, 2]) (Raschka's ch. 12): the keyword names sizes, so ag.split takes it as
# PyTorch's split, each piece differentiable, rather than refusing the call
@pytest.mark.parametrize("sizes, dim", [([3, 2], None), (2, 1), ([1, 1, 3], -1)])
def test_split_takes_pytorchs_split_size_or_sections_keyword(sizes, dim):
    values = np.arange(10.0).reshape(2, 5) if dim is not None else np.arange(5.0)
    x = ag.tensor(values, requires_grad=True)
    pieces = ag.split(x, split_size_or_sections=sizes, **({} if dim is None else {"dim": dim}))
    axis = 0 if dim is None else dim
    bounds = np.cumsum([sizes] * (-(-values.shape[axis] // sizes)) if isinstance(sizes, int) else sizes)[:-1]
    assert isinstance(pieces, tuple)
    assert [p.tolist() for p in pieces] == [a.tolist() for a in np.split(values, bounds, axis=axis)]
    sum(((k + 1) * p).sum() for k, p in enumerate(pieces)).backward()
    hand = np.concatenate([np.full(a.shape, k + 1.0) for k, a in enumerate(np.split(values, bounds, axis=axis))], axis)
    np.testing.assert_array_equal(x.grad.data, hand)
    torch = pytest.importorskip("torch")
    theirs = torch.split(torch.tensor(values), split_size_or_sections=sizes, dim=axis)
    assert [p.tolist() for p in pieces] == [b.tolist() for b in theirs]


# mamba-minimal: x_and_res.split(split_size=[d_inner, d_inner], dim=-1), the keyword of PyTorch's Tensor.split
@pytest.mark.parametrize("split_size", [[2, 4], 4])
def test_tensor_split_takes_pytorchs_split_size_keyword(split_size):
    values = np.arange(12.0).reshape(2, 6)
    x = ag.tensor(values, requires_grad=True)
    first, second = x.split(split_size=split_size, dim=-1)
    bound = split_size[0] if isinstance(split_size, list) else split_size
    np.testing.assert_array_equal(first.data, values[:, :bound])
    np.testing.assert_array_equal(second.data, values[:, bound:])
    (first.sum() + 2 * second.sum()).backward()
    np.testing.assert_array_equal(x.grad.data, np.where(np.arange(6) < bound, 1.0, 2.0) * np.ones((2, 1)))
    torch = pytest.importorskip("torch")
    theirs = torch.tensor(values).split(split_size=split_size, dim=-1)
    assert [p.tolist() for p in (first, second)] == [p.tolist() for p in theirs]


def test_split_refuses_both_numpys_and_pytorchs_arguments():
    with pytest.raises(TypeError, match=r"split: split_size_or_sections= .* cannot be given with NumPy's "
                                        r"indices_or_sections=2"):
        ag.split(ag.arange(4.0), 2, split_size_or_sections=2)
    with pytest.raises(TypeError, match=r"split: give NumPy's indices_or_sections"):
        ag.split(ag.arange(4.0))


def test_pad_matches_torch_values_and_gradient():
    torch = pytest.importorskip("torch")
    values = np.random.default_rng(0).standard_normal((2, 3))
    x, t = ag.tensor(values, requires_grad=True), torch.tensor(values, requires_grad=True)
    out = ag.pad(x, ((1, 2), (0, 3)), constant_values=1.5)
    expected = torch.nn.functional.pad(t, (0, 3, 1, 2), value=1.5)  # (PyTorch lists the last axis first)
    np.testing.assert_array_equal(out.data, expected.detach().numpy())
    weights = np.arange(out.size, dtype=float).reshape(out.shape)
    (out * weights).sum().backward()
    (expected * torch.tensor(weights)).sum().backward()
    np.testing.assert_array_equal(x.grad.data, t.grad.numpy())


def test_pad_keeps_the_dtype_as_numpy():
    assert ag.pad(ag.ones(2, dtype=np.float32), 1, constant_values=2.5).dtype == np.float32
    ints = ag.pad(ag.tensor([1, 2]), 1, constant_values=2.7)
    assert ints.dtype == np.int64 and ints.tolist() == np.pad(np.array([1, 2]), 1, constant_values=2.7).tolist()


@pytest.mark.parametrize("dtype, constant", [(np.uint8, -1), (np.uint8, 300), (np.int64, 2.7), (np.bool_, 5),
                                             (np.float32, 1e300), (np.int32, np.float64(-2.5))])
@pytest.mark.parametrize("pad_width", [((1, 0), (0, 2)), [[1, 0], [0, 2]], 1])  # pairs of ints as they are, or not
def test_pad_casts_the_constant_into_the_dtype_as_numpy(dtype, constant, pad_width):
    x = np.arange(6).reshape(2, 3).astype(dtype)
    with np.errstate(over="ignore"):
        expected = np.pad(x, pad_width, constant_values=constant)
        out = ag.pad(x, pad_width, constant_values=constant)
    assert out.dtype == expected.dtype
    np.testing.assert_array_equal(out.data, expected)


@pytest.mark.parametrize("pad_width", [((1, 0), (0, 2)), 1])
def test_pad_refuses_an_infinite_constant_for_integers_as_numpy(pad_width):
    with pytest.raises(OverflowError, match="pad: .*cannot convert float infinity to integer"):
        ag.pad(np.arange(6).reshape(2, 3), pad_width, constant_values=-np.inf)


@pytest.mark.parametrize("call, error, message", [
    (lambda: ag.split(ag.zeros(5), 2), ValueError, "split: an axis of length 5 does not split into 2 equal sections"),
    (lambda: ag.split(ag.zeros(5), 0), ValueError, "split: the number of sections must be at least 1"),
    (lambda: ag.split(ag.zeros((2, 3)), 1, axis=2), np.exceptions.AxisError,
     r"split: axis 2 is out of range for shape \(2, 3\)"),
    (lambda: ag.split(ag.zeros(4), [1.5]), TypeError, "split: each index to split at must be an int"),
    (lambda: ag.split(ag.zeros(4), 2.0), TypeError, "split: the number of sections must be an int, got 2.0"),
    (lambda: ag.array_split(ag.zeros(4), None), TypeError, "array_split: the number of sections must be an int"),
    (lambda: ag.zeros(4).split(2.0), TypeError, "split: split_size must be an int, got 2.0"),
    (lambda: ag.split(ag.tensor(1.0), 1), np.exceptions.AxisError, r"split: axis 0 is out of range for shape \(\)"),
    (lambda: ag.array_split(ag.zeros(4), -1), ValueError, "array_split: the number of sections must be at least 1"),
    (lambda: ag.zeros(4).split(0), ValueError, "split: split_size must be at least 1"),
    (lambda: ag.zeros(4).split([1, 2]), ValueError, r"split: the sizes \[1, 2\] must be non-negative and add up to "
                                                    r"the axis's length 4"),
    (lambda: ag.zeros(4).chunk(0), ValueError, "chunk: chunks must be at least 1"),
    (lambda: ag.pad(ag.zeros(3), 1, mode="mean"), ValueError, "pad: mode='mean' is not supported"),
    (lambda: np.pad(ag.zeros(3), 1, mode="linear_ramp"), ValueError, "pad: mode='linear_ramp' is not supported"),
    (lambda: np.pad(ag.zeros(3), 1, stat_length=2), TypeError, "np.pad on Tensors: stat_length=2 not supported"),
    (lambda: ag.pad(ag.zeros(3), -1), ValueError, "pad: pad_width -1 holds a negative width"),
    (lambda: ag.pad(ag.zeros((2, 3)), ((1, 1), (1, 1), (1, 1))), ValueError,
     r"pad: pad_width .* does not fit shape \(2, 3\)"),
    (lambda: ag.pad(ag.zeros(3), 1.5), ValueError, "pad: pad_width 1.5 does not fit shape"),
    (lambda: ag.pad(ag.zeros(3), 1, constant_values=ag.tensor(1.0, requires_grad=True)), TypeError,
     "pad: constant_values is a constant"),
])
def test_errors_name_the_operation(call, error, message):
    with pytest.raises(error, match=message):
        call()


# ---- Tensor.split(0) of an axis of length 0 gives one empty piece, as PyTorch's; of an axis with entries it is
# refused, as by PyTorch ----
@pytest.mark.parametrize("shape, dim", [((0,), 0), ((3, 0), 1), ((0, 2), -2), ((2, 0, 4), 1)])
def test_split_size_0_of_an_empty_axis(shape, dim):
    t = ag.zeros(shape, requires_grad=True)
    pieces = t.split(0, dim)
    assert [p.shape for p in pieces] == [shape]  # one empty piece
    if torch is not None:
        assert [tuple(q.shape) for q in torch.zeros(shape).split(0, dim)] == [shape]
    (pieces[0] * 2.0).sum().backward()
    assert t.grad.shape == shape


def test_split_size_0_of_an_axis_with_entries_stays_refused():
    if torch is not None:
        with pytest.raises(RuntimeError):
            torch.zeros(4).split(0)
    with pytest.raises(ValueError, match="split_size must be at least 1 .or 0 for an axis of length 0., got 0"):
        ag.zeros(4).split(0)
    with pytest.raises(ValueError, match="split_size must be at least 1"):
        ag.zeros(0).split(-1)
    np.testing.assert_array_equal([p.shape for p in ag.zeros((0, 3)).split(2)], [(0, 3)])


@pytest.mark.parametrize("create_graph", [False, True])
def test_pad_gradient_is_c_ordered_so_view_flattens_it(create_graph):
    # PyTorch's gradient through a padding (a convolution's input) is contiguous: WGAN-GP's gradients.view(n, -1)
    x = ag.tensor(np.arange(12.0).reshape(2, 1, 2, 3), requires_grad=True)
    weights = ag.tensor(np.arange(48.0).reshape(2, 1, 4, 6))
    (grad,) = ag.autograd.grad((ag.pad(x, ((0, 0), (0, 0), (1, 1), (2, 1))) * weights).sum(), x,
                               create_graph=create_graph)
    assert grad.data.flags.c_contiguous
    expected = np.arange(48.0).reshape(2, 1, 4, 6)[:, :, 1:3, 2:5]
    np.testing.assert_array_equal(grad.view(2, -1).data, expected.reshape(2, 6))
