"""F.ctc_loss and nn.CTCLoss: values against a NumPy forward algorithm in probability space and against the sum over
every path (tiny cases, no torch needed), gradients to second order against finite differences, impossible targets and
zero_infinity, the reductions, the target layouts, the errors; and against PyTorch (skipped without it): values, and
gradients through log_softmax (on raw log_probs PyTorch's gradient adds exp(log_probs); ours is the derivative).
Non-finite log-probabilities give PyTorch's losses (written out, so they run without torch) and finite gradients off the
alignments."""
import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd_core as ag
import nn
import nn.functional as F
from autograd_core.testing import gradcheck, gradgradcheck, numerical_grad


# ---- NumPy references ------------------------------------------------------------------------------------------
def forward_probability(probs, labels, blank=0):
    """p(labels | probs) for one sample, probs (T, C), by Graves et al.'s alpha recursion in probability space."""
    extended = [blank]
    for label in labels:
        extended += [label, blank]
    alpha = np.zeros(len(extended))
    alpha[0] = 1.0
    for t in range(len(probs)):  # alpha before frame t -> after it
        new = np.zeros_like(alpha)
        for s, label in enumerate(extended):
            total = alpha[s] + (alpha[s - 1] if s >= 1 else 0)
            if s >= 2 and label != blank and label != extended[s - 2]:
                total += alpha[s - 2]
            new[s] = total * probs[t, label]
        alpha = new
    return alpha[-1] + (alpha[-2] if len(extended) > 1 else 0)


def path_probability(probs, labels, blank=0):
    """p(labels | probs) as the sum over every path of frames that collapses to labels (merge repeats, drop
    blanks): C**T paths, for tiny cases."""
    total = 0.0
    for path in itertools.product(range(probs.shape[1]), repeat=len(probs)):
        collapsed = [c for i, c in enumerate(path) if c != blank and (i == 0 or c != path[i - 1])]
        if collapsed == list(labels):
            total += np.prod(probs[np.arange(len(probs)), path])
    return total


def reference(log_probs, labels, input_lengths, target_lengths, blank=0, reduction="mean", zero_infinity=False):
    """ctc_loss by forward_probability, for padded labels (N, S) and log_probs (T, N, C)."""
    losses = []
    for n in range(log_probs.shape[1]):
        probs = np.exp(log_probs[:input_lengths[n], n])
        p = forward_probability(probs, labels[n][:target_lengths[n]], blank)
        with np.errstate(divide="ignore"):
            losses.append(-np.log(p))
    losses = np.array(losses)
    if zero_infinity:
        losses = np.where(losses == np.inf, 0, losses)
    if reduction == "none":
        return losses
    if reduction == "sum":
        return losses.sum()
    return (losses / np.maximum(target_lengths, 1)).mean()


def random_case(rng, frames, samples, classes, longest, blank=0):
    """log_probs (T, N, C) (a log_softmax of normal logits), padded labels (N, longest) (padding -1), lengths."""
    logits = rng.normal(size=(frames, samples, classes))
    log_probs = logits - np.log(np.exp(logits).sum(axis=2, keepdims=True))
    target_lengths = rng.integers(0, longest + 1, size=samples)
    input_lengths = rng.integers(max(frames - 2, 0), frames + 1, size=samples)
    choices = [c for c in range(classes) if c != blank]
    labels = np.full((samples, longest), -1)
    for n in range(samples):
        labels[n, :target_lengths[n]] = rng.choice(choices, size=target_lengths[n])
    return logits, log_probs, labels, input_lengths, target_lengths


# ---- values ----------------------------------------------------------------------------------------------------
def test_the_references_agree_with_each_other():
    rng = np.random.default_rng(0)
    for labels in ([], [1], [1, 1], [1, 2], [2, 1, 2], [1, 1, 1]):
        probs = rng.dirichlet(np.ones(3), size=4)
        assert forward_probability(probs, labels) == pytest.approx(path_probability(probs, labels), rel=1e-12)


@pytest.mark.parametrize("labels", [[], [1], [2, 2], [1, 2], [1, 2, 1], [2, 2, 2]])
@pytest.mark.parametrize("blank", [0, 2])
def test_one_sample_is_minus_log_of_the_sum_over_paths(labels, blank):
    rng = np.random.default_rng(len(labels))
    labels = [blank - 1 if label == blank else label for label in labels]  # (no label is the blank)
    probs = rng.dirichlet(np.ones(3), size=5)
    loss = F.ctc_loss(ag.tensor(np.log(probs)), np.array(labels, dtype=np.int64), 5, len(labels), blank=blank,
                      reduction="sum")
    expected = -np.log(path_probability(probs, labels, blank))
    assert loss.shape == () and loss.item() == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("seed", range(4))
