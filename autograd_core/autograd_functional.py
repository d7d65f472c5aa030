"""PyTorch's torch.autograd.functional, for code ported from it (`ag.autograd.functional`): jacobian, hessian, vjp,
jvp, hvp and vhp, taking func and its inputs at once (a Tensor or a tuple of Tensors, the results mirroring that),
with PyTorch's create_graph, strict, vectorize and strategy arguments and its errors.

They are adapters: the engine's transforms (transforms.py: jacobian, vjp, transposed_vjp; transforms_hessian.py:
hvp, vhp) do the work, jacobian's vectorize=False loop and jvp being PyTorch's own (a backward pass from each element
of each output; the double-backward trick from each output), on func wrapped so that
- its outputs (a Tensor or a tuple of them) are checked as PyTorch checks them, and given to the transform as a tuple
  (a structured output, which the transforms join into one flat vector and cut their results back from), an
  integer or boolean one as a constant of the inputs' float type (its derivatives zeros, as PyTorch's; jvp refuses
  it, as PyTorch's);
- with strict=True, f's graph is inspected before the transform differentiates it: an output that does not depend on
  an input raises PyTorch's message instead of giving zeros.
create_graph=False runs the transform under no_grad (nothing is recorded for the results, which come back detached,
outputs too); create_graph=True records, the results carrying the graph of each input that requires grad (an input
that does not is replaced by a fresh leaf that does, as PyTorch's, so the results require grad as PyTorch's do).
With create_graph, a block of jacobian (and hessian) and a piece of jvp require grad as PyTorch's do: only where
their own output's gradients do (one for an output linear in the inputs does not, and strict refuses it); jacobian
with vectorize=True as PyTorch's one batched pass over all outputs at once (here the engine's jacobian of the joined
outputs), where any output's gradient with respect to that input does.
vectorize and strategy accept PyTorch's values with PyTorch's refusals; the values always come from reverse-mode
backward passes, one per output element, so forward-mode gives PyTorch's values and dtypes, not its cost.
"""
import numpy as np

from ._arguments import as_flag
from .backprop import gradients_to, topological_order
from .creation import ones_like
from .grad_mode import enable_grad, no_grad
from .tensor import GradDtypeError, Tensor
from .transforms import _as_argument, _as_dtype, transposed_vjp, vjp as _vjp
from .transforms_jacobian import _jacobians, _zero_jacobian, jacobian as _jacobian
from .transforms_hessian import hvp as _hvp, vhp as _vhp

__all__ = ["hessian", "hvp", "jacobian", "jvp", "vhp", "vjp"]

_STRATEGIES = ("forward-mode", "reverse-mode")


