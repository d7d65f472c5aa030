"""Reductions (autograd_core/ops/reductions.py, nan_reductions.py, torch_extras' amax/amin): a list in axis's
place, which PyTorch reads as dims (x.mean([2, 3]) in torchvision's ShuffleNetV2, x.sum([-1, -2]) in fast.ai's KID)
and NumPy refuses; torch.logcumsumexp's values, stability and derivatives."""
import warnings

import numpy as np
import pytest

import autograd_core as ag
from autograd_core.testing import gradcheck, gradgradcheck

_X = np.arange(1.0, 25.0).reshape(2, 3, 4) / 7.0

_LIST_AXIS_REDUCTIONS = [
    ("sum", np.sum), ("mean", np.mean), ("prod", np.prod), ("nansum", np.nansum), ("nanmean", np.nanmean),
    ("amax", np.amax), ("amin", np.amin),
    ("logsumexp", lambda x, axis, keepdims=False: np.log(np.sum(np.exp(x), axis=axis, keepdims=keepdims))),
]


@pytest.mark.parametrize("name, reference", _LIST_AXIS_REDUCTIONS, ids=[n for n, _ in _LIST_AXIS_REDUCTIONS])
@pytest.mark.parametrize("axis", [[1, 2], [0], [-1, 0]])
def test_a_list_axis_reduces_over_those_axes_as_the_tuple_does(name, reference, axis):
    out = getattr(ag, name)(ag.tensor(_X), axis)
    np.testing.assert_allclose(out.data, reference(_X, axis=tuple(axis)), rtol=1e-12)
    kept = getattr(ag, name)(ag.tensor(_X), axis, True)
    np.testing.assert_allclose(kept.data, reference(_X, axis=tuple(axis), keepdims=True), rtol=1e-12)


@pytest.mark.parametrize("name", ["sum", "mean", "logsumexp", "amax"])  # (torch.prod takes one int dim only)
def test_a_list_axis_matches_torch_and_the_method_form(name):
    torch = pytest.importorskip("torch")
    expected = getattr(torch, name)(torch.tensor(_X), [2, 0]).numpy()
    np.testing.assert_allclose(getattr(ag, name)(ag.tensor(_X), [2, 0]).data, expected, rtol=1e-12)
    if name != "amax":
        np.testing.assert_allclose(getattr(ag.tensor(_X), name)([2, 0]).data, expected, rtol=1e-12)


def test_the_gradient_through_a_list_axis_is_the_tuple_axis_one():
    x = ag.tensor(_X, requires_grad=True)
    x.mean([1, 2]).sum().backward()
    np.testing.assert_allclose(x.grad.data, np.full(_X.shape, 1 / 12))
    assert gradcheck(lambda t: ag.sum(t * t, [0, 2]), ag.tensor(_X, requires_grad=True))


def test_an_empty_list_axis_of_amax_reduces_every_axis_as_torch_amax():
    assert float(ag.amax(ag.tensor(_X), [])) == _X.max()  # torch.amax(x, []) is the maximum over all


def test_a_list_axis_and_dim_together_are_refused_naming_both():
    with pytest.raises(TypeError, match=r"sum: got both axis=.* and dim="):
        ag.sum(ag.tensor(_X), [0], dim=1)


@pytest.mark.parametrize("name", ["var", "std"])
def test_var_and_std_still_refuse_a_list_axis(name):
    # torch.var(x, [0]) is the sample variance (correction=1), NumPy's var the population one: no silent choice
    with pytest.raises(TypeError, match=rf"^{name}: invalid axis=\[0\]"):
        getattr(ag, name)(ag.tensor(_X), [0])


def _logcumsumexp_reference(x, axis):
    return np.log(np.cumsum(np.exp(x), axis=axis))


@pytest.mark.parametrize("shape, dim", [((5,), 0), ((3, 4), 1), ((3, 4), -2), ((2, 3, 4), 1)])
def test_logcumsumexp_values_and_derivatives(shape, dim):
    x = np.random.default_rng(4).normal(size=shape) * 3
    out = ag.logcumsumexp(ag.tensor(x), dim)
    np.testing.assert_allclose(out.data, _logcumsumexp_reference(x, dim), rtol=1e-12)
    np.testing.assert_array_equal(ag.tensor(x).logcumsumexp(dim).data, out.data)
    t = ag.tensor(x, requires_grad=True)
    assert gradcheck(lambda t: ag.logcumsumexp(t, dim), t)
    assert gradgradcheck(lambda t: ag.logcumsumexp(t, dim), t)


