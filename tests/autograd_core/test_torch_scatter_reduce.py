"""PyTorch's reductions into indexed positions (autograd_core/torch_scatter_reduce.py): scatter_reduce and
index_reduce with each reduction and include_self, the in-place scatter_reduce_, index_reduce_ and index_add_, as a
message-passing layer aggregates over a graph's edges. Values against a loop written with NumPy, gradients against
finite differences, both against torch where installed."""
import numpy as np
import pytest

import autograd_core as ag
from autograd_core.testing import gradcheck, gradgradcheck

REDUCTIONS = ["sum", "prod", "mean", "amax", "amin"]
NUMPY_REDUCTIONS = {"sum": np.sum, "prod": np.prod, "mean": np.mean, "amax": np.max, "amin": np.min}

# A (4, 3) input, and along dim 0 a (5, 2) index: rows 0 and 3 get several entries, row 2 none, column 2 none.
INPUT = np.array([[0.5, -1.0, 2.0], [1.5, 0.25, -0.5], [3.0, 1.0, 0.75], [-2.0, 0.5, 1.25]])
INDEX = np.array([[0, 3], [3, 0], [0, 1], [1, 3], [3, 3]])
SOURCE = np.array([[0.3, -0.7], [1.1, 0.9], [-1.3, 0.4], [2.2, -0.6], [0.8, 1.7]])


def reduced_by_loop(x, dim, index, src, reduce, include_self):
    """scatter_reduce by its definition: each position's contributions gathered, then reduced."""
    out = np.array(x, dtype=np.result_type(x, src))
    gathered = {}
    for position in np.ndindex(index.shape):
        target = list(position)
        target[dim] = index[position]
        gathered.setdefault(tuple(target), []).append(src[position])
    for target, values in gathered.items():
        values = ([x[target]] if include_self else []) + values
        out[target] = NUMPY_REDUCTIONS[reduce](values)
    return out


@pytest.mark.parametrize("reduce", REDUCTIONS)
@pytest.mark.parametrize("include_self", [True, False])
def test_scatter_reduce_values_are_each_positions_reduction(reduce, include_self):
    for dim, index, src in ((0, INDEX, SOURCE), (1, INDEX.T[:, :3] % 3, SOURCE.T)):
        out = ag.scatter_reduce(ag.tensor(INPUT), dim, ag.tensor(index), ag.tensor(src), reduce,
                                include_self=include_self)
        np.testing.assert_allclose(out.numpy(), reduced_by_loop(INPUT, dim, index, src, reduce, include_self),
                                   rtol=1e-15, atol=1e-15)
        method = ag.tensor(INPUT).scatter_reduce(dim, ag.tensor(index), ag.tensor(src), reduce=reduce,
                                                 include_self=include_self)
        np.testing.assert_array_equal(method.numpy(), out.numpy())
        torch = pytest.importorskip("torch")
        expected = torch.tensor(INPUT).scatter_reduce(dim, torch.tensor(index), torch.tensor(src), reduce,
                                                      include_self=include_self)
        np.testing.assert_allclose(out.numpy(), expected.numpy(), rtol=1e-15, atol=1e-15)


@pytest.mark.parametrize("reduce", REDUCTIONS)
@pytest.mark.parametrize("include_self", [True, False])
def test_scatter_reduce_gradients_match_finite_differences_and_torch(reduce, include_self):
    def f(x, src):
        return ag.scatter_reduce(x, 0, INDEX, src, reduce, include_self=include_self)

    x, src = ag.tensor(INPUT, requires_grad=True), ag.tensor(SOURCE, requires_grad=True)
    assert gradcheck(f, x, src)
    assert gradgradcheck(f, x, src)
    weights = np.arange(1.0, 13.0).reshape(4, 3)
    (f(x, src) * ag.tensor(weights)).sum().backward()
    torch = pytest.importorskip("torch")
    tx, tsrc = torch.tensor(INPUT, requires_grad=True), torch.tensor(SOURCE, requires_grad=True)
    (tx.scatter_reduce(0, torch.tensor(INDEX), tsrc, reduce, include_self=include_self)
     * torch.tensor(weights)).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy(), rtol=1e-14, atol=1e-15)
    np.testing.assert_allclose(src.grad.numpy(), tsrc.grad.numpy(), rtol=1e-14, atol=1e-15)