def test_batches_against_the_forward_algorithm(reduction, seed):
    rng = np.random.default_rng(seed)
    _, log_probs, labels, input_lengths, target_lengths = random_case(rng, 6, 4, 4, 3, blank=seed % 4)
    got = F.ctc_loss(ag.tensor(log_probs), labels, input_lengths, target_lengths, blank=seed % 4,
                     reduction=reduction)
    np.testing.assert_allclose(got.data, reference(log_probs, labels, input_lengths, target_lengths, seed % 4,
                                                   reduction), rtol=1e-12)


def test_concatenated_targets_equal_padded_ones_and_lengths_take_any_form():
    rng = np.random.default_rng(1)
    _, log_probs, labels, input_lengths, target_lengths = random_case(rng, 5, 3, 4, 3)
    padded = F.ctc_loss(ag.tensor(log_probs), labels, input_lengths, target_lengths, reduction="none")
    concatenated = np.concatenate([labels[n, :target_lengths[n]] for n in range(3)])
    for lengths in (tuple, list, np.array, ag.tensor):
        got = F.ctc_loss(ag.tensor(log_probs), ag.tensor(concatenated), lengths(input_lengths.tolist()),
                         lengths(target_lengths.tolist()), reduction="none")
        np.testing.assert_array_equal(got.data, padded.data)


def test_unbatched_input_gives_a_0d_loss():
    rng = np.random.default_rng(2)
    _, log_probs, labels, _, _ = random_case(rng, 5, 1, 3, 2)
    labels[0] = [1, 2]
    batched = F.ctc_loss(ag.tensor(log_probs), labels, [5], [2], reduction="none")
    for lengths in ((5, 2), ([5], [2]), (np.array(5), np.array(2))):
        got = F.ctc_loss(ag.tensor(log_probs[:, 0]), labels[0], *lengths, reduction="none")
        assert got.shape == () and got.item() == batched.data[0]


def test_float32_stays_float32():
    rng = np.random.default_rng(3)
    _, log_probs, labels, input_lengths, target_lengths = random_case(rng, 5, 2, 3, 2)
    got = F.ctc_loss(ag.tensor(log_probs.astype(np.float32)), labels, input_lengths, target_lengths)
    assert got.dtype == np.float32
    assert got.item() == pytest.approx(reference(log_probs, labels, input_lengths, target_lengths), rel=1e-5)


def test_no_frames_and_empty_targets():
    log_probs = np.log(np.full((3, 2, 2), 0.5))
    got = F.ctc_loss(ag.tensor(log_probs), np.zeros((2, 0), np.int64), [0, 3], [0, 0], reduction="none")
    np.testing.assert_allclose(got.data, [0.0, 3 * np.log(2)])  # no frame, no label: probability 1


# ---- impossible targets ----------------------------------------------------------------------------------------
def test_impossible_targets_give_inf_or_zero_with_zero_gradient():
    rng = np.random.default_rng(4)
    logits = ag.tensor(rng.normal(size=(2, 2, 3)), requires_grad=True)
    labels, lengths = np.array([[1, 1], [1, 2]]), ([2, 2], [2, 2])  # [1, 1] needs 3 frames (a blank between)
    losses = F.ctc_loss(ag.log_softmax(logits, axis=2), labels, *lengths, reduction="none")
    assert losses.data[0] == np.inf and np.isfinite(losses.data[1])
    losses.sum().backward()
    assert np.all(logits.grad.data[:, 0] == 0) and np.all(np.isfinite(logits.grad.data))
    kept = logits.grad.data.copy()
    logits.grad = None
    zeroed = F.ctc_loss(ag.log_softmax(logits, axis=2), labels, *lengths, reduction="sum", zero_infinity=True)
    assert zeroed.item() == losses.data[1]
    zeroed.backward()
    np.testing.assert_array_equal(logits.grad.data, kept)
    assert F.ctc_loss(ag.log_softmax(logits, axis=2), labels, *lengths).item() == np.inf
    assert nn.CTCLoss(zero_infinity=True)(ag.log_softmax(logits, axis=2), labels, *lengths).item() == \
        pytest.approx(losses.data[1] / 2 / 2)


