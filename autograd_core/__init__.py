"""autograd_core: reverse-mode automatic differentiation on NumPy.

>>> import autograd_core as ag
>>> w = ag.tensor(2.0, requires_grad=True)
>>> y = ag.tanh(w * 0.5)
>>> y.backward()
>>> round(float(w.grad), 4)
0.21
"""
from .tensor import Tensor  # first: the operations need the class
from .backprop import backprop, topological_order
from .creation import (DoubleTensor, FloatTensor, LongTensor, arange, empty, eye, full, get_default_device, ones,
                       ones_like, rand, rand_like, randn, randn_like, randperm, set_default_device, tensor, zeros,
                       zeros_like)
from .random_state import (Generator, are_deterministic_algorithms_enabled,
                           is_deterministic_algorithms_warn_only_enabled, manual_seed, use_deterministic_algorithms)
from .creation import BoolTensor, ByteTensor, CharTensor, HalfTensor, IntTensor, ShortTensor  # (legacy types)
from .function import Function
from .grad_hook_identity import identity_with_grad_hook
from . import post_accumulate_hooks  # noqa: F401  (Tensor.register_post_accumulate_grad_hook)
from .grad_mode import (detect_anomaly, enable_grad, inference_mode, is_anomaly_check_nan_enabled, is_anomaly_enabled,
                        is_grad_enabled, is_inference_mode_enabled, no_grad, set_detect_anomaly, set_grad_enabled)
from .ops import linalg
from .ops import (abs, arccos, arccosh, arcsin, arcsinh, arctan, arctan2, arctanh, argmax, argmin, array_split,
                  astype, binary_cross_entropy, broadcast_to, chunk, clip, concatenate, copy, cos, cosh, cumsum,
                  digamma, dot, einsum, elu, erf, erfc, erfinv, exp, exp2, expand_dims, expm1, flatten, flip,
                  floor_divide, fold_windows, getitem, hypot, inner, leaky_relu, lgamma, linear, log, log10, log1p,
                  log2, log_softmax, logsumexp, max, maximum, mean, min, minimum, multiply, negative, nll_loss,
                  outer, pad, polygamma, positive, power, prod, reciprocal, relu, remainder, reshape, sigmoid, sign,
                  sin, sinh, sliding_windows, softmax, softplus, split, sqrt, square, squeeze, stack, std, subtract,
                  sum, swapaxes, take_along_axis, tan, tanh, tensordot, transpose, tril, triu, var, where)
from .ops import (around, argsort, atleast_1d, atleast_2d, atleast_3d, average, cbrt, ceil, column_stack, copysign,
                  cumprod, deg2rad, degrees, diagonal, diff, dstack, fabs, fliplr, flipud, floor, fmax, fmin, heaviside,
                  hstack, logaddexp, logaddexp2, median, moveaxis, nanmax, nanmean, nanmin, nansum, ptp, rad2deg,
                  radians, ravel, repeat, resize, rint, roll, rollaxis, rot90, round, sinc, sort, take, tile, trace,
                  trunc, vstack)
from .ops import (argwhere, bincount, bucketize, convolve, corrcoef, correlate, count_nonzero, cov, cross, diag,
                  diagflat, empty_like, flatnonzero, full_like, histogram, interp, kron, linspace, logspace, matvec,
                  meshgrid, nan_to_num, nanmedian, nanpercentile, nanquantile, nonzero, percentile, quantile,
                  searchsorted, trapezoid, unique, vander, vdot, vecmat)
from .ops import isin  # (NumPy's and PyTorch's: which entries occur in test_elements)
from .ops import msort  # (PyTorch's: sort along the first axis)
from .ops import unique_consecutive  # (PyTorch's: a CTC greedy decoder's collapse of repeats)
from .ops import unravel_index  # (PyTorch's and NumPy's: coordinates of flat positions; negative ones from the end)
from .ops.linalg import vecdot  # (NumPy has it at the top level too)
from .ops._linalg_triangular import cholesky_solve, logdet  # (torch.cholesky_solve, torch.logdet)
from .ops._linalg_triangular import cholesky_inverse, triangular_solve  # (torch's; triangular_solve the older one)
from .ops import diag_embed  # (torch.diag_embed)
from .ops._linalg_lu import lu_unpack, torch_lu as lu  # (torch.lu: (LU, pivots); ag.linalg.lu: (P, L, U))
from .ops._linalg_lu import torch_lu_solve as lu_solve  # (torch.lu_solve(b, LU, pivots); ag.linalg.lu_solve's order)
from .ops import fmod  # (torch.fmod and np.fmod: the remainder with the sign of the dividend)
from .ops import logical_and, logical_not, logical_or, logical_xor  # (torch's and NumPy's: boolean, not recorded)
from .ops import eq, ge, greater, greater_equal, gt, le, less, less_equal, lt, ne, not_equal  # (likewise; as torch.le)
from .primitive import Primitive
from .torch_functions import (allclose, as_tensor, bmm, cat, concat, clamp, clamp_max, clamp_min, from_numpy,
                              is_tensor, isclose, isfinite, isinf, isnan, kthvalue, matmul, mm, mul, norm, numel, pow,
                              topk)