def test_scatter_reduce_prod_gradient_is_the_product_of_the_others_at_zeros():
    x = ag.tensor([2.0, 3.0], requires_grad=True)
    src = ag.tensor([0.0, 5.0, 0.0, 0.0], requires_grad=True)
    out = ag.scatter_reduce(x, 0, ag.tensor([0, 0, 1, 1]), src, "prod")
    out.sum().backward()
    np.testing.assert_array_equal(out.numpy(), [0.0, 0.0])
    np.testing.assert_array_equal(x.grad.numpy(), [0.0, 0.0])  # (one zero, or two, among the others)
    np.testing.assert_array_equal(src.grad.numpy(), [10.0, 0.0, 0.0, 0.0])  # (2 * 5; two zeros: none)
    torch = pytest.importorskip("torch")
    tx, tsrc = torch.tensor([2.0, 3.0], requires_grad=True), torch.tensor([0.0, 5.0, 0.0, 0.0], requires_grad=True)
    tx.scatter_reduce(0, torch.tensor([0, 0, 1, 1]), tsrc, "prod").sum().backward()
    np.testing.assert_array_equal(src.grad.numpy(), tsrc.grad.numpy())
    np.testing.assert_array_equal(x.grad.numpy(), tx.grad.numpy())


def test_scatter_reduce_amax_splits_a_tie_evenly_among_the_entries_that_take_part():
    x = ag.tensor([1.0, 0.0], requires_grad=True)
    src = ag.tensor([3.0, 3.0, 2.0, 0.0, 0.0], requires_grad=True)
    index = ag.tensor([0, 0, 0, 1, 1])
    ag.scatter_reduce(x, 0, index, src, "amax").sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [0.0, 1 / 3])
    np.testing.assert_array_equal(src.grad.numpy(), [0.5, 0.5, 0.0, 1 / 3, 1 / 3])
    x.grad = src.grad = None
    # without input's entries, the two zeros share the gradient (PyTorch also counts input's 0 there: 1/3 each)
    ag.scatter_reduce(x, 0, index, src, "amax", include_self=False).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [0.0, 0.0])
    np.testing.assert_array_equal(src.grad.numpy(), [0.5, 0.5, 0.0, 0.5, 0.5])


def test_scatter_reduce_integer_mean_rounds_down_and_extrema_keep_the_dtype():
    x, index, src = ag.tensor([1, 2, 7, 4]), ag.tensor([0, 0, 1, 1, 3]), ag.tensor([2, 3, 4, -3, 5])
    mean = ag.scatter_reduce(x, 0, index, src, "mean", include_self=False)
    np.testing.assert_array_equal(mean.numpy(), [2, 0, 7, 5])  # (4 - 3) / 2 rounds down to 0
    np.testing.assert_array_equal(ag.scatter_reduce(ag.tensor([0]), 0, ag.tensor([0, 0]), ag.tensor([-3, 0]),
                                                    "mean", include_self=False).numpy(), [-2])  # floor(-1.5)
    largest = ag.scatter_reduce(x, 0, index, src, "amax", include_self=False)
    assert largest.dtype == np.int64
    np.testing.assert_array_equal(largest.numpy(), [3, 4, 7, 5])
    torch = pytest.importorskip("torch")
    t = torch.tensor([1, 2, 7, 4]).scatter_reduce(0, torch.tensor([0, 0, 1, 1, 3]), torch.tensor([2, 3, 4, -3, 5]),
                                                  "mean", include_self=False)
    np.testing.assert_array_equal(mean.numpy(), t.numpy())


def test_scatter_reduce_float32_stays_float32():
    out = ag.scatter_reduce(ag.zeros(3, dtype=ag.float32), 0, ag.tensor([0, 0, 2]),
                            ag.tensor([1.0, 2.0, 4.0], dtype=ag.float32), "mean", include_self=False)
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out.numpy(), [1.5, 0.0, 4.0])


def test_scatter_reduce_refuses_an_unknown_reduction_naming_the_valid_ones():
    with pytest.raises(ValueError, match="scatter_reduce: reduce must be one of 'sum', 'prod', 'mean', 'amax', "
                                         "'amin', got 'max'"):
        ag.scatter_reduce(ag.zeros(2), 0, ag.tensor([0]), ag.ones(1), "max")
    with pytest.raises(ValueError, match="index_reduce: reduce must be one of 'prod', 'mean', 'amax', 'amin', "
                                         "got 'sum'"):
        ag.index_reduce(ag.zeros(2), 0, ag.tensor([0]), ag.ones(1), "sum")


