"""Transformer layers (nn/transformer.py): TransformerEncoderLayer, TransformerDecoderLayer, TransformerEncoder,
TransformerDecoder and Transformer.

Without PyTorch: a NumPy reference of a post-norm and a pre-norm encoder layer, the causal mask, the structure
(parameter names, deep copies with their own dropout streams, the xavier re-initialisation), finite differences,
a tiny Transformer that learns to reverse short sequences with Adam in a few seconds, and the errors (wrong ranks,
ragged masks, the causal mask's device argument). Against
PyTorch (float64, torch's state_dict loaded into ours, dropout 0): outputs and the gradients of the inputs and every
parameter over random norm_first, activation, batch_first, bias, masks (bool and float, key padding, causal) and
batched or unbatched inputs; state_dict keys equal to torch's."""
import math

import numpy as np
import pytest

import autograd_core as ag
import nn
from autograd_core.testing import gradcheck
from conftest import assert_same_layer_results, layer_results
from nn._attention_functions import AttentionError

from test_attention import compare_with_torch, np_mha

pytestmark = pytest.mark.filterwarnings("ignore:enable_nested_tensor is True:UserWarning")


def np_layer_norm(x, weight, bias, eps=1e-5):
    mean, var = x.mean(-1, keepdims=True), x.var(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * weight + bias


def np_encoder_layer(layer, x):
    """An encoder layer (relu, eval mode) on (L, N, E), in NumPy from its parameters."""
    norms = [(getattr(layer, f"norm{k}").weight.data, getattr(layer, f"norm{k}").bias.data) for k in (1, 2)]

    def sa(y):
        return np_mha(layer.self_attn, y, y, y)[0]

    def ff(y):
        hidden = np.maximum(y @ layer.linear1.weight.data.T + layer.linear1.bias.data, 0)
        return hidden @ layer.linear2.weight.data.T + layer.linear2.bias.data

    if layer.norm_first:
        x = x + sa(np_layer_norm(x, *norms[0]))
        return x + ff(np_layer_norm(x, *norms[1]))
    x = np_layer_norm(x + sa(x), *norms[0])
    return np_layer_norm(x + ff(x), *norms[1])


@pytest.mark.parametrize("norm_first", [False, True])
def test_encoder_layer_matches_numpy(norm_first):
    layer = nn.TransformerEncoderLayer(6, 2, dim_feedforward=10, dropout=0.3, norm_first=norm_first,
                                       dtype=np.float64, rng=0).eval()
    rng = np.random.default_rng(0)
    with ag.no_grad():
        for p in layer.parameters():
            p[...] = rng.normal(size=p.shape)
    x = rng.normal(size=(4, 3, 6))
    np.testing.assert_allclose(layer(x).data, np_encoder_layer(layer, x), rtol=1e-10, atol=1e-12)
    # a stack of two copies and a final norm
    encoder = nn.TransformerEncoder(layer, 2, norm=nn.LayerNorm(6, dtype=np.float64)).eval()
    want = np_encoder_layer(encoder.layers[1], np_encoder_layer(encoder.layers[0], x))
    np.testing.assert_allclose(encoder(x).data, np_layer_norm(want, 1.0, 0.0), rtol=1e-10, atol=1e-12)


def test_structure_and_copies():
    layer = nn.TransformerEncoderLayer(4, 2, dim_feedforward=8, dropout=0.5, rng=0)
    encoder = nn.TransformerEncoder(layer, 3)
    assert len(encoder.layers) == 3 and encoder.layers[0] is not layer
    np.testing.assert_array_equal(encoder.layers[2].linear1.weight.data, layer.linear1.weight.data)
    assert encoder.layers[0].linear1.weight is not encoder.layers[1].linear1.weight
    x = np.ones((6, 5, 4), dtype=np.float32)
    first, second = (encoder.layers[k].dropout(x).data for k in (0, 1))
    assert not np.array_equal(first, second)  # each copy draws its own masks
    names = [n for n, _ in nn.TransformerDecoderLayer(4, 2, dim_feedforward=8).named_parameters()]
    assert names == ["self_attn.in_proj_weight", "self_attn.in_proj_bias", "self_attn.out_proj.weight",
                     "self_attn.out_proj.bias", "multihead_attn.in_proj_weight", "multihead_attn.in_proj_bias",
                     "multihead_attn.out_proj.weight", "multihead_attn.out_proj.bias", "linear1.weight",
                     "linear1.bias", "linear2.weight", "linear2.bias", "norm1.weight", "norm1.bias", "norm2.weight",
                     "norm2.bias", "norm3.weight", "norm3.bias"]
    model = nn.Transformer(8, 2, 1, 1, 16, rng=0)
    bound = math.sqrt(6 / (8 + 16))  # xavier_uniform_ again on every matrix, as torch's _reset_parameters
    assert np.abs(model.encoder.layers[0].linear1.weight.data).max() <= bound
    assert np.abs(model.encoder.layers[0].linear1.weight.data).max() > 1 / math.sqrt(8)  # beyond Linear's own bound
    assert np.abs(model.decoder.layers[0].self_attn.out_proj.weight.data).max() > 1 / math.sqrt(8)
    assert not model.encoder.layers[0].self_attn.in_proj_bias.data.any()
    assert model.encoder.norm is not None and model.decoder.norm is not None
    assert nn.TransformerEncoderLayer(4, 2, bias=False).linear1.bias is None
    assert nn.TransformerEncoderLayer(4, 2, bias=False).norm1.bias is None


def test_generate_square_subsequent_mask_and_train_mode_dropout():
    mask = nn.Transformer.generate_square_subsequent_mask(4)
    np.testing.assert_array_equal(mask, np.triu(np.full((4, 4), -np.inf, dtype=np.float32), 1))
    assert nn.Transformer.generate_square_subsequent_mask(0).shape == (0, 0)
    layer = nn.TransformerDecoderLayer(4, 2, dim_feedforward=8, dropout=0.5, rng=0)
    x, memory = np.ones((3, 2, 4), dtype=np.float32), np.random.default_rng(0).normal(size=(5, 2, 4))
    assert not np.array_equal(layer(x, memory).data, layer(x, memory).data)
    layer.eval()
    np.testing.assert_array_equal(layer(x, memory).data, layer(x, memory).data)


def test_decoder_respects_the_causal_mask():
    layer = nn.TransformerDecoderLayer(4, 2, dim_feedforward=8, dropout=0.0, dtype=np.float64, rng=0)
    decoder = nn.TransformerDecoder(layer, 2)
    rng = np.random.default_rng(1)
    tgt, memory = rng.normal(size=(5, 1, 4)), rng.normal(size=(3, 1, 4))
    mask = nn.Transformer.generate_square_subsequent_mask(5, dtype=np.float64)
    changed = tgt.copy()
    changed[3:] += 1.0  # later positions cannot change earlier outputs
    a, b = decoder(tgt, memory, tgt_mask=mask).data, decoder(changed, memory, tgt_mask=mask).data
    np.testing.assert_allclose(a[:3], b[:3], rtol=1e-12)
    assert not np.allclose(a[3:], b[3:])
    bool_mask = np.triu(np.ones((5, 5), dtype=bool), 1)
    np.testing.assert_allclose(decoder(tgt, memory, tgt_mask=bool_mask).data, a, rtol=1e-12)


def test_encoder_layer_gradients():
    layer = nn.TransformerEncoderLayer(4, 2, dim_feedforward=6, dropout=0.0, activation="gelu", norm_first=True,
                                       dtype=np.float64, rng=0)
    x = ag.tensor(np.random.default_rng(2).normal(size=(3, 4)), requires_grad=True)
    assert gradcheck(lambda y: layer(y, src_mask=nn.Transformer.generate_square_subsequent_mask(3, "float64")), x)


def test_tiny_transformer_learns_to_reverse():
    rng = np.random.default_rng(0)
    vocab, length, d = 5, 4, 16
    embed = nn.Embedding(vocab + 1, d, rng=1)  # token vocab is the start symbol of the decoder
    position = nn.Embedding(length, d, rng=2)
    model = nn.Transformer(d, 2, 1, 1, 32, dropout=0.0, batch_first=True, rng=3)
    head = nn.Linear(d, vocab, rng=4)
    params = [*embed.parameters(), *position.parameters(), *model.parameters(), *head.parameters()]
    optimizer = nn.optim.Adam(params, lr=0.01)
    mask = nn.Transformer.generate_square_subsequent_mask(length)
    positions = np.arange(length)

    def logits(src):
        tgt_in = np.concatenate([np.full((len(src), 1), vocab), src[:, ::-1][:, :-1]], axis=1)  # teacher forcing
        out = model(embed(src) + position(positions), embed(tgt_in) + position(positions), tgt_mask=mask)
        return head(out)

    losses = []
    for _ in range(120):
        src = rng.integers(0, vocab, size=(32, length))
        loss = nn.functional.cross_entropy(logits(src).reshape(-1, vocab), src[:, ::-1].reshape(-1))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    model.eval()
    src = rng.integers(0, vocab, size=(200, length))
    accuracy = (logits(src).data.argmax(-1) == src[:, ::-1]).mean()
    assert np.mean(losses[-10:]) < 0.3 * np.mean(losses[:10]) and accuracy > 0.9, (losses[::10], accuracy)


@pytest.mark.parametrize("call, error, words", [
    (lambda: nn.TransformerEncoderLayer(4, 2, activation="tanh"), AttentionError, "relu', 'gelu' or a callable"),
    (lambda: nn.TransformerEncoderLayer(5, 2), AttentionError, "divisible by num_heads"),
    (lambda: nn.TransformerEncoderLayer(4, 2, dropout=-0.1), ValueError, "dropout"),
    (lambda: nn.TransformerEncoder("layer", 2), TypeError, "TransformerEncoder: expected a layer"),
    (lambda: nn.TransformerEncoder(nn.TransformerEncoderLayer(4, 2), -1), ValueError, "num_layers"),
    (lambda: nn.TransformerDecoder(nn.TransformerDecoderLayer(4, 2), 1, norm=3), TypeError, "norm must be None"),
    (lambda: nn.Transformer(4, 2, 1, 1, 8)(np.ones((3, 2, 4)), np.ones((3, 5, 4))), AttentionError,
     "batch number of src and tgt must be equal"),
    (lambda: nn.Transformer(4, 2, 1, 1, 8)(np.ones((3, 2, 4)), np.ones((3, 2, 5))), AttentionError,
     "feature number of src and tgt must be equal to d_model=4"),
    (lambda: nn.TransformerEncoderLayer(4, 2)(np.ones((3, 2, 5))), AttentionError, "d_model=4; got shape"),
    (lambda: nn.TransformerEncoderLayer(4, 2)(np.ones((3, 4)), is_causal=True), AttentionError, "need attn_mask"),
    (lambda: nn.TransformerEncoderLayer(4, 2)(np.ones((3, 4)), src_mask=np.ones((2, 3), bool)), AttentionError,
     "2D attn_mask is \\(2, 3\\), but should be \\(3, 3\\)"),
    (lambda: nn.Transformer.generate_square_subsequent_mask(-1), ValueError, "sz"),
])
def test_errors(call, error, words):
    with pytest.raises(error, match=words):
        call()


# ---- arguments as PyTorch's: the mask's device, the input's rank, ragged masks -----------------------------------
def test_square_subsequent_mask_takes_pytorchs_device_argument():
    # PyTorch's signature is (sz, device=None, dtype=None): "cpu" in second place raised NumPy's bare
    # "data type 'cpu' not understood"
    mask = nn.Transformer.generate_square_subsequent_mask(3, "cpu")
    assert mask.dtype == np.float32
    np.testing.assert_array_equal(mask, np.triu(np.full((3, 3), -np.inf, dtype=np.float32), 1))
    assert nn.Transformer.generate_square_subsequent_mask(2, device="cpu", dtype=np.float64).dtype == np.float64
    assert nn.Transformer.generate_square_subsequent_mask(2, None, np.float16).dtype == np.float16
    assert nn.Transformer.generate_square_subsequent_mask(2, "float64").dtype == np.float64  # a dtype in its place
    with pytest.raises(ValueError, match="generate_square_subsequent_mask.*'cuda'.*cpu"):
        nn.Transformer.generate_square_subsequent_mask(2, "cuda")
    with pytest.raises(TypeError, match="generate_square_subsequent_mask.*float16, float32 or float64"):
        nn.Transformer.generate_square_subsequent_mask(2, dtype=np.int64)


def test_square_subsequent_mask_is_a_constant_tensor_as_pytorchs():
    # PyTorch's is a Tensor: the tutorials' generate_square_subsequent_mask(n).to(device) raised AttributeError
    # ('numpy.ndarray' object has no attribute 'to') on the array it was
    mask = nn.Transformer.generate_square_subsequent_mask(3).to("cpu")
    assert isinstance(mask, ag.Tensor) and not mask.requires_grad and mask.dtype == np.float32
    np.testing.assert_array_equal(mask.data, [[0, -np.inf, -np.inf], [0, 0, -np.inf], [0, 0, 0]])
    layer = nn.TransformerEncoderLayer(4, 2, 8, dropout=0.0, dtype=np.float64, rng=0)
    x = np.random.default_rng(0).normal(size=(3, 1, 4))
    np.testing.assert_array_equal(layer(x, src_mask=mask).data, layer(x, src_mask=mask.data).data)
    torch = pytest.importorskip("torch")
    expected = torch.nn.Transformer.generate_square_subsequent_mask(3)
    np.testing.assert_array_equal(mask.data, expected.numpy())


@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("shape", [(4,), (), (1, 2, 3, 4)])
def test_stacks_refuse_a_wrong_rank_with_the_layers_error(batch_first, shape):
    # a 1-D (or 0-D) input with batch_first=True raised a bare IndexError ("tuple index out of range") while
    # the stacks looked for the sequence length to detect a causal mask
    x = np.ones(shape)
    encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(4, 2, 8, batch_first=batch_first), 2)
    with pytest.raises(ValueError, match="TransformerEncoderLayer: expected src of shape"):
        encoder(x)
    with pytest.raises(ValueError, match="TransformerEncoderLayer: expected src of shape"):
        encoder(x, mask=nn.Transformer.generate_square_subsequent_mask(4))
    decoder = nn.TransformerDecoder(nn.TransformerDecoderLayer(4, 2, 8, batch_first=batch_first), 1)
    with pytest.raises(ValueError, match="TransformerDecoderLayer: expected tgt of shape"):
        decoder(x, np.ones((3, 4)))
    with pytest.raises(ValueError, match="TransformerDecoderLayer: expected tgt of shape"):
        decoder(x, np.ones((3, 4)), tgt_mask=nn.Transformer.generate_square_subsequent_mask(4))