from .torch_indexing import gather, index_select, masked_select, scatter, scatter_add, take_along_dim
from .torch_from_data import asarray, frombuffer  # (torch's: Tensors sharing the memory of the data given)
from .torch_from_data import scalar_tensor  # (torch's: a number as a 0-d float Tensor)
from .torch_random import bernoulli, binomial, multinomial, normal, poisson, randint, randint_like  # noqa: E402
from .torch_extras import (amax, amin, histc, index_fill, lerp, masked_scatter, narrow, narrow_copy, permute,
                           repeat_interleave, rsqrt, std_mean, unbind, unsqueeze, var_mean)
from .printing import set_printoptions  # noqa: E402  (torch.set_printoptions: NumPy's print options)
from .torch_products import addbmm, addmm, addmv, addr, baddbmm, ger, mv  # noqa: E402
from .dtype_info import can_cast, finfo, get_default_dtype, iinfo, promote_types, result_type  # noqa: E402
from .torch_size import Size  # noqa: E402  (torch.Size: a tuple of ints)
from .torch_extras import (div, is_floating_point, masked_fill, movedim, neg, sub,
                           true_divide)  # (torch.<name>(x, ...) is x.<name>(...))
from .torch_distances import cdist, dist
from .fake_quantize import fake_quantize_per_channel_affine, fake_quantize_per_tensor_affine  # (torch's, for QAT)
from .torch_sparse import sparse_coo_tensor, spmm  # (the dense Tensors PyTorch's sparse ones stand for)
from .torch_scatter_reduce import index_add, index_copy, index_put, index_reduce, scatter_reduce  # (t.index_add_...)
from .torch_extras import unflatten  # (torch.unflatten; also t.unflatten)
from .torch_queries import is_complex, is_nonzero  # (torch's; also t.is_complex(), t.is_nonzero())
from .torch_reductions import aminmax, cummax, cummin, mode  # (torch's named pairs; also t.aminmax, t.mode, ...)
from .torch_linalg import det, inverse, matrix_power, pinverse, slogdet, svd  # (torch.svd gives V, linalg.svd Vh)
from .torch_linalg import cholesky, nuclear_norm, orgqr, qr, renorm  # (torch's names on ag.linalg's, torch's arguments)
from .torch_linalg import matrix_exp  # (torch.matrix_exp: ag.linalg.matrix_exp)
from .random_state import initial_seed  # (torch.initial_seed: the default generator's seed)
from .random_state import get_rng_state, set_rng_state  # (torch's: the default generator's state, NumPy's)
from .creation import tril_indices, triu_indices  # (PyTorch's: a 2 x N Tensor of a triangle's coordinates)
from .transforms import elementwise_grad, grad, jvp, stop_gradient, value_and_grad, vjp
from .transforms_jacobian import hessian, jacfwd, jacobian, jacrev
from .transforms_hessian import hvp, vhp
from .vmap import vmap
from .multiply_add import addcdiv, addcmul  # (torch's; the methods and t.addcmul_/addcdiv_ too)
from .torch_binary import add, divide  # (np.add and np.divide, with torch's alpha= and rounding_mode=)
from .torch_binary import rsub  # (torch.rsub: other - alpha * input)
from .torch_binary import (bitwise_and, bitwise_left_shift, bitwise_or, bitwise_right_shift,  # (torch's)
                           bitwise_xor)