@pytest.mark.filterwarnings("ignore:index_reduce\\(\\) is in beta")
@pytest.mark.parametrize("reduce", ["prod", "mean", "amax", "amin"])
@pytest.mark.parametrize("include_self", [True, False])
def test_index_reduce_reduces_source_slices_into_input_slices(reduce, include_self):
    x = ag.tensor(INPUT, requires_grad=True)
    source = ag.tensor(np.arange(12.0).reshape(4, 3) * 0.37 - 1.9, requires_grad=True)
    index = np.array([0, 3, 0, 3])
    out = ag.index_reduce(x, 0, ag.tensor(index), source, reduce, include_self=include_self)
    spread = np.broadcast_to(index[:, None], (4, 3))
    expected = reduced_by_loop(INPUT, 0, spread, source.numpy(), reduce, include_self)
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-15)
    assert gradcheck(lambda a, b: ag.index_reduce(a, 0, index, b, reduce, include_self=include_self), x, source)
    torch = pytest.importorskip("torch")
    t = torch.tensor(INPUT).index_reduce(0, torch.tensor(index), torch.tensor(source.numpy()), reduce,
                                         include_self=include_self)
    np.testing.assert_allclose(out.numpy(), t.numpy(), rtol=1e-15)


def test_index_reduce_result_takes_item_assignment_while_recording():
    # as index_add's (a mixture of experts' combine step): the result is no view of another Tensor
    x = ag.ones((3, 2), requires_grad=True)
    source = ag.tensor([[2.0, 3.0], [4.0, 5.0]], requires_grad=True)
    out = ag.index_reduce(x, 0, ag.tensor([2, 2]), source, "mean")
    out[out == 1] = 0.5
    (out * out).sum().backward()
    mean = np.array([7.0, 9.0]) / 3
    np.testing.assert_allclose(out.data, [[0.5, 0.5], [0.5, 0.5], mean], rtol=1e-15)
    np.testing.assert_allclose(x.grad.data, [[0.0, 0.0], [0.0, 0.0], 2 * mean / 3], rtol=1e-15)  # (row 0, 1: set)
    np.testing.assert_allclose(source.grad.data, [2 * mean / 3] * 2, rtol=1e-15)
    torch = pytest.importorskip("torch")
    theirs_x = torch.ones(3, 2, dtype=torch.float64, requires_grad=True)
    theirs_source = torch.tensor(source.numpy(), requires_grad=True)
    theirs = theirs_x.index_reduce(0, torch.tensor([2, 2]), theirs_source, "mean").clone()  # (its rule reads the
    theirs[theirs == 1] = 0.5  # result, which it then refuses to see changed: a clone; here the old value is kept)
    (theirs * theirs).sum().backward()
    np.testing.assert_allclose(out.data, theirs.detach().numpy(), rtol=1e-15)
    np.testing.assert_allclose(x.grad.data, theirs_x.grad.numpy(), rtol=1e-15)
    np.testing.assert_allclose(source.grad.data, theirs_source.grad.numpy(), rtol=1e-15)


def test_scatter_reduce_result_takes_item_assignment_while_recording():
    x = ag.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    for reduce in ("sum", "amax"):
        out = ag.scatter_reduce(x, 0, ag.tensor([[1, 1]]), ag.tensor([[10.0, 1.0]]), reduce)
        out[out > 3.5] = 0.0
        np.testing.assert_array_equal(out.data, {"sum": [[1.0, 2.0], [0.0, 0.0]],
                                                 "amax": [[1.0, 2.0], [0.0, 0.0]]}[reduce])
        out.sum().backward()
        np.testing.assert_array_equal(x.grad.data, [[1.0, 1.0], [0.0, 0.0]])
        x.grad = None


def test_index_reduce_refuses_a_source_of_the_wrong_shape():
    with pytest.raises(ValueError, match=r"index_reduce: source must have shape \(2, 3\) .* got \(2, 2\)"):
        ag.index_reduce(ag.zeros((4, 3)), 0, ag.tensor([0, 1]), ag.ones((2, 2)), "mean")


