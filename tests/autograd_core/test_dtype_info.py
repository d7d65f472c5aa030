"""PyTorch's dtype queries (autograd_core/dtype_info.py): ag.finfo and ag.iinfo give PyTorch's limits as Python
numbers under its field names, ag.get_default_dtype PyTorch's default float32 (the dtype nn's layers are made in);
checked against NumPy's np.finfo/np.iinfo and against torch where installed."""
import enum

import numpy as np
import pytest

import autograd_core as ag
import nn

FLOATS = [np.float16, np.float32, np.float64]
INTS = [np.int8, np.int16, np.int32, np.int64, np.uint8]


@pytest.mark.parametrize("dtype", FLOATS)
def test_finfo_gives_numpys_limits_as_python_floats(dtype):
    ours, numpys = ag.finfo(dtype), np.finfo(dtype)
    for field in ("eps", "max", "min", "tiny", "smallest_normal"):
        value = getattr(ours, field)
        assert type(value) is float and value == float(getattr(numpys, field))
    assert ours.bits == numpys.bits and type(ours.bits) is int
    assert ours.resolution == 10.0 ** -numpys.precision and ours.dtype == np.dtype(dtype).name


@pytest.mark.parametrize("dtype", FLOATS)
def test_finfo_equals_torchs(dtype):
    torch = pytest.importorskip("torch")
    ours, theirs = ag.finfo(dtype), torch.finfo(getattr(torch, np.dtype(dtype).name))
    for field in ("bits", "eps", "max", "min", "tiny", "smallest_normal", "resolution", "dtype"):
        assert getattr(ours, field) == getattr(theirs, field), field


def test_finfo_takes_a_tensors_dtype_and_defaults_to_float32_as_torch():
    assert ag.finfo().dtype == "float32" and ag.finfo().min == -3.4028234663852886e+38
    assert ag.finfo(ag.ones(2).dtype).min == np.finfo(np.float64).min
    assert ag.finfo("float16").max == 65504.0
    # HF GPT-2's padding mask: (1 - mask) * finfo(dtype).min keeps a float32 model's dtype
    mask = ag.tensor([[1.0, 0.0]], dtype=np.float32)
    additive = (1.0 - mask) * ag.finfo(mask.dtype).min
    assert additive.dtype == np.float32 and additive.data[0, 1] == np.finfo(np.float32).min


@pytest.mark.parametrize("dtype", INTS)
def test_iinfo_gives_numpys_limits_as_python_ints(dtype):
    ours, numpys = ag.iinfo(dtype), np.iinfo(dtype)
    assert (ours.bits, ours.min, ours.max, ours.dtype) == (numpys.bits, int(numpys.min), int(numpys.max),
                                                           np.dtype(dtype).name)
    assert all(type(value) is int for value in (ours.bits, ours.min, ours.max))
    torch = pytest.importorskip("torch")
    theirs = torch.iinfo(getattr(torch, np.dtype(dtype).name))
    assert (ours.bits, ours.min, ours.max, ours.dtype) == (theirs.bits, theirs.min, theirs.max, theirs.dtype)


@pytest.mark.parametrize("call, message", [
    (lambda: ag.finfo(np.int64), r"finfo: expects a float dtype .* ag\.iinfo takes the integer ones, got "),
    (lambda: ag.finfo(ag.bool), r"finfo: expects a float dtype"),
    (lambda: ag.finfo("cuda"), r"finfo: expects a float dtype .* got 'cuda'"),
    (lambda: ag.iinfo(np.float32), r"iinfo: expects an integer dtype .* ag\.finfo takes the float ones"),
    (lambda: ag.iinfo(None), r"iinfo: expects an integer dtype .* got None"),
])
def test_a_dtype_of_the_wrong_kind_is_a_type_error_naming_the_other_query(call, message):
    with pytest.raises(TypeError, match=message):
        call()


def test_get_default_dtype_is_float32_the_dtype_of_nns_layers():
    assert ag.get_default_dtype() is np.float32
    assert nn.Linear(2, 3).weight.dtype == ag.get_default_dtype() == nn.Embedding(4, 2).weight.dtype
    torch = pytest.importorskip("torch")
    assert str(torch.get_default_dtype()) == f"torch.{np.dtype(ag.get_default_dtype()).name}"


# ---- promote_types: PyTorch's rule, NumPy's but where an integer or bool meets a float ----------------------------
DTYPES = [np.bool_, np.uint8, np.int8, np.int16, np.int32, np.int64, np.float16, np.float32, np.float64]


@pytest.mark.parametrize("first", DTYPES)
@pytest.mark.parametrize("second", DTYPES)
def test_promote_types_is_numpys_within_a_kind_and_the_float_across(first, second):
    ours = ag.promote_types(first, second)
    first, second = np.dtype(first), np.dtype(second)
    if (first.kind == "f") == (second.kind == "f"):
        assert ours == np.promote_types(first, second)
    else:  # NumPy widens int64 + float32 to float64, int16 + float16 to float32; PyTorch keeps the float
        assert ours == (first if first.kind == "f" else second)
    torch = pytest.importorskip("torch")
    theirs = torch.promote_types(getattr(torch, first.name), getattr(torch, second.name))
    assert str(theirs) == "torch." + ours.name


