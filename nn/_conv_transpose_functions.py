"""Transposed convolution as functions, which nn.functional re-exports: conv_transpose1d, conv_transpose2d and
conv_transpose3d, with torch.nn.functional's names, arguments and defaults.

A transposed convolution is the adjoint of a convolution (the gradient of conv2d with respect to its input): each
input entry adds its value times the kernel into the output, at stride steps, overlapping contributions summed. It is
composed of engine operations: an einsum of the input with the weight gives every entry's scaled kernel (N, C_out,
*input sizes, *kernel), which ag.fold_windows (the adjoint of ag.sliding_windows) adds back in place, each kernel
entry dilation apart; then the padding is cut from both sides and output_padding zeros added on the far side. So
every gradient is the engine's (fold_windows' rule is sliding_windows, einsum's an einsum), to any order. The weight
is (in_channels, out_channels / groups, *kernel_size), as PyTorch's; inputs are batched (N, C_in, *sizes) or not.
"""
import autograd_core as ag

from ._arguments import checked_number
from ._convolution_functions import (_KERNEL, _OUT, SlidingWindowError, _listed_shape, _per_axis, biased,
                                     conv_operands)


def transposed_sizes(sizes, kernel, stride, padding, output_padding, dilation):
    """The output's spatial sizes: (n - 1) * stride - 2 * padding + dilation * (k - 1) + output_padding + 1."""
    return tuple((n - 1) * s - 2 * p + d * (k - 1) + op + 1
                 for n, k, s, p, op, d in zip(sizes, kernel, stride, padding, output_padding, dilation))


