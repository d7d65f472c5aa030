"""A small convolutional network's training epoch on the 8x8 digits (batch 32): Conv2d(1, 8, 3, padding=1),
ReLU, MaxPool2d(2), Flatten, Linear(128, 10), cross-entropy and SGD, through nn, against a hand-written NumPy
im2col step (the baseline) and PyTorch."""
import numpy as np

import nn
from bench_nn import _digits, _epoch
from common import interleaved, optional, report

torch = optional("torch")
_CHANNELS, _CLASSES = 8, 10


def _numpy_cnn(rng):
    """The network by hand: the convolution as one matmul of the 3x3 patches (im2col), PyTorch's initial bounds."""
    bound = 1 / np.sqrt(9)
    W = rng.uniform(-bound, bound, (_CHANNELS, 9)).astype(np.float32)  # (out, in * 3 * 3)
    b = rng.uniform(-bound, bound, _CHANNELS).astype(np.float32)
    bound = 1 / np.sqrt(_CHANNELS * 16)
    V = rng.uniform(-bound, bound, (_CLASSES, _CHANNELS * 16)).astype(np.float32)
    c = rng.uniform(-bound, bound, _CLASSES).astype(np.float32)

    def step(X, y, lr):
        n = len(X)
        padded = np.pad(X.reshape(n, 8, 8), ((0, 0), (1, 1), (1, 1)))
        patches = np.lib.stride_tricks.sliding_window_view(padded, (3, 3), axis=(1, 2)).reshape(n * 64, 9)
        a = patches @ W.T + b  # (n * 8 * 8, channels): rows by (sample, row, column)
        # each 2x2 pool's four values on a last axis, so that the gradient goes to one maximum (PyTorch's)
        r = np.maximum(a, 0).reshape(n, 4, 2, 4, 2, _CHANNELS).transpose(0, 1, 3, 5, 2, 4).reshape(n, 4, 4, -1, 4)
        winner = r.argmax(axis=-1)[..., None]
        pooled = np.take_along_axis(r, winner, axis=-1)[..., 0]  # (n, 4, 4, channels)
        flat = pooled.transpose(0, 3, 1, 2).reshape(n, -1)  # PyTorch's flattening order: channel, row, column
        z = flat @ V.T + c
        p = np.exp(z - z.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        p[np.arange(n), y] -= 1
        g = p / n
        gV, gc = g.T @ flat, g.sum(axis=0)
        g_pooled = (g @ V).reshape(n, _CHANNELS, 4, 4).transpose(0, 2, 3, 1)
        g_r = np.zeros_like(r)
        np.put_along_axis(g_r, winner, g_pooled[..., None], axis=-1)
        g_a = g_r.reshape(n, 4, 4, -1, 2, 2).transpose(0, 1, 4, 2, 5, 3).reshape(n * 64, -1) * (a > 0)
        W[...] -= lr * (g_a.T @ patches)
        b[...] -= lr * g_a.sum(axis=0)
        V[...] -= lr * gV
        c[...] -= lr * gc
    return step


def _nn_cnn(rng):
    model = nn.Sequential(nn.Conv2d(1, _CHANNELS, 3, padding=1, rng=rng), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                          nn.Linear(_CHANNELS * 16, _CLASSES, rng=rng))
    loss_fn, optimizer = nn.CrossEntropyLoss(), nn.optim.SGD(model.parameters(), lr=0.01)

    def step(X, y, lr):
        optimizer.zero_grad()
        loss_fn(model(X.reshape(len(X), 1, 8, 8)), y).backward()
        optimizer.step()
    return step


def _torch_cnn():
    model = torch.nn.Sequential(torch.nn.Conv2d(1, _CHANNELS, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
                                torch.nn.Flatten(), torch.nn.Linear(_CHANNELS * 16, _CLASSES))
    loss_fn, optimizer = torch.nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.01)

    def step(X, y, lr):
        optimizer.zero_grad()
        loss_fn(model(torch.from_numpy(X).reshape(len(X), 1, 8, 8)), torch.from_numpy(y)).backward()
        optimizer.step()
    return step


def cnn_epoch(batch=32):
    X, y = _digits()
    rng = np.random.default_rng(0)
    candidates = {"numpy by hand (im2col)": _epoch(_numpy_cnn(rng), X, y, batch),
                  "nn (Conv2d, MaxPool2d)": _epoch(_nn_cnn(rng), X, y, batch)}
    if torch is not None:
        candidates["pytorch"] = _epoch(_torch_cnn(), X, y, batch)
    per_epoch = interleaved(candidates, rounds=11)
    report("Digits CNN (Conv2d 1->8 3x3, MaxPool2d 2, Linear 128->10), one epoch of batch 32", per_epoch, "epoch",
           baseline="numpy by hand (im2col)")
    return per_epoch


BENCHMARKS = {"cnn-epoch": cnn_epoch}
