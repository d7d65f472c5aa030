"""NumPy's picking and ordering functions on Tensors (autograd_core/ops/selection.py): take, diagonal, trace, diff,
sort, argsort. One declaration each drives the generated tests; then ties, NaNs, dtypes, torch's gradients and the
errors."""
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd_core as ag
from autograd_core.testing import gradcheck, gradgradcheck
from autograd_core.testing.strategies import shapes
from optable import Op, axis_of, generated_tests, one_input, spaced
from conftest import assert_function_matches_torch


def _take_kwargs(shape):
    def for_axis(axis):
        n = int(np.prod(shape)) if axis is None else shape[axis]
        index = st.lists(st.integers(-n, n - 1), min_size=0, max_size=4).map(lambda v: np.array(v, np.intp))
        return st.fixed_dictionaries({"indices": index | st.integers(-n, n - 1), "axis": st.just(axis)})
    return (st.none() | axis_of(shape) if shape else st.none()).flatmap(for_axis)


def _take_modes(shape):
    return st.fixed_dictionaries({"indices": st.lists(st.integers(-7, 7), min_size=1, max_size=4),
                                  "mode": st.sampled_from(["wrap", "clip"])})


def _diagonal_kwargs(shape):
    n = len(shape)
    return st.fixed_dictionaries({"offset": st.integers(-3, 3),
                                  "axis1": st.integers(-n, n - 1)}).flatmap(lambda kw: st.integers(-n, n - 1).filter(
                                      lambda b: b % n != kw["axis1"] % n).map(lambda b: {**kw, "axis2": b}))


def _diff_kwargs(shape):
    edge = st.none() | st.floats(-2, 2) | st.just("array")
    return st.fixed_dictionaries({"n": st.integers(1, 3), "axis": axis_of(shape), "prepend": edge, "append": edge})


def _with_edges(f):
    """diff's prepend/append drawn as None (not given), a number, or "array": an array of ones, 1 long on axis."""
    def call(x, n, axis, prepend, append):
        kwargs = {}
        for name, value in (("prepend", prepend), ("append", append)):
            if value is None:
                continue
            if value == "array":
                shape = list(np.shape(x))
                shape[axis] = 1
                value = np.ones(shape)
            kwargs[name] = value
        return f(x, n=n, axis=axis, **kwargs)
    return call


def _sort_kwargs(shape):
    return st.fixed_dictionaries({"axis": st.none() | axis_of(shape)})


SELECTION = [
    Op("take", ag.take, np.take, case=one_input(_take_kwargs)),
    Op("take_modes", ag.take, np.take, case=one_input(_take_modes, min_dims=1)),
    Op("diagonal", ag.diagonal, np.diagonal, case=one_input(_diagonal_kwargs, min_dims=2)),
    Op("trace", ag.trace, np.trace, case=one_input(_diagonal_kwargs, min_dims=2)),
    # (a number or float64 array joined makes float32 float64, as NumPy: the float32 check is the next one's)
    Op("diff", _with_edges(ag.diff), _with_edges(np.diff), case=one_input(_diff_kwargs, min_dims=1), float32=False),
    Op("diff_plain", ag.diff, np.diff, case=one_input(lambda s: st.fixed_dictionaries(
        {"n": st.integers(1, 3), "axis": axis_of(s)}), min_dims=1)),
    # sort moves values: unique values keep the finite differences away from ties, where its gradient jumps
    Op("sort", ag.sort, np.sort, case=one_input(_sort_kwargs, min_dims=1), elements=spaced(), unique=True),
    Op("np.sort", np.sort, np.sort, case=one_input(_sort_kwargs, min_dims=1), elements=spaced(), unique=True),
    Op("np.take", np.take, np.take, case=one_input(_take_kwargs)),
    Op("np.diagonal", np.diagonal, np.diagonal, case=one_input(_diagonal_kwargs, min_dims=2)),
]

globals().update(generated_tests(SELECTION))


