"""PyTorch's torch.signal.windows, ag.signal.windows (scipy.signal.windows' definitions): the window functions
bartlett, blackman, cosine, exponential, gaussian, general_cosine, general_hamming, hamming, hann, kaiser and
nuttall, each a 1-D Tensor of M samples. sym=True gives the symmetric window (for filter design), sym=False the
periodic one (for spectral analysis: the symmetric window of M + 1 samples without its last). dtype float32 (the
default dtype, PyTorch's) or float64; device= 'cpu' only; requires_grad= as PyTorch's (a leaf). Computed in float64
with NumPy and rounded once to dtype.
"""
import math

import numpy as np

from ._arguments import InvalidArgumentError, check_device
from .dtype_info import get_default_dtype
from .ops.bessel import _i0e
from .tensor import Tensor

__all__ = ["bartlett", "blackman", "cosine", "exponential", "gaussian", "general_cosine", "general_hamming", "hamming",
           "hann", "kaiser", "nuttall"]


class WindowError(InvalidArgumentError):
    """A window's bad length, dtype or parameter: a ValueError, as PyTorch's."""


def _checked(name, M, dtype, layout, device):
    """dtype (the default dtype for None), after checking M, dtype, layout and device as PyTorch does."""
    check_device(device, name)
    if isinstance(M, (bool, np.bool_)) or not isinstance(M, (int, np.integer)):
        raise TypeError(f"{name}: the window length M must be an int, got {M!r}")
    if M < 0:
        raise WindowError(f"{name} requires non-negative window length, got M={M}")
    if layout is not None and not str(layout).endswith("strided"):
        raise WindowError(f"{name} is implemented for strided (dense) Tensors only, got layout {layout}")
    dtype = np.dtype(get_default_dtype() if dtype is None else dtype)
    if dtype not in (np.float32, np.float64):
        raise WindowError(f"{name} expects float32 or float64 dtypes, got: {dtype}")
    return dtype


def _made(values, dtype, requires_grad):
    return Tensor(np.asarray(values, np.float64).astype(dtype), requires_grad=requires_grad)


def _points(M, start, step):
    """start, start + step, ..., M of them (torch.linspace(start, start + (M - 1) step, M))."""
    return np.linspace(start, start + (M - 1) * step, M) if M > 1 else np.array([start], np.float64)[:M]


def _trivial(M, dtype, requires_grad):
    """The window of 0 or 1 samples (empty, or [1.]), or None for longer ones."""
    if M <= 1:
        return _made(np.ones(M), dtype, requires_grad)
    return None


def _from_centre(M, sym, scale, centre=None):
    """(n - centre) scale for n = 0, ..., M - 1 (empty for M = 0), centre the middle by default (the middle of M + 1
    samples for a periodic window)."""
    if centre is None:
        centre = (M if not sym and M > 1 else M - 1) / 2.0
    return _points(M, -centre * scale, scale)


def _span(M, sym):
    return M - 1 if sym else M


def _cosine_sum(name, M, a, sym, dtype, layout, device, requires_grad):
    """sum_i (-1)^i a[i] cos(2 pi i n / N), after the checks, whose errors name the window name."""
    dtype = _checked(name, M, dtype, layout, device)
    trivial = _trivial(M, dtype, requires_grad)
    if trivial is not None:
        return trivial
    k = _points(M, 0.0, 2 * math.pi / _span(M, sym))
    out = sum((-1) ** i * float(w) * np.cos(i * k) for i, w in enumerate(a))
    return _made(out, dtype, requires_grad)


def general_cosine(M, *, a, sym=True, dtype=None, layout=None, device=None, requires_grad=False):
    """The generalized cosine window sum_i (-1)^i a[i] cos(2 pi i n / N), N = M - 1 (sym) or M (periodic), as
    torch.signal.windows.general_cosine and scipy's.

    >>> import autograd_core as ag
    >>> ag.signal.windows.general_cosine(5, a=[0.5, 0.5], dtype=ag.float64)
    Tensor([0. , 0.5, 1. , 0.5, 0. ])
    """
    if not isinstance(a, (list, tuple, np.ndarray)):
        raise TypeError(f"general_cosine: the coefficients a must be a list or tuple of numbers, got {a!r}")
    if len(a) == 0:
        raise WindowError("general_cosine: the coefficients a cannot be empty")
    return _cosine_sum("general_cosine", M, a, sym, dtype, layout, device, requires_grad)


def general_hamming(M, *, alpha=0.54, sym=True, dtype=None, layout=None, device=None, requires_grad=False):
    """The generalized Hamming window alpha - (1 - alpha) cos(2 pi n / N) (torch.signal.windows.general_hamming).

    >>> import autograd_core as ag
    >>> ag.signal.windows.general_hamming(3, alpha=0.6, dtype=ag.float64)
    Tensor([0.2, 1. , 0.2])
    """
    return _cosine_sum("general_hamming", M, [alpha, 1.0 - alpha], sym, dtype, layout, device, requires_grad)


def hamming(M, *, sym=True, dtype=None, layout=None, device=None, requires_grad=False):
    """The Hamming window 0.54 - 0.46 cos(2 pi n / N) (torch.signal.windows.hamming).

    >>> import autograd_core as ag
    >>> ag.signal.windows.hamming(3, dtype=ag.float64)
    Tensor([0.08, 1.  , 0.08])
    """
    return _cosine_sum("hamming", M, [0.54, 1.0 - 0.54], sym, dtype, layout, device, requires_grad)