def test_transformer_refuses_a_ragged_tgt_mask_with_the_attention_error():
    # (the check for a causal mask reads the mask: a ragged one gets the attention's error)
    q = np.ones((2, 3, 4))
    model = nn.Transformer(4, 2, 1, 1, 8, dropout=0.0, rng=0)
    with pytest.raises(AttentionError, match="TransformerDecoder: tgt_mask is ragged"):
        model(q, q, tgt_mask=[[True, False], [True]])
    encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(4, 2, 8, dropout=0.0, rng=0), num_layers=1)
    with pytest.raises(AttentionError, match="TransformerEncoder: mask is ragged"):
        encoder(q, mask=[[0.0, 1.0], [0.0]])


def test_transformer_still_takes_a_list_mask_and_detects_a_causal_one():
    q = np.random.default_rng(0).standard_normal((2, 1, 4))
    model = nn.Transformer(4, 2, 1, 1, 8, dropout=0.0, rng=0)
    causal = [[0.0, -np.inf], [0.0, 0.0]]
    out = model(q, q, tgt_mask=causal)
    np.testing.assert_allclose(out.data, model(q, q, tgt_mask=np.array(causal)).data)



@pytest.mark.parametrize("mask, causal", [
    (np.triu(np.ones((3, 3), bool), 1), True),  # torch's generate_square_subsequent_mask in bool: True above
    (~np.triu(np.ones((3, 3), bool), 1), False),  # the take-part convention (scaled_dot_product_attention's)
    (np.triu(np.full((3, 3), -np.inf), 1), True),
    (np.triu(np.ones((3, 3), bool), 1).astype(float), False),  # ones, not -inf: no causal mask
    (np.triu(np.ones((3, 3), bool), 2), False),
])
def test_encoder_and_decoder_detect_a_bool_causal_mask_as_pytorchs(mask, causal):
    # the layers are told is_causal=True for the bool causal mask as well (it was False for any bool mask)
    seen = []

    class Spy(nn.Module):
        def forward(self, x, *args, is_causal=None, tgt_is_causal=None, **kwargs):
            seen.append(is_causal if tgt_is_causal is None else tgt_is_causal)
            return x

    x = np.ones((3, 1, 4))
    encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(4, 2, 8), 1)
    decoder = nn.TransformerDecoder(nn.TransformerDecoderLayer(4, 2, 8), 1)
    encoder.layers[0], decoder.layers[0] = Spy(), Spy()
    encoder(x, mask=mask)
    decoder(x, x, tgt_mask=mask)
    assert seen == [causal, causal]
    torch = pytest.importorskip("torch")
    from torch.nn.modules.transformer import _detect_is_causal_mask
    assert _detect_is_causal_mask(torch.from_numpy(mask), None, 3) is causal