def test_zero_probabilities_are_handled_without_nan():
    probs = np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])  # exactly the path 1, -, 2
    log_probs = ag.tensor(np.where(probs == 0, -np.inf, 0.0), requires_grad=True)
    loss = F.ctc_loss(log_probs, np.array([1, 2]), 3, 2, reduction="sum")
    assert loss.item() == 0
    loss.backward()
    assert np.all(np.isfinite(log_probs.grad.data))
    assert F.ctc_loss(log_probs, np.array([2, 1]), 3, 2).item() == np.inf


# ---- gradients -------------------------------------------------------------------------------------------------
def test_the_gradient_on_log_probs_is_the_derivative():
    rng = np.random.default_rng(5)
    _, log_probs, labels, input_lengths, target_lengths = random_case(rng, 4, 2, 3, 2)
    x = ag.tensor(log_probs, requires_grad=True)
    F.ctc_loss(x, labels, input_lengths, target_lengths, reduction="sum").backward()
    expected = numerical_grad(lambda v: F.ctc_loss(v, labels, input_lengths, target_lengths, reduction="sum"),
                              log_probs)[0]
    np.testing.assert_allclose(x.grad.data, expected, atol=1e-7)


@pytest.mark.parametrize("reduction", ["mean", "none"])
def test_gradcheck_and_gradgradcheck(reduction):
    rng = np.random.default_rng(6)
    logits, _, labels, _, _ = random_case(rng, 3, 2, 3, 2)
    labels = np.array([[1, 1], [2, 0]])

    def loss(z):
        return F.ctc_loss(ag.log_softmax(z, axis=2), labels, [3, 2], [2, 1], reduction=reduction)

    assert gradcheck(loss, ag.tensor(logits, requires_grad=True))
    assert gradgradcheck(loss, ag.tensor(logits, requires_grad=True))
    raw = rng.normal(size=(3, 2, 3)) - 1  # on log_probs themselves (not normalised)
    assert gradgradcheck(lambda v: F.ctc_loss(v, labels, [3, 3], [2, 1], reduction="sum"),
                         ag.tensor(raw, requires_grad=True))


@settings(max_examples=15, deadline=None)
@given(st.integers(1, 5), st.integers(1, 3), st.integers(2, 4), st.integers(0, 3), st.integers(0, 2 ** 31))
def test_random_cases_against_the_forward_algorithm(frames, samples, classes, longest, seed):
    rng = np.random.default_rng(seed)
    blank = int(rng.integers(classes))
    _, log_probs, labels, input_lengths, target_lengths = random_case(rng, frames, samples, classes, longest, blank)
    got = F.ctc_loss(ag.tensor(log_probs), labels, input_lengths, target_lengths, blank=blank, reduction="none")
    np.testing.assert_allclose(got.data, reference(log_probs, labels, input_lengths, target_lengths, blank, "none"),
                               rtol=1e-11)


# ---- the module and the errors ---------------------------------------------------------------------------------
def test_module_settings_and_repr():
    loss = nn.CTCLoss(blank=2, reduction="sum", zero_infinity=True)
    assert repr(loss) == "CTCLoss(blank=2, reduction='sum', zero_infinity=True)"
    log_probs = np.log(np.full((2, 1, 3), 1 / 3))
    assert loss(ag.tensor(log_probs), np.array([[0, 1]]), [2], [2]).item() == pytest.approx(2 * np.log(3))
    with pytest.raises(ValueError, match="CTCLoss: blank must be an int >= 0, got -1"):
        nn.CTCLoss(blank=-1)
    with pytest.raises(ValueError, match="CTCLoss: reduction must be one of"):
        nn.CTCLoss(reduction="avg")


GOOD = dict(log_probs=np.log(np.full((3, 2, 3), 1 / 3)), targets=np.array([[1, 2], [1, 0]]),
            input_lengths=[3, 3], target_lengths=[2, 1])


