"""PyTorch's in-place methods, the names that end in an underscore: fill_, copy_, detach_, add_/sub_/mul_/div_/pow_,
abs_/neg_/exp_/log_/sqrt_/sin_/cos_/arccos_/acos_/tanh_/sigmoid_/sign_/erfinv_, floor_/ceil_/trunc_/round_, the
comparisons eq_/ne_/lt_/le_/gt_/ge_, masked_fill_, masked_scatter_, index_fill_, tril_/triu_, scatter_/scatter_add_,
clamp_/clip_, clamp_min_/clamp_max_, lerp_, apply_, relu_ and the random fills normal_, uniform_ and bernoulli_
(`p.sub_(lr * p.grad)` and `w.normal_(0, 0.01)` under ag.no_grad(), in an optimizer or an initialiser written by hand).
Each writes into the Tensor's array through Tensor._in_place, which counts the change (a graph that saved the Tensor
then refuses backward, as PyTorch's); it refuses a leaf that requires grad while gradients are recorded, as PyTorch
does. The in-place shape changes (unsqueeze_, resize_, transpose_, set_, ...) are torch_in_place_shape.py's.

While recording, on a recorded result (or a constant whose other operand requires grad), the arithmetic, math,
masked, scatter, clamp, lerp, fill_ and copy_ methods (and the operators `+=`, `*=`...) do what PyTorch's do: the
out-of-place operation is recorded and the Tensor takes its record (in_place_record.take_record), so that every name
for it sees the new value and history, `h = x * 2; h.mul_(3)` being h = (x * 2) * 3 (a use of h recorded before the
change gets its gradient at the value it used). The random fills stay refused on a recorded result. They are set
on Tensor when this module is imported, at the end of torch_names.py.
"""
import math
import numbers
import operator
import warnings

import numpy as np

from . import torch_extras, torch_functions, torch_indexing, torch_random
from ._arguments import UNGIVEN, InvalidArgumentError, RuntimeTypeError, as_flag, checked_fill_value, generator_of
from .creation import CreationError
from .grad_mode import is_grad_enabled
from .in_place_record import forget_record, is_recorded_view, overwritten, refusing_recorded_change
from .primitive import OperandError, OperandTypeError
from .ops import ceil, erfinv, floor, sigmoid, trunc
from .ops import round as round_half_to_even
from .tensor import Tensor
from .torch_names import _checked_mask, _times_alpha  # (torch_names imports this module at its end)

_RECORDED_INSTEAD = "write x = x.{}(...) for a new, recorded Tensor"
# (the errors' advice for the arithmetic methods, made once: p.sub_(lr * g) is an optimizer's every step)
_ARITHMETIC_INSTEAD = {name: _RECORDED_INSTEAD.format(name) for name in ("add", "sub", "mul", "div", "pow")}


def _given_result(x, result):
    """_written_in_place's recorded form: the result it computed, recorded, itself."""
    return result


def _copy_into(array, values):
    """copy_'s write: values broadcast into array and cast to its dtype whatever their kind, as PyTorch's copy_
    (NumPy's in-place operators would refuse float into int)."""
    np.copyto(array, values, casting="unsafe")


def deprecated_scalar_first(name, operands, scalar, args, given):
    """(operands, scalar) from t.<name>(*args): PyTorch's deprecated order, the number (or 0-d Tensor) first
    (add_(alpha, other), add(alpha, other), addcmul_(value, tensor1, tensor2)), taken with PyTorch's warning; a
    TypeError naming both forms for any other count of arguments, or with the number given twice (the keyword too)."""
    count = len(operands.split(", "))
    if args and isinstance(args[0], Tensor) and args[0].ndim == 0:  # (a 0-d Tensor is a Number there, as PyTorch's)
        args = (args[0].item(), *args[1:])
    if len(args) != count + 1 or not isinstance(args[0], numbers.Number) or given != 1:
        raise TypeError(f"{name}: takes ({operands}, *, {scalar}=1), or PyTorch's deprecated ({scalar}, "
                        f"{operands}); got {len(args)} positional arguments"
                        + (f" and {scalar}={given!r}" if given != 1 else ""))
    kinds = ", ".join(f"Tensor {operand}" for operand in operands.split(", "))
    warnings.warn(f"This overload of {name} is deprecated:\n\t{name}(Number {scalar}, {kinds})\nConsider using one "
                  f"of the following signatures instead:\n\t{name}({kinds}, *, Number {scalar} = 1)", UserWarning,
                  stacklevel=3)
    return args[1:], args[0]


