"""ag.Function: user-defined primitives with a hand-written forward and backward (PyTorch style)."""
import functools
import inspect
import re

import numpy as np

from ._arguments import broadcasts_to
from .grad_mode import no_grad
from .primitive import _NO_PARAMS, PerInput, Primitive, ResultError, _holds_graph, apply
from .tensor import Tensor, as_value
from .function_ctx import FunctionCtx


class Function:
    """Subclass with static forward(ctx, *inputs) and backward(ctx, grad_output), or PyTorch 2's
    forward(*inputs) and setup_context(ctx, inputs, output) (see setup_context); call apply.

    forward receives ndarrays (for Tensors and arrays; numbers, tuples, lists, None and other
    objects as they are, as in PyTorch) and returns an ndarray (or a Tensor it computed with ag
    operations, which it may save as the output), or a tuple of them for several outputs (apply
    then returns a tuple of Tensors, and backward takes one gradient per output, zeros for one
    that got none, None after ctx.set_materialize_grads(False)); an integer or bool output, or one
    marked non-differentiable, carries no gradient, and a Python number among several comes back as it
    is (its gradient None), as PyTorch's non-Tensor outputs. backward returns one gradient per input (None
    where there is none, and for every input that is no Tensor, array or number), each of that
    input's shape or of a shape the input broadcasts to (then summed down, as PyTorch does);
    ctx.needs_input_grad tells which inputs require grad, and gradients for the others are dropped
    unchecked. Under create_graph=True, saved inputs and outputs reach backward as Tensors, so a
    backward written with NumPy operators and functions is differentiable again; one returning
    arrays computed from .data raises when differentiated again (forward mode then goes through a
    jvp staticmethod, if given: see jvp).

    >>> import numpy as np, autograd_core as ag
    >>> class Cube(ag.Function):
    ...     @staticmethod
    ...     def forward(ctx, x):
    ...         ctx.save_for_backward(x)
    ...         return x ** 3
    ...     @staticmethod
    ...     def backward(ctx, grad_output):
    ...         (x,) = ctx.saved_tensors
    ...         return 3 * x ** 2 * grad_output
    >>> x = ag.tensor(2.0, requires_grad=True)
    >>> Cube.apply(x).backward()
    >>> float(x.grad)
    12.0
    """

    def __init_subclass__(cls, **kwargs):
        """A subclass may name its backward vjp, PyTorch's other name for it (test_autograd.py's Functions do); one
        with both, in it or its bases (a vjp over a base's backward), is refused, as PyTorch refuses it."""
        super().__init_subclass__(**kwargs)
        if _defined(cls, "backward") is not None and _defined(cls, "vjp") is not None:
            raise RuntimeError(f"{cls.__name__}: Implementing both 'backward' and 'vjp' for a custom Function is not "
                               f"allowed (vjp is backward's other name; one of them may come from a base class); "
                               f"implement one of them")
        if "vjp" in cls.__dict__:
            cls.backward = cls.__dict__["vjp"]

    @staticmethod
    def forward(ctx, *inputs):
        """The values of the output from the inputs' values (ndarrays); see the class docstring's example."""
        raise NotImplementedError("Function subclasses must define a static forward(ctx, *inputs)")

    @staticmethod
    def setup_context(ctx, inputs, output):
        """PyTorch 2's other style, when a subclass defines it: forward(*inputs) takes no ctx, and
        setup_context(ctx, inputs, output) then saves what backward needs (inputs: forward's inputs, defaults
        filled in, as PyTorch's; output: the array forward returned).

        >>> import autograd_core as ag
        >>> class Square(ag.Function):
        ...     forward = staticmethod(lambda x: x * x)
        ...     @staticmethod
        ...     def setup_context(ctx, inputs, output):
        ...         ctx.save_for_backward(inputs[0])
        ...     @staticmethod
        ...     def backward(ctx, g):
        ...         (x,) = ctx.saved_tensors
        ...         return 2 * x * g
        >>> x = ag.tensor(3.0, requires_grad=True)
        >>> Square.apply(x).backward(); float(x.grad)
        6.0
        """
        raise NotImplementedError("setup_context is defined by subclasses whose forward takes no ctx")

    @staticmethod
    def backward(ctx, grad_output):
        """One gradient per input (None for none) from grad_output; see the class docstring's example."""
        raise NotImplementedError("Function subclasses must define a static backward(ctx, grad_output)")

    vjp = backward  # (PyTorch's other name for it, as torch.autograd.Function.vjp)

    @staticmethod
    def jvp(ctx, *tangents):
        """Optional, as PyTorch's: the output's tangent (a tuple, one per output, for several) from one tangent per
        input (None for an input passed as it is), with what forward kept by ctx.save_for_forward as
        ctx.saved_tensors. Forward mode (forward_ad, ag.jvp) differentiates backward again, so a backward written
        with operations on its Tensor arguments needs no jvp; one that is not (@once_differentiable, or NumPy on
        .data) is transposed through jvp instead. Its tangent is not differentiable again.

        >>> import numpy as np, autograd_core as ag
        >>> from autograd_core.autograd.function import once_differentiable
        >>> class Cube(ag.Function):
        ...     @staticmethod
        ...     def forward(ctx, x):
        ...         ctx.save_for_backward(x); ctx.save_for_forward(x)
        ...         return x ** 3
        ...     @staticmethod
        ...     @once_differentiable
        ...     def backward(ctx, g):
        ...         (x,) = ctx.saved_tensors
        ...         return 3 * x ** 2 * g
        ...     @staticmethod
        ...     def jvp(ctx, x_tangent):
        ...         (x,) = ctx.saved_tensors
        ...         return 3 * x ** 2 * x_tangent
        >>> ag.jvp(Cube.apply, (np.array([1.0, 2.0]),), (np.array([1.0, 0.5]),))[1]
        Tensor([3., 6.])
        """
        raise NotImplementedError("Function subclasses may define a static jvp(ctx, *tangents) for forward mode")

    @classmethod
    def apply(cls, *inputs, **kwargs):
        """Run forward on the inputs and record the result, one node of the graph whose rule is backward.

        >>> import autograd_core as ag
        >>> class Double(ag.Function):
        ...     forward = staticmethod(lambda ctx, x: 2 * x)
        ...     backward = staticmethod(lambda ctx, g: 2 * g)
        >>> y = Double.apply(ag.tensor([1.0, 3.0], requires_grad=True))
        >>> y, y.op_name
        (Tensor([2., 6.], op=Double), 'Double')
        """
        primitive = cls.__dict__.get("_primitive")
        if primitive is None:
            primitive = _FunctionPrimitive(cls.__name__, _forward_of(cls), PerInput(_vjp_of(cls)))
            primitive.after_rules = _after_rules  # the last input with grad may not have been asked
            cls._primitive = primitive
        if kwargs or _separate_setup(cls):  # as PyTorch: bound to forward's parameters by name, so that each is an
            inputs = _bound(cls, inputs, kwargs)  # input in its position (with setup_context, defaults filled in)
        needs_input_grad = tuple(isinstance(x, Tensor) and x._requires_grad for x in inputs)
        # Tuples, lists, None, strings and other objects go to forward as they are, as in PyTorch; Tensors, arrays
        # and numbers are the operation's inputs
        passed = {k: x for k, x in enumerate(inputs) if not _is_operand(x, k, cls)}
        operands = [x for k, x in enumerate(inputs) if k not in passed] if passed else inputs
        ctx = FunctionCtx(needs_input_grad, passed)
        # (named with "_": the engine's own, left out of error messages and drawings, which show what users gave)
        out = apply(primitive, operands, {"_ctx": ctx})
        if ctx._layout is not None:  # forward returned a tuple
            return _unpacked(out, ctx)
        # Integers and bools carry no gradient, nor an output forward marked non-differentiable (as in PyTorch)
        if out._requires_grad and (out.dtype.kind != "f" or ctx._non_differentiable and ctx._output_marked):
            return Tensor._constant(out._data)
        return out


