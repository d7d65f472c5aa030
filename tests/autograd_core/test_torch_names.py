"""PyTorch's names for Tensor methods (autograd_core/torch_names.py): casts (long, int, bool, half, type_as, to),
contiguous, expand/expand_as/view_as/reshape_as, new_*, add/sub/mul/div, neg, eq..., masked_fill, norm. The
differentiable ones are declared once for the generated checks (NumPy reference, finite-difference first and second
derivatives, graph freed, float32); then the constants, torch's errors, and comparisons with PyTorch itself; then
to's positional flags, div's rounding modes, the fill values refused or taken, view's sizes and dtypes and norm's
empty dim, each as PyTorch's (test_torch_in_place.py has the in-place methods). The methods moved from tensor.py
(view, unsqueeze, ...) keep their own tests (test_tensor.py, test_methods_coverage.py)."""
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd_core as ag
from autograd_core._arguments import DeviceError
from autograd_core.testing.strategies import shapes

try:  # (optional: the comparisons with PyTorch skip without it)
    import torch
except ImportError:
    torch = None

sys.path.append(str(Path(__file__).resolve().parent / "ops"))  # the engine's declaration tables
sys.path.append(str(Path(__file__).resolve().parents[1]))  # conftest's helpers
from conftest import assert_function_matches_torch, torch_older_than  # noqa: E402
from optable import SMALL, Op, generated_tests  # noqa: E402

RNG = np.random.default_rng(0)


@st.composite
def _expand_case(draw):
    """((shape,), {"sizes"}): target sizes for expand: -1 or a new size on the size-1 axes, leading axes added."""
    shape = draw(shapes(**SMALL))
    sizes = [draw(st.sampled_from([-1, n] + ([3] if n == 1 else []))) for n in shape]
    return (shape,), {"sizes": tuple(draw(st.lists(st.integers(0, 3), max_size=2)) + sizes)}


def _expand_ref(x, sizes):
    lead = len(sizes) - x.ndim
    return np.broadcast_to(x, tuple(x.shape[i - lead] if n == -1 else n for i, n in enumerate(sizes)))


@st.composite
def _masked_fill_case(draw):
    shape = draw(shapes(**SMALL))
    return (shape, ()), {"mask": draw(hnp.arrays(bool, draw(hnp.broadcastable_shapes(shape, max_side=3))))}


@st.composite
def _norm_case(draw):
    shape = draw(shapes(min_dims=1, max_dims=3, min_side=1, max_side=3))
    dim = draw(st.none() | st.integers(-len(shape), len(shape) - 1) | st.just(tuple(range(len(shape)))))
    p = draw(st.sampled_from(["fro", 1, 2, 3, 1.5]))
    if p == "fro" and isinstance(dim, tuple) and len(dim) > 2:  # (torch's 'fro' refuses more than two dims)
        dim = None
    return (shape,), {"p": p, "dim": dim, "keepdim": draw(st.booleans())}


def _norm_ref(x, p, dim, keepdim):
    return np.linalg.vector_norm(x, ord=2 if p == "fro" else p, axis=dim, keepdims=keepdim)


@st.composite
def _flatten_case(draw):
    shape = draw(shapes(**SMALL))
    ndim = max(len(shape), 1)
    start = draw(st.integers(-ndim, ndim - 1))
    end = draw(st.integers(start % ndim, ndim - 1))
    return (shape,), {"start_dim": start, "end_dim": end - ndim * draw(st.integers(0, 1))}


def _flatten_ref(x, start_dim, end_dim):
    shape = x.shape or (1,)
    start, end = start_dim % len(shape), end_dim % len(shape)
    return x.reshape(shape[:start] + (-1 if x.size else 0,) + shape[end + 1:])


