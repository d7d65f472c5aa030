"""PyTorch's in-place methods (autograd_core/torch_in_place.py), continued: bernoulli_ with a number p, the random
fill torchvision's stochastic_depth draws its noise with; transpose_ and t_, the axes swapped in place (K-FAC's patch
extraction); the rounding floor_/ceil_/trunc_/round_ (the classic drop_path's binarising floor_); sigmoid_
(timm's Sigmoid(inplace=True)); pow_ (Barlow Twins' and VICReg's off_diagonal(c).pow_(2) on a recorded result);
fill_diagonal_ (a two-tower model's repeated-item mask); apply_ (pytorch-ntm's binarised outputs); set_ (PyTorch's
test_parametrization sets a weight to a new value under no_grad); tril_ and triu_ (a causal mask made in place)."""
import types

import numpy as np
import pytest

import autograd_core as ag
from autograd_core.in_place_record import REBASED


def test_bernoulli_fills_in_place_with_ones_at_probability_p_from_the_generator():
    t = ag.empty((3, 4), dtype=np.float32)
    assert t.bernoulli_(0.3, rng=0) is t and t.dtype == np.float32
    expected = (np.random.default_rng(0).random((3, 4)) < 0.3).astype(np.float32)  # NumPy reference, same stream
    np.testing.assert_array_equal(t.data, expected)
    big = ag.zeros(50000).bernoulli_(0.8, generator=np.random.default_rng(1))
    assert set(np.unique(big.data)) == {0.0, 1.0} and abs(big.data.mean() - 0.8) < 0.01
    assert ag.zeros(1000).bernoulli_(rng=2).data.mean() == pytest.approx(0.5, abs=0.05)  # the default p


def test_bernoulli_at_the_ends_matches_torch():
    np.testing.assert_array_equal(ag.zeros(5).bernoulli_(1.0).data, np.ones(5))
    np.testing.assert_array_equal(ag.ones(5).bernoulli_(0.0).data, np.zeros(5))
    torch = pytest.importorskip("torch")
    np.testing.assert_array_equal(ag.zeros(5).bernoulli_(1.0).data, torch.zeros(5).bernoulli_(1.0).numpy())
    np.testing.assert_array_equal(ag.ones(5).bernoulli_(0.0).data, torch.ones(5).bernoulli_(0.0).numpy())


@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.uint8, np.bool_])
def test_bernoulli_fills_integer_and_bool_tensors_as_torch(dtype):
    # found by porting PyTorch's test_torch.py (test_bernoulli): only float Tensors were filled, torch fills any
    torch = pytest.importorskip("torch")
    t = ag.zeros(6, dtype=dtype)
    assert t.bernoulli_(1.0) is t and t.dtype == dtype
    np.testing.assert_array_equal(t.data, torch.zeros(6, dtype=torch.from_numpy(np.zeros(1, dtype)).dtype)
                                  .bernoulli_(1.0).numpy())
    assert set(np.unique(ag.zeros(200, dtype=dtype).bernoulli_(0.5, rng=0).data.astype(int))) == {0, 1}

def test_bernoulli_counts_as_a_change_for_saved_graphs():
    a = ag.ones(3, requires_grad=True)
    noise = ag.ones(3)
    y = (a * noise).sum()
    noise.bernoulli_(0.5, rng=0)
    with pytest.raises(RuntimeError):
        y.backward()


@pytest.mark.parametrize("p, error, match", [
    (1.5, ValueError, r"bernoulli_: p must be a probability in \[0, 1\], got 1.5"),
    (-0.1, ValueError, r"bernoulli_: p must be >= 0.0"),
    ("half", TypeError, r"bernoulli_: p must be a finite real number"),
])
def test_bernoulli_refuses_a_p_that_is_no_probability(p, error, match):
    with pytest.raises(error, match=match):
        ag.zeros(2).bernoulli_(p)


def test_bernoulli_is_refused_on_a_leaf_that_requires_grad_as_normal_is():
    with pytest.raises(RuntimeError, match="bernoulli_"):
        ag.zeros(2, requires_grad=True).bernoulli_(0.5)
    with pytest.raises(TypeError, match="normal_: fills with random floats"):  # (bernoulli_ fills integers: 0s, 1s)
        ag.zeros(2, dtype=np.int64).normal_()


def test_transpose_in_place_swaps_the_axes_of_the_same_memory_and_returns_self():
    # K-FAC's _extract_patches: x.unfold(2, k, s).unfold(3, k, s), then x.transpose_(1, 2).transpose_(2, 3)
    values = np.arange(24.0).reshape(2, 3, 4)
    t = ag.tensor(values)
    memory = t.data
    assert t.transpose_(0, 2) is t and t.shape == (4, 3, 2)
    np.testing.assert_array_equal(t.data, values.transpose(2, 1, 0))  # NumPy reference
    assert np.shares_memory(t.data, memory)
    assert t.transpose_(-1, 1).transpose_(1, 1).shape == (4, 2, 3)
    m = ag.tensor([[1.0, 2.0, 3.0]])
    assert m.t_() is m and m.tolist() == [[1.0], [2.0], [3.0]] and ag.zeros(3).t_().shape == (3,)


