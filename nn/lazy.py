"""Lazy modules, as PyTorch's: LazyLinear, LazyConv1d/2d/3d, LazyConvTranspose1d/2d/3d, LazyBatchNorm1d/2d/3d and
LazyInstanceNorm1d/2d/3d take the ordinary layer's arguments without the first (in_features, in_channels or
num_features), which their first input tells them.

Until then a lazy module holds UninitializedParameters (and UninitializedBuffers), and a forward pre-hook (PyTorch's
LazyModuleMixin): at the first call it builds the ordinary layer's parameters for the input's size, with the layer's
own constructor and rng (so LazyLinear(3, rng=0) on an input of 2 features has the values of Linear(2, 3, rng=0);
an rng Generator is drawn from then), moves them into the UninitializedParameters (the same objects: an optimizer
made before keeps updating them), and the module becomes the ordinary class (cls_to_become). load_state_dict into a
lazy module takes the shapes from the state dict instead (the first forward then keeps the loaded values).

>>> import numpy as np, nn
>>> net = nn.Sequential(nn.LazyLinear(4, rng=0), nn.ReLU(), nn.LazyLinear(1, rng=1))
>>> net[0]
LazyLinear(in_features=0, out_features=4, bias=True)
>>> net(np.ones((5, 3))).shape
(5, 1)
>>> net[0], net[0].weight.shape
(Linear(in_features=3, out_features=4, bias=True), (4, 3))
"""
import inspect

import numpy as np

from ._arguments import generator
from ._parameter_reset import resets
from ._uninitialized import STANDING_IN, UninitializedBuffer, UninitializedParameter, is_lazy
from .conv_transpose import ConvTranspose1d, ConvTranspose2d, ConvTranspose3d
from .convolution import Conv1d, Conv2d, Conv3d
from .layers import Linear
from .module import Parameter, StateDictError
from .normalization import (BatchNorm1d, BatchNorm2d, BatchNorm3d, InstanceNorm1d, InstanceNorm2d, InstanceNorm3d,
                            _InstanceNorm)

__all__ = ["LazyModuleMixin", "LazyLinear", "LazyConv1d", "LazyConv2d", "LazyConv3d", "LazyConvTranspose1d",
           "LazyConvTranspose2d", "LazyConvTranspose3d", "LazyBatchNorm1d", "LazyBatchNorm2d", "LazyBatchNorm3d",
           "LazyInstanceNorm1d", "LazyInstanceNorm2d", "LazyInstanceNorm3d"]


def _infer_parameters(module, args, kwargs):
    """The forward pre-hook of a lazy module (PyTorch's _infer_parameters): its parameters from the input, then
    the hook is removed and the module becomes its cls_to_become (if any), whose forward then runs. Inside
    functional_call, with values given for uninitialized ones, it refuses and the module stays lazy."""
    if id(module) in STANDING_IN:
        raise RuntimeError(f"functional_call: {type(module).__name__} has not inferred its shapes yet, so values "
                           f"cannot stand in for its uninitialized parameters and buffers (PyTorch's call leaves it "
                           f"a {module.cls_to_become.__name__ if module.cls_to_become else 'module'} without values); "
                           f"call the model on a batch first (a dry run), or load a state dict into it")
    module.initialize_parameters(*args, **kwargs)
    if module.has_uninitialized_params():
        raise RuntimeError(f"module {type(module).__name__} has not been fully initialized")
    module._materialize()


def _shape_of(input):
    return input.shape if hasattr(input, "shape") else np.shape(input)


