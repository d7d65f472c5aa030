"""skip_init, as torch.nn.utils.skip_init."""
from autograd_core._arguments import check_device

from ..module import Module

__all__ = ["skip_init"]


def skip_init(module_cls, *args, **kwargs):
    """An instance of module_cls(*args, **kwargs) whose parameters and buffers are to be initialised by the caller,
    as torch.nn.utils.skip_init. PyTorch builds it on its "meta" device and then allocates uninitialised memory;
    NumPy has no such device, so here the module is built as usual (its values are whatever its own
    initialisation gives, which a caller of skip_init overwrites anyway). module_cls must be an nn.Module class;
    a device keyword may only be "cpu" and is not passed on.

    >>> import nn
    >>> nn.utils.skip_init(nn.Linear, 3, 2).weight.shape
    (2, 3)
    """
    if not (isinstance(module_cls, type) and issubclass(module_cls, Module)):
        raise RuntimeError(f"skip_init: expected an nn.Module class, got {module_cls!r}")
    check_device(kwargs.pop("device", None), "skip_init")
    return module_cls(*args, **kwargs)