def test_transpose_in_place_matches_torch():
    torch = pytest.importorskip("torch")
    values = np.random.default_rng(0).standard_normal((2, 3, 4, 5))
    ours, theirs = ag.tensor(values), torch.tensor(values)
    for dims in ((1, 2), (2, 3), (0, -1)):
        ours.transpose_(*dims)
        theirs.transpose_(*dims)
        np.testing.assert_array_equal(ours.data, theirs.numpy())
    np.testing.assert_array_equal(ag.tensor(values[0, 0]).t_().data, torch.tensor(values[0, 0]).t_().numpy())


def test_transpose_in_place_counts_a_change_and_is_refused_where_unsqueeze_is():
    base = ag.zeros((2, 3))
    version = base._version
    base.transpose_(0, 1)
    assert base._version > version  # as PyTorch's: a graph that saved base refuses to backpropagate
    leaf = ag.zeros((2, 3), requires_grad=True)
    with pytest.raises(RuntimeError, match=r"transpose_: .*leaf that requires grad.*x = x.transpose\(dim0, dim1\)"):
        leaf.transpose_(0, 1)
    with pytest.raises(RuntimeError, match=r"t_: .*computed by 'multiply'"):
        (leaf * 2).t_()
    with pytest.raises(np.exceptions.AxisError, match="transpose_: axis 2 is out of bounds"):
        base.transpose_(0, 2)
    with pytest.raises(TypeError, match="transpose_: dim0 and dim1 must be ints"):
        base.transpose_(0, 1.0)
    with pytest.raises(ValueError, match=r"t_: expects a Tensor of at most 2 axes, got shape \(1, 2, 3\)"):
        ag.zeros((1, 2, 3)).t_()


_ROUNDING = {"floor_": np.floor, "ceil_": np.ceil, "trunc_": np.trunc, "round_": np.round}  # np.round: half to even


@pytest.mark.parametrize("name", sorted(_ROUNDING))
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_rounding_in_place_writes_numpys_values_keeping_the_dtype(name, dtype):
    values = np.array([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 2.7, -2.7], dtype=dtype)
    t = ag.tensor(values.copy())
    assert getattr(t, name)() is t and t.dtype == dtype
    np.testing.assert_array_equal(t.data, _ROUNDING[name](values))
    integers = ag.tensor([3, -4])
    np.testing.assert_array_equal(getattr(integers, name)().data, [3, -4])  # an integer Tensor stays, as torch's
    assert integers.dtype == np.int64
    torch = pytest.importorskip("torch")
    np.testing.assert_array_equal(t.data, getattr(torch.tensor(values), name)().numpy())


def test_classic_drop_path_binarises_with_floor_and_its_gradient_is_the_mask():
    keep_prob = 0.75
    x = ag.tensor(np.random.default_rng(0).standard_normal((8, 2, 3)), requires_grad=True)
    random_tensor = keep_prob + ag.tensor(np.random.default_rng(1).random((8, 1, 1)))
    random_tensor.floor_()  # binarize (DeiT's and the first timm's drop_path)
    mask = np.floor(keep_prob + np.random.default_rng(1).random((8, 1, 1)))  # NumPy reference
    np.testing.assert_array_equal(random_tensor.data, mask)
    output = x.div(keep_prob) * random_tensor
    output.sum().backward()
    np.testing.assert_allclose(x.grad.data, np.broadcast_to(mask / keep_prob, x.shape), rtol=0, atol=0)
    h = x * 1.0
    assert h.floor_() is h and h.requires_grad  # a recorded result takes floor's record: gradient 0, as torch's
    h.sum().backward()
    np.testing.assert_array_equal(x.grad.data, np.broadcast_to(mask / keep_prob, x.shape))  # nothing added
    with pytest.raises(RuntimeError, match="floor_"):
        ag.tensor([1.5], requires_grad=True).floor_()  # a leaf that requires grad, while recording