class LazyModuleMixin:
    """A mixin for modules whose parameters get their shapes from the first input, as PyTorch's LazyModuleMixin:
    put it before nn.Module among the bases, hold nn.UninitializedParameters (and UninitializedBuffers), and write
    initialize_parameters(*inputs), which materializes them; a forward pre-hook calls it at the first call, then
    the module becomes cls_to_become if set. load_state_dict materializes them with the state dict's shapes.
    has_uninitialized_params() tells whether any is left.

    >>> import numpy as np, nn
    >>> class LazyScale(nn.LazyModuleMixin, nn.Module):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.scale = nn.UninitializedParameter()
    ...     def initialize_parameters(self, x):
    ...         if self.has_uninitialized_params():
    ...             self.scale.materialize(np.shape(x)[-1]); self.scale.data[...] = 1.0
    ...     def forward(self, x):
    ...         return x * self.scale
    >>> m = LazyScale(); m(np.ones((2, 3), np.float32)).shape, m.scale.shape
    ((2, 3), (3,))
    """

    cls_to_become = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._initialize_hook = self.register_forward_pre_hook(_infer_parameters, with_kwargs=True)

    def has_uninitialized_params(self):
        """Whether this module holds parameters or buffers that have no shape yet (PyTorch's).

        >>> import numpy as np, nn
        >>> layer = nn.LazyLinear(2)
        >>> layer.has_uninitialized_params()
        True
        >>> layer.initialize_parameters(np.ones((1, 3))); layer.has_uninitialized_params()
        False
        """
        return any(is_lazy(value) for value in vars(self).values())

    def initialize_parameters(self, *args, **kwargs):
        """Materialize the uninitialized parameters for the inputs (what the first forward takes); subclasses
        write it, as PyTorch's."""
        raise NotImplementedError(f"initialize_parameters is not implemented for {type(self).__name__}")

    def _lazy_load_hook(self, state_dict, prefix):
        """Called by Module.load_state_dict before it compares shapes: each uninitialized parameter or buffer
        with an entry in state_dict takes its shape (PyTorch's _lazy_load_hook)."""
        for name, value in list(vars(self).items()):
            if is_lazy(value) and prefix + name in state_dict and not is_lazy(state_dict[prefix + name]):
                value.materialize(tuple(np.shape(state_dict[prefix + name])))
        if not self.has_uninitialized_params():
            self._materialize()

    def _materialize(self):
        """Once nothing is left uninitialized (by a first forward or a loaded state dict): the lazy hook goes and
        the module becomes its cls_to_become, if any (PyTorch's _materialize)."""
        self._initialize_hook.remove()
        del self._initialize_hook
        vars(self).pop("_lazy_arguments", None)
        if self.cls_to_become is not None:
            self.__class__ = self.cls_to_become


