"""Found by fuzzing nested scheduler compositions against torch.optim.lr_scheduler (session 25, G4): a SequentialLR
whose later scheduler is a ChainedScheduler or SequentialLR was accepted, then raised a bare NotImplementedError at
the milestone (from LRScheduler.get_lr), after training up to it; PyTorch's raises the same bare error there."""
import numpy as np
import pytest

import autograd_core as ag
from nn.optim import SGD
from nn.optim.lr_scheduler import ChainedScheduler, ConstantLR, ExponentialLR, SequentialLR, StepLR


def optimizer():
    return SGD([ag.tensor(np.ones(1), requires_grad=True)], lr=1.0)


@pytest.mark.parametrize("kind", [ChainedScheduler, SequentialLR])
def test_a_combined_scheduler_after_the_first_is_refused_when_made(kind):
    opt = optimizer()
    first = StepLR(opt, 1, 0.5)
    parts = [ExponentialLR(opt, 0.9), ConstantLR(opt, 0.5, 2)]
    inner = ChainedScheduler(parts) if kind is ChainedScheduler else SequentialLR(opt, parts, milestones=[2])
    with pytest.raises(ValueError, match=rf"SequentialLR: schedulers\[1\] is a {kind.__name__}, which cannot start "
                                         r"over at its milestone .*only the first scheduler can be"):
        SequentialLR(opt, [first, inner], milestones=[2])


@pytest.mark.filterwarnings("ignore:Detected call of `lr_scheduler.step\\(\\)` before `optimizer.step\\(\\)`")
def test_a_combined_scheduler_first_still_runs_as_in_pytorch():
    opt = optimizer()
    inner = ChainedScheduler([ExponentialLR(opt, 0.5), ConstantLR(opt, 0.5, 2)])
    sched = SequentialLR(opt, [inner, StepLR(opt, 1, 0.1)], milestones=[3])
    rates = []
    for _ in range(5):
        rates.append(sched.get_last_lr()[0])
        opt.step()
        sched.step()
    assert rates == [0.25, 0.125, 0.125, 1.0, 0.1]  # (the chained schedulers' initial steps both apply at epoch 0)
    torch = pytest.importorskip("torch")
    topt = torch.optim.SGD([torch.ones(1, requires_grad=True)], lr=1.0)
    TL = torch.optim.lr_scheduler
    tsched = TL.SequentialLR(topt, [TL.ChainedScheduler([TL.ExponentialLR(topt, 0.5), TL.ConstantLR(topt, 0.5, 2)]),
                                    TL.StepLR(topt, 1, 0.1)], milestones=[3])
    expected = []
    for _ in range(5):
        expected.append(tsched.get_last_lr()[0])
        topt.step()
        tsched.step()
    np.testing.assert_allclose(rates, expected, rtol=1e-15)
