"""Tools for testing differentiable code: finite-difference gradient checks and Hypothesis strategies.

`numerical_grad`, `gradcheck`, `gradgradcheck` and `GradcheckError` live in
`autograd_core.testing.gradcheck` and need only NumPy. The Hypothesis strategies
live in `autograd_core.testing.strategies`, imported separately because Hypothesis
is a development dependency.

>>> import autograd_core as ag
>>> from autograd_core.testing import gradcheck
>>> gradcheck(lambda x: ag.exp(x).sum(), [0.1, 0.2])
True
"""
from .gradcheck import GradcheckError, gradcheck, gradgradcheck, numerical_grad

__all__ = ["GradcheckError", "gradcheck", "gradgradcheck", "numerical_grad"]