class _LazyLayer(LazyModuleMixin):
    """What the lazy layers here share: the constructor (the arguments of cls_to_become without its first,
    `inferred`), an initialize_parameters(input) that builds the parameters with cls_to_become's constructor and
    rng, and a load_state_dict step that works the inferred size out of a state dict's shapes. A subclass names
    the ordinary class (cls_to_become), the inferred argument, and how an input's shape gives it
    (_size_from_input) and how the shapes of loaded entries give it (_size_from_loaded); the buffers that wait for
    it are _LAZY_BUFFERS."""

    inferred = "in_features"
    _LAZY_BUFFERS = ()
    _DEFAULTS = {}  # defaults that differ from cls_to_become's (PyTorch's lazy instance normalisations')

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.cls_to_become is not None:  # the signature shown by help() and inspect: the ordinary one's, less one
            parameters = list(inspect.signature(cls.cls_to_become).parameters.values())[1:]
            cls.__signature__ = inspect.Signature([p.replace(default=cls._DEFAULTS.get(p.name, p.default))
                                                   for p in parameters])

    def __init__(self, *args, **kwargs):
        owner, ordinary = type(self).__name__, self.cls_to_become
        try:
            bound = self.__signature__.bind(*args, **kwargs)
        except TypeError as err:
            raise TypeError(f"{owner}: {err}; it takes {ordinary.__name__}'s arguments without {self.inferred} (which "
                            f"the first input gives): {owner}{self.__signature__}") from None
        bound.apply_defaults()
        arguments = dict(bound.arguments)
        if "rng" in arguments:
            generator(arguments["rng"], owner)  # (checked now; drawn from at the first forward)
        groups = arguments.get("groups", 1)
        placeholder = groups if isinstance(groups, int) and not isinstance(groups, bool) and groups >= 1 else 1
        # The ordinary constructor on self, for a size that divides groups, checks the other arguments now (its
        # errors naming this class) and sets what the repr shows; its parameters are then replaced.
        ordinary.__init__(self, placeholder, **{**arguments, **({"rng": 0} if "rng" in arguments else {})})
        for name, value in list(vars(self).items()):
            if isinstance(value, Parameter):
                setattr(self, name, UninitializedParameter(value.requires_grad, dtype=value.dtype))
            elif name in self._LAZY_BUFFERS and value is not None:
                setattr(self, name, UninitializedBuffer(dtype=value.dtype))
            else:
                continue
            vars(self)[name]._no_values(value.dtype, f"{owner}.{name}")
        setattr(self, self.inferred, 0)  # PyTorch's repr until then
        self._lazy_arguments = arguments
        self._initialize_hook = self.register_forward_pre_hook(_infer_parameters, with_kwargs=True)

    def initialize_parameters(self, *args, **kwargs):
        """Give the parameters their shapes for the input (the first argument: what the first forward takes) and
        the values the ordinary class's constructor gives them, with its rng, as PyTorch's; parameters that
        already have values (loaded from a state dict) keep them.

        >>> import numpy as np, nn
        >>> conv = nn.LazyConv2d(4, 3, rng=0)
        >>> conv.initialize_parameters(np.ones((2, 5, 8, 8))); conv.weight.shape, conv.in_channels
        ((4, 5, 3, 3), 5)
        """
        if not self.has_uninitialized_params() and getattr(self, self.inferred):  # (loaded from a state dict)
            return
        owner = type(self).__name__
        if not (args or kwargs):
            raise TypeError(f"{owner}: the first forward needs an input, from which {self.inferred} is inferred")
        shape = _shape_of(args[0] if args else next(iter(kwargs.values())))
        size = self._size_from_input(tuple(shape))
        self._materialize_as(size, f"the input of shape {tuple(shape)}")

    @resets
    def reset_parameters(self, rng=None):
        """The ordinary class's reset_parameters once the parameters have shapes (loaded from a state dict); before
        that nothing to draw, as PyTorch's lazy modules skip it (the first forward then draws them).

        >>> import nn
        >>> layer = nn.LazyLinear(3)
        >>> layer.reset_parameters(); layer.weight
        <UninitializedParameter>
        """
        if not self.has_uninitialized_params():
            super().reset_parameters(rng)

    def _lazy_load_hook(self, state_dict, prefix):
        """Called by Module.load_state_dict before it compares shapes: the uninitialized parameters and buffers
        take the shapes of the state dict's entries (the inferred size worked out from them), with the values of
        the ordinary class's constructor until loaded; those absent get these values, as a forward would give."""
        names = [name for name, value in vars(self).items() if is_lazy(value)]
        given = {name: state_dict[prefix + name] for name in names if prefix + name in state_dict}
        if given:
            where = f"{type(self).__name__}.load_state_dict"
            for name, value in given.items():
                if is_lazy(value):
                    raise StateDictError(f"{where}: the state dict's '{prefix + name}' is uninitialized too (from a "
                                         f"lazy module before its first forward): there is nothing to load; call "
                                         f"that model on a batch first")
            shapes = {name: tuple(np.shape(value)) for name, value in given.items()}
            size = self._size_from_loaded(shapes)
            if size is None:
                raise StateDictError(f"{where}: cannot infer {self.inferred} from the state dict's entries "
                                     f"{[prefix + name for name in shapes]} of shapes {list(shapes.values())}; "
                                     f"{self._loaded_needs}")
            note = f"the state dict's {', '.join(f'{prefix + n!r} of shape {s}' for n, s in shapes.items())}"
            fresh = self._fresh(size, note, StateDictError)
            for name, shape in shapes.items():
                if vars(fresh)[name].shape != shape:
                    raise StateDictError(f"{where}: size mismatch for '{prefix + name}': the state dict has shape "
                                         f"{shape}, the model's {self.cls_to_become.__name__} with "
                                         f"{self.inferred}={size} (inferred from it) has shape "
                                         f"{vars(fresh)[name].shape}")
            self._materialize_from(fresh, size)
        # nothing left uninitialized (or nothing waited for a shape: an instance norm without affine or running
        # stats): the module is now cls_to_become, as after a forward, as PyTorch's
        if not self.has_uninitialized_params():
            self._materialize()

    _loaded_needs = "its weight is needed"

    def _fresh(self, size, note, error=None):
        """A module of this class built by cls_to_become's constructor for size (its rng drawn from), its dtype
        this module's (Module.to may have changed it); an error says that size was inferred from note."""
        arguments = dict(self._lazy_arguments)
        held = [value for value in vars(self).values() if is_lazy(value)]
        if held and "dtype" in arguments:
            arguments["dtype"] = held[0].dtype
        fresh = object.__new__(type(self))
        try:
            self.cls_to_become.__init__(fresh, size, **arguments)
        except (TypeError, ValueError) as err:
            raise (error or type(err))(f"{err} ({self.inferred}={size} inferred from {note})") from None
        return fresh

    def _materialize_as(self, size, note):
        self._materialize_from(self._fresh(size, note), size)

    def _materialize_from(self, fresh, size):
        for name, value in vars(fresh).items():
            mine = vars(self).get(name)
            if is_lazy(mine):
                mine.materialize(value.shape)
                mine.data[...] = value.data
        setattr(self, self.inferred, size)


