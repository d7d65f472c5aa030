"""aminmax and mode, PyTorch's reductions returning named pairs (found missing by porting PyTorch's
test_reductions.py): values, indices, shapes and gradients against torch."""
import numpy as np
import pytest

import autograd_core as ag
from autograd_core.testing import gradcheck


@pytest.fixture
def torch():
    return pytest.importorskip("torch")


X = np.random.default_rng(0).standard_normal((3, 4, 5))


@pytest.mark.parametrize("kwargs", [{}, {"keepdim": True}, {"dim": 1}, {"dim": -1, "keepdim": True}, {"dim": 0}])
def test_aminmax_equals_torch(torch, kwargs):
    expected = torch.aminmax(torch.tensor(X), **kwargs)
    result = ag.aminmax(ag.tensor(X), **kwargs)
    assert type(result).__name__ == "aminmax" and result._fields == ("min", "max")
    for got, want in ((result.min, expected.min), (result.max, expected.max)):
        assert got.shape == tuple(want.shape)
        np.testing.assert_array_equal(got.numpy(), want.numpy())
    assert ag.tensor(X).aminmax(**kwargs).max.shape == tuple(expected.max.shape)


def test_aminmax_of_a_0d_tensor_takes_dim_0(torch):
    result = ag.aminmax(ag.tensor(3.0), dim=0, keepdim=True)
    assert result.min.shape == result.max.shape == ()
    assert result.min.item() == result.max.item() == 3.0
    with pytest.raises(IndexError, match="dim 1 is out of range"):
        ag.aminmax(ag.tensor(3.0), dim=1)
    with pytest.raises(IndexError, match="dim 3 is out of range"):
        ag.aminmax(ag.tensor(X), dim=3)


def test_aminmax_gradients_are_amin_and_amax(torch):
    xt = torch.tensor(X, requires_grad=True)
    lo, hi = torch.aminmax(xt, dim=2)
    (lo * 2 + hi * 3).sum().backward()
    x = ag.tensor(X, requires_grad=True)
    lo, hi = ag.aminmax(x, dim=2)
    (lo * 2 + hi * 3).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), xt.grad.numpy())


@pytest.mark.parametrize("dtype", [np.int32, np.int64, np.float32, np.float64])
def test_mode_matches_torch_taking_the_last_appearance(torch, dtype):
    x = np.arange(1, 101).reshape(10, 10).astype(dtype)
    x[:2] = 1
    x[:, :2] = 1
    for args in [(), (0,), (1, True), (-1, False)]:
        expected = torch.mode(torch.tensor(x), *args)
        values, indices = ag.mode(ag.tensor(x), *args)
        assert values.dtype == dtype and indices.dtype == np.int64
        np.testing.assert_array_equal(values.numpy(), expected.values.numpy())
        np.testing.assert_array_equal(indices.numpy(), expected.indices.numpy())


def test_mode_picks_the_smallest_of_equally_frequent_values_as_torch(torch):
    x = np.array([[3.0, 1.0, 3.0, 1.0, 2.0], [5.0, 4.0, 4.0, 5.0, 5.0]])
    expected = torch.mode(torch.tensor(x))
    result = ag.tensor(x).mode()
    np.testing.assert_array_equal(result.values.numpy(), expected.values.numpy())
    np.testing.assert_array_equal(result.indices.numpy(), expected.indices.numpy())
    a = np.zeros((4, 2048), bool)
    a[:, 1023:] = True
    expected = torch.mode(torch.tensor(a), -1)
    result = ag.mode(ag.tensor(a), -1)  # (which True torch's index names is its algorithm's: checked as its test does)
    np.testing.assert_array_equal(result.values.numpy(), expected.values.numpy())
    np.testing.assert_array_equal(np.take_along_axis(a, result.indices.numpy()[:, None], 1)[:, 0], True)


