"""Gradient mode and anomaly detection (autograd_core/grad_mode.py)."""
import warnings

import numpy as np
import pytest

import autograd_core as ag


def test_no_grad_as_context_manager_records_nothing_and_restores():
    w = ag.tensor(2.0, requires_grad=True)
    with ag.no_grad():
        assert not ag.is_grad_enabled()
        y = w * 3
    assert ag.is_grad_enabled()
    assert not y.requires_grad and y.is_leaf
    assert (w * 3).requires_grad


def test_no_grad_as_decorator():
    @ag.no_grad()
    def update(w):
        return w - 0.1 * w

    w = ag.tensor(1.0, requires_grad=True)
    assert not update(w).requires_grad
    assert ag.is_grad_enabled()


def test_enable_grad_inside_no_grad_as_context_and_decorator():
    w = ag.tensor(2.0, requires_grad=True)

    @ag.enable_grad()
    def square(t):
        return t * t

    with ag.no_grad():
        with ag.enable_grad():
            assert ag.is_grad_enabled()
            inside = w * 3
        assert not ag.is_grad_enabled()
        decorated = square(w)
        assert not ag.is_grad_enabled()
    assert inside.requires_grad and decorated.requires_grad
    decorated.backward()
    assert float(w.grad) == 4.0


def _set_grad_enabled_trace(lib):
    """What is_grad_enabled reads at each point of PyTorch's documented uses of set_grad_enabled."""
    seen = [lib.is_grad_enabled()]
    lib.set_grad_enabled(False)  # called: at once
    seen.append(lib.is_grad_enabled())
    lib.set_grad_enabled(True)
    with lib.no_grad():
        with lib.set_grad_enabled(True):  # a block: the mode before it comes back after it
            seen.append(lib.is_grad_enabled())
        seen.append(lib.is_grad_enabled())

    @lib.set_grad_enabled(False)
    def decorated():
        return lib.is_grad_enabled()

    seen += [lib.is_grad_enabled(), decorated(), lib.is_grad_enabled()]  # decorating changes nothing yet

    @lib.set_grad_enabled(False)
    def generator():
        yield lib.is_grad_enabled()
        yield lib.is_grad_enabled()

    resumed = generator()
    seen += [next(resumed), lib.is_grad_enabled(), next(resumed), lib.is_grad_enabled()]
    return seen


def test_set_grad_enabled_as_a_call_a_block_and_a_decorator():
    assert _set_grad_enabled_trace(ag) == [True, False, True, False, True, False, True, False, True, False, True]
    with pytest.raises(TypeError, match="set_grad_enabled: mode must be True or False, got 'no'"):
        ag.set_grad_enabled("no")
    assert ag.is_grad_enabled()
    torch = pytest.importorskip("torch")
    assert _set_grad_enabled_trace(ag) == _set_grad_enabled_trace(torch)


def test_grad_mode_is_restored_after_an_exception():
    with pytest.raises(ZeroDivisionError):
        with ag.no_grad():
            1 / 0
    assert ag.is_grad_enabled()


def test_nested_no_grad_restores_the_outer_state():
    with ag.no_grad():
        with ag.no_grad():
            pass
        assert not ag.is_grad_enabled()
    assert ag.is_grad_enabled()


def test_detect_anomaly_forward_names_the_operation():
    x = ag.tensor([1.0, -1.0], requires_grad=True)
    with ag.detect_anomaly():
        with pytest.raises(FloatingPointError, match=r"log \(forward\)"):
            with np.errstate(invalid="ignore"):
                ag.log(x)
        with pytest.raises(RuntimeError, match=r"log \(forward\)"):  # PyTorch's class too, for ported code
            with np.errstate(invalid="ignore"):
                ag.log(x)


def test_detect_anomaly_backward_names_the_operation():
    # sqrt at 0 is finite forward, but its gradient 1 / (2 sqrt(0)) is inf.
    x = ag.tensor([0.0, 4.0], requires_grad=True)
    with ag.detect_anomaly():
        y = ag.sqrt(x).sum()
        with pytest.raises(FloatingPointError, match=r"sqrt \(backward\)"):
            with np.errstate(divide="ignore"):
                y.backward()