def jacobian(func, inputs, create_graph=False, strict=False, vectorize=False, strategy="reverse-mode"):
    """PyTorch's torch.autograd.functional.jacobian: the Jacobian of func at inputs, of shape output.shape +
    input.shape, in the input's dtype (the output's with strategy="forward-mode"). A single Tensor for one input and
    one output; a tuple over the inputs or over the outputs when inputs or func's result is a tuple; a tuple (over the
    outputs) of tuples (over the inputs) when both are.

    >>> import autograd_core as ag
    >>> x, y = ag.tensor([1.0, 2.0]), ag.tensor(3.0)
    >>> ag.autograd.functional.jacobian(lambda x: x ** 2, x)
    Tensor([[2., 0.],
            [0., 4.]])
    >>> ag.autograd.functional.jacobian(lambda x, y: (x * y, y.exp()), (x, y))[0]
    (Tensor([[3., 0.],
            [0., 3.]]), Tensor([1., 2.]))
    """
    create_graph, strict, vectorize = _flags("jacobian", create_graph, strict, vectorize)
    _check_strategy("jacobian", "strategy", strategy)
    if strategy == "forward-mode":
        if create_graph:
            raise NotImplementedError("torch.autograd.functional.jacobian: `create_graph=True` and "
                                      "`strategy=\"forward-mode\"` are not supported together (yet). Please either "
                                      "set `create_graph=False` or `strategy=\"reverse-mode\"`.")
        if strict:
            raise RuntimeError("torch.autograd.functional.jacobian: `strict=True` and `strategy=\"forward-mode\"` are "
                               "not supported together (yet). Please either set `strict=False` or "
                               "`strategy=\"reverse-mode\"`.")
    is_inputs_tuple, inputs = _as_inputs(inputs, "jacobian")
    if strategy == "forward-mode" and not vectorize:
        raise NotImplementedError("Computing Jacobian using forward-AD or forward-over-reverse Hessian is only "
                                  "implemented for `vectorize=True`.")
    traced = _Traced(func, "jacobian", strict, vectorize_with_strict=vectorize)
    with _recording(create_graph):
        prepared = _prepared(inputs, create_graph)
        rows = _jacobian(traced, tuple(range(len(inputs))))(*prepared) if vectorize else \
            _jacobian_rows(traced, prepared)
    jacobians = []
    for i, (output, row) in enumerate(zip(traced.outputs, rows)):  # (a row of blocks per output, one per input)
        blocks = []
        for j, block in enumerate(row):
            if strategy == "forward-mode":  # (PyTorch's: the tangents', the output's dtype)
                block = _as_dtype(block, output.dtype)
            if strict and not traced.reached[i][j]:  # (strict's two refusals block by block, in PyTorch's order)
                raise RuntimeError(f"Output {i} of the user-provided function is independent of input {j}. This is "
                                   f"not allowed in strict mode.")
            if strict and create_graph and not block.requires_grad:
                raise RuntimeError(f"The jacobian of the user-provided function is independent of input {j}. This "
                                   f"is not allowed in strict mode when create_graph=True.")
            blocks.append(block)
        jacobians.append(tuple(blocks))
    return _unpacked(_detached(tuple(jacobians), create_graph), traced.is_tuple, is_inputs_tuple)


def _jacobian_rows(traced, inputs):
    """One row of blocks per output of traced (a block per input, of shape output.shape + input.shape), as PyTorch's
    loop: one backward pass from each element of each output (transforms_jacobian._jacobians), so a block requires grad
    (under create_graph) only where its own output's gradients do, and is zeros where the output does not reach the
    input (the engine's jacobian of the joined outputs passed the other outputs' zero cotangents through their graphs
    too)."""
    nodes, outputs = _traced_on_nodes(traced, inputs, "jacobian")
    return [tuple(_jacobians(output, nodes)) if output.requires_grad else
            tuple(_zero_jacobian(output, node) for node in nodes) for output in outputs]


def hessian(func, inputs, create_graph=False, strict=False, vectorize=False, outer_jacobian_strategy="reverse-mode"):
    """PyTorch's torch.autograd.functional.hessian: the Hessian of scalar func at inputs, as PyTorch computes it,
    the jacobian of its jacobian: of shape input.shape + input.shape for one input; for a tuple of inputs a tuple of
    tuples, block [i][j] of shape inputs[i].shape + inputs[j].shape.

    >>> import autograd_core as ag
    >>> ag.autograd.functional.hessian(lambda x: (x ** 3).sum(), ag.tensor([1.0, 2.0]))
    Tensor([[ 6.,  0.],
            [ 0., 12.]])
    """
    create_graph, strict, vectorize = _flags("hessian", create_graph, strict, vectorize)
    is_inputs_tuple, inputs = _as_inputs(inputs, "hessian")
    _check_strategy("hessian", "outer_jacobian_strategy", outer_jacobian_strategy)

    def scalar_func(*args):
        return _scalar_output(func(*args), "hessian", strict).reshape(())  # (PyTorch's out.squeeze())

    def jacobian_func(*args):
        jacobians = jacobian(scalar_func, args, create_graph=True)
        if strict:
            for i, jac in enumerate(jacobians):
                if not jac.requires_grad:
                    raise RuntimeError(_INDEPENDENT_JACOBIAN.format(i))
        return jacobians

    hessians = jacobian(jacobian_func, inputs, create_graph, strict, vectorize, outer_jacobian_strategy)
    return _unpacked(hessians, is_inputs_tuple, is_inputs_tuple)


