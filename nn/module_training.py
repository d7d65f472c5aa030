"""nn.Module's training switches, as PyTorch's: train and eval (the mode), requires_grad_ (freezing) and zero_grad,
with the gradient clearing the optimizers and gradient clipping share (clear_grads, set_grad_values; nn.module's names
too). A mixin of Module, as module_dtype's DtypeMethods: it reaches the modules below through Module's _below and the
Parameters through parameters().
"""
import numpy as np

from autograd_core import Tensor

from ._arguments import as_flag


def set_grad_values(param, values):
    """Set param.grad's values (broadcast to its shape): in place, unless the gradient is a recorded graph node
    (from backward(create_graph=True)), whose graphs keep reading the old values; then param.grad becomes a new
    Tensor. The rule behind zero_grad and gradient clipping."""
    grad = param.grad
    if grad.requires_grad:
        param.grad = Tensor(np.broadcast_to(values, grad.shape), dtype=grad.dtype)
    else:
        grad[...] = values  # in place, counted as a change: graphs that saved this .grad then refuse


def clear_grads(params, set_to_none=True):
    """Set each param's .grad to None, or its values to zero (set_grad_values). Module.zero_grad and
    Optimizer.zero_grad (one call for all of a module's or a group's parameters: zero_grad runs every step)."""
    for param in params:
        if set_to_none or param.grad is None:
            param.grad = None
        else:
            set_grad_values(param, 0)


class TrainingMethods:
    """nn.Module's train, eval, requires_grad_ and zero_grad (see the module)."""

    def zero_grad(self, set_to_none=True):
        """Forget accumulated gradients: every Parameter's .grad becomes None (PyTorch's default), or with
        set_to_none=False is zeroed in place (a gradient recorded with create_graph=True becomes a fresh
        zero Tensor instead, leaving that graph's values intact).

        >>> import numpy as np, nn
        >>> layer = nn.Linear(2, 1)
        >>> layer(np.ones(2)).sum().backward()
        >>> layer.zero_grad(set_to_none=False); layer.bias.grad
        Tensor([0.], dtype=float32)
        """
        if type(set_to_none) is not bool:  # (checked off the common path: zero_grad runs every step)
            set_to_none = as_flag(set_to_none, f"{type(self).__name__}.zero_grad", "set_to_none")
        clear_grads(self.parameters(), set_to_none)

    def train(self, mode=True):
        """Put this module and all below it in training mode (Dropout active); returns self. A module below whose
        class overrides train has its train called instead, which sets the modules below it, as PyTorch's.

        >>> import nn
        >>> model = nn.MLP([2, 3, 1], dropout=0.5).eval()
        >>> model.train().training, model.layers[2].training
        (True, True)
        """
        mode = as_flag(mode, f"{type(self).__name__}.train", "mode", ValueError)  # "no" would mean training
        self.training = mode
        for module, overrides in self._below("train"):
            if overrides:  # (a frozen batch norm's override, say, that puts it back in eval mode)
                module.train(mode)
            else:
                module.training = mode
        return self

    def eval(self):
        """Put this module and all below it in evaluation mode (Dropout is the identity); returns self.

        >>> import nn
        >>> nn.MLP([2, 3, 1], dropout=0.5).eval().layers[2].training
        False
        """
        return self.train(False)

    def requires_grad_(self, requires_grad=True):
        """Set requires_grad on every Parameter (False freezes them: no gradient, optimizers skip them);
        returns self.

        >>> import nn
        >>> net = nn.Sequential(nn.Linear(2, 3), nn.Linear(3, 1))
        >>> _ = net[0].requires_grad_(False)
        >>> [p.requires_grad for p in net.parameters()]
        [False, False, True, True]
        """
        if not isinstance(requires_grad, (bool, np.bool_)):  # requires_grad_("no") would otherwise mean True
            raise TypeError(f"{type(self).__name__}.requires_grad_: expected True or False, got {requires_grad!r}")
        for param in self.parameters():
            param.requires_grad_(bool(requires_grad))
        return self