TORCH_METHODS = [
    Op("flatten_dims", lambda x, **kw: x.flatten(**kw), _flatten_ref, case=_flatten_case()),
    Op("expand", lambda x, sizes: x.expand(*sizes), _expand_ref, case=_expand_case()),
    Op("expand_tuple", lambda x, sizes: x.expand(sizes), _expand_ref, case=_expand_case()),
    Op("expand_as", lambda x, y: x.expand_as(y) * y, lambda x, y: np.broadcast_to(x, y.shape) * y, arity=2,
       shapes=st.sampled_from([((3, 1), (2, 3, 4)), ((), (2,)), ((1, 2), (2, 2))])),
    Op("view_as", lambda x, y: x.view_as(y) * y, lambda x, y: x.reshape(y.shape) * y, arity=2,
       shapes=st.sampled_from([((6,), (2, 3)), ((2, 2), (4,)), ((1,), ())])),
    Op("reshape_as", lambda x, y: x.T.reshape_as(y) + y, lambda x, y: x.T.reshape(y.shape) + y, arity=2,
       shapes=st.sampled_from([((2, 3), (6,)), ((2, 2), (4, 1))])),
    Op("contiguous", lambda x: x.T.contiguous(), lambda x: np.array(x.T, order="C")),
    Op("type_as", lambda x, y: x.type_as(y) * y, lambda x, y: x * y, arity=2),
    Op("to_copy", lambda x: x.to("cpu", copy=True), lambda x: x),
    Op("double", lambda x: x.double() * x, lambda x: x * x, float32=False),  # (float64: double() is x itself)
    Op("add_alpha", lambda x, y: x.add(y, alpha=2.5), lambda x, y: x + 2.5 * y, arity=2),
    Op("sub_alpha", lambda x, y: x.sub(y, alpha=-2), lambda x, y: x + 2 * y, arity=2),
    Op("mul", lambda x, y: x.mul(y), np.multiply, arity=2),
    Op("div", lambda x, y: x.div(y), np.divide, arity=2, elements=[(-3.0, 3.0), (0.5, 3.0)]),
    Op("div_trunc", lambda x, y: x.div(y, rounding_mode="trunc"), lambda x, y: np.trunc(x / y), arity=2,
       elements=[(0.1, 3.0), (0.5, 1.5)], gradgrad=False,
       valid=lambda x, y: bool(np.all(np.abs(x / y - np.round(x / y)) > 1e-3))),
    Op("neg", lambda x: x.neg(), np.negative),
    Op("matmul", lambda a, b: a.matmul(b), np.matmul, arity=2,
       shapes=st.sampled_from([((2, 3), (3,)), ((2, 1, 3), (1, 3, 2)), ((3,), (3,))])),
    Op("masked_fill", lambda x, v, mask: x.masked_fill(ag.tensor(mask), v),
       lambda x, v, mask: np.where(mask, v, x), arity=2, case=_masked_fill_case()),
    Op("masked_fill_number", lambda x, mask: x.masked_fill(mask, -1.5), lambda x, mask: np.where(mask, -1.5, x),
       case=_masked_fill_case().map(lambda c: (c[0][:1], c[1]))),
    Op("norm", lambda x, **kw: x.norm(**kw), _norm_ref, case=_norm_case(), avoid=(0.0,), margin=0.05),
]

globals().update(generated_tests(TORCH_METHODS))


# ---- casts, devices, layout, creation ----
def test_integer_and_bool_casts_are_constants():
    x = ag.tensor([-1.7, 0.0, 2.5], requires_grad=True)
    for method, dtype in (("long", np.int64), ("int", np.int32), ("bool", np.bool_)):
        out = getattr(x, method)()
        assert out.dtype == dtype and not out.requires_grad
        np.testing.assert_array_equal(out.data, x.data.astype(dtype))
    half = x.half()
    assert half.dtype == np.float16 and half.requires_grad
    half.sum().backward()
    np.testing.assert_array_equal(x.grad.data, [1.0, 1.0, 1.0])


def test_device_is_the_string_cpu_with_torch_devices_type_and_index():
    x = ag.ones(2)
    assert x.device == "cpu" and str(x.device) == "cpu" and repr(x.device) == "'cpu'" and isinstance(x.device, str)
    assert (x.device.type, x.device.index) == ("cpu", None)
    assert x.device.type != "cuda" and ag.zeros(1, device=x.device.type).device == "cpu"  # HF's device checks
    assert x.to(x.device) is x and {x.device: 1}["cpu"] == 1
    torch = pytest.importorskip("torch")
    assert (x.device.type, x.device.index) == (torch.ones(2).device.type, torch.ones(2).device.index)


def test_to_forms():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    halved = ag.tensor([0.1, 0.2], requires_grad=True).type_as(ag.zeros(1, dtype=np.float32))
    assert halved.dtype == np.float32 and halved.requires_grad
    assert x.to("cpu") is x and x.to("cpu:0") is x and x.to(np.float64) is x and x.to(x) is x and x.cpu() is x
    assert x.to(device="cpu", dtype=np.float32).dtype == np.float32
    assert x.to(ag.tensor([1], dtype=np.int32)).dtype == np.int32
    assert x.to("float32").dtype == np.float32 and x.to("cpu", np.float32).requires_grad
    copied = x.to(copy=True)
    assert copied is not x and copied.requires_grad and not np.shares_memory(copied.data, x.data)


class _TorchLike:  # what str() of torch.float32 and torch.device("cuda") give, without torch
    def __init__(self, text):
        self.text = text

    def __str__(self):
        return self.text


def test_to_reads_torch_dtypes_by_name():
    x = ag.tensor([1.5])
    assert x.to(_TorchLike("torch.float32")).dtype == np.float32
    assert x.to(_TorchLike("torch.long")).dtype == np.int64
    assert x.to(_TorchLike("torch.double")).dtype == np.float64


def test_type_converts_to_a_dtype_as_to_does():
    # the "Optimizing model parameters" tutorial counts hits with (pred.argmax(1) == y).type(torch.float).sum()
    hits = ag.tensor([1, 2, 3]) == ag.tensor([1, 0, 3])
    counted = hits.type(np.float32)
    assert counted.dtype == np.float32 and float(counted.sum()) == 2.0
    assert ag.tensor([1.5]).type(_TorchLike("torch.float")).dtype == np.float32
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    assert x.type(np.float64) is x
    halved = x.type(np.float16)
    assert halved.dtype == np.float16 and halved.requires_grad


