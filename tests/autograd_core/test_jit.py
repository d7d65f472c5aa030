"""ag.jit (autograd_core/jit.py), PyTorch's torch.jit as eager code sees it: is_scripting()/is_tracing() False, the
TorchScript markers leave functions and values as they are, script and trace refused with the way."""
import numpy as np
import pytest

import autograd_core as ag
import nn


def test_nothing_is_scripted_or_traced():
    assert ag.jit.is_scripting() is False and ag.jit.is_tracing() is False


def test_the_markers_return_the_function_itself():
    def double(x):
        return 2 * x
    assert ag.jit.unused(double) is double
    assert ag.jit.export(double) is double
    assert ag.jit.ignore(double) is double
    assert ag.jit.ignore(drop=True)(double) is double
    assert ag.jit._overload_method(double) is double
    values = [ag.tensor(1.0)]
    assert ag.jit.annotate(list, values) is values


def test_scriptable_model_code_runs_as_written():
    class Block(nn.Module):  # the pattern of torchvision's DenseNet layer
        def __init__(self):
            super().__init__()
            self.linear = nn.Linear(2, 2)

        @ag.jit.unused
        def checkpointed(self, x):
            return self.linear(x)

        def forward(self, x):
            if ag.jit.is_scripting():
                raise AssertionError("eager code never sees scripting")
            outputs = ag.jit.annotate(list, [])
            outputs.append(self.checkpointed(x))
            return outputs[0]

    x = ag.tensor([[1.0, 2.0]])
    block = Block()
    expected = x.data @ block.linear.weight.data.T + block.linear.bias.data  # hand reference
    np.testing.assert_allclose(block(x).data, expected, rtol=1e-6)


@pytest.mark.parametrize("name", ["script", "trace"])
def test_script_and_trace_are_refused_naming_the_way(name):
    with pytest.raises(RuntimeError, match=rf"^jit\.{name}: there is no TorchScript here; call the Module"):
        getattr(ag.jit, name)(nn.Linear(2, 2), ag.zeros((1, 2)))


def test_the_answers_and_markers_are_pytorchs_in_eager_mode():
    torch = pytest.importorskip("torch")
    assert ag.jit.is_scripting() == torch.jit.is_scripting() and ag.jit.is_tracing() == torch.jit.is_tracing()
    assert ag.jit.annotate(list, [3]) == torch.jit.annotate(list, [3])
    for name in ["is_scripting", "is_tracing", "unused", "ignore", "export", "annotate", "script", "trace",
                 "_overload_method"]:
        assert hasattr(torch.jit, name) and hasattr(ag.jit, name)


def test_final_annotates_a_class_body_as_torch_jit_final():
    import typing

    class LayerNorm2d(nn.LayerNorm):  # timm's pattern: the annotation is evaluated when the class is made
        _fast_norm: ag.jit.Final[bool]

        def __init__(self, num_channels):
            super().__init__(num_channels)
            self._fast_norm = False

    assert ag.jit.Final is typing.Final
    assert LayerNorm2d.__annotations__["_fast_norm"] == typing.Final[bool]
    assert LayerNorm2d(3)._fast_norm is False
    torch = pytest.importorskip("torch")
    assert ag.jit.Final is torch.jit.Final