def test_bernoulli_in_place_takes_a_tensor_of_probabilities_broadcast_as_torchs():
    p = ag.tensor([[0.2], [0.7], [0.0]])
    t = ag.empty((3, 4))
    assert t.bernoulli_(p, rng=0) is t
    expected = (np.random.default_rng(0).random((3, 4)) < p.data).astype(np.float64)  # NumPy reference
    np.testing.assert_array_equal(t.data, expected)
    np.testing.assert_array_equal(ag.empty((2, 3)).bernoulli_(ag.tensor([0.0, 1.0, 1.0])).data, [[0, 1, 1]] * 2)
    with pytest.raises(ValueError, match=r"^bernoulli_: p of shape \(2,\) does not broadcast to the shape \(2, 3\)"):
        ag.empty((2, 3)).bernoulli_(ag.tensor([0.0, 1.0]))
    with pytest.raises(ValueError, match=r"^bernoulli_: p must be probabilities in \[0, 1\]"):
        ag.empty((2, 3)).bernoulli_(ag.tensor([0.0, 1.0, 1.5]))
    torch = pytest.importorskip("torch")
    ends = torch.empty(2, 3).bernoulli_(torch.tensor([0.0, 1.0, 1.0])).numpy()
    np.testing.assert_array_equal(ag.empty((2, 3)).bernoulli_(ag.tensor([0.0, 1.0, 1.0])).data, ends)


def test_sigmoid_in_place_is_the_logistic_and_takes_sigmoids_record():
    values = np.array([-30.0, -1.0, 0.0, 2.0, 40.0])
    t = ag.tensor(values.copy())
    assert t.sigmoid_() is t
    np.testing.assert_allclose(t.data, 1 / (1 + np.exp(-values)), rtol=1e-15)  # NumPy reference
    x = ag.tensor(values, requires_grad=True)
    h = 1.0 * x
    assert h.sigmoid_() is h  # timm's Sigmoid(inplace=True) on a recorded activation
    h.sum().backward()
    s = 1 / (1 + np.exp(-values))
    np.testing.assert_allclose(x.grad.data, s * (1 - s), rtol=1e-12)
    assert ag.tensor(values.astype(np.float32)).sigmoid_().dtype == np.float32
    with pytest.raises(TypeError, match=r"^sigmoid_: the sigmoid of int64 values is float64"):
        ag.tensor([1, 2]).sigmoid_()  # PyTorch refuses a Long result type too
    torch = pytest.importorskip("torch")
    np.testing.assert_allclose(t.data, torch.tensor(values).sigmoid_().numpy(), rtol=1e-15)


def test_pow_in_place_squares_and_takes_the_record_of_pow():
    values = np.array([1.5, -2.0, 3.0])
    t = ag.tensor(values.copy())
    assert t.pow_(2) is t
    np.testing.assert_array_equal(t.data, values ** 2)  # NumPy reference
    x = ag.tensor(values, requires_grad=True)
    c = x * 2.0
    off = c.flatten()  # Barlow Twins: off_diagonal(c).pow_(2).sum(), on a recorded result
    assert off.pow_(2) is off
    off.sum().backward()
    np.testing.assert_allclose(x.grad.data, 8 * values, rtol=1e-15)  # d/dx (2x)^2
    np.testing.assert_allclose(ag.tensor([4.0, 9.0]).pow_(ag.tensor([0.5, 2.0])).data, [2.0, 81.0])
    assert ag.tensor([2, 3]).pow_(2).tolist() == [4, 9]
    with pytest.raises(TypeError, match=r"^pow_: .*int64"):
        ag.tensor([1, 2]).pow_(0.5)  # PyTorch refuses a float result in a Long Tensor too
    with pytest.raises(RuntimeError, match=r"^pow_: a leaf Tensor that requires grad"):
        x.pow_(2)
    torch = pytest.importorskip("torch")
    w = torch.tensor(values, requires_grad=True)
    (w * 2.0).flatten().pow_(2).sum().backward()
    np.testing.assert_allclose(x.grad.data, w.grad.numpy(), rtol=1e-15)
    np.testing.assert_array_equal(t.data, torch.tensor(values).pow_(2).numpy())


# ---- fill_diagonal_: PyTorch's, as np.fill_diagonal -----------------------------------------------------------------
@pytest.mark.parametrize("shape, wrap", [((3, 3), False), ((2, 4), False), ((7, 3), False), ((7, 3), True),
                                         ((3, 7), True), ((3, 3, 3), False)])
def test_fill_diagonal_matches_numpy_and_torch(shape, wrap):
    ours = ag.zeros(shape)
    assert ours.fill_diagonal_(1.5, wrap=wrap) is ours
    expected = np.zeros(shape)
    np.fill_diagonal(expected, 1.5, wrap=wrap)
    np.testing.assert_array_equal(ours.data, expected)
    try:
        import torch
    except ImportError:
        return
    np.testing.assert_array_equal(ours.data, torch.zeros(shape, dtype=torch.float64).fill_diagonal_(1.5,
                                                                                                    wrap=wrap).numpy())


