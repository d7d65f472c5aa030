"""F.affine_grid and F.grid_sample (nn/_grid_sample_functions.py): every mode, padding mode and align_corners against
NumPy loops written from the formulas (no torch needed), over Hypothesis-drawn shapes and grids; gradients to the
input, the grid and theta by finite differences to second order; values (to the last bit, bicubic to a few units in
the last place) and first and second derivatives against PyTorch's; the errors and warnings; inputs and coordinates
that are not finite, affine_grid's sizes and its float16 values (PyTorch's to the last bit)."""
import itertools
import math
import warnings
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd_core as ag
import nn.functional as F
from autograd_core.testing import gradcheck, gradgradcheck
from nn._grid_sample_functions import _base_axis, fused_multiply_add

_PADDINGS = ("zeros", "border", "reflection")


# ---- NumPy references, from the formulas -------------------------------------------------------------------
def _source(c, n, align_corners):
    return (c + 1) / 2 * (n - 1) if align_corners else ((c + 1) * n - 1) / 2


def _reflect(c, n, align_corners):
    low, high = (0.0, n - 1.0) if align_corners else (-0.5, n - 0.5)
    span = high - low
    if span == 0:
        return 0.0
    d = abs(c - low) % (2 * span)
    return low + (d if d <= span else 2 * span - d)


def _pad(c, n, padding_mode, align_corners):
    if padding_mode == "reflection":
        c = _reflect(c, n, align_corners)
    if padding_mode != "zeros":
        c = min(max(c, 0.0), n - 1.0)
    return c


def _cubic(t):
    a, t = -0.75, abs(t)
    if t <= 1:
        return (a + 2) * t ** 3 - (a + 3) * t ** 2 + 1
    return a * t ** 3 - 5 * a * t ** 2 + 8 * a * t - 4 * a if t < 2 else 0.0


def reference_grid_sample(x, grid, mode, padding_mode, align_corners):
    """One output point at a time, in Python floats: the taps and weights of each mode along each axis, their
    product over the axes, 0 outside the input for zeros padding."""
    spatial, dims = x.shape[2:], x.ndim - 2
    out = np.zeros(x.shape[:2] + grid.shape[1:-1])
    for b in range(x.shape[0]):
        for point in itertools.product(*map(range, grid.shape[1:-1])):
            per_axis = []
            for axis, n in enumerate(spatial):
                c = _source(float(grid[(b,) + point + (dims - 1 - axis,)]), n, align_corners)
                if mode == "bicubic":
                    first = math.floor(c)
                    taps = [(_pad(first - 1 + j, n, padding_mode, align_corners), _cubic(c - (first - 1 + j)))
                            for j in range(4)]
                else:
                    c = _pad(c, n, padding_mode, align_corners)
                    if mode == "nearest":
                        taps = [(round(c), 1.0)]  # (Python's round: half to even, as nearbyint)
                    else:
                        first = math.floor(c)
                        taps = [(first, first + 1 - c), (first + 1, c - first)]
                per_axis.append(taps)
            for combo in itertools.product(*per_axis):
                index = tuple(int(round(q)) for q, _ in combo)
                if all(0 <= q < n for q, n in zip(index, spatial)):
                    weight = math.prod(w for _, w in combo)
                    out[(b, slice(None)) + point] += weight * x[(b, slice(None)) + index]
    return out


@st.composite
def sample_case(draw):
    dims = draw(st.sampled_from((2, 3)))
    mode = draw(st.sampled_from(("bilinear", "nearest", "bicubic") if dims == 2 else ("bilinear", "nearest")))
    spatial = tuple(draw(st.integers(1, 4)) for _ in range(dims))
    points = tuple(draw(st.integers(1, 3)) for _ in range(dims))
    return (dims, mode, draw(st.sampled_from(_PADDINGS)), draw(st.booleans()), (draw(st.integers(1, 2)), 2) + spatial,
            (1,) + points + (dims,))


@settings(max_examples=60, deadline=None)
@given(case=sample_case(), seed=st.integers(0, 2 ** 16))
def test_grid_sample_matches_numpy_loops(case, seed):
    dims, mode, padding_mode, align_corners, shape, grid_shape = case
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape)
    grid = rng.uniform(-1.7, 1.7, (shape[0],) + grid_shape[1:])
    if mode == "nearest":  # (away from the halves, where the exact rounding of the coordinate decides)
        grid = np.round(grid * 8) / 8 + 1e-3
    out = F.grid_sample(x, grid, mode, padding_mode, align_corners)
    want = reference_grid_sample(x, grid, mode, padding_mode, align_corners)
    assert out.shape == want.shape and out.dtype == np.float64
    np.testing.assert_allclose(out.data, want, rtol=1e-10, atol=1e-12)