@pytest.mark.parametrize("change, error, message", [
    (dict(blank=3), ValueError, r"ctc_loss: blank must be a class index in \[0, 2\] \(log_probs has 3 classes\)"),
    (dict(blank=-1), ValueError, r"blank must be a class index in \[0, 2\]"),
    (dict(input_lengths=[4, 3]), ValueError, "input_lengths must be at most the number of frames T=3"),
    (dict(input_lengths=[-1, 3]), ValueError, "input_lengths must be >= 0, got -1"),
    (dict(target_lengths=[3, 1]), ValueError, r"padded targets must have shape \(N, S\) with N=2 samples and S >= "
                                              "the longest target_length, 3; got shape \\(2, 2\\)"),
    (dict(target_lengths=[-1, 1]), ValueError, "target_lengths must be >= 0"),
    (dict(input_lengths=[3, 3, 3]), ValueError, r"input_lengths must hold one length per sample, 2 of them"),
    (dict(target_lengths=[2]), ValueError, r"target_lengths must hold one length per sample"),
    (dict(input_lengths=3), ValueError, r"input_lengths must hold one length per sample.*got shape \(\)"),
    (dict(input_lengths=[3.0, 3.0]), TypeError, "input_lengths must hold integers"),
    (dict(targets=np.array([1, 2, 1, 1])), ValueError, r"concatenated targets \(1-D\) must hold sum\(target_lengths"
                                                       r"\) = 3 labels, got 4"),
    (dict(targets=np.array([[1.0, 2.0], [1.0, 0.0]])), TypeError, "targets must hold integers"),
    (dict(targets=np.array([[[1, 2]]])), ValueError, r"targets must have shape \(N, S\) \(padded\)"),
    (dict(targets=np.array([[1, 3], [1, 0]])), ValueError, r"target label 3 is not valid for log_probs with 3 "
                                                           r"classes and blank=0"),
    (dict(targets=np.array([[1, 0], [1, 0]])), ValueError, "target label 0 is not valid"),
    (dict(log_probs=np.zeros((3, 0, 3))), ValueError, "log_probs tensor must not be empty, got shape \\(3, 0, 3\\)"),
    (dict(log_probs=np.zeros((3, 2, 3, 1))), ValueError, r"log_probs must have shape \(T, N, C\)"),
    (dict(log_probs=np.zeros((3, 2, 3), np.int64)), TypeError, "ctc_loss: expected an input of a float dtype"),
    (dict(reduction="avg"), ValueError, "ctc_loss: reduction must be one of"),
    (dict(zero_infinity="yes"), TypeError, "zero_infinity"),
])
def test_errors(change, error, message):
    arguments = {**GOOD, **change}
    with pytest.raises(error, match=message):
        F.ctc_loss(**arguments)


def test_unbatched_errors():
    with pytest.raises(ValueError, match=r"concatenated targets \(1-D\) must hold sum\(target_lengths\) = 1 labels, "
                                         r"got 2"):
        F.ctc_loss(GOOD["log_probs"][:, 0], np.array([1, 2]), 3, 1)  # (a 1-D target is concatenated, as torch's)
    padded = F.ctc_loss(GOOD["log_probs"][:, 0], np.array([[1, 2, 0]]), 3, 2)
    assert padded.item() == F.ctc_loss(GOOD["log_probs"][:, 0], np.array([1, 2]), 3, 2).item()
    with pytest.raises(ValueError, match=r"input_lengths must hold one length per sample, 1 of them"):
        F.ctc_loss(GOOD["log_probs"][:, 0], np.array([1, 2]), [3, 3], 2)


def test_padding_beyond_the_lengths_is_ignored():
    log_probs = ag.tensor(np.log(np.full((3, 2, 3), 1 / 3)))
    a = F.ctc_loss(log_probs, np.array([[1, -5], [2, 99]]), [3, 3], [1, 1], reduction="none")
    b = F.ctc_loss(log_probs, np.array([[1, 0], [2, 0]]), [3, 3], [1, 1], reduction="none")
    np.testing.assert_array_equal(a.data, b.data)


# ---- against PyTorch -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("seed", range(3))
def test_against_torch(reduction, dtype, seed):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(seed)
    blank = int(rng.integers(4))
    logits, _, labels, input_lengths, target_lengths = random_case(rng, 7, 3, 4, 3, blank)
    logits = logits.astype(dtype)
    ours = ag.tensor(logits, requires_grad=True)
    loss = F.ctc_loss(ag.log_softmax(ours, axis=2), labels, input_lengths, target_lengths, blank, reduction, True)
    theirs = torch.tensor(logits, requires_grad=True)
    expected = torch.nn.functional.ctc_loss(theirs.log_softmax(2), torch.tensor(np.maximum(labels, 0)),
                                            tuple(input_lengths), tuple(target_lengths), blank, reduction, True)
    cotangent = rng.normal(size=loss.shape)
    (loss * cotangent).sum().backward()
    (expected * torch.tensor(cotangent, dtype=expected.dtype)).sum().backward()
    tolerance = dict(rtol=1e-12, atol=1e-12) if dtype == np.float64 else dict(rtol=1e-4, atol=1e-5)
    assert loss.dtype == dtype
    np.testing.assert_allclose(loss.data, expected.detach().numpy(), **tolerance)
    np.testing.assert_allclose(ours.grad.data, theirs.grad.numpy(), **tolerance)


