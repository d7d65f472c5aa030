"""PyTorch's torch.jit as eager code sees it: nothing is compiled here, so is_scripting() and is_tracing() are
False, and the markers TorchScript reads (unused, ignore, export, annotate) leave the function or value as it is.
Model code written to be scriptable, as torchvision's (DenseNet's `if torch.jit.is_scripting():`,
`@torch.jit.unused`, `torch.jit.annotate(List[Tensor], [])`, timm's `torch.jit.Final[bool]` annotations), runs
as written; script and trace are refused.
"""

from typing import Final

__all__ = ["is_scripting", "is_tracing", "unused", "ignore", "export", "annotate", "script", "trace", "Final"]

# Final: torch.jit.Final is typing.Final; class bodies annotate constants with it (timm's `_fast_norm:
# torch.jit.Final[bool]`), evaluated when the class is made, so the name must exist.


def is_scripting():
    """Whether the code runs compiled by TorchScript: never here, as PyTorch's answer in eager mode.

    >>> import autograd_core as ag
    >>> ag.jit.is_scripting()
    False
    """
    return False


def is_tracing():
    """Whether the code runs under torch.jit.trace: never here (there is no tracer).

    >>> import autograd_core as ag
    >>> ag.jit.is_tracing()
    False
    """
    return False


def _left_as_it_is(fn=None, **_options):
    # @unused, @ignore(drop=True) and @export: TorchScript's markers; eager PyTorch calls the function unchanged.
    if fn is None:  # @ignore(drop=False), called with options first
        return _left_as_it_is
    return fn


def unused(fn):
    """Marks fn for TorchScript to skip; the function itself, unchanged, as in eager PyTorch.

    >>> import autograd_core as ag
    >>> ag.jit.unused(abs)(-2)
    2
    """
    return _left_as_it_is(fn)


def ignore(drop=False, **kwargs):
    """Marks a function for TorchScript to leave in Python (@ignore or @ignore(drop=...)); the function unchanged.

    >>> import autograd_core as ag
    >>> ag.jit.ignore(abs)(-3), ag.jit.ignore(drop=True)(abs)(-3)
    (3, 3)
    """
    return _left_as_it_is(drop if callable(drop) else None)


def export(fn):
    """Marks a method for TorchScript to compile too; the method unchanged.

    >>> import autograd_core as ag
    >>> ag.jit.export(abs)(-4)
    4
    """
    return _left_as_it_is(fn)


def _overload_method(fn):
    # torchvision's DenseNet declares forward's TorchScript overloads with it; the def after them is the method
    return _left_as_it_is(fn)


def annotate(the_type, the_value):
    """TorchScript's type hint for a value (torch.jit.annotate(List[Tensor], [])): the value itself.

    >>> import autograd_core as ag
    >>> ag.jit.annotate(list, [1, 2])
    [1, 2]
    """
    return the_value


def _no_torchscript(name, obj):
    """The error script and trace raise: there is no compiler to hand obj to."""
    return RuntimeError(f"jit.{name}: there is no TorchScript here; call the Module or function itself (eager code, "
                        f"as PyTorch runs it without {name}), got {type(obj).__name__}")


def script(obj, *args, **kwargs):
    """torch.jit.script compiles a function or Module to TorchScript; there is no compiler here, so it is refused
    (call the Module or function itself, which is what eager PyTorch runs).

    >>> import autograd_core as ag
    >>> ag.jit.script(abs)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    RuntimeError: jit.script: there is no TorchScript here; call the Module or function itself ...
    """
    raise _no_torchscript("script", obj)


def trace(func, *args, **kwargs):
    """torch.jit.trace records a function's operations into TorchScript; refused as script is.

    >>> import autograd_core as ag
    >>> ag.jit.trace(abs, 1)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    RuntimeError: jit.trace: there is no TorchScript here; call the Module or function itself ...
    """
    raise _no_torchscript("trace", func)