def vjp(func, inputs, v=None, create_graph=False, strict=False):
    """PyTorch's torch.autograd.functional.vjp: (func(inputs), v @ J), the vector-Jacobian product shaped as the
    inputs. v, shaped as func's outputs (a tuple for a tuple), may be left out for an output of one element.

    >>> import autograd_core as ag
    >>> ag.autograd.functional.vjp(lambda x: x ** 2, ag.tensor([1.0, 2.0]), ag.tensor([1.0, 10.0]))
    (Tensor([1., 4.]), Tensor([ 2., 40.]))
    """
    create_graph, strict = _flags("vjp", create_graph, strict)
    is_inputs_tuple, inputs = _as_inputs(inputs, "vjp")
    traced = _Traced(func, "vjp", strict)
    with _recording(create_graph):
        _, vjp_fn = _vjp(traced, *_prepared(inputs, create_graph))
        if v is None:
            _only_one_element(traced.outputs, "user-provided function returns a single Tensor")
            v = tuple(ones_like(output) for output in traced.outputs)
        else:
            v = _checked_v(v, traced.outputs, traced.is_tuple, "vjp", create_graph)
        if strict:
            traced.check_dependence()
        products = vjp_fn(v)
        _check_dependence_of_results(products, strict, create_graph, "jacobian")
    return (_unpacked(_detached(traced.outputs, create_graph), traced.is_tuple),
            _unpacked(_detached(products, create_graph), is_inputs_tuple))


def jvp(func, inputs, v=None, create_graph=False, strict=False):
    """PyTorch's torch.autograd.functional.jvp: (func(inputs), J @ v), the Jacobian-vector product shaped as the
    outputs. v, shaped as the inputs (a tuple for a tuple), may be left out for a single input of one element.

    >>> import autograd_core as ag
    >>> ag.autograd.functional.jvp(lambda x: x ** 2, ag.tensor([1.0, 2.0]), ag.tensor([1.0, 10.0]))
    (Tensor([1., 4.]), Tensor([ 2., 40.]))
    """
    create_graph, strict = _flags("jvp", create_graph, strict)
    is_inputs_tuple, inputs = _as_inputs(inputs, "jvp")
    v = _default_or_checked_v(v, inputs, is_inputs_tuple, "jvp", create_graph)
    traced = _Traced(func, "jvp", strict, check_each_output=True)
    with _recording(create_graph):
        products = _jvp_products(traced, _prepared(inputs, create_graph), v, create_graph)
        _check_dependence_of_results(products, strict, create_graph, "jacobian")
    return (_unpacked(_detached(traced.outputs, create_graph), traced.is_tuple),
            _unpacked(_detached(products, create_graph), traced.is_tuple))


def hvp(func, inputs, v=None, create_graph=False, strict=False):
    """PyTorch's torch.autograd.functional.hvp: (func(inputs), H @ v) for scalar func, shaped as the inputs, without
    forming H (ag.hvp). v may be left out for a single input of one element.

    >>> import autograd_core as ag
    >>> ag.autograd.functional.hvp(lambda x: (x ** 3).sum(), ag.tensor([1.0, 2.0]), ag.tensor([1.0, 0.0]))
    (Tensor(9.), Tensor([6., 0.]))
    """
    return _hessian_product(_hvp, func, inputs, v, create_graph, strict, "hvp")


def vhp(func, inputs, v=None, create_graph=False, strict=False):
    """PyTorch's torch.autograd.functional.vhp: (func(inputs), v @ H) for scalar func, shaped as the inputs, without
    forming H (ag.vhp; equal to hvp for a twice continuously differentiable func, and cheaper).

    >>> import autograd_core as ag
    >>> ag.autograd.functional.vhp(lambda x: (x ** 3).sum(), ag.tensor([1.0, 2.0]), ag.tensor([1.0, 0.0]))
    (Tensor(9.), Tensor([6., 0.]))
    """
    return _hessian_product(_vhp, func, inputs, v, create_graph, strict, "vhp")


def _traced_on_nodes(traced, inputs, name):
    """(nodes, outputs): a fresh node per input, as the transforms' (one Tensor given twice gets each its own part;
    ints refused), and traced's outputs on them, recorded whatever the caller's grad mode."""
    with enable_grad():
        nodes = [_as_argument(x, name) for x in inputs]
        return nodes, traced(*nodes)


