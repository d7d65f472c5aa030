"""ag.accelerator (autograd_core/accelerator.py), PyTorch's torch.accelerator queries: there is no accelerator, so
the tutorials' device-picking line chooses the CPU and the Tensors made with it are as without it."""
import math

import numpy as np
import pytest

import autograd_core as ag


def test_there_is_no_accelerator():
    assert ag.accelerator.is_available() is False
    assert ag.accelerator.current_accelerator() is None
    assert ag.accelerator.current_accelerator(check_available=True) is None
    assert ag.accelerator.device_count() == 0


def test_current_accelerator_check_available_must_be_a_flag():
    with pytest.raises(TypeError, match="accelerator.current_accelerator: check_available must be True or False"):
        ag.accelerator.current_accelerator(check_available="yes")


def test_the_tutorials_device_line_picks_the_cpu_and_runs_as_written():
    """'Learning PyTorch with Examples' (polynomial_autograd.py) opens with these lines."""
    torch = ag
    device = torch.accelerator.current_accelerator().type if torch.accelerator.is_available() else "cpu"
    torch.set_default_device(device)
    x = torch.linspace(-math.pi, math.pi, 2000, dtype=torch.float)
    assert device == "cpu" and x.device == "cpu" and x.dtype == np.float32
    np.testing.assert_array_equal(x.data, np.linspace(-math.pi, math.pi, 2000, dtype=np.float32))


def test_the_names_are_pytorchs():
    torch = pytest.importorskip("torch")
    if not hasattr(torch, "accelerator"):
        pytest.skip("torch.accelerator is PyTorch 2.6's")
    for name in ("is_available", "current_accelerator", "device_count"):
        assert callable(getattr(torch.accelerator, name)) and callable(getattr(ag.accelerator, name))
    assert callable(torch.set_default_device) and callable(torch.get_default_device)
