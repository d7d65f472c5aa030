"""Multi-head attention as a function, which nn.functional re-exports and nn.MultiheadAttention calls:
multi_head_attention_forward, torch.nn.functional's, step by step with the engine's linear, matmul, softmax,
reshape and concatenate (so every gradient and second derivative is the engine's), with its checks and their
words (as AttentionErrors naming the shapes)."""
import math
import warnings

import numpy as np

import autograd_core as ag
from autograd_core import Tensor

from . import functional as F  # its checks (nn.functional imports this module: F is read at call time)
from ._arguments import as_flag
from ._attention_functions import AttentionError, additive_mask, mask_array, scaled_dot_product_attention

__all__ = ["multi_head_attention_forward"]

_WHERE = "multi_head_attention_forward"


def multi_head_attention_forward(query, key, value, embed_dim_to_check, num_heads, in_proj_weight, in_proj_bias,
                                 bias_k, bias_v, add_zero_attn, dropout_p, out_proj_weight, out_proj_bias,
                                 training=True, key_padding_mask=None, need_weights=True, attn_mask=None,
                                 use_separate_proj_weight=False, q_proj_weight=None, k_proj_weight=None,
                                 v_proj_weight=None, static_k=None, static_v=None, average_attn_weights=True,
                                 is_causal=False, *, rng=None, where=_WHERE, _stacklevel=2):
    """nn.MultiheadAttention's forward from its parameters, as torch.nn.functional's: query (L, N, E), key (S, N,
    kdim), value (S, N, vdim), or unbatched (L, E), (S, kdim), (S, vdim); returns (attn_output (L, N, E) or (L, E),
    attn_output_weights (N, L, S) averaged over the heads, (N, num_heads, L, S) without average_attn_weights, or
    None without need_weights).

    in_proj_weight (3 E, E) projects query, key and value, or with use_separate_proj_weight q_proj_weight (E, E),
    k_proj_weight (E, kdim) and v_proj_weight (E, vdim) do; in_proj_bias (3 E,) or None. bias_k and bias_v (1, 1, E)
    are appended to the keys and values (or both None); add_zero_attn appends a zero key and value. static_k and
    static_v (N * num_heads, S, E / num_heads) replace the projected keys and values. Masks as MultiheadAttention's: a
    bool True masks a key out, a float mask is added to the scores. Dropout (dropout_p, only when training) of the
    weights draws from rng (a NumPy Generator or int seed, a keyword here, as nn.functional.dropout's); where names
    the caller in errors, and _stacklevel is the frame its warnings point at (2: this function's caller).

    >>> import numpy as np, nn.functional as F
    >>> x = np.ones((2, 1, 4))  # (L, N, E)
    >>> w = np.eye(4)
    >>> out, weights = F.multi_head_attention_forward(x, x, x, 4, 2, np.concatenate([w, w, w]), None, None, None,
    ...                                               False, 0.0, w, None)
    >>> out.shape, weights.shape
    ((2, 1, 4), (1, 2, 2))
    >>> weights.data
    array([[[0.5, 0.5],
            [0.5, 0.5]]])
    """
    query, key, value = (F._as_input(t, where) for t in (query, key, value))
    need_weights = as_flag(need_weights, where, "need_weights")
    average_attn_weights = as_flag(average_attn_weights, where, "average_attn_weights")
    is_causal = as_flag(is_causal, where, "is_causal")
    F.check_probability(where, "dropout_p", dropout_p)
    key_padding_mask = mask_array(key_padding_mask, where, "key_padding_mask")
    attn_mask = mask_array(attn_mask, where, "attn_mask")
    batched = _shape_check(where, query, key, value, key_padding_mask, attn_mask, num_heads)
    if not batched:
        query, key, value = (ag.expand_dims(t, 1) for t in (query, key, value))
    key_padding_mask = _canonical(where, key_padding_mask, "key_padding_mask", query.dtype, attn_mask, "attn_mask",
                                  _stacklevel + 1)
    if key_padding_mask is not None and not batched:
        key_padding_mask = ag.expand_dims(key_padding_mask, 0)
    if is_causal and attn_mask is None:
        raise AttentionError(f"{where}: need attn_mask if specifying the is_causal hint; "
                             f"nn.Transformer.generate_square_subsequent_mask(L) makes it")
    if is_causal and key_padding_mask is None and not need_weights:
        attn_mask = None  # scaled_dot_product_attention builds the causal mask
    else:
        attn_mask = _canonical(where, attn_mask, "attn_mask", query.dtype)
        if key_padding_mask is not None:
            is_causal = False
    length, batch, e = query.shape
    if e != embed_dim_to_check:
        raise AttentionError(f"{where}: was expecting embedding dimension of {embed_dim_to_check}, but got {e} "
                             f"(query of shape {query.shape})")
    if num_heads <= 0 or e % num_heads:
        raise AttentionError(f"{where}: embed_dim {e} not divisible by num_heads {num_heads}")
    head_dim = e // num_heads
    if (key.shape[:2] != value.shape[:2]) if use_separate_proj_weight else (key.shape != value.shape):
        axes = " in their sequence and batch axes (S, N)" if use_separate_proj_weight else ""
        raise AttentionError(f"{where}: key shape {key.shape} does not match value shape {value.shape}{axes}")
    if key.shape[1] != batch:
        raise AttentionError(f"{where}: key {key.shape} and query {query.shape} must have the same batch size N on "
                             f"axis 1")
    q, k, v = _projected(where, query, key, value, in_proj_weight, in_proj_bias, use_separate_proj_weight,
                         (q_proj_weight, k_proj_weight, v_proj_weight))
    attn_mask = _checked_attn_mask(where, attn_mask, (length, key.shape[0]), batch * num_heads)
    if bias_k is not None and bias_v is not None:
        for static, name in ((static_k, "key"), (static_v, "value")):
            if static is not None:
                raise AttentionError(f"{where}: bias cannot be added to static {name}.")
        k = ag.concatenate([k, ag.broadcast_to(bias_k, (1, batch, e))], axis=0)
        v = ag.concatenate([v, ag.broadcast_to(bias_v, (1, batch, e))], axis=0)
        attn_mask, key_padding_mask = _pad_one(attn_mask), _pad_one(key_padding_mask)
    elif bias_k is not None or bias_v is not None:
        raise AttentionError(f"{where}: give both bias_k and bias_v or neither, got only "
                             f"{'bias_k' if bias_v is None else 'bias_v'}")
    q = q.reshape(length, batch * num_heads, head_dim).transpose(1, 0, 2)
    k = _heads(where, k, static_k, "static_k", batch * num_heads, head_dim)
    v = _heads(where, v, static_v, "static_v", batch * num_heads, head_dim)
    if as_flag(add_zero_attn, where, "add_zero_attn"):
        zeros = np.zeros((batch * num_heads, 1, head_dim), dtype=q.dtype)
        k, v = ag.concatenate([k, zeros], axis=1), ag.concatenate([v, zeros], axis=1)
        attn_mask, key_padding_mask = _pad_one(attn_mask), _pad_one(key_padding_mask)
    source = k.shape[1]
    if key_padding_mask is not None:
        attn_mask = _with_padding(where, attn_mask, key_padding_mask, batch, num_heads, source)
    output, weights = _attended(q, k, v, attn_mask, is_causal, need_weights, dropout_p if training else 0.0, rng,
                                (batch, num_heads, length, source))
    if weights is not None and average_attn_weights:
        weights = weights.mean(axis=1)
    output = ag.linear(output, out_proj_weight, out_proj_bias).reshape(length, batch, -1)
    if not batched:
        output = output.squeeze(1)
        weights = None if weights is None else weights.squeeze(0)
    return output, weights