# ---- against PyTorch ---------------------------------------------------------------------------------------------
def _torch():
    return pytest.importorskip("torch")


def _settings(rng, torch):
    activation = rng.choice(["relu", "gelu", "callable"])
    return dict(dim_feedforward=int(rng.integers(1, 8)), dropout=0.0, layer_norm_eps=float(rng.choice([1e-5, 1e-3])),
                batch_first=bool(rng.random() < 0.5), norm_first=bool(rng.random() < 0.5),
                bias=bool(rng.random() < 0.8), activation=activation)


def _activation_pair(name, torch):
    if name == "callable":  # a function of the engine's and torch's operations alike (Tensor methods)
        return (lambda x: x.tanh() * 0.5), (lambda x: x.tanh() * 0.5)
    return name, name


def _masks(rng, length, source, n, heads, batched, causal_ok=True):
    """(attn_mask or None, key_padding_mask or None, is_causal) of one kind (bool or float, to match torch's)."""
    kind = int(rng.integers(0, 4))
    as_float = rng.random() < 0.5
    mask = padding = None
    if kind == 1:
        mask = rng.random((length, source)) < 0.3
        mask[:, 0] = False
    elif kind == 2:
        mask = rng.random(((n if batched else 1) * heads, length, source)) < 0.3
        mask[..., 0] = False
    elif kind == 3 and causal_ok and length == source:
        mask = np.triu(np.ones((length, source), dtype=bool), 1)
    if rng.random() < 0.5:
        padding = rng.random((n, source) if batched else (source,)) < 0.3
        padding[..., 0] = False
    if as_float:
        mask, padding = (None if m is None else np.where(m, -np.inf, 0.0) for m in (mask, padding))
        if mask is not None and kind != 3:
            mask = mask + rng.normal(size=mask.shape)
    return mask, padding, kind == 3 and mask is not None and rng.random() < 0.5