def once_differentiable(backward):
    """Decorator for a Function's backward that is not written to be differentiated again, as PyTorch's
    torch.autograd.function.once_differentiable: backward then always receives its gradients and ctx.saved_tensors
    as ndarrays and runs without recording, and what it returns (Tensors too) is taken as arrays, so a second
    derivative through it (create_graph=True, ag.hessian, grad of grad) raises instead of silently giving 0.

    >>> import numpy as np, autograd_core as ag
    >>> from autograd_core.autograd.function import once_differentiable
    >>> class Cube(ag.Function):
    ...     @staticmethod
    ...     def forward(ctx, x):
    ...         ctx.save_for_backward(x)
    ...         return x ** 3
    ...     @staticmethod
    ...     @once_differentiable
    ...     def backward(ctx, grad_output):
    ...         (x,) = ctx.saved_tensors
    ...         return 3 * x ** 2 * grad_output  # (ndarrays, even under create_graph)
    >>> x = ag.tensor(2.0, requires_grad=True)
    >>> float(ag.grad(Cube.apply)(x))
    12.0
    >>> ag.grad(ag.grad(Cube.apply))(x)
    Traceback (most recent call last):
    RuntimeError: trying to differentiate twice a function that was marked with @once_differentiable: Cube.backward...
    """
    @functools.wraps(backward)
    def wrapper(ctx, *grad_outputs):
        saved = ctx.saved_tensors
        ctx.saved_tensors = tuple(v._data if isinstance(v, Tensor) else v for v in saved)
        try:
            with no_grad():
                grads = backward(ctx, *(g._data if isinstance(g, Tensor) else g for g in grad_outputs))
        finally:
            ctx.saved_tensors = saved
        if isinstance(grads, tuple):
            return tuple(g._data if isinstance(g, Tensor) else g for g in grads)
        return grads._data if isinstance(grads, Tensor) else grads
    wrapper.once_differentiable = True
    return wrapper


