"""PyTorch's random functions for code ported from it: randint, randint_like, normal, multinomial, bernoulli,
poisson and binomial,
drawing from a NumPy Generator (rng= or PyTorch's generator=; by default the one ag.manual_seed seeds). Their results
are constants (normal's with requires_grad= a leaf), as PyTorch's samples are.
"""
import warnings

import numpy as np

from ._arguments import RuntimeTypeError, as_flag, check_device, generator_of, int_from_tensor
from .creation import CreationError
from .tensor import Tensor, as_value


def randint(*args, size=None, dtype=np.int64, rng=None, low=None, high=None, generator=None, device=None):
    """PyTorch's randint: integers drawn uniformly from [low, high) (low defaults to 0), of the given size:
    randint(high, size), randint(low, high, size) or keywords; rng (or generator=, PyTorch's name) as ag.randn's (a
    NumPy Generator or an int seed); device None or the CPU, as the other creation helpers'.

    >>> import autograd_core as ag
    >>> t = ag.randint(3, 10, (2, 4), rng=0)
    >>> t.shape, t.dtype, bool(((t >= 3) & (t < 10)).all())
    ((2, 4), dtype('int64'), True)
    """
    check_device(device, "randint")
    rest = list(args)
    size = rest.pop() if size is None and rest else size
    high = rest.pop() if high is None and rest else high
    low = rest.pop() if low is None and rest else low
    if rest or high is None or size is None:
        raise TypeError(f"randint: give randint(high, size) or randint(low, high, size) (or those keywords), got "
                        f"{len(args)} positional arguments{'' if size is None else ' and size'}"
                        f"{'' if high is None else ' and high'}")
    if not isinstance(size, (tuple, list)):  # (randint(3, 10) would draw 10 numbers below 3: PyTorch refuses it)
        raise TypeError(f"randint: size must be a tuple of ints, got {size!r}; write randint(high, (n,)) or "
                        f"randint(low, high, (n,))")
    low, high = (0 if low is None else int_from_tensor(low)), int_from_tensor(high)
    if not all(isinstance(v, (int, np.integer)) and not isinstance(v, (bool, np.bool_)) for v in (low, high)):
        raise TypeError(f"randint: low and high must be ints, got {low!r} and {high!r}")
    if low >= high:
        raise CreationError(f"randint: expects low < high, got low={low}, high={high}")
    from .torch_names import _numpy_dtype, _sizes
    shape, dtype = _sizes("randint", (size,)), _numpy_dtype("randint", dtype)
    if any(n < 0 for n in shape):
        raise CreationError(f"randint: sizes must be non-negative, got {shape}")
    limits = (0, 1) if dtype.kind == "b" else (np.iinfo(dtype).min, np.iinfo(dtype).max) if dtype.kind in "iu" else None
    if dtype.kind not in "biuf" or limits and not (limits[0] <= low and high - 1 <= limits[1]):
        raise CreationError(f"randint: [{low}, {high}) does not fit dtype {dtype}")
    return Tensor(generator_of(rng, generator, "randint").integers(low, high, size=shape).astype(dtype))


def randint_like(input, *bounds, low=None, high=None, dtype=None, rng=None, generator=None, device=None):  # noqa: A002
    """PyTorch's randint_like: integers drawn uniformly from [low, high) (low defaults to 0) with input's shape, and
    input's dtype unless dtype is given (so a float input gets whole floats, as PyTorch's); randint_like(input, high)
    or randint_like(input, low, high). A Rademacher probe is randint_like(x, 0, 2) * 2 - 1.

    >>> import autograd_core as ag
    >>> ag.randint_like(ag.zeros((2, 2), dtype=ag.float32), 0, 2, rng=0).dtype
    dtype('float32')
    """
    if not isinstance(input, (Tensor, np.ndarray)):
        raise TypeError(f"randint_like: input must be a Tensor (or an ndarray), got {type(input).__name__}; for a new "
                        f"shape use randint(low, high, size)")
    if len(bounds) > 2 or (len(bounds) == 2 and low is not None) or (bounds and high is not None):
        raise TypeError(f"randint_like: give randint_like(input, high) or randint_like(input, low, high) (or those "
                        f"keywords), got {len(bounds)} bounds and low={low!r}, high={high!r}")
    if len(bounds) == 2:
        low, high = bounds
    elif bounds:
        high = bounds[0]
    if high is None:
        raise TypeError("randint_like: high is required: randint_like(input, high) or randint_like(input, low, high)")
    dtype = input.dtype if dtype is None else dtype
    try:
        return randint(0 if low is None else low, high, tuple(input.shape), dtype=dtype, rng=rng, generator=generator,
                       device=device)
    except (TypeError, ValueError) as err:  # (randint's checks of the bounds, dtype and device, named for this call)
        raise type(err)(f"randint_like: {err}") from None