def test_worked_examples():
    x = ag.tensor(np.arange(6.0).reshape(1, 1, 2, 3))
    corners = np.array([[[[-1.0, -1.0], [1.0, 1.0], [0.0, 0.0]]]])
    assert F.grid_sample(x, corners, align_corners=True).tolist() == [[[[0.0, 5.0, 2.5]]]]
    # without align_corners, -1 and 1 are the outer edges: half a pixel of zeros is blended in
    assert F.grid_sample(x, corners, align_corners=False).tolist() == [[[[0.0, 1.25, 2.5]]]]
    assert F.grid_sample(x, corners, padding_mode="border", align_corners=False).tolist() == [[[[0.0, 5.0, 2.5]]]]
    # nearest rounds half to even: x = 0.5 and 1.5 take columns 0 and 2, y = 0.5 row 0
    halves = np.array([[[[-0.5, 0.0], [0.5, 0.0]]]])
    assert F.grid_sample(x, halves, "nearest", align_corners=True).tolist() == [[[[0.0, 2.0]]]]
    # reflection: 1.5 past the right edge (align_corners) folds back to column 1.5 -> 0.5 from the end
    assert F.grid_sample(x, np.array([[[[1.5, -1.0]]]]), padding_mode="reflection",
                         align_corners=True).tolist() == [[[[1.5]]]]
    # a point exactly on a pixel reads it; bicubic too (its weights are 0, 1, 0, 0 there)
    assert F.grid_sample(x, np.array([[[[0.0, 1.0]]]]), "bicubic", align_corners=True).tolist() == [[[[4.0]]]]


def test_affine_grid_matches_numpy_and_identity_samples_the_input():
    theta = np.array([[[1.0, 0.5, 0.25], [-0.5, 2.0, 0.0]]])
    for align_corners in (False, True):
        grid = F.affine_grid(theta, (1, 1, 3, 4), align_corners=align_corners)
        xs = np.linspace(-1, 1, 4) * (1 if align_corners else 3 / 4)
        ys = np.linspace(-1, 1, 3) * (1 if align_corners else 2 / 3)
        want = np.stack(np.meshgrid(xs, ys), -1) @ theta[0, :, :2].T + theta[0, :, 2]
        np.testing.assert_allclose(grid.data[0], want, rtol=1e-14, atol=1e-15)
    x = np.random.default_rng(0).standard_normal((2, 3, 4, 5, 6))
    identity = np.tile(np.eye(3, 4), (2, 1, 1))
    for align_corners in (False, True):
        grid = F.affine_grid(identity, x.shape, align_corners=align_corners)
        assert grid.shape == (2, 4, 5, 6, 3)
        np.testing.assert_allclose(F.grid_sample(x, grid, align_corners=align_corners).data, x, atol=1e-14)
        np.testing.assert_array_equal(F.grid_sample(x, grid, "nearest", align_corners=align_corners).data, x)
    assert F.affine_grid(np.eye(2, 3)[None], (1, 1, 1, 1), align_corners=False).tolist() == [[[[0.0, 0.0]]]]


def test_fused_multiply_add_rounds_once():
    rng = np.random.default_rng(1)
    a, b, c = rng.standard_normal((3, 2000))
    exact = [float(Fraction(p) * Fraction(q) + Fraction(r)) for p, q, r in zip(a, b, c)]
    np.testing.assert_array_equal(fused_multiply_add(a, b, c), exact)
    a32, b32, c32 = (v.astype(np.float32) for v in (a, b, c))
    got = fused_multiply_add(a32, b32, c32)
    assert got.dtype == np.float32
    np.testing.assert_array_equal(got, (a32.astype(np.float64) * b32 + c32).astype(np.float32))


# ---- gradients, by finite differences ----------------------------------------------------------------------
def _away_from_kinks(rng, shape, spatial, align_corners, padding_mode):
    """A grid whose source coordinates are at least 0.1 from an integer, the clip bounds and the folds."""
    dims = len(spatial)
    grid = np.empty(shape)
    for k in range(dims):
        n = spatial[dims - 1 - k]
        whole = rng.integers(-1 if padding_mode == "zeros" else -2, n + 1, size=shape[:-1])
        c = whole + rng.uniform(0.15, 0.85, size=shape[:-1])
        if padding_mode == "border":
            c = np.where(rng.random(shape[:-1]) < 0.7, np.clip(c, 0.15, n - 1.15), c)
        grid[..., k] = (2 * c / (n - 1) - 1) if align_corners else ((2 * c + 1) / n - 1)
    return grid


