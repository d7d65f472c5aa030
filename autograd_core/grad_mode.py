"""Switches that change what the engine records: gradient mode and anomaly detection.

As in PyTorch, gradient mode is per thread (a new thread starts with grad enabled) and
anomaly detection is process-wide.
"""
import contextlib
import functools
import inspect
import threading

from ._arguments import as_flag


class _GradMode(threading.local):
    enabled = True  # the class attribute is each new thread's starting value


class _Anomaly:
    enabled = False  # NaN/Inf checks on (read on every operation)
    mode = False  # anomaly mode on (is_anomaly_enabled): detect_anomaly(check_nan=False) sets it alone
    check_nan = True  # the check_nan last given (is_anomaly_check_nan_enabled, as PyTorch's)


class _InferenceMode(threading.local):
    enabled = False  # True inside inference_mode() (per thread, as PyTorch's)


class _AnomalyPause(threading.local):
    enabled = False  # True while this thread's backprop runs recorded gradient rules (see _anomaly_paused)


# Read on every operation: one attribute each (a thread-local read costs about twice a plain one).
GRAD_MODE = _GradMode()
ANOMALY = _Anomaly()
ANOMALY_PAUSED = _AnomalyPause()
INFERENCE_MODE = _InferenceMode()


def is_grad_enabled():
    """True when operations on Tensors that require grad are recorded.

    >>> import autograd_core as ag
    >>> ag.is_grad_enabled()
    True
    """
    return GRAD_MODE.enabled


def is_inference_mode_enabled():
    """torch.is_inference_mode_enabled: True inside inference_mode() (and not inside an inner inference_mode(False)),
    for this thread.

    >>> import autograd_core as ag
    >>> with ag.inference_mode():
    ...     ag.is_inference_mode_enabled()
    True
    >>> ag.is_inference_mode_enabled()
    False
    """
    return INFERENCE_MODE.enabled


class _Switch(contextlib.ContextDecorator):
    """Sets `state.enabled` to the class's `enabled` inside, and back after. One instance may be
    entered again while active (a stack of previous values); as a decorator each call gets a fresh
    instance, and a decorated generator runs under the switch each time it resumes, as
    torch.no_grad does. Usable bare (`@ag.no_grad`) or called (`@ag.no_grad()`)."""

    state = GRAD_MODE
    enabled = True

    def __new__(cls, func=None):
        self = super().__new__(cls)
        self._previous = []  # (set here, with no __init__: entered on every backward and optimizer step)
        return self if func is None else self(func)  # func: used bare, @ag.no_grad

    def __enter__(self):
        self._previous.append(self.state.enabled)
        self.state.enabled = self.enabled

    def __exit__(self, *exc):
        self.state.enabled = self._previous.pop()
        return False

    def _recreate_cm(self):
        return type(self)()

    def __call__(self, func):
        if not callable(func):  # ag.no_grad(5): no function to switch around
            name = type(self).__name__
            raise TypeError(f"{name}: expected a function to decorate, got {func!r}; use `with ag.{name}():` or "
                            f"`@ag.{name}`")
        if not inspect.isgeneratorfunction(func):
            return super().__call__(func)

        @functools.wraps(func)
        def generator(*args, **kwargs):
            switch = self._recreate_cm()
            with switch:
                gen = func(*args, **kwargs)
            try:
                with switch:
                    value = next(gen)
                while True:
                    try:
                        sent = yield value
                    except GeneratorExit:
                        with switch:
                            gen.close()
                        raise
                    except BaseException as err:
                        with switch:
                            value = gen.throw(err)
                    else:
                        with switch:
                            value = gen.send(sent)
            except StopIteration as stop:
                return stop.value
        return generator


class no_grad(_Switch):
    """Context manager and decorator: operations inside are not recorded.

    >>> import autograd_core as ag
    >>> w = ag.tensor(2.0, requires_grad=True)
    >>> with ag.no_grad():
    ...     y = w * 3
    >>> y.requires_grad
    False
    """

    enabled = False


class enable_grad(_Switch):
    """Context manager and decorator: re-enables recording inside a `no_grad` block.

    >>> import autograd_core as ag
    >>> with ag.no_grad(), ag.enable_grad():
    ...     ag.is_grad_enabled()
    True
    """

    enabled = True


class inference_mode(_Switch):
    """PyTorch's inference_mode(mode=True), for code ported from it: here no_grad (operations inside are not
    recorded; their results are constants, which later graphs may use, where PyTorch's inference tensors may not be
    saved by one). inference_mode(False) leaves grad mode as it is and turns is_inference_mode_enabled() off inside,
as PyTorch's. Usable bare (`@ag.inference_mode`) or called.

    >>> import autograd_core as ag
    >>> w = ag.tensor(2.0, requires_grad=True)
    >>> with ag.inference_mode():
    ...     y = w * 3
    >>> y.requires_grad
    False
    """

    mode = True

    def __new__(cls, mode=True):
        if callable(mode):  # used bare: @ag.inference_mode
            return super().__new__(cls, mode)
        self = super().__new__(cls)
        self.mode = as_flag(mode, "inference_mode", "mode")
        return self

    def __enter__(self):
        self._previous.append((self.state.enabled, INFERENCE_MODE.enabled))
        if self.mode:
            self.state.enabled = False
        INFERENCE_MODE.enabled = self.mode

    def __exit__(self, *exc):
        self.state.enabled, INFERENCE_MODE.enabled = self._previous.pop()
        return False

    def _recreate_cm(self):
        return type(self)(self.mode)