def test_sort_ties_each_get_their_own_gradient_in_argsorts_stable_order():
    x = ag.tensor([2.0, 1.0, 2.0, 1.0], requires_grad=True)
    out = ag.sort(x)
    np.testing.assert_array_equal(out.data, [1.0, 1.0, 2.0, 2.0])
    (out * ag.tensor([10.0, 20.0, 30.0, 40.0])).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [30.0, 10.0, 40.0, 20.0])  # the first 1 gets position 0's, ...


def test_sort_of_many_ties_follows_the_stable_order_as_torchs_stable_sort():
    x0 = np.random.default_rng(0).permutation(np.repeat([3.0, 1.0, 2.0, 0.0], 50))
    x = ag.tensor(x0, requires_grad=True)
    weights = np.arange(x0.size, dtype=float)
    (ag.sort(x) * weights).sum().backward()
    expected = np.empty_like(x0)
    expected[np.argsort(x0, kind="stable")] = weights
    np.testing.assert_array_equal(x.grad.data, expected)


def test_sort_puts_nan_last_as_numpy_and_its_gradient_follows_it():
    x = ag.tensor([np.nan, 3.0, -1.0], requires_grad=True)
    out = ag.sort(x)
    np.testing.assert_array_equal(out.data, np.sort(x.data))
    (out * ag.tensor([1.0, 2.0, 3.0])).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [3.0, 2.0, 1.0])


def test_argsort_is_numpys_and_not_differentiable():
    x = np.array([[3.0, 1.0, 2.0], [0.0, -1.0, 5.0]])
    for axis in (0, 1, -1, None):
        out = ag.argsort(ag.tensor(x, requires_grad=True), axis=axis)
        assert out.dtype == np.intp and not out.requires_grad
        np.testing.assert_array_equal(out.data, np.argsort(x, axis=axis))
    np.testing.assert_array_equal(np.argsort(ag.tensor(x)).data, np.argsort(x))


def test_argsort_takes_torchs_dim_and_descending():
    # UvA's SimCLR ranks the positive pair with comb_sim.argsort(dim=-1, descending=True): the largest first, NaN
    # first (as torch's, which sorts NaN as the largest), equal values in their order in x (torch's stable=True).
    x = np.array([[1.0, 3.0, np.nan, 3.0], [2.0, 2.0, 0.0, 5.0]])
    np.testing.assert_array_equal(ag.tensor(x).argsort(dim=-1, descending=True).data, [[2, 1, 3, 0], [3, 0, 1, 2]])
    np.testing.assert_array_equal(ag.argsort(ag.tensor(x), dim=0, descending=True).data, [[1, 0, 0, 1], [0, 1, 1, 0]])
    np.testing.assert_array_equal(ag.argsort(ag.tensor(x), axis=None, descending=True).data, [2, 7, 1, 3, 4, 5, 0, 6])
    np.testing.assert_array_equal(ag.argsort(ag.tensor(x), dim=1).data, np.argsort(x, axis=1))
    for values in ([True, False, True], np.array([3, 1, 3], np.uint8)):  # (no negation: bools and unsigned too)
        np.testing.assert_array_equal(ag.argsort(ag.tensor(values), descending=True).data, [0, 2, 1])
    with pytest.raises(TypeError, match="argsort: got both axis=0 and dim=1"):
        ag.argsort(ag.tensor(x), 0, dim=1)
    with pytest.raises(TypeError, match=r"^argsort: descending must be True or False, got 'yes'$"):
        ag.argsort(ag.tensor(x), descending="yes")
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    for shape in [(7,), (4, 6), (3, 4, 5)]:
        v = rng.integers(0, 3, shape).astype(float)
        v[v == 2] = np.nan
        for d in range(-1, len(shape)):
            expected = torch.tensor(v).argsort(dim=d, descending=True, stable=True).numpy()
            np.testing.assert_array_equal(ag.tensor(v).argsort(dim=d, descending=True).data, expected)