def test_logcumsumexp_is_stable_for_large_inputs_gradient_too():
    x = ag.tensor([1000.0, -1000.0, 999.0], requires_grad=True)
    out = ag.logcumsumexp(x, 0)
    np.testing.assert_allclose(out.data, [1000.0, 1000.0, 1000.0 + np.log1p(np.exp(-1.0))], rtol=1e-15)
    out.backward(ag.tensor([1.0, -2.0, 0.5]))
    # d out_i / d x_j = exp(x_j - out_i) for j <= i, taken by hand from the shifted values
    jacobian = np.tril(np.exp(x.data[None, :] - out.data[:, None]))
    np.testing.assert_allclose(x.grad.data, np.array([1.0, -2.0, 0.5]) @ jacobian, rtol=1e-12)
    assert np.isfinite(x.grad.data).all()


def test_logcumsumexp_matches_torch():
    torch = pytest.importorskip("torch")
    x = np.random.default_rng(5).normal(size=(3, 5)) * 50
    g = np.random.default_rng(6).normal(size=(3, 5))
    t = ag.tensor(x, requires_grad=True)
    ag.logcumsumexp(t, 1).backward(ag.tensor(g))
    reference = torch.tensor(x, requires_grad=True)
    torch.logcumsumexp(reference, 1).backward(torch.tensor(g))
    np.testing.assert_allclose(ag.logcumsumexp(ag.tensor(x), 1).data, torch.logcumsumexp(torch.tensor(x), 1).numpy(),
                               rtol=1e-12)
    np.testing.assert_allclose(t.grad.data, reference.grad.numpy(), rtol=1e-9, atol=1e-12)
    assert ag.logcumsumexp(ag.tensor(2.5), -1).tolist() == torch.logcumsumexp(torch.tensor(2.5), -1).item()
    float32 = ag.logcumsumexp(ag.tensor(x, dtype=np.float32), 0)
    assert float32.dtype == np.float32


@pytest.mark.parametrize("call, error, message", [
    (lambda: ag.logcumsumexp(ag.tensor([1, 2]), 0), TypeError, "logcumsumexp: input must be a floating-point"),
    (lambda: ag.logcumsumexp(ag.ones((2, 3)), 2), IndexError, r"logcumsumexp: dim must be an int in \[-2, 2\)"),
    (lambda: ag.logcumsumexp(ag.ones(3), None), IndexError, "logcumsumexp: dim must be an int"),
])
def test_logcumsumexp_errors(call, error, message):
    with pytest.raises(error, match=message):
        call()


LOGCUMSUMEXP_CASES = pytest.mark.parametrize("values, dim", [
    (np.random.default_rng(5).normal(size=(3, 4, 5)) * 3, 1),
    (np.array([[1000.0, -1000.0, 999.0, -5.0], [-800.0, 3.0, 2.0, 900.0]]), -1),  # (each weight at most 1: stable)
    (np.random.default_rng(6).normal(size=(2, 1100)), 1),  # (a long axis: the sum taken in chunks)
], ids=["normal", "large-range", "long-axis"])


def _forward_mode_tangents(values, tangent, dim):
    """logcumsumexp's tangent by ag.func.jvp and by forward_ad's dual Tensors."""
    _, by_jvp = ag.func.jvp(lambda t: ag.logcumsumexp(t, dim), (ag.tensor(values),), (ag.tensor(tangent),))
    with ag.autograd.forward_ad.dual_level():
        dual = ag.autograd.forward_ad.make_dual(ag.tensor(values), ag.tensor(tangent))
        by_dual = ag.autograd.forward_ad.unpack_dual(ag.logcumsumexp(dual, dim)).tangent
    return by_jvp.data, by_dual.data


@LOGCUMSUMEXP_CASES
def test_logcumsumexp_forward_mode_tangent_is_the_jacobian_times_the_tangent(values, dim):
    # ag.jvp differentiates the vjp at a zero cotangent, where the log-space vjp held g constant (zero tangents);
    # the tangent is sum over j <= i of exp(x_j - ans_i) t_j, taken here directly along dim
    tangent = np.random.default_rng(7).normal(size=values.shape)
    x, t = np.moveaxis(values, dim, -1), np.moveaxis(tangent, dim, -1)
    ans = np.logaddexp.accumulate(x, axis=-1)
    n = x.shape[-1]
    weights = np.exp(np.where(np.tril(np.ones((n, n), dtype=bool)), x[..., None, :] - ans[..., :, None], -np.inf))
    expected = np.moveaxis((weights @ t[..., None])[..., 0], -1, dim)
    for ours in _forward_mode_tangents(values, tangent, dim):
        np.testing.assert_allclose(ours, expected, rtol=1e-9, atol=1e-12)


