"""PyTorch's torch.func namespace: `from nn.func import functional_call, grad, vmap, jacrev` as
`from torch.func import ...`. The transforms (grad, grad_and_value, vjp, jvp, jacrev, jacfwd, hessian, vmap,
linearize, functionalize, debug_unwrap, rearrange) are autograd_core.func's, with torch.func's signatures and return
conventions; the module helpers functional_call (see nn.utils.stateless), stack_module_state and
replace_all_batch_norm_modules_ are added here, on top of the engine."""
from autograd_core import stack
from autograd_core.func import (debug_unwrap, functionalize, grad, grad_and_value, hessian, jacfwd, jacrev, jvp,
                                linearize, rearrange, vjp, vmap)

from .module import Module
from .normalization import _BatchNorm
from .utils.stateless import functional_call

__all__ = ["grad", "grad_and_value", "vmap", "replace_all_batch_norm_modules_", "functionalize", "hessian", "jacfwd",
           "jacrev", "jvp", "linearize", "rearrange", "vjp", "functional_call", "stack_module_state", "debug_unwrap"]


def replace_all_batch_norm_modules_(root):
    """torch.func.replace_all_batch_norm_modules_: in place, every BatchNorm module in root (root too) stops tracking
    running statistics (running_mean, running_var and num_batches_tracked become None, track_running_stats False),
    so that it normalises with the batch's statistics and updates no buffer under vmap; returns root.

    >>> import nn
    >>> model = nn.Sequential(nn.Linear(2, 2), nn.BatchNorm1d(2))
    >>> _ = nn.func.replace_all_batch_norm_modules_(model)
    >>> model[1].track_running_stats, model[1].running_mean
    (False, None)
    """
    if not isinstance(root, Module):
        raise TypeError(f"replace_all_batch_norm_modules_: root must be an nn.Module, got {type(root).__name__}")
    for module in root.modules():
        if isinstance(module, _BatchNorm) and module.track_running_stats:
            module.running_mean = None
            module.running_var = None
            module.num_batches_tracked = None
            module.track_running_stats = False
    return root


def stack_module_state(models):
    """(params, buffers): two dicts mapping each dotted name (as named_parameters and named_buffers give) to the
    models' Tensors under that name stacked along a new first dimension, as torch.func.stack_module_state, for
    ensembling with ag.vmap over functional_call. The stacked parameters are new leaves that require grad (when the
    models' do), unrelated to the models' own: an optimizer can take them. The models must be of one class and all
    in training or all in eval mode.

    >>> import numpy as np, autograd_core as ag, nn
    >>> models = [nn.Linear(2, 1, dtype=np.float64, rng=seed) for seed in range(3)]
    >>> params, buffers = nn.func.stack_module_state(models)
    >>> {name: p.shape for name, p in params.items()}, buffers
    ({'weight': (3, 1, 2), 'bias': (3, 1)}, {})
    >>> y = ag.vmap(lambda p, x: nn.func.functional_call(models[0], p, (x,)), in_dims=(0, None))(params, np.ones(2))
    >>> bool(np.allclose(y.data, [m(np.ones(2)).data for m in models]))
    True
    """
    models = list(models)
    if not models:
        raise RuntimeError("stack_module_state: Expected at least one model, got 0.")
    for k, model in enumerate(models):
        if not isinstance(model, Module):
            raise TypeError(f"stack_module_state: models must be nn.Modules, but model {k} is a "
                            f"{type(model).__name__}")
    if len({model.training for model in models}) > 1:
        raise RuntimeError("stack_module_state: Expected all models to have the same training/eval mode, got "
                           f"training={[model.training for model in models]}")
    kinds = [type(model).__name__ for model in models]
    if len({type(model) for model in models}) > 1:
        raise RuntimeError(f"stack_module_state: Expected all models to be of the same class, got {kinds}")
    params = _stacked_by_name([dict(model.named_parameters()) for model in models], "parameter")
    buffers = _stacked_by_name([dict(model.named_buffers()) for model in models], "buffer")
    return params, buffers


def _stacked_by_name(per_model, kind):
    """{name: the models' Tensors under name stacked}, a leaf requiring grad when every model's one does."""
    stacked = {}
    for name in per_model[0]:
        missing = [k for k, named in enumerate(per_model) if name not in named or named[name] is None]
        if missing:
            raise RuntimeError(f"stack_module_state: model 0 has the {kind} {name!r} but model(s) {missing} do not "
                               f"(or hold None); the models must have the same {kind}s")
        tensors = [named[name] for named in per_model]
        shapes = {tuple(t.shape) for t in tensors}
        if len(shapes) > 1:
            raise RuntimeError(f"stack_module_state: the {kind} {name!r} has shapes {[t.shape for t in tensors]} "
                               f"in the models; stacking needs one shape")
        flags = [bool(t.requires_grad) for t in tensors]
        if len(set(flags)) > 1:
            raise RuntimeError(f"stack_module_state: Expected {name} from each model to have the same "
                               f".requires_grad, got {flags}")
        value = stack([t.detach() for t in tensors])
        stacked[name] = value.requires_grad_() if flags[0] else value
    return stacked