def conv_transpose(input, weight, bias, stride, padding, output_padding, groups, dilation, dims, where):
    """conv_transpose1d, 2d and 3d (dims 1, 2, 3): every input entry's kernel, scaled, added back in place."""
    x, weight, unbatched, groups = conv_operands(input, weight, groups, dims, where,
                                                 channels="in_channels, out_channels / groups")
    in_channels, group_out, kernel = weight.shape[0], weight.shape[1], weight.shape[2:]
    if 0 in weight.shape:
        raise SlidingWindowError(f"{where}: the weight (shape {weight.shape}) is empty; in_channels, out_channels / "
                                 "groups and each kernel size must be at least 1")
    if in_channels % groups:
        raise SlidingWindowError(f"{where}: the weight's {in_channels} input channels (shape {weight.shape}, its first "
                                 f"axis) do not divide into groups={groups}")
    if x.shape[1] != in_channels:
        raise SlidingWindowError(f"{where}: Given transposed=1, weight of size {_listed_shape(weight.shape)}, "
                                 f"expected input{_listed_shape(x.shape)} to have {in_channels} channels (the "
                                 f"weight's first axis), but got {x.shape[1]} channels instead (the input's shape is "
                                 f"{x.shape[1:] if unbatched else x.shape})")
    if 0 in x.shape[2:]:  # (PyTorch: only an empty batch or channel axis is supported)
        raise SlidingWindowError(f"{where}: the input (shape {x.shape[1:] if unbatched else x.shape}) has an empty "
                                 "spatial axis; each spatial size must be at least 1 (only the batch may be empty)")
    stride = _per_axis(stride, dims, where, "stride")
    padding = _per_axis(padding, dims, where, "padding", low=0)
    output_padding = _per_axis(output_padding, dims, where, "output_padding", low=0)
    dilation = _per_axis(dilation, dims, where, "dilation")
    if any(op >= s and op >= d for op, s, d in zip(output_padding, stride, dilation)):
        raise SlidingWindowError(f"{where}: output_padding {output_padding} must be smaller than either stride "
                                 f"{stride} or dilation {dilation} along each axis, as PyTorch requires")
    sizes = transposed_sizes(x.shape[2:], kernel, stride, padding, output_padding, dilation)
    if any(n < 1 for n in sizes):  # as PyTorch (whose float32 path for batches of 2+ returns an empty output)
        raise SlidingWindowError(f"{where}: the output's spatial size would be {sizes} for an input of spatial size "
                                 f"{x.shape[2:]}, kernel {kernel}, stride {stride}, padding {padding}, output_padding "
                                 f"{output_padding} and dilation {dilation}; each must be at least 1 (give less "
                                 "padding)")
    n, out_channels, counts = x.shape[0], group_out * groups, x.shape[2:]
    inp, k = _OUT[:dims], _KERNEL[:dims]
    if groups == 1:  # (N, C_out, *input sizes, *kernel): each input entry's kernel times its value
        scaled = ag.einsum(f"nc{inp},cf{k}->nf{inp}{k}", x, weight)
    else:  # the channels split into groups, each with its own slice of the weight
        x = x.reshape(n, groups, in_channels // groups, *counts)
        weight = weight.reshape(groups, in_channels // groups, group_out, *kernel)
        scaled = ag.einsum(f"ngc{inp},gcf{k}->ngf{inp}{k}", x, weight).reshape(n, out_channels, *counts, *kernel)
    full = tuple((c - 1) * s + d * (w - 1) + 1 for c, w, s, d in zip(counts, kernel, stride, dilation))
    y = ag.fold_windows(scaled, (n, out_channels) + full, stride, dilation)
    extra = tuple(max(0, op - p) for op, p in zip(output_padding, padding))  # zeros beyond what is folded
    if any(extra):
        y = ag.pad(y, ((0, 0), (0, 0)) + tuple((0, e) for e in extra))
    if any(padding) or any(op < p for op, p in zip(output_padding, padding)):
        y = y[(slice(None), slice(None)) + tuple(slice(p, p + size) for p, size in zip(padding, sizes))]
    return biased(y, bias, unbatched, where, f" (out_channels / groups {group_out} times groups {groups})")


def conv_transpose1d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    """A 1-D transposed convolution (the adjoint of conv1d, sometimes called a deconvolution), as
    torch.nn.functional.conv_transpose1d: input (N, C_in, L) or (C_in, L), weight (C_in, C_out / groups, k), bias
    (C_out,) or None. Output length (L - 1) stride - 2 padding + dilation (k - 1) + output_padding + 1;
    output_padding (zeros on the right) must be smaller than stride or dilation.

    >>> import autograd_core as ag, nn.functional as F
    >>> F.conv_transpose1d(ag.tensor([[[1.0, 2.0]]]), ag.tensor([[[1.0, 10.0, 100.0]]]), stride=2)
    Tensor([[[  1.,  10., 102.,  20., 200.]]])
    """
    return conv_transpose(input, weight, bias, stride, padding, output_padding, groups, dilation, 1,
                          "conv_transpose1d")


def conv_transpose2d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    """A 2-D transposed convolution (the adjoint of conv2d), as torch.nn.functional.conv_transpose2d: input
    (N, C_in, H, W) or (C_in, H, W), weight (C_in, C_out / groups, kH, kW), bias (C_out,) or None; stride, padding
    (cut from both sides of the output), output_padding (added on the far side) and dilation each an int or a pair.

    >>> import numpy as np, autograd_core as ag, nn.functional as F
    >>> x = ag.tensor(np.ones((1, 2, 2)), requires_grad=True)
    >>> y = F.conv_transpose2d(x, ag.ones((1, 3, 2, 2)), stride=2)
    >>> y.shape, y.data[0].tolist()
    ((3, 4, 4), [[1.0, 1.0, 1.0, 1.0], [1.0, 1.0, 1.0, 1.0], [1.0, 1.0, 1.0, 1.0], [1.0, 1.0, 1.0, 1.0]])
    >>> y.sum().backward(); x.grad.data.tolist()  # each input entry reaches 3 channels times 2 x 2 entries
    [[[12.0, 12.0], [12.0, 12.0]]]
    """
    return conv_transpose(input, weight, bias, stride, padding, output_padding, groups, dilation, 2,
                          "conv_transpose2d")


def conv_transpose3d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    """A 3-D transposed convolution (the adjoint of conv3d), as torch.nn.functional.conv_transpose3d: input
    (N, C_in, D, H, W) or (C_in, D, H, W), weight (C_in, C_out / groups, kD, kH, kW), bias (C_out,) or None; stride,
    padding, output_padding and dilation each an int or a triple.

    >>> import numpy as np, autograd_core as ag, nn.functional as F
    >>> y = F.conv_transpose3d(ag.ones((1, 1, 2, 2, 2)), ag.ones((1, 1, 2, 2, 2)))
    >>> y.shape, y.data[0, 0, 1].tolist()  # the centre holds all 8 inputs' contributions
    ((1, 1, 3, 3, 3), [[2.0, 4.0, 2.0], [4.0, 8.0, 4.0], [2.0, 4.0, 2.0]])
    """
    return conv_transpose(input, weight, bias, stride, padding, output_padding, groups, dilation, 3,
                          "conv_transpose3d")


def output_padding_for(output_size, input_shape, kernel, stride, padding, dilation, where):
    """The output_padding that gives the requested output_size (its spatial sizes, optionally led by N and C or by C
    alone for an unbatched input), as PyTorch's _ConvTransposeNd._output_padding: each size must lie between the
    smallest output (output_padding 0) and that plus stride - 1."""
    dims = len(kernel)
    lead = len(input_shape) - dims
    try:
        requested = tuple(checked_number(n, where, "output_size", integer=True) for n in output_size)
    except TypeError:
        raise TypeError(f"{where}: output_size must be a sequence of ints, got {output_size!r}") from None
    if len(requested) == lead + dims:
        requested = requested[lead:]
    if len(requested) != dims:
        raise SlidingWindowError(f"{where}: for a {len(input_shape)}-D input, output_size must have {dims} or "
                                 f"{lead + dims} elements, got {len(requested)} ({output_size!r})")
    smallest = transposed_sizes(input_shape[lead:], kernel, stride, padding, (0,) * dims, dilation)
    largest = tuple(n + s - 1 for n, s in zip(smallest, stride))
    if any(not lo <= n <= hi for n, lo, hi in zip(requested, smallest, largest)):
        raise SlidingWindowError(f"{where}: requested an output size of {requested}, but valid sizes range from "
                                 f"{list(smallest)} to {list(largest)} (for an input of spatial size "
                                 f"{input_shape[lead:]})")
    return tuple(n - lo for n, lo in zip(requested, smallest))

