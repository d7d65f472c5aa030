"""Utilities, as torch.nn.utils: gradient clipping (clip_grad.py)."""
from .clip_grad import clip_grad_norm_, clip_grad_value_
from . import rnn  # noqa: F401 (nn.utils.rnn: packed and padded sequences, as torch.nn.utils.rnn)

__all__ = ["clip_grad_norm_", "clip_grad_value_"]
