"""More of PyTorch's names (autograd_core/torch_extras.py), continued from test_torch_extras.py: mv (d2l's
get_similar_tokens), ger (outer's older name, pytorch-ntm's memory write), masked_scatter (and the in-place
masked_scatter_), the out-of-place form of `x[mask] = values` that UvA tutorial 7's graph attention layer writes.
Declared for the generated checks (NumPy reference, finite-difference first and second derivatives, graph freed,
float32); then broadcasting, errors, and PyTorch itself.
Also baddbmm (HF GPT-2's reordered attention); t.values and t.indices, the fields of PyTorch's max(dim) pair,
t.repeat (PyTorch's tile) and t.sort, which raise an AttributeError that names the spellings here (amax, argmax,
tile, argsort); var_mean and std_mean, PyTorch's pairs with its default correction=1; unflatten, flatten's inverse;
element_size (K-FAC's memory accounts); is_contiguous and contiguous with PyTorch's memory_format=; torch.detach;
chain_matmul, deprecated as torch's; t.flip and t.unfold at their edges (from PyTorch's test_shape_ops)."""
import re
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd_core as ag
from autograd_core.testing import gradcheck, gradgradcheck
from autograd_core.testing.strategies import shapes

sys.path.append(str(Path(__file__).resolve().parent / "ops"))  # the engine's declaration tables
sys.path.append(str(Path(__file__).resolve().parents[1]))  # conftest's helpers
from conftest import assert_function_matches_torch  # noqa: E402
from optable import Op, generated_tests  # noqa: E402


@st.composite
def _masked_scatter_case(draw):
    shape = draw(shapes(min_dims=1, max_dims=3, min_side=1, max_side=3))
    mask = draw(hnp.arrays(np.bool_, shape))
    extra = draw(st.integers(0, 2))  # (source may hold more entries than the mask takes)
    return (shape, (int(mask.sum()) + extra,)), {"mask": mask}


def _masked_scatter_ref(x, source, mask):
    out = x.copy()
    out[mask] = source[:int(mask.sum())]  # NumPy's assignment: the entries in order
    return out


TORCH_EXTRAS_MORE = [
    Op("masked_scatter", lambda x, s, mask: x.masked_scatter(ag.tensor(mask), s), _masked_scatter_ref, arity=2,
       case=_masked_scatter_case()),
    Op("mv", ag.mv, np.matmul, arity=2, shapes=st.sampled_from([((2, 3), (3,)), ((1, 1), (1,)), ((4, 2), (2,))])),
    Op("mv_method", lambda a, v: a.mv(v), np.matmul, arity=2, shapes=st.just(((3, 2), (2,)))),
    Op("baddbmm", lambda c, a, b: ag.baddbmm(c, a, b, beta=0.5, alpha=-2), lambda c, a, b: 0.5 * c - 2 * (a @ b),
       arity=3, shapes=st.sampled_from([((2, 3, 4), (2, 3, 5), (2, 5, 4)), ((4,), (1, 2, 3), (1, 3, 4)),
                                        ((), (3, 1, 1), (3, 1, 2))])),
]

globals().update(generated_tests(TORCH_EXTRAS_MORE))


def test_masked_scatter_takes_sources_entries_in_order_and_their_gradients():
    x = ag.tensor([[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]], requires_grad=True)
    source = ag.tensor([[10.0, 11.0], [12.0, 13.0], [14.0, 15.0]], requires_grad=True)  # (any shape; 2 left over)
    mask = ag.tensor([[True, False, True], [False, True, True]])
    y = ag.masked_scatter(x, mask, source)
    np.testing.assert_array_equal(y.data, [[10.0, 1.0, 11.0], [3.0, 12.0, 13.0]])
    (y * ag.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [[0.0, 2.0, 0.0], [4.0, 0.0, 0.0]])
    np.testing.assert_array_equal(source.grad.data, [[1.0, 3.0], [5.0, 6.0], [0.0, 0.0]])


def test_masked_scatter_broadcasts_input_and_mask_and_takes_an_empty_mask():
    out = ag.zeros((1, 3)).masked_scatter(np.array([[True], [False]]), ag.arange(6.0))
    np.testing.assert_array_equal(out.data, [[0.0, 1.0, 2.0], [0.0, 0.0, 0.0]])
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    out = x.masked_scatter(np.array([False, False]), ag.zeros(0))
    out.sum().backward()
    np.testing.assert_array_equal(out.data, [1.0, 2.0])
    np.testing.assert_array_equal(x.grad.data, [1.0, 1.0])


@pytest.mark.parametrize("in_place", [False, True], ids=["masked_scatter", "item_assignment"])
def test_masked_scatter_and_item_assignment_fill_a_constant_with_recorded_values(in_place):
    # UvA tutorial 7's GAT layer: attention logits placed at the edges of a -9e15 matrix, then a softmax
    logits = ag.tensor([0.5, -1.0, 2.0], requires_grad=True)
    adjacency = np.array([[True, True], [False, True]])
    scores = logits.new_zeros((2, 2)).fill_(-9e15)
    if in_place:
        scores[adjacency] = logits  # (the constant takes the assignment's record, as PyTorch's index_put_)
    else:
        scores = scores.masked_scatter(adjacency, logits)
    probs = ag.softmax(scores, axis=1)
    probs[0, 0].backward()
    p = np.exp(0.5) / (np.exp(0.5) + np.exp(-1.0))
    np.testing.assert_allclose(probs.data, [[p, 1 - p], [0.0, 1.0]], rtol=1e-15)
    np.testing.assert_allclose(logits.grad.data, [p * (1 - p), -p * (1 - p), 0.0], rtol=1e-14)


