"""Switches that change what the engine records: gradient mode and anomaly detection."""
import contextlib


class _State:
    """Global switches read on every operation (kept to two attributes for speed)."""

    grad_enabled = True
    anomaly = False


STATE = _State()


def is_grad_enabled():
    """True when operations on Tensors that require grad are recorded.

    >>> is_grad_enabled()
    True
    """
    return STATE.grad_enabled


class _GradMode(contextlib.ContextDecorator):
    enabled = True

    def __enter__(self):
        self._previous = STATE.grad_enabled
        STATE.grad_enabled = self.enabled

    def __exit__(self, *exc):
        STATE.grad_enabled = self._previous
        return False


class no_grad(_GradMode):
    """Context manager and decorator: operations inside are not recorded.

    >>> import autograd_core as ag
    >>> w = ag.tensor(2.0, requires_grad=True)
    >>> with ag.no_grad():
    ...     y = w * 3
    >>> y.requires_grad
    False
    """

    enabled = False


class enable_grad(_GradMode):
    """Context manager and decorator: re-enables recording inside a `no_grad` block.

    >>> import autograd_core as ag
    >>> with ag.no_grad(), ag.enable_grad():
    ...     ag.is_grad_enabled()
    True
    """

    enabled = True


class detect_anomaly(contextlib.ContextDecorator):
    """Inside it, the first operation (forward or backward) producing NaN or Inf raises.

    >>> import autograd_core as ag
    >>> with ag.detect_anomaly():
    ...     ag.log(ag.tensor(-1.0))
    Traceback (most recent call last):
    ...
    FloatingPointError: log (forward) produced NaN/Inf ...
    """

    enabled = True

    def __enter__(self):
        self._previous = STATE.anomaly
        STATE.anomaly = self.enabled

    def __exit__(self, *exc):
        STATE.anomaly = self._previous
        return False


class _anomaly_paused(detect_anomaly):
    """Anomaly checks off inside. Under create_graph a gradient rule runs recorded operations, each
    checked as a forward; pausing those checks lets backprop's check after the rule name the operation
    whose gradient went bad."""

    enabled = False
