"""Attention (nn/_attention_functions.py, nn/attention.py) and RMSNorm (nn/normalization.py).

Without PyTorch: NumPy references of F.scaled_dot_product_attention (masks, is_causal, scale, grouped-query heads, a
fully masked row, no keys), of nn.MultiheadAttention and of F.rms_norm / nn.RMSNorm; finite differences to second
order; dropout of the weights; the initialisation; parameter names; the errors (ragged masks among them). Against
PyTorch (float64, torch's state_dict loaded into ours): values and the gradients of every input, float mask and
parameter, over random settings (batch_first, kdim/vdim, bias, add_bias_kv, add_zero_attn, bool and float masks of
each rank, key_padding_mask, is_causal, need_weights, average_attn_weights, batched and unbatched)."""
import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd_core as ag
import nn
import nn.functional as F
from autograd_core.testing import gradcheck, gradgradcheck
from autograd_core.testing.strategies import broadcastable_shapes, elements, float_arrays
from conftest import assert_same_layer_results, layer_results
from nn._attention_functions import AttentionError


# ---- NumPy references -------------------------------------------------------------------------------------------
def np_softmax(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def np_sdpa(q, k, v, mask=None, is_causal=False, scale=None, enable_gqa=False):
    """PyTorch's documented reference of scaled_dot_product_attention, in NumPy (a fully masked row gives 0)."""
    length, source = q.shape[-2], k.shape[-2]
    scale = 1 / math.sqrt(q.shape[-1]) if scale is None else scale
    bias = np.zeros((length, source))
    if is_causal:
        bias = np.where(np.tril(np.ones((length, source), dtype=bool)), 0.0, -np.inf)
    if mask is not None:
        bias = np.where(mask, 0.0, -np.inf) if mask.dtype == bool else bias + mask
    if enable_gqa:
        k = np.repeat(k, q.shape[-3] // k.shape[-3], axis=-3)
        v = np.repeat(v, q.shape[-3] // v.shape[-3], axis=-3)
    scores = q @ np.swapaxes(k, -1, -2) * scale + bias
    dead = np.isneginf(scores).all(axis=-1, keepdims=True)
    weights = np.where(dead, 0.0, np_softmax(np.where(dead, 0.0, scores)))
    return weights @ v


def np_mha(mha, query, key, value, key_padding_mask=None):
    """nn.MultiheadAttention's forward for batched (L, N, E) inputs, in NumPy from its parameters."""
    e, h = mha.embed_dim, mha.num_heads
    w, b = mha.in_proj_weight.data, mha.in_proj_bias.data
    q, k, v = (x @ w[i * e:(i + 1) * e].T + b[i * e:(i + 1) * e] for i, x in enumerate((query, key, value)))

    def heads(x):  # (T, N, E) -> (N, H, T, E / H)
        return x.reshape(x.shape[0], x.shape[1], h, e // h).transpose(1, 2, 0, 3)

    scores = heads(q) @ np.swapaxes(heads(k), -1, -2) / math.sqrt(e // h)
    if key_padding_mask is not None:
        scores = scores + np.where(key_padding_mask, -np.inf, 0.0)[:, None, None, :]
    weights = np_softmax(scores)
    out = (weights @ heads(v)).transpose(2, 0, 1, 3).reshape(query.shape[0], query.shape[1], e)
    return out @ mha.out_proj.weight.data.T + mha.out_proj.bias.data, weights.mean(axis=1)


def np_rms_norm(x, shape, weight=None, eps=None):
    eps = np.finfo(x.dtype).eps if eps is None else eps
    axes = tuple(range(x.ndim - len(shape), x.ndim))
    out = x / np.sqrt((x * x).mean(axis=axes, keepdims=True) + eps)
    return out if weight is None else out * weight


# ---- scaled_dot_product_attention without torch ------------------------------------------------------------------
@pytest.mark.parametrize("seed", range(12))
def test_sdpa_matches_numpy_reference(seed):
    rng = np.random.default_rng(seed)
    batch = tuple(rng.integers(1, 3, size=rng.integers(0, 3)))
    length, source, e, ev = rng.integers(1, 5, size=4)
    q, k = rng.normal(size=batch + (length, e)), rng.normal(size=batch + (source, e))
    v = rng.normal(size=batch + (source, ev))
    kind = seed % 4
    mask = None
    if kind == 1:
        mask = rng.random((length, source)) < 0.6
    elif kind == 2:
        mask = rng.normal(size=batch[-1:] + (length, source))
    scale = None if seed % 3 else float(rng.normal())
    is_causal = kind == 3
    got = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, is_causal=is_causal, scale=scale)
    np.testing.assert_allclose(got.data, np_sdpa(q, k, v, mask, is_causal, scale), rtol=1e-12, atol=1e-12)


@settings(max_examples=25, deadline=None)
@given(broadcastable_shapes(2, max_dims=2, max_side=3), st.integers(1, 3), st.integers(1, 3), st.integers(1, 3),
       st.data())
def test_sdpa_property_broadcast_batches_match_numpy_and_gradcheck(batches, length, source, e, data):
    q_batch, k_batch = batches
    full = np.broadcast_shapes(q_batch, k_batch)  # the mask's batch: a suffix of it, any axis possibly 1
    mask_batch = tuple(n if data.draw(st.booleans()) else 1 for n in full[data.draw(st.integers(0, len(full))):])
    values = elements(-3.0, 3.0)
    q = data.draw(float_arrays(q_batch + (length, e), elements=values))
    k = data.draw(float_arrays(k_batch + (source, e), elements=values))
    v = data.draw(float_arrays(k_batch + (source, 2), elements=values))
    mask = data.draw(float_arrays(mask_batch + (length, source), dtype=bool)) if data.draw(st.booleans()) else None
    got = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
    np.testing.assert_allclose(got.data, np_sdpa(q, k, v, mask), rtol=1e-10, atol=1e-12)
    assert gradcheck(lambda a, b, c: F.scaled_dot_product_attention(a, b, c, attn_mask=mask),
                     *(ag.tensor(x, requires_grad=True) for x in (q, k, v)))


def test_sdpa_fully_masked_row_and_no_keys_give_zeros_without_nan_gradients():
    rng = np.random.default_rng(0)
    q = ag.tensor(rng.normal(size=(3, 4)), requires_grad=True)
    k = ag.tensor(rng.normal(size=(5, 4)), requires_grad=True)
    v = ag.tensor(rng.normal(size=(5, 2)), requires_grad=True)
    mask = np.ones((3, 5), dtype=bool)
    mask[1] = False
    out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
    np.testing.assert_array_equal(out.data[1], 0.0)
    np.testing.assert_allclose(out.data, np_sdpa(q.data, k.data, v.data, mask), atol=1e-12)
    out.sum().backward()
    np.testing.assert_array_equal(q.grad.data[1], 0.0)
    assert np.isfinite(k.grad.data).all() and np.isfinite(v.grad.data).all()
    empty = F.scaled_dot_product_attention(q, k[:0], v[:0])
    assert empty.shape == (3, 2) and not empty.data.any()


def test_sdpa_grouped_query_heads_repeat_key_and_value_heads():
    rng = np.random.default_rng(1)
    q, k, v = rng.normal(size=(2, 4, 3, 5)), rng.normal(size=(2, 2, 6, 5)), rng.normal(size=(2, 2, 6, 3))
    got = F.scaled_dot_product_attention(q, k, v, enable_gqa=True)
    np.testing.assert_allclose(got.data, np_sdpa(q, k, v, enable_gqa=True), rtol=1e-12)
    # head 1 of the query uses key head 0 (repeat_interleave), head 2 key head 1
    np.testing.assert_allclose(got.data[:, 1], np_sdpa(q[:, 1], k[:, 0], v[:, 0]), rtol=1e-12)
    np.testing.assert_allclose(got.data[:, 2], np_sdpa(q[:, 2], k[:, 1], v[:, 1]), rtol=1e-12)


def test_sdpa_gradients_to_second_order():
    rng = np.random.default_rng(2)
    mask = np.array([[True, False, True], [True, True, False]])
    bias = rng.normal(size=(2, 3))

    def f(q, k, v, b):
        return F.scaled_dot_product_attention(q, k, v, attn_mask=b) + F.scaled_dot_product_attention(
            q, k, v, attn_mask=mask, scale=0.7)

    inputs = [ag.tensor(rng.normal(size=s), requires_grad=True) for s in ((2, 2), (3, 2), (3, 2))]
    inputs.append(ag.tensor(bias, requires_grad=True))
    assert gradcheck(f, *inputs)
    assert gradgradcheck(f, *inputs)
    causal = lambda q, k, v: F.scaled_dot_product_attention(q, k, v, is_causal=True, enable_gqa=True)  # noqa: E731
    inputs = [ag.tensor(rng.normal(size=s), requires_grad=True) for s in ((2, 2, 2), (1, 3, 2), (1, 3, 2))]
    assert gradgradcheck(causal, *inputs)


def test_sdpa_dropout_drops_weights_with_the_rng():
    # q = 0: every weight is 1 / S, so with v the identity the output is the dropped-out weights themselves
    s, p = 8, 0.25
    q, k, v = np.zeros((50, 3)), np.zeros((s, 3)), np.eye(s)
    out = F.scaled_dot_product_attention(q, k, v, dropout_p=p, rng=0).data
    assert set(np.round(out.ravel(), 12)) == {0.0, round(1 / (s * (1 - p)), 12)}
    assert 0.15 < (out == 0).mean() < 0.35
    np.testing.assert_array_equal(out, F.scaled_dot_product_attention(q, k, v, dropout_p=p, rng=0).data)
    assert not F.scaled_dot_product_attention(q, k, v, dropout_p=1.0, rng=0).data.any()


def test_sdpa_keeps_float32():
    x = np.ones((2, 3, 4), dtype=np.float32)
    assert F.scaled_dot_product_attention(x, x, x, scale=0.5).dtype == np.float32
    mask = np.zeros((3, 3), dtype=np.float32)
    assert F.scaled_dot_product_attention(x, x, x, attn_mask=mask).dtype == np.float32


@pytest.mark.parametrize("kwargs, shapes, error, words", [
    ({"attn_mask": np.ones((3, 5), bool), "is_causal": True}, None, AttentionError,
     "Explicit attn_mask should not be set when is_causal=True"),
    ({}, ((2, 3, 4), (2, 5, 3), (2, 5, 4)), AttentionError, "same embedding size"),
    ({}, ((2, 3, 4), (2, 5, 4), (2, 6, 4)), AttentionError, "same sequence length"),
    ({}, ((4,), (4,), (4,)), AttentionError, "at least 2-D"),
    ({}, ((1, 4, 3, 4), (1, 2, 5, 4), (1, 2, 5, 4)), AttentionError, "do not broadcast"),
    ({"enable_gqa": True}, ((1, 4, 3, 4), (1, 3, 5, 4), (1, 3, 5, 4)), AttentionError, "must divide"),
    ({"attn_mask": np.ones((3, 4), bool)}, None, AttentionError, "does not broadcast"),
    ({"attn_mask": np.ones((3, 5), np.int64)}, None, TypeError, "bool, float32 or the query's dtype"),
    ({"attn_mask": np.ones((3, 5), np.float16)}, None, TypeError, "bool, float32 or the query's dtype float64"),
    ({"dropout_p": 2.0}, None, ValueError, "dropout_p"),
    ({"is_causal": "yes"}, None, TypeError, "is_causal"),
])
def test_sdpa_errors(kwargs, shapes, error, words):
    q, k, v = (np.ones(s) for s in (shapes or ((2, 3, 4), (2, 5, 4), (2, 5, 4))))
    with pytest.raises(error, match=words) as info:
        F.scaled_dot_product_attention(q, k, v, **kwargs)
    assert "scaled_dot_product_attention" in str(info.value)


def test_sdpa_refuses_mixed_dtypes():
    with pytest.raises(TypeError, match="one float dtype, got float32, float64 and float32"):
        F.scaled_dot_product_attention(np.ones((2, 3), np.float32), np.ones((2, 3)), np.ones((2, 3), np.float32))


# ---- MultiheadAttention without torch -----------------------------------------------------------------------------
def test_mha_matches_numpy_reference_and_torch_names():
    rng = np.random.default_rng(3)
    mha = nn.MultiheadAttention(6, 3, dtype=np.float64, rng=0)
    with ag.no_grad():
        mha.in_proj_bias[...] = rng.normal(size=18)
        mha.out_proj.bias[...] = rng.normal(size=6)
    query, key = rng.normal(size=(4, 2, 6)), rng.normal(size=(5, 2, 6))
    value = rng.normal(size=(5, 2, 6))
    padding = np.array([[False, False, True, False, True], [False, False, False, False, False]])
    out, weights = mha(query, key, value, key_padding_mask=padding)
    want_out, want_weights = np_mha(mha, query, key, value, padding)
    np.testing.assert_allclose(out.data, want_out, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(weights.data, want_weights, rtol=1e-10, atol=1e-12)
    out2, none = mha(query, key, value, key_padding_mask=padding, need_weights=False)
    assert none is None
    np.testing.assert_allclose(out2.data, want_out, rtol=1e-10, atol=1e-12)
    # batch_first and unbatched give the same numbers
    first = nn.MultiheadAttention(6, 3, batch_first=True, dtype=np.float64)
    first.load_state_dict(mha.state_dict())
    got, _ = first(query.transpose(1, 0, 2), key.transpose(1, 0, 2), value.transpose(1, 0, 2))
    np.testing.assert_allclose(got.data.transpose(1, 0, 2), np_mha(mha, query, key, value)[0], rtol=1e-10)
    single, w1 = mha(query[:, 1], key[:, 1], value[:, 1], average_attn_weights=False)
    assert w1.shape == (3, 4, 5)
    np.testing.assert_allclose(single.data, want_out[:, 1], rtol=1e-10)
    assert [n for n, _ in nn.MultiheadAttention(4, 2, kdim=3, add_bias_kv=True).named_parameters()] == [
        "q_proj_weight", "k_proj_weight", "v_proj_weight", "in_proj_bias", "bias_k", "bias_v", "out_proj.weight",
        "out_proj.bias"]


def test_mha_initialisation_as_torch():
    mha = nn.MultiheadAttention(40, 4, add_bias_kv=True, rng=0)
    bound = math.sqrt(6 / (40 + 120))
    assert np.abs(mha.in_proj_weight.data).max() <= bound and np.abs(mha.in_proj_weight.data).max() > 0.9 * bound
    assert not mha.in_proj_bias.data.any() and not mha.out_proj.bias.data.any()
    assert np.abs(mha.out_proj.weight.data).max() <= 1 / math.sqrt(40)
    assert mha.bias_k.shape == (1, 1, 40) and mha.bias_k.data.std() > 0
    assert mha.in_proj_weight.dtype == np.float32
    again = nn.MultiheadAttention(40, 4, add_bias_kv=True, rng=0)
    np.testing.assert_array_equal(again.in_proj_weight.data, mha.in_proj_weight.data)


def test_mha_gradients_to_second_order():
    mha = nn.MultiheadAttention(4, 2, add_bias_kv=True, add_zero_attn=True, kdim=3, dtype=np.float64, rng=0)
    rng = np.random.default_rng(4)
    mask = np.array([[False, True, False], [False, False, True]])

    def f(query, key, value):
        out, weights = mha(query, key, value, attn_mask=mask)
        return out.sum() * 0.5 + (weights ** 2).sum()

    inputs = [ag.tensor(rng.normal(size=s), requires_grad=True) for s in ((2, 4), (3, 3), (3, 4))]
    assert gradcheck(f, *inputs)
    assert gradgradcheck(f, *inputs)


def test_mha_dropout_only_in_training():
    mha = nn.MultiheadAttention(4, 2, dropout=0.5, rng=0)
    x = np.random.default_rng(0).normal(size=(3, 2, 4)).astype(np.float32)
    _, w = mha(x, x, x, average_attn_weights=False)
    assert (w.data == 0).any() and set(np.unique(w.data.sum(-1).round(5))) != {1.0}
    mha.eval()
    _, w = mha(x, x, x)
    np.testing.assert_allclose(w.data.sum(-1), 1.0, rtol=1e-6)


def test_mha_fully_masked_row_as_torch():
    mha = nn.MultiheadAttention(4, 2, dtype=np.float64, rng=0)
    x = np.ones((3, 2, 4))
    padding = np.array([[True, True, True], [False, False, False]])
    out, w = mha(x, x, x, key_padding_mask=padding)
    assert np.isnan(out.data[:, 0]).all() and np.isnan(w.data[0]).all() and np.isfinite(out.data[:, 1]).all()
    out, _ = mha(x, x, x, key_padding_mask=padding, need_weights=False)
    np.testing.assert_array_equal(out.data[:, 0], 0.0)  # scaled_dot_product_attention's zeros (bias 0)


@pytest.mark.parametrize("build, call, error, words", [
    (dict(embed_dim=5, num_heads=2), None, AttentionError, "divisible by num_heads"),
    (dict(embed_dim=0, num_heads=2), None, ValueError, "embed_dim"),
    (dict(embed_dim=4, num_heads=2, dropout=1.5), None, ValueError, "dropout"),
    (dict(embed_dim=4, num_heads=2), dict(attn_mask=np.zeros((3, 4), bool)), AttentionError, "2D attn_mask"),
    (dict(embed_dim=4, num_heads=2), dict(attn_mask=np.zeros((3, 3, 3), bool)), AttentionError, "3D attn_mask"),
    (dict(embed_dim=4, num_heads=2), dict(attn_mask=np.zeros((1, 3, 3, 3), bool)), AttentionError, "2-D or 3-D"),
    (dict(embed_dim=4, num_heads=2), dict(key_padding_mask=np.zeros((2, 4), bool)), AttentionError, "(2, 3)"),
    (dict(embed_dim=4, num_heads=2), dict(key_padding_mask=np.zeros(3, bool)), AttentionError, "to be `None` or 2-D"),
    (dict(embed_dim=4, num_heads=2), dict(attn_mask=np.zeros((3, 3), np.int64)), TypeError, "bool and floating"),
    (dict(embed_dim=4, num_heads=2), dict(is_causal=True), AttentionError, "need attn_mask"),
    (dict(embed_dim=4, num_heads=2), dict(query=np.ones((3, 2, 5))), AttentionError, "embedding dimension of 4"),
    (dict(embed_dim=4, num_heads=2), dict(key=np.ones((3, 4))), AttentionError, "expected `key` and `value` to be 3-D"),
    (dict(embed_dim=4, num_heads=2), dict(value=np.ones((4, 2, 4))), AttentionError, "does not match value shape"),
    (dict(embed_dim=4, num_heads=2), dict(query=np.ones(4)), AttentionError, "unbatched 2D or batched 3D"),
])
def test_mha_errors(build, call, error, words):
    with pytest.raises(error, match=words) as info:
        mha = nn.MultiheadAttention(**build)
        x = np.ones((3, 2, 4), dtype=np.float32)
        kwargs = dict(query=x, key=x, value=x)
        kwargs.update(call or {})
        mha(**kwargs)
    assert "MultiheadAttention" in str(info.value)


def test_mha_unbatched_3d_mask_shape_error():
    mha = nn.MultiheadAttention(4, 2)
    with pytest.raises(AttentionError, match=r"\(2, 3, 3\) \(num_heads, L, S\)"):
        mha(np.ones((3, 4)), np.ones((3, 4)), np.ones((3, 4)), attn_mask=np.zeros((4, 3, 3), bool))


def test_key_padding_mask_given_as_s_by_n_names_the_transpose():
    # the translation tutorial's (src == PAD_IDX).transpose(0, 1) keeps a (S, N) matrix as it is here (NumPy's)
    mha = nn.MultiheadAttention(4, 2, rng=0)
    x = np.random.default_rng(4).normal(size=(3, 2, 4))  # (S, N, E)
    tokens = ag.tensor([[5, 6], [7, 1], [1, 1]])  # (S, N), 1 the padding index
    with pytest.warns(UserWarning, match=r"transpose\(0, 1\) of a matrix keeps it as it is"), \
            pytest.raises(AttentionError, match=r"expecting key_padding_mask shape of \(2, 3\) \(N, S\), but got "
                                                r"\(3, 2\); the mask is \(S, N\): write \(tokens == pad\)\.T"):
        mha(x, x, x, key_padding_mask=(tokens == 1).transpose(0, 1))
    out, _ = mha(x, x, x, key_padding_mask=(tokens == 1).T)
    as_attn_mask = np.repeat((tokens == 1).data.T[:, None, None, :], 2, axis=1).repeat(3, axis=2).reshape(4, 3, 3)
    np.testing.assert_allclose(out.data, mha(x, x, x, attn_mask=as_attn_mask)[0].data, rtol=1e-12, atol=1e-14)
    torch = pytest.importorskip("torch")
    tmha = torch.nn.MultiheadAttention(4, 2).double()
    tmha.load_state_dict({k: torch.from_numpy(np.asarray(v.data, np.float64)) for k, v in mha.state_dict().items()})
    torch_mask = (torch.from_numpy(tokens.data) == 1).transpose(0, 1)
    expected, _ = tmha(*(torch.from_numpy(x),) * 3, key_padding_mask=torch_mask)
    np.testing.assert_allclose(out.data, expected.detach().numpy(), rtol=1e-5, atol=1e-6)


def test_ragged_masks_raise_a_clear_error():
    q = ag.tensor(np.random.default_rng(2).normal(size=(2, 3, 4)))
    with pytest.raises(AttentionError, match=r"scaled_dot_product_attention: attn_mask is ragged \(its rows have "
                                             r"different lengths\), so it is no mask"):
        F.scaled_dot_product_attention(q, q, q, attn_mask=[[True, False, True], [True, True]])
    mha = nn.MultiheadAttention(4, 2, rng=0)
    x = np.random.default_rng(3).normal(size=(3, 2, 4))
    with pytest.raises(AttentionError, match=r"MultiheadAttention: attn_mask is ragged"):
        mha(x, x, x, attn_mask=[[True, False, True], [True]])
    with pytest.raises(AttentionError, match=r"MultiheadAttention: key_padding_mask is ragged"):
        mha(x, x, x, key_padding_mask=[[True, False, True], [True]])
    out, _ = mha(x, x, x, key_padding_mask=[[False, False, True], [False, True, True]])  # a rectangular list works
    assert out.shape == (3, 2, 4)


# ---- RMSNorm without torch ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_rms_norm_matches_numpy(dtype):
    rng = np.random.default_rng(5)
    x, w = rng.normal(size=(3, 2, 4)).astype(dtype), rng.normal(size=(2, 4)).astype(dtype)
    got = F.rms_norm(x, (2, 4), w)
    assert got.dtype == dtype
    np.testing.assert_allclose(got.data, np_rms_norm(x, (2, 4), w), rtol=1e-5 if dtype == np.float32 else 1e-12)
    tiny = np.full((1, 3), 1e-5, dtype=dtype)  # eps None is the dtype's epsilon, which matters at this scale
    np.testing.assert_allclose(F.rms_norm(tiny, 3).data, np_rms_norm(tiny, (3,)), rtol=1e-5)
    np.testing.assert_allclose(F.rms_norm(x, 4, eps=0.5).data, np_rms_norm(x, (4,), eps=0.5), rtol=1e-5)


def test_rms_norm_module_and_gradients():
    norm = nn.RMSNorm([2, 3], eps=1e-3, dtype=np.float64)
    assert repr(norm) == "RMSNorm((2, 3), eps=0.001, elementwise_affine=True)"
    assert [n for n, _ in norm.named_parameters()] == ["weight"] and (norm.weight.data == 1).all()
    assert list(nn.RMSNorm(3, elementwise_affine=False).state_dict()) == []
    x = np.random.default_rng(6).normal(size=(4, 2, 3))
    np.testing.assert_allclose(norm(x).data, np_rms_norm(x, (2, 3), eps=1e-3), rtol=1e-12)
    assert nn.RMSNorm(3)(np.ones((2, 3))).dtype == np.float32
    w = ag.tensor(np.random.default_rng(7).normal(size=3), requires_grad=True)
    xs = ag.tensor(x[:, 0], requires_grad=True)
    assert gradgradcheck(lambda a, b: F.rms_norm(a, (3,), b, eps=1e-3), xs, w)
    half = F.rms_norm(np.array([[1e-4, 2e-4, -1e-4]], dtype=np.float16), 3)
    assert half.dtype == np.float16 and abs(float(half.data[0, 1]) - 0.5361) < 1e-3  # float32's epsilon, as torch


@pytest.mark.parametrize("call, error, words", [
    (lambda: F.rms_norm(np.ones((2, 3)), (4,)), ValueError, "rms_norm: normalized_shape=\\(4,\\) expects"),
    (lambda: F.rms_norm(np.ones((2, 3)), 3, eps=-1.0), ValueError, "rms_norm: eps"),
    (lambda: F.rms_norm(np.ones((2, 3), dtype=np.int64), 3), TypeError, "rms_norm: expected an input of a float"),
    (lambda: F.rms_norm(np.ones((2, 3)), 3, weight=np.ones(2)), ValueError, "weight must have shape \\(3,\\)"),
    (lambda: nn.RMSNorm(-1), ValueError, r"RMSNorm: normalized_shape\[0\] must be an int >= 0, got -1"),
    (lambda: nn.RMSNorm(3, eps="x"), TypeError, "RMSNorm: eps"),
])
def test_rms_norm_errors(call, error, words):
    with pytest.raises(error, match=words):
        call()


# ---- against PyTorch ---------------------------------------------------------------------------------------------
def _torch():
    return pytest.importorskip("torch")


@pytest.mark.parametrize("seed", range(25))
def test_sdpa_against_torch(seed):
    torch = _torch()
    rng = np.random.default_rng(100 + seed)
    gqa = seed % 5 == 4
    heads = (4, 2) if gqa else (int(rng.integers(1, 3)),) * 2
    batch = int(rng.integers(1, 3))
    length, source, e, ev = (int(n) for n in rng.integers(1, 5, size=4))
    q = rng.normal(size=(batch, heads[0], length, e))
    k, v = rng.normal(size=(batch, heads[1], source, e)), rng.normal(size=(batch, heads[1], source, ev))
    kind = seed % 4
    mask = None
    if kind == 1:
        mask = rng.random((batch, 1, length, source)) < 0.5  # some rows fully masked
    elif kind == 2:
        mask = rng.normal(size=(length, source))
    kwargs = dict(is_causal=kind == 3, scale=None if seed % 3 else float(rng.normal()), enable_gqa=gqa)
    ours = [ag.tensor(a, requires_grad=True) for a in (q, k, v)]
    theirs = [torch.tensor(a, requires_grad=True) for a in (q, k, v)]
    if kind == 2:
        ours.append(ag.tensor(mask, requires_grad=True))
        theirs.append(torch.tensor(mask, requires_grad=True))
    elif mask is not None:
        ours.append(mask)
        theirs.append(torch.tensor(mask))
    out = F.scaled_dot_product_attention(*ours, **kwargs)
    want = torch.nn.functional.scaled_dot_product_attention(*theirs, **kwargs)
    np.testing.assert_allclose(out.data, want.detach().numpy(), rtol=1e-10, atol=1e-12)
    cotangent = rng.normal(size=out.shape)
    out.backward(cotangent)
    want.backward(torch.tensor(cotangent))
    for a, b in zip(ours, theirs):
        if getattr(b, "requires_grad", False):
            np.testing.assert_allclose(a.grad.data, b.grad.numpy(), rtol=1e-9, atol=1e-11)


def _load_from_torch(ours, theirs):
    ours.load_state_dict({name: value.detach().numpy() for name, value in theirs.state_dict().items()})


def compare_with_torch(torch, ours, theirs, ours_inputs, run, rng, rtol=1e-9, atol=1e-11):
    """run(module, inputs) -> tuple of outputs; compares outputs and the gradients of every input Tensor and
    every parameter, for a random cotangent of each output."""
    torch_inputs = [torch.tensor(a, requires_grad=a.dtype.kind == "f" and a.ndim > 0 and flag)
                    for a, flag in ours_inputs]
    mine = [ag.tensor(a, requires_grad=True) if a.dtype.kind == "f" and flag else a for a, flag in ours_inputs]
    got, want = run(ours, mine), run(theirs, torch_inputs)
    total_ours, total_torch = 0, 0
    for g, w in zip(got, want):
        assert (g is None) == (w is None)
        if g is None:
            continue
        np.testing.assert_allclose(g.data, w.detach().numpy(), rtol=rtol, atol=atol, equal_nan=True)
        cotangent = rng.normal(size=g.shape)
        total_ours = total_ours + (g * np.nan_to_num(cotangent)).sum()
        total_torch = total_torch + (w * torch.tensor(np.nan_to_num(cotangent))).sum()
    total_ours.backward()
    total_torch.backward()
    for a, b in zip(mine, torch_inputs):
        if isinstance(a, ag.Tensor) and a.requires_grad:
            assert (a.grad is None) == (b.grad is None)  # (an input left unused, as key in self-attention)
            if a.grad is not None:
                np.testing.assert_allclose(a.grad.data, b.grad.numpy(), rtol=rtol, atol=atol)
    theirs_params = dict(theirs.named_parameters())
    names = [n for n, _ in ours.named_parameters()]
    assert names == list(theirs_params)
    for name, p in ours.named_parameters():
        want_grad = theirs_params[name].grad
        if want_grad is None:
            assert p.grad is None or not p.grad.data.any()
        else:
            np.testing.assert_allclose(p.grad.data, want_grad.numpy(), rtol=rtol, atol=atol, err_msg=name)


@pytest.mark.parametrize("seed", range(40))
def test_mha_against_torch(seed):
    torch = _torch()
    rng = np.random.default_rng(seed)
    heads = int(rng.choice([1, 2]))
    e = heads * int(rng.integers(1, 4))
    same = rng.random() < 0.5
    kdim, vdim = (None, None) if same else (int(rng.integers(1, 5)), int(rng.integers(1, 5)))
    settings = dict(bias=bool(rng.random() < 0.8), add_bias_kv=bool(rng.random() < 0.3),
                    add_zero_attn=bool(rng.random() < 0.3), kdim=kdim, vdim=vdim,
                    batch_first=bool(rng.random() < 0.5))
    dtype = np.float32 if seed % 4 == 3 else np.float64  # a quarter of the cases in float32
    torch.manual_seed(seed)
    theirs = torch.nn.MultiheadAttention(e, heads, dtype=getattr(torch, dtype.__name__), **settings)
    ours = nn.MultiheadAttention(e, heads, dtype=dtype, **settings)
    _load_from_torch(ours, theirs)
    if settings["bias"]:
        with torch.no_grad():  # nonzero biases, copied in
            theirs.in_proj_bias.normal_()
            theirs.out_proj.bias.normal_()
        _load_from_torch(ours, theirs)
    batched = rng.random() < 0.75
    n, length, source = int(rng.integers(1, 4)), int(rng.integers(1, 5)), int(rng.integers(1, 5))

    def shaped(t, features):
        if not batched:
            return (t, features)
        return (n, t, features) if settings["batch_first"] else (t, n, features)

    query = rng.normal(size=shaped(length, e)).astype(dtype)
    self_attention = same and rng.random() < 0.3
    key = query if self_attention else rng.normal(size=shaped(source, kdim or e)).astype(dtype)
    value = query if self_attention else rng.normal(size=shaped(source, vdim or e)).astype(dtype)
    source = key.shape[-2] if batched and settings["batch_first"] else key.shape[0]
    call = dict(need_weights=bool(rng.random() < 0.6), average_attn_weights=bool(rng.random() < 0.5))
    extra = int(settings["add_bias_kv"]) + int(settings["add_zero_attn"])
    choice = int(rng.integers(0, 5))
    mask = None
    if choice == 1:  # bool 2-D, never a fully masked row (torch's need_weights path gives NaN there, as ours)
        mask = rng.random((length, source)) < 0.3
        mask[:, 0] = False
    elif choice == 2:
        mask = rng.normal(size=(length, source)).astype(dtype)
    elif choice == 3:
        mask = rng.normal(size=((n if batched else 1) * heads, length, source)).astype(dtype)
    elif choice == 4:  # causal, with the hint
        mask = np.triu(np.full((length, source), -np.inf, dtype=dtype), 1)
        call["is_causal"] = True
    padding = None
    if rng.random() < 0.4:
        padding = rng.random((n, source) if batched else (source,)) < 0.3
        padding[..., 0] = False
        if mask is not None and mask.dtype != bool:
            padding = np.where(padding, -np.inf, 0.0).astype(dtype)  # the same kind as attn_mask, as torch wants
    float_mask = mask is not None and mask.dtype != bool and choice != 4
    inputs = [(query, True), (key, True), (value, True)]
    inputs.append((np.zeros(0) if mask is None else mask, float_mask))
    inputs.append((np.zeros(0) if padding is None else padding, False))
    del extra

    def run(module, xs):
        q = xs[0]
        k = q if self_attention else xs[1]
        v = q if self_attention else xs[2]
        return module(q, k, v, attn_mask=None if mask is None else xs[3],
                      key_padding_mask=None if padding is None else xs[4], **call)

    tolerance = dict(rtol=2e-4, atol=2e-5) if dtype == np.float32 else {}
    compare_with_torch(torch, ours, theirs, inputs, run, rng, **tolerance)


def test_mha_dropout_against_torch_statistics():
    torch = _torch()
    theirs = torch.nn.MultiheadAttention(4, 2, dropout=0.5, dtype=torch.float64)
    ours = nn.MultiheadAttention(4, 2, dropout=0.5, dtype=np.float64, rng=0)
    _load_from_torch(ours, theirs)
    x = np.random.default_rng(8).normal(size=(6, 50, 4))
    _, w = ours(x, x, x, average_attn_weights=False)
    _, tw = theirs(*(torch.tensor(x),) * 3, average_attn_weights=False)
    assert abs((w.data == 0).mean() - (tw.detach().numpy() == 0).mean()) < 0.05
    assert abs(w.data.sum(-1).mean() - 1.0) < 0.05


@pytest.mark.parametrize("seed", range(8))
def test_rms_norm_against_torch(seed):
    torch = _torch()
    rng = np.random.default_rng(seed)
    dtype = [np.float64, np.float32][seed % 2]
    shape = tuple(int(s) for s in rng.integers(1, 4, size=int(rng.integers(1, 4))))
    k = int(rng.integers(1, len(shape) + 1))
    x = (rng.normal(size=shape) * 10.0 ** rng.integers(-4, 3)).astype(dtype)
    affine = seed % 3 != 0
    eps = None if seed % 4 else 1e-3
    theirs = torch.nn.RMSNorm(shape[-k:], eps=eps, elementwise_affine=affine, dtype=getattr(torch, dtype.__name__))
    ours = nn.RMSNorm(shape[-k:], eps=eps, elementwise_affine=affine, dtype=dtype)
    if affine:
        with torch.no_grad():
            theirs.weight.normal_()
        _load_from_torch(ours, theirs)
    tol = dict(rtol=1e-4, atol=1e-5) if dtype == np.float32 else dict(rtol=1e-10, atol=1e-12)
    compare_with_torch(torch, ours, theirs, [(x, True)], lambda m, xs: (m(xs[0]),), rng, **tol)
    assert repr(ours) == repr(theirs)


# ---- MultiheadAttention of size 0, as PyTorch's -------------------------------------------------------------------
@pytest.mark.parametrize("kdim, vdim", [(0, 3), (3, 0), (0, 0)])
def test_multihead_attention_with_kdim_or_vdim_0(kdim, vdim):
    """PyTorch builds kdim=0 and vdim=0 (xavier_uniform_ fills the (E, 0) projections silently): keys of no features
    project to the bias alone (equal scores: the mean of the values), values of none to the bias (an output of
    out_proj's bias). embed_dim and num_heads must be at least 1, as there."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no zero-element warning: PyTorch's xavier_uniform_ gives none
        mha = nn.MultiheadAttention(4, 2, kdim=kdim, vdim=vdim, dtype=np.float64, rng=0)
    assert mha.k_proj_weight.shape == (4, kdim) and mha.v_proj_weight.shape == (4, vdim)
    rng = np.random.default_rng(0)
    inputs = [rng.normal(size=(3, 2, 4)), rng.normal(size=(5, 2, kdim)), rng.normal(size=(5, 2, vdim))]
    got = layer_results(mha, inputs)
    output, (q_grad, k_grad, v_grad), grads = got
    assert output.shape == (3, 2, 4) and k_grad.shape == (5, 2, kdim) and v_grad.shape == (5, 2, vdim)
    if vdim == 0:
        np.testing.assert_allclose(output, np.broadcast_to(mha.out_proj.bias.data, output.shape))
    torch = pytest.importorskip("torch")
    theirs = torch.nn.MultiheadAttention(4, 2, kdim=kdim, vdim=vdim).double()
    mha.load_state_dict({name: value.detach().numpy() for name, value in theirs.state_dict().items()})
    assert_same_layer_results(layer_results(mha, inputs), layer_results(theirs, inputs, torch), rtol=1e-10,
                              atol=1e-12)


def test_multihead_attention_refuses_embed_dim_or_num_heads_0_as_pytorchs():
    with pytest.raises(ValueError, match="MultiheadAttention: embed_dim must be a positive int, got 0"):
        nn.MultiheadAttention(0, 1)  # PyTorch's: "embed_dim and num_heads must be greater than 0"
    with pytest.raises(ValueError, match="MultiheadAttention: num_heads must be a positive int, got 0"):
        nn.MultiheadAttention(4, 0)
    with pytest.raises(ValueError, match="MultiheadAttention: kdim must be an int >= 0, got -1"):
        nn.MultiheadAttention(4, 1, kdim=-1)
