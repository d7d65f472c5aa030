"""A state dict holding an empty state {} for a parameter (PyTorch's holds one for each parameter whose state was read,
optimizer.state[p], before its first step: its state is a defaultdict) loads as no state, so the next step starts that
parameter afresh, as PyTorch's; the stateful rules refused that step as if the state were another optimizer's."""
import numpy as np
import pytest

import autograd_core as ag
from nn import optim

NAMES = ["SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adamax", "NAdam", "RAdam", "Adadelta", "ASGD", "Rprop",
         "Adafactor", "Muon"]


@pytest.mark.parametrize("name", NAMES)
def test_an_empty_saved_state_is_no_state(name):
    fresh, loaded = (ag.tensor(np.linspace(-1.0, 1.0, 6).reshape(2, 3), requires_grad=True) for _ in range(2))
    opt_fresh, opt_loaded = getattr(optim, name)([fresh], lr=0.1), getattr(optim, name)([loaded], lr=0.1)
    saved = opt_loaded.state_dict()
    opt_loaded.load_state_dict({**saved, "state": {0: {}}})
    assert loaded not in opt_loaded.state
    for _ in range(3):
        for p, opt in ((fresh, opt_fresh), (loaded, opt_loaded)):
            p.grad = ag.tensor(np.cos(p.data))
            opt.step()
    assert np.array_equal(fresh.data, loaded.data)


def test_lbfgs_empty_saved_state():
    w = ag.tensor(np.ones(2), requires_grad=True)
    opt = optim.LBFGS([w])
    opt.load_state_dict({**opt.state_dict(), "state": {0: {}}})
    assert opt.state == {}


def test_a_torch_state_dict_with_an_empty_state_resumes():
    torch = pytest.importorskip("torch")
    tp = torch.ones(3, dtype=torch.float64, requires_grad=True)
    topt = torch.optim.Adam([tp], lr=0.1)
    topt.state[tp]  # read before the first step, as logging code does: the state dict then holds {}
    saved = topt.state_dict()
    assert saved["state"] == {0: {}}
    p = ag.tensor(np.ones(3), requires_grad=True)
    opt = optim.Adam([p], lr=0.1)
    opt.load_state_dict({"state": {0: {}}, "param_groups": saved["param_groups"]})
    for _ in range(3):
        tp.grad = torch.full((3,), 0.5, dtype=torch.float64)
        p.grad = ag.tensor(np.full(3, 0.5))
        topt.step()
        opt.step()
    np.testing.assert_allclose(p.data, tp.detach().numpy(), rtol=1e-15)