from .ops import left_shift, right_shift  # (NumPy's: the << and >> operators)
from .ops import float_power, gcd, lcm, ldexp, nextafter, xlog1py, xlogy  # (torch's and NumPy's)
from .ops import logcumsumexp  # (torch.logcumsumexp; also t.logcumsumexp)
from .ops import logit, mvlgamma  # (torch's and scipy's special functions; also t.logit, t.mvlgamma)
from .ops.bessel import i0  # (torch.i0 and np.i0; also t.i0; ag.special has i0e, i1, i1e)
from .ops import fix, frac, frexp  # (torch.fix is trunc; torch.frac, x - trunc(x); torch.frexp; also the methods)
from .ops import bitwise_not, isneginf, isposinf, isreal, signbit  # (NumPy's and torch's; not recorded)
from .ops import abs as absolute  # (NumPy's and PyTorch's other name of abs; also t.absolute)
from .ops import histogramdd  # (np.histogramdd; torch.histogramdd's (..., D) input, flat range= and weight= too)
from .ops import gradient  # (np.gradient; torch.gradient's spacing= and dim= too: ops/finite_differences.py)
from .ops import cumulative_trapezoid, trapz  # (torch's; ag.trapezoid takes dim= and dx= as torch.trapezoid)
from .torch_combining import (block_diag, broadcast_shapes, broadcast_tensors, cartesian_prod,  # (torch's)
                              combinations)
from .ops.rearrange import vstack as row_stack  # (torch.row_stack, vstack's other name)
from .torch_splits import dsplit, hsplit, swapdims, tensor_split, vsplit  # (torch's; hsplit.. NumPy's too)
from .torch_distances import pdist  # (torch.pdist, torch.nn.functional.pdist)
from .torch_extras import detach  # (torch.detach(x): x.detach())
from .torch_products import chain_matmul  # (torch's, deprecated: warns, naming linalg.multi_dot)
from .torch_scatter_reduce import put  # (torch.put; also t.put and t.put_)
from .torch_scatter_reduce import _index_put_ as index_put_  # (torch.index_put_(x, indices, values): x.index_put_)
from .torch_in_place import clamp_max_, clamp_min_, relu_  # (torch.relu_: x.relu_(), max(x, 0) in place; F.relu_ too)
from .torch_method_aliases import sgn  # (torch's; also t.sgn)
from .torch_method_aliases import (adjoint, clone,  # (torch.clone(x), as x.clone(): HMC's `torch.clone(phi).detach()`)
                                   split_with_sizes)
from .ops import (arccos as acos, arccosh as acosh, arcsin as asin, arcsinh as asinh,  # noqa: E402 (torch's
                 arctan as atan, arctan2 as atan2, arctanh as atanh)  # names: ArcFace's torch.acos(cosine))
from . import autograd  # noqa: E402  (PyTorch's torch.autograd names: autograd.Function, autograd.grad)
from . import accelerator  # noqa: E402  (PyTorch's torch.accelerator queries: none here, the CPU only)
from . import distributed  # noqa: E402  (PyTorch's torch.distributed queries: one process, none available)
from . import jit  # noqa: E402  (PyTorch's torch.jit seen from eager code: is_scripting() False, markers as given)
from . import distributions  # noqa: E402  (PyTorch's torch.distributions: Normal, Categorical, kl_divergence...)
from . import func  # noqa: E402  (PyTorch's torch.func: grad, grad_and_value, vjp, jacrev, vmap ... as torch's)
from . import sparse  # noqa: E402  (PyTorch's torch.sparse: mm, addmm, sum, the deprecated FloatTensor constructor)
from . import special  # noqa: E402  (PyTorch's torch.special: expit, gammaln, ndtr ... its names of the engine's)

# The dtypes by name, as torch.float32 and np.float32 (they are NumPy's: ag.float32 is np.float32), and PyTorch's
# aliases: ag.double float64, ag.half float16, ag.long int64, ag.short int16; ag.float (float32, torch.float, as
# t.float() here), ag.int (int32, torch.int, as t.int()) and ag.bool come from __getattr__ below, so that
# `from autograd_core import *` leaves Python's float, int and bool alone; so do PyTorch's torch.all and torch.any
# (ag.all, ag.any), which would hide Python's all and any.
import math as _math  # noqa: E402
from numpy import bool_ as _numpy_bool, float16, float32, float64, int8, int16, int32, int64, uint8  # noqa: E402
from numpy import float16 as half, float64 as double, int16 as short, int64 as long  # noqa: E402
from .torch_functions import _all_of, _any_of  # noqa: E402
from .torch_functions import _assert  # noqa: E402,F401  (torch._assert: private, out of star imports)
from .torch_extras import t as _transposed  # noqa: E402  (torch.t, a one-letter name kept out of star imports too)
import types as _types  # noqa: E402
from .creation import range_with_end as _range_with_end  # noqa: E402
from .creation import contiguous_format, preserve_format  # noqa: E402  (PyTorch's memory formats, for *_like)
# torch.random.manual_seed is torch.manual_seed, and torch.range the deprecated range that includes its end: served
# by __getattr__ too, so that `from autograd_core import *` leaves Python's random module and range alone
_random = _types.SimpleNamespace(manual_seed=manual_seed, get_rng_state=get_rng_state,
                                 set_rng_state=set_rng_state, initial_seed=initial_seed)
