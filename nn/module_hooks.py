"""nn.Module's hook registration methods, as PyTorch's: forward pre-hooks and hooks, full backward hooks and
pre-hooks (and the deprecated register_backward_hook). A mixin of Module, as module_state's StateDictMethods; the
machinery that calls the hooks, and Module.__call__'s test for them, are in nn.hooks.
"""
from .hooks import BACKWARD_HOOKS, BACKWARD_PRE_HOOKS, HOOKS, PRE_HOOKS, register, register_backward, \
    register_deprecated_backward


class HookMethods:
    """nn.Module's register_forward_pre_hook, register_forward_hook, register_full_backward_hook,
    register_full_backward_pre_hook and register_backward_hook (see the module)."""

    def register_forward_pre_hook(self, hook, *, prepend=False, with_kwargs=False):
        """Call hook(module, args) before each forward, as PyTorch's: it may return new positional arguments (a
        tuple, or one value), or None to keep them; with_kwargs=True calls hook(module, args, kwargs), which may
        return a pair (args, kwargs). Hooks run in the order registered (prepend=True: first). Returns a handle
        whose remove() takes the hook off.

        >>> import numpy as np, nn
        >>> relu = nn.ReLU()
        >>> handle = relu.register_forward_pre_hook(lambda module, args: -args[0])
        >>> relu(np.array([1.0, -2.0]))
        Tensor([0., 2.])
        >>> handle.remove(); relu(np.array([1.0, -2.0]))
        Tensor([1., 0.])
        """
        return register(self, PRE_HOOKS, hook, prepend, with_kwargs)

    def register_forward_hook(self, hook, *, prepend=False, with_kwargs=False, always_call=False):
        """Call hook(module, args, output) after each forward, as PyTorch's: to watch a layer's output (the
        activations of a hidden layer), or to replace it by returning a value (None keeps it); a replacement made
        of engine operations carries gradients as any other. with_kwargs=True calls hook(module, args, kwargs,
        output); always_call=True calls it also when the forward raises (output None), before the error goes on.
        Returns a handle whose remove() takes the hook off.

        >>> import numpy as np, nn
        >>> net, hidden = nn.MLP([2, 3, 1], rng=0), {}
        >>> handle = net.layers[1].register_forward_hook(lambda m, args, out: hidden.update(relu=out.numpy()))
        >>> _ = net(np.ones((5, 2))); hidden["relu"].shape
        (5, 3)
        """
        return register(self, HOOKS, hook, prepend, with_kwargs, always_call)

    def register_full_backward_hook(self, hook, prepend=False):
        """Call hook(module, grad_input, grad_output) in each backward pass through a call of this module, once
        the gradients with respect to its inputs are computed, as PyTorch's: grad_input has one entry per
        positional argument of the call (keyword arguments are left out): the gradient for a Tensor requiring
        grad, None for an argument that is no Tensor (an ndarray, a number), zeros for a Tensor that does not
        require grad or that no gradient reached (PyTorch's); grad_output one entry per output (the output, or
        each item of a tuple output): None for an item that is no Tensor requiring grad or got no gradient. The
        hook may return a tuple of the same length, which replaces grad_input (what flows on to the inputs; None
        for no gradient), or None. Hooks run in the order registered (prepend=True: first), each given the last
        replacement; one registered after a call's forward is not called for it, one removed after is.

        When no positional input requires grad, the hooks are called once the gradients with respect to the
        outputs are, with grad_input all None (and a warning), and may only return None; when no output requires
        grad, or the output is neither a Tensor nor a tuple (a warning then), they are not called. The forward
        receives, and the caller gets, identities of the Tensors passed and returned (same values, same memory).
        Returns a handle whose remove() takes the hook off.

        >>> import numpy as np, autograd_core as ag, nn
        >>> layer = nn.Linear(2, 1, rng=0, dtype=np.float64)
        >>> seen = []
        >>> handle = layer.register_full_backward_hook(lambda m, grad_input, grad_output: seen.append(
        ...     (grad_input[0].tolist(), grad_output[0].tolist())))
        >>> x = ag.tensor([[1.0, 2.0]], requires_grad=True)
        >>> layer(x).sum().backward()
        >>> seen == [(layer.weight.tolist(), [[1.0]])]
        True
        >>> handle = layer.register_full_backward_hook(lambda m, grad_input, grad_output: (grad_input[0] + 1,))
        >>> x.grad = None; layer(x).sum().backward(); x.grad.tolist() == (layer.weight + 1).tolist()
        True
        """
        return register_backward(self, BACKWARD_HOOKS, hook, prepend)

    register_backward_hook = register_deprecated_backward  # PyTorch's deprecated name: a full hook, with a warning

    def register_full_backward_pre_hook(self, hook, prepend=False):
        """Call hook(module, grad_output) in each backward pass through a call of this module, once the gradients
        with respect to its outputs are computed and before those with respect to its inputs are, as PyTorch's:
        grad_output has one entry per output (the output, or each item of a tuple output), None for an item
        that is no Tensor requiring grad or got no gradient. The hook may return a tuple of the same length, which
        replaces grad_output (what flows back through the module; None for no gradient), or None. Hooks run in
        the order registered (prepend=True: first), each given the last replacement, and before the full backward
        hooks, which see the replacement. Returns a handle whose remove() takes the hook off.

        >>> import numpy as np, nn
        >>> layer = nn.Linear(2, 1, rng=0, dtype=np.float64)
        >>> handle = layer.register_full_backward_pre_hook(lambda m, grad_output: (3 * grad_output[0],))
        >>> layer(np.ones((1, 2))).sum().backward()
        >>> layer.bias.grad
        Tensor([3.])
        """
        return register_backward(self, BACKWARD_PRE_HOOKS, hook, prepend)
