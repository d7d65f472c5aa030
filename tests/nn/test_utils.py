"""Gradient clipping and get_total_norm (nn/utils/clip_grad.py), against formulas written with NumPy and, when
installed, PyTorch."""
import warnings

import numpy as np
import pytest

import autograd_core as ag
import nn
from nn.utils import clip_grad_norm_, clip_grad_value_, get_total_norm


def _params_with_grads(grads):
    params = [nn.Parameter(np.zeros_like(g)) for g in grads]
    for p, g in zip(params, grads):
        p.grad = ag.tensor(g.copy())
    return params


GRADS = [np.array([[3.0, -4.0], [1.0, 0.5]]), np.array([-12.0, 2.0])]


@pytest.mark.parametrize("norm_type", [2.0, 1.0, 3.0, np.inf])
def test_clip_grad_norm_scales_all_gradients_by_max_norm_over_their_total_norm(norm_type):
    params = _params_with_grads(GRADS)
    arrays = [p.grad.data for p in params]
    total = clip_grad_norm_(params, max_norm=2.0, norm_type=norm_type)
    flat = np.concatenate([g.ravel() for g in GRADS])
    expected_total = np.max(np.abs(flat)) if norm_type == np.inf else np.sum(np.abs(flat) ** norm_type) ** (1 / norm_type)
    np.testing.assert_allclose(float(total), expected_total, rtol=1e-12)
    for p, g, array in zip(params, GRADS, arrays):
        assert p.grad.data is array  # in place, as PyTorch
        np.testing.assert_allclose(p.grad.data, g * 2.0 / (expected_total + 1e-6), rtol=1e-12)


def test_clip_grad_norm_pytorchs_deprecated_name_warns_and_clips_as_clip_grad_norm_():
    # an older yunjey/pytorch-tutorial language model: from torch.nn.utils import clip_grad_norm
    params = _params_with_grads(GRADS)
    with pytest.warns(FutureWarning, match="^nn.utils.clip_grad_norm is deprecated in favor of .*clip_grad_norm_"):
        total = nn.utils.clip_grad_norm(params, 0.5)
    expected_total = np.sqrt(sum((g ** 2).sum() for g in GRADS))  # 13.5
    assert float(total) == pytest.approx(expected_total, rel=1e-12)
    for p, g in zip(params, GRADS):
        np.testing.assert_allclose(p.grad.data, g * 0.5 / (expected_total + 1e-6), rtol=1e-12)
    torch = pytest.importorskip("torch")
    theirs = [torch.zeros(g.shape, dtype=torch.float64, requires_grad=True) for g in GRADS]
    for t, g in zip(theirs, GRADS):
        t.grad = torch.tensor(g)
    with pytest.warns(FutureWarning):
        assert float(torch.nn.utils.clip_grad_norm(theirs, 0.5)) == pytest.approx(float(total), rel=1e-12)
    for t, p in zip(theirs, params):
        np.testing.assert_allclose(t.grad.numpy(), p.grad.data, rtol=1e-12)


def test_clip_grad_norm_leaves_small_gradients_and_skips_parameters_without_one():
    params = _params_with_grads([np.array([0.3, 0.4])]) + [nn.Parameter(np.ones(3))]
    assert float(clip_grad_norm_(iter(params), max_norm=1.0)) == pytest.approx(0.5)
    np.testing.assert_array_equal(params[0].grad.data, [0.3, 0.4])
    assert params[1].grad is None
    assert float(clip_grad_norm_(params[0], max_norm=0.25)) == pytest.approx(0.5)  # a single Tensor
    np.testing.assert_allclose(params[0].grad.data, [0.15, 0.2], rtol=1e-5)
    assert float(clip_grad_norm_([nn.Parameter(np.ones(2))], 1.0)) == 0.0  # no gradients at all


def test_clip_grad_norm_keeps_float32_and_a_recorded_gradients_graph():
    w = ag.tensor(np.array([3.0, 4.0], dtype=np.float32), requires_grad=True)
    (w * w).sum().backward(create_graph=True)  # grad 2w, recorded
    recorded = w.grad
    clip_grad_norm_([w], max_norm=5.0)
    assert w.grad.dtype == np.float32 and not w.grad.requires_grad
    np.testing.assert_allclose(w.grad.data, [3.0, 4.0], rtol=1e-5)
    (recorded * recorded).sum().backward()  # d/dw of |2w|^2 = 8w, from the unchanged recorded gradient
    np.testing.assert_allclose(w.grad.data, [3.0 + 24.0, 4.0 + 32.0], rtol=1e-5)