class LazyLinear(_LazyLayer, Linear):
    """A Linear whose in_features is inferred from its first input's last axis, as PyTorch's LazyLinear:
    LazyLinear(out_features, bias=True, dtype=np.float32, rng=None). The first forward makes it a Linear with
    the values Linear(in_features, out_features, bias, dtype, rng) would have (see nn.lazy).

    >>> import numpy as np, nn
    >>> layer = nn.LazyLinear(3, rng=0)
    >>> layer.weight
    <UninitializedParameter>
    >>> y = layer(np.ones((2, 5)))
    >>> layer, bool((layer.weight.data == nn.Linear(5, 3, rng=0).weight.data).all())
    (Linear(in_features=5, out_features=3, bias=True), True)
    """

    cls_to_become = Linear
    _loaded_needs = "a 2-D weight (out_features, in_features) is needed"

    def _size_from_input(self, shape):
        if not shape:
            raise ValueError(f"{type(self).__name__}: expected an input with at least one axis, the last holding the "
                             f"in_features to infer, got a 0-d input")
        return shape[-1]

    def _size_from_loaded(self, shapes):
        weight = shapes.get("weight", ())
        return weight[1] if len(weight) == 2 else None


class _LazyConvMixin(_LazyLayer):
    """What the lazy convolutions share: in_channels from axis 1 of a batched input, 0 of an unbatched one."""

    inferred = "in_channels"
    _loaded_needs = "a weight with the kernel's axes is needed"

    def _size_from_input(self, shape):
        dims = self.dims
        if len(shape) not in (dims + 1, dims + 2):
            raise ValueError(f"{type(self).__name__}: expected a {dims + 1}-D (unbatched) or {dims + 2}-D (batched) "
                             f"input, whose channels give in_channels, got shape {shape}")
        return shape[1] if len(shape) == dims + 2 else shape[0]

    def _size_from_loaded(self, shapes):
        weight = shapes.get("weight", ())
        if len(weight) != self.dims + 2:
            return None
        transposed = isinstance(self, _LazyConvTransposeMixin)  # weight (in, out / groups, *k), else (out, in / g)
        return weight[0] if transposed else weight[1] * self.groups


class _LazyConvTransposeMixin(_LazyConvMixin):
    pass


class _LazyNormMixin(_LazyLayer):
    """What the lazy normalisations share: num_features from the channel axis (1; 0 of an unbatched input to an
    instance normalisation) of an input of a rank the layer takes; running_mean and running_var wait for it."""

    inferred = "num_features"
    _LAZY_BUFFERS = ("running_mean", "running_var")
    _loaded_needs = "a 1-D entry (num_features,) is needed"

    def _size_from_input(self, shape):
        if len(shape) not in self._ranks:
            ranks = " or ".join(f"{r}D" for r in self._ranks)
            raise ValueError(f"{type(self).__name__}: expected {ranks} input, {self._layouts}, whose channels give "
                             f"num_features, got {len(shape)}D input of shape {shape}")
        unbatched = len(shape) == self._ranks[0] and issubclass(self.cls_to_become, _InstanceNorm)
        return shape[0] if unbatched else shape[1]

    def _size_from_loaded(self, shapes):
        sizes = {shape[0] for shape in shapes.values() if len(shape) == 1}
        return sizes.pop() if len(sizes) == 1 else None


def _lazy(name, base, ordinary, doc, defaults=None):
    """The lazy class of ordinary: base's behaviour, ordinary's forward once it has become one."""
    return type(name, (base, ordinary), {"cls_to_become": ordinary, "__doc__": doc, "__module__": __name__,
                                         "_DEFAULTS": defaults or {}})


_CONV_DOC = """A {ordinary} whose in_channels is inferred from its first input (axis 1, or 0 unbatched), as PyTorch's
    {name}: {ordinary}'s arguments without in_channels. The first forward makes it a {ordinary} with the values
    {ordinary}(in_channels, ...) would have with the same rng (see nn.lazy).

    >>> import numpy as np, nn
    >>> layer = nn.{name}(4, 3, rng=0)
    >>> layer.in_channels, layer(np.ones({shape})).shape[1], layer.in_channels, type(layer).__name__
    (0, 4, 2, '{ordinary}')
    """

