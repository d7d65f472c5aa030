"""Session 27 (P3): a module's repr lays out a multi-line extra_repr and a child set to None as PyTorch's.

Written-out references (PyTorch 2.13's Module.__repr__): each line of extra_repr on a line of its own, indented, when
it has several lines or the module has children; a child module registered as None shows as "(name): None".
"""
import nn


class _TwoLines(nn.Module):
    def extra_repr(self):
        return "x=1\ny=2"


def test_multi_line_extra_repr_of_a_leaf_gets_a_line_each():
    assert repr(_TwoLines()) == "_TwoLines(\n  x=1\n  y=2\n)"


def test_multi_line_extra_repr_with_a_child_is_indented_line_by_line():
    outer = _TwoLines()
    outer.inner = _TwoLines()
    assert repr(outer) == "_TwoLines(\n  x=1\n  y=2\n  (inner): _TwoLines(\n    x=1\n    y=2\n  )\n)"


def test_one_line_extra_repr_stays_inline():
    assert repr(nn.Linear(2, 3)) == "Linear(in_features=2, out_features=3, bias=True)"
    net = nn.Sequential(nn.Linear(2, 3))
    assert repr(net) == "Sequential(\n  (0): Linear(in_features=2, out_features=3, bias=True)\n)"


def test_a_child_set_to_none_is_shown_where_it_stands():
    net = nn.Sequential(nn.Linear(1, 1))
    net.add_module("skip", None)
    net.act = nn.ReLU()
    assert repr(net) == ("Sequential(\n  (0): Linear(in_features=1, out_features=1, bias=True)\n  (skip): None\n"
                         "  (act): ReLU()\n)")
    empty = nn.Module()
    empty.add_module("x", None)
    assert repr(empty) == "Module(\n  (x): None\n)"
    later = nn.Module()
    later.head = nn.ReLU()
    later.head = None  # a child unset to None keeps its place, as PyTorch's None entry
    assert repr(later) == "Module(\n  (head): None\n)"


def test_a_parameter_or_plain_value_set_to_none_is_not_shown():
    layer = nn.Linear(2, 2)
    layer.bias = None
    layer.note = None
    assert "(bias)" not in repr(layer) and "(note)" not in repr(layer) and "\n" not in repr(layer)