def test_fill_diagonal_of_a_boolean_mask_and_of_a_recorded_result():
    # a two-tower model's mask of the same item elsewhere in the batch: same.fill_diagonal_(False)
    items = np.array([4, 2, 4])
    same = ag.tensor(items[None, :] == items[:, None]).fill_diagonal_(False)
    assert same.tolist() == [[False, False, True], [False, False, False], [True, False, False]]
    x = ag.ones((3, 3), requires_grad=True)
    y = x * 2
    y.fill_diagonal_(0.0)  # recorded: the diagonal's gradient is cut, as PyTorch's
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.data, 2 * (1 - np.eye(3)))


def test_fill_diagonal_refusals():
    with pytest.raises(ValueError, match=r"fill_diagonal_: the Tensor must have 2 axes or more, .* shape \(3,\)"):
        ag.zeros(3).fill_diagonal_(1.0)
    with pytest.raises(ValueError, match=r"all of one length beyond 2 .* shape \(3, 3, 2\)"):
        ag.zeros((3, 3, 2)).fill_diagonal_(1.0)
    with pytest.raises(RuntimeError, match=r"fill_diagonal_: a leaf Tensor that requires grad .* x.masked_fill"):
        ag.ones((2, 2), requires_grad=True).fill_diagonal_(0.0)


# ---- arccos_ (acos_): insightface's margin, changed in place under no_grad on recorded logits ----------------------
def test_arccos_in_place_under_no_grad_on_recorded_logits_is_insightfaces_margin():
    # CombinedMarginLoss (m1=1, m3=0): with torch.no_grad(): logits.arccos_(); logits[i, y] += m2; logits.cos_();
    # the record of the logits stays, so the gradient passes by the margin, as PyTorch's
    values, labels = np.array([[0.3, -0.2, 0.5], [0.1, 0.4, -0.6]]), np.array([2, 1])
    x = ag.tensor(values, requires_grad=True)
    logits = x * 1.0
    with ag.no_grad():
        assert logits.arccos_() is logits
        logits[np.arange(2), labels] += 0.5
        logits.cos_()
    margined = np.cos(np.arccos(values) + 0.5 * np.eye(3)[labels])  # NumPy reference
    np.testing.assert_allclose(logits.data, margined, rtol=1e-14)
    (logits * logits).sum().backward()
    np.testing.assert_allclose(x.grad.data, 2 * margined, rtol=1e-14)  # d/dx of logits**2 through x * 1 alone
    assert ag.tensor([1.0, 0.0]).acos_().tolist() == [0.0, np.pi / 2]
    torch = pytest.importorskip("torch")
    theirs = torch.tensor(values, requires_grad=True)
    their_logits = theirs * 1.0
    with torch.no_grad():
        their_logits.arccos_()
        their_logits[torch.arange(2), torch.tensor(labels)] += 0.5
        their_logits.cos_()
    (their_logits * their_logits).sum().backward()
    np.testing.assert_allclose(x.grad.data, theirs.grad.numpy(), rtol=1e-14)


def test_apply_replaces_each_element_by_the_function_of_it_in_place():
    # pytorch-ntm's evaluation: y_out_binarized.apply_(lambda x: 0 if x < 0.5 else 1)
    y = ag.tensor([[0.2, 0.7], [0.5, 0.49]])
    assert y.apply_(lambda x: 0 if x < 0.5 else 1) is y
    np.testing.assert_array_equal(y.data, [[0.0, 1.0], [1.0, 0.0]])
    assert y.dtype == np.float64
    counts = ag.tensor([1, 2])
    np.testing.assert_array_equal(counts.apply_(lambda x: x * 2.7).data, [2, 5])  # cast to int64, as PyTorch's
    rows = ag.zeros((2, 3))
    rows[0].apply_(lambda x: x + 5)  # through a view, to its base
    np.testing.assert_array_equal(rows.data, [[5.0, 5.0, 5.0], [0.0, 0.0, 0.0]])


def test_apply_refuses_a_tensor_that_requires_grad_even_under_no_grad_and_bad_functions():
    w = ag.ones(2, requires_grad=True)
    for target in (w, w * 2):
        with pytest.raises(RuntimeError, match=r"apply_: the Tensor \(shape \(2,\)\) requires grad.*detach\(\).apply_"):
            target.apply_(abs)
    with ag.no_grad(), pytest.raises(RuntimeError, match="apply_: .* requires grad"):
        w.apply_(abs)
    with pytest.raises(TypeError, match="apply_: expects a callable"):
        ag.ones(2).apply_(3)
    with pytest.raises(TypeError, match="apply_: function must return a number for each element, got 'a'"):
        ag.ones(2).apply_(lambda x: "a")
    np.testing.assert_array_equal(w.detach().apply_(lambda x: -x).data, [-1.0, -1.0])  # the way given