# (dtype, PyTorch's tensor type name): t.type() gives the name, t.type(name) converts to the dtype
TENSOR_TYPES = [(np.float32, "torch.FloatTensor"), (np.float64, "torch.DoubleTensor"), (np.float16, "torch.HalfTensor"),
                (np.int64, "torch.LongTensor"), (np.int32, "torch.IntTensor"), (np.int16, "torch.ShortTensor"),
                (np.int8, "torch.CharTensor"), (np.uint8, "torch.ByteTensor"), (np.bool_, "torch.BoolTensor")]


@pytest.mark.parametrize("dtype, name", TENSOR_TYPES, ids=[name for _, name in TENSOR_TYPES])
def test_type_names_pytorchs_tensor_type_and_converts_to_one_by_name(dtype, name):
    x = ag.tensor([0.0, 1.0, 2.5])
    converted = x.type(name)
    assert converted.dtype == dtype and converted.type() == name
    np.testing.assert_array_equal(converted.data, np.array([0.0, 1.0, 2.5]).astype(dtype))


def test_type_takes_the_legacy_constructors_as_cs231n_gan_casts_with_them():
    # CS231n's GAN notebook: dtype = torch.FloatTensor, then real_data = x.type(dtype) in run_a_gan
    x = ag.tensor([[0.25, -1.5]], requires_grad=True)
    cast = x.type(ag.FloatTensor)
    assert cast.dtype == np.float32 and cast.type() == "torch.FloatTensor"
    (cast * cast).sum().backward()  # differentiable, as to(float32)
    np.testing.assert_array_equal(x.grad.data, [[0.5, -3.0]])
    assert x.type(ag.DoubleTensor) is x  # the dtype it has: self, as to(dtype)
    assert ag.tensor([1.7, -2.0]).type(ag.LongTensor).tolist() == [1, -2]


def test_type_refuses_a_cuda_type_and_a_dtype_without_a_name():
    with pytest.raises(DeviceError, match=r"^type: device 'cuda' is not available"):
        ag.tensor([1.0]).type("torch.cuda.FloatTensor")
    with pytest.raises(TypeError, match=r"^type: unknown tensor type 'torch.NoSuchTensor'; PyTorch's CPU tensor "
                                        r"types are torch.FloatTensor, torch.DoubleTensor, .*torch.BoolTensor \(or "
                                        r"give a dtype\)$"):
        ag.tensor([1.0]).type("torch.NoSuchTensor")
    with pytest.raises(TypeError, match=r"^type: a uint16 Tensor has no PyTorch tensor type name; t.dtype is its "
                                        r"dtype$"):
        ag.tensor([1], dtype=np.uint16).type()


@pytest.mark.parametrize("dtype, name", TENSOR_TYPES, ids=[name for _, name in TENSOR_TYPES])
def test_tensor_type_names_and_conversions_are_pytorchs(dtype, name):
    torch = pytest.importorskip("torch")
    theirs = torch.tensor([0.0, 1.0, 2.5]).type(name)
    ours = ag.tensor([0.0, 1.0, 2.5]).type(name)
    assert ours.type() == theirs.type() == name
    np.testing.assert_array_equal(ours.data, theirs.numpy())
    constructor = name.removeprefix("torch.")
    if hasattr(ag, constructor):  # the legacy constructors both libraries have: LongTensor, FloatTensor, DoubleTensor
        assert ag.tensor([0.5]).type(getattr(ag, constructor)).type() == \
            torch.tensor([0.5]).type(getattr(torch, constructor)).type()


def test_contiguous_returns_self_or_a_c_ordered_copy():
    x = ag.zeros((2, 3), requires_grad=True)
    assert x.contiguous() is x
    y = x.T.contiguous()
    assert y.data.flags.c_contiguous and y.requires_grad and y.shape == (3, 2)
    assert ag.tensor(2.0).contiguous().shape == ()


def test_new_creators_take_self_dtype():
    x = ag.tensor([1, 2], dtype=np.int32)
    for out in (x.new_zeros(2, 3), x.new_zeros((2, 3)), x.new_ones([2, 3]), x.new_full((2, 3), 7),
                x.new_empty(2, 3)):
        assert out.shape == (2, 3) and out.dtype == np.int32 and not out.requires_grad
    assert (x.new_full((2,), 7).data == 7).all() and (x.new_ones(1).data == 1).all()
    w = ag.tensor([1.0], dtype=np.float32, requires_grad=True)
    fresh = w.new_tensor(w)
    assert fresh.dtype == np.float32 and fresh.is_leaf and not fresh.requires_grad and fresh.data is not w.data
    assert w.new_zeros(3, requires_grad=True).requires_grad
    assert w.new_zeros(2, dtype=np.float64).dtype == np.float64 and w.new_zeros(()).shape == ()