@pytest.mark.parametrize("padding_mode", _PADDINGS)
@pytest.mark.parametrize("mode,dims", [("bilinear", 2), ("bilinear", 3), ("bicubic", 2), ("nearest", 2)])
def test_gradients_to_second_order(mode, dims, padding_mode):
    rng = np.random.default_rng(7)
    spatial = (3, 4) if dims == 2 else (2, 3, 2)
    for align_corners in (False, True):
        x = rng.standard_normal((1, 1) + spatial)
        grid = _away_from_kinks(rng, (1, 2, 1, 1)[:dims + 1] + (dims,), spatial, align_corners, padding_mode)

        def f(x, grid):
            return F.grid_sample(x, grid, mode, padding_mode, align_corners) ** 2

        assert gradcheck(f, x, grid, atol=1e-6, rtol=1e-5)
        assert gradgradcheck(f, x, grid, atol=1e-6, rtol=1e-5)


def test_affine_grid_gradients_to_second_order():
    rng = np.random.default_rng(2)
    for size, align_corners in ((1, 1, 3, 4), False), ((2, 1, 2, 3, 2), True):
        dims = len(size) - 2
        theta = rng.standard_normal((size[0], dims, dims + 1))

        def f(theta):
            return F.affine_grid(theta, size, align_corners=align_corners) ** 2

        assert gradcheck(f, theta) and gradgradcheck(f, theta)


def test_nearest_sends_no_gradient_to_the_grid_and_the_input_gradient_is_the_adjoint():
    rng = np.random.default_rng(4)
    x = ag.tensor(rng.standard_normal((1, 2, 3, 4)), requires_grad=True)
    grid = ag.tensor(rng.uniform(-1.2, 1.2, (1, 5, 2, 2)), requires_grad=True)
    out = F.grid_sample(x, grid, "nearest", align_corners=False)
    g, v = rng.standard_normal(out.shape), rng.standard_normal(x.shape)
    out.backward(g)
    assert grid.grad is None or not grid.grad.data.any()
    np.testing.assert_allclose(np.sum(x.grad.data * v), np.sum(g * F.grid_sample(v, grid.data, "nearest",
                                                                                  align_corners=False).data))


def test_dtypes_and_empty_shapes():
    rng = np.random.default_rng(5)
    x, grid = rng.standard_normal((2, 3, 4, 5)), rng.uniform(-1, 1, (2, 3, 2, 2))
    for dtype in (np.float32, np.float16):
        out = F.grid_sample(x.astype(dtype), grid.astype(dtype), align_corners=False)
        assert out.dtype == dtype
        np.testing.assert_allclose(out.data, F.grid_sample(x, grid, align_corners=False).data, rtol=1e-2,
                                   atol=1e-2)
    assert F.grid_sample(x[:0], grid[:0], align_corners=False).shape == (0, 3, 3, 2)
    assert F.grid_sample(x[:, :0], grid, align_corners=False).shape == (2, 0, 3, 2)
    assert F.grid_sample(x, grid[:, :0], align_corners=False).shape == (2, 3, 0, 2)
    assert F.affine_grid(np.eye(2, 3, dtype=np.float32)[None], (1, 1, 2, 2), align_corners=False).dtype == np.float32


# ---- errors and warnings -----------------------------------------------------------------------------------
def test_errors():
    x, grid = np.zeros((2, 1, 3, 3)), np.zeros((2, 2, 2, 2))
    cases = [
        (lambda: F.grid_sample(x, grid, "linear", align_corners=False), ValueError, "mode to be 'bilinear'"),
        (lambda: F.grid_sample(x, grid, padding_mode="reflect", align_corners=False), ValueError, "padding_mode"),
        (lambda: F.grid_sample(x, grid, align_corners=1), TypeError, "align_corners must be True or False"),
        (lambda: F.grid_sample(x, grid.astype(np.float32), align_corners=False), TypeError, "same dtype"),
        (lambda: F.grid_sample(x.astype(int), grid.astype(int), align_corners=False), TypeError, "float input"),
        (lambda: F.grid_sample(x[0], grid[0], align_corners=False), ValueError, "4-D input"),
        (lambda: F.grid_sample(x, grid[..., :1], align_corners=False), ValueError, "2 coordinates last"),
        (lambda: F.grid_sample(x, grid[:1], align_corners=False), ValueError, "same batch size"),
        (lambda: F.grid_sample(x[:, :, :0], grid, align_corners=False), ValueError, "non-empty spatial"),
        (lambda: F.grid_sample(x[:, :, None], np.zeros((2, 1, 1, 1, 3)), "bicubic", align_corners=False),
         ValueError, "'bicubic' only supports a 4-D input"),
        (lambda: F.affine_grid(np.zeros((1, 2, 3), int), (1, 1, 2, 2), False), ValueError, "floating point"),
        (lambda: F.affine_grid(np.zeros((1, 2, 3)), (1, 1, 2), False), NotImplementedError, "4-D and 5-D sizes"),
        (lambda: F.affine_grid(np.zeros((1, 2, 3)), (1, 1, 2, 2, 2), False), ValueError, "(N, 3, 4)"),
        (lambda: F.affine_grid(np.zeros((1, 2, 3)), (1, 1, 0, 2), False), ValueError, "positive output sizes"),
        (lambda: F.affine_grid(np.zeros((1, 2, 3)), (2, 1, 2, 2), False), ValueError, "size[0]"),
        (lambda: F.affine_grid(np.zeros((1, 2, 3)), 5, False), TypeError, "sequence of 4 or 5 ints"),
    ]
    for call, kind, text in cases:
        with pytest.raises(kind, match=text.replace("(", r"\(").replace(")", r"\)").replace("[", r"\[")):
            call()