def test_in_place_reductions_write_into_self_and_record_the_change():
    src = ag.tensor([1.0, -2.0, 4.0], requires_grad=True)
    index = ag.tensor([1, 1, 0])
    out = src.new_zeros(2)
    assert out.scatter_reduce_(0, index, src, "amax", include_self=False) is out
    np.testing.assert_array_equal(out.numpy(), [4.0, 1.0])
    (out * ag.tensor([10.0, 1.0])).sum().backward()
    np.testing.assert_array_equal(src.grad.numpy(), [1.0, 0.0, 10.0])
    src.grad = None
    summed = ag.zeros(2)
    assert summed.index_add_(0, index, src) is summed
    np.testing.assert_array_equal(summed.numpy(), [4.0, -1.0])
    (summed * ag.tensor([10.0, 1.0])).sum().backward()
    np.testing.assert_array_equal(src.grad.numpy(), [1.0, 1.0, 10.0])
    averaged = ag.ones(2)
    averaged.index_reduce_(0, index, ag.tensor([1.0, -2.0, 4.0]), "mean")
    np.testing.assert_array_equal(averaged.numpy(), [2.5, 0.0])
    doubled = ag.zeros(2).index_add_(0, ag.tensor([0, 0]), ag.ones(2), alpha=2)
    np.testing.assert_array_equal(doubled.numpy(), [4.0, 0.0])


@pytest.mark.parametrize("accumulate", [True, False])
def test_index_put_writes_or_accumulates_at_the_indexed_positions(accumulate):
    x = ag.tensor(INPUT, requires_grad=True)
    rows, cols = np.array([0, 3, 0, 2]), np.array([1, 2, 1, 0])
    values = ag.tensor([1.5, -2.0, 4.0, 0.5], requires_grad=True)
    out = ag.index_put(x, (ag.tensor(rows), ag.tensor(cols)), values, accumulate=accumulate)
    expected = INPUT.copy()
    if accumulate:
        np.add.at(expected, (rows, cols), values.numpy())
    else:
        expected[rows, cols] = values.numpy()  # (the last write of (0, 1) wins, as NumPy's and PyTorch's on the CPU)
    np.testing.assert_array_equal(out.numpy(), expected)
    weights = np.arange(1.0, 13.0).reshape(4, 3)
    (out * ag.tensor(weights)).sum().backward()
    if accumulate:
        np.testing.assert_array_equal(x.grad.numpy(), weights)
        np.testing.assert_array_equal(values.grad.numpy(), weights[rows, cols])
    else:
        kept = np.ones((4, 3))
        kept[rows, cols] = 0.0
        np.testing.assert_array_equal(x.grad.numpy(), weights * kept)
        # each write at a repeated position gets its gradient, as PyTorch's (which write wins is unspecified there)
        np.testing.assert_array_equal(values.grad.numpy(), weights[rows, cols])
    once = slice(1, None)  # (finite differences see only the last write at (0, 1))
    assert gradcheck(lambda a, b: ag.index_put(a, (rows[once], cols[once]), b, accumulate=accumulate), x,
                     values[once].detach().requires_grad_())
    torch = pytest.importorskip("torch")
    tx, tvalues = torch.tensor(INPUT, requires_grad=True), torch.tensor(values.numpy(), requires_grad=True)
    t = tx.index_put((torch.tensor(rows), torch.tensor(cols)), tvalues, accumulate=accumulate)
    (t * torch.tensor(weights)).sum().backward()
    np.testing.assert_array_equal(out.numpy(), t.detach().numpy())
    np.testing.assert_array_equal(x.grad.numpy(), tx.grad.numpy())
    np.testing.assert_array_equal(values.grad.numpy(), tvalues.grad.numpy())


def test_index_put_takes_masks_and_broadcasts_values_and_in_place_returns_self():
    x = ag.zeros((3, 2))
    out = x.index_put([ag.tensor([True, False, True])], ag.tensor(3.0))
    np.testing.assert_array_equal(out.numpy(), [[3.0, 3.0], [0.0, 0.0], [3.0, 3.0]])
    assert x.index_put_((ag.tensor([1, 1]),), ag.tensor([1.0, 2.0]), accumulate=True) is x
    np.testing.assert_array_equal(x.numpy(), [[0.0, 0.0], [2.0, 4.0], [0.0, 0.0]])


