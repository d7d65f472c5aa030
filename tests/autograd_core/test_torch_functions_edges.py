"""PyTorch's functions (autograd_core/torch_functions.py), continued: ag.all and ag.any, torch.all and torch.any,
which makemore's gradient check calls (torch.all(dt == t.grad).item()); served by the package's __getattr__ so that
`from autograd_core import *` leaves Python's all and any alone; ag.mul, ag.matmul and ag.clamp with out= (the
tensors tutorial's torch.matmul(t, t.T, out=y3) and torch.mul(t, t, out=z3)); ag.randint_like; ag.kthvalue
(torchattacks' least-likely target label); t.select (galsang's BiDAF: q.select(1, i)); ag._assert
(torchvision's torch._assert); topk's partition path for k < n (DGCNN's k nearest points)."""
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd_core as ag

CASES = [  # (values, keyword arguments, NumPy's keyword arguments)
    ([[1.0, 0.0], [2.0, 3.0]], {}, {}),
    ([[1.0, 0.0], [2.0, 3.0]], dict(dim=1), dict(axis=1)),
    ([[1.0, 0.0], [2.0, 3.0]], dict(dim=0, keepdim=True), dict(axis=0, keepdims=True)),
    ([[True, False], [True, True]], dict(axis=1, keepdims=True), dict(axis=1, keepdims=True)),
    ([[0, 0], [0, 5]], dict(dim=(0, 1)), dict(axis=(0, 1))),
    (np.zeros((0, 3)), dict(dim=0), dict(axis=0)),  # all of nothing is True, any of nothing False
]


@pytest.mark.parametrize("name", ["all", "any"])
@pytest.mark.parametrize("values, kwargs, numpy_kwargs", CASES)
def test_all_and_any_are_numpys_with_pytorchs_names(name, values, kwargs, numpy_kwargs):
    ours = getattr(ag, name)(ag.tensor(values), **kwargs)
    expected = getattr(np, name)(np.asarray(values), **numpy_kwargs)
    assert isinstance(ours, ag.Tensor) and ours.dtype == np.bool_ and not ours.requires_grad
    np.testing.assert_array_equal(ours.data, expected)
    np.testing.assert_array_equal(getattr(ag, name)(values, **kwargs).data, expected)  # lists and arrays too


def test_all_of_an_exact_gradient_comparison_as_makemore_writes_it():
    w = ag.tensor([1.0, -2.0], requires_grad=True)
    (w * w).sum().backward()
    assert ag.all(2 * w.detach() == w.grad).item() is True
    assert ag.all(2 * w.detach() + 1e-12 == w.grad).item() is False
    assert ag.any(2 * w.detach() + np.array([0.0, 1.0]) == w.grad).item() is True


@pytest.mark.parametrize("name", ["all", "any"])
def test_all_and_any_match_torch(name):
    torch = pytest.importorskip("torch")
    for values, kwargs, _ in CASES:
        ours = getattr(ag, name)(ag.tensor(values), **kwargs)
        torch_kwargs = {{"axis": "dim", "keepdims": "keepdim"}.get(k, k): v for k, v in kwargs.items()}
        theirs = getattr(torch, name)(torch.tensor(np.asarray(values)), **torch_kwargs)
        np.testing.assert_array_equal(ours.data, theirs.numpy())


def test_star_import_leaves_pythons_all_and_any_alone():
    namespace = {}
    exec("from autograd_core import *", namespace)
    assert "all" not in namespace and "any" not in namespace
    assert ag.all.__doc__.startswith("torch.all") and ag.any.__doc__.startswith("torch.any")


def test_all_refuses_what_is_no_array_naming_itself():
    with pytest.raises(TypeError, match=r"^all: unsupported input of dtype <U1"):
        ag.all("x")
    with pytest.raises(TypeError, match=r"^all: got both axis=0 and dim=1"):
        ag.all(ag.tensor([[1.0]]), 0, dim=1)