def _in_place_math(name, ufunc, example, result):
    """The method t.<name>_(): t.<name>() written into t itself, returning t, as PyTorch's; while recording, t takes
    the record of t.<name>() as add_ does; refused for a dtype the result does not cast to (an integer Tensor's
    sqrt_, as PyTorch refuses it)."""
    instead = _RECORDED_INSTEAD.format(name)

    def recorded(x, _):
        return getattr(x, name)()

    result_dtypes = {}  # the result's dtype for each input dtype, probed once

    def method(self):
        result_dtype = result_dtypes.get(self.dtype)
        if result_dtype is None:
            try:
                with np.errstate(all="ignore"):  # (a probe of the dtype only: arctanh(1) is inf)
                    result_dtype = result_dtypes[self.dtype] = ufunc(np.ones(1, dtype=self.dtype)).dtype
            except TypeError as err:  # (NumPy's negative of bools)
                raise OperandTypeError(f"{name}_: not defined for {self.dtype} Tensors ({err})") from None
        if not np.can_cast(result_dtype, self.dtype, "same_kind"):  # (PyTorch's RuntimeError too, as OperandTypeError)
            raise OperandTypeError(f"{name}_: the {name} of {self.dtype} values is {result_dtype}, which cannot be "
                                   f"written into the Tensor in place ({result_dtype} can't be cast to {self.dtype}, "
                                   f"as PyTorch refuses it too); use t.{name}() for a new Tensor, or t = t.double() "
                                   f"first")
        return self._in_place(0, f"{name}_", lambda array, _: ufunc(array, out=array), recorded, instead)
    method.__name__ = f"{name}_"
    method.__doc__ = f"""PyTorch's {name}_: the {name} of each element written in place, returning self; a recorded
        result takes the record of t.{name}() (as add_'s); refused where the result's dtype does not cast to self's
        (an integer sqrt_).

        >>> import autograd_core as ag
        >>> ag.tensor({example}).{name}_()
        Tensor({result})
        """
    return method


def refuse_unrecorded(tensor, method, what, instead):
    """RuntimeError, while recording, for a Tensor that requires grad: method (eq_, logical_and_ ...) would write
    what (a result of 0s and 1s, which has no gradient) into it; instead: the out-of-place way to write it.

    >>> import autograd_core as ag
    >>> from autograd_core.torch_in_place import refuse_unrecorded
    >>> refuse_unrecorded(ag.ones(2), "eq_", "a comparison", "x = (x == other).to(x.dtype)")  # (no grad: nothing)
    """
    if tensor._requires_grad and is_grad_enabled():
        raise RuntimeError(f"{method}: writing {what} into a Tensor that requires grad is not recorded here; write "
                           f"{instead} for a new Tensor, or call it under ag.no_grad()")


def _in_place_comparison(name, symbol, result):
    """The method t.<name>_(other): t <symbol> other (1 where true, else 0) written into t in its dtype, returning t,
    as PyTorch's; refused while recording on a Tensor that requires grad (its gradient would be 0)."""
    def method(self, other):
        refuse_unrecorded(self, f"{name}_", "a comparison", f"x = (x {symbol} other).to(x.dtype)")
        return _written_in_place(self, name, lambda: getattr(self, name)(other).astype(self.dtype))
    method.__name__ = f"{name}_"
    method.__doc__ = f"""PyTorch's {name}_: self {symbol} other, 1 or 0 in self's dtype, written in place; returns self.

        >>> import autograd_core as ag
        >>> ag.tensor([1.0, 2.0, 3.0]).{name}_(2.0)
        Tensor({result})
        """
    return method


def _written_into(function):
    """function (an array in, an array out) as a NumPy ufunc's f(array, out=None), for _in_place_math."""
    def apply(array, out=None):
        if out is None:
            return function(array)
        out[...] = function(array)
        return out
    return apply


# round_'s form without decimals
_round_to_integers = _in_place_math("round", _written_into(lambda array: round_half_to_even(array).data), "[0.5, 1.5]",
                                    "[0., 2.]")


