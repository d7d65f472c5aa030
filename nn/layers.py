"""Layers: Linear, MLP, Dropout, Maxout, Flatten and Embedding.

>>> import numpy as np, nn
>>> model = nn.MLP([2, 8, 1], rng=0)
>>> [name for name, _ in model.named_parameters()]
['layers.0.weight', 'layers.0.bias', 'layers.2.weight', 'layers.2.bias']
>>> model(np.zeros((4, 2), dtype=np.float32)).shape
(4, 1)
"""
import copy
import inspect
import math

import numpy as np

import autograd_core as ag
from autograd_core import Tensor
from autograd_core.ops.shape import ShapeError
from autograd_core.tensor import saved_value

from . import functional as F
from . import init
from ._arguments import as_flag, checked_number, generator, names_device, takes_device
from ._dropout_functions import _dropout_generator
from ._embedding_functions import _embedding, padding_index
from ._parameter_reset import reset_at_construction, reset_weight_and_bias, resets, unfilled_weight_and_bias
from .activations import ELU, Identity, LeakyReLU, LogSoftmax, ReLU, Sigmoid, Softmax, Softplus, Tanh
from .containers import Sequential
from .module import Module, Parameter

__all__ = ["Linear", "MLP", "Dropout", "Maxout", "Embedding"]


def _check_sizes(owner, positive=(), **sizes):
    """Raise TypeError for a size that is not an int, ValueError for one below 0, naming owner and the size: a size
    of 0 makes zero-element weights, as PyTorch's layers build them (Linear(0, 3), Embedding(5, 0)); the sizes named
    in positive must be at least 1, where PyTorch refuses 0 too (an RNN's hidden_size, attention's num_heads).
    Returns the sizes as Python ints, in order."""
    return tuple(checked_number(n, owner, name, low=1 if name in positive else 0, integer=True)
                 for name, n in sizes.items())


# PyTorch's layers end in (..., device=None, dtype=None); here dtype comes where device does (a subclass's
# super().__init__(in_features, out_features, bias, device, dtype) passes them so) and device= is keyword-only
_FACTORY_ORDER = ("; a device there is PyTorch's order (..., device, dtype): layers here take dtype in its place "
                  "and device= only by keyword (the CPU is the one), so pass dtype= by keyword")


def _float_dtype(owner, dtype):
    """dtype as a NumPy float dtype; None is the default float32 (PyTorch's, where NumPy's None is float64)."""
    try:
        resolved = np.dtype(np.float32 if dtype is None else dtype)
    except TypeError:  # ("foo", or a device such as "cpu" where the dtype belongs)
        hint = _FACTORY_ORDER if names_device(dtype) else ""
        raise TypeError(f"{owner}: dtype must be a float dtype (np.float32, np.float64...) for trainable weights, "
                        f"got {dtype!r}, which names no NumPy dtype{hint}") from None
    if resolved.kind != "f":
        raise TypeError(f"{owner}: dtype must be a float dtype (np.float32, np.float64...) for trainable weights, "
                        f"got {resolved}")
    return resolved


def _layer_input(owner, x, in_features, dtype, name="in_features", what="input"):
    """x checked to end in in_features and cast to the layer's dtype (a Tensor differentiably). name and what: the
    size's and the input's names in the error (Bilinear's in2_features, input2)."""
    if not isinstance(x, Tensor):
        if isinstance(x, (list, tuple)):  # (checked here, not called for every array: Linear's forward is hot)
            F._refuse_held_graph(x, owner)  # (a list of Tensors that require grad, made an array, gets no gradient)
        x = np.asarray(x)
    shape, x_dtype = x.shape, x.dtype
    if x_dtype is dtype and shape and shape[-1] == in_features:  # the usual case, checked at once
        return x
    if x_dtype.kind not in "biuf":  # astype would turn None into NaN and "1" into 1.0
        raise TypeError(f"{owner}: expected input of a bool, integer or float dtype, got {x.dtype} (shape {shape})")
    if not shape or shape[-1] != in_features:  # (ShapeError: a ValueError and PyTorch's RuntimeError at once)
        why = ": shapes cannot be multiplied" if shape else " (both arguments to linear need to be at least 1D)"
        raise ShapeError(f"{owner}: expected {what} with last dimension {name}={in_features}, got {what} of shape "
                         f"{shape}{why}")
    if x.dtype != dtype:
        x = x.astype(dtype)  # Tensor.astype records the cast
    return x