def _shape(batched, batch_first, n, length, d):
    return ((n, length, d) if batch_first else (length, n, d)) if batched else (length, d)


@pytest.mark.parametrize("seed", range(16))
def test_encoder_against_torch(seed):
    torch = _torch()
    rng = np.random.default_rng(seed)
    heads = int(rng.choice([1, 2]))
    d = heads * int(rng.integers(1, 3))
    settings = _settings(rng, torch)
    ours_act, torch_act = _activation_pair(settings.pop("activation"), torch)
    layers = int(rng.integers(1, 3))
    torch.manual_seed(seed)
    theirs = torch.nn.TransformerEncoder(torch.nn.TransformerEncoderLayer(
        d, heads, activation=torch_act, dtype=torch.float64, **settings), layers,
        norm=torch.nn.LayerNorm(d, dtype=torch.float64) if rng.random() < 0.5 else None, enable_nested_tensor=False)
    ours = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, heads, activation=ours_act, dtype=np.float64,
                                                            **settings), layers,
                                 norm=nn.LayerNorm(d, dtype=np.float64) if theirs.norm is not None else None)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    with torch.no_grad():
        for p in theirs.parameters():
            p.normal_(0, 0.5)
    ours.load_state_dict({k: v.numpy() for k, v in theirs.state_dict().items()})
    batched, n, length = rng.random() < 0.75, int(rng.integers(1, 4)), int(rng.integers(1, 5))
    src = rng.normal(size=_shape(batched, settings["batch_first"], n, length, d))
    mask, padding, is_causal = _masks(rng, length, length, n, heads, batched)
    inputs = [(src, True), (np.zeros(0) if mask is None else mask, False),
              (np.zeros(0) if padding is None else padding, False)]

    def run(module, xs):
        return (module(xs[0], mask=None if mask is None else xs[1],
                       src_key_padding_mask=None if padding is None else xs[2],
                       is_causal=is_causal if is_causal else None),)

    compare_with_torch(torch, ours, theirs, inputs, run, rng)