def test_index_put_refuses_other_dtypes_a_bare_index_and_positions_out_of_range():
    with pytest.raises(TypeError, match=r"index_put: values' dtype float32 must be input's \(float64\)"):
        ag.index_put(ag.zeros(2), (ag.tensor([0]),), ag.ones(1, dtype=ag.float32))
    with pytest.raises(TypeError, match=r"index_put: indices must be a tuple .* write \(index,\) for one"):
        ag.index_put(ag.zeros(2), ag.tensor([0]), ag.ones(1))
    with pytest.raises(IndexError, match=r"index_put: the indices do not fit input of shape \(2,\)"):
        ag.index_put(ag.zeros(2), (ag.tensor([5]),), ag.ones(1))


def test_softmax_over_each_nodes_incoming_edges_as_pytorch_geometric_writes_it():
    # PyG's softmax(src, index): the per-node max by scatter_reduce_(amax, include_self=False), the sums by
    # scatter_add_, each gathered back with index_select; node 3 gets no edge
    def softmax(src, index, num_nodes):
        src_max = src.detach().new_zeros((num_nodes, 2)).scatter_reduce_(
            0, index.view(-1, 1).expand_as(src), src.detach(), reduce="amax", include_self=False)
        out = (src - src_max.index_select(0, index)).exp()
        out_sum = out.new_zeros((num_nodes, 2)).scatter_add_(0, index.view(-1, 1).expand_as(out), out) + 1e-16
        return out / out_sum.index_select(0, index)

    index = np.array([0, 2, 0, 1, 2, 2])
    scores = np.random.default_rng(0).standard_normal((6, 2))
    src = ag.tensor(scores, requires_grad=True)
    alpha = softmax(src, ag.tensor(index), 4)
    expected = np.exp(scores) / np.stack([np.exp(scores)[index == i].sum(0) for i in index])
    np.testing.assert_allclose(alpha.numpy(), expected, rtol=1e-14)
    weights = np.arange(12.0).reshape(6, 2)
    (alpha * ag.tensor(weights)).sum().backward()
    torch = pytest.importorskip("torch")
    t_src = torch.tensor(scores, requires_grad=True)
    t_alpha = softmax(t_src, torch.tensor(index), 4)
    (t_alpha * torch.tensor(weights)).sum().backward()
    np.testing.assert_allclose(alpha.numpy(), t_alpha.detach().numpy(), rtol=1e-15)
    np.testing.assert_allclose(src.grad.numpy(), t_src.grad.numpy(), rtol=1e-13, atol=1e-15)


def test_put_writes_at_positions_of_the_flattened_input():
    x = np.arange(6.0).reshape(2, 3)
    index, source = np.array([[0, -1], [4, 2]]), np.array([[10.0, 20.0], [30.0, 40.0]])
    expected = x.copy()
    np.put(expected, index, source)  # (NumPy's put: the same positions, negative from the end)
    out = ag.put(ag.tensor(x), ag.tensor(index), ag.tensor(source))
    np.testing.assert_array_equal(out.data, expected)
    np.testing.assert_array_equal(ag.tensor(x).put(ag.tensor(index), ag.tensor(source)).data, expected)
    accumulated = ag.put(ag.tensor(x), ag.tensor([1, 1, 5]), ag.tensor([1.0, 2.0, 3.0]), accumulate=True)
    np.testing.assert_array_equal(accumulated.data, [[0.0, 4.0, 2.0], [3.0, 4.0, 8.0]])


def test_put_in_place_changes_and_returns_self():
    x = ag.zeros((2, 2))
    assert x.put_(ag.tensor([3, 3]), ag.tensor([1.0, 2.0]), accumulate=True) is x
    assert x.tolist() == [[0.0, 0.0], [0.0, 3.0]]
    w = ag.tensor([1.0, 2.0, 3.0], requires_grad=True)
    h = w * 2
    h.put_(ag.tensor([0]), ag.tensor([7.0]))  # (a recorded result takes put's record, as add_'s)
    h.sum().backward()
    assert h.tolist() == [7.0, 4.0, 6.0] and w.grad.tolist() == [0.0, 2.0, 2.0]


