"""Pruning, as torch.nn.utils.prune: a pruned parameter <name> is replaced by the Parameter <name>_orig (its values,
still trained) and the buffer <name>_mask (1 keeps an entry, 0 prunes it), and a forward pre-hook, the pruning
method itself, recomputes module.<name> = <name>_mask * <name>_orig before each forward, so gradients reach
<name>_orig through the mask (zero where pruned). Pruning a parameter again combines the masks in a
PruningContainer, the new method choosing among the entries (unstructured) or channels (structured) still kept.
remove() makes the pruning permanent: <name> is a plain Parameter again, holding the pruned values.

The masks are computed on the values (NumPy); which of equal values goes first may differ from PyTorch's, and the
random methods draw from NumPy's generator (ag.manual_seed seeds it), not PyTorch's."""
import numbers
from abc import ABC, abstractmethod
from collections.abc import Iterable

import numpy as np

from autograd_core import Tensor, no_grad
from autograd_core._arguments import generator

from ..hooks import PRE_HOOKS
from ..module import Parameter

__all__ = ["BasePruningMethod", "PruningContainer", "Identity", "RandomUnstructured", "L1Unstructured",
           "RandomStructured", "LnStructured", "CustomFromMask", "identity", "random_unstructured",
           "l1_unstructured", "random_structured", "ln_structured", "global_unstructured", "custom_from_mask",
           "remove", "is_pruned"]


def _values(x):
    """x's values as an ndarray (a Tensor's array, not a copy)."""
    return x.data if isinstance(x, Tensor) else np.asarray(x)


def _mask_like(values, dtype):
    """A constant Tensor holding the mask values, in dtype (the parameter's, as PyTorch's masks)."""
    return Tensor(np.array(_values(values), dtype=dtype))


def _pruning_hooks(module):
    """(key, method) of each pruning method among module's forward pre-hooks."""
    return [(key, hook) for key, hook in vars(module).get(PRE_HOOKS, {}).items() if isinstance(hook, BasePruningMethod)]