@pytest.mark.parametrize("descending", [False, True])
def test_sort_refusal_names_the_values_alone_spelling(descending):
    # efficient-kan's update_grid writes x_sorted = torch.sort(x, dim=0)[0]: the values alone, which the error now
    # spells with NumPy's axis=; the spelling named gives torch's values
    x = np.array([[1.0, 3.0], [5.0, 0.0], [2.0, 2.0]])
    spelled = "ag.flip(ag.sort(x, axis=0), 0)" if descending else "ag.sort(x, axis=0)"
    message = r"the values alone \(torch\.sort\(\.\.\.\)\[0\] or \.values\) are " + re.escape(spelled) + "$"
    with pytest.raises(TypeError, match=message):
        ag.sort(ag.tensor(x), dim=0, descending=descending)
    got = ag.flip(ag.sort(ag.tensor(x), axis=0), 0) if descending else ag.sort(ag.tensor(x), axis=0)
    expected = -np.sort(-x, axis=0) if descending else np.sort(x, axis=0)
    np.testing.assert_array_equal(got.data, expected)
    torch = pytest.importorskip("torch")
    np.testing.assert_array_equal(got.data, torch.sort(torch.tensor(x), dim=0, descending=descending)[0].numpy())

def test_sort_refuses_torchs_dim_and_descending_naming_argsort_and_take_along_axis():
    # torch.sort returns (values, indices): `values, _ = ag.sort(x, dim=1, descending=True)` (entmax's sparsemax)
    # would unpack the rows of a two-row result, so the keywords are refused, as max's dim= is
    x = ag.tensor([[1.0, 3.0, 2.0], [5.0, 0.0, 5.0]], requires_grad=True)
    with pytest.raises(TypeError, match=r"sort: dim= and descending= is not accepted: torch\.sort returns a \(values, "
                                        r"indices\) pair.*indices = ag\.argsort\(x, dim=1, descending=True\) and "
                                        r"values = ag\.take_along_axis\(x, indices, 1\)"):
        values, _ = ag.sort(x, dim=1, descending=True)
    with pytest.raises(TypeError, match=r"sort: descending= is not accepted"):
        ag.sort(x, descending=False)
    indices = ag.argsort(x, dim=1, descending=True)  # the spelling named: torch.sort's pair, with its gradient
    values = ag.take_along_axis(x, indices, 1)
    np.testing.assert_array_equal(values.data, [[3.0, 2.0, 1.0], [5.0, 5.0, 0.0]])
    (values * ag.tensor([[1.0, 2.0, 3.0], [1.0, 2.0, 3.0]])).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [[3.0, 1.0, 2.0], [1.0, 3.0, 2.0]])  # ties: the first one first
    torch = pytest.importorskip("torch")
    xt = torch.tensor(x.data, requires_grad=True)
    tvalues, tindices = torch.sort(xt, dim=1, descending=True, stable=True)
    (tvalues * torch.tensor([[1.0, 2.0, 3.0], [1.0, 2.0, 3.0]], dtype=xt.dtype)).sum().backward()
    np.testing.assert_array_equal(indices.data, tindices.numpy())
    np.testing.assert_array_equal(x.grad.data, xt.grad.numpy())



def test_a_positional_descending_is_refused_naming_the_keyword():
    # found by porting PyTorch's test_sort_and_select: torch.argsort(x, 1, True) and torch.sort(x, 0, True) pass
    # descending third, where NumPy's kind goes; argsort said "sort kind must be str" and that axis must be an int,
    # sort listed the kinds: both now name the keyword spelling
    x = ag.tensor([[1.0, 3.0, 2.0], [5.0, 0.0, 4.0]])
    with pytest.raises(TypeError, match=re.escape("argsort(x, dim=1, descending=True)")):
        ag.argsort(x, 1, True)
    with pytest.raises(TypeError, match=re.escape("argsort(x, dim=1, descending=True)")):
        x.argsort(1, True)
    with pytest.raises(TypeError, match=r"sort: a positional descending \(True, torch\.sort's third argument\) is "
                                        r"not accepted.*ag\.argsort\(x, dim=0, descending=True\).*"
                                        + re.escape("ag.flip(ag.sort(x, axis=0), 0)")):
        ag.sort(x, 0, True)
    np.testing.assert_array_equal(ag.argsort(x, 1, "stable").data, np.argsort(x.data, 1, "stable"))  # (a kind still)