@pytest.mark.parametrize("accumulate", [False, True])
def test_put_gradients_and_torch(accumulate):
    rng = np.random.default_rng(7)
    x, source = rng.normal(size=(3, 2)), rng.normal(size=3)
    index = np.array([5, 0, 2] if not accumulate else [5, 0, 5])
    xt, st = ag.tensor(x, requires_grad=True), ag.tensor(source, requires_grad=True)
    assert gradcheck(lambda a, b: ag.put(a, ag.tensor(index), b, accumulate) ** 2, xt, st)
    assert gradgradcheck(lambda a, b: ag.put(a, ag.tensor(index), b, accumulate) ** 3, xt, st)
    torch = pytest.importorskip("torch")
    expected = torch.tensor(x).put(torch.tensor(index), torch.tensor(source), accumulate).numpy()
    np.testing.assert_array_equal(ag.put(ag.tensor(x), ag.tensor(index), ag.tensor(source), accumulate).data, expected)


@pytest.mark.parametrize("call, error, message", [
    (lambda: ag.put(ag.zeros(3), ag.tensor([0.0]), ag.tensor([1.0])), TypeError, "put: index must be an integer"),
    (lambda: ag.put(ag.zeros(3), ag.tensor([0, 1]), ag.tensor([1.0])), ValueError,
     "put: source must have as many entries as index"),
    (lambda: ag.put(ag.zeros((2, 2)), ag.tensor([4]), ag.tensor([1.0])), IndexError,
     r"put: index holds positions from 4 to 4, out of range for input of shape \(2, 2\)"),
    (lambda: ag.put(ag.zeros(2), ag.tensor([0]), ag.tensor([1])), TypeError, "index_put: values' dtype"),
])
def test_put_errors(call, error, message):
    with pytest.raises(error, match=message):
        call()


# ---- index_copy and the function index_put_ (added for PyTorch's test_indexing.py) ----

@pytest.mark.parametrize("dim, index", [(0, [4, 1]), (1, [2, 0]), (-1, [1])])
def test_index_copy_matches_torch_values_and_gradients(dim, index):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    values = rng.normal(size=(5, 3))
    source_shape = list(values.shape)
    source_shape[dim] = len(index)
    source = rng.normal(size=source_shape)
    x, s = ag.tensor(values, requires_grad=True), ag.tensor(source, requires_grad=True)
    tx, ts = torch.tensor(values, requires_grad=True), torch.tensor(source, requires_grad=True)
    ours = ag.index_copy(x * 1, dim, ag.tensor(index), s * 2)
    theirs = torch.index_copy(tx * 1, dim, torch.tensor(index), ts * 2)
    np.testing.assert_array_equal(ours.data, theirs.detach().numpy())
    cotangent = rng.normal(size=values.shape)
    ours.backward(cotangent)
    theirs.backward(torch.tensor(cotangent))
    np.testing.assert_array_equal(x.grad.data, tx.grad.numpy())
    np.testing.assert_array_equal(s.grad.data, ts.grad.numpy())
    assert gradgradcheck(lambda a, b: ag.index_copy(a * a, dim, ag.tensor(index), b * b), values, source)


def test_index_copy_in_place_scalars_and_errors():
    dest = ag.zeros((3, 4))
    assert dest.index_copy_(1, ag.tensor([3, 0]), ag.ones((3, 2))) is dest
    np.testing.assert_array_equal(dest.data, [[1, 0, 0, 1]] * 3)
    for target, idx, source in [((), (), ()), ((1,), (), ()), ((), (1,), (1,))]:  # PyTorch's 0-d and 1-element mixes
        t = ag.full(target, 2.0)
        t.index_copy_(0, ag.zeros(idx, dtype=np.int64), ag.full(source, 7.0))
        assert t.shape == target and t.item() == 7.0
    for bad in (4, -1):  # PyTorch refuses negative positions here
        with pytest.raises(IndexError, match=r"index_copy: index out of range"):
            ag.zeros((3, 4)).index_copy_(1, ag.full((2,), bad, dtype=np.int64), ag.ones((3, 2)))
    with pytest.raises(TypeError, match=r"index_copy: source's dtype float32 must be input's \(float64\)"):
        ag.index_copy(ag.zeros(3), 0, ag.tensor([0]), ag.ones(1, dtype=np.float32))


