"""Gradient checkpointing, as torch.utils.checkpoint: checkpoint (the engine's autograd_core.checkpoint) and
checkpoint_sequential, which checkpoints a Sequential's layers segment by segment."""
from autograd_core.checkpoint import checkpoint

from ..containers import Sequential

__all__ = ["checkpoint", "checkpoint_sequential"]


def checkpoint_sequential(functions, segments, input, use_reentrant=None, **kwargs):
    """Run functions (an nn.Sequential, or a list of modules or functions) on input one after another, in
    segments parts: each but the last checkpointed (see checkpoint), so that the backward pass keeps the
    intermediate results of one segment at a time, as torch.utils.checkpoint.checkpoint_sequential.

    >>> import numpy as np, autograd_core as ag, nn
    >>> net = nn.Sequential(nn.Linear(2, 4, rng=0), nn.Tanh(), nn.Linear(4, 1, rng=1))
    >>> x = np.ones((3, 2), dtype=np.float32)
    >>> y = nn.utils.checkpoint.checkpoint_sequential(net, 2, x)
    >>> bool(np.allclose(y.data, net(x).data))
    True
    """
    preserve = kwargs.pop("preserve_rng_state", True)
    if kwargs:
        raise ValueError("checkpoint_sequential: unexpected keyword arguments: " + ", ".join(kwargs))
    if isinstance(functions, Sequential):
        functions = list(functions.children())
    functions = list(functions)
    if isinstance(segments, bool) or not isinstance(segments, int) or not 1 <= segments <= max(len(functions), 1):
        raise ValueError(f"checkpoint_sequential: segments must be an int from 1 to the number of functions "
                         f"({len(functions)}), got {segments!r}")

    def run(start, end):
        def forward(x):
            for j in range(start, end + 1):
                x = functions[j](x)
            return x
        return forward

    size = len(functions) // segments
    end = -1
    for start in range(0, size * (segments - 1), size):
        end = start + size - 1
        input = checkpoint(run(start, end), input, use_reentrant=use_reentrant, preserve_rng_state=preserve)
    return run(end + 1, len(functions) - 1)(input)