class _FunctionPrimitive(Primitive):
    """An ag.Function's node reads, for the in-place check, the inputs and the output that the values backward
    saved are, or share memory with (a view of an input, x.T, reads it too); PyTorch checks what save_for_backward
    was given. Before forward has run (when the node is recorded) it may read everything."""

    def reads(self, slots, params=_NO_PARAMS):
        ctx = params.get("_ctx")
        return (None, True) if ctx is None or ctx._reads is None else ctx._reads


def _saved_reads(saved, operands, out):
    """({positions of the operands}, output?) that a saved value is, or shares memory with."""
    saved = [s._data if isinstance(s, Tensor) else s for s in saved]  # (a Tensor forward made with ag operations)

    def read(value):
        return any(s is value or isinstance(s, np.ndarray) and isinstance(value, np.ndarray)
                   and np.may_share_memory(s, value) for s in saved)
    return {k for k, value in enumerate(operands) if read(value)}, read(out)


def _separate_setup(cls):
    """Whether cls is written in PyTorch 2's style: forward without ctx, and a setup_context of its own."""
    return cls.setup_context is not Function.setup_context


def _bound(cls, inputs, kwargs):
    """apply's positional and keyword inputs as forward's positional ones (defaults filled in only with
    setup_context, as PyTorch)."""
    separate = _separate_setup(cls)
    try:
        signature = inspect.signature(cls.forward)
    except ValueError:  # a builtin without one (max): the inputs as given
        if kwargs:
            raise TypeError(f"{cls.__name__}.apply: forward ({cls.forward!r}) has no signature to bind keyword inputs "
                            f"to; give the inputs by position") from None
        return inputs
    try:
        bound = signature.bind(*(() if separate else (None,)), *inputs, **kwargs)  # (None: ctx)
    except TypeError as err:
        raise TypeError(f"{cls.__name__}.apply: the inputs do not fit forward's parameters: {err}") from None
    if separate:
        bound.apply_defaults()  # (a keyword-only parameter's default stays forward's: only positional ones are inputs)
        if not any(name in kwargs for name in bound.kwargs):
            return bound.args
    if bound.kwargs:  # keyword-only parameters, or **kwargs: no position to be an input in
        rest = list(signature.parameters.values())[len(bound.args):]  # (ctx counted in args)
        late = [p.name for p in rest if p.kind is p.POSITIONAL_OR_KEYWORD and p.name in bound.kwargs]
        if late:  # a positional parameter given by keyword after one left to its default: it has no position yet
            skipped = [p.name for p in rest[:[p.name for p in rest].index(late[-1])] if p.name not in bound.kwargs]
            raise TypeError(f"{cls.__name__}.apply: {', '.join(map(repr, late))} given by keyword but "
                            f"{', '.join(map(repr, skipped))} before it not given; each of forward's inputs has a "
                            f"position (one gradient each) and apply does not fill in forward's defaults (as "
                            f"PyTorch's): pass {', '.join(skipped)} too")
        raise TypeError(f"{cls.__name__}.apply: {', '.join(map(repr, bound.kwargs))} can only be given by keyword, but "
                        f"forward's inputs are positional (one gradient each); make it a positional parameter")
    return bound.args[1:]


