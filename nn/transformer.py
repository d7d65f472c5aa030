"""Transformer layers, as PyTorch's: TransformerEncoderLayer, TransformerDecoderLayer, the stacks
TransformerEncoder and TransformerDecoder, and Transformer, with the same arguments, submodule and parameter names
(so a torch state_dict loads into them), initialisation, masks and results.

Each layer is a composition of nn.MultiheadAttention, Linear, LayerNorm and Dropout (post-norm, as in "Attention
Is All You Need", or pre-norm with norm_first=True), so every gradient is the engine's.

>>> import numpy as np, nn
>>> model = nn.Transformer(d_model=8, nhead=2, num_encoder_layers=1, num_decoder_layers=1, dim_feedforward=16,
...                        dropout=0.0, batch_first=True, rng=0)
>>> src, tgt = np.ones((2, 5, 8)), np.ones((2, 3, 8))
>>> model(src, tgt, tgt_mask=nn.Transformer.generate_square_subsequent_mask(3)).shape
(2, 3, 8)
"""
import copy

import numpy as np

from autograd_core import Tensor
from autograd_core._arguments import DEFAULT_GENERATOR

from . import functional as F
from . import init
from ._arguments import as_flag, checked_number, dtype_of_to, generator, takes_device
from ._parameter_reset import reset_at_construction, resets
from ._attention_functions import AttentionError, mask_array
from .attention import MultiheadAttention
from .containers import ModuleList
from .layers import Dropout, Linear, _check_sizes, _float_dtype
from .module import Module
from .normalization import LayerNorm, _module_input

__all__ = ["Transformer", "TransformerEncoder", "TransformerDecoder", "TransformerEncoderLayer",
           "TransformerDecoderLayer"]


def _activation(owner, activation):
    """F.relu or F.gelu for "relu" or "gelu", a callable as it is (a Module is held as a submodule), else
    PyTorch's error."""
    if activation == "relu":
        return F.relu
    if activation == "gelu":
        return F.gelu
    if callable(activation) and not isinstance(activation, str):
        return activation
    raise AttentionError(f"{owner}: activation should be 'relu', 'gelu' or a callable, not {activation!r}")


class _Layer(Module):
    """What the encoder and decoder layers share: the feed-forward block linear1 -> activation -> dropout ->
    linear2, and the settings."""

    def _build(self, d_model, nhead, dim_feedforward, dropout, activation, layer_norm_eps, batch_first, norm_first,
               bias, dtype, rng, attentions):
        owner = type(self).__name__
        _check_sizes(owner, positive=("d_model", "nhead"), d_model=d_model, nhead=nhead,
                     dim_feedforward=dim_feedforward)  # (PyTorch's attention refuses d_model or nhead 0)
        F.check_probability(owner, "dropout", dropout)
        dtype, rng = _float_dtype(owner, dtype), generator(rng, owner)
        self.norm_first = as_flag(norm_first, owner, "norm_first")
        bias, batch_first = as_flag(bias, owner, "bias"), as_flag(batch_first, owner, "batch_first")
        for name in attentions:
            setattr(self, name, MultiheadAttention(d_model, nhead, dropout=dropout, bias=bias, batch_first=batch_first,
                                                   dtype=dtype, rng=rng))
        self.linear1 = Linear(d_model, dim_feedforward, bias=bias, dtype=dtype, rng=rng)
        self.dropout = Dropout(dropout, rng=rng)
        self.linear2 = Linear(dim_feedforward, d_model, bias=bias, dtype=dtype, rng=rng)
        for k in range(1, len(attentions) + 2):
            setattr(self, f"norm{k}", LayerNorm(d_model, eps=layer_norm_eps, bias=bias, dtype=dtype))
        for k in range(1, len(attentions) + 2):
            setattr(self, f"dropout{k}", Dropout(dropout, rng=rng))
        self.activation = _activation(owner, activation)

    def _input(self, x, name):
        x = _module_input(type(self).__name__, F._as_input(x, type(self).__name__), self.linear1.weight.dtype, True)
        if x.ndim not in (2, 3) or x.shape[-1] != self.linear1.in_features:
            raise AttentionError(f"{type(self).__name__}: expected {name} of shape (L, N, d_model), (N, L, d_model) "
                                 f"with batch_first, or unbatched (L, d_model), d_model={self.linear1.in_features}; "
                                 f"got shape {x.shape}")
        return x

    def _attention_block(self, attention, dropout, x, memory, mask, key_padding_mask, is_causal):
        x = attention(x, memory, memory, attn_mask=mask, key_padding_mask=key_padding_mask, need_weights=False,
                      is_causal=is_causal)[0]
        return dropout(x)

    def _ff_block(self, x, dropout):
        return dropout(self.linear2(self.dropout(self.activation(self.linear1(x)))))


