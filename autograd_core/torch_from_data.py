"""PyTorch's asarray, frombuffer and scalar_tensor: Tensors made from data, sharing its memory where they can, as
from_numpy and as_tensor (torch_functions.py) do.
"""
import warnings

import numpy as np

from . import ops
from ._arguments import RuntimeTypeError, check_device
from .tensor import Tensor
from .torch_functions import from_numpy


def asarray(obj, *, dtype=None, device=None, copy=None, requires_grad=None):
    """PyTorch's asarray: obj as a Tensor sharing its memory where it can (a Tensor, an array or a buffer of that
    dtype: an array.array or bytearray read as np.asarray reads it, where PyTorch reinterprets a buffer's bytes in
    its default dtype), a copy where it cannot (another dtype, a Python sequence) or with copy=True; copy=False
    refuses a copy.
    A Tensor's graph is kept unless requires_grad=False (the result is then a detached view of it; left out,
    requires_grad is obj's, as torch 2.14's); other data becomes a leaf that requires grad with requires_grad=True.

    >>> import numpy as np, autograd_core as ag
    >>> a = np.ones(2)
    >>> ag.asarray(a).data is a, ag.asarray([1, 2], dtype=ag.float32)
    (True, Tensor([1., 2.], dtype=float32))
    """
    from .torch_names import _numpy_dtype
    check_device(device, "asarray")
    dtype = None if dtype is None else _numpy_dtype("asarray", dtype)
    if isinstance(obj, Tensor):
        requires_grad = obj.requires_grad if requires_grad is None else requires_grad
        result = obj if requires_grad else obj.detach()
    elif isinstance(obj, (np.ndarray, memoryview)) or _numeric_buffer(obj):
        result = from_numpy(np.asarray(obj))  # (an array.array or bytearray shares its memory, as np.asarray's)
    elif copy is False:
        raise ValueError(f"asarray: can't alias arbitrary sequence (a {type(obj).__name__}) with copy=False; give "
                         f"copy=None or True, or an array or Tensor")
    else:
        return Tensor(obj, dtype=dtype, requires_grad=bool(requires_grad))
    if dtype is not None and dtype != result.dtype:
        if copy is False:
            raise ValueError(f"asarray: can't alias data with dtype '{result.dtype}' into dtype '{dtype}' with "
                             f"copy=False; leave copy out to cast")
        result = ops.astype(result, dtype)
    elif copy:
        result = ops.copy(result)
    if requires_grad and not result.requires_grad:  # (a new leaf: obj itself is left as it was)
        result = result.detach().requires_grad_()
    return result


def _numeric_buffer(obj):
    """Whether obj is a buffer of numbers np.asarray views without a copy (array.array, bytearray; not bytes, a
    read-only string of characters to NumPy)."""
    if isinstance(obj, (bytes, str)):
        return False
    try:
        return memoryview(obj).format.lstrip("@=<>!") in set("?bBhHiIlLqQefd")
    except TypeError:
        return False


def frombuffer(buffer, *, dtype, count=-1, offset=0, requires_grad=False):
    """PyTorch's frombuffer: a 1-D Tensor viewing an object's buffer (bytes, bytearray, memoryview, array.array, an
    array) from offset bytes on, count items of dtype (-1: all that remain), sharing its memory as torch's. A
    read-only buffer (bytes) gives a read-only Tensor, with PyTorch's warning.

    >>> import array, autograd_core as ag
    >>> ag.frombuffer(array.array("i", [1, 2, 3]), dtype=ag.int32)
    Tensor([1, 2, 3], dtype=int32)
    """
    from .torch_names import _numpy_dtype
    dtype = _numpy_dtype("frombuffer", dtype)
    try:
        array = np.frombuffer(buffer, dtype=dtype, count=count, offset=offset)
    except TypeError:
        raise TypeError(f"frombuffer: expects an object with the buffer protocol (bytes, bytearray, memoryview, "
                        f"array.array, an ndarray), got {type(buffer).__name__}") from None
    except ValueError as err:
        raise ValueError(f"frombuffer: {err} (dtype {dtype}, count={count}, offset={offset} bytes)") from None
    if not array.flags.writeable:
        warnings.warn("frombuffer: the given buffer is not writable, so neither is the Tensor (PyTorch's writes into "
                      "it); copy it first (bytearray(buffer)) to write", UserWarning, stacklevel=2)
    result = from_numpy(array)
    return result.requires_grad_() if requires_grad else result


def scalar_tensor(s, *, dtype=None, device=None, requires_grad=False):
    """PyTorch's scalar_tensor: the number s (a bool or int too) as a 0-d float Tensor, float64 (NumPy's default
    float, as ag.zeros'; PyTorch's default float32) unless dtype is given.

    >>> import autograd_core as ag
    >>> ag.scalar_tensor(False), ag.scalar_tensor(3, dtype=ag.int32)
    (Tensor(0.), Tensor(3, dtype=int32))
    """
    from .torch_names import _numpy_dtype
    check_device(device, "scalar_tensor")
    if isinstance(s, Tensor):
        if s.requires_grad:  # (.item() would detach it silently)
            raise TypeError(f"scalar_tensor: expects a number, got a Tensor that requires grad (shape {s.shape}; "
                            f"argument 's' must be Number, not Tensor, as PyTorch's); pass s.detach() or s.item() to "
                            f"take its value, or s.clone() to keep its graph")
        s = s.item() if s.ndim == 0 else s.data
    if isinstance(s, (str, bytes)) or np.ndim(s) != 0:
        raise TypeError(f"scalar_tensor: expects a number, got {s!r}; ag.tensor makes a Tensor of other data")
    kind = (s.dtype.kind if isinstance(s, (np.ndarray, np.generic)) else "b" if isinstance(s, bool) else
            "i" if isinstance(s, int) else "f" if isinstance(s, float) else "c" if isinstance(s, complex) else None)
    if kind == "c":
        raise RuntimeTypeError(f"scalar_tensor: expects a real number, got {s!r}; complex numbers are not supported "
                               f"(PyTorch: value cannot be converted to type float without overflow)")
    if kind not in ("b", "i", "u", "f"):  # (None made a NaN; other objects a bare float() error)
        raise TypeError(f"scalar_tensor: expects a number (a bool, int or float), got {s!r} of type "
                        f"{type(s).__name__} (argument 's' must be Number, as PyTorch's)")
    dtype = np.float64 if dtype is None else _numpy_dtype("scalar_tensor", dtype)
    return Tensor(np.asarray(s, dtype=dtype), requires_grad=bool(requires_grad))