@LOGCUMSUMEXP_CASES
def test_logcumsumexp_forward_mode_tangent_matches_torch(values, dim):
    torch = pytest.importorskip("torch")
    tangent = np.random.default_rng(7).normal(size=values.shape)
    if values.size <= 100:  # (torch's reverse-mode Jacobian: its forward-mode rule gives 0 at [-800., 3.], not 1)
        jacobian = torch.autograd.functional.jacobian(lambda t: torch.logcumsumexp(t, dim), torch.tensor(values))
        theirs = (jacobian.reshape(values.size, values.size) @ torch.tensor(tangent).reshape(-1)).reshape(values.shape)
    else:
        _, theirs = torch.func.jvp(lambda t: torch.logcumsumexp(t, dim), (torch.tensor(values),),
                                   (torch.tensor(tangent),))
    for ours in _forward_mode_tangents(values, tangent, dim):
        np.testing.assert_allclose(ours, theirs.numpy(), rtol=1e-9, atol=1e-9)


def test_logcumsumexp_tangent_of_ones_is_one_on_a_long_axis_spanning_1500():
    # review R3 (B1): on an axis long enough to be summed in parts, values spanning more than ~700 gave tangents 0
    # at the start (one shift for the whole axis, its exponents clipped). Each row of the Jacobian sums to 1, so the
    # tangent of ones is 1 everywhere, and so is d/dg of the create_graph gradient's sum against ones
    values = np.stack([np.linspace(0.0, 1500.0, 2100), np.linspace(1500.0, 0.0, 2100)])
    for ours in _forward_mode_tangents(values, np.ones_like(values), 1):
        np.testing.assert_allclose(ours, 1.0, rtol=0, atol=1e-12)
    x = ag.tensor(values, requires_grad=True)
    g = ag.tensor(np.zeros_like(values), requires_grad=True)
    (grad,) = ag.autograd.grad(ag.logcumsumexp(x, 1), x, g, create_graph=True)
    (through_g,) = ag.autograd.grad(grad.sum(), g)
    np.testing.assert_allclose(through_g.data, 1.0, rtol=0, atol=1e-12)


def test_logcumsumexp_second_derivative_through_the_cotangent():
    # the create_graph gradient is linear in its cotangent g: d/dg of sum(grad * w) is the forward product with w
    x = ag.tensor(np.random.default_rng(8).normal(size=(4, 3)), requires_grad=True)
    g = ag.tensor(np.zeros((4, 3)), requires_grad=True)
    (grad,) = ag.autograd.grad(ag.logcumsumexp(x, 0), x, g, create_graph=True)
    w = np.random.default_rng(9).normal(size=(4, 3))
    (through_g,) = ag.autograd.grad((grad * ag.tensor(w)).sum(), g)
    jacobian = np.exp(x.data[None, :, :] - np.log(np.cumsum(np.exp(x.data), 0))[:, None, :])  # [i, j, col]
    jacobian = jacobian * np.tril(np.ones((4, 4)))[:, :, None]
    np.testing.assert_allclose(through_g.data, np.einsum("ijc,jc->ic", jacobian, w), rtol=1e-12)


LEADING_MINUS_INF = pytest.mark.parametrize("values", [
    np.array([-np.inf, -np.inf, 1.0, 2.0]),
    np.array([[-np.inf, 0.5, -np.inf, 2.0], [0.3, -np.inf, -1.0, 4.0]]),
    np.concatenate([np.full((2, 800), -np.inf), np.random.default_rng(10).normal(size=(2, 300))], axis=1),
], ids=["vector", "matrix", "long-axis"])


@LEADING_MINUS_INF
def test_logcumsumexp_tangent_is_0_where_every_entry_so_far_is_minus_inf(values):
    # ans_i = -inf there whatever finite change its -inf entries get: tangent 0 (it was NaN, from -inf - -inf in the
    # weights exp(x_j - ans_i)); elsewhere the sum over j <= i of exp(x_j - ans_i) t_j, a NaN entry's NaN kept
    tangent = np.random.default_rng(11).normal(size=values.shape)
    ans = np.logaddexp.accumulate(values, axis=-1)
    n = values.shape[-1]
    with np.errstate(invalid="ignore"):
        exponents = values[..., None, :] - ans[..., :, None]
    within = np.tril(np.ones((n, n), dtype=bool)) & (ans[..., :, None] != -np.inf)
    expected = (np.exp(np.where(within, exponents, -np.inf)) @ tangent[..., None])[..., 0]
    for ours in _forward_mode_tangents(values, tangent, -1):
        np.testing.assert_allclose(ours, expected, rtol=1e-9, atol=1e-12)
        assert (ours[ans == -np.inf] == 0).all()
    for ours in _forward_mode_tangents(np.array([-np.inf, np.nan, 1.0]), np.ones(3), 0):  # (a slice holding a NaN:
        np.testing.assert_array_equal(ours, [np.nan, np.nan, np.nan])  # NaN throughout, as PyTorch's)


