"""Edges of autograd_core/ops/numpy_more.py beyond test_numpy_more.py: PyTorch's diag_embed (a batch of vectors on
the diagonals of matrices), trapezoid's dim= and dx=None, trapz and cumulative_trapezoid. Values against a
NumPy-hand reference, gradients against finite differences, and against torch where it is installed."""
import numpy as np
import pytest

import autograd_core as ag
from autograd_core.testing import gradcheck, gradgradcheck


def _diag_embed_reference(v, offset, dim1, dim2):
    m = v.shape[-1]
    n = m + abs(offset)
    out = np.zeros(v.shape[:-1] + (n, n))
    rows = np.arange(m) + max(-offset, 0)
    out[..., rows, rows + offset] = v
    return np.moveaxis(out, (-2, -1), (dim1, dim2))


@pytest.mark.parametrize("offset, dim1, dim2", [(0, -2, -1), (1, -2, -1), (-2, -1, -2), (1, 0, 2), (0, 2, 0)])
def test_diag_embed_places_each_vector_on_a_diagonal_as_torch(offset, dim1, dim2):
    # a diagonal Gaussian's scale_tril: torch.diag_embed(sigma)
    v = np.random.default_rng(0).standard_normal((2, 3))
    out = ag.diag_embed(ag.tensor(v), offset=offset, dim1=dim1, dim2=dim2)
    np.testing.assert_array_equal(out.data, _diag_embed_reference(v, offset, dim1, dim2))
    assert gradcheck(lambda t: ag.diag_embed(t, offset, dim1, dim2) ** 2, v)
    torch = pytest.importorskip("torch")
    np.testing.assert_array_equal(out.data, torch.diag_embed(torch.tensor(v), offset, dim1, dim2).numpy())


def test_diag_embed_refuses_the_same_axis_twice_and_a_0d_input():
    with pytest.raises(ValueError, match=r"diag_embed: dim1 1 and dim2 -2 name the same axis of the 3-d result"):
        ag.diag_embed(ag.ones((2, 3)), dim1=1, dim2=-2)
    with pytest.raises(IndexError, match=r"diag_embed: dim 3 is out of range for the 3-d result"):
        ag.diag_embed(ag.ones((2, 3)), dim1=3)
    with pytest.raises(ValueError, match="diag_embed: input must have at least 1 dimension"):
        ag.diag_embed(ag.tensor(1.0))


def test_trapezoid_takes_torchs_dim_and_dx_keywords():
    y = np.array([[1.0, 2.0, 4.0], [0.5, -1.0, 3.0]])
    np.testing.assert_allclose(ag.trapezoid(ag.tensor(y), dx=2.0, dim=0).data, np.trapezoid(y, dx=2.0, axis=0))
    np.testing.assert_allclose(ag.trapezoid(ag.tensor(y), dx=None).data, np.trapezoid(y))
    np.testing.assert_allclose(ag.trapz(ag.tensor(y), ag.tensor([0.0, 1.0, 3.0])).data,
                               np.trapezoid(y, [0.0, 1.0, 3.0]))
    with pytest.raises(TypeError, match="trapezoid: got both axis=0 and dim=1"):
        ag.trapezoid(ag.tensor(y), axis=0, dim=1)


def _cumulative_reference(y, x=None, dx=1.0, axis=-1):
    y = np.moveaxis(y, axis, -1)
    d = np.diff(x) if x is not None else dx
    return np.moveaxis(np.cumsum(d * (y[..., 1:] + y[..., :-1]) / 2, axis=-1), -1, axis)


