"""PyTorch's torch.distributed as a build without it: autograd_core runs in one process, so is_available() and
is_initialized() are False, and rpc.api.RRef (a reference to a value held by another process) is a type that no value
here has. Code that only asks, as Raschka's deeplearning-models helpers do with
`if isinstance(logits, torch.distributed.rpc.api.RRef): logits = logits.local_value()`, runs as written.
"""
import types


def is_available():
    """Whether distributed training can be used: never here (one process), as on a PyTorch build without it.

    >>> import autograd_core as ag
    >>> ag.distributed.is_available()
    False
    """
    return False


def is_initialized():
    """Whether a process group was set up: never here (there is no init_process_group).

    >>> import autograd_core as ag
    >>> ag.distributed.is_initialized()
    False
    """
    return False


class RRef:
    """torch.distributed.rpc's remote reference, as a type to test against only: no other process holds values here,
    so no value is an RRef and none can be made.

    >>> import autograd_core as ag
    >>> isinstance(ag.tensor([1.0]), ag.distributed.rpc.api.RRef)
    False
    """

    def __init__(self, *args, **kwargs):
        raise RuntimeError("distributed.rpc.RRef: there is no RPC here (one process, as a PyTorch build without "
                           "torch.distributed); use the value itself")


# torch.distributed.rpc and its api module, where PyTorch defines RRef (rpc.RRef is the same class); rpc, as the
# rest, is never available here
rpc = types.SimpleNamespace(is_available=is_available, RRef=RRef, api=types.SimpleNamespace(RRef=RRef))