def test_apply_matches_pytorch():
    torch = pytest.importorskip("torch")
    values = np.array([[0.1, 0.9, 0.5], [-2.0, 3.0, 0.49]])
    function = lambda x: 0 if x < 0.5 else 1  # noqa: E731
    np.testing.assert_array_equal(ag.tensor(values).apply_(function).data,
                                  torch.tensor(values).apply_(function).numpy())
    with pytest.raises(RuntimeError, match="requires grad"):
        torch.tensor(values, requires_grad=True).apply_(function)


# ---- detach_ of a view: refused, as PyTorch's "Can't detach views in-place" (it made x.narrow(...) a constant sharing
# the memory of x, still in the graph; PyTorch's test_autograd test_detach) ----
@pytest.mark.parametrize("take", [lambda x: x.narrow(0, 1, 2), lambda x: x[1:], lambda x: x.T,
                                  lambda x: (x * 2)[0], lambda x: x.reshape(-1)])
def test_detach_in_place_of_a_recorded_view_is_refused_as_torchs(take):
    x = ag.tensor(np.arange(12.0).reshape(4, 3), requires_grad=True)
    view = take(x)
    with pytest.raises(RuntimeError, match=r"detach_: this Tensor \(shape .*\) is a view .*use v = v.detach\(\)"):
        view.detach_()
    assert view.requires_grad and view.grad_fn is not None  # left as it was
    detached = view.detach()
    assert not detached.requires_grad and np.shares_memory(detached.data, view.data)
    torch = pytest.importorskip("torch")
    tx = torch.tensor(x.data, requires_grad=True)
    with pytest.raises(RuntimeError, match="Can't detach views in-place"):
        take(tx).detach_()


def test_detach_in_place_of_a_base_leaves_its_views_recorded_as_torchs():
    # PyTorch's test_detach_base: detaching the base does not detach a view taken before
    x = ag.tensor(np.ones((4, 3)), requires_grad=True)
    view = x.narrow(0, 1, 2)
    assert x.detach_() is x and not x.requires_grad
    assert view.requires_grad and view.grad_fn is not None
    h = (x * 2).detach_()  # a result that is no view is detached, as before
    assert h.is_leaf and not h.requires_grad


# ---- set_: a Tensor takes another's values, shape and memory (`model.weight.set_(skew(model.weight))`) ----------
def _set_and_share(lib, dtype):
    """set_ to a (2, 3) source under no_grad, then a change of the source seen through the weight."""
    weight = lib.nn.Parameter(lib.zeros(4, dtype=dtype))
    source = lib.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], dtype=dtype)
    with lib.no_grad():
        assert weight.set_(source) is weight
        source.mul_(2.0)
    return weight, weight.requires_grad, type(weight).__name__


def test_set_in_place_takes_the_sources_values_shape_and_memory_as_torch():
    import nn
    ours_lib = types.SimpleNamespace(nn=nn, zeros=ag.zeros, tensor=ag.tensor, no_grad=ag.no_grad)
    ours, requires_grad, kind = _set_and_share(ours_lib, np.float32)
    np.testing.assert_array_equal(ours.data, [[2.0, 4.0, 6.0], [8.0, 10.0, 12.0]])
    assert requires_grad and kind == "Parameter" and ours.dtype == np.float32
    assert ag.ones(2).set_().shape == (0,)  # no source: empty, as PyTorch's
    torch = pytest.importorskip("torch")
    theirs, their_requires_grad, their_kind = _set_and_share(torch, torch.float32)
    np.testing.assert_array_equal(ours.data, theirs.detach().numpy())
    assert (requires_grad, kind) == (their_requires_grad, their_kind) and torch.ones(2).set_().shape == (0,)


def test_set_in_place_shares_the_sources_version_count_and_leaves_its_old_memory():
    # a graph that saved the Tensor's value refuses backward after a change through the source, as after any change
    # to shared memory (it read the new values silently); a view that set_ moved to other memory no longer counts
    # its old base's changes
    t, source = ag.zeros(2), ag.tensor([3.0, 4.0])
    t.set_(source)
    w = ag.tensor([1.0, 1.0], requires_grad=True)
    y = (t * w).sum()
    before = t._version
    with ag.no_grad():
        source.add_(1.0)
    assert t.tolist() == [4.0, 5.0] and t._version == before + 1
    with pytest.raises(RuntimeError, match="changed in place"):
        y.backward()
    base = ag.zeros(4)
    view = base[:2]
    view.set_(ag.ones(3))
    version = view._version
    base.add_(1.0)
    assert view.tolist() == [1.0, 1.0, 1.0] and view._version == version


def test_set_in_place_refuses_another_dtype_and_a_recorded_leaf():
    with pytest.raises(TypeError, match="set_: source has dtype float64 but this Tensor has float32"):
        ag.zeros(2, dtype=np.float32).set_(ag.zeros(2, dtype=np.float64))
    with pytest.raises(TypeError, match="set_: source must be a Tensor"):
        ag.zeros(2).set_([1.0, 2.0])
    leaf = ag.zeros(3, requires_grad=True)
    with pytest.raises(RuntimeError, match=r"set_: .* leaf that requires grad"):
        leaf.set_(ag.ones(3))
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        torch.zeros(3, requires_grad=True).set_(torch.ones(3))