def test_clip_grad_norm_with_a_non_finite_norm():
    params = _params_with_grads([np.array([np.nan, 1.0])])
    with pytest.raises(RuntimeError, match=r"clip_grad_norm_: The total norm of order 2.0 for gradients .* is nan\)"):
        clip_grad_norm_(params, 1.0, error_if_nonfinite=True)
    np.testing.assert_array_equal(params[0].grad.data, [np.nan, 1.0])  # untouched when refused
    clip_grad_norm_(params, 1.0)
    assert np.isnan(params[0].grad.data).all()  # as PyTorch: scaled by a nan factor


def test_clip_grad_norm_of_overflowing_float32_gradients_is_inf_without_a_warning():
    params = _params_with_grads([np.full(4, 3e38, dtype=np.float32)])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert float(clip_grad_norm_(params, 1.0)) == np.inf
    np.testing.assert_array_equal(params[0].grad.data, np.zeros(4))  # scaled by 1 / inf, as PyTorch


def test_clip_grad_value_clamps_every_entry_in_place():
    params = _params_with_grads(GRADS)
    arrays = [p.grad.data for p in params]
    assert clip_grad_value_(params, 2.5) is None
    for p, g, array in zip(params, GRADS, arrays):
        assert p.grad.data is array
        np.testing.assert_array_equal(p.grad.data, np.clip(g, -2.5, 2.5))


@pytest.mark.parametrize("foreach", [None, True, False])
def test_clip_grad_value_takes_pytorchs_foreach_and_clamps_as_torch(foreach):
    params = _params_with_grads(GRADS)
    assert clip_grad_value_(params, 2.5, foreach=foreach) is None  # (PyTorch's signature; one loop here either way)
    for p, g in zip(params, GRADS):
        np.testing.assert_array_equal(p.grad.data, np.clip(g, -2.5, 2.5))
    torch = pytest.importorskip("torch")
    tensors = [torch.zeros(g.shape, dtype=torch.float64, requires_grad=True) for g in GRADS]
    for t, g in zip(tensors, GRADS):
        t.grad = torch.tensor(np.asarray(g, dtype=np.float64))
    torch.nn.utils.clip_grad_value_(tensors, 2.5, foreach=foreach)
    for p, t in zip(params, tensors):
        np.testing.assert_array_equal(p.grad.data, t.grad.numpy())


def test_bad_arguments_are_clear_errors():
    params = _params_with_grads(GRADS)
    with pytest.raises(ValueError, match=r"clip_grad_norm_: max_norm must be a number >= 0, got -1"):
        clip_grad_norm_(params, -1)
    with pytest.raises(ValueError, match=r"clip_grad_value_: clip_value must be a number >= 0, got nan"):
        clip_grad_value_(params, float("nan"))
    with pytest.raises(TypeError, match=r"clip_grad_norm_: parameters must be Tensors .*, got ndarray"):
        clip_grad_norm_([np.ones(2)], 1.0)


def test_clipping_matches_pytorch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    grads = [rng.standard_normal((4, 3)) * 5, rng.standard_normal(3)]
    for norm_type in (2.0, 1.0, np.inf):
        params = _params_with_grads(grads)
        tensors = [torch.zeros(g.shape, dtype=torch.float64, requires_grad=True) for g in grads]
        for t, g in zip(tensors, grads):
            t.grad = torch.from_numpy(g.copy())
        total = clip_grad_norm_(params, 1.5, norm_type)
        torch_total = torch.nn.utils.clip_grad_norm_(tensors, 1.5, norm_type)
        np.testing.assert_allclose(float(total), torch_total.item(), rtol=1e-12)
        for p, t in zip(params, tensors):
            np.testing.assert_allclose(p.grad.data, t.grad.numpy(), rtol=1e-12)


def test_a_float16_gradients_norm_is_computed_without_overflow_and_returned_in_float16_as_torch():
    p = ag.tensor(np.zeros(3, np.float16), requires_grad=True)
    p.grad = ag.tensor(np.full(3, 300, np.float16))  # sum of squares 270000: past float16's 65504
    total = nn.utils.clip_grad_norm_([p], 1.0)
    assert total.dtype == np.float16 and float(total) == pytest.approx(519.6, rel=1e-3)
    np.testing.assert_allclose(p.grad.data.astype(np.float64), np.full(3, 1 / np.sqrt(3)), rtol=1e-3)
    assert nn.utils.clip_grad_norm_([ag.tensor([1.0], requires_grad=True)], 1.0).dtype == np.float32  # no grads
    for bad, error in (("1", TypeError), (True, TypeError), (-1, ValueError)):  # (text was a ValueError)
        with pytest.raises(error, match=r"clip_grad_norm_: max_norm must be a number >= 0, got"):
            nn.utils.clip_grad_norm_([p], bad)
        with pytest.raises(error, match=r"clip_grad_value_: clip_value must be a number >= 0, got"):
            nn.utils.clip_grad_value_([p], bad)


