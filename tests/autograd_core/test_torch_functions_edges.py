"""PyTorch's functions (autograd_core/torch_functions.py), continued: ag.all and ag.any, torch.all and torch.any,
which makemore's gradient check calls (torch.all(dt == t.grad).item()); served by the package's __getattr__ so that
`from autograd_core import *` leaves Python's all and any alone; ag.mul, ag.matmul and ag.clamp with out= (the
tensors tutorial's torch.matmul(t, t.T, out=y3) and torch.mul(t, t, out=z3)); ag.randint_like; ag.kthvalue
(torchattacks' least-likely target label); t.select (galsang's BiDAF: q.select(1, i)); ag._assert
(torchvision's torch._assert); topk's partition path for k < n (DGCNN's k nearest points)."""
import array
import math
import warnings

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


# ---- take_along_dim (added for PyTorch's test_indexing.py) ----

@pytest.mark.parametrize("shape, index, dim", [
    ((3, 4), [[0, 3, 3], [1, 1, 0], [2, 0, 1]], 1),
    ((3, 4, 1), np.ones((1, 2, 5), np.int64), 1),  # input and indices broadcast against each other off dim
    ((3, 4), [[2], [0]], 0),
    ((3, 4), [0, 5, 5, 11], None),  # input flattened
    ((3, 4), [[0, 5], [11, 5]], None),  # indices flattened too
    ((3, 4, 5), np.ones((3, 0, 5), np.int64), 1),
])
def test_take_along_dim_matches_torch_values_and_gradients(shape, index, dim):
    torch = pytest.importorskip("torch")
    values = np.random.default_rng(0).normal(size=shape)
    x, tx = ag.tensor(values, requires_grad=True), torch.tensor(values, requires_grad=True)
    ours = ag.take_along_dim(x, ag.tensor(index), dim=dim)
    theirs = torch.take_along_dim(tx, torch.tensor(np.asarray(index)), dim=dim)
    np.testing.assert_array_equal(ours.data, theirs.detach().numpy())
    cotangent = np.arange(ours.size, dtype=float).reshape(ours.shape)
    ours.backward(cotangent)
    theirs.backward(torch.tensor(cotangent))
    np.testing.assert_array_equal(x.grad.data, tx.grad.numpy())
    np.testing.assert_array_equal(x.take_along_dim(ag.tensor(index), dim).data, ours.data)  # the method


def test_take_along_dim_refuses_indices_of_another_rank_and_a_dim_out_of_range():
    x = ag.ones((2, 3, 1, 4))
    with pytest.raises(RuntimeError, match=r"take_along_dim: input and indices must have the same number of "
                                           r"dimensions, got input of shape \(2, 3, 1, 4\) and indices of shape "
                                           r"\(3, 1, 4\)") as caught:
        ag.take_along_dim(x, ag.zeros((3, 1, 4), dtype=np.int64), dim=0)
    assert isinstance(caught.value, ValueError)
    for dim in (-5, 4):
        with pytest.raises(IndexError, match=r"take_along_dim: dim .* is out of range"):
            ag.take_along_dim(x, ag.zeros((2, 3, 1, 4), dtype=np.int64), dim=dim)
    for bad in (-4, 3):  # (negative positions count from the end: test_torch_indexing.py)
        with pytest.raises(IndexError, match=rf"take_along_dim: index {bad} is out of bounds for dimension 1"):
            ag.take_along_dim(x, ag.full((2, 1, 1, 4), bad, dtype=np.int64), dim=1)


# ---- gather and the scatters: an empty index keeps the dtype; errors are PyTorch's RuntimeError too --------------
@pytest.mark.parametrize("dtype", [np.int8, np.uint8, np.int32, np.bool_, np.float16])
@pytest.mark.parametrize("name", ["scatter", "scatter_add", "scatter_reduce"])
def test_an_empty_index_leaves_input_of_its_dtype(name, dtype):
    # found by porting PyTorch's test_scatter_gather_ops: with no index, input came back plus an empty sum of src,
    # which NumPy sums in int64, so an int8 input came back int64 and t.scatter_reduce_ on a bool one was refused
    torch = pytest.importorskip("torch")
    x, src, index = np.ones((2, 2), dtype), np.zeros((2, 2), dtype), np.zeros((0,), np.int64)
    args = ("amax",) if name == "scatter_reduce" else ()
    out = getattr(ag, name)(ag.tensor(x), 0, ag.tensor(index), ag.tensor(src), *args)
    expected = getattr(torch, name)(torch.tensor(x), 0, torch.tensor(index), torch.tensor(src), *args).numpy()
    assert out.dtype == expected.dtype
    np.testing.assert_array_equal(out.data, expected)
    t = ag.tensor(x)
    assert getattr(t, name + "_")(0, ag.tensor(index), ag.tensor(src), *args) is t
    np.testing.assert_array_equal(t.data, x)


