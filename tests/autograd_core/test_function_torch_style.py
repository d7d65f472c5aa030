"""ag.Function code written for PyTorch (autograd_core/function.py): forward and backward get NumPy arrays, so a
Tensor method or PyTorch's dim= on them is named as such (the fastbook ReLU, entmax's first line), and a forward that
builds its output with ag operations (a Tensor) and saves it gives that recorded output to a second backward."""
import re

import numpy as np
import pytest

import autograd_core as ag


class TorchStyleRelu(ag.Function):  # fastbook chapter 17's MyRelu, as written for PyTorch
    @staticmethod
    def forward(ctx, i):
        result = i.clamp_min(0.)
        ctx.save_for_backward(i)
        return result

    @staticmethod
    def backward(ctx, grad_output):
        i, = ctx.saved_tensors
        return grad_output * (i > 0).float()


class TorchStyleReluBackward(TorchStyleRelu):  # the forward mended as the message advises, backward left
    @staticmethod
    def forward(ctx, i):
        ctx.save_for_backward(i)
        return ag.as_tensor(i).clamp_min(0.)


class MendedRelu(TorchStyleReluBackward):
    @staticmethod
    def backward(ctx, grad_output):
        i, = ctx.saved_tensors
        return grad_output * ag.as_tensor(i > 0).float()


def test_a_tensor_method_on_forwards_ndarray_says_forward_gets_arrays():
    x = ag.tensor([-1.0, 0.5, 2.0], requires_grad=True)
    with pytest.raises(AttributeError, match=r"TorchStyleRelu\.forward: 'numpy\.ndarray' object has no attribute "
                                             r"'clamp_min'; an ag\.Function's forward gets its Tensor inputs as NumPy "
                                             r"arrays \(PyTorch's gets Tensors\).*np\.maximum\(i, 0\.\)") as info:
        TorchStyleRelu.apply(x)
    assert info.value.name == "clamp_min"


def test_a_tensor_method_on_backwards_ndarray_says_backward_gets_arrays():
    x = ag.tensor([-1.0, 0.5, 2.0], requires_grad=True)
    y = TorchStyleReluBackward.apply(x)
    with pytest.raises(AttributeError, match=r"TorchStyleReluBackward\.backward: .*no attribute 'float'; an "
                                             r"ag\.Function's backward gets grad_output and the saved values as NumPy "
                                             r"arrays.*\(i > 0\)\.astype\(np\.float32\)"):
        y.sum().backward()


class TorchStyleSparsemaxShift(ag.Function):  # entmax's first line: PyTorch's keywords on forward's ndarray
    @staticmethod
    def forward(ctx, x, dim=0):
        max_val, _ = x.max(dim=dim, keepdim=True)
        return x - max_val


def test_torchs_dim_keyword_on_an_ndarray_says_forward_gets_arrays():
    x = ag.tensor([[1.0, 3.0], [2.0, 0.0]], requires_grad=True)
    with pytest.raises(TypeError, match=r"TorchStyleSparsemaxShift\.forward: .*unexpected keyword argument 'dim'; an "
                                        r"ag\.Function's forward gets its Tensor inputs as NumPy arrays .*not dim=: "
                                        r"write x\.max\(axis=d, keepdims=True\)"):
        TorchStyleSparsemaxShift.apply(x, 1)
    # the spelling it names gives PyTorch's values
    shifted = x.data - ag.as_tensor(x.data).amax(dim=1, keepdim=True).data
    np.testing.assert_array_equal(shifted, [[-2.0, 0.0], [0.0, -2.0]])

    class OtherTypeError(ag.Function):
        @staticmethod
        def forward(ctx, x):
            return np.sum(x, where=1, nonsense=2)

    with pytest.raises(TypeError, match="nonsense") as info:  # other TypeErrors pass as they were
        OtherTypeError.apply(x)
    assert "as NumPy arrays" not in str(info.value)


# Per method: the two spellings the advice names, each written out, and PyTorch's values by hand (rows of VALUES).
VALUES = [[1.0, 3.0, 4.0], [2.0, 0.0, 7.0]]
SPELLINGS = [
    ("sum", "x.sum(axis=d, keepdims=True)", lambda a: a.sum(axis=1, keepdims=True),
     "x.sum(dim=d, keepdim=True)", lambda t: t.sum(dim=1, keepdim=True), [[8.0], [9.0]]),
    ("var", "x.var(axis=d, ddof=1, keepdims=True)", lambda a: a.var(axis=1, ddof=1, keepdims=True),
     "x.var(dim=d, keepdim=True, correction=1)", lambda t: t.var(dim=1, keepdim=True, correction=1),
     [[7.0 / 3], [13.0]]),
    ("cumsum", "x.cumsum(axis=d)", lambda a: a.cumsum(axis=1),
     "x.cumsum(dim=d)", lambda t: t.cumsum(dim=1), [[1.0, 4.0, 8.0], [2.0, 2.0, 9.0]]),
]


