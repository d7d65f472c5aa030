"""Multi-head attention, as PyTorch's nn.MultiheadAttention: the same arguments, parameter names and shapes
(in_proj_weight, or q_proj_weight, k_proj_weight and v_proj_weight when kdim or vdim differ from embed_dim;
in_proj_bias; out_proj; bias_k and bias_v), initialisation, mask conventions and results, batched and unbatched.

The forward pass is nn.functional.multi_head_attention_forward (nn/_multi_head_attention_functions.py), as
PyTorch's, so every gradient and second derivative is the engine's.

>>> import numpy as np, nn
>>> mha = nn.MultiheadAttention(8, 2, batch_first=True, rng=0)
>>> x = np.ones((3, 5, 8), dtype=np.float32)  # (N, L, E)
>>> out, weights = mha(x, x, x)
>>> out.shape, weights.shape
((3, 5, 8), (3, 5, 5))
>>> [name for name, _ in mha.named_parameters()]
['in_proj_weight', 'in_proj_bias', 'out_proj.weight', 'out_proj.bias']
"""
import numpy as np

from . import functional as F
from . import init
from ._arguments import as_flag, checked_number, generator, takes_device
from ._parameter_reset import reset_at_construction, resets
from ._attention_functions import AttentionError
from ._multi_head_attention_functions import multi_head_attention_forward
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
        query, key, value = (_module_input(owner, F._as_input(t, owner), self.dtype, cast=True)
                             for t in (query, key, value))
        batched = query.ndim == 3
        if self.batch_first and batched:
            query, key, value = (t.transpose(1, 0, 2) if t.ndim == 3 else t for t in (query, key, value))
        output, weights = multi_head_attention_forward(
            query, key, value, self.embed_dim, self.num_heads, self.in_proj_weight, self.in_proj_bias, self.bias_k,
            self.bias_v, self.add_zero_attn, self.dropout, self.out_proj.weight, self.out_proj.bias,
            training=self.training, key_padding_mask=key_padding_mask, need_weights=need_weights,
            attn_mask=attn_mask, use_separate_proj_weight=not self._qkv_same_embed_dim,
            q_proj_weight=self.q_proj_weight, k_proj_weight=self.k_proj_weight, v_proj_weight=self.v_proj_weight,
            average_attn_weights=average_attn_weights, is_causal=is_causal, rng=self.rng, where=owner,
            _stacklevel=4)  # (the warnings point at the module's caller, past forward and Module.__call__)
        if self.batch_first and batched:
            output = output.transpose(1, 0, 2)
        return output, weights

    def extra_repr(self):
        return (f"embed_dim={self.embed_dim}, num_heads={self.num_heads}, dropout={self.dropout}, "
                f"batch_first={self.batch_first}")