@pytest.mark.parametrize("seed", range(16))
def test_transformer_against_torch(seed):
    torch = _torch()
    rng = np.random.default_rng(1000 + seed)
    heads = int(rng.choice([1, 2]))
    d = heads * int(rng.integers(1, 3))
    settings = _settings(rng, torch)
    ours_act, torch_act = _activation_pair(settings.pop("activation"), torch)
    shape = dict(num_encoder_layers=int(rng.integers(1, 3)), num_decoder_layers=int(rng.integers(1, 3)))
    torch.manual_seed(seed)
    theirs = torch.nn.Transformer(d, heads, activation=torch_act, dtype=torch.float64, **shape, **settings)
    ours = nn.Transformer(d, heads, activation=ours_act, dtype=np.float64, **shape, **settings)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    with torch.no_grad():
        for p in theirs.parameters():
            if p.ndim == 1:
                p.normal_(0, 0.5)
    ours.load_state_dict({k: v.numpy() for k, v in theirs.state_dict().items()})
    batched, n = rng.random() < 0.75, int(rng.integers(1, 4))
    source, length = int(rng.integers(1, 5)), int(rng.integers(1, 5))
    src = rng.normal(size=_shape(batched, settings["batch_first"], n, source, d))
    tgt = rng.normal(size=_shape(batched, settings["batch_first"], n, length, d))
    src_mask, src_padding, _ = _masks(rng, source, source, n, heads, batched, causal_ok=False)
    tgt_mask, tgt_padding, tgt_causal = _masks(rng, length, length, n, heads, batched)
    memory_mask, memory_padding, _ = _masks(rng, length, source, n, heads, batched, causal_ok=False)
    masks = [src_mask, tgt_mask, memory_mask, src_padding, tgt_padding, memory_padding]
    inputs = [(src, True), (tgt, True)] + [(np.zeros(0) if m is None else m, False) for m in masks]
    names = ["src_mask", "tgt_mask", "memory_mask", "src_key_padding_mask", "tgt_key_padding_mask",
             "memory_key_padding_mask"]

    def run(module, xs):
        given = {name: x for name, x, m in zip(names, xs[2:], masks) if m is not None}
        return (module(xs[0], xs[1], tgt_is_causal=True if tgt_causal else None, **given),)

    compare_with_torch(torch, ours, theirs, inputs, run, rng)


