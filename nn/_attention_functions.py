"""Attention as a function, which nn.functional re-exports: scaled_dot_product_attention, with
torch.nn.functional's names, arguments and defaults, and the mask helpers nn.MultiheadAttention shares.

Attention is softmax(q k^T * scale + bias) v, written with the engine's matmul, arithmetic and stable softmax, so
its gradients (and second derivatives) are the engine's. A mask becomes an additive bias: 0 where a key takes part,
-inf where it does not (a bool mask), or the float values given. A query whose every key is masked out gets zero
weights (PyTorch's "safe softmax"), so its output is 0 and no NaN flows into the gradients.
"""
import math

import numpy as np

import autograd_core as ag
from autograd_core import Tensor

from . import functional as F  # its checks (nn.functional imports this module: F is read at call time)
from ._arguments import as_flag, checked_number

__all__ = ["scaled_dot_product_attention"]


class AttentionError(ValueError, AssertionError, RuntimeError):
    """A shape, dtype or mask that attention cannot take: a ValueError, as the rest of nn raises, and the
    AssertionError or RuntimeError PyTorch's attention raises for it."""


def scaled_dot_product_attention(query, key, value, attn_mask=None, dropout_p=0.0, is_causal=False, scale=None,
                                 enable_gqa=False, *, rng=None):
    """softmax(query @ key^T * scale + bias) @ value, as PyTorch's: query (..., L, E), key (..., S, E), value
    (..., S, Ev), the leading axes broadcast; the result (..., L, Ev). scale defaults to 1 / sqrt(E).

    attn_mask broadcasts to (..., L, S): a bool mask says which keys each query attends to (True takes part), a
    float mask (of the query's dtype, or float32) is added to the scores. is_causal=True lets query i see keys 0..i
    only (the lower triangle of L x S, aligned at the top left) and refuses an attn_mask beside it. A query whose
    every key is masked out gets zero weights, hence a zero output, as PyTorch's. dropout_p: dropout of the weights,
    always applied when above 0 (as PyTorch's: pass 0.0 in evaluation), drawn with rng (a NumPy Generator or an int
    seed, a keyword here, as nn.functional.dropout's). enable_gqa=True: grouped-query attention, key and value of
    Hkv heads (axis -3) each serving Hq / Hkv consecutive query heads.

    >>> import numpy as np, autograd_core as ag, nn.functional as F
    >>> q, k = ag.tensor([[1.0, 0.0]]), ag.tensor([[1.0, 0.0], [0.0, 1.0]])
    >>> v = ag.tensor([[1.0, 2.0], [3.0, 4.0]])
    >>> F.scaled_dot_product_attention(q, k, v, attn_mask=np.array([[True, False]]))
    Tensor([[1., 2.]])
    >>> F.scaled_dot_product_attention(q, k, v, scale=0.0)  # equal weights
    Tensor([[2., 3.]])
    """
    where = "scaled_dot_product_attention"
    q, k, v = _operands(query, key, value, where)
    is_causal = as_flag(is_causal, where, "is_causal")
    F.check_probability(where, "dropout_p", dropout_p)
    if scale is not None:
        scale = checked_number(scale, where, "scale", what="None or a finite number")
    if as_flag(enable_gqa, where, "enable_gqa"):
        k, v = _grouped(q, k, v, where)
    try:
        batch = np.broadcast_shapes(q.shape[:-2], k.shape[:-2], v.shape[:-2])
    except ValueError:
        raise AttentionError(f"{where}: the leading (batch and head) axes of query {q.shape}, key {k.shape} and value "
                             f"{v.shape} do not broadcast together (enable_gqa=True repeats fewer key and value "
                             f"heads on axis -3)") from None
    length, source = q.shape[-2], k.shape[-2]
    bias = None
    if is_causal:
        if attn_mask is not None:
            raise AttentionError(f"{where}: Explicit attn_mask should not be set when is_causal=True (the causal "
                                 f"mask is built from L={length} and S={source}); pass one or the other")
        bias = np.where(np.tril(np.ones((length, source), dtype=bool)), 0.0, -np.inf).astype(q.dtype)
    elif attn_mask is not None:
        bias = additive_mask(attn_mask, q.dtype, where, "attn_mask", true_means="take part")
        try:
            if np.broadcast_shapes(bias.shape, batch + (length, source)) != batch + (length, source):
                raise ValueError
        except ValueError:
            raise AttentionError(f"{where}: attn_mask of shape {bias.shape} does not broadcast to the scores' shape "
                                 f"{batch + (length, source)} (batch..., L, S) of query {q.shape} and key "
                                 f"{k.shape}") from None
    if scale is None:
        scale = 1.0 / math.sqrt(q.shape[-1]) if q.shape[-1] else 1.0
    root = math.sqrt(abs(scale))  # each side scaled by sqrt(scale), as PyTorch's reference computation
    scores = (q * (root if scale >= 0 else -root)) @ (_key_transposed(k) * root)
    if bias is not None:
        scores = scores + bias
    weights = safe_softmax(scores)
    if dropout_p > 0:
        weights = F.dropout(weights, dropout_p, True, rng)
    return weights @ v