@pytest.mark.parametrize("name, described", [(None, "a leaf"), ("x", "a leaf 'x'")])
def test_detect_anomaly_names_an_inf_made_by_summing_two_finite_gradients(name, described):
    x = ag.tensor([1e-10], requires_grad=True, name=name)
    with ag.detect_anomaly():
        y = (x * 1e308).sum() + (x * 1e308).sum()  # each branch's gradient, 1e308, is finite
        with pytest.raises(FloatingPointError, match=rf"^gradient accumulation into {described} \(backward\)"):
            with np.errstate(over="ignore"):
                y.backward()


def test_without_detect_anomaly_nan_and_inf_propagate_silently():
    x = ag.tensor([0.0, 4.0], requires_grad=True)
    with np.errstate(divide="ignore"):
        ag.sqrt(x).sum().backward()
    assert np.isinf(x.grad.data[0]) and x.grad.data[1] == 0.25



def test_detect_anomaly_reports_a_saved_value_changed_in_place_not_the_nan_a_rule_makes_of_it_as_pytorch():
    # max's rule reads w: after the step no entry of w equals the recorded max, and the rule would divide by zero.
    # The change is refused before the rule runs (found porting PyTorch's "Autograd mechanics").
    w = ag.tensor([[1.0, 2.0]], requires_grad=True)
    y = w.max()
    with ag.no_grad():
        w -= 0.5
    with ag.detect_anomaly(), warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # nor a NumPy warning from the rule
        with pytest.raises(RuntimeError, match="was changed in place after the node was recorded"):
            y.backward()
    torch = pytest.importorskip("torch")
    tw = torch.tensor([[1.0, 2.0]], requires_grad=True)
    ty = torch.amax(tw)
    with torch.no_grad():
        tw -= 0.5
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # torch's "Anomaly Detection has been enabled"
        with torch.autograd.detect_anomaly(), pytest.raises(RuntimeError, match="modified by an inplace operation"):
            ty.backward()


def test_detect_anomaly_is_a_decorator_and_switches_off_afterwards():
    @ag.detect_anomaly()
    def bad():
        with np.errstate(divide="ignore"):
            return ag.log(ag.tensor(0.0))

    with pytest.raises(FloatingPointError, match="log"):
        bad()
    with np.errstate(divide="ignore"):
        assert np.isinf(ag.log(ag.tensor(0.0)).item())  # no error outside


def test_detect_anomaly_passes_finite_computations():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    with ag.detect_anomaly():
        ag.log(x).sum().backward()
    np.testing.assert_allclose(x.grad.data, [1.0, 0.5])


def test_detect_anomaly_backward_with_create_graph_names_the_rules_operation():
    # The recorded backward pass runs other operations (divide, multiply ...) inside sqrt's rule;
    # the error must still name sqrt's backward.
    x = ag.tensor([0.0, 4.0], requires_grad=True)
    with ag.detect_anomaly():
        y = ag.sqrt(x).sum()
        with pytest.raises(FloatingPointError, match=r"sqrt \(backward\)"):
            with np.errstate(divide="ignore", invalid="ignore"):
                y.backward(create_graph=True)
    assert ag.is_grad_enabled()


def test_detect_anomaly_still_checks_forward_inside_and_after_a_create_graph_pass():
    x = ag.tensor([1.0, 4.0], requires_grad=True)
    with ag.detect_anomaly():
        ag.sqrt(x).sum().backward(create_graph=True)
        with pytest.raises(FloatingPointError, match=r"log \(forward\)"):
            with np.errstate(divide="ignore"):
                ag.log(x - 1.0)


def test_a_recursive_decorated_function_restores_grad_mode():
    @ag.no_grad()
    def depth(n):
        assert not ag.is_grad_enabled()
        return 0 if n == 0 else 1 + depth(n - 1)

    assert depth(3) == 3
    assert ag.is_grad_enabled()


