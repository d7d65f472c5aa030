"""What the normalisation tests share: NumPy references of the normalisations and of PyTorch's running statistics."""
import numpy as np


def normalized_ref(x, axes, eps=1e-5):
    """x less its mean over axes, divided by the standard deviation (the biased one, as the normalisations use)."""
    mean = x.mean(axis=axes, keepdims=True)
    return (x - mean) / np.sqrt(((x - mean) ** 2).mean(axis=axes, keepdims=True) + eps)


def channel_affine(out, weight, bias):
    """out (N, C, *) times weight and plus bias, one value per channel (None: 1 and 0)."""
    shape = (1, out.shape[1]) + (1,) * (out.ndim - 2)
    return out * (1 if weight is None else weight.reshape(shape)) + (0 if bias is None else bias.reshape(shape))


def batch_norm_ref(x, weight=None, bias=None, training=True, running_mean=None, running_var=None):
    """F.batch_norm's value: by the batch's statistics in training, else by the running ones."""
    if training:
        out = normalized_ref(x, (0,) + tuple(range(2, x.ndim)))
    else:
        shape = (1, x.shape[1]) + (1,) * (x.ndim - 2)
        out = (x - running_mean.reshape(shape)) / np.sqrt(running_var.reshape(shape) + 1e-5)
    return channel_affine(out, weight, bias)


def batch_running_ref(batches, momentum):
    """PyTorch's running statistics of a batch norm after batches: (running_mean, running_var); momentum None is
    the cumulative average."""
    mean, var = np.zeros(batches[0].shape[1]), np.ones(batches[0].shape[1])
    for k, x in enumerate(batches, 1):
        axes = (0,) + tuple(range(2, x.ndim))
        factor = 1 / k if momentum is None else momentum
        mean = (1 - factor) * mean + factor * x.mean(axis=axes)
        var = (1 - factor) * var + factor * x.var(axis=axes, ddof=1)
    return mean, var
