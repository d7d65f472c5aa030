"""Tools for testing differentiable code: finite-difference gradient checks and Hypothesis strategies.

`numerical_grad`, `gradcheck`, `gradgradcheck`, JAX's `check_grads` and `GradcheckError` live in
`autograd_core.testing.gradcheck` and need only NumPy. The Hypothesis strategies
live in `autograd_core.testing.strategies`, imported separately because Hypothesis
is a development dependency.

>>> import autograd_core as ag
>>> from autograd_core.testing import gradcheck
>>> gradcheck(lambda x: ag.exp(x).sum(), [0.1, 0.2])
True
"""
from .gradcheck import GradcheckError, check_grads, gradcheck, gradgradcheck, numerical_grad

__all__ = ["GradcheckError", "check_grads", "gradcheck", "gradgradcheck", "numerical_grad"]
