"""nn.optim.lr_scheduler: PyTorch's surface beside the rates: the warning of a built-in scheduler's get_lr() called
outside step() (its chainable form gives the next rates from the current ones, not the rates in force:
get_last_lr() gives those), the name EPOCH_DEPRECATION_WARNING and SequentialLR.recursive_undo."""
import warnings

import pytest

import autograd_core as ag
import nn
from nn.optim import SGD
from nn.optim import lr_scheduler
from nn.optim.swa_utils import SWALR

SCHEDULERS = [
    ("StepLR", dict(step_size=2, gamma=0.5)), ("MultiStepLR", dict(milestones=[1, 3], gamma=0.3)),
    ("ConstantLR", dict(factor=0.3, total_iters=2)), ("LinearLR", dict(start_factor=0.2, total_iters=3)),
    ("ExponentialLR", dict(gamma=0.87)), ("PolynomialLR", dict(total_iters=3, power=1.3)),
    ("CosineAnnealingLR", dict(T_max=3, eta_min=0.001)), ("CosineAnnealingWarmRestarts", dict(T_0=2, eta_min=0.001)),
    ("CyclicLR", dict(base_lr=0.01, max_lr=0.1, step_size_up=2)), ("OneCycleLR", dict(max_lr=0.5, total_steps=10)),
    ("LambdaLR", dict(lr_lambda=lambda e: 1 / (e + 1))), ("MultiplicativeLR", dict(lr_lambda=lambda e: 0.9)),
    ("SWALR", dict(swa_lr=0.01, anneal_epochs=3)),
]


def _messages(call):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = call()
    return result, [str(w.message) for w in caught]


@pytest.mark.parametrize("name, kwargs", SCHEDULERS, ids=[name for name, _ in SCHEDULERS])
def test_get_lr_outside_step_warns_as_torchs(name, kwargs):
    """get_lr() called by hand warns in PyTorch's words (no warning before; found by porting PyTorch's
    test_lrscheduler); its rates stay PyTorch's, and step(), which calls it, says nothing."""
    torch = pytest.importorskip("torch")
    theirs_module = torch.optim.swa_utils if name == "SWALR" else torch.optim.lr_scheduler
    topt = torch.optim.SGD([torch.nn.Parameter(torch.ones(1))], lr=0.1, momentum=0.9)
    opt = SGD([nn.Parameter(ag.ones(1))], lr=0.1, momentum=0.9)
    theirs = getattr(theirs_module, name)(topt, **kwargs)
    ours = (SWALR if name == "SWALR" else getattr(lr_scheduler, name))(opt, **kwargs)
    for _ in range(4):
        expected, their_words = _messages(theirs.get_lr)
        got, our_words = _messages(ours.get_lr)
        assert got == expected
        assert our_words == their_words == [lr_scheduler.base.GET_LR_WARNING]
        topt.step()
        opt.step()
        _, their_words = _messages(theirs.step)
        _, our_words = _messages(ours.step)
        assert our_words == their_words == []
        assert opt.param_groups[0]["lr"] == topt.param_groups[0]["lr"]


def test_get_lr_inside_a_subclass_step_and_sequential_steps_stay_silent():
    """A subclass's own get_lr (written against LRScheduler) is not warned about, nor are the schedulers a
    SequentialLR or a ChainedScheduler steps, nor CosineAnnealingWarmRestarts.step(epoch) (which PyTorch's takes
    without its deprecation warning)."""
    class Halve(lr_scheduler.LRScheduler):
        def get_lr(self):
            return [base * 0.5 ** self.last_epoch for base in self.base_lrs]

    opt = SGD([nn.Parameter(ag.ones(1))], lr=1.0)
    sched = Halve(opt)
    assert _messages(sched.get_lr) == ([1.0], [])
    sequential = lr_scheduler.SequentialLR(opt, [lr_scheduler.ConstantLR(opt, factor=0.5, total_iters=2),
                                                 lr_scheduler.ExponentialLR(opt, gamma=0.9)], milestones=[2])
    chained = lr_scheduler.ChainedScheduler([lr_scheduler.LinearLR(opt), lr_scheduler.ExponentialLR(opt, 0.9)])
    warm = lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=3)
    for _ in range(4):
        opt.step()
        assert _messages(sequential.step)[1] == []
        assert _messages(chained.step)[1] == []
    assert _messages(lambda: warm.step(2))[1] == []


