"""Session 27 (P3): ModuleList.extend and Sequential.extend given one module (or another non-iterable) raise a
TypeError naming the method and suggesting append, as PyTorch's ModuleList.extend names itself, where Python's bare
"'ReLU' object is not iterable" escaped.
"""
import pytest

import nn


@pytest.mark.parametrize("container", [nn.ModuleList([nn.ReLU()]), nn.Sequential(nn.ReLU())])
def test_extend_refuses_a_single_module_with_a_hint(container):
    with pytest.raises(TypeError, match=r"\.extend: expected an iterable of modules, got Tanh; to add one module, "
                                        r"use append"):
        container.extend(nn.Tanh())
    with pytest.raises(TypeError, match=r"\.extend: expected an iterable of modules, got int$"):
        container.extend(5)
    assert len(container) == 1


def test_extend_still_takes_iterables_and_itself():
    blocks = nn.ModuleList([nn.ReLU()])
    blocks.extend(nn.Sequential(nn.Tanh(), nn.Sigmoid()))
    blocks.extend(blocks)
    assert [type(m).__name__ for m in blocks] == ["ReLU", "Tanh", "Sigmoid"] * 2