class Linear(Module):
    """An affine layer y = x @ W.T + b, W of shape (out_features, in_features), as in PyTorch.

    Initialised as PyTorch does: W and b drawn from U(-1/sqrt(in_features), 1/sqrt(in_features))
    (kaiming_uniform_ with a = sqrt(5) for W). A size may be 0, as in PyTorch: the weight then has no elements
    (kaiming_uniform_ leaves it, with PyTorch's warning), and with in_features=0 the bias is 0 (PyTorch's bound 0)
    and the output is the bias, broadcast. rng: a numpy Generator or int seed. device: a keyword, as on every layer
    whose PyTorch namesake takes one: None or "cpu" (another device is refused). bias=None means no bias, as
    PyTorch's `if bias:` reads it (Linear, Bilinear and the convolutions; text is refused).
    Inputs of another dtype (a float64 or integer array fed to a float32 layer) are cast to the
    layer's dtype, where PyTorch would raise; a Tensor input is cast differentiably.

    >>> import numpy as np, nn
    >>> layer = nn.Linear(3, 2, rng=0)
    >>> layer.weight.shape, layer.bias.shape, layer.weight.dtype
    ((2, 3), (2,), dtype('float32'))
    >>> layer(np.ones((5, 3))).shape
    (5, 2)
    """

    @takes_device
    def __init__(self, in_features, out_features, bias=True, dtype=np.float32, rng=None):
        super().__init__()
        _check_sizes("Linear", in_features=in_features, out_features=out_features)
        dtype = _float_dtype("Linear", dtype)
        rng = generator(rng, "Linear")
        self.in_features, self.out_features = in_features, out_features
        self.weight, self.bias = unfilled_weight_and_bias("Linear", (out_features, in_features), out_features, bias,
                                                          dtype)
        reset_at_construction(self, rng)

    @resets
    def reset_parameters(self, rng=None):
        """Draw the weight and bias again, as the constructor did (PyTorch's reset_parameters), into the same
        Parameters: kaiming_uniform_ with a = sqrt(5), so U(-1/sqrt(in_features), 1/sqrt(in_features)), for both.
        rng: a numpy Generator or int seed; None draws from the default generator (ag.manual_seed's).

        >>> import numpy as np, nn
        >>> layer = nn.Linear(3, 2, rng=0)
        >>> weight = layer.weight
        >>> layer.reset_parameters(rng=0)
        >>> layer.weight is weight, bool((weight.data == nn.Linear(3, 2, rng=0).weight.data).all())
        (True, True)
        """
        reset_weight_and_bias(self.weight, self.bias, rng)

    def forward(self, input):  # (PyTorch's name: `layer(input=x)` is called so)
        x = _layer_input("Linear", input, self.in_features, self.weight.dtype)
        return ag.linear(x, self.weight, self.bias)  # x @ W.T + b as one node of the graph

    def extra_repr(self):
        return f"in_features={self.in_features}, out_features={self.out_features}, bias={self.bias is not None}"


def _sparse_flag(owner, sparse):
    """PyTorch's sparse flag, checked and kept. With sparse=True PyTorch's weight gradient is a sparse COO Tensor;
    the engine has one, dense, layout, so the gradient here is the dense Tensor that one stands for (as
    ag.sparse_coo_tensor builds): SGD and Adagrad steps equal PyTorch's (dlrm's tables); the optimizers PyTorch
    refuses sparse gradients for (Adam, RMSprop, SGD with weight_decay) take it here as any dense gradient."""
    return as_flag(sparse, owner, "sparse")


def _embedding_weight(module, shape, _weight, dtype, rng, frozen=False):
    """Set module.weight, an embedding table: reset_parameters' N(0, 1) with the padding row zero, or PyTorch's
    _weight taken as it is (its padding row too); a frozen one keeps an integer or bool dtype, as PyTorch's
    from_pretrained (a lookup table of ids), a trainable one must be float."""
    owner = type(module).__name__
    if _weight is None:
        module.weight = Parameter(np.empty(shape, dtype=_float_dtype(owner, dtype)))
        reset_at_construction(module, generator(rng, owner))
    else:
        values = saved_value(_weight) if isinstance(_weight, Tensor) else np.asarray(_weight)
        if values.shape != shape:
            raise ValueError(f"{owner}: _weight has shape {values.shape}, but num_embeddings and embedding_dim make "
                             f"{shape}")
        if frozen and values.dtype.kind in "biu":  # (an integer Parameter cannot require grad, even for a moment)
            module.weight = Parameter(values, requires_grad=False)
            return
        module.weight = Parameter(values.astype(_float_dtype(owner, values.dtype), copy=False))
    module.weight.requires_grad = not frozen  # (with or without _weight, as PyTorch's _freeze)


