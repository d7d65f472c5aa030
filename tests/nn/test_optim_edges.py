"""nn.optim's optimizers at the edges of what they take (test_optim.py has their steps): params given as (name,
Tensor) pairs or as a dict, hyper-parameters given as NumPy float32 numbers, and state dicts holding values that are no
NumPy arrays, empty states or another optimizer's state; against torch.optim where installed."""
import inspect
import warnings

import numpy as np
import pytest

try:
    import torch
except ImportError:  # (CI has no torch: the checks without it still run)
    torch = None

import autograd_core as ag
import nn
from nn import optim

NEEDS_TORCH = pytest.mark.skipif(torch is None, reason="needs torch")


# ---- params given as (name, Tensor) pairs, as model.named_parameters() gives them ------------------------------------
# Taken as PyTorch takes them: the names are kept in each group's "param_names" and in the state dict; all groups are
# named or none, and a group mixing pairs and Tensors is refused, as in PyTorch.
def _model():
    return nn.Sequential(nn.Linear(3, 4, rng=np.random.default_rng(0)), nn.Tanh(), nn.Linear(4, 2, rng=np.random.default_rng(1)))


def _train(model, opt, steps=5):
    x = np.linspace(-1, 1, 12).reshape(4, 3)
    for _ in range(steps):
        opt.zero_grad()
        (model(x) ** 2).mean().backward()
        opt.step()