def _jvp_products(traced, inputs, v, create_graph):
    """J @ v for each output of traced, as PyTorch's: the double-backward trick (transforms.transposed_vjp) from each
    output on its own, so under create_graph a product requires grad only where its own output's does (a piece cut
    from ag.jvp's joined tangent required grad when any did), and is zeros where the output does not reach the
    inputs. An integer or boolean output is refused, as PyTorch's (after strict's check that each output requires
    grad, before its dependence checks): the trick's zero cotangent for it would need to require grad."""
    nodes, outputs = _traced_on_nodes(traced, inputs, "jvp")
    for i, returned in enumerate(traced.outputs):
        if returned.dtype.kind != "f":
            raise GradDtypeError(f"jvp: output {i} of the user-provided function has dtype {returned.dtype}: only "
                                 f"floating point outputs have a Jacobian-vector product (PyTorch's double-backward "
                                 f"trick refuses it too: Only Tensors of floating point and complex dtype can require "
                                 f"gradients); return a float Tensor, or use vjp or jacobian, which give its zeros")
    if traced.strict:
        traced.check_dependence()
    return tuple(transposed_vjp(output, nodes, v, create_graph) if output.requires_grad else
                 Tensor(np.zeros(output.shape, dtype=output.dtype)) for output in outputs)


def _hessian_product(transform, func, inputs, v, create_graph, strict, name):
    create_graph, strict = _flags(name, create_graph, strict)
    is_inputs_tuple, inputs = _as_inputs(inputs, name)
    v = _default_or_checked_v(v, inputs, is_inputs_tuple, name, create_graph)
    outputs = []

    def scalar_func(*nodes):
        output = _scalar_output(func(*nodes), name, strict)
        outputs.append(output)
        if strict:
            _check_hessian_dependence(output, nodes, name)
        return _as_floats(output, nodes)

    with _recording(create_graph):
        _, products = transform(scalar_func, _prepared(inputs, create_graph), v)
        _check_dependence_of_results(products, strict, create_graph, "hessian")
    return (_detached(outputs[0], create_graph), _unpacked(_detached(products, create_graph), is_inputs_tuple))


class _Traced:
    """func as a transform calls it, on the transform's argument nodes: its outputs checked as PyTorch's (a Tensor or
    a tuple of them) and kept, with strict=True the nodes each reaches recorded (the caller raises strict's refusals
    from them in PyTorch's order: check_dependence, or jacobian's block by block), and returned as a tuple (the
    transforms' results then have a piece per output)."""

    def __init__(self, func, name, strict, check_each_output=False, vectorize_with_strict=False):
        self.func, self.name, self.strict = func, name, strict
        self.check_each_output = check_each_output  # jvp's: an output on no input is refused too
        self.vectorize_with_strict = vectorize_with_strict
        self.is_tuple, self.outputs, self.nodes, self.reached = False, (), (), ()

    def __call__(self, *nodes):
        self.is_tuple, self.outputs = _as_tuple(self.func(*nodes), "outputs of the user-provided function", self.name)
        self.nodes = nodes
        if self.strict:
            _check_outputs_require_grad(self.outputs)
            if self.vectorize_with_strict:
                raise RuntimeError("torch.autograd.functional.jacobian: `strict=True` and `vectorized=True` are not "
                                   "supported together. Please either set `strict=False` or `vectorize=False`.")
            self.reached = [_reached(output, nodes) for output in self.outputs]  # (before a pass frees the graph)
        return tuple(_as_floats(output, nodes) for output in self.outputs)

    def check_dependence(self):
        """vjp's and jvp's refusals: an input reached by no output (jvp's: an output that reaches no input too)."""
        reached = self.reached
        for j in range(len(self.nodes)):
            if not any(output_reached[j] for output_reached in reached):
                raise RuntimeError(_INDEPENDENT_OUTPUT.format(j))
        for i, output_reached in enumerate(reached):
            if self.check_each_output and not any(output_reached):
                raise RuntimeError(f"The gradient with respect to the input is independent of entry {i} in the "
                                   f"grad_outputs when using the double backward trick to compute forward mode "
                                   f"gradients. This is not allowed in strict mode.")


