"""'cpu:0', PyTorch's other spelling of the CPU, is taken wherever 'cpu' is (Module.to refused it), and any other
device is refused as before: one helper, autograd_core._arguments.is_cpu."""
import numpy as np
import pytest

import autograd_core as ag
import nn
from nn.utils.init import skip_init

CPU_CALLS = {
    "Module.to": lambda device: nn.Linear(2, 2).to(device),
    "Module.to with a dtype": lambda device: nn.Linear(2, 2).to(device, np.float64),
    "Tensor.to": lambda device: ag.tensor([1.0]).to(device),
    "linspace": lambda device: ag.linspace(0, 1, 3, device=device),
    "np.zeros_like": lambda device: np.zeros_like(ag.tensor([1.0]), device=device),
    "UninitializedParameter": lambda device: nn.UninitializedParameter(device=device),
    "UninitializedBuffer": lambda device: nn.UninitializedBuffer(device=device),
    "skip_init": lambda device: skip_init(nn.Linear, 2, 2, device=device),
}


@pytest.mark.parametrize("call", CPU_CALLS)
@pytest.mark.parametrize("device", ["cpu", "cpu:0"])
def test_both_spellings_of_the_cpu_are_taken(call, device):
    CPU_CALLS[call](device)


@pytest.mark.parametrize("call", CPU_CALLS)
def test_another_device_is_refused_naming_it(call):
    with pytest.raises((ValueError, RuntimeError), match="cuda:0"):
        CPU_CALLS[call]("cuda:0")