def test_comparisons_by_name():
    x, y = ag.tensor([1.0, 2.0, 3.0]), ag.tensor([2.0, 2.0, 2.0])
    for name, ufunc in (("eq", np.equal), ("ne", np.not_equal), ("lt", np.less), ("le", np.less_equal),
                        ("gt", np.greater), ("ge", np.greater_equal)):
        out = getattr(x, name)(y)
        assert out.dtype == np.bool_
        np.testing.assert_array_equal(out.data, ufunc(x.data, y.data))
        np.testing.assert_array_equal(getattr(x, name)(2.0).data, ufunc(x.data, 2.0))


def test_div_floor_and_masked_fill_dtype():
    np.testing.assert_array_equal(ag.tensor([-3.0, 3.0]).div(2, rounding_mode="floor").data, [-2.0, 1.0])
    ints = ag.tensor([1, 2]).masked_fill(ag.tensor([True, False]), 1.5)
    assert ints.dtype == np.int64 and ints.tolist() == [1, 2]
    x = ag.zeros(2, dtype=np.float32)
    assert x.masked_fill(np.array([True, False]), ag.tensor(2.0)).dtype == np.float32
    value = ag.tensor(2.0, requires_grad=True)
    ag.zeros((2, 2)).masked_fill(np.array([True, False]), value).sum().backward()
    assert float(value.grad) == 2.0


def test_norm_nuc_and_inf_and_zero_vector_gradient():
    a = RNG.standard_normal((2, 3, 4))
    np.testing.assert_allclose(ag.tensor(a).norm("nuc", dim=(1, 2)).data,
                               np.linalg.norm(a, "nuc", axis=(1, 2)), rtol=1e-12)
    np.testing.assert_allclose(ag.tensor(a).norm(np.inf, dim=1).data, np.abs(a).max(1), rtol=1e-12)
    np.testing.assert_allclose(ag.tensor(a).norm(0).data, np.count_nonzero(a))
    z = ag.zeros(3, requires_grad=True)
    z.norm().backward()
    np.testing.assert_array_equal(z.grad.data, [0.0, 0.0, 0.0])


def test_moved_methods_are_set_on_tensor():
    t = ag.arange(6.0)
    assert t.view(2, 3).shape == (2, 3) and t.numel() == 6 and t.dim() == 1 and t.float().dtype == np.float32
    assert ag.Tensor.view.__qualname__ == "Tensor.view" and ag.Tensor.clone is ag.clone  # (ag.copy with memory_format=)
    assert ag.Tensor.asin is ag.arcsin and ag.Tensor.movedim is ag.moveaxis


def test_numpy_names_keep_numpy_meaning():
    t = ag.tensor([[3.0, 1.0], [2.0, 4.0]])
    assert t.size == 4  # NumPy's int (called, it is PyTorch's size(): test_tensor_size.py)
    # PyTorch's t.repeat is np.tile, its t.sort returns indices too, its equal one bool: absent, or NumPy's
    if hasattr(t, "repeat"):  # (absent: an AttributeError naming ag.tile, test_torch_extras_edges)
        np.testing.assert_array_equal(t.repeat(2).data, t.data.repeat(2))
    if hasattr(t, "sort"):  # (the class holds a descriptor that raises AttributeError naming ag.sort/argsort)
        np.testing.assert_array_equal(t.sort().data, np.sort(t.data))
    if hasattr(ag, "equal"):
        np.testing.assert_array_equal(ag.equal(t, t).data, np.ones((2, 2), bool))


# ---- errors where PyTorch raises ----
X = ag.zeros((2, 3))


@pytest.mark.parametrize("call, kind, message", [
    (lambda: X.expand(2, 4), ValueError, r"expanded size 4 must match the existing size 3 at non-singleton dimension "
                                         r"1; target sizes \(2, 4\), Tensor shape \(2, 3\)"),
    (lambda: X.expand(3), ValueError, r"number of sizes given \(1\) must be at least .* \(2, shape \(2, 3\)\)"),
    (lambda: X.expand(-1, 2, 3), ValueError, r"size -1 is not allowed in a new leading dimension \(0\)"),
    (lambda: X.expand(2.0, 3), TypeError, "sizes must be ints"),
    (lambda: X.to("cuda"), RuntimeError, "device 'cuda' is not available: .* use 'cpu'"),
    (lambda: X.to(_TorchLike("torch.float32"), "cuda"), RuntimeError, "device 'cuda'"),
    (lambda: X.to("cpu", "cuda"), TypeError, "device given twice"),
    (lambda: X.to("nonsense"), TypeError, "'nonsense' is not a dtype"),
    (lambda: X.to(X, np.float32), TypeError, "a Tensor argument .* comes alone"),
    (lambda: X.type_as(np.float32), TypeError, "expects a Tensor .* whose dtype"),
    (lambda: X.view_as((2, 3)), TypeError, "expects a Tensor .* whose shape"),
    (lambda: X.T.view_as(ag.zeros(6)), RuntimeError, "use reshape, which copies"),
    (lambda: X.masked_fill(np.ones((2, 3)), 1.0), TypeError, "mask must be a boolean Tensor, got dtype float64"),
    (lambda: X.masked_fill(np.ones((2, 3), bool), ag.zeros(3)), ValueError, r"0-d Tensor, got shape \(3,\)"),
    (lambda: X.masked_fill(np.ones(2, bool), 1.0), ValueError, r"mask of shape \(2,\) does not broadcast"),
    (lambda: X.norm("nuc", dim=0), ValueError, "p='nuc' needs two dims"),
    (lambda: X.norm("bad"), ValueError, "p must be a number, 'fro' or 'nuc'"),
    (lambda: X.div(2, rounding_mode="round"), ValueError, "rounding_mode must be None, 'floor' or 'trunc'"),
    (lambda: X.new_zeros(-1), ValueError, "sizes must be non-negative"),
    (lambda: X.long().new_zeros(2, requires_grad=True), TypeError, "only floating-point Tensors"),
    (lambda: X.fill_(np.zeros(2)), ValueError, "value must be a number or a 0-d Tensor"),
    (lambda: X.flatten("F"), TypeError, "start_dim must be an int .* order= is not supported"),
    (lambda: X.flatten(1, 0), ValueError, "start_dim=1 comes after end_dim=0"),
    (lambda: X.flatten(0, 2), IndexError, r"must be in \[-2, 2\) for a Tensor of shape \(2, 3\)"),
])
def test_errors_name_the_operation_and_what_is_valid(call, kind, message):
    with pytest.raises(kind, match=message):
        call()


