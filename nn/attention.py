"""Multi-head attention, as PyTorch's nn.MultiheadAttention: the same arguments, parameter names and shapes
(in_proj_weight, or q_proj_weight, k_proj_weight and v_proj_weight when kdim or vdim differ from embed_dim;
in_proj_bias; out_proj; bias_k and bias_v), initialisation, mask conventions and results, batched and unbatched.

The forward pass follows torch.nn.functional.multi_head_attention_forward step by step with the engine's linear,
matmul, softmax, reshape and concatenate, so every gradient and second derivative is the engine's.

>>> import numpy as np, nn
>>> mha = nn.MultiheadAttention(8, 2, batch_first=True, rng=0)
>>> x = np.ones((3, 5, 8), dtype=np.float32)  # (N, L, E)
>>> out, weights = mha(x, x, x)
>>> out.shape, weights.shape
((3, 5, 8), (3, 5, 5))
>>> [name for name, _ in mha.named_parameters()]
['in_proj_weight', 'in_proj_bias', 'out_proj.weight', 'out_proj.bias']
"""
import math
import warnings

import numpy as np

import autograd_core as ag
from autograd_core import Tensor

from . import functional as F
from . import init
from ._arguments import as_flag, checked_number, generator, takes_device
from ._parameter_reset import reset_at_construction, resets
from ._attention_functions import AttentionError, additive_mask, mask_array, scaled_dot_product_attention
from .layers import Linear, _check_sizes, _float_dtype
from .module import Module, Parameter
from .normalization import _module_input

__all__ = ["MultiheadAttention"]