class BasePruningMethod(ABC):
    """Base class of the pruning methods, as PyTorch's: a subclass sets PRUNING_TYPE ('unstructured',
    'structured' (with an attribute dim) or 'global') and writes compute_mask(t, default_mask), the mask to apply
    given the importance scores t and the mask so far; apply(module, name, ...) prunes a module's parameter.

    >>> import autograd_core as ag, nn
    >>> from nn.utils import prune
    >>> class EveryOther(prune.BasePruningMethod):
    ...     PRUNING_TYPE = "unstructured"
    ...     def compute_mask(self, t, default_mask):
    ...         mask = default_mask.clone()
    ...         mask.view(-1)[::2] = 0
    ...         return mask
    >>> EveryOther().prune(ag.tensor([1.0, 2.0, 3.0, 4.0]))
    Tensor([0., 2., 0., 4.])
    """

    _tensor_name = None

    def __call__(self, module, inputs):
        """The forward pre-hook: module.<name> recomputed from <name>_orig and <name>_mask."""
        setattr(module, self._tensor_name, self.apply_mask(module))

    @abstractmethod
    def compute_mask(self, t, default_mask):
        """The mask for importance scores t (a Tensor), respecting default_mask (the mask so far, of t's shape)."""

    def apply_mask(self, module):
        """module's <name>_mask * <name>_orig, the pruned parameter (recorded: gradients reach <name>_orig)."""
        if self._tensor_name is None:
            raise RuntimeError(f"{type(self).__name__}.apply_mask: the method prunes no parameter yet; call "
                               f"{type(self).__name__}.apply(module, name, ...) first")
        mask = getattr(module, self._tensor_name + "_mask")
        orig = getattr(module, self._tensor_name + "_orig")
        return (mask if mask.dtype == orig.dtype else mask.astype(orig.dtype)) * orig

    @classmethod
    def apply(cls, module, name, *args, importance_scores=None, **kwargs):
        """Prune module's parameter name with cls(*args, **kwargs) (combined with an earlier pruning of it in a
        PruningContainer) and return the method now its forward pre-hook; importance_scores (the parameter's
        shape) rank the entries in its place."""
        method, old_key = _composite_method(cls, module, name, *args, **kwargs)
        orig = getattr(module, name)
        if old_key is None and not isinstance(orig, Parameter):  # (refused before anything changes, as PyTorch)
            raise TypeError(f"{cls.__name__}.apply: {type(module).__name__}.{name} is a {type(orig).__name__}, not a "
                            f"Parameter; pruning reparametrises a parameter as {name}_orig and {name}_mask")
        if importance_scores is not None and tuple(np.shape(importance_scores)) != tuple(orig.shape):
            raise ValueError(f"{cls.__name__}.apply: importance_scores should have the shape of parameter {name!r} "
                             f"of {type(module).__name__}, {tuple(orig.shape)}; got "
                             f"{tuple(np.shape(importance_scores))}")
        scores = orig if importance_scores is None else importance_scores
        default_mask = np.ones(orig.shape) if old_key is None else getattr(module, name + "_mask")
        with no_grad():  # (a mask is no function of the values: nothing to record)
            mask = _mask_like(method.compute_mask(scores, default_mask=_mask_like(default_mask, orig.dtype)),
                              orig.dtype)
        if tuple(mask.shape) != tuple(orig.shape):
            raise ValueError(f"{cls.__name__}.compute_mask: the mask's shape {tuple(mask.shape)} should be "
                             f"{name!r}'s, {tuple(orig.shape)}")
        # The module changes only once the mask is known, so that an error above leaves it as it was.
        if old_key is None:
            delattr(module, name)
            module.register_parameter(name + "_orig", orig)
        else:
            del vars(module)[PRE_HOOKS][old_key]
        module.register_buffer(name + "_mask", mask)
        setattr(module, name, method.apply_mask(module))
        module.register_forward_pre_hook(method)
        return method

    def prune(self, t, default_mask=None, importance_scores=None):
        """t times the mask this method computes for it (from importance_scores, t's shape, if given), on top of
        default_mask (ones if None)."""
        scores = t if importance_scores is None else importance_scores
        if tuple(np.shape(scores)) != tuple(np.shape(t)):
            raise ValueError(f"{type(self).__name__}.prune: importance_scores should have t's shape "
                             f"{tuple(np.shape(t))}; got {tuple(np.shape(scores))}")
        dtype = _values(t).dtype
        default_mask = _mask_like(np.ones(np.shape(t)) if default_mask is None else default_mask, dtype)
        with no_grad():
            mask = _mask_like(self.compute_mask(scores, default_mask=default_mask), dtype)
        return t * mask

    def remove(self, module):
        """Make the pruning permanent: <name> becomes a Parameter again (the <name>_orig one) holding the pruned
        values; <name>_orig and <name>_mask are gone. (The caller takes the hook off.)"""
        if self._tensor_name is None:
            raise RuntimeError(f"{type(self).__name__}.remove: the method prunes no parameter; nothing to remove")
        name = self._tensor_name
        pruned = self.apply_mask(module).data
        vars(module).pop(name, None)
        orig = getattr(module, name + "_orig")
        orig.data = np.array(pruned)  # (a new value: graphs that recorded the old one refuse to backpropagate)
        delattr(module, name + "_orig")
        delattr(module, name + "_mask")
        module.register_parameter(name, orig)


def _composite_method(cls, module, name, *args, **kwargs):
    """(method, key): cls(*args, **kwargs) on name alone and None, or joined in a PruningContainer to the pruning
    method already on name and that method's key among the module's hooks (which apply replaces by the result)."""
    found = [(key, hook) for key, hook in _pruning_hooks(module) if hook._tensor_name == name]
    if len(found) > 1:
        raise RuntimeError(f"{cls.__name__}.apply: {type(module).__name__} has {len(found)} pruning hooks on "
                           f"{name!r}; there should be one (a PruningContainer)")
    method = cls(*args, **kwargs)
    method._tensor_name = name
    if not found:
        return method, None
    key, old = found[0]
    container = PruningContainer(*old) if isinstance(old, PruningContainer) else PruningContainer(old)
    container.add_pruning_method(method)  # (a new container: the hook in place stays as it was on an error)
    return container, key


