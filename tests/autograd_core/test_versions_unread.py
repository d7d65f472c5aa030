"""Values changed in place that no rule of the pass reads (autograd_core/backprop.py's version checks): backward goes
through them, as PyTorch's, which saves no tensor for them; a partial pass refuses only what the rules it runs read; an
ag.Function is refused only for what it saved, a view of an input or of its result counting as them."""
import warnings

import numpy as np
import pytest

import autograd_core as ag


# ---- changes that no rule of the pass reads: backpropagated, as PyTorch ---------------------------------
# Found porting PyTorch's tutorials and by a random-program fuzzer against PyTorch, where each primitive was taken to
# read all its inputs, or all and its result. Each program records y from a leaf w, changes in place a value that no
# rule which runs reads (PyTorch saves no tensor for it), and returns (y, w, w's gradient by the forward pass's
# values, from a formula). `lib` is autograd_core or torch (float64).
_X, _C = np.array([[0.7, 1.3, 1.9], [1.1, 0.6, 1.6]]), np.array([[1.5, 0.8, 1.25], [0.9, 1.7, 1.05]])
_SOFTMAX_X = np.exp(_X) / np.exp(_X).sum(axis=-1, keepdims=True)


def _floats(lib, values, requires_grad=False):
    return lib.tensor(values, dtype=np.float64 if lib is ag else lib.float64, requires_grad=requires_grad)


def _function(lib, name):
    if lib is ag:
        return {"log_softmax": lambda x: ag.log_softmax(x, axis=-1), "softmax": lambda x: ag.softmax(x, axis=-1),
                "softplus": ag.softplus, "relu": ag.relu, "linear": ag.linear}[name]
    functional = lib.nn.functional
    return {"log_softmax": lambda x: functional.log_softmax(x, dim=-1), "softmax": lambda x: lib.softmax(x, dim=-1),
            "softplus": functional.softplus, "relu": lib.relu, "linear": functional.linear}[name]


def _leaf_changed(lib, forward, values=_X):
    w, c = _floats(lib, values, requires_grad=True), _floats(lib, _C)
    y = forward(w, c).sum()
    with lib.no_grad():
        w *= -1.5  # (a rule reading w would give another gradient: relu's mask and softmax change too)
    return y, w


def _result_changed(lib, forward):
    w, c = _floats(lib, _X, requires_grad=True), _floats(lib, _C)
    h = forward(w, c)
    d = h.detach()  # h's memory
    d *= 1.5
    return h.sum(), w


def _linear_stepped(lib):
    # A first layer after an optimizer step: the weight's rule reads the data only, the bias's rule nothing
    weight, bias = _floats(lib, _X, requires_grad=True), _floats(lib, [0.5, -0.5], requires_grad=True)
    y = _function(lib, "linear")(_floats(lib, _C), weight, bias).sum()
    with lib.no_grad():
        weight -= 0.5
        bias -= 0.5
    return y, bias


_UNREAD_CHANGES = {  # name: (program(lib) -> (y, w), w's gradient)
    "a dividend, the divisor a number": (lambda lib: _leaf_changed(lib, lambda w, c: w / 3.0),
                                         np.full((2, 3), 1 / 3)),
    "a dividend, the divisor a constant": (lambda lib: _leaf_changed(lib, lambda w, c: w / c), 1 / _C),
    "a quotient, the divisor a number": (lambda lib: _result_changed(lib, lambda w, c: w / 3.0),
                                         np.full((2, 3), 1 / 3)),
    "matmul's operand, the other a constant": (lambda lib: _leaf_changed(lib, lambda w, c: w @ c.T),
                                               np.ones((2, 2)) @ _C),
    "linear's weight, the input a constant": (
        lambda lib: _leaf_changed(lib, lambda w, c: _function(lib, "linear")(c, w)), np.ones((2, 2)) @ _C),
    "linear's weight and bias stepped, the input a constant": (_linear_stepped, [2.0, 2.0]),
    "a cube": (lambda lib: _result_changed(lib, lambda w, c: w ** 3), 3 * _X ** 2),
    "softplus's result": (lambda lib: _result_changed(lib, lambda w, c: _function(lib, "softplus")(w)),
                          1 / (1 + np.exp(-_X))),
    "relu's input": (lambda lib: _leaf_changed(lib, lambda w, c: _function(lib, "relu")(w) * c, _X - 1.0),
                     _C * (_X > 1.0)),
    "log_softmax's input": (lambda lib: _leaf_changed(lib, lambda w, c: _function(lib, "log_softmax")(w) * c),
                            _C - _SOFTMAX_X * _C.sum(axis=-1, keepdims=True)),
    "softmax's input (the exp of log_softmax)": (
        lambda lib: _leaf_changed(lib, lambda w, c: _function(lib, "softmax")(w) * c),
        _SOFTMAX_X * (_C - (_SOFTMAX_X * _C).sum(axis=-1, keepdims=True))),
}


@pytest.mark.parametrize("name", _UNREAD_CHANGES)
def test_a_change_no_rule_of_the_pass_reads_is_not_refused_and_leaves_the_forward_passs_gradient(name):
    program, expected = _UNREAD_CHANGES[name]
    y, w = program(ag)
    y.backward()
    np.testing.assert_allclose(w.grad.data, expected, rtol=1e-12)