def test_warnings():
    x, grid = np.zeros((1, 1, 2, 2)), np.zeros((1, 1, 1, 2))
    with pytest.warns(UserWarning, match="align_corners=False since 1.3.0"):
        F.grid_sample(x, grid)
    with pytest.warns(UserWarning, match="align_corners=False since 1.3.0"):
        F.affine_grid(np.eye(2, 3)[None], (1, 1, 2, 2))
    with pytest.warns(UserWarning, match="unit-size grids"):
        assert F.affine_grid(np.eye(2, 3)[None], (1, 1, 1, 2), align_corners=True).tolist() == \
            [[[[-1.0, 0.0], [1.0, 0.0]]]]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        F.grid_sample(x, grid, align_corners=False)


# ---- against PyTorch ---------------------------------------------------------------------------------------
def _torch_cases(count, seed):
    rng = np.random.default_rng(seed)
    for _ in range(count):
        dims = int(rng.choice([2, 3]))
        mode = str(rng.choice(["bilinear", "nearest", "bicubic"][:3 if dims == 2 else 2]))
        dtype = rng.choice([np.float64, np.float32])
        spatial = tuple(int(v) for v in rng.integers(1, 6, size=dims))
        x = rng.standard_normal((2, 2) + spatial).astype(dtype)
        grid = rng.uniform(-1.6, 1.6, (2,) + tuple(int(v) for v in rng.integers(1, 4, size=dims)) + (dims,))
        if rng.random() < 0.3:  # on the pixels, the halves and the borders
            grid = np.round(grid * 4) / 4
        yield x, grid.astype(dtype), mode, str(rng.choice(_PADDINGS)), bool(rng.integers(2)), rng


def test_grid_sample_matches_torch():
    torch = pytest.importorskip("torch")
    for x, grid, mode, padding_mode, align_corners, rng in _torch_cases(80, 11):
        xt, gt = torch.tensor(x, requires_grad=True), torch.tensor(grid, requires_grad=True)
        want = torch.nn.functional.grid_sample(xt, gt, mode, padding_mode, align_corners)
        xa, ga = ag.tensor(x, requires_grad=True), ag.tensor(grid, requires_grad=True)
        out = F.grid_sample(xa, ga, mode, padding_mode, align_corners)
        setting = f"{mode} {padding_mode} align_corners={align_corners} {x.dtype} {x.shape} {grid.shape}"
        if mode == "bicubic":  # (to a few units in the last place: PyTorch's compiler fuses some of its sums)
            np.testing.assert_allclose(out.data, want.detach().numpy(), rtol=8 * np.finfo(x.dtype).eps,
                                       atol=8 * np.finfo(x.dtype).eps, err_msg=setting)
        else:
            np.testing.assert_array_equal(out.data, want.detach().numpy(), err_msg=setting)
        g = rng.standard_normal(out.shape).astype(x.dtype)
        out.backward(g)
        want.backward(torch.tensor(g))
        tol = 1e-4 if x.dtype == np.float32 else 1e-11
        np.testing.assert_allclose(xa.grad.data, xt.grad.numpy(), rtol=tol, atol=tol, err_msg=setting)
        grid_grad = np.zeros_like(grid) if ga.grad is None else ga.grad.data
        np.testing.assert_allclose(grid_grad, gt.grad.numpy(), rtol=tol, atol=tol, err_msg=setting)


def test_second_derivatives_match_torch():
    """The gradient of <d out/d (x, grid) at g, (v, w)> (a Hessian-vector product): PyTorch has it for every mode."""
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(12)
    modes = (("bilinear", 2), ("bilinear", 3), ("bicubic", 2), ("nearest", 2))
    for (mode, dims), padding_mode, align_corners in itertools.product(modes, _PADDINGS, (False, True)):
        spatial = (3, 4, 3)[:dims]
        x = rng.standard_normal((1, 2) + spatial)
        grid = _away_from_kinks(rng, (1, 2, 3, 1)[:dims + 1] + (dims,), spatial, align_corners, padding_mode)
        xt, gt = torch.tensor(x, requires_grad=True), torch.tensor(grid, requires_grad=True)
        out = torch.nn.functional.grid_sample(xt, gt, mode, padding_mode, align_corners)
        g, v, w = rng.standard_normal(tuple(out.shape)), rng.standard_normal(x.shape), rng.standard_normal(grid.shape)
        dx, dg = torch.autograd.grad(out, (xt, gt), torch.tensor(g), create_graph=True)
        want = torch.autograd.grad((dx * torch.tensor(v)).sum() + (dg * torch.tensor(w)).sum(), (xt, gt),
                                   allow_unused=True)

        def inner(x, grid):
            dx, dg = ag.grad(lambda x, grid: (F.grid_sample(x, grid, mode, padding_mode, align_corners) * g).sum(),
                             argnums=(0, 1))(x, grid)
            return (dx * v).sum() + (0 if dg is None else (dg * w).sum())

        got = ag.grad(inner, argnums=(0, 1))(x, grid)
        for a, b, like in zip(got, want, (x, grid)):
            a = np.zeros_like(like) if a is None else a.data
            b = np.zeros_like(like) if b is None else b.numpy()
            np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12, err_msg=f"{mode} {dims}-D {padding_mode} "
                                                                           f"{align_corners}")