def test_against_torch_unbatched_and_impossible():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(9)
    logits = rng.normal(size=(3, 4))
    for labels in ([1, 1], [1, 1, 2], [3], []):
        ours = F.ctc_loss(ag.log_softmax(ag.tensor(logits), axis=1), np.array(labels, np.int64), 3, len(labels),
                          reduction="none")
        theirs = torch.nn.functional.ctc_loss(torch.tensor(logits).log_softmax(1), torch.tensor(labels).long(),
                                              (3,), (len(labels),), reduction="none")
        assert ours.shape == tuple(theirs.shape) == ()
        np.testing.assert_allclose(ours.item(), theirs.item(), rtol=1e-12)


# ---- non-finite log-probabilities ------------------------------------------------------------------------------
# PyTorch's kernel computes every state of the sample from the second frame on (an unreachable one as -inf +
# log_probs, NaN for NaN or +inf) and its logsumexp of a +inf is NaN; a NaN or +inf in the first frame off the
# alignments, or on a state from which the end cannot be reached, changes nothing. The expected losses are PyTorch
# 2.13's, written out so that the tests run without torch.

# 5 frames, 2 samples, 4 classes: sample 0 reads [1, 2, 3] (states b 1 b 2 b 3 b), sample 1 the empty target
CTC_LOG_PROBS = np.log(np.random.default_rng(0).dirichlet(np.ones(4), size=(5, 2)))
CTC_TARGETS = np.array([[1, 2, 3], [2, 0, 0]])
CTC_INPUT_LENGTHS, CTC_TARGET_LENGTHS = np.array([5, 5]), np.array([3, 0])
CTC_CLEAN = [2.6075419864942035, 7.852519249683588]  # PyTorch's losses without the non-finite entry
NAN = np.nan
CTC_CASES = [  # (frame, sample, class, value) -> PyTorch 2.13's losses (reduction="none")
    ((1, 0, 3, np.nan), [NAN, CTC_CLEAN[1]]),  # label 3 (state 5) is out of reach at frame 1: PyTorch NaN
    ((1, 0, 3, np.inf), [NAN, CTC_CLEAN[1]]),
    ((0, 0, 3, np.nan), CTC_CLEAN),  # the first frame's unreachable states are not computed
    ((4, 0, 1, np.nan), CTC_CLEAN),  # label 1 in the last frame cannot reach the end
    ((4, 0, 1, np.inf), CTC_CLEAN),
    ((2, 0, 1, np.inf), [NAN, CTC_CLEAN[1]]),  # +inf on an alignment: NaN (PyTorch's logsumexp: inf - inf)
    ((3, 1, 0, np.inf), [CTC_CLEAN[0], NAN]),
    ((4, 1, 0, np.inf), [CTC_CLEAN[0], -np.inf]),  # an empty target's loss is -alpha, no logsumexp: -inf
    ((2, 1, 0, np.nan), [CTC_CLEAN[0], NAN]),
    ((2, 1, 1, np.nan), CTC_CLEAN),  # the empty target has only blank states
]


def _ctc_log_probs(frame, sample, label, value, dtype=np.float64):
    log_probs = CTC_LOG_PROBS.astype(dtype)
    log_probs[frame, sample, label] = value
    return log_probs


