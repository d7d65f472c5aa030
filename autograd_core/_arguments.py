"""The argument checks the engine and nn share: a flag must be a bool, since text such as "no" would read as True;
an rng becomes a NumPy Generator."""
import numpy as np


def as_flag(value, owner, name, kind=TypeError, none=False):
    """value as a bool when it is one (Python's or NumPy's), else kind naming owner; none: None passes as it is.

    >>> from autograd_core._arguments import as_flag
    >>> as_flag(False, "fit", "progress")
    False
    >>> as_flag("no", "fit", "progress")
    Traceback (most recent call last):
    ...
    TypeError: fit: progress must be True or False, got 'no'
    """
    if none and value is None:
        return None
    if not isinstance(value, (bool, np.bool_)):
        valid = "True, False or None" if none else "True or False"
        raise kind(f"{owner}: {name} must be {valid}, got {value!r}")
    return bool(value)


def generator(rng, owner):
    """np.random.default_rng(rng) (rng: None, a seed, a SeedSequence or a Generator), with errors naming owner.

    >>> import numpy as np
    >>> from autograd_core._arguments import generator
    >>> int(generator(0, "DataLoader").integers(10)) == int(np.random.default_rng(0).integers(10))
    True
    >>> generator("abc", "DataLoader")
    Traceback (most recent call last):
    ...
    TypeError: DataLoader: rng must be None, a non-negative int seed or a numpy.random.Generator, got 'abc'
    """
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, (bool, np.bool_)):  # NumPy would take it as seed 0 or 1: a torch-style `inplace` flag, say
        raise TypeError(f"{owner}: rng must be None, a non-negative int seed or a numpy.random.Generator, got {rng!r}")
    try:
        return np.random.default_rng(rng)
    except (TypeError, ValueError) as err:
        raise type(err)(f"{owner}: rng must be None, a non-negative int seed or a numpy.random.Generator, "
                        f"got {rng!r}") from None