def normal(mean=0.0, std=1.0, size=None, *, dtype=None, requires_grad=False, rng=None, generator=None, device=None):
    """PyTorch's normal: samples from normal distributions, either one per element of mean and std (Tensors or
    numbers broadcast together, at least one a Tensor), or, given size, of that shape from one distribution (mean and
    std numbers). rng (or generator=, PyTorch's name) as ag.randn's (a NumPy Generator or an int seed). The result is
    a new leaf (no gradient flows to mean or std); its dtype is dtype, else the float dtype of a Tensor mean or std,
    else float64 as ag.randn's.

    >>> import autograd_core as ag
    >>> w = ag.normal(0, 0.01, size=(2, 1), requires_grad=True, rng=0)
    >>> w.shape, w.dtype, w.requires_grad
    ((2, 1), dtype('float64'), True)
    >>> ag.normal(ag.zeros(3), 1.0, rng=0).shape
    (3,)
    """
    from .torch_names import _numpy_dtype, _sizes
    check_device(device, "normal")
    operands = [np.asarray(as_value(v)) for v in (mean, std)]
    if size is not None:
        if any(v.ndim for v in operands):
            raise TypeError(f"normal: with size=, mean and std must be numbers, got shapes {operands[0].shape} and "
                            f"{operands[1].shape}; without size the result takes their broadcast shape")
        shape = _sizes("normal", (size,))
    elif not any(isinstance(v, Tensor) for v in (mean, std)):
        raise TypeError("normal: give size= when mean and std are numbers (normal(0, 1, (2, 3))), or a Tensor mean "
                        "or std whose shape the samples take")
    else:
        try:
            shape = np.broadcast_shapes(operands[0].shape, operands[1].shape)
        except ValueError:
            raise CreationError(f"normal: mean of shape {operands[0].shape} and std of shape {operands[1].shape} do "
                                f"not broadcast together") from None
    if (operands[1] < 0).any() or not np.isfinite(operands[1]).all():
        raise CreationError(f"normal: std must be finite and >= 0, got "
                            f"{operands[1].min() if operands[1].size else std}")
    floats = [v.dtype for v, given in zip(operands, (mean, std)) if isinstance(given, Tensor) and v.dtype.kind == "f"]
    if dtype is not None:
        dtype = _numpy_dtype("normal", dtype)
    else:
        dtype = np.result_type(*floats) if floats else np.dtype(np.float64)
    if dtype.kind != "f":
        raise TypeError(f"normal: dtype must be a float dtype (float32 or float64), got {dtype}")
    samples = generator_of(rng, generator, "normal").normal(operands[0], operands[1], size=shape)
    return Tensor(np.asarray(samples).astype(dtype), requires_grad=requires_grad)