# ---- PyTorch's names found elsewhere here: the AttributeError names the way (torch.save -> nn.save) ----
@pytest.mark.parametrize("name, way", [("save", r"nn\.save\(obj, path\)"), ("load", r"nn\.load\(path\)"),
                                       ("set_default_dtype", r"model\.double\(\) for float64 nn layers"),
                                       # torch.nn.utils.clip_grad_norm_ after `import autograd_core as torch`
                                       ("nn", r"the nn package: import nn"), ("optim", r"nn\.optim "),
                                       ("utils", r"nn\.utils \(torch\.utils\.data is nn\.utils\.data\)"),
                                       ("device", r"the string 'cpu'"), ("cuda", r"ag\.accelerator\.is_available"),
                                       # the DQN tutorial's `torch.cuda.is_available() or torch.backends.mps...`
                                       ("backends", r"ag\.accelerator\.is_available\(\) for torch\.backends\.mps"),
                                       # build-nanogpt's torch.set_float32_matmul_precision('high') (the tf32 switch)
                                       ("set_float32_matmul_precision", r"no setting: drop the line"),
                                       # deeplearning-models' helper_utils.set_deterministic (PyTorch 1.7's name)
                                       ("set_deterministic", r"ag\.use_deterministic_algorithms\(True\)"),
                                       # ConvNeXt's and timm's train.py --channels-last: model.to(memory_format=...)
                                       ("channels_last", r"no memory_format= argument \(drop it\)")])
def test_torch_names_that_live_elsewhere_name_the_way(name, way):
    with pytest.raises(AttributeError, match=rf"^module 'autograd_core' has no attribute '{name}'; use {way}"):
        getattr(ag, name)
    assert not hasattr(ag, name)


def test_other_missing_names_keep_pythons_message():
    with pytest.raises(AttributeError, match=r"^module 'autograd_core' has no attribute 'no_such_name'$"):
        ag.no_such_name


# ---- ag.mul and ag.matmul: torch.mul and torch.matmul, with out= -----------------------------------------------------

def test_mul_writes_into_out_as_the_tensors_tutorial_does():
    tensor = ag.tensor([[1.0, 0.0], [2.0, 3.0]])
    z3 = ag.rand_like(tensor)
    assert ag.mul(tensor, tensor, out=z3) is z3
    np.testing.assert_array_equal(z3.data, tensor.data * tensor.data)
    np.testing.assert_array_equal(ag.mul(tensor, 2).data, [[2.0, 0.0], [4.0, 6.0]])
    torch = pytest.importorskip("torch")
    theirs = torch.rand(2, 2, dtype=torch.float64)
    torch.mul(torch.tensor(tensor.data), torch.tensor(tensor.data), out=theirs)
    np.testing.assert_array_equal(z3.data, theirs.numpy())


def test_mul_is_differentiable_and_refuses_out_when_recording_as_torch():
    w = ag.tensor([1.0, -2.0], requires_grad=True)
    ag.mul(w, w).sum().backward()
    np.testing.assert_array_equal(w.grad.data, [2.0, -4.0])  # d(w*w)/dw = 2w
    with pytest.raises(RuntimeError, match=r"^mul: out= does not support automatic differentiation"):
        ag.mul(w, w, out=ag.zeros(2))
    with pytest.raises(ValueError, match=r"^mul: out= has shape \(3,\), the result has shape \(2,\)"):
        ag.mul(ag.ones(2), 2, out=ag.zeros(3))
    with pytest.raises(TypeError, match=r"^mul: out= must be a Tensor, got ndarray"):
        ag.mul(ag.ones(2), 2, out=np.zeros(2))
    with ag.no_grad():
        out = ag.zeros(2)
        np.testing.assert_array_equal(ag.mul(w, w, out=out).data, [1.0, 4.0])
    torch = pytest.importorskip("torch")
    tw = torch.tensor([1.0, -2.0], requires_grad=True)
    with pytest.raises(RuntimeError):
        torch.mul(tw, tw, out=torch.zeros(2))


def test_matmul_writes_into_out_as_the_tensors_tutorial_does():
    tensor = ag.ones((4, 4))
    tensor[:, 1] = 0
    y1 = tensor @ tensor.T
    y3 = ag.rand_like(y1)
    assert ag.matmul(tensor, tensor.T, out=y3) is y3
    np.testing.assert_array_equal(y3.data, tensor.data @ tensor.data.T)
    np.testing.assert_array_equal(y3.data, y1.data)
    torch = pytest.importorskip("torch")
    t = torch.tensor(tensor.data)
    theirs = torch.rand_like(t)
    torch.matmul(t, t.T, out=theirs)
    np.testing.assert_array_equal(y3.data, theirs.numpy())


