"""nn.optim's state dicts (test_optim.py has the steps): state_dict holds copies, load_state_dict resumes the same
trajectory through a file (a 0-d parameter's buffers too), checks what it is given (keys, hyper-parameters as the
constructor does, shapes, the optimizer it came from), casts buffers to the parameter's dtype, and replaces each group
as torch.optim's; deep copies and pickles of parameters and optimizer continue the same path."""
import copy
import pickle

import numpy as np
import pytest

import autograd_core as ag
from nn.serialization import load, save
import nn
from nn import optim
from test_optim import CASES, IDS, P0, STEPS, grad_of, run_ours


@pytest.mark.parametrize("name,kwargs,reference", CASES, ids=IDS)
def test_state_dict_round_trip_through_a_file_resumes_exactly(name, kwargs, reference, tmp_path):
    p, opt = run_ours(name, kwargs, np.float32, steps=2)
    save({"opt": opt.state_dict(), "p": p.data}, tmp_path / "opt.npz")
    saved = load(tmp_path / "opt.npz")
    q = ag.tensor(saved["p"], requires_grad=True)
    resumed = getattr(optim, name)([q], lr=123.0)  # hyper-parameters come back from the state dict
    resumed.load_state_dict(saved["opt"])
    for _ in range(STEPS - 2):
        for o, t in ((opt, p), (resumed, q)):
            o.zero_grad()
            t.grad = ag.tensor(grad_of(t.data))
            o.step()
    np.testing.assert_array_equal(q.data, p.data)
    assert resumed.param_groups[0]["lr"] == kwargs["lr"]


@pytest.mark.parametrize("name,kwargs,reference", CASES, ids=IDS)
def test_a_scalar_parameters_state_keeps_updating_after_a_round_trip(name, kwargs, reference, tmp_path):
    """A 0-d parameter's buffers are 0-d arrays: loaded back they must stay arrays the update changes."""
    def run(opt, p, steps):
        for _ in range(steps):
            opt.zero_grad()
            p.grad = ag.tensor(np.float64(0.3) + 0.5 * p.data)
            opt.step()

    p = ag.tensor(np.float64(1.5), requires_grad=True)
    opt = getattr(optim, name)([p], **kwargs)
    run(opt, p, 2)
    save({"opt": opt.state_dict(), "p": p.data}, tmp_path / "opt.npz")
    saved = load(tmp_path / "opt.npz")
    q = ag.tensor(saved["p"], requires_grad=True)
    resumed = getattr(optim, name)([q], lr=123.0)
    resumed.load_state_dict(saved["opt"])
    run(opt, p, 3)
    run(resumed, q, 3)
    assert q.shape == () and q.data == p.data
    state, resumed_state = opt.state.get(p, {}), resumed.state.get(q, {})
    assert state.keys() == resumed_state.keys()
    for k, v in state.items():
        assert np.array_equal(resumed_state[k], v), k


@pytest.mark.parametrize("name,kwargs,reference", CASES, ids=IDS)
def test_a_deep_copy_or_pickle_of_parameters_and_optimizer_continues_the_same_path(name, kwargs, reference):
    """State is keyed by the parameter itself (opt.state[p], as in PyTorch), so copies keep it."""
    p, opt = run_ours(name, kwargs, np.float64, steps=2)
    assert list(opt.state) == ([p] if opt.state else [])  # plain SGD keeps no state
    for duplicate in (copy.deepcopy, lambda obj: pickle.loads(pickle.dumps(obj))):
        q, copied = duplicate((p, opt))
        assert list(copied.state) == ([q] if opt.state else [])
        p_next, _ = run_ours(name, kwargs, np.float64, steps=3)
        copied.zero_grad()
        q.grad = ag.tensor(grad_of(q.data))
        copied.step()
        np.testing.assert_array_equal(q.data, p_next.data)


def test_state_dict_holds_only_arrays_and_numbers():
    _, opt = run_ours("Adam", dict(lr=0.1), np.float32, steps=2)
    sd = opt.state_dict()
    assert set(sd["state"][0]) == {"step", "exp_avg", "exp_avg_sq"} and sd["state"][0]["step"] == 2
    assert sd["param_groups"][0]["params"] == [0] and sd["param_groups"][0]["betas"] == (0.9, 0.999)
    sd["state"][0]["exp_avg"][...] = 0  # a copy, not the live buffer
    assert np.any(opt.state_dict()["state"][0]["exp_avg"] != 0)