def test_epoch_deprecation_warning_is_importable_as_torchs():
    """PyTorch's test_lrscheduler imports EPOCH_DEPRECATION_WARNING from torch.optim.lr_scheduler and matches the
    warning of step(epoch) against it: the same name here holds the same words (it was only in .base)."""
    torch = pytest.importorskip("torch")
    assert lr_scheduler.EPOCH_DEPRECATION_WARNING == torch.optim.lr_scheduler.EPOCH_DEPRECATION_WARNING
    assert "EPOCH_DEPRECATION_WARNING" not in lr_scheduler.__all__  # (nor in torch's)
    opt = SGD([nn.Parameter(ag.ones(1))], lr=1.0)
    sched = lr_scheduler.StepLR(opt, step_size=2)
    opt.step()
    assert _messages(lambda: sched.step(3))[1] == [lr_scheduler.EPOCH_DEPRECATION_WARNING]


def test_sequential_recursive_undo_is_torchs():
    """SequentialLR.recursive_undo, PyTorch's public method (missing before; found by porting PyTorch's
    test_lrscheduler): the epochs of the schedulers under it (or under a ChainedScheduler given), or of a scheduler
    given, move back by one, the SequentialLR's own epoch not."""
    torch = pytest.importorskip("torch")

    def epochs(S, opt):
        warmup, decay = S.ConstantLR(opt), S.ExponentialLR(opt, gamma=0.5)
        sched = S.SequentialLR(opt, [warmup, decay], milestones=[2])
        chained = S.ChainedScheduler([S.ConstantLR(opt), S.LinearLR(opt)])
        seen = [(warmup.last_epoch, decay.last_epoch, sched.last_epoch)]
        sched.recursive_undo()
        seen.append((warmup.last_epoch, decay.last_epoch, sched.last_epoch))
        sched.recursive_undo(warmup)
        sched.recursive_undo(chained)
        seen.append((warmup.last_epoch, [inner.last_epoch for inner in chained._schedulers]))
        return seen

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = epochs(torch.optim.lr_scheduler,
                        torch.optim.SGD([torch.nn.Parameter(torch.ones(1))], lr=1.0))
    assert epochs(lr_scheduler, SGD([nn.Parameter(ag.ones(1))], lr=1.0)) == theirs == \
        [(0, -1, 0), (-1, -2, 0), (-2, [-1, -1])]


def test_a_subclass_copied_from_torch_reads_get_lr_called_within_step():
    """Schedulers written against PyTorch (copies of its own, e.g. a warm-up cosine) read the flag
    _get_lr_called_within_step in get_lr to warn when called by hand: it is PyTorch's flag here too, True only
    within a step (an AttributeError at the constructor's step before; found by porting PyTorch's
    test_lrscheduler), and no entry of the state dict."""
    torch = pytest.importorskip("torch")

    def warm_up(base):
        class WarmUp(base):
            def get_lr(self):
                if not self._get_lr_called_within_step:
                    warnings.warn("To get the last learning rate computed by the scheduler, please use "
                                  "`get_last_lr()`.", UserWarning)
                return [lr * min(1.0, (self.last_epoch + 1) / 3) for lr in self.base_lrs]
        return WarmUp

    def run(base, opt):
        sched, seen = warm_up(base)(opt), []
        for _ in range(4):
            seen.append(_messages(sched.get_lr))
            opt.step()
            seen.append(_messages(sched.step))
        return seen, sched.get_last_lr(), sched.state_dict()

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs, their_last, their_state = run(torch.optim.lr_scheduler.LRScheduler,
                                              torch.optim.SGD([torch.nn.Parameter(torch.ones(1))], lr=0.3))
    ours, our_last, our_state = run(lr_scheduler.LRScheduler, SGD([nn.Parameter(ag.ones(1))], lr=0.3))
    assert ours == theirs and our_last == their_last
    assert set(their_state) - set(our_state) == {"_get_lr_called_within_step"}


