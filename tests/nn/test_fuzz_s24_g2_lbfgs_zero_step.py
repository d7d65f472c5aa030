"""LBFGS with the strong-Wolfe line search and lr = 0 (a scheduler such as CosineAnnealingLR brings it there): after
the first iteration the search starts from a step of length 0, and torch's, as this one did, fails with a bare
ZeroDivisionError (the cubic interpolation between two equal points). It now raises a ValueError naming LBFGS.step
and lr. In the very first iteration (the step a 0-d tensor in torch, a NumPy scalar here) and without a line search,
lr = 0 stays accepted, as in torch (the parameters do not move)."""
import numpy as np
import pytest

import autograd_core as ag
from nn import optim
from nn.optim import lr_scheduler


def _closure(opt, w):
    def closure():
        opt.zero_grad()
        loss = ((w - 3.0) ** 2).sum()
        loss.backward()
        return loss
    return closure


def test_lbfgs_strong_wolfe_with_lr_zero_raises_a_clear_error():
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    opt = optim.LBFGS([w], lr=0.1, line_search_fn="strong_wolfe", max_iter=2)
    opt.step(_closure(opt, w))
    opt.param_groups[0]["lr"] = 0.0
    with pytest.raises(ValueError, match=r"LBFGS\.step: the strong-Wolfe line search cannot start from a step of "
                                         r"length 0 \(lr=0\.0\)"):
        opt.step(_closure(opt, w))


def test_lbfgs_strong_wolfe_with_a_scheduler_reaching_lr_zero():
    w = ag.tensor([1.0, -2.0], requires_grad=True)
    opt = optim.LBFGS([w], lr=0.1, line_search_fn="strong_wolfe", max_iter=2)
    schedule = lr_scheduler.CosineAnnealingLR(opt, T_max=2)
    opt.step(_closure(opt, w))
    schedule.step()
    opt.step(_closure(opt, w))
    schedule.step()
    assert opt.param_groups[0]["lr"] == 0
    with pytest.raises(ValueError, match="learning-rate scheduler"):
        opt.step(_closure(opt, w))


@pytest.mark.parametrize("line_search_fn", [None, "strong_wolfe"])
@pytest.mark.parametrize("max_iter", [1, 3])
def test_lbfgs_takes_lr_zero_in_its_first_iteration_or_without_line_search(line_search_fn, max_iter):
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    opt = optim.LBFGS([w], lr=0.0, line_search_fn=line_search_fn, max_iter=max_iter)
    opt.step(_closure(opt, w))
    np.testing.assert_array_equal(w.data, [1.0, 2.0])
    if line_search_fn is None:
        opt.step(_closure(opt, w))
        np.testing.assert_array_equal(w.data, [1.0, 2.0])
