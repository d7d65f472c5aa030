"""EmbeddingBag and F.embedding_bag (nn/embedding_bag.py, nn/_embedding_bag_functions.py): values against a NumPy
loop over the bags (every mode, 2-D and 1-D inputs, offsets, include_last_offset, padding_idx, empty bags,
per_sample_weights), gradients and second derivatives against central differences, then against torch (values and
gradients of the weight and per_sample_weights in float32 and float64, max_norm, scale_grad_by_freq), the layer's
initialisation, repr and from_pretrained, and the errors."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd_core as ag
import nn
import nn.functional as F
from autograd_core.testing import gradcheck, gradgradcheck
from conftest import assert_same_layer_results, layer_results


def _bag_ref(weight, input, offsets=None, mode="mean", per_sample_weights=None, include_last_offset=False,
             padding_idx=None):
    """The definition, bag by bag (PyTorch's reading of input and offsets)."""
    input = np.asarray(input)
    if input.ndim == 2:
        bags = list(input)
        psw = None if per_sample_weights is None else list(np.asarray(per_sample_weights))
    else:
        ends = list(offsets[1:]) + ([] if include_last_offset else [len(input)])
        starts = list(offsets[:-1] if include_last_offset else offsets)
        bags = [input[s:e] for s, e in zip(starts, ends)]
        psw = None if per_sample_weights is None else [per_sample_weights[s:e] for s, e in zip(starts, ends)]
    out = np.zeros((len(bags), weight.shape[1]))
    for b, bag in enumerate(bags):
        keep = [i for i, index in enumerate(bag) if index != padding_idx]
        if not keep:
            continue
        rows = weight[bag[keep]]
        if psw is not None:
            rows = rows * np.asarray(psw[b])[keep][:, None]
        out[b] = {"sum": rows.sum(axis=0), "mean": rows.mean(axis=0), "max": rows.max(axis=0)}[mode]
    return out


@st.composite
def _bag_case(draw):
    rows, dim = draw(st.integers(1, 6)), draw(st.integers(1, 3))
    mode = draw(st.sampled_from(["sum", "mean", "max"]))
    padding_idx = draw(st.one_of(st.none(), st.integers(0, rows - 1)))
    two_d = draw(st.booleans())
    if two_d:
        shape = (draw(st.integers(0, 3)), draw(st.integers(1, 4)))
        input = np.array(draw(st.lists(st.integers(0, rows - 1), min_size=shape[0] * shape[1],
                                       max_size=shape[0] * shape[1]))).reshape(shape).astype(np.int64)
        offsets, last = None, False
    else:
        n = draw(st.integers(0, 8))
        input = np.array(draw(st.lists(st.integers(0, rows - 1), min_size=n, max_size=n)), dtype=np.int64)
        cuts = sorted(draw(st.lists(st.integers(0, n), min_size=0, max_size=4)))
        last = draw(st.booleans())
        offsets = np.array([0] + cuts + ([n] if last else []), dtype=np.int64)
    weighted = mode == "sum" and draw(st.booleans())
    seed = draw(st.integers(0, 2 ** 16))
    return rows, dim, mode, padding_idx, input, offsets, last, weighted, seed


@settings(max_examples=60, deadline=None)
@given(_bag_case())
def test_embedding_bag_matches_the_definition_and_its_gradient_finite_differences(case):
    rows, dim, mode, padding_idx, input, offsets, last, weighted, seed = case
    rng = np.random.default_rng(seed)
    weight = rng.normal(size=(rows, dim))
    psw = rng.normal(size=input.shape) if weighted else None
    kwargs = dict(mode=mode, include_last_offset=last, padding_idx=padding_idx)
    out = F.embedding_bag(input, ag.tensor(weight), offsets, per_sample_weights=psw, **kwargs)
    np.testing.assert_allclose(out.data, _bag_ref(weight, input, offsets, per_sample_weights=psw, **kwargs),
                               rtol=1e-12, atol=1e-12)
    assert out.dtype == np.float64
    if weighted:
        assert gradcheck(lambda w, s: F.embedding_bag(input, w, offsets, per_sample_weights=s, **kwargs), weight, psw,
                         atol=1e-7, rtol=1e-6)
        assert gradgradcheck(lambda w, s: ag.sin(F.embedding_bag(input, w, offsets, per_sample_weights=s, **kwargs)),
                             weight, psw, atol=1e-7, rtol=1e-6)
    else:  # (ties in max are broken apart by the normal draws)
        assert gradcheck(lambda w: F.embedding_bag(input, w, offsets, **kwargs), weight, atol=1e-7, rtol=1e-6)
        assert gradgradcheck(lambda w: ag.sin(F.embedding_bag(input, w, offsets, **kwargs)), weight,
                             atol=1e-7, rtol=1e-6)


def test_embedding_bag_by_hand_empty_bags_padding_and_float32():
    w = ag.tensor(np.array([[1.0, 2.0], [3.0, 4.0], [5.0, -6.0]], dtype=np.float32), requires_grad=True)
    out = F.embedding_bag(np.array([0, 2, 1, 1, 1]), w, np.array([0, 2, 2, 5]), mode="mean", padding_idx=1)
    assert out.dtype == np.float32
    assert out.tolist() == [[3.0, -2.0], [0.0, 0.0], [0.0, 0.0], [0.0, 0.0]]  # padding only, or empty: zeros
    out.sum().backward()
    assert w.grad.tolist() == [[0.5, 0.5], [0.0, 0.0], [0.5, 0.5]]
    w.grad = None
    F.embedding_bag(np.array([[0, 2], [2, 2]]), w, mode="max").sum().backward()
    assert w.grad.tolist() == [[0.0, 1.0], [0.0, 0.0], [2.0, 1.0]]  # each max once (the first), a column at a time
    # include_last_offset with a 2-D input: still one bag per row, as PyTorch's
    assert F.embedding_bag(np.array([[0, 1], [2, 2]]), w, mode="sum", include_last_offset=True).tolist() == \
        [[4.0, 6.0], [10.0, -12.0]]


def test_max_norm_renormalises_the_rows_named_in_place():
    w = ag.tensor([[3.0, 4.0], [0.3, 0.4], [6.0, 8.0]], requires_grad=True)
    before = w.data.copy()
    out = F.embedding_bag(np.array([[0, 1]]), w, max_norm=1.0, mode="sum")
    np.testing.assert_allclose(w.data[0], before[0] / (5 + 1e-7))
    np.testing.assert_array_equal(w.data[1:], before[1:])  # under max_norm, or not named: unchanged
    np.testing.assert_allclose(out.data, [w.data[0] + w.data[1]])


def test_scale_grad_by_freq_divides_each_rows_gradient_by_its_count():
    w = ag.tensor(np.arange(8.0).reshape(4, 2), requires_grad=True)
    out = F.embedding_bag(np.array([[0, 0, 1], [0, 2, 2]]), w, mode="sum", scale_grad_by_freq=True)
    assert out.tolist() == [[2.0, 5.0], [8.0, 11.0]]  # the value unchanged
    out.sum().backward()
    # each row's occurrences, over their count (torch 2.13's CPU kernel divides by another index's: #190063)
    assert w.grad.tolist() == [[1.0, 1.0], [1.0, 1.0], [1.0, 1.0], [0.0, 0.0]]
    w.grad = None
    input, offsets = np.array([3, 1, 1, 1, 2, 2, 0]), np.array([0, 2, 6])
    F.embedding_bag(input, w, offsets, mode="mean", scale_grad_by_freq=True).sum().backward()
    sizes = np.diff(np.append(offsets, len(input)))
    expected = np.zeros(4)
    np.add.at(expected, input, 1 / (np.repeat(sizes, sizes) * np.bincount(input)[input]))
    np.testing.assert_allclose(w.grad.data[:, 0], expected, rtol=1e-15)


def test_per_sample_weights_of_another_dtype_are_cast_to_the_weights():
    w = ag.tensor(np.arange(1.0, 11.0).reshape(5, 2).astype(np.float32), requires_grad=True)
    samples = ag.tensor([0.5, -1.0, 2.0, 0.25, 3.0, 1.5], requires_grad=True)  # float64, creation's default
    input, offsets = np.array([3, 1, 1, 1, 4, 0]), np.array([0, 0, 3, 3, 6])
    out = F.embedding_bag(input, w, offsets, mode="sum", per_sample_weights=samples)
    assert out.dtype == np.float32  # the weight's, as PyTorch's bags (PyTorch refuses the mix; Linear casts here)
    rows = w.data[input] * samples.data.astype(np.float32)[:, None]
    np.testing.assert_allclose(out.data, [[0, 0], rows[:3].sum(0), [0, 0], rows[3:].sum(0), [0, 0]], rtol=1e-6)
    out.backward(ag.ones(out.shape, dtype=np.float32))
    assert samples.grad.dtype == np.float64 and w.grad.dtype == np.float32
    np.testing.assert_allclose(samples.grad.data, w.data[input].sum(1), rtol=1e-6)  # d(sum)/d(sample) = row's sum


# ---- against PyTorch ------------------------------------------------------------------------------------------
def _torch():
    return pytest.importorskip("torch")


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("mode, weighted", [("sum", False), ("sum", True), ("mean", False), ("max", False)])
@pytest.mark.parametrize("layout", ["2d", "offsets", "last_offset"])
@pytest.mark.parametrize("padding_idx", [None, 3, -1])
def test_embedding_bag_matches_torch(dtype, mode, layout, padding_idx, weighted):
    torch = _torch()
    rng = np.random.default_rng(5)
    weight = rng.normal(size=(7, 4)).astype(dtype)
    if layout == "2d":
        input, offsets = rng.integers(0, 7, size=(5, 3)), None
        input[1] = 3
    else:
        input = rng.integers(0, 7, size=12)
        offsets = np.array([0, 0, 3, 4, 4, 9] + ([12] if layout == "last_offset" else []))
    psw = rng.normal(size=input.shape).astype(dtype) if weighted else None
    kwargs = dict(mode=mode, include_last_offset=layout == "last_offset", padding_idx=padding_idx)
    ours, theirs = ag.tensor(weight, requires_grad=True), torch.tensor(weight, requires_grad=True)
    our_psw = None if psw is None else ag.tensor(psw, requires_grad=True)
    their_psw = None if psw is None else torch.tensor(psw, requires_grad=True)
    y = F.embedding_bag(input, ours, offsets, per_sample_weights=our_psw, **kwargs)
    t = torch.nn.functional.embedding_bag(torch.tensor(input), theirs, None if offsets is None else
                                          torch.tensor(offsets), per_sample_weights=their_psw, **kwargs)
    cotangent = rng.normal(size=y.shape).astype(dtype)
    y.backward(cotangent)
    t.backward(torch.tensor(cotangent))
    tol = 16 * np.finfo(dtype).eps
    assert y.dtype == dtype and y.shape == tuple(t.shape)
    np.testing.assert_allclose(y.data, t.detach().numpy(), rtol=tol, atol=tol)
    np.testing.assert_allclose(ours.grad.data, theirs.grad.numpy(), rtol=tol, atol=tol)
    if weighted:
        np.testing.assert_allclose(our_psw.grad.data, their_psw.grad.numpy(), rtol=tol, atol=tol)


@pytest.mark.parametrize("mode", ["sum", "mean"])
@pytest.mark.parametrize("max_norm, norm_type", [(None, 2.0), (1.0, 2.0), (0.5, 1.0), (1.5, 3.0)])
def test_embedding_bag_max_norm_and_scale_grad_by_freq_match_torch(mode, max_norm, norm_type):
    """Each index named equally often: torch 2.13's CPU gradient with scale_grad_by_freq divides by the count of
    another index (pytorch/pytorch#190063, fixed after 2.13), which is the same count then."""
    torch = _torch()
    rng = np.random.default_rng(8)
    weight = rng.normal(size=(6, 3))
    input, offsets = np.array([0, 1, 1, 5, 2, 5, 0, 2]), np.array([0, 2, 5])
    ours, theirs = ag.tensor(weight.copy(), requires_grad=True), torch.tensor(weight.copy(), requires_grad=True)
    kwargs = dict(mode=mode, max_norm=max_norm, norm_type=norm_type, scale_grad_by_freq=True)
    y = F.embedding_bag(input, ours, offsets, **kwargs)
    t = torch.nn.functional.embedding_bag(torch.tensor(input), theirs, torch.tensor(offsets), **kwargs)
    y.backward(np.ones(y.shape))
    t.backward(torch.ones(t.shape, dtype=t.dtype))
    np.testing.assert_allclose(ours.data, theirs.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(y.data, t.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(ours.grad.data, theirs.grad.numpy(), rtol=1e-12)


def test_embedding_bag_layer_matches_torch():
    torch = _torch()
    ours = nn.EmbeddingBag(8, 3, mode="max", padding_idx=2, rng=0)
    theirs = torch.nn.EmbeddingBag(8, 3, mode="max", padding_idx=2)
    with torch.no_grad():
        theirs.weight.copy_(torch.tensor(ours.weight.data))
    input, offsets = np.array([1, 2, 7, 7, 0, 2]), np.array([0, 3, 3])
    np.testing.assert_allclose(ours(input, offsets).data,
                               theirs(torch.tensor(input), torch.tensor(offsets)).detach().numpy(), rtol=1e-6)
    assert repr(ours) == repr(theirs)
    settings_ = dict(max_norm=1.0, norm_type=1.0, scale_grad_by_freq=True, mode="sum", padding_idx=1)
    assert repr(nn.EmbeddingBag(5, 2, **settings_)) == repr(torch.nn.EmbeddingBag(5, 2, **settings_))


# ---- the layer -------------------------------------------------------------------------------------------------
def test_embedding_bag_layer_init_dtype_rng_and_from_pretrained():
    a, b = nn.EmbeddingBag(10, 3, padding_idx=-1, rng=4), nn.EmbeddingBag(10, 3, padding_idx=-1, rng=4)
    np.testing.assert_array_equal(a.weight.data, b.weight.data)
    assert a.weight.dtype == np.float32 and a.weight.shape == (10, 3) and a.padding_idx == 9
    assert a.weight.data[9].tolist() == [0.0, 0.0, 0.0]
    assert 0.3 < a.weight.data[:9].std() < 2.0
    assert nn.EmbeddingBag(4, 2, dtype=np.float64).weight.dtype == np.float64
    assert repr(a) == "EmbeddingBag(10, 3, mode='mean', padding_idx=9)"
    assert [name for name, _ in a.named_parameters()] == ["weight"]
    given_ = nn.EmbeddingBag(2, 2, _weight=np.array([[1.0, 2.0], [3.0, 4.0]]), padding_idx=0)
    assert given_.weight.data.tolist() == [[1.0, 2.0], [3.0, 4.0]]  # a given weight's padding row is kept
    frozen = nn.EmbeddingBag.from_pretrained(ag.tensor([[1.0, 2.0], [3.0, 5.0]]), mode="max")
    assert frozen.weight.requires_grad is False and frozen(np.array([[0, 1]])).tolist() == [[3.0, 5.0]]
    assert nn.EmbeddingBag.from_pretrained(np.eye(2), freeze=False).weight.requires_grad is True
    out = a(np.array([[1, 2], [9, 9]]), per_sample_weights=None)
    out.sum().backward()
    assert a.weight.grad.data[9].tolist() == [0.0, 0.0, 0.0] and out.data[1].tolist() == [0.0, 0.0, 0.0]


# ---- errors ----------------------------------------------------------------------------------------------------
W = np.ones((4, 2))


@pytest.mark.parametrize("call, error, words", [
    (lambda: F.embedding_bag(np.array([[0, 1]]), W, np.array([0])), ValueError, "offsets must be None"),
    (lambda: F.embedding_bag(np.array([0, 1]), W), ValueError, "a 1-D input needs offsets"),
    (lambda: F.embedding_bag(np.zeros((1, 1, 1), dtype=int), W), ValueError, "input must be 1-D .* or 2-D"),
    (lambda: F.embedding_bag(np.array([0, 1]), W, np.array([1])), ValueError, r"offsets\[0\] must be 0"),
    (lambda: F.embedding_bag(np.array([0, 1]), W, np.array([0, 3])), ValueError, r"offsets\[-1\] \(3\) must be at"),
    (lambda: F.embedding_bag(np.array([0, 1, 2]), W, np.array([0, 2, 1])), ValueError, "non-decreasing"),
    (lambda: F.embedding_bag(np.array([0, 4]), W, np.array([0])), IndexError, "index 4 is out of range .* 0..3"),
    (lambda: F.embedding_bag(np.array([0.0]), W, np.array([0])), TypeError, "input must be integers"),
    (lambda: F.embedding_bag(np.array([0]), W, np.array([0.0])), TypeError, "offsets must be integers"),
    (lambda: F.embedding_bag(np.array([0]), W, np.array([0]), mode="min"), ValueError, "mode must be one of"),
    (lambda: F.embedding_bag(np.array([0]), W, np.array([0]), per_sample_weights=np.ones(1)), NotImplementedError,
     "per_sample_weights is only supported for mode='sum'"),
    (lambda: F.embedding_bag(np.array([0]), W, np.array([0]), mode="sum", per_sample_weights=np.ones(2)),
     ValueError, r"per_sample_weights \(shape \(2,\)\) must have the input's shape \(1,\)"),
    (lambda: F.embedding_bag(np.array([0]), W, np.array([0]), mode="max", sparse=True), ValueError,
     r"mode='max' does not support sparse weights \(sparse=True\)"),
    (lambda: F.embedding_bag(np.array([0]), W, np.array([0]), padding_idx=4), ValueError, "padding_idx must be"),
    (lambda: F.embedding_bag(np.array([0]), np.ones(3), np.array([0])), ValueError, "weight must be 2-D"),
    (lambda: F.embedding_bag(np.array([0]), W, np.array([0]), max_norm=-1.0), ValueError, "max_norm must be"),
    (lambda: nn.EmbeddingBag(-2, 2), ValueError, "EmbeddingBag: num_embeddings must be an int >= 0, got -2"),
    (lambda: nn.EmbeddingBag(3, 2, mode="median"), ValueError, "EmbeddingBag: mode must be one of"),
    (lambda: nn.EmbeddingBag(3, 2, sparse=2), TypeError, "EmbeddingBag: sparse must be"),
    (lambda: nn.EmbeddingBag(3, 2, padding_idx=3), ValueError, "EmbeddingBag: padding_idx must be"),
    (lambda: nn.EmbeddingBag(3, 2, _weight=np.ones((2, 2))), ValueError, r"EmbeddingBag: _weight has shape \(2, 2\)"),
    (lambda: nn.EmbeddingBag(3, 2, dtype=np.int64), TypeError, "EmbeddingBag: dtype must be a float dtype"),
    (lambda: nn.EmbeddingBag.from_pretrained(np.ones(3)), ValueError, "embeddings must be 2-D"),
])
def test_embedding_bag_errors(call, error, words):
    with pytest.raises(error, match=words):
        call()


# ---- EmbeddingBag of size 0, as PyTorch's -------------------------------------------------------------------------
@pytest.mark.parametrize("mode", ["sum", "mean", "max"])
def test_embedding_bag_of_size_0(mode):
    """EmbeddingBag(4, 0) gives bags of no entries; EmbeddingBag(0, 3) can only take empty bags, which give zeros,
    as PyTorch's (given with offsets: PyTorch's 2-D input of no columns fails, "step must be nonzero", ours gives
    the zeros too)."""
    cases = [((4, 0), [np.array([[1, 2], [0, 3]])]), ((0, 3), [np.zeros(0, np.int64), np.array([0, 0])])]
    for sizes, inputs in cases:
        ours = nn.EmbeddingBag(*sizes, mode=mode, rng=0)
        output, _, grads = layer_results(ours, inputs)
        assert output.shape == (2, sizes[1]) and not output.any() and grads["weight"].shape == sizes
        torch = pytest.importorskip("torch")
        theirs = torch.nn.EmbeddingBag(*sizes, mode=mode)
        threads = torch.get_num_threads()
        torch.set_num_threads(1)  # (its parallel kernel fails on an empty weight: "Expected i < index_size")
        try:
            assert_same_layer_results((output, [], grads), layer_results(theirs, inputs, torch))
        finally:
            torch.set_num_threads(threads)
    np.testing.assert_array_equal(nn.EmbeddingBag(0, 3, mode=mode)(np.zeros((2, 0), np.int64)).data, np.zeros((2, 3)))


def test_sparse_true_as_dlrms_tables():
    """dlrm's nn.EmbeddingBag(n, m, mode="sum", sparse=True) with offsets: the dense gradient PyTorch's sparse one
    stands for (each bag's rows, repeated ones summed), so an SGD step equals PyTorch's."""
    values = np.arange(10.0).reshape(5, 2) / 10
    bag = nn.EmbeddingBag(5, 2, mode="sum", sparse=True, _weight=values.copy())
    assert bag.sparse is True
    indices, offsets = np.array([0, 3, 3, 1, 4]), np.array([0, 2, 2, 3])  # an empty bag too
    upstream = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [7.0, 8.0]])
    (bag(indices, offsets) * ag.tensor(upstream)).sum().backward()
    bag_of_entry = np.searchsorted(offsets, np.arange(indices.size), side="right") - 1
    dense = np.zeros((5, 2))
    np.add.at(dense, indices, upstream[bag_of_entry])
    np.testing.assert_array_equal(bag.weight.grad.data, dense)
    nn.optim.SGD(bag.parameters(), lr=0.1).step()
    np.testing.assert_array_equal(bag.weight.data, values - 0.1 * dense)
    try:
        import torch
    except ImportError:
        return
    theirs = torch.nn.EmbeddingBag(5, 2, mode="sum", sparse=True, _weight=torch.tensor(values))
    (theirs(torch.tensor(indices), torch.tensor(offsets)) * torch.tensor(upstream)).sum().backward()
    assert theirs.weight.grad.is_sparse
    np.testing.assert_array_equal(theirs.weight.grad.to_dense().numpy(), bag.weight.grad.data)
    torch.optim.SGD(theirs.parameters(), lr=0.1).step()
    # (PyTorch's sparse step adds a repeated row's updates one by one: equal to rounding)
    np.testing.assert_allclose(theirs.weight.detach().numpy(), bag.weight.data, rtol=0, atol=1e-15)
    with pytest.raises(ValueError, match="max mode does not support sparse weights"):
        torch.nn.functional.embedding_bag(torch.tensor([0]), torch.ones(3, 2), torch.tensor([0]), mode="max",
                                          sparse=True)