def test_a_subclass_closed_form_named_as_torchs_serves_step_epoch_and_sequential_milestones():
    """A subclass written against PyTorch gives its closed form as _get_closed_form_lr (PyTorch's name, which its
    own schedulers use here too): step(epoch) and a SequentialLR's milestone take the rates from it, as torch's
    (the chainable get_lr was used before, other rates; found by porting PyTorch's test_lrscheduler)."""
    torch = pytest.importorskip("torch")

    def halving(base):
        class Halving(base):
            def get_lr(self):  # chainable: halve the current rate
                return [group["lr"] * (0.5 if self.last_epoch > 0 else 1.0) for group in self.optimizer.param_groups]

            def _get_closed_form_lr(self):
                return [lr * 0.5 ** self.last_epoch for lr in self.base_lrs]
        return Halving

    def run(S, opt):
        seen = []
        sched = halving(S.LRScheduler)(opt)
        for epoch in (1, 2, 2, 5, 3):
            opt.step()
            sched.step(epoch)
            seen.append(opt.param_groups[0]["lr"])
        for group in opt.param_groups:
            group["lr"] = group["initial_lr"]
        sequential = S.SequentialLR(opt, [S.ConstantLR(opt, factor=0.1, total_iters=5), halving(S.LRScheduler)(opt)],
                                    milestones=[2])
        for _ in range(5):
            opt.step()
            sequential.step()
            seen.append(opt.param_groups[0]["lr"])
        return seen

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = run(torch.optim.lr_scheduler, torch.optim.SGD([torch.nn.Parameter(torch.ones(1))], lr=0.8))
        ours = run(lr_scheduler, SGD([nn.Parameter(ag.ones(1))], lr=0.8))
    assert ours == theirs


def test_plateau_subclass_hooks_are_torchs():
    """ReduceLROnPlateau calls _reduce_lr(epoch) and has _reset(), as PyTorch's: subclasses that override
    _reduce_lr(self, epoch) to log a reduction (calling the base's with the epoch) ran into a TypeError, and
    training code calling _reset() after setting the rate itself into an AttributeError (found by porting
    PyTorch's test_lrscheduler). Test: the epochs of the reductions and the rates, with a reset, against torch's."""
    torch = pytest.importorskip("torch")

    def run(base, opt):
        class Logged(base):
            def _reduce_lr(self, epoch):
                reductions.append(epoch)
                super()._reduce_lr(epoch)

        reductions, rates = [], []
        sched = Logged(opt, factor=0.5, patience=1)
        for epoch, metric in enumerate([3.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 1.0, 1.0, 1.0, 1.0]):
            if epoch == 6:
                opt.param_groups[0]["lr"] = 1.0
                sched._reset()
            opt.step()
            sched.step(metric)
            rates.append(opt.param_groups[0]["lr"])
        return reductions, rates, (sched.best, sched.num_bad_epochs, sched.cooldown_counter)

    theirs = run(torch.optim.lr_scheduler.ReduceLROnPlateau,
                 torch.optim.SGD([torch.nn.Parameter(torch.ones(1))], lr=1.0))
    assert run(lr_scheduler.ReduceLROnPlateau, SGD([nn.Parameter(ag.ones(1))], lr=1.0)) == theirs
    assert theirs[0] == [4, 6, 10]