class _InPlace:
    """The methods set on Tensor below (a class, so that each keeps its place and reads as a method)."""

    def fill_(self, value):
        """PyTorch's fill_: every element set to value in place, as zero_; refused on a leaf that requires grad while
        gradients are recorded. A recorded result takes the record of a fill (its history gets a zero gradient, as
        PyTorch's), as add_'s.

        >>> import autograd_core as ag
        >>> ag.zeros(2).fill_(3.0)
        Tensor([3., 3.])
        """
        if np.ndim(value.data if isinstance(value, Tensor) else value) != 0:
            raise InvalidArgumentError(f"fill_: value must be a number or a 0-d Tensor, got shape {np.shape(value)}")
        if isinstance(value, Tensor) and value.requires_grad and is_grad_enabled():  # (its gradient would be lost)
            raise TypeError("fill_: the value requires grad, and filling in place would cut it from the graph; "
                            "build a new Tensor, e.g. value.expand(t.shape) or "
                            "ag.where(mask, value, t), or fill under ag.no_grad() to use its value alone")
        value = checked_fill_value("fill_", value, self.dtype, wraps=False)
        return self._in_place(value, "fill_", lambda array, _: array.fill(value), overwritten,
                              "use t.new_full(t.shape, value) for a new Tensor")

    def copy_(self, src, non_blocking=False):
        """PyTorch's copy_: src's values written into self, broadcast to its shape and cast to its dtype (as
        PyTorch's, any cast: 2.7 into an integer Tensor is 2), returning self; a target network's soft update
        `target_param.copy_(tau * param + (1 - tau) * target_param)` under ag.no_grad(). Refused on a leaf that
        requires grad while recording (a parameter's copy_, as PyTorch refuses it); a recorded result, or a constant
        whose source requires grad, takes the record of the copy (the gradient goes to src, as PyTorch's), as
        add_'s.
        non_blocking is PyTorch's and changes nothing (the CPU's copy is done when it returns).

        >>> import autograd_core as ag
        >>> ag.zeros((2, 2)).copy_(ag.tensor([1.5, 2.0]))
        Tensor([[1.5, 2. ],
                [1.5, 2. ]])
        """
        as_flag(non_blocking, "copy_", "non_blocking")
        return self._in_place(src, "copy_", _copy_into, overwritten,
                              "use src.expand(x.shape) (or .to(x.dtype)) for a new, recorded Tensor")

    def detach_(self):
        """PyTorch's detach_: cut this Tensor from the graph that made it, in place, and return it; it becomes a
        leaf that does not require grad (`p.grad.detach_(); p.grad.zero_()` in a hand-written optimizer's
        zero_grad, where p.grad may have been recorded by backward(create_graph=True)). Unlike PyTorch, results
        computed from it before the call no longer reach the graph behind it either: a backward through them, and
        autograd.grad or backward(inputs=) through them toward a Tensor that was behind it, refuses, naming detach_
        (call it once they are done with, or take x = x.detach()).

        >>> import autograd_core as ag
        >>> x = ag.tensor([1.0, 2.0], requires_grad=True)
        >>> h = (x * 3).detach_()
        >>> h.is_leaf, h.requires_grad, h.grad_fn, h.zero_()
        (True, False, None, Tensor([0., 0.]))

        A recorded view (x[1:], x.narrow(...), x.T of a Tensor that requires grad) is refused, as PyTorch refuses
        it: it would become a constant sharing the memory of a Tensor still in the graph; detach() gives a new one.
        """
        memory = getattr(self, "_memory", None)
        if memory is not None and is_recorded_view(self, memory):
            raise RuntimeError(f"detach_: this Tensor (shape {self.shape}) is a view ('{self._op.name}') of a "
                               f"Tensor in a recorded graph, whose memory it shares; a view cannot be detached in "
                               f"place (as in PyTorch): use v = v.detach() instead")
        if self._op is not None:  # (the inputs it held for its gradient rule are released with the graph)
            forget_record(self)
        self._requires_grad = False
        return self

    def add_(self, other, *deprecated, alpha=1):
        """PyTorch's add_: self += alpha * other in place, returning self (`p.add_(p.grad, alpha=-lr)` under
        ag.no_grad()). As the operator `+=`: while recording, x itself takes the record of x.add(...)
        (in_place_record.take_record), so that every name for it sees the change, as PyTorch's; a leaf that requires
        grad is refused. PyTorch's deprecated add_(alpha, other) is taken
        with its warning (LAMB's `exp_avg.mul_(beta1).add_(1 - beta1, grad)`).

        >>> import autograd_core as ag
        >>> ag.ones(2).add_(ag.tensor([1.0, 2.0]), alpha=10)
        Tensor([11., 21.])
        """
        if deprecated:
            (other,), alpha = deprecated_scalar_first("add_", "other", "alpha", (other, *deprecated), alpha)
        return self._in_place(_times_alpha(self, other, alpha, "add_"), "add_", operator.iadd, operator.add,
                              _ARITHMETIC_INSTEAD["add"])

    def sub_(self, other, *deprecated, alpha=1):
        """PyTorch's sub_: self -= alpha * other in place, returning self; recorded as add_'s (and its
        deprecated sub_(alpha, other) taken as add_'s).

        >>> import autograd_core as ag
        >>> ag.ones(2).sub_(0.5)
        Tensor([0.5, 0.5])
        """
        if deprecated:
            (other,), alpha = deprecated_scalar_first("sub_", "other", "alpha", (other, *deprecated), alpha)
        return self._in_place(_times_alpha(self, other, alpha, "sub_"), "sub_", operator.isub, operator.sub,
                              _ARITHMETIC_INSTEAD["sub"])

    def mul_(self, other):
        """PyTorch's mul_: self *= other in place, returning self; recorded as add_'s.

        >>> import autograd_core as ag
        >>> ag.ones(2).mul_(3)
        Tensor([3., 3.])
        """
        return self._in_place(other, "mul_", operator.imul, operator.mul, _ARITHMETIC_INSTEAD["mul"])

    def div_(self, other, *, rounding_mode=None):
        """PyTorch's div_: self /= other in place, returning self (an integer Tensor is refused: the quotient is a
        float); recorded as add_'s. rounding_mode "trunc" or "floor" writes t.div(other, rounding_mode=) instead
        (an integer Tensor too, as PyTorch's).

        >>> import autograd_core as ag
        >>> ag.ones(2).div_(4)
        Tensor([0.25, 0.25])
        >>> ag.tensor([7, -7]).div_(2, rounding_mode="floor")
        Tensor([ 3, -4])
        """
        if rounding_mode is not None:
            return _written_in_place(self, "div", lambda: self.div(other, rounding_mode=rounding_mode))
        return self._in_place(other, "div_", operator.itruediv, operator.truediv, _ARITHMETIC_INSTEAD["div"])

    def pow_(self, exponent):
        """PyTorch's pow_: self **= exponent in place, returning self (Barlow Twins' and VICReg's
        `off_diagonal(c).pow_(2).sum()`); recorded as add_'s; an integer Tensor with a float exponent is refused, as
        PyTorch refuses it.

        >>> import autograd_core as ag
        >>> ag.tensor([2.0, 3.0]).pow_(2)
        Tensor([4., 9.])
        """
        return self._in_place(exponent, "pow_", operator.ipow, operator.pow, _ARITHMETIC_INSTEAD["pow"])

    # PyTorch's in-place elementwise functions, t.sqrt_() and the like: each the method below, under its name
    abs_ = _in_place_math("abs", np.abs, "[-1.5, 2.0]", "[1.5, 2. ]")
    neg_ = _in_place_math("neg", np.negative, "[-1.5, 2.0]", "[ 1.5, -2. ]")
    exp_ = _in_place_math("exp", np.exp, "[0.0, 1.0]", "[1.        , 2.71828183]")
    log_ = _in_place_math("log", np.log, "[1.0, 1.0]", "[0., 0.]")
    sqrt_ = _in_place_math("sqrt", np.sqrt, "[4.0, 9.0]", "[2., 3.]")
    sin_ = _in_place_math("sin", np.sin, "[0.0, 0.0]", "[0., 0.]")
    cos_ = _in_place_math("cos", np.cos, "[0.0, 0.0]", "[1., 1.]")
    arccos_ = _in_place_math("arccos", np.arccos, "[1.0, 0.0]", "[0.        , 1.57079633]")  # (insightface's margin)
    acos_ = _in_place_math("acos", np.arccos, "[1.0, 0.0]", "[0.        , 1.57079633]")
    tanh_ = _in_place_math("tanh", np.tanh, "[0.0, 0.0]", "[0., 0.]")
    # (timm's Sigmoid(inplace=True), the SE gates' sigmoid(x, inplace=True))
    sigmoid_ = _in_place_math("sigmoid", _written_into(lambda array: sigmoid(array).data), "[0.0, 0.0]", "[0.5, 0.5]")
    sign_ = _in_place_math("sign", np.sign, "[-1.5, 0.0, 2.0]", "[-1.,  0.,  1.]")
    # (the truncated-normal initialiser written by hand: uniform_, then erfinv_, mul_, add_, clamp_)
    erfinv_ = _in_place_math("erfinv", _written_into(lambda array: erfinv(array).data), "[0.0, 0.5]",
                             "[0.        , 0.47693628]")
    # the rounding ones, gradient 0 as floor's (the classic drop_path binarises keep_prob + U[0, 1) with floor_());
    # an integer Tensor stays as it is, as PyTorch's
    floor_ = _in_place_math("floor", _written_into(lambda array: floor(array).data), "[-1.5, 2.7]", "[-2.,  2.]")
    ceil_ = _in_place_math("ceil", _written_into(lambda array: ceil(array).data), "[-1.5, 2.2]", "[-1.,  3.]")
    trunc_ = _in_place_math("trunc", _written_into(lambda array: trunc(array).data), "[-1.5, 2.7]", "[-1.,  2.]")
    def round_(self, decimals=0):
        """PyTorch's round_: each element rounded half to even in place (to `decimals` places, as t.round(decimals=)),
        returning self; gradient 0, as round's; recorded as add_'s.

        >>> import autograd_core as ag
        >>> ag.tensor([0.5, 1.5]).round_()
        Tensor([0., 2.])
        >>> ag.tensor([0.125, 1234.0]).round_(decimals=2)
        Tensor([1.200e-01, 1.234e+03])
        """
        if decimals == 0:
            return _round_to_integers(self)
        return _written_in_place(self, "round", lambda: self.round(decimals=decimals))
    # PyTorch's relu_ (also ag.relu_ and nn.functional.relu_), relu's max(x, 0) in place
    relu_ = _in_place_math("relu", lambda array, out=None: np.maximum(array, 0, out=out), "[-1.0, 2.0]", "[0., 2.]")
    # the comparisons in place (an old mask idiom: `mask.ne_(0)`), not differentiable
    eq_, ne_ = _in_place_comparison("eq", "==", "[0., 1., 0.]"), _in_place_comparison("ne", "!=", "[1., 0., 1.]")
    lt_, le_ = _in_place_comparison("lt", "<", "[1., 0., 0.]"), _in_place_comparison("le", "<=", "[1., 1., 0.]")
    gt_, ge_ = _in_place_comparison("gt", ">", "[0., 0., 1.]"), _in_place_comparison("ge", ">=", "[0., 1., 1.]")

    def masked_fill_(self, mask, value):
        """PyTorch's masked_fill_: value written where the boolean mask is True, in place, returning self (the mask
        broadcasts to self's shape). While recording, a recorded result (attention scores) takes the record of
        e.masked_fill(mask, value), as add_'s.

        >>> import autograd_core as ag
        >>> ag.zeros(3).masked_fill_(ag.tensor([True, False, True]), -ag.inf)
        Tensor([-inf,   0., -inf])
        """
        mask_value = _checked_mask("masked_fill_", self, mask, value)
        if np.broadcast_shapes(mask_value.shape, self.shape) != self.shape:
            raise ValueError(f"masked_fill_: mask of shape {mask_value.shape} does not broadcast to the Tensor's "
                             f"shape {self.shape}, which an in-place fill keeps")
        return _written_in_place(self, "masked_fill", lambda: self.masked_fill(mask_value, value))

    def index_fill_(self, dim, index, value):
        """PyTorch's index_fill_: value written in every slice along dim at the positions index (a 0-d or 1-D integer
        Tensor), in place, returning self; ag.index_fill's values (label smoothing's true_dist.index_fill_(0, rows,
        0.0) clears the rows of padding targets). Recorded as add_'s.

        >>> import autograd_core as ag
        >>> ag.ones((3, 2)).index_fill_(0, ag.tensor([1]), 0.0)
        Tensor([[1., 1.],
               [0., 0.],
               [1., 1.]])
        """
        return _written_in_place(self, "index_fill", lambda: torch_extras.index_fill(self, dim, index, value))

    def fill_diagonal_(self, fill_value, wrap=False):
        """PyTorch's fill_diagonal_: fill_value written where all indices are equal, in place, returning self; with
        wrap=True a matrix taller than wide starts its diagonal again after each square block and a row (as
        np.fill_diagonal's). Beyond 2 axes all must have one length, as PyTorch's. Recorded as masked_fill_ (a
        two-tower model's mask of repeated items: same.fill_diagonal_(False)).

        >>> import autograd_core as ag
        >>> ag.ones((2, 3)).fill_diagonal_(0.0)
        Tensor([[0., 1., 1.],
                [1., 0., 1.]])
        """
        if self.ndim < 2 or (self.ndim > 2 and len(set(self.shape)) > 1):
            raise ValueError(f"fill_diagonal_: the Tensor must have 2 axes or more, all of one length beyond 2 (as "
                             f"PyTorch's), got shape {self.shape}")
        diagonal = np.zeros(self.shape, dtype=bool)
        np.fill_diagonal(diagonal, True, wrap=bool(wrap))
        return _written_in_place(self, "fill_diagonal", lambda: self.masked_fill(diagonal, fill_value),
                                 "write x = x.masked_fill(mask, value) with a diagonal mask for a new, recorded Tensor")

    def masked_scatter_(self, mask, source):
        """PyTorch's masked_scatter_: source's entries, in order, written where the boolean mask (broadcasting to
        self's shape) is True, in place, returning self; ag.masked_scatter's values. Recorded as
        add_'s.

        >>> import autograd_core as ag
        >>> ag.zeros(3).masked_scatter_(ag.tensor([True, False, True]), ag.tensor([5.0, 6.0]))
        Tensor([5., 0., 6.])
        """
        return _written_in_place(self, "masked_scatter", lambda: torch_extras.masked_scatter(self, mask, source))

    def normal_(self, mean=0.0, std=1.0, *, generator=None, rng=None):
        """PyTorch's normal_: every element replaced in place by a sample of the normal distribution (mean, std),
        drawn from rng (or generator=, PyTorch's name) as ag.randn's. Refused on a leaf that requires grad while
        gradients are recorded (write it under ag.no_grad(), or use nn.init.normal_), on a recorded result (which
        fill_ takes the record of, but a random draw has no recorded form here), and on a Tensor that is not of a
        float dtype.

        >>> import autograd_core as ag
        >>> w = ag.zeros((2, 3), requires_grad=True)
        >>> with ag.no_grad():
        ...     _ = w.normal_(0.0, 0.01, rng=0)
        >>> bool((w.data != 0).all()), w.requires_grad
        (True, True)
        """
        mean, std = _number("normal_", "mean", mean), _number("normal_", "std", std, low=0.0)
        return self._fill_random("normal_", rng, generator, lambda draw, shape: draw.normal(mean, std, shape))

    def uniform_(self, from_=0.0, to=1.0, *, generator=None, rng=None):
        """PyTorch's uniform_: every element replaced in place by a sample of the uniform distribution on [from_,
        to) (PyTorch's from, a Python keyword, is from_ here), drawn from rng (or generator=) as ag.randn's; refused
        as normal_ is.

        >>> import autograd_core as ag
        >>> t = ag.zeros(100).uniform_(-1.0, 1.0, rng=0)
        >>> bool((t.data >= -1).all() and (t.data < 1).all())
        True
        """
        low, high = _number("uniform_", "from_", from_), _number("uniform_", "to", to)
        if low > high:
            raise CreationError(f"uniform_: expects from_ <= to, got from_={low} and to={high}")
        if self.dtype.kind == "f" and high - low > float(np.finfo(self.dtype).max):  # (NumPy: an OverflowError)
            raise CreationError(f"uniform_: to - from_ = {high - low} exceeds the largest {self.dtype} "
                                f"({np.finfo(self.dtype).max}), as PyTorch refuses it; narrow the range")
        return self._fill_random("uniform_", rng, generator, lambda draw, shape: draw.uniform(low, high, shape))

    def exponential_(self, lambd=1.0, *, generator=None, rng=None):
        """PyTorch's exponential_: every element replaced in place by a sample of the exponential distribution of
        rate lambd (> 0), drawn from rng (or generator=) as ag.randn's; refused as normal_ is.

        >>> import autograd_core as ag
        >>> bool((ag.zeros(100).exponential_(2.0, rng=0).data > 0).all())
        True
        """
        rate = _number("exponential_", "lambd", lambd, above=0.0)
        return self._fill_random("exponential_", rng, generator, lambda draw, shape: draw.exponential(1 / rate, shape))

    def cauchy_(self, median=0.0, sigma=1.0, *, generator=None, rng=None):
        """PyTorch's cauchy_: every element replaced in place by a sample of the Cauchy distribution (median,
        sigma > 0), drawn from rng (or generator=) as ag.randn's; refused as normal_ is.

        >>> import autograd_core as ag
        >>> ag.zeros(3).cauchy_(rng=0).shape
        (3,)
        """
        median, sigma = _number("cauchy_", "median", median), _number("cauchy_", "sigma", sigma, above=0.0)
        return self._fill_random("cauchy_", rng, generator,
                                 lambda draw, shape: median + sigma * draw.standard_cauchy(shape))

    def log_normal_(self, mean=1.0, std=2.0, *, generator=None, rng=None):
        """PyTorch's log_normal_: every element replaced in place by exp of a sample of the normal distribution
        (mean, std), drawn from rng (or generator=) as ag.randn's; refused as normal_ is.

        >>> import autograd_core as ag
        >>> bool((ag.zeros(100).log_normal_(rng=0).data > 0).all())
        True
        """
        mean, std = _number("log_normal_", "mean", mean), _number("log_normal_", "std", std, above=0.0)
        return self._fill_random("log_normal_", rng, generator, lambda draw, shape: draw.lognormal(mean, std, shape))

    def geometric_(self, p, *, generator=None, rng=None):
        """PyTorch's geometric_: every element replaced in place by the number of Bernoulli(p) trials up to the first
        success (1, 2, ...), p in (0, 1) as PyTorch requires, drawn from rng (or generator=) as ag.randn's; refused as
        normal_ is, any dtype but bool taken.

        >>> import autograd_core as ag
        >>> bool((ag.zeros(100, dtype=ag.int64).geometric_(0.5, rng=0).data >= 1).all())
        True
        """
        p = _number("geometric_", "p", p)
        if not 0.0 < p < 1.0:
            raise CreationError(f"geometric_: expects p to be in (0, 1), but got p={p}, as PyTorch's")
        if self.dtype.kind == "b":  # (NumPy's draws would all be True)
            raise RuntimeTypeError(f"geometric_: not implemented for a bool Tensor (shape {self.shape}), as PyTorch's "
                                   f"(its draws, counts from 1, would all be True); fill a Tensor of a number dtype")
        return self._fill_random("geometric_", rng, generator, lambda draw, shape: draw.geometric(p, shape),
                                 floats_only=False)

    def random_(self, from_=None, to=UNGIVEN, *, generator=None, rng=None):
        """PyTorch's random_: every element replaced in place by an integer uniform on [from_, to - 1] (random_(to):
        from 0; to=None or random_(): up to the dtype's largest integer, 2 ** (mantissa bits + 1) for a float dtype),
        drawn from rng (or generator=) as ag.randn's; refused as normal_ is, any dtype taken.

        >>> import autograd_core as ag
        >>> sorted(set(ag.zeros(100, dtype=ag.int64).random_(1, 4, rng=0).tolist()))
        [1, 2, 3]
        """
        from_, to = (0, from_) if to is UNGIVEN else (0 if from_ is None else from_, to)
        return self._fill_random("random_", rng, generator, torch_random.integers_between(self.dtype, from_, to),
                                 floats_only=False)

    def bernoulli_(self, p=0.5, *, generator=None, rng=None):
        """PyTorch's bernoulli_: every element replaced in place by 1 with probability p, else 0 (torchvision's
        stochastic_depth draws its noise so); p a number, or a Tensor of probabilities that broadcasts to self's
        shape (one per row, say); drawn from rng (or generator=) as ag.randn's; refused as normal_ is.

        >>> import autograd_core as ag
        >>> ag.empty(6).bernoulli_(1.0).tolist(), ag.empty((2, 2)).bernoulli_(ag.tensor([[0.0], [1.0]])).tolist()
        ([1.0, 1.0, 1.0, 1.0, 1.0, 1.0], [[0.0, 0.0], [1.0, 1.0]])
        """
        if isinstance(p, (Tensor, np.ndarray)) and np.ndim(p) > 0:
            threshold = torch_random.probabilities("bernoulli_", p, self.shape)
        else:
            threshold = _number("bernoulli_", "p", p, low=0.0)
            if threshold > 1.0:
                raise CreationError(f"bernoulli_: p must be a probability in [0, 1], got {threshold}")
        return self._fill_random("bernoulli_", rng, generator, lambda draw, shape: draw.random(shape) < threshold,
                                 floats_only=False)  # (0s and 1s: any dtype holds them, as PyTorch's)

    def _fill_random(self, owner, rng, generator, draw, floats_only=True):
        if floats_only and self.dtype.kind != "f":
            raise TypeError(f"{owner}: fills with random floats, so the Tensor must be of a float dtype, got "
                            f"{self.dtype}; cast it first (t.float())")
        source = generator_of(rng, generator, owner)
        return self._in_place(0, owner, lambda array, _: array.__setitem__(Ellipsis, draw(source, array.shape)),
                              refusing_recorded_change(owner, "use a new Tensor"),
                              f"use nn.init.{owner}(t, ...), which does")

    def apply_(self, function):
        """PyTorch's apply_: each element replaced in place by function(element), a Python number in and out, cast
        to the Tensor's dtype; one Python call per element, so slow, as PyTorch's. pytorch-ntm's evaluation binarises
        its outputs so: `y.apply_(lambda x: 0 if x < 0.5 else 1)`. Refused on a Tensor that requires grad, even
        under no_grad, as PyTorch's (the function's results have no gradient): call it on t.detach() or a copy.

        >>> import autograd_core as ag
        >>> ag.tensor([0.2, 0.7]).apply_(lambda x: 0 if x < 0.5 else 1)
        Tensor([0., 1.])
        """
        if not callable(function):
            raise TypeError(f"apply_: expects a callable taking and returning one number, got {function!r}")
        if self.requires_grad:
            raise RuntimeError(f"apply_: the Tensor (shape {self.shape}) requires grad, and function's results would "
                               f"have no gradient (PyTorch refuses it too); use t.detach().apply_(...) instead")
        values = np.array([function(value) for value in self.data.ravel().tolist()]).reshape(self.shape)
        if values.dtype.kind not in "biuf":
            raise TypeError(f"apply_: function must return a number for each element, got "
                            f"{values.ravel().tolist()[0]!r}")
        return self._in_place(0, "apply_", lambda array, _: array.__setitem__(Ellipsis, values),
                              refusing_recorded_change("apply_", "use a new Tensor"), "use t.detach().apply_(...)")

    def scatter_(self, dim, index, src=None, *, value=None, reduce=None):
        """PyTorch's in-place scatter_: ag.scatter(self, dim, index, src or value, reduce=) written into self, which is
        returned; the tutorials' one-hot target is `ag.zeros(10, dtype=ag.float).scatter_(0, ag.tensor(y), value=1)`.
        Recorded as add_'s.

        >>> import autograd_core as ag
        >>> ag.zeros(4).scatter_(0, ag.tensor(2), value=1)
        Tensor([0., 0., 1., 0.])
        """
        return _written_in_place(self, "scatter", lambda: torch_indexing.scatter(self, dim, index, src, value=value,
                                                                                  reduce=reduce))

    def scatter_add_(self, dim, index, src):
        """PyTorch's in-place scatter_add_: ag.scatter_add(self, dim, index, src) written into self, which is returned;
        recorded as add_'s.

        >>> import autograd_core as ag
        >>> ag.zeros(3).scatter_add_(0, ag.tensor([0, 2, 0]), ag.tensor([1.0, 2.0, 3.0]))
        Tensor([4., 0., 2.])
        """
        return _written_in_place(self, "scatter_add", lambda: torch_indexing.scatter_add(self, dim, index, src))

    def clamp_(self, min=None, max=None):  # noqa: A002 (PyTorch's names)
        """PyTorch's in-place clamp_ (also clip_): ag.clamp(self, min, max) written into self, which is returned, as
        a PyTorch char-RNN clips its gradients (p.grad.clamp_(-5, 5)); recorded as add_'s; refused where the
        result's dtype does not cast to self's (a float bound on an integer Tensor, as PyTorch refuses it).

        >>> import autograd_core as ag
        >>> ag.tensor([-7.0, 0.5, 6.0]).clamp_(-5, 5)
        Tensor([-5. ,  0.5,  5. ])
        """
        return _written_in_place(self, "clamp", lambda: torch_functions.clamp(self, min, max))

    def clamp_min_(self, min):  # noqa: A002
        """PyTorch's clamp_min_: clamp_(min=min), recorded as add_'s.

        >>> import autograd_core as ag
        >>> ag.tensor([-1.0, 2.0]).clamp_min_(0.0)
        Tensor([0., 2.])
        """
        return _written_in_place(self, "clamp_min", lambda: torch_functions.clamp_min(self, min))

    def clamp_max_(self, max):  # noqa: A002
        """PyTorch's clamp_max_: clamp_(max=max), recorded as add_'s (fast.ai's GeneralRelu's
        x.clamp_max_(maxv) on an activation).

        >>> import autograd_core as ag
        >>> ag.tensor([-1.0, 2.0]).clamp_max_(0.0)
        Tensor([-1.,  0.])
        """
        return _written_in_place(self, "clamp_max", lambda: torch_functions.clamp_max(self, max))

    def lerp_(self, end, weight):
        """PyTorch's lerp_: ag.lerp(self, end, weight) written into self, which is returned; end and weight
        broadcast to self's shape. A running statistic's update, `running_mean.lerp_(batch_mean, momentum)` under
        ag.no_grad() (fast.ai's BatchNorm from scratch); recorded as add_'s; refused where end or weight would change
        self's shape or dtype.

        >>> import autograd_core as ag
        >>> ag.zeros(2).lerp_(ag.tensor([10.0, 20.0]), 0.1)
        Tensor([1., 2.])
        """
        return _written_in_place(self, "lerp", lambda: torch_extras.lerp(self, end, weight))

    def tril_(self, diagonal=0):
        """PyTorch's tril_: ag.tril(self, diagonal) written into self, which is returned (the elements above the
        diagonal of the last two axes zeroed; a causal mask made in place, `mask.tril_()`); recorded as add_'s.

        >>> import autograd_core as ag
        >>> ag.ones((2, 2)).tril_()
        Tensor([[1., 0.],
                [1., 1.]])
        """
        return _written_in_place(self, "tril", lambda: self.tril(diagonal=diagonal))

    def triu_(self, diagonal=0):
        """PyTorch's triu_: ag.triu(self, diagonal) written into self, which is returned (the elements below the
        diagonal of the last two axes zeroed); recorded as add_'s.

        >>> import autograd_core as ag
        >>> ag.ones((2, 2)).triu_(diagonal=1)
        Tensor([[0., 1.],
                [0., 0.]])
        """
        return _written_in_place(self, "triu", lambda: self.triu(diagonal=diagonal))

    clip_ = clamp_


