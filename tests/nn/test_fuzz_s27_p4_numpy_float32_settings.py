"""Hyper-parameters given as NumPy float32 numbers (read from a float32 array, say) compute a float64 step as Python
floats of the same values do, as PyTorch's do: SGD, Adam, AdamW and Adagrad computed a step's factors
(1 - dampening, the bias corrections beta ** t, Adagrad's decayed rate) in float32, about 1e-7 off in a float64 run."""
import numpy as np
import pytest

import autograd_core as ag
from nn import optim

CASES = [("SGD", dict(lr=0.1, momentum=0.9, dampening=0.1)),
         ("Adam", dict(lr=0.05, betas=(0.9, 0.999), eps=1e-3, weight_decay=0.01)),
         ("AdamW", dict(lr=0.05, betas=(0.9, 0.99), amsgrad=True)),
         ("Adagrad", dict(lr=0.1, lr_decay=0.01, weight_decay=0.3))]


def _float32(value):
    if isinstance(value, bool):
        return value
    if isinstance(value, tuple):
        return tuple(map(_float32, value))
    return np.float32(value)


def _run(name, kwargs, steps=30):
    p = ag.tensor(np.linspace(-1.0, 1.0, 6).reshape(2, 3), requires_grad=True)
    opt = getattr(optim, name)([p], **kwargs)
    for _ in range(steps):
        p.grad = ag.tensor(np.sin(3 * p.data) + 0.3 * p.data)
        opt.step()
    return p.data


@pytest.mark.parametrize("name, kwargs", CASES)
def test_numpy_float32_settings_step_a_float64_run_as_their_python_floats(name, kwargs):
    given = {k: _float32(v) for k, v in kwargs.items()}
    same_values = {k: (v if isinstance(v, bool) else
                       tuple(map(float, v)) if isinstance(v, tuple) else float(v)) for k, v in given.items()}
    assert np.array_equal(_run(name, given), _run(name, same_values))
