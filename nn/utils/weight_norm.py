"""The older weight normalisation, as torch.nn.utils.weight_norm / remove_weight_norm: a forward pre-hook that
recomputes module.<name> = g * v / |v| from the Parameters <name>_g and <name>_v before each forward. (PyTorch now
advises nn.utils.parametrizations.weight_norm; this keeps the old state dict keys "weight_g", "weight_v".)"""
import warnings

from .._uninitialized import refuse_lazy
from ..module import Parameter
from .parametrizations import norm_except_dim

__all__ = ["weight_norm", "remove_weight_norm", "WeightNorm"]


def _pre_hooks(module):
    return vars(module).get("_forward_pre_hooks", {})


def _find(module, kind, name):
    """The key of module's forward pre-hook of class kind on name, or None."""
    return next((key for key, hook in _pre_hooks(module).items() if isinstance(hook, kind) and hook.name == name), None)


def _remove(module, kind, name, where):
    """Remove module's forward pre-hook of class kind on name (remove_weight_norm, remove_spectral_norm)."""
    key = _find(module, kind, name)
    if key is None:
        raise ValueError(f"{where}: {where[len('remove_'):]} of {name!r} not found in {type(module).__name__}")
    _pre_hooks(module).pop(key).remove(module)
    return module


class WeightNorm:
    """The forward pre-hook of weight_norm: name, dim (-1: over the whole tensor, as PyTorch)."""

    def __init__(self, name, dim):
        self.name, self.dim = name, -1 if dim is None else dim

    def compute_weight(self, module):
        g, v = getattr(module, self.name + "_g"), getattr(module, self.name + "_v")
        return v * (g / norm_except_dim(v, self.dim))

    @staticmethod
    def apply(module, name, dim):
        if _find(module, WeightNorm, name) is not None:
            raise RuntimeError(f"weight_norm: cannot register two weight_norm hooks on the same parameter {name!r}")
        weight = vars(module).get(name) if isinstance(name, str) else None
        if not isinstance(weight, Parameter):
            raise ValueError(f"weight_norm: module {type(module).__name__} has no parameter {name!r}")
        refuse_lazy(module, name, "weight_norm", "weight normalization")
        fn = WeightNorm(name, dim)
        g = norm_except_dim(weight, fn.dim)  # (checks dim first: nothing changes on an error)
        delattr(module, name)
        module.register_parameter(name + "_g", Parameter(g.data.copy()))
        module.register_parameter(name + "_v", Parameter(weight.data))
        setattr(module, name, fn.compute_weight(module))
        module.register_forward_pre_hook(fn)
        return fn

    def remove(self, module):
        weight = self.compute_weight(module)
        delattr(module, self.name)
        delattr(module, self.name + "_g")
        delattr(module, self.name + "_v")
        module.register_parameter(self.name, Parameter(weight.data.copy()))

    def __call__(self, module, inputs):
        setattr(module, self.name, self.compute_weight(module))


def weight_norm(module, name="weight", dim=0):
    """Weight normalisation with a forward pre-hook, as torch.nn.utils.weight_norm: the Parameter name is replaced
    by name_g (the magnitude, norms over every axis but dim; dim None: the whole tensor) and name_v (the
    direction), and module.<name> = name_g * name_v / |name_v| is recomputed before each forward. Returns module.

    >>> import warnings, nn
    >>> with warnings.catch_warnings():  # (its FutureWarning, as PyTorch's)
    ...     warnings.simplefilter("ignore", FutureWarning)
    ...     layer = nn.utils.weight_norm(nn.Linear(3, 2))
    >>> {k: v.shape for k, v in layer.state_dict().items()}
    {'bias': (2,), 'weight_g': (2, 1), 'weight_v': (2, 3)}
    """
    warnings.warn("nn.utils.weight_norm is deprecated in favor of nn.utils.parametrizations.weight_norm (as in "
                  "PyTorch)", FutureWarning, stacklevel=2)
    WeightNorm.apply(module, name, dim)
    return module


def remove_weight_norm(module, name="weight"):
    """Undo weight_norm: name is a plain Parameter again, holding the current normalised value. Returns module.

    >>> import warnings, nn
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore", FutureWarning)
    ...     layer = nn.utils.weight_norm(nn.Linear(3, 2))
    >>> list(nn.utils.remove_weight_norm(layer).state_dict())
    ['bias', 'weight']
    """
    return _remove(module, WeightNorm, name, "remove_weight_norm")
