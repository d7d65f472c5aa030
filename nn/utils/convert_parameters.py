"""Parameters to and from one flat vector, as torch.nn.utils.convert_parameters: for optimisers and analyses
that see a model's parameters as one vector (line searches, evolution strategies, Hessian-vector products)."""
from collections.abc import Iterable

import autograd_core as ag
from autograd_core import Tensor
from autograd_core._arguments import InvalidArgumentError

from ..init import copy_into

__all__ = ["parameters_to_vector", "vector_to_parameters"]


def _tensors(parameters, where):
    """parameters as a list of Tensors (an iterable of them, e.g. model.parameters())."""
    if isinstance(parameters, Tensor) or not isinstance(parameters, Iterable):
        raise TypeError(f"{where}: parameters must be an iterable of Tensors (e.g. model.parameters()), got "
                        f"{type(parameters).__name__}")
    parameters = list(parameters)
    for i, p in enumerate(parameters):
        if not isinstance(p, Tensor):
            raise TypeError(f"{where}: parameters must be Tensors, got {type(p).__name__} at position {i}")
    return parameters


def parameters_to_vector(parameters):
    """One 1-D Tensor of every parameter's values, flattened in order (row-major, as PyTorch's view(-1)) and joined:
    differentiable, so a function of the vector has gradients for the parameters. Dtypes are promoted as NumPy's
    concatenate does. A single Tensor (of at least one axis) gives itself flattened, as PyTorch's.

    >>> import numpy as np, nn
    >>> layer = nn.Linear(2, 1, dtype=np.float64)
    >>> v = nn.utils.parameters_to_vector(layer.parameters())
    >>> v.shape, bool((v.data[:2] == layer.weight.data.ravel()).all())
    ((3,), True)
    """
    if isinstance(parameters, Tensor) and parameters.ndim > 0:  # PyTorch's iterates its rows: the same vector
        parameters = [parameters]
    tensors = _tensors(parameters, "parameters_to_vector")
    if not tensors:
        raise ValueError("parameters_to_vector: parameters is empty; there is nothing to join into a vector")
    return ag.concatenate([p.reshape(-1) for p in tensors])


def vector_to_parameters(vec, parameters):
    """Copy consecutive slices of the 1-D Tensor vec into the parameters' values, in order (each slice reshaped to
    its parameter's shape and cast to its dtype), the inverse of parameters_to_vector. The copy is not recorded for
    gradients (PyTorch's assigns .data too). vec must hold exactly as many entries as the parameters.

    >>> import numpy as np, autograd_core as ag, nn
    >>> layer = nn.Linear(2, 1, dtype=np.float64)
    >>> nn.utils.vector_to_parameters(ag.tensor([1.0, 2.0, 3.0]), layer.parameters())
    >>> layer.weight.data, layer.bias.data
    (array([[1., 2.]]), array([3.]))
    """
    where = "vector_to_parameters"
    if not isinstance(vec, Tensor):
        raise TypeError(f"{where}: expected vec to be a Tensor, got {type(vec).__name__}; wrap it as ag.tensor(vec)")
    tensors = _tensors(parameters, where)
    needed = sum(p.numel() for p in tensors)
    if vec.ndim != 1 or vec.numel() != needed:
        raise InvalidArgumentError(f"{where}: vec must be a 1-D Tensor of {needed} entries (one per parameter value), "
                                   f"got shape {vec.shape}")
    values, start = vec.data, 0
    for p in tensors:
        copy_into(p, values[start:start + p.numel()].reshape(p.shape))
        start += p.numel()
