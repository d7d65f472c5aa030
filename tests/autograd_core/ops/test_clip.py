"""clip (autograd_core/ops/elementwise.py): its gradients at the bounds and at ties (the minimum-norm subgradient with
number bounds, torch.clamp's shares with Tensor bounds), bounds that are Tensors, integer and bool inputs, no bounds,
and the keywords (NumPy's a_min/a_max and min/max, Tensor.clip's min/max). Its generated value and gradient checks
are in test_elementwise.py, its NaN, signed zero and infinity cases in test_elementwise_edges.py."""
import numpy as np
import pytest

import autograd_core as ag
from autograd_core.testing import gradcheck
from test_elementwise import _grad_at


@pytest.mark.parametrize("a_min, a_max, expected", [(0.0, 1.0, [0, 0, 0, 0, 1]), (0.0, None, [0, 1, 0, 1, 1]),
                                                     (None, 1.0, [1, 0, 1, 0, 1]), (1.0, 1.0, [0, 0, 0, 0, 0])])
def test_clip_by_numbers_passes_no_gradient_at_a_bound_the_minimum_norm_subgradient(a_min, a_max, expected):
    # As relu at 0, and torch.clamp with number bounds since PyTorch 2.14 (2.13 passes 1 there).
    xs = [0.0, 1.0, -0.5, 1.5, 0.5]
    np.testing.assert_array_equal(_grad_at(lambda x: ag.clip(x, a_min, a_max), xs), expected)
    torch = pytest.importorskip("torch", minversion="2.14")
    theirs = torch.tensor(xs, requires_grad=True)
    torch.clamp(theirs, a_min, a_max).sum().backward()
    np.testing.assert_array_equal(theirs.grad.numpy(), expected)


def test_clip_takes_constant_tensor_bounds():
    x = ag.tensor([1.0, 2.0, 3.0], requires_grad=True)
    out = ag.clip(x, ag.tensor(1.5), ag.tensor([2.5, 2.5, 2.5]))
    np.testing.assert_array_equal(out.data, [1.5, 2.0, 2.5])
    out.sum().backward()
    np.testing.assert_array_equal(x.grad.data, [0.0, 1.0, 0.0])


def test_clip_of_an_integer_or_bool_x_by_a_number_and_a_tensor_promotes_all_three_at_once_as_numpy():
    # maximum(x, a_min) ran first: a bool x by 2 became int64 (so a float32 a_max gave float64), 300 overflowed int8
    flags = np.array([True, False])
    cases = [(flags, 2, np.array(2.0, np.float32)), (flags, 2.5, np.array(2.0, np.float32)),
             (flags, 2, np.array(2, np.int32)), (np.array([1, -3], np.int8), 300, np.array(2.5, np.float32))]
    for x, a_min, a_max in cases:
        expected = np.clip(x, a_min, a_max)
        hi = ag.tensor(a_max, requires_grad=a_max.dtype.kind == "f")
        out = ag.clip(ag.tensor(x), a_min, hi)
        assert out.dtype == expected.dtype
        np.testing.assert_array_equal(out.data, expected)
    out.sum().backward()  # the last case: both entries are a_max's
    np.testing.assert_array_equal(hi.grad.data, 2.0)


def test_clip_bounds_that_require_grad_get_torch_clamps_gradients_at_ties_and_crossed_bounds():
    # Each output element is x, a_min or a_max, and that one gets the gradient; a tie between x and one bound
    # splits it in half (as maximum/minimum); x == a_min == a_max gives it to x; a_min > a_max to a_max (np.clip
    # then gives a_max). torch.clamp with Tensor bounds gives the same since PyTorch 2.14.
    values = ([0.0, 1.0, 2.0, 3.0, -1.0, 1.5, 2.0, 4.0], [0.0, 2.0, 2.0, 1.0, 0.0, 1.0, 0.0, 4.0],
              [1.0, 1.0, 2.0, 3.0, 5.0, 2.0, 2.0, 5.0])
    x, low, high = (ag.tensor(v, requires_grad=True) for v in values)
    out = ag.clip(x, low, high)
    np.testing.assert_array_equal(out.data, [0.0, 1.0, 2.0, 3.0, 0.0, 1.5, 2.0, 4.0])
    out.sum().backward()
    np.testing.assert_array_equal(x.grad.data, [0.5, 0, 1, 0.5, 0, 1, 0.5, 0.5])
    np.testing.assert_array_equal(low.grad.data, [0.5, 0, 0, 0, 1, 0, 0, 0.5])
    np.testing.assert_array_equal(high.grad.data, [0, 1, 0, 0.5, 0, 0, 0.5, 0])
    torch = pytest.importorskip("torch", minversion="2.14")
    theirs = [torch.tensor(v, requires_grad=True) for v in values]
    torch.clamp(*theirs).sum().backward()
    for ours, t in zip((x, low, high), theirs):
        np.testing.assert_array_equal(ours.grad.data, t.grad.numpy())