@pytest.mark.parametrize("method", ["tril_", "triu_"])
@pytest.mark.parametrize("diagonal", [-1, 0, 1])
def test_tril_and_triu_in_place_are_numpys_triangles_written_into_self_as_torchs(method, diagonal):
    values = np.arange(1.0, 25.0).reshape(2, 3, 4)
    triangle = {"tril_": np.tril, "triu_": np.triu}[method](values, diagonal)
    t = ag.tensor(values)
    assert getattr(t, method)(diagonal=diagonal) is t
    np.testing.assert_array_equal(t.data, triangle)
    # while recording, a recorded result takes the record: the gradient is the triangle's mask
    w = ag.tensor(values, requires_grad=True)
    y = w * 3.0
    getattr(y, method)(diagonal)
    (y * y).sum().backward()
    np.testing.assert_allclose(w.grad.data, 18.0 * values * (triangle != 0))
    torch = pytest.importorskip("torch")
    tw = torch.tensor(values, requires_grad=True)
    ty = tw * 3.0
    getattr(ty, method)(diagonal)
    (ty * ty).sum().backward()
    np.testing.assert_allclose(w.grad.data, tw.grad.numpy(), rtol=1e-15)


def test_tril_and_triu_in_place_refuse_a_vector_and_a_leaf_that_requires_grad():
    with pytest.raises(ValueError, match=r"tril_: the result has shape \(3, 3\), the Tensor shape \(3,\)"):
        ag.ones(3).tril_()
    with pytest.raises(RuntimeError, match=r"triu_: a leaf Tensor that requires grad"):
        ag.ones((2, 2), requires_grad=True).triu_()



@pytest.mark.parametrize("name", ["swapaxes_", "swapdims_"])
def test_swapaxes_and_swapdims_in_place_are_transpose_in_place(name):
    # found by a port of PyTorch's test/test_view_ops.py (test_transpose_inplace_view)
    t = ag.ones((5, 5))
    v = getattr(t.view_as(t), name)(0, 1)
    assert np.shares_memory(v.data, t.data)
    v[0, 1] = 0.0
    assert float(t[1, 0]) == 0.0 and float(t[0, 1]) == 1.0
    x = ag.arange(24.0).reshape(2, 3, 4)
    assert getattr(x, name)(0, 2) is x and x.shape == (4, 3, 2)
    np.testing.assert_array_equal(x.data, np.swapaxes(np.arange(24.0).reshape(2, 3, 4), 0, 2))


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int64, np.int32, np.bool_, np.uint8])
def test_resize_as_in_place_takes_the_other_tensors_shape(dtype):
    # found by a port of PyTorch's test/test_view_ops.py (test_resize_as_all_dtypes_and_devices)
    x = ag.tensor([[1, 2], [3, 4], [5, 6]], dtype=dtype)
    assert x.resize_as_(ag.tensor([[1, 2, 3], [4, 5, 6]], dtype=dtype)) is x
    assert x.shape == (2, 3) and x.dtype == dtype
    np.testing.assert_array_equal(x.data, np.array([[1, 2, 3], [4, 5, 6]], dtype=dtype))
    y = ag.arange(4.0)
    y.resize_as_(ag.zeros((2, 3)))
    np.testing.assert_array_equal(y.data, [[0.0, 1.0, 2.0], [3.0, 0.0, 0.0]])  # new elements are 0, as resize_'s
    with pytest.raises(TypeError, match="resize_as_: other must be a Tensor"):
        y.resize_as_((2, 3))


# ---- found by porting PyTorch's TestAutogradForwardMode (test_non_differentiable's foo.eq_(bar)) ------------------
@pytest.mark.parametrize("name", ["eq", "ne", "lt", "le", "gt", "ge"])
@pytest.mark.parametrize("data, other", [([1.0, 2.0, 3.0], 2.0), ([1, 2, 3], [3, 2, 1]), ([True, False], True)])
def test_in_place_comparisons_write_one_or_zero_in_the_tensors_dtype_as_torch(name, data, other):
    torch = pytest.importorskip("torch")
    t = ag.tensor(data)
    view = t[:]
    assert getattr(t, f"{name}_")(ag.tensor(other)) is t
    expected = getattr(torch.tensor(data), f"{name}_")(torch.tensor(other))
    assert t.dtype == np.asarray(data).dtype and t.tolist() == expected.tolist()
    assert t._version == 1 and view.tolist() == expected.tolist()  # written into its memory, counted