@pytest.mark.parametrize("call, numpys, message", [
    (lambda m, x: m.gather(x, 0, m.tensor([[5]])), IndexError, "gather: index 5 is out of bounds for dimension 0"),
    (lambda m, x: m.scatter(x, 0, m.tensor([[5]]), 1.0), IndexError, "scatter: index 5 is out of bounds"),
    (lambda m, x: m.gather(x, 0, m.tensor([[0.5]])), TypeError, "gather: index must be an integer"),
    (lambda m, x: m.gather(x, 0, m.tensor([0])), ValueError, "gather: index must have as many dimensions"),
    (lambda m, x: m.gather(x, 0, m.tensor([[0] * 5])), ValueError, "gather: index of shape \\(1, 5\\) must be no"),
    (lambda m, x: m.scatter_add(x, 0, m.tensor([[0, 1]]), m.ones((1, 1))), ValueError, "scatter_add: src \\(shape"),
    (lambda m, x: m.scatter_add(x, 0, m.tensor([[0]]), m.ones((1, 1), dtype=m.int64)), TypeError,
     "scatter_add: src's dtype int64 must be input's"),
    (lambda m, x: m.topk(x, 5), ValueError, "topk: k=5 is out of range for dimension 1 of size 4"),
    (lambda m, x: m.kthvalue(x, 0), ValueError, "kthvalue: k=0 is out of range"),
    (lambda m, x: m.searchsorted(x, m.zeros((2, 1))), ValueError, "searchsorted: a must be 1-D"),
    (lambda m, x: m.bucketize(m.zeros(1), x), ValueError, "bucketize: boundaries must be 1-D"),
])
def test_gather_scatter_and_selection_errors_are_numpys_class_and_pytorchs_runtime_error(call, numpys, message):
    # found by porting PyTorch's test_scatter_gather_ops and test_sort_and_select: PyTorch raises RuntimeError for
    # each of these, and the IndexError, TypeError and ValueError raised here were not one
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        call(torch, torch.zeros((3, 4), dtype=torch.float64))
    with pytest.raises(numpys, match=message) as raised:
        call(ag, ag.zeros((3, 4)))
    assert isinstance(raised.value, RuntimeError)


@pytest.mark.filterwarnings("ignore:The reduce argument of torch.scatter")
@pytest.mark.parametrize("reduce", ["add", "multiply"])
@pytest.mark.parametrize("scalar", [False, True])
def test_scatter_takes_pytorchs_reduce(reduce, scalar):
    # found by porting PyTorch's test_scatter_gather_ops (test_scatter__reductions): scatter and scatter_ had no
    # reduce=; it accumulates src (or the value) into input, repeated indices too
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    x, src, index = rng.normal(size=(4, 3)), rng.normal(size=(3, 3)), rng.integers(0, 4, (2, 3))
    source = 1.5 if scalar else src
    expected = torch.scatter(torch.tensor(x), 0, torch.tensor(index), source if scalar else torch.tensor(src),
                             reduce=reduce)
    got = ag.scatter(ag.tensor(x), 0, ag.tensor(index), source if scalar else ag.tensor(src), reduce=reduce)
    np.testing.assert_allclose(got.data, expected.numpy(), rtol=1e-15)
    t = ag.tensor(x)
    assert t.scatter_(0, ag.tensor(index), source if scalar else ag.tensor(src), reduce=reduce) is t
    np.testing.assert_allclose(t.data, expected.numpy(), rtol=1e-15)
    if not scalar and reduce == "add":  # the gradient: scatter_reduce's 'sum' (torch's scatter(reduce=) has none)
        part = src[:2]
        a, b = ag.tensor(x, requires_grad=True), ag.tensor(part, requires_grad=True)
        ta, tb = torch.tensor(x, requires_grad=True), torch.tensor(part, requires_grad=True)
        ag.scatter(a, 0, ag.tensor(index), b, reduce=reduce).sum().backward()
        torch.scatter_reduce(ta, 0, torch.tensor(index), tb, "sum").sum().backward()
        np.testing.assert_array_equal(a.grad.data, ta.grad.numpy())
        np.testing.assert_array_equal(b.grad.data, tb.grad.numpy())
    with pytest.raises(ValueError, match="scatter: reduce must be 'add' or 'multiply'.*got 'sum'.*scatter_reduce"):
        ag.scatter(ag.tensor(x), 0, ag.tensor(index), 1.0, reduce="sum")
    with pytest.raises(RuntimeError):  # (PyTorch's class too)
        torch.scatter(torch.tensor(x), 0, torch.tensor(index), 1.0, reduce="sum")
    with pytest.raises(RuntimeError):
        ag.scatter(ag.tensor(x), 0, ag.tensor(index), 1.0, reduce="sum")
    with pytest.raises(TypeError, match="^scatter: src's dtype float32 must be input's"):
        ag.scatter(ag.tensor(x), 0, ag.tensor(index), ag.tensor(src, dtype=np.float32), reduce=reduce)


