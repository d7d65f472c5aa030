"""PyTorch's arguments of the reductions, found missing by porting PyTorch's test_reductions.py: out= (written in
place, an empty out resized, a clashing dtype= refused), nansum's dtype=."""
import warnings

import numpy as np
import pytest

import autograd_core as ag


@pytest.fixture
def torch():
    return pytest.importorskip("torch")


X = np.arange(1.0, 13.0).reshape(3, 4) / 7


@pytest.mark.parametrize("name, kwargs", [
    ("sum", {"dim": 1}), ("mean", {"dim": 0, "keepdim": True}), ("prod", {"dim": 1}), ("amax", {"dim": 1}),
    ("amin", {"dim": (0, 1)}), ("logsumexp", {"dim": 1}), ("nansum", {"dim": 0}), ("nanmean", {"dim": 1}),
    ("var", {"dim": 1, "correction": 1}), ("std", {"dim": 0, "unbiased": False}), ("cumsum", {"dim": 1}),
    ("cumprod", {"dim": 0})])
def test_out_writes_the_result_in_place_as_torch(torch, name, kwargs):
    expected = getattr(torch, name)(torch.tensor(X), **kwargs)
    out = ag.zeros(tuple(expected.shape))
    returned = getattr(ag, name)(ag.tensor(X), **kwargs, out=out)
    assert returned is out
    np.testing.assert_allclose(out.numpy(), expected.numpy(), rtol=1e-12)


def test_an_empty_out_takes_the_result_shape(torch):
    out = ag.tensor(np.array([]))
    ag.sum(ag.tensor(X), (1, 0), out=out)
    assert out.shape == () and out.item() == pytest.approx(float(torch.tensor(X).sum()))
    out = ag.tensor(np.array([]))
    ag.max(ag.tensor(X), 0, out=out)
    np.testing.assert_array_equal(out.numpy(), X.max(0))


def test_out_of_a_view_writes_into_its_base():
    b = ag.zeros((3, 2))
    ag.logsumexp(ag.tensor(X), 1, out=b[:, 0])
    np.testing.assert_allclose(b.numpy()[:, 0], np.log(np.exp(X).sum(1)))
    np.testing.assert_array_equal(b.numpy()[:, 1], 0)


def test_out_takes_its_own_dtype_and_refuses_another_dtype():
    x = ag.ones((3, 4), dtype=np.int16)
    out = ag.zeros((4,), dtype=np.int32)
    assert ag.sum(x, 0, out=out).dtype == np.int32
    np.testing.assert_array_equal(out.numpy(), [3, 3, 3, 3])
    assert ag.cumprod(x, 0, out=ag.zeros((3, 4), dtype=np.int32), dtype=np.int32).dtype == np.int32
    with pytest.raises(RuntimeError, match="dtype=int64 differs from out's dtype int32"):
        ag.sum(x, 0, out=out, dtype=np.int64)
    with pytest.raises(TypeError):  # (a TypeError too)
        ag.prod(x, 0, out=out, dtype=np.float64)


def test_out_refuses_a_result_that_requires_grad():
    x = ag.tensor(X, requires_grad=True)
    with pytest.raises(RuntimeError, match="out= does not support automatic differentiation"):
        ag.sum(x, 1, out=ag.zeros(3))
    with ag.no_grad():
        assert ag.sum(x, 1, out=ag.zeros(3)).shape == (3,)


def test_all_any_out_is_bool_or_uint8(torch):
    x = np.array([[1, 0, 3], [2, 5, 1]], np.int64)
    for name in ("all", "any"):
        expected = getattr(torch, name)(torch.tensor(x), 1).numpy()
        out = ag.zeros((2,), dtype=bool)
        assert getattr(ag, name)(ag.tensor(x), 1, out=out) is out
        np.testing.assert_array_equal(out.numpy(), expected)
        out = ag.zeros((2,), dtype=np.uint8)
        getattr(ag, name)(ag.tensor(x), 1, out=out)
        np.testing.assert_array_equal(out.numpy(), expected)
        with pytest.raises(RuntimeError, match=f"{name} only supports bool tensor for result"):
            getattr(ag, name)(ag.tensor(x), 1, out=ag.zeros((2,)))


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int8, np.int32])
def test_nansum_takes_dtype_as_torch(torch, dtype):
    x = np.array([[1.5, np.nan, 2.25], [np.nan, 4.0, -1.0]])
    expected = torch.nansum(torch.tensor(x), dim=1, dtype=getattr(torch, np.dtype(dtype).name))
    result = ag.nansum(ag.tensor(x), dim=1, dtype=dtype)
    assert result.dtype == dtype
    np.testing.assert_allclose(result.numpy(), expected.numpy())
    assert ag.nansum(ag.tensor(np.array([1, 2, 3], np.int8)), dtype=np.int64).dtype == np.int64


def test_nansum_dtype_keeps_the_gradient_in_the_input_dtype():
    x = ag.tensor(np.array([1.0, np.nan, 2.0], np.float32), requires_grad=True)
    ag.nansum(x, dtype=np.float64).backward()
    assert x.grad.dtype == np.float32
    np.testing.assert_array_equal(x.grad.numpy(), [1, 0, 1])


