"""The state of the random draws, as PyTorch's: manual_seed, initial_seed, get_rng_state and set_rng_state for the
default generator every rng=None draws from, the use_deterministic_algorithms flags, and PyTorch's Generator (a NumPy
Generator with PyTorch's methods). The random creation functions that draw from them are in creation.py."""
import numpy as np

from . import _arguments
from ._arguments import check_device, int_from_tensor


def manual_seed(seed):
    """Seed the generator that every rng=None draws from (the random creation functions, nn's initialisers, layers,
    Dropout and DataLoader), as torch.manual_seed: the draws after it are the same on each run. It is re-seeded in
    place, so objects made before it that draw from it (rng=None) follow too. Returns that NumPy Generator. A seed
    below 0 is taken modulo 2**64, as PyTorch's; the numbers are NumPy's, not PyTorch's for the same seed.

    >>> import numpy as np, autograd_core as ag
    >>> _ = ag.manual_seed(0); first = ag.randn(3)
    >>> _ = ag.manual_seed(0); bool((ag.randn(3) == first).all())
    True
    >>> bool((first.data == np.random.default_rng(0).standard_normal(3)).all())
    True
    """
    default = _arguments.DEFAULT_GENERATOR
    default._initial_seed = _reseed(default, seed, "manual_seed")
    return default


def initial_seed():
    """The seed of the generator every rng=None draws from, as torch.initial_seed: the one last given to
    ag.manual_seed (modulo 2**64), or before any, the one drawn from fresh entropy at import (NMA's seed_worker:
    `torch.initial_seed() % 2**32`). ag.manual_seed(s).initial_seed() is the same.

    >>> import autograd_core as ag
    >>> _ = ag.manual_seed(2021)
    >>> ag.initial_seed()
    2021
    """
    return _arguments.DEFAULT_GENERATOR.initial_seed()


def get_rng_state():
    """The state of the generator every rng=None draws from, as torch.get_rng_state: give it to ag.set_rng_state to
    draw the same numbers again (PyTorch's test idiom around dropout). It is NumPy's bit-generator state (a dict),
    not PyTorch's ByteTensor.

    >>> import autograd_core as ag
    >>> state = ag.get_rng_state(); first = ag.rand(3)
    >>> ag.set_rng_state(state); bool((ag.rand(3) == first).all())
    True
    """
    return _arguments.DEFAULT_GENERATOR.bit_generator.state  # (a fresh dict: NumPy builds one per read)


def set_rng_state(new_state):
    """Restore the state ag.get_rng_state gave, in place (objects holding the default generator follow), as
    torch.set_rng_state; the seed initial_seed() reports is unchanged, as PyTorch's.

    >>> import autograd_core as ag
    >>> state = ag.get_rng_state(); first = ag.randn(2)
    >>> ag.set_rng_state(state); bool((ag.randn(2) == first).all())
    True
    """
    bit_generator = _arguments.DEFAULT_GENERATOR.bit_generator
    if not isinstance(new_state, dict) or new_state.get("bit_generator") != type(bit_generator).__name__:
        raise TypeError(f"set_rng_state: expected the state ag.get_rng_state() gave (a dict of NumPy's "
                        f"{type(bit_generator).__name__} state), got {type(new_state).__name__}; a torch ByteTensor "
                        f"from torch.get_rng_state() cannot be read here")
    bit_generator.state = new_state  # (NumPy copies the values into the generator)


_DETERMINISTIC = {"mode": False, "warn_only": False}  # PyTorch's flags, read back by the getters below


def use_deterministic_algorithms(mode, *, warn_only=False):
    """PyTorch's use_deterministic_algorithms, for code ported from it (the DCGAN tutorial's opening lines): the
    flags are kept for are_deterministic_algorithms_enabled, and nothing else changes, since every operation here
    (NumPy on the CPU) already gives the same result on each run.

    >>> import autograd_core as ag
    >>> ag.use_deterministic_algorithms(True); ag.are_deterministic_algorithms_enabled()
    True
    >>> ag.use_deterministic_algorithms(False)
    """
    _DETERMINISTIC["mode"] = _arguments.as_flag(mode, "use_deterministic_algorithms", "mode")
    _DETERMINISTIC["warn_only"] = _arguments.as_flag(warn_only, "use_deterministic_algorithms", "warn_only")


def are_deterministic_algorithms_enabled():
    """PyTorch's: the mode last given to use_deterministic_algorithms (False at first).

    >>> import autograd_core as ag
    >>> ag.are_deterministic_algorithms_enabled()
    False
    """
    return _DETERMINISTIC["mode"]


def is_deterministic_algorithms_warn_only_enabled():
    """PyTorch's: the warn_only last given to use_deterministic_algorithms (False at first).

    >>> import autograd_core as ag
    >>> ag.is_deterministic_algorithms_warn_only_enabled()
    False
    """
    return _DETERMINISTIC["warn_only"]


def _reseed(rng, seed, owner):
    """Re-seed the NumPy Generator rng in place with seed (an int, or a 0-d integer Tensor), taken modulo 2**64 as
    PyTorch's; returns that seed."""
    seed = int_from_tensor(seed)
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"{owner}: seed must be an int, got {seed!r}")
    seed = int(seed) % 2 ** 64
    rng.bit_generator.state = np.random.PCG64(seed).state
    return seed


class Generator(np.random.Generator):
    """PyTorch's torch.Generator: a NumPy Generator (PCG64), so rng= and generator= take it everywhere, with
    PyTorch's methods. `manual_seed(s)` re-seeds it in place and returns it, so `g = ag.Generator().manual_seed(s)`
    ports as it is; a new one starts from PyTorch's default seed, 67280421310721. The draws are NumPy's,
    np.random.default_rng(s)'s, not PyTorch's for the same seed.

    >>> import numpy as np, autograd_core as ag
    >>> g = ag.Generator().manual_seed(2147483647)
    >>> bool((ag.randn(3, generator=g).data == np.random.default_rng(2147483647).standard_normal(3)).all())
    True
    >>> g.initial_seed()
    2147483647
    """

    DEFAULT_SEED = 67280421310721  # torch.Generator().initial_seed()

    def __init__(self, device="cpu"):
        check_device(device, "Generator")
        super().__init__(np.random.PCG64(self.DEFAULT_SEED))
        self._initial_seed = self.DEFAULT_SEED

    def manual_seed(self, seed):
        """Re-seed in place (a negative seed modulo 2**64, as PyTorch's) and return self."""
        self._initial_seed = _reseed(self, seed, "Generator.manual_seed")
        return self

    def seed(self):
        """Re-seed from fresh entropy, as torch.Generator.seed, and return the new seed."""
        return self.manual_seed(int(np.random.SeedSequence().generate_state(1, np.uint64)[0])).initial_seed()

    def initial_seed(self):
        """The seed last given (PyTorch's default seed for a Generator never seeded)."""
        return self._initial_seed

    def __reduce__(self):  # copies and pickles stay this class, with the state and seed (NumPy's would drop both)
        return _restored_generator, (self.bit_generator.state, self._initial_seed)


def _restored_generator(state, initial_seed):
    """A Generator at state, for pickle and copy."""
    rng = Generator()
    rng.bit_generator.state = state
    rng._initial_seed = initial_seed
    return rng