class PruningContainer(BasePruningMethod):
    """The pruning methods applied to one parameter in turn (iterable, indexable): its mask combines them, each
    new method choosing among what the earlier ones kept (see compute_mask).

    >>> import nn
    >>> from nn.utils import prune
    >>> layer = prune.l1_unstructured(nn.Linear(3, 2), "weight", amount=1)
    >>> layer = prune.l1_unstructured(layer, "weight", amount=1)
    >>> hook = list(layer._forward_pre_hooks.values())[0]
    >>> [type(method).__name__ for method in hook], int(layer.weight_mask.sum().item())
    (['L1Unstructured', 'L1Unstructured'], 4)
    """

    def __init__(self, *methods):
        self._pruning_methods = ()
        if methods:
            self._tensor_name = methods[0]._tensor_name
        for method in methods:
            self.add_pruning_method(method)

    def add_pruning_method(self, method):
        """Append method (a BasePruningMethod on the same parameter)."""
        if not isinstance(method, BasePruningMethod):
            raise TypeError(f"PruningContainer.add_pruning_method: {type(method).__name__} is not a "
                            f"BasePruningMethod subclass")
        if self._tensor_name != method._tensor_name:
            raise ValueError(f"PruningContainer.add_pruning_method: the container prunes {self._tensor_name!r}, "
                             f"the method {method._tensor_name!r}; a container holds methods on one parameter")
        self._pruning_methods += (method,)

    def __len__(self):
        return len(self._pruning_methods)

    def __iter__(self):
        return iter(self._pruning_methods)

    def __getitem__(self, index):
        return self._pruning_methods[index]

    def compute_mask(self, t, default_mask):
        """default_mask with the last method's mask computed on what it kept: for an 'unstructured' method the
        entries still 1 (as a 1-D Tensor), for a 'structured' one the channels along its dim not all 0, for a
        'global' one the whole tensor."""
        method = self._pruning_methods[-1]
        kind = method.PRUNING_TYPE
        mask = _values(default_mask)
        if kind == "unstructured":
            kept = mask == 1
        elif kind == "structured":
            if not hasattr(method, "dim"):
                raise AttributeError(f"PruningContainer.compute_mask: {type(method).__name__} is 'structured' "
                                     f"and needs the attribute dim (the axis of its channels)")
            dim = _axis(method.dim, mask.ndim, type(method).__name__)
            kept = [slice(None)] * mask.ndim
            kept[dim] = mask.sum(axis=tuple(d for d in range(mask.ndim) if d != dim)) != 0
            kept = tuple(kept)
        elif kind == "global":
            kept = (slice(None),) * mask.ndim
        else:
            raise ValueError(f"PruningContainer.compute_mask: unknown PRUNING_TYPE {kind!r} of "
                             f"{type(method).__name__}; expected 'unstructured', 'structured' or 'global'")
        scores = t if isinstance(t, Tensor) else Tensor(t)
        combined = np.array(mask, dtype=_values(t).dtype)
        combined[kept] = _values(method.compute_mask(scores[kept], default_mask=Tensor(mask[kept])))
        return Tensor(combined)


def _axis(dim, ndim, owner):
    """dim (negative from the end) as an axis of ndim dimensions, or an IndexError naming owner."""
    if not -ndim <= dim < ndim:
        raise IndexError(f"{owner}: dim={dim} is out of range for a tensor of {ndim} dimensions; valid: "
                         f"{-ndim}..{ndim - 1}")
    return dim % ndim