@pytest.mark.parametrize("kwargs", [{}, {"dx": 0.5}, {"x": [0.0, 1.0, 3.0, 3.5]}, {"dim": 0}])
def test_cumulative_trapezoid_values_gradients_and_torch(kwargs):
    y = np.random.default_rng(8).normal(size=(4, 4))
    x = kwargs.get("x")
    axis = kwargs.get("dim", -1)
    ours = ag.cumulative_trapezoid(ag.tensor(y), None if x is None else ag.tensor(x), dx=kwargs.get("dx"), dim=axis)
    np.testing.assert_allclose(ours.data, _cumulative_reference(y, None if x is None else np.array(x),
                                                                kwargs.get("dx", 1.0), axis), rtol=1e-12)
    np.testing.assert_allclose(ours.data[..., -1] if axis == -1 else ours.data[-1],
                               np.trapezoid(y, x, dx=kwargs.get("dx", 1.0), axis=axis), rtol=1e-12)
    t = ag.tensor(y, requires_grad=True)
    assert gradcheck(lambda t: ag.cumulative_trapezoid(t, dim=axis) ** 2, t)
    assert gradgradcheck(lambda t: ag.cumulative_trapezoid(t, dim=axis) ** 3, t)
    torch = pytest.importorskip("torch")
    theirs = (torch.cumulative_trapezoid(torch.tensor(y), torch.tensor(x), dim=axis) if x is not None else
              torch.cumulative_trapezoid(torch.tensor(y), dx=kwargs.get("dx", 1.0), dim=axis))
    np.testing.assert_allclose(ours.data, theirs.numpy(), rtol=1e-12)
    assert ag.trapz(ag.tensor(y), dim=axis).tolist() == pytest.approx(torch.trapz(torch.tensor(y), dim=axis).tolist())


def test_nan_to_num_refuses_a_copy_that_is_no_bool_naming_pytorchs_positional_nan():
    # found by porting PyTorch's test_unary_ufuncs: torch.nan_to_num(x, 0.5) (nan=0.5) ran here as NumPy's copy=0.5
    # and silently replaced NaN by 0
    x = ag.tensor([np.nan, 1.0])
    with pytest.raises(TypeError, match=r"nan_to_num: copy .* must be a bool, got 0\.5.*nan_to_num\(x, nan=0\.5\)"):
        ag.nan_to_num(x, 0.5)
    np.testing.assert_array_equal(ag.nan_to_num(x, False, nan=2.0).data, [2.0, 1.0])
    np.testing.assert_array_equal(np.nan_to_num(x, True, 3.0).data, [3.0, 1.0])
    np.testing.assert_array_equal(x.nan_to_num(0.5).data, [0.5, 1.0])  # (the method is PyTorch's)


# ---- vander: NumPy's and torch's, added on porting PyTorch's test_tensor_creation_ops (test_vander_types) ----------
@pytest.mark.parametrize("x", [[1, 2, 3, 5], [-np.pi, 0, 1 / 3, 1, np.pi, 3 / 7], [True, False, True], []])
@pytest.mark.parametrize("n", [None, 0, 1, 3])
@pytest.mark.parametrize("increasing", [False, True])
def test_vander_is_numpys_and_torchs(x, n, increasing):
    ours = ag.vander(ag.tensor(x), n, increasing)
    expected = np.vander(np.array(x), n, increasing)
    assert ours.shape == expected.shape and ours.dtype == expected.dtype
    np.testing.assert_allclose(ours.data, expected, rtol=1e-15)
    np.testing.assert_array_equal(np.vander(ag.tensor(x), n, increasing).data, ours.data)  # (np.vander dispatches)
    torch = pytest.importorskip("torch")
    if x and not isinstance(x[0], bool):
        theirs = torch.vander(torch.tensor(np.array(x)), n, increasing).numpy()
        np.testing.assert_allclose(ours.data, theirs, rtol=1e-12)


def test_vander_gradient_is_exact_at_zero():
    x = ag.tensor([0.0, 2.0, -1.0], requires_grad=True)
    ag.vander(x, 4).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [1.0, 17.0, 2.0])  # 1 + 2x + 3x**2
    assert gradcheck(lambda x: ag.vander(x, 3, increasing=True), ag.tensor([0.5, -1.5, 0.0], requires_grad=True))