# ---- PyTorch itself ----
@settings(max_examples=15)
@given(data=st.data(), dtype=st.sampled_from([np.float64, np.float32]))
def test_methods_match_torch(data, dtype):
    torch = pytest.importorskip("torch")
    (shape,), kw = data.draw(_expand_case())
    x = RNG.standard_normal(shape)
    assert_function_matches_torch(lambda t: t.expand(*kw["sizes"]), lambda t: t.expand(kw["sizes"]), [x], dtype)
    (shape, _), kw = data.draw(_masked_fill_case())
    mask = kw["mask"]
    assert_function_matches_torch(lambda t, v: t.masked_fill(mask, v),
                                  lambda t, v: t.masked_fill(torch.tensor(mask), v),
                                  [RNG.standard_normal(shape), RNG.standard_normal(())], dtype)
    (shape,), kw = data.draw(_flatten_case())
    x = RNG.standard_normal(shape)
    assert_function_matches_torch(lambda t: t.flatten(**kw), lambda t: t.flatten(**kw), [x], dtype)
    (shape,), kw = data.draw(_norm_case())
    x = RNG.standard_normal(shape)
    assert_function_matches_torch(lambda t: t.norm(**kw), lambda t: t.norm(**kw), [x], dtype, tol_factor=64)
    a, b = RNG.standard_normal(shape), RNG.standard_normal(shape)
    alpha = data.draw(st.sampled_from([1, 2, -0.5]))
    assert_function_matches_torch(lambda s, t: s.add(t, alpha=alpha), lambda s, t: s.add(t, alpha=alpha),
                                  [a, b], dtype)
    assert_function_matches_torch(lambda s, t: s.sub(t, alpha=alpha), lambda s, t: s.sub(t, alpha=alpha),
                                  [a, b], dtype)
    for mode in ("trunc", "floor"):
        np.testing.assert_array_equal(ag.tensor(a).div(b, rounding_mode=mode).data,
                                      torch.tensor(a).div(torch.tensor(b), rounding_mode=mode).numpy())


def test_casts_contiguous_and_new_match_torch():
    torch = pytest.importorskip("torch")
    values = np.array([-2.7, -0.5, 0.0, 0.5, 2.7, 1e3])
    ours, theirs = ag.tensor(values), torch.tensor(values)
    for method in ("long", "int", "bool", "half", "float", "double"):
        np.testing.assert_array_equal(getattr(ours, method)().data, getattr(theirs, method)().numpy())
    assert ours.to(torch.float32).dtype == np.float32 and ours.to(torch.device("cpu")) is ours
    with pytest.raises(RuntimeError, match="device 'cuda'"):
        ours.to(torch.device("cuda"))
    t = torch.zeros(2, 3).t()
    assert not t.is_contiguous() and not ag.zeros((2, 3)).T.data.flags.c_contiguous
    for name, args in (("new_zeros", (2, 3)), ("new_ones", ((2,),)), ("new_full", ((2,), 3.0))):
        np.testing.assert_array_equal(getattr(ours, name)(*args).data, getattr(theirs, name)(*args).numpy())


# to's argument forms, as PyTorch's: non_blocking and copy may follow the dtype, the device or the Tensor
# positionally (to(torch.float32, True) was refused as "dtype given twice"); a flag where a dtype or device belongs
# is refused, naming it.

@pytest.mark.parametrize("args", [(np.float32, True), (np.float64, False, True), ("cpu", np.float32, False),
                                  ("cpu", np.float64, True, True)])
def test_positional_non_blocking_and_copy_are_taken(args):
    torch = pytest.importorskip("torch")
    t = ag.tensor([1.0, 2.0], requires_grad=True)
    their_args = tuple(getattr(torch, np.dtype(a).name) if isinstance(a, type) else a for a in args)
    expected = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)
    theirs = expected.to(*their_args)
    ours = t.to(*args)
    assert ours.dtype == theirs.detach().numpy().dtype
    assert (ours is t) == (theirs is expected)
    ours.sum().backward()
    assert t.grad.tolist() == [1.0, 1.0]