def test_matmul_function_is_still_the_recorded_matmul_and_refuses_out_when_recording():
    w = ag.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    x = np.array([[1.0, -1.0]])
    ag.matmul(x, w).sum().backward()
    np.testing.assert_array_equal(w.grad.data, x.T @ np.ones((1, 2)))  # d(sum(x @ w))/dw = x.T @ ones
    assert ag.matmul(ag.ones(3), ag.ones(3)).item() == 3.0  # np.matmul's 1-D rules
    with pytest.raises(RuntimeError, match=r"^matmul: out= does not support automatic differentiation"):
        ag.matmul(x, w, out=ag.zeros((1, 2)))
    with pytest.raises(ValueError, match=r"^matmul: out= has shape \(2, 2\), the result has shape \(1, 2\)"):
        ag.matmul(x, w.detach(), out=ag.zeros((2, 2)))


def test_clamp_writes_into_out_as_torch_clamp_does():
    g = ag.tensor([-7.0, 0.25, 6.0])
    assert ag.clamp(g, -5, 5, out=g) is g
    np.testing.assert_array_equal(g.data, np.clip([-7.0, 0.25, 6.0], -5, 5))
    w = ag.tensor([-7.0, 6.0], requires_grad=True)
    with pytest.raises(RuntimeError, match=r"^clamp: out= does not support automatic differentiation"):
        ag.clamp(w, min=0.0, out=ag.zeros(2))
    torch = pytest.importorskip("torch")
    theirs = torch.tensor([-7.0, 0.25, 6.0], dtype=torch.float64)
    torch.clamp(theirs, -5, 5, out=theirs)
    np.testing.assert_array_equal(g.data, theirs.numpy())


def test_torchs_constants_are_python_floats_left_out_of_star_imports():
    # a PINN's forcing term as PyTorch code writes it: torch.sin(torch.pi * x)
    assert (ag.pi, ag.e, ag.inf) == (math.pi, math.e, math.inf) and math.isnan(ag.nan)
    assert all(type(value) is float for value in (ag.pi, ag.e, ag.inf, ag.nan))
    np.testing.assert_allclose(ag.sin(ag.pi * ag.tensor([0.5, 1.0])).data, [1.0, np.sin(np.pi)], rtol=1e-15)
    namespace = {}
    exec("from autograd_core import *", namespace)
    assert not {"pi", "e", "inf", "nan"} & set(namespace)


def test_torchs_constants_match_torch():
    torch = pytest.importorskip("torch")
    assert (ag.pi, ag.e, ag.inf) == (torch.pi, torch.e, torch.inf) and math.isnan(torch.nan)


def test_from_numpy_takes_a_tensor_that_numpys_functions_gave():
    # 02_pytorch_classification's plot_decision_boundary: np.meshgrid(np.linspace(X[:, 0].min() - 0.1, ...)) gives
    # Tensors here (arrays in PyTorch), then torch.from_numpy(np.column_stack((xx.ravel(), yy.ravel()))).float()
    X = ag.tensor([[0.0, 1.0], [2.0, 3.0]])
    xx, yy = np.meshgrid(np.linspace(X[:, 0].min() - 0.1, X[:, 0].max() + 0.1, 3), np.linspace(0.0, 1.0, 2))
    grid = ag.from_numpy(np.column_stack((xx.ravel(), yy.ravel()))).float()
    expected_xx, expected_yy = np.meshgrid(np.linspace(-0.1, 2.1, 3), np.linspace(0.0, 1.0, 2))
    np.testing.assert_allclose(grid.data, np.column_stack((expected_xx.ravel(), expected_yy.ravel())), rtol=1e-7)
    assert grid.dtype == np.float32
    constant = ag.tensor([1.0, 2.0])
    assert np.shares_memory(ag.from_numpy(constant).data, constant.data)
    with pytest.raises(TypeError, match="from_numpy: expects a numpy.ndarray, got a Tensor that requires grad"):
        ag.from_numpy(ag.tensor([1.0], requires_grad=True))


