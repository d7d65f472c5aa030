"""Convolution, pooling and unpooling refuse what PyTorch refuses with its exception class and words: a
SlidingWindowError is a ValueError (as the project's other argument errors) and a RuntimeError (PyTorch's class),
its message PyTorch's words beside the shapes involved, so code and tests written for PyTorch catch and match it."""
import numpy as np
import pytest

import autograd_core as ag
import nn
import nn.functional as F
from nn._convolution_functions import SlidingWindowError

try:
    import torch
except ImportError:  # the checks against PyTorch are skipped; the messages are still asserted
    torch = None


def _ours_and_torchs(ours, theirs, pattern):
    """ours() raises a ValueError and RuntimeError matching pattern; so does theirs(torch) where torch is here."""
    with pytest.raises(SlidingWindowError, match=pattern) as caught:
        ours()
    assert isinstance(caught.value, ValueError) and isinstance(caught.value, RuntimeError)
    if torch is not None:
        with pytest.raises(RuntimeError, match=pattern):
            theirs(torch)


CASES = [
    # (ours, PyTorch's, the words both use)
    (lambda: F.conv1d(ag.ones((1, 3, 4)), ag.ones((33, 3, 10))),
     lambda t: t.nn.functional.conv1d(t.ones(1, 3, 4), t.ones(33, 3, 10)),
     r"Calculated padded input size per channel: \(4\)\. Kernel size: \(10\)\. Kernel size can't be greater than "
     r"actual input size"),
    (lambda: F.conv2d(ag.ones((1, 3, 1, 1)), ag.ones((2, 3, 3, 3)), dilation=(1, 2)),  # the dilated kernel's size
     lambda t: t.nn.functional.conv2d(t.ones(1, 3, 1, 1), t.ones(2, 3, 3, 3), dilation=(1, 2)),
     r"Calculated padded input size per channel: \(1 x 1\)\. Kernel size: \(3 x 5\)\."),
    (lambda: F.conv2d(ag.ones((1, 10, 1, 28, 28)), ag.ones((6, 1, 5, 5))),
     lambda t: t.nn.functional.conv2d(t.ones(1, 10, 1, 28, 28), t.ones(6, 1, 5, 5)),
     r"Expected 3D \(unbatched\) or 4D \(batched\) input to conv2d, but got input of size: \[1, 10, 1, 28, 28\]"),
    (lambda: F.conv2d(ag.ones((1, 3, 4, 4)), ag.ones((2, 3, 2, 2)), stride=0),
     lambda t: t.nn.functional.conv2d(t.ones(1, 3, 4, 4), t.ones(2, 3, 2, 2), stride=0),
     "non-positive stride is not supported"),
    (lambda: F.max_pool2d(ag.ones((1, 2, 4, 4)), 2, stride=0),
     lambda t: t.nn.functional.max_pool2d(t.ones(1, 2, 4, 4), 2, stride=0),
     "stride must be greater than zero|stride should not be zero"),
    (lambda: F.avg_pool3d(ag.ones((1, 2, 4, 4, 4)), 2, stride=0),
     lambda t: t.nn.functional.avg_pool3d(t.ones(1, 2, 4, 4, 4), 2, stride=0),
     "stride must be greater than zero|stride should not be zero"),
    (lambda: F.max_pool1d(ag.ones((1, 1, 4)), 3, stride=2, dilation=2),
     lambda t: t.nn.functional.max_pool1d_with_indices(t.ones(1, 1, 4), 3, stride=2, dilation=2),
     "too small|smaller than"),
    (lambda: F.max_unpool2d(ag.ones((1, 1, 2, 2)), ag.tensor(np.full((1, 1, 2, 2), 28)), 3, stride=2),
     lambda t: t.nn.functional.max_unpool2d(t.ones(1, 1, 2, 2), t.full((1, 1, 2, 2), 28), 3, stride=2),
     r"Found an invalid max index: 28 \(output volumes are of size 5x5"),
    (lambda: F.fractional_max_pool2d(ag.ones((2, 7, 7)), 2, output_size=(9, 3), _random_samples=np.zeros((1, 2, 2))),
     lambda t: t.nn.functional.fractional_max_pool2d(t.ones(2, 7, 7), 2, output_size=(9, 3),
                                                     _random_samples=t.zeros(1, 2, 2)),
     "too large relative to input height"),
    (lambda: nn.FractionalMaxPool2d(2, output_size=1, _random_samples=np.zeros((0, 16, 2)))(ag.ones((1, 16, 4, 4))),
     lambda t: t.nn.FractionalMaxPool2d(2, output_size=1, _random_samples=t.zeros(0, 16, 2))(t.ones(1, 16, 4, 4)),
     "Expect _random_samples"),
    (lambda: F.fractional_max_pool2d(ag.ones((2, 7, 7)), (1,), output_size=3, _random_samples=np.zeros((1, 2, 2))),
     lambda t: t.nn.functional.fractional_max_pool2d(t.ones(2, 7, 7), (1,), output_size=3,
                                                     _random_samples=t.zeros(1, 2, 2)),
     "kernel_size must either be a single"),
    (lambda: F.fractional_max_pool3d(ag.ones((2, 7, 7, 7)), 2, output_size=(3, 3), _random_samples=np.zeros((1, 2, 3))),
     lambda t: t.nn.functional.fractional_max_pool3d(t.ones(2, 7, 7, 7), 2, output_size=(3, 3),
                                                     _random_samples=t.zeros(1, 2, 3)),
     "output_size must either be a single"),
    (lambda: F.conv2d(ag.ones((2, 3, 5, 5)), ag.ones((4, 2, 3, 3))),
     lambda t: t.nn.functional.conv2d(t.ones(2, 3, 5, 5), t.ones(4, 2, 3, 3)),
     r"Given groups=1, weight of size \[4, 2, 3, 3\], expected input\[2, 3, 5, 5\] to have 2 channels, but got 3 "
     r"channels instead"),
    (lambda: F.conv2d(ag.ones((3, 5, 5)), ag.ones((4, 2, 3, 3)), groups=2),  # unbatched: named as batched, as PyTorch
     lambda t: t.nn.functional.conv2d(t.ones(3, 5, 5), t.ones(4, 2, 3, 3), groups=2),
     r"Given groups=2, weight of size \[4, 2, 3, 3\], expected input\[1, 3, 5, 5\] to have 4 channels"),
    (lambda: F.conv_transpose2d(ag.ones((2, 3, 5, 5)), ag.ones((4, 2, 3, 3))),
     lambda t: t.nn.functional.conv_transpose2d(t.ones(2, 3, 5, 5), t.ones(4, 2, 3, 3)),
     r"Given transposed=1, weight of size \[4, 2, 3, 3\], expected input\[2, 3, 5, 5\] to have 4 channels"),
    (lambda: F.conv_transpose2d(ag.ones((5, 5)), ag.ones((4, 2, 3, 3))),
     lambda t: t.nn.functional.conv_transpose2d(t.ones(5, 5), t.ones(4, 2, 3, 3)),
     r"Expected 3D \(unbatched\) or 4D \(batched\) input to conv_transpose2d, but got input of size: \[5, 5\]"),
]