_INDEPENDENT_OUTPUT = ("The output of the user-provided function is independent of input {}. This is not allowed in "
                       "strict mode.")
_INDEPENDENT_JACOBIAN = ("While computing the hessian, found that the jacobian of the user-provided function with "
                         "respect to input {} is independent of the input. This is not allowed in strict mode. You "
                         "should ensure that your function is twice differentiable and that the jacobian depends on "
                         "the inputs (this would be violated by a linear function for example).")


def _reached(output, nodes):
    """For each node, whether output's graph reaches it (PyTorch's autograd.grad would give None where not)."""
    if not output.requires_grad:
        return [False] * len(nodes)
    seen = {id(t) for t in topological_order(output)}
    return [id(node) in seen for node in nodes]


def _as_floats(output, nodes):
    """func's output as the transform differentiates it: an integer or boolean one (no gradient reaches it) as a
    constant of the inputs' float type, so that its jacobian, v @ J and Hessian products are zeros, as PyTorch's (the
    engine's transforms refuse such an output); the caller still gets the output itself."""
    if output.dtype.kind == "f":
        return output
    return Tensor(output.data.astype(np.result_type(*(node.dtype for node in nodes))))


def _check_outputs_require_grad(outputs):
    for i, output in enumerate(outputs):
        if not output.requires_grad:
            raise RuntimeError(f"Output {i} of the user-provided function does not require gradients. The outputs "
                               f"must be computed in a differentiable manner from the input when running in strict "
                               f"mode.")


def _check_hessian_dependence(output, nodes, name):
    """strict=True's checks of hvp and vhp, on the gradient of output as PyTorch's first pass makes it."""
    _check_outputs_require_grad((output,))
    gradients = gradients_to(output, list(nodes), retain_graph=True, create_graph=True, where=name)
    for j, gradient in enumerate(gradients):
        if gradient is None:
            raise RuntimeError(_INDEPENDENT_OUTPUT.format(j))
        if not gradient.requires_grad:
            raise RuntimeError(_INDEPENDENT_JACOBIAN.format(j))
    reached = [_reached(gradient, nodes) for gradient in gradients]
    if name == "vhp":  # v @ H: each input reached by some entry of the gradient
        for j in range(len(nodes)):
            if not any(gradient_reached[j] for gradient_reached in reached):
                raise RuntimeError(f"The jacobian of the user-provided function is independent of input {j}. This "
                                   f"is not allowed in strict mode.")
    else:  # H @ v by the double-backward trick: each entry of the gradient on some input
        for i, gradient_reached in enumerate(reached):
            if not any(gradient_reached):
                raise RuntimeError(f"The hessian of the user-provided function is independent of entry {i} in the "
                                   f"grad_jacobian. This is not allowed in strict mode as it prevents from using the "
                                   f"double backward trick to replace forward mode AD.")


def _check_dependence_of_results(results, strict, create_graph, what):
    """strict with create_graph: a result that depends on no input (a linear func's jacobian, a quadratic's hessian)
    is refused, as PyTorch's."""
    if strict and create_graph:
        for i, result in enumerate(results):
            if not result.requires_grad:
                raise RuntimeError(f"The {what} of the user-provided function is independent of input {i}. This is "
                                   f"not allowed in strict mode when create_graph=True.")


def _scalar_output(output, name, strict):
    """func's output for hessian, hvp and vhp, checked as PyTorch's: one Tensor of one element."""
    is_tuple, outputs = _as_tuple(output, "outputs of the user-provided function", name)
    if strict:
        _check_outputs_require_grad(outputs)
    if is_tuple:
        raise RuntimeError(f"The function given to {name} should return a single Tensor")
    if output.size != 1:
        raise RuntimeError(f"The Tensor returned by the function given to {name} should contain a single element "
                           f"(it returned shape {output.shape})")
    return output