def multinomial(input, num_samples, replacement=False, *, rng=None, generator=None):
    """PyTorch's multinomial: num_samples category indices (int64) drawn for each row of input, a vector or a
    matrix of non-negative weights (they need not sum to 1), without replacement unless replacement=True; rng (or
    generator=, PyTorch's name) as ag.randn's (a NumPy Generator or an int seed). Shape (num_samples,) for a vector,
    (rows, num_samples) for a matrix (a matrix of no rows gives (0, num_samples), as PyTorch's). The samples come
    from NumPy's Generator.choice, so they are not PyTorch's.

    >>> import autograd_core as ag
    >>> ag.multinomial(ag.tensor([0.0, 1.0, 0.0]), 2, replacement=True, rng=0)
    Tensor([1, 1])
    >>> ag.multinomial(ag.tensor([[1.0, 0.0], [0.0, 3.0]]), 1, rng=0)
    Tensor([[0],
            [1]])
    """
    weights = np.asarray(as_value(input))
    if weights.dtype.kind != "f":
        raise RuntimeTypeError(f"multinomial: input must hold float weights, got dtype {weights.dtype}; write "
                               f"t.float() (counts as floats)")
    if weights.ndim not in (1, 2):
        raise CreationError(f"multinomial: input must be a vector or a matrix of weights (1-D or 2-D), got shape "
                            f"{weights.shape}")
    if isinstance(num_samples, (bool, np.bool_)) or not isinstance(num_samples, (int, np.integer)):
        raise TypeError(f"multinomial: num_samples must be a positive int, got {num_samples!r}")
    if num_samples <= 0:
        raise CreationError(f"multinomial: num_samples must be a positive int, got {num_samples!r}")
    replacement = as_flag(replacement, "multinomial", "replacement")
    rows = (weights if weights.ndim == 2 else weights[None]).astype(np.float64)  # (reshape(-1, 0) is ambiguous)
    if not np.isfinite(rows).all() or (rows < 0).any():
        raise CreationError("multinomial: the weights must be finite and non-negative (got inf, NaN or a negative "
                            "entry)")
    nonzero = (rows > 0).sum(axis=-1)
    if (nonzero == 0).any():
        raise CreationError(f"multinomial: row {int(np.argmin(nonzero))} of input sums to 0; each row needs a positive "
                            f"weight")
    # (no rows, as PyTorch: no weights to count, but no more samples than categories without replacement)
    fewest, of = (int(nonzero.min()), " of positive weight") if len(rows) else (rows.shape[-1], "")
    if not replacement and num_samples > fewest:
        raise CreationError(f"multinomial: cannot draw {num_samples} samples without replacement from {fewest} "
                            f"categories{of}; pass replacement=True or fewer samples")
    draw = generator_of(rng, generator, "multinomial")
    samples = [draw.choice(rows.shape[-1], size=num_samples, replace=replacement, p=row / row.sum()) for row in rows]
    return Tensor(np.array(samples, dtype=np.int64).reshape(weights.shape[:-1] + (num_samples,)))


def bernoulli(input, p=None, *, rng=None, generator=None):  # noqa: A002 (PyTorch's name)
    """PyTorch's bernoulli: 1 where a uniform draw falls below input's probability (each in [0, 1]), else 0, of
    input's shape and float dtype; bernoulli(input, p) draws with the one probability p instead. rng (or generator=)
    as ag.randn's. A constant: PyTorch's sample gives its probabilities a zero gradient, here none. Also the method
    t.bernoulli(p=None, *, generator=None), as torch's.

    >>> import autograd_core as ag
    >>> ag.bernoulli(ag.tensor([0.0, 1.0, 1.0]))
    Tensor([0., 1., 1.])
    >>> ag.tensor([1.0, 0.0]).bernoulli(generator=ag.Generator().manual_seed(0))
    Tensor([1., 0.])
    """
    template = np.asarray(as_value(input))
    if template.dtype.kind != "f":
        raise TypeError(f"bernoulli: input must be a float Tensor (of probabilities, or the shape for p), got dtype "
                        f"{template.dtype}; write t.float()")
    threshold = probabilities("bernoulli", template if p is None else p, template.shape)
    draws = generator_of(rng, generator, "bernoulli").random(template.shape)
    return Tensor((draws < threshold).astype(template.dtype))


def poisson(input, generator=None, *, rng=None):  # noqa: A002 (PyTorch's name)
    """PyTorch's poisson: a sample of the Poisson distribution for each rate in input (>= 0), of input's shape and
    float dtype; generator= (or rng=) as ag.randn's. A constant, as bernoulli's.

    >>> import autograd_core as ag
    >>> ag.poisson(ag.tensor([0.0, 0.0]))
    Tensor([0., 0.])
    """
    rates = _floats("poisson", "input", input)
    if not (rates >= 0).all():  # (NaN fails too)
        value, at = _first_bad(rates, ~(rates >= 0))
        raise CreationError(f"poisson: the rates must be >= 0 (invalid Poisson rate), got {value} at index {at} of "
                            f"input of shape {rates.shape}")
    return Tensor(generator_of(rng, generator, "poisson").poisson(rates).astype(rates.dtype))


