"""The older spectral normalisation, as torch.nn.utils.spectral_norm / remove_spectral_norm: a forward pre-hook
that sets module.<name> = <name>_orig / sigma before each forward, sigma estimated by power iteration on the
buffers <name>_u and <name>_v (advanced in training mode only). (PyTorch now advises
nn.utils.parametrizations.spectral_norm; this keeps the old state dict keys "weight_orig", "weight_u",
"weight_v", records its version in the state dict's _metadata and loads PyTorch's state dicts of before it, as
PyTorch's.)"""
import numpy as np

import autograd_core as ag
from autograd_core import Tensor
from autograd_core._arguments import RuntimeIndexError

from .._arguments import generator
from ..conv_transpose import ConvTranspose1d, ConvTranspose2d, ConvTranspose3d
from .._uninitialized import refuse_lazy
from ..module import Parameter
from .parametrizations import _normalized
from .weight_norm import _find, _remove

__all__ = ["spectral_norm", "remove_spectral_norm", "SpectralNorm"]


class SpectralNorm:
    """The forward pre-hook of spectral_norm."""

    _version = 1  # PyTorch's: a state dict of version None (before 1) holds name and no name_v

    def __init__(self, name="weight", n_power_iterations=1, dim=0, eps=1e-12):
        if isinstance(n_power_iterations, bool) or not isinstance(n_power_iterations, (int, np.integer)) \
                or n_power_iterations <= 0:
            raise ValueError(f"spectral_norm: expected n_power_iterations to be a positive int, but got "
                             f"n_power_iterations={n_power_iterations!r}")
        self.name, self.dim, self.eps = name, dim, float(eps)
        self.n_power_iterations = int(n_power_iterations)

    def reshape_weight_to_matrix(self, weight):
        if self.dim != 0:
            weight = weight.transpose(self.dim, *(d for d in range(weight.ndim) if d != self.dim))
        return weight.reshape(weight.shape[0], -1)

    def compute_weight(self, module, do_power_iteration):
        weight = getattr(module, self.name + "_orig")
        u, v = getattr(module, self.name + "_u"), getattr(module, self.name + "_v")
        matrix = self.reshape_weight_to_matrix(weight)
        if do_power_iteration:
            u_values, v_values, values = u.data, v.data, matrix.data
            for _ in range(self.n_power_iterations):
                v_values[...] = _normalized(values.T @ u_values, self.eps)
                u_values[...] = _normalized(values @ v_values, self.eps)
            u.data, v.data = u_values, v_values  # (counted as changes)
        sigma = ag.sum(Tensor(u.data.copy()) * ag.matmul(matrix, Tensor(v.data.copy())))
        return weight / sigma

    def _solve_v_and_rescale(self, matrix, u, target_sigma):
        """A v with u = normalize(matrix @ v) and u @ matrix @ v = target_sigma (pinv, as PyTorch's)."""
        v = np.linalg.pinv(matrix.T @ matrix) @ matrix.T @ u
        return v * (target_sigma / (u @ (matrix @ v)))

    def remove(self, module):
        weight = self.compute_weight(module, do_power_iteration=False)
        for suffix in ("", "_u", "_v", "_orig"):
            delattr(module, self.name + suffix)
        for registry, kind in (("_state_dict_hooks", _StateDictHook), ("_load_state_dict_pre_hooks", _LoadPreHook)):
            hooks = vars(module).get(registry) or {}
            key = next((k for k, entry in hooks.items() if isinstance(entry[0], kind) and entry[0].fn is self), None)
            if key is not None:
                del hooks[key]
        module.register_parameter(self.name, Parameter(weight.data.copy()))

    def __call__(self, module, inputs):
        setattr(module, self.name, self.compute_weight(module, do_power_iteration=module.training))

    @staticmethod
    def apply(module, name, n_power_iterations, dim, eps, rng=None):
        if _find(module, SpectralNorm, name) is not None:
            raise RuntimeError(f"spectral_norm: cannot register two spectral_norm hooks on the same parameter "
                               f"{name!r}")
        weight = vars(module).get(name) if isinstance(name, str) else None
        if not isinstance(weight, Parameter):
            raise ValueError(f"spectral_norm: module {type(module).__name__} has no parameter {name!r}")
        refuse_lazy(module, name, "spectral_norm", "spectral normalization")
        if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)) or not -weight.ndim <= dim < weight.ndim:
            raise RuntimeIndexError(f"spectral_norm: dimension out of range (expected to be in range of "
                                    f"[{-weight.ndim}, {weight.ndim - 1}], but got {dim!r})")
        if dim < 0:  # PyTorch's fails on one (it permutes with it unwrapped)
            raise RuntimeIndexError(f"spectral_norm: this older API takes a dim >= 0 (here {weight.ndim + dim} for "
                                    f"{dim}), as PyTorch's; nn.utils.parametrizations.spectral_norm takes negative "
                                    f"ones")
        fn = SpectralNorm(name, n_power_iterations, int(dim), eps)
        h, w = fn.reshape_weight_to_matrix(weight.data).shape
        rng = generator(rng, "spectral_norm")
        u = _normalized(rng.standard_normal(h).astype(weight.dtype), fn.eps)
        v = _normalized(rng.standard_normal(w).astype(weight.dtype), fn.eps)
        delattr(module, name)
        module.register_parameter(name + "_orig", weight)
        setattr(module, name, weight.detach())  # (sharing weight_orig's memory, as PyTorch's weight.data)
        module.register_buffer(name + "_u", u)
        module.register_buffer(name + "_v", v)
        module.register_forward_pre_hook(fn)
        module._register_state_dict_hook(_StateDictHook(fn))
        module._register_load_state_dict_pre_hook(_LoadPreHook(fn))
        return fn