def test_enable_get_lr_call_serves_a_subclass_step_as_torchs():
    """_enable_get_lr_call, PyTorch's private context that schedulers written against it import for their own
    step() (an ImportError before; found by porting PyTorch's test_lrscheduler): get_lr within it does not warn,
    outside it does, the rates and warnings as torch's; the flag is no state-dict entry afterwards."""
    torch = pytest.importorskip("torch")

    def run(S, opt):
        class Linear(S.LRScheduler):
            def get_lr(self):
                if not self._get_lr_called_within_step:
                    warnings.warn("To get the last learning rate computed by the scheduler, please use "
                                  "`get_last_lr()`.", UserWarning)
                return [lr * min(1.0, self.last_epoch / 4) for lr in self.base_lrs]

            def step(self, epoch=None):
                with S._enable_get_lr_call(self):
                    self.last_epoch += 1
                    values = self.get_lr()
                for group, lr in zip(self.optimizer.param_groups, values):
                    group["lr"] = lr
                self._last_lr = [group["lr"] for group in self.optimizer.param_groups]

        sched, seen = Linear(opt), []
        for _ in range(5):
            opt.step()
            seen.append(_messages(sched.step))
            seen.append(_messages(sched.get_lr))
        return seen, "_get_lr_called_within_step" in sched.state_dict()

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs, their_flag = run(torch.optim.lr_scheduler,
                                 torch.optim.SGD([torch.nn.Parameter(torch.ones(1))], lr=0.4))
    ours, our_flag = run(lr_scheduler, SGD([nn.Parameter(ag.ones(1))], lr=0.4))
    assert ours == theirs
    assert (their_flag, our_flag) == (True, False)  # (torch's state dict holds the flag; ours does not need it)


@pytest.mark.parametrize("case", ["marked, calling the step", "marked, first", "marked, setting _opt_called",
                                  "unmarked"])
def test_a_step_replaced_with_torchs_mark_is_not_said_to_be_overridden(case):
    """Code that replaces optimizer.step after making the scheduler marks the replacement with PyTorch's
    _wrapped_by_lr_sched (and may set optimizer._opt_called itself) so that PyTorch's scheduler does not warn
    that the step was overridden: the mark is honoured here too (the warning came regardless; found by porting
    PyTorch's test_lrscheduler). The warnings of the first scheduler step, against torch's."""
    torch = pytest.importorskip("torch")

    def run(S, opt):
        sched = S.StepLR(opt, step_size=2)
        original = opt.step

        def replaced(*args, **kwargs):
            if case == "marked, setting _opt_called":
                opt._opt_called = True
                return None
            return original(*args, **kwargs)
        if case != "unmarked":
            replaced._wrapped_by_lr_sched = True
        opt.step = replaced
        if case != "marked, first":
            opt.step()
        return [_messages(sched.step)[1] for _ in range(2)]

    theirs = run(torch.optim.lr_scheduler, torch.optim.SGD([torch.nn.Parameter(torch.ones(1))], lr=0.1))
    ours = run(lr_scheduler, SGD([nn.Parameter(ag.ones(1))], lr=0.1))
    assert ours == theirs
    expected = {"unmarked": [lr_scheduler.base.OVERRIDDEN_STEP_WARNING],
                "marked, first": [lr_scheduler.base.ORDER_WARNING]}.get(case, [])
    assert ours == [expected, []]


def test_a_subclass_of_a_built_in_calling_its_get_lr_warns_outside_step_only_as_torchs():
    """The warning lives in LRScheduler.get_lr (review: a copy in each built-in's get_lr): a subclass overriding a
    built-in's get_lr and calling super().get_lr() warns when called by hand, and not within step(), as PyTorch's."""
    torch = pytest.importorskip("torch")
    seen = []
    for base, optimizer, parameter, module in ((lr_scheduler.StepLR, SGD, nn.Parameter(ag.ones(1)), ag),
                                               (torch.optim.lr_scheduler.StepLR, torch.optim.SGD,
                                                torch.nn.Parameter(torch.ones(1)), torch)):
        class Doubled(base):
            def get_lr(self):
                return [2 * lr for lr in super().get_lr()]

        opt = optimizer([parameter], lr=0.1)
        sched = Doubled(opt, step_size=1, gamma=0.5)
        opt.step()
        _, step_words = _messages(sched.step)
        by_hand, hand_words = _messages(sched.get_lr)
        seen.append((opt.param_groups[0]["lr"], step_words, by_hand, hand_words))
    assert seen[0] == seen[1]
    assert seen[0][1] == [] and seen[0][3] == [lr_scheduler.base.GET_LR_WARNING]


def test_a_subclass_of_lr_scheduler_without_get_lr_raises_not_implemented():
    class Bare(lr_scheduler.LRScheduler):
        pass

    with pytest.raises(NotImplementedError, match="Bare: a subclass of LRScheduler must define get_lr"):
        Bare(SGD([nn.Parameter(ag.ones(1))], lr=0.1))
