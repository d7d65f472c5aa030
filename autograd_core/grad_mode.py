"""Switches that change what the engine records: gradient mode and anomaly detection.

Both are per thread, as in PyTorch: a thread starts with grad enabled and anomaly detection off.
"""
import contextlib
import functools
import inspect
import threading


class _State(threading.local):
    """The switches read on every operation (kept to two attributes for speed); the class
    attributes are each new thread's starting values."""

    grad_enabled = True
    anomaly = False


STATE = _State()


def is_grad_enabled():
    """True when operations on Tensors that require grad are recorded.

    >>> is_grad_enabled()
    True
    """
    return STATE.grad_enabled


class _Switch(contextlib.ContextDecorator):
    """Sets STATE.<switch> to `enabled` inside, and back after. One instance may be entered again
    while active (a stack of previous values); as a decorator each call gets a fresh instance, and
    a decorated generator runs under the switch each time it resumes, as torch.no_grad does.
    Usable bare (`@ag.no_grad`) or called (`@ag.no_grad()`)."""

    switch = "grad_enabled"
    enabled = True

    def __new__(cls, func=None):
        self = super().__new__(cls)
        if func is not None:  # bare decorator: @ag.no_grad
            self.__init__()
            return self(func)
        return self

    def __init__(self, func=None):
        self._previous = []

    def __enter__(self):
        self._previous.append(getattr(STATE, self.switch))
        setattr(STATE, self.switch, self.enabled)

    def __exit__(self, *exc):
        setattr(STATE, self.switch, self._previous.pop())
        return False

    def _recreate_cm(self):
        return type(self)()

    def __call__(self, func):
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


class detect_anomaly(_Switch):
    """Inside it, the first operation (forward or backward) producing NaN or Inf raises.

    >>> import autograd_core as ag
    >>> with ag.detect_anomaly():
    ...     ag.log(ag.tensor(-1.0))
    Traceback (most recent call last):
    ...
    FloatingPointError: log (forward) produced NaN/Inf ...
    """

    switch = "anomaly"
    enabled = True


class _anomaly_paused(detect_anomaly):
    """Anomaly checks off inside. Under create_graph a gradient rule runs recorded operations, each
    checked as a forward; pausing those checks lets backprop's check after the rule name the operation
    whose gradient went bad."""

    enabled = False