# ---- asarray: torch's, added on porting PyTorch's test_tensor_creation_ops (TestAsArray) ---------------------------
@pytest.mark.parametrize("convert", [lambda t: t, lambda t: t.numpy(), lambda t: memoryview(t.numpy())])
def test_asarray_shares_memory_unless_a_copy_is_asked_or_needed(convert):
    original = ag.tensor(np.arange(5.0))
    for kwargs in ({}, {"copy": False}, {"dtype": ag.float64}, {"device": "cpu", "copy": False},
                   {"requires_grad": True}):
        result = ag.asarray(convert(original), **kwargs)
        assert np.shares_memory(result.data, original.data)
        assert result.requires_grad == kwargs.get("requires_grad", False) and not original.requires_grad
    for kwargs in ({"copy": True}, {"dtype": ag.float32}, {"dtype": ag.int64, "copy": True}):
        result = ag.asarray(convert(original), **kwargs)
        assert not np.shares_memory(result.data, original.data)
        np.testing.assert_array_equal(result.data, original.data.astype(kwargs.get("dtype", np.float64)))
        assert result.dtype == kwargs.get("dtype", np.float64)


# Found on porting PyTorch's test_type_promotion.py: asarray(array.array("d", ...)) copied, where np.asarray views
# the buffer (PyTorch shares it too, reading its bytes as its default dtype; here NumPy reads the buffer's own format).
@pytest.mark.parametrize("buffer, dtype", [(array.array("d", [1.0, 2.0]), np.float64),
                                           (array.array("i", [1, 2]), np.int32), (bytearray(b"\x01\x02"), np.uint8)])
def test_asarray_of_a_buffer_of_numbers_shares_its_memory_as_numpy(buffer, dtype):
    t = ag.asarray(buffer)
    assert t.dtype == dtype and t.data.tolist() == list(buffer)
    t[0] = 7
    assert buffer[0] == 7 and np.asarray(buffer)[0] == 7
    assert ag.asarray(buffer, copy=False).data.tolist() == t.data.tolist()
    assert not np.shares_memory(ag.asarray(buffer, copy=True).data, np.asarray(buffer))


def test_asarray_refuses_to_alias_what_it_must_copy():
    with pytest.raises(ValueError, match="with dtype 'float64' into dtype 'float32'"):
        ag.asarray(ag.ones(2), dtype=ag.float32, copy=False)
    with pytest.raises(ValueError, match="can't alias arbitrary sequence"):
        ag.asarray([1.0, 2.0], copy=False)


@pytest.mark.parametrize("kwargs", [{}, {"requires_grad": True}, {"copy": True}, {"requires_grad": True, "copy": True},
                                    {"requires_grad": False}, {"requires_grad": False, "copy": True}])
def test_asarray_keeps_a_graph_unless_requires_grad_is_false_as_torch(kwargs):
    torch = pytest.importorskip("torch")
    cloned = ag.tensor(np.ones(3), requires_grad=True) * 2.0
    with warnings.catch_warnings():  # (torch 2.14: "unspecified requires_grad now defaults to obj.requires_grad")
        warnings.simplefilter("ignore", UserWarning)
        theirs = torch.asarray(torch.ones(3, dtype=torch.float64, requires_grad=True) * 2.0, **kwargs)
    ours = ag.asarray(cloned, **kwargs)
    assert ours.requires_grad == theirs.requires_grad == kwargs.get("requires_grad", True)
    assert (ours.grad_fn is None) == (theirs.grad_fn is None)


def test_asarray_of_python_data_is_as_tensors():
    torch = pytest.importorskip("torch")
    for data in [True, 42, 1.0, [True, False], [1, 2, 42], [0.0, 1.0], [True, False, 0], [0, 1.0, 42], range(5)]:
        ours, same = ag.asarray(data), ag.as_tensor(data)
        assert ours.dtype == same.dtype
        np.testing.assert_array_equal(ours.data, same.data)
        np.testing.assert_array_equal(ours.data, torch.asarray(data).numpy())
    leaf = ag.asarray([1.0, 2.0], requires_grad=True)
    assert leaf.requires_grad and leaf.is_leaf


