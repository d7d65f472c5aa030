"""PyTorch's torch.accelerator queries, for code ported from it. NumPy computes on the CPU only, so there is no
accelerator: the tutorials' opening line
`device = torch.accelerator.current_accelerator().type if torch.accelerator.is_available() else "cpu"`
picks "cpu", which every device= here takes.
"""
from ._arguments import as_flag


def is_available():
    """Whether an accelerator (a GPU, say) can be used: never here, as torch.accelerator.is_available() on a machine
    without one.

    >>> import autograd_core as ag
    >>> ag.accelerator.is_available()
    False
    """
    return False


def current_accelerator(check_available=False):
    """The accelerator device, None here (PyTorch's answer when it has none, whatever check_available asks).

    >>> import autograd_core as ag
    >>> print(ag.accelerator.current_accelerator())
    None
    """
    as_flag(check_available, "accelerator.current_accelerator", "check_available")
    return None


def device_count():
    """How many accelerator devices there are: 0.

    >>> import autograd_core as ag
    >>> ag.accelerator.device_count()
    0
    """
    return 0