def _is_operand(x, k, cls):
    if isinstance(x, (Tensor, int, float)):
        return True
    if isinstance(x, (np.ndarray, np.generic)):
        return x.dtype.kind in "biuf"
    if isinstance(x, (list, tuple)) and _holds_graph(x) or isinstance(x, dict) and _holds_graph(list(x.values())):
        # forward would get them, but no gradient back
        raise TypeError(f"{cls.__name__}.apply: input {k} is a {type(x).__name__} holding Tensors that require grad; "
                        f"pass them as inputs of their own, or combine them with ag.stack first")
    return False


def _forward_of(cls):
    def forward(*values, _ctx):
        ctx = _ctx
        seen = values  # the operands (the values passed as they are join them below)
        if ctx._passed:
            operands = iter(values)
            values = [ctx._passed[k] if k in ctx._passed else next(operands) for k in range(len(ctx.needs_input_grad))]
        # The inputs are read-only while forward runs: a change in place there would change a value that graphs
        # saved without counting it (PyTorch counts it, and their backward refuses).
        locked = [v for v in values if isinstance(v, np.ndarray) and v.flags.writeable]
        for v in locked:
            v.flags.writeable = False
        try:
            with no_grad():
                out = cls.forward(*values) if _separate_setup(cls) else cls.forward(ctx, *values)
        except AttributeError as err:
            _raise_for_tensor_method(cls, "forward", err)
        except TypeError as err:
            _raise_for_tensor_keyword(cls, "forward", err)
        except ValueError as err:
            if "read-only" not in str(err):
                raise
            raise RuntimeError(f"{cls.__name__}.forward changed an input in place ({err}), which graphs that saved "
                               f"it would not see; compute a new array instead (a = a + 1, not a += 1)") from None
        finally:
            for v in reversed(locked):  # (an input may be a view of a later one: its base is made writable first)
                try:
                    v.flags.writeable = True
                except ValueError:  # a view of an array that is read-only itself: it was writable through no other
                    pass
        if isinstance(out, tuple):
            return _packed(cls, ctx, out, values, seen)
        returned = out
        out = out._data if isinstance(out, Tensor) else out  # as_value would turn any object into an array
        if not isinstance(out, (np.ndarray, np.generic, float, int)) or np.result_type(out).kind not in "biuf":
            raise ResultError(f"{cls.__name__}.forward must return an ndarray of numbers (or a tuple of them), got "
                              f"{type(out).__name__}")
        if any(isinstance(v, np.ndarray) and np.may_share_memory(out, v) for v in values):
            out = np.array(out)  # an input, or a view of one: the output gets memory of its own
        elif not isinstance(out, (np.ndarray, np.generic)):
            out = np.asarray(out)
        # Else the very object forward returned (NumPy scalars included): backward finds it among the saved values
        # by the identities kept here (a node's value may later become a 0-d array: reading .data, a view).
        if _separate_setup(cls):  # PyTorch 2's style: forward without ctx, then setup_context(ctx, inputs, output)
            with no_grad():
                cls.setup_context(ctx, tuple(values), out)
        ctx._output_marked = any(v is returned or v is out for v in ctx._non_differentiable)
        # (and the Tensor forward returned, when it made one with ag operations: ctx may have saved that)
        ctx._value_ids = (*map(id, seen), id(out), id(returned))
        ctx._reads = _saved_reads(ctx.saved_tensors, seen, out)
        return out
    return forward


