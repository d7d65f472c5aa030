"""A dict given as an optimizer's params (one group without its list, or dict(model.named_parameters())) is refused
naming what was given and what to pass, where its keys were read as the parameters ("parameters must be Tensors,
got str"); PyTorch raises TypeError too."""
import numpy as np
import pytest

import autograd_core as ag
import nn
from nn import optim


@pytest.mark.parametrize("name", ["SGD", "Adam", "NAdam", "LBFGS", "Adafactor"])
def test_a_dict_as_params_names_the_mistake(name):
    layer = nn.Linear(2, 3)
    for params in ({"params": list(layer.parameters()), "lr": 0.1}, dict(layer.named_parameters())):
        with pytest.raises(TypeError, match=rf"^{name}: params must be an iterable of Tensors or of dicts, got a dict "
                                            r"\(its keys are no parameters\); pass \[group\]"):
            getattr(optim, name)(params, lr=0.1)
    opt = getattr(optim, name)([{"params": list(layer.parameters())}], lr=0.1)  # the group in a list is taken
    assert len(opt.param_groups[0]["params"]) == 2
