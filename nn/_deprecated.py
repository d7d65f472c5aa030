"""PyTorch's deprecated names, kept for old code (nn.init.xavier_uniform, nn.utils.clip_grad_norm): each calls its
replacement after PyTorch's FutureWarning."""
import functools
import warnings


def deprecated_alias(replacement, old_name, where):
    """replacement under PyTorch's deprecated old_name in module where (as PyTorch spells it, "nn.init"): a function
    that warns FutureWarning, as PyTorch's, then calls replacement with the same arguments.

    >>> import warnings, autograd_core as ag, nn
    >>> w = ag.zeros((2, 2))
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     nn.init.constant(w, 3.0).tolist()
    [[3.0, 3.0], [3.0, 3.0]]
    >>> print(caught[0].category.__name__, caught[0].message)
    FutureWarning nn.init.constant is deprecated in favor of nn.init.constant_, as in PyTorch
    """
    @functools.wraps(replacement)
    def alias(*args, **kwargs):
        warnings.warn(f"{where}.{old_name} is deprecated in favor of {where}.{replacement.__name__}, as in PyTorch",
                      FutureWarning, stacklevel=2)
        return replacement(*args, **kwargs)
    alias.__name__ = alias.__qualname__ = old_name
    alias.__doc__ = f"PyTorch's deprecated {where}.{old_name}: {replacement.__name__} after a FutureWarning."
    return alias