def _packed(cls, ctx, outputs, values, seen):
    """Several outputs (forward returned a tuple): the node's value is the float ones raveled and joined, and apply
    hands each out as a recorded slice of it (_unpacked), so one node serves them all and backward gets one
    gradient per output (_per_output). Integer outputs and those marked non-differentiable are constants, as in
    PyTorch, and their gradients zeros."""
    arrays = []
    for k, value in enumerate(outputs):
        array = value._data if isinstance(value, Tensor) else value
        if not isinstance(array, (np.ndarray, np.generic, float, int)) or np.result_type(array).kind not in "biuf":
            raise ResultError(f"{cls.__name__}.forward returned a {type(value).__name__} as output {k}; each output "
                              f"must be an ndarray of numbers")
        arrays.append(np.asarray(array))
    marked = [any(v is value or v is array for v in ctx._non_differentiable) for value, array in zip(outputs, arrays)]
    # A Python number is handed back as it is (backward gets None for it), as PyTorch's non-Tensor outputs
    numbers = [type(value) in (int, float, bool) for value in outputs]
    differentiable = [a.dtype.kind == "f" and not m and not n for a, m, n in zip(arrays, marked, numbers)]
    joined = [a.ravel() for a, d in zip(arrays, differentiable) if d]
    packed = np.concatenate(joined) if joined else np.zeros(0)  # (a copy: no output shares an input's memory)
    if _separate_setup(cls):
        with no_grad():
            cls.setup_context(ctx, tuple(values), outputs)
    layout, start = [], 0
    for value, a, d, n in zip(outputs, arrays, differentiable, numbers):
        layout.append((start, start + a.size, a.shape, a.dtype) if d else (None, value, (), None) if n else
                      (None, a, a.shape, a.dtype))
        start += a.size if d else 0
    ctx._layout = layout
    # backward finds a saved output among its values by identity, as forward returned it or as its array
    ctx._output_ids = {id(v): k for k, (value, array) in enumerate(zip(outputs, arrays)) for v in (value, array)}
    ctx._value_ids = (*map(id, seen), id(packed))
    operands_read, _ = _saved_reads(ctx.saved_tensors, seen, packed)
    ctx._reads = operands_read, any(id(v) in ctx._output_ids for v in ctx.saved_tensors)
    return packed


def _output_slice(packed, layout_entry):
    """One output of a Function with several, from the node (or its gradient), of that output's shape and dtype."""
    start, stop, shape, dtype = layout_entry
    piece = packed[start:stop].reshape(shape)
    return piece if piece.dtype == dtype else piece.astype(dtype)


def _unpacked(out, ctx):
    """apply's result for several outputs: a tuple, the float ones recorded slices of the node, the others
    constants (their arrays then leave ctx, which the graph keeps)."""
    results = tuple(entry[1] if entry[3] is None else Tensor._constant(entry[1]) if entry[0] is None else
                    _output_slice(out, entry) for entry in ctx._layout)  # (dtype None: a Python number)
    if not ctx._materialize_grads:  # each output tells backward whether a gradient reached it
        ctx._reached = set()
        results = tuple(_reaching(r, ctx=ctx, position=k) if isinstance(r, Tensor) and r._requires_grad else r
                        for k, r in enumerate(results))
    ctx._layout = [(None, None, shape, dtype) if start is None else (start, stop, shape, dtype)
                   for start, stop, shape, dtype in ctx._layout]
    return results


def _note_reached(g, ans, x, ctx, position):
    ctx._reached.add(position)
    return g


# An output of several, as it is, whose gradient notes that it arrived (see set_materialize_grads)
_reaching = Primitive("Function output", lambda x, ctx, position: x, (_note_reached,), reads_values=False)


def _per_output(ctx, g):
    """backward's gradient arguments: g itself for one output, else g split into one gradient per output, zeros
    (or None without materialize_grads) for one that got none."""
    if ctx._layout is None:
        return (g,)
    grads = tuple(None if dtype is None else np.zeros(shape, dtype) if start is None else
                  _output_slice(g, (start, stop, shape, dtype)) for start, stop, shape, dtype in ctx._layout)
    if ctx._reached is None:
        return grads
    reached, ctx._reached = ctx._reached, set()  # (the next pass notes its own)
    return tuple(grad if k in reached else None for k, grad in enumerate(grads))


def _defined(cls, name):
    """A subclass's own backward or vjp (name), from it or a base below Function, or None: a backward that
    __init_subclass__ made the vjp of its class is none."""
    for klass in cls.__mro__:
        if klass is Function:
            return None
        entry = klass.__dict__.get(name)
        if entry is not None and not (name == "backward" and entry is klass.__dict__.get("vjp")):
            return entry
    return None