@pytest.mark.parametrize("name", ["var", "std", "var_mean", "std_mean"])
def test_no_degrees_of_freedom_warns_in_numpys_and_pytorchs_words(name):
    x = ag.tensor(np.ones((10, 20)))
    with pytest.warns(RuntimeWarning, match=r"Degrees of freedom <= 0 for slice: degrees of freedom is <= 0 \(20 "
                                            r"elements per slice, ddof/correction 20\)"):
        result = getattr(ag, name)(x, dim=-1, correction=20)
    assert np.isnan((result[0] if isinstance(result, tuple) else result).numpy()).all()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ag.var(x, dim=-1, correction=19)  # (one degree of freedom left: no warning)


def test_bucketize_out_and_the_bincount_method(torch):
    values, boundaries = np.array([[1, 3, 5], [2, 4, 6]]), np.array([1, 2, 3, 4, 5, 6])
    expected = torch.bucketize(torch.tensor(values), torch.tensor(boundaries), right=True)
    out = ag.empty((2, 3), dtype=np.int64)
    assert ag.bucketize(ag.tensor(values), ag.tensor(boundaries), right=True, out=out) is out
    np.testing.assert_array_equal(out.numpy(), expected.numpy())
    x = np.array([0, 3, 2, 1, 3], np.uint8)
    np.testing.assert_array_equal(ag.tensor(x).bincount().numpy(), torch.tensor(x).bincount().numpy())
    np.testing.assert_array_equal(ag.tensor(x).bincount(minlength=6).numpy(), [1, 1, 1, 2, 0, 0])
    np.testing.assert_allclose(ag.tensor(x).bincount(ag.tensor([.1, .2, .3, .4, .5])).numpy(), [0.1, 0.4, 0.3, 0.7])


@pytest.mark.parametrize("name", ["max", "min", "amax", "amin", "argmax", "argmin"])
def test_an_extremum_over_an_empty_dim_is_pytorchs_index_error_and_numpys_value_error(torch, name):
    x = np.zeros((2, 0, 4))
    with pytest.raises(IndexError, match="Expected reduction dim"):
        getattr(torch, name)(torch.tensor(x), 1)
    for call in (lambda: getattr(ag, name)(ag.tensor(x), 1), lambda: getattr(ag, name)(ag.tensor(x), (0, 1))
                 if name not in ("argmax", "argmin") else getattr(ag, name)(ag.tensor(x), -2),
                 lambda: getattr(ag, name)(ag.tensor(x))):
        owner = {"amax": "max", "amin": "min"}.get(name, name)  # (amax is max here)
        with pytest.raises(IndexError, match=f"^{owner}: Expected reduction dim") as raised:
            call()
        assert isinstance(raised.value, ValueError)
    for axis, keepdims, shape in [(2, False, (2, 0)), (-1, True, (2, 0, 1)), (0, False, (0, 4))]:  # (nothing empty)
        assert getattr(ag, name)(ag.tensor(x), axis, keepdims).shape == shape


def test_kthvalue_over_an_empty_dim_is_pytorchs_index_error(torch):
    with pytest.raises(IndexError, match="Expected reduction dim"):
        torch.kthvalue(torch.zeros(2, 0, 4), 1, dim=1)
    with pytest.raises(IndexError, match=r"^kthvalue: Expected reduction dim 1 to have non-zero size") as raised:
        ag.kthvalue(ag.zeros((2, 0, 4)), 1, dim=1)
    assert isinstance(raised.value, ValueError)
    assert ag.kthvalue(ag.zeros((2, 0, 4)), 1, dim=2).values.shape == (2, 0)


def test_searchsorted_and_bucketize_errors_are_pytorchs_runtime_errors_in_its_words(torch):
    values_3d = [[[1, 3, 5], [2, 4, 6]], [[1, 2, 3], [4, 5, 6]]]
    rows, seq = [[1, 2, 3], [4, 5, 6]], [0.5, 0.1, 0.9]
    cases = [(lambda m, t: m.searchsorted(t(rows), t(values_3d)), "first N-1 dimensions of boundaries tensor"),
             (lambda m, t: m.bucketize(t(values_3d), t(rows)), "boundaries tensor must be 1 dimension"),
             (lambda m, t: m.searchsorted(t(rows), 1), "only when boundaries tensor dimension is 1"),
             (lambda m, t: m.searchsorted(t([1, 2]), t([1, 2]), side="bad"), "side can only be 'left' or 'right'"),
             (lambda m, t: m.searchsorted(t(seq), t([1]), sorter=t([1, 0])), "boundary and sorter must have the"),
             (lambda m, t: m.searchsorted(t(seq), t([1]), sorter=t([1.0, 0.0, 2.0])), "sorter must be a tensor of"),
             (lambda m, t: m.searchsorted(t([1, 2, 3]), 2.5, sorter=t([0, 1, 3])), "sorter index out of range"),
             (lambda m, t: m.searchsorted(t([1, 2, 3]), 2.5, sorter=t([-1, 1, 2])), "sorter index out of range")]
    for call, message in cases:
        with pytest.raises(RuntimeError, match=message):
            call(torch, torch.tensor)
        with pytest.raises(RuntimeError, match=message):
            call(ag, ag.tensor)
    with pytest.raises(TypeError):  # (NumPy's class for a sorter of floats)
        ag.searchsorted(ag.tensor(seq), 1.0, sorter=ag.tensor([1.0, 0.0, 2.0]))
    found = ag.searchsorted(ag.tensor(seq), ag.tensor([0.3, 2.0]), sorter=ag.tensor([1, 0, 2]))
    np.testing.assert_array_equal(found.numpy(), np.searchsorted(seq, [0.3, 2.0], sorter=[1, 0, 2]))


