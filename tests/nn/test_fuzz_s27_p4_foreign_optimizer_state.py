"""A state dict saved by another optimizer is refused by load_state_dict, naming the entries this one does not keep,
by the optimizers whose rules make their state entries afresh when they are missing (Muon, LBFGS; SGD once the
hot-path patch declares its entry), which ran on with it silently (PyTorch's raise a bare KeyError at the step; the
other optimizers name the entry they miss at the step)."""
import numpy as np
import pytest

import autograd_core as ag
from nn import optim


def _saved(name, shape=(2, 3)):
    """The state dict of optimizer `name` after two steps on one parameter."""
    p = ag.tensor(np.ones(shape), requires_grad=True)
    opt = getattr(optim, name)([p], lr=0.1)
    for _ in range(2):
        if name == "LBFGS":
            def closure():
                opt.zero_grad()
                loss = (p * p).sum()
                loss.backward()
                return loss
            opt.step(closure)
        else:
            p.grad = ag.tensor(np.full(shape, 0.3))
            opt.step()
    return opt.state_dict()


@pytest.mark.parametrize("saver, loader", [("Adam", "Muon"), ("Rprop", "Muon"), ("NAdam", "Muon"), ("Adagrad", "LBFGS"),
                                           ("Adam", "LBFGS"), ("Adafactor", "LBFGS")])
def test_another_optimizers_state_is_refused_at_load(saver, loader):
    p = ag.tensor(np.ones((2, 3)), requires_grad=True)
    opt = getattr(optim, loader)([p], lr=0.1)
    saved = _saved(saver)
    with pytest.raises(ValueError, match=rf"^{loader}\.load_state_dict: the state of parameter 0 holds \[.*\], which "
                                         rf"{loader} does not keep .* saved by another optimizer's state_dict\(\)"):
        opt.load_state_dict(saved)
    assert opt.state == {}  # nothing loaded


@pytest.mark.parametrize("name", ["SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adamax", "NAdam", "RAdam", "Adadelta",
                                  "ASGD", "Rprop", "Adafactor", "Muon", "LBFGS"])
def test_each_optimizer_loads_its_own_state(name):
    p = ag.tensor(np.ones((2, 3)), requires_grad=True)
    kwargs = {"momentum": 0.9} if name in ("SGD", "RMSprop") else {}
    opt = getattr(optim, name)([p], lr=0.1, **kwargs)
    if name == "RMSprop":
        opt.param_groups[0]["centered"] = True
    saved = _saved(name) if name not in ("SGD", "RMSprop") else None
    if saved is None:
        p.grad = ag.tensor(np.full((2, 3), 0.3))
        opt.step()
        saved = opt.state_dict()
    opt.load_state_dict(saved)
    assert len(opt.state) == 1


def test_a_subclass_with_its_own_rule_may_keep_other_entries():
    class Counting(optim.Muon):
        def _update(self, group):
            super()._update(group)
            for p in group["params"]:
                self.state[p]["seen"] = self.state[p].get("seen", np.zeros_like(p.data)) + 1

    p = ag.tensor(np.ones((2, 2)), requires_grad=True)
    opt = Counting([p], lr=0.1)
    p.grad = ag.ones((2, 2))
    opt.step()
    opt.load_state_dict(opt.state_dict())
    assert opt.state[p]["seen"].tolist() == [[1.0, 1.0], [1.0, 1.0]]


def test_sgd_refuses_another_optimizers_state():
    p = ag.tensor(np.ones((2, 3)), requires_grad=True)
    opt = optim.SGD([p], lr=0.1, momentum=0.9)
    with pytest.raises(ValueError, match=r"^SGD\.load_state_dict: the state of parameter 0 holds \['exp_avg', "
                                         r"'exp_avg_sq', 'step'\], which SGD does not keep"):
        opt.load_state_dict(_saved("Adam"))