def _vjp_of(cls):
    def vjp(i, g, ans, inputs, _ctx):
        ctx = _ctx
        # backward runs once per backward pass; each input's slot reads its own gradient.
        if ctx._grads_for is None or ctx._grads_for[0] is not g:
            grads = _checked_grads(cls, _recorded_backward(cls, ctx, g, ans, inputs), inputs, ctx)
            if isinstance(ans, Tensor):  # recorded: an array among them was computed outside the graph
                grads = _refusing_arrays(cls, grads, g, inputs, ctx)
            ctx._grads_for = (g, grads)
        grads = ctx._grads_for[1]
        if i == ctx._last_input:  # forget them: a later pass (retain_graph) may bring the same, changed array
            ctx._grads_for = None  # (and recorded grads kept in ctx would make a reference cycle)
        return grads[i]
    return vjp


def _after_rules(params, partial, released):
    """Forget the gradients backward gave (a partial pass may not have asked for the last input's), and the saved
    values too when the pass frees the graph."""
    ctx = params["_ctx"]
    if partial or released:
        ctx._grads_for = None
    if released:
        ctx.saved_tensors = ()


def _raise_for_tensor_method(cls, where, err):
    """Re-raise err, an AttributeError from cls.forward or cls.backward; where it is a Tensor method asked of an
    ndarray (code written for PyTorch, whose Functions get Tensors: i.clamp_min(0.), (i > 0).float()), say why."""
    obj, name = getattr(err, "obj", None), getattr(err, "name", None)
    if not isinstance(obj, (np.ndarray, np.generic)) or not isinstance(name, str) or not hasattr(Tensor, name):
        raise err
    given = "its Tensor inputs" if where == "forward" else "grad_output and the saved values"
    raise AttributeError(f"{cls.__name__}.{where}: {err}; an ag.Function's {where} gets {given} as NumPy arrays "
                         f"(PyTorch's gets Tensors), and {name} is a Tensor method: write it with NumPy "
                         f"(np.maximum(i, 0.) for i.clamp_min(0.), (i > 0).astype(np.float32) for (i > 0).float()), or "
                         f"call it on ag.as_tensor(i) and return that", name=name, obj=obj) from err


# NumPy's two wordings of a keyword its method does not take: the reductions are Python (x.max is _amax), the rest C.
_TORCH_KEYWORD = re.compile(r"(\w+)\(\) got an unexpected keyword argument '(dim|keepdim)'"
                            r"|'(dim|keepdim)' is an invalid keyword argument for (\w+)\(\)")
_REDUCING = {"max", "min", "sum", "mean", "prod", "any", "all", "var", "std", "argmax", "argmin"}


def _raise_for_tensor_keyword(cls, where, err):
    """Re-raise err, a TypeError from cls.forward or cls.backward; where it is PyTorch's dim= or keepdim= given to an
    ndarray's method (input.max(dim=dim, keepdim=True), entmax's first line), say why, with that method's spellings."""
    found = _TORCH_KEYWORD.search(str(err))
    if found is None:
        raise err
    keyword, method = (found[2], found[1]) if found[1] else (found[3], found[4])
    method = {"amax": "max", "amin": "min"}.get(method.lstrip("_"), method.lstrip("_"))
    kept = (", keepdims=True", ", keepdim=True") if method in _REDUCING else ("", "")
    # PyTorch's var/std divide by n - 1 unless told (NumPy's by n); its max/min with dim= return pairs, amax/amin not
    numpy_call = f"x.{method}(axis=d{', ddof=1' if method in ('var', 'std') else ''}{kept[0]})"
    tensor_call = (f"x.{'a' + method if method in ('max', 'min') else method}(dim=d{kept[1]}"
                   f"{', correction=1' if method in ('var', 'std') else ''})")
    given = "its Tensor inputs" if where == "forward" else "grad_output and the saved values"
    raise TypeError(f"{cls.__name__}.{where}: {err}; an ag.Function's {where} gets {given} as NumPy arrays "
                    f"(PyTorch's gets Tensors), whose methods take axis= and keepdims=, not {keyword}=: write "
                    f"{numpy_call}, or call the method on ag.as_tensor(x) ({tensor_call} there) and return "
                    f"that") from err