class Identity(BasePruningMethod):
    """Prunes nothing: the pruning reparametrisation with a mask of ones.

    >>> import nn
    >>> from nn.utils import prune
    >>> layer = nn.Linear(2, 1)
    >>> type(prune.Identity.apply(layer, "weight")).__name__, layer.weight_mask.tolist()
    ('Identity', [[1.0, 1.0]])
    """

    PRUNING_TYPE = "unstructured"

    def compute_mask(self, t, default_mask):
        return default_mask

    @classmethod
    def apply(cls, module, name):
        return super().apply(module, name)


class RandomUnstructured(BasePruningMethod):
    """Prunes amount (a fraction in [0, 1], or a count) of the entries, at random.

    >>> import autograd_core as ag
    >>> from nn.utils import prune
    >>> prune.RandomUnstructured(amount=2).prune(ag.ones(4)).sum()
    Tensor(2.)
    """

    PRUNING_TYPE = "unstructured"

    def __init__(self, amount):
        self.amount = _validate_pruning_amount_init(amount, type(self).__name__)

    def compute_mask(self, t, default_mask):
        count = _count_to_prune(self.amount, _values(t).size, type(self).__name__)
        mask = np.array(_values(default_mask))
        if count:
            draws = generator(None, type(self).__name__).random(mask.size)
            mask.reshape(-1)[np.argsort(-draws, kind="stable")[:count]] = 0
        return Tensor(mask)

    @classmethod
    def apply(cls, module, name, amount):
        return super().apply(module, name, amount=amount)


class L1Unstructured(BasePruningMethod):
    """Prunes amount (a fraction in [0, 1], or a count) of the entries, those of least magnitude.

    >>> import autograd_core as ag
    >>> from nn.utils import prune
    >>> prune.L1Unstructured(amount=1).prune(ag.tensor([0.5, 0.1, -2.0]))
    Tensor([ 0.5,  0. , -2. ])
    """

    PRUNING_TYPE = "unstructured"

    def __init__(self, amount):
        self.amount = _validate_pruning_amount_init(amount, type(self).__name__)

    def compute_mask(self, t, default_mask):
        scores = _values(t)
        count = _count_to_prune(self.amount, scores.size, type(self).__name__)
        mask = np.array(_values(default_mask))
        if count:
            mask.reshape(-1)[np.argsort(np.abs(scores).reshape(-1), kind="stable")[:count]] = 0
        return Tensor(mask)

    @classmethod
    def apply(cls, module, name, amount, importance_scores=None):
        return super().apply(module, name, amount=amount, importance_scores=importance_scores)


def _channel_mask(shape, dim, kept):
    """Ones on the channels kept (a boolean or index array along dim), zeros elsewhere."""
    mask = np.zeros(shape)
    index = [slice(None)] * len(shape)
    index[dim] = kept
    mask[tuple(index)] = 1
    return mask


def _structured_count(method, t):
    """(axis, channels along it, how many to prune) for a structured method on t, checked."""
    name = type(method).__name__
    if np.ndim(t) <= 1:
        raise ValueError(f"{name}: structured pruning needs a tensor of two or more dimensions; got shape "
                         f"{tuple(np.shape(t))}")
    dim = _axis(method.dim, np.ndim(t), name)
    channels = np.shape(t)[dim]
    return dim, channels, _count_to_prune(method.amount, channels, name)


class RandomStructured(BasePruningMethod):
    """Prunes amount (a fraction in [0, 1], or a count) of the channels along dim, at random.

    >>> import autograd_core as ag
    >>> from nn.utils import prune
    >>> prune.RandomStructured(amount=1, dim=0).prune(ag.ones((3, 2))).sum()
    Tensor(4.)
    """

    PRUNING_TYPE = "structured"

    def __init__(self, amount, dim=-1):
        self.amount, self.dim = _validate_pruning_amount_init(amount, type(self).__name__), dim

    def compute_mask(self, t, default_mask):
        dim, channels, count = _structured_count(self, t)
        if count == 0:
            return default_mask
        draws = generator(None, type(self).__name__).random(channels)
        kept = draws > np.partition(draws, count - 1)[count - 1]  # (all but the count smallest, as PyTorch's)
        return Tensor(_channel_mask(np.shape(t), dim, kept) * _values(default_mask))

    @classmethod
    def apply(cls, module, name, amount, dim=-1):
        return super().apply(module, name, amount=amount, dim=dim)


