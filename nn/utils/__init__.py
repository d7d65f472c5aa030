"""Utilities, as torch.nn.utils: gradient clipping and norms (clip_grad.py), parameters as one vector
(convert_parameters.py), packed and padded sequences for the recurrent layers (rnn.py, as torch.nn.utils.rnn),
parametrizations (parametrize.py, parametrizations.py, and the older weight_norm.py and spectral_norm.py hooks),
batch-norm fusion (fusion.py), pruning (prune.py, as torch.nn.utils.prune), skip_init (init.py), functional calls
(stateless.py), and, under torch.utils's names, gradient checkpointing (checkpoint.py, as torch.utils.checkpoint)
and nn.data's loaders (data.py, torch.utils.data)."""
from . import checkpoint, data, parametrizations, parametrize, prune, rnn, stateless
from .clip_grad import clip_grad_norm, clip_grad_norm_, clip_grad_value_, clip_grads_with_norm_, get_total_norm
from .convert_parameters import parameters_to_vector, vector_to_parameters
from .fusion import fuse_conv_bn_eval, fuse_conv_bn_weights, fuse_linear_bn_eval, fuse_linear_bn_weights
from .init import skip_init
from .spectral_norm import remove_spectral_norm, spectral_norm
from .weight_norm import remove_weight_norm, weight_norm

__all__ = ["clip_grad_norm_", "clip_grad_norm", "clip_grad_value_", "clip_grads_with_norm_", "get_total_norm",
           "parameters_to_vector", "vector_to_parameters", "fuse_conv_bn_eval", "fuse_conv_bn_weights",
           "fuse_linear_bn_eval", "fuse_linear_bn_weights", "skip_init", "weight_norm", "remove_weight_norm",
           "spectral_norm", "remove_spectral_norm", "checkpoint", "data", "parametrizations", "parametrize", "prune",
           "rnn", "stateless"]