def test_load_state_dict_refuses_what_is_no_optimizer_state_naming_what_it_expects():
    opt = optim.SGD([ag.tensor([1.0], requires_grad=True)], lr=0.1)
    expected = r"SGD.load_state_dict: expected a dict with keys 'state' and 'param_groups' \(as state_dict\(\) returns\)"
    with pytest.raises(ValueError, match=expected + r", got keys \['state'\]"):
        opt.load_state_dict({"state": {}})
    with pytest.raises(TypeError, match=expected + ", got list"):
        opt.load_state_dict([])


@pytest.mark.parametrize("change, kind, message", [
    ({"lr": "x"}, TypeError, "invalid lr='x'"), ({"betas": (2.0, 0.9)}, ValueError, r"invalid betas=\(2.0, 0.9\)")])
def test_load_state_dict_checks_hyper_parameters_as_the_constructor_does(change, kind, message):
    # (but a rate below zero, as chained schedulers can leave it, is restored: see test_lr_scheduler)
    w = ag.tensor([1.0], requires_grad=True)
    opt = optim.Adam([w], lr=0.01)
    saved = opt.state_dict()
    saved["param_groups"][0].update(change)
    with pytest.raises(kind, match=rf"^Adam: {message}"):
        opt.load_state_dict(saved)
    assert opt.param_groups[0]["lr"] == 0.01 and opt.param_groups[0]["betas"] == (0.9, 0.999)  # unchanged


def test_load_state_dict_rejects_a_mismatched_optimizer():
    _, opt = run_ours("Adam", dict(lr=0.1), np.float32, steps=1)
    other = optim.Adam([ag.tensor(np.zeros(5), requires_grad=True)])
    with pytest.raises(ValueError, match="shape"):
        other.load_state_dict(opt.state_dict())
    two = optim.Adam([ag.tensor([1.0], requires_grad=True), ag.tensor([1.0], requires_grad=True)])
    with pytest.raises(ValueError, match="parameters"):
        two.load_state_dict(opt.state_dict())


def test_loaded_buffers_are_own_arrays_of_the_parameters_dtype():
    p = ag.tensor(np.zeros(3, np.float32), requires_grad=True)
    opt = optim.SGD([p], lr=0.1, momentum=0.9)
    saved = {"state": {0: {"momentum_buffer": np.ones(3)}},  # float64, as a float64 checkpoint would hold
             "param_groups": [{"lr": 0.1, "momentum": 0.9, "dampening": 0, "weight_decay": 0, "nesterov": False,
                               "params": [0]}]}
    opt.load_state_dict(saved)
    assert opt.state[p]["momentum_buffer"].dtype == np.float32
    p.grad = ag.tensor(np.ones(3, np.float32))
    opt.step()
    np.testing.assert_array_equal(saved["state"][0]["momentum_buffer"], np.ones(3))  # the caller's dict untouched


def test_load_state_dict_refuses_a_float_buffer_of_another_shape_at_once():
    _, opt = run_ours("Adam", dict(lr=0.1), np.float64, steps=1)
    state = opt.state_dict()
    state["state"][0]["exp_avg"] = np.float64(0.5)  # 0-d, for a parameter of shape P0.shape
    other = optim.Adam([ag.tensor(P0.copy(), requires_grad=True)])
    with pytest.raises(ValueError, match=r"buffer 'exp_avg' of parameter 0 has shape \(\) and dtype float64; for a "
                                         r"parameter of shape \(3, 4\) it needs shape \(3, 4\) and numbers"):
        other.load_state_dict(state)


def test_a_step_count_saved_as_a_float_is_a_count_again_even_for_a_0_d_parameter():
    p = ag.tensor(np.float32(1.5), requires_grad=True)  # its buffers are 0-d Tensors too
    opt = optim.Adam([p], lr=0.1)
    p.grad = ag.tensor(np.float32(0.5))
    opt.step()
    state = opt.state_dict()
    state["state"][0]["step"] = np.float64(1.0)  # as a checkpoint from elsewhere may hold it
    opt.load_state_dict(state)
    exp_avg = opt.state[p]["exp_avg"]
    assert type(opt.state[p]["step"]) is float and type(exp_avg) is ag.Tensor and exp_avg.shape == ()
    opt.step()
    assert opt.state[p]["step"] == 2