class LnStructured(BasePruningMethod):
    """Prunes amount (a fraction in [0, 1], or a count) of the channels along dim, those of least L`n` norm (n an
    order of np.linalg.norm: an int, inf, -inf, 'fro' or 'nuc').

    >>> import autograd_core as ag
    >>> from nn.utils import prune
    >>> prune.LnStructured(amount=1, n=2, dim=0).prune(ag.tensor([[3.0, 4.0], [0.5, 0.0]]))
    Tensor([[3., 4.],
            [0., 0.]])
    """

    PRUNING_TYPE = "structured"

    def __init__(self, amount, n, dim=-1):
        self.amount, self.n, self.dim = _validate_pruning_amount_init(amount, type(self).__name__), n, dim

    def compute_mask(self, t, default_mask):
        dim, channels, count = _structured_count(self, t)
        if count == 0:
            return default_mask
        norms = _channel_norms(_values(t), self.n, dim)
        kept = np.argsort(-norms, kind="stable")[:channels - count]
        return Tensor(_channel_mask(np.shape(t), dim, kept) * _values(default_mask))

    @classmethod
    def apply(cls, module, name, amount, n, dim, importance_scores=None):
        return super().apply(module, name, amount=amount, n=n, dim=dim, importance_scores=importance_scores)


def _channel_norms(values, n, dim):
    """The norm of order n of each channel along dim (PyTorch's: 'fro' and 'nuc' a matrix norm when a channel is
    a matrix, 'fro' the 2-norm otherwise)."""
    channels = np.moveaxis(values, dim, 0)
    if n == "nuc" or (n == "fro" and channels.ndim == 3):
        return np.linalg.norm(channels, ord=n, axis=(-2, -1))
    flat = channels.reshape(len(channels), -1)
    return np.linalg.norm(flat, ord=2 if n == "fro" else n, axis=1)


class CustomFromMask(BasePruningMethod):
    """Prunes where mask (the parameter's shape) is 0.

    >>> import autograd_core as ag
    >>> from nn.utils import prune
    >>> prune.CustomFromMask(mask=ag.tensor([1.0, 0.0])).prune(ag.tensor([2.0, 3.0]))
    Tensor([2., 0.])
    """

    PRUNING_TYPE = "global"

    def __init__(self, mask):
        self.mask = mask

    def compute_mask(self, t, default_mask):
        if tuple(np.shape(self.mask)) != tuple(np.shape(default_mask)):
            raise ValueError(f"CustomFromMask: the mask's shape {tuple(np.shape(self.mask))} should be the "
                             f"parameter's, {tuple(np.shape(default_mask))}")
        return Tensor(_values(default_mask) * _values(self.mask))

    @classmethod
    def apply(cls, module, name, mask):
        return super().apply(module, name, mask=mask)


# The amount's checks and count under PyTorch's private names and signatures, which custom pruning methods written
# after PyTorch's own call (`prune._validate_pruning_amount_init(amount)` in __init__, then
# `prune._compute_nparams_toprune(self.amount, t.nelement())` in compute_mask); owner names the caller in errors.
def _validate_pruning_amount_init(amount, owner="prune"):
    """amount as PyTorch takes it: a count (an int >= 0) or a fraction (a float in [0, 1]); returned."""
    if not isinstance(amount, numbers.Real):
        raise TypeError(f"{owner}: amount must be an int (a count) or a float (a fraction), got "
                        f"{type(amount).__name__}")
    if isinstance(amount, numbers.Integral) and amount < 0 or not isinstance(amount, numbers.Integral) and not (
            0.0 <= float(amount) <= 1.0):
        raise ValueError(f"{owner}: amount={amount} should be a float in [0, 1] or a non-negative integer")
    return amount