def _operands(query, key, value, where):
    """query, key and value as Tensors of one float dtype, each at least 2-D, E and S agreeing; or an error."""
    q, k, v = (F._as_input(t, where) for t in (query, key, value))
    if min(q.ndim, k.ndim, v.ndim) < 2:
        raise AttentionError(f"{where}: expected query, key and value each at least 2-D (..., L, E), (..., S, E), "
                             f"(..., S, Ev), got shapes {q.shape}, {k.shape} and {v.shape}")
    if not q.dtype == k.dtype == v.dtype or q.dtype.kind != "f":
        raise TypeError(f"{where}: expected query, key and value of one float dtype, got {q.dtype}, {k.dtype} and "
                        f"{v.dtype}")
    if q.shape[-1] != k.shape[-1]:
        raise AttentionError(f"{where}: query {q.shape} and key {k.shape} must have the same embedding size E on "
                             f"their last axis")
    if k.shape[-2] != v.shape[-2]:
        raise AttentionError(f"{where}: key {k.shape} and value {v.shape} must have the same sequence length S on "
                             f"axis -2")
    return q, k, v


def _grouped(q, k, v, where):
    """key and value with each of their heads (axis -3) repeated Hq / Hkv times, as torch's repeat_interleave."""
    if min(q.ndim, k.ndim, v.ndim) < 3:
        raise AttentionError(f"{where}: enable_gqa=True needs heads on axis -3 of query {q.shape}, key {k.shape} and "
                             f"value {v.shape}")
    heads = q.shape[-3]
    repeated = []
    for t, name in ((k, "key"), (v, "value")):
        if t.shape[-3] == 0 or heads % t.shape[-3]:
            raise AttentionError(f"{where}: the number of heads in {name} ({t.shape[-3]}, axis -3 of shape "
                                 f"{t.shape}) must divide the number of heads in query ({heads}, shape {q.shape})")
        group = heads // t.shape[-3]
        if group > 1:
            spread = ag.broadcast_to(ag.expand_dims(t, -3), t.shape[:-2] + (group,) + t.shape[-2:])
            t = spread.reshape(t.shape[:-3] + (heads,) + t.shape[-2:])
        repeated.append(t)
    return repeated


def _key_transposed(k):
    """k with its last two axes swapped."""
    axes = list(range(k.ndim))
    axes[-2], axes[-1] = axes[-1], axes[-2]
    return k.transpose(*axes)


def mask_array(mask, where, name):
    """mask as it is if None, a Tensor or an ndarray, else as an array (a list of lists); a ragged one (rows of
    different lengths) raises an AttentionError naming where and name, not NumPy's bare inhomogeneous-shape error."""
    if mask is None or isinstance(mask, (Tensor, np.ndarray)):
        return mask
    F._refuse_held_graph(mask, where)
    try:
        return np.asarray(mask)
    except ValueError:
        raise AttentionError(f"{where}: {name} is ragged (its rows have different lengths), so it is no mask; give a "
                             f"rectangular array or Tensor of bools or floats") from None


def additive_mask(mask, dtype, where, name, true_means):
    """mask as what is added to the scores: a bool mask as 0 and -inf (True is where keys take part when true_means
    is "take part", as scaled_dot_product_attention's, or where they are masked out, as MultiheadAttention's), a float
    mask of dtype as it is (a Tensor keeps its graph). Another dtype raises, naming where and name."""
    mask = mask_array(mask, where, name)
    if mask.dtype == bool:
        keep = np.asarray(mask.data if isinstance(mask, Tensor) else mask)
        keep = keep if true_means == "take part" else ~keep
        return np.where(keep, 0.0, -np.inf).astype(dtype)
    if mask.dtype != dtype and mask.dtype != np.float32:
        raise TypeError(f"{where}: expected {name} of dtype bool, float32 or the query's dtype {dtype}, got "
                        f"{mask.dtype} (shape {mask.shape})")
    return mask if mask.dtype == dtype else mask.astype(dtype)  # (float32 cast to the query's, as PyTorch's)


def safe_softmax(scores):
    """softmax over the last axis, with a row whose every score is -inf (all keys masked out) given zero weights and
    no gradient, as PyTorch's _safe_softmax (a plain softmax gives NaN there)."""
    if scores.shape[-1] == 0:
        return scores * 0  # no keys: the empty weights (the output is then zeros, as PyTorch's)
    dead = np.isneginf(scores.data).all(axis=-1, keepdims=True)
    if not dead.any():
        return ag.softmax(scores, axis=-1)
    zero = np.zeros((), dtype=scores.dtype)
    return ag.where(dead, zero, ag.softmax(ag.where(dead, zero, scores), axis=-1))