@pytest.mark.parametrize("entry, expected", CTC_CASES)
def test_ctc_loss_non_finite_log_probs_give_pytorchs_losses(entry, expected):
    for dtype in (np.float64, np.float32):
        x = ag.tensor(_ctc_log_probs(*entry, dtype=dtype), requires_grad=True)
        losses = F.ctc_loss(x, CTC_TARGETS, CTC_INPUT_LENGTHS, CTC_TARGET_LENGTHS, reduction="none")
        np.testing.assert_allclose(losses.data, expected, rtol=1e-6 if dtype == np.float32 else 1e-12)
        assert losses.dtype == dtype
        losses.sum().backward()
        assert x.grad.shape == x.shape
        finite = np.isfinite(expected)
        if finite.all():  # the loss does not read the entry: its gradient there is 0 (PyTorch's adds exp(NaN))
            assert x.grad.data[entry[:3]] == 0
        totals = {"sum": np.sum(expected), "mean": np.mean(np.divide(expected, np.maximum(CTC_TARGET_LENGTHS, 1)))}
        for reduction, total in totals.items():
            for zero_infinity in (False, True):  # (it zeroes +inf losses; NaN and -inf stay)
                loss = F.ctc_loss(x, CTC_TARGETS, CTC_INPUT_LENGTHS, CTC_TARGET_LENGTHS, reduction=reduction,
                                  zero_infinity=zero_infinity)
                np.testing.assert_allclose(loss.item(), total, rtol=1e-6)


def test_ctc_loss_non_finite_log_probs_match_torch():
    torch = pytest.importorskip("torch")
    for entry, expected in CTC_CASES:
        for reduction in ("none", "sum", "mean"):
            for zero_infinity in (False, True):
                log_probs = _ctc_log_probs(*entry)
                ours = nn.CTCLoss(reduction=reduction, zero_infinity=zero_infinity)(
                    ag.tensor(log_probs), CTC_TARGETS, CTC_INPUT_LENGTHS, CTC_TARGET_LENGTHS)
                theirs = torch.nn.functional.ctc_loss(
                    torch.tensor(log_probs), torch.tensor(CTC_TARGETS), torch.tensor(CTC_INPUT_LENGTHS),
                    torch.tensor(CTC_TARGET_LENGTHS), reduction=reduction, zero_infinity=zero_infinity)
                np.testing.assert_allclose(ours.data, theirs.numpy(), rtol=1e-12, equal_nan=True)


@pytest.mark.parametrize("entry", [(3, 0, 1), (4, 0, 1), (0, 0, 3), (2, 1, 1)])
def test_ctc_loss_nan_off_the_alignments_leaves_the_true_finite_gradient(entry):
    # At (3, 0, 1) label 1 is reachable but cannot reach the end: the state is left out of the recursion, so the NaN
    # spreads no NaN through the gradient (it did, through 0 * NaN in the logsumexp of the states after it).
    clean = ag.tensor(CTC_LOG_PROBS, requires_grad=True)
    F.ctc_loss(clean, CTC_TARGETS, CTC_INPUT_LENGTHS, CTC_TARGET_LENGTHS, reduction="sum").backward()
    x = ag.tensor(_ctc_log_probs(*entry, np.nan), requires_grad=True)
    loss = F.ctc_loss(x, CTC_TARGETS, CTC_INPUT_LENGTHS, CTC_TARGET_LENGTHS, reduction="sum")
    np.testing.assert_allclose(loss.item(), sum(CTC_CLEAN), rtol=1e-12)
    loss.backward()
    expected = clean.grad.data.copy()
    expected[entry] = 0
    np.testing.assert_allclose(x.grad.data, expected, rtol=1e-12, atol=1e-15)


# ---- a NaN log-probability on a path the target can take makes the loss NaN, as PyTorch's -----------------------
# (It was dropped as if its probability were 0: the loss stayed finite.) The expected losses are PyTorch 2.13's.
LOG_PROBS = np.log(np.random.default_rng(0).dirichlet(np.ones(4), size=(6, 2)))
TARGETS, INPUT_LENGTHS, TARGET_LENGTHS = np.array([[1, 2, 3], [2, 2, 0]]), np.array([6, 5]), np.array([3, 2])


@pytest.mark.parametrize("frame, sample, label", [(2, 0, 1), (2, 0, 2), (3, 0, 1), (2, 1, 0), (3, 1, 2)])
def test_nan_log_prob_on_a_path_gives_nan(frame, sample, label):
    log_probs = LOG_PROBS.copy()
    log_probs[frame, sample, label] = np.nan
    losses = F.ctc_loss(ag.tensor(log_probs), TARGETS, INPUT_LENGTHS, TARGET_LENGTHS, reduction="none").data
    assert np.isnan(losses[sample])
    other = 1 - sample
    clean = F.ctc_loss(ag.tensor(LOG_PROBS), TARGETS, INPUT_LENGTHS, TARGET_LENGTHS, reduction="none").data
    assert losses[other] == clean[other]
    assert np.isnan(F.ctc_loss(ag.tensor(log_probs), TARGETS, INPUT_LENGTHS, TARGET_LENGTHS).data)


