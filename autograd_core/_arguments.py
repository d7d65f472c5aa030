"""The argument checks the engine and nn share: a flag must be a bool, since text such as "no" would read as True."""
import numpy as np


def as_flag(value, owner, name, kind=TypeError, none=False):
    """value as a bool when it is one (Python's or NumPy's), else kind naming owner; none: None passes as it is.

    >>> from autograd_core._arguments import as_flag
    >>> as_flag(False, "DataLoader", "shuffle")
    False
    >>> as_flag("no", "DataLoader", "shuffle")
    Traceback (most recent call last):
    ...
    TypeError: DataLoader: shuffle must be True or False, got 'no'
    """
    if none and value is None:
        return None
    if not isinstance(value, (bool, np.bool_)):
        valid = "True, False or None" if none else "True or False"
        raise kind(f"{owner}: {name} must be {valid}, got {value!r}")
    return bool(value)