def test_promote_types_upcasts_as_cs336s_rmsnorm_and_refuses_what_is_no_dtype():
    half = ag.tensor([1.0, 2.0], dtype=np.float16)
    assert half.to(ag.promote_types(half.dtype, ag.float32)).dtype == np.float32  # upcast before squaring
    assert ag.promote_types(ag.float64, ag.float32) == np.float64  # a float64 run stays float64
    assert ag.promote_types(ag.int64, ag.float32) == np.float32
    with pytest.raises(TypeError, match=r"promote_types: expects two dtypes \(ag.float32, ag.int64, ...\), got 'x'"):
        ag.promote_types(ag.float32, "x")


# torch.result_type and torch.can_cast (missing, found by porting PyTorch's test_type_promotion.py: test_result_type,
# test_can_cast, test_cat_different_dtypes; and test_vmap.py's test_result_type). result_type is the dtype the
# arithmetic here gives (NumPy 2's rule: a Python number adapts, a 0-d Tensor counts fully); it is PyTorch's where the
# two rules agree (checked below), NumPy's where they differ (README 'Where it differs'). can_cast is the same_kind
# rule the in-place operations and out= follow.
MATH = FLOATS + INTS + [np.bool_]


def _kind(dtype):  # PyTorch's categories: bool < integer < float
    return "biuf".index(np.dtype(dtype).kind) if np.dtype(dtype).kind != "u" else 1


def _torch_dtype(torch, dtype):
    return getattr(torch, "bool" if dtype is np.bool_ else np.dtype(dtype).name)


@pytest.mark.parametrize("first", MATH)
def test_result_type_is_the_dtype_arithmetic_gives_and_torchs_where_the_rules_agree(first):
    torch = pytest.importorskip("torch")
    for second in MATH:
        a_t, b_t = ag.tensor(np.array([0, 1], dtype=first)), ag.tensor(np.array([1, 0], dtype=second))
        ta, tb = torch.tensor(a_t.data), torch.tensor(b_t.data)
        for a, b in ((a_t, b_t), (a_t, b_t[1]), (a_t[1], b_t), (a_t, b_t[1].item()), (a_t[1].item(), b_t),
                     (a_t[1], b_t[1])):
            with np.errstate(all="ignore"):
                assert ag.result_type(a, b) == (a + b).dtype, (a, b)
        assert ag.result_type(a_t, b_t) == ag.cat([a_t, b_t]).dtype
        theirs = lambda x, y: np.dtype(str(torch.result_type(x, y)).removeprefix("torch."))  # noqa: E731
        # two Tensors of one category (or one bool): the wider dtype, in both (an int64 Tensor widens float32 to
        # float64 in NumPy; PyTorch keeps float32)
        if _kind(first) == _kind(second) or np.bool_ in (first, second):
            assert ag.result_type(a_t, b_t) == theirs(ta, tb), (first, second)
        # a Python number of the Tensor's category or below: the Tensor's dtype, in both (a float with an integer
        # Tensor gives float64 here, PyTorch's default float32)
        number = b_t[1].item()
        if _kind(second) <= _kind(first) or (_kind(first) == 0 and _kind(second) == 1):
            assert ag.result_type(a_t, number) == theirs(ta, number), (first, number)


def test_result_type_where_numpys_rule_differs_from_torchs_and_bad_operands():
    torch = pytest.importorskip("torch")
    f32, i64 = ag.tensor([1.0, 2.0], dtype=np.float32), ag.tensor([1, 2])
    assert ag.result_type(f32, i64) == (f32 + i64).dtype == np.float64
    assert torch.result_type(torch.tensor(f32.data), torch.tensor(i64.data)) == torch.float32
    assert ag.result_type(ag.tensor([1, 2], dtype=np.uint8), 5.5) == np.float64  # (torch: the default float32)
    assert ag.result_type(ag.tensor([1, 2], dtype=np.float16), ag.tensor(1)) == np.float64  # (a 0-d int64 counts
    # fully in NumPy 2, where PyTorch keeps float16)
    with pytest.raises(TypeError, match="result_type: expects at least one"):
        ag.result_type()
    with pytest.raises(TypeError, match="result_type: expects Tensors, arrays, numbers or dtypes, got str"):
        ag.result_type(f32, "float32")
    for not_a_dtype in (dict, str, ag.Tensor, np.str_, np.object_, enum.IntEnum):  # (NumPy: object or text dtypes)
        with pytest.raises(TypeError, match="result_type: expects Tensors, arrays, numbers or dtypes, got the class"):
            ag.result_type(f32, not_a_dtype)
    assert ag.result_type(f32, np.float64) == ag.result_type(f32, float) == np.float64


@pytest.mark.parametrize("source", MATH)
def test_can_cast_is_torchs_and_what_in_place_updates_accept(source):
    torch = pytest.importorskip("torch")
    for target in MATH:
        ours = ag.can_cast(source, target)
        assert type(ours) is bool
        if np.dtype(source).kind != "i" or np.dtype(target).kind != "u":  # (PyTorch lets int16 into uint8)
            assert ours == torch.can_cast(_torch_dtype(torch, source), _torch_dtype(torch, target)), (source, target)
        t = ag.zeros(2, dtype=target)
        try:
            t.add_(ag.ones(2, dtype=source))
            accepted = True
        except RuntimeError:
            accepted = False
        assert accepted == ag.can_cast(np.result_type(source, target), target)
    with pytest.raises(TypeError, match="can_cast: expects two dtypes"):
        ag.can_cast(np.float32, "x")
