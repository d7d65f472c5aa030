"""ag.finfo and ag.iinfo (autograd_core/dtype_info.py): PyTorch's torch.finfo/torch.iinfo, a dtype's limits as Python
numbers, against NumPy's np.finfo/np.iinfo and torch's where installed."""
import numpy as np
import pytest

import autograd_core as ag

FIELDS = ["bits", "eps", "max", "min", "tiny", "smallest_normal", "resolution"]


@pytest.mark.parametrize("dtype", [ag.float16, ag.float32, ag.float64])
def test_finfo_gives_the_limits_as_python_numbers_as_torch(dtype):
    info = ag.finfo(dtype)
    reference = np.finfo(dtype)
    assert (info.eps, info.max, info.min, info.tiny) == (reference.eps, reference.max, reference.min,
                                                         reference.smallest_normal)
    assert all(type(getattr(info, name)) is (int if name == "bits" else float) for name in FIELDS)
    assert info.dtype == np.dtype(dtype).name
    # a Python float stays weak: float32 values plus float64's eps stay float32, as in PyTorch
    assert (ag.ones(2, dtype=np.float32) + ag.finfo(ag.float64).eps).dtype == np.float32
    torch = pytest.importorskip("torch")
    theirs = torch.finfo(getattr(torch, np.dtype(dtype).name))
    assert [getattr(info, name) for name in FIELDS] == [getattr(theirs, name) for name in FIELDS]


@pytest.mark.parametrize("dtype", [ag.int8, ag.int16, ag.int32, ag.int64, ag.uint8])
def test_iinfo_gives_the_integer_limits_as_torch(dtype):
    info = ag.iinfo(dtype)
    assert (info.bits, info.min, info.max) == (np.iinfo(dtype).bits, int(np.iinfo(dtype).min), int(np.iinfo(dtype).max))
    assert info.dtype == np.dtype(dtype).name
    torch = pytest.importorskip("torch")
    theirs = torch.iinfo(getattr(torch, np.dtype(dtype).name))
    assert (info.bits, info.min, info.max) == (theirs.bits, theirs.min, theirs.max)


def test_finfo_defaults_to_float64_and_both_refuse_the_other_kind():
    assert ag.finfo().dtype == "float64"  # the creation default here (PyTorch's float32)
    with pytest.raises(TypeError, match="finfo: expects a float dtype"):
        ag.finfo(ag.int32)
    with pytest.raises(TypeError, match="iinfo: expects an integer dtype"):
        ag.iinfo(ag.float32)
    with pytest.raises(TypeError, match="iinfo: expects an integer dtype"):
        ag.iinfo(ag.bool)  # (as torch.iinfo(torch.bool))