def test_affine_grid_matches_torch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(13)
    for _ in range(60):
        dims = int(rng.choice([2, 3]))
        dtype, align_corners = rng.choice([np.float64, np.float32]), bool(rng.integers(2))
        size = (2, 3) + tuple(int(v) for v in rng.integers(1, 9, size=dims))
        theta = rng.standard_normal((2, dims, dims + 1)).astype(dtype)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ta = ag.tensor(theta, requires_grad=True)
            out = F.affine_grid(ta, size, align_corners)
            tt = torch.tensor(theta, requires_grad=True)
            want = torch.nn.functional.affine_grid(tt, size, align_corners)
        np.testing.assert_array_equal(out.data, want.detach().numpy(), err_msg=f"{size} {align_corners} {dtype}")
        g = rng.standard_normal(out.shape).astype(dtype)
        out.backward(g)
        want.backward(torch.tensor(g))
        np.testing.assert_allclose(ta.grad.data, tt.grad.numpy(), rtol=1e-4 if dtype == np.float32 else 1e-12)


def test_an_inf_is_read_only_where_it_is_sampled():
    """A point on the last pixel weights its (absent) right neighbour 0: no value is read there, so an inf in the
    last pixel gives inf, not NaN (inf * 1 + inf * 0), for every padding mode, as PyTorch's."""
    x = np.array([[[[1.0, 2.0, np.inf]]]])
    for padding_mode in _PADDINGS:
        out = F.grid_sample(x, np.array([[[[1.0, 0.0], [-1.0, 0.0]]]]), padding_mode=padding_mode, align_corners=True)
        assert out.tolist() == [[[[np.inf, 1.0]]]], padding_mode
    x3 = np.full((1, 1, 2, 2, 2), -np.inf)
    x3[0, 0, 1, 1, 1] = 3.0
    for padding_mode in _PADDINGS:
        out = F.grid_sample(x3, np.array([[[[[1.0, 1.0, 1.0]]]]]), padding_mode=padding_mode, align_corners=True)
        assert out.tolist() == [[[[[3.0]]]]], padding_mode
    # an empty input or grid is not read: another dtype is taken, the output has the input's
    assert F.grid_sample(x[:0], np.zeros((0, 1, 1, 2), np.float32), align_corners=False).dtype == np.float64


def test_float16_matches_torch():
    """float16: PyTorch's scalar kernels, each operation rounded to float16, to the last bit."""
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(14)
    for mode, padding_mode, align_corners in itertools.product(("bilinear", "nearest", "bicubic"), _PADDINGS,
                                                               (False, True)):
        for dims in (2, 3) if mode != "bicubic" else (2,):
            x = rng.standard_normal((2, 2) + (4, 5, 3)[:dims]).astype(np.float16)
            grid = rng.uniform(-1.3, 1.3, (2,) + (3, 2, 2)[:dims] + (dims,)).astype(np.float16)
            want = torch.nn.functional.grid_sample(torch.tensor(x), torch.tensor(grid), mode, padding_mode,
                                                   align_corners)
            out = F.grid_sample(x, grid, mode, padding_mode, align_corners)
            assert out.dtype == np.float16
            np.testing.assert_array_equal(out.data, want.numpy(), err_msg=f"{mode} {padding_mode} {align_corners}")


# ---- non-finite inputs and coordinates -------------------------------------------------------------------------
# PyTorch multiplies a clipped coordinate's gradient by 0, so an infinite or NaN incoming gradient gives NaN there
# ('border', 'reflection'); ag.clip's gradient is 0 there. The rows: (input value at [1, 2], padding, align_corners,
# grid point (x, y)) -> PyTorch 2.13's grid gradient.
GRID_CASES = [
    (np.inf, "border", True, (0.11342497781009953, 1.1311883018481976), [np.inf, np.nan]),  # y clipped
    (np.nan, "border", True, (0.11342497781009953, 1.1311883018481976), [np.nan, np.nan]),
    (np.inf, "border", True, (0.5, 0.0), [np.inf, np.inf]),  # nothing clipped
    (np.inf, "border", False, (1.2, 0.9), [np.nan, np.nan]),  # both clipped
    (-np.inf, "reflection", False, (1.2, 0.9), [np.nan, np.nan]),
    (np.inf, "zeros", False, (1.2, 0.9), [-np.inf, -np.inf]),  # not clipped
    (np.inf, "border", True, (-0.5, -0.5), [1.0, 1.5]),  # the inf is not read
]