class TransformerEncoderLayer(_Layer):
    """Self-attention and a feed-forward network, as PyTorch's: with x the input, post-norm (the default)
    x = norm1(x + sa(x)), x = norm2(x + ff(x)); with norm_first, x = x + sa(norm1(x)), x = x + ff(norm2(x)), where
    sa is self_attn (a MultiheadAttention) and dropout1, and ff is linear1, activation ("relu", "gelu" or a
    callable), dropout, linear2 and dropout2. forward(src, src_mask=None, src_key_padding_mask=None,
    is_causal=False) with MultiheadAttention's masks (bool True: masked out). dtype and rng: keywords, as Linear's.

    >>> import numpy as np, nn
    >>> layer = nn.TransformerEncoderLayer(d_model=4, nhead=2, dim_feedforward=8, rng=0)
    >>> layer(np.ones((5, 3, 4))).shape
    (5, 3, 4)
    >>> [name for name, _ in layer.named_parameters()][:4]
    ['self_attn.in_proj_weight', 'self_attn.in_proj_bias', 'self_attn.out_proj.weight', 'self_attn.out_proj.bias']
    """

    @takes_device
    def __init__(self, d_model, nhead, dim_feedforward=2048, dropout=0.1, activation="relu", layer_norm_eps=1e-5,
                 batch_first=False, norm_first=False, bias=True, *, dtype=np.float32, rng=None):
        super().__init__()
        self._build(d_model, nhead, dim_feedforward, dropout, activation, layer_norm_eps, batch_first, norm_first,
                    bias, dtype, rng, ("self_attn",))

    def forward(self, src, src_mask=None, src_key_padding_mask=None, is_causal=False):
        x = self._input(src, "src")
        block = lambda y: self._attention_block(self.self_attn, self.dropout1, y, y, src_mask,  # noqa: E731
                                                src_key_padding_mask, is_causal)
        if self.norm_first:
            x = x + block(self.norm1(x))
            return x + self._ff_block(self.norm2(x), self.dropout2)
        x = self.norm1(x + block(x))
        return self.norm2(x + self._ff_block(x, self.dropout2))


class TransformerDecoderLayer(_Layer):
    """Self-attention, attention over the encoder's output (memory) and a feed-forward network, as PyTorch's:
    post-norm x = norm1(x + sa(x)), x = norm2(x + mha(x, memory)), x = norm3(x + ff(x)), or with norm_first each
    block applied to the normalised x and added, as TransformerEncoderLayer's (self_attn, multihead_attn, dropout1,
    dropout2, dropout3). forward(tgt, memory, tgt_mask=None, memory_mask=None, tgt_key_padding_mask=None,
    memory_key_padding_mask=None, tgt_is_causal=False, memory_is_causal=False).

    >>> import numpy as np, nn
    >>> layer = nn.TransformerDecoderLayer(d_model=4, nhead=2, dim_feedforward=8, batch_first=True, rng=0)
    >>> layer(np.ones((3, 2, 4)), np.ones((3, 6, 4))).shape
    (3, 2, 4)
    """

    @takes_device
    def __init__(self, d_model, nhead, dim_feedforward=2048, dropout=0.1, activation="relu", layer_norm_eps=1e-5,
                 batch_first=False, norm_first=False, bias=True, *, dtype=np.float32, rng=None):
        super().__init__()
        self._build(d_model, nhead, dim_feedforward, dropout, activation, layer_norm_eps, batch_first, norm_first,
                    bias, dtype, rng, ("self_attn", "multihead_attn"))

    def forward(self, tgt, memory, tgt_mask=None, memory_mask=None, tgt_key_padding_mask=None,
                memory_key_padding_mask=None, tgt_is_causal=False, memory_is_causal=False):
        x, memory = self._input(tgt, "tgt"), self._input(memory, "memory")
        sa = lambda y: self._attention_block(self.self_attn, self.dropout1, y, y, tgt_mask,  # noqa: E731
                                             tgt_key_padding_mask, tgt_is_causal)
        mha = lambda y: self._attention_block(self.multihead_attn, self.dropout2, y, memory,  # noqa: E731
                                              memory_mask, memory_key_padding_mask, memory_is_causal)
        if self.norm_first:
            x = x + sa(self.norm1(x))
            x = x + mha(self.norm2(x))
            return x + self._ff_block(self.norm3(x), self.dropout3)
        x = self.norm1(x + sa(x))
        x = self.norm2(x + mha(x))
        return self.norm3(x + self._ff_block(x, self.dropout3))