def hann(M, *, sym=True, dtype=None, layout=None, device=None, requires_grad=False):
    """The Hann window 0.5 - 0.5 cos(2 pi n / N) (torch.signal.windows.hann).

    >>> import autograd_core as ag
    >>> ag.signal.windows.hann(4, sym=False, dtype=ag.float64)
    Tensor([0. , 0.5, 1. , 0.5])
    """
    return _cosine_sum("hann", M, [0.5, 0.5], sym, dtype, layout, device, requires_grad)


def blackman(M, *, sym=True, dtype=None, layout=None, device=None, requires_grad=False):
    """The Blackman window 0.42 - 0.5 cos(2 pi n / N) + 0.08 cos(4 pi n / N) (torch.signal.windows.blackman).

    >>> import autograd_core as ag
    >>> ag.signal.windows.blackman(3, dtype=ag.float64)
    Tensor([-1.38777878e-17,  1.00000000e+00, -1.38777878e-17])
    """
    return _cosine_sum("blackman", M, [0.42, 0.5, 0.08], sym, dtype, layout, device, requires_grad)


def nuttall(M, *, sym=True, dtype=None, layout=None, device=None, requires_grad=False):
    """Nuttall's minimum 4-term Blackman-Harris window (torch.signal.windows.nuttall).

    >>> import autograd_core as ag
    >>> ag.signal.windows.nuttall(3, dtype=ag.float64)
    Tensor([3.628e-04, 1.000e+00, 3.628e-04])
    """
    return _cosine_sum("nuttall", M, [0.3635819, 0.4891775, 0.1365995, 0.0106411], sym, dtype, layout, device,
                       requires_grad)


def bartlett(M, *, sym=True, dtype=None, layout=None, device=None, requires_grad=False):
    """The Bartlett (triangular, zero at the ends) window 1 - |2n / N - 1| (torch.signal.windows.bartlett).

    >>> import autograd_core as ag
    >>> ag.signal.windows.bartlett(5, dtype=ag.float64)
    Tensor([0. , 0.5, 1. , 0.5, 0. ])
    """
    dtype = _checked("bartlett", M, dtype, layout, device)
    trivial = _trivial(M, dtype, requires_grad)
    if trivial is not None:
        return trivial
    return _made(1 - np.abs(_points(M, -1.0, 2 / _span(M, sym))), dtype, requires_grad)


def cosine(M, *, sym=True, dtype=None, layout=None, device=None, requires_grad=False):
    """The cosine (sine) window sin(pi (n + 1/2) / M) (periodic: / (M + 1)) (torch.signal.windows.cosine).

    >>> import autograd_core as ag
    >>> ag.signal.windows.cosine(3, dtype=ag.float64)
    Tensor([0.5, 1. , 0.5])
    """
    dtype = _checked("cosine", M, dtype, layout, device)
    trivial = _trivial(M, dtype, requires_grad)
    if trivial is not None:
        return trivial
    step = math.pi / (M if sym else M + 1)
    return _made(np.sin(_points(M, 0.5 * step, step)), dtype, requires_grad)


def exponential(M, *, center=None, tau=1.0, sym=True, dtype=None, layout=None, device=None, requires_grad=False):
    """The exponential (Poisson) window e^(-|n - center| / tau), center the middle by default (a center= only for
    sym=False) (torch.signal.windows.exponential).

    >>> import autograd_core as ag
    >>> ag.signal.windows.exponential(3, tau=1.0, dtype=ag.float64)
    Tensor([0.36787944, 1.        , 0.36787944])
    """
    dtype = _checked("exponential", M, dtype, layout, device)
    if not tau > 0:
        raise WindowError(f"exponential: tau must be positive, got: {tau} instead")
    if sym and center is not None:
        raise WindowError("exponential: center must be None for symmetric windows (sym=True); give sym=False")
    return _made(np.exp(-np.abs(_from_centre(M, sym, 1 / tau, center))), dtype, requires_grad)


def gaussian(M, *, std=1.0, sym=True, dtype=None, layout=None, device=None, requires_grad=False):
    """The Gaussian window e^(-(n - c)^2 / (2 std^2)), c the middle (torch.signal.windows.gaussian).

    >>> import autograd_core as ag
    >>> ag.signal.windows.gaussian(3, std=1.0, dtype=ag.float64)
    Tensor([0.60653066, 1.        , 0.60653066])
    """
    dtype = _checked("gaussian", M, dtype, layout, device)
    if not std > 0:
        raise WindowError(f"gaussian: the standard deviation std must be positive, got: {std} instead")
    return _made(np.exp(-_from_centre(M, sym, 1 / (std * math.sqrt(2))) ** 2), dtype, requires_grad)


def kaiser(M, *, beta=12.0, sym=True, dtype=None, layout=None, device=None, requires_grad=False):
    """The Kaiser window I0(beta sqrt(1 - (2n / N - 1)^2)) / I0(beta) (torch.signal.windows.kaiser; beta >= 0).

    >>> import autograd_core as ag
    >>> ag.signal.windows.kaiser(3, beta=2.0, dtype=ag.float64)
    Tensor([0.43867628, 1.        , 0.43867628])
    """
    dtype = _checked("kaiser", M, dtype, layout, device)
    if not beta >= 0:
        raise WindowError(f"kaiser: beta must be non-negative, got: {beta} instead")
    trivial = _trivial(M, dtype, requires_grad)
    if trivial is not None:
        return trivial
    beta = float(beta)
    k = np.minimum(_points(M, -beta, 2.0 * beta / _span(M, sym)), beta)
    arg = np.sqrt(np.maximum(beta * beta - k * k, 0.0))
    # I0(arg) / I0(beta) = i0e(arg) / i0e(beta) e^(arg - beta): no inf / inf (NaN) past beta = 713, 1 at the centre
    return _made(_i0e(arg) / _i0e(np.float64(beta)) * np.exp(arg - beta), dtype, requires_grad)