def test_is_tensor_is_true_of_tensors_only_as_torchs():
    # torchdiffeq's _check_inputs asserts torch.is_tensor(t); an ndarray, a list or a number is no Tensor
    import nn
    values = [ag.tensor([1.0]), ag.tensor(2.0, requires_grad=True) * 3, nn.Parameter(np.zeros(2)), np.ones(2), [1.0],
              1.0]
    assert [ag.is_tensor(v) for v in values] == [True, True, True, False, False, False]
    torch = pytest.importorskip("torch")
    assert [torch.is_tensor(v) for v in [torch.ones(1), np.ones(2), [1.0], 1.0]] == [True, False, False, False]



def test_private_assert_raises_assertion_error_with_the_message_as_torchs():
    # torchvision's models and detection code check with torch._assert(condition, message) (Matcher's thresholds)
    assert ag._assert(ag.tensor(2.0) > 1, "unused") is None
    assert ag._assert(True, "unused") is None
    with pytest.raises(AssertionError, match="^low_threshold should be <= high_threshold$"):
        ag._assert(0.5 <= 0.4, "low_threshold should be <= high_threshold")
    with pytest.raises(AssertionError, match="^a zero Tensor$"):
        ag._assert(ag.tensor(0), "a zero Tensor")
    star_imported = {}
    exec("from autograd_core import *", star_imported)
    assert "_assert" not in star_imported  # private, as torch._assert: Python's assert statement is no name anyway
    torch = pytest.importorskip("torch")
    assert torch._assert(torch.tensor(2.0) > 1, "unused") is None
    with pytest.raises(AssertionError, match="^a zero Tensor$"):
        torch._assert(torch.tensor(0), "a zero Tensor")

# ---- randint_like ------------------------------------------------------------------------------------------------
def test_randint_like_keeps_the_shape_and_dtype_as_pytorchs():
    """score_sde_pytorch's Rademacher probe, torch.randint_like(x, low=0, high=2).float() * 2 - 1: the input's shape,
    and its dtype (a float input gives whole floats), NumPy's integers for the seed."""
    x = ag.zeros((2, 1, 3, 3), dtype=np.float32)
    probe = ag.randint_like(x, low=0, high=2, rng=0).float() * 2 - 1
    expected = np.random.default_rng(0).integers(0, 2, size=(2, 1, 3, 3)).astype(np.float32) * 2 - 1
    np.testing.assert_array_equal(probe.data, expected)
    assert probe.dtype == np.float32 and probe.shape == x.shape
    np.testing.assert_array_equal(ag.randint_like(x, 5, rng=1).data,
                                  np.random.default_rng(1).integers(0, 5, size=x.shape).astype(np.float32))
    between = ag.randint_like(ag.zeros(1000, dtype=np.int64), 3, 6, rng=2)
    assert between.dtype == np.int64 and set(np.unique(between.data)) == {3, 4, 5}
    assert ag.randint_like(x, 2, dtype=np.int8, rng=0).dtype == np.int8
    torch = pytest.importorskip("torch")
    theirs = torch.randint_like(torch.zeros(2, 1, 3, 3), low=0, high=2)
    assert theirs.dtype == torch.float32 and set(theirs.unique().tolist()) <= {0.0, 1.0}
    assert torch.randint_like(torch.zeros(3, dtype=torch.int64), 3, 6).dtype == torch.int64


def test_randint_like_errors_name_it():
    x = ag.zeros(3)
    with pytest.raises(TypeError, match=r"randint_like: high is required"):
        ag.randint_like(x)
    with pytest.raises(TypeError, match=r"randint_like: give randint_like\(input, high\)"):
        ag.randint_like(x, 1, 2, 3)
    with pytest.raises(ValueError, match="randint_like: randint: expects low < high, got low=2, high=1"):
        ag.randint_like(x, 2, 1)
    with pytest.raises(TypeError, match="randint_like: input must be a Tensor"):
        ag.randint_like((3,), 2)
    with pytest.raises(ValueError, match="randint_like: randint: device 'cuda' is not available"):
        ag.randint_like(x, 2, device="cuda")