def test_nan_off_every_path_changes_nothing():
    log_probs = LOG_PROBS.copy()
    log_probs[0, 0, 2] = log_probs[5, 1, 2] = np.nan  # (no alignment reads these: PyTorch's losses are unchanged)
    losses = F.ctc_loss(ag.tensor(log_probs), TARGETS, INPUT_LENGTHS, TARGET_LENGTHS, reduction="none").data
    np.testing.assert_allclose(losses, [2.71189107, 3.59806995], rtol=1e-8)


def test_nan_loss_with_zero_infinity_stays_nan_and_layer_agrees():
    log_probs = LOG_PROBS.copy()
    log_probs[2, 0, 1] = np.nan
    x = ag.tensor(log_probs, requires_grad=True)
    loss = nn.CTCLoss(reduction="sum", zero_infinity=True)(x, TARGETS, INPUT_LENGTHS, TARGET_LENGTHS)
    assert np.isnan(loss.data)  # (zero_infinity zeroes inf, not NaN, as PyTorch's)
    loss.backward()
    assert x.grad.shape == x.shape


# PyTorch's test_nn (test_CTCLoss_typechecks, test_CTCLoss_lengthchecks_cpu) expects a RuntimeError for lengths of a
# float dtype, negative lengths and targets too short for their lengths: each refusal here is also one (and still
# the ValueError or TypeError nn raises), naming what is wrong.
CTC_REFUSALS = [  # (input_lengths, target_lengths, targets' shape, nn's error class, message)
    (np.array([50, 50, 50], np.float32), [30, 25, 20], (75,), TypeError,
     "input_lengths must hold integers .* got dtype float32"),
    ([50, 50, 50], np.array([30, 25, 20], np.float32), (75,), TypeError,
     "target_lengths must hold integers .* got dtype float32"),
    ([50, 50, 50], [30, 25, 20], (3, 29), ValueError,
     r"padded targets must have shape \(N, S\) with N=3 samples and S >= the longest target_length, 30; got shape "
     r"\(3, 29\)"),
    ([50, 50, 50], [-1, -1, -1], (3, 29), ValueError, "target_lengths must be >= 0, got -1"),
    ([-1, -1, -1], [30, 25, 20], (3, 29), ValueError, "input_lengths must be >= 0, got -1"),
    ([51, 50, 50], [3, 2, 2], (3, 3), ValueError, "input_lengths must be at most the number of frames T=50"),
]


@pytest.mark.parametrize("input_lengths, target_lengths, targets_shape, error, message", CTC_REFUSALS)
def test_refusals_are_runtime_errors_as_pytorchs(input_lengths, target_lengths, targets_shape, error, message):
    rng = np.random.default_rng(0)
    log_probs = rng.standard_normal((50, 3, 15)).astype(np.float32)
    log_probs -= np.log(np.exp(log_probs).sum(-1, keepdims=True))
    targets = rng.integers(1, 15, targets_shape).astype(np.int32)
    with pytest.raises(error, match=f"ctc_loss: {message}") as caught:
        F.ctc_loss(ag.tensor(log_probs), ag.tensor(targets), input_lengths, target_lengths)
    assert isinstance(caught.value, RuntimeError)
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        torch.nn.functional.ctc_loss(torch.tensor(log_probs), torch.tensor(targets), torch.tensor(input_lengths),
                                     torch.tensor(target_lengths))


def test_empty_log_probs_are_refused_in_pytorchs_words():
    # PyTorch's test_ctc_loss_error matches "log_probs tensor must not be empty" (a RuntimeError)
    empty = np.array([], np.int64)
    with pytest.raises(ValueError, match=r"ctc_loss: log_probs tensor must not be empty, got shape \(0, 0, 4\)") as e:
        F.ctc_loss(ag.tensor(np.zeros((0, 0, 4))), empty, empty, empty, reduction="none")
    assert isinstance(e.value, RuntimeError)
    torch = pytest.importorskip("torch")
    tempty = torch.tensor(empty)
    with pytest.raises(RuntimeError, match="log_probs tensor must not be empty"):
        torch.nn.functional.ctc_loss(torch.zeros(0, 0, 4), tempty, tempty, tempty, reduction="none")