@pytest.mark.parametrize("dim", [-1, 0, None])
def test_argsort_of_a_0d_input_descending_as_ascending(dim):
    # found by porting PyTorch's test_sort_and_select: argsort(0-d, descending=True) raised AxisError, while the
    # ascending argsort gives NumPy's [0] (a 0-d input read as 1-D); an axis out of range named [0, 0) as valid
    x = ag.tensor(3.0)
    for descending in (False, True):
        np.testing.assert_array_equal(ag.argsort(x, dim=dim, descending=descending).data, np.argsort(x.data, dim))
    with pytest.raises(np.exceptions.AxisError, match=re.escape("(input shape (), axis=1); axis must be None or an "
                                                                "int in [-1, 1)")):
        ag.argsort(x, dim=1, descending=True)

@pytest.mark.parametrize("shape", [(), (0,), (20,), (1, 20), (6, 5), (3, 4, 5)])
def test_msort_sorts_along_the_first_axis_as_torch(shape):
    # found by porting PyTorch's test_sort_and_select (test_msort): torch.msort had no counterpart
    torch = pytest.importorskip("torch")
    x = np.random.default_rng(0).integers(-9, 9, shape).astype(np.float64)
    expected = torch.msort(torch.tensor(x)).numpy()
    for got in (ag.msort(ag.tensor(x)), ag.tensor(x).msort(), ag.msort(input=ag.tensor(x))):  # (torch's keyword)
        assert got.shape == expected.shape and got.dtype == expected.dtype
        np.testing.assert_array_equal(got.data, expected)
    if len(shape) > 1:
        assert_function_matches_torch(ag.msort, torch.msort, [x + np.arange(x.size).reshape(shape) / 100],
                                      np.float64)

@settings(max_examples=10)
@given(shape=shapes(min_dims=1, max_dims=3, max_side=4), data=st.data())
def test_sort_and_diagonal_gradients_match_torch(shape, data):
    torch = pytest.importorskip("torch")
    x = np.round(np.random.default_rng(data.draw(st.integers(0, 99))).normal(size=shape), 1)  # with ties
    axis = data.draw(axis_of(shape))
    pairs = [(lambda t: ag.sort(t, axis=axis), lambda t: torch.sort(t, dim=axis, stable=True).values),
             (lambda t: ag.diff(t, axis=axis), lambda t: torch.diff(t, dim=axis)),
             (lambda t: ag.take(t, [0, -1, 0]), lambda t: torch.take(t, torch.tensor([0, -1, 0])))]
    if len(shape) >= 2:
        pairs += [(lambda t: ag.diagonal(t, 1, 0, -1), lambda t: torch.diagonal(t, 1, 0, -1)),
                  (lambda t: ag.trace(t[..., 0, :, ] if t.ndim == 3 else t),
                   lambda t: torch.trace(t[..., 0, :, ] if t.ndim == 3 else t))]
    for ours, theirs in pairs:
        assert_function_matches_torch(ours, theirs, [x], x.dtype)


@pytest.mark.parametrize("dtype", [np.bool_, np.int8, np.int32, np.uint8, np.float32])
def test_dtypes_are_numpys(dtype):
    x = (np.arange(9).reshape(3, 3) % 4).astype(dtype)
    for name, call in [("take", lambda f, a: f.take(a, [2, 0])), ("diagonal", lambda f, a: f.diagonal(a, 1)),
                       ("trace", lambda f, a: f.trace(a)), ("diff", lambda f, a: f.diff(a, axis=0)),
                       ("diff2", lambda f, a: f.diff(a, 2, prepend=1)), ("sort", lambda f, a: f.sort(a, axis=0))]:
        if dtype is np.bool_ and name == "diff2":
            continue  # (NumPy's own diff of bools with a number prepended joins them as ints)
        expected = call(np, x)
        for out in (call(ag, ag.tensor(x)), call(np, ag.tensor(x))):
            assert out.dtype == expected.dtype, (name, out.dtype, expected.dtype)
            np.testing.assert_array_equal(out.data, expected, err_msg=name)


