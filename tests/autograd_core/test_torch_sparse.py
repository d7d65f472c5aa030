"""PyTorch's sparse COO names (autograd_core/torch_sparse.py) as the dense Tensors they stand for: sparse_coo_tensor
(repeated indices summed, differentiable in values), spmm (mm), to_sparse/to_dense (the Tensor itself), as
pytorch/examples' gcn and gat build and use a graph's normalised adjacency."""
import numpy as np
import pytest

import autograd_core as ag
from autograd_core.testing import gradcheck, gradgradcheck

INDICES = np.array([[0, 0, 1, 2], [1, 1, 2, 0]])


def test_sparse_coo_tensor_places_values_and_sums_repeated_indices():
    out = ag.sparse_coo_tensor(INDICES, ag.tensor([1.0, 2.0, 3.0, 4.0]), (3, 3))
    expected = np.zeros((3, 3))
    np.add.at(expected, tuple(INDICES), [1.0, 2.0, 3.0, 4.0])
    assert expected[0, 1] == 3.0
    np.testing.assert_array_equal(out.numpy(), expected)
    torch = pytest.importorskip("torch")
    reference = torch.sparse_coo_tensor(torch.tensor(INDICES), torch.tensor([1.0, 2.0, 3.0, 4.0], dtype=torch.float64),
                                        (3, 3), check_invariants=True).to_dense()
    np.testing.assert_array_equal(out.numpy(), reference.numpy())


def test_sparse_coo_tensor_infers_size_keeps_dense_axes_and_casts_dtype():
    values = ag.tensor(np.arange(8.0).reshape(4, 2))  # a hybrid tensor: one (2,) row per index
    out = ag.sparse_coo_tensor(INDICES, values)
    assert out.shape == (3, 3, 2)
    np.testing.assert_array_equal(out.numpy()[0, 1], [0.0 + 2.0, 1.0 + 3.0])
    np.testing.assert_array_equal(out.numpy()[2, 0], [6.0, 7.0])
    ones = ag.sparse_coo_tensor(INDICES, ag.ones(4), (3, 3), dtype=ag.int64)
    assert ones.dtype == np.int64 and ones.numpy()[0, 1] == 2
    torch = pytest.importorskip("torch")
    reference = torch.sparse_coo_tensor(torch.tensor(INDICES), torch.tensor(values.numpy()),
                                        check_invariants=True).to_dense()
    np.testing.assert_array_equal(out.numpy(), reference.numpy())


def test_sparse_coo_tensor_gradient_in_values_is_each_entrys_position_gradient():
    values = ag.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
    weights = np.arange(9.0).reshape(3, 3)
    (ag.sparse_coo_tensor(INDICES, values, (3, 3)) * weights).sum().backward()
    np.testing.assert_array_equal(values.grad.numpy(), weights[tuple(INDICES)])
    assert gradcheck(lambda v: ag.sparse_coo_tensor(INDICES, v, (3, 3)) ** 2, np.array([0.5, -1.0, 2.0, 1.5]))
    assert gradgradcheck(lambda v: ag.sparse_coo_tensor(INDICES, v, (3, 3)) ** 3, np.array([0.5, -1.0, 2.0, 1.5]))
    leaf = ag.sparse_coo_tensor(INDICES, [1.0, 2.0, 3.0, 4.0], (3, 3), requires_grad=True)
    assert leaf.requires_grad and leaf.grad_fn is None


@pytest.mark.parametrize("indices, values, size, match", [
    (np.array([[0, 3], [1, 1]]), [1.0, 2.0], (3, 3), "sparse_coo_tensor"),  # 3 is out of range for size 3
    (np.array([[0, 1], [1, 1]]), [1.0, 2.0, 3.0], (3, 3), "one entry"),
    (np.array([0, 1]), [1.0, 2.0], (3,), "2-D integer"),
    (np.array([[0, 1]]), [1.0, 2.0], (3, 3), "sparse axes"),
])
def test_sparse_coo_tensor_refuses_bad_indices_naming_shapes(indices, values, size, match):
    with pytest.raises((ValueError, IndexError), match=match):
        ag.sparse_coo_tensor(indices, ag.tensor(values), size)


