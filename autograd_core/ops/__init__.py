"""The engine's operations, one module per family (each primitive beside its gradient rule)."""
from .arithmetic import (abs, add, astype, divide, floor_divide, fmod, linear, matmul, multiply, negative, positive,
                         power, remainder, subtract)
from .comparison import (bitwise_and, bitwise_not, bitwise_or, bitwise_xor, eq, equal, ge, greater, greater_equal, gt,
                         invert, isfinite, isinf, isnan, isneginf, isposinf, isreal, le, left_shift, less, less_equal,
                         logical_and, logical_not, logical_or, logical_xor, lt, ne, not_equal, right_shift, signbit)
from .contraction import dot, einsum, inner, matvec, outer, tensordot, vdot, vecmat
from .elementwise import (clip, cos, elu, exp, exp2, expm1, leaky_relu, log, log1p, log2, log10, maximum, minimum,
                          reciprocal, relu, sigmoid, sign, sin, softplus, sqrt, square, tanh, where)
from .indexing import getitem, take_along_axis
from .losses import binary_cross_entropy, nll_loss
from .reductions import argmax, argmin, cumsum, logcumsumexp, logsumexp, max, mean, min, prod, std, sum, var
from .padding import pad
from .shape import (array_split, broadcast_to, chunk, concatenate, copy, expand_dims, flatten, flip, reshape, split,
                    squeeze, stack, swapaxes, torch_split, transpose, tril, triu)
from .softmax import log_softmax, softmax
from .special import digamma, erf, erfc, erfinv, lgamma, logit, mvlgamma, polygamma
from .trigonometric import arccos, arccosh, arcsin, arcsinh, arctan, arctan2, arctanh, cosh, hypot, sinh, tan
from .windows import fold_windows, sliding_windows
from .elementwise_extra import cbrt, fmax, fmin, logaddexp, logaddexp2, sinc
from .nan_reductions import nanmax, nanmean, nanmin, nansum
from .rearrange import (atleast_1d, atleast_2d, atleast_3d, column_stack, dstack, fliplr, flipud, hstack, moveaxis,
                        ravel, repeat, resize, roll, rollaxis, rot90, tile, vstack)
from .rounding import (around, ceil, copysign, deg2rad, degrees, fabs, fix, floor, frac, frexp, heaviside, rad2deg,
                       radians, rint, round, trunc)
from .selection import argsort, diagonal, diff, msort, sort, take, trace
from .statistics import average, cumprod, median, ptp
from .numpy_more import (convolve, correlate, cross, cumulative_trapezoid, diag, diag_embed, diagflat, interp, kron,
                         meshgrid, nan_to_num, trapezoid, trapz, vander)
from .counting import (argwhere, bincount, bucketize, count_nonzero, flatnonzero, histogram, histogramdd, isin,
                       nonzero, searchsorted, unique, unique_consecutive, unravel_index)
from .quantiles import corrcoef, cov, nanmedian, nanpercentile, nanquantile, percentile, quantile
from .spacing import empty_like, full_like, linspace, logspace
from .binary_more import float_power, gcd, lcm, ldexp, nextafter, xlog1py, xlogy
from .finite_differences import gradient