def test_index_put_function_writes_in_place_and_refuses_values_of_a_wrong_shape():
    x = ag.zeros((2, 3))
    assert ag.index_put_(x, (ag.tensor([0, 1]), ag.tensor([2, 2])), ag.tensor([1.0, 2.0]), True) is x
    np.testing.assert_array_equal(x.data, [[0, 0, 1], [0, 0, 2]])
    for accumulate in (False, True):  # PyTorch's RuntimeError "shape mismatch", NumPy's ValueError
        with pytest.raises(RuntimeError, match=r"shape mismatch: a value of shape \(3,\) cannot be broadcast to "
                                               r"the indexing result's shape \(2,\)") as caught:
            ag.index_put(x, (ag.tensor([0, 1]), ag.tensor([0, 0])), ag.ones(3), accumulate)
        assert isinstance(caught.value, ValueError)
    y = ag.index_put(ag.zeros(3), (ag.tensor([0, 0]),), ag.ones((1, 1, 2)), accumulate=True)  # leading 1s dropped
    np.testing.assert_array_equal(y.data, [2, 0, 0])


@pytest.mark.parametrize("call", [lambda m: m.addr(m.ones((2, 2)), m.ones((2, 1)), m.ones(2)),
                                  lambda m: m.zeros((3, 2)).index_copy(0, m.tensor([2, 0]), m.ones((2, 3))),
                                  lambda m: m.zeros((3, 2)).index_add(0, m.tensor([2, 0]), m.ones((2, 3)))])
def test_addr_and_index_copy_shape_refusals_are_runtime_errors_too_as_torchs(call):
    # found by review: NumPy's ValueError alone, where their siblings (addmv, index_put) raise both
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        call(torch)
    with pytest.raises(ValueError) as caught:
        call(ag)
    assert isinstance(caught.value, RuntimeError)


@pytest.mark.parametrize("call", [
    lambda: ag.zeros((3, 2)).index_add(0, ag.tensor([0, 1]), ag.ones((3, 2))),
    lambda: ag.zeros(4).put_(ag.tensor([1, 2]), ag.tensor([1.0])),
    lambda: ag.zeros(4).put(ag.tensor([1, 2]), ag.tensor([1.0])),
])
def test_a_source_of_the_wrong_size_raises_a_value_error_that_is_also_torchs_runtime_error(call):
    # found by porting PyTorch's test_torch.py (test_index_add, test_put_): PyTorch raises RuntimeError, NumPy's
    # habit ValueError; the error is both
    with pytest.raises(ValueError, match="source must have") as info:
        call()
    assert isinstance(info.value, RuntimeError)


@pytest.mark.parametrize("call", [
    lambda: ag.zeros((3, 2)).index_add(0, ag.tensor([0.0, 1.0]), ag.ones((2, 2))),
    lambda: ag.zeros(3).index_fill(0, ag.tensor([1.0]), 2.0),
])
def test_a_float_index_raises_a_type_error_that_is_also_torchs_runtime_error(call):
    # found by porting PyTorch's test_torch.py (test_index_add): "Expected dtype int32/int64 for index"
    with pytest.raises(TypeError, match="index must be a 0-d or 1-D integer Tensor, got dtype float64") as info:
        call()
    assert isinstance(info.value, RuntimeError)


def test_index_add_of_an_integer_input_keeps_its_dtype_with_a_float_alpha_as_torch():
    # found by porting PyTorch's test_torch.py (test_index_add): alpha=2.5 turned an int64 input into float64;
    # torch truncates alpha, so 2.5 * 3 adds 6
    torch = pytest.importorskip("torch")
    for alpha in (2.5, -2.5):
        out = ag.zeros(2, dtype=np.int64).index_add(0, ag.tensor([0]), ag.tensor([3]), alpha=alpha)
        expected = torch.zeros(2, dtype=torch.int64).index_add(0, torch.tensor([0]), torch.tensor([3]), alpha=alpha)
        assert out.dtype == np.int64
        np.testing.assert_array_equal(out.data, expected.numpy())
    np.testing.assert_array_equal(ag.zeros(2).index_add(0, ag.tensor([0]), ag.tensor([3.0]), alpha=2.5).data, [7.5, 0])