@pytest.mark.parametrize("ours, theirs, pattern", CASES)
def test_errors_are_runtime_errors_in_pytorchs_words(ours, theirs, pattern):
    _ours_and_torchs(ours, theirs, pattern)


def test_the_messages_still_name_the_shapes_and_what_is_valid():
    with pytest.raises(SlidingWindowError, match=r"conv1d: .*\(the kernel \(2,\) with dilation \(4,\)\); give a "
                                                 r"larger input, or pad it"):
        F.conv1d(ag.ones((1, 1, 4)), ag.ones((1, 1, 2)), dilation=4)
    with pytest.raises(SlidingWindowError, match=r"max_unpool1d: .* so an index must be in \[0, 4\)"):
        F.max_unpool1d(ag.ones((1, 2)), ag.tensor(np.array([[0, -1]])), 2)


def test_module_settings_refused_in_pytorchs_words():
    # PyTorch raises ValueError at construction for these, with these words (its test_convolution matches them)
    with pytest.raises(ValueError, match="groups must be a positive integer"):
        nn.Conv2d(1, 1, 3, groups=-1)
    with pytest.raises(ValueError, match="Invalid padding string 'foo'"):
        nn.Conv1d(3, 33, 10, padding="foo")
    with pytest.raises(ValueError, match='Only "zeros" padding mode is supported for ConvTranspose2d'):
        nn.ConvTranspose2d(3, 3, 3, padding_mode="reflect")
    if torch is not None:
        for make in (lambda: torch.nn.Conv2d(1, 1, 3, groups=-1), lambda: torch.nn.Conv1d(3, 33, 10, padding="foo"),
                     lambda: torch.nn.ConvTranspose2d(3, 3, 3, padding_mode="reflect")):
            with pytest.raises(ValueError, match='groups must be a positive integer|Invalid padding string|'
                                                 'Only "zeros"'):
                make()


def test_valid_calls_are_unchanged():
    # the same operations with valid arguments: values against NumPy references
    x = np.arange(16.0).reshape(1, 1, 4, 4)
    assert np.array_equal(F.max_pool2d(ag.tensor(x), 2).data, [[[[5.0, 7.0], [13.0, 15.0]]]])
    out, indices = F.max_pool2d(ag.tensor(x), 2, return_indices=True)
    expected = np.zeros(16)
    expected[[5, 7, 13, 15]] = [5, 7, 13, 15]
    assert np.array_equal(F.max_unpool2d(out, indices, 2).data, expected.reshape(1, 1, 4, 4))
    y = F.conv2d(ag.tensor(x), ag.ones((1, 1, 2, 2)), padding="same")
    padded = np.pad(x, ((0, 0), (0, 0), (0, 1), (0, 1)))
    assert np.array_equal(y.data, padded[..., :-1, :-1] + padded[..., 1:, :-1] + padded[..., :-1, 1:]
                          + padded[..., 1:, 1:])