@pytest.mark.parametrize("call, kind, message", [
    (lambda: ag.zeros(3).masked_scatter(ag.tensor([1, 0, 1]), ag.ones(2)), TypeError,
     r"masked_scatter: mask must be a boolean Tensor, got dtype int64"),
    (lambda: ag.zeros(3).masked_scatter(np.array([True, True, False]), ag.ones(1)), ValueError,
     r"masked_scatter: the mask \(shape \(3,\)\) has 2 True entries, but source \(shape \(1,\)\) only 1"),
    (lambda: ag.zeros(3).masked_scatter(np.array([True, False]), ag.ones(2)), ValueError,
     r"masked_scatter: mask of shape \(2,\) does not broadcast with the Tensor's shape \(3,\)"),
    (lambda: ag.zeros(3, dtype=np.float32).masked_scatter(np.array([True, False, True]), ag.ones(2)), TypeError,
     r"masked_scatter: source must have the input's dtype float32, got float64"),
])
def test_masked_scatter_errors_name_the_operation_and_what_is_valid(call, kind, message):
    with pytest.raises(kind, match=message):
        call()


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_masked_scatter_matches_pytorch(dtype):
    torch = pytest.importorskip("torch")
    mask = np.array([[True, False, True], [True, True, False]])
    rng = np.random.default_rng(3)
    assert_function_matches_torch(lambda x, s: x.masked_scatter(ag.tensor(mask), s),
                                  lambda x, s: x.masked_scatter(torch.tensor(mask), s),
                                  [rng.standard_normal((2, 3)), rng.standard_normal(5)], dtype)
    assert_function_matches_torch(lambda x, s: x.masked_scatter(ag.tensor(mask[:1]), s),  # the mask broadcast
                                  lambda x, s: x.masked_scatter(torch.tensor(mask[:1]), s),
                                  [rng.standard_normal((2, 3)), rng.standard_normal(4)], dtype)


def test_mv_gives_each_rows_dot_product_and_the_outer_product_gradients():
    # d2l's get_similar_tokens: torch.mv(W, x), the dot products of each embedding with one
    W = ag.tensor([[1.0, 2.0], [3.0, -4.0], [0.5, 0.0]], requires_grad=True)
    x = ag.tensor([2.0, -1.0], requires_grad=True)
    y = ag.mv(W, x)
    np.testing.assert_array_equal(y.data, [0.0, 10.0, 1.0])
    (y * ag.tensor([1.0, 2.0, 3.0])).sum().backward()
    np.testing.assert_array_equal(W.grad.data, [[2.0, -1.0], [4.0, -2.0], [6.0, -3.0]])  # outer(weights, x)
    np.testing.assert_array_equal(x.grad.data, [1.0 + 6.0 + 1.5, 2.0 - 8.0])  # W.T @ weights


@pytest.mark.parametrize("call, kind, message", [
    (lambda: ag.mv(ag.ones((2, 3)), ag.ones((3, 1))), ValueError,
     r"mv: expects a matrix \(2-D\) and a vector \(1-D\), got shapes \(2, 3\) and \(3, 1\)"),
    (lambda: ag.mv(ag.ones(3), ag.ones(3)), ValueError, r"mv: expects a matrix .* got shapes \(3,\) and \(3,\)"),
    (lambda: ag.mv(ag.ones((2, 3)), ag.ones(2)), ValueError, r"mv: shapes \(2, 3\) and \(2,\) cannot be multiplied: the vector's length"),
    (lambda: ag.mv(ag.ones((2, 3)), ag.ones(3, dtype=np.float32)), TypeError, "mv: .* got float64 and float32"),
])
def test_mv_errors_name_the_operation_and_what_is_valid(call, kind, message):
    with pytest.raises(kind, match=message):
        call()


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_mv_matches_pytorch(dtype):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(5)
    assert_function_matches_torch(ag.mv, torch.mv, [rng.standard_normal((4, 3)), rng.standard_normal(3)], dtype)
    assert_function_matches_torch(lambda a, v: a.mv(v), lambda a, v: a.mv(v),
                                  [rng.standard_normal((2, 5)), rng.standard_normal(5)], dtype)



def test_ger_gives_the_outer_product_of_two_vectors_and_its_gradients():
    # pytorch-ntm's older memory write: erase = torch.ger(w[b], e[b]), PyTorch's older name for outer
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    e = ag.tensor([3.0, 0.5, -1.0], requires_grad=True)
    y = ag.ger(w, e)
    np.testing.assert_array_equal(y.data, [[3.0, 0.5, -1.0], [6.0, 1.0, -2.0]])
    np.testing.assert_array_equal(w.ger(e).data, y.data)
    upstream = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    (y * ag.tensor(upstream)).sum().backward()
    np.testing.assert_array_equal(w.grad.data, upstream @ [3.0, 0.5, -1.0])
    np.testing.assert_array_equal(e.grad.data, [1.0, 2.0] @ upstream)
    assert gradcheck(ag.ger, [0.3, -1.2], [2.0, 0.1, 0.7])