def test_one_instance_entered_twice_restores_grad_mode():
    switch = ag.no_grad()
    with switch:
        with switch:
            assert not ag.is_grad_enabled()
        assert not ag.is_grad_enabled()
    assert ag.is_grad_enabled()


def test_bare_decorator_without_parentheses():
    @ag.no_grad
    def inside():
        return ag.is_grad_enabled()

    assert inside() is False
    assert ag.is_grad_enabled()


def test_a_decorated_generator_runs_under_the_mode_each_time_it_resumes():
    @ag.no_grad()
    def modes():
        received = yield ag.is_grad_enabled()
        yield received, ag.is_grad_enabled()
        return "done"

    it = modes()
    assert next(it) is False
    assert ag.is_grad_enabled()  # between resumptions the caller's mode holds
    assert it.send("x") == ("x", False)
    with pytest.raises(StopIteration) as stop:
        next(it)
    assert stop.value.value == "done"
    assert ag.is_grad_enabled()


def _throw_into_and_close(no_grad, is_grad_enabled):
    """The modes a no_grad-decorated generator sees in its exception handler and its finally block,
    and the caller's mode after each."""
    seen = []

    @no_grad()
    def modes():
        try:
            yield is_grad_enabled()
        except ValueError:
            yield is_grad_enabled()
        finally:
            seen.append(is_grad_enabled())

    it = modes()
    next(it)
    seen.append(it.throw(ValueError()))
    seen.append(is_grad_enabled())
    it.close()
    seen.append(is_grad_enabled())
    return seen


def test_a_decorated_generator_handles_a_thrown_exception_and_closing_under_the_mode():
    assert _throw_into_and_close(ag.no_grad, ag.is_grad_enabled) == [False, True, False, True]


def test_a_decorated_generator_thrown_into_and_closed_matches_torch():
    torch = pytest.importorskip("torch")
    assert _throw_into_and_close(ag.no_grad, ag.is_grad_enabled) == _throw_into_and_close(
        torch.no_grad, torch.is_grad_enabled)


def test_overlapping_calls_of_a_decorated_function_restore_each_threads_mode():
    # The thread enters first and leaves first, while the main thread (under no_grad) is inside too.
    import threading

    entered, release, after = threading.Event(), threading.Event(), {}

    @ag.no_grad()
    def inside(then):
        then()

    def in_thread():
        inside(lambda: (entered.set(), release.wait(5)))
        after["thread"] = ag.is_grad_enabled()

    thread = threading.Thread(target=in_thread)
    thread.start()
    entered.wait(5)
    with ag.no_grad():
        inside(lambda: (release.set(), thread.join(5)))
        after["main"] = ag.is_grad_enabled()
    assert after == {"thread": True, "main": False}
    assert ag.is_grad_enabled()


def test_grad_mode_is_per_thread_and_a_new_thread_starts_enabled():
    import threading

    seen = []
    with ag.no_grad():
        thread = threading.Thread(target=lambda: seen.append(ag.is_grad_enabled()))
        thread.start()
        thread.join()
        assert not ag.is_grad_enabled()
    assert seen == [True]