def _grid_input(value, dtype=np.float64):
    x = np.arange(6.0).reshape(1, 1, 2, 3)
    x[0, 0, 1, 2] = value
    return x.astype(dtype)


@pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")  # (inf * 0, as PyTorch silently)
@pytest.mark.parametrize("value, padding, align_corners, point, expected", GRID_CASES)
@pytest.mark.parametrize("dims", [2, 3])
def test_grid_sample_clipped_coordinate_gradient_is_nan_where_the_incoming_gradient_is_not_finite(
        value, padding, align_corners, point, expected, dims):
    for dtype in (np.float64, np.float32):
        x, grid = _grid_input(value, dtype), np.array([[[point]]], dtype)
        if dims == 3:  # the same samples from a 3-D input of depth 1, at z = 0 (the 3-D kernel gives the same)
            x, grid = x[:, :, None], np.concatenate([grid, np.zeros_like(grid[..., :1])], axis=-1)[:, None]
        g = ag.tensor(grid, requires_grad=True)
        F.grid_sample(ag.tensor(x), g, padding_mode=padding, align_corners=align_corners).sum().backward()
        np.testing.assert_array_equal(g.grad.data.reshape(-1)[:2], expected)


@pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")  # (inf * 0, as PyTorch silently)
def test_grid_sample_clipped_coordinates_match_torch():
    torch = pytest.importorskip("torch")
    for value, padding, align_corners, point, _ in GRID_CASES:
        for mode in ("bilinear", "nearest"):
            x, grid = _grid_input(value), np.array([[[point, (0.3, -0.2)]]])
            g, tg = ag.tensor(grid, requires_grad=True), torch.tensor(grid, requires_grad=True)
            x_ours, x_torch = ag.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
            out = F.grid_sample(x_ours, g, mode=mode, padding_mode=padding, align_corners=align_corners)
            theirs = torch.nn.functional.grid_sample(x_torch, tg, mode=mode, padding_mode=padding,
                                                     align_corners=align_corners)
            np.testing.assert_array_equal(out.data, theirs.detach().numpy())
            out.sum().backward()
            theirs.sum().backward()
            np.testing.assert_array_equal(0 if g.grad is None else g.grad.data, tg.grad.numpy())
            np.testing.assert_array_equal(x_ours.grad.data, x_torch.grad.numpy())


def test_grid_sample_clip_gradient_keeps_finite_derivatives_to_second_order():
    x = np.random.default_rng(6).standard_normal((1, 2, 3, 4))
    grid = np.array([[[[0.2, -0.3], [1.4, 0.5]], [[-1.2, -1.3], [0.7, 0.95]]]])  # inside and clipped points
    for padding in ("border", "reflection"):
        def f(x, grid):
            return F.grid_sample(x, grid, padding_mode=padding, align_corners=False)
        assert gradcheck(f, x, grid)
        assert gradgradcheck(f, x, grid)


@pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")  # (inf * 0, as PyTorch silently)
def test_grid_sample_bicubic_grid_gradient_at_an_infinite_input_departs_from_torch():
    # Kept: NaN where PyTorch's is -inf (each term of Keys' polynomial passes its share of the infinite cotangent)
    x = np.arange(9.0).reshape(1, 1, 3, 3)
    x[0, 0, 1, 1] = np.inf
    g = ag.tensor(np.array([[[[0.3, 0.2]]]]), requires_grad=True)
    out = F.grid_sample(ag.tensor(x), g, mode="bicubic", align_corners=True)
    assert out.item() == np.inf  # (PyTorch's value too)
    out.sum().backward()
    assert np.isnan(g.grad.data).all()  # PyTorch 2.13: [-inf, -inf]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf, 1e308])