def _clones(owner, layer, num_layers):
    if not isinstance(layer, Module):
        raise TypeError(f"{owner}: expected a layer (an nn.Module) to copy num_layers times, got "
                        f"{type(layer).__name__}")
    count = checked_number(num_layers, owner, "num_layers", low=0, integer=True)
    return ModuleList([_copy(layer) for _ in range(count)])


def _copy(layer):
    """A deep copy of layer whose random generators (its dropouts') are new ones spawned from the layer's, so that
    the copies draw different masks (a plain deep copy would repeat one stream in every copy); the default generator
    (rng=None) stays shared, as PyTorch's clones draw from its global one, so ag.manual_seed makes them repeat."""
    clone = copy.deepcopy(layer)
    spawned = {}
    for original, copied in zip(layer.modules(), clone.modules()):
        rng = getattr(original, "rng", None)
        if isinstance(rng, np.random.Generator) and rng is not DEFAULT_GENERATOR:
            copied.rng = spawned.setdefault(id(rng), rng.spawn(1)[0])
    return clone


def _optional_norm(owner, norm):
    if norm is not None and not isinstance(norm, Module):
        raise TypeError(f"{owner}: norm must be None or an nn.Module (a LayerNorm), got {type(norm).__name__}")
    return norm


def _is_causal_mask(mask, is_causal, size, where, name):
    """PyTorch's _detect_is_causal_mask: is_causal when given, else whether mask is the square causal mask of
    size, float (-inf above the diagonal, 0 elsewhere) or bool (True above the diagonal), as PyTorch's
    generate_square_subsequent_mask gives it in the mask's dtype (a hint only: the mask itself is applied either
    way); a ragged mask raises the AttentionError naming where and name that the attention layers raise."""
    if is_causal is not None:
        return as_flag(is_causal, "Transformer", "is_causal")
    mask = mask_array(mask, where, name)
    if mask is None or np.shape(mask) != (size, size):
        return False
    values = mask.data if isinstance(mask, Tensor) else np.asarray(mask)
    later = np.triu(np.ones((size, size), dtype=bool), 1)  # True above the diagonal: a later position
    causal = later if values.dtype == bool else np.where(later, -np.inf, 0.0)  # torch's mask in the mask's dtype
    return bool((values == causal).all())


def _sequence_length(x, batch_first):
    """The sequence length of x, (L, E) or (L, N, E) ((N, L, E) with batch_first); None for another rank, which the
    layers refuse with their error."""
    shape = np.shape(x)
    if len(shape) == 2:
        return shape[0]
    return shape[1 if batch_first else 0] if len(shape) == 3 else None