class _SetWhenMade:
    """The switches that take effect when made, as PyTorch's set_grad_enabled(False) called bare (a mixin before a
    _Switch): the first `with` finds the mode set already, and one entered again (a decorated generator resuming)
    sets it anew (the switch's own __enter__); decorating a function undoes it, since each call will set it."""

    def _set_now(self):
        super().__enter__()
        self._set_when_made = True

    def __enter__(self):
        if self._set_when_made:
            self._set_when_made = False
        else:
            super().__enter__()

    def __call__(self, func):
        if self._set_when_made:  # decorating a function changes no mode: each of its calls will
            self.__exit__(None, None, None)
            self._set_when_made = False
        return super().__call__(func)


class set_grad_enabled(_SetWhenMade, _Switch):
    """PyTorch's set_grad_enabled(mode): called, it sets gradient mode at once; as a context manager (or a
    decorator) it restores the mode that was in force before, on the way out.

    >>> import autograd_core as ag
    >>> with ag.set_grad_enabled(False):
    ...     ag.is_grad_enabled()
    False
    >>> ag.is_grad_enabled()
    True
    """

    def __new__(cls, mode):
        self = super().__new__(cls)
        self.enabled = as_flag(mode, cls.__name__, "mode")
        self._set_now()
        return self

    def _recreate_cm(self):
        return type(self)(self.enabled)


class detect_anomaly(_Switch):
    """Inside it, the first operation (forward or backward) producing NaN or Inf raises an AnomalyError, a
    FloatingPointError and PyTorch's RuntimeError at once. check_nan=False (PyTorch's) turns anomaly mode on
    (is_anomaly_enabled) with the checks off inside. Usable bare (`@ag.detect_anomaly`) or called.

    >>> import numpy as np, autograd_core as ag
    >>> with ag.detect_anomaly(), np.errstate(invalid="ignore"):  # (NumPy's own warning silenced)
    ...     ag.log(ag.tensor(-1.0))
    Traceback (most recent call last):
    ...
    autograd_core.primitive.AnomalyError: log (forward) produced NaN/Inf ...
    """

    state = ANOMALY
    check_nan = True
    mode = True  # (set_detect_anomaly's switch; detect_anomaly always turns the mode on)

    def __new__(cls, func=None, check_nan=None):
        if isinstance(func, bool):  # detect_anomaly(False): PyTorch's positional check_nan
            if check_nan is not None:
                raise TypeError("detect_anomaly: got check_nan twice, as the first argument and as check_nan=")
            func, check_nan = None, func
        check_nan = True if check_nan is None else check_nan
        if func is not None:  # used bare: @ag.detect_anomaly
            return super().__new__(cls, func)
        self = super().__new__(cls)
        self.check_nan = as_flag(check_nan, "detect_anomaly", "check_nan")
        return self

    def __enter__(self):
        self._previous.append((ANOMALY.enabled, ANOMALY.mode, ANOMALY.check_nan))
        ANOMALY.enabled, ANOMALY.mode, ANOMALY.check_nan = self.mode and self.check_nan, self.mode, self.check_nan

    def __exit__(self, *exc):
        ANOMALY.enabled, ANOMALY.mode, ANOMALY.check_nan = self._previous.pop()
        return False

    def _recreate_cm(self):
        return type(self)(check_nan=self.check_nan)


class set_detect_anomaly(_SetWhenMade, detect_anomaly):
    """PyTorch's torch.autograd.set_detect_anomaly(mode, check_nan=True): detect_anomaly switched on or off by a
    flag; called, it sets the mode at once (process-wide, as PyTorch's); as a context manager (or a decorator) it
    restores the mode that was in force before, on the way out.

    >>> import autograd_core as ag
    >>> with ag.set_detect_anomaly(True):
    ...     ag.is_anomaly_enabled()
    True
    >>> ag.is_anomaly_enabled()
    False
    """

    def __new__(cls, mode, check_nan=True):
        self = _Switch.__new__(cls)
        self.mode = as_flag(mode, cls.__name__, "mode")
        self.check_nan = as_flag(check_nan, cls.__name__, "check_nan")
        self._set_now()
        return self

    def _recreate_cm(self):
        return type(self)(self.mode, self.check_nan)


def is_anomaly_enabled():
    """torch.is_anomaly_enabled: True inside detect_anomaly() or set_detect_anomaly(True).

    >>> import autograd_core as ag
    >>> with ag.detect_anomaly():
    ...     ag.is_anomaly_enabled()
    True
    """
    return ANOMALY.mode


def is_anomaly_check_nan_enabled():
    """torch.is_anomaly_check_nan_enabled: the check_nan that anomaly mode was last given (True by default; False
    inside detect_anomaly(check_nan=False), where anomaly mode checks no value for NaN/Inf).

    >>> import autograd_core as ag
    >>> with ag.detect_anomaly(check_nan=False):
    ...     ag.is_anomaly_enabled(), ag.is_anomaly_check_nan_enabled()
    (True, False)
    """
    return ANOMALY.check_nan


class _anomaly_paused(_Switch):
    """Anomaly checks off inside, in this thread only (the mode itself is process-wide, and another thread's
    detect_anomaly may begin or end meanwhile). Under create_graph a gradient rule runs recorded operations,
    each checked as a forward; pausing those checks lets backprop's check after the rule name the operation
    whose gradient went bad."""

    state = ANOMALY_PAUSED
    enabled = True