@pytest.mark.filterwarnings("error")  # silently, as PyTorch: no NumPy overflow or cast warning
def test_grid_sample_3d_zeros_non_finite_coordinate_gives_zero(dtype, bad):
    # PyTorch's 3-D kernel adds only the corners inside the input: such a point gives 0 and passes no gradient
    x = ag.tensor(np.arange(1.0, 9.0, dtype=dtype).reshape(1, 1, 2, 2, 2), requires_grad=True)
    with np.errstate(over="ignore"):
        g = np.array([[[[[bad, 0.0, 0.1], [0.3, 0.2, 0.1], [0.1, bad, 0.2]]]]]).astype(dtype)
    grid = ag.tensor(g, requires_grad=True)
    out = F.grid_sample(x, grid, padding_mode="zeros", align_corners=False)
    out.sum().backward()
    assert out.dtype == dtype
    np.testing.assert_allclose(out.data.ravel(), [0.0, 5.6, 0.0], rtol=1e-6)  # (PyTorch: [0, 5.6, 0])
    np.testing.assert_allclose(grid.grad.data.ravel(), [0, 0, 0, 1, 2, 4, 0, 0, 0], rtol=1e-6)
    np.testing.assert_allclose(x.grad.data.ravel(), [0.024, 0.096, 0.056, 0.224, 0.036, 0.144, 0.084, 0.336],
                               rtol=1e-5)


def test_grid_sample_3d_zeros_non_finite_second_derivatives_hold():
    rng = np.random.default_rng(0)
    g = rng.uniform(-1, 1, size=(1, 2, 1, 2, 3))
    g[0, 0, 0, 0, 1] = np.nan
    x = rng.normal(size=(1, 2, 3, 2, 3))
    out = F.grid_sample(ag.tensor(x), ag.tensor(g), padding_mode="zeros", align_corners=True)
    assert np.isfinite(out.data).all() and (out.data[:, :, 0, 0, 0] == 0).all()
    finite = np.where(np.isnan(g), 0.3, g)  # (second derivatives at the finite points, the NaN one kept NaN)

    def f(x_, g_):
        return F.grid_sample(x_, ag.where(np.isnan(g), ag.tensor(g), g_), padding_mode="zeros", align_corners=True)
    assert gradgradcheck(f, ag.tensor(x, requires_grad=True), ag.tensor(finite, requires_grad=True))


@pytest.mark.parametrize("padding_mode", ["border", "reflection"])
@pytest.mark.filterwarnings("error")
def test_grid_sample_3d_other_paddings_keep_their_documented_nan(padding_mode):
    x = ag.tensor(np.arange(1.0, 9.0).reshape(1, 1, 2, 2, 2))
    out = F.grid_sample(x, ag.tensor(np.array([[[[[np.nan, 0.0, 0.1]]]]])), padding_mode=padding_mode,
                        align_corners=False)
    assert np.isnan(out.data).all()  # (README: a non-finite coordinate with border/reflection gives NaN)


# ---- affine_grid's size and float16 ----------------------------------------------------------------------------
@pytest.mark.parametrize("size", [(1, 1, 2.5, 2), (1, 1, 2.0, 2), (1, 1, np.float64(2), 2)])
def test_affine_grid_refuses_non_integer_sizes(size):
    # PyTorch: TypeError; we used to truncate 2.5 to 2 silently
    with pytest.raises(TypeError, match="affine_grid: size must be a sequence of 4 or 5 ints"):
        F.affine_grid(ag.tensor(np.zeros((1, 2, 3))), size, align_corners=False)


def test_affine_grid_takes_integer_like_sizes():
    theta = ag.tensor(np.eye(2, 3)[None])
    assert F.affine_grid(theta, (1, 1, np.int64(2), 3), align_corners=False).shape == (1, 2, 3, 2)


# affine_grid in float16 equals PyTorch's to the last bit, as the README promises for grid sampling. PyTorch's
# float16 linspace rounds each product and sum (c10::Half's operators, no fused multiply-add: linspace(-1, 1, 7) has 0
# at its centre, not 2.44e-4), and its float16 bmm sums in float32, rounding once. The expected values are PyTorch
# 2.13's (CPU).
@pytest.mark.parametrize("align_corners", [True, False])
def test_base_axis_float16_centre_is_zero(align_corners):
    axis = _base_axis(7, align_corners, np.float16)
    assert axis.dtype == np.float16
    expected = [-1.0, -0.667, -0.3335, 0.0, 0.3335, 0.667, 1.0] if align_corners else \
        [-0.857, -0.5713, -0.2856, 0.0, 0.2856, 0.5713, 0.857]
    assert axis.tolist() == np.array(expected, dtype=np.float16).tolist()


def test_affine_grid_float16_sums_in_float32():
    # theta's products summed in float32 and rounded once (each rounded to float16 before, 1 ulp off here)
    theta = np.array([[[0.1257, -0.1322, 0.6406], [0.1050, -0.5366, 0.3618]]], dtype=np.float16)
    grid = F.affine_grid(ag.tensor(theta), (1, 1, 2, 3), align_corners=False)
    assert grid.dtype == np.float16
    base_x = np.array([-2 / 3, 0, 2 / 3]).astype(np.float16).astype(np.float32)
    base_y = np.array([-0.5, 0.5], dtype=np.float32)
    t = theta.astype(np.float32)
    expected = np.stack([(base_x[None, :] * t[0, i, 0] + base_y[:, None] * t[0, i, 1]) + t[0, i, 2]
                         for i in range(2)], -1).astype(np.float16)
    assert np.array_equal(grid.data[0], expected)