@pytest.mark.parametrize("values", [np.full((2, 5), -np.inf), np.array([-np.inf, np.nan, 1.0]),
                                    np.array([[-np.inf, -np.inf], [0.5, -np.inf]])],
                         ids=["all -inf", "-inf then NaN", "one row all -inf"])
def test_logcumsumexp_tangent_and_gradient_of_a_slice_ending_at_minus_inf_or_nan_are_nan(values):
    # (session 41, review R2) a leading -inf's tangent was 0 there too, where PyTorch's and our reverse gradient are NaN
    tangent = np.arange(1.0, values.size + 1).reshape(values.shape)
    with np.errstate(invalid="ignore"):
        nan_rows = ~np.isfinite(np.logaddexp.accumulate(values, axis=-1)[..., -1])
    x = ag.tensor(values, requires_grad=True)
    (grad,) = ag.autograd.grad(ag.logcumsumexp(x, -1), x, ag.tensor(tangent))
    for ours in _forward_mode_tangents(values, tangent, -1):
        assert np.isnan(ours[nan_rows]).all() and np.isnan(grad.data[nan_rows]).all()
        if values.ndim == 2 and not nan_rows.all():  # the row [0.5, -inf]: ans [0.5, 0.5], both tangents t_0 = 3
            np.testing.assert_array_equal(ours[1], [3.0, 3.0])
    torch = pytest.importorskip("torch")
    _, theirs = torch.func.jvp(lambda t: torch.logcumsumexp(t, -1), (torch.tensor(values),), (torch.tensor(tangent),))
    for ours in _forward_mode_tangents(values, tangent, -1):
        np.testing.assert_allclose(ours, theirs.numpy(), rtol=1e-12, equal_nan=True)
    reference = torch.tensor(values, requires_grad=True)
    (their_grad,) = torch.autograd.grad(torch.logcumsumexp(reference, -1), reference, torch.tensor(tangent))
    np.testing.assert_allclose(grad.data, their_grad.numpy(), rtol=1e-12, equal_nan=True)


@LEADING_MINUS_INF
def test_logcumsumexp_gradients_at_leading_minus_inf_are_nan_without_warnings(values):
    # as PyTorch's: the reverse gradient of a leading -inf is NaN (exp(-inf - -inf)), the others finite; no warning
    x = ag.tensor(values, requires_grad=True)
    g = np.random.default_rng(12).normal(size=values.shape)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        (grad,) = ag.autograd.grad(ag.logcumsumexp(x, -1), x, ag.tensor(g), create_graph=True)
        (second,) = ag.autograd.grad(grad.sum(), x)
    ans = np.logaddexp.accumulate(values, axis=-1)
    leading = (ans == -np.inf)
    assert np.isnan(grad.data[leading]).all() and np.isnan(second.data[leading]).all()
    assert np.isfinite(grad.data[~leading & ~np.isnan(ans)]).all()


@LEADING_MINUS_INF
def test_logcumsumexp_at_leading_minus_inf_matches_torch(values):
    torch = pytest.importorskip("torch")
    tangent = np.random.default_rng(11).normal(size=values.shape)
    _, theirs = torch.func.jvp(lambda t: torch.logcumsumexp(t, -1), (torch.tensor(values),), (torch.tensor(tangent),))
    for ours in _forward_mode_tangents(values, tangent, -1):
        np.testing.assert_allclose(ours, theirs.numpy(), rtol=1e-9, atol=1e-12)
    g = np.random.default_rng(12).normal(size=values.shape)
    x, reference = ag.tensor(values, requires_grad=True), torch.tensor(values, requires_grad=True)
    (grad,) = ag.autograd.grad(ag.logcumsumexp(x, -1), x, ag.tensor(g), create_graph=True)
    (their_grad,) = torch.autograd.grad(torch.logcumsumexp(reference, -1), reference, torch.tensor(g),
                                        create_graph=True)
    np.testing.assert_allclose(grad.data, their_grad.detach().numpy(), rtol=1e-9, atol=1e-12)
    (second,) = ag.autograd.grad(grad.sum(), x)
    (their_second,) = torch.autograd.grad(their_grad.sum(), reference)
    np.testing.assert_allclose(second.data, their_second.numpy(), rtol=1e-9, atol=1e-12)
