"""Session 27 (P3): register_forward_hook takes PyTorch's always_call=True (it raised TypeError "unexpected keyword
argument"): such a hook also runs when a pre-hook, the forward or an earlier hook raises, with the output so far
(None when the forward did not return), an error of its own becoming a warning, and the original error goes on.
The expected logs are PyTorch 2.13's for the same module and hooks.
"""
import warnings

import numpy as np
import pytest

import autograd_core as ag
import nn


class _Doubler(nn.Module):
    def __init__(self, fail=False):
        super().__init__()
        self.fail = fail

    def forward(self, x, scale=1.0):
        if self.fail:
            raise ValueError("forward failed")
        return x * 2 * scale


def _total(output):
    return None if output is None else float(output.data.sum())


def _log_hooks(module, log):
    module.register_forward_hook(lambda m, args, out: log.append(("always", _total(out))), always_call=True)
    module.register_forward_hook(lambda m, args, out: log.append(("plain", _total(out))))
    module.register_forward_hook(lambda m, args, kwargs, out: log.append(("always_kw", _total(out), sorted(kwargs))),
                                 with_kwargs=True, always_call=True)


def test_without_an_error_every_hook_runs_once_in_order():
    module, log = _Doubler(), []
    _log_hooks(module, log)
    assert float(module(ag.tensor([1.0, 2.0]), scale=1.0).data.sum()) == 6.0
    assert log == [("always", 6.0), ("plain", 6.0), ("always_kw", 6.0, ["scale"])]


def test_a_failing_forward_still_calls_the_always_called_hooks_then_raises():
    module, log = _Doubler(fail=True), []
    _log_hooks(module, log)
    with pytest.raises(ValueError, match="forward failed"):
        module(ag.tensor([1.0]), scale=3.0)
    assert log == [("always", None), ("always_kw", None, ["scale"])]


def test_a_failing_hook_calls_the_always_called_hooks_not_run_yet_with_the_output_so_far():
    module, log = _Doubler(), []
    module.register_forward_hook(lambda m, args, out: log.append(("first", _total(out))) or out + 1, always_call=True)
    module.register_forward_hook(lambda m, args, out: 1 / 0)
    module.register_forward_hook(lambda m, args, out: log.append(("after", _total(out))), always_call=True)
    module.register_forward_hook(lambda m, args, out: log.append(("plain", _total(out))))
    with pytest.raises(ZeroDivisionError):
        module(ag.tensor([1.0]))
    assert log == [("first", 2.0), ("after", 3.0)]


def test_an_error_in_an_always_called_hook_is_a_warning_and_removal_works():
    module, log = _Doubler(fail=True), []
    module.register_forward_hook(lambda m, args, out: 1 / 0, always_call=True)
    handle = module.register_forward_hook(lambda m, args, out: log.append("ran"), always_call=True)
    with pytest.warns(UserWarning, match="always_call=True raised"), pytest.raises(ValueError, match="forward"):
        module(ag.tensor([1.0]))
    assert log == ["ran"]
    handle.remove()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(ValueError):
            module(ag.tensor([1.0]))
    assert log == ["ran"]


def test_a_failing_pre_hook_also_calls_them_and_always_call_must_be_a_flag():
    module, log = _Doubler(), []
    module.register_forward_pre_hook(lambda m, args: [][0])
    module.register_forward_hook(lambda m, args, out: log.append(_total(out)), always_call=True)
    with pytest.raises(IndexError):
        module(ag.tensor(np.ones(2)))
    assert log == [None]
    with pytest.raises(TypeError, match="always_call"):
        module.register_forward_hook(lambda m, args, out: None, always_call="yes")
