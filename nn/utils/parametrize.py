"""Parametrizations, as torch.nn.utils.parametrize: a module's parameter (or buffer) `weight` replaced by a function
of other tensors, `weight = f(original)`, recomputed from `original` each time it is read.

register_parametrization(module, "weight", f) moves the Parameter to module.parametrizations.weight.original (a
ParametrizationList, the modules f, g, ... applied in turn) and makes `weight` a property of a subclass made for
this one module (ParametrizedLinear, say), as PyTorch does: the state dict then holds
"parametrizations.weight.original", PyTorch's key, and optimizers update `original`. A parametrization with a
right_inverse(value) gives the original from a value: the registration starts from the current value, and
assigning `module.weight = value` sets the original so that the parametrized value is `value`. A right_inverse
returning a tuple of tensors gives several originals, original0, original1, ... passed to f as positional arguments.

Departure from PyTorch: a parametrized module's forward reads each parametrized tensor once (a module's forward
runs as inside cached()), where PyTorch recomputes it at each read; layers here read self.weight more than once
(its dtype, then its value), which would otherwise repeat the work and, for spectral_norm, the power iteration.
"""
import contextlib
import copy

from autograd_core import Tensor, no_grad

from .._arguments import as_flag
from ..containers import ModuleDict, ModuleList
from ..module import _BUFFERS, Module, Parameter

__all__ = ["register_parametrization", "remove_parametrizations", "is_parametrized", "cached",
           "ParametrizationList", "type_before_parametrizations", "transfer_parametrizations_and_params"]

_cache_depth = 0
_cache = {}
_given = {}  # (id(module), name): the value functional_call gives a parametrized tensor for one call


@contextlib.contextmanager
def cached():
    """Inside the with block, each parametrized tensor is computed once, at its first read, and that value (and
    its graph) is reused, as torch.nn.utils.parametrize.cached: for a recurrent network reading a weight at each
    step, say. Blocks may nest; the values are forgotten when the outermost one ends.

    >>> import numpy as np, nn
    >>> from nn.utils import parametrize
    >>> class Double(nn.Module):
    ...     def forward(self, x):
    ...         return 2 * x
    >>> layer = parametrize.register_parametrization(nn.Linear(2, 2), "weight", Double())
    >>> with parametrize.cached():
    ...     layer.weight is layer.weight
    True
    """
    global _cache_depth, _cache
    _cache_depth += 1
    try:
        yield
    finally:
        _cache_depth -= 1
        if not _cache_depth:
            _cache = {}


def _register_tensor(module, name, value):
    """value as module's parameter name if it is a Parameter, else as its buffer name (PyTorch's rule)."""
    if isinstance(value, Parameter):
        module.register_parameter(name, value)
    else:
        module.register_buffer(name, value)


def _set_value(tensor, value, where):
    """tensor takes value's array (its shape may change), in place: the same object, as PyTorch's set_."""
    if not isinstance(value, Tensor):
        raise ValueError(f"{where}: right_inverse must return a Tensor, got {type(value).__name__}")
    with no_grad():
        tensor.data = value.data.copy() if value.data is tensor.data else value.data


def _has_right_inverse(module):
    return hasattr(module, "right_inverse")