def test_gcn_normalised_adjacency_and_spmm_equal_pytorchs():
    # gcn/main.py's load_cora: A + I, D^-1/2 (A + I) D^-1/2 built from COO edges, then spmm(adj, support)
    edges = np.array([[0, 1], [1, 2], [2, 0], [3, 1], [1, 2]])
    V = 4
    adj = ag.eye(V) + ag.sparse_coo_tensor(edges.T, ag.ones(len(edges)), (V, V), dtype=ag.int64)
    degree = ag.diag(ag.sqrt(1 / ag.sum(adj, dim=1))).to_sparse()
    norm_adj = (degree @ adj @ degree).to_sparse()
    assert norm_adj.to_dense() is norm_adj
    a = np.eye(V)
    np.add.at(a, tuple(edges.T), 1.0)
    d = np.diag(1 / np.sqrt(a.sum(1)))
    np.testing.assert_allclose(norm_adj.numpy(), d @ a @ d, rtol=1e-15)
    support = ag.tensor(np.arange(8.0).reshape(V, 2), requires_grad=True)
    out = ag.spmm(norm_adj, support)
    np.testing.assert_allclose(out.numpy(), d @ a @ d @ support.numpy(), rtol=1e-14)
    out.sum().backward()
    np.testing.assert_allclose(support.grad.numpy(), (d @ a @ d).T @ np.ones((V, 2)), rtol=1e-14)
    torch = pytest.importorskip("torch")
    t_coo = torch.sparse_coo_tensor(torch.tensor(edges.T), torch.ones(len(edges)), (V, V), dtype=torch.int64,
                                    check_invariants=True)
    t_adj = torch.eye(V, dtype=torch.float64) + t_coo
    t_deg = torch.diag(torch.sqrt(1 / torch.sum(t_adj, dim=1))).to_sparse()
    t_norm = (t_deg @ t_adj @ t_deg).to_sparse()
    t_support = torch.tensor(support.numpy(), requires_grad=True)
    t_out = torch.spmm(t_norm, t_support)
    t_out.sum().backward()
    np.testing.assert_allclose(out.numpy(), t_out.detach().numpy(), rtol=1e-14)
    np.testing.assert_allclose(support.grad.numpy(), t_support.grad.numpy(), rtol=1e-14)


def test_torch_sparse_namespace_mm_addmm_sum_on_the_dense_matrix():
    # pygcn's utils: torch.sparse.FloatTensor(indices, values, shape); then torch.sparse.mm / sum on it
    values = np.array([0.5, 2.0, 1.5, -1.0], np.float32)
    with pytest.warns(UserWarning, match=r"torch.sparse.SparseTensor\(indices, values, shape, \*, device=\) is "
                                         r"deprecated.  Please use torch.sparse_coo_tensor"):
        adj = ag.sparse.FloatTensor(ag.LongTensor(INDICES), ag.from_numpy(values), ag.Size([3, 3]))
    dense = np.zeros((3, 3), np.float32)
    np.add.at(dense, tuple(INDICES), values)
    assert adj.dtype == np.float32
    np.testing.assert_array_equal(adj.numpy(), dense)
    x = ag.tensor(np.arange(6.0, dtype=np.float32).reshape(3, 2), requires_grad=True)
    product = ag.sparse.mm(adj, x)
    np.testing.assert_array_equal(product.numpy(), dense @ x.numpy())
    product.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), dense.T @ np.ones((3, 2), np.float32))
    shifted = ag.sparse.addmm(ag.ones((3, 2), dtype=ag.float32), adj, x, beta=0.5, alpha=2.0)
    np.testing.assert_array_equal(shifted.numpy(), 0.5 + 2.0 * (dense @ x.numpy()))
    np.testing.assert_array_equal(ag.sparse.sum(adj, dim=1).numpy(), dense.sum(1))
    assert ag.sparse.sum(adj).item() == dense.sum()
    torch = pytest.importorskip("torch")
    with pytest.warns(UserWarning):
        t_adj = torch.sparse.FloatTensor(torch.tensor(INDICES), torch.from_numpy(values), torch.Size([3, 3]))
    t_x = torch.tensor(x.numpy())
    np.testing.assert_array_equal(product.numpy(), torch.sparse.mm(t_adj, t_x).numpy())
    np.testing.assert_array_equal(shifted.numpy(),
                                  torch.sparse.addmm(torch.ones(3, 2), t_adj, t_x, beta=0.5, alpha=2.0).numpy())
    np.testing.assert_array_equal(ag.sparse.sum(adj, dim=1).numpy(), torch.sparse.sum(t_adj, dim=1).to_dense())


def test_coalesce_is_the_dense_tensor_and_stored_entries_are_refused_with_advice():
    adj = ag.sparse_coo_tensor(INDICES, ag.tensor([1.0, 2.0, 3.0, 4.0]), (3, 3))
    assert adj.coalesce() is adj
    for name in ("_indices", "_values", "_nnz"):
        assert not hasattr(adj, name)
        with pytest.raises(AttributeError, match=f"no attribute '{name}': this Tensor is dense .* keep the indices "
                                                 r"and values it was built from .* ag.argwhere\(t\).T"):
            getattr(adj, name)()
    with pytest.raises(AttributeError, match="t.max.dim., t.min.dim. and ag.sort"):  # (max(dim).values's advice)
        adj.values()