@pytest.mark.parametrize("name, extra", [("sum", {}), ("mean", {}), ("prod", {}), ("logsumexp", {}), ("nansum", {}),
                                         ("nanmean", {}), ("amax", {}), ("amin", {}), ("count_nonzero", {}),
                                         ("var", {"correction": 1}), ("std", {"unbiased": False})])
def test_a_dim_named_twice_is_pytorchs_runtime_error(torch, name, extra):
    x = np.random.default_rng(4).standard_normal((3, 3, 3, 3))
    for dims in [(0, 0), (0, -4), [1, 2, 1]]:
        if name != "prod":  # (torch.prod takes one dim)
            with pytest.raises(RuntimeError, match="appears multiple times in the list of dims"):
                getattr(torch, name)(torch.tensor(x), dim=dims, **extra)
        with pytest.raises(RuntimeError, match=rf"^{name}: dim \d appears multiple times in the list of dims") as e:
            getattr(ag, name)(ag.tensor(x), dim=dims, **extra)
        assert isinstance(e.value, ValueError)  # (NumPy's class for a duplicate axis)
    assert getattr(ag, name)(ag.tensor(x), dim=(0, -1), **extra).shape == (3, 3)


def test_mean_var_std_of_a_0d_tensor_take_dim_0_as_torch(torch):
    for name, extra in [("mean", {}), ("var", {"correction": 0}), ("std", {"correction": 0})]:
        for dim, keepdim in [(0, False), (-1, True)]:
            expected = getattr(torch, name)(torch.tensor(2.5, dtype=torch.float64), dim=dim, keepdim=keepdim, **extra)
            result = getattr(ag, name)(ag.tensor(2.5), dim=dim, keepdim=keepdim, **extra)
            assert result.shape == tuple(expected.shape) and result.item() == expected.item()
        with pytest.raises(IndexError):
            getattr(ag, name)(ag.tensor(2.5), dim=1, **extra)
    with pytest.raises(IndexError):  # (NumPy's axis=0 of a 0-d array stays refused, as np.mean refuses it)
        ag.mean(ag.tensor(2.5), axis=0)


def test_norm_with_a_dim_named_twice_is_pytorchs_runtime_error(torch):
    x = np.ones((3, 3, 3, 3))
    with pytest.raises(RuntimeError, match="appears multiple times in the list of dims"):
        torch.norm(torch.tensor(x), dim=(0, -4))
    for dims in [(0, 0), (0, -4), [1, 1]]:
        with pytest.raises(RuntimeError, match=r"^norm: dim \d appears multiple times in the list of dims"):
            ag.norm(ag.tensor(x), dim=dims)
    assert ag.norm(ag.tensor(x), dim=(0, -1)).shape == (3, 3)


def test_histogram_takes_torchs_weight_name(torch):
    x, w = np.array([0.5, 1.5, 1.7, 3.0], np.float32), np.array([1.0, 2.0, 0.5, 4.0], np.float32)
    expected = torch.histogram(torch.tensor(x), 3, weight=torch.tensor(w), density=True)
    hist, edges = ag.histogram(ag.tensor(x), 3, weight=ag.tensor(w), density=True)
    np.testing.assert_allclose(hist.numpy(), expected.hist.numpy(), rtol=1e-6)
    np.testing.assert_allclose(edges.numpy(), expected.bin_edges.numpy(), rtol=1e-6)
    with pytest.raises(TypeError, match="got both weights= and weight="):
        ag.histogram(ag.tensor(x), 3, weights=ag.tensor(w), weight=ag.tensor(w))


@pytest.mark.parametrize("name", ["max", "min", "amax", "amin", "aminmax"])
def test_an_extremum_of_a_whole_empty_input_is_also_pytorchs_runtime_error(name):
    # (found by porting PyTorch's OpInfo error inputs for max, min and aminmax: torch raises RuntimeError for the
    # whole of an empty input, ours raised ValueError/IndexError alone)
    x = np.zeros((5, 0, 5))
    with pytest.raises(RuntimeError, match=r"^(a?max|a?min|aminmax): ") as raised:  # (amax names max)
        getattr(ag, name)(ag.tensor(x))
    assert isinstance(raised.value, (ValueError, IndexError))
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        getattr(torch, name)(torch.tensor(x))
