"""Fuzzer G4 (session 24): the Transformer's causal-mask check of a ragged mask."""
import numpy as np
import pytest

import nn
from nn._attention_functions import AttentionError


def test_transformer_refuses_a_ragged_tgt_mask_with_the_attention_error():
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
