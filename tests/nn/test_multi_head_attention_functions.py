"""nn.functional.multi_head_attention_forward (nn/_multi_head_attention_functions.py), which nn.MultiheadAttention
calls.

Without PyTorch: a NumPy reference (packed and separate projections, bias_k/bias_v, add_zero_attn, static_k and
static_v, attn_mask and key_padding_mask, averaged or per-head weights, unbatched), finite differences, the module
giving the function's result, PyTorch's errors in its words. Against PyTorch (float64, the same arrays): values and
the gradients of every input, weight, bias and static key/value over random settings."""
import math
import warnings

import numpy as np
import pytest

import autograd_core as ag
import nn
import nn.functional as F
from autograd_core.testing import gradcheck
from nn._attention_functions import AttentionError


def np_softmax(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def np_mha_forward(query, key, value, heads, weights, in_bias, out_w, out_b, bias_kv=None, zero_attn=False,
                   static_kv=None, attn_mask=None, key_padding_mask=None, average=True):
    """PyTorch's multi_head_attention_forward for batched (L, N, E) inputs in NumPy; weights: (w_q, w_k, w_v);
    bool masks True where a key is masked out, attn_mask (L, S)."""
    length, n, e = query.shape
    d = e // heads
    biases = (0, 0, 0) if in_bias is None else (in_bias[:e], in_bias[e:2 * e], in_bias[2 * e:])
    q, k, v = (x @ w.T + b for x, w, b in zip((query, key, value), weights, biases))
    bias = np.zeros((length, key.shape[0])) if attn_mask is None else np.where(attn_mask, -np.inf, 0.0)
    padding = np.zeros((n, key.shape[0])) if key_padding_mask is None else np.where(key_padding_mask, -np.inf, 0.0)
    if bias_kv is not None:
        k = np.concatenate([k, np.repeat(bias_kv[0], n, axis=1)])
        v = np.concatenate([v, np.repeat(bias_kv[1], n, axis=1)])
        bias, padding = np.pad(bias, ((0, 0), (0, 1))), np.pad(padding, ((0, 0), (0, 1)))

    def heads_of(x):  # (T, N, E) -> (N * H, T, d)
        return x.reshape(x.shape[0], n * heads, d).transpose(1, 0, 2)

    q, k, v = heads_of(q), heads_of(k), heads_of(v)
    if static_kv is not None:
        k, v = static_kv
    if zero_attn:
        k, v = (np.concatenate([t, np.zeros((n * heads, 1, d))], axis=1) for t in (k, v))
        bias, padding = np.pad(bias, ((0, 0), (0, 1))), np.pad(padding, ((0, 0), (0, 1)))
    source = k.shape[1]
    scores = (q @ k.transpose(0, 2, 1) / math.sqrt(d)).reshape(n, heads, length, source)
    attention = np_softmax(scores + bias + padding[:, None, None, :])
    out = (attention.reshape(n * heads, length, source) @ v).transpose(1, 0, 2).reshape(length, n, e)
    return out @ out_w.T + out_b, attention.mean(axis=1) if average else attention


def random_case(rng, separate, bias_kv, zero_attn, static, e=6, heads=2, n=2, length=3, source=4, kdim=5):
    """Arrays for one call: the keyword arguments of both the function and np_mha_forward."""
    kdim = kdim if separate else e
    arrays = dict(query=rng.normal(size=(length, n, e)), key=rng.normal(size=(source, n, kdim)),
                  value=rng.normal(size=(source, n, kdim)), in_bias=rng.normal(size=3 * e),
                  out_w=rng.normal(size=(e, e)), out_b=rng.normal(size=e))
    arrays["weights"] = (rng.normal(size=(e, e)), rng.normal(size=(e, kdim)), rng.normal(size=(e, kdim)))
    arrays["bias_kv"] = (rng.normal(size=(1, 1, e)), rng.normal(size=(1, 1, e))) if bias_kv else None
    shape = (n * heads, source, e // heads)
    arrays["static_kv"] = (rng.normal(size=shape), rng.normal(size=shape)) if static else None
    arrays["attn_mask"] = rng.random((length, source)) < 0.3
    arrays["key_padding_mask"] = rng.random((n, source)) < 0.3
    arrays["attn_mask"][:, 0] = arrays["key_padding_mask"][:, 0] = False  # no fully masked query
    return dict(arrays, heads=heads, zero_attn=zero_attn)


def call_function(case, separate, average=True, need_weights=True, **tensors):
    """F.multi_head_attention_forward on case's arrays, each replaced by tensors' when given."""
    a = dict(case, **tensors)
    w_q, w_k, w_v = a["weights"]
    packed = None if separate else ag.concatenate([w_q, w_k, w_v]) if tensors else np.concatenate([w_q, w_k, w_v])
    bias_k, bias_v = a["bias_kv"] or (None, None)
    static_k, static_v = a["static_kv"] or (None, None)
    e = a["query"].shape[-1]
    return F.multi_head_attention_forward(
        a["query"], a["key"], a["value"], e, a["heads"], packed, a["in_bias"], bias_k, bias_v, a["zero_attn"], 0.0,
        a["out_w"], a["out_b"], key_padding_mask=a["key_padding_mask"], need_weights=need_weights,
        attn_mask=a["attn_mask"], use_separate_proj_weight=separate, q_proj_weight=w_q if separate else None,
        k_proj_weight=w_k if separate else None, v_proj_weight=w_v if separate else None, static_k=static_k,
        static_v=static_v, average_attn_weights=average)


@pytest.mark.parametrize("separate", [False, True])
@pytest.mark.parametrize("bias_kv, zero_attn, static", [(False, False, False), (True, False, False),
                                                        (False, True, False), (False, False, True),
                                                        (True, True, False), (False, True, True)])
@pytest.mark.parametrize("average", [True, False])
def test_matches_numpy_reference(separate, bias_kv, zero_attn, static, average):
    case = random_case(np.random.default_rng(7), separate, bias_kv, zero_attn, static)
    out, weights = call_function(case, separate, average)
    reference = {k: v for k, v in case.items() if k != "heads"}
    want_out, want_weights = np_mha_forward(heads=case["heads"], average=average, zero_attn=zero_attn,
                                            **{k: v for k, v in reference.items() if k != "zero_attn"})
    np.testing.assert_allclose(out.data, want_out, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(weights.data, want_weights, rtol=1e-12, atol=1e-12)
    without, none = call_function(case, separate, average, need_weights=False)  # scaled_dot_product_attention
    assert none is None
    np.testing.assert_allclose(without.data, want_out, rtol=1e-12, atol=1e-12)


def test_unbatched_is_the_batch_of_one():
    case = random_case(np.random.default_rng(3), False, False, True, False, n=1)
    out, weights = call_function(case, False)
    single = dict(case, query=case["query"][:, 0], key=case["key"][:, 0], value=case["value"][:, 0],
                  key_padding_mask=case["key_padding_mask"][0])
    out1, weights1 = call_function(single, False)
    assert out1.shape == (3, 6) and weights1.shape == (3, 5)
    np.testing.assert_allclose(out1.data, out.data[:, 0], rtol=1e-13, atol=1e-14)
    np.testing.assert_allclose(weights1.data, weights.data[0], rtol=1e-13, atol=1e-14)


def test_gradients_against_finite_differences():
    case = random_case(np.random.default_rng(5), True, False, True, True, e=4, n=1, length=2, source=2, kdim=3)
    names = ("query", "key", "out_w", "in_bias")

    def f(query, key, out_w, in_bias, static_k):
        out, weights = call_function(case, True, query=query, key=key, out_w=out_w, in_bias=in_bias,
                                     static_kv=(static_k, case["static_kv"][1]))
        return out.sum() + (weights * weights).sum()

    inputs = [ag.tensor(case[name], requires_grad=True) for name in names]
    assert gradcheck(f, *inputs, ag.tensor(case["static_kv"][0], requires_grad=True))


def test_module_gives_the_functions_result():
    mha = nn.MultiheadAttention(6, 3, kdim=4, vdim=5, add_bias_kv=True, dtype=np.float64, rng=0)
    rng = np.random.default_rng(0)
    q, k, v = rng.normal(size=(3, 2, 6)), rng.normal(size=(4, 2, 4)), rng.normal(size=(4, 2, 5))
    out, weights = mha(q, k, v, average_attn_weights=False)
    want, want_weights = F.multi_head_attention_forward(
        q, k, v, 6, 3, None, mha.in_proj_bias, mha.bias_k, mha.bias_v, False, 0.0, mha.out_proj.weight,
        mha.out_proj.bias, use_separate_proj_weight=True, q_proj_weight=mha.q_proj_weight,
        k_proj_weight=mha.k_proj_weight, v_proj_weight=mha.v_proj_weight, average_attn_weights=False)
    np.testing.assert_array_equal(out.data, want.data)
    np.testing.assert_array_equal(weights.data, want_weights.data)


@pytest.mark.parametrize("change, error, words", [
    (dict(bias_kv=True, static=True), AttentionError, "bias cannot be added to static key."),
    (dict(static_k=np.zeros((3, 4, 3))), AttentionError, r"expecting static_k of shape \(4, S, 3\)"),
    (dict(q_proj_weight=None), AttentionError, "use_separate_proj_weight is True but q_proj_weight is None"),
    (dict(bias_kv=True, bias_v=None), AttentionError, "give both bias_k and bias_v or neither, got only bias_k"),
    (dict(embed_dim_to_check=5), AttentionError, "was expecting embedding dimension of 5, but got 6"),
    (dict(num_heads=4), AttentionError, "embed_dim 6 not divisible by num_heads 4"),
    (dict(k_proj_weight=np.zeros((6, 4))), AttentionError, r"key projection's weight of shape \(6, 5\)"),
    (dict(value=np.zeros((3, 2, 5))), AttentionError, r"key shape \(4, 2, 5\) does not match value shape "
                                                      r"\(3, 2, 5\) in their sequence and batch axes"),
    (dict(key=np.zeros((4, 5))), AttentionError, "expected `key` and `value` to be 3-D but found 2-D and 3-D"),
    (dict(attn_mask=np.zeros(4, bool)), AttentionError, "`attn_mask` to be `None`, 2-D or 3-D but found 1-D"),
])
def test_errors_in_pytorchs_words(change, error, words):
    case = random_case(np.random.default_rng(1), True, change.pop("bias_kv", False), False,
                       change.pop("static", False))
    w_q, w_k, w_v = case["weights"]
    bias_k, bias_v = case["bias_kv"] or (None, None)
    static_k, static_v = case["static_kv"] or (None, None)
    kwargs = dict(query=case["query"], key=case["key"], value=case["value"], embed_dim_to_check=6, num_heads=2,
                  in_proj_weight=None, in_proj_bias=case["in_bias"], bias_k=bias_k, bias_v=bias_v,
                  add_zero_attn=False, dropout_p=0.0, out_proj_weight=case["out_w"], out_proj_bias=case["out_b"],
                  use_separate_proj_weight=True, q_proj_weight=w_q, k_proj_weight=w_k, v_proj_weight=w_v,
                  static_k=static_k, static_v=static_v, attn_mask=case["attn_mask"])
    kwargs.update(change)
    with pytest.raises(error, match=words) as info:
        F.multi_head_attention_forward(**kwargs)
    assert str(info.value).startswith("multi_head_attention_forward: ")


@pytest.mark.parametrize("seed", range(16))
def test_against_torch(seed):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(seed)
    separate, bias_kv, zero_attn = (bool(b) for b in rng.random(3) < (0.5, 0.3, 0.3))
    static = not bias_kv and rng.random() < 0.4
    case = random_case(rng, separate, bias_kv, zero_attn, static, n=int(rng.integers(1, 3)))
    if seed % 2:
        case["attn_mask"] = rng.normal(size=(case["query"].shape[1] * 2,) + case["attn_mask"].shape)
        case["key_padding_mask"] = np.where(case["key_padding_mask"], -np.inf, 0.0)  # the same kind, as torch wants
    average = bool(rng.random() < 0.5)
    leaves = ["query", "key", "value", "in_bias", "out_w", "out_b"]
    ours = {name: ag.tensor(case[name], requires_grad=True) for name in leaves}
    theirs = {name: torch.tensor(case[name], requires_grad=True) for name in leaves}
    for pair in ("weights", "bias_kv", "static_kv"):
        if case[pair] is not None:
            ours[pair] = tuple(ag.tensor(a, requires_grad=True) for a in case[pair])
            theirs[pair] = tuple(torch.tensor(a, requires_grad=True) for a in case[pair])
    out, weights = call_function(case, separate, average, **ours)
    t = dict(case, **theirs)
    w_q, w_k, w_v = t["weights"]
    (bias_k, bias_v), (static_k, static_v) = t["bias_kv"] or (None, None), t["static_kv"] or (None, None)
    want, want_weights = torch.nn.functional.multi_head_attention_forward(
        t["query"], t["key"], t["value"], 6, 2, None if separate else torch.cat([w_q, w_k, w_v]), t["in_bias"],
        bias_k, bias_v, zero_attn, 0.0, t["out_w"], t["out_b"], key_padding_mask=torch.tensor(t["key_padding_mask"]),
        attn_mask=torch.tensor(t["attn_mask"]), use_separate_proj_weight=separate,
        q_proj_weight=w_q if separate else None, k_proj_weight=w_k if separate else None,
        v_proj_weight=w_v if separate else None, static_k=static_k, static_v=static_v, average_attn_weights=average)
    np.testing.assert_allclose(out.data, want.detach().numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(weights.data, want_weights.detach().numpy(), rtol=1e-10, atol=1e-12)
    cotangents = rng.normal(size=out.shape), rng.normal(size=weights.shape)
    ((out * cotangents[0]).sum() + (weights * cotangents[1]).sum()).backward()
    ((want * torch.tensor(cotangents[0])).sum() + (want_weights * torch.tensor(cotangents[1])).sum()).backward()
    pairs = [(ours[name], theirs[name]) for name in leaves]
    pairs += [p for pair in ("weights", "bias_kv", "static_kv") if pair in ours for p in zip(ours[pair], theirs[pair])]
    for mine, torchs in pairs:
        if torchs.grad is None:  # key and value behind static_k and static_v: off the result's path in both
            assert mine.grad is None
            continue
        np.testing.assert_allclose(mine.grad.data, torchs.grad.numpy(), rtol=1e-9, atol=1e-11)


def test_the_mismatched_masks_warning_points_at_the_callers_line_for_the_function_and_the_module():
    mha = nn.MultiheadAttention(4, 2, rng=0)
    x = np.ones((3, 1, 4), np.float32)
    kpm, am = np.zeros((1, 3), bool), np.zeros((3, 3), np.float32)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        mha(x, x, x, key_padding_mask=kpm, attn_mask=am)
        F.multi_head_attention_forward(x, x, x, 4, 2, mha.in_proj_weight, mha.in_proj_bias, None, None, False, 0.0,
                                       mha.out_proj.weight, mha.out_proj.bias, key_padding_mask=kpm, attn_mask=am)
    assert [str(w.message).count("mismatched key_padding_mask and attn_mask") for w in caught] == [1, 1]
    assert [w.filename for w in caught] == [__file__, __file__]