def _validate_pruning_amount(amount, tensor_size, owner="prune"):
    """A count (int) amount must be at most tensor_size, the entries or channels there are to prune."""
    if isinstance(amount, numbers.Integral) and amount > tensor_size:
        raise ValueError(f"{owner}: amount={amount} should be at most the number of entries or channels to "
                         f"prune, {tensor_size}")


def _compute_nparams_toprune(amount, tensor_size):
    """How many of tensor_size entries or channels amount prunes (a fraction rounded half to even, as PyTorch's).

    >>> from nn.utils import prune
    >>> [prune._compute_nparams_toprune(amount, 15) for amount in (1, 1.0, 0.4)]
    [1, 15, 6]
    """
    return int(amount) if isinstance(amount, numbers.Integral) else round(amount * tensor_size)


def _count_to_prune(amount, size, owner):
    _validate_pruning_amount(amount, size, owner)
    return _compute_nparams_toprune(amount, size)


def identity(module, name):
    """Prune nothing of module's parameter name, but reparametrise it as pruning does (name_orig, a mask of ones,
    the hook). Returns module.

    >>> import nn
    >>> from nn.utils import prune
    >>> sorted(prune.identity(nn.Linear(2, 1), "weight").state_dict())
    ['bias', 'weight_mask', 'weight_orig']
    """
    Identity.apply(module, name)
    return module


def random_unstructured(module, name, amount):
    """Prune amount (a fraction in [0, 1], or a count) of the entries of module's parameter name, at random (from
    NumPy's generator: ag.manual_seed seeds it). Returns module.

    >>> import nn
    >>> from nn.utils import prune
    >>> layer = prune.random_unstructured(nn.Linear(4, 5), "weight", amount=0.3)
    >>> int((layer.weight_mask == 0).sum().item())
    6
    """
    RandomUnstructured.apply(module, name, amount)
    return module


def l1_unstructured(module, name, amount, importance_scores=None):
    """Prune amount (a fraction in [0, 1], or a count) of the entries of module's parameter name, those of least
    magnitude (of importance_scores', the parameter's shape, when given). Returns module.

    >>> import numpy as np, nn
    >>> from nn.utils import prune
    >>> layer = nn.Linear(2, 3)
    >>> layer.bias.data[:] = [0.5, -0.1, 0.2]
    >>> prune.l1_unstructured(layer, "bias", amount=2).bias.tolist()  # (-0.1 * 0 is -0.0, as in PyTorch)
    [0.5, -0.0, 0.0]
    """
    L1Unstructured.apply(module, name, amount=amount, importance_scores=importance_scores)
    return module


def random_structured(module, name, amount, dim):
    """Prune amount (a fraction in [0, 1], or a count) of the channels along dim of module's parameter name, at
    random. Returns module.

    >>> import nn
    >>> from nn.utils import prune
    >>> layer = prune.random_structured(nn.Linear(3, 4), "weight", amount=1, dim=0)
    >>> layer.weight_mask.sum(axis=1).tolist().count(0.0)
    1
    """
    RandomStructured.apply(module, name, amount, dim)
    return module


def ln_structured(module, name, amount, n, dim, importance_scores=None):
    """Prune amount (a fraction in [0, 1], or a count) of the channels along dim of module's parameter name, those
    of least L`n` norm (of importance_scores, when given). Returns module.

    >>> import numpy as np, nn
    >>> from nn.utils import prune
    >>> layer = nn.Linear(2, 3)
    >>> layer.weight.data[:] = [[1, 1], [0.1, 0], [3, -1]]
    >>> prune.ln_structured(layer, "weight", amount=1, n=2, dim=0).weight_mask.tolist()
    [[1.0, 1.0], [0.0, 0.0], [1.0, 1.0]]
    """
    LnStructured.apply(module, name, amount, n, dim, importance_scores=importance_scores)
    return module