class ParametrizationList(ModuleList):
    """The parametrizations of one tensor, in the order applied, and its original(s), as PyTorch's: held by
    register_parametrization at module.parametrizations[name]; calling it gives the parametrized value. `original`
    is the tensor (a Parameter or a buffer), or original0, original1, ... when the first parametrization's
    right_inverse returns a tuple. unsafe=True skips the checks of the value's shape and dtype.

    >>> import autograd_core as ag, nn
    >>> from nn.utils import parametrize
    >>> class Symmetric(nn.Module):
    ...     def forward(self, x):
    ...         return ag.triu(x) + ag.triu(x, 1).T
    >>> layer = parametrize.register_parametrization(nn.Linear(3, 3), "weight", Symmetric())
    >>> type(layer.parametrizations.weight).__name__, layer.parametrizations.weight.original.shape
    ('ParametrizationList', (3, 3))
    >>> bool((layer.weight.data == layer.weight.data.T).all())
    True
    """

    def __init__(self, modules, original, unsafe=False):
        super().__init__(modules)
        if len(self) == 0:
            raise ValueError("ParametrizationList requires one or more modules")
        self.unsafe = as_flag(unsafe, "ParametrizationList", "unsafe")  # "no" would read as True: no checks
        shape, dtype = original.shape, original.dtype
        new = original
        with no_grad():
            for module in reversed(list(self)):
                if _has_right_inverse(module):
                    try:
                        new = module.right_inverse(new)
                    except NotImplementedError:  # as PyTorch: taken as the identity
                        pass
        if not isinstance(new, (Tensor, list, tuple)):
            raise ValueError(f"ParametrizationList: 'right_inverse' must return a Tensor or a sequence of Tensors "
                             f"(list, tuple...), got {type(new).__name__}")
        self.is_tensor = isinstance(new, Tensor)
        self.ntensors = 1 if self.is_tensor else len(new)
        if self.is_tensor:
            if new.dtype != dtype:
                raise ValueError(f"ParametrizationList: when right_inverse returns a Tensor, its dtype must be the "
                                 f"original's ({dtype}), got {new.dtype}")
            _set_value(original, new, "ParametrizationList")
            _register_tensor(self, "original", original)
        else:
            for i, item in enumerate(new):
                if not isinstance(item, Tensor):
                    raise ValueError(f"ParametrizationList: 'right_inverse' must return a sequence of Tensors, got "
                                     f"an element {i} of type {type(item).__name__}")
                requires_grad = original.requires_grad
                item = (Parameter(item.data.copy(), requires_grad=requires_grad) if isinstance(original, Parameter)
                        else Tensor(item.data.copy(), requires_grad=requires_grad))
                _register_tensor(self, f"original{i}", item)
        if not self.unsafe:
            _check_value(self(), shape, dtype, "ParametrizationList", "the parametrization")

    def right_inverse(self, value):
        """Set the original(s) so that the parametrized value is value, through each parametrization's
        right_inverse (last first), without recording: what `module.name = value` calls."""
        where = "ParametrizationList.right_inverse"
        with no_grad():
            for module in reversed(list(self)):
                if not _has_right_inverse(module):
                    raise RuntimeError(f"{where}: parametrization {type(module).__name__} does not implement "
                                       f"right_inverse, so the parametrized tensor cannot be assigned")
                value = module.right_inverse(value)
            if self.is_tensor:
                if not isinstance(value, Tensor):
                    raise ValueError(f"{where}: right_inverse must return a Tensor, got {type(value).__name__}")
                if value.dtype != self.original.dtype:
                    raise ValueError(f"{where}: the tensor returned by right_inverse has dtype {value.dtype} while "
                                     f"`original` has dtype {self.original.dtype}")
                _set_value(self.original, value, where)
            else:
                if not isinstance(value, (list, tuple)) or len(value) != self.ntensors:
                    raise ValueError(f"{where}: right_inverse must return a sequence of {self.ntensors} Tensors, got "
                                     f"{type(value).__name__}")
                for i, item in enumerate(value):
                    original = getattr(self, f"original{i}")
                    if isinstance(item, Tensor) and item.dtype != original.dtype:
                        raise ValueError(f"{where}: tensor {i} returned by right_inverse has dtype {item.dtype} "
                                         f"while `original{i}` has dtype {original.dtype}")
                    _set_value(original, item, where)

    def forward(self):
        modules = list(self)
        if self.is_tensor:
            x = modules[0](self.original)
        else:
            x = modules[0](*(getattr(self, f"original{i}") for i in range(self.ntensors)))
        for module in modules[1:]:
            x = module(x)
        return x


def _check_value(value, shape, dtype, where, what):
    """The checks PyTorch makes of a parametrized value unless unsafe: a Tensor of the original's dtype and shape."""
    if not isinstance(value, Tensor):
        raise ValueError(f"{where}: {what} must return a Tensor, got {type(value).__name__}")
    for kind, wanted, got in (("dtype", dtype, value.dtype), ("shape", shape, value.shape)):
        if got == wanted:
            continue
        if what == "right_inverse":  # (the value was right: its inverse is at fault)
            raise ValueError(f"{where}: when right_inverse outputs one tensor, it must have the same {kind} as the "
                             f"parametrized tensor ({wanted}), got {got}")
        raise ValueError(f"{where}: registering a parametrization may not change the {kind} of the tensor, unless "
                         f"the `unsafe` flag is enabled: unparametrized {kind} {wanted}, parametrized {kind} {got}")


def _refuse_pickle(self):
    raise RuntimeError(f"{type(self).__name__}: serialization of parametrized modules is only supported through "
                       f"state_dict(); save module.state_dict() and load it into a module parametrized the same way")


