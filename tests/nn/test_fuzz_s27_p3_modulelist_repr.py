"""Session 27 (P3): a ModuleList's repr shows a run of entries with equal reprs on one line, "(0-2): 3 x Layer(...)",
as PyTorch's ModuleList.__repr__ (what a Transformer's stack of equal layers prints); it listed each entry. The
references are PyTorch 2.13's output, written out.
"""
import nn
from nn.utils import parametrize


def test_runs_of_equal_entries_are_one_line():
    blocks = nn.ModuleList([nn.Linear(2, 2), nn.Linear(2, 2), nn.Linear(2, 3), nn.ReLU(), nn.ReLU(), nn.ReLU()])
    assert repr(blocks) == ("ModuleList(\n"
                            "  (0-1): 2 x Linear(in_features=2, out_features=2, bias=True)\n"
                            "  (2): Linear(in_features=2, out_features=3, bias=True)\n"
                            "  (3-5): 3 x ReLU()\n"
                            ")")


def test_a_run_of_nested_modules_is_indented_once():
    net = nn.Sequential(nn.ModuleList([nn.Sequential(nn.Tanh()), nn.Sequential(nn.Tanh()), nn.Tanh()]))
    assert repr(net) == ("Sequential(\n"
                         "  (0): ModuleList(\n"
                         "    (0-1): 2 x Sequential(\n"
                         "      (0): Tanh()\n"
                         "    )\n"
                         "    (2): Tanh()\n"
                         "  )\n"
                         ")")


def test_empty_single_and_sequential_are_unchanged():
    assert repr(nn.ModuleList()) == "ModuleList()"
    assert repr(nn.ModuleList([nn.ReLU()])) == "ModuleList(\n  (0): ReLU()\n)"
    assert repr(nn.Sequential(nn.ReLU(), nn.ReLU())) == "Sequential(\n  (0): ReLU()\n  (1): ReLU()\n)"


def test_a_parametrization_list_shows_runs_as_pytorchs():
    layer = nn.Linear(2, 2)
    for parametrization in (nn.Tanh(), nn.Tanh(), nn.ReLU()):
        parametrize.register_parametrization(layer, "weight", parametrization)
    assert repr(layer) == ("ParametrizedLinear(\n"
                           "  in_features=2, out_features=2, bias=True\n"
                           "  (parametrizations): ModuleDict(\n"
                           "    (weight): ParametrizationList(\n"
                           "      (0-1): 2 x Tanh()\n"
                           "      (2): ReLU()\n"
                           "    )\n"
                           "  )\n"
                           ")")