@pytest.mark.parametrize("call", [lambda: ag.ger(ag.ones((2, 1)), ag.ones(3)), lambda: ag.ones(2).ger(ag.ones((3, 3)))])
def test_ger_refuses_operands_that_are_not_vectors_naming_outer(call):
    with pytest.raises(ValueError, match=r"ger: expects two vectors \(1-D\), got shapes .*ag.outer flattens"):
        call()


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_ger_matches_pytorch(dtype):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(6)
    assert_function_matches_torch(ag.ger, torch.ger, [rng.standard_normal(4), rng.standard_normal(3)], dtype)
    assert_function_matches_torch(lambda a, b: a.ger(b), lambda a, b: a.ger(b),
                                  [rng.standard_normal(2), rng.standard_normal(5)], dtype)

# ---- t.values and t.indices: the fields of PyTorch's max(dim) pair ----------------------------------------------------
Q_VALUES = np.array([[0.25, -1.0], [3.0, 3.5], [-2.0, -4.0]])


@pytest.mark.parametrize("field, advice", [("values", "t.amax(dim)"), ("indices", "t.argmax(dim)")])
def test_max_dim_field_raises_attribute_error_naming_the_spelling_here(field, advice):
    q = ag.tensor(Q_VALUES, requires_grad=True)
    with pytest.raises(AttributeError, match=rf"no attribute '{field}'.*{re.escape(advice)}"):
        getattr(q.max(1), field)
    with ag.no_grad(), pytest.raises(AttributeError, match="values alone here"):  # DQN's epsilon-greedy branch
        getattr(q.max(1), field)


def test_fields_stay_absent_for_hasattr_and_getattr_with_a_default():
    q = ag.tensor(Q_VALUES)
    assert not hasattr(q, "values") and not hasattr(q, "indices")
    assert getattr(q, "values", None) is None and getattr(q, "indices", "absent") == "absent"


def test_torchs_repeat_names_its_spelling_here():
    # UvA's ViT writes self.cls_token.repeat(B, 1, 1): NumPy's np.repeat repeats each element, so the name stays
    # absent, with advice (t.sort likewise: test_sort_method_raises_attribute_error_naming_sort_and_argsort)
    t = ag.tensor([[3.0, 1.0, 2.0]])
    advice = re.escape("PyTorch's t.repeat(*sizes) is ag.tile(t, sizes)")
    with pytest.raises(AttributeError, match=rf"no attribute 'repeat': .*{advice}"):
        t.repeat
    assert not hasattr(t, "repeat")
    t.repeat = "own"  # (an attribute of the Tensor's own is kept)
    assert t.repeat == "own"
    np.testing.assert_array_equal(np.repeat(ag.tensor([1.0, 2.0]), 2).data, [1.0, 1.0, 2.0, 2.0])
    np.testing.assert_array_equal(ag.tile(ag.tensor([[1.0, 2.0]]), (2, 1, 1)).data, [[[1.0, 2.0]]] * 2)
    torch = pytest.importorskip("torch")
    assert ag.tile(ag.tensor([[1.0, 2.0]]), (2, 1, 1)).shape == tuple(torch.ones(1, 2).repeat(2, 1, 1).shape)


def test_the_named_spellings_give_torchs_values_and_indices():
    q = ag.tensor(Q_VALUES)
    assert np.array_equal(q.amax(1).numpy(), Q_VALUES.max(1))
    assert np.array_equal(q.argmax(1).view(-1, 1).numpy(), Q_VALUES.argmax(1)[:, None])
    torch = pytest.importorskip("torch")
    result = torch.tensor(Q_VALUES).max(1)
    assert np.array_equal(q.amax(1).numpy(), result.values.numpy())
    assert np.array_equal(q.argmax(1).numpy(), result.indices.numpy())


def test_an_attribute_of_the_tensors_own_by_that_name_is_kept():
    q = ag.tensor(Q_VALUES)
    q.indices = [0, 2]  # (a Tensor's own attributes, as `out.g = ...`)
    assert q.indices == [0, 2]
    with pytest.raises(AttributeError, match="t.amax"):
        ag.tensor(Q_VALUES).values


# ---- t.sort: absent (PyTorch's gives the pair, NumPy's sorts in place), its AttributeError naming sort/argsort ----
def test_sort_method_raises_attribute_error_naming_sort_and_argsort():
    targets = ag.tensor([3, 1, 2, 1])
    with pytest.raises(AttributeError, match=r"no attribute 'sort': .*indices = t\.argsort\(dim=dim, descending="
                                             r"descending\).*ag\.sort\(t, dim\) for the ascending values"):
        classes, _ = ag.unique(targets).sort()  # UvA tutorial 16's calculate_prototypes
    assert not hasattr(targets, "sort") and getattr(targets, "sort", None) is None
    order = ag.argsort(targets, 0, kind="stable")  # the spellings named give PyTorch's stable sort's pair
    np.testing.assert_array_equal(order.numpy(), [1, 3, 2, 0])
    np.testing.assert_array_equal(ag.sort(targets, 0).numpy(), [1, 1, 2, 3])
    np.testing.assert_array_equal(targets[order].numpy(), [1, 1, 2, 3])
    torch = pytest.importorskip("torch")
    values, indices = torch.tensor([3, 1, 2, 1]).sort(stable=True)
    np.testing.assert_array_equal(order.numpy(), indices.numpy())
    np.testing.assert_array_equal(ag.sort(targets, 0).numpy(), values.numpy())


