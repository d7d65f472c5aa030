"""Tools for testing differentiable code: finite-difference gradient checks, PyTorch's assert_close and make_tensor,
and Hypothesis strategies.

`numerical_grad`, `gradcheck`, `gradgradcheck`, JAX's `check_grads`, `GradcheckError` and `GradcheckArgumentError`
(f or the settings cannot be checked) live in `autograd_core.testing.gradcheck`, `assert_close` (torch.testing's)
in `autograd_core.testing.comparison` and `make_tensor` in `autograd_core.testing.creation`; they need only NumPy.
The Hypothesis strategies live in `autograd_core.testing.strategies`, imported separately because Hypothesis is a
development dependency.

>>> import autograd_core as ag
>>> from autograd_core.testing import assert_close, gradcheck
>>> gradcheck(lambda x: ag.exp(x).sum(), [0.1, 0.2])
True
>>> assert_close(ag.exp(ag.tensor(0.0)), ag.tensor(1.0))
"""
from .comparison import assert_close
from .creation import make_tensor
from .gradcheck import GradcheckArgumentError, GradcheckError, check_grads, gradcheck, gradgradcheck, numerical_grad

__all__ = ["GradcheckArgumentError", "GradcheckError", "assert_close", "check_grads", "gradcheck", "gradgradcheck",
           "make_tensor", "numerical_grad"]