def test_a_0_d_tensor_is_a_number_wherever_nn_takes_one_as_in_torch():
    p = ag.tensor([3.0, 4.0], requires_grad=True)
    (p * p).sum().backward()
    assert float(clip_grad_norm_([p], ag.tensor(1.0))) == 10.0
    t = nn.Parameter(np.zeros(100))
    nn.init.uniform_(t, np.array(-1.0), ag.tensor(1.0), rng=0)
    assert -1 <= t.data.min() and t.data.max() <= 1
    np.testing.assert_allclose(nn.functional.softplus(ag.tensor([1.0]), beta=ag.tensor(2.0)).data,
                               nn.functional.softplus(ag.tensor([1.0]), beta=2.0).data)


def test_clip_grad_norm_of_an_infinite_gradient_gives_pytorchs_values_without_a_warning():
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    w.grad = ag.tensor([np.inf, 1.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        total = nn.utils.clip_grad_norm_([w], 1.0)
    assert total.item() == np.inf
    np.testing.assert_array_equal(w.grad.data, [np.nan, 0.0])


def test_clip_grad_norm_accepts_a_max_norm_of_zero():
    p = nn.Parameter(np.ones(2))
    p.grad = ag.tensor(np.array([3.0, 4.0]))
    nn.utils.clip_grad_norm_([p], 0)
    assert np.allclose(p.grad.data, 0)


def test_clip_grad_norm_names_itself_for_parameters_that_are_no_iterable():
    torch = pytest.importorskip("torch")
    with pytest.raises(TypeError):
        torch.nn.utils.clip_grad_norm_(None, 1.0)
    with pytest.raises(TypeError, match="clip_grad_norm_: parameters must be a Tensor or an iterable"):
        clip_grad_norm_(None, 1.0)


# ---- get_total_norm's refusals, as torch.nn.utils.get_total_norm's ---------------------------------------------------
@pytest.mark.parametrize("values", [np.array([3, 4]), np.array([True, True]), np.array([1], dtype=np.uint8)])
def test_integer_and_boolean_tensors_are_refused(values):
    # (it returned the norm cast to their dtype: Tensor(5), Tensor(True), a wrong number for [1, 1])
    with pytest.raises(TypeError, match=r"get_total_norm: the tensors must be floats.*dtype"):
        get_total_norm([ag.tensor(np.array([1.0])), ag.tensor(values)])


@pytest.mark.parametrize("norm_type", [-1.0, -0.5, -np.inf, np.inf])
def test_negative_norm_of_an_empty_tensor_is_refused(norm_type):
    # (it returned inf with a NumPy divide warning; torch's vector_norm refuses: no identity)
    with pytest.raises(RuntimeError, match=r"norm of an empty tensor \(shape \(0,\)\)"):
        get_total_norm([ag.tensor(np.zeros(0)), ag.tensor(np.ones(2))], norm_type)


@pytest.mark.parametrize("norm_type", [0.5, 2.0, 3.0])
def test_nonnegative_norm_of_an_empty_tensor_is_taken(norm_type):
    total = get_total_norm([ag.tensor(np.zeros(0)), ag.tensor(np.array([3.0, 4.0]))], norm_type)
    np.testing.assert_allclose(total.data, np.linalg.norm([3.0, 4.0], norm_type))


# ---- norm_type="inf", which PyTorch documents ("Can be 'inf' for infinity norm"); other text is refused --------------
def _weights():
    """One Parameter whose gradient is [3, -4, 1]."""
    return _params_with_grads([np.array([3.0, -4.0, 1.0])])[0]


def test_norm_type_text_inf_is_the_max_norm():
    w = _weights()
    total = nn.utils.clip_grad_norm_([w], 2.0, norm_type="inf")
    assert float(total) == 4.0
    np.testing.assert_allclose(w.grad.data, np.array([3.0, -4.0, 1.0]) * 2.0 / (4.0 + 1e-6))
    assert float(nn.utils.get_total_norm([ag.tensor([3.0, -4.0])], norm_type="inf")) == 4.0
    assert float(nn.utils.get_total_norm([ag.tensor([3.0, -4.0])], norm_type="-inf")) == 3.0


def test_the_same_as_pytorch():
    torch = pytest.importorskip("torch")
    p = torch.nn.Parameter(torch.zeros(3, dtype=torch.float64))
    p.grad = torch.tensor([3.0, -4.0, 1.0], dtype=torch.float64)
    expected = torch.nn.utils.clip_grad_norm_([p], 2.0, norm_type="inf")
    w = _weights()
    assert float(nn.utils.clip_grad_norm_([w], 2.0, norm_type="inf")) == float(expected)
    np.testing.assert_allclose(w.grad.data, p.grad.numpy(), rtol=1e-15)


@pytest.mark.parametrize("text", ["fro", "2", "max", "Inf"])
def test_other_text_is_still_refused(text):
    with pytest.raises(TypeError, match="norm_type"):
        nn.utils.clip_grad_norm_([_weights()], 1.0, norm_type=text)


# ---- a flag is True or False (NumPy's bools too), anything else a TypeError naming the argument ----------------------
# (PyTorch reads error_if_nonfinite="no" as True.)
def test_clip_grad_norm_error_if_nonfinite_refuses_text():
    weight = nn.Parameter(np.ones(2))
    weight.grad = ag.tensor([np.inf, 1.0])
    with pytest.raises(TypeError, match="error_if_nonfinite"):
        nn.utils.clip_grad_norm_([weight], 1.0, error_if_nonfinite="no")
    with pytest.raises(TypeError, match="error_if_nonfinite"):
        nn.utils.get_total_norm([weight.grad], error_if_nonfinite="no")
    assert float(nn.utils.get_total_norm([weight.grad], error_if_nonfinite=False)) == np.inf
    with pytest.raises(RuntimeError, match="non|inf"):
        nn.utils.clip_grad_norm_([weight], 1.0, error_if_nonfinite=True)


def test_clip_grad_norm_non_finite_error_has_pytorchs_words_for_every_norm_type():
    # found by porting PyTorch's test_nn.py test_clip_grad_norm_error_if_nonfinite, which matches this text
    for norm_type in (0.1, 2, 3.5, np.inf):
        params = _params_with_grads([np.array([np.inf, 1.0])])
        with pytest.raises(RuntimeError, match=f"The total norm of order {float(norm_type)} for gradients from "
                                               f"`parameters` is non-finite, so it cannot be clipped"):
            clip_grad_norm_(params, 1.0, norm_type=norm_type, error_if_nonfinite=True)
    with pytest.raises(RuntimeError, match="get_total_norm: The total norm of order 2.0 for gradients"):
        get_total_norm([ag.tensor([np.nan])], error_if_nonfinite=True)


def test_clip_grad_norm_warns_of_an_empty_generator_as_torch():
    # found by porting PyTorch's test_nn.py test_clip_grad_norm: a used-up model.parameters() clips nothing
    layer = nn.Linear(2, 2)
    params = layer.parameters()
    list(params)
    with pytest.warns(UserWarning, match="^`parameters` is an empty generator, no gradient clipping will occur.$"):
        assert float(clip_grad_norm_(params, 1.0)) == 0.0
    with warnings.catch_warnings():  # an empty list, or a generator that has items, does not warn (nor PyTorch's)
        warnings.simplefilter("error")
        clip_grad_norm_([], 1.0)
        clip_grad_norm_((p for p in layer.parameters()), 1.0)


def test_clip_grads_with_norm_refuses_a_negative_total_norm():
    # (our choice, not PyTorch's behaviour: PyTorch takes a negative total_norm and flips the gradients' signs, as
    # the torch lines below show; a norm is never negative, so ours refuses it)
    params = _params_with_grads([np.array([3.0, -4.0])])
    with pytest.raises(ValueError, match=r"clip_grads_with_norm_: total_norm must be >= 0 .* got -2.0"):
        nn.utils.clip_grads_with_norm_(params, 1.0, ag.tensor(-2.0))
    np.testing.assert_array_equal(params[0].grad.data, [3.0, -4.0])
    nn.utils.clip_grads_with_norm_(params, 1.0, np.inf)  # inf and nan are taken, as PyTorch's
    np.testing.assert_array_equal(params[0].grad.data, [0.0, -0.0])
    torch = pytest.importorskip("torch")
    p = torch.nn.Parameter(torch.tensor([3.0, -4.0]))
    p.grad = torch.tensor([3.0, -4.0])
    torch.nn.utils.clip_grads_with_norm_([p], 1.0, torch.tensor(-2.0))
    np.testing.assert_allclose(p.grad.numpy(), [-1.5, 2.0], rtol=1e-5)  # (PyTorch's: the signs flipped)