def relu_(input):
    """PyTorch's torch.relu_: input.relu_(), max(x, 0) written into input, which is returned (a recorded result takes
    the record of relu(input), as add_'s).

    >>> import autograd_core as ag
    >>> x = ag.tensor([-1.0, 2.0])
    >>> ag.relu_(x) is x, x
    (True, Tensor([0., 2.]))
    """
    return _method_in_place(input, "relu_", "ag.relu(x)")


def clamp_min_(input, min):  # noqa: A002
    """PyTorch's torch.clamp_min_: input.clamp_min_(min), input's values below min raised to it in place; input is
    returned.

    >>> import autograd_core as ag
    >>> x = ag.tensor([-1.0, 2.0])
    >>> ag.clamp_min_(x, 0.0) is x, x
    (True, Tensor([0., 2.]))
    """
    return _method_in_place(input, "clamp_min_", "ag.clamp_min(x, min)", min)


def clamp_max_(input, max):  # noqa: A002
    """PyTorch's torch.clamp_max_: input.clamp_max_(max), input's values above max lowered to it in place; input is
    returned.

    >>> import autograd_core as ag
    >>> x = ag.tensor([-1.0, 2.0])
    >>> ag.clamp_max_(x, 0.0) is x, x
    (True, Tensor([-1.,  0.]))
    """
    return _method_in_place(input, "clamp_max_", "ag.clamp_max(x, max)", max)