class MultiheadAttention(Module):
    """Attention from num_heads heads of embed_dim // num_heads features each, as PyTorch's: query, key and value
    are projected (in_proj_weight (3 E, E) and in_proj_bias (3 E,), or q_proj_weight (E, E), k_proj_weight
    (E, kdim), v_proj_weight (E, vdim) when kdim or vdim differ from embed_dim E), split into heads, each head
    attends with softmax(q k^T / sqrt(head_dim)) v, and the heads, joined, go through out_proj (a Linear E -> E).

    add_bias_kv: learned bias_k and bias_v (1, 1, E) appended to the keys and values; add_zero_attn: a zero key
    and value appended after them; dropout: on the attention weights, in training. Initialised as PyTorch's
    (xavier_uniform_ projections, zero biases, xavier_normal_ bias_k and bias_v, out_proj.weight as Linear's).
    Inputs (L, N, E) (or (N, L, E) with batch_first) or unbatched (L, E); dtype (a keyword): the parameters', to
    which the inputs and float masks are cast (as Linear casts); rng: a NumPy Generator or int seed, for the
    initialisation and the dropout.

    forward(query, key, value, key_padding_mask=None, need_weights=True, attn_mask=None, average_attn_weights=True,
    is_causal=False) returns (attn_output, attn_output_weights), attn_output of the query's shape, the weights (N, L,
    S) averaged over the heads, (N, num_heads, L, S) with average_attn_weights=False, or None when not
    need_weights. As PyTorch's, a bool mask is True where a key is masked out (key_padding_mask (N, S), attn_mask
    (L, S) or (N * num_heads, L, S)); a float mask is added to the scores. is_causal is a hint that attn_mask is
    the causal mask (which must then be given). A query whose every key is masked out gives NaN weights and
    output with need_weights=True and zeros without, as PyTorch's.

    >>> import numpy as np, nn
    >>> mha = nn.MultiheadAttention(4, 2, kdim=3, vdim=5, rng=0)
    >>> out, w = mha(np.ones((2, 4)), np.ones((6, 3)), np.ones((6, 5)))  # unbatched: L=2, S=6
    >>> out.shape, w.shape
    ((2, 4), (2, 6))
    """

    @takes_device
    def __init__(self, embed_dim, num_heads, dropout=0.0, bias=True, add_bias_kv=False, add_zero_attn=False,
                 kdim=None, vdim=None, batch_first=False, *, dtype=np.float32, rng=None):
        super().__init__()
        owner = "MultiheadAttention"
        _check_sizes(owner, positive=("embed_dim", "num_heads"), embed_dim=embed_dim, num_heads=num_heads)
        self.embed_dim, self.num_heads = int(embed_dim), int(num_heads)
        if self.embed_dim % self.num_heads:
            raise AttentionError(f"{owner}: embed_dim must be divisible by num_heads, got embed_dim={embed_dim} and "
                                 f"num_heads={num_heads}")
        # (kdim and vdim may be 0, as in PyTorch: zero-element key or value projections)
        self.kdim = self.embed_dim if kdim is None else checked_number(kdim, owner, "kdim", low=0, integer=True)
        self.vdim = self.embed_dim if vdim is None else checked_number(vdim, owner, "vdim", low=0, integer=True)
        self._qkv_same_embed_dim = self.kdim == self.embed_dim and self.vdim == self.embed_dim
        F.check_probability(owner, "dropout", dropout)
        self.dropout = dropout
        self.batch_first = as_flag(batch_first, owner, "batch_first")
        self.head_dim = self.embed_dim // self.num_heads
        self.add_zero_attn = as_flag(add_zero_attn, owner, "add_zero_attn")
        bias, add_bias_kv = as_flag(bias, owner, "bias"), as_flag(add_bias_kv, owner, "add_bias_kv")
        dtype = _float_dtype(owner, dtype)
        self.rng = generator(rng, owner)
        e = self.embed_dim
        if self._qkv_same_embed_dim:
            self.in_proj_weight = Parameter(np.empty((3 * e, e), dtype=dtype))
            for name in ("q_proj_weight", "k_proj_weight", "v_proj_weight"):
                self.register_parameter(name, None)
        else:
            self.q_proj_weight = Parameter(np.empty((e, e), dtype=dtype))
            self.k_proj_weight = Parameter(np.empty((e, self.kdim), dtype=dtype))
            self.v_proj_weight = Parameter(np.empty((e, self.vdim), dtype=dtype))
            self.register_parameter("in_proj_weight", None)
        if bias:
            self.in_proj_bias = Parameter(np.zeros(3 * e, dtype=dtype))
        else:
            self.register_parameter("in_proj_bias", None)
        self.out_proj = Linear(e, e, bias=bias, dtype=dtype, rng=self.rng)
        if add_bias_kv:
            self.bias_k = Parameter(np.empty((1, 1, e), dtype=dtype))
            self.bias_v = Parameter(np.empty((1, 1, e), dtype=dtype))
        else:
            self.bias_k = self.bias_v = None
        reset_at_construction(self, self.rng, "_reset_parameters")

    @resets
    def _reset_parameters(self, rng=None):
        """PyTorch's _reset_parameters (it has no public reset_parameters: out_proj, a Linear, has one), into the
        same Parameters: xavier_uniform_ on the input projections, zeros on in_proj_bias and out_proj.bias,
        xavier_normal_ on bias_k and bias_v. rng: a numpy Generator or int seed; None draws from the default
        generator (ag.manual_seed's), not the layer's rng (its dropout's)."""
        for weight in (self.in_proj_weight, self.q_proj_weight, self.k_proj_weight, self.v_proj_weight):
            if weight is not None:
                init.xavier_uniform_(weight, rng=rng)
        for bias in (self.in_proj_bias, self.out_proj.bias):
            if bias is not None:
                init.zeros_(bias)
        for bias in (self.bias_k, self.bias_v):
            if bias is not None:
                init.xavier_normal_(bias, rng=rng)

    @property
    def dtype(self):
        """The parameters' dtype, to which inputs and float masks are cast."""
        return self.out_proj.weight.dtype

    def forward(self, query, key, value, key_padding_mask=None, need_weights=True, attn_mask=None,
                average_attn_weights=True, is_causal=False):
        owner = "MultiheadAttention"
        dtype = self.dtype
        query, key, value = (_module_input(owner, F._as_input(t, owner), dtype, cast=True)
                             for t in (query, key, value))
        need_weights = as_flag(need_weights, owner, "need_weights")
        average_attn_weights = as_flag(average_attn_weights, owner, "average_attn_weights")
        is_causal = as_flag(is_causal, owner, "is_causal")
        key_padding_mask = mask_array(key_padding_mask, owner, "key_padding_mask")
        attn_mask = mask_array(attn_mask, owner, "attn_mask")
        batched = _shape_check(query, key, value, key_padding_mask, attn_mask, self.num_heads)
        if self.batch_first and batched:
            query, key, value = (t.transpose(1, 0, 2) for t in (query, key, value))
        if not batched:
            query, key, value = (ag.expand_dims(t, 1) for t in (query, key, value))
        key_padding_mask = _canonical(key_padding_mask, "key_padding_mask", dtype, attn_mask, "attn_mask")
        if key_padding_mask is not None and not batched:
            key_padding_mask = ag.expand_dims(key_padding_mask, 0)
        if is_causal and attn_mask is None:
            raise AttentionError(f"{owner}: need attn_mask if specifying the is_causal hint; "
                                 f"nn.Transformer.generate_square_subsequent_mask(L) makes it")
        if is_causal and key_padding_mask is None and not need_weights:
            attn_mask = None  # scaled_dot_product_attention builds the causal mask
        else:
            attn_mask = _canonical(attn_mask, "attn_mask", dtype)
            if key_padding_mask is not None:
                is_causal = False
        output, weights = self._attend(query, key, value, key_padding_mask, attn_mask, is_causal, need_weights)
        if weights is not None and average_attn_weights:
            weights = weights.mean(axis=1)
        if not batched:
            output = output.squeeze(1)
            weights = None if weights is None else weights.squeeze(0)
        elif self.batch_first:
            output = output.transpose(1, 0, 2)
        return output, weights

    def _attend(self, query, key, value, key_padding_mask, attn_mask, is_causal, need_weights):
        """torch's multi_head_attention_forward from the projections on, for inputs (L, N, E), (S, N, kdim),
        (S, N, vdim) and canonical (float) masks: (output (L, N, E), weights (N, H, L, S) or None)."""
        owner = "MultiheadAttention"
        length, batch, e = query.shape
        heads, head_dim = self.num_heads, self.head_dim
        if e != self.embed_dim:
            raise AttentionError(f"{owner}: was expecting embedding dimension of {self.embed_dim}, but got query of "
                                 f"shape {query.shape} (E = {e})")
        if key.shape[-1] != self.kdim or value.shape[-1] != self.vdim:
            raise AttentionError(f"{owner}: expected key and value with kdim={self.kdim} and vdim={self.vdim} "
                                 f"features on their last axis, got key {key.shape} and value {value.shape}")
        if key.shape[:2] != value.shape[:2] or key.shape[1] != batch:
            raise AttentionError(f"{owner}: key {key.shape} and value {value.shape} must match each other in their "
                                 f"sequence and batch axes, and query {query.shape} in its batch axis")
        b_q = b_k = b_v = None
        if self.in_proj_bias is not None:
            b_q, b_k, b_v = (self.in_proj_bias[i * e:(i + 1) * e] for i in range(3))
        if self._qkv_same_embed_dim:
            w_q, w_k, w_v = (self.in_proj_weight[i * e:(i + 1) * e] for i in range(3))
        else:
            w_q, w_k, w_v = self.q_proj_weight, self.k_proj_weight, self.v_proj_weight
        q, k, v = ag.linear(query, w_q, b_q), ag.linear(key, w_k, b_k), ag.linear(value, w_v, b_v)
        if attn_mask is not None:
            source = key.shape[0]
            if attn_mask.ndim == 2:
                if attn_mask.shape != (length, source):
                    raise AttentionError(f"{owner}: the shape of the 2D attn_mask is {attn_mask.shape}, but should be "
                                         f"{(length, source)} (L, S)")
                attn_mask = ag.expand_dims(attn_mask, 0)
            elif attn_mask.shape != (batch * heads, length, source):
                raise AttentionError(f"{owner}: the shape of the 3D attn_mask is {attn_mask.shape}, but should be "
                                     f"{(batch * heads, length, source)} (N * num_heads, L, S)")
        if self.bias_k is not None:
            k = ag.concatenate([k, ag.broadcast_to(self.bias_k, (1, batch, e))], axis=0)
            v = ag.concatenate([v, ag.broadcast_to(self.bias_v, (1, batch, e))], axis=0)
            attn_mask, key_padding_mask = _pad_one(attn_mask), _pad_one(key_padding_mask)
        q = q.reshape(length, batch * heads, head_dim).transpose(1, 0, 2)
        k = k.reshape(k.shape[0], batch * heads, head_dim).transpose(1, 0, 2)
        v = v.reshape(v.shape[0], batch * heads, head_dim).transpose(1, 0, 2)
        if self.add_zero_attn:
            zeros = np.zeros((batch * heads, 1, head_dim), dtype=q.dtype)
            k, v = ag.concatenate([k, zeros], axis=1), ag.concatenate([v, zeros], axis=1)
            attn_mask, key_padding_mask = _pad_one(attn_mask), _pad_one(key_padding_mask)
        source = k.shape[1]
        if key_padding_mask is not None:
            if key_padding_mask.shape != (batch, source):
                # PyTorch's (tokens == PAD).transpose(0, 1) of a (S, N) batch is NumPy's identity on a matrix here
                hint = ("; the mask is (S, N): write (tokens == pad).T, as a matrix's transpose(0, 1) keeps NumPy's "
                        "meaning (the axes unchanged)" if key_padding_mask.shape == (source, batch) else "")
                raise AttentionError(f"{owner}: expected key_padding_mask of shape {(batch, source)} (N, S), got "
                                     f"{key_padding_mask.shape}{hint}")
            padding = ag.broadcast_to(key_padding_mask.reshape(batch, 1, 1, source), (batch, heads, 1, source))
            padding = padding.reshape(batch * heads, 1, source)
            attn_mask = padding if attn_mask is None else attn_mask + padding
        dropout_p = self.dropout if self.training else 0.0
        if need_weights:
            scores = (q * math.sqrt(1.0 / head_dim)) @ k.transpose(0, 2, 1)
            weights = ag.softmax(scores if attn_mask is None else attn_mask + scores, axis=-1)
            if dropout_p > 0:
                weights = F.dropout(weights, dropout_p, True, self.rng)
            output = (weights @ v).transpose(1, 0, 2).reshape(length * batch, e)
            output = ag.linear(output, self.out_proj.weight, self.out_proj.bias).reshape(length, batch, e)
            return output, weights.reshape(batch, heads, length, source)
        if attn_mask is not None:
            if attn_mask.shape[0] == 1 and attn_mask.ndim == 3:
                attn_mask = ag.expand_dims(attn_mask, 0)
            else:
                attn_mask = attn_mask.reshape(batch, heads, -1, source)
        q, k, v = (t.reshape(batch, heads, t.shape[1], head_dim) for t in (q, k, v))
        output = scaled_dot_product_attention(q, k, v, attn_mask, dropout_p, is_causal, rng=self.rng)
        output = output.transpose(2, 0, 1, 3).reshape(batch * length, e)
        output = ag.linear(output, self.out_proj.weight, self.out_proj.bias).reshape(length, batch, e)
        return output, None

    def extra_repr(self):
        return (f"embed_dim={self.embed_dim}, num_heads={self.num_heads}, dropout={self.dropout}, "
                f"batch_first={self.batch_first}")


