"""Where PyTorch's nn.functional raises a RuntimeError for an argument it cannot take (the error inputs of its OpInfo
entries, test_ops.py), ours raises an error that is both the ValueError the project raises for bad arguments and
PyTorch's RuntimeError, so code written for PyTorch catches it: non-positive convolution groups, loss operands of
shapes that do not fit together, huber_loss's delta <= 0, prelu's slopes, rrelu's bounds, softshrink's negative
lambd, gelu's approximate, embedding's weight that is not 2-D, the margin losses' shapes (an input with no
classes, which multilabel_margin_loss met with an internal reshape error)."""
import numpy as np
import pytest

import autograd_core as ag
import nn.functional as F


def _ones(*shape, integer=False):
    return np.ones(shape, np.int64 if integer else np.float64)


def _tensor(*shape, integer=False):
    return ag.tensor(_ones(*shape, integer=integer))


CASES = [
    # (name, a call given a functional module, the words ours says)
    ("conv1d groups=0", lambda f, t: f.conv1d(t(2, 2, 4), t(2, 2, 2), groups=0), "groups must be a positive int"),
    ("conv2d groups=-1", lambda f, t: f.conv2d(t(2, 2, 4, 4), t(2, 2, 2, 2), groups=-1), "groups must be a positive"),
    ("conv_transpose1d groups=0", lambda f, t: f.conv_transpose1d(t(1, 2, 4), t(2, 2, 2), groups=0),
     "groups must be a positive int"),
    ("soft_margin_loss target", lambda f, t: f.soft_margin_loss(t(5, 4), t(5)), "does not broadcast"),
    ("poisson_nll_loss target", lambda f, t: f.poisson_nll_loss(t(5, 4), t(5)), "does not broadcast"),
    ("gaussian_nll_loss target", lambda f, t: f.gaussian_nll_loss(t(10, 2, 3), t(10, 2, 2), t(10, 2, 3)),
     "does not broadcast"),
    ("margin_ranking_loss axes", lambda f, t: f.margin_ranking_loss(t(5, 4), t(5, 4), t(5)), "same number of axes"),
    ("triplet_margin_loss axes", lambda f, t: f.triplet_margin_loss(t(3), t(3, 4), t(3, 4)), "same number of axes"),
    ("triplet_margin_with_distance_loss axes",
     lambda f, t: f.triplet_margin_with_distance_loss(t(3, 4), t(3), t(3, 4)), "same number of dimensions"),
    ("l1_loss target", lambda f, t: f.l1_loss(t(5, 4), t(5)), "different to the input size"),
    ("huber_loss delta=0", lambda f, t: f.huber_loss(t(5, 4), t(5, 4), delta=0), "delta must be"),
    ("huber_loss delta<0", lambda f, t: f.huber_loss(t(5, 4), t(5, 4), delta=-1.0), "delta must be"),
    ("prelu slopes", lambda f, t: f.prelu(t(2, 8, 3), t(9)), "slope"),
    ("rrelu bounds", lambda f, t: f.rrelu(t(5, 5), lower=0.3, upper=0.1), "lower bound must be less than or equal"),
    ("softshrink lambd", lambda f, t: f.softshrink(t(3), lambd=-0.5), "lambd must be"),
    ("gelu approximate", lambda f, t: f.gelu(t(3), approximate="asdf"), "approximate must be"),
    ("multi_margin_loss no classes", lambda f, t: f.multi_margin_loss(t(5, 0), t(5, integer=True)), "no classes"),
    ("multi_margin_loss target", lambda f, t: f.multi_margin_loss(t(5, 4), t(5, 4, integer=True)), "target shape"),
    ("multi_margin_loss weight", lambda f, t: f.multi_margin_loss(t(5, 4), t(5, integer=True), weight=t(5)),
     "one weight per class"),
    ("multilabel_margin_loss no classes", lambda f, t: f.multilabel_margin_loss(t(5, 0), t(5, 0, integer=True)),
     "has no classes"),
    ("multilabel_margin_loss empty", lambda f, t: f.multilabel_margin_loss(t(0), t(0, integer=True)),
     "has no classes"),
    ("multilabel_margin_loss target", lambda f, t: f.multilabel_margin_loss(t(5, 4), t(4, integer=True)),
     "must be the input's"),
    ("embedding weight", lambda f, t: f.embedding(t(2, 2, integer=True), t(1, 1, 1)), "weight must be 2-D"),
]


@pytest.mark.parametrize("call, words", [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_a_value_error_and_pytorchs_runtime_error(call, words):
    with pytest.raises(ValueError, match=words) as caught:
        call(F, _tensor)
    assert isinstance(caught.value, RuntimeError)
    with pytest.raises(ValueError, match=words):  # the same with arrays
        call(F, _ones)


@pytest.mark.parametrize("call", [case[1] for case in CASES], ids=[case[0] for case in CASES])
def test_pytorchs_error_is_a_runtime_error_as_torch(call):
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError):  # (torch raises for each case: the premise)
        call(torch.nn.functional, lambda *shape, integer=False: torch.ones(shape, dtype=torch.int64 if integer
                                                                            else torch.float64))
    with pytest.raises(RuntimeError):  # (and ours, for the same call)
        call(F, _tensor)


def test_the_valid_calls_still_compute():
    x = ag.tensor(np.linspace(-1.0, 1.0, 6).reshape(2, 3))
    assert F.huber_loss(x, ag.zeros((2, 3)), delta=0.5).shape == ()
    assert F.softshrink(x, lambd=0.0).shape == (2, 3)
    assert F.rrelu(x, lower=0.2, upper=0.2, training=True).shape == (2, 3)
    assert F.conv1d(ag.ones((1, 2, 4)), ag.ones((2, 1, 2)), groups=2).shape == (1, 2, 3)