@pytest.mark.parametrize("name", ["SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "NAdam", "Rprop", "Adafactor"])
def test_named_parameters_train_as_the_parameters_do(name):
    named, plain = _model(), _model()
    opt_named = getattr(optim, name)(named.named_parameters(), lr=0.01)
    opt_plain = getattr(optim, name)(plain.parameters(), lr=0.01)
    assert opt_named.param_groups[0]["param_names"] == [n for n, _ in named.named_parameters()]
    _train(named, opt_named)
    _train(plain, opt_plain)
    for a, b in zip(named.parameters(), plain.parameters()):
        assert np.array_equal(a.data, b.data)
    saved = opt_named.state_dict()
    assert saved["param_groups"][0]["param_names"] == ["0.weight", "0.bias", "2.weight", "2.bias"]
    saved["param_groups"][0]["param_names"].append("changed")  # a copy, as the arrays are
    assert len(opt_named.param_groups[0]["param_names"]) == 4


def test_named_groups_and_their_state_dict_round_trip():
    model = _model()
    groups = [{"params": model[0].named_parameters()}, {"params": list(model[2].named_parameters()), "lr": 0.5}]
    opt = optim.Adam(groups, lr=0.1)
    assert [g["param_names"] for g in opt.param_groups] == [["weight", "bias"], ["weight", "bias"]]
    _train(model, opt, 2)
    again = optim.Adam([{"params": model[0].named_parameters()}, {"params": model[2].named_parameters()}], lr=0.1)
    again.load_state_dict(opt.state_dict())
    assert again.param_groups[1]["lr"] == 0.5 and again.param_groups[1]["param_names"] == ["weight", "bias"]


def test_named_and_unnamed_do_not_mix():
    model = _model()
    w = ag.tensor(np.ones(2), requires_grad=True)
    with pytest.raises(ValueError, match=r"^Adam: a parameter group's params must all be Tensors or all \(name, "
                                         r"Tensor\) pairs"):
        optim.Adam([("w", w), model[0].weight])
    with pytest.raises(ValueError, match=r"all \(name, Tensor\) pairs"):
        optim.Adam([(1, w)])
    opt = optim.Adam(model.named_parameters())
    with pytest.raises(ValueError, match=r"^Adam: all parameter groups must be given with names or all without .* "
                                         r"can't add a group without names to an optimizer whose groups have them"):
        opt.add_param_group({"params": [w]})
    opt = optim.Adam(model.parameters())
    with pytest.raises(ValueError, match=r"can't add a group with names to an optimizer whose groups have none"):
        opt.add_param_group({"params": [("w", w)]})
    assert len(opt.param_groups) == 1


def test_muon_checks_the_tensor_of_a_named_pair():
    model = _model()
    opt = optim.Muon([("w", model[0].weight)], lr=0.01)
    assert opt.param_groups[0]["param_names"] == ["w"]
    with pytest.raises(ValueError, match=r"^Muon only supports 2D parameters .* size: \(4,\)"):
        optim.Muon([("b", model[0].bias)])


def test_matches_torch_param_groups():
    torch = pytest.importorskip("torch")
    tmodel = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Tanh(), torch.nn.Linear(4, 2))
    topt = torch.optim.SGD(tmodel.named_parameters(), lr=0.1)
    opt = optim.SGD(_model().named_parameters(), lr=0.1)
    assert opt.param_groups[0]["param_names"] == topt.param_groups[0]["param_names"]
    assert opt.state_dict()["param_groups"][0]["param_names"] == topt.state_dict()["param_groups"][0]["param_names"]


# ---- params given as a dict (one group without its list, or dict(model.named_parameters())) --------------------------
# Refused naming what was given and what to pass, rather than read as its keys ("parameters must be Tensors, got
# str"); PyTorch raises TypeError too.
@pytest.mark.parametrize("name", ["SGD", "Adam", "NAdam", "LBFGS", "Adafactor"])
def test_a_dict_as_params_names_the_mistake(name):
    layer = nn.Linear(2, 3)
    for params in ({"params": list(layer.parameters()), "lr": 0.1}, dict(layer.named_parameters())):
        with pytest.raises(TypeError, match=rf"^{name}: params must be an iterable of Tensors or of dicts, got a dict "
                                            r"\(its keys are no parameters\); pass \[group\]"):
            getattr(optim, name)(params, lr=0.1)
    opt = getattr(optim, name)([{"params": list(layer.parameters())}], lr=0.1)  # the group in a list is taken
    assert len(opt.param_groups[0]["params"]) == 2


# ---- params given as an nn.ParameterList (dragen1860's MAML Learner keeps its weights in one and passes it) ---------
# A ParameterList is a module, but iterating it gives its Parameters, so PyTorch's optimizers take it; the refusal of
# a module (SGD(model), a common slip) stays for the others.
@pytest.mark.parametrize("name", ["SGD", "Adam"])
def test_a_parameter_list_is_taken_as_its_parameters(name):
    weights = nn.ParameterList([nn.Parameter(np.array([1.0, -2.0])), nn.Parameter(np.array([[0.5]]))])
    opt = getattr(optim, name)(weights, lr=0.1)
    assert [p is q for p, q in zip(opt.param_groups[0]["params"], weights)] == [True, True]
    for p in weights:
        p.grad = ag.tensor(np.full(p.shape, 2.0))
    opt.step()
    # one step of 0.1 against a gradient of 2: SGD moves by lr * g = 0.2, Adam by lr * g / (|g| + eps)
    step = 0.2 if name == "SGD" else 0.1 * 2.0 / (2.0 + 1e-8)
    np.testing.assert_allclose(weights[0].numpy(), [1.0 - step, -2.0 - step], rtol=0, atol=1e-12)
    np.testing.assert_allclose(weights[1].numpy(), [[0.5 - step]], rtol=0, atol=1e-12)
    if torch is not None:
        tweights = torch.nn.ParameterList([torch.nn.Parameter(torch.tensor([1.0, -2.0], dtype=torch.float64)),
                                           torch.nn.Parameter(torch.tensor([[0.5]], dtype=torch.float64))])
        topt = getattr(torch.optim, name)(tweights, lr=0.1)
        for p in tweights:
            p.grad = torch.full(p.shape, 2.0, dtype=torch.float64)
        topt.step()
        for p, q in zip(weights, tweights):
            np.testing.assert_allclose(p.numpy(), q.detach().numpy(), rtol=0, atol=1e-15)
    with pytest.raises(TypeError, match=rf"^{name}: params must be .* got the module Sequential"):
        getattr(optim, name)(nn.Sequential(nn.Linear(2, 2)), lr=0.1)


# ---- hyper-parameters given as NumPy float32 numbers (read from a float32 array, say) --------------------------------
# They step a float64 run as Python floats of the same values do, as PyTorch's do: a step's factors (1 - dampening,
# the bias corrections beta ** t, Adagrad's decayed rate) are not computed in float32, about 1e-7 off.
CASES = [("SGD", dict(lr=0.1, momentum=0.9, dampening=0.1)),
         ("Adam", dict(lr=0.05, betas=(0.9, 0.999), eps=1e-3, weight_decay=0.01)),
         ("AdamW", dict(lr=0.05, betas=(0.9, 0.99), amsgrad=True)),
         ("Adagrad", dict(lr=0.1, lr_decay=0.01, weight_decay=0.3))]


def _float32(value):
    if isinstance(value, bool):
        return value
    if isinstance(value, tuple):
        return tuple(map(_float32, value))
    return np.float32(value)


def _run(name, kwargs, steps=30):
    p = ag.tensor(np.linspace(-1.0, 1.0, 6).reshape(2, 3), requires_grad=True)
    opt = getattr(optim, name)([p], **kwargs)
    for _ in range(steps):
        p.grad = ag.tensor(np.sin(3 * p.data) + 0.3 * p.data)
        opt.step()
    return p.data


@pytest.mark.parametrize("name, kwargs", CASES)
def test_numpy_float32_settings_step_a_float64_run_as_their_python_floats(name, kwargs):
    given = {k: _float32(v) for k, v in kwargs.items()}
    same_values = {k: (v if isinstance(v, bool) else
                       tuple(map(float, v)) if isinstance(v, tuple) else float(v)) for k, v in given.items()}
    assert np.array_equal(_run(name, given), _run(name, same_values))


# ---- load_state_dict: buffers that are no NumPy arrays, and torch's 0-d factors --------------------------------------
# A buffer given as a float or as a torch tensor (torch's own state dict, not converted) is refused at load: step()
# would fail on it with NumPy's or torch's bare errors or, for SGD's momentum buffer and Rprop's step sizes, silently
# never update it. NAdam's and ASGD's factors converted from torch's 0-d tensors (t.numpy(), 0-d arrays) are numbers.
def stepped(name, **kw):
    p = ag.tensor(np.ones(3), requires_grad=True)
    opt = getattr(optim, name)([p], lr=0.1, **kw)
    p.grad = ag.tensor(np.ones(3))
    opt.step()
    return p, opt


@pytest.mark.parametrize("name, key, kw", [("SGD", "momentum_buffer", dict(momentum=0.9)), ("Adam", "exp_avg", {}),
                                           ("Rprop", "step_size", {}), ("RMSprop", "square_avg", {})])
@pytest.mark.parametrize("value", [1.0, pytest.param(torch.ones(3, dtype=torch.float64) if torch else None,
                                                     marks=NEEDS_TORCH)], ids=["float", "torch tensor"])
def test_a_buffer_that_is_no_array_is_refused_at_load(name, key, kw, value):
    p, opt = stepped(name, **kw)
    saved = opt.state_dict()
    saved["state"][0][key] = value
    before = {k: np.copy(v) for k, v in opt.state[p].items()}
    with pytest.raises(TypeError, match=rf"{name}.load_state_dict: buffer '{key}' of parameter 0 is (float|Tensor) .*; "
                                        r"it needs a Tensor or NumPy array of shape \(3,\)"):
        opt.load_state_dict(saved)
    assert all(np.array_equal(v, before[k]) for k, v in opt.state[p].items())  # unchanged


@NEEDS_TORCH
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


# ---- load_state_dict: an empty saved state {} for a parameter --------------------------------------------------------
# PyTorch's state dict holds one for each parameter whose state was read (optimizer.state[p]) before its first step,
# its state being a defaultdict. It loads as no state, so the next step starts that parameter afresh, as PyTorch's.
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


# ---- load_state_dict: a state dict saved by another optimizer --------------------------------------------------------
# Refused at load, naming the entries this optimizer does not keep, by those whose rules would make their state entries
# afresh and run on silently (Muon, LBFGS, SGD); PyTorch's raise a bare KeyError at the step, and the other optimizers
# here name the entry they miss at the step.
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


# ---- the textbook forms of momentum, Nesterov and Adam (Prince, Understanding Deep Learning, eqs. 6.11-6.17) --------
# The book keeps an average m <- beta m + (1 - beta) g and steps phi <- phi - alpha m, its Nesterov takes g at the
# look-ahead point phi - alpha beta m, and its Adam is PyTorch's. With m = (1 - beta) b (b: PyTorch's momentum buffer)
# they are SGD(lr=alpha (1 - beta), momentum=beta), the same with nesterov=True (whose parameters are the look-ahead
# points), and Adam(lr=alpha, betas=(beta, gamma), eps=epsilon). dampening=beta is not the book's form: PyTorch's
# first step takes b = g undamped.
def _book_gradient(phi):
    return np.array([2.0 * phi[0] + np.sin(3.0 * phi[1]), 0.5 * phi[1] ** 3 - phi[0]])


def _run_optimizer(opt_class, steps, **hyper):
    p = ag.tensor([0.8, -1.1], requires_grad=True)
    opt = opt_class([p], **hyper)
    for _ in range(steps):
        p.grad = ag.tensor(_book_gradient(p.data))  # (the same gradients as the book's loop: only the rules differ)
        opt.step()
    return p.data


def _run_torch(opt_class, steps, **hyper):
    p = torch.tensor([0.8, -1.1], dtype=torch.float64, requires_grad=True)
    opt = opt_class([p], **hyper)
    for _ in range(steps):
        p.grad = torch.tensor(_book_gradient(p.detach().numpy()))
        opt.step()
    return p.detach().numpy()


@pytest.mark.parametrize("nesterov", [False, True])
def test_sgd_momentum_is_the_books_averaged_momentum_rescaled(nesterov):
    alpha, beta, steps = 0.3, 0.6, 25
    phi, m = np.array([0.8, -1.1]), np.zeros(2)
    for _ in range(steps):
        m = beta * m + (1 - beta) * _book_gradient(phi - alpha * beta * m if nesterov else phi)
        phi = phi - alpha * m
    expected = phi - alpha * beta * m if nesterov else phi  # (PyTorch's Nesterov holds the look-ahead point)
    got = _run_optimizer(optim.SGD, steps, lr=alpha * (1 - beta), momentum=beta, nesterov=nesterov)
    np.testing.assert_allclose(got, expected, rtol=1e-13, atol=1e-15)
    damped = _run_optimizer(optim.SGD, steps, lr=alpha, momentum=beta, dampening=beta)
    assert not np.allclose(damped, phi, atol=1e-3)  # (b = g undamped at the first step)
    if torch is not None:
        for hyper in (dict(lr=alpha * (1 - beta), momentum=beta, nesterov=nesterov),
                      dict(lr=alpha, momentum=beta, dampening=beta)):
            mine = _run_optimizer(optim.SGD, steps, **hyper)
            np.testing.assert_allclose(mine, _run_torch(torch.optim.SGD, steps, **hyper), rtol=1e-14, atol=1e-15)


def test_adam_is_the_books_adam():
    alpha, beta, gamma, epsilon, steps = 0.05, 0.9, 0.99, 1e-20, 30
    phi, m, v = np.array([0.8, -1.1]), np.zeros(2), np.zeros(2)
    for t in range(1, steps + 1):
        g = _book_gradient(phi)
        m = beta * m + (1 - beta) * g
        v = gamma * v + (1 - gamma) * g * g
        phi = phi - alpha * (m / (1 - beta ** t)) / (np.sqrt(v / (1 - gamma ** t)) + epsilon)
    got = _run_optimizer(optim.Adam, steps, lr=alpha, betas=(beta, gamma), eps=epsilon)
    np.testing.assert_allclose(got, phi, rtol=1e-13, atol=1e-15)
    if torch is not None:
        hyper = dict(lr=alpha, betas=(beta, gamma), eps=epsilon)
        np.testing.assert_allclose(got, _run_torch(torch.optim.Adam, steps, **hyper), rtol=1e-14, atol=1e-15)


# ---- opt.state[p] read before p's first step: {} (PyTorch's state is a defaultdict), and the step then fills it ----
# (fast.ai's course reads opt.state[p] in its own optimizers; here it raised KeyError)
@pytest.mark.parametrize("make", [lambda ps: optim.Adam(ps, lr=0.1), lambda ps: optim.RMSprop(ps, lr=0.1, momentum=0.9),
                                  lambda ps: optim.Adagrad(ps, lr=0.1), lambda ps: optim.Adamax(ps, lr=0.1),
                                  lambda ps: optim.SGD(ps, lr=0.1, momentum=0.9)])
def test_state_read_before_the_first_step_is_empty_and_the_step_fills_it(make):
    w, fresh = ag.tensor([1.0, -2.0], requires_grad=True), ag.tensor([1.0, -2.0], requires_grad=True)
    opt, untouched = make([w]), make([fresh])
    seen = opt.state[w]
    assert seen == {} and len(opt.state_dict()["state"]) == 0  # (an empty state is not saved)
    for p, o in ((w, opt), (fresh, untouched)):
        (p * p).sum().backward()
        o.step()
    assert opt.state[w] is seen and sorted(seen) == sorted(untouched.state[fresh])
    np.testing.assert_array_equal(w.data, fresh.data)  # the same step as without the read
    if torch is not None:
        tw = torch.tensor([1.0, -2.0], requires_grad=True)
        assert torch.optim.Adam([tw]).state[tw] == {}


# ---- inspect.signature(optimizer class): torch's switches spelled out -----------------------------------------------
# nanoGPT's configure_optimizers asks `'fused' in inspect.signature(torch.optim.AdamW).parameters`; the switches this
# project takes through **torch_options (and ignores) are listed as keywords with torch's defaults.
_WITH_SWITCHES = ["SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adamax", "NAdam", "RAdam", "Adadelta", "ASGD", "Rprop"]


@pytest.mark.parametrize("name", _WITH_SWITCHES)
def test_an_optimizers_signature_lists_torchs_switches_with_their_defaults(name):
    cls = getattr(optim, name)
    parameters = inspect.signature(cls).parameters
    assert {key: parameters[key].default for key in ("foreach", "capturable", "differentiable", "fused")} == \
        {"foreach": None, "capturable": False, "differentiable": False, "fused": None}
    assert not any(p.kind is p.VAR_KEYWORD for p in parameters.values())
    init = list(inspect.signature(cls.__init__).parameters.values())[1:-1]
    assert list(parameters.values())[:len(init)] == init  # __init__'s own parameters, in order, before the switches
    inspect.signature(cls).bind([], lr=0.1, fused=False)
    if torch is not None and "fused" in inspect.signature(getattr(torch.optim, name)).parameters:
        assert "fused" in parameters


def test_the_fused_check_of_nanogpts_configure_optimizers_runs():
    fused_available = "fused" in inspect.signature(optim.AdamW).parameters
    use_fused = fused_available and "cuda" in "cpu"
    w = nn.Parameter(np.ones(2))
    opt = optim.AdamW([{"params": [w], "weight_decay": 0.1}], lr=6e-4, betas=(0.9, 0.95), eps=1e-8, fused=use_fused)
    assert fused_available and opt.param_groups[0]["weight_decay"] == 0.1


def test_an_optimizer_without_torch_switches_keeps_inspects_own_signature():
    class Plain(optim.Optimizer):
        def __init__(self, params, lr=0.1):
            super().__init__(params, dict(lr=lr))

    assert list(inspect.signature(Plain).parameters) == ["params", "lr"]
    assert list(inspect.signature(optim.LBFGS).parameters)[-1] == "maximize"


# ---- torch.optim.optimizer.required: the default of a hyper-parameter that has none -------------------------------
# SGLD-style subclasses write `def __init__(self, params, lr=required)`, as PyTorch's SGD once did.
class _Langevin(optim.Optimizer):
    """theta <- theta - lr * grad + sqrt(2 lr) * noise, with the noise given (a user's SGLD, written as PyTorch's)."""

    def __init__(self, params, lr=optim.optimizer.required, noise=None):
        super().__init__(params, dict(lr=lr))
        self.noise = noise

    @ag.no_grad()
    def step(self, closure=None):
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is not None:
                    p.add_(p.grad, alpha=-group["lr"])
                    p.add_(self.noise * (2 * group["lr"]) ** 0.5)


def test_required_is_the_sentinel_of_a_hyper_parameter_without_default():
    assert repr(optim.optimizer.required) == "<required parameter>"
    w = ag.tensor([1.0, -2.0], requires_grad=True)
    with pytest.raises(ValueError, match="_Langevin: parameter group didn't specify a value of required "
                                         "optimization parameter lr"):
        _Langevin([w])
    with pytest.raises(ValueError, match="required optimization parameter lr"):  # a group without one, too
        _Langevin([{"params": [w]}])
    opt = _Langevin([{"params": [w], "lr": 0.5}], noise=np.array([0.1, 0.2]))  # given in the group: taken
    (w * w).sum().backward()
    opt.step()
    # w - 0.5 * 2w + sqrt(2 * 0.5) * noise = noise
    np.testing.assert_allclose(w.data, [0.1, 0.2], rtol=0, atol=1e-15)
    assert opt.param_groups[0]["lr"] == 0.5


@NEEDS_TORCH
def test_required_refuses_as_torchs_does():
    from torch.optim.optimizer import required as torch_required

    class TorchLangevin(torch.optim.Optimizer):
        def __init__(self, params, lr=torch_required):
            super().__init__(params, dict(lr=lr))

    with pytest.raises(ValueError, match="didn't specify a value of required optimization parameter lr"):
        TorchLangevin([torch.zeros(2, requires_grad=True)])
    assert repr(optim.optimizer.required) == repr(torch_required)


def _sign_descent(base):
    """A rule written against torch.optim.Optimizer (ours or torch's): its own step, never calling Optimizer.step."""
    class SignDescent(base):
        def __init__(self, params, lr=0.1):
            super().__init__(params, dict(lr=lr))

        def step(self, closure=None):
            """One signed step."""
            for group in self.param_groups:
                for p in group["params"]:
                    if p.grad is not None:
                        with (ag if base is optim.Optimizer else torch).no_grad():
                            p.sub_(p.grad.sign() * group["lr"])
    return SignDescent


@pytest.mark.parametrize("library", ["ours", "torch"])
def test_a_subclass_with_its_own_step_counts_for_the_schedulers_order_warning(library):
    if library == "torch" and torch is None:
        pytest.skip("torch is not installed")
    lib, base = (ag, optim) if library == "ours" else (torch, torch.optim)
    sign_descent = _sign_descent(base.Optimizer)

    def warned(optimizer_first):
        w = lib.tensor([1.0, -2.0], requires_grad=True)
        opt = sign_descent([w], lr=0.5)
        sched = base.lr_scheduler.StepLR(opt, step_size=1, gamma=0.5)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            if optimizer_first:
                (w * w).sum().backward()
                opt.step()
            sched.step()
        return [str(c.message)[:40] for c in caught], w.detach().numpy().tolist(), opt.param_groups[0]["lr"]
    assert warned(optimizer_first=True) == ([], [0.5, -1.5], 0.25)  # no false warning, the step and the rate
    assert warned(optimizer_first=False)[0] == ["Detected call of `lr_scheduler.step()` b"]
    assert sign_descent.step.__doc__ == "One signed step." and sign_descent.step.__name__ == "step"


# ---- load_state_dict of a subclass with its own step: PyTorch's restore -------------------------------------------
# A rule written against torch.optim.Optimizer keeps entries of its own (CS336's AdamW: a count "t", Tensor moments
# "m", "v"): they are restored as PyTorch restores them, the count as it is, an array or Tensor as a new Tensor in a
# float parameter's dtype, so the loaded optimizer steps on as if never saved.
def _hand_adamw(base, lib):
    class HandAdamW(base):
        def __init__(self, params, lr=0.01, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.1):
            super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay))

        @lib.no_grad()
        def step(self, closure=None):
            for group in self.param_groups:
                beta1, beta2 = group["betas"]
                for p in group["params"]:
                    state = self.state[p]
                    if len(state) == 0:
                        state["t"], state["m"], state["v"] = 0, lib.zeros_like(p), lib.zeros_like(p)
                    state["t"] += 1
                    state["m"].mul_(beta1).add_(p.grad, alpha=1 - beta1)
                    state["v"].mul_(beta2).addcmul_(p.grad, p.grad, value=1 - beta2)
                    alpha = group["lr"] * (1 - beta2 ** state["t"]) ** 0.5 / (1 - beta1 ** state["t"])
                    p.mul_(1 - group["lr"] * group["weight_decay"])
                    p.addcdiv_(state["m"], state["v"].sqrt().add_(group["eps"]), value=-alpha)
    return HandAdamW