@pytest.mark.parametrize("seed", range(8))
def test_decoder_layer_against_torch(seed):
    torch = _torch()
    rng = np.random.default_rng(2000 + seed)
    heads = int(rng.choice([1, 2]))
    d = heads * int(rng.integers(1, 3))
    settings = _settings(rng, torch)
    ours_act, torch_act = _activation_pair(settings.pop("activation"), torch)
    torch.manual_seed(seed)
    theirs = torch.nn.TransformerDecoderLayer(d, heads, activation=torch_act, dtype=torch.float64, **settings)
    ours = nn.TransformerDecoderLayer(d, heads, activation=ours_act, dtype=np.float64, **settings)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    with torch.no_grad():
        for p in theirs.parameters():
            p.normal_(0, 0.5)
    ours.load_state_dict({k: v.numpy() for k, v in theirs.state_dict().items()})
    batched, n = rng.random() < 0.75, int(rng.integers(1, 4))
    source, length = int(rng.integers(1, 5)), int(rng.integers(1, 5))
    tgt = rng.normal(size=_shape(batched, settings["batch_first"], n, length, d))
    memory = rng.normal(size=_shape(batched, settings["batch_first"], n, source, d))
    tgt_mask, tgt_padding, causal = _masks(rng, length, length, n, heads, batched)
    inputs = [(tgt, True), (memory, True), (np.zeros(0) if tgt_mask is None else tgt_mask, False),
              (np.zeros(0) if tgt_padding is None else tgt_padding, False)]

    def run(module, xs):
        return (module(xs[0], xs[1], tgt_mask=None if tgt_mask is None else xs[2],
                       tgt_key_padding_mask=None if tgt_padding is None else xs[3], tgt_is_causal=causal),)

    compare_with_torch(torch, ours, theirs, inputs, run, rng)


