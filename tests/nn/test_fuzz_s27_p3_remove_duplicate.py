"""Session 27 (P3): named_parameters, named_buffers and named_modules take PyTorch's remove_duplicate=.

remove_duplicate=False lists a shared module, parameter or buffer under each of its names (what tied-weight
detection relies on). Reference: the names PyTorch 2.13 gives for the same model, written out.
"""
import numpy as np
import pytest

import nn


def _tied():
    layer = nn.Linear(2, 2)
    net = nn.Sequential(layer, nn.ReLU(), layer, nn.Sequential(layer, nn.Tanh()))
    shared = nn.Parameter(np.zeros(2))
    net.extra, net.extra2 = shared, shared
    net.register_buffer("b1", np.zeros(1))
    layer.register_buffer("bb", np.zeros(1))
    return net


def test_named_parameters_remove_duplicate_false_lists_each_name():
    net = _tied()
    assert [n for n, _ in net.named_parameters()] == ["extra", "0.weight", "0.bias"]
    names = [n for n, _ in net.named_parameters(remove_duplicate=False)]
    assert names == ["extra", "extra2", "0.weight", "0.bias", "2.weight", "2.bias", "3.0.weight", "3.0.bias"]
    assert [n for n, _ in net.named_parameters(prefix="p", recurse=False, remove_duplicate=False)] == [
        "p.extra", "p.extra2"]
    pairs = dict(net.named_parameters(remove_duplicate=False))
    assert pairs["2.weight"] is pairs["0.weight"] is pairs["3.0.weight"]


def test_named_modules_remove_duplicate_false_lists_each_path():
    net = _tied()
    assert [n for n, _ in net.named_modules()] == ["", "0", "1", "3", "3.1"]
    assert [n for n, _ in net.named_modules(remove_duplicate=False)] == ["", "0", "1", "2", "3", "3.0", "3.1"]
    assert [n for n, _ in net.named_modules(prefix="m", remove_duplicate=False)][:3] == ["m", "m.0", "m.1"]


def test_named_buffers_remove_duplicate_false_lists_each_name():
    net = _tied()
    assert [n for n, _ in net.named_buffers()] == ["b1", "0.bb"]
    assert [n for n, _ in net.named_buffers(remove_duplicate=False)] == ["b1", "0.bb", "2.bb", "3.0.bb"]


def test_remove_duplicate_must_be_a_flag():
    net = _tied()
    for method in (net.named_parameters, net.named_buffers, net.named_modules):
        with pytest.raises(TypeError, match="remove_duplicate"):
            list(method(remove_duplicate="no"))
