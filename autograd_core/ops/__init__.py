"""The engine's operations, one module per family (each primitive beside its gradient rule)."""
from .arithmetic import (abs, add, astype, divide, floor_divide, linear, matmul, multiply, negative, power, remainder,
                         subtract)
from .comparison import (bitwise_and, bitwise_or, bitwise_xor, equal, greater, greater_equal, invert, isfinite, isinf,
                         isnan, less, less_equal, logical_and, logical_not, logical_or, not_equal, signbit)
from .contraction import dot, einsum, inner, outer, tensordot
from .elementwise import (clip, cos, elu, exp, expm1, leaky_relu, log, log1p, maximum, minimum, relu, sigmoid, sign,
                          sin, softplus, sqrt, tanh, where)
from .losses import binary_cross_entropy, nll_loss
from .reductions import argmax, argmin, cumsum, logsumexp, max, mean, min, prod, std, sum, var
from .shape import (array_split, broadcast_to, chunk, concatenate, copy, expand_dims, flatten, flip, getitem, pad,
                    reshape, split, squeeze, stack, swapaxes, take_along_axis, torch_split, transpose, tril, triu)
from .softmax import log_softmax, softmax