def _method_in_place(input, name, instead, *args):  # noqa: A002
    """torch.<name>(input, *args) (relu_, clamp_min_, clamp_max_): input.<name>(*args), refused for an input that
    is not a Tensor (it could not be changed in place), the error naming `instead`, the out-of-place form."""
    if not isinstance(input, Tensor):
        raise TypeError(f"{name}: the input must be a Tensor to be changed in place, got {type(input).__name__}; use "
                        f"{instead} for a new one")
    return getattr(input, name)(*args)


def _number(owner, name, value, low=None, above=None):
    """value (a real number, or a 0-d Tensor or array) as a float, refused when it is not one, not finite, below low
    or not above `above`."""
    number = value.item() if isinstance(value, (Tensor, np.ndarray, np.generic)) and np.ndim(value) == 0 else value
    if isinstance(number, bool) or not isinstance(number, (int, float)) or not math.isfinite(number):
        raise TypeError(f"{owner}: {name} must be a finite real number, got {value!r}")
    if low is not None and number < low:
        raise InvalidArgumentError(f"{owner}: {name} must be >= {low}, got {number}")
    if above is not None and not number > above:
        raise InvalidArgumentError(f"{owner}: expects {name} > {above}, but found {name}={number}, as PyTorch's")
    return float(number)