def _attended(q, k, v, attn_mask, is_causal, need_weights, dropout_p, rng, sizes):
    """The heads' attention, q (N * H, L, d), k and v (N * H, S, d), attn_mask (1 or N * H, L, S) or None, sizes
    (N, H, L, S): (the heads joined, (L * N, H * d), the weights (N, H, L, S) or None without need_weights). With
    need_weights, softmax of the scores as PyTorch's (NaN for a query with every key masked out); without,
    scaled_dot_product_attention (zeros there)."""
    batch, heads, length, source = sizes
    if need_weights:
        scores = (q * math.sqrt(1.0 / q.shape[-1])) @ k.transpose(0, 2, 1)
        weights = ag.softmax(scores if attn_mask is None else attn_mask + scores, axis=-1)
        if dropout_p > 0:
            weights = F.dropout(weights, dropout_p, True, rng)
        output = (weights @ v).transpose(1, 0, 2).reshape(length * batch, -1)
        return output, weights.reshape(batch, heads, length, source)
    if attn_mask is not None:
        if attn_mask.shape[0] == 1 and attn_mask.ndim == 3:
            attn_mask = ag.expand_dims(attn_mask, 0)
        else:
            attn_mask = attn_mask.reshape(batch, heads, -1, source)
    q, k, v = (t.reshape(batch, heads, t.shape[1], t.shape[2]) for t in (q, k, v))
    output = scaled_dot_product_attention(q, k, v, attn_mask, dropout_p, is_causal, rng=rng)
    return output.transpose(2, 0, 1, 3).reshape(length * batch, -1), None