class TransformerEncoder(Module):
    """num_layers copies of encoder_layer (deep copies, in layers, a ModuleList), applied in turn, then norm when
    given, as PyTorch's. forward(src, mask=None, src_key_padding_mask=None, is_causal=None); is_causal=None
    detects whether mask is the causal mask (a hint: the mask is applied either way).

    >>> import numpy as np, nn
    >>> layer = nn.TransformerEncoderLayer(d_model=4, nhead=2, dim_feedforward=8, rng=0)
    >>> encoder = nn.TransformerEncoder(layer, num_layers=2, norm=nn.LayerNorm(4))
    >>> encoder(np.ones((5, 3, 4))).shape, len(encoder.layers)
    ((5, 3, 4), 2)
    """

    def __init__(self, encoder_layer, num_layers, norm=None, enable_nested_tensor=True, mask_check=True):
        super().__init__()
        self.layers = _clones("TransformerEncoder", encoder_layer, num_layers)
        self.num_layers = len(self.layers)
        self.norm = _optional_norm("TransformerEncoder", norm)
        self.enable_nested_tensor = as_flag(enable_nested_tensor, "TransformerEncoder", "enable_nested_tensor")
        self.mask_check = as_flag(mask_check, "TransformerEncoder", "mask_check")

    def forward(self, src, mask=None, src_key_padding_mask=None, is_causal=None):
        output = src
        if len(self.layers):
            batch_first = self.layers[0].self_attn.batch_first if hasattr(self.layers[0], "self_attn") else False
            is_causal = _is_causal_mask(mask, is_causal, _sequence_length(src, batch_first), "TransformerEncoder",
                                        "mask")
        for layer in self.layers:
            output = layer(output, src_mask=mask, src_key_padding_mask=src_key_padding_mask, is_causal=is_causal)
        return output if self.norm is None else self.norm(output)


class TransformerDecoder(Module):
    """num_layers copies of decoder_layer (in layers), applied in turn to tgt with the encoder's output memory, then
    norm when given, as PyTorch's. forward(tgt, memory, tgt_mask=None, memory_mask=None, tgt_key_padding_mask=None,
    memory_key_padding_mask=None, tgt_is_causal=None, memory_is_causal=False).

    >>> import numpy as np, nn
    >>> layer = nn.TransformerDecoderLayer(d_model=4, nhead=2, dim_feedforward=8, rng=0)
    >>> nn.TransformerDecoder(layer, num_layers=2)(np.ones((3, 2, 4)), np.ones((6, 2, 4))).shape
    (3, 2, 4)
    """

    def __init__(self, decoder_layer, num_layers, norm=None):
        super().__init__()
        self.layers = _clones("TransformerDecoder", decoder_layer, num_layers)
        self.num_layers = len(self.layers)
        self.norm = _optional_norm("TransformerDecoder", norm)

    def forward(self, tgt, memory, tgt_mask=None, memory_mask=None, tgt_key_padding_mask=None,
                memory_key_padding_mask=None, tgt_is_causal=None, memory_is_causal=False):
        output = tgt
        if len(self.layers):
            batch_first = self.layers[0].self_attn.batch_first if hasattr(self.layers[0], "self_attn") else False
            tgt_is_causal = _is_causal_mask(tgt_mask, tgt_is_causal, _sequence_length(tgt, batch_first),
                                           "TransformerDecoder", "tgt_mask")
        for layer in self.layers:
            output = layer(output, memory, tgt_mask=tgt_mask, memory_mask=memory_mask,
                           tgt_key_padding_mask=tgt_key_padding_mask, memory_key_padding_mask=memory_key_padding_mask,
                           tgt_is_causal=tgt_is_causal, memory_is_causal=memory_is_causal)
        return output if self.norm is None else self.norm(output)


