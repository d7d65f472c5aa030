"""torch.block_diag, torch.broadcast_tensors and torch.broadcast_shapes (autograd_core/torch_combining.py): values
against NumPy/hand references and torch, gradients and second derivatives against finite differences, views sharing
memory, errors."""
import numpy as np
import pytest

import autograd_core as ag
from autograd_core.testing import gradcheck, gradgradcheck


def _block_diag_reference(*blocks):
    blocks = [np.atleast_2d(b) for b in blocks]  # (0-d: 1 x 1, 1-D: one row, as torch's)
    out = np.zeros((sum(b.shape[0] for b in blocks), sum(b.shape[1] for b in blocks)),
                   dtype=np.result_type(*blocks))
    r = c = 0
    for b in blocks:
        out[r:r + b.shape[0], c:c + b.shape[1]] = b
        r, c = r + b.shape[0], c + b.shape[1]
    return out


BLOCKS = [np.arange(6.0).reshape(2, 3), np.array(7.0), np.array([8.0, 9.0]), np.ones((0, 2)), np.full((3, 1), -1.0)]


def test_block_diag_places_each_block_on_the_diagonal():
    out = ag.block_diag(*(ag.tensor(b) for b in BLOCKS))
    np.testing.assert_array_equal(out.data, _block_diag_reference(*BLOCKS))
    assert out.shape == (7, 9)
    assert ag.block_diag().shape == (1, 0)  # (torch.block_diag() too)
    mixed = ag.block_diag(ag.tensor([[1, 2]]), ag.tensor([0.5]))
    assert mixed.dtype == np.float64 and mixed.tolist() == [[1.0, 2.0, 0.0], [0.0, 0.0, 0.5]]


def test_block_diag_matches_torch():
    torch = pytest.importorskip("torch")
    expected = torch.block_diag(*(torch.tensor(b) for b in BLOCKS)).numpy()
    np.testing.assert_array_equal(ag.block_diag(*(ag.tensor(b) for b in BLOCKS)).data, expected)
    assert ag.block_diag().shape == tuple(torch.block_diag().shape)


def test_block_diag_gradients_reach_each_block():
    rng = np.random.default_rng(0)
    a, b, c = (ag.tensor(rng.normal(size=s), requires_grad=True) for s in [(2, 3), (3,), ()])
    assert gradcheck(lambda a, b, c: ag.block_diag(a, b, c) ** 2, a, b, c)
    assert gradgradcheck(lambda a, b, c: ag.block_diag(a, b, c) ** 3, a, b, c)
    weights = rng.normal(size=(4, 7))
    (ag.block_diag(a, b, c) * weights).sum().backward()
    np.testing.assert_array_equal(a.grad.data, weights[:2, :3])
    np.testing.assert_array_equal(b.grad.data, weights[2, 3:6])
    np.testing.assert_array_equal(c.grad.data, weights[3, 6])


def test_block_diag_refuses_more_than_two_dimensions():
    with pytest.raises(ValueError, match=r"block_diag: each Tensor must have 0, 1 or 2 dimensions, got shape "
                                         r"\(1, 2, 2\) for Tensor 1"):
        ag.block_diag(ag.ones(2), ag.ones((1, 2, 2)))


def test_broadcast_tensors_are_views_of_the_common_shape():
    a, b, c = ag.tensor([[1.0], [2.0]]), ag.tensor([10.0, 20.0, 30.0]), ag.tensor(5.0)
    out = ag.broadcast_tensors(a, b, c)
    assert isinstance(out, tuple) and [t.shape for t in out] == [(2, 3)] * 3
    for result, source in zip(out, (a, b, c)):
        np.testing.assert_array_equal(result.data, np.broadcast_to(source.data, (2, 3)))
        assert np.shares_memory(result.data, source.data)  # (views, as torch's)


def test_broadcast_tensors_match_torch():
    torch = pytest.importorskip("torch")
    arrays = [np.arange(3.0).reshape(3, 1), np.arange(4.0), np.ones((2, 1, 1))]
    expected = torch.broadcast_tensors(*(torch.tensor(x) for x in arrays))
    for ours, theirs in zip(ag.broadcast_tensors(*(ag.tensor(x) for x in arrays)), expected):
        np.testing.assert_array_equal(ours.data, theirs.numpy())


def test_broadcast_tensors_gradients_sum_over_the_broadcast_axes():
    rng = np.random.default_rng(1)
    a, b = ag.tensor(rng.normal(size=(3, 1)), requires_grad=True), ag.tensor(rng.normal(size=4), requires_grad=True)
    assert gradcheck(lambda a, b: ag.broadcast_tensors(a, b)[0] * ag.broadcast_tensors(a, b)[1], a, b)
    assert gradgradcheck(lambda a, b: ag.broadcast_tensors(a, b)[0] ** 2 * ag.broadcast_tensors(a, b)[1], a, b)
    x, y = ag.broadcast_tensors(a, b)
    (x + 2 * y).sum().backward()
    np.testing.assert_array_equal(a.grad.data, np.full((3, 1), 4.0))
    np.testing.assert_array_equal(b.grad.data, np.full(4, 6.0))