@pytest.mark.parametrize("dim", [0, 1])
def test_cat_writes_into_out_as_torchs_even_a_strided_view(dim):
    # found by porting PyTorch's test_tensor_creation_ops (test_cat_out, its issue 49878 case): cat had no out=
    torch = pytest.importorskip("torch")
    x, xt = ag.zeros((10, 5, 2)), torch.zeros((10, 5, 2), dtype=torch.float64)
    y, yt = x.narrow(dim, 0, x.shape[dim] - 3), xt.narrow(dim, 0, xt.shape[dim] - 3)
    val, vt = ag.full_like(y[0], 3.0), torch.full_like(yt[0], 3.0)
    assert ag.cat((val[None],) * y.shape[0], dim=0, out=y) is y
    torch.cat((vt[None],) * yt.shape[0], dim=0, out=yt)
    np.testing.assert_array_equal(x.data, xt.numpy())
    w = ag.tensor(np.arange(24.0))
    np.testing.assert_array_equal(ag.cat([w[:2], w[4:6]], out=w[6:10]).data, [0.0, 1.0, 4.0, 5.0])
    np.testing.assert_array_equal(w.data[6:10], [0.0, 1.0, 4.0, 5.0])
    with pytest.raises(RuntimeError, match="cat: out= does not support automatic differentiation"):
        ag.cat([ag.ones(2, requires_grad=True)], out=ag.zeros(2))


# ---- frombuffer: torch's, added on porting PyTorch's test_tensor_creation_ops (TestBufferProtocol) ----------------
@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int64, np.int8, np.uint8, np.bool_])
def test_frombuffer_views_the_buffer_as_torchs(dtype):
    torch = pytest.importorskip("torch")
    original = (np.arange(5) % 2 if dtype == np.bool_ else np.arange(5)).astype(dtype)
    size = original.itemsize
    for count, first in ((-1, 0), (2, 1), (5, 0), (1, 4)):
        ours = ag.frombuffer(memoryview(original), dtype=dtype, count=count, offset=first * size)
        theirs = torch.frombuffer(memoryview(original), dtype=getattr(torch, np.dtype(dtype).name), count=count,
                                  offset=first * size)
        np.testing.assert_array_equal(ours.data, theirs.numpy())
        assert ours.dtype == dtype and np.shares_memory(ours.data, original)
    ours = ag.frombuffer(memoryview(original), dtype=dtype)
    ours[:] = ours[1]  # (written into the buffer, as torch's)
    np.testing.assert_array_equal(original, np.full(5, original[1]))


def test_frombuffer_reinterprets_bytes_and_warns_for_a_read_only_buffer():
    np.testing.assert_array_equal(ag.frombuffer(np.array([-1, 0, 0, 0, -1, 0, 0, 0], dtype=np.byte),
                                                dtype=ag.int32).data, [255, 255])  # (little endian)
    with pytest.warns(UserWarning, match="not writable"):
        read_only = ag.frombuffer(np.float32(2.5).tobytes(), dtype=ag.float32)
    assert read_only.tolist() == [2.5]
    leaf = ag.frombuffer(bytearray(8), dtype=ag.float64, requires_grad=True)
    assert leaf.requires_grad and leaf.is_leaf
    with pytest.raises(TypeError, match="frombuffer: expects an object with the buffer protocol"):
        ag.frombuffer([1, 2, 3, 4], dtype=ag.int32)
    with pytest.raises(ValueError, match="frombuffer: offset must be non-negative"):
        ag.frombuffer(bytearray(8), dtype=ag.int32, offset=-4)


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


@pytest.mark.parametrize("indices, kind", [([[5], [0]], IndexError), ([[-3], [0]], IndexError),
                                           ([[0.5], [0.0]], TypeError)])
def test_take_along_dim_refuses_bad_indices_with_runtime_errors_as_gather(indices, kind):
    # found by review: gather's identical refusals are also RuntimeErrors, take_along_dim's were NumPy's class alone
    # (PyTorch 2.14's CPU take_along_dim does not check the range: index 5 of 2 returns a value; float indices it
    # refuses with a RuntimeError)
    with pytest.raises(kind, match="take_along_dim") as caught:
        ag.take_along_dim(ag.ones((2, 2)), ag.tensor(indices), 1)
    assert isinstance(caught.value, RuntimeError)


def test_take_along_dim_refuses_float_indices_as_torch():
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        torch.take_along_dim(torch.ones(2, 2), torch.tensor([[0.5], [0.0]]), 1)
    with pytest.raises(TypeError, match="take_along_dim") as caught:
        ag.take_along_dim(ag.ones((2, 2)), ag.tensor([[0.5], [0.0]]), 1)
    assert isinstance(caught.value, RuntimeError)