_NORM_DOC = """A {ordinary} whose num_features is inferred from its first input's channels, as PyTorch's {name}:
    {ordinary}'s arguments without num_features (running_mean and running_var are UninitializedBuffers until
    then). The first forward makes it a {ordinary}.

    >>> import numpy as np, nn
    >>> norm = nn.{name}()
    >>> norm.num_features, norm(np.ones({shape})).shape, norm
    (0, {shape}, {ordinary}(3, ...))
    """

# PyTorch's lazy instance normalisations default to affine=True and track_running_stats=True (its _LazyNormBase's),
# where InstanceNorm1d/2d/3d default to False: so do these.
_INSTANCE = {"affine": True, "track_running_stats": True}
_INSTANCE_DOC = _NORM_DOC.replace("without num_features (", "without num_features, but affine=True and "
                                  "track_running_stats=True by default, as PyTorch's lazy ones (")

LazyConv1d = _lazy("LazyConv1d", _LazyConvMixin, Conv1d, _CONV_DOC.format(
    name="LazyConv1d", ordinary="Conv1d", shape=(1, 2, 6)))
LazyConv2d = _lazy("LazyConv2d", _LazyConvMixin, Conv2d, _CONV_DOC.format(
    name="LazyConv2d", ordinary="Conv2d", shape=(1, 2, 6, 6)))
LazyConv3d = _lazy("LazyConv3d", _LazyConvMixin, Conv3d, _CONV_DOC.format(
    name="LazyConv3d", ordinary="Conv3d", shape=(1, 2, 6, 6, 6)))
LazyConvTranspose1d = _lazy("LazyConvTranspose1d", _LazyConvTransposeMixin, ConvTranspose1d, _CONV_DOC.format(
    name="LazyConvTranspose1d", ordinary="ConvTranspose1d", shape=(1, 2, 6)))
LazyConvTranspose2d = _lazy("LazyConvTranspose2d", _LazyConvTransposeMixin, ConvTranspose2d, _CONV_DOC.format(
    name="LazyConvTranspose2d", ordinary="ConvTranspose2d", shape=(1, 2, 6, 6)))
LazyConvTranspose3d = _lazy("LazyConvTranspose3d", _LazyConvTransposeMixin, ConvTranspose3d, _CONV_DOC.format(
    name="LazyConvTranspose3d", ordinary="ConvTranspose3d", shape=(1, 2, 6, 6, 6)))
LazyBatchNorm1d = _lazy("LazyBatchNorm1d", _LazyNormMixin, BatchNorm1d, _NORM_DOC.format(
    name="LazyBatchNorm1d", ordinary="BatchNorm1d", shape=(4, 3)))
LazyBatchNorm2d = _lazy("LazyBatchNorm2d", _LazyNormMixin, BatchNorm2d, _NORM_DOC.format(
    name="LazyBatchNorm2d", ordinary="BatchNorm2d", shape=(2, 3, 4, 4)))
LazyBatchNorm3d = _lazy("LazyBatchNorm3d", _LazyNormMixin, BatchNorm3d, _NORM_DOC.format(
    name="LazyBatchNorm3d", ordinary="BatchNorm3d", shape=(2, 3, 2, 2, 2)))
LazyInstanceNorm1d = _lazy("LazyInstanceNorm1d", _LazyNormMixin, InstanceNorm1d, _INSTANCE_DOC.format(
    name="LazyInstanceNorm1d", ordinary="InstanceNorm1d", shape=(3, 4)), _INSTANCE)
LazyInstanceNorm2d = _lazy("LazyInstanceNorm2d", _LazyNormMixin, InstanceNorm2d, _INSTANCE_DOC.format(
    name="LazyInstanceNorm2d", ordinary="InstanceNorm2d", shape=(2, 3, 4, 4)), _INSTANCE)
LazyInstanceNorm3d = _lazy("LazyInstanceNorm3d", _LazyNormMixin, InstanceNorm3d, _INSTANCE_DOC.format(
    name="LazyInstanceNorm3d", ordinary="InstanceNorm3d", shape=(3, 2, 2, 2)), _INSTANCE)