def _shape_check(query, key, value, key_padding_mask, attn_mask, num_heads):
    """Whether the inputs are batched (a 3-D query) or not (2-D), with PyTorch's checks of the ranks and of an
    unbatched 3-D attn_mask, as AttentionErrors naming the shapes."""
    owner = "MultiheadAttention"
    ranks = {"key_padding_mask": np.ndim(key_padding_mask), "attn_mask": np.ndim(attn_mask)}
    if query.ndim not in (2, 3):
        raise AttentionError(f"{owner}: query should be an unbatched 2-D (L, E) or a batched 3-D tensor, got "
                             f"{query.ndim}-D query of shape {query.shape}")
    batched = query.ndim == 3
    what = "batched (3-D)" if batched else "unbatched (2-D)"
    if key.ndim != query.ndim or value.ndim != query.ndim:
        raise AttentionError(f"{owner}: for a {what} query, expected key and value to be {query.ndim}-D, but got "
                             f"shapes {key.shape} and {value.shape}")
    if key_padding_mask is not None and ranks["key_padding_mask"] != query.ndim - 1:
        raise AttentionError(f"{owner}: for a {what} query, expected key_padding_mask to be None or "
                             f"{query.ndim - 1}-D, got shape {np.shape(key_padding_mask)}")
    if attn_mask is not None:
        if ranks["attn_mask"] not in (2, 3):
            raise AttentionError(f"{owner}: for a {what} query, expected attn_mask to be None, 2-D or 3-D, got "
                                 f"shape {np.shape(attn_mask)}")
        expected = (num_heads, query.shape[0], key.shape[0])
        if not batched and ranks["attn_mask"] == 3 and np.shape(attn_mask) != expected:
            raise AttentionError(f"{owner}: expected attn_mask of shape {expected} (num_heads, L, S) for an unbatched "
                                 f"query, got {np.shape(attn_mask)}")
    return batched