def _projected(where, query, key, value, in_proj_weight, in_proj_bias, separate, separate_weights):
    """query, key and value through their input projections: thirds of in_proj_weight, or the separate weights;
    in_proj_bias's thirds (or no bias)."""
    e = query.shape[-1]
    biases = (None,) * 3 if in_proj_bias is None else tuple(in_proj_bias[i * e:(i + 1) * e] for i in range(3))
    if separate:
        for weight, name in zip(separate_weights, ("q_proj_weight", "k_proj_weight", "v_proj_weight")):
            if weight is None:
                raise AttentionError(f"{where}: use_separate_proj_weight is True but {name} is None")
        weights = separate_weights
    else:
        if in_proj_weight is None:
            raise AttentionError(f"{where}: use_separate_proj_weight is False but in_proj_weight is None")
        weights = tuple(in_proj_weight[i * e:(i + 1) * e] for i in range(3))
    for x, weight, bias, name in zip((query, key, value), weights, biases, ("query", "key", "value")):
        expected = (e, x.shape[-1])
        if np.shape(weight) != expected or (bias is not None and np.shape(bias) != (e,)):
            raise AttentionError(f"{where}: expecting the {name} projection's weight of shape {expected} and bias "
                                 f"of shape {(e,)} for {name} {x.shape}, got {np.shape(weight)} and "
                                 f"{None if bias is None else np.shape(bias)}")
    return tuple(ag.linear(x, weight, bias) for x, weight, bias in zip((query, key, value), weights, biases))


def _checked_attn_mask(where, attn_mask, scores_shape, batch_heads):
    """A canonical attn_mask of shape (L, S) as (1, L, S), or one of shape (N * num_heads, L, S) as it is."""
    if attn_mask is None:
        return None
    if attn_mask.ndim == 2:
        if attn_mask.shape != scores_shape:
            raise AttentionError(f"{where}: the shape of the 2D attn_mask is {attn_mask.shape}, but should be "
                                 f"{scores_shape} (L, S).")
        return ag.expand_dims(attn_mask, 0)
    if attn_mask.shape != (batch_heads,) + scores_shape:
        raise AttentionError(f"{where}: the shape of the 3D attn_mask is {attn_mask.shape}, but should be "
                             f"{(batch_heads,) + scores_shape} (N * num_heads, L, S).")
    return attn_mask


def _heads(where, projected, static, name, batch_heads, head_dim):
    """Keys or values (S, N, E) split into heads, (N * num_heads, S, head_dim); or static (of that shape) instead."""
    if static is None:
        return projected.reshape(projected.shape[0], batch_heads, head_dim).transpose(1, 0, 2)
    static = F._as_input(static, where)
    if static.ndim != 3 or static.shape[0] != batch_heads or static.shape[2] != head_dim:
        raise AttentionError(f"{where}: expecting {name} of shape ({batch_heads}, S, {head_dim}) (N * num_heads, "
                             f"S, head_dim), but got {static.shape}")
    return static