def _recorded_backward(cls, ctx, g, ans, inputs):
    """cls.backward; under create_graph (ans is the output node, inputs the input nodes) the saved
    inputs and output are swapped for their nodes, so backward is recorded and differentiable again."""
    if not isinstance(ans, Tensor):
        try:
            return cls.backward(ctx, *_per_output(ctx, g))
        except AttributeError as err:
            _raise_for_tensor_method(cls, "backward", err)
        except TypeError as err:
            _raise_for_tensor_keyword(cls, "backward", err)
    nodes = {value_id: t for value_id, t in zip(ctx._value_ids, (*inputs, ans, ans)) if isinstance(t, Tensor)}
    if ctx._layout is not None:  # a saved output of several: its slice of the node, recorded
        nodes.update({value_id: _output_slice(ans, ctx._layout[k]) for value_id, k in ctx._output_ids.items()
                      if ctx._layout[k][0] is not None})
    saved = ctx.saved_tensors
    ctx.saved_tensors = tuple(nodes.get(id(v), v) for v in saved)
    try:
        return cls.backward(ctx, *_per_output(ctx, g))
    except (AttributeError, TypeError) as err:  # ndarray-only code (g.copy(), item assignment) meeting Tensors
        kind = AttributeError if isinstance(err, AttributeError) else TypeError
        raise kind(f"{cls.__name__}.backward failed while being recorded for a higher derivative (create_graph=True, "
                   f"or a transform of an input that requires grad), where grad_output and the saved values are "
                   f"Tensors: {err}. Write it with operations Tensors support (operators, NumPy ufuncs, ag.where "
                   f"instead of item assignment), or differentiate it only once") from err
    finally:
        ctx.saved_tensors = saved


def _refusing_arrays(cls, grads, g, inputs, ctx=None):
    """grads, each array among them (computed outside the graph, from .data say) made a node whose own gradient
    raises, as PyTorch's once_differentiable does: differentiating it again must fail, not give 0. Given ctx, of
    a Function with a jvp, the gradient of input k is linear in g, and its derivative with respect to g is the
    transpose, jvp from a tangent of input k (_transposed_by_jvp): forward mode goes through it."""
    depends_on = [t for t in (g, *inputs) if isinstance(t, Tensor) and t._requires_grad]
    if not depends_on:
        return grads
    if ctx is not None and cls.jvp is not Function.jvp and isinstance(g, Tensor) and g._requires_grad:
        transposed = _transposed_by_jvp(cls)
        return [transposed(grad, g, *inputs, ctx=ctx, position=k) if grad is not None and not isinstance(grad, Tensor)
                else grad for k, grad in enumerate(grads)]
    cut = _not_differentiable_again(cls)
    return [cut(grad, *depends_on) if grad is not None and not isinstance(grad, Tensor) else grad for grad in grads]


def _transposed_by_jvp(cls):
    """A node passing on the gradient of input k, backward's array, from (grad, g, *inputs): its derivative in g
    is jvp's output tangent from the cotangent as input k's tangent; in the inputs it raises."""
    if "_jvp_transposed" not in cls.__dict__:
        refuse = _not_differentiable_again(cls).vjps.rule

        def rule(i, cotangent, ans, inputs, ctx, position):
            if i != 1:
                return refuse(i, cotangent, ans, inputs)
            g_shape = np.shape(as_value(inputs[1]))
            tangent = _output_tangent(cls, ctx, position, as_value(cotangent), inputs[2:], g_shape)
            if isinstance(ans, Tensor):  # recorded: that tangent is not differentiable again
                return _not_differentiable_again(cls)(tangent, cotangent, *inputs[2:])
            return tangent
        cls._jvp_transposed = Primitive(f"{cls.__name__}.backward", lambda grad, *depends_on, ctx, position: grad,
                                        PerInput(rule))
    return cls._jvp_transposed


def _output_tangent(cls, ctx, position, tangent, operands, shape):
    """cls.jvp's output tangent, as the node's value (of shape; several outputs packed), for tangent as the tangent
    of operand input position and zeros for the other operands (None for the inputs passed as they are); zeros
    where jvp gives None."""
    tangents = [None] * len(ctx.needs_input_grad)
    positions = [k for k in range(len(tangents)) if k not in ctx._passed]
    for index, (k, operand) in enumerate(zip(positions, operands)):
        value = as_value(operand)
        tangents[k] = tangent if index == position else np.zeros(np.shape(value), np.result_type(value, np.float64))
    saved = ctx.saved_tensors
    if ctx._saved_for_forward is not None:
        ctx.saved_tensors = ctx._saved_for_forward
    try:
        with no_grad():
            out = cls.jvp(ctx, *tangents)
    finally:
        ctx.saved_tensors = saved
    if ctx._layout is None:
        return np.zeros(shape) if out is None else np.asarray(as_value(out), np.result_type(as_value(out), 1.0))
    out = out if isinstance(out, tuple) else (out,)
    pieces = [np.zeros(stop - start) if t is None else np.ravel(as_value(t))
              for t, (start, stop, _, _) in zip(out, ctx._layout) if start is not None]
    return np.concatenate(pieces) if pieces else np.zeros(0)


