"""The class losses, cross_entropy and nll_loss (nn.CrossEntropyLoss, nn.NLLLoss), beyond test_losses.py's checks
of every loss against its NumPy reference: PyTorch's extras (class weights, ignore_index, class-probability targets,
one-sample and spatial inputs), their errors, no counted targets (every target ignored, an empty batch) and label
smoothing, against NumPy references and, where PyTorch is installed, against it directly."""
import warnings
import zlib

import numpy as np
import pytest

import autograd_core as ag
import nn
import nn.functional as F
import test_losses
from test_losses import REDUCTIONS, _class_data, _engine, _logsumexp, _onehot, _softmax, ce_ref


@pytest.fixture(autouse=True)
def _rng_of_this_test(request):
    global rng  # each test's own generator, here and in test_losses' _class_data
    rng = test_losses.rng = np.random.default_rng(zlib.crc32(request.node.nodeid.encode()))


# ---- PyTorch extras: weights, ignore_index, probability targets, other shapes ----------------------
def test_cross_entropy_weight_and_ignore_index_follow_pytorchs_weighted_mean():
    z, y = _class_data()
    y[2] = -100
    w = np.array([0.5, 2.0, 1.0, 3.0])
    x = ag.tensor(z, requires_grad=True)
    loss = nn.CrossEntropyLoss(weight=w)(x, y)
    loss.backward()
    keep = y != -100
    wy = w[y[keep]]
    per_element, vjp = ce_ref(z[keep], y[keep])
    np.testing.assert_allclose(loss.item(), (wy * per_element).sum() / wy.sum(), rtol=1e-12)
    expected = np.zeros_like(z)
    expected[keep] = vjp(wy / wy.sum())
    np.testing.assert_allclose(x.grad.data, expected, rtol=1e-10, atol=1e-14)


def test_cross_entropy_ignore_index_that_is_a_valid_class_is_ignored():
    z, y = _class_data()
    y[:2] = 1  # ignore_index=1 is a class index too: those rows must drop out, not be counted
    x = ag.tensor(z, requires_grad=True)
    loss = nn.CrossEntropyLoss(ignore_index=1)(x, y)
    loss.backward()
    keep = y != 1
    per_element, vjp = ce_ref(z[keep], y[keep])
    np.testing.assert_allclose(loss.item(), per_element.mean(), rtol=1e-12)
    expected = np.zeros_like(z)
    expected[keep] = vjp(np.full(keep.sum(), 1 / keep.sum()))
    np.testing.assert_allclose(x.grad.data, expected, rtol=1e-10, atol=1e-14)


def test_cross_entropy_with_class_probability_targets():
    z = rng.normal(size=(5, 3))
    q = rng.dirichlet(np.ones(3), size=5)
    x = ag.tensor(z, requires_grad=True)
    loss = F.cross_entropy(x, q)
    loss.backward()
    log_p = z - _logsumexp(z)[:, None]
    np.testing.assert_allclose(loss.item(), -(q * log_p).sum(axis=1).mean(), rtol=1e-12)
    np.testing.assert_allclose(x.grad.data, (_softmax(z) - q) / 5, rtol=1e-10, atol=1e-14)


def test_cross_entropy_with_probability_targets_refuses_a_class_as_ignore_index():
    z, q = rng.normal(size=(5, 3)), rng.dirichlet(np.ones(3), size=5)
    for ignore_index in (0, 2, 7):  # torch: "ignore_index is not supported for floating point target"
        with pytest.raises(ValueError, match=rf"cross_entropy: ignore_index={ignore_index} is not supported for "
                                             r"class-probability \(floating point\) targets"):
            F.cross_entropy(ag.tensor(z), q, ignore_index=ignore_index)
        with pytest.raises(ValueError, match="cross_entropy: ignore_index"):
            nn.CrossEntropyLoss(ignore_index=ignore_index)(ag.tensor(z), q)
    expected = -(q * (z - _logsumexp(z)[:, None])).sum(axis=1).mean()
    for ignore_index in (-100, -1):  # a negative one matches no class: accepted, as in torch
        np.testing.assert_allclose(F.cross_entropy(ag.tensor(z), q, ignore_index=ignore_index).item(), expected,
                                   rtol=1e-12)


