"""Utilities, as torch.nn.utils: gradient clipping (clip_grad.py), parameters as one vector (convert_parameters.py),
packed and padded sequences for the recurrent layers (rnn.py, as torch.nn.utils.rnn)."""
from . import rnn
from .clip_grad import clip_grad_norm_, clip_grad_value_
from .convert_parameters import parameters_to_vector, vector_to_parameters
from . import stateless
from .checkpoint import checkpoint, checkpoint_sequential

__all__ = ["clip_grad_norm_", "clip_grad_value_", "parameters_to_vector", "vector_to_parameters", "rnn", "stateless",
           "checkpoint", "checkpoint_sequential"]