# torch.signal.windows (hann, hamming, kaiser ...) is ag.signal.windows, the module signal_windows.py: served so too,
# so that `from autograd_core import *` leaves Python's signal module alone
from . import signal_windows  # noqa: E402
_SHADOWING_NAMES = {"float": float32, "int": int32, "bool": _numpy_bool, "all": _all_of, "any": _any_of,
                    "t": _transposed, "random": _random, "range": _range_with_end,
                    "signal": _types.SimpleNamespace(windows=signal_windows)}
# PyTorch's constants (torch.pi in `torch.sin(torch.pi * x)`, as NumPy's np.pi): Python floats, served by
# __getattr__ too, so that `from autograd_core import *` binds no one-letter `e`
_CONSTANTS = {"pi": _math.pi, "e": _math.e, "inf": _math.inf, "nan": _math.nan}
# PyTorch's names that are elsewhere here (files are nn's business) or spelled otherwise: the error names the way
_ELSEWHERE = {"save": "nn.save(obj, path) (state dicts to .npz)", "load": "nn.load(path)",
              "set_default_dtype": "model.double() for float64 nn layers (float32 by default: cast the model "
                                   "before load_state_dict), and dtype= at creation (Python floats give "
                                   "float64 already, as in NumPy)",
              "nn": "the nn package: import nn (torch.nn.functional is nn.functional, torch.nn.utils nn.utils)",
              "optim": "nn.optim (torch.optim.lr_scheduler is nn.optim.lr_scheduler)",
              "utils": "nn.utils (torch.utils.data is nn.utils.data)",
              "device": "the string 'cpu' (device='cpu', t.to('cpu')): the CPU is the one device here",
              "cuda": "ag.accelerator.is_available() (False: the CPU is the one device here)",
              "backends": "ag.accelerator.is_available() for torch.backends.mps/cuda.is_available() (False: the CPU "
                          "is the one device here); drop the cudnn/tf32 settings",
              "set_deterministic": "ag.use_deterministic_algorithms(True) (the name PyTorch 1.8 gave "
                                   "torch.set_deterministic; NumPy on the CPU is deterministic already)",
              "set_float32_matmul_precision": "no setting: drop the line (a float32 matmul here is NumPy's, in full "
                                              "float32 precision, PyTorch's 'highest')",
              "channels_last": "no memory_format= argument (drop it): Tensors here keep NumPy's C order, the values "
                               "being the same (ag.contiguous_format and preserve_format are taken)"}

__version__ = "0.1.0"

# einops on Tensors (autograd_core/einops_backend.py): registered only when einops is installed, without importing it
# otherwise (find_spec only looks the name up)
import importlib.util as _importlib_util  # noqa: E402
if _importlib_util.find_spec("einops") is not None:
    from . import einops_backend  # noqa: E402,F401


def __getattr__(name):
    """`ag.testing` and `ag.viz` without importing them first (they are loaded on first use: viz
    needs the graphviz package, an optional extra), the dtypes and functions named as Python's builtins or modules
    (ag.float, ag.all, ag.range, ag.random.manual_seed ...), and PyTorch's constants ag.pi, ag.e, ag.inf, ag.nan."""
    if name in _SHADOWING_NAMES:
        return _SHADOWING_NAMES[name]
    if name in _CONSTANTS:
        return _CONSTANTS[name]
    if name in ("testing", "viz"):
        import importlib
        return importlib.import_module(f".{name}", __name__)
    hint = f"; use {_ELSEWHERE[name]}" if name in _ELSEWHERE else ""
    raise AttributeError(f"module 'autograd_core' has no attribute {name!r}{hint}")