@pytest.mark.parametrize("call", [lambda m: m.vander(m.ones((2, 2))), lambda m: m.vander(m.ones(3), -1)])
def test_vander_refusals_are_runtime_errors_as_torchs(call):
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        call(torch)
    with pytest.raises(ag.ops.shape.ShapeError, match="vander"):
        call(ag)


@pytest.mark.parametrize("dtype", [np.float32, np.bool_])
def test_diag_takes_torchs_out(dtype):
    # found by porting PyTorch's test_shape_ops (test_diag): torch.diag(x, out=torch.tensor(())) resizes the out
    torch = pytest.importorskip("torch")
    x = (np.arange(16).reshape(4, 4) % 3).astype(dtype)
    for k in (0, 1, -2):
        out = ag.tensor(np.zeros(0, dtype))
        assert ag.diag(ag.tensor(x), k, out=out) is out
        np.testing.assert_array_equal(out.data, torch.diag(torch.tensor(x), k).numpy())
    out = ag.zeros((4, 4), dtype=dtype)
    np.testing.assert_array_equal(ag.diag(ag.tensor(x[0]), out=out).data, np.diag(x[0]))


# Found by porting PyTorch's test_binary_ufuncs.py (test_trapezoid, test_cumulative_trapezoid): a 1-D x of another
# length than y along the axis was broadcast (NumPy's way) into a wrong integral; PyTorch refuses it.
@pytest.mark.parametrize("function", [ag.trapezoid, ag.cumulative_trapezoid])
@pytest.mark.parametrize("x", [[1.0, 2.0], [1.0, 2.0, 3.0, 4.0]])
def test_a_1d_x_of_another_length_than_y_along_the_axis_is_refused(function, x):
    torch = pytest.importorskip("torch")
    y = np.arange(6.0).reshape(2, 3)
    with pytest.raises(RuntimeError, match="There must be one `x` value for each sample point"):
        getattr(torch, function.__name__)(torch.tensor(y), x=torch.tensor(x), dim=1)
    with pytest.raises(ValueError, match="There must be one `x` value for each sample point") as caught:
        function(ag.tensor(y), x=ag.tensor(x), dim=1)
    assert isinstance(caught.value, RuntimeError)
    good = [1.0, 2.0, 4.0]
    np.testing.assert_allclose(function(ag.tensor(y), x=ag.tensor(good), dim=1).data,
                               getattr(torch, function.__name__)(torch.tensor(y), x=torch.tensor(good), dim=1))


@pytest.mark.parametrize("offset", [1, -1, 0])
def test_diagflat_takes_torchs_offset_keyword(offset):
    # found by porting PyTorch's OpInfo entries for diagflat: torch.diagflat(x, offset=1) raised a TypeError here
    values = np.array([[1.0, -2.0], [3.5, 4.0]])
    np.testing.assert_array_equal(ag.diagflat(ag.tensor(values), offset=offset).data, np.diagflat(values, offset))
    np.testing.assert_array_equal(ag.tensor([1.0, 2.0]).diagflat(offset=offset).data, np.diagflat([1.0, 2.0], offset))
    assert gradcheck(lambda t: ag.diagflat(t, offset=offset) ** 2, ag.tensor(values, requires_grad=True))
    with pytest.raises(TypeError, match=r"diagflat: got both k=1 and offset=2 \(PyTorch's name for k\)"):
        ag.diagflat(ag.tensor([1.0]), 1, offset=2)


@pytest.mark.parametrize("offset", [1, -1, 0])
def test_diagflat_takes_torchs_offset_keyword_as_torch(offset):
    from conftest import assert_function_matches_torch
    assert_function_matches_torch(lambda x: ag.diagflat(x, offset=offset), lambda x: x.diagflat(offset=offset),
                                  [[[1.0, -2.0], [3.5, 4.0]]], np.float64)