def test_cross_entropy_on_one_sample_and_on_spatial_inputs():
    z = rng.normal(size=4)
    assert np.isclose(F.cross_entropy(ag.tensor(z), np.array(2)).item(), ce_ref(z[None], np.array([2]))[0][0])
    for loss in (F.cross_entropy, lambda z, y, **kw: F.nll_loss(ag.log_softmax(z), y, **kw)):
        assert loss(ag.tensor(z), np.array(2), reduction="none").shape == ()  # one sample: a scalar, as torch
    z = rng.normal(size=(2, 3, 5))  # (N, C, d)
    y = rng.integers(0, 3, size=(2, 5))
    per_element = F.cross_entropy(ag.tensor(z), y, reduction="none")
    flat = np.moveaxis(z, 1, -1).reshape(-1, 3)
    assert per_element.shape == (2, 5)
    np.testing.assert_allclose(per_element.data.ravel(), ce_ref(flat, y.ravel())[0], rtol=1e-12)


# ---- errors ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("bad", [4, -1])
def test_cross_entropy_target_out_of_range_names_the_valid_range(bad):
    z = ag.tensor(rng.normal(size=(3, 4)))
    with pytest.raises((ValueError, IndexError), match=r"class -?\d+ is out of range.*4 classes.*0\.\.3"):
        nn.CrossEntropyLoss()(z, np.array([0, bad, 1]))


def test_cross_entropy_rejects_float_class_indices_and_wrong_target_shape():
    z = ag.tensor(rng.normal(size=(3, 4)))
    with pytest.raises(ValueError, match=r"target shape \(2,\).*\(3, 4\)"):
        F.cross_entropy(z, np.array([0, 1]))
    with pytest.raises(TypeError, match="integers"):
        F.nll_loss(z, np.array([0.0, 1.0, 2.0]))


@pytest.mark.parametrize("loss", [F.cross_entropy, F.nll_loss])
def test_a_0_d_input_has_no_class_axis_and_is_refused_naming_the_loss(loss):
    with pytest.raises(ValueError, match=rf"{loss.__name__}: input of shape \(\) has no class axis; expected \(C,\)"):
        loss(ag.tensor(1.0), 0)


def test_spatial_targets_of_the_wrong_shape_are_rejected_even_with_the_same_size():
    z = ag.tensor(rng.normal(size=(2, 3, 4)))  # (N, C, d): targets must be (2, 4)
    with pytest.raises(ValueError, match=r"cross_entropy: target shape \(4, 2\).*\(2, 3, 4\).*expected \(2, 4\)"):
        F.cross_entropy(z, np.zeros((4, 2), dtype=int), reduction="none")
    with pytest.raises(ValueError, match=r"nll_loss: target shape \(8,\).*\(2, 3, 4\).*expected \(2, 4\)"):
        nn.NLLLoss()(z, np.zeros(8, dtype=int))
    with pytest.raises(ValueError, match=r"cross_entropy: target shape \(2,\).*\(3,\)"):
        F.cross_entropy(ag.zeros(3), np.array([0, 1]))


@pytest.mark.parametrize("make", [nn.CrossEntropyLoss, nn.NLLLoss])
def test_weight_of_the_wrong_length_names_the_function_and_both_sizes(make):
    z = ag.tensor(rng.normal(size=(3, 5)))
    with pytest.raises(ValueError, match=r"(cross_entropy|nll_loss): weight tensor should be defined either for all "
                                         r"5 classes or no classes: weight has shape \(3,\).*5 classes.*\(5,\)"):
        make(weight=np.ones(3))(z, np.array([0, 4, 2]))
    with pytest.raises(RuntimeError, match=r"cross_entropy: .*weight has shape \(2, 5\).*5 classes"):
        F.cross_entropy(z, rng.dirichlet(np.ones(5), size=3), weight=np.ones((2, 5)))
    torch = pytest.importorskip("torch")  # (PyTorch's words, which its test_nll_loss_invalid_weights matches)
    with pytest.raises(RuntimeError, match="weight tensor should be defined either for all 5 classes or no classes"):
        getattr(torch.nn, make.__name__)(weight=torch.ones(3))(torch.tensor(z.data), torch.tensor([0, 4, 2]))