def _deepcopy(self, memo):
    """A deep copy of a parametrized module (the pickle route is refused): a new object of the same class."""
    result = type(self).__new__(type(self))
    memo[id(self)] = result
    vars(result).update(copy.deepcopy(vars(self), memo))
    return result


def _inject_new_class(module):
    """Give module a class of its own, Parametrized<Class>, on which the parametrized names become properties; its
    forward runs as inside cached() (see the module's docstring)."""
    cls = type(module)

    def forward(self, *args, **kwargs):
        with cached():
            return cls.forward(self, *args, **kwargs)

    forward.__doc__ = cls.forward.__doc__
    module.__class__ = type(f"Parametrized{cls.__name__}", (cls,),
                            {"__getstate__": _refuse_pickle, "__deepcopy__": _deepcopy, "forward": forward,
                             "__module__": cls.__module__})


def _inject_property(module, name):
    def get_parametrized(self):
        if _given and (id(self), name) in _given:
            return _given[id(self), name]
        parametrization = vars(self)["parametrizations"][name]
        if not _cache_depth:
            return parametrization()
        key = (id(self), name)
        value = _cache.get(key)
        if value is None:
            value = _cache[key] = parametrization()
        return value

    def set_original(self, value):
        vars(self)["parametrizations"][name].right_inverse(value)

    setattr(type(module), name, property(get_parametrized, set_original))


def is_parametrized(module, tensor_name=None):
    """Whether module has a parametrization on tensor_name, or on any tensor when None, as PyTorch's.

    >>> import nn
    >>> from nn.utils import parametrize
    >>> parametrize.is_parametrized(nn.Linear(2, 2))
    False
    """
    parametrizations = vars(module).get("parametrizations") if isinstance(module, Module) else None
    if not isinstance(parametrizations, ModuleDict):
        return False
    return len(parametrizations) > 0 if tensor_name is None else tensor_name in parametrizations


def _is_tensor_of(module, name):
    return isinstance(name, str) and name in vars(module) and isinstance(vars(module)[name], Tensor) and (
        isinstance(vars(module)[name], Parameter) or name in vars(module).get(_BUFFERS, ()))


def register_parametrization(module, tensor_name, parametrization, *, unsafe=False):
    """Parametrize module's parameter or buffer tensor_name by the module parametrization, as
    torch.nn.utils.parametrize.register_parametrization: reading module.<tensor_name> then gives
    parametrization(original); a second registration on the same name applies after the first. If the
    parametrization has right_inverse, the original starts as right_inverse(current value) (so the value stays),
    and assigning module.<tensor_name> = value sets the original through it. unsafe=True allows a parametrization
    that changes the shape or dtype. Returns module.

    >>> import numpy as np, nn
    >>> from nn.utils import parametrize
    >>> class Positive(nn.Module):
    ...     def forward(self, x):
    ...         return x.exp()
    ...     def right_inverse(self, y):
    ...         return y.log()
    >>> layer = nn.Linear(2, 1, rng=0)
    >>> _ = nn.init.ones_(layer.weight)
    >>> _ = parametrize.register_parametrization(layer, "weight", Positive())
    >>> type(layer).__name__, list(layer.state_dict())
    ('ParametrizedLinear', ['bias', 'parametrizations.weight.original'])
    >>> layer.parametrizations.weight.original.data, layer.weight.data
    (array([[0., 0.]], dtype=float32), array([[1., 1.]], dtype=float32))
    """
    where = "register_parametrization"
    unsafe = as_flag(unsafe, where, "unsafe")  # "no" would read as True and skip the checks
    if not isinstance(module, Module):
        raise TypeError(f"{where}: module must be an nn.Module, got {type(module).__name__}")
    if not isinstance(parametrization, Module):
        raise TypeError(f"{where}: the parametrization must be an nn.Module, got {type(parametrization).__name__}")
    parametrization.train(module.training)
    if is_parametrized(module, tensor_name):
        if not unsafe:
            current = getattr(module, tensor_name)
            value = parametrization(current)
            _check_value(value, current.shape, current.dtype, where, "the parametrization")
            if _has_right_inverse(parametrization):
                try:
                    inverse = parametrization.right_inverse(value)
                except NotImplementedError:
                    pass
                else:
                    if not isinstance(inverse, Tensor):
                        raise ValueError(f"{where}: parametrization.right_inverse must return a Tensor, got "
                                         f"{type(inverse).__name__}")
                    _check_value(inverse, current.shape, current.dtype, where, "right_inverse")
        parametrizations = module.parametrizations[tensor_name]
        parametrizations.append(parametrization)
        parametrizations.unsafe |= bool(unsafe)
    elif _is_tensor_of(module, tensor_name):
        original = vars(module)[tensor_name]
        parametrizations = ParametrizationList([parametrization], original, unsafe=unsafe)
        delattr(module, tensor_name)
        if not is_parametrized(module):
            _inject_new_class(module)
            module.parametrizations = ModuleDict()
        _inject_property(module, tensor_name)
        module.parametrizations[tensor_name] = parametrizations
    else:
        raise ValueError(f"{where}: module {type(module).__name__} does not have a parameter, a buffer, or a "
                         f"parametrized element with name {tensor_name!r}")
    return module