def _written_in_place(tensor, name, compute, instead=None):
    """t.<name>_(...): compute() (t.<name>(...) out of place) written into tensor, which is returned; while
    recording (tensor, or an operand, requires grad), compute()'s result is recorded and tensor takes its record, as
    add_'s. Refused where the result's dtype does not cast to tensor's or the operands would change its shape.
    instead: the refusals' advice where t.<name>(...) is no method (fill_diagonal_'s)."""
    result = compute()
    if not np.can_cast(result.dtype, tensor.dtype, "same_kind"):
        raise OperandTypeError(f"{name}_: the result's dtype {result.dtype} cannot be written into a {tensor.dtype} "
                               f"Tensor in place ({result.dtype} can't be cast to {tensor.dtype}, as PyTorch refuses "
                               f"it too); give operands of its kind, or use t.{name}(...) for a new Tensor")
    if result.shape != tensor.shape:
        raise OperandError(f"{name}_: the result has shape {result.shape}, the Tensor shape {tensor.shape}, which an "
                           f"in-place update keeps; the other operands must broadcast to it (or use t.{name}(...))")
    return tensor._in_place(result, f"{name}_", lambda array, _: array.__setitem__(Ellipsis, result.data),
                            _given_result, instead or _RECORDED_INSTEAD.format(name))


for _name, _method in list(vars(_InPlace).items()):
    if not _name.startswith("__"):
        _method.__qualname__ = f"Tensor.{_method.__name__}"  # (clip_ is clamp_)
        setattr(Tensor, _name, _method)
del _name, _method