def test_diff_of_order_0_gives_the_input_back_as_numpy():
    x = ag.zeros(3)
    assert ag.diff(x, 0) is x and ag.diff(x, 0, prepend=1.0) is x


def test_diff_takes_torch_diffs_dim_and_none_edges_and_matches_its_values_and_gradient():
    # found by porting PyTorch's test_torch.py (test_diff): torch.diff(x, n, dim=, prepend=None, append=None)
    torch = pytest.importorskip("torch")
    a = np.random.default_rng(0).standard_normal((3, 4))
    edge = np.ones((1, 4))
    for n in range(4):
        got = ag.diff(ag.tensor(a), n=n, dim=0, prepend=None, append=ag.tensor(edge))
        np.testing.assert_allclose(got.data, torch.diff(torch.tensor(a), n=n, dim=0, append=torch.tensor(edge)).numpy())
        np.testing.assert_array_equal(ag.tensor(a).diff(n, dim=-1, append=None).data, np.diff(a, n, axis=-1))
    assert_function_matches_torch(lambda x: ag.diff(x, n=2, dim=1) ** 2, lambda x: torch.diff(x, n=2, dim=1) ** 2, [a],
                                  np.float64)
    with pytest.raises(TypeError, match="diff: got both axis=0 and dim=1"):
        ag.diff(ag.tensor(a), axis=0, dim=1)
    for call in (lambda: ag.diff(ag.tensor(a), -1), lambda: ag.diff(ag.tensor(1.0))):  # torch's RuntimeError too
        with pytest.raises(RuntimeError, match="diff: "):
            call()


def test_diff_of_second_order_and_with_a_tensor_prepended_differentiates_both():
    x0 = np.array([1.0, 4.0, 2.0, 8.0])
    assert gradgradcheck(lambda x, p: ag.diff(x * x, n=2, prepend=p), x0, np.array([0.5]))
    assert gradcheck(lambda x: ag.trace(ag.reshape(x, (2, 2)) ** 3), x0)


@pytest.mark.parametrize("call, kind, message", [
    (lambda x: ag.take(ag.zeros(6), [6]), IndexError,
     r"take: index 6 is out of bounds for axis 0 with size 6 \(input shape \(6,\)\); indices must be in \[-6, 6\)"),
    (lambda x: ag.take(ag.zeros((2, 0)), [0], axis=1), IndexError,
     r"take: index 0 is out of bounds for axis 1 with size 0"),
    (lambda x: ag.take(x, [1.0]), TypeError, r"take: indices must be integers, got dtype float64"),
    (lambda x: ag.take(x, [1], mode="nearest"), ValueError, r"take: mode must be one of 'raise', 'wrap', 'clip'"),
    (lambda x: ag.take(x, [1], axis=2), np.exceptions.AxisError, r"take: axis 2 is out of range for input shape"),
    (lambda x: ag.diagonal(ag.zeros(3)), ValueError, r"diagonal: the input must have at least 2 dimensions"),
    (lambda x: ag.diagonal(x, 0, 1, 1), ValueError, r"diagonal: axis1 and axis2 must be different axes, both are 1"),
    (lambda x: ag.diagonal(x, 0, 0, 2), np.exceptions.AxisError,
     r"diagonal: axis1=0 or axis2=2 is out of range for input shape \(2, 3\); each must be in \[-2, 2\)"),
    (lambda x: ag.trace(x, dtype=np.str_), TypeError, r"trace: dtype=<U0 is not supported; give a float, integer or "
                                                      r"bool dtype"),
    (lambda x: ag.diff(x, -1), ValueError, r"diff: order n=-1 must be non-negative"),
    (lambda x: ag.diff(ag.tensor(1.0)), ValueError, r"diff: the input must be at least one dimensional"),
    (lambda x: ag.sort(ag.tensor(1.0)), np.exceptions.AxisError, r"sort: axis -1 is out of range for a 0-d input"),
    (lambda x: ag.sort(x, kind="bogo"), ValueError, r"sort on Tensors: kind must be one of"),
    (lambda x: ag.argsort(x, axis=3), np.exceptions.AxisError, r"argsort: .*axis must be None or an int"),
])
def test_bad_arguments_raise_clear_errors(call, kind, message):
    with pytest.raises(kind, match=message):
        call(ag.zeros((2, 3)))