def test_kthvalue_is_the_kth_smallest_and_its_index_with_a_gradient_to_it():
    values = np.random.default_rng(0).permutation(24).reshape(2, 3, 4).astype(np.float64)  # distinct: no ties
    x = ag.tensor(values, requires_grad=True)
    for k, dim, keepdim in ((1, -1, False), (3, 1, True), (2, 0, False), (4, 2, True)):
        result = ag.kthvalue(x, k, dim, keepdim)
        expected_indices = np.take(np.argsort(values, axis=dim), [k - 1], axis=dim)  # NumPy reference
        expected_values = np.take_along_axis(values, expected_indices, axis=dim)
        if not keepdim:
            expected_indices, expected_values = (a.squeeze(dim) for a in (expected_indices, expected_values))
        np.testing.assert_array_equal(result.values.data, expected_values)
        np.testing.assert_array_equal(result.indices.data, expected_indices)
        assert result.indices.dtype == np.int64
    x.kthvalue(2, dim=1).values.sum().backward()  # the method; the gradient reaches the entries chosen
    chosen = np.zeros_like(values)
    np.put_along_axis(chosen, np.argsort(values, axis=1)[:, 1:2], 1.0, axis=1)
    np.testing.assert_array_equal(x.grad.data, chosen)
    assert ag.kthvalue(ag.tensor(4.0), 1) == (4.0, 0)


def test_kthvalue_edges_and_errors():
    nan = ag.kthvalue(ag.tensor([[np.nan, 0.0, 5.0]]), 3)  # NaN is the largest, as torch's
    assert np.isnan(nan.values.item()) and nan.indices.item() == 0
    assert ag.kthvalue(ag.tensor([1.0, 2.0, 1.0]), 1).indices.item() == 0  # ties: the lower index
    with pytest.raises(ValueError, match=r"kthvalue: k=4 is out of range for dimension 1 of size 3; k must be in "
                                         r"\[1, 3\]"):
        ag.kthvalue(ag.ones((2, 3)), 4)
    with pytest.raises(IndexError, match="kthvalue: dim 2 is out of range"):
        ag.kthvalue(ag.ones((2, 3)), 1, dim=2)


def test_kthvalue_matches_torch():
    torch = pytest.importorskip("torch")
    values = np.random.default_rng(1).standard_normal((3, 5))
    for k, dim, keepdim in ((1, 1, False), (5, 1, True), (2, 0, False)):
        ours, theirs = ag.kthvalue(ag.tensor(values), k, dim, keepdim), torch.kthvalue(torch.tensor(values), k, dim,
                                                                                       keepdim)
        np.testing.assert_array_equal(ours.values.data, theirs.values.numpy())
        np.testing.assert_array_equal(ours.indices.data, theirs.indices.numpy())