# ---- baddbmm ----
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_baddbmm_matches_torch(dtype):
    rng = np.random.default_rng(4)
    arrays = [rng.standard_normal(s) for s in ((3, 2, 4), (3, 2, 5), (3, 5, 4))]
    assert_function_matches_torch(lambda c, a, b: ag.baddbmm(c, a, b, beta=0.5, alpha=2),
                                  lambda c, a, b: pytest.importorskip("torch").baddbmm(c, a, b, beta=0.5, alpha=2),
                                  arrays, dtype)


def test_baddbmm_with_beta_zero_ignores_an_empty_input_as_hf_gpt2_passes_it():
    a, b = np.arange(6.0).reshape(1, 2, 3), np.arange(6.0).reshape(1, 3, 2)
    garbage = ag.tensor(np.full((1, 2, 2), np.nan, np.float32))  # what torch.empty may hold
    out = ag.baddbmm(garbage, ag.tensor(a, dtype=np.float32), ag.tensor(b, dtype=np.float32), beta=0, alpha=0.5)
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out.data, 0.5 * (a @ b))
    torch = pytest.importorskip("torch")
    expected = torch.baddbmm(torch.full((1, 2, 2), float("nan")), torch.tensor(a, dtype=torch.float32),
                             torch.tensor(b, dtype=torch.float32), beta=0, alpha=0.5)
    np.testing.assert_array_equal(out.data, expected.numpy())


