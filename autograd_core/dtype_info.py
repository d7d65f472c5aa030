"""PyTorch's torch.finfo and torch.iinfo: the limits of a dtype (a GP's jitter, finfo(K.dtype).eps; a mask's fill,
finfo(x.dtype).min), as Python numbers, as PyTorch gives them: a Python float stays weak in NumPy 2's promotion, so
float32 values plus finfo(float64).eps stay float32 there too (NumPy's own np.finfo gives NumPy scalars, which
would promote them)."""
import numpy as np

__all__ = ["finfo", "iinfo"]


class finfo:  # noqa: N801  (PyTorch's name)
    """The limits of a float dtype, as torch.finfo: bits, eps, max, min, tiny (smallest_normal), resolution, and
    dtype (its name). With no argument, float64, the dtype Tensors are created with here (PyTorch's default is
    float32).

    >>> import autograd_core as ag
    >>> ag.finfo(ag.float32).eps, ag.finfo(ag.float16).max, ag.finfo().bits
    (1.1920928955078125e-07, 65504.0, 64)
    """

    def __init__(self, type=np.float64):  # noqa: A002  (PyTorch's argument name)
        try:
            info = np.finfo(type)
        except (TypeError, ValueError):
            raise TypeError(f"finfo: expects a float dtype (ag.float32, ag.float64, ag.float16), got "
                            f"{type!r}") from None
        if np.dtype(info.dtype).kind != "f":
            raise TypeError(f"finfo: expects a float dtype, got {np.dtype(info.dtype)} (iinfo gives integer limits)")
        self.bits = int(info.bits)
        self.eps, self.max, self.min = float(info.eps), float(info.max), float(info.min)
        self.tiny = self.smallest_normal = float(info.smallest_normal)
        self.resolution = 10.0 ** -int(info.precision)  # (PyTorch's: exactly 1e-06 for float32)
        self.dtype = str(info.dtype)

    def __repr__(self):
        return (f"finfo(resolution={self.resolution}, min={self.min}, max={self.max}, eps={self.eps}, "
                f"smallest_normal={self.smallest_normal}, tiny={self.tiny}, dtype={self.dtype})")


class iinfo:  # noqa: N801  (PyTorch's name)
    """The limits of an integer dtype, as torch.iinfo: bits, max, min (Python ints), dtype (its name).

    >>> import autograd_core as ag
    >>> ag.iinfo(ag.int32).max, ag.iinfo(ag.uint8).min
    (2147483647, 0)
    """

    def __init__(self, type):  # noqa: A002  (PyTorch's argument name)
        try:
            kind = np.dtype(type).kind
        except TypeError:
            kind = None
        if kind not in ("i", "u"):  # (bool too is refused, as PyTorch's)
            raise TypeError(f"iinfo: expects an integer dtype (ag.int64, ag.int32, ag.uint8...), got {type!r}")
        info = np.iinfo(type)
        self.bits, self.min, self.max, self.dtype = int(info.bits), int(info.min), int(info.max), str(info.dtype)

    def __repr__(self):
        return f"iinfo(min={self.min}, max={self.max}, dtype={self.dtype})"