def global_unstructured(parameters, pruning_method, importance_scores=None, **kwargs):
    """Prune the parameters, (module, name) pairs, as one vector with pruning_method (an 'unstructured' class
    such as L1Unstructured, given its arguments by kwargs): a fraction of all their entries, however they fall
    among them. importance_scores: a dict {(module, name): scores} replacing a parameter's values in the ranking.

    >>> import numpy as np, nn
    >>> from nn.utils import prune
    >>> a, b = nn.Linear(2, 1, bias=False), nn.Linear(2, 1, bias=False)
    >>> a.weight.data[:], b.weight.data[:] = [1, 4], [2, 3]
    >>> prune.global_unstructured([(a, "weight"), (b, "weight")], prune.L1Unstructured, amount=0.5)
    >>> a.weight_mask.tolist(), b.weight_mask.tolist()
    ([[0.0, 1.0]], [[0.0, 1.0]])
    """
    if not isinstance(parameters, Iterable):
        raise TypeError(f"global_unstructured: parameters must be an iterable of (module, name) pairs, got "
                        f"{type(parameters).__name__}")
    parameters = list(parameters)
    importance_scores = {} if importance_scores is None else importance_scores
    if not isinstance(importance_scores, dict):
        raise TypeError(f"global_unstructured: importance_scores must be a dict {{(module, name): scores}}, got "
                        f"{type(importance_scores).__name__}")
    method = pruning_method(**kwargs)
    if method.PRUNING_TYPE != "unstructured":
        raise TypeError(f"global_unstructured: pruning_method must be 'unstructured'; {pruning_method.__name__} "
                        f"is {method.PRUNING_TYPE!r}")
    values = [_values(getattr(module, name)) for module, name in parameters]
    scores = np.concatenate([np.ravel(_values(importance_scores.get((module, name), value)))
                             for (module, name), value in zip(parameters, values)])
    masks = np.concatenate([np.ravel(_values(getattr(module, name + "_mask", np.ones(value.shape))))
                            for (module, name), value in zip(parameters, values)])
    method._tensor_name = "temp"
    container = PruningContainer(method)
    with no_grad():
        mask = _values(container.compute_mask(Tensor(scores.astype(np.result_type(*values))), Tensor(masks)))
    start = 0
    for (module, name), value in zip(parameters, values):
        custom_from_mask(module, name, mask=mask[start:start + value.size].reshape(value.shape))
        start += value.size


def custom_from_mask(module, name, mask):
    """Prune module's parameter name where mask (its shape) is 0. Returns module.

    >>> import numpy as np, nn
    >>> from nn.utils import prune
    >>> layer = prune.custom_from_mask(nn.Linear(2, 2), "bias", mask=np.array([0, 1]))
    >>> layer.bias_mask
    Tensor([0., 1.], dtype=float32)
    """
    CustomFromMask.apply(module, name, mask)
    return module


def remove(module, name):
    """Make the pruning of module's parameter name permanent: name is a Parameter again holding the pruned values,
    name_orig, name_mask and the hook are gone. Returns module.

    >>> import nn
    >>> from nn.utils import prune
    >>> layer = prune.remove(prune.l1_unstructured(nn.Linear(2, 2), "weight", amount=1), "weight")
    >>> sorted(layer.state_dict()), prune.is_pruned(layer)
    (['bias', 'weight'], False)
    """
    for key, hook in _pruning_hooks(module):
        if hook._tensor_name == name:
            hook.remove(module)
            del vars(module)[PRE_HOOKS][key]
            return module
    raise ValueError(f"remove: parameter {name!r} of {type(module).__name__} is not pruned; prune it before removing "
                     f"the pruning")


def is_pruned(module):
    """Whether module or a module under it has a pruning hook.

    >>> import nn
    >>> from nn.utils import prune
    >>> net = nn.Sequential(nn.Linear(2, 2), nn.ReLU())
    >>> prune.is_pruned(net), prune.is_pruned(prune.identity(net[0], "bias") and net)
    (False, True)
    """
    return any(_pruning_hooks(submodule) for _, submodule in module.named_modules())