@pytest.mark.parametrize("call, message", [
    (lambda: ag.baddbmm(ag.ones(2), ag.ones((2, 3)), ag.ones((3, 2))), r"baddbmm: expects batch1 and batch2 batches"),
    (lambda: ag.baddbmm(ag.ones(2), ag.ones((2, 1, 3)), ag.ones((1, 3, 2))), r"baddbmm: shapes \(2, 1, 3\) and "
                                                                          r"\(1, 3, 2\) cannot be multiplied"),
    (lambda: ag.baddbmm(ag.ones(3), ag.ones((2, 1, 3)), ag.ones((2, 3, 2))), r"baddbmm: input of shape \(3,\) does "
                                                                           r"not broadcast to the product's shape"),
])
def test_baddbmm_errors_name_it_and_the_shapes(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# ---- var_mean and std_mean ----
W = np.random.default_rng(3).standard_normal((4, 2, 3, 3))


@pytest.mark.parametrize("args, kwargs, ddof, axis, keepdims", [
    ((), {}, 1, None, False),  # PyTorch's default correction=1
    (([1, 2, 3],), {"keepdim": True, "unbiased": False}, 0, (1, 2, 3), True),  # a weight-standardised convolution's
    ((1,), {}, 1, 1, False),
    ((False,), {}, 0, None, False),  # the older overload var_mean(input, unbiased)
    (((0, 2),), {"correction": 2}, 2, (0, 2), False),
    ((-1, True, True), {}, 1, -1, True),  # positionally (input, dim, unbiased, keepdim)
])
def test_var_mean_and_std_mean_give_numpys_statistics_with_pytorchs_correction(args, kwargs, ddof, axis, keepdims):
    var, mean = ag.var_mean(ag.tensor(W), *args, **kwargs)
    std, mean_again = ag.std_mean(ag.tensor(W), *args, **kwargs)
    np.testing.assert_allclose(var.data, np.var(W, axis=axis, ddof=ddof, keepdims=keepdims), rtol=1e-14)
    np.testing.assert_allclose(std.data, np.std(W, axis=axis, ddof=ddof, keepdims=keepdims), rtol=1e-14)
    np.testing.assert_allclose(mean.data, np.mean(W, axis=axis, keepdims=keepdims), rtol=1e-14, atol=1e-16)
    assert np.array_equal(mean.data, mean_again.data)
    torch = pytest.importorskip("torch")
    for ours, theirs in [(var, torch.var_mean), (std, torch.std_mean)]:
        expected = theirs(torch.tensor(W), *args, **kwargs)
        assert isinstance(expected, tuple) and ours.shape == tuple(expected[0].shape)
        np.testing.assert_allclose(ours.data, expected[0].numpy(), rtol=1e-14)
        np.testing.assert_allclose(mean.data, expected[1].numpy(), rtol=1e-14, atol=1e-16)


def test_var_mean_and_std_mean_gradients_reach_the_input():
    x = W[:2, :1]
    for pair in (ag.var_mean, ag.std_mean):
        assert gradcheck(lambda t: sum(r.sum() * c for r, c in zip(pair(t, (1, 2), keepdim=True), (1.0, 0.5))), x)
        assert gradgradcheck(lambda t: pair(t, [2, 3], unbiased=False)[0].sum(), x)
    torch = pytest.importorskip("torch")
    for ours, theirs in [(ag.var_mean, torch.var_mean), (ag.std_mean, torch.std_mean)]:
        assert_function_matches_torch(lambda t: ours(t, [1, 2, 3], keepdim=True, unbiased=False)[0] * 2
                                      + ours(t, [1, 2, 3], keepdim=True, unbiased=False)[1],
                                      lambda t: theirs(t, [1, 2, 3], keepdim=True, unbiased=False)[0] * 2
                                      + theirs(t, [1, 2, 3], keepdim=True, unbiased=False)[1],
                                      [W], np.float32)


@pytest.mark.parametrize("call, error, message", [
    (lambda: ag.var_mean(ag.tensor(W), 5), np.exceptions.AxisError, "var_mean: axis 5 is out of bounds"),
    (lambda: ag.std_mean(ag.tensor(W), "x"), TypeError, "std_mean: invalid axis='x'"),
    (lambda: ag.var_mean(ag.tensor(W), unbiased=True, correction=1), TypeError, "var_mean: got both unbiased=True"),
    (lambda: ag.std_mean(ag.tensor(W), unbiased="yes"), TypeError, "std_mean: unbiased must be True or False"),
])
def test_var_mean_and_std_mean_errors_name_the_function(call, error, message):
    with pytest.raises(error, match=re.escape(message)):
        call()


def test_unflatten_is_torchs_and_flattens_inverse():
    # UvA's SimCLR cuts a dataset per class with t.unflatten(0, (10, 500))[:, :n].flatten(0, 1)
    x = np.arange(24.0).reshape(12, 2)
    np.testing.assert_array_equal(ag.tensor(x).unflatten(0, (3, -1)).data, x.reshape(3, 4, 2))
    np.testing.assert_array_equal(ag.unflatten(ag.tensor(x), -1, [1, 2]).data, x.reshape(12, 1, 2))
    t = ag.tensor(x, requires_grad=True)
    picked = t.unflatten(0, (3, 4))[:, :2].flatten(0, 1)
    np.testing.assert_array_equal(picked.data, x.reshape(3, 4, 2)[:, :2].reshape(6, 2))
    picked.sum().backward()
    np.testing.assert_array_equal(t.grad.data, np.tile([[1.0], [1.0], [0.0], [0.0]], (3, 2)))
    for bad, kind, message in [((0, (5, -1)), ValueError, "unflatten: cannot infer the -1 .* 12 is no multiple of 5"),
                               ((2, (1,)), IndexError, "unflatten: dim 2 is out of range .* valid dims are -2..1"),
                               ((0, (3, 3)), ValueError, r"unflatten: the sizes \(3, 3\) do not multiply up to the "
                                                         "size 12")]:
        with pytest.raises(kind, match=message):
            ag.tensor(x).unflatten(*bad)
    torch = pytest.importorskip("torch")
    np.testing.assert_array_equal(ag.tensor(x).unflatten(0, (2, 3, -1)).data,
                                  torch.tensor(x).unflatten(0, (2, 3, -1)).numpy())


def test_is_sparse_and_is_cuda_are_false_as_for_a_dense_cpu_tensor():
    x = ag.ones(2, requires_grad=True)
    (x * x).sum().backward()
    assert x.is_sparse is False and x.grad.is_sparse is False and x.is_cuda is False  # (LAMB's grad.is_sparse check)
    torch = pytest.importorskip("torch")
    assert (x.is_sparse, x.is_cuda) == (torch.ones(2).is_sparse, torch.ones(2).is_cuda)


def test_cov_and_corrcoef_methods_are_pytorchs_correction_weights_and_dtype():
    # fast.ai course22p2's FID: feats.T.cov(); a float32 Tensor keeps float32 as torch's (ag.cov is NumPy's float64)
    x = np.random.default_rng(1).standard_normal((3, 6))
    fweights, aweights = np.array([1, 2, 1, 3, 1, 2]), np.linspace(0.2, 1.0, 6)
    for dtype, rtol in ((np.float64, 1e-13), (np.float32, 1e-5)):
        t = ag.tensor(x, dtype=dtype)
        assert t.cov().dtype == t.corrcoef().dtype == dtype
        np.testing.assert_allclose(t.cov().data, np.cov(x), rtol=rtol)
        np.testing.assert_allclose(t.cov(correction=0, fweights=fweights, aweights=aweights).data,
                                   np.cov(x, ddof=0, fweights=fweights, aweights=aweights), rtol=rtol)
        np.testing.assert_allclose(t.corrcoef().data, np.corrcoef(x), rtol=rtol, atol=rtol)
    assert ag.tensor([1, 2, 4]).cov().dtype == np.float64 and float(ag.tensor([1, 2, 4]).cov()) == pytest.approx(7 / 3)
    assert gradcheck(lambda t: t.cov(correction=2), x)
    assert gradcheck(lambda t: t.corrcoef(), x)
    torch = pytest.importorskip("torch")
    xt = torch.tensor(x)
    np.testing.assert_allclose(ag.tensor(x).cov(correction=0, fweights=fweights, aweights=aweights).data,
                               xt.cov(correction=0, fweights=torch.tensor(fweights),
                                      aweights=torch.tensor(aweights)).numpy(), rtol=1e-13)
    np.testing.assert_allclose(ag.tensor(x).corrcoef().data, xt.corrcoef().numpy(), rtol=1e-13)
    np.testing.assert_allclose(ag.tensor(x, dtype=np.float32).cov().data, xt.float().cov().numpy(), rtol=1e-5)


def test_element_size_is_the_bytes_of_one_element_as_torchs():
    for dtype, size in ((np.float64, 8), (np.float32, 4), (np.float16, 2), (np.int64, 8), (np.uint8, 1), (bool, 1)):
        t = ag.zeros((2, 3), dtype=dtype)
        assert t.element_size() == size == np.dtype(dtype).itemsize  # NumPy's itemsize
        assert t.nelement() * t.element_size() == t.data.nbytes
    torch = pytest.importorskip("torch")
    for dtype in (torch.float64, torch.float32, torch.float16, torch.int64, torch.uint8, torch.bool):
        theirs = torch.zeros(2, dtype=dtype)
        assert ag.tensor(theirs.numpy()).element_size() == theirs.element_size()


def test_contiguity_takes_pytorchs_memory_format_and_answers_for_c_order():
    # timm's norm layers ask tensor.is_contiguous(memory_format=torch.contiguous_format)
    x = ag.tensor(np.arange(24.0).reshape(1, 2, 3, 4), requires_grad=True)
    channels_last_view = x.permute(0, 2, 3, 1)
    for memory_format in (None, ag.contiguous_format, ag.preserve_format):
        assert x.is_contiguous(memory_format=memory_format) is True
        assert channels_last_view.is_contiguous(memory_format=memory_format) is False
    copy = channels_last_view.contiguous(memory_format=ag.contiguous_format)
    assert copy.is_contiguous() and copy.requires_grad and x.contiguous(memory_format=ag.contiguous_format) is x
    np.testing.assert_array_equal(copy.data, np.arange(24.0).reshape(1, 2, 3, 4).transpose(0, 2, 3, 1))
    copy.sum().backward()
    np.testing.assert_array_equal(x.grad.data, np.ones((1, 2, 3, 4)))  # the graph kept
    with pytest.raises(TypeError, match=r"^is_contiguous: memory_format must be ag.preserve_format or "
                                        r"ag.contiguous_format"):
        x.is_contiguous(memory_format="channels_last")
    with pytest.raises(TypeError, match=r"^contiguous: memory_format must be"):
        x.contiguous(memory_format="channels_last")
    torch = pytest.importorskip("torch")
    t = torch.arange(24.0).reshape(1, 2, 3, 4)
    assert t.permute(0, 2, 3, 1).is_contiguous(memory_format=torch.contiguous_format) is False
    assert t.is_contiguous(memory_format=torch.contiguous_format) is True


def test_index_add_result_takes_item_assignment_while_recording():
    # davidmrau's mixture-of-experts combine: zeros.index_add(0, batch_index, expert_outputs), then the empty rows
    # set to eps by `combined[combined == 0] = eps` before the log; the result is no view of another Tensor
    zeros = ag.zeros((3, 2), requires_grad=True)
    source = ag.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], requires_grad=True)
    index = ag.tensor([0, 2, 0])
    combined = zeros.index_add(0, index, source)
    eps = np.finfo(float).eps
    combined[combined == 0] = eps
    combined.log().sum().backward()
    expected = np.array([[6.0, 8.0], [eps, eps], [3.0, 4.0]])
    np.testing.assert_array_equal(combined.data, expected)
    np.testing.assert_array_equal(zeros.grad.data, np.where(expected == eps, 0.0, 1 / expected))  # (assigned: 0)
    np.testing.assert_array_equal(source.grad.data, 1 / expected[[0, 2, 0]])
    torch = pytest.importorskip("torch")
    theirs_zeros = torch.zeros(3, 2, dtype=torch.float64, requires_grad=True)
    theirs_source = torch.tensor(source.numpy(), requires_grad=True)
    theirs = theirs_zeros.index_add(0, torch.tensor([0, 2, 0]), theirs_source)
    theirs[theirs == 0] = eps
    theirs.log().sum().backward()
    np.testing.assert_array_equal(combined.data, theirs.detach().numpy())
    np.testing.assert_array_equal(zeros.grad.data, theirs_zeros.grad.numpy())
    np.testing.assert_array_equal(source.grad.data, theirs_source.grad.numpy())