class Transformer(Module):
    """An encoder-decoder Transformer, as PyTorch's: encoder (a TransformerEncoder of num_encoder_layers layers and
    a final LayerNorm) and decoder (likewise), or custom_encoder and custom_decoder; every parameter of two or more
    axes drawn again with xavier_uniform_ (PyTorch's _reset_parameters). forward(src, tgt, src_mask=None,
    tgt_mask=None, memory_mask=None, src_key_padding_mask=None, tgt_key_padding_mask=None,
    memory_key_padding_mask=None, src_is_causal=None, tgt_is_causal=None, memory_is_causal=False) gives the
    decoder's output, of tgt's shape. dtype and rng: keywords, as Linear's.

    >>> import numpy as np, nn
    >>> nn.Transformer.generate_square_subsequent_mask(3)
    Tensor([[  0., -inf, -inf],
            [  0.,   0., -inf],
            [  0.,   0.,   0.]], dtype=float32)
    """

    @takes_device
    def __init__(self, d_model=512, nhead=8, num_encoder_layers=6, num_decoder_layers=6, dim_feedforward=2048,
                 dropout=0.1, activation="relu", custom_encoder=None, custom_decoder=None, layer_norm_eps=1e-5,
                 batch_first=False, norm_first=False, bias=True, *, dtype=np.float32, rng=None):
        super().__init__()
        rng = generator(rng, "Transformer")
        settings = dict(dim_feedforward=dim_feedforward, dropout=dropout, activation=activation,
                        layer_norm_eps=layer_norm_eps, batch_first=batch_first, norm_first=norm_first, bias=bias,
                        dtype=dtype, rng=rng)

        def stack(custom, stack_class, layer_class, num_layers):  # (the encoder's or the decoder's)
            if custom is not None:
                return custom
            layer = layer_class(d_model, nhead, **settings)
            return stack_class(layer, num_layers, LayerNorm(d_model, eps=layer_norm_eps, bias=bias, dtype=dtype))
        self.encoder = stack(custom_encoder, TransformerEncoder, TransformerEncoderLayer, num_encoder_layers)
        self.decoder = stack(custom_decoder, TransformerDecoder, TransformerDecoderLayer, num_decoder_layers)
        reset_at_construction(self, rng, "_reset_parameters")
        self.d_model, self.nhead = int(d_model), int(nhead)
        self.batch_first = as_flag(batch_first, "Transformer", "batch_first")

    @resets
    def _reset_parameters(self, rng=None):
        """PyTorch's _reset_parameters (it has no public reset_parameters): every parameter of two or more axes drawn
        again with xavier_uniform_, in the same Parameters. rng: a numpy Generator or int seed; None draws from the
        default generator (ag.manual_seed's)."""
        for parameter in self.parameters():
            if parameter.ndim > 1:
                init.xavier_uniform_(parameter, rng=rng)

    def forward(self, src, tgt, src_mask=None, tgt_mask=None, memory_mask=None, src_key_padding_mask=None,
                tgt_key_padding_mask=None, memory_key_padding_mask=None, src_is_causal=None, tgt_is_causal=None,
                memory_is_causal=False):
        src_shape, tgt_shape = np.shape(src), np.shape(tgt)
        axis = 0 if self.batch_first else 1
        if len(src_shape) == 3 and (len(tgt_shape) != 3 or src_shape[axis] != tgt_shape[axis]):
            raise AttentionError(f"Transformer: the batch number of src and tgt must be equal, got src {src_shape} and "
                                 f"tgt {tgt_shape} (batch on axis {axis}, batch_first={self.batch_first})")
        if src_shape[-1:] != (self.d_model,) or tgt_shape[-1:] != (self.d_model,):
            raise AttentionError(f"Transformer: the feature number of src and tgt must be equal to d_model="
                                 f"{self.d_model}, got src {src_shape} and tgt {tgt_shape}")
        memory = self.encoder(src, mask=src_mask, src_key_padding_mask=src_key_padding_mask, is_causal=src_is_causal)
        return self.decoder(tgt, memory, tgt_mask=tgt_mask, memory_mask=memory_mask,
                            tgt_key_padding_mask=tgt_key_padding_mask,
                            memory_key_padding_mask=memory_key_padding_mask, tgt_is_causal=tgt_is_causal,
                            memory_is_causal=memory_is_causal)

    @staticmethod
    def generate_square_subsequent_mask(sz, device=None, dtype=None):
        """The causal mask of sz x sz as a float Tensor (a constant): -inf above the diagonal (a later position,
        masked out), 0 elsewhere, as PyTorch's (sz, device=None, dtype=None): float32 by default, dtype= another float
        dtype; the device can only be "cpu", and a dtype given in its place is read as the dtype (as Module.to reads
        them). A Tensor, as PyTorch's, so the tutorials' generate_square_subsequent_mask(n).to(device) runs.

        >>> import nn
        >>> nn.Transformer.generate_square_subsequent_mask(2, dtype="float64").tolist()
        [[0.0, -inf], [0.0, 0.0]]
        """
        where = "generate_square_subsequent_mask"
        size = checked_number(sz, where, "sz", low=0, integer=True)
        dtype = dtype_of_to(where, (device, dtype), {}) or np.float32
        return Tensor(np.triu(np.full((size, size), -np.inf, dtype=dtype), 1))