def remove_parametrizations(module, tensor_name, leave_parametrized=True):
    """Undo register_parametrization on tensor_name, as PyTorch's: the tensor becomes a plain parameter (or buffer)
    again, holding the parametrized value (leave_parametrized=True; the same Parameter object as `original`, so an
    optimizer holding it keeps working) or the original's value (False). When the last parametrization goes,
    module gets its own class back. Returns module.

    >>> import nn
    >>> from nn.utils import parametrize
    >>> layer = parametrize.register_parametrization(nn.Linear(2, 2), "weight", nn.Tanh())
    >>> type(parametrize.remove_parametrizations(layer, "weight")).__name__
    'Linear'
    """
    where = "remove_parametrizations"
    leave_parametrized = as_flag(leave_parametrized, where, "leave_parametrized")  # "no" would read as True
    if not is_parametrized(module, tensor_name):
        raise ValueError(f"{where}: module {type(module).__name__} does not have a parametrization on "
                         f"{tensor_name!r}")
    parametrizations = module.parametrizations[tensor_name]
    if parametrizations.is_tensor:
        original = parametrizations.original
        if leave_parametrized:
            with no_grad():
                value = getattr(module, tensor_name)
            _set_value(original, value, where)
    elif leave_parametrized:
        value = getattr(module, tensor_name)
        requires_grad = value.requires_grad
        original = (Parameter(value.data.copy(), requires_grad=requires_grad) if requires_grad
                    else Tensor(value.data.copy()))
    else:
        raise ValueError(f"{where}: cannot leave unparametrized (leave_parametrized=False) a tensor that is "
                         f"parametrized in terms of a sequence of tensors")
    delattr(type(module), tensor_name)
    del module.parametrizations[tensor_name]
    _register_tensor(module, tensor_name, original)
    if not is_parametrized(module):
        delattr(module, "parametrizations")
        module.__class__ = type(module).__bases__[0]
    return module


def type_before_parametrizations(module):
    """The module's class before any parametrization (its own class if it has none), as PyTorch's.

    >>> import nn
    >>> from nn.utils import parametrize
    >>> layer = parametrize.register_parametrization(nn.Linear(2, 2), "weight", nn.Tanh())
    >>> parametrize.type_before_parametrizations(layer).__name__
    'Linear'
    """
    return type(module).__bases__[0] if is_parametrized(module) else type(module)


def transfer_parametrizations_and_params(from_module, to_module, tensor_name=None):
    """Give to_module the parametrizations of from_module (on tensor_name, or all when None) with the same
    originals' values copied, as PyTorch's (used by fusion of parametrized layers). Returns to_module.

    >>> import nn
    >>> from nn.utils import parametrize, parametrizations
    >>> source = parametrizations.weight_norm(nn.Linear(3, 2, rng=0))
    >>> target = parametrize.transfer_parametrizations_and_params(source, nn.Linear(3, 2, rng=1))
    >>> parametrize.is_parametrized(target, "weight"), bool((target.weight.data == source.weight.data).all())
    (True, True)
    """
    if not is_parametrized(from_module):
        return to_module
    names = list(from_module.parametrizations) if tensor_name is None else [tensor_name]
    for name in names:
        source = from_module.parametrizations[name]
        if not hasattr(to_module, name):
            setattr(to_module, name, Parameter(getattr(from_module, name).data.copy()))
        for parametrization in source:
            register_parametrization(to_module, name, parametrization)
        target = to_module.parametrizations[name]
        if source.is_tensor:
            _set_value(target.original, source.original, "transfer_parametrizations_and_params")
        else:
            for i in range(source.ntensors):
                _set_value(getattr(target, f"original{i}"), getattr(source, f"original{i}"),
                           "transfer_parametrizations_and_params")
    return to_module