def test_detach_function_is_the_method():
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    d = ag.detach(w * 3)
    assert not d.requires_grad and d.tolist() == [3.0, 6.0]
    assert np.shares_memory(ag.detach(w).data, w.data)  # (as w.detach())


def test_chain_matmul_warns_as_torch_and_multiplies_in_order():
    rng = np.random.default_rng(9)
    a, b, c = rng.normal(size=(2, 3)), rng.normal(size=(3, 4)), rng.normal(size=(4, 2))
    with pytest.warns(UserWarning, match="chain_matmul is deprecated .* use ag.linalg.multi_dot"):
        out = ag.chain_matmul(ag.tensor(a), ag.tensor(b), ag.tensor(c))
    np.testing.assert_allclose(out.data, a @ b @ c, rtol=1e-12)
    with pytest.warns(UserWarning):
        single = ag.tensor(a)
        copied = ag.chain_matmul(single)
    assert copied is not single and np.array_equal(copied.data, a)  # (torch's clone)
    ts = [ag.tensor(m, requires_grad=True) for m in (a, b, c)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        assert gradcheck(ag.chain_matmul, *ts)
        assert gradgradcheck(lambda x, y, z: ag.chain_matmul(x, y, z) ** 2, *ts)
        with pytest.raises(ValueError, match=r"chain_matmul: each Tensor must be a matrix \(2-D\), got shapes"):
            ag.chain_matmul(ag.ones(3), ag.ones((3, 3)))
        with pytest.raises(ValueError, match="chain_matmul: expected one or more matrices, got none"):
            ag.chain_matmul()
    torch = pytest.importorskip("torch")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        expected = torch.chain_matmul(torch.tensor(a), torch.tensor(b), torch.tensor(c)).numpy()
        np.testing.assert_allclose(ag.chain_matmul(ag.tensor(a), ag.tensor(b), ag.tensor(c)).data, expected,
                                   rtol=1e-12)


@pytest.mark.parametrize("call", [
    lambda m: m.repeat_interleave(m.tensor([1, 2, -1, 3])), lambda m: m.repeat_interleave(m.tensor([1, 2]), -1),
    lambda m: m.repeat_interleave(m.tensor([[1, 2], [3, 4]]), m.tensor([1, 2, 3]), dim=0),
    lambda m: m.repeat_interleave(m.tensor([1, 2]), 2, dim=0, output_size=3),
])
def test_repeat_interleave_bad_counts_are_runtime_errors_as_torchs(call):
    # found by porting PyTorch's test_tensor_creation_ops (test_repeat_interleave): NumPy's ValueError alone escaped
    # PyTorch's `except RuntimeError`
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        call(torch)
    with pytest.raises(ValueError, match="repeat_interleave") as caught:
        call(ag)
    assert isinstance(caught.value, RuntimeError)


# ---- t.flip and t.unfold at their edges, found by porting PyTorch's test_shape_ops ----
@pytest.mark.parametrize("dims", [(), [], 0, (0,), -1])
def test_flip_of_no_dims_or_of_a_0d_tensor_is_the_input_as_pytorchs(dims):
    # test_flip's no-op cases: t.flip(()) refused an empty tuple as no dims at all, and torch.flip(scalar, dims=0)
    # (PyTorch's keyword) raised NumPy's AxisError
    torch = pytest.importorskip("torch")
    x = np.arange(6.0).reshape(3, 2, 1)
    if dims in ((), []):
        np.testing.assert_array_equal(ag.tensor(x).flip(dims).data, torch.tensor(x).flip(dims).numpy())
        np.testing.assert_array_equal(ag.flip(ag.tensor(x), dims=dims).data, x)
    scalar = ag.tensor(2.5, requires_grad=True)
    for flipped in (scalar.flip(dims), ag.flip(scalar, dims=dims)):
        assert flipped.shape == () and flipped.item() == torch.tensor(2.5).flip(dims).item()
        flipped.backward()
    assert scalar.grad.item() == 2.0
    with pytest.raises(np.exceptions.AxisError):  # (np.flip's axis= positional stays NumPy's)
        ag.flip(ag.tensor(2.5), 0)


@pytest.mark.parametrize("call", [lambda m, t: t.flip(0, 1, 1), lambda m, t: t.flip((0, -3)),
                                  lambda m, t: m.flip(t, dims=(2, 2))])
def test_flip_of_a_dim_twice_raises_numpys_value_error_and_torchs_runtime_error(call):
    torch = pytest.importorskip("torch")
    x = np.arange(8.0).reshape(2, 2, 2)
    with pytest.raises(RuntimeError):
        call(torch, torch.tensor(x))
    with pytest.raises(ValueError, match=r"flip: dims \(\d, -?\d(, \d)?\) name an axis more than once \(input "
                                         r"shape \(2, 2, 2\)\); give each axis once") as caught:
        call(ag, ag.tensor(x))
    assert isinstance(caught.value, RuntimeError)
    with pytest.raises(ValueError, match="repeated axis|more than once"):
        np.flip(x, (0, 0))
    with pytest.raises(ValueError, match="more than once"):
        np.flip(ag.tensor(x), (0, 0))


@pytest.mark.parametrize("size, step, words", [(-1, 1, "size is -1 but must be >= 0"),
                                               (8, 1, "size is 8 but must be >= 0 and at most the size 7"),
                                               (1, -1, "step is -1 but must be > 0"), (1, 0, "step is 0")])
def test_unfold_of_a_bad_size_or_step_raises_torchs_runtime_error_too(size, step, words):
    # test_unfold_errors: PyTorch's RuntimeError, here a ValueError as well
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        torch.arange(1.0, 8).unfold(0, size, step)
    with pytest.raises(ValueError, match=words) as caught:
        ag.arange(1.0, 8).unfold(0, size, step)
    assert isinstance(caught.value, RuntimeError)


@pytest.mark.parametrize("call, message", [
    (lambda h: h(ag.tensor([1.0], dtype=np.float32), bins=-1), r"bins must be > 0"),
    (lambda h: h(ag.tensor([1.0, 2.0, 3.0]), bins=4, min=5, max=1), r"max must be larger than min"),
    (lambda h: h(ag.tensor([1.0, 2.0, np.inf])), r"range of \[1(\.0)?, inf\] is not finite"),
    (lambda h: h(ag.tensor([np.nan])), r"range of \[nan, nan\] is not finite")])
def test_histc_errors_are_pytorchs_runtime_errors_in_its_words(call, message):
    # (found by porting PyTorch's test_reductions, whose test_histc matches these with RuntimeError)
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError, match=message):
        call(lambda x, **kw: torch.histc(torch.tensor(x.numpy()), **kw))
    with pytest.raises(RuntimeError, match=message) as raised:
        call(ag.histc)
    assert isinstance(raised.value, ValueError)


