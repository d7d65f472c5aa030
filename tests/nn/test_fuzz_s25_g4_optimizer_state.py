"""Found by fuzzing optimizer state dicts against torch.optim's (session 25, G4): load_state_dict took any value that
is no NumPy array as it was, so a buffer given as a float or as a torch tensor (torch's own state dict, not
converted) was accepted and step() then failed with NumPy's or torch's bare errors, or, for SGD's momentum buffer and
Rprop's step sizes, silently never updated it; and NAdam's and ASGD's factors converted from torch's 0-d tensors
(t.numpy(), 0-d arrays) were refused as buffers of the wrong shape."""
import numpy as np
import pytest

import autograd_core as ag
from nn import optim

torch = pytest.importorskip("torch")


def stepped(name, **kw):
    p = ag.tensor(np.ones(3), requires_grad=True)
    opt = getattr(optim, name)([p], lr=0.1, **kw)
    p.grad = ag.tensor(np.ones(3))
    opt.step()
    return p, opt


@pytest.mark.parametrize("name, key, kw", [("SGD", "momentum_buffer", dict(momentum=0.9)), ("Adam", "exp_avg", {}),
                                           ("Rprop", "step_size", {}), ("RMSprop", "square_avg", {})])
@pytest.mark.parametrize("value", [1.0, torch.ones(3, dtype=torch.float64)], ids=["float", "torch tensor"])
def test_a_buffer_that_is_no_array_is_refused_at_load(name, key, kw, value):
    p, opt = stepped(name, **kw)
    saved = opt.state_dict()
    saved["state"][0][key] = value
    before = {k: np.copy(v) for k, v in opt.state[p].items()}
    with pytest.raises(TypeError, match=rf"{name}.load_state_dict: buffer '{key}' of parameter 0 is (float|Tensor) .*; "
                                        r"it needs a NumPy array of shape \(3,\)"):
        opt.load_state_dict(saved)
    assert all(np.array_equal(v, before[k]) for k, v in opt.state[p].items())  # unchanged


@pytest.mark.parametrize("name", ["NAdam", "ASGD"])
def test_torchs_state_converted_with_numpy_resumes_nadam_and_asgd(name):
    # torch keeps mu_product (NAdam) and eta, mu (ASGD) as 0-d float32 tensors: .numpy() gives 0-d arrays
    tp = torch.ones(3, dtype=torch.float64, requires_grad=True)
    topt = getattr(torch.optim, name)([tp], lr=0.1, foreach=False)
    p = ag.tensor(np.ones(3), requires_grad=True)
    opt = getattr(optim, name)([p], lr=0.1)
    grads = np.random.default_rng(0).standard_normal((6, 3))
    for g in grads[:3]:
        tp.grad = torch.tensor(g)
        topt.step()
    p.data = tp.detach().numpy().copy()
    saved = topt.state_dict()
    opt.load_state_dict({"state": {i: {k: v.numpy() for k, v in s.items()} for i, s in saved["state"].items()},
                         "param_groups": saved["param_groups"]})
    assert all(isinstance(opt.state[p][k], float) for k in ({"NAdam": ["mu_product"], "ASGD": ["eta", "mu"]}[name]))
    for g in grads[3:]:
        tp.grad = torch.tensor(g)
        topt.step()
        p.grad = ag.tensor(g)
        opt.step()
    np.testing.assert_allclose(p.data, tp.detach().numpy(), rtol=1e-6)


def test_a_count_that_is_no_number_is_refused():
    p, opt = stepped("Adam")
    saved = opt.state_dict()
    saved["state"][0]["step"] = "3"
    with pytest.raises(TypeError, match=r"Adam.load_state_dict: the state 'step' of parameter 0 is str '3'; it needs "
                                        r"a number"):
        opt.load_state_dict(saved)