@pytest.mark.parametrize("shape", [(), (2,)], ids=["0-d", "vector"])
def test_integer_buffers_are_cast_to_the_parameters_dtype_as_torch_does(shape):
    p = ag.tensor(np.ones(shape), requires_grad=True)
    opt = optim.Adam([p], lr=0.1)
    hyper = {k: v for k, v in opt.param_groups[0].items() if k != "params"}
    opt.load_state_dict({"state": {0: {"step": 1, "exp_avg": np.ones(shape, np.int64),
                                       "exp_avg_sq": np.ones(shape, np.int64)}},
                         "param_groups": [{**hyper, "params": [0]}]})
    assert all(opt.state[p][k].dtype == np.float64 for k in ("exp_avg", "exp_avg_sq"))
    torch = pytest.importorskip("torch")
    tp = torch.nn.Parameter(torch.ones(shape, dtype=torch.float64))
    topt = torch.optim.Adam([tp], lr=0.1, foreach=False)
    topt.load_state_dict({"state": {0: {"step": torch.tensor(1.0), "exp_avg": torch.ones(shape, dtype=torch.int64),
                                        "exp_avg_sq": torch.ones(shape, dtype=torch.int64)}},
                          "param_groups": [{**topt.state_dict()["param_groups"][0], "params": [0]}]})
    assert topt.state[tp]["exp_avg"].dtype == torch.float64  # torch casts them to the parameter's dtype
    for _ in range(2):
        p.grad = ag.tensor(np.full(shape, 0.5))
        opt.step()
        tp.grad = torch.full(shape, 0.5, dtype=torch.float64)
        topt.step()
    assert np.asarray(opt.state[p]["exp_avg"]).dtype == np.float64
    np.testing.assert_allclose(np.asarray(opt.state[p]["exp_avg"]), topt.state[tp]["exp_avg"].numpy(), rtol=1e-15)
    np.testing.assert_allclose(p.data, tp.detach().numpy(), rtol=1e-14)


def test_load_state_dict_replaces_each_group_so_a_stale_initial_lr_is_gone_as_in_pytorch():
    def run(p, lib_optim):
        opt = lib_optim.SGD([p], lr=0.1)
        saved = opt.state_dict()  # no initial_lr yet
        lib_optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.5)  # sets initial_lr = 0.1
        saved["param_groups"][0]["lr"] = 0.02
        opt.load_state_dict(saved)
        return opt.param_groups[0].get("initial_lr"), list(lib_optim.lr_scheduler.CosineAnnealingLR(opt, 4).base_lrs)

    ours = run(nn.Parameter(np.ones(2)), optim)
    assert ours == (None, [0.02])
    torch = pytest.importorskip("torch")
    assert run(torch.nn.Parameter(torch.ones(2, dtype=torch.float64)), torch.optim) == ours


def test_load_state_dict_keeps_a_hyper_parameter_the_saved_group_lacks():
    opt = optim.SGD([nn.Parameter(np.ones(2))], lr=0.1, momentum=0.9)
    saved = opt.state_dict()
    del saved["param_groups"][0]["momentum"]
    opt.load_state_dict(saved)
    assert opt.param_groups[0]["momentum"] == 0.9


# ---- found by mutation testing (session 17) -----------------------------------------------------------------
@pytest.mark.parametrize("lr", [np.float32(-1e-3), np.float64(-1e-3), -1e-3], ids=["np.float32", "np.float64", "float"])
def test_load_state_dict_restores_a_rate_below_zero_whatever_its_number_type(lr):
    # A checkpoint read back may hold NumPy numbers; torch.optim restores any rate as it is.
    param = nn.Parameter(np.ones(2))
    opt = nn.optim.SGD([param], lr=0.1)
    state = opt.state_dict()
    state["param_groups"][0]["lr"] = lr
    opt.load_state_dict(state)
    assert opt.param_groups[0]["lr"] == lr
    torch = pytest.importorskip("torch")
    topt = torch.optim.SGD([torch.nn.Parameter(torch.ones(2))], lr=0.1)
    tstate = topt.state_dict()
    tstate["param_groups"][0]["lr"] = lr
    topt.load_state_dict(tstate)
    assert topt.param_groups[0]["lr"] == lr
