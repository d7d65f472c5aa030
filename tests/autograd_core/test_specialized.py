"""primitive.specializes: each registered core computes what its general forward or rule computes, bit for bit, for
the calls its specializer accepts (graph_code's replay calls the core in the general function's place)."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp

import autograd_core as ag
from autograd_core.graph_code import straight_line
from autograd_core.ops import arithmetic, elementwise, losses
from autograd_core.primitive import SPECIALIZED

_SPECIAL = [np.inf, -np.inf, np.nan, -0.0, 0.0]


def _floats(dtype, shape, special):
    elements = st.floats(-1e3, 1e3, width=np.dtype(dtype).itemsize * 8)
    if special:
        elements = st.one_of(elements, st.sampled_from(_SPECIAL))
    return hnp.arrays(dtype, shape, elements=elements)


def _core_gives_the_same(general, args, params, fresh=lambda params: params, required=True):
    """general's result and its core's (when its specializer gives one, as it must when required): equal in dtype,
    shape and bits."""
    result = general(*args, **params)
    fast = SPECIALIZED[general](args, params)
    if fast is None and not required:
        return params
    assert fast is not None, f"{general.__name__}'s specializer gave no core for this call"
    core, chosen = fast
    params = fresh(params)
    arguments = [args[c] if type(c) is int else params[c] for c in chosen]
    out = arguments[0] if core is None else core(*arguments)
    assert type(out) is type(result) and np.shape(out) == np.shape(result) and out.dtype == result.dtype
    assert np.asarray(out).tobytes() == np.asarray(result).tobytes()
    return params


@settings(max_examples=60, deadline=None)
@given(data=st.data(), dtype=st.sampled_from([np.float32, np.float64]), n=st.integers(1, 5), features=st.integers(
    1, 4), outputs=st.integers(1, 4), special=st.booleans())
def test_the_linear_layers_cores_equal_its_forward_and_rules(data, dtype, n, features, outputs, special):
    x = data.draw(_floats(dtype, (n, features), special))
    weight = data.draw(_floats(dtype, (outputs, features), special))
    bias = data.draw(_floats(dtype, (outputs,), special))
    g = data.draw(_floats(dtype, (n, outputs), special))
    with np.errstate(all="ignore"):  # (inf - inf in a product: the same NaN either way)
        # (np.dot, the products' cores, takes operands of two elements or more)
        _core_gives_the_same(arithmetic._linear_forward, (x, weight, bias), {}, required=x.size > 1 < weight.size)
        ans = arithmetic._linear_forward(x, weight, bias)
        _core_gives_the_same(arithmetic._linear_vjp_weight, (g, ans, x, weight, bias), {},
                             required=g.size > 1 < x.size)
        _core_gives_the_same(arithmetic._linear_vjp_input, (g, ans, x, weight, bias), {},
                             required=g.size > 1 < weight.size)
        _core_gives_the_same(arithmetic._linear_vjp_bias, (g, ans, x, weight, bias), {})


@pytest.mark.parametrize("bias", [np.zeros(3, np.float64), np.zeros((2, 3), np.float32), np.float32(0), None])
def test_only_a_bias_that_adds_in_place_gets_the_linear_core(bias):
    # (float64 into a float32 product promotes; a 0-d bias, or none, is the general forward's; a bias of the output's
    # shape adds in place: the core)
    x, weight = np.ones((2, 4), np.float32), np.ones((3, 4), np.float32)
    args = (x, weight) if bias is None else (x, weight, bias)
    if bias is not None and np.shape(bias) == (2, 3):
        _core_gives_the_same(arithmetic._linear_forward, args, {})
    else:
        assert SPECIALIZED[arithmetic._linear_forward](args, {}) is None


@settings(max_examples=60, deadline=None)
@given(data=st.data(), dtype=st.sampled_from([np.float16, np.float32, np.float64]),
       shape=hnp.array_shapes(min_dims=1, max_dims=3, max_side=5))
def test_relus_cores_equal_its_forward_and_rule_with_infinities_nans_and_signed_zeros(data, dtype, shape):
    x = data.draw(_floats(dtype, shape, special=True))
    g = data.draw(_floats(dtype, shape, special=True))
    _core_gives_the_same(elementwise._relu, (x,), {})
    _core_gives_the_same(elementwise._relu_vjp, (g, elementwise._relu(x), x), {})


def test_relus_rule_of_a_gradient_of_another_dtype_keeps_the_general_rule():
    ans = np.ones((2, 3), np.float32)
    g = np.ones((2, 3), np.float64)
    assert SPECIALIZED[elementwise._relu_vjp]((g, ans, ans), {}) is None


@settings(max_examples=60, deadline=None)
@given(data=st.data(), dtype=st.sampled_from([np.float32, np.float64]), n=st.integers(1, 6),
       classes=st.integers(1, 5), special=st.booleans())
def test_cross_entropys_cores_equal_its_forward_and_rule(data, dtype, n, classes, special):
    z = data.draw(_floats(dtype, (n, classes), special))
    target = data.draw(hnp.arrays(np.int64, n, elements=st.integers(0, classes - 1)))
    params = {"target": target, "sample_weight": None, "reduction": "mean", "_kept": []}
    with np.errstate(all="ignore"):  # (NaN logits: the same NaN either way)
        fresh = _core_gives_the_same(losses._cross_entropy, (z,), params, lambda p: dict(p, _kept=[]))
        for mine, theirs in zip(fresh["_kept"], params["_kept"]):
            assert mine.tobytes() == theirs.tobytes()
        ans = losses._cross_entropy(z, **dict(params, _kept=[]))
        g = np.array(data.draw(st.floats(-2, 2)), dtype)
        _core_gives_the_same(losses._cross_entropy_vjp, (g, ans, z), params)


@settings(max_examples=60, deadline=None)
@given(data=st.data(), dtype=st.sampled_from([np.float32, np.float64]), n=st.integers(1, 6),
       classes=st.integers(1, 5))
def test_cross_entropys_log_softmax_inline_gives_log_softmaxs_bits(data, dtype, n, classes):
    from autograd_core.ops.softmax import _log_softmax
    z = data.draw(_floats(dtype, (n, classes), special=True))
    with np.errstate(all="ignore"):
        assert losses._log_softmax_inline(z).tobytes() == _log_softmax(z, axis=1).tobytes()


def test_a_target_array_not_one_per_row_keeps_numpys_error():
    with pytest.raises(ValueError, match="broadcast|shape mismatch") as raised:
        losses._flat_index(np.zeros((4, 3), int), 5)
    assert not isinstance(raised.value, losses.ClassIndexError)


@pytest.mark.parametrize("change", [{"reduction": "sum"}, {"sample_weight": np.ones(2)}, {"_kept": None}])
def test_cross_entropy_other_than_an_unweighted_mean_keeps_the_general_forward(change):
    z, target = np.zeros((2, 3)), np.array([0, 2])
    params = {"target": target, "sample_weight": None, "reduction": "mean", "_kept": [], **change}
    assert SPECIALIZED[losses._cross_entropy]((z,), params) is None


def test_the_replay_of_a_classifier_step_calls_the_cores():
    rng = np.random.default_rng(0)
    x, y = rng.standard_normal((5, 3)).astype(np.float32), np.array([0, 1, 1, 0, 1])
    w1, b1 = (ag.tensor(rng.standard_normal(s).astype(np.float32), requires_grad=True) for s in ((4, 3), (4,)))
    w2, b2 = (ag.tensor(rng.standard_normal(s).astype(np.float32), requires_grad=True) for s in ((2, 4), (2,)))
    loss = losses._cross_entropy_node(ag.linear(ag.relu(ag.linear(x, w1, b1)), w2, b2), y, None, "mean")
    code = straight_line(loss, {"x": x, "y": y})
    called = {value for value in code.scope.values() if callable(value)}
    assert {arithmetic._linear_biased, elementwise._relu_of_floats, losses._cross_entropy_mean,
            losses._cross_entropy_mean_vjp, elementwise._relu_rule_bits, arithmetic._transposed_dot,
            arithmetic._dot} <= called
    assert not called & {arithmetic._linear_forward, losses._cross_entropy, losses._cross_entropy_vjp,
                         elementwise._relu_vjp, arithmetic._linear_vjp_input, arithmetic._linear_vjp_weight}


def _empty_batch_kept():
    kept = []
    losses._cross_entropy(np.zeros((0, 3)), np.zeros(0, np.int64), None, "mean", kept)
    return kept


@pytest.mark.parametrize("general, args, params", [
    (arithmetic._linear_vjp_weight, (np.ones(3), np.ones(2), np.ones(4), np.ones((2, 4))), {}),  # (one sample)
    (arithmetic._linear_vjp_weight, (np.ones((2, 3, 2)), None, np.ones((2, 3, 4)), np.ones((2, 4))), {}),  # (3-D)
    (elementwise._relu, (np.arange(3),), {}),
    (elementwise._relu, (np.array([True, False]),), {}),
    (losses._cross_entropy, (np.zeros((2, 3), np.float16),), {"target": np.array([0, 1]), "_kept": []}),
    (losses._cross_entropy, (np.zeros((0, 3)),), {"target": np.zeros(0, np.int64), "_kept": []}),
    (losses._cross_entropy_vjp, (np.array(1.0), np.array(np.nan), np.zeros((0, 3))), {"_kept": _empty_batch_kept()}),
], ids=["linear weight, one sample", "linear weight, 3-D", "relu of ints", "relu of bools",
        "cross_entropy float16", "cross_entropy empty", "cross_entropy's rule, empty"])
def test_calls_whose_general_function_takes_another_path_get_no_core(general, args, params):
    assert SPECIALIZED[general](args, params) is None


@settings(max_examples=80, deadline=None)
@given(data=st.data(), dtype=st.sampled_from([np.float32, np.float64]), n=st.integers(1, 70), k=st.integers(1, 70),
       m=st.integers(1, 70), vector=st.booleans(), fortran=st.booleans())
def test_np_dot_gives_matmuls_bits_where_linear_uses_it(data, dtype, n, k, m, vector, fortran):
    # (the products of linear and of its rules, and sum_rows' ones @ g, are np.dot where _dots holds: one BLAS call;
    # an operand of one element is not np.dot's: its scalar path drops 0 * inf = NaN)
    a = data.draw(_floats(dtype, (k,) if vector else (n, k), special=True))
    b = data.draw(_floats(dtype, (k, m), special=True))
    if fortran:
        a, b = np.asfortranarray(a), np.asfortranarray(b)
    assert arithmetic._dots(a, b) == (a.size > 1 and b.size > 1)
    if arithmetic._dots(a, b):
        with np.errstate(all="ignore"):
            assert np.dot(a, b).tobytes() == np.matmul(a, b).tobytes()


def test_a_linear_layer_of_one_zero_weight_gives_nan_for_an_infinite_input_as_matmul():
    x = ag.tensor([[np.nan], [np.inf], [2.0]], requires_grad=True)
    weight = ag.tensor([[0.0]], requires_grad=True)
    with np.errstate(invalid="ignore"):
        out = ag.linear(x, weight, ag.tensor([0.0]))
        out.backward(np.array([[np.nan], [1.0], [1.0]]))
    np.testing.assert_array_equal(out.data, [[np.nan], [np.nan], [0.0]])
    np.testing.assert_array_equal(x.grad.data, [[np.nan], [0.0], [0.0]])  # (nan * 0: NaN, as matmul and torch)