def test_affine_grid_float16_gradient_keeps_dtype():
    theta = ag.tensor(np.eye(2, 3, dtype=np.float16)[None], requires_grad=True)
    F.affine_grid(theta, (1, 1, 7, 5), align_corners=True).sum().backward()
    assert theta.grad.dtype == np.float16
    assert theta.grad.data.tolist() == [[[0.0, 0.0, 35.0], [0.0, 0.0, 35.0]]]


def test_affine_grid_float16_against_torch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    for k in range(40):
        dims = 2 + k % 2
        size = (2, 1) + tuple(int(n) for n in rng.integers(2, 14, size=dims))
        theta = rng.normal(size=(2, dims, dims + 1)).astype(np.float16)
        ours = F.affine_grid(ag.tensor(theta), size, align_corners=bool(k % 4 < 2)).data
        theirs = torch.nn.functional.affine_grid(torch.tensor(theta), size, align_corners=bool(k % 4 < 2)).numpy()
        assert np.array_equal(ours, theirs), (size, k)


@pytest.mark.parametrize("shape, grid_shape", [((1, 2, 3, 4), (1, 2, 5, 2)), ((1, 2, 3, 4, 2), (1, 2, 2, 3, 3))])
def test_nearest_output_requires_grad_when_only_the_grid_does(shape, grid_shape):
    # (found by porting PyTorch's test_nn test_grid_sample: backward raised "the output does not require grad")
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(7)
    x, g = rng.standard_normal(shape), rng.uniform(-1.2, 1.2, grid_shape)
    g[0, 0, 0, 0] = -0.0 if len(shape) == 4 else np.inf
    grid, theirs = ag.tensor(g, requires_grad=True), torch.tensor(g, requires_grad=True)
    out = F.grid_sample(x, grid, "nearest", align_corners=False)
    want = torch.nn.functional.grid_sample(torch.tensor(x), theirs, "nearest", align_corners=False)
    assert out.requires_grad and want.requires_grad
    np.testing.assert_array_equal(out.data, want.detach().numpy())
    out.sum().backward()
    want.sum().backward()
    np.testing.assert_array_equal(grid.grad.data, theirs.grad.numpy())
    with ag.no_grad():
        assert not F.grid_sample(x, grid, "nearest", align_corners=False).requires_grad


@pytest.mark.parametrize("call", [  # (found by porting PyTorch's test_nn test_grid_sample_error_checking)
    lambda F, t: F.grid_sample(t(np.empty((1, 2, 2))), t(np.empty((1, 1, 1, 2))), align_corners=False),
    lambda F, t: F.grid_sample(t(np.empty((1, 1, 2, 2))), t(np.empty((1, 1, 1, 1, 3))), align_corners=False),
    lambda F, t: F.grid_sample(t(np.empty((1, 1, 2, 2))), t(np.empty((2, 1, 1, 2))), align_corners=False),
    lambda F, t: F.grid_sample(t(np.empty((1, 1, 2, 2))), t(np.empty((1, 1, 1, 3))), align_corners=False),
    lambda F, t: F.grid_sample(t(np.empty((1, 1, 0, 2))), t(np.empty((1, 1, 1, 2))), align_corners=False),
    lambda F, t: F.grid_sample(t(np.empty((1, 1, 2, 2, 2))), t(np.empty((1, 1, 1, 1, 3))), mode="bicubic",
                               align_corners=False),
    lambda F, t: F.grid_sample(t(np.ones((1, 1, 2, 2), np.float32)), t(np.ones((1, 1, 1, 2))), align_corners=False),
    lambda F, t: F.grid_sample(t(np.ones((1, 1, 2, 2), int)), t(np.ones((1, 1, 1, 2), int)), align_corners=False),
])
def test_shape_and_dtype_errors_are_runtime_errors_as_torch_s(call):
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        call(torch.nn.functional, torch.tensor)
    with pytest.raises(RuntimeError, match="grid_sample: ") as raised:  # (they were plain ValueErrors, TypeErrors)
        call(F, ag.tensor)
    assert isinstance(raised.value, (ValueError, TypeError))


def test_unit_size_warning_points_to_the_documentation_as_torch_s():
    # (PyTorch's test_affine_grid_error_checking looks for this sentence in the warning)
    for theta, size in ((np.zeros((1, 2, 3)), (1, 1, 2, 1)), (np.zeros((1, 3, 4)), (1, 1, 3, 2, 1))):
        with pytest.warns(UserWarning, match="See the documentation of affine_grid for details"):
            F.affine_grid(theta, size, align_corners=True)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            F.affine_grid(theta, size, align_corners=False)
