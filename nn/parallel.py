"""PyTorch's nn.DataParallel as it runs on a machine without accelerators: a wrapper that calls its module (NumPy
computes on the CPU, one process), so that training loops written for several GPUs (d2l's train_ch13 and train_bert:
net = nn.DataParallel(net, device_ids=devices).to(devices[0])) run as written. The wrapped module's parameters and
state-dict keys are under "module.", as PyTorch's. Likewise Module.share_memory, for loops written for
torch.multiprocessing (one process here).
"""
from autograd_core._arguments import check_device

from .module import Module

__all__ = ["DataParallel"]


def share_memory(self):
    """PyTorch's Module.share_memory(), for training loops written for torch.multiprocessing (mnist_hogwild's
    model.share_memory() before its processes start): the module itself, its parameters and buffers unchanged (see
    Tensor.share_memory_). Run the workers' loop in this process: train(rank, args, model) for each rank in turn.

    >>> import nn
    >>> net = nn.Linear(2, 1)
    >>> net.share_memory() is net
    True
    """
    for tensor in (*self.parameters(), *self.buffers()):
        tensor.share_memory_()
    return self


Module.share_memory = share_memory


class DataParallel(Module):
    """Runs module on the CPU, as PyTorch's DataParallel where no accelerator is available: forward is
    module(*inputs, **kwargs), and device_ids is [] whatever was given. Devices other than the CPU are refused.

    >>> import autograd_core as ag, nn
    >>> net = nn.DataParallel(nn.Linear(2, 1), device_ids=['cpu'])
    >>> net(ag.ones((3, 2))).shape, list(net.state_dict()), net.device_ids
    ((3, 1), ['module.weight', 'module.bias'], [])
    """

    def __init__(self, module, device_ids=None, output_device=None, dim=0):
        super().__init__()
        if not isinstance(module, Module):
            raise TypeError(f"DataParallel: module must be an nn.Module, got {type(module).__name__}")
        for device in [] if device_ids is None else list(device_ids):
            check_device(device, "DataParallel", "device_ids")
        check_device(output_device, "DataParallel", "output_device")
        self.module = module
        self.device_ids = []  # (PyTorch's, with no accelerator: nothing is replicated)

    def forward(self, *inputs, **kwargs):
        return self.module(*inputs, **kwargs)