def test_broadcast_tensors_refuses_shapes_that_do_not_broadcast():
    with pytest.raises(ValueError, match=r"broadcast_tensors: the shapes \[\(2,\), \(3,\)\] do not broadcast"):
        ag.broadcast_tensors(ag.ones(2), ag.ones(3))


# ---- cartesian_prod and combinations: torch's, added on porting PyTorch's test_tensor_creation_ops -----------------
@pytest.mark.parametrize("sizes", [(1, 3, 2), (2, 0, 3), (4,), (2, 2)])
def test_cartesian_prod_matches_torch(sizes):
    torch = pytest.importorskip("torch")
    vectors = [np.arange(1, n + 1) * (i + 1) for i, n in enumerate(sizes)]
    ours = ag.cartesian_prod(*(ag.tensor(v) for v in vectors))
    theirs = torch.cartesian_prod(*(torch.tensor(v) for v in vectors))
    assert ours.shape == tuple(theirs.shape) and ours.dtype == np.int64
    np.testing.assert_array_equal(ours.data, theirs.numpy())


@pytest.mark.parametrize("r", [0, 1, 2, 3, 4, 5])
@pytest.mark.parametrize("with_replacement", [False, True])
@pytest.mark.parametrize("n", [0, 3])
def test_combinations_match_torch(n, r, with_replacement):
    torch = pytest.importorskip("torch")
    values = np.arange(1.0, n + 1)
    ours = ag.combinations(ag.tensor(values), r=r, with_replacement=with_replacement)
    theirs = torch.combinations(torch.tensor(values), r=r, with_replacement=with_replacement)
    assert ours.shape == tuple(theirs.shape) and ours.dtype == np.float64
    np.testing.assert_array_equal(ours.data, theirs.numpy())


def test_cartesian_prod_and_combinations_gradients():
    rng = np.random.default_rng(2)
    a, b = ag.tensor(rng.normal(size=2), requires_grad=True), ag.tensor(rng.normal(size=3), requires_grad=True)
    assert gradcheck(lambda a, b: ag.cartesian_prod(a, b).prod(axis=1), a, b)
    assert gradgradcheck(lambda a: ag.combinations(a, 2, with_replacement=True).prod(axis=1), b)
    torch = pytest.importorskip("torch")
    ta, tb = (torch.tensor(t.data, requires_grad=True) for t in (a, b))
    (torch.cartesian_prod(ta, tb).prod(1).sum() + torch.combinations(tb, 2, True).prod(1).sum()).backward()
    (ag.cartesian_prod(a, b).prod(axis=1).sum() + ag.combinations(b, 2, True).prod(axis=1).sum()).backward()
    np.testing.assert_allclose(a.grad.data, ta.grad.numpy(), rtol=1e-12)
    np.testing.assert_allclose(b.grad.data, tb.grad.numpy(), rtol=1e-12)


@pytest.mark.parametrize("call, words", [
    (lambda m: m.cartesian_prod(m.ones((2, 2))), "1-D"), (lambda m: m.cartesian_prod(m.tensor(3.0)), "1-D"),
    (lambda m: m.cartesian_prod(), "cartesian_prod"), (lambda m: m.combinations(m.ones((2, 2))), "1-D"),
    (lambda m: m.combinations(m.ones(3), r=-1), "r must be >= 0"),
])
def test_cartesian_prod_and_combinations_refusals_are_runtime_errors_as_torchs(call, words):
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        call(torch)
    with pytest.raises(ag.ops.shape.ShapeError, match=words):
        call(ag)


BROADCAST_SHAPES = [((), ()), ((5,), ()), ((5, 1), (5,)), ((5, 1), 5), ((3, 5, 1), (1, 5, 4), ()),
                    ((0, 1, 3), (0, 10, 3)), ((2, 1), [4])]


@pytest.mark.parametrize("shapes", BROADCAST_SHAPES)
def test_broadcast_shapes_is_torchs_and_numpys(shapes):
    # found missing by porting PyTorch's OpInfo entries (broadcast_shapes, whose samples these are); torch.Size is a
    # tuple, as ours
    out = ag.broadcast_shapes(*shapes)
    assert type(out) is tuple and out == np.broadcast_shapes(*shapes)


@pytest.mark.parametrize("shapes", BROADCAST_SHAPES)
def test_broadcast_shapes_as_torch(shapes):
    torch = pytest.importorskip("torch")
    assert ag.broadcast_shapes(*shapes) == tuple(torch.broadcast_shapes(*shapes))


def test_broadcast_shapes_refuses_shapes_that_do_not_broadcast():
    with pytest.raises(ValueError, match=r"broadcast_shapes: the shapes \[\(2,\), \(3,\)\] do not broadcast") as err:
        ag.broadcast_shapes((2,), (3,))
    assert isinstance(err.value, RuntimeError)  # (PyTorch's class)
    with pytest.raises(ValueError, match="no size be negative"):
        ag.broadcast_shapes((2,), (-1,))
    with pytest.raises(TypeError, match="broadcast_shapes: each shape must be a tuple of ints or an int"):
        ag.broadcast_shapes((2.5,))