def test_a_target_that_is_no_row_of_class_indices_is_named_in_pytorchs_words():
    z = ag.tensor(rng.normal(size=(3, 5)))
    with pytest.raises(ValueError, match=r"nll_loss: Expected input batch_size \(3\) to match target batch_size "
                                         r"\(2\).*target shape \(2,\) does not match input shape \(3, 5\)"):
        F.nll_loss(z, np.array([0, 1]))
    with pytest.raises(RuntimeError, match=r"cross_entropy: 1D target tensor expected, multi-target not supported"):
        F.cross_entropy(z, np.zeros((3, 2), dtype=np.int64))
    torch = pytest.importorskip("torch")
    with pytest.raises(ValueError, match=r"Expected input batch_size \(3\) to match target batch_size \(2\)"):
        torch.nn.functional.nll_loss(torch.tensor(z.data), torch.tensor([0, 1]))
    with pytest.raises(RuntimeError, match=r"1D target tensor expected, multi-target not supported"):
        torch.nn.functional.nll_loss(torch.tensor(z.data), torch.zeros((3, 2), dtype=torch.int64))


def test_nll_loss_with_float_targets_does_not_suggest_probability_targets_it_does_not_take():
    with pytest.raises(TypeError, match=r"^nll_loss: class targets must be integers \(class indices\), got dtype "
                                        r"float64$"):
        nn.NLLLoss()(ag.ones((4, 3)), np.ones((4, 3)))


def test_ignore_index_may_be_a_0_d_integer_array_or_tensor_as_in_torch():
    z = ag.tensor([[1.0, 2.0], [0.5, 0.0]])
    expected = nn.CrossEntropyLoss(ignore_index=1)(z, np.array([0, 1])).item()
    for index in (np.int64(1), np.array(1), ag.tensor(1)):
        assert nn.CrossEntropyLoss(ignore_index=index)(z, np.array([0, 1])).item() == expected


@pytest.mark.parametrize("ignore_index, error", [(1.0, TypeError), ("x", TypeError), (np.array([1, 2]), TypeError)])
def test_functional_nll_loss_checks_ignore_index_as_nn_nll_loss_does(ignore_index, error):
    # A float ignore_index equal to a class was silently compared with the integer targets.
    logp = F.log_softmax(ag.tensor(np.arange(6.0).reshape(2, 3)), dim=1)
    with pytest.raises(error, match=r"^nll_loss: ignore_index must be an int"):
        F.nll_loss(logp, np.array([0, 1]), ignore_index=ignore_index)


@pytest.mark.parametrize("loss", [F.cross_entropy, F.nll_loss])
def test_a_single_out_of_range_class_target_is_a_value_error_naming_it(loss):
    # TargetRangeError is a ValueError (and an IndexError, as torch raises): one bad target among good ones.
    with pytest.raises(ValueError, match=r"^(cross_entropy|nll_loss): target class 7 is out of range for an input "
                                         r"with 3 classes; valid class indices are 0\.\.2$"):
        loss(ag.zeros((4, 3)), np.array([0, 7, 2, 1]))