def _resumed_run(lib, base, save, load, dtype):
    import io
    grads = np.random.default_rng(0).standard_normal((6, 2, 3))
    hand_adamw = _hand_adamw(base, lib)
    w = lib.tensor(np.linspace(-1.0, 1.0, 6).reshape(2, 3), dtype=dtype, requires_grad=True)
    opt = hand_adamw([w])
    for g in grads[:3]:
        w.grad = lib.tensor(g, dtype=dtype)
        opt.step()
    buffer = io.BytesIO()
    save({"optimizer": opt.state_dict()}, buffer)
    buffer.seek(0)
    resumed = hand_adamw([w])
    resumed.load_state_dict(load(buffer)["optimizer"])
    state = resumed.state[w]
    kinds = (type(state["t"]).__name__, type(state["m"]).__name__, str(state["m"].dtype).replace("torch.", ""))
    for g in grads[3:]:
        w.grad = lib.tensor(g, dtype=dtype)
        resumed.step()
    return kinds, w.detach().numpy()


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_a_subclass_with_its_own_step_resumes_from_its_state_dict(dtype):
    kinds, resumed = _resumed_run(ag, optim.Optimizer, nn.save, nn.load, dtype)
    assert kinds == ("int", "Tensor", np.dtype(dtype).name)  # the count kept, the moments Tensors again
    w = ag.tensor(np.linspace(-1.0, 1.0, 6).reshape(2, 3), dtype=dtype, requires_grad=True)
    opt = _hand_adamw(optim.Optimizer, ag)([w])
    for g in np.random.default_rng(0).standard_normal((6, 2, 3)):  # never saved: the same numbers
        w.grad = ag.tensor(g, dtype=dtype)
        opt.step()
    assert np.array_equal(resumed, w.data)
    if torch is not None:
        torch_kinds, torch_resumed = _resumed_run(torch, torch.optim.Optimizer, torch.save, torch.load,
                                                  getattr(torch, np.dtype(dtype).name))
        assert torch_kinds == kinds
        np.testing.assert_allclose(resumed, torch_resumed, rtol={np.float64: 1e-14, np.float32: 1e-6}[dtype])