class _EmbeddingTable(Module):
    """What Embedding and EmbeddingBag share: their weight's reset_parameters."""

    @resets
    def reset_parameters(self, rng=None):
        """Draw the weight again from N(0, 1) into the same Parameter, the padding_idx row zeroed, as PyTorch's.
        rng: a numpy Generator or int seed; None draws from the default generator (ag.manual_seed's).

        >>> import numpy as np, nn
        >>> emb = nn.Embedding(4, 2, padding_idx=0, rng=0)
        >>> emb.reset_parameters(rng=1)
        >>> emb.weight.data[0].tolist(), bool((emb.weight.data == nn.Embedding(4, 2, 0, rng=1).weight.data).all())
        ([0.0, 0.0], True)
        """
        init.normal_(self.weight, rng=rng)
        if self.padding_idx is not None:
            data = self.weight.data
            data[self.padding_idx] = 0
            self.weight.data = data  # (counted as a change, as nn.init's writes are)


class Embedding(_EmbeddingTable):
    """A lookup table, as PyTorch's: weight (num_embeddings, embedding_dim) drawn from N(0, 1); an input of
    integer indices of any shape gives weight[input], of shape input.shape + (embedding_dim,) (F.embedding), and
    the gradient scatter-adds into the picked rows. padding_idx (negative counts from the end): that row starts
    at zero and gets no gradient. max_norm, norm_type, scale_grad_by_freq, _weight and _freeze as PyTorch's (see
    F.embedding); sparse=True gives the dense gradient PyTorch's sparse one stands for. rng: a numpy Generator or
    int seed; dtype: the weight's (keywords).

    >>> import numpy as np, nn
    >>> emb = nn.Embedding(10, 3, padding_idx=0, rng=0)
    >>> emb
    Embedding(10, 3, padding_idx=0)
    >>> emb(np.array([[1, 2, 0], [4, 0, 9]])).shape, emb.weight.data[0].tolist()
    ((2, 3, 3), [0.0, 0.0, 0.0])
    """

    @takes_device
    def __init__(self, num_embeddings, embedding_dim, padding_idx=None, max_norm=None, norm_type=2.0,
                 scale_grad_by_freq=False, sparse=False, _weight=None, _freeze=False, *, dtype=np.float32, rng=None):
        super().__init__()
        owner = "Embedding"
        _check_sizes(owner, num_embeddings=num_embeddings, embedding_dim=embedding_dim)
        self.num_embeddings, self.embedding_dim = int(num_embeddings), int(embedding_dim)
        self.padding_idx = padding_index(padding_idx, self.num_embeddings, owner)
        self.max_norm = None if max_norm is None else checked_number(max_norm, owner, "max_norm", low=0)
        self.norm_type = checked_number(norm_type, owner, "norm_type")
        self.scale_grad_by_freq = as_flag(scale_grad_by_freq, owner, "scale_grad_by_freq")
        self.sparse = _sparse_flag(owner, sparse)
        frozen = as_flag(_freeze, owner, "_freeze")
        _embedding_weight(self, (self.num_embeddings, self.embedding_dim), _weight, dtype, rng, frozen)

    def forward(self, input):
        return _embedding(input, self.weight, self.padding_idx, "Embedding", self.max_norm, self.norm_type,
                            self.scale_grad_by_freq, self.sparse)

    def extra_repr(self):  # PyTorch's: the settings at their defaults left out
        text = f"{self.num_embeddings}, {self.embedding_dim}"
        if self.padding_idx is not None:
            text += f", padding_idx={self.padding_idx}"
        if self.max_norm is not None:
            text += f", max_norm={self.max_norm}"
        if self.norm_type != 2:
            text += f", norm_type={self.norm_type}"
        if self.scale_grad_by_freq:
            text += ", scale_grad_by_freq=True"
        if self.sparse:
            text += ", sparse=True"
        return text

    @classmethod
    def from_pretrained(cls, embeddings, freeze=True, padding_idx=None, max_norm=None, norm_type=2.0,
                        scale_grad_by_freq=False, sparse=False):
        """An Embedding whose weight is embeddings (a 2-D array or Tensor, its dtype kept), frozen (requires_grad
        False) unless freeze=False, as PyTorch's.

        >>> import numpy as np, nn
        >>> emb = nn.Embedding.from_pretrained(np.array([[1.0, 2.0], [3.0, 4.0]]))
        >>> emb(np.array([1, 0])).tolist(), emb.weight.requires_grad
        ([[3.0, 4.0], [1.0, 2.0]], False)
        """
        values = saved_value(embeddings) if isinstance(embeddings, Tensor) else np.asarray(embeddings)
        if values.ndim != 2:
            raise ValueError(f"Embedding.from_pretrained: embeddings must be 2-D (num_embeddings, embedding_dim), "
                             f"got shape {values.shape}")
        return cls(*values.shape, padding_idx, max_norm, norm_type, scale_grad_by_freq, sparse, values,
                   as_flag(freeze, "Embedding.from_pretrained", "freeze"))