def _with_padding(where, attn_mask, key_padding_mask, batch, heads, source):
    """attn_mask (or nothing) plus the canonical key_padding_mask (N, S) spread over the heads."""
    if key_padding_mask.shape != (batch, source):
        # PyTorch's (tokens == PAD).transpose(0, 1) of a (S, N) batch is NumPy's identity on a matrix here
        hint = ("; the mask is (S, N): write (tokens == pad).T, as a matrix's transpose(0, 1) keeps NumPy's "
                "meaning (the axes unchanged)" if key_padding_mask.shape == (source, batch) else "")
        raise AttentionError(f"{where}: expecting key_padding_mask shape of {(batch, source)} (N, S), but got "
                             f"{key_padding_mask.shape}{hint}")
    padding = ag.broadcast_to(key_padding_mask.reshape(batch, 1, 1, source), (batch, heads, 1, source))
    padding = padding.reshape(batch * heads, 1, source)
    return padding if attn_mask is None else attn_mask + padding


def _shape_check(where, query, key, value, key_padding_mask, attn_mask, num_heads):
    """Whether the inputs are batched (a 3-D query) or not (2-D), with PyTorch's checks of the ranks and of an
    unbatched 3-D attn_mask, as AttentionErrors naming the shapes (in PyTorch's words)."""
    if query.ndim not in (2, 3):
        raise AttentionError(f"{where}: query should be unbatched 2D or batched 3D tensor but received "
                             f"{query.ndim}-D query tensor (shape {query.shape})")
    batched = query.ndim == 3
    what = f"for {'batched (3-D)' if batched else 'unbatched (2-D)'} `query`, expected"
    if key.ndim != query.ndim or value.ndim != query.ndim:
        raise AttentionError(f"{where}: {what} `key` and `value` to be {query.ndim}-D but found {key.ndim}-D and "
                             f"{value.ndim}-D tensors respectively (shapes {key.shape} and {value.shape})")
    if key_padding_mask is not None and key_padding_mask.ndim != query.ndim - 1:
        raise AttentionError(f"{where}: {what} `key_padding_mask` to be `None` or {query.ndim - 1}-D but found "
                             f"{key_padding_mask.ndim}-D tensor instead (shape {key_padding_mask.shape})")
    if attn_mask is not None:
        if attn_mask.ndim not in (2, 3):
            raise AttentionError(f"{where}: {what} `attn_mask` to be `None`, 2-D or 3-D but found {attn_mask.ndim}-D "
                                 f"tensor instead (shape {attn_mask.shape})")
        expected = (num_heads, query.shape[0], key.shape[0])
        if not batched and attn_mask.ndim == 3 and attn_mask.shape != expected:
            raise AttentionError(f"{where}: Expected `attn_mask` shape to be {expected} (num_heads, L, S) for an "
                                 f"unbatched query but got {attn_mask.shape}")
    return batched


def _canonical(where, mask, name, dtype, other=None, other_name="", stacklevel=3):
    """mask as a float Tensor of dtype to add to the scores (a bool mask: -inf where True, 0 elsewhere), or None;
    as PyTorch's _canonical_mask, with its warning when other (the other mask) has another dtype, pointing
    stacklevel frames up (the caller of multi_head_attention_forward, or of the module)."""
    if mask is None:
        return None
    kind = mask.dtype
    if kind != bool and kind.kind != "f":
        raise TypeError(f"{where}: only bool and floating types of {name} are supported, got {kind} (shape "
                        f"{mask.shape})")
    if other is not None and other.dtype != kind:
        warnings.warn(f"{where}: support for mismatched {name} and {other_name} is deprecated (PyTorch's warning); "
                      f"use the same type for both instead", UserWarning, stacklevel=stacklevel)
    if kind != bool:
        mask = mask.astype(dtype) if mask.dtype != dtype else mask  # (a Tensor casts differentiably)
        return mask if isinstance(mask, Tensor) else ag.tensor(mask)
    return ag.tensor(additive_mask(mask, dtype, where, name, true_means="masked out"))


def _pad_one(mask):
    """mask with a column of zeros appended on its last axis (a key that takes part), or None."""
    if mask is None:
        return None
    return ag.concatenate([mask, np.zeros(mask.shape[:-1] + (1,), dtype=mask.dtype)], axis=-1)