def test_concat_is_cat_as_torch_concat():
    """torch.concat (thuml's TiDE: torch.concat([x_mark_enc, marks], dim=1)) joins as cat, gradients split back."""
    first = ag.tensor([[1.0, 2.0]], requires_grad=True)
    second = ag.tensor([[3.0, 4.0], [5.0, 6.0]], requires_grad=True)
    joined = ag.concat([first, second], dim=0)
    np.testing.assert_array_equal(joined.data, [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    (joined * ag.tensor([[1.0], [2.0], [3.0]])).sum().backward()
    np.testing.assert_array_equal(first.grad.data, [[1.0, 1.0]])
    np.testing.assert_array_equal(second.grad.data, [[2.0, 2.0], [3.0, 3.0]])
    np.testing.assert_array_equal(ag.concat([first, second], axis=0).data, joined.data)  # (NumPy 2's np.concat)
    torch = pytest.importorskip("torch")
    expected = torch.concat([torch.tensor(first.data), torch.tensor(second.data)], dim=0)
    np.testing.assert_array_equal(joined.data, expected.numpy())


@pytest.mark.parametrize("shape, dim, index", [((2, 3, 4), 1, 2), ((2, 3, 4), -1, -4), ((5,), 0, -1), ((2, 3), 0, 1)])
def test_select_is_the_slice_at_index_along_dim(shape, dim, index):
    x = np.arange(float(np.prod(shape))).reshape(shape)
    t = ag.tensor(x, requires_grad=True)
    picked = t.select(dim, index)
    expected = np.take(x, index, axis=dim)
    np.testing.assert_array_equal(picked.data, expected)
    assert picked.shape == expected.shape
    (picked * 2.0).sum().backward()
    hit = np.zeros(shape)
    hit[(slice(None),) * (dim % len(shape)) + (index,)] = 2.0
    np.testing.assert_array_equal(t.grad.data, hit)
    torch = pytest.importorskip("torch")
    np.testing.assert_array_equal(picked.data, torch.tensor(x).select(dim, index).numpy())


@pytest.mark.parametrize("call, error, message", [
    (lambda t: t.select(2, 0), IndexError, r"select: dim 2 is out of range for a Tensor of 2 dimensions"),
    (lambda t: t.select(1, 3), IndexError, r"select: index 3 is out of range for dimension 1 of size 3; it must be "
                                           r"in \[-3, 2\]"),
    (lambda t: t.select(0, 1.0), TypeError, r"select: index must be an int, got 1.0"),
    (lambda t: t.sum().select(0, 0), IndexError, r"select: input is 0-d"),
])
def test_select_errors_name_the_dimension_and_valid_range(call, error, message):
    with pytest.raises(error, match=message):
        call(ag.zeros((2, 3)))


def _topk_indices_by_full_sort(x, k, axis, largest):
    """The k first of a stable sort of the whole axis (descending for largest: x reversed, sorted, read backwards)."""
    if largest:
        order = x.shape[axis] - 1 - np.flip(np.argsort(np.flip(x, axis), axis=axis, kind="stable"), axis)
    else:
        order = np.argsort(x, axis=axis, kind="stable")
    return np.take(order, np.arange(k), axis=axis)


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_topk_below_the_whole_axis_picks_and_orders_as_a_full_stable_sort(data):
    # k < n takes a partition rather than sorting whole rows; with few distinct values (many ties, also at the k-th
    # value) it must give the same indices: values in order, ties by lower index
    ndim = data.draw(st.integers(1, 3))
    shape = tuple(data.draw(st.lists(st.integers(1, 6), min_size=ndim, max_size=ndim)))
    axis = data.draw(st.integers(-ndim, ndim - 1))
    k = data.draw(st.integers(0, shape[axis]))
    largest = data.draw(st.booleans())
    dtype = data.draw(st.sampled_from([np.float64, np.float32, np.int64, np.uint8]))
    x = np.random.default_rng(data.draw(st.integers(0, 2 ** 32 - 1))).integers(-1, 2, shape).astype(dtype)
    with pytest.MonkeyPatch.context() as patch:  # the partition path from the smallest size (else from 4096)
        patch.setattr(ag.torch_functions, "_PARTITION_FROM", 0)
        values, indices = ag.topk(ag.tensor(x), k, dim=axis, largest=largest)
    expected = _topk_indices_by_full_sort(x, k, axis, largest)
    np.testing.assert_array_equal(indices.data, expected)
    assert indices.dtype == np.int64 and values.dtype == dtype
    np.testing.assert_array_equal(values.data, np.take_along_axis(x, expected, axis))


def test_topk_of_the_k_nearest_points_matches_torch_and_sends_gradients_to_the_picked():
    # DGCNN's knn: the k largest negative squared distances of each point (itself first, at distance 0)
    points = np.random.default_rng(3).standard_normal((2, 3, 50))  # 5000 distances: the partition path
    inner = -2 * np.einsum("bcn,bcm->bnm", points, points)
    squared = (points ** 2).sum(1, keepdims=True)
    negative_distance = -squared - inner - squared.transpose(0, 2, 1)
    x = ag.tensor(negative_distance, requires_grad=True)
    values, indices = x.topk(k=5, dim=-1)
    expected = _topk_indices_by_full_sort(negative_distance, 5, -1, True)
    np.testing.assert_array_equal(indices.data, expected)
    np.testing.assert_array_equal(indices.data[..., 0], np.broadcast_to(np.arange(50), (2, 50)))  # each point itself
    values.sum().backward()
    picked = np.zeros_like(negative_distance)
    np.put_along_axis(picked, expected, 1.0, -1)
    np.testing.assert_array_equal(x.grad.data, picked)
    torch = pytest.importorskip("torch")
    theirs = torch.tensor(negative_distance).topk(k=5, dim=-1)
    np.testing.assert_array_equal(indices.data, theirs.indices.numpy())  # no ties: one answer
    np.testing.assert_array_equal(values.data, theirs.values.numpy())


def test_topk_with_a_nan_below_the_whole_axis_still_counts_it_largest():
    # past the partition path's size, which a NaN sends back to the full sort
    rows = np.full((2, 5004), -9.0)
    rows[:, :4] = [[1.0, np.nan, 3.0, 3.0], [0.0, 2.0, 2.0, -1.0]]
    values, indices = ag.topk(ag.tensor(rows), 2)
    np.testing.assert_array_equal(indices.data, [[1, 2], [1, 2]])
    np.testing.assert_array_equal(values.data, [[np.nan, 3.0], [2.0, 2.0]])
    np.testing.assert_array_equal(ag.topk(ag.tensor(rows[:, :4]), 2, largest=False).indices.data, [[0, 2], [3, 0]])


# ---- clamp and clip, found by porting PyTorch's test_shape_ops (test_clamp, test_clamp_raises_arg_errors) ----
@pytest.mark.parametrize("bounds", [(-10, 10), (-10, None), (None, 10)])
@pytest.mark.parametrize("dtype", [np.int64, np.float32])
def test_clip_takes_out_as_torch_clip_and_an_empty_out_is_resized(bounds, dtype):
    torch = pytest.importorskip("torch")
    x = np.linspace(-25, 25, 11).astype(dtype)
    expected = torch.clip(torch.tensor(x), *bounds).numpy()
    out = ag.empty_like(ag.tensor(x))
    assert ag.clip(ag.tensor(x), *bounds, out=out) is out
    np.testing.assert_array_equal(out.data, expected)
    for call in (ag.clip, ag.clamp):  # an empty out takes the result's shape, as PyTorch resizes it
        empty = ag.tensor(np.zeros(0, dtype))
        assert call(ag.tensor(x), min=bounds[0], max=bounds[1], out=empty) is empty
        assert empty.shape == (11,) and empty.dtype == dtype
        np.testing.assert_array_equal(empty.data, expected)
    with pytest.raises(ValueError, match=r"^clip: out= has shape \(3,\), the result has shape \(11,\)"):
        ag.clip(ag.tensor(x), *bounds, out=ag.zeros(3))


@pytest.mark.parametrize("call", [lambda m, t: t.clamp(), lambda m, t: t.clamp_(), lambda m, t: m.clamp(t),
                                  lambda m, t: t.clip_(None, None)])
def test_clamp_without_a_bound_raises_torchs_runtime_error_too(call):
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError, match="At least one of 'min' or 'max' must not be None"):
        call(torch, torch.ones(3))
    with pytest.raises(ValueError, match="^clamp: at least one of 'min' or 'max' must not be None") as caught:
        call(ag, ag.ones(3))
    assert isinstance(caught.value, RuntimeError)


@pytest.mark.parametrize("indices, dim", [(np.array([[[2], [0], [1], [1]]]), 2), (np.array([[[0, 1, 1]]]), 0),
                                          (np.array([3, 0, 23]), None), (np.array([[5], [7]]), None),
                                          (np.array([[[1, 0, 0]]]), -1)])
def test_take_along_dim_is_torchs_with_its_gradient(indices, dim):
    # torch.take_along_dim, missing (found checking the shape functions next to PyTorch's test_shape_ops): NumPy's
    # take_along_axis with dim=, both flattened for dim None, input and indices broadcast off dim
    torch = pytest.importorskip("torch")
    x = np.arange(24.0).reshape(2, 4, 3) / 7
    t = torch.tensor(x, requires_grad=True)
    expected = torch.take_along_dim(t, torch.tensor(indices), dim)
    (expected * expected).sum().backward()
    for call in (lambda a: ag.take_along_dim(a, ag.tensor(indices), dim), lambda a: a.take_along_dim(indices, dim)):
        a = ag.tensor(x, requires_grad=True)
        got = call(a)
        np.testing.assert_array_equal(got.data, expected.detach().numpy())
        (got * got).sum().backward()
        np.testing.assert_allclose(a.grad.data, t.grad.numpy(), rtol=1e-15)