def test_a_recorded_backward_in_one_thread_leaves_another_threads_detect_anomaly_as_it_found_it():
    # backprop paused anomaly checks by setting the process-wide flag, and restored it after another thread's
    # detect_anomaly had ended: the mode stayed on for the whole process.
    import threading

    from autograd_core.grad_mode import ANOMALY
    inside, in_pass, exited = threading.Event(), threading.Event(), threading.Event()

    def checking():
        with ag.detect_anomaly():
            inside.set()
            in_pass.wait(5)  # the other thread's recorded backward has begun
        exited.set()

    def recording():
        inside.wait(5)
        x = ag.tensor([1.0, 2.0], requires_grad=True)
        x.register_hook(lambda g: (in_pass.set(), exited.wait(5), g)[2])  # runs inside the recorded pass
        (x ** 3).sum().backward(create_graph=True)

    threads = [threading.Thread(target=checking), threading.Thread(target=recording)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert ANOMALY.enabled is False
    with np.errstate(invalid="ignore"):
        assert np.isnan(ag.log(ag.tensor(-1.0)).item())  # no FloatingPointError outside detect_anomaly


@pytest.mark.parametrize("switch", [ag.no_grad, ag.enable_grad])
def test_a_switch_given_something_to_decorate_that_is_no_function_says_so(switch):
    name = switch.__name__
    with pytest.raises(TypeError, match=rf"^{name}: expected a function to decorate, got 5; use `with ag.{name}\(\):`"):
        switch(5)


def test_inference_mode_records_nothing_and_false_changes_nothing():
    # PyTorch's tutorials evaluate under `with torch.inference_mode():`; here it is no_grad
    w = ag.tensor(2.0, requires_grad=True)
    with ag.inference_mode():
        assert not ag.is_grad_enabled() and not (w * 3).requires_grad
    assert ag.is_grad_enabled()
    with ag.inference_mode(False):
        assert (w * 3).requires_grad
    with ag.no_grad(), ag.inference_mode(False):
        assert not ag.is_grad_enabled()

    @ag.inference_mode
    def bare(x):
        return x * 3

    @ag.inference_mode(mode=False)
    def off(x):
        return x * 3

    assert not bare(w).requires_grad and off(w).requires_grad and ag.is_grad_enabled()
    with pytest.raises(TypeError, match="inference_mode"):
        ag.inference_mode("no")


def test_is_inference_mode_enabled_follows_the_innermost_inference_mode_as_torch():
    states = [ag.is_inference_mode_enabled()]
    with ag.inference_mode():
        states.append(ag.is_inference_mode_enabled())
        with ag.enable_grad():  # (grad mode and inference mode are separate switches, as PyTorch's)
            states.append(ag.is_inference_mode_enabled())
        with ag.inference_mode(False):
            states.append(ag.is_inference_mode_enabled())
        states.append(ag.is_inference_mode_enabled())
    states.append(ag.is_inference_mode_enabled())
    with ag.no_grad():
        states.append(ag.is_inference_mode_enabled())

    @ag.inference_mode
    def inside():
        return ag.is_inference_mode_enabled()

    states.append(inside())
    assert states == [False, True, True, False, True, False, False, True]
    assert not ag.is_inference_mode_enabled() and ag.is_grad_enabled()
    torch = pytest.importorskip("torch")
    expected = [torch.is_inference_mode_enabled()]
    with torch.inference_mode():
        expected.append(torch.is_inference_mode_enabled())
        with torch.enable_grad():
            expected.append(torch.is_inference_mode_enabled())
        with torch.inference_mode(False):
            expected.append(torch.is_inference_mode_enabled())
        expected.append(torch.is_inference_mode_enabled())
    expected.append(torch.is_inference_mode_enabled())
    with torch.no_grad():
        expected.append(torch.is_inference_mode_enabled())
    expected.append(torch.inference_mode()(torch.is_inference_mode_enabled)())
    assert states == expected


# ---- found by porting PyTorch's TestAutograd (test_anomaly_detect_nan, test_set_grad_enabled) ---------------------
def test_torch_autograd_gives_the_grad_mode_switches_and_set_detect_anomaly():
    # torch.autograd.no_grad ... detect_anomaly were missing from ag.autograd (ported code spells them so)
    for name in ("no_grad", "enable_grad", "set_grad_enabled", "inference_mode", "detect_anomaly"):
        assert getattr(ag.autograd, name) is getattr(ag, name)
    assert ag.autograd.set_detect_anomaly is ag.set_detect_anomaly
    assert not ag.is_anomaly_enabled()
    with ag.autograd.set_detect_anomaly(True):
        assert ag.is_anomaly_enabled()
        with ag.set_detect_anomaly(False):
            assert not ag.is_anomaly_enabled()
        assert ag.is_anomaly_enabled()
    assert not ag.is_anomaly_enabled()
    ag.set_detect_anomaly(True)  # called: set at once, as PyTorch's
    try:
        assert ag.is_anomaly_enabled()
        with pytest.raises(FloatingPointError, match=r"log \(forward\)"), np.errstate(divide="ignore"):
            ag.log(ag.tensor(0.0))
    finally:
        ag.set_detect_anomaly(False)
    assert not ag.is_anomaly_enabled()

    @ag.set_detect_anomaly(True)
    def checked():
        return ag.is_anomaly_enabled()
    assert not ag.is_anomaly_enabled() and checked() and not ag.is_anomaly_enabled()
    with pytest.raises(TypeError, match="set_detect_anomaly"):
        ag.set_detect_anomaly("yes")
    torch = pytest.importorskip("torch")
    with torch.autograd.set_detect_anomaly(True):
        assert torch.is_anomaly_enabled()
    assert not torch.is_anomaly_enabled()


@pytest.mark.parametrize("fail_first", [True, False])
def test_detect_anomaly_names_the_input_whose_gradient_is_nan(fail_first):
    # PyTorch: "Function 'MyFuncBackward' returned nan values in its 0th output"; ours named no input
    class MyFunc(ag.Function):
        @staticmethod
        def forward(ctx, a, b):
            return a.sum(0, keepdims=True)

        @staticmethod
        def backward(ctx, g):
            bad = np.full(3, np.nan)
            return (bad, None) if fail_first else (None, bad)

    x = ag.ones(3, requires_grad=True)
    with ag.detect_anomaly():
        y = MyFunc.apply(x, x)
        with pytest.raises(RuntimeError, match=rf"MyFunc \(backward\) produced NaN/Inf values in the gradient for "
                                               rf"its input {0 if fail_first else 1} \(shape \(3,\)\)"):
            y.backward()


# ---- found by porting PyTorch's test_autograd.py (anomaly mode): detect_anomaly(check_nan=) was missing ----------
def test_anomaly_check_nan_flags_match_pytorch():
    torch = pytest.importorskip("torch")

    def run(lib):
        seen = []
        lib.autograd.set_detect_anomaly(True, check_nan=False)
        seen.append((lib.is_anomaly_enabled(), lib.is_anomaly_check_nan_enabled()))
        lib.autograd.set_detect_anomaly(False)
        seen.append((lib.is_anomaly_enabled(), lib.is_anomaly_check_nan_enabled()))
        with lib.autograd.detect_anomaly(check_nan=False):
            seen.append((lib.is_anomaly_enabled(), lib.is_anomaly_check_nan_enabled()))
            with lib.autograd.detect_anomaly():
                seen.append((lib.is_anomaly_enabled(), lib.is_anomaly_check_nan_enabled()))
            seen.append((lib.is_anomaly_enabled(), lib.is_anomaly_check_nan_enabled()))
        seen.append((lib.is_anomaly_enabled(), lib.is_anomaly_check_nan_enabled()))
        return seen

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (PyTorch's "Anomaly Detection has been enabled")
        assert run(ag) == run(torch) == [(True, False), (False, True), (True, False), (True, True), (True, False),
                                         (False, True)]


def test_detect_anomaly_without_check_nan_lets_nan_through():
    with ag.autograd.detect_anomaly(check_nan=False), np.errstate(invalid="ignore"):
        x = ag.tensor(-1.0, requires_grad=True)
        y = ag.log(x)  # NaN, not refused
        y.backward()
    assert np.isnan(y.item()) and not ag.is_anomaly_enabled()
    with pytest.raises(RuntimeError, match="produced NaN"), np.errstate(invalid="ignore"):
        with ag.autograd.detect_anomaly(check_nan=True):
            ag.log(ag.tensor(-1.0))


def test_a_grad_outputs_list_of_the_wrong_length_is_a_runtime_error_too():
    # (PyTorch: RuntimeError "got 2 tensors and 1 gradients"; NumPy-minded code catches ValueError)
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    for call in (lambda: ag.autograd.grad([(x * 2).sum(), x.sum()], x, grad_outputs=[None]),
                 lambda: ag.autograd.backward([(x * 2).sum(), x.sum()], [None])):
        with pytest.raises(RuntimeError, match="has 1 entries for 2 outputs") as caught:
            call()
        assert isinstance(caught.value, ValueError)