@pytest.mark.parametrize("name", _UNREAD_CHANGES)
def test_pytorch_backpropagates_the_same_programs_to_the_same_gradients(name):
    torch = pytest.importorskip("torch")
    program, expected = _UNREAD_CHANGES[name]
    y, w = program(torch)
    y.backward()
    np.testing.assert_allclose(w.grad.numpy(), expected, rtol=1e-12)


def test_a_partial_pass_refuses_only_what_the_rules_it_runs_read():
    # ag.grad runs the rules on the paths from its argument only: multiply's rule for h (it reads w) runs, the rule
    # for w (it reads h) does not, so a change to h is not refused there; a change to w is. (torch.autograd.grad
    # refuses both: its node unpacks every saved value, whichever gradients the pass asks for.)
    def f(x, w, change):
        h = x * 2.0
        y = (h * w).sum()
        d = (h if change == "h" else w).detach()  # the memory of h or of w
        d += 1.0
        return y

    w = ag.tensor([3.0, 4.0], requires_grad=True)
    g = ag.grad(lambda x: f(x, w, "h"))(ag.tensor([1.0, 2.0]))
    np.testing.assert_array_equal(g.data, [6.0, 8.0])  # 2 w, with the recorded w
    with pytest.raises(RuntimeError, match="'multiply' node saved for its gradient, an input"):
        ag.grad(lambda x: f(x, ag.tensor([3.0, 4.0], requires_grad=True), "w"))(ag.tensor([1.0, 2.0]))


def test_a_refused_backward_runs_no_gradient_rule_on_the_changed_value():
    # Refused before the rule runs, as PyTorch refuses when a rule unpacks the saved value: max's rule on the
    # changed w would divide by zero (no entry equals the recorded max), with NumPy's warning.
    w = ag.tensor([[1.0, 2.0]], requires_grad=True)
    y = w.max()
    with ag.no_grad():
        w -= 0.5
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        with pytest.raises(RuntimeError, match=r"the 'max' node saved for its gradient, an input \(shapes \(1, 2\)\)"):
            y.backward()


def test_a_function_whose_saved_input_changed_is_refused_before_its_backward_reads_it_as_pytorch():
    ran = []

    class Reciprocal(ag.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return 1.0 / x

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            ran.append(np.array(x, copy=True))
            return -g / x ** 2

    x = ag.tensor([1.0, 2.0], requires_grad=True)
    y = Reciprocal.apply(x).sum()
    with ag.no_grad():
        x[0] = 0.0
    with np.errstate(divide="ignore"), pytest.raises(RuntimeError, match="'Reciprocal' node saved for its gradient"):
        y.backward()
    assert ran == [], "backward ran on the changed value"


@pytest.mark.parametrize("what", ["input", "output"])
def test_a_function_that_saves_nothing_backpropagates_after_its_input_or_output_changed_as_pytorch(what):
    # PyTorch checks only the tensors given to ctx.save_for_backward: a Function that saves nothing (its rule is
    # 2 g) backpropagates after its input or its output changed in place, to the forward pass's gradient 2.
    torch = pytest.importorskip("torch")

    def run(lib, function):
        dtype = np.float64 if lib is ag else lib.float64
        x = lib.tensor([1.0, 2.0], dtype=dtype, requires_grad=True)
        h = function.apply(x)
        with lib.no_grad():
            target = x if what == "input" else h.detach()
            target += 1.0
        h.sum().backward()
        return np.asarray(x.grad.data if lib is ag else x.grad.numpy())

    class Double(ag.Function):
        forward = staticmethod(lambda ctx, x: x * 2)
        backward = staticmethod(lambda ctx, g: g * 2)

    class TorchDouble(torch.autograd.Function):
        forward = staticmethod(lambda ctx, x: x * 2)
        backward = staticmethod(lambda ctx, g: g * 2)

    np.testing.assert_array_equal(run(torch, TorchDouble), [2.0, 2.0])
    np.testing.assert_array_equal(run(ag, Double), run(torch, TorchDouble))


class SavesATransposeAndItsResult(ag.Function):
    """x @ x.T for a matrix x: backward reads x through the view x.T it saved, and the result it saved."""

    @staticmethod
    def forward(ctx, x):
        out = x @ x.T
        ctx.save_for_backward(x.T, out)
        return out

    @staticmethod
    def backward(ctx, g):
        xt, _ = ctx.saved_tensors
        return (g + g.T) @ xt.T


@pytest.mark.parametrize("what, refused", [("input", True), ("output", True), ("nothing", False)])
def test_a_function_saving_a_view_of_its_input_or_its_result_is_refused_after_either_changed(what, refused):
    # A saved view shares its input's memory: a change to the input changes what backward reads, so it counts.
    x = ag.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    h = SavesATransposeAndItsResult.apply(x)
    with ag.no_grad():
        if what == "input":
            x += 1.0
        elif what == "output":
            detached = h.detach()
            detached += 1.0
    if refused:
        with pytest.raises(RuntimeError, match="'SavesATransposeAndItsResult' node saved for its gradient"):
            h.sum().backward()
    else:
        h.sum().backward()
        np.testing.assert_allclose(x.grad.data, 2 * np.ones((2, 2)) @ x.data)  # d sum(x x^T)/dx = (G + G^T) x
