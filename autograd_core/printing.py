"""PyTorch's set_printoptions: how Tensors print, which is how NumPy prints their values."""
import sys

import numpy as np


_PRINT_PROFILES = {  # PyTorch's "short" and "full"; "default" is NumPy's own, which Tensors print with until changed
    "default": dict(precision=8, threshold=1000, edgeitems=3, linewidth=75),
    "short": dict(precision=2, threshold=1000, edgeitems=2, linewidth=80),
    "full": dict(precision=4, threshold=sys.maxsize, edgeitems=3, linewidth=80),
}


def set_printoptions(precision=None, threshold=None, edgeitems=None, linewidth=None, profile=None, sci_mode=None):
    """PyTorch's set_printoptions, for how Tensors print. Tensors print as NumPy prints their values, so these are
    NumPy's print options (np.set_printoptions, which this sets, for arrays too): precision digits, threshold (the
    number of elements past which a summary is printed, with edgeitems at each end), linewidth; profile, applied
    first: "short", "full" (PyTorch's) or "default" (NumPy's defaults). sci_mode: False never prints scientific
    notation (NumPy's suppress=True), True always, None leaves the choice to NumPy; as in PyTorch, every call sets it.

    >>> import autograd_core as ag
    >>> ag.set_printoptions(precision=2, linewidth=140, sci_mode=False)
    >>> ag.tensor([1.23456, 0.0000123])
    Tensor([1.23, 0.  ])
    >>> ag.set_printoptions(profile="default")
    >>> ag.tensor([1.23456, 0.0000123])
    Tensor([1.23456e+00, 1.23000e-05])
    """
    if profile is not None and profile not in _PRINT_PROFILES:
        raise ValueError(f"set_printoptions: profile must be one of {sorted(_PRINT_PROFILES)}, got {profile!r}")
    if sci_mode is not None and not isinstance(sci_mode, (bool, np.bool_)):
        raise TypeError(f"set_printoptions: sci_mode must be True, False or None, got {sci_mode!r}")
    options = dict(_PRINT_PROFILES[profile]) if profile is not None else {}
    given = dict(precision=precision, threshold=threshold, edgeitems=edgeitems, linewidth=linewidth)
    options.update({name: value for name, value in given.items() if value is not None})
    np.set_printoptions(**options, suppress=sci_mode is False, formatter=None)
    if sci_mode:
        digits = np.get_printoptions()["precision"]

        def scientific(value):
            return np.format_float_scientific(value, precision=digits, unique=False)
        np.set_printoptions(formatter={"float_kind": scientific})