def test_a_subclass_with_its_own_step_restores_arrays_in_the_parameters_dtype_but_the_step_entry():
    w = ag.tensor(np.ones(2, dtype=np.float32), requires_grad=True)
    opt = _hand_adamw(optim.Optimizer, ag)([w])
    saved_m = ag.tensor([0.5, 1.5])
    opt.load_state_dict({"state": {0: {"t": 3, "m": saved_m, "v": np.array([2.0, 3.0]), "step": ag.tensor(2.0),
                                       "history": [np.zeros(2)]}},
                         "param_groups": opt.state_dict()["param_groups"]})
    state = opt.state[w]
    assert state["t"] == 3
    assert isinstance(state["m"], ag.Tensor) and state["m"] is not saved_m  # a copy, in the parameter's dtype
    assert state["m"].dtype == np.float32 and state["m"].tolist() == [0.5, 1.5]
    assert isinstance(state["v"], np.ndarray) and state["v"].dtype == np.float32  # an array stays an array
    assert isinstance(state["step"], ag.Tensor) and state["step"].dtype == np.float64  # (as torch's)
    assert isinstance(state["history"], list) and state["history"][0].dtype == np.float32
    if torch is not None:  # the same dtypes as torch's own restore
        tw = torch.ones(2, dtype=torch.float32, requires_grad=True)
        topt = _hand_adamw(torch.optim.Optimizer, torch)([tw])
        topt.load_state_dict({"state": {0: {"t": 3, "m": torch.tensor([0.5, 1.5], dtype=torch.float64),
                                            "step": torch.tensor(2.0, dtype=torch.float64)}},
                              "param_groups": topt.state_dict()["param_groups"]})
        assert topt.state[tw]["t"] == 3 and topt.state[tw]["m"].dtype == torch.float32
        assert topt.state[tw]["step"].dtype == torch.float64


