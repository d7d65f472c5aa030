"""Regressions found by fuzzing the Transformer against PyTorch (session 23, F3)."""
import numpy as np
import pytest

import nn


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