class Flatten(Module):
    """PyTorch's Flatten: the axes start_dim..end_dim joined into one (by default all but the batch axis).

    >>> import numpy as np, nn
    >>> nn.Flatten()(np.ones((2, 3, 4))).shape, nn.Flatten(0, 1)(np.ones((2, 3, 4))).shape
    ((2, 12), (6, 4))
    """

    def __init__(self, start_dim=1, end_dim=-1):
        super().__init__()
        for name, dim in (("start_dim", start_dim), ("end_dim", end_dim)):
            if isinstance(dim, (bool, np.bool_)) or not isinstance(dim, (int, np.integer)):
                raise TypeError(f"Flatten: {name} must be an int, got {dim!r}")
        self.start_dim, self.end_dim = int(start_dim), int(end_dim)

    def forward(self, input):
        shape = np.shape(input) or (1,)  # a 0-d input is one element, as PyTorch reads it
        first, last = (_axis_of("Flatten", dim, shape) for dim in (self.start_dim, self.end_dim))
        if first > last:
            raise ValueError(f"Flatten: start_dim={self.start_dim} comes after end_dim={self.end_dim} for an input of "
                             f"shape {shape}")
        joined = math.prod(shape[first:last + 1])
        return ag.reshape(input, shape[:first] + (joined,) + shape[last + 1:])

    def extra_repr(self):
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


def _axis_of(owner, dim, shape):
    """dim as an axis index of shape, or an IndexError naming owner and the valid range (PyTorch's)."""
    n = len(shape)
    if not -n <= dim < n:
        raise IndexError(f"{owner}: dim {dim} is out of range for an input of shape {shape}; valid dims are "
                         f"{-n}..{n - 1}")
    return dim % n


class Dropout(Module):
    """Inverted dropout: in training, zero each element with probability p and scale the rest by
    1 / (1 - p); in eval mode, the identity. rng: a numpy Generator or int seed; inplace=True writes the
    result into the input, as PyTorch's (a keyword here: the second argument is rng).

    >>> import autograd_core as ag, nn
    >>> drop = nn.Dropout(0.5, rng=0)
    >>> sorted(set(drop(ag.ones(10)).data.tolist()))
    [0.0, 2.0]
    >>> drop.eval()(ag.ones(3))
    Tensor([1., 1., 1.])
    """

    def __init__(self, p=0.5, rng=None, *, inplace=False):
        super().__init__()
        F.check_probability("Dropout", "probability p", p)
        self.p = p
        self.rng = _dropout_generator(rng, "Dropout")
        self.inplace = as_flag(inplace, "Dropout", "inplace")

    def forward(self, input):
        return F.dropout(input, self.p, self.training, self.rng, inplace=self.inplace)

    def extra_repr(self):
        return f"p={self.p}, inplace={bool(self.inplace)}"  # PyTorch's Dropout always shows inplace


class Maxout(Module):
    """Maxout units: out_features groups of `pieces` affine units; each output is its group's maximum,
    g(z)_i = max_{j in G(i)} z_j (course notes), z = x @ W.T + b from one Linear(in, out * pieces).

    >>> import numpy as np, nn
    >>> layer = nn.Maxout(4, 3, pieces=2, rng=0)
    >>> layer(np.ones((5, 4))).shape
    (5, 3)
    """

    def __init__(self, in_features, out_features, pieces, bias=True, dtype=np.float32, rng=None):
        super().__init__()
        _check_sizes("Maxout", positive=("pieces",), in_features=in_features, out_features=out_features, pieces=pieces)
        self.in_features, self.out_features, self.pieces = in_features, out_features, pieces
        bias = as_flag(bias, "Maxout", "bias")
        self.linear = Linear(in_features, out_features * pieces, bias=bias, dtype=dtype, rng=rng)

    def forward(self, x):
        x = _layer_input("Maxout", x, self.in_features, self.linear.weight.dtype)
        z = ag.linear(x, self.linear.weight, self.linear.bias)  # (self.linear(x) would check x again, as Linear's)
        return z.reshape(*z.shape[:-1], self.out_features, self.pieces).max(axis=-1)

    def extra_repr(self):
        return f"pieces={self.pieces}"