def _as_tuple(value, what, name):
    """(whether value is a tuple, value as a tuple of Tensors); anything else refused with PyTorch's message."""
    is_tuple = isinstance(value, tuple)
    values = value if is_tuple else (value,)
    for index, item in enumerate(values):
        if not isinstance(item, Tensor):
            given = f"the value at index {index} has type {type(item)}" if is_tuple else \
                f"the given {what} has type {type(item)}"
            raise TypeError(f"The {what} given to {name} must be either a Tensor or a tuple of Tensors but {given} "
                            f"(ag.tensor(x) makes one).")
    return is_tuple, values


def _as_inputs(inputs, name):
    """(whether inputs is a tuple, inputs as a non-empty tuple of Tensors); PyTorch's fails on () with an IndexError
    (jacobian's and hessian's reached the transform's argnums check, which named neither)."""
    is_tuple, inputs = _as_tuple(inputs, "inputs", name)
    if not inputs:
        raise ValueError(f"{name}: inputs is an empty tuple; give a Tensor or a tuple of at least one Tensor")
    return is_tuple, inputs


def _prepared(inputs, create_graph):
    """The inputs as the transform gets them: without create_graph detached; with it, each that requires grad as it
    is (the results carry its graph) and a fresh leaf for each float one that does not, as PyTorch's."""
    if not create_graph:
        return tuple(x.detach() for x in inputs)
    return tuple(x if x.requires_grad or x.dtype.kind != "f" else x.detach().requires_grad_() for x in inputs)


def _recording(create_graph):
    """The grad mode the transform runs in: it records the results' graph only for create_graph."""
    return enable_grad() if create_graph else no_grad()


def _detached(results, create_graph):
    """results (a Tensor, or tuples of them) cut from the graph unless create_graph, as PyTorch returns them."""
    if create_graph:
        return results
    if isinstance(results, Tensor):
        return results.detach()
    return tuple(_detached(r, create_graph) for r in results)


def _unpacked(results, is_outputs_tuple, is_inputs_tuple=None):
    """results (a tuple over the outputs, of tuples over the inputs when is_inputs_tuple is given) unpacked where the
    caller gave a single Tensor, as PyTorch's."""
    if is_inputs_tuple is not None and not is_inputs_tuple:
        results = tuple(r[0] for r in results)
    return results if is_outputs_tuple else results[0]


def _only_one_element(tensors, what):
    if len(tensors) != 1 or tensors[0].size != 1:
        raise RuntimeError(f"The vector v can only be None if the {what} with a single element.")


def _default_or_checked_v(v, inputs, is_inputs_tuple, name, create_graph):
    """jvp's, hvp's and vhp's v: one Tensor per input, of its shape; 1 for a single input of one element."""
    if v is None:
        _only_one_element(inputs, "input to the user-provided function is a single Tensor")
        return (ones_like(inputs[0]),)
    return _checked_v(v, inputs, is_inputs_tuple, name, create_graph)


def _checked_v(v, others, is_other_tuple, name, create_graph):
    """v as a tuple of Tensors, one of each other's shape (PyTorch's checks and messages); detached unless
    create_graph, as PyTorch's."""
    _, v = _as_tuple(v, "v", name)
    if len(v) != len(others):
        raise RuntimeError(f"v is a tuple of invalid length: should be {len(others)} but got {len(v)}."
                           if is_other_tuple else "The given v should contain a single Tensor.")
    for index, (v_entry, other) in enumerate(zip(v, others)):
        if v_entry.shape != other.shape:
            entry = f"Entry {index} in " if is_other_tuple else ""
            raise RuntimeError(f"{entry}v has invalid size: should be {other.shape} but got {v_entry.shape}.")
    return v if create_graph else tuple(entry.detach() for entry in v)


def _flags(name, create_graph, strict, *rest):
    values = [as_flag(create_graph, name, "create_graph"), as_flag(strict, name, "strict")]
    values += [as_flag(value, name, "vectorize") for value in rest]
    return values


def _check_strategy(name, argument, strategy):
    if strategy not in _STRATEGIES:
        raise ValueError(f"{name}: {argument} must be \"forward-mode\" or \"reverse-mode\", got {strategy!r} (if func "
                         f"has more outputs than inputs, \"forward-mode\" tends to be more performant in PyTorch; "
                         f"otherwise prefer \"reverse-mode\")")
