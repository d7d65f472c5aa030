"""nn.Module's dtype methods, to, double, float, half, type and cpu, as PyTorch's: every float Parameter and buffer
below a module cast in place (the same objects, so an optimizer built before keeps them), a .grad following its
Parameter (type casts the integer and bool ones too, as PyTorch's). A mixin of Module, as module_state's
StateDictMethods: it reaches the tensors through parameters() and buffers().
"""
import numpy as np

from autograd_core import Tensor, enable_grad, no_grad
from autograd_core._arguments import RuntimeTypeError
from autograd_core.creation import tensor_type_dtype

from ._arguments import _FLOATS, _as_dtype, dtype_of_to


class DtypeMethods:
    """nn.Module's to, cpu, double, float, half and type (see the module)."""

    def to(self, *args, **kwargs):
        """Cast every float Parameter and float buffer below this module (and their .grad) to a float dtype, in
        place, and return self, as PyTorch's Module.to: to(dtype), to(dtype=...), to(tensor) (its dtype),
        to("cpu", dtype), each with non_blocking and memory_format=ag.preserve_format or contiguous_format (ignored:
        NumPy's arrays keep their layout). dtype: float16, float32 or float64, as a NumPy dtype
        or its name. The device can only be the CPU, "cpu" or "cpu:0" (NumPy computes there), so to("cpu") changes
        nothing; any other is refused.

        Each Parameter stays the same object (an optimizer built before keeps updating it) with its
        requires_grad; its value is replaced, which counts as an in-place change: a graph recorded before that
        reads the old value refuses to backpropagate (one that does not gives gradients in the new dtype, as
        every gradient takes its Tensor's dtype). Integer and bool Parameters and buffers
        (BatchNorm1d.num_batches_tracked) keep their dtype. Layers then compute in the new dtype: Linear,
        Embedding, LayerNorm and BatchNorm1d take their dtype from their parameters. (An optimizer's running
        state made before keeps its dtype: build optimizers after the cast, as PyTorch advises.)

        >>> import numpy as np, nn
        >>> net = nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3)).to(np.float64)
        >>> net[0].weight.dtype, net[1].running_mean.dtype, net[1].num_batches_tracked.dtype
        (dtype('float64'), dtype('float64'), dtype('int64'))
        >>> net(np.ones((4, 2), np.float32)).dtype
        dtype('float64')
        """
        dtype = dtype_of_to(f"{type(self).__name__}.to", args, kwargs)
        return self if dtype is None else self._cast(dtype)

    def cpu(self):
        """PyTorch's Module.cpu(): self, unchanged (Parameters and buffers live on the CPU already), so
        `nn.save(net.cpu().state_dict(), path)` runs as written.

        >>> import nn
        >>> net = nn.Linear(2, 1)
        >>> net.cpu() is net
        True
        """
        return self

    def double(self):
        """to(np.float64): every float Parameter and buffer cast to float64, in place; returns self.

        >>> import nn
        >>> nn.Linear(2, 1).double().weight.dtype
        dtype('float64')
        """
        return self._cast(np.dtype(np.float64))

    def float(self):
        """to(np.float32): every float Parameter and buffer cast to float32, in place; returns self.

        >>> import numpy as np, nn
        >>> nn.Linear(2, 1, dtype=np.float64).float().bias.dtype
        dtype('float32')
        """
        return self._cast(np.dtype(np.float32))

    def half(self):
        """to(np.float16): every float Parameter and buffer cast to float16, in place; returns self. Means, losses
        and softmax accumulate float16 in float32, as PyTorch's; Adam's default eps (1e-8) rounds to 0 in float16,
        so a zero gradient gives NaN there, as in PyTorch (pass eps=1e-4).

        >>> import nn
        >>> nn.LayerNorm(3).half().weight.dtype
        dtype('float16')
        """
        return self._cast(np.dtype(np.float16))

    def type(self, dst_type):
        """PyTorch's Module.type(dst_type): every Parameter, buffer and .grad cast to dst_type in place, integer and
        bool buffers included (BatchNorm's num_batches_tracked), as PyTorch's casts them all (to() keeps those);
        returns self. dst_type is a dtype (bool, an integer one, or float16, float32 or float64, as to()'s) or
        PyTorch's tensor type standing for one, ag.DoubleTensor or 'torch.DoubleTensor'. An integer or bool dst_type
        is refused (nothing cast) while a Parameter requires grad or has a .grad: only float Tensors take gradients
        (PyTorch's RuntimeError).

        >>> import autograd_core as ag, nn
        >>> norm = nn.BatchNorm1d(2).type(ag.DoubleTensor)
        >>> norm.weight.dtype, norm.num_batches_tracked.dtype
        (dtype('float64'), dtype('float64'))
        """
        where = f"{type(self).__name__}.type"
        dtype = None if dst_type is None else _as_dtype(tensor_type_dtype(where, dst_type))
        if dtype is None or dtype.kind not in "biu" and dtype not in _FLOATS:  # (float128 too, as to() refuses it)
            raise TypeError(f"{where}: dst_type must be a bool, integer or float16, float32 or float64 dtype or tensor "
                            f"type (np.float64, ag.DoubleTensor, 'torch.DoubleTensor'), got {dst_type!r}")
        if dtype.kind != "f":
            held = next((name for name, p in self.named_parameters() if p.requires_grad or p.grad is not None), None)
            if held is not None:
                raise RuntimeTypeError(f"{where}: cannot cast to {dtype}: the parameter {held!r} requires grad or has "
                                       f"a .grad, and only float Tensors take gradients (requires_grad_(False) and "
                                       f"zero_grad() first, or cast to a float dtype)")
        return self._cast(dtype, every=True)

    def _apply(self, fn, recurse=True):
        """PyTorch's private Module._apply, which libraries call to change every tensor of a model: fn is called
        under no_grad on each Parameter, each .grad and each buffer of this module and (with recurse) of the modules
        below it, children first, each once. A Parameter stays the same object and takes the values fn returns
        (assigned to .data, counted as a change, as PyTorch's default; an fn that changes it in place, t.add_(1),
        returns it), a .grad likewise; a buffer becomes what fn returns. Returns self.

        >>> import numpy as np, nn
        >>> layer = nn.Linear(2, 1)
        >>> weight = layer.weight
        >>> layer._apply(lambda t: t * 0).weight is weight, float(np.abs(weight.data).sum())
        (True, 0.0)
        """
        seen, modules = set(), []
        if recurse:  # a module below whose class overrides _apply has it called (for the modules below it too), as
            # PyTorch's calls each child's: a module that also casts a plain tensor attribute it keeps, say
            for module, overrides in self._below("_apply"):
                if overrides:
                    module._apply(fn)
                else:
                    modules.append(module)
        modules.append(self)
        with no_grad():
            for module in modules:
                for param in (p for _, p in module.named_parameters(recurse=False)):
                    for tensor, owner in ((param, None), (param.grad, param)):
                        if tensor is None or id(tensor) in seen:
                            continue
                        seen.add(id(tensor))
                        applied = fn(tensor)
                        if applied is not tensor:  # (in place: already changed, and counted)
                            tensor.data = applied.data if isinstance(applied, Tensor) else np.asarray(applied)
                for name, buffer in list(module.named_buffers(recurse=False)):
                    if id(buffer) not in seen:
                        seen.add(id(buffer))
                        setattr(module, name, fn(buffer))
        return self

    def _cast(self, dtype, every=False):
        """to's work: each float Parameter and buffer once (shared ones too), or with every (type's) each of any
        dtype, gets a new array of dtype, by assigning .data (counted as a change); a .grad follows its Parameter.
        Through _apply when a module's class overrides it, so that the override runs, as PyTorch's to() calls it."""
        if type(self)._apply is not DtypeMethods._apply or any(overrides for _, overrides in self._below("_apply")):
            def cast(tensor):  # in place, as below (a recorded .grad too, without recording the cast)
                if (every or tensor.dtype.kind == "f") and tensor.dtype != dtype:
                    tensor.data = tensor.data.astype(dtype)
                return tensor
            return self._apply(cast)
        seen = set()
        for tensor in (*self.parameters(), *self.buffers()):
            if id(tensor) in seen or not every and tensor.dtype.kind != "f":
                continue
            seen.add(id(tensor))
            if tensor.dtype != dtype:  # (the same dtype: no change, and graphs recorded before stay valid)
                tensor.data = tensor.data.astype(dtype)
            grad = tensor.grad
            if grad is not None and grad.dtype != dtype:
                if grad.requires_grad:  # recorded (backward's create_graph): its graphs keep the old value, and
                    with enable_grad():  # the cast is recorded, so the new .grad is differentiable as the old one
                        tensor.grad = grad.astype(dtype)
                else:
                    grad.data = grad.data.astype(dtype)  # the same .grad object, as PyTorch's
        return self