_ACTIVATIONS = {
    "relu": ReLU, "leaky_relu": LeakyReLU, "elu": ELU, "sigmoid": Sigmoid, "tanh": Tanh, "softplus": Softplus,
    "softmax": Softmax, "log_softmax": LogSoftmax, "identity": Identity, "linear": Identity,
}


def _named_activations():
    """_ACTIVATIONS and PyTorch's other activations by name (activations_more uses this module's helpers, so it is
    imported here, when an MLP is made, rather than at the top)."""
    from . import activations_more as more
    return {**_ACTIVATIONS, "gelu": more.GELU, "silu": more.SiLU, "mish": more.Mish, "selu": more.SELU,
            "celu": more.CELU, "relu6": more.ReLU6, "hardtanh": more.Hardtanh, "hardswish": more.Hardswish,
            "hardsigmoid": more.Hardsigmoid, "logsigmoid": more.LogSigmoid, "softsign": more.Softsign,
            "tanhshrink": more.Tanhshrink, "prelu": more.PReLU}


def _activation(spec, where, dtype):
    """A Module from a name ("relu"), a Module class (nn.Tanh) or a Module instance: one with parameters is copied
    for each layer, so that none are tied across layers (torchvision's MLP makes one per layer); one without is
    shared, so that a random one (Dropout) draws from one stream, not from copies of it. A name or class made here
    that takes a dtype (PReLU, for its slopes) gets the MLP's, as the Linear layers do."""
    _check_activation(spec, where)
    if isinstance(spec, Module):
        return copy.deepcopy(spec) if any(True for _ in spec.parameters()) else spec
    kind = spec if isinstance(spec, type) else _named_activations()[spec.lower()]
    return kind(dtype=dtype) if "dtype" in inspect.signature(kind).parameters else kind()


def _check_activation(spec, where):
    if not (isinstance(spec, Module) or (isinstance(spec, type) and issubclass(spec, Module))
            or (isinstance(spec, str) and spec.lower() in _named_activations())):
        raise ValueError(f"MLP: unknown {where} {spec!r}; give one of {sorted(_named_activations())}, or an nn.Module "
                         f"class or instance (nn.Tanh or nn.Tanh())")


class MLP(Module):
    """A multilayer perceptron: Linear layers of the given sizes with an activation after each hidden
    layer (and Dropout after it when dropout > 0); the output layer is linear unless
    output_activation is given. Layers live in `self.layers`, a Sequential, so names read
    "layers.0.weight". activation: a name (relu, leaky_relu, elu, sigmoid, tanh, softplus, gelu, silu, ...), or
    an nn.Module class or instance (one with parameters is copied for each layer). rng: a numpy Generator or
    int seed for the weights and the dropout masks; dtype: the Linear layers' dtype.

    >>> import nn
    >>> nn.MLP([4, 16, 3], activation="tanh", rng=0)
    MLP(
      (layers): Sequential(
        (0): Linear(in_features=4, out_features=16, bias=True)
        (1): Tanh()
        (2): Linear(in_features=16, out_features=3, bias=True)
      )
    )
    """

    def __init__(self, sizes, activation="relu", output_activation=None, dropout=0.0, rng=None, dtype=np.float32):
        super().__init__()
        try:
            sizes = list(sizes)
        except TypeError:
            form = ""  # micrograd's MLP(nin, nouts) puts the input size first and the other widths second
            if isinstance(activation, (list, tuple)):
                form = f" (micrograd's MLP({sizes!r}, {list(activation)!r}) is MLP({[sizes, *activation]!r}) here)"
            raise TypeError(f"MLP: sizes must be a list of layer widths, input first, e.g. [64, 32, 10]; got "
                            f"{sizes!r}{form}") from None
        if len(sizes) < 2:
            raise ValueError(f"MLP: sizes needs at least an input and an output size, got {sizes}")
        _check_sizes("MLP", **{f"sizes[{k}]": n for k, n in enumerate(sizes)})
        F.check_probability("MLP", "dropout", dropout, closed=False)  # 1 would zero every hidden unit
        _check_activation(activation, "activation")  # also when there is no hidden layer to use it
        rng = generator(rng, "MLP")
        modules = []
        for k, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
            modules.append(Linear(n_in, n_out, dtype=dtype, rng=rng))
            if k < len(sizes) - 2:
                modules.append(_activation(activation, "activation", dtype))
                if dropout > 0:
                    modules.append(Dropout(dropout, rng=rng))
        if output_activation is not None:
            modules.append(_activation(output_activation, "output_activation", dtype))
        self.layers = Sequential(*modules)

    def forward(self, x):
        return self.layers(x)