# ---- no counted targets: every target ignored, or an empty batch ------------------------------------
@pytest.mark.parametrize("kwargs", [{}, {"weight": np.array([0.5, 2.0, 1.0, 3.0])}, {"label_smoothing": 0.2}])
def test_every_target_ignored_gives_nan_mean_with_zero_gradient_and_no_warning(kwargs):
    z = rng.normal(size=(5, 4))
    x = ag.tensor(z, requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no 0 / 0 in the forward or the backward pass
        loss = nn.CrossEntropyLoss(**kwargs)(x, np.full(5, -100))
        loss.backward()
        assert np.isnan(loss.item())  # as PyTorch: 0 / 0 counted targets
        np.testing.assert_array_equal(x.grad.data, np.zeros((5, 4)))  # PyTorch's gradient, not NaN
        total = nn.CrossEntropyLoss(reduction="sum", **kwargs)(ag.tensor(z), np.full(5, -100))
    assert total.item() == 0.0


@pytest.mark.parametrize("label_smoothing", [0.0, 0.3])
@pytest.mark.parametrize("probabilities", [False, True])
def test_empty_batch_gives_nan_mean_zero_sum_and_empty_none_as_pytorch(probabilities, label_smoothing):
    target = np.zeros((0, 3)) if probabilities else np.zeros(0, dtype=int)
    expected = {"mean": np.nan, "sum": 0.0, "none": np.zeros(0)}
    for reduction, value in expected.items():
        x = ag.tensor(np.zeros((0, 3)), requires_grad=True)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            loss = F.cross_entropy(x, target, reduction=reduction, label_smoothing=label_smoothing)
            loss.backward(np.zeros(0) if reduction == "none" else None)
        np.testing.assert_array_equal(loss.data, value)
        assert x.grad.shape == (0, 3)
    assert np.isnan(F.nll_loss(ag.zeros((0, 3)), np.zeros(0, dtype=int), weight=np.ones(3)).item())


# ---- label smoothing --------------------------------------------------------------------------------
def smoothed_ce_ref(z, y, s, w=None, ignore_index=-100, probabilities=False):
    """PyTorch's documented label smoothing: the target becomes q = (1 - s) y + s / C (y one-hot for
    class indices), the per-sample loss -sum_c w_c q_nc log softmax(z)_nc (0 for ignored targets).
    Returns the per-sample losses, the mean's denominator (sum of w[y_n] over counted class targets,
    N for probabilities) and u -> d(sum u * loss)/dz."""
    n, c = z.shape
    w = np.ones(c) if w is None else w
    if probabilities:
        keep, counted, q = np.ones(n, bool), n, (1 - s) * y + s / c
    else:
        keep = y != ignore_index
        y = np.where(keep, y, 0)
        counted, q = w[y][keep].sum(), (1 - s) * _onehot(y, c) + s / c
    a = w * q * keep[:, None]
    loss = -(a * (z - _logsumexp(z)[:, None])).sum(axis=1)
    return loss, counted, lambda u: u[:, None] * (_softmax(z) * a.sum(axis=1, keepdims=True) - a)


def _smoothing_case(weighted, ignore, probabilities):
    z, y = _class_data()
    if probabilities:
        y = rng.dirichlet(np.ones(4), size=7)
    elif ignore is not None:
        y[[1, 4]] = 2 if ignore == 2 else -100
        y[0] = 3  # at least one target counts (every target ignored is tested on its own below)
    w = np.array([0.5, 2.0, 1.0, 3.0]) if weighted else None
    return z, y, w, {} if ignore is None else {"ignore_index": ignore}


SMOOTHING_CASES = [(weighted, ignore, False) for weighted in (False, True) for ignore in (None, -100, 2)] + [
    (weighted, None, True) for weighted in (False, True)]


@pytest.mark.parametrize("s", [0.1, 0.35, 1.0])
@pytest.mark.parametrize("weighted, ignore, probabilities", SMOOTHING_CASES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_label_smoothing_equals_numpy_reference(reduction, weighted, ignore, probabilities, s):
    z, y, w, kwargs = _smoothing_case(weighted, ignore, probabilities)
    loss, counted, vjp = smoothed_ce_ref(z, y, s, w, kwargs.get("ignore_index", -100), probabilities)
    upstream = rng.normal(size=7)
    expected = {"mean": (loss.sum() / counted, vjp(np.full(7, 1 / counted))), "sum": (loss.sum(), vjp(np.ones(7))),
                "none": (loss, vjp(upstream))}[reduction]
    for loss_fn in (nn.CrossEntropyLoss(weight=w, reduction=reduction, label_smoothing=s, **kwargs),
                    lambda a, b: F.cross_entropy(a, b, w, reduction=reduction, label_smoothing=s, **kwargs)):
        value, grad = _engine(loss_fn, z, y, reduction, upstream)
        np.testing.assert_allclose(value, expected[0], rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(grad, expected[1], rtol=1e-10, atol=1e-12)


def test_label_smoothing_on_spatial_and_one_sample_inputs():
    z, y = rng.normal(size=(2, 4, 3)), rng.integers(0, 4, size=(2, 3))  # (N, C, d)
    flat = np.moveaxis(z, 1, -1).reshape(-1, 4)
    loss = F.cross_entropy(ag.tensor(z), y, reduction="none", label_smoothing=0.2)
    np.testing.assert_allclose(loss.data.ravel(), smoothed_ce_ref(flat, y.ravel(), 0.2)[0], rtol=1e-12)
    one = F.cross_entropy(ag.tensor(z[0, :, 0]), np.array(y[0, 0]), label_smoothing=0.2)
    np.testing.assert_allclose(one.item(), loss.data[0, 0], rtol=1e-12)


@pytest.mark.parametrize("s", [-0.1, 1.5])
def test_label_smoothing_outside_0_1_is_rejected(s):
    with pytest.raises(ValueError, match=r"CrossEntropyLoss: label_smoothing must be a number in \[0, 1\]"):
        nn.CrossEntropyLoss(label_smoothing=s)
    with pytest.raises(ValueError, match=r"cross_entropy: label_smoothing must be a number in \[0, 1\]"):
        F.cross_entropy(ag.zeros((1, 2)), np.array([0]), label_smoothing=s)


@pytest.mark.parametrize("weighted, ignore, probabilities", SMOOTHING_CASES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_label_smoothing_matches_torch(reduction, weighted, ignore, probabilities):
    torch = pytest.importorskip("torch")
    z, y, w, kwargs = _smoothing_case(weighted, ignore, probabilities)
    upstream = rng.normal(size=7)
    module = nn.CrossEntropyLoss(weight=w, reduction=reduction, label_smoothing=0.15, **kwargs)
    value, grad = _engine(module, z, y, reduction, upstream)
    tz = torch.tensor(z, requires_grad=True)
    tw = None if w is None else torch.tensor(w)
    tloss = torch.nn.CrossEntropyLoss(weight=tw, reduction=reduction, label_smoothing=0.15, **kwargs)(
        tz, torch.tensor(y))
    tloss.backward(torch.tensor(upstream) if reduction == "none" else None)
    np.testing.assert_allclose(value, tloss.detach().numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(grad, tz.grad.numpy(), rtol=1e-10, atol=1e-12)


def test_cross_entropy_edge_cases_match_torch():
    torch = pytest.importorskip("torch")
    z = rng.normal(size=(4, 3))
    for target, kwargs in [(np.full(4, -100), {}), (np.full(4, -100), {"label_smoothing": 0.3}),
                           (np.zeros(0, dtype=int), {})]:
        zz = z[:len(target)]
        x, tx = ag.tensor(zz, requires_grad=True), torch.tensor(zz, requires_grad=True)
        loss, tloss = F.cross_entropy(x, target, **kwargs), torch.nn.functional.cross_entropy(
            tx, torch.tensor(target), **kwargs)
        loss.backward()
        tloss.backward()
        np.testing.assert_array_equal(loss.data, tloss.detach().numpy())
        np.testing.assert_array_equal(x.grad.data, tx.grad.numpy())


@pytest.mark.parametrize("label_smoothing", [False, np.array([0.0]), np.array([0.0, 0.0])])
def test_label_smoothing_that_merely_equals_zero_is_still_checked(label_smoothing):
    with pytest.raises(TypeError, match=r"cross_entropy: label_smoothing must be a number in \[0, 1\]"):
        F.cross_entropy(ag.zeros((1, 2)), np.array([0]), label_smoothing=label_smoothing)
