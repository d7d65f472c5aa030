"""A list of Tensors that require grad, given where a layer or loss takes an array (found in session 25 while
fuzzing arguments that hold graphs): made into a plain array, its Tensors silently got no gradient (the loss did
not even require grad). Refused as the engine's operations and the other layers refuse it."""
import numpy as np
import pytest

import autograd_core as ag
import nn
import nn.functional as F

X = np.full((2, 3), 0.3)


def _rows():
    t = ag.tensor(np.full((2, 3), 0.5), requires_grad=True)
    return [t[0], t[1]]


LOSSES = {
    "mse_loss": lambda L: F.mse_loss(ag.tensor(X), L),
    "l1_loss": lambda L: F.l1_loss(ag.tensor(X), L),
    "huber_loss": lambda L: F.huber_loss(ag.tensor(X), L),
    "smooth_l1_loss": lambda L: F.smooth_l1_loss(ag.tensor(X), L),
    "binary_cross_entropy": lambda L: F.binary_cross_entropy(ag.tensor(X), L),
    "binary_cross_entropy_with_logits": lambda L: F.binary_cross_entropy_with_logits(ag.tensor(X), L),
    "kl_div": lambda L: F.kl_div(ag.tensor(X), L, reduction="sum"),
    "poisson_nll_loss": lambda L: F.poisson_nll_loss(ag.tensor(X), L),
    "gaussian_nll_loss": lambda L: F.gaussian_nll_loss(ag.tensor(X), L, ag.tensor(np.ones((2, 3)))),
    "soft_margin_loss": lambda L: F.soft_margin_loss(ag.tensor(X), L),
    "multilabel_soft_margin_loss": lambda L: F.multilabel_soft_margin_loss(ag.tensor(X), L),
}


@pytest.mark.parametrize("name", LOSSES)
def test_a_target_list_holding_tensors_that_require_grad_is_refused(name):
    with pytest.raises(TypeError, match=rf"{name}: got a list holding Tensors that require grad"):
        LOSSES[name](_rows())


def test_a_variance_list_holding_tensors_that_require_grad_is_refused():
    with pytest.raises(TypeError, match="gaussian_nll_loss: got a list holding Tensors that require grad"):
        F.gaussian_nll_loss(ag.tensor(X), np.zeros((2, 3)), _rows())


@pytest.mark.parametrize("name", LOSSES)
def test_a_target_that_requires_grad_given_stacked_is_differentiated(name):
    rows = _rows()
    loss = LOSSES[name](ag.stack(rows))
    assert loss.requires_grad


def test_targets_given_as_plain_lists_of_numbers_still_work():
    assert float(F.mse_loss(ag.tensor([1.0, 2.0]), [1.0, 0.0])) == 2.0


def test_bilinear_refuses_a_list_holding_tensors_that_require_grad():
    layer = nn.Bilinear(3, 3, 2, dtype=np.float64, rng=0)
    t = ag.tensor(X, requires_grad=True)
    with pytest.raises(TypeError, match="Bilinear: got a list holding Tensors that require grad"):
        layer([t[0], t[1]], t)
    with pytest.raises(TypeError, match="Bilinear: got a list holding Tensors that require grad"):
        layer(t, [t[0], t[1]])
    assert layer(t, X).requires_grad  # an array stays a constant, as before


@pytest.mark.parametrize("make", [lambda: nn.Linear(3, 2, dtype=np.float64, rng=0),
                                  lambda: nn.Maxout(3, 2, 2, dtype=np.float64, rng=0)],
                         ids=["Linear", "Maxout"])
def test_linear_layers_refuse_a_list_holding_tensors_that_require_grad(make):
    layer = make()
    with pytest.raises(TypeError, match=f"{type(layer).__name__}: got a list holding Tensors that require grad"):
        layer(_rows())
    assert layer(ag.stack(_rows())).requires_grad  # (stacked, the rows stay in the graph)