def test_in_place_comparisons_refuse_a_tensor_that_requires_grad_while_recording():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    y = x * 1
    with pytest.raises(RuntimeError, match=r"eq_: writing a comparison into a Tensor that requires grad is not "
                                           r"recorded here; write x = \(x == other\)\.to\(x\.dtype\)"):
        y.eq_(1.0)
    with ag.no_grad():
        assert x.gt_(1.5).tolist() == [0.0, 1.0]


def test_in_place_logical_operations_refuse_a_tensor_that_requires_grad_while_recording_as_the_comparisons():
    # logical_and_ of a recorded Tensor reached the in-place record with an unrecorded result and failed inside it
    # (AttributeError); refused as eq_ ... ge_ are, and done under no_grad
    x = ag.tensor([1.0, 0.0, 2.0], requires_grad=True)
    for name in ("logical_and_", "logical_or_", "logical_xor_"):
        with pytest.raises(RuntimeError, match=rf"{name}: writing a logical result into a Tensor that requires grad"):
            getattr(x * 1, name)(ag.tensor([1.0, 1.0, 0.0]))
    with ag.no_grad():
        assert (x * 1).logical_and_(ag.tensor([1.0, 1.0, 0.0])).tolist() == [1.0, 0.0, 0.0]


def test_in_place_math_and_overflowing_in_place_updates_are_runtime_errors_too_as_torchs():
    # found by review: t.log1p_() of an integer Tensor, square_ of bools and u8 += 300 raised NumPy's class alone,
    # which ported `except RuntimeError` code misses (their out-of-place forms were already both)
    torch = pytest.importorskip("torch")
    for call in (lambda m: m.tensor([1, 2]).log1p_(), lambda m: m.tensor([1, 2]).exp_()):
        with pytest.raises(RuntimeError):
            call(torch)
        with pytest.raises(TypeError) as caught:
            call(ag)
        assert isinstance(caught.value, RuntimeError)
    u8 = ag.tensor([1, 2], dtype=np.uint8)  # (PyTorch wraps 300 round; NumPy's OverflowError, now a RuntimeError too)
    with pytest.raises(OverflowError) as caught:
        u8.add_(300)
    assert isinstance(caught.value, RuntimeError)
    with pytest.raises(OverflowError, match=r"\+=: cannot update a Tensor of shape \(2,\) and dtype uint8") as caught:
        u8 += 300
    assert isinstance(caught.value, RuntimeError) and u8.tolist() == [1, 2]


# ---- found by porting PyTorch's TestAutograd (test_no_unnecessary_save): detach_ then copy_ into the same Tensor --
def _detach_then_copy(lib):
    """PyTorch's test_no_unnecessary_save with lib (ag or torch): (mu, x, loss) after three steps of detach_ then
    copy_ of mu + i into x, each step's use of x recorded in the loss."""
    mu = lib.ones(1, requires_grad=True)
    x = lib.empty(1)
    loss = 0
    for i in range(3):
        x.detach_()
        x.copy_(mu + i)
        loss += (x * lib.tensor([float(i)])).sum()  # (recorded in place: backward then checks the order)
    return mu, x, loss


def test_detach_in_place_then_copy_refuses_a_backward_through_the_earlier_uses():
    # the uses recorded before detach_ named the Tensor, which copy_ then gave a newer record: backward raised "a node
    # uses a Tensor recorded after it, whose earlier record is unknown"; then they saw its value, a constant, and mu got
    # no gradient from them, silently (mu.grad 2); a gradient reaching them now refuses, naming detach_, before any
    # .grad changes
    mu, x, loss = _detach_then_copy(ag)
    assert float(loss) == 1.0 * 0 + 2.0 * 1 + 3.0 * 2  # (mu + i) * i
    assert len(REBASED.value(x, ())) == 1  # (one entry for x however many steps: was one per step)
    with pytest.raises(RuntimeError, match=r"detached in place \(detach_\) after this graph used it"):
        loss.backward()
    assert mu.grad is None  # (review R3: the check test_rebased_memory's copy of this test had)
    torch = pytest.importorskip("torch")  # (PyTorch's: 3, its earlier uses reaching mu)
    tmu, _, tloss = _detach_then_copy(torch)
    tloss.backward()
    assert tmu.grad.tolist() == [3.0]


def test_detach_in_place_then_copy_refuses_a_pass_toward_given_inputs_too():
    # autograd.grad(loss, mu) gave 2 and backward(inputs=[mu]) left mu.grad 2, silently (session 41): the pass toward
    # mu pruned the earlier uses, whose graph detach_ had cut; it now goes to them and refuses, as backward does
    mu, _, loss = _detach_then_copy(ag)
    with pytest.raises(RuntimeError, match=r"autograd.grad: a gradient reached a Tensor \(shape \(1,\)\) .*detach_"):
        ag.autograd.grad(loss, mu)
    mu, _, loss = _detach_then_copy(ag)  # (a refused pass frees the graph, as backward's: a new one)
    with pytest.raises(RuntimeError, match=r"backward: a gradient reached a Tensor \(shape \(1,\)\) .*detach_"):
        loss.backward(inputs=[mu])
    assert mu.grad is None
    torch = pytest.importorskip("torch")  # (PyTorch's: 3, its earlier uses reaching mu)
    tmu, _, tloss = _detach_then_copy(torch)
    assert torch.autograd.grad(tloss, tmu)[0].tolist() == [3.0]