def binomial(count, prob, generator=None, *, rng=None):
    """PyTorch's binomial: a sample of the binomial distribution for each number of trials in count (>= 0, whole)
    and probability in prob (in [0, 1]), broadcast together, of their float dtype; generator= (or rng=) as
    ag.randn's. A constant, as bernoulli's.

    >>> import autograd_core as ag
    >>> ag.binomial(ag.tensor([3.0, 5.0]), ag.tensor([1.0, 0.0]))
    Tensor([3., 0.])
    """
    counts, probs = _floats("binomial", "count", count), _floats("binomial", "prob", prob)
    whole = (counts >= 0) & (counts == np.floor(counts)) & (counts < 2.0 ** 63)  # (NaN fails; inf is too many)
    if not whole.all():
        value, at = _first_bad(counts, ~whole)
        raise CreationError(f"binomial: count must hold whole numbers of trials from 0 to 2**63 - 1, got {value} at "
                            f"index {at} of count of shape {counts.shape}")
    shape = np.broadcast_shapes(counts.shape, probs.shape)
    probs = probabilities("binomial", probs, shape)
    draws = generator_of(rng, generator, "binomial").binomial(counts.astype(np.int64), probs)
    return Tensor(np.asarray(draws).astype(np.result_type(counts, probs)))


def _first_bad(values, bad):
    """The first value of values where bad holds, and its index (a tuple)."""
    at = tuple(int(k) for k in np.argwhere(bad)[0])
    return values[at], at


def _floats(owner, name, value):
    values = np.asarray(as_value(value))
    if values.dtype.kind != "f":
        raise TypeError(f"{owner}: {name} must be a float Tensor, got dtype {values.dtype}; write t.float()")
    return values


def probabilities(owner, p, shape):
    """p (a number, or an array or Tensor broadcast to shape, as PyTorch expands it) checked to be probabilities."""
    values = np.asarray(as_value(p))
    if values.dtype.kind not in "fiu" or values.dtype == np.bool_:
        raise TypeError(f"{owner}: p must hold real numbers (probabilities), got dtype {values.dtype}")
    try:
        values = np.broadcast_to(values, shape)
    except ValueError:
        raise CreationError(f"{owner}: p of shape {values.shape} does not broadcast to the shape {shape}") from None
    if not ((values >= 0) & (values <= 1)).all():  # (NaN fails both)
        raise CreationError(f"{owner}: p must be probabilities in [0, 1], got values from {np.nanmin(values)} to "
                            f"{np.nanmax(values)}{' and NaN' if np.isnan(values).any() else ''}")
    return values


Tensor.bernoulli = bernoulli
Tensor.multinomial = multinomial  # (t.multinomial(num_samples, replacement), torch's method)


def integers_between(dtype, from_, to):
    """random_'s draw (draw(rng, shape)): integers uniform on [from_, to - 1] in dtype, to=None meaning the dtype's
    largest integer (2 ** (mantissa bits + 1) for a float dtype, as PyTorch's, 1 for bool); bounds the dtype cannot
    hold are refused as PyTorch refuses them (a float dtype's beyond its exact integers: PyTorch's warning)."""
    for name, value in (("from", from_), ("to", to)):
        if value is not None and (isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer))):
            raise TypeError(f"random_: {name} must be an int, got {value!r}")
    exact = 2 ** (np.finfo(dtype).nmant + 1) if dtype.kind == "f" else None
    low, high = (-exact, exact) if exact else (0, 1) if dtype.kind == "b" else (int(np.iinfo(dtype).min),
                                                                                 int(np.iinfo(dtype).max))
    last = high if to is None else int(to) - 1
    if to is not None and from_ >= to:
        raise CreationError(f"random_ expects 'from' to be less than 'to', but got from={from_} >= to={to}")
    for name, value in (("from", from_), ("to - 1", last)):
        if not low <= value <= high:
            if not exact:
                raise CreationError(f"random_: {name} is out of bounds for {dtype}: {value} is not in [{low}, {high}]")
            warnings.warn(f"random_: {name} is out of bounds [{low}, {high}] of the integers {dtype} holds exactly: "
                          f"{value} is rounded", UserWarning, stacklevel=3)
    if -2 ** 63 <= from_ and last < 2 ** 63:
        return lambda rng, shape: rng.integers(from_, last, size=shape, endpoint=True).astype(dtype)
    return lambda rng, shape: np.floor(rng.uniform(float(from_), float(last) + 1.0, shape)).astype(dtype)