@pytest.mark.parametrize("method, numpy_call, by_numpy, tensor_call, by_tensor, expected", SPELLINGS)
def test_torchs_dim_keyword_advice_names_the_method_called(method, numpy_call, by_numpy, tensor_call, by_tensor,
                                                           expected):
    class TorchStyleReduction(ag.Function):  # as sparsemax's backward: grad_input.sum(dim=dim)
        @staticmethod
        def forward(ctx, x):
            return getattr(x, method)(dim=1)

    x = ag.tensor(VALUES, requires_grad=True)
    with pytest.raises(TypeError, match=r"TorchStyleReduction\.forward: .*'dim'.*not dim=: write "
                                        + re.escape(numpy_call) + r", or call the method on ag\.as_tensor\(x\) \("
                                        + re.escape(tensor_call) + " there"):
        TorchStyleReduction.apply(x)
    # both spellings named give PyTorch's values
    np.testing.assert_allclose(by_numpy(np.array(VALUES)), expected, rtol=1e-15)
    np.testing.assert_allclose(by_tensor(ag.tensor(VALUES)).data, expected, rtol=1e-15)
    torch = pytest.importorskip("torch")
    in_torch = getattr(torch.tensor(VALUES, dtype=torch.float64), method)(dim=1).numpy()
    np.testing.assert_allclose(in_torch.reshape(np.shape(expected)), expected, rtol=1e-15)


def test_other_attribute_errors_in_forward_pass_unchanged():
    class Broken(ag.Function):
        @staticmethod
        def forward(ctx, x):
            return x.no_such_method()

    with pytest.raises(AttributeError, match=r"^'numpy\.ndarray' object has no attribute 'no_such_method'$"):
        Broken.apply(ag.tensor([1.0]))


def test_the_mended_relu_gives_relus_values_and_gradients_as_torch():
    values = np.array([-1.0, 0.5, 2.0, -0.25])
    weights = np.array([1.0, 2.0, 3.0, 4.0])
    x = ag.tensor(values, requires_grad=True)
    y = MendedRelu.apply(x)
    (y * weights).sum().backward()
    np.testing.assert_array_equal(y.data, np.maximum(values, 0.0))
    np.testing.assert_array_equal(x.grad.data, weights * (values > 0))
    torch = pytest.importorskip("torch")

    class MyRelu(torch.autograd.Function):
        forward = TorchStyleRelu.forward
        backward = TorchStyleRelu.backward

    xt = torch.tensor(values, requires_grad=True)
    yt = MyRelu.apply(xt)
    (yt * torch.tensor(weights)).sum().backward()
    np.testing.assert_array_equal(y.data, yt.detach().numpy())
    np.testing.assert_array_equal(x.grad.data, xt.grad.numpy())


# ---- a saved output that forward made with ag operations (a Tensor), as PyTorch's code is ported

class ExpSavingItsTensorOutput(ag.Function):
    """PyTorch's double-backward tutorial's Exp: forward saves and returns torch.exp(x), here ag.exp(x), a Tensor."""

    @staticmethod
    def forward(ctx, x):
        result = ag.exp(x)
        ctx.save_for_backward(result)
        return result

    @staticmethod
    def backward(ctx, grad_out):
        (result,) = ctx.saved_tensors
        return result * grad_out


def test_a_saved_tensor_output_is_the_recorded_output_in_a_second_backward():
    x = ag.tensor([-0.5, 0.2, 1.3], requires_grad=True)
    assert ag.testing.gradcheck(ExpSavingItsTensorOutput.apply, x)
    assert ag.testing.gradgradcheck(ExpSavingItsTensorOutput.apply, x)  # it gave 0 for exp'' before
    (g,) = ag.autograd.grad(ExpSavingItsTensorOutput.apply(x).sum(), x, create_graph=True)
    (gg,) = ag.autograd.grad((g * g).sum(), x)
    np.testing.assert_allclose(gg.data, 2 * np.exp(2 * x.data), rtol=1e-14)  # d/dx sum(e^2x)
    torch = pytest.importorskip("torch")
    t = torch.tensor(x.data, requires_grad=True)
    (tg,) = torch.autograd.grad(torch.exp(t).sum(), t, create_graph=True)
    (tgg,) = torch.autograd.grad((tg * tg).sum(), t)
    np.testing.assert_allclose(gg.data, tgg.numpy(), rtol=1e-14)