@pytest.mark.parametrize("value, dtype", [(1.0, np.float64), (1e20, np.float64), (-1e300, np.float64),
                                          (1e10, np.float32), (3e38, np.float32), (0.0, np.float32)])
@pytest.mark.parametrize("bins", [1, 4, 5])
def test_histc_of_a_constant_input_fills_the_middle_bin_as_torch(value, dtype, bins):
    # np.histogram raised "Too many bins for data range" where value +- 1 rounds to value (found by porting PyTorch's
    # test_histc_value_corner_cases)
    torch = pytest.importorskip("torch")
    expected = torch.histc(torch.tensor([value] * 3, dtype=getattr(torch, np.dtype(dtype).name)), bins=bins)
    result = ag.histc(ag.tensor(np.array([value] * 3, dtype)), bins=bins)
    assert result.dtype == dtype
    np.testing.assert_array_equal(result.numpy(), expected.numpy())


def test_histc_at_the_float_extremes_counts_every_value():
    for dtype in (np.float32, np.float64):
        for value in (np.finfo(dtype).min, np.finfo(dtype).max):
            assert ag.histc(ag.tensor(np.array([value] * 3, dtype)), bins=4).sum().item() == 3


@pytest.mark.parametrize("call, message", [
    (lambda: ag.zeros(3).index_fill(0, ag.tensor([1]), ag.tensor([1.0, 2.0])), "index_fill: value must be a number"),
    (lambda: ag.zeros(3).masked_fill_(ag.tensor([True, False, True]), ag.tensor([1.0, 2.0])),
     "masked_fill_: value must be a number"),
    (lambda: ag.zeros(3).fill_(ag.tensor([1.0, 2.0])), "fill_: value must be a number"),
    (lambda: ag.zeros(3).masked_scatter_(ag.tensor([True, True, True]), ag.zeros(2)), "masked_scatter: the mask"),
    (lambda: ag.zeros(3).bernoulli_(-0.5), r"bernoulli_: p must be >= 0.0"),
    (lambda: ag.tensor([1.0, 2.0]).item(), "item: only a Tensor with one element"),
])
def test_bad_values_raise_value_errors_that_are_also_torchs_runtime_errors(call, message):
    # found by porting PyTorch's test_torch.py (test_masked_fill, test_index_fill, test_masked_scatter,
    # test_bernoulli, test_item): PyTorch raises RuntimeError where these raised a plain ValueError
    with pytest.raises(ValueError, match=message) as info:
        call()
    assert isinstance(info.value, RuntimeError)