# ---- state_dict numbering and SGD's default lr, as test_optim's templates expect -------------------------------------
def _repeated_groups_state(library, make_param):
    """state_dict of an SGD with momentum after one step, its param_groups then extended by themselves (PyTorch's
    _test_state_dict does this: a parameter in two groups)."""
    weight, bias = make_param([1.0, 2.0]), make_param([3.0])
    opt = library.optim.SGD([{"params": [weight]}, {"params": [bias], "lr": 0.2}], lr=0.1, momentum=0.9)
    ((weight * weight).sum() + (bias * bias).sum()).backward()
    opt.step()
    opt.param_groups.extend(opt.param_groups)
    state = opt.state_dict()
    return [group["params"] for group in state["param_groups"]], sorted(state["state"])


# a parameter keeps the index of its first place; every entry counts toward the next group's start (the last group
# was [2, 3] and the first buffer's index 2: the repeated parameter took a new index and lost its first)
def test_state_dict_numbers_a_repeated_parameter_by_its_first_place():
    params, state_keys = _repeated_groups_state(nn, lambda v: ag.tensor(v, requires_grad=True))
    assert params == [[0], [1], [0], [1]] and state_keys == [0, 1]
    if torch is not None:
        assert (params, state_keys) == _repeated_groups_state(torch, lambda v: torch.tensor(v, requires_grad=True))


# SGD's lr defaults to 1e-3, as PyTorch 2's: groups that each give their lr need no lr (a TypeError before)
def test_sgd_lr_default_is_pytorchs():
    weight = ag.tensor([1.0], requires_grad=True)
    assert optim.SGD([weight]).param_groups[0]["lr"] == 1e-3
    opt = optim.SGD([{"params": [weight], "lr": 1e-2}])
    (weight * weight).sum().backward()
    opt.step()
    assert weight.data.tolist() == [1.0 - 1e-2 * 2.0]
    if torch is not None:
        assert inspect.signature(torch.optim.SGD).parameters["lr"].default == 1e-3
        tweight = torch.tensor([1.0], dtype=torch.float64, requires_grad=True)
        topt = torch.optim.SGD([{"params": [tweight], "lr": 1e-2}])
        (tweight * tweight).sum().backward()
        topt.step()
        assert tweight.tolist() == weight.data.tolist()