def test_a_saved_tensor_output_changed_in_place_is_refused_by_backward():
    x = ag.tensor([0.5, 1.0], requires_grad=True)
    y = ExpSavingItsTensorOutput.apply(x)
    y.detach().add_(1.0)  # the output's memory, which backward reads (it went unnoticed, a wrong gradient)
    with pytest.raises(RuntimeError, match="'ExpSavingItsTensorOutput' node saved .* its output, was changed in place"):
        y.sum().backward()


def _doubling(base, vjp_too=False):
    """A Function of base (ag's or torch's) computing 2 x whose backward is named vjp, PyTorch's other name for it
    (test_autograd.py's gradcheck tests write theirs so); vjp_too: backward defined as well."""
    class Doubling(base):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def vjp(ctx, g):
            return g * 2
        if vjp_too:
            backward = staticmethod(lambda ctx, g: g * 2)
    return Doubling


def test_a_backward_named_vjp_is_backward_as_torchs():
    # (here it raised "Function subclasses must define a static backward(ctx, grad_output)")
    x = ag.tensor([1.0, 3.0], requires_grad=True)
    _doubling(ag.Function).apply(x).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [2.0, 2.0])
    assert ag.autograd.gradcheck(_doubling(ag.Function).apply, x)
    with pytest.raises(RuntimeError, match="Implementing both 'backward' and 'vjp'"):  # (torch's pattern)
        _doubling(ag.Function, vjp_too=True)
    torch = pytest.importorskip("torch")
    t = torch.tensor([1.0, 3.0], requires_grad=True)
    _doubling(torch.autograd.Function).apply(t).sum().backward()
    np.testing.assert_array_equal(t.grad.numpy(), [2.0, 2.0])
    with pytest.raises(RuntimeError, match="Implementing both 'backward' and 'vjp'"):  # (torch: at backward)
        _doubling(torch.autograd.Function, vjp_too=True).apply(t).sum().backward()


def _tripling(base):
    """A Function of base (ag's or torch's) computing 3 x, with a backward."""
    class Tripling(base):
        forward = staticmethod(lambda ctx, x: x * 3)
        backward = staticmethod(lambda ctx, g: g * 3)
    return Tripling


def test_a_vjp_over_a_base_classs_backward_is_refused_and_function_has_vjp_as_torch():
    # a subclass's vjp silently replaced its base's backward (torch refuses both), and ag.Function.vjp did not exist
    def case(module):
        assert module.autograd.Function.vjp is module.autograd.Function.backward  # (torch's alias)
        x = module.tensor([1.0, 3.0], requires_grad=True)
        with pytest.raises(RuntimeError, match="Implementing both 'backward' and 'vjp'"):
            class Wrong(_tripling(module.autograd.Function)):
                vjp = staticmethod(lambda ctx, g: g * 5)
            Wrong.apply(x).sum().backward()  # (torch raises here; ours on defining the class)
        with pytest.raises(RuntimeError, match="Implementing both 'backward' and 'vjp'"):
            class AlsoWrong(_doubling(module.autograd.Function)):
                backward = staticmethod(lambda ctx, g: g * 5)
            AlsoWrong.apply(x).sum().backward()

        class Inherited(_doubling(module.autograd.Function)):  # a base's vjp, kept or replaced by another vjp
            pass

        class Replaced(_doubling(module.autograd.Function)):
            vjp = staticmethod(lambda ctx, g: g * 7)
        grads = []
        for function in (Inherited, Replaced):
            x.grad = None
            function.apply(x).sum().backward()
            grads.append(x.grad.tolist())
        return grads
    assert case(ag) == case(pytest.importorskip("torch")) == [[2.0, 2.0], [7.0, 7.0]]


# Found by porting PyTorch's test_autograd.py: a Python number among a Function's outputs came back a Tensor
def test_a_python_number_output_comes_back_as_it_is_with_a_none_gradient_as_pytorch():
    torch = pytest.importorskip("torch")

    def run(lib):
        seen = []

        class Stats(torch.autograd.Function if lib is torch else ag.Function):
            @staticmethod
            def forward(ctx, x):
                return x * 2, 5, 2.5, True  # (a count, a scale, a flag)

            @staticmethod
            def backward(ctx, g, count, scale, flag):
                seen.append((count, scale, flag))
                return g * 2

        x = lib.tensor([1.0, 2.0], dtype=lib.float64, requires_grad=True)
        y, count, scale, flag = Stats.apply(x)
        y.sum().backward()
        return [(type(v).__name__, v) for v in (count, scale, flag)], seen, x.grad.tolist()

    assert run(ag) == run(torch) == ([("int", 5), ("float", 2.5), ("bool", True)], [(None, None, None)], [2.0, 2.0])