def _mask_dtype(mask):
    return mask.dtype if isinstance(mask, (Tensor, np.ndarray)) else np.asarray(mask).dtype


def _canonical(mask, name, dtype, other=None, other_name=""):
    """mask as a float Tensor of dtype to add to the scores (a bool mask: -inf where True, 0 elsewhere), or None;
    as PyTorch's _canonical_mask, with its warning when other (the other mask) has another dtype."""
    if mask is None:
        return None
    owner = "MultiheadAttention"
    kind = _mask_dtype(mask)
    if kind != bool and kind.kind != "f":
        raise TypeError(f"{owner}: only bool and floating types of {name} are supported, got {kind} (shape "
                        f"{np.shape(mask)})")
    if other is not None and _mask_dtype(other) != kind:
        warnings.warn(f"{owner}: support for mismatched {name} and {other_name} is deprecated (PyTorch's warning); "
                      f"use the same type for both instead", UserWarning, stacklevel=4)
    if kind != bool:
        mask = _module_input(owner, mask, dtype, cast=True)  # a float mask in the parameters' dtype
        return mask if isinstance(mask, Tensor) else ag.tensor(mask)
    return ag.tensor(additive_mask(mask, dtype, owner, name, true_means="masked out"))


def _pad_one(mask):
    """mask with a column of zeros appended on its last axis (a key that takes part), or None."""
    if mask is None:
        return None
    return ag.concatenate([mask, np.zeros(mask.shape[:-1] + (1,), dtype=mask.dtype)], axis=-1)