def test_mode_gradient_goes_to_the_indexed_entry(torch):
    x = np.array([[1.0, 2.0, 2.0, 1.0, 1.0], [0.5, 0.5, 3.0, 3.0, 3.0]])
    xt = torch.tensor(x, requires_grad=True)
    (torch.mode(xt, 1).values * torch.tensor([2.0, 3.0], dtype=torch.float64)).sum().backward()
    xa = ag.tensor(x, requires_grad=True)
    (ag.mode(xa, 1).values * ag.tensor([2.0, 3.0])).sum().backward()
    np.testing.assert_array_equal(xa.grad.numpy(), xt.grad.numpy())
    assert gradcheck(lambda t: ag.mode(t, 0, keepdim=True).values, ag.tensor(x, requires_grad=True))


def test_mode_of_a_0d_tensor_and_an_empty_dim():
    values, indices = ag.mode(ag.tensor(2.5))
    assert values.item() == 2.5 and indices.item() == 0
    with pytest.raises(IndexError, match="Expected reduction dim 1 to have non-zero size"):
        ag.mode(ag.zeros((2, 0, 3)), 1)


def test_mode_and_norm_take_out(torch):
    # (found missing by porting PyTorch's test_reductions: test_dim_reduction_fns writes into column views)
    y = np.random.default_rng(1).integers(0, 3, (5, 3)).astype(np.float64)
    values, indices = ag.zeros((5, 3)), ag.zeros((5, 3), dtype=np.int64) - 1
    result = ag.mode(ag.tensor(y), 1, out=(values[:, 1], indices[:, 1]))
    expected = torch.mode(torch.tensor(y), 1)
    np.testing.assert_array_equal(values.numpy()[:, 1], expected.values.numpy())
    np.testing.assert_array_equal(indices.numpy()[:, 1], expected.indices.numpy())
    np.testing.assert_array_equal(result.indices.numpy(), expected.indices.numpy())
    assert (values.numpy()[:, [0, 2]] == 0).all() and (indices.numpy()[:, [0, 2]] == -1).all()
    x = ag.zeros((5, 3))
    ag.norm(ag.tensor(y), 2, 1, False, out=x[:, 1])
    np.testing.assert_allclose(x.numpy()[:, 1], torch.norm(torch.tensor(y), 2, 1).numpy())
    with pytest.raises(TypeError, match="pair of Tensors"):
        ag.mode(ag.tensor(y), 1, out=values)


def test_out_of_another_dtype_is_refused_by_the_extrema_and_mode_as_torch(torch):
    x = np.random.default_rng(2).standard_normal((5, 5)).astype(np.float32)
    for name in ("amax", "amin"):
        with pytest.raises(RuntimeError):
            getattr(torch, name)(torch.tensor(x), dim=0, out=torch.empty(5, dtype=torch.int32))
    for name in ("max", "min", "amax", "amin"):
        with pytest.raises(RuntimeError, match="out= has dtype int32, the result float32"):
            getattr(ag, name)(ag.tensor(x), 0, out=ag.empty(5, dtype=np.int32))
        assert getattr(ag, name)(ag.tensor(x), 0, out=ag.empty(5, dtype=np.float32)).dtype == np.float32
    for values, indices, message in [(np.int8, np.int64, "values"), (np.float32, np.float64, "indices")]:
        with pytest.raises(RuntimeError, match=f"expected scalar type .* but got .* for {message}"):
            torch.mode(torch.tensor(x), -1, True, out=(torch.ones(10, dtype=getattr(torch, np.dtype(values).name)),
                                                        torch.ones(10, dtype=getattr(torch, np.dtype(indices).name))))
        with pytest.raises(RuntimeError, match=f"expected scalar type .* but got .* for {message}"):
            ag.mode(ag.tensor(x), -1, True, out=(ag.ones(10, dtype=values), ag.ones(10, dtype=indices)))


def test_aminmax_over_an_empty_dimension_names_aminmax():
    # found by review: the error named min (the first of the two reductions it makes)
    with pytest.raises(ValueError, match=r"aminmax: cannot compute aminmax over an empty dimension \(input shape "
                                         r"\(0,\), dim=None\)"):
        ag.aminmax(ag.zeros(0))
    with pytest.raises(ValueError, match="aminmax: cannot compute aminmax over an empty dimension"):
        ag.aminmax(ag.zeros((3, 0)), dim=1)
    assert ag.aminmax(ag.zeros((0, 3)), dim=1).min.shape == (0,)  # (an empty result over a dim that is not empty)