# ---- exponential_, cauchy_, log_normal_, geometric_: PyTorch's other random fills (missing, found by porting
# PyTorch's test_vmap.py, TestRandomness.test_random_unary_inplace) ----

@pytest.mark.parametrize("name, args, numpys", [
    ("exponential_", (2.0,), lambda g, n: g.exponential(0.5, n)),
    ("cauchy_", (1.0, 3.0), lambda g, n: 1.0 + 3.0 * g.standard_cauchy(n)),
    ("log_normal_", (0.5, 0.25), lambda g, n: g.lognormal(0.5, 0.25, n)),
    ("geometric_", (0.3,), lambda g, n: g.geometric(0.3, n).astype(float))])
def test_the_other_random_fills_draw_numpys_distributions_in_place(name, args, numpys):
    t = ag.zeros(1000)
    array = t.data
    assert getattr(t, name)(*args, generator=np.random.default_rng(7)) is t and t.data is array
    np.testing.assert_allclose(t.data, numpys(np.random.default_rng(7), 1000), rtol=1e-12)
    torch = pytest.importorskip("torch")
    theirs = getattr(torch.zeros(200000, dtype=torch.float64), name)(*args)
    ours = getattr(ag.zeros(200000), name)(*args, rng=0)
    if name != "cauchy_":  # (the Cauchy distribution has no mean: compare medians)
        np.testing.assert_allclose(float(ours.mean()), float(theirs.mean()), rtol=0.05)
    np.testing.assert_allclose(np.median(ours.data), float(theirs.median()), rtol=0.05)


def test_the_other_random_fills_refuse_bad_parameters_and_vmap_them_by_randomness():
    with pytest.raises(ValueError, match="exponential_: expects lambd > 0.0"):
        ag.zeros(2).exponential_(0.0)
    with pytest.raises(ValueError, match=r"geometric_: expects p to be in \(0, 1\), but got p=1.5"):
        ag.zeros(2).geometric_(1.5)
    with pytest.raises(TypeError, match="cauchy_: fills with random floats"):
        ag.zeros(2, dtype=ag.int64).cauchy_()
    assert set(ag.zeros(30, dtype=ag.int64).geometric_(0.999, rng=0).tolist()) == {1}  # (any dtype, as PyTorch's)
    same = ag.vmap(lambda t: t.exponential_(), randomness="same")(ag.zeros((4, 3)))
    assert bool((same == same[0]).all())
    different = ag.vmap(lambda t: t.log_normal_(), randomness="different")(ag.zeros((4, 3)))
    assert len({tuple(row) for row in different.tolist()}) == 4


@pytest.mark.parametrize("name, args, message", [
    ("exponential_", (0.0,), r"exponential_: expects lambd > 0.0, but found lambd=0.0"),
    ("exponential_", (-1.0,), r"exponential_: expects lambd > 0.0, but found lambd=-1.0"),  # (it said ">= 0.0")
    ("cauchy_", (0.0, 0.0), r"cauchy_: expects sigma > 0.0, but found sigma=0.0"),
    ("log_normal_", (1.0, 0.0), r"log_normal_: expects std > 0.0, but found std=0.0"),
    ("geometric_", (1.0,), r"geometric_: expects p to be in \(0, 1\), but got p=1.0"),
    ("geometric_", (0.0,), r"geometric_: expects p to be in \(0, 1\), but got p=0.0")])
def test_the_other_random_fills_refuse_what_torch_refuses(name, args, message):
    # (found in review: sigma=0, std=0 and p=1 were taken, which PyTorch refuses)
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError, match="expects"):
        getattr(torch.zeros(3), name)(*args)
    with pytest.raises(RuntimeError, match=message):
        getattr(ag.zeros(3), name)(*args)


def test_geometric_of_a_bool_tensor_is_refused_as_torchs():
    # (found in review: a bool Tensor's geometric_ filled True; PyTorch's is not implemented for Bool)
    torch = pytest.importorskip("torch")
    with pytest.raises(NotImplementedError):
        torch.zeros(3, dtype=torch.bool).geometric_(0.5)
    with pytest.raises(RuntimeError, match=r"geometric_: not implemented for a bool Tensor \(shape \(3,\)\)"):
        ag.zeros(3, dtype=bool).geometric_(0.5, rng=0)
