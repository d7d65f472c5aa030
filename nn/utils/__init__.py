"""Utilities, as torch.nn.utils: gradient clipping (clip_grad.py), parameters as one vector (convert_parameters.py),
packed and padded sequences for the recurrent layers (rnn.py, as torch.nn.utils.rnn)."""
from . import rnn
from .clip_grad import clip_grad_norm_, clip_grad_value_
from .convert_parameters import parameters_to_vector, vector_to_parameters

__all__ = ["clip_grad_norm_", "clip_grad_value_", "parameters_to_vector", "vector_to_parameters", "rnn"]
from . import parametrizations, parametrize
from .clip_grad import clip_grads_with_norm_, get_total_norm
from .fusion import fuse_conv_bn_eval, fuse_conv_bn_weights, fuse_linear_bn_eval, fuse_linear_bn_weights
from .init import skip_init
from .spectral_norm import remove_spectral_norm, spectral_norm
from .weight_norm import remove_weight_norm, weight_norm

__all__ += ["parametrize", "parametrizations", "fuse_conv_bn_eval", "fuse_conv_bn_weights", "fuse_linear_bn_eval",
            "fuse_linear_bn_weights", "get_total_norm", "clip_grads_with_norm_", "skip_init", "weight_norm",
            "remove_weight_norm", "spectral_norm", "remove_spectral_norm"]