# ---- take: a 0-d input along axis 0 or -1, and no index checked when the axes before axis are empty, as NumPy's ----
@pytest.mark.parametrize("axis", [0, -1])
def test_take_of_a_0d_input_along_axis_0_as_numpy(axis):
    for indices, mode in ((0, "raise"), ([0, 0], "raise"), ([1, -3], "wrap"), ([5], "clip")):
        t = ag.tensor(2.0, requires_grad=True)
        out = ag.take(t, indices, axis=axis, mode=mode)
        expected = np.take(np.array(2.0), indices, axis=axis, mode=mode)
        assert out.shape == np.shape(expected)
        np.testing.assert_array_equal(out.data, expected)
        out.sum().backward()
        assert float(t.grad) == np.size(expected)
    with pytest.raises(IndexError, match="take: index 1"):
        np.take(ag.tensor(2.0), [1], axis=axis)


@pytest.mark.parametrize("mode", ["raise", "wrap", "clip"])
@pytest.mark.parametrize("shape, indices", [((0, 0), [0, 0]), ((0, 0), [5]), ((0, 3), [7, -9]), ((0, 2, 0), [[1]])])
def test_take_with_no_row_checks_no_index(shape, indices, mode):
    # NumPy takes nothing and checks no index when the axes before axis are empty, also from an empty axis
    x = ag.tensor(np.ones(shape), requires_grad=True)
    got = ag.take(x, indices, axis=1, mode=mode)
    assert got.shape == np.take(np.ones(shape), indices, axis=1, mode=mode).shape
    got.sum().backward()
    assert x.grad.shape == shape


# ---- diagonal's and trace's offset must be an int, and the error names the operation ----
@pytest.mark.parametrize("call, name", [(lambda x: ag.diagonal(x, 1.0), "diagonal"), (lambda x: ag.trace(x, 1.0), "trace"),
                                        (lambda x: np.trace(x, [1]), "trace"), (lambda x: x.diagonal(None), "diagonal")])
def test_an_offset_that_is_no_int_is_refused_with_the_operation_named(call, name):
    with pytest.raises(TypeError, match=f"^{name}: offset must be an int, got"):
        call(ag.zeros((3, 3)))


def test_integer_offsets_still_select():
    x = ag.tensor(np.arange(9.0).reshape(3, 3))
    for offset in (1, np.int8(-1), True, np.array(2)):
        np.testing.assert_array_equal(ag.diagonal(x, offset).data, np.diagonal(x.data, offset))
        np.testing.assert_array_equal(ag.trace(x, offset).data, np.trace(x.data, offset))


@pytest.mark.parametrize("name, torch_error", [("trace", RuntimeError), ("diagonal", IndexError)])
def test_a_1d_input_to_trace_or_diagonal_raises_numpys_and_torchs_classes(name, torch_error):
    # found by checking the ops of PyTorch's test_shape_ops against torch: both raised a plain ValueError
    torch = pytest.importorskip("torch")
    with pytest.raises(torch_error):
        getattr(torch, name)(torch.zeros(3))
    with pytest.raises(ValueError):
        getattr(np, name)(np.zeros(3))
    for call in (getattr(ag, name), getattr(ag.Tensor, name), getattr(np, name)):
        with pytest.raises(torch_error, match=rf"^{name}: the input must have at least 2 dimensions, got shape \(3,\)"):
            call(ag.zeros(3))
