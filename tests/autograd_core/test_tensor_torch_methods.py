"""PyTorch's Tensor methods on the Tensor class (autograd_core/tensor.py and the modules that set them): view (a view
or a refusal, as torch's), unsqueeze, permute, t, numel, dim, float and double, clone (and ag.clone), each against
PyTorch where it is installed."""
import numpy as np
import pytest

import autograd_core as ag


def test_pytorchs_names_for_shape_operations_give_pytorchs_results():
    torch = pytest.importorskip("torch")
    values = np.arange(24.0).reshape(2, 3, 4)
    t, reference = ag.tensor(values, requires_grad=True), torch.tensor(values, requires_grad=True)
    for ours, theirs in ((t.view(4, 6), reference.view(4, 6)), (t.unsqueeze(1), reference.unsqueeze(1)),
                         (t.permute(2, 0, 1), reference.permute(2, 0, 1)), (t.clone(), reference.clone()),
                         (t[0].t(), reference[0].t()), (t[0, 0].t(), reference[0, 0].t())):
        np.testing.assert_array_equal(ours.data, theirs.detach().numpy())
        (ours * ours).sum().backward()
        (theirs * theirs).sum().backward()
    np.testing.assert_array_equal(t.grad.data, reference.grad.numpy())
    assert t.numel() == reference.numel() == 24
    with pytest.raises(ValueError, match=r"t: expects a Tensor of at most 2 dimensions, got shape \(2, 3, 4\)"):
        t.t()  # as torch's t()


def test_view_shares_memory_with_its_tensor_or_is_refused_as_torchs():
    values = np.arange(6.0).reshape(2, 3)
    t = ag.tensor(values.copy())
    flat = t.view(-1)
    with ag.no_grad():
        flat += 100.0  # a write through the view reaches the Tensor
    np.testing.assert_array_equal(t.data, values + 100.0)
    with pytest.raises(RuntimeError, match=r"view: a Tensor of shape \(3, 2\) and strides \(8, 24\) has no view of "
                                           r"shape \(6,\) .* use reshape, which copies"):
        t.T.view(-1)  # only a copy has that order
    assert t.T.view(3, 1, 2).shape == (3, 1, 2) and ag.tensor(np.zeros((0, 3))).T.view(-1).shape == (0,)
    torch = pytest.importorskip("torch")
    reference = torch.tensor(values)
    with pytest.raises(RuntimeError, match="view size is not compatible"):
        reference.T.view(-1)
    assert reference.T.view(3, 1, 2).shape == (3, 1, 2)


def test_dim_float_and_double_are_ndim_and_differentiable_casts():
    t = ag.tensor(np.arange(6.0).reshape(2, 3), requires_grad=True)
    assert t.dim() == 2 and ag.tensor(1.5).dim() == 0
    single = t.float()
    assert single.dtype == np.float32 and single.requires_grad
    (single.double() * np.arange(6.0).reshape(2, 3)).sum().backward()  # d/dt of sum(t * c) is c, through both casts
    assert single.double().dtype == np.float64
    np.testing.assert_array_equal(t.grad.data, np.arange(6.0).reshape(2, 3))
    assert ag.tensor([1, 2]).float().dtype == np.float32 and float(ag.tensor(2.5)) == 2.5  # (the builtin still works)
    torch = pytest.importorskip("torch")
    assert torch.ones(2, 3).dim() == 2 and torch.ones(2, dtype=torch.float64).float().dtype == torch.float32


def test_clone_and_copy_have_memory_of_their_own_and_pass_the_gradient_through():
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    twin = w.clone()
    assert twin.copy().data.tolist() == np.copy(w).data.tolist() == [1.0, 2.0]
    with ag.no_grad():
        w += 1.0
    assert twin.data.tolist() == [1.0, 2.0]  # (the copy, not a view: a change to w leaves it alone)
    (3 * twin).sum().backward()
    np.testing.assert_array_equal(w.grad.data, [3.0, 3.0])


def test_torch_clone_is_the_method_as_a_function():
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    saved = ag.clone(w).detach()  # (an HMC step keeping the position it may return to)
    with ag.no_grad():
        w += 1.0
    assert saved.data.tolist() == [1.0, 2.0] and not saved.requires_grad
    (2 * ag.clone(w)).sum().backward()
    np.testing.assert_array_equal(w.grad.data, [2.0, 2.0])
    torch = pytest.importorskip("torch")
    assert torch.clone(torch.tensor([2.0, 3.0])).tolist() == ag.clone(ag.tensor([2.0, 3.0])).tolist()


def test_t_of_a_vector_is_a_new_non_leaf_tensor_as_pytorch():
    torch = pytest.importorskip("torch")
    theirs = torch.tensor([1.0, 2.0], requires_grad=True)
    ours = ag.tensor([1.0, 2.0], requires_grad=True)
    assert theirs.t() is not theirs and not theirs.t().is_leaf
    assert ours.t() is not ours and not ours.t().is_leaf


@pytest.mark.parametrize("dim", [True, (0, 1)])
def test_unsqueeze_takes_one_int_dim_as_pytorch(dim):
    torch = pytest.importorskip("torch")
    with pytest.raises(TypeError):
        torch.zeros((2, 3)).unsqueeze(dim)
    with pytest.raises(TypeError):
        ag.zeros((2, 3)).unsqueeze(dim)


def test_histogram_method_is_ag_histogram_with_torchs_keywords():
    # found by porting PyTorch's OpInfo entries through their method variants: t.histogram was missing (t.histc and
    # t.bincount were there); the counts stay ag.histogram's int64 (see README: Where it differs)
    torch = pytest.importorskip("torch")
    values, weights = np.array([0.5, 1.5, 1.5, 3.0]), np.array([1.0, 2.0, 0.5, 1.0])
    for args, kwargs in (((3,), {}), ((3,), {"range": (0.0, 4.0), "weight": weights}), ((2,), {"density": True})):
        their_kwargs = {k: torch.from_numpy(v) if isinstance(v, np.ndarray) else v for k, v in kwargs.items()}
        hist, edges = torch.from_numpy(values).histogram(*args, **their_kwargs)
        our_kwargs = {k: ag.tensor(v) if isinstance(v, np.ndarray) else v for k, v in kwargs.items()}
        ours_hist, ours_edges = ag.tensor(values).histogram(*args, **our_kwargs)
        np.testing.assert_allclose(ours_hist.data, hist.numpy())
        np.testing.assert_allclose(ours_edges.data, edges.numpy())