@pytest.mark.parametrize("name", ["cummax", "cummin"])
def test_cummax_and_cummin_match_torch_in_values_indices_dtypes_and_gradients(name):
    # found by porting PyTorch's test_torch.py (test_cummax_cummin): the functions were missing
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    arrays = [rng.standard_normal((4, 5)), rng.integers(0, 3, (3, 6)).astype(np.float64),  # (ties: the later index)
              np.array([[1.0, np.nan, 2.0, np.nan, 0.0], [np.nan, 1.0, 3.0, -1.0, 4.0]]),
              rng.integers(-3, 3, (2, 5)).astype(np.int32), rng.random((3, 4)) > 0.5]
    for a in arrays:
        for dim in (0, 1, -1):
            values, indices = getattr(ag, name)(ag.tensor(a), dim)
            expected = getattr(torch, name)(torch.tensor(a), dim)
            assert values.dtype == a.dtype and indices.dtype == np.int64
            np.testing.assert_array_equal(values.data, expected.values.numpy())
            np.testing.assert_array_equal(indices.data, expected.indices.numpy())
    result = getattr(ag.tensor(3.0), name)(0)  # (a 0-d Tensor, as torch's; and the named pair)
    assert float(result.values) == 3.0 and int(result.indices) == 0
    a = arrays[1]
    x, t = ag.tensor(a, requires_grad=True), torch.tensor(a, requires_grad=True)
    weights = np.linspace(-1.0, 2.0, a.size).reshape(a.shape)
    (getattr(ag, name)(x, 1).values * weights).sum().backward()
    (getattr(torch, name)(t, 1).values * torch.tensor(weights)).sum().backward()
    np.testing.assert_allclose(x.grad.data, t.grad.numpy())
    with pytest.raises(IndexError):
        getattr(ag, name)(ag.zeros((2, 3)), 2)


@pytest.mark.parametrize("name, args, kwargs", [("kthvalue", (2,), {"dim": 1, "keepdim": True}), ("topk", (2,), {}),
                                                ("aminmax", (), {"dim": 0}), ("mode", (), {})])
def test_the_pair_reductions_write_pytorchs_out_pair(name, args, kwargs):
    # (found by porting PyTorch's OpInfo error inputs for kthvalue and aminmax: torch.kthvalue(x, k, out=(values,
    # indices)) and torch.aminmax(x, out=(min, max)) raised "unexpected keyword argument 'out'" here)
    x = np.random.default_rng(3).standard_normal((3, 5))
    ours = (ag.zeros(0), ag.zeros(0, dtype=np.float64 if name == "aminmax" else np.int64))
    result = getattr(ag, name)(ag.tensor(x), *args, **kwargs, out=ours)
    assert result[0] is ours[0] and result[1] is ours[1] and type(result).__name__ == name
    order = np.argsort(x, axis=1)  # (NumPy's: distinct values, so no ties; mode's is the smallest, each once)
    expected = {"kthvalue": (np.sort(x, axis=1)[:, 1:2], order[:, 1:2]), "aminmax": (x.min(0), x.max(0)),
                "topk": (np.take_along_axis(x, order[:, ::-1][:, :2], 1), order[:, ::-1][:, :2]),
                "mode": (x.min(1), x.argmin(1))}[name]
    for o, e in zip(ours, expected):
        assert o.shape == e.shape and o.dtype == e.dtype
        np.testing.assert_array_equal(o.numpy(), e)
    with pytest.raises(RuntimeError, match=rf"^{name}: expected scalar type float64 but got float32"):
        getattr(ag, name)(ag.tensor(x), *args, **kwargs, out=(ag.zeros(0, dtype=np.float32), ours[1]))
    with pytest.raises(TypeError, match="pair of Tensors"):
        getattr(ag, name)(ag.tensor(x), *args, **kwargs, out=ours[0])
    torch = pytest.importorskip("torch")
    second = torch.float64 if name == "aminmax" else torch.int64
    theirs = (torch.empty(0, dtype=torch.float64), torch.empty(0, dtype=second))
    getattr(torch, name)(torch.tensor(x), *args, **kwargs, out=theirs)
    for o, t in zip(ours, theirs):
        assert o.shape == tuple(t.shape)
        np.testing.assert_array_equal(o.numpy(), t.numpy())