class _StateDictHook:
    """Records fn's version in the state dict's metadata, as PyTorch's SpectralNormStateDictHook:
    local_metadata["spectral_norm"]["<name>.version"] = 1."""

    def __init__(self, fn):
        self.fn = fn

    def __call__(self, module, state_dict, prefix, local_metadata):
        versions = local_metadata.setdefault("spectral_norm", {})
        key = self.fn.name + ".version"
        if key in versions:
            raise RuntimeError(f"spectral_norm: unexpected key in metadata['spectral_norm']: {key}")
        versions[key] = self.fn._version


class _LoadPreHook:
    """Loads a state dict of version None (PyTorch's before 1: name_orig, name and name_u, no name_v), as PyTorch's
    SpectralNormLoadStateDictPreHook: v is solved from them so that the next forward gives the saved weight. A
    state dict without the metadata that holds name_orig, name_u and name_v and no name is taken as the latest."""

    def __init__(self, fn):
        self.fn = fn

    def __call__(self, state_dict, prefix, local_metadata, strict, missing_keys, unexpected_keys, error_msgs):
        fn = self.fn
        version = (local_metadata.get("spectral_norm") or {}).get(fn.name + ".version")
        if version is not None and version >= 1:
            return
        key = prefix + fn.name
        if version is None and all(key + s in state_dict for s in ("_orig", "_u", "_v")) and key not in state_dict:
            return
        missing = [key + suffix for suffix in ("_orig", "", "_u") if key + suffix not in state_dict]
        if missing:
            if strict:
                missing_keys.extend(missing)
            return
        weight_orig = _array(state_dict[key + "_orig"])
        weight = _array(state_dict.pop(key))
        sigma = (weight_orig / weight).mean()
        matrix = fn.reshape_weight_to_matrix(Tensor(weight_orig)).data
        v = fn._solve_v_and_rescale(matrix, _array(state_dict[key + "_u"]), sigma)
        state_dict[key + "_v"] = Tensor(v.astype(weight_orig.dtype, copy=False))


def _array(value):
    return value.data if isinstance(value, Tensor) else np.asarray(value)


def spectral_norm(module, name="weight", n_power_iterations=1, eps=1e-12, dim=None, *, rng=None):
    """Spectral normalisation with a forward pre-hook, as torch.nn.utils.spectral_norm: the Parameter name becomes
    name_orig, and before each forward module.<name> = name_orig / sigma, sigma the largest singular value of the
    weight as a matrix (axis dim first; dim None: 1 for ConvTranspose layers, else 0), estimated by
    n_power_iterations steps of the power method on the buffers name_u and name_v in training mode (started at
    random, from rng: an extension). Returns module.

    >>> import nn
    >>> layer = nn.utils.spectral_norm(nn.Linear(3, 2), rng=0)
    >>> list(layer.state_dict())
    ['bias', 'weight_orig', 'weight_u', 'weight_v']
    """
    if dim is None:
        dim = 1 if isinstance(module, (ConvTranspose1d, ConvTranspose2d, ConvTranspose3d)) else 0
    SpectralNorm.apply(module, name, n_power_iterations, dim, eps, rng)
    return module


def remove_spectral_norm(module, name="weight"):
    """Undo spectral_norm: name is a plain Parameter again, holding the current normalised value (no power
    iteration). Returns module.

    >>> import nn
    >>> list(nn.utils.remove_spectral_norm(nn.utils.spectral_norm(nn.Linear(3, 2))).state_dict())
    ['bias', 'weight']
    """
    return _remove(module, SpectralNorm, name, "remove_spectral_norm")