def test_clone_takes_memory_format_and_narrow_copy_copies_as_torch():
    # found by porting PyTorch's test_torch.py (test_clone_all_dtypes_and_devices, test_narrow_copy): clone's
    # memory_format= was refused and narrow_copy was missing
    torch = pytest.importorskip("torch")
    x = ag.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
    for copied in (x.clone(memory_format=ag.preserve_format), ag.clone(x, memory_format=ag.contiguous_format),
                   x.narrow_copy(1, 1, 2), ag.narrow_copy(x, 0, -1, 1)):
        assert not np.shares_memory(copied.data, x.data) and copied.requires_grad
    np.testing.assert_array_equal(x.narrow_copy(1, 1, 2).data,
                                  torch.tensor(x.data).narrow_copy(1, 1, 2).numpy())
    (x.narrow_copy(1, 1, 2) * 2).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [[0, 2, 2], [0, 2, 2]])
    with pytest.raises(TypeError, match="clone: memory_format must be"):
        x.clone(memory_format="channels_last")


@pytest.mark.parametrize("call, message", [
    (lambda: ag.zeros(3).masked_fill(ag.tensor([1, 0, 1]), 1.0), "masked_fill: mask must be a boolean Tensor"),
    (lambda: ag.zeros(3).masked_scatter_(ag.tensor([1, 0, 1]), ag.ones(3)), "masked_scatter_?: mask must be a boolean"),
    (lambda: ag.masked_select(ag.zeros(2), ag.tensor([1, 0])), "masked_select: mask must be a boolean Tensor"),
    (lambda: ag.zeros(3).put_(ag.tensor([0.0]), ag.tensor([1.0])), "put: index must be an integer Tensor"),
    (lambda: ag.multinomial(ag.tensor([1, 2]), 1), "multinomial: input must hold float weights"),
])
def test_wrong_dtypes_raise_type_errors_that_are_also_torchs_runtime_errors(call, message):
    # found by porting PyTorch's test_torch.py (test_masked_fill, test_masked_scatter, test_put_, test_multinomial):
    # PyTorch raises RuntimeError where these raised a plain TypeError
    with pytest.raises(TypeError, match=message) as info:
        call()
    assert isinstance(info.value, RuntimeError)


@pytest.mark.parametrize("dtype", [np.bool_, np.int8, np.uint8, np.int32, np.float16])
def test_masked_scatter_with_no_true_entry_keeps_the_dtype(dtype):
    # found by porting PyTorch's test_torch.py (test_masked_scatter): an all-False (or empty) mask gave int64 for
    # bool and small integer inputs, so masked_scatter_ refused to write it back
    x = ag.tensor(np.array([1, 0, 1]).astype(dtype))
    out = x.masked_scatter(ag.tensor([False, False, False]), ag.tensor(np.ones(2, dtype)))
    assert out.dtype == dtype and not np.shares_memory(out.data, x.data)
    np.testing.assert_array_equal(out.data, x.data)
    empty = ag.empty((5, 0, 5), dtype=dtype)
    assert empty.masked_scatter_(ag.ones((5, 1, 5), dtype=np.bool_), ag.empty((0,), dtype=dtype)) is empty