def test_another_tensor_then_flags():
    t, other = ag.tensor([1.0, 2.0]), ag.tensor([1], dtype=np.int32)
    assert t.to(other, False, True).dtype == np.int32
    same = ag.tensor([0.0])
    assert t.to(same, False, True) is not t and t.to(same, False) is t


@pytest.mark.parametrize("args", [(True,), (np.float32, True, True, True)])
def test_a_flag_where_a_dtype_belongs_is_refused(args):
    with pytest.raises(TypeError, match="to: got True where a dtype, a device or a Tensor belongs"):
        ag.tensor([1.0]).to(*args)


# div(rounding_mode=), as PyTorch's: of integers, "trunc" gives integers computed exactly (it went through a float64
# quotient: a float result, wrong beyond 2**53), and both modes refuse a zero divisor as PyTorch does (NumPy gives 0
# with a warning).

@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.int8, np.uint8])
@pytest.mark.parametrize("mode", ["trunc", "floor"])
def test_integer_rounding_division_matches_torch(dtype, mode):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    info = np.iinfo(dtype)
    a = rng.integers(info.min, info.max, (4, 5), endpoint=True).astype(dtype)
    b = rng.integers(1 if info.min == 0 else -9, 10, (4, 5)).astype(dtype)
    b[b == 0] = 3
    for other, their_other in ((ag.tensor(b), torch.tensor(b)), (7, 7), (-3 if info.min else 3, -3 if info.min else 3)):
        expected = torch.tensor(a).div(their_other, rounding_mode=mode).numpy()
        got = ag.tensor(a).div(other, rounding_mode=mode)
        assert got.dtype == expected.dtype
        np.testing.assert_array_equal(got.data, expected)


def test_trunc_of_large_int64_is_exact():
    big = -2 ** 62 - 1
    got = ag.tensor([big, 7, -7, -128]).div(3, rounding_mode="trunc")
    assert got.dtype == np.int64
    assert got.tolist() == [-1537228672809129301, 2, -2, -42]
    with np.errstate(over="ignore"):  # (wraps, as torch's)
        assert ag.tensor(np.array([-128], np.int8)).div(-1, rounding_mode="trunc").tolist() == [-128]


@pytest.mark.parametrize("mode", ["trunc", "floor"])
def test_integer_division_by_zero_is_refused(mode):
    with pytest.raises(ZeroDivisionError, match="div: integer division by zero"):
        ag.tensor([1, 2]).div(0, rounding_mode=mode)
    with pytest.raises(ZeroDivisionError, match="div: integer division by zero"):
        ag.tensor([1, 2]).div(ag.tensor([1, 0]), rounding_mode=mode)
    assert ag.tensor(np.zeros(0, np.int64)).div(0, rounding_mode=mode).shape == (0,)  # (no element divided)


def test_float_rounding_division_is_unchanged():
    x = ag.tensor([-3.5, 3.5, -0.0], requires_grad=True)
    np.testing.assert_array_equal(x.div(2, rounding_mode="trunc").data, [-1.0, 1.0, -0.0])
    np.testing.assert_array_equal(ag.tensor([7]).div(2.0, rounding_mode="trunc").data, [3.0])
    with np.errstate(divide="ignore"):
        np.testing.assert_array_equal(ag.tensor([1.0]).div(0, rounding_mode="floor").data, [np.inf])


@pytest.mark.parametrize("mode", ["trunc", "floor"])
def test_a_python_int_beyond_the_dtype_is_named(mode):
    # (floor_divide let NumPy's bare "Python integer -2 out of bounds for uint8" through, as // does)
    with pytest.raises(OverflowError, match="floor_divide: .*a Python int must fit the Tensor's integer dtype"):
        ag.tensor(np.array([4], np.uint8)).div(-2, rounding_mode=mode)
    with pytest.raises(OverflowError, match="floor_divide: "):
        ag.tensor(np.array([4], np.int8)) // 300


@pytest.mark.parametrize("mode", ["trunc", "floor"])
def test_float16_by_a_python_number_rounds_the_float32_quotient_once(mode):
    torch = pytest.importorskip("torch")
    # (the quotient was rounded to float16 first: 98.94 / -0.925 is -106.96, which became -107.0, truncated to -107
    # where PyTorch gives -106)
    rng = np.random.default_rng(0)
    a = (rng.standard_normal(2000) * 50).astype(np.float16)
    for divisor in (-0.925018182156823, 0.4040521866845826, 3.0, -7):
        expected = torch.tensor(a).div(divisor, rounding_mode=mode).numpy()
        got = ag.tensor(a).div(divisor, rounding_mode=mode)
        assert got.dtype == np.float16
        np.testing.assert_array_equal(got.data, expected)