@pytest.mark.parametrize("side", ["min", "max"])
def test_clip_by_one_tensor_bound_splits_a_tie_as_torch_clamp(side):
    x, bound = ag.tensor([-1.0, 0.0, 1.0], requires_grad=True), ag.tensor([0.0, 0.0, 0.0], requires_grad=True)
    ag.clip(x, *((bound, None) if side == "min" else (None, bound))).sum().backward()
    inside = [0.0, 0.5, 1.0] if side == "min" else [1.0, 0.5, 0.0]
    np.testing.assert_array_equal(x.grad.data, inside)
    np.testing.assert_array_equal(bound.grad.data, 1 - np.array(inside))
    constant = ag.tensor([0.0, 0.0, 0.0])  # a constant Tensor bound: the same share for x, as torch's
    np.testing.assert_array_equal(_grad_at(lambda v: ag.clip(v, *((constant, None) if side == "min" else
                                                                   (None, constant))), [-1.0, 0.0, 1.0]), inside)


def test_clip_without_bounds_is_the_identity_as_in_numpy_2_1():
    x = ag.tensor([1.0, -1.0], requires_grad=True)
    out = ag.clip(x, None, None)
    out.sum().backward()
    np.testing.assert_array_equal(out.data, [1.0, -1.0])
    np.testing.assert_array_equal(x.grad.data, [1.0, 1.0])


def test_clip_bounds_equal_give_x_its_gradient_where_it_ties_both_and_each_bound_its_side_as_torch_clamp():
    x = ag.tensor([-2.0, 1.0, 3.0], requires_grad=True)
    low, high = ag.tensor(1.0, requires_grad=True), ag.tensor(1.0, requires_grad=True)
    ag.clip(x, low, high).sum().backward()
    assert (low.grad.item(), high.grad.item()) == (1.0, 1.0)  # x = -2 is below a_min, x = 3 above a_max
    np.testing.assert_array_equal(x.grad.data, [0.0, 1.0, 0.0])


def test_clip_without_bounds_returns_a_copy_as_numpy():
    values = np.array([1.0, -1.0])
    x = ag.tensor(values.copy())
    out = ag.clip(x, None, None)
    assert not np.shares_memory(out.data, x.data)
    with ag.no_grad():
        out += 1.0
    np.testing.assert_array_equal(x.data, values)


@pytest.mark.parametrize("bounds", ["a_max", "a_min"])
def test_clip_with_one_bound_that_requires_grad_matches_numpy_and_finite_differences(bounds):
    x = np.array([-3.0, 0.2, 1.0, 2.5])
    bound = np.array(0.5)
    call = (lambda x, b: ag.clip(x, None, b)) if bounds == "a_max" else (lambda x, b: ag.clip(x, b, None))
    expected = np.clip(x, None, bound) if bounds == "a_max" else np.clip(x, bound, None)
    out = call(ag.tensor(x), ag.tensor(bound, requires_grad=True))
    np.testing.assert_array_equal(out.data, expected)
    assert gradcheck(call, x, bound)


_CLIP_X = np.array([-1.0, 0.5, 2.0])


@pytest.mark.parametrize("bounds", [{"min": 0.0}, {"max": 1.0}, {"min": 0.0, "max": 1.0}])
def test_tensor_clip_method_takes_numpy_and_torch_keywords_min_and_max(bounds):
    # ndarray.clip(min=None, max=None) and torch.Tensor.clip(min=None, max=None) both name the bounds min and max;
    # np.clip(t, min=0) already works on a Tensor through the NumPy dispatch.
    t = ag.tensor(_CLIP_X, requires_grad=True)
    out = t.clip(**bounds)
    np.testing.assert_array_equal(out.data, _CLIP_X.copy().clip(**bounds))
    out.sum().backward()
    low, high = bounds.get("min", -np.inf), bounds.get("max", np.inf)
    np.testing.assert_array_equal(t.grad.data, ((_CLIP_X > low) & (_CLIP_X < high)).astype(float))


def test_tensor_clip_method_keywords_match_torch_clip():
    torch = pytest.importorskip("torch")
    t = ag.tensor(_CLIP_X, requires_grad=True)
    ref = torch.tensor(_CLIP_X, requires_grad=True)
    t.clip(min=0.0).sum().backward()
    ref.clip(min=0.0).sum().backward()
    np.testing.assert_array_equal(t.grad.data, ref.grad.numpy())


def test_ag_clip_takes_numpy_2_1_keywords_min_and_max_as_np_clip():
    # np.clip(a, min=..., max=...) since NumPy 2.1 (the project requires numpy>=2.0 and runs on 2.4)
    if np.lib.NumpyVersion(np.__version__) < "2.1.0":
        pytest.skip("np.clip takes min= and max= from NumPy 2.1")
    out = ag.clip(ag.tensor(_CLIP_X), min=0.0, max=1.0)
    np.testing.assert_array_equal(out.data, np.clip(_CLIP_X, min=0.0, max=1.0))


def test_clip_refuses_a_bound_given_by_both_names():
    with pytest.raises(TypeError, match="clip: got both a_min and min"):
        ag.clip(ag.tensor(_CLIP_X), 0.0, min=0.0)