# ---- dim_feedforward=0, as PyTorch's ------------------------------------------------------------------------------
@pytest.mark.filterwarnings("ignore:Initializing zero-element tensors")
@pytest.mark.parametrize("decoder", [False, True], ids=["encoder", "decoder"])
def test_layers_of_dim_feedforward_0_as_pytorchs(decoder):
    """A feed-forward block of no units adds linear2's bias alone (linear1 (0, d_model), linear2 (d_model, 0), both
    left by kaiming_uniform_ with its warning, as PyTorch's); d_model and nhead must be at least 1, as there."""
    kind = "TransformerDecoderLayer" if decoder else "TransformerEncoderLayer"
    ours = getattr(nn, kind)(4, 2, dim_feedforward=0, dropout=0.0, dtype=np.float64, rng=0)
    assert ours.linear1.weight.shape == (0, 4) and ours.linear2.weight.shape == (4, 0)
    np.testing.assert_array_equal(ours.linear2.bias.data, np.zeros(4))  # (PyTorch's bound 0 for fan_in 0)
    rng = np.random.default_rng(0)
    inputs = [rng.normal(size=(3, 2, 4))] + ([rng.normal(size=(5, 2, 4))] if decoder else [])
    output = ours(*inputs).data
    assert output.shape == (3, 2, 4)
    with pytest.raises(ValueError, match=rf"{kind}: nhead must be a positive int, got 0"):
        getattr(nn, kind)(4, 0)
    with pytest.raises(ValueError, match=rf"{kind}: dim_feedforward must be an int >= 0, got -1"):
        getattr(nn, kind)(4, 2, dim_feedforward=-1)
    torch = pytest.importorskip("torch")
    theirs = getattr(torch.nn, kind)(4, 2, dim_feedforward=0, dropout=0.0).double()
    ours.load_state_dict({k: v.detach().numpy() for k, v in theirs.state_dict().items()})
    assert_same_layer_results(layer_results(ours, inputs), layer_results(theirs, inputs, torch), rtol=1e-10,
                              atol=1e-12)


def test_manual_seed_repeats_the_dropout_masks_of_cloned_layers():
    # the clones of a layer made with rng=None draw from the default generator, one stream as PyTorch's global one
    # (they were spawned from its seed sequence, which ag.manual_seed does not reset: masks changed from run to run)
    x = np.ones((3, 1, 4), np.float32)

    def run():
        ag.manual_seed(0)
        return nn.Transformer(4, 2, 2, 2, 8, dropout=0.5)(x, x).data
    np.testing.assert_array_equal(run(), run())
    ag.manual_seed(0)
    layers = nn.TransformerEncoder(nn.TransformerEncoderLayer(4, 2, 8, dropout=0.5), 2).layers
    ones = np.ones(50, np.float32)
    ag.manual_seed(1)
    first, second = layers[0].dropout1(ones).data, layers[1].dropout1(ones).data
    ag.manual_seed(1)
    np.testing.assert_array_equal(first, nn.Dropout(0.5)(ones).data)
    np.testing.assert_array_equal(second, nn.Dropout(0.5)(ones).data)
    assert not np.array_equal(first, second)
    seeded = nn.TransformerEncoder(nn.TransformerEncoderLayer(4, 2, 8, dropout=0.5, rng=0), 2).layers
    assert seeded[0].dropout1.rng is not seeded[1].dropout1.rng  # an own generator: each clone spawns its own