# The fill values of masked_fill, fill_, new_full and scatter(value=): a value the dtype cannot hold (NaN or inf into
# an integer Tensor, 300 into int8, 1e39 into float32) is refused with an OverflowError naming the operation, as
# PyTorch refuses it, where it silently became INT64_MIN, 44 or inf; new_full takes a 0-d Tensor fill value, as
# PyTorch's.

CASES = [  # (dtype, value) that PyTorch refuses (a negative float never wraps into an unsigned dtype)
    (np.int64, float("nan")), (np.int64, float("inf")), (np.int32, 3e9), (np.int8, 300), (np.int8, -129),
    (np.int8, 128.0), (np.int8, -128.5), (np.uint8, 256), (np.uint8, -1.0), (np.uint8, -0.5), (np.float32, 1e39),
    (np.float16, 1e6), (np.float16, 65519.0)]


def _refuses(call, owner):
    with pytest.raises(OverflowError, match=f"{owner}: the value .* cannot be converted to dtype"):
        call()


@pytest.mark.parametrize("dtype, value", CASES)
def test_a_value_the_dtype_cannot_hold_is_refused_as_by_torch(dtype, value):
    torch = pytest.importorskip("torch")
    t = torch.tensor(np.array([1, 2], dtype))
    with pytest.raises(RuntimeError, match="cannot be converted"):
        t.masked_fill(torch.tensor([True, False]), value)
    x = ag.tensor(np.array([1, 2], dtype))
    _refuses(lambda: x.masked_fill(ag.tensor([True, False]), value), "masked_fill")
    _refuses(lambda: x.new_full((2,), value), "new_full")
    _refuses(lambda: ag.scatter(x, 0, ag.tensor([0]), value=value), "scatter")
    _refuses(lambda: ag.tensor(np.array([1, 2], dtype)).fill_(value), "fill_")
    assert x.tolist() == [1, 2]


@pytest.mark.parametrize("dtype, value", [(np.uint8, -1), (np.int8, 127), (np.int8, 2.7), (np.float16, 65504.0),
                                          (np.float32, float("-inf")), (np.float16, float("nan")), (np.bool_, 2)])
def test_values_torch_takes_are_taken(dtype, value):
    torch = pytest.importorskip("torch")
    mask = np.array([True, False])
    expected = torch.tensor(np.array([1, 0], dtype)).masked_fill(torch.tensor(mask), value).numpy()
    got = ag.tensor(np.array([1, 0], dtype)).masked_fill(ag.tensor(mask), value)
    assert got.dtype == expected.dtype
    np.testing.assert_array_equal(got.data, expected)
    np.testing.assert_array_equal(ag.tensor(np.array([1, 0], dtype)).new_full((2,), value).data,
                                  torch.tensor(np.array([1, 0], dtype)).new_full((2,), value).numpy())


# A float's fraction is cut toward 0, so a float below max + 1 fits an integer dtype (127.9 gives int8 127), and
# max + 1 does not, even where it is the float nearest max (2.0**63 for int64, which wrapped to its minimum): PyTorch
# 2.14's rule (its check compares with max + 1 = 2**digits, exact in floating point); 2.13 refused 127.9 too
FRACTIONS_BELOW_MAX_PLUS_1 = [(np.int8, 127.9, 127), (np.uint8, 255.5, 255), (np.int32, 2147483647.99, 2147483647),
                              (np.int64, 2.0 ** 63 - 1024, 2 ** 63 - 1024)]


@pytest.mark.parametrize("dtype, value, expected", FRACTIONS_BELOW_MAX_PLUS_1)
def test_a_float_below_max_plus_1_is_cut_toward_0(dtype, value, expected):
    x = ag.tensor(np.array([1, 2], dtype))
    assert x.masked_fill(ag.tensor([True, False]), value).tolist() == [expected, 2]
    assert x.new_full((2,), value).tolist() == [expected, expected]
    assert ag.scatter(x, 0, ag.tensor([0]), value=value).tolist() == [expected, 2]
    assert ag.tensor(np.array([1, 2], dtype)).fill_(value).tolist() == [expected, expected]
    _refuses(lambda: ag.tensor(np.array([1, 2], np.int64)).new_full((2,), 2.0 ** 63), "new_full")
    if torch is None:
        pytest.skip("compares with torch")
    if torch_older_than(torch, "2.14"):
        pytest.skip("PyTorch before 2.14 refuses a float above the dtype's max (127.9 into int8), and wraps 2.0**63 "
                    "into int64's minimum")
    assert torch.tensor(np.array([1, 2], dtype)).masked_fill(torch.tensor([True, False]), value).tolist() == [
        expected, 2]
    with pytest.raises(RuntimeError, match="cannot be converted"):
        torch.tensor([1, 2]).new_full((2,), 2.0 ** 63)