def _not_differentiable_again(cls):
    """A node passing a gradient backward returned as an array, whose own gradient raises."""
    def refuse(i, g, ans, inputs):
        # forward mode only needs the derivative in grad_output, which a jvp gives (see _transposed_by_jvp)
        forward = "" if cls.jvp is not Function.jvp else (" (for forward mode alone, forward_ad or ag.jvp, a "
                                                          "jvp staticmethod is enough)")
        if getattr(cls.backward, "once_differentiable", False):  # (the wording of PyTorch's error)
            raise RuntimeError(f"trying to differentiate twice a function that was marked with "
                               f"@once_differentiable: {cls.__name__}.backward; write its backward with operations "
                               f"on its Tensor arguments, without the decorator, to differentiate it again{forward}")
        raise RuntimeError(
            f"{cls.__name__}.backward returned an array, not a Tensor, while it was recorded (create_graph=True, "
            f"or a transform such as jvp, hessian or grad of grad), so that gradient cannot be differentiated "
            f"again; compute it with operations on backward's Tensor arguments (operators, NumPy ufuncs) "
            f"instead of their .data or NumPy arrays{forward}")
    if "_once_differentiable" not in cls.__dict__:
        cls._once_differentiable = Primitive(f"{cls.__name__}.backward", lambda grad, *depends_on: np.asarray(grad),
                                             PerInput(refuse))
    return cls._once_differentiable


def _checked_grads(cls, grads, inputs, ctx):
    """backward's gradients, one per operand input (those of inputs passed as they are are dropped), validated."""
    if not isinstance(grads, tuple):
        grads = (grads,)
    count = len(ctx.needs_input_grad)
    if len(grads) > count and all(grad is None for grad in grads[count:]):  # extra Nones: dropped, as PyTorch does
        grads = grads[:count]
    if len(grads) != count:
        raise RuntimeError(
            f"{cls.__name__}.backward returned {len(grads)} gradient(s) but forward took {count} input(s); "
            f"return one per input (None for an input without gradient)"
        )
    for k in ctx._passed:
        if grads[k] is not None:
            raise RuntimeError(f"{cls.__name__}.backward returned a gradient for input {k}, a "
                               f"{type(ctx._passed[k]).__name__}, which has none; return None for it")
    positions = [k for k in range(count) if k not in ctx._passed]
    checked = []
    for k, x in zip(positions, inputs):
        grad, needed = grads[k], ctx.needs_input_grad[k]
        if grad is None or not needed:  # (what backward returns for an input without grad is never used)
            checked.append(None)
            continue
        if not isinstance(grad, Tensor):
            try:
                grad = np.array(grad)  # a copy: backward may return a saved array, and a .grad is added into in place
            except ValueError:  # NumPy's inhomogeneous-shape error
                raise TypeError(f"{cls.__name__}.backward returned a ragged {type(grads[k]).__name__} as the gradient "
                                f"of input {k}; return an ndarray or Tensor of real numbers (or None)") from None
            if grad.dtype.kind not in "biuf":
                raise TypeError(f"{cls.__name__}.backward returned a {type(grads[k]).__name__} of dtype {grad.dtype} "
                                f"as the gradient of input {k}; return an ndarray or Tensor of real numbers (or None)")
        shape, expected = np.shape(as_value(grad)), np.shape(as_value(x))
        if shape != expected and not broadcasts_to(expected, shape):
            raise RuntimeError(
                f"{cls.__name__}.backward returned a gradient of shape {shape} for input {k}, which has shape "
                f"{expected}; it must have that shape, or one the input broadcasts to (then summed down)"
            )
        checked.append(grad)  # backprop sums a broadcast gradient down to its input's shape
    return checked
