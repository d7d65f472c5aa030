"""The one place nn turns an `rng` argument into a NumPy Generator, with an error naming its owner."""
import numpy as np


def generator(rng, owner):
    """np.random.default_rng(rng) (rng: None, a seed, a SeedSequence or a Generator), with errors naming owner.

    >>> import numpy as np
    >>> from nn._random import generator
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