def test_a_zero_d_tensor_value():
    assert ag.tensor([1.0]).new_full((2,), ag.tensor(3.0)).tolist() == [3.0, 3.0]  # (a TypeError from np.copyto)
    assert ag.tensor([1]).new_full((2,), ag.tensor(2.7)).tolist() == [2, 2]
    _refuses(lambda: ag.tensor([1, 2]).masked_fill(ag.tensor([True, False]), ag.tensor(np.nan)), "masked_fill")
    with pytest.raises(ValueError, match="new_full: fill_value must be a number or a 0-d Tensor"):
        ag.tensor([1.0]).new_full((2,), ag.tensor([3.0]))
    w = ag.tensor(2.0, requires_grad=True)  # (a 0-d value keeps its gradient)
    ag.tensor([1.0, 2.0, 3.0]).masked_fill(ag.tensor([True, False, True]), w).sum().backward()
    assert w.grad.item() == 2.0


def test_a_complex_value_is_refused():
    # (new_full dropped the imaginary part with NumPy's ComplexWarning; PyTorch refuses each)
    t = ag.zeros(2)
    for owner, call in (("fill_", lambda: t.fill_(1 + 2j)), ("new_full", lambda: t.new_full((2,), 1 + 2j)),
                        ("masked_fill", lambda: t.masked_fill(ag.tensor([True, False]), 1 + 2j))):
        with pytest.raises(TypeError, match=f"{owner}: the value must be a real number"):
            call()


# Arguments PyTorch refuses: reshape/view refuse a size below -1 (NumPy reads any negative size as -1, so
# view(-3, 3) silently worked), fill_/masked_fill/new_full a value that is no number (fill_(None) filled NaN), and
# view a dtype (it reads the bytes as another dtype in PyTorch).

@pytest.mark.parametrize("shape", [(-3, 3), (2, -2), (-1, -5)])
def test_reshape_and_view_refuse_sizes_below_minus_one(shape):
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError, match="invalid shape dimension"):
        torch.arange(6.0).view(*shape)
    for call in (lambda: ag.arange(6.0).view(*shape), lambda: ag.arange(6.0).reshape(shape),
                 lambda: ag.reshape(ag.arange(6.0), shape)):
        with pytest.raises(ValueError, match=r"reshape: sizes must be at least 0, or -1 for the one size inferred"):
            call()
    assert ag.arange(6.0).view(-1, 3).shape == (2, 3)


@pytest.mark.parametrize("value", [None, "a", [1.0]])
def test_fill_values_that_are_no_numbers_are_refused(value):
    t = ag.tensor([1.0, 2.0])
    for owner, call in (("fill_", lambda: t.fill_(value)),
                        ("masked_fill", lambda: t.masked_fill(ag.tensor([True, False]), value)),
                        ("new_full", lambda: t.new_full((2,), value))):
        with pytest.raises((TypeError, ValueError), match=owner):
            call()
    assert t.tolist() == [1.0, 2.0]  # (fill_(None) made it NaN)


@pytest.mark.parametrize("dtype", [np.int64, np.dtype("int32"),
                                   pytest.param(getattr(torch, "float32", None), id="dtype2",
                                                marks=pytest.mark.skipif(torch is None, reason="needs PyTorch")),
                                   "float32"])
def test_view_of_a_dtype_names_view(dtype):
    # (the message named reshape and asked for ints)
    with pytest.raises(TypeError, match=r"view: view\(dtype\), which reads the bytes as another dtype, is not offered"):
        ag.arange(6.0).view(dtype)
    assert ag.arange(6.0).view(np.int64(6)).shape == ag.arange(6.0).view((6,)).shape == (6,)


# An empty dim (() or []) reduces every axis in Tensor.norm, as PyTorch's; it was read as NumPy's axis=(), which
# reduces none (norm gave each entry's absolute value).

X_SIGNED = np.arange(6.0).reshape(2, 3) - 2.5


@pytest.mark.parametrize("keepdim", [False, True])
def test_norm_of_an_empty_dim_is_the_norm_of_every_entry(keepdim):
    torch = pytest.importorskip("torch")
    for p in (2, 1, "fro", float("inf")):
        expected = torch.tensor(X_SIGNED).norm(p=p, dim=(), keepdim=keepdim).numpy()
        got = ag.tensor(X_SIGNED).norm(p=p, dim=(), keepdim=keepdim)
        assert got.shape == expected.shape
        np.testing.assert_allclose(got.data, expected)


def test_grad_fn_names_the_operation_and_its_inputs_nodes():
    # The "Gentle introduction to torch.autograd": Q = 3*a**3 - b**2; print(Q.grad_fn); Q.grad_fn.next_functions
    a = ag.tensor([2.0, 3.0], requires_grad=True)
    b = ag.tensor([6.0, 4.0], requires_grad=True)
    cube = a ** 3
    q = 3 * cube - b ** 2
    assert q.grad_fn.name() == "subtract" and repr(q.grad_fn) == "<grad_fn subtract>"
    assert [fn.name() for fn, index in q.grad_fn.next_functions] == ["multiply", "power"]
    assert q.grad_fn.next_functions[0][0].next_functions == ((cube.grad_fn, 0),)
    assert a.grad_fn is None and q.detach().grad_fn is None and ag.ones(2).grad_fn is None
    with ag.no_grad():
        assert (a * 2).grad_fn is None
    q.backward(ag.ones(2))
    assert q.grad_fn.name() == "subtract" and q.grad_fn.next_functions == ()  # the freed graph keeps no inputs
